"""One job, run where a worker runs it: :func:`run_job` turns a job description into an :class:`Outcome`.

It runs in a worker process (local pool or Dask) and never raises: every failure becomes an outcome.
Macaulay2 work goes through the worker's own session (:func:`neurom2.m2.session.default_session`, one
per process), which survives from job to job and is restarted by neurom2 after a timeout or a crash.

Status:

``done``
    the computation returned; ``result`` is the ``to_json()`` of its task's value (:mod:`neurom2.tasks`).
``timeout``
    the job exceeded its ``timeout`` (:class:`~neurom2.errors.TimeLimitExceeded`), or it did not
    return within its ``wall_timeout`` (decided by the scheduler, see :mod:`neurom2.batch.local`).
``failed``
    any other error, with its type and message in ``error`` (and the traceback for errors that are
    not neurom2's own), or the worker process died.
"""

from __future__ import annotations

import datetime
import socket
import time
import traceback
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from neurom2 import __version__
from neurom2.batch.jobs import resolve_description
from neurom2.errors import Neurom2Error, TimeLimitExceeded

STATUSES = ("done", "failed", "timeout")
CHUNK_SECONDS = 0.05
"""A worker is handed about this many seconds of work at a time (by the mean job time so far)."""
MAX_CHUNK = 64
"""The most jobs handed to a worker at a time."""


def now() -> str:
    """The current time, UTC, ISO 8601 with microseconds (the store's timestamp format)."""
    return datetime.datetime.now(datetime.UTC).isoformat(timespec="microseconds")


@dataclass(frozen=True, kw_only=True)
class Outcome:
    """What happened to one job: status, result JSON (``done`` only), error text, timings, provenance."""

    status: str
    result: dict[str, Any] | None
    error: str | None
    seconds: float
    started: str
    finished: str
    host: str
    neurom2_version: str = __version__
    m2_version: str | None = None
    """The Macaulay2 version that computed the result; None when the job did not call Macaulay2."""

    @classmethod
    def lost(cls, status: str, error: str, started_monotonic: float, started: str) -> Outcome:
        """An outcome decided by the scheduler for a job that did not answer (worker died, wall timeout)."""
        return cls(status=status, result=None, error=error, seconds=time.monotonic() - started_monotonic, started=started,
                   finished=now(), host=socket.gethostname())

    def comparable(self) -> dict[str, Any] | None:
        """The result without timings, for comparing runs (``seconds`` and ``timings`` removed)."""
        if self.result is None:
            return None
        return {k: v for k, v in self.result.items() if k not in ("seconds", "timings")}


def run_job(description: Mapping[str, Any]) -> Outcome:
    """Run one job (a :attr:`Job.description <neurom2.batch.jobs.Job.description>`); never raises."""
    started, clock = now(), time.monotonic()
    status, result, error = "done", None, None
    try:
        result = _compute(description)
    except TimeLimitExceeded as exc:
        status, error = "timeout", str(exc)
    except Neurom2Error as exc:
        status, error = "failed", f"{type(exc).__name__}: {exc}"
    except Exception as exc:  # noqa: BLE001 - a bug or a resource error must not stop the batch
        status, error = "failed", f"{type(exc).__name__}: {exc}\n{traceback.format_exc(limit=20)}"
    seconds = time.monotonic() - clock
    m2_version = result.get("m2_version") if result else None
    return Outcome(status=status, result=result, error=error, seconds=seconds, started=started, finished=now(),
                   host=socket.gethostname(), neurom2_version=__version__, m2_version=m2_version)


def _compute(description: Mapping[str, Any]) -> dict[str, Any]:
    task, architecture, values = resolve_description(description)
    return task.run(architecture, values).to_json()


def chunk_size(mean_seconds: float | None, queued: int, workers: int) -> int:
    """How many jobs to hand a worker at once: about :data:`CHUNK_SECONDS` of work by the mean job time so
    far (one job while nothing has been timed), at most :data:`MAX_CHUNK`, and at most a share of what is
    queued, so that the end of a batch stays spread over the workers."""
    if mean_seconds is None:
        return 1
    by_time = int(CHUNK_SECONDS / mean_seconds) if mean_seconds > 0 else MAX_CHUNK
    return max(1, min(by_time, MAX_CHUNK, queued // (2 * workers)))
