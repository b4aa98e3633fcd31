"""One persistent Macaulay2 process, driven through pexpect.

Protocol (measured on Macaulay2 1.21, Debian bookworm):

* M2 runs as ``M2 --no-readline --silent -q --no-debug --no-backtrace`` on a pty in non-canonical mode:
  a line may be longer than the 4095 bytes a canonical pty keeps, ISIG stays on so Ctrl-C interrupts,
  and ONLCR is off so output arrives with M2's own ``\\n``.  Its stack limit is raised to 256 MiB, so
  deeply nested input (a sum of 10^5 terms) does not overflow it.
* Start-up installs a random input prompt and continuation prompt (``ZZ#{Standard,InputPrompt}`` in
  Core's private dictionary) and ``printWidth = 0``.
* A request is one line: print a BEGIN marker, set ``alarm``, ``value`` the code as an M2 string
  literal, cancel the alarm, print an END marker.  The code is wrapped as ``(code\\n)``, so it is parsed
  as a whole and stops at its first error; being a string literal, it fits on the one line whatever
  newlines or comments it holds.  The rest of the line runs even after an error, so the alarm is always
  cancelled and the END marker always printed.
* The markers are unique to the request; the reply is complete when the END marker is followed by the
  prompt, and the request's output is the text between the markers.  Anything older (a stray prompt
  answering a late Ctrl-C) is skipped.
* An M2 error message (``file:line:col:(n):[k]: error: text``) in the output raises Macaulay2Error,
  except an interruption (:data:`INTERRUPTIONS`), which is how the request's alarm surfaces: ``alarm
  occurred`` in the interpreter, ``computation was interrupted`` in the engine (a Gröbner basis, e.g.
  mathicgb's F4).  It raises Macaulay2Timeout when the alarm could have fired (as much time as it was set
  to has passed); else something other than neurom2 interrupted M2 (a signal sent from outside), and it
  raises Macaulay2Error.  If the Python deadline passes as well, Ctrl-C is sent and the request is a
  timeout, whatever M2 answers; if the prompt does not come back, the process is killed.  A killed or
  dead process is started again (packages of ``load_package`` included) at the next call.
"""

from __future__ import annotations

import contextlib
import ctypes
import itertools
import math
import os
import re
import resource
import secrets
import shutil
import signal
import sys
import termios
import threading
import time
from pathlib import Path

import pexpect

from neurom2.errors import (
    Macaulay2Crashed,
    Macaulay2Error,
    Macaulay2NotFound,
    Macaulay2OutputError,
    Macaulay2Timeout,
)
from neurom2.m2.codegen import m2_string

M2_FLAGS = ["--no-readline", "--silent", "-q", "--no-debug", "--no-backtrace"]
INSTALL_HINT = (
    "install the Debian/Ubuntu package: sudo apt-get install --no-install-recommends macaulay2, "
    "or set NEUROM2_M2=/path/to/M2, or use the neurom2 Docker image"
)
START_TIMEOUT = 60.0  # seconds for M2 to start and show the first prompt
GRACE = 1.0  # seconds the Python deadline waits beyond M2's own alarm
INTERRUPT_WAIT = 2.0  # seconds to wait for the prompt after Ctrl-C before killing the process
STACK_BYTES = 256 << 20  # stack limit for M2 (threads get as much address space, reserved lazily)

# Not anchored at a line start: errors go to stderr and may follow unterminated stdout output.
_ERROR = re.compile(r":\d+:\d+:\(\d+\):(?:\[\d+\]:)? error: ")
_LOCATED_LINE = re.compile(r"\S+:\d+:\d+:\(\d+\):")  # a backtrace line; it ends the error message
INTERRUPTIONS = ("alarm occurred", "computation was interrupted", "interrupted")
"""The messages of an interrupted computation in Macaulay2 1.21: the alarm in the interpreter; an alarm or Ctrl-C
in the engine; Ctrl-C in the interpreter."""


def find_m2() -> str:
    """The Macaulay2 executable: ``NEUROM2_M2`` (a path or command name) or ``M2`` on PATH."""
    name = os.environ.get("NEUROM2_M2") or "M2"
    path = shutil.which(name)
    if path is None:
        raise Macaulay2NotFound(f"Macaulay2 executable {name!r} not found; {INSTALL_HINT}")
    return path


def die_with_parent() -> None:
    """Ask Linux to SIGKILL this process when the thread that started it exits (a no-op elsewhere)."""
    if not sys.platform.startswith("linux"):
        return
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return


