"""Training with the squared loss as distance minimization in function space.

A dataset S = ((a_1, b_1), ..., (a_m, b_m)) ⊂ QQ^{d0} × QQ^{dL} is an *ordered* list of pairs.  For an
ambient space V = (R[x]_K)^{dL} (:mod:`neurom2.model.space`) with per-output monomial basis m_1, ..., m_N:

* ``A`` is the m × N data matrix with row j = v(a_j) = (m_1(a_j), ..., m_N(a_j)) (rows in the order of
  the data, columns in neurom2's monomial order: total degree ascending, then exponent vectors in
  descending lexicographic order), and ``B`` the m × dL matrix with row j = b_j;
* a function f ∈ V is its N × dL coefficient matrix C_f, column k = the coefficients of output k, so that
  f(a_j) = v(a_j) C_f.  The flat coefficient vector of V's coordinate order (``c{k}_{e}``: output-major,
  then monomials) is C_f read column by column;
* Q = AᵀA (the Gram matrix of the inputs), g = A⁺B (A⁺ the Moore–Penrose pseudoinverse), and
  ‖C‖²_Q = tr(CᵀQC).

The slides' proposition is the identity, exact over QQ,

    L(f) = Σ_j ‖f(a_j) − b_j‖² = ‖A C_f − B‖²_F = ‖C_f − A⁺B‖²_Q + (‖B‖²_F − ‖A A⁺ B‖²_F),

so minimizing L over a neuromanifold M ⊆ V is minimizing the (pseudo)distance ‖C_f − g‖_Q to the target
g = A⁺B; the constant is L at the least-squares optimum over all of V.  ‖·‖_Q is only a pseudometric when
rank Q < N, which happens whenever |S| < N.  Q depends only on the inputs, and it is a *moment matrix*:
its entry (i, j) = Σ_j m_i(a_j) m_j(a_j) depends only on the product monomial m_i·m_j
(:class:`MomentPattern`; for one input, Q is a Hankel matrix of power sums), whereas g = A⁺B can be any
N × dL matrix when A has full column rank (:func:`dataset_with_target`).

Loss landscape: for a network f_θ with coefficients c(θ), ∇_θ L(f_θ) = J(θ)ᵀ ∇_c L(c(θ)) with
J = ∂c/∂θ and ∇_c L = 2Q(C − A⁺B) = 2(QC − AᵀB), flattened in coordinate order
(:func:`parameter_gradient`).

Arithmetic: matrices are python-flint ``fmpq_mat`` over QQ (exact; the pseudoinverse of a 40 × 28 data
matrix takes about 50 ms, against 0.6 s with sympy's ``Matrix.pinv``); scalars and vectors handed back are
``fractions.Fraction``, like :meth:`Parametrization.coefficients_at`.  Inputs may be ints, Fractions, sympy Rationals, flint
``fmpq``, decimal strings such as ``"1/3"``, or floats (read as the exact binary rational they denote).
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from functools import cached_property

import numpy as np
from flint import fmpq, fmpq_mat

from neurom2.exact.linear import pseudoinverse
from neurom2.exact.rationals import fmpq as as_fmpq
from neurom2.exact.rationals import fmpq_matrix, fraction
from neurom2.model.architecture import Architecture
from neurom2.model.jacobian import coefficient_jacobian
from neurom2.model.parametrization import Parametrization, forward
from neurom2.model.space import AmbientSpace, Exponents
from neurom2.training.dataset import Dataset, data_matrices, input_points, monomial_value, veronese_matrix

SpaceLike = Architecture | AmbientSpace
Coefficients = fmpq_mat | Sequence


# --- data ---------------------------------------------------------------------------------------------------


def random_dataset(space: SpaceLike, size: int, rng: random.Random, height: int = 9) -> Dataset:
    """``size`` random pairs with entries p/q, |p| ≤ height, 1 ≤ q ≤ height (generic enough to test)."""
    return Dataset.draw(_space(space), size, rng, height)


def gram_matrix(space: SpaceLike, inputs: Dataset | Sequence[Sequence]) -> fmpq_mat:
    """Q = AᵀA (N × N over QQ).  A function of the inputs alone: outputs, if given, are not read."""
    a = veronese_matrix(space, inputs)
    return a.transpose() * a


def gram_rank(space: SpaceLike, inputs: Dataset | Sequence[Sequence]) -> int:
    """rank Q = rank A ≤ min(|S|, N); ‖·‖_Q is a genuine norm on V only when it equals N."""
    return veronese_matrix(space, inputs).rank()


# --- the loss and its decomposition --------------------------------------------------------------------------


@dataclass(frozen=True)
class LossDecomposition:
    """L(f) = distance + constant, distance = ‖C_f − A⁺B‖²_Q, constant = ‖B‖²_F − ‖AA⁺B‖²_F."""

    distance: Fraction
    constant: Fraction

    @property
    def total(self) -> Fraction:
        """The loss: distance plus constant."""
        return self.distance + self.constant


def coefficient_matrix(space: SpaceLike, coefficients: Coefficients) -> fmpq_mat:
    """C_f (N × dL) from a flat vector in V's coordinate order (output-major), or C_f itself."""
    space = _space(space)
    n = len(space.monomials)
    if isinstance(coefficients, fmpq_mat):
        if (coefficients.nrows(), coefficients.ncols()) != (n, space.n_outputs):
            raise ValueError(f"expected a {n} × {space.n_outputs} coefficient matrix")
        return coefficients
    if len(coefficients) != space.dim:
        raise ValueError(f"{space.describe()} has dimension {space.dim}, got {len(coefficients)} coefficients")
    flat = [as_fmpq(v) for v in coefficients]
    return fmpq_mat(n, space.n_outputs, [flat[k * n + i] for i in range(n) for k in range(space.n_outputs)])


