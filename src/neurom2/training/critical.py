"""Critical points of the data loss on a variety: their number over C, the real ones exactly, their loss
and their type.

**The problem.**  V has coordinates c = (c_1..c_n) (:mod:`neurom2.model.space`, output-major); the data give
the loss L(c) = (c − u)ᵀ G (c − u) + const, G = I_{dL} ⊗ Q with Q = AᵀA, u = A⁺B flattened in V's order and
const = ‖B‖² − ‖AA⁺B‖² (:class:`Metric`; :mod:`neurom2.training.loss` proves L(f) = this for every f ∈ V).
For a prime ideal P ⊂ QQ[c] of codimension r (the neurovariety X = V(P), or a stratum of it), a *critical
point* of L on X is a smooth point c of X with ∇L(c) = 2G(c − u) in the normal space of X at c.

**The Lagrange ideal** (Macaulay2 ``criticalIdeal``; see :func:`neurom2.m2.package.critical_report`).  With
g_1..g_r ∈ P (P's generators when it has r, else random integer combinations of them),
J = P + (G(c − u) − Σ_i l_i ∇g_i) ⊂ QQ[c, l_1..l_r].  *If J is zero-dimensional, each of its points is a
critical point of L on the smooth part of X*, with its unique multipliers: at a point where the ∇g_i are
dependent the multipliers would form an affine space of positive dimension; where they are independent,
rank Jacobian(P) ≥ r, so the point is smooth and the ∇g_i span the normal space.  This holds for every
choice of the g_i, so no saturation is needed.  *When P is a complete intersection* (r generators, e.g. a
hypersurface), every critical point is a point of J, so the count is proved.  Otherwise a critical point at
which the random combinations happen to have dependent gradients would be missed: the count is a proved
lower bound, and equal to the true count unless the combinations were unlucky (they are drawn anew for each
count modulo a prime, uniformly in ZZ/p, and the counts must agree).  When J is not zero-dimensional (a
positive-dimensional family of critical points, e.g. when G is singular, or points where the ∇g_i drop
rank), it is saturated by a random maximal minor of (∇g_i) — a critical point where that minor vanishes
would be lost, so such counts are labelled probabilistic.

**Counting.**  Over QQ, Macaulay2 gives a monomial basis of QQ[c, l]/J and the multiplication matrices; the
number of distinct complex points is the rank of Hermite's trace form and the number of real ones its
signature, also the number of real roots of the eliminant χ of a separating linear form (Sturm or Arb) —
:class:`~neurom2.real.membership.zerodim.Solutions`.  That count is exact (proved).  Over ZZ/p (F4) the
degree of J is a check; it equals the count over QQ except for finitely many primes, and for random data
modulo a large prime it is the generic count with high probability (:func:`modular_counts`).

**Real points, exactly.**  Each real point is (c, l) = (g_x(α)/g_1(α))_x at a real root α of an
irreducible factor m of χ (Rouillier's rational univariate representation).  It is checked *exactly* in
the number field QQ[α]/(m): the generators of P vanish and G(c − u) = Σ l_i ∇g_i.  Its coordinates, loss
and multipliers are given as certified intervals (Arb balls at ``BITS`` bits around the isolated root α).

**Type.**  The Hessian of the Lagrangian L − 2 Σ l_i g_i is H = 2G − 2 Σ l_i ∇²g_i; restricted to the
tangent space ker(∇g) it decides the type.  Its inertia is that of the bordered matrix [[H, ∇gᵀ], [∇g, 0]]
minus (r, r): the characteristic polynomial of the bordered matrix (all roots real) is computed in ball
arithmetic and Descartes' rule of signs counts its positive and negative roots exactly once every
coefficient's sign is certain.  Type: ``minimum`` (H positive definite on the tangent space: a strict local
minimum of L on X near the point), ``maximum``, ``saddle`` (with its index), or ``degenerate`` (a zero
eigenvalue: the constant coefficient is exactly 0 in QQ[α]/(m)); ``undecided`` if a coefficient's sign
stays unknown at the highest precision tried.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import flint

from neurom2.errors import VerificationError
from neurom2.exact.rationals import fmpq as as_fmpq
from neurom2.exact.rationals import fraction
from neurom2.exact.roots import count_real_roots, precision, real_roots, roots
from neurom2.exact.terms import Terms
from neurom2.m2 import package
from neurom2.m2.session import Macaulay2Session
from neurom2.model.space import AmbientSpace
from neurom2.real.membership.charts import CoveringChart
from neurom2.real.membership.zerodim import Point, Solutions

BITS = 256
"""Precision of the certified intervals of real critical points."""
SIGN_BITS = (128, 512, 2048)
"""Precisions tried to certify the signs of the bordered Hessian's characteristic polynomial."""
PRIMES = (65521, 65519)
"""The primes of the modular counts: the largest below 2^16, where Macaulay2's F4 is fast (beyond, a Gröbner
basis of the same ideal took 20 s instead of 0.05 s here)."""
PRINTED_DIGITS = 300
"""Exact descriptions with longer coefficients are given by their size only (the checks stay exact)."""