def _prepare_child() -> None:
    """Run in the child before exec.

    The pty: non-canonical, so no 4095-byte line limit; ISIG kept, so Ctrl-C interrupts; ONLCR off, so
    output keeps M2's ``\\n``.  The stack: M2's parser recurses once per operator, and with the usual
    8 MiB a sum of about 45,000 terms kills it with SIGSEGV.  The lifetime: Macaulay2 is killed when the
    Python thread that started it exits in any way (SIGKILL included: a batch worker killed at its wall
    timeout, a Dask worker restarted), since a Gröbner basis in progress does not notice that its pty is
    gone; so a session must be used from threads that outlive it (the main thread, or a pool's).
    """
    die_with_parent()
    attrs = termios.tcgetattr(0)
    attrs[1] &= ~termios.ONLCR
    attrs[3] &= ~termios.ICANON
    attrs[6][termios.VMIN], attrs[6][termios.VTIME] = 1, 0  # VMIN shares a slot with VEOF (4 bytes)
    termios.tcsetattr(0, termios.TCSANOW, attrs)
    soft, hard = resource.getrlimit(resource.RLIMIT_STACK)
    wanted = STACK_BYTES if hard == resource.RLIM_INFINITY else min(STACK_BYTES, hard)
    if soft != resource.RLIM_INFINITY and soft < wanted:
        resource.setrlimit(resource.RLIMIT_STACK, (wanted, hard))


def _load_package_code(path: Path) -> str:
    return f"loadPackage({m2_string(path.stem)}, FileName => {m2_string(str(path))}, Reload => true);"


def _failure(message: str, code: str, timeout: float | None, alarm_passed: bool) -> Macaulay2Error | Macaulay2Timeout:
    """The exception for M2's error ``message``: an interruption (:data:`INTERRUPTIONS`) once the request's alarm
    could have fired (``alarm_passed``) is the timeout; one that came before, or without an alarm, was sent by
    something else and is reported as such; any other message is M2's error."""
    if message.split("\n", 1)[0] not in INTERRUPTIONS:
        return Macaulay2Error(message, code)
    if timeout is not None and alarm_passed:
        return Macaulay2Timeout(timeout, code)
    limit = "no time limit was set" if timeout is None else f"before its time limit of {timeout:g} s"
    return Macaulay2Error(f"{message} (not by neurom2: {limit}; something else interrupted Macaulay2)", code)


def _error_message(output: str) -> str | None:
    """M2's message for the first error in ``output`` (with its indented detail lines), or None."""
    match = _ERROR.search(output)
    if match is None:
        return None
    first, *rest = output[match.end() :].split("\n")
    details = itertools.takewhile(lambda line: not _LOCATED_LINE.match(line), rest)
    return "\n".join([first, *details]).strip()


