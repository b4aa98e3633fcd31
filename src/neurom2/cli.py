"""Command line interface: ``neurom2 TASK ...`` for every task of the registry, and the commands
``reproduce``, ``picture``, ``doctor``, ``batch`` and ``results``.

The subcommands of tasks (``dim``, ``implicit``, ``member``, ...) are generated from
:data:`neurom2.tasks.TASKS`: ``--widths``, ``--activation``, ``--bias``, the task's options, ``--json``.

Exit codes: 0 success; 1 the computation failed (Macaulay2 error or timeout, failed verification,
Macaulay2 missing); 2 invalid usage or input (every :class:`~neurom2.errors.InvalidInput`).  No traceback
reaches a user: an unexpected exception is reported in one line, with the advice to report it.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from neurom2 import __version__
from neurom2.errors import InvalidInput, InvalidOption, Neurom2Error
from neurom2.progress import reporting
from neurom2.tasks import SCHEDULER, SEED, TASKS, TIMEOUT, Flag, Option, Task

EXIT_FAILURE = 1
EXIT_USAGE = 2
REMOVED_OPTIONS = {
    "--emit-m2": "--emit-m2 was removed: 'neurom2 implicit --format m2 > FILE' writes the ideal neurom2 computed "
                 "as a Macaulay2 script",
}
"""Options that no longer exist, and what to use instead."""


def _positive_int(text: str) -> int:
    if not re.fullmatch(r"[0-9]+", text) or int(text) < 1:
        raise argparse.ArgumentTypeError(f"must be a positive integer, got {text!r}")
    return int(text)


class _ArgumentParser(argparse.ArgumentParser):
    """Usage errors as one line, ``neurom2: error: ...``, and exit status 2, like every other error."""

    def error(self, message: str) -> None:  # type: ignore[override]
        if message.startswith("unrecognized arguments: "):
            message = next((REMOVED_OPTIONS[flag] for flag in re.findall(r"--[\w-]+", message) if flag in REMOVED_OPTIONS),
                           message)
        print(f"neurom2: error: {message} (see '{self.prog} --help')", file=sys.stderr)
        raise SystemExit(EXIT_USAGE)


def _converter(option: Option) -> Any:
    """argparse ``type=`` for an option: its kind's rules, its message."""

    def convert(text: str) -> Any:
        try:
            return option.kind.from_text(option.name, text)
        except InvalidOption as error:
            raise argparse.ArgumentTypeError(str(error).removeprefix(f"{option.name} ")) from None

    convert.__name__ = option.name
    return convert


def _add_task(commands: argparse._SubParsersAction, task: Task) -> None:
    parser = commands.add_parser(task.name, help=task.help, description=task.help + (". " + task.details if task.details else ""))
    if task.architecture:
        parser.add_argument("--widths", default="2,2,1", help="layer widths d0,...,dL (default: 2,2,1)")
        parser.add_argument("--activation", default="x^2",
                            help="polynomial activation in x, e.g. x^3, x^2+x, 1/2*x^2-3 (default: x^2)")
        parser.add_argument("--bias", action="store_true", help="affine layers (with biases) instead of linear ones")
    output = parser.add_mutually_exclusive_group()  # --json is --format json, where a task has formats
    for option in task.options:
        if isinstance(option.kind, Flag):
            action = "store_false" if option.default is True else "store_true"
            parser.add_argument(option.flag, dest=option.name, action=action, help=option.flag_help)
            continue
        default = None if option.required else option.default
        shown = "" if option.required or option.default is None else f" (default: {option.default})"
        choices = getattr(option.kind, "choices", None)
        (output if option.name == "format" else parser).add_argument(
            option.flag, dest=option.name, required=option.required, default=default,
            type=None if choices else _converter(option), choices=choices,
            metavar=option.metavar or (None if choices else option.name.upper()), help=option.help + shown)
    output.add_argument("--json", action="store_true", help="print one JSON object instead of text")
    parser.add_argument("--quiet", action="store_true", help="no progress display on stderr")
    parser.set_defaults(handler=_run_task, task=task)


