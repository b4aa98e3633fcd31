"""Running batches with the real Macaulay2: resume after SIGKILL, stop on SIGINT/SIGTERM, timeouts and
crashes recorded while the batch goes on, retries, and a Dask LocalCluster giving the local pool's results.

The batches run as ``python -m neurom2.cli batch`` subprocesses where a signal or a kill is involved, and
in-process (:func:`neurom2.batch.run_batch`) otherwise.
"""

from __future__ import annotations

import datetime
import io
import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from conftest import installed_m2_version

from neurom2.batch import Job, Outcome, ResultStore, load_jobs, run_batch
from neurom2.cli import main

QUICK_IMPLICIT = """
[[grid]]                       # about 0.1 s each, eliminated in Macaulay2 (a warm session per worker)
task = "implicit"
strategy = "eliminate"
widths = [2, 2, 1]
activation = "x^4"
seed = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19]

[[grid]]
task = "implicit"
strategy = "eliminate"
widths = [3, 2, 1]
activation = "x^2"
seed = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19]
"""
QUICK_COUNT = 40
"""Jobs in QUICK_IMPLICIT: enough that a kill after a few of them lands mid-batch even with group commits."""
HARD = 'task = "implicit"\nwidths = [3, 3, 3, 1]\nactivation = "x^2"\nstrategy = "eliminate"\n'
"""A full Gröbner basis that runs for minutes: the job to time out, or to kill."""


def write(path: Path, text: str) -> Path:
    path.write_text(text)
    return path


_started: list[subprocess.Popen] = []


@pytest.fixture(autouse=True)
def _no_batch_left_running():
    """A failing test must not leave its batch running."""
    yield
    while _started:
        process = _started.pop()
        if process.poll() is None:
            process.kill()
            process.communicate()


def start_batch(jobs: Path, db: Path, *args: str) -> subprocess.Popen:
    process = subprocess.Popen([sys.executable, "-m", "neurom2.cli", "batch", str(jobs), "--db", str(db), *args],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    _started.append(process)
    return process


def stored(db: Path) -> dict[str, tuple]:
    """``{key: (status, started, finished, runs, result)}``, read with plain sqlite3 ({} before the store exists)."""
    if not db.exists():
        return {}
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5) as connection:
            rows = connection.execute("SELECT key, status, started, finished, runs, result FROM results").fetchall()
    except sqlite3.OperationalError:  # the tables are not created yet
        return {}
    return {key: rest for key, *rest in rows}


