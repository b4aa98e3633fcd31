"""Minimal filling architectures: the published list reproduced and proved, timed; the published Macaulay2
search on the same boxes; results beyond the paper; proved dimensions in the 672-architecture sweep.

    python benchmarks/filling.py [--quick] [--workers 2] [--mfa-cache /tmp/mfa_cache] [--m2-limit 600]
                                 [--out benchmarks/results] [--proved docs/filling_results.json]

Sections:

1. **The published list.**  (d0, dL) = (2, 1), σ = x², depths L = 2..7, each from a fresh results store on
   ``--workers`` local workers: minimal architectures, complete or not, regions, rank jobs, seconds.  Target:
   the whole L ≤ 7 list complete and proved in under 5 minutes on 2 cores; and the published counts (one
   architecture for each L ≤ 6, thirteen for L = 7, among them (2,3,4,5,4,6,4,1)).
2. **Against the published Macaulay2 search.**  Dao and Rodriguez's frontier search (JoseMath/MFA_PNNs,
   ``step2_compute_dimension.m2`` and ``step4_frontier_search.m2``: random proposals in the box
   [m, n]^(L−1), a Jacobian rank in Macaulay2 for each proposal not implied by the current antichains), run
   by ``M2 --script`` from a cache directory outside the repository (``--mfa-cache``; its code is not part
   of neurom2), with a time limit, on the same boxes as neurom2 with ``--max-width n``.  When the cache or
   Macaulay2 is missing the section says so.
3. **Beyond the paper.**  L = 8 for (2, 1); other (d0, dL); σ = x³, x⁴ and x⁵.
4. **Proved dimensions in the sweep** of ``benchmarks/run.py`` (672 architectures): how many the proved
   upper bounds of :mod:`neurom2.variety.bounds` now prove (209 with parameters minus symmetries alone).
5. **Published entries settled.**  An architecture published as minimal filling that is not: a narrower one
   fills, proved by its exact rank (= dim V modulo two primes at one point, a lower bound for dim M).

``--update D0,DL,r,L`` (repeatable) recomputes only those cases of section 3 and section 5, and replaces them in
``OUT/filling.{json,md}`` and ``PROVED``, keeping every other case: for a new bound that changes a few lists, or a
new depth.  With ``--store DIR`` each case keeps its ranks in a results store in DIR, and a case stopped by
``--beyond-limit`` resumes from it when run again.

Writes ``OUT/filling.{md,json}`` (timings, machine) and ``PROVED`` (the proved lists with their regions,
independent of the machine; committed in docs/).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from run import load_average, machine_facts

import neurom2
from neurom2.batch.filling import minimal_filling
from neurom2.filling.certificates import FillingResult

REPO = Path(__file__).resolve().parents[1]
PUBLISHED_COUNTS = {2: 1, 3: 1, 4: 1, 5: 1, 6: 1, 7: 13}
COUNTEREXAMPLE = [2, 3, 4, 5, 4, 6, 4, 1]
TARGET_SECONDS = 300.0
MFA_BOXES = [(4, 2, 4), (5, 2, 4), (6, 2, 5), (7, 2, 6)]
"""(L, m, n): the box [m, n]^(L−1) of hidden widths, (2, ·, 1), σ = x²; (6, 2, 5) is the authors' own demo."""
MFA_FILES = ("step2_compute_dimension.m2", "step4_frontier_search.m2")
BEYOND = [
    (2, 1, "x^2", [8]),
    (2, 2, "x^2", [2, 3, 4, 5, 6, 7, 8]),
    (2, 3, "x^2", [2, 3, 4, 5, 6, 7]),
    (3, 1, "x^2", [2, 3, 4, 5, 6]),
    (3, 2, "x^2", [2, 3, 4, 5]),
    (2, 1, "x^3", [2, 3, 4, 5, 6]),
    (2, 1, "x^4", [2, 3, 4, 5]),
    (2, 1, "x^5", [2, 3, 4]),
]
ERRATA = [((3, 5, 8, 13, 28, 5, 1), (3, 5, 8, 13, 27, 5, 1), "x^2")]
"""(published as minimal filling, a narrower architecture that fills, σ): Dao and Rodriguez's (3, ·, 1), L = 6 list."""
QUICK_BEYOND = [(2, 2, "x^2", [2, 3, 4]), (2, 1, "x^3", [2, 3, 4])]


def _progress(message: str) -> None:
    print(f"  … {message}", file=sys.stderr, flush=True)


