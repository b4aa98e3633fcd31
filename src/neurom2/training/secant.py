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
chart's own boundary (v on the line y₁ = 0, or a root r_i at infinity) is avoided by **recharting** every path
after every step: the frame is changed to y₁ ∝ the conjugate of v and s ∝ l̂₁ + l̂₂ (unit forms in phase), so that
v = 0 and |r_i| ≤ 1; f is unchanged (c from least squares on its values).  Without this a fifth of the paths stalled
where one term's coefficient tends to 0 as its root tends to infinity.

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
every loop exactly once (the orbit, batched numpy, complex128, Runge–Kutta predictor, Newton corrector, a step size
per path; a batch split between two processes).  When the orbit closes, the **trace test**: the sum of the
solutions' values along (z₀ + τd, M) is affine in τ exactly when the solutions are all of them (the critical points
form a variety cut by parallel linear spaces {z = z₀ + τd}), so the count stops when its second difference is below
``TRACE_TOLERANCE`` (relative); a missing solution leaves a defect of order its own size (6·10⁻⁴ to 5·10⁻³ for
218 of 219 on (3,2,1) x³, 1 to 3·10⁻⁴ for 1824 of 1825 on x⁴; 10⁻¹⁵ when complete).  Otherwise one more loop.
Then each solution is tracked to the data's parameters (scaled: X is a cone) and the endpoints are grouped by their
values.

**What the count proves.**  Nothing: it is *probable*, without an error bound (floating point, not certified).  It
equals the learning degree when the trace test's verdict is right (it cannot pass for a proper subset except by a
numerical coincidence), no path jumped to another solution on the way to the data (the count is given only if every
solution reached its own image), and the data are generic (their critical points avoid the chart's complement, the
forms with r₁ = r₂ where A drops rank, and Sing X = ν_D(P²)).  The modular counts check it where they finish:
(3,2,1) x³ gives 219 like the Lagrange and the subspace counts (tests).
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from fractions import Fraction
from math import comb
from typing import Any

import numpy as np

from neurom2.errors import InvalidInput, TimeLimitExceeded
from neurom2.exact.residues import one_blas_thread
from neurom2.model.architecture import Architecture
from neurom2.model.space import AmbientSpace

