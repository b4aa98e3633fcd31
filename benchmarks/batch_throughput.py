"""Throughput of ``neurom2 batch``: small ``dim`` sweeps and the published (2,…,2) sweep, on 1 and 2 local
workers and a Dask ``LocalCluster``, against the rates committed before issue 16.

    python benchmarks/batch_throughput.py [--every 10] [--scaling-every 40] [--no-dask] [--out benchmarks/results]
    python benchmarks/batch_throughput.py --only scaling [--scaling-every 40]   # 1 vs 2 workers only

Sweeps:

* ``sweep`` (:data:`SWEEP`): the 500-job sweep of the committed baseline (d0 ∈ {2,…,6}, two hidden layers
  of widths 2..6, one output, σ ∈ {x², x³}, without and with biases).
* ``small`` (:data:`SMALL`): 1,000 jobs of one or two hidden layers, d0 ≤ 5 (the sweep of issue 16).
* ``published``: the (2,…,2) architectures of Dao and Rodriguez with the dimensions they computed
  (:data:`PUBLISHED`, σ = x², no biases; every ``--every``-th row, all rows with ``--every 1``).  Every
  dimension is compared with theirs, and the time of the whole sweep is extrapolated from the rate.  A
  smaller sample of it (every ``--scaling-every``-th row) runs on 1 and on 2 workers: the scaling of a
  compute-bound sweep.  Dao and Rodriguez's (2,…,1) sweep of 12,907 architectures is not public as data
  (their repository has the code of the search, not its list), so it is not measured here.

Each configuration runs its sweep into a fresh store through :func:`neurom2.batch.run_batch`, exactly as
``neurom2 batch`` does.  The forkserver of the local pool is started once before the first measurement
(a command pays it once, about 0.3 s).  Reported per run: wall seconds of ``run_batch`` (worker start-up
included), jobs per second over that time, the steady rate ``(n − 1) / (last finished − first finished)``
from the store's timestamps, the mean seconds of a job inside its worker, and the rate of the same
configuration committed before issue 16 with the ratio.  The machine's load average is recorded at the
start and the end: on a shared machine the second worker only helps when a second core is free.

Results go to ``OUT/batch_throughput.json`` and ``OUT/batch_throughput.md``.  ``--only scaling`` runs only the
compute-bound sample of the published sweep on 1 and on 2 workers (meaningful on an otherwise idle machine) and
writes ``OUT/batch_scaling.json`` and ``OUT/batch_scaling.md``.
"""

from __future__ import annotations

import argparse
import csv
import datetime
import gzip
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from neurom2.batch import Job, Outcome, ResultStore, parse_jobs, run_batch
from neurom2.batch.execute import run_job

SWEEP = """
[[grid]]
task = "dim"
input = [2, 3, 4, 5, 6]
hidden = {min = 2, max = 6, depth = 2}
output = 1
activation = ["x^2", "x^3"]
bias = [false, true]
"""
SMALL = """
[[grid]]
task = "dim"
input = [2, 3, 4, 5]
hidden = {min = 1, max = 5, depth = 2}
output = [1, 2]
activation = ["x^2", "x^3"]
bias = [false, true]

[[grid]]
task = "dim"
input = [2, 3, 4, 5]
hidden = {min = 1, max = 25, depth = 1}
output = 1
activation = ["x^2", "x^3"]
"""
PUBLISHED = Path(__file__).resolve().parent / "data" / "published-sweep-2-2.csv.gz"
"""Dao and Rodriguez's (2,…,2) sweep: h, exponent, architecture, ..., dimension_computed (benchmarks/data/README.md)."""
BASELINE = {
    ("sweep", "local pool, 1 worker"): 54.7, ("sweep", "local pool, 2 workers"): 73.2,
    ("sweep", "Dask LocalCluster, 2 workers"): 38.1,
    ("small", "local pool, 1 worker"): 226.0, ("small", "local pool, 2 workers"): 228.0,
    ("published, scaling", "local pool, 1 worker"): 9.8, ("published, scaling", "local pool, 2 workers"): 10.4,
    ("published", "local pool, 2 workers"): 8.1,
}
"""Jobs per second before issue 16: the ``sweep`` rates committed in benchmarks/results/batch_throughput.json
(2026-11-27), the ``small`` rates as measured in issue 16 (1,000 jobs of one or two hidden layers, d0 ≤ 5), the
``published`` rates committed on 2026-12-07 (load average 2.4 to 3.3; the scaling sample was every 80th row)."""
PUBLISHED_BASELINE = 37.0
"""Issue 16: the published (2,…,1) sweep (12,907 deeper networks) ran at 37 jobs/s on 2 local workers."""


