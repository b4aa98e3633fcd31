"""Whether real weights reach a real point of the neurovariety that is given exactly: rational, or algebraic
(c = residues(α), α a real root of an irreducible m, as the critical points of :mod:`~neurom2.training.critical`).

* One affine layer: every point of V is a network (its weights are its coefficients).
* Linear networks: X is the set of dL × d0 matrices of rank ≤ r = min(widths) (times the free constants with
  biases); a real point of X is a real matrix of rank ≤ r and has a real rank factorization through the hidden
  widths, so it is reached (proved).
* A rational point: :func:`neurom2.real.membership.decide_membership` (exact weights or a certificate).
* The critical points of one stratum V(P), all at once (:class:`StratumReach`).  First, a test that does not
  depend on the data: if in every covering chart the networks lying on V(P) lie in its singular locus
  (Macaulay2 ``imageAvoidsSmoothPart``: saturations in the chart's weights), no smooth point of V(P) — in
  particular no critical point on its smooth part — is a network, over C (proved).  Then, per point, the fast
  proofs (seconds): no real weights when in every chart of the covering family
  (:func:`~neurom2.real.membership.covering_charts`, which meets every orbit of the weight symmetries over R) the
  fiber over it, from a lexicographic Gröbner basis of the chart's graph specialized at the point in ball
  arithmetic, has no real point (:mod:`~neurom2.training.tower`, proved); else real weights found numerically and
  certified by interval Newton (:mod:`~neurom2.training.certify`) prove it reached.
* The points the fast proofs leave undecided: for each chart, Macaulay2 pulls the critical equations back to the
  weights (``pullbackReport``): P(c(θ)) = 0 and G(c(θ) − u) = Σ l_i ∇g_i(c(θ)), an ideal in the free weights and
  the multipliers with data-sized coefficients (unlike the points' own coordinates, whose exact descriptions
  can have thousands of digits).  The real points of a zero-dimensional pullback are the real weights of the
  chart reaching real critical points; c(θ) is evaluated in Arb ball arithmetic and matched to the one critical
  point whose coordinate balls it meets (the critical points are the only points of V(J), so the match is exact
  once the balls separate).  A chart whose pullback is the unit ideal or zero-dimensional contributes every
  real weight it has; a positive-dimensional one is sliced by fixing a maximal independent set of weights to
  random integers, where a real point proves reachability and none proves nothing; a pullback too large for
  Macaulay2 in its time leaves its chart unsettled.  Answer per point: True (with weights, algebraic, printed to
  15 digits), False (every chart settled without one), None (undecided).
* A pseudometric (G singular): whether real weights reach a point of u + ker G, where L attains its minimum
  over V, by the same certified numerics on the equations G(c(θ) − u) = 0 (:func:`reach_minimizers`).
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import flint
import numpy as np

from neurom2 import progress
from neurom2.deadline import Deadline
from neurom2.errors import Macaulay2Timeout
from neurom2.exact.rationals import fraction
from neurom2.exact.roots import precision
from neurom2.exact.terms import Terms
from neurom2.m2 import package
from neurom2.m2.session import Macaulay2Session
from neurom2.model.architecture import Architecture
from neurom2.model.parametrization import Parametrization
from neurom2.model.space import AmbientSpace
from neurom2.model.target import Target
from neurom2.real.membership import decide_membership
from neurom2.real.membership.charts import CoveringChart, covering_charts
from neurom2.real.membership.zerodim import Solutions
from neurom2.training import tower
from neurom2.training.certify import Certificate, Polynomials, certify, real_roots, same_point
from neurom2.training.critical import BITS, Metric, NumberField, RealPoint, real_points

SLICES = 3
"""Random slices tried on a chart whose pulled-back ideal is positive-dimensional."""
PULLBACK_SECONDS = 20.0
"""Time allowed to one chart's pulled-back ideal; beyond it the chart is undecided."""


ChartGraphs = dict[tuple[Fraction | None, ...], list[Terms] | None]
"""The lexicographic Gröbner bases of the covering charts' graphs by the charts' values (None: not computed in time);
they depend on the network alone, so the strata of one landscape share them."""


@dataclass(frozen=True, kw_only=True)
class Reach:
    """Whether real weights reach a point: ``member`` True/False/None, how it was decided, and weights."""

    member: bool | None
    method: str
    weights: tuple[str, ...] | None = None
    exact: bool = False
    """Whether the weights were verified exactly (over QQ or in a number field)."""
    detail: str = ""

    def to_json(self) -> dict[str, Any]:
        """The reachability as JSON."""
        return {"reached": self.member, "method": self.method, "weights": list(self.weights) if self.weights else None,
                "weights_exact": self.exact, "detail": self.detail}


