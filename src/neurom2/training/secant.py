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
are represented by their values at dim V random real points; the equations are linear in the parameters z = M E u
(E the Veronese matrix at the points, M = E⁻ᵀQE⁻¹).

**The count.**  Monodromy: a random θ₀ and z₀ made to order; loops z₀ → z₁ → z₂ → z₀ through random complex
parameters, all known solutions tracked around each (batched numpy, complex128, Runge–Kutta predictor, Newton
corrector, a step size per path; a batch split between two processes); after a loop with no new solution, the
**trace test**: the sum of the solutions' values along z₀ + τd is affine in τ exactly when the solutions are all
of them (the critical points form a variety cut by parallel linear spaces {z = z₀ + τd}), so the count stops when
its second difference is below ``TRACE_TOLERANCE`` (relative); a missing solution leaves a defect of order its own
size (3·10⁻³ for 218 of 219 on (3,2,1) x³; 10⁻¹⁵ when complete).  Then each solution is tracked to the data's
parameters (scaled: X is a cone) and the endpoints are grouped by their values.

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
          "solved by monodromy in the data's parameters with batched path tracking and stopped by the trace test, "
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
"""Called after each monodromy loop with (loops, solutions, paths tracked, trace defect)."""
PARALLEL_PATHS = 200
"""A batch of at least twice this many paths is split between this process and the helper process."""
PREDICTOR_ERROR = 1e-4
"""The relative size of the first Newton correction that the step size aims at (a step is rejected above 1e-3)."""
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


