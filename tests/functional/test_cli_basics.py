"""The installed CLI on small projects written for each test."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from seamfinder import __version__
from seamfinder.app.cli import main

CYCLE = {
    "shop/__init__.py": "",
    "shop/orders/__init__.py": "",
    "shop/orders/services.py": "from shop.payments import gateway\nfrom shop.payments.gateway import charge\n",
    "shop/orders/models.py": "",
    "shop/payments/__init__.py": "",
    "shop/payments/gateway.py": "def charge():\n    from shop.orders import models\n",
    "shop/core/__init__.py": "",
}


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_version_and_every_command_help_shows_an_example() -> None:
    code, out, _ = run("--version")
    assert code == 0 and __version__ in out
    code, out, _ = run("analyze", "--help")
    assert code == 0 and "seamfinder analyze fixtures/django_shop" in out
    for command in (
        [],
        ["check"],
        ["baseline"],
        ["rules"],
        ["rules", "explain"],
        ["candidates"],
        ["extract"],
    ):
        code, out, _ = run(*command, "--help")
        assert code == 0 and "Example" in out and "seamfinder " in out.split("Example", 1)[1], (
            command
        )


def test_cycle_is_an_error_finding_and_exit_1(write_project) -> None:  # type: ignore[no-untyped-def]
    root = write_project(CYCLE)
    code, out, _ = run("analyze", str(root), "--format", "json", "--no-cache")
    assert code == 1
    document = json.loads(out)
    (cycle,) = document["cycles"]
    assert cycle["components"] == ["shop.orders", "shop.payments"]
    assert [(c["source"], c["target"], c["imports"]) for c in cycle["cut"]] == [
        ("shop.payments", "shop.orders", 1)
    ]
    (finding,) = document["findings"]
    assert finding["code"] == "SF101"
    assert (finding["path"], finding["line"]) == ("shop/payments/gateway.py", 2)
    assert finding["subjects"] == ["shop.orders", "shop.payments"]
    sites = {(d["source"], d["target"]): d["sites"] for d in document["dependencies"]}
    assert [s["scope"] for s in sites[("shop.payments", "shop.orders")]] == ["function"]
    assert [s["line"] for s in sites[("shop.orders", "shop.payments")]] == [1, 2]


def test_fail_on_and_exit_zero_control_the_exit_code(write_project) -> None:  # type: ignore[no-untyped-def]
    root = write_project(CYCLE)
    assert run("analyze", str(root), "--no-cache", "--exit-zero")[0] == 0
    assert run("analyze", str(root), "--no-cache", "--fail-on", "never")[0] == 0
    assert run("analyze", str(root), "--no-cache", "--ignore", "SF101")[0] == 0


def test_missing_path_exits_2_with_one_line(tmp_path: Path) -> None:
    code, _, err = run("analyze", str(tmp_path / "nope"))
    assert code == 2
    assert err.strip().count("\n") == 0
    assert "no such file or directory" in err and "Traceback" not in err


def test_bad_config_exits_2_naming_the_field(write_project) -> None:  # type: ignore[no-untyped-def]
    root = write_project({**CYCLE, "pyproject.toml": "[tool.seamfinder]\ndepht = 2\n"})
    code, _, err = run("analyze", str(root))
    assert code == 2
    assert "tool.seamfinder.depht: unknown key (did you mean 'depth'?)" in err


def test_folder_without_python_exits_2(write_project) -> None:  # type: ignore[no-untyped-def]
    root = write_project({"README.md": "nothing here\n"})
    code, _, err = run("analyze", str(root))
    assert code == 2 and "no Python package or module found" in err


def test_installed_namesake_is_refused_not_analysed(write_project) -> None:  # type: ignore[no-untyped-def]
    # ``click`` is already imported by the CLI itself, so grimp would find the installed
    # one whatever sys.path says: seamfinder must refuse rather than analyse it.
    root = write_project({"click/__init__.py": "", "click/core.py": "import click\n"})
    code, _, err = run("analyze", str(root), "--no-cache")
    assert code == 2
    assert "package 'click' resolves to" in err and "would be analysed instead" in err


def test_unimported_namesake_on_sys_path_loses_to_the_project(
    write_project, tmp_path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    # An installed package of the same name that nobody imported yet: the project's own
    # folder goes first on sys.path, so it is the one analysed.
    site = tmp_path / "site-packages"
    (site / "ledgerkit").mkdir(parents=True)
    (site / "ledgerkit" / "__init__.py").write_text("", encoding="utf-8")
    monkeypatch.syspath_prepend(str(site))
    root = write_project(
        {
            "ledgerkit/__init__.py": "",
            "ledgerkit/a.py": "from ledgerkit import b\n",
            "ledgerkit/b.py": "",
        }
    )
    code, out, _ = run("analyze", str(root), "--no-cache", "--format", "json", "--depth", "0")
    assert code == 0
    assert json.loads(out)["components"][0]["modules"] == [
        "ledgerkit",
        "ledgerkit.a",
        "ledgerkit.b",
    ]


def test_unparsable_file_is_a_finding_and_the_rest_is_analysed(write_project) -> None:  # type: ignore[no-untyped-def]
    root = write_project({**CYCLE, "shop/core/broken.py": "def f(:\n    pass\n"})
    code, out, _ = run("analyze", str(root), "--no-cache", "--format", "json")
    document = json.loads(out)
    codes = sorted(f["code"] for f in document["findings"])
    assert codes == ["SF001", "SF101"]
    sf001 = next(f for f in document["findings"] if f["code"] == "SF001")
    assert (sf001["path"], sf001["line"]) == ("shop/core/broken.py", 1)
    assert document["stats"]["files_failed"] == 1
    assert document["cycles"], "the import graph was still built"
    assert code == 1


def test_output_file_receives_the_format(write_project, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    root = write_project(CYCLE)
    target = tmp_path / "out" / "report.json"
    code, out, _ = run(
        "analyze",
        str(root),
        "--no-cache",
        "--format",
        "json",
        "--output",
        str(target),
        "--exit-zero",
    )
    assert code == 0 and out == ""
    assert json.loads(target.read_text())["version"] == 1


def test_real_subprocess_runs_as_python_dash_m(write_project) -> None:  # type: ignore[no-untyped-def]
    root = write_project(CYCLE)
    env = {**os.environ, "NO_COLOR": "1"}
    done = subprocess.run(
        [sys.executable, "-m", "seamfinder", "analyze", str(root), "--no-cache"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert done.returncode == 1, done.stderr
    assert "shop.orders ⇄ shop.payments" in done.stdout
    assert "remove shop.payments -> shop.orders (1)" in done.stdout


def test_namespace_folders_and_loose_modules_get_their_imports(write_project) -> None:  # type: ignore[no-untyped-def]
    # grimp reads regular packages only: a folder without __init__.py inside a package,
    # and a loose script, are read from their text instead, both ways.
    root = write_project(
        {
            "app/__init__.py": "",
            "app/core/__init__.py": "",
            "app/core/db.py": "from app.jobs import tasks\n",
            "app/jobs/tasks.py": "from app.core import db\nfrom ..core.db import x\n",
            "manage.py": "import app.core.db\n",
        }
    )
    _code, out, _ = run("analyze", str(root), "--no-cache", "--format", "json", "--exit-zero")
    deps = {
        (d["source"], d["target"]): [(s["path"], s["line"]) for s in d["sites"]]
        for d in json.loads(out)["dependencies"]
    }
    assert deps[("app.core", "app.jobs")] == [("app/core/db.py", 1)]
    assert deps[("app.jobs", "app.core")] == [("app/jobs/tasks.py", 1), ("app/jobs/tasks.py", 2)]
    assert deps[("<root>", "app.core")] == [("manage.py", 1)]


def test_imports_by_name_are_dynamic_dependencies(write_project) -> None:  # type: ignore[no-untyped-def]
    root = write_project(
        {
            "settings.py": "INSTALLED_APPS = ['shop.catalogue', 'shop.order', 'shop.plugins']\n",
            "shop/__init__.py": "",
            "shop/catalogue/__init__.py": "",
            "shop/catalogue/apps.py": "from django.apps import AppConfig\nclass C(AppConfig):\n    name = 'shop.catalogue'\n    label = 'catalogue'\n",
            "shop/catalogue/views.py": "",
            "shop/order/__init__.py": "",
            "shop/order/models.py": "from django.db import models\nclass Order(models.Model):\n    pass\n",
            "shop/plugins/__init__.py": "",
            "shop/plugins/stripe.py": "",
            "shop/plugins/loader.py": """
                from importlib import import_module
                from django.apps import apps
                from django.utils.module_loading import import_string
                from oscar.core.loading import get_class
                View = get_class("catalogue.views", "ProductView")
                def load():
                    Order = apps.get_model("order", "Order")
                    backend = import_string("shop.catalogue.views.Backend")
                    return import_module("shop.plugins.stripe"), Order, backend
            """,
        }
    )
    _, out, _ = run("analyze", str(root), "--no-cache", "--format", "json", "--exit-zero")
    sites = {
        (d["source"], d["target"]): [(s["line"], s["scope"]) for s in d["sites"]]
        for d in json.loads(out)["dependencies"]
    }
    assert sites[("plugins", "catalogue")] == [(6, "dynamic"), (9, "dynamic")]
    assert sites[("plugins", "order")] == [(8, "dynamic")]
