"""Targets: points of the ambient space V, read from polynomials that a user writes.

A target is what a network should compute: ``d_L`` polynomials in the inputs, one per output.  It is
stored as its coefficient vector in V's coordinates (:mod:`neurom2.model.space`: by output, then by the
monomial order), with exact rational entries.

Text grammar: ``target := poly (';' poly)*``, exactly d_L polynomials, each read by the strict polynomial
parser of :mod:`neurom2.model.polyparse` (grammar, exact numbers and limits there; the text is parsed, never
evaluated: it does not reach ``eval``, sympy or Macaulay2).  Variables are the inputs ``x1 .. xn``
(n = d_0); for n ≤ 3 the aliases ``x, y, z`` name ``x1, x2, x3`` (one style per polynomial, not both).
Every monomial must lie in V (right degree, right number of outputs); otherwise :class:`InvalidTarget`
names the offending monomial.
"""

from __future__ import annotations

import numbers
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction

from neurom2.errors import InvalidTarget, Neurom2Error
from neurom2.model.polyparse import NON_POLYNOMIAL, Exponents, Polynomial, PolynomialParser, Token, quote
from neurom2.model.space import AmbientSpace

_ALIASES = ("x", "y", "z")


def format_monomial(exponents: Exponents, names: Sequence[str] | None = None) -> str:
    """``x1^2*x3`` (or with the variables called ``names``); ``1`` for the constant monomial."""
    names = names or [f"x{i}" for i in range(1, len(exponents) + 1)]
    factors = [name if e == 1 else f"{name}^{e}" for name, e in zip(names, exponents) if e]
    return "*".join(factors) or "1"


def format_polynomial(terms: Iterable[tuple[Exponents, Fraction]], names: Sequence[str] | None = None) -> str:
    """Canonical text such as ``x1^3 - 1/2*x1*x2^2``, in the order given; ``0`` when there are no terms.
    ``names`` replaces the variable names x1, x2, ...."""
    parts: list[tuple[str, str]] = []
    for e, c in terms:
        if not c:
            continue
        monomial = format_monomial(e, names)
        magnitude = str(abs(c))
        body = magnitude if monomial == "1" else monomial if abs(c) == 1 else f"{magnitude}*{monomial}"
        parts.append(("-" if c < 0 else "+", body))
    if not parts:
        return "0"
    (sign, first), rest = parts[0], parts[1:]
    return ("-" if sign == "-" else "") + first + "".join(f" {s} {b}" for s, b in rest)


def format_graded(terms: dict[Exponents, Fraction], names: Sequence[str]) -> str:
    """A polynomial in the variables ``names``, highest degree first, lexicographically within a degree."""
    return format_polynomial(sorted(terms.items(), key=lambda t: (-sum(t[0]), [-e for e in t[0]])), names)


# --- parsing -------------------------------------------------------------------------------------------------


class _Parser(PolynomialParser):
    """The polynomial parser, worded for a target: inputs ``x1 .. xn``, or ``x, y, z`` when n ≤ 3."""

    noun = "target"
    error_type = InvalidTarget

    def __init__(self, text: str, start: int, end: int, n: int) -> None:
        variables = {f"x{i}": i - 1 for i in range(1, n + 1)}
        if n <= len(_ALIASES):
            variables.update({alias: i for i, alias in enumerate(_ALIASES[:n])})
        super().__init__(text, variables, start, end)
        self.styles: set[str] = set()

    def unknown_name(self, token: Token) -> Neurom2Error:
        name, position = token.text, token.position
        following = self.peek()
        if following is not None and following.text == "(":
            return self.not_polynomial(f"function calls such as {name}(...) are not allowed (position {position}); "
                                       "write a polynomial such as x^3 - x*y^2", position)
        if name.lower() in NON_POLYNOMIAL:
            return self.not_polynomial(f"{name} at position {position} names a non-polynomial function", position)
        if name.lower() in ("pi", "e", "i", "inf", "nan"):
            return self.not_polynomial(f"the constant {name} at position {position} is not allowed; coefficients "
                                       "must be rational numbers such as 3, -1/2 or 0.25", position)
        return self.fail(f"unknown variable {name!r} at position {position} in target {quote(self.text)}: "
                         f"{_variables_hint(self.n)}", position)

    def variable(self, token: Token) -> Polynomial:
        """The input named by ``token``, in the style (aliases or indexed) of the names before it."""
        result = super().variable(token)
        self.styles.add("aliases" if token.text in _ALIASES else "indexed")
        if len(self.styles) > 1:
            raise self.fail(f"target {quote(self.text)} mixes the names x, y, z with x1, x2, ... (at position "
                            f"{token.position}); use one of the two styles", token.position)
        return result


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
            raise InvalidTarget(f"empty polynomial for {where} in {quote(text)}")
        polynomials.append(_Parser(text, start, end, n).parse())
    return polynomials


# --- the value type ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    """A point of the ambient space V: exact coefficients in V's coordinate order (see :mod:`neurom2.model.space`)."""

    space: AmbientSpace
    coefficients: tuple[Fraction, ...]

    def __post_init__(self) -> None:
        if len(self.coefficients) != self.space.dim or not all(isinstance(c, Fraction) for c in self.coefficients):
            raise InvalidTarget(f"a target in {self.space.describe()} needs {self.space.dim} Fraction coefficients")

    @classmethod
    def parse(cls, text: str | Sequence[str], space: AmbientSpace) -> Target:
        """From text ``"p1; p2"`` or a list of strings, one polynomial per output."""
        if isinstance(text, str):
            polynomials = parse_polynomials(text, space.n_inputs)
        elif isinstance(text, Sequence) and all(isinstance(t, str) for t in text):
            polynomials = [p for t in text for p in parse_polynomials(t, space.n_inputs)]
        else:
            raise InvalidTarget(f"a target must be a string or a list of strings, got {type(text).__name__}")
        if len(polynomials) != space.n_outputs:
            got = f"{len(polynomials)} polynomial{'s' if len(polynomials) != 1 else ''}"
            wanted = "one polynomial (no ';')" if space.n_outputs == 1 else \
                f"{space.n_outputs} polynomials separated by ';'"
            raise InvalidTarget(f"the network has {space.n_outputs} output{'s' if space.n_outputs > 1 else ''}: "
                                f"give {wanted}, got {got}")
        index = {e: i for i, e in enumerate(space.monomials)}
        coefficients = [Fraction(0)] * space.dim
        for k, poly in enumerate(polynomials):
            for e in sorted(poly, key=lambda e: (sum(e), [-i for i in e])):
                if e not in index:
                    raise InvalidTarget(_outside_message(e, k, space))
                coefficients[k * len(space.monomials) + index[e]] = poly[e]
        return cls(space, tuple(coefficients))

    @classmethod
    def from_coefficients(cls, values: Iterable[int | Fraction | str], space: AmbientSpace) -> Target:
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
        """Whether every coefficient of the target is zero."""
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
