"""The dimension of a neuromanifold, exactly, without symbolic expansion.

dim M is the generic rank of the Jacobian of θ ↦ c(θ).  neurom2 computes the rank of the *evaluation*
Jacobian ∂f_θ(a_j)/∂θ at a random weight vector θ and random inputs a_j, by backpropagation, exactly
modulo a prime p < 2^31 (see :mod:`neurom2.model.jacobian`).

What is proved and what is probable:

* **Lower bound, always proved.**  The rank modulo p at one point is at most the rank over QQ of the
  same integer matrix, which is at most the generic rank: every computed rank is a lower bound for dim M.
  The rank is first computed for a sparse random combination of the columns with U + 8 columns, U the proved
  upper bound below (its rank is at most that of the Jacobian, which is at most U): when it reaches U, that is the
  rank; otherwise the rank of the whole Jacobian modulo p is computed.
* **Upper bound, proved.**  dim M ≤ :func:`~neurom2.variety.bounds.upper_bound`, the smallest of the
  proved bounds of :mod:`neurom2.variety.bounds`, each with its derivation: dim V; parameters minus the
  dimension of the symmetry group (which acts with finite stabilizers at generic weights; for linear networks
  the exact dimension of the determinantal variety); and, for σ = x^r, the width cap, the composition bound
  through a hidden layer and the span bounds, applied recursively to blocks of layers.  It is at most
  :func:`expected_dimension`.
* When the rank reaches the upper bound, the dimension is **proved**, by that rank alone, whatever the prime and
  the random point.  So the first rank is computed modulo :data:`PROOF_PRIME`, below 2^23, where the elimination is
  faster; when it reaches the bound, that is the answer (``ranks`` and ``primes``: that rank and that prime).
  Otherwise (a note says so) the ranks modulo ``primes`` follow, as if that first rank had not been computed; the
  primes after the first that reaches the bound are not computed (``ranks`` and ``primes`` list those computed).
  Otherwise the rank is the dimension unless the random point (θ, a) is a zero of the nonzero maximal
  minors, which by the Schwartz–Zippel lemma has probability at most ``rank · (deg_θ f − 1 + D) / p`` for
  each prime; the primes use independent points, so both fail with at most the product (reported as
  ``error_bound``).  The ranks modulo the two primes must agree (retried with new points, then an error).
* For σ = x^r without biases the ranks are those of the *width-capped* network
  (:func:`~neurom2.variety.bounds.width_capped`), which has the same neuromanifold from fewer weights; every
  statement above holds for it, hence for M.  Ranks are kept per process by network, bound, seed and primes
  (:func:`jacobian_ranks`), so a sweep computes each capped network once per worker.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from neurom2 import progress
from neurom2.cost import Estimate, guard
from neurom2.deadline import Deadline
from neurom2.errors import Neurom2Error
from neurom2.model.architecture import Architecture
from neurom2.model.jacobian import FloatArithmetic, ModularArithmetic, evaluation_jacobian, modular_rank_at_most
from neurom2.model.space import AmbientSpace
from neurom2.typeset import Typeset
from neurom2.variety.bounds import Bound, upper_bound, width_capped

PRIMES: tuple[int, ...] = (2_147_483_647, 2_147_483_629)
"""Two primes below 2^31, so that products of two residues fit in int64."""
PROOF_PRIME = 8_388_593
"""The largest prime below 2^23, for the first rank, which proves the dimension when it reaches the proved bound,
whatever the prime: modulo it the rank of a large matrix is computed by panels in float64
(:func:`~neurom2.exact.residues.rank_by_panels`; a 514 × 522 matrix in about 14 ms against 29 ms modulo PRIMES[0])."""

METHOD = "rank of the evaluation Jacobian (backpropagation at random inputs) modulo primes"


def expected_dimension(arch: Architecture, space: AmbientSpace | None = None) -> int:
    """Parameter count minus the dimension of the weight symmetries, capped by dim V (an upper bound).

    For linear networks (monomial degree 1, see :attr:`Architecture.monomial_degree`) the symmetry groups
    GL(d_i) need not act with finite stabilizers, so the exact count is used instead: the determinantal
    variety of d_L × d_0 matrices of rank ≤ r = min(d_i) has dimension r(d_0 + d_L − r), plus d_L for
    the last bias.
    """
    space = space or AmbientSpace.of(arch)
    if arch.monomial_degree == 1:
        r = min(arch.widths)
        return min(space.dim, r * (arch.input_dim + arch.output_dim - r) + (arch.output_dim if arch.bias else 0))
    return min(space.dim, arch.n_params - arch.symmetry_dim)


def weight_degree(arch: Architecture) -> int:
    """The total degree of the network's outputs as polynomials in θ: δ_1 = 1, δ_{l+1} = r·δ_l + 1."""
    degree = 1
    for _ in range(arch.depth - 1):
        degree = arch.activation.degree * degree + 1
    return degree


