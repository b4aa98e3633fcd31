"""Progress of long computations on stderr, for people at a terminal: one reporter for every command.

A computation announces what it is doing with :func:`stage` (``stage("chart 3 of 12", "fiber ideal")``)
and counts inside a stage with :func:`step` (``step(4, 12, "rank computations")``), which adds an estimate
of the time left: the caller's, or else the stage's pace so far (elapsed / done × left).  Nothing is
printed unless a reporter is active: the command line activates one (:func:`reporting`) when stderr is a
terminal and neither ``--json`` nor ``--quiet`` was given.  The line is redrawn in place at most ten times
a second and cleared at the end, so the final output is unchanged; library callers, batch workers and
tests never see any of it.

A batch draws its own :class:`Bar` (counts by status, rate, ETA); inside an active reporter (a filling
search's rounds) the bar's count goes to :func:`step` instead, under the current stage.
"""

from __future__ import annotations

import contextlib
import sys
import time
from collections.abc import Iterator, Sequence
from contextvars import ContextVar
from typing import TextIO

REDRAW_SECONDS = 0.1
BAR_WIDTH = 20
PLAIN_EVERY = 30.0
"""Off a terminal, a batch bar prints a plain line at most this often (and none for a shorter batch)."""


def duration(seconds: float) -> str:
    """``42s``, ``2m40s``, ``3h05m`` (``0.4s`` below ten seconds)."""
    if seconds < 10:
        return f"{seconds:.1f}s"
    seconds = round(seconds)
    if seconds < 3600:
        return f"{seconds // 60}m{seconds % 60:02d}s" if seconds >= 60 else f"{seconds}s"
    return f"{seconds // 3600}h{seconds % 3600 // 60:02d}m"


def _is_terminal(stream: TextIO) -> bool:
    return bool(getattr(stream, "isatty", lambda: False)())


class _Reporter:
    """The status line of one command: the current stage and, under it, the latest count."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.started = time.monotonic()
        self.drawn = 0.0
        self.shown = False
        self.stage = ""
        self.stage_started = self.started

    def show(self, text: str, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self.drawn < REDRAW_SECONDS:
            return
        self.drawn = now
        line = f"[{now - self.started:6.1f}s] {text}"
        self.stream.write("\r" + line[:160] + "\x1b[K")
        self.stream.flush()
        self.shown = True

    def clear(self) -> None:
        if self.shown:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            self.shown = False


_active: ContextVar[_Reporter | None] = ContextVar("neurom2_progress", default=None)


@contextlib.contextmanager
def reporting(enabled: bool, stream: TextIO | None = None) -> Iterator[None]:
    """Show progress on ``stream`` (default stderr) inside the block, if ``enabled`` and it is a terminal."""
    stream = stream or sys.stderr
    if not (enabled and _is_terminal(stream)):
        yield
        return
    reporter = _Reporter(stream)
    token = _active.set(reporter)
    try:
        yield
    finally:
        reporter.clear()
        _active.reset(token)


def active() -> bool:
    """Whether a reporter is showing progress (so that a batch bar reports through it)."""
    return _active.get() is not None


def stage(*words: object) -> None:
    """Announce a stage of the computation (always drawn); later :func:`step` counts are shown under it."""
    reporter = _active.get()
    if reporter is not None:
        reporter.stage = ": ".join(str(w) for w in words)
        reporter.stage_started = time.monotonic()
        reporter.show(reporter.stage, force=True)


def step(done: int, total: int, what: str, estimate: float | None = None) -> None:
    """``what done/total`` under the current stage, with ``estimate`` seconds left or, when not given and
    something is done, the stage's pace so far; the last count of a stage is always drawn."""
    reporter = _active.get()
    if reporter is None:
        return
    if estimate is None and 0 < done < total:
        estimate = (time.monotonic() - reporter.stage_started) / done * (total - done)
    left = f", ETA {duration(estimate)}" if estimate is not None and estimate >= 1 and done < total else ""
    head = f"{reporter.stage} · " if reporter.stage else ""
    reporter.show(f"{head}{what} {done}/{total}{left}", force=done >= total)


class Bar:
    """A batch's bar: counts of finished jobs by status, with rate and ETA; :meth:`update` after each job.

    On a terminal (``stream.isatty()``) the line is redrawn at most ten times a second::

        [#####---------------]  120/500 · 116 done · 3 failed · 1 timeout · 2.3 jobs/s · ETA 2m40s

    elsewhere (a log file, CI) the same text is printed as a line of its own at most every
    :data:`PLAIN_EVERY` seconds.  Not ``enabled`` (a batch run by another computation), the count goes to
    :func:`step` of the active reporter, if any.
    """

    def __init__(self, total: int, statuses: Sequence[str], stream: TextIO | None = None, enabled: bool = True,
                 what: str = "jobs") -> None:
        self.total = total
        self.stream = stream or sys.stderr
        self.enabled = enabled
        self.what = what
        self.tty = enabled and _is_terminal(self.stream)
        self.counts = dict.fromkeys(statuses, 0)
        self.started = time.monotonic()
        self.first: float | None = None  # when the first job finished: the rate excludes start-up
        self.drawn = 0.0
        self.printed = self.started
        self.shown = False

    @property
    def finished(self) -> int:
        """Jobs finished so far, whatever their status."""
        return sum(self.counts.values())

    def update(self, status: str) -> None:
        """Count one finished job with ``status`` and redraw (at a terminal) or print (elsewhere, now and then)."""
        self.counts[status] += 1
        now = time.monotonic()
        if self.first is None:
            self.first = now
        if not self.enabled:
            step(self.finished, self.total, self.what, self.estimate())
        elif self.tty and (now - self.drawn >= REDRAW_SECONDS or self.finished == self.total):
            self.stream.write("\r" + self.line() + "\x1b[K")
            self.stream.flush()
            self.drawn, self.shown = now, True
        elif not self.tty and now - self.printed >= PLAIN_EVERY:
            print(self.line(), file=self.stream, flush=True)
            self.printed = now

    def rate(self) -> float:
        """Jobs per second since the first finished (0 until two have)."""
        done = self.finished
        elapsed = time.monotonic() - (self.first or self.started)
        return (done - 1) / elapsed if done > 1 and elapsed > 0 else 0.0

    def estimate(self) -> float | None:
        """Seconds left at the current rate, or None (before the rate is known: :func:`step` then uses the
        stage's pace)."""
        rate = self.rate()
        return (self.total - self.finished) / rate if rate > 0 else None

    def line(self) -> str:
        """The bar, the count, the counts per status, the rate and the time left, as one line."""
        done = self.finished
        filled = BAR_WIDTH * done // self.total if self.total else BAR_WIDTH
        parts = [f"[{'#' * filled}{'-' * (BAR_WIDTH - filled)}] {done:>{len(str(self.total))}}/{self.total}"]
        parts += [f"{n} {s}" for s, n in self.counts.items()]
        parts.append(f"{self.rate():.1f} {self.what}/s")
        left = self.estimate()
        if 0 < done < self.total and left is not None:
            parts.append(f"ETA {duration(left)}")
        return " · ".join(parts)

    def close(self) -> None:
        """End the bar's line (so that what follows starts on a fresh line)."""
        if self.shown:
            self.stream.write("\n")
            self.stream.flush()
            self.shown = False
