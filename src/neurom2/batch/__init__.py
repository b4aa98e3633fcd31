"""Batches: sweeps of many jobs, written once in a TOML job file, run resumably into a SQLite store.

Data flow (one module per stage)::

    job file ──► jobs ──► run_batch ──► LocalPool | DaskCluster ──► run_job (in a worker, own M2) ──► store
    (TOML)       (Job,     (dedupe, skip    (local, dask_backend)        (execute: Outcome)              (ResultStore:
                  key)      finished,                                                                    one SQLite file)
                            record each)                                                    ──► results (table, JSONL, CSV)

Quick start::

    >>> import pathlib, tempfile
    >>> from neurom2.batch import Job, ResultStore, run_batch
    >>> jobs = [Job.create("dim", [2, a, 1], "x^2") for a in (1, 2, 3)]
    >>> store = pathlib.Path(tempfile.mkdtemp()) / "results.sqlite"
    >>> run_batch(jobs, store, workers=2, progress=False).exit_status
    0
    >>> with ResultStore(store, write=False) as results:  # a reader: no lock, also while a batch writes
    ...     sorted(row.result["dim"] for row in results.rows(status="done"))
    [2, 3, 3]

One writer per store: a second ``run_batch`` (or ``neurom2 batch``) on the same file raises
:class:`StoreError` naming the first, unless it waits (``ResultStore(path, wait=SECONDS)``; see
:mod:`neurom2.batch.store` and :mod:`neurom2.batch.lock`).
"""

from neurom2.batch.dask_backend import DaskCluster
from neurom2.batch.execute import STATUSES, Outcome, run_job
from neurom2.batch.jobs import Job, job_key, load_jobs, parse_jobs
from neurom2.batch.local import LocalPool
from neurom2.batch.results import CSV_COLUMNS, format_table, write_rows
from neurom2.batch.run import BatchPlan, BatchSummary, plan_batch, run_batch
from neurom2.batch.store import ResultRow, ResultStore
from neurom2.errors import BackendError, InvalidJob, JobFileError, StoreError
from neurom2.tasks import TASKS

__all__ = [
    "BackendError",
    "BatchPlan",
    "BatchSummary",
    "CSV_COLUMNS",
    "DaskCluster",
    "InvalidJob",
    "Job",
    "JobFileError",
    "LocalPool",
    "Outcome",
    "ResultRow",
    "ResultStore",
    "STATUSES",
    "StoreError",
    "TASKS",
    "format_table",
    "job_key",
    "load_jobs",
    "parse_jobs",
    "plan_batch",
    "run_batch",
    "run_job",
    "write_rows",
]
