"""The document model of results (ground floor): a :class:`Summary` of labelled rows of text and formulas,
rendered as LaTeX or HTML, the :class:`Typeset` display protocol that results inherit, and the registry of
presenters keyed by class.

A result class (:class:`~neurom2.variety.dimension.Dimension`, ...) inherits :class:`Typeset`, which gives it

* ``_repr_html_`` (Jupyter shows a table) and ``_repr_latex_``;
* ``to_latex(names=..., max_equations=..., max_terms=...)``: a LaTeX fragment for a page, which compiles with
  ``\\usepackage{amsmath,amssymb}`` (ASCII, long equations broken, page breaks allowed: :mod:`neurom2.latex`),
  nothing truncated unless asked; ``_repr_latex_`` is one ``aligned`` block for MathJax;
* ``typeset(names=...)``: the :class:`Summary` itself, which a notebook displays;
* ``str(result)``: the command line's text report, and the same in IPython (``_repr_pretty_``).

What a result of a class looks like is not known here: the presentation layer (:mod:`neurom2.present`)
registers, per class, a summary builder and a text report with :func:`register`.  Lookup walks
``type(result).__mro__``, so a subclass is presented as its nearest registered base.

Late binding (the one allowed import of a higher layer, declared in ``tests/test_layers.py``): a result can
be displayed before anything imported the presentation layer, so on the first lookup that misses, this module
imports :data:`PRESENTERS` (by its module name, with :func:`importlib.import_module`), whose import registers
every presenter, and looks again.  Nothing else here knows a result class or a presenter.

Text in LaTeX is set with ``\\text{...}`` (special characters escaped); in HTML all text is escaped and
formulas are ``\\( ... \\)`` and ``\\[ ... \\]``, which Jupyter and the documentation typeset with MathJax.
The HTML is well-formed XML.
"""

from __future__ import annotations

import dataclasses
import html
import importlib
import reprlib
import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from neurom2.errors import InvalidOption
from neurom2.latex import SPECIAL, document, inline

NAMES = ("coefficients", "letters")
"""How coordinates are typeset: ``c_{k,(e)}``, or the slides' A, B, C, ... (one output)."""
DISPLAY_EQUATIONS = 10
"""Equations shown by ``_repr_html_``/``_repr_latex_``."""
DISPLAY_TERMS = 20
"""Terms shown per polynomial by ``_repr_html_``/``_repr_latex_``."""
WRAP = 100
"""Text rows of the LaTeX are broken into lines of at most this many characters (LaTeX does not wrap math)."""
TABLE_CLASS = "neurom2 mathjax_process tex2jax_process"
"""The class of every HTML table: MathJax typesets its formulas also inside pages that ignore math elsewhere
(Sphinx with myst-nb marks notebook pages ``mathjax_ignore``)."""
PRESENTERS = "neurom2.present.presenters"
"""The module whose import registers every presenter (imported on the first lookup that misses)."""


@dataclass(frozen=True)
class Style:
    """How to typeset: coordinate names (one of :data:`NAMES`) and truncation (``None``: no limit)."""

    names: str = "coefficients"
    max_equations: int | None = None
    max_terms: int | None = None

    def __post_init__(self) -> None:
        if self.names not in NAMES:
            raise InvalidOption(f"unknown names {self.names!r} (choose {', '.join(NAMES)})", "names")
        for name in ("max_equations", "max_terms"):
            value = getattr(self, name)
            if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 1):
                raise InvalidOption(f"{name} must be a positive integer or None, got {value!r}", name)


DISPLAY = Style(max_equations=DISPLAY_EQUATIONS, max_terms=DISPLAY_TERMS)
"""The style of displays: coordinate names, truncated."""
FULL = Style()
"""The default style: coordinate names, nothing truncated."""


# --- the document: rows of text and formulas ---------------------------------------------------------------


@dataclass(frozen=True)
class Math:
    """A formula in LaTeX math mode, without delimiters."""

    latex: str