def coefficient_vector(matrix: fmpq_mat) -> tuple[Fraction, ...]:
    """The flat vector of V's coordinate order (column by column) of an N × dL coefficient matrix."""
    return tuple(fraction(matrix[i, k]) for k in range(matrix.ncols()) for i in range(matrix.nrows()))


def q_norm_squared(matrix: fmpq_mat, gram: fmpq_mat) -> Fraction:
    """‖C‖²_Q = tr(CᵀQC)."""
    product = matrix.transpose() * gram * matrix
    return fraction(sum((product[k, k] for k in range(product.nrows())), fmpq(0)))


def loss(space: SpaceLike, data: Dataset, coefficients: Coefficients) -> Fraction:
    """L(f) = ‖A C_f − B‖²_F = Σ_{(a,b) ∈ S} ‖f(a) − b‖², exactly."""
    a, b = data_matrices(space, data)
    return _frobenius_squared(a * coefficient_matrix(space, coefficients) - b)


def loss_decomposition(space: SpaceLike, data: Dataset, coefficients: Coefficients) -> LossDecomposition:
    """L(f) = ‖C_f − A⁺B‖²_Q + const, both parts exact (see :class:`LossDecomposition`)."""
    a, b = data_matrices(space, data)
    target = pseudoinverse(a) * b
    distance = q_norm_squared(coefficient_matrix(space, coefficients) - target, a.transpose() * a)
    return LossDecomposition(distance, _frobenius_squared(b) - _frobenius_squared(a * target))


def least_squares_loss(space: SpaceLike, data: Dataset) -> Fraction:
    """min_{f ∈ V} L(f) = ‖B‖²_F − ‖AA⁺B‖²_F, the constant of the decomposition."""
    a, b = data_matrices(space, data)
    return _frobenius_squared(b) - _frobenius_squared(a * pseudoinverse(a) * b)


def loss_gradient(space: SpaceLike, data: Dataset, coefficients: Coefficients) -> tuple[Fraction, ...]:
    """∇_c L = 2Q(C − A⁺B), as a flat vector in V's coordinate order (output-major)."""
    a, b = data_matrices(space, data)
    matrix = coefficient_matrix(space, coefficients)
    return coefficient_vector((a.transpose() * a * (matrix - pseudoinverse(a) * b)) * 2)


def dataset_with_target(space: SpaceLike, inputs: Dataset | Sequence[Sequence], coefficients: Coefficients) -> Dataset:
    """The dataset ((a_j, f(a_j))) with outputs B = A C for a prescribed f ∈ V.

    When A has full column rank (|S| ≥ N and generic inputs), A⁺A = I, so its target A⁺B is exactly the
    prescribed C: the target reaches every point of V, unlike Q, which is confined to moment matrices.
    """
    space = _space(space)
    b = veronese_matrix(space, inputs) * coefficient_matrix(space, coefficients)
    outputs = tuple(tuple(fraction(v) for v in row) for row in b.tolist())
    return Dataset(tuple(tuple(fraction(v) for v in a) for a in input_points(inputs)), outputs)


