"""The import graph, from grimp, without importing a line of the analysed project.

grimp locates packages through ``sys.path``, so the project's source roots go first on
it for the duration of the build, and every package grimp resolves is checked to live
under the analysed root: an installed package of the same name must never be analysed
in its place. grimp stops at the first file it cannot read, so a file that fails is
hidden from it in a shadow tree of symlinks and reported as SF001 instead.

Some files grimp cannot take at all, and they are kept from it before it starts: a
relative import that climbs above the top-level package makes its Rust core panic (an
SF001 here), and an import line of a hundred kilobytes costs gigabytes there (grimp keeps
the whole line with each name it imports); such a file is hidden too, and its imports are
read from its text, as those of the modules grimp never sees. A panic that still escapes
grimp (``PanicException`` is a ``BaseException``) is a one-line error, not a traceback.
"""

from __future__ import annotations

import ast
import contextlib
import importlib.util
import os
import re
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import grimp

from seamfinder.collect.source import parse_source, read_source
from seamfinder.collect.statements import imported_modules, statement_at
from seamfinder.core.errors import ProjectError
from seamfinder.core.model import ImportEdge, ImportScope, Location, ParseFailure, SourceFile
from seamfinder.core.project import Package, Project

_MAX_REBUILDS = 50


@dataclass(frozen=True, slots=True)
class ImportScan:
    edges: tuple[ImportEdge, ...]
    failures: tuple[ParseFailure, ...]  # files grimp could not read
    # With ``external=True``: imports of packages outside the project, ``imported`` being
    # the top-level name (grimp squashes them), for telling a service's imports of another.
    external: tuple[ImportEdge, ...] = ()


def build_import_graph(
    project: Project,
    texts: Mapping[str, str],
    known_failures: Mapping[str, ParseFailure],
    cache_dir: Path | None,
    *,
    external: bool = False,
) -> ImportScan:
    """Import edges between the project's modules, with the scope of each statement.

    ``texts`` maps relative paths to decoded source (to tell the scope of an import
    from its indentation); ``known_failures`` are files already known to be unreadable.
    """

    if not project.packages:
        return ImportScan(tuple(_unseen_edges(project, set(), texts)), ())
    _check_packages_resolve_here(project.packages)
    # Folders discovery could not read are hidden too: grimp would stop on them.
    unread = {p.path: p for p in project.problems}
    failures = {**known_failures, **unread, **_beyond_top_level(project, texts)}
    wide = _wide_import_lines(project, texts, failures)
    rewrites: dict[str, str] = {}  # files Python decodes but grimp cannot: given as UTF-8
    graph = None
    dropped = False
    for _ in range(_MAX_REBUILDS):
        with _package_tree(project, {**failures, **wide}, rewrites) as (search_path, originals):
            # The failing file is named by its path in the shadow tree: map it back
            # while the tree (and its symlinks) still exists.
            shadowed = bool(failures or wide or rewrites)
            try:
                graph = _build(project.packages, search_path, cache_dir, shadowed, external)
                break
            except grimp.exceptions.SourceSyntaxError as exc:
                problem = str(exc)
                failure = _failure_from_grimp(
                    project, originals(exc.filename), exc.lineno, exc.text
                )
            except UnicodeError as exc:
                problem = str(exc)
                failure = _failure_from_decode_error(project, problem, originals)
                if cache_dir is not None and _in_cache(problem, cache_dir):
                    # grimp read a damaged file of its own cache: the cache is never
                    # analysed, it is dropped and written again (or not used at all).
                    shutil.rmtree(cache_dir / "grimp", ignore_errors=True)
                    cache_dir = None if dropped else cache_dir
                    dropped = True
                    continue
                if failure is not None and failure.path in texts and failure.path not in rewrites:
                    # ``# coding: utf`` is an alias Python knows and grimp does not.
                    rewrites[failure.path] = _without_coding_cookie(texts[failure.path])
                    continue
            except BaseException as exc:  # a Rust panic: pyo3's PanicException
                if not _is_panic(exc):
                    raise
                raise ProjectError(
                    f"grimp could not build the import graph: it failed with "
                    f"{_one_line(str(exc))!r}; exclude the file it stops on (extend-exclude)"
                ) from None
        if failure is None or failure.path in failures:
            raise ProjectError(
                f"grimp could not build the import graph: {failure or _one_line(problem)}"
            )
        failures[failure.path] = failure
    if graph is None:
        raise ProjectError("grimp could not build the import graph: too many unreadable files")

    modules = {source.module: source for source in project.files}
    edges = _grimp_edges(
        graph,
        modules,
        texts,
        lambda importer, imported: imported in modules and imported != importer,
    )
    read = {source.module for source in project.files if source.path in wide}
    edges.extend(_unseen_edges(project, set(graph.modules) - read, texts))
    new_failures = tuple(
        f
        for path, f in sorted(failures.items())
        if path not in known_failures and path not in unread
    )
    outside = (
        tuple(
            _grimp_edges(
                graph,
                modules,
                texts,
                lambda _, imported: imported not in modules and graph.is_module_squashed(imported),
            )
        )
        if external
        else ()
    )
    return ImportScan(tuple(sorted(set(edges))), new_failures, outside)


