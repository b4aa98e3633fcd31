"""The results store: one plain SQLite file, readable with any SQLite tool.

Schema (version :data:`SCHEMA_VERSION`)::

    meta(name TEXT PRIMARY KEY, value TEXT)         -- application 'neurom2-batch', schema_version, created, ...
    results(
        key             TEXT PRIMARY KEY,           -- SHA-256 of the job's normalized description
        task            TEXT NOT NULL,              -- dim | implicit | member
        description     TEXT NOT NULL,              -- JSON: the job as run (identity and limits)
        status          TEXT NOT NULL,              -- done | failed | timeout
        result          TEXT,                       -- JSON: the computation's to_json() (done only)
        error           TEXT,                       -- what went wrong (failed, timeout)
        seconds         REAL,                       -- wall-clock seconds of the job in its worker
        neurom2_version TEXT,
        m2_version      TEXT,                       -- NULL when the job did not call Macaulay2
        started         TEXT,                       -- ISO 8601, UTC
        finished        TEXT,
        host            TEXT,                       -- where it ran
        runs            INTEGER NOT NULL            -- how many times this key has been computed
    )

The file's header also carries SQLite's ``application_id`` (:data:`APPLICATION_ID`, "NM2B") and
``user_version`` = the schema version.  ``meta`` row ``writer`` holds, as JSON, the last writer
(:class:`Writer`: host, pid, when it opened the store, and when it closed it, null while it is open or
if it never closed).

Writers and readers: ``ResultStore(path)`` opens the store for writing, as ``neurom2 batch`` does.  There
is one writer per store at a time, enforced by a lock (:mod:`neurom2.batch.lock`, which says what is
guaranteed where): a second writer is refused at once with a :class:`StoreError` that names the first
(``wait=SECONDS`` waits for it instead).  ``ResultStore(path, write=False)`` opens it for reading
(``results show|export``, ``doctor --db``): no lock, no check beyond the header, and SQLite refuses any
write (``query_only``).  Readers see every committed row, also while a batch is writing.

Safety: the file is in WAL mode with ``synchronous = FULL``, and finished jobs are written in transactions
(:meth:`ResultStore.record_group`; a batch commits what finished within a fraction of a second together,
:mod:`neurom2.batch.run`), so a kill or a power loss loses at most the jobs that were still running and the
group not yet committed, and never leaves a half-written row. Opening checks the file first, read-only and in
constant time (header, application id, ``meta``, schema version): a file that is not SQLite, belongs to
another application or comes from a newer neurom2 raises :class:`StoreError` and is left exactly as it was.
Only an empty file, or a SQLite database without any table, becomes a new store. The whole file is checked
(``PRAGMA quick_check``, which reads all of it) only when a writer finds that the previous writer did not
close the store (it was killed, crashed, or the machine stopped): a damaged store is then refused untouched.
SQLite's transactions already make such a stop harmless; the check is against storage that lost acknowledged
writes. ``neurom2 doctor --db`` runs the full ``PRAGMA integrity_check`` whenever asked. A damage that no
check has seen yet surfaces as a :class:`StoreError` when the damaged part is read.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import socket
import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

from neurom2 import __version__
from neurom2.batch.execute import STATUSES, Outcome, now
from neurom2.batch.jobs import Job
from neurom2.batch.lock import WriterLock
from neurom2.errors import Neurom2Error, StoreError, StoreWriteError
from neurom2.typeset import Typeset

APPLICATION = "neurom2-batch"
APPLICATION_ID = 0x4E4D3242  # "NM2B"
SCHEMA_VERSION = 1
SQLITE_MAGIC = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 30_000

_SCHEMA = f"""
CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE results (
    key TEXT PRIMARY KEY,
    task TEXT NOT NULL,
    description TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ({", ".join(f"'{s}'" for s in STATUSES)})),
    result TEXT,
    error TEXT,
    seconds REAL,
    neurom2_version TEXT,
    m2_version TEXT,
    started TEXT,
    finished TEXT,
    host TEXT,
    runs INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX results_status ON results(status);
