"""The claims of the lecture slides, as executable checks: ``neurom2 reproduce``.

Each claim states what the slides say and computes its evidence through the real pipeline (Macaulay2
included); nothing is hard-coded but the slide's statement and the architectures it is about.  A check
returns :class:`Evidence`; an exception inside a check makes the claim FAIL with the error as evidence.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from itertools import combinations, permutations
from math import comb
from typing import Any

import numpy as np
import sympy
from flint import fmpq_mat
from sympy.polys.domains import QQ
from sympy.polys.rings import ring

from neurom2 import progress
from neurom2.exact.rationals import fmpq_matrix
from neurom2.exact.terms import terms_from_polynomial
from neurom2.m2 import package
from neurom2.m2.session import Macaulay2Session, default_session
from neurom2.model.architecture import Architecture
from neurom2.model.parametrization import Parametrization, forward, random_rational_weights
from neurom2.model.space import AmbientSpace
from neurom2.model.target import Target
from neurom2.properties.closedness import closedness
from neurom2.properties.singular import Component, singular_locus
from neurom2.real.boundary import algebraic_boundary
from neurom2.real.membership import decide_membership
from neurom2.training import loss as training
from neurom2.training.dataset import target_coefficients
from neurom2.variety.implicitization import coordinate_symbols, implicitize


@dataclass(frozen=True)
class Evidence:
    """What a claim's computation found: whether it passed, a summary, and machine-readable data."""
    passed: bool
    summary: str
    data: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Claim:
    """A claim of the slides: its id, its statement, and the function that computes its evidence."""
    id: str
    statement: str
    check: Callable[[Macaulay2Session], Evidence]


@dataclass(frozen=True)
class Outcome:
    """A claim with the evidence computed for it, and the time it took."""
    claim: Claim
    evidence: Evidence
    seconds: float

    @property
    def status(self) -> str:
        """PASS or FAIL."""
        return "PASS" if self.evidence.passed else "FAIL"

    def to_json(self) -> dict[str, Any]:
        """The outcome as JSON (``neurom2 reproduce --json``; docs/schemas/reproduce.schema.json)."""
        return {
            "id": self.claim.id,
            "statement": self.claim.statement,
            "status": self.status,
            "evidence": self.evidence.summary,
            "data": self.evidence.data,
            "seconds": round(self.seconds, 3),
        }


CLAIMS: list[Claim] = []


def claim(id: str, statement: str) -> Callable[[Callable[[Macaulay2Session], Evidence]], Callable]:
    """Register a check under ``id`` with the slide's ``statement``."""

    def register(check: Callable[[Macaulay2Session], Evidence]) -> Callable:
        CLAIMS.append(Claim(id, statement, check))
        return check

    return register


def run_claims(only: Iterable[str] | None = None, session: Macaulay2Session | None = None) -> list[Outcome]:
    """Run the registered claims (all, or those with the given ids) and return their outcomes."""
    wanted = set(only) if only else None
    if wanted and not wanted <= {c.id for c in CLAIMS}:
        unknown = ", ".join(sorted(wanted - {c.id for c in CLAIMS}))
        raise KeyError(f"unknown claim id(s): {unknown}; known: {', '.join(c.id for c in CLAIMS)}")
    session = session or default_session()
    outcomes = []
    chosen = [c for c in CLAIMS if not wanted or c.id in wanted]
    for k, c in enumerate(chosen, start=1):
        progress.stage(f"claim {k} of {len(chosen)}", c.id)
        started = time.perf_counter()
        try:
            evidence = c.check(session)
        except Exception as error:  # a crashing check is a failed claim, reported with its cause
            evidence = Evidence(False, f"error: {type(error).__name__}: {error}")
        outcomes.append(Outcome(c, evidence, time.perf_counter() - started))
    return outcomes


# --- neuromanifolds of linear networks -----------------------------------------------------------------------


def _determinantal_ideal_agrees(session: Macaulay2Session, arch: Architecture) -> tuple[bool, int, int]:
    """Whether the neurovariety's ideal equals the ideal of (r+1)-minors, r = min width; its dim, expected dim."""
    variety = implicitize(arch, strategy="eliminate", session=session)
    r = min(arch.widths)
    agrees = package.determinantal(session, arch, [terms_from_polynomial(eq) for eq in variety.equations])
    return agrees, variety.dim, r * (arch.output_dim + arch.input_dim - r)


@claim("linear-2-2-1", "σ(x) = x, widths (2,2,1): M = R^{1×2} (every linear form)")
def _linear_221(session: Macaulay2Session) -> Evidence:
    arch = Architecture.create("2,2,1", "x")
    variety = implicitize(arch, session=session)
    rng = random.Random(1)
    targets = [
        (Fraction(rng.randint(-9, 9), rng.randint(1, 9)), Fraction(rng.randint(-9, 9), rng.randint(1, 9)))
        for _ in range(5)
    ]
    param = Parametrization(arch)
    # real weights for each target: W1 = [[a, b], [1, 0]], W2 = [1, 0]
    reached = all(param.coefficients_at([a, b, 1, 0, 1, 0]) == (a, b) for a, b in targets)
    passed = variety.fills and variety.complete and reached
    return Evidence(passed, f"ideal zero, dim {variety.dim} = dim V; 5 random real targets reached exactly", {"dim": variety.dim})