# --- the loss as a quadratic form on V -------------------------------------------------------------------------


@dataclass(frozen=True)
class Metric:
    """L(c) = (c − u)ᵀ G (c − u) + constant on V, G = I_{dL} ⊗ Q (see the module docstring); exact."""

    gram: tuple[tuple[Fraction, ...], ...]
    center: tuple[Fraction, ...]
    constant: Fraction

    @classmethod
    def of(cls, space: AmbientSpace, dataset: Any) -> Metric:
        """From a :class:`~neurom2.training.dataset.Dataset` (Q = AᵀA, u = A⁺B, constant = min over V)."""
        from neurom2.training.loss import least_squares_loss

        q, u = dataset.Q(space), dataset.u(space)
        return cls.from_matrices(space, [[fraction(q[i, j]) for j in range(q.ncols())] for i in range(q.nrows())],
                                 [[fraction(u[i, k]) for k in range(u.ncols())] for i in range(u.nrows())],
                                 least_squares_loss(space, dataset))

    @classmethod
    def from_matrices(cls, space: AmbientSpace, q: Sequence[Sequence[Fraction]], u: Sequence[Sequence[Fraction]],
                      constant: Fraction = Fraction(0)) -> Metric:
        """From Q (N × N) and u (N × dL, column k = output k) of a space with dL outputs."""
        size, outputs = len(q), space.n_outputs
        gram = [[Fraction(0)] * (size * outputs) for _ in range(size * outputs)]
        for k in range(outputs):
            for i in range(size):
                for j in range(size):
                    gram[k * size + i][k * size + j] = Fraction(q[i][j])
        center = tuple(Fraction(u[i][k]) for k in range(outputs) for i in range(size))
        return cls(tuple(map(tuple, gram)), center, Fraction(constant))

    @property
    def n(self) -> int:
        """The dimension of V."""
        return len(self.center)

    def matrix(self) -> flint.fmpq_mat:
        """The Gram matrix G, exactly."""
        return flint.fmpq_mat(self.n, self.n, [as_fmpq(v) for row in self.gram for v in row])

    @property
    def rank(self) -> int:
        """The rank of G."""
        return self.matrix().rank()

    @property
    def positive_definite(self) -> bool:
        """G = I ⊗ AᵀA is positive semidefinite; it is definite iff it has full rank."""
        return self.rank == self.n

    def loss(self, point: Sequence[Fraction]) -> Fraction:
        """The loss (c − u)ᵀG(c − u) + const at a rational point c, exactly."""
        d = [Fraction(c) - u for c, u in zip(point, self.center)]
        return sum((d[i] * self.gram[i][j] * d[j] for i in range(self.n) for j in range(self.n) if self.gram[i][j]),
                   Fraction(0)) + self.constant

    def kernel(self) -> list[tuple[Fraction, ...]]:
        """A basis of ker G over QQ (empty when G is definite): the directions in which L is constant."""
        echelon, rank = self.matrix().rref()
        rows = echelon.tolist()[:rank]
        pivots = [next(j for j, v in enumerate(row) if v != 0) for row in rows]
        basis = []
        for free in (j for j in range(self.n) if j not in pivots):
            vector = [Fraction(0)] * self.n
            vector[free] = Fraction(1)
            for row, p in zip(rows, pivots):
                vector[p] = -fraction(row[free])
            basis.append(tuple(vector))
        return basis


# --- polynomials (Terms) -----------------------------------------------------------------------------------------


