"""Training in weight space: descent on L(θ) = Σ_j ‖f_θ(a_j) − b_j‖², and where each run ends.

Everything here is numpy float64 and *numerical*: nothing in this module is proved.  It answers, by
running it, the weight-space question of the landscape task: does gradient-based training find the best
reachable function?  Each run is then classified against the function-space answer.

**Training.**  The loss is the sum over the data (not the mean), as in :mod:`neurom2.training.loss`; its
gradient is one backpropagation sweep (:func:`neurom2.model.jacobian.pullback`).  The minimizer is
:func:`neurom2.training.optimize.minimize`: L-BFGS with a strong-Wolfe line search (default) or gradient
descent with backtracking, stopped at rounding level, at ‖θ‖ > 1e8 or after ``max_steps`` steps.  Initial
weights are standard Gaussian; run k draws them from its own stream, ``numpy.random.default_rng`` of the
k-th child of ``numpy.random.SeedSequence(seed)``: a seed reproduces every run, and asking for more runs
does not change the first ones.

**Converged** (``TrainingRun.converged``): θ_final is critical to working precision, relative to the
factors of ∇L = 2Jᵀr (J the evaluation Jacobian at the data, r the residuals):
‖∇L‖ ≤ 1e-6 · 2‖J‖_F · max(‖r‖, 1e-6 ‖B‖_F).

**Rank of dμ** (``TrainingRun.jacobian_rank``).  The rank of ∂c/∂θ at θ_final equals that of the
evaluation Jacobian ∂f_θ(p_i)/∂θ at 4·N fixed standard Gaussian points p_i (N monomials per output), whose
Veronese matrix has full column rank.  Its singular values are those of dμ in the empirical Gaussian L²
inner product on V, which does not depend on the scales of the monomial coordinates (binomial factors
apart, the Veronese conditioning), and they are taken at the :func:`balanced` point of θ's rescaling orbit
(σ = a·x^r), which does not depend on how the weights drifted along the symmetry.  The rank counts the
singular values above ``RANK_TOLERANCE = 1e-6`` times the largest; it is *clear* when none lies between
1e-6 and ``RANK_GAP = 1e-3`` times the largest.

**Diverging** (``TrainingRun.diverging``, weight space).  When the loss approaches a value that is not
attained, ‖θ‖ must grow without bound (σ = x³ on (2,2,1): the cubics l²m on the boundary of M(R)'s
closure are limits of ((l + εm)³ − l³)/(3ε)).  Criterion: ‖θ‖ passed 1e8; or the run took at least 100
steps, over its second half ‖θ‖ grew by at least 5% and ends at its largest value (within 1e-3), while
the loss decreased by at most 1% of the run's total decrease (it has stalled near its limit).  A
diagnosis of a trend, not a proof: a run that converged to an attained minimum may still drift along the
minimum's fiber; :func:`classify` weighs it against function-space evidence when it has it.

**Classification** (:func:`classify`), against the function-space critical points and infimum computed by
the landscape task:

* ``critical_point``: the index of the given critical point p_i nearest to c(θ_final) when
  ‖c − p_i‖ ≤ √tolerance · scale (Euclidean in V's coordinates; scale = the largest of ‖c‖ and the
  ‖p_i‖; √ because near a nondegenerate critical point a loss error ε is a distance of order √ε), else None;
* ``escapes``: function-space evidence that the weights are unbounded: ‖θ‖ passed 1e8, the run reaches an
  infimum known not to be attained, or it ends at a given point of the closure of M(R) outside M(R).  The
  last two force ‖θ‖ → ∞ along any continuation of the run: bounded weights would have a limit point θ*
  with μ(θ*) at that point;
* ``pure`` (Trager–Kohn–Bruna, arXiv:1910.01671): a critical point θ of L∘μ is *pure* if μ(θ) is a
  critical point of L restricted to the smooth part of M, *spurious* if it is critical only because dμ(θ)
  drops rank.  For a converged run that does not escape, with a clear rank: True if rank dμ(θ) = dim M (the
  image of dμ is then the tangent space and ∇L ⟂ T M), or if the rank drops but c(θ) is one of the given
  critical points; False (spurious) if the rank drops and c(θ) is none of them; None otherwise;
* ``reaches_infimum``: L_final − inf ≤ tolerance · max(|inf|, 1e-12 · scale);
* ``outcome`` (:func:`outcome`), the run's one category, used by the report's per-run lines and by
  :func:`summarize`'s counts alike, in this order: ``infimum`` — it reached the infimum at finite weights (it
  does not escape, and either the infimum is known to be attained, so that a drift of ‖θ‖ along a fiber of
  the minimum is no divergence, or its trend is not diverging); ``pure`` / ``spurious`` — it stopped at a
  critical point (above the infimum, or at it without that knowledge); ``diverging`` — the trend criterion
  or escaping; ``undecided`` otherwise.
"""

