"""The fibers of the parametrization in the covering charts: the chart-by-chart search for (real) points
(module docstring of :mod:`neurom2.real.membership`, steps 3 and 4).

Macaulay2 builds each fiber ideal (:func:`neurom2.m2.package.fiber`); its generators are compared with
those of neurom2's own parametrization, and every certificate it returns (Nullstellensatz cofactors,
quotient data) is checked or used here in exact arithmetic.
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from neurom2 import progress
from neurom2.deadline import Deadline
from neurom2.errors import Macaulay2Timeout, VerificationError
from neurom2.exact.rationals import fraction
from neurom2.m2 import package
from neurom2.m2.package import Points
from neurom2.m2.session import Macaulay2Session
from neurom2.model.architecture import Architecture
from neurom2.model.parametrization import Parametrization
from neurom2.model.target import Target, format_graded
from neurom2.real.membership.charts import CoveringChart, covering_charts
from neurom2.real.membership.result import METHOD_FIBERS, Membership
from neurom2.real.membership.weights import Weights
from neurom2.real.membership.zerodim import Point, Solutions

SLICE_ATTEMPTS = 4
CRITICAL_SECONDS = 20.0
"""Time allowed to the critical point method in one chart; beyond it the chart is undecided."""
QUICK_SECONDS = 5.0
"""Time allowed to the random slices tried before the full computation (step 3)."""
CERTIFICATE_CHARS = 4000
"""Nullstellensatz cofactors longer than this (in characters) are checked but not printed."""


@dataclass(kw_only=True)
class ChartResult:
    """What is known of the fiber in one chart."""

    chart: CoveringChart
    points: Points
    summary: dict[str, Any] = field(default_factory=dict)
    solutions: Solutions | None = None
    real: bool | None = None  # whether the chart has a real point (None: not known)

    @property
    def dim(self) -> int:
        """The dimension of the chart's fiber."""
        return self.points.dim

    @property
    def zero_dimensional(self) -> Solutions:
        """The points of a zero-dimensional fiber (an internal error for other fibers)."""
        if self.solutions is None:
            raise ValueError(f"the fiber of dimension {self.dim} has no list of points")
        return self.solutions


