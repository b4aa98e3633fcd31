"""The symmetry group G: every generator leaves the network function unchanged (an independent numpy forward
pass), and G's tangent vectors lie in the kernel of dμ with the stated dimension (finite differences)."""

from __future__ import annotations

import numpy as np
import pytest

from neurom2.model.architecture import Architecture
from neurom2.properties.fibers import fibers
from neurom2.properties.symmetry import act, symmetry_group, tangent_vectors

CASES = [
    ("3,2,2,1", "x^3", False),      # torus, odd
    ("2,3,1", "x^2", True),         # torus, even, with biases
    ("2,2,1", "x^2 + 2*x + 4", True),  # shifted power (x + 1)^2 + 3: torus with moving biases
    ("2,3,1", "x^3 + x", False),    # odd, not homogeneous: sign changes
    ("2,2,2", "x^4 + x^2", True),   # even, not homogeneous: sign changes of the input side
    ("2,2,1", "x^2 + x", False),    # permutations only
    ("2,3,2", "x", False),          # linear: GL(3)
    ("2,2,3,1", "2*x + 1", True),   # linear with constant: affine groups
]


def forward(arch: Architecture, theta: np.ndarray, x: np.ndarray) -> np.ndarray:
    """f_θ at the rows of x, written here independently of neurom2's evaluators."""
    sigma = [float(c) for c in arch.activation.coefficients]
    h, position = x.T, 0
    for l, (rows, cols) in enumerate(arch.weight_shapes, start=1):
        W = theta[position:position + rows * cols].reshape(rows, cols)
        position += rows * cols
        h = W @ h
        if arch.bias:
            h = h + theta[position:position + rows, None]
            position += rows
        if l < arch.depth:
            h = sum(c * h ** k for k, c in enumerate(sigma))
    return h.T


def element_value(generator, arch: Architecture, rng: np.random.Generator):
    if generator.kind == "rescaling":
        return rng.uniform(0.5, 2) * rng.choice([-1, 1])
    if generator.kind == "linear":
        d = arch.widths[generator.layer]
        return rng.normal(size=(d, d)) + 2 * np.eye(d), rng.normal(size=d) if arch.bias else None
    return None


@pytest.mark.parametrize("widths,activation,bias", CASES)
def test_every_generator_leaves_the_network_function_unchanged(widths, activation, bias):
    arch = Architecture.create(widths, activation, bias)
    group = symmetry_group(arch)
    rng = np.random.default_rng(1)
    theta = rng.normal(size=arch.n_params)
    x = rng.normal(size=(20, arch.input_dim))
    assert group.generators
    for generator in group.generators:
        moved = act(arch, theta, generator, element_value(generator, arch, rng))
        assert not np.allclose(moved, theta)
        assert np.allclose(forward(arch, moved, x), forward(arch, theta, x), rtol=1e-9, atol=1e-9), generator


def differential(arch: Architecture, theta: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """The Jacobian of θ ↦ (f_θ(x_j))_j at many random inputs, by central differences."""
    x = rng.normal(size=(80, arch.input_dim))
    h = 1e-6
    columns = []
    for i in range(arch.n_params):
        e = np.zeros(arch.n_params)
        e[i] = h
        columns.append(((forward(arch, theta + e, x) - forward(arch, theta - e, x)) / (2 * h)).ravel())
    return np.array(columns).T


def numeric_rank(matrix: np.ndarray) -> int:
    s = np.linalg.svd(matrix, compute_uv=False)
    return int(np.sum(s > 1e-6 * s[0])) if s.size and s[0] > 0 else 0


@pytest.mark.parametrize("widths,activation,bias", [c for c in CASES if c[1] in ("x^3", "x^2", "x^2 + 2*x + 4")])
def test_torus_tangent_vectors_lie_in_the_kernel_of_the_differential_with_the_stated_dimension(widths, activation, bias):
    arch = Architecture.create(widths, activation, bias)
    rng = np.random.default_rng(2)
    theta = rng.integers(-5, 6, size=arch.n_params)
    theta[theta == 0] = 7
    vectors = np.array(tangent_vectors(arch, theta.tolist()), dtype=float).T
    jacobian = differential(arch, theta.astype(float), rng)
    assert np.abs(jacobian @ vectors).max() < 1e-5 * np.abs(jacobian).max() * np.abs(vectors).max()
    assert numeric_rank(vectors) == symmetry_group(arch).continuous_dim == sum(arch.hidden_widths)


def test_linear_tangent_vectors_lie_in_the_kernel_of_the_differential():
    arch = Architecture.create("2,2,3,1", "2*x + 1", True)
    rng = np.random.default_rng(3)
    theta = rng.integers(-5, 6, size=arch.n_params)
    vectors = np.array(tangent_vectors(arch, theta.tolist()), dtype=float).T
    jacobian = differential(arch, theta.astype(float), rng)
    assert vectors.shape[1] == symmetry_group(arch).continuous_dim == 2 * 2 + 2 + 3 * 3 + 3
    assert np.abs(jacobian @ vectors).max() < 1e-5 * np.abs(jacobian).max() * np.abs(vectors).max()


def test_quadratic_network_3_2_1_has_one_unexplained_fiber_dimension():
    arch = Architecture.create("3,2,1", "x^2")
    result = fibers(arch)
    rng = np.random.default_rng(4)
    theta = rng.normal(size=arch.n_params)
    dim = numeric_rank(differential(arch, theta, rng))
    orbit = numeric_rank(np.array(tangent_vectors(arch, rng.integers(1, 9, size=8).tolist()), dtype=float))
    assert (arch.n_params, dim, orbit) == (8, 5, 2)
    assert result.unexplained_dim == arch.n_params - dim - orbit == 1
    assert result.identifiable is False and result.dimension.proved


def test_group_descriptions_state_the_finite_orders():
    assert symmetry_group(Architecture.create("2,3,1", "x^3 + x")).finite_order == 6 * 8
    assert symmetry_group(Architecture.create("2,3,1", "x^2 + x")).finite_order == 6
    assert symmetry_group(Architecture.create("3,7,1", "x^5")).to_json()["continuous_dim"] == 7


def test_geometry_symmetries_part_reports_the_torus_without_macaulay2():
    from neurom2.present.geometry import format_geometry
    from neurom2.properties.geometry import geometry

    result = geometry(Architecture.create("2,3,1", "x^4"), only="symmetries")
    assert result.fibers is None and result.to_json()["symmetries"]["continuous_dim"] == 3
    assert "a torus (C*)^3" in format_geometry(result)