# --- moment matrices -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MomentPattern:
    """The linear space of moment matrices of a space: Q = Σ_α y_α E_α, E_α = Σ_{m_i m_j = x^α} e_i e_jᵀ.

    ``labels[i][j]`` is the exponent vector of m_i·m_j; ``moments`` lists the distinct ones in neurom2's
    monomial order (total degree ascending, then descending lexicographic).  Every Gram matrix AᵀA lies in
    this space, with y_α = Σ_a a^α the power sums of the inputs.  Its dimension is the number of distinct
    products, e.g. 2D + 1 (Hankel matrices) for one input and R[x]_{≤D}, and 15 < 21 = 6·7/2 for two
    inputs and R[x,y]_{≤2}.
    """

    space: AmbientSpace

    @cached_property
    def labels(self) -> tuple[tuple[Exponents, ...], ...]:
        """The moment of each entry of AᵀA: the product of its row's and column's monomials."""
        monomials = self.space.monomials
        return tuple(tuple(_product(e, f) for f in monomials) for e in monomials)

    @cached_property
    def moments(self) -> tuple[Exponents, ...]:
        """The distinct moments, by degree, then in descending lexicographic order."""
        return tuple(sorted({e for row in self.labels for e in row}, key=lambda e: (sum(e), tuple(-v for v in e))))

    @property
    def size(self) -> int:
        """N, the number of monomials per output."""
        return len(self.space.monomials)

    @property
    def dim(self) -> int:
        """The dimension of the space of moment matrices: the number of distinct products m_i·m_j."""
        return len(self.moments)

    @property
    def symmetric_dim(self) -> int:
        """N(N+1)/2, the dimension of all symmetric N × N matrices."""
        return self.size * (self.size + 1) // 2

    def basis(self) -> tuple[fmpq_mat, ...]:
        """The 0/1 matrices E_α, in the order of :attr:`moments`."""
        return tuple(self.matrix({alpha: 1}) for alpha in self.moments)

    def matrix(self, moments: Mapping[Exponents, object]) -> fmpq_mat:
        """Σ_α y_α E_α for the values y_α in ``moments`` (missing α count as 0)."""
        values = {alpha: as_fmpq(y) for alpha, y in moments.items()}
        zero = fmpq(0)
        return fmpq_mat(self.size, self.size, [values.get(e, zero) for row in self.labels for e in row])

    def power_sums(self, inputs: Dataset | Sequence[Sequence]) -> dict[Exponents, Fraction]:
        """y_α = Σ_a a^α over the inputs, for every α in :attr:`moments`."""
        points = input_points(inputs)
        return {alpha: fraction(sum((monomial_value(alpha, a) for a in points), fmpq(0))) for alpha in self.moments}

    def contains(self, matrix: fmpq_mat) -> bool:
        """Whether ``matrix`` is a moment matrix: its entries agree wherever the labels agree."""
        if (matrix.nrows(), matrix.ncols()) != (self.size, self.size):
            return False
        seen: dict[Exponents, fmpq] = {}
        for i, row in enumerate(self.labels):
            for j, alpha in enumerate(row):
                if seen.setdefault(alpha, matrix[i, j]) != matrix[i, j]:
                    return False
        return True


def moment_pattern(space: SpaceLike) -> MomentPattern:
    """The :class:`MomentPattern` of a space (of an architecture's ambient space)."""
    return MomentPattern(_space(space))


def is_moment_matrix(matrix: fmpq_mat, space: SpaceLike) -> bool:
    """Whether an N × N matrix lies in the span of the E_α of :func:`moment_pattern` (exactly)."""
    return moment_pattern(space).contains(_as_matrix(matrix))


# --- the loss landscape in parameter space -------------------------------------------------------------------


def network_loss(architecture: Architecture, weights: Sequence, data: Dataset) -> Fraction:
    """L(f_θ) computed directly: the network is run (exactly) on every input with :func:`forward`."""
    theta = [fraction(w) for w in weights]
    total = Fraction(0)
    for a, b in data.pairs():
        values = forward(architecture, theta, list(a))
        total += sum((v - w) ** 2 for v, w in zip(values, b))
    return total