class Macaulay2Session:
    """A persistent Macaulay2 process: ``run(code)`` returns what the code printed.

    The process starts at construction (Macaulay2NotFound if there is no working M2).  After a crash
    or a kill it is started again at the next call.  Calls are serialised by a lock.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._packages: list[Path] = []
        self._child: pexpect.spawn | None = None
        self._requests = 0
        self._version: str | None = None
        self._start()

    def run(self, code: str, timeout: float | None = None) -> str:
        """Run ``code`` and return exactly what it printed.

        Raises Macaulay2Error (M2 reported an error; nothing after it ran), Macaulay2Timeout (more than
        ``timeout`` seconds; None means no limit) or Macaulay2Crashed (the process died).  The session
        is usable after each of them.
        """
        with self._lock:
            if self._child is None:
                self._start()
            return self._request(code, timeout)

    def load_package(self, path: str | Path) -> None:
        """Load the M2 package file ``path`` (named after its stem) once, and again after every restart."""
        path = Path(path).resolve()
        if path not in self._packages:
            self.run(_load_package_code(path))
            self._packages.append(path)

    @property
    def version(self) -> str:
        """M2's ``version#"VERSION"``, e.g. ``"1.21"``."""
        if self._version is None:
            self._version = self.run('<< version#"VERSION"')
        return self._version

    def restart(self) -> None:
        """Kill the process and start a fresh one, reloading the packages."""
        with self._lock:
            self._discard()
            self._start()

    def close(self) -> None:
        """End the process (a later call would start a new one)."""
        with self._lock:
            self._discard()

    def __enter__(self) -> Macaulay2Session:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _start(self) -> None:
        executable = find_m2()
        tag = secrets.token_hex(8)
        self._prompt, self._continuation, self._tag = f"<{tag}>", f"<{tag}...>", tag
        child = pexpect.spawn(
            executable, M2_FLAGS, encoding="utf-8", codec_errors="replace", echo=False,
            maxread=1 << 20, preexec_fn=_prepare_child,
        )
        child.delaybeforesend = child.delayafterread = None  # no sleeps around each exchange (select waits)
        prompt = 'ZZ#{Standard,Core#"private dictionary"#"%s"} = lineno -> %s; '
        child.sendline(
            prompt % ("InputPrompt", m2_string(self._prompt))
            + prompt % ("InputContinuationPrompt", m2_string(self._continuation))
            + "printWidth = 0;"
        )
        if child.expect_exact([self._prompt, pexpect.EOF, pexpect.TIMEOUT], timeout=START_TIMEOUT) != 0:
            child.close(force=True)
            raise Macaulay2NotFound(
                f"{executable} is not a working Macaulay2 (no prompt after start-up; "
                f"it printed {child.before[-300:]!r}); {INSTALL_HINT}"
            )
        self._child = child
        for path in self._packages:
            self._request(_load_package_code(path), None)

    def _process(self) -> pexpect.spawn:
        """The running M2 process (the callers start it first; a missing one is reported as a crash)."""
        if self._child is None:
            raise Macaulay2Crashed("the Macaulay2 process is gone")
        return self._child

    def _request(self, code: str, timeout: float | None) -> str:
        child = self._process()
        self._requests += 1
        begin, end = f"{self._tag}:begin:{self._requests}", f"{self._tag}:end:{self._requests}"
        seconds = 0 if timeout is None else max(1, math.ceil(timeout))  # alarm 0 cancels any alarm
        source = m2_string(f"({code}\n)")  # the newline ends a trailing -- comment
        started = time.monotonic()
        child.sendline(
            f'<< "{begin}" << endl; alarm {seconds}; value {source}; '
            f'alarm 0; stderr << flush; << endl << "{end}";'
        )
        deadline = None if timeout is None else seconds + GRACE
        replies = [end + self._prompt, self._continuation, pexpect.EOF, pexpect.TIMEOUT]
        index = child.expect_exact(replies, timeout=deadline)
        if index == 1:
            self._interrupt()
            raise Macaulay2Error("incomplete input: Macaulay2 asked for a continuation line", code)
        if index == 2:
            self._discard()
            how = f"signal {child.signalstatus}" if child.signalstatus else f"exit status {child.exitstatus}"
            raise Macaulay2Crashed(f"Macaulay2 died ({how}) while running: {code[:400]}")
        if index == 3:
            raise Macaulay2Timeout(timeout, code, restarted=not self._interrupt())
        _, found, output = child.before.partition(begin + "\n")
        if not found:
            raise Macaulay2OutputError(f"Macaulay2's reply lacks the BEGIN marker: {child.before[-300:]!r}")
        output = output.removesuffix("\n")  # printed by the request before the END marker
        message = _error_message(output)
        if message is None:
            return output
        raise _failure(message, code, timeout, alarm_passed=time.monotonic() - started >= seconds)

    def _interrupt(self) -> bool:
        """Send Ctrl-C and wait for the prompt; if it does not come, kill the process. True if it came."""
        child = self._process()
        child.sendintr()
        replies = [self._prompt, pexpect.EOF, pexpect.TIMEOUT]
        if child.expect_exact(replies, timeout=INTERRUPT_WAIT) == 0:
            return True
        self._discard()
        return False

    def _discard(self) -> None:
        """Kill the process, if any, and forget it; the next call starts a new one.  pexpect gives up on a process
        that outlives its SIGKILL grace (a busy machine): it is then killed again and reaped here."""
        if self._child is not None:
            child, self._child = self._child, None
            try:
                child.close(force=True)
            except pexpect.ExceptionPexpect:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(child.pid, signal.SIGKILL)
                with contextlib.suppress(ChildProcessError):
                    os.waitpid(child.pid, 0)


_sessions: dict[int, Macaulay2Session] = {}
_sessions_lock = threading.Lock()


def default_session() -> Macaulay2Session:
    """The process-wide shared session, started on first use; a forked process gets its own."""
    with _sessions_lock:
        if os.getpid() not in _sessions:
            _sessions[os.getpid()] = Macaulay2Session()
        return _sessions[os.getpid()]
