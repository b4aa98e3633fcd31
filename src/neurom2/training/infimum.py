"""The infimum of the loss over the real neuromanifold M(R), and whether it is attained.

L is a positive definite quadratic (G = I ⊗ AᵀA of full rank), so it is coercive and attains its minimum on
every closed set.  The candidates are the real critical points of L on the *strata* of a variety Y: the
smooth part of Y, then of each component of its singular locus, and so on down to points (Macaulay2
``singularPrimes``; a stratum of dimension 0 is its own critical set).  The smooth parts partition Y, and a
point minimizing L on Y minimizes it on the stratum through it, a smooth manifold near that point, so it is
a critical point there: **min L over Y(R) = the least loss among the real candidates** (proved, given the
exact critical sets of :mod:`~neurom2.training.critical`).

Three situations are settled:

* **M not full-dimensional** (Y = X, the neurovariety, M(R) ⊆ X(R)).  min over X(R) is a proved lower bound
  of the infimum over M(R).  If a candidate attaining it is reached by real weights
  (:mod:`~neurom2.training.reach`), the infimum is that value and it is attained (proved).  Otherwise the
  infimum lies between that lower bound and the least loss of a reached candidate (proved upper bound); the
  boundary of M(R) inside X(R) is not computed (except for binary forms, below), so the value is not decided.
* **M fills V and the unconstrained minimizer u is not reached** (σ = x³ on (2,2,1)).  M(R) has a boundary
  in V, found by :func:`neurom2.real.boundary.algebraic_boundary`: a hypersurface g = 0 with a reached side
  s·g ≥ 0, witnessed by exact membership on both sides and random real networks all on that side — *the
  containment M(R) ⊆ {s·g ≥ 0} is witnessed, not proved*.  Granting it, u lies on the other side
  (s·g(u) < 0, checked exactly), the minimum of L over the closed set {s·g ≥ 0} is on its topological
  boundary ⊆ {g = 0} (elsewhere ∇L = 0 would force the point to be u), hence
  inf_{M(R)} L ≥ min over {g = 0}(R) = the least candidate on the strata of {g = 0}.  The infimum is attained
  iff a candidate with that least loss is reached; if it is not, it is only approached, and the evidence is
  a sequence of rational points p_k → p* on the reached side, each reached by exact real weights
  (:func:`~neurom2.real.membership.decide_membership`), with L(p_k) → L(p*) and ‖θ_k‖ growing: every
  L(p_k) is a proved upper bound.
* **(2,2,1), σ = x^d, d ≥ 4, no biases** (binary forms, :mod:`~neurom2.training.sylvester`).  By Sylvester's
  theorem over R, closure(M(R)) = W ∪ B(R), W ⊆ M(R) the real forms of X with an apolar quadric with two
  distinct real roots, open in X(R), B = {ℓ^{d−1}·m} the tangential variety, B(R) ∩ M(R) = R_1(R) = {c·ℓ^d}.
  L attains its minimum over closure(M(R)) — the infimum — at a point p*.  If p* ∈ W, it is a local minimum of
  L on X(R), hence a critical point on the stratum of X through it (a smooth manifold near p*), and in M(R): a
  *reached* candidate.  Otherwise p* ∈ B(R).  So inf = min(least reached candidate, min over B(R)) unless a
  candidate of undecided reachability is below (balls compared).  If the reached candidate is the smaller, the
  infimum is attained there; if min over B(R) is, every minimizer is in B(R), and the infimum is attained iff
  min over R_1(R) equals it — when R_1(R) stays above, it is only approached, by the networks
  ((ℓ + ε·m)^d − ℓ^d)/(d·ε) with exact weights.  Both minima are exact in one variable
  (:func:`~neurom2.training.sylvester.least_over_family`).  Strata inside R_1 (their ideals contain the 2 × 2
  minors of the catalecticant, checked by Macaulay2) are not computed: their points lie in B(R).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import flint
import sympy

from neurom2.deadline import Deadline
from neurom2.errors import Macaulay2Timeout
from neurom2.exact.terms import Terms
from neurom2.m2 import package
from neurom2.m2.session import Macaulay2Session
from neurom2.model.architecture import Architecture
from neurom2.model.space import AmbientSpace
from neurom2.progress import stage
from neurom2.training import sylvester
from neurom2.training.critical import Metric, PointFacts, critical_set, interval_text
from neurom2.training.reach import ChartGraphs, Reach, StratumReach, reach_rational, weight_norm
from neurom2.variety import determinantal

STRATUM_SECONDS = 300.0
"""Time allowed to the critical points of one stratum (Macaulay2 over QQ); beyond it the stratum is unknown."""
APPROACH_STEPS = (Fraction(1, 10**2), Fraction(1, 10**4), Fraction(1, 10**6), Fraction(1, 10**8))
"""Relative distances t of the points p* + t·v on the reached side (v toward it, scaled to |p*|)."""


@dataclass(frozen=True)
class Stratum:
    """A prime ideal of the stratification of a variety Y: Y itself, a component of Sing Y, ...; ``label``
    says which (``"X"``, ``"Sing X [1]"``, ``"boundary 1"``, ...)."""

    label: str
    generators: tuple[Terms, ...]
    depth: int


def stratification(session: Macaulay2Session, generators: Sequence[Terms], nvars: int, label: str,
                   deadline: Deadline) -> list[Stratum]:
    """Y = V(generators) and, recursively, the minimal primes of the singular loci (each ideal once)."""
    result, queue, seen = [], [Stratum(label, tuple(generators), 0)], set()
    while queue:
        stratum = queue.pop(0)
        key = tuple(sorted(tuple(sorted(g.items())) for g in stratum.generators))
        if key in seen:
            continue
        seen.add(key)
        result.append(stratum)
        primes = package.singular_primes(session, stratum.generators, nvars, timeout=deadline.remaining())
        name = "Sing " + stratum.label
        queue += [Stratum(name if len(primes) == 1 else f"{name} [{k}]", tuple(p), stratum.depth + 1)
                  for k, p in enumerate(primes, start=1)]
    return result


def determinantal_stratification(arch: Architecture, generators: Sequence[Terms], label: str) -> list[Stratum]:
    """The same strata for a linear network without computation: X = {rank ≤ r} (``generators``, its ideal) and
    {rank ≤ k} for k = r − 1, …, 0, each the prime ideal of the (k+1)-minors (Eagon–Hochster), since
    Sing{rank ≤ k} = {rank ≤ k − 1} for 0 < k < min(m, n) (classical: Bruns–Vetter, *Determinantal Rings*,
    Theorem 2.6) and {rank ≤ 0} is a linear space (smooth); with biases, times the free constants."""
    space = AmbientSpace.of(arch)
    lower = range(determinantal.rank_bound(arch) - 1, -1, -1)
    return [Stratum(label, tuple(generators), 0)] + [
        Stratum("Sing " * depth + label, tuple(determinantal.minors(arch, space, k)), depth)
        for depth, k in enumerate(lower, start=1)]


@dataclass(frozen=True)
class Candidate:
    """A real critical point of L on a stratum, with whether real weights reach it."""

    stratum: str
    facts: PointFacts
    reach: Reach

    def to_json(self) -> dict[str, Any]:
        """The candidate as JSON: stratum, point facts and reachability."""
        return {"stratum": self.stratum, **self.facts.to_json(), **self.reach.to_json()}


@dataclass(frozen=True, kw_only=True)
class StratumResult:
    """The critical points found on one stratum: their count, the real ones, and whether the count is proved."""
    stratum: Stratum
    count: int | None
    real: int | None
    candidates: tuple[Candidate, ...]
    note: str = ""
    exact: bool = True
    """Whether the critical set is proved complete (a complete intersection; else complete with high probability)."""

    def to_json(self) -> dict[str, Any]:
        """The stratum's result as JSON."""
        return {"label": self.stratum.label, "equations": len(self.stratum.generators), "critical_points": self.count,
                "real": self.real, "complete": "proved" if self.exact else "with high probability", "note": self.note}