def run_case(d0: int, dL: int, activation: str, depth: int, workers: int, store: Path | None = None,
             **options: Any) -> FillingResult:
    """One search from a fresh store (nothing reused), or from the results store ``store`` (its ranks reused: a
    search stopped by its time limit resumes there)."""
    with tempfile.TemporaryDirectory() as directory:
        return minimal_filling(input=d0, output=dL, activation=activation, depth=depth, workers=workers,
                               db=str(store or Path(directory) / "filling.sqlite"), **options)


def summary(result: FillingResult) -> dict[str, Any]:
    """What the tables and the proved-results file keep of a search."""
    return {
        "input": result.input_dim, "output": result.output_dim, "activation": result.activation, "depth": result.depth,
        "ambient_dim": result.ambient, "box": list(result.box), "caps": list(result.caps),
        "minimal": [list(m.widths) for m in result.minimal], "complete": result.complete,
        "not_unimodal": [list(m.widths) for m in result.not_unimodal],
        "minimality_not_proved": [list(m.widths) for m in result.minimal if not m.minimal_proved],
        "regions": len(result.regions),
        "open_regions": [{"region": r.describe(), "corner": list(r.corner), "best_bound": r.bound.value,
                          "best_bound_reason": r.bound.reason, "rank_at_corner": r.rank.rank if r.rank else None,
                          "error_bound": r.rank.error_bound if r.rank else None} for r in result.open_regions],
        "closed_regions": [{"corner": list(r.corner), "unbounded": [j + 1 for j, u in enumerate(r.unbounded) if u],
                            "upper_bound": r.bound.value, "rule": _rule(r.bound)} for r in result.regions if r.closed],
        "rank_jobs": result.work.rank_jobs, "rounds": result.work.rounds, "seconds": round(result.work.seconds, 2),
    }


def _rule(bound: Any) -> str:
    """The rule that gave a bound, through width caps."""
    return _rule(bound.parts[0]) if bound.rule == "width cap" else bound.rule


def compact_json(data: Any) -> str:
    """JSON with one space of indentation; lists of numbers, and objects of scalars and such lists, on one line."""
    text = json.dumps(data, indent=1, ensure_ascii=False)
    text = re.sub(r"\[\s*(-?[\d.e+-]+(?:,\s*-?[\d.e+-]+)*)\s*\]",
                  lambda m: "[" + ", ".join(x.strip() for x in m.group(1).split(",")) + "]", text)
    flat_object = r"\{\n[^{}\[\]]*(?:\[[^\[\]\n]*\][^{}\[\]]*)*\}"  # scalars and one-line lists only
    return re.sub(flat_object, lambda m: json.dumps(json.loads(m.group(0)), ensure_ascii=False), text) + "\n"


