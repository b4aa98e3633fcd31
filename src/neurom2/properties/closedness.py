"""Closedness: is M(C) = X(C), and where not, which points are missing; is M(R) Euclidean-closed.

**Candidates (proved).**  On the symmetry chart (:func:`symmetryChart`, a dense open set of weights), for each
free weight t the graph ideal {c = μ(θ)} has eliminants g(t, c) (Gröbner basis eliminating the other weights);
where the leading coefficient in t of one of them does not vanish, t stays bounded on the fibers nearby
(Cauchy's bound on the roots).  So, off S = ∪_t V(leading coefficients), the chart map is proper over X; its
image is then closed in X \\ S and dense, hence all of X \\ S (Jelonek's non-properness set lies in S).
Macaulay2 ``nonPropernessReport`` returns the minimal primes of X ∩ S: **every point of X off them is in M(C)**.

**Sub-slices (proved).**  When the chart's fibers are positive-dimensional (more free chart weights than dim X),
no chart weight is algebraic over QQ[c] and S is all of X.  Then more weights are fixed (to 1, 0 or random
rationals), one at a time, as long as the exact Jacobian rank of the restricted map at a random rational point
stays dim X, until exactly dim X weights are free.  The restricted map is then dense in X (its image closure is
irreducible, inside X, of dimension ≥ the rank at a point = dim X, computed exactly by Macaulay2) and generically
finite, and the argument above applies to it word for word: off its candidate set S', every point of X is the
image of a weight vector *of the slice*, i.e. of a network, so it is in M(C).  Several sub-slices (random weight
orders and values) give sets S'_1, S'_2, ...; only X ∩ S'_1 ∩ S'_2 ∩ ... is left (``slicedPropernessReport``),
and its points are tested with the *full* network as below (exact membership does not depend on the slice).

**Strata (probable).**  Each component P of X ∩ S is tested at a random point p of P, by exact membership over C
(:func:`neurom2.real.membership.decide_membership`: a "no" comes with a certificate, so p ∉ M(C) is proved for
that point).  Random points of P come from a rational family whose points lie on P (checked exactly) and whose
image is dense in P (float Jacobian rank = dim P, probable): a subnetwork's image, the *duplicate-neuron limits*
μ(E(s)) + dμ_{E(s)}(v) for a narrower network s and v moving one neuron's input weights (the limit as ε → 0 of
the network whose switched-off neuron copies that neuron: input weights w, w + εv, output weights −a/ε, a/ε + a,
so these points lie in the Euclidean closure of M over R and C), or, for a hypersurface, solving its equation
for a variable it contains linearly.  The answer at a random point of P holds on a dense open subset of P with
high probability (M ∩ P is constructible: either dense in P or inside a proper closed subset).  A stratum whose
random point is not reached is refined by the components of its singular locus, tested the same way: the
**missing set** is reported as P minus its reached substrata (equations and inequations, probable).  Points of
a reached stratum off a dense open subset are not examined ("undecided" there).

A stratum that is a single point (Krull dimension 0 with a rational point on it) is settled by its test (proved),
and so is a line through the origin (Krull dimension 1, homogeneous) reached at a point p ≠ 0: M is a cone over R
and over C (scaling the output layer by λ scales the network by λ; λ = 0 gives 0), so λp ∈ M iff p ∈ M.
Otherwise "the random point of each stratum is reached" is probable for a dense open subset of the stratum only,
so **M(C) = X(C)** is then reported as *probable*: proved off the strata, probable on dense open subsets of them,
and not examined on their proper closed subsets.  A stratum with no rational family dense in it (the families
are subnetwork images, duplicate-neuron limits, hypersurfaces solved for a variable of degree 1 and linear
spaces) stays undecided and so does the answer.

**Over R.**  A missing point given by a duplicate-neuron limit with real weights lies in the Euclidean closure of
M(R) but not in M(C) ⊇ M(R): then **M(R) is not closed (proved** by the exact limit, checked symbolically in ε, and
the membership certificate).  For a linear network (σ = x) M = {(A, b): rank A ≤ r} (r the narrowest hidden
width; b the output bias, any vector with biases) over R and over C, since a matrix of rank ≤ r factors through
K^r over its own field K; {rank ≤ r} is Zariski closed (the (r + 1)-minors), so **M(R) and M(C) are closed
(proved**, classical; e.g. Trager, Kohn, Bruna, "Pure and spurious critical points in the optimization landscape
of linear networks", ICLR 2020: the function space of a linear network is a determinantal variety).  The
algebraic boundary of M(R) is computed for square charts (:func:`neurom2.real.boundary.algebraic_boundary`).
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from functools import cached_property
from typing import Any

import numpy as np
import sympy

from neurom2.deadline import Deadline
from neurom2.errors import Macaulay2Error, TimeLimitExceeded
from neurom2.exact.rationals import fmpq_matrix, fraction
from neurom2.exact.terms import Terms, polynomial_from_terms, terms_from_polynomial
from neurom2.m2 import package
from neurom2.m2.session import Macaulay2Session, default_session
from neurom2.model.architecture import Architecture
from neurom2.model.parametrization import Parametrization
from neurom2.model.space import AmbientSpace
from neurom2.model.target import Target
from neurom2.properties.subnetworks import Subnetwork, candidates
from neurom2.real.boundary import algebraic_boundary
from neurom2.real.membership import decide_membership
from neurom2.variety.implicitization import coordinate_symbols

MAX_DEPTH = 2
"""How many times an unreached stratum is refined by its singular locus."""
TRIES = 3
"""Random parameters (nonzero) tried per family before giving it up (a special point can have a lower rank)."""

Point = tuple[Fraction, ...]


@dataclass(frozen=True, kw_only=True)
class Stratum:
    """A component of X ∩ S (or of the singular locus of an unreached one) and whether its random point is in M(C)."""

    dim: int
    degree: int
    equations: tuple[str, ...]
    reached: bool | None
    """At a random point: True, False (with a certificate), None (no point found or membership undecided)."""
    reason: str | None
    """Why ``reached`` is None (else None)."""
    sampler: str | None
    point: tuple[str, ...] | None
    limit: bool
    """Whether the point is a duplicate-neuron limit of real networks (in the Euclidean closure of M(R))."""
    substrata: tuple[Stratum, ...]
    settled: bool
    """Whether ``reached`` holds on the whole stratum (proved): a single point, the one tested, or a line through the
    origin reached at a point p ≠ 0 (M is a cone: scaling the output layer by λ scales the network by λ)."""

    def to_json(self) -> dict[str, Any]:
        """This part as JSON (plain types; equations as strings in the coordinates of V)."""
        status = ("undecided" if self.reached is None
                  else "proved (the point tested, or the line through it)" if self.settled
                  else "probable (at a random point of the stratum)")
        return {"dim": self.dim, "degree": self.degree, "equations": list(self.equations), "reached": self.reached,
                "status": status, "proved": self.settled, "reason": self.reason,
                "sampler": self.sampler, "point": list(self.point) if self.point else None, "limit": self.limit,
                "substrata": [s.to_json() for s in self.substrata]}


@dataclass(frozen=True, kw_only=True)
class Closedness:
    """Whether M(C) = X(C) and M(R) is Euclidean-closed, with the candidate strata (module docstring)."""

    architecture: Architecture
    integral_weights: int
    """Chart weights integral over QQ[c] (with sub-slices: sub-slices whose every free weight is)."""
    slices: tuple[dict[str, Fraction], ...]
    """The sub-slices used (module docstring), their fixed weights by name; () when the chart's fibers are finite."""
    strata: tuple[Stratum, ...]
    closed_over_c: bool | None
    closed_over_c_proved: bool
    """Whether ``closed_over_c`` is proved (else probable, when not None; module docstring)."""
    missing: tuple[str, ...]
    """The missing set as constructible pieces, ``V(P) minus V(Q1) ∪ ...`` (probable)."""
    closed_over_r: bool | None
    real_boundary: tuple[str, ...] | None
    """Factors of the algebraic boundary of M(R) (square charts only; None: not computed)."""
    proof: str
    seconds: float

    def to_json(self) -> dict[str, Any]:
        """This part as JSON (plain types; equations as strings in the coordinates of V)."""
        arch = self.architecture
        return {"widths": list(arch.widths), "activation": str(arch.activation), "bias": arch.bias,
                "integral_weights": self.integral_weights,
                "slices": [{name: str(v) for name, v in fixed.items()} for fixed in self.slices],
                "strata": [s.to_json() for s in self.strata], "closed_over_C": self.closed_over_c,
                "closed_over_C_proved": self.closed_over_c_proved,
                "missing": list(self.missing), "closed_over_R": self.closed_over_r,
                "real_boundary": list(self.real_boundary) if self.real_boundary is not None else None,
                "proof": self.proof, "seconds": round(self.seconds, 6)}


