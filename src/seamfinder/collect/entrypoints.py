"""Entry points and wiring that no import statement shows, read cheaply from a file's text.

URL routes and router registrations, request-serving modules, Celery-style tasks,
management commands, signal receivers (with their signal and sender), ``add_to_class``,
registrations of a model with a site or registry, and dotted paths in settings that name
project code. Each is a :class:`~seamfinder.core.model.Hook` whose names are dotted
through the file's own imports (``sender=Order`` -> ``shop.orders.models.Order``); a
label (``sender="orders.Order"``, ``apps.get_model("orders", "Order")``) stays a label.

A line pre-filter keeps this to a regular expression per line and ``ast`` on the few
statements that matter (a decorator, a ``path(...)`` call), never on whole files: the
extraction advice must not cost a second data pass.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable, Container, Iterator, Mapping

from seamfinder.collect.statements import FROM_STATEMENT, absolute_module, statement_at
from seamfinder.core.model import Hook, HookKind, Location

# Modules that serve requests by their name (the last part, or a package on the way).
VIEW_PARTS = frozenset(
    {"views", "viewsets", "api", "resolvers", "mutations", "schema", "consumers", "endpoints"}
)
_ROUTE_PARTS = frozenset({"urls", "routes", "routers", "urlconf"})
_SETTINGS_PARTS = frozenset({"settings", "conf", "config"})
_TASK_DECORATOR = re.compile(
    r"@\s*(?:[\w.]+\.)?(?:shared_task|task|periodic_task|db_task|db_periodic_task|actor)\b"
)
_ROUTE_CALL = re.compile(r"\b(?:path|re_path|url)\(\s*(?:[rbuf]*[\"']|$)")
_ROUTER_REGISTER = re.compile(r"\.register\(\s*[rbuf]*[\"']")
_RECEIVER = re.compile(r"@\s*(?:[\w.]+\.)?receiver\(")
_CONNECT = re.compile(r"\b([A-Za-z_][\w.]*)\.connect\(")
_ADD_TO_CLASS = re.compile(r"\b([A-Za-z_][\w.]*)\.add_to_class\(\s*[\"'](\w+)")
_REGISTER = re.compile(r"(@?)\s*([A-Za-z_][\w.]*)\.register\(\s*([A-Za-z_][\w.]*)")
_DOTTED_STRING = re.compile(r"[\"']([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+)[\"']")
_DEF = re.compile(r"\s*(?:async\s+)?(?:def|class)\s+(\w+)")
_IMPORT_START = re.compile(r"\s*(?:from|import)\s")
_SIGNAL_HINT = ("signal", "post_", "pre_", "m2m_changed", "request_", "_done", "_started")
_Make = Callable[..., Hook]  # the small constructor _line_hooks hands to its helpers
_TOKENS = (
    "path(",
    "url(",
    "register(",
    "task",
    "actor",
    "receiver",
    ".connect(",
    "add_to_class",
    "Command",
)


def bindings(text_lines: list[str], module: str, is_package: bool) -> dict[str, str]:
    """Every name the file's import statements bind, dotted: ``{"Order": "shop.models.Order"}``."""

    bound: dict[str, str] = {}
    for number, line in enumerate(text_lines, start=1):
        if not _IMPORT_START.match(line):
            continue
        statement = statement_at(text_lines, number)
        for local, target in import_bindings(statement, module, is_package):
            bound[local] = target
    return bound


def import_bindings(statement: str, module: str, is_package: bool) -> list[tuple[str, str]]:
    """``(local name, dotted target)`` for each name one import statement binds."""

    match = FROM_STATEMENT.match(statement)
    found: list[tuple[str, str]] = []
    if match is not None:
        source = absolute_module(match["source"], module, is_package)
        for item in match["names"].replace("(", " ").replace(")", " ").split(","):
            words = item.split()
            if not words or words[0] == "*":
                continue
            local = words[2] if len(words) >= 3 and words[1] == "as" else words[0]
            found.append((local, f"{source}.{words[0]}" if source else words[0]))
        return found
    if statement.startswith("import "):
        for item in statement[len("import ") :].split(","):
            words = item.split()
            if not words:
                continue
            if len(words) >= 3 and words[1] == "as":
                found.append((words[2], words[0]))
            else:
                found.append((words[0].split(".")[0], words[0].split(".")[0]))
    return found


