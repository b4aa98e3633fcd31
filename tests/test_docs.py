"""The documentation builds without a warning (Sphinx ``-W``): the API reference from the docstrings, every
module of neurom2 in it, and the tutorial with its computed outputs.

The build reads a copy of ``docs/`` whose tutorial is the notebook executed by the ``executed_tutorial``
fixture, so the notebook runs once per test session.
"""

from __future__ import annotations

import pkgutil
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

import neurom2

pytestmark = pytest.mark.macaulay2

DOCS = Path(__file__).parents[1] / "docs"


@pytest.fixture(scope="module")
def built(executed_tutorial, tmp_path_factory):
    source = tmp_path_factory.mktemp("docs") / "source"
    shutil.copytree(DOCS, source, ignore=shutil.ignore_patterns("_build", "jupyter_execute", ".ipynb_checkpoints"))
    nbformat.write(executed_tutorial[0], source / "tutorial.ipynb")
    out = source.parent / "html"
    result = subprocess.run([sys.executable, "-m", "sphinx", "-W", "--keep-going", "-q", "-b", "html",
                             "-D", "nb_execution_mode=off", str(source), str(out)],  # the fixture executed the tutorial
                            capture_output=True, text=True, timeout=300)
    return result, out


def test_the_docs_build_without_warnings(built):
    result, out = built
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stderr.strip() == ""
    assert (out / "index.html").is_file()


def test_every_page_of_the_manual_is_built_and_linked_from_the_index(built):
    _, out = built
    index = (out / "index.html").read_text(encoding="utf-8")
    for page in DOCS.glob("*.md"):
        if page.stem != "index":
            assert (out / f"{page.stem}.html").is_file(), page.name
            assert f'href="{page.stem}.html"' in index, page.name


def test_every_module_is_in_the_api_reference(built):
    _, out = built
    documented = set()
    for page in (out / "api").glob("*.html"):
        documented |= set(re.findall(r'id="module-(neurom2[\w.]*)"', page.read_text(encoding="utf-8")))
    modules = {"neurom2", *(m.name for m in pkgutil.walk_packages(neurom2.__path__, "neurom2."))}
    assert modules - documented == set()


def test_the_tutorial_page_shows_the_computed_tables_and_pictures(built):
    _, out = built
    page = (out / "tutorial.html").read_text(encoding="utf-8")
    assert page.count('<table class="neurom2 ') >= 10
    assert len(re.findall(r"<img [^>]*src=\"_images/", page)) == 3
    assert "mathjax" in page.lower()
