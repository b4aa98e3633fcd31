"""The Dask backend: the same jobs on an existing Dask cluster, results written by the client.

``DaskCluster("tcp://HOST:PORT")`` connects a :class:`distributed.Client` to a running scheduler (or
takes a ``Client``), submits the jobs in chunks (:func:`~neurom2.batch.execute.chunk_size`: about 50 ms of
work each, so that Dask's cost per task does not set the pace of small jobs), each as a task that runs
:func:`neurom2.batch.execute.run_job` on its jobs one after the other, and yields the outcomes as the chunks
complete (``as_completed``); the caller writes them to the store, so the
store stays a local file of the client and the workers need no access to it.  Each Dask worker process
runs its jobs in its own Macaulay2 session (:func:`neurom2.m2.session.default_session` is per process);
start workers with one thread each (``--nthreads 1``), since the jobs of one process share its session.

Wall timeouts.  A job's ``wall_timeout`` counts from the moment a worker starts it: the task reports the
start of each of its jobs (``Worker.log_event`` on a topic of this batch, which the client subscribes to),
and the client starts the job's clock when that report arrives.  Time spent queued, behind other tasks
or waiting for a worker, does not count.  A job still running ``wall_timeout`` seconds after its start is
recorded ``timeout``, its chunk's future is cancelled (the chunk's other jobs are submitted again: those
it had finished are lost with the task), and, because Dask cannot stop a running task, the worker
that runs it is restarted through its nanny (``Client.restart_workers``; the usual ``dask worker`` and
``LocalCluster`` setups have one), which kills the worker process and its Macaulay2 with it and starts
a fresh one.  A worker without a nanny cannot be restarted and is retired (``Client.retire_workers``),
so that no more jobs go to it.  Restarts run in the background; the batch goes on meanwhile.  This also
applies to a worker of a shared cluster: it is restarted, with whatever else it was running.

At most one chunk per worker thread is submitted at a time (the count is refreshed as the cluster grows
or shrinks).  A worker that dies is Dask's business: its tasks are rescheduled (the clock restarts
when the chunk starts again elsewhere), and a task that kills workers repeatedly ends as ``KilledWorker``,
recorded ``failed`` for each job of its chunk.
"""

from __future__ import annotations

import itertools
import secrets
import threading
import time
from collections import deque
from collections.abc import Callable, Generator, Iterable, Iterator
from dataclasses import dataclass, field
from queue import Empty, SimpleQueue
from typing import Any

from neurom2.batch.execute import Outcome, chunk_size, now, run_job
from neurom2.batch.jobs import Job
from neurom2.errors import BackendError, InvalidOption
from neurom2.tasks import SCHEDULER

REFRESH_SECONDS = 2.0
"""How often the number of worker threads is asked from the scheduler."""
IDLE_SLEEP = 0.005
CONNECT_SECONDS = 2
"""How long to wait for the scheduler to answer the connection, before refusing its address (exit status 2)."""
RESTART_SECONDS = 120.0
"""How long a worker restart may take (shut down, then the new worker's registration)."""
FAREWELL_SECONDS = 5.0
"""At the end of a batch, how long to wait for restarts still in progress (they go on without us)."""


def _distributed() -> Any:
    try:
        import distributed
    except ImportError:
        raise BackendError("the Dask backend needs the distributed package: pip install 'neurom2[dask]' "
                           "(or pip install 'dask[distributed]')") from None
    return distributed


def run_reporting_start(descriptions: list[dict[str, Any]], key: str, topic: str) -> list[Outcome]:
    """The task a Dask worker runs: the jobs of a chunk one after the other, each after reporting
    ``(key, index in the chunk, worker address)`` on ``topic``; their outcomes."""
    worker = _distributed().get_worker()
    outcomes = []
    for index, description in enumerate(descriptions):
        worker.log_event(topic, {"key": key, "index": index, "worker": worker.address})
        outcomes.append(run_job(description))
    return outcomes