from __future__ import annotations

import contextlib
import math
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from neurom2.deadline import Deadline
from neurom2.errors import InvalidDataset, InvalidOption
from neurom2.model.architecture import Architecture
from neurom2.model.jacobian import CoefficientReader, FloatArithmetic, Weights, evaluation_jacobian, network_values, pullback
from neurom2.model.space import AmbientSpace
from neurom2.progress import reporting, stage
from neurom2.training.optimize import minimize

CRITICAL_TOLERANCE = 1e-6
"""A run has converged when ‖∇L‖ ≤ CRITICAL_TOLERANCE · 2‖J‖_F · max(‖r‖, CRITICAL_TOLERANCE · ‖B‖_F)."""
RANK_TOLERANCE = 1e-6
"""Singular values of dμ below this times the largest count as zero."""
RANK_GAP = 1e-3
"""Pure or spurious is decided only when no singular value lies between RANK_TOLERANCE and this (times
the largest): a nearly but not clearly rank-deficient dμ is typical of weights slowly escaping to infinity."""
NORM_LIMIT = 1e8
"""A run whose ‖θ‖ passes this stops as diverging."""
DIVERGENCE_MIN_STEPS = 100
"""Runs shorter than this are not diagnosed as diverging (they stopped at a finite point)."""
GROWTH_FACTOR = 1.05
"""Diverging: ‖θ‖ grows by at least this factor over the second half of the run ..."""
STALL_FRACTION = 1e-2
"""... while the loss decreases by at most this fraction of the run's total decrease."""
RECORDED = 120
"""About this many steps of each run are recorded (log-spaced, the last one always)."""
RANK_POINTS_SEED = 20241128
"""Seed of the fixed sample points at which dμ and c(θ) are read."""


# --- the objective ------------------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class SquaredLoss:
    """L(θ) = Σ_j ‖f_θ(a_j) − b_j‖² for float data (inputs ``(m, d0)``, outputs ``(m, dL)``)."""

    architecture: Architecture
    inputs: np.ndarray
    outputs: np.ndarray

    @classmethod
    def of(cls, architecture: Architecture, dataset: Any) -> SquaredLoss:
        """From a dataset with ``inputs`` and ``outputs`` (rationals, read as the nearest floats)."""
        inputs = np.array([[float(v) for v in a] for a in dataset.inputs], dtype=np.float64)
        outputs = np.array([[float(v) for v in b] for b in dataset.outputs], dtype=np.float64)
        inputs, outputs = inputs.reshape(-1, architecture.input_dim), outputs.reshape(-1, architecture.output_dim)
        if len(inputs) == 0:
            raise InvalidDataset("training needs at least one data point")
        return cls(architecture, inputs, outputs)

    @property
    def scale(self) -> float:
        """‖B‖²_F, the loss of the zero function: the data's scale for tolerances."""
        return max(float(np.sum(self.outputs**2)), 1e-300)

    def is_critical(self, theta: np.ndarray, gradient: np.ndarray) -> bool:
        """Whether θ is critical up to :data:`CRITICAL_TOLERANCE`, relative to the factors of ∇L = 2Jᵀr
        (J the evaluation Jacobian at the data, r the residuals): the residual is orthogonal to the
        network's tangent directions up to that cosine, or is itself below that fraction of the data."""
        jacobian = evaluation_jacobian(self.architecture, theta, self.inputs, FloatArithmetic())
        residual = network_values(self.architecture, theta, self.inputs, FloatArithmetic()) - self.outputs
        floor = CRITICAL_TOLERANCE * math.sqrt(self.scale)
        bound = CRITICAL_TOLERANCE * 2 * float(np.linalg.norm(jacobian)) * max(float(np.linalg.norm(residual)), floor)
        return float(np.linalg.norm(gradient)) <= bound

    def __call__(self, theta: np.ndarray) -> tuple[float, np.ndarray]:
        """(L(θ), ∇L(θ)), the gradient by backpropagation: ∇L = Σ_j 2 (f_θ(a_j) − b_j)ᵀ ∂f_θ(a_j)/∂θ."""
        values, vjp = pullback(self.architecture, theta, self.inputs, FloatArithmetic())
        residual = values - self.outputs
        return float(np.sum(residual**2)), vjp(2 * residual)


