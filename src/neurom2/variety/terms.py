"""Integer expressions that show every term: the value of a bound and its text from one tree.

A :class:`Term` is an integer built from integers by +, −, ·, min and max.  Its :attr:`~Term.value` and its
texts are generated from the same tree, so a text always evaluates to the value:

* :attr:`~Term.numbers` writes every leaf as its integer: what a reader recomputes by hand;
* :attr:`~Term.formula` writes a leaf that has a label by its label, a quantity named in the notation of
  :mod:`neurom2.variety.bounds` (``N(2, 9)``, ``H(8, 9, 1)``, ``D(2, 3, 8)``): what each number is;
* :meth:`~Term.equation` joins them: ``formula = numbers = value``.

Conventions of the texts: ``·`` is multiplication, ``−`` subtraction, ``min(…)`` and ``max(…)`` take two or
more arguments; + and − bind less than ·, and parentheses are written exactly where they are needed.

The bounds are computed twice by the same functions, written over an :class:`Arithmetic`: with
:data:`INTEGERS` (plain ints, fast, for searching the best bound) and with :data:`TERMS` (a :class:`Term`,
for the text of the bound found).  The text therefore cannot drift from the value.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import reduce
from typing import Protocol, cast

OPERATIONS: dict[str, Callable[[int, int], int]] = {"+": operator.add, "−": operator.sub, "·": operator.mul}
"""The binary operations, by the sign that writes them."""

_PRECEDENCE = {"+": 1, "−": 1, "·": 2}
_ATOM = 3
"""Precedence of a leaf, min and max: never in parentheses."""


@dataclass(frozen=True)
class Term:
    """An integer ``value`` with the expression that computed it (a leaf when ``operation`` is empty)."""

    value: int
    operation: str = ""
    """A key of :data:`OPERATIONS`, ``min``, ``max``, or empty for a leaf."""
    operands: tuple[Term, ...] = ()
    label: str | None = None
    """For a leaf: the name of the quantity, written by :attr:`formula`."""

    @staticmethod
    def of(x: Value) -> Term:
        """``x`` as a term (an int as an unlabelled leaf)."""
        return x if isinstance(x, Term) else Term(x)

    def _binary(self, sign: str, other: Value, reflected: bool = False) -> Term:
        left, right = (Term.of(other), self) if reflected else (self, Term.of(other))
        return Term(OPERATIONS[sign](left.value, right.value), sign, (left, right))

    def __add__(self, other: Value) -> Term:
        return self._binary("+", other)

    def __radd__(self, other: int) -> Term:
        return self._binary("+", other, reflected=True)

    def __sub__(self, other: Value) -> Term:
        return self._binary("−", other)

    def __rsub__(self, other: int) -> Term:
        return self._binary("−", other, reflected=True)

    def __mul__(self, other: Value) -> Term:
        return self._binary("·", other)

    def __rmul__(self, other: int) -> Term:
        return self._binary("·", other, reflected=True)

    @property
    def precedence(self) -> int:
        """How tightly the term's operation binds, for parentheses."""
        return _PRECEDENCE.get(self.operation, _ATOM)

    def text(self, labels: bool) -> str:
        """The expression; leaves with a label by their label when ``labels``, else by their value."""
        if not self.operation:
            return self.label if labels and self.label else str(self.value)
        if self.operation in ("min", "max"):
            return f"{self.operation}({', '.join(operand.text(labels) for operand in self.operands)})"
        left, right = self.operands
        # (a − b) − c needs none, a − (b − c) does: the right operand of − is grouped at equal precedence
        right_grouped = right.precedence < self.precedence or (self.operation == "−" and right.precedence == self.precedence)
        sign = self.operation if self.operation == "·" else f" {self.operation} "
        return _grouped(left.text(labels), left.precedence < self.precedence) + sign + _grouped(right.text(labels), right_grouped)

    @property
    def numbers(self) -> str:
        """The term with its numbers only: ``min(6, 6)``."""
        return self.text(labels=False)

    @property
    def formula(self) -> str:
        """The term with its named quantities: ``min(N(3, 2), N(3, 2))``."""
        return self.text(labels=True)

    def equation(self) -> str:
        """``formula = numbers = value``, each written once (the formula only when it names a quantity)."""
        parts = [self.formula, self.numbers, str(self.value)]
        return " = ".join(part for i, part in enumerate(parts) if i == 0 or part != parts[i - 1])


