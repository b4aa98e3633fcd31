"""Command line interface: ``neurom2 implicit ...``.

Exit codes: 0 success; 1 the computation failed (Macaulay2 error or timeout, failed verification,
Macaulay2 missing); 2 invalid usage or input.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sys
from pathlib import Path
from typing import Sequence

from neurom2 import __version__
from neurom2.model.architecture import Architecture
from neurom2.errors import InvalidArchitecture, Neurom2Error
from neurom2.geometry.implicitization import STRATEGIES, implicitize
from neurom2.m2.package import standalone_script
from neurom2.geometry.dimension import dimension
from neurom2.report import format_dimension, format_neurovariety, format_outcomes

EXIT_FAILURE = 1
EXIT_USAGE = 2


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number of seconds, got {text!r}") from None
    if not (math.isfinite(value) and value > 0):
        raise argparse.ArgumentTypeError(f"must be positive and finite (seconds), got {text!r}")
    return value


def _seed(text: str) -> int:
    if not re.fullmatch(r"[0-9]+", text):
        raise argparse.ArgumentTypeError(f"must be a non-negative integer, got {text!r}")
    return int(text)


def _positive_int(text: str) -> int:
    if not re.fullmatch(r"[0-9]+", text) or int(text) < 1:
        raise argparse.ArgumentTypeError(f"must be a positive integer, got {text!r}")
    return int(text)


def _add_architecture_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--widths", default="2,2,1", help="layer widths d0,...,dL (default: 2,2,1)")
    parser.add_argument("--activation", default="x^2", help="polynomial activation in x, e.g. x^3, x^2+x, 1/2*x^2-3 (default: x^2)")
    parser.add_argument("--bias", action="store_true", help="affine layers (with biases) instead of linear ones")


class _ArgumentParser(argparse.ArgumentParser):
    """Usage errors as one line, ``neurom2: error: ...``, and exit status 2, like every other error."""

    def error(self, message: str) -> None:  # type: ignore[override]
        print(f"neurom2: error: {message} (see '{self.prog} --help')", file=sys.stderr)
        raise SystemExit(EXIT_USAGE)


def build_parser() -> argparse.ArgumentParser:
    parser = _ArgumentParser(prog="neurom2", description="Algebraic geometry of polynomial neural networks, with Macaulay2.")
    parser.add_argument("--version", action="version", version=f"neurom2 {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    implicit = commands.add_parser("implicit", help="implicit equations, dimension and degree of a neuromanifold")
    _add_architecture_arguments(implicit)
    implicit.add_argument("--json", action="store_true", help="print one JSON object instead of text")
    implicit.add_argument("--timeout", type=_seconds, default=None, metavar="S", help="time limit for Macaulay2, in seconds")
    implicit.add_argument("--no-verify", dest="verify", action="store_false", help="skip the independent verification")
    implicit.add_argument("--emit-m2", type=Path, metavar="FILE", help="also write the computation as a standalone Macaulay2 script")
    implicit.add_argument("--seed", type=_seed, default=0, help="seed of the random points (default: 0)")
    implicit.add_argument("--strategy", choices=STRATEGIES, default="auto", help="how to compute the ideal (default: auto; see README)")
    implicit.add_argument("--max-degree", type=_positive_int, default=None, metavar="K", help="degree bound for the truncated and interpolate strategies")
    implicit.set_defaults(handler=_implicit)

    dim = commands.add_parser("dim", help="exact dimension of a neuromanifold (Jacobian rank modulo primes)")
    _add_architecture_arguments(dim)
    dim.add_argument("--json", action="store_true", help="print one JSON object instead of text")
    dim.add_argument("--float-check", action="store_true", help="also compute a floating-point rank as a cross-check")
    dim.add_argument("--seed", type=_seed, default=None, help="seed of the random points (default: fresh randomness)")
    dim.set_defaults(handler=_dim)

    # --- member (neurom2.real.membership) ---
    member = commands.add_parser("member", help="is a target polynomial computed by the network, with real or complex weights?")
    _add_architecture_arguments(member)
    member.add_argument("--target", required=True, help="polynomial(s) in x1..xn (or x,y,z), one per output separated by ';', e.g. 'x^3 - x*y^2'")
    member.add_argument("--field", choices=("real", "complex"), default="real", help="weights in R or in C (default: real)")
    member.add_argument("--json", action="store_true", help="print one JSON object instead of text")
    member.add_argument("--timeout", type=_seconds, default=None, metavar="S", help="time limit for Macaulay2, in seconds")
    member.add_argument("--seed", type=_seed, default=0, help="seed of the random choices (separating forms, slices; default: 0)")
    member.set_defaults(handler=_member)
    # --- end member ---

    reproduce = commands.add_parser("reproduce", help="check every claim of the lecture slides by computation")
    reproduce.add_argument("--json", action="store_true", help="print a JSON list of claims instead of text")
    reproduce.add_argument("--only", action="append", metavar="ID", help="run only this claim (repeatable)")
    reproduce.set_defaults(handler=_reproduce)

    picture = commands.add_parser("picture", help="draw a slice of the real neuromanifold of σ = x³ on (2,2,1) as a PNG")
    picture.add_argument("--out", type=Path, default=Path("cubic_slice.png"), help="output file (default: cubic_slice.png)")
    picture.set_defaults(handler=_picture)

    doctor = commands.add_parser("doctor", help="check Macaulay2, the Python dependencies and the results store; say how to fix what is wrong")
    doctor.add_argument("--db", type=Path, default=None, metavar="FILE", help="results store to check (default: results.sqlite here, if there is one)")
    doctor.add_argument("--json", action="store_true", help="print one JSON object instead of text")
    doctor.set_defaults(handler=_doctor)

    # --- batch, results (neurom2.batch) ---
    _add_batch_commands(commands)
    # --- end batch, results ---
    return parser


def _implicit(args: argparse.Namespace) -> int:
    arch = Architecture.create(args.widths, args.activation, args.bias)
    if args.emit_m2:
        args.emit_m2.write_text(standalone_script(arch, str(arch)))
    variety = implicitize(
        arch, strategy=args.strategy, max_degree=args.max_degree, timeout=args.timeout, verify=args.verify, seed=args.seed
    )
    print(json.dumps(variety.to_json(), indent=2) if args.json else format_neurovariety(variety))
    return 0


def _dim(args: argparse.Namespace) -> int:
    arch = Architecture.create(args.widths, args.activation, args.bias)
    result = dimension(arch, seed=args.seed, float_check=args.float_check)
    print(json.dumps(result.to_json(), indent=2) if args.json else format_dimension(result))
    return 0


def _member(args: argparse.Namespace) -> int:
    """``neurom2 member``: exit 0 for yes, no and undecided alike; 2 for a target outside V."""
    from neurom2.real.membership import decide_membership
    from neurom2.report import format_membership
    from neurom2.model.target import InvalidTarget

    arch = Architecture.create(args.widths, args.activation, args.bias)
    try:
        result = decide_membership(arch, args.target, args.field, timeout=args.timeout, seed=args.seed)
    except InvalidTarget as error:
        print(f"neurom2: error: {error}", file=sys.stderr)
        return EXIT_USAGE
    print(json.dumps(result.to_json(), indent=2, ensure_ascii=False) if args.json else format_membership(result))
    return 0


def _reproduce(args: argparse.Namespace) -> int:
    """``neurom2 reproduce``: exit 0 when every claim passes, 1 otherwise, 2 for an unknown claim id."""
    from neurom2.claims import CLAIMS, run_claims

    known = {c.id for c in CLAIMS}
    unknown = sorted(set(args.only or ()) - known)
    if unknown:
        raise InvalidArchitecture(f"unknown claim id(s) {', '.join(unknown)}; known: {', '.join(c.id for c in CLAIMS)}")
    outcomes = run_claims(args.only)
    if args.json:
        print(json.dumps([o.to_json() for o in outcomes], indent=2, ensure_ascii=False))
    else:
        print(format_outcomes(outcomes))
    return 0 if all(o.evidence.passed for o in outcomes) else EXIT_FAILURE


def _doctor(args: argparse.Namespace) -> int:
    """``neurom2 doctor``: exit 0 when no check fails, 1 otherwise."""
    from neurom2.doctor import run_doctor

    return run_doctor(store=args.db, as_json=args.json)


def _picture(args: argparse.Namespace) -> int:
    from neurom2.picture import cubic_slice_picture

    result = cubic_slice_picture(args.out)
    decided = ", ".join(f"({b},{c}): {'reached' if m else 'not reached' if m is False else 'undecided'}" for b, c, m in result.decided)
    print(f"wrote {result.path}: slice x^3 + B x^2 y + C x y^2, boundary {result.boundary} = 0; decided exactly: {decided}")
    return 0


# --- batch, results (neurom2.batch): job files, a local pool or Dask, a SQLite store ----------------------

DEFAULT_DB = Path("results.sqlite")


def _add_batch_commands(commands: argparse._SubParsersAction) -> None:
    batch = commands.add_parser("batch", help="run the jobs of a TOML job file into a SQLite store (resumable)")
    batch.add_argument("jobs", type=Path, metavar="JOBS.toml", help="job file (see examples/README.md)")
    batch.add_argument("--db", type=Path, default=DEFAULT_DB, metavar="FILE", help=f"results store (default: {DEFAULT_DB})")
    where = batch.add_mutually_exclusive_group()
    where.add_argument("--workers", type=_positive_int, default=None, metavar="N", help="local worker processes (default: one per CPU)")
    where.add_argument("--scheduler", metavar="tcp://HOST:PORT", help="run on the Dask cluster of this scheduler instead")
    batch.add_argument("--retry-failed", action="store_true", help="run again the jobs stored as failed")
    batch.add_argument("--retry-timeout", action="store_true", help="run again the jobs stored as timeout")
    batch.add_argument("--dry-run", action="store_true", help="check the job file and count what would run; run nothing")
    batch.add_argument("--json", action="store_true", help="print the summary as one JSON object")
    batch.add_argument("--quiet", action="store_true", help="no progress display")
    batch.set_defaults(handler=_batch)

    results = commands.add_parser("results", help="show or export the results of a store")
    actions = results.add_subparsers(dest="results_command", required=True, metavar="ACTION")
    show = actions.add_parser("show", help="print stored results as a table (or JSON, CSV)")
    export = actions.add_parser("export", help="write every stored result as JSON Lines or CSV")
    for action in (show, export):
        action.add_argument("--db", type=Path, default=DEFAULT_DB, metavar="FILE", help=f"results store (default: {DEFAULT_DB})")
        action.add_argument("--status", choices=("done", "failed", "timeout"), help="only rows with this status")
        action.add_argument("--task", choices=("dim", "implicit", "member"), help="only rows of this task")
    show.add_argument("--limit", type=_positive_int, default=None, metavar="N", help="at most N rows")
    formats = show.add_mutually_exclusive_group()
    formats.add_argument("--json", action="store_true", help="a JSON array of rows")
    formats.add_argument("--csv", action="store_true", help="CSV, as export --format csv")
    show.set_defaults(handler=_results_show)
    export.add_argument("--format", choices=("jsonl", "csv", "json"), required=True, help="jsonl: one JSON object per line; csv: flat columns")
    export.add_argument("--output", type=Path, default=None, metavar="FILE", help="write to FILE (default: standard output)")
    export.set_defaults(handler=_results_export)


def _batch(args: argparse.Namespace) -> int:
    """``neurom2 batch``: 0 all jobs done; 1 some failed or timed out; 2 invalid job file or store; 128+n on signal n."""
    from neurom2.batch import JobFileError, ResultStore, StoreError, load_jobs, run_batch

    try:
        jobs = load_jobs(args.jobs)
    except JobFileError as error:
        for line in error.lines(limit=50):
            print(line, file=sys.stderr)
        count = len(error.problems)
        print(f"neurom2: error: invalid job file {args.jobs} ({count} problem{'s' if count != 1 else ''}); nothing was run",
              file=sys.stderr)
        return EXIT_USAGE
    if args.dry_run and not args.db.exists():
        return _batch_dry_run(jobs, None, args)
    try:
        store = ResultStore(args.db)
    except StoreError as error:
        print(f"neurom2: error: {error}", file=sys.stderr)
        return EXIT_USAGE
    with store:
        if args.dry_run:
            return _batch_dry_run(jobs, store, args)
        summary = run_batch(jobs, store, workers=args.workers, scheduler=args.scheduler, retry_failed=args.retry_failed,
                            retry_timeout=args.retry_timeout, progress=not args.quiet)
    print(json.dumps(summary.to_json(), indent=2) if args.json else summary.format())
    return summary.exit_status


def _batch_dry_run(jobs: list, store, args: argparse.Namespace) -> int:
    from neurom2.batch import TASKS, plan_batch

    plan = plan_batch(jobs, store, retry_failed=args.retry_failed, retry_timeout=args.retry_timeout)
    tasks = {task: sum(1 for job in plan.pending if job.task == task) for task in TASKS}
    report = {"jobs": len(plan.jobs), "duplicates": plan.duplicates, "in_store": len(plan.stored),
              "would_run": len(plan.pending), "would_run_by_task": tasks, "store": str(args.db)}
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        by_task = ", ".join(f"{n} {t}" for t, n in tasks.items() if n) or "nothing"
        print(f"{args.jobs}: {len(plan.jobs)} jobs; {len(plan.stored)} already in {args.db}; "
              f"{len(plan.pending)} would run ({by_task})")
    return 0


def _open_results(args: argparse.Namespace):
    from neurom2.batch import ResultStore, StoreError

    try:
        return ResultStore(args.db, create=False)
    except StoreError as error:
        print(f"neurom2: error: {error}", file=sys.stderr)
        return None


def _results_show(args: argparse.Namespace) -> int:
    from neurom2.batch import format_table, write_rows

    store = _open_results(args)
    if store is None:
        return EXIT_USAGE
    with store:
        rows = store.rows(status=args.status, task=args.task, limit=args.limit)
        if args.json or args.csv:
            write_rows(rows, sys.stdout, "json" if args.json else "csv")
            return 0
        rows = list(rows)
        print(format_table(rows))
        counts = ", ".join(f"{n} {s}" for s, n in store.counts().items())
        print(f"{len(rows)} row{'s' if len(rows) != 1 else ''} shown; {args.db} holds {counts}")
    return 0


def _results_export(args: argparse.Namespace) -> int:
    from neurom2.batch import write_rows

    store = _open_results(args)
    if store is None:
        return EXIT_USAGE
    with store:
        rows = store.rows(status=args.status, task=args.task)
        if args.output is None:
            write_rows(rows, sys.stdout, args.format)
        else:
            with open(args.output, "w", encoding="utf-8", newline="") as out:
                count = write_rows(rows, out, args.format)
            print(f"wrote {count} rows to {args.output}", file=sys.stderr)
    return 0


# --- end batch, results ------------------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as stop:  # --help, --version and usage errors
        return int(stop.code or 0)
    try:
        return args.handler(args)
    except InvalidArchitecture as error:
        print(f"neurom2: error: {error}", file=sys.stderr)
        return EXIT_USAGE
    except BrokenPipeError:  # e.g. piped into `head`: the reader is gone, nothing more to say
        sys.stderr.close()
        return EXIT_FAILURE
    except (Neurom2Error, OSError) as error:
        print(f"neurom2: error: {error}", file=sys.stderr)
        return EXIT_FAILURE
    except KeyboardInterrupt:
        print("neurom2: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
