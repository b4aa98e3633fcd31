"""Jacobians of the parametrization, in floating point and exactly modulo primes.

Instead of expanding c(θ) symbolically, neurom2 differentiates the network *at sample inputs*:
for points a_1..a_m with Veronese matrix A (rows v(a_j)), the evaluation Jacobian ∂f_θ(a_j)/∂θ equals
(A ⊗ I_{dL}) ∂c/∂θ, so its rank is at most that of ∂c/∂θ and equal to it when A has full column rank.
Derivatives come from one reverse-mode (backpropagation) sweep per output, vectorised over the points;
:func:`pullback` gives a vector-Jacobian product (a loss gradient) in one sweep, and
:class:`CoefficientReader` reads c(θ) and ∂c/∂θ from values at fixed points.
Modulo a prime p every quantity is an exact residue in [0, p) held in int64 (p < 2^31)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from neurom2.exact.residues import rank_modulo_prime
from neurom2.model.architecture import Architecture
from neurom2.model.space import AmbientSpace


class FloatArithmetic:
    """Floating-point numpy arithmetic."""

    def convert(self, values) -> np.ndarray:
        """The values as a float64 array."""
        if isinstance(values, np.ndarray) and values.dtype.kind in "fiu":
            return values.astype(np.float64, copy=False)
        return np.asarray([float(v) for v in values], dtype=np.float64)

    def matmul(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """Matrix product."""
        return a @ b

    def mul(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """Entrywise product."""
        return a * b

    def add(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """Entrywise sum."""
        return a + b


@dataclass(frozen=True)
class ModularArithmetic:
    """Exact arithmetic in Z/p on int64 arrays of residues, p < 2^31."""

    p: int

    def convert(self, values) -> np.ndarray:
        """The residues of integers and rationals (ZeroDivisionError for a denominator divisible by p)."""
        return np.asarray([v % self.p if type(v) is int else self.residue(v) for v in values], dtype=np.int64)

    def residue(self, value) -> int:
        """The residue of a rational number modulo p (ValueError when p divides its denominator)."""
        q = Fraction(value)
        if q.denominator % self.p == 0:
            raise ZeroDivisionError(f"{q} has no residue modulo {self.p}")
        return q.numerator * pow(q.denominator, -1, self.p) % self.p

    def matmul(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """Matrix product modulo p, exact in int64."""
        # Split b into 16-bit halves so that every partial sum stays below 2^63.
        low = b & 0xFFFF
        high = b >> 16
        return ((a @ high % self.p) * 65536 + a @ low) % self.p

    def mul(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """Entrywise product modulo p."""
        return a * b % self.p

    def add(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """Entrywise sum modulo p."""
        return (a + b) % self.p


Arithmetic = FloatArithmetic | ModularArithmetic
Weights = Sequence | np.ndarray
"""θ as a flat sequence or a numpy vector, in :attr:`Architecture.weight_names` order."""


def _polynomial(arith: Arithmetic, consts: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Horner evaluation entrywise of a univariate polynomial, its ascending coefficients converted by
    ``arith``."""
    acc = np.full_like(values, consts[-1])
    for c in consts[-2::-1]:
        acc = arith.mul(acc, values)
        if c:
            acc = arith.add(acc, c)
    return acc


def _layers(arch: Architecture, arith: Arithmetic, weights: Weights) -> list[tuple[np.ndarray, np.ndarray | None]]:
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


def _forward(arch: Architecture, arith: Arithmetic, weights: Weights, points: np.ndarray):
    """Forward pass at ``points`` (shape ``(m, d0)``): the layers, their inputs a_0..a_{L-1} and the
    pre-activations z_1..z_L, each of shape ``(width, m)``."""
    layers = _layers(arch, arith, weights)
    sigma = arith.convert(arch.activation.coefficients)
    inputs = [np.asarray(points).T]
    pre = []
    for l, (matrix, bias) in enumerate(layers, start=1):
        z = arith.matmul(matrix, inputs[-1])
        if bias is not None:
            z = arith.add(z, np.broadcast_to(bias, z.shape))
        pre.append(z)
        if l < len(layers):
            inputs.append(_polynomial(arith, sigma, z))
    return layers, inputs, pre


