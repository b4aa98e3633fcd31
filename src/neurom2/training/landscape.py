"""The loss landscape of a network on a data set: ``neurom2 landscape``.

For a network (its neurovariety X ⊆ V, computed by :func:`neurom2.variety.implicitization.implicitize`) and
data S (:class:`~neurom2.training.dataset.Dataset`), the squared loss is L(c) = (c − u)ᵀ G (c − u) + const on
V (G = I ⊗ AᵀA, u = A⁺B; :class:`~neurom2.training.critical.Metric`).  This module answers, by computation:

1. **Critical points in function space** (:mod:`~neurom2.training.critical`): the critical points of L on the
   smooth part of X, their number over C — the *learning degree for this data* — and each real one exactly
   (coordinates as certified intervals, loss, type from the bordered Hessian), checked exactly in its number
   field; the count is checked modulo two primes, and numerically (monodromy, when it finishes in time) when it is
   not proved exactly, or on request (``check``).
   When X = V (the network fills V) the only critical point is u if G is definite; if G is singular
   (|S| < N: a pseudometric) the minimizers form the affine space u + ker G, described by a basis.
   A linear network that does not fill V (with a definite G) is answered by the classical
   theorems instead, without Macaulay2 (:mod:`~neurom2.training.linear`: whitening, Eckart–Young).
2. **Reachability** of each real critical point by real weights (:mod:`~neurom2.training.reach`: fibers by
   the extension theorem or numerical weights certified with interval Newton, else exact in covering charts).
3. **The infimum over M(R)** and whether it is attained (:mod:`~neurom2.training.infimum`; for (2,2,1),
   σ = x^d, by Sylvester's theorem, :mod:`~neurom2.training.sylvester`), with what is proved and what is
   granted.  When G is singular and the critical points are not isolated, L ≥ const on V with equality on
   u + ker G: certified real weights reaching u + ker G prove the infimum const attained.
4. **Generic data** (``generic=True``): the learning degree for random data modulo two large primes
   (probabilistic), compared with the ED degree for a generic symmetric metric and for the unit metric on
   V's coordinates, and, for linear networks, with Eckart–Young's C(min(d0, dL), r).
5. **Training** (``train=K``): K runs of L-BFGS from random weights (:mod:`~neurom2.training.descent`),
   each classified against the critical points and the infimum.
"""

from __future__ import annotations

import random
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from math import comb
from typing import Any

import flint

from neurom2.cost import Estimate, guard
from neurom2.deadline import Deadline
from neurom2.errors import InvalidOption, Macaulay2Timeout, Neurom2Error, TimeLimitExceeded, TooExpensive
from neurom2.exact.rationals import fmpq as as_fmpq
from neurom2.exact.terms import Terms, terms_from_polynomial
from neurom2.m2 import package
from neurom2.m2.session import Macaulay2Session, default_session
from neurom2.model.architecture import Architecture
from neurom2.model.space import AmbientSpace
from neurom2.progress import stage
from neurom2.training import linear, secant, slice_count, subspace, waring
from neurom2.training.critical import (
    BITS,
    PRIMES,
    CriticalSet,
    Metric,
    ModularCount,
    PointFacts,
    RealPoint,
    critical_set,
    interval_text,
    modular_counts,
    p_integral,
)
from neurom2.training.dataset import Dataset
from neurom2.training.infimum import (
    Candidate,
    Infimum,
    StratumResult,
    determinantal_stratification,
    over_boundary,
    over_variety,
    stratification,
)
from neurom2.training.reach import ChartGraphs, Reach, StratumReach, reach_minimizers, reach_rational, structural
from neurom2.typeset import Typeset
from neurom2.variety import determinantal
from neurom2.variety.implicitization import implicitize
from neurom2.variety.neurovariety import Neurovariety

NUMERIC_SECONDS = 60.0
"""Time allowed to the numerical (monodromy) count."""
NUMERIC_MAX_SOLUTIONS = 100
"""The numerical count is tried only up to this many critical points."""
EXTRA_PRIMES = (65497, 65479, 65449, 65447)
"""Further primes, used when the data are not integral at one of :data:`~neurom2.training.critical.PRIMES`."""
GENERIC_HEIGHT = 2**20
"""Random integer data for ``generic``: entries in [−GENERIC_HEIGHT, GENERIC_HEIGHT]."""


@dataclass(frozen=True, kw_only=True)
class LandscapePoint:
    """A real critical point of L on the smooth part of X (``stratum`` "X"), or on V when M fills V."""

    coefficients: tuple[str, ...]
    """Exact rationals, or certified intervals ``[lo, hi]``, in V's coordinate order."""
    approximate: tuple[float, ...]
    loss: float
    loss_interval: str
    real: bool
    type: str
    index: int | None
    reached: bool | None
    weights: tuple[str, ...] | None
    reach_method: str
    exact: dict[str, Any]
    verified: str

    @classmethod
    def of(cls, facts: PointFacts, reach: Reach) -> LandscapePoint:
        """The landscape point of a critical point's facts and its reachability."""
        return cls(coefficients=facts.coefficients, approximate=facts.approximate, loss=facts.loss,
                   loss_interval=facts.loss_interval, real=True, type=facts.type, index=facts.index,
                   reached=reach.member, weights=reach.weights,
                   reach_method=reach.method + (f" ({reach.detail})" if reach.detail else ""),
                   exact=facts.point.definition(), verified=facts.verified)

    def to_json(self) -> dict[str, Any]:
        """The point as JSON."""
        return {"coefficients": list(self.coefficients), "approximate": list(self.approximate), "loss": self.loss,
                "loss_interval": self.loss_interval, "real": self.real, "type": self.type, "index": self.index,
                "reached": self.reached, "weights": list(self.weights) if self.weights else None,
                "reach_method": self.reach_method, "exact": self.exact, "verified": self.verified}


