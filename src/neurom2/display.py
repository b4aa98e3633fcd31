"""Typesetting results: LaTeX and HTML for notebooks, papers and ``neurom2 implicit --format latex``.

Every result a user holds (:class:`~neurom2.variety.neurovariety.Neurovariety`,
:class:`~neurom2.variety.dimension.Dimension`, :class:`~neurom2.real.membership.Membership`, the loss
landscape :class:`~neurom2.training.landscape.Landscape`, a stored batch row
:class:`~neurom2.batch.store.ResultRow`, ...) inherits :class:`Typeset`, which gives it

* ``_repr_html_`` (Jupyter shows a table: the network, V, dim, degree, what is proved and how, and the
  equations typeset; long ideals truncated) and ``_repr_latex_``;
* ``to_latex(names=..., max_equations=..., max_terms=...)``: the same as a LaTeX fragment for a page, which
  compiles with ``\\usepackage{amsmath,amssymb}`` (ASCII, long equations broken, page breaks allowed:
  :mod:`neurom2.latex`), nothing truncated unless asked; ``_repr_latex_`` is one ``aligned`` block for MathJax;
* ``typeset(names=...)``: the :class:`Summary` itself, which a notebook displays, e.g. with the slides'
  letters.

Conventions:

* Coordinates of V (:mod:`neurom2.model.space`): the coefficient of x^e in output k, named ``c{k}_{e1}_..._{en}``
  in text and JSON, is typeset :math:`c_{k,(e_1,\\dots,e_n)}`, e.g. ``c_{1,(0,2,1)}`` (``names="coefficients"``).
  With ``names="letters"`` a network with one output has the coordinates A, B, C, ... in the order of the
  monomial basis and inputs x, y, z, as in the slides: A x³ + B x²y + C xy² + D y³.
* Equations are typeset term by term from the exact polynomials (rational coefficients as fractions), in
  the order of the polynomial's terms; ``F = 0`` per minimal generator.
* Points of V (a landscape's critical points, its argmin) are typeset as the polynomials they are,
  ``f = ...`` per output in V's monomial order: exactly when every coordinate is a short rational, else
  ``f \\approx ...`` rounded to :data:`DECIMALS` digits (the exact values or certified intervals stay in the
  result); losses as ``L = p/q``, ``L \\in [lo, hi]`` (certified) or ``L \\approx ...``.
* Truncation: at most ``max_equations`` equations (critical points, candidates) and ``max_terms`` terms per
  polynomial are shown, and what is left out is said; ``None`` shows everything.  Displays use :data:`DISPLAY_EQUATIONS` and
  :data:`DISPLAY_TERMS`.

Text in LaTeX is set with ``\\text{...}`` (special characters escaped); in HTML all text is escaped and
formulas are ``\\( ... \\)`` and ``\\[ ... \\]``, which Jupyter and the documentation typeset with MathJax.
The HTML is well-formed XML.
"""

from __future__ import annotations

import html
import itertools
import textwrap
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from neurom2.errors import InvalidOption
from neurom2.latex import SPECIAL, document, inline, table

if TYPE_CHECKING:  # imported lazily: results import this module
    from neurom2.batch.store import ResultRow
    from neurom2.model.architecture import Architecture
    from neurom2.model.space import AmbientSpace
    from neurom2.real.membership import Membership
    from neurom2.training.landscape import Landscape
    from neurom2.variety.dimension import Dimension
    from neurom2.variety.neurovariety import Neurovariety

NAMES = ("coefficients", "letters")
"""How coordinates are typeset: ``c_{k,(e)}``, or the slides' A, B, C, ... (one output)."""
DISPLAY_EQUATIONS = 10
"""Equations shown by ``_repr_html_``/``_repr_latex_``."""
DISPLAY_TERMS = 20
"""Terms shown per polynomial by ``_repr_html_``/``_repr_latex_``."""
LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
GENERIC_TERMS = 4
"""Terms of the element of V that shows the coordinates' names, when V has many monomials."""
WRAP = 100
"""Text rows of the LaTeX are broken into lines of at most this many characters (LaTeX does not wrap math)."""
TABLE_CLASS = "neurom2 mathjax_process tex2jax_process"
"""The class of every HTML table: MathJax typesets its formulas also inside pages that ignore math elsewhere
(Sphinx with myst-nb marks notebook pages ``mathjax_ignore``)."""


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
            label = rf"\text{{{_escape_text(row.label)}}}\quad &"
            if all(isinstance(p, str) for p in row.content):
                first, *more = textwrap.wrap("".join(map(str, row.content)), WRAP) or [""]
                lines.append(label + rf"\text{{{_escape_text(first)}}}")
                lines += [rf"& \text{{{_escape_text(line)}}}" for line in more]
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


def _escape_text(text: str) -> str:
    """Text for ``\\text{...}``: LaTeX's special characters escaped."""
    return "".join(SPECIAL.get(ch, ch) for ch in text)


def _inline_latex(pieces: Inline) -> str:
    return " ".join(p.latex if isinstance(p, Math) else rf"\text{{{_escape_text(p)}}}" for p in pieces)


def _inline_page(pieces: Inline) -> str:
    return inline((isinstance(p, Math), p.latex if isinstance(p, Math) else p) for p in pieces)


def _inline_html(pieces: Inline) -> str:
    return "".join(f"\\({html.escape(p.latex)}\\)" if isinstance(p, Math) else html.escape(p) for p in pieces)


