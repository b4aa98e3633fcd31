"""The learning degree: neurom2 against a plain Macaulay2 formulation, and the classical-ideal suite.

    python benchmarks/landscape.py [--quick | --suite-only] [--timeout 300] [--out benchmarks/results]

**Plain formulation** (one fresh Macaulay2 process per case, timed inside M2 with ``elapsedTiming``): the
package's ``neuralNetwork`` gives the expanded parametrization (all weights free, no symmetry chart); the
ideal I of the neurovariety is ``eliminate`` of the weights from the graph ideal; then the ED correspondence
with the data metric, I + (c+1)-minors of [Jacobian(I); (G(c − u))ᵀ], saturated by the c-minors of
Jacobian(I) (the singular locus), all over QQ; its degree is the learning degree.  No chart, no Lagrange
multipliers, no prime field.

**neurom2** (warm session, timed in Python): :func:`~neurom2.variety.implicitization.implicitize` (auto), then

* ``count``: the Lagrange ideal P + (G(c − u) − Σ l_i ∇g_i) modulo two primes below 2¹⁶ (F4), both in one
  Macaulay2 call (``criticalCounts``, as ``landscape`` checks its count) — the count is probabilistic (unlucky
  primes; None unless both ideals are zero-dimensional of the same degree); when X is every ternary form in two
  linear forms, the distance to the planes' forms as a function of the plane (:mod:`neurom2.training.subspace`);
  when X is σ₂ of the Veronese surface ((3,2,1) x^d), the secant chart by monodromy with a trace test (probable, both
  cores: :mod:`neurom2.training.secant`); for other (n,2,1) x^d with a Lagrange system of more than 30 variables,
  the tangent equations of the Waring parametrization (:mod:`neurom2.training.waring`); for any other Lagrange
  system of more than 22 variables, the gradient equations in a slice of weight space solved by monodromy
  (probable: :mod:`neurom2.training.slice_count`), as ``landscape --generic`` chooses;
* ``exact``: the same ideal over QQ and the rank of Hermite's trace form — the proved count.

Both see the same data: :meth:`Dataset.random` with 2N + 2 points (small integers, seed 0).  When both finish,
the counts must agree.  Goals: a geometric mean of at least 10× (plain / neurom2 count) over the cases the plain
formulation finishes, and the learning degree of every case of the classical-ideal suite of the implicit
benchmark (``IMPLICIT_CASES`` of ``benchmarks/run.py``) within 60 s.  Results: ``OUT/landscape.{json,md}``, written
after every case (marked partial until the run completes); a case whose Macaulay2 crashed is recorded as not
finished, with the error.
"""

from __future__ import annotations

import argparse
import ast
import datetime
import json
import math
import os
import platform
import subprocess
import time
from pathlib import Path
from typing import Any

from neurom2 import Architecture, implicitize
from neurom2.errors import Macaulay2Timeout, Neurom2Error, TimeLimitExceeded
from neurom2.exact.terms import terms_from_polynomial
from neurom2.m2 import codegen, package
from neurom2.m2.parse import parse_value
from neurom2.m2.session import Macaulay2Session
from neurom2.model.space import AmbientSpace
from neurom2.training import slice_count
from neurom2.training.critical import Metric, critical_set
from neurom2.training.dataset import Dataset
from neurom2.training.landscape import generic_count, generic_counts

REPO = Path(__file__).resolve().parents[1]
CASES: list[tuple[str, str]] = [
    ("2,1,1", "x^2"), ("2,1,1", "x^3"), ("2,1,1", "x^4"), ("3,1,1", "x^2"), ("2,2,1", "x^4"), ("3,2,1", "x^2"),
    ("2,2,1", "x^3"), ("2,1,2", "x"), ("2,1,3", "x"), ("3,1,2", "x"), ("3,2,3", "x"), ("3,1,3", "x"), ("4,2,4", "x"),
    ("2,2,2", "x^3"), ("2,2,2,1", "x^2"),
]
QUICK = [("2,1,1", "x^2"), ("2,1,2", "x"), ("3,2,3", "x"), ("2,2,1", "x^3"), ("2,2,1", "x^4"), ("2,1,3", "x"),
         ("3,1,3", "x"), ("2,2,2", "x^3")]
CROSS_CHECK = [("2,2,1", "x^4"), ("3,2,1", "x^3"), ("3,2,2", "x^2"), ("3,3,1", "x^3"), ("2,3,1", "x^8")]
"""Cases where both the slice count and the modular Lagrange count finish: they must agree (``--cross-check``)."""
CROSS_CHECK_SECONDS = 300.0
HOW = {"subspace": "distance to the planes' forms modulo two primes",
       "secant": "secant chart by monodromy, trace test (probable)",
       "waring": "Waring parametrization modulo two primes",
       "slice": "slice of weight space by monodromy (probable)", "lagrange": "degree modulo two primes"}