def derivative(poly: Terms, i: int) -> Terms:
    """∂poly/∂x_i."""
    result: Terms = {}
    for e, c in poly.items():
        if e[i]:
            d = e[:i] + (e[i] - 1,) + e[i + 1:]
            result[d] = result.get(d, Fraction(0)) + c * e[i]
    return {e: c for e, c in result.items() if c}


class NumberField:
    """Arithmetic in QQ[α]/(m) for an irreducible m over QQ: elements are fmpq_poly of degree < deg m."""

    def __init__(self, modulus: flint.fmpq_poly) -> None:
        self.modulus = modulus

    def evaluate(self, poly: Terms, point: Sequence[flint.fmpq_poly]) -> flint.fmpq_poly:
        """poly(point), exactly, reduced mod m."""
        powers: dict[tuple[int, int], flint.fmpq_poly] = {}

        def power(i: int, e: int) -> flint.fmpq_poly:
            if (i, e) not in powers:
                powers[(i, e)] = point[i] if e == 1 else (power(i, e - 1) * point[i]) % self.modulus
            return powers[(i, e)]

        total = flint.fmpq_poly(0)
        for e, c in poly.items():
            term = flint.fmpq_poly([as_fmpq(c)])
            for i, a in enumerate(e):
                if a:
                    term = (term * power(i, a)) % self.modulus
            total += term
        return total % self.modulus


def ball(element: flint.fmpq_poly, alpha: flint.acb) -> flint.arb:
    """The real part of element(α) as an Arb ball (α a certified root, real)."""
    return flint.acb_poly(element)(alpha).real  # converted by FLINT: no Python fmpq per coefficient


def interval_text(value: flint.arb, digits: int = 15) -> str:
    """``[lo, hi]`` with ``digits`` significant digits, rounded outwards: contains the ball."""
    from neurom2.exact.roots import arb_fraction

    lo, hi = arb_fraction(value.lower()), arb_fraction(value.upper())
    return f"[{_decimal(lo, digits, down=True)}, {_decimal(hi, digits, down=False)}]"


def _decimal(value: Fraction, digits: int, down: bool) -> str:
    import math

    if value == 0:
        return "0"
    exponent = math.floor(math.log10(abs(float(value)))) if float(value) != 0 else 0
    scale = Fraction(10) ** (digits - 1 - exponent)
    scaled = value * scale
    rounded = math.floor(scaled) if down else math.ceil(scaled)
    result = Fraction(rounded) / scale
    text = f"{float(result):.{digits}g}"
    return text if (Fraction(text) <= value if down else Fraction(text) >= value) else repr(float(result))


# --- one real critical point -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RealPoint:
    """A real point (c, l) of a zero-dimensional Lagrange ideal: c_i, l_j = residues(α) at the
    ``root_index``-th real root α (ascending) of the irreducible ``modulus``; exact."""

    modulus: flint.fmpq_poly
    root_index: int
    residues: tuple[flint.fmpq_poly, ...]
    """c_1..c_n, then l_1..l_r, as polynomials in α of degree < deg modulus."""
    n: int

    @property
    def rational(self) -> bool:
        """Whether the point is rational (its minimal polynomial has degree 1)."""
        return self.modulus.degree() == 1

    def root(self, bits: int = BITS) -> flint.acb:
        """The real root α of the minimal polynomial that defines the point, as a ball."""
        with precision(bits):
            return flint.acb(real_roots(self.modulus, bits)[self.root_index])

    def values(self, elements: Sequence[flint.fmpq_poly], bits: int = BITS) -> list[flint.arb]:
        """Elements of QQ[α] evaluated at the point, as balls."""
        with precision(bits):
            alpha = roots(self.modulus, bits)[self.root_index]
            return [ball(e, alpha) for e in elements]

    def exact(self, element: flint.fmpq_poly) -> Fraction:
        """The value of an element at a rational point (modulus of degree 1)."""
        root = -fraction(self.modulus[0]) / fraction(self.modulus[1])
        total = Fraction(0)
        for c in reversed(element.coeffs()):
            total = total * root + fraction(c)
        return total

    @property
    def coordinates(self) -> tuple[flint.fmpq_poly, ...]:
        """The point's coordinates in V, as polynomials in α."""
        return self.residues[:self.n]

    @property
    def multipliers(self) -> tuple[flint.fmpq_poly, ...]:
        """The Lagrange multipliers, as polynomials in α."""
        return self.residues[self.n:]

    def approximate(self) -> tuple[float, ...]:
        """The coordinates as floats."""
        return tuple(float(v.mid()) for v in self.values(self.coordinates))

    def coefficient_texts(self) -> tuple[str, ...]:
        """Exact rationals (``"3/4"``) at a rational point, else certified intervals ``[lo, hi]``."""
        if self.rational:
            return tuple(str(self.exact(c)) for c in self.coordinates)
        return tuple(interval_text(v) for v in self.values(self.coordinates))

    def definition(self) -> dict[str, Any]:
        """The exact description: α's minimal polynomial, an isolating interval, each c_i as a polynomial in α
        (polynomials with coefficients longer than ``PRINTED_DIGITS`` digits are described by their size)."""
        from neurom2.exact.roots import simple_interval
        from neurom2.exact.terms import U, integral, sympy_poly

        if self.rational:
            return {"rational": True}
        low, high = simple_interval(real_roots(self.modulus), self.root_index)

        def shown(poly: flint.fmpq_poly, text: Any) -> str:
            digits = max((max(int(c.p).bit_length(), int(c.q).bit_length()) for c in poly.coeffs()), default=0) * 0.30103
            return str(text()) if digits <= PRINTED_DIGITS else f"(degree {poly.degree()}, coefficients of ~{digits:.0f} digits)"

        return {"rational": False, "alpha_minimal_polynomial": shown(self.modulus, lambda: integral(self.modulus, U)),
                "alpha_interval": [str(low), str(high)],
                "coordinates_in_alpha": [shown(c, lambda c=c: sympy_poly(c)) for c in self.coordinates]}


