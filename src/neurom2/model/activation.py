"""Polynomial activations σ ∈ QQ[x] of polynomial neural networks.

Conventions
-----------
* An activation is a non-constant univariate polynomial σ(x) = c_0 + c_1 x + ... + c_d x^d over the field QQ
  of rational numbers, stored as ``coefficients = (c_0, ..., c_d)`` in *ascending* powers (``coefficients[k]``
  is the coefficient of x^k), as ``fractions.Fraction`` values, with ``c_d != 0`` and ``d >= 1``.
* ``Activation.parse`` reads text with the strict polynomial parser of :mod:`neurom2.model.polyparse` (grammar,
  exact numbers and limits there); user text never reaches ``eval``, ``sympify`` or any other evaluator. The
  variable is ``x``; ``t`` is accepted as an alias only when no ``x`` appears. Every intermediate result has
  degree at most ``MAX_DEGREE``.
* ``str(σ)`` is canonical (``-x^3 + 1/2*x``), parses back to an equal activation, and is also valid
  Macaulay2 and SymPy syntax.
* Every failure raises ``InvalidActivation`` with its own message. The exception carries ``text`` (the input)
  and ``position`` (0-based index into ``text``, ready for a caret line; ``None`` when not meaningful).
"""

from __future__ import annotations

import numbers
import re
from collections.abc import Iterable, Mapping, Set
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Union

from neurom2.errors import InvalidActivation, Neurom2Error
from neurom2.model.polyparse import (
    MAX_BITS,
    MAX_DEGREE,  # noqa: F401  (part of this module's API: the bound stated above)
    NON_POLYNOMIAL,
    NUMBER,
    PolynomialParser,
    Token,
    bits,
    degree,
    quote,
)

_HINT = "neurom2 needs a polynomial activation like x^2 or x^3 + x"
_RATIONAL = re.compile(rf"\s*([+-]?)\s*({NUMBER})(?:\s*/\s*([0-9]+))?\s*")

Coefficients = tuple[Fraction, ...]  # ascending powers, no trailing zeros; () is the zero polynomial
ActivationLike = Union["Activation", str, Iterable[int | Fraction | str]]


def _trim(coefficients: Iterable[Fraction]) -> Coefficients:
    result = list(coefficients)
    while result and result[-1] == 0:
        result.pop()
    return tuple(result)


def _format(a: Coefficients) -> str:
    """Canonical text, highest degree first: ``-x^3 + 1/2*x - 3``; ``0`` for the zero polynomial."""
    terms = []
    for k in range(len(a) - 1, -1, -1):
        c = a[k]
        if c == 0:
            continue
        sign = "-" if c < 0 else "+"
        power = "" if k == 0 else "x" if k == 1 else f"x^{k}"
        magnitude = str(abs(c))
        body = magnitude if k == 0 else power if abs(c) == 1 else f"{magnitude}*{power}"
        terms.append((sign, body))
    if not terms:
        return "0"
    first_sign, first = terms[0]
    return ("-" if first_sign == "-" else "") + first + "".join(f" {s} {b}" for s, b in terms[1:])


def horner(coefficients: Coefficients, value: Any) -> Any:
    """Evaluate the polynomial with ascending ``coefficients`` at ``value`` by Horner's rule.

    ``value`` may be any ring element supporting ``+`` and ``*`` with Python ints (ints, Fractions, floats,
    NumPy arrays, SymPy expressions and ``PolyElement``s over QQ). Integral coefficients are passed as ``int``,
    so rings over ZZ work; non-integral ones as ``float`` for numeric NumPy values (avoiding object arrays)
    and as ``Fraction`` otherwise. The result has the type of ``value`` even for a constant polynomial.
    """
    numeric = getattr(getattr(value, "dtype", None), "kind", None) in ("b", "i", "u", "f", "c")

    def scalar(c: Fraction) -> Any:
        return int(c) if c.denominator == 1 else float(c) if numeric else c

    result = value * 0 + scalar(coefficients[-1] if coefficients else Fraction(0))
    for c in reversed(coefficients[:-1]):
        result = result * value + scalar(c)
    return result


