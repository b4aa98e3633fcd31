"""The ``geometry`` task's text report and typeset summary (:mod:`neurom2.properties.geometry`).

Both are built from one list of sections, each a title and ``(label, text)`` lines: the text report indents
them, the summary makes one row per line.  Every part says what is proved, probable or undecided.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from neurom2.present.display import network_text
from neurom2.properties.closedness import Closedness, Stratum
from neurom2.properties.fibers import Fibers
from neurom2.properties.geometry import Dictionary, Geometry, Undecided
from neurom2.properties.singular import SingularLocus
from neurom2.properties.sparsity import SparsityBias
from neurom2.properties.symmetry import SymmetryGroup
from neurom2.typeset import Row, Style, Summary

Lines = list[tuple[str, str]]
SHOWN_EQUATIONS = 3
"""Equations shown per component or stratum (the JSON has all)."""
ANSWER = {True: "yes", False: "no", None: "undecided"}


def _symmetries(group: SymmetryGroup) -> Lines:
    lines = [("continuous part", f"{group.continuous}, dimension {group.continuous_dim}"),
             ("finite group on a slice", f"order {group.finite_order}; components of G over R: {group.real_components}"),
             ("biases", group.biases)]
    return lines + [("generator", g.description) for g in group.generators]


def _fibers(result: Fibers) -> Lines:
    answer = {True: "yes, up to G", False: "no", None: "undecided"}[result.identifiable]
    lines = [("identifiable", answer),
             ("dimensions", f"generic fiber {result.fiber_dim}, G-orbit {result.orbit_dim}, "
                            f"unexplained {result.unexplained_dim}")]
    if result.solutions is not None:
        orbits = result.orbits if result.orbits is not None else "?"
        lines.append(("count", f"{result.solutions} solution(s) in the chart ({', '.join(result.chart) or 'no weight'} "
                               f"= 1), {result.residual_order} per orbit: {orbits} orbit(s)"))
    if result.method:
        lines.append(("method", result.method))
    return lines + _facts(result.proved, result.probable, result.undecided)


def _facts(proved: str, probable: str, undecided: str) -> Lines:
    return [(label, text) for label, text in (("proved", proved), ("probable", probable), ("undecided", undecided))
            if text]


def _equations(equations: tuple[str, ...]) -> str:
    shown = ", ".join(equations[:SHOWN_EQUATIONS])
    return shown + (f", ... ({len(equations)} equations)" if len(equations) > SHOWN_EQUATIONS else "")


def _singular(result: SingularLocus) -> Lines:
    if result.dim is None:
        return [("undecided", result.proof)]
    what = "empty" if result.dim < 0 else f"dimension {result.dim}, degree {result.degree}"
    lines = [(result.kind, f"{what} (X of dimension {result.variety_dim}, codimension {result.codim})")]
    for c in result.components:
        lines.append((f"component (dim {c.dim}, degree {c.degree})", _equations(c.equations)))
        lines.append(("  subnetwork", c.match))
    return lines + [("proved", result.proof)]


def _sparsity(result: SparsityBias) -> Lines:
    lines = [("data", f"{result.data.to_json()['source']}; σ(0) = {result.sigma_at_zero}; critical points over C")]
    for r in result.results:
        lines.append((r.subnetwork.label, f"{ANSWER[r.holds]}: {r.reason}"))
    return lines


def _stratum(stratum: Stratum, depth: int = 0) -> Lines:
    reached = {True: "reached", False: "not reached (membership certificate)", None: "undecided"}[stratum.reached]
    label = "  " * depth + f"stratum (dim {stratum.dim}, degree {stratum.degree})"
    lines = [(label, f"{_equations(stratum.equations)}: random point {reached}"
                     + (" (a duplicate-neuron limit)" if stratum.limit else ""))]
    return lines + [line for s in stratum.substrata for line in _stratum(s, depth + 1)]


def _closedness(result: Closedness) -> Lines:
    lines = [("M(C) = X(C)", ANSWER[result.closed_over_c]), ("why", result.proof)]
    if result.missing:
        lines.append(("missing set (probable)", "; ".join(result.missing)))
    real = {False: "no (proved: a duplicate-neuron limit of real networks outside M(C))",
            True: "yes", None: "undecided"}[result.closed_over_r]
    lines.append(("M(R) Euclidean-closed", real))
    if result.real_boundary is not None:
        lines.append(("algebraic boundary of M(R)", "; ".join(result.real_boundary) or "empty"))
    return lines + [line for s in result.strata for line in _stratum(s)]


def _dictionary(result: Dictionary) -> Lines:
    lines = []
    for e in result.entries:
        how = e.method if e.source == "dictionary" else f"see {TITLES[e.source].partition(' (')[0]} above"
        lines.append((e.name, f"{e.value} [{e.status}] ({how})"))
        lines.append(("  for learning", e.meaning))
    return lines


TITLES = {"symmetries": "Symmetries (known group G of the parametrization)", "fibers": "Fibers (identifiability)",
          "singular": "Singular locus (Sing X, or the critical values of μ when X = V)",
          "sparsity": "Sparsity bias (are subnetworks' critical points critical for the full network?)",
          "closedness": "Closedness (M(C) = X(C)? M(R) closed?)",
          "dictionary": "Dictionary (Marchetti, Kohn, Trager, Mereta, Shahverdi, arXiv:2501.18915)"}
BUILDERS: dict[str, Callable[[Any], Lines]] = {
    "symmetries": _symmetries, "fibers": _fibers, "singular": _singular, "sparsity": _sparsity,
    "closedness": _closedness, "dictionary": _dictionary}


def sections(result: Geometry) -> list[tuple[str, Lines]]:
    """The parts computed, in :data:`~neurom2.properties.geometry.PARTS` order, as titled lines."""
    found = []
    for name in result.parts:
        part = getattr(result, name)
        if part is None:
            continue
        lines = [("undecided", part.reason)] if isinstance(part, Undecided) else BUILDERS[name](part)
        found.append((TITLES[name], lines))
    return found


def format_geometry(result: Geometry) -> str:
    """The parts computed, each with what is proved, probable and undecided."""
    lines = [f"Geometry of the neuromanifold of {result.architecture} (seed {result.seed})"]
    for title, rows in sections(result):
        lines.append(title)
        lines += [f"  {label}: {text}" for label, text in rows]
    return "\n".join(lines)


def geometry_summary(result: Geometry, style: Style) -> Summary:
    """One row per line of each part, the part's title as a row of its own."""
    rows: list[Row] = []
    for title, lines in sections(result):
        rows.append(Row(title, ()))
        rows += [Row(label.strip(), (text,)) for label, text in lines]
    return Summary(("Geometry of the neuromanifold of ", *network_text(result.architecture)), tuple(rows))