_IMPORT_START = re.compile(r"^[ \t]*(?:from|import)[ \t]", re.M)


def _unseen_edges(project: Project, seen: set[str], texts: Mapping[str, str]) -> list[ImportEdge]:
    """Imports grimp does not see: from and to modules it never reads.

    grimp reads regular packages only: a folder without ``__init__.py`` inside a package
    (dispatch has seventeen) and loose modules (``manage.py``, scripts) are invisible to
    it, and so are imports *of* them. Their statements are read here from the text; a
    file is only read when it is unseen itself or mentions an unseen module's name.
    """

    modules = {source.module: source for source in project.files}
    unseen = {module for module in modules if module not in seen}
    if not unseen:
        return []
    # An import statement naming one of them on its first line; a name only on a later
    # line of a parenthesised import is missed, which is rare and costs one edge.
    names = re.compile(
        r"^[ \t]*(?:from|import)[ \t][^\n]*\b(?:"
        + "|".join(sorted({re.escape(m.rsplit(".", 1)[-1]) for m in unseen}))
        + r")\b",
        re.M,
    )
    packages = {p.name for p in project.packages}
    edges: list[ImportEdge] = []
    for source in project.files:
        text = texts.get(source.path)
        if text is None or (source.module not in unseen and not names.search(text)):
            continue
        lines = text.splitlines()
        line, offset = 1, 0
        known = _WithSiblings(modules, _script_folder(source, packages))
        for match in _IMPORT_START.finditer(text):
            line += text.count("\n", offset, match.start())
            offset = match.start()
            statement = statement_at(lines, line)
            for written in imported_modules(statement, source.module, source.is_package, known):
                target = known.resolve(written)
                if target != source.module and (source.module in unseen or target in unseen):
                    location = Location(source.path, line, _column(lines, line))
                    edges.append(
                        ImportEdge(source.module, target, location, import_scope(lines, line))
                    )
    return edges


class _WithSiblings:
    """The project's modules as a script sees them: its own folder first on ``sys.path``,
    so ``import helpers`` in ``tools/run.py`` is ``tools/helpers.py`` whatever its name."""

    def __init__(self, modules: Mapping[str, SourceFile], folder: str) -> None:
        self.modules = modules
        self.folder = folder

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and (name in self.modules or self._sibling(name) is not None)

    def resolve(self, name: str) -> str:
        return self._sibling(name) or name

    def _sibling(self, name: str) -> str | None:
        dotted = f"{self.folder}.{name}" if self.folder else None
        return dotted if dotted is not None and dotted in self.modules else None


def _script_folder(source: SourceFile, packages: set[str]) -> str:
    """The dotted folder of a loose module (outside every package), else ""."""

    if source.module.split(".", 1)[0] in packages or "/" not in source.path:
        return ""
    return source.path.rpartition("/")[0].replace("/", ".")