# --- parsing -----------------------------------------------------------------------------------------------


class _Parser(PolynomialParser):
    """The polynomial parser, worded for an activation: one variable, ``x`` or (without ``x``) ``t``."""

    noun = "activation"
    error_type = InvalidActivation
    atoms = "a number, x or '('"
    exponents = "integer"
    negative_exponents = "x^-n = 1/x^n is not a polynomial, exponents of x must be non-negative integers"
    degree_limit = "which exceeds the maximum supported degree"
    ending = "the text"

    def __init__(self, text: str) -> None:
        super().__init__(text, {"x": 0})
        # the alias rule looks at the whole text, so the variable is chosen once the text is tokenized
        names = {token.text for token in self.tokens if token.kind == "name"}
        self.variable_name = "t" if "t" in names and "x" not in names else "x"
        self.variables = {self.variable_name: 0}

    def not_polynomial(self, what: str, position: int) -> Neurom2Error:
        return self.fail(f"{quote(self.text)} is not a polynomial: {what}", position)

    def misplaced(self, token: Token, expected: str) -> Neurom2Error:
        missing_operator = token.kind != "op" or token.text == "("
        note = " (missing operator; write '*')" if missing_operator else f" (expected {expected})"
        return self.malformed(f"unexpected {token.text!r}", token.position, note)

    def unknown_name(self, token: Token) -> Neurom2Error:
        name, lower = token.text, token.text.lower()
        following = self.peek()
        if following is not None and following.text == "(":
            what = f"activation functions such as {name}" if lower in NON_POLYNOMIAL else \
                f"function calls such as {name}(...)"
            return self.not_polynomial(f"{what} are not allowed; {_HINT}", token.position)
        if lower in NON_POLYNOMIAL:
            return self.not_polynomial(f"{name} names a non-polynomial activation function; {_HINT}", token.position)
        if lower in ("pi", "e"):
            return self.not_polynomial(f"the irrational constant {name} is not allowed; coefficients must be "
                                       "rational numbers such as 3, -1/2 or 0.25", token.position)
        note = " (t is an alias of x only when x does not appear)" if name == "t" else \
            " (names are case-sensitive)" if lower == self.variable_name else ""
        return self.fail(f"activation must be univariate in {self.variable_name}; found a second variable "
                         f"'{name}' at position {token.position}{note}", token.position)


def _parse(text: str) -> Coefficients:
    """The ascending coefficients of the polynomial ``text``."""
    polynomial = _Parser(text).parse()
    return tuple(polynomial.get((k,), Fraction(0)) for k in range(degree(polynomial) + 1)) if polynomial else ()


_error = _Parser.error


# --- the value type ----------------------------------------------------------------------------------------


def _to_fraction(value: Any, index: int) -> Fraction:
    where = f"coefficient {value!r} (of x^{index})"
    if isinstance(value, bool):
        raise _error(f"{where} is a bool, not a number")
    if isinstance(value, Fraction):
        return value
    if isinstance(value, numbers.Integral):
        return Fraction(int(value))
    if isinstance(value, numbers.Rational):
        return Fraction(int(value.numerator), int(value.denominator))
    if isinstance(value, float):
        raise _error(f"{where} is a float, which is inexact; pass an int, a Fraction or a string such as '1/10'")
    if isinstance(value, str):
        match = _RATIONAL.fullmatch(value)
        if match is None:
            raise _error(f"{where} is not a rational number; expected a string such as '3', '-1/2' or '0.25'")
        sign, literal, denominator = match.groups()
        if denominator is not None and int(denominator) == 0:
            raise _error(f"{where} has a zero denominator")
        result = _Parser.number(literal, value, match.start(2)) / int(denominator or 1)
        return -result if sign == "-" else result
    raise _error(f"{where} has unsupported type {type(value).__name__}; expected int, Fraction or str")