def wait_for(condition, seconds: float = 60, what: str = "condition"):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def _stat(pid: int) -> tuple[str, int] | None:
    """(state, parent pid) of a process, or None if it is gone."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = text[text.rindex(")") + 2:].split()
    return fields[0], int(fields[1])


def _gone(pid: int) -> bool:
    stat = _stat(pid)
    return stat is None or stat[0] == "Z"


def descendants(root: int) -> dict[int, str]:
    """Live (non-zombie) descendants of ``root``: ``{pid: command name}``."""
    parents: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            stat = _stat(int(entry))
            if stat and stat[0] != "Z":
                parents[int(entry)] = stat[1]
    found: dict[int, str] = {}
    frontier = {root}
    while frontier:
        frontier = {pid for pid, parent in parents.items() if parent in frontier and pid not in found}
        for pid in frontier:
            try:
                found[pid] = Path(f"/proc/{pid}/comm").read_text().strip()
            except OSError:
                found[pid] = ""
    return found


def cpu_seconds(pid: int) -> float:
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return 0.0
    fields = text[text.rindex(")") + 2:].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def macaulay2_processes(root: int) -> list[int]:
    return sorted(pid for pid, name in descendants(root).items() if name.startswith("M2"))


@pytest.mark.macaulay2
def test_sigkill_mid_batch_loses_nothing_finished_and_rerun_completes_the_rest(tmp_path):
    jobs = write(tmp_path / "jobs.toml", QUICK_IMPLICIT)
    db = tmp_path / "results.sqlite"
    batch = start_batch(jobs, db, "--workers", "2")
    wait_for(lambda: len(stored(db)) >= 6, what="6 finished jobs")
    before = stored(db)
    helpers = descendants(batch.pid)
    assert any(name.startswith("M2") for name in helpers.values()), helpers
    batch.send_signal(signal.SIGKILL)
    batch.wait(10)
    # No computation outlives the batch: workers die with their parent, Macaulay2 with its pty.
    wait_for(lambda: all(_gone(pid) for pid in helpers), 10, "the workers to exit")

    with ResultStore(db, write=False) as store:  # the file passes SQLite's full integrity check
        assert store.integrity() == []
        assert store.writer().pid == batch.pid and store.writer().closed is None
    after_kill = stored(db)
    assert all(after_kill[key] == row for key, row in before.items()), "a finished job changed or vanished"
    assert all(status == "done" for status, *_ in after_kill.values())
    assert len(after_kill) < QUICK_COUNT, "the batch was killed too late to test anything"

    rerun = subprocess.run([sys.executable, "-m", "neurom2.cli", "batch", str(jobs), "--db", str(db), "--workers", "2",
                            "--json"], capture_output=True, text=True, timeout=120)
    assert rerun.returncode == 0, rerun.stderr
    assert f"its last writer (pid {batch.pid} on " in rerun.stderr  # the killed batch held the lock: released
    assert "stopped without closing it; SQLite's quick_check finds no damage" in rerun.stderr
    summary = json.loads(rerun.stdout)
    assert summary["skipped"] == len(after_kill)
    assert sum(summary["ran"].values()) == QUICK_COUNT - len(after_kill)
    assert summary["stored"] == {"done": QUICK_COUNT, "failed": 0, "timeout": 0, "missing": 0}
    final = stored(db)
    assert len(final) == QUICK_COUNT
    for key, row in after_kill.items():  # not run again: same timestamps, one run
        assert final[key] == row and row[3] == 1


@pytest.mark.macaulay2
def test_sigterm_stops_the_batch_with_status_143_a_summary_and_a_consistent_store(tmp_path):
    jobs = write(tmp_path / "jobs.toml", QUICK_IMPLICIT + f"[[job]]\n{HARD}timeout = 60\n")  # never done in time
    db = tmp_path / "results.sqlite"
    batch = start_batch(jobs, db, "--workers", "1")
    wait_for(lambda: len(stored(db)) >= 2, what="2 finished jobs")
    helpers = descendants(batch.pid)
    batch.send_signal(signal.SIGTERM)
    out, err = batch.communicate(timeout=30)
    assert batch.returncode == 143, err
    assert out.startswith("batch stopped by SIGTERM after ") and "run the same command again to resume" in out
    assert "Traceback" not in err
    wait_for(lambda: all(_gone(pid) for pid in helpers), 10, "the workers to exit")
    rows = stored(db)
    ran = int(out.split(" jobs run (")[0].rsplit(" ", 1)[-1])
    assert 2 <= len(rows) == ran < QUICK_COUNT + 1 and all(status == "done" for status, *_ in rows.values())
    assert f"{QUICK_COUNT + 1 - ran} not run" in out


@pytest.mark.macaulay2
def test_ctrl_c_stops_the_batch_and_returns_a_summary(tmp_path):
    jobs = [Job.create("dim", [2, w, 1], "x^2") for w in range(1, 6)] + [Job.create("implicit", [3, 3, 3, 1], "x^2",
                                                                                     strategy="eliminate", timeout=300)]
    db = tmp_path / "results.sqlite"
    pid = os.getpid()

    def interrupt() -> None:  # Ctrl-C once the quick jobs are stored and the long one is running
        # generous: on a loaded machine a fresh worker's start-up alone has taken tens of seconds
        wait_for(lambda: len(stored(db)) == 5, 240, "the quick jobs")
        os.kill(pid, signal.SIGINT)

    thread = threading.Thread(target=interrupt, daemon=True)
    thread.start()
    summary = run_batch(jobs, db, workers=1, progress=False)
    thread.join()
    assert (summary.interrupted, summary.exit_status, summary.not_run) == ("SIGINT", 130, 1)
    assert summary.ran == {"done": 5, "failed": 0, "timeout": 0}
    assert summary.stored == {"done": 5, "failed": 0, "timeout": 0, "missing": 1}
    assert summary.format().startswith("batch stopped by SIGINT after ")
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler  # restored


@pytest.mark.macaulay2
def test_timeouts_and_crashes_are_recorded_and_the_batch_goes_on(tmp_path):
    jobs = write(tmp_path / "jobs.toml", "\n".join([
        f"[[job]]\n{HARD}timeout = 1\n",                                  # Macaulay2's alarm: timeout
        f"[[job]]\n{HARD}seed = 1\ntimeout = 60\nwall_timeout = 2\n",     # no answer: worker killed, timeout
        f"[[job]]\n{HARD}seed = 2\ntimeout = 60\n",                       # Macaulay2 killed: failed
        '[[job]]\ntask = "dim"\nwidths = [2, 2, 1]\n',
        f"[[job]]\n{HARD}seed = 3\ntimeout = 60\n",                       # the worker killed: failed
        '[[job]]\ntask = "member"\nwidths = [2, 2, 1]\nactivation = "x^3"\ntarget = "x^3 - x*y^2"\n',
    ]))
    keys = [job.key for job in load_jobs(jobs)]
    db = tmp_path / "results.sqlite"
    batch = start_batch(jobs, db, "--workers", "1")

    def computing_macaulay2() -> int | None:
        """The Macaulay2 of the running job, once past its start-up (0.8 s of CPU; start and package take 0.5)."""
        for pid in macaulay2_processes(batch.pid):
            if len(stored(db)) in (2, 4) and cpu_seconds(pid) > 0.8:
                return pid
        return None

    wait_for(lambda: len(stored(db)) == 2, 30, "the two timeouts")
    os.kill(wait_for(computing_macaulay2, 30, "Macaulay2 of job 3"), signal.SIGKILL)
    wait_for(lambda: len(stored(db)) == 4, 30, "jobs 3 and 4")
    worker = _stat(wait_for(computing_macaulay2, 30, "Macaulay2 of job 5"))[1]
    os.kill(worker, signal.SIGKILL)
    out, err = batch.communicate(timeout=60)
    assert batch.returncode == 1, err  # some jobs did not end done
    assert "3 done" not in out and "2 done, 2 failed, 2 timeout" in out

    with ResultStore(db) as store:
        rows = [store.get(key) for key in keys]
    assert [row.status for row in rows] == ["timeout", "timeout", "failed", "done", "failed", "done"]
    assert "exceeded its time limit of 1 s" in rows[0].error
    assert rows[1].error.startswith("no answer within wall_timeout = 2 s")
    assert rows[2].error.startswith("Macaulay2Crashed: Macaulay2 died")
    assert "worker process was killed by SIGKILL" in rows[4].error
    assert rows[5].result["member"] is False and rows[5].m2_version == installed_m2_version()
    assert rows[3].m2_version is None and rows[3].result["dim"] == 3


@pytest.mark.macaulay2
def test_deadlines_firing_in_the_linear_section_step_are_stored_as_timeouts(tmp_path):
    """(3,2,1) x^5: rank and interpolation take Python a fraction of a second, then Macaulay2's linear section
    certificate for 609 cubics takes seconds, mostly in mathicgb's F4, where the alarm surfaces as "computation
    was interrupted" (before the fix: a job stored failed in 3 runs of this test out of 3)."""
    warm = Job.create("implicit", [2, 2, 1], "x^4", strategy="eliminate")  # starts the worker's Macaulay2
    sections = [Job.create("implicit", [3, 2, 1], "x^5", seed=seed, timeout=1) for seed in range(3)]
    summary = run_batch([warm, *sections], tmp_path / "results.sqlite", workers=1, progress=False)
    assert summary.ran == {"done": 1, "failed": 0, "timeout": 3}
    with ResultStore(tmp_path / "results.sqlite") as store:
        errors = [store.get(job.key).error for job in sections]
    assert all(error.startswith("the computation exceeded its time limit of 1 s") for error in errors), errors
    # Whether a deadline fires inside a Macaulay2 call of the certificate (its alarm, "computation was interrupted")
    # or in Python between two of its calls depends on timing (the alarm is rounded up to whole seconds); both must be
    # timeouts.  test_certificate's test of linearSectionEliminant hits the Macaulay2 side every time.