class DimensionFacts:
    """Expected dimension, defect and filling, for results that have ``architecture``, ``space``, ``dim``."""

    architecture: Architecture
    space: AmbientSpace
    dim: int

    @property
    def expected_dim(self) -> int:
        """Parameters minus symmetries, capped by dim V."""
        return expected_dimension(self.architecture, self.space)

    @property
    def defect(self) -> int:
        """Expected minus computed dimension."""
        return self.expected_dim - self.dim

    @property
    def fills(self) -> bool:
        """Whether the Zariski closure over C is all of V."""
        return self.dim == self.space.dim


@dataclass(frozen=True, kw_only=True)
class Dimension(DimensionFacts, Typeset):
    """The dimension of a neuromanifold, with what was proved about it (typeset: :mod:`neurom2.typeset`)."""

    architecture: Architecture
    space: AmbientSpace
    dim: int
    proved: bool
    """True when the computed rank reached the proved upper bound :attr:`bound`."""
    bound: Bound
    """The best proved upper bound, with its derivation (:mod:`neurom2.variety.bounds`)."""
    ranks: tuple[int, ...]
    primes: tuple[int, ...]
    error_bound: float
    """Probability bound for dim > the reported value (0 when proved)."""
    seed: int | None
    """The seed of the computation's random choices (None: fresh entropy); the same seed gives the same answer."""
    float_rank: int | None = None
    seconds: float = 0.0
    method: str = METHOD
    notes: tuple[str, ...] = field(default_factory=tuple)

    def to_json(self) -> dict[str, Any]:
        """The dimension as JSON (``neurom2 dim --json``; docs/schemas/dim.schema.json)."""
        arch = self.architecture
        return {
            "widths": list(arch.widths),
            "activation": str(arch.activation),
            "bias": arch.bias,
            "n_params": arch.n_params,
            "ambient": self.space.describe(),
            "ambient_dim": self.space.dim,
            "dim": self.dim,
            "expected_dim": self.expected_dim,
            "defect": self.defect,
            "fills": self.fills,
            "proved": self.proved,
            "upper_bound": self.bound.value,
            "upper_bound_reason": self.bound.reason,
            "upper_bound_derivation": self.bound.to_json(),
            "error_bound": self.error_bound,
            "method": self.method,
            "primes": list(self.primes),
            "ranks": list(self.ranks),
            "float_rank": self.float_rank,
            "seed": self.seed,
            "seconds": round(self.seconds, 6),
        }


def rank_modulo(arch: Architecture, p: int, rng: np.random.Generator, n_points: int, ceiling: int) -> int:
    """Rank modulo p of the evaluation Jacobian at a random θ and ``n_points`` random inputs, given a proved upper
    bound ``ceiling`` for dim M (hence for that rank; :func:`~neurom2.model.jacobian.modular_rank_at_most`)."""
    points = rng.integers(0, p, size=(n_points, arch.input_dim), dtype=np.int64)
    theta = rng.integers(0, p, size=arch.n_params).tolist()
    return modular_rank_at_most(evaluation_jacobian(arch, theta, points, ModularArithmetic(p)), p, ceiling, rng)