METHOD = ("critical points of L on σ₂ of the Veronese surface in the secant chart (the point where the two linear "
          "forms vanish, the symmetric functions of their slopes, two linear coordinates; recharted along each path), "
          "solved by monodromy in the centers and metrics with batched path tracking and stopped by the trace test, "
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
PARALLEL_PATHS = 200
"""A batch of at least twice this many paths is split between this process and the helper process."""
PREDICTOR_ERROR = 1e-4
"""The relative size of the first Newton correction that the step size aims at (a step is rejected above 1e-3)."""
POINT_CANDIDATES = 1000
"""Random unimodular points from which the evaluation points are picked."""
START_LOOPS = 2
"""Monodromy loops fixed at the start; one more is added whenever the orbit under them closes and the trace test
fails."""
METRIC_STEP = 0.3
"""How far (relative to its norm) a loop's corners move the metric.  Loops that move only the center fix a fifth
of the solutions each and two of them leave a hundred in small orbits; moving the metric too mixes them (two loops
suffice for (3,2,1) x⁴), and 0.3 takes fewer steps per path than a random metric (38 against 44) where 0.1 needed a
third loop."""
TRACE_STEP = 0.25
"""The trace test's lines z₀ ± τd have |d| about this times |z₀|: shorter paths than |d| ≈ |z₀| (13 steps per path
against 18); the defect of a missing solution shrinks like the square of it."""
START_TRIALS = 16
"""Random start points tried; the one whose Jacobian is best conditioned starts the monodromy."""


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
    """Monodromy loops used (``START_LOOPS``, and one more after each failed trace test)."""
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
    (P, 3, 3) of linear forms (rows y₁, y₂, y₃; s = y₂ − v₁y₁, t = y₃ − v₂y₁), along segments of parameters (z, M).

    Forms are represented by their values f at n = dim V unimodular points (:func:`_unimodular_points`, E the
    Veronese matrix there), so the loss (c − u)ᵀQ(c − u) is (f − Eu)ᵀM(f − Eu) with M = E⁻ᵀQE⁻¹ (scaled to norm 1,
    the family's metric); the equations are Aᵀ(M f − z), and the data's parameters are z = M E u with that M.  Only
    bilinear forms occur (no conjugation), so Q need not be definite and M may be any complex symmetric matrix."""

    def __init__(self, space: AmbientSpace, gram: Sequence[Sequence[Fraction]], rng: np.random.Generator):
        self.degree = space.top_degree
        self.points = _unimodular_points(space, rng)
        self.veronese = space.veronese(self.points)
        inverse = np.linalg.inv(self.veronese)
        metric = inverse.T @ np.array([[float(v) for v in row] for row in gram]) @ inverse
        self.metric = (metric / np.linalg.norm(metric, 2)).astype(complex)

    def parameters(self, center: Sequence[Fraction]) -> Parameters:
        """The data's parameters: z = M E u for the data's center u (coefficients in the monomial basis of V), and M."""
        return Parameters((self.metric @ (self.veronese @ np.array([float(v) for v in center]))).astype(complex),
                          self.metric)

    # -- the parametrization's pieces ----------------------------------------------------------------------------
    def _linear(self, v: np.ndarray, frames: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """y₁, s and t at the points (P, n each)."""
        y = np.einsum("pij,nj->pin", frames, self.points)
        return y[:, 0], y[:, 1] - v[:, 0:1] * y[:, 0], y[:, 2] - v[:, 1:2] * y[:, 0]

    @staticmethod
    def _powers(x: np.ndarray, top: int) -> np.ndarray:
        """x^0, …, x^top along a new last axis."""
        out = np.empty(x.shape + (top + 1,), complex)
        out[..., 0] = 1
        for j in range(1, top + 1):
            out[..., j] = out[..., j - 1] * x
        return out

    @staticmethod
    def _binary(sp: np.ndarray, tp: np.ndarray, degree: int) -> np.ndarray:
        """W (P, n, m+1): C(m, k) s^(m−k) t^k at the points for m = ``degree`` (``sp``, ``tp`` the powers of s and t
        from :meth:`_powers`)."""
        binomials = np.array([comb(degree, k) for k in range(degree + 1)], dtype=float)
        return binomials * sp[..., degree::-1] * tp[..., : degree + 1]

    def _sequences(self, e: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """B (P, D+1, 2): the sequences p, h, and ∂B/∂e_i (P, 2, D+1, 2)."""
        d, batch = self.degree, e.shape[0]
        value = np.zeros((batch, d + 1, 2), complex)
        first = np.zeros((batch, 2, d + 1, 2), complex)
        value[:, 0] = (2, 0)
        value[:, 1, 0] = e[:, 0]
        value[:, 1, 1] = 1
        first[:, 0, 1, 0] = 1
        e1, e2 = e[:, 0, None], e[:, 1, None]
        for k in range(2, d + 1):
            value[:, k] = e1 * value[:, k - 1] - e2 * value[:, k - 2]
            first[:, 0, k] = value[:, k - 1] + e1 * first[:, 0, k - 1] - e2 * first[:, 0, k - 2]
            first[:, 1, k] = e1 * first[:, 1, k - 1] - value[:, k - 2] - e2 * first[:, 1, k - 2]
        return value, first

    def _basis(self, theta: np.ndarray, frames: np.ndarray) -> np.ndarray:
        """W B (P, n, 2): the values of the two binary forms with coefficients p_k and h_k, so that f = W B c."""
        _, s, t = self._linear(theta[:, :2], frames)
        w = self._binary(self._powers(s, self.degree), self._powers(t, self.degree), self.degree)
        return w @ self._sequences(theta[:, 2:4])[0]

    def values(self, theta: np.ndarray, frames: np.ndarray) -> np.ndarray:
        """f at the points (P, n)."""
        return (self._basis(theta, frames) @ theta[:, 4:, None])[..., 0]

    def _pieces(self, theta: np.ndarray, frames: np.ndarray) -> tuple[Any, ...]:
        """At the points: J = ∂f/∂(v, e, c) and the tangent vectors A that span T_f X, m·P′ and m·H′ for
        m = y₁, s, t (P′, H′ the binary forms of degree D − 1 with coefficients p_k, h_k, k < D: the symmetric
        functions of l₁^(D−1) and l₂^(D−1)), side by side (P, n, 12); f (P, n); and x ↦ xᵀ ∂A/∂θ (P, 6, 6) for
        weights x (P, n).

        Derivatives in v go through W_m = (C(m, k) s^(m−k) t^k)_k: ∂W_m/∂s = m (W_(m−1), 0) and ∂W_m/∂t = m (0, W_(m−1))
        (as columns), and ∂s/∂v₁ = ∂t/∂v₂ = −y₁, so that every piece is one of three batched products W_m · (…)."""
        d, count = self.degree, len(theta)
        y1, s, t = self._linear(theta[:, :2], frames)
        sp, tp = self._powers(s, d), self._powers(t, d)
        b, db = self._sequences(theta[:, 2:4])                              # (P, D+1, 2), (P, 2, D+1, 2)
        c = theta[:, 4:, None]
        g = b @ c                                                           # (P, D+1, 1)
        dg = (db @ c[:, None])[..., 0].transpose(0, 2, 1)                   # ∂g/∂e_i (P, D+1, 2)
        top = self._binary(sp, tp, d) @ np.concatenate([g, dg, b], axis=2)  # f, ∂f/∂e, ∂f/∂c (P, n, 5)
        head, dhead = b[:, :-1], db[:, :, :-1].transpose(0, 2, 1, 3).reshape(count, d, 4)   # ∂P′, ∂H′/∂e_i
        middle = self._binary(sp, tp, d - 1) @ np.concatenate([g[:, :-1], g[:, 1:], head, dhead], axis=2)
        low = self._binary(sp, tp, d - 2) @ np.concatenate([head[:, :-1], head[:, 1:]], axis=2)
        slope = -y1[..., None]                                              # ∂s/∂v₁ = ∂t/∂v₂
        forms = middle[..., 2:4]                                            # P′, H′ (P, n, 2)
        dforms = np.concatenate([(d - 1) * slope * low, middle[..., 4:]], axis=2)  # ∂/∂v₁, ∂/∂v₂, ∂/∂e₁, ∂/∂e₂
        columns = np.concatenate([d * slope * middle[..., :2], top[..., 1:], y1[..., None] * forms,
                                  s[..., None] * forms, t[..., None] * forms], axis=2)

        def weighted(x: np.ndarray) -> np.ndarray:
            h = np.zeros((len(x), UNKNOWNS, UNKNOWNS), complex)
            moments = np.stack([x * y1, x * s, x * t], axis=1) @ dforms     # (P, 3 m, 4 θ × 2 forms)
            h[:, :, :4] = moments.reshape(-1, 3, 4, 2).transpose(0, 1, 3, 2).reshape(-1, UNKNOWNS, 4)
            xyf = ((x * y1)[:, None, :] @ forms)[:, 0]                       # ∂s/∂v₁ = ∂t/∂v₂ = −y₁ in m
            h[:, 2:4, 0] -= xyf
            h[:, 4:6, 1] -= xyf
            return h

        return columns, top[..., 0], weighted

    # -- the critical equations ------------------------------------------------------------------------------------
    def system(self, theta: np.ndarray, frames: np.ndarray, segment: tuple[Parameters, Parameters], s: np.ndarray
               ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The equations Aᵀ(M f − z) (P, 6) at the parameters (1 − s)·a + s·b of ``segment`` (a, b) (``s`` (P,)),
        their Jacobian in θ (P, 6, 6), and their derivative in s (P, 6)."""
        start, end = segment
        columns, f, weighted = self._pieces(theta, frames)
        jacobian_columns, vectors = columns[..., :UNKNOWNS], columns[..., UNKNOWNS:]         # J, A (P, n, 6)
        jac_t = np.tensordot(jacobian_columns, start.metric, axes=([1], [0]))                # (M J)ᵀ (P, 6, n)
        rate = np.broadcast_to(start.center - end.center, f.shape)                           # ∂(M f − z)/∂s
        if end.metric is not start.metric:
            change = end.metric - start.metric
            rate = rate + f @ change
            jac_t += s[:, None, None] * np.tensordot(jacobian_columns, change, axes=([1], [0]))
        weights = f @ start.metric - start.center + s[:, None] * rate
        equations = (weights[:, None, :] @ vectors)[:, 0]
        jacobian = (jac_t @ vectors).transpose(0, 2, 1) + weighted(weights)
        moved = (rate[:, None, :] @ vectors)[:, 0]
        return equations, jacobian, moved

    def rechart(self, theta: np.ndarray, frames: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The same points of X in new unitary frames where they are well conditioned: the point v at the origin
        (y₁ = the conjugate of v, normalized), s ∝ l̂₁ + l̂₂ (the two linear forms normalized and in phase), t the
        third orthonormal form; then |r_i| ≤ 1.  Returns (θ, frames) with v = 0."""
        v, e = theta[:, :2], theta[:, 2:4]
        point = np.linalg.solve(frames, np.stack([np.ones(len(v)), v[:, 0], v[:, 1]], axis=1)[..., None])[..., 0]
        root = np.sqrt(e[:, 0] ** 2 / 4 - e[:, 1])
        roots = np.stack([e[:, 0] / 2 + root, e[:, 0] / 2 - root], axis=1)
        s_row = frames[:, 1] - v[:, 0:1] * frames[:, 0]
        t_row = frames[:, 2] - v[:, 1:2] * frames[:, 0]
        forms = s_row[:, None] + roots[..., None] * t_row[:, None]                      # (P, 2, 3)
        forms = forms / np.linalg.norm(forms, axis=2, keepdims=True)
        overlap = np.sum(forms[:, 0] * forms[:, 1].conj(), axis=1)
        phase = np.where(np.abs(overlap) > 0, overlap / np.maximum(np.abs(overlap), 1e-300), 1)
        s_new = forms[:, 0] + phase[:, None] * forms[:, 1]
        s_new /= np.linalg.norm(s_new, axis=1, keepdims=True)
        u = point.conj() / np.linalg.norm(point, axis=1, keepdims=True)
        t_new = np.cross(u, s_new).conj()
        t_new /= np.linalg.norm(t_new, axis=1, keepdims=True)
        new_frames = np.stack([u, s_new, t_new], axis=1)
        beta = np.einsum("pij,pj->pi", forms, s_new.conj())
        gamma = np.einsum("pij,pj->pi", forms, t_new.conj())
        slopes = gamma / beta
        new = np.zeros_like(theta)
        new[:, 2] = slopes.sum(axis=1)
        new[:, 3] = slopes.prod(axis=1)
        basis = self._basis(new, new_frames)
        target = self.values(theta, frames)
        normal = np.einsum("pni,pnj->pij", basis.conj(), basis)
        new[:, 4:] = np.linalg.solve(normal, np.einsum("pni,pn->pi", basis.conj(), target)[..., None])[..., 0]
        return new, new_frames

    def start(self, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray, Parameters]:
        """A random solution θ₀ (1, 6) in a random unitary frame (1, 3, 3) and parameters (z₀, M) it solves, M the
        family's metric: of ``START_TRIALS`` random points the one whose tangent vectors are best conditioned, and
        z₀ = M f(θ₀) − m with Aᵀm = 0."""
        trials = (rng.normal(size=(START_TRIALS, UNKNOWNS)) + 1j * rng.normal(size=(START_TRIALS, UNKNOWNS))) / np.sqrt(2)
        frames, _ = np.linalg.qr(rng.normal(size=(START_TRIALS, 3, 3)) + 1j * rng.normal(size=(START_TRIALS, 3, 3)))
        trials, frames = self.rechart(trials, frames)
        vectors = self._pieces(trials, frames)[0][..., UNKNOWNS:]
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


def _solve(jacobian: np.ndarray, rhs: np.ndarray) -> np.ndarray:
    """Batched solve; a singular system gives a NaN row instead of an exception."""
    try:
        return np.linalg.solve(jacobian, rhs[..., None])[..., 0]
    except np.linalg.LinAlgError:
        out = np.full_like(rhs, np.nan)
        regular = np.abs(np.linalg.det(jacobian)) > 1e-300
        if np.any(regular):
            out[regular] = np.linalg.solve(jacobian[regular], rhs[regular][..., None])[..., 0]
        return out


class _Tracker:
    """Batched predictor–corrector path tracking of the critical equations along segments of parameters, each path
    recharted (:meth:`_SecantFamily.rechart`) after every accepted step."""

    def __init__(self, family: _SecantFamily, helper: Any = None, deadline: float | None = None, max_steps: int = 400):
        self.family, self.helper, self.deadline, self.max_steps = family, helper, deadline, max_steps
        self.paths = 0

    def track(self, theta: np.ndarray, frames: np.ndarray, start: Parameters, end: Parameters
              ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """:meth:`track_batch`, the second half of a large batch in the helper process (a one-process
        ``multiprocessing`` pool whose initializer received the family) while this process tracks the first."""
        self.paths += theta.shape[0]
        if self.helper is None or len(theta) < 2 * PARALLEL_PATHS:
            return self.track_batch(theta, frames, start, end)
        half = len(theta) // 2
        remote = self.helper.apply_async(_track_in_helper, (theta[half:], frames[half:], start, end))
        local = self.track_batch(theta[:half], frames[:half], start, end)
        other = remote.get()
        return tuple(np.concatenate([a, b]) for a, b in zip(local, other))  # type: ignore[return-value]

    def track_batch(self, theta: np.ndarray, frames: np.ndarray, start: Parameters, end: Parameters
                    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Track row i of ``theta`` (P, 6) in ``frames`` (P, 3, 3) from the parameters ``start`` to ``end`` along
        (1 − s)·start + s·end (centers and metrics); returns the endpoints, their frames and a mask of the paths that
        arrived (Runge–Kutta predictor, two Newton steps that must contract, a step size per path aiming at a first
        Newton correction of ``PREDICTOR_ERROR``, a rechart after every accepted step)."""
        family, segment = self.family, (start, end)

        def velocity(points: np.ndarray, charts: np.ndarray, s: np.ndarray) -> np.ndarray:
            _, jacobian, moved = family.system(points, charts, segment, s)
            return _solve(jacobian, -moved)

        z, charts = theta.copy(), frames.copy()
        count = z.shape[0]
        s, h = np.zeros(count), np.full(count, 0.05)
        active, arrived = np.ones(count, bool), np.zeros(count, bool)
        for _ in range(self.max_steps):
            idx = np.flatnonzero(active)
            if idx.size == 0:
                break
            if self.deadline is not None and time.perf_counter() > self.deadline:
                raise TimeLimitExceeded(None, "the secant count's path tracking")
            zi, ci, si, hi = z[idx], charts[idx], s[idx], np.minimum(h[idx], 1 - s[idx])
            k1 = velocity(zi, ci, si)
            k2 = velocity(zi + hi[:, None] / 2 * k1, ci, si + hi / 2)
            k3 = velocity(zi + hi[:, None] / 2 * k2, ci, si + hi / 2)
            k4 = velocity(zi + hi[:, None] * k3, ci, si + hi)
            corrected = zi + hi[:, None] / 6 * (k1 + 2 * k2 + 2 * k3 + k4)
            corrected[~np.all(np.isfinite(corrected), axis=1)] = 0
            sizes = []
            for _newton in range(2):
                equations, jacobian, _ = family.system(corrected, ci, segment, si + hi)
                step = _solve(jacobian, equations)
                corrected = corrected - step
                sizes.append(np.linalg.norm(step, axis=1) / (1 + np.linalg.norm(corrected, axis=1)))
            ok = (np.isfinite(sizes[1]) & (sizes[0] < 1e-3) & (sizes[1] < 1e-7)
                  & (sizes[1] < np.maximum(1e-2 * sizes[0], 1e-10)))
            accept, reject = idx[ok], idx[~ok]
            z[accept], charts[accept] = family.rechart(corrected[ok], ci[ok])
            s[accept] = si[ok] + hi[ok]
            error = np.where(np.isfinite(sizes[0]), sizes[0], np.inf)
            factor = np.clip(0.8 * (PREDICTOR_ERROR / np.maximum(error, 1e-300)) ** 0.2, 0.25, 2.0)
            h[accept] = np.minimum(hi[ok] * factor[ok], 0.25)
            h[reject] = hi[~ok] * np.minimum(factor[~ok], 0.5)
            done = accept[s[accept] >= 1 - 1e-14]
            arrived[done] = True
            active[done] = False
            active[reject[h[reject] < 1e-9]] = False
            active[~np.all(np.isfinite(z), axis=1) | (np.linalg.norm(z, axis=1) > 1e8)] = False
        ends = np.flatnonzero(arrived)
        for _newton in range(2):
            equations, jacobian, _ = family.system(z[ends], charts[ends], segment, np.ones(len(ends)))
            z[ends] -= _solve(jacobian, equations)
        arrived[ends] = np.all(np.isfinite(z[ends]), axis=1)
        return z, charts, arrived


_helper_tracker: _Tracker | None = None
"""The helper process's tracker (set by :func:`_start_helper`)."""


def _start_helper(family: _SecantFamily) -> None:
    global _helper_tracker
    _helper_tracker = _Tracker(family)


def _track_in_helper(*arguments: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    assert _helper_tracker is not None
    with one_blas_thread():
        return _helper_tracker.track_batch(*arguments)


@contextlib.contextmanager
def _helper(family: _SecantFamily, parallel: bool) -> Iterator[Any]:
    """A one-process pool for :meth:`_Tracker.track`, forked (it receives the family and only runs numpy; a
    spawned process would re-import the caller's main module), or None when ``parallel`` is false, the machine
    has one core or the platform cannot fork."""
    if not parallel or (os.cpu_count() or 1) < 2 or "fork" not in multiprocessing.get_all_start_methods():
        yield None
        return
    pool = multiprocessing.get_context("fork").Pool(1, initializer=_start_helper, initargs=(family,))
    try:
        yield pool
    finally:
        pool.terminate()
        pool.join()


class _Pool:
    """Distinct points (rows), compared by relative distance."""

    def __init__(self, width: int, tolerance: float):
        self.points = np.zeros((0, width), complex)
        self.tolerance = tolerance

    def locate(self, rows: np.ndarray) -> np.ndarray:
        """The index of each row among the points, the rows not yet present (nor repeated among themselves) added."""
        found = self._find(rows)
        for i in np.flatnonzero(found < 0):
            again = self._find(rows[i:i + 1])[0]
            if again < 0:
                self.points = np.vstack([self.points, rows[i:i + 1]])
                again = len(self.points) - 1
            found[i] = again
        return found

    def _find(self, rows: np.ndarray) -> np.ndarray:
        found = np.full(len(rows), -1)
        if len(self.points) == 0 or len(rows) == 0:
            return found
        scale = self.tolerance * (1 + np.linalg.norm(rows, axis=1))
        for begin in range(0, len(rows), 256):
            block = rows[begin:begin + 256]
            distances = np.linalg.norm(block[:, None, :] - self.points[None], axis=2)
            nearest = distances.argmin(axis=1)
            close = distances[np.arange(len(block)), nearest] < scale[begin:begin + 256]
            found[begin:begin + 256] = np.where(close, nearest, -1)
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
    with _helper(family, parallel) as helper, one_blas_thread():
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
    return SecantCount(len(solutions), reached, len(images.points), len(pending), tracker.paths, loops, defect,
                       time.perf_counter() - began)


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
    """The orbit of a random solution over the base parameters p₀ = (z₀, M) under monodromy loops p₀ → p₁ → p₂ → p₀
    through random centers and random complex symmetric metrics (``START_LOOPS`` of them, one more each time the
    trace test fails): every solution is tracked around every loop exactly once, a newly found one around all of
    them, until no loop has an untracked solution and the trace test passes.  Returns the solutions over p₀ (θ and
    frames), p₀, the number of loops and the final trace defect."""
    solutions, frames, base = family.start(rng)
    known = _Pool(base.center.size, SOLUTION_TOLERANCE)
    known.locate(family.values(solutions, frames))
    loops = [(_random_parameters(rng, base), _random_parameters(rng, base)) for _ in range(START_LOOPS)]
    tracked = [0] * len(loops)  # loop i has moved solutions[:tracked[i]]
    defect = float("inf")
    while True:
        for i, (first, second) in enumerate(loops):
            begin = tracked[i]
            tracked[i] = len(solutions)
            if begin == len(solutions):
                continue
            points, charts, alive = _track_through(tracker, solutions[begin:], frames[begin:],
                                                   [base, first, second, base])
            before = len(known.points)
            found = known.locate(family.values(points[alive], charts[alive]))
            fresh = found >= before
            _, first_hit = np.unique(found[fresh], return_index=True)
            new = np.flatnonzero(fresh)[first_hit]
            solutions = np.concatenate([solutions, points[alive][new]])
            frames = np.concatenate([frames, charts[alive][new]])
        closed = min(tracked) == len(solutions)
        if closed:
            defect = _trace_defect(tracker, solutions, frames, base, lambda: TRACE_STEP * _random_center(rng, base))
        if progress is not None:
            progress(len(loops), len(solutions), tracker.paths, defect)
        if defect <= TRACE_TOLERANCE:
            return solutions, frames, base, len(loops), defect
        if closed:
            loops.append((_random_parameters(rng, base), _random_parameters(rng, base)))
            tracked.append(0)
