"""Membership: is a target t ∈ V computed by the network for some real (or complex) weights?

The question is whether the fiber F_t = {θ : c(θ) = t} of the parametrization (:mod:`neurom2.model.parametrization`,
coordinates of :mod:`neurom2.model.space`) has a real point (``field="real"``) or any point (``field="complex"``).
A "yes" comes with weights whose network equals t, checked exactly; a "no" with a certificate naming its
method and the data a reader can check; when neither is proved the answer is ``None``, with the reason.

Method
------
1. *One affine layer* (L = 1): every point of V is a network; the weights are t's coefficients.
2. *Linear networks* (σ of degree 1; with biases any σ = a·x + s): the network is x ↦ A x (+ b) where A
   ranges over the d_L × d_0 matrices of rank ≤ r = min(widths) (b is free with biases).  Decided by the
   exact rank of t's linear part over QQ, which is its rank over R and C.  "Yes": an exact rank
   factorization spread over the layers.  "No": a nonzero minor of size rank(A) > r.
3. *Fibers in symmetry charts* (every other σ).  For σ = a·x^r, r ≥ 2 (with biases also a·(x+s)^r + c),
   each hidden neuron has a rescaling: its input weights and bias + s times λ, its outgoing weights times
   λ^(-r) (and a bias correction), for every real λ ≠ 0.  A *chart* chooses, for each hidden neuron, the
   position j of its first nonzero input weight (or the bias slot, b + s ≠ 0 with w = 0) and fixes
   w_j = 1 and the weights before it to 0; a real λ moves every weight vector into one of these charts.
   A neuron whose input weights and b + s all vanish outputs a constant (0 without biases), so it can be
   replaced by one in the chart j = 1 with zero outgoing weights (its constant moved into the next
   bias).  Permuting the neurons of a layer sorts their chart positions, so per layer the positions are
   a non-decreasing sequence.  The charts therefore cover all weights, over R as over C.  Other
   activations have one chart, all weights free.
   First, in each chart with more free weights than equations, a random slice (that excess of free
   weights fixed to random integers) is tried: a (real) point on it answers yes at once, without the
   chart's Gröbner basis, which is expensive for positive-dimensional fibers.  Otherwise, in each chart
   Macaulay2 builds the fiber ideal J ⊂ QQ[free weights] from the package's network (its generators
   are compared with Python's parametrization), and computes dim J:
   - J = (1): the chart is empty over C.  Certificate: cofactors h with Σ h_k g_k = 1 (checked here).
   - dim J = 0: Macaulay2 gives a monomial basis of A = QQ[free]/J and the matrices of multiplication
     by the variables.  Hermite's trace form H(a, b) = Tr(m_ab) has rank = the number of points over C
     and signature = the number of real points (exact: Descartes' rule on the characteristic polynomial
     of the symmetric matrix H).  Independently, a random integer linear form u is *separating* when the
     squarefree part χ of the characteristic polynomial of m_u has that many roots; the real points are
     then exactly at the real roots of χ (a real point gives a real u; a real root gives a real point
     through the rational univariate representation θ_i = g_i(u) / g_1(u), built from the traces
     Tr(θ_i u^j)).  The real roots of χ are counted exactly, by Sturm sequences up to degree 40 and by
     Arb's certified root isolation beyond; the two counts must agree.
   - dim J > 0: over C the chart is nonempty (Nullstellensatz); a point is found by fixing a maximal
     independent set of free weights to random integers (a zero-dimensional slice).  Over R such a
     slice may miss the real points, so after a few slices without one neurom2 uses the *critical point
     method*: for each minimal prime P of J (codimension c) and a random rational point p, the ideal
     P + (c+1)-minors of [Jacobian(P); θ − p] contains the point of V_R(P) nearest to p, if V_R(P) is
     nonempty (that point is singular, or a smooth point where θ − p is normal).  When these ideals are
     zero-dimensional their real points decide the chart (a real critical point is followed by a
     rational slice near it, for simpler weights); otherwise, or after ``CRITICAL_SECONDS``, the chart
     stays undecided.
4. *Answer*.  Real: yes if some chart has a real point; no if every chart is proved to have none;
   otherwise undecided (``member=None``).  Complex: yes if some chart is nonempty, no if all are empty.

Weights and verification
------------------------
Weights are rational when the chosen point is (a linear factor of χ), else algebraic: α is a root of
an irreducible factor m of χ and every weight is a polynomial in α.  The network is verified *exactly*:
c(θ) = t in QQ (by running the network on QQ[x], :meth:`Parametrization.coefficients_at`) or in the
number field QQ[u]/(m) (evaluating the parametrization polynomials).  Irrational weights are printed as
decimals (and, over R, each with its minimal polynomial and an isolating interval); the network of
the printed decimals is evaluated at 50 digits and must match t within ``TOLERANCE`` relative to
max(1, max |t_k|); the error is reported as ``max_error``.

Limits
------
Gröbner bases over QQ are exact but grow quickly with the number of weights and the degree: deeper or
wider networks may exceed the time limit (:class:`Macaulay2Timeout`, exit status 1 in the CLI).  The
exact linear algebra on A costs about n^4 operations for n points (seconds for n ≈ 150).  Over R, a
positive-dimensional fiber whose slices have no real point and whose critical-point ideals are not
zero-dimensional (or take longer than ``CRITICAL_SECONDS``) is left undecided, with the reason.  Weights
of degree > 16 over QQ are printed as decimals only (their exact check is unchanged).  The random
choices (separating forms, slices, the point p) only affect which certificate is found, never its
correctness; they are seeded by ``seed``.
"""

from __future__ import annotations

import math
import random
import textwrap
import time
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from fractions import Fraction
from itertools import combinations_with_replacement, product
from typing import Any, Iterator, Sequence

import flint
import mpmath
import sympy

from neurom2.model.architecture import Architecture
from neurom2.errors import Macaulay2OutputError, Macaulay2Timeout, VerificationError
from neurom2.m2 import codegen
from neurom2.m2.parse import parse_value
from neurom2.m2.session import Macaulay2Session, default_session
from neurom2.model.parametrization import Parametrization
from neurom2.rationals import fmpq as as_fmpq, fmpq_matrix, fraction
from neurom2.model.space import AmbientSpace
from neurom2.model.target import InvalidTarget, Target, format_polynomial

FIELDS = ("real", "complex")
TOLERANCE = 1e-12
"""Relative tolerance (to max(1, max |t_k|)) for the network of the printed decimal weights."""
_PRECISION = 120  # decimal digits of the algebraic numbers behind decimal weights
_BITS = 420  # binary precision for them, a little more than _PRECISION digits
_STURM_DEGREE = 40  # beyond this degree real roots are counted by certified isolation, faster than Sturm
_DESCRIBE_DEGREE = 16  # algebraic weights of larger degree are given by decimals only (the check stays exact)
_PRINTED_DIGITS = (20, 40, 80)  # significant digits of decimal weights, the fewest that pass the check
_SLICE_ATTEMPTS = 4
CRITICAL_SECONDS = 20.0
"""Time allowed to the critical point method in one chart; beyond it the chart is undecided."""
QUICK_SECONDS = 5.0
"""Time allowed to the random slices tried before the full computation (module docstring, step 3)."""
_SEPARATING_ATTEMPTS = 20
_CERTIFICATE_CHARS = 4000  # Nullstellensatz cofactors longer than this are checked but not printed

METHOD_AFFINE = "single affine layer"
METHOD_RANK = "rank of the linear map"
METHOD_FIBERS = "fibers in symmetry charts"