"""The suite table's name of each method of :func:`~neurom2.training.landscape.generic_count`."""
SPEEDUP_TARGET = 10.0
SUITE_SECONDS = 60.0


def implicit_suite() -> list[tuple[str, str]]:
    """``IMPLICIT_CASES`` of ``benchmarks/run.py``, read from its source (so the two lists cannot drift apart)."""
    tree = ast.parse((Path(__file__).parent / "run.py").read_text())
    for node in tree.body:
        if isinstance(node, ast.AnnAssign) and getattr(node.target, "id", None) == "IMPLICIT_CASES":
            return ast.literal_eval(node.value)  # type: ignore[arg-type]
    raise RuntimeError("IMPLICIT_CASES not found in benchmarks/run.py")


def data_for(arch: Architecture) -> tuple[Dataset, Metric]:
    space = AmbientSpace.of(arch)
    dataset = Dataset.random(arch, 2 * len(space.monomials) + 2, seed=0)
    return dataset, Metric.of(space, dataset)


def plain(session: Macaulay2Session, arch: Architecture, metric: Metric, timeout: float) -> dict[str, Any]:
    """The plain formulation in a fresh session (module docstring); seconds inside Macaulay2."""
    session.restart()
    session.load_package(codegen.package_file())
    gram = "matrix{" + ", ".join(codegen.rational_list(row) for row in metric.gram) + "}"
    center = "matrix{" + ", ".join("{" + codegen.rational(v) + "}" for v in metric.center) + "}"
    code = (
        f"(plainN = {package.network(arch)}; plainR = plainN#WeightRing; plainS = plainN#CoordinateRing; "
        "plainn = numgens plainR; plainT = QQ[gens plainR | gens plainS]; "
        "plainToT = map(plainT, plainR, take(gens plainT, plainn)); "
        "plainJ = ideal apply(numgens plainS, j -> plainT_(plainn + j) - plainToT((plainN#Parametrization) plainS_j)); "
        f"plainG = {gram}; plainU = {center}; "
        "plainE = elapsedTiming (plainI = trim (map(plainS, plainT, toList(plainn : 0_plainS) | gens plainS)) "
        "eliminate(take(gens plainT, plainn), plainJ); "
        "plainC = codim plainI; plainJac = transpose jacobian plainI; "
        "plainD = sub(plainG, plainS) * (transpose vars plainS - sub(plainU, plainS)); "
        "plainED = plainI + minors(plainC + 1, plainJac || transpose plainD); "
        "plainSat = saturate(plainED, minors(plainC, plainJac)); {dim plainSat, degree plainSat}); "
        "print toString {floor(1000000 * plainE#0), plainE#1})"
    )
    try:
        microseconds, (dim, degree) = parse_value(session.run(code, timeout=timeout))
    except Macaulay2Timeout:
        return {"finished": False, "seconds": None, "count": None}
    return {"finished": True, "seconds": microseconds / 1e6, "count": degree if dim == 0 else None, "dim": dim}


def neurom2_count(session: Macaulay2Session, arch: Architecture, metric: Metric, timeout: float,
                  exact: bool) -> dict[str, Any]:
    """implicitize, then the Lagrange ideal modulo two primes (``exact`` False) or over QQ (True)."""
    started = time.perf_counter()
    try:
        variety = implicitize(arch, session=session, timeout=timeout)
        if variety.fills:
            count, how = 1, "fills V: one critical point"
        else:
            generators = [terms_from_polynomial(e) for e in variety.equations]
            left = max(1.0, timeout - (time.perf_counter() - started))
            if exact:
                found = critical_set(session, generators, metric, timeout=left, describe_points=False)
                count, how = found.count, "Hermite rank over QQ"
            else:
                rows = [m.to_json() for m in generic_counts(session, arch, variety.dim, generators, metric.gram,
                                                            metric.center, timeout=left)]
                counts = {r["degree"] if r["dim"] == 0 else None for r in rows}
                count, how = (counts.pop() if len(counts) == 1 else None), HOW[generic_count(arch, variety.dim)]
    except TimeLimitExceeded:
        session.restart()
        return {"finished": False, "seconds": None, "count": None}
    except Neurom2Error as error:  # e.g. Macaulay2 crashed: recorded, the run goes on
        session.restart()
        return {"finished": False, "seconds": None, "count": None, "error": str(error)[:300]}
    return {"finished": True, "seconds": time.perf_counter() - started, "count": count, "how": how}


