"""Compiled kernels of the secant count (:mod:`neurom2.training.secant`): the chart's forms, the critical equations, the
rechart and the predictor–corrector tracker, one path at a time.

Conventions are those of :mod:`neurom2.training.secant`: θ = (v₁, v₂, e₁, e₂, c₁, c₂) in a unitary frame (rows y₁, y₂,
y₃ of linear forms in the coordinates of C³), s = y₂ − v₁y₁, t = y₃ − v₂y₁, f = Σ_k C(D, k) g_k s^(D−k) t^k with
g = c₁p + c₂h; forms are their values at the family's n points; the parameters on a segment are
(1 − s)(z_a, M_a) + s(z_b, M_b) and the equations are Aᵀ(M f − z) with A the six tangent vectors m·P′, m·H′
(m = y₁, s, t).  All arithmetic is complex128.

Compiled by numba with ``cache=True``: the first call after an install compiles (about 20 s for all of them; see
:func:`neurom2.training.secant.compile_kernels`) and stores the machine code in ``NUMBA_CACHE_DIR`` when that is
set, else beside this file, else (not writable) in the user's numba cache; later processes load it in under a second.
Fast math is on except the "no NaN, no infinity" assumptions: the tracker tests for both.  One path is one loop
iteration, its scratch arrays allocated once per call.  Measured on (3,2,1) x⁵ (n = 21): the system 5.7 µs (the numpy
version with batched products took 22 µs per row), a predictor–corrector step 40 µs.
"""

from __future__ import annotations

import cmath
import math
from typing import NamedTuple

import numba
import numpy as np

FAST_MATH = {"nsz", "arcp", "contract", "reassoc", "afn"}
"""LLVM fast-math flags: reassociation (vectorized sums), contraction (fused multiply–add), no signed zeros,
reciprocals and fast functions; not ``nnan``/``ninf``, under which the finiteness tests would be compiled away."""
UNKNOWNS = 6
CHART_POINT = 0.5
"""A path is recharted when its point v leaves this radius (or a slope leaves ``CHART_SLOPE``); recharting after every
step took 17% longer (a rechart, and a new first velocity for the next step)."""
CHART_SLOPE = 2.0
jit = numba.njit(cache=True, fastmath=FAST_MATH, nogil=True)


@jit
def binomials(degree: int) -> np.ndarray:
    """C(m, k) for 0 ≤ k ≤ m ≤ degree (lower triangle of a (degree + 1)² table)."""
    table = np.zeros((degree + 1, degree + 1))
    for m in range(degree + 1):
        table[m, 0] = 1.0
        for k in range(1, m + 1):
            table[m, k] = table[m, k - 1] * (m - k + 1) / k
    return table


class Workspace(NamedTuple):
    """The scratch arrays of :func:`pieces`, :func:`system` and :func:`rechart` (one per batch: :func:`workspace`).
    Values at the n points are rows of length n."""

    sequences: np.ndarray
    """p_k and h_k (D+1, 2)."""
    sequence_derivatives: np.ndarray
    """Their derivatives in e₁ and e₂ (2, D+1, 2)."""
    g: np.ndarray
    """g_k = c₁p_k + c₂h_k (D+1)."""
    dg: np.ndarray
    """∂g/∂e₁, ∂g/∂e₂ (2, D+1)."""
    s_powers: np.ndarray
    """s^k at the points (D+1, n)."""
    t_powers: np.ndarray
    f: np.ndarray
    jac: np.ndarray
    """J = ∂f/∂θ (6, n)."""
    tangents: np.ndarray
    """The tangent vectors A (6, n): m·P′, m·H′ for m = y₁, s, t."""
    dforms: np.ndarray
    """∂P′, ∂H′ in v₁, v₂, e₁, e₂ (8, n, alternating P′, H′)."""
    forms: np.ndarray
    """P′, H′ (2, n)."""
    linear: np.ndarray
    """y₁, s, t (3, n)."""
    weights: np.ndarray
    """x = M(s) f − z(s) (n)."""
    rate: np.ndarray
    """∂(M f − z)/∂s (n)."""
    left_re: np.ndarray
    """(f, A₁, …, A₆), real parts (7, n), and imaginary parts below."""
    left_im: np.ndarray
    metric_re: np.ndarray
    """M(s) (n, n)."""
    metric_im: np.ndarray
    product_re: np.ndarray
    """(f, A₁, …, A₆)ᵀ M(s) (7, n)."""
    product_im: np.ndarray
    basis: np.ndarray
    """The binary forms of degree D with coefficients C(D, k) p_k, C(D, k) h_k (2, n): :func:`binary_forms`."""


