"""The README is the front door: short, with the two commands CI and users run; every relative link and picture
of the README and of docs/ points to a file of the repository, and every source file the documentation names
exists (so a moved module is not documented at its old place)."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).parents[1]
README = ROOT / "README.md"
LINK = re.compile(r"!?\[[^\]]*\]\(([^)\s]+)\)")
SOURCE_PATH = re.compile(r"\b(?:src|tests|benchmarks|scripts)/[\w/.-]+\.(?:py|sh|toml|csv)")
PAGES = [README, *sorted((ROOT / "docs").glob("*.md")), ROOT / "CONTRIBUTING.md"]


def test_readme_is_short_and_has_the_two_commands():
    text = README.read_text(encoding="utf-8")
    assert len(text.splitlines()) <= 300
    lines = text.splitlines()
    assert "bash scripts/setup.sh" in lines and "bash scripts/setup.sh test" in lines
    assert "## Which geometric properties does M have?" in lines


def test_every_relative_link_points_to_a_file():
    missing = []
    for page in PAGES:
        for target in LINK.findall(page.read_text(encoding="utf-8")):
            if re.match(r"[a-z]+:", target) or target.startswith("#"):
                continue
            path = target.split("#")[0]
            if not (page.parent / path).exists():
                missing.append(f"{page.relative_to(ROOT)}: {target}")
    assert missing == []


def test_every_source_file_named_in_the_documentation_exists():
    named = {(page.name, path) for page in PAGES for path in SOURCE_PATH.findall(page.read_text(encoding="utf-8"))}
    assert len(named) > 10  # the pattern finds the paths
    assert sorted((page, path) for page, path in named if not (ROOT / path).exists()) == []