def reach_rational(arch: Architecture, coefficients: Sequence[Fraction], session: Macaulay2Session | None,
                   deadline: Deadline, seed: int = 0) -> Reach:
    """Membership of a rational point (exact, :func:`~neurom2.real.membership.decide_membership`; ``session``
    None: the shared one, started only if the membership test needs Macaulay2)."""
    known = structural(arch)
    if known is not None:
        return known
    result = decide_membership(arch, target=Target.from_coefficients(coefficients, AmbientSpace.of(arch)), field="real",
                               session=session, timeout=deadline, seed=seed)
    return Reach(member=result.member, method=result.method, weights=result.weights, exact=result.exact,
                 detail=result.reason or "")


def structural(arch: Architecture) -> Reach | None:
    """Reachability that holds for every real point of X, by the architecture alone (one affine layer, linear
    networks), else None."""
    if arch.depth == 1:
        return Reach(member=True, method="single affine layer: every point of V is a network", exact=True)
    if arch.monomial_degree == 1:
        return Reach(member=True, method="linear network: a real matrix of rank ≤ min(widths) has a real rank factorization "
                     "through the hidden layers" + (" (the biases free)" if arch.bias else ""), exact=False)
    return None


class StratumReach:
    """Which real critical points of one stratum V(P) real weights reach (module docstring), decided for all
    of them at once: per covering chart, the real points of the pulled-back Lagrange ideal."""

    def __init__(self, arch: Architecture, session: Macaulay2Session, deadline: Deadline, seed: int = 0,
                 graphs: ChartGraphs | None = None) -> None:
        self.arch, self.session, self.deadline = arch, package.ready(session), deadline
        self.rng = random.Random(seed)
        self.parametrization = Parametrization(arch)
        self.graphs: ChartGraphs = {} if graphs is None else graphs
        """The charts' graphs, shared with the caller's other strata when it passes its dictionary."""

    def decide(self, points: Sequence[RealPoint], generators: Sequence[Terms], combinations: Sequence[Terms],
               metric: Metric) -> list[Reach]:
        """One :class:`Reach` per real critical point of V(P) (``points``, from :func:`~neurom2.training.critical.critical_set`
        with these ``combinations``): the fast proofs first (:meth:`settle`, seconds per point), then the pulled-back
        equations for the points they leave undecided."""
        known = structural(self.arch)
        if known is not None:
            return [known for _ in points]
        charts = covering_charts(self.arch)
        meeting = [chart for chart in charts if not package.image_avoids_smooth_part(
            self.session, self.arch, chart.values, generators, timeout=self.deadline.remaining())]
        if not meeting:
            return [Reach(member=False, method="no network is a smooth point of this stratum",
                          detail=f"in each of the {len(charts)} covering charts, the networks on V(P) lie in its singular "
                                 "locus (saturations in the weights, exact; over C)") for _ in points]
        result = []
        for k, p in enumerate(points):
            progress.step(k, len(points), "critical points")
            result.append(self.settle(p, generators, charts))
        pending = [k for k, r in enumerate(result) if r.member is None]
        if pending:
            found, undecided = self.pulled_back(points, meeting, generators, combinations, metric)
            for k in pending:
                result[k] = found.get(k) or (Reach(member=False, method="no real weights in any covering chart", detail=(
                    f"{len(charts)} chart(s): the pulled-back critical equations have no real solution over this point "
                    "(empty over C or zero-dimensional)")) if not undecided else Reach(member=None, method="undecided", detail=(
                        f"{result[k].detail}; charts not settled by the pulled-back equations: {', '.join(undecided)}; "
                        f"no real point over it on {SLICES} random slices")))
        return result

    def pulled_back(self, points: Sequence[RealPoint], meeting: Sequence[CoveringChart], generators: Sequence[Terms],
                    combinations: Sequence[Terms], metric: Metric) -> tuple[dict[int, Reach], list[str]]:
        """The points reached in the charts ``meeting`` by the real points of the pulled-back critical equations
        (sliced when positive-dimensional), and why charts stayed unsettled (empty: every chart settled)."""
        found: dict[int, Reach] = {}
        undecided = []
        for chart in meeting:
            pulled = self.pullback(chart, generators, combinations, metric)
            if pulled is None:
                undecided.append("timed out")
                continue
            if pulled.dim < 0:
                continue
            if pulled.dim == 0:
                self.collect(points, chart, pulled, found, len(combinations))
                continue
            undecided.append(f"positive-dimensional (dim {pulled.dim})")
            for values in self.slices(chart, pulled):
                sliced = self.pullback(values, generators, combinations, metric)
                if sliced is not None and sliced.dim == 0:
                    self.collect(points, values, sliced, found, len(combinations))
        return found, undecided

    def settle(self, point: RealPoint, generators: Sequence[Terms], charts: Sequence[CoveringChart]) -> Reach:
        """The fast proofs: no real weights if every chart's fiber over the point has no real point
        (:mod:`~neurom2.training.tower`), else certified real weights (:func:`certified_reach`), else undecided."""
        target = point.values(point.coordinates, tower.BITS)
        verdicts = []
        for chart in charts:
            basis = self.graph_basis(chart)
            verdicts.append(None if basis is None else tower.real_fiber_possible(basis, len(chart.free()), target))
        if all(v is False for v in verdicts):
            return Reach(member=False, method="no real weights in any covering chart (fibers by the extension theorem)",
                         detail=f"in each of the {len(charts)} charts the fiber over the point, from a lexicographic "
                                "Gröbner basis of the chart's graph specialized in ball arithmetic, has no real point")
        return certified_reach(self.arch, point, generators, self.rng,
                               "the fibers by the extension theorem " + ("allow a real point" if None not in verdicts else
                                                                         "not all computed in time"))

    def graph_basis(self, chart: CoveringChart) -> list[Terms] | None:
        """The lexicographic Gröbner basis of the chart's graph (data-independent, computed once), or None when it
        takes longer than PULLBACK_SECONDS."""
        if chart.values not in self.graphs:
            try:
                self.graphs[chart.values] = tower.chart_basis(self.session, self.arch, chart,
                                                              self.deadline.remaining(PULLBACK_SECONDS))
            except Macaulay2Timeout:
                if self.deadline.expired():
                    raise
                self.graphs[chart.values] = None
        return self.graphs[chart.values]

    def pullback(self, chart: CoveringChart, generators: Sequence[Terms], combinations: Sequence[Terms],
                 metric: Metric) -> package.Points | None:
        """The real points of the critical equations pulled back to the weights in this chart (None when Macaulay2 fails)."""
        try:
            return package.pullback_points(self.session, self.arch, chart.values, generators, combinations,
                                           metric.gram, metric.center, timeout=self.deadline.remaining(PULLBACK_SECONDS))
        except Macaulay2Timeout:
            if self.deadline.expired():
                raise
            return None

    def slices(self, chart: CoveringChart, points: package.Points) -> list[CoveringChart]:
        """Random slices of the chart: charts that also fix, to small random integers, the free weights the points leave
        undetermined."""
        free = chart.free()
        independent = [free[k] for k in points.independent or [] if k < len(free)]
        return [chart.with_values({i: Fraction(self.rng.choice([-3, -2, -1, 1, 2, 3])) for i in independent})
                for _ in range(SLICES)]

    def collect(self, points: Sequence[RealPoint], chart: CoveringChart, pulled: package.Points,
                found: dict[int, Reach], r: int) -> None:
        """Match the real points of a zero-dimensional pullback to the critical points: c(θ) as Arb balls must
        meet exactly one critical point's coordinate balls (the critical points are distinct, so their balls
        separate at enough precision)."""
        free = chart.free()
        solutions = Solutions.from_points(CoveringChart((None,) * (len(free) + r)), pulled, self.rng)
        if not solutions.real_count:
            return
        polynomials = [{monom: fraction(coeff) for monom, coeff in poly.terms()} for poly in self.parametrization.polynomials]
        for bits in (256, 1024):
            targets = [p.values(p.coordinates, bits) for p in points]
            unresolved = False
            for weights in real_points(solutions, len(free)):
                theta = _chart_weights(chart, weights.coordinates)
                field_ = NumberField(weights.modulus)
                image = weights.values([field_.evaluate(t, theta) for t in polynomials], bits)
                hits = [k for k, target in enumerate(targets) if all(a.overlaps(b) for a, b in zip(image, target))]
                if len(hits) != 1:
                    unresolved = True
                    continue
                if hits[0] not in found:
                    values = weights.values(theta, bits)
                    found[hits[0]] = Reach(member=True,
                                           method="real weights in a covering chart (pulled-back critical equations)",
                                           weights=tuple(f"{float(v.mid()):.15g}" for v in values), exact=True,
                                           detail=f"chart fixing {chart.fixed(self.arch.weight_names) or 'nothing'}; "
                                           f"weights algebraic of degree {weights.modulus.degree()}")
            if not unresolved:
                return