Value = int | Term
"""What the functions written over an :class:`Arithmetic` compute: an int or a :class:`Term`."""


def _grouped(text: str, needed: bool) -> str:
    return f"({text})" if needed else text


def evaluate(x: Value) -> int:
    """The integer of an int or a :class:`Term`."""
    return x.value if isinstance(x, Term) else x


class Arithmetic(Protocol):
    """How the bounds of :mod:`neurom2.variety.bounds` compute: with ints or with terms."""

    def quantity(self, value: int) -> Value:
        """A number, as this arithmetic computes with it."""

    def named(self, value: int, function: str, arguments: tuple[int, ...]) -> Value:
        """The number ``value`` = function(arguments), e.g. N(2, 9) = 10 (the name is only written by terms)."""

    def minimum(self, *values: Value) -> Value:
        """The least of the values."""

    def maximum(self, *values: Value) -> Value:
        """The largest of the values."""

    def nonnegative(self, value: Value) -> Value:
        """max(value, 0)."""

    def total(self, values: Iterable[Value]) -> Value:
        """The sum of one or more values."""


class Integers:
    """Plain ints: the values only."""

    def quantity(self, value: int) -> Value:
        """An integer as a value."""
        return value

    def named(self, value: int, function: str, arguments: tuple[int, ...]) -> Value:
        """A named quantity, e.g. N(3, 2), as a value."""
        return value

    # Every value computed with this arithmetic is an int: the casts only tell the type checker.

    def minimum(self, *values: Value) -> Value:
        """The least of the values."""
        return min(cast(tuple[int, ...], values))

    def maximum(self, *values: Value) -> Value:
        """The largest of the values."""
        return max(cast(tuple[int, ...], values))

    def nonnegative(self, value: Value) -> Value:
        """max(value, 0)."""
        return max(cast(int, value), 0)

    def total(self, values: Iterable[Value]) -> Value:
        """The sum of the values."""
        return sum(cast(Iterable[int], values))


class Terms:
    """:class:`Term` trees: the values with their texts."""

    def quantity(self, value: int) -> Value:
        """An integer as a term."""
        return Term(value)

    def named(self, value: int, function: str, arguments: tuple[int, ...]) -> Value:
        """A named quantity as a term labelled ``function(arguments)``."""
        return Term(value, label=f"{function}({', '.join(map(str, arguments))})")

    def minimum(self, *values: Value) -> Value:
        """``min(...)`` of the terms."""
        return self._extremum("min", values)

    def maximum(self, *values: Value) -> Value:
        """``max(...)`` of the terms."""
        return self._extremum("max", values)

    @staticmethod
    def _extremum(name: str, values: tuple[Value, ...]) -> Term:
        """min or max of the values; of a single value, that value (written without min or max)."""
        terms = tuple(map(Term.of, values))
        if len(terms) == 1:
            return terms[0]
        return Term((min if name == "min" else max)(t.value for t in terms), name, terms)

    def nonnegative(self, value: Value) -> Value:
        """``value`` itself when it is ≥ 0 (max(value, 0) would equal it), else max(value, 0)."""
        return value if evaluate(value) >= 0 else self.maximum(value, 0)

    def total(self, values: Iterable[Value]) -> Value:
        """The sum of the terms."""
        return reduce(operator.add, map(Term.of, values))


INTEGERS: Arithmetic = Integers()
TERMS: Arithmetic = Terms()

__all__ = ["INTEGERS", "OPERATIONS", "TERMS", "Arithmetic", "Term", "Value", "evaluate"]
