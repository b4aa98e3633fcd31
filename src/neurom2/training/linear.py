"""The loss landscape of a linear network by the classical theorems: whitening and Eckart–Young, no Lagrange
ideal and no Macaulay2.

A network of monomial degree 1 without biases computes x ↦ W x, W a d_L × d_0 matrix of rank ≤ r = min(widths)
(:mod:`neurom2.variety.determinantal`); with biases x ↦ W x + b, b free, reduced to the former by
:class:`Biases`.  In V's coordinates (row k of W = output k's coefficients, in the
space's monomial order) the loss is L(W) = tr((W − T) Q (W − T)ᵀ) + const, Q = AᵀA, T = uᵀ (u = A⁺B,
:class:`~neurom2.training.critical.Metric`).  With Q = R Rᵀ positive definite, W ↦ W R preserves the rank, and
L = ‖W R − T R‖²_F + const: the distance to the *whitened target* T R.  If the squared singular values
λ_1 > … > λ_m > 0 of T R (m = min(d_L, d_0)) are distinct and nonzero, the critical points of the distance on
the rank-k matrices (the smooth part of {rank ≤ k}) are exactly the C(m, k) partial SVDs, one for each k-subset S
of the singular triples, with loss const + Σ_{i ∉ S} λ_i (classical; Draisma–Horobeţ–Ottaviani–Sturmfels–Thomas,
*The Euclidean distance degree of an algebraic variety*, Example 2.3); the global minimum over {rank ≤ k} is
S = the top k (Eckart–Young–Mirsky, for any spectrum); the Hessian of L on the rank-k manifold at S has index
#{(i, j): i ∈ S, j ∉ S, λ_j > λ_i}: each such pair spans a direction, turning the i-th singular vectors toward
the j-th, along which L decreases (the tests compare it with the bordered Hessian of the Lagrange method).

Exactly, without square roots: the λ_i are the eigenvalues of the rational matrix K = T Q Tᵀ (d_L ≤ d_0) or
K = Q Tᵀ T (d_L > d_0) — the same nonzero spectrum — the roots of its characteristic polynomial p over QQ.
K is similar to a symmetric matrix, hence diagonalizable, and the partial SVD of S pulled back by R is
W_S = P_S T (resp. T P_S), P_S = Σ_{i ∈ S} q_i(K) / q_i(λ_i), q_i = p / (x − λ_i), the spectral projector of K
onto the eigenvalues in S.  When p splits over QQ every point and loss is an exact rational; otherwise each
eigenvalue is a real algebraic number (a root of p with an isolating ball), and the coordinates and losses are
certified balls in Arb ball arithmetic.  Every real matrix of rank ≤ r is a network (a real rank factorization
spread over the layers), so the minimum over M(R) is attained (proved).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from itertools import combinations
from math import comb
from typing import Any

import flint

from neurom2.cost import Estimate
from neurom2.exact.rationals import fmpq as as_fmpq
from neurom2.exact.rationals import fraction
from neurom2.exact.roots import precision, real_roots
from neurom2.model.architecture import Architecture
from neurom2.model.space import AmbientSpace
from neurom2.training.critical import BITS, Metric, interval_text

OPERATIONS_PER_ENTRY = 1e4
"""Nominal cost of one coordinate of one critical point: ~6 µs measured for (10,5,10) (252 points of 100
coordinates in 0.15 s, ball arithmetic and Python objects), at the size guard's 1e9 operations a second."""
BYTES_PER_ENTRY = 400
"""Memory of one coordinate of one critical point: an Arb ball, its certified text and its float."""


def applies(arch: Architecture, metric: Metric) -> bool:
    """Whether the closed form applies: a linear network (with or without biases), of depth ≥ 2, that does not
    fill V (r < min(d_0, d_L)), with a definite metric (|S| data points spanning V's monomials)."""
    return (arch.monomial_degree == 1 and arch.depth >= 2
            and min(arch.widths) < min(arch.input_dim, arch.output_dim) and metric.positive_definite)


def estimate(arch: Architecture) -> Estimate:
    """The size guard's estimate: C(m, r) critical points of d_L·d_0 coordinates each."""
    m, r = min(arch.input_dim, arch.output_dim), min(arch.widths)
    points = comb(m, r)
    entries = points * arch.input_dim * arch.output_dim
    return Estimate(f"Eckart–Young: C({m}, {r}) = {points} critical points of {arch.output_dim}×{arch.input_dim} "
                    "matrices in ball arithmetic", entries * BYTES_PER_ENTRY, entries * OPERATIONS_PER_ENTRY)


