"""The loss landscape: critical points of the data loss on the neurovariety, checked against theory computed
independently (Eckart–Young by numpy's SVD), against other counts (modulo primes, monodromy), and the infimum
over M(R) of the slides' x³ example."""

from __future__ import annotations

import dataclasses
import itertools
import json
import random
import re
import time
from fractions import Fraction
from math import comb
from pathlib import Path

import numpy as np
import pytest
import sympy

from neurom2 import Architecture, implicitize
from neurom2.cli import main
from neurom2.deadline import Deadline
from neurom2.errors import InvalidDataset, InvalidOption
from neurom2.exact.terms import polynomial_from_terms, terms_from_polynomial
from neurom2.model.space import AmbientSpace
from neurom2.tasks import task
from neurom2.training.critical import PRIMES, Metric, critical_set, modular_counts
from neurom2.training.dataset import Dataset
from neurom2.training.infimum import determinantal_stratification, stratification
from neurom2.training.landscape import _Computation, landscape
from neurom2.training.loss import dataset_with_target, loss

pytestmark = pytest.mark.macaulay2

LINEAR = ("2,1,2", "2,1,3", "3,1,2", "3,2,3", "3,1,3")
"""Linear architectures (rank ≤ r matrices, r = min width) for Eckart–Young."""


def generators(arch: Architecture, session):
    return [terms_from_polynomial(eq) for eq in implicitize(arch, session=session).equations]


def eckart_young_losses(arch: Architecture, data: Dataset) -> list[float]:
    """Σ_{i ∉ S} σ_i² + const over the r-subsets S of the singular values of Q^{1/2} U (numpy, floating point)."""
    space = AmbientSpace.of(arch)
    a, b = (np.array([[float(a[i, j]) for j in range(a.ncols())] for i in range(a.nrows())]) for a in
            (data.A(space), data.B(space)))
    q = a.T @ a
    u = np.linalg.lstsq(a, b, rcond=None)[0]
    values, vectors = np.linalg.eigh(q)
    root = vectors @ np.diag(np.sqrt(values)) @ vectors.T
    sigma = np.linalg.svd(root @ u, compute_uv=False)
    constant = float(np.sum((a @ u - b) ** 2))
    r = min(arch.widths)
    return sorted(float(np.sum(sigma**2) - sum(sigma[list(s)] ** 2)) + constant
                  for s in itertools.combinations(range(len(sigma)), r))


@pytest.mark.parametrize("widths", LINEAR)
def test_linear_networks_have_the_eckart_young_critical_points(session, widths):
    arch = Architecture.create(widths, "x")
    space = AmbientSpace.of(arch)
    data = Dataset.random(arch, 3 * space.n_inputs + 2, seed=len(widths))
    found = critical_set(session, generators(arch, session), Metric.of(space, data))
    m, r = min(arch.input_dim, arch.output_dim), min(arch.widths)
    assert found.count == comb(m, r) and found.real_count == found.count  # all real
    # proved for a hypersurface (2 × 2 or 3 × 3 determinant); a proved lower bound for the other determinantal varieties
    assert found.proved == (len(implicitize(arch, session=session).equations) == found.codim)
    assert sorted(p.type for p in found.points) == ["minimum"] + ["saddle"] * (found.count - 1)
    losses = sorted(p.loss for p in found.points)
    assert np.allclose(losses, eckart_young_losses(arch, data), rtol=1e-9)
    minimum = next(p for p in found.points if p.type == "minimum")
    assert minimum.loss == pytest.approx(losses[0])  # the local minimum is the global one: the top r singular values


def test_generic_data_count_is_eckart_young_and_not_the_generic_metric_ed_degree(session):
    arch = Architecture.create("3,2,3", "x")
    result = landscape(arch, random_data=12, generic=True, numerical=False, session=session)
    generic = result.generic
    assert generic["learning_degree"] == generic["ed_degree_unit_metric"] == generic["eckart_young"] == 3
    # a generic symmetric metric on the 9 coordinates is not of the form I ⊗ Q: the ED degree of the 3 × 3
    # determinant is then 39, the moment metric of linear networks never reaches it
    assert generic["ed_degree_generic_metric"] == 39 and not generic["moment_equals_generic"]
    assert result.learning_degree == 3 and result.counts.proved  # Eckart–Young after whitening (closed form)
    assert result.infimum.attained and result.infimum.value == pytest.approx(min(p.loss for p in result.critical_points))
    # lower-rank strata: rank ≤ 1 (3 critical points, the partial SVDs of rank 1), then the origin
    assert [(s["rank"], s["critical_points"]) for s in result.infimum.extra["rank_strata"]] == [(2, 3), (1, 3), (0, 1)]


