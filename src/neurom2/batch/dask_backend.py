"""The Dask backend: the same jobs on an existing Dask cluster, results written by the client.

``DaskCluster("tcp://HOST:PORT")`` connects a :class:`distributed.Client` to a running scheduler (or
takes a ``Client``), submits :func:`neurom2.batch.execute.run_job` for each job and yields the outcomes
as they complete (``as_completed``); the caller writes them to the store, so the store stays a local
file of the client and the workers need no access to it.  Each Dask worker process runs its jobs in
its own Macaulay2 session (:func:`neurom2.m2.session.default_session` is per process); start workers
with one thread each (``--nthreads 1``), since the jobs of one process share its session.

At most one job per worker thread is submitted at a time (the count is refreshed as the cluster grows
or shrinks), so a job's wall clock starts when a thread takes it.  A job that has not completed
``wall_timeout`` seconds after submission is recorded ``timeout`` and its future cancelled; Dask cannot
stop a running task, so the worker finishes that computation in the background (each Macaulay2 step is
bounded by the job's ``timeout``).  A worker that dies is Dask's business: its tasks are rescheduled,
and a task that kills workers repeatedly ends as ``KilledWorker``, recorded ``failed``.
"""

from __future__ import annotations

import secrets
import time
from collections import deque
from typing import Any, Callable, Iterable, Iterator

from neurom2.errors import BackendError
from neurom2.batch.execute import Outcome, now, run_job
from neurom2.batch.jobs import Job

REFRESH_SECONDS = 2.0
"""How often the number of worker threads is asked from the scheduler."""
IDLE_SLEEP = 0.005
CONNECT_TIMEOUT = "30s"


def _distributed() -> Any:
    try:
        import distributed
    except ImportError:
        raise BackendError("the Dask backend needs the distributed package: pip install 'neurom2[dask]' "
                           "(or pip install 'dask[distributed]')") from None
    return distributed


class DaskCluster:
    """Run jobs on the Dask cluster whose scheduler is at ``scheduler`` (an address or a ``Client``)."""

    def __init__(self, scheduler: "str | Any", *, log: Callable[[str], None] | None = None) -> None:
        self.scheduler = scheduler
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
            return distributed.Client(self.scheduler, timeout=CONNECT_TIMEOUT, set_as_default=False), True
        except (OSError, TimeoutError) as error:
            raise BackendError(f"cannot reach the Dask scheduler at {self.scheduler}: {error}") from None

    def run(self, jobs: Iterable[Job]) -> Iterator[tuple[Job, Outcome]]:
        """Submit ``jobs`` in order, yield ``(job, outcome)`` as they complete (see the module docstring)."""
        distributed = _distributed()
        client, owned = self._client()
        queue = deque(jobs)
        token = secrets.token_hex(4)
        completed = distributed.as_completed(loop=client.loop)
        running: dict[str, tuple[Job, Any, float, str]] = {}  # future key -> job, future, clock, started
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
                    future = client.submit(run_job, job.description, pure=False, key=f"neurom2-{job.key[:16]}-{token}")
                    running[future.key] = (job, future, time.monotonic(), now())
                    completed.add(future)
                finished = completed.next_batch(block=False) if completed.has_ready() else []
                for future in finished:
                    if future.key not in running:  # cancelled after its wall timeout
                        continue
                    job, _, clock, started = running.pop(future.key)
                    yield job, self._outcome(future, clock, started)
                for key, (job, future, clock, started) in list(running.items()):
                    if time.monotonic() - clock >= job.wall_timeout:
                        del running[key]
                        future.cancel()
                        yield job, Outcome.lost("timeout", f"no answer within wall_timeout = {job.wall_timeout:g} s; "
                                                           "the Dask future was cancelled", clock, started)
                if not finished:
                    time.sleep(IDLE_SLEEP)
        finally:
            if running:
                client.cancel([future for _, future, _, _ in running.values()])
            if owned:
                client.close()

    @staticmethod
    def _outcome(future: Any, clock: float, started: str) -> Outcome:
        try:
            return future.result()
        except Exception as error:  # noqa: BLE001 - KilledWorker, a worker without neurom2, ...
            return Outcome.lost("failed", f"the Dask task failed: {type(error).__name__}: {error}", clock, started)
