"""Time budgets: one meaning of ``timeout`` everywhere in neurom2.

``timeout`` is the most wall-clock time, in seconds, that one computation (one command, one batch job)
may take from its start, Macaulay2 and Python work together; ``None`` means no limit.  A computation
holds one :class:`Deadline` and gives each Macaulay2 call what is left of it (:meth:`Deadline.remaining`),
so the limit is never exceeded by more than the time Macaulay2 needs to answer an interrupt.  Past it,
:class:`~neurom2.errors.TimeLimitExceeded` (or its subclass :class:`~neurom2.errors.Macaulay2Timeout`) is
raised: exit status 1 on the command line, status ``timeout`` in a batch.

Internal limits (for example a strategy that gives up after a few seconds and tries another) are
:meth:`Deadline.remaining` with a ``limit``; when such a call times out, :meth:`Deadline.expired` tells
whether it was the internal limit (go on) or the whole budget (stop).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

from neurom2.errors import Macaulay2Timeout, TimeLimitExceeded

MAX_SECONDS = 1e7
"""The longest time budget, about 116 days: the ``timeout`` option refuses more, and :meth:`Deadline.remaining`
never gives more (a wait of 1e10 s overflows the operating system's timers)."""


class Deadline:
    """The end of a time budget of ``seconds`` (None: unlimited), counted from construction."""

    def __init__(self, seconds: float | None) -> None:
        self.seconds = seconds
        self.started = time.monotonic()

    @classmethod
    def coerce(cls, value: Deadline | float | None) -> Deadline:
        """A Deadline as is; a number of seconds or None as a new Deadline starting now."""
        return value if isinstance(value, Deadline) else cls(value)

    def elapsed(self) -> float:
        """Seconds since the deadline started."""
        return time.monotonic() - self.started

    def expired(self) -> bool:
        """Whether the budget is spent (never, without a budget)."""
        return self.seconds is not None and self.elapsed() >= self.seconds

    def remaining(self, limit: float | None = None) -> float | None:
        """Seconds left, at most ``limit``; None when neither bounds it.  Raises TimeLimitExceeded when
        the budget is spent."""
        self.check()
        left = None if self.seconds is None else min(self.seconds - self.elapsed(), MAX_SECONDS)
        if limit is None:
            return left
        return limit if left is None else min(left, limit)

    def check(self) -> None:
        """Raise :class:`TimeLimitExceeded` if the budget is spent (between steps of Python work)."""
        if self.expired():
            raise TimeLimitExceeded(self.seconds)

    @contextmanager
    def enforced(self) -> Iterator[Deadline]:
        """Report a Macaulay2 timeout inside as the budget's: when the budget is spent, the error names the
        whole ``seconds``, not the remainder the last call was given."""
        try:
            yield self
        except Macaulay2Timeout as error:
            if not self.expired() or error.seconds == self.seconds:
                raise
            raise Macaulay2Timeout(self.seconds, error.code, error.restarted) from None