@dataclass(frozen=True)
class EckartYoungPoint:
    """The critical point W_S of L on the rank-|S| matrices (module docstring)."""

    chosen: tuple[int, ...]
    """S: indices of the eigenvalues λ_i kept, ordered by decreasing λ (0 = the largest)."""
    coordinates: tuple[Fraction, ...] | tuple[flint.arb, ...]
    """W_S in V's coordinates: exact rationals when p splits over QQ, else certified balls."""
    loss: Fraction | flint.arb
    index: int
    """Morse index on the rank-|S| manifold: #{(i, j): i ∈ S, j ∉ S, λ_j > λ_i}."""

    @property
    def exact(self) -> bool:
        """Whether the loss is an exact rational."""
        return isinstance(self.loss, Fraction)

    @property
    def type(self) -> str:
        """minimum (index 0) or saddle."""
        return "minimum" if self.index == 0 else "saddle"

    def approximate(self) -> tuple[float, ...]:
        """The coordinates as floats."""
        return tuple(as_float(v) for v in self.coordinates)

    def coefficient_texts(self) -> tuple[str, ...]:
        """Exact rationals, or Arb's certified decimal enclosures ``[mid +/- rad]`` (15 digits; fast, as there
        are C(m, r)·d_L·d_0 of them)."""
        return tuple(str(v) if isinstance(v, Fraction) else v.str(15) for v in self.coordinates)

    @property
    def loss_text(self) -> str:
        """The loss as text."""
        return text(self.loss)

    @property
    def loss_float(self) -> float:
        """The loss as a float."""
        return as_float(self.loss)


@dataclass(frozen=True)
class Biases:
    """With biases, L is a positive definite quadratic in b for each W, minimal at b_k = offset_k − slope · W_k
    (slope = Q_{1x} / Q_{11}, offset_k = u_{1,k} + slope · T_k; index 1 = the constant monomial); what remains is
    tr((W − T) S (W − T)ᵀ) + const with the Schur complement S = Q_{xx} − Q_{x1} Q_{1x} / Q_{11}: the problem
    without biases (module docstring) for S.  Its critical points lift to (W, b(W)), with the same losses and
    indices (the Hessian in b is positive definite)."""

    position: int
    """The constant monomial's index among the monomials."""
    slope: tuple[flint.fmpq, ...]
    offsets: tuple[flint.fmpq, ...]

    @classmethod
    def reduce(cls, metric: Metric, space: AmbientSpace) -> tuple[Biases, Metric]:
        """The biases' solution and the metric of the reduced problem in W (Schur complement, linear part of u)."""
        size, outputs = len(space.monomials), space.n_outputs
        position = space.monomials.index((0,) * space.n_inputs)
        linear = [i for i in range(size) if i != position]
        q = [[metric.gram[i][j] for j in range(size)] for i in range(size)]
        slope = tuple(q[position][j] / q[position][position] for j in linear)
        schur = [[q[i][j] - q[i][position] * q[position][j] / q[position][position] for j in linear] for i in linear]
        target = [[metric.center[k * size + i] for i in linear] for k in range(outputs)]
        offsets = tuple(metric.center[k * size + position] + sum((a * t for a, t in zip(slope, target[k])), Fraction(0))
                        for k in range(outputs))
        reduced = Metric.from_matrices(space, schur, [[target[k][i] for k in range(outputs)] for i in range(len(linear))],
                                       metric.constant)
        return cls(position, tuple(map(as_fmpq, slope)), tuple(map(as_fmpq, offsets))), reduced

    def lift(self, w: Sequence[Any], outputs: int) -> list[Any]:
        """V's coordinates of (W, b(W)), W given row by row."""
        inputs = len(self.slope)
        result = []
        for k in range(outputs):
            row = list(w[k * inputs:(k + 1) * inputs])
            bias = self.offsets[k] - sum((a * v for a, v in zip(self.slope, row)), 0 * row[0])
            result += row[:self.position] + [bias] + row[self.position:]
        return result