@dataclass(frozen=True)
class Membership:
    """The answer to "is ``target`` on the neuromanifold of ``architecture`` over ``field``?"."""

    architecture: Architecture
    target: Target
    field: str
    member: bool | None
    """True (reached), False (not reached, with a certificate) or None (not decided)."""
    method: str
    certificate: dict[str, Any]
    """JSON-able evidence; its ``method`` entry describes how it is checked."""
    weights: tuple[str, ...] | None = None
    """For a yes: θ in the order of :attr:`Architecture.weight_names`; exact rationals or decimals."""
    exact: bool = False
    """Whether c(θ) = t was verified exactly (over QQ, or in the number field of the weights)."""
    max_error: float | None = None
    """max_k |c_k(θ) − t_k| for the printed decimal weights (None when the weights are rational)."""
    algebraic_weights: tuple[dict[str, Any] | None, ...] | None = None
    """For real irrational weights: per weight its minimal polynomial and an isolating interval."""
    reason: str | None = None
    """Why the answer is None."""
    seconds: float = 0.0
    m2_version: str | None = None

    @property
    def answer(self) -> str:
        return {True: "yes", False: "no", None: "undecided"}[self.member]

    def to_json(self) -> dict[str, Any]:
        arch = self.architecture
        return {
            "member": self.member,
            "field": self.field,
            "method": self.method,
            "certificate": self.certificate,
            "weights": list(self.weights) if self.weights is not None else None,
            "weight_names": list(arch.weight_names),
            "exact": self.exact,
            "max_error": self.max_error,
            "tolerance": TOLERANCE if self.max_error is not None else None,
            "algebraic_weights": list(self.algebraic_weights) if self.algebraic_weights is not None else None,
            "reason": self.reason,
            "target": str(self.target),
            "target_coefficients": [str(c) for c in self.target.coefficients],
            "widths": list(arch.widths),
            "activation": str(arch.activation),
            "bias": arch.bias,
            "ambient": self.target.space.describe(),
            "m2_version": self.m2_version,
            "seconds": round(self.seconds, 6),
        }


def decide_membership(
    architecture: Architecture,
    target: Target | str | Sequence[str],
    field: str = "real",
    session: Macaulay2Session | None = None,
    timeout: float | None = None,
    seed: int = 0,
) -> Membership:
    """Decide whether ``target`` is computed by ``architecture`` with real or complex weights (module docstring).

    ``target`` is a :class:`Target` or text (``"x^3 - x*y^2"``, outputs separated by ``;``).
    ``timeout`` bounds the total Macaulay2 time in seconds (:class:`Macaulay2Timeout` beyond it).
    Raises :class:`InvalidTarget` for a target outside V, :class:`VerificationError` if a check fails.
    """
    if field not in FIELDS:
        raise ValueError(f"field must be 'real' or 'complex', got {field!r}")
    space = AmbientSpace.of(architecture)
    if isinstance(target, Target):
        if target.space != space:
            raise InvalidTarget(f"the target lies in {target.space.describe()}, but the network's space is {space.describe()}")
    else:
        target = Target.parse(target, space)
    started = time.perf_counter()
    if architecture.depth == 1:
        result = _single_layer(architecture, target, field)
    elif architecture.monomial_degree == 1:
        result = _linear(architecture, target, field)
    else:
        result = _Fibers(architecture, target, field, session or default_session(), timeout, seed).decide()
    return replace(result, seconds=time.perf_counter() - started)


# --- one affine layer, linear networks -------------------------------------------------------------------------


def _linear_part(arch: Architecture, target: Target) -> tuple[flint.fmpq_mat, list[Fraction]]:
    """t as (A, b): A[k][j] the coefficient of x_(j+1) in output k, b[k] its constant term (0 without biases)."""
    space = target.space
    m = len(space.monomials)
    n = arch.input_dim
    index = {e: i for i, e in enumerate(space.monomials)}
    units = [tuple(int(i == j) for i in range(n)) for j in range(n)]
    rows = [[target.coefficients[k * m + index[u]] for u in units] for k in range(arch.output_dim)]
    zero = (0,) * n
    constants = [target.coefficients[k * m + index[zero]] if zero in index else Fraction(0)
                 for k in range(arch.output_dim)]
    return fmpq_matrix(rows), constants


def _single_layer(arch: Architecture, target: Target, field: str) -> Membership:
    matrix, constants = _linear_part(arch, target)
    weights: list[Fraction] = [fraction(v) for row in matrix.tolist() for v in row]
    if arch.bias:
        weights += constants
    exact = _verify_rational(arch, target, weights)
    certificate = {"method": "a single affine layer computes every point of V: its weights are the target's "
                             "coefficients", "verified": "exactly, by running the network over QQ"}
    return Membership(arch, target, field, True, METHOD_AFFINE, certificate, tuple(map(str, weights)), exact)


def _linear(arch: Architecture, target: Target, field: str) -> Membership:
    matrix, constants = _linear_part(arch, target)
    bound = min(arch.widths)
    rref, rank = matrix.rref()
    pivot_columns = _pivots(matrix)
    pivot_rows = _pivots(matrix.transpose())
    description = (f"x -> A x{' + b' if arch.bias else ''} where A = a^(L-1) W_L ... W_1 has rank <= min(widths) "
                   f"= {bound}{', and b is free (the last bias)' if arch.bias else ''}; the rank of the target's "
                   "matrix A is computed exactly over QQ, and equals its rank over R and over C")
    certificate: dict[str, Any] = {
        "method": description,
        "matrix": [[str(fraction(v)) for v in row] for row in matrix.tolist()],
        "rank": rank,
        "max_rank": bound,
    }
    if rank > bound:
        minor = flint.fmpq_mat([[matrix[i, j] for j in pivot_columns] for i in pivot_rows])
        certificate["minor"] = {"rows": [i + 1 for i in pivot_rows], "columns": [j + 1 for j in pivot_columns],
                                "determinant": str(fraction(minor.det()))}
        return Membership(arch, target, field, False, METHOD_RANK, certificate)
    weights = _factorized_weights(arch, matrix, rref, rank, pivot_columns, constants)
    exact = _verify_rational(arch, target, weights)
    certificate["verified"] = "exactly, by running the network over QQ"
    return Membership(arch, target, field, True, METHOD_RANK, certificate, tuple(map(str, weights)), exact)


def _pivots(matrix: flint.fmpq_mat) -> list[int]:
    """The pivot columns of the reduced row echelon form: a basis of the column space."""
    rref, rank = matrix.rref()
    return [next(j for j in range(matrix.ncols()) if rref[i, j] != 0) for i in range(rank)]


def _factorized_weights(arch: Architecture, matrix: flint.fmpq_mat, rref: flint.fmpq_mat, rank: int,
                        pivot_columns: list[int], constants: list[Fraction]) -> list[Fraction]:
    """W_1 = [Q; 0], W_l = [I_rank 0; 0 0], W_L = [P / a^(L-1), 0] with A = P Q, hidden biases 0, b_L fitted."""
    L = arch.depth
    scale = arch.activation.coefficients[1] ** (L - 1)
    layers: list[list[list[Fraction]]] = []
    for l, (rows, cols) in enumerate(arch.weight_shapes, start=1):
        if l == 1:
            layer = [[fraction(rref[i, j]) if i < rank else Fraction(0) for j in range(cols)] for i in range(rows)]
        elif l == L:
            layer = [[fraction(matrix[i, pivot_columns[j]]) / scale if j < rank else Fraction(0) for j in range(cols)]
                     for i in range(rows)]
        else:
            layer = [[Fraction(int(i == j and i < rank)) for j in range(cols)] for i in range(rows)]
        layers.append(layer)
    weights = _assemble(arch, layers, [[Fraction(0)] * rows for rows, _ in arch.weight_shapes])
    if arch.bias:  # fit the last bias to the constant term
        space = AmbientSpace.of(arch)
        reached = Parametrization(arch).coefficients_at(weights)
        zero = space.monomials.index((0,) * arch.input_dim)
        biases = [[Fraction(0)] * rows for rows, _ in arch.weight_shapes]
        biases[-1] = [constants[k] - reached[k * len(space.monomials) + zero] for k in range(arch.output_dim)]
        weights = _assemble(arch, layers, biases)
    return weights


