"""Exact dimensions by Jacobian ranks modulo primes, against floats, Macaulay2 and the published sizes."""

import json

import numpy as np
import pytest
from conftest import float_rank

from neurom2 import Architecture, Neurom2Error, implicitize
from neurom2.cli import main
from neurom2.model.jacobian import ModularArithmetic, evaluation_jacobian, modular_rank
from neurom2.model.space import AmbientSpace
from neurom2.variety import dimension as dimension_module
from neurom2.variety.bounds import width_capped
from neurom2.variety.dimension import PRIMES, PROOF_PRIME, dimension, expected_dimension, weight_degree

SMALL = [
    ("2,2,1", "x^2", False), ("3,2,1", "x^2", False), ("2,2,1", "x^4", False), ("3,2,3", "x", False),
    ("2,1,1", "x^3 + x", True), ("2,2,1,1", "x^2", False), ("3,2,2", "x^2", False), ("2,3,2", "x", True),
]


@pytest.mark.macaulay2
@pytest.mark.parametrize("widths, activation, bias", SMALL)
def test_dimension_agrees_with_float_rank_and_with_the_krull_dimension_from_macaulay2(widths, activation, bias):
    arch = Architecture.create(widths, activation, bias)
    result = dimension(arch, seed=1)
    assert result.dim == float_rank(arch)
    assert result.dim == implicitize(arch, verify=False, timeout=60).dim
    assert result.dim <= result.bound.value <= result.expected_dim
    assert result.proved == (result.dim == result.bound.value)


@pytest.mark.parametrize(
    "widths, bias, ambient",
    [("2,3,4,5,4,6,4,1", False, 65), ("3,5,6,4,1", False, 45), ("2,3,4,4,10,17,11,12,4,2", False, 514)],
)
def test_published_sweep_sizes_fill_their_space_and_this_is_proved(widths, bias, ambient):
    result = dimension(Architecture.create(widths, "x^2", bias), seed=0)
    assert result.space.dim == ambient
    assert result.fills and result.proved and result.error_bound == 0
    assert result.ranks == (ambient,) and result.primes == (PROOF_PRIME,)  # one rank reaching the bound is the proof


def test_a_dimension_not_proved_has_the_ranks_of_both_primes_and_their_error_bound():
    """(4,9,1) x^4: the rank stays below the best proved bound (quaternary quartics as sums of nine fourth powers), so
    both primes are computed, agree, and the error bound is the product of rank · (deg_θ f − 1 + D) / p over them."""
    arch = Architecture.create("4,9,1", "x^4")
    result = dimension(arch, seed=0)
    assert not result.proved and result.dim < result.bound.value
    assert result.dim == float_rank(arch)  # an independent, floating-point rank of ∂c/∂θ
    assert result.ranks == (result.dim, result.dim) and result.primes == PRIMES
    assert any(f"modulo {PROOF_PRIME}" in note and "below the proved bound" in note for note in result.notes)
    degree_in_weights, top_degree = 5, 4  # e·(a·x)^4: weights of degree 1 + 4; outputs of degree 4
    assert result.error_bound == pytest.approx((result.dim * (degree_in_weights - 1 + top_degree)) ** 2 / (PRIMES[0] * PRIMES[1]))


def test_quadratic_network_with_biases_has_the_orthogonal_group_of_its_last_hidden_layer_as_defect():
    """f = sum_i v_i (z_i)^2 is a quadratic form in the last hidden layer's 4 pre-activations: O(4),
    of dimension 6, acts on the weights without changing f, beyond the 15 rescalings."""
    arch = Architecture.create("3,5,6,4,1", "x^2", bias=True)
    result = dimension(arch, seed=0)
    assert (result.space.dim, result.expected_dim) == (165, 89 - 15)
    assert result.dim == float_rank(arch) == result.expected_dim - 6


def test_unproved_dimension_reports_a_small_failure_probability():
    """(4,9,1), σ = x⁴: quaternary quartics as sums of nine fourth powers, an Alexander–Hirschowitz exception that no
    proved bound of neurom2 reaches (35), so the rank 34 is only probable."""
    result = dimension(Architecture.create("4,9,1", "x^4"), seed=0)
    assert (result.dim, result.bound.value, result.expected_dim, result.proved) == (34, 35, 35, False)
    assert 0 < result.error_bound < 1e-12


def test_float_cross_check_is_reported_on_request():
    result = dimension(Architecture.create("3,2,1", "x^2"), seed=0, float_check=True)
    assert result.float_rank == 5


def test_weight_degree_counts_the_degree_of_the_outputs_in_the_weights():
    assert weight_degree(Architecture.create("2,2,1", "x^3")) == 4           # e (a x + b y)^3
    assert weight_degree(Architecture.create("2,2,2,1", "x^2")) == 7         # 1 + 2 (1 + 2 * 1)