def _dotted(expression: str, bound: Mapping[str, str]) -> str:
    """``views.order_list`` -> ``shop.orders.views.order_list`` through the file's imports."""

    head, _, rest = expression.partition(".")
    target = bound.get(head)
    if target is None:
        return expression
    return f"{target}.{rest}" if rest else target


def _expression(node: ast.expr | None) -> str:
    if node is None:
        return ""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        inner = _expression(node.value)
        return f"{inner}.{node.attr}" if inner else ""
    if isinstance(node, ast.Call):
        return _expression(node.func)
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return ""


def _balanced(lines: list[str], number: int, start: int) -> str:
    """The text from ``start`` on line ``number`` to the parenthesis that closes there."""

    out: list[str] = []
    depth = 0
    for index in range(number - 1, min(len(lines), number + 50)):
        text = lines[index].split("#", 1)[0]
        if index == number - 1:
            text = text[start:]
        for position, char in enumerate(text):
            if char in "([{":
                depth += 1
            elif char in ")]}":
                depth -= 1
                if depth == 0:
                    out.append(text[: position + 1])
                    return " ".join(out)
        out.append(text)
    return " ".join(out)


def _view(node: ast.expr) -> str:
    """A route's view, or the URLconf an ``include("orders.urls")`` names."""

    if isinstance(node, ast.Call) and _expression(node.func).endswith("include") and node.args:
        first = node.args[0]
        if isinstance(first, ast.Constant) and isinstance(first.value, str):
            return first.value
        return _expression(first)
    return _expression(node)


def _call(statement: str) -> ast.Call | None:
    """The first call of a statement or decorator, parsed on its own."""

    text = statement.strip().lstrip("@").strip().rstrip(",")
    try:
        tree = ast.parse(text, mode="eval")
    except (SyntaxError, ValueError):
        return None
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            return node
    return None


def _next_definition(lines: list[str], after: int) -> str:
    for line in lines[after : after + 20]:
        match = _DEF.match(line)
        if match:
            return match.group(1)
    return ""


def read_hooks(
    path: str, module: str, is_package: bool, text: str, modules: Container[str]
) -> list[Hook]:
    """Every hook written in one file; ``modules`` are the project's modules."""

    parts = module.split(".")
    hooks: list[Hook] = []
    if VIEW_PARTS.intersection(parts[1:]) and ("def " in text or "class " in text):
        hooks.append(Hook(module, "view", Location(path, 1, 1), parts[-1]))
    if ".management.commands." in f".{module}" and "class Command" in text:
        hooks.append(Hook(module, "command", Location(path, 1, 1), parts[-1]))
    settings = bool(_SETTINGS_PARTS.intersection(parts)) or parts[-1].endswith("settings")
    if not settings and not any(token in text for token in _TOKENS):
        return hooks
    lines = text.splitlines()
    bound = bindings(lines, module, is_package)
    routes = bool(_ROUTE_PARTS.intersection(parts)) or "urlpatterns" in text
    for number, raw in enumerate(lines, start=1):
        line = raw.split("#", 1)[0]
        if not line.strip():
            continue
        hooks.extend(_line_hooks(path, module, lines, number, line, bound, routes))
        if settings:
            hooks.extend(_setting_hooks(path, module, number, line, modules))
    return hooks


