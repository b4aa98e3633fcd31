"""Minimal filling architectures, found and proved: the search behind ``neurom2 filling``.

Problem.  Fix σ = x^r (r ≥ 2, no biases), the input width d0, the output width dL and the depth L.  Hidden
widths a = (a_1..a_{L−1}) fill when dim M(d0, a, dL) = dim V.  Filling architectures form an up-set
(monotonicity: a narrower network is a wider one with zero neurons), so they are determined by their
minimal elements, finitely many; and by the width cap (:mod:`neurom2.variety.bounds`) every width beyond
c_j computes nothing new, so the search lives in the box [1, c_1] × ... × [1, c_{L−1}], and a region that
reaches c_j in coordinate j is unbounded in that coordinate.

Strategy: bounds first, ranks only where needed.

1. *Bounds only.*  The staircase (:mod:`neurom2.filling.regions`) of the candidates found so far has
   corners; each corner b is the top of a box of not-yet-explained architectures.  If the proved upper
   bound at b is below dim V, the whole box is closed.  Otherwise, b is *plausible* (bound ≥ dim V and b is
   not below a point already known, by its rank, not to fill) and a descent finds a candidate below it: a
   binary search per coordinate (widest first), then single steps down, each step taken only while the point
   stays plausible.  The candidate is added to the staircase and the corners are updated.  This phase needs
   no rank at all; it ends when every corner is closed or lies below a known non-filling point.
2. *Ranks, in one round.* Every new candidate gets its Jacobian rank from the :class:`RankSource` (in ``neurom2
   filling``, ``dim`` jobs of the batch engine: :mod:`neurom2.batch.filling`). A rank equal to dim V proves the
   candidate fills. A smaller rank makes it a known non-filling point (probably: the rank is only a lower
   bound), and it leaves the candidates. Where the bounds are not sharp, a whole region of plausible points may
   not fill, and excluding them one at a time would take a rank each; so from every such point an *ascent*
   climbs, by ranks, to a maximal point that still does not fill (a binary search per coordinate, widest cap
   first; the ascents of one round run in lockstep, one round of ranks per step), and everything below it is
   excluded. Then phase 1 runs again with this knowledge.
3. When all candidates are proved, the corners that are not closed are the *open* regions; their ranks are
   computed too (the probable dimension at the corner), then the search ends.

Layers: the search is mathematics and knows nothing of jobs, stores or workers; it asks a :class:`RankSource` for
ranks.  The task layer supplies one that runs them as ``dim`` jobs in a results store
(:mod:`neurom2.batch.filling`, ``neurom2 filling``); the search is deterministic, so an interrupted search resumes
from its store.

Correctness does not depend on the search's choices: the final answer is certified from scratch
(:mod:`neurom2.filling.certificates`): each minimal architecture by its exact rank, each region by a proved
bound at its corner, each neighbour of a minimal architecture by a bound or a closed region.
"""

from __future__ import annotations

import math
import time
from collections.abc import Generator, Iterable, Sequence
from typing import Protocol

from neurom2 import progress
from neurom2.cost import SATURATED, Estimate, guard
from neurom2.deadline import Deadline
from neurom2.errors import InvalidOption
from neurom2.filling.certificates import FillingResult, MinimalArchitecture, Neighbour, RankProof, Region, Work
from neurom2.filling.regions import Staircase, Widths, below
from neurom2.model.activation import Activation
from neurom2.model.architecture import MAX_DEPTH
from neurom2.variety.bounds import MonomialBounds, monomial_bounds, monomials

UNBOUNDED = 10 ** 18
"""A width larger than any cap."""
SEARCH_OPERATIONS = 100
"""Operations charged per hidden width tuple of the search box, for the size guard: the search settles every tuple,
by bounds or by ranks.  Measured on (2,·,1), σ = x², one worker: L = 7, 4.9e6 tuples, 1.9 s; L = 8, 6.3e8 tuples,
60 s; on 2 workers, L = 9, 1.6e11 tuples, 8.5 minutes (2,344 ranks): the estimate overstates the deepest searches,
which need ``force``."""


