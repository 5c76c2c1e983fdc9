"""collect -> build graph -> analyse -> evaluate rules -> report; the only module that knows
the order."""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from seamfinder.analysis.candidates import rank_candidates
from seamfinder.analysis.cochange import Cochange, CochangeOptions, analyse_cochange
from seamfinder.analysis.coupling import component_metrics, coupled_pairs, dependency_matrix
from seamfinder.analysis.cycles import find_cycles
from seamfinder.analysis.data import (
    data_matrix,
    model_layers,
    owners_by_table,
    without_layer_ownership,
)
from seamfinder.analysis.extraction import extraction_sheet
from seamfinder.analysis.seams import seam_report
from seamfinder.analysis.state import Analysis
from seamfinder.collect.cache import FileCache
from seamfinder.collect.datapass import FactsResult, start_facts
from seamfinder.collect.django_apps import read_django_setup
from seamfinder.collect.facts import FileFacts
from seamfinder.collect.history import Commit, HistoryUnavailable, read_history
from seamfinder.collect.imports import build_import_graph
from seamfinder.collect.names import imported_names
from seamfinder.collect.scan import count_lines
from seamfinder.collect.source import decode_source
from seamfinder.collect.suppressions import read_suppressions
from seamfinder.config.options import RunOptions, default_cache_dir
from seamfinder.config.settings import Config
from seamfinder.core.errors import ConfigError
from seamfinder.core.model import (
    ROOT_COMPONENT,
    ExtractionSheet,
    HistorySummary,
    ImportEdge,
    ParseFailure,
    Report,
    Stats,
)
from seamfinder.core.project import Project
from seamfinder.core.version import __version__
from seamfinder.discover.files import PathMatcher, discover
from seamfinder.resolve.components import ComponentMap, detect_components, path_grouper
from seamfinder.resolve.datagraph import DataGraph, resolve_data
from seamfinder.resolve.graph import component_dependencies, dynamic_edges

__all__ = ["RunOptions", "analyse", "default_cache_dir", "read_sources", "run"]
from seamfinder.pipeline.remember import Inputs
from seamfinder.rules.catalog import evaluated_rules
from seamfinder.rules.registry import contexts, evaluate
from seamfinder.rules.suppression import apply_suppressions


@dataclass(frozen=True, slots=True)
class Sources:
    """Every analysed file read once: bytes, decoded text, line counts, and what failed."""

    data: Mapping[str, bytes]  # by path
    texts: Mapping[str, str]  # by path
    lines: Mapping[str, int]  # by module
    failures: Mapping[str, ParseFailure]


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


def read_sources(project: Project, known: Mapping[str, bytes] | None = None) -> Sources:
    """Read (or take from ``known``) and decode every file of the project."""

    data: dict[str, bytes] = {}
    texts: dict[str, str] = {}
    lines: dict[str, int] = {}
    failures: dict[str, ParseFailure] = {}
    for source in project.files:
        try:
            if known is not None and source.path in known:
                content = known[source.path]
            else:
                content = project.absolute(source.path).read_bytes()
        except OSError as exc:
            failures[source.path] = ParseFailure(source.path, f"cannot read: {exc.strerror}")
            lines[source.module] = 0
            continue
        data[source.path] = content
        lines[source.module] = count_lines(content)
        text = decode_source(source.path, content)
        if isinstance(text, ParseFailure):
            failures[source.path] = text
        else:
            texts[source.path] = text
    return Sources(data, texts, lines, failures)


def packaged_paths(project: Project) -> frozenset[str]:
    """Paths of files inside packages: grimp parses those, so it vouches for their syntax."""

    packages = {p.name for p in project.packages}
    return frozenset(f.path for f in project.files if f.module.split(".", 1)[0] in packages)


def analyse(options: RunOptions, inputs: Inputs | None = None) -> tuple[Analysis, FactsResult]:
    config = options.config
    project = inputs.project if inputs else discover(options.path, config, options.display)
    if project.units:  # a repository of services: each analysed on its own, then together
        from seamfinder.pipeline.units import analyse_services

        return analyse_services(config, project, options.cache_dir, inputs.data if inputs else None)
    cache_dir = prepare_cache_dir(options.cache_dir)
    sources = read_sources(project, inputs.data if inputs else None)
    # The data pass starts first (in worker processes when it is large) so that grimp
    # builds the import graph meanwhile.
    pending = start_facts(
        project.files,
        sources.data,
        packaged_paths(project),
        FileCache(cache_dir, "facts", __version__),
    )
    scan = build_import_graph(project, sources.texts, sources.failures, cache_dir)
    facts = pending.result()
    failures = {**facts.failures, **sources.failures, **{f.path: f for f in scan.failures}}
    django = read_django_setup(project.files, sources.texts)
    component_map = detect_components(project, config, sources.lines, django)
    _check_table_owners(config, component_map)
    names = [c.name for c in component_map.components]
    files = [facts.facts[path] for path in sorted(facts.facts)]
    data = resolve_data(
        files, component_map.component_of, component_map.app_label_of, config.tables
    )
    imports = tuple(sorted({*scan.edges, *_dynamic_edges(project, component_map, files, data)}))
    layers = model_layers(component_map.components, data.tables, data.accesses)
    dependencies = component_dependencies(
        imports, component_map.component_of, config.ignore_type_checking_imports
    )
    # The root bucket is not a component (it mixes an app's shell, which imports every
    # component, with shared kernels that every component imports), so a "cycle"
    # through it says nothing about the components.
    cycles = find_cycles(
        [n for n in names if n != ROOT_COMPONENT],
        [d for d in dependencies if ROOT_COMPONENT not in (d.source, d.target)],
    )
    history, commits = (
        _change_coupling(project, config, component_map) if config.history.enabled else (None, ())
    )
    analysis = Analysis(
        project=project,
        config=config,
        components=component_map,
        imports=imports,
        dependencies=dependencies,
        cycles=cycles,
        metrics=component_metrics(names, dependencies),
        matrix=dependency_matrix(names, dependencies, cycles),
        failures=tuple(failures[path] for path in sorted(failures)),
        models=data.models,
        data_access=data.accesses,
        transactions=data.transactions,
        tables=without_layer_ownership(data.tables, layers),
        suppressions=read_suppressions(sources.texts),
        history=history,
        # Only candidates and the extraction sheet read them: check does without.
        imported_names=imported_names(
            imports, sources.texts, {f.module: f.is_package for f in project.files}
        )
        if options.seams
        else (),
        commits=commits,
    )
    return analysis, facts


