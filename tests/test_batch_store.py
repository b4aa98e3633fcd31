"""The results store: a plain SQLite file that identifies itself, one row per job, and files that are not
neurom2 stores (random bytes, another application's database, a damaged store) refused untouched.
Export and show of stored rows.  No Macaulay2 needed: outcomes are made by hand."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import re
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from conftest import damage_root_page

from neurom2.batch import Job, Outcome, ResultStore, StoreError
from neurom2.batch.results import CSV_COLUMNS
from neurom2.batch.store import APPLICATION_ID, SCHEMA_VERSION
from neurom2.cli import main
from neurom2.doctor import check_store

DIM_RESULT = {"dim": 3, "ambient_dim": 3, "expected_dim": 3, "defect": 0, "fills": True, "seconds": 0.01,
              "widths": [2, 2, 1], "activation": "x^2", "bias": False}


def outcome(status: str = "done", result: dict | None = None, error: str | None = None,
            started: str = "2026-01-01T00:00:00+00:00") -> Outcome:
    return Outcome(status=status, result=result if status == "done" else None, error=error, seconds=0.25, started=started,
                   finished="2026-01-01T00:00:01+00:00",
                   host="host-a", neurom2_version="0.1.0", m2_version=None)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def filled(tmp_path):
    """A store with one done dim job, one failed implicit job and one timed-out member job."""
    path = tmp_path / "results.sqlite"
    jobs = [Job.create("dim", [2, 2, 1], "x^2"), Job.create("implicit", [3, 3, 1], "x^3"),
            Job.create("member", [2, 2, 1], "x^3", target="x^3 - x*y^2")]
    with ResultStore(path) as store:
        store.record(jobs[0], outcome("done", DIM_RESULT))
        store.record(jobs[1], outcome("failed", error="Macaulay2Crashed: Macaulay2 died (signal 9)"))
        store.record(jobs[2], outcome("timeout", error="Macaulay2 computation exceeded its time limit of 1 s"))
    return path, jobs


def test_new_store_is_a_plain_sqlite_file_that_names_itself(tmp_path):
    path = tmp_path / "results.sqlite"
    ResultStore(path).close()
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    meta = dict(db.execute("SELECT name, value FROM meta"))
    assert meta["application"] == "neurom2-batch" and meta["schema_version"] == str(SCHEMA_VERSION)
    columns = [row[1] for row in db.execute("PRAGMA table_info(results)")]
    assert columns == ["key", "task", "description", "status", "result", "error", "seconds", "neurom2_version",
                       "m2_version", "started", "finished", "host", "runs"]


def test_recording_a_key_again_replaces_the_row_and_counts_the_run(filled):
    path, jobs = filled
    with ResultStore(path) as store:
        store.record(jobs[1], outcome("done", {"dim": 9}, started="2026-02-02T00:00:00+00:00"))
        row = store.get(jobs[1].key)
        assert (row.status, row.result, row.error, row.runs) == ("done", {"dim": 9}, None, 2)
        assert row.started == "2026-02-02T00:00:00+00:00"
        assert row.description == jobs[1].description
        assert store.counts() == {"done": 2, "failed": 0, "timeout": 1}
        assert store.get(jobs[0].key).runs == 1


def test_a_failed_write_leaves_no_row_and_the_store_usable(tmp_path):
    path = tmp_path / "results.sqlite"
    job = Job.create("dim", [2, 1], "x^2")
    with ResultStore(path) as store:
        with pytest.raises(StoreError, match="CHECK constraint failed"):  # the CHECK on status fails inside the transaction
            store.record(job, outcome("finished"))
        assert store.counts() == {"done": 0, "failed": 0, "timeout": 0}
        store.record(job, outcome("done", {"dim": 1}))
        assert store.get(job.key).result == {"dim": 1}


def test_random_bytes_are_refused_and_left_untouched(tmp_path, capsys):
    path = tmp_path / "results.sqlite"
    path.write_bytes(os.urandom(4096))
    before = digest(path)
    with pytest.raises(StoreError, match="not a SQLite database"):
        ResultStore(path)
    jobs = tmp_path / "jobs.toml"
    jobs.write_text('[[job]]\ntask = "dim"\nwidths = [2, 1]\n')
    assert main(["batch", str(jobs), "--db", str(path)]) == 2
    assert "not a SQLite database" in capsys.readouterr().err
    assert main(["results", "show", "--db", str(path)]) == 2
    assert digest(path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["jobs.toml", "results.sqlite"]


def test_foreign_sqlite_database_is_refused_and_left_untouched(tmp_path, capsys):
    path = tmp_path / "mine.db"
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE results (key TEXT, status TEXT)")  # same table name, not ours
    db.execute("INSERT INTO results VALUES ('a', 'done')")
    db.commit()
    db.close()
    before = digest(path)
    with pytest.raises(StoreError, match="another application .*tables: results"):
        ResultStore(path)
    jobs = tmp_path / "jobs.toml"
    jobs.write_text('[[job]]\ntask = "dim"\nwidths = [2, 1]\n')
    assert main(["batch", str(jobs), "--db", str(path)]) == 2
    assert "not a neurom2 results store; not touched" in capsys.readouterr().err
    assert digest(path) == before


def test_damaged_store_is_refused_and_left_untouched(filled):
    path, _ = filled
    with ResultStore(path) as store:  # checkpoint the WAL into the main file, so that it alone holds the rows
        store._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    data = bytearray(path.read_bytes())
    page = 4096
    assert len(data) >= 3 * page
    data[page + 8: 2 * page] = os.urandom(page - 8)  # a damaged b-tree page after an intact header
    path.write_bytes(bytes(data))
    before = digest(path)
    with pytest.raises(StoreError, match="damaged|not a usable SQLite database"):
        ResultStore(path)
    assert digest(path) == before


def test_store_of_a_newer_schema_is_refused(tmp_path):
    path = tmp_path / "results.sqlite"
    ResultStore(path).close()
    db = sqlite3.connect(path)
    db.execute("UPDATE meta SET value = '99' WHERE name = 'schema_version'")
    db.commit()
    db.close()
    with pytest.raises(StoreError, match="newer neurom2"):
        ResultStore(path)


def test_empty_file_and_empty_sqlite_database_become_stores(tmp_path):
    empty = tmp_path / "empty.sqlite"
    empty.touch()
    ResultStore(empty).close()
    blank = tmp_path / "blank.sqlite"
    sqlite3.connect(blank).execute("PRAGMA user_version = 0").close()
    ResultStore(blank).close()
    for path in (empty, blank):
        assert sqlite3.connect(path).execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID


def test_results_of_a_missing_store_is_an_error_and_creates_nothing(tmp_path, capsys):
    path = tmp_path / "none.sqlite"
    assert main(["results", "show", "--db", str(path)]) == 2
    assert "no such results store" in capsys.readouterr().err
    assert not path.exists()


def test_export_jsonl_gives_each_row_whole(filled, tmp_path, capsys):
    path, jobs = filled
    out = tmp_path / "all.jsonl"
    assert main(["results", "export", "--db", str(path), "--format", "jsonl", "--output", str(out)]) == 0
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert [r["key"] for r in rows] == [job.key for job in jobs]
    done = rows[0]
    assert done["result"] == DIM_RESULT and done["description"] == jobs[0].description
    assert (done["status"], done["task"], done["host"], done["runs"], done["seconds"]) == ("done", "dim", "host-a", 1, 0.25)
    assert rows[1]["result"] is None and rows[1]["error"].startswith("Macaulay2Crashed")
    assert set(done) == {"key", "task", "description", "status", "result", "error", "seconds", "neurom2_version",
                         "m2_version", "started", "finished", "host", "runs"}


def test_export_csv_has_flat_columns_and_the_json(filled, capsys):
    path, jobs = filled
    assert main(["results", "export", "--db", str(path), "--format", "csv", "--status", "done"]) == 0
    text = capsys.readouterr().out
    reader = csv.DictReader(io.StringIO(text))
    assert tuple(reader.fieldnames) == CSV_COLUMNS
    (row,) = list(reader)
    assert (row["key"], row["task"], row["status"], row["widths"], row["activation"], row["bias"]) == \
        (jobs[0].key, "dim", "done", "2,2,1", "x^2", "false")
    assert (row["dim"], row["ambient_dim"], row["fills"], row["degree"], row["member"]) == ("3", "3", "true", "", "")
    assert json.loads(row["result"]) == DIM_RESULT and json.loads(row["description"]) == jobs[0].description


def test_results_show_table_json_and_filters(filled, capsys):
    path, jobs = filled
    assert main(["results", "show", "--db", str(path)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["key", "task", "status", "widths", "activation", "bias", "answer", "seconds"]
    assert lines[1].split()[:7] == [jobs[0].key[:12], "dim", "done", "2,2,1", "x^2", "no", "dim"]
    assert "Macaulay2Crashed: Macaulay2 died (signal 9)" in lines[2]
    assert lines[-1] == f"3 rows shown; {path} holds 1 done, 1 failed, 1 timeout"
    assert main(["results", "show", "--db", str(path), "--status", "timeout", "--json"]) == 0
    (row,) = json.loads(capsys.readouterr().out)
    assert row["key"] == jobs[2].key and row["status"] == "timeout"
    assert main(["results", "show", "--db", str(path), "--task", "implicit", "--limit", "1", "--csv"]) == 0
    assert len(capsys.readouterr().out.splitlines()) == 2


def test_results_show_format_is_export_format(filled, capsys):
    path, jobs = filled
    for output in ("csv", "json", "jsonl"):
        assert main(["results", "show", "--db", str(path), "--format", output]) == 0
        shown = capsys.readouterr().out
        assert main(["results", "export", "--db", str(path), "--format", output]) == 0
        assert shown == capsys.readouterr().out
    assert main(["results", "show", "--db", str(path), "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [row["key"] for row in rows] == [job.key for job in jobs]


# --- one writer per store ---------------------------------------------------------------------------------

HOLD = """
import sys
from neurom2.batch import Job, Outcome, ResultStore
store = ResultStore(sys.argv[1])
outcome = Outcome(status="done", result={"dim": 3}, error=None, seconds=0.1, started="t0", finished="t1", host="host-a")
store.record(Job.create("dim", [2, 2, 1], "x^2"), outcome)
print("holding", flush=True)
sys.stdin.read()  # until the test closes this process's stdin
store.close()
"""
_holders: list[subprocess.Popen] = []


@pytest.fixture(autouse=True)
def _no_holder_left_running():
    yield
    while _holders:
        process = _holders.pop()
        if process.poll() is None:
            process.kill()
        process.wait(10)
        process.stdin.close()
        process.stdout.close()


def hold(path: Path) -> subprocess.Popen:
    """Another process that opens ``path`` for writing, records one row and keeps the store open."""
    process = subprocess.Popen([sys.executable, "-c", HOLD, str(path)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                               text=True)
    _holders.append(process)
    assert process.stdout.readline() == "holding\n"
    return process


def test_a_second_writer_is_refused_at_once_naming_the_first_while_readers_go_on(tmp_path, capsys):
    path = tmp_path / "results.sqlite"
    holder = hold(path)
    with pytest.raises(StoreError, match=rf"being written by another neurom2 batch \(pid {holder.pid} on "
                                         rf"{socket.gethostname()}, writing since 20"):
        ResultStore(path)
    jobs = tmp_path / "jobs.toml"
    jobs.write_text('[[job]]\ntask = "dim"\nwidths = [3, 2, 1]\n')
    assert main(["batch", str(jobs), "--db", str(path)]) == 2
    assert f"(pid {holder.pid} on " in capsys.readouterr().err
    assert main(["batch", str(jobs), "--db", str(path), "--dry-run"]) == 0  # reads without the lock
    assert "0 already in" in capsys.readouterr().out
    assert main(["results", "show", "--db", str(path)]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == f"1 row shown; {path} holds 1 done, 0 failed, 0 timeout"
    check = check_store(path)
    assert check.status == "OK" and f"being written now by pid {holder.pid} on " in check.detail
    with ResultStore(path, write=False) as reader:
        with pytest.raises(sqlite3.OperationalError, match="readonly"):  # a reader cannot write
            reader._db.execute("DELETE FROM results")
    holder.communicate("", timeout=30)  # the holder closes the store normally
    assert holder.returncode == 0
    notes: list[str] = []
    with ResultStore(path, notify=notes.append) as store:
        assert store.counts()["done"] == 1 and store.writer().pid == os.getpid()
    assert notes == []  # closed cleanly: no check, nothing to say
    assert sorted(p.name for p in tmp_path.iterdir()) == ["jobs.toml", "results.sqlite"]  # no lock file left


def test_batch_wait_queues_behind_the_writer_until_it_has_closed(tmp_path, capsys):
    path = tmp_path / "results.sqlite"
    jobs = tmp_path / "jobs.toml"
    jobs.write_text('[[job]]\ntask = "dim"\nwidths = [3, 2, 1]\n')
    holder = hold(path)
    threading.Timer(0.5, holder.stdin.close).start()  # the first writer finishes half a second from now
    started = time.monotonic()
    assert main(["batch", str(jobs), "--db", str(path), "--wait", "--workers", "1"]) == 0
    assert time.monotonic() - started >= 0.5 and holder.wait(10) == 0
    out, err = capsys.readouterr()
    assert re.fullmatch(rf"neurom2: {re.escape(str(path))} is being written by another neurom2 batch \(pid {holder.pid} on "
                        rf"{re.escape(socket.gethostname())}, writing since [-0-9T:.+]+\); waiting for it to finish\n", err)
    assert "1 jobs run" in out
    with ResultStore(path, write=False) as store:
        assert store.counts()["done"] == 2 and store.writer().closed is not None


def test_a_writer_killed_with_sigkill_leaves_no_lock_and_the_next_writer_checks_the_store(tmp_path):
    path = tmp_path / "results.sqlite"
    holder = hold(path)
    holder.kill()
    holder.wait(10)
    check = check_store(path)  # readers see who stopped without closing
    assert check.status == "OK" and f"its last writer (pid {holder.pid} on " in check.detail
    assert "stopped without closing it, so the next batch runs SQLite's quick_check" in check.detail
    notes: list[str] = []
    with ResultStore(path, notify=notes.append) as store:  # at once: the kernel released the dead writer's lock
        assert store.counts()["done"] == 1
    assert len(notes) == 1 and notes[0].startswith(f"{path}: its last writer (pid {holder.pid} on ")
    assert re.search(r"stopped without closing it; SQLite's quick_check finds no damage \(\d+\.\d\d s\)$", notes[0])
    ResultStore(path, notify=notes.append).close()
    assert len(notes) == 1  # closed cleanly this time: not checked again
    with sqlite3.connect(path) as db:  # as a store of an older neurom2, which kept no writer record
        db.execute("DELETE FROM meta WHERE name = 'writer'")
    db.close()
    ResultStore(path, notify=notes.append).close()
    assert "it has no record of a clean close (it was written by an older neurom2)" in notes[1]


def test_a_damaged_store_is_refused_by_the_writer_after_an_unclean_stop_and_read_errors_are_store_errors(filled, capsys):
    path, jobs = filled
    damage_root_page(path, "results")
    # Closed cleanly: opening does not read the whole file, but reading the damaged table is a StoreError.
    with ResultStore(path, write=False) as store:
        with pytest.raises(StoreError, match="cannot read the store .*malformed.*neurom2 doctor --db"):
            list(store.rows())
    assert main(["results", "show", "--db", str(path)]) == 2
    assert "cannot read the store" in capsys.readouterr().err
    assert check_store(path).status == "FAIL"
    # After an unclean stop the next writer checks the file first, and leaves it untouched.
    with sqlite3.connect(path) as db:
        writer = json.loads(db.execute("SELECT value FROM meta WHERE name = 'writer'").fetchone()[0])
        db.execute("UPDATE meta SET value = ? WHERE name = 'writer'", (json.dumps({**writer, "closed": None}),))
    db.close()
    before = digest(path)
    with pytest.raises(StoreError, match=r"stopped without closing it, and SQLite's quick_check finds it damaged"):
        ResultStore(path)
    assert digest(path) == before
    assert sorted(p.name for p in path.parent.iterdir()) == ["results.sqlite"]


def test_a_group_is_one_transaction_stored_whole_or_not_at_all(tmp_path):
    """record_group: the rows of a group appear together; a group with one bad row leaves none of its rows."""
    path = tmp_path / "results.sqlite"
    good = [Job.create("dim", [2, w, 1], "x^2") for w in (1, 2, 3)]
    with ResultStore(path) as store:
        with pytest.raises(StoreError, match="CHECK constraint failed"):
            store.record_group([(good[0], outcome("done", {"dim": 1})), (good[1], outcome("finished"))])
        assert store.counts() == {"done": 0, "failed": 0, "timeout": 0}
        store.record_group([(job, outcome("done", {"dim": w})) for w, job in enumerate(good, start=1)])
        assert {job.key: store.get(job.key).result["dim"] for job in good} == {job.key: w for w, job in enumerate(good, 1)}
        assert all(store.get(job.key).runs == 1 for job in good)