CERTIFIED = "real weights certified by interval Newton (Krawczyk)"


def network_equations(arch: Architecture, combination: Sequence[Sequence[Fraction]],
                      constants: Sequence[flint.arb]) -> Polynomials:
    """E(θ) = combination · c(θ) − constants, in all the weights (:class:`~neurom2.training.certify.Polynomials`)."""
    coefficients = [{monom: fraction(coeff) for monom, coeff in poly.terms()} for poly in Parametrization(arch).polynomials]
    terms = []
    for row in combination:
        combined: dict[tuple[int, ...], Fraction] = {}
        for weight, poly in zip(row, coefficients):
            for monom, coeff in poly.items() if weight else ():
                combined[monom] = combined.get(monom, Fraction(0)) + weight * coeff
        terms.append({m: c for m, c in combined.items() if c})
    return Polynomials(tuple(terms), tuple(constants), arch.n_params)


def certified_reach(arch: Architecture, point: RealPoint, generators: Sequence[Terms], rng: random.Random,
                    undecided: str) -> Reach:
    """Real weights reaching a real point of V(generators), found numerically and certified (module docstring of
    :mod:`~neurom2.training.certify`); else undecided, for the reason ``undecided``."""
    target = point.values(point.coordinates, BITS)
    n = len(target)
    equations = network_equations(arch, [[Fraction(int(i == j)) for j in range(n)] for i in range(n)], target)
    for theta in real_roots(equations, rng):
        found = certify(equations, theta)
        if found is None:
            continue
        image = [v + t for v, t in zip(equations.values(found.weights), target)]
        if same_point(generators, target, image, found.rows):
            return Reach(member=True, method=CERTIFIED, weights=tuple(f"{float(w.mid()):.15g}" for w in found.weights),
                         exact=False,
                         detail=f"{undecided}; {_solved(arch, found)}, "
                         f"the network equal to the point in the coordinates {list(found.rows)} by Krawczyk's test "
                         "and in the others by Krawczyk's test on the equations of the stratum")
    return Reach(member=None, method="undecided", detail=f"{undecided}; no real weights certified numerically")