def test_count_is_checked_modulo_primes_and_numerically_and_points_satisfy_the_equations(session):
    arch = Architecture.create("2,1,1", "x^2")  # quadratic forms of rank ≤ 1: a cone over a conic
    space = AmbientSpace.of(arch)
    data = Dataset.random(arch, 7, seed=3)
    result = landscape(arch, dataset=data, check=True, session=session)
    counts = result.counts
    assert counts.proved and counts.learning_degree == counts.degree
    assert [m.degree for m in counts.modular] == [counts.learning_degree] * 2
    assert counts.numerical["status"] == "agrees", counts.numerical
    assert counts.numerical["monodromy_solutions"] == counts.numerical["on_X"] == counts.learning_degree
    (equation,) = implicitize(arch, session=session).equations
    metric = Metric.of(space, data)
    g = sympy.Matrix(metric.gram).applyfunc(float)
    for point in result.critical_points:
        c = np.array(point.approximate)
        assert abs(float(equation.eval(dict(zip(equation.gens, c))))) < 1e-9
        # G(c − u) is parallel to ∇F(c): the 2 × 2 minors of [∇F, G(c − u)] vanish (floating point, independently)
        gradient = np.array([float(equation.diff(x).eval(dict(zip(equation.gens, c)))) for x in equation.gens])
        normal = np.array(g * sympy.Matrix(c - np.array([float(v) for v in metric.center])), dtype=float).ravel()
        assert np.allclose(np.cross(gradient, normal), 0, atol=1e-7 * np.linalg.norm(gradient) * np.linalg.norm(normal))
        assert point.loss == pytest.approx(float(loss(space, data, [Fraction(v) for v in c])), rel=1e-9)


def test_a_proved_count_is_not_checked_numerically_unless_asked(session):
    # the exact count (Hermite's rank over QQ of a complete intersection) is a proof; monodromy adds none, so it
    # runs only with check=True (above) or when the count is not proved
    arch = Architecture.create("2,1,1", "x^2")
    result = landscape(arch, dataset=Dataset.random(arch, 7, seed=3), session=session)
    assert result.counts.proved and result.learning_degree == result.counts.degree
    assert result.counts.numerical["status"].startswith("not run"), result.counts.numerical
    assert "numerical check" not in result.timings


def test_a_count_not_proved_is_still_checked_numerically_by_default(session):
    # a count from random combinations (P not a complete intersection) is probable: its monodromy check stays on
    arch = Architecture.create("2,1,1", "x^2")
    data = Dataset.random(arch, 7, seed=3)
    metric = Metric.of(AmbientSpace.of(arch), data)
    equations = generators(arch, session)
    found = critical_set(session, equations, metric, describe_points=False)
    probable = dataclasses.replace(found, complete_intersection=False)
    assert found.proved and not probable.proved
    computation = _Computation(arch, data, session, Deadline.coerce(None), 0, False)
    assert computation.numerical(equations, found, metric)["status"].startswith("not run")
    checked = computation.numerical(equations, probable, metric)
    assert checked["status"] == "agrees" and checked["monodromy_solutions"] == found.count
    assert _Computation(arch, data, session, Deadline.coerce(None), 0, False, numerical=False).numerical(
        equations, probable, metric) is None


def test_a_filling_network_has_learning_degree_one_and_reaches_u(session):
    arch = Architecture.create("2,2,1", "x^2")  # fills R[x,y]_2 over the reals
    data = Dataset.random(arch, 8, seed=1)
    result = landscape(arch, dataset=data, session=session)
    (point,) = result.critical_points
    u = data.u(arch)
    assert result.learning_degree == 1 and point.coefficients == tuple(str(u[i, 0]) for i in range(3))
    assert point.type == "minimum" and point.reached and result.infimum.attained
    assert result.infimum.weights == point.weights and len(point.weights) == arch.n_params
    # the infimum is the loss at u, computed here directly from the data (exact)
    assert result.infimum.interval == str(loss(arch, data, [Fraction(str(u[i, 0])) for i in range(3)]))