def real_points(solutions: Solutions, n: int) -> list[RealPoint]:
    """Every real point of a zero-dimensional ideal in (c_1..c_n, l_1..l_r), from its :class:`Solutions`."""
    result: list[RealPoint] = []
    _, factors = solutions.eliminant.factor()
    for factor, _ in factors:
        monic = factor * (1 / factor.coeffs()[-1])
        real, _ = count_real_roots(monic)
        if not real:
            continue
        residues = tuple(Point(solutions, monic, 0, True).residues())
        result.extend(RealPoint(monic, k, residues, n) for k in range(real))
    return result


# --- the critical points on one variety --------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class PointFacts:
    """What is computed about one real critical point: coordinates, loss, multipliers, type."""

    point: RealPoint
    coefficients: tuple[str, ...]
    approximate: tuple[float, ...]
    loss: float
    loss_interval: str
    loss_ball: Any = field(repr=False)
    type: str
    index: int | None
    """Negative eigenvalues of the Hessian of the Lagrangian on the tangent space (None if undecided)."""
    tangent_dim: int
    verified: str

    def to_json(self) -> dict[str, Any]:
        """The point's facts as JSON."""
        return {"coefficients": list(self.coefficients), "approximate": list(self.approximate), "loss": self.loss,
                "loss_interval": self.loss_interval, "type": self.type, "index": self.index,
                "exact": self.point.definition(), "verified": self.verified}


@dataclass(frozen=True, kw_only=True)
class CriticalSet:
    """The critical points of L on the smooth part of V(P): counts and the real points (see the module docstring)."""

    codim: int
    dim: int
    """Dimension of the Lagrange ideal: 0 when the critical points are finitely many."""
    count: int | None
    """Distinct complex critical points (rank of Hermite's trace form over QQ); None if not computed."""
    degree: int
    """Degree of the Lagrange ideal over QQ (points counted with multiplicity)."""
    real_count: int | None
    saturated: bool
    combinations: tuple[Terms, ...]
    points: tuple[PointFacts, ...] = ()
    real_count_method: str | None = None
    complete_intersection: bool = True
    """Whether P has codim P generators (then g = them and no critical point can be missed)."""

    @property
    def proved(self) -> bool:
        """Whether the count is proved exact (else, when known, a proved lower bound)."""
        return self.count is not None and not self.saturated and self.complete_intersection


