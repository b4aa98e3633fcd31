"""Every public member of neurom2 has a docstring, so that the API reference (autodoc, which leaves out members
without one) documents it: module-level functions and classes, and the methods and properties of public classes,
whose names do not start with an underscore, in modules whose names do not either."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).parents[1] / "src" / "neurom2"
DEFINITIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)


def undocumented(path: Path, package: Path = PACKAGE) -> list[str]:
    """The public definitions of one module of ``package`` without a docstring, as ``module:line name``."""
    module = ".".join(path.relative_to(package.parent).with_suffix("").parts)
    found = []
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if not isinstance(node, DEFINITIONS) or node.name.startswith("_"):
            continue
        members = [node]
        if isinstance(node, ast.ClassDef):
            members += [m for m in node.body if isinstance(m, DEFINITIONS[:2]) and not m.name.startswith("_")]
        found += [f"{module}:{m.lineno} {m.name}" for m in members if ast.get_docstring(m) is None]
    return found


def public_modules(package: Path = PACKAGE) -> list[Path]:
    """The modules of ``package`` whose path has no private part (``__init__`` and ``__main__`` are public)."""
    return [path for path in sorted(package.rglob("*.py"))
            if not any(part.startswith("_") and part not in ("__init__.py", "__main__.py")
                       for part in path.relative_to(package).parts)]


def test_every_public_member_has_a_docstring():
    missing = [entry for path in public_modules() for entry in undocumented(path)]
    assert missing == [], f"{len(missing)} public members without a docstring"


def test_the_check_finds_undocumented_public_members_only(tmp_path):
    package = tmp_path / "neurom2"
    (package / "_private").mkdir(parents=True)
    (package / "probe.py").write_text('class A:\n    """A."""\n\n    def f(self):\n        return 1\n\n'
                                      '    def _g(self):\n        return 2\n\n\ndef h():\n    pass\n\n\n'
                                      'class _B:\n    def k(self):\n        pass\n', encoding="utf-8")
    (package / "_private" / "hidden.py").write_text("def z():\n    pass\n", encoding="utf-8")
    assert public_modules(package) == [package / "probe.py"]
    assert undocumented(package / "probe.py", package) == ["neurom2.probe:4 f", "neurom2.probe:11 h"]