def geometric_mean(values: list[float]) -> float | None:
    return math.exp(sum(map(math.log, values)) / len(values)) if values else None


def seconds_text(value: float | None) -> str:
    return "—" if value is None else (f"{value:.3g} s" if value < 10 else f"{value:.1f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="8 small cases, shorter timeouts")
    parser.add_argument("--timeout", type=float, default=300.0, help="seconds per plain case (default 300)")
    parser.add_argument("--out", type=Path, default=REPO / "benchmarks" / "results")
    parser.add_argument("--cross-check", action="store_true",
                        help="also count the CROSS_CHECK cases in a slice of weight space and compare with the modular count")
    parser.add_argument("--suite-only", action="store_true",
                        help="only the classical-ideal suite (the comparison rows, and the cross-check unless "
                             "--cross-check, are kept from OUT/landscape.json)")
    args = parser.parse_args()
    timeout = 60.0 if args.quick else args.timeout
    session, plain_session = Macaulay2Session(), Macaulay2Session()
    session.load_package(codegen.package_file())
    kept = json.loads((args.out / "landscape.json").read_text()) if args.suite_only else {}
    rows = kept.get("cases", [])
    for widths, activation in ([] if args.suite_only else QUICK if args.quick else CASES):
        arch = Architecture.create(widths, activation)
        _, metric = data_for(arch)
        count = neurom2_count(session, arch, metric, timeout, exact=False)
        exact = neurom2_count(session, arch, metric, timeout, exact=True)
        baseline = plain(plain_session, arch, metric, timeout)
        row = {"widths": widths, "activation": activation, "plain": baseline, "count": count, "exact": exact}
        counts = {r["count"] for r in (baseline, count, exact) if r["finished"] and r["count"] is not None}
        row["same"] = len(counts) == 1
        for name in ("count", "exact"):
            row[f"ratio_{name}"] = (baseline["seconds"] / row[name]["seconds"]
                                    if baseline["finished"] and row[name]["finished"] else None)
        rows.append(row)
        write(args.out, rows, [], args.quick, complete=False)
        print(f"({widths}) {activation}: plain {seconds_text(baseline['seconds'])} -> {baseline['count']}, neurom2 count "
              f"{seconds_text(count['seconds'])} -> {count['count']}, exact {seconds_text(exact['seconds'])} -> "
              f"{exact['count']}", flush=True)
    suite = []
    for widths, activation in ([] if args.quick else implicit_suite()):
        arch = Architecture.create(widths, activation)
        _, metric = data_for(arch)
        result = neurom2_count(session, arch, metric, SUITE_SECONDS, exact=False)
        suite.append({"widths": widths, "activation": activation, **result})
        write(args.out, rows, suite, args.quick, complete=False)
        print(f"suite ({widths}) {activation}: {seconds_text(result['seconds'])} -> {result['count']}", flush=True)
    cross = ([cross_check(session, widths, activation) for widths, activation in CROSS_CHECK] if args.cross_check
             else kept.get("cross_check", []))
    write(args.out, rows, suite, args.quick, complete=True, cross=cross)


def cross_check(session: Macaulay2Session, widths: str, activation: str) -> dict[str, Any]:
    """The slice count (:mod:`neurom2.training.slice_count`) and the modular Lagrange count of the suite's data."""
    arch = Architecture.create(widths, activation)
    _, metric = data_for(arch)
    modular = neurom2_count(session, arch, metric, SUITE_SECONDS * 5, exact=False)
    started = time.perf_counter()
    try:
        counted = slice_count.slice_count(session, arch, implicitize(arch, session=session).dim, metric.gram,
                                          metric.center, timeout=CROSS_CHECK_SECONDS)
    except Macaulay2Timeout:
        session.restart()
        print(f"cross-check ({widths}) {activation}: slice count not within {CROSS_CHECK_SECONDS:g} s", flush=True)
        return {"widths": widths, "activation": activation, "modular": modular,
                "slice": {"degree": None, "fiber": None, "seconds": None}}
    row = {"widths": widths, "activation": activation, "modular": modular,
           "slice": {**counted.to_json(), "seconds": time.perf_counter() - started}}
    print(f"cross-check ({widths}) {activation}: modular {modular['count']}, slice {counted.count} "
          f"(fiber {counted.fiber})", flush=True)
    return row


def write(out: Path, rows: list[dict[str, Any]], suite: list[dict[str, Any]], quick: bool, complete: bool,
          cross: list[dict[str, Any]] | None = None) -> None:
    """The results so far (written after every case, so an interrupted run leaves them, marked partial)."""
    finished = [r for r in rows if r["ratio_count"] is not None]
    mean_count = geometric_mean([r["ratio_count"] for r in finished])
    mean_exact = geometric_mean([r["ratio_exact"] for r in rows if r["ratio_exact"] is not None])
    in_time = [s for s in suite if s["finished"] and s["seconds"] <= SUITE_SECONDS and s["count"] is not None]
    targets = [
        {"target": f"geometric mean ≥ {SPEEDUP_TARGET:g}× (plain / neurom2 count) where plain finishes",
         "measured": f"{mean_count:.1f}× over {len(finished)} cases" if mean_count else "—",
         "result": "PASS" if mean_count and mean_count >= SPEEDUP_TARGET else "MISS"},
        {"target": "same counts wherever both finish", "measured": f"{sum(r['same'] for r in rows)}/{len(rows)}",
         "result": "PASS" if all(r["same"] for r in rows) else "MISS"},
        {"target": f"learning degree of every classical-ideal case within {SUITE_SECONDS:g} s",
         "measured": f"{len(in_time)}/{len(suite)}",
         "result": "NOT RUN" if quick else ("PASS" if len(in_time) == len(suite) == len(implicit_suite()) else "MISS")},
    ]
    commit = subprocess.run(["git", "-C", str(REPO), "rev-parse", "HEAD"], capture_output=True, text=True).stdout.strip()
    facts = {"date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
             "python": platform.python_version(), "commit": commit, "quick": quick, "complete": complete,
             "load_average": os.getloadavg(),
             "geometric_mean_count": mean_count, "geometric_mean_exact": mean_exact}
    out.mkdir(parents=True, exist_ok=True)
    (out / "landscape.json").write_text(json.dumps({"facts": facts, "cases": rows, "suite": suite, "targets": targets,
                                                    "cross_check": cross or []}, indent=2) + "\n")
    lines = ["# Learning degree: neurom2 against the plain Macaulay2 formulation", "",
             f"{facts['date']}, commit {commit[:12]}{' (quick)' if quick else ''}, load average "
             f"{' '.join(f'{x:.2f}' for x in facts['load_average'])} (2 cores)"
             f"{'' if complete else ' (PARTIAL: the run was interrupted or is still going)'}. Plain: elimination without "
             "chart + ED correspondence by minors, saturated, over QQ. neurom2 count: Lagrange ideal modulo two primes "
             "(F4), one call; exact: over QQ (Hermite rank).", "",
             "| case | plain | neurom2 count | neurom2 exact | learning degree | ratio (count) | ratio (exact) |",
             "|---|---|---|---|---|---|---|"]
    for r in rows:
        degree = r["exact"]["count"] if r["exact"]["finished"] else r["count"]["count"]
        baseline = seconds_text(r["plain"]["seconds"]) if r["plain"]["finished"] else "no answer in time"
        ratios = ["—" if r[key] is None else f"{r[key]:.3g}×" for key in ("ratio_count", "ratio_exact")]
        lines.append(f"| ({r['widths']}) {r['activation']} | {baseline} | {seconds_text(r['count']['seconds'])} | "
                     f"{seconds_text(r['exact']['seconds'])} | {degree}{'' if r['same'] else ' (counts differ!)'} | "
                     f"{ratios[0]} | {ratios[1]} |")
    if suite:
        lines += ["", f"## Classical-ideal suite (learning degree, {SUITE_SECONDS:g} s each)", "",
                  "| case | seconds | learning degree | method |", "|---|---|---|---|"]
        lines += [f"| ({s['widths']}) {s['activation']} | {seconds_text(s['seconds']) if s['finished'] else 'not in time'} | "
                  f"{s['count']} | {s.get('how', '—')} |" for s in suite]
    if cross:
        lines += ["", "## Slice count (monodromy, probable) against the modular Lagrange count", "",
                  "| case | modular count | slice count | fiber | slice seconds | agree |", "|---|---|---|---|---|---|"]
        lines += [f"| ({c['widths']}) {c['activation']} | {c['modular']['count']} | {c['slice']['degree']} | "
                  f"{c['slice']['fiber']} | {seconds_text(c['slice']['seconds'])} | "
                  f"{'—' if c['slice']['degree'] is None else 'yes' if c['modular']['count'] == c['slice']['degree'] else 'NO'} |"
                  for c in cross]
    lines += ["", "## Targets", ""] + [f"- **{t['result']}** {t['target']}: {t['measured']}" for t in targets]
    (out / "landscape.md").write_text("\n".join(lines) + "\n")
    if complete:
        print("\n".join(lines[-len(targets):]))


if __name__ == "__main__":
    main()
