"""Learning degrees counted modulo primes in a parametrization of X instead of by its Lagrange ideal.

:mod:`~neurom2.training.waring` and :mod:`~neurom2.training.subspace` each give a parametrization of the closure X
of some neuromanifolds and prove that, for generic data, the critical points of L(c) = (c − u)ᵀG(c − u) on the smooth
part of X correspond to the solutions of their critical equations, ``fiber`` solutions per critical point.  Here
the shared part: the count modulo a prime and its JSON.  Like the Lagrange count it is *probable*: it equals the
generic count unless the data lie on a discriminant (of unknown degree, so no error bound) or the prime is bad; the
counts modulo two primes must agree.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from neurom2.m2 import package
from neurom2.m2.session import Macaulay2Session
from neurom2.model.architecture import Architecture
from neurom2.model.space import AmbientSpace


@dataclass(frozen=True)
class ParametricCount:
    """The critical equations of one parametrization modulo ``prime``: their dimension, degree and the count."""

    prime: int
    dim: int
    degree: int
    fiber: int
    """Solutions of the critical equations over one critical point of L on X (e.g. 2 for a swap)."""
    method: str
    """``"waring"`` or ``"subspace"``."""

    @property
    def count(self) -> int | None:
        """Critical points of L on X (degree / fiber), when the equations are zero-dimensional."""
        return self.degree // self.fiber if self.dim == 0 and self.degree % self.fiber == 0 else None

    def to_json(self) -> dict[str, Any]:
        """The count as JSON (same keys as a Lagrange ModularCount, plus the method)."""
        return {"prime": self.prime, "dim": self.dim, "degree": self.count, "parametrization_degree": self.degree,
                "saturated": True, "method": self.method}


def parametric_counts(session: Macaulay2Session, entry: str, arch: Architecture, gram: Sequence[Sequence[Fraction]],
                      center: Sequence[Fraction], primes: Sequence[int], fiber: int, method: str,
                      timeout: float | None = None) -> tuple[ParametricCount, ...]:
    """The Macaulay2 count ``entry`` (one of :data:`neurom2.m2.package.PARAMETRIC_COUNTS`) modulo each of ``primes``."""
    exponents = AmbientSpace.of(arch).monomials
    return tuple(ParametricCount(p, dim, degree, fiber, method)
                 for p, dim, degree in package.parametric_counts(session, entry, exponents, gram, center, primes,
                                                                 timeout=timeout))
