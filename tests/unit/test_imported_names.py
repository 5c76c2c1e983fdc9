"""The names each import statement takes, read from its text."""

from __future__ import annotations

from seamfinder.collect.names import imported_names
from seamfinder.core.model import ImportEdge, Location

MODULES = {
    "shop": True,
    "shop.orders": True,
    "shop.orders.models": False,
    "shop.orders.services": False,
    "shop.billing": True,
    "shop.billing.api": False,
}


def names(importer: str, imported: str, text: str, line: int = 1) -> list[str]:
    path = importer.replace(".", "/") + ".py"
    edge = ImportEdge(importer, imported, Location(path, line, 1))
    return [n.symbol for n in imported_names([edge], {path: text}, MODULES)]


def test_from_import_takes_symbols_with_aliases_and_comments() -> None:
    text = "from shop.orders.models import Order, OrderLine as Line  # used below\n"
    assert names("shop.billing.api", "shop.orders.models", text) == [
        "shop.orders.models.Order",
        "shop.orders.models.OrderLine",
    ]


def test_parenthesised_and_continued_statements() -> None:
    text = "x = 1\nfrom shop.orders.models import (\n    Order,  # the order\n    Line,\n)\n"
    assert names("shop.billing.api", "shop.orders.models", text, line=2) == [
        "shop.orders.models.Line",
        "shop.orders.models.Order",
    ]
    continued = "from shop.orders.models import Order, \\\n    Line\n"
    assert len(names("shop.billing.api", "shop.orders.models", continued)) == 2


def test_relative_imports_and_submodules_resolve() -> None:
    assert names("shop.orders.services", "shop.orders.models", "from .models import Order\n") == [
        "shop.orders.models.Order"
    ]
    # A package's own __init__: "." is the package itself.
    assert names("shop.billing", "shop.billing.api", "from . import api\n") == ["shop.billing.api"]
    # A submodule imported by name is the module itself; the package edge keeps the rest.
    text = "from shop.billing import api, VERSION\n"
    assert names("shop.orders.services", "shop.billing.api", text) == ["shop.billing.api"]
    assert names("shop.orders.services", "shop.billing", text) == ["shop.billing.VERSION"]


def test_plain_import_star_and_unreadable_text() -> None:
    assert names("shop.billing.api", "shop.orders.models", "import shop.orders.models as m\n") == [
        "shop.orders.models"
    ]
    assert names(
        "shop.billing.api", "shop.orders.models", "from shop.orders.models import *\n"
    ) == ["shop.orders.models.*"]
    # Nothing readable at the line: the site still counts, as the module itself.
    assert names("shop.billing.api", "shop.orders.models", "", line=3) == ["shop.orders.models"]
