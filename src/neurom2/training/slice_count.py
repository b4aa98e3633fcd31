"""The learning degree counted in a slice of weight space by monodromy, for networks whose Lagrange system is too large.

**The formulation.**  The learning degree for data (G, u) is the number of complex critical points of
L(c) = (c − u)ᵀG(c − u) on the smooth part of X, the closure of the neuromanifold M = φ(weights) (dim X = k).
Its Lagrange system has dim V + codim X unknowns (36 for (3,2,1) x^5, 23 for (3,2,2,1) x^2), too many for a
Gröbner basis in reasonable time.  Instead, a *slice* S of weight space with k coordinates θ: the symmetry chart
of the network (``symmetryChart``: the first input weight of each hidden neuron of a monomial activation is 1, which
removes the rescalings), then further weights fixed (from the first) to random integers in 1..9 while the Jacobian of
φ|_S keeps rank k at a random point modulo 32003 (so φ|_S : S → X is dominant and generically finite: the rank
modulo p at a point is at most the generic rank over QQ, which is at most dim X = k).  In S the critical points of
L∘φ are the solutions of the k *gradient equations* J(θ)ᵀ G (φ(θ) − u) = 0, J the Jacobian of φ|_S, each column of J
divided by the gcd of its entries (e.g. the output weight a_i in ∂φ/∂w of a hidden neuron i's input weights w:
this drops the degenerate solutions a_i = 0 and lowers the degree).

**The count** (Macaulay2 ``sliceCriticalCount``, floating point). The center u is a parameter. The incidence
{(θ, u) : θ ∈ S, rank J(θ) = k, J(θ)ᵀG(φ(θ) − u) = 0} is a vector bundle over the open set of S where J has rank k, so it is
irreducible and monodromy over generic centers reaches all of its points over a given center. Start: random complex
θ0 and u0 = φ(θ0) + G⁻¹n with J(θ0)ᵀn = 0. Monodromy on a graph of parameter nodes (batches of paths,
MonodromySolver's arcs): u0 and a random node joined by three arcs, closed until every solution was tracked along
every arc; then new random nodes joined to u0 by three arcs each (two more loops) until ``repeats`` new nodes in a row
bring no new solution — the usual stopping rule, no trace test. The solutions at u0 are tracked to the data's center
u, scaled to max |u_i| = 1 (X is a cone: the last layer's weights scale f, so the critical points scale with u);
paths that fail or end where another ended are tracked again along new arcs, twice; the regular endpoints are
grouped by their images φ(θ) (relative 1e-6). The learning degree is the number of images. The count is given only
when the solutions at u0 are the images times the largest number of regular endpoints over one image (the fiber of
φ|_S over a general point of X, e.g. 2 for the swap in (n,2,1) x^d): so no critical point lost all its preimages on
the way to u (one may lose a few: a failed path, or a preimage gone to infinity when the slice fixes an output
weight).

**What the count proves.**  Nothing: it is *probable*, without an error bound.  Each image is (up to floating-point
error, not certified) a critical point of L on X, so the count is a lower bound unless two images were merged or
a path jumped; it equals the learning degree when (1) monodromy found every solution at u0 (the stopping rule; the
loops are random, so the group they generate is the full monodromy group with high probability, which is
transitive on the solutions since the incidence is irreducible), (2) every critical point of L on X lies in
φ(S) at a point where J has rank k — true for generic data (the critical points over a proper closed subset of X,
e.g. X's singular locus or the image of degenerate or out-of-chart weights, form a part of the ED correspondence of
dimension < dim V, so generic data avoid them), and (3) the data's center is off the discriminant of the family.
The division by the gcd admits solutions with a vanishing output weight (points of lower rank, on X's singular
locus); for special data a path may end there, and the count is then not given rather than wrong.  The modular
Lagrange counts check it wherever they finish (tests and ``benchmarks/landscape.py --cross-check``).
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

REPEATS = 3
"""New monodromy loops in a row without a new solution before the count stops."""
LAGRANGE_VARIABLES = 22
"""Above this many Lagrange variables (dim V + codim X) the slice count replaces the Lagrange count."""
METHOD = ("critical points of L∘φ in a slice of weight space (symmetry chart, further weights fixed while the Jacobian "
          "keeps rank dim X modulo 32003), gradient equations solved by monodromy in the data center (floating point; "
          f"stopped after {REPEATS} new loops without a new solution, no trace test), tracked to the data and grouped by "
          "their images; probable, no error bound: exact when monodromy is complete and the data are generic")


@dataclass(frozen=True)
class SliceCount:
    """The critical points of a quadratic loss counted in a slice of weight space (module docstring)."""

    raw: package.SliceCriticalCount
    dim: int
    """dim X: the number of the slice's coordinates."""

    @property
    def dominant(self) -> bool:
        """Whether the slice's Jacobian reached rank dim X (modulo 32003): then φ|_S is dominant onto X (proved)."""
        return self.raw.rank == self.dim

    @property
    def complete(self) -> bool:
        """Whether the count is given: the slice is dominant and the solutions at the generic center are the images
        times the largest number of regular endpoints over an image (the fiber: so no critical point lost all its
        preimages on the way to the data, though some may have lost a few)."""
        raw = self.raw
        return self.dominant and raw.images > 0 and raw.images * max(raw.class_sizes) == raw.solutions

    @property
    def count(self) -> int | None:
        """The learning degree (the number of images), when the count is :attr:`complete`."""
        return self.raw.images if self.complete else None

    @property
    def fiber(self) -> int | None:
        """Points of the slice over a general point of X (solutions / images), when the count is complete."""
        return max(self.raw.class_sizes) if self.complete else None

    def to_json(self) -> dict[str, Any]:
        """The count as JSON (same keys as a Lagrange ModularCount where they apply, plus the monodromy's facts)."""
        return {"prime": None, "dim": 0 if self.complete else None, "degree": self.count, "method": "slice monodromy",
                "fixed_weights": [[i, str(v)] for i, v in self.raw.fixed], "slice_rank": self.raw.rank,
                "solutions": self.raw.solutions, "paths": self.raw.paths, "failed_paths": self.raw.failed,
                "regular_endpoints": self.raw.regular, "fiber": self.fiber}


def preferred(arch: Architecture, dim: int) -> bool:
    """Whether the slice count is used instead of the Lagrange count: the network does not fill V and its Lagrange
    system has more than :data:`LAGRANGE_VARIABLES` variables (2 dim V − dim X)."""
    ambient = AmbientSpace.of(arch).dim
    return dim < ambient and 2 * ambient - dim > LAGRANGE_VARIABLES


def slice_count(session: Macaulay2Session, arch: Architecture, dim: int, gram: Sequence[Sequence[Fraction]],
                center: Sequence[Fraction], seed: int = 0, repeats: int = REPEATS,
                timeout: float | None = None) -> SliceCount:
    """The critical points of (c − u)ᵀ gram (c − u) on the neurovariety of ``arch`` (dimension ``dim``), counted in a
    slice of weight space by monodromy (module docstring)."""
    raw = package.slice_critical_count(session, arch, dim, gram, center, repeats, seed, timeout=timeout)
    return SliceCount(raw, dim)
