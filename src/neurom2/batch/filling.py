"""``neurom2 filling`` on the batch engine: the frontier search of :mod:`neurom2.filling.search`, its ranks run as
``dim`` jobs on local workers or a Dask cluster and recorded in a results store.

The search itself is mathematics and imports nothing of the batch engine; it asks a
:class:`~neurom2.filling.search.RankSource` for ranks.  This module, in the task layer, supplies the one that
runs jobs (:class:`BatchRanks`), so the imports point downwards: batch → filling.  Every job is a ``dim`` job
with a key (:mod:`neurom2.batch.jobs`) and the search is deterministic, so an interrupted search resumes from its
store: the same command finds its finished ranks there.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from contextlib import ExitStack
from pathlib import Path
from tempfile import TemporaryDirectory

from neurom2 import progress
from neurom2.batch.dask_backend import checked_address
from neurom2.batch.jobs import Job
from neurom2.batch.run import run_batch
from neurom2.batch.store import ResultStore
from neurom2.deadline import Deadline
from neurom2.errors import InvalidJob, InvalidOption
from neurom2.filling.certificates import FillingResult, RankProof
from neurom2.filling.regions import Widths
from neurom2.filling.search import search_box, search_filling

DEFAULT_STORE = "filling.sqlite"
"""The results store of ``neurom2 filling`` when ``--db`` is not given."""
JOB_TIMEOUT = 600.0
"""Seconds for one rank job (the whole search may have its own ``timeout``)."""


class BatchRanks:
    """Jacobian ranks as ``dim`` jobs of the batch machinery, recorded in a results store (a
    :class:`~neurom2.filling.search.RankSource`)."""

    def __init__(self, store: ResultStore, activation: str, *, seed: int, workers: int | None, scheduler: str | None,
                 force: bool, deadline: Deadline) -> None:
        self.store = store
        self.activation = activation
        self.seed = seed
        self.workers = workers
        self.scheduler = scheduler
        self.force = force
        self.deadline = deadline
        self.location = str(store.path)
        self.known: dict[Widths, RankProof | str] = {}
        self.rounds = 0
        self.computed = 0

    def ranks(self, architectures: Iterable[Widths]) -> dict[Widths, RankProof | str]:
        """The rank proof of each architecture (full widths), or why it could not be computed."""
        architectures = list(architectures)
        wanted = [w for w in dict.fromkeys(architectures) if w not in self.known]
        jobs = {}
        for widths in wanted:
            try:
                jobs[widths] = Job.create("dim", widths, self.activation, seed=self.seed, force=self.force,
                                          timeout=self.deadline.remaining(JOB_TIMEOUT) or JOB_TIMEOUT)
            except InvalidJob as error:
                self.known[widths] = f"not computed: {error}"
        if jobs:
            self.rounds += 1
            progress.stage(f"round {self.rounds}", f"{len(jobs)} rank computations")
            summary = run_batch(list(jobs.values()), self.store, workers=self.workers, scheduler=self.scheduler,
                                progress=False)
            if summary.interrupted:
                raise KeyboardInterrupt(summary.interrupted)
            self.computed += sum(summary.ran.values())
            for widths, job in jobs.items():
                self.known[widths] = self._read(job)
        return {w: self.known[w] for w in architectures}

    def _read(self, job: Job) -> RankProof | str:
        row = self.store.get(job.key)
        if row is None or row.status != "done" or row.result is None:
            return f"the rank job {job.key[:12]} did not finish: {row.status if row else 'missing'}" \
                   + (f" ({row.error.splitlines()[0]})" if row is not None and row.error else "")
        result = row.result
        return RankProof(rank=result["dim"], ranks=tuple(result["ranks"]), primes=tuple(result["primes"]),
                         error_bound=result["error_bound"], job=job.key)


def minimal_filling(
    *,
    input: int,
    output: int,
    depth: int,
    activation: str = "x^2",
    max_width: int | None = None,
    workers: int | None = None,
    scheduler: str | None = None,
    db: str | Path | None = None,
    seed: int = 0,
    timeout: float | None = None,
    force: bool = False,
) -> FillingResult:
    """The minimal filling architectures (input, a_1..a_{depth−1}, output) for σ = x^r, with certificates.

    Ranks run as ``dim`` jobs on ``workers`` local processes or the Dask ``scheduler``, recorded in the
    results store ``db`` (an interrupted search resumes from it); without ``db`` the store is a temporary
    file, removed afterwards, so nothing is written unless asked (the command line's ``--db`` defaults to
    :data:`DEFAULT_STORE` in the current directory).  ``max_width`` limits the hidden widths
    searched; the answer is then complete only within that box.  ``timeout`` bounds the whole search.
    """
    started = time.perf_counter()
    if workers is not None and scheduler is not None:
        raise InvalidOption("give either workers or scheduler, not both", "scheduler")
    checked_address(scheduler)  # before the bounds phase, which can take minutes
    sigma, caps, box = search_box(input, depth, activation, max_width, force)
    deadline = Deadline(timeout)
    with ExitStack() as cleanup:
        path = Path(cleanup.enter_context(TemporaryDirectory(prefix="neurom2-filling-"))) / DEFAULT_STORE if db is None else db
        store = cleanup.enter_context(ResultStore(path))
        ranks = BatchRanks(store, str(sigma), seed=seed, workers=workers, scheduler=scheduler, force=force,
                           deadline=deadline)
        backend = f"Dask scheduler {scheduler}" if scheduler else \
            f"{workers} local worker{'s' if workers != 1 else ''}" if workers else "one local worker per CPU"
        return search_filling(input, output, depth, sigma, caps, box, ranks, backend, started)


__all__ = ["DEFAULT_STORE", "BatchRanks", "minimal_filling"]
