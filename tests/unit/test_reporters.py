"""Every output format, fed one hand-built report: snapshots plus structural checks.

The report has findings of every severity, with and without a location, with related
locations, unicode, and the characters each format must escape (``%``, ``:``, ``,``, line
breaks, ``|``, ``<``, backticks). Snapshots live in tests/snapshots/; after a deliberate
change, regenerate them with ``SEAMFINDER_UPDATE_SNAPSHOTS=1 python -m pytest
tests/unit/test_reporters.py`` and review the diff.
"""

from __future__ import annotations

import json
import os
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from seamfinder.core.model import (
    BaselineEntry,
    BaselineStatus,
    ChangeCoupling,
    Component,
    ComponentMetrics,
    CrossingTable,
    Cycle,
    DataAccess,
    Dependency,
    DependencyMatrix,
    Finding,
    GroupChurn,
    HistorySummary,
    ImportEdge,
    Location,
    ModelDef,
    OwnershipRow,
    Report,
    RuleInfo,
    Severity,
    Stats,
    TableOwner,
    TableUse,
    Transaction,
)
from seamfinder.report import FORMATS, MACHINE_FORMATS, RenderOptions, render

SNAPSHOTS = Path(__file__).resolve().parents[1] / "snapshots"
SCHEMA = Path(__file__).resolve().parents[1] / "schemas" / "sarif-schema-2.1.0.json"

ESCAPES = "100% of imports: a, b\nsecond line | <b>bold</b> `tick`"


