"""The secant count of the learning degree (neurom2.training.secant): its chart, its equations, and its count against
the subspace count (itself checked against the Lagrange count in test_subspace.py)."""

import time
from fractions import Fraction

import numpy as np
import pytest

from neurom2 import Architecture
from neurom2.errors import InvalidInput, TimeLimitExceeded, TooExpensive
from neurom2.model.space import AmbientSpace
from neurom2.training import secant, subspace
from neurom2.training.critical import PRIMES, Metric
from neurom2.training.dataset import Dataset
from neurom2.training.landscape import generic_count, landscape, learning_degree_command

QUARTICS = Architecture.create("3,2,1", "x^4")


def _family(arch: Architecture = QUARTICS, seed: int = 1) -> tuple[secant._SecantFamily, np.random.Generator]:
    rng = np.random.default_rng(seed)
    space = AmbientSpace.of(arch)
    return secant._SecantFamily(space, _metric(arch).gram, rng), rng


def _metric(arch: Architecture) -> Metric:
    space = AmbientSpace.of(arch)
    return Metric.of(space, Dataset.random(arch, 2 * len(space.monomials) + 2, seed=0))


def _random_points(rng: np.random.Generator, count: int) -> tuple[np.ndarray, np.ndarray]:
    theta = rng.normal(size=(count, 6)) + 1j * rng.normal(size=(count, 6))
    frames, _ = np.linalg.qr(rng.normal(size=(count, 3, 3)) + 1j * rng.normal(size=(count, 3, 3)))
    return theta, frames


