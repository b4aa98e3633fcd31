"""docs/cli.md is generated from the task registry by scripts/cli_reference.py: the committed file must be what
the script writes now, and it must name every task, every option of every task, and every command."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

from neurom2.cli import build_parser
from neurom2.tasks import TASKS

ROOT = Path(__file__).parents[1]
SCRIPT = ROOT / "scripts" / "cli_reference.py"


def _generator():
    spec = importlib.util.spec_from_file_location("cli_reference", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_committed_cli_reference_is_the_generated_one():
    committed = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    assert committed == _generator().reference(), "docs/cli.md is stale: run python scripts/cli_reference.py"


def test_check_mode_exits_zero_when_current():
    result = subprocess.run([sys.executable, str(SCRIPT), "--check"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr


def test_every_task_option_and_command_is_in_the_reference():
    text = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    for task in TASKS.values():
        section = text.split(f"## `neurom2 {task.name}`")[1].split("\n## ")[0]
        for option in task.options:
            assert f"| `{option.flag}` |" in section, (task.name, option.flag)
            assert option.flag_help.replace("|", r"\|") in section
    commands = next(a for a in build_parser()._actions if hasattr(a, "choices") and isinstance(a.choices, dict))
    for name in commands.choices:
        assert f"## `neurom2 {name}`" in text