def stratum_candidates(arch: Architecture, session: Macaulay2Session, stratum: Stratum, metric: Metric,
                       deadline: Deadline, seed: int, graphs: ChartGraphs | None = None) -> StratumResult:
    """The real critical points of L on the smooth part of one stratum, with their reachability (``graphs``: the
    charts' graphs already computed for another stratum, :data:`~neurom2.training.reach.ChartGraphs`)."""
    stage("infimum", f"critical points on {stratum.label}")
    try:
        found = critical_set(session, stratum.generators, metric, seed=seed, timeout=deadline.remaining(STRATUM_SECONDS))
    except Macaulay2Timeout:
        if deadline.expired():
            raise
        return StratumResult(stratum=stratum, count=None, real=None, candidates=(),
                             note=f"not computed within {STRATUM_SECONDS:g} s")
    if found.dim != 0 or found.count is None or found.saturated:
        return StratumResult(stratum=stratum, count=None, real=None, candidates=(),
                             note=f"the Lagrange ideal has dimension {found.dim}")
    stage("infimum", f"reachability on {stratum.label}")
    reaches = StratumReach(arch, session, deadline, seed, graphs).decide([p.point for p in found.points], stratum.generators,
                                                                   found.combinations, metric)
    candidates = tuple(Candidate(stratum.label, p, r) for p, r in zip(found.points, reaches))
    return StratumResult(stratum=stratum, count=found.count, real=found.real_count, candidates=candidates, exact=found.proved)


