"""The learning degree when X is σ₂ of the Veronese surface, counted by monodromy in the secant chart.

**The variety.**  A network (3, 2, 1) without biases and with σ = x^D computes f = a₁ l₁^D + a₂ l₂^D (l_i the first
layer's linear forms): the closure X of M is σ₂(ν_D(P²)), the ternary forms of degree D of Waring rank ≤ 2 and their
limits, of dimension 6.  For D ≥ 4 its Lagrange system (dim V + 9 unknowns) is too large for a Gröbner basis in a
minute, and the weights parametrize X badly: near the tangential forms l^(D−1) m (limits with l₁ → l₂ and
a₁ = −a₂ → ∞) the weights run to infinity, and so do homotopy paths in them.

**The secant chart** θ = (v₁, v₂, e₁, e₂, c₁, c₂) in a unitary frame (y₁, y₂, y₃) of linear forms.  l₁ and l₂ vanish
at a point v of the plane, and the forms vanishing at v are spanned by s = y₂ − v₁y₁ and t = y₃ − v₂y₁; write
l_i = s + r_i t, e₁ = r₁ + r₂, e₂ = r₁r₂ and

    f = Σ_k C(D, k) g_k s^(D−k) t^k,   g_k = c₁ p_k + c₂ h_k,

p and h the solutions of r_{k+2} = e₁ r_{k+1} − e₂ r_k with (p₀, p₁) = (2, e₁) and (h₀, h₁) = (0, 1) (the power
sums r₁^k + r₂^k and the divided differences (r₁^k − r₂^k)/(r₁ − r₂)).  The map θ ↦ f is polynomial, its image is
dense in X, it is generically one-to-one for D ≥ 3 (v is unique, and so is the decomposition of a binary form of
degree D ≥ 3 and rank 2 below its generic rank), and at r₁ = r₂ it gives the tangential forms at finite θ.  The
chart's own boundary (v on the line y₁ = 0, or a root r_i at infinity) is avoided by **recharting** a path whenever
a step takes it out of the chart's good part (|v| < 0.5, |r_i| < 2): the frame is changed to y₁ ∝ the conjugate of v
and s ∝ l̂₁ + l̂₂ (unit forms in phase), so that v = 0 and |r_i| ≤ 1; f is unchanged (c from least squares on its
values).  Without this a fifth of the paths stalled where one term's coefficient tends to 0 as its root tends to
infinity.

**The equations.**  f is a critical point of L(c) = (c − u)ᵀQ(c − u) on X_reg iff Q(f − u) is orthogonal to
T_f X = l₁^(D−1)·V₁ + l₂^(D−1)·V₁ (V₁ the linear forms).  A basis polynomial in θ: m·P′ and m·H′ for m = y₁, s, t, with
P′, H′ the binary forms of degree D − 1 with coefficients p_k, h_k (the symmetric functions of l₁^(D−1), l₂^(D−1)).
The six equations Aᵀ Q (f − u) = 0, A these six vectors, are the gradient equations divided by the weights a_i: they
have no component along a_i = 0 (where the gradient equations vanish on a curve that paths crawl along).  Forms
are represented by their values at dim V points of modulus-one coordinates picked so that their Veronese matrix E is
well conditioned (3–6; random real points gave 10³–10⁵, and M below 10¹⁰ for D = 5); the equations Aᵀ(M f − z) = 0
are linear in the parameters (z, M): the data's are z = M E u, M = E⁻ᵀQE⁻¹.

**The count.**  Monodromy: a random θ₀ and p₀ = (z₀, M) made to order; two loops p₀ → p₁ → p₂ → p₀ through random
centers *and metrics* (moving the center alone, a loop fixes a fifth of the solutions and two loops leave about a
hundred of 1825 in small orbits; moving the metric too, two loops mix them all); every solution is tracked around
every loop exactly once (the orbit).  The paths are tracked in complex128 with a Runge–Kutta predictor, a Newton
corrector and a step size per path, compiled one path at a time (:mod:`neurom2.training.secant_kernel`), in chunks
of paths shared by two threads.  When the orbit closes, the **trace test**: the sum of the solutions' values along
(z₀ + τd, M) is affine in τ exactly when the solutions are all of them (the critical points form a variety cut by
parallel linear spaces {z = z₀ + τd}), so the count stops when its second difference is below ``TRACE_TOLERANCE``
(relative); a missing solution leaves a defect of order its own size (6·10⁻⁴ to 5·10⁻³ for 218 of 219 on (3,2,1) x³,
1 to 3·10⁻⁴ for 1824 of 1825 on x⁴; 10⁻¹⁵ when complete).  Otherwise (6471 of 6472 on x⁵: a solution that both loops
fix) extra loops through random centers only, a quarter of the solutions at a time, until one finds a new solution;
its orbit under the two loops, and the trace test again.  Then each solution is tracked to the data's parameters
(scaled: X is a cone) and the endpoints are grouped by their values.

**What the count proves.**  Nothing: it is *probable*, without an error bound (floating point, not certified).  It
equals the learning degree when the trace test's verdict is right (it cannot pass for a proper subset except by a
numerical coincidence), no path jumped to another solution on the way to the data (the count is given only if every
solution reached its own image), and the data are generic (their critical points avoid the chart's complement, the
forms with r₁ = r₂ where A drops rank, and Sing X = ν_D(P²)).  The modular counts check it where they finish:
(3,2,1) x³ gives 219 like the Lagrange and the subspace counts (tests).
"""

