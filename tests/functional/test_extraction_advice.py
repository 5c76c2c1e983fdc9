"""Extraction advice on fixtures/feature_shop, whose answer is known (see its README).

Two real capabilities (audit, wired only by signals; exports, with routes, a task, a
command and its own table) rank above the hubs (orders, catalog); the shared kernel, the
abstract mixins, the constants and the migrations-only app are set apart, whatever their
score. The cost sheets say what imports become, follow the transaction that locks rows
across components, list lookups, wiring, tests, migration steps and cascades.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from seamfinder.app.cli import main

FEATURE = str(Path(__file__).resolve().parents[2] / "fixtures" / "feature_shop")


def invoke(*args: str) -> Any:
    result = CliRunner().invoke(main, [*args, "--no-cache"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def sheet(*args: str) -> Any:
    return invoke("extract", *args, "--format", "json")["extraction"]


@pytest.fixture(scope="module")
def ranked() -> Any:
    return {
        c["component"]: c for c in invoke("candidates", FEATURE, "--format", "json")["candidates"]
    }


def test_capabilities_rank_first_hubs_next_and_what_is_no_service_last(ranked: Any) -> None:
    order = sorted(ranked, key=lambda name: ranked[name]["rank"])
    assert order == [
        "audit",
        "exports",
        "catalog",
        "orders",
        "constants",
        "legacy",
        "mixins",
        "kernel",
    ]
    viable = [name for name in order if ranked[name]["viable"]]
    assert viable == ["audit", "exports", "catalog", "orders"]
    # Set apart although they score higher than every hub: nothing stands in the way of
    # extracting nothing.
    assert ranked["constants"]["score"] == 100.0 > ranked["orders"]["score"]
    assert ranked["constants"]["set_apart"] == "below the size floor: 4 lines (< 30)"
    assert ranked["legacy"]["set_apart"].startswith("below the size floor")
    assert ranked["mixins"]["set_apart"].startswith("abstract models only (3)")
    assert ranked["kernel"]["set_apart"].startswith("a shared kernel")


def test_a_feature_wired_only_by_signals_is_viable_and_its_events_are_counted(
    ranked: Any,
) -> None:
    audit = ranked["audit"]
    assert audit["inbound_sites"] == 0 and audit["entry_points"] == ["2 receivers"]
    # post_save of orders.Order (a lazy label) and post_delete of catalog's Product
    # (apps.get_model): two events other components must publish.
    assert audit["events"] == 2
    events = next(f for f in audit["factors"] if f["name"] == "events")
    assert "post_save(orders.Order)" in events["detail"]
    assert "post_delete(catalog.Product)" in events["detail"]
    assert ranked["orders"]["events"] == ranked["catalog"]["events"] == 1


def test_type_only_and_enqueue_imports_are_no_calls(ranked: Any) -> None:
    exports = ranked["exports"]
    inbound = next(f for f in exports["factors"] if f["name"] == "inbound-calls")
    other = next(f for f in exports["factors"] if f["name"] == "inbound-other")
    # orders.api reads ExportJob: the one synchronous call. orders.views and orders.api
    # enqueue the task; orders.services names ExportJob under TYPE_CHECKING.
    assert inbound["value"] == 1
    assert other["value"] == 2 and "1 type-only dropped" in other["detail"]
    assert exports["entry_points"] == ["1 command", "3 routes", "1 task", "1 view"]


def test_writes_weigh_more_than_reads() -> None:
    from seamfinder.analysis.candidates import FACTORS

    weight = {f.name: (f.weight, f.half) for f in FACTORS}
    assert weight["inbound-writes"][0] > weight["inbound-reads"][0]
    assert weight["foreign-writes"][0] > weight["foreign-reads"][0]
    assert weight["inbound-writes"][1] < weight["inbound-reads"][1]


def test_the_exports_sheet_classifies_sites_and_lists_what_it_costs() -> None:
    found = sheet("exports", FEATURE)
    becomes = {
        (c["caller"], s["line"]): s["becomes"]
        for c in found["calls"]
        if c["direction"] == "inbound"
        for s in c["sites"]
    }
    assert becomes == {
        ("orders.api", 4): "call",
        ("orders.api", 5): "message",
        ("orders.services", 13): "type-only",
        ("orders.views", 5): "message",
    }
    api = next(c for c in found["calls"] if c["caller"] == "orders.api")
    assert api["request"] == "per request"
    # Tables read through lookup strings, two hops away.
    assert {(a["detail"], a["table"]) for a in found["lookups"]} >= {
        ("product__category__slug__isnull", "catalog_category"),
        ("order__email", "orders_order"),
    }
    needs = {u["table"]: u["lookups"] for u in found["foreign_tables"]}
    assert needs["catalog_category"] == 1
    effort = found["effort"]
    assert [(t["path"], t["module"]) for t in effort["tests"]] == [
        ("tests/test_exports.py", "exports.csvfile"),
        ("tests/test_exports.py", "exports.tasks"),
    ]
    steps = {m["table"]: m["steps"] for m in effort["migrations"]}
    assert steps["exports_exportjob"][0].startswith("create exports_exportjob")
    assert any("a plain id column" in step for step in steps["orders_order"])
    assert [(c["detail"], c["table"]) for c in effort["cascades"]] == [("order", "orders_order")]
    assert effort["monolith_modules"] == ["orders.api", "orders.views"]
    # orders.api calls exports and exports calls orders: a cycle by its own edges.
    ((cycle),) = found["cycles"]
    assert cycle["components"] == ["exports", "orders"]
    assert found["metrics"]["unchanged"] is True


def test_the_sheet_suggests_taking_the_adapter_along_with_its_effect() -> None:
    found = sheet("exports", FEATURE)
    assert found["suggestion"] == {
        "with": ["orders.api"],
        "calls_in": {"before": 1, "after": 0},
        "calls_out": {"before": 2, "after": 2},
    }
    taken = sheet("exports", FEATURE, "--with", "orders.api")
    assert [
        c
        for c in taken["calls"]
        if c["direction"] == "inbound" and "call" in [s["becomes"] for s in c["sites"]]
    ] == []
    assert taken["cycles"] == [] and taken["metrics"]["unchanged"] is False


def test_a_transaction_that_locks_rows_across_components_is_a_saga() -> None:
    found = sheet("orders", FEATURE)
    assert [(s["path"], s["scope"]) for s in found["sagas"]] == [
        ("orders/services.py", "place_order")
    ]
    assert [(a["scope"], a["table"]) for a in found["row_locks"]] == [
        ("place_order", "catalog_product")
    ]
    wiring = {(h["kind"], h["target"]) for h in found["hooks"]}
    assert wiring == {
        ("receiver", "orders.Order"),
        ("setting", "orders.middleware.CartMiddleware"),
    }


def test_a_call_left_behind_in_middleware_is_on_every_request() -> None:
    found = sheet("orders", FEATURE, "--without", "orders.middleware")
    middleware = next(c for c in found["calls"] if c["caller"] == "orders.middleware")
    assert middleware["request"] == "every request"
    assert [s["becomes"] for s in middleware["sites"]] == ["call"]


def test_with_inside_the_component_carves_a_feature_out() -> None:
    found = sheet("orders", FEATURE, "--with", "orders.services", "--with", "orders.models")
    assert found["modules"] == ["orders.models", "orders.services"]
    assert "orders.views" in found["left_behind"] and found["added"] == []


def test_with_a_model_class_moves_its_table_only() -> None:
    found = sheet("exports", FEATURE, "--with", "orders.models.OrderLine")
    assert found["tables_taken"] == ["orders_orderline"]
    assert "orders_orderline" in {t["table"] for t in found["tables"]}
    assert "orders.models" not in found["modules"]


def test_an_unknown_with_names_modules_and_model_classes() -> None:
    result = CliRunner().invoke(
        main, ["extract", "exports", FEATURE, "--with", "orders.nothing", "--no-cache"]
    )
    assert result.exit_code == 2
    assert "matches no module or model class" in result.output


@pytest.mark.parametrize("command", [["candidates"], ["extract", "exports"]])
def test_exit_zero_is_accepted_where_no_finding_can_fail_the_run(command: list[str]) -> None:
    result = CliRunner().invoke(main, [*command, FEATURE, "--exit-zero", "--no-cache"])
    assert result.exit_code == 0, result.output