def closedness(architecture: Architecture, *, session: Macaulay2Session | None = None,
               deadline: Deadline | float | None = None, seed: int = 0) -> Closedness:
    """Decide M(C) = X(C) where feasible, describe the missing set, and whether M(R) is closed (module docstring)."""
    started = time.perf_counter()
    deadline = Deadline.coerce(deadline)
    m2 = package.ready(session or default_session())
    space = AmbientSpace.of(architecture)
    search = _Search(architecture, space, m2, deadline, random.Random(seed))
    components, integral, slices = search.candidate_primes()
    strata = tuple(search.stratum(p, 0) for p in components)
    missing = tuple(piece for s in strata for piece in _missing(s))
    everything = list(_all(strata))
    closed_c, proved_c, proof = _verdict_over_c(strata, everything)
    unreached_limits = [s for s in everything if s.limit and s.reached is False]
    closed_r = False if unreached_limits and search.verify_limit(unreached_limits[0]) else None
    if architecture.monomial_degree == 1:
        closed_c, proved_c, closed_r = True, True, True
        proof = ("proved (classical): a linear network's M is {rank of the end-to-end matrix ≤ the narrowest hidden "
                 "width} (times any output bias) over R and over C, a Zariski closed set (the strata computation: "
                 + proof + ")")
    boundary = None
    if architecture.n_params - architecture.symmetry_dim == space.dim:  # a square chart: boundary of M(R)
        try:
            boundary = tuple(str(c.polynomial) for c in algebraic_boundary(architecture, m2, seed=seed))
        except Macaulay2Error:  # fiberDiscriminant found no eliminant: not computed
            boundary = None
    names = architecture.weight_names
    return Closedness(architecture=architecture, integral_weights=integral,
                      slices=tuple({names[k]: v for k, v in sorted(fixed.items())} for fixed in slices),
                      strata=strata, closed_over_c=closed_c, closed_over_c_proved=proved_c, missing=missing,
                      closed_over_r=closed_r, real_boundary=boundary, proof=proof,
                      seconds=time.perf_counter() - started)


