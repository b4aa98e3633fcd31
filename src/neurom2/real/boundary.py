"""The algebraic boundary of the real neuromanifold M(R), for networks whose symmetry chart is square.

When the chart of :func:`symmetryChart` leaves as many free weights as V has coordinates, the fiber over
a generic point is finite, and the number of its real points can only change where two fiber points
meet or one escapes to infinity: where the discriminant or the leading coefficient of the fiber's
eliminant vanishes (Macaulay2 ``fiberDiscriminant``).  Those factors are the *candidates*.  A candidate
is a *boundary* when exact membership (:mod:`neurom2.real.membership`) finds a reached target on one side and
an unreached one (with its certificate) on the other, and random real networks, sampled exactly, all
lie on the reached side or on the hypersurface itself.

What this shows: the reached region and the unreached region at the witnesses are separated by the
boundary hypersurface.  It does not prove that each side is connected, only the witnessed points are
decided exactly.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from fractions import Fraction

import sympy

from neurom2 import progress
from neurom2.exact.terms import polynomial_from_terms
from neurom2.m2 import package
from neurom2.m2.session import Macaulay2Session
from neurom2.model.architecture import Architecture
from neurom2.model.parametrization import Parametrization, random_rational_weights
from neurom2.model.space import AmbientSpace
from neurom2.model.target import Target
from neurom2.real.membership import decide_membership
from neurom2.variety.implicitization import coordinate_symbols


@dataclass(frozen=True, kw_only=True)
class BoundaryComponent:
    """A factor of the algebraic boundary, the sign of the reached side, and the witnesses of both sides."""

    polynomial: sympy.Expr
    reached_sign: int
    reached_witness: tuple[Fraction, ...]
    unreached_witness: tuple[Fraction, ...]
    samples: int
    """Random real networks sampled: every one lies on the reached side or on the hypersurface."""


def boundary_candidates(arch: Architecture, session: Macaulay2Session) -> list[sympy.Expr]:
    """Irreducible factors of the fiber eliminant's discriminant and leading coefficient (see above)."""
    symbols = coordinate_symbols(AmbientSpace.of(arch))
    return [polynomial_from_terms(terms, symbols).as_expr() for terms in package.fiber_discriminant(session, arch)]


def sign(expr: sympy.Expr, space: AmbientSpace, point) -> int:
    """The sign of a polynomial in the coordinates at a point of V."""
    return int(sympy.sign(expr.subs(dict(zip(coordinate_symbols(space), point)))))


def algebraic_boundary(arch: Architecture, session: Macaulay2Session, seed: int = 0,
                       samples: int = 20) -> list[BoundaryComponent]:
    """The candidates that separate reached from unreached real targets (see the module docstring)."""
    space = AmbientSpace.of(arch)
    rng = random.Random(seed)
    param = Parametrization(arch)
    reached_points = [param.coefficients_at(random_rational_weights(arch, rng)) for _ in range(samples)]
    components = []
    progress.stage("algebraic boundary", "discriminant of the fibers in Macaulay2")
    for candidate in boundary_candidates(arch, session):
        progress.stage("algebraic boundary", "its sides decided by exact membership at witnesses")
        witnesses = {s: _point_with_sign(candidate, space, s, rng) for s in (1, -1)}
        if None in witnesses.values():
            continue
        answers = {
            s: decide_membership(arch, target=Target.from_coefficients(p, space), field="real", session=session).member
            for s, p in witnesses.items()
        }
        if sorted(answers.values(), key=str) != [False, True]:
            continue
        reached_sign = 1 if answers[1] else -1
        on_side = sum(sign(candidate, space, p) in (reached_sign, 0) for p in reached_points)
        if on_side == samples:  # a reached network on the other side: the witnesses were a coincidence
            components.append(
                BoundaryComponent(polynomial=candidate, reached_sign=reached_sign, reached_witness=witnesses[reached_sign],
                                  unreached_witness=witnesses[-reached_sign], samples=samples)
            )
    return components


def _point_with_sign(expr: sympy.Expr, space: AmbientSpace, wanted: int, rng: random.Random, tries: int = 200):
    for _ in range(tries):
        point = tuple(Fraction(rng.randint(-4, 4)) for _ in range(space.dim))
        if sign(expr, space, point) == wanted:
            return point
    return None

