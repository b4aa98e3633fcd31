"""Fiber counts and singular loci: neurom2 against the plain Macaulay2 formulation of the issue.

    python benchmarks/geometry.py [--timeout 120] [--out benchmarks/results]

**Fiber counts.**  *Plain* (a fresh Macaulay2 session per case, timed inside Macaulay2 with ``elapsedTiming``):
the fiber ideal J = (μ(θ) − μ(θ0)) over QQ in all weights, without a chart and without saturation, at random
nonzero integer weights θ0; ``decompose J``, and the number of its components of dimension dim G (the closures
of the torus orbits; with a finite G, the points).  That number equals the points of the chart when every point
of the fiber is defined over QQ, as in these cases: a generic fiber that is one G-orbit (θ0's reorderings and
sign changes) — the benchmark stops with an error if the two answers differ.  *neurom2* (a warm session, timed in
Python, everything included): :func:`neurom2.properties.fibers.fibers`: the proved fiber dimension, then the
chart's points modulo two primes (F4 Gröbner bases, one Macaulay2 call).

**Singular loci.**  The cases and both formulations of ``benchmarks/singular.py`` (``eliminate``, then
``singularLocus`` and ``decompose`` on the eliminated ideal, against
:func:`neurom2.properties.singular.singular_locus`); the components must be the same ideals.

The table gives the ratio plain / neurom2 per case, measured in the same run, and the geometric mean over the
cases where the plain formulation finishes.  Results: ``OUT/geometry.json``.
"""

from __future__ import annotations

import argparse
import datetime
import json
import math
import platform
import random
import sys
import time
from pathlib import Path
from typing import Any

from neurom2 import Architecture
from neurom2.errors import Macaulay2Timeout
from neurom2.m2 import codegen, package
from neurom2.m2.parse import parse_value
from neurom2.m2.session import Macaulay2Session
from neurom2.properties.fibers import fibers

sys.path.insert(0, str(Path(__file__).resolve().parent))
import singular  # noqa: E402  (benchmarks/singular.py: its cases and formulations)

REPO = Path(__file__).resolve().parents[1]
FIBER_CASES: list[tuple[str, str]] = [
    ("2,2,1", "x^3"), ("2,3,1", "x^5"), ("2,4,1", "x^7"), ("2,2,2", "x^3"), ("2,2,1", "x^3 + x"), ("3,2,1", "x^4"),
    ("3,3,1", "x^3"), ("2,2,2,1", "x^3"), ("3,4,1", "x^4"),
]
"""Architectures whose generic fiber is one G-orbit (so every point of it is rational at rational θ0)."""


def plain_fibers(session: Macaulay2Session, arch: Architecture, components_dim: int, timeout: float) -> dict[str, Any]:
    """``decompose`` of the fiber ideal in all weights over QQ; its components of dimension ``components_dim``."""
    session.restart()
    session.load_package(codegen.package_file())
    rng = random.Random(0)
    theta0 = [rng.choice([-1, 1]) * rng.randint(1, 30) for _ in range(arch.n_params)]
    code = (f"(plainN = {package.network(arch)}; plainR = plainN#WeightRing; "
            f"plainA = map(QQ, plainR, {codegen.rational_list(theta0)}); "
            "plainJ = ideal apply(flatten entries matrix plainN#Parametrization, f -> f - plainA f); "
            f"plainE = elapsedTiming #select(decompose plainJ, P -> dim P == {components_dim}); "
            "print toString {floor(1000000 * plainE#0), plainE#1})")
    try:
        microseconds, count = parse_value(session.run(code, timeout=timeout))
    except Macaulay2Timeout:
        return {"finished": False, "seconds": None, "count": None}
    return {"finished": True, "seconds": microseconds / 1e6, "count": count}


def fiber_case(session: Macaulay2Session, baseline: Macaulay2Session, widths: str, activation: str,
               timeout: float) -> dict[str, Any]:
    arch = Architecture.create(widths, activation)
    started = time.perf_counter()
    mine = fibers(arch, session=package.ready(session), force=True, timeout=timeout)
    seconds = time.perf_counter() - started
    base = plain_fibers(baseline, arch, mine.fiber_dim, timeout)
    same = None if base["count"] is None else base["count"] == mine.solutions
    if same is False:
        raise SystemExit(f"{arch}: plain counts {base['count']} components, neurom2 {mine.solutions} points")
    ratio = base["seconds"] / seconds if base["finished"] else None
    return {"kind": "fibers", "widths": widths, "activation": activation, "neurom2_seconds": round(seconds, 4),
            "plain_seconds": base["seconds"], "ratio": round(ratio, 2) if ratio else None, "same": same,
            "answer": f"{mine.solutions} points, {mine.orbits} orbit(s) ({mine.method.split(' ')[0]})"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--timeout", type=float, default=120.0)
    parser.add_argument("--out", type=Path, default=REPO / "benchmarks" / "results")
    args = parser.parse_args()
    session, baseline = Macaulay2Session(), Macaulay2Session()
    fibers(Architecture.create("2,2,1", "x^3"), session=package.ready(session))  # warm: the package loaded
    rows = []
    print(f"{'kind':<9} {'case':<18} {'neurom2 s':>10} {'plain s':>10} {'ratio':>9}  same   answer")
    for kind, cases in (("fibers", FIBER_CASES), ("singular", singular.CASES)):
        for widths, activation in cases:
            if kind == "fibers":
                row = fiber_case(session, baseline, widths, activation, args.timeout)
            else:
                row = {"kind": "singular", **singular.case(session, widths, activation, args.timeout)}
                row["answer"] = ", ".join(f"dim {c['dim']} deg {c['degree']}" for c in row["components"])
            rows.append(row)
            plain_text = f"{row['plain_seconds']:.3f}" if row["plain_seconds"] is not None else f">{args.timeout:g}"
            ratio_text = f"{row['ratio']:.2f}x" if row["ratio"] else "-"
            print(f"{kind:<9} ({widths}) {activation:<9} {row['neurom2_seconds']:>10.3f} {plain_text:>10} "
                  f"{ratio_text:>9}  {row['same']!s:<6} {row['answer']}", flush=True)
    ratios = [r["ratio"] for r in rows if r["ratio"]]
    geometric = math.exp(sum(math.log(r) for r in ratios) / len(ratios)) if ratios else None
    by_kind = {kind: [r["ratio"] for r in rows if r["ratio"] and r["kind"] == kind] for kind in ("fibers", "singular")}
    means = {kind: math.exp(sum(map(math.log, found)) / len(found)) if found else None for kind, found in by_kind.items()}
    if geometric:
        print(f"geometric mean ratio (plain / neurom2): {geometric:.2f}x over {len(ratios)} cases "
              f"(fibers {means['fibers'] or 0:.2f}x, singular loci {means['singular'] or 0:.2f}x)")
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "geometry.json").write_text(json.dumps({
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "machine": platform.platform(), "m2": session.version, "timeout": args.timeout,
        "geometric_mean_ratio": geometric, "geometric_mean_by_kind": means, "cases": rows,
    }, indent=2) + "\n")
    session.close()
    baseline.close()


if __name__ == "__main__":
    main()