def test_retry_failed_and_retry_timeout_rerun_only_those(tmp_path):
    db = tmp_path / "results.sqlite"
    done, failed, timed_out = (Job.create("dim", widths, "x^2") for widths in ([2, 2, 1], [3, 2, 1], [3, 1]))
    stamp = "2026-01-01T00:00:00+00:00"
    with ResultStore(db) as store:
        store.record(done, Outcome(status="done", result={"dim": -1}, error=None, seconds=0.0, started=stamp, finished=stamp,
                                   host="earlier"))
        store.record(failed, Outcome(status="failed", result=None, error="Macaulay2Crashed: ...", seconds=0.0, started=stamp,
                                     finished=stamp, host="earlier"))
        store.record(timed_out, Outcome(status="timeout", result=None, error="exceeded", seconds=0.0, started=stamp,
                                        finished=stamp, host="earlier"))
    jobs = [done, failed, timed_out, done]

    summary = run_batch(jobs, db, workers=1, progress=False)
    assert (summary.jobs, summary.duplicates, summary.skipped, sum(summary.ran.values())) == (3, 1, 3, 0)
    assert summary.exit_status == 1

    summary = run_batch(jobs, db, workers=1, progress=False, retry_failed=True)
    assert summary.ran == {"done": 1, "failed": 0, "timeout": 0}
    summary = run_batch(jobs, db, workers=1, progress=False, retry_timeout=True)
    assert summary.ran == {"done": 1, "failed": 0, "timeout": 0} and summary.exit_status == 0
    with ResultStore(db) as store:
        assert store.get(done.key).result == {"dim": -1} and store.get(done.key).runs == 1
        for job, dim in ((failed, 5), (timed_out, 3)):
            row = store.get(job.key)
            assert (row.status, row.result["dim"], row.runs, row.m2_version) == ("done", dim, 2, None)
            assert row.started > stamp and row.host != "earlier" and row.neurom2_version