def published_rows() -> list[dict[str, str]]:
    with gzip.open(PUBLISHED, "rt", newline="") as handle:
        return list(csv.DictReader(handle))


def published(rows: list[dict[str, str]], every: int) -> tuple[list[Job], dict[str, int]]:
    """Every ``every``-th of the published ``rows`` as ``dim`` jobs (one per architecture), and their published
    dimensions by job key."""
    jobs: dict[str, Job] = {}
    expected: dict[str, int] = {}
    for row in rows[::every]:
        job = Job.create("dim", json.loads(row["architecture"]), f"x^{row['exponent']}")
        jobs.setdefault(job.key, job)
        expected[job.key] = int(row["dimension_computed"])
    return list(jobs.values()), expected


def measure(sweep: str, jobs: list[Job], label: str, expected: dict[str, int] | None = None,
            **backend: Any) -> dict[str, Any]:
    """Run ``jobs`` into a fresh store; the rates, and the dimensions that differ from ``expected``."""
    from run import load_average  # (not at the top: see main)

    load = load_average()
    with tempfile.TemporaryDirectory() as folder:
        store = Path(folder) / "results.sqlite"
        started = time.perf_counter()
        summary = run_batch(jobs, store, progress=False, **backend)
        wall = time.perf_counter() - started
        with ResultStore(store) as results:
            rows = list(results.rows())
    assert summary.ran["done"] == len(jobs) == len(rows), summary.to_json()
    finished = sorted(datetime.datetime.fromisoformat(row.finished) for row in rows)
    steady = (len(rows) - 1) / (finished[-1] - finished[0]).total_seconds()
    rate = len(jobs) / wall
    baseline = BASELINE.get((sweep, label))
    run = {
        "sweep": sweep, "backend": label, "jobs": len(jobs), "seconds": round(wall, 3), "jobs_per_second": round(rate, 1),
        "steady_jobs_per_second": round(steady, 1), "mean_job_seconds": round(statistics.mean(row.seconds for row in rows), 5),
        "baseline_jobs_per_second": baseline, "ratio": round(rate / baseline, 2) if baseline else None,
        "load_average_before": load,
    }
    if expected is not None:
        differ = [row.description["widths"] for row in rows if row.result["dim"] != expected[row.key]]
        run["dimensions_compared"], run["dimensions_differing"] = len(rows), differ
    print(json.dumps(run), file=sys.stderr)
    return run


def cpu_seconds_per_job(jobs: list[Job]) -> float:
    """CPU seconds per job of ``run_job`` in this process (one worker's work, without the scheduler): unlike the
    rates, hardly changed by other load on the machine."""
    started = time.process_time()
    for job in jobs:
        run_job(job.description)
    return (time.process_time() - started) / len(jobs)


def store_commit_seconds(jobs: list[Job], group: int) -> float:
    """Mean seconds per job of durable ``ResultStore.record_group`` commits of ``group`` outcomes each."""
    outcome = Outcome(status="done", result={"dim": 1}, error=None, seconds=0.0, started="", finished="", host="")
    count = 200 // group * group
    with tempfile.TemporaryDirectory() as folder, ResultStore(Path(folder) / "results.sqlite") as store:
        started = time.perf_counter()
        for start in range(0, count, group):
            store.record_group([(job, outcome) for job in jobs[start:start + group]])
        return (time.perf_counter() - started) / count


def dask_run(sweep: str, jobs: list[Job], workers: int) -> dict[str, Any] | None:
    try:
        from distributed import LocalCluster
    except ImportError:
        return None
    with LocalCluster(n_workers=workers, processes=True, threads_per_worker=1, dashboard_address=None) as cluster:
        measure(sweep, jobs[:20], "warm-up", scheduler=cluster.scheduler_address)  # the workers' imports
        return measure(sweep, jobs, f"Dask LocalCluster, {workers} workers", scheduler=cluster.scheduler_address)


