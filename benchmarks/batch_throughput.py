"""Throughput of ``neurom2 batch``: a 500-job ``dim`` sweep on the local pool with 1 and 2 workers.

    python benchmarks/batch_throughput.py [--workers 1 2] [--no-dask] [--out benchmarks/results]

The sweep (:data:`SWEEP`): d0 ∈ {2,…,6}, two hidden layers of widths 2..6, one output, σ ∈ {x², x³},
without and with biases: 5 · 25 · 2 · 2 = 500 jobs, a few milliseconds each.  Each configuration runs
the whole sweep into a fresh store through :func:`neurom2.batch.run_batch`, exactly as ``neurom2 batch``
does (one SQLite transaction, fsync'd, per job).

Reported per configuration: wall seconds from the call to its return (worker start-up included), jobs
per second over that time, the steady rate ``(n − 1) / (last finished − first finished)`` from the
store's timestamps (start-up excluded), and the mean seconds of a job inside its worker.  The scaling
ratio is the 2-worker rate over the 1-worker rate.  With ``distributed`` installed, the same sweep also
runs on a ``LocalCluster`` of 2 single-threaded worker processes (cluster start-up excluded).  The
store's own cost per job (a durable commit) is measured separately: it bounds the rate of any backend.

Results go to ``OUT/batch_throughput.json`` and ``OUT/batch_throughput.md``.
"""

from __future__ import annotations

import argparse
import datetime
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from run import load_average, machine_facts

from neurom2.batch import Outcome, ResultStore, parse_jobs, run_batch

SWEEP = """
[[grid]]
task = "dim"
input = [2, 3, 4, 5, 6]
hidden = {min = 2, max = 6, depth = 2}
output = 1
activation = ["x^2", "x^3"]
bias = [false, true]
"""


def measure(jobs: list, label: str, **backend: Any) -> dict[str, Any]:
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
    return {
        "backend": label, "jobs": len(jobs), "seconds": round(wall, 3), "jobs_per_second": round(len(jobs) / wall, 1),
        "steady_jobs_per_second": round(steady, 1),
        "mean_job_seconds": round(statistics.mean(row.seconds for row in rows), 5),
    }


def store_commit_seconds(jobs: list, count: int = 200) -> float:
    """Mean seconds of one durable ``ResultStore.record`` (the scheduler's cost per job)."""
    outcome = Outcome("done", {"dim": 1}, None, 0.0, "", "", "")
    with tempfile.TemporaryDirectory() as folder, ResultStore(Path(folder) / "results.sqlite") as store:
        started = time.perf_counter()
        for job in jobs[:count]:
            store.record(job, outcome)
        return (time.perf_counter() - started) / min(count, len(jobs))


def dask_run(jobs: list, workers: int) -> dict[str, Any] | None:
    try:
        from distributed import LocalCluster
    except ImportError:
        return None
    with LocalCluster(n_workers=workers, processes=True, threads_per_worker=1, dashboard_address=None) as cluster:
        return measure(jobs, f"Dask LocalCluster, {workers} workers", scheduler=cluster.scheduler_address)


def markdown(report: dict[str, Any]) -> str:
    lines = ["# neurom2 batch throughput", "", "Machine and code:", ""]
    lines += [f"- {key.replace('_', ' ')}: {value}" for key, value in report["machine"].items()]
    lines += ["", f"Sweep: {report['jobs']} `dim` jobs (d0 ∈ {{2,…,6}}, two hidden layers of widths 2..6, one output, "
              "σ ∈ {x², x³}, without and with biases), each run into a fresh store by `run_batch`, as "
              "`neurom2 batch` does. Rate = jobs / wall time including worker start-up; steady rate = "
              "(n − 1) / (last finished − first finished).", "",
              "| backend | wall s | jobs/s | steady jobs/s | mean job s |", "|---|---|---|---|---|"]
    for run in report["runs"]:
        lines.append(f"| {run['backend']} | {run['seconds']} | {run['jobs_per_second']} | {run['steady_jobs_per_second']} "
                     f"| {run['mean_job_seconds']} |")
    lines += ["", f"Scaling ratio, 2 local workers over 1: **{report['scaling_ratio']}** (jobs/s), "
              f"{report['steady_scaling_ratio']} (steady).", "",
              f"One durable store commit (WAL, synchronous = FULL) takes {report['store_commit_ms']} ms, so the "
              f"scheduler records at most about {round(1000 / report['store_commit_ms'])} jobs/s whatever the backend. "
              + _limit(report)]
    return "\n".join(lines) + "\n"


def _limit(report: dict[str, Any]) -> str:
    """What bounds the measured rates, in one sentence."""
    local = [run for run in report["runs"] if run["backend"].startswith("local")]
    fastest = max(local, key=lambda run: run["steady_jobs_per_second"])
    if fastest["steady_jobs_per_second"] >= 0.8 * 1000 / report["store_commit_ms"]:
        return "The fastest configuration comes close to that bound: the store's commits limit it."
    slowest_job = min(local, key=lambda run: run["mean_job_seconds"])
    return (f"The rates stay well below that bound: the workers' computation limits them. A job's mean time "
            f"went from {slowest_job['mean_job_seconds']} s ({slowest_job['backend']}) to {fastest['mean_job_seconds']} s "
            f"({fastest['backend']}), because the "
            f"{report['machine']['cores']} cores are shared by the workers, the scheduler and the machine's other "
            f"load (load average at start {report['machine']['load_average_at_start']}).")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2], help="local worker counts (default: 1 2)")
    parser.add_argument("--no-dask", action="store_true", help="skip the Dask LocalCluster run")
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent / "results")
    args = parser.parse_args(argv)
    jobs = parse_jobs(SWEEP, "sweep")
    machine = machine_facts()
    runs = []
    for workers in args.workers:
        runs.append(measure(jobs, f"local pool, {workers} worker{'s' if workers > 1 else ''}", workers=workers))
        print(json.dumps(runs[-1]), file=sys.stderr)
    if not args.no_dask:
        run = dask_run(jobs, 2)
        if run:
            runs.append(run)
            print(json.dumps(run), file=sys.stderr)
    machine["load_average_at_end"] = load_average()
    by_workers = {w: r for w, r in zip(args.workers, runs)}
    one, two = by_workers.get(1), by_workers.get(2)
    report = {
        "machine": machine, "jobs": len(jobs), "sweep": SWEEP.strip(), "runs": runs,
        "scaling_ratio": round(two["jobs_per_second"] / one["jobs_per_second"], 2) if one and two else None,
        "steady_scaling_ratio": round(two["steady_jobs_per_second"] / one["steady_jobs_per_second"], 2) if one and two else None,
        "store_commit_ms": round(1000 * store_commit_seconds(jobs), 2),
    }
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "batch_throughput.json").write_text(json.dumps(report, indent=2) + "\n")
    (args.out / "batch_throughput.md").write_text(markdown(report))
    print(markdown(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
