"""``seamfinder check``, ``baseline`` and ``rules`` on small projects written for each test."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

from click.testing import CliRunner

from seamfinder.app.cli import main

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "fixtures"

LAYERS = """
[tool.seamfinder]
layers = ["shop.web", "shop.orders | shop.payments", "shop.core"]
"""

# Clean: web -> orders -> core, web -> payments -> core.
SHOP: dict[str, str] = {
    "pyproject.toml": LAYERS,
    "shop/__init__.py": "",
    "shop/web/__init__.py": "",
    "shop/web/views.py": "from shop.orders import services\nfrom shop.payments import gateway\n",
    "shop/orders/__init__.py": "",
    "shop/orders/services.py": "from shop.core import money\n",
    "shop/orders/models.py": "",
    "shop/payments/__init__.py": "",
    "shop/payments/gateway.py": "from shop.core import money\n",
    "shop/payments/refunds.py": "",
    "shop/core/__init__.py": "",
    "shop/core/money.py": "",
}
# payments and orders are independent siblings: this import is one SF102 finding.
SIBLING = "from shop.core import money\nfrom shop.orders import models\n"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def check_json(root: Path, *extra: str) -> tuple[int, list[dict], str]:  # type: ignore[type-arg]
    code, out, err = run("check", str(root), "--no-cache", "--format", "json", *extra)
    assert code in (0, 1), err
    return code, json.loads(out)["findings"], err


def project(write_project, **changes: str) -> Path:  # type: ignore[no-untyped-def]
    files: Mapping[str, str] = {
        **SHOP,
        **{k.replace("__", "/").replace("_py", ".py"): v for k, v in changes.items()},
    }
    return write_project(files)  # type: ignore[no-any-return]


def test_clean_project_exits_0_and_says_so(write_project) -> None:  # type: ignore[no-untyped-def]
    root = write_project(SHOP)
    code, out, _ = run("check", str(root), "--no-cache")
    assert code == 0
    assert out == "seamfinder: no findings\n"


def test_layer_violation_exits_1_with_one_finding_per_statement(write_project) -> None:  # type: ignore[no-untyped-def]
    root = write_project({**SHOP, "shop/payments/gateway.py": SIBLING})
    code, out, _ = run("check", str(root), "--no-cache")
    assert code == 1
    assert out.splitlines() == [
        "shop/payments/gateway.py:2:1 SF102 [layer-violation] shop.payments.gateway imports "
        "shop.orders.models: 'shop.payments' and 'shop.orders' are independent siblings of one layer "
        "(contract 'layers')",
        "seamfinder: 1 finding (1 error)",
    ]
    code, findings, err = check_json(root)
    (finding,) = findings
    assert finding["subjects"] == ["layers", "shop.payments.gateway", "shop.orders.models"]
    assert (finding["source_component"], finding["target_component"]) == (
        "shop.payments",
        "shop.orders",
    )
    assert (
        err == "seamfinder: 1 finding (1 error)\n"
    )  # machine format on stdout: the count on stderr


def test_upward_import_is_reported_and_fail_on_and_severity_apply(write_project) -> None:  # type: ignore[no-untyped-def]
    root = write_project(
        {**SHOP, "shop/core/money.py": "import typing\nfrom shop.web import views\n"}
    )
    code, findings, _ = check_json(root, "--select", "SF102")
    assert code == 1
    assert [(f["code"], f["path"], f["line"]) for f in findings] == [
        ("SF102", "shop/core/money.py", 2)
    ]
    assert "layer 'shop.core' sits below 'shop.web'" in findings[0]["message"]
    assert run("check", str(root), "--no-cache", "--select", "SF102", "--exit-zero")[0] == 0
    assert run("check", str(root), "--no-cache", "--select", "SF102", "--fail-on", "never")[0] == 0
    (root / "pyproject.toml").write_text(
        LAYERS + '[tool.seamfinder.rules.SF102]\nseverity = "warning"\n'
    )
    assert run("check", str(root), "--no-cache", "--select", "SF102")[0] == 0
    assert (
        run("check", str(root), "--no-cache", "--select", "SF102", "--fail-on", "warning")[0] == 1
    )


def test_forbidden_independence_and_public_interface_contracts(write_project) -> None:  # type: ignore[no-untyped-def]
    config = """
