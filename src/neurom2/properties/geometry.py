"""The ``geometry`` task: which geometric properties does the neuromanifold M have?

Parts: ``symmetries`` (the known symmetry group G, :mod:`neurom2.properties.symmetry`) and ``fibers``
(identifiability up to G, :mod:`neurom2.properties.fibers`).  The singular locus and closedness parts are
typed places (``singular``, ``closedness``) still None here.  Each part says what is proved, what is probable
and what is undecided.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from neurom2.deadline import Deadline
from neurom2.errors import InvalidOption
from neurom2.m2.session import Macaulay2Session
from neurom2.model.architecture import Architecture
from neurom2.properties.fibers import Fibers, fibers
from neurom2.properties.symmetry import SymmetryGroup, symmetry_group

PARTS = ("symmetries", "fibers")
"""The parts of :func:`geometry`, in the order they are computed and reported."""


def parse_parts(only: str | None) -> tuple[str, ...]:
    """``"fibers,symmetries"`` → the parts in :data:`PARTS` order; None → all; InvalidOption otherwise."""
    if only is None:
        return PARTS
    names = [name.strip() for name in only.split(",")]
    for name in names:
        if name not in PARTS:
            shown = repr(name[:40]) if name else "an empty part"
            raise InvalidOption(f"only: unknown part {shown} (choose from {', '.join(PARTS)}, separated by commas)",
                                "only")
    return tuple(p for p in PARTS if p in names)


@dataclass(frozen=True, kw_only=True)
class Geometry:
    """The geometric properties computed for an architecture (parts not asked for are None)."""

    architecture: Architecture
    parts: tuple[str, ...]
    seed: int
    symmetries: SymmetryGroup | None = None
    fibers: Fibers | None = None
    singular: Any | None = None
    """Reserved for the singular locus part."""
    closedness: Any | None = None
    """Reserved for the closedness part."""

    def to_json(self) -> dict[str, Any]:
        """This result as JSON (plain types)."""
        arch = self.architecture
        return {
            "widths": list(arch.widths), "activation": str(arch.activation), "bias": arch.bias,
            "parts": list(self.parts), "seed": self.seed,
            "symmetries": self.symmetries.to_json() if self.symmetries else None,
            "fibers": self.fibers.to_json() if self.fibers else None,
        }


def geometry(architecture: Architecture, *, only: str | None = None, seed: int = 0,
             timeout: Deadline | float | None = None, force: bool = False,
             session: Macaulay2Session | None = None) -> Geometry:
    """The parts named in ``only`` (comma-separated, default all) of the geometry of ``architecture``'s M."""
    parts = parse_parts(only)
    deadline = Deadline.coerce(timeout)
    return Geometry(
        architecture=architecture, parts=parts, seed=seed,
        symmetries=symmetry_group(architecture) if "symmetries" in parts else None,
        fibers=fibers(architecture, seed=seed, timeout=deadline, force=force, session=session)
        if "fibers" in parts else None)
