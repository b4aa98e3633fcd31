"""Zero-dimensional ideals: their points over C, their real points, and a rational univariate
representation of them, exactly over QQ (module docstring of :mod:`neurom2.real.membership`, step 3).

Input is Macaulay2's :class:`~neurom2.m2.package.Points` of an ideal J ⊂ QQ[free weights]: a monomial
basis of A = QQ[free]/J and the matrices of multiplication by the variables.  Everything else is
computed here with python-flint (exact rationals, Arb balls for certified roots).
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import flint

from neurom2.errors import Macaulay2OutputError, VerificationError
from neurom2.exact.rationals import fmpq as as_fmpq
from neurom2.exact.roots import count_real_roots, precision, real_roots, roots, simple_interval, variations
from neurom2.exact.terms import U, integral
from neurom2.m2.package import Points
from neurom2.model.target import format_graded
from neurom2.real.membership.charts import CoveringChart

PRECISION = 120
"""Decimal digits of the algebraic numbers behind decimal weights."""
BITS = 420
"""Binary precision for them, a little more than ``PRECISION`` digits."""
SEPARATING_ATTEMPTS = 20


@dataclass(frozen=True, kw_only=True)
class Solutions:
    """The points over C of a zero-dimensional ideal J ⊂ QQ[free weights], from the multiplication matrices
    of A = QQ[free]/J on a monomial basis (Macaulay2's ``pointsReport``).

    Hermite: the trace form H(a, b) = Tr(m_ab) of A has rank = the number of distinct points over C and
    signature = the number of real ones.  A linear form u is separating iff the squarefree part χ of
    charpoly(m_u) has degree rank H; then every point is θ_i = g_xi(u) / g_1(u) at a root of χ, with
    g_v(T) = Σ_p mult(p) v(p) χ(T) / (T − u(p)) computed from the traces Tr(v u^j) (Rouillier's rational
    univariate representation, no radical needed).  The real points are those at the real roots of χ
    (:func:`count_real_roots`); the two real counts must agree.
    """

    chart: CoveringChart           # the weights fixed; the others are the ideal's variables
    count: int                     # number of distinct points over C (rank of H)
    trace_count: int               # real points: signature of Hermite's trace form H
    form: tuple[int, ...]          # separating linear form u = Σ form_i θ_free_i
    eliminant: flint.fmpq_poly     # χ(u): squarefree, roots = values of u at the points
    parametrization: tuple[flint.fmpq_poly, ...]  # (g_1, g_x1, ...): θ_free_i = g_xi(u) / g_1(u) at every point
    real_count: int                # real roots of χ
    real_count_method: str         # how they were counted (:func:`count_real_roots`)

    @classmethod
    def from_points(cls, chart: CoveringChart, points: Points, rng: random.Random) -> Solutions:
        """From Macaulay2's quotient data of a zero-dimensional ideal (``points.dim == 0``)."""
        free = chart.free()
        exponents, matrices = points.basis, points.multiplication
        if points.dim != 0 or exponents is None or matrices is None:
            raise Macaulay2OutputError("expected the quotient data of a zero-dimensional ideal")
        n = len(exponents)
        index = {tuple(e): k for k, e in enumerate(exponents)}
        if (0,) * len(free) not in index:
            raise Macaulay2OutputError("the quotient basis of a zero-dimensional fiber lacks the monomial 1")
        mats = [flint.fmpq_mat(n, n, [as_fmpq(v) for row in m for v in row]) for m in matrices]
        monomial = _monomial_matrices(exponents, index, mats)
        traces = _traces(monomial)
        hermite = _hermite(traces, monomial)
        count, trace_count = hermite.rank(), _signature(hermite)
        for _ in range(SEPARATING_ATTEMPTS):
            form = tuple(rng.randint(-9, 9) for _ in free)
            mu = flint.fmpq_mat(n, n)
            for c, m in zip(form, mats):
                mu += c * m
            chi = mu.charpoly()
            chi = chi // chi.gcd(chi.derivative())  # its roots: the values of u at the points
            chi = chi * (1 / chi.coeffs()[-1])
            if chi.degree() == count:
                break
        else:
            raise VerificationError(f"no separating linear form in {SEPARATING_ATTEMPTS} attempts: the "
                                    "multiplication matrices are inconsistent")
        unit = flint.fmpq_mat(n, 1, [int(i == index[(0,) * len(free)]) for i in range(n)])
        parametrization = _rational_univariate(traces, mu, chi, [unit] + [m * unit for m in mats])
        real_count, how = count_real_roots(chi)
        if real_count != trace_count:
            raise VerificationError(f"real points of a zero-dimensional fiber: {real_count} real roots of the "
                                    f"eliminant ({how}), {trace_count} by Hermite's trace form")
        return cls(chart=chart, count=count, trace_count=trace_count, form=form, eliminant=chi, parametrization=parametrization,
                   real_count=real_count, real_count_method=how)

    @property
    def free(self) -> list[int]:
        """The indices of the weights the chart leaves free."""
        return self.chart.free()

    def approximate_real_point(self) -> list[float]:
        """The free weights at the smallest real root of χ, in floating point."""
        with precision(128):
            alpha = flint.acb(real_roots(self.eliminant, 128)[0])
            denominator, *numerators = [flint.acb_poly([flint.acb(c) for c in g.coeffs()])(alpha)
                                        for g in self.parametrization]
            return [float((g / denominator).real.mid()) for g in numerators]

    def describe(self, names: Sequence[str]) -> dict[str, Any]:
        """The solutions as JSON: the separating form, the eliminant and the point counts."""
        n = len(self.free)
        form = {tuple(int(k == j) for k in range(n)): Fraction(c) for j, c in enumerate(self.form) if c}
        return {
            "points_over_C": self.count,
            "real_points": self.real_count,
            "real_roots_counted_by": self.real_count_method,
            "real_points_trace_form": self.trace_count,
            "separating_form": format_graded(form, [names[i] for i in self.free]),
            "eliminant": integral(self.eliminant, U),
        }

    def points(self) -> list[Point]:
        """One point per irreducible factor of χ and root class: all of them, simplest first."""
        result = []
        _, factors = self.eliminant.factor()
        for factor, _ in factors:
            real, _ = count_real_roots(factor)
            for index in ([0] if real else []) + ([real] if real < factor.degree() else []):
                result.append(Point(self, factor, index, index < real))
        return sorted(result, key=lambda p: (p.modulus.degree() > 1, not p.is_real, p.modulus.degree()))


def _monomial_matrices(exponents: Sequence[tuple[int, ...]], index: dict, mats: list[flint.fmpq_mat]) -> list[flint.fmpq_mat]:
    """Multiplication matrices of the basis monomials (standard monomials: their divisors are standard too)."""
    n = len(exponents)
    found: dict[int, flint.fmpq_mat] = {}
    for e in sorted(map(tuple, exponents), key=sum):
        if not any(e):
            found[index[e]] = flint.fmpq_mat(n, n, [int(i == j) for i in range(n) for j in range(n)])
            continue
        i = next(k for k, a in enumerate(e) if a)
        smaller = e[:i] + (e[i] - 1,) + e[i + 1:]
        found[index[e]] = mats[i] * found[index[smaller]]
    return [found[k] for k in range(n)]


def _traces(monomial: list[flint.fmpq_mat]) -> flint.fmpq_mat:
    """The trace form's vector τ (1 × n): τ_l = Tr(multiplication by the basis monomial b_l)."""
    n = len(monomial)
    return flint.fmpq_mat(1, n, [sum((m[i, i] for i in range(n)), flint.fmpq(0)) for m in monomial])


def _hermite(traces: flint.fmpq_mat, monomial: list[flint.fmpq_mat]) -> flint.fmpq_mat:
    """Hermite's trace form H[j][k] = Tr(multiplication by b_j b_k) = τ · (M_(b_j) e_k)."""
    n = len(monomial)
    rows = [traces * m for m in monomial]
    return flint.fmpq_mat(n, n, [rows[j][0, k] for j in range(n) for k in range(n)])


def _signature(symmetric: flint.fmpq_mat) -> int:
    """Positive minus negative eigenvalues: all roots of the characteristic polynomial are real, so
    Descartes' rule of signs counts them exactly (on p(x) and p(-x))."""
    coefficients = symmetric.charpoly().coeffs()
    return variations(coefficients) - variations([c if k % 2 == 0 else -c for k, c in enumerate(coefficients)])


def _rational_univariate(traces: flint.fmpq_mat, mu: flint.fmpq_mat, chi: flint.fmpq_poly,
                         vectors: list[flint.fmpq_mat]) -> tuple[flint.fmpq_poly, ...]:
    """g_v for each element v (coordinate column vectors): g_v(T) = Σ_j Tr(v u^j) q_j(T), where for monic
    χ = Σ c_k T^k of degree r, q_j(T) = Σ_(k>j) c_k T^(k-j-1), so that χ(T)/(T − a) = Σ_j a^j q_j(T)."""
    r = chi.degree()
    c = chi.coeffs()
    q = [flint.fmpq_poly([c[k] for k in range(j + 1, r + 1)]) for j in range(r)]
    rows, row = [], traces
    for _ in range(r):  # τ m_u^j: the functionals v ↦ Tr(v u^j)
        rows.append(row)
        row = row * mu
    result = []
    for v in vectors:
        g = flint.fmpq_poly(0)
        for j in range(r):
            g += (rows[j] * v)[0, 0] * q[j]
        result.append(g)
    return tuple(result)


@dataclass(frozen=True)
class Point:
    """The point θ_free = g(α) of a zero-dimensional fiber, α the ``root_index``-th root of ``modulus``
    in Arb's order (real roots ascending, then the others)."""

    solutions: Solutions
    modulus: flint.fmpq_poly
    root_index: int
    is_real: bool

    def residues(self) -> list[flint.fmpq_poly]:
        """θ_free_i = g_xi(α) / g_1(α) as polynomials in α of degree < deg m (g_1 is invertible mod m)."""
        denominator, *numerators = self.solutions.parametrization
        d, inverse, _ = (denominator % self.modulus).xgcd(self.modulus)
        inverse = inverse * (1 / d.coeffs()[0])
        return [(g * inverse) % self.modulus for g in numerators]

    def root(self) -> flint.acb:
        """α to about ``PRECISION`` digits (a certified ball)."""
        return roots(self.modulus, BITS)[self.root_index]

    def interval(self) -> tuple[Fraction, Fraction]:
        """A rational interval containing α and no other real root of the modulus (real α only)."""
        return simple_interval(real_roots(self.modulus), self.root_index)
