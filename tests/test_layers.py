"""Import contracts: the layers of neurom2 import downwards only, and no modules import each other in a loop.

The imports are read from the source (``ast``), nothing is executed.  Each import is one of three kinds:

* ``module``: executed when the importing module is imported (top level, also inside ``try``/``if``);
* ``lazy``: inside a function or class body, executed when it runs;
* ``type``: under ``if TYPE_CHECKING:``, read by the type checker only.

Rules:

1. No import of any kind goes up the :data:`LAYERS` table (a module may import its own layer and the ones below).
   The one late binding of the house is declared in :data:`LATE_BINDINGS` (``importlib`` by module name, which an
   import statement does not show).
2. No cycle among ``module`` imports (those run at import time), and none among ``module`` and ``lazy`` imports
   together but through :data:`ALLOWED` edges; ``type`` imports may close a loop.
3. Every module of ``src/neurom2`` has a layer, so a new package is placed on purpose.

:data:`ALLOWED` lists known back-arrows and cycles that work in progress removes; each names its reason.
"""

from __future__ import annotations

import ast
import importlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

SOURCE = Path(__file__).resolve().parent.parent / "src"

LAYERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("ground floor", ("errors", "deadline", "cost", "progress", "latex", "typeset", "files", "exact")),
    ("model, m2", ("model", "m2")),
    ("variety", ("variety",)),
    ("real", ("real",)),
    ("training, filling, properties", ("training", "filling", "properties")),
    ("batch, tasks", ("batch", "tasks")),
    ("present", ("present",)),
    ("commands and the facade", ("cli", "claims", "doctor", "__main__", "")),
)
"""From the ground floor up; each layer is a list of modules or packages under ``neurom2`` (``""``: the package's
``__init__``, the façade that hands the public names on)."""

LATE_BINDINGS = {("neurom2.typeset", "neurom2.present.presenters")}
"""Imports by module name with ``importlib``: the ground-floor registry loads the presenters on its first miss."""

ALLOWED: dict[tuple[str, str], str] = {
}
"""Known back-arrows and cycle edges ``(importer, imported)`` that other work removes; the lead removes them at merge."""


VERSION = "__version__"
"""``from neurom2 import __version__`` is not an import of the façade: the version lives in ``__init__.py`` by the
project's rule (CONTRIBUTING.md), and importing any submodule runs ``__init__.py`` anyway."""


@dataclass(frozen=True)
class Import:
    """``importer`` imports ``imported`` (both module names) at ``line``, of a kind (see the module docstring)."""

    importer: str
    imported: str
    kind: str
    line: int


def module_name(path: Path) -> str:
    parts = path.relative_to(SOURCE).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for p in sorted((SOURCE / "neurom2").rglob("*.py"))}


