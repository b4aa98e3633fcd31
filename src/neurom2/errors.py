"""Every exception type of neurom2, in one place.

Two families, which the command line maps to exit statuses:

* :class:`InvalidInput` (exit status 2): the user asked for something neurom2 cannot do as asked, a bad
  activation, width, target, option, data file, job file or store, or a computation refused by a size
  guard.  The message says what is wrong and, where there is one, what to do instead.
* every other :class:`Neurom2Error` (exit status 1): a computation failed, Macaulay2 is missing or
  crashed, a time limit passed, or an independent check rejected a result.

Both derive from :class:`Neurom2Error`, so ``except Neurom2Error`` catches everything neurom2 raises on
purpose; anything else reaching a user is a bug.
"""

from __future__ import annotations


class Neurom2Error(Exception):
    """Base class of all neurom2 errors."""


# --- invalid input (exit status 2) ---------------------------------------------------------------------------


class InvalidInput(Neurom2Error, ValueError):
    """Something the user gave cannot be used; the message says what and why."""


class InvalidArchitecture(InvalidInput):
    """A network description (widths, activation, biases) is not valid."""


class InvalidActivation(InvalidArchitecture):
    """An activation is not a non-constant univariate polynomial with rational coefficients."""


class InvalidTarget(InvalidInput):
    """A target is not a list of polynomials in the network's inputs lying in its ambient space V."""


class InvalidOption(InvalidInput):
    """An option of a task has a value outside its domain (a strategy, a field, a degree bound, ...)."""

    def __init__(self, message: str, option: str | None = None) -> None:
        super().__init__(message)
        self.option = option


class InvalidDataset(InvalidInput):
    """A data set (a CSV file, or generated data) cannot be used; the message names file and line."""


class InvalidJob(InvalidInput):
    """A job description is not valid (the message names the field)."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class JobFileError(InvalidInput):
    """A job file cannot be used; ``problems`` lists ``(line or None, reason)``, all found at once."""

    def __init__(self, path: str, problems: list[tuple[int | None, str]]) -> None:
        self.path = path
        self.problems = sorted(problems, key=lambda p: (p[0] or 0))
        super().__init__("\n".join(self.lines()))

    def lines(self, limit: int | None = None) -> list[str]:
        """One ``FILE:LINE: reason`` per problem (``FILE: reason`` without a line)."""
        shown = self.problems if limit is None else self.problems[:limit]
        lines = [f"{self.path}:{line}: {reason}" if line else f"{self.path}: {reason}" for line, reason in shown]
        if len(shown) < len(self.problems):
            lines.append(f"{self.path}: ... and {len(self.problems) - len(shown)} more problems")
        return lines


class StoreError(InvalidInput):
    """A file cannot be used as a neurom2 results store (it was not modified), or another process is
    writing to it."""


class TooExpensive(InvalidInput):
    """A computation was refused up front: its estimated cost exceeds a limit.  The message gives the
    estimate and the option that runs it anyway."""


# --- failed computations (exit status 1) ---------------------------------------------------------------------


class TimeLimitExceeded(Neurom2Error, TimeoutError):
    """A computation exceeded its time limit (see :mod:`neurom2.deadline`)."""

    def __init__(self, seconds: float | None, detail: str = "") -> None:
        self.seconds = seconds
        limit = "its time limit" if seconds is None else f"its time limit of {seconds:g} s"
        super().__init__(f"the computation exceeded {limit}" + (f" ({detail})" if detail else ""))


class Macaulay2Error(Neurom2Error):
    """Macaulay2 reported an error; carries M2's message and the code that was sent."""

    def __init__(self, message: str, code: str = "") -> None:
        self.m2_message = message
        self.code = code
        text = f"Macaulay2 error: {message}"
        if code:
            shown = code if len(code) <= 400 else code[:400] + " ..."
            text += f"\n  while running: {shown}"
        super().__init__(text)


class Macaulay2Timeout(TimeLimitExceeded):
    """A Macaulay2 computation exceeded its time limit."""

    def __init__(self, seconds: float | None, code: str = "", restarted: bool = False) -> None:
        self.code = code
        self.restarted = restarted
        how = "the session was killed and restarted" if restarted else "the session was interrupted and is usable"
        super().__init__(seconds, f"Macaulay2; {how}")


class Macaulay2NotFound(Neurom2Error, FileNotFoundError):
    """No Macaulay2 executable (or no Neurom2.m2 package file) could be found."""


class Macaulay2Crashed(Neurom2Error):
    """The Macaulay2 process died while a request was running (it is respawned for the next call)."""


class Macaulay2OutputError(Neurom2Error):
    """Macaulay2's output did not match the expected serialisation."""


class VerificationError(Neurom2Error):
    """An independent check of a computed result failed: the result must not be trusted."""


class InterpolationFailed(Neurom2Error):
    """Interpolation could not produce a stable lift to QQ (too many unlucky primes)."""


class StoreWriteError(Neurom2Error):
    """A results store could not be written (the disk is full, an I/O error): the rows already stored are kept."""


class BackendError(Neurom2Error):
    """A batch backend cannot be used (Dask is not installed).  A scheduler address where no scheduler answers is
    an :class:`InvalidOption` (exit status 2)."""
