"""The performance guard: representative cases of every task, timed against committed references.

    python benchmarks/guard.py [--case NAME ...] [--update]

(``--update`` with ``--case`` measures only those references, scaled to the stored calibration.)

Each case (:data:`CASES`) is one computation of a task (``implicit``, ``dim``, ``member``, ``landscape``,
``filling``, ``batch``, and the interpolation's independence test on its own), run as the command line runs
it (the task registry, :mod:`neurom2.tasks`), set-up excluded.  Its time t is the wall-clock median of
:data:`REPEATS` runs when one run takes under :data:`REPEAT_BELOW` seconds, else one run.

Calibration: a fixed workload (:func:`calibration_workload`: exact rational arithmetic in pure Python, numpy,
FLINT, a Gröbner basis in Macaulay2) is timed before every case and at the end; C is the median of these
samples, so it sees the load the cases saw.  A case's ratio is (t / C) / (t_ref / C_ref) against the
references in ``benchmarks/results/guard.json`` (measured with ``--update``): a slower machine slows both
and does not fail the guard.  A case FAILS when its ratio exceeds :data:`LIMIT`; a run is stopped (and
fails) after :data:`STOP_FACTOR` × LIMIT × t_ref × C / C_ref seconds (at least :data:`STOP_FLOOR`), so a
regression that hangs fails without being waited for.  Exit status 1 when a case fails, 0 otherwise.

The whole guard takes about half a minute on 2 cores; ``tests/test_guard.py`` runs it under pytest.
"""

from __future__ import annotations

import argparse
import json
import signal
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from types import FrameType
from typing import Any

import flint
import numpy as np
from run import load_average, machine_facts, markdown_table

from neurom2 import Architecture
from neurom2.batch import parse_jobs, run_batch
from neurom2.m2.session import default_session
from neurom2.model.space import AmbientSpace
from neurom2.tasks import task
from neurom2.training import secant
from neurom2.variety import interpolation
from neurom2.variety.dimension import forget_ranks

REFERENCES = Path(__file__).resolve().parent / "results" / "guard.json"
LIMIT = 5.0
"""A case fails when it is more than this many times slower than its reference (calibrated)."""
REPEATS = 5
REPEAT_BELOW = 5.0
"""A case whose first run takes less than this many seconds runs :data:`REPEATS` times; the median counts."""
STOP_FACTOR = 2.0
STOP_FLOOR = 5.0
"""A run is stopped after STOP_FACTOR × LIMIT × its calibrated reference, but never before this many seconds."""

Computation = Callable[[], object]


@dataclass(frozen=True)
class Case:
    """One guarded computation: ``prepare`` does the untimed set-up and returns the timed call."""

    name: str
    task: str
    what: str
    prepare: Callable[[], Computation]


def task_run(name: str, widths: str | None = None, activation: str | None = None, **options: Any) -> Callable[[], Computation]:
    """A task run as the command line runs it: options resolved by the registry, then ``Task.run``."""
    def prepare() -> Computation:
        architecture = Architecture.create(widths, activation) if widths else None
        values = task(name).resolve(architecture, options)
        return lambda: task(name).run(architecture, values)
    return prepare


def filling_run(**options: Any) -> Callable[[], Computation]:
    """A filling search from a fresh results store in every run (a reused store would resume, not search)."""
    def run() -> object:
        with tempfile.TemporaryDirectory() as folder:
            values = task("filling").resolve(None, {**options, "db": str(Path(folder) / "filling.sqlite")})
            return task("filling").run(None, values)
    return lambda: run


BATCH_JOBS = """
[[grid]]
task = "dim"
input = [2, 3]
hidden = {min = 2, max = 4, depth = 2}
output = 1
activation = ["x^2", "x^3"]

[[job]]
task = "implicit"
widths = [3, 2, 1]
activation = "x^3"

[[job]]
task = "member"
widths = [2, 2, 1]
activation = "x^3"
target = "x^3 - x*y^2"
"""


def batch_run() -> Computation:
    """:data:`BATCH_JOBS` on one local worker into a fresh store (worker start-up included)."""
    jobs = parse_jobs(BATCH_JOBS, "guard")

    def run() -> object:
        with tempfile.TemporaryDirectory() as folder:
            return run_batch(jobs, Path(folder) / "batch.sqlite", workers=1, progress=False)
    return run


def independence_run() -> Computation:
    """The minimal generators of σ₂ of the quartic Veronese surface through degree 4 from its interpolated
    pieces (interpolated in the set-up): 1380 quartics tested against the 2220 products x_i·g of the cubics.
    This is the step issue 17's regression made quadratic (through ``interpolation.minimal_generators``, so a
    replaced routine is what is timed)."""
    arch = Architecture.create("3,2,1", "x^4")
    sampler = interpolation.Sampler(arch)
    pieces = [interpolation.equations_of_degree(arch, k, sampler=sampler) for k in range(1, 5)]
    space = AmbientSpace.of(arch)
    return lambda: interpolation.minimal_generators(space, pieces)


