"""The README opens with the two commands a newcomer pastes, and CI runs the test one verbatim."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _commands() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    head = text.split("\n## ", 1)[0]
    return re.findall(r"```sh\n(.+?)\n```", head, flags=re.S)


def test_readme_opens_with_a_run_command_and_a_test_command():
    commands = _commands()
    assert len(commands) == 2, commands
    run, test = commands
    assert "main.py" in run and "pip install" in run
    assert "pytest" in test and "pip install" in test


def test_ci_runs_the_readme_test_command_verbatim():
    test = _commands()[1]
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert test in ci.splitlines(), "the test command in .ci/run must match the README's"