def width_caps(input_dim: int, r: int, depth: int) -> Widths:
    """c_1..c_{L−1}: hidden widths beyond c_j compute nothing new, whatever the other widths (width cap)."""
    return monomial_bounds(r).caps((input_dim, *(UNBOUNDED,) * (depth - 1), 1))


class RankSource(Protocol):
    """Where the search gets Jacobian ranks: a rank proof for each architecture (full widths), or why it could
    not be computed.  ``known`` holds every answer given so far; ``computed`` and ``rounds`` count the ranks
    actually computed and the rounds that computed any; ``deadline`` bounds the whole search; ``location``
    names where the ranks are kept (a results store), for the record of the work; ``seed`` seeds the random
    points of the rank computations, and the result records it."""

    known: dict[Widths, RankProof | str]
    computed: int
    rounds: int
    deadline: Deadline
    location: str
    seed: int

    def ranks(self, architectures: Iterable[Widths]) -> dict[Widths, RankProof | str]:
        """The rank proof (or the failure's reason) of each architecture, computing those not yet ``known``."""


class FrontierSearch:
    """The search of the module docstring for one (d0, dL, r, L) and box."""

    def __init__(self, input_dim: int, output_dim: int, r: int, depth: int, box: Widths, oracle: RankSource,
                 engine: MonomialBounds | None = None) -> None:
        self.input_dim, self.output_dim, self.r, self.depth = input_dim, output_dim, r, depth
        self.box = box
        self.oracle = oracle
        self.engine = engine or monomial_bounds(r)
        """The proved bounds (:mod:`neurom2.variety.bounds`; a weaker engine only makes more regions open)."""
        self.ambient = output_dim * monomials(input_dim, r ** (depth - 1))
        self.fillers: dict[Widths, RankProof] = {}
        self.candidates: set[Widths] = set()
        self.non_filling: set[Widths] = set()
        """Hidden widths whose rank is below dim V (known not to fill, with the rank's probability)."""
        self.filling: set[Widths] = set()
        """Hidden widths proved filling by their rank (not necessarily minimal)."""
        self.staircase = Staircase(box)
        self.evaluations = 0

    def widths(self, hidden: Widths) -> Widths:
        """The full widths (d0, hidden..., dL)."""
        return (self.input_dim, *hidden, self.output_dim)

    def bound(self, hidden: Widths) -> int:
        """The best proved upper bound on dim M for these hidden widths (counted in ``evaluations``)."""
        self.evaluations += 1
        return self.engine.value(self.widths(hidden))

    def closed(self, hidden: Widths) -> bool:
        """Whether the proved bound is below dim V: these widths do not fill."""
        return self.bound(hidden) < self.ambient

    def plausible(self, hidden: Widths) -> bool:
        """Not excluded: the proved bound reaches dim V and no known non-filling point is above it."""
        return not self.closed(hidden) and not any(below(hidden, point) for point in self.non_filling)

    def descend(self, corner: Widths) -> Widths:
        """A plausible point below the plausible ``corner`` whose one-smaller neighbours are not plausible."""
        point = list(corner)
        for j in sorted(range(len(point)), key=lambda i: -point[i]):
            low, high = 1, point[j]
            while low < high:
                middle = (low + high) // 2
                if self.plausible(tuple(point[:j] + [middle] + point[j + 1:])):
                    high = middle
                else:
                    low = middle + 1
            point[j] = low
        moved = True
        while moved:
            moved = False
            for j in range(len(point)):
                lower = tuple(point[:j] + [point[j] - 1] + point[j + 1:])
                if point[j] > 1 and self.plausible(lower):
                    point[j] -= 1
                    moved = True
        return tuple(point)

    def grow(self) -> None:
        """Phase 1: candidates below every plausible corner, by bounds only."""
        changed = True
        while changed:
            changed = False
            corners = list(self.staircase.corners)
            for k, corner in enumerate(corners, start=1):
                progress.stage(f"round {self.oracle.rounds + 1}",
                               f"bounds below corner {k} of {len(corners)}, {len(self.candidates)} candidates so far")
                if corner in self.staircase.corners and self.plausible(corner):
                    candidate = self.descend(corner)
                    self.candidates.add(candidate)
                    self.staircase.add(candidate)
                    changed = True

    def fills(self, proof: RankProof | str) -> bool:
        """Whether a rank proof shows filling (rank = dim V); a string is a failed job."""
        return isinstance(proof, RankProof) and proof.rank == self.ambient

    def run(self) -> None:
        """Phases 1–3 until every candidate is proved and every open corner has its rank."""
        while True:
            self.oracle.deadline.check()
            self.grow()
            pending = sorted(self.candidates - set(self.fillers))
            if not pending:
                open_corners = [c for c in self.staircase.corners if not self.closed(c)]
                pending = [c for c in open_corners if self.widths(c) not in self.oracle.known]
                if not pending:
                    return
            found = self.oracle.ranks([self.widths(h) for h in pending])
            failed = []
            for hidden in pending:
                proof = found[self.widths(hidden)]
                if self.fills(proof):
                    assert isinstance(proof, RankProof)
                    self.fillers[hidden] = proof
                    self.filling.add(hidden)
                    if hidden not in self.candidates:  # an open corner that fills after all
                        self.candidates.add(hidden)
                else:
                    self.non_filling.add(hidden)
                    self.candidates.discard(hidden)
                    if isinstance(proof, RankProof):
                        failed.append(hidden)
            self.non_filling |= set(self.lockstep([self.ascent(point) for point in failed]))
            self.staircase = Staircase(self.box, sorted(self.candidates))

    def known_answer(self, hidden: Widths) -> bool | None:
        """Whether ``hidden`` fills, when known without a new rank."""
        if self.closed(hidden) or any(below(hidden, point) for point in self.non_filling):
            return False
        if any(below(point, hidden) for point in self.filling):
            return True
        return None

    def ascent(self, start: Widths) -> Generator[Widths, bool, Widths]:
        """From a non-filling point, climb to a maximal one (yields points to test, receives whether they fill)."""
        point = list(start)
        for j in sorted(range(len(point)), key=lambda i: -self.box[i]):
            low, high = point[j], self.box[j]
            while low < high:
                middle = (low + high + 1) // 2
                if (yield tuple(point[:j] + [middle] + point[j + 1:])):
                    high = middle - 1
                else:
                    low = middle
            point[j] = low
        return tuple(point)

    def lockstep(self, climbs: list[Generator[Widths, bool, Widths]]) -> list[Widths]:
        """Run rank searches side by side: one batch of rank jobs per step; their results, in order."""
        results: dict[int, Widths] = {}
        asked: dict[int, Widths] = {}

        def advance(index: int, answer: bool | None) -> None:
            climb = climbs[index]
            try:
                point = next(climb) if answer is None else climb.send(answer)
                while (known := self.known_answer(point)) is not None:
                    point = climb.send(known)
                asked[index] = point
            except StopIteration as done:
                results[index] = done.value

        for index in range(len(climbs)):
            advance(index, None)
        while asked:
            self.oracle.deadline.check()
            found = self.oracle.ranks([self.widths(point) for point in asked.values()])
            answers = {}
            for index, point in asked.items():
                proof = found[self.widths(point)]
                answers[index] = self.fills(proof)
                (self.filling if answers[index] else self.non_filling).add(point)
            asked.clear()
            for index, answer in answers.items():
                advance(index, answer)
        return [results[index] for index in range(len(climbs))]

    # the certificates

    def region(self, corner: Widths, caps: Widths) -> Region:
        """The region below ``corner`` (a width at its cap meaning every width), with its proved bound."""
        unbounded = tuple(c >= cap for c, cap in zip(corner, caps))
        bound = self.engine.derive(self.widths(corner))
        rank, failure = None, None
        if bound.value >= self.ambient:
            known = self.oracle.known.get(self.widths(corner))
            rank, failure = (known, None) if isinstance(known, RankProof) else (None, known)
        return Region(corner=corner, unbounded=unbounded, bound=bound, ambient=self.ambient, rank=rank, failure=failure)

    def result(self, caps: Widths, activation: str, backend: str, started: float) -> FillingResult:
        """The certified answer, after :meth:`run` (``caps``: the width caps, ``started``: perf_counter)."""
        regions = tuple(self.region(corner, caps) for corner in self.staircase.corners)
        minimal = tuple(MinimalArchitecture(self.widths(hidden), self.fillers[hidden], self.neighbours(hidden, regions))
                        for hidden in sorted(self.fillers))
        oracle = self.oracle
        work = Work(rank_jobs=len(oracle.known), computed=oracle.computed, rounds=oracle.rounds,
                    bound_evaluations=self.evaluations, store=oracle.location, backend=backend,
                    seconds=time.perf_counter() - started)
        return FillingResult(input_dim=self.input_dim, output_dim=self.output_dim, activation=activation, r=self.r,
                             depth=self.depth, ambient=self.ambient, caps=caps,
                             box=self.box, minimal=minimal, regions=regions, work=work, seed=oracle.seed)

    def neighbours(self, hidden: Widths, regions: Sequence[Region]) -> tuple[Neighbour, ...]:
        """The one-smaller neighbours of ``hidden``, each with the bound or closed region that proves it does not fill."""
        found = []
        for j in range(len(hidden)):
            if hidden[j] == 1:
                continue
            lower = hidden[:j] + (hidden[j] - 1,) + hidden[j + 1:]
            if self.closed(lower):
                found.append(Neighbour(lower, self.engine.derive(self.widths(lower)), None))
                continue
            inside = next((i for i, region in enumerate(regions) if region.closed and below(lower, region.corner)), None)
            found.append(Neighbour(lower, None, inside))
        return tuple(found)