"""
DAMAGED_ADVICE = "the store was changed outside neurom2 (`neurom2 doctor --db FILE` lists every damaged row)"
COLUMNS = ("key", "task", "description", "status", "result", "error", "seconds", "neurom2_version", "m2_version",
           "started", "finished", "host", "runs")


_NUMBER = (int, float)
COLUMN_TYPES: dict[str, tuple[type, ...]] = {
    "key": (str,), "task": (str,), "description": (str,), "status": (str,), "result": (str, type(None)),
    "error": (str, type(None)), "seconds": (*_NUMBER, type(None)), "neurom2_version": (str, type(None)),
    "m2_version": (str, type(None)), "started": (str, type(None)), "finished": (str, type(None)),
    "host": (str, type(None)), "runs": (int,)}
"""What SQLite may hand back for each column (it stores any type in any column when the schema is edited)."""
DESCRIPTION_TYPES: dict[str, tuple[type, ...]] = {
    "widths": (list, type(None)), "activation": (str, type(None)), "bias": (bool, type(None))}
RESULT_TYPES: dict[str, tuple[type, ...]] = {
    **{name: (int, type(None)) for name in ("dim", "expected_dim", "ambient_dim", "defect", "degree", "learning_degree")},
    "fills": (bool, type(None)), "member": (bool, type(None)), "field": (str, type(None)), "method": (str, type(None)),
    "equations": (list, type(None)), "infimum": (dict, type(None))}
INFIMUM_TYPES: dict[str, tuple[type, ...]] = {"value": (*_NUMBER, type(None)), "attained": (bool, type(None))}
"""The fields of descriptions and results that reading code (:mod:`neurom2.batch.results`) relies on, with
their types; absent counts as None.  Other fields are passed through as stored."""


def _expect(name: str, value: Any, allowed: tuple[type, ...]) -> None:
    """ValueError unless ``value`` is of one of the ``allowed`` types (a bool is not an int here)."""
    if not isinstance(value, allowed) or (isinstance(value, bool) and bool not in allowed):
        wanted = " or ".join("null" if kind is type(None) else kind.__name__ for kind in allowed)
        raise ValueError(f"{name} is {_shown(value)}, expected {wanted}")


def _json_object(name: str, text: str) -> dict[str, Any]:
    """``text`` decoded as a JSON object; ValueError naming the column otherwise."""
    if not isinstance(text, str):
        raise ValueError(f"{name} is {_shown(text)}, expected JSON text")
    try:
        value = json.loads(text)
    except json.JSONDecodeError as error:
        raise ValueError(f"{name} is not JSON ({error})") from None
    _expect(name, value, (dict,))
    return value


def _shown(value: Any) -> str:
    text = repr(value)
    return f"{type(value).__name__} {text if len(text) <= 40 else text[:40] + '...'}"


@dataclass(frozen=True, kw_only=True)
class ResultRow(Typeset):
    """One row of ``results``, with ``description`` and ``result`` decoded from JSON (typeset:
    :mod:`neurom2.typeset`)."""

    key: str
    task: str
    description: dict[str, Any]
    status: str
    result: dict[str, Any] | None
    error: str | None
    seconds: float | None
    neurom2_version: str | None
    m2_version: str | None
    started: str | None
    finished: str | None
    host: str | None
    runs: int

    @classmethod
    def from_sql(cls, row: sqlite3.Row) -> ResultRow:
        """The row, decoded and checked against the schema: ValueError saying what is wrong (a row written by
        neurom2 always passes; one edited by hand or by another program may not)."""
        values = dict(row)
        if set(values) != set(COLUMNS):
            raise ValueError(f"columns {sorted(values)}, expected {list(COLUMNS)}")
        for name, allowed in COLUMN_TYPES.items():
            _expect(name, values[name], allowed)
        if values["status"] not in STATUSES:
            raise ValueError(f"unknown status {values['status']!r} (one of {', '.join(STATUSES)})")
        values["description"] = _json_object("description", values["description"])
        values["result"] = None if values["result"] is None else _json_object("result", values["result"])
        for name, allowed in DESCRIPTION_TYPES.items():
            _expect(f"description.{name}", values["description"].get(name), allowed)
        for name, allowed in RESULT_TYPES.items():
            _expect(f"result.{name}", (values["result"] or {}).get(name), allowed)
        if not all(isinstance(w, int) and not isinstance(w, bool) for w in values["description"].get("widths") or []):
            raise ValueError("description.widths is not a list of integers")
        infimum = (values["result"] or {}).get("infimum") or {}
        for name, allowed in INFIMUM_TYPES.items():
            _expect(f"result.infimum.{name}", infimum.get(name), allowed)
        return cls(**values)

    def to_json(self) -> dict[str, Any]:
        """The row as JSON: every column of the store (docs/schemas/results.schema.json)."""
        return {name: getattr(self, name) for name in COLUMNS}


@dataclass(frozen=True, kw_only=True)
class Writer:
    """The process that opened a store for writing (``meta`` row ``writer``); ``closed`` is None while it
    is open, and stays None if it stopped without closing the store."""

    host: str
    pid: int
    since: str
    neurom2_version: str
    closed: str | None = None

    @classmethod
    def from_record(cls, text: str) -> Writer:
        """The ``meta`` row ``writer`` decoded and checked; ValueError saying what is wrong."""
        record = _json_object("the writer record", text)
        fields = {"host": (str,), "pid": (int,), "since": (str,), "neurom2_version": (str,), "closed": (str, type(None))}
        if set(record) - set(fields) or not {"host", "pid", "since", "neurom2_version"} <= set(record):
            raise ValueError(f"the writer record has fields {sorted(record)}, expected {sorted(fields)}")
        for name, allowed in fields.items():
            _expect(f"writer.{name}", record.get(name), allowed)
        return cls(**record)

    @classmethod
    def this_process(cls) -> Writer:
        """The writer that is this process: host, pid, start time and neurom2's version."""
        return cls(host=socket.gethostname(), pid=os.getpid(), since=now(), neurom2_version=__version__)

    def describe(self) -> str:
        """The writer in words, for the message that refuses a second writer."""
        return f"pid {self.pid} on {self.host}, writing since {self.since}"


