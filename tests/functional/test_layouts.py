"""Layouts Python and Django accept are analysed, not refused, and every decision is said."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from seamfinder.app.cli import main

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "fixtures"
CACHES = shutil.ignore_patterns(".seamfinder_cache", "__pycache__")


def analyze(fixture: str, *extra: str) -> dict[str, Any]:
    result = CliRunner().invoke(
        main, ["analyze", str(FIXTURES / fixture), "-f", "json", "--no-cache", *extra]
    )
    assert result.exit_code in (0, 1), result.stderr
    document: dict[str, Any] = json.loads(result.stdout)
    return document


def components(document: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {c["name"]: c for c in document["components"]}


def module_paths(document: dict[str, Any]) -> set[str]:
    return {m for c in document["components"] for m in c["modules"]}


def test_package_beats_the_module_of_its_name_and_the_module_is_reported() -> None:
    document = analyze("layouts_django")
    modules = module_paths(document)
    assert "shop.orders.management.commands.close_orders" in modules
    [note] = [f for f in document["findings"] if f["path"] == "shop/orders/management.py"]
    assert note["code"] == "SF004" and note["severity"] == "info"
    assert "Python imports the package" in note["message"]


def test_same_named_scripts_in_two_folders_are_both_analysed_by_folder() -> None:
    document = analyze("layouts_django")
    modules = module_paths(document)
    assert {"scripts.export_schema", "tools.export_schema"} <= modules
    assert "export_schema" not in modules
    notes = {f["path"] for f in document["findings"] if f["code"] == "SF004"}
    assert {"scripts/export_schema.py", "tools/export_schema.py"} <= notes


def test_hyphenated_script_is_counted_and_listed_not_dropped_silently() -> None:
    document = analyze("layouts_django")
    assert document["stats"]["files_skipped"] == 1
    listed = CliRunner().invoke(
        main, ["analyze", str(FIXTURES / "layouts_django"), "--no-cache", "--show-skipped"]
    )
    assert "1 skipped for their name" in listed.stdout
    assert "scripts/rebuild-index.py  (not a module name)" in listed.stdout


def test_duplicate_label_of_an_app_never_installed_is_no_error() -> None:
    document = analyze("layouts_django")
    found = components(document)
    assert sorted(found) == ["<root>", "catalog", "orders"]
    assert "shop.legacy_orders.apps" in found["<root>"]["modules"]


def test_sub_package_models_belong_to_the_installed_app_and_its_label() -> None:
    document = analyze("layouts_django")
    found = components(document)
    assert "shop.catalog.alerts.models" in found["catalog"]["modules"]
    assert "shop.orders.forms.models" in found["orders"]["modules"]
    tables = sorted(t["table"] for t in document["tables"])
    assert tables == ["catalog_product", "catalog_stockalert", "orders_order"]


def test_sdk_beside_server_is_analysed_as_two_units_side_by_side() -> None:
    document = analyze("sdk_beside_server")
    units = {s["name"]: s for s in document["services"]}
    assert sorted(units) == ["sdk/python", "server"]
    assert units["sdk/python"]["kind"] == "library"
    found = components(document)
    assert {"server:acme.billing", "server:acme.accounts"} <= set(found)
    assert "sdk/python:acme.client" in found["<root>"]["modules"]


def test_container_package_is_split_into_its_feature_packages_by_default() -> None:
    document = analyze("container_package")
    found = components(document)
    features = [n for n in found if n.startswith("acme.modules.")]
    assert features == [
        "acme.modules.billing",
        "acme.modules.catalog",
        "acme.modules.orders",
        "acme.modules.users",
    ]
    assert "feature package of acme.modules" in found["acme.modules.orders"]["reason"]
    assert max(c["lines"] for c in found.values()) * 2 < sum(c["lines"] for c in found.values())


def test_chosen_depth_wins_over_the_container_split() -> None:
    document = analyze("container_package", "--depth", "1")
    assert sorted(components(document)) == ["<root>", "acme.core", "acme.modules"]


def _run(args: list[str], seed: str, cwd: Path) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "PYTHONHASHSEED": seed}
    return subprocess.run(
        [sys.executable, "-m", "seamfinder", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        check=False,
    )


def test_inherited_relations_give_identical_bytes_under_any_hash_seed(tmp_path: Path) -> None:
    outputs = set()
    for seed in ("0", "1", "42", "31337"):
        done = _run(["analyze", "layouts_django", "-f", "json", "--no-cache"], seed, FIXTURES)
        assert done.returncode in (0, 1), done.stderr
        outputs.add(done.stdout)
    assert len(outputs) == 1
    [relation] = [f for f in json.loads(outputs.pop())["findings"] if f["code"] == "SF203"]
    # Two fields share the inheriting model's site; the first by name speaks for both.
    assert relation["message"].startswith("Order.product (foreign-key)")


def test_baseline_recorded_under_one_seed_holds_under_another(tmp_path: Path) -> None:
    root = tmp_path / "layouts_django"
    shutil.copytree(FIXTURES / "layouts_django", root, ignore=CACHES)
    recorded = _run(["baseline", str(root), "--no-cache"], "1", tmp_path)
    assert recorded.returncode == 0, recorded.stderr
    checked = _run(["check", str(root), "--strict", "--no-cache"], "987654", tmp_path)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert b"0 new" in checked.stdout + checked.stderr


def test_no_components_is_said_in_a_sentence(write_project) -> None:  # type: ignore[no-untyped-def]
    root = write_project({"app.py": "import util\n", "util.py": "X = 1\n"})
    result = CliRunner().invoke(main, ["analyze", str(root), "--no-cache"])
    assert result.exit_code == 0, result.stderr
    assert (
        "no components detected: all 2 modules are in <root>; declare components or use --depth"
        in (" ".join(result.stdout.split()))
    )
    assert "0 components" not in result.stdout
    candidates = CliRunner().invoke(main, ["candidates", str(root), "--no-cache"])
    assert "no extraction candidates" in candidates.stdout


def test_piped_terminal_output_honours_columns() -> None:
    env = {**os.environ, "COLUMNS": "200"}
    done = subprocess.run(
        [sys.executable, "-m", "seamfinder", "analyze", "layouts_django", "--no-cache"],
        cwd=FIXTURES,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    widest = max(len(line) for line in done.stdout.splitlines())
    assert 120 < widest <= 200
