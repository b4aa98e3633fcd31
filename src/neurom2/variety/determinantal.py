"""Linear networks: the neurovariety is a determinantal variety, and its ideal is written down.

A network of monomial degree 1 (σ = a·x, or with biases any affine σ; see
:attr:`~neurom2.model.architecture.Architecture.monomial_degree`) computes x ↦ W x (+ b), where
W = a^(L-1) W_L ⋯ W_1 is a d_L × d_0 matrix.  Such products are exactly the matrices of rank ≤ r,
r = min(d_0, …, d_L) (any matrix of rank ≤ r factors through every width ≥ r), and with biases b is free
(the last layer's bias).  So M is the variety of d_L × d_0 matrices of rank ≤ r, times the constants.

Coordinates: W[k][j] is the coefficient of x_(j+1) in output k+1, a coordinate of V in
:class:`~neurom2.model.space.AmbientSpace` order; equations are dicts from exponent vectors over all of
V's coordinates to rational coefficients, like every ideal in :mod:`neurom2.variety.implicitization`.

What is proved, by classical theorems (not by computation):

* the (r+1)-minors of W generate the prime ideal of matrices of rank ≤ r (Eagon–Hochster 1971; Bruns and
  Vetter, *Determinantal Rings*, LNM 1327, Theorem 2.10 and Remark 2.12), so they generate I(M), and they
  form a minimal generating set (they are linearly independent forms of one degree);
* dim M = r(m + n − r) for m × n matrices, plus d_L with biases (Bruns–Vetter, Proposition 1.1);
* deg M = ∏_{i=0}^{m−r−1} (n+i)! i! / ((r+i)! (n−r+i)!) for m ≤ n (Harris, *Algebraic Geometry: A First
  Course*, Example 19.10); the free constants do not change the degree of the ideal.
"""

from __future__ import annotations

from fractions import Fraction
from itertools import combinations, permutations
from math import comb, factorial

from neurom2.cost import Estimate
from neurom2.model.architecture import Architecture
from neurom2.model.space import AmbientSpace, Exponents

PROOF = ("linear network: M is the variety of {m}×{n} matrices of rank ≤ {r}{constants}; its ideal is generated "
         "by the {size}×{size} minors (Eagon–Hochster; Bruns–Vetter, Determinantal Rings, Thm 2.10), "
         "with dim and degree from the classical formulas")


def rank_bound(arch: Architecture) -> int:
    """r = min(d_0, …, d_L): the largest rank of the network's matrix W."""
    return min(arch.widths)


def minors_estimate(arch: Architecture) -> Estimate:
    """The (r+1)-minors as dicts: C(d_L, r+1)·C(d_0, r+1) polynomials of (r+1)! terms each."""
    size = rank_bound(arch) + 1
    terms = comb(arch.output_dim, size) * comb(arch.input_dim, size) * factorial(size)
    dim_v = AmbientSpace.of(arch).dim
    return Estimate(f"{terms} terms of the {size}×{size} minors of a {arch.output_dim}×{arch.input_dim} matrix",
                    memory=terms * (8 * dim_v + 200), operations=terms * dim_v)


def minors(arch: Architecture, space: AmbientSpace, rank: int | None = None) -> list[dict[Exponents, Fraction]]:
    """The (k+1)-minors of W in V's coordinates, k = ``rank`` (default r: the ideal of M), rows and columns in
    lexicographic order of their index sets; each with the sign of the permutation expansion (its diagonal
    product has coefficient +1)."""
    size = (rank_bound(arch) if rank is None else rank) + 1
    position = {(c.output, c.exponents): i for i, c in enumerate(space.coordinates)}
    units = [tuple(int(i == j) for i in range(arch.input_dim)) for j in range(arch.input_dim)]
    entry = [[position[(k + 1, units[j])] for j in range(arch.input_dim)] for k in range(arch.output_dim)]
    signs = {p: _sign(p) for p in permutations(range(size))}
    result = []
    for rows in combinations(range(arch.output_dim), size):
        for columns in combinations(range(arch.input_dim), size):
            minor: dict[Exponents, Fraction] = {}
            for p, sign in signs.items():
                exponents = [0] * space.dim
                for i in range(size):
                    exponents[entry[rows[i]][columns[p[i]]]] = 1
                minor[tuple(exponents)] = Fraction(sign)
            result.append(minor)
    return result


def dimension(arch: Architecture) -> int:
    """dim M = r(m + n − r), plus d_L free constants with biases."""
    m, n, r = arch.output_dim, arch.input_dim, rank_bound(arch)
    return r * (m + n - r) + (arch.output_dim if arch.bias else 0)


def degree(arch: Architecture) -> int:
    """The degree of the variety of m × n matrices of rank ≤ r (1 when r ≥ min(m, n): all matrices)."""
    m, n = sorted((arch.output_dim, arch.input_dim))
    r = rank_bound(arch)
    value = Fraction(1)
    for i in range(max(m - r, 0)):
        value *= Fraction(factorial(n + i) * factorial(i), factorial(r + i) * factorial(n - r + i))
    return int(value)  # an integer: the degree of a variety


def proof(arch: Architecture) -> str:
    """Why the minors generate the ideal, in words (the theorem cited)."""
    size = rank_bound(arch) + 1
    constants = f", times the {arch.output_dim} free constants (biases)" if arch.bias else ""
    return PROOF.format(m=arch.output_dim, n=arch.input_dim, r=size - 1, size=size, constants=constants)


def _sign(permutation: tuple[int, ...]) -> int:
    inversions = sum(1 for i in range(len(permutation)) for j in range(i) if permutation[j] > permutation[i])
    return -1 if inversions % 2 else 1

