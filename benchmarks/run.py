"""neurom2's benchmark suite: one command, a Markdown table per section, PASS/MISS per target.

    python benchmarks/run.py [--quick] [--timeout 120] [--out benchmarks/results]

Sections:

1. **Implicit equations against plain elimination.**  neurom2's ``implicitize`` (strategy ``auto``, on a
   warm Macaulay2 session, with and without verification) against ``eliminate`` over QQ on the graph
   ideal of the expanded parametrization (:mod:`baseline`, in its own M2 process, startup excluded,
   with a timeout).  When both finish, Macaulay2 decides whether the two ideals are equal.
2. **Dimensions of published architectures** against the CPU times of the published Macaulay2
   dimension code (Jacobian rank over two primes, greedy sample selection), measured earlier on this
   machine; they are fixed reference numbers, not re-run here.
3. **A dimension sweep** over every architecture with d0 ∈ {2,3}, dL = 1, σ = x^r with r ∈ {2,3},
   1 to 3 hidden layers of widths 1..4, without and with biases.

Times are wall-clock seconds (``time.perf_counter`` in Python, ``elapsedTiming`` inside M2).  Peak
memory is the peak resident set size (VmHWM) of a process during one case, reset before the case
through ``/proc/PID/clear_refs`` (it includes what the process already held).  Results go to
``OUT/results.json`` and ``OUT/results.md``.
"""

from __future__ import annotations

import argparse
import datetime
import itertools
import json
import math
import multiprocessing
import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

import flint
import numpy
import sympy
from baseline import cpu_seconds_of, m2_pid, peak_rss_kib, reset_peak_rss, run_baseline, same_ideal

import neurom2
from neurom2 import Architecture, implicitize
from neurom2.m2 import codegen
from neurom2.m2.session import Macaulay2Session
from neurom2.variety.dimension import dimension

REPO = Path(__file__).resolve().parents[1]

IMPLICIT_CASES: list[tuple[str, str]] = [
    ("2,2,1", "x^2"), ("2,2,1", "x^3"), ("2,2,1", "x^4"),
    ("3,2,1", "x^2"), ("3,2,1", "x^3"),
    ("3,2,2", "x^2"),
    ("2,2,2,1", "x^2"),
    ("3,3,1", "x^3"),
    ("2,2,2", "x^3"),
    ("3,2,3", "x"), ("4,2,4", "x"), ("5,2,5", "x"),
    ("2,3,1", "x^8"), ("3,2,2,1", "x^2"), ("3,2,1", "x^4"), ("3,2,1", "x^5"),
]
QUICK_IMPLICIT = [("2,2,1", "x^2"), ("2,2,1", "x^3"), ("2,2,1", "x^4"), ("3,2,1", "x^2"), ("3,2,1", "x^3"),
                  ("3,2,3", "x"), ("4,2,4", "x"), ("2,2,2,1", "x^2"), ("3,3,1", "x^3"), ("2,3,1", "x^8"),
                  ("3,2,2,1", "x^2")]
COMPLETE_UNDER_10S = [("2,2,2,1", "x^2"), ("3,3,1", "x^3"), ("2,3,1", "x^8"), ("3,2,2,1", "x^2"), ("3,2,1", "x^4"),
                      ("3,2,1", "x^5")]
"""Cases that neurom2 must answer completely, or with the exact reason why not, in under 10 s."""
CLASSICAL_DEGREES: dict[tuple[str, str], tuple[int, str]] = {
    ("2,3,1", "x^8"): (20, "third secant variety of the rational normal octic: binom(6, 3)"),
    ("3,2,1", "x^4"): (75, "secant variety of the Veronese surface v_4: (d^4 - 10d^2 + 15d - 6)/2 at d = 4"),
    ("3,2,1", "x^5"): (222, "secant variety of the Veronese surface v_5: (d^4 - 10d^2 + 15d - 6)/2 at d = 5"),
    ("3,3,1", "x^3"): (4, "the Aronhold invariant of ternary cubics"),
}
"""Degrees known from the literature, an independent check of the degrees neurom2 proves."""