@dataclass(frozen=True, kw_only=True)
class Infimum:
    """inf L over M(R): its value, whether attained, where (see the module docstring for what is proved)."""

    value: float | None
    interval: str | None
    attained: bool | None
    argmin: tuple[float, ...] | None
    argmin_coefficients: tuple[str, ...] | None
    argmin_stratum: str | None
    lower_bound: float | None
    upper_bound: float | None
    proved: str
    method: str
    weights: tuple[str, ...] | None = None
    approach: tuple[dict[str, Any], ...] = ()
    strata: tuple[StratumResult, ...] = ()
    boundary: tuple[dict[str, Any], ...] = ()
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def candidates(self) -> list[Candidate]:
        """The candidates of every stratum."""
        return [c for s in self.strata for c in s.candidates]

    def to_json(self) -> dict[str, Any]:
        """The infimum as JSON."""
        return {
            "value": self.value, "interval": self.interval, "attained": self.attained,
            "argmin": list(self.argmin) if self.argmin is not None else None,
            "argmin_coefficients": list(self.argmin_coefficients) if self.argmin_coefficients is not None else None,
            "argmin_stratum": self.argmin_stratum, "weights": list(self.weights) if self.weights else None,
            "lower_bound": self.lower_bound, "upper_bound": self.upper_bound, "proved": self.proved,
            "method": self.method, "approach": list(self.approach), "boundary": list(self.boundary),
            "strata": [s.to_json() for s in self.strata], "candidates": [c.to_json() for c in self.candidates],
            **self.extra,
        }


def least(candidates: Sequence[Candidate]) -> list[Candidate]:
    """The candidates of least loss (balls compared; overlapping balls at the bottom are all returned)."""
    if not candidates:
        return []
    ordered = sorted(candidates, key=lambda c: c.facts.loss)
    lowest = ordered[0].facts.loss_ball
    return [c for c in ordered if c.facts.loss_ball.overlaps(lowest) or c is ordered[0]]


