"""The task registry: every computation neurom2 offers, with its options declared once.

A :class:`Task` is a name, its :class:`Option` s (name, kind, default, help, and whether the option is part
of a job's identity), the function that computes it (``function(architecture, **options)``, returning a
value with ``to_json()``) and the function that renders that value as text.  From this one declaration:

* the command line builds ``neurom2 TASK --widths ... --activation ... [--bias] [options] [--json]``
  (:mod:`neurom2.cli`);
* job files are validated field by field, and a job's key is computed from its identity
  (:mod:`neurom2.batch.jobs`);
* batch workers run a job description (:mod:`neurom2.batch.execute`).

Option values are checked by their :class:`Kind`, from text (the command line) or from typed values
(TOML job files, Python), with the same rules and messages; a bad value raises
:class:`~neurom2.errors.InvalidOption` naming the option.

Common options, with one meaning everywhere:

``seed``
    seeds every random choice of the computation (points, primes' samples, slices); the same seed gives
    the same answer.  Random choices never decide correctness, only which certificate is found or, for
    results marked probabilistic, the stated error bound.
``timeout``
    the wall-clock budget of the whole computation in seconds (:mod:`neurom2.deadline`); past it the
    computation stops with a timeout (exit status 1, batch status ``timeout``).  Not part of a job's
    identity.
``force``
    run a computation that a size guard would refuse (see the task's cost estimate).  Not part of a
    job's identity.

This module imports nothing heavy: the compute and report functions are named ``"module:function"`` and
imported when a task runs, so ``neurom2 dim`` does not load sympy.
"""

from __future__ import annotations

import importlib
import json
import os
import re
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from neurom2.deadline import MAX_SECONDS
from neurom2.errors import InvalidOption
from neurom2.real.fields import FIELDS
from neurom2.variety.strategies import STRATEGIES

# --- kinds of values ----------------------------------------------------------------------------------------


def _kind_of(value: Any) -> str:
    return {bool: "a boolean", int: "an integer", float: "a number", str: "text", list: "a list",
            dict: "a table"}.get(type(value), type(value).__name__)


class Kind:
    """How the values of an option are written and checked."""

    describe = "a value"

    def check(self, name: str, value: Any) -> Any:
        """A typed value (from TOML or Python), checked and normalized; InvalidOption if it is not valid."""
        raise NotImplementedError

    def from_text(self, name: str, text: str) -> Any:
        """A value written on the command line."""
        return self.check(name, text)


@dataclass(frozen=True)
class Flag(Kind):
    """true or false; on the command line a flag (``--no-NAME`` when the default is true)."""

    describe = "true or false"

    def check(self, name: str, value: Any) -> bool:
        """A boolean, as it is."""
        if not isinstance(value, bool):
            raise InvalidOption(f"{name} must be true or false, got {_kind_of(value)}", name)
        return value


@dataclass(frozen=True)
class Integer(Kind):
    """An integer ≥ ``minimum``; None allowed when ``optional``."""

    minimum: int = 0
    optional: bool = False

    @property
    def describe(self) -> str:  # type: ignore[override]
        """The kind in words."""
        return "a non-negative integer" if self.minimum == 0 else f"an integer ≥ {self.minimum}"

    def check(self, name: str, value: Any) -> int | None:
        """An integer at least ``minimum`` (None when optional); booleans are refused."""
        if value is None and self.optional:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or value < self.minimum:
            raise InvalidOption(f"{name} must be {self.describe}, got {value!r}", name)
        return value

    def from_text(self, name: str, text: str) -> int | None:
        """Decimal digits only, then checked as a typed value."""
        if not re.fullmatch(r"[0-9]+", text.strip()):
            raise InvalidOption(f"{name} must be {self.describe}, got {text!r}", name)
        return self.check(name, int(text))


