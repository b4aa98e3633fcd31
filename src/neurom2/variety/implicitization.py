"""Implicitization: from an architecture to the ideal of its neurovariety, with a choice of strategy.

Strategies (``strategy=``), and what each proves:

``eliminate``
    Macaulay2 (package ``Neurom2``) builds the parametrization from the numbers describing the
    network, restricts it to a dense chart that fixes the continuous symmetries (one weight per hidden
    neuron set to 1; an identity block for linear layers), and computes a full Gröbner basis of the graph
    ideal in a block order eliminating the weights.  Proves: the complete ideal.
``truncated``
    The same graph ideal, weighted-homogeneous (coordinates get the degree of their polynomials), with a
    Gröbner basis truncated at degree ``max_degree`` in the coordinates.  Proves: all equations up to
    that degree; the complete ideal when the linear section certificate succeeds.
``interpolate``
    :mod:`neurom2.variety.interpolation`, degree by degree, modulo primes, lifted to QQ; each lifted
    equation is proved to vanish on M exactly (:mod:`neurom2.variety.vanishing`).  Proves: all equations up
    to the degree reached.  Complete when M is a hypersurface (the first equation generates the principal
    prime ideal I(M)) or when the linear section certificate (:mod:`neurom2.variety.certificate`) proves
    that the equations found generate I(M); interpolation stops at the first degree where that succeeds.
``auto``
    The dimension first (:mod:`neurom2.variety.dimension`): a neuromanifold that fills V has the zero ideal,
    proved by the rank.  A linear network (monomial degree 1) is a determinantal variety: its ideal is written
    down, the minors of its matrix, complete by a classical theorem (:mod:`neurom2.variety.determinantal`;
    strategy ``determinantal``).  A hypersurface is interpolated (no Macaulay2 needed).  Otherwise
    ``interpolate`` with certificates, degree by degree while its cost estimate is within the size guard;
    ``eliminate`` when interpolation is refused by the guard, and as a last resort, within
    :data:`AUTO_ELIMINATION_SECONDS` (or the time budget), when no certificate was found.  Interpolation
    stops early when the certificate failed for the equations found and the next degree adds no generator:
    each degree costs much more than the one before and cannot prove completeness by itself, so the
    question goes to the elimination (the ideal is then reported incomplete, "all equations up to degree k",
    when the elimination does not finish).

Cost: :func:`neurom2.variety.interpolation.interpolation_estimate` is checked before every degree
(:func:`neurom2.cost.guard`, ``force`` to override); stages are shown on a terminal (:mod:`neurom2.progress`).
Macaulay2 is started only when a strategy needs it (hypersurfaces and filling networks do not).
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from math import comb

import sympy

from neurom2 import progress
from neurom2.cost import guard
from neurom2.deadline import Deadline
from neurom2.errors import (
    InterpolationFailed,
    InvalidOption,
    Macaulay2OutputError,
    Macaulay2Timeout,
    Neurom2Error,
    TooExpensive,
)
from neurom2.exact.terms import polynomial_from_terms
from neurom2.m2 import package
from neurom2.m2.session import Macaulay2Session, default_session
from neurom2.model.architecture import Architecture
from neurom2.model.space import AmbientSpace, Exponents
from neurom2.variety import determinantal
from neurom2.variety.certificate import Certificate, certify
from neurom2.variety.dimension import Dimension, dimension
from neurom2.variety.interpolation import (
    DegreePiece,
    Sampler,
    equations_of_degree,
    interpolation_estimate,
    minimal_generators,
    normalized,
)
from neurom2.variety.neurovariety import Neurovariety
from neurom2.variety.strategies import STRATEGIES
from neurom2.variety.vanishing import ChartImage
from neurom2.variety.verification import verify as verify_result

Terms = Mapping[Exponents, Fraction]

DEFAULT_MAX_DEGREE = 4
"""Degree bound of ``interpolate`` and ``truncated`` when none is given."""
AUTO_MAX_DEGREE = 8
"""``auto`` interpolates at most up to this degree (fewer when the size guard stops it)."""
HYPERSURFACE_MAX_DEGREE = 12
AUTO_ELIMINATION_SECONDS = 60.0
"""Without a time budget, ``auto``'s last-resort elimination gets this long."""
DEGREE_SECONDS = 20.0
"""The slice count for the degree of an incomplete ideal gets at most this long (then: not computed)."""


