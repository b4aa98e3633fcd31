"""Training with the squared loss is distance minimization in function space: every fact exact over QQ."""

import random
from fractions import Fraction
from math import comb

import numpy as np
import pytest
import sympy
from flint import fmpq, fmpq_mat

from neurom2 import AmbientSpace, Architecture, Parametrization
from neurom2.exact.linear import penrose_conditions, pseudoinverse
from neurom2.model.parametrization import random_rational_weights
from neurom2.training.dataset import Dataset, data_matrices, target_coefficients, veronese_matrix
from neurom2.training.loss import (
    coefficient_matrix,
    coefficient_vector,
    dataset_with_target,
    exact_coefficient_jacobian,
    gram_matrix,
    gram_rank,
    is_moment_matrix,
    least_squares_loss,
    loss,
    loss_decomposition,
    loss_gradient,
    loss_polynomial,
    moment_pattern,
    network_loss,
    parameter_gradient,
    parameter_gradient_float,
    q_norm_squared,
    random_dataset,
)

PLANE_QUADRICS = AmbientSpace(2, (0, 1, 2), 1)            # basis 1, x, y, x^2, xy, y^2 (N = 6)
SPACES = [
    PLANE_QUADRICS,
    AmbientSpace(1, (0, 1, 2, 3), 1),                     # 1, x, x^2, x^3
    AmbientSpace(2, (2,), 3),                             # (R[x,y]_2)^3: multi-output, homogeneous
    AmbientSpace(3, (1, 2), 2),                           # (R[x,y,z]_{1,2})^2: N = 9
]
NETWORKS = [
    ("2,2,1", "x^2", False),
    ("2,3,2", "x^2 + x", False),
    ("1,2,1", "x^3", True),
    ("2,2,2,1", "x^2", False),
]


def space_id(space: AmbientSpace) -> str:
    return space.describe()


def rational(rng: random.Random, height: int = 9) -> Fraction:
    return Fraction(rng.randint(-height, height), rng.randint(1, height))


def to_fmpq(value) -> fmpq:
    value = Fraction(value)
    return fmpq(value.numerator, value.denominator)


def to_fraction(value: fmpq) -> Fraction:
    return Fraction(int(value.p), int(value.q))


def random_matrix(rng: random.Random, rows: int, cols: int) -> fmpq_mat:
    return fmpq_mat(rows, cols, [to_fmpq(rational(rng)) for _ in range(rows * cols)])


def random_coefficients(space: AmbientSpace, rng: random.Random) -> list[Fraction]:
    return [rational(rng) for _ in range(space.dim)]


def evaluate(space: AmbientSpace, coefficients, point) -> list[Fraction]:
    """f(point) for f with the given flat coordinates, straight from the definition of the coordinates."""
    values = [Fraction(0)] * space.n_outputs
    for coordinate, c in zip(space.coordinates, coefficients):
        term = Fraction(c)
        for x, e in zip(point, coordinate.exponents):
            term *= Fraction(x) ** e
        values[coordinate.output - 1] += term
    return values


def direct_loss(space: AmbientSpace, coefficients, data: Dataset) -> Fraction:
    return sum(
        (sum((v - w) ** 2 for v, w in zip(evaluate(space, coefficients, a), b)) for a, b in data.pairs()),
        Fraction(0),
    )


def identity(n: int) -> fmpq_mat:
    return fmpq_mat(n, n, [int(i == j) for i in range(n) for j in range(n)])


