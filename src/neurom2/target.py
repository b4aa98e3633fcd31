"""Targets: points of the ambient space V, read from polynomials that a user writes.

A target is what a network should compute: ``d_L`` polynomials in the inputs, one per output.  It is
stored as its coefficient vector in V's coordinates (:mod:`neurom2.space`: by output, then by the
monomial order), with exact rational entries.

Text grammar (whitespace is ignored; outputs are separated by ``;``)::

    target := poly (';' poly)*             -- exactly d_L polynomials
    poly   := term (('+' | '-') term)*
    term   := unary (('*' | '/') unary)*
    unary  := ('+' | '-') unary | power
    power  := atom (('^' | '**') unary)?   -- right-associative; -x^2 = -(x^2)
    atom   := number | variable | '(' poly ')'

Variables are the inputs ``x1 .. xn`` (n = d_0); for n ≤ 3 the aliases ``x, y, z`` name ``x1, x2, x3``
(one style per target, not both).  Numbers are integers or decimals, read exactly (``0.1`` is 1/10).
Exponents are non-negative integer constants; division only by nonzero constants; there is no implicit
multiplication (write ``2*x``).  The text is parsed here, never evaluated: it does not reach ``eval``,
sympy or Macaulay2.  Every monomial must lie in V (right degree, right number of outputs); otherwise
:class:`InvalidTarget` names the offending monomial.
"""

from __future__ import annotations

import numbers
from dataclasses import dataclass
from fractions import Fraction
from typing import Iterable, NamedTuple, Sequence

from .activation import _MAX_BITS, _MAX_LITERAL, _MAX_NESTING, _NON_POLYNOMIAL, _TOKEN
from .errors import Neurom2Error
from .space import AmbientSpace, Exponents

MAX_DEGREE = 64
MAX_TERMS = 100_000
_ALIASES = ("x", "y", "z")

Polynomial = dict[Exponents, Fraction]  # exponent vector -> nonzero coefficient


class InvalidTarget(Neurom2Error, ValueError):
    """A target is not a list of polynomials in the network's inputs lying in its ambient space V."""


def _quote(text: str) -> str:
    return repr(text) if len(text) <= 60 else repr(text[:50]) + "..."


# --- polynomial arithmetic on dicts {exponents: coefficient} -------------------------------------------------


def _add(a: Polynomial, b: Polynomial, sign: int = 1) -> Polynomial:
    result = dict(a)
    for e, c in b.items():
        value = result.get(e, 0) + sign * c
        if value:
            result[e] = value
        else:
            result.pop(e, None)
    return result


def _scale(a: Polynomial, factor: Fraction) -> Polynomial:
    return {e: c * factor for e, c in a.items()} if factor else {}


def _mul(a: Polynomial, b: Polynomial) -> Polynomial:
    result: Polynomial = {}
    for ea, ca in a.items():
        for eb, cb in b.items():
            e = tuple(i + j for i, j in zip(ea, eb))
            result[e] = result.get(e, 0) + ca * cb
    return {e: c for e, c in result.items() if c}


def _degree(a: Polynomial) -> int:
    return max((sum(e) for e in a), default=0)


def _constant(a: Polynomial, n: int) -> Fraction | None:
    """The value of a constant polynomial, None if it is not constant."""
    if not a:
        return Fraction(0)
    zero = (0,) * n
    return a[zero] if set(a) == {zero} else None


def _bits(a: Polynomial) -> int:
    return max((max(c.numerator.bit_length(), c.denominator.bit_length()) for c in a.values()), default=0)


def format_monomial(exponents: Exponents) -> str:
    """``x1^2*x3``; ``1`` for the constant monomial."""
    factors = [f"x{i}" if e == 1 else f"x{i}^{e}" for i, e in enumerate(exponents, start=1) if e]
    return "*".join(factors) or "1"


def format_polynomial(terms: Iterable[tuple[Exponents, Fraction]]) -> str:
    """Canonical text such as ``x1^3 - 1/2*x1*x2^2``, in the order given; ``0`` when there are no terms."""
    parts: list[tuple[str, str]] = []
    for e, c in terms:
        if not c:
            continue
        monomial = format_monomial(e)
        magnitude = str(abs(c))
        body = magnitude if monomial == "1" else monomial if abs(c) == 1 else f"{magnitude}*{monomial}"
        parts.append(("-" if c < 0 else "+", body))
    if not parts:
        return "0"
    (sign, first), rest = parts[0], parts[1:]
    return ("-" if sign == "-" else "") + first + "".join(f" {s} {b}" for s, b in rest)