def reach_minimizers(arch: Architecture, metric: Metric, rng: random.Random) -> Reach:
    """Whether real weights reach u + ker G (G singular), where L = its minimum over V: certified real weights
    with G(c(θ) − u) = 0 on a basis of G's rows (True), else undecided."""
    matrix = metric.matrix()
    echelon, rank = matrix.transpose().rref()
    pivots = [next(j for j in range(metric.n) if echelon[i, j] != 0) for i in range(rank)]
    rows = [[metric.gram[k][j] for j in range(metric.n)] for k in pivots]
    with precision(BITS):
        constants = [flint.arb(flint.fmpq(v.numerator, v.denominator))
                     for v in (sum((g * u for g, u in zip(row, metric.center)), Fraction(0)) for row in rows)]
    equations = network_equations(arch, rows, constants)
    for theta in real_roots(equations, rng):
        found = certify(equations, theta)
        if found is not None and len(found.rows) == rank:
            return Reach(member=True, method=CERTIFIED, weights=tuple(f"{float(w.mid()):.15g}" for w in found.weights),
                         exact=False,
                         detail=f"G(c(θ) − u) = 0 on {rank} independent rows of G; {_solved(arch, found)}")
    return Reach(member=None, method="undecided", detail="no real weights with G(c(θ) − u) = 0 certified numerically")


def _solved(arch: Architecture, found: Certificate) -> str:
    names = arch.weight_names
    return (f"weights {', '.join(names[j] for j in found.solved)} in balls of radius ≤ "
            f"{max(float(w.rad()) for w in found.weights):.1e}, the others rational")


def _chart_weights(chart: CoveringChart, free: Sequence[flint.fmpq_poly]) -> list[flint.fmpq_poly]:
    values = iter(free)
    return [next(values) if v is None else flint.fmpq_poly([flint.fmpq(v.numerator, v.denominator)]) for v in chart.values]


def weight_norm(weights: Sequence[str]) -> float:
    """‖θ‖ of printed weights (decimals or rationals)."""
    return float(np.linalg.norm([float(Fraction(w)) if "/" in w else float(w) for w in weights]))