@jit
def workspace(n: int, degree: int) -> Workspace:
    """The scratch arrays for n points and degree D."""
    c = np.complex128
    return Workspace(np.zeros((degree + 1, 2), c), np.zeros((2, degree + 1, 2), c), np.zeros(degree + 1, c),
                     np.zeros((2, degree + 1), c), np.zeros((degree + 1, n), c), np.zeros((degree + 1, n), c),
                     np.zeros(n, c), np.zeros((UNKNOWNS, n), c), np.zeros((UNKNOWNS, n), c), np.zeros((8, n), c),
                     np.zeros((2, n), c), np.zeros((3, n), c), np.zeros(n, c), np.zeros(n, c),
                     np.zeros((UNKNOWNS + 1, n)), np.zeros((UNKNOWNS + 1, n)), np.zeros((n, n)), np.zeros((n, n)),
                     np.zeros((UNKNOWNS + 1, n)), np.zeros((UNKNOWNS + 1, n)), np.zeros((2, n), c))


def segment(metric: np.ndarray, change: np.ndarray, center: np.ndarray, shift: np.ndarray) -> tuple[np.ndarray, ...]:
    """The parameters (center + s·shift, metric + s·change) of a segment as :func:`system` takes them: the metric and
    its change split into real and imaginary parts (so that M's products vectorize), then the center and shift."""
    return tuple(np.ascontiguousarray(part) for part in (metric.real, metric.imag, change.real, change.imag,
                                                         center.astype(complex), shift.astype(complex)))


@jit
def _sequences(e1: complex, e2: complex, b: np.ndarray, db: np.ndarray) -> None:
    """b (D+1, 2): p_k and h_k (r_{k+2} = e₁r_{k+1} − e₂r_k from (2, e₁) and (0, 1)); db (2, D+1, 2): their
    derivatives in e₁ and e₂."""
    b[:, :] = 0
    db[:, :, :] = 0
    b[0, 0] = 2
    b[1, 0] = e1
    b[1, 1] = 1
    db[0, 1, 0] = 1
    for k in range(2, b.shape[0]):
        for q in range(2):
            b[k, q] = e1 * b[k - 1, q] - e2 * b[k - 2, q]
            db[0, k, q] = b[k - 1, q] + e1 * db[0, k - 1, q] - e2 * db[0, k - 2, q]
            db[1, k, q] = e1 * db[1, k - 1, q] - b[k - 2, q] - e2 * db[1, k - 2, q]


@jit
def _linear(theta: np.ndarray, frame: np.ndarray, point: np.ndarray) -> tuple[complex, complex, complex]:
    """y₁, s and t at one point."""
    y1 = frame[0, 0] * point[0] + frame[0, 1] * point[1] + frame[0, 2] * point[2]
    y2 = frame[1, 0] * point[0] + frame[1, 1] * point[1] + frame[1, 2] * point[2]
    y3 = frame[2, 0] * point[0] + frame[2, 1] * point[1] + frame[2, 2] * point[2]
    return y1, y2 - theta[0] * y1, y3 - theta[1] * y1


