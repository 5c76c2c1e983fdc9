"""Seams, metrics, candidates and the extraction sheet on the Django shop fixture.

What a reader of fixtures/django_shop (see fixtures/EXPECTATIONS.md) expects: notifications
is the easy extraction (nothing imports it, it owns its one table alone), orders and
billing are entangled (the only cycle, two transactions writing both, shared tables), core
is a shared kernel rather than a service.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from seamfinder.app.cli import main

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
SHOP = str(FIXTURES / "django_shop")


def invoke(*args: str) -> Any:
    result = CliRunner().invoke(main, [*args, "--no-cache"])
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def report() -> Any:
    return invoke("analyze", SHOP, "--format", "json")


def modules_of(report: Any, component: str) -> set[str]:
    return set(next(c for c in report["components"] if c["name"] == component)["modules"])


def test_each_app_stays_whole_and_inventory_joins_catalog(report: Any) -> None:
    seams = {s["label"]: set(s["modules"]) for s in report["seams"]["partitions"]}
    # shipping's signal handler loads Order by name (apps.get_model) and updates it: it
    # and the app config that connects it belong with orders.
    assert seams["orders"] == modules_of(report, "orders") | {"shipping.signals", "shipping.apps"}
    assert seams["billing"] == modules_of(report, "billing")
    # Stock rows copy the product's SKU and point at it: one seam around the product table.
    assert seams["inventory+catalog"] == modules_of(report, "inventory") | modules_of(
        report, "catalog"
    )
    # The abstract base model every app imports is a shared kernel, not anyone's seam.
    assert seams["shared kernel (core)"] == {"core.models"}
    # notifications' tasks and signals follow what they read (shipments, orders); its
    # e-mail log stays apart.
    assert seams["part of notifications"] == {"notifications.models", "notifications.services"}
    assert report["seams"]["agreement"] == 0.5962
    assert report["seams"]["misplaced"] == []


def test_metrics_of_the_apps_and_of_the_proposal(report: Any) -> None:
    declared, proposed = report["metrics"]["declared"], report["metrics"]["proposed"]
    assert (declared["partitions"], declared["modules"]) == (8, 42)
    # 24 of the 47 import statements between app modules cross apps (two of them
    # apps.get_model calls, which import by name).
    assert (declared["cross_import_sites"], declared["import_sites"], declared["icp"]) == (
        24,
        47,
        0.5106,
    )
    # Imports of a model are uses of its class, not data sites.
    assert (declared["data_sites_inside"], declared["data_sites"]) == (57, 87)
    assert declared["data_purity"] == 0.6552
    # Louvain maximises Q: the proposal is the better-cut partition of the same graph.
    assert proposed["modularity"] > declared["modularity"] == 0.3025
    assert proposed["data_purity"] > declared["data_purity"]


def test_a_lower_resolution_merges_orders_and_billing_first(tmp_path: Path) -> None:
    config = tmp_path / "seams.toml"
    config.write_text("[seams]\nresolution = 0.8\ndata = 0.5\n", encoding="utf-8")
    document = invoke("analyze", SHOP, "--format", "json", "--config", str(config))
    labels = [s["label"] for s in document["seams"]["partitions"]]
    assert "orders+billing" in labels
    assert document["seams"]["resolution"] == 0.8


def test_candidates_rank_notifications_first_orders_last_and_set_the_kernel_apart(
    report: Any,
) -> None:
    ranked = [c["component"] for c in report["candidates"]]
    assert ranked == [
        "notifications",
        "accounts",
        "catalog",
        "shipping",
        "inventory",
        "billing",
        "orders",
        "core",
    ]
    by_name = {c["component"]: c for c in report["candidates"]}
    notifications = by_name["notifications"]
    assert notifications["score"] == 90.6  # its get_model loads are uses, not reads
    assert (notifications["inbound_sites"], notifications["interface"]) == (0, [])
    assert notifications["owned_tables"] == ["notifications_emaillog"]
    assert notifications["shared_tables"] == [] and notifications["cycle"] == []
    # Its receivers hear orders' and shipping's saves: two events to subscribe to.
    assert notifications["events"] == 2
    assert notifications["entry_points"] == ["2 receivers", "2 tasks"]
    assert "nothing else calls it" in notifications["reasons"]
    assert "owns its 1 table alone" in notifications["reasons"]
    for entangled in ("orders", "billing"):
        assert by_name[entangled]["cycle"] == ["billing", "orders"]
        assert by_name[entangled]["transactions"] == 2
    assert by_name["billing"]["shared_tables"] == ["billing_payment"]
    assert by_name["orders"]["shared_tables"] == ["order_lines", "orders_order", "orders_ordernote"]
    assert by_name["billing"]["interface"] == [
        "payments.models.Payment",
        "payments.services.PaymentError",
        "payments.services.refund_order_payment",
        "payments.views",
    ]
    # The kernel scores well (nothing stands in its way) but is no service: listed last.
    core = by_name["core"]
    assert core["viable"] is False and core["score"] > by_name["billing"]["score"]
    assert core["set_apart"].startswith("a shared kernel")
    # The breakdown adds up: 100 minus the points, each from its weight and half-value.
    total = sum(f["weight"] for f in notifications["factors"])
    for candidate in report["candidates"]:
        points = sum(f["points"] for f in candidate["factors"])
        assert candidate["score"] == pytest.approx(100 - points, abs=0.05)
        for f in candidate["factors"]:
            expected = 100 * f["weight"] * f["value"] / (f["value"] + f["half"]) / total
            assert f["points"] == pytest.approx(expected if f["value"] else 0, abs=0.051)


def test_candidates_command_matches_the_report(report: Any) -> None:
    document = invoke("candidates", SHOP, "--format", "json")
    assert document["candidates"] == report["candidates"]
    text = CliRunner().invoke(main, ["candidates", SHOP, "--no-cache"]).stdout
    assert "1. notifications: 90.6" in text and "foreign-reads" in text
    assert "Set apart: not services (1)" in text


def extraction(*args: str) -> Any:
    return invoke("extract", *args, "--format", "json")["extraction"]


def test_extracting_notifications_is_cheap() -> None:
    sheet = extraction("notifications", SHOP)
    assert [c for c in sheet["calls"] if c["direction"] == "inbound"] == []
    assert sheet["interface"] == []
    outbound = {c["caller"]: [n["symbol"] for n in c["names"]] for c in sheet["calls"]}
    assert outbound == {
        "notifications.models": ["core.models.TimeStampedModel"],
        "notifications.services": ["orders.models.OrderNote"],
        "notifications.signals": ["orders.models.Order"],
        "notifications.tasks": ["orders.models", "shipping.models.Shipment"],
    }
    assert sheet["tables"] == [
        {"table": "notifications_emaillog", "module": "notifications.models", "users": []}
    ]
    assert (sheet["relations"], sheet["sagas"], sheet["cycles"]) == ([], [], [])
    # What it still reads and writes of others becomes API calls to them.
    assert {u["table"] for u in sheet["foreign_tables"]} == {
        "accounts_customer",
        "orders_order",
        "orders_ordernote",
        "shipping_shipment",
    }
    assert sheet["metrics"]["before"] == sheet["metrics"]["after"]


def test_extracting_billing_breaks_the_cycle_the_transactions_and_foreign_keys() -> None:
    sheet = extraction("billing", SHOP)
    inbound = {
        c["caller"]: [n["symbol"] for n in c["names"]]
        for c in sheet["calls"]
        if c["direction"] == "inbound"
    }
    assert inbound == {
        "orders.services": ["payments.models.Payment"],
        "orders.views": [
            "payments.services.PaymentError",
            "payments.services.refund_order_payment",
        ],
        "shop.urls": ["payments.views"],
    }
    payment = next(t for t in sheet["tables"] if t["table"] == "billing_payment")
    users = {u["component"]: (u["writes"], u["reads"], u["relations"]) for u in payment["users"]}
    assert users == {"orders": (2, 0, 0), "shipping": (0, 0, 1)}  # its import is a use
    assert [(r["path"], r["line"], r["table"]) for r in sheet["relations"]] == [
        ("payments/models.py", 15, "orders_order"),
        ("payments/models.py", 26, "accounts_user"),
        ("shipping/models.py", 17, "billing_payment"),
    ]
    assert [(s["path"], s["line"], s["scope"]) for s in sheet["sagas"]] == [
        ("orders/services.py", 27, "place_order"),
        ("orders/services.py", 43, "cancel_order"),
    ]
    ((cycle),) = sheet["cycles"]
    assert cycle["components"] == ["billing", "orders"] and cycle["cut_imports"] == 1


def test_taking_orders_services_into_billing_makes_it_worse() -> None:
    sheet = extraction("billing", SHOP, "--with", "orders.services")
    assert sheet["added"] == ["orders.services"]
    before, after = sheet["metrics"]["before"], sheet["metrics"]["after"]
    assert (before["icp"], after["icp"]) == (0.5106, 0.5532)
    assert after["data_purity"] < before["data_purity"]
    assert len(sheet["interface"]) == 7  # orders' views and tasks now call into billing


def test_unknown_component_or_module_exits_2_with_the_choices() -> None:
    result = CliRunner().invoke(main, ["extract", "payments", SHOP, "--no-cache"])
    assert result.exit_code == 2
    assert "no component 'payments' (components: accounts, billing, catalog, core," in result.stderr
    result = CliRunner().invoke(
        main, ["extract", "billing", SHOP, "--no-cache", "--without", "payments.nope"]
    )
    assert result.exit_code == 2
    assert "its modules: payments" in result.stderr
    result = CliRunner().invoke(
        main, ["extract", "billing", SHOP, "--no-cache", "--with", "orders.servce"]
    )
    assert result.exit_code == 2 and "orders.services" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_check_computes_no_seams() -> None:
    result = CliRunner().invoke(main, ["check", SHOP, "--no-cache", "--format", "json"])
    document = json.loads(result.stdout)
    assert (document["seams"], document["metrics"], document["candidates"]) == (None, None, [])


def test_decomposition_fitness_thresholds_fail_the_run(tmp_path: Path) -> None:
    config = tmp_path / "fitness.toml"
    config.write_text(
        "[rules.SF305]\nmin-data-purity = 0.9\nmax-icp = 0.55\nmin-modularity = 0.29\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(
        main,
        ["check", SHOP, "--no-cache", "--select", "SF305", "--config", str(config)],
    )
    assert result.exit_code == 1
    lines = [line for line in result.stdout.splitlines() if "SF305" in line]
    assert lines == [
        "SF305 [decomposition-fitness] data purity of the components is 0.655, below the "
        "minimum 0.9 (8 components, 42 modules)"
    ]


def test_bad_seams_settings_name_the_field(tmp_path: Path) -> None:
    for text, field in (
        ("[seams]\nresolution = 0\n", "seams.resolution"),
        ("[seams]\npart-size = [20, 5]\n", "seams.part-size"),
        ("[seams]\nimports = 0\ndata = 0\ncochange = 0\n", "seams.imports"),
        ("[seams]\nresolutoin = 1\n", "seams.resolutoin: unknown key (did you mean 'resolution'?)"),
        ("[rules.SF305]\nmax-icp = 2\n", "rules.SF305.max-icp"),
    ):
        config = tmp_path / "bad.toml"
        config.write_text(text, encoding="utf-8")
        result = CliRunner().invoke(main, ["analyze", SHOP, "--no-cache", "--config", str(config)])
        assert result.exit_code == 2, text
        assert field in result.stderr, result.stderr
