"""``neurom2 doctor``: can this installation compute, and if not, what to do about it.

Each check has a status and, when something is wrong, a fix a user can act on:

* ``python``: the interpreter, against neurom2's ``Requires-Python``;
* one check per Python dependency of the installed neurom2 (its metadata), imported, with its version
  against the declared minimum; optional ones (``matplotlib`` for ``picture``, ``dask`` and
  ``distributed`` for clusters) only warn when missing;
* ``macaulay2``: the executable (``NEUROM2_M2`` or ``M2`` on ``PATH``) and its version;
* ``m2 session``: neurom2's own pty session starts (the prompt protocol of :mod:`neurom2.m2.session`);
* ``m2 package``: ``Neurom2.m2`` is installed with neurom2 and loads in that session;
* ``computation``: the real pipeline on widths (2,1,2), σ = x, eliminated by Macaulay2: the 2×2 matrices
  of rank ≤ 1, one quadric (the determinant), verified independently;
* ``store``: the results store (``--db``, or ``results.sqlite`` in the working directory when it
  exists) passes the store's own opening check (:mod:`neurom2.batch.store`: SQLite header, application
  id, ``meta`` table, schema version), SQLite's full ``PRAGMA integrity_check``, which reads the whole
  file, and the check of every row and of the writer record against the schema (a row edited outside
  neurom2 fails it); the check also says whether a batch is writing the store now, or whether its last writer stopped
  without closing it.  It reads without the writer lock, alongside a running batch, and never modifies
  the store.

Statuses: ``OK``; ``FAIL`` (neurom2 cannot work as installed; exit status 1); ``WARN`` (an optional
part is missing); ``SKIP`` (not checked: it needs something that failed, or there is no store).
"""

from __future__ import annotations

import importlib
import importlib.metadata
import json
import platform
import re
import subprocess
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from neurom2 import __version__
from neurom2.errors import Neurom2Error
from neurom2.m2.session import INSTALL_HINT, Macaulay2Session, find_m2

OK, FAIL, WARN, SKIP = "OK", "FAIL", "WARN", "SKIP"
DEFAULT_STORE = Path("results.sqlite")
M2_SECONDS = 60.0  # for `M2 --version` and for the computation

# Modules neurom2 uses only for some commands, with the extra that installs them and what they are for.
OPTIONAL = {
    "matplotlib": ("plot", "neurom2 picture"),
    "dask": ("dask", "running batches on a Dask cluster"),
    "distributed": ("dask", "running batches on a Dask cluster"),
}


@dataclass(frozen=True)
class Check:
    """One finding: ``status`` is OK, FAIL, WARN or SKIP; ``fix`` says what to do when not OK."""

    name: str
    status: str
    detail: str
    fix: str = ""

    def to_json(self) -> dict:
        """The check as JSON."""
        return asdict(self)


def check_python() -> Check:
    """The Python version and interpreter."""
    version = platform.python_version()
    try:
        needed = importlib.metadata.metadata("neurom2")["Requires-Python"] or ""
    except importlib.metadata.PackageNotFoundError:
        needed = ""  # reported by the dependency check
    if not _meets(version, needed):
        return Check("python", FAIL, f"{version} at {sys.executable}", f"neurom2 needs Python {needed}")
    return Check("python", OK, f"{version} at {sys.executable}")


def _requirements() -> tuple[list[tuple[str, str]], dict[str, list[str]]]:
    """The installed neurom2's required distributions as (name, specifier), and each extra's requirements."""
    required: list[tuple[str, str]] = []
    extras: dict[str, list[str]] = {}
    for line in importlib.metadata.requires("neurom2") or ():
        requirement, _, marker = (part.strip() for part in line.partition(";"))
        extra = re.search(r"""extra\s*==\s*['"]([^'"]+)['"]""", marker)
        if extra:
            extras.setdefault(extra.group(1), []).append(requirement)
        elif not marker:  # a platform condition would need evaluating; neurom2 declares none
            parsed = re.fullmatch(r"([A-Za-z0-9._-]+)\s*(?:\[[^\]]*\])?\s*(.*)", requirement)
            if parsed is None:
                raise Neurom2Error(f"neurom2's metadata lists a requirement that is not a distribution name: {requirement!r}")
            name, specifier = parsed.groups()
            required.append((name, specifier))
    return required, extras


def _release(version: str) -> tuple[int, ...]:
    """The leading numeric release of a version string: ``"1.14.0rc1"`` → (1, 14, 0)."""
    release = re.match(r"\d+(?:\.\d+)*", version)
    if release is None:
        raise Neurom2Error(f"version {version!r} does not start with a release number")
    return tuple(int(part) for part in release.group().split("."))


def _meets(version: str, specifier: str) -> bool:
    """Whether ``version`` satisfies the ``>=`` clauses of ``specifier`` (the only kind neurom2 declares)."""
    return all(_release(version) >= _release(minimum) for minimum in re.findall(r">=\s*([0-9][0-9.]*)", specifier))


