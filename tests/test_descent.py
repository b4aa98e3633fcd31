"""Training in weight space: the gradient, L-BFGS, and where runs end (pure, spurious, diverging), each
checked against an independent computation (exact gradients over QQ, SVDs, a parametrized boundary)."""

import io
import math
import random
import sys
from fractions import Fraction

import numpy as np
import pytest

from neurom2.deadline import Deadline
from neurom2.errors import InvalidDataset, InvalidOption, TimeLimitExceeded
from neurom2.model.architecture import Architecture
from neurom2.model.jacobian import FloatArithmetic, ModularArithmetic, evaluation_jacobian, network_values, pullback
from neurom2.model.space import AmbientSpace
from neurom2.training.dataset import veronese_matrix
from neurom2.training.descent import (
    SquaredLoss,
    Trainer,
    classify,
    diverges,
    initial_weights,
    summarize,
    train,
)
from neurom2.training.loss import (
    dataset_with_target,
    least_squares_loss,
    network_loss,
    parameter_gradient,
    random_dataset,
)
from neurom2.training.optimize import minimize, wolfe_line_search

X3 = Architecture.create("2,2,1", "x^3")
SLIDES_TARGET = (1, 0, -1, 0)  # x^3 - x*y^2 in the basis x^3, x^2*y, x*y^2, y^3


@pytest.mark.parametrize("widths, activation, bias", [("2,2,1", "x^3", False), ("2,3,2", "x^2 + x", True),
                                                      ("1,2,2,1", "x^2 - 1/2", True)])
def test_pullback_is_the_transposed_evaluation_jacobian_exactly_modulo_p_and_in_floats(widths, activation, bias):
    arch = Architecture.create(widths, activation, bias)
    rng = np.random.default_rng(0)
    p = 2_147_483_647
    theta = rng.integers(0, p, arch.n_params).tolist()
    points = rng.integers(0, p, (5, arch.input_dim))
    cotangent = rng.integers(0, p, (5, arch.output_dim))
    arith = ModularArithmetic(p)
    values, vjp = pullback(arch, theta, points, arith)
    jac = evaluation_jacobian(arch, theta, points, arith)
    expected = [sum(int(c) * int(j) for c, j in zip(cotangent.ravel(), column)) % p for column in jac.T]
    assert vjp(cotangent).tolist() == expected
    ftheta, fpoints = rng.standard_normal(arch.n_params), rng.standard_normal((5, arch.input_dim))
    fcot = rng.standard_normal((5, arch.output_dim))
    fvalues, fvjp = pullback(arch, ftheta, fpoints, FloatArithmetic())
    fjac = evaluation_jacobian(arch, ftheta, fpoints, FloatArithmetic())
    np.testing.assert_allclose(fvjp(fcot), fjac.T @ fcot.ravel(), rtol=1e-12)
    assert values.tolist() == network_values(arch, theta, points, arith).tolist()
    np.testing.assert_allclose(fvalues, network_values(arch, ftheta, fpoints, FloatArithmetic()), rtol=1e-15)


@pytest.mark.parametrize("widths, activation, bias", [("2,2,1", "x^3", False), ("2,3,2", "x^2 + x", True)])
def test_loss_gradient_matches_the_exact_gradient_through_function_space_and_finite_differences(widths, activation, bias):
    arch = Architecture.create(widths, activation, bias)
    data = random_dataset(arch, 9, random.Random(5))
    rng = random.Random(2)
    theta = [Fraction(rng.randint(-16, 16), 8) for _ in range(arch.n_params)]  # exact as floats
    loss = SquaredLoss.of(arch, data)
    value, gradient = loss(np.array([float(t) for t in theta]))
    assert value == pytest.approx(float(network_loss(arch, theta, data)), rel=1e-12)
    exact = np.array([float(g) for g in parameter_gradient(arch, theta, data)])
    np.testing.assert_allclose(gradient, exact, rtol=1e-10, atol=1e-10 * np.abs(exact).max())
    h, point = 1e-6, np.array([float(t) for t in theta])
    central = [(loss(point + h * e)[0] - loss(point - h * e)[0]) / (2 * h) for e in np.eye(arch.n_params)]
    np.testing.assert_allclose(central, exact, rtol=1e-6, atol=1e-6 * np.abs(exact).max())


