"""docs/glossary.md defines every term the reports print: every label of the text reports (taken from their
REAL output on small cases), every rule of the proved upper bounds (neurom2.variety.bounds.RULES), and the terms
of the landscape and membership reports listed below, each of which must still occur in the sources (so that
the list follows the code)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from neurom2.cli import main
from neurom2.variety.bounds import RULES

ROOT = Path(__file__).parents[1]
GLOSSARY = (ROOT / "docs" / "glossary.md").read_text(encoding="utf-8")
SOURCES = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "src" / "neurom2").rglob("*.py"))

LABEL = re.compile(r"^  (\S(?:\S| (?! ))*)(?=  )", re.MULTILINE)
"""A report's label: the left column at indentation 2, followed by at least two spaces."""

TERMS = ("Sing ", "granting M(R) ⊆ {s·g ≥ 0}", "reached side", "spurious", "pure", "diverging", "dμ", "rank dμ",
         "G = I ⊗ AᵀA", "NOT attained", "attained", "approach", "boundary", "tangential", "Galois orbit",
         "Frobenius cycle types", "without Macaulay2", "H(s, e, E)", "N(n, e)", "Schwartz–Zippel", "Sturm",
         "Hermite's trace form", "eliminant", "Nullstellensatz cofactors", "separating linear form", "undecided",
         "pseudometric", "monodromy")
"""Terms the reports print inside their values (not as labels)."""


def _labels(capsys, argv: list[str]) -> set[str]:
    assert main(argv) == 0
    return set(LABEL.findall(capsys.readouterr().out))


def test_every_bound_rule_is_defined():
    assert [rule for rule in RULES if f"**{rule}**" not in GLOSSARY] == []


def test_every_listed_term_is_printed_by_the_code_and_defined():
    assert [t for t in TERMS if t not in SOURCES] == []
    assert [t for t in TERMS if t not in GLOSSARY] == []


def test_labels_of_reports_without_macaulay2_are_defined(capsys, tmp_path):
    labels = set()
    for argv in (["dim", "--widths", "3,2,1"], ["implicit", "--widths", "2,2,1", "--activation", "x^4"],
                 ["implicit", "--widths", "3,2,3", "--activation", "x"], ["implicit", "--widths", "2,2,1", "--activation", "x^3"],
                 ["filling", "--input", "2", "--output", "1", "--depth", "3", "--workers", "1",
                  "--db", str(tmp_path / "f.sqlite")]):
        labels |= _labels(capsys, [*argv, "--quiet"])
    assert {"ambient space V", "dimension", "upper bound", "minimal", "regions"} <= labels  # the extraction works
    assert [label for label in sorted(labels) if f"**{label}**" not in GLOSSARY] == []


@pytest.mark.macaulay2
def test_labels_of_membership_and_landscape_reports_are_defined(capsys):
    labels = set()
    for argv in (["member", "--widths", "2,2,1", "--activation", "x^3", "--target", "x^3 - x*y^2"],
                 ["landscape", "--widths", "2,1,2", "--activation", "x", "--random-data", "6", "--train", "2"],
                 ["landscape", "--widths", "2,2,1", "--activation", "x^2", "--random-data", "8", "--train", "2"]):
        labels |= _labels(capsys, [*argv, "--quiet"])
    assert {"answer", "certificate", "learning degree", "infimum over M(R)", "training"} <= labels
    assert [label for label in sorted(labels) if f"**{label}**" not in GLOSSARY] == []


GEOMETRY_LABEL = re.compile(r"^  +([^(\s][^:]*?)(?: \([^)]*\))?: ", re.MULTILINE)
"""A label of the geometry report: ``  label: value`` (parenthesized details such as a component's dimension
dropped; subnetwork labels, which start with a parenthesis, skipped)."""


@pytest.mark.macaulay2
def test_labels_of_the_geometry_report_are_defined(capsys):
    assert main(["geometry", "--widths", "2,2,1", "--activation", "x^3", "--quiet"]) == 0
    labels = set(GEOMETRY_LABEL.findall(capsys.readouterr().out))
    assert {"identifiable", "M(C) = X(C)", "missing set", "for learning", "stratum"} <= labels
    assert [label for label in sorted(labels) if f"**{label}**" not in GLOSSARY] == []
