"""The facade a seam writes, and the import cycles it would close, from in-memory graphs."""

from __future__ import annotations

from seamfinder.analysis.seam_plan import FileRewrite, facade_source, introduced_cycles
from seamfinder.collect.rewrite_imports import FoundImport
from seamfinder.core.model import FacadeExport as Export
from seamfinder.core.model import ImportEdge, ImportScope, Location

FACADE = "pay.api"


def edge(importer: str, imported: str, line: int = 1, scope: str = "module") -> ImportEdge:
    path = importer.replace(".", "/") + ".py"
    return ImportEdge(importer, imported, Location(path, line), ImportScope(scope))


def moved(importer: str, line: int, module: str, name: str = "X") -> FileRewrite:
    path = importer.replace(".", "/") + ".py"
    return FileRewrite(path, importer, (FoundImport(line, module, name, "", "from"),))


def test_a_facade_that_drags_in_a_module_importing_the_importer_closes_a_new_cycle() -> None:
    # orders.services used only pay.models; pay.views imports orders.services. Through the
    # facade, orders.services would import pay.views, which imports it back.
    edges = [
        edge("orders.services", "pay.models", 3),
        edge("pay.views", "orders.services", 1),
        edge("shop.urls", "pay.views", 2),
    ]
    rewrites = [moved("orders.services", 3, "pay.models"), moved("shop.urls", 2, "pay.views", "")]
    exports = [Export("pay.models", "X", "X"), Export("pay.views", "", "views")]
    assert introduced_cycles(edges, FACADE, rewrites, exports) == (
        ("pay.api", "pay.views", "orders.services", "pay.api"),
    )


def test_a_cycle_that_was_there_before_is_not_new() -> None:
    edges = [edge("orders.services", "pay.models", 3), edge("pay.models", "orders.services", 1)]
    rewrites = [moved("orders.services", 3, "pay.models")]
    exports = [Export("pay.models", "X", "X")]
    assert introduced_cycles(edges, FACADE, rewrites, exports) == ()


def test_imports_that_do_not_run_at_import_time_close_no_cycle() -> None:
    # The way back is inside a function (and another under TYPE_CHECKING): deferred.
    edges = [
        edge("orders.services", "pay.models", 3),
        edge("pay.views", "orders.services", 9, "function"),
        edge("pay.views", "orders.services", 4, "type-checking"),
        edge("shop.urls", "pay.views", 2),
    ]
    rewrites = [moved("orders.services", 3, "pay.models"), moved("shop.urls", 2, "pay.views", "")]
    exports = [Export("pay.models", "X", "X"), Export("pay.views", "", "views")]
    assert introduced_cycles(edges, FACADE, rewrites, exports) == ()


def test_a_rewritten_function_level_import_closes_no_cycle_either() -> None:
    edges = [
        edge("orders.services", "pay.models", 3, "function"),
        edge("pay.views", "orders.services", 1),
        edge("shop.urls", "pay.views", 2),
    ]
    rewrites = [moved("orders.services", 3, "pay.models"), moved("shop.urls", 2, "pay.views", "")]
    exports = [Export("pay.models", "X", "X"), Export("pay.views", "", "views")]
    assert introduced_cycles(edges, FACADE, rewrites, exports) == ()


def test_the_facade_imports_each_module_once_renames_clashes_and_lists_all() -> None:
    exports = [
        Export("pay.services", "refund", "refund"),
        Export("pay.models", "Payment", "Payment"),
        Export("pay.models", "Error", "pay_models_Error"),
        Export("pay.services", "Error", "pay_services_Error"),
        Export("pay.views", "", "views"),
    ]
    text = facade_source("billing", exports)
    assert text.startswith('"""The public interface of billing: the names other components')
    assert "Written by `seamfinder seam billing`" in text
    body = text.split('"""\n', 1)[1]
    assert body == (
        "\n"
        "from pay import views\n"
        "from pay.models import Error as pay_models_Error, Payment\n"
        "from pay.services import Error as pay_services_Error, refund\n"
        "\n"
        "__all__ = [\n"
        '    "Payment",\n'
        '    "pay_models_Error",\n'
        '    "pay_services_Error",\n'
        '    "refund",\n'
        '    "views",\n'
        "]\n"
    )
    compile(text, "api.py", "exec")