def network_values(arch: Architecture, weights: Weights, points: np.ndarray, arith: Arithmetic) -> np.ndarray:
    """f_θ(a_j) for the points a_j (rows of ``points``), shape ``(m, dL)``."""
    return _forward(arch, arith, weights, points)[2][-1].T


def _backpropagate(arch: Architecture, arith: Arithmetic, layers, inputs, pre, delta: np.ndarray):
    """Reverse-mode sweep from an output cotangent ``delta`` (shape ``(dL, m)``): yields, for l = L..1,
    the layer's input a_{l-1} (shape ``(d_{l-1}, m)``) and δ_l = ∂⟨delta, f⟩/∂z_l (shape ``(d_l, m)``),
    pointwise in the m points.  The gradient of layer l is δ_l a_{l-1}ᵀ for W_l and δ_l for b_l."""
    derivative = arith.convert(arch.activation.derivative_coefficients())
    slopes = [_polynomial(arith, derivative, z) for z in pre[:-1]]
    for l in range(len(layers), 0, -1):
        yield inputs[l - 1], delta
        if l > 1:
            delta = arith.mul(arith.matmul(layers[l - 1][0].T, delta), slopes[l - 2])


def evaluation_jacobian(arch: Architecture, weights: Weights, points: np.ndarray, arith: Arithmetic) -> np.ndarray:
    """∂f_θ(a_j)_k / ∂θ as a matrix with rows indexed by (point j, output k) and columns by θ.

    ``points`` has shape ``(m, d0)`` (floats, or residues for modular arithmetic).
    """
    layers, inputs, pre = _forward(arch, arith, weights, points)
    m = inputs[0].shape[1]
    blocks = np.zeros((m, arch.output_dim, arch.n_params), dtype=inputs[0].dtype)
    for k in range(arch.output_dim):
        delta = np.zeros_like(pre[-1])
        delta[k] = 1
        columns = []
        for a, delta_l in _backpropagate(arch, arith, layers, inputs, pre, delta):
            grad_w = arith.mul(delta_l[:, None, :], a[None, :, :]).reshape(-1, m)
            columns.append(np.concatenate([grad_w, delta_l]) if arch.bias else grad_w)
        blocks[:, k, :] = np.concatenate(columns[::-1]).T
    return blocks.reshape(m * arch.output_dim, arch.n_params)


def pullback(arch: Architecture, weights: Weights, points: np.ndarray, arith: Arithmetic):
    """Reverse mode at θ: ``(values, vjp)`` with ``values`` = f_θ(a_j) (shape ``(m, dL)``) and
    ``vjp(cotangent)`` = Σ_{j,k} cotangent[j, k] ∂f_θ(a_j)_k/∂θ (a vector in θ's order), one backward sweep
    per call, without forming :func:`evaluation_jacobian`.  For the squared loss Σ_j ‖f_θ(a_j) − b_j‖²
    the gradient is ``vjp(2 * (values - outputs))``."""
    layers, inputs, pre = _forward(arch, arith, weights, points)
    ones = np.ones((inputs[0].shape[1], 1), dtype=inputs[0].dtype)

    def vjp(cotangent: np.ndarray) -> np.ndarray:
        layer_gradients = []  # from the last layer to the first
        for a, delta in _backpropagate(arch, arith, layers, inputs, pre, np.asarray(cotangent).T):
            grad_w = arith.matmul(delta, a.T).ravel()
            layer_gradients.append(np.concatenate([grad_w, arith.matmul(delta, ones).ravel()]) if arch.bias else grad_w)
        return np.concatenate(layer_gradients[::-1])

    return pre[-1].T, vjp


