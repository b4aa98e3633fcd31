"""One version source: ``__version__`` in ``src/neurom2/__init__.py``; everything else that states a version
follows it (read here from the files themselves, not from neurom2)."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import neurom2

ROOT = Path(__file__).parents[1]


def test_pyproject_reads_the_version_from_the_package():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert "version" not in project["project"] and "version" in project["project"]["dynamic"]
    assert project["tool"]["hatch"]["version"]["path"] == "src/neurom2/__init__.py"
    source = (ROOT / "src" / "neurom2" / "__init__.py").read_text()
    assert re.findall(r'^__version__ = "([^"]+)"$', source, re.M) == [neurom2.__version__]


def test_the_macaulay2_package_has_the_same_version():
    text = (ROOT / "m2scripts" / "Neurom2.m2").read_text()
    assert re.findall(r'Version => "([^"]+)"', text) == [neurom2.__version__]


def test_the_newest_release_in_the_changelog_is_the_version():
    releases = re.findall(r"^## (\d+\.\d+\.\d+) ", (ROOT / "CHANGELOG.md").read_text(), re.M)
    assert releases and releases[0] == neurom2.__version__