@jit
def binary_forms(theta: np.ndarray, frame: np.ndarray, points: np.ndarray, table: np.ndarray, work: Workspace
                 ) -> None:
    """``work.basis`` (2, n): the binary forms of degree D with coefficients C(D, k) p_k and C(D, k) h_k at the points,
    so that f = basis · (c₁, c₂)."""
    b, db, out = work.sequences, work.sequence_derivatives, work.basis
    degree = table.shape[0] - 1
    _sequences(theta[2], theta[3], b, db)
    for j in range(points.shape[0]):
        _, s, t = _linear(theta, frame, points[j])
        p = 0j
        h = 0j
        t_power = 1 + 0j
        for k in range(degree + 1):
            s_power = 1 + 0j
            for _ in range(degree - k):
                s_power *= s
            w = table[degree, k] * s_power * t_power
            p += w * b[k, 0]
            h += w * b[k, 1]
            t_power *= t
        out[0, j] = p
        out[1, j] = h


@jit
def form_values(theta: np.ndarray, frame: np.ndarray, points: np.ndarray, table: np.ndarray, work: Workspace,
                out: np.ndarray) -> None:
    """out (n,): f at the points, from :func:`binary_forms`."""
    binary_forms(theta, frame, points, table, work)
    for j in range(points.shape[0]):
        out[j] = work.basis[0, j] * theta[4] + work.basis[1, j] * theta[5]


@jit
def pieces(theta: np.ndarray, frame: np.ndarray, points: np.ndarray, table: np.ndarray, work: Workspace) -> None:
    """Fill ``work`` at θ: f (n,), J = ∂f/∂θ (6, n), the tangent vectors A (6, n), the derivatives of P′ and H′ in
    v₁, v₂, e₁, e₂ (8, n, alternating P′, H′), P′ and H′ (2, n) and y₁, s, t (3, n) at the points.  ∂s/∂v₁ = ∂t/∂v₂
    = −y₁ and ∂W_m/∂s, ∂W_m/∂t are m·W_(m−1) shifted (W_m = (C(m, k) s^(m−k) t^k)_k).  Every sum runs over the
    points in its inner loop (contiguous rows), so that it vectorizes."""
    b, db, g, dg, sp, tp = work.sequences, work.sequence_derivatives, work.g, work.dg, work.s_powers, work.t_powers
    f, jac, tangents, dforms, forms, linear = work.f, work.jac, work.tangents, work.dforms, work.forms, work.linear
    degree, n = table.shape[0] - 1, points.shape[0]
    c1, c2 = theta[4], theta[5]
    _sequences(theta[2], theta[3], b, db)
    for k in range(degree + 1):
        g[k] = b[k, 0] * c1 + b[k, 1] * c2
        dg[0, k] = db[0, k, 0] * c1 + db[0, k, 1] * c2
        dg[1, k] = db[1, k, 0] * c1 + db[1, k, 1] * c2
    for j in range(n):
        linear[0, j], linear[1, j], linear[2, j] = _linear(theta, frame, points[j])
        sp[0, j] = 1
        tp[0, j] = 1
    for k in range(1, degree + 1):
        for j in range(n):
            sp[k, j] = sp[k - 1, j] * linear[1, j]
            tp[k, j] = tp[k - 1, j] * linear[2, j]
    f[:] = 0
    jac[:, :] = 0
    forms[:, :] = 0
    dforms[:, :] = 0
    for k in range(degree + 1):  # W_D: f and ∂f/∂(e, c)
        weight, gk, ge1, ge2, pk, hk = table[degree, k], g[k], dg[0, k], dg[1, k], b[k, 0], b[k, 1]
        for j in range(n):
            w = weight * sp[degree - k, j] * tp[k, j]
            f[j] += w * gk
            jac[2, j] += w * ge1
            jac[3, j] += w * ge2
            jac[4, j] += w * pk
            jac[5, j] += w * hk
    for k in range(degree):  # W_(D−1): ∂f/∂s, ∂f/∂t, P′, H′ and their derivatives in e
        weight, gk, gnext = table[degree - 1, k], g[k], g[k + 1]
        pk, hk, pe1, he1, pe2, he2 = b[k, 0], b[k, 1], db[0, k, 0], db[0, k, 1], db[1, k, 0], db[1, k, 1]
        for j in range(n):
            w = weight * sp[degree - 1 - k, j] * tp[k, j]
            jac[0, j] += w * gk
            jac[1, j] += w * gnext
            forms[0, j] += w * pk
            forms[1, j] += w * hk
            dforms[4, j] += w * pe1
            dforms[5, j] += w * he1
            dforms[6, j] += w * pe2
            dforms[7, j] += w * he2
    for k in range(degree - 1):  # W_(D−2): ∂P′/∂s, ∂H′/∂s, ∂P′/∂t, ∂H′/∂t
        weight, pk, hk, pnext, hnext = table[degree - 2, k], b[k, 0], b[k, 1], b[k + 1, 0], b[k + 1, 1]
        for j in range(n):
            w = weight * sp[degree - 2 - k, j] * tp[k, j]
            dforms[0, j] += w * pk
            dforms[1, j] += w * hk
            dforms[2, j] += w * pnext
            dforms[3, j] += w * hnext
    for j in range(n):
        slope = -linear[0, j]  # ∂s/∂v₁ = ∂t/∂v₂
        jac[0, j] *= degree * slope
        jac[1, j] *= degree * slope
        for i in range(4):
            dforms[i, j] *= (degree - 1) * slope
        for m in range(3):
            tangents[2 * m, j] = linear[m, j] * forms[0, j]
            tangents[2 * m + 1, j] = linear[m, j] * forms[1, j]