def test_cli_batch_prints_a_summary_and_results_export_has_the_rows(tmp_path, capsys):
    jobs = write(tmp_path / "jobs.toml", '[[grid]]\ntask = "dim"\ninput = [2, 3]\nhidden = [[2], [3]]\noutput = 1\n'
                                          'activation = ["x^2", "x**2", "x^3"]\n')
    db = tmp_path / "results.sqlite"
    assert main(["batch", str(jobs), "--db", str(db), "--workers", "2"]) == 0
    captured = capsys.readouterr()
    lines = captured.out.splitlines()
    assert lines[0].startswith("batch finished: 8 jobs run in ") and lines[0].endswith("8 done, 0 failed, 0 timeout")
    assert lines[1] == "  4 duplicate entries in the job list, run once"
    assert lines[2] == f"  store {db}: of these 8 jobs 8 done, 0 failed, 0 timeout"
    assert captured.err == ""  # no progress bar off a terminal for a short batch
    assert main(["batch", str(jobs), "--db", str(db), "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert (summary["skipped"], summary["ran"]["done"], summary["exit_status"]) == (8, 0, 0)
    assert main(["results", "export", "--db", str(db), "--format", "jsonl"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert len(rows) == 8 and all(r["status"] == "done" and r["result"]["dim"] > 0 for r in rows)
    assert {tuple(r["description"]["widths"]) for r in rows} == {(2, 2, 1), (2, 3, 1), (3, 2, 1), (3, 3, 1)}


@pytest.mark.macaulay2
def test_dask_local_cluster_gives_the_same_results_as_the_local_pool(tmp_path):
    distributed = pytest.importorskip("distributed")
    jobs = load_jobs(write(tmp_path / "jobs.toml", """
[[grid]]
task = "dim"
input = [2, 3]
hidden = [[2], [2, 2]]
output = 1
activation = ["x^2", "x^3"]
bias = [false, true]

[[job]]
task = "implicit"
widths = [3, 2, 3]
activation = "x"

[[job]]
task = "implicit"
widths = [2, 2, 1]
activation = "x^4"

[[job]]
task = "member"
widths = [2, 2, 1]
activation = "x^3"
target = "x^3 - x*y^2"
"""))
    local = run_batch(jobs, tmp_path / "local.sqlite", workers=2, progress=False)
    with distributed.LocalCluster(n_workers=2, processes=True, threads_per_worker=1, dashboard_address=None) as cluster:
        remote = run_batch(jobs, tmp_path / "dask.sqlite", scheduler=cluster.scheduler_address, progress=False)
    assert local.exit_status == remote.exit_status == 0
    assert remote.backend.startswith("Dask scheduler tcp://")

    def results(name: str) -> dict:
        with ResultStore(tmp_path / name) as store:
            return {row.key: (row.status, row.description,
                              {k: v for k, v in row.result.items() if k not in ("seconds", "timings")},
                              row.m2_version) for row in store.rows()}

    on_pool, on_dask = results("local.sqlite"), results("dask.sqlite")
    assert len(on_pool) == len(jobs) == 19
    assert on_pool == on_dask


@pytest.mark.macaulay2
def test_dask_wall_timeout_counts_from_the_start_and_restarts_the_stuck_worker(tmp_path):
    """Both workers get stuck in a Gröbner basis past wall_timeout: each is restarted (its Macaulay2 killed),
    and the jobs queued behind them run on the fresh workers, although they waited longer than their own
    wall_timeout (the clock starts when a worker starts the job)."""
    distributed = pytest.importorskip("distributed")
    # the queued jobs wait behind the stuck ones for more than their own wall_timeout (12 s > 10 s), and 10 s is
    # ample for a dim job on a fresh worker (which first imports neurom2) even on a loaded machine
    stuck = [Job.create("implicit", [3, 3, 3, 1], "x^2", strategy="eliminate", seed=seed, timeout=60, wall_timeout=12)
             for seed in (0, 1)]
    queued = [Job.create("dim", [2, width, 1], "x^2", wall_timeout=10) for width in (1, 2, 3, 4)]
    queued.append(Job.create("implicit", [4, 2, 4], "x", strategy="eliminate", wall_timeout=30))  # a fresh Macaulay2
    log = io.StringIO()
    with distributed.LocalCluster(n_workers=2, processes=True, threads_per_worker=1, dashboard_address=None) as cluster:
        with distributed.Client(cluster) as client:
            workers = set(client.run(os.getpid).values())
        seen: set[int] = set()  # the Macaulay2 processes of the original workers
        running = threading.Event()

        def watch() -> None:
            while not running.is_set():
                seen.update(pid for worker in workers for pid, name in descendants(worker).items() if name.startswith("M2"))
                time.sleep(0.1)

        watcher = threading.Thread(target=watch, daemon=True)
        watcher.start()
        summary = run_batch(stuck + queued, tmp_path / "dask.sqlite", scheduler=cluster.scheduler_address,
                            progress=False, stream=log)
        running.set()
        watcher.join()
        with distributed.Client(cluster) as client:
            client.wait_for_workers(2, timeout=60)
            now_workers = set(client.run(os.getpid).values())
    assert summary.ran == {"done": 5, "failed": 0, "timeout": 2}, log.getvalue()
    with ResultStore(tmp_path / "dask.sqlite", write=False) as store:
        hard = [store.get(job.key) for job in stuck]
        rest = [store.get(job.key) for job in queued]
    for row in hard:
        assert row.status == "timeout" and 12 <= row.seconds < 14
        assert re.match(r"no answer within wall_timeout = 12 s after Dask worker tcp://\S+ started it; the future "
                        r"was cancelled and the worker is restarted", row.error), row.error
    assert all(row.status == "done" for row in rest)
    assert rest[-1].result["dim"] == 12 and rest[-1].m2_version == installed_m2_version()
    timed_out = max(datetime.datetime.fromisoformat(row.finished) for row in hard)
    waited = [(datetime.datetime.fromisoformat(row.started) - timed_out).total_seconds() for row in rest]
    assert min(waited) > 3, waited  # submitted when the stuck jobs timed out, started on a restarted worker
    assert log.getvalue().count("was restarted after a wall timeout") == 2, log.getvalue()
    assert workers.isdisjoint(now_workers) and len(now_workers) == 2
    assert len(seen) >= 2, "the stuck jobs' Macaulay2 processes were not seen"
    wait_for(lambda: all(_gone(pid) for pid in seen | workers), 10, "the stuck workers and their Macaulay2 to exit")


# --- chunks and groups -------------------------------------------------------------------------------------------

SMALL_DIMS = """
[[grid]]
task = "dim"
input = [2, 3, 4, 5]
hidden = {min = 1, max = 6, depth = [1, 2]}
output = 1
activation = ["x^2", "x^3"]
bias = [false, true]
"""
"""672 dim jobs of a few milliseconds each: the jobs come back far faster than one commit per job would allow."""


def test_sigkill_loses_at_most_the_uncommitted_group_and_the_rerun_computes_exactly_those(tmp_path):
    jobs = write(tmp_path / "jobs.toml", SMALL_DIMS)
    total = len(load_jobs(jobs))
    db = tmp_path / "results.sqlite"
    batch = start_batch(jobs, db, "--workers", "2")
    wait_for(lambda: len(stored(db)) >= 20, what="a first group of finished jobs")
    batch.send_signal(signal.SIGKILL)
    batch.wait(10)
    after_kill = stored(db)
    assert 20 <= len(after_kill) < total, "the batch was killed too late to test anything"
    assert all(status == "done" for status, *_ in after_kill.values())

    rerun = subprocess.run([sys.executable, "-m", "neurom2.cli", "batch", str(jobs), "--db", str(db), "--workers", "2",
                            "--json"], capture_output=True, text=True, timeout=300)
    assert rerun.returncode == 0, rerun.stderr
    summary = json.loads(rerun.stdout)
    assert summary["skipped"] == len(after_kill)
    assert sum(summary["ran"].values()) == total - len(after_kill)  # exactly the jobs not committed before the kill
    final = stored(db)
    assert len(final) == total and all(row[3] == 1 for row in final.values())  # each job computed once
    assert all(final[key] == row for key, row in after_kill.items())


def test_fast_outcomes_are_committed_in_groups_and_slow_ones_one_by_one(tmp_path):
    """Hundreds of millisecond jobs take far fewer transactions than jobs; a job that finishes more than
    GROUP_SECONDS after the last commit is committed at once, alone (as every job was before groups)."""
    from neurom2.batch import run as run_module

    fast = load_jobs(write(tmp_path / "jobs.toml", SMALL_DIMS))
    slow = [Job.create("dim", [2, 3, 4, 5, 8, 12, 16, 30, w, 8], "x^2") for w in (24, 30)]  # 0.4-0.8 s each, >> GROUP_SECONDS
    groups: list[int] = []

    class CountingStore(ResultStore):
        def record_group(self, finished):
            groups.append(len(finished))
            super().record_group(finished)

    with CountingStore(tmp_path / "results.sqlite") as store:
        summary = run_batch(fast + slow, store, workers=1, progress=False)
        assert store.counts()["done"] == len(fast) + len(slow)
    assert summary.ran["done"] == sum(groups) == len(fast) + len(slow)
    assert len(groups) <= len(fast) // 5, groups
    assert max(groups) <= run_module.GROUP_MAX
    assert groups[-1] == 1, groups  # the last slow job, alone


def test_a_job_timing_out_inside_a_chunk_costs_only_itself_and_its_chunk_mates_run_again(tmp_path, monkeypatch):
    """The local pool hands out chunks; a job that passes its wall_timeout in the middle of one is recorded
    ``timeout`` and its worker killed, and the jobs after it in that chunk are handed out again and done, once."""
    from neurom2.batch import local

    chunks: list[list[str]] = []
    give = local._Worker.give

    def recording_give(worker, chunk):
        chunks.append([job.key for job in chunk])
        give(worker, chunk)

    monkeypatch.setattr(local._Worker, "give", recording_give)
    fast = load_jobs(write(tmp_path / "jobs.toml", SMALL_DIMS))[:200]
    stuck = Job.create("dim", [2, 9, 20, 27, 31, 25, 20, 13, 9, 2], "x^3", wall_timeout=0.1)  # about 2 s (x^2: capped, fast)
    jobs = fast[:100] + [stuck] + fast[100:]
    outcomes = [pair for finished in local.LocalPool(1).run(jobs) for pair in finished]
    keys = [job.key for job, _ in outcomes]
    assert sorted(keys) == sorted(job.key for job in jobs)  # every job answered exactly once
    status = {job.key: outcome for job, outcome in outcomes}
    assert status[stuck.key].status == "timeout"
    assert status[stuck.key].error.startswith("no answer within wall_timeout = 0.1 s; the worker and its Macaulay2 were killed")
    assert all(status[job.key].status == "done" for job in fast)
    holding = next(chunk for chunk in chunks if stuck.key in chunk)
    after = holding[holding.index(stuck.key) + 1:]
    assert after, f"the stuck job ended its chunk ({len(holding)} jobs): nothing to hand out again"
    assert any(chunk[:len(after)] == after for chunk in chunks[chunks.index(holding) + 1:])  # handed out again


def test_workers_take_the_environment_of_the_batch_not_that_of_the_forkserver(tmp_path, monkeypatch):
    """The forkserver outlives a batch with the environment it started with; a later batch's workers must see
    the environment of that batch (here a NEUROM2_M2 set in between, which the member job then cannot find)."""
    run_batch([Job.create("dim", [2, 2, 1], "x^2")], tmp_path / "warm.sqlite", workers=1, progress=False)
    missing = tmp_path / "no-such-M2"
    monkeypatch.setenv("NEUROM2_M2", str(missing))
    job = Job.create("member", [2, 2, 1], "x^3", target="x^3 - x*y^2")
    summary = run_batch([job], tmp_path / "results.sqlite", workers=1, progress=False)
    assert summary.ran == {"done": 0, "failed": 1, "timeout": 0}
    with ResultStore(tmp_path / "results.sqlite", write=False) as store:
        assert store.get(job.key).error.startswith(f"Macaulay2NotFound: Macaulay2 executable '{missing}' not found")


def test_dim_jobs_sharing_a_width_capped_network_are_handed_to_one_worker_in_one_chunk(tmp_path, monkeypatch):
    """(2,7,3,1) and (2,8,3,1) σ = x² have the same width-capped network (2,3,3,1) (computed here by width_capped),
    so with the same seed they share their ranks: the local pool moves the second next to the first and hands both
    out in one chunk (never split), while (2,2,2,1), another seed and another task share nothing.  Both dimensions
    equal the rank of their own uncapped Jacobians modulo a prime, computed directly."""
    import numpy as np

    from neurom2.batch import local
    from neurom2.model.jacobian import ModularArithmetic, evaluation_jacobian, modular_rank
    from neurom2.model.space import AmbientSpace
    from neurom2.variety.bounds import width_capped

    first, other, second = (Job.create("dim", w, "x^2") for w in ([2, 7, 3, 1], [2, 2, 2, 1], [2, 8, 3, 1]))
    reseeded, member = Job.create("dim", [2, 8, 3, 1], "x^2", seed=1), Job.create("member", [2, 2, 1], "x^2", target="x^2 - x*y")
    assert width_capped(first.architecture) == width_capped(second.architecture) != width_capped(other.architecture)
    assert first.shared_work() == second.shared_work() != reseeded.shared_work() and member.shared_work() is None
    ordered, group_of = local._work_groups([first, other, reseeded, member, second])
    assert ordered == [first, second, other, reseeded, member]
    assert group_of[first.key] == group_of[second.key] and len(set(group_of.values())) == 4
    queue = local.deque(ordered)
    assert [local._to_group_end(queue, size, group_of) for size in (1, 2, 3, 5)] == [2, 2, 3, 5]

    chunks: list[list[Job]] = []
    give = local._Worker.give
    monkeypatch.setattr(local._Worker, "give", lambda worker, chunk: chunks.append(chunk) or give(worker, chunk))
    outcomes = {job.key: outcome for finished in local.LocalPool(2).run([first, other, second]) for job, outcome in finished}
    assert [first, second] in chunks
    p, rng = 1_000_000_007, np.random.default_rng(3)
    for job in (first, second):
        arch = job.architecture
        points = rng.integers(0, p, size=(AmbientSpace.of(arch).monomial_count, arch.input_dim), dtype=np.int64)
        jacobian = evaluation_jacobian(arch, rng.integers(0, p, size=arch.n_params).tolist(), points, ModularArithmetic(p))
        assert outcomes[job.key].result["dim"] == modular_rank(jacobian, p)
