"""Every shipped fixture, end to end: components, exit codes, markers, determinism."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

from seamfinder.app.cli import main
from seamfinder.rules.registry import all_rules

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from markers import expected_findings

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "fixtures"
MARKED = [
    "django_shop",
    "ledger_sqlalchemy",
    "clean_modular",
    "broken",
    "distributed_shop",
    "hostile_names",
    "layouts_django",
    "shop_monorepo",
    "rpc_shop",
    "grpc_mesh",
    "django_idioms",
    "flask_custom_db",
]


def analyze_json(fixture: str, *extra: str) -> tuple[int, dict]:  # type: ignore[type-arg]
    result = CliRunner().invoke(
        main, ["analyze", str(FIXTURES / fixture), "--format", "json", "--no-cache", *extra]
    )
    assert result.exit_code in (0, 1), result.stderr
    return result.exit_code, json.loads(result.stdout)


@pytest.mark.parametrize("fixture", MARKED)
def test_findings_equal_the_markers_exactly(fixture: str) -> None:
    expected = expected_findings(FIXTURES / fixture)
    unknown = {code for _, _, code in expected} - {rule.code for rule in all_rules()}
    assert not unknown, f"markers name codes no rule has: {unknown}"
    _, document = analyze_json(fixture)
    actual = Counter((f["path"], f["line"], f["code"]) for f in document["findings"])
    missing = expected - actual
    extra = actual - expected
    assert not missing and not extra, f"missing: {sorted(missing)}\nextra: {sorted(extra)}"


def test_django_shop_components_are_its_apps_named_by_label() -> None:
    code, document = analyze_json("django_shop")
    names = [c["name"] for c in document["components"]]
    assert names == [
        "accounts",
        "billing",
        "catalog",
        "core",
        "inventory",
        "notifications",
        "orders",
        "shipping",
        "<root>",
    ]
    billing = next(c for c in document["components"] if c["name"] == "billing")
    assert billing["package"] == "payments" and billing["detected_by"] == "django-app"
    root = next(c for c in document["components"] if c["name"] == "<root>")
    assert set(root["modules"]) == {"manage", "shop", "shop.settings", "shop.urls", "shop.wsgi"}
    assert code == 1


def test_django_shop_cycle_and_its_cheapest_cut() -> None:
    _, document = analyze_json("django_shop")
    (cycle,) = document["cycles"]
    assert cycle["components"] == ["billing", "orders"]
    (cut,) = cycle["cut"]
    assert (cut["source"], cut["target"], cut["imports"]) == ("billing", "orders", 1)
    assert [(s["path"], s["line"]) for s in cut["sites"]] == [("payments/services.py", 5)]
    deps = {(d["source"], d["target"]): d["imports"] for d in document["dependencies"]}
    assert deps[("orders", "billing")] == 2


def test_ledger_components_are_depth_one_packages_without_cycles() -> None:
    _code, document = analyze_json("ledger_sqlalchemy")
    names = [c["name"] for c in document["components"]]
    assert names == [
        "ledger.accounts",
        "ledger.billing",
        "ledger.db",
        "ledger.ledger",
        "ledger.reporting",
        "<root>",
    ]
    assert document["cycles"] == []
    type_checking = [
        s for d in document["dependencies"] for s in d["sites"] if s["scope"] == "type-checking"
    ]
    assert [(s["path"], s["line"]) for s in type_checking] == [("src/ledger/billing/models.py", 11)]
    db = next(c for c in document["components"] if c["name"] == "ledger.db")
    assert (db["ca"], db["ce"], db["instability"]) == (5, 0, 0.0)  # four components and the root


def test_clean_modular_reports_no_findings_and_exits_0() -> None:
    code, document = analyze_json("clean_modular")
    assert code == 0
    assert document["findings"] == [] and document["cycles"] == []
    result = CliRunner().invoke(main, ["analyze", str(FIXTURES / "clean_modular"), "--no-cache"])
    assert result.exit_code == 0 and "No findings." in result.stdout


def test_broken_inputs_become_sf001_and_the_rest_is_analysed() -> None:
    code, document = analyze_json("broken")
    assert code == 1
    failed = sorted((f["path"], f["code"]) for f in document["findings"])
    assert failed == [
        ("inventory_tool/bad_syntax.py", "SF001"),
        ("inventory_tool/latin1_legacy.py", "SF001"),
        ("inventory_tool/nul_byte.py", "SF001"),
    ]
    stats = document["stats"]
    assert (stats["files_seen"], stats["files_failed"], stats["files_analysed"]) == (11, 3, 8)
    modules = {m for c in document["components"] for m in c["modules"]}
    assert {
        "inventory_tool.declared_latin1",
        "inventory_tool.modern_syntax",
        "inventory_tool.empty_pkg",
    } <= modules


def test_json_is_byte_identical_across_runs_and_hash_seeds(tmp_path: Path) -> None:
    outputs = []
    for seed in ("1", "987654"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "seamfinder",
                "analyze",
                "fixtures/django_shop",
                "--format",
                "json",
                "--cache-dir",
                str(tmp_path / seed),
            ],
            cwd=REPO,
            env=env,
            capture_output=True,
            check=False,
        )
        assert done.returncode == 1, done.stderr
        outputs.append(done.stdout)
    assert outputs[0] == outputs[1]
    assert json.loads(outputs[0])["version"] == 1
