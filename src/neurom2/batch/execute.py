"""One job, run where a worker runs it: :func:`run_job` turns a job description into an :class:`Outcome`.

It runs in a worker process (local pool or Dask) and never raises: every failure becomes an outcome.
Macaulay2 work goes through the worker's own session (:func:`neurom2.m2.session.default_session`, one
per process), which survives from job to job and is restarted by neurom2 after a timeout or a crash.

Status:

``done``
    the computation returned; ``result`` is the ``to_json()`` of its value (:class:`~neurom2.geometry.dimension.Dimension`,
    :class:`~neurom2.Neurovariety` or :class:`~neurom2.real.membership.Membership`).
``timeout``
    Macaulay2 exceeded the job's ``timeout`` (:class:`~neurom2.Macaulay2Timeout`), or the job did not
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
from dataclasses import dataclass
from typing import Any, Mapping

from neurom2 import __version__
from neurom2.model.architecture import Architecture
from neurom2.geometry.dimension import dimension
from neurom2.errors import Macaulay2Timeout, Neurom2Error
from neurom2.geometry.implicitization import implicitize
from neurom2.real.membership import decide_membership

STATUSES = ("done", "failed", "timeout")


def now() -> str:
    """The current time, UTC, ISO 8601 with microseconds (the store's timestamp format)."""
    return datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="microseconds")


@dataclass(frozen=True)
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
    def lost(cls, status: str, error: str, started_monotonic: float, started: str) -> "Outcome":
        """An outcome decided by the scheduler for a job that did not answer (worker died, wall timeout)."""
        return cls(status, None, error, time.monotonic() - started_monotonic, started, now(), socket.gethostname())

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
    except Macaulay2Timeout as exc:
        status, error = "timeout", str(exc)
    except Neurom2Error as exc:
        status, error = "failed", f"{type(exc).__name__}: {exc}"
    except Exception as exc:  # noqa: BLE001 - a bug or a resource error must not stop the batch
        status, error = "failed", f"{type(exc).__name__}: {exc}\n{traceback.format_exc(limit=20)}"
    seconds = time.monotonic() - clock
    m2_version = result.get("m2_version") if result else None
    return Outcome(status, result, error, seconds, started, now(), socket.gethostname(), __version__, m2_version)


def _compute(description: Mapping[str, Any]) -> dict[str, Any]:
    task = description["task"]
    arch = Architecture.create(description["widths"], description["activation"], description["bias"])
    timeout = description.get("timeout")
    if task == "dim":
        return dimension(arch, seed=description["seed"], float_check=description["float_check"]).to_json()
    if task == "implicit":
        variety = implicitize(arch, strategy=description["strategy"], max_degree=description["max_degree"],
                              timeout=timeout, verify=description["verify"], seed=description["seed"])
        return variety.to_json()
    if task == "member":
        membership = decide_membership(arch, description["target"], description["field"], timeout=timeout,
                                       seed=description["seed"])
        return membership.to_json()
    raise ValueError(f"unknown task {task!r}")