@dataclass(frozen=True, kw_only=True)
class Counts:
    """The learning degree and its checks."""

    learning_degree: int | None
    proved: bool
    degree: int | None
    """Degree of the Lagrange ideal over QQ (with multiplicity)."""
    real: int | None
    modular: tuple[ModularCount, ...] = ()
    numerical: dict[str, Any] | None = None
    method: str = ""

    def to_json(self) -> dict[str, Any]:
        """The counts as JSON."""
        return {"learning_degree": self.learning_degree, "proved": self.proved, "degree_over_QQ": self.degree,
                "real": self.real, "modular": [m.to_json() for m in self.modular], "numerical": self.numerical,
                "method": self.method}


@dataclass(frozen=True, kw_only=True)
class Landscape(Typeset):
    """Everything :func:`landscape` found (see the module docstring); ``to_json()`` for machines; in a notebook
    a table with the critical points typeset (:mod:`neurom2.typeset`), ``to_latex()`` for a paper."""

    architecture: Architecture
    dataset: Dataset
    space: AmbientSpace
    dim: int
    fills: bool
    metric_rank: int
    counts: Counts
    critical_points: tuple[LandscapePoint, ...]
    infimum: Infimum
    minimizers: dict[str, Any] | None
    notes: tuple[str, ...]
    proved: dict[str, str]
    method: str
    seconds: float
    timings: dict[str, float]
    generic: dict[str, Any] | None = None
    runs: tuple[Any, ...] = ()
    training: Any = None
    m2_version: str | None = None
    ideal: dict[str, Any] = field(default_factory=dict)
    seed: int
    """The seed of the computation's random choices; the same seed gives the same answer."""


    @property
    def learning_degree(self) -> int | None:
        """The number of complex critical points on the smooth part of X (None when not finite)."""
        return self.counts.learning_degree

    def to_json(self) -> dict[str, Any]:
        """The landscape as JSON (``neurom2 landscape --json``; docs/schemas/landscape.schema.json)."""
        arch = self.architecture
        result = {
            "widths": list(arch.widths), "activation": str(arch.activation), "bias": arch.bias,
            "n_points": len(self.dataset), "data": self.dataset.to_json(), "ambient": self.space.describe(),
            "ambient_dim": self.space.dim, "dim": self.dim, "fills": self.fills, "ideal": self.ideal,
            "metric_rank": self.metric_rank, "metric_size": self.space.dim,
            "learning_degree": self.counts.learning_degree, "counts": self.counts.to_json(),
            "critical_points": [p.to_json() for p in self.critical_points],
            "minimizers": self.minimizers, "infimum": self.infimum.to_json(), "generic": self.generic,
            "notes": list(self.notes), "method": self.method, "proved": self.proved,
            "m2_version": self.m2_version, "seed": self.seed, "seconds": round(self.seconds, 6),
            "timings": {k: round(v, 6) for k, v in self.timings.items()},
        }
        if self.runs:
            result["runs"] = [c.to_json() for c in self.runs]
            result["training"] = self.training.to_json()
        return result


def resolve_dataset(architecture: Architecture, dataset: Dataset | None, data: str | None, random_data: int | None,
                    seed: int) -> Dataset:
    """The data: a :class:`Dataset`, a CSV file (``data``, optionally ``FILE#sha256=HEX`` from a job), or
    ``random_data`` random points; exactly one of them."""
    given = [x is not None for x in (dataset, data, random_data)]
    if sum(given) != 1:
        raise InvalidOption("landscape needs data: --data FILE.csv or --random-data N (exactly one)", "data")
    if dataset is None and data is not None:
        dataset = read_data(data)
    elif dataset is None:
        dataset = Dataset.random(architecture, int(random_data or 0), seed)
    dataset.check(architecture)
    return dataset


def read_data(reference: str) -> Dataset:
    """A CSV file, ``FILE`` or ``FILE#sha256=HEX``; with a digest, the file must still have that content."""
    from neurom2.errors import InvalidDataset

    path, _, digest = reference.partition("#sha256=")
    dataset = Dataset.read_csv(path)
    if digest and dataset.digest() != digest:
        raise InvalidDataset(f"{path}: the file's content changed since the job was made (sha256 {dataset.digest()[:12]}, "
                             f"expected {digest[:12]})")
    return dataset


def landscape(architecture: Architecture | str | Sequence[int], activation: str | None = None, *,
              dataset: Dataset | None = None, data: str | None = None, bias: bool | None = None,
              random_data: int | None = None, generic: bool = False, train: int = 0, max_steps: int = 5000,
              numerical: bool = True, check: bool = False, seed: int = 0, timeout: Deadline | float | None = None,
              force: bool = False, session: Macaulay2Session | None = None) -> Landscape:
    """The loss landscape of ``architecture`` on the data (module docstring).  ``numerical`` allows the monodromy
    check of the count, which runs when the count is not proved, or also when it is with ``check`` (floating
    point, it adds no proof to an exact count); ``timeout`` bounds the whole computation; ``force`` runs what the
    size guard would refuse; ``seed`` seeds random data, random choices and the training runs.  The network is an
    :class:`Architecture` or widths with an activation (``landscape("2,2,1", "x^3", random_data=20)``;
    :meth:`Architecture.coerce`); the data are ``dataset``, a CSV file ``data`` or ``random_data`` points."""
    architecture = Architecture.coerce(architecture, activation, bias)
    guard(AmbientSpace.of(architecture).listing_estimate(), force)  # the data matrix lists the coordinates of V
    dataset = resolve_dataset(architecture, dataset, data, random_data, seed)
    deadline = Deadline.coerce(timeout)
    with deadline.enforced():
        return _Computation(architecture, dataset, session, deadline, seed, force,
                            numerical=numerical, check=check).run(generic, train, max_steps)