@jit
def _weights(theta: np.ndarray, frame: np.ndarray, points: np.ndarray, table: np.ndarray, parameters: tuple,
             s: float, rows: int, work: Workspace) -> None:
    """:func:`pieces` at θ, then in ``work`` the products (f, A₁, …, A₆)ᵀ M(s) of the first ``rows`` of those
    vectors (real arithmetic, the inner loop over M's contiguous rows) and the weights x = M(s) f − z(s)."""
    pieces(theta, frame, points, table, work)
    f, tangents, weights = work.f, work.tangents, work.weights
    left_re, left_im, metric_re, metric_im = work.left_re, work.left_im, work.metric_re, work.metric_im
    product_re, product_im = work.product_re, work.product_im
    start_re, start_im, change_re, change_im, center, shift = parameters
    n = points.shape[0]
    for j in range(n):
        left_re[0, j] = f[j].real
        left_im[0, j] = f[j].imag
        for r in range(rows - 1):
            left_re[r + 1, j] = tangents[r, j].real
            left_im[r + 1, j] = tangents[r, j].imag
        for m in range(n):
            metric_re[j, m] = start_re[j, m] + s * change_re[j, m]
            metric_im[j, m] = start_im[j, m] + s * change_im[j, m]
    product_re[:rows] = 0
    product_im[:rows] = 0
    for j in range(n):
        for q in range(rows):
            a, b = left_re[q, j], left_im[q, j]
            for m in range(n):
                product_re[q, m] += a * metric_re[j, m] - b * metric_im[j, m]
                product_im[q, m] += a * metric_im[j, m] + b * metric_re[j, m]
    for m in range(n):
        weights[m] = complex(product_re[0, m], product_im[0, m]) - center[m] - s * shift[m]


@jit
def equations_at(theta: np.ndarray, frame: np.ndarray, points: np.ndarray, table: np.ndarray, parameters: tuple,
                 s: float, work: Workspace, equations: np.ndarray) -> None:
    """The equations Aᵀ(M f − z) (6,) alone at θ and s (:func:`system`'s conventions)."""
    _weights(theta, frame, points, table, parameters, s, 1, work)
    tangents, weights = work.tangents, work.weights
    for r in range(UNKNOWNS):
        value = 0j
        for m in range(points.shape[0]):
            value += weights[m] * tangents[r, m]
        equations[r] = value


