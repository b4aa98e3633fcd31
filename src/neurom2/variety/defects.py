"""Proved dimensions of one-hidden-layer blocks below parameters − symmetries: normal-form certificates.

A Jacobian rank at a random point proves only a *lower* bound for dim M.  This module proves the dimension of a
block (n, h, o), σ = x^r (r ≥ 2), no biases, *exactly*, by the rank of the Jacobian over a field of rational
functions, on a normal form of the weights; where that rank is below parameters − rescalings (the
:func:`~neurom2.variety.bounds.upper_bound` rule *parameters*), the block is *defective* and the certificate is
a proved upper bound that the other rules cannot give.  :data:`PROVED_DEFECTS` lists the defective blocks
proved this way; :mod:`neurom2.variety.bounds` consults it (rule *proved defect*), and every entry is
recomputed from scratch by :func:`certify` (tests/test_defects.py).

**The normal form** (h ≥ n + 1, o ≤ h).  θ(t) = (W_1(t), W_2(t)) with

    W_1 = [I_n ; 1 ⋯ 1 ; P(t)],   P: (h − n − 1) × n, last column 1, other entries parameters,
    W_2 = [I_o | C(t)],           C: o × (h − o), every entry a parameter,

k = (h − n − 1)(n − 1) + o(h − o) parameters t in all.

**Theorem.**  Let ρ be the rank of the Jacobian J(θ) = ∂c/∂θ (all n h + h o weights) at θ = θ(t), over Q(t).
If the map Φ: GL_n × GL_o × (C*)^h × C^k → Θ, (g, f, τ, t) ↦ (diag(τ) W_1(t) g, f W_2(t) diag(τ)^(−r)), has a
surjective differential at one point, then dim M(n, h, o) = ρ.

*Proof.*  c(Φ(g, f, τ, t)) = f · c(θ(t)) ∘ g: for fixed (g, f, τ), Φ is a linear automorphism of Θ and
(f, g) acts by a linear automorphism of V, so rank J(Φ(g, f, τ, t)) = rank J(θ(t)) (chain rule; the
rescalings τ leave c unchanged).  A morphism of irreducible varieties whose differential is surjective at a
point is dominant, so the image of Φ contains a dense open subset of Θ, and so does the image of
GL_n × GL_o × (C*)^h × U for the dense open set U ⊆ C^k where rank J(θ(t)) = ρ.  Every ρ + 1 minor of J(θ(t))
is the zero polynomial, so rank J ≤ ρ on the image of Φ, hence on a dense set of Θ, hence everywhere (the
minors vanish on its closure); and rank J = ρ on a nonempty open set.  The generic rank of J is dim M (over C,
in characteristic 0).  ∎

Both ranks are exact: ρ by Gaussian elimination over Q(t) (sympy's rational functions, :func:`rank_over_fractions`),
the differential of Φ at an integer point over Q (python-flint); the rank over Q(t) is the rank over C(t).
For (4, 6, 5), σ = x², the geometry behind the defect: the six quadric cones through six
general points of P^3 with vertex at one of them span a net (dimension 3, not 4), which gives a one-dimensional
family in the generic fiber beyond the six rescalings: dim M = 54 − 6 − 1 = 47 < 48.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import flint
from sympy.polys.domains import QQ
from sympy.polys.fields import FracElement
from sympy.polys.rings import PolyElement, PolyRing, ring

from neurom2.model.architecture import Architecture
from neurom2.model.parametrization import Parametrization

PROVED_DEFECTS: dict[int, dict[tuple[int, int, int], int]] = {
    2: {(4, 5, 3): 29, (4, 6, 5): 47},
    3: {(3, 5, 2): 19, (5, 7, 1): 34},
    4: {(3, 5, 1): 14},
}
"""σ = x^r → {(n, h, o): dim M}: the blocks proved below parameters − rescalings by :func:`certify`, found by
comparing the Jacobian rank with the other proved bounds (σ = x²: n ≤ 6, o ≤ 8; σ = x³: n ≤ 4, o ≤ 6; σ = x⁴:
n ≤ 3, o ≤ 6), and the Alexander–Hirschowitz exception (5, 7, 1) for σ = x³.  (6, 8, 3) for σ = x² (rank 62) is
defective too, but its normal form has 20 parameters and the elimination over Q(t) did not finish; its bound 62
comes from the rule *three-output flattening* of :mod:`neurom2.variety.bounds` instead."""


def proved_dimension(r: int, widths: tuple[int, ...]) -> int | None:
    """dim M(widths) for σ = x^r when :data:`PROVED_DEFECTS` has it, else None."""
    return PROVED_DEFECTS.get(r, {}).get(widths) if len(widths) == 3 else None


@dataclass(frozen=True, kw_only=True)
class DefectCertificate:
    """dim M(widths) = ``dimension`` for σ = x^r, proved by the theorem of the module docstring."""

    widths: tuple[int, int, int]
    r: int
    dimension: int
    """ρ: the rank of the Jacobian on the normal form, over Q(t)."""
    parameters: int
    """Number of weights n h + h o."""
    normal_form_parameters: int
    """k: the number of parameters t of the normal form."""
    orbit_rank: int
    """The rank of the differential of Φ at ``point``: the theorem needs ``parameters``."""
    point: tuple[int, ...]
    """The integer point t where the differential of Φ was evaluated (g, f, τ = identity)."""
    seconds: float

    @property
    def dominant(self) -> bool:
        """Whether the normal form's orbits are dense (the orbit map's differential has full rank)."""
        return self.orbit_rank == self.parameters

    @property
    def rescalings(self) -> int:
        """The number of rescalings, one per hidden neuron."""
        return self.widths[1]

    @property
    def extra_fiber(self) -> int:
        """The dimension of the generic fiber beyond the h rescalings: parameters − h − dim M."""
        return self.parameters - self.rescalings - self.dimension

    def to_json(self) -> dict[str, Any]:
        """The certificate as JSON."""
        return {"widths": list(self.widths), "activation": f"x^{self.r}", "dimension": self.dimension,
                "parameters": self.parameters, "rescalings": self.rescalings, "extra_fiber": self.extra_fiber,
                "normal_form_parameters": self.normal_form_parameters, "orbit_rank": self.orbit_rank,
                "dominant": self.dominant, "point": list(self.point), "seconds": round(self.seconds, 3)}


class NormalForm:
    """The normal form θ(t) of the module docstring for the block (n, h, o), σ = x^r."""

    def __init__(self, widths: tuple[int, int, int], r: int) -> None:
        n, h, o = widths
        if not (h >= n + 1 and o <= h and r >= 2):
            raise ValueError(f"no normal form for the block {widths} with σ = x^{r} (needs h ≥ n + 1, o ≤ h, r ≥ 2)")
        self.widths, self.r = widths, r
        self.architecture = Architecture.create(widths, f"x^{r}")
        self.count = (h - n - 1) * (n - 1) + o * (h - o)

    @cached_property
    def ring(self) -> PolyRing:
        """Q[t_1..t_k]."""
        return ring(",".join(f"t{i}" for i in range(1, self.count + 1)), QQ)[0]

    def matrices(self, t: list[Any], one: Any) -> tuple[list[list[Any]], list[list[Any]]]:
        """(W_1(t), W_2(t)) with entries ``one``·(0 or 1) and the values ``t`` (ring elements or numbers)."""
        n, h, o = self.widths
        values = iter(t)
        unit = [[one if i == j else 0 * one for j in range(n)] for i in range(n)]
        rows = [[next(values) for _ in range(n - 1)] + [one] for _ in range(h - n - 1)]
        first = unit + [[one] * n] + rows
        second = [[one if i == j else 0 * one for j in range(o)] + [next(values) for _ in range(h - o)] for i in range(o)]
        return first, second

    def theta(self, t: list[Any], one: Any) -> list[Any]:
        """θ(t) in the weight order of :mod:`neurom2.model.architecture` (W_1 then W_2, row by row)."""
        first, second = self.matrices(t, one)
        return [x for row in first + second for x in row]

    def jacobian(self) -> list[list[PolyElement]]:
        """J(θ(t)) = ∂c/∂θ at the normal form: one row per coordinate of V, one column per weight, in Q[t]."""
        parametrization = Parametrization(self.architecture)
        theta = self.theta(list(self.ring.gens), self.ring.one)
        return [[_substitute(c.diff(w), theta, self.ring) for w in parametrization.weight_ring.gens]
                for c in parametrization.polynomials]

    def rank(self) -> int:
        """ρ: the rank of :meth:`jacobian` over Q(t), by exact elimination (:func:`rank_over_fractions`)."""
        field = self.ring.to_field()
        return rank_over_fractions([[field(x) for x in row] for row in self.jacobian()])

    def orbit_rank(self, point: list[int]) -> int:
        """The rank over Q of the differential of Φ at (identity, identity, 1, ``point``)."""
        return int(flint.fmpq_mat(self.orbit_tangents(point)).rank())

    def orbit_tangents(self, point: list[int]) -> list[list[int]]:
        """The columns of dΦ at (identity, identity, 1, t = ``point``) as rows: gl_n, gl_o, the torus, ∂θ/∂t_i."""
        n, h, o = self.widths
        first, second = self.matrices(point, 1)
        tangents = []
        for a in range(n):  # W_1 ↦ W_1 (I + ε E_ab)
            for b in range(n):
                tangents.append(_flat([[first[i][a] if j == b else 0 for j in range(n)] for i in range(h)], _zero(o, h)))
        for a in range(o):  # W_2 ↦ (I + ε E_ab) W_2
            for b in range(o):
                tangents.append(_flat(_zero(h, n), [[second[b][j] if i == a else 0 for j in range(h)] for i in range(o)]))
        for k in range(h):  # neuron k: its input weights · (1 + ε), its output weights · (1 − r ε)
            tangents.append(_flat([[first[i][j] if i == k else 0 for j in range(n)] for i in range(h)],
                                  [[-self.r * second[i][j] if j == k else 0 for j in range(h)] for i in range(o)]))
        for e in range(self.count):  # ∂θ/∂t_e
            unit = [1 if i == e else 0 for i in range(self.count)]
            tangents.append([x - y for x, y in zip(self.theta([p + u for p, u in zip(point, unit)], 1),
                                                     self.theta(point, 1))])
        return tangents


def rank_over_fractions(rows: list[list[FracElement]]) -> int:
    """The rank of a matrix over a field of rational functions, by Gaussian elimination that pivots on an entry with
    the fewest terms (the constant entries of the normal form first, which keeps the entries small: sympy's own
    elimination over Q(t) takes a minute where this takes a second)."""
    remaining = [row for row in rows if any(row)]
    rank = 0
    while remaining:
        _, i, j = min((len(x.numer.terms()) + len(x.denom.terms()), i, j)
                      for i, row in enumerate(remaining) for j, x in enumerate(row) if x)
        pivot = remaining.pop(i)
        reduced = (_eliminate(row, pivot, j) for row in remaining)
        remaining = [row for row in reduced if any(row)]
        rank += 1
    return rank


def _eliminate(row: list[FracElement], pivot: list[FracElement], j: int) -> list[FracElement]:
    """``row`` minus the multiple of ``pivot`` that clears its entry j."""
    if not row[j]:
        return row
    factor = row[j] / pivot[j]
    return [a - factor * b if b else a for a, b in zip(row, pivot)]


def _zero(rows: int, cols: int) -> list[list[int]]:
    return [[0] * cols for _ in range(rows)]


def _flat(first: list[list[int]], second: list[list[int]]) -> list[int]:
    return [x for row in first + second for x in row]


def _substitute(poly: PolyElement, values: list[PolyElement], target: PolyRing) -> PolyElement:
    """poly(values): each generator of poly's ring replaced by an element of ``target``."""
    result = target.zero
    for exponents, coefficient in poly.terms():
        term = target(coefficient)
        for value, e in zip(values, exponents):
            if e:
                term *= value ** e
        result += term
    return result


def certify(widths: tuple[int, int, int], r: int, seed: int = 0, attempts: int = 3) -> DefectCertificate:
    """The exact dimension of the block ``widths`` for σ = x^r by the theorem of the module docstring.

    The differential of Φ is tried at up to ``attempts`` random integer points (entries in [−9, 9]); if none is
    surjective the certificate says so (``dominant`` false) and proves nothing."""
    started = time.perf_counter()
    form = NormalForm(widths, r)
    rng = random.Random(seed)
    parameters = form.architecture.n_params
    for _ in range(attempts):
        point = [rng.randint(-9, 9) for _ in range(form.count)]
        orbit = form.orbit_rank(point)
        if orbit == parameters:
            break
    return DefectCertificate(widths=widths, r=r, dimension=form.rank(), parameters=parameters, normal_form_parameters=form.count,
                             orbit_rank=orbit, point=tuple(point),
                             seconds=time.perf_counter() - started)


__all__ = ["PROVED_DEFECTS", "DefectCertificate", "NormalForm", "certify", "proved_dimension", "rank_over_fractions"]
