"""``neurom2 doctor``: passes on a working installation; names what is broken and how to fix it.

The Macaulay2 checks run the real Macaulay2 (and a missing or fake one through ``NEUROM2_M2``); the
store checks use real SQLite files, made by :class:`neurom2.batch.ResultStore` or broken on purpose.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys

import pytest
from conftest import damage_root_page, installed_m2_version

import neurom2
from neurom2 import doctor
from neurom2.batch import ResultStore
from neurom2.cli import build_parser
from neurom2.doctor import FAIL, OK, SKIP, WARN, check_dependencies, check_store, format_checks, run_checks, run_doctor

APT_HINT = "sudo apt-get install --no-install-recommends macaulay2"
M2_CHECKS = ("macaulay2", "m2 session", "m2 package", "computation")


def by_name(checks) -> dict:
    return {c.name: c for c in checks}


def doctor_json(capsys, **kwargs) -> tuple[int, dict]:
    status = run_doctor(as_json=True, **kwargs)
    return status, json.loads(capsys.readouterr().out)


@pytest.fixture(scope="module")
def healthy():
    return by_name(run_checks())


@pytest.mark.macaulay2
def test_a_working_installation_passes_every_check(healthy):
    assert [c for c in healthy.values() if c.status == FAIL] == []
    for name in ("python", "sympy", "numpy", "pexpect", "flint", *M2_CHECKS):
        assert healthy[name].status == OK, healthy[name]
    assert healthy["macaulay2"].detail.startswith(f"{installed_m2_version()} at ")


@pytest.mark.macaulay2
def test_the_computation_is_the_determinant_of_a_rank_one_two_by_two_matrix(healthy):
    assert "dim 3, one quadric c1_0_1*c2_1_0 - c1_1_0*c2_0_1 = 0, verified" in healthy["computation"].detail


@pytest.mark.macaulay2
def test_the_package_file_is_found_and_loaded_with_its_version(healthy):
    assert healthy["m2 package"].detail.startswith(f"Neurom2 {neurom2.__version__} from ")  # the two versions move together
    assert healthy["m2 package"].detail.endswith("Neurom2.m2")


@pytest.mark.macaulay2
def test_the_text_report_has_one_line_per_check_and_a_verdict(healthy):
    text = format_checks(list(healthy.values()))
    assert text.splitlines()[-1] == "all checks passed"
    assert any(line.split()[:2] == ["OK", "computation"] for line in text.splitlines())


@pytest.mark.macaulay2
def test_exit_status_0_and_json_when_all_is_well(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # no results.sqlite here: the store is skipped
    status, report = doctor_json(capsys)
    assert status == 0 and report["ok"] is True
    checks = by_name(doctor.Check(**c) for c in report["checks"])
    assert checks["store"].status == SKIP
    assert all(checks[name].status == OK for name in M2_CHECKS)


def test_missing_macaulay2_fails_with_the_apt_hint(capsys, monkeypatch):
    monkeypatch.setenv("NEUROM2_M2", "/nonexistent")
    status, report = doctor_json(capsys)
    assert status == 1 and report["ok"] is False
    checks = by_name(doctor.Check(**c) for c in report["checks"])
    assert checks["macaulay2"].status == FAIL
    assert "'/nonexistent' not found" in checks["macaulay2"].detail
    assert APT_HINT in checks["macaulay2"].fix
    assert [checks[name].status for name in ("m2 session", "m2 package", "computation")] == [SKIP, SKIP, SKIP]


def test_missing_macaulay2_in_text_shows_the_fix(capsys, monkeypatch):
    monkeypatch.setenv("NEUROM2_M2", "/nonexistent")
    assert run_doctor() == 1
    out = capsys.readouterr().out
    assert "FAIL  macaulay2" in out and f"fix: install the Debian/Ubuntu package: {APT_HINT}" in out
    assert out.splitlines()[-1] == "1 problem(s) found"


def has_doctor_command() -> bool:
    commands = next(a for a in build_parser()._actions if a.dest == "command")
    return "doctor" in commands.choices


@pytest.mark.skipif(not has_doctor_command(), reason="`neurom2 doctor` is not wired into the CLI yet")
def test_the_doctor_command_exits_1_without_macaulay2():
    env = {**os.environ, "NEUROM2_M2": "/nonexistent"}
    run = subprocess.run([sys.executable, "-m", "neurom2.cli", "doctor", "--json"], capture_output=True, text=True,
                         timeout=120, env=env)
    assert run.returncode == 1
    checks = {c["name"]: c for c in json.loads(run.stdout)["checks"]}
    assert checks["macaulay2"]["status"] == FAIL and APT_HINT in checks["macaulay2"]["fix"]


def test_an_executable_that_is_not_macaulay2_fails(tmp_path, monkeypatch):
    fake = tmp_path / "M2"
    fake.write_text("#!/bin/sh\necho 'not Macaulay2' >&2\nexit 3\n")
    fake.chmod(0o755)
    monkeypatch.setenv("NEUROM2_M2", str(fake))
    check, executable = doctor.check_macaulay2()
    assert executable is None and check.status == FAIL
    assert "--version exited 3" in check.detail and "not Macaulay2" in check.detail


def test_a_file_that_is_not_sqlite_fails_the_doctor_and_is_left_alone(capsys, tmp_path):
    store = tmp_path / "results.sqlite"
    store.write_bytes(b"these bytes are no SQLite database " * 200)
    before = store.read_bytes()
    status, report = doctor_json(capsys, store=store)
    assert status == 1
    [check] = [c for c in report["checks"] if c["name"] == "store"]
    assert check["status"] == FAIL and "not a SQLite database" in check["detail"]
    assert "--db" in check["fix"]
    assert store.read_bytes() == before


def damaged_store(path):
    """A neurom2 store with 200 rows whose results table's root page header is overwritten."""
    with ResultStore(path):
        pass
    with sqlite3.connect(path) as db:
        db.executemany("INSERT INTO results (key, task, description, status) VALUES (?, 'dim', ?, 'done')",
                       [(f"k{i}", "x" * 200) for i in range(200)])
    db.close()
    damage_root_page(path, "results")


