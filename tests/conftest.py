"""Shared helpers for the tests: independent, numeric views of neuromanifolds."""

from __future__ import annotations

import os
import re
import shutil
import subprocess

import numpy as np
import pytest
import sympy

from neurom2 import Architecture
from neurom2.errors import Macaulay2NotFound
from neurom2.m2.session import default_session, find_m2
from neurom2.model.jacobian import coefficient_jacobian
from neurom2.model.parametrization import forward
from neurom2.model.space import AmbientSpace


def _macaulay2() -> str | None:
    """The Macaulay2 executable neurom2 would use, or None."""
    try:
        return find_m2()
    except Macaulay2NotFound:
        return None


M2 = _macaulay2()
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
M2_MODULES = {"test_session", "test_implicit", "test_strategies", "test_membership", "test_claims", "test_m2_package",
              "test_verification"}
"""Test modules whose every test runs Macaulay2 (other tests say so with the marker or the fixture)."""
M2_DOCTESTS = {"neurom2"}
"""Modules whose docstring examples run Macaulay2."""
_skipped_for_m2: list[str] = []
PDFLATEX = shutil.which("pdflatex")
"""pdflatex (Debian package texlive-latex-base), which the tests marked ``latex`` run."""
_skipped_for_latex: list[str] = []


def pytest_collection_modifyitems(config, items):
    """Mark what needs Macaulay2: the modules of M2_MODULES, tests using the ``session`` fixture, doctests of
    M2_DOCTESTS.  Without Macaulay2 they are skipped and counted (never silently), except under CI=true,
    where they run and fail: CI must have Macaulay2."""
    marker = pytest.mark.macaulay2
    for item in items:
        module = getattr(item, "module", None)
        name = module.__name__.rsplit(".", 1)[-1] if module is not None else ""
        doctest = isinstance(item, pytest.DoctestItem)
        if (name in M2_MODULES or "session" in getattr(item, "fixturenames", ())
                or (doctest and item.name in M2_DOCTESTS)):
            item.add_marker(marker)
    if M2 is None and not IN_CI:
        skip = pytest.mark.skip(
            reason="needs Macaulay2, which is not installed (apt-get install --no-install-recommends macaulay2)")
        for item in items:
            if item.get_closest_marker("macaulay2"):
                item.add_marker(skip)
                _skipped_for_m2.append(item.nodeid)
    if PDFLATEX is None and not IN_CI:  # the same for pdflatex and the latex marker
        skip = pytest.mark.skip(reason="needs pdflatex, which is not installed "
                                       "(apt-get install --no-install-recommends texlive-latex-base)")
        for item in items:
            if item.get_closest_marker("latex"):
                item.add_marker(skip)
                _skipped_for_latex.append(item.nodeid)


def pytest_report_header(config):
    if M2 is not None:
        return f"Macaulay2: {M2}"
    if IN_CI:
        return "Macaulay2: NOT FOUND, and CI=true: the tests that need it will fail"
    return "Macaulay2: NOT FOUND: the tests that need it are skipped (see the summary)"


def pytest_terminal_summary(terminalreporter):
    if _skipped_for_m2:
        terminalreporter.write_line(f"{len(_skipped_for_m2)} tests SKIPPED because Macaulay2 is not installed; "
                                    "they did not run", red=True)
    if _skipped_for_latex:
        terminalreporter.write_line(f"{len(_skipped_for_latex)} tests SKIPPED because pdflatex is not installed; "
                                    "they did not run", red=True)


UNMARKED_M2 = "/nonexistent/test-without-the-macaulay2-marker/M2"
"""What a test without the ``macaulay2`` marker finds as Macaulay2: nothing (see :func:`macaulay2_only_when_marked`)."""


@pytest.fixture(autouse=True)
def macaulay2_only_when_marked(request, monkeypatch):
    """A test that starts Macaulay2 must carry the ``macaulay2`` marker (or be in M2_MODULES, or use the
    ``session`` fixture): otherwise it would fail, instead of being skipped, where Macaulay2 is missing.
    Unmarked tests run with ``NEUROM2_M2`` pointing at no file and without the process-wide session, so one that
    starts Macaulay2 fails here too, whatever machine runs it.  A test may still point ``NEUROM2_M2`` at a fake."""
    if request.node.get_closest_marker("macaulay2") is None:
        from neurom2.m2 import session as session_module

        monkeypatch.setenv("NEUROM2_M2", UNMARKED_M2)
        monkeypatch.setattr(session_module, "_sessions", {})


