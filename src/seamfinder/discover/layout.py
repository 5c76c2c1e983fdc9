"""Give every module one name, resolving the clashes Python itself resolves.

Python accepts layouts in which a module name is found twice: a package beats a module of
the same name beside it (``app/management/__init__.py`` over ``app/management.py``), and a
loose script runs with its own folder first on ``sys.path``, so two scripts of one name in
two folders never meet. Both are decided here as Python decides them, and every decision is
a note (an SF004 finding). Only what Python itself would find ambiguous is a problem, and
all problems are returned together, each with the configuration line that settles it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from seamfinder.core.model import SourceFile
from seamfinder.core.project import LayoutNote


@dataclass(frozen=True, slots=True, order=True)
class Ambiguity:
    """A layout Python would not resolve either, and the paths whose exclusion settles it."""

    message: str
    excludes: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Resolved:
    files: tuple[SourceFile, ...]  # sorted, every module name once
    notes: tuple[LayoutNote, ...]
    problems: tuple[Ambiguity, ...]


def resolve_modules(files: Iterable[SourceFile], loose: frozenset[str]) -> Resolved:
    """Every file with a module name of its own; ``loose`` are paths outside any package."""

    by_module: dict[str, list[SourceFile]] = defaultdict(list)
    for source in sorted(files):
        by_module[source.module].append(source)
    kept: list[SourceFile] = []
    notes: list[LayoutNote] = []
    for module in sorted(by_module):
        group = by_module[module]
        scripts = [f for f in group if f.path in loose]
        if len(group) > 1 and scripts:
            # Scripts in different folders are separate roots: each keeps its own name,
            # qualified by its folder, and a package module of that name keeps it unqualified.
            renamed = [SourceFile(f.path, _folder_module(f.path), False) for f in scripts]
            others = " and ".join(f.path for f in group)
            notes.extend(
                LayoutNote(
                    f.path,
                    f.module,
                    f"{others} are all named {module!r}; each script runs from its own "
                    f"folder, so {f.path} is analysed as {f.module!r}",
                )
                for f in renamed
            )
            kept.extend(renamed)
            group = [f for f in group if f.path not in loose]
        kept.extend(_package_beats_module(group, notes))
    return _unique(kept, notes)


def _package_beats_module(group: list[SourceFile], notes: list[LayoutNote]) -> list[SourceFile]:
    """``x/__init__.py`` and ``x.py`` side by side: Python imports the package."""

    packages = [f for f in group if f.is_package]
    if len(group) < 2 or len(packages) != 1:
        return group
    package = packages[0]
    for hidden in group:
        if hidden is not package:
            notes.append(
                LayoutNote(
                    hidden.path,
                    hidden.module,
                    f"{hidden.path} is hidden by the package {package.path.rsplit('/', 1)[0]}/ "
                    f"of the same name ({hidden.module!r}): Python imports the package, so "
                    f"{hidden.path} is not analysed",
                )
            )
    return [package]


def _unique(kept: list[SourceFile], notes: list[LayoutNote]) -> Resolved:
    by_module: dict[str, list[str]] = defaultdict(list)
    for source in kept:
        by_module[source.module].append(source.path)
    problems = [
        Ambiguity(
            f"module {module!r} is defined {len(paths)} times ({', '.join(sorted(paths))})",
            tuple(sorted(paths)[1:]),
        )
        for module, paths in sorted(by_module.items())
        if len(paths) > 1
    ]
    if problems:
        return Resolved((), tuple(sorted(notes)), tuple(problems))
    return Resolved(tuple(sorted(kept)), tuple(sorted(notes)), ())


def _folder_module(path: str) -> str:
    """``tools/db/export_schema.py`` -> ``tools.db.export_schema``, as a namespace package
    from the root would name it."""

    return path[: -len(".py")].replace("/", ".")


def problems_message(shown: str, problems: Iterable[Ambiguity]) -> str:
    """One message for every ambiguity found, with the line that settles all of them."""

    found = sorted(problems)
    listed = "\n".join(f"  - {p.message}" for p in found)
    paste = ", ".join(f'"{e}"' for e in sorted({e for p in found for e in p.excludes}))
    return (
        f"{shown}: {len(found)} part(s) of the layout are ambiguous even to Python:\n{listed}\n"
        "Keep the code you mean to analyse: add to [tool.seamfinder] in pyproject.toml\n"
        f"  extend-exclude = [{paste}]"
    )