class ResultStore:
    """A neurom2 results store at ``path`` (see the module docstring); use as a context manager, or :meth:`close`.

    ``write=True`` (the default): opened for writing, created if missing, under the store's writer lock;
    if another writer holds it, wait up to ``wait`` seconds (``math.inf``: as long as it takes), then
    raise :class:`StoreError` naming it.  ``notify`` receives one-line notices (waiting for a writer; the
    check after an unclean stop).  ``write=False``: opened for reading only; it must exist.
    """

    def __init__(self, path: str | Path, *, write: bool = True, wait: float = 0.0,
                 notify: Callable[[str], None] | None = None) -> None:
        self.path = Path(path)
        self._notify = notify or (lambda message: None)
        self._lock: WriterLock | None = None
        fresh = check_store_file(self.path, create=write)
        if not write:
            if fresh:
                raise StoreError(f"{self.path}: empty, not a results store yet")
            self._db = self._connect()
            self._db.execute("PRAGMA query_only = ON")
            return
        self._lock = self._take_lock(wait)
        try:
            self._db = self._open_for_writing()
        except BaseException:
            self._lock.release()
            raise

    # --- opening ---

    def _connect(self) -> sqlite3.Connection:
        try:
            db = sqlite3.connect(self.path, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000)
            db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        except sqlite3.Error as error:
            raise StoreError(f"{self.path}: cannot open: {error}") from None
        db.row_factory = sqlite3.Row
        return db

    def _open_for_writing(self) -> sqlite3.Connection:
        """Under the lock: check the file again (a writer may have changed it meanwhile), check the whole
        file if its last writer did not close it, create the store if new, and sign it as its writer."""
        fresh = check_store_file(self.path, create=True)
        self._db = self._connect()
        try:
            if not fresh:
                self._check_after_unclean_stop()  # before anything is written
            self._db.execute("PRAGMA journal_mode = WAL")
            self._db.execute("PRAGMA synchronous = FULL")
            if fresh:
                self._create()
            self._set_writer(Writer.this_process())
        except BaseException:
            self._db.close()
            raise
        return self._db

    def _take_lock(self, wait: float) -> WriterLock:
        lock = WriterLock(self.path)
        if lock.acquire(0.0):
            return lock
        holder = _holder(self.path)
        if wait > 0:
            self._notify(f"{self.path} is being written by another neurom2 batch ({holder}); waiting for it to finish")
            if lock.acquire(wait):
                return lock
        raise StoreError(f"{self.path} is being written by another neurom2 batch ({holder}); a store has one writer "
                         "at a time. Run this batch when that one has finished (neurom2 batch --wait waits for it), "
                         "or give --db another file; `neurom2 results show` reads the store meanwhile")

    def _create(self) -> None:
        with self._transaction() as db:
            if db.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]:
                raise StoreError(f"{self.path}: another process created tables in this file meanwhile; not touched")
            for statement in filter(str.strip, _SCHEMA.split(";")):
                db.execute(statement)
            meta = {"application": APPLICATION, "schema_version": str(SCHEMA_VERSION), "created": now(),
                    "created_by": f"neurom2 {__version__} on {socket.gethostname()}"}
            db.executemany("INSERT INTO meta VALUES (?, ?)", meta.items())
            db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    def _check_after_unclean_stop(self) -> None:
        """``PRAGMA quick_check`` if the last writer did not close the store (or left no record of it)."""
        last = self.writer()
        if last is not None and last.closed is not None:
            return
        who = (f"its last writer ({last.describe()}) stopped without closing it" if last is not None
               else "it has no record of a clean close (it was written by an older neurom2)")
        started = time.monotonic()
        problems = self.integrity(thorough=False)
        if problems:
            raise StoreError(f"{self.path}: {who}, and SQLite's quick_check finds it damaged "
                             f"({'; '.join(problems[:3])}); not touched. `neurom2 results export` saves what is "
                             "readable; then run the batch into a new file")
        self._notify(f"{self.path}: {who}; SQLite's quick_check finds no damage ({time.monotonic() - started:.2f} s)")

    def _set_writer(self, writer: Writer) -> None:
        with self._transaction() as db:
            db.execute("INSERT OR REPLACE INTO meta VALUES ('writer', ?)", (json.dumps(asdict(writer)),))

    def _transaction(self) -> _Transaction:
        return _Transaction(self._db, self.path)

    # --- writing ---

    def record(self, job: Job, outcome: Outcome) -> None:
        """Store the outcome of ``job`` (replacing an earlier one of the same key), in one transaction."""
        self.record_group([(job, outcome)])

    def record_group(self, finished: Sequence[tuple[Job, Outcome]]) -> None:
        """Store the outcomes of ``finished`` jobs in one transaction: all of them, or (on any error) none."""
        rows = [_row(job, outcome) for job, outcome in finished]
        with self._transaction() as db:
            db.executemany(_UPSERT, rows)

    # --- reading ---

    @contextlib.contextmanager
    def _reading(self) -> Iterator[sqlite3.Connection]:
        """The connection; a damaged or unreadable file raises :class:`StoreError` instead of sqlite3's error."""
        try:
            yield self._db
        except sqlite3.DatabaseError as error:
            raise StoreError(f"{self.path}: cannot read the store ({error}); `neurom2 doctor --db {self.path}` "
                             "checks the whole file") from None

    def statuses(self, keys: Iterable[str] | None = None) -> dict[str, str]:
        """``{key: status}`` of stored jobs (of ``keys`` only, when given)."""
        with self._reading() as db:
            found = {key: status for key, status in db.execute("SELECT key, status FROM results")}
        return found if keys is None else {k: found[k] for k in keys if k in found}

    def rows(self, *, status: str | None = None, task: str | None = None, limit: int | None = None,
             keys: Iterable[str] | None = None) -> Iterator[ResultRow]:
        """Stored rows, oldest finished first; filtered by status, task, keys; at most ``limit``."""
        where, args = [], []
        if status is not None:
            where.append("status = ?")
            args.append(status)
        if task is not None:
            where.append("task = ?")
            args.append(task)
        sql = "SELECT * FROM results" + (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY finished, key"
        wanted = set(keys) if keys is not None else None
        count = 0
        with self._reading() as db:
            for row in db.execute(sql, args):
                if wanted is not None and row["key"] not in wanted:
                    continue
                if limit is not None and count >= limit:
                    return
                count += 1
                yield self._decode(row)

    def get(self, key: str) -> ResultRow | None:
        """The stored row of the job with this key, or None."""
        with self._reading() as db:
            row = db.execute("SELECT * FROM results WHERE key = ?", (key,)).fetchone()
        return self._decode(row) if row else None

    def _decode(self, row: sqlite3.Row) -> ResultRow:
        """:meth:`ResultRow.from_sql`; a row that does not fit the schema raises StoreError naming it."""
        try:
            return ResultRow.from_sql(row)
        except ValueError as error:
            key = row["key"] if "key" in row.keys() else "?"
            raise StoreError(f"{self.path}: damaged row {str(key)[:16]!r}: {error}; {DAMAGED_ADVICE}") from None

    def damaged_rows(self) -> list[str]:
        """Every row that does not fit the schema, as ``key: what is wrong`` (``[]`` when all fit)."""
        found = []
        with self._reading() as db:
            for row in db.execute("SELECT * FROM results"):
                try:
                    ResultRow.from_sql(row)
                except ValueError as error:
                    found.append(f"{str(row['key'])[:16]}: {error}")
        return found

    def counts(self) -> dict[str, int]:
        """Rows per status (every status present, possibly 0)."""
        with self._reading() as db:
            found = dict(db.execute("SELECT status, count(*) FROM results GROUP BY status").fetchall())
        return {status: found.get(status, 0) for status in STATUSES}

    def meta(self) -> dict[str, str]:
        """The store's metadata table (schema version, creator, ...) as a dict."""
        with self._reading() as db:
            return dict(db.execute("SELECT name, value FROM meta").fetchall())

    def writer(self) -> Writer | None:
        """The last (or current) writer, from ``meta``; None for a store made by an older neurom2."""
        record = self.meta().get("writer")
        if record is None:
            return None
        try:
            return Writer.from_record(record)
        except ValueError as error:
            raise StoreError(f"{self.path}: damaged meta row 'writer': {error}; {DAMAGED_ADVICE}") from None

    def integrity(self, *, thorough: bool = True) -> list[str]:
        """SQLite's findings on the whole file: ``[]`` when it is sound.  ``thorough``: ``PRAGMA
        integrity_check`` (also indexes against tables); otherwise ``quick_check`` (structure only, faster)."""
        try:
            found = [text for (text,) in self._db.execute(f"PRAGMA {'integrity' if thorough else 'quick'}_check")]
        except sqlite3.DatabaseError as error:
            return [str(error)]
        return [] if found == ["ok"] else found

    def close(self) -> None:
        """Close; a writer first marks the store closed (so the next writer skips the check) and then unlocks it."""
        lock, self._lock = self._lock, None
        try:
            if lock is not None:
                with contextlib.suppress(Neurom2Error):  # e.g. a full disk: left unclean, the next writer checks it
                    self._set_writer(replace(self.writer() or Writer.this_process(), closed=now()))
        finally:
            self._db.close()
            if lock is not None:
                lock.release()

    def __enter__(self) -> ResultStore:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


_UPSERT = (f"INSERT INTO results ({', '.join(COLUMNS[:-1])}) VALUES ({', '.join('?' * (len(COLUMNS) - 1))}) "
           "ON CONFLICT(key) DO UPDATE SET " + ", ".join(f"{c} = excluded.{c}" for c in COLUMNS[1:-1])
           + ", runs = results.runs + 1")
"""Insert a row, or replace the stored row of the same key and count one more run."""


def _row(job: Job, outcome: Outcome) -> tuple[Any, ...]:
    """The values of ``COLUMNS`` (without ``runs``) for the outcome of ``job``."""
    return (
        job.key, job.task, json.dumps(job.description, sort_keys=True), outcome.status,
        json.dumps(outcome.result, sort_keys=True, ensure_ascii=False) if outcome.result is not None else None,
        outcome.error, outcome.seconds, outcome.neurom2_version, outcome.m2_version, outcome.started,
        outcome.finished, outcome.host,
    )


class _Transaction:
    """``BEGIN IMMEDIATE`` … ``COMMIT``, or ``ROLLBACK`` on any exception (KeyboardInterrupt included).

    SQLite's errors become neurom2's: a full disk or an I/O error :class:`StoreWriteError` (exit status 1: the
    transaction is rolled back, every row committed before is kept), any other :class:`StoreError`."""

    def __init__(self, db: sqlite3.Connection, path: Path) -> None:
        self.db = db
        self.path = path

    def __enter__(self) -> sqlite3.Connection:
        with self._translated():
            self.db.execute("BEGIN IMMEDIATE")
        return self.db

    def __exit__(self, kind: type | None, error: BaseException | None, *rest: object) -> None:
        with self._translated():
            if kind is None:
                self.db.execute("COMMIT")
            elif self.db.in_transaction:  # SQLite may have rolled back already (a full disk does)
                self.db.execute("ROLLBACK")
        if isinstance(error, sqlite3.Error):
            with self._translated():
                raise error

    @contextlib.contextmanager
    def _translated(self) -> Iterator[None]:
        try:
            yield
        except sqlite3.OperationalError as error:
            if "full" in str(error) or "I/O" in str(error):
                raise StoreWriteError(f"{self.path}: cannot write the store ({error}); the rows already stored are "
                                      "kept: free space (or fix the disk) and run the same command again to resume") from None
            raise StoreError(f"{self.path}: cannot write the store ({error})") from None
        except sqlite3.DatabaseError as error:
            raise StoreError(f"{self.path}: cannot write the store ({error}); `neurom2 doctor --db {self.path}` "
                             "checks the whole file") from None


def _holder(path: Path) -> str:
    """Who holds the writer lock of ``path``, in words, from its ``meta`` row (read-only)."""
    try:
        with contextlib.closing(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)) as db:
            record = db.execute("SELECT value FROM meta WHERE name = 'writer'").fetchone()
    except sqlite3.Error:  # the holder is creating the store
        record = None
    try:
        writer = Writer.from_record(record[0]) if record else None
    except ValueError:
        return "a process whose writer record is damaged"
    if writer is None or writer.closed is not None:
        return "a process that is just opening it"
    return writer.describe()


