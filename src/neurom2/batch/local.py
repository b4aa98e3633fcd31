"""The local pool: N worker processes on this machine, each with its own Macaulay2 session.

Why not ``concurrent.futures.ProcessPoolExecutor``: when one of its workers dies, the whole pool breaks
and every job in flight fails with it, and a running job cannot be stopped.  Here each worker is a
process of its own, driven through its own pipe, so the scheduler knows which job each worker runs:

* a worker that dies (Macaulay2 crashes are already handled inside it by neurom2; this is the Python
  process itself, e.g. killed or out of memory) costs only its own job, recorded ``failed``, and is
  replaced by a fresh worker;
* a job that has not answered ``wall_timeout`` seconds after it was handed out is recorded
  ``timeout``; its worker is killed (SIGKILL; its Macaulay2 dies with it, since it loses its pty) and
  replaced.

Workers are started by a ``forkserver`` that has imported neurom2 once, so starting or replacing a worker
takes milliseconds and no worker inherits a Macaulay2 session or a lock from the scheduler (a plain
``fork`` of a process whose session is running would share its pty).  Each worker ignores SIGINT, so
Ctrl-C reaches only the scheduler, which then kills the workers; and each worker is killed by the
kernel when its parent goes (``PR_SET_PDEATHSIG``), so that a scheduler killed with SIGKILL leaves no
computation behind.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import socket
import time
from collections import deque
from collections.abc import Generator, Iterable
from multiprocessing.connection import Connection, wait

from neurom2.batch.execute import Outcome, now, run_job
from neurom2.batch.jobs import Job
from neurom2.m2.session import die_with_parent

POLL_SECONDS = 1.0
"""Longest wait between checks of the wall-clock deadlines."""
STOP_SECONDS = 2.0
"""How long idle workers get to exit after being told to stop, before they are killed."""


def _serve(connection: Connection) -> None:
    """A worker's main loop: receive a job description, send back its :class:`Outcome`; ``None`` stops."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    die_with_parent()
    while True:
        try:
            description = connection.recv()
        except (EOFError, OSError):  # the scheduler is gone
            return
        if description is None:
            return
        outcome = run_job(description)
        try:
            connection.send(outcome)
        except (BrokenPipeError, OSError):
            return


class _Worker:
    """One worker process and the scheduler's end of its pipe."""

    def __init__(self, context: _Context) -> None:
        self.connection, child = context.Pipe()
        self.process = context.Process(target=_serve, args=(child,), daemon=True, name="neurom2-batch-worker")
        self.process.start()
        child.close()
        self.job: Job | None = None
        self.deadline = 0.0
        self.clock = 0.0
        self.started = ""

    def give(self, job: Job) -> None:
        self.job, self.clock, self.started = job, time.monotonic(), now()
        self.deadline = self.clock + job.wall_timeout
        self.connection.send(job.description)

    def take(self) -> tuple[Job, Outcome | None]:
        """The finished job and its outcome (None if the worker died instead of answering)."""
        job, self.job = self.job, None
        assert job is not None, "take() from an idle worker"
        try:
            return job, self.connection.recv()
        except (EOFError, OSError):
            return job, None

    def lost(self, status: str, error: str) -> Outcome:
        return Outcome.lost(status, error, self.clock, self.started)

    def time_out(self) -> tuple[Job, Outcome]:
        """Kill this worker, whose job passed its wall_timeout: the job and its ``timeout`` outcome."""
        job, self.job = self.job, None
        assert job is not None, "time_out() of an idle worker"
        self.kill()
        return job, self.lost("timeout", f"no answer within wall_timeout = {job.wall_timeout:g} s; the worker and its "
                                         "Macaulay2 were killed")

    def kill(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join(STOP_SECONDS)
        self.connection.close()

    def death(self) -> str:
        """How the process ended, in words."""
        self.process.join(STOP_SECONDS)
        code = self.process.exitcode
        if code is None:
            return "stopped answering"
        if code < 0:
            try:
                name = signal.Signals(-code).name
            except ValueError:
                name = f"signal {-code}"
            return f"was killed by {name}"
        return f"exited with status {code}"


_Context = multiprocessing.context.ForkServerContext | multiprocessing.context.SpawnContext


def _context() -> _Context:
    try:
        context = multiprocessing.get_context("forkserver")
    except ValueError:  # no forkserver on this platform
        return multiprocessing.get_context("spawn")
    context.set_forkserver_preload([__name__])
    return context


class LocalPool:
    """Run jobs on ``workers`` local processes; :meth:`run` yields ``(job, outcome)`` as jobs finish."""

    def __init__(self, workers: int | None = None) -> None:
        self.workers = max(1, workers or os.cpu_count() or 1)

    def describe(self) -> str:
        return f"{self.workers} local worker{'s' if self.workers != 1 else ''}"

    def run(self, jobs: Iterable[Job]) -> Generator[tuple[Job, Outcome], None, None]:
        """Hand out ``jobs`` in order; every job yields exactly one outcome unless the run is stopped.

        Closing the iterator (or an exception in the consumer, e.g. KeyboardInterrupt) kills the workers;
        the jobs they were running are lost, nothing else.
        """
        queue = deque(jobs)
        context = _context()
        idle: list[_Worker] = []
        busy: list[_Worker] = []

        def hand_out() -> None:
            while queue and (idle or len(busy) < self.workers):
                worker = idle.pop() if idle else _Worker(context)
                try:
                    worker.give(queue[0])
                except OSError:  # it died while idle: replace it
                    worker.kill()
                    continue
                queue.popleft()
                busy.append(worker)

        try:
            while queue or busy:
                hand_out()
                timeout = max(0.0, min(min(w.deadline for w in busy) - time.monotonic(), POLL_SECONDS))
                ready = set(wait([w.connection for w in busy] + [w.process.sentinel for w in busy], timeout))
                finished: list[tuple[Job, Outcome]] = []
                for worker in list(busy):
                    if worker.connection in ready or worker.process.sentinel in ready:
                        job, outcome = worker.take()
                        busy.remove(worker)
                        if outcome is None:
                            outcome = worker.lost("failed", f"the worker process {worker.death()} while running "
                                                            f"this job (on {socket.gethostname()})")
                            worker.kill()
                        elif worker.process.is_alive():
                            idle.append(worker)
                        else:
                            worker.kill()
                        finished.append((job, outcome))
                    elif time.monotonic() >= worker.deadline:
                        busy.remove(worker)
                        finished.append(worker.time_out())
                hand_out()  # keep the workers busy while the caller stores the outcomes
                yield from finished
        finally:
            for worker in busy:
                worker.kill()
            for worker in idle:
                try:
                    worker.connection.send(None)
                except OSError:
                    pass
            for worker in idle:
                worker.process.join(STOP_SECONDS)
                worker.kill()
