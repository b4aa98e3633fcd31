"""Proving that no real weights reach a real algebraic point p of V: the fiber over p in each covering chart,
from a lexicographic Gröbner basis of the chart's *graph* (data-independent, small coefficients) specialized at
p in ball arithmetic — no Gröbner basis over p's number field, whose coefficients can have thousands of digits.

**The graph.**  In a chart (:func:`~neurom2.real.membership.covering_charts`; they meet every real weight orbit)
with free weights θ_1..θ_m, the graph ideal I = (c_k − c_k(θ))_k ⊂ QQ[θ, c] has the fibers of the chart's
parametrization as its specializations at c = p.  G is its reduced Gröbner basis for the lexicographic order
θ_1 > … > θ_m > c_1 > … > c_n (Macaulay2).

**Extension** (Gianni 1987, Kalkbrener 1987: the extension theorem for lexicographic Gröbner bases): let
a ∈ V(I ∩ K[θ_{i+1}..θ_m, c]) and let g ∈ G involve θ_i as its largest variable, with the least leading
monomial among those whose leading coefficient (in θ_i) does not vanish at a.  Then the points of
V(I ∩ K[θ_i..θ_m, c]) over a are exactly (b, a) with g(b, a) = 0.  Starting from a = p (which satisfies the
elements of G in QQ[c] when it is in the chart's image at all; if one of them is certified nonzero at p the
chart is empty over p), θ_m, …, θ_1 are extended one at a time: the roots of g(·, a) are isolated with Arb
(certified complex balls), and a branch whose new root has an imaginary part certified nonzero has no real
point.  The rule is applied only when the *least* element of the level has a leading coefficient certified
nonzero at a (a ball excluding 0; a ball containing 0 cannot tell which element the theorem names), and
g(·, a) must be squarefree at the working precision.  **Every chart without a possibly real branch proves
that no real weights reach p**; otherwise nothing is concluded.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

import flint

from neurom2.exact.rationals import fraction
from neurom2.exact.roots import precision
from neurom2.exact.terms import Terms
from neurom2.m2 import package
from neurom2.m2.session import Macaulay2Session
from neurom2.model.architecture import Architecture
from neurom2.model.parametrization import Parametrization
from neurom2.real.membership.charts import CoveringChart
from neurom2.training.certify import evaluate

BITS = 512
"""Working precision of the specialization."""


def graph(arch: Architecture, chart: CoveringChart) -> list[Terms]:
    """c_k − c_k(θ) in the chart's free weights, then V's coordinates (exponent tuples of length m + n)."""
    free = chart.free()
    polynomials = Parametrization(arch).polynomials
    n, m = len(polynomials), len(free)
    result = []
    for k, poly in enumerate(polynomials):
        terms: Terms = {tuple(int(i == m + k) for i in range(m + n)): Fraction(1)}
        for monom, coeff in poly.terms():
            value = -fraction(coeff)
            for i, e in enumerate(monom):
                if e and chart.values[i] is not None:
                    value *= chart.values[i] ** e
            key = tuple(monom[i] for i in free) + (0,) * n
            terms[key] = terms.get(key, Fraction(0)) + value
        result.append({e: c for e, c in terms.items() if c})
    return result


def chart_basis(session: Macaulay2Session, arch: Architecture, chart: CoveringChart, timeout: float | None) -> list[Terms]:
    """A lexicographic Gröbner basis of the chart's graph ideal, computed by Macaulay2."""
    return package.lex_basis(session, graph(arch, chart), len(chart.free()) + len(Parametrization(arch).polynomials),
                             timeout=timeout)


def real_fiber_possible(basis: Sequence[Terms], m: int, point: Sequence[flint.arb]) -> bool | None:
    """Whether the fiber over ``point`` (V's coordinates, balls) may have a real point, by the extension theorem
    (module docstring): False is proved; True means a possibly real branch survived; None: the rule could not be
    applied (an uncertain leading coefficient, a positive-dimensional fiber, a non-squarefree specialization)."""
    with precision(BITS):
        target = [flint.acb(v) for v in point]
        for g in (g for g in basis if _leading_variable(g) >= m):
            value = evaluate(g, [flint.acb(0)] * m + target, flint.acb)
            if not value.contains(0):
                return False  # the point is not in the closure of the chart's image
        branches: list[list[flint.acb]] = [[flint.acb(0)] * m + target]
        for level in range(m - 1, -1, -1):
            elements = sorted((g for g in basis if _leading_variable(g) == level), key=_leading_monomial)
            if not elements:
                return None if branches else False
            extended = []
            for branch in branches:
                roots = _extensions(elements[0], level, branch)
                if roots is None:
                    return None
                extended += [branch[:level] + [root] + branch[level + 1:] for root in roots if root.imag.contains(0)]
            branches = extended
            if not branches:
                return False
        return True


def _extensions(g: Terms, level: int, branch: Sequence[flint.acb]) -> list[flint.acb] | None:
    """The roots b of g(…, b, a) (a = the branch's later values), or None when the leading coefficient is not
    certified nonzero or the specialization is not squarefree at the working precision."""
    degree = max(e[level] for e in g)
    coefficients = [flint.acb(0)] * (degree + 1)
    for exponents, coefficient in g.items():
        term = flint.acb(flint.fmpq(coefficient.numerator, coefficient.denominator))
        for i, e in enumerate(exponents):
            if e and i != level:
                term *= branch[i] ** e
        coefficients[exponents[level]] += term
    if coefficients[-1].contains(0):
        return None
    try:
        return list(flint.acb_poly(coefficients).roots())
    except ValueError:
        return None


def _leading_variable(g: Terms) -> int:
    """The largest variable of g in the lexicographic order x_0 > x_1 > … (its least index)."""
    return min(next(i for i, e in enumerate(exponents) if e) if any(exponents) else len(exponents) for exponents in g)


def _leading_monomial(g: Terms) -> tuple[int, ...]:
    return max(g)