def _assemble(arch: Architecture, layers: list, biases: list) -> list:
    weights: list = []
    for layer, bias in zip(layers, biases):
        weights += [v for row in layer for v in row]
        if arch.bias:
            weights += list(bias)
    return weights


def _verify_rational(arch: Architecture, target: Target, weights: Sequence[Fraction]) -> bool:
    reached = Parametrization(arch).coefficients_at(weights)
    if reached != target.coefficients:
        raise VerificationError(f"the constructed weights compute {reached}, not the target {target}")
    return True


# --- symmetry charts ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Chart:
    """Weights fixed to rational values (None: free), in θ's order."""

    values: tuple[Fraction | None, ...]

    def fixed(self, names: Sequence[str]) -> dict[str, str]:
        return {name: str(v) for name, v in zip(names, self.values) if v is not None}

    def free(self) -> list[int]:
        return [i for i, v in enumerate(self.values) if v is None]

    def with_values(self, values: dict[int, Fraction]) -> "Chart":
        return Chart(tuple(values.get(i, v) for i, v in enumerate(self.values)))


def symmetry_charts(arch: Architecture) -> list[Chart]:
    """Charts covering all weights up to rescalings and permutations of hidden neurons (module docstring, 3).

    One chart with every weight free when σ has no rescaling symmetry (monomial degree None or 1).
    """
    r = arch.monomial_degree
    if r is None or r < 2:
        return [Chart((None,) * arch.n_params)]
    sigma = arch.activation.coefficients
    shift = sigma[r - 1] / (r * sigma[r]) if arch.bias else Fraction(0)  # σ = a (x + shift)^r + constant
    offsets, position = [], 0
    for rows, cols in arch.weight_shapes:
        offsets.append(position)
        position += rows * cols + (rows if arch.bias else 0)
    choices = [list(combinations_with_replacement(range(1, cols + (2 if arch.bias else 1)), rows))
               for rows, cols in arch.weight_shapes[:-1]]
    charts = []
    for positions in product(*choices):
        values: list[Fraction | None] = [None] * arch.n_params
        for l, layer_positions in enumerate(positions):
            rows, cols = arch.weight_shapes[l]
            for i, j in enumerate(layer_positions):
                row = offsets[l] + i * cols
                for k in range(1, min(j, cols + 1)):
                    values[row + k - 1] = Fraction(0)
                if j <= cols:
                    values[row + j - 1] = Fraction(1)
                else:  # bias slot: w = 0 and b + shift = 1
                    values[offsets[l] + rows * cols + i] = 1 - shift
        charts.append(Chart(tuple(values)))
    return charts


# --- zero-dimensional ideals: points, real points, rational univariate representation ----------------------


@dataclass(frozen=True)
class _Solutions:
    """The points over C of a zero-dimensional ideal J ⊂ QQ[free weights], from the multiplication matrices
    of A = QQ[free]/J on a monomial basis (Macaulay2's ``pointsReport``).

    Hermite: the trace form H(a, b) = Tr(m_ab) of A has rank = the number of distinct points over C and
    signature = the number of real ones.  A linear form u is separating iff the squarefree part χ of
    charpoly(m_u) has degree rank H; then every point is θ_i = g_xi(u) / g_1(u) at a root of χ, with
    g_v(T) = Σ_p mult(p) v(p) χ(T) / (T − u(p)) computed from the traces Tr(v u^j) (Rouillier's rational
    univariate representation, no radical needed).  The real points are those at the real roots of χ
    (:func:`count_real_roots`); the two real counts must agree.
    """

    chart: Chart                   # the weights fixed; the others are the ideal's variables
    count: int                     # number of distinct points over C (rank of H)
    trace_count: int               # real points: signature of Hermite's trace form H
    form: tuple[int, ...]          # separating linear form u = Σ form_i θ_free_i
    eliminant: flint.fmpq_poly     # χ(u): squarefree, roots = values of u at the points
    parametrization: tuple[flint.fmpq_poly, ...]  # (g_1, g_x1, ...): θ_free_i = g_xi(u) / g_1(u) at every point
    real_count: int                # real roots of χ
    real_count_method: str         # how they were counted (:func:`count_real_roots`)

    @classmethod
    def from_report(cls, chart: Chart, data: list, rng: random.Random) -> "_Solutions":
        free = chart.free()
        exponents, matrices = _expect(data, 2)
        n = len(exponents)
        if [len(e) for e in exponents] != [len(free)] * n or len(matrices) != len(free):
            raise Macaulay2OutputError("malformed quotient data for a zero-dimensional fiber")
        index = {tuple(e): k for k, e in enumerate(exponents)}
        if (0,) * len(free) not in index:
            raise Macaulay2OutputError("the quotient basis of a zero-dimensional fiber lacks the monomial 1")
        mats = [flint.fmpq_mat(n, n, [as_fmpq(v) for row in m for v in row]) for m in matrices]
        monomial = _monomial_matrices(exponents, index, mats)
        traces = _traces(monomial)
        hermite = _hermite(traces, monomial)
        count, trace_count = hermite.rank(), _signature(hermite)
        for _ in range(_SEPARATING_ATTEMPTS):
            form = tuple(rng.randint(-9, 9) for _ in free)
            mu = flint.fmpq_mat(n, n)
            for c, m in zip(form, mats):
                mu += c * m
            chi = mu.charpoly()
            chi = chi // chi.gcd(chi.derivative())  # its roots: the values of u at the points
            chi = chi * (1 / chi.coeffs()[-1])
            if chi.degree() == count:
                break
        else:
            raise VerificationError(f"no separating linear form in {_SEPARATING_ATTEMPTS} attempts: the "
                                    "multiplication matrices are inconsistent")
        unit = flint.fmpq_mat(n, 1, [int(i == index[(0,) * len(free)]) for i in range(n)])
        parametrization = _rational_univariate(traces, mu, chi, [unit] + [m * unit for m in mats])
        real_count, how = count_real_roots(chi)
        if real_count != trace_count:
            raise VerificationError(f"real points of a zero-dimensional fiber: {real_count} real roots of the "
                                    f"eliminant ({how}), {trace_count} by Hermite's trace form")
        return cls(chart, count, trace_count, form, chi, parametrization, real_count, how)

    @property
    def free(self) -> list[int]:
        return self.chart.free()

    def approximate_real_point(self) -> list[float]:
        """The free weights at the smallest real root of χ, in floating point."""
        with _precision(128):
            alpha = flint.acb(_real_roots(self.eliminant, 128)[0])
            denominator, *numerators = [flint.acb_poly([flint.acb(c) for c in g.coeffs()])(alpha)
                                        for g in self.parametrization]
            return [float((g / denominator).real.mid()) for g in numerators]

    def describe(self, names: Sequence[str]) -> dict[str, Any]:
        n = len(self.free)
        form = {tuple(int(k == j) for k in range(n)): Fraction(c) for j, c in enumerate(self.form) if c}
        return {
            "points_over_C": self.count,
            "real_points": self.real_count,
            "real_roots_counted_by": self.real_count_method,
            "real_points_trace_form": self.trace_count,
            "separating_form": _format_named(form, [names[i] for i in self.free]),
            "eliminant": _integral(self.eliminant, _U),
        }

    def points(self) -> list["_Point"]:
        """One point per irreducible factor of χ and root class: all of them, simplest first."""
        result = []
        _, factors = self.eliminant.factor()
        for factor, _ in factors:
            real, _ = count_real_roots(factor)
            for index in ([0] if real else []) + ([real] if real < factor.degree() else []):
                result.append(_Point(self, factor, index, index < real))
        return sorted(result, key=lambda p: (p.modulus.degree() > 1, not p.is_real, p.modulus.degree()))


