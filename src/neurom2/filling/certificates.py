"""What ``neurom2 filling`` proves, as values: regions, minimal architectures, the whole answer.

A **region** is a box of hidden widths {a : a ≤ corner}, where a coordinate equal to its cap (the width cap
of :mod:`neurom2.variety.bounds`) stands for every width ≥ 1, since wider layers compute the same
functions.  It is **closed** when a proved upper bound at its corner is below dim V: every architecture in
it has dim M ≤ D(corner) ≤ bound < dim V (monotonicity: narrower hidden layers compute a subset, by zero
neurons), so none fills.  It is **open** when no bound can close it; the Jacobian rank at its corner is then
reported, which is the dimension unless the random point was unlucky (an upper bound on that probability
is given), so the region very probably does not fill either, but this is not proved.

A **minimal architecture** is proved filling by an exact rank: the rank of the evaluation Jacobian modulo a
prime at one point equals dim V, and such a rank never exceeds dim M.  It is proved minimal when each of
its one-smaller neighbours lies in a closed region or has a proved bound below dim V.

The answer is **complete** when every region is closed and the searched box is all widths: then the
minimal architectures listed are all of them, and this rests on no probabilistic fact.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from neurom2.filling.regions import Widths, is_unimodal
from neurom2.typeset import Typeset
from neurom2.variety.bounds import Bound


@dataclass(frozen=True, kw_only=True)
class RankProof:
    """dim M = ``rank`` ≥ the rank modulo each prime at one random point (an exact lower bound)."""

    rank: int
    ranks: tuple[int, ...]
    primes: tuple[int, ...]
    error_bound: float
    """For a rank below dim V: probability bound that the dimension is larger (Schwartz–Zippel)."""
    job: str
    """The key of the ``dim`` job in the results store."""

    def to_json(self) -> dict[str, Any]:
        """The proof as JSON."""
        return {"rank": self.rank, "ranks": list(self.ranks), "primes": list(self.primes),
                "error_bound": self.error_bound, "job": self.job}


@dataclass(frozen=True, kw_only=True)
class Region:
    """The hidden widths a ≤ ``corner`` (a coordinate with ``unbounded`` true: every width)."""

    corner: Widths
    unbounded: tuple[bool, ...]
    bound: Bound
    """The best proved upper bound at the corner (of the full widths (d0, corner, dL))."""
    ambient: int
    rank: RankProof | None = None
    """For an open region: the Jacobian rank at its corner (the probable dimension)."""
    failure: str | None = None
    """For an open region whose rank job failed: why."""

    @property
    def closed(self) -> bool:
        """Whether the region's bound is below dim V (so no tuple in it fills)."""
        return self.bound.value < self.ambient

    def describe(self) -> str:
        """``a1 ≤ 3, a2 ≤ 2, a3..a6 any`` (1-based hidden layers)."""
        parts, j = [], 0
        while j < len(self.corner):
            if self.unbounded[j]:
                end = j
                while end + 1 < len(self.corner) and self.unbounded[end + 1]:
                    end += 1
                parts.append(f"a{j + 1} any" if end == j else f"a{j + 1}..a{end + 1} any")
                j = end + 1
            else:
                parts.append(f"a{j + 1} ≤ {self.corner[j]}")
                j += 1
        return ", ".join(parts)

    def to_json(self) -> dict[str, Any]:
        """The region as JSON: corner, bound, reason and derivation."""
        return {
            "corner": list(self.corner), "unbounded": list(self.unbounded), "region": self.describe(),
            "closed": self.closed, "upper_bound": self.bound.value, "reason": self.bound.reason,
            "derivation": self.bound.to_json(),
            "rank_at_corner": self.rank.to_json() if self.rank else None, "failure": self.failure,
        }


@dataclass(frozen=True)
class Neighbour:
    """A one-smaller neighbour of a minimal architecture and why it does not fill."""

    hidden: Widths
    bound: Bound | None
    """A proved bound below dim V at the neighbour itself, if there is one."""
    region: int | None
    """Else: the index of a closed region containing it."""

    @property
    def proved(self) -> bool:
        """Whether the neighbour is proved not to fill (by its own bound or a closed region)."""
        return self.bound is not None or self.region is not None

    def to_json(self) -> dict[str, Any]:
        """The neighbour as JSON."""
        return {"hidden": list(self.hidden), "proved_not_filling": self.proved,
                "upper_bound": self.bound.value if self.bound else None,
                "reason": self.bound.reason if self.bound else None, "region": self.region}