def installed_m2_version() -> str:
    """The version the installed Macaulay2 reports (``M2 --version``), read independently of neurom2."""
    assert M2 is not None, "needs Macaulay2"
    out = subprocess.run([M2, "--version"], capture_output=True, text=True, timeout=60, check=True).stdout
    match = re.search(r"\d+(?:\.\d+)+", out)
    assert match, out
    return match.group(0)


@pytest.fixture(scope="session")
def session():
    """The process-wide Macaulay2 session (real Macaulay2)."""
    return default_session()


def float_rank(arch: Architecture, seed: int = 0) -> int:
    """Rank of the float Jacobian of θ ↦ c(θ) at a random real point (singular values, relative tol)."""
    rng = np.random.default_rng(seed)
    jac = coefficient_jacobian(arch, rng.uniform(-1, 1, arch.n_params), rng)
    singular = np.linalg.svd(jac, compute_uv=False)
    return int(np.sum(singular > 1e-8 * singular[0]))


def float_points_on_manifold(arch: Architecture, count: int, seed: int = 0) -> np.ndarray:
    """Coefficient vectors of random real networks, recovered from the network's values at sample
    inputs by solving against the Veronese matrix (no use of the symbolic parametrization)."""
    rng = np.random.default_rng(seed)
    space = AmbientSpace.of(arch)
    m = len(space.monomials)
    rows = []
    for _ in range(count):
        theta = rng.uniform(-1, 1, arch.n_params)
        inputs = rng.uniform(-1, 1, (3 * m, arch.input_dim))
        values = np.array(forward(arch, list(theta), list(inputs.T))).T
        coefficients = np.linalg.lstsq(space.veronese(inputs), values, rcond=None)[0]
        rows.append(coefficients.T.ravel())
    return np.array(rows)


def assert_vanish_numerically(equations, points: np.ndarray) -> None:
    """Every equation is ~0 at every point, relative to the size of its terms there."""
    for eq in equations:
        f = sympy.lambdify(eq.gens, eq.as_expr(), "numpy")
        scale = sympy.lambdify(eq.gens, sum(abs(t) for t in eq.as_expr().as_ordered_terms()), "numpy")
        for point in points:
            assert abs(f(*point)) <= 1e-9 * max(1.0, scale(*point)), f"{eq.as_expr()} does not vanish"


def proportional(poly: sympy.Poly, expr: sympy.Expr) -> bool:
    """Whether ``poly`` is a nonzero rational multiple of ``expr``."""
    other = sympy.Poly(expr, *poly.gens)
    return not other.is_zero and (poly * other.LC() - other * poly.LC()).is_zero


def damage_root_page(path, table: str) -> None:
    """Overwrite the header of the root page of ``table`` in the SQLite file ``path`` (other tables stay
    readable); the file is switched out of WAL mode first, so that its main file alone holds every page."""
    import sqlite3

    with sqlite3.connect(path) as db:
        db.execute("PRAGMA journal_mode = DELETE")
        root = db.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (table,)).fetchone()[0]
        page = db.execute("PRAGMA page_size").fetchone()[0]
    db.close()
    data = bytearray(path.read_bytes())
    data[(root - 1) * page: (root - 1) * page + 8] = b"\x0d" + b"\xff" * 7
    path.write_bytes(bytes(data))


@pytest.fixture(scope="session")
def executed_tutorial(tmp_path_factory):
    """``docs/tutorial.ipynb`` run top to bottom in a fresh kernel (nbclient, real Macaulay2), once per test
    session; returns the executed notebook (nbformat) and the seconds it took."""
    import time
    from pathlib import Path

    import nbformat
    from nbclient import NotebookClient

    notebook = nbformat.read(Path(__file__).parents[1] / "docs" / "tutorial.ipynb", as_version=4)
    started = time.perf_counter()
    workdir = tmp_path_factory.mktemp("tutorial")
    NotebookClient(notebook, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(workdir)}}).execute()
    return notebook, time.perf_counter() - started


@pytest.fixture(scope="session")
def cubic_landscape():
    """σ = x³ on (2,2,1), 8 random points whose least-squares cubic u = A⁺B is not a real network: M fills V,
    the infimum over M(R) is on the discriminant, not attained; three training runs (display and LaTeX tests)."""
    from neurom2.training.landscape import landscape

    return landscape(Architecture.create("2,2,1", "x^3"), random_data=8, seed=2, train=3)


@pytest.fixture(scope="session")
def linear_landscape():
    """Linear (2,1,2): 2×2 matrices of rank ≤ 1, 8 random points (Eckart–Young: two critical points), and the
    counts for generic data."""
    from neurom2.training.landscape import landscape

    return landscape(Architecture.create("2,1,2", "x"), random_data=8, seed=0, generic=True)
