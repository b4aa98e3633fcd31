"""Jobs and job files: what a batch computes, written down once in TOML.

A **job** is one computation of a task of the registry (:mod:`neurom2.tasks`: ``dim``, ``implicit``,
``member``, ...) on one architecture.  Its *identity* is the normalized description: task, widths,
activation in canonical form (``str(Activation)``, so ``x**2`` and ``x^2`` are the same job), bias, and
the task's identity options with their defaults applied (checked and normalized by the registry, the same
rules as on the command line).  The job's **key** is the SHA-256 of that description as canonical JSON (sorted
keys, no spaces).  The limits ``timeout`` and ``wall_timeout`` are not part of the identity: raising a
limit does not turn finished jobs into new ones.

A **job file** (TOML) has an optional ``[defaults]`` table, any number of ``[[job]]`` tables (one job
each) and ``[[grid]]`` tables (the product of their lists)::

    [defaults]
    timeout = 60

    [[job]]
    task = "implicit"
    widths = [3, 2, 3]
    activation = "x"

    [[grid]]
    task = "dim"
    input = [2, 3]
    hidden = [[2], [3], [2, 2]]          # or {min = 1, max = 4, depth = [1, 2]}
    output = 1
    activation = ["x^2", "x^3"]
    bias = [false, true]

Fields (:data:`FIELDS`): ``task``; the widths, either ``widths`` or ``input`` + ``hidden`` + ``output``;
``activation`` (text, default ``"x^2"``); ``bias``; the options of the tasks (:data:`OPTIONS`, from the
registry); and the limits ``timeout`` (the job's time budget, default :data:`DEFAULT_TIMEOUT`) and
``wall_timeout`` (the scheduler's backstop).  In a grid every field may be a list of values; the grid is the
product of the lists, expanded in the order of :data:`FIELDS`.  A field whose value is itself a list (``widths``,
``hidden``, the parts ``only``) takes a list of such lists.

Every problem is reported before anything runs, as ``FILE:LINE: reason`` (:class:`JobFileError`).
``tomllib`` gives no positions for tables, so the n-th ``[[job]]`` header in the text is taken to be the
n-th job table, and a field's line is found by its ``name =`` within its table's lines.
"""

from __future__ import annotations

import difflib
import functools
import hashlib
import itertools
import json
import math
import re
import tomllib
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from neurom2.errors import InvalidActivation, InvalidArchitecture, InvalidJob, InvalidOption, JobFileError
from neurom2.files import Unreadable, read_bounded
from neurom2.model.activation import Activation
from neurom2.model.architecture import Architecture
from neurom2.tasks import TASKS, Flag, Option, Seconds, Words
from neurom2.tasks import task as find_task

DEFAULT_ACTIVATION = "x^2"
DEFAULT_TIMEOUT = 300.0
"""Seconds: the time budget of a job when the job file gives none (a batch must not wait forever)."""
MAX_JOBS = 1_000_000
"""A job file expanding to more jobs than this is rejected (usually a typo in a range)."""
MAX_FILE_BYTES = 16 << 20
"""Job files larger than this (16 MiB) are refused, as are FIFOs and devices (:mod:`neurom2.files`)."""


def default_wall_timeout(timeout: float) -> float:
    """Seconds after which a job that has not returned is killed: ``1.1 · timeout + 30``.

    ``timeout`` already bounds the whole computation (:mod:`neurom2.deadline`); the wall timeout is the
    scheduler's backstop for a worker that does not return at all (a Macaulay2 that ignores interrupts,
    Python work that never reaches a check)."""
    return 1.1 * timeout + 30


JOB_TASKS = tuple(name for name, spec in TASKS.items() if spec.architecture)
"""The tasks a job file may name: those that compute on one architecture."""


def _job_options(task_name: str) -> tuple[Option, ...]:
    """The options of a task that job files carry (all but command-line extras), ``timeout`` aside."""
    return tuple(o for o in TASKS[task_name].options if o.jobs and o.name != "timeout")