def test_a_filling_linear_network_is_settled_without_macaulay2():
    arch = Architecture.create("2,2,2", "x")  # 2 × 2 matrices of rank ≤ 2: all of V
    data = Dataset.random(arch, 5, seed=3)
    result = landscape(arch, dataset=data)  # no session given: one would be started only if a step needed Macaulay2
    (point,) = result.critical_points
    u = data.u(arch)
    assert result.learning_degree == 1 and point.reached and result.m2_version is None
    assert point.coefficients == tuple(str(u[i, k]) for k in range(2) for i in range(2))


def test_counts_modulo_two_primes_in_one_call_agree_with_the_count_over_qq(session):
    arch = Architecture.create("2,1,3", "x")  # rank ≤ 1 in 3 × 2 matrices: codim 2, three 2 × 2 minors (not a c.i.)
    space = AmbientSpace.of(arch)
    metric = Metric.of(space, Dataset.random(arch, 6, seed=4))
    equations = generators(arch, session)
    modular = modular_counts(session, equations, metric.gram, metric.center, PRIMES)
    assert [m.prime for m in modular] == list(PRIMES) and all(m.dim == 0 and not m.saturated for m in modular)
    exact = critical_set(session, equations, metric, describe_points=False)
    assert {m.degree for m in modular} == {exact.count} == {comb(2, 1)}  # Eckart–Young: C(min(3, 2), 1)


@pytest.mark.parametrize("bias", [False, True])
def test_linear_strata_are_the_singular_loci_macaulay2_computes(session, bias):
    arch = Architecture.create("2,1,3", "x", bias=bias)  # 3 × 2 matrices of rank ≤ 1 (times 3 constants)
    space = AmbientSpace.of(arch)
    equations = generators(arch, session)
    classical = determinantal_stratification(arch, equations, "X")
    computed = stratification(session, equations, space.dim, "X", Deadline.coerce(None))  # minimal primes in Macaulay2
    assert [s.label for s in classical] == [s.label for s in computed] == ["X", "Sing X"]
    symbols = sympy.symbols(f"c0:{space.dim}")
    for ours, theirs in zip(classical, computed):  # the same ideals: each generating set reduces the other to 0
        first, second = ([polynomial_from_terms(g, symbols).as_expr() for g in s.generators] for s in (ours, theirs))
        for left, right in ((first, second), (second, first)):
            basis = sympy.groebner(left, *symbols, order="grevlex")
            assert all(basis.reduce(f)[1] == 0 for f in right)


def test_too_few_points_give_an_affine_space_of_minimizers(session):
    arch = Architecture.create("2,2,1", "x^2")
    data = Dataset.random(arch, 2, seed=2)  # |S| = 2 < N = 3: G has rank 2
    result = landscape(arch, dataset=data, session=session)
    minimizers = result.minimizers
    a = data.A(arch)
    assert result.metric_rank == a.rank() < 3 and result.learning_degree is None
    assert minimizers["dimension"] == 3 - a.rank() == len(minimizers["basis"])
    # the basis vectors are in ker A (computed here from the data matrix): L is constant along them
    for basis in minimizers["basis"]:
        assert all(sum(Fraction(str(a[i, j])) * Fraction(basis[j]) for j in range(3)) == 0 for i in range(2))
    assert result.infimum.attained  # x² networks fill the reals: u itself is reached


