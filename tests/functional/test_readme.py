"""The README opens with the two commands a new user runs; CI runs the second verbatim."""

from __future__ import annotations

import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def readme_commands() -> list[str]:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```sh\n(.*?)```", text, re.S)
    assert block is not None and text.index("```sh") < 40, "the README must open with the commands"
    return block.group(1).strip().splitlines()


def test_readme_opens_with_install_and_run_then_install_and_test() -> None:
    run, test = readme_commands()
    assert "pip install ." in run and "seamfinder analyze fixtures/" in run
    assert "pip install -e '.[test]'" in test and "pytest" in test
    fixture = run.split("seamfinder analyze ", 1)[1].split()[0]
    assert (REPO / fixture).is_dir()


def test_ci_runs_the_readme_test_command_verbatim() -> None:
    _, test = readme_commands()
    assert test in (REPO / ".ci" / "run").read_text(encoding="utf-8")
