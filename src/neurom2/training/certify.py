"""Real weights reaching a point, found numerically and certified by interval Newton (Krawczyk): a proof of
reachability that needs no Gröbner basis, for the points whose exact descriptions are too large for one.

**The question.**  Given polynomial equations E(θ) = 0 in the weights θ ∈ R^P (E_k = a rational combination of
the coefficients c_j(θ) minus a constant given as a certified ball), is there a real θ with E(θ) = 0?

**Search** (floating point, heuristic): Levenberg–Marquardt on ‖E(θ)‖² from up to ``STARTS`` standard
Gaussian starting points (seeded), run one at a time until a candidate is certified: every candidate is tried in
the order found (so any candidate of the full search that would be certified still is).  A start that ends with ‖E‖
below ``RESIDUAL`` times the constants' scale is a candidate; no candidate proves nothing.

**Certificate** (exact ball arithmetic, Arb).  At a candidate θ̂, Gaussian elimination with complete pivoting
on the Jacobian ∂E/∂θ(θ̂) picks r = its numerical rank equations R and weights W with a well-conditioned r × r
minor; the other weights are fixed to rational approximations of θ̂, and Newton's method on the square system
E_R(θ_W) = 0 refines θ̂_W at ``BITS`` bits.  *Krawczyk's test*: for a box B around it, with Y ≈ J(θ̂_W)⁻¹,
K(B) = θ̂_W − Y E_R(θ̂_W) + (I − Y J(B))(B − θ̂_W); if K(B) lies in the interior of B, then B contains exactly
one solution of E_R = 0, for every value of the constants in their balls (Krawczyk 1969; Neumaier,
*Interval methods for systems of equations*, Theorem 5.1.7).  That solution is real: a proof that real weights
satisfy the equations R, printed by the midpoints of their balls.

**The other equations.**  When E has more equations than r (the target is a point p of a variety X of
dimension r, E = c(θ) − p), the solution θ* satisfies c_R(θ*) = p_R, and c(θ*) ∈ X.  Then c(θ*) = p when, with
the R-coordinates fixed to p_R, the equations g of X (``generators``: codim X of them, chosen with a
well-conditioned Jacobian in the other coordinates z) have a unique solution z in a box containing both the
balls of c_z(θ*) and of p_z: Krawczyk's test again, on z ↦ g(p_R, z).
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from fractions import Fraction
from functools import cached_property
from typing import Any

import flint
import numpy as np

from neurom2.exact.roots import precision
from neurom2.exact.terms import Terms
from neurom2.training.critical import derivative

STARTS = 64
"""Random starting points of the numerical search."""
STEPS = 300
"""Levenberg–Marquardt steps per start."""
RESIDUAL = 1e-11
"""A start is a candidate when ‖E(θ)‖ ≤ RESIDUAL · max(1, ‖constants‖)."""
BITS = 256
"""Precision of the Newton refinement and of the certificate."""
RANK_TOLERANCE = 1e-8
"""Pivots below this times the largest end the elimination (the numerical rank of ∂E/∂θ)."""


@dataclass(frozen=True)
class Polynomials:
    """E(θ) = (Σ_j poly_kj(θ)) − constant_k: polynomials over QQ in P variables (exponent tuples), constants balls."""

    terms: tuple[Terms, ...]
    constants: tuple[flint.arb, ...]
    variables: int

    def values(self, x: Sequence[flint.arb]) -> list[flint.arb]:
        """The polynomials minus their constants at a ball point."""
        return [evaluate(t, x) - c for t, c in zip(self.terms, self.constants)]

    def jacobian(self, x: Sequence[flint.arb], rows: Sequence[int], columns: Sequence[int]) -> flint.arb_mat:
        """The Jacobian at a ball point, rows and columns selected."""
        return flint.arb_mat([[evaluate(derivative(self.terms[k], j), x) for j in columns] for k in rows])

    def float_values(self, x: np.ndarray) -> np.ndarray:
        """The polynomials minus their constants at a float point."""
        return self._floats.values(x) - self._floats.constants

    def float_jacobian(self, x: np.ndarray) -> np.ndarray:
        """The Jacobian at a float point."""
        return self._floats.jacobian(x)

    @cached_property
    def _floats(self) -> _FloatPolynomials:
        return _FloatPolynomials.of(self)


@dataclass(frozen=True)
class Square:
    """The equations ``rows`` of E as functions of the variables ``free``, the other variables fixed at ``base``."""

    equations: Polynomials
    rows: tuple[int, ...]
    free: tuple[int, ...]
    base: tuple[flint.arb, ...]

    def point(self, z: Sequence[flint.arb]) -> list[flint.arb]:
        """The full point: the base point with the free coordinates set to ``z``."""
        x = list(self.base)
        for j, v in zip(self.free, z):
            x[j] = v
        return x

    def values(self, z: Sequence[flint.arb]) -> list[flint.arb]:
        """The selected equations at the point with free coordinates ``z``."""
        values = self.equations.values(self.point(z))
        return [values[k] for k in self.rows]

    def jacobian(self, z: Sequence[flint.arb]) -> flint.arb_mat:
        """The square Jacobian (selected rows, free columns) at ``z``."""
        return self.equations.jacobian(self.point(z), self.rows, self.free)


@dataclass(frozen=True, kw_only=True)
class _FloatPolynomials:
    """E in float64, every term of every equation in one array: values and Jacobian by numpy, from a table of the
    powers x_i^e (no float ``**`` per term) and, for ∂/∂x_j, prefix and suffix products of the other factors (no
    division by x_j, so exact zeros are fine)."""

    exponents: np.ndarray
    """Integer exponents, one row per term."""
    coefficients: np.ndarray
    owner: np.ndarray
    """The equation of each term, as a 0/1 matrix (equations × terms)."""
    constants: np.ndarray
    size: int

    @classmethod
    def of(cls, equations: Polynomials) -> _FloatPolynomials:
        rows = [(k, e, float(c)) for k, terms in enumerate(equations.terms) for e, c in terms.items()]
        exponents = np.array([e for _, e, _ in rows], dtype=np.intp).reshape(len(rows), equations.variables)
        owner = np.zeros((len(equations.terms), len(rows)))
        owner[[k for k, _, _ in rows], np.arange(len(rows))] = 1.0
        return cls(exponents=exponents, coefficients=np.array([c for _, _, c in rows]), owner=owner,
                   constants=np.array([float(c.mid()) for c in equations.constants]), size=len(equations.terms))

    @cached_property
    def _top(self) -> int:
        return int(self.exponents.max(initial=0))

    def _factors(self, x: np.ndarray, exponents: np.ndarray) -> np.ndarray:
        """x_i^{e_ti} for each term t (row of ``exponents``) and variable i, from the table of powers of x."""
        powers = np.cumprod(np.concatenate([np.ones((len(x), 1)), np.repeat(x[:, None], self._top, axis=1)], axis=1),
                            axis=1)
        return powers[np.arange(len(x))[None, :], exponents]

    def values(self, x: np.ndarray) -> np.ndarray:
        return self.owner @ (self.coefficients * np.prod(self._factors(x, self.exponents), axis=1))

    def jacobian(self, x: np.ndarray) -> np.ndarray:
        """∂E_k/∂x_j = Σ_t c_t e_tj x_j^(e_tj − 1) Π_{i≠j} x_i^e_ti, the product over i ≠ j as prefix × suffix."""
        factors = self._factors(x, self.exponents)
        ones = np.ones((len(factors), 1))
        before = np.cumprod(np.concatenate([ones, factors[:, :-1]], axis=1), axis=1)
        after = np.cumprod(np.concatenate([ones, factors[:, :0:-1]], axis=1), axis=1)[:, ::-1]
        lowered = self._factors(x, np.maximum(self.exponents - 1, 0))
        return self.owner @ (self.coefficients[:, None] * self.exponents * lowered * before * after)


def real_roots(equations: Polynomials, rng: random.Random) -> Iterator[np.ndarray]:
    """Numerical real solutions of E = 0 (Levenberg–Marquardt from up to STARTS random starts), lazily, in the
    order found: a caller that certifies the first candidate runs no further start."""
    scale = max(1.0, float(np.linalg.norm([float(c.mid()) for c in equations.constants])))
    generator = np.random.default_rng(rng.randrange(2**32))
    for _ in range(STARTS):
        theta = _levenberg_marquardt(equations, generator.standard_normal(equations.variables))
        if theta is not None and np.linalg.norm(equations.float_values(theta)) <= RESIDUAL * scale:
            yield theta


def _levenberg_marquardt(equations: Polynomials, theta: np.ndarray) -> np.ndarray | None:
    damping = 1e-3
    value = equations.float_values(theta)
    for _ in range(STEPS):
        jacobian = equations.float_jacobian(theta)
        normal = jacobian.T @ jacobian
        try:
            step = np.linalg.solve(normal + damping * np.diag(np.diag(normal) + 1e-12), -jacobian.T @ value)
        except np.linalg.LinAlgError:
            return None
        trial = theta + step
        trial_value = equations.float_values(trial)
        if not np.all(np.isfinite(trial_value)):
            return None
        if np.linalg.norm(trial_value) < np.linalg.norm(value):
            theta, value, damping = trial, trial_value, max(damping / 3, 1e-15)
        else:
            damping *= 4
            if damping > 1e12:
                break
    return theta


def pivots(matrix: np.ndarray) -> tuple[list[int], list[int]]:
    """Rows and columns of a well-conditioned maximal minor: Gaussian elimination with complete pivoting, stopped
    at pivots below RANK_TOLERANCE times the first."""
    a = np.array(matrix, dtype=float)
    rows, columns = list(range(a.shape[0])), list(range(a.shape[1]))
    chosen_rows, chosen_columns, first = [], [], None
    while rows and columns:
        block = np.abs(a[np.ix_(rows, columns)])
        i, j = np.unravel_index(int(np.argmax(block)), block.shape)
        pivot = block[i, j]
        first = pivot if first is None else first
        if pivot == 0 or pivot < RANK_TOLERANCE * first:
            break
        r, c = rows[i], columns[j]
        for k in rows:
            if k != r:
                a[k] -= a[k, c] / a[r, c] * a[r]
        chosen_rows.append(r)
        chosen_columns.append(c)
        rows.remove(r)
        columns.remove(c)
    return chosen_rows, chosen_columns


@dataclass(frozen=True)
class Certificate:
    """A box of weights containing exactly one real solution of the equations ``rows`` (the others fixed)."""

    weights: tuple[flint.arb, ...]
    """All P weights: the certified balls of the ``solved`` ones; for the others, balls at BITS bits around the
    rationals they were fixed to (the certificate holds for every value in these balls, so for the rationals)."""
    rows: tuple[int, ...]
    solved: tuple[int, ...]


def certify(equations: Polynomials, theta: np.ndarray) -> Certificate | None:
    """Krawczyk's certificate for a real solution near the numerical one θ̂ (module docstring), or None."""
    rows, columns = pivots(equations.float_jacobian(theta))
    fixed = {j: Fraction(float(theta[j])).limit_denominator(10**12) for j in range(equations.variables) if j not in columns}
    with precision(BITS):
        base = tuple(flint.arb(flint.fmpq(fixed[j].numerator, fixed[j].denominator)) if j in fixed else flint.arb(0)
                     for j in range(equations.variables))
    square = Square(equations, tuple(rows), tuple(columns), base)
    box = krawczyk(square, [float(theta[j]) for j in columns])
    if box is None:
        return None
    return Certificate(tuple(square.point(box)), tuple(rows), tuple(columns))


