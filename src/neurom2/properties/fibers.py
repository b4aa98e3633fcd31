"""Identifiability: the generic fiber of θ ↦ f_θ compared with the symmetry group G.

1. **Dimension.**  The generic fiber has dimension n − dim M (n parameters), with dim M from
   :func:`neurom2.variety.dimension.dimension` (proved, or probable with its error bound, exactly as reported
   there).  G's orbits have the dimension of the span of its tangent vectors
   (:func:`neurom2.properties.symmetry.tangent_vectors`) at random integer weights: that rank modulo a prime is a
   proved lower bound of the generic orbit dimension, and it is proved equal when it reaches dim G.  The part of
   the fiber G does not explain has dimension (n − dim M) − (orbit dimension); when it is positive the network is
   not identifiable up to G.
2. **Counting orbits**, when G explains the fiber's dimension: the chart fixes the first input weight of every
   hidden neuron to 1 when G has a rescaling torus (it meets each torus orbit with that weight nonzero exactly
   once), else leaves every weight free.  The points of the chart over μ(θ0), θ0 random integers in the chart,
   are counted (a) modulo two primes by a Gröbner basis in Macaulay2 (``fiberCountModular``: points with
   multiplicity, and distinct points by the squarefree part of a random linear form's eliminant; the ideal is
   radical when both agree), or, when that takes longer than ``GROEBNER_SECONDS`` or is expected to
   (:func:`groebner_seconds_estimate` with the finite group's order as the least count), (b) by monodromy
   (``fiberCountMonodromy``, stopped after ``REPEATS`` loops without a new solution).  The number of G-orbits is
   that count divided by the order of the finite group acting on the chart (permutations, and sign changes when
   they are not in a torus), which acts freely on fibers of weights whose neurons are pairwise distinct.
   Monodromy keeps one point per class modulo the permutations of the first hidden layer (MonodromySolver's
   ``Equivalencer``: neurons sorted by their first free weight), so it tracks d_1! times fewer paths; the points
   are the classes times d_1!.

What is proved and what is probable: (a) proves the count of the fiber at θ0 over the algebraic closure of
ZZ/p; it equals the generic count over C unless θ0 is special or p is a bad prime (probable: no bound on
those is computed here; two primes with independent points must agree).  (b) gives a lower bound, complete with
high probability under its stopping rule (floating point, no certification).  Orbits with a first input weight
0, and dead neurons (all outgoing weights 0, saturated away), are not counted: generic fibers have none when
such weights map to a proper subvariety of M.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from fractions import Fraction
from math import factorial
from typing import Any

import numpy as np

from neurom2.cost import Estimate, guard
from neurom2.deadline import Deadline
from neurom2.errors import Macaulay2Timeout
from neurom2.m2 import package
from neurom2.m2.session import Macaulay2Session, default_session
from neurom2.model.architecture import Architecture
from neurom2.model.jacobian import modular_rank
from neurom2.properties.symmetry import SymmetryGroup, law, symmetry_group, tangent_vectors
from neurom2.variety.dimension import PRIMES, Dimension, dimension

COUNT_PRIMES = (32003, 32009)
"""The primes of the Gröbner basis counts (each with its own random point)."""
GROEBNER_SECONDS = 30.0
"""Time given to the Gröbner basis counts (both primes, one Macaulay2 call) before monodromy takes over."""
REPEATS = 5
"""Monodromy stops after this many consecutive loops without a new solution."""
GROEBNER_RATE = 3e4
"""Calibration of :func:`groebner_seconds_estimate`: (3,4,1) x^4, 24 solutions in 12 unknowns, took 5.7 s for both
primes (benchmarks/results/fibers.json)."""


@dataclass(frozen=True, kw_only=True)
class Fibers:
    """Identifiability of an architecture up to its symmetry group (module docstring)."""

    architecture: Architecture
    symmetries: SymmetryGroup
    dimension: Dimension
    fiber_dim: int
    """n − dim M: the dimension of the generic fiber (proved when ``dimension.proved``)."""
    orbit_dim: int
    orbit_dim_proved: bool
    unexplained_dim: int
    """fiber_dim − orbit_dim: > 0 means not identifiable up to G."""
    chart: tuple[str, ...] = ()
    """The weights fixed to 1 by the slice."""
    solutions: int | None = None
    """Points of the chart over μ(θ0)."""
    residual_order: int = 1
    orbits: int | None = None
    """G-orbits in the generic fiber (None: not counted)."""
    method: str = ""
    counts: tuple[dict[str, Any], ...] = ()
    proved: str = ""
    probable: str = ""
    undecided: str = ""
    seed: int = 0

    @property
    def identifiable(self) -> bool | None:
        """Whether the generic fiber is a single G-orbit (None: not known)."""
        if self.unexplained_dim > 0:
            return False
        return None if self.orbits is None else self.orbits == 1

    def to_json(self) -> dict[str, Any]:
        """This part as JSON (plain types)."""
        return {
            "n_params": self.architecture.n_params, "dim": self.dimension.dim, "dim_proved": self.dimension.proved,
            "dim_error_bound": self.dimension.error_bound, "fiber_dim": self.fiber_dim,
            "symmetry_dim": self.symmetries.continuous_dim, "orbit_dim": self.orbit_dim,
            "orbit_dim_proved": self.orbit_dim_proved, "unexplained_dim": self.unexplained_dim,
            "chart": list(self.chart), "solutions": self.solutions, "residual_order": self.residual_order,
            "orbits": self.orbits, "identifiable": self.identifiable, "method": self.method,
            "counts": list(self.counts), "proved": self.proved, "probable": self.probable,
            "undecided": self.undecided, "seed": self.seed,
        }


def orbit_dimension(arch: Architecture, rng: random.Random) -> int:
    """Rank modulo a prime of G's tangent vectors at random integer weights (≤ the generic orbit dimension)."""
    theta = [rng.randint(1, 10**6) for _ in range(arch.n_params)]
    vectors = tangent_vectors(arch, theta)
    if not vectors:
        return 0
    p = PRIMES[0]
    return modular_rank(np.array([[x % p for x in v] for v in vectors], dtype=np.int64), p)


