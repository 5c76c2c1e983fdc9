"""Repositories of services, end to end: detection, namespaces, verdict, service co-change."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from tests.functional.test_change_coupling import git, touch

from seamfinder.app.cli import main

REPO = Path(__file__).resolve().parents[2]
# The README's first command leaves a cache in the fixture; a copy starts without it.
CACHES = shutil.ignore_patterns(".seamfinder_cache")
FIXTURES = REPO / "fixtures"


def analyze(root: Path, *extra: str) -> tuple[int, dict]:  # type: ignore[type-arg]
    result = CliRunner().invoke(
        main, ["analyze", str(root), "--no-cache", "--format", "json", *extra]
    )
    assert result.exit_code in (0, 1), result.stderr
    return result.exit_code, json.loads(result.stdout)


def test_distributed_shop_services_each_in_its_own_namespace() -> None:
    code, document = analyze(FIXTURES / "distributed_shop")
    assert code == 1
    services = {s["name"]: s for s in document["services"]}
    assert {n: (s["kind"], s["detected_by"]) for n, s in services.items()} == {
        "billing": ("service", "compose"),
        "common": ("library", "markers"),
        "orders": ("service", "compose"),
        "shipping": ("service", "compose"),
    }
    # main.py and logger.py in every service: one module name each, in three namespaces.
    assert {"orders:main", "orders:logger", "orders:orders.api"} <= set(
        services["orders"]["modules"]
    )
    assert "billing:main" in services["billing"]["modules"]
    assert services["shipping"]["paths"] == ["services/shipping"]  # the Dockerfile's folder
    assert "nameko" not in services["orders"]["hostnames"]


def test_distributed_shop_verdict_lists_its_evidence() -> None:
    _, document = analyze(FIXTURES / "distributed_shop")
    pairs = {(p["a"], p["b"]): p for p in document["service_coupling"]}
    billing_orders = pairs[("billing", "orders")]
    assert [e["kind"] for e in billing_orders["evidence"]] == [
        "import",
        "shared-library",
        "shared-table",
        "shared-database",
        "call",
        "call-cycle",
    ]
    assert billing_orders["score"] == 100 and billing_orders["level"] == "distributed-monolith"
    assert (
        billing_orders["imports"],
        billing_orders["http_calls"],
        billing_orders["call_cycle"],
    ) == (
        1,
        2,
        True,
    )
    assert pairs[("orders", "shipping")]["score"] == 30 + 25 + 10  # table, database, one call
    assert pairs[("billing", "shipping")]["score"] == 30 + 25
    verdict = document["distributed_monolith"]
    assert (
        verdict["score"] == round((100 + 100 + 65) / 3)
        and verdict["level"] == "distributed-monolith"
    )
    calls = {(c["source"], c["target"], c["via"]) for c in document["service_calls"]}
    assert calls == {
        ("orders", "billing", "BILLING_URL=http://billing:8000"),
        ("billing", "orders", "URL orders:8000"),
        ("shipping", "orders", "ref ORDERS_URL"),
    }
    # Tables are qualified by the service whose code uses them.
    assert {t["table"] for t in document["tables"]} >= {"orders:orders", "billing:orders"}
    assert document["service_change_coupling"] is None


def test_clean_services_get_no_finding_and_exit_0() -> None:
    code, document = analyze(FIXTURES / "clean_services")
    assert code == 0 and document["findings"] == []
    assert [(s["name"], s["kind"]) for s in document["services"]] == [
        ("catalog", "service"),
        ("messaging", "library"),
        ("ordering", "service"),
    ]
    assert document["service_coupling"] == []
    assert document["distributed_monolith"]["score"] == 0
    terminal = CliRunner().invoke(main, ["analyze", str(FIXTURES / "clean_services"), "--no-cache"])
    assert terminal.exit_code == 0
    assert "Distributed monolith: 0/100 independent" in terminal.stdout


def test_one_project_has_no_services_section() -> None:
    _, document = analyze(FIXTURES / "django_shop")
    assert document["services"] == [] and document["distributed_monolith"] is None
    assert document["service_coupling"] == [] and document["service_change_coupling"] is None


def test_services_false_analyses_one_project_with_same_named_scripts_apart(tmp_path: Path) -> None:
    root = tmp_path / "shop"
    shutil.copytree(FIXTURES / "clean_services", root, ignore=CACHES)
    (root / "seamfinder.toml").write_text("services = false\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["analyze", str(root), "--no-cache", "-f", "json"])
    # Two main.py in two folders are two scripts, each run from its own folder: both are
    # analysed, named by their folder, and the decision is said.
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["services"] == []
    modules = {m for c in document["components"] for m in c["modules"]}
    assert {"services.catalog.main", "services.ordering.main"} <= modules
    notes = sorted((f["code"], f["path"]) for f in document["findings"])
    assert notes == [
        ("SF004", "services/catalog/logger.py"),
        ("SF004", "services/catalog/main.py"),
        ("SF004", "services/ordering/logger.py"),
        ("SF004", "services/ordering/main.py"),
    ]


def test_declared_services_replace_detection(tmp_path: Path) -> None:
    root = tmp_path / "shop"
    shutil.copytree(FIXTURES / "distributed_shop", root, ignore=CACHES)
    (root / "seamfinder.toml").write_text(
        '[services]\norders = "services/orders"\nbilling = "services/billing"\n'
        'common = { paths = ["libs/common"], kind = "library" }\n',
        encoding="utf-8",
    )
    _, document = analyze(root)
    assert [(s["name"], s["detected_by"]) for s in document["services"]] == [
        ("billing", "config"),
        ("common", "config"),
        ("orders", "config"),
    ]
    assert {f["code"] for f in document["findings"]} >= {"SF401", "SF406"}


@pytest.fixture
def shop_with_history(tmp_path: Path) -> Path:
    root = tmp_path / "shop"
    shutil.copytree(FIXTURES / "distributed_shop", root, ignore=CACHES)
    git(root, "init", "-q", "-b", "main")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "initial")
    day = 2
    # orders and billing change together 6 times (code and Dockerfile); billing alone 2
    # times; shipping alone 5 times.
    for _ in range(6):
        touch(root, "services/orders/orders/api.py", day)
        touch(root, "services/billing/Dockerfile", day)
        git(root, "commit", "-qam", f"orders+billing {day}", day=day)
        day += 1
    for name in ("services/billing/billing/api.py", "services/billing/requirements.txt"):
        touch(root, name, day)
        git(root, "commit", "-qam", f"billing {day}", day=day)
        day += 1
    for _ in range(5):
        touch(root, "services/shipping/shipping/api.py", day)
        git(root, "commit", "-qam", f"shipping {day}", day=day)
        day += 1
    # Tests are not part of a service's history.
    (root / "services" / "orders" / "tests").mkdir()
    (root / "services" / "orders" / "tests" / "test_api.py").write_text("x = 1\n", encoding="utf-8")
    (root / "services" / "shipping" / "tests").mkdir()
    (root / "services" / "shipping" / "tests" / "test_api.py").write_text(
        "x = 1\n", encoding="utf-8"
    )
    git(root, "add", ".")
    git(root, "commit", "-qm", "tests", day=day)
    return root


def test_service_change_coupling_from_git_history(shop_with_history: Path) -> None:
    _, document = analyze(shop_with_history, "--history")
    coupling = document["service_change_coupling"]
    assert coupling["level"] == "service"
    # 15 commits, 14 touching a unit (the tests are excluded); the initial commit touches
    # four units, within max-components-per-commit.
    assert (coupling["commits"], coupling["commits_grouped"], coupling["commits_left_out"]) == (
        15,
        14,
        0,
    )
    pairs = {(p["a"], p["b"]): p for p in coupling["pairs"]}
    pair = pairs[("billing", "orders")]
    # billing: initial + 6 + 2 = 9; orders: initial + 6 = 7; shared 7.
    assert (pair["shared"], pair["revisions_a"], pair["revisions_b"]) == (7, 9, 7)
    assert pair["degree"] == 200 * 7 // 16
    assert ("orders", "shipping") not in pairs  # one shared commit: below min-shared-revs
    hot = {h["service"]: h["revisions"] for h in coupling["hotspots"]}
    assert hot == {"billing": 9, "orders": 7, "shipping": 6, "common": 1}
    lockstep = [f for f in document["findings"] if f["code"] == "SF407"]
    assert [(f["source_component"], f["target_component"], f["path"]) for f in lockstep] == [
        ("billing", "orders", "services/billing/billing/__init__.py")
    ]
    score = {(p["a"], p["b"]): p for p in document["service_coupling"]}[("billing", "orders")]
    cochange = [e for e in score["evidence"] if e["kind"] == "co-change"]
    assert cochange[0]["weight"] == 30 * pair["degree"] // 100 and cochange[0]["count"] == 7
    # Component-level coupling is still there, in its own key.
    assert document["change_coupling"]["level"] == "component"


def test_release_commits_are_not_co_change(shop_with_history: Path) -> None:
    root = shop_with_history
    day = 20
    # Six releases touch shipping and orders together: by message, and one by its files
    # (only lock and version files); none of them makes the two look released in lockstep.
    for subject in ("release 1.4", "Bump versions", "v2.0.1", "chore(release): 2.1.0", "Release"):
        touch(root, "services/shipping/shipping/api.py", day)
        touch(root, "services/orders/orders/api.py", day)
        git(root, "commit", "-qam", subject, day=day)
        day += 1
    for folder in ("services/shipping", "services/orders"):
        (root / folder / "poetry.lock").write_text(f"# {day}\n", encoding="utf-8")
        (root / folder / "VERSION").write_text(f"1.{day}\n", encoding="utf-8")
    git(root, "add", ".")
    git(root, "commit", "-qm", "ship it", day=day)
    _, document = analyze(root, "--history")
    coupling = document["service_change_coupling"]
    assert (coupling["commits"], coupling["commits_release"]) == (15, 6)
    pairs = {(p["a"], p["b"]) for p in coupling["pairs"]}
    assert ("orders", "shipping") not in pairs
    # The same commits count once the patterns are emptied.
    (root / "seamfinder.toml").write_text(
        "[history]\nrelease-messages = []\nrelease-files = []\n", encoding="utf-8"
    )
    git(root, "add", ".")
    git(root, "commit", "-qm", "config", day=day + 1)
    _, document = analyze(root, "--history")
    coupling = document["service_change_coupling"]
    assert coupling["commits_release"] == 0
    assert ("orders", "shipping") in {(p["a"], p["b"]) for p in coupling["pairs"]}


def test_a_monorepo_of_apps_is_a_distributed_monolith_with_its_points_explained() -> None:
    _, document = analyze(FIXTURES / "shop_monorepo")
    services = {s["name"]: s for s in document["services"]}
    assert {n: (s["paths"], s["detected_by"]) for n, s in services.items()} == {
        "billing": (["apps/billing"], "compose"),
        "catalog": (["apps/catalog"], "compose"),
        "notifications": (["apps/notifications"], "compose"),
        "orders": (["apps/orders"], "compose"),
    }
    assert "pyproject.toml: depends on celery, fastapi" in services["orders"]["reason"]
    calls = {(c["source"], c["target"], c["protocol"], c["via"]) for c in document["service_calls"]}
    assert calls == {
        ("orders", "catalog", "http", "URL host.docker.internal:4010"),
        ("catalog", "orders", "http", "URL localhost:4020"),
        # The URL travels through an instance; the variable it comes from says where.
        ("notifications", "orders", "configured", "ORDERS_API=http://orders:8000"),
    }
    messages = {
        (m["source"], m["target"], m["library"], m["topic"]) for m in document["service_messages"]
    }
    assert messages == {
        ("orders", "billing", "celery", "billing.tasks.charge"),
        ("orders", "notifications", "redis", "order-events"),
        ("billing", "notifications", "kafka", "invoices"),
    }
    # Four services, one Postgres: connection parameters, a DSN and a compose URL.
    databases = {
        f["source_component"]: f["message"] for f in document["findings"] if f["code"] == "SF404"
    }
    assert set(databases) == {"billing", "catalog", "notifications", "orders"}
    assert all("postgresql://postgres:5432/shop_db" in m for m in databases.values())
    verdict = document["distributed_monolith"]
    parts = {p["kind"]: p["points"] for p in verdict["breakdown"]}
    assert sum(parts.values()) == verdict["score"] == 48
    assert parts == {"shared-database": 25, "call": 13, "call-cycle": 8, "message": 2}


def test_nameko_services_call_and_notify_each_other() -> None:
    _, document = analyze(FIXTURES / "rpc_shop")
    assert {s["name"]: s["detected_by"] for s in document["services"]} == {
        "gateway": "helm",
        "orders": "helm",
        "products": "helm",
    }
    calls = sorted((c["source"], c["target"], c["protocol"]) for c in document["service_calls"])
    assert calls == [
        ("gateway", "orders", "rpc"),
        ("gateway", "products", "rpc"),
        ("orders", "products", "rpc"),
        ("products", "orders", "rpc"),
    ]
    (event,) = document["service_messages"]
    assert (event["source"], event["target"], event["topic"], event["path"]) == (
        "orders",
        "products",
        "orders.order_created",
        "orders/orders/service.py",
    )
    result = CliRunner().invoke(main, ["analyze", str(FIXTURES / "rpc_shop"), "--no-cache"])
    assert "= shared-database 17 + call 17 + call-cycle 10 + message 3" in result.stdout
    assert "gateway -> orders: 1 rpc call" in result.stdout
    assert "orders -> products: 1 nameko event" in result.stdout
