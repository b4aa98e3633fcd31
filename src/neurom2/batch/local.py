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

Jobs are handed out in chunks of about :data:`~neurom2.batch.execute.CHUNK_SECONDS` of work
(:func:`~neurom2.batch.execute.chunk_size`): a worker runs
the jobs of its chunk one after the other and answers each as soon as it is done, so that the scheduler's
cost per job (a wake-up, a message each way) does not set the pace of a sweep of millisecond jobs.  Jobs that share
work (:meth:`~neurom2.batch.jobs.Job.shared_work`: ``dim`` jobs with the same width-capped network and seed) are
moved next to the first of them and handed out in one chunk, so that one worker computes their ranks once.  A
job's clock starts when the answer to the job before it arrives; a worker that dies or times out costs
only the job it was running, and the rest of its chunk is handed out again.

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
from collections.abc import Generator, Hashable, Iterable
from multiprocessing.connection import Connection, wait

from neurom2.batch.execute import Outcome, chunk_size, now, run_job
from neurom2.batch.jobs import Job
from neurom2.m2.session import die_with_parent

POLL_SECONDS = 0.25
"""Longest wait between checks of the wall-clock deadlines (and between two yields of :meth:`LocalPool.run`)."""
STOP_SECONDS = 2.0
"""How long idle workers get to exit after being told to stop, before they are killed."""
PRELOAD = (__name__, "neurom2.variety.dimension")
"""Imported once by the forkserver, so that every worker starts with them (the ``dim`` task's numpy and FLINT
included) instead of importing them at its first job."""


def _serve(connection: Connection, environment: dict[str, str]) -> None:
    """A worker's main loop: receive a chunk (a list of job descriptions) and send back each job's
    :class:`Outcome` as soon as it is computed, in order; ``None`` stops.  ``environment``: the scheduler's
    environment when it started the worker (the forkserver keeps the one it was started with, e.g. an older
    ``NEUROM2_M2``)."""
    os.environ.clear()
    os.environ.update(environment)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    die_with_parent()
    while True:
        try:
            chunk = connection.recv()
        except (EOFError, OSError):  # the scheduler is gone
            return
        if chunk is None:
            return
        for description in chunk:
            outcome = run_job(description)
            try:
                connection.send(outcome)
            except (BrokenPipeError, OSError):
                return


class _Worker:
    """One worker process, the scheduler's end of its pipe, and the jobs handed to it not yet answered.

    The jobs of a chunk run one after the other; the first unanswered one is running.  Its clock starts when
    the chunk is handed out or, for the later jobs, when the outcome of the job before it arrives."""

    def __init__(self, context: _Context) -> None:
        self.connection, child = context.Pipe()
        self.process = context.Process(target=_serve, args=(child, dict(os.environ)), daemon=True,
                                       name="neurom2-batch-worker")
        self.process.start()
        child.close()
        self.jobs: deque[Job] = deque()
        self.deadline = 0.0
        self.clock = 0.0
        self.started = ""

    def give(self, chunk: list[Job]) -> None:
        self.connection.send([job.description for job in chunk])
        self.jobs.extend(chunk)
        self._start_clock()

    def _start_clock(self) -> None:
        self.clock, self.started = time.monotonic(), now()
        self.deadline = self.clock + self.jobs[0].wall_timeout if self.jobs else 0.0

    def take(self) -> tuple[Job, Outcome] | None:
        """The running job and its outcome; None if the worker died instead of answering."""
        assert self.jobs, "take() from an idle worker"
        try:
            outcome = self.connection.recv()
        except (EOFError, OSError):
            return None
        job = self.jobs.popleft()
        self._start_clock()
        return job, outcome

    def unstarted(self) -> list[Job]:
        """The jobs of the chunk after the running one, taken back (to hand out again)."""
        running = self.jobs.popleft()
        rest = list(self.jobs)
        self.jobs = deque([running])
        return rest

    def lost(self, status: str, error: str) -> Outcome:
        return Outcome.lost(status, error, self.clock, self.started)

    def died(self) -> tuple[Job, Outcome]:
        """This worker, which died while running a job: kill what is left of it; the job and its ``failed`` outcome."""
        job = self.jobs.popleft()
        outcome = self.lost("failed", f"the worker process {self.death()} while running this job (on {socket.gethostname()})")
        self.kill()
        return job, outcome

    def time_out(self) -> tuple[Job, Outcome]:
        """Kill this worker, whose running job passed its wall_timeout: the job and its ``timeout`` outcome."""
        job = self.jobs.popleft()
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
    context.set_forkserver_preload(list(PRELOAD))
    return context


