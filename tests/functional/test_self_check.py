"""seamfinder checks its own source: the layers in pyproject.toml hold, with no finding."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from seamfinder.cli import main

REPO = Path(__file__).resolve().parents[2]


def test_seamfinder_passes_its_own_check() -> None:
    result = CliRunner().invoke(main, ["check", str(REPO), "--no-cache"])
    assert result.exit_code == 0, result.stdout + result.stderr
    assert "no findings" in result.stdout + result.stderr