@claim("linear-2-1-2", "σ(x) = x, widths (2,1,2): M = {W ∈ R^{2×2} : rk W ≤ 1}")
def _linear_212(session: Macaulay2Session) -> Evidence:
    agrees, dim, expected = _determinantal_ideal_agrees(session, Architecture.create("2,1,2", "x"))
    return Evidence(
        agrees and dim == expected, f"ideal = 2×2 minors (Macaulay2 ideal equality); dim {dim} = {expected}", {"dim": dim}
    )


LINEAR_ARCHITECTURES = ("3,2,3", "4,2,4", "3,4,2,4,3", "4,3,2,3,4", "2,3,1,3,2", "3,1,3", "4,2,3,4", "3,5,3")


@claim("linear-determinantal", "linear MLPs: M = {W ∈ R^{dL×d0} : rk W ≤ min(d0, ..., dL)}")
def _linear_determinantal(session: Macaulay2Session) -> Evidence:
    rows, passed = [], True
    for widths in LINEAR_ARCHITECTURES:
        agrees, dim, expected = _determinantal_ideal_agrees(session, Architecture.create(widths, "x"))
        passed &= agrees and dim == expected
        rows.append({"widths": widths, "rank_bound": min(map(int, widths.split(","))), "ideal_equal": agrees, "dim": dim})
    summary = "; ".join(
        f"({r['widths']}) rk≤{r['rank_bound']}: {'=' if r['ideal_equal'] else '≠'} minors, dim {r['dim']}" for r in rows
    )
    return Evidence(passed, summary, {"architectures": rows})


# --- polynomial networks live in a finite-dimensional space ---------------------------------------------------

AMBIENT_CASES = (
    ("2,2,1", "x^2 + x", True),
    ("2,3,2,1", "x^3 - x", True),
    ("1,2,2,2", "1/2*x^2 - 3", True),
    ("3,2,2,1", "x^2", False),
    ("2,2,2,2,1", "x^2 + 1", False),
)


@claim("polynomial-ambient", "polynomial σ of degree s: M ⊆ (R[x1..x_d0]_{≤ s^(L-1)})^{dL}")
def _polynomial_ambient(session: Macaulay2Session) -> Evidence:
    rng = random.Random(3)
    rows, passed = [], True
    for widths, activation, bias in AMBIENT_CASES:
        arch = Architecture.create(widths, activation, bias)
        bound = arch.activation.degree ** (arch.depth - 1)
        _, *xs = ring(",".join(f"x{i}" for i in range(1, arch.input_dim + 1)), QQ)
        degrees = [
            max(sum(m) for out in forward(arch, random_rational_weights(arch, rng), xs) for m in out.monoms())
            for _ in range(3)
        ]
        passed &= max(degrees) == bound
        rows.append({"widths": widths, "activation": activation, "bias": bias, "bound": bound, "observed": max(degrees)})
    summary = "; ".join(
        f"({r['widths']}) {r['activation']}{' +bias' if r['bias'] else ''}: degree {r['observed']} = {r['bound']}" for r in rows
    )
    return Evidence(passed, "random networks run on QQ[x]: " + summary, {"cases": rows})


@claim("leshno-span", "polynomial σ of degree s: span{σ(w·x + θ)} is finite-dimensional, of dimension C(n+s, s)")
def _leshno(session: Macaulay2Session) -> Evidence:
    rng = random.Random(5)
    rows, passed = [], True
    for n, activation in ((1, "x^2"), (2, "x^2"), (2, "x^3 + x"), (3, "x^2 - x + 1"), (3, "x^3"), (2, "x^4")):
        arch = Architecture.create(f"{n},1", activation)
        s = arch.activation.degree
        space = AmbientSpace(n, tuple(range(s + 1)), 1)
        _, *xs = ring(",".join(f"x{i}" for i in range(1, n + 1)), QQ)
        samples = comb(n + s, s) + 5
        vectors = []
        for _ in range(samples):
            w = [Fraction(rng.randint(-9, 9), rng.randint(1, 5)) for _ in range(n + 1)]
            poly = arch.activation(sum((wi * x for wi, x in zip(w, xs)), xs[0] * 0) + w[-1])
            terms = dict(poly.terms())
            vectors.append([terms.get(e, 0) for e in space.monomials])
        rank = fmpq_matrix(vectors).rank()
        passed &= rank == comb(n + s, s) == space.dim
        rows.append({"n": n, "activation": activation, "rank": rank, "binomial": comb(n + s, s)})
    summary = "; ".join(f"n={r['n']}, σ={r['activation']}: rank {r['rank']} = C(n+s,s) = {r['binomial']}" for r in rows)
    return Evidence(passed, summary, {"cases": rows})


# --- training as distance minimization ------------------------------------------------------------------------