def _grimp_edges(
    graph: grimp.ImportGraph,
    modules: Mapping[str, SourceFile],
    texts: Mapping[str, str],
    wanted: Callable[[str, str], bool],
) -> list[ImportEdge]:
    """One edge per import statement grimp saw between ``wanted`` (importer, imported)."""

    edges: list[ImportEdge] = []
    for importer in sorted(modules):
        if importer not in graph.modules:
            continue
        source = modules[importer]
        lines = texts.get(source.path, "").splitlines()
        for imported in sorted(graph.find_modules_directly_imported_by(importer)):
            if not wanted(importer, imported):
                continue
            details = graph.get_import_details(importer=importer, imported=imported)
            for line_number in sorted({d["line_number"] for d in details}):
                edges.append(
                    ImportEdge(
                        importer,
                        imported,
                        Location(source.path, line_number, _column(lines, line_number)),
                        import_scope(lines, line_number),
                    )
                )
    return edges


def _build(
    packages: tuple[Package, ...],
    search_path: list[str],
    cache_dir: Path | None,
    shadowed: bool,
    external: bool = False,
) -> grimp.ImportGraph:
    names = [p.name for p in packages]
    saved = sys.path[:]
    sys.path[:0] = search_path
    try:
        # A shadow tree lives in a fresh temporary folder: caching it would only fill the
        # cache with entries nobody reads again.
        grimp_cache = str(cache_dir / "grimp") if cache_dir and not shadowed else None
        try:
            return grimp.build_graph(
                *names, cache_dir=grimp_cache, include_external_packages=external
            )
        except OSError:
            if grimp_cache is None:
                raise
        # A cache grimp cannot write (a read-only folder, a full disk) is no cache.
        return grimp.build_graph(*names, cache_dir=None, include_external_packages=external)
    finally:
        sys.path[:] = saved
        importlib.invalidate_caches()


def _check_packages_resolve_here(packages: tuple[Package, ...]) -> None:
    """Refuse to analyse an installed namesake instead of the project's own package."""

    saved = sys.path[:]
    sys.path[:0] = sorted({str(p.source_root) for p in packages})
    try:
        for package in packages:
            try:
                spec = importlib.util.find_spec(package.name)
            except (ImportError, ValueError):
                spec = None
            locations = list(spec.submodule_search_locations or []) if spec else []
            if not any(_same_dir(loc, package.directory) for loc in locations):
                where = locations[0] if locations else (spec.origin if spec else None)
                raise ProjectError(
                    f"package {package.name!r} resolves to {where}, not to "
                    f"{package.directory}: an installed or already-loaded package of the "
                    "same name would be analysed instead. Run seamfinder from an environment "
                    "without it, or exclude that folder"
                )
    finally:
        sys.path[:] = saved
        importlib.invalidate_caches()


def _same_dir(a: str, b: Path) -> bool:
    try:
        return Path(a).resolve() == b.resolve()
    except OSError:
        return False


Originals = Callable[[str], str]


@contextlib.contextmanager
def _package_tree(
    project: Project, hidden: Mapping[str, object], rewrites: Mapping[str, str]
) -> Iterator[tuple[list[str], Originals]]:
    """The source roots as they are, or a copy of symlinks with the ``hidden`` files blank
    and the files grimp cannot decode written out as UTF-8; and a function from a path grimp
    names to the analysed file's own path."""

    if not hidden and not rewrites:
        yield sorted({str(p.source_root) for p in project.packages}), _same
        return
    with tempfile.TemporaryDirectory(prefix="seamfinder-") as shadow:
        roots: dict[Path, str] = {}
        for index, source_root in enumerate(sorted({p.source_root for p in project.packages})):
            roots[source_root] = os.path.join(shadow, str(index))
        for package in project.packages:
            target_root = roots[package.source_root]
            for folder, _dirs, filenames in os.walk(package.directory):
                rel_folder = os.path.relpath(folder, package.source_root)
                os.makedirs(os.path.join(target_root, rel_folder), exist_ok=True)
                for filename in filenames:
                    if not filename.endswith(".py"):
                        continue
                    original = os.path.join(folder, filename)
                    link = os.path.join(target_root, rel_folder, filename)
                    relative = _relative(project, original)
                    if relative in hidden:
                        Path(link).write_text("", encoding="utf-8")
                    elif relative in rewrites:
                        Path(link).write_text(rewrites[relative], encoding="utf-8")
                    else:
                        os.symlink(original, link)
        back = {shadow_root: str(source_root) for source_root, shadow_root in roots.items()}

        def from_shadow(path: str) -> str:
            for shadow_root, source_root in back.items():
                if path.startswith(shadow_root + os.sep):
                    return source_root + path[len(shadow_root) :]
            return path

        yield sorted(roots.values()), from_shadow