def generic_learning_degree(architecture: Architecture, *, variety: Neurovariety | None = None,
                             session: Macaulay2Session | None = None, timeout: Deadline | float | None = None,
                             seed: int = 0, force: bool = False) -> dict[str, Any]:
    """What ``landscape(..., generic=True)`` reports under ``generic`` (the learning degree for random data modulo two
    primes, with the ED degrees of the other metrics), without data of one's own: those counts do not depend on them.
    ``variety`` is the neurovariety when already computed; its ideal must be complete (InvalidOption otherwise, as
    in :func:`landscape`), and, when the count is the Lagrange count or the Waring one (:func:`generic_count`), the
    Lagrange ideal passes the size guard of :func:`critical_estimate` (the subspace, secant and slice counts do not
    build it: their cost is bounded by ``timeout``)."""
    deadline = Deadline.coerce(timeout)
    computation = _Computation(architecture, Dataset.random(architecture, 1, seed), session, deadline, seed, force)
    if variety is not None:
        computation.implicitized = (variety, [terms_from_polynomial(eq) for eq in variety.equations])
    found, _ = computation.neurovariety()
    if not found.fills:
        if not found.complete:
            raise InvalidOption(f"the ideal of this neuromanifold is not proved complete ({found.proof}); the learning "
                                "degree needs it", "timeout")
        if generic_count(architecture, found.dim) in SIZE_GUARDED_COUNTS:
            guard(critical_estimate(found.equation_degrees, found.dim, computation.space.dim), force)
    with deadline.enforced():
        return computation.generic()


COUNT_METHODS = {"subspace": subspace.METHOD, "secant": secant.METHOD, "waring": waring.METHOD,
                 "slice": slice_count.METHOD,
                 "lagrange": "Lagrange ideals modulo the primes " + ", ".join(map(str, PRIMES)) + " (F4)"}
"""How each method of :func:`generic_count` counts, as the landscape reports it."""
SIZE_GUARDED_COUNTS = frozenset({"lagrange", "waring"})
"""The methods of :func:`generic_count` whose cost the Lagrange ideal's size guard (:func:`critical_estimate`)
stands for; the others have none of that size and are bounded by their time limit."""


def generic_count(arch: Architecture, dim: int) -> str:
    """How the learning degree for generic data is counted: ``"subspace"`` (:mod:`~neurom2.training.subspace`,
    modular, when X is every ternary form in two linear forms), else ``"secant"`` (:mod:`~neurom2.training.secant`,
    numerical with a trace test, when X is σ₂ of the Veronese surface), else ``"waring"`` (:mod:`~neurom2.training.waring`,
    modular, for (n,2,1) x^d with a large Lagrange system), else ``"slice"`` (:mod:`~neurom2.training.slice_count`,
    numerical, above its size threshold), else ``"lagrange"`` (the Lagrange ideals modulo primes)."""
    if subspace.applies(arch, dim):
        return "subspace"
    if secant.applies(arch, dim):
        return "secant"
    if waring.preferred(arch, dim):
        return "waring"
    return "slice" if slice_count.preferred(arch, dim) else "lagrange"


def learning_degree_command(arch: Architecture) -> str:
    """The command that counts the learning degree of ``arch`` for generic data (:func:`generic_learning_degree`, in
    the geometry report's dictionary)."""
    return (f"neurom2 geometry --widths {','.join(map(str, arch.widths))} --activation '{arch.activation}'"
            f"{' --bias' if arch.bias else ''} --only dictionary")


def generic_counts(session: Macaulay2Session, arch: Architecture, dim: int, generators: Sequence[Terms],
                   gram: Sequence[Sequence[Fraction]], center: Sequence[Fraction], seed: int = 0,
                   timeout: float | None = None) -> tuple[Any, ...]:
    """The counts of the critical points of (c − u)ᵀ gram (c − u) on X (dimension ``dim``, prime ideal generated by
    ``generators``, used by the Lagrange count only) by the method :func:`generic_count` chooses: one per prime, or
    one numerical count (slice or secant).  Each has ``to_json()`` with ``dim`` (0 when the count is given) and
    ``degree`` (the count)."""
    method = generic_count(arch, dim)
    if method == "subspace":
        return subspace.subspace_counts(session, arch, dim, gram, center, PRIMES, timeout=timeout)
    if method == "secant":
        return (secant.secant_count(arch, dim, gram, center, seed, timeout=timeout),)
    if method == "waring":
        return waring.waring_counts(session, arch, gram, center, PRIMES, timeout=timeout)
    if method == "slice":
        return (slice_count.slice_count(session, arch, dim, gram, center, seed, timeout=timeout),)
    return modular_counts(session, generators, gram, center, PRIMES, timeout=timeout)