def sample_report() -> Report:
    cut_site = ImportEdge(
        "shop.payments.gateway", "shop.orders.models", Location("payments/gateway.py", 2, 5)
    )
    back = ImportEdge(
        "shop.orders.services", "shop.payments.gateway", Location("orders/services.py", 1, 1)
    )
    orders_to_payments = Dependency("shop.orders", "shop.payments", (back,))
    payments_to_orders = Dependency("shop.payments", "shop.orders", (cut_site,))
    findings = (
        Finding(
            "SF101",
            "component-cycle",
            "import cycle between shop.orders, shop.payments; cheapest cut: remove shop.payments -> shop.orders (1 import)",
            Severity.ERROR,
            Location("payments/gateway.py", 2, 5),
            ("shop.orders", "shop.payments"),
            "shop.payments",
            "shop.orders",
            (Location("orders/services.py", 1, 1), Location("payments/legacy code/ünï.py", 14, 3)),
        ),
        Finding(
            "SF102",
            "layer-violation",
            "shop.core.money imports shop.web.views: layer 'core' sits below 'web' → café ✓ (contract 'layers')",
            Severity.ERROR,
            Location("core/money.py", 7, 1),
            ("layers", "shop.core.money", "shop.web.views"),
            "shop.core",
            "shop.web",
        ),
        Finding(
            "SF201",
            "cross-boundary-write",
            ESCAPES,
            Severity.WARNING,
            Location("payments/legacy code/ünï.py", 14, 3),
            ("shop.payments", "orders_order"),
            "shop.payments",
            "shop.orders",
        ),
        Finding(
            "SF002",
            "unused-suppression",
            "unused suppression: no SF103 finding on this line",
            Severity.WARNING,
            Location("web/views.py", 3, 24),
            ("web/views.py", "SF103"),
        ),
        Finding(
            "SF301",
            "unstable-component",
            "shop.core has instability 0.67 (Ce 2, Ca 1), above the maximum 0.20",
            Severity.INFO,
            None,
            ("shop.core",),
            "shop.core",
        ),
    )
    rules = (
        RuleInfo(
            "SF002",
            "unused-suppression",
            Severity.WARNING,
            "A suppression that suppresses nothing.",
            "Reports a `# seamfinder: ignore[...]` comment\nthat hid nothing.",
            "# SF002 unused-suppression\n\nDefault severity: warning\n",
        ),
        RuleInfo(
            "SF101",
            "component-cycle",
            Severity.ERROR,
            "Components import each other in a cycle.",
            "Finds **cycles** between components.",
            "# SF101 component-cycle\n\nDefault severity: error\n\n## What it does\nFinds cycles.\n",
        ),
        RuleInfo(
            "SF102",
            "layer-violation",
            Severity.ERROR,
            "A lower layer imports a higher one.",
            "",
            "",
        ),
        RuleInfo(
            "SF103",
            "forbidden-dependency",
            Severity.ERROR,
            "A forbidden import.",
            "x " * 600,
            "# SF103\n",
        ),
        RuleInfo(
            "SF301",
            "unstable-component",
            Severity.INFO,
            "Instability above the maximum.",
            "Ce / (Ca + Ce).",
            "# SF301\n",
        ),
    )
    components = (
        Component(
            "shop.core",
            "depth",
            ("shop.core", "shop.core.money"),
            40,
            "package at depth 1",
            package="shop.core",
        ),
        Component(
            "shop.orders",
            "depth",
            ("shop.orders", "shop.orders.models", "shop.orders.services"),
            120,
            "package at depth 1",
            package="shop.orders",
        ),
        Component(
            "shop.payments",
            "depth",
            ("shop.payments", "shop.payments.gateway"),
            80,
            "package at depth 1",
            package="shop.payments",
        ),
        Component("<root>", "root", ("shop",), 1, "modules that belong to no component"),
    )
    payment_write = DataAccess(
        "shop.orders.services",
        "payments_payment",
        "write",
        Location("shop/orders/services.py", 12, 9),
        "shop.orders",
        "checkout",
        "manager.create",
        "create",
    )
    return Report(
        root="shop",
        components=components,
        dependencies=(orders_to_payments, payments_to_orders),
        cycles=(
            Cycle(
                ("shop.orders", "shop.payments"),
                (payments_to_orders,),
                (orders_to_payments, payments_to_orders),
            ),
        ),
        metrics=(
            ComponentMetrics("shop.core", 0, 0, 0, 0),
            ComponentMetrics("shop.orders", 1, 1, 1, 1),
            ComponentMetrics("shop.payments", 1, 1, 1, 1),
            ComponentMetrics("<root>", 0, 0, 0, 0),
        ),
        findings=findings,
        stats=Stats(files_seen=9, files_analysed=9, files_failed=0, seconds=0.25),
        matrix=DependencyMatrix(
            ("shop.core", "shop.orders", "shop.payments", "<root>"),
            ((0, 0, 0, 0), (0, 0, 1, 0), (0, 1, 0, 0), (0, 0, 0, 0)),
        ),
        coupled_pairs=(("shop.orders", "shop.payments", 2),),
        rules=rules,
        baseline=BaselineStatus(
            path="seamfinder-baseline.json",
            recorded=4,
            known=2,
            new=5,
            fixed=(
                BaselineEntry(
                    "SF104",
                    "independence-violation",
                    ("contexts", "shop.a", "shop.b"),
                    "shop.a imports shop.b | x",
                    2,
                ),
            ),
            strict=True,
        ),
        changed_since="origin/main",
        models=(
            ModelDef(
                "shop.orders.models.Order",
                "orders_order",
                "shop.orders",
                Location("shop/orders/models.py", 5, 1),
                "django",
            ),
            ModelDef(
                "shop.payments.models.Payment",
                "payments_payment",
                "shop.payments",
                Location("shop/payments/models.py", 4, 1),
                "django",
            ),
        ),
        data_access=(payment_write,),
        transactions=(
            Transaction(
                "shop.orders.services",
                "shop.orders",
                Location("shop/orders/services.py", 9, 5),
                "checkout",
                "atomic",
                (payment_write,),
            ),
        ),
        tables=(
            TableOwner("orders_order", "shop.orders"),
            TableOwner("payments_payment", "shop.payments"),
        ),
        history=HistorySummary(120, 80, 3),
        change_coupling=(ChangeCoupling("shop.orders", "shop.payments", 21, 30, 34, 65, 0.4884),),
        hotspots=(GroupChurn("shop.orders", 30, 0, 0, 4, 1700000000, 1710000000),),
        data_matrix=(
            TableUse("shop.orders", "orders_order", "shop.orders", defines=1, reads=2, writes=1),
            TableUse("shop.orders", "payments_payment", "shop.payments", writes=1, relations=1),
            TableUse("shop.payments", "payments_payment", "shop.payments", defines=1),
        ),
        ownership=(
            OwnershipRow("shop.orders", 1, ("payments_payment",)),
            OwnershipRow("shop.payments", 1, ()),
        ),
        crossing_tables=(
            CrossingTable(
                "payments_payment",
                "shop.payments",
                (
                    TableUse(
                        "shop.orders", "payments_payment", "shop.payments", writes=1, relations=1
                    ),
                ),
            ),
        ),
    )