# --- polynomials --------------------------------------------------------------------------------------------


def number_latex(value: Fraction | int) -> str:
    """A rational number: ``3``, ``-3``, ``\\frac{1}{2}``, ``-\\frac{1}{2}``."""
    q = Fraction(value)
    sign = "-" if q < 0 else ""
    q = abs(q)
    return f"{sign}{q.numerator}" if q.denominator == 1 else rf"{sign}\frac{{{q.numerator}}}{{{q.denominator}}}"


def _power(name: str, exponent: int) -> str:
    return name if exponent == 1 else f"{name}^{{{exponent}}}"


def terms_latex(terms: Iterable[tuple[Fraction | int | None, Sequence[tuple[str, int]]]],
                max_terms: int | None = None, total: int | None = None,
                number: Callable[[Fraction], str] = number_latex) -> str:
    """A sum of terms, each a coefficient (``None``: a symbolic coefficient that is a factor) times powers
    ``(name, exponent)`` of LaTeX names; the first ``max_terms`` terms, then ``+ \\cdots`` and how many
    more (of ``total``, when ``terms`` holds only the first ones).  ``0`` for no terms.  ``number`` typesets
    a coefficient's absolute value (exactly, :func:`number_latex`, unless told otherwise)."""
    terms = list(terms)
    shown = terms if max_terms is None else terms[:max_terms]
    parts = []
    for k, (coefficient, factors) in enumerate(shown):
        powers = [_power(name, e) for name, e in factors if e]
        if coefficient is None:
            sign, body = "+", " ".join(powers)
        else:
            c = Fraction(coefficient)
            sign = "-" if c < 0 else "+"
            magnitude = "" if abs(c) == 1 and powers else number(abs(c))
            body = " ".join(filter(None, [magnitude, *powers]))
        parts.append(("- " if sign == "-" else "") + body if k == 0 else f"{sign} {body}")
    left = (len(terms) if total is None else total) - len(shown)
    if left > 0:
        parts.append(rf"+ \cdots \text{{ ({left} more terms)}}")
    return " ".join(parts) if parts else "0"


def variable_names(n: int, style: Style) -> tuple[str, ...]:
    """The inputs: ``x_1, ..., x_n``; with letters and n ≤ 3, ``x, y, z``."""
    if style.names == "letters" and n <= 3:
        return ("x", "y", "z")[:n]
    return tuple(f"x_{{{i}}}" if i > 9 else f"x_{i}" for i in range(1, n + 1))


def _check_letters(space: AmbientSpace, style: Style) -> None:
    if style.names == "letters" and (space.n_outputs != 1 or space.dim > len(LETTERS)):
        raise InvalidOption(f"names='letters' needs one output and at most {len(LETTERS)} coordinates; "
                            f"V = {space.describe()} has {space.n_outputs} output(s) and dimension {space.dim} "
                            "(use names='coefficients')", "names")


def coordinate_name(output: int, exponents: Sequence[int], position: int, style: Style) -> str:
    """The LaTeX name of the coordinate at ``position`` in V's order: ``c_{k,(e)}``, or its letter."""
    if style.names == "letters":
        return LETTERS[position]
    return f"c_{{{output},({','.join(map(str, exponents))})}}"


def coordinate_names(space: AmbientSpace, style: Style) -> tuple[str, ...]:
    """The LaTeX name of each coordinate of V, in V's order (see the module docstring)."""
    _check_letters(space, style)
    return tuple(coordinate_name(c.output, c.exponents, i, style) for i, c in enumerate(space.coordinates))


def monomial_factors(exponents: Sequence[int], variables: Sequence[str]) -> list[tuple[str, int]]:
    return [(v, e) for v, e in zip(variables, exponents) if e]


def polynomial_latex(poly: Any, space: AmbientSpace, style: Style = Style()) -> str:
    """A polynomial in the coordinates of V (a ``sympy.Poly`` whose generators are coordinate symbols,
    named as in :mod:`neurom2.model.space`), typeset with :func:`coordinate_names`."""
    index = {c.name: i for i, c in enumerate(space.coordinates)}
    names = coordinate_names(space, style)
    try:
        gens = [names[index[str(g)]] for g in poly.gens]
    except KeyError as missing:
        raise InvalidOption(f"{missing} is not a coordinate of V = {space.describe()}", "equations") from None
    return terms_latex(((Fraction(int(c.p), int(c.q)), list(zip(gens, m))) for m, c in poly.terms()), style.max_terms)


def generic_element_latex(space: AmbientSpace, style: Style) -> str:
    """The element of V with the coordinates as coefficients: ``f = A x^{3} + B x^{2} y + \\cdots`` (one
    output), or ``f_1 = c_{1,(3,0)} x_1^{3} + \\cdots`` and the last output's first term for several.  It only
    shows the naming: all terms when there are at most :data:`GENERIC_TERMS` + 2, else the first
    :data:`GENERIC_TERMS`."""
    _check_letters(space, style)
    variables = variable_names(space.n_inputs, style)
    limit = space.monomial_count if space.monomial_count <= GENERIC_TERMS + 2 else GENERIC_TERMS
    terms = [(None, [(coordinate_name(1, e, i, style), 1), *monomial_factors(e, variables)])
             for i, e in enumerate(itertools.islice(space.monomials, limit))]
    if space.n_outputs == 1:
        return f"f = {terms_latex(terms, total=space.monomial_count)}"
    last = space.n_outputs
    first = space.monomials[0]
    tail = terms_latex([(None, [(coordinate_name(last, first, 0, style), 1), *monomial_factors(first, variables)])],
                       total=space.monomial_count)
    return f"f_1 = {terms_latex(terms, total=space.monomial_count)},\\ \\ldots,\\ f_{{{last}}} = {tail}"