def _run_task(args: argparse.Namespace) -> int:
    """A registry task: resolve its options, run it, print its report or JSON."""
    from neurom2.model.architecture import Architecture

    task: Task = args.task
    architecture = Architecture.create(args.widths, args.activation, args.bias) if task.architecture else None
    values = task.resolve(architecture, {o.name: getattr(args, o.name) for o in task.options
                                         if getattr(args, o.name) is not None or not o.required})
    output = "json" if args.json else values.get("format", "text")
    with reporting(not (output == "json" or args.quiet)):
        result = task.run(architecture, values)
    print(task.format(result, output))
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``neurom2``: one subcommand per registry task, then the other commands."""
    parser = _ArgumentParser(prog="neurom2", description="Algebraic geometry of polynomial neural networks, with Macaulay2.")
    parser.add_argument("--version", action="version", version=f"neurom2 {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for task in TASKS.values():
        _add_task(commands, task)

    reproduce = commands.add_parser("reproduce", help="check every claim of the lecture slides by computation")
    reproduce.add_argument("--json", action="store_true", help="print a JSON list of claims instead of text")
    reproduce.add_argument("--only", action="append", metavar="ID", help="run only this claim (repeatable)")
    reproduce.add_argument("--quiet", action="store_true", help="no progress display on stderr")
    reproduce.set_defaults(handler=_reproduce)

    picture = commands.add_parser("picture", help="draw a slice of the real neuromanifold of σ = x³ on (2,2,1) as a PNG, "
                                  "or (picture landscape) the loss landscape of a network")
    picture.add_argument("--out", type=Path, default=Path("cubic_slice.png"), help="output file (default: cubic_slice.png)")
    picture.add_argument("--quiet", action="store_true", help="no progress display on stderr")
    picture.set_defaults(handler=_picture)
    _add_landscape_picture(picture.add_subparsers(dest="picture", metavar="[landscape]"))

    doctor = commands.add_parser("doctor", help="check Macaulay2, the Python dependencies and the results store; "
                                 "say how to fix what is wrong")
    doctor.add_argument("--db", type=Path, default=None, metavar="FILE",
                        help="results store to check (default: results.sqlite here, if there is one)")
    doctor.add_argument("--json", action="store_true", help="print one JSON object instead of text")
    doctor.set_defaults(handler=_doctor)

    _add_batch_commands(commands)
    return parser


def _reproduce(args: argparse.Namespace) -> int:
    """``neurom2 reproduce``: exit 0 when every claim passes, 1 otherwise, 2 for an unknown claim id."""
    from neurom2.claims import CLAIMS, run_claims
    from neurom2.present.report import format_outcomes

    known = {c.id for c in CLAIMS}
    unknown = sorted(set(args.only or ()) - known)
    if unknown:
        raise InvalidOption(f"unknown claim id(s) {', '.join(unknown)}; known: {', '.join(c.id for c in CLAIMS)}")
    with reporting(not (args.json or args.quiet)):
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
    from neurom2.present.picture import cubic_slice_picture

    with reporting(not args.quiet):
        result = cubic_slice_picture(args.out)
    decided = ", ".join(f"({b},{c}): {'reached' if m else 'not reached' if m is False else 'undecided'}"
                        for b, c, m in result.decided)
    print(f"wrote {result.path}: slice x^3 + B x^2 y + C x y^2, boundary {result.boundary} = 0; decided exactly: {decided}")
    return 0


def _add_landscape_picture(kinds: argparse._SubParsersAction) -> None:
    landscape = kinds.add_parser("landscape", help="the loss over a plane of V: M(R), critical points, training paths")
    landscape.add_argument("--widths", default="2,2,1", help="layer widths d0,...,dL (default: 2,2,1)")
    landscape.add_argument("--activation", default="x^3", help="polynomial activation in x (default: x^3)")
    landscape.add_argument("--bias", action="store_true", help="affine layers (with biases) instead of linear ones")
    data = landscape.add_mutually_exclusive_group()
    data.add_argument("--data", type=Path, metavar="FILE.csv", help="data points: columns x1..x_d0, y1..y_dL")
    data.add_argument("--random-data", type=_positive_int, default=20, metavar="N", help="N random data points (default: 20)")
    landscape.add_argument("--seed", type=_converter(SEED), default=0, metavar="N",
                           help="seed of the random data and of the initial weights (default: 0)")
    landscape.add_argument("--train", type=_positive_int, default=20, metavar="K", help="training runs drawn (default: 20)")
    landscape.add_argument("--max-steps", type=_positive_int, default=5000, metavar="N", help="steps per run (default: 5000)")
    landscape.add_argument("--timeout", type=_converter(TIMEOUT), default=None, metavar="S", help=TIMEOUT.help)
    landscape.add_argument("--out", type=Path, default=Path("landscape.png"), help="output file (default: landscape.png)")
    landscape.add_argument("--quiet", action="store_true", help="no progress display on stderr")
    landscape.set_defaults(handler=_picture_landscape)


def _picture_landscape(args: argparse.Namespace) -> int:
    from neurom2.model.architecture import Architecture
    from neurom2.present.picture import draw_landscape, picture_dataset

    architecture = Architecture.create(args.widths, args.activation, args.bias)
    dataset = picture_dataset(architecture, args.data, args.random_data, args.seed)
    with reporting(not args.quiet):
        result = draw_landscape(args.out, architecture, dataset, runs=args.train, seed=args.seed, max_steps=args.max_steps,
                                timeout=args.timeout)
    print(result.describe())
    return 0


# --- batch, results (neurom2.batch): job files, a local pool or Dask, a SQLite store ----------------------

DEFAULT_DB = Path("results.sqlite")


def _add_batch_commands(commands: argparse._SubParsersAction) -> None:
    batch = commands.add_parser("batch", help="run the jobs of a TOML job file into a SQLite store (resumable)")
    batch.add_argument("jobs", type=Path, metavar="JOBS.toml", help="job file (see examples/README.md)")
    batch.add_argument("--db", type=Path, default=DEFAULT_DB, metavar="FILE", help=f"results store (default: {DEFAULT_DB})")
    where = batch.add_mutually_exclusive_group()
    where.add_argument("--workers", type=_positive_int, default=None, metavar="N",
                       help="local worker processes (default: one per CPU)")
    where.add_argument("--scheduler", type=_converter(SCHEDULER), metavar=SCHEDULER.metavar, help=SCHEDULER.help)
    batch.add_argument("--retry-failed", action="store_true", help="run again the jobs stored as failed")
    batch.add_argument("--retry-timeout", action="store_true", help="run again the jobs stored as timeout")
    batch.add_argument("--dry-run", action="store_true", help="check the job file and count what would run; run nothing")
    batch.add_argument("--wait", action="store_true",
                       help="if another batch is writing to the store, wait for it to finish instead of refusing")
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
        action.add_argument("--task", choices=tuple(TASKS), help="only rows of this task")
    show.add_argument("--limit", type=_positive_int, default=None, metavar="N", help="at most N rows")
    formats = show.add_mutually_exclusive_group()
    formats.add_argument("--json", action="store_true", help="a JSON array of rows")
    formats.add_argument("--csv", action="store_true", help="CSV, as export --format csv")
    formats.add_argument("--format", choices=("table", "jsonl", "csv", "json"), default=None,
                         help="table (the default), or as export --format (--json is --format json)")
    show.set_defaults(handler=_results_show)
    export.add_argument("--format", choices=("jsonl", "csv", "json"), required=True,
                        help="jsonl: one JSON object per line; csv: flat columns")
    export.add_argument("--output", type=Path, default=None, metavar="FILE", help="write to FILE (default: standard output)")
    export.set_defaults(handler=_results_export)
    _add_results_plot(actions)


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
    if args.dry_run:
        return _batch_dry_run(jobs, args)
    try:
        store = ResultStore(args.db, wait=math.inf if args.wait else 0.0,
                            notify=lambda message: print(f"neurom2: {message}", file=sys.stderr))
    except StoreError as error:
        print(f"neurom2: error: {error}", file=sys.stderr)
        return EXIT_USAGE
    with store:
        summary = run_batch(jobs, store, workers=args.workers, scheduler=args.scheduler, retry_failed=args.retry_failed,
                            retry_timeout=args.retry_timeout, progress=not args.quiet)
    print(json.dumps(summary.to_json(), indent=2) if args.json else summary.format())
    return summary.exit_status


def _batch_dry_run(jobs: list, args: argparse.Namespace) -> int:
    """Plan against the store read-only (no lock: a batch may be writing it); no store yet plans everything."""
    from neurom2.batch import ResultStore, plan_batch
    from neurom2.batch.store import check_store_file

    if check_store_file(args.db, create=True):
        plan = plan_batch(jobs, None, retry_failed=args.retry_failed, retry_timeout=args.retry_timeout)
    else:
        with ResultStore(args.db, write=False) as store:
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
        return ResultStore(args.db, write=False)
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
        output = args.format or ("json" if args.json else "csv" if args.csv else "table")
        if output != "table":
            write_rows(rows, sys.stdout, output)
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


def _add_results_plot(actions: argparse._SubParsersAction) -> None:
    from neurom2.present.sweep_plot import VALUES

    plot = actions.add_parser("plot", help="heatmaps of dimension, defect or filling over two hidden widths, one per "
                              "family of architectures, with the filling frontier (PNG, SVG or PDF)")
    plot.add_argument("--db", type=Path, default=DEFAULT_DB, metavar="FILE", help=f"results store (default: {DEFAULT_DB})")
    plot.add_argument("--out", type=Path, default=Path("results.png"), metavar="FILE",
                      help="the picture: .png, .svg or .pdf (default: results.png)")
    plot.add_argument("--value", choices=VALUES, default="defect",
                      help="defect (expected − computed dimension), dim (coloured by dim M / dim V) or fills (default: defect)")
    plot.add_argument("--axes", type=_axes, default=(1, 2), metavar="I,J",
                      help="hidden layers on the x and y axes (default: 1,2)")
    plot.add_argument("--input", type=_positive_int, metavar="D0", help="only input width D0")
    plot.add_argument("--output", type=_positive_int, metavar="DL", help="only output width DL")
    plot.add_argument("--activation", help="only this activation, e.g. x^2")
    plot.add_argument("--bias", choices=("yes", "no"), help="only networks with (yes) or without (no) biases")
    plot.add_argument("--hidden-layers", type=_positive_int, metavar="N", help="only networks with N hidden layers")
    plot.set_defaults(handler=_results_plot)


def _axes(text: str) -> tuple[int, int]:
    parts = text.split(",")
    if len(parts) != 2 or not all(re.fullmatch(r"[0-9]+", p.strip()) and int(p) >= 1 for p in parts) or parts[0] == parts[1]:
        raise argparse.ArgumentTypeError(f"must be two different hidden layers I,J (1-based), got {text!r}")
    return int(parts[0]), int(parts[1])


def _results_plot(args: argparse.Namespace) -> int:
    from neurom2.model.activation import Activation
    from neurom2.present.sweep_plot import check_output, draw, panels, select

    check_output(args.out)
    activation = str(Activation.parse(args.activation)) if args.activation is not None else None
    store = _open_results(args)
    if store is None:
        return EXIT_USAGE
    with store:
        found = panels(store.rows(), tuple(args.axes))
    chosen = select(found, input=args.input, output=args.output, activation=activation,
                    bias=None if args.bias is None else args.bias == "yes", hidden_layers=args.hidden_layers)
    draw(chosen, args.out, args.value)
    print(f"wrote {args.out}: {len(chosen)} panel{'s' if len(chosen) != 1 else ''} ({args.value}); minimal filling widths:")
    for panel in chosen:
        frontier = ", ".join("(" + ",".join(map(str, panel.cells[key].widths)) + ")" for key in panel.frontier())
        print(f"  {panel.family.title()}: {frontier or 'none fills'}")
    return 0


# --- end batch, results ------------------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line on ``argv`` (default: sys.argv); return the exit status (0, 1 or 2)."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as stop:  # --help, --version and usage errors
        return int(stop.code or 0)
    try:
        return args.handler(args)
    except InvalidInput as error:
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
    except Exception as error:  # noqa: BLE001 - a bug: one line, not a traceback, and how to report it
        print(f"neurom2: internal error: {type(error).__name__}: {error} (this is a bug in neurom2; please report it "
              "with the command line that caused it)", file=sys.stderr)
        return EXIT_FAILURE


if __name__ == "__main__":
    sys.exit(main())
