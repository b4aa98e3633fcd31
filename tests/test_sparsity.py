"""The sparsity-bias test (``neurom2.properties.sparsity``) against an independent numerical computation.

For (2,2,1) the loss is written here by hand in sympy, a real critical point of the subnetwork (2,1,1)'s loss
found (by ``nsolve`` from random starts, or on its switched-off set a1 = 0), embedded, and the full gradient
evaluated there: it vanishes for σ = x² (σ(0) = 0) and not for σ = x² + 1 without biases, as the exact
computation claims.
"""

from __future__ import annotations

import random

import pytest
import sympy

from neurom2.model.architecture import Architecture
from neurom2.properties.sparsity import sparsity_bias
from neurom2.training.dataset import Dataset

x, y = sympy.symbols("x y")


def _loss(function: sympy.Expr, data: Dataset) -> sympy.Expr:
    return sum((function.subs({x: a[0], y: a[1]}) - b[0]) ** 2 for a, b in data.pairs())


W11, W12, A1, W21, W22, A2 = sympy.symbols("w11 w12 a1 w21 w22 a2")


def _full_loss(sigma, data: Dataset) -> sympy.Expr:
    """The (2,2,1) loss, written by hand."""
    return _loss(A1 * sigma(W11 * x + W12 * y) + A2 * sigma(W21 * x + W22 * y), data)


def _second_neuron_gradient(full: sympy.Expr, values: dict) -> dict[str, float]:
    """|∂L/∂v| for the first neuron's weights (must be ~0: a critical point) and the second neuron's (returned)."""
    values = {**values, W21: 0, W22: 0, A2: 0}
    assert max(abs(sympy.diff(full, v).subs(values)) for v in (W11, W12, A1)) < 1e-10
    return {str(v): float(abs(sympy.diff(full, v).subs(values))) for v in (W21, W22, A2)}


def _square_critical_point(full: sympy.Expr, seed: int) -> dict:
    """A real critical point of the (2,1,1) loss for σ = x², a1 ≠ 0, on the chart w11 = 1 of its rescalings
    (critical there means critical: the missing direction is along the orbit), by nsolve from random starts."""
    sub = full.subs({W21: 0, W22: 0, A2: 0, W11: 1})
    equations = [sympy.diff(sub, v) for v in (W12, A1)]
    rng = random.Random(seed)
    for _ in range(40):
        try:
            point = sympy.nsolve(equations, [W12, A1], [rng.uniform(-2, 2), rng.uniform(-2, 2)], tol=1e-25, prec=40)
        except (ValueError, ZeroDivisionError):
            continue
        if abs(point[1]) > 1e-3:
            return {W11: 1, W12: point[0], A1: point[1]}
    raise AssertionError("nsolve found no critical point")


def _switched_off_critical_point(data: Dataset) -> dict:
    """For σ = x² + 1: a real critical point of the (2,1,1) loss with a1 = 0 (then ∂/∂w = 0, and ∂/∂a1 = 0 is
    Σ b_j ((w·x_j)² + 1) = 0, a conic in w: w12 fixed and a real root w11)."""
    for w12 in (0, 1, -1, 2, -2, 5, -5):
        conic = sum(b[0] * ((W11 * a[0] + w12 * a[1]) ** 2 + 1) for a, b in data.pairs())
        roots = [r for r in sympy.Poly(conic, W11).nroots(n=40) if r.is_real]
        if roots:
            return {W11: roots[0], W12: w12, A1: 0}
    raise AssertionError("no real point found on the conic")


@pytest.mark.macaulay2
def test_narrower_network_keeps_critical_points_iff_sigma_vanishes_at_zero(session):
    # more points than weights (residuals ≠ 0); seed 2: Σ b_j (w·x_j)² = −Σ b_j has real solutions w (see below)
    data = Dataset.random(Architecture.create("2,2,1", "x^2"), 6, seed=2)
    square = sparsity_bias(Architecture.create("2,2,1", "x^2"), data=data, session=session, sparsity=False)
    assert square.having == ("(2,1,1)",) and square.results[0].identically_zero == ("w1_2_1", "w1_2_2", "w2_1_2")
    full = _full_loss(lambda t: t ** 2, data)
    assert max(_second_neuron_gradient(full, _square_critical_point(full, 0)).values()) < 1e-10

    shifted = sparsity_bias(Architecture.create("2,2,1", "x^2+1"), data=data, session=session, sparsity=False)
    result = shifted.results[0]
    assert result.holds is False and result.failing == "w2_1_2" and shifted.sigma_at_zero == "1"
    gradient = _second_neuron_gradient(_full_loss(lambda t: t ** 2 + 1, data), _switched_off_critical_point(data))
    assert gradient["a2"] > 1e-3 and max(gradient["w21"], gradient["w22"]) < 1e-10


@pytest.mark.macaulay2
def test_single_zero_patterns_are_decided(session):
    """Every single-zero pattern of (2,2,1) x² gets a proved answer, with a failing weight exactly when it fails."""
    arch = Architecture.create("2,2,1", "x^2")
    found = sparsity_bias(arch, data=Dataset.random(arch, 3, seed=1), session=session)
    sparse = [r for r in found.results if r.subnetwork.zeros]
    assert len(sparse) == 3 and all(r.holds is not None for r in sparse)
    assert all((r.failing is None) == r.holds for r in sparse)


@pytest.mark.macaulay2
def test_output_bias_restores_the_property(session):
    """σ = x² + 1 with biases: the extra component is σ(0) times the output bias's (checked by hand in sympy)."""
    arch = Architecture.create("2,2,1", "x^2+1", bias=True)
    data = Dataset.random(arch, 6, seed=2)
    (result,) = sparsity_bias(arch, data=data, session=session, sparsity=False).results
    assert result.holds is True and result.on_critical_set == ("w2_1_2",)
    b11, b12, b2 = sympy.symbols("b11 b12 b2")
    sigma = lambda t: t ** 2 + 1  # noqa: E731
    full = _loss(A1 * sigma(W11 * x + W12 * y + b11) + A2 * sigma(W21 * x + W22 * y + b12) + b2, data)
    embedded = {W21: 0, W22: 0, b12: 0, A2: 0}
    assert sympy.expand(sympy.diff(full, A2).subs(embedded) - sigma(0) * sympy.diff(full, b2).subs(embedded)) == 0