def slice_chart(arch: Architecture) -> list[Fraction | None]:
    """w_(l,i,1) = 1 for every hidden neuron when G has a rescaling torus, else no weight fixed."""
    chart: list[Fraction | None] = [None] * arch.n_params
    found = law(arch)
    if found is None or not found.continuous:
        return chart
    position = 0
    for l, (rows, cols) in enumerate(arch.weight_shapes):
        if l < arch.depth - 1:
            for i in range(rows):
                chart[position + i * cols] = Fraction(1)
        position += rows * cols + (rows if arch.bias else 0)
    return chart


def groebner_seconds_estimate(unknowns: int, solutions: int) -> float:
    """Seconds of the two Gröbner basis counts, about solutions³ · unknowns / :data:`GROEBNER_RATE` (linear algebra
    on a normal form basis of at least ``solutions`` monomials, once per unknown); a guess to skip them, never a
    correctness matter."""
    return solutions ** 3 * unknowns / GROEBNER_RATE


def _groebner_counts(session: Macaulay2Session, arch: Architecture, chart: list[Fraction | None], rng: random.Random,
                     seed: int, deadline: Deadline, seconds: float, counts: list[dict[str, Any]]) -> tuple[int | None, str]:
    """The counts modulo :data:`COUNT_PRIMES` (appended to ``counts``): the number of points and the method when both
    primes give the same radical zero-dimensional ideal, else (None, "")."""
    try:
        points = [([1 if v is not None else rng.choice([-1, 1]) * rng.randint(1, 30) for v in chart], p)
                  for p in COUNT_PRIMES]
        for found in package.fiber_count_modular(session, arch, points, chart, seed,
                                                 timeout=deadline.remaining(seconds)):
            counts.append({"method": "groebner", "prime": found.prime, "dim": found.dim, "degree": found.degree,
                           "distinct": found.distinct})
    except Macaulay2Timeout:
        if deadline.expired():
            raise
        counts[:] = [{"method": "groebner", "status": f"not finished within {seconds:g} s"}]
        return None, ""
    agreed = {(c["dim"], c["degree"], c["distinct"]) for c in counts}
    if len(agreed) == 1 and counts[0]["dim"] == 0 and counts[0]["degree"] == counts[0]["distinct"]:
        return counts[0]["distinct"], (f"Groebner bases modulo {COUNT_PRIMES[0]} and {COUNT_PRIMES[1]} at independent "
                                       "random points: radical zero-dimensional fiber ideals of the same degree")
    return None, ""


def monodromy_estimate(unknowns: int, solutions: int) -> Estimate:
    """Monodromy tracks about 3 loops of ``solutions`` paths (at least the classes: the finite group's order over
    the first hidden layer's permutations), each some
    hundred steps of an ``unknowns``-square linear solve, and ``REPEATS`` idle loops."""
    return Estimate(f"monodromy on {unknowns} unknowns with at least {solutions} solutions", 1e3 * solutions * unknowns,
                    (3 + REPEATS) * solutions * 300 * unknowns ** 3 * 50)