from __future__ import annotations

import bisect
import contextlib
import itertools
import os
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from fractions import Fraction
from types import ModuleType
from typing import Any

import numpy as np

from neurom2.errors import InvalidInput, TimeLimitExceeded
from neurom2.model.architecture import Architecture
from neurom2.model.space import AmbientSpace

METHOD = ("critical points of L on σ₂ of the Veronese surface in the secant chart (the point where the two linear "
          "forms vanish, the symmetric functions of their slopes, two linear coordinates; recharted along each path), "
          "solved by monodromy in the centers and metrics with compiled path tracking and stopped by the trace test, "
          "then tracked to the data; probable (floating point, not certified), no error bound: exact when the trace "
          "test is right, no path jumped and the data are generic")
TRACE_TOLERANCE = 1e-8
"""The trace test passes when the second difference of the images' sum is below this, relative to their sizes."""
IMAGE_TOLERANCE = 1e-6
"""Relative distance below which two endpoints have the same image."""
SOLUTION_TOLERANCE = 1e-7
"""Relative distance below which two tracked solutions are the same."""
UNKNOWNS = 6
"""The chart's coordinates θ = (v₁, v₂, e₁, e₂, c₁, c₂): dim X."""
Progress = Callable[[int, int, int, float], None]
"""Called after each round of the monodromy (the new solutions around every loop, or the trace test) with (loops,
solutions, paths tracked, trace defect)."""
CHUNK_PATHS = 8
"""Paths tracked by one call of the compiled tracker: the deadline is checked between calls, and the two threads end a
batch within a few paths of each other."""
PREDICTOR_ERROR = 1e-4
"""The relative size of the first Newton correction that the step size aims at (a step is rejected above 1e-3)."""
POINT_CANDIDATES = 1000
"""Random unimodular points from which the evaluation points are picked."""
START_LOOPS = 2
"""Monodromy loops through random centers and metrics, fixed at the start; every solution goes around each."""
EXTRA_LOOP_SHARE = 4
"""An extra loop (through random centers only, added when the trace test fails on a closed orbit) tracks this
fraction of the solutions per round, so that it stops soon after finding the missing ones."""
METRIC_STEP = 0.3
"""How far (relative to its norm) a loop's corners move the metric.  Loops that move only the center fix a fifth
of the solutions each and two of them leave a hundred in small orbits; moving the metric too mixes them (two loops
suffice for (3,2,1) x⁴), and 0.3 takes fewer steps per path than a random metric (38 against 44) where 0.1 needed a
third loop."""
TRACE_STEP = 0.1
"""The trace test's lines z₀ ± τd have |d| about this times |z₀|: short paths (8 steps per path on (3,2,1) x⁴, against
12 at 0.25 and 18 at 1); the defect of a missing solution shrinks like the square of it (3·10⁻⁴ to 1.4·10⁻³ for 218
of 219 on x³, far above the 10⁻⁸ of ``TRACE_TOLERANCE`` and the 10⁻¹⁵ of a complete set)."""
START_TRIALS = 16
"""Random start points tried; the one whose Jacobian is best conditioned starts the monodromy."""