def _verdict_over_c(strata: Sequence[Stratum], everything: Sequence[Stratum]) -> tuple[bool | None, bool, str]:
    """M(C) = X(C)?, whether that is proved, and why (module docstring)."""
    if not strata:
        return True, True, ("proved: the chart map (or a sub-slice of it) is proper over X, every weight being "
                            "integral over QQ[c], hence onto X")
    if any(s.reached is False for s in everything):
        return False, True, ("proved: a point of X is not in M(C) (exact membership certificate); the missing set is "
                             "described by strata tested at random points (probable)")
    off = "every point of X off the candidate strata is reached (proved)"
    undecided = [s for s in strata if s.reached is None]
    if undecided:
        return None, False, (f"undecided: {off}; on {len(undecided)} of the {len(strata)} strata no rational point "
                             "dense in it was found or its membership was not decided in time")
    if all(s.settled for s in strata):
        return True, True, (f"proved: {off}, and each stratum is a point or a line through the origin, reached "
                            "(exact membership at a point of it; M is a cone)")
    return True, False, (f"probable: {off}, and a random point of each stratum is reached (exact membership), so a "
                         "dense open subset of it with high probability; proper closed subsets of the strata are not "
                         "examined")


SLICES = 8
"""Sub-slices whose candidate sets are intersected (until only points are left) when the chart's fibers are
positive-dimensional."""
MEMBERSHIP_SECONDS = 60.0
"""Time allowed to one exact membership decision at a stratum's random point."""