@claim("training-distance", "squared loss: L(f) = ‖A c_f − B‖² = ‖c_f − A⁺B‖²_{AᵀA} + const, also for dL > 1 (‖C‖²_Q = tr(CᵀQC))")
def _training_distance(session: Macaulay2Session) -> Evidence:
    rng = random.Random(7)
    rows, passed = [], True
    for widths, bias in (("2,2,1", True), ("2,2,2", True), ("1,2,1", True)):
        arch = Architecture.create(widths, "x^2", bias)
        space = AmbientSpace.of(arch)
        n = len(space.monomials)
        for size in (n - 2, n + 7):
            data = training.random_dataset(space, size, rng)
            for f in (random_rational_weights(arch, rng), None):
                coefficients = (Parametrization(arch).coefficients_at(f) if f
                                else [Fraction(rng.randint(-9, 9), 7) for _ in range(space.dim)])
                direct = sum(
                    sum((v - b) ** 2 for v, b in zip(forward(arch, f, a) if f else _evaluate(space, coefficients, a), b_))
                    for a, b_ in zip(data.inputs, data.outputs)
                )
                parts = training.loss_decomposition(space, data, coefficients)
                passed &= direct == training.loss(space, data, coefficients) == parts.total
        rows.append({"widths": widths, "sizes": [n - 2, n + 7]})
    return Evidence(
        passed, "exact equality over QQ for networks and arbitrary f ∈ V, |S| below and above N, dL = 1 and 2", {"cases": rows}
    )


def _positive_definite(matrix: fmpq_mat) -> bool:
    """Sylvester's criterion: every leading principal minor is positive."""
    rows = matrix.tolist()
    return all(fmpq_mat([row[:k] for row in rows[:k]]).det() > 0 for k in range(1, len(rows) + 1))


def _evaluate(space: AmbientSpace, coefficients, point) -> list[Fraction]:
    n = len(space.monomials)
    values = []
    for k in range(space.n_outputs):
        total = Fraction(0)
        for c, e in zip(coefficients[k * n:(k + 1) * n], space.monomials):
            term = Fraction(c)
            for x, power in zip(point, e):
                term *= Fraction(x) ** power
            total += term
        values.append(total)
    return values


@claim("gram-inputs-only", "AᵀA depends only on the inputs and is rank-deficient when |S| < dim V (a pseudometric)")
def _gram_inputs(session: Macaulay2Session) -> Evidence:
    rng = random.Random(11)
    space = AmbientSpace(2, (0, 1, 2), 1)
    data = training.random_dataset(space, 4, rng)
    other = training.Dataset(data.inputs, tuple((b[0] + 5,) for b in data.outputs))
    same = training.gram_matrix(space, data) == training.gram_matrix(space, other)
    ranks = {size: training.gram_rank(space, training.random_dataset(space, size, rng)) for size in (3, 5, 6, 10)}
    passed = same and all(rank == min(size, space.dim) for size, rank in ranks.items())
    listed = ", ".join(f"{s}: {r}" for s, r in ranks.items())
    summary = f"same Q for two output sets; rank Q for |S| = {listed} (dim V = {space.dim})"
    return Evidence(passed, summary, {"ranks": ranks})


@claim("gram-moment", "AᵀA is not an arbitrary PD matrix (moment/Hankel structure) while A⁺B reaches every vector")
def _gram_moment(session: Macaulay2Session) -> Evidence:
    rng = random.Random(13)
    hankel = AmbientSpace(1, tuple(range(4)), 1)
    points = [(Fraction(rng.randint(-9, 9), 4),) for _ in range(8)]
    power_sums = [sum(p[0] ** k for p in points) for k in range(7)]
    explicit = fmpq_matrix([[power_sums[i + j] for j in range(4)] for i in range(4)])
    hankel_ok = training.gram_matrix(hankel, points) == explicit
    plane = AmbientSpace(2, (0, 1, 2), 1)
    pattern = training.moment_pattern(plane)
    gram = training.gram_matrix(plane, training.random_dataset(plane, 20, rng))
    upper = fmpq_mat([[5 * (i == j) + (i + 2 * j) % 3 if i <= j else 0 for j in range(6)] for i in range(6)])
    symmetric = upper + upper.transpose()
    target = [Fraction(rng.randint(-9, 9), 5) for _ in range(plane.dim)]
    inputs = training.random_dataset(plane, 12, rng).inputs
    reach = target_coefficients(plane, training.dataset_with_target(plane, inputs, target))
    passed = (
        hankel_ok and training.moment_pattern(hankel).dim == 7 and pattern.dim == 15 and pattern.symmetric_dim == 21
        and training.is_moment_matrix(gram, plane) and _positive_definite(gram)
        and _positive_definite(symmetric) and not training.is_moment_matrix(symmetric, plane)
        and training.coefficient_vector(reach) == tuple(target)
    )
    summary = (
        f"d0=1, D=3: AᵀA = Hankel matrix of power sums, moment space dim {training.moment_pattern(hankel).dim} = 2D+1; "
        f"d0=2, D=2: moment space dim {pattern.dim} of {pattern.symmetric_dim} symmetric; a PD matrix outside it exists; "
        "A⁺B equals a prescribed random vector"
    )
    dims = {"hankel_dim": training.moment_pattern(hankel).dim, "moment_dim": pattern.dim, "symmetric_dim": pattern.symmetric_dim}
    return Evidence(passed, summary, dims)


@claim("loss-landscape", "the loss landscape decouples Θ → M → R: ∇_θ L(f_θ) = J(θ)ᵀ ∇_c L(c(θ))")
def _loss_landscape(session: Macaulay2Session) -> Evidence:
    rng = random.Random(17)
    arch = Architecture.create("2,2,1", "x^2", bias=True)
    space = AmbientSpace.of(arch)
    data = training.random_dataset(space, 9, rng)
    theta = random_rational_weights(arch, rng)
    chain = training.parameter_gradient(arch, theta, data)
    direct = _direct_gradient(arch, theta, data)
    return Evidence(
        chain == direct,
        "chain rule through function space = exact derivative of the loss polynomial in θ, at a random rational θ",
        {"n_params": arch.n_params},
    )