def loss_polynomial(architecture: Architecture | Parametrization, data: Dataset):
    """θ ↦ L(f_θ) as a polynomial in QQ[θ] (``Parametrization.weight_ring``), by running the network with
    symbolic weights on the data: the loss landscape itself, independent of function space.  Expanding it
    is expensive beyond small networks (seconds for tens of weights and data points)."""
    param = _parametrization(architecture)
    ring = param.weight_ring
    total = ring.zero
    for a, b in data.pairs():
        values = forward(param.architecture, list(ring.gens), [ring(v) for v in a])
        for v, w in zip(values, b):
            total += (v - ring(w)) ** 2
    return total


def exact_coefficient_jacobian(architecture: Architecture | Parametrization, weights: Sequence) -> fmpq_mat:
    """J(θ) = ∂c/∂θ at rational θ, exactly: rows in V's coordinate order, columns in θ's order."""
    param = _parametrization(architecture)
    theta = [as_fmpq(w) for w in weights]
    gens = param.weight_ring.gens
    entries = [_evaluate(p.diff(x), theta) for p in param.polynomials for x in gens]
    return fmpq_mat(len(param.polynomials), len(gens), entries)


def parameter_gradient(architecture: Architecture | Parametrization, weights: Sequence, data: Dataset) -> tuple[Fraction, ...]:
    """∇_θ L(f_θ) = J(θ)ᵀ ∇_c L(c(θ)), through function space, exactly over QQ.

    ``c(θ)`` comes from :meth:`Parametrization.coefficients_at`, J from :func:`exact_coefficient_jacobian`
    and ∇_c L = 2Q(C − A⁺B) from :func:`loss_gradient`; entries follow θ's order.  Pass a
    :class:`Parametrization` to reuse its polynomials across calls.
    """
    param = _parametrization(architecture)
    coefficients = param.coefficients_at(weights)
    grad_c = fmpq_mat(param.space.dim, 1, [as_fmpq(v) for v in loss_gradient(param.space, data, coefficients)])
    grad = exact_coefficient_jacobian(param, weights).transpose() * grad_c
    return tuple(fraction(grad[i, 0]) for i in range(grad.nrows()))


def parameter_gradient_float(architecture: Architecture, weights: Sequence, data: Dataset,
                             rng: np.random.Generator) -> np.ndarray:
    """The same chain rule with J in floating point, from :func:`neurom2.model.jacobian.coefficient_jacobian`
    (no expansion of c(θ) in θ, so it scales to networks whose polynomials are too large to expand);
    ∇_c L is exact at c(θ), θ read as exact binary rationals."""
    space = AmbientSpace.of(architecture)
    grad_c = np.array([float(v) for v in loss_gradient(space, data, Parametrization(architecture).coefficients_at(weights))])
    theta = np.asarray([float(w) for w in weights])
    return coefficient_jacobian(architecture, theta, rng).T @ grad_c


# --- helpers -------------------------------------------------------------------------------------------------


def _space(space: SpaceLike) -> AmbientSpace:
    return AmbientSpace.of(space) if isinstance(space, Architecture) else space


def _parametrization(architecture: Architecture | Parametrization) -> Parametrization:
    return architecture if isinstance(architecture, Parametrization) else Parametrization(architecture)


def _as_matrix(matrix) -> fmpq_mat:
    return matrix if isinstance(matrix, fmpq_mat) else fmpq_matrix(matrix)


def _evaluate(poly, point: Sequence[fmpq]) -> fmpq:
    # Term by term: PolyElement.__call__ substitutes one variable at a time through intermediate rings,
    # about 100 times slower here.
    total = fmpq(0)
    for monom, coeff in poly.terms():
        term = as_fmpq(coeff)
        for x, e in zip(point, monom):
            if e:
                term *= x**e
        total += term
    return total


def _product(e: Exponents, f: Exponents) -> Exponents:
    return tuple(u + v for u, v in zip(e, f))


def _frobenius_squared(matrix: fmpq_mat) -> Fraction:
    return fraction(sum((v * v for row in matrix.tolist() for v in row), fmpq(0)))