def test_a_damaged_store_is_reported_and_left_alone(tmp_path):
    store = tmp_path / "results.sqlite"
    damaged_store(store)
    before = store.read_bytes()
    check = check_store(store)
    assert check.status == FAIL and "database disk image is malformed" in check.detail
    assert store.read_bytes() == before


def test_sqlite_of_another_application_is_not_a_neurom2_store(tmp_path):
    store = tmp_path / "other.sqlite"
    with sqlite3.connect(store) as db:
        db.execute("CREATE TABLE things (x)")
    db.close()
    check = check_store(store)
    assert check.status == FAIL and "not a neurom2 results store" in check.detail and "things" in check.detail


def test_a_store_made_by_neurom2_passes_with_its_counts(tmp_path):
    store = tmp_path / "results.sqlite"
    with ResultStore(store):
        pass
    check = check_store(store)
    assert check.status == OK
    assert check.detail.startswith(f"{store}: 0 done, 0 failed, 0 timeout (store schema 1, created ")


def test_results_sqlite_in_the_working_directory_is_the_default_store(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert check_store(None).status == SKIP
    (tmp_path / "results.sqlite").write_bytes(b"\0" * 4096)
    assert check_store(None).status == FAIL


def test_an_empty_file_only_warns_and_stays_empty(tmp_path):
    store = tmp_path / "results.sqlite"
    store.touch()
    check = check_store(store)
    assert check.status == WARN and "not a store yet" in check.detail
    assert store.stat().st_size == 0


def test_a_missing_store_file_fails(tmp_path):
    check = check_store(tmp_path / "nowhere.sqlite")
    assert check.status == FAIL and "no such results store" in check.detail


def test_a_missing_optional_module_only_warns(monkeypatch):
    real = doctor._import_version

    def without_matplotlib(module, distribution):
        if module == "matplotlib":
            raise ImportError("No module named 'matplotlib'")
        return real(module, distribution)

    monkeypatch.setattr(doctor, "_import_version", without_matplotlib)
    check = by_name(check_dependencies())["matplotlib"]
    assert check.status == WARN and "neurom2 picture" in check.detail and "pip install" in check.fix


def test_a_missing_or_old_required_module_fails_with_a_pip_command(monkeypatch):
    real = doctor._import_version

    def broken(module, distribution):
        if module == "numpy":
            raise ImportError("No module named 'numpy'")
        return "1.0" if module == "sympy" else real(module, distribution)

    monkeypatch.setattr(doctor, "_import_version", broken)
    checks = by_name(check_dependencies())
    assert checks["numpy"].status == FAIL and checks["numpy"].fix.endswith("pip install 'numpy>=1.24'")
    assert checks["sympy"].status == FAIL and "older than required (>=1.12)" in checks["sympy"].detail
    assert checks["pexpect"].status == OK


def test_an_installed_version_without_a_release_number_fails_with_a_reinstall_command(monkeypatch):
    real = doctor._import_version
    monkeypatch.setattr(doctor, "_import_version", lambda m, d: "unknown" if m == "sympy" else real(m, d))
    checks = by_name(check_dependencies())
    assert checks["sympy"].status == FAIL and "'unknown' does not start with a release number" in checks["sympy"].detail
    assert "--force-reinstall 'sympy>=1.12'" in checks["sympy"].fix
    assert checks["numpy"].status == OK


@pytest.mark.parametrize(
    "version, specifier, meets",
    [("1.14.0", ">=1.12", True), ("1.9", ">=1.12", False), ("2.0rc1", ">=2.0", True), ("0.9.0", "", True),
     ("3.5", ">=3.5,<4", True)],
)
def test_minimum_versions_compare_numerically(version, specifier, meets):
    assert doctor._meets(version, specifier) is meets


def test_the_store_check_is_sqlites_full_integrity_check_and_finds_an_index_that_disagrees_with_its_table(tmp_path):
    """Damage that ``quick_check`` (the writer's check after an unclean stop) cannot see: the status index
    says 'faileD' where the table says 'failed', so ``results show --status failed`` would miss the row."""
    from neurom2.batch import Job, Outcome

    store = tmp_path / "results.sqlite"
    with ResultStore(store) as results:
        results.record(Job.create("dim", [2, 2, 1], "x^2"), Outcome(status="failed", result=None, error="Macaulay2Crashed",
                                                                    seconds=0.1, started="t0", finished="t1", host="a"))
    assert "integrity_check ok (" in check_store(store).detail
    with sqlite3.connect(store) as db:
        root = db.execute("SELECT rootpage FROM sqlite_master WHERE name = 'results_status'").fetchone()[0]
        page = db.execute("PRAGMA page_size").fetchone()[0]
    db.close()
    data = bytearray(store.read_bytes())
    at = data.index(b"failed", (root - 1) * page, root * page)
    data[at: at + 6] = b"faileD"
    store.write_bytes(bytes(data))
    with sqlite3.connect(store) as db:
        assert db.execute("PRAGMA quick_check").fetchall() == [("ok",)]
    db.close()
    check = check_store(store)
    assert check.status == FAIL
    assert check.detail == f"{store}: damaged; SQLite's integrity_check reports: row 1 missing from index results_status"
    assert "results export" in check.fix
