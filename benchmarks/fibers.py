"""Orbit counts in generic fibers: neurom2 against a plain Macaulay2 formulation.

    python benchmarks/fibers.py [--timeout 120] [--out benchmarks/results]

**Plain formulation** (fresh session per case, timed inside Macaulay2 with ``elapsedTiming``): the package's
``fiberIdeal`` over QQ in the same chart (first input weight of each hidden neuron 1) at the same kind of point,
no saturation, no prime field; its ``dim`` and ``degree`` (the number of solutions with multiplicity when it is
zero-dimensional).

**neurom2** (warm session, timed in Python): :func:`neurom2.properties.fibers.fibers` — the proved dimension,
then the count modulo two primes (Gröbner basis, distinct points from a minimal polynomial), or monodromy when
the Gröbner basis takes longer than 30 s.  When both finish the counts must agree.  Results:
``OUT/fibers.json``, and a table on stdout with the ratio plain / neurom2 per case.
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import time
from pathlib import Path
from typing import Any

from neurom2 import Architecture
from neurom2.errors import Macaulay2Timeout
from neurom2.m2 import codegen, package
from neurom2.m2.parse import parse_value
from neurom2.m2.session import Macaulay2Session
from neurom2.properties.fibers import fibers, slice_chart

REPO = Path(__file__).resolve().parents[1]
CASES: list[tuple[str, str, bool]] = [
    ("2,2,1", "x^3", False), ("2,3,1", "x^5", False), ("2,4,1", "x^7", False), ("2,2,2", "x^3", False),
    ("2,2,1", "x^3", True), ("2,2,1", "x^3 + x", False), ("2,2,2,1", "x^3", False), ("2,2,2,2", "x^2", False),
    ("3,4,1", "x^4", False), ("4,5,1", "x^3", False),
]


def plain(session: Macaulay2Session, arch: Architecture, timeout: float) -> dict[str, Any]:
    """The chart's fiber ideal over QQ at random integer weights, its dim and degree (module docstring)."""
    session.restart()
    session.load_package(codegen.package_file())
    rng = random.Random(0)
    chart = slice_chart(arch)
    theta0 = [v if v is not None else rng.choice([-1, 1]) * rng.randint(1, 30) for v in chart]
    network = package.network(arch)
    code = (f"(plainN = {network}; plainT = apply({codegen.rational_list(theta0)}, a -> a); "
            "plainC = map(QQ, plainN#WeightRing, plainT); "
            "plainP = apply(flatten entries matrix plainN#Parametrization, f -> plainC f); "
            f"plainE = elapsedTiming (plainJ = fiberIdeal(plainN, plainP, {package._chart_literal(chart)}); "
            "{dim plainJ, degree plainJ}); print toString {floor(1000000 * plainE#0), plainE#1})")
    try:
        microseconds, (dim, degree) = parse_value(session.run(code, timeout=timeout))
    except Macaulay2Timeout:
        return {"finished": False, "seconds": None, "count": None}
    return {"finished": True, "seconds": microseconds / 1e6, "dim": dim, "count": degree if dim == 0 else None}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--timeout", type=float, default=120.0)
    parser.add_argument("--out", type=Path, default=REPO / "benchmarks" / "results")
    args = parser.parse_args()
    session, baseline = Macaulay2Session(), Macaulay2Session()
    rows = []
    print(f"{'case':<28} {'plain s':>9} {'neurom2 s':>10} {'count':>6} {'plain':>6} {'orbits':>6}  ratio  method")
    for widths, activation, bias in CASES:
        arch = Architecture.create(widths, activation, bias)
        started = time.perf_counter()
        result = fibers(arch, session=package.ready(session), force=True)
        seconds = time.perf_counter() - started
        base = plain(baseline, arch, args.timeout)
        ratio = base["seconds"] / seconds if base["finished"] else None
        if base["count"] is not None and base["count"] != result.solutions:
            raise SystemExit(f"{arch}: plain degree {base['count']} differs from neurom2's count {result.solutions}")
        row = {"widths": widths, "activation": activation, "bias": bias, "seconds": seconds, "plain": base,
               "solutions": result.solutions, "orbits": result.orbits, "method": result.method.split(" ")[0],
               "ratio": ratio}
        rows.append(row)
        name = f"({widths}) {activation}{' bias' if bias else ''}"
        shown = "—" if ratio is None else f"{ratio:.3g}x"
        plain_s = f"{base['seconds']:.3g}" if base["finished"] else f">{args.timeout:g}"
        print(f"{name:<28} {plain_s:>9} {seconds:>10.3g} {result.solutions!s:>6} {base['count']!s:>6} "
              f"{result.orbits!s:>6}  {shown:>6} {row['method']}", flush=True)
    args.out.mkdir(parents=True, exist_ok=True)
    facts = {"date": time.strftime("%Y-%m-%d"), "machine": platform.machine(), "python": platform.python_version(),
             "m2": session.version, "timeout": args.timeout}
    (args.out / "fibers.json").write_text(json.dumps({"facts": facts, "cases": rows}, indent=2) + "\n")


if __name__ == "__main__":
    main()