@dataclass(frozen=True, kw_only=True)
class WhitenedTarget:
    """The spectrum of the whitened target T R and the spectral projectors of K (module docstring)."""

    metric: Metric
    outputs: int
    inputs: int
    k: flint.fmpq_mat
    polynomial: flint.fmpq_poly
    """p, the characteristic polynomial of K over QQ."""
    eigenvalues: tuple[flint.fmpq, ...] | tuple[flint.arb, ...]
    """λ_1 ≥ … ≥ λ_m: exact when p splits over QQ, else isolating balls."""
    biases: Biases | None = None

    @classmethod
    def of(cls, metric: Metric, space: AmbientSpace) -> WhitenedTarget:
        """From the loss on V (with biases: reduced to W by :class:`Biases`)."""
        biases = None
        if (0,) * space.n_inputs in space.monomials:
            biases, metric = Biases.reduce(metric, space)
        outputs = space.n_outputs
        inputs = metric.n // outputs
        q = flint.fmpq_mat(inputs, inputs, [as_fmpq(metric.gram[i][j]) for i in range(inputs) for j in range(inputs)])
        t = flint.fmpq_mat(outputs, inputs, [as_fmpq(v) for v in metric.center])
        k = t * q * t.transpose() if outputs <= inputs else q * t.transpose() * t
        polynomial = k.charpoly()
        return cls(metric=metric, outputs=outputs, inputs=inputs, k=k, polynomial=polynomial,
                   eigenvalues=_eigenvalues(polynomial), biases=biases)

    @property
    def size(self) -> int:
        """m = min(d_L, d_0)."""
        return self.k.nrows()

    @property
    def exact(self) -> bool:
        """Whether p splits over QQ (every eigenvalue rational)."""
        return all(isinstance(v, flint.fmpq) for v in self.eigenvalues)

    @property
    def generic(self) -> bool:
        """Whether the eigenvalues are distinct and nonzero (p squarefree with p(0) ≠ 0): then the critical points
        on each stratum are isolated and C(m, k) in number."""
        p = self.polynomial
        return p[0] != 0 and flint.fmpq_poly.gcd(p, p.derivative()).degree() == 0

    def matrix(self, entries: flint.fmpq_mat) -> Any:
        """A rational matrix in the field of the eigenvalues: itself when p splits over QQ, else an Arb matrix."""
        return entries if self.exact else flint.arb_mat(entries)

    def projectors(self) -> list[Any]:
        """P_i = q_i(K) / q_i(λ_i) for each eigenvalue (requires :attr:`generic`)."""
        size = self.size
        k, identity = self.matrix(self.k), self.matrix(flint.fmpq_mat(size, size, [int(i == j) for i in range(size)
                                                                                    for j in range(size)]))
        coefficients = [self._number(fraction(c)) for c in self.polynomial.coeffs()]
        result = []
        for value in self.eigenvalues:
            quotient = _deflate(coefficients, value)  # q_i = p / (x − λ_i), highest degree first
            total = identity * 0
            for c in quotient:
                total = total * k + identity * c
            result.append(total / _horner(quotient, value))
        return result

    def points(self, rank: int) -> list[EckartYoungPoint]:
        """The C(m, rank) critical points on the rank-``rank`` matrices, by increasing loss."""
        with precision(BITS):
            projectors = self.projectors()
            target = self.matrix(flint.fmpq_mat(self.outputs, self.inputs, [as_fmpq(v) for v in self.metric.center]))
            total = sum(self.eigenvalues, self._number(Fraction(0)))
            points = []
            for chosen in combinations(range(self.size), rank):
                projector = projectors[chosen[0]]
                for i in chosen[1:]:
                    projector = projector + projectors[i]
                matrix = projector * target if self.outputs <= self.inputs else target * projector
                kept = sum((self.eigenvalues[i] for i in chosen), self._number(Fraction(0)))
                loss = self._number(self.metric.constant) + total - kept
                index = sum(1 for i in chosen for j in range(self.size) if j not in chosen and j < i)
                entries = [matrix[i, j] for i in range(self.outputs) for j in range(self.inputs)]
                if self.biases is not None:
                    entries = self.biases.lift(entries, self.outputs)
                if self.exact:
                    points.append(EckartYoungPoint(chosen, tuple(map(fraction, entries)), fraction(loss), index))
                else:
                    points.append(EckartYoungPoint(chosen, tuple(entries), loss, index))
        return sorted(points, key=lambda p: p.loss_float)

    def least_loss(self, rank: int) -> flint.fmpq | flint.arb:
        """min of L over the matrices of rank ≤ ``rank``: const + the sum of the m − rank least eigenvalues
        (Eckart–Young–Mirsky, for any spectrum)."""
        with precision(BITS):
            total: flint.fmpq | flint.arb = self._number(self.metric.constant)
            for value in self.eigenvalues[rank:]:
                total = total + value
            return total

    def _number(self, value: Fraction) -> Any:
        return as_fmpq(value) if self.exact else flint.arb(as_fmpq(value))


def _eigenvalues(polynomial: flint.fmpq_poly) -> tuple[flint.fmpq, ...] | tuple[flint.arb, ...]:
    """The roots of p, decreasing: rationals when p splits over QQ, else isolating balls at BITS bits."""
    _, factors = polynomial.factor()
    if all(f.degree() == 1 for f, _ in factors):
        values = [-f[0] / f[1] for f, e in factors for _ in range(e)]
        return tuple(sorted(values, key=lambda v: -float(v)))
    with precision(BITS):
        balls = [root for f, e in factors for root in real_roots(f, BITS) for _ in range(e)]
    return tuple(sorted(balls, key=lambda b: -float(b.mid())))


def _deflate(coefficients: Sequence[Any], root: Any) -> list[Any]:
    """p / (x − root) by synthetic division, ``coefficients`` lowest degree first; the result highest first."""
    result: list[Any] = []
    carry: Any = 0
    for c in reversed(coefficients[1:]):
        carry = carry * root + c
        result.append(carry)
    return result


def _horner(coefficients: Sequence[Any], value: Any) -> Any:
    """q(value) for q given highest degree first."""
    total: Any = 0
    for c in coefficients:
        total = total * value + c
    return total


def as_float(value: Fraction | flint.fmpq | flint.arb) -> float:
    """A rational or the midpoint of a ball, as a float."""
    return float(value.mid()) if isinstance(value, flint.arb) else float(value)


def text(value: Fraction | flint.fmpq | flint.arb) -> str:
    """An exact rational, or a certified interval ``[lo, hi]``."""
    return interval_text(value) if isinstance(value, flint.arb) else str(value)


__all__ = ["EckartYoungPoint", "WhitenedTarget", "applies", "as_float", "estimate", "text"]
