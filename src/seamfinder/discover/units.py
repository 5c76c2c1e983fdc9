"""Tell a repository of several services from one project, and find its services.

Services are declared in ``[tool.seamfinder.services]`` or detected as deployable units:
the top-level folders, and the folders inside a conventional container (``services/``,
``src/``, ``apps/``...), that have a build file of their own (a Dockerfile of any name:
``Dockerfile``, ``Dockerfile-prod``, ``api.Dockerfile``, or one in a ``dockerfiles/`` or
``docker/`` subfolder; ``pyproject.toml``, ``setup.py``, ``requirements*.txt``,
``Procfile``) or, when they are not a Python package, an entry point (``main.py``,
``app.py``, ``manage.py``, ``service.py``...). Packaging metadata makes a service when it
declares a console script or depends on a server framework (:mod:`seamfinder.collect.packaging`);
otherwise it is a library's. Deployment files anywhere in the tree
(:mod:`seamfinder.collect.deployment`) add services and say how they are reached: the
``build:`` folders of compose services, and the folders named like a Kubernetes or Helm
workload (by its name, its ``app`` label or its image). A compose service or workload
lends its service its host names and environment. Folders under ``libs/``, ``lib/``,
``shared/`` are libraries; so is any other top-level folder holding a Python package (a
shared ``common/``).

It is a repository of services only when at least two services hold Python code: one
deployable folder next to a package is an ordinary project (a Django project with its
``sandbox/``), and its analysis stays exactly what it was. Nothing here imports or runs
anything; it only looks at names of files and reads deployment files.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable
from dataclasses import replace
from pathlib import Path

from seamfinder.collect.compose import ComposeService, read_compose
from seamfinder.collect.deployment import deployment_files
from seamfinder.collect.kubernetes import Manifests, Workload, read_manifests
from seamfinder.collect.packaging import read_packaging
from seamfinder.config.settings import Config
from seamfinder.core.errors import ConfigError
from seamfinder.core.project import EnvEntry, ServiceSpec

CONTAINERS = frozenset({"services", "src", "apps", "packages", "libs", "lib", "shared"})
LIBRARY_CONTAINERS = frozenset({"libs", "lib", "shared", "packages"})
PACKAGING = frozenset({"pyproject.toml", "setup.py", "setup.cfg"})
ENTRY_POINTS = frozenset(
    {"main.py", "app.py", "manage.py", "service.py", "server.py", "wsgi.py", "asgi.py"}
)
# Subfolders that hold a unit's Dockerfiles when it has several (dev, prod, test).
DOCKER_FOLDERS = ("dockerfiles", "docker", ".docker")


def detect_services(
    root: Path, config: Config, excluded: Callable[[str], bool]
) -> tuple[ServiceSpec, ...]:
    """The services and libraries of ``root``, or () when it is one project."""

    if not config.detect_services:
        return ()
    files = deployment_files(root, excluded)
    compose = read_compose(root, files.compose)
    manifests = (
        read_manifests(root, files.manifests, files.charts)
        if files.manifests or files.charts
        else Manifests((), ())
    )
    if config.services:
        return _with_published(_declared(root, config, compose, manifests), compose)
    if config.source_roots:
        return ()  # source roots describe one project
    units = _detected(root, compose, manifests, excluded)
    with_python = [u for u in units if u.kind == "service" and _has_python(root, u, excluded)]
    if len(with_python) < 2:
        return ()
    return _with_published(units, compose)


def _with_published(
    specs: tuple[ServiceSpec, ...], compose: tuple[ComposeService, ...]
) -> tuple[ServiceSpec, ...]:
    published = set()
    for service in compose:
        for mapping in service.ports:
            parts = mapping.split("/", 1)[0].split(":")
            if len(parts) >= 2 and parts[-2].isdigit() and parts[-1].isdigit():
                published.add((parts[-2], service.name, parts[-1]))
    if not published:
        return specs
    return tuple(replace(spec, published=tuple(sorted(published))) for spec in specs)


def _declared(
    root: Path, config: Config, compose: tuple[ComposeService, ...], manifests: Manifests
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
        workloads = _workloads_of(folders, manifests)
        specs.append(
            _spec(
                decl.name,
                decl.kind,
                folders,
                "config",
                f"declared in {config.source}",
                service,
                workloads,
                manifests,
            )
        )
    return tuple(sorted(specs, key=lambda s: s.name))


def _candidates(root: Path, excluded: Callable[[str], bool]) -> dict[str, bool]:
    """Folders that may be units, each with whether it sits in a library container."""

    found: dict[str, bool] = {}
    for top in _folders(root, "", excluded):
        children = []
        if top in CONTAINERS:
            children = [c for c in _folders(root, top, excluded) if _markers(root / c)]
        if children:
            for child in children:
                found[child] = top in LIBRARY_CONTAINERS
        elif _markers(root / top):
            found[top] = False
    return found


def _detected(
    root: Path,
    compose: tuple[ComposeService, ...],
    manifests: Manifests,
    excluded: Callable[[str], bool],
) -> tuple[ServiceSpec, ...]:
    found: dict[str, tuple[str, str]] = {}  # folder -> (kind, reason)
    for folder, library in _candidates(root, excluded).items():
        found[folder] = _kind(root / folder, library=library)
    by_folder: dict[str, ComposeService] = {}
    for declared in compose:
        if declared.build:  # the root ("") is the whole project, not one of its services
            by_folder.setdefault(declared.build, declared)
            if declared.build not in found and not excluded(declared.build):
                found[declared.build] = ("service", f"built by {declared.path} ({declared.name})")
    workloads_by_folder = _match_workloads(root, manifests, found, excluded)
    for folder, workloads in workloads_by_folder.items():
        kind, reason = found.get(folder, ("library", ""))
        first = workloads[0]
        where = f"{first.kind} {first.name} in {first.path}"
        found[folder] = ("service", f"{reason}; {where}" if reason else where)
    by_name = {c.name: c for c in compose}
    specs: list[ServiceSpec] = []
    for folder in sorted(found):
        kind, reason = found[folder]
        base = folder.rsplit("/", 1)[-1]
        service: ComposeService | None = by_folder.get(folder) or by_name.get(base)
        builds = service is not None and service.build == folder
        if builds and kind == "library":
            kind = "service"
        workloads = workloads_by_folder.get(folder, ())
        name = service.name if service is not None and builds else base
        detected_by = "compose" if builds else workloads[0].source if workloads else "markers"
        if service is not None and not reason.startswith("built by"):
            reason = f"{reason}; compose service {service.name!r} in {service.path}"
        specs.append(
            _spec(name, kind, (folder,), detected_by, reason, service, workloads, manifests)
        )
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


def _stems(name: str) -> set[str]:
    """``orders-service``, ``OrdersService`` and ``orders`` as one name."""

    squashed = re.sub(r"[^a-z0-9]", "", name.lower())
    stems = {squashed}
    for suffix in ("service", "svc", "app", "api"):
        if squashed.endswith(suffix) and len(squashed) > len(suffix):
            stems.add(squashed[: -len(suffix)])
    return stems


def _workload_names(workload: Workload) -> set[str]:
    names = {workload.name}
    names.update(v for k, v in workload.labels if k in ("app", "app.kubernetes.io/name"))
    for image in workload.images:
        names.add(image.split("@", 1)[0].rsplit("/", 1)[-1].split(":", 1)[0])
    return {stem for name in names for stem in _stems(name)}


def _match_workloads(
    root: Path,
    manifests: Manifests,
    found: dict[str, tuple[str, str]],
    excluded: Callable[[str], bool],
) -> dict[str, tuple[Workload, ...]]:
    """The workloads of each folder that is named like one: a unit already found, or a
    top-level (or container) folder (a service in another language, which others call)."""

    if not manifests.workloads:
        return {}
    folders = set(found)
    for top in _folders(root, "", excluded):
        folders.add(top)
        if top in CONTAINERS and top not in LIBRARY_CONTAINERS:
            folders.update(_folders(root, top, excluded))
    by_stem: dict[str, set[str]] = {}
    for folder in folders:
        for stem in _stems(folder.rsplit("/", 1)[-1]):
            by_stem.setdefault(stem, set()).add(folder)
    matched: dict[str, list[Workload]] = {}
    for workload in manifests.workloads:
        candidates = {f for stem in _workload_names(workload) for f in by_stem.get(stem, ())}
        if len(candidates) != 1:
            continue  # none, or it cannot be told which
        folder = candidates.pop()
        if folder in found and found[folder][0] == "library" and _in_library(folder):
            continue
        matched.setdefault(folder, []).append(workload)
    return {f: tuple(ws) for f, ws in matched.items()}


def _in_library(folder: str) -> bool:
    return "/" in folder and folder.split("/", 1)[0] in LIBRARY_CONTAINERS


def _workloads_of(folders: Iterable[str], manifests: Manifests) -> tuple[Workload, ...]:
    stems = {stem for folder in folders for stem in _stems(folder.rsplit("/", 1)[-1])}
    return tuple(w for w in manifests.workloads if _workload_names(w) & stems)


def _spec(
    name: str,
    kind: str,
    folders: tuple[str, ...],
    detected_by: str,
    reason: str,
    service: ComposeService | None,
    workloads: tuple[Workload, ...] = (),
    manifests: Manifests | None = None,
) -> ServiceSpec:
    hostnames = {name, *(f.rsplit("/", 1)[-1] for f in folders)}
    environment: list[EnvEntry] = list(service.environment) if service else []
    if service is not None:
        hostnames |= {service.name, *service.hostnames}
    for workload in workloads:
        hostnames.add(workload.name)
        if manifests is not None:
            hostnames.update(manifests.hostnames(workload))
        # Compose comes first: a variable it sets is what runs locally.
        known = {e.name for e in environment}
        environment.extend(e for e in workload.environment if e.name not in known)
    return ServiceSpec(
        name=name,
        kind=kind,
        folders=folders,
        detected_by=detected_by,
        reason=reason,
        hostnames=tuple(sorted(hostnames)),
        environment=tuple(environment),
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


def is_dockerfile(name: str) -> bool:
    """``Dockerfile``, ``Dockerfile.dev``, ``Dockerfile-prod``, ``api.Dockerfile``..."""

    lower = name.lower()
    return lower.startswith("dockerfile") or lower.endswith(".dockerfile")


def _is_build_file(name: str) -> bool:
    return (
        name in PACKAGING
        or name in ("Pipfile", "Procfile")
        or is_dockerfile(name)
        or (name.startswith("requirements") and name.endswith(".txt"))
    )


def _dockerfiles(folder: Path) -> list[str]:
    """The folder's Dockerfiles: its own, then those of a ``dockerfiles/`` subfolder."""

    found = sorted(n for n in _names(folder) if is_dockerfile(n))
    for sub in DOCKER_FOLDERS:
        found.extend(f"{sub}/{n}" for n in sorted(_names(folder / sub)) if is_dockerfile(n))
    return found


