"""Exact rationals across the libraries neurom2 uses: Fraction, python-flint fmpq, sympy's QQ.

sympy's QQ is flint's fmpq when python-flint is installed, and ``Fraction(fmpq)`` fails, so every
module converts through these functions.  Floats are read as the exact binary rational they denote.
"""

from __future__ import annotations

from collections.abc import Iterable
from fractions import Fraction
from typing import Any

import flint


def fraction(value: Any) -> Fraction:
    """A Fraction from an int, Fraction, flint fmpq/fmpz, sympy rational, float or numeric string."""
    if isinstance(value, Fraction):
        return value
    if hasattr(value, "numerator") and hasattr(value, "denominator") and not isinstance(value, float):
        return Fraction(int(value.numerator), int(value.denominator))
    return Fraction(value)


def fmpq(value: Any) -> flint.fmpq:
    """The flint rational equal to ``value`` (any type :func:`fraction` accepts)."""
    if isinstance(value, flint.fmpq):
        return value
    q = fraction(value)
    return flint.fmpq(q.numerator, q.denominator)


def fmpq_matrix(rows: Iterable[Iterable[Any]]) -> flint.fmpq_mat:
    """An exact matrix from rows of rationals of any type :func:`fraction` accepts."""
    entries = [[fmpq(v) for v in row] for row in rows]
    return flint.fmpq_mat(len(entries), len(entries[0]) if entries else 0, [v for row in entries for v in row])