@jit
def system(theta: np.ndarray, frame: np.ndarray, points: np.ndarray, table: np.ndarray, parameters: tuple, s: float,
           moving: bool, work: Workspace, equations: np.ndarray, jacobian: np.ndarray, moved: np.ndarray) -> None:
    """At θ and the parameters (z, M) = (center + s·shift, metric + s·change) (``parameters`` from :func:`segment`):
    the equations Aᵀ(M f − z) (6,), their Jacobian in θ (6, 6) and their derivative in s (6,).  ``moving``: whether
    the metric changes (a center segment skips f·change)."""
    _weights(theta, frame, points, table, parameters, s, UNKNOWNS + 1, work)
    jac, tangents, dforms, forms, linear = work.jac, work.tangents, work.dforms, work.forms, work.linear
    weights, rate, left_re, left_im = work.weights, work.rate, work.left_re, work.left_im
    product_re, product_im = work.product_re, work.product_im
    _, _, change_re, change_im, _, shift = parameters
    n = points.shape[0]
    for m in range(n):
        rate[m] = -shift[m]
    if moving:
        for j in range(n):
            a, b = left_re[0, j], left_im[0, j]
            for m in range(n):
                rate[m] += complex(a * change_re[j, m] - b * change_im[j, m], a * change_im[j, m] + b * change_re[j, m])
    for r in range(UNKNOWNS):
        value = 0j
        derivative = 0j
        for m in range(n):
            value += weights[m] * tangents[r, m]
            derivative += rate[m] * tangents[r, m]
        equations[r] = value
        moved[r] = derivative
        for k in range(UNKNOWNS):
            total = 0j
            for j in range(n):
                total += complex(product_re[r + 1, j], product_im[r + 1, j]) * jac[k, j]
            jacobian[r, k] = total
    # xᵀ ∂A/∂θ for the weights x = M f − z: row 2m + q is the multiplier m = y₁, s, t times P′ (q = 0) or H′ (q = 1)
    for multiplier in range(3):
        for q in range(2):
            for variable in range(4):
                total = 0j
                for j in range(n):
                    total += weights[j] * linear[multiplier, j] * dforms[2 * variable + q, j]
                jacobian[2 * multiplier + q, variable] += total
    for q in range(2):
        total = 0j
        for j in range(n):
            total += weights[j] * linear[0, j] * forms[q, j]
        jacobian[2 + q, 0] -= total  # ∂s/∂v₁ = −y₁
        jacobian[4 + q, 1] -= total  # ∂t/∂v₂ = −y₁


@jit
def factor(matrix: np.ndarray, pivots: np.ndarray) -> bool:
    """LU factorization with partial pivoting in place (row k swapped with row ``pivots[k]``); False when a pivot is
    zero or not finite."""
    size = matrix.shape[0]
    for col in range(size):
        pivot = col
        for row in range(col + 1, size):
            if abs(matrix[row, col]) > abs(matrix[pivot, col]):
                pivot = row
        if not abs(matrix[pivot, col]) > 0 or not math.isfinite(abs(matrix[pivot, col])):
            return False
        pivots[col] = pivot
        if pivot != col:
            for k in range(size):
                matrix[col, k], matrix[pivot, k] = matrix[pivot, k], matrix[col, k]
        inverse = 1 / matrix[col, col]
        for row in range(col + 1, size):
            matrix[row, col] *= inverse
            for k in range(col + 1, size):
                matrix[row, k] -= matrix[row, col] * matrix[col, k]
    return True


@jit
def substitute(matrix: np.ndarray, pivots: np.ndarray, rhs: np.ndarray, out: np.ndarray) -> None:
    """out = A⁻¹ rhs from A's factorization by :func:`factor` (``rhs`` is overwritten)."""
    size = rhs.shape[0]
    for col in range(size):
        rhs[col], rhs[pivots[col]] = rhs[pivots[col]], rhs[col]
    for col in range(size):
        for row in range(col + 1, size):
            rhs[row] -= matrix[row, col] * rhs[col]
    for row in range(size - 1, -1, -1):
        total = rhs[row]
        for k in range(row + 1, size):
            total -= matrix[row, k] * out[k]
        out[row] = total / matrix[row, row]


