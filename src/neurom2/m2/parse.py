"""Strict parser for the serialisation that neurom2's Macaulay2 package prints.

The grammar is the ``toString`` of nested lists of integers and rationals, with ``listForm`` pairs:

    value    := list | pair | number
    list     := "{" [value ("," value)*] "}"
    pair     := "(" value "," value ")"
    number   := ["-"] digits ["/" digits]

Anything else (symbols, reals, error text, truncated output) raises :class:`Macaulay2OutputError`.
Lists become Python lists, pairs tuples, numbers ``int`` or ``Fraction``.
"""

from __future__ import annotations

import re
from fractions import Fraction
from typing import Sequence, Union

import sympy

from neurom2.errors import Macaulay2OutputError

Value = Union[int, Fraction, list, tuple]

_TOKEN = re.compile(r"\s*(?:(?P<number>-?[0-9]+(?:/[0-9]+)?)|(?P<punct>[{}(),]))")


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0

    def fail(self, expected: str) -> Macaulay2OutputError:
        snippet = self.text[self.pos:self.pos + 40]
        return Macaulay2OutputError(
            f"unexpected Macaulay2 output at character {self.pos}: expected {expected}, found {snippet!r}"
        )

    def token(self) -> tuple[str, str]:
        match = _TOKEN.match(self.text, self.pos)
        if not match:
            raise self.fail("a number, '{', '}', '(', ')' or ','")
        self.pos = match.end()
        kind = "number" if match.group("number") else match.group("punct")
        return kind, match.group(kind if kind == "number" else "punct")

    def peek(self) -> str:
        saved = self.pos
        try:
            return self.token()[0]
        finally:
            self.pos = saved

    def expect(self, kind: str) -> None:
        if self.token()[0] != kind:
            self.pos -= 1
            raise self.fail(repr(kind))

    def value(self) -> Value:
        kind, text = self.token()
        if kind == "number":
            if re.fullmatch(r"-?[0-9]+/0+", text):
                raise self.fail("a nonzero denominator")
            number = Fraction(text)
            return int(number) if number.denominator == 1 else number
        if kind == "{":
            items: list = []
            if self.peek() == "}":
                self.token()
                return items
            while True:
                items.append(self.value())
                kind, _ = self.token()
                if kind == "}":
                    return items
                if kind != ",":
                    raise self.fail("',' or '}'")
        if kind == "(":
            first = self.value()
            self.expect(",")
            second = self.value()
            self.expect(")")
            return (first, second)
        raise self.fail("a value")


def parse_value(text: str) -> Value:
    """Parse one serialised value; trailing text other than whitespace is an error."""
    parser = _Parser(text.strip())
    result = parser.value()
    if parser.pos != len(parser.text):
        raise parser.fail("end of output")
    return result


def polynomial_from_listform(terms: Sequence, symbols: Sequence[sympy.Symbol]) -> sympy.Poly:
    """Build a sympy Poly over QQ from Macaulay2's ``listForm``: a list of (exponents, coefficient)."""
    data: dict[tuple[int, ...], sympy.Rational] = {}
    for term in terms:
        if not (isinstance(term, tuple) and len(term) == 2 and isinstance(term[0], list) and len(term[0]) == len(symbols)):
            raise Macaulay2OutputError(f"malformed listForm term {term!r} for {len(symbols)} variables")
        exponents, coefficient = term
        if not all(isinstance(e, int) and e >= 0 for e in exponents) or isinstance(coefficient, (list, tuple)):
            raise Macaulay2OutputError(f"malformed listForm term {term!r}")
        if tuple(exponents) in data:
            raise Macaulay2OutputError(f"listForm repeats the exponent vector {exponents}")
        data[tuple(exponents)] = sympy.Rational(coefficient.numerator, coefficient.denominator)
    return sympy.Poly.from_dict(data, *symbols, domain=sympy.QQ)
