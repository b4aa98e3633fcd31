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
    that degree.  Needs a homogeneous parametrization (monomial σ, no biases).
``interpolate``
    :mod:`neurom2.geometry.interpolation`, degree by degree, modulo primes, lifted to QQ; each lifted equation is
    checked symbolically in Macaulay2 (F(c(θ)) = 0 on the chart).  Proves: all equations up to
    ``max_degree``; and the complete ideal when M is a hypersurface: the first equation found is then
    the generator (I(M) is principal and prime, and no equation of lower degree exists).
``auto``
    The dimension first (:mod:`neurom2.geometry.dimension`): a neuromanifold that fills V has the zero ideal,
    proved by the rank.  A hypersurface is interpolated.  Otherwise ``eliminate``; if Macaulay2 runs
    past ``timeout``, ``interpolate`` up to ``max_degree`` instead.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import sympy

from neurom2 import progress
from neurom2.model.architecture import Architecture
from neurom2.geometry.dimension import Dimension, dimension
from neurom2.deadline import Deadline
from neurom2.errors import InvalidOption, Macaulay2OutputError, Macaulay2Timeout, VerificationError
from neurom2.geometry.interpolation import DegreePiece, equations_of_degree
from neurom2.m2 import package
from neurom2.m2.parse import polynomial_from_terms
from neurom2.m2.session import Macaulay2Session, default_session
from neurom2.geometry.neurovariety import Neurovariety
from neurom2.model.parametrization import Parametrization
from neurom2.model.space import AmbientSpace
from neurom2.tasks import STRATEGIES
from neurom2.geometry.verification import verify as verify_result

DEFAULT_MAX_DEGREE = 4
HYPERSURFACE_MAX_DEGREE = 12
AUTO_ELIMINATION_SECONDS = 60.0
"""Without a user timeout, ``auto`` gives elimination this long before it interpolates instead."""
DEGREE_SECONDS = 20.0
"""The slice count for the degree of an incomplete ideal gets at most this long (then: not computed)."""


@dataclass(frozen=True)
class _Ideal:
    """What one strategy found, before verification."""

    equations: tuple[sympy.Poly, ...]
    dim: int
    degree: int | None
    degree_method: str | None
    complete: bool
    up_to_degree: int | None
    proof: str
    strategy: str


def implicitize(
    architecture: Architecture,
    *,
    strategy: str = "auto",
    max_degree: int | None = None,
    session: Macaulay2Session | None = None,
    timeout: Deadline | float | None = None,
    verify: bool = True,
    seed: int = 0,
    force: bool = False,
) -> Neurovariety:
    """Compute the ideal, dimension and degree of the neurovariety of ``architecture``.

    ``strategy`` is one of :data:`STRATEGIES` (see the module docstring); ``max_degree`` bounds the
    degree of the equations for ``truncated`` and ``interpolate``; ``timeout`` is the time budget of the
    whole computation in seconds (:mod:`neurom2.deadline`); ``verify`` runs the independent checks of
    :mod:`neurom2.geometry.verification`; ``force`` runs computations that a size guard would refuse.
    """
    if strategy not in STRATEGIES:
        raise InvalidOption(f"unknown strategy {strategy!r}; choose one of {', '.join(STRATEGIES)}", "strategy")
    if max_degree is not None and max_degree < 1:
        raise InvalidOption(f"max_degree must be at least 1, got {max_degree}", "max_degree")
    deadline = Deadline.coerce(timeout)
    with deadline.enforced():
        return _implicitize(architecture, strategy, max_degree, package.ready(session or default_session()), deadline,
                            verify, seed, force)


def _implicitize(architecture: Architecture, strategy: str, max_degree: int | None, session: Macaulay2Session,
                 deadline: Deadline, verify: bool, seed: int, force: bool) -> Neurovariety:
    space = AmbientSpace.of(architecture)
    timings: dict[str, float] = {}
    started = time.perf_counter()
    progress.stage("dimension", "exact Jacobian ranks modulo primes")
    dim = dimension(architecture, seed=seed, timeout=deadline, force=force)
    timings["dimension"] = time.perf_counter() - started

    started = time.perf_counter()
    ideal = _run_strategy(architecture, space, dim, strategy, max_degree, session, deadline, seed)
    timings[ideal.strategy] = time.perf_counter() - started

    degree, degree_method = ideal.degree, ideal.degree_method
    if not ideal.complete and ideal.dim < space.dim:
        started = time.perf_counter()
        progress.stage("degree", "points of a random linear slice over ZZ/p (Macaulay2)")
        degree, degree_method = _witness_degree(architecture, ideal.dim, session, deadline, seed)
        timings["degree"] = time.perf_counter() - started

    verification = None
    if verify:
        deadline.check()
        started = time.perf_counter()
        progress.stage("verification", "the equations at random rational networks; Jacobian rank")
        verification = verify_result(ideal.equations, ideal.dim, Parametrization(architecture), seed=seed)
        timings["verification"] = time.perf_counter() - started
    elif ideal.dim != dim.dim:
        raise VerificationError(f"Macaulay2 reports dimension {ideal.dim}, the Jacobian rank is {dim.dim}")
    return Neurovariety(
        architecture=architecture,
        space=space,
        dim=ideal.dim,
        degree=degree,
        degree_method=degree_method,
        equations=ideal.equations,
        m2_version=session.version,
        strategy=ideal.strategy,
        complete=ideal.complete,
        up_to_degree=ideal.up_to_degree,
        proof=ideal.proof,
        dimension_proved=dim.proved,
        timings=timings,
        verification=verification,
    )