def _module_of(distribution: str) -> str:
    """The top-level module of an installed distribution (``python-flint`` → ``flint``)."""
    def normal(name: str) -> str:
        return re.sub(r"[-_.]+", "-", name).lower()

    modules = [m for m, dists in importlib.metadata.packages_distributions().items()
               if normal(distribution) in map(normal, dists) and not m.startswith("_")]
    same = [m for m in modules if normal(m) == normal(distribution)]  # sympy ships isympy too
    return (same or modules or [distribution.replace("-", "_")])[0]


def _import_version(module: str, distribution: str) -> str:
    """Import ``module`` (it may be installed but broken) and return the distribution's version."""
    importlib.import_module(module)
    return importlib.metadata.version(distribution)


def check_dependencies() -> list[Check]:
    """One check per required and optional Python dependency: installed, and at a version that satisfies neurom2."""
    try:
        required, extras = _requirements()
    except importlib.metadata.PackageNotFoundError:
        return [Check("neurom2", FAIL, f"not installed: imported from {Path(__file__).parent} without metadata",
                      "install it from a clone: bash scripts/setup.sh, or pip install -e .")]
    except Neurom2Error as error:
        return [Check("neurom2", FAIL, str(error), "reinstall it from a clone: bash scripts/setup.sh, or pip install -e .")]
    checks = []
    pip = f"{sys.executable} -m pip install"
    for distribution, specifier in required:
        module = _module_of(distribution)
        try:
            version = _import_version(module, distribution)
        except (ImportError, importlib.metadata.PackageNotFoundError) as error:
            checks.append(Check(module, FAIL, f"required ({distribution}{specifier}) but {error}",
                                f"{pip} '{distribution}{specifier}'"))
            continue
        try:
            new_enough = _meets(version, specifier)
        except Neurom2Error as error:
            checks.append(Check(module, FAIL, f"{error}: cannot compare it with the required {specifier}",
                                f"{pip} --force-reinstall '{distribution}{specifier}'"))
            continue
        if not new_enough:
            checks.append(Check(module, FAIL, f"{version}, older than required ({specifier})",
                                f"{pip} --upgrade '{distribution}{specifier}'"))
        else:
            checks.append(Check(module, OK, f"{version}" + (f" (requires {specifier})" if specifier else "")))
    for module, (extra, purpose) in OPTIONAL.items():
        try:
            checks.append(Check(module, OK, f"{_import_version(module, module)} (optional, for {purpose})"))
        except (ImportError, importlib.metadata.PackageNotFoundError):
            wanted = " ".join(f"'{r}'" for r in extras.get(extra, [module]))
            checks.append(Check(module, WARN, f"not installed; needed only for {purpose}", f"{pip} {wanted}"))
    return checks


def check_macaulay2() -> tuple[Check, str | None]:
    """The executable and its version; also returns the executable's path when it runs."""
    try:
        executable = find_m2()
    except Neurom2Error as error:
        return Check("macaulay2", FAIL, str(error).split(";")[0], INSTALL_HINT), None
    try:
        ran = subprocess.run([executable, "--version"], capture_output=True, text=True, timeout=M2_SECONDS)
    except (OSError, subprocess.TimeoutExpired) as error:
        return Check("macaulay2", FAIL, f"{executable} does not run: {error}", INSTALL_HINT), None
    version = ran.stdout.strip()
    if ran.returncode != 0 or not re.fullmatch(r"\d+\.\d+(\.\d+)*", version):
        said = (ran.stdout + ran.stderr).strip()[-200:]
        return Check("macaulay2", FAIL, f"{executable} --version exited {ran.returncode}: {said!r}", INSTALL_HINT), None
    return Check("macaulay2", OK, f"{version} at {executable}"), executable


def check_session() -> tuple[Check, Macaulay2Session | None]:
    """Start a Macaulay2 session: a check that it answers, and the session (None when it does not start)."""
    try:
        session = Macaulay2Session()
    except Neurom2Error as error:
        return Check("m2 session", FAIL, str(error), INSTALL_HINT), None
    return Check("m2 session", OK, f"Macaulay2 {session.version} answers on a pty"), session


def check_package(session: Macaulay2Session) -> Check:
    """Load the Neurom2 package in the session and run a small computation with it."""
    from neurom2.m2 import package
    from neurom2.m2.codegen import package_file

    reinstall = "reinstall neurom2 from a clone: pip install --force-reinstall . (or pip install -e .)"
    try:
        path = package_file()
    except FileNotFoundError as error:
        return Check("m2 package", FAIL, str(error), reinstall + "; the wheel must contain neurom2/m2scripts/Neurom2.m2")
    try:
        version = package.version(session)
    except Neurom2Error as error:
        return Check("m2 package", FAIL, f"{path} does not load: {error}",
                     f"neurom2 is tested with Macaulay2 1.21 (Debian bookworm); {reinstall}")
    return Check("m2 package", OK, f"{path.stem} {version} from {path}")