def over_variety(arch: Architecture, session: Macaulay2Session, strata: Sequence[Stratum], metric: Metric,
                 deadline: Deadline, seed: int, first: StratumResult | None = None,
                 graphs: ChartGraphs | None = None) -> Infimum:
    """inf over M(R) ⊆ X(R) from the candidates on the strata of X (module docstring, first case); ``first``:
    the candidates of X itself, when already computed; ``graphs``: the charts' graphs, when already computed."""
    rest = strata[1:] if first is not None else strata
    d = sylvester.degree(arch)
    powers = [s.label for s in rest if d is not None and inside_powers(session, arch, s, d, deadline)]
    results = ((first,) if first is not None else ()) + tuple(
        stratum_candidates(arch, session, s, metric, deadline, seed, graphs) for s in rest if s.label not in powers)
    method = "least loss among the real critical points on the strata of X (X, its singular locus, ...), M(R) ⊆ X(R)"
    if any(r.count is None for r in results):
        missing = ", ".join(f"{r.stratum.label} ({r.note})" for r in results if r.count is None)
        return Infimum(value=None, interval=None, attained=None, argmin=None, argmin_coefficients=None, argmin_stratum=None,
                       lower_bound=None, upper_bound=_upper(results), proved="not decided: strata not computed: "
                       + missing, method=method, strata=results)
    if d is not None:
        return over_secant(results, metric, d, powers, method)
    everything = [c for r in results for c in r.candidates]
    bottom = least(everything)
    if not bottom:
        return Infimum(value=None, interval=None, attained=None, argmin=None, argmin_coefficients=None, argmin_stratum=None,
                       lower_bound=None, upper_bound=None, proved="X(R) has no real critical point on any stratum",
                       method=method, strata=results)
    best = bottom[0]
    lower = best.facts.loss
    reached = [c for c in bottom if c.reach.member]
    if reached:
        point = reached[0]
        return Infimum(value=point.facts.loss, interval=point.facts.loss_interval, attained=True, argmin=point.facts.approximate,
                       argmin_coefficients=point.facts.coefficients, argmin_stratum=point.stratum, lower_bound=lower,
                       upper_bound=lower,
                       proved="proved: the least loss over X(R) (exact critical points on every stratum) is attained at a point "
                       "reached by real weights, and M(R) ⊆ X(R)" + caveat(results), method=method, weights=point.reach.weights,
                       strata=results)
    upper = _upper(results)
    unknown = any(c.reach.member is None for c in bottom)
    return Infimum(value=None, interval=None, attained=None, argmin=best.facts.approximate,
                   argmin_coefficients=best.facts.coefficients, argmin_stratum=best.stratum,
                   lower_bound=lower, upper_bound=upper,
                   proved="not decided: the least loss over X(R) is a proved lower bound; its argmin is "
                   + ("of undecided reachability" if unknown else "not reached by real weights")
                   + "; the least loss of a reached candidate is a proved upper bound; the boundary of M(R) inside "
                   "X(R) is not computed" + caveat(results), method=method, strata=results)


def inside_powers(session: Macaulay2Session, arch: Architecture, stratum: Stratum, d: int, deadline: Deadline) -> bool:
    """Whether a stratum lies in R_1 = {c·ℓ^d} (:mod:`~neurom2.training.sylvester`): its ideal contains the 2 × 2
    minors of the catalecticant (Macaulay2, exact)."""
    minors = sylvester.catalecticant_minors(d)
    return package.same_ideal(session, arch, stratum.generators, [*stratum.generators, *minors], timeout=deadline.remaining())


