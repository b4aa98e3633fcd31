"""Compare the upper bounds of this checkout with those of another revision: values and derivation texts.

    python scripts/compare_bounds.py --against REV [--every 1]

A change that only makes :mod:`neurom2.variety.bounds` faster must leave every bound and every derivation
(``Bound.explain()`` and ``Bound.to_json()``) unchanged.  This loads ``src/neurom2/variety/bounds.py`` of the
git revision REV (``git show``) as a separate module, next to the current one, and compares ``upper_bound`` on

* the published (2,…,2) sweep (``benchmarks/data/published-sweep-2-2.csv.gz``, every ``--every``-th row),
  σ = x², no biases;
* a grid of small networks with and without biases, σ ∈ {x, x², x³, x² + x, x⁴} (the other engines), and deep
  narrow ones for σ = x³.

It prints the seconds each revision took and exits 1 at the first difference, naming the architecture.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import importlib.util
import itertools
import json
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType

from neurom2.model.architecture import Architecture
from neurom2.variety import bounds

ROOT = Path(__file__).resolve().parents[1]
PUBLISHED = ROOT / "benchmarks" / "data" / "published-sweep-2-2.csv.gz"
MODULE = "src/neurom2/variety/bounds.py"


def bounds_at(revision: str, directory: Path) -> ModuleType:
    """The bounds module of ``revision``, imported under another name (its own memo)."""
    source = subprocess.run(["git", "show", f"{revision}:{MODULE}"], cwd=ROOT, check=True, capture_output=True,
                            text=True).stdout
    path = directory / "bounds_at_revision.py"
    path.write_text(source)
    spec = importlib.util.spec_from_file_location("bounds_at_revision", path)
    assert spec is not None and spec.loader is not None
    module = sys.modules[spec.name] = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def published(every: int) -> Iterator[Architecture]:
    """Every ``every``-th architecture of the published sweep, σ = x² without biases."""
    with gzip.open(PUBLISHED, "rt") as rows:
        for row in itertools.islice(csv.DictReader(rows), 0, None, every):
            yield Architecture(tuple(json.loads(row["architecture"])), "x^2", False)


def grid() -> Iterator[Architecture]:
    """Small networks of every kind of bound: each activation, with and without biases, depth 1 to 3."""
    for activation, bias in itertools.product(("x", "x^2", "x^3", "x^2 + x", "x^4"), (False, True)):
        for depth in (1, 2, 3):
            for widths in itertools.product(range(1, 6), repeat=depth + 1):
                if widths[0] <= 4 and widths[-1] <= 3:
                    yield Architecture(widths, activation, bias)
    for widths in itertools.product(range(1, 5), repeat=5):
        yield Architecture((2, *widths), "x^3", False)


def timed(upper_bound: Callable[[Architecture], bounds.Bound], archs: list[Architecture]) -> tuple[list, float]:
    """The bounds as (explain(), to_json()) and the seconds they took."""
    started = time.perf_counter()
    found = [upper_bound(arch) for arch in archs]
    seconds = time.perf_counter() - started
    return [(bound.explain(), bound.to_json()) for bound in found], seconds


def main(argv: list[str] | None = None) -> int:
    """Compare, print the timings, and return 1 on a difference."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--against", required=True, help="git revision whose bounds.py is the reference")
    parser.add_argument("--every", type=int, default=1, help="every n-th row of the published sweep")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as directory:
        reference = bounds_at(args.against, Path(directory))
    for name, archs in (("published (2,…,2)", list(published(args.every))), ("grid", list(grid()))):
        new, new_seconds = timed(bounds.upper_bound, archs)
        old, old_seconds = timed(reference.upper_bound, archs)
        for arch, a, b in zip(archs, new, old):
            if a != b:
                print(f"{name}: {arch} differs:\n{a[0]}\n--- {args.against}:\n{b[0]}")
                return 1
        print(f"{name}: {len(archs)} bounds identical; {new_seconds:.2f} s here, {old_seconds:.2f} s at {args.against}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
