"""The ground-floor registry of presenters (:mod:`neurom2.typeset`): lookup by class along the MRO, the text
report as ``str``, and a clear error for a class nothing presents."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass

import pytest

from neurom2.typeset import Math, Row, Style, Summary, Typeset, register, summary


@dataclass(frozen=True)
class Count(Typeset):
    n: int


@dataclass(frozen=True)
class Unpresented(Typeset):
    n: int


def _count_summary(result: Count, style: Style) -> Summary:
    return Summary(("Count",), (Row("n", (Math(str(result.n)),)),))


register(Count, summary=_count_summary, text=lambda result: f"count {result.n}")


class Twice(Count):
    """A subclass without a presenter of its own: presented as its base."""


def test_a_subclass_is_presented_by_its_nearest_registered_base():
    result = Twice(3)
    assert summary(result).rows == (Row("n", (Math("3"),)),)
    assert str(result) == "count 3"
    ET.fromstring(result._repr_html_())  # well-formed XML
    assert result.to_latex().startswith("% typeset by neurom2") and "\\textbf{Count}" in result.to_latex()


def test_a_class_without_presenter_keeps_its_repr_and_cannot_be_typeset():
    result = Unpresented(2)
    assert str(result) == repr(result) == "Unpresented(n=2)"
    with pytest.raises(TypeError, match="cannot typeset a Unpresented"):
        result.to_latex()


def test_ipython_pretty_printing_shows_the_text_report():
    printed = []

    class Printer:
        def text(self, value: str) -> None:
            printed.append(value)

    Count(4)._repr_pretty_(Printer(), cycle=False)
    assert printed == ["count 4"]