@dataclass(frozen=True)
class _Family:
    """A rational family of points of V: ``label``, the number of parameters, the map (exact), and whether its
    points are duplicate-neuron limits (then ``limit`` gives the weights θ_ε as functions of the parameters)."""

    label: str
    size: int
    point: Callable[[Sequence[Fraction]], Point]
    limit: Callable[[Sequence[Fraction], Any], list] | None = None


class _Search:
    """Random points of strata from rational families, and exact membership there."""

    def __init__(self, arch: Architecture, space: AmbientSpace, session: Macaulay2Session, deadline: Deadline,
                 rng: random.Random) -> None:
        self.arch, self.space, self.session, self.deadline, self.rng = arch, space, session, deadline, rng
        self.param = Parametrization(arch)
        self.symbols = coordinate_symbols(space)
        self.subnetworks = candidates(arch, sparsity=False)
        self.points: dict[Stratum, tuple[_Family, list[Fraction]]] = {}
        """The family and parameters of each stratum's random point."""

    def candidate_primes(self) -> tuple[list[package.PrimeReport], int, list[dict[int, Fraction]]]:
        """The minimal primes of the points of X not proved reached, the count of integral weights (or slices),
        and the sub-slices used (module docstring): the chart's when its fibers are finite or no sub-slice of
        rank dim X is found, else the sub-slices'."""
        n = self.arch.n_params
        target = self._slice_rank({})
        slices = self._slices(target) if n - self.arch.symmetry_dim > target else []
        if slices:
            sliced = package.sliced_properness(self.session, self.arch, slices, timeout=self.deadline.remaining())
            if sliced.dim == target:  # each slice's exact rank is dim X: dense in X
                return sliced.components, sliced.integral, slices[:sliced.used]
        report = package.non_properness(self.session, self.arch, timeout=self.deadline.remaining())
        return report.components, report.integral, []

    def _slices(self, target: int) -> list[dict[int, Fraction]]:
        """Up to :data:`SLICES` sub-slices with exactly ``target`` free weights and exact Jacobian rank ``target`` at a
        random rational point: each fixes weights to 0, else 1, else a random rational (sparse slices keep the
        eliminations cheap), the first in θ's order, the others in random orders, the output layer's weights last
        (module docstring)."""
        n, names = self.arch.n_params, self.arch.weight_names
        found = []
        for k in range(SLICES):
            last = f"{self.arch.depth}_"  # output-layer weights last: fixing them breaks the cone structure
            order = sorted(range(n), key=lambda i: (names[i][1:].startswith(last), self.rng.random() if k else i))
            fixed: dict[int, Fraction] = {}
            for i in order:
                if n - len(fixed) == target:
                    break
                self.deadline.check()
                values = (Fraction(0), Fraction(1), self._rational())
                fixed = next((trial for v in values if self._slice_rank(trial := {**fixed, i: v}) == target), fixed)
            if n - len(fixed) == target and fixed not in found:
                found.append(fixed)
        return found

    def _slice_rank(self, fixed: dict[int, Fraction]) -> int:
        """The exact rank of the Jacobian of μ restricted to the slice ``fixed`` (weight index -> value), at a
        random rational point of the slice (a lower bound for the slice's generic rank)."""
        theta = [fixed.get(k, self._rational()) for k in range(self.arch.n_params)]
        free = [k for k in range(self.arch.n_params) if k not in fixed]
        if not free:
            return 0
        rows = [[fraction(row[k](*theta)) for k in free] for row in self._jacobian]
        return int(fmpq_matrix(rows).rref()[1])

    @cached_property
    def _jacobian(self) -> list[list[Any]]:
        return [[f.diff(g) for g in self.param.weight_ring.gens] for f in self.param.polynomials]

    def _rational(self) -> Fraction:
        return Fraction(self.rng.choice((-1, 1)) * self.rng.randint(1, 5), self.rng.randint(1, 3))

    def stratum(self, prime: package.PrimeReport, depth: int) -> Stratum:
        polys = [polynomial_from_terms(g, self.symbols) for g in prime.generators]
        found = self._random_point(prime, polys)
        reached, sampler, point, limit = None, None, None, False
        reason = None if found else ("no rational family dense in the stratum was found (subnetwork images, "
                                     "duplicate-neuron limits, linear spaces, an equation solved for a variable of "
                                     "degree 1)")
        if found is not None:
            family, params = found
            point = family.point(params)
            sampler, limit = family.label, family.limit is not None
            target = Target.from_coefficients(point, self.space)
            try:
                reached = decide_membership(self.arch, target=target, field="complex", session=self.session,
                                            timeout=self.deadline.remaining(MEMBERSHIP_SECONDS)).member
            except TimeLimitExceeded:
                if self.deadline.expired():
                    raise  # the whole budget is spent; a single slow membership leaves the stratum undecided
                reason = f"exact membership at its random point took more than {MEMBERSHIP_SECONDS:g} s"
            if reached is None and reason is None:
                reason = "exact membership at its random point was not decided"
        substrata: tuple[Stratum, ...] = ()
        if reached is False and depth < MAX_DEPTH and prime.generators:
            singular = package.singular_locus(self.session, prime.generators, self.space.dim,
                                              timeout=self.deadline.remaining())
            substrata = tuple(self.stratum(q, depth + 1) for q in singular.components)
        homogeneous = all(len({sum(e) for e in g}) == 1 for g in prime.generators)
        settled = reached is not None and point is not None and (
            prime.dim == 0 or (prime.dim == 1 and homogeneous and any(point) and reached))
        result = Stratum(dim=prime.dim, degree=prime.degree, equations=tuple(str(p.as_expr()) for p in polys),
                         reached=reached, reason=reason, sampler=sampler,
                         point=tuple(map(str, point)) if point else None,
                         limit=limit, substrata=substrata, settled=settled)
        if found is not None:
            self.points[result] = found
        return result

    def verify_limit(self, stratum: Stratum) -> bool:
        """Whether μ(θ_ε) → the stratum's point as ε → 0, exactly (θ_ε real for real parameters)."""
        family, params = self.points[stratum]
        assert family.limit is not None
        eps = sympy.Symbol("eps")
        weights = family.limit(params, eps)
        point = family.point(params)
        values = dict(zip(self.param.weight_ring.symbols, weights))
        for f, target in zip(self.param.polynomials, point):
            series = sympy.expand(f.as_expr().xreplace(values))
            if sympy.limit(series, eps, 0) != _rational(target):
                return False
        return True

    def _random_point(self, prime: package.PrimeReport, polys: list) -> tuple[_Family, list[Fraction]] | None:
        for family in self._families(prime):
            for _ in range(TRIES):
                self.deadline.check()
                params = [self._rational() for _ in range(family.size)]
                try:
                    point = family.point(params)
                except ZeroDivisionError:
                    continue
                values = dict(zip(self.symbols, point))
                if not all(p.as_expr().xreplace(values) == 0 for p in polys):
                    break  # the family does not lie on the stratum
                if _rank(family, params) == prime.dim:
                    return family, params
        return None

    def _families(self, prime: package.PrimeReport) -> list[_Family]:
        families = [self._image(sub) for sub in self.subnetworks]
        linear = [g for g in prime.generators if all(sum(e) <= 1 for e in g)]
        others = [g for g in prime.generators if g not in linear]
        if linear and len(others) <= 1:
            families += self._on_linear_space(linear, others)
        if len(prime.generators) == 1:
            families += self._solved(prime.generators[0], self.space.dim, tuple, list(map(str, self.symbols)))
        families += [self._duplicate(sub) for sub in self.subnetworks if _one_fewer(self.arch, sub) is not None]
        return families

    def _image(self, sub: Subnetwork) -> _Family:
        def point(params: Sequence[Fraction]) -> Point:
            return self.param.coefficients_at(sub.embed(list(params)))

        return _Family(f"image of {sub.label}", sub.architecture.n_params, point)

    def _on_linear_space(self, linear: Sequence[Terms], others: Sequence[Terms]) -> list[_Family]:
        """For a linear space (the zero set of ``linear``), its points with the free coordinates of the reduced row
        echelon form as parameters; for one more equation g on it, g pulled back to the parameters and solved
        for a parameter of degree 1."""
        n = self.space.dim
        rows = [[g.get(tuple(int(i == k) for i in range(n)), Fraction(0)) for k in range(n)]
                + [-g.get((0,) * n, Fraction(0))] for g in linear]
        echelon, rank = fmpq_matrix(rows).rref()
        reduced = [[fraction(echelon[i, k]) for k in range(n + 1)] for i in range(rank)]
        pivots = [next(k for k in range(n) if row[k]) for row in reduced]
        free = [k for k in range(n) if k not in pivots]

        def point(params: Sequence[Any]) -> Point:
            values = dict(zip(free, params))
            for k, row in zip(pivots, reduced):
                values[k] = row[n] - sum((row[j] * values[j] for j in free), Fraction(0))
            return tuple(values[k] for k in range(n))

        if not others:
            return [_Family("a linear space", len(free), point)]
        names = [str(self.symbols[k]) for k in free]
        symbols = sympy.symbols(names)
        substitution = dict(zip(free, symbols))
        for k, row in zip(pivots, reduced):
            substitution[k] = _rational(row[n]) - sum(_rational(row[j]) * substitution[j] for j in free)
        values = {self.symbols[k]: v for k, v in substitution.items()}
        pulled = sympy.Poly(polynomial_from_terms(others[0], self.symbols).as_expr().xreplace(values), *symbols,
                            domain=sympy.QQ)
        if pulled.is_zero:
            return []
        return self._solved(terms_from_polynomial(pulled), len(free), point, names, " on a linear space")

    def _solved(self, generator: Terms, size: int, embed: Callable[[Sequence[Fraction]], Point],
                names: Sequence[str], where: str = "") -> list[_Family]:
        """For a hypersurface g = 0 in ``size`` variables (mapped into V by ``embed``): points with random
        coordinates but one, in which g is linear, solved for."""
        found = []
        for k in range(size):
            if max(e[k] for e in generator) != 1:
                continue

            def point(params: Sequence[Fraction], k: int = k) -> Point:
                values = list(params[:k]) + [Fraction(0)] + list(params[k:])
                linear = constant = Fraction(0)
                for e, c in generator.items():
                    term = c * _monomial(values, e, k)
                    if e[k]:
                        linear += term
                    else:
                        constant += term
                values[k] = -constant / linear
                return embed(values)

            found.append(_Family(f"solving the equation for {names[k]}{where}", size - 1, point))
        return found

    def _duplicate(self, sub: Subnetwork) -> _Family:
        """Duplicate-neuron limits: the switched-off neuron copies neuron 1 of its layer (module docstring)."""
        layer = _one_fewer(self.arch, sub)
        assert layer is not None
        names = self.arch.weight_names
        inputs = [k for k, n in enumerate(names) if n.startswith(f"w{layer}_1_") or n == f"b{layer}_1"]
        outputs = [k for k, n in enumerate(names) if n.startswith(f"w{layer + 1}_") and n.split("_")[2] == "1"]
        derivatives = [[f.diff(self.param.weight_ring.gens[k]) for k in inputs] for f in self.param.polynomials]
        n = sub.architecture.n_params

        def point(params: Sequence[Fraction]) -> Point:
            theta = sub.embed(list(params[:n]))
            base = self.param.coefficients_at(theta)
            direction = params[n:]
            return tuple(b + sum((fraction(d(*theta)) * v for d, v in zip(row, direction)), Fraction(0))
                         for b, row in zip(base, derivatives))

        def limit(params: Sequence[Fraction], eps: Any) -> list:
            theta: list[Any] = [_rational(q) for q in sub.embed(list(params[:n]))]
            index = {name: k for k, name in enumerate(names)}
            last = self.arch.widths[layer]
            for k, v in zip(inputs, params[n:]):  # the twin copies the input weights, the neuron moves by ε·v
                theta[index[_twin(names[k], layer, last)]] = theta[k]
                theta[k] = theta[k] + eps * _rational(v)
            for k in outputs:  # output weights a/ε and a − a/ε
                a = theta[k]
                theta[k] = a / eps
                theta[index[_twin(names[k], layer, last)]] = a - a / eps
            return theta

        return _Family(f"duplicate-neuron limits on {sub.label}", n + len(inputs), point, limit)