def _monomial_matrices(exponents: list, index: dict, mats: list[flint.fmpq_mat]) -> list[flint.fmpq_mat]:
    """Multiplication matrices of the basis monomials (standard monomials: their divisors are standard too)."""
    n = len(exponents)
    result: list[flint.fmpq_mat | None] = [None] * n
    for e in sorted(map(tuple, exponents), key=sum):
        if not any(e):
            result[index[e]] = flint.fmpq_mat(n, n, [int(i == j) for i in range(n) for j in range(n)])
            continue
        i = next(k for k, a in enumerate(e) if a)
        smaller = e[:i] + (e[i] - 1,) + e[i + 1:]
        result[index[e]] = mats[i] * result[index[smaller]]
    return result


def _traces(monomial: list[flint.fmpq_mat]) -> flint.fmpq_mat:
    """The trace form's vector τ (1 × n): τ_l = Tr(multiplication by the basis monomial b_l)."""
    n = len(monomial)
    return flint.fmpq_mat(1, n, [sum((m[i, i] for i in range(n)), flint.fmpq(0)) for m in monomial])


def _hermite(traces: flint.fmpq_mat, monomial: list[flint.fmpq_mat]) -> flint.fmpq_mat:
    """Hermite's trace form H[j][k] = Tr(multiplication by b_j b_k) = τ · (M_(b_j) e_k)."""
    n = len(monomial)
    rows = [traces * m for m in monomial]
    return flint.fmpq_mat(n, n, [rows[j][0, k] for j in range(n) for k in range(n)])


def _signature(symmetric: flint.fmpq_mat) -> int:
    """Positive minus negative eigenvalues: all roots of the characteristic polynomial are real, so
    Descartes' rule of signs counts them exactly (on p(x) and p(-x))."""
    coefficients = symmetric.charpoly().coeffs()
    return _variations(coefficients) - _variations([c if k % 2 == 0 else -c for k, c in enumerate(coefficients)])


def _rational_univariate(traces: flint.fmpq_mat, mu: flint.fmpq_mat, chi: flint.fmpq_poly,
                         vectors: list[flint.fmpq_mat]) -> tuple[flint.fmpq_poly, ...]:
    """g_v for each element v (coordinate column vectors): g_v(T) = Σ_j Tr(v u^j) q_j(T), where for monic
    χ = Σ c_k T^k of degree r, q_j(T) = Σ_(k>j) c_k T^(k-j-1), so that χ(T)/(T − a) = Σ_j a^j q_j(T)."""
    r = chi.degree()
    c = chi.coeffs()
    q = [flint.fmpq_poly([c[k] for k in range(j + 1, r + 1)]) for j in range(r)]
    rows, row = [], traces
    for _ in range(r):  # τ m_u^j: the functionals v ↦ Tr(v u^j)
        rows.append(row)
        row = row * mu
    result = []
    for v in vectors:
        g = flint.fmpq_poly(0)
        for j in range(r):
            g += (rows[j] * v)[0, 0] * q[j]
        result.append(g)
    return tuple(result)


def _variations(values: Sequence) -> int:
    signs = [v > 0 for v in values if v != 0]
    return sum(a != b for a, b in zip(signs, signs[1:]))


def count_real_roots(poly: flint.fmpq_poly) -> tuple[int, str]:
    """Distinct real roots of a squarefree polynomial over QQ, exactly: by its Sturm sequence up to degree
    ``_STURM_DEGREE`` (rational remainders grow quickly), beyond by FLINT/Arb's certified root isolation
    (disjoint balls with one root each, real roots with an exactly zero imaginary part)."""
    if poly.degree() <= _STURM_DEGREE:
        return sturm_count(poly), "Sturm sequence"
    return len(_real_roots(poly)), "certified isolation (Arb)"


def _real_roots(poly: flint.fmpq_poly, bits: int = 64) -> list[flint.arb]:
    """Isolating balls of the real roots, ascending (Arb's ``complex_roots`` lists real roots first)."""
    with _precision(bits):
        return [root.real for root, _ in poly.numer().complex_roots() if root.imag == 0]


def _roots(poly: flint.fmpq_poly, bits: int) -> list[flint.acb]:
    """All roots, certified to ``bits`` bits: the real ones ascending, then the others."""
    with _precision(bits):
        return [root for root, _ in poly.numer().complex_roots()]


@contextmanager
def _precision(bits: int) -> Iterator[None]:
    saved = flint.ctx.prec
    flint.ctx.prec = bits
    try:
        yield
    finally:
        flint.ctx.prec = saved


def _arb_fraction(value: flint.arb) -> Fraction:
    """The exact value of an exact arb (an endpoint of a ball) as a Fraction."""
    mantissa, exponent = value.man_exp()
    return Fraction(int(mantissa)) * Fraction(2) ** int(exponent)


def sturm_count(poly: flint.fmpq_poly) -> int:
    """The number of distinct real roots of a nonzero polynomial, by its Sturm sequence (exact, over QQ):
    p0 = poly, p1 = poly', p(k+1) = -rem(p(k-1), p(k)); the count is V(-∞) - V(+∞), V the sign changes."""
    sequence = [poly, poly.derivative()]
    while sequence[-1].degree() > 0:
        remainder = -(sequence[-2] % sequence[-1])
        if remainder.degree() < 0:
            break
        sequence.append(remainder * (1 / abs(remainder.coeffs()[-1])))  # a positive factor keeps the signs
    sequence = [p for p in sequence if p.degree() >= 0]
    at_plus = [p.coeffs()[-1] for p in sequence]
    at_minus = [p.coeffs()[-1] * (-1) ** p.degree() for p in sequence]
    return _variations(at_minus) - _variations(at_plus)


_U = sympy.Symbol("u")


def _integral(poly: flint.fmpq_poly, variable: sympy.Symbol) -> str:
    """The primitive integer multiple of ``poly`` with positive leading coefficient, as sympy text in ``variable``."""
    _, integral = sympy.Poly(_sympy_poly(poly).subs(_U, variable), variable).clear_denoms()
    return str(integral.primitive()[1].as_expr())


def _sympy_poly(poly: flint.fmpq_poly) -> sympy.Expr:
    return sum((sympy.Rational(int(c.p), int(c.q)) * _U ** k for k, c in enumerate(poly.coeffs())), sympy.Integer(0))


