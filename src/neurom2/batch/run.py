"""Running a batch: jobs in, one row per job in the store, resumable.

:func:`run_batch` removes duplicate jobs (same key), skips jobs the store already holds (``done``
always; ``failed`` and ``timeout`` unless asked to retry them), hands the rest to a backend
(:class:`~neurom2.batch.local.LocalPool` or :class:`~neurom2.batch.dask_backend.DaskCluster`) and
records the outcomes as they arrive, in groups: one transaction for the outcomes that arrive within
:data:`GROUP_SECONDS` of the last commit (:class:`_Group`; a job that finishes seconds after the one before
is committed alone).  The store is opened for writing, so it
holds the store's writer lock for the whole batch: a second batch on the same file is refused (or waits,
``ResultStore(path, wait=...)``; :mod:`neurom2.batch.store`), and never computes the same jobs twice.

Stopping: SIGINT (Ctrl-C), SIGTERM and SIGHUP stop the batch at once: nothing more is handed out, the
workers are killed, the jobs they were running are lost (they run again at the next start) and the
summary says so; the outcomes already received are committed first.  A signal that arrives while a group
is being written is held until the write has committed, so the store only ever holds whole rows.  Even
SIGKILL or a power loss cannot do more than lose the jobs in flight and the group not yet committed (the
outcomes of at most about GROUP_SECONDS): a rerun computes exactly the jobs that are not in the store.
"""

from __future__ import annotations

import contextlib
import signal
import sys
import threading
import time
from collections.abc import Generator, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from neurom2.batch.execute import STATUSES, Outcome
from neurom2.batch.jobs import Job
from neurom2.batch.store import ResultStore
from neurom2.progress import Bar, duration

STOP_SIGNALS = ("SIGINT", "SIGTERM", "SIGHUP")
GROUP_SECONDS = 0.2
"""Outcomes that arrive within this many seconds of the last commit wait for the next one (a group)."""
GROUP_MAX = 512
"""The most outcomes committed in one transaction."""