def _markers(folder: Path) -> bool:
    names = _names(folder)
    if any(_is_build_file(n) for n in names) or _dockerfiles(folder):
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
        or n == "Procfile"
        or (n.startswith("requirements") and n.endswith(".txt"))
    )
    runs = sorted([*runs, *_dockerfiles(folder)], key=lambda n: (not is_dockerfile(n), n))
    packaging = sorted(names & PACKAGING)
    metadata = read_packaging(folder) if packaging and not library else None
    if metadata is not None:
        runs.append(metadata.describe())
    if library or not runs:
        what = ", ".join(packaging or runs)
        return "library", f"shared code ({what})" if what else "shared code"
    return "service", f"deployable unit ({', '.join(runs[:3])})"


_PACKAGE_DEPTH = 3  # sdk/python/acme/__init__.py: an SDK's package sits two folders down


def _holds_package(folder: Path, excluded: Callable[[str], bool], relative: str) -> bool:
    # os.path.isfile: False, not PermissionError, inside a folder that cannot be read.
    if os.path.isfile(folder / "__init__.py"):
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
                if os.path.isfile(os.path.join(entry.path, "__init__.py")):
                    return True
                deeper.append((Path(entry.path), path))
        level = deeper
    return False


def _has_python(root: Path, spec: ServiceSpec, excluded: Callable[[str], bool]) -> bool:
    return any(_has_python_at(root, folder, excluded) for folder in spec.folders)


def _has_python_at(root: Path, folder: str, excluded: Callable[[str], bool]) -> bool:
    for current, dirnames, filenames in os.walk(root / folder):
        relative = Path(current).relative_to(root).as_posix()
        dirnames[:] = [d for d in dirnames if not excluded(f"{relative}/{d}")]
        if any(f.endswith(".py") and not excluded(f"{relative}/{f}") for f in filenames):
            return True
    return False