# --- parsing -------------------------------------------------------------------------------------------------


class _Token(NamedTuple):
    kind: str  # "number", "name" or "op"
    text: str
    position: int


class _Parser:
    """Recursive descent over one polynomial (see the module docstring); positions refer to ``text``."""

    def __init__(self, text: str, start: int, end: int, n: int) -> None:
        self.text, self.n, self.depth, self.index = text, n, 0, 0
        self.tokens: list[_Token] = []
        position = start
        while position < end:
            match = _TOKEN.match(text, position, end)
            if match is None:
                raise self.malformed(f"unexpected character {text[position]!r}", position)
            if match.lastgroup != "space":
                self.tokens.append(_Token(match.lastgroup, match.group(), position))
            position = match.end()
        self.end = end
        self.styles: set[str] = set()

    def malformed(self, what: str, position: int) -> InvalidTarget:
        return InvalidTarget(f"malformed target {_quote(self.text)}: {what} at position {position}")

    def not_polynomial(self, what: str) -> InvalidTarget:
        return InvalidTarget(f"target {_quote(self.text)} is not a polynomial: {what}")

    def peek(self) -> _Token | None:
        return self.tokens[self.index] if self.index < len(self.tokens) else None

    def position(self) -> int:
        token = self.peek()
        return token.position if token else self.end

    def accept(self, *ops: str) -> _Token | None:
        token = self.peek()
        if token is not None and token.kind == "op" and token.text in ops:
            self.index += 1
            return token
        return None

    def unexpected(self, expected: str) -> InvalidTarget:
        token = self.peek()
        if token is None:
            return self.malformed(f"expected {expected} but the polynomial ended", self.end)
        return self.malformed(f"expected {expected}, found {token.text!r}", token.position)

    def parse(self) -> Polynomial:
        if not self.tokens:
            raise self.malformed("empty polynomial", self.end)
        result = self.expr()
        if (token := self.accept(")")) is not None:
            raise self.malformed("unmatched ')'", token.position)
        if self.peek() is not None:
            raise self.unexpected("an operator")
        return result

    def expr(self) -> Polynomial:
        result = self.term()
        while (token := self.accept("+", "-")) is not None:
            result = _add(result, self.term(), 1 if token.text == "+" else -1)
            self.check_size(result, token.position)
        return result

    def term(self) -> Polynomial:
        result = self.unary()
        while (token := self.accept("*", "/")) is not None:
            start = self.position()
            rhs = self.unary()
            if token.text == "*":
                self.check_degree(_degree(result) + _degree(rhs), token.position)
                self.check_size(result, token.position, len(rhs))
                result = _mul(result, rhs)
                continue
            divisor = _constant(rhs, self.n)
            if divisor is None:
                source = self.text[start:self.position()].strip()
                raise self.not_polynomial(f"division by the non-constant {_quote(source)} at position {start}; "
                                          "only division by a nonzero constant is allowed")
            if divisor == 0:
                raise InvalidTarget(f"division by zero in target {_quote(self.text)} at position {start}")
            result = _scale(result, 1 / divisor)
        return result

    def unary(self) -> Polynomial:
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

    def power(self) -> Polynomial:
        base = self.atom()
        if self.accept("^", "**") is None:
            return base
        start = self.position()
        exponent = _constant(self.unary(), self.n)
        source = self.text[start:self.position()].strip()
        if exponent is None:
            raise self.not_polynomial(f"non-constant exponent {_quote(source)} at position {start}; "
                                      "exponents must be non-negative integer constants")
        if exponent.denominator != 1:
            raise self.not_polynomial(f"fractional exponent {exponent} at position {start}; exponents must be "
                                      "non-negative integers")
        base_value = _constant(base, self.n)
        if exponent < 0 and base_value is None:
            raise self.not_polynomial(f"negative exponent {exponent} at position {start}; exponents of variables "
                                      "must be non-negative integers")
        if exponent < 0 and base_value == 0:
            raise InvalidTarget(f"division by zero in target {_quote(self.text)}: 0 raised to the negative power "
                                f"{exponent} at position {start}")
        e = int(exponent)
        if base_value is not None:
            if base_value not in (0, 1, -1) and _bits(base) * abs(e) > _MAX_BITS:
                raise InvalidTarget(f"numbers too large in target {_quote(self.text)}: the power at position "
                                    f"{start} would exceed {_MAX_BITS} bits")
            value = base_value ** e if e or base_value else Fraction(1)
            return {(0,) * self.n: Fraction(value)} if value else {}
        self.check_degree(_degree(base) * e, start)
        result: Polynomial = {(0,) * self.n: Fraction(1)}
        for _ in range(e):
            self.check_size(result, start, len(base))
            result = _mul(result, base)
        return result

    def atom(self) -> Polynomial:
        token = self.peek()
        if token is None or (token.kind == "op" and token.text != "("):
            raise self.unexpected("a number, a variable or '('")
        self.index += 1
        if token.kind == "number":
            return self.number(token)
        if token.kind == "op":  # "("
            result = self.expr()
            if self.accept(")") is None:
                if self.peek() is None:
                    raise self.malformed("missing ')' for the '(' opened", token.position)
                raise self.unexpected("')'")
            return result
        return self.variable(token)

    def number(self, token: _Token) -> Polynomial:
        mantissa, _, exponent = token.text.lower().partition("e")
        if len(mantissa) > _MAX_LITERAL or (exponent and abs(int(exponent[:_MAX_LITERAL + 2])) > _MAX_LITERAL):
            raise InvalidTarget(f"number too large in target {_quote(self.text)} at position {token.position}: "
                                f"literals are limited to {_MAX_LITERAL} digits and exponents to 1e±{_MAX_LITERAL}")
        value = Fraction(token.text)
        return {(0,) * self.n: value} if value else {}

    def variable(self, token: _Token) -> Polynomial:
        name = token.text
        index = self.variable_index(name)
        if index is None:
            following = self.peek()
            if following is not None and following.text == "(":
                raise self.not_polynomial(f"function calls such as {name}(...) are not allowed (position "
                                          f"{token.position}); write a polynomial such as x^3 - x*y^2")
            if name.lower() in _NON_POLYNOMIAL:
                raise self.not_polynomial(f"{name} at position {token.position} names a non-polynomial function")
            if name.lower() in ("pi", "e", "i", "inf", "nan"):
                raise self.not_polynomial(f"the constant {name} at position {token.position} is not allowed; "
                                          "coefficients must be rational numbers such as 3, -1/2 or 0.25")
            raise InvalidTarget(f"unknown variable {name!r} at position {token.position} in target "
                                f"{_quote(self.text)}: {_variables_hint(self.n)}")
        style = "aliases" if name in _ALIASES else "indexed"
        self.styles.add(style)
        if len(self.styles) > 1:
            raise InvalidTarget(f"target {_quote(self.text)} mixes the names x, y, z with x1, x2, ... (at position "
                                f"{token.position}); use one of the two styles")
        exponents = [0] * self.n
        exponents[index] = 1
        return {tuple(exponents): Fraction(1)}

    def variable_index(self, name: str) -> int | None:
        if name in _ALIASES[: self.n] and self.n <= len(_ALIASES):
            return _ALIASES.index(name)
        if name.startswith("x") and name[1:].isdigit() and not name[1:].startswith("0"):
            i = int(name[1:])
            return i - 1 if 1 <= i <= self.n else None
        return None

    def check_degree(self, degree: int, position: int) -> None:
        if degree > MAX_DEGREE:
            raise InvalidTarget(f"target {_quote(self.text)} reaches degree {degree} at position {position}, "
                                f"beyond the supported maximum {MAX_DEGREE}")

    def check_size(self, a: Polynomial, position: int, factor: int = 1) -> None:
        if len(a) * factor > MAX_TERMS:
            raise InvalidTarget(f"target {_quote(self.text)} has too many terms at position {position} "
                                f"(more than {MAX_TERMS})")