@dataclass(frozen=True)
class Seconds(Kind):
    """A positive, finite number of seconds, at most :data:`~neurom2.deadline.MAX_SECONDS`; None (no limit) allowed."""

    describe = "a positive number of seconds"

    def check(self, name: str, value: Any) -> float | None:
        """A positive number of seconds, at most MAX_SECONDS, as a float; None for no budget."""
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 < value <= MAX_SECONDS:
            shown = repr(value) if isinstance(value, (int, float)) else _kind_of(value)
            raise InvalidOption(f"{name} must be {self.describe}, got {shown} (at most {MAX_SECONDS:g}; omit it for no "
                                "limit)", name)
        return float(value)

    def from_text(self, name: str, text: str) -> float | None:
        """A number of seconds written as a decimal, then checked as a typed value."""
        try:
            value = float(text)
        except ValueError:
            raise InvalidOption(f"{name} must be {self.describe}, got {text!r}", name) from None
        return self.check(name, value)


@dataclass(frozen=True)
class Choice(Kind):
    """One of fixed words."""

    choices: tuple[str, ...]

    @property
    def describe(self) -> str:  # type: ignore[override]
        """The kind in words."""
        return "one of " + ", ".join(self.choices)

    def check(self, name: str, value: Any) -> str:
        """One of the choices."""
        if value not in self.choices:
            shown = repr(value) if isinstance(value, str) else _kind_of(value)
            raise InvalidOption(f"unknown {name} {shown} (choose {', '.join(self.choices)})", name)
        return value


@dataclass(frozen=True)
class Text(Kind):
    """Text (parsed later by the task, never evaluated); None allowed when ``optional``."""

    what: str = "text"
    optional: bool = False

    @property
    def describe(self) -> str:  # type: ignore[override]
        """The kind in words."""
        return self.what

    def check(self, name: str, value: Any) -> str | None:
        """A string (None when optional)."""
        if value is None and self.optional:
            return None
        if not isinstance(value, str):
            raise InvalidOption(f"{name} must be {self.what}, got {_kind_of(value)}", name)
        return value


@dataclass(frozen=True)
class Words(Text):
    """Words separated by commas, or (in a job file) a list of words, joined with commas; parsed later by the
    task like :class:`Text`."""

    def check(self, name: str, value: Any) -> str | None:
        """A string, or a non-empty list of strings joined with commas (None when optional)."""
        if isinstance(value, list) and value and all(isinstance(word, str) for word in value):
            return ",".join(value)
        return super().check(name, value)


@dataclass(frozen=True)
class SchedulerAddress(Kind):
    """The address of a Dask scheduler, ``tcp://HOST:PORT`` or ``tls://HOST:PORT`` (HOST a name, an IPv4 address or
    an IPv6 address in brackets; PORT 1..65535); None allowed.  Only the syntax is checked here: whether a
    scheduler answers there is found when connecting (:mod:`neurom2.batch.dask_backend`)."""

    describe = "a Dask scheduler address tcp://HOST:PORT"
    PATTERN = re.compile(r"(tcp|tls)://([A-Za-z0-9]([A-Za-z0-9.-]{0,252})|\[[0-9A-Fa-f:.]{2,45}\]):([0-9]{1,5})")

    def check(self, name: str, value: Any) -> str | None:
        """A syntactically valid scheduler address, or None."""
        if value is None:
            return None
        found = self.PATTERN.fullmatch(value) if isinstance(value, str) else None
        if found is None or not 1 <= int(found.group(4)) <= 65535:
            shown = repr(value[:80]) if isinstance(value, str) else _kind_of(value)
            raise InvalidOption(f"{name} must be {self.describe} (or tls://HOST:PORT), got {shown}", name)
        return value


@dataclass(frozen=True)
class _FileName(Kind):
    """The name of a file, checked against the file system by :meth:`problem`; None allowed when ``optional``."""

    what: str = "a file"
    optional: bool = False

    @property
    def describe(self) -> str:  # type: ignore[override]
        return f"the name of {self.what}"

    def check(self, name: str, value: Any) -> str | None:
        if value is None and self.optional:
            return None
        if not isinstance(value, str) or not value or value.endswith(("/", os.sep)):
            raise InvalidOption(f"{name} must be {self.describe}, got {value!r}", name)
        problem = self.problem(Path(value))
        if problem:
            raise InvalidOption(f"{name}: {value}: {problem}", name)
        return value

    def problem(self, path: Path) -> str | None:
        raise NotImplementedError


