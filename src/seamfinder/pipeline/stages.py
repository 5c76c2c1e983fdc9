"""The stages every unit goes through: read its files, collect its imports and components,
and read the history; :mod:`seamfinder.pipeline.run` calls them in order.

A monolith is a repository of one unit, so the same functions serve one project and every
service of a repository of services; only resolution (one namespace or several, see
:mod:`seamfinder.pipeline.units`) differs.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from seamfinder.analysis.cochange import Cochange, CochangeOptions, analyse_cochange
from seamfinder.analysis.releases import release_commits
from seamfinder.collect.django_apps import read_django_setup
from seamfinder.collect.facts import FileFacts
from seamfinder.collect.history import Commit, HistoryUnavailable, read_history
from seamfinder.collect.imports import ImportScan, build_import_graph
from seamfinder.collect.scan import count_lines
from seamfinder.collect.source import MAX_FILE_SIZE, decode_source, read_source, screen_nesting
from seamfinder.config.contracts import needs_external_imports
from seamfinder.config.settings import Config
from seamfinder.core.model import (
    DataAccess,
    ImportEdge,
    ModelDef,
    ParseFailure,
    TableOwner,
    Transaction,
)
from seamfinder.core.project import Project
from seamfinder.discover.files import PathMatcher
from seamfinder.resolve.components import ComponentMap, detect_components, path_grouper
from seamfinder.resolve.datagraph import django_model_modules


@dataclass(frozen=True, slots=True)
class Sources:
    """Every analysed file read once: bytes, decoded text, line counts, and what failed."""

    data: Mapping[str, bytes]  # by path
    texts: Mapping[str, str]  # by path
    lines: Mapping[str, int]  # by module
    failures: Mapping[str, ParseFailure]


@dataclass(frozen=True, slots=True)
class Collected:
    """One unit's own collection: its project, sources, imports and components."""

    name: str  # the unit's name; "" for the one unit of a monolith
    project: Project
    sources: Sources
    scan: ImportScan
    components: ComponentMap
    top_names: frozenset[str]  # its top-level packages and modules


@dataclass(frozen=True, slots=True)
class Resolved:
    """What resolution makes of the collected units: one namespace of components, imports
    and data, whichever the number of units."""

    components: ComponentMap
    imports: tuple[ImportEdge, ...]
    models: tuple[ModelDef, ...]
    accesses: tuple[DataAccess, ...]
    transactions: tuple[Transaction, ...]
    tables: tuple[TableOwner, ...]


@dataclass(frozen=True, slots=True)
class Histories:
    """Co-change read once from git: by component, by unit (services), and the commits."""

    components: Cochange | str | None = None  # str: why there is none
    units: Cochange | str | None = None
    commits: tuple[Commit, ...] = ()


def prepare_cache_dir(cache_dir: Path | None) -> Path | None:
    """Create the cache folder (ignored by git); a cache that cannot be made is no cache."""

    if cache_dir is None:
        return None
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        ignore = cache_dir / ".gitignore"
        if not ignore.exists():
            ignore.write_text("# created by seamfinder\n*\n", encoding="utf-8")
    except OSError:
        return None
    return cache_dir


def read_sources(
    project: Project, known: Mapping[str, bytes] | None = None, limit: int = MAX_FILE_SIZE
) -> Sources:
    """Read (or take from ``known``) and decode every file of the project.

    Reads are bounded and non-blocking (:func:`~seamfinder.collect.source.read_source`),
    and a file too deep for the parsers is a failure here already, so that neither grimp
    nor the data pass is handed it.
    """

    data: dict[str, bytes] = {}
    texts: dict[str, str] = {}
    lines: dict[str, int] = {}
    failures: dict[str, ParseFailure] = {}
    for source in project.files:
        if known is not None and source.path in known:
            content: bytes | ParseFailure = known[source.path]
        else:
            content = read_source(project.absolute(source.path), source.path, limit)
        if isinstance(content, ParseFailure):
            failures[source.path] = content
            lines[source.module] = 0
            continue
        lines[source.module] = count_lines(content)
        text = decode_source(source.path, content)
        if isinstance(text, ParseFailure):
            data[source.path] = content
            failures[source.path] = text
            continue
        texts[source.path] = text
        too_deep = screen_nesting(source.path, text)
        if too_deep is not None:
            failures[source.path] = too_deep
        else:
            data[source.path] = content
    return Sources(data, texts, lines, failures)