# --- runs ----------------------------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class TrainingRun:
    """One training run from random weights: where it ended, and its history (subsampled)."""

    index: int
    initial_weights: tuple[float, ...]
    final_weights: tuple[float, ...]
    final_loss: float
    steps: int
    converged: bool
    """θ_final is critical: ∇L small relative to its factors (:meth:`SquaredLoss.is_critical`)."""
    gradient_norm: float
    weight_norms: tuple[float, ...]
    """‖θ‖ at the recorded steps."""
    losses: tuple[float, ...]
    """L(θ) at the recorded steps."""
    path: tuple[tuple[float, ...], ...]
    """c(θ) in V's coordinates at the recorded steps, for pictures."""
    final_coefficients: tuple[float, ...]
    jacobian_rank: int
    """Numerical rank of dμ(θ_final) (singular values above RANK_TOLERANCE times the largest)."""
    diverging: bool
    """‖θ‖ grows without bound while the loss stalls at its limit (criterion in the module docstring)."""
    singular_values: tuple[float, ...] = ()
    """Singular values of dμ(θ_final) (in the Gaussian-L² inner product on V), largest first."""
    recorded_steps: tuple[int, ...] = ()
    """The steps at which ``weight_norms``, ``losses`` and ``path`` were recorded."""

    def to_json(self) -> dict[str, Any]:
        """The run as JSON."""
        return {
            "index": self.index,
            "initial_weights": list(self.initial_weights),
            "final_weights": list(self.final_weights),
            "final_loss": self.final_loss,
            "steps": self.steps,
            "converged": self.converged,
            "gradient_norm": self.gradient_norm,
            "diverging": self.diverging,
            "final_coefficients": list(self.final_coefficients),
            "jacobian_rank": self.jacobian_rank,
            "rank_tolerance": RANK_TOLERANCE,
            "singular_values": list(self.singular_values),
            "recorded_steps": list(self.recorded_steps),
            "weight_norms": list(self.weight_norms),
            "losses": list(self.losses),
            "path": [list(c) for c in self.path],
        }