@dataclass(frozen=True)
class InputFile(_FileName):
    """The name of an existing, readable file."""

    def problem(self, path: Path) -> str | None:
        """Why the file cannot be read, or None."""
        if not path.is_file():
            return "no such file"
        return None if os.access(path, os.R_OK) else "not readable"


@dataclass(frozen=True)
class OutputFile(_FileName):
    """The name of a file to write, in an existing, writable directory."""

    what: str = "a file to write"

    def problem(self, path: Path) -> str | None:
        """Why the file cannot be written, or None."""
        if not path.parent.is_dir():
            return f"the directory {path.parent} does not exist"
        return None if os.access(path.parent, os.W_OK) and not path.is_dir() else "cannot write there"


REQUIRED = object()
"""The default of an option that must be given."""


@dataclass(frozen=True)
class Option:
    """One option of a task.  ``identity``: part of a job's identity (its key); limits are not.
    ``jobs``: allowed in job files.  ``argument``: passed to the compute function (else used by the
    command line only).

    ``help`` says what the option does (for a flag: when true, as in job files).  A flag that defaults to true is
    written ``--no-NAME`` on the command line, which turns it off; ``negated_help`` says what that does, and such a
    flag must have one (so that no help of ``--no-NAME`` describes the opposite)."""

    name: str
    kind: Kind
    default: Any
    help: str
    identity: bool = True
    jobs: bool = True
    argument: bool = True
    metavar: str | None = None
    negated_help: str | None = None

    def __post_init__(self) -> None:
        if self.negated != (self.negated_help is not None):
            raise ValueError(f"option {self.name}: negated_help is {'required' if self.negated else 'only'} for a flag "
                             "that defaults to true")

    @property
    def required(self) -> bool:
        """Whether the option must be given."""
        return self.default is REQUIRED

    @property
    def negated(self) -> bool:
        """Whether the command line spells this option ``--no-NAME`` (a flag that defaults to true)."""
        return isinstance(self.kind, Flag) and self.default is True

    @property
    def flag(self) -> str:
        """The command-line spelling: ``--max-degree``; ``--no-verify`` for a flag that defaults to true."""
        dashed = self.name.replace("_", "-")
        return f"--no-{dashed}" if self.negated else f"--{dashed}"

    @property
    def flag_help(self) -> str:
        """The help of :attr:`flag`: :attr:`negated_help` for ``--no-NAME``, else :attr:`help`."""
        return self.negated_help if self.negated_help is not None else self.help


def _load(reference: str) -> Callable[..., Any]:
    module, _, name = reference.partition(":")
    return getattr(importlib.import_module(module), name)


