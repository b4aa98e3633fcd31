"""Unconstrained minimization of a smooth function on R^n in float64: L-BFGS and gradient descent.

No knowledge of networks here: an objective is a function θ ↦ (f(θ), ∇f(θ)).

* ``"lbfgs"``: limited-memory BFGS (memory 10; the two-loop recursion with H₀ = (sᵀy / yᵀy) I, the last
  pair's scaling), each step along the direction found by a line search with the *strong Wolfe* conditions
  f(θ + αd) ≤ f(θ) + c₁ α ∇f·d and |∇f(θ + αd)·d| ≤ c₂ |∇f·d|, c₁ = 1e-4, c₂ = 0.9 (bracketing, then zoom
  with safeguarded cubic interpolation: Nocedal & Wright, *Numerical Optimization*, Algorithms 3.5–3.6).
  The curvature condition makes sᵀy > 0, so every update keeps H positive definite.  The first step has
  length min(1, 1/‖∇f‖); later ones start from α = 1.
* ``"gd"``: steepest descent with Armijo backtracking (halving from twice the previous accepted step).

A minimization stops when the gradient is exactly zero; when the function is flat at rounding level
(the line search finds no step with sufficient decrease, or ``STALL_STEPS`` steps in a row decrease f by
less than 8 units in the last place of f); when ‖θ‖ passes ``norm_limit``; or after ``max_steps`` steps.
Deciding whether the end point is critical is the caller's business: the meaning of "small gradient"
depends on the problem's scales.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Collection
from dataclasses import dataclass

import numpy as np

from neurom2.deadline import Deadline
from neurom2.errors import InvalidOption

Objective = Callable[[np.ndarray], tuple[float, np.ndarray]]
METHODS = ("lbfgs", "gd")
STALL_STEPS = 10


@dataclass(frozen=True)
class _Point:
    """A trial step α along the search direction d: f, ∇f and the slope φ'(α) = ∇f(θ + αd)·d."""

    step: float
    value: float
    gradient: np.ndarray
    slope: float


def _cubic_minimizer(a: _Point, b: _Point) -> float | None:
    """The minimizer of the cubic that interpolates values and slopes at two steps, if it exists."""
    d1 = a.slope + b.slope - 3 * (a.value - b.value) / (a.step - b.step)
    radicand = d1 * d1 - a.slope * b.slope
    if not radicand >= 0:
        return None
    d2 = math.copysign(math.sqrt(radicand), b.step - a.step)
    denominator = b.slope - a.slope + 2 * d2
    if denominator == 0:
        return None
    return b.step - (b.step - a.step) * (b.slope + d2 - d1) / denominator


def wolfe_line_search(objective: Objective, theta: np.ndarray, value: float, gradient: np.ndarray,
                      direction: np.ndarray, step: float, c1: float = 1e-4, c2: float = 0.9,
                      evaluations: int = 40) -> tuple[float, float, np.ndarray] | None:
    """A step α along the descent ``direction`` d satisfying the strong Wolfe conditions, as
    ``(α, f(θ + αd), ∇f(θ + αd))``.  If the evaluations run out first, the best step found with
    sufficient decrease; None if there is none (the function is flat at rounding level along d)."""
    slope0 = float(gradient @ direction)
    if not slope0 < 0:
        return None
    origin = _Point(0.0, value, gradient, slope0)

    def evaluate(alpha: float) -> _Point:
        f, g = objective(theta + alpha * direction)
        return _Point(alpha, f, g, float(g @ direction))

    def decreases(p: _Point) -> bool:
        return math.isfinite(p.value) and p.value <= value + c1 * p.step * slope0

    def flat(p: _Point) -> bool:
        return abs(p.slope) <= -c2 * slope0

    best: _Point | None = None
    low: _Point | None = None
    high: _Point | None = None
    previous, count = origin, 0
    while count < evaluations:  # bracketing: double the step until an interval holds a Wolfe point
        current = evaluate(step)
        count += 1
        if not decreases(current) or (previous is not origin and current.value >= previous.value):
            low, high = previous, current
            break
        best = current
        if flat(current):
            return current.step, current.value, current.gradient
        if current.slope >= 0:
            low, high = current, previous
            break
        previous, step = current, 2 * step
    while low is not None and high is not None and count < evaluations:  # zoom: shrink [low, high]
        lo, hi = sorted((low.step, high.step))
        if hi - lo <= 1e-16 * hi:
            break
        trial = _cubic_minimizer(low, high) if math.isfinite(high.value) and math.isfinite(high.slope) else None
        if trial is None or not lo + 0.1 * (hi - lo) <= trial <= hi - 0.1 * (hi - lo):
            trial = (lo + hi) / 2
        current = evaluate(trial)
        count += 1
        if not decreases(current) or current.value >= low.value:
            high = current
            continue
        best = current
        if flat(current):
            return current.step, current.value, current.gradient
        if current.slope * (high.step - low.step) >= 0:
            high = low
        low = current
    return None if best is None else (best.step, best.value, best.gradient)