class _Stop(BaseException):
    """Raised in the main thread by a stop signal."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.name = signal.Signals(signum).name
        self.signum = signum


class _StopSignals:
    """Stop signals raise :class:`_Stop`, except inside :meth:`held` sections, after which they do."""

    def __init__(self) -> None:
        self.holding = False
        self.pending: int | None = None

    def handler(self, signum: int, frame: Any) -> None:
        if self.holding:
            self.pending = self.pending or signum
            return
        raise _Stop(signum)

    @contextlib.contextmanager
    def installed(self) -> Iterator[None]:
        if threading.current_thread() is not threading.main_thread():
            yield
            return
        previous = {}
        for name in STOP_SIGNALS:
            number = getattr(signal, name, None)
            if number is not None and signal.getsignal(number) is not signal.SIG_IGN:
                previous[number] = signal.signal(number, self.handler)
        try:
            yield
        finally:
            for number, handler in previous.items():
                signal.signal(number, handler)

    @contextlib.contextmanager
    def held(self) -> Iterator[None]:
        self.holding = True
        try:
            yield
        finally:
            self.holding = False
        if self.pending is not None:
            raise _Stop(self.pending)


class _Group:
    """Outcomes received and not yet stored, committed together in one transaction (a *group*).

    A group is committed when it holds :data:`GROUP_MAX` outcomes, or when :data:`GROUP_SECONDS` have
    passed since the last commit: jobs that finish seconds apart are stored one by one as before, fast jobs
    in groups, and a kill loses at most the group not yet committed (at most about GROUP_SECONDS of work,
    plus the backend's poll interval)."""

    def __init__(self, store: ResultStore, summary: BatchSummary, bar: Bar) -> None:
        self.store, self.summary, self.bar = store, summary, bar
        self.pending: list[tuple[Job, Outcome]] = []
        self.committed = time.monotonic()

    def add(self, finished: Sequence[tuple[Job, Outcome]]) -> None:
        self.pending.extend(finished)

    def due(self) -> bool:
        return bool(self.pending) and (len(self.pending) >= GROUP_MAX or time.monotonic() - self.committed >= GROUP_SECONDS)

    def commit(self) -> None:
        """Store the pending outcomes in one transaction, then count them (summary and progress bar)."""
        if not self.pending:
            return
        self.store.record_group(self.pending)
        for _job, outcome in self.pending:
            self.summary.ran[outcome.status] += 1
            self.bar.update(outcome.status)
        self.pending = []
        self.committed = time.monotonic()


def _store_outcomes(outcomes: Generator[list[tuple[Job, Outcome]], None, None], group: _Group,
                    signals: _StopSignals) -> str | None:
    """Store what the backend yields, in groups, until it is done or a stop signal comes (then the name of
    the signal).  The outcomes received before a stop are whole: they are committed too."""
    stopped = None
    try:
        with signals.installed():
            for finished in outcomes:
                group.add(finished)
                if group.due():
                    with signals.held():
                        group.commit()
    except _Stop as stop:
        stopped = stop.name
    except KeyboardInterrupt:
        stopped = "SIGINT"
    finally:
        outcomes.close()
    try:
        with signals.installed(), signals.held():
            group.commit()
    except _Stop as stop:
        stopped = stopped or stop.name
    return stopped


@dataclass(kw_only=True)
class BatchSummary:
    """What a batch did (this run) and where its jobs stand in the store afterwards."""

    store: str
    backend: str
    jobs: int
    """Distinct jobs (by key) given."""
    duplicates: int
    """Entries whose key another entry already had."""
    skipped: int
    """Jobs already in the store and not retried."""
    ran: dict[str, int] = field(default_factory=lambda: dict.fromkeys(STATUSES, 0))
    """Outcomes of this run, by status."""
    not_run: int = 0
    """Jobs left when the batch was stopped (they run at the next start)."""
    seconds: float = 0.0
    interrupted: str | None = None
    """The signal that stopped the batch (``SIGINT``, ``SIGTERM``, ``SIGHUP``), or None."""
    stored: dict[str, int] = field(default_factory=dict)
    """The given jobs in the store afterwards: by status, and ``missing``."""

    @property
    def rate(self) -> float:
        """Jobs run per second (0 when no time passed)."""
        ran = sum(self.ran.values())
        return ran / self.seconds if self.seconds > 0 else 0.0

    @property
    def exit_status(self) -> int:
        """128 + signal when stopped; 0 when every job is done; 1 when some failed or timed out."""
        if self.interrupted:
            return 128 + signal.Signals[self.interrupted].value
        return 0 if self.stored.get("done", 0) == self.jobs else 1

    def to_json(self) -> dict[str, Any]:
        """The summary as JSON (``neurom2 batch --json``; docs/schemas/batch.schema.json)."""
        return {
            "store": self.store, "backend": self.backend, "jobs": self.jobs, "duplicates": self.duplicates,
            "skipped": self.skipped, "ran": dict(self.ran), "not_run": self.not_run,
            "seconds": round(self.seconds, 3), "jobs_per_second": round(self.rate, 3),
            "interrupted": self.interrupted, "stored": dict(self.stored), "exit_status": self.exit_status,
        }

    def format(self) -> str:
        """The summary as the text ``neurom2 batch`` prints."""
        ran = sum(self.ran.values())
        counts = ", ".join(f"{self.ran[s]} {s}" for s in STATUSES)
        if not self.interrupted and ran == 0:
            head = "batch finished: nothing to run"
        elif self.interrupted:
            head = f"batch stopped by {self.interrupted} after {duration(self.seconds)}: {ran} jobs run ({counts}), " \
                   f"{self.not_run} not run; run the same command again to resume"
        else:
            head = f"batch finished: {ran} jobs run in {duration(self.seconds)} ({self.rate:.1f} jobs/s, " \
                   f"{self.backend}): {counts}"
        lines = [head]
        notes = []
        if self.skipped:
            notes.append(f"{self.skipped} already in the store, skipped")
        if self.duplicates:
            notes.append(f"{self.duplicates} duplicate entries in the job list, run once")
        if notes:
            lines.append("  " + "; ".join(notes))
        stored = ", ".join(f"{self.stored.get(s, 0)} {s}" for s in STATUSES)
        missing = f", {self.stored['missing']} not yet run" if self.stored.get("missing") else ""
        lines.append(f"  store {self.store}: of these {self.jobs} jobs {stored}{missing}")
        return "\n".join(lines)


@dataclass(frozen=True)
class BatchPlan:
    """What a batch will do: its distinct jobs, what the store holds of them, and what is to run."""

    jobs: dict[str, Job]
    """Distinct jobs by key, in the order first given."""
    duplicates: int
    stored: dict[str, str]
    """Status in the store of those jobs that it holds."""
    pending: list[Job]
    """Jobs to run: not in the store, or stored with a status to retry."""

    @property
    def skipped(self) -> int:
        """Jobs of the file already in the store, not run again."""
        return len(self.jobs) - len(self.pending)


def plan_batch(jobs: Sequence[Job], store: ResultStore | None, *, retry_failed: bool = False,
               retry_timeout: bool = False) -> BatchPlan:
    """Deduplicate ``jobs`` by key and leave out those ``store`` holds, unless their status is to be retried."""
    unique: dict[str, Job] = {}
    for job in jobs:
        unique.setdefault(job.key, job)
    redo = ({"failed"} if retry_failed else set()) | ({"timeout"} if retry_timeout else set())
    stored = store.statuses(unique) if store is not None else {}
    pending = [job for key, job in unique.items() if key not in stored or stored[key] in redo]
    return BatchPlan(unique, len(jobs) - len(unique), stored, pending)


def run_batch(
    jobs: Sequence[Job],
    store: ResultStore | str | Path,
    *,
    workers: int | None = None,
    scheduler: Any = None,
    retry_failed: bool = False,
    retry_timeout: bool = False,
    progress: bool = True,
    stream: TextIO | None = None,
) -> BatchSummary:
    """Run ``jobs`` into ``store`` (see the module docstring) and return the summary.

    ``workers`` local processes (default: one per CPU), or the Dask cluster at ``scheduler`` (an
    address ``tcp://HOST:PORT`` or a ``distributed.Client``).  ``progress`` draws on ``stream``
    (default stderr).  Stop signals end the run early; the summary then names the signal.  A ``store``
    given as a path is opened for writing here (:class:`StoreError` if another batch is writing it).
    """
    from neurom2.batch.dask_backend import DaskCluster
    from neurom2.batch.local import LocalPool

    stream = stream or sys.stderr
    results = store if isinstance(store, ResultStore) else ResultStore(store)
    owned = results is not store
    started = time.monotonic()
    try:
        plan = plan_batch(jobs, results, retry_failed=retry_failed, retry_timeout=retry_timeout)
        backend = DaskCluster(scheduler, log=lambda m: print(f"neurom2: {m}", file=stream)) if scheduler is not None \
            else LocalPool(workers)
        summary = BatchSummary(store=str(results.path), backend=backend.describe(), jobs=len(plan.jobs),
                               duplicates=plan.duplicates, skipped=plan.skipped)
        pending, unique = plan.pending, plan.jobs
        bar = Bar(len(pending), STATUSES, stream, enabled=progress)
        signals = _StopSignals()
        outcomes = backend.run(pending)
        try:
            summary.interrupted = _store_outcomes(outcomes, _Group(results, summary, bar), signals)
        finally:
            bar.close()
        summary.not_run = len(pending) - sum(summary.ran.values())
        summary.seconds = time.monotonic() - started
        final = results.statuses(unique)
        summary.stored = {s: sum(1 for v in final.values() if v == s) for s in STATUSES}
        summary.stored["missing"] = len(unique) - len(final)
        return summary
    finally:
        if owned:
            results.close()

