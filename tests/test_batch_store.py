"""The results store: a plain SQLite file that identifies itself, one row per job, and files that are not
neurom2 stores (random bytes, another application's database, a damaged store) refused untouched.
Export and show of stored rows.  No Macaulay2 needed: outcomes are made by hand."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import sqlite3
from pathlib import Path

import pytest

from neurom2.batch import Job, Outcome, ResultStore, StoreError
from neurom2.batch.results import CSV_COLUMNS
from neurom2.batch.store import APPLICATION_ID, SCHEMA_VERSION
from neurom2.cli import main

DIM_RESULT = {"dim": 3, "ambient_dim": 3, "expected_dim": 3, "defect": 0, "fills": True, "seconds": 0.01,
              "widths": [2, 2, 1], "activation": "x^2", "bias": False}


def outcome(status: str = "done", result: dict | None = None, error: str | None = None, started: str = "2026-01-01T00:00:00+00:00") -> Outcome:
    return Outcome(status, result if status == "done" else None, error, 0.25, started, "2026-01-01T00:00:01+00:00",
                   "host-a", "0.1.0", None)


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
        assert (row.status, row.result, row.error, row.runs, row.started) == ("done", {"dim": 9}, None, 2, "2026-02-02T00:00:00+00:00")
        assert row.description == jobs[1].description
        assert store.counts() == {"done": 2, "failed": 0, "timeout": 1}
        assert store.get(jobs[0].key).runs == 1


def test_a_failed_write_leaves_no_row_and_the_store_usable(tmp_path):
    path = tmp_path / "results.sqlite"
    job = Job.create("dim", [2, 1], "x^2")
    with ResultStore(path) as store:
        with pytest.raises(sqlite3.IntegrityError):  # the CHECK on status fails inside the transaction
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