@dataclass(frozen=True)
class _Point:
    """The point θ_free = g(α) of a zero-dimensional fiber, α the ``root_index``-th root of ``modulus``
    in Arb's order (real roots ascending, then the others)."""

    solutions: _Solutions
    modulus: flint.fmpq_poly
    root_index: int
    is_real: bool

    def residues(self) -> list[flint.fmpq_poly]:
        """θ_free_i = g_xi(α) / g_1(α) as polynomials in α of degree < deg m (g_1 is invertible mod m)."""
        denominator, *numerators = self.solutions.parametrization
        d, inverse, _ = (denominator % self.modulus).xgcd(self.modulus)
        inverse = inverse * (1 / d.coeffs()[0])
        return [(g * inverse) % self.modulus for g in numerators]

    def root(self) -> flint.acb:
        """α to about ``_PRECISION`` digits (a certified ball)."""
        return _roots(self.modulus, _BITS)[self.root_index]

    def interval(self) -> tuple[Fraction, Fraction]:
        """A rational interval containing α and no other real root of the modulus (real α only)."""
        return _simple_interval(_real_roots(self.modulus), self.root_index)


# --- fibers ---------------------------------------------------------------------------------------------------------


@dataclass
class _ChartResult:
    chart: Chart
    dim: int
    data: Any
    summary: dict[str, Any] = field(default_factory=dict)
    solutions: _Solutions | None = None
    real: bool | None = None  # whether the chart has a real point (None: not known)