def space_latex(space: AmbientSpace, style: Style = Style()) -> str:
    """V as ``\\mathbb{R}[x_1,x_2]_{3}``, ``(\\mathbb{R}[x,y]_{\\leq 2})^{2}``, ..."""
    variables = variable_names(space.n_inputs, style)
    shown = ",".join(variables) if len(variables) <= 4 else f"{variables[0]},\\dots,{variables[-1]}"
    if space.is_homogeneous:
        part = str(space.degrees[0])
    elif space.degrees == tuple(range(space.top_degree + 1)):
        part = rf"\leq {space.top_degree}"
    else:
        part = ",".join(map(str, space.degrees))
    ring = rf"\mathbb{{R}}[{shown}]_{{{part}}}"
    return ring if space.n_outputs == 1 else rf"({ring})^{{{space.n_outputs}}}"


def sigma_latex(coefficients: Sequence[Fraction]) -> str:
    """``\\sigma(x) = x^{3} + \\frac{1}{2} x`` from σ's ascending coefficients, highest degree first."""
    terms = [(c, [("x", k)]) for k, c in reversed(list(enumerate(coefficients))) if c]
    return rf"\sigma(x) = {terms_latex(terms)}"


def activation_latex(architecture: Architecture) -> str:
    """The activation of ``architecture``, as :func:`sigma_latex`."""
    return sigma_latex(architecture.activation.coefficients)


def _network(architecture: Architecture) -> Inline:
    widths = ",".join(map(str, architecture.widths))
    return (f"widths ({widths}), ", Math(activation_latex(architecture)),
            ", with biases" if architecture.bias else ", no biases")


def _seconds(seconds: float, m2_version: str | None = None) -> Inline:
    return ((f"Macaulay2 {m2_version}, " if m2_version else "") + f"{seconds:.2f} s",)


def _probability(bound: float) -> Math:
    mantissa, exponent = f"{bound:.1e}".split("e")
    return Math(rf"{mantissa} \cdot 10^{{{int(exponent)}}}")


def _ambient_rows(space: AmbientSpace, style: Style) -> tuple[Row, ...]:
    kind = "homogeneous part" if space.is_homogeneous else "degrees " + ", ".join(map(str, space.degrees))
    return (
        Row("ambient space", (Math(f"V = {space_latex(space, style)}"), f"  (dim {space.dim}; {kind})")),
        Row("coordinates", (Math(generic_element_latex(space, style)),)),
    )


# --- the summaries of results -------------------------------------------------------------------------------

_SUMMARIES: dict[str, Callable[[Any, Style], Summary]] = {}


def _summarizes(qualified_name: str) -> Callable[[Callable[[Any, Style], Summary]], Callable[[Any, Style], Summary]]:
    """Register the summary of the class ``qualified_name`` (named, not imported: results import this module)."""

    def register(build: Callable[[Any, Style], Summary]) -> Callable[[Any, Style], Summary]:
        _SUMMARIES[qualified_name] = build
        return build

    return register


def summary(result: Any, style: Style = Style()) -> Summary:
    """The :class:`Summary` of a result (of any class with a registered summary, or a subclass)."""
    for cls in type(result).__mro__:
        build = _SUMMARIES.get(f"{cls.__module__}.{cls.__qualname__}")
        if build is not None:
            return build(result, style)
    raise TypeError(f"neurom2 cannot typeset a {type(result).__name__}")


class Typeset:
    """Rich display and LaTeX for a result class (see the module docstring)."""

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


def _equation_rows(equations: Sequence[Any], space: AmbientSpace, style: Style, fills: bool) -> tuple[Row, ...]:
    if fills:
        return (Row("equations", ("none: the ideal is zero",)),)
    if not equations:
        return (Row("equations", ("none found",)),)
    degrees = sorted({eq.total_degree() for eq in equations})
    shown = equations if style.max_equations is None else equations[: style.max_equations]
    count = len(equations)
    text = f"{count} minimal generator{'s' if count != 1 else ''} over QQ, of degree{'s' if len(degrees) > 1 else ''} " + \
        ", ".join(map(str, degrees))
    if len(shown) < count:
        text += f"; the first {len(shown)} shown, {count - len(shown)} more in .equations"
    return (Row("equations", (text,), tuple(f"{polynomial_latex(eq, space, style)} = 0" for eq in shown)),)


