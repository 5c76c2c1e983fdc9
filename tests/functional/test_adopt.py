"""Contracts already declared for import-linter or tach are checked without rewriting them."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from click.testing import CliRunner

from seamfinder.app.cli import main
from seamfinder.config.adopt import adopt
from seamfinder.config.contracts import (
    ForbiddenContract,
    IndependenceContract,
    LayersContract,
)
from seamfinder.config.settings import Config

sys.path.insert(0, str(Path(__file__).resolve().parent))
from test_check import SHOP, SIBLING

CODE = {k: v for k, v in SHOP.items() if k != "pyproject.toml"}


def findings(root: Path) -> list[tuple[str, str, str]]:
    result = CliRunner().invoke(main, ["check", str(root), "--no-cache", "--format", "json"])
    assert result.exit_code in (0, 1), result.stderr
    return [(f["path"], f["code"], f["subjects"][0]) for f in json.loads(result.stdout)["findings"]]


def test_importlinter_ini_layers_with_containers_are_checked(write_project) -> None:  # type: ignore[no-untyped-def]
    ini = """
[importlinter]
root_package = shop

[importlinter:contract:layers]
name = Shop layers
type = layers
containers =
    shop
layers =
    web
    orders | payments
    (api)
    core
ignore_imports =
    shop.web.views -> shop.core.money

[importlinter:contract:private]
name = Not supported
type = private_modules
"""
    root = write_project({**CODE, ".importlinter": ini, "shop/payments/gateway.py": SIBLING})
    # The ignored import matches nothing: import-linter fails on that too (SF109).
    assert findings(root) == [
        (".importlinter", "SF003", "Not supported"),
        (".importlinter", "SF109", "Shop layers"),
        ("shop/payments/gateway.py", "SF102", "Shop layers"),
    ]
    contract, unchecked = adopt(root, Config()).contracts
    assert isinstance(contract, LayersContract)
    assert contract.containers == ("shop",)
    assert [str(layer) for layer in contract.layers] == [
        "web",
        "orders | payments",
        "(api)",
        "core",
    ]
    assert unchecked.unchecked == ("type = private_modules: not checked by seamfinder",)


def test_importlinter_pyproject_forbidden_and_independence(write_project) -> None:  # type: ignore[no-untyped-def]
    pyproject = """
[tool.importlinter]
root_package = "shop"

[[tool.importlinter.contracts]]
name = "Core is pure"
type = "forbidden"
source_modules = ["shop.core"]
forbidden_modules = ["shop.web", "django"]

[[tool.importlinter.contracts]]
name = "Contexts"
type = "independence"
modules = ["shop.orders", "shop.payments"]
"""
    root = write_project(
        {
            **CODE,
            "pyproject.toml": pyproject,
            "shop/core/money.py": "from shop.web import views\n",
            "shop/payments/gateway.py": SIBLING,
        }
    )
    assert sorted(findings(root)) == [
        # django is outside the project and include_external_packages is not set
        ("pyproject.toml", "SF003", "Core is pure"),
        ("shop/core/money.py", "SF101", "shop.core"),  # core -> web -> orders -> core
        ("shop/core/money.py", "SF103", "Core is pure"),
        # Each reaches the other indirectly, through core.money -> web.views, as
        # lint-imports reports it; and payments.gateway imports orders.models directly.
        ("shop/orders/services.py", "SF104", "Contexts"),
        ("shop/payments/gateway.py", "SF104", "Contexts"),
        ("shop/payments/gateway.py", "SF104", "Contexts"),
    ]
    forbidden, independence = adopt(root, Config()).contracts
    assert isinstance(forbidden, ForbiddenContract) and isinstance(
        independence, IndependenceContract
    )
    assert not forbidden.include_external


def test_tach_modules_become_components_layers_and_depends_on(write_project) -> None:  # type: ignore[no-untyped-def]
    tach = """
layers = ["ui", "domain", "base"]

[[modules]]
path = "shop.web"
layer = "ui"
depends_on = ["shop.orders", "shop.payments"]

[[modules]]
path = "shop.orders"
layer = "domain"
depends_on = ["shop.core"]

[[modules]]
path = "shop.payments"
layer = "domain"
depends_on = ["shop.core"]

[[modules]]
path = "shop.core"
layer = "base"
depends_on = []
"""
    root = write_project({**CODE, "tach.toml": tach, "shop/payments/gateway.py": SIBLING})
    config = adopt(root, Config())
    assert [c.name for c in config.components] == [
        "shop.core",
        "shop.orders",
        "shop.payments",
        "shop.web",
    ]
    assert config.source == "tach.toml"
    # Same layer (domain) is allowed by the layers; depends_on forbids it.
    assert findings(root) == [("shop/payments/gateway.py", "SF103", "tach")]


def test_seamfinder_declarations_win_over_adopted_ones(write_project) -> None:  # type: ignore[no-untyped-def]
    ini = "[importlinter]\nroot_package = shop\n[importlinter:contract:x]\nname = X\ntype = independence\nmodules =\n    shop.orders\n    shop.payments\n"
    root = write_project({**SHOP, ".importlinter": ini, "shop/payments/gateway.py": SIBLING})
    # SHOP's own pyproject declares layers: the import-linter contract is not adopted.
    assert findings(root) == [("shop/payments/gateway.py", "SF102", "layers")]
