"""The typeset summary of a loss landscape (:class:`~neurom2.training.landscape.Landscape`): its points as
polynomials, exact when short, losses exact, certified or rounded (see :mod:`neurom2.present.display`)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from neurom2.present.display import (
    ambient_rows,
    monomial_factors,
    network_text,
    number_latex,
    seconds_text,
    terms_latex,
    variable_names,
    weights_latex,
)
from neurom2.typeset import Math, Row, Style, Summary

if TYPE_CHECKING:
    from neurom2.model.space import AmbientSpace
    from neurom2.training.landscape import Landscape


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
        *ambient_rows(space, style),
        Row("neuromanifold", (Math(rf"\dim \mathcal{{M}} = {result.dim}"), f" in dim V = {space.dim}{shape}")),
        *_landscape_counts(result),
        *_landscape_points(result, style),
        *_landscape_infimum(result, style),
    ]
    rows += _landscape_generic(result.generic or {})
    rows += [Row("note", (note,)) for note in result.notes]
    if result.training is not None:
        rows += [Row("training", (result.training.format() + " (each run in .runs)",)), *_proved(result, "training")]
    rows += [Row("method", (result.method,)), Row("computed", seconds_text(result.seconds, result.m2_version))]
    return Summary(("Loss landscape of ", *network_text(result.architecture)), tuple(rows))
