"""Progress of long computations: stages and estimates on stderr, for people at a terminal only.

A computation announces what it is doing with :func:`stage` (``stage("chart 3 of 12", "fiber ideal")``)
and, inside a loop, :func:`step`.  Nothing is printed unless a reporter is active: the command line
activates one (:func:`reporting`) when stderr is a terminal and neither ``--json`` nor ``--quiet`` was
given.  Lines are redrawn in place at most ten times a second and cleared at the end, so the final output
is unchanged; library callers, batch workers and tests never see any of it.
"""

from __future__ import annotations

import contextlib
import sys
import time
from collections.abc import Iterator
from contextvars import ContextVar
from typing import TextIO

REDRAW_SECONDS = 0.1


class _Reporter:
    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.started = time.monotonic()
        self.drawn = 0.0
        self.shown = False

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
    if not (enabled and getattr(stream, "isatty", lambda: False)()):
        yield
        return
    reporter = _Reporter(stream)
    token = _active.set(reporter)
    try:
        yield
    finally:
        reporter.clear()
        _active.reset(token)


def stage(*words: object) -> None:
    """Announce a stage of the computation (always drawn)."""
    reporter = _active.get()
    if reporter is not None:
        reporter.show(": ".join(str(w) for w in words), force=True)


def step(done: int, total: int, what: str, estimate: float | None = None) -> None:
    """Progress within a stage: ``what done/total`` and, when known, the estimated seconds left."""
    reporter = _active.get()
    if reporter is not None:
        left = f", about {estimate:.0f} s left" if estimate is not None and estimate >= 1 else ""
        reporter.show(f"{what} {done}/{total}{left}")
