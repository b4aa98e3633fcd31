"""The neurovariety: what neurom2 computed about a neuromanifold, as Python objects.

The neuromanifold M ⊂ V is the image of the parametrization; its Zariski closure over C is the
neurovariety, described here by its ideal in QQ[coordinates of V] (coordinates as in
:mod:`neurom2.model.space`).  "fills" means the closure is all of V, i.e. M is full-dimensional; it says
nothing about whether every *real* point of V is reached.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import sympy

from neurom2.model.architecture import Architecture
from neurom2.model.space import AmbientSpace
from neurom2.typeset import Typeset
from neurom2.variety.dimension import DimensionFacts
from neurom2.variety.verification import Verification


@dataclass(frozen=True, kw_only=True)
class Neurovariety(DimensionFacts, Typeset):
    """Implicit description of the Zariski closure of a neuromanifold (typeset: :mod:`neurom2.typeset`)."""

    architecture: Architecture
    space: AmbientSpace
    dim: int
    degree: int | None
    """Degree of the (conical) variety; ``None`` when it fills V or could not be computed."""
    degree_method: str | None
    """How ``degree`` was obtained (from the ideal, or a probabilistic slice count without it)."""
    equations: tuple[sympy.Poly, ...]
    """Minimal generators of the ideal over QQ, as polynomials in the coordinate symbols."""
    m2_version: str | None
    """None when the computation did not need Macaulay2 (filling networks, hypersurfaces)."""
    strategy: str
    complete: bool
    """Whether the equations are proved to generate the whole ideal (see ``proof``)."""
    up_to_degree: int | None
    """When not complete: every equation of degree ≤ this lies in the ideal the equations generate."""
    proof: str
    dimension_proved: bool
    """Whether the dimension is proved (the Jacobian rank reached its upper bound) or only probable."""
    seed: int
    """The seed of the computation's random choices; the same seed gives the same answer."""
    timings: dict[str, float] = field(default_factory=dict)
    verification: Verification | None = None

    @property
    def equation_degrees(self) -> tuple[int, ...]:
        """The degree of each equation."""
        return tuple(eq.total_degree() for eq in self.equations)

    def to_json(self) -> dict[str, Any]:
        """The neurovariety as JSON (``neurom2 implicit --json``; docs/schemas/implicit.schema.json)."""
        arch = self.architecture
        return {
            "widths": list(arch.widths),
            "activation": str(arch.activation),
            "activation_coefficients": [str(c) for c in arch.activation.coefficients],
            "bias": arch.bias,
            "n_params": arch.n_params,
            "ambient": self.space.describe(),
            "homogeneous": self.space.is_homogeneous,
            "ambient_dim": self.space.dim,
            "coordinates": [c.to_json() for c in self.space.coordinates],
            "field": "QQ",
            "dim": self.dim,
            "expected_dim": self.expected_dim,
            "defect": self.defect,
            "fills": self.fills,
            "degree": self.degree,
            "degree_method": self.degree_method,
            "equations": [str(eq.as_expr()) for eq in self.equations],
            "equation_degrees": list(self.equation_degrees),
            "strategy": self.strategy,
            "complete": self.complete,
            "up_to_degree": self.up_to_degree,
            "proof": self.proof,
            "dimension_proved": self.dimension_proved,
            "verified": self.verification is not None,
            "verification": self.verification.to_json() if self.verification else None,
            "m2_version": self.m2_version,
            "seed": self.seed,
            "seconds": round(sum(self.timings.values()), 6),
            "timings": {k: round(v, 6) for k, v in self.timings.items()},
        }
