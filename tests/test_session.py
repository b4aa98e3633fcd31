"""The Macaulay2 session, against the real M2 (a fake one only for faults M2 itself cannot produce)."""

from __future__ import annotations

import os
import re
import signal
import stat
import sys
import threading
import time
from pathlib import Path

import pytest

from neurom2.errors import Macaulay2Crashed, Macaulay2Error, Macaulay2NotFound, Macaulay2Timeout
from neurom2.m2.session import Macaulay2Session, default_session, m2_string

# A 300-bit semiprime: integer factoring runs in a library that neither alarm nor Ctrl-C interrupts.
UNINTERRUPTIBLE = "factor(nextPrime(2^150) * nextPrime(2^151))"


@pytest.fixture(scope="module")
def m2():
    with Macaulay2Session() as session:
        yield session


def m2_pid(session: Macaulay2Session) -> int:
    return int(session.run("print processID()"))


def fake_m2(tmp_path: Path, body: str) -> str:
    """An executable Python script standing in for M2; ``body`` follows reading the start-up line."""
    script = tmp_path / "fake-M2"
    script.write_text(
        f"#!{sys.executable}\n"
        "import re, signal, sys\n"
        "prompt, more = re.findall(r'lineno -> \"([^\"]*)\"', sys.stdin.readline())\n"
        "def show(text): print(text, end='', flush=True)\n" + body
    )
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return str(script)


def test_big_integer_and_factorization_round_trip(m2):
    assert m2.run("print(2^100)") == "1267650600228229401496703205376\n"
    assert m2.run("R = QQ[x]; print toString factor(x^2-1)") == "(x-1)*(x+1)\n"


def test_output_is_exactly_what_was_printed(m2):
    assert m2.run("1+1") == ""
    assert m2.run('<< "no newline"') == "no newline"
    assert m2.run('print "a"; print "b"') == "a\nb\n"


def test_state_persists_between_calls(m2):
    m2.run("persistentValue = 6 * 7")
    assert m2.run("print persistentValue") == "42\n"


def test_multiline_code_with_comments(m2):
    assert m2.run("addOne = t ->\n  t + 1 -- a comment\n;\nprint addOne 2 -- another") == "3\n"


def test_m2_string_round_trips_every_ascii_character(m2):
    text = "".join(map(chr, range(128))) + 'a\\"b'
    codes = ", ".join(map(str, text.encode()))
    assert m2.run(f"print toString ascii {m2_string(text)}") == "{" + codes + "}\n"


def test_error_raises_with_m2_message_and_stops_the_request(m2):
    code = 'afterError = 0; afterError = 1; error "boom from the test"; afterError = 2'
    with pytest.raises(Macaulay2Error) as caught:
        m2.run(code)
    assert caught.value.m2_message == "boom from the test"
    assert caught.value.code == code
    assert m2.run("print afterError") == "1\n"


def test_error_inside_a_loaded_file_raises(m2, tmp_path):
    bad = tmp_path / "bad.m2"
    bad.write_text('x = 1;\nerror "raised in a loaded file";\n')
    with pytest.raises(Macaulay2Error, match="raised in a loaded file"):
        m2.run(f"load {m2_string(str(bad))}")
    assert m2.run("print 5") == "5\n"


def test_incomplete_input_raises_then_session_works(m2):
    with pytest.raises(Macaulay2Error, match="syntax error"):
        m2.run("(1+")
    assert m2.run("print(1+1)") == "2\n"


def test_m2_alarm_stops_a_long_loop(m2):
    start = time.monotonic()
    with pytest.raises(Macaulay2Timeout) as caught:
        m2.run("while true do 1", timeout=1)
    assert time.monotonic() - start < 3
    assert caught.value.restarted is False and caught.value.seconds == 1
    assert m2.run("print 7") == "7\n"


def test_ctrl_c_stops_a_loop_that_swallows_the_alarm(m2):
    pid = m2_pid(m2)
    start = time.monotonic()
    with pytest.raises(Macaulay2Timeout) as caught:
        m2.run("try (while true do 1) else (while true do 1)", timeout=1)
    assert time.monotonic() - start < 4
    assert caught.value.restarted is False
    assert m2_pid(m2) == pid


