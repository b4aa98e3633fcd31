"""The parametrization: exact symbolic, exact at rational points, and numeric, all agreeing."""

import random
from fractions import Fraction

import numpy as np
import pytest
import sympy

from neurom2 import Architecture, Parametrization
from neurom2.model.jacobian import FloatArithmetic, coefficient_jacobian, evaluation_jacobian
from neurom2.model.parametrization import forward, random_rational_weights
from neurom2.variety.dimension import dimension

ARCHITECTURES = [
    ("2,2,1", "x^2", False),
    ("2,2,1", "x^3", False),
    ("3,2,3", "x", False),
    ("2,2,1", "x^2", True),
    ("2,2,2,1", "x^2 + x", False),
    ("2,3,2", "1/2*x^3 - x + 2", True),
    ("1,2,2,2", "x^2", True),
]


@pytest.fixture(params=ARCHITECTURES, ids=lambda a: f"{a[0]}-{a[1]}-{'bias' if a[2] else 'nobias'}")
def arch(request):
    return Architecture.create(*request.param)


def test_slide_example_x_squared_coefficients():
    """e(ax+by)^2 + f(cx+dy)^2 = (a^2e + c^2f) x^2 + 2(abe + cdf) xy + (b^2e + d^2f) y^2."""
    a, b, c, d, e, f = sympy.symbols("w1_1_1 w1_1_2 w1_2_1 w1_2_2 w2_1_1 w2_1_2")
    polys = Parametrization(Architecture.create("2,2,1", "x^2")).sympy_polynomials()
    expected = [a**2 * e + c**2 * f, 2 * (a * b * e + c * d * f), b**2 * e + d**2 * f]
    assert [sympy.expand(p - q) for p, q in zip(polys, expected)] == [0, 0, 0]


def test_symbolic_polynomials_agree_with_the_network_run_on_rational_weights(arch):
    param = Parametrization(arch)
    rng = random.Random(7)
    for _ in range(3):
        theta = random_rational_weights(arch, rng)
        exact = [p(*theta) for p in param.polynomials]
        assert [Fraction(int(v.numerator), int(v.denominator)) for v in exact] == list(param.coefficients_at(theta))


def test_coefficients_reproduce_the_network_values_at_points(arch):
    param = Parametrization(arch)
    rng = np.random.default_rng(3)
    theta = rng.standard_normal(arch.n_params)
    points = rng.standard_normal((20, arch.input_dim))
    values = np.array(forward(arch, list(theta), list(points.T))).T            # (20, dL)
    coefficients = np.array([float(p(*theta)) for p in param.polynomials]).reshape(arch.output_dim, -1)
    assert np.allclose(param.space.veronese(points) @ coefficients.T, values)


def test_numeric_jacobian_agrees_with_the_exact_derivatives(arch):
    param = Parametrization(arch)
    rng = np.random.default_rng(5)
    theta = rng.uniform(-1, 1, arch.n_params)
    exact = np.array([[float(p.diff(g)(*theta)) for g in param.weight_ring.gens] for p in param.polynomials])
    numeric = coefficient_jacobian(arch, theta, rng)
    assert np.allclose(numeric, exact, atol=1e-7)


def test_evaluation_jacobian_matches_finite_differences(arch):
    rng = np.random.default_rng(11)
    theta = rng.standard_normal(arch.n_params)
    points = rng.standard_normal((5, arch.input_dim))
    jac = evaluation_jacobian(arch, theta, points, FloatArithmetic())
    h = 1e-6
    for i in range(arch.n_params):
        step = np.zeros(arch.n_params)
        step[i] = h
        plus = np.array(forward(arch, list(theta + step), list(points.T))).T.ravel()
        minus = np.array(forward(arch, list(theta - step), list(points.T))).T.ravel()
        assert np.allclose(jac[:, i], (plus - minus) / (2 * h), atol=1e-5)


def test_modular_rank_equals_float_rank_and_exact_symbolic_rank(arch):
    param = Parametrization(arch)
    rng = np.random.default_rng(1)
    float_rank = np.linalg.matrix_rank(coefficient_jacobian(arch, rng.uniform(-1, 1, arch.n_params), rng), tol=1e-8)
    theta = random_rational_weights(arch, random.Random(2))
    symbolic = sympy.Matrix([[p.diff(g)(*theta) for g in param.weight_ring.gens] for p in param.polynomials])
    assert dimension(arch, seed=4).dim == float_rank == symbolic.rank()


def test_forward_rejects_a_wrong_number_of_weights():
    arch = Architecture.create("2,2,1", "x^2")
    with pytest.raises(ValueError, match="6 weights"):
        forward(arch, [1] * 5, [1, 2])
