"""One affine layer and linear networks: membership decided by exact linear algebra over QQ.

(Module docstring of :mod:`neurom2.real.membership`, steps 1 and 2.)
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import flint

from neurom2.exact.rationals import fmpq_matrix, fraction
from neurom2.model.architecture import Architecture
from neurom2.model.parametrization import Parametrization
from neurom2.model.space import AmbientSpace
from neurom2.model.target import Target
from neurom2.real.membership.result import METHOD_AFFINE, METHOD_RANK, Membership
from neurom2.real.membership.weights import verify_rational


def _linear_part(arch: Architecture, target: Target) -> tuple[flint.fmpq_mat, list[Fraction]]:
    """t as (A, b): A[k][j] the coefficient of x_(j+1) in output k, b[k] its constant term (0 without biases)."""
    space = target.space
    m = len(space.monomials)
    n = arch.input_dim
    index = {e: i for i, e in enumerate(space.monomials)}
    units = [tuple(int(i == j) for i in range(n)) for j in range(n)]
    rows = [[target.coefficients[k * m + index[u]] for u in units] for k in range(arch.output_dim)]
    zero = (0,) * n
    constants = [target.coefficients[k * m + index[zero]] if zero in index else Fraction(0)
                 for k in range(arch.output_dim)]
    return fmpq_matrix(rows), constants


def decide_single_layer(arch: Architecture, target: Target, field: str) -> Membership:
    """L = 1: every point of V is a network, with the target's coefficients as weights."""
    matrix, constants = _linear_part(arch, target)
    weights: list[Fraction] = [fraction(v) for row in matrix.tolist() for v in row]
    if arch.bias:
        weights += constants
    exact = verify_rational(arch, target, weights)
    certificate = {"method": "a single affine layer computes every point of V: its weights are the target's "
                             "coefficients", "verified": "exactly, by running the network over QQ"}
    return Membership(architecture=arch, target=target, field=field, member=True, method=METHOD_AFFINE, certificate=certificate,
                      weights=tuple(map(str, weights)), exact=exact)


def decide_linear(arch: Architecture, target: Target, field: str) -> Membership:
    """Linear networks: the target's matrix must have rank ≤ min(widths); exact over QQ."""
    matrix, constants = _linear_part(arch, target)
    bound = min(arch.widths)
    rref, rank = matrix.rref()
    pivot_columns = _pivots(matrix)
    pivot_rows = _pivots(matrix.transpose())
    description = (f"x -> A x{' + b' if arch.bias else ''} where A = a^(L-1) W_L ... W_1 has rank <= min(widths) "
                   f"= {bound}{', and b is free (the last bias)' if arch.bias else ''}; the rank of the target's "
                   "matrix A is computed exactly over QQ, and equals its rank over R and over C")
    certificate: dict[str, Any] = {
        "method": description,
        "matrix": [[str(fraction(v)) for v in row] for row in matrix.tolist()],
        "rank": rank,
        "max_rank": bound,
    }
    if rank > bound:
        minor = flint.fmpq_mat([[matrix[i, j] for j in pivot_columns] for i in pivot_rows])
        certificate["minor"] = {"rows": [i + 1 for i in pivot_rows], "columns": [j + 1 for j in pivot_columns],
                                "determinant": str(fraction(minor.det()))}
        return Membership(architecture=arch, target=target, field=field, member=False, method=METHOD_RANK,
                          certificate=certificate)
    weights = _factorized_weights(arch, matrix, rref, rank, pivot_columns, constants)
    exact = verify_rational(arch, target, weights)
    certificate["verified"] = "exactly, by running the network over QQ"
    return Membership(architecture=arch, target=target, field=field, member=True, method=METHOD_RANK, certificate=certificate,
                      weights=tuple(map(str, weights)), exact=exact)


def _pivots(matrix: flint.fmpq_mat) -> list[int]:
    """The pivot columns of the reduced row echelon form: a basis of the column space."""
    rref, rank = matrix.rref()
    return [next(j for j in range(matrix.ncols()) if rref[i, j] != 0) for i in range(rank)]


def _factorized_weights(arch: Architecture, matrix: flint.fmpq_mat, rref: flint.fmpq_mat, rank: int,
                        pivot_columns: list[int], constants: list[Fraction]) -> list[Fraction]:
    """W_1 = [Q; 0], W_l = [I_rank 0; 0 0], W_L = [P / a^(L-1), 0] with A = P Q, hidden biases 0, b_L fitted."""
    L = arch.depth
    scale = arch.activation.coefficients[1] ** (L - 1)
    layers: list[list[list[Fraction]]] = []
    for l, (rows, cols) in enumerate(arch.weight_shapes, start=1):
        if l == 1:
            layer = [[fraction(rref[i, j]) if i < rank else Fraction(0) for j in range(cols)] for i in range(rows)]
        elif l == L:
            layer = [[fraction(matrix[i, pivot_columns[j]]) / scale if j < rank else Fraction(0) for j in range(cols)]
                     for i in range(rows)]
        else:
            layer = [[Fraction(int(i == j and i < rank)) for j in range(cols)] for i in range(rows)]
        layers.append(layer)
    weights = _assemble(arch, layers, [[Fraction(0)] * rows for rows, _ in arch.weight_shapes])
    if arch.bias:  # fit the last bias to the constant term
        space = AmbientSpace.of(arch)
        reached = Parametrization(arch).coefficients_at(weights)
        zero = space.monomials.index((0,) * arch.input_dim)
        biases = [[Fraction(0)] * rows for rows, _ in arch.weight_shapes]
        biases[-1] = [constants[k] - reached[k * len(space.monomials) + zero] for k in range(arch.output_dim)]
        weights = _assemble(arch, layers, biases)
    return weights


def _assemble(arch: Architecture, layers: list, biases: list) -> list:
    weights: list = []
    for layer, bias in zip(layers, biases):
        weights += [v for row in layer for v in row]
        if arch.bias:
            weights += list(bias)
    return weights