class _Computation:
    def __init__(self, arch: Architecture, dataset: Dataset, session: Macaulay2Session | None, deadline: Deadline,
                 seed: int, force: bool, *, numerical: bool = True, check: bool = False) -> None:
        self.arch, self.dataset, self.given, self.deadline = arch, dataset, session, deadline
        self.started: Macaulay2Session | None = None
        self.seed, self.force, self.run_numerical, self.check_proved = seed, force, numerical, check
        self.space = AmbientSpace.of(arch)
        self.timings: dict[str, float] = {}
        self.notes: list[str] = []
        self.proved: dict[str, str] = {}
        self.implicitized: tuple[Any, list[Terms]] | None = None
        self.graphs: ChartGraphs = {}

    @property
    def session(self) -> Macaulay2Session:
        """Macaulay2 (the given session or the shared one), started and loaded only when a step needs it: a filling
        network's critical point, a linear network's ideal and its reachability need none."""
        if self.started is None:
            self.started = package.ready(self.given or default_session())
        return self.started

    def timed(self, name: str, started: float) -> None:
        self.timings[name] = self.timings.get(name, 0.0) + time.perf_counter() - started

    def run(self, generic: bool, train: int, max_steps: int) -> Landscape:
        begin = time.perf_counter()
        started = time.perf_counter()
        metric = Metric.of(self.space, self.dataset)
        self.timed("data", started)
        minimizers, variety = None, None
        if linear.applies(self.arch, metric):
            guard(linear.estimate(self.arch), self.force)
            dim, fills, ideal = determinantal.dimension(self.arch), False, _determinantal_ideal(self.arch)
            counts, points, infimum = self.eckart_young(metric)
        else:
            variety, generators = self.neurovariety()
            dim, fills = variety.dim, variety.fills
            ideal = {"equations": len(generators), "degrees": list(variety.equation_degrees),
                     "complete": variety.complete, "proof": variety.proof}
            if variety.fills:
                counts, points, minimizers, infimum = self.filling(metric)
            elif not variety.complete:
                raise InvalidOption(f"the ideal of this neuromanifold is not proved complete ({variety.proof}); the "
                                    "critical points need it: try a larger --timeout for the ideal", "timeout")
            else:
                try:
                    guard(critical_estimate(variety.equation_degrees, variety.dim, self.space.dim), self.force)
                except TooExpensive as refused:
                    if generic_count(self.arch, variety.dim) in SIZE_GUARDED_COUNTS:
                        raise
                    raise TooExpensive(f"{refused}. The learning degree for generic data needs no such ideal: "
                                       f"{learning_degree_command(self.arch)} counts it") from None
                counts, points, infimum = self.variety(generators, variety.dim, metric)
        generic_counts = self.generic() if generic else None
        runs, summary = self.training(train, max_steps, dim, points, infimum) if train else ((), None)
        version = self.started.version if self.started else (variety.m2_version if variety else None)
        return Landscape(architecture=self.arch, dataset=self.dataset, space=self.space, dim=dim, fills=fills,
                         metric_rank=metric.rank, counts=counts, critical_points=points, infimum=infimum, minimizers=minimizers,
                         notes=tuple(self.notes), proved=self.proved, method=METHOD_LINEAR if variety is None else METHOD,
                         seconds=time.perf_counter() - begin, timings=self.timings, generic=generic_counts, runs=runs,
                         training=summary, m2_version=version, ideal=ideal, seed=self.seed)

    def neurovariety(self) -> tuple[Any, list[Terms]]:
        """The neurovariety (:func:`implicitize`, computed once) and its equations as Terms."""
        if self.implicitized is None:
            stage("landscape", "the neurovariety")
            started = time.perf_counter()
            variety = implicitize(self.arch, session=self.given, timeout=self.deadline, seed=self.seed, force=self.force)
            self.timed("ideal", started)
            self.implicitized = (variety, [terms_from_polynomial(eq) for eq in variety.equations])
        return self.implicitized

    # --- linear networks: Eckart–Young ----------------------------------------------------------------------------

    def eckart_young(self, metric: Metric) -> tuple[Counts, tuple[LandscapePoint, ...], Infimum]:
        """The critical points on X = {rank ≤ r} and the infimum by whitening and Eckart–Young
        (:mod:`neurom2.training.linear`), without Macaulay2."""
        stage("landscape", "Eckart–Young after whitening")
        started = time.perf_counter()
        whitened = linear.WhitenedTarget.of(metric, self.space)
        m, r = whitened.size, min(self.arch.widths)
        reach = structural(self.arch)
        assert reach is not None  # a linear network
        exactness = ("exact rationals (the characteristic polynomial of K splits over QQ)" if whitened.exact else
                     "real algebraic: the eigenvalues are roots of the characteristic polynomial of K over QQ, the "
                     f"coordinates and losses certified balls ({BITS} bits)")
        if whitened.generic:
            top = whitened.points(r)
            points = tuple(_eckart_young_point(p, reach, exactness) for p in top)
            counts = Counts(learning_degree=len(top), proved=True, degree=None, real=len(top), method=METHOD_LINEAR)
            self.proved["learning_degree"] = (f"proved: the C({m}, {r}) = {len(top)} partial SVDs of the whitened target, "
                                              "whose squared singular values are distinct and nonzero (exact: p is "
                                              "squarefree and p(0) ≠ 0), are its critical points on the rank-"
                                              f"{r} matrices (Draisma et al., ED degree, Example 2.3)")
            self.proved["real_points"] = f"proved: all {len(top)} real; {exactness}"
            self.proved["type"] = "proved: the index of a partial SVD is the number of kept directions outranked by a dropped one"
        else:
            points, counts = (), Counts(learning_degree=None, proved=False, degree=None, real=None, method=METHOD_LINEAR)
            self.notes.append("the whitened target has repeated or zero squared singular values (characteristic polynomial "
                              f"of K: {whitened.polynomial}): the count C({m}, {r}) does not apply (repeated values give "
                              f"positive-dimensional families of critical points) and the critical points on the rank-{r} "
                              "matrices are not listed; the infimum below holds for any spectrum")
        infimum = self.eckart_young_infimum(whitened, points, exactness)
        self.timed("critical points", started)
        return counts, points, infimum

    def eckart_young_infimum(self, whitened: linear.WhitenedTarget, points: Sequence[LandscapePoint],
                             exactness: str) -> Infimum:
        """min over M(R) = const + the sum of the m − r least squared singular values, attained (every real matrix
        of rank ≤ r is a network); the per-stratum counts C(m, k) in ``extra``."""
        m, r = whitened.size, min(self.arch.widths)
        value = whitened.least_loss(r)
        proved = ("proved: Eckart–Young–Mirsky after whitening by Q = AᵀA: the minimum over the matrices of rank ≤ "
                  f"{r} keeps the {r} largest singular values of the whitened target; every real matrix of rank ≤ {r} is "
                  f"a network (real rank factorization), so it is attained; {exactness}")
        self.proved["infimum"] = proved
        argmin = points[0] if points else None
        strata = [{"rank": k, "critical_points": comb(m, k) if whitened.generic or k == 0 else None,
                   "least_loss": linear.text(whitened.least_loss(k))} for k in range(r, -1, -1)]
        return Infimum(value=linear.as_float(value), interval=linear.text(value), attained=True,
                       argmin=argmin.approximate if argmin else None,
                       argmin_coefficients=argmin.coefficients if argmin else None, argmin_stratum="X" if argmin else None,
                       lower_bound=linear.as_float(value),
                       upper_bound=linear.as_float(value), proved=proved, method="Eckart–Young–Mirsky after whitening",
                       extra={"rank_strata": strata})

    # --- M fills V ----------------------------------------------------------------------------------------------

    def filling(self, metric: Metric) -> tuple[Counts, tuple[LandscapePoint, ...], dict[str, Any] | None, Infimum]:
        u = metric.center
        if not metric.positive_definite:
            return self.pseudometric(metric)
        stage("landscape", "is u = A⁺B reached by real weights?")
        started = time.perf_counter()
        reach = reach_rational(self.arch, u, self.given, self.deadline, self.seed)
        self.timed("membership", started)
        facts = rational_facts(u, metric, "minimum", 0)
        point = LandscapePoint.of(facts, reach)
        counts = Counts(learning_degree=1, proved=True, degree=1, real=1,
                        method="M fills V: L = (c − u)ᵀG(c − u) + const with G positive definite has the "
                        "single critical point u on V (G(c − u) = 0)")
        self.proved["learning_degree"] = "proved: G = I ⊗ AᵀA has full rank (exact), so ∇L = 0 only at u"
        self.proved["type"] = "proved: the Hessian 2G is positive definite, u is the global minimum over V"
        if reach.member:
            infimum = Infimum(value=point.loss, interval=point.loss_interval, attained=True, argmin=point.approximate,
                              argmin_coefficients=point.coefficients, argmin_stratum="V",
                              lower_bound=point.loss, upper_bound=point.loss,
                              proved="proved: u minimizes L over V and is reached by real weights "
                              f"({reach.method})", method="minimum over V", weights=reach.weights)
        elif reach.member is False:
            started = time.perf_counter()
            try:
                infimum = over_boundary(self.arch, self.session, metric, self.deadline, self.seed)
            except TimeLimitExceeded:
                raise
            except Neurom2Error as error:  # e.g. Macaulay2: no square chart for the fiber discriminant
                infimum = Infimum(value=None, interval=None, attained=None, argmin=None, argmin_coefficients=None,
                                  argmin_stratum=None, lower_bound=float(metric.constant), upper_bound=None,
                                  proved=f"not decided: u is not reached and the boundary of M(R) could not be computed "
                                         f"({error})",
                                  method="boundary of M(R)")
            self.timed("infimum", started)
        else:
            infimum = Infimum(value=None, interval=None, attained=None, argmin=None, argmin_coefficients=None,
                              argmin_stratum=None, lower_bound=float(metric.constant), upper_bound=None,
                              proved="not decided: whether u is reached is undecided", method="minimum over V")
        self.proved["infimum"] = infimum.proved
        return counts, (point,), None, infimum

    def pseudometric(self, metric: Metric) -> tuple[Counts, tuple[LandscapePoint, ...], dict[str, Any], Infimum]:
        """G singular: L is minimal, = const, exactly on u + ker G (an affine space)."""
        kernel = metric.kernel()
        minimizers = {"point": [str(v) for v in metric.center], "dimension": len(kernel),
                      "basis": [[str(v) for v in b] for b in kernel],
                      "statement": "L = const exactly on u + ker G: the minimizers over V form this affine space"}
        rng = random.Random(self.seed)
        tried, attained, weights = [], None, None
        for attempt in range(3):
            shift = [sum((Fraction(rng.randint(-3, 3)) * b[i] for b in kernel), Fraction(0)) if attempt else Fraction(0)
                     for i in range(metric.n)]
            point = tuple(u + s for u, s in zip(metric.center, shift))
            stage("landscape", f"is a point of u + ker G reached? ({attempt + 1}/3)")
            reach = reach_rational(self.arch, point, self.given, self.deadline, self.seed)
            tried.append({"point": [str(v) for v in point], "reached": reach.member})
            if reach.member:
                attained, weights = True, reach.weights
                break
        minimizers["tried"] = tried
        self.notes.append(f"rank G = {metric.rank} < {metric.n}: ‖·‖_G is a pseudometric (|S| = {len(self.dataset)} data "
                          f"points); the critical points of L on V are not isolated: L is minimal on u + ker G, an affine "
                          f"space of dimension {len(kernel)}")
        counts = Counts(learning_degree=None, proved=True, degree=None, real=None,
                        method="G singular: the critical points of L on V form u + ker G")
        proved = ("proved: a point of u + ker G is reached by exact real weights, and L = const there, the minimum "
                  "over V" if attained else "not decided: the points of u + ker G tried are not shown to be reached")
        self.proved["infimum"] = proved
        value = float(metric.constant)
        infimum = Infimum(value=value if attained else None, interval=str(metric.constant) if attained else None,
                          attained=attained,
                          argmin=None, argmin_coefficients=None, argmin_stratum="u + ker G", lower_bound=value,
                          upper_bound=value if attained else None, proved=proved, method="minimum over V", weights=weights)
        return counts, (), minimizers, infimum

    # --- M is a proper subvariety -------------------------------------------------------------------------------

    def variety(self, generators: list[Terms], dim: int,
                metric: Metric) -> tuple[Counts, tuple[LandscapePoint, ...], Infimum]:
        stage("landscape", "critical points on X (Lagrange ideal over QQ)")
        started = time.perf_counter()
        saturate = "auto" if metric.positive_definite else "never"
        found = critical_set(self.session, generators, metric, seed=self.seed, timeout=self.deadline.remaining(),
                             saturate=saturate)
        self.timed("critical points", started)
        started = time.perf_counter()
        modular = self.modular(generators, metric, saturate)
        self.timed("modular counts", started)
        if found.dim != 0:
            self.notes.append(f"the Lagrange ideal has dimension {found.dim}: the critical points of L on the smooth part of "
                              "X are not isolated" + ("" if metric.positive_definite else
                                                     f" (rank G = {metric.rank} < {metric.n}: L is constant along ker G)"))
            counts = Counts(learning_degree=None, proved=False, degree=None, real=None, modular=modular, method=METHOD_LAGRANGE)
            infimum = self.not_isolated_infimum(metric)
            self.proved["infimum"] = infimum.proved
            return counts, (), infimum
        numerical = self.numerical(generators, found, metric)
        stage("landscape", "reachability of the real critical points")
        started = time.perf_counter()
        reaches = StratumReach(self.arch, self.session, self.deadline, self.seed, self.graphs).decide(
            [p.point for p in found.points], generators, found.combinations, metric)
        self.timed("reachability", started)
        points = tuple(LandscapePoint.of(f, r) for f, r in zip(found.points, reaches))
        counts = Counts(learning_degree=found.count, proved=found.proved, degree=found.degree, real=found.real_count,
                        modular=modular, numerical=numerical, method=METHOD_LAGRANGE)
        agree = all(m.dim == 0 and m.degree == found.count for m in modular) and len(modular) == 2
        self.proved["learning_degree"] = (
            "proved: exact Lagrange ideal over QQ of a complete intersection, zero-dimensional, distinct points = rank "
            "of Hermite's trace form" if found.proved else
            "probabilistic: the Lagrange ideal was saturated by a random minor" if found.saturated else
            f"proved ≥ {found.count} (every point of the zero-dimensional Lagrange ideal over QQ is a critical point); "
            "equality unless the random combinations of the equations missed a critical point"
            + (" — confirmed by the counts modulo two primes with independent combinations" if agree else ""))
        self.proved["real_points"] = (f"proved: {found.real_count} real (signature of the trace form and "
                                      f"{found.real_count_method} on the eliminant); each checked exactly in its number field")
        self.proved["type"] = "certified: inertia of the bordered Hessian by Descartes' rule on a ball characteristic polynomial"
        started = time.perf_counter()
        infimum = self.infimum_over_variety(generators, metric, found, reaches)
        self.timed("infimum", started)
        self.proved["infimum"] = infimum.proved
        return counts, points, infimum

    def not_isolated_infimum(self, metric: Metric) -> Infimum:
        """The infimum when the critical points are not isolated: with G singular, L ≥ const on V (proved) with
        equality exactly on u + ker G, so certified real weights reaching u + ker G prove it attained."""
        low = float(metric.constant)
        if metric.positive_definite:
            return Infimum(value=None, interval=None, attained=None, argmin=None, argmin_coefficients=None, argmin_stratum=None,
                           lower_bound=low, upper_bound=None, proved="not decided: the critical points are not "
                           "isolated", method="—")
        stage("landscape", "is u + ker G reached by real weights?")
        reach = reach_minimizers(self.arch, metric, random.Random(self.seed))
        if reach.member:
            return Infimum(value=low, interval=str(metric.constant), attained=True, argmin=None, argmin_coefficients=None,
                           argmin_stratum="u + ker G", lower_bound=low, upper_bound=low,
                           proved=f"proved: L ≥ {metric.constant} = its minimum over V, with equality on u + ker G, which real "
                           f"weights reach ({reach.method}: {reach.detail})", method="minimum over V", weights=reach.weights)
        return Infimum(value=None, interval=None, attained=None, argmin=None, argmin_coefficients=None, argmin_stratum=None,
                       lower_bound=low, upper_bound=None,
                       proved=f"not decided: L ≥ {low:.10g} = its minimum over V (proved), with equality exactly on u + ker G; "
                       "the infimum over M(R) is that value iff M(R) meets u + ker G or comes arbitrarily close to it, "
                       f"which is not decided here ({reach.detail})", method="—")

    def modular(self, generators: list[Terms], metric: Metric, saturate: str) -> tuple[ModularCount, ...]:
        """The counts modulo the first two primes at which the data are integral, in one Macaulay2 call."""
        values = [*(v for row in metric.gram for v in row), *metric.center]
        primes = [p for p in (*PRIMES, *EXTRA_PRIMES) if p_integral(values, p)][:2]
        return modular_counts(self.session, generators, metric.gram, metric.center, primes, saturate=saturate,
                              timeout=self.deadline.remaining()) if primes else ()

    def numerical(self, generators: list[Terms], found: CriticalSet, metric: Metric) -> dict[str, Any] | None:
        if not self.run_numerical:
            return None
        if found.proved and not self.check_proved:
            return {"status": "not run: the count is proved exactly, a floating-point check adds no proof (--check runs it)"}
        if found.count is None or found.count > NUMERIC_MAX_SOLUTIONS:
            return {"status": f"not run (more than {NUMERIC_MAX_SOLUTIONS} critical points)"}
        stage("landscape", "numerical check (monodromy)")
        started = time.perf_counter()
        try:
            result = package.numerical_critical_count(self.session, self.arch, generators, found.combinations, metric.gram,
                                                      metric.center, found.count, self.seed,
                                                      timeout=self.deadline.remaining(NUMERIC_SECONDS))
        except Macaulay2Timeout:
            if self.deadline.expired():
                raise
            return {"status": f"not finished within {NUMERIC_SECONDS:g} s"}
        finally:
            self.timed("numerical check", started)
        agrees = result.generic == result.on_variety == found.count
        return {"status": "agrees" if agrees else "disagrees", "monodromy_solutions": result.generic,
                "regular_endpoints": result.regular, "on_X": result.on_variety, "paths": result.paths,
                "method": "MonodromySolver at a generic center, then tracked to u (floating point, heuristic)"}

    def infimum_over_variety(self, generators: list[Terms], metric: Metric, found: CriticalSet,
                             reaches: Sequence[Reach]) -> Infimum:
        if not metric.positive_definite:
            return Infimum(value=None, interval=None, attained=None, argmin=None, argmin_coefficients=None, argmin_stratum=None,
                           lower_bound=None, upper_bound=None, proved="not decided: G is singular", method="—")
        stage("landscape", "infimum: strata of X")
        strata = (determinantal_stratification(self.arch, generators, "X") if self.arch.monomial_degree == 1 else
                  stratification(self.session, generators, self.space.dim, "X", self.deadline))
        top = StratumResult(stratum=strata[0], count=found.count, real=found.real_count,
                            candidates=tuple(Candidate("X", f, r) for f, r in zip(found.points, reaches)))
        return over_variety(self.arch, self.session, strata, metric, self.deadline, self.seed, first=top, graphs=self.graphs)

    # --- generic data -------------------------------------------------------------------------------------------

    def generic(self) -> dict[str, Any]:
        """Counts modulo two primes for random integer data (moment metric), a random symmetric metric and the unit
        metric; for linear networks also Eckart–Young's number."""
        variety, generators = self.neurovariety()
        stage("landscape", "generic counts modulo primes")
        started = time.perf_counter()
        rng = random.Random(self.seed + 1)
        n, size = self.space.dim, len(self.space.monomials)
        if variety.fills:
            result: dict[str, Any] = {"learning_degree": 1, "method": "M fills V: one critical point for any data with Q "
                                      "positive definite (|S| ≥ N generic points)"}
            self.timed("generic", started)
            return result
        points = [[rng.randint(-GENERIC_HEIGHT, GENERIC_HEIGHT) for _ in range(self.space.n_inputs)] for _ in range(2 * size)]
        a = [[_monomial(e, p) for e in self.space.monomials] for p in points]
        q = [[Fraction(sum(row[i] * row[j] for row in a)) for j in range(size)] for i in range(size)]
        moment = Metric.from_matrices(self.space, q, [[Fraction(rng.randint(-GENERIC_HEIGHT, GENERIC_HEIGHT))
                                                       for _ in range(self.space.n_outputs)] for _ in range(size)])
        upper = [[rng.randint(-GENERIC_HEIGHT, GENERIC_HEIGHT) for _ in range(n)] for _ in range(n)]
        symmetric = [[Fraction(upper[min(i, j)][max(i, j)]) for j in range(n)] for i in range(n)]
        unit = [[Fraction(int(i == j)) for j in range(n)] for i in range(n)]
        center = [Fraction(rng.randint(-GENERIC_HEIGHT, GENERIC_HEIGHT)) for _ in range(n)]
        metrics = {"moment": (moment.gram, moment.center), "generic_symmetric": (symmetric, center), "unit": (unit, center)}
        method = generic_count(self.arch, variety.dim)
        result = {name: [m.to_json() for m in generic_counts(self.session, self.arch, variety.dim, generators, g, c,
                                                             self.seed, timeout=self.deadline.remaining())]
                  for name, (g, c) in metrics.items()}
        degrees = {name: {r["degree"] for r in rows} | ({"dim>0"} if any(r["dim"] for r in rows) else set())
                   for name, rows in result.items()}
        learning = degrees["moment"]
        result["learning_degree"] = _single(learning)
        result["ed_degree_generic_metric"] = _single(degrees["generic_symmetric"])
        result["ed_degree_unit_metric"] = _single(degrees["unit"])
        result["moment_equals_generic"] = result["learning_degree"] == result["ed_degree_generic_metric"]
        if self.arch.monomial_degree == 1 and not self.arch.bias:
            r, m = min(self.arch.widths), min(self.arch.input_dim, self.arch.output_dim)
            result["eckart_young"] = comb(m, r) if r < m else 1
        counted = COUNT_METHODS[method]
        result["method"] = (f"probabilistic: random integer data (|S| = {2 * size} points, entries up to 2^20) and random "
                            f"metrics, {counted}; a count "
                            "differs from the generic one only for data on a proper subvariety (a discriminant), or "
                            "for finitely many unlucky primes")
        self.proved["generic"] = result["method"]
        self.timed("generic", started)
        return result

    # --- training -----------------------------------------------------------------------------------------------

    def training(self, runs: int, max_steps: int, dim: int, points: Sequence[LandscapePoint],
                 infimum: Infimum) -> tuple[tuple[Any, ...], Any]:
        from neurom2.training.descent import classify, summarize, train

        stage("landscape", f"training: {runs} runs")
        started = time.perf_counter()
        trained = train(self.arch, self.dataset, runs, seed=self.seed, max_steps=max_steps, deadline=self.deadline)
        unattained = [infimum.argmin] if infimum.attained is False and infimum.argmin is not None else []
        classified = classify(trained, [p.approximate for p in points], infimum.value, dim, attained=infimum.attained,
                              unattained_points=unattained)
        self.timed("training", started)
        self.proved["training"] = ("numerical (float64): convergence, ranks of dμ and divergence are diagnosed, not proved "
                                   "(see neurom2.training.descent)")
        return tuple(classified), summarize(classified)


