"""A component's public interface is declared in TOML by editing text, nothing else changed."""

from __future__ import annotations

import textwrap

import pytest

from seamfinder.config.declare import ConfigEditError, declare_components
from seamfinder.config.settings import ComponentSpec

PYPROJECT = textwrap.dedent(
    """\
    [project]
    name = "shop"  # the package

    [tool.seamfinder]
    depth = 1

    [tool.seamfinder.components]
    orders = [
        "shop.orders",  # and below
    ]

    [tool.seamfinder.components.billing]
    modules = ["shop.payments"]
    # more to come

    [tool.ruff]
    line-length = 99
    """
)
PREFIX = "tool.seamfinder."


def test_a_component_declared_as_a_table_gets_a_public_line_after_its_last_key() -> None:
    spec = ComponentSpec("billing", ("shop.payments",), ("shop.payments.api",))
    edited = declare_components(PYPROJECT, PREFIX, [spec])
    assert edited == PYPROJECT.replace(
        'modules = ["shop.payments"]\n',
        'modules = ["shop.payments"]\npublic = ["shop.payments.api"]\n',
    )


def test_an_existing_public_line_is_replaced_and_a_second_edit_changes_nothing() -> None:
    once = declare_components(
        PYPROJECT, PREFIX, [ComponentSpec("billing", ("shop.payments",), ("shop.payments.api",))]
    )
    spec = ComponentSpec("billing", ("shop.payments",), ("shop.payments.api", "shop.payments.x"))
    twice = declare_components(once, PREFIX, [spec])
    assert 'public = ["shop.payments.api", "shop.payments.x"]\n' in twice
    assert twice.count("public") == 1
    assert declare_components(twice, PREFIX, [spec]) == twice


def test_a_component_declared_as_a_list_keeps_its_value_text_under_a_dotted_key() -> None:
    spec = ComponentSpec("orders", ("shop.orders",), ("shop.orders.api",))
    edited = declare_components(PYPROJECT, PREFIX, [spec])
    assert edited == PYPROJECT.replace(
        'orders = [\n    "shop.orders",  # and below\n]\n',
        'orders.modules = [\n    "shop.orders",  # and below\n]\norders.public = ["shop.orders.api"]\n',
    )


def test_undeclared_components_are_appended_as_tables_with_quoted_dotted_names() -> None:
    specs = [
        ComponentSpec("ledger.accounts", ("ledger.accounts",), ("ledger.accounts.facade",)),
        ComponentSpec("ledger.db", ("ledger.db",)),
    ]
    edited = declare_components("[project]\nname = 'ledger'\n", PREFIX, specs)
    assert edited == (
        "[project]\nname = 'ledger'\n\n"
        '[tool.seamfinder.components."ledger.accounts"]\n'
        'modules = ["ledger.accounts"]\npublic = ["ledger.accounts.facade"]\n\n'
        '[tool.seamfinder.components."ledger.db"]\nmodules = ["ledger.db"]\n'
    )


def test_a_seamfinder_toml_has_its_tables_at_the_top_level() -> None:
    spec = ComponentSpec("billing", ("payments",), ("payments.api",))
    assert declare_components("", "", [spec]) == (
        '[components.billing]\nmodules = ["payments"]\npublic = ["payments.api"]\n'
    )


def test_an_inline_table_is_not_rewritten_but_explained() -> None:
    text = '[tool.seamfinder.components]\nbilling = { modules = ["payments"] }\n'
    spec = ComponentSpec("billing", ("payments",), ("payments.api",))
    with pytest.raises(ConfigEditError, match=r"add it by hand: .*public = \[\"payments.api\"\]"):
        declare_components(text, PREFIX, [spec])


def test_different_modules_from_the_declared_ones_are_refused() -> None:
    spec = ComponentSpec("billing", ("shop.billing",), ("shop.billing.api",))
    with pytest.raises(ConfigEditError, match="its modules differ"):
        declare_components(PYPROJECT, PREFIX, [spec])
