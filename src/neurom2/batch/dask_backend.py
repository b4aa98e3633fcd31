"""The Dask backend: the same jobs on an existing Dask cluster, results written by the client.

``DaskCluster("tcp://HOST:PORT")`` connects a :class:`distributed.Client` to a running scheduler (or
takes a ``Client``), submits each job as a task that runs :func:`neurom2.batch.execute.run_job`, and
yields the outcomes as they complete (``as_completed``); the caller writes them to the store, so the
store stays a local file of the client and the workers need no access to it.  Each Dask worker process
runs its jobs in its own Macaulay2 session (:func:`neurom2.m2.session.default_session` is per process);
start workers with one thread each (``--nthreads 1``), since the jobs of one process share its session.

Wall timeouts.  A job's ``wall_timeout`` counts from the moment a worker starts it: the task's first act
is to report its start (``Worker.log_event`` on a topic of this batch, which the client subscribes to),
and the client starts the job's clock when that report arrives.  Time spent queued, behind other tasks
or waiting for a worker, does not count.  A job still running ``wall_timeout`` seconds after its start is
recorded ``timeout``, its future is cancelled, and, because Dask cannot stop a running task, the worker
that runs it is restarted through its nanny (``Client.restart_workers``; the usual ``dask worker`` and
``LocalCluster`` setups have one), which kills the worker process and its Macaulay2 with it and starts
a fresh one.  A worker without a nanny cannot be restarted and is retired (``Client.retire_workers``),
so that no more jobs go to it.  Restarts run in the background; the batch goes on meanwhile.  This also
applies to a worker of a shared cluster: it is restarted, with whatever else it was running.

At most one job per worker thread is submitted at a time (the count is refreshed as the cluster grows
or shrinks).  A worker that dies is Dask's business: its tasks are rescheduled (the job's clock restarts
when it starts again elsewhere), and a task that kills workers repeatedly ends as ``KilledWorker``,
recorded ``failed``.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections import deque
from collections.abc import Callable, Generator, Iterable, Iterator
from dataclasses import dataclass, field
from queue import Empty, SimpleQueue
from typing import Any

from neurom2.batch.execute import Outcome, now, run_job
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


def run_reporting_start(description: dict[str, Any], key: str, topic: str) -> Outcome:
    """The task a Dask worker runs: report ``(key, worker address)`` on ``topic``, then run the job."""
    worker = _distributed().get_worker()
    worker.log_event(topic, {"key": key, "worker": worker.address})
    return run_job(description)


@dataclass
class _Running:
    """A submitted job and its clock: from its submission until a worker reports starting it, then from then."""

    job: Job
    future: Any
    clock: float = field(default_factory=time.monotonic)
    started: str = field(default_factory=now)
    worker: str = ""
    """The address of the worker that reported starting the job (empty until one does)."""

    def begin(self, worker: str, clock: float, started: str) -> None:
        self.worker, self.clock, self.started = worker, clock, started

    def overdue(self, moment: float) -> bool:
        return bool(self.worker) and moment - self.clock >= self.job.wall_timeout


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


class DaskCluster:
    """Run jobs on the Dask cluster whose scheduler is at ``scheduler`` (an address or a ``Client``)."""

    def __init__(self, scheduler: str | Any, *, log: Callable[[str], None] | None = None) -> None:
        self.scheduler = SCHEDULER.kind.check(SCHEDULER.name, scheduler) if isinstance(scheduler, str) else scheduler
        self.log = log or (lambda message: None)

    def describe(self) -> str:
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
        starts: SimpleQueue[tuple[dict[str, str], float, str]] = SimpleQueue()
        client.subscribe_topic(topic, lambda event: starts.put((event[1], time.monotonic(), now())))
        completed = distributed.as_completed(loop=client.loop)
        running: dict[str, _Running] = {}  # by future key
        restarts = _Restarts(client)
        threads, asked = 0, float("-inf")
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
                    job = queue.popleft()
                    key = f"neurom2-{job.key[:16]}-{token}"
                    future = client.submit(run_reporting_start, job.description, key, topic, pure=False, key=key)
                    running[key] = _Running(job, future)
                    completed.add(future)
                while not starts.empty():
                    report, clock, started = starts.get()
                    if report["key"] in running:  # (a job started again after its worker died: its clock restarts)
                        running[report["key"]].begin(report["worker"], clock, started)
                finished = completed.next_batch(block=False) if completed.has_ready() else []
                # (not if cancelled after its wall timeout)
                outcomes = [self._outcome(running.pop(f.key)) for f in finished if f.key in running]
                moment = time.monotonic()
                outcomes += [self._time_out(running.pop(key), restarts) for key in [key for key, r in running.items()
                                                                                     if r.overdue(moment)]]
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
        """A job past its wall_timeout: restart its worker (in the background), cancel it, record ``timeout``."""
        restarts.start(stuck.worker)
        stuck.future.cancel()
        return stuck.job, Outcome.lost("timeout", f"no answer within wall_timeout = {stuck.job.wall_timeout:g} s after "
                                                  f"Dask worker {stuck.worker} started it; the future was cancelled and "
                                                  "the worker is restarted (its Macaulay2 with it)",
                                       stuck.clock, stuck.started)

    @staticmethod
    def _outcome(running: _Running) -> tuple[Job, Outcome]:
        try:
            return running.job, running.future.result()
        except Exception as error:  # noqa: BLE001 - KilledWorker, a worker without neurom2, ...
            return running.job, Outcome.lost("failed", f"the Dask task failed: {type(error).__name__}: {error}",
                                             running.clock, running.started)
