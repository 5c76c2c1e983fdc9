"""Which packages of a Django project are apps, and the label of each, as Django decides.

With settings that name apps of the project, the apps are exactly those installed:
``INSTALLED_APPS`` entries (read statically) naming a package or an ``AppConfig`` class,
each with the config Django would use (the one named, else the package's ``default = True``
config, else the only one its ``apps`` module defines). Without such settings, every
``AppConfig``'s package is an app, and so is the outermost package that defines Django model
classes outside them: a ``models.py`` of forms or pydantic classes makes no app. A label
taken twice (two settings files, two configs of which Django would only ever install one)
is kept by the first app by package path; the other is named by its dotted path, and the
decision becomes a note.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from seamfinder.collect.django_apps import AppConfigDecl, DjangoSetup
from seamfinder.core.project import LayoutNote, Project


@dataclass(frozen=True, slots=True)
class DjangoApp:
    package: str
    label: str  # Django's app label: table names are made from it
    name: str  # the component's name: the label, unless another app has it already
    reason: str
    path: str  # the file that makes it an app (settings, apps.py, models.py)


@dataclass(frozen=True, slots=True)
class DjangoApps:
    apps: tuple[DjangoApp, ...]  # sorted by package
    notes: tuple[LayoutNote, ...]


@dataclass(frozen=True, slots=True)
class _Found:
    label: str | None
    reason: str
    path: str


def django_apps(project: Project, django: DjangoSetup, model_modules: Iterable[str]) -> DjangoApps:
    """The project's apps; none when it is not a Django project."""

    if not django.is_django:
        return DjangoApps((), ())
    packages = frozenset(f.module for f in project.files if f.is_package)
    paths = {f.module: f.path for f in project.files}
    found = _installed(django, packages)
    if not found:
        found = _without_settings(django, packages, model_modules, paths)
    return _named(found)


def _installed(django: DjangoSetup, packages: frozenset[str]) -> dict[str, _Found]:
    by_dotted = {f"{d.module}.{d.class_name}": d for d in django.app_configs}
    by_package = _configs_by_package(django.app_configs)
    found: dict[str, _Found] = {}
    for settings in sorted(django.installed_apps, key=lambda s: s.path):
        for entry in settings.entries:
            named = by_dotted.get(entry) or _inherited_config(entry, django.app_configs)
            package = named.name if named is not None else _package_named(entry, packages)
            if package not in packages or package in found:
                continue  # a third-party app (django.contrib...) or one seen already
            config = named or _default_config(package, by_package.get(package, []))
            reason = f"in INSTALLED_APPS of {settings.path}"
            if config is not None:
                reason += f"; {_describe(config)}"
            found[package] = _Found(config.label if config else None, reason, settings.path)
    return found


def _inherited_config(entry: str, configs: Iterable[AppConfigDecl]) -> AppConfigDecl | None:
    """``shop.apps.ShopConfig`` whose ``name`` and ``label`` come from a base class in
    the same module (django-oscar's ``CatalogueConfig(CatalogueOnlyConfig)``)."""

    module = entry.rpartition(".")[0]
    return next((c for c in sorted(configs, key=lambda c: c.path) if c.module == module), None)


def _package_named(entry: str, packages: frozenset[str]) -> str:
    """The package an entry names: itself, or the one package it is the tail of
    (``apps.user`` of a project folder that has an ``__init__.py``: ``sandbox.apps.user``)."""

    if entry in packages:
        return entry
    tails = [p for p in packages if p.endswith("." + entry)]
    return tails[0] if len(tails) == 1 else entry


def _without_settings(
    django: DjangoSetup,
    packages: frozenset[str],
    model_modules: Iterable[str],
    paths: Mapping[str, str],
) -> dict[str, _Found]:
    found: dict[str, _Found] = {}
    for package, configs in sorted(_configs_by_package(django.app_configs).items()):
        config = _default_config(package, configs) or configs[0]
        if package in packages:
            found[package] = _Found(config.label, _describe(config), config.path)
    holders: dict[str, str] = {}  # package -> its first module defining models
    for module in sorted(model_modules):
        holder = _model_package(module, packages)
        if holder is not None and not _inside(holder, found):
            holders.setdefault(holder, module)
    for package, module in sorted(holders.items()):
        if not _inside(package, holders, strictly=True):
            found[package] = _Found(
                None, f"defines Django models ({module}); no settings name its apps", paths[module]
            )
    return found


def _configs_by_package(configs: Iterable[AppConfigDecl]) -> dict[str, list[AppConfigDecl]]:
    by_package: dict[str, list[AppConfigDecl]] = defaultdict(list)
    for config in sorted(configs, key=lambda d: (d.path, d.class_name)):
        by_package[config.name].append(config)
    return by_package


def _default_config(package: str, configs: list[AppConfigDecl]) -> AppConfigDecl | None:
    """The config Django uses for a package named in INSTALLED_APPS (Django >= 3.2)."""

    defaults = [c for c in configs if c.default]
    if len(defaults) == 1:
        return defaults[0]
    own = [c for c in configs if c.module == f"{package}.apps"]
    if len(own) == 1:
        return own[0]
    return configs[0] if len(configs) == 1 else None


def _describe(config: AppConfigDecl) -> str:
    label = f" (label {config.label!r})" if config.label else ""
    return f"AppConfig {config.class_name} in {config.path}{label}"


def _model_package(module: str, packages: frozenset[str]) -> str | None:
    """``shop.orders.models`` and ``shop.orders.models.items`` -> ``shop.orders``."""

    parts = module.split(".")
    if "models" in parts:
        package = ".".join(parts[: parts.index("models")])
    elif module in packages:
        package = module
    else:
        package = ".".join(parts[:-1])
    return package or None


def _inside(package: str, apps: Mapping[str, object], *, strictly: bool = False) -> bool:
    parts = package.split(".")
    end = len(parts) - 1 if strictly else len(parts)
    return any(".".join(parts[:i]) in apps for i in range(1, end + 1))


def _named(found: Mapping[str, _Found]) -> DjangoApps:
    apps: list[DjangoApp] = []
    notes: list[LayoutNote] = []
    taken: dict[str, str] = {}  # component name -> package
    for package in sorted(found):
        item = found[package]
        label = item.label or package.rsplit(".", 1)[-1]
        name = label
        if label in taken:
            name = package
            notes.append(
                LayoutNote(
                    item.path,
                    package,
                    f"apps {taken[label]!r} and {package!r} both have the label {label!r} "
                    "(Django installs only one of them at a time); the component of "
                    f"{package!r} is named {package!r}",
                )
            )
        taken[name] = package
        apps.append(DjangoApp(package, label, name, item.reason, item.path))
    return DjangoApps(tuple(apps), tuple(sorted(notes)))
