"""A Django settings module: ``INSTALLED_APPS`` (however it is built), ``AUTH_USER_MODEL``
and ``DATABASES`` with where each database's engine, name and host come from."""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from seamfinder.collect.facts import DatabaseSetting, ValueSource
from seamfinder.collect.scanner.hooks import Detector
from seamfinder.collect.scanner.spelling import const_str
from seamfinder.collect.scanner.strings import sources_of

if TYPE_CHECKING:
    from seamfinder.collect.scanner.evaluator import Scanner

_NAMES = (b"INSTALLED_APPS", b"DATABASES", b"AUTH_USER_MODEL")


def assignment(scanner: Scanner, name: str, value: ast.expr, augmented: bool) -> None:
    """Module-level ``INSTALLED_APPS = [...]`` (or ``+=``), ``AUTH_USER_MODEL``, ``DATABASES``."""

    sink = scanner.sink
    if augmented and name != "INSTALLED_APPS":
        return
    if name == "AUTH_USER_MODEL":
        sink.auth_user_model = const_str(value) or sink.auth_user_model
    elif name == "INSTALLED_APPS":
        if not sink.installed_apps_line:
            sink.installed_apps_line = value.lineno
        if not augmented and _literal_strings(value) is not None:
            sink.installed_apps = []  # a literal list replaces what came before
        apps, partial = _app_list(value)
        sink.installed_apps.extend(apps)
        sink.installed_apps_partial = sink.installed_apps_partial or partial
    elif name == "DATABASES":
        databases = value
        if type(value) is ast.Call and value.args and type(value.args[-1]) is ast.Dict:
            databases = value.args[-1]  # getattr(configuration, "DATABASES", {...})
        if type(databases) is ast.Dict:
            sink.databases = _database_settings(scanner, databases)


def module_call(scanner: Scanner, call: ast.Call) -> None:
    """``INSTALLED_APPS.append("x")`` / ``.extend([...])`` / ``.insert(0, "x")``."""

    func = call.func
    if not (type(func) is ast.Attribute and type(func.value) is ast.Name):
        return
    if func.value.id != "INSTALLED_APPS":
        return
    sink = scanner.sink
    if func.attr in ("append", "extend", "insert") and call.args:
        value = call.args[-1]
        if func.attr == "extend":
            apps, partial = _app_list(value)
        else:
            text = const_str(value)
            apps, partial = ([text], False) if text is not None else ([], True)
        sink.installed_apps.extend(apps)
        sink.installed_apps_partial = sink.installed_apps_partial or partial
    elif func.attr == "remove" and call.args:
        text = const_str(call.args[0])
        if text in sink.installed_apps:
            sink.installed_apps.remove(text)


def _database_settings(scanner: Scanner, node: ast.Dict) -> list[DatabaseSetting]:
    found = []
    for key, value in zip(node.keys, node.values, strict=True):
        alias = const_str(key)
        if alias is None:
            continue
        engine: list[ValueSource]
        if type(value) is ast.Dict:
            entries = {}
            for entry_key, entry_value in zip(value.keys, value.values, strict=True):
                name = const_str(entry_key)
                if name is not None:
                    entries[name] = entry_value
            engine = sources_of(scanner, entries["ENGINE"]) if "ENGINE" in entries else []
            db_name = sources_of(scanner, entries["NAME"]) if "NAME" in entries else []
            host = sources_of(scanner, entries["HOST"]) if "HOST" in entries else []
        else:
            engine = db_name = host = sources_of(scanner, value)
        found.append(
            DatabaseSetting(alias, tuple(engine), tuple(db_name), tuple(host), value.lineno)
        )
    return found


def _literal_strings(node: ast.AST) -> list[str] | None:
    if type(node) is ast.List or type(node) is ast.Tuple:
        strings = [const_str(e) for e in node.elts]
        if all(s is not None for s in strings):
            return [s for s in strings if s is not None]
    return None


def _app_list(node: ast.AST) -> tuple[list[str], bool]:
    """Literal app names in ``[...]``, ``(...)`` and ``a + b``; partial if anything else."""

    if type(node) is ast.List or type(node) is ast.Tuple:
        apps, partial = [], False
        for elt in node.elts:
            text = const_str(elt)
            if text is not None:
                apps.append(text)
            else:
                partial = True
        return apps, partial
    if type(node) is ast.BinOp and type(node.op) is ast.Add:
        left, left_partial = _app_list(node.left)
        right, right_partial = _app_list(node.right)
        return left + right, left_partial or right_partial
    return [], True


DETECTOR = Detector(
    "django-settings",
    tokens=_NAMES,
    needs=_NAMES,
    assigned_names=frozenset({"INSTALLED_APPS", "AUTH_USER_MODEL", "DATABASES"}),
    assignments=assignment,
    module_calls=module_call,
)
