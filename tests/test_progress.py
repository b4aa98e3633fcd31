"""Progress on stderr: the stages of long computations for a person at a terminal, nothing otherwise.

stderr is replaced by a stream that says it is a terminal; the commands run in-process.  Their standard
output must be the same with and without progress, and ``--json``/``--quiet`` (or a stderr that is not a
terminal) must leave stderr empty.
"""

from __future__ import annotations

import io
import sys
from contextlib import redirect_stdout

import pytest

from neurom2.cli import main

pytestmark = pytest.mark.macaulay2


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def run(monkeypatch, args: list[str], terminal: bool = True) -> tuple[str, str]:
    err = Terminal() if terminal else io.StringIO()
    out = io.StringIO()
    monkeypatch.setattr(sys, "stderr", err)
    with redirect_stdout(out):
        assert main(args) == 0
    return out.getvalue(), err.getvalue()


@pytest.mark.parametrize("args, stages", [
    (["implicit", "--widths", "3,2,1", "--activation", "x^2"],
     ["Jacobian rank", "interpolating the equations of degree 3", "independent verification"]),
    (["implicit", "--widths", "2,1,2", "--activation", "x", "--strategy", "eliminate"],
     ["elimination in Macaulay2 (Gröbner basis of the graph ideal)"]),
    (["member", "--widths", "2,2,1", "--activation", "x^3", "--target", "x^3 - x*y^2"], ["chart 1 of 3"]),
    (["reproduce", "--only", "linear-2-1-2", "--only", "x2-fills-reals"], ["claim 1 of 2", "claim 2 of 2"]),
])
def test_stages_are_shown_at_a_terminal_and_nothing_else_changes(monkeypatch, args, stages):
    shown, progress = run(monkeypatch, args)
    for stage in stages:
        assert stage in progress
    assert progress.endswith("\r\x1b[K")  # the line is cleared at the end
    quiet, nothing = run(monkeypatch, [*args, "--quiet"])
    assert nothing == ""
    not_a_terminal, nothing = run(monkeypatch, args, terminal=False)
    assert nothing == ""
    assert _stable(shown) == _stable(quiet) == _stable(not_a_terminal)


def test_json_is_silent(monkeypatch):
    out, err = run(monkeypatch, ["implicit", "--widths", "3,2,1", "--activation", "x^2", "--json"])
    assert err == "" and out.startswith("{")


def _stable(text: str) -> list[str]:
    """The output without its timing lines."""
    return [line for line in text.splitlines() if not line.strip().endswith(" s") and "s)" not in line]