def _direct_gradient(arch: Architecture, theta, data) -> tuple[Fraction, ...]:
    polynomial = training.loss_polynomial(arch, data)
    values = [QQ(w.numerator, w.denominator) for w in theta]
    gradient = (polynomial.diff(x)(*values) for x in polynomial.ring.gens)
    return tuple(Fraction(int(g.numerator), int(g.denominator)) for g in gradient)



# --- real points: σ = x² fills, σ = x³ does not -----------------------------------------------------------

QUADRIC_ORBITS = ("x^2 + y^2", "-x^2 - y^2", "x^2 - y^2", "x^2", "-x^2", "0")
"""One real binary quadric per orbit of GL2(R) × R_{>0} (Sylvester's law of inertia)."""


@claim("x2-fills-reals", "σ(x) = x², widths (2,2,1), no bias: M = R[x,y]_2, over the reals")
def _x2_fills(session: Macaulay2Session) -> Evidence:
    arch = Architecture.create("2,2,1", "x^2")
    variety = implicitize(arch, session=session)
    # M is invariant under x ↦ g x (W1 ↦ W1 g) and under positive scaling (W2 ↦ λ W2), so reaching one
    # quadric per orbit (signatures (2,0), (0,2), (1,1), (1,0), (0,1), (0,0)) reaches all of R[x,y]_2.
    answers = {target: decide_membership(arch, target=target, field="real", session=session) for target in QUADRIC_ORBITS}
    reached = all(a.member is True and a.exact for a in answers.values())
    summary = (
        f"Zariski: ideal zero, dim {variety.dim} = dim V; reals: M is GL2(R)-invariant and each of the 6 orbits "
        f"(signatures) is reached with exact real weights: "
        + "; ".join(f"{t} ← W={list(a.weights or ())}" for t, a in answers.items())
    )
    return Evidence(variety.fills and reached, summary, {t: a.to_json()["weights"] for t, a in answers.items()})


@claim(
    "x3-not-filling-reals",
    "σ(x) = x³, widths (2,2,1): M ⊊ R[x,y]_3 — (A,B,C,D) = (1,0,−1,0) is not reached by real weights, "
    "though M is full-dimensional and (1,0,−1,0) is reached over C",
)
def _x3(session: Macaulay2Session) -> Evidence:
    arch = Architecture.create("2,2,1", "x^3")
    variety = implicitize(arch, session=session)
    target = "x^3 - x*y^2"
    real = decide_membership(arch, target=target, field="real", session=session)
    complex_ = decide_membership(arch, target=target, field="complex", session=session)
    boundary = algebraic_boundary(arch, session, seed=19)
    rng = random.Random(19)
    # the other side of the boundary is unreached: random cubics with three real roots
    unreached = []
    for _ in range(3):
        r = [Fraction(rng.randint(-20, 20), 7) for _ in range(3)]
        cubic = f"(x - ({r[0]})*y)*(x - ({r[1]})*y)*(x - ({r[2]})*y)"
        unreached.append(decide_membership(arch, target=cubic, field="real", session=session).member is False)
    passed = (
        variety.fills and variety.dim == 4 and real.member is False and complex_.member is True
        and len(boundary) == 1 and all(unreached)
    )
    summary = (
        f"dim M = {variety.dim} = dim V (ideal zero); x³ − xy² over R: {real.answer} ({real.method}); "
        f"over C: {complex_.answer}, weights {list(complex_.weights or [])}; algebraic boundary of M(R): "
        + "; ".join(
            f"{b.polynomial} = 0, reached side {b.reached_sign:+d} (witness {list(map(str, b.reached_witness))} reached, "
            f"{list(map(str, b.unreached_witness))} not; all {b.samples} random real networks on that side or on it)"
            for b in boundary
        )
        + f"; 3 random cubics with three real roots: not reached ({sum(unreached)}/3)"
    )
    data = {
        "real": real.to_json(),
        "complex": complex_.to_json(),
        "boundary": [{"polynomial": str(b.polynomial), "reached_sign": b.reached_sign} for b in boundary],
    }
    return Evidence(passed, summary, data)



# --- geometric properties: closedness and singular loci --------------------------------------------------------


def _coordinate_matrix(space: AmbientSpace, entry: Callable[[tuple[int, ...]], tuple[int, int]],
                       shape: tuple[int, int]) -> sympy.Matrix:
    """The matrix of V's coordinates placed by ``entry``, which sends a coordinate's (output, *exponents) to its
    (row, column), 0-based; other entries zero."""
    matrix = sympy.zeros(*shape)
    for symbol, c in zip(coordinate_symbols(space), space.coordinates):
        matrix[entry((c.output, *c.exponents))] = symbol
    return matrix


def _minors(matrix: sympy.Matrix, size: int, space: AmbientSpace) -> list:
    """The nonzero size × size minors of ``matrix``, as polynomials in V's coordinates (Terms)."""
    symbols = coordinate_symbols(space)
    rows, cols = matrix.shape
    found = []
    for r in combinations(range(rows), size):
        for c in combinations(range(cols), size):
            value = sympy.expand(matrix.extract(list(r), list(c)).det())
            if value != 0:
                found.append(terms_from_polynomial(sympy.Poly(value, *symbols, domain=sympy.QQ)))
    return found