@jit
def solve(matrix: np.ndarray, rhs: np.ndarray, out: np.ndarray, pivots: np.ndarray) -> bool:
    """out = matrix⁻¹ rhs (``matrix`` becomes its factorization, ``rhs`` is overwritten); False when singular."""
    if not factor(matrix, pivots):
        return False
    substitute(matrix, pivots, rhs, out)
    return True


@jit
def _norm(vector: np.ndarray) -> float:
    return math.sqrt((np.abs(vector) ** 2).sum())


@jit
def _unit(vector: np.ndarray) -> None:
    vector /= _norm(vector)


@jit
def rechart(theta: np.ndarray, frame: np.ndarray, points: np.ndarray, table: np.ndarray, work: Workspace,
            new_theta: np.ndarray, new_frame: np.ndarray) -> None:
    """The same point of X in a unitary frame where it is well conditioned: y₁ ∝ the conjugate of the point v where
    l₁ and l₂ vanish (so v = 0), s ∝ l̂₁ + l̂₂ (the two forms normalized and in phase), t the third orthonormal form
    (then |r_i| ≤ 1); c by least squares on f's values."""
    f, basis = work.f, work.basis
    v1, v2, e1, e2 = theta[0], theta[1], theta[2], theta[3]
    form_values(theta, frame, points, table, work, f)
    # the frame is unitary: the point with y = (1, v₁, v₂) is its conjugate transpose applied to that
    point = np.conj(frame[0]) + v1 * np.conj(frame[1]) + v2 * np.conj(frame[2])
    root = cmath.sqrt(e1 * e1 / 4 - e2)
    s_row = frame[1] - v1 * frame[0]
    t_row = frame[2] - v2 * frame[0]
    first = s_row + (e1 / 2 + root) * t_row
    second = s_row + (e1 / 2 - root) * t_row
    _unit(first)
    _unit(second)
    overlap = (first * np.conj(second)).sum()
    phase = overlap / abs(overlap) if abs(overlap) > 0 else 1 + 0j
    s_new = first + phase * second
    _unit(s_new)
    u = np.conj(point)
    _unit(u)
    t_new = np.conj(np.cross(u, s_new))
    _unit(t_new)
    new_frame[0] = u
    new_frame[1] = s_new
    new_frame[2] = t_new
    slope1 = (first * np.conj(t_new)).sum() / (first * np.conj(s_new)).sum()
    slope2 = (second * np.conj(t_new)).sum() / (second * np.conj(s_new)).sum()
    new_theta[:] = 0
    new_theta[2] = slope1 + slope2
    new_theta[3] = slope1 * slope2
    binary_forms(new_theta, new_frame, points, table, work)
    g00 = g01 = g11 = r0 = r1 = 0j
    for j in range(points.shape[0]):
        p, h = basis[0, j], basis[1, j]
        g00 += p.conjugate() * p
        g01 += p.conjugate() * h
        g11 += h.conjugate() * h
        r0 += p.conjugate() * f[j]
        r1 += h.conjugate() * f[j]
    determinant = g00 * g11 - g01 * g01.conjugate()
    new_theta[4] = (g11 * r0 - g01 * r1) / determinant
    new_theta[5] = (g00 * r1 - g01.conjugate() * r0) / determinant


@jit
def _finite(vector: np.ndarray) -> bool:
    for value in vector:
        if not (math.isfinite(value.real) and math.isfinite(value.imag)):
            return False
    return True


