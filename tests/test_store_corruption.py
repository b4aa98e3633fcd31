"""A battery of stores damaged by hand (rows and the writer record edited outside neurom2, a second name for a
live store, a full disk while writing): ``results show``, ``results export`` and ``doctor --db`` answer each in
one line naming the store, the row and what is wrong (exit status 2; doctor: a failed check), within 5 s,
without a traceback.  No Macaulay2 needed: the rows are made by hand (as in test_batch_store)."""

from __future__ import annotations

import os
import sqlite3
import time

import pytest
from test_batch_store import DIM_RESULT, outcome

from neurom2.batch import Job, ResultStore
from neurom2.cli import main
from neurom2.doctor import FAIL, check_store
from neurom2.errors import StoreWriteError

READERS = (["results", "show"], ["results", "show", "--json"], ["results", "export", "--format", "jsonl"],
           ["results", "export", "--format", "csv"])
JOBS = [Job.create("dim", [2, 2, 1], "x^2"), Job.create("member", [2, 2, 1], "x^3", target="x^3 - x*y^2"),
        Job.create("landscape", [2, 2, 1], "x^2", random_data=3)]
MEMBER_RESULT = {"member": True, "field": "real", "method": "fiber"}
LANDSCAPE_RESULT = {"learning_degree": 2, "infimum": {"value": 1.5, "attained": True}}


def make_store(path) -> None:
    """Three done rows whose results the table reads (dim, member, landscape), the constraints then dropped so
    that a tamperer can write anything (as any SQLite tool can, by recreating the table)."""
    with ResultStore(path) as store:
        for job, result in zip(JOBS, (DIM_RESULT, MEMBER_RESULT, LANDSCAPE_RESULT)):
            store.record(job, outcome("done", result))
    with sqlite3.connect(path) as db:
        db.executescript("CREATE TABLE loose AS SELECT * FROM results; DROP TABLE results; "
                         "ALTER TABLE loose RENAME TO results;")


ROW_DAMAGE = [
    ("description", "{not json", "description is not JSON"),
    ("description", "[1, 2]", "description is list"),
    ("description", '{"widths": "2,2,1"}', "description.widths is str"),
    ("description", '{"widths": [2, "x", 1]}', "description.widths is not a list of integers"),
    ("result", '"dim 3"', "result is str"),
    ("result", '{"member": [1]}', "result.member is list"),
    ("result", '{"infimum": {"value": "low"}}', "result.infimum.value is str"),
    ("result", '{"equations": 3}', "result.equations is int"),
    ("seconds", "fast", "seconds is str"),
    ("runs", None, "runs is NoneType"),
    ("status", "weird", "unknown status 'weird'"),
    ("error", b"\x01", "error is bytes"),
]


@pytest.mark.parametrize(("column", "value", "said"), ROW_DAMAGE, ids=[f"{c}-{v!r}" for c, v, _ in ROW_DAMAGE])
def test_a_tampered_row_is_named_by_every_reader_and_by_the_doctor(tmp_path, capsys, column, value, said):
    path = tmp_path / "results.sqlite"
    make_store(path)
    key = JOBS[1].key
    with sqlite3.connect(path) as db:
        db.execute(f"UPDATE results SET {column} = ? WHERE key = ?", (value, key))
    for command in READERS:
        assert_refused(capsys, [*command, "--db", str(path)], [str(path), key[:16], said])
    check = check_store(path)
    assert check.status == FAIL and key[:16] in check.detail and said in check.detail, check


WRITER_DAMAGE = [
    ("{not json", "the writer record is not JSON"),
    ('{"pid": "x"}', "the writer record has fields ['pid']"),
    ('{"host": "h", "pid": "x", "since": "s", "neurom2_version": "0"}', "writer.pid is str"),
    (5, "the writer record is int"),
]


@pytest.mark.parametrize(("record", "said"), WRITER_DAMAGE, ids=[repr(r) for r, _ in WRITER_DAMAGE])
def test_a_tampered_writer_record_fails_the_doctor_and_the_next_writer(tmp_path, capsys, record, said):
    path = tmp_path / "results.sqlite"
    make_store(path)
    with sqlite3.connect(path) as db:
        db.execute("UPDATE meta SET value = ? WHERE name = 'writer'", (record,))
    check = check_store(path)
    assert check.status == FAIL and "writer" in check.detail and said in check.detail, check
    good = tmp_path / "good.toml"
    good.write_text("[[job]]\ntask = 'dim'\nwidths = [2, 2, 1]\n")
    assert_refused(capsys, ["batch", str(good), "--db", str(path)], [str(path), said])