REFERENCE = "reference (published M2 code, measured earlier)"
PUBLISHED_CASES: list[tuple[str, str, float, bool]] = [
    # widths, σ, reference CPU seconds of the published Macaulay2 dimension code, whether it finished
    ("2,3,4,5,4,6,4,1", "x^2", 3.6, True),
    ("2,3,4,5,4,8,8,4,1", "x^2", 45.0, True),
    ("3,5,9,10,4,1", "x^2", 87.0, True),
    ("2,2,7,6,15,8,1", "x^3", 300.0, False),
]
ABSOLUTE_CASES: list[tuple[str, str, float]] = [
    ("2,3,4,4,10,17,11,12,4,2", "x^2", 2.0),
    ("3,8,15,46,39,23,13,1", "x^2", 60.0),
]
QUICK_SKIPS = {"3,8,15,46,39,23,13,1"}

SPEEDUP_TARGET = 3.0
NONLINEAR_SPEEDUP_TARGET = 5.0
"""Over the non-linear cases (σ of degree > 1) alone: linear networks are solved by a theorem (determinantal)."""
SLOWER_LIMIT = 0.005
"""No case may take more than this many seconds longer than plain elimination."""
PUBLISHED_SPEEDUP_TARGET = 200.0
SWEEP_MEDIAN_TARGET = 0.05
SUBSTANTIAL_SECONDS = 0.1
"""Supplementary speed-up statistic over the cases where elimination takes at least this long."""
REPEATS_BELOW = 2.0
"""Calls faster than this many seconds are repeated and the median is reported (the baseline's too)."""
REPEATS = 5
"""Runs of such a call (the machine is shared: a median of several damps other jobs' load)."""


# ---------------------------------------------------------------------------------------------- helpers

def timed(call: Callable[[], Any]) -> tuple[float, float, Any]:
    """(wall seconds, CPU seconds of this process, result) of one call."""
    cpu, wall = time.process_time(), time.perf_counter()
    result = call()
    return time.perf_counter() - wall, time.process_time() - cpu, result


