"""Singular loci: neurom2 against a plain Macaulay2 formulation.

    python benchmarks/singular.py [--timeout 120] [--out benchmarks/results]

**Plain formulation** (a fresh Macaulay2 session per case, timed inside M2 with ``elapsedTiming``): the package's
``neuralNetwork`` gives the expanded parametrization (all weights free, no symmetry chart); the ideal I of X is
``eliminate`` of the weights from the graph ideal (default order over QQ), then ``singularLocus(S/I)`` and
``decompose`` of its ideal.

**neurom2** (warm session, timed in Python): :func:`neurom2.properties.singular.singular_locus` without sparsity
candidates — ``implicitize`` (auto: determinantal, interpolation with certificates, or elimination on the chart)
and the Jacobian criterion with ``minimalPrimes`` (``singularLocusReport``; for linear networks the determinantal
theorem).  The matching of each component with the narrower networks, work the plain formulation does not do, is
timed separately (column ``matching s``) and not in the ratio.

When both finish, the components must be the same ideals (each neurom2 component equal to one plain component,
compared in Macaulay2, and as many of them).  The table gives the ratio plain / neurom2 per case, measured in the
same run.  Results: ``OUT/singular.json``.
"""

from __future__ import annotations

import argparse
import datetime
import json
import math
import platform
from pathlib import Path
from typing import Any

from neurom2 import Architecture
from neurom2.errors import Macaulay2Timeout
from neurom2.m2 import codegen, package
from neurom2.m2.parse import listform_terms, parse_value
from neurom2.m2.session import Macaulay2Session
from neurom2.model.space import AmbientSpace
from neurom2.properties.singular import singular_locus

REPO = Path(__file__).resolve().parents[1]
CASES: list[tuple[str, str]] = [("2,1,1", "x^3"), ("2,1,1", "x^4"), ("2,2,1", "x^4"), ("2,2,1", "x^5"), ("3,2,1", "x^2"),
                                ("3,1,2", "x"), ("3,1,3", "x"), ("3,2,3", "x")]
"""Architectures whose neurovariety is not all of V (Sing X, not the critical values, is compared)."""


def plain(session: Macaulay2Session, arch: Architecture, timeout: float) -> dict[str, Any]:
    """eliminate, singularLocus, decompose in a fresh session; seconds inside Macaulay2 and the components."""
    session.restart()
    session.load_package(codegen.package_file())
    session.run(f"benchN = {package.network(arch)}; benchR = benchN#WeightRing; benchS = benchN#CoordinateRing; "
                "benchT = QQ[gens benchR | gens benchS]; "
                "benchG = ideal apply(numgens benchS, j -> benchT_(numgens benchR + j) - "
                "(map(benchT, benchR, take(gens benchT, numgens benchR))) ((benchN#Parametrization) benchS_j)); "
                "benchToS = map(benchS, benchT, toList(numgens benchR : 0_benchS) | gens benchS);")
    try:
        seconds = float(session.run(
            "benchE = elapsedTiming (benchI = trim benchToS eliminate(take(gens benchT, numgens benchR), benchG); "
            "benchC = decompose ideal singularLocus(benchS / benchI)); print toString benchE#0", timeout=timeout))
    except Macaulay2Timeout:
        return {"finished": False, "seconds": None, "components": None}
    components = parse_value(session.run(
        "print toString apply(benchC, P -> apply(flatten entries mingens P, listForm))"))
    nvars = AmbientSpace.of(arch).dim
    return {"finished": True, "seconds": seconds,
            "components": [[listform_terms(f, nvars) for f in P] for P in components]}


def case(session: Macaulay2Session, widths: str, activation: str, timeout: float) -> dict[str, Any]:
    arch = Architecture.create(widths, activation)
    mine = singular_locus(arch, session=session, sparsity=False, deadline=timeout)
    seconds = mine.timings["variety"] + mine.timings["locus"]  # the plain formulation does no matching
    baseline = plain(session, arch, timeout)
    same = None
    if baseline["finished"]:
        package.ready(session)
        found = [list(c.generators) for c in mine.components]
        same = len(found) == len(baseline["components"]) and all(
            any(package.same_ideal(session, arch, f, p) for p in baseline["components"]) for f in found)
    ratio = baseline["seconds"] / seconds if baseline["finished"] else None
    return {"widths": widths, "activation": activation, "neurom2_seconds": round(seconds, 4),
            "matching_seconds": round(mine.timings["matching"], 4),
            "plain_seconds": baseline["seconds"], "ratio": round(ratio, 2) if ratio else None, "same": same,
            "components": [{"dim": c.dim, "degree": c.degree, "subnetwork": c.subnetwork} for c in mine.components]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--timeout", type=float, default=120.0)
    parser.add_argument("--out", type=Path, default=REPO / "benchmarks" / "results")
    args = parser.parse_args()
    session = Macaulay2Session()
    rows = []
    print(f"{'case':<18} {'neurom2 s':>10} {'plain s':>10} {'ratio':>8}  same  {'matching s':>10}  components")
    for widths, activation in CASES:
        row = case(session, widths, activation, args.timeout)
        rows.append(row)
        plain_text = f"{row['plain_seconds']:.3f}" if row["plain_seconds"] is not None else "timeout"
        ratio_text = f"{row['ratio']:.2f}x" if row["ratio"] else "-"
        parts = ", ".join(f"dim {c['dim']} deg {c['degree']} = {c['subnetwork'] or '?'}" for c in row["components"])
        print(f"({widths}) {activation:<6} {row['neurom2_seconds']:>10.3f} {plain_text:>10} {ratio_text:>8}  "
              f"{row['same']!s:<5} {row['matching_seconds']:>10.3f}  {parts}")
    ratios = [r["ratio"] for r in rows if r["ratio"]]
    geometric = math.exp(sum(math.log(r) for r in ratios) / len(ratios)) if ratios else None
    if geometric:
        print(f"geometric mean ratio (plain / neurom2): {geometric:.2f}x over {len(ratios)} cases")
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "singular.json").write_text(json.dumps({
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "machine": platform.platform(), "timeout": args.timeout, "geometric_mean_ratio": geometric, "cases": rows,
    }, indent=2) + "\n")
    session.close()


if __name__ == "__main__":
    main()