def markdown_table(header: list[str], rows: list[list[Any]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    return "\n".join(lines + ["| " + " | ".join(str(c) for c in row) + " |" for row in rows])


def widths(w: list[int]) -> str:
    return "(" + ",".join(map(str, w)) + ")"


# --- 1. the published list -------------------------------------------------------------------------------------


def published_section(workers: int) -> dict[str, Any]:
    rows = []
    started = time.perf_counter()
    for depth in PUBLISHED_COUNTS:
        rows.append(summary(run_case(2, 1, "x^2", depth, workers)))
        _progress(f"(2,·,1) x^2 L={depth}: {len(rows[-1]['minimal'])} minimal, {rows[-1]['seconds']} s")
    total = time.perf_counter() - started
    counts_agree = all(len(r["minimal"]) == PUBLISHED_COUNTS[r["depth"]] for r in rows)
    complete = all(r["complete"] for r in rows)
    has_counterexample = COUNTEREXAMPLE in rows[-1]["minimal"]
    passed = total < TARGET_SECONDS and complete and counts_agree and has_counterexample
    counts = [len(r["minimal"]) for r in rows]
    measured = (f"{total:.1f} s; complete for every L: {complete}; counts {counts} (published "
                f"{list(PUBLISHED_COUNTS.values())}); (2,3,4,5,4,6,4,1) found: {has_counterexample}")
    return {"cases": rows, "total_seconds": round(total, 2), "workers": workers,
            "target": {"target": f"L ≤ 7 complete and proved in under {TARGET_SECONDS:g} s on {workers} workers",
                       "measured": measured, "result": "PASS" if passed else "MISS"}}


def published_markdown(section: dict[str, Any]) -> str:
    table = markdown_table(
        ["L", "dim V", "minimal filling architectures", "complete", "regions", "rank jobs", "rounds", "seconds"],
        [[r["depth"], r["ambient_dim"], ", ".join(widths(m) for m in r["minimal"]), "yes" if r["complete"] else "no",
          r["regions"], r["rank_jobs"], r["rounds"], r["seconds"]] for r in section["cases"]])
    t = section["target"]
    return f"{table}\n\nTotal {section['total_seconds']} s.\n\n- **{t['result']}** {t['target']}: {t['measured']}"


# --- 2. the published Macaulay2 search ---------------------------------------------------------------------------


def mfa_script(cache: Path, depth: int, low: int, high: int, budget: int, seed: int) -> str:
    files = "\n".join(f'load "{cache / name}"' for name in MFA_FILES)
    return (f"{files}\nt0 = currentTime();\n"
            f"(cpu, out) = toSequence timing frontierSearchHidden({depth}, 2, 1, {low}, {high}, 2, {budget}, {seed});\n"
            'stderr << "RESULT " << toString(out#"FminTuples") << " | " << toString(out#"nEvaluated") << " | "'
            ' << toString(cpu) << " | " << toString(currentTime() - t0) << endl;\nexit 0\n')


def run_mfa(cache: Path, depth: int, low: int, high: int, limit: float) -> dict[str, Any]:
    budget = 3 * (high - low + 1) ** (depth - 1)
    script = cache / f"neurom2_bench_L{depth}_{low}_{high}.m2"
    script.write_text(mfa_script(cache, depth, low, high, budget, 12345))
    started = time.perf_counter()
    try:
        done = subprocess.run(["M2", "--script", str(script)], capture_output=True, text=True, timeout=limit)
    except subprocess.TimeoutExpired:
        return {"finished": False, "seconds": limit, "budget": budget, "note": f"did not finish in {limit:g} s"}
    wall = time.perf_counter() - started
    match = re.search(r"RESULT (.*) \| (\d+) \| ([\d.e+-]+) \| (\d+)", done.stderr)
    if not match:
        return {"finished": False, "seconds": wall, "budget": budget, "note": f"no result: {done.stderr[-300:]}"}
    fmin = sorted(tuple(int(x) for x in re.findall(r"\d+", t)) for t in re.findall(r"\{([\d, ]+)\}", match.group(1)))
    return {"finished": True, "seconds": wall, "cpu_seconds": float(match.group(3)), "budget": budget,
            "evaluated": int(match.group(2)), "minimal": [list(t) for t in fmin]}


def mfa_section(cache: Path | None, limit: float, workers: int, quick: bool) -> dict[str, Any]:
    boxes = MFA_BOXES[:2] if quick else MFA_BOXES
    missing = []
    if cache is None or not all((cache / name).is_file() for name in MFA_FILES):
        missing.append(f"the published code is not in the cache directory {cache} ({', '.join(MFA_FILES)})")
    try:
        subprocess.run(["M2", "--version"], capture_output=True, check=True, timeout=60)
    except (OSError, subprocess.SubprocessError):
        missing.append("Macaulay2 (M2) is not installed")
    rows = []
    for depth, low, high in boxes:
        ours = run_case(2, 1, "x^2", depth, workers, max_width=high)
        in_box = [list(m.hidden) for m in ours.minimal if min(m.hidden) >= low]
        row = {"depth": depth, "box": [low, high], "neurom2_seconds": round(ours.work.seconds, 2),
               "neurom2_minimal": in_box, "neurom2_complete_in_box": ours.complete_in_box,
               "neurom2_rank_jobs": ours.work.rank_jobs}
        if not missing:
            theirs = run_mfa(cache, depth, low, high, limit)  # type: ignore[arg-type]
            row["published"] = theirs
            if theirs.get("finished"):
                row["agree"] = sorted(theirs["minimal"]) == sorted(in_box)
                row["ratio"] = theirs["seconds"] / max(ours.work.seconds, 1e-9)
            else:
                row["ratio_lower_bound"] = limit / max(ours.work.seconds, 1e-9)
        rows.append(row)
        _progress(f"box L={depth} [{low},{high}]: neurom2 {row['neurom2_seconds']} s, published "
                  f"{row.get('published', {}).get('seconds', 'not run')}")
    return {"cases": rows, "not_run": missing, "time_limit": limit, "cache": str(cache)}


def mfa_markdown(section: dict[str, Any]) -> str:
    if section["not_run"]:
        head = "The published search was not run: " + "; ".join(section["not_run"]) + ". neurom2 alone:\n\n"
    else:
        head = ""
    rows = []
    for r in section["cases"]:
        theirs = r.get("published", {})
        if theirs.get("finished"):
            published = (f"{theirs['seconds']:.1f} s wall, {theirs['cpu_seconds']:.1f} s CPU ({theirs['evaluated']} ranks "
                         f"in M2, budget {theirs['budget']})")
            found = ", ".join(widths(m) for m in theirs["minimal"])
            ratio = f"{r['ratio']:.0f}×"
        elif theirs:
            published, found, ratio = theirs["note"], "—", f"> {r['ratio_lower_bound']:.0f}×"
        else:
            published, found, ratio = "not run", "—", "—"
        rows.append([f"L = {r['depth']}, [{r['box'][0]},{r['box'][1]}]^{r['depth'] - 1}", published, found,
                     f"{r['neurom2_seconds']} s ({r['neurom2_rank_jobs']} rank jobs)",
                     ", ".join(widths(m) for m in r["neurom2_minimal"]),
                     "yes" if r["neurom2_complete_in_box"] else "no", r.get("agree", "—"), ratio])
    return head + markdown_table(["box", "published M2 search", "its minimal list", "neurom2", "neurom2 minimal list",
                                  "neurom2 proved complete in the box", "same list", "ratio"], rows)


# --- 3. beyond ---------------------------------------------------------------------------------------------------


def beyond_section(workers: int, quick: bool, limit: float) -> dict[str, Any]:
    rows = []
    for d0, dL, activation, depths in (QUICK_BEYOND if quick else BEYOND):
        for depth in depths:
            try:
                rows.append(summary(run_case(d0, dL, activation, depth, workers, timeout=limit)))
            except neurom2.Neurom2Error as error:
                rows.append({"input": d0, "output": dL, "activation": activation, "depth": depth, "error": str(error)})
                _progress(f"({d0},·,{dL}) {activation} L={depth}: {error}")
                break
            _progress(f"({d0},·,{dL}) {activation} L={depth}: {len(rows[-1]['minimal'])} minimal, "
                      f"complete {rows[-1]['complete']}, {rows[-1]['seconds']} s")
    return {"cases": rows, "time_limit": limit}


def beyond_markdown(section: dict[str, Any]) -> str:
    rows = []
    for r in section["cases"]:
        if "error" in r:
            rows.append([f"({r['input']},·,{r['output']})", r["activation"], r["depth"], "—", r["error"], "", "", ""])
            continue
        shown = r["minimal"] if len(r["minimal"]) <= 4 else r["minimal"][:3]
        listed = ", ".join(widths(m) for m in shown) + (f", … ({len(r['minimal'])} in all)" if len(r["minimal"]) > 4 else "")
        open_ = "; ".join(f"{o['region']} (bound {o['best_bound']}, rank {o['rank_at_corner']})" for o in r["open_regions"])
        rows.append([f"({r['input']},·,{r['output']})", r["activation"], r["depth"], r["ambient_dim"], listed,
                     "yes" if r["complete"] else f"no: {len(r['open_regions'])} open — {open_}",
                     len(r["not_unimodal"]), r["seconds"]])
    return markdown_table(["(d0, dL)", "σ", "L", "dim V", "minimal filling architectures", "complete", "not unimodal",
                           "seconds"], rows)


# --- 4. the sweep ---------------------------------------------------------------------------------------------


def sweep_section() -> dict[str, Any]:
    try:
        from run import sweep_architectures
    except ImportError as error:
        return {"not_run": f"benchmarks/run.py does not import: {error}"}
    from neurom2.variety.dimension import dimension

    archs = sweep_architectures(False)
    groups: dict[str, list[int]] = {}
    for arch in archs:
        key = f"{'bias' if arch.bias else 'no bias'}, {arch.activation}"
        proved = dimension(arch, seed=0).proved
        groups.setdefault(key, [0, 0])
        groups[key][0] += proved
        groups[key][1] += 1
    total = sum(g[0] for g in groups.values())
    return {"proved": total, "architectures": len(archs), "before": 209, "groups": groups}


def sweep_markdown(section: dict[str, Any]) -> str:
    if "not_run" in section:
        return f"Not run: {section['not_run']}"
    table = markdown_table(["architectures", "proved"], [[k, f"{p}/{n}"] for k, (p, n) in section["groups"].items()])
    return (f"{table}\n\n{section['proved']} of {section['architectures']} dimensions proved "
            f"(before the bounds of this issue: {section['before']}).")


# --- 5. published entries settled ---------------------------------------------------------------------------


def errata_section() -> list[dict[str, Any]]:
    """For each published entry of :data:`ERRATA`: the exact rank of the narrower architecture (it fills)."""
    from neurom2.model.architecture import Architecture
    from neurom2.variety.dimension import dimension

    rows = []
    for published, narrower, activation in ERRATA:
        found = dimension(Architecture(narrower, activation), seed=0)
        rows.append({"published_as_minimal": list(published), "narrower_fills": list(narrower), "activation": activation,
                     "rank": found.dim, "ambient_dim": found.space.dim, "ranks": list(found.ranks),
                     "primes": list(found.primes), "proved_filling": found.fills})
    return rows


def errata_markdown(rows: list[dict[str, Any]]) -> str:
    return markdown_table(["published as minimal", "σ", "narrower, fills", "rank modulo both primes", "dim V", "proved"],
                          [[widths(r["published_as_minimal"]), r["activation"], widths(r["narrower_fills"]),
                            r["rank"], r["ambient_dim"], "yes" if r["proved_filling"] else "no"] for r in rows])


# --- updating committed results ---------------------------------------------------------------------------------

PROVED_KEYS = ("input", "output", "activation", "depth", "ambient_dim", "caps", "minimal", "complete", "not_unimodal",
               "minimality_not_proved", "open_regions", "closed_regions")
"""What ``PROVED`` keeps of a case."""


def case_key(case: dict[str, Any]) -> tuple[int, int, str, int]:
    return case["input"], case["output"], case["activation"], case["depth"]


def parse_case(text: str) -> tuple[int, int, str, int]:
    """``D0,DL,r,L`` → (d0, dL, "x^r", L)."""
    d0, dL, r, depth = (int(x) for x in text.split(","))
    return d0, dL, f"x^{r}", depth


def merged(cases: list[dict[str, Any]], new: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``cases`` with each case of ``new`` in place of the old one with its key (or appended), in key order."""
    by_key = {case_key(c): c for c in cases} | {case_key(c): c for c in new}
    order = [case_key(c) for c in cases] + [case_key(c) for c in new if case_key(c) not in {case_key(o) for o in cases}]
    return [by_key[key] for key in dict.fromkeys(order)]


def update(args: argparse.Namespace) -> int:
    """``--update``: recompute the named cases and the errata, replace them in the committed results."""
    new = []
    for d0, dL, activation, depth in map(parse_case, args.update):
        store = args.store / f"filling-{d0}-{dL}-{activation.removeprefix('x^')}-{depth}.sqlite" if args.store else None
        new.append(summary(run_case(d0, dL, activation, depth, args.workers, store, timeout=args.beyond_limit,
                                    force=True)))
        _progress(f"({d0},·,{dL}) {activation} L={depth}: {len(new[-1]['minimal'])} minimal, complete "
                  f"{new[-1]['complete']}, {new[-1]['seconds']} s")
    errata = errata_section()
    timings = json.loads((args.out / "filling.json").read_text(encoding="utf-8"))
    timings["beyond"]["cases"] = merged(timings["beyond"]["cases"], new)
    timings["errata"] = errata
    timings["machine"]["updated"] = {"cases": args.update, **machine_facts()}
    (args.out / "filling.json").write_text(compact_json(timings))
    (args.out / "filling.md").write_text(report(timings, False))
    proved = json.loads(args.proved.read_text(encoding="utf-8"))
    proved["results"] = merged(proved["results"], [{k: case[k] for k in PROVED_KEYS} for case in new])
    proved["published_errata"] = errata
    proved["updated"] = {"cases": args.update, "neurom2_commit": timings["machine"]["updated"]["neurom2_commit"]}
    args.proved.write_text(compact_json(proved))
    print(beyond_markdown({"cases": new}) + "\n\n" + errata_markdown(errata))
    print(f"\nupdated: {args.out / 'filling'}.json, .md, {args.proved}", file=sys.stderr)
    return 0


def report(data: dict[str, Any], quick: bool) -> str:
    """The Markdown report of the sections in ``data`` (as written to ``OUT/filling.json``)."""
    mfa = data["mfa"]
    return "\n".join([
        f"# Minimal filling architectures{' (--quick)' if quick else ''}", "", "Machine and code:", "",
        *[f"- {k.replace('_', ' ')}: {v}" for k, v in data["machine"].items()], "",
        "## 1. The published list: (2, ·, 1), σ = x², L = 2..7, proved", "",
        "Each depth from a fresh results store (no rank reused), on local workers; wall-clock seconds of "
        "`minimal_filling`, which includes starting the workers of each round.", "",
        published_markdown(data["published"]), "",
        "## 2. Against the published Macaulay2 search, on the same boxes", "",
        "Dao and Rodriguez's frontier search (random proposals in [m, n]^(L−1), budget 3 × box size, seed 12345; "
        "their files `step2_compute_dimension.m2` and `step4_frontier_search.m2` run by `M2 --script` from "
        f"{mfa.get('cache', '/tmp/mfa_cache')}, outside the repository, limit {mfa['time_limit']:g} s). It classifies a "
        "proposal as filling when its rank equals min(dim V, their parameter count), and it proves nothing beyond the "
        "box. neurom2: `--max-width n` (the box [1, n]^(L−1), which contains theirs), its list restricted to widths ≥ m.",
        "", mfa_markdown(mfa), "",
        "## 3. Beyond the paper", "", beyond_markdown(data["beyond"]), "",
        "## 4. Proved dimensions in the 672-architecture sweep of benchmarks/run.py", "", sweep_markdown(data["sweep"]), "",
        "## 5. Published entries settled", "", errata_markdown(data.get("errata", [])), "",
    ])


# --- main ---------------------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="a reduced set (a smoke test)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--mfa-cache", type=Path, default=Path(os.environ.get("MFA_CACHE", "/tmp/mfa_cache")),
                        help="directory with the published Macaulay2 files (outside the repository)")
    parser.add_argument("--m2-limit", type=float, default=600.0, help="seconds for each run of the published search")
    parser.add_argument("--beyond-limit", type=float, default=1800.0, help="seconds for each search beyond the paper")
    parser.add_argument("--out", type=Path, default=REPO / "benchmarks" / "results")
    parser.add_argument("--proved", type=Path, default=REPO / "docs" / "filling_results.json",
                        help="where to write the proved lists (machine-independent)")
    parser.add_argument("--update", action="append", metavar="D0,DL,r,L",
                        help="recompute only this case of section 3 (and section 5), replace it in the committed results")
    parser.add_argument("--store", type=Path, metavar="DIR",
                        help="with --update: keep each case's ranks in a results store in DIR (outside the repository), "
                             "so that a case stopped by --beyond-limit resumes from it; its seconds are then this run's")
    args = parser.parse_args(argv)
    if args.update:
        return update(args)
    facts = machine_facts()
    started = time.perf_counter()
    published = published_section(args.workers)
    beyond = beyond_section(args.workers, args.quick, args.beyond_limit)
    sweep = sweep_section()
    errata = errata_section()
    mfa = mfa_section(args.mfa_cache, args.m2_limit, args.workers, args.quick)
    facts.update(load_average_at_end=load_average(),
                 run_seconds=round(time.perf_counter() - started, 1), quick=args.quick, workers=args.workers)

    data = {"machine": facts, "published": published, "mfa": mfa, "beyond": beyond, "sweep": sweep, "errata": errata}
    text = report(data, args.quick)
    print(text)
    args.out.mkdir(parents=True, exist_ok=True)
    name = "filling-quick" if args.quick else "filling"  # a smoke test does not replace the committed results
    (args.out / f"{name}.md").write_text(text)
    (args.out / f"{name}.json").write_text(compact_json(data))
    if not args.quick:
        proved = [{k: case[k] for k in PROVED_KEYS} for case in published["cases"] + beyond["cases"] if "error" not in case]
        args.proved.write_text(compact_json({
            "about": "Minimal filling architectures (d0, a1..a(L-1), dL) for σ = x^r without biases, computed by "
                     "benchmarks/filling.py (neurom2 filling). Every listed architecture is proved filling by an exact "
                     "rank, and minimal unless listed in minimality_not_proved. 'complete': every other width tuple is "
                     "proved not to fill, region by region: the closed regions {a : a <= corner} (coordinates listed in "
                     "'unbounded': every width) with a proved upper bound below dim V and the rule that gave it "
                     "(neurom2 filling --json has each derivation); otherwise the open regions (probably not filling, "
                     "by a Jacobian rank with the stated error bound) are listed.",
            "neurom2_commit": facts["neurom2_commit"], "results": proved, "published_errata": errata}))
    print(f"\nwritten: {args.out / name}.md, .json"
          + ("" if args.quick else f", {args.proved}"), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