def median_timed(call: Callable[[], Any]) -> tuple[float, float, Any, int]:
    """Like :func:`timed`, repeated :data:`REPEATS` times (median) when the first call is quick."""
    first = timed(call)
    if first[0] >= REPEATS_BELOW:
        return (*first, 1)
    runs = [first] + [timed(call) for _ in range(REPEATS - 1)]
    runs.sort(key=lambda run: run[0])
    return (*runs[REPEATS // 2], REPEATS)


def geometric_mean(values: Sequence[float]) -> float | None:
    return math.exp(sum(math.log(v) for v in values) / len(values)) if values else None


def seconds(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:.3g} s" if value < 10 else f"{value:.1f} s"


def mib(kib: int | None) -> str:
    return "—" if kib is None else f"{kib / 1024:.0f} MiB"


def ratio_text(value: float | None, lower_bound: bool = False) -> str:
    if value is None:
        return "—"
    return ("> " if lower_bound else "") + (f"{value:.0f}×" if value >= 100 else f"{value:.3g}×")


def describe_ideal(dim: int | None, degree: int | None, generator_degrees: Sequence[int]) -> str:
    """E.g. ``dim 6, degree 15, 20 gens of degree 3`` or ``zero ideal (fills), dim 4``."""
    if not generator_degrees:
        return f"zero ideal (fills), dim {dim}"
    counts = sorted((d, list(generator_degrees).count(d)) for d in set(generator_degrees))
    gens = " + ".join(f"{n}×deg {d}" for d, n in counts)
    return f"dim {dim}, degree {degree if degree is not None else '?'}, gens {gens}"


def markdown_table(header: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def target(name: str, measured: str, passed: bool | None) -> dict[str, Any]:
    """One target's verdict; ``passed`` None means the case was not run (``--quick``)."""
    verdict = "NOT RUN" if passed is None else ("PASS" if passed else "MISS")
    return {"target": name, "measured": measured, "result": verdict}


def target_lines(targets: Sequence[dict[str, Any]]) -> str:
    return "\n".join(f"- **{t['result']}** {t['target']}: {t['measured']}" for t in targets)


class PeakMemory:
    """Peak RSS of this Python process and of an M2 session's process during a block (VmHWM, reset first)."""

    def __init__(self, session: Macaulay2Session | None = None) -> None:
        self.session = session

    def __enter__(self) -> PeakMemory:
        reset_peak_rss("self")
        if self.session is not None:
            reset_peak_rss(m2_pid(self.session))
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.python_kib = peak_rss_kib("self")
        self.m2_kib = peak_rss_kib(m2_pid(self.session)) if self.session is not None else None


def load_average() -> str:
    return " / ".join(f"{x:.2f}" for x in os.getloadavg())


def machine_facts() -> dict[str, Any]:
    """The machine and the code measured, taken before the run (others may commit meanwhile)."""
    def git(*args: str) -> str:
        try:
            return subprocess.run(["git", "-C", str(REPO), *args], capture_output=True, text=True, check=True).stdout.strip()
        except (OSError, subprocess.CalledProcessError):
            return ""

    model = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                  if line.startswith("model name")), platform.processor())
    with open("/proc/meminfo") as meminfo:
        memory = int(meminfo.readline().split()[1])
    commit = git("rev-parse", "HEAD")
    dirty = git("status", "--porcelain", "--", "src", "m2scripts")  # untracked files there count too
    return {
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "cpu_model": model,
        "cores": os.cpu_count(),
        "memory_gib": round(memory / 2**20, 1),
        "os": platform.platform(),
        "python": platform.python_version(),
        "neurom2_version": neurom2.__version__,
        "neurom2_commit": commit + (" + uncommitted: " + ", ".join(line.strip() for line in dirty.splitlines()) if dirty else ""),
        "load_average_at_start": load_average(),
        "numpy": numpy.__version__,
        "sympy": sympy.__version__,
        "python_flint": flint.__version__,
    }


# ------------------------------------------------------------------------------- 1. implicit vs baseline

def implicit_case(widths: str, activation: str, ours: Macaulay2Session, base: Macaulay2Session, timeout: float) -> dict[str, Any]:
    def call(verify: bool):
        return lambda: implicitize(Architecture.create(widths, activation), session=ours, verify=verify)

    with PeakMemory(ours) as memory:
        first_wall = timed(call(True))[0]  # the first call for this network: no data of an earlier identical call
        cpu_before = time.process_time() + cpu_seconds_of(m2_pid(ours))
        wall, cpu, variety, runs = median_timed(call(True))
        cpu_per_run = (time.process_time() + cpu_seconds_of(m2_pid(ours)) - cpu_before) / runs
    wall_fast, _, _, _ = median_timed(call(False))
    arch = variety.architecture
    baseline = run_baseline(base, arch, timeout, repeats_below=REPEATS_BELOW, repeats=REPEATS)
    agreement = None
    if baseline.finished:
        agreement = "identical" if same_ideal(base, variety.equations) else "DIFFERENT"
    return {
        "widths": list(arch.widths),
        "activation": activation,
        "ambient_dim": variety.space.dim,
        "n_params": arch.n_params,
        "neurom2": {
            "seconds": wall,
            "cpu_seconds": cpu,
            "seconds_first_call": first_wall,
            "cpu_seconds_with_m2": cpu_per_run,
            "seconds_no_verify": wall_fast,
            "runs": runs,
            "strategy": variety.strategy,
            "complete": variety.complete,
            "up_to_degree": variety.up_to_degree,
            "dim": variety.dim,
            "degree": variety.degree,
            "generator_degrees": sorted(variety.equation_degrees),
            "timings": variety.timings,
            "proof": variety.proof,
            "peak_rss_m2_kib": memory.m2_kib,
            "peak_rss_python_kib": memory.python_kib,
        },
        "baseline": asdict(baseline),
        "timeout": timeout,
        "agreement": agreement,
        "ratio": baseline.seconds / wall if baseline.finished else None,
        "ratio_no_verify": baseline.seconds / wall_fast if baseline.finished else None,
        "ratio_cpu": baseline.cpu_seconds / max(cpu_per_run, 1e-6) if baseline.cpu_seconds else None,
    }


def implicit_section(cases: Sequence[tuple[str, str]], timeout: float) -> dict[str, Any]:
    ours, base = Macaulay2Session(), Macaulay2Session()
    ours.load_package(codegen.package_file())
    for warm in (("2,2,1", "x^4"), ("2,1,2", "x")):  # untimed: the interpolation and elimination paths
        implicitize(Architecture.create(*warm), session=ours)
    rows = []
    for widths, activation in cases:
        rows.append(implicit_case(widths, activation, ours, base, timeout))
        _progress(f"implicit ({widths}) {activation}: neurom2 {seconds(rows[-1]['neurom2']['seconds'])}, "
                  f"baseline {seconds(rows[-1]['baseline']['seconds'])}")
    version = ours.version
    ours.close()
    base.close()

    finished = [row for row in rows if row["baseline"]["finished"]]
    mean = geometric_mean([row["ratio"] for row in finished])
    mean_fast = geometric_mean([row["ratio_no_verify"] for row in finished])
    substantial = [row["ratio"] for row in finished if row["baseline"]["seconds"] >= SUBSTANTIAL_SECONDS]
    identical = [row for row in finished if row["agreement"] == "identical"]
    targets = [target(
        f"geometric mean speed-up ≥ {SPEEDUP_TARGET:g}× over the {len(finished)} cases plain elimination finishes "
        "(neurom2 with verification), with identical ideals",
        f"{ratio_text(mean)} (without verification {ratio_text(mean_fast)}); identical ideals in "
        f"{len(identical)}/{len(finished)}; slowest relative cases: "
        + ", ".join(f"{_name(r)} {ratio_text(r['ratio'])}" for r in sorted(finished, key=lambda r: r["ratio"])[:3])
        + f"; for information, over the {len(substantial)} cases where elimination takes ≥ {SUBSTANTIAL_SECONDS:g} s: "
        f"{ratio_text(geometric_mean(substantial))}",
        mean is not None and mean >= SPEEDUP_TARGET and len(identical) == len(finished),
    )]
    nonlinear = [row for row in finished if not _linear(row)]
    mean_nonlinear = geometric_mean([row["ratio"] for row in nonlinear])
    targets.append(target(
        f"geometric mean speed-up ≥ {NONLINEAR_SPEEDUP_TARGET:g}× over the {len(nonlinear)} non-linear cases plain "
        "elimination finishes (neurom2 with verification), with identical ideals",
        f"{ratio_text(mean_nonlinear)} (without verification "
        f"{ratio_text(geometric_mean([row['ratio_no_verify'] for row in nonlinear]))}; by CPU time, neurom2's Python "
        f"and Macaulay2 processes together, mean of the runs: "
        f"{ratio_text(geometric_mean([row['ratio_cpu'] for row in nonlinear if row['ratio_cpu']]))})",
        mean_nonlinear is not None and mean_nonlinear >= NONLINEAR_SPEEDUP_TARGET
        and all(row["agreement"] == "identical" for row in nonlinear),
    ))
    slowest = min(finished, key=lambda row: row["ratio"], default=None)
    targets.append(target(
        "no case slower than plain elimination (ratio ≥ 1)",
        "smallest ratio " + (f"{ratio_text(slowest['ratio'])} ({_name(slowest)})" if slowest else "—"),
        slowest is None or slowest["ratio"] >= 1,
    ))
    excess = [(row["neurom2"]["seconds"] - row["baseline"]["seconds"], row) for row in finished]
    worst = max(excess, key=lambda pair: pair[0], default=None)
    targets.append(target(
        f"no case more than {SLOWER_LIMIT * 1000:g} ms slower than plain elimination",
        "largest excess " + (f"{worst[0] * 1000:+.1f} ms ({_name(worst[1])})" if worst else "—"),
        worst is None or worst[0] <= SLOWER_LIMIT,
    ))
    for widths, activation in COMPLETE_UNDER_10S:
        row = _find(rows, widths, activation)
        name = f"({widths}) {activation} answered completely, or with the exact reason why not, in < 10 s"
        if row is None:
            targets.append(target(name, "not in this run", None))
            continue
        ours_row = row["neurom2"]
        answer = "complete" if ours_row["complete"] else f"not complete: {ours_row['proof']}"
        targets.append(target(
            name, f"{seconds(ours_row['seconds'])}, strategy {ours_row['strategy']}, {answer}",
            ours_row["seconds"] < 10))
    for (widths, activation), (degree, source) in CLASSICAL_DEGREES.items():
        row = _find(rows, widths, activation)
        if row is not None:
            found = row["neurom2"]["degree"]
            targets.append(target(f"({widths}) {activation}: the proved degree agrees with the literature",
                                  f"neurom2 {found}, {source} = {degree}", found == degree))
    return {"cases": rows, "geometric_mean_ratio": mean, "geometric_mean_ratio_no_verify": mean_fast,
            "geometric_mean_ratio_nonlinear": mean_nonlinear,
            "geometric_mean_ratio_baseline_over_0_1_s": geometric_mean(substantial),
            "targets": targets, "m2_version": version}


def _linear(row: dict[str, Any]) -> bool:
    """Whether the case's network is linear (σ of degree 1: a determinantal variety, solved by a theorem)."""
    return Architecture.create(",".join(map(str, row["widths"])), row["activation"]).monomial_degree == 1


def implicit_markdown(section: dict[str, Any]) -> str:
    rows = []
    for row in section["cases"]:
        ours, base = row["neurom2"], row["baseline"]
        answer = describe_ideal(ours["dim"], ours["degree"], ours["generator_degrees"])
        answer += " (complete)" if ours["complete"] else f" (only up to degree {ours['up_to_degree']})"
        base_answer = (describe_ideal(base["dim"], base["degree"], base["generator_degrees"]) if base["finished"]
                       else f"did not finish (> {row['timeout']:g} s)")
        rows.append([
            _name(row), row["ambient_dim"],
            seconds(base["seconds"]), base_answer,
            seconds(ours["seconds"]), seconds(ours["seconds_first_call"]), seconds(ours["seconds_no_verify"]),
            ours["strategy"], answer,
            ratio_text(row["ratio"]), ratio_text(row["ratio_no_verify"]), ratio_text(row["ratio_cpu"]),
            row["agreement"] or "— (baseline did not finish)",
            mib(base["peak_rss_kib"]), mib(ours["peak_rss_m2_kib"]), mib(ours["peak_rss_python_kib"]),
        ])
    header = ["case", "dim V", "baseline time", "baseline answer", "neurom2 time", "neurom2 first call", "neurom2 no-verify",
              "strategy", "neurom2 answer", "ratio", "ratio no-verify", "ratio by CPU", "agreement", "peak M2 (baseline)",
              "peak M2 (neurom2)", "peak Python"]
    return markdown_table(header, rows)


# ---------------------------------------------------------------------------- 2. published dimensions

def dimension_case(widths: str, activation: str) -> dict[str, Any]:
    arch = Architecture.create(widths, activation)
    with PeakMemory() as memory:
        wall, cpu, dim, runs = median_timed(lambda: dimension(arch, seed=0))
    return {
        "widths": list(arch.widths), "activation": activation, "ambient_dim": dim.space.dim,
        "n_params": arch.n_params, "dim": dim.dim, "expected_dim": dim.expected_dim, "proved": dim.proved,
        "error_bound": dim.error_bound, "seconds": wall, "cpu_seconds": cpu, "runs": runs,
        "peak_rss_python_kib": memory.python_kib,
    }


def dimension_section(quick: bool) -> dict[str, Any]:
    dimension(Architecture.create("2,2,1", "x^2"), seed=0)  # untimed warm-up
    published, absolute, targets = [], [], []
    for widths, activation, reference, finished in PUBLISHED_CASES:
        row = dimension_case(widths, activation)
        row.update(reference_cpu_seconds=reference, reference_finished=finished,
                   ratio=reference / row["seconds"], ratio_cpu=reference / max(row["cpu_seconds"], 1e-9),
                   ratio_is_lower_bound=not finished)
        published.append(row)
        _progress(f"dimension ({widths}) {activation}: {seconds(row['seconds'])}")
        targets.append(target(
            f"({widths}) {activation} ≥ {PUBLISHED_SPEEDUP_TARGET:g}× faster than the {REFERENCE}",
            f"{seconds(row['seconds'])} vs {'>' if not finished else ''}{reference:g} s: "
            f"{ratio_text(row['ratio'], not finished)}",
            row["ratio"] >= PUBLISHED_SPEEDUP_TARGET,
        ))
    for widths, activation, limit in ABSOLUTE_CASES:
        name = f"({widths}) {activation} in < {limit:g} s"
        if quick and widths in QUICK_SKIPS:
            targets.append(target(name, "skipped by --quick", None))
            continue
        row = dimension_case(widths, activation)
        row["limit_seconds"] = limit
        absolute.append(row)
        _progress(f"dimension ({widths}) {activation}: {seconds(row['seconds'])}")
        targets.append(target(name, f"{seconds(row['seconds'])} (dim {row['dim']} of {row['ambient_dim']}, "
                                    f"{row['n_params']} weights)", row["seconds"] < limit))
    return {"published": published, "absolute": absolute, "targets": targets}


def dimension_markdown(section: dict[str, Any]) -> str:
    def common(row):
        return [_name(row), row["ambient_dim"], row["n_params"], f"{row['dim']} ({row['expected_dim']})",
                "proved" if row["proved"] else f"probable (error ≤ {row['error_bound']:.1e})",
                seconds(row["seconds"]), seconds(row["cpu_seconds"]), mib(row["peak_rss_python_kib"])]

    head = ["case", "dim V", "weights", "dim (expected)", "status", "neurom2 wall", "neurom2 CPU", "peak Python"]
    published = markdown_table(
        head + [f"{REFERENCE}, CPU", "ratio (reference / neurom2 wall)", "ratio by CPU"],
        [common(r) + [("> " if r["ratio_is_lower_bound"] else "") + f"{r['reference_cpu_seconds']:g} s"
                      + ("" if r["reference_finished"] else " (did not finish)"),
                      ratio_text(r["ratio"], r["ratio_is_lower_bound"]),
                      ratio_text(r["ratio_cpu"], r["ratio_is_lower_bound"])] for r in section["published"]],
    )
    absolute = markdown_table(head + ["limit"], [common(r) + [f"{r['limit_seconds']:g} s"] for r in section["absolute"]])
    return published + "\n\nAbsolute targets:\n\n" + absolute


# ------------------------------------------------------------------------------------- 3. the sweep

def sweep_architectures(quick: bool) -> list[Architecture]:
    """d0 ∈ {2,3}, dL = 1, σ = x^r (r ∈ {2,3}), 1–3 hidden layers of widths 1..4, no bias then bias.

    ``quick``: every seventh of them.
    """
    archs = [
        Architecture((d0, *hidden, 1), f"x^{r}", bias)
        for bias in (False, True)
        for d0 in (2, 3)
        for r in (2, 3)
        for depth in (2, 3, 4)
        for hidden in itertools.product(range(1, 5), repeat=depth - 1)
    ]
    return archs[::7] if quick else archs


def _sweep_one(arch: Architecture) -> tuple[float, int, bool]:
    wall, _, dim = timed(lambda: dimension(arch, seed=0))
    return wall, dim.dim, dim.proved


def sweep_section(quick: bool) -> dict[str, Any]:
    archs = sweep_architectures(quick)
    dimension(Architecture.create("2,2,1", "x^2"), seed=0)  # untimed warm-up
    started = time.perf_counter()
    results = [_sweep_one(arch) for arch in archs]
    sequential_wall = time.perf_counter() - started
    with multiprocessing.get_context("fork").Pool(2) as pool:  # the same sweep on both cores
        pool.map(_sweep_one, archs[:4])
        started = time.perf_counter()
        pool.map(_sweep_one, archs, chunksize=4)
        parallel_wall = time.perf_counter() - started
    rows = [{"widths": list(a.widths), "activation": str(a.activation), "bias": a.bias, "seconds": t,
             "dim": d, "proved": p} for a, (t, d, p) in zip(archs, results)]

    def stats(selected: list[dict[str, Any]]) -> dict[str, Any]:
        times = [row["seconds"] for row in selected]
        return {"architectures": len(times), "median": statistics.median(times), "mean": statistics.fmean(times),
                "max": max(times), "total": sum(times), "proved": sum(row["proved"] for row in selected)}

    groups = {"all": stats(rows)}
    for bias in (False, True):
        for depth in (2, 3, 4):
            selected = [r for r in rows if r["bias"] == bias and len(r["widths"]) - 1 == depth]
            if selected:
                groups[f"{'bias' if bias else 'no bias'}, depth {depth}"] = stats(selected)
    median = groups["all"]["median"]
    targets = [target(
        f"dimension sweep median < {SWEEP_MEDIAN_TARGET:g} s per architecture",
        f"median {seconds(median)}, max {seconds(groups['all']['max'])} over {len(rows)} architectures "
        f"(sequential); on 2 processes {seconds(parallel_wall / len(rows))} wall per architecture",
        median < SWEEP_MEDIAN_TARGET,
    )]
    slowest = sorted(rows, key=lambda row: -row["seconds"])[:5]
    return {"groups": groups, "sequential_wall": sequential_wall, "parallel_wall_2_processes": parallel_wall,
            "slowest": slowest, "architectures": rows, "targets": targets}


def sweep_markdown(section: dict[str, Any]) -> str:
    table = markdown_table(
        ["architectures", "count", "median", "mean", "max", "total", "dimension proved"],
        [[name, g["architectures"], seconds(g["median"]), seconds(g["mean"]), seconds(g["max"]), seconds(g["total"]),
          f"{g['proved']}/{g['architectures']}"] for name, g in section["groups"].items()],
    )
    n = section["groups"]["all"]["architectures"]
    slowest = ", ".join(f"{_name(r)}{' bias' if r['bias'] else ''} {seconds(r['seconds'])}" for r in section["slowest"])
    return (f"{table}\n\nWhole sweep: {seconds(section['sequential_wall'])} sequentially (one process), "
            f"{seconds(section['parallel_wall_2_processes'])} on 2 processes "
            f"({seconds(section['parallel_wall_2_processes'] / n)} per architecture).  Slowest: {slowest}.")


# ---------------------------------------------------------------------------------------------- main

def _find(rows: Sequence[dict[str, Any]], widths: str, activation: str) -> dict[str, Any] | None:
    return next((r for r in rows if r["widths"] == [int(w) for w in widths.split(",")] and r["activation"] == activation), None)


def _name(row: dict[str, Any]) -> str:
    return f"({','.join(map(str, row['widths']))}) {row['activation']}"


def _progress(message: str) -> None:
    print(f"  … {message}", file=sys.stderr, flush=True)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="a reduced set, for a smoke test (well under a minute)")
    parser.add_argument("--timeout", type=float, default=None,
                        help="seconds for each baseline elimination (default 120; 3 with --quick)")
    parser.add_argument("--out", type=Path, default=REPO / "benchmarks" / "results", help="directory for results.{json,md}")
    args = parser.parse_args(argv)
    timeout = args.timeout if args.timeout is not None else (3.0 if args.quick else 120.0)
    started, facts = time.perf_counter(), machine_facts()

    implicit = implicit_section(QUICK_IMPLICIT if args.quick else IMPLICIT_CASES, timeout)
    facts["macaulay2"] = implicit.pop("m2_version")
    dims = dimension_section(args.quick)
    sweep = sweep_section(args.quick)
    total = time.perf_counter() - started

    sections = [
        ("1. Implicit equations: neurom2 against plain `eliminate` over QQ", implicit_markdown(implicit), implicit,
         "Baseline: `eliminate(weights, graph ideal)` of the expanded parametrization in QQ[weights, coordinates], "
         f"timed inside one Macaulay2 process (startup excluded), timeout {timeout:g} s. neurom2: "
         f"`implicitize(arch, strategy=\"auto\")` on a warm session, wall time (median of {REPEATS} when under "
         f"{REPEATS_BELOW:g} s), with its default verification and without. The baseline is also the median of {REPEATS} "
         f"runs when under {REPEATS_BELOW:g} s. Ratio = baseline / neurom2. \"First call\": one run before those, the "
         "first for this network in the session (the repeated runs reuse the linear section Macaulay2 keeps from the "
         "previous identical call). Ratio by CPU: the baseline's CPU time in Macaulay2 over neurom2's CPU time per run (its "
         "Python process and its Macaulay2 session together, from /proc in 10 ms ticks, mean of the repeated runs), less "
         "sensitive to other load on a shared machine. Agreement: equality of the two ideals decided by Macaulay2."),
        ("2. Dimensions: neurom2 against the published Macaulay2 dimension code", dimension_markdown(dims), dims,
         f"The {REFERENCE} are CPU times of the published code (Jacobian rank over two primes, greedy sample "
         "selection) on this machine; they are not re-run. neurom2: `neurom2.dimension.dimension` (Jacobian rank by "
         "backpropagation modulo two primes), wall time, median of 3 when under "
         f"{REPEATS_BELOW:g} s. Ratio = reference / neurom2 wall time, on which PASS/MISS is decided; the ratio "
         "by neurom2's CPU time (the reference is a CPU time) is shown too, it is less sensitive to other load."),
        ("3. Dimension sweep", sweep_markdown(sweep), sweep,
         "Every architecture with d0 ∈ {2,3}, dL = 1, σ = x^r (r ∈ {2,3}), 1 to 3 hidden layers of widths 1..4, "
         "without and with biases" + (" (every seventh, --quick)" if args.quick else "")
         + "; one `dimension` call each, timed sequentially in one process."),
    ]
    targets = implicit["targets"] + dims["targets"] + sweep["targets"]
    facts.update(load_average_at_end=load_average(), run_seconds=round(total, 1), quick=args.quick,
                 baseline_timeout=timeout)

    markdown = [f"# neurom2 benchmarks{' (--quick)' if args.quick else ''}", "",
                "Machine and code:", ""] + [f"- {k.replace('_', ' ')}: {v}" for k, v in facts.items()] + [""]
    for title, table, section, note in sections:
        markdown += [f"## {title}", "", note, "", table, "", target_lines(section["targets"]), ""]
    markdown += ["## Targets", "", target_lines(targets), ""]
    text = "\n".join(markdown)
    print(text)

    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "results.md").write_text(text)
    data = {"machine": facts, "implicit": implicit, "dimension": dims, "sweep": sweep, "targets": targets}
    (args.out / "results.json").write_text(json.dumps(data, indent=1, default=str) + "\n")
    print(f"\nwritten: {args.out / 'results.md'}, {args.out / 'results.json'} ({total:.0f} s)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