def packaged_paths(project: Project) -> frozenset[str]:
    """Paths of files inside packages: grimp parses those, so it vouches for their syntax."""

    packages = {p.name for p in project.packages}
    return frozenset(f.path for f in project.files if f.module.split(".", 1)[0] in packages)


def scan_unit(
    name: str,
    project: Project,
    config: Config,
    sources: Sources,
    texts: Mapping[str, str],
    cache_dir: Path | None,
) -> ImportScan:
    """A unit's import graph (grimp), built while the data pass runs in its workers.

    The units of a repository of services also record what they import from outside
    (other units' packages); and since grimp's cache is keyed by package name, which
    services reuse, each of them keeps it in a folder of its own.
    """

    external = bool(name)
    unit_cache = cache_dir / "units" / _safe(name) if cache_dir and external else cache_dir
    # A contract may forbid outside packages too (import-linter's include_external_packages).
    outside = external or needs_external_imports(config.contracts)
    return build_import_graph(project, texts, sources.failures, unit_cache, external=outside)


def collect_unit(
    name: str,
    project: Project,
    config: Config,
    sources: Sources,
    texts: Mapping[str, str],
    scan: ImportScan,
    facts: Mapping[str, FileFacts],
) -> Collected:
    """A unit's Django setup and components, once its import graph and facts are known:
    which packages are Django apps depends on which classes are models."""

    django = read_django_setup(project.files, texts)
    models = django_model_modules(facts[f.path] for f in project.files if f.path in facts)
    components = detect_components(project, config, sources.lines, django, models)
    top = {p.name for p in project.packages} | {f.module.split(".", 1)[0] for f in project.files}
    return Collected(name, project, sources, scan, components, frozenset(top))


def _safe(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]", "_", name)


def read_histories(project: Project, config: Config, components: ComponentMap) -> Histories:
    """Component co-change, and unit co-change for a repository of services, from one read
    of the history (nothing unless history is enabled)."""

    if not config.history.enabled:
        return Histories()
    settings = config.history
    history = read_history(
        project.root, since=settings.since, max_commits=settings.max_commits, line_counts=False
    )
    if isinstance(history, HistoryUnavailable):
        reason = history.reason
        return Histories(reason, reason if project.units else None)
    options = CochangeOptions(
        min_revs=settings.min_revs,
        min_shared_revs=settings.min_shared_revs,
        min_coupling=settings.min_coupling,
        max_changeset_size=settings.max_changeset_size,
        max_groups=settings.max_components_per_commit,
    )
    excluded = PathMatcher(config.all_excludes).excludes
    # Release commits bump every service's version at once: not co-change (nor churn).
    releases = release_commits(history.commits, settings.release_messages, settings.release_files)
    commits = tuple(c for c in history.commits if c.sha not in releases)
    by_component = replace(
        analyse_cochange(commits, path_grouper(project, components, excluded), options),
        commits_release=len(releases),
    )
    by_unit = (
        replace(
            analyse_cochange(commits, _unit_grouper(project, excluded), options),
            commits_release=len(releases),
        )
        if project.units
        else None
    )
    return Histories(by_component, by_unit, history.commits)


def _unit_grouper(project: Project, excluded: Callable[[str], bool]) -> Callable[[str], str | None]:
    """Any path under a unit's folder (code, Dockerfile, requirements) maps to the unit."""

    folders = sorted(
        ((folder, u.name) for u in project.units for folder in u.spec.folders),
        key=lambda item: -len(item[0]),
    )

    def group_of(path: str) -> str | None:
        if excluded(path):
            return None
        return next((name for folder, name in folders if path.startswith(folder + "/")), None)

    return group_of