def _same(path: str) -> str:
    return path


def _relative(project: Project, absolute: str) -> str:
    return Path(os.path.relpath(absolute, project.root)).as_posix()


def _failure_from_grimp(
    project: Project, filename: str, lineno: int | None, text: str | None
) -> ParseFailure | None:
    path = _original_path(project, filename)
    if path is None:
        return None
    # Python's own message ("'(' was never closed") says more than grimp's; use it when
    # the host agrees that the file is broken.
    data = read_source(project.absolute(path), path, _REPARSE_LIMIT)
    ours = parse_source(path, data) if isinstance(data, bytes) else None
    if isinstance(ours, ParseFailure):
        return ours
    snippet = (text or "").strip()
    reason = f"syntax error near {snippet[:60]!r}" if snippet else "syntax error"
    return ParseFailure(path, reason, lineno or 1, 1)


# Python's message is worth a second parse only for a file of ordinary size (the host's ast
# costs up to ~500 bytes per byte); a larger file keeps grimp's.
_REPARSE_LIMIT = 200_000

_DECODE_FILE = re.compile(
    r"decode file (?P<file>.+?)(?: as (?P<enc>[\w-]+): (?P<why>.*)| \((?P<reason>.*)\))$"
)
_CODING_COOKIE = re.compile(r"^[ \t\f]*#.*?coding[:=][ \t]*[-\w.]+.*$", re.M)


def _without_coding_cookie(text: str) -> str:
    """The text with the encoding declaration of its first two lines blanked (PEP 263)."""

    head, newline, rest = text.partition("\n")
    second, newline2, tail = rest.partition("\n")
    head = _CODING_COOKIE.sub("#", head)
    second = _CODING_COOKIE.sub("#", second)
    return head + newline + second + newline2 + tail


def _in_cache(message: str, cache_dir: Path) -> bool:
    """Whether grimp's error names a file of its own cache."""

    match = _DECODE_FILE.search(message)
    if match is None:
        return False
    try:
        Path(match["file"]).resolve().relative_to((cache_dir / "grimp").resolve())
    except (ValueError, OSError):
        return False
    return True


def _failure_from_decode_error(
    project: Project, message: str, originals: Originals
) -> ParseFailure | None:
    match = _DECODE_FILE.search(message)
    if match is None:
        return None
    path = _original_path(project, originals(match["file"]))
    if path is None:
        return None
    if match["enc"] is None:
        return ParseFailure(path, f"cannot decode: {match['reason']}", 1, 1)
    return ParseFailure(path, f"cannot decode as {match['enc']}: {match['why']}", 1, 1)


def _original_path(project: Project, filename: str) -> str | None:
    """Map a path grimp reports back to the project (its folder resolved, not the file:
    the file may be a symlink to anywhere)."""

    path = Path(filename)
    try:
        resolved = path.parent.resolve() / path.name
        return resolved.relative_to(project.root).as_posix()
    except (ValueError, OSError):
        return None


def _is_panic(exc: BaseException) -> bool:
    return type(exc).__name__ == "PanicException" and not isinstance(
        exc, KeyboardInterrupt | SystemExit | GeneratorExit
    )


def _one_line(text: str) -> str:
    line = text.strip().splitlines()[0] if text.strip() else "no message"
    return line if len(line) <= 160 else line[:157] + "..."


_RELATIVE = re.compile(r"^[ \t]*from[ \t]+(\.+)", re.M)