def _one_fewer(arch: Architecture, sub: Subnetwork) -> int | None:
    """The hidden layer (1-based) where ``sub`` has one neuron fewer, if it differs from ``arch`` only there."""
    diff = [l for l, (a, b) in enumerate(zip(arch.widths, sub.architecture.widths)) if a != b]
    return diff[0] if len(diff) == 1 and arch.widths[diff[0]] - sub.architecture.widths[diff[0]] == 1 else None


def _twin(name: str, layer: int, neuron: int) -> str:
    """The weight of hidden neuron ``neuron`` of ``layer`` corresponding to ``name``, a weight of its neuron 1."""
    kind, rest = name[0], name[1:].split("_")
    if int(rest[0]) == layer:  # an input weight w{l}_1_j or the bias b{l}_1
        rest[1] = str(neuron)
    else:  # an output weight w{l+1}_i_1
        rest[2] = str(neuron)
    return kind + "_".join(rest)


def _rational(q: Fraction) -> sympy.Rational:
    return sympy.Rational(q.numerator, q.denominator)


def _monomial(values: Sequence[Fraction], exponents: Sequence[int], skip: int) -> Fraction:
    result = Fraction(1)
    for k, (v, e) in enumerate(zip(values, exponents)):
        if e and k != skip:
            result *= v ** e
    return result