def _target(node: ast.ImportFrom, importer: str, alias: str) -> str:
    """The module that ``from X import alias`` loads: ``X.alias`` when that is a module, else ``X``."""
    if node.level:
        package = importer if MODULES[importer].name == "__init__.py" else importer.rpartition(".")[0]
        for _ in range(node.level - 1):
            package = package.rpartition(".")[0]
        base = f"{package}.{node.module}" if node.module else package
    else:
        base = node.module or ""
    return f"{base}.{alias}" if f"{base}.{alias}" in MODULES else base


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _walk(body: list[ast.stmt], importer: str, kind: str) -> Iterator[Import]:
    for node in body:
        if isinstance(node, ast.Import):
            yield from (Import(importer, a.name, kind, node.lineno) for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            yield from (Import(importer, _target(node, importer, a.name), kind, node.lineno) for a in node.names
                        if not (node.module == "neurom2" and not node.level and a.name == VERSION))
        elif isinstance(node, ast.If) and _is_type_checking(node):
            yield from _walk(node.body, importer, "type")
            yield from _walk(node.orelse, importer, kind)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            yield from _walk(node.body, importer, "type" if kind == "type" else "lazy")
        else:
            for field in ("body", "orelse", "finalbody", "handlers"):
                inner = getattr(node, field, None)
                if isinstance(inner, list):
                    yield from _walk([s for s in inner if isinstance(s, (ast.stmt, ast.excepthandler))], importer, kind)
            if isinstance(node, ast.ExceptHandler):
                yield from _walk(node.body, importer, kind)


def imports() -> list[Import]:
    """Every import of a neurom2 module by a neurom2 module (but ``from neurom2 import __version__``, see
    :data:`VERSION`)."""
    found = []
    for name, path in MODULES.items():
        tree = ast.parse(path.read_text(), str(path))
        for imp in _walk(tree.body, name, "module"):
            if imp.imported.split(".")[0] == "neurom2" and imp.imported != imp.importer:
                found.append(imp)
    return found


def layer(module: str) -> int | None:
    """The index in :data:`LAYERS` of a module (the longest matching entry), or None."""
    best: tuple[int, int] | None = None
    rest = module.removeprefix("neurom2").removeprefix(".")
    for index, (_, members) in enumerate(LAYERS):
        for member in members:
            if rest == member or (member and rest.startswith(member + ".")):
                if best is None or len(member) > best[0]:
                    best = (len(member), index)
    return None if best is None else best[1]


def strongly_connected(edges: set[tuple[str, str]]) -> list[set[str]]:
    """The cycles of a graph: its strongly connected components of more than one node (Tarjan)."""
    graph: dict[str, set[str]] = {}
    for a, b in edges:
        graph.setdefault(a, set()).add(b)
        graph.setdefault(b, set())
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[set[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = set()
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.add(w)
                if w == v:
                    break
            if len(component) > 1:
                components.append(component)

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return components


def _allowed(imp: Import) -> bool:
    return any(imp.importer == a and (imp.imported == b or imp.imported.startswith(b + ".")) for a, b in ALLOWED)


def test_every_module_has_a_layer():
    assert [m for m in MODULES if layer(m) is None] == []


def test_no_import_goes_up_a_layer():
    upward = [f"{imp.importer} ({LAYERS[layer(imp.importer)][0]}) -> {imp.imported} ({LAYERS[layer(imp.imported)][0]}), "
              f"{imp.kind} import, line {imp.line}"
              for imp in imports() if layer(imp.imported) > layer(imp.importer) and not _allowed(imp)]
    assert upward == []


def _cycles(kinds: tuple[str, ...]) -> list[list[str]]:
    """The loops among imports of these kinds, each as its edges ``a -> b`` (allowances left out)."""
    edges = {(imp.importer, imp.imported) for imp in imports() if imp.kind in kinds and not _allowed(imp)}
    return [sorted(f"{a} -> {b}" for a, b in edges if a in component and b in component)
            for component in strongly_connected(edges)]


def test_no_cycle_among_module_level_imports():
    assert _cycles(("module",)) == []


def test_no_cycle_among_runtime_imports_but_the_allowed_ones():
    """Lazy imports that close a loop hide it from the import machinery, not from the design."""
    assert _cycles(("module", "lazy")) == []


def test_the_allowances_are_still_needed():
    """An allowance whose edge is gone is removed from :data:`ALLOWED` (so the table shrinks as work lands)."""
    present = {(imp.importer, imp.imported) for imp in imports()}
    stale = [edge for edge in ALLOWED if not any(a == edge[0] and (b == edge[1] or b.startswith(edge[1] + "."))
                                                 for a, b in present)]
    assert stale == []


def test_the_late_binding_is_the_declared_one_and_registers_every_result_class():
    """typeset.py loads exactly the declared module; after it, every class that inherits Typeset has a summary."""
    typeset = importlib.import_module("neurom2.typeset")
    assert {("neurom2.typeset", typeset.PRESENTERS)} == LATE_BINDINGS
    importlib.import_module(typeset.PRESENTERS)
    results = []
    for name, path in MODULES.items():
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ClassDef) and any(isinstance(b, ast.Name) and b.id == "Typeset" for b in node.bases):
                results.append(getattr(importlib.import_module(name), node.name))
    assert len(results) >= 6
    missing = [cls.__name__ for cls in results
               if not any(typeset._PRESENTERS.get(c) for c in cls.__mro__ if c is not typeset.Typeset)]
    assert missing == []


@pytest.mark.parametrize(("module", "expected"), [
    ("neurom2.typeset", "ground floor"), ("neurom2.exact.roots", "ground floor"), ("neurom2.real.membership.fibers", "real"),
    ("neurom2", "commands and the facade"), ("neurom2.present.sweep_plot", "present")])
def test_layer_table_reads_packages_and_the_facade(module, expected):
    assert LAYERS[layer(module)][0] == expected
