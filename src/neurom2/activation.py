"""Polynomial activations σ ∈ QQ[x] of polynomial neural networks.

Conventions
-----------
* An activation is a non-constant univariate polynomial σ(x) = c_0 + c_1 x + ... + c_d x^d over the field QQ
  of rational numbers, stored as ``coefficients = (c_0, ..., c_d)`` in *ascending* powers (``coefficients[k]``
  is the coefficient of x^k), as ``fractions.Fraction`` values, with ``c_d != 0`` and ``d >= 1``.
* ``Activation.parse`` reads text with a small hand-written parser; user text never reaches ``eval``,
  ``sympify`` or any other evaluator. Grammar (whitespace is ignored)::

      expr  := term (('+' | '-') term)*
      term  := unary (('*' | '/') unary)*
      unary := ('+' | '-') unary | power
      power := atom (('^' | '**') unary)?      -- right-associative: x^2^3 = x^(2^3); -x^2 = -(x^2)
      atom  := number | variable | '(' expr ')'

  Numbers are integers or decimals (``2``, ``0.5``, ``.25``, ``1e-3``), converted exactly to fractions. The
  variable is ``x``; ``t`` is accepted as an alias only when no ``x`` appears. There is no implicit
  multiplication (write ``2*x``). Exponents must be integer constants, non-negative unless the base is a
  nonzero constant (``2^-1 = 1/2``); division is allowed only by nonzero constants. Every intermediate result
  has degree at most ``MAX_DEGREE``.
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
from typing import Any, NamedTuple, Union

from neurom2.errors import InvalidActivation

MAX_DEGREE = 64
_MAX_BITS = 4096  # bound on numerators/denominators: keeps arithmetic cheap and str() under Python's digit limit
_MAX_LITERAL = 1000  # digits of one number literal, and |exponent| of its e-notation
_MAX_NESTING = 100  # parentheses / unary signs / exponents; the parser recurses on each
_HINT = "neurom2 needs a polynomial activation like x^2 or x^3 + x"
_NON_POLYNOMIAL = frozenset(
    "relu relu6 leakyrelu leaky_relu prelu elu selu celu gelu silu swish mish sigmoid logistic hardsigmoid "
    "tanh hardtanh softplus softsign softmax exp log ln sqrt abs sign max min step heaviside erf "
    "sin cos tan sinh cosh arcsin arccos arctan asin acos atan".split()
)
_NUMBER = r"(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?"
_TOKEN = re.compile(
    rf"(?P<space>[ \t\r\n]+)|(?P<number>{_NUMBER})|(?P<name>[A-Za-z_][A-Za-z_0-9]*)|(?P<op>\*\*|[-+*/^()])"
)
_RATIONAL = re.compile(rf"\s*([+-]?)\s*({_NUMBER})(?:\s*/\s*([0-9]+))?\s*")

Coefficients = tuple[Fraction, ...]  # ascending powers, no trailing zeros; () is the zero polynomial
ActivationLike = Union["Activation", str, Iterable[Union[int, Fraction, str]]]


def _quote(text: str) -> str:
    return repr(text) if len(text) <= 60 else repr(text[:50]) + "..."


def _error(message: str, text: str | None = None, position: int | None = None) -> InvalidActivation:
    error = InvalidActivation(message)
    error.text, error.position = text, position
    return error


# --- polynomial arithmetic on ascending coefficient tuples -------------------------------------------------


def _trim(coefficients: Iterable[Fraction]) -> Coefficients:
    result = list(coefficients)
    while result and result[-1] == 0:
        result.pop()
    return tuple(result)


def _add(a: Coefficients, b: Coefficients) -> Coefficients:
    zero = Fraction(0)
    return _trim((a[k] if k < len(a) else zero) + (b[k] if k < len(b) else zero) for k in range(max(len(a), len(b))))


def _scale(a: Coefficients, factor: Fraction) -> Coefficients:
    return _trim(c * factor for c in a)


def _mul(a: Coefficients, b: Coefficients) -> Coefficients:
    if not a or not b:
        return ()
    result = [Fraction(0)] * (len(a) + len(b) - 1)
    for i, ai in enumerate(a):
        for j, bj in enumerate(b):
            result[i + j] += ai * bj
    return _trim(result)


def _bits(a: Coefficients) -> int:
    return max((max(c.numerator.bit_length(), c.denominator.bit_length()) for c in a), default=0)


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


class _Token(NamedTuple):
    kind: str  # "number", "name" or "op"
    text: str
    position: int


def _number(literal: str, text: str, position: int) -> Fraction:
    mantissa, _, exponent = literal.lower().partition("e")
    if len(mantissa) > _MAX_LITERAL or (exponent and abs(int(exponent[: _MAX_LITERAL + 2])) > _MAX_LITERAL):
        raise _error(f"number too large in activation {_quote(text)} at position {position}: literals are limited "
                     f"to {_MAX_LITERAL} digits and exponents to 1e±{_MAX_LITERAL}", text, position)
    return Fraction(literal)


class _Parser:
    def __init__(self, text: str) -> None:
        self.text, self.tokens, self.index, self.depth = text, [], 0, 0
        position = 0
        while position < len(text):
            match = _TOKEN.match(text, position)
            if match is None:
                raise self.malformed(f"unexpected character {text[position]!r}", position)
            if match.lastgroup != "space":
                self.tokens.append(_Token(match.lastgroup, match.group(), position))
            position = match.end()
        names = {token.text for token in self.tokens if token.kind == "name"}
        self.variable = "t" if "t" in names and "x" not in names else "x"

    def malformed(self, what: str, position: int, why: str = "") -> InvalidActivation:
        message = f"malformed activation {_quote(self.text)}: {what} at position {position}{why}"
        return _error(message, self.text, position)

    def not_polynomial(self, what: str, position: int) -> InvalidActivation:
        return _error(f"{_quote(self.text)} is not a polynomial: {what}", self.text, position)

    def peek(self) -> _Token | None:
        return self.tokens[self.index] if self.index < len(self.tokens) else None

    def position(self) -> int:
        token = self.peek()
        return token.position if token else len(self.text)

    def accept(self, *ops: str) -> _Token | None:
        token = self.peek()
        if token is not None and token.kind == "op" and token.text in ops:
            self.index += 1
            return token
        return None

    def unexpected(self, expected: str) -> InvalidActivation:
        token = self.peek()
        if token is None:
            return self.malformed(f"expected {expected} but the text ended", len(self.text))
        if token.kind != "op" or token.text == "(":
            return self.malformed(f"unexpected {token.text!r}", token.position, " (missing operator; write '*')")
        return self.malformed(f"unexpected {token.text!r}", token.position, f" (expected {expected})")

    def parse(self) -> Coefficients:
        if not self.tokens:
            raise self.malformed("empty expression", 0)
        result = self.expr()
        if (token := self.accept(")")) is not None:
            raise self.malformed("unmatched ')'", token.position)
        if self.peek() is not None:
            raise self.unexpected("an operator")
        return result

    def expr(self) -> Coefficients:
        result = self.term()
        while (token := self.accept("+", "-")) is not None:
            rhs = self.term()
            result = _add(result, rhs if token.text == "+" else _scale(rhs, Fraction(-1)))
        return result

    def term(self) -> Coefficients:
        result = self.unary()
        while (token := self.accept("*", "/")) is not None:
            start = self.position()
            rhs = self.unary()
            if token.text == "*":
                self.check_degree(len(result) + len(rhs) - 2, token.position)
                result = _mul(result, rhs)
            elif not rhs:
                raise _error(f"division by zero in activation {_quote(self.text)} at position {start}",
                             self.text, start)
            elif len(rhs) > 1:
                divisor = self.text[start:self.position()].strip()
                raise self.not_polynomial(f"division by the non-constant {_quote(divisor)} at position {start}; "
                                          f"only division by a nonzero constant is allowed", start)
            else:
                result = _scale(result, 1 / rhs[0])
        return result

    def unary(self) -> Coefficients:
        self.depth += 1
        try:
            if self.depth > _MAX_NESTING:
                raise self.malformed(f"expression nested more than {_MAX_NESTING} levels deep", self.position())
            token = self.accept("+", "-")
            if token is None:
                return self.power()
            operand = self.unary()
            return operand if token.text == "+" else _scale(operand, Fraction(-1))
        finally:
            self.depth -= 1

    def power(self) -> Coefficients:
        base = self.atom()
        if self.accept("^", "**") is None:
            return base
        start = self.position()
        exponent = self.unary()
        source = self.text[start:self.position()].strip()
        if len(exponent) > 1:
            raise self.not_polynomial(f"non-constant exponent {_quote(source)} at position {start}; "
                                      "exponents must be integer constants", start)
        e = exponent[0] if exponent else Fraction(0)
        if e.denominator != 1:
            raise self.not_polynomial(f"fractional exponent {e} at position {start}; exponents must be integers", start)
        if e < 0 and len(base) != 1:
            if not base:
                raise _error(f"division by zero in activation {_quote(self.text)}: 0 raised to the negative power {e} "
                             f"at position {start}", self.text, start)
            raise self.not_polynomial(f"negative exponent {e} at position {start}; x^-n = 1/x^n is not a "
                                      "polynomial, exponents of x must be non-negative integers", start)
        e = int(e)
        if not base:
            return (Fraction(1),) if e == 0 else ()
        self.check_degree((len(base) - 1) * e, start)  # before computing anything
        if abs(base[0]) != 1 or len(base) > 1:
            if _bits(base) * abs(e) > _MAX_BITS:
                raise _error(f"numbers too large in activation {_quote(self.text)}: the power at position {start} "
                             f"would exceed {_MAX_BITS} bits", self.text, start)
        if len(base) == 1:
            return (base[0] ** e,)
        result: Coefficients = (Fraction(1),)
        for _ in range(e):
            result = _mul(result, base)
        return result

    def atom(self) -> Coefficients:
        token = self.peek()
        if token is None or (token.kind == "op" and token.text != "("):
            raise self.unexpected("a number, x or '('")
        self.index += 1
        if token.kind == "number":
            return _trim((_number(token.text, self.text, token.position),))
        if token.kind == "op":  # "("
            result = self.expr()
            if self.accept(")") is None:
                if self.peek() is None:
                    raise self.malformed("missing ')' for the '(' opened", token.position)
                raise self.unexpected("')'")
            return result
        return self.name(token)

    def name(self, token: _Token) -> Coefficients:
        name, lower = token.text, token.text.lower()
        if name == self.variable:
            return (Fraction(0), Fraction(1))
        following = self.peek()
        if following is not None and following.text == "(":
            what = f"activation functions such as {name}" if lower in _NON_POLYNOMIAL else \
                f"function calls such as {name}(...)"
            raise self.not_polynomial(f"{what} are not allowed; {_HINT}", token.position)
        if lower in _NON_POLYNOMIAL:
            raise self.not_polynomial(f"{name} names a non-polynomial activation function; {_HINT}", token.position)
        if lower in ("pi", "e"):
            raise self.not_polynomial(f"the irrational constant {name} is not allowed; coefficients must be "
                                      "rational numbers such as 3, -1/2 or 0.25", token.position)
        note = " (t is an alias of x only when x does not appear)" if name == "t" else \
            " (names are case-sensitive)" if lower == self.variable else ""
        raise _error(f"activation must be univariate in {self.variable}; found a second variable '{name}' at "
                     f"position {token.position}{note}", self.text, token.position)

    def check_degree(self, degree: int, position: int) -> None:
        if degree > MAX_DEGREE:
            raise _error(f"activation {_quote(self.text)} reaches degree {degree} at position {position}, which "
                         f"exceeds the maximum supported degree {MAX_DEGREE}", self.text, position)


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
        result = _number(literal, value, match.start(2)) / int(denominator or 1)
        return -result if sign == "-" else result
    raise _error(f"{where} has unsupported type {type(value).__name__}; expected int, Fraction or str")


def _constant_error(text: str, value: Coefficients) -> InvalidActivation:
    return _error(f"constant activation {_quote(text)} = {_format(value)}: a network with a constant activation "
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
        if _bits(c) > _MAX_BITS:
            raise _error(f"activation coefficients are too large (more than {_MAX_BITS} bits)")

    @classmethod
    def parse(cls, text: str) -> Activation:
        """Read a polynomial in x such as ``"x^3 + x"`` or ``"1/2*x**2 - 3"`` (grammar in the module docstring)."""
        if not isinstance(text, str):
            raise _error(f"Activation.parse expects a string, got {type(text).__name__}")
        result = _Parser(text).parse()
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