METHOD_LAGRANGE = ("Lagrange ideal P + (G(c − u) − Σ l_i ∇g_i) over QQ (Macaulay2), g_i ∈ P (P's generators, or random "
                   "combinations when P is not a complete intersection); zero-dimensional, so its points are critical "
                   "points on the smooth part of X; distinct points by Hermite's trace form, real ones by Sturm/Arb")
METHOD_LINEAR = ("linear network (with biases: b optimal for W, Q its Schur complement): L(W) = ‖(W − T)R‖² + const "
                 "with Q = AᵀA = RRᵀ (whitening); the critical points on the rank-k matrices are the C(m, k) partial "
                 "SVDs of the whitened target, the least the top k (Eckart–Young–Mirsky), computed exactly from the "
                 "spectral projectors of the rational matrix K = TQTᵀ (or QTᵀT); no Lagrange ideal, no Macaulay2")
METHOD = ("critical points of L(c) = (c − u)ᵀG(c − u) + const, G = I ⊗ AᵀA, u = A⁺B, on the smooth part of the "
          "neurovariety (Lagrange ideal in Macaulay2, exact over QQ, checked modulo primes, and numerically when not "
          "proved); real "
          "points classified by the bordered Hessian and decided reachable in covering charts; infimum over M(R) from "
          "the strata of X or of the algebraic boundary of M(R)")