def vectorized_rank(matrices) -> int:
    """Rank of the span of matrices, each flattened to a row."""
    rows = [v for m in matrices for row in m.tolist() for v in row]
    return fmpq_mat(len(matrices), len(rows) // len(matrices), rows).rank()


def sizes(space: AmbientSpace) -> list[int]:
    n = len(space.monomials)
    return [n - 2, n + 3]                                  # |S| below and above dim R[x]_K


# --- data matrices and the Gram matrix -----------------------------------------------------------------------


def test_data_matrix_rows_are_the_veronese_vectors_of_the_data_in_order():
    data = Dataset.from_pairs([((2, Fraction(1, 3)), (5,)), ((-1, 0), (Fraction(-7, 2),))])
    a, b = data_matrices(PLANE_QUADRICS, data)
    third = Fraction(1, 3)
    assert [[to_fraction(v) for v in row] for row in a.tolist()] == [
        [1, 2, third, 4, 2 * third, third**2],             # (1, x, y, x^2, xy, y^2) at (2, 1/3)
        [1, -1, 0, 1, 0, 0],
    ]
    assert [[to_fraction(v) for v in row] for row in b.tolist()] == [[5], [Fraction(-7, 2)]]


def test_exact_veronese_matrix_agrees_with_the_float_veronese_of_the_space():
    rng = random.Random(0)
    for space in SPACES:
        data = random_dataset(space, 7, rng)
        exact = np.array([[float(to_fraction(v)) for v in row] for row in veronese_matrix(space, data).tolist()])
        points = np.array([[float(x) for x in a] for a in data.inputs])
        assert np.allclose(exact, space.veronese(points))


def test_gram_matrix_depends_only_on_the_inputs_while_the_target_depends_on_both():
    rng = random.Random(1)
    data = random_dataset(PLANE_QUADRICS, 9, rng)
    relabelled = Dataset(data.inputs, tuple((rational(rng),) for _ in data.inputs))
    gram = gram_matrix(PLANE_QUADRICS, data)
    assert gram == gram_matrix(PLANE_QUADRICS, relabelled) == gram_matrix(PLANE_QUADRICS, data.inputs)
    assert target_coefficients(PLANE_QUADRICS, data) != target_coefficients(PLANE_QUADRICS, relabelled)


@pytest.mark.parametrize("space", SPACES, ids=space_id)
def test_gram_matrix_is_rank_deficient_when_there_are_fewer_data_than_monomials(space):
    rng = random.Random(2)
    n = len(space.monomials)
    few, many = (random_dataset(space, size, rng) for size in sizes(space))
    assert gram_rank(space, few) == gram_matrix(space, few).rank() == len(few) < n
    assert gram_rank(space, many) == gram_matrix(space, many).rank() == n


def test_fewer_data_than_monomials_give_a_pseudometric_distinct_functions_at_distance_zero():
    rng = random.Random(3)
    space = AmbientSpace(2, (0, 1, 2), 2)
    data = random_dataset(space, 4, rng)
    a, _ = data_matrices(space, data)
    kernel = (identity(a.ncols()) - pseudoinverse(a) * a) * random_matrix(rng, a.ncols(), 2)
    assert any(v != 0 for row in kernel.tolist() for v in row)
    assert q_norm_squared(kernel, gram_matrix(space, data)) == 0
    f = coefficient_matrix(space, random_coefficients(space, rng))
    assert loss(space, data, f + kernel) == loss(space, data, f)


# --- the pseudoinverse ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("shape_rank", [(5, 3, 3), (3, 5, 3), (6, 4, 2), (4, 4, 4), (3, 6, 1), (3, 4, 0)])
def test_pseudoinverse_satisfies_the_four_penrose_conditions(shape_rank):
    m, n, r = shape_rank
    rng = random.Random(m * 100 + n * 10 + r)
    left, right = random_matrix(rng, m, r), random_matrix(rng, r, n)
    a = left * right if r else fmpq_mat(m, n)
    assert a.rank() == r
    plus = pseudoinverse(a)
    assert (plus.nrows(), plus.ncols()) == (n, m)
    assert penrose_conditions(a, plus) == (True, True, True, True)
    if r:
        assert penrose_conditions(a, a.transpose()) != (True, True, True, True)


def test_pseudoinverse_agrees_with_sympy_on_data_matrices_with_few_and_many_points():
    rng = random.Random(4)
    space = AmbientSpace(2, (0, 1, 2), 1)
    for size in (4, 9):
        a, _ = data_matrices(space, random_dataset(space, size, rng))
        expected = sympy.Matrix([[sympy.Rational(int(v.p), int(v.q)) for v in row] for row in a.tolist()]).pinv()
        assert pseudoinverse(a).tolist() == [[fmpq(int(v.p), int(v.q)) for v in expected.row(i)] for i in range(expected.rows)]


# --- the loss and its decomposition --------------------------------------------------------------------------


@pytest.mark.parametrize("space", SPACES, ids=space_id)
def test_loss_from_the_matrix_formula_equals_the_sum_over_the_data(space):
    rng = random.Random(5)
    for size in sizes(space):
        data = random_dataset(space, size, rng)
        c = random_coefficients(space, rng)
        assert loss(space, data, c) == loss(space, data, coefficient_matrix(space, c)) == direct_loss(space, c, data)


@pytest.mark.parametrize("space", SPACES, ids=space_id)
def test_loss_is_q_distance_to_the_target_plus_a_constant_for_random_functions(space):
    rng = random.Random(6)
    for size in sizes(space):
        data = random_dataset(space, size, rng)
        target = target_coefficients(space, data)
        constant = least_squares_loss(space, data)
        assert constant == loss(space, data, target)           # the constant is L at the least-squares fit
        for _ in range(3):
            c = random_coefficients(space, rng)
            parts = loss_decomposition(space, data, c)
            assert parts.constant == constant
            assert parts.total == loss(space, data, c) == direct_loss(space, c, data)
            difference = coefficient_matrix(space, c) - target
            assert parts.distance == q_norm_squared(difference, gram_matrix(space, data)) >= 0
        assert loss_decomposition(space, data, target).distance == 0


@pytest.mark.parametrize("network", NETWORKS, ids=lambda n: "-".join(map(str, n)))
def test_loss_decomposition_holds_for_network_coefficient_vectors(network):
    arch = Architecture.create(*network)
    param = Parametrization(arch)
    rng = random.Random(7)
    for size in sizes(param.space):
        data = random_dataset(arch, size, rng)
        theta = random_rational_weights(arch, rng)
        c = param.coefficients_at(theta)
        parts = loss_decomposition(arch, data, c)
        assert parts.total == loss(arch, data, c) == network_loss(arch, theta, data) == direct_loss(param.space, c, data)


def test_multi_output_q_norm_is_the_trace_and_the_sum_of_the_outputs_q_norms():
    rng = random.Random(8)
    space = AmbientSpace(2, (0, 1, 2), 3)
    data = random_dataset(space, 8, rng)
    q = gram_matrix(space, data)
    c = coefficient_matrix(space, random_coefficients(space, rng))
    columns = [fmpq_mat(c.nrows(), 1, [c[i, k] for i in range(c.nrows())]) for k in range(c.ncols())]
    per_output = [(col.transpose() * q * col)[0, 0] for col in columns]
    assert q_norm_squared(c, q) == to_fraction(sum(per_output, fmpq(0)))


def test_coefficient_matrix_columns_are_outputs_in_coordinate_order():
    space = AmbientSpace(2, (1,), 2)                         # coordinates c1_1_0, c1_0_1, c2_1_0, c2_0_1
    c = coefficient_matrix(space, [1, 2, 3, 4])
    assert c.tolist() == [[1, 3], [2, 4]]
    assert coefficient_vector(c) == (1, 2, 3, 4)
    assert [coord.name for coord in space.coordinates] == ["c1_1_0", "c1_0_1", "c2_1_0", "c2_0_1"]


# --- moment matrices -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("degree", [1, 2, 3, 5])
def test_one_input_gram_matrix_is_the_hankel_matrix_of_power_sums(degree):
    rng = random.Random(degree)
    space = AmbientSpace(1, tuple(range(degree + 1)), 1)
    points = [(rational(rng),) for _ in range(degree + 4)]
    power_sum = [sum((a ** k for (a,) in points), Fraction(0)) for k in range(2 * degree + 1)]
    hankel = [[power_sum[i + j] for j in range(degree + 1)] for i in range(degree + 1)]
    q = gram_matrix(space, points)
    assert q == fmpq_mat([[to_fmpq(v) for v in row] for row in hankel])
    pattern = moment_pattern(space)
    assert pattern.dim == 2 * degree + 1 == vectorized_rank(pattern.basis())
    assert pattern.moments == tuple((k,) for k in range(2 * degree + 1))
    assert is_moment_matrix(q, space)


def test_two_inputs_degree_two_moment_space_is_the_slides_pattern_of_dimension_15_not_21():
    x, y = sympy.symbols("x y")
    basis = [1, x, y, x**2, x * y, y**2]
    pattern = moment_pattern(PLANE_QUADRICS)
    as_monomials = [[x ** e[0] * y ** e[1] for e in row] for row in pattern.labels]
    assert as_monomials == [[sympy.expand(u * v) for v in basis] for u in basis]
    assert pattern.dim == comb(4 + 2, 2) == 15 == vectorized_rank(pattern.basis())
    assert pattern.symmetric_dim == 21
    assert sum(pattern.basis(), fmpq_mat(6, 6)) == fmpq_mat(6, 6, [1] * 36)   # the E_α partition the entries


@pytest.mark.parametrize("space", SPACES, ids=space_id)
def test_gram_matrix_is_the_moment_matrix_of_the_power_sums_of_the_inputs(space):
    rng = random.Random(9)
    pattern = moment_pattern(space)
    n = len(space.monomials)
    assert pattern.dim == len({tuple(u + v for u, v in zip(e, f)) for e in space.monomials for f in space.monomials})
    for size in sizes(space):
        data = random_dataset(space, size, rng)
        q = gram_matrix(space, data)
        assert q == pattern.matrix(pattern.power_sums(data))
        assert is_moment_matrix(q, space)
        assert vectorized_rank(list(pattern.basis()) + [q]) == pattern.dim     # in the span, by linear algebra
    assert pattern.dim < pattern.symmetric_dim or n <= 2


def test_a_random_symmetric_positive_definite_matrix_is_not_a_moment_matrix_but_a_gram_matrix_is():
    rng = random.Random(10)
    pattern = moment_pattern(PLANE_QUADRICS)
    x = random_matrix(rng, 6, 6)
    spd = x.transpose() * x + identity(6)
    gram = gram_matrix(PLANE_QUADRICS, random_dataset(PLANE_QUADRICS, 40, rng))
    for m, expected in ((spd, False), (gram, True)):
        assert m.transpose() == m
        assert all(fmpq_mat([[m[i, j] for j in range(k)] for i in range(k)]).det() > 0 for k in range(1, 7))
        assert is_moment_matrix(m, PLANE_QUADRICS) is expected
        assert (vectorized_rank(list(pattern.basis()) + [m]) == pattern.dim) is expected


def test_the_target_reaches_every_prescribed_coefficient_matrix():
    rng = random.Random(11)
    for space in SPACES:
        prescribed = coefficient_matrix(space, random_coefficients(space, rng))
        inputs = random_dataset(space, len(space.monomials) + 3, rng).inputs
        data = dataset_with_target(space, inputs, prescribed)
        assert target_coefficients(space, data) == prescribed
        assert loss(space, data, prescribed) == least_squares_loss(space, data) == 0
        # with fewer data than monomials the target is the minimum-norm interpolant, not the prescribed one
        few = dataset_with_target(space, inputs[: len(space.monomials) - 2], prescribed)
        assert target_coefficients(space, few) != prescribed
        assert loss(space, few, target_coefficients(space, few)) == loss(space, few, prescribed) == 0


# --- gradients -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("space", SPACES, ids=space_id)
def test_function_space_gradient_is_2q_times_the_difference_to_the_target(space):
    rng = random.Random(12)
    for size in sizes(space):
        data = random_dataset(space, size, rng)
        a, b = data_matrices(space, data)
        c = random_coefficients(space, rng)
        gradient = loss_gradient(space, data, c)
        assert gradient == coefficient_vector((a.transpose() * (a * coefficient_matrix(space, c) - b)) * 2)
        h = Fraction(1, 7)                                    # L is quadratic in c: central differences are exact
        for i in rng.sample(range(space.dim), 4):
            up = [v + h * (j == i) for j, v in enumerate(c)]
            down = [v - h * (j == i) for j, v in enumerate(c)]
            assert (loss(space, data, up) - loss(space, data, down)) / (2 * h) == gradient[i]


@pytest.mark.parametrize("network", NETWORKS, ids=lambda n: "-".join(map(str, n)))
def test_parameter_gradient_through_function_space_equals_the_gradient_of_the_loss_in_theta(network):
    arch = Architecture.create(*network)
    param = Parametrization(arch)
    rng = random.Random(13)
    for size in sizes(param.space):
        data = random_dataset(arch, size, rng)
        theta = random_rational_weights(arch, rng)
        chain_rule = parameter_gradient(param, theta, data)
        polynomial = loss_polynomial(param, data)
        point = [to_fmpq(w) for w in theta]
        assert polynomial(*point) == to_fmpq(network_loss(arch, theta, data))
        direct = tuple(to_fraction(v) for v in (polynomial.diff(g)(*point) for g in polynomial.ring.gens))
        assert chain_rule == direct
        h = Fraction(1, 10**6)                                # finite differences of the network run on the data
        scale = 1 + max(abs(v) for v in direct)
        for i in range(arch.n_params):
            up = [w + h * (j == i) for j, w in enumerate(theta)]
            down = [w - h * (j == i) for j, w in enumerate(theta)]
            difference = (network_loss(arch, up, data) - network_loss(arch, down, data)) / (2 * h)
            assert abs(difference - direct[i]) < Fraction(1, 10**6) * scale
        floats = parameter_gradient_float(arch, theta, data, np.random.default_rng(0))
        assert np.allclose(floats, [float(v) for v in direct], rtol=1e-7, atol=1e-7 * float(scale))


def test_exact_coefficient_jacobian_agrees_with_exact_directional_derivatives():
    arch = Architecture.create("2,2,1", "x^2")                # c(θ) has θ-degree 3: check one direction exactly
    param = Parametrization(arch)
    rng = random.Random(14)
    theta = random_rational_weights(arch, rng)
    jac = exact_coefficient_jacobian(param, theta)
    assert (jac.nrows(), jac.ncols()) == (param.space.dim, arch.n_params)
    t = sympy.Symbol("t")
    direction = [rational(rng) for _ in theta]
    curve = [sympy.Rational(w.numerator, w.denominator) + t * sympy.Rational(d.numerator, d.denominator)
             for w, d in zip(theta, direction)]
    on_curve = dict(zip(sympy.symbols(arch.weight_names), curve))
    derivative = [sympy.diff(p.as_expr().subs(on_curve), t).subs(t, 0) for p in param.polynomials]
    product = jac * fmpq_mat(len(direction), 1, [to_fmpq(d) for d in direction])
    assert [product[i, 0] for i in range(product.nrows())] == [fmpq(int(v.p), int(v.q)) for v in derivative]


# --- input validation ----------------------------------------------------------------------------------------


def test_malformed_data_is_rejected_with_a_clear_message():
    with pytest.raises(ValueError, match="2 inputs but 1 outputs"):
        Dataset(((1, 2), (3, 4)), ((1,),))
    with pytest.raises(ValueError, match="same length"):
        Dataset(((1, 2), (3,)), ((1,), (2,)))
    with pytest.raises(ValueError, match="has 2 inputs"):
        data_matrices(PLANE_QUADRICS, Dataset(((1, 2, 3),), ((1,),)))
    with pytest.raises(ValueError, match="has 1 outputs"):
        data_matrices(PLANE_QUADRICS, Dataset(((1, 2),), ((1, 2),)))
    with pytest.raises(ValueError, match="dimension 6"):
        loss(PLANE_QUADRICS, Dataset(((1, 2),), ((1,),)), [1, 2, 3])
