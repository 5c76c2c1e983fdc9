"""Assign every module to exactly one component, and say how each component was found.

Components declared in config win. Otherwise a Django project's apps are its
components (see :mod:`seamfinder.resolve.apps`; the app label names the component, as
Django itself does). Otherwise the subpackages at ``depth`` below each top-level package
are. Without a depth chosen, a component holding most of the lines that is only a folder
of feature packages is split into them. What fits none goes to the root bucket.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache

from seamfinder.collect.django_apps import DjangoSetup
from seamfinder.config.settings import ComponentSpec, Config
from seamfinder.core.errors import ConfigError
from seamfinder.core.model import ROOT_COMPONENT, Component
from seamfinder.core.project import LayoutNote, Project
from seamfinder.resolve.apps import django_apps


@dataclass(frozen=True, slots=True)
class ComponentMap:
    components: tuple[Component, ...]  # sorted by name, the root bucket last
    of_module: Mapping[str, str]  # module -> component name
    app_labels: Mapping[str, str]  # Django app package -> app label
    notes: tuple[LayoutNote, ...] = ()  # decisions taken (duplicate labels), sorted

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
    model_modules: Iterable[str] = (),
) -> ComponentMap:
    modules = sorted(source.module for source in project.files)
    apps = django_apps(project, django, model_modules)
    labels = {app.package: app.label for app in apps.apps}
    package_of: dict[str, str]  # component name -> the package it is rooted at
    if config.components:
        assignment, reasons = _declared(config.components, modules, config.source)
        kinds = dict.fromkeys(reasons, "config")
        package_of = {
            spec.name: spec.modules[0]
            for spec in config.components
            if len(spec.modules) == 1 and "*" not in spec.modules[0]
        }
    else:
        if apps.apps:
            package_of = {app.name: app.package for app in apps.apps}
            reasons = {app.name: app.reason for app in apps.apps}
            kind = "django-app"
        else:
            depth = 1 if config.depth is None else config.depth
            packages = _packages_at_depth(project, modules, depth)
            package_of = {p: p for p in packages}
            reasons = dict.fromkeys(packages, f"package at depth {depth}")
            kind = "depth"
        kinds = dict.fromkeys(reasons, kind)
        if config.depth is None:
            # Only when the user chose no depth: theirs wins over this default.
            _descend_into_containers(project, modules, lines, package_of, reasons, kinds)
        assignment = _by_prefix(modules, {p: name for name, p in package_of.items()})

    members: dict[str, list[str]] = defaultdict(list)
    for module in modules:
        members[assignment.get(module, ROOT_COMPONENT)].append(module)
    components: list[Component] = []
    for name in sorted(members, key=lambda n: (n == ROOT_COMPONENT, n)):
        found = members[name]
        if name == ROOT_COMPONENT:
            detected, reason = "root", "modules that belong to no component"
        else:
            detected, reason = kinds.get(name, ""), reasons.get(name, "")
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
    return ComponentMap(tuple(components), of_module, labels, apps.notes)


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


# A container holds most of the code, defines little itself and is a folder of at least
# this many feature packages, which hold at least this share of its lines.
CONTAINER_MIN_PACKAGES = 3
CONTAINER_PACKAGE_SHARE = 0.75
CONTAINER_INIT_LINES = 100
_MAX_DESCENTS = 3


def _descend_into_containers(
    project: Project,
    modules: list[str],
    lines: Mapping[str, int],
    package_of: dict[str, str],
    reasons: dict[str, str],
    kinds: dict[str, str],
) -> None:
    """Split a component that holds most of the lines and is only a folder of feature
    packages (``indico/modules/``, an installed ``graphql`` app) into those packages.

    Its own modules (``__init__``, a few helpers) stay in a component of its name. App
    labels, and so table names, do not change: this is the architecture view only.
    """

    total = sum(lines.get(m, 0) for m in modules) or 1
    package_modules = {source.module for source in project.files if source.is_package}
    for _ in range(_MAX_DESCENTS):
        assignment = _by_prefix(modules, {p: name for name, p in package_of.items()})
        sizes: dict[str, int] = defaultdict(int)
        for module, name in assignment.items():
            sizes[name] += lines.get(module, 0)
        largest = max(sorted(sizes), key=lambda n: sizes[n], default=None)
        if largest is None or sizes[largest] * 2 <= total:
            return
        package = package_of[largest]
        members = [m for m, name in assignment.items() if name == largest]
        children = _feature_packages(package, members, lines, package_modules)
        if not children:
            return
        share = round(100 * sizes[largest] / total)
        for child in children:
            name = f"{largest}.{child.rsplit('.', 1)[-1]}"
            package_of[name] = child
            kinds[name] = kinds[largest]
            reasons[name] = (
                f"feature package of {package}, which held {share}% of the lines and is a "
                f"folder of {len(children)} packages (split by default; --depth or declared "
                "components override)"
            )


def _feature_packages(
    package: str, members: list[str], lines: Mapping[str, int], package_modules: set[str]
) -> list[str]:
    """The sub-packages of a container package, or [] when it is not one."""

    children = sorted(
        {
            f"{package}.{m[len(package) + 1 :].split('.', 1)[0]}"
            for m in members
            if m.startswith(package + ".")
        }
        & package_modules
    )
    inside = sum(
        lines.get(m, 0) for m in members if any(m == c or m.startswith(c + ".") for c in children)
    )
    own = sum(lines.get(m, 0) for m in members)
    if (
        len(children) < CONTAINER_MIN_PACKAGES
        or inside < CONTAINER_PACKAGE_SHARE * own
        or lines.get(package, 0) > CONTAINER_INIT_LINES
    ):
        return []
    return children


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