def fibers(arch: Architecture, *, seed: int = 0, timeout: Deadline | float | None = None, force: bool = False,
           session: Macaulay2Session | None = None, groebner_seconds: float = GROEBNER_SECONDS) -> Fibers:
    """Identifiability of ``arch`` (module docstring); ``session`` is used only to count orbits."""
    deadline = Deadline.coerce(timeout)
    rng = random.Random(seed)
    group = symmetry_group(arch)
    dim = dimension(arch, seed=seed, timeout=deadline, force=force)
    orbit = orbit_dimension(arch, rng)
    fiber_dim = arch.n_params - dim.dim
    orbit_proved = orbit == group.continuous_dim or (dim.proved and orbit == fiber_dim)  # orbits lie in fibers
    how_dim = ("proved (Jacobian rank reaches a proved upper bound)" if dim.proved else
               f"probable (Jacobian ranks modulo primes, error bound {dim.error_bound:.1e})")
    base: dict[str, Any] = dict(architecture=arch, symmetries=group, dimension=dim, fiber_dim=fiber_dim,
                                orbit_dim=orbit, orbit_dim_proved=orbit_proved, unexplained_dim=fiber_dim - orbit,
                                residual_order=group.finite_order, seed=seed)
    facts = (f"generic fiber dimension n - dim M = {arch.n_params} - {dim.dim} = {fiber_dim}, {how_dim}; "
             f"G-orbits of dimension {orbit} ({'proved' if orbit_proved else 'a proved lower bound'})")
    if fiber_dim > orbit:
        what = "proved" if dim.proved and orbit_proved else "probable"
        return Fibers(**base, proved=facts if what == "proved" else "",
                      probable=facts if what == "probable" else "",
                      undecided="", method="dimensions only: not identifiable up to G, the fiber has "
                      f"{fiber_dim - orbit} dimension(s) G does not explain")
    if arch.monomial_degree == 1:
        return Fibers(**base, proved=facts, undecided="the number of orbits of linear networks is not counted")
    chart = slice_chart(arch)
    unknowns = sum(v is None for v in chart)
    names = tuple(name for name, v in zip(arch.weight_names, chart) if v is not None)
    session = package.ready(session or default_session())
    counts: list[dict[str, Any]] = []
    solutions: int | None = None
    method = ""
    expected = groebner_seconds_estimate(unknowns, group.finite_order)
    if expected > groebner_seconds:
        counts.append({"method": "groebner", "status": f"skipped: estimated {expected:.0f} s > {groebner_seconds:g} s"})
    else:
        solutions, method = _groebner_counts(session, arch, chart, rng, seed, deadline, groebner_seconds, counts)
    if solutions is None:
        first = factorial(arch.hidden_widths[0]) if arch.hidden_widths else 1  # they act freely (docstring)
        guard(monodromy_estimate(unknowns, group.finite_order // first), force)
        numeric = package.fiber_count_monodromy(session, arch, chart, REPEATS, seed, timeout=deadline.remaining(),
                                                modulo_first_layer=bool(arch.hidden_widths))
        counts.append({"method": "monodromy", "classes": "modulo the permutations of the first hidden layer",
                       "generic": numeric.generic, "regular": numeric.regular, "fiber": numeric.fiber,
                       "repeats": REPEATS})
        solutions = numeric.fiber * first
        method = (f"monodromy (MonodromySolver) on classes modulo the {first} permutations of the first hidden layer "
                  f"(each class once), stopped after {REPEATS} loops without a new class, then tracked to a random "
                  "point of the image; points = classes x "
                  f"{first}")
    residual = group.finite_order
    orbits = solutions // residual if solutions % residual == 0 and solutions else None
    where = ("over mu(theta0) at random integer theta0, over the algebraic closure of ZZ/p" if method.startswith("Groebner")
             else "over the image of random complex weights")
    counted = (f"{solutions} point(s) in the chart {where}, {residual} per orbit (the finite group "
               f"acting on the chart)" + (f": {orbits} orbit(s)" if orbits is not None else
                                        ": not a multiple, the finite group does not act freely"))
    probable = ("the count at the random point equals the generic count over C (a special point or a bad prime "
                "would change it; not bounded here)" if method.startswith("Groebner") else
                "the count is a lower bound, complete with high probability under the stopping rule (floating point)")
    return Fibers(**base, chart=names, solutions=solutions, orbits=orbits, method=method,
                  counts=tuple(counts), proved=facts + "; " + counted if method.startswith("Groebner") else facts,
                  probable=probable if method.startswith("Groebner") else counted + "; " + probable,
                  undecided="orbits with a first input weight 0 or dead neurons are not counted")