SNAPSHOT_FILES = {
    "terminal": "report.terminal.txt",
    "json": "report.json",
    "sarif": "report.sarif",
    "junit": "report.junit.xml",
    "github": "report.github.txt",
    "markdown": "report.md",
    "html": "report.html",
    "dot": "report.dot",
    "mermaid": "report.mermaid",
}


def rendered(format_name: str, **options: bool) -> str:
    return render(format_name, sample_report(), RenderOptions(width=100, **options))


def check_snapshot(name: str, text: str) -> None:
    path = SNAPSHOTS / name
    if os.environ.get("SEAMFINDER_UPDATE_SNAPSHOTS"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="\n")
    assert path.is_file(), f"missing snapshot {path}: run with SEAMFINDER_UPDATE_SNAPSHOTS=1"
    assert text == path.read_text(encoding="utf-8"), f"{name} differs from its snapshot"


def test_every_registered_format_has_a_snapshot() -> None:
    assert set(FORMATS) == set(SNAPSHOT_FILES)
    assert set(MACHINE_FORMATS) == {
        "json",
        "sarif",
        "junit",
        "github",
        "markdown",
        "html",
        "dot",
        "mermaid",
    }


@pytest.mark.parametrize("format_name", sorted(SNAPSHOT_FILES))
def test_format_matches_its_snapshot_and_is_byte_identical_across_runs(format_name: str) -> None:
    first, second = rendered(format_name), rendered(format_name)
    assert first == second
    check_snapshot(SNAPSHOT_FILES[format_name], first)


def test_check_terminal_output_matches_its_snapshot() -> None:
    text = rendered("terminal", findings_only=True)
    check_snapshot("report.check.txt", text)
    assert "seamfinder: 5 findings (2 errors, 2 warnings, 1 info)" in text
    assert "Fixed since the baseline:" in text and "(2x)" in text
    assert "Components" not in text  # check shows findings, not the whole report


def test_sarif_is_valid_against_the_oasis_schema_and_complete() -> None:
    import jsonschema

    document = json.loads(rendered("sarif"))
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    validator = jsonschema.Draft4Validator(
        schema, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER
    )
    errors = sorted(validator.iter_errors(document), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors)

    (run,) = document["runs"]
    driver = run["tool"]["driver"]
    ids = [rule["id"] for rule in driver["rules"]]
    assert ids == ["SF002", "SF101", "SF102", "SF103", "SF201", "SF301"]  # SF201: from its finding
    sf101 = driver["rules"][1]
    assert sf101["fullDescription"]["text"] == "Finds **cycles** between components."
    assert sf101["help"]["markdown"].startswith("# SF101 component-cycle")
    assert len(driver["rules"][3]["fullDescription"]["text"]) <= 1024
    assert run["originalUriBaseIds"]["%SRCROOT%"]

    results = run["results"]
    assert [(r["ruleId"], r["level"]) for r in results] == [
        ("SF101", "error"),
        ("SF102", "error"),
        ("SF201", "warning"),
        ("SF002", "warning"),
        ("SF301", "note"),
    ]
    for result in results:
        assert ids[result["ruleIndex"]] == result["ruleId"]
        assert result["partialFingerprints"]["seamfinder/v1"]
        assert result["baselineState"] == "new"
    cycle = results[0]
    location = cycle["locations"][0]["physicalLocation"]
    assert location["artifactLocation"] == {
        "uri": "shop/payments/gateway.py",
        "uriBaseId": "%SRCROOT%",
    }
    assert location["region"] == {"startLine": 2, "startColumn": 5}
    related = [r["physicalLocation"]["artifactLocation"]["uri"] for r in cycle["relatedLocations"]]
    assert related == ["shop/orders/services.py", "shop/payments/legacy%20code/%C3%BCn%C3%AF.py"]
    assert "locations" not in results[4]  # no location: none invented
    assert results[1]["message"]["text"].endswith("→ café ✓ (contract 'layers')")