def rosenbrock(theta):
    x, y = theta
    return (1 - x) ** 2 + 100 * (y - x**2) ** 2, np.array([-2 * (1 - x) - 400 * x * (y - x**2), 200 * (y - x**2)])


def test_wolfe_line_search_returns_a_step_with_both_strong_wolfe_conditions():
    theta = np.array([-1.2, 1.0])
    value, gradient = rosenbrock(theta)
    for direction in (-gradient, np.array([1.0, -0.5]) * -np.sign(gradient)):
        alpha, new_value, new_gradient = wolfe_line_search(rosenbrock, theta, value, gradient, direction, 1.0)
        slope = gradient @ direction
        assert new_value <= value + 1e-4 * alpha * slope
        assert abs(new_gradient @ direction) <= 0.9 * abs(slope)
        assert new_value == rosenbrock(theta + alpha * direction)[0]


def test_lbfgs_finds_the_rosenbrock_minimum_and_gradient_descent_the_least_squares_fit():
    end = minimize(rosenbrock, np.array([-1.2, 1.0]), max_steps=200)
    np.testing.assert_allclose(end.theta, [1, 1], atol=1e-7)
    assert end.steps < 60 and all(b <= a for a, b in zip(end.values, end.values[1:]))
    # a single linear layer: the loss is a convex quadratic, minimized by the least-squares fit
    arch = Architecture.create("3,2", "x")
    data = random_dataset(arch, 12, random.Random(1))
    for method, steps in (("lbfgs", 100), ("gd", 5000)):
        run = Trainer.of(arch, data).run(np.zeros(arch.n_params), method=method, max_steps=steps)
        inputs = np.array([[float(v) for v in a] for a in data.inputs])
        outputs = np.array([[float(v) for v in b] for b in data.outputs])
        fit = np.linalg.lstsq(inputs, outputs, rcond=None)[0].T  # W with f(a) = W a
        assert run.converged
        np.testing.assert_allclose(run.final_weights, fit.ravel(), rtol=1e-6, atol=1e-8)
        assert run.final_loss == pytest.approx(float(least_squares_loss(arch, data)), rel=1e-9)


def test_unknown_method_and_empty_data_are_refused():
    arch = Architecture.create("2,1,2", "x")
    with pytest.raises(InvalidOption, match="method must be one of lbfgs, gd"):
        train(arch, random_dataset(arch, 4, random.Random(0)), 1, method="adam")
    with pytest.raises(InvalidDataset, match="at least one data point"):
        train(arch, random_dataset(arch, 0, random.Random(0)), 1)


def partial_svds(arch, data, rank):
    """The critical points of the whitened linear problem min ‖X Wᵀ − Y‖² over rank ≤ ``rank``: partial
    SVDs, as (loss, coefficient vector) for each choice of ``rank`` singular triples."""
    from itertools import combinations

    inputs = np.array([[float(v) for v in a] for a in data.inputs])
    outputs = np.array([[float(v) for v in b] for b in data.outputs])
    ux, sx, vxt = np.linalg.svd(inputs, full_matrices=False)
    target = ux.T @ outputs
    u, s, vt = np.linalg.svd(target, full_matrices=False)
    constant = float(np.sum(outputs**2) - np.sum(target**2))
    points = []
    for chosen in combinations(range(len(s)), rank):
        z = sum(s[i] * np.outer(u[:, i], vt[i]) for i in chosen)
        weights = (vxt.T @ np.diag(1 / sx) @ z).T
        points.append((constant + float(sum(s[i] ** 2 for i in range(len(s)) if i not in chosen)), weights.ravel()))
    return points