def over_secant(results: Sequence[StratumResult], metric: Metric, d: int, powers: Sequence[str], method: str) -> Infimum:
    """inf over M(R) for (2,2,1), σ = x^d, d ≥ 4 (module docstring, third case; :mod:`~neurom2.training.sylvester`):
    min(least reached candidate, least loss over B(R)) when no candidate of undecided reachability is below it;
    ``results``: the strata outside R_1, ``powers``: the labels of those inside (not needed: R_1 ⊆ B)."""
    stage("infimum", "least loss on the tangential variety")
    tangential = sylvester.tangential_minimum(metric, d)
    undecided = [c.facts.loss_ball for r in results for c in r.candidates if c.reach.member is None]
    reached = least([c for r in results for c in r.candidates if c.reach.member])
    extra: dict[str, Any] = {"tangential": tangential.to_json(), "strata_in_rational_normal_curve": list(powers)}
    method = (f"{method}; by Sylvester's theorem over R the closure of M(R) is W ∪ B(R), W ⊆ M(R) open in X(R) (real "
              "apolar quadric with distinct roots), B the tangential variety {ℓ^(d−1)·m}: inf = min(least reached "
              "candidate, least loss over B(R))")
    theorem = ("closure(M(R)) = W ∪ B(R) (Sylvester's theorem over R: Reznick 2013, Theorem 2.1; Comon–Ottaviani 2012), "
               "L attains its minimum there (coercive), at a reached critical point on a stratum of X if in W")
    if reached and sylvester.below(reached[0].facts.loss_ball, tangential.lower) and all(
            sylvester.below(reached[0].facts.loss_ball, ball.lower()) for ball in undecided):
        point = reached[0]
        return Infimum(value=point.facts.loss, interval=point.facts.loss_interval, attained=True, argmin=point.facts.approximate,
                       argmin_coefficients=point.facts.coefficients, argmin_stratum=point.stratum, lower_bound=point.facts.loss,
                       upper_bound=point.facts.loss,
                       proved=f"proved: {theorem}; the least reached candidate, L = {point.facts.loss_interval}, is not above "
                              f"the least loss over B(R), {interval_text(tangential.ball)} (exact critical points of one "
                              "variable), so it is the infimum, attained" + caveat(results),
                       method=method, weights=point.reach.weights, strata=tuple(results), extra=extra)
    top = tangential.ball.upper()
    if (not reached or top < reached[0].facts.loss_ball.lower()) and all(top < ball.lower() for ball in undecided):
        return over_tangential(tangential, d, metric, theorem, caveat(results), method, tuple(results), extra)
    lows = [tangential.lower] + [ball.lower() for ball in undecided]
    return Infimum(value=None, interval=None, attained=None, argmin=None, argmin_coefficients=None, argmin_stratum=None,
                   lower_bound=float(min(lows, key=float)), upper_bound=_upper(results),
                   proved="not decided: inf = min(least reached candidate, least loss over B(R)) (Sylvester's theorem over R), "
                   "unless a candidate of undecided reachability is below; the two (or the undecided candidates) are not "
                   "separated by their balls" + caveat(results), method=method, strata=tuple(results), extra=extra)


def over_tangential(tangential: sylvester.Least, d: int, metric: Metric, theorem: str, caveats: str, method: str,
                    results: tuple[StratumResult, ...], extra: dict[str, Any]) -> Infimum:
    """The infimum when B(R) comes below every reached candidate: min over B(R), every minimizer in B(R), where
    M(R) meets only R_1(R); attained iff the least loss over R_1(R) equals it."""
    powers = sylvester.power_minimum(metric, d)
    extra = {**extra, "powers": powers.to_json()}
    value = tangential.value
    if tangential.ball.upper() < powers.lower:
        return Infimum(value=value, interval=interval_text(tangential.ball), attained=False, argmin=tangential.argmin,
                       argmin_coefficients=None, argmin_stratum="tangential variety B",
                       lower_bound=value, upper_bound=value,
                       proved=f"proved: {theorem}; the least loss over B(R), {interval_text(tangential.ball)}, is below every "
                       "reached candidate (and every candidate of undecided reachability), so it is the infimum and every "
                       f"minimizer lies in B(R); B(R) ∩ M(R) = {{c·ℓ^d}}, whose least loss {interval_text(powers.ball)} is "
                       "larger: not attained, only approached as the weights go to infinity" + caveats, method=method,
                       approach=tuple(sylvester.approach(tangential, d, metric)), strata=results, extra=extra)
    return Infimum(value=value, interval=interval_text(tangential.ball), attained=None, argmin=tangential.argmin,
                   argmin_coefficients=None, argmin_stratum="tangential variety B", lower_bound=value, upper_bound=value,
                   proved=f"proved: {theorem}; the least loss over B(R), {interval_text(tangential.ball)}, is below every "
                          "reached candidate, so it is the infimum; whether it is attained is undecided: the least loss over "
                   f"B(R) ∩ M(R) = {{c·ℓ^d}}, {interval_text(powers.ball)}, is not separated from it" + caveats, method=method,
                   approach=tuple(sylvester.approach(tangential, d, metric)), strata=results, extra=extra)


