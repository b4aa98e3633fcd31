"""The compiled kernels of the secant count (neurom2.training.secant_kernel) against numpy: the linear solves and the
chord step's equations.  The system itself is checked against finite differences and against the forms computed
from their linear factors in test_secant.py."""

import numpy as np
import pytest
from test_secant import _family, _random_points

from neurom2.training import secant, secant_kernel


@pytest.mark.parametrize("seed", range(4))
def test_the_factorization_solves_like_numpy(seed):
    rng = np.random.default_rng(seed)
    matrix = rng.normal(size=(6, 6)) + 1j * rng.normal(size=(6, 6))
    rhs = rng.normal(size=6) + 1j * rng.normal(size=6)
    expected = np.linalg.solve(matrix, rhs)
    factored, pivots, out = matrix.copy(), np.zeros(6, np.int64), np.zeros(6, complex)
    assert secant_kernel.solve(factored, rhs.copy(), out, pivots)
    assert np.allclose(out, expected, rtol=1e-12, atol=1e-12)
    other = rng.normal(size=6) + 1j * rng.normal(size=6)  # the same factorization, another right-hand side
    secant_kernel.substitute(factored, pivots, other.copy(), out)
    assert np.allclose(matrix @ out, other, rtol=1e-12, atol=1e-12)


def test_a_singular_system_is_reported_not_solved():
    matrix = np.ones((6, 6), complex)
    assert not secant_kernel.solve(matrix, np.ones(6, complex), np.zeros(6, complex), np.zeros(6, np.int64))
    assert not secant_kernel.solve(np.full((6, 6), np.nan + 0j), np.ones(6, complex), np.zeros(6, complex),
                                   np.zeros(6, np.int64))


def test_the_chord_step_evaluates_the_same_equations():
    """equations_at (the chord step's evaluation, no Jacobian) equals the system's equations on a metric segment."""
    family, rng = _family()
    theta, frames = family.rechart(*_random_points(rng, 5))
    base = secant.Parameters(rng.normal(size=15) + 0j, family.metric)
    end = secant._random_parameters(rng, base)
    parameters = secant_kernel.segment(base.metric, end.metric - base.metric, base.center, end.center - base.center)
    s = rng.uniform(size=5)
    expected = family.system(theta, frames, (base, end), s)[0]
    work = secant_kernel.workspace(len(family.points), family.table.shape[0] - 1)
    for row in range(5):
        equations = np.zeros(6, complex)
        secant_kernel.equations_at(theta[row], frames[row], family.points, family.table, parameters, s[row], work,
                                   equations)
        assert np.allclose(equations, expected[row], rtol=1e-12, atol=1e-12)