def _kernel() -> ModuleType:
    """The compiled kernels, imported on first use (numba adds 0.3 s to the start of every command)."""
    from neurom2.training import secant_kernel

    return secant_kernel


def applies(arch: Architecture, dim: int) -> bool:
    """Whether X is σ₂(ν_D(P²)) with D ≥ 3: widths (3, 2, 1), no biases, σ = x^D (a monomial) and dim M = 6."""
    space = AmbientSpace.of(arch)
    return (not arch.bias and tuple(arch.widths) == (3, 2, 1) and space.is_homogeneous and space.top_degree >= 3
            and dim == UNKNOWNS and arch.activation.is_monomial)


@dataclass(frozen=True)
class SecantCount:
    """The critical points of a quadratic loss on σ₂(ν_D(P²)) counted in the secant chart (module docstring)."""

    solutions: int
    """Solutions of the critical equations over the start parameters z₀ when the trace test passed."""
    endpoints: int
    """Of those, the paths that reached the data's parameters."""
    images: int
    """Distinct images (values of f, relative distance 1e-6) of the endpoints: critical points in function space."""
    failed: int
    """Solutions whose paths to the data failed three times."""
    paths: int
    loops: int
    """Monodromy loops used (``START_LOOPS``, and an extra one each time the trace test failed on a closed orbit)."""
    trace_defect: float
    """The trace test's relative second difference at the end (below ``TRACE_TOLERANCE``)."""
    seconds: float

    @property
    def complete(self) -> bool:
        """Whether the count is given: every solution over z₀ reached the data, each at its own image."""
        return self.failed == 0 and self.solutions == self.endpoints == self.images > 0

    @property
    def count(self) -> int | None:
        """The learning degree (the number of images), when the count is :attr:`complete`."""
        return self.images if self.complete else None

    def to_json(self) -> dict[str, Any]:
        """The count as JSON (the keys of a modular count where they apply, plus the monodromy's facts)."""
        return {"prime": None, "dim": 0 if self.complete else None, "degree": self.count, "method": "secant monodromy",
                "solutions": self.solutions, "endpoints": self.endpoints, "failed_paths": self.failed,
                "paths": self.paths, "loops": self.loops, "trace_defect": self.trace_defect, "fiber": 1,
                "seconds": round(self.seconds, 3)}


def _unimodular_points(space: AmbientSpace, rng: np.random.Generator) -> np.ndarray:
    """dim V points of C³ with coordinates of modulus 1 whose Veronese matrix is well conditioned (3–6 for D = 3, 4, 5;
    real points in [−1, 1]³ give 10³–10⁵): picked greedily from ``POINT_CANDIDATES`` random ones, each time the one
    farthest from the span of the rows picked (QR with column pivoting)."""
    candidates = np.exp(2j * np.pi * rng.uniform(size=(POINT_CANDIDATES, 3)))
    residual, picked = space.veronese(candidates), []
    for _ in range(space.monomial_count):
        best = int(np.argmax(np.linalg.norm(residual, axis=1)))
        picked.append(best)
        unit = residual[best] / np.linalg.norm(residual[best])
        residual -= np.outer(residual @ unit.conj(), unit)
    return candidates[picked]


@dataclass(frozen=True)
class Parameters:
    """A point of the parameter space of the critical equations Aᵀ(M f − z) = 0: the center z (n,) and a complex
    symmetric metric M (n, n), both in the values at the family's points."""

    center: np.ndarray
    metric: np.ndarray


