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
    return [(f["code"], f["path"], f["subjects"][0]) for f in json.loads(result.stdout)["findings"]]


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

[importlinter:contract:acyclic]
name = Not supported
type = acyclic_siblings
"""
    root = write_project({**CODE, ".importlinter": ini, "shop/payments/gateway.py": SIBLING})
    assert findings(root) == [("SF102", "shop/payments/gateway.py", "Shop layers")]
    (contract,) = adopt(root, Config()).contracts
    assert isinstance(contract, LayersContract)
    assert [str(layer) for layer in contract.layers] == [
        "shop.web",
        "shop.orders | shop.payments",
        "(shop.api)",
        "shop.core",
    ]


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
        ("SF101", "shop/core/money.py", "shop.core"),  # core -> web -> orders -> core
        ("SF103", "shop/core/money.py", "Core is pure"),
        ("SF104", "shop/payments/gateway.py", "Contexts"),
    ]
    forbidden, independence = adopt(root, Config()).contracts
    assert isinstance(forbidden, ForbiddenContract) and isinstance(
        independence, IndependenceContract
    )
    assert [e.optional for e in forbidden.forbidden] == [True, True]  # django is not in the graph


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
    # Same layer (domain) is allowed by the layers contract; depends_on forbids it.
    assert findings(root) == [
        ("SF103", "shop/payments/gateway.py", "tach: shop.payments depends only on shop.core")
    ]


def test_seamfinder_declarations_win_over_adopted_ones(write_project) -> None:  # type: ignore[no-untyped-def]
    ini = "[importlinter]\nroot_package = shop\n[importlinter:contract:x]\nname = X\ntype = independence\nmodules =\n    shop.orders\n    shop.payments\n"
    root = write_project({**SHOP, ".importlinter": ini, "shop/payments/gateway.py": SIBLING})
    # SHOP's own pyproject declares layers: the import-linter contract is not adopted.
    assert findings(root) == [("SF102", "shop/payments/gateway.py", "layers")]
