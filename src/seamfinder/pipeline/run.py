"""collect -> build graph -> analyse -> evaluate rules -> report; the only module that knows
the order."""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from seamfinder.analysis.candidates import rank_candidates
from seamfinder.analysis.cochange import Cochange
from seamfinder.analysis.coupling import component_metrics, coupled_pairs, dependency_matrix
from seamfinder.analysis.cycles import find_cycles
from seamfinder.analysis.data import (
    crossing_tables,
    data_matrix,
    group_data_findings,
    model_layers,
    owners_by_table,
    ownership_rows,
    without_layer_ownership,
)
from seamfinder.analysis.extraction import extraction_sheet
from seamfinder.analysis.seams import seam_report
from seamfinder.analysis.state import Analysis
from seamfinder.collect.cache import FileCache
from seamfinder.collect.datapass import FactsResult, start_facts
from seamfinder.collect.entrypoints import read_hooks
from seamfinder.collect.facts import FileFacts
from seamfinder.collect.names import imported_names
from seamfinder.collect.suppressions import read_suppressions
from seamfinder.collect.usage import abstract_models, cascade_sites, enumerations, name_uses
from seamfinder.config.contracts import needs_imported_names
from seamfinder.config.options import RunOptions
from seamfinder.config.settings import Config
from seamfinder.core.errors import ConfigError
from seamfinder.core.model import (
    ROOT_COMPONENT,
    DataAccess,
    ExtractionSheet,
    HistorySummary,
    ImportEdge,
    ImportedName,
    Report,
    Stats,
)
from seamfinder.core.progress import current
from seamfinder.core.project import Project
from seamfinder.core.version import __version__
from seamfinder.discover.files import discover
from seamfinder.discover.testsuite import suite_imports
from seamfinder.pipeline.inputs import Inputs
from seamfinder.pipeline.stages import (
    Collected,
    Resolved,
    collect_unit,
    packaged_paths,
    prepare_cache_dir,
    read_histories,
    read_sources,
    scan_unit,
)
from seamfinder.pipeline.units import resolve_units, services_view
from seamfinder.resolve.components import ComponentMap
from seamfinder.resolve.datagraph import DataGraph, resolve_data
from seamfinder.resolve.graph import component_dependencies, dynamic_edges
from seamfinder.rules.catalog import evaluated_rules
from seamfinder.rules.registry import contexts, evaluate
from seamfinder.rules.suppression import apply_suppressions


def analyse(options: RunOptions, inputs: Inputs | None = None) -> tuple[Analysis, FactsResult]:
    """discover -> read -> collect -> resolve -> analyse, for one unit or many."""

    config = options.config
    project = inputs.project if inputs else discover(options.path, config, options.display)
    known = inputs.data if inputs else None
    cache_dir = prepare_cache_dir(options.cache_dir)
    # A monolith is a repository of one unit, named "" (its names are not qualified).
    units = [(u.name, u.project) for u in project.units] or [("", project)]
    sources = {
        name: read_sources(unit_project, known, config.max_file_size)
        for name, unit_project in units
    }
    texts = {p: t for s in sources.values() for p, t in s.texts.items()}
    # The data pass starts first (in worker processes when it is large) so that grimp
    # builds the import graphs meanwhile; paths are unique across units.
    pending = start_facts(
        [f for _, unit_project in units for f in unit_project.files],
        {p: d for s in sources.values() for p, d in s.data.items()},
        frozenset(path for _, unit_project in units for path in packaged_paths(unit_project)),
        FileCache(cache_dir, "facts", __version__),
    )
    progress = current()
    progress.stage("reading imports")
    scans = {
        name: scan_unit(name, unit_project, config, sources[name], texts, cache_dir)
        for name, unit_project in units
    }
    facts = pending.result()
    progress.stage("analysing")
    collected = {
        name: collect_unit(
            name, unit_project, config, sources[name], texts, scans[name], facts.facts
        )
        for name, unit_project in units
    }
    failures = {**facts.failures, **{p: f for s in sources.values() for p, f in s.failures.items()}}
    for item in collected.values():
        failures.update({f.path: f for f in item.scan.failures})
    failures.update({f.path: f for f in project.problems})  # unread folders, compose files
    by_units = resolve_units(collected, facts.facts, config) if project.units else None
    resolved = (
        by_units.resolved if by_units else _resolve_one(project, config, collected[""], facts)
    )
    components = resolved.components
    dependencies = component_dependencies(
        resolved.imports, components.component_of, config.ignore_type_checking_imports
    )
    names = [c.name for c in components.components]
    # The root bucket is not a component (it mixes an app's shell, which imports every
    # component, with shared kernels that every component imports), so a "cycle"
    # through it says nothing about the components.
    cycles = find_cycles(
        [n for n in names if n != ROOT_COMPONENT],
        [d for d in dependencies if ROOT_COMPONENT not in (d.source, d.target)],
    )
    histories = read_histories(project, config, components)
    services = (
        services_view(project, collected, by_units, facts.facts, texts, histories.units)
        if by_units
        else None
    )
    analysis = Analysis(
        project=project,
        config=config,
        components=components,
        imports=resolved.imports,
        dependencies=dependencies,
        cycles=cycles,
        metrics=component_metrics(names, dependencies),
        matrix=dependency_matrix(names, dependencies, cycles),
        failures=tuple(failures[path] for path in sorted(failures)),
        models=resolved.models,
        data_access=resolved.accesses,
        transactions=resolved.transactions,
        tables=resolved.tables,
        suppressions=read_suppressions(texts),
        history=histories.components,
        # Only candidates, the extraction sheet and tach's interfaces read them: check
        # does without them otherwise. The names taken across services are not read (yet).
        imported_names=imported_names(
            resolved.imports, texts, {f.module: f.is_package for f in project.files}
        )
        if (options.seams or needs_imported_names(config.contracts)) and not project.units
        else (),
        commits=histories.commits,
        services=services,
        # Outside packages a contract forbids (import-linter's include_external_packages).
        external_imports=collected[""].scan.external if "" in collected else (),
    )
    if options.seams and not project.units:
        analysis = _with_advice(analysis, texts)
    return analysis, facts


