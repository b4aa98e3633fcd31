"""Sphinx configuration of neurom2's documentation: the API reference (autodoc, from the docstrings) and
the tutorial notebook (myst-nb, executed when it has no outputs).

Build:  python -m sphinx -W --keep-going -b html docs docs/_build/html   (tests/test_docs.py does the same)
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from pathlib import Path

from docutils import nodes
from docutils.parsers.rst import Directive, directives
from docutils.statemachine import StringList
from sphinx.util.nodes import nested_parse_with_titles

import neurom2

project = "neurom2"
author = "the neurom2 authors"
release = version = neurom2.__version__
copyright = "neurom2 authors"

extensions = ["sphinx.ext.autodoc", "sphinx.ext.mathjax", "myst_nb"]
exclude_patterns = ["_build", "**.ipynb_checkpoints", "jupyter_execute"]
source_suffix = {".rst": "restructuredtext", ".md": "myst-nb", ".ipynb": "myst-nb"}
html_theme = "alabaster"
html_theme_options = {"description": "polynomial neural networks as algebraic geometry, with Macaulay2",
                      "page_width": "1100px", "sidebar_width": "240px"}

# The API reference: members in source order, each module documenting what it defines (re-exports,
# e.g. neurom2.Membership, are documented where they are defined).
autodoc_member_order = "bysource"
autodoc_default_options = {"members": True, "show-inheritance": True, "ignore-module-all": True}
autodoc_typehints = "signature"
autodoc_preserve_defaults = True

# The tutorial: myst-nb executes a notebook that has no outputs (the committed one) and stops the build
# on an error in any cell.
nb_execution_mode = "auto"
nb_execution_raise_on_error = True
nb_execution_timeout = 600
nb_merge_streams = True
myst_enable_extensions = ["dollarmath", "amsmath", "deflist"]  # deflist: the glossary
myst_heading_anchors = 3  # links such as proved.md#the-loss-landscape

# Docstrings write mathematics in plain text: |S| is a cardinality, ‖c‖ a norm, never a reST substitution
# reference.  Outside inline literals and literal blocks, every "|" is escaped before docutils reads it.
_LITERAL = re.compile(r"(``.*?``)")


def _escape_bars(app, what, name, obj, options, lines: list[str]) -> None:
    literal_block = None  # indentation of the paragraph that ended with "::", while inside its literal block
    for k, line in enumerate(lines):
        indent = len(line) - len(line.lstrip())
        if literal_block is not None and line.strip() and indent <= literal_block:
            literal_block = None
        if literal_block is None and not line.lstrip().startswith(">>>"):
            lines[k] = "".join(part if part.startswith("``") else part.replace("|", r"\|") for part in _LITERAL.split(line))
        if line.rstrip().endswith("::"):
            literal_block = indent


class Modules(Directive):
    """``.. modules:: PACKAGE``: ``automodule`` for PACKAGE and every module below it, found when the docs are
    built, so a new module is documented without editing the docs; ``:flat:`` takes only the modules
    directly in PACKAGE that are not packages."""

    required_arguments = 1
    option_spec = {"flat": directives.flag}

    def run(self):
        package = importlib.import_module(self.arguments[0])
        if "flat" in self.options:
            names = [f"{package.__name__}.{m.name}" for m in pkgutil.iter_modules(package.__path__) if not m.ispkg]
        else:
            names = [package.__name__, *(m.name for m in pkgutil.walk_packages(package.__path__, package.__name__ + "."))]
        lines = []
        for name in names:
            lines += [f"``{name}``", "-" * (len(name) + 4), "", f".. automodule:: {name}", ""]
        node = nodes.section()
        nested_parse_with_titles(self.state, StringList(lines, "<modules directive>"), node)
        return node.children


LAYERS = ("model", "m2", "variety", "real", "training", "filling", "batch")
"""Subpackages in the order data flows through them; any other subpackage follows, then the top-level modules."""


def _write_api_pages(app) -> None:
    """Generate ``api/`` (not committed): an index, one page per subpackage of neurom2 and one for the modules
    at the top level, so that every module is in the reference as soon as it exists."""
    api = Path(app.srcdir) / "api"
    api.mkdir(exist_ok=True)
    found = [m.name for m in pkgutil.iter_modules(neurom2.__path__) if m.ispkg]
    packages = [name for name in LAYERS if name in found] + sorted(set(found) - set(LAYERS))
    pages = {}
    for name in packages:
        first = (importlib.import_module(f"neurom2.{name}").__doc__ or name).strip().splitlines()[0]
        title = f"neurom2.{name}: " + re.split(r"[:.]( |$)", first)[0]
        pages[name] = f"{title}\n{'=' * len(title)}\n\n.. modules:: neurom2.{name}\n"
    title = "Tasks, command line, display, errors and the rest"
    pages["commands"] = f"{title}\n{'=' * len(title)}\n\n.. modules:: neurom2\n   :flat:\n"
    pages["index"] = ("API reference\n=============\n\nBuilt from the docstrings: one page per layer of neurom2, in the "
                      "order data flows through them.\n\n.. automodule:: neurom2\n   :no-members:\n\n"
                      ".. toctree::\n   :maxdepth: 2\n\n" + "".join(f"   {name}\n" for name in [*packages, "commands"]))
    for name, text in pages.items():
        page = api / f"{name}.rst"
        if not page.exists() or page.read_text(encoding="utf-8") != text:  # unchanged pages are not rebuilt
            page.write_text(text, encoding="utf-8")
    for stale in set(api.glob("*.rst")) - {api / f"{name}.rst" for name in pages}:
        stale.unlink()


def setup(app):
    app.connect("autodoc-process-docstring", _escape_bars)
    app.connect("builder-inited", _write_api_pages)
    app.add_directive("modules", Modules)