def test_uninterruptible_computation_is_killed_and_restarted(m2):
    pid = m2_pid(m2)
    start = time.monotonic()
    with pytest.raises(Macaulay2Timeout) as caught:
        m2.run(UNINTERRUPTIBLE, timeout=1)
    assert time.monotonic() - start < 8
    assert caught.value.restarted is True
    assert m2_pid(m2) != pid
    assert m2.run("print 8") == "8\n"


def test_alarm_of_a_failed_request_does_not_fire_later(m2):
    with pytest.raises(Macaulay2Error):
        m2.run('error "fails at once"', timeout=1)
    assert m2.run("sleep 2; print 9") == "9\n"


def test_killed_process_raises_crashed_then_restarts(m2):
    pid = m2_pid(m2)
    threading.Timer(0.3, os.kill, (pid, signal.SIGKILL)).start()
    with pytest.raises(Macaulay2Crashed, match="signal 9"):
        m2.run("while true do 1", timeout=20)
    assert m2_pid(m2) != pid


def test_exit_inside_a_request_raises_crashed_then_restarts(m2):
    with pytest.raises(Macaulay2Crashed, match="exit status 1"):
        m2.run("exit 1")
    assert m2.run("print 10") == "10\n"


def test_long_deeply_nested_input(m2):
    # 590,000 characters (a pty line holds 4095 bytes), nested 100,000 deep (8 MiB of stack hold 45,000).
    code = "print(" + " + ".join(map(str, range(100_000))) + ")"
    assert len(code) > 200_000
    assert m2.run(code) == f"{sum(range(100_000))}\n"


def test_version_is_a_release_number(m2):
    assert re.fullmatch(r"\d+\.\d+(\.\d+)*", m2.version)


def test_loaded_package_survives_restart(m2, tmp_path):
    package = tmp_path / "TinyTestPackage.m2"
    package.write_text(
        'newPackage("TinyTestPackage", Version => "0.1", Headline => "test")\n'
        'export {"tinyDouble"}\n'
        "tinyDouble = x -> 2 * x\n"
    )
    m2.load_package(package)
    assert m2.run("print tinyDouble 21") == "42\n"
    m2.restart()
    assert m2.run("print tinyDouble 4") == "8\n"


def test_missing_m2_names_how_to_install_it(monkeypatch, tmp_path):
    monkeypatch.setenv("NEUROM2_M2", str(tmp_path / "no-such-M2"))
    with pytest.raises(Macaulay2NotFound, match="sudo apt-get install --no-install-recommends macaulay2"):
        Macaulay2Session()


def test_executable_that_is_not_m2_is_rejected_at_construction(monkeypatch, tmp_path):
    monkeypatch.setenv("NEUROM2_M2", fake_m2(tmp_path, "show('garbage')\nsys.exit(3)\n"))
    with pytest.raises(Macaulay2NotFound, match="not a working Macaulay2.*garbage"):
        Macaulay2Session()


def test_continuation_prompt_is_interrupted_and_named(monkeypatch, tmp_path):
    # Real M2 never shows it: requests arrive as one complete line.
    body = (
        "signal.signal(signal.SIGINT, lambda *_: show(prompt))\n"
        "show(prompt)\n"
        "for line in sys.stdin: show(more)\n"
    )
    monkeypatch.setenv("NEUROM2_M2", fake_m2(tmp_path, body))
    with Macaulay2Session() as session, pytest.raises(Macaulay2Error, match="incomplete input"):
        session.run("1+1", timeout=5)


INTERRUPTED_M2 = r"""
import time
def answer(begin, end):
    show(f"{begin}\ncurrentString:1:2:(3):[1]: error: {MESSAGE}\n\n{end}{prompt}")
show(prompt)
for line in sys.stdin:
    begin, end = re.findall(r'"(\w+:(?:begin|end):\d+)"', line)
    signal.signal(signal.SIGINT, lambda *_: answer(begin, end))
    if WAIT == "forever":
        signal.pause()
    else:
        time.sleep(int(re.search(r"alarm (\d+);", line).group(1)) if WAIT == "alarm" else 0)
        answer(begin, end)
"""
"""Answers every request with M2's error MESSAGE: after the request's alarm, at once, or at Ctrl-C (WAIT)."""
INTERRUPTIONS = ["alarm occurred", "computation was interrupted", "interrupted"]