def rational_facts(point: Sequence[Fraction], metric: Metric, kind: str, index: int | None) -> PointFacts:
    """The facts of a rational point (the unconstrained minimizer u), exact."""
    residues = tuple(flint.fmpq_poly([as_fmpq(v)]) for v in point)
    real_point = RealPoint(flint.fmpq_poly([0, 1]), 0, residues, metric.n)
    loss = metric.loss(point)
    ball = flint.arb(as_fmpq(loss))
    return PointFacts(point=real_point, coefficients=tuple(str(v) for v in point), approximate=tuple(float(v) for v in point),
                      loss=float(loss), loss_interval=str(loss),
                      loss_ball=ball, type=kind, index=index, tangent_dim=metric.n, verified="exactly in QQ")


def _eckart_young_point(point: linear.EckartYoungPoint, reach: Reach, exactness: str) -> LandscapePoint:
    return LandscapePoint(coefficients=point.coefficient_texts(), approximate=point.approximate(), loss=point.loss_float,
                          loss_interval=point.loss_text, real=True,
                          type=point.type, index=point.index, reached=reach.member, weights=reach.weights,
                          reach_method=reach.method,
                          exact={"rational": point.exact,
                                 "kept_singular_directions": [i + 1 for i in point.chosen]}, verified=exactness)