def critical_set(session: Macaulay2Session, generators: Sequence[Terms], metric: Metric, *, seed: int = 0,
                 timeout: float | None = None, saturate: str = "auto", describe_points: bool = True) -> CriticalSet:
    """The critical points of ``metric``'s loss on the smooth part of V(P), P = (generators) prime, over QQ;
    without ``describe_points`` only the counts (no real point is listed)."""
    report = package.critical_report(session, generators, metric.gram, metric.center, 0, saturate=saturate,
                                     timeout=timeout)
    intersection = len(generators) == report.codim
    if report.dim != 0 or report.points is None:
        return CriticalSet(codim=report.codim, dim=report.dim, count=None, degree=report.degree, real_count=None,
                           saturated=report.saturated, combinations=tuple(report.combinations),
                           complete_intersection=intersection)
    n, r = metric.n, report.codim
    chart = CoveringChart((None,) * (n + r))
    solutions = Solutions.from_points(chart, report.points, random.Random(seed))
    if not describe_points:
        return CriticalSet(codim=r, dim=0, count=solutions.count, degree=report.degree, real_count=solutions.real_count,
                           saturated=report.saturated,
                           combinations=tuple(report.combinations), points=(), real_count_method=solutions.real_count_method,
                           complete_intersection=intersection)
    points = tuple(describe(p, generators, report.combinations, metric) for p in real_points(solutions, n))
    if len(points) != solutions.real_count:
        raise VerificationError(f"{len(points)} real critical points listed, {solutions.real_count} counted")
    return CriticalSet(codim=r, dim=0, count=solutions.count, degree=report.degree, real_count=solutions.real_count,
                       saturated=report.saturated,
                       combinations=tuple(report.combinations), points=points, real_count_method=solutions.real_count_method,
                       complete_intersection=intersection)


def describe(point: RealPoint, generators: Sequence[Terms], combinations: Sequence[Terms], metric: Metric) -> PointFacts:
    """Verify a real critical point exactly and compute its coordinates, loss and type."""
    field_ = NumberField(point.modulus)
    c, l = point.coordinates, point.multipliers
    for g in generators:
        if field_.evaluate(g, c) != 0:
            raise VerificationError("a critical point does not lie on the variety (exact check in QQ[α]/(m))")
    n = metric.n
    gradients = [[field_.evaluate(derivative(g, i), c) for i in range(n)] for g in combinations]
    shifted = [c[i] - as_fmpq(metric.center[i]) for i in range(n)]
    for i in range(n):
        lagrange = sum((shifted[j] * as_fmpq(metric.gram[i][j]) for j in range(n) if metric.gram[i][j]), flint.fmpq_poly(0))
        lagrange -= sum((l[k] * gradients[k][i] for k in range(len(combinations))), flint.fmpq_poly(0))
        if lagrange % point.modulus != 0:
            raise VerificationError("a critical point fails the Lagrange equations (exact check in QQ[α]/(m))")
    loss = sum((shifted[i] * shifted[j] * as_fmpq(metric.gram[i][j]) for i in range(n) for j in range(n)
                if metric.gram[i][j]), flint.fmpq_poly(0)) % point.modulus + as_fmpq(metric.constant)
    loss_ball = point.values([loss])[0]
    kind, index = hessian_type(point, field_, combinations, metric, gradients)
    verified = ("exactly in QQ (rational point)" if point.rational else
                f"exactly in QQ[α]/(m), deg m = {point.modulus.degree()}: the variety's equations vanish and "
                "G(c − u) = Σ l_i ∇g_i")
    return PointFacts(point=point, coefficients=point.coefficient_texts(), approximate=point.approximate(),
                      loss=float(loss_ball.mid()),
                      loss_interval=str(point.exact(loss)) if point.rational else interval_text(loss_ball), loss_ball=loss_ball,
                      type=kind, index=index, tangent_dim=n - len(combinations), verified=verified)


