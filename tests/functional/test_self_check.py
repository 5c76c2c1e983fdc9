"""seamfinder checks its own source: the layers in pyproject.toml hold, with no finding."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from click.testing import CliRunner

from seamfinder.app.cli import main

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib

REPO = Path(__file__).resolve().parents[2]


def test_seamfinder_passes_its_own_check() -> None:
    result = CliRunner().invoke(main, ["check", str(REPO), "--no-cache"])
    assert result.exit_code == 0, result.stdout + result.stderr
    assert "no findings" in result.stdout + result.stderr


def test_every_module_of_seamfinder_is_in_a_component_of_its_layers_and_none_cycle() -> None:
    result = CliRunner().invoke(main, ["analyze", str(REPO), "--no-cache", "-f", "json"])
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    names = {c["name"] for c in document["components"]}
    assert "<root>" not in names, "a module of seamfinder belongs to no declared component"
    assert document["cycles"] == []
    settings = tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["seamfinder"]
    layered = {
        part.strip() for layer in settings["layers"] for part in layer.replace("|", ":").split(":")
    }
    assert layered == names == set(settings["components"])
