"""Implicitization: from an architecture to the ideal of its neurovariety, through Macaulay2.

Macaulay2 builds the parametrization itself from the numbers describing the network (package
``Neurom2``, constructor ``neuralNetwork``), computes the kernel of the ring map
QQ[coordinates] → QQ[weights], its dimension, degree and minimal generators, and prints them in the
serialisation of :mod:`neurom2.m2.parse`.  Python checks that Macaulay2 used the same coordinates,
parses the equations into sympy, and (by default) verifies the result independently.
"""

from __future__ import annotations

import time

import sympy

from .architecture import Architecture
from .errors import Macaulay2OutputError
from .m2 import codegen
from .m2.parse import parse_value, polynomial_from_listform
from .m2.session import Macaulay2Session, default_session
from .neurovariety import Neurovariety
from .parametrization import Parametrization
from .space import AmbientSpace
from .verification import verify as verify_result


def implicitize(
    architecture: Architecture,
    *,
    session: Macaulay2Session | None = None,
    timeout: float | None = None,
    verify: bool = True,
    seed: int = 0,
) -> Neurovariety:
    """Compute the ideal, dimension and degree of the neurovariety of ``architecture``.

    ``timeout`` bounds the Macaulay2 computation in seconds (:class:`Macaulay2Timeout` beyond it);
    ``verify`` runs the checks of :mod:`neurom2.verification` and raises
    :class:`VerificationError` if one fails.
    """
    session = session or default_session()
    space = AmbientSpace.of(architecture)
    started = time.perf_counter()
    session.load_package(codegen.package_file())
    output = session.run(f"print neurom2Report {codegen.network(architecture)}", timeout=timeout)
    coordinates, dim, degree, equations = _read_report(output, space)
    timings = {"macaulay2": time.perf_counter() - started}
    verification = None
    if verify:
        started = time.perf_counter()
        verification = verify_result(equations, dim, Parametrization(architecture), seed=seed)
        timings["verification"] = time.perf_counter() - started
    return Neurovariety(
        architecture=architecture,
        space=space,
        dim=dim,
        degree=degree if equations else None,
        equations=equations,
        m2_version=session.version,
        timings=timings,
        verification=verification,
    )


def coordinate_symbols(space: AmbientSpace) -> tuple[sympy.Symbol, ...]:
    return tuple(sympy.Symbol(c.name) for c in space.coordinates)


def _read_report(output: str, space: AmbientSpace) -> tuple[list, int, int, tuple[sympy.Poly, ...]]:
    report = parse_value(output)
    if not (isinstance(report, list) and len(report) == 4 and isinstance(report[1], int) and isinstance(report[2], int)):
        raise Macaulay2OutputError(f"expected {{coordinates, dim, degree, generators}}, got {output[:200]!r}")
    coordinates, dim, degree, generators = report
    expected = [[c.output, *c.exponents] for c in space.coordinates]
    if coordinates != expected:
        raise Macaulay2OutputError(
            "Macaulay2's package uses different coordinates than neurom2's Python side "
            f"(first differences: {coordinates[:3]} vs {expected[:3]}): are the two from the same version?"
        )
    symbols = coordinate_symbols(space)
    equations = tuple(polynomial_from_listform(terms, symbols) for terms in generators)
    return coordinates, dim, degree, equations