@dataclass(kw_only=True)
class _Running:
    """A submitted chunk of jobs and the clock of its running job: from the submission until a worker reports
    starting the first job, then from the latest start reported."""

    jobs: list[Job]
    future: Any
    clock: float = field(default_factory=time.monotonic)
    started: str = field(default_factory=now)
    worker: str = ""
    """The address of the worker that reported starting the chunk (empty until one does)."""
    index: int = 0
    """The job of the chunk that the worker reported starting last."""

    def begin(self, worker: str, index: int, clock: float, started: str) -> None:
        self.worker, self.index, self.clock, self.started = worker, index, clock, started

    def overdue(self, moment: float) -> bool:
        return bool(self.worker) and moment - self.clock >= self.jobs[self.index].wall_timeout


class _Restarts:
    """Restarts (or retires) stuck workers in background threads; :meth:`said` gives what became of them."""

    def __init__(self, client: Any) -> None:
        self.client = client
        self.threads: list[threading.Thread] = []
        self.addresses: set[str] = set()
        self.messages: SimpleQueue[str] = SimpleQueue()

    def start(self, address: str) -> None:
        if address in self.addresses:  # two stuck jobs on one worker of several threads: one restart
            return
        self.addresses.add(address)
        thread = threading.Thread(target=self._restart, args=(address,), daemon=True, name="neurom2-dask-restart")
        thread.start()
        self.threads.append(thread)

    def _restart(self, address: str) -> None:
        try:
            result = self.client.restart_workers([address], timeout=RESTART_SECONDS, raise_for_error=False)
            said = {"OK": "was restarted"}.get(result.get(address, ""), f"restart: {result.get(address)}")
        except ValueError:  # no nanny: it cannot be restarted; retired, no more jobs go to it
            try:
                self.client.retire_workers([address], close_workers=True)
                said = "has no nanny to restart it and was retired"
            except Exception as error:  # noqa: BLE001 - the batch goes on; say what happened
                said = f"could not be retired ({type(error).__name__}: {error})"
        except Exception as error:  # noqa: BLE001
            said = f"could not be restarted ({type(error).__name__}: {error})"
        self.messages.put(f"Dask worker {address} {said} after a wall timeout")

    def said(self) -> Iterator[str]:
        while True:
            try:
                yield self.messages.get_nowait()
            except Empty:
                return

    def finish(self) -> None:
        deadline = time.monotonic() + FAREWELL_SECONDS
        for thread in self.threads:
            thread.join(max(0.0, deadline - time.monotonic()))


def checked_address(scheduler: str | Any) -> str | Any:
    """``scheduler`` unchanged if it is a ``Client`` or a well-formed address (the syntax of the ``scheduler``
    option); else :class:`~neurom2.errors.InvalidOption`.  Whether a scheduler answers is found when connecting."""
    return SCHEDULER.kind.check(SCHEDULER.name, scheduler) if isinstance(scheduler, str) else scheduler