class _SecantFamily:
    """The critical equations in the secant chart for a batch of P points θ (P, 6), each in its own unitary frame
    (P, 3, 3) of linear forms (rows y₁, y₂, y₃; s = y₂ − v₁y₁, t = y₃ − v₂y₁), along segments of parameters (z, M);
    the arithmetic is compiled (:mod:`neurom2.training.secant_kernel`).

    Forms are represented by their values f at n = dim V unimodular points (:func:`_unimodular_points`, E the
    Veronese matrix there), so the loss (c − u)ᵀQ(c − u) is (f − Eu)ᵀM(f − Eu) with M = E⁻ᵀQE⁻¹ (scaled to norm 1,
    the family's metric); the equations are Aᵀ(M f − z), and the data's parameters are z = M E u with that M.  Only
    bilinear forms occur (no conjugation), so Q need not be definite and M may be any complex symmetric matrix."""

    def __init__(self, space: AmbientSpace, gram: Sequence[Sequence[Fraction]], rng: np.random.Generator):
        self.kernel = _kernel()
        self.table = self.kernel.binomials(space.top_degree)
        self.points = _unimodular_points(space, rng)
        self.veronese = space.veronese(self.points)
        inverse = np.linalg.inv(self.veronese)
        metric = inverse.T @ np.array([[float(v) for v in row] for row in gram]) @ inverse
        self.metric = (metric / np.linalg.norm(metric, 2)).astype(complex)

    def parameters(self, center: Sequence[Fraction]) -> Parameters:
        """The data's parameters: z = M E u for the data's center u (coefficients in the monomial basis of V), and M."""
        return Parameters((self.metric @ (self.veronese @ np.array([float(v) for v in center]))).astype(complex),
                          self.metric)

    def values(self, theta: np.ndarray, frames: np.ndarray) -> np.ndarray:
        """f at the points (P, n)."""
        return self.kernel.values(theta, frames, self.points, self.table)

    def tangents(self, theta: np.ndarray, frames: np.ndarray) -> np.ndarray:
        """The tangent vectors A (P, n, 6) that span T_f X: m·P′ and m·H′ for m = y₁, s, t (P′, H′ the binary forms of
        degree D − 1 with coefficients p_k, h_k, the symmetric functions of l₁^(D−1) and l₂^(D−1))."""
        return self.kernel.tangents(theta, frames, self.points, self.table)

    def system(self, theta: np.ndarray, frames: np.ndarray, segment: tuple[Parameters, Parameters], s: np.ndarray
               ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The equations Aᵀ(M f − z) (P, 6) at the parameters (1 − s)·a + s·b of ``segment`` (a, b) (``s`` (P,)),
        their Jacobian in θ (P, 6, 6), and their derivative in s (P, 6)."""
        return self.kernel.systems(theta, frames, self.points, self.table, self.segment(*segment), np.asarray(s, float))

    def segment(self, start: Parameters, end: Parameters) -> tuple[np.ndarray, ...]:
        """The parameters (1 − s)·start + s·end as the kernels take them (:func:`~neurom2.training.secant_kernel.segment`)."""
        return self.kernel.segment(start.metric, end.metric - start.metric, start.center, end.center - start.center)

    def rechart(self, theta: np.ndarray, frames: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The same points of X in new unitary frames where they are well conditioned: the point v at the origin
        (y₁ = the conjugate of v, normalized), s ∝ l̂₁ + l̂₂ (the two linear forms normalized and in phase), t the
        third orthonormal form; then |r_i| ≤ 1.  Returns (θ, frames) with v = 0."""
        return self.kernel.recharts(theta, frames, self.points, self.table)

    def start(self, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray, Parameters]:
        """A random solution θ₀ (1, 6) in a random unitary frame (1, 3, 3) and parameters (z₀, M) it solves, M the
        family's metric: of ``START_TRIALS`` random points the one whose tangent vectors are best conditioned, and
        z₀ = M f(θ₀) − m with Aᵀm = 0."""
        trials = (rng.normal(size=(START_TRIALS, UNKNOWNS)) + 1j * rng.normal(size=(START_TRIALS, UNKNOWNS))) / np.sqrt(2)
        frames, _ = np.linalg.qr(rng.normal(size=(START_TRIALS, 3, 3)) + 1j * rng.normal(size=(START_TRIALS, 3, 3)))
        trials, frames = self.rechart(trials, frames)
        vectors = self.tangents(trials, frames)
        best = int(np.argmin(np.linalg.cond(vectors)))
        _, _, vh = np.linalg.svd(vectors[best].T)
        null = vh[UNKNOWNS:].conj().T
        normal = null @ (rng.normal(size=null.shape[1]) + 1j * rng.normal(size=null.shape[1]))
        theta, frame = trials[best:best + 1], frames[best:best + 1]
        return theta, frame, Parameters(self.values(theta, frame)[0] @ self.metric - normal, self.metric)


def _trace_defect(tracker: _Tracker, solutions: np.ndarray, frames: np.ndarray, base: Parameters,
                  directions: Callable[[], np.ndarray]) -> float:
    """The trace test: |S(1) + S(−1) − 2 S(0)| / Σ|f|, S(τ) the sum of the values of the solutions tracked from
    (z₀, M) to (z₀ + τd, M), d from ``directions`` (0 up to rounding exactly when they are all the solutions over
    (z₀, M)); after a failed path once more along another line, then ∞."""
    values = tracker.family.values(solutions, frames)
    for _attempt in range(2):
        direction, sums = directions(), [values.sum(axis=0)]
        for sign in (1, -1):
            end = Parameters(base.center + sign * direction, base.metric)
            points, charts, arrived = tracker.track(solutions, frames, base, end)
            if not arrived.all():
                break
            sums.append(tracker.family.values(points, charts).sum(axis=0))
        else:
            return float(np.linalg.norm(sums[1] + sums[2] - 2 * sums[0]) / np.abs(values).sum())
    return float("inf")


class _Tracker:
    """Predictor–corrector path tracking of the critical equations along segments of parameters, compiled one path at
    a time (:func:`neurom2.training.secant_kernel.track`: Runge–Kutta predictor, two Newton steps that must contract,
    a step size per path aiming at a first Newton correction of ``PREDICTOR_ERROR``, a rechart when a step leaves the
    chart's good part), in chunks of ``CHUNK_PATHS`` between which the deadline is checked, shared with a helper thread (the
    kernel releases the GIL)."""

    def __init__(self, family: _SecantFamily, helper: ThreadPoolExecutor | None = None, deadline: float | None = None,
                 max_steps: int = 400):
        self.family, self.helper, self.deadline, self.max_steps = family, helper, deadline, max_steps
        self.paths = 0

    def track(self, theta: np.ndarray, frames: np.ndarray, start: Parameters, end: Parameters
              ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Track row i of ``theta`` (P, 6) in ``frames`` (P, 3, 3) from the parameters ``start`` to ``end`` along
        (1 − s)·start + s·end (centers and metrics); returns the endpoints, their frames and a mask of the paths that
        arrived.  This thread and the helper thread take chunks of ``CHUNK_PATHS`` rows in turn."""
        self.paths += theta.shape[0]
        theta, frames, arrived = theta.copy(), frames.copy(), np.zeros(len(theta), bool)
        chunks = itertools.count(0, CHUNK_PATHS)  # shared by both threads: next() on it is atomic
        family, parameters, moving = self.family, self.family.segment(start, end), end.metric is not start.metric

        def work() -> None:
            while (begin := next(chunks)) < len(theta):
                if self.deadline is not None and time.perf_counter() > self.deadline:
                    raise TimeLimitExceeded(None, "the secant count's path tracking")
                rows = slice(begin, begin + CHUNK_PATHS)
                family.kernel.track(theta[rows], frames[rows], family.points, family.table, parameters, moving,
                                    self.max_steps, PREDICTOR_ERROR, arrived[rows])

        remote = None if self.helper is None or len(theta) <= CHUNK_PATHS else self.helper.submit(work)
        try:
            work()
        finally:
            if remote is not None:
                remote.result()
        return theta, frames, arrived


class _Pool:
    """Distinct points (rows), compared by relative distance: two rows are the same point when ‖a − b‖ < tolerance ·
    (1 + ‖a‖).  Indexed by the real part of their projection on a fixed random unit vector, kept sorted, so that a
    lookup compares only the points whose projections are that close (the projection does not increase distances)."""

    def __init__(self, width: int, tolerance: float):
        self.tolerance = tolerance
        direction = np.random.default_rng(width).normal(size=(2, width))
        self.direction = (direction[0] + 1j * direction[1]) / np.linalg.norm(direction)
        self.rows: list[np.ndarray] = []
        self.keys: list[float] = []
        self.order: list[int] = []
        """The rows' indices sorted by their keys."""

    def __len__(self) -> int:
        return len(self.rows)

    def locate(self, rows: np.ndarray) -> np.ndarray:
        """The index of each row among the points, the rows not yet present (nor repeated among themselves) added."""
        radii = self.tolerance * (1 + np.linalg.norm(rows, axis=1))
        keys = (rows @ self.direction).real
        found = np.empty(len(rows), int)
        for i, (row, key, radius) in enumerate(zip(rows, keys, radii)):
            low, high = bisect.bisect_left(self.keys, key - radius), bisect.bisect_right(self.keys, key + radius)
            near = [k for k in self.order[low:high] if np.linalg.norm(row - self.rows[k]) < radius]
            if near:
                found[i] = near[0]
                continue
            found[i] = len(self.rows)
            place = bisect.bisect_left(self.keys, key)
            self.keys.insert(place, key)
            self.order.insert(place, len(self.rows))
            self.rows.append(row.copy())
        return found


def secant_count(arch: Architecture, dim: int, gram: Sequence[Sequence[Fraction]], center: Sequence[Fraction],
                 seed: int = 0, timeout: float | None = None, progress: Progress | None = None,
                 parallel: bool = True) -> SecantCount:
    """The critical points of (c − u)ᵀ gram (c − u) on σ₂(ν_D(P²)), the closure of the neuromanifold of ``arch``
    (:func:`applies`), counted in the secant chart by monodromy with a trace test (module docstring); ``progress``
    is called after each loop; both cores are used unless ``parallel`` is false.  Raises
    :class:`~neurom2.errors.TimeLimitExceeded` past ``timeout`` seconds."""
    if not applies(arch, dim):
        raise InvalidInput(f"the secant count needs widths (3, 2, 1), no biases, σ = x^D with D ≥ 3 and dim M = 6; "
                           f"got {arch} with dim {dim}")
    began = time.perf_counter()
    rng = np.random.default_rng(seed)
    family = _SecantFamily(AmbientSpace.of(arch), gram, rng)
    deadline = None if timeout is None else began + timeout
    with ThreadPoolExecutor(1) if parallel and (os.cpu_count() or 1) > 1 else contextlib.nullcontext() as helper:
        tracker = _Tracker(family, helper, deadline)
        solutions, frames, base, loops, defect = _monodromy(family, tracker, rng, progress)
        data = family.parameters(center)
        # the equations are homogeneous in (c, z): X is a cone
        target = Parameters(data.center * np.linalg.norm(base.center) / np.linalg.norm(data.center), base.metric)
        images = _Pool(base.center.size, IMAGE_TOLERANCE)
        pending, pending_frames, reached, route = solutions, frames, 0, [base, target]
        for _retry in range(3):  # straight, then the lost paths through a random middle point
            ends, charts, arrived = _track_through(tracker, pending, pending_frames, route)
            reached += int(np.sum(arrived))
            images.locate(family.values(ends[arrived], charts[arrived]))
            pending, pending_frames = pending[~arrived], pending_frames[~arrived]
            if len(pending) == 0:
                break
            route = [base, Parameters(_random_center(rng, base), base.metric), target]
    return SecantCount(len(solutions), reached, len(images), len(pending), tracker.paths, loops, defect,
                       time.perf_counter() - began)


def compile_kernels() -> float:
    """Compile the kernels that a secant count calls, or load them from numba's cache: about 20 s once after an install
    (or an edit of :mod:`neurom2.training.secant_kernel`), under a second later.  For a container image's build or
    before a timed run (compiling cannot be interrupted, so it counts against a count's time limit).  Returns the
    seconds it took."""
    began = time.perf_counter()
    space = AmbientSpace.of(Architecture.create("3,2,1", "x^3"))
    identity = [[Fraction(int(i == j)) for j in range(space.monomial_count)] for i in range(space.monomial_count)]
    rng = np.random.default_rng(0)
    family = _SecantFamily(space, identity, rng)
    solution, frame, base = family.start(rng)
    _Tracker(family).track(solution, frame, base, base)
    return time.perf_counter() - began


def _track_through(tracker: _Tracker, theta: np.ndarray, frames: np.ndarray, route: Sequence[Parameters]
                   ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """:meth:`_Tracker.track` along the segments of ``route`` one after the other: the endpoints, their frames and
    a mask of the paths that arrived through all of them."""
    alive = np.ones(len(theta), bool)
    for start, end in zip(route, route[1:]):
        theta, frames, arrived = tracker.track(theta, frames, start, end)
        alive &= arrived
    return theta, frames, alive


def _random_center(rng: np.random.Generator, base: Parameters) -> np.ndarray:
    """A random complex center of the size of the base's (complex normal entries, |z| ≈ |z₀| on average)."""
    size = base.center.shape
    return (rng.normal(size=size) + 1j * rng.normal(size=size)) * np.linalg.norm(base.center) / np.sqrt(size[0])


def _random_parameters(rng: np.random.Generator, base: Parameters) -> Parameters:
    """A random center (:func:`_random_center`) and the base's metric moved by a random complex symmetric matrix of
    ``METRIC_STEP`` times its norm (then scaled to norm 1 like the base's)."""
    size = base.metric.shape
    metric = rng.normal(size=size) + 1j * rng.normal(size=size)
    metric = metric + metric.T
    metric = base.metric + METRIC_STEP * np.linalg.norm(base.metric, 2) / np.linalg.norm(metric, 2) * metric
    return Parameters(_random_center(rng, base), metric / np.linalg.norm(metric, 2))


def _monodromy(family: _SecantFamily, tracker: _Tracker, rng: np.random.Generator, progress: Progress | None
               ) -> tuple[np.ndarray, np.ndarray, Parameters, int, float]:
    """The orbit of a random solution over the base parameters p₀ = (z₀, M) under monodromy loops p₀ → p₁ → p₂ → p₀,
    until the trace test passes.  ``START_LOOPS`` loops go through random centers and random complex symmetric
    metrics, and every solution is tracked around each of them exactly once (a newly found one around all of them);
    the trace test runs whenever their orbit has closed with a count not yet tested.  When it fails on a closed orbit,
    the missing solutions are sought with extra loops through random centers only (a third of a metric loop's steps),
    each tracking ``1 / EXTRA_LOOP_SHARE`` of the solutions per round, so that the search stops soon after it finds
    them.  Returns the solutions over p₀ (θ and frames), p₀, the number of loops and the final trace defect."""
    solutions, frames, base = family.start(rng)
    known = _Pool(base.center.size, SOLUTION_TOLERANCE)
    known.locate(family.values(solutions, frames))
    loops = [(_random_parameters(rng, base), _random_parameters(rng, base)) for _ in range(START_LOOPS)]
    tracked = [0] * len(loops)  # loop i has moved solutions[:tracked[i]]
    defect, tested = float("inf"), 0
    while True:
        for i, (first, second) in enumerate(loops):
            begin = tracked[i]
            share = len(solutions) if i < START_LOOPS else -(-len(solutions) // EXTRA_LOOP_SHARE)
            tracked[i] = min(len(solutions), begin + share)
            if begin == tracked[i]:
                continue
            points, charts, alive = _track_through(tracker, solutions[begin:tracked[i]], frames[begin:tracked[i]],
                                                   [base, first, second, base])
            before = len(known)
            found = known.locate(family.values(points[alive], charts[alive]))
            fresh = found >= before
            _, first_hit = np.unique(found[fresh], return_index=True)
            new = np.flatnonzero(fresh)[first_hit]
            solutions = np.concatenate([solutions, points[alive][new]])
            frames = np.concatenate([frames, charts[alive][new]])
            if i >= START_LOOPS and len(new):
                break  # found by an extra loop: around the start loops, then the trace test
        if min(tracked[:START_LOOPS]) == len(solutions) and len(solutions) != tested:
            defect, tested = _trace_defect(tracker, solutions, frames, base,
                                           lambda: TRACE_STEP * _random_center(rng, base)), len(solutions)
        if progress is not None:
            progress(len(loops), len(solutions), tracker.paths, defect)
        if defect <= TRACE_TOLERANCE:
            return solutions, frames, base, len(loops), defect
        if min(tracked) == len(solutions):
            loops.append((Parameters(_random_center(rng, base), base.metric),
                          Parameters(_random_center(rng, base), base.metric)))
            tracked.append(0)