[tool.seamfinder.components]
web = ["shop.web"]
core = ["shop.core"]
payments = ["shop.payments"]
orders = { modules = ["shop.orders"], public = ["shop.orders.services"] }

[[tool.seamfinder.contracts]]
name = "core is pure"
type = "forbidden"
source = ["core"]
forbidden = ["web", "shop.orders"]

[[tool.seamfinder.contracts]]
name = "contexts"
type = "independence"
components = ["orders", "payments"]
"""
    root = write_project(
        {
            **SHOP,
            "pyproject.toml": "[tool.seamfinder]\n" + config,
            "shop/core/money.py": "from shop.orders import services\n",
            "shop/payments/gateway.py": "from shop.orders import models\n",
        }
    )
    code, findings, _ = check_json(
        root, "--select", "SF103", "--select", "SF104", "--select", "SF105"
    )
    assert code == 1
    assert sorted((f["code"], f["path"], f["line"], f["subjects"][0]) for f in findings) == [
        ("SF103", "shop/core/money.py", 1, "core is pure"),
        ("SF104", "shop/payments/gateway.py", 1, "contexts"),
        ("SF105", "shop/payments/gateway.py", 1, "orders"),
    ]
    sf105 = next(f for f in findings if f["code"] == "SF105")
    assert sf105["message"] == (
        "shop.payments.gateway imports shop.orders.models, which is not in the public interface "
        "of 'orders' (shop.orders.services)"
    )


def test_coupling_thresholds_are_opt_in_and_per_component_values_win(write_project) -> None:  # type: ignore[no-untyped-def]
    root = write_project(SHOP)
    assert check_json(root, "--select", "SF3")[1] == []
    (root / "pyproject.toml").write_text(
        LAYERS
        + '[tool.seamfinder.rules.SF303]\nmax-fan-out = 1\nper-component = { "shop.web" = 2 }\n'
        + "[tool.seamfinder.rules.SF302]\nmax-fan-in = 1\n"
        + '[tool.seamfinder.rules.SF301]\nper-component = { "shop.core" = 0.0, "shop.orders" = 0.4 }\n'
    )
    code, findings, _ = check_json(root, "--select", "SF3")
    assert code == 1
    assert [(f["code"], f["subjects"], f["path"]) for f in findings] == [
        ("SF302", ["shop.core"], "shop/core/__init__.py"),
        ("SF301", ["shop.orders"], "shop/orders/__init__.py"),
    ]
    assert (
        findings[0]["message"]
        == "2 components depend on shop.core (fan-in, 2 imports), above the maximum 1"
    )
    assert (
        findings[1]["message"]
        == "shop.orders has instability 0.50 (Ce 1, Ca 1), above the maximum 0.40"
    )
    # shop.web depends on two components: above the global fan-out 1, within its own 2.


def test_bad_config_exits_2_naming_the_field(write_project) -> None:  # type: ignore[no-untyped-def]
    cases = {
        '[tool.seamfinder]\nlayers = ["shop.web", "shop.api"]\n': (
            "pyproject.toml: tool.seamfinder.layers.layers: 'shop.api' matches no component or module"
        ),
        "[tool.seamfinder.rules.SF301]\nmax-instability = 2\n": (
            "pyproject.toml: tool.seamfinder.rules.SF301.max-instability: expected a number from 0 to 1, got 2"
        ),
        "[tool.seamfinder.rules.SF303]\nper-component = { nope = 1 }\n": (
            "pyproject.toml: tool.seamfinder.rules.SF303.per-component.nope: no component named 'nope'"
        ),
        "[[tool.seamfinder.contracts]]\ntype = 'forbidden'\nsource = ['shop.core']\nforbiden = ['x']\n": (
            "pyproject.toml: tool.seamfinder.contracts[0].forbidden: required"
        ),
    }
    for toml, message in cases.items():
        root = write_project({**SHOP, "pyproject.toml": toml})
        code, out, err = run("check", str(root), "--no-cache")
        assert code == 2, (toml, out, err)
        assert err.startswith("seamfinder: error: ") and message in err, err
        assert err.count("\n") == 1


def test_baseline_lifecycle(write_project, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    root = write_project({**SHOP, "shop/payments/gateway.py": SIBLING})
    assert run("check", str(root), "--no-cache")[0] == 1

    # 1. Record today's finding: check passes and says what the baseline holds.
    code, _, err = run("baseline", str(root), "--no-cache")
    assert code == 0 and "1 finding under 1 fingerprint" in err
    written = (root / "seamfinder-baseline.json").read_text(encoding="utf-8")
    (entry,) = json.loads(written)["findings"]
    assert entry["subjects"] == ["layers", "shop.payments.gateway", "shop.orders.models"]
    assert entry["count"] == 1 and entry["code"] == "SF102" and "line" not in entry
    code, out, _ = run("check", str(root), "--no-cache")
    assert code == 0
    assert "baseline " in out and "0 new, 1 known, 0 fixed (of 1 recorded)" in out

    # 2. An edit above the baselined import moves its line, not its identity.
    (root / "shop/payments/gateway.py").write_text("# moved\n\n" + SIBLING)
    assert run("check", str(root), "--no-cache")[0] == 0

    # 3. A new violation fails, and so does a second statement with a baselined fingerprint.
    (root / "shop/payments/refunds.py").write_text("from shop.orders import services\n")
    code, findings, err = check_json(root)
    assert code == 1
    assert [(f["path"], f["line"]) for f in findings] == [("shop/payments/refunds.py", 1)]
    assert "1 new, 1 known, 0 fixed" in err
    (root / "shop/payments/refunds.py").write_text("")
    (root / "shop/payments/gateway.py").write_text(SIBLING + "import shop.orders.models\n")
    code, findings, _ = check_json(root)
    assert code == 1 and [(f["path"], f["line"]) for f in findings] == [
        ("shop/payments/gateway.py", 3)
    ]

    # 4. Fixing the baselined one passes, but --strict fails until the baseline shrinks.
    (root / "shop/payments/gateway.py").write_text("from shop.core import money\n")
    code, out, _ = run("check", str(root), "--no-cache")
    assert code == 0 and "0 new, 0 known, 1 fixed (of 1 recorded)" in out
    assert "Fixed since the baseline:" in out
    code, out, _ = run("check", str(root), "--no-cache", "--strict")
    assert code == 1 and "--strict: fails until `seamfinder baseline` rewrites it" in out
    assert run("baseline", str(root), "--no-cache")[0] == 0
    assert json.loads((root / "seamfinder-baseline.json").read_text())["findings"] == []
    assert run("check", str(root), "--no-cache", "--strict")[0] == 0

    # 5. An explicit baseline elsewhere; missing or corrupt is exit 2 with one clear line.
    elsewhere = tmp_path / "ci" / "base.json"
    assert run("baseline", str(root), "--no-cache", "--baseline", str(elsewhere))[0] == 0
    assert elsewhere.is_file()
    code, _, err = run(
        "check", str(root), "--no-cache", "--baseline", str(tmp_path / "missing.json")
    )
    assert code == 2
    assert (
        err
        == f"seamfinder: error: {tmp_path / 'missing.json'}: no such baseline file (create it with `seamfinder baseline`)\n"
    )
    (root / "seamfinder-baseline.json").write_text("{oops", encoding="utf-8")
    code, _, err = run("check", str(root), "--no-cache")
    assert code == 2 and "not a seamfinder baseline: invalid JSON" in err


def test_baseline_is_byte_identical_and_keeps_rules_that_did_not_run(write_project) -> None:  # type: ignore[no-untyped-def]
    root = write_project(
        {**SHOP, "shop/payments/gateway.py": SIBLING, "shop/core/broken.py": "def f(:\n"}
    )
    run("baseline", str(root), "--no-cache")
    first = (root / "seamfinder-baseline.json").read_bytes()
    run("baseline", str(root), "--no-cache")
    assert (root / "seamfinder-baseline.json").read_bytes() == first
    codes = [e["code"] for e in json.loads(first)["findings"]]
    assert codes == ["SF001", "SF102"]
    # Rewriting with only SF1 keeps the SF001 entry; checking with only SF1 reports no fix.
    run("baseline", str(root), "--no-cache", "--select", "SF1")
    assert (root / "seamfinder-baseline.json").read_bytes() == first
    code, out, _ = run("check", str(root), "--no-cache", "--select", "SF1", "--strict")
    assert code == 0 and "0 fixed" in out


def test_suppressions_used_and_unused_and_analyze_agrees(write_project) -> None:  # type: ignore[no-untyped-def]
    root = write_project(
        {
            **SHOP,
            "shop/payments/gateway.py": (
                "from shop.core import money  # seamfinder: ignore[SF103] stale\n"
                "from shop.orders import models  # seamfinder: ignore[SF102] until the split\n"
            ),
            "shop/payments/refunds.py": 'from shop.orders import services; NOTE = "# seamfinder: ignore[SF102]"\n',
        }
    )
    code, findings, _ = check_json(root)
    assert code == 1  # the string literal suppressed nothing
    assert sorted((f["code"], f["path"], f["line"]) for f in findings) == [
        ("SF002", "shop/payments/gateway.py", 1),
        ("SF102", "shop/payments/refunds.py", 1),
    ]
    sf002 = next(f for f in findings if f["code"] == "SF002")
    assert sf002["severity"] == "warning"
    assert sf002["message"] == "unused suppression: no SF103 finding on this line"
    _, out, _ = run("analyze", str(root), "--no-cache", "--format", "json")
    assert sorted(f["code"] for f in json.loads(out)["findings"]) == ["SF002", "SF102"]
    (root / "shop/payments/refunds.py").write_text("")
    assert run("check", str(root), "--no-cache")[0] == 0  # a warning is below fail-on
    assert run("check", str(root), "--no-cache", "--fail-on", "warning")[0] == 1


def test_several_formats_to_files_and_one_to_stdout(write_project, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    root = write_project({**SHOP, "shop/payments/gateway.py": SIBLING})
    sarif, junit = tmp_path / "out.sarif", tmp_path / "out.xml"
    code, out, err = run(
        "check",
        str(root),
        "--no-cache",
        "-f",
        "sarif",
        "-o",
        str(sarif),
        "-f",
        "junit",
        "-o",
        str(junit),
        "-f",
        "github",
    )
    assert code == 1
    assert json.loads(sarif.read_text())["runs"][0]["results"][0]["ruleId"] == "SF102"
    assert "<failure " in junit.read_text()
    assert out.startswith("::error file=") and out.count("\n") == 1
    assert err == "seamfinder: 1 finding (1 error)\n"


def test_rules_lists_and_explains_the_catalog() -> None:
    code, out, _ = run("rules")
    assert code == 0
    assert "SF101  component-cycle" in out and "SF102  layer-violation" in out
    code, out, _ = run("rules", "--format", "json")
    rules = {r["code"]: r for r in json.loads(out)}
    assert rules["SF105"]["name"] == "non-public-import" and rules["SF002"]["severity"] == "warning"
    assert rules["SF101"]["description"].startswith("Finds components that import each other")
    by_code = run("rules", "explain", "SF102")[1]
    by_name = run("rules", "explain", "layer-violation")[1]
    assert by_code == by_name == (REPO / "rules" / "SF102.md").read_text(encoding="utf-8")
    code, _, err = run("rules", "explain", "SF999")
    assert code == 2 and "no rule 'SF999'" in err


def test_real_subprocess_exit_codes_and_streams(write_project) -> None:  # type: ignore[no-untyped-def]
    clean = write_project(SHOP)
    env = {**os.environ, "NO_COLOR": "1"}

    def check(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "seamfinder", "check", str(root), "--no-cache", *args],
            capture_output=True,
            text=True,
            env=env,
            check=False,
        )

    done = check(clean)
    assert (done.returncode, done.stdout) == (0, "seamfinder: no findings\n"), done.stderr
    (clean / "shop/payments/gateway.py").write_text(SIBLING)
    done = check(clean, "--format", "sarif")
    assert done.returncode == 1, done.stderr
    assert json.loads(done.stdout)["version"] == "2.1.0"
    assert done.stderr == "seamfinder: 1 finding (1 error)\n"
    done = check(clean / "nope")
    assert done.returncode == 2 and "no such file or directory" in done.stderr


def test_shipped_fixtures_clean_and_django_shop() -> None:
    assert run("check", str(FIXTURES / "clean_modular"), "--no-cache")[0] == 0
    code, findings, _ = check_json(FIXTURES / "django_shop")
    assert code == 1
    assert "SF101" in {f["code"] for f in findings}