def _ranks_at_random_networks(arch: Architecture, matrix: sympy.Matrix, rng: random.Random, samples: int = 3) -> list[int]:
    """numpy ranks of ``matrix`` (in V's coordinates) at the coefficients of random rational networks ``arch``."""
    symbols = coordinate_symbols(AmbientSpace.of(arch))
    evaluate = sympy.lambdify(symbols, matrix, "numpy")
    param = Parametrization(arch)
    return [int(np.linalg.matrix_rank(np.array(evaluate(*map(float, param.coefficients_at(
        random_rational_weights(arch, rng)))), dtype=float))) for _ in range(samples)]


def _single_component_equals(session: Macaulay2Session, arch: Architecture,
                             components: Sequence[Component | package.PrimeReport], minors: list) -> bool:
    """Whether there is one component and its ideal equals that of ``minors`` (Macaulay2 ideal equality)."""
    return len(components) == 1 and package.same_ideal(session, arch, list(components[0].generators), minors)


@claim("x3-not-closed-complex",
       "σ(x) = x³, widths (2,2,1): X = V, yet M(C) ≠ X(C) — the cubics with a double root and not a triple root "
       "are missed, the triple roots and the cubics off the discriminant are reached")
def _x3_not_closed(session: Macaulay2Session) -> Evidence:
    arch = Architecture.create("2,2,1", "x^3")
    space = AmbientSpace.of(arch)
    variety = implicitize(arch, session=session)
    result = closedness(arch, session=session, seed=0)
    symbols = coordinate_symbols(space)
    t = sympy.Symbol("t")
    cubic = sum(s * t ** c.exponents[0] for s, c in zip(symbols, space.coordinates))  # the cubic at y = 1
    discriminant = sympy.discriminant(cubic, t)
    unreached = [s for s in result.strata if s.reached is False]
    on_discriminant = len(unreached) == 1 and len(unreached[0].equations) == 1 and sympy.cancel(
        sympy.sympify(unreached[0].equations[0], locals={str(s): s for s in symbols}) / discriminant).is_number
    rng = random.Random(23)
    generic: list[Fraction] = []
    while not generic or discriminant.subs(dict(zip(symbols, generic))) == 0:
        generic = [Fraction(rng.choice((-1, 1)) * rng.randint(1, 9), rng.randint(1, 5)) for _ in range(4)]
    targets = {"x^2*y": Target.parse("x^2*y", space), "x^3": Target.parse("x^3", space),
               "random cubic off the discriminant": Target.from_coefficients(generic, space)}
    over_c = {name: decide_membership(arch, target=target, field="complex", session=session).member
              for name, target in targets.items()}
    passed = (variety.fills and result.closed_over_c is False and on_discriminant
              and over_c == {"x^2*y": False, "x^3": True, "random cubic off the discriminant": True})
    substrata = [s for s in unreached[0].substrata if s.reached] if unreached else []
    summary = (
        f"X = V (ideal zero, dim {variety.dim}); closedness: M(C) = X(C) is {result.closed_over_c}, the one "
        f"unreached candidate stratum is the discriminant of A t³ + B t² + C t + D (sympy, up to a constant): "
        f"{on_discriminant}, its reached substrata {[list(s.equations) for s in substrata]}; missing set "
        f"{list(result.missing)} (probable); exact membership over C: x²y (double root) "
        f"{_yes_no(over_c['x^2*y'])}, x³ (triple root) {_yes_no(over_c['x^3'])}, "
        f"({', '.join(map(str, generic))}) off the discriminant {_yes_no(over_c['random cubic off the discriminant'])}"
    )
    return Evidence(passed, summary, {"closedness": result.to_json(), "complex_membership": over_c})


def _yes_no(member: bool | None) -> str:
    return {True: "reached", False: "not reached", None: "undecided"}[member]


@claim("singular-locus-subnetwork",
       "σ(x) = x², widths (3,2,1): X = {quadrics of rank ≤ 2} ≠ V, and Sing X = {rank ≤ 1}, the image of the "
       "subnetwork (3,1,1)")
def _singular_quadrics(session: Macaulay2Session) -> Evidence:
    arch = Architecture.create("3,2,1", "x^2")
    space = AmbientSpace.of(arch)
    locus = singular_locus(arch, session=session, sparsity=False)

    def variables(place: tuple[int, ...]) -> tuple[int, int]:  # x_i x_j ↦ (i, j), i ≤ j
        i, j = (k for k, e in enumerate(place[1:]) for _ in range(e))
        return i, j

    upper = _coordinate_matrix(space, variables, (3, 3))
    symmetric = (upper + upper.T) / 2  # the Gram matrix: Σ c_ij x_i x_j = xᵀ S x, S_ij = c_ij / 2 off the diagonal
    equal = _single_component_equals(session, arch, locus.components, _minors(symmetric, 2, space))
    rng = random.Random(29)
    ranks = {widths: _ranks_at_random_networks(Architecture.create(widths, "x^2"), symmetric, rng)
             for widths in ("3,2,1", "3,1,1")}
    labels = [c.subnetwork for c in locus.components]
    passed = (locus.codim == 1 and equal and labels == ["(3,1,1)"] and ranks["3,2,1"] == [2] * 3
              and ranks["3,1,1"] == [1] * 3)
    summary = (f"{locus.proof}; Sing X: {len(locus.components)} component(s), dim {locus.dim}, subnetwork "
               f"{labels}; its ideal = the 2×2 minors of the symmetric 3×3 coefficient matrix (built in Python, "
               f"Macaulay2 ideal equality): {equal}; numpy ranks of that matrix at random networks: (3,2,1) "
               f"{ranks['3,2,1']}, (3,1,1) {ranks['3,1,1']}")
    return Evidence(passed, summary, {"singular_locus": locus.to_json(), "ranks": ranks})