def _determinantal_ideal(arch: Architecture) -> dict[str, Any]:
    """The ideal of a linear network as the landscape reports it, without writing the minors down."""
    size = determinantal.rank_bound(arch) + 1
    return {"equations": comb(arch.output_dim, size) * comb(arch.input_dim, size), "degrees": [size], "complete": True,
            "proof": determinantal.proof(arch)}


def critical_estimate(degrees: Sequence[int], dim: int, ambient: int) -> Estimate:
    """A size guard for the Lagrange ideal: the number of critical points is at most about
    B = D^r · Σ_{i ≤ dim} (D − 1)^i (D the largest equation degree, r the codimension; the ED degree of a
    generic complete intersection of that shape); the Gröbner basis costs about B² (n + r) operations."""
    degree, r = max(degrees or [1]), ambient - dim
    bound = degree**r * sum((degree - 1) ** i for i in range(dim + 1))
    return Estimate(f"Lagrange ideal in {ambient + r} variables, up to ~{bound} critical points", bound * (ambient + r) * 1024.0,
                    float(bound) ** 2 * (ambient + r))


def _single(values: set) -> int | None:
    """The count when both primes gave the same zero-dimensional degree, else None."""
    return next(iter(values)) if len(values) == 1 and "dim>0" not in values else None


def _monomial(exponents: Sequence[int], point: Sequence[int]) -> int:
    value = 1
    for x, e in zip(point, exponents):
        value *= x**e
    return value


__all__ = ["Counts", "Landscape", "LandscapePoint", "generic_count", "generic_counts", "generic_learning_degree",
           "interval_text",
           "landscape", "read_data", "resolve_dataset"]