def interrupted_m2(monkeypatch, tmp_path: Path, message: str, wait: str) -> Macaulay2Session:
    """A session with a fake M2 whose every answer is the interruption ``message``: after the request's alarm
    (``wait="alarm"``), at once (``"now"``) or when neurom2 sends Ctrl-C (``"forever"``)."""
    body = f"MESSAGE, WAIT = {message!r}, {wait!r}\n" + INTERRUPTED_M2
    monkeypatch.setenv("NEUROM2_M2", fake_m2(tmp_path, body))
    return Macaulay2Session()


@pytest.mark.parametrize("message", INTERRUPTIONS)
def test_every_interruption_at_the_alarm_is_a_timeout(monkeypatch, tmp_path, message):
    # "computation was interrupted" is how the alarm surfaces inside mathicgb's F4 (the linear section step)
    with interrupted_m2(monkeypatch, tmp_path, message, "alarm") as session, pytest.raises(Macaulay2Timeout) as caught:
        session.run("1+1", timeout=1)
    assert caught.value.seconds == 1 and caught.value.restarted is False


@pytest.mark.parametrize("message", INTERRUPTIONS)
def test_every_reply_to_the_ctrl_c_of_the_deadline_is_a_timeout(monkeypatch, tmp_path, message):
    with interrupted_m2(monkeypatch, tmp_path, message, "forever") as session, pytest.raises(Macaulay2Timeout) as caught:
        session.run("1+1", timeout=1)
    assert caught.value.seconds == 1 and caught.value.restarted is False


@pytest.mark.parametrize("message", INTERRUPTIONS)
@pytest.mark.parametrize("timeout", [None, 30])
def test_an_interruption_before_any_alarm_is_an_error_saying_so(monkeypatch, tmp_path, message, timeout):
    # without a time limit, or long before it: something else interrupted Macaulay2, not neurom2's deadline
    with interrupted_m2(monkeypatch, tmp_path, message, "now") as session, pytest.raises(Macaulay2Error) as caught:
        session.run("1+1", timeout=timeout)
    assert caught.value.m2_message.startswith(f"{message} (not by neurom2: ")
    assert ("no time limit was set" if timeout is None else "before its time limit of 30 s") in caught.value.m2_message


def test_default_session_is_shared_and_not_inherited_by_a_fork():
    session = default_session()
    assert default_session() is session
    child = os.fork()
    if child == 0:  # pragma: no cover - runs in the forked process
        try:
            fresh = default_session()
            os._exit(0 if fresh is not session and fresh.run("print 11") == "11\n" else 1)
        finally:
            os._exit(2)
    assert os.waitpid(child, 0)[1] == 0
    assert session.run("print 12") == "12\n"


@pytest.mark.parametrize("computation", [UNINTERRUPTIBLE, "R = QQ[x_1..x_9]; gb ideal random(R^1, R^{6:-4})"])
def test_macaulay2_dies_with_the_process_that_started_it_even_by_sigkill(computation, tmp_path):
    """A batch worker killed at its wall timeout must not leave its Macaulay2 computing.  Its pty alone does
    not ensure that: here a forked process keeps the pty open (as an inherited descriptor can), so no
    SIGHUP comes; Macaulay2 must still die with the process that started it."""
    import subprocess

    code = ("import os, time\n"
            "from neurom2.m2.session import Macaulay2Session\n"
            "s = Macaulay2Session()\n"
            "m2 = int(s.run('print processID()'))\n"
            "holder = os.fork()\n"
            "if holder == 0:\n"
            "    time.sleep(60)\n"
            "    os._exit(0)\n"
            "print(m2, holder, flush=True)\n"
            f"s.run({computation!r})\n")
    # in tmp_path: a factorization killed midway leaves its sieve file (*siqs.dat) in the working directory
    python = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True, cwd=tmp_path)
    pid, holder = map(int, python.stdout.readline().split())
    try:
        time.sleep(1.0)  # Macaulay2 is computing now
        assert _alive(pid)
        python.kill()
        python.wait(10)
        deadline = time.monotonic() + 5
        while _alive(pid):
            assert time.monotonic() < deadline, "Macaulay2 outlived the process that started it"
            time.sleep(0.05)
    finally:
        for orphan in (holder, pid):
            if _alive(orphan):
                os.kill(orphan, signal.SIGKILL)


def _alive(pid: int) -> bool:
    """Whether ``pid`` runs (a zombie waiting for its parent counts as gone)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False