@_summarizes("neurom2.variety.neurovariety.Neurovariety")
def neurovariety_summary(variety: Neurovariety, style: Style) -> Summary:
    """The network, V and its coordinates, dim, degree, the ideal with what is proved, the equations."""
    space = variety.space
    if variety.dimension_proved or variety.complete:
        how = "proved (" + ("the exact Jacobian rank reached the proved upper bound" if variety.dimension_proved
                            else "dimension of the complete ideal") + ")"
    else:
        how = "the exact Jacobian rank, a proved lower bound; equality is probable, not proved"
    if variety.complete:
        ideal = f"complete ({variety.strategy}): {variety.proof}"
    else:
        ideal = (f"all equations of degree ≤ {variety.up_to_degree}; not proved complete "
                 f"({variety.strategy}): {variety.proof}")
    degree = "—" if variety.fills else str(variety.degree) if variety.degree is not None else "unknown"
    check = variety.verification
    verified = check.describe() if check else "not run"
    rows = (
        *_ambient_rows(space, style),
        Row("parameters", (str(variety.architecture.n_params),)),
        Row("dimension", (f"{variety.dim}  (expected {variety.expected_dim}, defect {variety.defect}); {how}",)),
        Row("fills V over C", ("yes: the Zariski closure is V; real points may still be missed" if variety.fills
                               else "no",)),
        Row("degree", (degree + (f"  ({variety.degree_method})" if variety.degree_method else ""),)),
        Row("ideal", (ideal,)),
        *_equation_rows(variety.equations, space, style, variety.fills),
        Row("verified", (verified,)),
        Row("computed", _seconds(sum(variety.timings.values()), variety.m2_version)),
    )
    return Summary(("Neuromanifold of ", *_network(variety.architecture)), rows)


@_summarizes("neurom2.variety.dimension.Dimension")
def dimension_summary(result: Dimension, style: Style) -> Summary:
    """The network, V, dim M with its proof or error bound, the upper bound and the method."""
    arch = result.architecture
    if result.proved:
        proved: Inline = ("proved: the exact rank reached the proved upper bound",)
    else:
        proved = ("the exact rank is a proved lower bound; it equals dim M unless both random points were "
                  "unlucky, with probability < ", _probability(result.error_bound), " (Schwartz–Zippel)")
    ranks = f": ranks {', '.join(map(str, result.ranks))} modulo {', '.join(map(str, result.primes))}" if result.ranks else ""
    rows = (
        *_ambient_rows(result.space, style),
        Row("parameters", (f"{arch.n_params}  (continuous symmetries {arch.symmetry_dim})",)),
        Row("dimension", (f"{result.dim}  (expected {result.expected_dim}, defect {result.defect})",)),
        Row("what is proved", proved),
        Row("upper bound", (f"{result.bound.value}  ({result.bound.reason})",)),
        Row("fills V over C", ("yes" if result.fills else "no",)),
        Row("method", (result.method + ranks,)),
        *(Row("note", (note,)) for note in result.notes),
        Row("computed", _seconds(result.seconds)),
    )
    return Summary(("Dimension of the neuromanifold of ", *_network(arch)), rows)


def target_latex(polynomials: Sequence[dict], n_inputs: int, style: Style) -> str:
    """A target (one ``{exponents: coefficient}`` per output), highest degree first; a tuple for several."""
    variables = variable_names(n_inputs, style)

    def one(poly: dict) -> str:
        ordered = sorted(poly.items(), key=lambda t: (-sum(t[0]), [-e for e in t[0]]))
        return terms_latex(((c, monomial_factors(e, variables)) for e, c in ordered), style.max_terms)

    texts = [one(p) for p in polynomials]
    return texts[0] if len(texts) == 1 else r"\left(" + ",\\ ".join(texts) + r"\right)"


def weights_latex(architecture: Architecture, weights: Sequence[str]) -> str:
    """θ per layer as nested rows, ``W_1 = [[1, 0], [0, 1]],\\ b_1 = [...]``; decimals and ``I`` as sympy prints them."""
    import sympy

    def value(text: str) -> str:
        return sympy.latex(sympy.sympify(text))  # neurom2's own decimal or rational strings, never user text

    parts, position = [], 0
    for l, (rows, cols) in enumerate(architecture.weight_shapes, start=1):
        matrix = [[value(w) for w in weights[position + i * cols: position + (i + 1) * cols]] for i in range(rows)]
        position += rows * cols
        parts.append(f"W_{{{l}}} = [" + ", ".join("[" + ", ".join(row) + "]" for row in matrix) + "]")
        if architecture.bias:
            parts.append(f"b_{{{l}}} = [" + ", ".join(value(w) for w in weights[position:position + rows]) + "]")
            position += rows
    return r",\ ".join(parts)


@_summarizes("neurom2.real.membership.result.Membership")
def membership_summary(result: Membership, style: Style) -> Summary:
    """The target, the field, the answer with what proves it, the certificate's method, the weights."""
    arch, space = result.architecture, result.target.space
    field = r"\mathbb{R}" if result.field == "real" else r"\mathbb{C}"
    if result.member is True:
        proof = ("proved: the network of these weights is t, checked exactly" if result.exact else
                 f"numerical: the network of the printed weights is within {result.max_error:.1e} of t"
                 if result.max_error is not None else "weights found, not verified")
    elif result.member is False:
        proof = "proved: by the certificate below"
    else:
        proof = f"not decided: {result.reason}" if result.reason else "not decided"
    rows: list[Row] = [
        Row("target", (Math(f"t = {target_latex(result.target.polynomials, space.n_inputs, style)}"),)),
        Row("ambient space", (Math(f"V = {space_latex(space, style)}"), f"  (dim {space.dim})")),
        Row("field", (f"{result.field}: weights in ", Math(field))),
        Row("answer", (Math(rf"t \in \mathcal{{M}}({field})") if result.member else
                       Math(rf"t \notin \mathcal{{M}}({field})") if result.member is False else "undecided",
                       f"  ({result.answer})")),
        Row("what is proved", (proof,)),
        Row("method", (result.method,)),
        Row("certificate", (str(result.certificate.get("method", "")),)),
    ]
    charts = result.certificate.get("charts")
    if charts:
        empty = sum(1 for c in charts if c.get("dim", 0) < 0)
        rows.append(Row("charts", (f"{len(charts)} symmetry charts, {empty} empty over C",)))
    if result.weights is not None:
        rows.append(Row("weights", (Math(weights_latex(arch, result.weights)),)))
    rows.append(Row("computed", _seconds(result.seconds, result.m2_version)))
    return Summary(("Membership in the neuromanifold of ", *_network(arch)), tuple(rows))