@dataclass(frozen=True)
class Task:
    """A computation on one architecture: ``compute(architecture, **options)`` → value with ``to_json()``."""

    name: str
    help: str
    compute: str
    """``"module:function"``; the function takes the architecture and the options as keywords."""
    report: str
    """``"module:function"``: value → text, the command line's default output."""
    options: tuple[Option, ...]
    prepare: str | None = None
    """``"module:function"`` (architecture, options) → options: cross-checks and canonical forms (e.g. a
    target parsed in the network's space), raising InvalidInput; run before the options become a job."""
    macaulay2: bool = True
    """Whether the task needs Macaulay2."""
    architecture: bool = True
    """Whether the task computes on one architecture (``--widths``, ``--activation``, ``--bias``; job files);
    when False, ``compute(**options)`` takes the options alone and the task is not available in job files."""
    details: str = ""
    """More help: shown by ``neurom2 TASK --help``."""
    formats: tuple[tuple[str, str], ...] = ()
    """Output formats besides ``text`` (:attr:`report`) and ``json`` (``to_json()``), as (name,
    ``"module:function"`` value → text); a task with formats declares :func:`output_format` among its options."""
    shares: str | None = None
    """``"module:function"`` (architecture, options) → a hashable value or None: jobs with equal values do work that a
    worker process keeps for the next, so the local pool hands them to one worker, one after the other."""

    def option(self, name: str) -> Option:
        """The option called ``name``."""
        return next(o for o in self.options if o.name == name)

    @property
    def names(self) -> tuple[str, ...]:
        """The names of the options, in order."""
        return tuple(o.name for o in self.options)

    def resolve(self, architecture: Any, given: Mapping[str, Any]) -> dict[str, Any]:
        """Every option of the task, checked (typed values), with defaults filled in and :attr:`prepare` run.
        Unknown names, missing required options and bad values raise InvalidOption."""
        for name in given:
            if name not in self.names:
                raise InvalidOption(f"{self.name} has no option {name!r} (options: {', '.join(self.names)})", name)
        values: dict[str, Any] = {}
        for option in self.options:
            if option.name in given:
                values[option.name] = option.kind.check(option.name, given[option.name])
            elif option.required:
                raise InvalidOption(f"{self.name} needs {option.name} ({option.help})", option.name)
            else:
                values[option.name] = option.default
        return _load(self.prepare)(architecture, values) if self.prepare else values

    def identity(self, values: Mapping[str, Any]) -> dict[str, Any]:
        """The options that determine the result (for a job's key)."""
        return {o.name: values[o.name] for o in self.options if o.identity}

    def shared_work(self, architecture: Any, values: Mapping[str, Any]) -> Hashable | None:
        """What a job with these resolved options shares with other jobs (:attr:`shares`); None: nothing."""
        return _load(self.shares)(architecture, values) if self.shares else None

    def run(self, architecture: Any, values: Mapping[str, Any]) -> Any:
        """Compute with resolved options (:meth:`resolve`); ``architecture`` is None for tasks without one."""
        arguments = {o.name: values[o.name] for o in self.options if o.argument}
        compute = _load(self.compute)
        return compute(architecture, **arguments) if self.architecture else compute(**arguments)

    def format(self, result: Any, output: str = "text") -> str:
        """``result`` rendered as ``output``: ``text`` (the report), ``json``, or one of :attr:`formats`."""
        if output == "json":
            return json.dumps(result.to_json(), indent=2, ensure_ascii=False)
        return _load(self.report if output == "text" else dict(self.formats)[output])(result)


# --- the tasks ----------------------------------------------------------------------------------------------

SEED = Option("seed", Integer(), 0, "seed of the random choices (points, slices); the same seed gives the same answer",
              metavar="N")
TIMEOUT = Option("timeout", Seconds(), None, "time budget of the whole computation, in seconds (default: none)",
                 identity=False, metavar="S")
SCHEDULER = Option("scheduler", SchedulerAddress(), None, "run on the Dask cluster of this scheduler instead",
                   identity=False, metavar="tcp://HOST:PORT")
FORCE = Option("force", Flag(), False, "run even when the cost estimate exceeds the size guard", identity=False)


def output_format(formats: tuple[tuple[str, str], ...]) -> Option:
    """The command-line option ``--format text|json|...`` of a task with :attr:`Task.formats` (``--json`` is
    ``--format json``); not part of jobs, whose results are stored as JSON."""
    names = ("text", "json", *(name for name, _ in formats))
    return Option("format", Choice(names), "text", "output format (--json is --format json)", identity=False,
                  jobs=False, argument=False)


LATEX_FORMAT = (("latex", "neurom2.present.formats:latex_block"),)
"""``--format latex``: the result as a LaTeX fragment for a page (:mod:`neurom2.present.formats`, :mod:`neurom2.latex`)."""
IMPLICIT_FORMATS = (*LATEX_FORMAT, ("m2", "neurom2.present.formats:m2_script"))
"""``implicit`` also has ``--format m2``: the ideal as a Macaulay2 script."""


def _prepare_member(architecture: Any, values: dict[str, Any]) -> dict[str, Any]:
    """The target parsed in the network's space V, in canonical form (so equal targets are one job)."""
    from neurom2.cost import guard
    from neurom2.errors import InvalidTarget
    from neurom2.model.space import AmbientSpace
    from neurom2.model.target import Target

    space = AmbientSpace.of(architecture)
    guard(space.listing_estimate(), values["force"])  # parsing lists the coordinates of V
    try:
        target = Target.parse(values["target"], space)
    except InvalidTarget as error:
        raise InvalidOption(f"target: {error}", "target") from None
    return {**values, "target": str(target)}