def diverges(weight_norms: Sequence[float], losses: Sequence[float]) -> bool:
    """The divergence criterion of the module docstring, on a run's history of ‖θ‖ and L (every step)."""
    norms, values = np.asarray(weight_norms, dtype=float), np.asarray(losses, dtype=float)
    if norms[-1] > NORM_LIMIT:
        return True
    steps = len(norms) - 1
    if steps < DIVERGENCE_MIN_STEPS:
        return False
    half = norms[steps // 2:]
    grows = half[-1] >= GROWTH_FACTOR * half[0] and half[-1] >= (1 - 1e-3) * half.max()
    stalls = values[steps // 2] - values[-1] <= STALL_FRACTION * (values[0] - values[-1])
    return bool(grows and stalls)


def balanced(architecture: Architecture, theta: np.ndarray, sweeps: int = 50) -> np.ndarray:
    """The point of θ's rescaling orbit with the least ‖θ‖, for σ = a·x^r (else θ itself).

    Each hidden neuron's incoming weights (and bias) times t, its outgoing weights times t^(−r), leave the
    network unchanged.  ‖θ‖² is convex in the logarithms of the t's; coordinate descent, neuron by neuron,
    has the closed form t^(2r+2) = r‖out‖²/‖in‖².  The function, and the rank of dμ, are unchanged; its
    singular values are those of the better-scaled representative.
    """
    if not architecture.activation.is_monomial or architecture.depth < 2:
        return np.array(theta, dtype=np.float64)
    r = architecture.activation.degree
    layers, position = [], 0
    theta = np.array(theta, dtype=np.float64)
    for rows, cols in architecture.weight_shapes:  # views into theta: rescaling them rescales theta
        matrix = theta[position:position + rows * cols].reshape(rows, cols)
        position += rows * cols
        bias = theta[position:position + rows] if architecture.bias else np.zeros(rows)
        position += rows if architecture.bias else 0
        layers.append((matrix, bias))
    for _ in range(sweeps):
        for (matrix, bias), (following, _) in zip(layers, layers[1:]):
            incoming = np.sum(matrix**2, axis=1) + bias**2
            outgoing = np.sum(following**2, axis=0)
            alive = (incoming > 0) & (outgoing > 0)
            t = np.ones_like(incoming)
            t[alive] = (r * outgoing[alive] / incoming[alive]) ** (1 / (2 * r + 2))
            matrix *= t[:, None]
            bias *= t
            following /= t[None, :] ** r
    return theta


@dataclass(frozen=True, eq=False)
class Trainer:
    """Training of one architecture on one dataset: the loss, and fixed points where c(θ) and dμ are read."""

    loss: SquaredLoss
    reader: CoefficientReader

    @classmethod
    def of(cls, architecture: Architecture, dataset: Any) -> Trainer:
        """A trainer for the network and the data, with fixed random points for the ranks of dμ."""
        rng = np.random.default_rng(RANK_POINTS_SEED)
        points = rng.standard_normal((4 * len(AmbientSpace.of(architecture).monomials), architecture.input_dim))
        return cls(SquaredLoss.of(architecture, dataset), CoefficientReader.at_points(architecture, points))

    @property
    def architecture(self) -> Architecture:
        """The network trained."""
        return self.loss.architecture

    def singular_values(self, theta: np.ndarray) -> np.ndarray:
        """Singular values of dμ at the :func:`balanced` representative of θ, in the empirical L² inner
        product at the reader's points."""
        jac = evaluation_jacobian(self.architecture, balanced(self.architecture, theta), self.reader.points, FloatArithmetic())
        return np.linalg.svd(jac / math.sqrt(len(self.reader.points)), compute_uv=False)

    def run(self, initial_weights: Weights, *, index: int = 0, method: str = "lbfgs", max_steps: int = 5000,
            deadline: Deadline | None = None, report: Callable[[int, float], None] | None = None) -> TrainingRun:
        """Train from ``initial_weights`` (:func:`neurom2.training.optimize.minimize`); ``report(step, loss)``
        is called after each step."""
        record = _recorded_steps(max_steps)
        end = minimize(self.loss, np.asarray(initial_weights, dtype=np.float64), method=method, max_steps=max_steps,
                       norm_limit=NORM_LIMIT, record=record, deadline=deadline, report=report)
        kept = sorted(end.snapshots)
        singular = self.singular_values(end.theta)
        rank = int(np.sum(singular > RANK_TOLERANCE * singular[0])) if singular.size and singular[0] > 0 else 0
        return TrainingRun(
            index=index,
            initial_weights=tuple(float(w) for w in initial_weights),
            final_weights=tuple(float(w) for w in end.theta),
            final_loss=end.value,
            steps=end.steps,
            converged=self.loss.is_critical(end.theta, end.gradient),
            gradient_norm=float(np.linalg.norm(end.gradient)),
            weight_norms=tuple(end.norms[k] for k in kept),
            losses=tuple(end.values[k] for k in kept),
            path=tuple(tuple(float(c) for c in self.reader.coefficients(end.snapshots[k])) for k in kept),
            final_coefficients=tuple(float(c) for c in self.reader.coefficients(end.theta)),
            jacobian_rank=rank,
            diverging=diverges(end.norms, end.values),
            singular_values=tuple(float(s) for s in singular),
            recorded_steps=tuple(kept),
        )


def _recorded_steps(max_steps: int) -> frozenset[int]:
    return frozenset(int(k) for k in np.unique(np.round(np.geomspace(1, max(max_steps, 1), RECORDED))))


def initial_weights(architecture: Architecture, runs: int, seed: int) -> list[np.ndarray]:
    """Standard Gaussian θ₀ for each run, run k from the k-th child stream of ``SeedSequence(seed)``."""
    return [np.random.default_rng(child).standard_normal(architecture.n_params)
            for child in np.random.SeedSequence(seed).spawn(runs)]


def train(architecture: Architecture, dataset: Any, runs: int, *, seed: int = 0, method: str = "lbfgs",
          max_steps: int = 5000, deadline: Deadline | float | None = None, progress: bool = False) -> list[TrainingRun]:
    """``runs`` trainings from random weights on ``dataset`` (anything with ``inputs`` and ``outputs``).

    ``deadline`` (a :class:`Deadline` or seconds) is checked between steps.  Progress (run k/K, step,
    loss) goes to :mod:`neurom2.progress`, which shows it only on a terminal and only when a reporter is
    active: the command line activates one unless ``--json`` or ``--quiet``; ``progress=True`` activates
    one for library callers.
    """
    if runs < 0 or max_steps < 0:
        raise InvalidOption("runs and max_steps must be non-negative")
    budget = None if deadline is None else Deadline.coerce(deadline)
    trainer = Trainer.of(architecture, dataset)
    results = []
    with reporting(progress) if progress else contextlib.nullcontext():
        for index, theta0 in enumerate(initial_weights(architecture, runs, seed)):
            report = _StatusLine(f"training run {index + 1}/{runs}")
            results.append(trainer.run(theta0, index=index, method=method, max_steps=max_steps, deadline=budget,
                                       report=report))
    return results


class _StatusLine:
    """``stage(title, "step s, loss L")`` of :mod:`neurom2.progress`, at most ten times a second."""

    def __init__(self, title: str) -> None:
        self.title = title
        self.shown = -math.inf

    def __call__(self, step: int, loss: float) -> None:
        now = time.monotonic()
        if now - self.shown >= 0.1:
            self.shown = now
            stage(self.title, f"step {step}, loss {loss:.6g}")


# --- classification --------------------------------------------------------------------------------------------


def outcome(run: TrainingRun, *, reaches_infimum: bool, attained: bool | None, escapes: bool, pure: bool | None) -> str:
    """A run's one category (module docstring), the first that applies: ``infimum`` (reached at finite weights),
    ``pure`` or ``spurious`` (stopped at a critical point), ``diverging``, ``undecided``."""
    if reaches_infimum and not escapes and (attained is True or not run.diverging):
        return "infimum"
    if pure is not None:
        return "pure" if pure else "spurious"
    if run.diverging or escapes:
        return "diverging"
    return "undecided"


@dataclass(frozen=True, kw_only=True)
class RunClassification:
    """Where one run ended, against the function-space critical points (see the module docstring)."""

    run: TrainingRun
    critical_point: int | None
    """Index of the given critical point c(θ_final) converged to, or None."""
    pure: bool | None
    """True: pure critical point; False: spurious (dμ drops rank); None: not at a critical point."""
    reaches_infimum: bool
    """The final loss is the infimum within tolerance (at finite weights or not)."""
    diverging: bool
    """Diagnosed diverging: the trend criterion, or function-space evidence (``escapes``)."""
    outcome: str
    """The run's one category (:func:`outcome`): what the report's line and :func:`summarize` count."""

    def to_json(self) -> dict[str, Any]:
        """The run's classification as JSON."""
        return {
            "index": self.run.index,
            "outcome": self.outcome,
            "final_loss": self.run.final_loss,
            "critical_point": self.critical_point,
            "pure": self.pure,
            "reaches_infimum": self.reaches_infimum,
            "diverging": self.diverging,
            "converged": self.run.converged,
            "steps": self.run.steps,
            "jacobian_rank": self.run.jacobian_rank,
            "final_weight_norm": self.run.weight_norms[-1] if self.run.weight_norms else None,
            "final_coefficients": list(self.run.final_coefficients),
        }


def nearest_critical_point(coefficients: Sequence[float], critical_points: Sequence[Sequence[float]],
                           tolerance: float) -> int | None:
    """The index of the critical point within √tolerance · scale of ``coefficients`` (nearest), or None."""
    if not critical_points:
        return None
    c = np.asarray(coefficients, dtype=float)
    points = np.asarray(critical_points, dtype=float).reshape(len(critical_points), -1)
    scale = max(float(np.linalg.norm(c)), float(np.max(np.linalg.norm(points, axis=1))), 1e-300)
    distances = np.linalg.norm(points - c, axis=1)
    nearest = int(np.argmin(distances))
    return nearest if distances[nearest] <= math.sqrt(tolerance) * scale else None


def rank_is_clear(singular_values: Sequence[float]) -> bool:
    """Whether every singular value is either below RANK_TOLERANCE or above RANK_GAP times the largest:
    a numerical rank with a gap of at least RANK_GAP / RANK_TOLERANCE."""
    values = np.asarray(singular_values, dtype=float)
    if not values.size or not values[0] > 0:
        return True
    relative = values / values[0]
    return bool(np.all((relative <= RANK_TOLERANCE) | (relative >= RANK_GAP)))


def classify(runs: Iterable[TrainingRun], critical_points: Sequence[Sequence[float]], infimum: float | None, dim_M: int,
             *, tolerance: float = 1e-6, attained: bool | None = None, unattained_points: Sequence[Sequence[float]] = (),
             scale: float | None = None) -> list[RunClassification]:
    """Classify runs (see the module docstring).

    ``critical_points``: the real function-space critical points on the smooth part of M (floats in V's
    coordinate order); ``infimum``: the infimum of L over M(R) (None: unknown); ``dim_M``: dim M.
    Function-space knowledge of divergence, when the caller has it: ``attained=False`` says the infimum
    is not attained, ``unattained_points`` are points of the closure of M(R) outside M(R) (limits only
    reached as ‖θ‖ → ∞, e.g. the argmin of an unattained infimum).  A run that reaches an unattained
    infimum or ends at such a point diverges: if its weights stayed bounded, a limit point θ* would have
    μ(θ*) at that point.  ``scale`` (default: the largest final loss) is the loss scale below which the
    infimum's relative tolerance does not shrink (for an infimum 0).
    """
    runs = list(runs)
    if scale is None:
        scale = max((r.final_loss for r in runs), default=1.0)
    result = []
    for run in runs:
        index = nearest_critical_point(run.final_coefficients, critical_points, tolerance)
        reaches = infimum is not None and run.final_loss - infimum <= tolerance * max(abs(infimum), 1e-12 * scale)
        at_infinity = nearest_critical_point(run.final_coefficients, unattained_points, tolerance) is not None
        escapes = at_infinity or (reaches and attained is False) or _final_norm(run) > NORM_LIMIT
        pure: bool | None = None
        if run.converged and not escapes and rank_is_clear(run.singular_values):
            pure = run.jacobian_rank >= dim_M or index is not None
        category = outcome(run, reaches_infimum=reaches, attained=attained, escapes=escapes, pure=pure)
        result.append(RunClassification(run=run, critical_point=index, pure=pure, reaches_infimum=reaches,
                                        diverging=run.diverging or escapes, outcome=category))
    return result


def _final_norm(run: TrainingRun) -> float:
    return float(np.linalg.norm(run.final_weights))


# --- summary -----------------------------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class TrainingSummary:
    """How many runs ended where; each run counted once, by its :attr:`RunClassification.outcome`."""

    runs: int
    reached_infimum: int
    """Finite runs whose final loss is within tolerance of the infimum."""
    spurious: int
    """Runs stopped at a spurious critical point (dμ drops rank), not counted as reaching the infimum."""
    diverging: int
    """Runs classified diverging (of which ``diverging_to_infimum`` approach the infimum)."""
    diverging_to_infimum: int
    pure: int
    """Runs stopped at a pure critical point, not counted as reaching the infimum (a saddle, a non-global minimum)."""
    undecided: int
    """Runs not diverging that did not end at a critical point, or where the rank of dμ is unclear."""

    @property
    def other(self) -> int:
        """Runs neither at the infimum, nor spurious, nor diverging."""
        return self.pure + self.undecided

    def to_json(self) -> dict[str, Any]:
        """The counts as JSON."""
        return {"runs": self.runs, "reached_infimum": self.reached_infimum, "spurious": self.spurious,
                "diverging": self.diverging, "diverging_to_infimum": self.diverging_to_infimum,
                "pure": self.pure, "undecided": self.undecided, "other": self.other}

    def format(self) -> str:
        """The counts in words, as the report prints them."""
        return (f"{self.runs} runs: {self.reached_infimum} reached the infimum, {self.spurious} stopped at a spurious "
                f"point, {self.diverging} diverging ({self.diverging_to_infimum} approaching the infimum), "
                f"{self.pure} at another pure critical point, {self.undecided} undecided")


def summarize(classifications: Iterable[RunClassification]) -> TrainingSummary:
    """The counts of the runs' outcomes."""
    classifications = list(classifications)
    outcomes = [c.outcome for c in classifications]
    return TrainingSummary(
        runs=len(classifications),
        reached_infimum=outcomes.count("infimum"),
        spurious=outcomes.count("spurious"),
        diverging=outcomes.count("diverging"),
        diverging_to_infimum=sum(1 for c in classifications if c.outcome == "diverging" and c.reaches_infimum),
        pure=outcomes.count("pure"),
        undecided=outcomes.count("undecided"),
    )