@_summarizes("neurom2.batch.store.ResultRow")
def result_row_summary(row: ResultRow, style: Style) -> Summary:
    """A stored job: its network, status and answer, the headline numbers and, for ``implicit``, the equations."""
    from neurom2.batch.results import RESULT_FIELDS, answer

    d, result = row.description, row.result or {}
    widths = ",".join(map(str, d.get("widths", [])))
    rows: list[Row] = [
        Row("status", (row.status,)),
        Row("answer", (answer(row),)),
        *(Row(name.replace("_", " "), (str(result[name]),)) for name in RESULT_FIELDS if result.get(name) is not None),
    ]
    if row.task == "implicit" and result.get("equations") and "coordinates" in result:
        rows += _stored_equations(result, style)
    rows += [
        Row("key", (row.key,)),
        Row("computed", (f"{row.seconds or 0:.2f} s on {row.host}, neurom2 {row.neurom2_version}"
                         + (f", Macaulay2 {row.m2_version}" if row.m2_version else ""),)),
    ]
    title = (f"{row.task}: widths ({widths}), activation {d.get('activation')}, "
             f"{'with' if d.get('bias') else 'no'} biases",)
    return Summary(title, tuple(rows))


def _stored_equations(result: dict, style: Style) -> list[Row]:
    """The equations of a stored ``implicit`` result (sympy text over the stored coordinates), typeset."""
    import sympy

    from neurom2.model.space import AmbientSpace

    coordinates = result["coordinates"]
    n_inputs = len(coordinates[0]["exponents"])
    space = AmbientSpace(n_inputs, tuple(sorted({sum(c["exponents"]) for c in coordinates})),
                         max(c["output"] for c in coordinates))
    symbols = [sympy.Symbol(c["name"]) for c in coordinates]
    equations = [sympy.Poly(sympy.sympify(text, locals={s.name: s for s in symbols}), *symbols)
                 for text in result["equations"]]  # written by neurom2 itself into the store
    return list(_equation_rows(equations, space, style, fills=False))


def _widths(widths: Sequence[int]) -> str:
    return "(" + ",".join(map(str, widths)) + ")"


@_summarizes("neurom2.filling.certificates.FillingResult")
def filling_summary(result: Any, style: Style) -> Summary:
    """The minimal filling architectures with their proofs, whether the list is complete (proved), and the
    regions of non-filling widths with their bounds (open regions with their probability)."""
    from neurom2.model.activation import Activation

    hidden = ", ".join(f"a_{{{j}}}" for j in range(1, result.depth))
    searched = "all hidden widths" if result.whole_space else f"hidden widths ≤ {_widths(result.box)} (max_width)"
    rows: list[Row] = [
        Row("ambient space", (f"dim V = {result.ambient}",)),
        Row("searched", (f"{searched}; widths beyond {_widths(result.caps)} compute nothing new (width cap)",)),
    ]
    for m in result.minimal:
        rows.append(Row("minimal", (Math(_widths(m.widths)),
                                    f"  fills: Jacobian rank {m.proof.rank} = dim V modulo primes (proved); "
                                    + ("minimal: every one-smaller neighbour proved not filling" if m.minimal_proved
                                       else "minimality not proved") + ("" if m.unimodal else "; hidden widths NOT unimodal"))))
    if result.complete:
        complete = "yes, proved: every other width tuple is proved not to fill, region by region"
    elif result.complete_in_box:
        complete = "within the searched box only (proved there)"
    else:
        complete = f"no: {len(result.open_regions)} open region(s) that no proved bound closes"
    rows.append(Row("complete", (complete,)))
    shown = sorted(result.regions, key=lambda region: region.closed)
    shown = shown if style.max_equations is None else shown[: style.max_equations]
    for region in shown:
        if region.closed:
            rows.append(Row("closed region", (f"{region.describe()}: dim ≤ {region.bound.value} < {result.ambient} "
                                              f"({region.bound.reason})",)))
        elif region.rank is not None:
            rows.append(Row("open region", (f"{region.describe()}: best proved bound {region.bound.value}; rank "
                                            f"{region.rank.rank} at the corner: probably not filling, wrong with "
                                            "probability < ", _probability(region.rank.error_bound))))
        else:
            rows.append(Row("open region", (f"{region.describe()}: {region.failure or 'no rank'}",)))
    if len(shown) < len(result.regions):
        rows.append(Row("regions", (f"{len(result.regions) - len(shown)} more in .regions",)))
    work = result.work
    rows.append(Row("computed", (f"{work.rank_jobs} rank jobs ({work.computed} now), {work.rounds} round(s), "
                                 f"{work.seconds:.2f} s",)))
    title: Inline = ("Minimal filling architectures ", Math(f"(d_0, {hidden}, d_L) = ({result.input_dim}, \\ldots, "
                                                            f"{result.output_dim})"),
                     ", ", Math(sigma_latex(Activation.parse(result.activation).coefficients)))
    return Summary(title, tuple(rows))


