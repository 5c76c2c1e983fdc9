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
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

from seamfinder.collect.compose import compose_problems
from seamfinder.collect.source import read_source
from seamfinder.config.settings import Config
from seamfinder.core.errors import ProjectError
from seamfinder.core.model import ParseFailure, SourceFile
from seamfinder.core.project import (
    LayoutNote,
    Package,
    Project,
    ServiceSpec,
    SkippedFile,
    Unit,
    qualify,
)
from seamfinder.discover.layout import Ambiguity, problems_message, resolve_modules
from seamfinder.discover.units import detect_services, unit_kind

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


@dataclass
class _Walked:
    """What walking some folders found, before module names are made unique."""

    files: dict[str, SourceFile] = field(default_factory=dict)
    packages: dict[str, list[Package]] = field(default_factory=dict)
    loose: set[str] = field(default_factory=set)  # paths of modules outside any package
    skipped: dict[str, str] = field(default_factory=dict)  # path -> why
    unread: set[ParseFailure] = field(default_factory=set)  # folders os.walk could not read

    def clashes(self) -> dict[str, list[Package]]:
        return {n: ps for n, ps in sorted(self.packages.items()) if len(ps) > 1}


def discover(path: Path, config: Config, display: str | None = None) -> Project:
    """Walk ``path`` and return the project to analyse, or raise :class:`ProjectError`."""

    shown = display if display is not None else str(path)
    if not path.exists():
        raise ProjectError(f"{shown}: no such file or directory")
    if not path.is_dir():
        raise ProjectError(f"{shown}: not a directory (give the project's root folder)")
    root = path.resolve()
    matcher = PathMatcher(config.all_excludes)
    project = _discover(root, shown, config, matcher)
    problems = compose_problems(root) if config.detect_services else ()
    if problems:
        merged = sorted({*problems, *project.problems}, key=lambda p: p.path)
        project = replace(project, problems=tuple(merged))
    return project


def _discover(root: Path, shown: str, config: Config, matcher: PathMatcher) -> Project:
    specs = detect_services(root, config, matcher.excludes)
    if specs:
        return _discover_units(root, shown, specs, matcher)
    if config.source_roots:
        starts = []
        for relative in config.source_roots:
            start = (root / relative).resolve()
            if not start.is_dir() or not start.is_relative_to(root):
                raise ProjectError(
                    f"{config.source}: source-roots: {relative!r} is not a folder under {shown}"
                )
            starts.append(start)
    else:
        starts = [root]
    walked = _Walked()
    for start in starts:
        _walk(root, start, matcher, walked)
    namespaces = namespace_roots(root, starts, walked)
    if namespaces:  # walked again, with those folders as packages (rare)
        walked = _Walked()
        for start in starts:
            _walk(root, start, matcher, walked, namespaces)
    if not walked.files:
        raise ProjectError(
            f"{shown}: no Python package or module found (after excluding "
            f"{', '.join(config.all_excludes[:4])}, ...); give the project's root folder, "
            "or set source-roots in [tool.seamfinder]"
        )
    if walked.clashes() and not config.source_roots:
        # An SDK beside its server, each with a package of one name: two units side by side.
        clash_specs = _unique_names(_clash_units(root, matcher, walked))
        if len(clash_specs) > 1:
            left = _outside_units(walked, clash_specs)
            return _discover_units(root, shown, clash_specs, matcher, left)
    return _project(root, shown, starts, walked, shown)


def _project(root: Path, shown: str, starts: list[Path], walked: _Walked, where: str) -> Project:
    clashes = walked.clashes()
    problems = [_package_ambiguity(root, name, found) for name, found in clashes.items()]
    # A package found twice has every module twice: the package is the one problem.
    files = [f for f in walked.files.values() if f.module.split(".", 1)[0] not in clashes]
    resolved = resolve_modules(files, frozenset(walked.loose))
    problems.extend(resolved.problems)
    if problems:
        raise ProjectError(problems_message(where, problems))
    packages = {name: found[0] for name, found in walked.packages.items()}
    return Project(
        root=root,
        display_root=shown,
        source_roots=tuple(sorted({p.source_root for p in packages.values()} | set(starts))),
        packages=tuple(sorted(packages.values(), key=lambda p: p.name)),
        files=resolved.files,
        notes=resolved.notes,
        skipped=tuple(SkippedFile(p, why) for p, why in sorted(walked.skipped.items())),
        problems=tuple(sorted(walked.unread, key=lambda p: p.path)),
    )


def _package_ambiguity(root: Path, name: str, found: list[Package]) -> Ambiguity:
    places = sorted(_relative(root, str(p.directory)) or "." for p in found)
    return Ambiguity(
        f"package {name!r} is found {len(places)} times ({', '.join(places)}) in one source root",
        tuple(places[1:]),
    )