class _SecantFamily:
    """The critical equations in the secant chart for one metric, for a batch of P points θ (P, 6), each in its own
    unitary frame (P, 3, 3) of linear forms (rows y₁, y₂, y₃; s = y₂ − v₁y₁, t = y₃ − v₂y₁), with parameters z (P, n).

    Forms are represented by their values f at n = dim V random real points (E the Veronese matrix there), so the
    loss (c − u)ᵀQ(c − u) is (f − Eu)ᵀM(f − Eu) with M = E⁻ᵀQE⁻¹ (scaled to norm 1); the equations are
    Aᵀ(M f − z), and the data's parameters are z = M E u.  Only bilinear forms occur (no conjugation), so Q need not
    be definite."""

    def __init__(self, space: AmbientSpace, gram: Sequence[Sequence[Fraction]], rng: np.random.Generator):
        n = space.monomial_count
        self.degree = space.top_degree
        self.points = rng.uniform(-1.0, 1.0, size=(n, 3))
        self.veronese = space.veronese(self.points)
        inverse = np.linalg.inv(self.veronese)
        metric = inverse.T @ np.array([[float(v) for v in row] for row in gram]) @ inverse
        self.metric = metric / np.linalg.norm(metric, 2)

    def parameters(self, center: Sequence[Fraction]) -> np.ndarray:
        """The parameters z = M E u of the data's center u (coefficients in the monomial basis of V)."""
        return (self.metric @ (self.veronese @ np.array([float(v) for v in center]))).astype(complex)

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

    @staticmethod
    def _binary_slopes(y1: np.ndarray, sp: np.ndarray, tp: np.ndarray, degree: int) -> np.ndarray:
        """∂W/∂v_i (P, 2, n, m+1) for W of :meth:`_binary` (∂s/∂v₁ = ∂t/∂v₂ = −y₁, ∂s/∂v₂ = ∂t/∂v₁ = 0)."""
        k = np.arange(degree + 1)
        binomials = np.array([comb(degree, j) for j in k], dtype=float)
        first = np.zeros(y1.shape[:1] + (2,) + y1.shape[1:] + (degree + 1,), complex)
        first[:, 0, :, :-1] = binomials[:-1] * (degree - k[:-1]) * sp[..., degree - 1::-1] * tp[..., :degree]
        first[:, 1, :, 1:] = binomials[1:] * k[1:] * sp[..., degree - 1::-1] * tp[..., :degree]
        first *= -y1[:, None, :, None]
        return first

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
        weights x (P, n)."""
        y1, s, t = self._linear(theta[:, :2], frames)
        sp, tp = self._powers(s, self.degree), self._powers(t, self.degree)
        w, dw = self._binary(sp, tp, self.degree), self._binary_slopes(y1, sp, tp, self.degree)
        lower = self._binary(sp, tp, self.degree - 1)
        dlower = self._binary_slopes(y1, sp, tp, self.degree - 1)
        b, db = self._sequences(theta[:, 2:4])
        g = b @ theta[:, 4:, None]                                          # (P, D+1, 1)
        dg = db @ theta[:, None, 4:, None]                                  # (P, 2, D+1, 1)
        f = (w @ g)[..., 0]
        head = b[:, :-1]
        forms = lower @ head                                                # P′, H′ (P, n, 2)
        dforms_v = dlower @ head[:, None]                                   # ∂/∂v_i (P, 2, n, 2)
        dforms_e = lower[:, None] @ db[:, :, :-1]                           # ∂/∂e_i (P, 2, n, 2)
        columns = np.concatenate([(dw @ g[:, None])[..., 0].transpose(0, 2, 1),
                                  (w[:, None] @ dg)[..., 0].transpose(0, 2, 1), w @ b,
                                  y1[..., None] * forms, s[..., None] * forms, t[..., None] * forms], axis=2)

        def weighted(x: np.ndarray) -> np.ndarray:
            h = np.zeros((len(x), UNKNOWNS, UNKNOWNS), complex)
            for block, m in enumerate((y1, s, t)):
                rows = slice(2 * block, 2 * block + 2)
                xm = (x * m)[:, None, None, :]
                h[:, rows, :2] = (xm @ dforms_v)[:, :, 0].transpose(0, 2, 1)
                h[:, rows, 2:4] = (xm @ dforms_e)[:, :, 0].transpose(0, 2, 1)
            xyf = ((x * y1)[:, None, :] @ forms)[:, 0]                            # ∂s/∂v₁ = ∂t/∂v₂ = −y₁
            h[:, 2:4, 0] -= xyf
            h[:, 4:6, 1] -= xyf
            return h

        return columns, f, weighted

    # -- the critical equations ------------------------------------------------------------------------------------
    def system(self, theta: np.ndarray, frames: np.ndarray, center: np.ndarray, direction: np.ndarray | None = None
               ) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
        """The equations Aᵀ(M f − z) (P, 6), their Jacobian in θ (P, 6, 6) and, given a direction of the parameters,
        ∂E/∂z·direction."""
        columns, f, weighted = self._pieces(theta, frames)
        jac_t = np.tensordot(columns[..., :UNKNOWNS], self.metric, axes=([1], [0]))   # (M J)ᵀ (P, 6, n)
        vectors = columns[..., UNKNOWNS:]                                           # A (P, n, 6)
        weights = f @ self.metric - center
        equations = (weights[:, None, :] @ vectors)[:, 0]
        jacobian = (jac_t @ vectors).transpose(0, 2, 1) + weighted(weights)
        moved = None if direction is None else -(direction[:, None, :] @ vectors)[:, 0]
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

    def start(self, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """A random solution θ₀ (1, 6) in a random unitary frame (1, 3, 3) and parameters z₀ (n,) it solves: of
        ``START_TRIALS`` random points the one whose tangent vectors are best conditioned, and z₀ = M f(θ₀) − m with
        Aᵀm = 0."""
        trials = (rng.normal(size=(START_TRIALS, UNKNOWNS)) + 1j * rng.normal(size=(START_TRIALS, UNKNOWNS))) / np.sqrt(2)
        frames, _ = np.linalg.qr(rng.normal(size=(START_TRIALS, 3, 3)) + 1j * rng.normal(size=(START_TRIALS, 3, 3)))
        trials, frames = self.rechart(trials, frames)
        vectors = self._pieces(trials, frames)[0][..., UNKNOWNS:]
        best = int(np.argmin(np.linalg.cond(vectors)))
        _, _, vh = np.linalg.svd(vectors[best].T)
        null = vh[UNKNOWNS:].conj().T
        normal = null @ (rng.normal(size=null.shape[1]) + 1j * rng.normal(size=null.shape[1]))
        theta, frame = trials[best:best + 1], frames[best:best + 1]
        return theta, frame, self.values(theta, frame)[0] @ self.metric - normal


def _trace_defect(tracker: _Tracker, solutions: np.ndarray, frames: np.ndarray, z0: np.ndarray,
                  directions: Callable[[], np.ndarray]) -> float:
    """The trace test: |S(1) + S(−1) − 2 S(0)| / Σ|f|, S(τ) the sum of the values of the solutions tracked from z₀ to
    z₀ + τd, d from ``directions`` (0 up to rounding exactly when they are all the solutions over z₀); after a failed
    path once more along another line, then ∞."""
    values = tracker.family.values(solutions, frames)
    for _attempt in range(2):
        direction, sums = directions(), [values.sum(axis=0)]
        for end in (z0 + direction, z0 - direction):
            points, charts, arrived = tracker.track(solutions, frames, z0, end)
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
    """Batched predictor–corrector path tracking of the critical equations along segments of centers, each path
    recharted (:meth:`_SecantFamily.rechart`) after every accepted step."""

    def __init__(self, family: _SecantFamily, helper: Any = None, deadline: float | None = None, max_steps: int = 400):
        self.family, self.helper, self.deadline, self.max_steps = family, helper, deadline, max_steps
        self.paths = 0

    def track(self, theta: np.ndarray, frames: np.ndarray, start: np.ndarray, end: np.ndarray
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

    def track_batch(self, theta: np.ndarray, frames: np.ndarray, start: np.ndarray, end: np.ndarray
                    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Track row i of ``theta`` (P, 6) in ``frames`` (P, 3, 3) from the parameters ``start`` to ``end`` (each
        (n,)) along z(s) = (1 − s)·start + s·end; returns the endpoints, their frames and a mask of the paths that
        arrived (Runge–Kutta predictor, two Newton steps that must contract, a step size per path aiming at a first
        Newton correction of ``PREDICTOR_ERROR``, a rechart after every accepted step)."""
        family = self.family
        slope = end - start

        def center(s: np.ndarray) -> np.ndarray:
            return start + s[:, None] * slope

        def velocity(points: np.ndarray, charts: np.ndarray, s: np.ndarray) -> np.ndarray:
            _, jacobian, moved = family.system(points, charts, center(s), np.broadcast_to(slope, (len(s), len(slope))))
            assert moved is not None
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
            target = center(si + hi)
            sizes = []
            for _newton in range(2):
                equations, jacobian, _ = family.system(corrected, ci, target)
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
            equations, jacobian, _ = family.system(z[ends], charts[ends], np.broadcast_to(end, (len(ends), len(end))))
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
        solutions, frames, z0, loops, defect = _monodromy(family, tracker, rng, progress)
        target = family.parameters(center)
        target *= np.linalg.norm(z0) / np.linalg.norm(target)  # the equations are homogeneous in (c, z): X is a cone
        images = _Pool(z0.size, IMAGE_TOLERANCE)
        pending, pending_frames, reached = solutions, frames, 0
        for _retry in range(3):  # through a random middle point; lost paths again through another
            middle = _random_parameters(rng, z0)
            ends, charts, arrived = tracker.track(pending, pending_frames, z0, middle)
            more, more_charts, arrived_more = tracker.track(ends[arrived], charts[arrived], middle, target)
            reached += int(np.sum(arrived_more))
            images.locate(family.values(more[arrived_more], more_charts[arrived_more]))
            lost = np.concatenate([np.flatnonzero(~arrived), np.flatnonzero(arrived)[~arrived_more]])
            pending, pending_frames = pending[lost], pending_frames[lost]
            if len(pending) == 0:
                break
    return SecantCount(len(solutions), reached, len(images.points), len(pending), tracker.paths, loops, defect,
                       time.perf_counter() - began)