@dataclass(frozen=True)
class MinimalArchitecture:
    """A filling architecture (d0, hidden, dL), proved by ``proof``, with its neighbours."""

    widths: Widths
    proof: RankProof
    neighbours: tuple[Neighbour, ...]

    @property
    def hidden(self) -> Widths:
        """The hidden widths (a1, ..., a(L-1))."""
        return self.widths[1:-1]

    @property
    def minimal_proved(self) -> bool:
        """Whether every one-smaller neighbour is proved not to fill."""
        return all(n.proved for n in self.neighbours)

    @property
    def unimodal(self) -> bool:
        """Whether the hidden widths are unimodal (Kileel, Trager and Bruna, Conjecture 12)."""
        return is_unimodal(self.hidden)

    def to_json(self) -> dict[str, Any]:
        """The architecture's certificate as JSON."""
        return {"widths": list(self.widths), "unimodal": self.unimodal, "filling_proof": self.proof.to_json(),
                "minimal_proved": self.minimal_proved, "neighbours": [n.to_json() for n in self.neighbours]}


@dataclass(frozen=True, kw_only=True)
class Work:
    """How the answer was computed."""

    rank_jobs: int
    """Distinct ``dim`` jobs the search needed (computed now or found in the store)."""
    computed: int
    """Of these, computed in this run (the rest came from the store)."""
    rounds: int
    bound_evaluations: int
    store: str
    backend: str
    seconds: float

    def to_json(self) -> dict[str, Any]:
        """The work as JSON."""
        return {"rank_jobs": self.rank_jobs, "computed": self.computed, "rounds": self.rounds,
                "bound_evaluations": self.bound_evaluations, "store": self.store, "backend": self.backend,
                "seconds": round(self.seconds, 3)}


@dataclass(frozen=True, kw_only=True)
class FillingResult(Typeset):
    """The minimal filling architectures of (d0, a_1..a_{L−1}, dL) for σ = x^r, with their certificates (typeset:
    :mod:`neurom2.typeset`)."""

    input_dim: int
    output_dim: int
    activation: str
    r: int
    depth: int
    ambient: int
    caps: Widths
    """Each hidden width beyond its cap computes nothing new (width cap)."""
    box: Widths
    """The searched box: the caps, lowered by ``max_width``."""
    minimal: tuple[MinimalArchitecture, ...]
    regions: tuple[Region, ...]
    work: Work
    seed: int
    """The seed of the random points of its rank computations; the same seed gives the same answer."""

    @property
    def open_regions(self) -> tuple[Region, ...]:
        """The regions no proved bound closes."""
        return tuple(region for region in self.regions if not region.closed)

    @property
    def whole_space(self) -> bool:
        """Whether the box is every width (not cut by ``max_width``)."""
        return self.box == self.caps

    @property
    def complete_in_box(self) -> bool:
        """No open region and every listed architecture proved minimal: the list is complete within the searched box."""
        return not self.open_regions and all(m.minimal_proved for m in self.minimal)

    @property
    def complete(self) -> bool:
        """Every minimal filling architecture is listed, and this is proved."""
        return self.complete_in_box and self.whole_space

    @property
    def not_unimodal(self) -> tuple[MinimalArchitecture, ...]:
        """The listed architectures whose hidden widths are not unimodal."""
        return tuple(m for m in self.minimal if not m.unimodal)

    def to_json(self) -> dict[str, Any]:
        """The result as JSON (``neurom2 filling --json``; docs/schemas/filling.schema.json)."""
        return {
            "input": self.input_dim, "output": self.output_dim, "activation": self.activation, "depth": self.depth,
            "ambient_dim": self.ambient, "caps": list(self.caps), "box": list(self.box),
            "minimal": [list(m.widths) for m in self.minimal],
            "unimodal": {",".join(map(str, m.widths)): m.unimodal for m in self.minimal},
            "complete": self.complete, "complete_in_box": self.complete_in_box,
            "open_regions": [region.to_json() for region in self.open_regions],
            "certificates": {
                "minimal": [m.to_json() for m in self.minimal],
                "regions": [region.to_json() for region in self.regions],
                "probabilistic": "none" if self.complete else
                "open regions are non-filling only with the probability stated by their rank_at_corner",
            },
            "work": self.work.to_json(),
            "seed": self.seed,
            "seconds": round(self.work.seconds, 3),
        }


__all__ = ["FillingResult", "MinimalArchitecture", "Neighbour", "RankProof", "Region", "Work"]