def markdown(report: dict[str, Any]) -> str:
    lines = ["# neurom2 batch throughput", "", "Machine and code:", ""]
    lines += [f"- {key.replace('_', ' ')}: {value}" for key, value in report["machine"].items()]
    lines += ["", "Sweeps: `sweep` = the committed 500-job sweep (d0 ∈ {2,…,6}, two hidden layers of widths 2..6); "
              "`small` = 1,000 jobs of one or two hidden layers, d0 ≤ 5; `published` = Dao and Rodriguez's (2,…,2) "
              f"sweep, σ = x², every {report['every']}-th row (`published, scaling`: every {report['scaling_every']}-th "
              "row). Each run into a fresh store by `run_batch`, as `neurom2 batch` does. Rate = jobs / wall time "
              "including worker start-up; steady = (n − 1) / (last finished − first finished); baseline = the rate "
              "before issue 16 (committed `sweep` rates of 2026-11-27; `small` rates measured in issue 16; `published` "
              "rates committed on 2026-12-07 at load average 2.4 to 3.3).", "",
              "| sweep | backend | jobs | wall s | jobs/s | steady jobs/s | mean job s | baseline jobs/s | ratio | load before |",
              "|---|---|---|---|---|---|---|---|---|---|"]
    for run in report["runs"]:
        lines.append(f"| {run['sweep']} | {run['backend']} | {run['jobs']} | {run['seconds']} | {run['jobs_per_second']} "
                     f"| {run['steady_jobs_per_second']} | {run['mean_job_seconds']} | {run['baseline_jobs_per_second'] or '—'} "
                     f"| {run['ratio'] or '—'} | {run['load_average_before']} |")
    lines += ["", "Scaling, 2 local workers over 1 (jobs/s): "
              + "; ".join(f"{sweep}: **{ratio}**" for sweep, ratio in report["scaling"].items()) + ".", ""]
    lines += [_published_summary(report), "",
              f"Durable store commits (WAL, synchronous = FULL): {report['store_commit_ms']['1']} ms per job one "
              f"job per transaction, {report['store_commit_ms']['64']} ms per job in groups of 64: the store is "
              "not what limits these rates.", ""]
    return "\n".join(lines)


