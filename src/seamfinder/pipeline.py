"""collect -> build graph -> analyse -> evaluate rules -> report; the only module that knows
the order."""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from seamfinder.analysis.coupling import component_metrics, coupled_pairs, dependency_matrix
from seamfinder.analysis.cycles import find_cycles
from seamfinder.analysis.state import Analysis
from seamfinder.collect.django import read_django_setup
from seamfinder.collect.imports import build_import_graph
from seamfinder.collect.source import decode_source, parse_source
from seamfinder.collect.suppressions import read_suppressions
from seamfinder.components import detect_components
from seamfinder.config import Config
from seamfinder.discovery import Project, discover
from seamfinder.graph import component_dependencies
from seamfinder.model import ROOT_COMPONENT, ParseFailure, Report, Stats
from seamfinder.rules.catalog import evaluated_rules
from seamfinder.rules.registry import contexts, evaluate
from seamfinder.rules.suppression import apply_suppressions

CACHE_DIR_NAME = ".seamfinder_cache"


@dataclass(frozen=True, slots=True)
class RunOptions:
    path: Path
    config: Config
    display: str | None = None
    cache_dir: Path | None = None  # None: no cache
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Sources:
    """Every analysed file read once: decoded text, line counts, and what failed."""

    texts: Mapping[str, str]
    lines: Mapping[str, int]  # by module
    failures: Mapping[str, ParseFailure]


def default_cache_dir(root: Path) -> Path:
    return root / CACHE_DIR_NAME


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


def read_sources(project: Project) -> Sources:
    texts: dict[str, str] = {}
    lines: dict[str, int] = {}
    failures: dict[str, ParseFailure] = {}
    for source in project.files:
        try:
            data = project.absolute(source.path).read_bytes()
        except OSError as exc:
            failures[source.path] = ParseFailure(source.path, f"cannot read: {exc.strerror}")
            lines[source.module] = 0
            continue
        lines[source.module] = data.count(b"\n") + (0 if data.endswith(b"\n") or not data else 1)
        text = decode_source(source.path, data)
        if isinstance(text, ParseFailure):
            failures[source.path] = text
            continue
        texts[source.path] = text
        if not _in_package(project, source.module):
            # grimp never sees loose modules, so it cannot vouch for their syntax.
            parsed = parse_source(source.path, data)
            if isinstance(parsed, ParseFailure):
                failures[source.path] = parsed
    return Sources(texts, lines, failures)


def _in_package(project: Project, module: str) -> bool:
    top = module.split(".", 1)[0]
    return any(p.name == top for p in project.packages)


def analyse(options: RunOptions) -> Analysis:
    config = options.config
    project = discover(options.path, config, options.display)
    cache_dir = prepare_cache_dir(options.cache_dir)
    sources = read_sources(project)
    scan = build_import_graph(project, sources.texts, sources.failures, cache_dir)
    failures = {**sources.failures, **{f.path: f for f in scan.failures}}
    django = read_django_setup(project.files, sources.texts)
    component_map = detect_components(project, config, sources.lines, django)
    names = [c.name for c in component_map.components]
    dependencies = component_dependencies(
        scan.edges, component_map.component_of, config.ignore_type_checking_imports
    )
    # The root bucket is not a component (it mixes an app's shell, which imports every
    # component, with shared kernels that every component imports), so a "cycle"
    # through it says nothing about the components.
    cycles = find_cycles(
        [n for n in names if n != ROOT_COMPONENT],
        [d for d in dependencies if ROOT_COMPONENT not in (d.source, d.target)],
    )
    return Analysis(
        project=project,
        config=config,
        components=component_map,
        imports=scan.edges,
        dependencies=dependencies,
        cycles=cycles,
        metrics=component_metrics(names, dependencies),
        matrix=dependency_matrix(names, dependencies, cycles),
        failures=tuple(failures[path] for path in sorted(failures)),
        suppressions=read_suppressions(sources.texts),
    )


def run(options: RunOptions) -> Report:
    started = time.perf_counter()
    # Rule settings are validated before any work, so a bad config fails fast.
    rule_contexts = tuple(contexts(options.config, options.select, options.ignore))
    analysis = analyse(options)
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
        rules=evaluated_rules(rule_contexts),
    )