def check_computation(session: Macaulay2Session) -> Check:
    """Widths (2,1,2), σ = x: rank ≤ 1 matrices [[c1_1_0, c1_0_1], [c2_1_0, c2_0_1]], one quadric."""
    from neurom2.model.architecture import Architecture
    from neurom2.variety.implicitization import implicitize

    try:
        variety = implicitize(Architecture.create("2,1,2", "x"), strategy="eliminate", session=session, timeout=M2_SECONDS)
    except Neurom2Error as error:
        return Check("computation", FAIL, f"implicitize (2,1,2), σ = x: {error}",
                     "run `neurom2 implicit --widths 2,1,2 --activation x` to see the whole error")
    found = (variety.dim, variety.equation_degrees, variety.verification is not None)
    if found != (3, (2,), True):
        return Check("computation", FAIL, f"(2,1,2), σ = x: expected dim 3 and one verified quadric, got "
                     f"dim {found[0]}, equation degrees {found[1]}, verified {found[2]}",
                     "a wrong result: please report it with the output of `neurom2 doctor --json`")
    equation = variety.equations[0].as_expr()
    return Check("computation", OK, f"(2,1,2), σ = x: dim 3, one quadric {equation} = 0, verified "
                 f"({sum(variety.timings.values()):.2f} s)")


def check_store(path: Path | None) -> Check:
    """The store's opening check, then ``PRAGMA integrity_check`` on a read-only connection; and its writer."""
    from neurom2.batch.lock import is_locked
    from neurom2.batch.store import ResultStore, StoreError, check_store_file

    if path is None:
        if not DEFAULT_STORE.is_file():
            return Check("store", SKIP, f"no store given (--db FILE) and no {DEFAULT_STORE} here")
        path = DEFAULT_STORE
    move = f"give --db the file that `neurom2 batch --db` wrote, or move {path} away and run the batch again"
    try:
        if check_store_file(path, create=False):
            return Check("store", WARN, f"{path}: empty, not a store yet (`neurom2 batch --db {path}` will make it one)")
        with ResultStore(path, write=False) as store:
            counts, meta, writer = store.counts(), store.meta(), store.writer()
            started = time.monotonic()
            problems = store.integrity()
            seconds = time.monotonic() - started
            damaged = store.damaged_rows() if not problems else []
    except StoreError as error:
        return Check("store", FAIL, str(error), move)
    if damaged:
        return Check("store", FAIL, f"{path}: {len(damaged)} damaged row{'s' if len(damaged) != 1 else ''} (changed "
                     f"outside neurom2): {'; '.join(damaged[:3])}" + (" ..." if len(damaged) > 3 else ""),
                     "neurom2 writes only rows that fit: restore the file from a copy, or run the batch into a new file")
    if problems:
        return Check("store", FAIL, f"{path}: damaged; SQLite's integrity_check reports: {'; '.join(problems[:5])}",
                     f"`neurom2 results export --db {path}` saves what is readable; then run the batch into a new file")
    rows = ", ".join(f"{n} {status}" for status, n in counts.items())
    if is_locked(path):
        writing = f"; being written now by {writer.describe() if writer else 'a batch'}"
    elif writer is not None and writer.closed is None:
        writing = (f"; its last writer ({writer.describe()}) stopped without closing it, so the next batch runs "
                   "SQLite's quick_check before writing")
    else:
        writing = ""
    return Check("store", OK, f"{path}: {rows} (store schema {meta.get('schema_version')}, created "
                              f"{meta.get('created', '?')}); integrity_check ok ({seconds:.2f} s){writing}")


def run_checks(store: Path | None = None) -> list[Check]:
    """Every check, in order; the Macaulay2 ones stop at the first failure (the rest are SKIP)."""
    checks = [check_python(), *check_dependencies()]
    m2, executable = check_macaulay2()
    checks.append(m2)
    later = ["m2 session", "m2 package", "computation"]
    session = None
    if executable is not None:
        session_check, session = check_session()
        checks.append(session_check)
        later.remove("m2 session")
    if session is None:
        checks += [Check(name, SKIP, "needs a working Macaulay2") for name in later]
    else:
        with session:
            package = check_package(session)
            checks.append(package)
            checks.append(check_computation(session) if package.status == OK
                          else Check("computation", SKIP, "needs the Neurom2 package"))
    checks.append(check_store(store))
    return checks


def format_checks(checks: list[Check]) -> str:
    """The checks as the text ``neurom2 doctor`` prints, with the fix of each failed check."""
    width = max(len(c.name) for c in checks)
    lines = [f"neurom2 doctor (neurom2 {__version__})"]
    for c in checks:
        lines.append(f"  {c.status:<4}  {c.name:<{width}}  {c.detail}")
        if c.fix and c.status != OK:
            lines.append(f"        {'':<{width}}  fix: {c.fix}")
    failed = sum(c.status == FAIL for c in checks)
    lines.append(f"{failed} problem(s) found" if failed else "all checks passed")
    return "\n".join(lines)


def run_doctor(store: Path | None = None, as_json: bool = False) -> int:
    """Run every check and print the findings; exit status 0 when none FAILed, else 1."""
    checks = run_checks(store)
    passed = all(c.status != FAIL for c in checks)
    if as_json:
        print(json.dumps({"ok": passed, "neurom2": __version__, "checks": [c.to_json() for c in checks]},
                         indent=2, ensure_ascii=False))
    else:
        print(format_checks(checks))
    return 0 if passed else 1
