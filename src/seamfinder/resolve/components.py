"""Assign every module to exactly one component, and say how each component was found.

Components declared in config win. Otherwise a Django project's apps are its
components (AppConfig, INSTALLED_APPS, or a package with Django models; the AppConfig
label names the component, as Django itself does). Otherwise the subpackages at
``depth`` below each top-level package are. What fits none goes to the root bucket.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache

from seamfinder.collect.django_apps import DjangoSetup
from seamfinder.config.settings import ComponentSpec, Config
from seamfinder.core.errors import ConfigError
from seamfinder.core.model import ROOT_COMPONENT, Component
from seamfinder.core.project import Project


@dataclass(frozen=True, slots=True)
class ComponentMap:
    components: tuple[Component, ...]  # sorted by name, the root bucket last
    of_module: Mapping[str, str]  # module -> component name
    app_labels: Mapping[str, str]  # Django app package -> app label

    def component_of(self, module: str) -> str:
        return self.of_module.get(module, ROOT_COMPONENT)

    def app_label_of(self, module: str) -> str | None:
        """The label of the Django app a module belongs to (longest package match)."""

        parts = module.split(".")
        for end in range(len(parts), 0, -1):
            label = self.app_labels.get(".".join(parts[:end]))
            if label is not None:
                return label
        return None


def detect_components(
    project: Project,
    config: Config,
    lines: Mapping[str, int],
    django: DjangoSetup,
) -> ComponentMap:
    modules = sorted(source.module for source in project.files)
    app_packages = _django_apps(project, django)
    labels = {package: label for package, (label, _why) in app_packages.items()}
    package_of: dict[str, str]  # component name -> the package it is rooted at
    if config.components:
        assignment, reasons = _declared(config.components, modules, config.source)
        kind = "config"
        package_of = {
            spec.name: spec.modules[0]
            for spec in config.components
            if len(spec.modules) == 1 and "*" not in spec.modules[0]
        }
    elif app_packages:
        assignment = _by_prefix(modules, labels)
        reasons = dict(app_packages.values())
        kind = "django-app"
        package_of = {label: package for package, label in labels.items()}
    else:
        packages = _packages_at_depth(project, modules, config.depth)
        assignment = _by_prefix(modules, {p: p for p in packages})
        reasons = dict.fromkeys(packages, f"package at depth {config.depth}")
        kind = "depth"
        package_of = {p: p for p in packages}

    members: dict[str, list[str]] = defaultdict(list)
    for module in modules:
        members[assignment.get(module, ROOT_COMPONENT)].append(module)
    components: list[Component] = []
    for name in sorted(members, key=lambda n: (n == ROOT_COMPONENT, n)):
        found = members[name]
        if name == ROOT_COMPONENT:
            detected, reason = "root", "modules that belong to no component"
        else:
            detected, reason = kind, reasons.get(name, "")
        components.append(
            Component(
                name=name,
                detected_by=detected,
                modules=tuple(found),
                lines=sum(lines.get(m, 0) for m in found),
                reason=reason,
                package=package_of.get(name),
            )
        )
    of_module = {m: c.name for c in components for m in c.modules}
    return ComponentMap(tuple(components), of_module, labels)


def _by_prefix(modules: list[str], prefixes: Mapping[str, str]) -> dict[str, str]:
    """Each module goes to the component of its longest matching package prefix."""

    assignment: dict[str, str] = {}
    for module in modules:
        parts = module.split(".")
        for end in range(len(parts), 0, -1):
            name = prefixes.get(".".join(parts[:end]))
            if name is not None:
                assignment[module] = name
                break
    return assignment


def _packages_at_depth(project: Project, modules: list[str], depth: int) -> list[str]:
    packages = {p.name for p in project.packages}
    package_modules = {source.module for source in project.files if source.is_package}
    found: set[str] = set()
    for module in modules:
        parts = module.split(".")
        if parts[0] not in packages or len(parts) <= depth:
            continue
        candidate = ".".join(parts[: depth + 1])
        # Only packages make components; a plain module at that depth stays in the root.
        if candidate in package_modules or len(parts) > depth + 1:
            found.add(candidate)
    return sorted(found)


def _django_apps(project: Project, django: DjangoSetup) -> dict[str, tuple[str, str]]:
    """Django app package -> (label, how it was found); empty if this is not Django."""

    if not django.is_django:
        return {}
    package_modules = {source.module for source in project.files if source.is_package}
    apps: dict[str, tuple[str, str]] = {}

    def add(package: str, label: str | None, why: str) -> None:
        if package not in package_modules:
            return  # a third-party app (django.contrib...) or a path outside the project
        current = apps.get(package)
        chosen = label or (current[0] if current else package.rsplit(".", 1)[-1])
        apps[package] = (chosen, current[1] if current else why)

    for decl in django.app_configs:
        package = decl.name
        label_note = f" (label {decl.label!r})" if decl.label else ""
        add(package, decl.label, f"AppConfig {decl.class_name} in {decl.path}{label_note}")
    configs_by_path = {f"{d.module}.{d.class_name}": d for d in django.app_configs}
    for settings in django.installed_apps:
        for entry in settings.entries:
            config = configs_by_path.get(entry)
            if config is not None:
                add(config.name, config.label, "")
            else:
                add(entry, None, f"in INSTALLED_APPS of {settings.path}")
    for module in django.model_modules:
        # The app holds its models module or package: ``app.models``, ``app.models.orders``
        # and even ``app.models.models`` all belong to ``app``.
        parts = module.split(".")
        package = ".".join(parts[: parts.index("models")])
        if not package:
            continue
        if package not in apps:
            add(package, None, f"has Django models ({module})")
    _check_unique_labels(apps)
    return apps


def _check_unique_labels(apps: Mapping[str, tuple[str, str]]) -> None:
    by_label: dict[str, str] = {}
    for package in sorted(apps):
        label = apps[package][0]
        if label in by_label:
            # Django refuses duplicate labels too; keep both visible by qualifying one.
            raise ConfigError(
                "django",
                "AppConfig.label",
                f"apps {by_label[label]!r} and {package!r} share the label {label!r}; "
                "declare components in [tool.seamfinder.components]",
            )
        by_label[label] = package


def _declared(
    specs: tuple[ComponentSpec, ...], modules: list[str], source: str
) -> tuple[dict[str, str], dict[str, str]]:
    """Most specific pattern wins; equally specific patterns of two components are an error."""

    compiled = [
        (spec.name, pattern, _pattern_regex(pattern)) for spec in specs for pattern in spec.modules
    ]
    assignment: dict[str, str] = {}
    for module in modules:
        best: tuple[int, str, str] | None = None
        for name, pattern, regex in compiled:
            if not regex.fullmatch(module):
                continue
            score = _specificity(pattern)
            if best is None or score > best[0]:
                best = (score, name, pattern)
            elif score == best[0] and name != best[1]:
                raise ConfigError(
                    source,
                    "tool.seamfinder.components",
                    f"module {module!r} matches {best[2]!r} ({best[1]}) and {pattern!r} "
                    f"({name}) equally; make one pattern more specific",
                )
        if best is not None:
            assignment[module] = best[1]
    reasons = {spec.name: f"declared in {source}: {', '.join(spec.modules)}" for spec in specs}
    return assignment, reasons


def _specificity(pattern: str) -> int:
    return sum(2 if part not in ("*", "**") else 1 for part in pattern.split("."))


def module_pattern(pattern: str) -> re.Pattern[str]:
    """The regex of a module pattern as components use it (contracts share the syntax)."""

    return _pattern_regex(pattern)


@lru_cache(maxsize=1024)
def _pattern_regex(pattern: str) -> re.Pattern[str]:
    """``a.b`` matches a.b and everything under it; ``*`` one part, ``**`` any number."""

    out: list[str] = []
    for index, part in enumerate(pattern.split(".")):
        sep = r"\." if index else ""
        if part == "**":
            out.append(f"(?:{sep}[^.]+)*" if index else r"[^.]+(?:\.[^.]+)*")
        elif part == "*":
            out.append(f"{sep}[^.]+")
        else:
            out.append(sep + re.escape(part))
    return re.compile("".join(out) + r"(?:\.[^.]+)*")


def path_grouper(
    project: Project, components: ComponentMap, excluded: Callable[[str], bool]
) -> Callable[[str], str | None]:
    """Map any path under the root (a template, a deleted file) to its component, or None.

    A current Python file maps through its module; any other path through the deepest
    folder holding a component's modules, so that a component's templates and its files
    deleted long ago count as its own. Excluded paths (tests, docs, migrations) and the
    root bucket map to None: they are not part of any component's history.
    """

    by_path = {f.path: components.component_of(f.module) for f in project.files}
    folders: dict[str, str] = {}
    for source in project.files:
        folder = source.path.rpartition("/")[0]
        component = by_path[source.path]
        if source.is_package and component != ROOT_COMPONENT:
            folders.setdefault(folder, component)

    def group_of(path: str) -> str | None:
        if excluded(path):
            return None
        component = by_path.get(path)
        if component is None:
            folder = path.rpartition("/")[0]
            while folder and folder not in folders:
                folder = folder.rpartition("/")[0]
            component = folders.get(folder)
        return None if component in (None, ROOT_COMPONENT) else component

    return group_of