def hessian_type(point: RealPoint, field_: NumberField, combinations: Sequence[Terms], metric: Metric,
                 gradients: Sequence[Sequence[flint.fmpq_poly]]) -> tuple[str, int | None]:
    """(type, index) from the bordered Hessian's inertia (module docstring)."""
    n, r = metric.n, len(combinations)
    c, l = point.coordinates, point.multipliers
    hessian = [[flint.fmpq_poly([as_fmpq(2 * metric.gram[i][j])]) for j in range(n)] for i in range(n)]
    for k, g in enumerate(combinations):
        for i in range(n):
            gi = derivative(g, i)
            for j in range(i, n):
                second = field_.evaluate(derivative(gi, j), c)
                if second != 0:
                    term = (2 * l[k] * second) % point.modulus
                    hessian[i][j] -= term
                    if j != i:
                        hessian[j][i] -= term
    size = n + r
    bordered = [[flint.fmpq_poly(0)] * size for _ in range(size)]
    for i in range(n):
        for j in range(n):
            bordered[i][j] = hessian[i][j] % point.modulus
        for k in range(r):
            bordered[i][n + k] = bordered[n + k][i] = gradients[k][i]
    for bits in SIGN_BITS:
        values = point.values([e for row in bordered for e in row], bits)
        with precision(bits):
            coefficients = flint.arb_mat(size, size, values).charpoly().coeffs()
        if 0 in coefficients[0] and (bits == SIGN_BITS[-1] or (bits == SIGN_BITS[0] and not _ball_nonzero(point, bordered))) \
                and _determinant(bordered, point.modulus) == 0:
            return "degenerate", None  # the constant coefficient is ±det, exactly zero: a zero eigenvalue
        if any(0 in ball_ for ball_ in coefficients[:-1] if not ball_.is_zero()):
            continue
        signs = [1 if b > 0 else -1 for b in coefficients if not b.is_zero()]
        alternated = [1 if (b > 0) == (k % 2 == 0) else -1 for k, b in enumerate(coefficients) if not b.is_zero()]
        positive = sum(a != b for a, b in zip(signs, signs[1:]))
        negative = sum(a != b for a, b in zip(alternated, alternated[1:]))
        if positive + negative != size:
            continue  # an exactly zero coefficient among the balls would have been dropped: not certain
        index, tangent_positive = negative - r, positive - r
        if index == 0:
            return "minimum", 0
        if tangent_positive == 0:
            return "maximum", index
        return "saddle", index
    return "undecided", None


def _ball_nonzero(point: RealPoint, matrix: list[list[flint.fmpq_poly]]) -> bool:
    """Whether det(matrix)(α) ≠ 0 is proved by ball arithmetic at the highest precision (a ball excluding 0):
    then the exact determinant, costly over QQ[α]/(m), is not needed."""
    bits = SIGN_BITS[-1]
    values = point.values([e for row in matrix for e in row], bits)
    with precision(bits):
        return 0 not in flint.arb_mat(len(matrix), len(matrix), values).det()


def _determinant(matrix: list[list[flint.fmpq_poly]], modulus: flint.fmpq_poly) -> flint.fmpq_poly:
    """det of a square matrix over the field QQ[α]/(m), by Gaussian elimination with inverses mod m."""
    rows = [list(row) for row in matrix]
    size, det = len(rows), flint.fmpq_poly(1)
    for col in range(size):
        pivot = next((i for i in range(col, size) if rows[i][col] % modulus != 0), None)
        if pivot is None:
            return flint.fmpq_poly(0)
        if pivot != col:
            rows[col], rows[pivot] = rows[pivot], rows[col]
            det = -det
        p = rows[col][col] % modulus
        det = (det * p) % modulus
        g, inverse, _ = p.xgcd(modulus)
        inverse = inverse * (1 / g.coeffs()[0])
        for i in range(col + 1, size):
            factor = (rows[i][col] * inverse) % modulus
            if factor != 0:
                rows[i] = [(a - factor * b) % modulus for a, b in zip(rows[i], rows[col])]
    return det


# --- counts modulo primes ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ModularCount:
    """The Lagrange ideal over ZZ/p: its dimension and degree (points with multiplicity)."""

    prime: int
    dim: int
    degree: int
    saturated: bool

    def to_json(self) -> dict[str, Any]:
        """The modular count as JSON."""
        return {"prime": self.prime, "dim": self.dim, "degree": self.degree, "saturated": self.saturated}


def modular_counts(session: Macaulay2Session, generators: Sequence[Terms], gram: Sequence[Sequence[Fraction]],
                   center: Sequence[Fraction], primes: Sequence[int] = PRIMES, *, saturate: str = "auto",
                   timeout: float | None = None) -> tuple[ModularCount, ...]:
    """The Lagrange ideal of (gram, center) modulo each of ``primes`` (F4, independent random combinations for
    each), in one Macaulay2 call; the data must be p-integral."""
    reports = package.critical_counts(session, generators, gram, center, primes, saturate=saturate, timeout=timeout)
    return tuple(ModularCount(r.prime, r.dim, r.degree, r.saturated) for r in reports)


def p_integral(values: Sequence[Fraction], prime: int) -> bool:
    """Whether no denominator of ``values`` is divisible by ``prime``."""
    return all(Fraction(v).denominator % prime for v in values)
