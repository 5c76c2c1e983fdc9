"""Find what to analyse under a path: source roots, top-level packages and module files.

A folder with ``__init__.py`` whose parent has none is a top-level package, and its
parent is a source root; this covers flat layouts, ``src/`` layouts and Django projects
whose apps sit side by side. Python files outside any package (``manage.py``, scripts)
are loose modules named after the file. Nothing is imported.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from seamfinder.config.settings import Config
from seamfinder.core.errors import ProjectError
from seamfinder.core.model import SourceFile
from seamfinder.core.project import Package, Project, ServiceSpec, Unit, qualify
from seamfinder.discover.units import detect_services

# Every Alembic environment has its revision template; its folder holds migrations only.
ALEMBIC_MARKER = "script.py.mako"


class PathMatcher:
    """gitignore-like globs: a pattern without ``/`` matches any one path part by name;
    one with ``/`` matches the whole relative path, ``**`` spanning folders."""

    def __init__(self, patterns: Iterable[str]) -> None:
        names: list[str] = []
        paths: list[str] = []
        for pattern in patterns:
            stripped = pattern.strip("/")
            if "/" in stripped:
                paths.append(_glob_to_regex(stripped))
            else:
                names.append(_glob_to_regex(stripped))
        self._name = re.compile("|".join(names)) if names else None
        self._path = re.compile("|".join(paths)) if paths else None

    def matches(self, relative: str, name: str) -> bool:
        if self._name is not None and self._name.fullmatch(name):
            return True
        return self._path is not None and self._path.fullmatch(relative) is not None

    def excludes(self, relative: str) -> bool:
        """Whether a path, or any folder on the way to it, matches."""

        parts = relative.split("/")
        return any(self.matches("/".join(parts[: i + 1]), part) for i, part in enumerate(parts))


@lru_cache(maxsize=256)
def _glob_to_regex(glob: str) -> str:
    out: list[str] = []
    i = 0
    while i < len(glob):
        char = glob[i]
        if glob.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
            continue
        if glob.startswith("**", i):
            out.append(".*")
            i += 2
            continue
        if char == "*":
            out.append("[^/]*")
        elif char == "?":
            out.append("[^/]")
        else:
            out.append(re.escape(char))
        i += 1
    return "(?:" + "".join(out) + ")"


def discover(path: Path, config: Config, display: str | None = None) -> Project:
    """Walk ``path`` and return the project to analyse, or raise :class:`ProjectError`."""

    shown = display if display is not None else str(path)
    if not path.exists():
        raise ProjectError(f"{shown}: no such file or directory")
    if not path.is_dir():
        raise ProjectError(f"{shown}: not a directory (give the project's root folder)")
    root = path.resolve()
    matcher = PathMatcher(config.all_excludes)
    specs = detect_services(root, config, matcher.excludes)
    if specs:
        return _discover_units(root, shown, specs, matcher)
    if config.source_roots:
        starts = []
        for relative in config.source_roots:
            start = (root / relative).resolve()
            if not start.is_dir():
                raise ProjectError(
                    f"{config.source}: source-roots: {relative!r} is not a folder under {shown}"
                )
            starts.append(start)
    else:
        starts = [root]
    files: dict[str, SourceFile] = {}
    packages: dict[str, Package] = {}
    for start in starts:
        _walk(root, start, matcher, files, packages)
    if not files:
        raise ProjectError(
            f"{shown}: no Python package or module found (after excluding "
            f"{', '.join(config.all_excludes[:4])}, ...); give the project's root folder, "
            "or set source-roots in [tool.seamfinder]"
        )
    _check_unique_modules(files.values(), shown)
    source_roots = sorted({p.source_root for p in packages.values()} | set(starts))
    return Project(
        root=root,
        display_root=shown,
        source_roots=tuple(source_roots),
        packages=tuple(sorted(packages.values(), key=lambda p: p.name)),
        files=tuple(sorted(files.values())),
    )


def _walk(
    root: Path,
    start: Path,
    matcher: PathMatcher,
    files: dict[str, SourceFile],
    packages: dict[str, Package],
) -> None:
    # prefix[folder] is the dotted package a folder is, or None for a plain folder.
    prefix: dict[str, str | None] = {}
    for folder, dirnames, filenames in os.walk(start):
        if ALEMBIC_MARKER in filenames:
            # An Alembic environment (env.py, versions/): migrations, whatever its name.
            dirnames[:] = []
            continue
        rel_folder = _relative(root, folder)
        parent = prefix.get(os.path.dirname(folder))
        name = os.path.basename(folder)
        is_package = "__init__.py" in filenames
        package_prefix: str | None = None
        if is_package and parent is None:
            # A top-level package (possibly the analysed folder itself).
            if name.isidentifier():
                package_prefix = name
                _add_package(packages, Package(name, Path(folder), Path(folder).parent))
        elif parent is not None and name.isidentifier():
            package_prefix = f"{parent}.{name}"  # regular or namespace subpackage
        prefix[folder] = package_prefix
        dirnames[:] = sorted(d for d in dirnames if not matcher.matches(_join(rel_folder, d), d))
        for filename in sorted(filenames):
            if not filename.endswith(".py"):
                continue
            rel = _join(rel_folder, filename)
            if matcher.matches(rel, filename):
                continue
            stem = filename[:-3]
            if package_prefix is None:
                if not stem.isidentifier():
                    continue
                module, is_init = stem, False
            elif stem == "__init__":
                module, is_init = package_prefix, True
            elif stem.isidentifier():
                module, is_init = f"{package_prefix}.{stem}", False
            else:
                continue
            files[rel] = SourceFile(rel, module, is_init)


def _discover_units(
    root: Path, shown: str, specs: tuple[ServiceSpec, ...], matcher: PathMatcher
) -> Project:
    """Each service and library walked as a project of its own, then put side by side."""

    units: list[Unit] = []
    for spec in specs:
        files: dict[str, SourceFile] = {}
        packages: dict[str, Package] = {}
        starts = [(root / folder).resolve() for folder in spec.folders]
        for start in starts:
            _walk(root, start, matcher, files, packages)
        _check_unique_modules(files.values(), f"{shown} (service {spec.name})")
        project = Project(
            root=root,
            display_root=shown,
            source_roots=tuple(sorted({p.source_root for p in packages.values()} | set(starts))),
            packages=tuple(sorted(packages.values(), key=lambda p: p.name)),
            files=tuple(sorted(files.values())),
        )
        units.append(Unit(spec, project))
    merged = {
        f.path: SourceFile(f.path, qualify(u.name, f.module), f.is_package)
        for u in units
        for f in u.project.files
    }
    return Project(
        root=root,
        display_root=shown,
        source_roots=tuple(sorted({r for u in units for r in u.project.source_roots})),
        packages=(),
        files=tuple(sorted(merged.values())),
        units=tuple(units),
    )


def _add_package(packages: dict[str, Package], package: Package) -> None:
    existing = packages.get(package.name)
    if existing is not None and existing.directory != package.directory:
        raise ProjectError(
            f"package {package.name!r} is found twice, in {existing.directory} and "
            f"{package.directory}; analyse each project separately, or set source-roots "
            "in [tool.seamfinder] to the one you mean"
        )
    packages[package.name] = package


def _check_unique_modules(files: Iterable[SourceFile], shown: str) -> None:
    seen: dict[str, str] = {}
    for source in sorted(files):
        other = seen.setdefault(source.module, source.path)
        if other != source.path:
            raise ProjectError(
                f"{shown}: module {source.module!r} is defined twice ({other} and "
                f"{source.path}); set source-roots or extend-exclude in [tool.seamfinder] "
                "so that each module name is found once"
            )


def _relative(root: Path, folder: str) -> str:
    rel = os.path.relpath(folder, root)
    return "" if rel == "." else rel.replace(os.sep, "/")


def _join(folder: str, name: str) -> str:
    return f"{folder}/{name}" if folder else name