@claim("linear-strata",
       "σ(x) = x, widths (3,2,3): Sing{rank ≤ 2} = {rank ≤ 1}, the image of the subnetwork (3,1,3)")
def _linear_strata(session: Macaulay2Session) -> Evidence:
    arch = Architecture.create("3,2,3", "x")
    space = AmbientSpace.of(arch)
    locus = singular_locus(arch, session=session, sparsity=False)
    generic = _coordinate_matrix(space, lambda place: (place[0] - 1, place[1:].index(1)), (3, 3))
    minors = _minors(generic, 2, space)
    equal = _single_component_equals(session, arch, locus.components, minors)
    # the classical theorem, recomputed: the Jacobian criterion on det W in Macaulay2
    jacobian = package.singular_locus(session, _minors(generic, 3, space), space.dim)
    recomputed = _single_component_equals(session, arch, jacobian.components, minors)
    rng = random.Random(31)
    ranks = {widths: _ranks_at_random_networks(Architecture.create(widths, "x"), generic, rng)
             for widths in ("3,2,3", "3,1,3")}
    labels = [c.subnetwork for c in locus.components]
    passed = (equal and recomputed and labels == ["(3,1,3)"] and ranks["3,2,3"] == [2] * 3
              and ranks["3,1,3"] == [1] * 3)
    summary = (f"Sing X: {len(locus.components)} component(s), dim {locus.dim} (classical formula), subnetwork "
               f"{labels}; its ideal = the 2×2 minors of the generic 3×3 matrix (built in Python, Macaulay2 ideal "
               f"equality): {equal}; the Jacobian criterion on det W in Macaulay2 gives the same ideal: {recomputed}; "
               f"numpy ranks of W at random networks: (3,2,3) {ranks['3,2,3']}, (3,1,3) {ranks['3,1,3']}")
    return Evidence(passed, summary, {"singular_locus": locus.to_json(), "ranks": ranks})


# --- identifiability: fibers of the parametrization against its symmetry group ----------------------------------


def _one_layer_jacobian(arch: Architecture, theta: np.ndarray, points: np.ndarray) -> np.ndarray:
    """d f_θ(x) / dθ at the rows x of ``points``, for σ = x^r on (d0, d1, 1) without biases (θ = W1 row by row,
    then v), derived by hand: ∂/∂v_i = (w_i·x)^r, ∂/∂w_ij = r v_i (w_i·x)^(r−1) x_j."""
    (d1, d0), _ = arch.weight_shapes
    r = arch.activation.degree
    W, v = theta[:d1 * d0].reshape(d1, d0), theta[d1 * d0:]
    z = points @ W.T
    weights = (r * v * z ** (r - 1))[:, :, None] * points[:, None, :]
    return np.hstack([weights.reshape(len(points), d1 * d0), z ** r])


def _one_layer_values(arch: Architecture, theta: np.ndarray, points: np.ndarray) -> np.ndarray:
    """f_θ(x) = Σ v_i (w_i·x)^r at the rows of ``points`` (same conventions)."""
    (d1, d0), _ = arch.weight_shapes
    W, v = theta[:d1 * d0].reshape(d1, d0), theta[d1 * d0:]
    return (points @ W.T) ** arch.activation.degree @ v


@claim("identifiability-sylvester",
       "identifiability up to symmetry: σ = x⁵ on (2,3,1) (binary quintics, Sylvester) is identifiable — a generic "
       "fiber is one orbit of G = (C*)³ ⋊ S₃, 3! = 6 points in the slice w_(i,1) = 1; σ = x² on (3,2,1) is not — "
       "its fibers have one dimension more than G's orbits")