class _Macaulay2:
    """The Macaulay2 session, started (and the package loaded) only when first needed."""

    def __init__(self, session: Macaulay2Session | None) -> None:
        self.given = session
        self.session: Macaulay2Session | None = None

    def __call__(self) -> Macaulay2Session:
        if self.session is None:
            self.session = package.ready(self.given or default_session())
        return self.session

    @property
    def version(self) -> str | None:
        return self.session.version if self.session is not None else None


@dataclass(frozen=True, kw_only=True)
class _Ideal:
    """What one strategy found, before verification."""

    equations: tuple[Terms, ...]
    dim: int
    degree: int | None
    degree_method: str | None
    complete: bool
    up_to_degree: int | None
    proof: str
    strategy: str
    m2_dim: int | None = None
    """The dimension Macaulay2 computed from the ideal itself (``eliminate``), for verification."""
    timings: dict[str, float] = field(default_factory=dict)


def implicitize(
    architecture: Architecture | str | Sequence[int],
    activation: str | None = None,
    *,
    bias: bool | None = None,
    strategy: str = "auto",
    max_degree: int | None = None,
    session: Macaulay2Session | None = None,
    timeout: Deadline | float | None = None,
    verify: bool = True,
    seed: int = 0,
    force: bool = False,
) -> Neurovariety:
    """Compute the ideal, dimension and degree of the neurovariety of ``architecture``.

    The network is an :class:`Architecture` or widths with an activation (``implicitize("3,2,1", "x^2")``,
    ``bias=True`` for biases; :meth:`Architecture.coerce`).
    ``strategy`` is one of :data:`STRATEGIES` (see the module docstring); ``max_degree`` bounds the
    degree of the equations for ``truncated``, ``interpolate`` and ``auto``; ``timeout`` is the time budget
    of the whole computation in seconds (:mod:`neurom2.deadline`); ``verify`` runs the independent checks of
    :mod:`neurom2.variety.verification`; ``force`` runs computations that a size guard would refuse.
    """
    architecture = Architecture.coerce(architecture, activation, bias)
    if strategy not in STRATEGIES:
        raise InvalidOption(f"unknown strategy {strategy!r}; choose one of {', '.join(STRATEGIES)}", "strategy")
    if max_degree is not None and max_degree < 1:
        raise InvalidOption(f"max_degree must be at least 1, got {max_degree}", "max_degree")
    guard(AmbientSpace.of(architecture).listing_estimate(), force)
    deadline = Deadline.coerce(timeout)
    with deadline.enforced():
        return _implicitize(architecture, strategy, max_degree, _Macaulay2(session), deadline, verify, seed, force)


def _implicitize(architecture: Architecture, strategy: str, max_degree: int | None, m2: _Macaulay2,
                 deadline: Deadline, verify: bool, seed: int, force: bool) -> Neurovariety:
    space = AmbientSpace.of(architecture)
    timings: dict[str, float] = {}
    started = time.perf_counter()
    progress.stage("implicit", "Jacobian rank")
    dim = dimension(architecture, seed=seed, timeout=deadline, force=force)
    timings["dimension"] = time.perf_counter() - started

    started = time.perf_counter()
    ideal = _run_strategy(architecture, space, dim, strategy, max_degree, m2, deadline, seed, force)
    timings[ideal.strategy] = time.perf_counter() - started - sum(ideal.timings.values())
    timings.update(ideal.timings)

    degree, degree_method = ideal.degree, ideal.degree_method
    if not ideal.complete and ideal.dim < space.dim:
        started = time.perf_counter()
        degree, degree_method = _witness_degree(architecture, ideal.dim, m2, deadline, seed)
        timings["degree"] = time.perf_counter() - started

    verification = None
    if verify:
        deadline.check()
        progress.stage("implicit", "independent verification")
        started = time.perf_counter()
        verification = verify_result(ideal.equations, architecture, jacobian_rank=dim.dim, m2_dimension=ideal.m2_dim,
                                     seed=seed)
        timings["verification"] = time.perf_counter() - started
    symbols = coordinate_symbols(space)
    return Neurovariety(
        seed=seed,
        architecture=architecture,
        space=space,
        dim=ideal.dim,
        degree=degree,
        degree_method=degree_method,
        equations=tuple(polynomial_from_terms(dict(f), symbols) for f in ideal.equations),
        m2_version=m2.version,
        strategy=ideal.strategy,
        complete=ideal.complete,
        up_to_degree=ideal.up_to_degree,
        proof=ideal.proof,
        dimension_proved=dim.proved,
        timings=timings,
        verification=verification,
    )