class _Fibers:
    """The chart-by-chart computation of module docstring, step 3."""

    def __init__(self, arch: Architecture, target: Target, field: str, session: Macaulay2Session,
                 timeout: float | None, seed: int) -> None:
        self.arch, self.target, self.field, self.session = arch, target, field, session
        self.deadline = None if timeout is None else time.monotonic() + timeout
        self.timeout = timeout
        self.rng = random.Random(seed)
        self.names = arch.weight_names
        self.parametrization = Parametrization(arch)
        session.load_package(codegen.package_file())

    # Macaulay2 -------------------------------------------------------------------------------------------------

    def run(self, code: str, limit: float | None = None) -> Any:
        """Run code that prints one serialised value, within the remaining time (and ``limit`` seconds)."""
        remaining = None if self.deadline is None else self.deadline - time.monotonic()
        if remaining is not None and remaining <= 0:
            raise Macaulay2Timeout(self.timeout, code)
        if limit is not None:
            remaining = limit if remaining is None else min(remaining, limit)
        return parse_value(self.session.run(code, timeout=remaining))

    def fiber_code(self, chart: Chart) -> str:
        values = "{" + ", ".join("null" if v is None else codegen.rational(v) for v in chart.values) + "}"
        return f"fiberIdeal({codegen.network(self.arch)}, {codegen.rational_list(self.target.coefficients)}, {values})"

    def fiber(self, chart: Chart, limit: float | None = None) -> _ChartResult:
        """dim and quotient data of the chart's fiber ideal; its generators are checked against Python's."""
        reply = self.run(f"(J -> print toString {{apply(flatten entries gens J, listForm), pointsReport J}}) "
                         f"{self.fiber_code(chart)}", limit=limit)
        generators, (dim, data) = _expect(reply, 2)
        if [_from_listform(g) for g in generators] != self.fiber_generators(chart):
            raise VerificationError("Macaulay2's fiber ideal differs from the fiber of neurom2's parametrization "
                                    f"in chart {chart.fixed(self.names)}")
        result = _ChartResult(chart, dim, data, {"fixed": chart.fixed(self.names),
                                                 "free": [self.names[i] for i in chart.free()], "dim": dim})
        if dim < 0:
            self.check_unit(result)
        elif dim == 0:
            result.solutions = _Solutions.from_report(chart, data, self.rng)
            result.real = result.solutions.real_count > 0
            result.summary.update(result.solutions.describe(self.names))
            result.summary["status"] = "real points" if result.real else "no real point"
        else:
            result.summary["status"] = "not examined"
        return result

    def fiber_generators(self, chart: Chart) -> list[dict]:
        """c_k(θ) − t_k with the chart's values substituted, as {exponents of the free weights: coefficient}."""
        free = chart.free()
        generators = []
        for poly, t in zip(self.parametrization.polynomials, self.target.coefficients):
            terms: dict[tuple[int, ...], Fraction] = {}
            for monom, coeff in poly.terms():
                value = fraction(coeff)
                for i, e in enumerate(monom):
                    if e and chart.values[i] is not None:
                        value *= chart.values[i] ** e
                key = tuple(monom[i] for i in free)
                terms[key] = terms.get(key, 0) + value
            zero = (0,) * len(free)
            terms[zero] = terms.get(zero, 0) - t
            generators.append({k: v for k, v in terms.items() if v})
        return generators

    def check_unit(self, result: _ChartResult) -> None:
        """Verify the Nullstellensatz certificate Σ h_k g_k = 1 with Python's generators."""
        cofactors = [_from_listform(h) for h in result.data]
        generators = self.fiber_generators(result.chart)
        total: dict = {}
        for h, g in zip(cofactors, generators):
            for eh, ch in h.items():
                for eg, cg in g.items():
                    e = tuple(a + b for a, b in zip(eh, eg))
                    total[e] = total.get(e, 0) + ch * cg
        if {e: c for e, c in total.items() if c} != {(0,) * len(result.chart.free()): 1}:
            raise VerificationError(f"the cofactors of Macaulay2 do not show that chart "
                                    f"{result.chart.fixed(self.names)} is empty")
        free_names = [self.names[i] for i in result.chart.free()]
        shown = [_format_named(h, free_names) for h in cofactors]
        result.summary["status"] = "empty over C"
        result.summary["groebner_basis"] = ["1"]
        nullstellensatz: dict[str, Any] = {"verified": True, "statement": "sum_k h_k * (c_k(θ) - t_k) = 1"}
        if sum(map(len, shown)) <= _CERTIFICATE_CHARS:
            nullstellensatz["cofactors"] = shown
        result.summary["nullstellensatz"] = nullstellensatz
        result.real = False

    def slices(self, result: _ChartResult) -> Iterator[_ChartResult]:
        """Zero-dimensional slices of a positive-dimensional chart: a maximal independent set of free weights
        (Macaulay2's ``independentSets``) fixed to random nonzero integers, in ``_SLICE_ATTEMPTS`` attempts."""
        independent = [result.chart.free()[k] for k in result.data]
        tried: set[tuple[Fraction, ...]] = set()
        for _ in range(_SLICE_ATTEMPTS):
            values = {i: Fraction(self.rng.choice([-3, -2, -1, 1, 2, 3]) * self.rng.randint(1, 3)) for i in independent}
            if tuple(values.values()) in tried:
                continue
            tried.add(tuple(values.values()))
            sliced = self.fiber(result.chart.with_values(values))
            if sliced.dim == 0:
                result.summary.setdefault("slices", []).append(
                    {"fixed": {self.names[i]: str(v) for i, v in values.items()}, **sliced.solutions.describe(self.names)})
                yield sliced

    def critical(self, result: _ChartResult) -> _ChartResult | None:
        """The critical point method on a positive-dimensional chart (module docstring, step 3).

        Sets ``result.real`` to True, False or None (undecided); returns the critical points when real ones exist.
        """
        free = result.chart.free()
        p = [Fraction(self.rng.randint(-20, 20), self.rng.randint(1, 5)) for _ in free]
        summary: dict[str, Any] = {
            "point": [str(v) for v in p],
            "statement": ("for each minimal prime P of the fiber ideal, of codimension c, the ideal P + the "
                          "(c+1)-minors of [Jacobian(P); θ - p] contains the real point of V(P) nearest to p"),
        }
        result.summary["critical_points"] = summary
        try:
            reply = self.run(f"print toString apply(distanceCriticalIdeals({self.fiber_code(result.chart)}, "
                             f"{codegen.rational_list(p)}), pointsReport)", limit=CRITICAL_SECONDS)
        except Macaulay2Timeout as error:
            summary["status"] = f"not finished within {error.seconds:g} s"
            result.real = None
            return None
        components, found, decided = [], None, True
        for dim, data in reply:
            entry: dict[str, Any] = {"dim": dim}
            if dim < 0:
                entry["status"] = "empty over C"
            elif dim == 0:
                solutions = _Solutions.from_report(result.chart, data, self.rng)
                entry.update(solutions.describe(self.names))
                entry["status"] = "real points" if solutions.real_count else "no real point"
                if solutions.real_count and found is None:
                    found = _ChartResult(result.chart, 0, data, solutions=solutions, real=True)
            else:
                entry["status"] = f"critical locus of dimension {dim}: undecided"
                decided = False
            components.append(entry)
        summary["components"] = components
        result.real = True if found is not None else False if decided else None
        if found is not None:  # critical points have large degree; a rational slice near one is simpler
            near = self.slice_near(result, found.solutions)
            if near is not None:
                summary["slice_near_a_real_critical_point"] = near.summary["fixed"]
                return near
        return found

    def slice_near(self, result: _ChartResult, solutions: "_Solutions") -> _ChartResult | None:
        """The slice fixing a maximal independent set of weights to rationals near a real point of
        ``solutions``, if it is zero-dimensional with a real point."""
        approximate = solutions.approximate_real_point()
        free = result.chart.free()
        values = {free[k]: Fraction(round(approximate[k] * 8), 8) for k in result.data}
        sliced = self.fiber(result.chart.with_values(values))
        if sliced.dim == 0 and sliced.solutions.real_count:
            return sliced
        return None

    # decision ----------------------------------------------------------------------------------------------------

    def quick_point(self, charts: list[Chart]) -> Membership | None:
        """A yes without the charts' Gröbner bases, which can be expensive when fibers are positive-dimensional:
        in each chart with more free weights than equations, fix that excess of random free weights to
        random integers and look for a (real) point on the slice, within ``QUICK_SECONDS`` in all."""
        deadline = time.monotonic() + QUICK_SECONDS
        for chart in charts:
            free = chart.free()
            excess = len(free) - sum(1 for g in self.fiber_generators(chart) if g)
            if excess <= 0:
                continue
            values = {i: Fraction(self.rng.choice([-3, -2, -1, 1, 2, 3])) for i in self.rng.sample(free, excess)}
            remaining = deadline - time.monotonic()
            if remaining < 1:
                return None
            try:
                sliced = self.fiber(chart.with_values(values), limit=remaining)
            except Macaulay2Timeout:
                return None
            if sliced.dim != 0:
                continue
            points = [p for p in sliced.solutions.points() if p.is_real or self.field == "complex"]
            if points:
                sliced.summary["status"] = "point found on a random slice, before the full computation"
                certificate = {"method": self.method_description(), "charts": [sliced.summary]}
                return self.answer(True, certificate, points)
        return None

    def decide(self) -> Membership:
        quick = self.quick_point(symmetry_charts(self.arch))
        if quick is not None:
            return quick
        charts = [self.fiber(chart) for chart in symmetry_charts(self.arch)]
        certificate: dict[str, Any] = {"method": self.method_description(), "charts": [r.summary for r in charts]}
        zero_dim = [r for r in charts if r.dim == 0]
        positive = [r for r in charts if r.dim > 0]
        if self.field == "complex":
            if not zero_dim and not positive:
                return self.answer(False, certificate)
            candidates = [p for r in zero_dim for p in r.solutions.points()]
            for r in positive if not candidates else []:
                sliced = next(self.slices(r), None)
                if sliced is not None:
                    r.summary["status"] = "point found on a slice"
                    candidates = sliced.solutions.points()
                    break
            if not candidates:
                certificate["note"] = ("the fiber ideal is not the unit ideal, so it has complex points "
                                       "(Nullstellensatz), but no zero-dimensional slice was found to exhibit one")
                return self.answer(True, certificate)
            return self.answer(True, certificate, candidates)
        real = [p for r in zero_dim for p in r.solutions.points() if p.is_real]
        if real:
            return self.answer(True, certificate, real)
        for r in positive:
            for sliced in self.slices(r):
                points = [p for p in sliced.solutions.points() if p.is_real]
                if points:
                    r.summary["status"] = "real point found on a slice"
                    return self.answer(True, certificate, points)
            r.summary["status"] = f"no real point on {len(r.summary.get('slices', []))} random slice(s)"
        for r in positive:
            found = self.critical(r)
            if found is not None:
                r.summary["status"] = "real point found among critical points"
                return self.answer(True, certificate, [p for p in found.solutions.points() if p.is_real])
            r.summary["status"] = "no real point (critical points)" if r.real is False else "undecided"
        undecided = [r for r in positive if r.real is None]
        if undecided:
            reason = (f"{len(undecided)} chart(s) with positive-dimensional fibers are undecided: no real point on "
                      f"{_SLICE_ATTEMPTS} random slices, and the critical-point ideals are not zero-dimensional or "
                      f"took more than {CRITICAL_SECONDS:g} s")
            return self.answer(None, certificate, reason=reason)
        return self.answer(False, certificate)

    def method_description(self) -> str:
        r = self.arch.monomial_degree
        charts = ("one chart, all weights free (σ has no rescaling symmetry)" if r is None or r < 2 else
                  "charts covering all weights up to symmetry: each hidden neuron's first nonzero input weight is 1 "
                  "and earlier ones 0 (rescaling by real λ), positions sorted within a layer (permutations)")
        return (f"the fiber {{θ : c(θ) = t}} in {charts}. Per chart, Macaulay2's fiber ideal over QQ (generators "
                "checked against neurom2's parametrization): empty if 1 is in it (cofactors checked); if "
                "zero-dimensional, its real points are the real roots of the eliminant of a separating linear form "
                "(Sturm sequences, or certified isolation for large degrees), also counted by the signature of "
                "Hermite's trace form; if positive-dimensional, random slices, then the critical points of the "
                "distance to a random point")

    def answer(self, member: bool | None, certificate: dict, points: Sequence[_Point] = (),
               reason: str | None = None) -> Membership:
        """The result; for a yes with points, the simplest one (rational, then real, then of least degree)."""
        version = self.session.version
        if not points:
            return Membership(self.arch, self.target, self.field, member, METHOD_FIBERS, certificate, reason=reason,
                              m2_version=version)
        point = min(points, key=lambda p: (p.modulus.degree() > 1, not p.is_real, p.modulus.degree()))
        weights = _Weights(self.arch, self.target, self.parametrization, point)
        certificate["point"] = weights.describe(self.names)
        return Membership(self.arch, self.target, self.field, True, METHOD_FIBERS, certificate,
                          weights=weights.strings, exact=True, max_error=weights.max_error,
                          algebraic_weights=weights.algebraic, m2_version=version)


# --- weights of a point: exact values, verification, printing ---------------------------------------------------


