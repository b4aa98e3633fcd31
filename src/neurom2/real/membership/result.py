"""The answer of a membership question, with its certificate (see :mod:`neurom2.real.membership`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from neurom2.model.architecture import Architecture
from neurom2.model.target import Target
from neurom2.typeset import Typeset

TOLERANCE = 1e-12
"""Relative tolerance (to max(1, max |t_k|)) for the network of the printed decimal weights."""

METHOD_AFFINE = "single affine layer"
METHOD_RANK = "rank of the linear map"
METHOD_FIBERS = "fibers in symmetry charts"


@dataclass(frozen=True, kw_only=True)
class Membership(Typeset):
    """The answer to "is ``target`` on the neuromanifold of ``architecture`` over ``field``?" (typeset:
    :mod:`neurom2.typeset`)."""

    architecture: Architecture
    target: Target
    field: str
    member: bool | None
    """True (reached), False (not reached, with a certificate) or None (not decided)."""
    method: str
    certificate: dict[str, Any]
    """JSON-able evidence; its ``method`` entry describes how it is checked."""
    weights: tuple[str, ...] | None = None
    """For a yes: θ in the order of :attr:`Architecture.weight_names`; exact rationals or decimals."""
    exact: bool = False
    """Whether c(θ) = t was verified exactly (over QQ, or in the number field of the weights)."""
    max_error: float | None = None
    """max_k |c_k(θ) − t_k| for the printed decimal weights (None when the weights are rational)."""
    algebraic_weights: tuple[dict[str, Any] | None, ...] | None = None
    """For real irrational weights: per weight its minimal polynomial and an isolating interval."""
    reason: str | None = None
    """Why the answer is None."""
    seconds: float = 0.0
    m2_version: str | None = None
    seed: int | None = None
    """The seed of the decision's random choices (set by :func:`~neurom2.real.membership.decide_membership`)."""

    @property
    def answer(self) -> str:
        """yes, no or undecided."""
        return {True: "yes", False: "no", None: "undecided"}[self.member]

    def to_json(self) -> dict[str, Any]:
        """The answer as JSON (``neurom2 member --json``; docs/schemas/member.schema.json)."""
        arch = self.architecture
        return {
            "member": self.member,
            "field": self.field,
            "method": self.method,
            "certificate": self.certificate,
            "weights": list(self.weights) if self.weights is not None else None,
            "weight_names": list(arch.weight_names),
            "exact": self.exact,
            "max_error": self.max_error,
            "tolerance": TOLERANCE if self.max_error is not None else None,
            "algebraic_weights": list(self.algebraic_weights) if self.algebraic_weights is not None else None,
            "reason": self.reason,
            "target": str(self.target),
            "target_coefficients": [str(c) for c in self.target.coefficients],
            "widths": list(arch.widths),
            "activation": str(arch.activation),
            "bias": arch.bias,
            "ambient": self.target.space.describe(),
            "m2_version": self.m2_version,
            "seed": self.seed,
            "seconds": round(self.seconds, 6),
        }


