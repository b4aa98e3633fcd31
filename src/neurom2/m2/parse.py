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
from collections.abc import Sequence
from fractions import Fraction
from typing import Any

from neurom2.errors import Macaulay2OutputError
from neurom2.exact.terms import Terms, polynomial_from_terms

Value = int | Fraction | list | tuple

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


def listform_terms(terms: Any, nvars: int | None = None) -> Terms:
    """Decode Macaulay2's ``listForm`` of one polynomial, strictly: a list of pairs (exponent list,
    coefficient) with non-negative integer exponents (``nvars`` of them, when given), a nonzero rational
    coefficient, and no exponent vector twice.  Anything else raises :class:`Macaulay2OutputError`."""
    if not isinstance(terms, list):
        raise Macaulay2OutputError(f"expected a listForm (a list of terms), got {str(terms)[:200]}")
    result: Terms = {}
    for term in terms:
        if not (isinstance(term, tuple) and len(term) == 2 and isinstance(term[0], list)):
            raise Macaulay2OutputError(f"malformed listForm term {term!r}")
        exponents, coefficient = term
        if nvars is not None and len(exponents) != nvars:
            raise Macaulay2OutputError(f"malformed listForm term {term!r} for {nvars} variables")
        if not all(isinstance(e, int) and e >= 0 for e in exponents) or not isinstance(coefficient, (int, Fraction)):
            raise Macaulay2OutputError(f"malformed listForm term {term!r}")
        if coefficient == 0:
            raise Macaulay2OutputError(f"listForm term {term!r} has a zero coefficient")
        key = tuple(exponents)
        if key in result:
            raise Macaulay2OutputError(f"listForm repeats the exponent vector {exponents}")
        result[key] = Fraction(coefficient)
    return result


def polynomial_from_listform(terms: Any, symbols: Sequence[Any]) -> Any:
    """A sympy ``Poly`` over QQ in ``symbols`` from Macaulay2's ``listForm`` (decoded by :func:`listform_terms`)."""
    return polynomial_from_terms(listform_terms(terms, len(symbols)), symbols)