def _variables_hint(n: int) -> str:
    names = ", ".join(f"x{i}" for i in range(1, n + 1))
    alias = f" (or {', '.join(_ALIASES[:n])})" if n <= len(_ALIASES) else ""
    return f"the network has {n} input{'s' if n > 1 else ''}, named {names}{alias}"


def parse_polynomials(text: str, n: int) -> list[Polynomial]:
    """The polynomials of a ``;``-separated target text, in ``n`` variables (see the module docstring)."""
    if not isinstance(text, str):
        raise InvalidTarget(f"a target must be text, got {type(text).__name__}")
    pieces, start = [], 0
    for end in [i for i, ch in enumerate(text) if ch == ";"] + [len(text)]:
        pieces.append((start, end))
        start = end + 1
    polynomials = []
    for k, (start, end) in enumerate(pieces, start=1):
        if not text[start:end].strip():
            where = f"output {k} of {len(pieces)}" if len(pieces) > 1 else "the target"
            raise InvalidTarget(f"empty polynomial for {where} in {_quote(text)}")
        polynomials.append(_Parser(text, start, end, n).parse())
    return polynomials


# --- the value type ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    """A point of the ambient space V: exact coefficients in V's coordinate order (see :mod:`neurom2.space`)."""

    space: AmbientSpace
    coefficients: tuple[Fraction, ...]

    def __post_init__(self) -> None:
        if len(self.coefficients) != self.space.dim or not all(isinstance(c, Fraction) for c in self.coefficients):
            raise InvalidTarget(f"a target in {self.space.describe()} needs {self.space.dim} Fraction coefficients")

    @classmethod
    def parse(cls, text: str | Sequence[str], space: AmbientSpace) -> "Target":
        """From text ``"p1; p2"`` or a list of strings, one polynomial per output."""
        if isinstance(text, str):
            polynomials = parse_polynomials(text, space.n_inputs)
        elif isinstance(text, Sequence) and all(isinstance(t, str) for t in text):
            polynomials = [p for t in text for p in parse_polynomials(t, space.n_inputs)]
        else:
            raise InvalidTarget(f"a target must be a string or a list of strings, got {type(text).__name__}")
        if len(polynomials) != space.n_outputs:
            got = f"{len(polynomials)} polynomial{'s' if len(polynomials) != 1 else ''}"
            raise InvalidTarget(f"the network has {space.n_outputs} output{'s' if space.n_outputs > 1 else ''}: "
                                f"give {space.n_outputs} polynomials separated by ';', got {got}")
        index = {e: i for i, e in enumerate(space.monomials)}
        coefficients = [Fraction(0)] * space.dim
        for k, poly in enumerate(polynomials):
            for e in sorted(poly, key=lambda e: (sum(e), [-i for i in e])):
                if e not in index:
                    raise InvalidTarget(_outside_message(e, k, space))
                coefficients[k * len(space.monomials) + index[e]] = poly[e]
        return cls(space, tuple(coefficients))

    @classmethod
    def from_coefficients(cls, values: Iterable[int | Fraction | str], space: AmbientSpace) -> "Target":
        """From a coefficient vector in V's coordinate order (ints, Fractions or strings like ``"-1/2"``)."""
        coefficients = []
        for value in values:
            if isinstance(value, bool) or not isinstance(value, (numbers.Rational, str)):
                raise InvalidTarget(f"target coefficient {value!r} is not an exact rational number")
            try:
                coefficients.append(Fraction(value))
            except (ValueError, ZeroDivisionError):
                raise InvalidTarget(f"target coefficient {value!r} is not a rational number") from None
        if len(coefficients) != space.dim:
            raise InvalidTarget(f"a target in {space.describe()} has {space.dim} coefficients, got {len(coefficients)}")
        return cls(space, tuple(coefficients))

    @property
    def polynomials(self) -> list[Polynomial]:
        """One dict {exponents: coefficient} per output."""
        m = len(self.space.monomials)
        return [{e: c for e, c in zip(self.space.monomials, self.coefficients[k * m:(k + 1) * m]) if c}
                for k in range(self.space.n_outputs)]

    @property
    def is_zero(self) -> bool:
        return not any(self.coefficients)

    def __str__(self) -> str:
        """Canonical text, highest degree first, outputs separated by ``"; "``; parses back to the same target."""
        return "; ".join(format_polynomial(sorted(p.items(), key=lambda t: (-sum(t[0]), [-i for i in t[0]])))
                         for p in self.polynomials)


def _outside_message(e: Exponents, k: int, space: AmbientSpace) -> str:
    degree = sum(e)
    where = f" (output {k + 1})" if space.n_outputs > 1 else ""
    allowed = ", ".join(map(str, space.degrees))
    plural = "s" if len(space.degrees) > 1 else ""
    return (f"the target has the monomial {format_monomial(e)} of degree {degree}{where}, which is not in the "
            f"ambient space V = {space.describe()}: the network's outputs have degree{plural} {allowed} only")
