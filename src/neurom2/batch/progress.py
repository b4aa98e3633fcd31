"""Progress of a batch: a one-line bar on a terminal, occasional plain lines elsewhere.

On a terminal (``stream.isatty()``) the line is redrawn at most ten times a second::

    [#####---------------]  120/500 · 116 done · 3 failed · 1 timeout · 2.3 jobs/s · ETA 2m40s

Elsewhere (a log file, CI) the same text is printed as a line of its own at most every
:data:`PLAIN_EVERY` seconds, and nothing when the batch is shorter than that.
"""

from __future__ import annotations

import sys
import time
from typing import TextIO

from neurom2.batch.execute import STATUSES

BAR_WIDTH = 20
REDRAW_SECONDS = 0.1
PLAIN_EVERY = 30.0


def duration(seconds: float) -> str:
    """``42s``, ``2m40s``, ``3h05m`` (``0.4s`` below ten seconds)."""
    if seconds < 10:
        return f"{seconds:.1f}s"
    seconds = round(seconds)
    if seconds < 3600:
        return f"{seconds // 60}m{seconds % 60:02d}s" if seconds >= 60 else f"{seconds}s"
    return f"{seconds // 3600}h{seconds % 3600 // 60:02d}m"


class Progress:
    """Counts of finished jobs by status, with rate and ETA; :meth:`update` after each job."""

    def __init__(self, total: int, stream: TextIO | None = None, enabled: bool = True) -> None:
        self.total = total
        self.stream = stream or sys.stderr
        self.enabled = enabled
        self.tty = enabled and bool(getattr(self.stream, "isatty", lambda: False)())
        self.counts = dict.fromkeys(STATUSES, 0)
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
        """Count one finished job of this status; redraw the line (on a terminal) or print it (otherwise) when due."""
        self.counts[status] += 1
        now = time.monotonic()
        if self.first is None:
            self.first = now
        if self.tty and (now - self.drawn >= REDRAW_SECONDS or self.finished == self.total):
            self.stream.write("\r" + self.line() + "\x1b[K")
            self.stream.flush()
            self.drawn, self.shown = now, True
        elif self.enabled and not self.tty and now - self.printed >= PLAIN_EVERY:
            print(self.line(), file=self.stream, flush=True)
            self.printed = now

    def line(self) -> str:
        """The progress line: a bar, the counts by status, the rate and the estimated time left."""
        done = self.finished
        filled = BAR_WIDTH * done // self.total if self.total else BAR_WIDTH
        elapsed = time.monotonic() - (self.first or self.started)
        rate = (done - 1) / elapsed if done > 1 and elapsed > 0 else 0.0
        parts = [f"[{'#' * filled}{'-' * (BAR_WIDTH - filled)}] {done:>{len(str(self.total))}}/{self.total}"]
        parts += [f"{self.counts[s]} {s}" for s in STATUSES]
        parts.append(f"{rate:.1f} jobs/s")
        if 0 < done < self.total and rate > 0:
            parts.append(f"ETA {duration((self.total - done) / rate)}")
        return " · ".join(parts)

    def close(self) -> None:
        """End the bar's line (so that what follows starts on a fresh line)."""
        if self.shown:
            self.stream.write("\n")
            self.stream.flush()
            self.shown = False