def _run_strategy(arch: Architecture, space: AmbientSpace, dim: Dimension, strategy: str, max_degree: int | None,
                  m2: _Macaulay2, deadline: Deadline, seed: int, force: bool) -> _Ideal:
    if strategy == "auto":
        return _auto(arch, space, dim, max_degree, m2, deadline, seed, force)
    if strategy == "eliminate":
        return _eliminate(arch, space, m2, deadline.remaining())
    if strategy == "truncated":
        if arch.bias or not arch.activation.is_monomial:
            raise InvalidOption("strategy 'truncated' needs a homogeneous parametrization: a monomial activation and "
                                "no biases", "strategy")
        return _truncated(arch, space, dim, max_degree or DEFAULT_MAX_DEGREE, m2, deadline, seed)
    return _interpolate(arch, space, dim, max_degree or DEFAULT_MAX_DEGREE, m2, deadline, seed, force)


def _auto(arch: Architecture, space: AmbientSpace, dim: Dimension, max_degree: int | None, m2: _Macaulay2,
          deadline: Deadline, seed: int, force: bool) -> _Ideal:
    """Rank, then interpolation with certificates, then elimination (see the module docstring)."""
    if dim.fills:
        return _Ideal(equations=(), dim=dim.dim, degree=None, degree_method=None, complete=True, up_to_degree=None,
                      proof="fills V: the Jacobian has full rank dim V", strategy="rank")
    if arch.monomial_degree == 1:
        return _determinantal(arch, space, dim, force)
    hypersurface = dim.dim == space.dim - 1
    top = max_degree or (HYPERSURFACE_MAX_DEGREE if hypersurface else AUTO_MAX_DEGREE)
    try:
        found = _interpolate(arch, space, dim, top, m2, deadline, seed, force, auto=True)
    except TooExpensive as refused:
        progress.stage("implicit", "interpolation refused by the size guard; eliminating with Macaulay2")
        try:
            return _eliminate(arch, space, m2, deadline.remaining())
        except Macaulay2Timeout:
            if deadline.expired():
                raise
            raise refused from None
    if found.complete or max_degree is not None:
        return found
    progress.stage("implicit", f"no certificate up to degree {found.up_to_degree}; eliminating with Macaulay2")
    try:
        limit = None if deadline.seconds is not None else AUTO_ELIMINATION_SECONDS
        return _eliminate(arch, space, m2, deadline.remaining(limit))
    except Macaulay2Timeout:
        if deadline.expired():
            raise
        limit_text = f"{AUTO_ELIMINATION_SECONDS:g} s" if deadline.seconds is None else "the time budget"
        return _Ideal(equations=found.equations, dim=found.dim, degree=None, degree_method=None, complete=False,
                      up_to_degree=found.up_to_degree,
                      proof=found.proof + f"; elimination did not finish within {limit_text}", strategy=found.strategy,
                      timings=found.timings)