def _linear_forms(theta: np.ndarray, frames: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """l₁, l₂ (as vectors of coefficients in x) and a, b with f = a l₁^D + b l₂^D, from the roots of z² − e₁z + e₂."""
    v, e, c = theta[:, :2], theta[:, 2:4], theta[:, 4:]
    root = np.sqrt(e[:, 0] ** 2 / 4 - e[:, 1])
    roots = np.stack([e[:, 0] / 2 + root, e[:, 0] / 2 - root], axis=1)
    s_row = frames[:, 1] - v[:, :1] * frames[:, 0]
    t_row = frames[:, 2] - v[:, 1:] * frames[:, 0]
    forms = s_row[:, None] + roots[..., None] * t_row[:, None]
    split = c[:, 1] / (roots[:, 0] - roots[:, 1])
    return forms, np.stack([c[:, 0] + split, c[:, 0] - split], axis=1)


def test_secant_count_applies_to_sigma_2_of_the_veronese_surface():
    assert secant.applies(QUARTICS, 6)
    assert secant.applies(Architecture.create("3,2,1", "x^5"), 6)
    assert secant.applies(Architecture.create("3,2,1", "x^3"), 6)
    assert not secant.applies(QUARTICS, 7)
    assert not secant.applies(Architecture.create("3,2,1", "x^2"), 5)
    assert not secant.applies(Architecture.create("3,2,1", "x^4", bias=True), 6)
    assert not secant.applies(Architecture.create("3,2,1", "x^4+x"), 6)
    assert not secant.applies(Architecture.create("4,2,1", "x^4"), 8)
    assert not secant.applies(Architecture.create("3,2,2,1", "x^2"), 7)
    assert generic_count(QUARTICS, 6) == "secant"
    assert generic_count(Architecture.create("3,2,1", "x^3"), 6) == "subspace"  # the modular count comes first


@pytest.mark.parametrize("degree", [3, 4, 5])
def test_the_chart_is_a_sum_of_two_dth_powers(degree):
    """f(θ) from the recurrences equals a l₁^D + b l₂^D computed from the roots, at the evaluation points."""
    family, rng = _family(Architecture.create("3,2,1", f"x^{degree}"))
    theta, frames = _random_points(rng, 5)
    forms, weights = _linear_forms(theta, frames)
    direct = np.einsum("pi,pin->pn", weights, np.einsum("pij,nj->pin", forms, family.points) ** degree)
    assert np.allclose(family.values(theta, frames), direct, rtol=1e-9, atol=1e-9)


@pytest.mark.parametrize("degree", [3, 4, 5])
def test_the_evaluation_points_are_well_conditioned(degree):
    """The Veronese matrix at the picked unimodular points has condition below 10 (at random real points in [−1, 1]³
    it is 10² to 10⁵), and the points' coordinates have modulus one."""
    family, rng = _family(Architecture.create("3,2,1", f"x^{degree}"))
    real = AmbientSpace.of(Architecture.create("3,2,1", f"x^{degree}")).veronese(rng.uniform(-1, 1, (len(family.points), 3)))
    assert np.allclose(np.abs(family.points), 1)
    assert np.linalg.cond(family.veronese) < 10 < np.linalg.cond(real)


def test_the_tangent_vectors_span_the_tangent_space():
    """A spans l₁^(D−1)·V₁ + l₂^(D−1)·V₁ (computed from the roots), so its equations say Q(f − u) ⊥ T_f X."""
    family, rng = _family()
    theta, frames = _random_points(rng, 4)
    forms, _ = _linear_forms(theta, frames)
    vectors = family.tangents(theta, frames)
    at_points = np.einsum("pij,nj->pin", forms, family.points)
    direct = np.concatenate([(at_points[:, i, :, None] ** 3) * family.points[None] for i in range(2)], axis=2)
    for p in range(len(theta)):
        assert np.linalg.matrix_rank(vectors[p], tol=1e-8) == 6
        assert np.linalg.matrix_rank(np.concatenate([vectors[p], direct[p]], axis=1), tol=1e-8) == 6


def test_the_derivatives_of_the_equations_match_finite_differences():
    """In θ, and in s along a segment of parameters that moves both the center and the metric."""
    family, rng = _family()
    theta, frames = _random_points(rng, 3)
    base = secant.Parameters(rng.normal(size=15) + 0j, family.metric)
    segment = (base, secant._random_parameters(rng, base))
    s = np.array([0.0, 0.3, 0.7])
    _, jacobian, moved = family.system(theta, frames, segment, s)
    step = 1e-6
    for i in range(6):
        shift = step * np.eye(6)[i]
        numeric = (family.system(theta + shift, frames, segment, s)[0]
                   - family.system(theta - shift, frames, segment, s)[0]) / (2 * step)
        assert np.abs(numeric - jacobian[:, :, i]).max() < 1e-7 * np.abs(jacobian).max()
    numeric = (family.system(theta, frames, segment, s + step)[0]
               - family.system(theta, frames, segment, s - step)[0]) / (2 * step)
    assert np.abs(numeric - moved).max() < 1e-7 * np.abs(moved).max()


def test_rechart_keeps_the_form_and_centres_the_chart():
    family, rng = _family()
    theta, frames = _random_points(rng, 6)
    new, new_frames = family.rechart(theta, frames)
    assert np.allclose(family.values(new, new_frames), family.values(theta, frames), rtol=1e-10, atol=1e-10)
    assert np.allclose(new[:, :2], 0)
    assert np.allclose(np.einsum("pij,pkj->pik", new_frames, new_frames.conj()), np.eye(3))  # unitary
    roots = np.stack([np.roots([1, -e1, e2]) for e1, e2 in new[:, 2:4]])
    assert np.abs(roots).max() <= 1 + 1e-9
    start, start_frame, base = family.start(rng)
    at_base = ((base, base), np.zeros(1))
    assert np.abs(family.system(start, start_frame, *at_base)[0]).max() < 1e-12
    moved, moved_frame = family.rechart(start, start_frame)
    assert np.abs(family.system(moved, moved_frame, *at_base)[0]).max() < 1e-12  # still a solution


@pytest.mark.macaulay2
@pytest.mark.parametrize("metric", ["moment", "indefinite"])
def test_secant_count_equals_the_subspace_count_for_sums_of_two_cubes(session, monkeypatch, metric):
    """(3,2,1) x³: X = σ₂(ν₃(P²)) = Sub₂, counted two independent ways (monodromy in floating point; Gröbner bases
    modulo primes); with small chunks of paths shared by the two threads, and for an indefinite metric."""
    arch = Architecture.create("3,2,1", "x^3")
    gram, center = _metric(arch).gram, _metric(arch).center
    if metric == "indefinite":
        rng = np.random.default_rng(3)
        upper = rng.integers(-9, 10, size=(10, 10))
        gram = [[Fraction(int(upper[min(i, j), max(i, j)])) for j in range(10)] for i in range(10)]
        assert np.linalg.eigvalsh(np.array(gram, dtype=float)).min() < 0
    monkeypatch.setattr(secant, "CHUNK_PATHS", 8)
    counted = secant.secant_count(arch, 6, gram, center, seed=0)
    modular = subspace.subspace_counts(session, arch, 6, gram, center, PRIMES)
    assert counted.complete and counted.trace_defect < secant.TRACE_TOLERANCE
    assert {m.count for m in modular} == {counted.count}
    assert counted.to_json()["degree"] == counted.count and counted.to_json()["dim"] == 0


def test_secant_count_stops_at_its_time_limit():
    """The deadline is checked between chunks of paths; compiling the kernels (once per install) is not
    interruptible, so it happens first."""
    secant.compile_kernels()
    assert secant.compile_kernels() < 5  # from the cache
    metric = _metric(QUARTICS)
    began = time.perf_counter()
    with pytest.raises(TimeLimitExceeded):
        secant.secant_count(QUARTICS, 6, metric.gram, metric.center, timeout=1.0)
    assert time.perf_counter() - began < 15


def test_secant_count_refuses_other_networks():
    with pytest.raises(InvalidInput, match="secant count needs"):
        secant.secant_count(Architecture.create("4,2,1", "x^4"), 8, [], [])


def test_the_trace_test_sees_one_missing_solution():
    """The solutions monodromy found over z₀ for (3,2,1) x³ pass the trace test; without any one of them it fails."""
    arch = Architecture.create("3,2,1", "x^3")
    family, rng = _family(arch, seed=0)
    tracker = secant._Tracker(family)
    solutions, frames, base, _, defect = secant._monodromy(family, tracker, rng, None)

    def directions() -> np.ndarray:
        return secant._random_center(rng, base)

    assert len(solutions) == 219 and defect < secant.TRACE_TOLERANCE
    assert secant._trace_defect(tracker, solutions, frames, base, directions) < secant.TRACE_TOLERANCE
    for dropped in (0, 100):
        keep = np.arange(len(solutions)) != dropped
        assert secant._trace_defect(tracker, solutions[keep], frames[keep], base, directions) > 1e-5


@pytest.mark.macaulay2
def test_a_refused_landscape_names_the_command_that_counts_the_learning_degree(session):
    """The data's Lagrange ideal of (3,2,1) x⁴ is refused (about 42 h); the refusal names the geometry command, whose
    secant count does not build it."""
    with pytest.raises(TooExpensive, match="refused: Lagrange ideal") as refused:
        landscape(QUARTICS, random_data=1, session=session)
    assert learning_degree_command(QUARTICS) in str(refused.value)
    assert learning_degree_command(QUARTICS) == "neurom2 geometry --widths 3,2,1 --activation 'x^4' --only dictionary"
    with pytest.raises(TooExpensive) as lagrange:  # a count that builds the Lagrange ideal: no such hint
        landscape(Architecture.create("4,2,1", "x^3"), random_data=1, session=session)
    assert "geometry" not in str(lagrange.value)