# --- the loss landscape -------------------------------------------------------------------------------------

EXACT_DIGITS = 12
"""A rational coordinate or loss is typeset exactly when its numerator and denominator have at most this many
digits together; otherwise it is rounded (the exact value stays in the result)."""
DECIMALS = 6
"""Significant digits of a rounded coordinate."""
LOSS_DECIMALS = 12
"""Significant digits of a rounded loss."""


def decimal_latex(value: float | str, digits: int | None = None) -> str:
    """A decimal number (a float rounded to ``digits`` significant digits, or a decimal text kept as it is)
    with its exponent as ``\\cdot 10^{e}``: ``0.25``, ``1.5 \\cdot 10^{-7}``."""
    text = str(value) if digits is None else f"{float(value):.{digits}g}"
    mantissa, _, exponent = text.lower().partition("e")
    return mantissa if not exponent else rf"{mantissa} \cdot 10^{{{int(exponent)}}}"


def _rational(text: str) -> Fraction | None:
    """The exact rational of a coordinate or loss text (``"-7/310"``), or None for a certified interval ``[lo, hi]``."""
    return None if text.lstrip().startswith("[") else Fraction(text)


def _short(value: Fraction | None) -> bool:
    return value is not None and len(str(abs(value.numerator))) + len(str(value.denominator)) <= EXACT_DIGITS


def value_latex(text: str | None, approximate: float | None) -> str:
    """``= \\frac{p}{q}`` for a short exact rational, ``\\in [lo, hi]`` for a certified interval, else
    ``\\approx`` the rounded value (a long rational, or no exact text)."""
    exact = _rational(text) if text is not None else None
    if exact is not None and _short(exact):
        return f"= {number_latex(exact)}"
    if text is not None and exact is None:
        lo, hi = text.strip()[1:-1].split(",")
        return rf"\in [{decimal_latex(lo.strip())}, {decimal_latex(hi.strip())}]"
    value = float(exact) if exact is not None else approximate
    return rf"\approx {decimal_latex(value, LOSS_DECIMALS)}" if value is not None else r"\text{ unknown}"


def point_latex(coefficients: Sequence[str] | None, approximate: Sequence[float], space: AmbientSpace,
                style: Style) -> tuple[str, ...]:
    """A point of V as the polynomials it is, ``f = ...`` (one output) or ``f_1 = ..., f_2 = ...``, terms in
    V's monomial order: exact when every coordinate is a short rational (:data:`EXACT_DIGITS`), else ``\\approx``
    with the coordinates rounded to :data:`DECIMALS` significant digits."""
    exact = [_rational(c) for c in coefficients] if coefficients is not None else [None]
    number: Callable[[Fraction], str] = number_latex
    if all(_short(v) for v in exact):
        values, relation = [v for v in exact if v is not None], "="
    else:
        values, relation, number = [Fraction(v) for v in approximate], r"\approx", _rounded
    variables = variable_names(space.n_inputs, style)
    size = space.monomial_count
    formulas = []
    for k in range(space.n_outputs):
        terms = [(c, monomial_factors(e, variables)) for e, c in zip(space.monomials, values[k * size:(k + 1) * size]) if c]
        name = "f" if space.n_outputs == 1 else f"f_{{{k + 1}}}"
        formulas.append(f"{name} {relation} {terms_latex(terms, style.max_terms, number=number)}")
    return tuple(formulas)


def _rounded(value: Fraction) -> str:
    return decimal_latex(float(value), DECIMALS)


REACHED = {True: "reached by real weights", False: "not reached by real weights", None: "reachability undecided"}


def _kind(type_: str, index: int | None) -> str:
    return type_ + (f" (index {index})" if type_ == "saddle" and index is not None else "")


def _proved(result: Landscape, key: str) -> tuple[Row, ...]:
    """The statement ``result.proved[key]``, verbatim, if there is one."""
    text = result.proved.get(key)
    return (Row(f"proved ({key.replace('_', ' ')})", (text,)),) if text else ()


def _landscape_counts(result: Landscape) -> list[Row]:
    """The learning degree, what proves it, its checks, and the minimizers of a pseudometric."""
    counts, degree = result.counts, result.counts.learning_degree
    rows = [Row("learning degree", (f"{degree} ({'proved' if counts.proved else 'not proved, see below'})"
                                    if degree is not None else "not finite",)),
            *_proved(result, "learning_degree"), Row("counted by", (counts.method,))]
    checks = [f"modulo {m.prime}: {m.degree if m.dim == 0 else f'dimension {m.dim}'}" for m in counts.modular]
    numerical = counts.numerical
    if numerical:
        checks.append("numerically: " + (f"{numerical['status']} (monodromy {numerical['monodromy_solutions']} solutions, "
                                         f"{numerical['on_X']} tracked to the data; {numerical['method']})"
                                         if "monodromy_solutions" in numerical else numerical["status"]))
    if checks:
        rows.append(Row("checks", ("; ".join(checks),)))
    if result.minimizers:
        m = result.minimizers
        reached = sum(bool(t["reached"]) for t in m["tried"])
        rows.append(Row("minimizers", (Math(r"u + \ker G"), f", an affine space of dimension {m['dimension']} (point and "
                                       f"basis in .minimizers); {len(m['tried'])} of its points tried, {reached} reached by "
                                       "real weights")))
    return rows