def check_store_file(path: Path, create: bool) -> bool:
    """Whether ``path`` is to become a new store; StoreError if it must not be touched.

    Read-only and in constant time: the header, the application id, the ``meta`` table and the schema
    version; not the whole file (see :meth:`ResultStore.integrity`)."""
    if not path.exists():
        if not create:
            raise StoreError(f"{path}: no such results store")
        if not path.parent.is_dir():
            raise StoreError(f"{path}: the directory {path.parent} does not exist")
        return True
    if not path.is_file():
        raise StoreError(f"{path}: not a regular file")
    links = path.stat().st_nlink
    if links > 1:
        raise StoreError(f"{path}: the file has {links} names (hard links); SQLite's journal and neurom2's writer lock "
                         "go by name, so two names of one store can damage it; not touched. Use the original name, or "
                         "a copy (cp)")
    with open(path, "rb") as handle:
        header = handle.read(len(SQLITE_MAGIC))
    if not header:
        return True  # an empty file, e.g. from mktemp
    if header != SQLITE_MAGIC:
        raise StoreError(f"{path}: not a SQLite database (the file does not start with the SQLite header); "
                         "not touched. Give --db a new file name or an existing neurom2 store")
    try:
        with contextlib.closing(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)) as db:
            tables = [name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
            application_id = db.execute("PRAGMA application_id").fetchone()[0]
            if not tables and application_id == 0:
                return True  # an empty SQLite database
            if application_id != APPLICATION_ID or "meta" not in tables or "results" not in tables:
                shown = ", ".join(tables[:8]) + (" ..." if len(tables) > 8 else "") or "none"
                raise StoreError(f"{path}: a SQLite database of another application (tables: {shown}; application_id "
                                 f"{application_id:#x}), not a neurom2 results store; not touched")
            meta = dict(db.execute("SELECT name, value FROM meta").fetchall())
    except sqlite3.DatabaseError as error:
        raise StoreError(f"{path}: not a usable SQLite database ({error}); not touched") from None
    if meta.get("application") != APPLICATION:
        raise StoreError(f"{path}: its meta table does not name {APPLICATION!r}; not touched")
    version = int(meta["schema_version"]) if re.fullmatch(r"[0-9]{1,9}", str(meta.get("schema_version"))) else 0
    if version > SCHEMA_VERSION:
        raise StoreError(f"{path}: written by a newer neurom2 (store schema {version}, this neurom2 reads "
                         f"{SCHEMA_VERSION}); not touched")
    if version < 1:
        raise StoreError(f"{path}: unknown store schema version {meta.get('schema_version')!r}; not touched")
    return False
