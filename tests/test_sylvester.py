"""Binary forms of real Waring rank ≤ 2 (:mod:`neurom2.training.sylvester`): the least loss over the tangential
variety {ℓ^(d−1)·m} checked against an independent numpy minimization on the data (Levenberg–Marquardt over the
parametrization from many starts), the catalecticant minors checked on forms built independently, and the
infimum over M(R) of (2,2,1) x⁴ settled by ``landscape`` and checked by Sylvester's kernel (numpy), descent on
the tangential variety and a forward evaluation of the attaining weights (mpmath)."""

from __future__ import annotations

import random
from fractions import Fraction
from math import comb
from pathlib import Path

import numpy as np
import pytest

from neurom2 import Architecture, implicitize
from neurom2.deadline import Deadline
from neurom2.exact.terms import terms_from_polynomial
from neurom2.model.space import AmbientSpace
from neurom2.training.critical import Metric, critical_set
from neurom2.training.dataset import Dataset
from neurom2.training.infimum import stratification
from neurom2.training.landscape import landscape
from neurom2.training.sylvester import catalecticant_minors, degree, power_minimum, tangential_minimum

DATA = Path(__file__).parent / "data"


def loss_by_descent(dataset: Dataset, d: int, k: int = 1, starts: int = 200, seed: int = 1) -> float:
    """min over real ℓ = s·x1 + t·x2 and forms m of degree k of Σ_j (ℓ^(d−k)·m − y)² on the data points themselves
    (k = 1: the tangential variety, k = 0: the d-th powers), by Levenberg–Marquardt from random starts (numpy,
    floating point; a heuristic minimum, an upper bound)."""
    x = np.array([[float(v) for v in a] for a in dataset.inputs])
    y = np.array([float(b[0]) for b in dataset.outputs])
    monomials = np.stack([x[:, 0] ** (k - j) * x[:, 1] ** j for j in range(k + 1)], axis=1)

    def residual(p: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        ell, m = p[0] * x[:, 0] + p[1] * x[:, 1], monomials @ p[2:]
        power = ell ** (d - k - 1)
        jacobian = np.concatenate([np.stack([(d - k) * power * x[:, 0] * m, (d - k) * power * x[:, 1] * m], axis=1),
                                   (power * ell)[:, None] * monomials], axis=1)
        return power * ell * m - y, jacobian

    rng, best, size = np.random.default_rng(seed), np.inf, k + 3
    for _ in range(starts):
        p, damping = rng.normal(size=size), 1e-3
        r, jac = residual(p)
        for _ in range(300):
            step = np.linalg.lstsq(jac.T @ jac + damping * np.eye(size), -jac.T @ r, rcond=None)[0]
            r_new, _ = residual(p + step)
            if r_new @ r_new < r @ r:
                p, damping = p + step, damping / 3
                scale = np.hypot(p[0], p[1])  # ℓ/λ, m·λ^(d−k): the same form, ℓ kept of norm 1
                p = np.concatenate([p[:2] / scale, p[2:] * scale ** (d - k)])
                r, jac = residual(p)
            else:
                damping *= 4
            if damping > 1e12:
                break
        best = min(best, float(r @ r))
    return best


def metric_of(arch: Architecture, dataset: Dataset) -> Metric:
    return Metric.of(AmbientSpace.of(arch), dataset)


@pytest.mark.parametrize("k, least", [(1, tangential_minimum), (0, power_minimum)])
@pytest.mark.parametrize("d, dataset", [
    (4, Dataset.read_csv(DATA / "landscape-221-x4.csv")),
    (5, Dataset.random(Architecture.create("2,2,1", "x^5"), 12, seed=3)),
    (6, Dataset.random(Architecture.create("2,2,1", "x^6"), 14, seed=5)),
])
def test_the_least_loss_on_the_tangential_variety_and_the_powers_agrees_with_descent_on_the_data(d, dataset, k, least):
    arch = Architecture.create("2,2,1", f"x^{d}")
    found = least(metric_of(arch, dataset), d)
    descent = loss_by_descent(dataset, d, k)
    # the certified lower bound is below every value descent reaches, and descent reaches the minimum found
    assert float(found.lower) <= descent + 1e-9 * descent
    assert descent == pytest.approx(found.value, rel=1e-8)
    assert float(found.lower) == pytest.approx(found.value, rel=1e-12)
    # the reported argmin is a form ℓ^(d−k)·m of that loss: on the data, its values give the loss
    x = np.array([[float(v) for v in a] for a in dataset.inputs])
    y = np.array([float(b[0]) for b in dataset.outputs])
    values = sum(c * x[:, 0] ** (d - i) * x[:, 1] ** i for i, c in enumerate(found.argmin))
    assert float(np.sum((values - y) ** 2)) == pytest.approx(found.value, rel=1e-8)


def test_the_tangential_minimum_at_infinity_is_found():
    # data y = x2^4 exactly (a form on B with ℓ = x2, the point t = ∞ of the chart ℓ = x1 + t·x2): minimum 0 there
    arch = Architecture.create("2,2,1", "x^4")
    rng = random.Random(7)
    points = {(rng.randint(-4, 4), rng.randint(-4, 4)) for _ in range(40)}
    dataset = Dataset.from_pairs([((a, b), (b**4,)) for a, b in sorted(points)][:12])
    found = tangential_minimum(metric_of(arch, dataset), 4)
    assert found.t is None and found.lower <= 0 <= found.ball.upper() and abs(found.value) < 1e-30


def forms(d: int, rng: random.Random, terms: int) -> list[Fraction]:
    """The coordinates (coefficients of x1^(d−i)·x2^i) of Σ_k a_k·(p_k·x1 + q_k·x2)^d, random rationals (exact)."""
    coefficients = [Fraction(0)] * (d + 1)
    for _ in range(terms):
        a, p, q = (Fraction(rng.randint(-9, 9), rng.randint(1, 5)) for _ in range(3))
        for i in range(d + 1):
            coefficients[i] += a * comb(d, i) * p ** (d - i) * q**i
    return coefficients


def evaluate(terms: dict, point: list[Fraction]) -> Fraction:
    total = Fraction(0)
    for exponents, coefficient in terms.items():
        value = coefficient
        for x, e in zip(point, exponents):
            value *= x**e
        total += value
    return total


@pytest.mark.parametrize("d", [4, 5, 6])
def test_the_catalecticant_minors_cut_out_the_powers(d):
    rng = random.Random(d)
    minors = catalecticant_minors(d)
    for _ in range(5):
        assert all(evaluate(m, forms(d, rng, 1)) == 0 for m in minors)
        assert any(evaluate(m, forms(d, rng, 2)) != 0 for m in minors)


@pytest.mark.parametrize("widths, activation, bias, expected", [
    ("2,2,1", "x^4", False, 4), ("2,2,1", "x^7", False, 7), ("2,2,1", "x^3", False, None), ("2,2,1", "x^4", True, None),
    ("2,2,1", "x^4 + x", False, None), ("3,2,1", "x^4", False, None), ("2,3,1", "x^4", False, None),
])
def test_the_theorem_applies_to_two_hidden_neurons_on_binary_forms_only(widths, activation, bias, expected):
    assert degree(Architecture.create(widths, activation, bias)) == expected


def sylvester_discriminant(quartic: list[float]) -> float:
    """For a binary quartic Σ c_j x^(4−j) y^j on the catalecticant hypersurface: c = a1 (x + s y)⁴ + a2 (x + t y)⁴
    with s, t the roots of the kernel quadratic of the Hankel matrix of m_j = c_j / C(4, j) (Sylvester); its
    discriminant > 0 iff s, t are real, i.e. iff real weights give c (numpy)."""
    m = [c / comb(4, j) for j, c in enumerate(quartic)]
    hankel = np.array([[m[0], m[1], m[2]], [m[1], m[2], m[3]], [m[2], m[3], m[4]]])
    k0, k1, k2 = np.linalg.svd(hankel)[2][-1]
    return float(k1 * k1 - 4 * k0 * k2)


def forward_loss(weights: list[str], dataset: Dataset, d: int) -> float:
    """Σ (a1·(w11·x1 + w12·x2)^d + a2·(w21·x1 + w22·x2)^d − y)² with 50 digits (mpmath), weights in θ's order
    (decimals or rationals)."""
    import mpmath

    with mpmath.workdps(50):
        w = [mpmath.mpf(q.numerator) / q.denominator for q in map(Fraction, weights)]
        values = [w[4] * (w[0] * float(a[0]) + w[1] * float(a[1])) ** d + w[5] * (w[2] * float(a[0]) + w[3] * float(a[1])) ** d
                  for a in dataset.inputs]
        return float(sum((v - float(b[0])) ** 2 for v, b in zip(values, dataset.outputs)))


@pytest.mark.macaulay2
def test_x4_reachability_decided_for_every_real_critical_point_and_the_infimum_settled(session):
    arch = Architecture.create("2,2,1", "x^4")  # X: the catalecticant hypersurface of binary quartics
    result = landscape(arch, data=str(DATA / "landscape-221-x4.csv"), numerical=False, session=session)
    space = result.space
    order = [space.monomials.index((4 - j, j)) for j in range(5)]
    lowest, second, *others = sorted(result.critical_points, key=lambda p: p.loss)
    # Sylvester, independently: the lowest point is a sum of two complex conjugate fourth powers (not in M(R)), the
    # second-lowest a sum of real ones; every real critical point is decided, and as Sylvester says
    assert sylvester_discriminant([lowest.approximate[k] for k in order]) < 0 < sylvester_discriminant(
        [second.approximate[k] for k in order])
    assert lowest.reached is False and lowest.reach_method.startswith("no real weights in any covering chart")
    assert second.reached is True and second.reach_method.startswith("real weights certified")
    for point in result.critical_points:
        assert point.reached is (sylvester_discriminant([point.approximate[k] for k in order]) > 0)
    # the infimum: the second point, attained, because the tangential variety (where M(R)'s closure leaves M(R))
    # stays above it — by descent on the data over ℓ³·m from many starts, independently of the exact minimum
    inf = result.infimum
    assert inf.attained is True and inf.value == second.loss and inf.proved.startswith("proved")
    assert "with high probability" not in inf.proved  # X is a hypersurface: its critical points are complete
    assert inf.extra["strata_in_rational_normal_curve"] == ["Sing X", "Sing Sing X"]  # not needed: inside B
    descent = loss_by_descent(result.dataset, 4)
    assert descent > inf.value + 0.1 and inf.extra["tangential"]["value"] == pytest.approx(descent, rel=1e-8)
    # the attaining weights, evaluated forward with 50 digits, give the value
    assert forward_loss(list(inf.weights), result.dataset, 4) == pytest.approx(inf.value, rel=1e-9)


@pytest.mark.macaulay2
def test_x4_data_whose_infimum_is_on_the_tangential_variety_and_not_attained(session):
    arch = Architecture.create("2,2,1", "x^4")
    result = landscape(arch, random_data=12, seed=3, numerical=False, session=session)
    inf, data = result.infimum, result.dataset
    order = [result.space.monomials.index((4 - j, j)) for j in range(5)]
    lowest = min(result.critical_points, key=lambda p: p.loss)
    reached = [p.loss for p in result.critical_points if p.reached]
    # the critical points as Sylvester's kernel says (numpy): the least one is not in M(R), the reached ones are
    for point in result.critical_points:
        assert point.reached is (sylvester_discriminant([point.approximate[k] for k in order]) > 0)
    # the value: the least loss over ℓ³·m by descent on the data, between the least critical loss over X(R) and the
    # least reached one; not attained: the fourth powers (B(R) ∩ M(R)) stay above, by descent too
    descent = loss_by_descent(data, 4)
    assert inf.value == pytest.approx(descent, rel=1e-8) and lowest.loss < inf.value < min(reached) - 1
    assert inf.attained is False and inf.proved.startswith("proved") and "not attained" in inf.proved
    assert loss_by_descent(data, 4, k=0) > inf.value + 1
    # the least loss on the fourth powers is also the least critical loss Macaulay2 finds on Sing X (their cone), by
    # the Lagrange ideal, not computed by landscape (its points lie on B)
    assert inf.extra["strata_in_rational_normal_curve"] == ["Sing X", "Sing Sing X"]
    equations = [terms_from_polynomial(eq) for eq in implicitize(arch, session=session).equations]
    singular = stratification(session, equations, 5, "X", Deadline.coerce(None))[1]
    powers = critical_set(session, singular.generators, Metric.of(result.space, data))
    assert inf.extra["powers"]["value"] == pytest.approx(min(p.loss for p in powers.points), rel=1e-12)
    # exact real networks approaching it, their loss evaluated forward with 50 digits: upper bounds tending to it
    losses = [forward_loss(step["weights"], data, 4) for step in inf.approach]
    assert losses == pytest.approx([step["loss"] for step in inf.approach], rel=1e-12)
    assert all(a > b >= inf.value * (1 - 1e-12) for a, b in zip(losses, losses[1:]))
    assert losses[-1] - inf.value < 1e-6 * inf.value
    norms = [step["weight_norm"] for step in inf.approach]
    assert norms == sorted(norms) and norms[-1] > 1e5