CAVEAT = ("; the strata {} are not complete intersections: their critical points, found with random combinations of "
          "their equations, are complete with high probability, not proved")


def caveat(results: Sequence[StratumResult]) -> str:
    """The caveat for strata whose critical sets are complete only with high probability ('' if none)."""
    labels = [r.stratum.label for r in results if not r.exact]
    return CAVEAT.format(", ".join(labels)) if labels else ""


def _upper(results: Sequence[StratumResult]) -> float | None:
    reached = [c.facts.loss for r in results for c in r.candidates if c.reach.member]
    return min(reached) if reached else None


def over_boundary(arch: Architecture, session: Macaulay2Session, metric: Metric, deadline: Deadline,
                  seed: int) -> Infimum:
    """inf over M(R) for a network that fills V while u is not reached (module docstring, second case)."""
    from neurom2.exact.terms import terms_from_polynomial
    from neurom2.real.boundary import algebraic_boundary, sign
    from neurom2.variety.implicitization import coordinate_symbols

    space = AmbientSpace.of(arch)
    symbols = coordinate_symbols(space)
    method = ("least loss among the real critical points on the strata of the algebraic boundary g = 0 of M(R) "
              "(fiber discriminant), granting M(R) ⊆ {s·g ≥ 0}")
    stage("infimum", "algebraic boundary of M(R)")
    components = algebraic_boundary(arch, session, seed=seed)
    if not components:
        return Infimum(value=None, interval=None, attained=None, argmin=None, argmin_coefficients=None, argmin_stratum=None,
                       lower_bound=float(metric.constant), upper_bound=None,
                       proved="not decided: u is not reached and no boundary of M(R) was found", method=method)
    boundary = tuple({"polynomial": str(c.polynomial), "reached_side": c.reached_sign,
                      "reached_witness": [str(v) for v in c.reached_witness],
                      "unreached_witness": [str(v) for v in c.unreached_witness], "random_networks_on_side": c.samples}
                     for c in components)
    if len(components) > 1 or sign(components[0].polynomial, space, metric.center) != -components[0].reached_sign:
        return Infimum(value=None, interval=None, attained=None, argmin=None, argmin_coefficients=None, argmin_stratum=None,
                       lower_bound=float(metric.constant), upper_bound=None,
                       proved="not decided: u is not on the unreached side of a single boundary hypersurface", method=method,
                       boundary=boundary)
    component = components[0]
    generators = [terms_from_polynomial(sympy.Poly(component.polynomial, *symbols))]
    strata = stratification(session, generators, space.dim, "boundary", deadline)
    graphs: ChartGraphs = {}
    results = tuple(stratum_candidates(arch, session, s, metric, deadline, seed, graphs) for s in strata)
    if any(r.count is None for r in results):
        missing = ", ".join(f"{r.stratum.label} ({r.note})" for r in results if r.count is None)
        return Infimum(value=None, interval=None, attained=None, argmin=None, argmin_coefficients=None, argmin_stratum=None,
                       lower_bound=float(metric.constant), upper_bound=_upper(results),
                       proved="not decided: boundary strata not computed: " + missing, method=method, strata=results,
                       boundary=boundary)
    bottom = least([c for r in results for c in r.candidates])
    best = bottom[0]
    reached = [c for c in bottom if c.reach.member]
    granted = ("granting M(R) ⊆ {s·g ≥ 0} (witnessed by exact membership at two witnesses and "
               f"{component.samples} random real networks, not proved)")
    if reached:
        point = reached[0]
        return Infimum(value=point.facts.loss, interval=point.facts.loss_interval, attained=True, argmin=point.facts.approximate,
                       argmin_coefficients=point.facts.coefficients,
                       argmin_stratum=point.stratum, lower_bound=point.facts.loss, upper_bound=point.facts.loss,
                       proved=f"attained at a point reached by exact real weights (proved upper bound); it is the infimum "
                              f"{granted}"
                       + caveat(results), method=method, weights=point.reach.weights, strata=results, boundary=boundary)
    if any(c.reach.member is None for c in bottom):
        return Infimum(value=best.facts.loss, interval=best.facts.loss_interval, attained=None, argmin=best.facts.approximate,
                       argmin_coefficients=best.facts.coefficients,
                       argmin_stratum=best.stratum, lower_bound=best.facts.loss, upper_bound=_upper(results),
                       proved=f"value {granted}; whether it is attained is undecided (reachability of the argmin)", method=method,
                       strata=results, boundary=boundary)
    approach = approach_sequence(arch, session, component.polynomial, component.reached_sign, best, metric, deadline, seed)
    evidence = ("; approached: " + ", ".join(f"L = {a['loss']:.10g} at ‖θ‖ = {a['weight_norm']:.4g}" for a in approach
                                            if a.get("reached"))) if approach else ""
    return Infimum(value=best.facts.loss, interval=best.facts.loss_interval, attained=False, argmin=best.facts.approximate,
                   argmin_coefficients=best.facts.coefficients,
                   argmin_stratum=best.stratum, lower_bound=best.facts.loss, upper_bound=_upper(results),
                   proved=f"the value is the infimum {granted}; not attained: no candidate of least loss is reached by real "
                   f"weights (exact, every covering chart), so it is only approached, as the weights go to infinity{evidence}"
                   + caveat(results),
                   method=method, approach=tuple(approach), strata=results, boundary=boundary)