def secant_run() -> Computation:
    """The secant count of (3,2,1) x³ (219 critical points by monodromy in centers and metrics, stopped by the trace
    test, both cores) for the landscape benchmark's data: the path tracker that (3,2,1) x⁴ and x⁵ depend on."""
    from landscape import data_for  # here: a filling worker re-imports this module, and 0.1 s became 0.18 s

    arch = Architecture.create("3,2,1", "x^3")
    _, metric = data_for(arch)
    secant.compile_kernels()  # about 20 s on a fresh install, not part of the case
    return lambda: secant.secant_count(arch, 6, metric.gram, metric.center)


CASES: tuple[Case, ...] = (
    Case("implicit (3,2,1) x^4", "implicit", "σ₂ of the quartic Veronese surface: 148 cubics, certificate (issue 17)",
         task_run("implicit", "3,2,1", "x^4")),
    Case("implicit (2,3,1) x^8", "implicit", "third secant of the rational normal octic: 15 quartics, certificate",
         task_run("implicit", "2,3,1", "x^8")),
    Case("independence (3,2,1) x^4 deg 4", "implicit", "minimal generators through degree 4 (interpolation)",
         independence_run),
    Case("dim (2,3,4,4,10,17,11,12,4,2) x^2", "dim", "Jacobian rank of a deep network",
         task_run("dim", "2,3,4,4,10,17,11,12,4,2", "x^2")),
    Case("member (2,2,1) x^3", "member", "x^3 - x*y^2: not reached with real weights",
         task_run("member", "2,2,1", "x^3", target="x^3 - x*y^2")),
    Case("landscape (2,1,1) x^2", "landscape", "10 random data points: critical points, learning degree",
         task_run("landscape", "2,1,1", "x^2", random_data=10)),
    Case("secant count (3,2,1) x^3", "landscape", "219 critical points by monodromy with the trace test", secant_run),
    Case("filling 2→1 depth 5 x^2", "filling", "minimal filling widths, one worker, fresh store",
         filling_run(input=2, output=1, depth=5, workers=1)),
    Case("batch 38 jobs", "batch", "36 dim jobs, an implicit and a member job on one local worker", batch_run),
)


# ---------------------------------------------------------------------------------------------- calibration

CALIBRATION_PRIME = 2_147_483_629
CYCLIC_6 = ("print(# flatten entries gens gb (R -> ideal append(apply(1..5, k -> sum(6, i -> product(k, j -> "
            "R_((i + j) % 6)))), product gens R - 1)) (ZZ/32003[Variables => 6]))")
"""A Gröbner basis of the cyclic 6-roots ideal over ZZ/32003 in Macaulay2 (about 0.07 s)."""


def calibration_workload() -> None:
    """A fixed mix of the work neurom2 does: exact rationals in pure Python, numpy arithmetic modulo a prime,
    a FLINT rank, a Gröbner basis in Macaulay2 (about 0.3 s in all)."""
    total = Fraction(0)
    for k in range(1, 20_000):
        total += Fraction(k % 97, k)
    matrix = np.random.default_rng(0).integers(0, CALIBRATION_PRIME, size=(400, 400), dtype=np.int64)
    for _ in range(40):
        matrix = matrix * (matrix + 1) % CALIBRATION_PRIME
    flint.nmod_mat(300, 300, matrix[:300, :300].ravel().tolist(), CALIBRATION_PRIME).rank()
    default_session().run(CYCLIC_6)


def timed(call: Computation) -> float:
    forget_ranks()  # every run computes its ranks: none kept from the run before
    started = time.perf_counter()
    call()
    return time.perf_counter() - started


# ---------------------------------------------------------------------------------------------- measuring

class Stopped(BaseException):
    """A run took longer than its stop limit (a BaseException: code under test may catch Exception)."""


@contextmanager
def stop_after(seconds: float | None) -> Iterator[None]:
    """Raise :class:`Stopped` in this (main) thread after ``seconds`` (None: never)."""
    if seconds is None:
        yield
        return

    def interrupt(signum: int, frame: FrameType | None) -> None:
        raise Stopped

    previous = signal.signal(signal.SIGALRM, interrupt)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@dataclass(frozen=True)
class Timing:
    """One case's median time over ``runs`` runs, or None when a run was stopped at ``stopped_at`` seconds."""

    seconds: float | None
    runs: int
    stopped_at: float | None = None