def armijo_line_search(objective: Objective, theta: np.ndarray, value: float, gradient: np.ndarray,
                       direction: np.ndarray, step: float, c1: float = 1e-4,
                       evaluations: int = 60) -> tuple[float, float, np.ndarray] | None:
    """Backtracking by halves until f(θ + αd) ≤ f(θ) + c₁ α ∇f·d; None if no such step was found."""
    slope0 = float(gradient @ direction)
    for _ in range(evaluations):
        f, g = objective(theta + step * direction)
        if math.isfinite(f) and f <= value + c1 * step * slope0:
            return step, f, g
        step /= 2
    return None


class _LBFGS:
    """The inverse-Hessian approximation of L-BFGS from the last ``memory`` pairs s = Δθ, y = Δ∇f."""

    def __init__(self, memory: int = 10) -> None:
        self.memory = memory
        self.pairs: list[tuple[np.ndarray, np.ndarray, float]] = []

    def direction(self, gradient: np.ndarray) -> np.ndarray:
        q = gradient.copy()
        alphas = []
        for s, y, rho in reversed(self.pairs):
            alpha = rho * float(s @ q)
            q -= alpha * y
            alphas.append(alpha)
        if self.pairs:
            s, y, rho = self.pairs[-1]
            q *= 1.0 / (rho * float(y @ y))
        for (s, y, rho), alpha in zip(self.pairs, reversed(alphas)):
            q += (alpha - rho * float(y @ q)) * s
        return -q

    def first_step(self, gradient: np.ndarray) -> float:
        return 1.0 if self.pairs else min(1.0, 1.0 / float(np.linalg.norm(gradient)))

    def update(self, s: np.ndarray, y: np.ndarray, step: float) -> None:
        sy = float(s @ y)
        if sy > 1e-12 * float(np.linalg.norm(s)) * float(np.linalg.norm(y)):
            self.pairs = [*self.pairs[-(self.memory - 1):], (s, y, 1.0 / sy)]


class _GradientDescent:
    """Steepest descent; the line search starts from twice the previous accepted step."""

    def __init__(self) -> None:
        self.step = 0.0

    def direction(self, gradient: np.ndarray) -> np.ndarray:
        return -gradient

    def first_step(self, gradient: np.ndarray) -> float:
        return 2 * self.step if self.step else min(1.0, 1.0 / float(np.linalg.norm(gradient)))

    def update(self, s: np.ndarray, y: np.ndarray, step: float) -> None:
        self.step = step


@dataclass(frozen=True, kw_only=True)
class Minimization:
    """Where a minimization stopped, and its history."""

    theta: np.ndarray
    value: float
    gradient: np.ndarray
    steps: int
    stopped: str
    """Why: ``"gradient zero"``, ``"flat"`` (no step decreases f), ``"norm limit"`` or ``"max steps"``."""
    norms: tuple[float, ...]
    """‖θ‖ after every step (index 0: the start)."""
    values: tuple[float, ...]
    """f(θ) after every step."""
    snapshots: dict[int, np.ndarray]
    """θ at the requested steps that were reached, at 0 and at the last step."""


def minimize(objective: Objective, theta0: np.ndarray, *, method: str = "lbfgs", max_steps: int = 5000,
             norm_limit: float = math.inf, record: Collection[int] = (), deadline: Deadline | None = None,
             report: Callable[[int, float], None] | None = None) -> Minimization:
    """Minimize from ``theta0`` (see the module docstring).  ``record``: steps whose θ to keep;
    ``deadline`` is checked before every step; ``report(step, value)`` is called after every step."""
    if method not in METHODS:
        raise InvalidOption(f"method must be one of {', '.join(METHODS)}, got {method!r}")
    rule = _LBFGS() if method == "lbfgs" else _GradientDescent()
    search = wolfe_line_search if method == "lbfgs" else armijo_line_search
    theta = np.array(theta0, dtype=np.float64)
    value, gradient = objective(theta)
    norms, values = [float(np.linalg.norm(theta))], [value]
    snapshots = {0: theta.copy()}
    step, stopped, stalled = 0, "max steps", 0
    while step < max_steps:
        if not np.any(gradient):
            stopped = "gradient zero"
            break
        if norms[-1] > norm_limit:
            stopped = "norm limit"
            break
        if deadline is not None:
            deadline.check()
        direction = rule.direction(gradient)
        if not float(gradient @ direction) < 0:  # rounding lost descent: restart from the gradient
            rule = type(rule)()
            direction = -gradient
        found = search(objective, theta, value, gradient, direction, rule.first_step(gradient))
        if found is None:
            stopped = "flat"
            break
        stalled = stalled + 1 if values[-1] - found[1] <= 8 * np.spacing(abs(values[-1])) else 0
        if stalled >= STALL_STEPS:
            stopped = "flat"
            break
        alpha, value, new_gradient = found
        rule.update(alpha * direction, new_gradient - gradient, alpha)
        theta = theta + alpha * direction
        gradient = new_gradient
        step += 1
        norms.append(float(np.linalg.norm(theta)))
        values.append(value)
        if step in record:
            snapshots[step] = theta.copy()
        if report is not None:
            report(step, value)
    snapshots[step] = theta
    return Minimization(theta=theta, value=value, gradient=gradient, steps=step, stopped=stopped, norms=tuple(norms),
                        values=tuple(values), snapshots=snapshots)