def _rank(family: _Family, params: Sequence[Fraction], step: Fraction = Fraction(1, 10**6)) -> int:
    """The rank of the family's Jacobian at ``params`` (central differences, exact arithmetic, float SVD;
    probable: a relative tolerance of 1e-6)."""
    if not family.size:
        return 0
    columns = []
    for k in range(family.size):
        up, down = list(params), list(params)
        up[k] += step
        down[k] -= step
        columns.append([float((a - b) / (2 * step)) for a, b in zip(family.point(up), family.point(down))])
    singular = np.linalg.svd(np.array(columns), compute_uv=False)
    return int(np.sum(singular > 1e-6 * singular[0])) if singular.size and singular[0] > 0 else 0


def _all(strata: Sequence[Stratum]) -> list[Stratum]:
    return [t for s in strata for t in (s, *_all(s.substrata))]


def _missing(stratum: Stratum) -> list[str]:
    """The constructible pieces of the missing set found under an unreached stratum: V(P) minus its reached substrata."""
    if stratum.reached is not False:
        return []
    ideal = "V(" + ", ".join(stratum.equations) + ")"
    reached = ["V(" + ", ".join(s.equations) + ")" for s in stratum.substrata if s.reached]
    return [ideal + (" minus " + " ∪ ".join(reached) if reached else "")]