def approach_sequence(arch: Architecture, session: Macaulay2Session, polynomial: sympy.Expr, reached_sign: int,
                      argmin: Candidate, metric: Metric, deadline: Deadline, seed: int) -> list[dict[str, Any]]:
    """Rational points p_k = p* + t_k·v on the reached side (v = s·∇g(p*) scaled to |p*|), each decided by exact
    membership, with its loss and the norm of its weights (module docstring)."""
    from neurom2.real.boundary import sign
    from neurom2.variety.implicitization import coordinate_symbols

    space = AmbientSpace.of(arch)
    symbols = coordinate_symbols(space)
    values = argmin.facts.point.values(argmin.facts.point.coordinates, 256)
    center = [_fraction_of(v) for v in values]
    gradient = [sympy.diff(polynomial, x).subs(dict(zip(symbols, center))) for x in symbols]
    direction = [Fraction(float(g)) * reached_sign for g in gradient]
    size = max(abs(c) for c in center) or Fraction(1)
    length = max(abs(d) for d in direction)
    if length == 0:
        return []
    direction = [d * size / length for d in direction]
    sequence = []
    for t in APPROACH_STEPS:
        point = tuple(Fraction(c).limit_denominator(10**15) + t * d for c, d in zip(center, direction))
        if sign(polynomial, space, point) != reached_sign:
            continue
        stage("infimum", f"approach: membership at distance {float(t):g}")
        reach = reach_rational(arch, point, session, deadline, seed)
        entry: dict[str, Any] = {"t": str(t), "point": [float(v) for v in point], "reached": reach.member,
                                 "loss": float(metric.loss(point))}
        if reach.weights:
            entry["weight_norm"] = weight_norm(reach.weights)
            entry["weights"] = list(reach.weights)
        sequence.append(entry)
    return sequence


def _fraction_of(value: flint.arb) -> Fraction:
    from neurom2.exact.roots import arb_fraction

    return arb_fraction(value.mid())


__all__ = ["Candidate", "Infimum", "Stratum", "StratumResult", "interval_text", "over_boundary", "over_variety",
           "stratification", "stratum_candidates"]