def test_x3_data_at_x3_minus_xy2_have_an_unattained_infimum(session):
    arch = Architecture.create("2,2,1", "x^3")
    space = AmbientSpace.of(arch)
    data = dataset_with_target(space, Dataset.random(arch, 8, seed=5).inputs, [1, 0, -1, 0])  # A⁺B = x³ − xy²
    result = landscape(arch, dataset=data, session=session)
    (u,) = result.critical_points
    assert u.coefficients == ("1", "0", "-1", "0") and u.reached is False
    infimum = result.infimum
    assert infimum.attained is False and infimum.argmin_stratum == "boundary"
    # the argmin is a cubic with a double root: its discriminant vanishes (floating point, independently)
    a, b, c, d = infimum.argmin
    assert abs(b * b * c * c - 4 * a * c**3 - 4 * b**3 * d - 27 * a * a * d * d + 18 * a * b * c * d) < 1e-10
    # the approach: exact real weights whose losses decrease to the infimum while their norms grow
    steps = [s for s in infimum.approach if s["reached"]]
    assert len(steps) >= 3
    losses, norms = [s["loss"] for s in steps], [s["weight_norm"] for s in steps]
    assert losses == sorted(losses, reverse=True) and losses[-1] - infimum.value < 1e-5 * infimum.value
    assert norms[-1] > 10 * norms[0]
    # the cubes on the boundary's singular locus are networks, but their loss is larger
    cubes = [c for c in infimum.candidates if c.stratum == "Sing boundary"]
    assert cubes and all(c.reach.member for c in cubes) and min(c.facts.loss for c in cubes) > infimum.value


