"""Exception types of neurom2.

Every failure a user can cause or meet has its own type, so that callers (and the CLI, which maps them to
exit codes) can react to what happened rather than to a message string.
"""

from __future__ import annotations


class Neurom2Error(Exception):
    """Base class of all neurom2 errors."""


class InvalidArchitecture(Neurom2Error, ValueError):
    """A network description (widths, activation, biases) is not valid."""


class InvalidActivation(InvalidArchitecture):
    """An activation is not a non-constant univariate polynomial with rational coefficients."""


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


class Macaulay2Timeout(Neurom2Error, TimeoutError):
    """A Macaulay2 computation exceeded its time limit."""

    def __init__(self, seconds: float, code: str = "", restarted: bool = False) -> None:
        self.seconds = seconds
        self.code = code
        self.restarted = restarted
        how = "the session was killed and restarted" if restarted else "the session was interrupted and is usable"
        super().__init__(f"Macaulay2 computation exceeded its time limit of {seconds:g} s ({how})")


class Macaulay2NotFound(Neurom2Error, FileNotFoundError):
    """No Macaulay2 executable could be found."""


class Macaulay2Crashed(Neurom2Error):
    """The Macaulay2 process died while a request was running (it is respawned for the next call)."""


class Macaulay2OutputError(Neurom2Error):
    """Macaulay2's output did not match the expected serialisation."""


class VerificationError(Neurom2Error):
    """An independent check of a computed result failed: the result must not be trusted."""
