"""Import statements into a component are found as written and pointed at its facade."""

from __future__ import annotations

import textwrap

from seamfinder.collect.rewrite_imports import (
    FoundImport,
    Unparsable,
    find_imports,
    rewrite_imports,
)

MODULES = {
    "shop",
    "shop.payments",
    "shop.payments.models",
    "shop.payments.services",
    "shop.payments.views",
    "shop.payments.api",
    "shop.orders",
    "shop.orders.views",
}
INTERNALS = {m for m in MODULES if m.startswith("shop.payments") and m != "shop.payments.api"}
EXPORTS = {
    ("shop.payments.models", "Payment"): "Payment",
    ("shop.payments.models", "Refund"): "Refund",
    ("shop.payments.services", "PaymentError"): "PaymentError",
    ("shop.payments.services", "Error"): "services_Error",
    ("shop.payments.views", ""): "views",
    ("shop.payments.models", ""): "models",
}


def rewrite(source: str, importer: str = "shop.orders.views", is_package: bool = False) -> str:
    result = rewrite_imports(
        textwrap.dedent(source), importer, is_package, MODULES, "shop.payments.api", EXPORTS
    )
    assert isinstance(result, str), result
    return result


def test_from_import_is_pointed_at_the_facade_keeping_comments_and_layout() -> None:
    source = """\
        from shop.payments.models import (  # the money side
            Payment,  # one charge
            Refund,
        )
        """
    assert rewrite(source) == textwrap.dedent(
        """\
        from shop.payments.api import (  # the money side
            Payment,  # one charge
            Refund,
        )
        """
    )


def test_aliases_stay_and_a_renamed_export_binds_the_name_the_importer_used() -> None:
    source = """\
        from shop.payments.models import Payment as P
        from shop.payments.services import Error
        from shop.payments.services import Error as E
        """
    assert rewrite(source) == textwrap.dedent(
        """\
        from shop.payments.api import Payment as P
        from shop.payments.api import services_Error as Error
        from shop.payments.api import services_Error as E
        """
    )


def test_relative_import_stays_relative_when_the_facade_is_under_the_same_package() -> None:
    assert rewrite("from ..payments.models import Payment\n") == (
        "from ..payments.api import Payment\n"
    )
    # From a package's __init__, one dot is the package itself.
    assert rewrite("from .payments import views\n", "shop", is_package=True) == (
        "from .payments.api import views\n"
    )


def test_type_checking_and_function_level_imports_are_rewritten_in_place() -> None:
    source = """\
        from typing import TYPE_CHECKING

        if TYPE_CHECKING:
            from shop.payments.models import Payment


        def refund() -> None:
            from shop.payments.services import PaymentError
        """
    result = rewrite(source)
    assert "    from shop.payments.api import Payment\n" in result
    assert "    from shop.payments.api import PaymentError\n" in result
    assert "shop.payments.models" not in result and "shop.payments.services" not in result


def test_a_statement_mixing_exported_and_other_names_is_split_in_two() -> None:
    source = "from shop.payments import views, api  # both\n"
    assert rewrite(source) == (
        "from shop.payments import api  # both\nfrom shop.payments.api import views\n"
    )


def test_aliased_module_import_becomes_a_from_import_of_the_same_module() -> None:
    assert rewrite("import shop.payments.models as pm\n") == (
        "from shop.payments.api import models as pm\n"
    )


def test_star_and_unaliased_module_imports_are_found_but_left_alone() -> None:
    source = "from shop.payments.models import *\nimport shop.payments.models\n"
    assert rewrite(source) == source
    found = find_imports(source, "shop.orders.views", False, MODULES, INTERNALS)
    assert found == (
        FoundImport(1, "shop.payments.models", "*", "", "from"),
        FoundImport(2, "shop.payments.models", "", "", "import"),
    )
    assert isinstance(found, tuple) and not any(f.rewritable for f in found)


def test_find_imports_resolves_submodules_relative_imports_and_aliases() -> None:
    source = textwrap.dedent(
        """\
        import os
        from shop.orders import views as mine
        from ..payments import views as payment_views
        from shop.payments.services import PaymentError, Error as E
        """
    )
    assert find_imports(source, "shop.orders.views", False, MODULES, INTERNALS) == (
        FoundImport(3, "shop.payments.views", "", "payment_views", "from"),
        FoundImport(4, "shop.payments.services", "Error", "E", "from"),
        FoundImport(4, "shop.payments.services", "PaymentError", "", "from"),
    )


def test_a_file_libcst_cannot_parse_is_reported_not_rewritten() -> None:
    broken = "from shop.payments.models import Payment\ndef (:\n"
    assert isinstance(find_imports(broken, "shop.x", False, MODULES, INTERNALS), Unparsable)
    result = rewrite_imports(broken, "shop.x", False, MODULES, "shop.payments.api", EXPORTS)
    assert isinstance(result, Unparsable)