def _identifiability(session: Macaulay2Session) -> Evidence:
    from neurom2.properties.fibers import fibers, slice_chart

    quintic, quadric = Architecture.create("2,3,1", "x^5"), Architecture.create("3,2,1", "x^2")
    found = fibers(quintic, session=session, seed=0)
    numeric = package.fiber_count_monodromy(session, quintic, slice_chart(quintic), 5, seed=1)
    # numpy: the 6 reorderings of one network in the chart are distinct points with the same function;
    # a random perturbation in the chart changes the function
    rng = np.random.default_rng(11)
    theta = rng.normal(size=quintic.n_params)
    theta[0:6:2] = 1
    x = rng.normal(size=(12, 2))
    same, points = True, set()
    for order in permutations(range(3)):
        moved = np.concatenate([theta[:6].reshape(3, 2)[list(order)].ravel(), theta[6:][list(order)]])
        same &= np.allclose(_one_layer_values(quintic, moved, x), _one_layer_values(quintic, theta, x))
        points.add(tuple(np.round(moved, 9)))
    nudged = theta + np.where(np.arange(quintic.n_params) % 2 == 0, 0, 1e-3) * rng.normal(size=quintic.n_params)
    nudged[6:] = theta[6:]
    moved_off = not np.allclose(_one_layer_values(quintic, nudged, x), _one_layer_values(quintic, theta, x))
    # numpy for (3,2,1) x^2: rank of the Jacobian of θ ↦ f_θ at 12 random points of R^3 and of the torus' tangent
    # vectors (w_i, −2 v_i) at a random θ
    weights = rng.normal(size=quadric.n_params)
    jacobian = _one_layer_jacobian(quadric, weights, rng.normal(size=(12, 3)))
    tangents = np.zeros((2, quadric.n_params))
    for i in range(2):
        tangents[i, 3 * i:3 * i + 3] = weights[3 * i:3 * i + 3]
        tangents[i, 6 + i] = -2 * weights[6 + i]
    jacobian_rank, tangent_rank = np.linalg.matrix_rank(jacobian), np.linalg.matrix_rank(tangents)
    singular_values = np.linalg.svd(jacobian, compute_uv=False)
    gap = singular_values[jacobian_rank] / singular_values[jacobian_rank - 1]
    deficient = fibers(quadric, session=session, seed=0)
    numpy_unexplained = quadric.n_params - jacobian_rank - tangent_rank
    passed = (found.solutions == numeric.fiber == len(points) == 6 and found.orbits == 1 and found.identifiable is True
              and same and moved_off and deficient.identifiable is False
              and deficient.unexplained_dim == numpy_unexplained == 1 and deficient.fiber_dim == 8 - jacobian_rank
              and deficient.orbit_dim == tangent_rank == 2 and gap < 1e-9)
    summary = (f"(2,3,1) x^5: {found.solutions} points in the slice over μ(θ0) ({found.method.split(':')[0]}), "
               f"{found.orbits} orbit of the residual S3 (order {found.residual_order}); monodromy finds "
               f"{numeric.fiber}; numpy: the {len(points)} reorderings of a random network are distinct points with "
               f"the same function: {same}, a perturbation of its input weights changes it: {moved_off}. "
               f"(3,2,1) x^2: neurom2 fiber dim {deficient.fiber_dim} "
               f"({'proved' if deficient.dimension.proved else 'probable'}), "
               f"G-orbits of dim {deficient.orbit_dim}, unexplained {deficient.unexplained_dim}; numpy: Jacobian rank "
               f"{jacobian_rank} of 8 (next singular value ratio {gap:.1e}), torus tangent rank {tangent_rank}, "
               f"so 8 − {jacobian_rank} − {tangent_rank} = {numpy_unexplained} dimension G does not explain")
    return Evidence(passed, summary, {"quintic": found.to_json(), "monodromy": numeric.fiber,
                                      "quadric": deficient.to_json(), "jacobian_rank": int(jacobian_rank)})


# --- minimal filling architectures (not a slide: Kileel, Trager and Bruna 2019, Conjecture 12) -------------------

COUNTEREXAMPLE = (2, 3, 4, 5, 4, 6, 4, 1)
"""Dao and Rodriguez (2026): a minimal filling architecture for σ = x² whose hidden widths are not unimodal."""


@claim("unimodal-conjecture-fails",
       "Kileel, Trager and Bruna (2019), Conjecture 12: every minimal filling architecture has unimodal hidden widths. "
       "False for σ = x²: (2,3,4,5,4,6,4,1) fills its space and no one-smaller architecture does (Dao and Rodriguez 2026)")
def _unimodal_conjecture(session: Macaulay2Session) -> Evidence:
    from neurom2.filling.regions import is_unimodal
    from neurom2.variety.bounds import upper_bound
    from neurom2.variety.dimension import dimension

    arch = Architecture.create(COUNTEREXAMPLE, "x^2")
    filled = dimension(arch, seed=0)
    neighbours = []
    for j in range(1, len(COUNTEREXAMPLE) - 1):
        widths = COUNTEREXAMPLE[:j] + (COUNTEREXAMPLE[j] - 1,) + COUNTEREXAMPLE[j + 1:]
        smaller = Architecture.create(widths, "x^2")
        neighbours.append((widths, upper_bound(smaller), dimension(smaller, seed=0).dim))
    ambient = filled.space.dim
    proved_minimal = all(bound.value < ambient for _, bound, _ in neighbours)
    passed = (filled.fills and filled.proved and proved_minimal
              and all(rank <= bound.value for _, bound, rank in neighbours) and not is_unimodal(COUNTEREXAMPLE[1:-1]))
    summary = (
        f"rank {filled.dim} = dim V = {ambient} modulo {', '.join(map(str, filled.primes))} at a random point (a rank "
        f"reaching dim V proves filling); hidden widths {COUNTEREXAMPLE[1:-1]} not unimodal; each one-smaller neighbour "
        "has a proved bound below dim V, met by its rank: "
        + "; ".join(f"{','.join(map(str, w))}: dim ≤ {b.value} ({b.rule}), rank {rank}" for w, b, rank in neighbours)
    )
    data = {"architecture": list(COUNTEREXAMPLE), "ambient_dim": ambient, "ranks": list(filled.ranks),
            "neighbours": [{"widths": list(w), "upper_bound": b.value, "reason": b.reason, "rank": rank}
                           for w, b, rank in neighbours]}
    return Evidence(passed, summary, data)


# --- the geometry of M shapes training (the loss landscape) -----------------------------------------------------


@claim("landscape-x3-unattained",
       "geometry of M affects the loss landscape: σ(x) = x³, widths (2,2,1), data with A⁺B = x³ − xy²: the best "
       "function over M(R) is not attained — the infimum is a limit of networks whose weights go to infinity")
