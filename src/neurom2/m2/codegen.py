"""Macaulay2 literals from Python values: rationals, lists, strings; and where the package file lies.

Only numbers, booleans and fixed identifiers of neurom2's Macaulay2 package ever appear in generated
code: user text (activation strings, file names given on the command line) is parsed in Python first
and never pasted into M2, which can run shell commands.
"""

from __future__ import annotations

from collections.abc import Iterable
from fractions import Fraction
from pathlib import Path

PACKAGE_NAME = "Neurom2"
_M2_ESCAPES = {ord("\\"): "\\\\", ord('"'): '\\"', **{c: f"\\{c:03o}" for c in [*range(32), 127]}}


def package_file() -> Path:
    """Path of ``Neurom2.m2``: inside the installed package, else in the source tree's ``m2scripts``."""
    here = Path(__file__).resolve().parent.parent
    for candidate in (here / "m2scripts" / f"{PACKAGE_NAME}.m2", here.parents[1] / "m2scripts" / f"{PACKAGE_NAME}.m2"):
        if candidate.is_file():
            return candidate
    raise FileNotFoundError(f"{PACKAGE_NAME}.m2 is missing from this neurom2 installation (looked beside {here})")


def rational(value: int | Fraction) -> str:
    """An exact M2 literal for a rational number, e.g. ``-3/4``."""
    q = Fraction(value)
    return str(q.numerator) if q.denominator == 1 else f"{q.numerator}/{q.denominator}"


def integer_list(values: Iterable[int]) -> str:
    """Integers as a Macaulay2 list literal ``{1, 2, 3}``."""
    return "{" + ", ".join(str(int(v)) for v in values) + "}"


def rational_list(values: Iterable[int | Fraction]) -> str:
    """Rationals as a Macaulay2 list literal ``{1, 1/2}``."""
    return "{" + ", ".join(rational(v) for v in values) + "}"


def m2_string(text: str) -> str:
    """An M2 string literal denoting ``text``: backslash and quote escaped, control characters in octal."""
    return '"' + text.translate(_M2_ESCAPES) + '"'