def test_junit_is_well_formed_with_a_failure_per_finding_and_a_pass_per_clean_rule() -> None:
    text = rendered("junit")
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>\n')
    root = ET.fromstring(text.encode("utf-8"))
    (suite,) = root.findall("testsuite")
    cases = suite.findall("testcase")
    failing = [c for c in cases if c.find("failure") is not None]
    passing = [c for c in cases if c.find("failure") is None]
    assert (suite.get("tests"), suite.get("failures")) == (str(len(cases)), "5")
    assert [c.get("classname") for c in passing] == ["seamfinder.SF103.forbidden-dependency"]
    escaped = next(
        c for c in failing if c.get("classname") == "seamfinder.SF201.cross-boundary-write"
    )
    assert escaped.get("name") == ESCAPES  # round-trips through XML escaping
    assert escaped.get("file") == "shop/payments/legacy code/ünï.py" and escaped.get("line") == "14"
    failure = escaped.find("failure")
    assert failure is not None and "fingerprint: " in (failure.text or "")


def test_github_annotations_are_escaped_one_per_line() -> None:
    lines = rendered("github").splitlines()
    assert len(lines) == 5
    assert lines[0].startswith(
        "::error file=shop/payments/gateway.py,line=2,col=5,title=SF101 component-cycle::"
    )
    assert lines[0].endswith(
        "%0ARelated: shop/orders/services.py:1, shop/payments/legacy code/ünï.py:14"
    )
    assert lines[2] == (
        "::warning file=shop/payments/legacy code/ünï.py,line=14,col=3,title=SF201 cross-boundary-write::"
        "100%25 of imports: a, b%0Asecond line | <b>bold</b> `tick`"
    )
    assert lines[4].startswith("::notice title=SF301 unstable-component::")  # no location
    assert all(line.startswith(("::error ", "::warning ", "::notice ")) for line in lines)


def test_github_properties_escape_colons_and_commas() -> None:
    from seamfinder.report.github import _escape_property

    assert _escape_property("a:b,c%\n") == "a%3Ab%2Cc%25%0A"


def test_markdown_has_counts_delta_table_and_fixed_entries() -> None:
    text = rendered("markdown")
    assert text.startswith("## seamfinder: 5 findings (2 errors, 2 warnings, 1 info)\n")
    assert "Only findings that touch files changed since `origin/main`." in text
    assert (
        "**Baseline:** baseline seamfinder-baseline.json: 5 new, 2 known, 2 fixed (of 4 recorded)"
        in text
    )
    rows = [line for line in text.splitlines() if line.startswith("| ")]
    _header, *table = rows
    findings_rows = [r for r in table if r.startswith(("| error", "| warning", "| info"))]
    assert len(findings_rows) == 5
    cells = [re.split(r"(?<!\\)\|", row)[1:-1] for row in findings_rows]
    assert all(len(row) == 5 for row in cells), "a cell broke the table"
    escaped = next(r for r in findings_rows if "SF201" in r)
    assert "100% of imports: a, b<br>second line \\| &lt;b&gt;bold&lt;/b&gt; \\`tick\\`" in escaped
    assert "<details><summary>Fixed since the baseline (2)</summary>" in text


def test_json_carries_the_baseline_and_the_diff_base() -> None:
    document = json.loads(rendered("json"))
    assert document["changed_since"] == "origin/main"
    baseline = document["baseline"]
    assert (baseline["new"], baseline["known"], baseline["recorded"], baseline["strict"]) == (
        5,
        2,
        4,
        True,
    )
    assert baseline["fixed"][0]["count"] == 2
    assert [f["code"] for f in document["findings"]] == [
        "SF101",
        "SF102",
        "SF201",
        "SF002",
        "SF301",
    ]
