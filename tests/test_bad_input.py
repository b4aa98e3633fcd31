"""Every subcommand, on a battery of bad inputs: exit status 2, one line on stderr, no traceback.

The battery for the tasks is generated from the registry (:mod:`neurom2.tasks`), so a new task or option
is covered as soon as it is declared: bad widths and activations, bad values of every option by its
kind, a missing required option, an unknown flag.  The other commands get their own bad inputs.  Runs
in-process through ``neurom2.cli.main`` (fast); one case runs the real program.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest

from neurom2.cli import main
from neurom2.tasks import TASKS, Choice, Flag, InputFile, Integer, OutputFile, SchedulerAddress, Seconds, Text, Words

BAD_WIDTHS = ["2,0,1", "2,a,1", "2", "", "2,,1", "-2,1", "2," + "9" * 5000, ",".join(["1"] * 2000)]
BAD_ACTIVATIONS = ["tanh(x)", "x^-1", "3", "x*y", "x^", "relu", "sqrt(x)"]
BAD_VALUES = {
    Integer: ["-1", "abc", "1.5", ""],
    Seconds: ["0", "-1", "nan", "inf", "abc", "1e10"],
    Choice: ["bogus"],
    Text: ["", ")("],
    Words: ["", ")("],
    SchedulerAddress: ["foo", "localhost:8786", "tcp://host", "tcp://host:0", "tcp://host:99999", "http://host:80"],
    InputFile: ["", "/nonexistent-dir/file", "/"],
    OutputFile: ["", "/nonexistent-dir/file", "/"],
}


def _task_cases():
    for task in TASKS.values():
        required = [arg for o in task.options if o.required for arg in (o.flag, _good_value(task.name, o.name))]
        if task.architecture:
            for widths in BAD_WIDTHS:
                yield pytest.param([task.name, "--widths", widths, *required], id=f"{task.name}-widths-{widths[:20]!r}")
            for activation in BAD_ACTIVATIONS:
                yield pytest.param([task.name, "--activation", activation, *required], id=f"{task.name}-activation-{activation}")
        for option in task.options:
            if isinstance(option.kind, Flag):
                continue
            others = [arg for o in task.options if o.required and o is not option
                      for arg in (o.flag, _good_value(task.name, o.name))]
            for value in BAD_VALUES[type(option.kind)]:
                yield pytest.param([task.name, *others, option.flag, value], id=f"{task.name}-{option.name}-{value!r}")
            if option.required:
                yield pytest.param([task.name, *others], id=f"{task.name}-{option.name}-missing")
        yield pytest.param([task.name, *required, "--bogus"], id=f"{task.name}-unknown-flag")


GOOD_VALUES = {("member", "target"): "x^2", ("filling", "input"): "2", ("filling", "output"): "1", ("filling", "depth"): "2"}
"""A valid value for each required option, so that one bad option is tested at a time."""


def _good_value(task: str, option: str) -> str:
    return GOOD_VALUES[(task, option)]


def _other_cases(tmp):
    not_toml = tmp / "bad.toml"
    not_toml.write_text("[[job]]\ntask = 'dimm'\nwidths = [2, 2, 1]\n")
    good = tmp / "good.toml"
    good.write_text("[[job]]\ntask = 'dim'\nwidths = [2, 2, 1]\n")
    text_file = tmp / "notes.txt"
    text_file.write_text("not a database")
    return [
        ([], "no-command"),
        (["frobnicate"], "unknown-command"),
        (["reproduce", "--only", "no-such-claim"], "reproduce-unknown-claim"),
        (["batch", str(tmp / "missing.toml")], "batch-missing-file"),
        (["batch", str(not_toml)], "batch-invalid-job-file"),
        (["batch", str(good), "--db", str(text_file)], "batch-store-not-a-database"),
        (["batch", str(good), "--db", str(tmp / "no-dir" / "x.sqlite")], "batch-store-in-missing-dir"),
        (["batch", str(good), "--workers", "0"], "batch-zero-workers"),
        (["results", "show", "--db", str(tmp / "missing.sqlite")], "results-show-missing-store"),
        (["results", "show", "--db", str(text_file)], "results-show-not-a-store"),
        (["results", "show", "--limit", "0"], "results-show-zero-limit"),
        (["results", "export", "--format", "xml"], "results-export-bad-format"),
        (["results"], "results-no-action"),
        *_plot_cases(tmp, text_file),
    ]


def _plot_cases(tmp, text_file):
    from neurom2.batch import ResultStore

    empty = tmp / "empty.sqlite"
    ResultStore(empty).close()
    plot = ["results", "plot", "--db", str(empty)]
    return [
        (["results", "plot", "--db", str(tmp / "missing.sqlite")], "plot-missing-store"),
        (["results", "plot", "--db", str(text_file)], "plot-not-a-store"),
        ([*plot], "plot-nothing-to-plot"),
        ([*plot, "--out", str(tmp / "picture.txt")], "plot-unknown-suffix"),
        ([*plot, "--out", str(tmp / "no-dir" / "p.png")], "plot-missing-directory"),
        ([*plot, "--out", str(tmp)], "plot-out-is-a-directory"),
        ([*plot, "--axes", "1,1"], "plot-same-axes"),
        ([*plot, "--axes", "a,b"], "plot-axes-not-numbers"),
        ([*plot, "--axes", "0,1"], "plot-axes-zero"),
        ([*plot, "--value", "bogus"], "plot-unknown-value"),
        ([*plot, "--activation", "tanh(x)"], "plot-bad-activation"),
        ([*plot, "--bias", "maybe"], "plot-bad-bias"),
        ([*plot, "--input", "0"], "plot-zero-input"),
    ]


def assert_usage_error(code: int, out: str, err: str) -> None:
    assert code == 2, (code, out, err)
    assert "Traceback" not in err and "Traceback" not in out
    lines = err.strip().splitlines()
    assert lines and lines[-1].startswith("neurom2: error: "), err
    assert len(lines) == 1 or all(":" in line for line in lines[:-1]), err  # FILE:LINE lines before the summary


@pytest.mark.parametrize("args", list(_task_cases()))
def test_every_task_refuses_bad_input_with_exit_2_and_one_line(capsys, args):
    code = main(args)
    out, err = capsys.readouterr()
    assert_usage_error(code, out, err)


def test_every_other_command_refuses_bad_input_with_exit_2(capsys, tmp_path):
    failures = []
    for args, name in _other_cases(tmp_path):
        code = main(args)
        out, err = capsys.readouterr()
        try:
            assert_usage_error(code, out, err)
        except AssertionError as error:
            failures.append((name, str(error)[:300]))
    assert failures == []


def test_the_real_program_prints_no_traceback_for_an_internal_mistake_of_the_user():
    """A whole process: bad option value and a refused size (exit 2, one line)."""
    for args in (["dim", "--widths", "1000,1000,1"], ["member", "--widths", "2,2,1", "--target", "x^5"]):
        result = subprocess.run([sys.executable, "-m", "neurom2.cli", *args], capture_output=True, text=True, timeout=120)
        assert_usage_error(result.returncode, result.stdout, result.stderr)


def _hostile_probes(tmp):
    """The probes of issue 17 that hung or ended in an internal error, as whole processes."""
    fifo = tmp / "fifo.csv"
    os.mkfifo(fifo)
    jobs = {}
    for name, data in (("zero", "/dev/zero"), ("fifo", str(fifo))):
        jobs[name] = tmp / f"{name}.toml"
        jobs[name].write_text(f"[[job]]\ntask = 'landscape'\nwidths = [2, 2, 1]\ndata = '{data}'\n")
    good = tmp / "good.toml"
    good.write_text("[[job]]\ntask = 'dim'\nwidths = [2, 2, 1]\n")
    db = str(tmp / "results.sqlite")
    return [
        (["implicit", "--widths", "100000,1", "--activation", "x^3"], "refused: listing the 100000 coordinates"),
        (["member", "--widths", "100000,1", "--target", "x1"], "refused: listing the 100000 coordinates"),
        (["landscape", "--widths", "100000,1", "--random-data", "3"], "refused: listing the 100000 coordinates"),
        (["batch", str(jobs["zero"]), "--db", db], "/dev/zero: not a regular file (a character device)"),
        (["batch", str(jobs["fifo"]), "--db", db], "not a regular file (a FIFO)"),
        (["batch", "/dev/zero", "--db", db], "invalid job file /dev/zero"),
        (["batch", str(fifo), "--db", db], "invalid job file"),
        (["landscape", "--data", str(fifo)], "not a regular file (a FIFO)"),
        (["filling", "--input", "2", "--output", "1", "--depth", "40", "--db", str(tmp / "f.sqlite")],
         "refused: a search box of more than 1e+30 hidden width tuples"),
        (["filling", "--input", "2", "--output", "1", "--depth", "1000", "--db", str(tmp / "f.sqlite")],
         "at most 100 layers"),
        (["batch", str(good), "--db", db, "--scheduler", "foo"], "tcp://HOST:PORT"),
        (["batch", str(good), "--db", db, "--scheduler", "tcp://127.0.0.1:1"], "no Dask scheduler answered there"),
        (["member", "--widths", "2,2,1", "--target", "x^2", "--timeout", "1e10"], "at most 1e+07"),
    ]


@pytest.mark.parametrize("index", range(13))
def test_every_hostile_probe_of_issue_17_exits_2_in_one_line_within_5_seconds(tmp_path, index):
    probes = _hostile_probes(tmp_path)
    assert len(probes) == 13
    args, said = probes[index]
    started = time.monotonic()
    result = subprocess.run([sys.executable, "-m", "neurom2.cli", *args, "--quiet"], capture_output=True, text=True,
                            timeout=60)
    seconds = time.monotonic() - started
    assert_usage_error(result.returncode, result.stdout, result.stderr)
    assert said in result.stderr, result.stderr
    assert seconds < 5, seconds