def _published_summary(report: dict[str, Any]) -> str:
    run = next(r for r in report["runs"] if r["sweep"] == "published")
    differ = run["dimensions_differing"]
    return (f"Published (2,…,2) sweep: {run['dimensions_compared']} of its {report['published_rows']} rows' architectures "
            f"computed at {run['jobs_per_second']} jobs/s on 2 local workers; "
            + ("every dimension equal to the published one" if not differ else f"{len(differ)} dimensions differ: {differ}")
            + f". At that rate the whole sweep ({report['published_architectures']} distinct architectures) takes about "
            f"{report['published_extrapolated_seconds']} s. A job of the scaling sample takes "
            f"{report['published_cpu_seconds_per_job']} CPU seconds in one process; its jobs rarely share a width-capped "
            f"network, while the whole sweep's {report['published_architectures']} jobs have "
            f"{report['published_shared_networks']} distinct ones, each ranked once (the jobs sharing one go to one "
            "worker). The (2,…,1) sweep of issue 16 (12,907 architectures, "
            f"{PUBLISHED_BASELINE:g} jobs/s there) is not public as data, so it is not measured.")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--every", type=int, default=10, help="run every N-th row of the published sweep (1: all)")
    parser.add_argument("--scaling-every", type=int, default=40, help="rows of the published sweep for 1 vs 2 workers")
    parser.add_argument("--no-dask", action="store_true", help="skip the Dask LocalCluster runs")
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent / "results")
    parser.add_argument("--only", choices=["scaling"], help="run only the 1 vs 2 workers sample of the published sweep")
    args = parser.parse_args(argv)
    # benchmarks/run.py imports sympy and the Macaulay2 drivers; imported here, not at the top, since every local
    # worker imports this script again as its __main__ (forkserver), which would add its import to each start-up.
    from run import load_average, machine_facts

    sweeps = {"sweep": parse_jobs(SWEEP, "sweep"), "small": parse_jobs(SMALL, "small")}
    rows = published_rows()
    scaling_jobs, scaling_dims = published(rows, args.scaling_every)
    published_jobs, published_dims = published(rows, args.every)
    machine = machine_facts()
    measure("warm-up", sweeps["small"][:20], "warm-up", workers=2)  # starts the forkserver, excluded
    if args.only == "scaling":
        return scaling_only(args, machine, scaling_jobs, scaling_dims)
    runs = []
    for sweep, jobs, dims in [*((sweep, jobs, None) for sweep, jobs in sweeps.items()),
                              ("published, scaling", scaling_jobs, scaling_dims)]:
        runs += [measure(sweep, jobs, f"local pool, {w} worker{'s' if w > 1 else ''}", dims, workers=w) for w in (1, 2)]
    runs.append(measure("published", published_jobs, "local pool, 2 workers", published_dims, workers=2))
    if not args.no_dask:
        runs += [run for sweep, jobs in sweeps.items() if (run := dask_run(sweep, jobs, 2))]
    machine["load_average_at_end"] = load_average()
    rate = {(r["sweep"], r["backend"]): r["jobs_per_second"] for r in runs}
    all_published = published(rows, 1)[0]
    report = {
        "machine": machine, "every": args.every, "scaling_every": args.scaling_every,
        "sweeps": {"sweep": SWEEP.strip(), "small": SMALL.strip()}, "runs": runs,
        "scaling": {sweep: round(rate[sweep, "local pool, 2 workers"] / rate[sweep, "local pool, 1 worker"], 2)
                    for sweep in ("sweep", "small", "published, scaling")},
        "published_rows": len(rows),
        "published_architectures": len(all_published),
        "published_extrapolated_seconds": round(len(all_published) / rate["published", "local pool, 2 workers"]),
        "published_shared_networks": len({job.shared_work() for job in all_published}),
        "published_cpu_seconds_per_job": round(cpu_seconds_per_job(scaling_jobs), 4),
        "store_commit_ms": {str(group): round(1000 * store_commit_seconds(sweeps["small"], group), 3) for group in (1, 64)},
    }
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "batch_throughput.json").write_text(json.dumps(report, indent=2) + "\n")
    (args.out / "batch_throughput.md").write_text(markdown(report))
    print(markdown(report))
    return 0


def scaling_only(args: argparse.Namespace, machine: dict[str, Any], jobs: list[Job], dims: dict[str, int]) -> int:
    """``--only scaling``: the published sample on 1 and on 2 workers, written to OUT/batch_scaling.*."""
    from run import load_average

    runs = [measure("published, scaling", jobs, f"local pool, {w} worker{'s' if w > 1 else ''}", dims, workers=w)
            for w in (1, 2)]
    machine["load_average_at_end"] = load_average()
    ratio = round(runs[1]["jobs_per_second"] / runs[0]["jobs_per_second"], 2)
    report = {"machine": machine, "scaling_every": args.scaling_every, "runs": runs, "scaling": ratio}
    differ = [width for run in runs for width in run["dimensions_differing"]]
    lines = ["# neurom2 batch scaling: 2 local workers over 1", ""]
    lines += [f"- {key.replace('_', ' ')}: {value}" for key, value in machine.items()]
    lines += ["", f"Every {args.scaling_every}-th row of the published (2,…,2) sweep ({len(jobs)} `dim` jobs, σ = x²), "
              "each run into a fresh store by `run_batch`. Meaningful only on an otherwise idle machine.", "",
              "| backend | jobs | wall s | jobs/s | steady jobs/s | mean job s | load before |", "|---|---|---|---|---|---|---|"]
    lines += [f"| {run['backend']} | {run['jobs']} | {run['seconds']} | {run['jobs_per_second']} | "
              f"{run['steady_jobs_per_second']} | {run['mean_job_seconds']} | {run['load_average_before']} |" for run in runs]
    lines += ["", f"2 workers over 1: **{ratio}**; "
              + ("every dimension equal to the published one." if not differ else f"dimensions differing: {differ}."), ""]
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "batch_scaling.json").write_text(json.dumps(report, indent=2) + "\n")
    (args.out / "batch_scaling.md").write_text("\n".join(lines))
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