@jit
def _newton(theta: np.ndarray, frame: np.ndarray, points: np.ndarray, table: np.ndarray, parameters: tuple,
            s: float, moving: bool, work: Workspace, equations: np.ndarray, jacobian: np.ndarray, moved: np.ndarray,
            step: np.ndarray, pivots: np.ndarray) -> tuple[float, float]:
    """Two Newton steps on θ in place, the second with the first's Jacobian (a chord step: the equations alone, half
    the cost, and still quadratic: J(θ₁) − J(θ₀) = O(|θ₁ − θ₀|)); their sizes relative to 1 + |θ| (∞ when the
    Jacobian is singular)."""
    system(theta, frame, points, table, parameters, s, moving, work, equations, jacobian, moved)
    if not solve(jacobian, equations, step, pivots):
        return np.inf, np.inf
    theta -= step
    first = _norm(step) / (1 + _norm(theta))
    equations_at(theta, frame, points, table, parameters, s, work, equations)
    substitute(jacobian, pivots, equations, step)
    theta -= step
    return first, _norm(step) / (1 + _norm(theta))


@jit
def _inside_chart(theta: np.ndarray) -> bool:
    """Whether θ is well inside its chart: the point v within ``CHART_POINT`` of the frame's origin and both slopes r_i
    below ``CHART_SLOPE`` (a rechart puts v at 0 and |r_i| ≤ 1)."""
    root = cmath.sqrt(theta[2] * theta[2] / 4 - theta[3])
    return (abs(theta[0]) ** 2 + abs(theta[1]) ** 2 < CHART_POINT ** 2 and abs(theta[2] / 2 + root) < CHART_SLOPE
            and abs(theta[2] / 2 - root) < CHART_SLOPE)


@jit
def track(theta: np.ndarray, frames: np.ndarray, points: np.ndarray, table: np.ndarray, parameters: tuple,
          moving: bool, max_steps: int, predictor_error: float, arrived: np.ndarray) -> None:
    """Track each row of ``theta`` (P, 6) in its frame (P, 3, 3) from s = 0 to s = 1 of the segment ``parameters``
    (:func:`segment`; ``moving``: whether its metric changes) in place, setting ``arrived``.  Runge–Kutta predictor
    (four solves of J·θ′ = −∂E/∂s; the first velocity kept after a rejected step, and taken from the corrector's
    Jacobian after an accepted one), two Newton steps that must contract (:func:`_newton`; the first below 10⁻³ and
    the second below 10⁻⁶ and 10⁻² times the first, relative to 1 + |θ|: 10⁻⁷ took 9% more steps), a step size that
    aims at a first Newton correction of ``predictor_error``, a rechart when a step leaves the chart's good part
    (:func:`_inside_chart`); a path fails at a step below 10⁻⁹, at |θ| > 10⁸, a non-finite θ or ``max_steps``."""
    work = workspace(points.shape[0], table.shape[0] - 1)
    equations = np.zeros(UNKNOWNS, np.complex128)
    moved = np.zeros(UNKNOWNS, np.complex128)
    jacobian = np.zeros((UNKNOWNS, UNKNOWNS), np.complex128)
    rates = np.zeros((4, UNKNOWNS), np.complex128)
    stage = np.zeros(UNKNOWNS, np.complex128)
    step = np.zeros(UNKNOWNS, np.complex128)
    corrected = np.zeros(UNKNOWNS, np.complex128)
    pivots = np.zeros(UNKNOWNS, np.int64)
    for path in range(theta.shape[0]):
        z, frame = theta[path], frames[path]
        s, h = 0.0, 0.05
        arrived[path] = False
        known = False  # whether rates[0] is the velocity at (z, s): after a rejected step it still is
        for _ in range(max_steps):
            hi = min(h, 1 - s)
            if not known:
                system(z, frame, points, table, parameters, s, moving, work, equations, jacobian, moved)
                moved *= -1
                known = solve(jacobian, moved, rates[0], pivots)
            predicted = known
            for k in range(1, 4):
                offset = hi if k == 3 else hi / 2
                for i in range(UNKNOWNS):
                    stage[i] = z[i] + offset * rates[k - 1, i]
                system(stage, frame, points, table, parameters, s + offset, moving, work,
                       equations, jacobian, moved)
                moved *= -1
                predicted = solve(jacobian, moved, rates[k], pivots) and predicted
            first = second = np.inf
            if predicted:
                for i in range(UNKNOWNS):
                    corrected[i] = z[i] + hi / 6 * (rates[0, i] + 2 * rates[1, i] + 2 * rates[2, i] + rates[3, i])
                first, second = _newton(corrected, frame, points, table, parameters, s + hi, moving, work, equations,
                                        jacobian, moved, step, pivots)
            error = first if math.isfinite(first) else np.inf
            growth = min(max(0.8 * (predictor_error / max(error, 1e-300)) ** 0.2, 0.25), 2.0)
            if math.isfinite(second) and first < 1e-3 and second < 1e-6 and second < max(1e-2 * first, 1e-10):
                if _inside_chart(corrected):  # the next velocity from the corrector's Jacobian, 10⁻⁴ away
                    z[:] = corrected
                    moved *= -1
                    substitute(jacobian, pivots, moved, rates[0])
                else:
                    rechart(corrected, frame, points, table, work, z, frame)
                    known = False
                s += hi
                h = min(hi * growth, 0.25)
                if s >= 1 - 1e-14:
                    arrived[path] = True
                    break
            else:
                h = hi * min(growth, 0.5)
                if h < 1e-9:
                    break
            if not _finite(z) or _norm(z) > 1e8:
                break
        if arrived[path]:
            arrived[path] = math.isfinite(_newton(z, frame, points, table, parameters, 1.0, moving, work, equations,
                                                  jacobian, moved, step, pivots)[1]) and _finite(z)