def _constant_error(text: str, value: Coefficients) -> Neurom2Error:
    return _error(f"constant activation {quote(text)} = {_format(value)}: a network with a constant activation "
                  "computes only constant functions; degree ≥ 1 required", text)


@dataclass(frozen=True, repr=False)
class Activation:
    """A non-constant polynomial activation σ ∈ QQ[x], by its ascending coefficients (see module docstring)."""

    coefficients: Coefficients

    def __post_init__(self) -> None:
        c = self.coefficients
        if not isinstance(c, tuple) or not all(isinstance(a, Fraction) for a in c):
            raise _error("Activation.coefficients must be a tuple of Fractions in ascending powers; use "
                         "Activation.from_coefficients to convert ints or strings")
        if c and c[-1] == 0:
            raise _error(f"Activation.coefficients {_format(c)} have trailing zeros; use Activation.from_coefficients")
        if len(c) < 2:
            raise _constant_error(_format(c), c)
        if bits(c) > MAX_BITS:
            raise _error(f"activation coefficients are too large (more than {MAX_BITS} bits)")

    @classmethod
    def parse(cls, text: str) -> Activation:
        """Read a polynomial in x such as ``"x^3 + x"`` or ``"1/2*x**2 - 3"`` (grammar in :mod:`neurom2.model.polyparse`)."""
        if not isinstance(text, str):
            raise _error(f"Activation.parse expects a string, got {type(text).__name__}")
        result = _parse(text)
        if len(result) < 2:
            raise _constant_error(text, result)
        return cls(result)

    @classmethod
    def from_coefficients(cls, coefficients: Iterable[int | Fraction | str]) -> Activation:
        """σ from ascending coefficients (ints, Fractions or strings like ``"-1/2"``); trailing zeros are dropped."""
        if isinstance(coefficients, (str, bytes)):
            raise _error("Activation.from_coefficients expects a sequence of coefficients in ascending powers, "
                         f"not a string; use Activation.parse({coefficients!r}) for text")
        if isinstance(coefficients, (Set, Mapping)) or not isinstance(coefficients, Iterable):
            raise _error("Activation.from_coefficients expects an ordered sequence of coefficients in ascending "
                         f"powers, got {type(coefficients).__name__}")
        values = _trim(_to_fraction(value, k) for k, value in enumerate(coefficients))
        if len(values) < 2:
            raise _constant_error(f"coefficients {list(map(str, values))}", values)
        return cls(values)

    @classmethod
    def coerce(cls, value: ActivationLike) -> Activation:
        """An ``Activation`` as is, a string through ``parse``, anything else through ``from_coefficients``."""
        if isinstance(value, Activation):
            return value
        if isinstance(value, str):
            return cls.parse(value)
        return cls.from_coefficients(value)

    @property
    def degree(self) -> int:
        """The degree of σ."""
        return len(self.coefficients) - 1

    @property
    def support(self) -> tuple[int, ...]:
        """The exponents k with a nonzero coefficient of x^k, ascending."""
        return tuple(k for k, c in enumerate(self.coefficients) if c != 0)

    @property
    def is_monomial(self) -> bool:
        """Exactly one nonzero coefficient: σ = a*x^d."""
        return len(self.support) == 1

    @property
    def is_linear(self) -> bool:
        """σ = a*x (degree 1, no constant term): the network is then a linear map."""
        return self.degree == 1 and self.is_monomial

    def __call__(self, value: Any) -> Any:
        """σ(value) by Horner's rule, for any ring element (see ``horner``)."""
        return horner(self.coefficients, value)

    def derivative_coefficients(self) -> Coefficients:
        """Ascending coefficients of σ'; a constant ``(a,)`` when σ has degree 1."""
        return tuple(k * c for k, c in enumerate(self.coefficients) if k > 0)

    def derivative_at(self, value: Any) -> Any:
        """σ'(value), of the type of ``value`` (see ``horner``)."""
        return horner(self.derivative_coefficients(), value)

    def __str__(self) -> str:
        return _format(self.coefficients)

    def __repr__(self) -> str:
        return f"Activation.parse({str(self)!r})"
