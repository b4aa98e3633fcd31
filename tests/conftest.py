"""Shared helpers for the tests: independent, numeric views of neuromanifolds."""

from __future__ import annotations

import numpy as np
import pytest
import sympy

from neurom2 import Architecture
from neurom2.model.jacobian import coefficient_jacobian
from neurom2.m2.session import default_session
from neurom2.model.parametrization import forward
from neurom2.model.space import AmbientSpace


@pytest.fixture(scope="session")
def session():
    """The process-wide Macaulay2 session (real Macaulay2)."""
    return default_session()


def float_rank(arch: Architecture, seed: int = 0) -> int:
    """Rank of the float Jacobian of θ ↦ c(θ) at a random real point (singular values, relative tol)."""
    rng = np.random.default_rng(seed)
    jac = coefficient_jacobian(arch, rng.uniform(-1, 1, arch.n_params), rng)
    singular = np.linalg.svd(jac, compute_uv=False)
    return int(np.sum(singular > 1e-8 * singular[0]))


def float_points_on_manifold(arch: Architecture, count: int, seed: int = 0) -> np.ndarray:
    """Coefficient vectors of random real networks, recovered from the network's values at sample
    inputs by solving against the Veronese matrix (no use of the symbolic parametrization)."""
    rng = np.random.default_rng(seed)
    space = AmbientSpace.of(arch)
    m = len(space.monomials)
    rows = []
    for _ in range(count):
        theta = rng.uniform(-1, 1, arch.n_params)
        inputs = rng.uniform(-1, 1, (3 * m, arch.input_dim))
        values = np.array(forward(arch, list(theta), list(inputs.T))).T
        coefficients = np.linalg.lstsq(space.veronese(inputs), values, rcond=None)[0]
        rows.append(coefficients.T.ravel())
    return np.array(rows)


def assert_vanish_numerically(equations, points: np.ndarray) -> None:
    """Every equation is ~0 at every point, relative to the size of its terms there."""
    for eq in equations:
        f = sympy.lambdify(eq.gens, eq.as_expr(), "numpy")
        scale = sympy.lambdify(eq.gens, sum(abs(t) for t in eq.as_expr().as_ordered_terms()), "numpy")
        for point in points:
            assert abs(f(*point)) <= 1e-9 * max(1.0, scale(*point)), f"{eq.as_expr()} does not vanish"


def proportional(poly: sympy.Poly, expr: sympy.Expr) -> bool:
    """Whether ``poly`` is a nonzero rational multiple of ``expr``."""
    other = sympy.Poly(expr, *poly.gens)
    return not other.is_zero and (poly * other.LC() - other * poly.LC()).is_zero