def measure(case: Case, stop: float | None) -> Timing:
    """Time ``case`` (median of :data:`REPEATS` runs when quick); stop a run after ``stop`` seconds."""
    call = case.prepare()
    times: list[float] = []
    while len(times) < (REPEATS if not times or times[0] < REPEAT_BELOW else 1):
        try:
            with stop_after(stop):
                times.append(timed(call))
        except Stopped:
            default_session().close()  # it may have been interrupted mid-computation; the next use restarts it
            return Timing(None, len(times) + 1, stop)
    return Timing(statistics.median(times), len(times))


@dataclass(frozen=True)
class Verdict:
    case: Case
    timing: Timing
    reference: float | None
    ratio: float | None
    """(t / C) / (t_ref / C_ref); None without a reference or when stopped."""
    passed: bool | None
    """None when there are no references to compare with (``--update``)."""


def run_guard(cases: Sequence[Case], references: dict[str, Any] | None) -> tuple[list[Verdict], float]:
    """Measure the cases between calibration samples; the verdicts and the calibration C (median)."""
    samples = [timed(calibration_workload) for _ in range(3)]  # the first also starts Macaulay2
    timings = []
    for case in cases:
        samples.append(timed(calibration_workload))
        reference = (references or {}).get("cases", {}).get(case.name)
        stop = None
        if references is not None and reference is not None:
            scale = statistics.median(samples) / references["calibration_seconds"]
            stop = max(STOP_FACTOR * LIMIT * reference["seconds"] * scale, STOP_FLOOR)
        timings.append(measure(case, stop))
        _progress(f"{case.name}: {_seconds(timings[-1].seconds)}")
    samples.append(timed(calibration_workload))
    calibration = statistics.median(samples)
    verdicts = []
    for case, timing in zip(cases, timings):
        reference = (references or {}).get("cases", {}).get(case.name)
        ratio = None
        if reference is not None and timing.seconds is not None:
            ratio = (timing.seconds / calibration) / (reference["seconds"] / references["calibration_seconds"])
        passed = None if references is None else ratio is not None and ratio <= LIMIT
        verdicts.append(Verdict(case, timing, reference["seconds"] if reference else None, ratio, passed))
    return verdicts, calibration


def table(verdicts: Sequence[Verdict], calibration: float, references: dict[str, Any] | None) -> str:
    rows = []
    for v in verdicts:
        time_text = (_seconds(v.timing.seconds) if v.timing.seconds is not None
                     else f"stopped after {_seconds(v.timing.stopped_at)}")
        ratio = f"{v.ratio:.2f}×" if v.ratio is not None else "—"
        verdict = {None: "—", True: "PASS", False: "FAIL" if v.reference is not None else "FAIL (no reference)"}[v.passed]
        rows.append([v.case.name, v.case.task, time_text, v.timing.runs, _seconds(v.reference), ratio, verdict])
    header = ["case", "task", "time", "runs", "reference", f"ratio (calibrated; limit {LIMIT:g}×)", "verdict"]
    reference_calibration = _seconds(references["calibration_seconds"]) if references else "—"
    return (markdown_table(header, rows) + f"\n\nCalibration: {_seconds(calibration)} now, {reference_calibration} "
            f"for the references; load average {load_average()}.")


def _seconds(value: float | None) -> str:
    return "—" if value is None else f"{value:.3g} s"


def _progress(message: str) -> None:
    print(f"  … {message}", file=sys.stderr, flush=True)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--case", action="append", choices=[c.name for c in CASES], metavar="NAME",
                        help="run only this case (repeatable; default: all)")
    parser.add_argument("--update", action="store_true", help=f"measure and write the references to {REFERENCES.name}")
    args = parser.parse_args(argv)
    cases = [c for c in CASES if args.case is None or c.name in args.case]
    references = None if args.update else json.loads(REFERENCES.read_text())
    verdicts, calibration = run_guard(cases, references)
    print(table(verdicts, calibration, references))
    if args.update:
        measured = {v.case.name: {"seconds": v.timing.seconds, "runs": v.timing.runs} for v in verdicts}
        if args.case and REFERENCES.exists():  # the other cases' references stay, these join in their units
            data = json.loads(REFERENCES.read_text())
            scale = data["calibration_seconds"] / calibration
            data["cases"].update({name: {**row, "seconds": row["seconds"] * scale} for name, row in measured.items()})
        else:
            data = {"machine": machine_facts(), "calibration_seconds": calibration, "cases": measured}
        REFERENCES.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n")
        print(f"written: {REFERENCES}")
        return 0
    return 0 if all(v.passed for v in verdicts) else 1


if __name__ == "__main__":
    sys.exit(main())