Inline = tuple["str | Math", ...]
"""Text and formulas, in reading order."""


@dataclass(frozen=True)
class Row:
    """One line of a summary: a label, its content, and formulas displayed below it (equations)."""

    label: str
    content: Inline
    formulas: tuple[str, ...] = ()


@dataclass(frozen=True)
class Summary:
    """A result as a title and labelled rows; rendered as LaTeX (:meth:`latex`) or HTML (:meth:`html`)."""

    title: Inline
    rows: tuple[Row, ...]

    def latex(self) -> str:
        """One ``aligned`` block: the title, then ``label & content`` per row (text wrapped at :data:`WRAP`
        characters) and ``& formula`` per formula."""
        lines = [r"&" + _inline_latex(self.title)]
        for row in self.rows:
            label = rf"\text{{{escape_text(row.label)}}}\quad &"
            if all(isinstance(p, str) for p in row.content):
                first, *more = textwrap.wrap("".join(map(str, row.content)), WRAP) or [""]
                lines.append(label + rf"\text{{{escape_text(first)}}}")
                lines += [rf"& \text{{{escape_text(line)}}}" for line in more]
            else:
                lines.append(label + _inline_latex(row.content))
            lines += [rf"& {formula}" for formula in row.formulas]
        return "\\begin{aligned}\n" + " \\\\\n".join(lines) + "\n\\end{aligned}"

    def html(self) -> str:
        """An HTML table (well-formed XML), formulas as ``\\( \\)`` and ``\\[ \\]`` for MathJax."""
        rows = []
        for row in self.rows:
            cell = _inline_html(row.content) + "".join(
                f'<div class="neurom2-formula">\\[{html.escape(f)}\\]</div>' for f in row.formulas)
            rows.append(f'<tr><th style="text-align:left;vertical-align:top">{html.escape(row.label)}</th>'
                        f'<td style="text-align:left">{cell}</td></tr>')
        return (f'<table class="{TABLE_CLASS}"><caption style="text-align:left">{_inline_html(self.title)}</caption>'
                f"<tbody>{''.join(rows)}</tbody></table>")

    def page(self) -> str:
        """A LaTeX fragment for a printed page (:func:`neurom2.latex.document`): ASCII, long formulas broken
        into lines, page breaks allowed; it compiles with :data:`neurom2.latex.PREAMBLE`."""
        return document(_inline_page(self.title),
                        [(row.label, _inline_page(row.content), row.formulas) for row in self.rows])

    def _repr_html_(self) -> str:
        return self.html()

    def _repr_latex_(self) -> str:
        return "$$" + self.latex() + "$$"


def escape_text(text: str) -> str:
    """Text for ``\\text{...}``: LaTeX's special characters escaped."""
    return "".join(SPECIAL.get(ch, ch) for ch in text)


def _inline_latex(pieces: Inline) -> str:
    return " ".join(p.latex if isinstance(p, Math) else rf"\text{{{escape_text(p)}}}" for p in pieces)


def _inline_page(pieces: Inline) -> str:
    return inline((isinstance(p, Math), p.latex if isinstance(p, Math) else p) for p in pieces)


def _inline_html(pieces: Inline) -> str:
    return "".join(f"\\({html.escape(p.latex)}\\)" if isinstance(p, Math) else html.escape(p) for p in pieces)


# --- the registry of presenters, by class -------------------------------------------------------------------

SummaryBuilder = Callable[[Any, Style], Summary]
"""Builds the :class:`Summary` of a result in a :class:`Style`."""
TextReport = Callable[[Any], str]
"""The command line's text report of a result."""


@dataclass(frozen=True)
class Presenter:
    """How results of one class are presented: their typeset summary and their text report (either may be absent)."""

    summary: SummaryBuilder | None = None
    text: TextReport | None = None


_PRESENTERS: dict[type, Presenter] = {}


