"""Plain-text report of the ``geometry`` task (:mod:`neurom2.properties.geometry`)."""

from __future__ import annotations

from neurom2.properties.fibers import Fibers
from neurom2.properties.geometry import Geometry
from neurom2.properties.symmetry import SymmetryGroup


def _symmetries(group: SymmetryGroup) -> list[str]:
    lines = ["Symmetries (known group G of the parametrization)",
             f"  continuous part: {group.continuous}, dimension {group.continuous_dim}",
             f"  finite group acting on a slice: order {group.finite_order}; "
             f"components of G over R: {group.real_components}",
             f"  biases: {group.biases}",
             "  generators:"]
    return lines + [f"    {g.description}" for g in group.generators] or ["    none"]


def _fibers(result: Fibers) -> list[str]:
    answer = {True: "yes, up to G", False: "no", None: "undecided"}[result.identifiable]
    lines = ["Fibers (identifiability)",
             f"  identifiable: {answer}",
             f"  generic fiber dimension {result.fiber_dim}, G-orbit dimension {result.orbit_dim}, "
             f"unexplained {result.unexplained_dim}"]
    if result.solutions is not None:
        lines.append(f"  {result.solutions} solution(s) in the chart ({', '.join(result.chart) or 'no weight'} = 1), "
                     f"{result.residual_order} per orbit: {result.orbits if result.orbits is not None else '?'} orbit(s)")
    if result.method:
        lines.append(f"  method: {result.method}")
    for label, text in (("proved", result.proved), ("probable", result.probable), ("undecided", result.undecided)):
        if text:
            lines.append(f"  {label}: {text}")
    return lines


def format_geometry(result: Geometry) -> str:
    """The parts computed, each with what is proved, probable and undecided."""
    lines = [f"Geometry of the neuromanifold of {result.architecture} (seed {result.seed})"]
    if result.symmetries is not None:
        lines += _symmetries(result.symmetries)
    if result.fibers is not None:
        lines += _fibers(result.fibers)
    return "\n".join(lines)