def test_a_schema_version_that_is_not_a_number_is_refused(tmp_path, capsys):
    path = tmp_path / "results.sqlite"
    make_store(path)
    with sqlite3.connect(path) as db:
        db.execute("UPDATE meta SET value = 'one' WHERE name = 'schema_version'")
    for command in READERS:
        assert_refused(capsys, [*command, "--db", str(path)], [str(path), "schema version 'one'"])
    assert check_store(path).status == FAIL


def test_a_second_name_of_a_live_store_is_refused_untouched(tmp_path, capsys):
    """A hard link shares the file but not SQLite's journal (``-wal``) nor the writer lock, which go by name."""
    live = tmp_path / "live.sqlite"
    link = tmp_path / "link.sqlite"
    with ResultStore(live) as store:
        store.record(JOBS[0], outcome("done", DIM_RESULT))
        os.link(live, link)
        for command in READERS:
            assert_refused(capsys, [*command, "--db", str(link)], [str(link), "hard links"])
        assert check_store(link).status == FAIL
        assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("link")) == ["link.sqlite"]
    os.unlink(link)
    with ResultStore(live, write=False) as store:
        assert [row.key for row in store.rows()] == [JOBS[0].key]


def test_a_full_disk_during_a_batch_keeps_the_stored_rows_and_a_rerun_completes(tmp_path, capsys, monkeypatch):
    """SQLite's "database or disk is full" in the middle of writing the second group of rows (injected inside the
    store's own transaction; every outcome committed at once, so the first group is the first job): exit 1 with a
    message that says so (not a bug), the group before it kept, the half-written one rolled back, and the same
    batch run again completes."""
    from neurom2.batch import run as run_module

    jobs = tmp_path / "jobs.toml"
    jobs.write_text("[[grid]]\ntask = 'dim'\nwidths = [[2, 1], [3, 1], [4, 1], [5, 1]]\n")
    db = tmp_path / "results.sqlite"
    real_record_group = ResultStore.record_group
    groups = []

    def record_until_full(self, finished):
        groups.append(len(finished))
        if len(groups) == 2:
            with self._transaction() as connection:
                connection.executemany("INSERT INTO meta VALUES (?, 'row')", [(f"half-written {k}",) for k in range(2)])
                raise sqlite3.OperationalError("database or disk is full")
        return real_record_group(self, finished)

    monkeypatch.setattr(run_module, "GROUP_SECONDS", 0.0)
    monkeypatch.setattr(ResultStore, "record_group", record_until_full)
    started = time.monotonic()
    assert main(["batch", str(jobs), "--db", str(db), "--workers", "1", "--quiet"]) == 1
    assert time.monotonic() - started < 5
    err = capsys.readouterr().err.strip().splitlines()
    assert err[-1].startswith(f"neurom2: error: {db}: cannot write the store (database or disk is full)"), err
    assert "internal error" not in "\n".join(err) and "Traceback" not in "\n".join(err)
    monkeypatch.undo()
    with ResultStore(db, write=False) as store:
        assert store.counts()["done"] == groups[0] and not any(name.startswith("half-written") for name in store.meta())
    assert main(["batch", str(jobs), "--db", str(db), "--workers", "1", "--quiet"]) == 0
    with ResultStore(db, write=False) as store:
        assert store.counts()["done"] == 4


def test_a_full_disk_is_a_store_write_error_not_an_invalid_store(tmp_path):
    """The translation itself, on a real connection: the error class decides the exit status (1, not 2)."""
    from neurom2.batch.store import _Transaction

    db = sqlite3.connect(tmp_path / "x.sqlite", isolation_level=None)
    with pytest.raises(StoreWriteError, match="disk is full.*kept"):
        with _Transaction(db, tmp_path / "x.sqlite"):
            raise sqlite3.OperationalError("database or disk is full")
    assert not db.in_transaction


def assert_refused(capsys, args: list[str], wanted: list[str]) -> None:
    """Exit status 2 within 5 s, one line ``neurom2: error: ...`` containing every ``wanted`` text, no traceback."""
    started = time.monotonic()
    code = main(args)
    seconds = time.monotonic() - started
    out, err = capsys.readouterr()
    lines = err.strip().splitlines()
    assert code == 2 and seconds < 5, (args, code, seconds, err)
    assert len(lines) == 1 and lines[0].startswith("neurom2: error: ") and "Traceback" not in out + err, err
    assert all(text in lines[0] for text in wanted), (wanted, lines[0])
