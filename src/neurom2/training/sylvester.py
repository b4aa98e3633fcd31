"""Binary forms of real Waring rank ≤ 2: the real neuromanifold of (2,2,1), σ = x^d, and the least loss on
the tangential variety, where its boundary lies.

Conventions: V = R[x1,x2]_d with the coordinates c_i = the coefficient of x1^{d−i}·x2^i (i = 0..d, the order of
:class:`~neurom2.model.space.AmbientSpace`), f_i = c_i / C(d, i) the *normalized* coefficients, and the
catalecticant Cat_2(f) the (d − 1) × 3 Hankel matrix (f_{j+k}) (j = 0..d−2, k = 0..2), whose kernel is the space
of quadratic operators q = k_0·∂_1² + k_1·∂_1∂_2 + k_2·∂_2² apolar to f (q(∂)f = 0); ℓ^⊥ = β·∂_1 − α·∂_2 kills
ℓ^d for ℓ = α·x1 + β·x2.  The network (2,2,1) with σ = x^d and no biases
computes f = a_1·ℓ_1^d + a_2·ℓ_2^d (ℓ_k = w_k1·x1 + w_k2·x2), so M(R) = {a_1ℓ_1^d + a_2ℓ_2^d : a, ℓ real} and its
Zariski closure X is the cone over the secant variety σ_2(ν_d), {rank Cat_2 ≤ 2}, a proper subvariety of V
for d ≥ 4.  Let B = Tan(ν_d) = {ℓ^{d−1}·m}, the cone over the tangential surface, and R_1 = {c·ℓ^d} ⊆ B.

**Theorem** (for d ≥ 4; proof from Sylvester's theorem).  M(R) = R_1(R) ∪ W, with
W = {f ∈ X(R) : rank Cat_2(f) = 2 and the apolar quadric of f has two distinct real roots}, W open in X(R),
and closure(M(R)) ⊆ W ∪ B(R).

*Proof.*  Sylvester's theorem over a subfield K of C (Reznick, "On the length of binary forms", 2013,
Theorem 2.1; over R it is the basis of Comon–Ottaviani, "On the typical rank of real binary forms", 2012):
for pairwise non-proportional linear forms ℓ_1, …, ℓ_r (r ≤ d) over K, f = Σ λ_k·ℓ_k^d with λ_k ∈ C iff the
product of the ℓ_k^⊥ is apolar to f, and then λ_k ∈ K (they solve a linear system over K with a unique
solution, the ℓ_k^d being independent).  On X, rank Cat_2 ≤ 2 (Cat_2 is linear, of rank ≤ 2 on M), and
rank Cat_2(f) ≤ 1 iff f = c·ℓ^d (the 2 × 2 minors of a catalecticant cut out the cone over the rational normal
curve: Eisenbud, "Linear sections of determinantal varieties", 1988; for real f, ℓ and c are real, as ℓ's
d-fold root is unique).  If rank Cat_2(f) = 2, its kernel is one
quadric q, real up to scale: if q has distinct real roots, f is in M(R) (Sylvester over R); otherwise f is not,
since f = a_1ℓ_1^d + a_2ℓ_2^d with non-proportional real ℓ_k and a_k ≠ 0 makes ℓ_1^⊥ℓ_2^⊥ (distinct real roots)
apolar, hence proportional to q, and fewer terms give rank ≤ 1.  The kernel of a matrix of constant rank is
continuous, so W is open in X(R); a point of closure(M(R)) outside W ∪ R_1 has rank 2 and an apolar quadric
that is a limit of quadrics with real distinct roots, with non-positive discriminant: a real square m², and
m²(∂)f = 0 makes f = ℓ^{d−1}·n with ℓ = m^⊥ real (in coordinates where m = ∂_2: ∂_2²f = 0).  ∎

Conversely B(R) ⊆ closure(M(R)): ℓ^{d−1}·m = lim_{ε→0} ((ℓ + ε·m)^d − ℓ^d)/(d·ε), real networks whose output
weights ±1/(d·ε) grow without bound (:func:`approach`).  So closure(M(R)) = W ∪ B(R), and B(R) ∩ M(R) = R_1(R)
(a point ℓ^{d−1}·m with m not proportional to ℓ has rank 2 and the apolar quadric (ℓ^⊥)²).

Every real point of B is ℓ^{d−1}·m with ℓ, m real (ℓ^{d−1} is the unique factor of multiplicity ≥ d − 1 > d/2,
so conjugation fixes it).  Hence the least loss over B(R) is a one-variable problem (:func:`tangential_minimum`):
for ℓ = x1 + t·x2 the forms ℓ^{d−1}·m fill the plane spanned by the columns of A(t) = [x1·ℓ^{d−1}, x2·ℓ^{d−1}],
L's minimum over it is φ(t) = L(0) − h(t)/D(t) (M = AᵀGA, r = AᵀG·u, D = det M > 0, h = rᵀ·adj(M)·r: least
squares in the plane), and ℓ = x2 is the point t = ∞ of the circle P¹(R).  φ is continuous on P¹(R), so its
minimum is φ(∞) or φ at a real root of h′D − hD′ (exact over QQ; roots isolated by Arb, values as balls).
The least loss over R_1(R) = {c·ℓ^d} is the same problem on the line of ℓ^d (:func:`power_minimum`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from functools import reduce
from itertools import combinations
from math import comb
from typing import Any

import flint

from neurom2.exact.rationals import fmpq as as_fmpq
from neurom2.exact.roots import precision, real_roots
from neurom2.exact.terms import Terms
from neurom2.model.architecture import Architecture
from neurom2.training.critical import Metric, interval_text

BITS = 256
"""Working precision of the roots of h′D − hD′ and of φ at them."""
LEAST_DEGREE = 4
"""σ = x^d with d ≥ 4: below, (2,2,1) fills V (d = 2, 3) and the theorem is not needed."""


def degree(arch: Architecture) -> int | None:
    """d when ``arch`` is (2,2,1) with σ = x^d (σ a monomial), no biases, d ≥ 4 (the theorem applies), else None."""
    d = arch.activation.degree
    applies = arch.widths == (2, 2, 1) and not arch.bias and arch.activation.is_monomial and d >= LEAST_DEGREE
    return d if applies else None


def catalecticant_minors(d: int) -> list[Terms]:
    """The 2 × 2 minors of Cat_2 in the coordinates c_0..c_d: they cut out R_1 = {c·ℓ^d} (module docstring)."""
    def entry(i: int) -> tuple[int, Fraction]:
        return i, Fraction(1, comb(d, i))

    def product(a: tuple[int, Fraction], b: tuple[int, Fraction]) -> Terms:
        exponents = [0] * (d + 1)
        exponents[a[0]] += 1
        exponents[b[0]] += 1
        return {tuple(exponents): a[1] * b[1]}

    minors = []
    for (j1, j2) in combinations(range(3), 2):
        for (k1, k2) in combinations(range(d - 1), 2):
            minor = dict(product(entry(j1 + k1), entry(j2 + k2)))
            for monomial, value in product(entry(j1 + k2), entry(j2 + k1)).items():
                minor[monomial] = minor.get(monomial, Fraction(0)) - value
            minor = {m: v for m, v in minor.items() if v}
            if minor and minor not in minors:
                minors.append(minor)
    return minors


def family(d: int, k: int, infinite: bool = False) -> list[list[flint.fmpq_poly]]:
    """The columns ℓ^{d−k}·x1^{k−j}·x2^j (j = 0..k) for ℓ = x1 + t·x2, as coordinates polynomial in t; with
    ``infinite``, for ℓ = x2 (t = ∞), constant.  k = 1: the plane {ℓ^{d−1}·m} of B; k = 0: the line of ℓ^d."""
    def entry(i: int, j: int) -> flint.fmpq_poly:
        if infinite:
            return flint.fmpq_poly([int(i == d - k + j)])
        return flint.fmpq_poly([0] * (i - j) + [comb(d - k, i - j)]) if 0 <= i - j <= d - k else flint.fmpq_poly([])

    return [[entry(i, j) for i in range(d + 1)] for j in range(k + 1)]


@dataclass(frozen=True, kw_only=True)
class Least:
    """min L over the union of the spans of :func:`family` (d, k) over t ∈ P¹(R) (module docstring): a certified
    lower bound ``lower`` (an exact arb), the ball of L at the best critical t, where (t, None for ∞), the
    least-squares ``weights`` of the columns there and the point (floats), and the number of real critical t."""

    lower: flint.arb
    ball: flint.arb
    t: float | None
    weights: tuple[float, ...]
    argmin: tuple[float, ...]
    critical: int

    @property
    def value(self) -> float:
        """The least loss, the midpoint of its ball."""
        return float(self.ball.mid())

    def to_json(self) -> dict[str, Any]:
        """The least loss over the family as JSON."""
        return {"value": self.value, "interval": interval_text(self.ball), "lower_bound": float(self.lower),
                "argmin_t": "∞" if self.t is None else self.t, "argmin": list(self.argmin), "real_critical_t": self.critical,
                "method": "least squares in the span for ℓ = x1 + t·x2: φ(t) = L(0) − h(t)/D(t); real roots of h′D − hD′ "
                          "over QQ isolated by Arb, φ in ball arithmetic at them and at t = ∞ (ℓ = x2)"}


def _quadratic(left: Sequence[flint.fmpq_poly], gram: Sequence[Sequence[Fraction]],
               right: Sequence[flint.fmpq_poly]) -> flint.fmpq_poly:
    """leftᵀ·G·right for vectors of polynomials in t."""
    return sum((left[i] * as_fmpq(gram[i][j]) * right[j] for i in range(len(left)) for j in range(len(right))
                if gram[i][j]), flint.fmpq_poly([]))


def span_terms(columns: Sequence[Sequence[flint.fmpq_poly]], metric: Metric) -> tuple[flint.fmpq_poly, flint.fmpq_poly]:
    """(h, D) of the span of one or two columns A: D = det AᵀGA, h = rᵀ·adj(AᵀGA)·r with r = AᵀG·u, so that L's
    minimum over the span is L(0) − h/D."""
    center = [flint.fmpq_poly([as_fmpq(v)]) for v in metric.center]
    r = [_quadratic(a, metric.gram, center) for a in columns]
    if len(columns) == 1:
        return r[0] * r[0], _quadratic(columns[0], metric.gram, columns[0])
    first, second = columns
    m00, m01, m11 = (_quadratic(a, metric.gram, b) for a, b in ((first, first), (first, second), (second, second)))
    return r[0] * r[0] * m11 - 2 * r[0] * r[1] * m01 + r[1] * r[1] * m00, m00 * m11 - m01 * m01


def _horner(poly: flint.fmpq_poly, t: flint.arb) -> flint.arb:
    value = flint.arb(0)
    for coefficient in reversed(poly.coeffs()):
        value = value * t + flint.arb(coefficient)
    return value


def _closest(columns: Sequence[Sequence[flint.fmpq_poly]], t: float,
             metric: Metric) -> tuple[tuple[float, ...], tuple[float, ...]]:
    """The least-squares weights of the columns at t and the point of their span closest to u for G (floats)."""
    import numpy as np

    a = np.array([[float(_horner(p, flint.arb(t)).mid()) for p in column] for column in columns]).T
    g = np.array(metric.gram, dtype=float)
    weights = np.linalg.solve(a.T @ g @ a, a.T @ g @ np.array(metric.center, dtype=float))
    return tuple(float(w) for w in weights), tuple(float(v) for v in a @ weights)


def least_over_family(metric: Metric, d: int, k: int) -> Least:
    """min L over ⋃_{t ∈ P¹(R)} span :func:`family` (d, k) (module docstring), G positive definite; balls of about
    BITS bits."""
    base = flint.arb(as_fmpq(metric.loss([Fraction(0)] * metric.n)))
    columns = family(d, k)
    h, det = span_terms(columns, metric)
    derivative = h.derivative() * det - h * det.derivative()
    roots = real_roots(derivative if derivative != 0 else flint.fmpq_poly([0, 1]), BITS)
    with precision(BITS):
        h_inf, d_inf = (_horner(p, flint.arb(0)) for p in span_terms(family(d, k, infinite=True), metric))
        found: list[tuple[flint.arb, flint.arb | None]] = [(base - h_inf / d_inf, None)]
        found += [(base - _horner(h, t) / _horner(det, t), t) for t in roots]
        lower = reduce(lambda a, b: a if a <= b else b, (value.lower() for value, _ in found))
        ball, t = min(found, key=lambda pair: float(pair[0].mid()))
    at = None if t is None else float(t.mid())
    weights, argmin = _closest(family(d, k, infinite=True), 0.0, metric) if at is None else _closest(columns, at, metric)
    return Least(lower=lower, ball=ball, t=at, weights=weights, argmin=argmin, critical=len(roots))


def tangential_minimum(metric: Metric, d: int) -> Least:
    """min L over B(R) = {ℓ^{d−1}·m : ℓ, m real}."""
    return least_over_family(metric, d, 1)


def power_minimum(metric: Metric, d: int) -> Least:
    """min L over R_1(R) = {c·ℓ^d : c, ℓ real}."""
    return least_over_family(metric, d, 0)


APPROACH = (Fraction(1, 10**2), Fraction(1, 10**4), Fraction(1, 10**6))
"""The ε of the networks ((ℓ + ε·m)^d − ℓ^d)/(d·ε) approaching ℓ^{d−1}·m."""


def approach(tangential: Least, d: int, metric: Metric) -> list[dict[str, Any]]:
    """Real networks a_1·ℓ_1^d + a_2·ℓ_2^d tending to the argmin ℓ^{d−1}·m over B(R): ℓ_1 = ℓ + ε·m, ℓ_2 = ℓ,
    a_1 = −a_2 = 1/(d·ε), with ℓ and m rounded to rationals (weights exact); each loss exact (a proved upper bound of the
    infimum), and ‖θ‖ growing like 1/ε; entries as those of :func:`~neurom2.training.infimum.approach_sequence`
    (``t`` = ε)."""
    from neurom2.training.reach import weight_norm

    ell = (Fraction(0), Fraction(1)) if tangential.t is None else (Fraction(1), Fraction(tangential.t).limit_denominator(10**12))
    m = tuple(Fraction(w).limit_denominator(10**12) for w in tangential.weights)
    sequence = []
    for epsilon in APPROACH:
        theta = (ell[0] + epsilon * m[0], ell[1] + epsilon * m[1], ell[0], ell[1], 1 / (d * epsilon), -1 / (d * epsilon))
        weights = [str(w) for w in theta]
        sequence.append({"t": str(epsilon), "reached": True, "loss": float(metric.loss(_form(theta, d))),
                         "weight_norm": weight_norm(weights), "weights": weights})
    return sequence


def _form(theta: Sequence[Fraction], d: int) -> list[Fraction]:
    """The coordinates of a_1·(w11·x1 + w12·x2)^d + a_2·(w21·x1 + w22·x2)^d, θ = (w11, w12, w21, w22, a_1, a_2)."""
    w11, w12, w21, w22, a1, a2 = theta
    return [comb(d, i) * (a1 * w11 ** (d - i) * w12**i + a2 * w21 ** (d - i) * w22**i) for i in range(d + 1)]


def below(upper: flint.arb, lower: flint.arb) -> bool:
    """Whether every value in the ball ``upper`` is ≤ the exact bound ``lower``."""
    return bool(upper.upper() <= lower)


__all__ = ["Least", "approach", "below", "catalecticant_minors", "degree", "least_over_family", "power_minimum",
           "tangential_minimum"]