def _landscape_points(result: Landscape, style: Style) -> list[Row]:
    """The real critical points, in the order of ``.critical_points``, as polynomials with loss, type, reach."""
    points, degree = result.critical_points, result.counts.learning_degree
    shown = points if style.max_equations is None else points[: style.max_equations]
    text = f"{len(points)} real" + (f" of {degree}" if degree is not None else "")
    text += ", numbered as in .critical_points" if points else ""
    if len(shown) < len(points):
        text += f"; the first {len(shown)} shown"
    rows = [Row("critical points", (text,)), *_proved(result, "real_points"), *_proved(result, "type")]
    for k, p in enumerate(shown, start=1):
        formulas = point_latex(p.coefficients, p.approximate, result.space, style)
        if p.weights:
            formulas += (weights_latex(result.architecture, p.weights),)
        rows.append(Row(f"critical point {k}", (f"{_kind(p.type, p.index)}, ", Math("L " + value_latex(p.loss_interval, p.loss)),
                                                f", {REACHED[p.reached]}"), formulas))
    return rows


def _landscape_infimum(result: Landscape, style: Style) -> list[Row]:
    """The infimum over M(R): value, attained or not, argmin, the approach, what is proved, the strata."""
    inf, name = result.infimum, r"\inf_{\mathcal{M}(\mathbb{R})} L"
    if inf.value is not None:
        status = {True: "attained", False: "NOT attained: only approached, as the weights go to infinity",
                  None: "attainment undecided"}[inf.attained]
        rows = [Row("infimum over M(R)", (Math(f"{name} {value_latex(inf.interval, inf.value)}"), f", {status}"))]
    elif inf.lower_bound is not None and inf.upper_bound is not None:
        rows = [Row("infimum over M(R)", ("not decided: ", Math(rf"{decimal_latex(inf.lower_bound, LOSS_DECIMALS)} \leq {name} "
                                                                rf"\leq {decimal_latex(inf.upper_bound, LOSS_DECIMALS)}")))]
    elif inf.lower_bound is not None:
        bound = decimal_latex(inf.lower_bound, LOSS_DECIMALS)
        rows = [Row("infimum over M(R)", ("not decided: ", Math(rf"{name} \geq {bound}")))]
    else:
        rows = [Row("infimum over M(R)", ("not decided",))]
    if inf.argmin is not None:
        formulas = point_latex(inf.argmin_coefficients, inf.argmin, result.space, style)
        if inf.weights:
            formulas += (weights_latex(result.architecture, inf.weights),)
        rows.append(Row("argmin", (f"on {inf.argmin_stratum}",), formulas))
    steps = [s for s in inf.approach if s.get("reached")]
    if steps:
        rows.append(Row("approached", ("; ".join(f"t = {s['t']}: L = {s['loss']:.12g}, ‖θ‖ = {s['weight_norm']:.4g}"
                                                 for s in steps) + " (each point reached by exact real weights)",)))
    rows.append(Row("proved (infimum)", (inf.proved,)))
    rows.append(Row("infimum method", (inf.method,)))
    if inf.strata:
        strata = [f"{s.stratum.label}: " + (f"{s.count} critical point(s), {s.real} real" if s.count is not None else s.note)
                  for s in inf.strata]
        rows.append(Row("strata", ("; ".join(strata),)))
        candidates = sorted(inf.candidates, key=lambda c: c.facts.loss)
        shown = candidates if style.max_equations is None else candidates[: style.max_equations]
        network = {True: "a network", False: "not a network", None: "reachability undecided"}
        for k, c in enumerate(shown, start=1):
            rows.append(Row(f"candidate {k}", (f"on {c.stratum}: {_kind(c.facts.type, c.facts.index)} on the stratum, ",
                                               Math("L " + value_latex(c.facts.loss_interval, c.facts.loss)),
                                               f", {network[c.reach.member]}")))
        if len(shown) < len(candidates):
            rows.append(Row("candidates", (f"{len(candidates) - len(shown)} more in .infimum.candidates",)))
    return rows


def _landscape_generic(generic: dict[str, Any]) -> list[Row]:
    """The counts for generic data (``generic=True``), one row each, then how they were made (probabilistic)."""
    if not generic:
        return []
    rows = [Row("generic learning degree", (str(generic.get("learning_degree")),))]
    if "ed_degree_generic_metric" in generic:
        rows.append(Row("generic ED degrees", (f"{generic['ed_degree_generic_metric']} for a generic symmetric metric, "
                                               f"{generic['ed_degree_unit_metric']} for the unit metric",)))
    if "eckart_young" in generic:
        rows.append(Row("Eckart–Young", (Math(rf"\binom{{\min(d_0, d_L)}}{{r}} = {generic['eckart_young']}"),)))
    return [*rows, Row("generic counts", (generic["method"],))]