class FiberSearch:
    """The chart-by-chart computation of steps 3 and 4: :meth:`decide` gives the :class:`Membership`."""

    def __init__(self, arch: Architecture, target: Target, field: str, session: Macaulay2Session,
                 deadline: Deadline, seed: int) -> None:
        self.arch, self.target, self.field = arch, target, field
        self.session = package.ready(session)
        self.deadline = deadline
        self.rng = random.Random(seed)
        self.names = arch.weight_names
        self.parametrization = Parametrization(arch)

    def fiber(self, chart: CoveringChart, limit: float | None = None) -> ChartResult:
        """dim and points of the chart's fiber ideal; its generators are checked against Python's."""
        found = package.fiber(self.session, self.arch, self.target.coefficients, chart.values,
                              timeout=self.deadline.remaining(limit))
        if found.generators != self.fiber_generators(chart):
            raise VerificationError("Macaulay2's fiber ideal differs from the fiber of neurom2's parametrization "
                                    f"in chart {chart.fixed(self.names)}")
        dim = found.points.dim
        result = ChartResult(chart=chart, points=found.points, summary={"fixed": chart.fixed(self.names),
                                                   "free": [self.names[i] for i in chart.free()], "dim": dim})
        if dim < 0:
            self.check_unit(result)
        elif dim == 0:
            result.solutions = Solutions.from_points(chart, found.points, self.rng)
            result.real = result.solutions.real_count > 0
            result.summary.update(result.solutions.describe(self.names))
            result.summary["status"] = "real points" if result.real else "no real point"
        else:
            result.summary["status"] = "not examined"
        return result

    def fiber_generators(self, chart: CoveringChart) -> list[dict]:
        """c_k(θ) − t_k with the chart's values substituted, as {exponents of the free weights: coefficient}."""
        free = chart.free()
        generators = []
        for poly, t in zip(self.parametrization.polynomials, self.target.coefficients):
            terms: dict[tuple[int, ...], Fraction] = {}
            for monom, coeff in poly.terms():
                value = fraction(coeff)
                for i, e in enumerate(monom):
                    if e and chart.values[i] is not None:
                        value *= chart.values[i] ** e
                key = tuple(monom[i] for i in free)
                terms[key] = terms.get(key, 0) + value
            zero = (0,) * len(free)
            terms[zero] = terms.get(zero, 0) - t
            generators.append({k: v for k, v in terms.items() if v})
        return generators

    def check_unit(self, result: ChartResult) -> None:
        """Verify the Nullstellensatz certificate Σ h_k g_k = 1 with Python's generators."""
        cofactors = result.points.cofactors or []
        generators = self.fiber_generators(result.chart)
        total: dict = {}
        for h, g in zip(cofactors, generators):
            for eh, ch in h.items():
                for eg, cg in g.items():
                    e = tuple(a + b for a, b in zip(eh, eg))
                    total[e] = total.get(e, 0) + ch * cg
        if {e: c for e, c in total.items() if c} != {(0,) * len(result.chart.free()): 1}:
            raise VerificationError(f"the cofactors of Macaulay2 do not show that chart "
                                    f"{result.chart.fixed(self.names)} is empty")
        free_names = [self.names[i] for i in result.chart.free()]
        shown = [format_graded(h, free_names) for h in cofactors]
        result.summary["status"] = "empty over C"
        result.summary["groebner_basis"] = ["1"]
        nullstellensatz: dict[str, Any] = {"verified": True, "statement": "sum_k h_k * (c_k(θ) - t_k) = 1"}
        if sum(map(len, shown)) <= CERTIFICATE_CHARS:
            nullstellensatz["cofactors"] = shown
        result.summary["nullstellensatz"] = nullstellensatz
        result.real = False

    def slices(self, result: ChartResult) -> Iterator[ChartResult]:
        """Zero-dimensional slices of a positive-dimensional chart: a maximal independent set of free weights
        (Macaulay2's ``independentSets``) fixed to random nonzero integers, in ``SLICE_ATTEMPTS`` attempts."""
        independent = [result.chart.free()[k] for k in result.points.independent or []]
        tried: set[tuple[Fraction, ...]] = set()
        for _ in range(SLICE_ATTEMPTS):
            values = {i: Fraction(self.rng.choice([-3, -2, -1, 1, 2, 3]) * self.rng.randint(1, 3)) for i in independent}
            if tuple(values.values()) in tried:
                continue
            tried.add(tuple(values.values()))
            sliced = self.fiber(result.chart.with_values(values))
            if sliced.dim == 0:
                result.summary.setdefault("slices", []).append(
                    {"fixed": {self.names[i]: str(v) for i, v in values.items()}, **sliced.zero_dimensional.describe(self.names)})
                yield sliced

    def critical(self, result: ChartResult) -> ChartResult | None:
        """The critical point method on a positive-dimensional chart (module docstring, step 3).

        Sets ``result.real`` to True, False or None (undecided); returns the critical points when real ones exist.
        """
        free = result.chart.free()
        p = [Fraction(self.rng.randint(-20, 20), self.rng.randint(1, 5)) for _ in free]
        summary: dict[str, Any] = {
            "point": [str(v) for v in p],
            "statement": ("for each minimal prime P of the fiber ideal, of codimension c, the ideal P + the "
                          "(c+1)-minors of [Jacobian(P); θ - p] contains the real point of V(P) nearest to p"),
        }
        result.summary["critical_points"] = summary
        try:
            reply = package.distance_critical_points(self.session, self.arch, self.target.coefficients,
                                                     result.chart.values, p,
                                                     timeout=self.deadline.remaining(CRITICAL_SECONDS))
        except Macaulay2Timeout as error:
            if self.deadline.expired():  # the whole budget, not this step's limit: stop
                raise
            summary["status"] = f"not finished within {error.seconds:g} s"
            result.real = None
            return None
        components, found, decided = [], None, True
        for points in reply:
            dim = points.dim
            entry: dict[str, Any] = {"dim": dim}
            if dim < 0:
                entry["status"] = "empty over C"
            elif dim == 0:
                solutions = Solutions.from_points(result.chart, points, self.rng)
                entry.update(solutions.describe(self.names))
                entry["status"] = "real points" if solutions.real_count else "no real point"
                if solutions.real_count and found is None:
                    found = ChartResult(chart=result.chart, points=points, solutions=solutions, real=True)
            else:
                entry["status"] = f"critical locus of dimension {dim}: undecided"
                decided = False
            components.append(entry)
        summary["components"] = components
        result.real = True if found is not None else False if decided else None
        if found is not None:  # critical points have large degree; a rational slice near one is simpler
            near = self.slice_near(result, found.zero_dimensional)
            if near is not None:
                summary["slice_near_a_real_critical_point"] = near.summary["fixed"]
                return near
        return found

    def slice_near(self, result: ChartResult, solutions: Solutions) -> ChartResult | None:
        """The slice fixing a maximal independent set of weights to rationals near a real point of
        ``solutions``, if it is zero-dimensional with a real point."""
        approximate = solutions.approximate_real_point()
        free = result.chart.free()
        values = {free[k]: Fraction(round(approximate[k] * 8), 8) for k in result.points.independent or []}
        sliced = self.fiber(result.chart.with_values(values))
        if sliced.dim == 0 and sliced.zero_dimensional.real_count:
            return sliced
        return None

    # decision ----------------------------------------------------------------------------------------------------

    def quick_point(self, charts: list[CoveringChart]) -> Membership | None:
        """A yes without the charts' Gröbner bases, which can be expensive when fibers are positive-dimensional:
        in each chart with more free weights than equations, fix that excess of random free weights to
        random integers and look for a (real) point on the slice, within ``QUICK_SECONDS`` in all."""
        quick = Deadline(QUICK_SECONDS)
        for chart in charts:
            free = chart.free()
            excess = len(free) - sum(1 for g in self.fiber_generators(chart) if g)
            if excess <= 0:
                continue
            values = {i: Fraction(self.rng.choice([-3, -2, -1, 1, 2, 3])) for i in self.rng.sample(free, excess)}
            remaining = None if quick.expired() else quick.remaining()
            if remaining is None or remaining < 1:
                return None
            try:
                sliced = self.fiber(chart.with_values(values), limit=remaining)
            except Macaulay2Timeout:
                if self.deadline.expired():
                    raise
                return None
            if sliced.dim != 0:
                continue
            points = [p for p in sliced.zero_dimensional.points() if p.is_real or self.field == "complex"]
            if points:
                sliced.summary["status"] = "point found on a random slice, before the full computation"
                certificate = {"method": self.method_description(), "charts": [sliced.summary]}
                return self.answer(True, certificate, points)
        return None

    def decide(self) -> Membership:
        """Decide membership: a quick rational point first, then the fiber in every covering chart."""
        quick = self.quick_point(covering_charts(self.arch))
        if quick is not None:
            return quick
        covering = covering_charts(self.arch)
        charts = []
        for k, chart in enumerate(covering, start=1):
            progress.stage(f"chart {k} of {len(covering)}", "fiber ideal in Macaulay2")
            charts.append(self.fiber(chart))
        certificate: dict[str, Any] = {"method": self.method_description(), "charts": [r.summary for r in charts]}
        zero_dim = [r for r in charts if r.dim == 0]
        positive = [r for r in charts if r.dim > 0]
        if self.field == "complex":
            if not zero_dim and not positive:
                return self.answer(False, certificate)
            candidates = [p for r in zero_dim for p in r.zero_dimensional.points()]
            for r in positive if not candidates else []:
                sliced = next(self.slices(r), None)
                if sliced is not None:
                    r.summary["status"] = "point found on a slice"
                    candidates = sliced.zero_dimensional.points()
                    break
            if not candidates:
                certificate["note"] = ("the fiber ideal is not the unit ideal, so it has complex points "
                                       "(Nullstellensatz), but no zero-dimensional slice was found to exhibit one")
                return self.answer(True, certificate)
            return self.answer(True, certificate, candidates)
        real = [p for r in zero_dim for p in r.zero_dimensional.points() if p.is_real]
        if real:
            return self.answer(True, certificate, real)
        for r in positive:
            for sliced in self.slices(r):
                points = [p for p in sliced.zero_dimensional.points() if p.is_real]
                if points:
                    r.summary["status"] = "real point found on a slice"
                    return self.answer(True, certificate, points)
            r.summary["status"] = f"no real point on {len(r.summary.get('slices', []))} random slice(s)"
        for r in positive:
            found = self.critical(r)
            if found is not None:
                r.summary["status"] = "real point found among critical points"
                return self.answer(True, certificate, [p for p in found.zero_dimensional.points() if p.is_real])
            r.summary["status"] = "no real point (critical points)" if r.real is False else "undecided"
        undecided = [r for r in positive if r.real is None]
        if undecided:
            reason = (f"{len(undecided)} chart(s) with positive-dimensional fibers are undecided: no real point on "
                      f"{SLICE_ATTEMPTS} random slices, and the critical-point ideals are not zero-dimensional or "
                      f"took more than {CRITICAL_SECONDS:g} s")
            return self.answer(None, certificate, reason=reason)
        return self.answer(False, certificate)

    def method_description(self) -> str:
        """The method in words: the charts, the fiber ideals and how real points are counted."""
        r = self.arch.monomial_degree
        charts = ("one chart, all weights free (σ has no rescaling symmetry)" if r is None or r < 2 else
                  "charts covering all weights up to symmetry: each hidden neuron's first nonzero input weight is 1 "
                  "and earlier ones 0 (rescaling by real λ), positions sorted within a layer (permutations)")
        return (f"the fiber {{θ : c(θ) = t}} in {charts}. Per chart, Macaulay2's fiber ideal over QQ (generators "
                "checked against neurom2's parametrization): empty if 1 is in it (cofactors checked); if "
                "zero-dimensional, its real points are the real roots of the eliminant of a separating linear form "
                "(Sturm sequences, or certified isolation for large degrees), also counted by the signature of "
                "Hermite's trace form; if positive-dimensional, random slices, then the critical points of the "
                "distance to a random point")

    def answer(self, member: bool | None, certificate: dict, points: Sequence[Point] = (),
               reason: str | None = None) -> Membership:
        """The result; for a yes with points, the simplest one (rational, then real, then of least degree)."""
        version = self.session.version
        if not points:
            return Membership(architecture=self.arch, target=self.target, field=self.field, member=member, method=METHOD_FIBERS,
                              certificate=certificate, reason=reason,
                              m2_version=version)
        point = min(points, key=lambda p: (p.modulus.degree() > 1, not p.is_real, p.modulus.degree()))
        weights = Weights(self.arch, self.target, self.parametrization, point)
        certificate["point"] = weights.describe(self.names)
        return Membership(architecture=self.arch, target=self.target, field=self.field, member=True, method=METHOD_FIBERS,
                          certificate=certificate,
                          weights=weights.strings, exact=True, max_error=weights.max_error,
                          algebraic_weights=weights.algebraic, m2_version=version)
