"""Polynomials over QQ as plain data and their sympy and python-flint forms.

A multivariate polynomial is :data:`Terms`, ``{exponent vector: nonzero Fraction}`` (the exponents in the order
of the variables it is given with); a univariate one is python-flint's ``fmpq_poly`` (coefficients lowest
degree first), written in sympy in the variable :data:`U` unless another is given.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from typing import Any

import flint
import sympy

Terms = dict[tuple[int, ...], Fraction]
"""A polynomial over QQ as {exponent vector: nonzero coefficient}."""


def polynomial_from_terms(terms: Terms, symbols: Sequence[Any]) -> Any:
    """A sympy ``Poly`` over QQ in ``symbols`` from {exponents: coefficient}."""
    data = {e: sympy.Rational(c.numerator, c.denominator) for e, c in terms.items()}
    return sympy.Poly.from_dict(data, *symbols, domain=sympy.QQ)


def terms_from_polynomial(poly: Any) -> Terms:
    """{exponents: coefficient} of a sympy ``Poly`` over QQ (the inverse of :func:`polynomial_from_terms`)."""
    return {tuple(e): Fraction(int(c.p), int(c.q)) for e, c in zip(poly.monoms(), poly.coeffs())}


U = sympy.Symbol("u")


def integral(poly: flint.fmpq_poly, variable: sympy.Symbol) -> str:
    """The primitive integer multiple of ``poly`` with positive leading coefficient, as sympy text in ``variable``."""
    _, integral = sympy.Poly(sympy_poly(poly).subs(U, variable), variable).clear_denoms()
    return str(integral.primitive()[1].as_expr())


def sympy_poly(poly: flint.fmpq_poly) -> sympy.Expr:
    """``poly`` as a sympy expression in :data:`U`."""
    return sum((sympy.Rational(int(c.p), int(c.q)) * U ** k for k, c in enumerate(poly.coeffs())), sympy.Integer(0))