def search_estimate(box: Widths) -> Estimate:
    """The cost of searching the box [1, c_1] × ... × [1, c_{L−1}]: :data:`SEARCH_OPERATIONS` per tuple in it."""
    tuples = min(math.prod(box), SATURATED)
    count = f"{float(tuples):.2g}" if tuples < SATURATED else f"more than {float(SATURATED):.0e}"
    return Estimate(f"a search box of {count} hidden width tuples (widths up to {max(box)}; --max-width W "
                    "searches a smaller one)", 0.0, float(SEARCH_OPERATIONS * tuples))


def _monomial_degree(activation: str) -> tuple[Activation, int]:
    sigma = Activation.parse(activation)
    if not sigma.is_monomial or sigma.degree < 2:
        raise InvalidOption(f"filling needs a power activation σ = x^r with r ≥ 2, got {sigma}", "activation")
    return sigma, sigma.degree


def search_box(input: int, depth: int, activation: str, max_width: int | None,
               force: bool) -> tuple[Activation, Widths, Widths]:
    """σ = x^r parsed, the width caps and the box searched (the caps, cut at ``max_width``), checked before any
    rank: the depth, the activation, and the size guard of the box (``force`` overrides it)."""
    if depth > MAX_DEPTH:
        raise InvalidOption(f"depth {depth} is more than neurom2 supports (at most {MAX_DEPTH} layers)", "depth")
    sigma, r = _monomial_degree(activation)
    caps = width_caps(input, r, depth)
    box = tuple(min(cap, max_width) for cap in caps) if max_width is not None else caps
    guard(search_estimate(box), force)
    return sigma, caps, box


def search_filling(input: int, output: int, depth: int, sigma: Activation, caps: Widths, box: Widths,
                   ranks: RankSource, backend: str, started: float) -> FillingResult:
    """The minimal filling architectures (input, a_1..a_{depth−1}, output) for σ = x^r in ``box`` (from
    :func:`search_box`), with certificates; ranks from ``ranks``, described as ``backend`` in the record of the
    work; ``started`` is the ``perf_counter`` at the start of the whole computation."""
    search = FrontierSearch(input, output, sigma.degree, depth, box, ranks)
    search.run()
    return search.result(caps, str(sigma), backend, started)


__all__ = ["FrontierSearch", "RankSource", "search_box", "search_filling", "width_caps"]
