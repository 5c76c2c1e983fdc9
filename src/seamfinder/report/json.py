"""Versioned, sorted JSON: the contract other tools build on.

Keys are never renamed within a version; sections are only added. Output is
byte-identical for identical input: sorted keys, sorted arrays, no timestamps, and
``stats.seconds`` only when timings were asked for.
"""

from __future__ import annotations

import json
from typing import Any

from seamfinder.core.model import (
    JSON_VERSION,
    BaselineStatus,
    ChangeCoupling,
    Cycle,
    DataAccess,
    Dependency,
    Finding,
    GroupChurn,
    HistorySummary,
    ImportEdge,
    Location,
    ModelDef,
    Report,
    ServicePair,
    Transaction,
)
from seamfinder.core.version import __version__


def render(report: Report, timings: bool = False) -> str:
    return (
        json.dumps(to_document(report, timings), indent=2, sort_keys=True, ensure_ascii=False)
        + "\n"
    )


def to_document(report: Report, timings: bool = False) -> dict[str, Any]:
    metrics = {m.name: m for m in report.metrics}
    components = []
    for component in report.components:
        metric = metrics.get(component.name)
        components.append(
            {
                "name": component.name,
                "detected_by": component.detected_by,
                "reason": component.reason,
                "package": component.package,
                "modules": list(component.modules),
                "lines": component.lines,
                "ca": metric.afferent if metric else 0,
                "ce": metric.efferent if metric else 0,
                "imports_in": metric.inbound_imports if metric else 0,
                "imports_out": metric.outbound_imports if metric else 0,
                "instability": metric.instability if metric else 0.0,
            }
        )
    return {
        "version": JSON_VERSION,
        "tool": {"name": "seamfinder", "version": __version__},
        "root": report.root,
        "components": components,
        "dependencies": [_dependency(d) for d in report.dependencies],
        "cycles": [_cycle(c) for c in report.cycles],
        "dsm": {
            "components": list(report.matrix.order),
            "matrix": [list(row) for row in report.matrix.cells],
        },
        "findings": [finding(f) for f in report.findings],
        "models": [_model(m) for m in report.models],
        "data_access": [_access(a) for a in report.data_access],
        "transactions": [_transaction(t) for t in report.transactions],
        "tables": [
            {
                "table": t.table,
                "owner": t.owner,
                "shared": t.shared,
                "declared": t.declared,
                "layer": t.layer,
            }
            for t in report.tables
        ],
        "data_matrix": [
            {
                "component": u.component,
                "table": u.table,
                "owner": u.owner,
                "defines": u.defines,
                "reads": u.reads,
                "writes": u.writes,
                "relations": u.relations,
                "raw_sql": u.raw_sql,
                "uses": u.uses,
            }
            for u in report.data_matrix
        ],
        "change_coupling": _change_coupling(report),
        **_seams(report),
        **_services(report),
        "baseline": _baseline(report.baseline),
        "changed_since": report.changed_since,
        "stats": _stats(report, timings),
    }


def _change_coupling(report: Report) -> dict[str, Any] | None:
    history = report.history
    if history is None:
        return None
    return {
        "level": "component",
        "commits": history.commits,
        "commits_grouped": history.grouped,
        "commits_left_out": history.too_large,
        "commits_release": history.releases,
        "note": history.note or None,
        "pairs": [
            {
                "a": pair.a,
                "b": pair.b,
                "shared": pair.shared,
                "revisions_a": pair.revisions_a,
                "revisions_b": pair.revisions_b,
                "degree": pair.degree,
                "jaccard": pair.jaccard,
            }
            for pair in report.change_coupling
        ],
        "hotspots": [
            {
                "component": churn.group,
                "revisions": churn.revisions,
                "authors": churn.authors,
                "first_change": churn.first_change,
                "last_change": churn.last_change,
            }
            for churn in report.hotspots
        ],
    }


def _services(report: Report) -> dict[str, Any]:
    """``services``, ``service_coupling``, ``service_calls``, ``service_change_coupling`` and
    ``distributed_monolith``: empty or null for one project."""

    section = report.services
    if section is None:
        return {
            "services": [],
            "service_coupling": [],
            "service_calls": [],
            "service_messages": [],
            "service_change_coupling": None,
            "distributed_monolith": None,
        }
    return {
        "services": [
            {
                "name": s.name,
                "kind": s.kind,
                "paths": list(s.paths),
                "detected_by": s.detected_by,
                "reason": s.reason,
                "modules": list(s.modules),
                "lines": s.lines,
                "hostnames": list(s.hostnames),
                "score": s.score,
            }
            for s in section.services
        ],
        "service_coupling": [_service_pair(pair) for pair in section.pairs],
        "service_calls": [
            {
                "source": c.source,
                "target": c.target,
                **location(c.location),
                "protocol": c.protocol,
                "library": c.library,
                "method": c.method,
                "url": c.url,
                "via": c.via,
            }
            for c in section.calls
        ],
        "service_messages": [
            {
                "source": m.source,
                "target": m.target,
                **location(m.location),
                "protocol": m.protocol,
                "library": m.library,
                "topic": m.topic,
                "via": m.via,
            }
            for m in section.messages
        ],
        "service_change_coupling": _coupling_section(
            "service", section.history, section.change_coupling, section.hotspots, "service"
        ),
        "distributed_monolith": {
            "score": section.score,
            "level": section.level,
            "weights": dict(section.weights),
            "levels": {name: floor for floor, name in section.levels},
            "breakdown": [
                {"kind": part.kind, "points": part.points, "pairs": part.pairs}
                for part in section.breakdown
            ],
        },
    }