@jit
def values(theta: np.ndarray, frames: np.ndarray, points: np.ndarray, table: np.ndarray) -> np.ndarray:
    """f at the points for each row (P, n)."""
    work = workspace(points.shape[0], table.shape[0] - 1)
    out = np.zeros((theta.shape[0], points.shape[0]), np.complex128)
    for row in range(theta.shape[0]):
        form_values(theta[row], frames[row], points, table, work, out[row])
    return out


@jit
def recharts(theta: np.ndarray, frames: np.ndarray, points: np.ndarray, table: np.ndarray
             ) -> tuple[np.ndarray, np.ndarray]:
    """:func:`rechart` for each row: new (θ (P, 6), frames (P, 3, 3))."""
    work = workspace(points.shape[0], table.shape[0] - 1)
    new_theta, new_frames = np.zeros_like(theta), np.zeros_like(frames)
    for row in range(theta.shape[0]):
        rechart(theta[row], frames[row], points, table, work, new_theta[row], new_frames[row])
    return new_theta, new_frames


@jit
def tangents(theta: np.ndarray, frames: np.ndarray, points: np.ndarray, table: np.ndarray) -> np.ndarray:
    """The tangent vectors A at the points for each row (P, n, 6)."""
    work = workspace(points.shape[0], table.shape[0] - 1)
    out = np.zeros((theta.shape[0], points.shape[0], UNKNOWNS), np.complex128)
    for row in range(theta.shape[0]):
        pieces(theta[row], frames[row], points, table, work)
        out[row] = work.tangents.T
    return out


@jit
def systems(theta: np.ndarray, frames: np.ndarray, points: np.ndarray, table: np.ndarray, parameters: tuple,
            s: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """:func:`system` for each row at its own s: equations (P, 6), Jacobians (P, 6, 6), derivatives in s (P, 6)."""
    work = workspace(points.shape[0], table.shape[0] - 1)
    count = theta.shape[0]
    equations = np.zeros((count, UNKNOWNS), np.complex128)
    jacobians = np.zeros((count, UNKNOWNS, UNKNOWNS), np.complex128)
    moved = np.zeros((count, UNKNOWNS), np.complex128)
    for row in range(count):
        system(theta[row], frames[row], points, table, parameters, s[row], True, work, equations[row],
               jacobians[row], moved[row])
    return equations, jacobians, moved