class _Weights:
    """θ at a point of a chart's fiber, verified exactly (QQ or QQ[u]/(m)) and printed."""

    def __init__(self, arch: Architecture, target: Target, parametrization: Parametrization, point: _Point) -> None:
        self.arch, self.target, self.point = arch, target, point
        self.residues = point.residues()
        self.rational = point.modulus.degree() == 1
        self.values = self._values()
        self.exact_check(parametrization)
        self.strings, self.max_error = self.printed(parametrization)
        describe = not self.rational and point.is_real and point.modulus.degree() <= _DESCRIBE_DEGREE
        self.algebraic = self.describe_algebraic() if describe else None

    def _values(self) -> list:
        """θ: Fractions for fixed or rational weights, residues mod m otherwise."""
        free = dict(zip(self.point.solutions.free, self.residues))
        values: list = []
        for i, fixed in enumerate(self.point.solutions.chart.values):
            if fixed is not None:
                values.append(fixed)
            elif self.rational:
                root = -fraction(self.point.modulus[0]) / fraction(self.point.modulus[1])
                values.append(_evaluate_rational(free[i], root))
            elif free[i].degree() < 1:  # a rational weight at an irrational point
                values.append(_evaluate_rational(free[i], Fraction(0)))
            else:
                values.append(free[i])
        return values

    def exact_check(self, parametrization: Parametrization) -> None:
        if self.rational:
            _verify_rational(self.arch, self.target, self.values)
            return
        m = self.point.modulus
        residues = [v if isinstance(v, flint.fmpq_poly) else flint.fmpq_poly([as_fmpq(v)]) for v in self.values]
        powers: dict[tuple[int, int], flint.fmpq_poly] = {}

        def power(i: int, e: int) -> flint.fmpq_poly:
            if (i, e) not in powers:
                powers[(i, e)] = residues[i] if e == 1 else (power(i, e - 1) * residues[i]) % m
            return powers[(i, e)]

        for k, (poly, t) in enumerate(zip(parametrization.polynomials, self.target.coefficients)):
            total = flint.fmpq_poly(0)
            for monom, coeff in poly.terms():
                term = flint.fmpq_poly([as_fmpq(coeff)])
                for i, e in enumerate(monom):
                    if e:
                        term = (term * power(i, e)) % m
                total += term
            if (total - as_fmpq(t)) % m != 0:
                raise VerificationError(f"coordinate {k + 1} of the network at the algebraic weights is not the target's")

    def numeric(self) -> list[mpmath.mpc]:
        """θ to about ``_PRECISION`` digits: g(α) in Arb ball arithmetic, as mpmath numbers."""
        with _precision(_BITS):
            alpha = self.point.root()
            values = [flint.acb_poly([flint.acb(c) for c in v.coeffs()])(alpha) if isinstance(v, flint.fmpq_poly)
                      else flint.acb(as_fmpq(v)) for v in self.values]
            with mpmath.workdps(_PRECISION):
                return [mpmath.mpc(v.real.mid().str(_PRECISION, radius=False), v.imag.mid().str(_PRECISION, radius=False))
                        for v in values]

    def printed(self, parametrization: Parametrization) -> tuple[tuple[str, ...], float | None]:
        if self.rational:
            return tuple(str(v) for v in self.values), None
        exact = self.numeric()
        scale = max([1.0] + [abs(float(t)) for t in self.target.coefficients])
        for digits in _PRINTED_DIGITS:
            strings = tuple(str(v) if isinstance(v, Fraction) else _decimal(x, digits, self.point.is_real)
                            for v, x in zip(self.values, exact))
            error = _numeric_error(parametrization, self.target, strings)
            if error <= TOLERANCE * scale:
                return strings, error
        raise VerificationError(f"the decimal weights miss the target by {error:.3g} even with {digits} digits")

    def describe_algebraic(self) -> tuple[dict[str, Any] | None, ...]:
        """Per irrational weight: its minimal polynomial over QQ and an isolating interval of the root."""
        m = self.point.modulus
        d = m.degree()
        exact = self.numeric()
        result: list[dict[str, Any] | None] = []
        for v, x in zip(self.values, exact):
            if not isinstance(v, flint.fmpq_poly) or v.degree() < 1:
                result.append(None)
                continue
            columns = [((v * flint.fmpq_poly([0] * j + [1])) % m) for j in range(d)]
            matrix = flint.fmpq_mat(d, d, [columns[j][i] for i in range(d) for j in range(d)])
            minimal = matrix.minpoly()
            interval = _isolating_interval(minimal, x.real)
            result.append({"minimal_polynomial": _integral(minimal, sympy.Symbol("t")),
                           "interval": [str(interval[0]), str(interval[1])]})
        return tuple(result)

    def describe(self, names: Sequence[str]) -> dict[str, Any]:
        point = self.point
        description: dict[str, Any] = {"exact": True, "fixed": point.solutions.chart.fixed(names)}
        if self.rational:
            description["verified"] = "exactly: the network over QQ computes the target"
        else:
            a = point.modulus
            description["verified"] = ("exactly in QQ[u]/(m(u)) (every coordinate of the network equals the target's), "
                                       f"and numerically: the printed decimals miss the target by at most {self.max_error:.2g}")
            description["m"] = _integral(a, _U) if a.degree() <= _DESCRIBE_DEGREE else \
                f"(degree {a.degree()}, not printed)"
            if point.is_real:
                description["root"] = {"interval": [str(x) for x in point.interval()]}
            else:
                root = point.root()
                with mpmath.workdps(40):
                    approximation = mpmath.mpc(root.real.mid().str(35, radius=False), root.imag.mid().str(35, radius=False))
                description["root"] = {"approximation": _decimal(approximation, 30, False)}
            if a.degree() <= _DESCRIBE_DEGREE:
                description["weights_in_root"] = {names[i]: str(_sympy_poly(g))
                                                  for i, g in zip(point.solutions.free, self.residues)}
        return description


def _evaluate_rational(poly: flint.fmpq_poly, value: Fraction) -> Fraction:
    total = Fraction(0)
    for c in reversed(poly.coeffs()):
        total = total * value + fraction(c)
    return total


def _numeric_error(parametrization: Parametrization, target: Target, strings: Sequence[str]) -> float:
    with mpmath.workdps(50):
        values = [_parse_decimal(s) for s in strings]
        error = mpmath.mpf(0)
        for poly, t in zip(parametrization.polynomials, target.coefficients):
            total = mpmath.mpc(0)
            for monom, coeff in poly.terms():
                c = fraction(coeff)
                term = mpmath.mpf(c.numerator) / c.denominator
                for i, e in enumerate(monom):
                    if e:
                        term *= values[i] ** e
                total += term
            error = max(error, abs(total - mpmath.mpf(t.numerator) / t.denominator))
        return float(error)


def _decimal(value: mpmath.mpc, digits: int, real: bool) -> str:
    """``1.2345`` or ``0.5 - 0.2886751345948128822*I`` (sympy syntax); ``digits`` significant digits per part."""
    re = mpmath.nstr(value.real, digits, min_fixed=-5, max_fixed=5)
    if real:
        return re
    im = mpmath.nstr(abs(value.imag), digits, min_fixed=-5, max_fixed=5)
    sign = "-" if value.imag < 0 else "+"
    return f"{im}*I" if value.real == 0 and sign == "+" else f"-{im}*I" if value.real == 0 else f"{re} {sign} {im}*I"


def _parse_decimal(text: str) -> mpmath.mpc:
    """Inverse of :func:`_decimal` (and exact rationals ``p/q``)."""
    if "/" in text:
        p, q = text.split("/")
        return mpmath.mpc(mpmath.mpf(int(p)) / int(q))
    if not text.endswith("*I"):
        return mpmath.mpc(mpmath.mpf(text))
    body = text[:-2]
    for sign in (" + ", " - "):
        if sign in body:
            re, im = body.split(sign)
            return mpmath.mpc(mpmath.mpf(re), mpmath.mpf(im) * (1 if sign == " + " else -1))
    return mpmath.mpc(0, mpmath.mpf(body))