def test_expected_dimension_of_linear_networks_is_that_of_the_determinantal_variety():
    assert expected_dimension(Architecture.create("4,2,4", "x")) == 2 * (4 + 4 - 2)
    assert expected_dimension(Architecture.create("2,3,2", "x")) == 4
    assert expected_dimension(Architecture.create("3,2,3", "x", bias=True)) == 8 + 3


def test_disagreeing_primes_are_retried_and_then_an_error(monkeypatch):
    calls = iter([4] + [4, 3] * 3)  # the first try, then pairs: below the proved bound 5 (reaching it is a proof)
    monkeypatch.setattr(dimension_module, "rank_modulo", lambda *args: next(calls))
    monkeypatch.setattr(dimension_module, "_RANKS", {})  # nothing kept from earlier tests
    with pytest.raises(Neurom2Error, match="disagree"):
        dimension(Architecture.create("3,2,1", "x^2"), seed=0)


def test_dim_command_prints_json_with_the_documented_keys(capsys):
    assert main(["dim", "--widths", "3,5,6,4,1", "--activation", "x^2", "--json", "--seed", "3"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert {"dim", "ambient_dim", "expected_dim", "defect", "method", "seconds", "proved", "seed"} <= set(data)
    assert data["seed"] == 3
    assert (data["dim"], data["ambient_dim"], data["defect"], data["proved"]) == (45, 45, 0, True)


def test_dim_command_text_states_the_defect(capsys):
    assert main(["dim", "--widths", "3,2,1", "--activation", "x^2", "--seed", "0"]) == 0
    out = capsys.readouterr().out
    assert "dimension          5  (expected 6, defect 1" in out


def _published_jacobians(count):
    """Evaluation Jacobians modulo the first prime of ``count`` published (2,…,2) architectures (σ = x²), as
    dimension() builds them, with their proved upper bounds."""
    import csv
    import gzip
    import itertools
    from pathlib import Path

    import numpy as np

    from neurom2.model.jacobian import ModularArithmetic, evaluation_jacobian
    from neurom2.variety.bounds import upper_bound

    path = Path(__file__).parents[1] / "benchmarks" / "data" / "published-sweep-2-2.csv.gz"
    rng, p = np.random.default_rng(3), PRIMES[0]
    with gzip.open(path, "rt") as rows:
        for row in itertools.islice(csv.DictReader(rows), 7, None, 21135 // count):
            arch = Architecture(tuple(json.loads(row["architecture"])), "x^2")
            bound = upper_bound(arch).value
            points = rng.integers(0, p, size=(bound // 2 + 2, 2))
            yield evaluation_jacobian(arch, rng.integers(0, p, size=arch.n_params).tolist(), points,
                                      ModularArithmetic(p)), bound


def test_the_rank_through_a_sketch_equals_the_rank_of_the_whole_jacobian():
    """On 40 published (2,…,2) Jacobians (up to 514 × 1,500), the rank with the sketch of the columns equals the
    rank of the whole matrix computed by FLINT directly, and at least one of them is reached through the sketch."""
    import numpy as np

    from neurom2.model.jacobian import SKETCH_WIDTH, modular_rank, modular_rank_at_most

    rng, sketched = np.random.default_rng(4), 0
    for jacobian, bound in _published_jacobians(40):
        rank = modular_rank(jacobian, PRIMES[0])
        assert modular_rank_at_most(jacobian, PRIMES[0], bound, rng) == rank <= bound
        sketched += jacobian.shape[1] >= SKETCH_WIDTH * (bound + 8) and rank == bound
    assert sketched >= 10


def test_a_sketch_below_the_ceiling_falls_back_to_the_whole_matrix():
    """A 60 × 400 matrix of rank 30 (a product of random 60 × 30 and 30 × 400 matrices modulo p, rank checked by
    FLINT): with ceiling 50 the sketch cannot reach it, and the rank of the whole matrix, 30, is returned; with the
    true rank as ceiling the sketch gives 30 as well."""
    import flint
    import numpy as np

    from neurom2.model.jacobian import modular_rank_at_most

    p, rng = PRIMES[1], np.random.default_rng(5)
    left = flint.nmod_mat(flint.fmpz_mat(rng.integers(0, p, size=(60, 30)).tolist()), p)
    right = flint.nmod_mat(flint.fmpz_mat(rng.integers(0, p, size=(30, 400)).tolist()), p)
    product = left * right
    assert product.rank() == 30
    matrix = np.array([[int(x) for x in row] for row in product.tolist()], dtype=np.int64)
    assert modular_rank_at_most(matrix, p, 50, rng) == 30 == modular_rank_at_most(matrix, p, 30, rng)


@pytest.mark.parametrize("widths", [(2, 9, 2), (2, 5, 12, 12, 1), (3, 11, 4, 1)])
def test_ranks_on_the_width_capped_network_equal_the_full_networks_rank(widths):
    """dim is computed on the width-capped network (same M); the rank of the uncapped network's own Jacobian,
    computed here directly modulo another prime, agrees."""
    arch = Architecture.create(widths, "x^2")
    network = width_capped(arch)
    assert network.widths != arch.widths and network.n_params < arch.n_params
    found = dimension(arch)
    assert any("width cap" in note for note in found.notes)
    p = 1_000_000_007
    rng = np.random.default_rng(5)
    points = rng.integers(0, p, size=(AmbientSpace.of(arch).monomial_count, arch.input_dim), dtype=np.int64)
    theta = rng.integers(0, p, size=arch.n_params).tolist()
    assert modular_rank(evaluation_jacobian(arch, theta, points, ModularArithmetic(p)), p) == found.dim


def test_ranks_are_kept_per_process_by_network_seed_and_primes(monkeypatch):
    calls = []
    original = dimension_module.rank_modulo
    monkeypatch.setattr(dimension_module, "rank_modulo", lambda *args: calls.append(args[0]) or original(*args))
    monkeypatch.setattr(dimension_module, "_RANKS", {})
    first = dimension("2,7,3,1", "x^2", seed=11)
    again = dimension("2,8,3,1", "x^2", seed=11)  # the same width-capped network (2,3,3,1)
    assert (first.dim, first.ranks) == (again.dim, again.ranks) and len(calls) == 1
    dimension("2,7,3,1", "x^2", seed=12)  # another seed: other points, computed again
    assert len(calls) == 2


def test_a_first_rank_short_of_the_bound_is_computed_again_modulo_the_primes(monkeypatch):
    """When the rank modulo PROOF_PRIME misses the proved bound (forced here: one less), the ranks modulo PRIMES
    decide, as before the first try existed: (3,5,6,4,1) σ = x² still fills, proved by the rank modulo PRIMES[0]."""
    original = dimension_module.rank_modulo
    monkeypatch.setattr(dimension_module, "rank_modulo", lambda arch, p, *rest: original(arch, p, *rest) - (p == PROOF_PRIME))
    monkeypatch.setattr(dimension_module, "_RANKS", {})
    result = dimension("3,5,6,4,1", "x^2", seed=0)
    assert (result.dim, result.proved, result.ranks, result.primes) == (45, True, (45,), PRIMES[:1])
    assert any(f"modulo {PROOF_PRIME} at 45 inputs, 44, is below the proved bound 45" in note for note in result.notes)


def test_published_dimensions_through_the_first_prime_equal_full_ranks_modulo_another_prime():
    """30 published (2,…,2) rows, σ = x²: the dimension (proved through the rank modulo PROOF_PRIME of the width-capped
    network) equals Dao and Rodriguez's, and the rank of the *uncapped* network's whole Jacobian at all monomials
    modulo PRIMES[1], at another random point and without a sketch, is the same."""
    import csv
    import gzip
    import itertools
    from pathlib import Path

    path = Path(__file__).parents[1] / "benchmarks" / "data" / "published-sweep-2-2.csv.gz"
    rng, p = np.random.default_rng(17), PRIMES[1]
    with gzip.open(path, "rt") as rows:
        sample = list(itertools.islice(csv.DictReader(rows), 11, None, 21135 // 30))
    for row in sample:
        arch = Architecture(tuple(json.loads(row["architecture"])), "x^2")
        result = dimension(arch, seed=5)
        assert result.dim == int(row["dimension_computed"])
        assert result.primes == ((PROOF_PRIME,) if result.proved else PRIMES)
        points = rng.integers(0, p, size=(AmbientSpace.of(arch).monomial_count, 2), dtype=np.int64)
        jacobian = evaluation_jacobian(arch, rng.integers(0, p, size=arch.n_params).tolist(), points, ModularArithmetic(p))
        assert modular_rank(jacobian, p) == result.dim


def test_the_first_prime_takes_all_monomials_when_too_few_inputs_fall_short():
    """(2,13,8,7,1,2) σ = x² (capped (2,3,5,7,1,2)): through the width-1 layer the outputs are (a·z², b·z²) for a
    binary octic z, whose tangent vectors at m inputs, (z²α + 2a z w, z²β + 2b z w)(a_j), span at most m + 1
    dimensions; so 7 inputs give at most 8 < 10 whatever the prime, and with all 17 monomials the rank modulo
    PROOF_PRIME reaches the bound 10, a proof without the primes near 2^31.  The rank of the uncapped network's whole
    Jacobian at all monomials modulo another prime agrees."""
    arch = Architecture.create("2,13,8,7,1,2", "x^2")
    result = dimension(arch, seed=0)
    assert (result.dim, result.bound.value, result.proved, result.primes) == (10, 10, True, (PROOF_PRIME,))
    assert not any("below the proved bound" in note for note in result.notes)
    p, rng = 1_000_000_007, np.random.default_rng(2)
    points = rng.integers(0, p, size=(AmbientSpace.of(arch).monomial_count, 2), dtype=np.int64)
    jacobian = evaluation_jacobian(arch, rng.integers(0, p, size=arch.n_params).tolist(), points, ModularArithmetic(p))
    assert modular_rank(jacobian, p) == 10