def _change_coupling(
    project: Project, config: Config, components: ComponentMap
) -> tuple[Cochange | str, tuple[Commit, ...]]:
    """Component co-change from git (or the one-line reason there is none), and the commits
    read, which seam discovery groups by module."""

    settings = config.history
    history = read_history(
        project.root, since=settings.since, max_commits=settings.max_commits, line_counts=False
    )
    if isinstance(history, HistoryUnavailable):
        return history.reason, ()
    options = CochangeOptions(
        min_revs=settings.min_revs,
        min_shared_revs=settings.min_shared_revs,
        min_coupling=settings.min_coupling,
        max_changeset_size=settings.max_changeset_size,
        max_groups=settings.max_components_per_commit,
    )
    matcher = PathMatcher(config.all_excludes)
    cochange = analyse_cochange(
        history.commits, path_grouper(project, components, matcher.excludes), options
    )
    return cochange, history.commits


def _dynamic_edges(
    project: Project, components: ComponentMap, files: list[FileFacts], data: DataGraph
) -> list[ImportEdge]:
    defined_in = {
        m.table: m.qualname.rsplit(".", 1)[0]
        for m in data.models
        if not m.abstract and ":" not in m.qualname
    }
    return dynamic_edges(
        files,
        {f.module for f in project.files},
        {label: package for package, label in components.app_labels.items()},
        defined_in,
        (a for a in data.accesses if a.via == "get_model"),
    )


def _check_table_owners(config: Config, components: ComponentMap) -> None:
    known = {c.name for c in components.components}
    for table, owner in config.tables.owners:
        if owner not in known:
            raise ConfigError(
                config.source,
                f"tool.seamfinder.tables.owners.{table}",
                f"no component named {owner!r} (components: {', '.join(sorted(known))})",
            )


def _history_sections(history: Cochange | str | None) -> dict[str, Any]:
    if history is None:
        return {}
    if isinstance(history, str):
        return {"history": HistorySummary(0, 0, 0, history)}
    summary = HistorySummary(history.commits, history.commits_grouped, history.commits_too_large)
    return {"history": summary, "change_coupling": history.coupling, "hotspots": history.churn}


def run(options: RunOptions, inputs: Inputs | None = None) -> Report:
    """The whole analysis (:func:`~seamfinder.pipeline.remember.cached_run` remembers it)."""

    started = time.perf_counter()
    # Rule settings are validated before any work, so a bad config fails fast.
    rule_contexts = tuple(contexts(options.config, options.select, options.ignore))
    analysis, facts = analyse(options, inputs)
    findings = evaluate(analysis, rule_contexts)
    # Here, not in a command, so that analyze and check always agree on what is suppressed.
    findings = apply_suppressions(findings, analysis.suppressions, rule_contexts)
    files = len(analysis.project.files)
    failed = len(analysis.failures)
    stats = Stats(
        files_seen=files,
        files_analysed=files - failed,
        files_failed=failed,
        seconds=round(time.perf_counter() - started, 3),
        files_parsed=facts.parsed,
        cache_hits=facts.cache_hits,
    )
    return Report(
        root=analysis.project.display_root,
        components=analysis.components.components,
        dependencies=analysis.dependencies,
        cycles=analysis.cycles,
        metrics=analysis.metrics,
        findings=findings,
        stats=stats,
        matrix=analysis.matrix,
        coupled_pairs=coupled_pairs(analysis.dependencies),
        models=analysis.models,
        data_access=analysis.data_access,
        transactions=analysis.transactions,
        tables=analysis.tables,
        data_matrix=data_matrix(analysis.data_access, owners_by_table(analysis.tables)),
        **_history_sections(analysis.history),
        rules=evaluated_rules(rule_contexts),
        seams=seam_report(analysis) if options.seams else None,
        candidates=rank_candidates(analysis) if options.seams else (),
        services=analysis.services.report if analysis.services else None,
    )


def extraction(
    options: RunOptions,
    component: str,
    with_: tuple[str, ...] = (),
    without: tuple[str, ...] = (),
    inputs: Inputs | None = None,
) -> ExtractionSheet:
    """The what-if sheet of extracting ``component`` (no rules: only the analysis)."""

    analysis, _facts = analyse(options, inputs)
    return extraction_sheet(analysis, component, with_, without)
