"""Models and modules loaded by name: ``get_model("app", "Model")``, ``get_user_model()``,
and imports by string (``import_module``, ``import_string``, django-oscar's ``get_class``),
which are imports all the same, invisible to any import graph."""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from seamfinder.collect.facts import DynamicImportFact, LoaderFact
from seamfinder.collect.scanner.hooks import CallRule, Detector
from seamfinder.collect.scanner.spelling import const_str, describe, label_of_args, last
from seamfinder.collect.scanner.values import Sym, Value

if TYPE_CHECKING:
    from seamfinder.collect.scanner.evaluator import Scanner

_DYNAMIC_IMPORTS = frozenset({"get_class", "get_classes", "import_module", "import_string"})
# ``swapper.load_model("app", "Model")`` loads a swappable model as ``get_model`` does.
_LOADERS = frozenset({"get_model", "get_user_model", "load_model"})


def loader_call(scanner: Scanner, node: ast.Call, dotted: str) -> Value:
    """``get_model("app", "Model")``: the model by label; ``get_user_model()``: a setting."""

    if last(dotted) == "get_user_model":
        scanner.visit_arguments(node)
        return Sym("", "AUTH_USER_MODEL", "setting")
    return _load(scanner, node)


def loader_method(scanner: Scanner, node: ast.Call, receiver: Value, method: str) -> Value:
    """``apps.get_model("app", "Model")`` on a receiver the pass does not know."""

    return _load(scanner, node)


def _load(scanner: Scanner, node: ast.Call) -> Value:
    label = label_of_args(node)
    scanner.visit_arguments(node)
    if not label:
        return None
    bound = scanner.assign_name if node is scanner.assign_value else ""
    callee = scanner.dotted(node.func) or describe(node.func)
    scanner.sink.loaders.append(
        LoaderFact(label, callee, bound, scanner.scope, node.lineno, node.col_offset + 1)
    )
    return Sym("", label)


def dynamic_import(scanner: Scanner, node: ast.Call, dotted: str) -> Value:
    target = const_str(node.args[0]) if node.args else None
    if target:
        scanner.sink.dynamic_imports.append(
            DynamicImportFact(target, last(dotted), scanner.scope, node.lineno, node.col_offset + 1)
        )
    scanner.visit_arguments(node)
    return None


DETECTOR = Detector(
    "loaders",
    tokens=(
        b"get_model",
        b"load_model",
        b"import *",
        b"get_class",
        b"import_module",
        b"import_string",
    ),
    calls=(
        CallRule(50, lambda dotted: last(dotted) in _LOADERS, loader_call),
        CallRule(60, lambda dotted: last(dotted) in _DYNAMIC_IMPORTS, dynamic_import),
    ),
    methods={"get_model": loader_method},
)
