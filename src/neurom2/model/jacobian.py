"""Jacobians of the parametrization, in floating point and exactly modulo primes.

Instead of expanding c(θ) symbolically, neurom2 differentiates the network *at sample inputs*:
for points a_1..a_m with Veronese matrix A (rows v(a_j)), the evaluation Jacobian ∂f_θ(a_j)/∂θ equals
(A ⊗ I_{dL}) ∂c/∂θ, so its rank is at most that of ∂c/∂θ and equal to it when A has full column rank.
Derivatives come from one reverse-mode (backpropagation) sweep per output, vectorised over the points.
Modulo a prime p every quantity is an exact residue in [0, p) held in int64 (p < 2^31)."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Sequence

import flint
import numpy as np

from neurom2.model.architecture import Architecture
from neurom2.model.space import AmbientSpace

class FloatArithmetic:
    """Floating-point numpy arithmetic."""

    def convert(self, values) -> np.ndarray:
        return np.asarray([float(v) for v in values], dtype=np.float64)

    def matmul(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        return a @ b

    def mul(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        return a * b

    def add(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        return a + b


@dataclass(frozen=True)
class ModularArithmetic:
    """Exact arithmetic in Z/p on int64 arrays of residues, p < 2^31."""

    p: int

    def convert(self, values) -> np.ndarray:
        residues = []
        for v in values:
            q = Fraction(v)
            if q.denominator % self.p == 0:
                raise ZeroDivisionError(f"{q} has no residue modulo {self.p}")
            residues.append(q.numerator * pow(q.denominator, -1, self.p) % self.p)
        return np.asarray(residues, dtype=np.int64)

    def matmul(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        # Split b into 16-bit halves so that every partial sum stays below 2^63.
        low = b & 0xFFFF
        high = b >> 16
        return ((a @ high % self.p) * 65536 + a @ low) % self.p

    def mul(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        return a * b % self.p

    def add(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        return (a + b) % self.p


Arithmetic = FloatArithmetic | ModularArithmetic


def _polynomial(arith: Arithmetic, coefficients: Sequence[Fraction], values: np.ndarray) -> np.ndarray:
    """Horner evaluation of a univariate polynomial (ascending coefficients) entrywise."""
    consts = arith.convert(coefficients)
    acc = np.zeros_like(values) + consts[-1]
    for c in consts[-2::-1]:
        acc = arith.add(arith.mul(acc, values), np.zeros_like(values) + c)
    return acc


def _layers(arch: Architecture, arith: Arithmetic, weights: Sequence) -> list[tuple[np.ndarray, np.ndarray | None]]:
    theta = arith.convert(weights)
    layers, position = [], 0
    for rows, cols in arch.weight_shapes:
        matrix = theta[position:position + rows * cols].reshape(rows, cols)
        position += rows * cols
        bias = None
        if arch.bias:
            bias = theta[position:position + rows].reshape(rows, 1)
            position += rows
        layers.append((matrix, bias))
    return layers


def _forward(arch: Architecture, arith: Arithmetic, weights: Sequence, points: np.ndarray):
    """Forward pass at ``points`` (shape ``(m, d0)``): the layers, their inputs a_0..a_{L-1} and the
    pre-activations z_1..z_L, each of shape ``(width, m)``."""
    layers = _layers(arch, arith, weights)
    inputs = [np.asarray(points).T]
    pre = []
    for l, (matrix, bias) in enumerate(layers, start=1):
        z = arith.matmul(matrix, inputs[-1])
        if bias is not None:
            z = arith.add(z, np.broadcast_to(bias, z.shape))
        pre.append(z)
        if l < len(layers):
            inputs.append(_polynomial(arith, arch.activation.coefficients, z))
    return layers, inputs, pre


def network_values(arch: Architecture, weights: Sequence, points: np.ndarray, arith: Arithmetic) -> np.ndarray:
    """f_θ(a_j) for the points a_j (rows of ``points``), shape ``(m, dL)``."""
    return _forward(arch, arith, weights, points)[2][-1].T


def evaluation_jacobian(arch: Architecture, weights: Sequence, points: np.ndarray, arith: Arithmetic) -> np.ndarray:
    """∂f_θ(a_j)_k / ∂θ as a matrix with rows indexed by (point j, output k) and columns by θ.

    ``points`` has shape ``(m, d0)`` (floats, or residues for modular arithmetic).
    """
    layers, inputs, pre = _forward(arch, arith, weights, points)
    dsigma = arch.activation.derivative_coefficients()
    m = inputs[0].shape[1]
    slopes = [_polynomial(arith, dsigma, z) for z in pre[:-1]]
    blocks = np.zeros((m, arch.output_dim, arch.n_params), dtype=inputs[0].dtype)
    for k in range(arch.output_dim):
        delta = np.zeros_like(pre[-1])
        delta[k] = 1
        columns = []
        for l in range(len(layers), 0, -1):
            matrix, bias = layers[l - 1]
            a = inputs[l - 1]
            grad_w = arith.mul(delta[:, None, :], a[None, :, :]).reshape(-1, m)
            columns.append(np.concatenate([grad_w, delta]) if bias is not None else grad_w)
            if l > 1:
                delta = arith.mul(arith.matmul(matrix.T, delta), slopes[l - 2])
        blocks[:, k, :] = np.concatenate(columns[::-1]).T
    return blocks.reshape(m * arch.output_dim, arch.n_params)


def coefficient_jacobian(arch: Architecture, weights: Sequence, rng: np.random.Generator) -> np.ndarray:
    """∂c/∂θ in floating point: the evaluation Jacobian at 2·dim(V) Gaussian points, solved against
    the Veronese matrix by least squares.  Rows follow the coordinate order of :mod:`neurom2.model.space`."""
    space = AmbientSpace.of(arch)
    m = len(space.monomials)
    points = rng.standard_normal((2 * m, arch.input_dim))
    jac = evaluation_jacobian(arch, weights, points, FloatArithmetic())
    per_output = jac.reshape(2 * m, arch.output_dim, arch.n_params)
    veronese = space.veronese(points)
    blocks = [np.linalg.lstsq(veronese, per_output[:, k, :], rcond=None)[0] for k in range(arch.output_dim)]
    return np.concatenate(blocks)


def modular_matrix(matrix: np.ndarray, p: int) -> flint.nmod_mat:
    """A numpy array of residues as a python-flint matrix over Z/p."""
    rows, cols = matrix.shape
    return flint.nmod_mat(rows, cols, matrix.ravel().tolist(), p)


def modular_rank(matrix: np.ndarray, p: int) -> int:
    """Rank over Z/p of a numpy array of residues."""
    return 0 if 0 in matrix.shape else modular_matrix(matrix, p).rank()
