"""The string arguments of the calls on a line: what an import by string loads.

``get_class("billing.views", "PaymentView")`` and ``apps.get_model("billing", "Payment")``
name a module and an object; the scanner keeps only the first string, and a seam wants the
object's name to suggest what the facade should export instead.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable

# The calls that load an object by its name (the scanner's dynamic imports and loaders).
LOADERS = frozenset(
    {"get_class", "get_classes", "get_model", "import_string", "import_module", "get_user_model"}
)


def call_strings(text: str, lines: Iterable[int]) -> dict[int, tuple[str, ...]]:
    """By line: the string constants passed to the loader calls on it (lists flattened)."""

    wanted = set(lines)
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError):
        return {}
    found: dict[int, list[str]] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and node.lineno in wanted and _callee(node) in LOADERS:
            strings = found.setdefault(node.lineno, [])
            for arg in node.args:
                strings.extend(_strings(arg))
    return {line: tuple(strings) for line, strings in found.items() if strings}


def _strings(node: ast.expr) -> list[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, (ast.List, ast.Tuple)):
        return [s for item in node.elts for s in _strings(item)]
    return []


def _callee(node: ast.Call) -> str:
    func = node.func
    if isinstance(func, ast.Attribute):
        return func.attr
    return func.id if isinstance(func, ast.Name) else ""
