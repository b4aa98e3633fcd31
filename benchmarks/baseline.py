"""The baseline: plain ``eliminate`` over QQ on the graph ideal of the expanded parametrization.

For widths and σ, the package's ``neuralNetwork`` gives the parametrization φ: QQ[c] → QQ[w] (no
symmetry chart, all weights free).  The graph ideal (c_j − φ(c_j)) lives in QQ[w, c] with M2's default
order; only ``eliminate(w, graph ideal)`` is timed, inside Macaulay2 (``elapsedTiming`` and
``cpuTime``), so start-up, package loading and building the ideal are excluded.  The result is mapped
to QQ[c] and trimmed, then described by its minimal generators, dimension and degree.

Each case runs in a freshly started session, so its peak memory and its time are its own.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

import sympy

from neurom2 import Architecture
from neurom2.errors import Macaulay2Timeout
from neurom2.exact.terms import terms_from_polynomial
from neurom2.m2 import codegen, package
from neurom2.m2.parse import parse_value
from neurom2.m2.session import Macaulay2Session

RING = "benchS"
"""Name of the baseline's coordinate ring in its session; neurom2's equations are compared there."""


@dataclass(frozen=True)
class BaselineResult:
    finished: bool
    seconds: float | None
    """Wall-clock seconds of ``eliminate`` inside M2 (None when it did not finish)."""
    cpu_seconds: float | None
    generator_degrees: tuple[int, ...] = ()
    dim: int | None = None
    degree: int | None = None
    peak_rss_kib: int | None = None
    """VmHWM of the M2 process, which was started for this case."""
    restarted: bool = False
    """After a timeout: whether the session had to be killed (the interrupt was ignored)."""


def peak_rss_kib(pid: int | str) -> int | None:
    """VmHWM (peak resident set size, KiB) of a process, from /proc; None if unreadable."""
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def cpu_seconds_of(pid: int | str | None) -> float:
    """User plus system CPU seconds a process has used so far, from /proc (10 ms ticks); 0 if unreadable."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def reset_peak_rss(pid: int | str) -> bool:
    """Reset a process's VmHWM to its current RSS (Linux ≥ 4.0: write 5 to clear_refs)."""
    try:
        with open(f"/proc/{pid}/clear_refs", "w") as refs:
            refs.write("5")
        return True
    except OSError:
        return False


def m2_pid(session: Macaulay2Session) -> int | None:
    child = session._child  # private, but this is a benchmark: the pid of the M2 process
    return child.pid if child is not None else None


def run_baseline(session: Macaulay2Session, arch: Architecture, timeout: float, repeats_below: float = 0.0,
                 repeats: int = 1) -> BaselineResult:
    """Time ``eliminate`` for ``arch`` in ``session`` (restarted first, so the case runs alone); when it takes
    less than ``repeats_below`` seconds, ``repeats`` times in all (on fresh copies of the graph ideal, so that
    no Gröbner basis is reused), reporting the median."""
    session.restart()
    session.load_package(codegen.package_file())
    build = (
        f"benchN = {package.network(arch)}; benchR = benchN#WeightRing; {RING} = benchN#CoordinateRing; "
        "benchn = numgens benchR; benchT = QQ[gens benchR | gens " + RING + "]; "
        "benchToT = map(benchT, benchR, take(gens benchT, benchn)); "
        f"benchJ = ideal apply(numgens {RING}, j -> benchT_(benchn + j) - benchToT((benchN#Parametrization) {RING}_j)); "
        "benchW = take(gens benchT, benchn);"
    )
    session.run(build)
    pid = m2_pid(session)
    reset_peak_rss(pid)
    timed = (
        "benchC0 = cpuTime(); benchE = elapsedTiming eliminate(benchW, benchJ); benchC1 = cpuTime(); "
        "print toString {toString benchE#0, toString(benchC1 - benchC0)}"
    )
    try:
        output = session.run(timed, timeout=timeout)
    except Macaulay2Timeout as timeout_error:
        peak = peak_rss_kib(pid) if not timeout_error.restarted else None
        return BaselineResult(False, None, None, peak_rss_kib=peak, restarted=timeout_error.restarted)
    peak = peak_rss_kib(pid)
    wall, cpu = (float(x) for x in output.strip().strip("{}").split(","))
    if wall < repeats_below and repeats > 1 and 2 * wall * (repeats - 1) < timeout:
        again = (
            f"print concatenate between(\";\", apply({repeats - 1}, i -> (benchC0 = cpuTime(); "
            "benchT1 = (elapsedTiming eliminate(benchW, ideal flatten entries gens benchJ))#0; "
            "toString benchT1 | \",\" | toString(cpuTime() - benchC0))))"
        )
        pairs = [item.split(",") for item in session.run(again, timeout=timeout).strip().split(";")]
        runs = [(wall, cpu)] + [(float(a), float(b)) for a, b in pairs]
        runs.sort()
        wall, cpu = runs[len(runs) // 2]
    describe = (
        f"benchI = trim (map({RING}, benchT, toList(benchn : 0_{RING}) | gens {RING})) benchE#1; "
        "benchG = flatten entries mingens benchI; "
        "print toString {apply(benchG, g -> first degree g), dim benchI, if benchI == 0 then 0 else degree benchI}"
    )
    degrees, dim, degree = parse_value(session.run(describe))
    return BaselineResult(True, wall, cpu, tuple(sorted(degrees)), dim, degree or None, peak)


def same_ideal(session: Macaulay2Session, equations: Sequence[sympy.Poly]) -> bool:
    """Whether neurom2's ``equations`` generate the baseline's ideal ``benchI`` (decided by M2's Gröbner bases).

    The equations are sent as exponent vectors and rational coefficients in the baseline's coordinate
    ring, whose variables are in neurom2's coordinate order.
    """
    rendered = ", ".join(_render(terms_from_polynomial(poly)) for poly in equations)
    code = f"print(if ideal({{{rendered}}} | {{0_{RING}}}) == benchI then 1 else 0)"
    return session.run(code).strip() == "1"


def _render(terms: dict[tuple[int, ...], Fraction]) -> str:
    """A polynomial in the baseline's ring, from numbers only."""
    return " + ".join(f"({codegen.rational(c)}) * {RING}_{codegen.integer_list(e)}" for e, c in terms.items()) or f"0_{RING}"