@_summarizes("neurom2.training.landscape.Landscape")
def landscape_summary(result: Landscape, style: Style) -> Summary:
    """The data and its metric, dim M in V, the learning degree with its proof and checks, the real critical
    points typeset as polynomials, the infimum over M(R) with what is proved and what is granted, generic
    counts and the training runs (as ``neurom2 landscape`` reports them)."""
    space = result.space
    definite = "positive definite" if result.metric_rank == space.dim else "singular: a pseudometric"
    ideal = result.ideal
    shape = ": fills V" if result.fills else (f"; ideal: {ideal.get('equations')} equation(s) of degree "
                                              f"{', '.join(map(str, ideal.get('degrees', [])))}")
    rows: list[Row] = [
        Row("data", (f"{len(result.dataset)} points ({result.dataset.source or 'given'}); ", Math(r"G = I \otimes A^{T}A"),
                     f" of rank {result.metric_rank} of {space.dim} ({definite})")),
        *_ambient_rows(space, style),
        Row("neuromanifold", (Math(rf"\dim \mathcal{{M}} = {result.dim}"), f" in dim V = {space.dim}{shape}")),
        *_landscape_counts(result),
        *_landscape_points(result, style),
        *_landscape_infimum(result, style),
    ]
    rows += _landscape_generic(result.generic or {})
    rows += [Row("note", (note,)) for note in result.notes]
    if result.training is not None:
        rows += [Row("training", (result.training.format() + " (each run in .runs)",)), *_proved(result, "training")]
    rows += [Row("method", (result.method,)), Row("computed", _seconds(result.seconds, result.m2_version))]
    return Summary(("Loss landscape of ", *_network(result.architecture)), tuple(rows))


# --- whole documents: ``neurom2 implicit --format latex|m2`` ----------------------------------------------


def latex_block(result: Any) -> str:
    """A result as a LaTeX fragment for a page (nothing truncated), its first line a comment naming the packages
    it needs (``\\usepackage{amsmath,amssymb}``)."""
    return str(result.to_latex())


def m2_script(variety: Neurovariety) -> str:
    """The ideal of a neurovariety as a Macaulay2 script (:func:`neurom2.m2.package.ideal_script`): the ring of
    V's coordinates ``c_(k,e)`` and the minimal generators, with what is proved about them as comments."""
    from neurom2.m2.package import ideal_script

    space = variety.space
    index = {c.name: i for i, c in enumerate(space.coordinates)}
    generators = []
    for eq in variety.equations:  # exponent vectors over all of V's coordinates, whatever the Poly's generators
        positions = [index[str(g)] for g in eq.gens]
        terms = {}
        for monomial, c in eq.terms():
            exponents = [0] * space.dim
            for position, e in zip(positions, monomial):
                exponents[position] = e
            terms[tuple(exponents)] = Fraction(int(c.p), int(c.q))
        generators.append(terms)
    proved = (f"the ideal is complete ({variety.strategy}): {variety.proof}" if variety.complete else
              f"all equations of degree <= {variety.up_to_degree}, not proved complete ({variety.strategy}): {variety.proof}")
    return ideal_script(f"Neuromanifold of {variety.architecture}: its ideal, computed by neurom2 "
                        f"(Macaulay2 {variety.m2_version}); dim {variety.dim}"
                        + (f", degree {variety.degree}" if variety.degree is not None else ""),
                        [(c.output, *c.exponents) for c in space.coordinates], generators, [proved])


@dataclass(frozen=True)
class ResultTable:
    """Rows of a results store as one table: HTML in a notebook, a LaTeX ``tabular`` for a paper.

    Columns: task, status, widths, activation, bias, then those of :data:`neurom2.batch.results.RESULT_FIELDS`
    that some row's result has (empty where a task has none).
    """

    rows: tuple[ResultRow, ...]

    @classmethod
    def read(cls, path: Any, *, status: str | None = None, task: str | None = None) -> ResultTable:
        """The rows of the store at ``path`` (read-only), filtered by status and task."""
        from neurom2.batch.store import ResultStore

        with ResultStore(path, write=False) as store:
            return cls(tuple(store.rows(status=status, task=task)))

    def _fields(self) -> list[str]:
        from neurom2.batch.results import RESULT_FIELDS

        return [name for name in RESULT_FIELDS if any((row.result or {}).get(name) is not None for row in self.rows)]

    def cells(self) -> list[list[str]]:
        """One list of cell texts per row, in the order of :meth:`header`."""
        fields = self._fields()
        table = []
        for row in self.rows:
            d, result = row.description, row.result or {}
            values = [result.get(name) for name in fields]
            table.append([row.task, row.status, ",".join(map(str, d.get("widths", []))), str(d.get("activation")),
                          "yes" if d.get("bias") else "no",
                          *("" if v is None else "yes" if v is True else "no" if v is False else str(v) for v in values)])
        return table

    def header(self) -> list[str]:
        return ["task", "status", "widths", "activation", "bias", *self._fields()]

    def _repr_html_(self) -> str:
        head = "".join(f"<th>{html.escape(h)}</th>" for h in self.header())
        body = "".join("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in cells) + "</tr>" for cells in self.cells())
        return f'<table class="{TABLE_CLASS}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'

    def to_latex(self) -> str:
        """A ``tabular`` that fits a page (:func:`neurom2.latex.table`), cells escaped."""
        return table(self.header(), self.cells())


__all__ = ["DISPLAY", "DISPLAY_EQUATIONS", "DISPLAY_TERMS", "NAMES", "Math", "ResultTable", "Row", "Style", "Summary",
           "Typeset", "activation_latex", "coordinate_names", "generic_element_latex", "latex_block", "m2_script", "number_latex",
           "polynomial_latex", "sigma_latex", "space_latex", "summary", "target_latex", "terms_latex", "variable_names",
           "weights_latex"]