def _landscape_x3(session: Macaulay2Session) -> Evidence:
    from neurom2.training.dataset import Dataset
    from neurom2.training.landscape import landscape

    arch = Architecture.create("2,2,1", "x^3")
    space = AmbientSpace.of(arch)
    data = training.dataset_with_target(space, Dataset.random(arch, 8, seed=5).inputs, [1, 0, -1, 0])
    result = landscape(arch, dataset=data, session=session)
    (u,) = result.critical_points
    infimum = result.infimum
    steps = [s for s in infimum.approach if s.get("reached")]
    growing = len(steps) >= 3 and steps[-1]["weight_norm"] > 10 * steps[0]["weight_norm"]
    decreasing = [s["loss"] for s in steps] == sorted((s["loss"] for s in steps), reverse=True)
    passed = (result.learning_degree == 1 and u.reached is False and infimum.attained is False and growing and decreasing
              and infimum.argmin_stratum == "boundary")
    summary = (f"the only critical point on V is u = x³ − xy² (L = {u.loss:.6g}), not reached by real weights; "
               f"inf over M(R) = {infimum.interval}, attained: {infimum.attained}; argmin on the discriminant's smooth "
               "part (cubics with a double root: no network, in any chart); exact real weights approach it: "
               + ", ".join(f"L = {s['loss']:.9g} at ‖θ‖ = {s['weight_norm']:.4g}" for s in steps)
               + f"; {infimum.proved.split(';')[0]}")
    return Evidence(passed, summary, {"infimum": infimum.value, "approach": steps})


@claim("landscape-pseudometric-minimizers",
       "dist(f, g) = 0 is possible for f ≠ g: with |S| < dim V data points the minimizers of the loss form the "
       "affine space u + ker AᵀA, of dimension dim V − rank A")
def _landscape_pseudometric(session: Macaulay2Session) -> Evidence:
    from neurom2.training.dataset import Dataset
    from neurom2.training.landscape import landscape

    arch = Architecture.create("2,2,1", "x^2")
    data = Dataset.from_pairs([((1, 2), (3,)), ((2, -1), (1,))])
    result = landscape(arch, dataset=data, session=session)
    a = data.A(arch)
    minimizers = result.minimizers or {}
    basis = [[Fraction(v) for v in b] for b in minimizers.get("basis", [])]
    in_kernel = all(sum(Fraction(str(a[i, j])) * b[j] for j in range(3)) == 0 for b in basis for i in range(a.nrows()))
    center = [Fraction(v) for v in minimizers.get("point", [])]
    constant = [training.loss(arch, data, [c + t * b[k] for k, c in enumerate(center)]) for b in basis for t in (0, 5, -7)]
    passed = (minimizers.get("dimension") == 3 - a.rank() == 1 and in_kernel and len(set(constant)) == 1
              and result.infimum.attained is True)
    shown = ", ".join("(" + ", ".join(map(str, b)) + ")" for b in basis)
    summary = (f"2 points, V = R[x,y]_2 (dim 3): rank AᵀA = {result.metric_rank}; minimizers u + span{{{shown}}} "
               f"(dimension {minimizers.get('dimension')}), L = {constant[0] if constant else '?'} at u and along the "
               f"line (exact); a point of it is reached by real weights: {result.infimum.attained}")
    return Evidence(passed, summary, {"dimension": minimizers.get("dimension")})


@claim("landscape-linear-eckart-young",
       "linear networks: after whitening by AᵀA, the critical points on {rank ≤ r} are the C(min(d0,dL), r) partial "
       "SVDs, all real, one local minimum; the lower-rank strata carry the critical points of rank < r")
def _landscape_linear(session: Macaulay2Session) -> Evidence:
    from neurom2.deadline import Deadline
    from neurom2.exact.terms import terms_from_polynomial
    from neurom2.training.critical import Metric, critical_set
    from neurom2.training.dataset import Dataset
    from neurom2.training.infimum import stratification

    rows, passed = [], True
    for widths in ("2,1,2", "3,2,3", "3,1,3", "2,1,3"):
        arch = Architecture.create(widths, "x")
        space = AmbientSpace.of(arch)
        metric = Metric.of(space, Dataset.random(arch, 3 * arch.input_dim + 2, seed=7))
        variety = implicitize(arch, session=session)
        strata = stratification(session, [terms_from_polynomial(e) for e in variety.equations], space.dim, "X",
                                Deadline(None))
        m, r = min(arch.input_dim, arch.output_dim), min(arch.widths)
        counts = []
        for depth, stratum in enumerate(strata):
            found = critical_set(session, stratum.generators, metric)
            counts.append(found.count)
            if depth == 0:
                types = sorted(p.type for p in found.points)
                passed &= found.real_count == found.count == comb(m, r) and types == ["minimum"] + ["saddle"] * (comb(m, r) - 1)
        passed &= counts == [comb(m, r - k) for k in range(r + 1)]
        rows.append({"widths": widths, "rank": r, "critical_points_by_rank": counts, "types": types})
    summary = "; ".join(f"({row['widths']}) rank ≤ {row['rank']}: critical points on rank = {row['rank']}, ..., 0: "
                        f"{row['critical_points_by_rank']} = C(m, k), types at full rank {row['types']}" for row in rows)
    return Evidence(passed, summary + " (exact Lagrange ideals over QQ, random data)", {"cases": rows})