def test_linear_runs_reach_the_eckart_young_minimum_and_a_dead_neuron_stops_at_a_spurious_point():
    arch = Architecture.create("3,2,3", "x")  # M = 3x3 matrices of rank <= 2, dim 8
    data = random_dataset(arch, 10, random.Random(3))
    critical = partial_svds(arch, data, 2)
    losses = [loss for loss, _ in critical]
    best = int(np.argmin(losses))
    runs = train(arch, data, 4, seed=1)
    classes = classify(runs, [c for _, c in critical], losses[best], 8)
    for run, verdict in zip(runs, classes):
        assert run.converged and not run.diverging and run.jacobian_rank == 8
        assert verdict.critical_point == best and verdict.pure is True and verdict.reaches_infimum
        assert run.final_loss == pytest.approx(losses[best], rel=1e-9)
    # hidden neuron 2 dead (row 2 of W1 and column 2 of W2 zero): the gradient keeps it dead, so the run
    # trains a (3,1,3) network and ends at the rank-1 Eckart–Young point, critical for L∘μ, not on M's smooth part
    theta0 = np.random.default_rng(4).standard_normal(arch.n_params)
    theta0[[3, 4, 5, 7, 9, 11]] = 0  # W1 = w1_{i,j} (2x3), then W2 = w2_{i,j} (3x2)
    dead = Trainer.of(arch, data).run(theta0)
    rank_one = min(loss for loss, _ in partial_svds(arch, data, 1))
    assert dead.converged and dead.final_loss == pytest.approx(rank_one, rel=1e-9) and rank_one > losses[best]
    assert dead.jacobian_rank == 5 and dead.singular_values[4] > 1e-3 * dead.singular_values[0]  # rank 1: 1·(3+3−1)
    (verdict,) = classify([dead], [c for _, c in critical], losses[best], 8)
    assert verdict.pure is False and verdict.critical_point is None and not verdict.reaches_infimum
    summary = summarize(classes + [verdict])
    assert (summary.reached_infimum, summary.spurious, summary.diverging, summary.other) == (4, 1, 0, 0)


def test_a_seed_reproduces_every_run_and_runs_do_not_depend_on_how_many_there_are():
    arch = Architecture.create("2,2,1", "x^2")
    data = random_dataset(arch, 8, random.Random(0))
    first, again, more = train(arch, data, 2, seed=7), train(arch, data, 2, seed=7), train(arch, data, 3, seed=7)
    assert first == again and first == more[:2]
    other = train(arch, data, 2, seed=8)
    assert first[0].initial_weights != other[0].initial_weights
    assert [tuple(w) for w in initial_weights(arch, 2, 7)] == [r.initial_weights for r in first]


def discriminant(c):
    a, b, cc, d = c
    return b * b * cc * cc - 4 * a * cc**3 - 4 * b**3 * d - 27 * a * a * d * d + 18 * a * b * cc * d


def boundary_infimum(gram, target):
    """min ‖l²m − u‖²_Q over real linear forms l = (cos t, sin t), m (m by least squares, t by a grid and
    golden sections): the distance from u to the cubics with a double root, the boundary of M(R)'s closure."""

    def distance(t):
        l1, l2 = math.cos(t), math.sin(t)
        basis = np.array([[l1 * l1, 0], [2 * l1 * l2, l1 * l1], [l2 * l2, 2 * l1 * l2], [0, l2 * l2]])
        m = np.linalg.solve(basis.T @ gram @ basis, basis.T @ gram @ target)
        d = basis @ m - target
        return float(d @ gram @ d), (l1, l2), m

    grid = np.linspace(0, math.pi, 2001)
    k = int(np.argmin([distance(t)[0] for t in grid]))
    lo, hi = grid[max(k - 1, 0)], grid[min(k + 1, len(grid) - 1)]
    ratio = (math.sqrt(5) - 1) / 2
    for _ in range(80):
        a, b = hi - ratio * (hi - lo), lo + ratio * (hi - lo)
        lo, hi = (lo, b) if distance(a)[0] < distance(b)[0] else (a, hi)
    return distance((lo + hi) / 2)


def best_cube(gram, target):
    """min over real cubes v·l³ (the points of M(R) on that boundary) of ‖v l³ − u‖²_Q, on a fine grid."""
    best = math.inf
    for t in np.linspace(0, math.pi, 20001):
        l1, l2 = math.cos(t), math.sin(t)
        c = np.array([l1**3, 3 * l1 * l1 * l2, 3 * l1 * l2 * l2, l2**3])
        v = (c @ gram @ target) / (c @ gram @ c)
        best = min(best, float((v * c - target) @ gram @ (v * c - target)))
    return best


