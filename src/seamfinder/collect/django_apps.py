"""What a Django project says about its apps, read statically from a few files.

``INSTALLED_APPS`` in settings modules and ``AppConfig`` subclasses in ``apps.py`` are
the project's own declaration of its components; they are read with ``ast`` from the
files that mention them, never by running ``django.setup()``.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from seamfinder.core.model import SourceFile


@dataclass(frozen=True, slots=True)
class AppConfigDecl:
    """``class OrdersConfig(AppConfig): name = "shop.orders"; label = "orders"``."""

    path: str
    module: str  # the module that defines the class
    class_name: str
    name: str
    label: str | None
    default: bool = False  # ``default = True``: the one Django picks for its package


@dataclass(frozen=True, slots=True)
class InstalledApps:
    path: str
    entries: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class DjangoSetup:
    app_configs: tuple[AppConfigDecl, ...]
    installed_apps: tuple[InstalledApps, ...]

    @property
    def is_django(self) -> bool:
        return bool(self.app_configs or self.installed_apps)


def read_django_setup(files: Iterable[SourceFile], texts: Mapping[str, str]) -> DjangoSetup:
    configs: list[AppConfigDecl] = []
    installed: list[InstalledApps] = []
    for source in files:
        text = texts.get(source.path)
        if text is None:
            continue
        if "AppConfig" in text or source.module.endswith(".apps"):
            configs.extend(_app_configs(source, text))
        if "INSTALLED_APPS" in text:
            entries = _installed_apps(text)
            if entries:
                installed.append(InstalledApps(source.path, entries))
    return DjangoSetup(tuple(configs), tuple(installed))


def _parse(text: str) -> ast.Module | None:
    try:
        return ast.parse(text)
    except (SyntaxError, ValueError, RecursionError):
        return None


def _app_configs(source: SourceFile, text: str) -> list[AppConfigDecl]:
    tree = _parse(text)
    if tree is None:
        return []
    found: list[AppConfigDecl] = []
    for node in tree.body:
        if not isinstance(node, ast.ClassDef):
            continue
        # Subclasses of project bases count too (django-oscar's OscarConfig), but Django
        # requires ``name`` on a real app config, which sets them apart from the bases.
        if not any(_last_name(base).endswith("Config") for base in node.bases):
            continue
        values: dict[str, str | bool] = {}
        for statement in node.body:
            if (
                isinstance(statement, ast.Assign)
                and len(statement.targets) == 1
                and isinstance(statement.targets[0], ast.Name)
                and isinstance(statement.value, ast.Constant)
                and isinstance(statement.value.value, str | bool)
            ):
                values[statement.targets[0].id] = statement.value.value
        name, label = values.get("name"), values.get("label")
        if isinstance(name, str):
            found.append(
                AppConfigDecl(
                    source.path,
                    source.module,
                    node.name,
                    name,
                    label if isinstance(label, str) else None,
                    values.get("default") is True,
                )
            )
    return found


def _last_name(node: ast.expr) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return ""


def _installed_apps(text: str) -> tuple[str, ...]:
    tree = _parse(text)
    if tree is None:
        return ()
    # Module-level lists by name, so that ``INSTALLED_APPS = DJANGO_APPS + LOCAL_APPS`` works.
    lists: dict[str, list[str]] = {}
    for node in tree.body:
        if not isinstance(node, ast.Assign | ast.AugAssign | ast.AnnAssign) or node.value is None:
            continue
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        for target in targets:
            if isinstance(target, ast.Name):
                values = _strings(node.value, lists)
                if isinstance(node, ast.AugAssign):
                    values = lists.get(target.id, []) + values
                lists[target.id] = values
    return tuple(dict.fromkeys(lists.get("INSTALLED_APPS", [])))


def _strings(node: ast.expr, lists: Mapping[str, list[str]]) -> list[str]:
    """String literals of a list/tuple, following ``+``, ``*unpacking`` and earlier names."""

    if isinstance(node, ast.List | ast.Tuple | ast.Set):
        out: list[str] = []
        for element in node.elts:
            if isinstance(element, ast.Constant) and isinstance(element.value, str):
                out.append(element.value)
            elif isinstance(element, ast.Starred):
                out.extend(_strings(element.value, lists))
        return out
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return _strings(node.left, lists) + _strings(node.right, lists)
    if isinstance(node, ast.Name):
        return list(lists.get(node.id, []))
    return []