def test_command_line_json_has_the_documented_keys(tmp_path, capsys):
    path = tmp_path / "data.csv"
    rng = random.Random(4)
    path.write_text("x1,x2,y1,y2\n" + "\n".join(",".join(str(rng.randint(-5, 5)) for _ in range(4))
                                             for _ in range(8)) + "\n")
    assert main(["landscape", "--widths", "2,1,2", "--activation", "x", "--data", str(path), "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    for key in ("widths", "activation", "bias", "n_points", "metric_rank", "learning_degree", "critical_points",
                "infimum", "method", "proved", "seed", "seconds"):
        assert key in result
    assert result["learning_degree"] == 2 and result["n_points"] == 8 and result["seed"] == 0
    for point in result["critical_points"]:
        assert {"coefficients", "loss", "real", "type", "reached", "weights"} <= set(point)
    assert {"value", "attained", "argmin"} <= set(result["infimum"])


def test_bad_data_are_refused_with_exit_status_2(tmp_path, capsys):
    path = tmp_path / "bad.csv"
    path.write_text("x1,x2,y1\n1,2,3\n4,nan,6\n")
    assert main(["landscape", "--widths", "2,2,1", "--activation", "x^3", "--data", str(path)]) == 2
    assert f"{path}:3:" in capsys.readouterr().err
    assert main(["landscape", "--widths", "2,2,1", "--activation", "x^3"]) == 2
    assert "exactly one" in capsys.readouterr().err


def test_a_data_file_is_part_of_the_job_identity_by_content(tmp_path):
    path = tmp_path / "data.csv"
    path.write_text("x1,x2,y1\n1,2,3\n2,1,0\n")
    spec = task("landscape")
    arch = Architecture.create("2,2,1", "x^3")
    values = spec.resolve(arch, {"data": str(path)})
    assert values["data"] == f"{path}#sha256={Dataset.read_csv(path).digest()}"
    assert spec.resolve(arch, values) == values  # a worker resolves the job again: unchanged
    path.write_text("x1,x2,y1\n1,2,3\n2,1,1\n")
    with pytest.raises(InvalidDataset, match="changed"):
        spec.resolve(arch, values)
    with pytest.raises(InvalidOption, match="exactly one"):
        spec.resolve(arch, {"data": str(path), "random_data": 5})


def test_the_timeout_is_the_whole_computations_budget(capsys):
    started = time.monotonic()
    assert main(["landscape", "--widths", "2,2,1", "--activation", "x^4", "--random-data", "15", "--timeout", "1"]) == 1
    assert "time limit of 1 s" in capsys.readouterr().err
    assert time.monotonic() - started < 15


def test_a_landscape_job_in_a_batch_stores_what_the_python_call_computes(tmp_path, capsys):
    from neurom2.batch.results import answer
    from neurom2.batch.store import ResultStore

    jobs = tmp_path / "jobs.toml"
    jobs.write_text('[[job]]\ntask = "landscape"\nwidths = [2, 1, 2]\nactivation = "x"\nrandom_data = 6\n')
    db = tmp_path / "results.sqlite"
    assert main(["batch", str(jobs), "--db", str(db), "--workers", "1", "--quiet"]) == 0
    with ResultStore(db, write=False) as store:
        (row,) = store.rows(task="landscape")
    direct = landscape(Architecture.create("2,1,2", "x"), random_data=6)
    assert row.status == "done" and row.result["learning_degree"] == direct.learning_degree == 2  # Eckart–Young: C(2,1)
    assert row.result["infimum"]["value"] == pytest.approx(direct.infimum.value, rel=1e-12)
    assert answer(row) == f"learning degree 2, inf L = {direct.infimum.value:.6g} attained"


DATA = Path(__file__).parent / "data"


def exact_least_squares(rows: list[list[Fraction]], targets: list[Fraction]) -> Fraction:
    """min over c of Σ (rowᵢ·c − bᵢ)², exact (normal equations over QQ, sympy)."""
    a, b = sympy.Matrix(rows), sympy.Matrix(targets)
    c = (a.T * a).LUsolve(a.T * b)
    residual = a * c - b
    return Fraction(str((residual.T * residual)[0, 0]))


def biased_quadratic_network(weights: list[Fraction], x: list[Fraction]) -> Fraction:
    """(2,2,1), σ = x², with biases, weights in the order w1 (row-major), b1, w2, b2."""
    w1, b1, w2, b2 = weights[0:4], weights[4:6], weights[6:8], weights[8]
    hidden = [(w1[2 * i] * x[0] + w1[2 * i + 1] * x[1] + b1[i]) ** 2 for i in range(2)]
    return w2[0] * hidden[0] + w2[1] * hidden[1] + b2


def test_biased_x2_runs_that_reach_the_attained_infimum_at_finite_weights_count_as_reaching_it(session):
    from neurom2.present.report import format_landscape

    arch = Architecture.create("2,2,1", "x^2", bias=True)  # fills R[x1,x2]_{<=2}
    result = landscape(arch, data=str(DATA / "landscape-221-x2-bias.csv"), train=5, seed=0, session=session)
    data = result.dataset
    inputs = [[Fraction(v) for v in a] for a in data.inputs]
    outputs = [Fraction(b[0]) for b in data.outputs]
    # the infimum: least squares over all quadratics in x1, x2 (M fills V), exact; attained: the printed exact
    # weights give a network whose loss is that value exactly
    infimum = exact_least_squares([[1, x, y, x * x, x * y, y * y] for x, y in inputs], outputs)
    assert result.infimum.attained and Fraction(result.infimum.interval) == infimum
    weights = [Fraction(w) for w in result.infimum.weights]
    assert sum((biased_quadratic_network(weights, a) - b) ** 2 for a, b in zip(inputs, outputs)) == infimum
    # each run's final loss recomputed from its final weights (float64): those at the infimum, with finite
    # weights, are exactly the runs classified as reaching it, whatever the trend of ‖θ‖
    reached = []
    for c in result.runs:
        theta = np.array(c.run.final_weights)
        values = [float(biased_quadratic_network(list(theta), [float(v) for v in a])) for a in inputs]
        final = sum((v - float(b)) ** 2 for v, b in zip(values, outputs))
        if final <= float(infimum) * (1 + 1e-6) and np.linalg.norm(theta) < 1e8:
            reached.append(c.run.index)
    assert len(reached) >= 2 and reached == [c.run.index for c in result.runs if c.outcome == "infimum"]
    # the summary counts are the per-run labels, in the JSON and in the report's lines
    outcomes = [c.outcome for c in result.runs]
    summary = result.training
    assert (summary.reached_infimum, summary.pure, summary.spurious, summary.diverging, summary.undecided) == tuple(
        outcomes.count(k) for k in ("infimum", "pure", "spurious", "diverging", "undecided"))
    report = format_landscape(result)
    assert f"5 runs: {len(reached)} reached the infimum" in report
    assert re.findall(r"run +\d+: (\w+)", report) == outcomes


def partial_svd_points(arch: Architecture, data: Dataset) -> list[tuple[float, np.ndarray]]:
    """(loss, W_S in V's coordinates) for each r-subset S of the singular triples of the whitened target T Q^{1/2},
    pulled back by Q^{-1/2} (numpy: eigh and svd), by increasing loss."""
    space = AmbientSpace.of(arch)
    a, b = (np.array([[float(m[i, j]) for j in range(m.ncols())] for i in range(m.nrows())]) for m in
            (data.A(space), data.B(space)))
    values, vectors = np.linalg.eigh(a.T @ a)
    root, inverse = (vectors @ np.diag(values**e) @ vectors.T for e in (0.5, -0.5))
    target = np.linalg.lstsq(a, b, rcond=None)[0].T  # T = uᵀ, d_L × d_0
    u, sigma, vt = np.linalg.svd(target @ root)
    constant = float(np.sum((a @ target.T - b) ** 2))
    points = []
    for chosen in itertools.combinations(range(len(sigma)), min(arch.widths)):
        w = sum(sigma[i] * np.outer(u[:, i], vt[i]) for i in chosen) @ inverse
        points.append((constant + float(np.sum(sigma**2) - sum(sigma[i] ** 2 for i in chosen)), w.ravel()))
    return sorted(points, key=lambda p: p[0])


@pytest.mark.parametrize(("widths", "n_points"), [("4,2,4", 30), ("6,3,6", 40), ("10,5,10", 40), ("3,1,2", 9), ("2,1,3", 9)])
def test_linear_landscapes_are_eckart_young_after_whitening_without_macaulay2(widths, n_points):
    arch = Architecture.create(widths, "x")
    data = Dataset.random(arch, n_points, seed=2)
    result = landscape(arch, dataset=data)
    m, r = min(arch.input_dim, arch.output_dim), min(arch.widths)
    assert result.m2_version is None and result.seconds < 1.0
    assert result.learning_degree == len(result.critical_points) == comb(m, r) and result.counts.proved
    expected = partial_svd_points(arch, data)
    for point, (value, w) in zip(sorted(result.critical_points, key=lambda p: p.loss), expected):
        assert point.loss == pytest.approx(value, rel=1e-9)
        assert np.allclose(point.approximate, w, rtol=1e-7, atol=1e-9 * np.max(np.abs(w)))
        assert not point.exact["rational"] and all(c.startswith("[") and "+/-" in c for c in point.coefficients)
    assert sum(p.type == "minimum" for p in result.critical_points) == 1
    assert result.infimum.attained and result.infimum.value == pytest.approx(expected[0][0], rel=1e-12)
    assert [s["critical_points"] for s in result.infimum.extra["rank_strata"]] == [comb(m, k) for k in range(r, -1, -1)]


@pytest.mark.parametrize("bias", [False, True])
@pytest.mark.parametrize("widths", ["2,1,2", "3,2,3", "3,1,2", "2,1,3"])
def test_linear_eckart_young_points_are_the_lagrange_ideals_critical_points(session, widths, bias):
    arch = Architecture.create(widths, "x", bias=bias)  # with biases: b optimal for W, the Schur complement of Q
    space = AmbientSpace.of(arch)
    data = Dataset.random(arch, 11, seed=5)
    lagrange = critical_set(session, generators(arch, session), Metric.of(space, data))
    closed = landscape(arch, dataset=data)
    assert lagrange.count == closed.learning_degree
    ordered = [sorted(points, key=lambda p: p.loss) for points in (lagrange.points, closed.critical_points)]
    for ours, theirs in zip(*ordered):
        assert (ours.type, ours.index) == (theirs.type, theirs.index)
        assert ours.loss == pytest.approx(theirs.loss, rel=1e-12)
        assert np.allclose(ours.approximate, theirs.approximate, rtol=1e-9, atol=1e-12)


def test_linear_eckart_young_is_exact_over_qq_when_the_spectrum_is_rational():
    arch = Architecture.create("2,1,2", "x")
    # Q = I (the unit vectors) and T = diag(3, 1): K = T Q Tᵀ = diag(9, 1); rank 1: keep 3 (loss 1) or 1 (loss 9)
    data = Dataset.from_pairs([((1, 0), (3, 0)), ((0, 1), (0, 1))])
    result = landscape(arch, dataset=data)
    assert [(p.coefficients, p.loss_interval, p.type) for p in result.critical_points] == [
        (("3", "0", "0", "0"), "1", "minimum"), (("0", "0", "0", "1"), "9", "saddle")]
    assert result.infimum.interval == "1" and result.infimum.attained


def test_a_repeated_singular_value_is_reported_and_the_infimum_still_given():
    arch = Architecture.create("2,1,2", "x")
    # Q = I, T = I: singular values 1, 1; every rank-1 orthogonal projector P is a best approximation, ‖I − P‖² = 1
    result = landscape(arch, dataset=Dataset.from_pairs([((1, 0), (1, 0)), ((0, 1), (0, 1))]))
    assert result.learning_degree is None and result.critical_points == () and not result.counts.proved
    assert any("repeated or zero squared singular values" in note for note in result.notes)
    assert result.infimum.attained and result.infimum.interval == "1"


def test_command_line_answers_a_10_5_10_linear_landscape_in_under_a_second(capsys):
    assert main(["landscape", "--widths", "10,5,10", "--activation", "x", "--random-data", "40", "--json"]) == 0
    answer = json.loads(capsys.readouterr().out)
    assert answer["learning_degree"] == comb(10, 5) == len(answer["critical_points"]) and answer["seconds"] < 1.0
    assert answer["infimum"]["attained"] and answer["m2_version"] is None


def quadratic_network_values(weights: list, points: list) -> list:
    """(3,2,1), σ = x², no biases: w1 (2 × 3, row-major), then w2 (1 × 2); any number type (mpmath here)."""
    w1, w2 = weights[:6], weights[6:]
    return [sum(w2[i] * sum(w1[3 * i + j] * x[j] for j in range(3)) ** 2 for i in range(2)) for x in points]


def test_x2_on_four_points_the_infimum_0_is_attained_by_certified_weights(session):
    import mpmath

    arch = Architecture.create("3,2,1", "x^2")  # X: the quadrics of rank ≤ 2, a cubic hypersurface; G has rank 4 < 6
    result = landscape(arch, data=str(DATA / "landscape-321-x2-4points.csv"), numerical=False, session=session)
    inf = result.infimum
    assert inf.attained is True and inf.value == 0 and inf.interval == "0" and inf.proved.startswith("proved")
    # the printed (15-digit) weights interpolate the data to their rounding, computed with 50 digits
    data = result.dataset
    points = [[mpmath.mpf(Fraction(v).numerator) / Fraction(v).denominator for v in a] for a in data.inputs]
    with mpmath.workdps(50):
        values = quadratic_network_values([mpmath.mpf(w) for w in inf.weights], points)
        residual = max(abs(v - float(b[0])) for v, b in zip(values, data.outputs))
    assert residual < 1e-10
    # independently, an exact interpolating network: f = a1 x1² + a2 (p x1 + x2 + r x3)², with a1, a2, p polynomials
    # in r, a real root of a cubic (lex Gröbner basis in sympy), checked exactly in QQ[r]/(cubic)
    a1, a2, p, r = sympy.symbols("a1 a2 p r")
    equations = [a1 * x * x + a2 * (p * x + y + r * z) ** 2 - b[0]
                 for (x, y, z), b in zip(data.inputs, data.outputs)]
    basis = sympy.groebner(equations, a1, a2, p, r, order="lex").exprs
    cubic = sympy.Poly(basis[-1], r)
    assert cubic.degree() == 3 and cubic.count_roots() >= 1  # a real root: real weights
    shape = {v: sympy.solve(g, v)[0] for g, v in zip(basis[:-1], (a1, a2, p))}
    assert all(sympy.Poly(g, a1, a2, p).total_degree() == 1 and set(shape[v].free_symbols) <= {r}
               for g, v in zip(basis[:-1], (a1, a2, p)))
    for equation in equations:
        reduced = sympy.together(equation.subs(shape))
        numerator, denominator = sympy.fraction(reduced)
        assert sympy.rem(sympy.Poly(numerator, r), cubic).is_zero
        assert not sympy.rem(sympy.Poly(denominator, r), cubic).is_zero  # no pole at the root