def test_x3_runs_diverge_towards_the_unattained_infimum_for_the_slides_target():
    space = AmbientSpace.of(X3)
    data = dataset_with_target(space, random_dataset(space, 20, random.Random(1)), SLIDES_TARGET)
    a = np.array([[float(v) for v in row] for row in veronese_matrix(space, data).tolist()])
    gram, target = a.T @ a, np.array(SLIDES_TARGET, dtype=float)
    assert discriminant([Fraction(v) for v in SLIDES_TARGET]) > 0  # three real roots: not in the closure of M(R)
    # so the infimum over M(R) is the distance to the boundary {disc = 0}; its nearest point l²m has m not
    # parallel to l (not a cube), the boundary's only points in M(R) are cubes, and the best cube is farther:
    # the infimum is not attained, and L(θ_k) → inf forces ‖θ_k‖ → ∞
    infimum, l, m = boundary_infimum(gram, target)
    assert abs(l[0] * m[1] - l[1] * m[0]) > 0.1 * np.linalg.norm(m)
    cube = best_cube(gram, target)
    assert cube > 3 * infimum
    runs = train(X3, data, 10, seed=0, max_steps=2000)
    classes = classify(runs, [], infimum, 4, tolerance=1e-5)
    to_infimum = [c for c in classes if c.diverging and c.reaches_infimum]
    assert len(to_infimum) >= 2
    for verdict in to_infimum:
        run = verdict.run
        assert run.final_loss >= infimum * (1 - 1e-9)
        assert run.weight_norms[-1] > 1.5 * run.weight_norms[0] and verdict.pure is None
        c = np.array(run.final_coefficients)
        assert abs(discriminant(c)) < 1e-3 * np.linalg.norm(c) ** 4  # approaching the boundary, from M(R)
    # no run stops at finite weights with the infimum's loss; the ones that stop are at spurious points, among
    # them the best cube (two neurons merged: dμ has rank 2 < 4)
    finite = [c for c in classes if not c.diverging]
    assert not any(c.reaches_infimum for c in finite) and all(c.pure is not True for c in finite)
    assert any(c.pure is False and c.run.jacobian_rank == 2 and c.run.final_loss == pytest.approx(cube, rel=1e-6)
               for c in finite)
    summary = summarize(classes)
    assert summary.diverging_to_infimum == len(to_infimum) and summary.spurious == len(finite)
    assert summary.runs == summary.reached_infimum + summary.spurious + summary.diverging + summary.other == 10


def test_divergence_criterion_on_histories():
    steps = np.arange(1, 2001)
    assert diverges(1 + np.log(steps), 1 + 1 / steps)  # ‖θ‖ keeps growing while the loss stalls
    assert not diverges(3 - 1 / steps, 1 + 1 / steps)  # converging weights
    assert diverges([1.0, 2.0, 2e8 + 1], [3.0, 2.0, 1.0])  # past the norm limit
    assert not diverges(1 + np.log(steps), 2 - steps / 2000)  # the loss still decreases: in transit
    assert not diverges(1 + np.log(steps[:60]), 1 + 1 / steps[:60])  # too short to tell


def test_deadline_is_checked_between_steps():
    arch = Architecture.create("2,2,1", "x^3")
    data = random_dataset(arch, 10, random.Random(0))
    with pytest.raises(TimeLimitExceeded):
        train(arch, data, 2, deadline=Deadline(0.0))


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_only_on_a_terminal(monkeypatch, capsys):
    arch = Architecture.create("2,1,2", "x")
    data = random_dataset(arch, 6, random.Random(0))
    train(arch, data, 2, progress=True)
    assert capsys.readouterr().err == ""  # stderr is not a terminal under pytest
    terminal = _Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    train(arch, data, 2, progress=True)
    assert "training run 1/2: step 1, loss" in terminal.getvalue()
    assert terminal.getvalue().endswith("\r\x1b[K")  # the line is cleared at the end