def _line_hooks(
    path: str,
    module: str,
    lines: list[str],
    number: int,
    line: str,
    bound: Mapping[str, str],
    routes: bool,
) -> Iterator[Hook]:
    here = Location(path, number, len(line) - len(line.lstrip()) + 1)

    def hook(kind: HookKind, name: str = "", signal: str = "", target: str = "") -> Hook:
        return Hook(module, kind, here, name, signal, target)

    if _TASK_DECORATOR.match(line):
        yield hook("task", _next_definition(lines, number))
    route = (_ROUTE_CALL.search(line) or _ROUTER_REGISTER.search(line)) if routes else None
    if route is not None:
        start = route.start() + (1 if line[route.start()] == "." else 0)
        call = _call(_balanced(lines, number, start))
        pattern = ""
        view = ""
        if call is not None and call.args:
            pattern = _expression(call.args[0])
            view = _view(call.args[1]) if len(call.args) > 1 else ""
        yield hook("route", pattern, target=_dotted(view, bound) if view else "")
    elif (found := _REGISTER.search(line)) and not _ROUTER_REGISTER.search(line):
        target = _dotted(found.group(3), bound)
        if "." in target or found.group(1):
            yield hook("registry", found.group(2), target=target)
    if _RECEIVER.match(line):
        call = _call(_balanced(lines, number, line.index("@") + 1))
        yield from _receivers(hook, call, lines, number, bound)
    elif found := _CONNECT.search(line):
        call = _call(_balanced(lines, number, found.start()))
        yield from _connected(hook, found.group(1), call, bound)
    if found := _ADD_TO_CLASS.search(line):
        yield hook("add-to-class", found.group(2), target=_dotted(found.group(1), bound))


def _sender(node: ast.expr | None, bound: Mapping[str, str]) -> str:
    if isinstance(node, ast.Call) and _expression(node.func).endswith("get_model"):
        args = [
            a.value for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str)
        ]
        return ".".join(args) if len(args) == len(node.args) and args else ""
    spelled = _expression(node)
    if isinstance(node, ast.Constant):
        return spelled  # a lazy label: "orders.Order"
    return _dotted(spelled, bound) if spelled else ""


def _signals(node: ast.expr) -> list[ast.expr]:
    return list(node.elts) if isinstance(node, ast.List | ast.Tuple) else [node]


def _receivers(
    hook: _Make, call: ast.Call | None, lines: list[str], number: int, bound: Mapping[str, str]
) -> Iterator[Hook]:
    if call is None or not call.args:
        return
    sender = next((k.value for k in call.keywords if k.arg == "sender"), None)
    target = _sender(sender, bound)
    handler = _next_definition(lines, number)
    for signal in _signals(call.args[0]):
        yield hook("receiver", handler, _dotted(_expression(signal), bound), target)


def _connected(
    hook: _Make, signal: str, call: ast.Call | None, bound: Mapping[str, str]
) -> Iterator[Hook]:
    dotted = _dotted(signal, bound)
    if not any(hint in dotted.lower() for hint in _SIGNAL_HINT) and dotted == signal:
        return  # a database or socket ``connect``, not a signal
    if call is None or not call.args or not isinstance(call.args[0], ast.Name | ast.Attribute):
        return
    sender = next((k.value for k in call.keywords if k.arg == "sender"), None)
    yield hook("receiver", _expression(call.args[0]), dotted, _sender(sender, bound))


def _setting_hooks(
    path: str, module: str, number: int, line: str, modules: Container[str]
) -> Iterator[Hook]:
    for found in _DOTTED_STRING.finditer(line):
        value = found.group(1)
        owner = _module_prefix(value, modules)
        # An app's config in INSTALLED_APPS or the root URLconf is not code plugged in.
        # "accounts.User" (AUTH_USER_MODEL) is a label: code is named through a submodule.
        names_code = "." in owner and owner != value and not owner.endswith((".apps", ".urls"))
        plugged = owner == value and owner.rsplit(".", 1)[-1] in ("middleware", "backends")
        if owner and (names_code or plugged):
            yield Hook(module, "setting", Location(path, number, found.start() + 1), target=value)


def _module_prefix(dotted: str, modules: Container[str]) -> str:
    parts = dotted.split(".")
    for end in range(len(parts), 0, -1):
        candidate = ".".join(parts[:end])
        if candidate in modules:
            return candidate
    return ""