def _service_pair(pair: ServicePair) -> dict[str, Any]:
    counts = {e.kind: e.count for e in pair.evidence}
    return {
        "a": pair.a,
        "b": pair.b,
        "score": pair.score,
        "level": pair.level,
        "imports": counts.get("import", 0),
        "shared_libraries": counts.get("shared-library", 0),
        "shared_tables": counts.get("shared-table", 0),
        "shared_databases": counts.get("shared-database", 0),
        "http_calls": counts.get("call", 0),
        "call_cycle": "call-cycle" in counts,
        "cochange_commits": counts.get("co-change", 0),
        "evidence": [
            {
                "kind": e.kind,
                "weight": e.weight,
                "count": e.count,
                "detail": e.detail,
                "sites": [location(site) for site in e.sites],
            }
            for e in pair.evidence
        ],
    }


def _coupling_section(
    level: str,
    history: HistorySummary | None,
    pairs: tuple[ChangeCoupling, ...],
    hotspots: tuple[GroupChurn, ...],
    group_key: str,
) -> dict[str, Any] | None:
    if history is None:
        return None
    return {
        "level": level,
        "commits": history.commits,
        "commits_grouped": history.grouped,
        "commits_left_out": history.too_large,
        "commits_release": history.releases,
        "note": history.note or None,
        "pairs": [
            {
                "a": pair.a,
                "b": pair.b,
                "shared": pair.shared,
                "revisions_a": pair.revisions_a,
                "revisions_b": pair.revisions_b,
                "degree": pair.degree,
                "jaccard": pair.jaccard,
            }
            for pair in pairs
        ],
        "hotspots": [
            {
                group_key: churn.group,
                "revisions": churn.revisions,
                "authors": churn.authors,
                "first_change": churn.first_change,
                "last_change": churn.last_change,
            }
            for churn in hotspots
        ],
    }


def _stats(report: Report, timings: bool) -> dict[str, Any]:
    stats = report.stats
    document: dict[str, Any] = {
        "files_seen": stats.files_seen,
        "files_analysed": stats.files_analysed,
        "files_failed": stats.files_failed,
        "files_skipped": stats.files_skipped,
        # How long, and how much the cache saved, differ between two runs on the same
        # input; they are shown only on request, so that output stays byte-identical.
        "seconds": stats.seconds if timings else None,
    }
    if timings:
        document["files_parsed"] = stats.files_parsed
        document["cache_hits"] = stats.cache_hits
    return document


def _baseline(status: BaselineStatus | None) -> dict[str, Any] | None:
    if status is None:
        return None
    return {
        "path": status.path,
        "recorded": status.recorded,
        "known": status.known,
        "new": status.new,
        "strict": status.strict,
        "fixed": [
            {
                "code": e.code,
                "rule": e.rule,
                "subjects": list(e.subjects),
                "fingerprint": e.fingerprint,
                "count": e.count,
                "message": e.message,
            }
            for e in status.fixed
        ],
    }


def location(loc: Location) -> dict[str, Any]:
    return {"path": loc.path, "line": loc.line, "column": loc.column}


def _site(edge: ImportEdge) -> dict[str, Any]:
    return {
        **location(edge.location),
        "importer": edge.importer,
        "imported": edge.imported,
        "scope": edge.scope.value,
    }


def _dependency(dep: Dependency) -> dict[str, Any]:
    return {
        "source": dep.source,
        "target": dep.target,
        "imports": dep.imports,
        "sites": [_site(s) for s in dep.sites],
    }


def _cycle(cycle: Cycle) -> dict[str, Any]:
    return {
        "components": list(cycle.components),
        "cut": [_dependency(d) for d in cycle.cut],
        "cut_imports": cycle.cut_cost,
        "exact": cycle.exact,
    }


def finding(f: Finding) -> dict[str, Any]:
    loc = f.location
    return {
        "code": f.code,
        "rule": f.rule,
        "severity": f.severity.value,
        "message": f.message,
        "path": loc.path if loc else None,
        "line": loc.line if loc else None,
        "column": loc.column if loc else None,
        "source_component": f.source_component,
        "target_component": f.target_component,
        "subjects": list(f.subjects),
        "fingerprint": f.fingerprint,
        "related": [location(r) for r in f.related],
    }


def _model(m: ModelDef) -> dict[str, Any]:
    return {
        "qualname": m.qualname,
        "table": m.table,
        "component": m.component,
        **location(m.location),
        "framework": m.framework,
        "abstract": m.abstract,
    }


def _access(a: DataAccess) -> dict[str, Any]:
    return {
        "module": a.module,
        "component": a.component,
        "table": a.table,
        "kind": a.kind,
        **location(a.location),
        "scope": a.scope,
        "via": a.via,
        "detail": a.detail,
    }


def _transaction(t: Transaction) -> dict[str, Any]:
    return {
        "module": t.module,
        "component": t.component,
        **location(t.location),
        "scope": t.scope,
        "kind": t.kind,
        "writes": [_access(a) for a in t.writes],
    }


def _seams(report: Report) -> dict[str, Any]:
    """``seams``, ``metrics`` and ``candidates`` (null and empty when not computed)."""

    from seamfinder.report import seams

    return {
        "seams": seams.seams_document(report.seams),
        "metrics": seams.partition_metrics_document(report.seams),
        "candidates": [seams.candidate_document(c) for c in report.candidates],
    }


# The extraction sheet (reporters.seams) renders its sites, accesses, transactions and
# cycles exactly as the report does.
site_document = _site
access_document = _access
transaction_document = _transaction
cycle_document = _cycle
