"""The help of every command-line option says what that spelling does: ``--no-X`` turns X off, and its help says
so instead of repeating X's (issue 17: ``implicit --no-verify`` said "run the independent verification").
Generated from the task registry, so a new option is checked without a new test."""

from __future__ import annotations

import pytest

from neurom2.cli import build_parser, main
from neurom2.tasks import TASKS, Flag, Option

NEGATIONS = ("skip", "do not", "don't", "without", "no ", "turn off")
"""How a help of ``--no-X`` starts: what X does, not done."""

FLAGS = [pytest.param(task, option, id=f"{task.name}-{option.flag}")
         for task in TASKS.values() for option in task.options if isinstance(option.kind, Flag)]
NEGATED = [param for param in FLAGS if param.values[1].negated]


def _words(text: str) -> str:
    """``text`` with argparse's line wrapping undone."""
    return " ".join(text.split())


def _help(capsys, task_name: str) -> str:
    assert main([task_name, "--help"]) == 0
    return _words(capsys.readouterr().out)


def test_the_registry_has_negated_flags_to_check():
    assert {(task.name, option.flag) for task, option in (p.values for p in NEGATED)} >= {
        ("implicit", "--no-verify"), ("landscape", "--no-numerical")}


@pytest.mark.parametrize("task, option", NEGATED)
def test_the_help_of_a_negated_flag_says_it_turns_the_option_off(capsys, task, option):
    """The help of ``--no-X``, as ``neurom2 TASK --help`` prints it: its own text, which starts with a negation
    and does not contain X's text; X's text appears nowhere in the help."""
    assert option.negated_help and option.negated_help != option.help
    assert option.negated_help.lower().startswith(NEGATIONS), option.negated_help
    assert _words(option.help) not in _words(option.negated_help)
    shown = _help(capsys, task.name)
    assert f"{option.flag} {_words(option.negated_help)}" in shown
    assert _words(option.help) not in shown


@pytest.mark.parametrize("task, option", FLAGS)
def test_every_flag_sets_the_value_its_spelling_says(task, option):
    """``--no-X`` makes X false, ``--X`` makes X true; without the flag, X keeps its default."""
    required = [word for o in task.options if o.required for word in (o.flag, "2")]
    parser = build_parser()
    without = parser.parse_args([task.name, *required])
    given = parser.parse_args([task.name, *required, option.flag])
    assert getattr(without, option.name) is option.default
    assert getattr(given, option.name) is (not option.negated)


def test_a_flag_that_defaults_to_true_cannot_be_declared_without_its_negated_help():
    with pytest.raises(ValueError, match="negated_help is required"):
        Option("verify", Flag(), True, "run the independent verification")
    with pytest.raises(ValueError, match="negated_help is only"):
        Option("float_check", Flag(), False, "also compute a floating-point rank", negated_help="do not")
