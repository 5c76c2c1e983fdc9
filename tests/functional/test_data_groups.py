"""Data findings counted per component and table in the terminal; every site in check and JSON."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from seamfinder.app.cli import main

REPO = Path(__file__).resolve().parents[2]
IDIOMS = str(REPO / "fixtures" / "django_idioms")


def test_terminal_counts_data_findings_per_component_and_table() -> None:
    result = CliRunner().invoke(main, ["analyze", IDIOMS, "--no-cache", "--exit-zero"])
    out = result.stdout
    assert "Data findings by component and table" in out
    # orders -> catalog_product: an SF201 (restock's update), four SF202 reads, an SF203: one row
    row = next(
        line for line in out.splitlines() if line.split()[:2] == ["orders", "catalog_product"]
    )
    assert row.split()[2:] == ["catalog", "1", "4", "1"]
    assert "counted by table above" in out


def test_check_lists_every_site_and_sf208_carries_its_other_sites() -> None:
    result = CliRunner().invoke(
        main, ["check", IDIOMS, "--no-cache", "--exit-zero", "--format", "json"]
    )
    findings = json.loads(result.stdout)["findings"]
    assert sum(f["code"] == "SF202" for f in findings) == 6
    (customer,) = [f for f in findings if f["code"] == "SF208" and "Customer" in f["message"]]
    assert (customer["path"], customer["line"]) == ("reports/serializers.py", 4)
    assert [(r["path"], r["line"]) for r in customer["related"]] == [("reports/views.py", 5)]
    assert customer["severity"] == "info"


def test_sample_script_draws_the_same_findings_for_the_same_seed(tmp_path: Path) -> None:
    report = tmp_path / "report.json"
    document = CliRunner().invoke(
        main, ["analyze", IDIOMS, "--no-cache", "--exit-zero", "--format", "json"]
    )
    report.write_text(document.stdout, encoding="utf-8")
    script = str(REPO / "benchmarks" / "sample_findings.py")
    command = [sys.executable, script, str(report), "--per-code", "2", "--seed", "3"]
    first = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    second = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    assert first == second
    assert "== SF202 (2 of 6, seed 3)" in first
    # each finding is printed with its source line, read from the analysed root
    assert "> reports/views.py:7  from catalog.models import Product" in first  # SF208's only
