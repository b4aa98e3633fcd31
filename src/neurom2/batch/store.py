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
``user_version`` = the schema version.

Safety: the file is in WAL mode with ``synchronous = FULL``, and each finished job is written in its own
transaction, so a kill or a power loss loses at most the jobs that were still running and never leaves
a half-written row.  Opening checks the file first, read-only: a file that is not SQLite, is damaged,
belongs to another application or comes from a newer neurom2 raises :class:`StoreError` and is left
exactly as it was.  Only an empty file, or a SQLite database without any table, becomes a new store.
"""

from __future__ import annotations

import json
import socket
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Iterator

from neurom2 import __version__
from neurom2.errors import StoreError
from neurom2.batch.execute import STATUSES, Outcome, now
from neurom2.batch.jobs import Job

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
COLUMNS = ("key", "task", "description", "status", "result", "error", "seconds", "neurom2_version", "m2_version",
           "started", "finished", "host", "runs")


@dataclass(frozen=True)
class ResultRow:
    """One row of ``results``, with ``description`` and ``result`` decoded from JSON."""

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
    def from_sql(cls, row: sqlite3.Row) -> "ResultRow":
        values = dict(row)
        values["description"] = json.loads(values["description"])
        values["result"] = json.loads(values["result"]) if values["result"] is not None else None
        return cls(**values)

    def to_json(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in COLUMNS}


class ResultStore:
    """A neurom2 results store at ``path`` (created if missing; see the module docstring).

    Use as a context manager, or call :meth:`close`.  Writes come from one process (the batch's
    scheduler); readers may open the file at any time.
    """

    def __init__(self, path: str | Path, *, create: bool = True) -> None:
        self.path = Path(path)
        fresh = check_store_file(self.path, create)
        try:
            self._db = sqlite3.connect(self.path, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000)
        except sqlite3.Error as error:
            raise StoreError(f"{self.path}: cannot open: {error}") from None
        self._db.row_factory = sqlite3.Row
        self._db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        self._db.execute("PRAGMA journal_mode = WAL")
        self._db.execute("PRAGMA synchronous = FULL")
        if fresh:
            self._create()

    # --- opening ---

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

    def _transaction(self) -> "_Transaction":
        return _Transaction(self._db)

    # --- writing ---

    def record(self, job: Job, outcome: Outcome) -> None:
        """Store the outcome of ``job`` (replacing an earlier one of the same key), in one transaction."""
        row = (
            job.key, job.task, json.dumps(job.description, sort_keys=True), outcome.status,
            json.dumps(outcome.result, sort_keys=True, ensure_ascii=False) if outcome.result is not None else None,
            outcome.error, outcome.seconds, outcome.neurom2_version, outcome.m2_version, outcome.started,
            outcome.finished, outcome.host,
        )
        with self._transaction() as db:
            db.execute(
                f"INSERT INTO results ({', '.join(COLUMNS[:-1])}) VALUES ({', '.join('?' * (len(COLUMNS) - 1))}) "
                "ON CONFLICT(key) DO UPDATE SET "
                + ", ".join(f"{c} = excluded.{c}" for c in COLUMNS[1:-1])
                + ", runs = results.runs + 1",
                row,
            )

    # --- reading ---

    def statuses(self, keys: Iterable[str] | None = None) -> dict[str, str]:
        """``{key: status}`` of stored jobs (of ``keys`` only, when given)."""
        rows = self._db.execute("SELECT key, status FROM results").fetchall()
        found = {key: status for key, status in rows}
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
        for row in self._db.execute(sql, args):
            if wanted is not None and row["key"] not in wanted:
                continue
            if limit is not None and count >= limit:
                return
            count += 1
            yield ResultRow.from_sql(row)

    def get(self, key: str) -> ResultRow | None:
        row = self._db.execute("SELECT * FROM results WHERE key = ?", (key,)).fetchone()
        return ResultRow.from_sql(row) if row else None

    def counts(self) -> dict[str, int]:
        """Rows per status (every status present, possibly 0)."""
        found = dict(self._db.execute("SELECT status, count(*) FROM results GROUP BY status").fetchall())
        return {status: found.get(status, 0) for status in STATUSES}

    def meta(self) -> dict[str, str]:
        return dict(self._db.execute("SELECT name, value FROM meta").fetchall())

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> "ResultStore":
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


class _Transaction:
    """``BEGIN IMMEDIATE`` … ``COMMIT``, or ``ROLLBACK`` on any exception (KeyboardInterrupt included)."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    def __enter__(self) -> sqlite3.Connection:
        self.db.execute("BEGIN IMMEDIATE")
        return self.db

    def __exit__(self, kind: type | None, *rest: object) -> None:
        if kind is None:
            self.db.execute("COMMIT")
        else:
            self.db.execute("ROLLBACK")


def check_store_file(path: Path, create: bool) -> bool:
    """Whether ``path`` is to become a new store; StoreError if it must not be touched.  Read-only."""
    if not path.exists():
        if not create:
            raise StoreError(f"{path}: no such results store")
        if not path.parent.is_dir():
            raise StoreError(f"{path}: the directory {path.parent} does not exist")
        return True
    if not path.is_file():
        raise StoreError(f"{path}: not a regular file")
    with open(path, "rb") as handle:
        header = handle.read(len(SQLITE_MAGIC))
    if not header:
        return True  # an empty file, e.g. from mktemp
    if header != SQLITE_MAGIC:
        raise StoreError(f"{path}: not a SQLite database (the file does not start with the SQLite header); "
                         "not touched. Give --db a new file name or an existing neurom2 store")
    try:
        db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            tables = [name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
            application_id = db.execute("PRAGMA application_id").fetchone()[0]
            if not tables and application_id == 0:
                return True  # an empty SQLite database
            if application_id != APPLICATION_ID or "meta" not in tables or "results" not in tables:
                shown = ", ".join(tables[:8]) + (" ..." if len(tables) > 8 else "") or "none"
                raise StoreError(f"{path}: a SQLite database of another application (tables: {shown}; application_id "
                                 f"{application_id:#x}), not a neurom2 results store; not touched")
            meta = dict(db.execute("SELECT name, value FROM meta").fetchall())
            if meta.get("application") != APPLICATION:
                raise StoreError(f"{path}: its meta table does not name {APPLICATION!r}; not touched")
            version = int(meta.get("schema_version", "0"))
            if version > SCHEMA_VERSION:
                raise StoreError(f"{path}: written by a newer neurom2 (store schema {version}, this neurom2 reads "
                                 f"{SCHEMA_VERSION}); not touched")
            if version < 1:
                raise StoreError(f"{path}: unknown store schema version {meta.get('schema_version')!r}; not touched")
            check = db.execute("PRAGMA quick_check").fetchone()[0]
            if check != "ok":
                raise StoreError(f"{path}: the database is damaged ({check}); not touched")
        finally:
            db.close()
    except sqlite3.DatabaseError as error:
        raise StoreError(f"{path}: not a usable SQLite database ({error}); not touched") from None
    return False