def _lines(text: str) -> int:
    return text.count("\n") + (not text.endswith("\n")) if text else 0


def _with_advice(analysis: Analysis, texts: Mapping[str, str]) -> Analysis:
    """Hooks, name uses, enumerations and cascades: what candidates and the sheet read."""

    files = analysis.project.files
    modules = {f.module for f in files}
    of = analysis.components.component_of
    hooks = [
        hook
        for f in files
        if f.path in texts
        for hook in read_hooks(f.path, f.module, f.is_package, texts[f.path], modules)
    ]
    by_module = {f.module: texts[f.path] for f in files if f.path in texts}
    crossing: list[ImportedName] = [
        n for n in analysis.imported_names if of(n.importer) != of(n.module)
    ]
    scopes = {(e.importer, e.location.line): e.scope for e in analysis.imports}
    packages = {f.module: f.is_package for f in files}
    relations: list[DataAccess] = [a for a in analysis.data_access if a.kind == "relation"]
    return replace(
        analysis,
        hooks=tuple(sorted(hooks)),
        name_uses=name_uses(crossing, by_module, packages, scopes),
        enumerations=enumerations({n.module: by_module.get(n.module, "") for n in crossing}),
        cascades=cascade_sites(relations, texts),
        abstract_models=abstract_models(by_module),
        module_lines=tuple(sorted((m, _lines(text)) for m, text in by_module.items())),
    )


def _resolve_one(project: Project, config: Config, item: Collected, facts: FactsResult) -> Resolved:
    """One namespace: the data graph over every file, imports by name, model layers."""

    components = item.components
    _check_table_owners(config, components)
    files = [facts.facts[path] for path in sorted(facts.facts)]
    data = resolve_data(files, components.component_of, components.app_label_of, config.tables)
    imports = tuple(sorted({*item.scan.edges, *_dynamic_edges(project, components, files, data)}))
    layers = model_layers(components.components, data.tables, data.accesses)
    return Resolved(
        components=components,
        imports=imports,
        models=data.models,
        accesses=data.accesses,
        transactions=data.transactions,
        tables=without_layer_ownership(data.tables, layers),
    )


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
    summary = HistorySummary(
        history.commits,
        history.commits_grouped,
        history.commits_too_large,
        releases=history.commits_release,
    )
    return {"history": summary, "change_coupling": history.coupling, "hotspots": history.churn}


def run(options: RunOptions, inputs: Inputs | None = None) -> Report:
    """The whole analysis (:func:`~seamfinder.pipeline.remember.cached_run` remembers it)."""

    started = time.perf_counter()
    # Rule settings are validated before any work, so a bad config fails fast.
    rule_contexts = tuple(contexts(options.config, options.select, options.ignore))
    analysis, facts = analyse(options, inputs)
    current().stage("rules")
    findings = evaluate(analysis, rule_contexts)
    # Here, not in a command, so that analyze and check always agree on what is suppressed.
    findings = apply_suppressions(findings, analysis.suppressions, rule_contexts)
    matrix = data_matrix(analysis.data_access, owners_by_table(analysis.tables))
    if options.seams:
        current().stage("proposing seams")
    seams = seam_report(analysis) if options.seams else None
    files = len(analysis.project.files)
    failed = len(analysis.failures)
    stats = Stats(
        files_seen=files,
        files_analysed=files - failed,
        files_failed=failed,
        seconds=round(time.perf_counter() - started, 3),
        files_parsed=facts.parsed,
        cache_hits=facts.cache_hits,
        files_skipped=len(analysis.project.skipped),
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
        data_matrix=matrix,
        ownership=ownership_rows(analysis.components.components, matrix),
        crossing_tables=crossing_tables(matrix, analysis.tables),
        data_groups=group_data_findings(findings),
        **_history_sections(analysis.history),
        rules=evaluated_rules(rule_contexts),
        seams=seams,
        candidates=rank_candidates(analysis, seams) if options.seams else (),
        services=analysis.services.report if analysis.services else None,
        skipped=analysis.project.skipped,
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
    project = analysis.project
    tests = suite_imports(
        project.root, options.config.all_excludes, {f.module for f in project.files}
    )
    return extraction_sheet(analysis, component, with_, without, tests=tests)
