"""Every ``--json`` output has a JSON Schema in docs/schemas/ (documented in docs/json.md), and the REAL output
of each command, on small fast cases, validates against it.  The schemas close their objects
(``additionalProperties: false``) where the keys are fixed, so a key added to or removed from a result without
updating its schema fails here."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import jsonschema
import pytest

from neurom2.cli import main

ROOT = Path(__file__).parents[1]
SCHEMAS = ROOT / "docs" / "schemas"


def _validate(name: str, instance: object) -> None:
    schema = json.loads((SCHEMAS / f"{name}.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message[:200]}"
              for e in jsonschema.Draft202012Validator(schema).iter_errors(instance)]
    assert errors == []


def _json_of(capsys, argv: list[str]) -> object:
    assert main(argv) == 0
    return json.loads(capsys.readouterr().out)


def test_every_schema_is_valid_and_documented():
    page = (ROOT / "docs" / "json.md").read_text(encoding="utf-8")
    for path in SCHEMAS.glob("*.schema.json"):
        jsonschema.Draft202012Validator.check_schema(json.loads(path.read_text(encoding="utf-8")))
        assert f"schemas/{path.name}" in page, path.name


@pytest.mark.parametrize("argv", [["--widths", "3,2,1", "--activation", "x^2"],
                                  ["--widths", "2,2,7,6,15,8,1", "--activation", "x^3", "--float-check"]])
def test_dim_json_matches_its_schema(capsys, argv):
    _validate("dim", _json_of(capsys, ["dim", *argv, "--json"]))


def test_implicit_json_without_macaulay2_matches_its_schema(capsys):
    for argv in (["--widths", "2,2,1", "--activation", "x^4"], ["--widths", "3,2,3", "--activation", "x", "--no-verify"],
                 ["--widths", "2,2,1", "--activation", "x^3"]):
        _validate("implicit", _json_of(capsys, ["implicit", *argv, "--json"]))


@pytest.mark.macaulay2
def test_implicit_json_by_elimination_matches_its_schema(capsys):
    result = _json_of(capsys, ["implicit", "--widths", "3,2,1", "--activation", "x^2", "--strategy", "eliminate", "--json"])
    assert result["m2_version"]
    _validate("implicit", result)


@pytest.mark.macaulay2
@pytest.mark.parametrize("field", ["real", "complex"])
def test_member_json_matches_its_schema(capsys, field):
    result = _json_of(capsys, ["member", "--widths", "2,2,1", "--activation", "x^3", "--target", "x^3 - x*y^2",
                               "--field", field, "--json"])
    assert result["member"] is (field == "complex")
    _validate("member", result)


def test_filling_json_matches_its_schema(capsys, tmp_path):
    _validate("filling", _json_of(capsys, ["filling", "--input", "2", "--output", "1", "--depth", "3", "--workers", "1",
                                           "--db", str(tmp_path / "f.sqlite"), "--json"]))


@pytest.mark.macaulay2
@pytest.mark.parametrize("argv", [["--widths", "2,1,2", "--activation", "x", "--random-data", "6", "--train", "2"],
                                  ["--widths", "2,2,1", "--activation", "x^2", "--random-data", "8"]])
def test_landscape_json_matches_its_schema(capsys, argv):
    _validate("landscape", _json_of(capsys, ["landscape", *argv, "--json"]))


@pytest.mark.macaulay2
def test_batch_and_results_json_match_their_schemas(capsys, tmp_path):
    jobs = tmp_path / "single.toml"
    shutil.copy(ROOT / "examples" / "single.toml", jobs)
    store = str(tmp_path / "single.sqlite")
    _validate("batch", _json_of(capsys, ["batch", str(jobs), "--db", store, "--workers", "1", "--json", "--quiet"]))
    rows = _json_of(capsys, ["results", "show", "--db", store, "--json"])
    assert {row["status"] for row in rows} == {"done"}
    _validate("results", rows)
    for row in rows:  # each stored result is its task's --json
        _validate(row["task"], row["result"])


@pytest.mark.macaulay2
def test_reproduce_and_doctor_json_match_their_schemas(capsys):
    _validate("reproduce", _json_of(capsys, ["reproduce", "--only", "x2-fills-reals", "--json"]))
    _validate("doctor", _json_of(capsys, ["doctor", "--json"]))


@pytest.mark.macaulay2
@pytest.mark.parametrize("argv", [["--widths", "2,2,1", "--activation", "x^3", "--only", "symmetries,fibers,singular,dictionary"],
                                  ["--widths", "2,1,1", "--activation", "x^2", "--only", "sparsity,closedness"]])
def test_geometry_json_matches_its_schema(capsys, argv):
    result = _json_of(capsys, ["geometry", *argv, "--json"])
    assert result["parts"] == argv[-1].split(",")
    _validate("geometry", result)