def _walk(
    root: Path,
    start: Path,
    matcher: PathMatcher,
    walked: _Walked,
    namespaces: frozenset[str] = frozenset(),
) -> None:
    # prefix[folder] is the dotted package a folder is, or None for a plain folder.
    prefix: dict[str, str | None] = {}

    def cannot_read(error: OSError) -> None:  # an unreadable folder, a path past PATH_MAX
        where = _relative(root, error.filename) if error.filename else "."
        walked.unread.add(ParseFailure(where, f"folder not read: {error.strerror or error}"))

    for folder, dirnames, filenames in os.walk(start, onerror=cannot_read):
        if ALEMBIC_MARKER in filenames:
            # An Alembic environment (env.py, versions/): migrations, whatever its name.
            dirnames[:] = []
            continue
        rel_folder = _relative(root, folder)
        parent = prefix.get(os.path.dirname(folder))
        name = os.path.basename(folder)
        is_package = "__init__.py" in filenames or folder in namespaces
        package_prefix: str | None = None
        if is_package and parent is None:
            # A top-level package (possibly the analysed folder itself).
            if name.isidentifier():
                package_prefix = name
                found = walked.packages.setdefault(name, [])
                if all(p.directory != Path(folder) for p in found):
                    found.append(Package(name, Path(folder), Path(folder).parent))
        elif parent is not None and name.isidentifier():
            package_prefix = f"{parent}.{name}"  # regular or namespace subpackage
        prefix[folder] = package_prefix
        dirnames[:] = sorted(d for d in dirnames if not matcher.matches(_join(rel_folder, d), d))
        for filename in sorted(filenames):
            if filename.endswith(".py"):
                _add_file(walked, matcher, _join(rel_folder, filename), package_prefix)


def _add_file(walked: _Walked, matcher: PathMatcher, rel: str, package: str | None) -> None:
    filename = rel.rsplit("/", 1)[-1]
    if matcher.matches(rel, filename):
        walked.skipped[rel] = "excluded by name"
        return
    stem = filename[:-3]
    if stem == "__init__" and package is not None:
        walked.files[rel] = SourceFile(rel, package, True)
    elif not stem.isidentifier():
        # ``export-schema.py`` cannot be imported: a script, counted and listed, not analysed.
        walked.skipped[rel] = "not a module name"
    elif package is None:
        walked.files[rel] = SourceFile(rel, stem, False)
        walked.loose.add(rel)
    else:
        walked.files[rel] = SourceFile(rel, f"{package}.{stem}", False)


def _clash_units(
    root: Path, matcher: PathMatcher, walked: _Walked, base: str = ""
) -> tuple[ServiceSpec, ...]:
    """The folders under ``base`` to analyse apart so that no two hold a package of one name.

    The folders of ``base`` first; a folder that still holds a package twice is split into
    its own folders, down to the folder of each clashing package's source root.
    """

    clashing = {
        _relative(root, str(p.source_root)) for found in walked.clashes().values() for p in found
    }
    folders: list[str] = []
    pending = _subfolders(root, base, matcher)
    while pending:
        folder = pending.pop(0)
        if not any(f.startswith(folder + "/") for f in walked.files):
            continue
        if folder in clashing or not any(c.startswith(folder + "/") for c in clashing):
            folders.append(folder)
        else:
            pending.extend(_subfolders(root, folder, matcher))
    specs = []
    for folder in sorted(folders):
        kind, reason = unit_kind(root / folder)
        why = "holds a package whose name another folder's package has too"
        # Named by the path under ``base``: "sdk/python" says more than "python".
        name = folder.removeprefix(base).strip("/")
        specs.append(ServiceSpec(name, kind, (folder,), "package-clash", f"{why}; {reason}"))
    return tuple(specs)


def _subfolders(root: Path, folder: str, matcher: PathMatcher) -> list[str]:
    try:
        entries = sorted(os.scandir(root / folder), key=lambda e: e.name)
    except OSError:
        return []
    found = []
    for entry in entries:
        path = _join(folder, entry.name)
        if entry.is_dir(follow_symlinks=False) and not matcher.excludes(path):
            found.append(path)
    return found


def _unique_names(specs: Iterable[ServiceSpec]) -> tuple[ServiceSpec, ...]:
    """Units of one name (two ``api`` folders) are named by their folder instead."""

    listed = list(specs)
    names = [s.name for s in listed]
    unique = [
        replace(s, name=s.folders[0]) if names.count(s.name) > 1 and s.folders else s
        for s in listed
    ]
    return tuple(sorted(unique, key=lambda s: s.name))


