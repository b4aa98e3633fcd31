"""Typesetting results: their notation in LaTeX (numbers, polynomials, V and its coordinates, σ, weights) and
the summaries of a :class:`~neurom2.variety.neurovariety.Neurovariety`, a
:class:`~neurom2.variety.dimension.Dimension`, a :class:`~neurom2.real.membership.Membership` and a
:class:`~neurom2.filling.certificates.FillingResult`.

The document model (:class:`~neurom2.typeset.Summary`, rows, styles) and the display protocol that results
inherit (:class:`~neurom2.typeset.Typeset`: ``_repr_html_``, ``to_latex``, ``typeset``) are on the ground floor
in :mod:`neurom2.typeset`; :mod:`neurom2.present.presenters` registers the summaries here by class.  The loss
landscape's summary is :mod:`neurom2.present.landscape_summary`, stored batch rows :mod:`neurom2.present.stored`,
whole documents (``--format latex|m2``) :mod:`neurom2.present.formats`.

Conventions:

* Coordinates of V (:mod:`neurom2.model.space`): the coefficient of x^e in output k, named ``c{k}_{e1}_..._{en}``
  in text and JSON, is typeset :math:`c_{k,(e_1,\\dots,e_n)}`, e.g. ``c_{1,(0,2,1)}`` (``names="coefficients"``).
  With ``names="letters"`` a network with one output has the coordinates A, B, C, ... in the order of the
  monomial basis and inputs x, y, z, as in the slides: A x³ + B x²y + C xy² + D y³.
* Equations are typeset term by term from the exact polynomials (rational coefficients as fractions), in
  the order of the polynomial's terms; ``F = 0`` per minimal generator.
* Points of V (a landscape's critical points, its argmin) are typeset as the polynomials they are,
  ``f = ...`` per output in V's monomial order: exactly when every coordinate is a short rational, else
  ``f \\approx ...`` rounded to :data:`~neurom2.present.landscape_summary.DECIMALS` digits (the exact values or
  certified intervals stay in the result); losses as ``L = p/q``, ``L \\in [lo, hi]`` (certified) or ``L \\approx ...``.
* Truncation: at most ``max_equations`` equations (critical points, candidates) and ``max_terms`` terms per
  polynomial are shown, and what is left out is said; ``None`` shows everything.  Displays use
  :data:`~neurom2.typeset.DISPLAY_EQUATIONS` and :data:`~neurom2.typeset.DISPLAY_TERMS`.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Sequence
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from neurom2.errors import InvalidOption
from neurom2.typeset import FULL, Inline, Math, Row, Style, Summary

if TYPE_CHECKING:  # the presenters import the result classes (present/presenters.py)
    from neurom2.model.architecture import Architecture
    from neurom2.model.space import AmbientSpace
    from neurom2.real.membership import Membership
    from neurom2.variety.dimension import Dimension
    from neurom2.variety.neurovariety import Neurovariety

LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
GENERIC_TERMS = 4
"""Terms of the element of V that shows the coordinates' names, when V has many monomials."""


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
    """The monomial x^e as (variable, exponent) pairs, variables with exponent 0 left out."""
    return [(v, e) for v, e in zip(variables, exponents) if e]


def polynomial_latex(poly: Any, space: AmbientSpace, style: Style = FULL) -> str:
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


def space_latex(space: AmbientSpace, style: Style = FULL) -> str:
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


def network_text(architecture: Architecture) -> Inline:
    """The network for a title: its widths, σ and whether it has biases."""
    widths = ",".join(map(str, architecture.widths))
    return (f"widths ({widths}), ", Math(activation_latex(architecture)),
            ", with biases" if architecture.bias else ", no biases")


def seconds_text(seconds: float, m2_version: str | None = None) -> Inline:
    """The time a result took, with the Macaulay2 version that computed it (if any)."""
    return ((f"Macaulay2 {m2_version}, " if m2_version else "") + f"{seconds:.2f} s",)


def _probability(bound: float) -> Math:
    mantissa, exponent = f"{bound:.1e}".split("e")
    return Math(rf"{mantissa} \cdot 10^{{{int(exponent)}}}")


def ambient_rows(space: AmbientSpace, style: Style) -> tuple[Row, ...]:
    """V and the naming of its coordinates, as two rows."""
    kind = "homogeneous part" if space.is_homogeneous else "degrees " + ", ".join(map(str, space.degrees))
    return (
        Row("ambient space", (Math(f"V = {space_latex(space, style)}"), f"  (dim {space.dim}; {kind})")),
        Row("coordinates", (Math(generic_element_latex(space, style)),)),
    )


def equation_rows(equations: Sequence[Any], space: AmbientSpace, style: Style, fills: bool) -> tuple[Row, ...]:
    """The minimal generators of an ideal in V's coordinates (``sympy.Poly``), counted and typeset ``F = 0``."""
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
        *ambient_rows(space, style),
        Row("parameters", (str(variety.architecture.n_params),)),
        Row("dimension", (f"{variety.dim}  (expected {variety.expected_dim}, defect {variety.defect}); {how}",)),
        Row("fills V over C", ("yes: the Zariski closure is V; real points may still be missed" if variety.fills
                               else "no",)),
        Row("degree", (degree + (f"  ({variety.degree_method})" if variety.degree_method else ""),)),
        Row("ideal", (ideal,)),
        *equation_rows(variety.equations, space, style, variety.fills),
        Row("verified", (verified,)),
        Row("computed", seconds_text(sum(variety.timings.values()), variety.m2_version)),
    )
    return Summary(("Neuromanifold of ", *network_text(variety.architecture)), rows)


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
        *ambient_rows(result.space, style),
        Row("parameters", (f"{arch.n_params}  (continuous symmetries {arch.symmetry_dim})",)),
        Row("dimension", (f"{result.dim}  (expected {result.expected_dim}, defect {result.defect})",)),
        Row("what is proved", proved),
        Row("upper bound", (f"{result.bound.value}  ({result.bound.reason})",)),
        Row("fills V over C", ("yes" if result.fills else "no",)),
        Row("method", (result.method + ranks,)),
        *(Row("note", (note,)) for note in result.notes),
        Row("computed", seconds_text(result.seconds)),
    )
    return Summary(("Dimension of the neuromanifold of ", *network_text(arch)), rows)


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
    rows.append(Row("computed", seconds_text(result.seconds, result.m2_version)))
    return Summary(("Membership in the neuromanifold of ", *network_text(arch)), tuple(rows))



def _widths(widths: Sequence[int]) -> str:
    return "(" + ",".join(map(str, widths)) + ")"


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