def _determinantal(arch: Architecture, space: AmbientSpace, dim: Dimension, force: bool) -> _Ideal:
    """A linear network's ideal: the minors of its matrix (:mod:`neurom2.variety.determinantal`)."""
    progress.stage("implicit", "linear network: the minors of its matrix")
    guard(determinantal.minors_estimate(arch), force)
    if determinantal.dimension(arch) != dim.dim:  # the theorem against the rank: a bug, never bad luck
        raise Neurom2Error(f"the Jacobian rank {dim.dim} differs from the dimension {determinantal.dimension(arch)} "
                           "of the determinantal variety; please report this")
    equations = tuple(normalized(f) for f in determinantal.minors(arch, space))
    return _Ideal(equations=equations, dim=dim.dim, degree=determinantal.degree(arch),
                  degree_method="degree of the determinantal variety (formula)",
                  complete=True, up_to_degree=None, proof=determinantal.proof(arch), strategy="determinantal")


def _eliminate(arch: Architecture, space: AmbientSpace, m2: _Macaulay2, timeout: float | None) -> _Ideal:
    progress.stage("implicit", "elimination in Macaulay2 (Gröbner basis of the graph ideal)")
    report = package.neuromanifold_ideal(m2(), arch, timeout=timeout)
    _check_coordinates(report.coordinates, space)
    equations = tuple(report.generators)
    method = "Hilbert polynomial of the ideal (Macaulay2)" if equations else None
    return _Ideal(equations=equations, dim=report.dim, degree=report.degree if equations else None, degree_method=method,
                  complete=True, up_to_degree=None,
                  proof="full Gröbner basis of the graph ideal (elimination)", strategy="eliminate", m2_dim=report.dim)


def _truncated(arch: Architecture, space: AmbientSpace, dim: Dimension, degree_limit: int, m2: _Macaulay2,
               deadline: Deadline, seed: int) -> _Ideal:
    progress.stage("implicit", f"truncated Gröbner basis in Macaulay2, degree ≤ {degree_limit}")
    report = package.neuromanifold_ideal(m2(), arch, degree_limit=degree_limit, fix_symmetries=False,
                                         timeout=deadline.remaining())
    _check_coordinates(report.coordinates, space)
    equations = tuple(report.generators)
    proof = f"Gröbner basis of the homogeneous graph ideal truncated at degree {degree_limit}"
    if equations:
        started = time.perf_counter()
        certificate = certify(equations, dim.dim, space.dim, m2(), deadline, seed)
        timings = {"certificate": time.perf_counter() - started}
        if certificate.proved:
            return _Ideal(equations=equations, dim=dim.dim, degree=certificate.degree,
                          degree_method="linear section certificate (proved)", complete=True, up_to_degree=None,
                          proof=f"{proof}; {certificate.text}", strategy="truncated", timings=timings)
        proof += f"; {certificate.text}"
        return _Ideal(equations=equations, dim=dim.dim, degree=None, degree_method=None, complete=False,
                      up_to_degree=degree_limit, proof=proof, strategy="truncated", timings=timings)
    return _Ideal(equations=equations, dim=dim.dim, degree=None, degree_method=None, complete=False, up_to_degree=degree_limit,
                  proof=proof, strategy="truncated")