def _isolating_interval(poly: flint.fmpq_poly, value: mpmath.mpf) -> tuple[Fraction, Fraction]:
    """An isolating interval of the real root of ``poly`` whose Arb ball contains ``value``."""
    point = Fraction(mpmath.nstr(value, _PRECISION - 10))
    for bits in (64, 256, 1024):
        balls = _real_roots(poly, bits)
        hits = [k for k, ball in enumerate(balls) if _arb_fraction(ball.lower()) <= point <= _arb_fraction(ball.upper())]
        if len(hits) == 1:
            return _simple_interval(balls, hits[0])
    raise VerificationError(f"no isolating interval of a minimal polynomial contains the weight {value}")


def _simple_interval(balls: list[flint.arb], k: int) -> tuple[Fraction, Fraction]:
    """An interval [p/2^e, q/2^e] with e as small as possible that contains the k-th ball and meets no
    other one: it isolates the k-th real root (every real root lies in its own ball)."""
    low, high = _arb_fraction(balls[k].lower()), _arb_fraction(balls[k].upper())
    below = _arb_fraction(balls[k - 1].upper()) if k > 0 else None
    above = _arb_fraction(balls[k + 1].lower()) if k + 1 < len(balls) else None
    for e in range(0, 200):
        scale = Fraction(2) ** e
        p = Fraction(math.floor(low * scale)) / scale
        q = Fraction(math.ceil(high * scale)) / scale
        if (below is None or p > below) and (above is None or q < above):
            return p, q
    return low, high


# --- helpers ---------------------------------------------------------------------------------------------------------


def _expect(value: Any, length: int) -> list:
    if not (isinstance(value, list) and len(value) == length):
        raise Macaulay2OutputError(f"expected a list of {length} items from Macaulay2, got {str(value)[:200]}")
    return value


def _from_listform(terms: list) -> dict[tuple[int, ...], Fraction]:
    result: dict[tuple[int, ...], Fraction] = {}
    for term in terms:
        if not (isinstance(term, tuple) and isinstance(term[0], list) and not isinstance(term[1], (list, tuple))):
            raise Macaulay2OutputError(f"malformed listForm term {term!r}")
        result[tuple(term[0])] = Fraction(term[1])
    return {e: c for e, c in result.items() if c}


def _format_named(terms: dict[tuple[int, ...], Fraction], names: Sequence[str]) -> str:
    ordered = sorted(terms.items(), key=lambda t: (-sum(t[0]), [-e for e in t[0]]))
    text = format_polynomial(ordered)
    for i in range(len(names), 0, -1):  # x10 before x1
        text = text.replace(f"x{i}", names[i - 1])
    return text


# --- text output -------------------------------------------------------------------------------------------------


def format_membership(result: Membership) -> str:
    """The CLI's human-readable rendering of a :class:`Membership`."""
    arch, space = result.architecture, result.target.space
    answer = result.answer
    over = "real" if result.field == "real" else "complex"
    if result.member is False and result.method == METHOD_FIBERS and result.field == "real":
        if all(c.get("dim", 0) < 0 for c in result.certificate.get("charts", [])):
            answer += " (not even over C)"
    lines = [
        f"membership of {result.target} in the neuromanifold of {arch}",
        f"  ambient space V    {space.describe()}  (dim {space.dim})",
        f"  field              {result.field} (weights in {'R' if over == 'real' else 'C'})",
        f"  answer             {answer}" + (f": {result.reason}" if result.reason else ""),
        f"  method             {result.method}",
    ]
    if result.weights is not None:
        lines.append(f"  weights            {_format_layers(arch, result.weights)}")
        if result.algebraic_weights:
            described = [f"{name} = root of {a['minimal_polynomial']} in [{a['interval'][0]}, {a['interval'][1]}]"
                         for name, a in zip(arch.weight_names, result.algebraic_weights) if a]
            lines.append("  algebraic          " + "; ".join(described))
        point = result.certificate.get("point", {})
        verified = point.get("verified") or result.certificate.get("verified", "")
        lines.append(f"  verified           {verified}")
    lines += textwrap.wrap(result.certificate["method"], 110, initial_indent="  certificate        ",
                           subsequent_indent=" " * 21)
    if result.method == METHOD_RANK:
        c = result.certificate
        matrix = "[" + ", ".join("[" + ", ".join(row) + "]" for row in c["matrix"]) + "]"
        text = f"rank of the target's matrix {matrix}: {c['rank']} (at most {c['max_rank']} is reached)"
        if "minor" in c:
            minor = c["minor"]
            text += (f"; the minor on rows {minor['rows']} and columns {minor['columns']} is "
                     f"{minor['determinant']} != 0")
        lines.append("    " + text)
    for k, chart in enumerate(result.certificate.get("charts", []), start=1):
        fixed = ", ".join(f"{name} = {value}" for name, value in chart["fixed"].items()) or "no weight fixed"
        lines.append(f"    chart {k}  {fixed}: {_chart_text(chart)}")
    if "note" in result.certificate:
        lines.append(f"  note               {result.certificate['note']}")
    version = f"Macaulay2 {result.m2_version}, " if result.m2_version else ""
    lines.append(f"  {version}{result.seconds:.2f} s")
    return "\n".join(lines)


def _chart_text(chart: dict[str, Any]) -> str:
    dim = chart["dim"]
    if dim < 0:
        text = "empty over C (Gröbner basis {1}"
        if "nullstellensatz" in chart:
            text += "; Nullstellensatz cofactors verified"
        return text + ")"
    if dim == 0 or "eliminant" in chart:
        return (f"{chart['points_over_C']} point(s) over C, {chart['real_points']} real (eliminant "
                f"{_shorten(chart['eliminant'])} of u = {chart['separating_form']}: {chart['real_points']} real "
                f"root(s) by {chart['real_roots_counted_by']}; trace form signature {chart['real_points_trace_form']})")
    text = f"fiber of dimension {dim}, {chart.get('status', '')}"
    for s in chart.get("slices", []):
        fixed = ", ".join(f"{n} = {v}" for n, v in s["fixed"].items())
        text += f"; slice {fixed}: {s['points_over_C']} point(s) over C, {s['real_points']} real"
    critical = chart.get("critical_points")
    if critical:
        parts = [f"{c['status']}" + (f" ({c['points_over_C']} over C, {c['real_points']} real)" if "points_over_C" in c else "")
                 for c in critical.get("components", [])]
        text += f"; critical points of the distance to p = ({', '.join(critical['point'])}): " + (
            "; ".join(parts) if parts else critical.get("status", ""))
    return text


def _shorten(text: str, limit: int = 120) -> str:
    return text if len(text) <= limit else text[:limit - 20] + f" ... ({len(text)} characters)"


def _format_layers(arch: Architecture, weights: Sequence[str]) -> str:
    parts, position = [], 0
    for l, (rows, cols) in enumerate(arch.weight_shapes, start=1):
        matrix = [list(weights[position + i * cols: position + (i + 1) * cols]) for i in range(rows)]
        position += rows * cols
        parts.append(f"W{l} = [" + ", ".join("[" + ", ".join(row) + "]" for row in matrix) + "]")
        if arch.bias:
            parts.append(f"b{l} = [" + ", ".join(weights[position:position + rows]) + "]")
            position += rows
    return "; ".join(parts)
