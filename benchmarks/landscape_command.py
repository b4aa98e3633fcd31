"""One landscape command end to end: ``neurom2 landscape --widths 3,2,1 --activation x^2 --random-data 10`` (issue 16).

    python benchmarks/landscape_command.py [--repeats 3] [--baseline REF] [--out benchmarks/results]

Three variants, each a fresh process ``python -m neurom2 landscape ... --json --quiet``:

* ``baseline``: the code of the commit ``REF`` (default :data:`BASELINE`, before the landscape was sped up),
  extracted with ``git archive`` into a temporary directory;
* ``check``: this checkout with ``--check`` (the monodromy check of the proved count, as the baseline ran it);
* ``default``: this checkout as it is.

Runs alternate between the variants, so a change of load hits all of them alike; the table gives medians of the
wall seconds, of the CPU seconds of the process and its Macaulay2 (``RUSAGE_CHILDREN``), of the step timings each
run reports, and the ratio baseline / variant (wall and CPU).  The load average is recorded before every run.
The answers must agree across all runs: the learning degree and whether it is proved, the real critical points'
types and certified losses, the infimum's interval and whether it is attained.  Goal: the default under 10 s
wall on an idle 2-core machine; on a loaded one the CPU seconds are the better guide.  Results:
``OUT/landscape_command.{json,md}``.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import resource
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from io import BytesIO
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
BASELINE = "aa64c95"
"""The commit before the landscape work of issue 16 (monodromy check always on, 64 Levenberg–Marquardt starts)."""
COMMAND = ["landscape", "--widths", "3,2,1", "--activation", "x^2", "--random-data", "10", "--json", "--quiet"]
WALL_TARGET = 10.0


def extract(ref: str, into: Path) -> Path:
    """The source tree (``src``, ``m2scripts``) of commit ``ref``, extracted into ``into``."""
    archive = subprocess.run(["git", "-C", str(REPO), "archive", ref, "src", "m2scripts"], capture_output=True,
                             check=True).stdout
    with tarfile.open(fileobj=BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")
    return into / "src"


def run_once(source: Path, extra: list[str]) -> dict[str, Any]:
    """One run of the command with the package at ``source``: seconds, CPU seconds, load, the JSON answer."""
    load = os.getloadavg()[0]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "neurom2", *COMMAND, *extra], capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(source)}, check=True)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    result = json.loads(done.stdout)
    return {"wall": wall, "cpu": cpu, "load": load, "timings": result["timings"], "answer": answer(result)}


def answer(result: dict[str, Any]) -> dict[str, Any]:
    """What must not change: the count, the real critical points (by loss), the infimum."""
    infimum = result["infimum"]
    return {"learning_degree": result["learning_degree"], "proved": result["counts"]["proved"],
            "points": sorted((p["loss_interval"], p["type"], p["index"]) for p in result["critical_points"]),
            "infimum": infimum["interval"], "attained": infimum["attained"]}


def summary(runs: list[dict[str, Any]], baseline: dict[str, Any] | None) -> dict[str, Any]:
    """Medians of one variant's runs, and the ratios of the baseline's medians to them."""
    steps = sorted({k for r in runs for k in r["timings"]})
    result: dict[str, Any] = {"wall": statistics.median(r["wall"] for r in runs),
                              "cpu": statistics.median(r["cpu"] for r in runs),
                              "loads": [round(r["load"], 2) for r in runs],
                              "steps": {k: statistics.median(r["timings"].get(k, 0.0) for r in runs) for k in steps}}
    if baseline is not None:
        result["ratio_wall"] = baseline["wall"] / result["wall"]
        result["ratio_cpu"] = baseline["cpu"] / result["cpu"]
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3, help="runs per variant (default 3)")
    parser.add_argument("--baseline", default=BASELINE, help=f"commit of the baseline code (default {BASELINE})")
    parser.add_argument("--out", type=Path, default=REPO / "benchmarks" / "results")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        variants = {"baseline": (extract(args.baseline, Path(scratch)), []), "check": (REPO / "src", ["--check"]),
                    "default": (REPO / "src", [])}
        runs: dict[str, list[dict[str, Any]]] = {name: [] for name in variants}
        for k in range(args.repeats):
            for name, (source, extra) in variants.items():
                runs[name].append(run_once(source, extra))
                print(f"run {k + 1}, {name}: {runs[name][-1]['wall']:.1f} s wall, {runs[name][-1]['cpu']:.1f} s CPU, "
                      f"load {runs[name][-1]['load']:.2f}", flush=True)
    answers = [json.dumps(r["answer"], sort_keys=True) for rs in runs.values() for r in rs]
    base = summary(runs["baseline"], None)
    table = {name: summary(rs, None if name == "baseline" else base) for name, rs in runs.items()}
    write(args.out, args.baseline, table, runs, same=len(set(answers)) == 1)


def write(out: Path, baseline: str, table: dict[str, Any], runs: dict[str, list[dict[str, Any]]], same: bool) -> None:
    commit = subprocess.run(["git", "-C", str(REPO), "rev-parse", "HEAD"], capture_output=True, text=True).stdout.strip()
    facts = {"date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"), "commit": commit,
             "baseline": baseline, "command": "neurom2 " + " ".join(COMMAND), "cpus": os.cpu_count(), "same_answers": same}
    out.mkdir(parents=True, exist_ok=True)
    (out / "landscape_command.json").write_text(json.dumps({"facts": facts, "summary": table, "runs": runs}, indent=2) + "\n")
    steps = sorted({k for row in table.values() for k in row["steps"]})
    lines = ["# `neurom2 landscape --widths 3,2,1 --activation x^2 --random-data 10`", "",
             f"{facts['date']}, commit {commit[:12]} against baseline {baseline}, {os.cpu_count()} CPUs; medians of "
             f"{len(runs['default'])} runs per variant, alternating. Same answers in every run: "
             f"{'yes' if same else 'NO'}.", "",
             "| variant | wall | CPU (Python + M2) | ratio wall | ratio CPU | load averages | "
             + " | ".join(steps) + " |", "|---" * (6 + len(steps)) + "|"]
    for name, row in table.items():
        ratios = [f"{row[k]:.2f}×" if k in row else "1" for k in ("ratio_wall", "ratio_cpu")]
        lines.append(f"| {name} | {row['wall']:.2f} s | {row['cpu']:.2f} s | {ratios[0]} | {ratios[1]} | "
                     f"{', '.join(map(str, row['loads']))} | "
                     + " | ".join(f"{row['steps'].get(k, 0.0):.2f}" for k in steps) + " |")
    default = table["default"]
    lines += ["", f"- **{'PASS' if default['wall'] < WALL_TARGET else 'MISS'}** default under {WALL_TARGET:g} s wall "
              f"(an idle machine is the target; loads above): {default['wall']:.2f} s, CPU {default['cpu']:.2f} s"]
    (out / "landscape_command.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