def float_rank(arch: Architecture, rng: np.random.Generator, n_points: int) -> int:
    """Numerical rank (singular values above 1e-9 of the largest) of the float evaluation Jacobian.

    A cross-check only: for high degrees the Veronese matrix is badly conditioned and this can be low.
    """
    points = rng.uniform(-1, 1, size=(n_points, arch.input_dim))
    jac = evaluation_jacobian(arch, rng.uniform(-1, 1, arch.n_params), points, FloatArithmetic())
    singular = np.linalg.svd(jac, compute_uv=False)
    return int(np.sum(singular > 1e-9 * singular[0])) if singular.size and singular[0] > 0 else 0


def rank_estimate(arch: Architecture, space: AmbientSpace | None = None) -> Estimate:
    """The cost of :func:`dimension`: the evaluation Jacobian (rows = sample inputs × outputs, columns =
    weights) as int64 residues, twice (numpy and FLINT), its forward pass, and Gaussian elimination."""
    space = space or AmbientSpace.of(arch)
    rows = min(space.monomial_count, math.ceil(expected_dimension(arch, space) / arch.output_dim) + 2) * arch.output_dim
    cols = arch.n_params
    activations = space.monomial_count * sum(arch.widths)
    memory = 8 * (2 * rows * cols + 3 * activations)
    operations = len(PRIMES) * (rows * cols * min(rows, cols) + rows * cols * max(arch.widths))
    return Estimate(f"a {rows} × {cols} Jacobian modulo {len(PRIMES)} primes", memory, operations)


_RANKS: dict[tuple[Any, ...], tuple[tuple[int, ...], tuple[int, ...], tuple[str, ...]]] = {}
"""Ranks already computed in this process, by network, bound, seed and primes (a batch worker meets the same
width-capped network many times); cleared when it holds :data:`RANKS_KEPT` entries."""
RANKS_KEPT = 100_000


def forget_ranks() -> None:
    """Empty the ranks kept by :func:`jacobian_ranks` (for benchmarks that time the same computation repeatedly)."""
    _RANKS.clear()


def shared_work(architecture: Architecture, options: Mapping[str, Any]) -> Hashable | None:
    """What :func:`dimension` keeps in the process for ``architecture`` with these options (the ``dim`` task's
    :attr:`~neurom2.tasks.Task.shares`): the ranks of its width-capped network at the seed; None without a seed."""
    seed = options.get("seed", 0)
    return None if seed is None else (width_capped(architecture), seed)


def jacobian_ranks(network: Architecture, bound: int, seed: int | None, primes: tuple[int, ...],
                   deadline: Deadline) -> tuple[tuple[int, ...], tuple[int, ...], tuple[str, ...]]:
    """The ranks of the evaluation Jacobian of ``network`` at points drawn from ``seed``, the primes they are modulo,
    and notes: the rank modulo :data:`PROOF_PRIME` when it reaches the proved ``bound`` (a proof); otherwise the ranks
    modulo ``primes`` in turn, up to the first that reaches the bound.  Each time, enough sample inputs for rank
    ``bound`` are taken first, all monomials if that rank falls short.

    The ranks are a function of the arguments (the points come from ``seed``), so with a seed they are kept for the
    process."""
    key = (network, bound, seed, primes)
    if seed is not None and key in _RANKS:
        return _RANKS[key]
    rng = np.random.default_rng(seed)
    space = AmbientSpace.of(network)
    monomials = space.monomial_count
    # Fewer sample inputs suffice when the rank is bounded well below dim V; all monomials if not.
    few = min(monomials, math.ceil(bound / network.output_dim) + 2)
    estimate = rank_estimate(network, space)

    def ranks_at(count: int, moduli: tuple[int, ...]) -> tuple[int, ...]:
        found: list[int] = []
        for k, p in enumerate(moduli, start=1):
            deadline.check()
            progress.step(k, len(moduli), f"rank of a {count * network.output_dim} × {network.n_params} Jacobian "
                          "modulo prime", estimate.seconds / len(PRIMES) * (len(moduli) - k + 1))
            found.append(rank_modulo(network, p, rng, count, bound))
            if found[-1] == bound:
                break
        return tuple(found)

    count = few
    first = ranks_at(count, (PROOF_PRIME,))
    if first != (bound,) and few < monomials:
        count, first = monomials, ranks_at(monomials, (PROOF_PRIME,))
    if first == (bound,):
        answer: tuple[tuple[int, ...], tuple[int, ...], tuple[str, ...]] = first, (PROOF_PRIME,), ()
    else:
        answer = _probable_ranks(lambda inputs: ranks_at(inputs, primes), few, monomials, bound, primes)
        answer = answer[0], answer[1], (f"the rank modulo {PROOF_PRIME} at {count} inputs, {first[0]}, is below the "
                                        f"proved bound {bound}: computed again modulo {', '.join(map(str, primes))}",
                                        *answer[2])
    if len(_RANKS) >= RANKS_KEPT:
        _RANKS.clear()
    _RANKS[key] = answer
    return answer