def _random_parameters(rng: np.random.Generator, z0: np.ndarray) -> np.ndarray:
    """Random complex parameters of the size of z₀ (complex normal entries, |z| ≈ |z₀| on average)."""
    return (rng.normal(size=z0.shape) + 1j * rng.normal(size=z0.shape)) * np.linalg.norm(z0) / np.sqrt(z0.size)


def _monodromy(family: _SecantFamily, tracker: _Tracker, rng: np.random.Generator, progress: Progress | None
               ) -> tuple[np.ndarray, np.ndarray, np.ndarray, int, float]:
    """Monodromy loops z₀ → z₁ → z₂ → z₀ until a loop brings no new solution and the trace test passes: the
    solutions over z₀ (θ and frames), z₀, the number of loops and the final trace defect."""
    solutions, frames, z0 = family.start(rng)

    def random_parameters() -> np.ndarray:
        return _random_parameters(rng, z0)

    known = _Pool(z0.size, SOLUTION_TOLERANCE)
    known.locate(family.values(solutions, frames))
    loops, defect = 0, float("inf")
    while defect > TRACE_TOLERANCE:
        points, charts, alive = solutions, frames, np.ones(len(solutions), bool)
        first, second = random_parameters(), random_parameters()
        for start, end in ((z0, first), (first, second), (second, z0)):
            points, charts, arrived = tracker.track(points, charts, start, end)
            alive &= arrived
        before = len(known.points)
        found = known.locate(family.values(points[alive], charts[alive]))
        fresh = found >= before
        _, first_hit = np.unique(found[fresh], return_index=True)
        new = np.flatnonzero(fresh)[first_hit]
        solutions = np.concatenate([solutions, points[alive][new]])
        frames = np.concatenate([frames, charts[alive][new]])
        loops += 1
        if len(new) == 0:
            defect = _trace_defect(tracker, solutions, frames, z0, random_parameters)
        if progress is not None:
            progress(loops, len(solutions), tracker.paths, defect)
    return solutions, frames, z0, loops, defect