def _outside_units(walked: _Walked, specs: tuple[ServiceSpec, ...]) -> tuple[LayoutNote, ...]:
    """One note per folder whose own files fall in no unit (loose files beside the units)."""

    inside = tuple(f"{folder}/" for spec in specs for folder in spec.folders)
    left: dict[str, list[str]] = {}
    for path in sorted(walked.files):
        if not path.startswith(inside):
            left.setdefault(path.rpartition("/")[0], []).append(path)
    return tuple(
        LayoutNote(
            paths[0],
            folder or ".",
            f"{len(paths)} file(s) directly in {folder or 'the root'} ({', '.join(paths[:3])}"
            f"{', ...' if len(paths) > 3 else ''}) belong to none of the folders analysed "
            "apart and are not analysed",
        )
        for folder, paths in sorted(left.items())
    )


def namespace_roots(root: Path, starts: list[Path], walked: _Walked) -> frozenset[str]:
    """Folders that are PEP 420 namespace packages: no ``__init__.py``, packages inside,
    and an import statement that names one of those packages through the folder's name
    (``from acme.billing import x``; a string such as a logger's name is no evidence).

    Without the evidence such a folder is a source root (``src/``), as before.
    """

    candidates: dict[Path, list[str]] = {}
    for name, found in walked.packages.items():
        for package in found:
            folder = package.source_root
            named = folder.name.isidentifier() and folder.name not in _ROOTS
            if named and folder not in starts and not os.path.exists(folder / "__init__.py"):
                candidates.setdefault(folder, []).append(name)
    # ``netbox/netbox/netbox/``: ``netbox.x`` names the inner package, not the folder.
    candidates = {f: names for f, names in candidates.items() if f.name not in names}
    if not candidates:
        return frozenset()
    patterns = {
        folder: re.compile(
            rf"^[ \t]*(?:from|import)[ \t]+{re.escape(folder.name)}\."
            rf"(?:{'|'.join(map(re.escape, sorted(names)))})\b",
            re.M,
        )
        for folder, names in candidates.items()
    }
    found_in: set[str] = set()
    for source in sorted(walked.files.values()):
        if len(found_in) == len(patterns):
            break
        data = read_source(root / source.path, source.path)
        if not isinstance(data, bytes):
            continue
        text = data.decode("utf-8", "replace")
        found_in.update(str(f) for f, pattern in patterns.items() if pattern.search(text))
    return frozenset(found_in)


# Folder names that are source roots by convention, never namespace packages.
_ROOTS = frozenset({"src", "lib", "source", "sources", "python", "site-packages"})


def _discover_units(
    root: Path,
    shown: str,
    specs: tuple[ServiceSpec, ...],
    matcher: PathMatcher,
    notes: tuple[LayoutNote, ...] = (),
) -> Project:
    """Each service and library walked as a project of its own, then put side by side."""

    units: list[Unit] = []
    problems: list[Ambiguity] = []
    walks: list[tuple[ServiceSpec, _Walked]] = []
    notes_found = list(notes)
    for spec in specs:
        walked = _Walked()
        for folder in spec.folders:
            _walk(root, (root / folder).resolve(), matcher, walked)
        split = _clash_units(root, matcher, walked, spec.folders[0]) if walked.clashes() else ()
        if len(spec.folders) == 1 and len(split) > 1:
            # A service holding an SDK's package twice: its folders are analysed apart too.
            notes_found.extend(_outside_units(walked, split))
            for part in split:
                part_walk = _Walked()
                _walk(root, (root / part.folders[0]).resolve(), matcher, part_walk)
                walks.append((replace(part, name=f"{spec.name}/{part.name}"), part_walk))
        else:
            walks.append((spec, walked))
    named = {s.folders: s for s in _unique_names(s for s, _ in walks)}
    for found, walked in walks:
        spec = named[found.folders]
        starts = [(root / folder).resolve() for folder in spec.folders]
        try:
            project = _project(root, shown, starts, walked, f"{shown} (unit {spec.name})")
        except ProjectError as exc:
            problems.append(Ambiguity(str(exc), ()))
            continue
        units.append(Unit(spec, project))
    if problems:
        raise ProjectError("\n".join(p.message for p in problems))
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
        units=tuple(sorted(units, key=lambda u: u.name)),
        notes=tuple(sorted({*notes_found, *(n for u in units for n in u.project.notes)})),
        skipped=tuple(sorted({s for u in units for s in u.project.skipped})),
        problems=tuple(
            sorted({p for u in units for p in u.project.problems}, key=lambda p: p.path)
        ),
    )


def _relative(root: Path, folder: str) -> str:
    rel = os.path.relpath(folder, root)
    return "" if rel == "." else rel.replace(os.sep, "/")


def _join(folder: str, name: str) -> str:
    return f"{folder}/{name}" if folder else name