def krawczyk(square: Square, start: Sequence[float], newton_steps: int = 60) -> list[flint.arb] | None:
    """A box containing exactly one solution of the square system (Newton at BITS bits from ``start``, then
    Krawczyk's test on a box around the result), or None when the test fails."""
    n = len(square.free)
    with precision(BITS):
        x = [flint.arb(v) for v in start]
        step = 0.0
        for _ in range(newton_steps):
            midpoint = [flint.arb(v.mid()) for v in x]
            try:
                delta = flint.arb_mat.solve(square.jacobian(midpoint), flint.arb_mat([[v] for v in square.values(midpoint)]))
            except ZeroDivisionError:
                return None
            x = [flint.arb((m - delta[i, 0]).mid()) for i, m in enumerate(midpoint)]
            step = max(abs(float(delta[i, 0].mid())) for i in range(n))
            if step < 2.0 ** (-BITS // 2):
                break
        scale = max([1.0] + [abs(float(v.mid())) for v in x])
        return krawczyk_test(square, x, max(1e3 * step, 2.0 ** (-BITS // 2) * scale))


def krawczyk_test(square: Square, center: Sequence[flint.arb], radius: float) -> list[flint.arb] | None:
    """Krawczyk's test on the box center ± radius: the contracted box K(B) when it lies in B's interior (then B
    holds exactly one solution, in K(B)), else None."""
    n = len(square.free)
    box = [flint.arb(c.mid(), radius) for c in center]
    midpoint = [flint.arb(c.mid()) for c in center]
    approximate = square.jacobian(midpoint)
    try:
        inverse = np.linalg.inv(np.array([[float(approximate[i, j].mid()) for j in range(n)] for i in range(n)]))
    except np.linalg.LinAlgError:  # singular at the midpoint: no contraction to prove
        return None
    y = flint.arb_mat([[flint.arb(float(v)) for v in row] for row in inverse])
    value = flint.arb_mat([[v] for v in square.values(midpoint)])
    spread = flint.arb_mat([[b - m] for b, m in zip(box, midpoint)])
    identity = flint.arb_mat([[int(i == j) for j in range(n)] for i in range(n)])
    k = flint.arb_mat([[m] for m in midpoint]) - y * value + (identity - y * square.jacobian(box)) * spread
    if all(box[i].contains_interior(k[i, 0]) for i in range(n)):
        return [k[i, 0] for i in range(n)]
    return None


def same_point(generators: Sequence[Terms], target: Sequence[flint.arb], image: Sequence[flint.arb],
               known: Sequence[int]) -> bool:
    """Whether a point of V(generators) whose coordinates ``known`` equal the target's is the target: Krawczyk's
    test on z ↦ g(target_known, z) (g: as many generators as other coordinates) over a box containing both points'
    other coordinates (module docstring).  ``image``: balls of the point's coordinates."""
    others = [k for k in range(len(target)) if k not in known]
    if not others:
        return True
    with precision(BITS):
        g = Polynomials(tuple(generators), tuple(flint.arb(0) for _ in generators), len(target))
        center = [flint.arb(t.mid()) for t in target]
        gradient = g.jacobian(center, range(len(generators)), others)
        rows, columns = pivots(np.array([[float(gradient[i, j].mid()) for j in range(len(others))]
                                         for i in range(len(generators))]))
        if len(columns) != len(others):
            return False
        square = Square(g, tuple(rows), tuple(others[j] for j in columns), tuple(target))
        hull = [target[k].union(image[k]) for k in square.free]
        radius = max([2 * float(h.rad()) for h in hull] + [2.0 ** (-BITS // 2)])
        return krawczyk_test(square, hull, radius) is not None


def evaluate(terms: Terms, x: Sequence[Any], number: type = flint.arb) -> Any:
    """A polynomial at balls ``x``, in ``number`` arithmetic (flint.arb, or flint.acb for complex balls)."""
    total = number(0)
    for exponents, coefficient in terms.items():
        product = number(flint.fmpq(coefficient.numerator, coefficient.denominator))
        for value, e in zip(x, exponents):
            if e:
                product *= value**e
        total += product
    return total