def register(cls: type, *, summary: SummaryBuilder | None = None, text: TextReport | None = None) -> None:
    """Present the results of ``cls`` (and of its subclasses without a presenter of their own) by ``summary``
    and ``text``; registering a class again replaces its presenter."""
    _PRESENTERS[cls] = Presenter(summary, text)


def presenter(result: Any) -> Presenter:
    """The presenter of the nearest class of ``type(result).__mro__`` that has one (an empty one if none has);
    the first miss imports :data:`PRESENTERS` (see the module docstring)."""
    for attempt in range(2):
        for cls in type(result).__mro__:
            found = _PRESENTERS.get(cls)
            if found is not None:
                return found
        if attempt == 0:
            importlib.import_module(PRESENTERS)
    return Presenter()


def summary(result: Any, style: Style = FULL) -> Summary:
    """The :class:`Summary` of a result (of any class with a registered summary, or a subclass)."""
    build = presenter(result).summary
    if build is None:
        raise TypeError(f"neurom2 cannot typeset a {type(result).__name__}")
    return build(result, style)


REPR_CHARS = 2000
"""``repr()`` of a result is at most this long: a notebook cell that shows ``L.infimum`` must not print the
thousand-digit moduli of its number fields."""
REPR_FIELD_CHARS = 120
"""Each field's value in ``repr()`` is cut to this many characters (its middle replaced by ``...``)."""


def bounded_repr(value: Any) -> str:
    """``Class(field=value, ...)`` of a dataclass, each value's ``repr`` cut to :data:`REPR_FIELD_CHARS` and the
    whole to :data:`REPR_CHARS`; the full values stay on the object (``result.field``) and in ``to_json()``."""
    shortened = reprlib.Repr()  # Python 3.11: limits are attributes, not constructor arguments
    shortened.maxlevel, shortened.maxtuple, shortened.maxlist, shortened.maxdict = 3, 4, 4, 4
    shortened.maxstring = shortened.maxother = shortened.maxlong = REPR_FIELD_CHARS
    parts = [f"{f.name}={shortened.repr(getattr(value, f.name))}" for f in dataclasses.fields(value) if f.repr]
    text = f"{type(value).__name__}({', '.join(parts)})"
    return text if len(text) <= REPR_CHARS else text[:REPR_CHARS - 4] + "...)"


class Typeset:
    """Rich display, LaTeX and the text report for a result class (see the module docstring).

    ``repr()`` is :func:`bounded_repr` for every subclass: :meth:`__init_subclass__` puts it into the class
    itself, where ``@dataclass`` (which adds ``__repr__`` only to a class that does not define one) leaves it.
    """

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "__repr__" not in cls.__dict__:
            cls.__repr__ = Typeset.__repr__  # type: ignore[method-assign]

    def __repr__(self) -> str:
        return bounded_repr(self) if dataclasses.is_dataclass(self) else object.__repr__(self)

    def typeset(self, names: str = "coefficients", max_equations: int | None = DISPLAY_EQUATIONS,
                max_terms: int | None = DISPLAY_TERMS) -> Summary:
        """The summary, which a notebook displays; e.g. ``variety.typeset(names="letters")``."""
        return summary(self, Style(names, max_equations, max_terms))

    def to_latex(self, names: str = "coefficients", max_equations: int | None = None,
                 max_terms: int | None = None) -> str:
        """This result as a LaTeX fragment for a page (:meth:`Summary.page`; it needs only
        ``\\usepackage{amsmath,amssymb}``); everything unless limits are given."""
        return summary(self, Style(names, max_equations, max_terms)).page()

    def _repr_latex_(self) -> str:
        return summary(self, DISPLAY)._repr_latex_()

    def _repr_html_(self) -> str:
        return summary(self, DISPLAY).html()

    def __str__(self) -> str:
        """The command line's text report, or the dataclass's ``repr`` for a class without one."""
        text = presenter(self).text
        return text(self) if text is not None else repr(self)

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        """IPython shows the text report (the ``repr`` stays the short :func:`bounded_repr`)."""
        printer.text(repr(self) if cycle else str(self))
