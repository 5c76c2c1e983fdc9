"""`seamfinder seam`: on copies of the fixtures, the facade is written, the importers go
through it, the configuration guards it, and a second run changes nothing."""

from __future__ import annotations

import compileall
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from tests.conftest import FIXTURES, REPO, WriteProject

from seamfinder.app.cli import main

GOLDEN = REPO / "tests" / "data" / "seam" / "django_shop_billing.txt"
CACHES = shutil.ignore_patterns(".seamfinder_cache")


def run(*args: str) -> Result:
    return CliRunner().invoke(main, [*args, "--no-cache"])


def snapshot(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts
    }


def analysis(root: Path) -> Any:
    result = run("analyze", str(root), "--format", "json")
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.stdout)


def outside_imports_into(report: Any, component: str) -> set[tuple[str, str]]:
    """(importer, imported) of every import statement into ``component`` from outside."""

    members = {m for c in report["components"] if c["name"] == component for m in c["modules"]}
    return {
        (site["importer"], site["imported"])
        for dependency in report["dependencies"]
        if dependency["target"] == component
        for site in dependency["sites"]
        if site["importer"] not in members
    }


@pytest.fixture
def shop(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "django_shop"
    shutil.copytree(FIXTURES / "django_shop", root, ignore=CACHES)
    monkeypatch.chdir(root)  # paths in the output are then relative: "."
    return root


def test_dry_run_prints_the_reviewed_diff_and_writes_nothing(shop: Path) -> None:
    before = snapshot(shop)
    result = run("seam", "billing", ".")
    assert result.exit_code == 0, result.output
    assert result.stdout == GOLDEN.read_text(encoding="utf-8")
    assert snapshot(shop) == before


@pytest.fixture(scope="module")
def applied(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Any, Result]:
    """django_shop with billing's seam applied: (root, the analysis before, the run)."""

    root = tmp_path_factory.mktemp("applied") / "django_shop"
    shutil.copytree(FIXTURES / "django_shop", root, ignore=CACHES)
    before = analysis(root)
    return root, before, run("seam", "billing", str(root), "--apply")


def test_apply_routes_every_import_of_billing_through_its_facade(
    applied: tuple[Path, Any, Result],
) -> None:
    root, before, result = applied
    assert outside_imports_into(before, "billing") == {
        ("orders.services", "payments.models"),
        ("orders.views", "payments.services"),
        ("shop.urls", "payments.views"),
    }
    assert result.exit_code == 0, result.output
    assert "5 file(s) changed, 3 import statement(s) rewritten" in result.stdout
    assert compileall.compile_dir(root, quiet=1, force=True)
    after = analysis(root)
    assert outside_imports_into(after, "billing") == {
        ("orders.services", "payments.api"),
        ("orders.views", "payments.api"),
        ("shop.urls", "payments.api"),
    }
    # Declaring the detected apps kept every module in its component; billing has one more.
    assert [
        (c["name"], [m for m in c["modules"] if m != "payments.api"]) for c in after["components"]
    ] == [(c["name"], c["modules"]) for c in before["components"]]
    check = run("check", str(root), "--select", "SF105")
    assert check.exit_code == 0 and "no findings" in check.output, check.output
    # The same findings as before: the seam changed where imports go, not what they do.
    assert [f["fingerprint"] for f in after["findings"]] == [
        f["fingerprint"] for f in before["findings"]
    ]


def test_a_second_run_changes_nothing(applied: tuple[Path, Any, Result]) -> None:
    root = applied[0]
    done = snapshot(root)
    again = run("seam", "billing", str(root), "--apply")
    assert again.exit_code == 0, again.output
    assert "0 file(s) changed, 0 import statement(s) rewritten" in again.stdout
    assert "Nothing to change" in again.stdout
    assert snapshot(root) == done


def test_the_public_interface_rule_reports_an_import_that_goes_around_the_facade(
    applied: tuple[Path, Any, Result], tmp_path: Path
) -> None:
    root = tmp_path / "django_shop"
    shutil.copytree(applied[0], root, ignore=CACHES)
    views = root / "orders" / "views.py"
    views.write_text(
        views.read_text(encoding="utf-8") + "\nfrom payments.models import Refund\n",
        encoding="utf-8",
    )
    check = run("check", str(root), "--select", "SF105")
    assert check.exit_code == 1
    assert "orders.views imports payments.models, which is not in the public" in check.output


def test_json_summary_lists_the_interface_and_the_remaining_work(shop: Path) -> None:
    result = run("seam", "billing", ".", "--format", "json")
    assert result.exit_code == 0, result.output
    seam = json.loads(result.stdout)["seam"]
    assert seam["facade_path"] == "payments/api.py"
    assert seam["files_changed"] == [
        "orders/services.py",
        "orders/views.py",
        "payments/api.py",
        "seamfinder.toml",
        "shop/urls.py",
    ]
    assert [e["symbol"] for e in seam["interface"]] == [
        "payments.models.Payment",
        "payments.services.PaymentError",
        "payments.services.refund_order_payment",
        "payments.views",
    ]
    assert [(r["path"], r["line"], r["kind"], r["suggestion"]) for r in seam["remaining"]] == [
        ("orders/services.py", 33, "write", "payments.api.create_payment"),
        ("orders/services.py", 52, "write", "payments.api.update_payment"),
        ("shipping/models.py", 17, "relation", "payments.api.get_payment"),
    ]
    assert result.stdout == run("seam", "billing", ".", "--format", "json").stdout


def test_a_pyproject_gets_the_components_and_the_seam_holds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "ledger"
    shutil.copytree(FIXTURES / "ledger_sqlalchemy", root, ignore=CACHES)
    monkeypatch.chdir(root)
    pyproject = (root / "pyproject.toml").read_text(encoding="utf-8")
    result = run("seam", "ledger.db", ".", "--apply")
    assert result.exit_code == 0, result.output
    assert "8 import statement(s) rewritten" in result.stdout
    edited = (root / "pyproject.toml").read_text(encoding="utf-8")
    assert edited.startswith(pyproject)  # appended; the rest byte for byte
    assert '[tool.seamfinder.components."ledger.db"]\nmodules = ["ledger.db"]\n' in edited
    assert 'public = ["ledger.db.api"]' in edited
    assert compileall.compile_dir(root / "src", quiet=1, force=True)
    check = run("check", ".", "--select", "SF105")
    assert check.exit_code == 0, check.output
    imported = {target for _, target in outside_imports_into(analysis(root), "ledger.db")}
    assert imported == {"ledger.db.api"}
    assert run("seam", "ledger.db", ".", "--apply").stdout.count("0 file(s) changed") == 1


def test_a_module_of_that_name_seamfinder_did_not_write_is_never_overwritten(
    tmp_path: Path,
) -> None:
    root = tmp_path / "clinic"
    shutil.copytree(FIXTURES / "clean_modular", root, ignore=CACHES)
    result = run("seam", "clinic.billing", str(root), "--apply")
    assert result.exit_code == 2
    assert "src/clinic/billing/api.py exists and seamfinder did not write it" in result.output
    assert "choose another facade with --facade MODULE" in result.output


def test_the_orders_facade_would_close_a_cycle_through_billing_so_nothing_is_written(
    shop: Path,
) -> None:
    # payments.services imports orders.models; through orders.api it would also import
    # orders.views (re-exported for shop.urls), which imports payments.services.
    before = snapshot(shop)
    result = run("seam", "orders", ".", "--apply")
    assert result.exit_code == 1, result.output
    assert "orders.api -> orders.views -> payments.services -> orders.api" in result.stdout
    assert snapshot(shop) == before


SMALL = {
    "pay/__init__.py": "",
    "pay/models.py": "class Payment:\n    pass\n\n\nclass Error(Exception):\n    pass\n",
    "pay/services.py": "from pay.models import Payment\n\n\nclass Error(Exception):\n    pass\n",
    "orders/__init__.py": "",
    "orders/checkout.py": """\
        from typing import TYPE_CHECKING

        from pay.models import Error, Payment as P  # the money
        from pay.services import Error as ServiceError

        if TYPE_CHECKING:
            from pay.services import Payment


        def charge():
            from pay import services

            return services
        """,
}


def test_names_imported_through_the_facade_are_the_same_objects(
    write_project: WriteProject,
) -> None:
    root = write_project(SMALL)
    result = run("seam", "pay", str(root), "--depth", "0", "--apply")
    assert result.exit_code == 0, result.output
    checkout = (root / "orders" / "checkout.py").read_text(encoding="utf-8")
    # pay.services.Payment is pay.models.Payment re-exported, but seamfinder does not assume
    # so: the two clash, each is used at one site, and the first module keeps the name.
    assert "from pay.api import Error, Payment as P  # the money" in checkout
    assert "from pay.api import pay_services_Error as ServiceError" in checkout
    assert "    from pay.api import pay_services_Payment as Payment\n" in checkout
    assert "    from pay.api import services\n" in checkout
    probe = (
        "import orders.checkout as c, pay.models as m, pay.services as s\n"
        "assert c.P is m.Payment and c.Error is m.Error and c.ServiceError is s.Error\n"
        "assert c.charge() is s\n"
        "print('same objects')\n"
    )
    env = {**os.environ, "PYTHONPATH": str(root)}
    done = subprocess.run(
        [sys.executable, "-c", probe], env=env, capture_output=True, text=True, check=False
    )
    assert done.stdout == "same objects\n", done.stderr


def test_a_facade_that_would_close_an_import_cycle_is_reported_not_written(
    write_project: WriteProject,
) -> None:
    root = write_project(
        {
            **SMALL,
            # pay.views imports orders.checkout at import time: through a facade that also
            # re-exports pay.views, orders.checkout would import itself back.
            "pay/views.py": "import orders.checkout\n",
            "web.py": "from pay import views\n",
        }
    )
    before = snapshot(root)
    result = run("seam", "pay", str(root), "--depth", "0", "--apply")
    assert result.exit_code == 1, result.output
    assert "Not written: the facade would close 1 new import cycle(s):" in result.stdout
    assert "pay.api -> pay.views -> orders.checkout -> pay.api" in result.stdout
    assert snapshot(root) == before


def test_a_file_that_cannot_be_parsed_is_left_alone_and_reported(
    write_project: WriteProject,
) -> None:
    root = write_project({**SMALL, "orders/broken.py": "from pay.models import Payment\ndef (:\n"})
    result = run("seam", "pay", str(root), "--depth", "0", "--apply")
    assert result.exit_code == 0, result.output
    assert "Left alone: orders/broken.py: cannot be parsed" in result.stdout
    assert (
        (root / "orders" / "broken.py")
        .read_text(encoding="utf-8")
        .startswith("from pay.models import Payment")
    )


def test_imports_by_string_are_listed_with_the_name_to_export(
    write_project: WriteProject,
) -> None:
    root = write_project(
        {
            **SMALL,
            "orders/loader.py": """\
                from django.utils.module_loading import import_string

                Backend = import_string("pay.services.Error")
                """,
        }
    )
    result = run("seam", "pay", str(root), "--depth", "0", "--format", "json")
    remaining = json.loads(result.stdout)["seam"]["remaining"]
    assert [(r["path"], r["kind"], r["target"], r["suggestion"]) for r in remaining] == [
        ("orders/loader.py", "dynamic import", "pay.services", "pay.api.Error")
    ]