def _work_groups(jobs: Iterable[Job]) -> tuple[list[Job], dict[str, int]]:
    """The jobs, in order except that those sharing work (equal :meth:`~neurom2.batch.jobs.Job.shared_work`) follow
    the first of them; and the number of each job's group, by job key (a job that shares nothing is a group alone)."""
    groups: dict[Hashable, list[Job]] = {}
    for job in jobs:
        shared = job.shared_work()
        groups.setdefault(("job", job.key) if shared is None else ("shared", shared), []).append(job)
    ordered = [job for group in groups.values() for job in group]
    return ordered, {job.key: number for number, group in enumerate(groups.values()) for job in group}


def _to_group_end(queue: deque[Job], size: int, group_of: dict[str, int]) -> int:
    """``size`` (at least 1) raised until the first ``size`` jobs of ``queue`` end with a whole group of jobs
    sharing work (:func:`_work_groups`)."""
    while size < len(queue) and group_of[queue[size].key] == group_of[queue[size - 1].key]:
        size += 1
    return size


class LocalPool:
    """Run jobs on ``workers`` local processes; :meth:`run` yields the outcomes as jobs finish."""

    def __init__(self, workers: int | None = None) -> None:
        self.workers = max(1, workers or os.cpu_count() or 1)

    def describe(self) -> str:
        """The backend in words: the number of local workers (for the batch summary)."""
        return f"{self.workers} local worker{'s' if self.workers != 1 else ''}"

    def run(self, jobs: Iterable[Job]) -> Generator[list[tuple[Job, Outcome]], None, None]:
        """Hand out ``jobs`` in order (those that share work next to the first of them), in chunks (:func:`chunk_size`,
        extended to the end of a group that shares work); yield the ``(job, outcome)`` pairs
        finished since the last yield, at least every :data:`POLL_SECONDS` (an empty list when none).  Every
        job gets exactly one outcome unless the run is stopped.

        A worker that dies or times out costs the job it was running; the rest of its chunk is handed out
        again.  Closing the iterator (or an exception in the consumer, e.g. KeyboardInterrupt) kills the
        workers; the jobs handed to them and not answered are lost, nothing else.
        """
        ordered, group_of = _work_groups(jobs)
        queue = deque(ordered)
        context = _context()
        idle: list[_Worker] = []
        busy: list[_Worker] = []
        answered, answered_seconds = 0, 0.0  # jobs answered so far, and their seconds in the workers

        def hand_out() -> None:
            while queue and (idle or len(busy) < self.workers):
                worker = idle.pop() if idle else _Worker(context)
                size = chunk_size(answered_seconds / answered if answered else None, len(queue), self.workers)
                size = _to_group_end(queue, min(size, len(queue)), group_of)
                chunk = [queue[i] for i in range(min(size, len(queue)))]
                try:
                    worker.give(chunk)
                except OSError:  # it died while idle: replace it
                    worker.kill()
                    continue
                for _ in chunk:
                    queue.popleft()
                busy.append(worker)

        def collect(worker: _Worker, ready: set) -> list[tuple[Job, Outcome]]:
            """Every outcome the worker has sent; then what became of it (idle, dead or timed out: the rest of
            its chunk goes back to the front of the queue)."""
            nonlocal answered, answered_seconds
            finished, died = [], False
            while worker.jobs and worker.connection.poll():
                answer = worker.take()
                if answer is None:
                    died = True
                    break
                answered, answered_seconds = answered + 1, answered_seconds + answer[1].seconds
                finished.append(answer)
            if not worker.jobs:
                busy.remove(worker)
                if worker.process.is_alive():
                    idle.append(worker)
                else:
                    worker.kill()
                return finished
            gone = died or worker.process.sentinel in ready
            if gone or time.monotonic() >= worker.deadline:
                busy.remove(worker)
                queue.extendleft(reversed(worker.unstarted()))
                finished.append(worker.died() if gone else worker.time_out())
            return finished

        try:
            while queue or busy:
                hand_out()
                timeout = max(0.0, min(min(w.deadline for w in busy) - time.monotonic(), POLL_SECONDS))
                ready = set(wait([w.connection for w in busy] + [w.process.sentinel for w in busy], timeout))
                finished: list[tuple[Job, Outcome]] = []
                for worker in list(busy):
                    finished += collect(worker, ready)
                hand_out()  # keep the workers busy while the caller stores the outcomes
                yield finished
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