class DaskCluster:
    """Run jobs on the Dask cluster whose scheduler is at ``scheduler`` (an address or a ``Client``)."""

    def __init__(self, scheduler: str | Any, *, log: Callable[[str], None] | None = None) -> None:
        self.scheduler = checked_address(scheduler)
        self.log = log or (lambda message: None)

    def describe(self) -> str:
        """The backend in words, naming the scheduler's address (for the batch summary)."""
        address = self.scheduler if isinstance(self.scheduler, str) else getattr(self.scheduler, "scheduler", None)
        address = getattr(address, "address", address)
        return f"Dask scheduler {address}"

    def _client(self) -> tuple[Any, bool]:
        distributed = _distributed()
        if not isinstance(self.scheduler, str):
            return self.scheduler, False
        try:
            return distributed.Client(self.scheduler, timeout=f"{CONNECT_SECONDS}s", set_as_default=False), True
        except (OSError, TimeoutError, ValueError) as error:
            raise InvalidOption(f"scheduler {self.scheduler}: no Dask scheduler answered there within {CONNECT_SECONDS} s "
                                f"({' '.join(str(error).split())})", SCHEDULER.name) from None

    def run(self, jobs: Iterable[Job]) -> Generator[list[tuple[Job, Outcome]], None, None]:
        """Submit ``jobs`` in order; yield the ``(job, outcome)`` pairs completed since the last yield, as a list
        (empty when none), every few milliseconds (see the module docstring)."""
        distributed = _distributed()
        client, owned = self._client()
        queue = deque(jobs)
        token = secrets.token_hex(4)
        topic = f"neurom2-started-{token}"
        starts: SimpleQueue[tuple[dict[str, Any], float, str]] = SimpleQueue()
        client.subscribe_topic(topic, lambda event: starts.put((event[1], time.monotonic(), now())))
        completed = distributed.as_completed(loop=client.loop)
        running: dict[str, _Running] = {}  # by future key
        restarts = _Restarts(client)
        threads, asked = 0, float("-inf")
        answered, answered_seconds = 0, 0.0  # jobs answered so far, and their seconds
        serial = itertools.count()
        try:
            while queue or running:
                if time.monotonic() - asked > REFRESH_SECONDS:
                    threads, asked = sum(client.nthreads().values()), time.monotonic()
                    if threads == 0 and not running:
                        self.log(f"waiting for Dask workers at {self.describe()}")
                        client.wait_for_workers(1)
                        asked = float("-inf")
                        continue
                while queue and len(running) < max(threads, 1):
                    size = chunk_size(answered_seconds / answered if answered else None, len(queue), max(threads, 1))
                    chunk = [queue.popleft() for _ in range(min(size, len(queue)))]
                    key = f"neurom2-{next(serial)}-{chunk[0].key[:16]}-{token}"  # (a job may come again)
                    future = client.submit(run_reporting_start, [job.description for job in chunk], key, topic,
                                           pure=False, key=key)
                    running[key] = _Running(jobs=chunk, future=future)
                    completed.add(future)
                while not starts.empty():
                    report, clock, started = starts.get()
                    if report["key"] in running:  # (a chunk started again after its worker died: its clock restarts)
                        running[report["key"]].begin(report["worker"], report["index"], clock, started)
                finished = completed.next_batch(block=False) if completed.has_ready() else []
                outcomes = []
                for future in finished:
                    if future.key in running:  # (not if cancelled after its wall timeout)
                        outcomes += self._outcomes(running.pop(future.key))
                moment = time.monotonic()
                for key in [key for key, r in running.items() if r.overdue(moment)]:
                    stuck = running.pop(key)
                    queue.extendleft(reversed(stuck.jobs[:stuck.index] + stuck.jobs[stuck.index + 1:]))
                    outcomes.append(self._time_out(stuck, restarts))
                answered += len(outcomes)
                answered_seconds += sum(outcome.seconds for _job, outcome in outcomes)
                for message in restarts.said():
                    self.log(message)
                yield outcomes
                if not finished:
                    time.sleep(IDLE_SLEEP)
        finally:
            if running:
                client.cancel([r.future for r in running.values()])
            client.unsubscribe_topic(topic)
            restarts.finish()
            for message in restarts.said():
                self.log(message)
            if owned:
                client.close()

    @staticmethod
    def _time_out(stuck: _Running, restarts: _Restarts) -> tuple[Job, Outcome]:
        """A chunk whose running job is past its wall_timeout: restart its worker (in the background), cancel the
        chunk; that job and its ``timeout`` outcome (the caller hands the chunk's other jobs out again)."""
        restarts.start(stuck.worker)
        stuck.future.cancel()
        job = stuck.jobs[stuck.index]
        return job, Outcome.lost("timeout", f"no answer within wall_timeout = {job.wall_timeout:g} s after "
                                                  f"Dask worker {stuck.worker} started it; the future was cancelled and "
                                                  "the worker is restarted (its Macaulay2 with it)",
                                       stuck.clock, stuck.started)

    @staticmethod
    def _outcomes(running: _Running) -> list[tuple[Job, Outcome]]:
        """The jobs of a finished chunk with their outcomes; all ``failed`` when the task failed."""
        try:
            return list(zip(running.jobs, running.future.result(), strict=True))
        except Exception as error:  # noqa: BLE001 - KilledWorker, a worker without neurom2, ...
            lost = Outcome.lost("failed", f"the Dask task failed: {type(error).__name__}: {error}", running.clock,
                                running.started)
            return [(job, lost) for job in running.jobs]