def _prepare_landscape(architecture: Any, values: dict[str, Any]) -> dict[str, Any]:
    """Exactly one of data and random_data; a data file is read (FILE:LINE errors), checked against the network
    and named with its content's SHA-256 (``FILE#sha256=HEX``), so a job's key follows the data, not the file name
    alone, and a changed file is refused."""
    from neurom2.training.landscape import read_data

    if (values["data"] is None) == (values["random_data"] is None):
        raise InvalidOption("landscape needs data: --data FILE.csv or --random-data N (exactly one)", "data")
    if values["data"] is None:
        return values
    dataset = read_data(values["data"])
    dataset.check(architecture)
    path = values["data"].partition("#sha256=")[0]
    return {**values, "data": f"{path}#sha256={dataset.digest()}"}


def _prepare_geometry(architecture: Any, values: dict[str, Any]) -> dict[str, Any]:
    """The parts of ``only`` checked and in canonical order (so equal requests are one job)."""
    from neurom2.properties.geometry import parse_parts

    if values["only"] is None:
        return values
    return {**values, "only": ",".join(parse_parts(values["only"]))}


TASKS: dict[str, Task] = {task.name: task for task in (
    Task(
        "dim", "exact dimension of a neuromanifold (Jacobian rank modulo primes)",
        compute="neurom2.variety.dimension:dimension", report="neurom2.present.report:format_dimension",
        options=(
            Option("float_check", Flag(), False, "also compute a floating-point rank as a cross-check"),
            output_format(LATEX_FORMAT),
            SEED, TIMEOUT, FORCE,
        ),
        macaulay2=False,
        formats=LATEX_FORMAT,
        shares="neurom2.variety.dimension:shared_work",
    ),
    Task(
        "implicit", "implicit equations, dimension and degree of a neuromanifold",
        compute="neurom2.variety.implicitization:implicitize", report="neurom2.present.report:format_neurovariety",
        options=(
            Option("strategy", Choice(STRATEGIES), "auto", "how to compute the ideal (see docs/proved.md)"),
            Option("max_degree", Integer(1, optional=True), None, "degree bound for the truncated and interpolate strategies",
                   metavar="K"),
            Option("verify", Flag(), True, "run the independent verification",
                   negated_help="skip the independent verification (the output then says 'verified no')"),
            output_format(IMPLICIT_FORMATS),
            SEED, TIMEOUT, FORCE,
        ),
        formats=IMPLICIT_FORMATS,
        details="--format m2 prints the ideal found as a self-contained Macaulay2 script (what is proved about it as "
                "comments; M2 --script FILE prints its dim and degree): neurom2 implicit ... --format m2 > FILE.",
    ),
    Task(
        "member", "is a target polynomial computed by the network, with real or complex weights?",
        compute="neurom2.real.membership:decide_membership", report="neurom2.present.report:format_membership",
        options=(
            Option("target", Text("text (polynomials separated by ';')"), REQUIRED,
                   "polynomial(s) in x1..xn (or x,y,z), one per output separated by ';', e.g. 'x^3 - x*y^2'"),
            Option("field", Choice(FIELDS), "real", "weights in R or in C"),
            output_format(LATEX_FORMAT),
            SEED, TIMEOUT, FORCE,
        ),
        prepare="neurom2.tasks:_prepare_member",
        formats=LATEX_FORMAT,
    ),
    Task(
        "filling", "minimal filling architectures for σ = x^r, found and proved complete region by region",
        compute="neurom2.batch.filling:minimal_filling", report="neurom2.present.report:format_filling",
        options=(
            Option("input", Integer(1), REQUIRED, "input width d0", metavar="D0"),
            Option("output", Integer(1), REQUIRED, "output width dL", metavar="DL"),
            Option("activation", Text("a power x^r"), "x^2", "the activation σ = x^r, r ≥ 2"),
            Option("depth", Integer(2), REQUIRED, "number L of affine layers: widths (d0, a1, ..., a(L-1), dL)",
                   metavar="L"),
            Option("max_width", Integer(1, optional=True), None,
                   "search hidden widths ≤ W only (the list is then complete within that box only)", metavar="W"),
            Option("workers", Integer(1, optional=True), None,
                   "local worker processes for the rank computations (default: one per CPU)", identity=False,
                   metavar="N"),
            SCHEDULER,
            Option("db", OutputFile("a results store"), "filling.sqlite",
                   "results store of the rank computations; an interrupted search resumes from it", identity=False,
                   metavar="FILE"),
            output_format(LATEX_FORMAT),
            SEED, TIMEOUT, FORCE,
        ),
        macaulay2=False,
        architecture=False,
        formats=LATEX_FORMAT,
        details="Ranks prove filling exactly; proved upper bounds prove that every other width tuple does not fill, "
                "region by region. A region no bound closes is reported open, with its best bound.",
    ),
    Task(
        "landscape", "critical points of the loss on the neuromanifold, the infimum over M(R), and training runs",
        compute="neurom2.training.landscape:landscape", report="neurom2.present.report:format_landscape",
        options=(
            Option("data", Text("a CSV file (header x1..,y1..)", optional=True), None,
                   "data points: columns x1..x_d0, y1..y_dL, numbers read exactly", metavar="FILE.csv"),
            Option("random_data", Integer(1, optional=True), None, "N random data points (small integers, from --seed)",
                   metavar="N"),
            Option("generic", Flag(), False, "also count critical points for generic data modulo two primes (probabilistic)"),
            Option("train", Integer(), 0, "K gradient-based trainings from random weights, classified", metavar="K"),
            Option("max_steps", Integer(1), 5000, "steps per training run", metavar="N"),
            Option("numerical", Flag(), True, "check the count numerically (monodromy)",
                   negated_help="skip the numerical check of the count (monodromy); the checks modulo primes still run"),
            Option("check", Flag(), False, "also check a count proved exactly numerically (monodromy: floating point, it "
                   "adds no proof; an unproved count is checked unless --no-numerical)"),
            SEED, TIMEOUT, FORCE,
        ),
        prepare="neurom2.tasks:_prepare_landscape",
        details="The data are --data FILE.csv or --random-data N. The learning degree is the number of complex critical "
                "points of the loss on the smooth part of the neurovariety for these data; real critical points are "
                "given exactly with their loss, type and whether real weights reach them.",
    ),
    Task(
        "geometry", "geometric properties of the neuromanifold: symmetries, identifiability, singular locus, sparsity bias, "
        "closedness, and what they mean for learning",
        compute="neurom2.properties.geometry:geometry", report="neurom2.present.geometry:format_geometry",
        options=(
            Option("only", Words("parts separated by commas, or a list of parts", optional=True), None,
                   "compute only these parts: symmetries, fibers, singular, sparsity, closedness, dictionary "
                   "(default: all but sparsity)",
                   metavar="PART[,PART]"),
            SEED, TIMEOUT, FORCE,
        ),
        prepare="neurom2.tasks:_prepare_geometry",
        details="fibers compares the generic fiber dimension with the symmetry group and, when they agree, counts the "
                "orbits in a generic fiber (Groebner bases modulo two primes, or monodromy when those are slow). "
                "Without --only each part runs at most 120 s (--force lifts it), within --timeout; one that does not "
                "finish, or that a size guard refuses, is reported undecided. dictionary puts dim M, deg X, the learning degree, "
                "identifiability, singular strata and closedness next to what they mean for learning.",
    ),
)}
"""Every task, by name, in the order the command line lists them."""


def task(name: str) -> Task:
    """The task called ``name``; InvalidOption naming the known tasks otherwise."""
    if name not in TASKS:
        raise InvalidOption(f"unknown task {name!r} (choose {', '.join(TASKS)})", "task")
    return TASKS[name]


def check_signatures() -> list[str]:
    """Mismatches between each task's options and its compute function's keywords (empty when consistent)."""
    import inspect

    problems = []
    for t in TASKS.values():
        parameters = inspect.signature(_load(t.compute)).parameters
        for o in t.options:
            if o.argument and o.name not in parameters:
                problems.append(f"{t.name}: {t.compute} has no parameter {o.name!r}")
    return problems


__all__ = ["TASKS", "Choice", "Flag", "InputFile", "Integer", "Kind", "Option", "OutputFile",
           "SchedulerAddress", "Seconds", "Task", "Text", "Words",
           "check_signatures", "task"]