def _probable_ranks(ranks_at: Callable[[int], tuple[int, ...]], few: int, monomials: int, bound: int,
                    primes: tuple[int, ...]) -> tuple[tuple[int, ...], tuple[int, ...], tuple[str, ...]]:
    """The ranks ``ranks_at(count)`` modulo ``primes`` at ``few`` sample inputs, then at all ``monomials`` if they fall
    short of ``bound``; retried with new points while they disagree (three times, then an error)."""
    notes: list[str] = []
    for _attempt in range(3):
        ranks = ranks_at(few)
        if few < monomials and min(ranks) < bound:
            few = monomials
            ranks = ranks_at(few)
        if len(set(ranks)) == 1:
            return ranks, primes[:len(ranks)], tuple(notes)
        notes.append(f"ranks {ranks} modulo {primes} disagreed; retried with new random points")
    raise Neurom2Error(f"Jacobian ranks modulo {primes} disagree three times: {ranks}; please report this")


def dimension(
    architecture: Architecture | str | Sequence[int],
    activation: str | None = None,
    *,
    bias: bool | None = None,
    float_check: bool = False,
    seed: int | None = 0,
    timeout: Deadline | float | None = None,
    force: bool = False,
    primes: Sequence[int] = PRIMES,
) -> Dimension:
    """dim M by exact ranks modulo :data:`PROOF_PRIME`, then if needed modulo ``primes`` (see the module docstring for
    what is proved).

    A single affine map (L = 1) is answered at once: its outputs are every point of V.  Otherwise the cost
    is estimated first (:func:`rank_estimate`, refused beyond the size guard unless ``force``), and
    ``timeout`` (seconds, or a :class:`Deadline`) is checked between the rank computations.  The network is an
    :class:`Architecture` or widths with an activation (``dimension("3,2,1", "x^2")``; :meth:`Architecture.coerce`).
    """
    arch = Architecture.coerce(architecture, activation, bias)
    started = time.perf_counter()
    space = AmbientSpace.of(arch)
    bound = upper_bound(arch)
    if arch.depth == 1:
        return Dimension(architecture=arch, space=space, dim=space.dim, proved=True, bound=bound, ranks=(), primes=(),
                         error_bound=0.0, seed=seed, float_rank=None, seconds=time.perf_counter() - started,
                         method="a single affine map: its outputs W x (+ b) are every point of V, so M = V")
    network = width_capped(arch)
    guard(rank_estimate(network, space), force)
    ranks, used, notes = jacobian_ranks(network, bound.value, seed, tuple(primes), Deadline.coerce(timeout))
    if network != arch:
        notes = (f"ranks computed for the widths {network.widths}: the width cap leaves M unchanged", *notes)
    dim = ranks[0]
    proved = dim == bound.value
    per_prime = [min(1.0, dim * (weight_degree(arch) - 1 + space.top_degree) / p) for p in used]
    error_bound = 0.0 if proved else math.prod(per_prime)
    checked = float_rank(arch, np.random.default_rng(seed), space.monomial_count) if float_check else None
    return Dimension(
        architecture=arch,
        space=space,
        dim=dim,
        proved=proved,
        bound=bound,
        ranks=ranks,
        primes=used,
        error_bound=error_bound,
        seed=seed,
        float_rank=checked,
        seconds=time.perf_counter() - started,
        notes=notes,
    )