# --- the job ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class Job:
    """One normalized computation (see the module docstring).  Build it with :meth:`create`."""

    task: str
    widths: tuple[int, ...]
    activation: str
    """Canonical text, ``str(Activation)``."""
    bias: bool
    options: tuple[tuple[str, Any], ...]
    """The task's options (:mod:`neurom2.tasks`), all present, sorted by name; ``timeout`` aside."""
    timeout: float = DEFAULT_TIMEOUT
    wall_timeout: float = default_wall_timeout(DEFAULT_TIMEOUT)
    origin: str = field(default="", compare=False)
    """Where the job was written (``jobs.toml:12, grid 2``); not part of the job."""

    @classmethod
    def create(
        cls,
        task: str,
        widths: str | Iterable[int],
        activation: str = DEFAULT_ACTIVATION,
        bias: bool = False,
        *,
        timeout: float | None = None,
        wall_timeout: float | None = None,
        origin: str = "",
        **options: Any,
    ) -> Job:
        """Validate and normalize; raises :class:`InvalidJob` naming the field."""
        try:
            spec = find_task(task)
        except InvalidOption as error:
            raise InvalidJob(str(error), "task") from None
        if not spec.architecture:
            raise InvalidJob(f"task {task!r} does not run on one architecture and cannot be a job "
                             f"(job tasks: {', '.join(JOB_TASKS)})", "task")
        arch = _architecture(widths, activation, bias)
        for name in options:
            if name not in {o.name for o in _job_options(spec.name)}:
                raise InvalidJob(_unknown_option(name, {spec.name}), name)
        try:
            values = spec.resolve(arch, options)
        except InvalidOption as error:
            raise InvalidJob(str(error), error.option) from None
        limit = _seconds("timeout", DEFAULT_TIMEOUT if timeout is None else timeout)
        wall = default_wall_timeout(limit) if wall_timeout is None else _seconds("wall_timeout", wall_timeout)
        kept = tuple(sorted((o.name, values[o.name]) for o in _job_options(spec.name)))
        return cls(task=spec.name, widths=arch.widths, activation=str(arch.activation), bias=arch.bias, options=kept,
                   timeout=limit, wall_timeout=wall, origin=origin)

    @property
    def architecture(self) -> Architecture:
        """The job's network, built from its widths, activation and bias."""
        return Architecture.create(self.widths, _parse_activation(self.activation), self.bias)

    def shared_work(self) -> Hashable | None:
        """What this job's computation shares with other jobs' in one process (:meth:`Task.shared_work
        <neurom2.tasks.Task.shared_work>`), None for nothing."""
        spec = TASKS[self.task]
        return spec.shared_work(self.architecture, dict(self.options)) if spec.shares else None

    @property
    def identity(self) -> dict[str, Any]:
        """What determines the result: the architecture and the task's identity options (no limits)."""
        return {"task": self.task, "widths": list(self.widths), "activation": self.activation, "bias": self.bias,
                **TASKS[self.task].identity(dict(self.options))}

    @property
    def description(self) -> dict[str, Any]:
        """Everything a worker needs (plain JSON): the identity, the other options and the limits."""
        return {"task": self.task, "widths": list(self.widths), "activation": self.activation, "bias": self.bias,
                **dict(self.options), "timeout": self.timeout, "wall_timeout": self.wall_timeout}

    @functools.cached_property
    def key(self) -> str:
        """SHA-256 (hex) of the identity as canonical JSON."""
        return job_key(self.identity)

    def __str__(self) -> str:
        extra = ", ".join(f"{k} {v}" for k, v in self.options if k in ("target", "strategy", "field"))
        widths = ",".join(map(str, self.widths))
        text = f"{self.task} ({widths}) {self.activation}{' bias' if self.bias else ''}"
        return f"{text} [{extra}]" if extra else text