@dataclass(frozen=True, eq=False)
class CoefficientReader:
    """Reads coefficients in V from network values at fixed sample points, in floating point.

    With ``points`` a_1..a_m whose Veronese matrix A (rows v(a_j), V's monomial order) has full column
    rank, f(a_j) = v(a_j) C_f determines C_f = A⁺ (f(a_j))_j; likewise ∂c/∂θ = A⁺ ∂f(a_j)/∂θ.  Rows of the
    results follow V's coordinate order (output-major, then monomials).  The rounding error grows with the
    condition number of A, modest for Gaussian points in low degree."""

    architecture: Architecture
    points: np.ndarray
    solver: np.ndarray
    """A⁺, shape ``(N, m)``."""

    @classmethod
    def at_points(cls, arch: Architecture, points: np.ndarray) -> CoefficientReader:
        """The reader that recovers coefficients from the network's values at these input points."""
        return cls(arch, points, np.linalg.pinv(AmbientSpace.of(arch).veronese(points)))

    @classmethod
    def at_random_points(cls, arch: Architecture, rng: np.random.Generator) -> CoefficientReader:
        """At 2N standard Gaussian points, N the number of monomials per output."""
        count = 2 * len(AmbientSpace.of(arch).monomials)
        return cls.at_points(arch, rng.standard_normal((count, arch.input_dim)))

    def coefficients(self, weights: Weights) -> np.ndarray:
        """c(θ), a vector in V's coordinate order."""
        values = network_values(self.architecture, weights, self.points, FloatArithmetic())
        return (self.solver @ values).T.ravel()

    def jacobian(self, weights: Weights) -> np.ndarray:
        """∂c/∂θ: rows in V's coordinate order, columns in θ's order."""
        arch = self.architecture
        jac = evaluation_jacobian(arch, weights, self.points, FloatArithmetic())
        per_output = jac.reshape(len(self.points), arch.output_dim, arch.n_params)
        return np.concatenate([self.solver @ per_output[:, k, :] for k in range(arch.output_dim)])


def coefficient_jacobian(arch: Architecture, weights: Weights, rng: np.random.Generator) -> np.ndarray:
    """∂c/∂θ in floating point, read at 2·dim(V) Gaussian points (:class:`CoefficientReader`)."""
    return CoefficientReader.at_random_points(arch, rng).jacobian(weights)


def modular_rank(matrix: np.ndarray, p: int) -> int:
    """Rank over Z/p of a numpy array of residues (by FLINT, without converting entry by entry:
    :func:`~neurom2.exact.residues.rank_modulo_prime`)."""
    return rank_modulo_prime(matrix, p)


SKETCH_SLACK = 8
"""Columns of the sketch of :func:`modular_rank_at_most` beyond the known ceiling of the rank."""
SKETCH_SPREAD = 2
"""Into how many columns of the sketch each column of the matrix is added (with one column each, the sketch of a
published (2,…,2) Jacobian of rank = bound missed it 30 times in 100; with two, none of 248 did)."""
SKETCH_WIDTH = 2
"""The sketch is taken only for matrices with at least this many times its columns: on 300 published (2,…,2)
Jacobians modulo a prime below 2^30, the sketch and its rank cost more than FLINT's rank of the whole matrix up to
about twice the sketch's width (on average 22 against 16 ms at 1.25 times, 7.2 against 7.7 ms at 2 times)."""


def modular_rank_at_most(matrix: np.ndarray, p: int, ceiling: int, rng: np.random.Generator) -> int:
    """Rank over Z/p of a numpy array of residues M whose rank is known to be at most ``ceiling``.

    When M has at least :data:`SKETCH_WIDTH` times ceiling + :data:`SKETCH_SLACK` columns, first the rank of the
    sketch M·S, S a sparse random matrix with ceiling + SKETCH_SLACK columns: each column of M, times random nonzero
    residues, is added into :data:`SKETCH_SPREAD` of them (random balanced assignments).  rank(M·S) ≤ rank(M) ≤
    ceiling, so a sketch of rank ``ceiling`` gives the rank of M; otherwise the rank of M itself is computed.  The
    sketch is cheaper when M has many more columns than its rank (a Jacobian has one column per weight)."""
    columns = ceiling + SKETCH_SLACK
    if matrix.shape[1] >= SKETCH_WIDTH * columns:
        sketch = np.add.reduce([_scattered(matrix, p, columns, rng) for _ in range(SKETCH_SPREAD)]) % p
        if modular_rank(sketch, p) == ceiling:
            return ceiling
    return modular_rank(matrix, p)


def _scattered(matrix: np.ndarray, p: int, columns: int, rng: np.random.Generator) -> np.ndarray:
    """M·S modulo p for S with one random nonzero residue in each row, in a random column (each column of S gets
    the same number of rows, up to one): the columns of M in a random order, scaled, summed in consecutive runs.
    Entries of M are residues < 2^31, so each product, and each sum of fewer than 2^32 of them, fits in int64."""
    count = matrix.shape[1]
    scaled = matrix[:, rng.permutation(count)] * np.asarray(rng.integers(1, p, size=count)) % p
    return np.add.reduceat(scaled, np.arange(columns) * count // columns, axis=1) % p
