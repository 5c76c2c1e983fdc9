"""Tell a repository of several services from one project, and find its services.

Services are declared in ``[tool.seamfinder.services]`` or detected as deployable units:
the top-level folders, and the folders inside a conventional container (``services/``,
``src/``, ``apps/``...), that have a build file of their own (``Dockerfile``,
``pyproject.toml``, ``setup.py``, ``requirements*.txt``, ``Procfile``) or, when they are
not a Python package, an entry point (``main.py``, ``app.py``, ``manage.py``,
``service.py``...); and the ``build:`` folders of the services of a compose file at the
root. A compose service of the same name as a folder lends it its host names and
environment. Folders under ``libs/``, ``lib/``, ``shared/``, and those with packaging
metadata but nothing that runs, are libraries; so is any other top-level folder holding a
Python package (a shared ``common/``).

It is a repository of services only when at least two services hold Python code: one
deployable folder next to a package is an ordinary project (a Django project with its
``sandbox/``), and its analysis stays exactly what it was. Nothing here imports or runs
anything; it only looks at names of files and reads compose files.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from seamfinder.collect.compose import ComposeService, read_compose
from seamfinder.config.settings import Config
from seamfinder.core.errors import ConfigError
from seamfinder.core.project import ServiceSpec

CONTAINERS = frozenset({"services", "src", "apps", "packages", "libs", "lib", "shared"})
LIBRARY_CONTAINERS = frozenset({"libs", "lib", "shared", "packages"})
PACKAGING = frozenset({"pyproject.toml", "setup.py", "setup.cfg"})
ENTRY_POINTS = frozenset(
    {"main.py", "app.py", "manage.py", "service.py", "server.py", "wsgi.py", "asgi.py"}
)


def detect_services(
    root: Path, config: Config, excluded: Callable[[str], bool]
) -> tuple[ServiceSpec, ...]:
    """The services and libraries of ``root``, or () when it is one project."""

    if not config.detect_services:
        return ()
    compose = read_compose(root)
    if config.services:
        return _declared(root, config, compose)
    if config.source_roots:
        return ()  # source roots describe one project
    units = _detected(root, compose, excluded)
    with_python = [u for u in units if u.kind == "service" and _has_python(root, u, excluded)]
    if len(with_python) < 2:
        return ()
    return units


def _declared(
    root: Path, config: Config, compose: tuple[ComposeService, ...]
) -> tuple[ServiceSpec, ...]:
    by_name = {c.name: c for c in compose}
    specs = []
    for decl in config.services:
        for folder in decl.paths:
            if not (root / folder).is_dir():
                raise ConfigError(
                    config.source,
                    f"tool.seamfinder.services.{decl.name}",
                    f"{folder!r} is not a folder under the analysed path",
                )
        folders = tuple(p.strip("/") for p in decl.paths)
        service = by_name.get(decl.name) or next(
            (c for c in compose if c.build is not None and c.build in folders), None
        )
        specs.append(
            _spec(
                decl.name,
                decl.kind,
                folders,
                "config",
                f"declared in {config.source}",
                service,
            )
        )
    return tuple(sorted(specs, key=lambda s: s.name))


def _detected(
    root: Path, compose: tuple[ComposeService, ...], excluded: Callable[[str], bool]
) -> tuple[ServiceSpec, ...]:
    found: dict[str, tuple[str, str]] = {}  # folder -> (kind, reason)
    for top in _folders(root, "", excluded):
        children = []
        if top in CONTAINERS:
            children = [c for c in _folders(root, top, excluded) if _markers(root / c)]
        if children:
            for child in children:
                kind, reason = _kind(root / child, library=top in LIBRARY_CONTAINERS)
                found[child] = (kind, reason)
        elif _markers(root / top):
            found[top] = _kind(root / top, library=False)
    by_folder: dict[str, ComposeService] = {}
    for declared in compose:
        if declared.build:  # the root ("") is the whole project, not one of its services
            by_folder.setdefault(declared.build, declared)
            if declared.build not in found and not excluded(declared.build):
                found[declared.build] = ("service", f"built by {declared.path} ({declared.name})")
    by_name = {c.name: c for c in compose}
    specs: list[ServiceSpec] = []
    for folder in sorted(found):
        kind, reason = found[folder]
        base = folder.rsplit("/", 1)[-1]
        service: ComposeService | None = by_folder.get(folder) or by_name.get(base)
        if service is not None and kind == "library" and service.build == folder:
            kind = "service"
        name = service.name if service is not None and service.build == folder else base
        detected_by = "compose" if service is not None and service.build == folder else "markers"
        if service is not None and service.name not in reason:
            reason = f"{reason}; compose service {service.name!r} in {service.path}"
        specs.append(_spec(name, kind, (folder,), detected_by, reason, service))
    taken = {f for s in specs for f in s.folders}
    for top in _folders(root, "", excluded):
        if top in taken or any(f.startswith(top + "/") for f in taken):
            continue
        if _holds_package(root / top, excluded, top):
            specs.append(
                ServiceSpec(
                    top, "library", (top,), "shared-code", "a Python package outside every service"
                )
            )
    return _unique_names(specs)


def _spec(
    name: str,
    kind: str,
    folders: tuple[str, ...],
    detected_by: str,
    reason: str,
    service: ComposeService | None,
) -> ServiceSpec:
    hostnames = {name, *(f.rsplit("/", 1)[-1] for f in folders)}
    if service is not None:
        hostnames |= {service.name, *service.hostnames}
    return ServiceSpec(
        name=name,
        kind=kind,
        folders=folders,
        detected_by=detected_by,
        reason=reason,
        hostnames=tuple(sorted(hostnames)),
        environment=service.environment if service else (),
        ports=service.ports if service else (),
        compose_path=service.path if service else None,
        compose_line=service.line if service else 0,
    )


def _unique_names(specs: list[ServiceSpec]) -> tuple[ServiceSpec, ...]:
    """Two folders of one name (``services/orders``, ``workers/orders``) get their path."""

    counts: dict[str, int] = {}
    for spec in specs:
        counts[spec.name] = counts.get(spec.name, 0) + 1
    unique = []
    for found in specs:
        spec = found
        if counts[found.name] > 1:
            spec = ServiceSpec(
                spec.folders[0],
                spec.kind,
                spec.folders,
                spec.detected_by,
                spec.reason,
                spec.hostnames,
                spec.environment,
                spec.ports,
                spec.compose_path,
                spec.compose_line,
            )
        unique.append(spec)
    return tuple(sorted(unique, key=lambda s: s.name))


def _folders(root: Path, relative: str, excluded: Callable[[str], bool]) -> list[str]:
    try:
        entries = sorted(os.scandir(root / relative), key=lambda e: e.name)
    except OSError:
        return []
    found = []
    for entry in entries:
        path = f"{relative}/{entry.name}" if relative else entry.name
        if entry.is_dir(follow_symlinks=False) and not excluded(path):
            found.append(path)
    return found


def _names(folder: Path) -> set[str]:
    try:
        return {e.name for e in os.scandir(folder) if e.is_file()}
    except OSError:
        return set()


def _is_build_file(name: str) -> bool:
    return (
        name in PACKAGING
        or name in ("Pipfile", "Procfile")
        or name == "Dockerfile"
        or name.startswith("Dockerfile.")
        or name.endswith(".Dockerfile")
        or (name.startswith("requirements") and name.endswith(".txt"))
    )


def _markers(folder: Path) -> bool:
    names = _names(folder)
    if any(_is_build_file(n) for n in names):
        return True
    return "__init__.py" not in names and bool(names & ENTRY_POINTS)


def unit_kind(folder: Path) -> tuple[str, str]:
    """Service or library, and why, for a folder analysed apart from the rest."""

    return _kind(folder, library=False)


def _kind(folder: Path, *, library: bool) -> tuple[str, str]:
    names = _names(folder)
    runs = sorted(
        n
        for n in names
        if n in ENTRY_POINTS
        or n in ("Procfile", "Dockerfile")
        or n.startswith("Dockerfile.")
        or (n.startswith("requirements") and n.endswith(".txt"))
    )
    packaging = sorted(names & PACKAGING)
    if library or not runs:
        what = ", ".join(packaging or runs)
        return "library", f"shared code ({what})" if what else "shared code"
    return "service", f"deployable unit ({', '.join(runs[:3])})"


_PACKAGE_DEPTH = 3  # sdk/python/acme/__init__.py: an SDK's package sits two folders down


def _holds_package(folder: Path, excluded: Callable[[str], bool], relative: str) -> bool:
    if (folder / "__init__.py").is_file():
        return True
    level = [(folder, relative)]
    for _ in range(_PACKAGE_DEPTH):
        deeper = []
        for current, rel in level:
            try:
                entries = sorted(os.scandir(current), key=lambda e: e.name)
            except OSError:
                continue
            for entry in entries:
                path = f"{rel}/{entry.name}"
                if not entry.is_dir(follow_symlinks=False) or excluded(path):
                    continue
                if (Path(entry.path) / "__init__.py").is_file():
                    return True
                deeper.append((Path(entry.path), path))
        level = deeper
    return False


def _has_python(root: Path, spec: ServiceSpec, excluded: Callable[[str], bool]) -> bool:
    for folder in spec.folders:
        for current, dirnames, filenames in os.walk(root / folder):
            relative = Path(current).relative_to(root).as_posix()
            dirnames[:] = [d for d in dirnames if not excluded(f"{relative}/{d}")]
            if any(f.endswith(".py") and not excluded(f"{relative}/{f}") for f in filenames):
                return True
    return False