def _run_strategy(
    arch: Architecture,
    space: AmbientSpace,
    dim: Dimension,
    strategy: str,
    max_degree: int | None,
    session: Macaulay2Session,
    deadline: Deadline,
    seed: int,
) -> _Ideal:
    if strategy == "auto":
        if dim.fills:
            return _Ideal((), dim.dim, None, None, True, None, "fills V: the Jacobian has full rank dim V", "rank")
        if dim.dim == space.dim - 1:
            return _interpolate(arch, space, dim, max_degree or HYPERSURFACE_MAX_DEGREE, session, deadline, seed)
        try:
            limit = None if deadline.seconds is not None else AUTO_ELIMINATION_SECONDS
            return _eliminate(arch, space, session, deadline.remaining(limit), None, dim.dim)
        except Macaulay2Timeout:
            if deadline.expired():
                raise
            return _interpolate(arch, space, dim, max_degree or DEFAULT_MAX_DEGREE, session, deadline, seed)
    if strategy == "eliminate":
        return _eliminate(arch, space, session, deadline.remaining(), None, dim.dim)
    if strategy == "truncated":
        if arch.bias or not arch.activation.is_monomial:
            raise InvalidOption("strategy 'truncated' needs a homogeneous parametrization: a monomial activation and "
                                "no biases", "strategy")
        return _eliminate(arch, space, session, deadline.remaining(), max_degree or DEFAULT_MAX_DEGREE, dim.dim)
    return _interpolate(arch, space, dim, max_degree or DEFAULT_MAX_DEGREE, session, deadline, seed)


def _eliminate(
    arch: Architecture, space: AmbientSpace, session: Macaulay2Session, timeout: float | None, degree_limit: int | None, jacobian_dim: int
) -> _Ideal:
    progress.stage("ideal", "Gröbner basis of the graph ideal in Macaulay2" + (f" up to degree {degree_limit}" if degree_limit else ""))
    report = package.neuromanifold_ideal(session, arch, degree_limit=degree_limit, fix_symmetries=degree_limit is None,
                                         timeout=timeout)
    _check_coordinates(report.coordinates, space)
    symbols = coordinate_symbols(space)
    equations = tuple(polynomial_from_terms(terms, symbols) for terms in report.generators)
    if degree_limit is None:
        method = "Hilbert polynomial of the ideal (Macaulay2)" if equations else None
        return _Ideal(equations, report.dim, report.degree, method, True, None, "full Gröbner basis of the graph ideal (elimination)", "eliminate")
    proof = f"Gröbner basis of the homogeneous graph ideal truncated at degree {degree_limit}"
    return _Ideal(equations, jacobian_dim, None, None, False, degree_limit, proof, "truncated")


def _interpolate(
    arch: Architecture,
    space: AmbientSpace,
    dim: Dimension,
    max_degree: int,
    session: Macaulay2Session,
    deadline: Deadline,
    seed: int,
) -> _Ideal:
    progress.stage("ideal", f"interpolation modulo primes, degree by degree up to {max_degree}")
    hypersurface = dim.dim == space.dim - 1
    pieces: list[DegreePiece] = []
    for degree in range(1, max_degree + 1):
        deadline.check()
        pieces.append(equations_of_degree(arch, degree, seed=seed))
        if hypersurface and pieces[-1].basis:
            break
    candidates = [poly for piece in pieces for poly in piece.basis]
    report = package.equations_report(session, arch, candidates, space.dim, timeout=deadline.remaining())
    ideal_dim, ideal_degree = report.dim, report.degree
    symbols = coordinate_symbols(space)
    equations = tuple(polynomial_from_terms(terms, symbols) for terms in report.generators)
    if not all(report.vanish):
        bad = [str(eq.as_expr()) for eq, ok in zip(equations, report.vanish) if not ok]
        raise VerificationError(f"interpolated equations that do not vanish on the neuromanifold: {bad[:3]}")
    found = pieces[-1]
    if hypersurface and found.basis and found.kernel_dim == 1:
        proof = (
            f"hypersurface: no equation of degree < {found.degree} (trivial kernels modulo primes), a unique one of "
            f"degree {found.degree}, verified to vanish on M symbolically; I(M) is principal and prime"
        )
        return _Ideal(equations, ideal_dim, ideal_degree, "degree of the generating equation", True, None, proof, "interpolate")
    proof = (
        f"interpolation modulo primes, degrees 1..{found.degree}: the kernels bound each degree's equations "
        "from above; the lifted equations vanish on M (verified symbolically)"
    )
    return _Ideal(equations, dim.dim, None, None, False, found.degree, proof, "interpolate")


def _witness_degree(arch: Architecture, dim: int, session: Macaulay2Session, deadline: Deadline, seed: int) -> tuple[int | None, str]:
    """deg M by counting the points of a random linear slice over ZZ/p (see ``neuromanifoldDegree``)."""
    method = "points of a random linear slice over ZZ/p divided by the generic fiber degree (probabilistic)"
    try:
        return package.neuromanifold_degree(session, arch, dim, seed, timeout=deadline.remaining(DEGREE_SECONDS)), method
    except Macaulay2Timeout:
        if deadline.expired():
            raise
        return None, f"not computed: {method} took more than {DEGREE_SECONDS:g} s"


def coordinate_symbols(space: AmbientSpace) -> tuple[sympy.Symbol, ...]:
    return tuple(sympy.Symbol(c.name) for c in space.coordinates)


def _check_coordinates(coordinates: list, space: AmbientSpace) -> None:
    expected = [[c.output, *c.exponents] for c in space.coordinates]
    if coordinates != expected:
        raise Macaulay2OutputError(
            "Macaulay2's package uses different coordinates than neurom2's Python side "
            f"(first differences: {coordinates[:3]} vs {expected[:3]}): are the two from the same version?"
        )
