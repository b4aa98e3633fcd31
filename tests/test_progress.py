"""Progress on stderr: the stages of long computations for a person at a terminal, nothing otherwise.

stderr is replaced by a stream that says it is a terminal; the commands run in-process.  Their standard
output must be the same with and without progress, and ``--json``/``--quiet`` (or a stderr that is not a
terminal) must leave stderr empty.
"""

from __future__ import annotations

import io
import sys
import time
from contextlib import redirect_stdout

import pytest

from neurom2 import progress
from neurom2.cli import main


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


@pytest.mark.macaulay2
@pytest.mark.parametrize("args, stages", [
    (["implicit", "--widths", "3,2,1", "--activation", "x^2"],
     ["Jacobian rank", "interpolating the equations of degree 3", "independent verification"]),
    (["implicit", "--widths", "2,1,2", "--activation", "x", "--strategy", "eliminate"],
     ["elimination in Macaulay2 (Gröbner basis of the graph ideal)"]),
    (["member", "--widths", "2,2,1", "--activation", "x^3", "--target", "x^3 - x*y^2"], ["chart 1 of 3"]),
    (["filling", "--input", "2", "--output", "1", "--depth", "3", "--workers", "1", "--db", "{tmp}"],
     ["round 1: bounds below corner 1 of", "round 1: 1 rank computations · jobs 1/1"]),
    (["reproduce", "--only", "linear-2-1-2", "--only", "x2-fills-reals"], ["claim 1 of 2", "claim 2 of 2"]),
])
def test_stages_are_shown_at_a_terminal_and_nothing_else_changes(monkeypatch, tmp_path, args, stages):
    args = [a.format(tmp=tmp_path / "results.sqlite") for a in args]
    shown, progress = run(monkeypatch, args)
    for stage in stages:
        assert stage in progress
    assert progress.endswith("\r\x1b[K")  # the line is cleared at the end
    quiet, nothing = run(monkeypatch, [*args, "--quiet"])
    assert nothing == ""
    not_a_terminal, nothing = run(monkeypatch, args, terminal=False)
    assert nothing == ""
    assert _stable(shown) == _stable(quiet) == _stable(not_a_terminal)


@pytest.mark.macaulay2
def test_json_is_silent(monkeypatch):
    out, err = run(monkeypatch, ["implicit", "--widths", "3,2,1", "--activation", "x^2", "--json"])
    assert err == "" and out.startswith("{")


def _stable(text: str) -> list[str]:
    """The output without its timing lines."""
    return [line for line in text.splitlines() if not line.strip().endswith(" s") and "s)" not in line]


# --- the reporter itself, on a fake terminal ---------------------------------------------------------------


def test_a_stage_then_counts_with_an_estimate_from_the_pace(monkeypatch):
    clock = [100.0]
    monkeypatch.setattr(time, "monotonic", lambda: clock[0])
    screen = Terminal()
    with progress.reporting(True, screen):
        progress.stage("round 2", "12 rank computations")
        clock[0] += 4.0
        progress.step(2, 10, "jobs")  # 2 s a job so far: 8 left, 16 s
        clock[0] += 1.0
        progress.step(10, 10, "jobs")  # the last count is drawn, without an estimate
    lines = screen.getvalue().split("\r")
    assert "round 2: 12 rank computations" in lines[1]
    assert "round 2: 12 rank computations · jobs 2/10, ETA 16s" in lines[2]
    assert lines[3].endswith("jobs 10/10\x1b[K") and "ETA" not in lines[3]
    assert lines[-1] == "\x1b[K"  # cleared at the end


def test_a_given_estimate_is_shown_and_redraws_are_throttled(monkeypatch):
    clock = [100.0]
    monkeypatch.setattr(time, "monotonic", lambda: clock[0])
    screen = Terminal()
    with progress.reporting(True, screen):
        progress.step(1, 3, "primes", estimate=125.0)
        progress.step(2, 3, "primes", estimate=60.0)  # the same instant: not redrawn
    assert "primes 1/3, ETA 2m05s" in screen.getvalue() and "primes 2/3" not in screen.getvalue()


@pytest.mark.parametrize("enabled, terminal", [(False, True), (True, False)])
def test_nothing_is_written_when_disabled_or_off_a_terminal(enabled, terminal):
    screen = Terminal() if terminal else io.StringIO()
    with progress.reporting(enabled, screen):
        progress.stage("implicit", "Jacobian rank")
        progress.step(1, 2, "primes")
        assert not progress.active()
    assert screen.getvalue() == ""


def test_a_batch_bar_inside_a_reporter_counts_under_its_stage(monkeypatch):
    clock = [100.0]
    monkeypatch.setattr(time, "monotonic", lambda: clock[0])
    screen, own = Terminal(), Terminal()
    with progress.reporting(True, screen):
        progress.stage("round 1", "3 rank computations")
        bar = progress.Bar(3, ("done", "failed"), own, enabled=False)
        for status in ("done", "failed", "done"):
            clock[0] += 2.0
            bar.update(status)
        bar.close()
    assert own.getvalue() == ""  # the bar itself stays silent
    assert "round 1: 3 rank computations · jobs 1/3, ETA 4.0s" in screen.getvalue()
    assert "jobs 3/3" in screen.getvalue()


def test_a_batch_bar_at_a_terminal(monkeypatch):
    clock = [0.0]
    monkeypatch.setattr(time, "monotonic", lambda: clock[0])
    screen = Terminal()
    bar = progress.Bar(4, ("done", "failed"), screen)
    for status in ("done", "done", "failed"):
        clock[0] += 1.0
        bar.update(status)
    assert "[###############-----] 3/4 · 2 done · 1 failed · 1.0 jobs/s · ETA 1.0s" in screen.getvalue()
    bar.close()
    assert screen.getvalue().endswith("\n")
