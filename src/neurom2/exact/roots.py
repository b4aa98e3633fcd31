"""Real roots of univariate polynomials over QQ, exactly or certified: python-flint's ``fmpq_poly`` in, counts,
Arb balls and rational isolating intervals out.

* :func:`sturm_count` counts distinct real roots by a Sturm sequence (exact rational arithmetic);
* :func:`real_roots` and :func:`roots` isolate roots in disjoint Arb balls (FLINT's certified
  ``complex_roots``: one root per ball, real roots reported with an exactly zero imaginary part);
* :func:`count_real_roots` chooses between the two by degree and says which one it used;
* :func:`simple_interval` turns an isolating ball into a short dyadic interval that isolates the same root;
* :func:`precision` sets Arb's working precision for a block, :func:`arb_fraction` reads an exact arb.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from fractions import Fraction
from typing import Any

import flint

STURM_DEGREE = 40
"""Beyond this degree real roots are counted by certified isolation, faster than Sturm sequences."""


def variations(values: Sequence) -> int:
    """The number of sign changes in a sequence, zeros skipped (Descartes, Sturm)."""
    signs = [v > 0 for v in values if v != 0]
    return sum(a != b for a, b in zip(signs, signs[1:]))


def count_real_roots(poly: flint.fmpq_poly) -> tuple[int, str]:
    """Distinct real roots of a squarefree polynomial over QQ, exactly: by its Sturm sequence up to degree
    ``STURM_DEGREE`` (rational remainders grow quickly), beyond by FLINT/Arb's certified root isolation
    (disjoint balls with one root each, real roots with an exactly zero imaginary part)."""
    if poly.degree() <= STURM_DEGREE:
        return sturm_count(poly), "Sturm sequence"
    return len(real_roots(poly)), "certified isolation (Arb)"


def real_roots(poly: flint.fmpq_poly, bits: int = 64) -> list[flint.arb]:
    """Isolating balls of the real roots, ascending (Arb's ``complex_roots`` lists real roots first)."""
    with precision(bits):
        found: list[Any] = poly.numer().complex_roots()  # (root, multiplicity) pairs
        return [root.real for root, _ in found if root.imag == 0]


def roots(poly: flint.fmpq_poly, bits: int) -> list[flint.acb]:
    """All roots, certified to ``bits`` bits: the real ones ascending, then the others."""
    with precision(bits):
        found: list[Any] = poly.numer().complex_roots()  # (root, multiplicity) pairs
        return [root for root, _ in found]


@contextmanager
def precision(bits: int) -> Iterator[None]:
    """Arb's working precision set to ``bits`` bits inside the block, restored after it."""
    saved = flint.ctx.prec
    flint.ctx.prec = bits
    try:
        yield
    finally:
        flint.ctx.prec = saved


def arb_fraction(value: flint.arb) -> Fraction:
    """The exact value of an exact arb (an endpoint of a ball) as a Fraction."""
    mantissa, exponent = value.man_exp()
    return Fraction(int(mantissa)) * Fraction(2) ** int(exponent)


def sturm_count(poly: flint.fmpq_poly) -> int:
    """The number of distinct real roots of a nonzero polynomial, by its Sturm sequence (exact, over QQ):
    p0 = poly, p1 = poly', p(k+1) = -rem(p(k-1), p(k)); the count is V(-∞) - V(+∞), V the sign changes."""
    sequence = [poly, poly.derivative()]
    while sequence[-1].degree() > 0:
        remainder = -(sequence[-2] % sequence[-1])
        if remainder.degree() < 0:
            break
        sequence.append(remainder * (1 / abs(remainder.coeffs()[-1])))  # a positive factor keeps the signs
    sequence = [p for p in sequence if p.degree() >= 0]
    at_plus = [p.coeffs()[-1] for p in sequence]
    at_minus = [p.coeffs()[-1] * (-1) ** p.degree() for p in sequence]
    return variations(at_minus) - variations(at_plus)


def simple_interval(balls: list[flint.arb], k: int) -> tuple[Fraction, Fraction]:
    """An interval [p/2^e, q/2^e] with e as small as possible that contains the k-th ball and meets no
    other one: it isolates the k-th real root (every real root lies in its own ball)."""
    low, high = arb_fraction(balls[k].lower()), arb_fraction(balls[k].upper())
    below = arb_fraction(balls[k - 1].upper()) if k > 0 else None
    above = arb_fraction(balls[k + 1].lower()) if k + 1 < len(balls) else None
    for e in range(0, 200):
        scale = Fraction(2) ** e
        p = Fraction(math.floor(low * scale)) / scale
        q = Fraction(math.ceil(high * scale)) / scale
        if (below is None or p > below) and (above is None or q < above):
            return p, q
    return low, high
