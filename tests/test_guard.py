"""The performance guard (benchmarks/guard.py) passes, and fails on issue 17's quadratic independence test and on
a computation that hangs."""

from __future__ import annotations

import importlib
import sys
import time
from fractions import Fraction
from pathlib import Path

import flint
import numpy as np
import pytest

from neurom2.variety import interpolation

TASKS = {"implicit", "dim", "member", "landscape", "filling", "batch"}


@pytest.fixture(scope="module")
def guard():
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
    return importlib.import_module("guard")


def references(guard) -> dict:
    return guard.json.loads(guard.REFERENCES.read_text())


def test_every_task_has_a_committed_reference(guard):
    assert {case.task for case in guard.CASES} == TASKS
    assert set(references(guard)["cases"]) == {case.name for case in guard.CASES}


def test_the_guard_passes(guard, session, capsys):
    assert guard.main([]) == 0
    table = capsys.readouterr().out
    assert table.count("| PASS |") == len(guard.CASES) and "FAIL" not in table


def quadratic_minimal_generators(space, pieces):
    """minimal_generators before issue 17: the rank of the whole matrix recomputed for every candidate."""
    p = interpolation.INTERPOLATION_PRIMES[0]
    grading = interpolation._grading(space)
    kept, previous = [], ()
    for piece in pieces:
        if not (piece.basis and previous):
            kept += list(piece.basis)
        else:
            products = [{tuple(a + (j == i) for j, a in enumerate(e)): c for e, c in g.items()}
                        for g in previous for i in range(space.dim)]
            groups: dict[bytes, tuple[list, list]] = {}
            for family, polynomials in enumerate((products, piece.basis)):
                for f in polynomials:
                    groups.setdefault((np.array(next(iter(f))) @ grading).tobytes(), ([], []))[family].append(f)
            for span, members in groups.values():
                monomials = sorted({e for f in span + members for e in f})
                basis = [vector(f, monomials, p) for f in span]
                for f in members:
                    if rank(basis + [vector(f, monomials, p)], p) > rank(basis, p):
                        basis.append(vector(f, monomials, p))
                        kept.append(f)
        previous = piece.basis
    return [interpolation.normalized(f) for f in kept]


def vector(f: dict, monomials: list, p: int) -> list[int]:
    coefficients = [Fraction(f.get(e, 0)) for e in monomials]
    return [c.numerator * pow(c.denominator, -1, p) % p for c in coefficients]


def rank(rows: list[list[int]], p: int) -> int:
    return flint.nmod_mat(len(rows), len(rows[0]), [v for row in rows for v in row], p).rank() if rows else 0


def test_the_guard_fails_on_the_quadratic_independence_test(guard, session, monkeypatch):
    case = next(c for c in guard.CASES if c.name.startswith("independence"))
    monkeypatch.setattr(interpolation, "minimal_generators", quadratic_minimal_generators)
    [verdict], _ = guard.run_guard([case], references(guard))
    assert not verdict.passed and (verdict.ratio is None or verdict.ratio > guard.LIMIT)


def test_a_computation_that_hangs_is_stopped_and_fails(guard, session, monkeypatch):
    monkeypatch.setattr(guard, "STOP_FLOOR", 0.5)
    hang = guard.Case("sleeper", "implicit", "a stand-in that sleeps", lambda: lambda: time.sleep(60))
    quick = {"calibration_seconds": references(guard)["calibration_seconds"], "cases": {"sleeper": {"seconds": 0.01}}}
    started = time.perf_counter()
    [verdict], _ = guard.run_guard([hang], quick)
    assert not verdict.passed and verdict.timing.seconds is None and verdict.timing.stopped_at is not None
    assert time.perf_counter() - started < 30


def test_updating_one_case_keeps_the_others_in_the_stored_units(guard, session, monkeypatch, tmp_path):
    stored = references(guard)
    copy = tmp_path / "guard.json"
    copy.write_text(guard.json.dumps(stored))
    monkeypatch.setattr(guard, "REFERENCES", copy)
    name = "member (2,2,1) x^3"
    assert guard.main(["--case", name, "--update"]) == 0
    updated = guard.json.loads(copy.read_text())
    assert updated["calibration_seconds"] == stored["calibration_seconds"]
    assert {k: v for k, v in updated["cases"].items() if k != name} == {
        k: v for k, v in stored["cases"].items() if k != name}
    assert updated["cases"][name]["seconds"] > 0 and updated["cases"][name]["runs"] == guard.REPEATS