def job_key(identity: Mapping[str, Any]) -> str:
    """The key of a job identity: SHA-256 of ``json.dumps(identity, sort_keys=True, separators=(',', ':'))``."""
    text = json.dumps(identity, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def resolve_description(description: Mapping[str, Any]) -> tuple[Any, Architecture, dict[str, Any]]:
    """A worker's view of a job description: the task, the architecture and the resolved options
    (``timeout`` included; ``wall_timeout`` is the scheduler's)."""
    spec = TASKS[description["task"]]
    arch = Architecture.create(description["widths"], description["activation"], description["bias"])
    given = {o.name: description[o.name] for o in spec.options if o.name in description}
    return spec, arch, spec.resolve(arch, given)


# --- field checks ----------------------------------------------------------------------------------------------


def _kind(value: Any) -> str:
    return {bool: "a boolean", int: "an integer", float: "a number", str: "text", list: "a list",
            dict: "a table"}.get(type(value), type(value).__name__)


def _seconds(name: str, value: Any) -> float:
    try:
        checked = Seconds().check(name, value)
    except InvalidOption as error:
        raise InvalidJob(str(error), name) from None
    if checked is None:
        raise InvalidJob(f"{name} must be a positive number of seconds, got {value!r}", name)
    return checked


def _option_kinds() -> dict[str, Option]:
    """One option per name across the tasks (options of the same name have the same kind)."""
    found: dict[str, Option] = {}
    for name in JOB_TASKS:
        for option in _job_options(name):
            found.setdefault(option.name, option)
    return found


OPTIONS = _option_kinds()


def _check_option(name: str, value: Any) -> None:
    try:
        OPTIONS[name].kind.check(name, value)
    except InvalidOption as error:
        raise InvalidJob(str(error), name) from None


def _boolean(name: str, value: Any) -> bool:
    try:
        return Flag().check(name, value)
    except InvalidOption as error:
        raise InvalidJob(str(error), name) from None


def _unknown_option(name: str, tasks: set[str]) -> str:
    users = [t for t in JOB_TASKS if name in {o.name for o in _job_options(t)}]
    return f"{name} applies only to {' and '.join(users)} jobs, not to {' or '.join(sorted(tasks))}"


@functools.lru_cache(maxsize=1024)
def _parse_activation(text: str) -> Activation:
    """Activation.parse, once per text (a grid repeats each activation many times)."""
    return Activation.parse(text)


def _architecture(widths: Any, activation: Any, bias: Any) -> Architecture:
    if not isinstance(activation, str):
        raise InvalidJob(f"activation must be text such as \"x^2\", got {_kind(activation)}", "activation")
    _boolean("bias", bias)
    if not isinstance(widths, str):
        if not isinstance(widths, (list, tuple)) or not all(type(w) is int for w in widths):
            raise InvalidJob(f"widths must be a list of positive integers such as [2, 2, 1], got {widths!r}", "widths")
    try:
        activation_value = _parse_activation(activation)
    except InvalidActivation as error:
        raise InvalidJob(f"activation: {error}", "activation") from None
    try:
        return Architecture.create(widths, activation_value, bias)
    except InvalidArchitecture as error:
        message = str(error)
        raise InvalidJob(message if message.startswith("width") else f"widths: {message}", "widths") from None


# --- job files -------------------------------------------------------------------------------------------------

ARCHITECTURE_FIELDS = ("widths", "input", "hidden", "output", "activation", "bias")
LIMIT_FIELDS = ("timeout", "wall_timeout")
OPTION_FIELDS = tuple(OPTIONS)
FIELDS = ("task", *ARCHITECTURE_FIELDS, *OPTION_FIELDS, *LIMIT_FIELDS)
"""Every field of a ``[[job]]``, ``[[grid]]`` or ``[defaults]`` table, in grid expansion order."""

_TABLES = {"defaults": "a table [defaults]", "job": "tables [[job]]", "grid": "tables [[grid]]"}
_HEADER = re.compile(r'^\s*(\[\[?)\s*"?([A-Za-z0-9_.-]+)"?\s*\]\]?\s*(?:#.*)?$')
_TOML_POSITION = re.compile(r"\s*\(at (?:line (\d+), column (\d+)|end of document)\)$")


class _Lines:
    """Line numbers in the file's text: table headers, and a field's ``name =`` within a table."""

    def __init__(self, text: str) -> None:
        self.lines = text.splitlines()
        self.headers: list[tuple[int, str, bool]] = []  # (line, name, is array table)
        for number, line in enumerate(self.lines, start=1):
            match = _HEADER.match(line)
            if match:
                self.headers.append((number, match.group(2), match.group(1) == "[["))

    def table(self, name: str, index: int | None = None) -> int | None:
        """The line of the ``index``-th ``[[name]]`` header (or of ``[name]``, or of ``name =``)."""
        found = [line for line, header, array in self.headers if header == name and array == (index is not None)]
        if index is not None and index < len(found):
            return found[index]
        if index is None and found:
            return found[0]
        return self.assignment(name, 1, self.headers[0][0] if self.headers else len(self.lines) + 1)

    def field(self, table_line: int | None, name: str) -> int | None:
        """The line of ``name = ...`` in the table whose header is at ``table_line``."""
        if table_line is None:
            return None
        following = [line for line, _, _ in self.headers if line > table_line]
        end = following[0] if following else len(self.lines) + 1
        return self.assignment(name, table_line + 1, end) or table_line

    def assignment(self, name: str, start: int, end: int) -> int | None:
        pattern = re.compile(rf'^\s*"?{re.escape(name)}"?\s*=')
        for number in range(start, end):
            if pattern.match(self.lines[number - 1]):
                return number
        return None


class _Problems:
    """Problems of one job file, each reported once."""

    def __init__(self) -> None:
        self.items: list[tuple[int | None, str]] = []

    def add(self, line: int | None, reason: str) -> None:
        if (line, reason) not in self.items:
            self.items.append((line, reason))


def load_jobs(path: str | Path) -> list[Job]:
    """Read, validate and expand a job file: the jobs in file order (grids in expansion order).

    Raises :class:`JobFileError` listing every problem as ``FILE:LINE: reason``; nothing is run before.
    """
    name = str(path)
    try:
        raw = read_bounded(path, MAX_FILE_BYTES)
    except Unreadable as error:
        raise JobFileError(name, [(None, str(error))]) from None
    except OSError as error:
        raise JobFileError(name, [(None, f"cannot read the job file: {error.strerror or error}")]) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise JobFileError(name, [(line, "not UTF-8 text (TOML files are UTF-8)")]) from None
    return parse_jobs(text, name)


def parse_jobs(text: str, name: str = "<jobs>") -> list[Job]:
    """:func:`load_jobs` on the text of a job file; ``name`` is used in the messages."""
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        message = str(error)
        match = _TOML_POSITION.search(message)
        reason = message[: match.start()] if match else message
        if match and match.group(1):
            line, where = int(match.group(1)), f" (column {match.group(2)})"
        else:
            line, where = max(1, len(text.splitlines())), " (at the end of the file)"
        raise JobFileError(name, [(line, f"TOML syntax: {reason[:1].lower()}{reason[1:]}{where}")]) from None
    lines = _Lines(text)
    problems = _Problems()
    for key in document:
        if key not in _TABLES:
            hint = _suggest(key, _TABLES)
            problems.add(lines.table(key), f"unknown table {key!r}{hint}; a job file has [defaults], [[job]] and [[grid]]")
    defaults = _defaults(document.get("defaults", {}), lines, problems)
    tables: list[tuple[int, str, int, dict[str, Any]]] = []
    for kind in ("job", "grid"):
        found = document.get(kind, [])
        if not isinstance(found, list) or not all(isinstance(t, dict) for t in found):
            problems.add(lines.table(kind), f"{kind} must be written as tables [[{kind}]] (one per {kind})")
            continue
        tables += [(lines.table(kind, index) or 0, kind, index, table) for index, table in enumerate(found)]
    jobs: list[Job] = []
    for header, kind, index, table in sorted(tables, key=lambda t: t[0]):  # file order; stable without headers
        label = f"{kind} {index + 1}"
        jobs += _expand(table, defaults, kind == "grid", lines, header or None, label, name, problems)
        if len(jobs) > MAX_JOBS:
            problems.add(header or None, f"{label}: the file expands to more than {MAX_JOBS:,} jobs; split it")
            break
    if not tables and not problems.items:
        problems.add(None, "no [[job]] or [[grid]] tables: nothing to run")
    if problems.items:
        raise JobFileError(name, problems.items)
    return jobs


def _suggest(name: str, choices: Iterable[str]) -> str:
    close = difflib.get_close_matches(name, list(choices), n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _defaults(table: Any, lines: _Lines, problems: _Problems) -> dict[str, Any]:
    header = lines.table("defaults")
    if not isinstance(table, dict):
        problems.add(header, "defaults must be a table [defaults]")
        return {}
    good: dict[str, Any] = {}
    for name, value in table.items():
        line = lines.field(header, name)
        if name not in FIELDS:
            problems.add(line, f"defaults: unknown field {name!r}{_suggest(name, FIELDS)} (fields: {', '.join(FIELDS)})")
            continue
        try:
            _check_value(name, value)
        except InvalidJob as error:
            problems.add(line, f"defaults: {error}")
            continue
        good[name] = value
    return good


def _check_value(name: str, value: Any) -> None:
    """Type checks that need no other field (the rest happens in :meth:`Job.create`)."""
    if name == "task":
        try:
            find_task(value if isinstance(value, str) else repr(value))
        except InvalidOption:
            shown = repr(value) if isinstance(value, str) else _kind(value)
            raise InvalidJob(f"unknown task {shown} (choose {', '.join(JOB_TASKS)})", name) from None
    elif name in ("input", "output"):
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise InvalidJob(f"{name} must be a positive integer (a width), got {value!r}", name)
    elif name == "hidden":
        if not isinstance(value, list) or not all(type(w) is int for w in value):
            raise InvalidJob(f"hidden must be a list of widths such as [3, 2] (or [] for none), got {value!r}", name)
    elif name in LIMIT_FIELDS:
        _seconds(name, value)
    elif name in OPTIONS:
        _check_option(name, value)
    elif name == "bias":
        _boolean(name, value)
    elif name == "activation":
        _architecture([1, 1], value, False)
    elif name == "widths":
        _architecture(value, "x", False)


def _choices(name: str, value: Any, grid: bool) -> list[Any]:
    """The values a field takes: one for a job; for a grid, the list (a single value counts as a list of one)."""
    if not grid:
        return [value]
    if name == "hidden":
        if isinstance(value, dict):
            return _hidden_range(value)
        if isinstance(value, list) and value and all(type(v) is int for v in value):
            raise InvalidJob(
                f"in a grid, hidden is a list of choices, each a list of hidden widths: write {[value]} for one "
                f"network with hidden widths {', '.join(map(str, value))}, or {[[v] for v in value]} for "
                f"{len(value)} networks (or a range {{min = 1, max = 4, depth = [1, 2]}})", name)
        if not isinstance(value, list) or not all(isinstance(v, list) for v in value):
            raise InvalidJob(f"in a grid, hidden is a list of lists such as [[2], [3, 3]] or a range "
                             f"{{min = 1, max = 4, depth = [1, 2]}}, got {value!r}", name)
        values = value
    elif name == "widths":
        values = [value] if isinstance(value, str) or (isinstance(value, list) and all(type(v) is int for v in value)) else value
        if not isinstance(values, list):
            raise InvalidJob(f"widths must be a list such as [2, 2, 1], or in a grid a list of them, got {values!r}", name)
    elif name in OPTIONS and isinstance(OPTIONS[name].kind, Words):
        # a list of words is one value (the parts of a geometry job); a list of such lists are choices
        words = isinstance(value, str) or (isinstance(value, list) and all(isinstance(v, str) for v in value))
        values = [value] if words else value if isinstance(value, list) else [value]
    else:
        values = value if isinstance(value, list) else [value]
    if not values:
        raise InvalidJob(f"{name} is an empty list: the grid would have no jobs", name)
    return values


def _hidden_range(spec: dict[str, Any]) -> list[list[int]]:
    """``{min, max, depth}``: every list of ``depth`` widths in ``min..max`` (depth a number or a list)."""
    unknown = sorted(set(spec) - {"min", "max", "depth"})
    if unknown:
        raise InvalidJob(f"hidden range: unknown key {unknown[0]!r} (keys: min, max, depth)", "hidden")
    missing = [k for k in ("min", "max", "depth") if k not in spec]
    if missing:
        raise InvalidJob(f"hidden range needs {', '.join(missing)}, e.g. {{min = 1, max = 4, depth = [1, 2]}}", "hidden")
    low, high, depth = spec["min"], spec["max"], spec["depth"]
    depths = depth if isinstance(depth, list) else [depth]
    for label, value, least in (("min", low, 1), ("max", high, 1)) + tuple(("depth", d, 0) for d in depths):
        if isinstance(value, bool) or not isinstance(value, int) or value < least:
            raise InvalidJob(f"hidden range: {label} must be an integer >= {least}, got {value!r}", "hidden")
    if high < low:
        raise InvalidJob(f"hidden range: max {high} is below min {low}", "hidden")
    if not depths:
        raise InvalidJob("hidden range: depth is an empty list", "hidden")
    count = sum((high - low + 1) ** d for d in depths)
    if count > MAX_JOBS:
        raise InvalidJob(f"hidden range gives {count:,} width lists, more than {MAX_JOBS:,}", "hidden")
    return [list(widths) for d in depths for widths in itertools.product(range(low, high + 1), repeat=d)]


def _expand(table: dict[str, Any], defaults: dict[str, Any], grid: bool, lines: _Lines, header: int | None,
            label: str, name: str, problems: _Problems) -> list[Job]:
    """The jobs of one ``[[job]]`` or ``[[grid]]`` table; problems are added, not raised."""
    ok = True

    def report(error: InvalidJob, extra: str = "") -> None:
        fields = [error.field] if error.field != "widths" else ["widths", "hidden", "input", "output"]
        written = [f for f in fields if f in table]
        problems.add(lines.field(header, written[0]) if written else header, f"{label}: {extra}{error}")

    for key in table:
        if key not in FIELDS:
            problems.add(lines.field(header, key), f"{label}: unknown field {key!r}{_suggest(key, FIELDS)} "
                                                   f"(fields: {', '.join(FIELDS)})")
            ok = False
    has_widths, has_parts = "widths" in table, [k for k in ("input", "hidden", "output") if k in table]
    if has_widths and has_parts:
        problems.add(lines.field(header, has_parts[0]), f"{label}: give either widths or input/hidden/output, not both")
        ok = False
    merged = {**defaults, **table}
    if has_widths:
        merged = {k: v for k, v in merged.items() if k not in ("input", "hidden", "output")}
    elif has_parts:
        merged.pop("widths", None)
    for required in ("task",):
        if required not in merged:
            problems.add(header, f"{label}: no task (choose {', '.join(JOB_TASKS)})")
            ok = False
    missing = has_widths and bool(has_parts)  # a field without any usable value: nothing to expand
    if "widths" not in merged and not ("input" in merged and "output" in merged):
        problems.add(header, f"{label}: no widths: give widths = [2, 2, 1], or input, hidden and output")
        ok, missing = False, True
    choices: dict[str, list[Any]] = {}
    for key in FIELDS:
        if key not in merged:
            continue
        errors: list[InvalidJob] = []
        try:
            values = _choices(key, merged[key], grid)
        except InvalidJob as bad_field:
            values, errors = [], [bad_field]
        good = []
        for value in values:
            try:
                _check_value(key, value)
                good.append(value)
            except InvalidJob as bad_value:
                errors.append(bad_value)
        values = good
        for problem in errors:
            if key in table:
                report(problem)
            else:
                problems.add(header, f"{label}: {problem} (from [defaults])")
        ok = ok and not errors
        if values:  # the good values are still expanded, to find the problems of their combinations too
            choices[key] = values
        else:
            missing = True
    tasks = set(choices.get("task", ()))
    for key in OPTION_FIELDS:
        if tasks and key in table and not any(key in {o.name for o in _job_options(t)} for t in tasks):
            problems.add(lines.field(header, key), f"{label}: {_unknown_option(key, tasks)}")
            ok = False
    if missing or "task" not in choices:
        return []
    size = math.prod(len(v) for v in choices.values())
    if size > MAX_JOBS:
        problems.add(header, f"{label}: the grid has {size:,} jobs, more than {MAX_JOBS:,}; split it")
        return []
    jobs: list[Job] = []
    origin = f"{name}:{header}, {label}" if header else f"{name}, {label}"
    keys = list(choices)
    for combination in itertools.product(*(choices[k] for k in keys)):
        spec = dict(zip(keys, combination))
        try:
            jobs.append(_job(spec, origin))
        except InvalidJob as error:
            where = f"{_describe(spec)}: " if grid else ""
            report(error, where)
            ok = False
    return jobs if ok else []


def _describe(spec: dict[str, Any]) -> str:
    widths = spec.get("widths") or [spec.get("input"), *spec.get("hidden", []), spec.get("output")]
    text = widths if isinstance(widths, str) else ",".join(map(str, widths))
    return f"{spec['task']} ({text}) {spec.get('activation', DEFAULT_ACTIVATION)}"


def _job(spec: dict[str, Any], origin: str) -> Job:
    task = spec["task"]
    if "widths" in spec:
        widths = spec["widths"]
    else:
        widths = [spec["input"], *spec.get("hidden", []), spec["output"]]
    options = {k: v for k, v in spec.items() if k in {o.name for o in _job_options(task)}}
    return Job.create(
        task, widths, spec.get("activation", DEFAULT_ACTIVATION), spec.get("bias", False),
        timeout=spec.get("timeout"), wall_timeout=spec.get("wall_timeout"), origin=origin, **options,
    )