def _beyond_top_level(project: Project, texts: Mapping[str, str]) -> dict[str, ParseFailure]:
    """Files of packages with a relative import that climbs two levels or more above
    their top-level package.

    Python refuses them when imported ("attempted relative import beyond top-level
    package") and grimp's core panics on them, so they are SF001 and hidden from grimp.
    """

    packages = {p.name for p in project.packages}
    found: dict[str, ParseFailure] = {}
    for source in project.files:
        text = texts.get(source.path)
        if text is None or source.module.split(".", 1)[0] not in packages:
            continue
        # One level too many grimp leaves out (as Python would fail on it); two or more
        # make grimp's core panic.
        allowed = source.module.count(".") + (1 if source.is_package else 0) + 1
        if not any(len(m[1]) > allowed for m in _RELATIVE.finditer(text)):
            continue
        line = _climbing_import(text, allowed)
        if line is not None:
            found[source.path] = ParseFailure(
                source.path,
                f"relative import beyond the top-level package (line {line}): Python "
                "cannot import this file, and its imports were not read",
                line,
                1,
            )
    return found


def _climbing_import(text: str, allowed: int) -> int | None:
    """The line of the first import climbing more than ``allowed`` levels, or None (a
    match of the pattern inside a string); when the host cannot parse, the pattern's."""

    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        match = next(m for m in _RELATIVE.finditer(text) if len(m[1]) > allowed)
        return text.count("\n", 0, match.start()) + 1
    lines = [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.level > allowed
    ]
    return min(lines) if lines else None


# grimp keeps the whole line with every name an import statement imports: a line of 130 KB
# importing 15,000 names costs it 2.5 GB. Such a line is read here instead.
_WIDE_LINE = 4_096


def _wide_import_lines(
    project: Project, texts: Mapping[str, str], failures: Mapping[str, ParseFailure]
) -> dict[str, str]:
    """Files (by path) with an import line too long for grimp: their imports are read from
    their text."""

    wide: dict[str, str] = {}
    for source in project.files:
        text = texts.get(source.path)
        if text is None or source.path in failures or len(text) < _WIDE_LINE:
            continue
        for match in _IMPORT_START.finditer(text):
            end = text.find("\n", match.start())
            if (len(text) if end < 0 else end) - match.start() > _WIDE_LINE:
                wide[source.path] = "import line too long for grimp"
                break
    return wide


def _column(lines: list[str], line_number: int) -> int:
    if 0 < line_number <= len(lines):
        line = lines[line_number - 1]
        return len(line) - len(line.lstrip()) + 1
    return 1


_BLOCK_START = re.compile(
    r"(async\s+)?(def|class|if|elif|else|try|except|finally|with|for|while)\b"
)
_TYPE_CHECKING = re.compile(r"if\s+(not\s+)?(typing\.|t\.)?TYPE_CHECKING\b")


def import_scope(lines: list[str], line_number: int) -> ImportScope:
    """Where an import statement sits, read from indentation alone.

    Statement starts are indented by block, so the enclosing blocks are the nearest
    earlier lines with less indentation. That is exact for ordinary code and far cheaper
    than parsing every file; it can be fooled only by a multi-line string or bracket
    whose continuation lines are indented less than the import.
    """

    if not 0 < line_number <= len(lines):
        return ImportScope.MODULE
    line = lines[line_number - 1]
    indent = len(line) - len(line.lstrip())
    blocks: list[str] = []
    for index in range(line_number - 2, -1, -1):
        if indent == 0:
            break
        text = lines[index]
        stripped = text.lstrip()
        if not stripped or stripped[0] in "#)]}\"'":
            continue
        level = len(text) - len(stripped)
        if level < indent and _BLOCK_START.match(stripped):
            indent = level
            blocks.append(stripped)
    if any(_TYPE_CHECKING.match(b) and not b.startswith("if not") for b in blocks):
        return ImportScope.TYPE_CHECKING
    if any(b.startswith(("def ", "async def ")) for b in blocks):
        return ImportScope.FUNCTION
    if any(not b.startswith("class ") for b in blocks):
        return ImportScope.CONDITIONAL
    return ImportScope.MODULE