def _interpolate(arch: Architecture, space: AmbientSpace, dim: Dimension, max_degree: int, m2: _Macaulay2,
                 deadline: Deadline, seed: int, force: bool, auto: bool = False) -> _Ideal:
    """Interpolate degree by degree up to ``max_degree``; stop at the first complete answer.  With ``auto``, also stop
    before a degree the size guard refuses, and after a degree that adds no generator to equations whose
    certificate failed (module docstring)."""
    hypersurface = dim.dim == space.dim - 1
    sampler = Sampler(arch, seed)
    chart = ChartImage(arch)
    pieces: list[DegreePiece] = []
    timings = {"certificate": 0.0}
    certificate: Certificate | None = None
    equations: Sequence[Terms] = []
    stopped = ""
    for degree in range(1, max_degree + 1):
        deadline.check()
        try:
            guard(interpolation_estimate(arch, [degree]), force)
        except TooExpensive:
            if not (auto and pieces):
                raise
            break
        progress.stage("implicit", f"interpolating the equations of degree {degree} "
                       f"({comb(space.dim + degree - 1, degree)} candidate monomials)")
        piece = equations_of_degree(arch, degree, seed=seed, sampler=sampler)
        pieces.append(piece)
        if not piece.basis:
            continue
        _prove_vanishing(chart, piece.basis)
        generated = len(equations)
        equations = minimal_generators(space, pieces)
        if hypersurface:
            return _hypersurface(piece, equations, dim)
        if len(equations) == generated:
            if auto and certificate is not None:  # the certificate failed for J and this degree adds nothing
                stopped = f"; degree {degree} adds no generator, so interpolation stopped there"
                break
            continue  # no new generator: the same ideal J, whose certificate was already tried
        progress.stage("implicit", f"linear section certificate for {len(equations)} equations of degree ≤ {degree}")
        started = time.perf_counter()
        certificate = certify(equations, dim.dim, space.dim, m2(), deadline, seed)
        timings["certificate"] += time.perf_counter() - started
        if certificate.proved:
            return _Ideal(equations=tuple(equations), dim=dim.dim, degree=certificate.degree,
                          degree_method="linear section certificate (proved)", complete=True,
                          up_to_degree=None, proof=f"all equations up to degree {degree} (interpolation); {certificate.text}",
                          strategy="interpolate", timings=timings)
    reached = pieces[-1].degree if pieces else 0
    proof = (f"interpolation modulo primes, degrees 1..{reached}: the kernels bound each degree's equations "
             "from above; the lifted equations are proved to vanish on M (exactly, over QQ)")
    if certificate is not None:
        proof += f"; {certificate.text}{stopped}"
    return _Ideal(equations=tuple(equations), dim=dim.dim, degree=None, degree_method=None, complete=False, up_to_degree=reached,
                  proof=proof, strategy="interpolate", timings=timings)


def _hypersurface(piece: DegreePiece, equations: Sequence[Terms], dim: Dimension) -> _Ideal:
    if piece.kernel_dim != 1:
        raise InterpolationFailed(  # impossible for a prime principal ideal: unlucky primes
            f"{piece.kernel_dim} equations of degree {piece.degree} on a hypersurface; please report this")
    proof = (f"hypersurface: no equation of degree < {piece.degree} (trivial kernels modulo primes), a unique one of "
             f"degree {piece.degree}, proved to vanish on M exactly; I(M) is principal and prime")
    return _Ideal(equations=tuple(equations), dim=dim.dim, degree=piece.degree,
                  degree_method="degree of the generating equation", complete=True, up_to_degree=None, proof=proof,
                  strategy="interpolate")


def _prove_vanishing(chart: ChartImage, polynomials: Sequence[Terms]) -> None:
    """Each lifted polynomial must vanish on M exactly; otherwise the lift was wrong (an unlucky prime)."""
    failed = [f for f, zero in zip(polynomials, chart.vanishes(polynomials)) if not zero]
    if failed:
        raise InterpolationFailed(f"{len(failed)} lifted equations do not vanish on M exactly; please report this")


def _witness_degree(arch: Architecture, dim: int, m2: _Macaulay2, deadline: Deadline, seed: int) -> tuple[int | None, str]:
    """deg M by counting the points of a random linear slice over ZZ/p (see ``neuromanifoldDegree``)."""
    method = "points of a random linear slice over ZZ/p divided by the generic fiber degree (probabilistic)"
    progress.stage("implicit", "degree by a linear slice modulo p (probabilistic)")
    try:
        return package.neuromanifold_degree(m2(), arch, dim, seed, timeout=deadline.remaining(DEGREE_SECONDS)), method
    except Macaulay2Timeout:
        if deadline.expired():
            raise
        return None, f"not computed: {method} took more than {DEGREE_SECONDS:g} s"


def coordinate_symbols(space: AmbientSpace) -> tuple[sympy.Symbol, ...]:
    """The coordinates of V as sympy symbols, in order."""
    return tuple(sympy.Symbol(c.name) for c in space.coordinates)


def _check_coordinates(coordinates: list, space: AmbientSpace) -> None:
    expected = [[c.output, *c.exponents] for c in space.coordinates]
    if coordinates != expected:
        raise Macaulay2OutputError(
            "Macaulay2's package uses different coordinates than neurom2's Python side "
            f"(first differences: {coordinates[:3]} vs {expected[:3]}): are the two from the same version?"
        )

