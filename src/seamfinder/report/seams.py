"""Seams, decomposition metrics, extraction candidates and the extraction sheet: JSON
sections and terminal blocks. They render; every figure was computed in analysis/."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from typing import Any

from rich import box
from rich.console import Console, Group, RenderableType
from rich.table import Table
from rich.text import Text

from seamfinder.core.model import (
    JSON_VERSION,
    SITE_KINDS,
    Affinity,
    Candidate,
    Effort,
    ExtractionSheet,
    Hook,
    ImportEdge,
    NetworkCall,
    PartitionMetrics,
    SeamReport,
    Suggestion,
    TableUse,
)
from seamfinder.core.version import __version__
from seamfinder.report.json import (
    access_document,
    cycle_document,
    site_document,
    transaction_document,
)

_MAX_SEAMS = 15
_MAX_MISPLACED = 10
_MAX_CANDIDATES = 10
_MAX_ROWS = 25

# (field, label, which way is better)
_METRICS = (
    ("partitions", "parts", ""),
    ("modularity", "modularity Q", "higher"),
    ("structural_modularity", "structural modularity SM", "higher"),
    ("icp", "inter-call percentage ICP", "lower"),
    ("ifn", "interface number IFN", "lower"),
    ("ned", "non-extreme distribution NED", "lower"),
    ("data_purity", "data purity", "higher"),
)


# --- JSON -------------------------------------------------------------------------------


def metrics_document(metrics: PartitionMetrics) -> dict[str, Any]:
    return {
        "partitions": metrics.partitions,
        "modules": metrics.modules,
        "modularity": metrics.modularity,
        "structural_modularity": metrics.structural_modularity,
        "icp": metrics.icp,
        "ifn": metrics.ifn,
        "ned": metrics.ned,
        "data_purity": metrics.data_purity,
        "import_sites": metrics.import_sites,
        "cross_import_sites": metrics.cross_import_sites,
        "data_sites": metrics.data_sites,
        "data_sites_inside": metrics.data_sites_inside,
    }


def _affinity(tie: Affinity) -> dict[str, Any]:
    return {
        "component": tie.component,
        "imports": tie.imports,
        "tables": tie.data,
        "cochange": tie.cochange,
        "weight": tie.weight,
    }


def seams_document(seams: SeamReport | None) -> dict[str, Any] | None:
    if seams is None:
        return None
    imports, data, cochange = seams.weights
    return {
        "weights": {"imports": imports, "data": data, "cochange": cochange},
        "resolution": seams.resolution,
        "seed": seams.seed,
        "modules": seams.modules,
        "edges": seams.edges,
        "cochange": seams.cochange,
        "agreement": seams.agreement,
        "partitions": [
            {
                "name": seam.name,
                "label": seam.label,
                "modules": list(seam.modules),
                "components": [{"component": c, "modules": n} for c, n in seam.components],
            }
            for seam in seams.seams
        ],
        "misplaced": [
            {
                "module": m.module,
                "component": m.component,
                "seam": m.seam,
                "own": _affinity(m.own),
                "closest": _affinity(m.closest),
                "tables": list(m.tables),
            }
            for m in seams.misplaced
        ],
    }


def partition_metrics_document(seams: SeamReport | None) -> dict[str, Any] | None:
    if seams is None:
        return None
    return {
        "declared": metrics_document(seams.declared),
        "proposed": metrics_document(seams.proposed),
    }


def candidate_document(candidate: Candidate) -> dict[str, Any]:
    return {
        "rank": candidate.rank,
        "component": candidate.component,
        "score": candidate.score,
        "reasons": list(candidate.reasons),
        "factors": [
            {
                "name": f.name,
                "value": f.value,
                "points": f.points,
                "detail": f.detail,
                "weight": f.weight,
                "half": f.half,
            }
            for f in candidate.factors
        ],
        "viable": candidate.viable,
        "set_apart": candidate.set_apart,
        "entry_points": list(candidate.entry_points),
        "events": candidate.events,
        "fragment_of": candidate.fragment_of,
        "owned_tables": list(candidate.owned_tables),
        "shared_tables": list(candidate.shared_tables),
        "foreign_tables": list(candidate.foreign_tables),
        "inbound_sites": candidate.inbound_sites,
        "interface": list(candidate.interface),
        "outbound_sites": candidate.outbound_sites,
        "cycle": list(candidate.cycle),
        "transactions": candidate.transactions,
        "lines": candidate.lines,
        "revisions": candidate.revisions,
    }


def _header(root: str) -> dict[str, Any]:
    return {
        "version": JSON_VERSION,
        "tool": {"name": "seamfinder", "version": __version__},
        "root": root,
    }


def _dumps(document: dict[str, Any]) -> str:
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def render_candidates_json(root: str, candidates: Sequence[Candidate]) -> str:
    return _dumps({**_header(root), "candidates": [candidate_document(c) for c in candidates]})


def _use(use: TableUse) -> dict[str, Any]:
    return {
        "component": use.component,
        "table": use.table,
        "owner": use.owner,
        "reads": use.reads,
        "writes": use.writes,
        "relations": use.relations,
        "raw_sql": use.raw_sql,
        "lookups": use.lookups,
    }


def _hook(hook: Hook) -> dict[str, Any]:
    return {
        "module": hook.module,
        "kind": hook.kind,
        "path": hook.location.path,
        "line": hook.location.line,
        "name": hook.name,
        "signal": hook.signal,
        "target": hook.target,
    }


def effort_document(effort: Effort | None) -> dict[str, Any] | None:
    if effort is None:
        return None
    return {
        "service_modules": effort.service_modules,
        "service_lines": effort.service_lines,
        "monolith_modules": list(effort.monolith_modules),
        "monolith_lines": effort.monolith_lines,
        "tests": [{"path": t.path, "module": t.module, "line": t.line} for t in effort.tests],
        "migrations": [{"table": m.table, "steps": list(m.steps)} for m in effort.migrations],
        "cascades": [access_document(a) for a in effort.cascades],
    }


def suggestion_document(suggestion: Suggestion | None) -> dict[str, Any] | None:
    if suggestion is None:
        return None
    return {
        "with": list(suggestion.modules),
        "calls_in": {"before": suggestion.calls_before, "after": suggestion.calls_after},
        "calls_out": {"before": suggestion.outbound_before, "after": suggestion.outbound_after},
    }


def extraction_document(sheet: ExtractionSheet) -> dict[str, Any]:
    return {
        "component": sheet.component,
        "modules": list(sheet.modules),
        "added": list(sheet.added),
        "left_behind": list(sheet.left_behind),
        "calls": [
            {
                "caller": call.caller,
                "component": call.component,
                "direction": "inbound" if call.inbound else "outbound",
                "sites": [
                    {**site_document(s), "becomes": kind}
                    for s, kind in zip(call.sites, call.kinds, strict=False)
                ],
                "request": call.request,
                "names": [
                    {"symbol": n.symbol, "path": n.location.path, "line": n.location.line}
                    for n in call.names
                ],
            }
            for call in sheet.calls
        ],
        "interface": [
            {"symbol": p.symbol, "users": list(p.users), "sites": p.sites} for p in sheet.interface
        ],
        "tables": [
            {"table": t.table, "module": t.module, "users": [_use(u) for u in t.users]}
            for t in sheet.tables
        ],
        "foreign_tables": [_use(u) for u in sheet.foreign_tables],
        "relations": [access_document(a) for a in sheet.relations],
        "sagas": [transaction_document(t) for t in sheet.sagas],
        "cycles": [cycle_document(c) for c in sheet.cycles],
        "metrics": {
            "before": metrics_document(sheet.before),
            "after": metrics_document(sheet.after),
            "unchanged": sheet.unchanged,
        },
        "tables_taken": list(sheet.tables_taken),
        "tables_kept": list(sheet.tables_kept),
        "row_locks": [access_document(a) for a in sheet.row_locks],
        "lookups": [access_document(a) for a in sheet.lookups],
        "hooks": [_hook(h) for h in sheet.hooks],
        "effort": effort_document(sheet.effort),
        "suggestion": suggestion_document(sheet.suggestion),
    }


def render_extraction_json(sheet: ExtractionSheet) -> str:
    return _dumps({**_header(sheet.root), "extraction": extraction_document(sheet)})


# --- terminal ---------------------------------------------------------------------------


def _number(value: float | int | None) -> str:
    if value is None:
        return "-"
    if isinstance(value, int):
        return str(value)
    return f"{value:.3f}"


def metrics_table(
    title: str, columns: Sequence[tuple[str, PartitionMetrics]], caption: str = ""
) -> Table:
    table = Table(
        title=title,
        caption=caption or None,
        title_justify="left",
        caption_justify="left",
        box=box.SIMPLE_HEAD,
        title_style="bold",
    )
    table.add_column("metric")
    for name, _ in columns:
        table.add_column(name, justify="right")
    table.add_column("better", style="dim")
    for field, label, better in _METRICS:
        table.add_row(label, *(_number(getattr(m, field)) for _, m in columns), better)
    return table


def seams_blocks(seams: SeamReport) -> list[RenderableType]:
    imports, data, cochange = seams.weights
    title = Text("Proposed seams (community detection on the module graph)", style="bold")
    note = Text(
        f"{seams.modules} modules, {seams.edges} ties (weights: imports {imports:g}, "
        f"tables {data:g}, co-change {cochange:g}{'' if seams.cochange else ', no history'}); "
        f"Louvain, resolution {seams.resolution:g}, seed {seams.seed}; agreement with the "
        f"components (adjusted Rand index): {seams.agreement:.2f}",
        style="dim",
    )
    table = Table(box=box.SIMPLE_HEAD)
    table.add_column("seam")
    table.add_column("gathers", style="bold")
    table.add_column("modules", justify="right")
    table.add_column("from components", overflow="fold")
    for seam in seams.seams[:_MAX_SEAMS]:
        table.add_row(
            seam.name,
            seam.label,
            str(len(seam.modules)),
            ", ".join(f"{c} {n}" for c, n in seam.components[:6])
            + (" …" if len(seam.components) > 6 else ""),
        )
    if len(seams.seams) > _MAX_SEAMS:
        more = len(seams.seams) - _MAX_SEAMS
        table.add_row(Text(f"… {more} more (all in --format json)", style="dim"), "", "", "")
    blocks: list[RenderableType] = [
        Group(title, note, table),
        metrics_table(
            "Decomposition metrics",
            (("components", seams.declared), ("proposed", seams.proposed)),
            "Q on the affinity graph; SM, ICP, IFN on import statements; NED: share of modules "
            "in parts outside the size bounds; data purity: table sites inside the owner",
        ),
    ]
    blocks.append(misplaced_block(seams))
    return blocks


def misplaced_block(seams: SeamReport) -> RenderableType:
    if not seams.misplaced:
        return Text("No module uses another component more than its own.", style="green")
    parts: list[RenderableType] = [
        Text(f"Modules that lean on another component ({len(seams.misplaced)})", style="bold")
    ]
    for m in seams.misplaced[:_MAX_MISPLACED]:
        line = Text()
        line.append(f"• {m.module}", style="bold")
        line.append(f" ({m.component}) uses {m.closest.component} more: ")
        line.append(_tie(m.closest) + " vs " + _tie(m.own) + " of its own")
        if m.tables:
            line.append(f"; tables {', '.join(m.tables[:4])}", style="dim")
        parts.append(line)
    if len(seams.misplaced) > _MAX_MISPLACED:
        parts.append(
            Text(f"  … {len(seams.misplaced) - _MAX_MISPLACED} more in --format json", style="dim")
        )
    return Group(*parts)


def _tie(tie: Affinity) -> str:
    bits = [f"{tie.imports} import{'s' if tie.imports != 1 else ''}"]
    bits.append(f"{tie.data} table{'s' if tie.data != 1 else ''}")
    if tie.cochange:
        bits.append(f"co-change {tie.cochange:g}")
    return ", ".join(bits)


def candidates_table(candidates: Sequence[Candidate], limit: int = _MAX_CANDIDATES) -> Table:
    table = Table(
        title="Extraction candidates (easiest first)",
        caption="score: 100 minus the points each obstacle costs; "
        "`seamfinder candidates` shows the breakdown, `seamfinder extract` the cost",
        title_justify="left",
        caption_justify="left",
        box=box.SIMPLE_HEAD,
        title_style="bold",
    )
    table.add_column("#", justify="right")
    table.add_column("component", style="bold")
    table.add_column("score", justify="right")
    table.add_column("why", overflow="fold")
    for candidate in [c for c in candidates if c.viable][:limit]:
        table.add_row(
            str(candidate.rank),
            candidate.component,
            f"{candidate.score:.1f}",
            "; ".join(candidate.reasons[:3]),
        )
    return table


def set_apart_table(candidates: Sequence[Candidate]) -> RenderableType | None:
    apart = [c for c in candidates if not c.viable]
    if not apart:
        return None
    table = Table(
        title=f"Set apart: not services ({len(apart)})",
        title_justify="left",
        box=box.SIMPLE_HEAD,
        title_style="bold",
    )
    table.add_column("#", justify="right")
    table.add_column("component", style="bold")
    table.add_column("score", justify="right")
    table.add_column("why not", overflow="fold")
    for candidate in apart:
        table.add_row(
            str(candidate.rank), candidate.component, f"{candidate.score:.1f}", candidate.set_apart
        )
    return table


def candidates_blocks(root: str, candidates: Sequence[Candidate]) -> list[RenderableType]:
    """``seamfinder candidates``: the ranking, those set apart, every breakdown."""

    blocks: list[RenderableType] = [
        Text(f"seamfinder candidates {root}", style="bold"),
        candidates_table(candidates, limit=len(candidates))
        if candidates
        else Text(
            "no extraction candidates: no components detected (every module is in <root>); "
            "declare components or use --depth",
            style="dim",
        ),
    ]
    apart = set_apart_table(candidates)
    if apart is not None:
        blocks.append(apart)
    for candidate in candidates:
        facts = [f"entry points: {', '.join(candidate.entry_points) or 'none'}"]
        if candidate.fragment_of:
            facts.append(f"a fragment of the proposed seam {candidate.fragment_of}")
        if not candidate.viable:
            facts.append(f"set apart: {candidate.set_apart}")
        table = Table(
            title=f"{candidate.rank}. {candidate.component}: {candidate.score:.1f}",
            caption="; ".join(facts),
            title_justify="left",
            caption_justify="left",
            box=box.SIMPLE_HEAD,
            title_style="bold",
        )
        table.add_column("factor")
        table.add_column("value", justify="right")
        table.add_column("weight", justify="right")
        table.add_column("half", justify="right")
        table.add_column("points", justify="right")
        table.add_column("what it is", overflow="fold")
        for factor in candidate.factors:
            table.add_row(
                factor.name,
                f"{factor.value:g}",
                f"{factor.weight:g}" if factor.weight else "",
                f"{factor.half:g}" if factor.half else "",
                f"-{factor.points:.1f}" if factor.points else "0",
                Text(factor.detail, style="" if factor.points else "dim"),
            )
        blocks.append(table)
    return blocks


def _site_line(site: ImportEdge, names: Sequence[str], kind: str = "") -> Text:
    loc = site.location
    taken = f" ({', '.join(names)})" if names else ""
    scope = "" if site.scope.value == "module" else f" [{site.scope.value}]"
    becomes = f"  -> {kind}" if kind else ""
    return Text(f"    {loc.path}:{loc.line}  {site.imported}{taken}{scope}{becomes}", style="dim")


def _kinds_line(calls: Sequence[NetworkCall]) -> str:
    counts = Counter(kind for call in calls for kind in call.kinds)
    return ", ".join(f"{counts[k]} {k}" for k in SITE_KINDS if counts[k])


def extraction_blocks(sheet: ExtractionSheet) -> list[RenderableType]:
    header = Text()
    header.append(f"Extracting {sheet.component}", style="bold")
    header.append(f" from {sheet.root}: {len(sheet.modules)} modules")
    if sheet.added:
        header.append(f"; taking {', '.join(sheet.added)}")
    if sheet.left_behind:
        header.append(f"; leaving {', '.join(sheet.left_behind)}")
    blocks: list[RenderableType] = [header]

    for inbound in (True, False):
        calls = [c for c in sheet.calls if c.inbound is inbound]
        sites = sum(len(c.sites) for c in calls)
        title = (
            "Calls into the service (import statements that become remote calls)"
            if inbound
            else "Calls out of the service (its synchronous dependencies on the monolith)"
        )
        parts: list[RenderableType] = [
            Text(f"{title}: {sites} in {len(calls)} modules", style="bold")
        ]
        if calls:
            parts.append(Text(f"  they become: {_kinds_line(calls)}", style="dim"))
        for call in calls[:_MAX_ROWS]:
            reach = f" [{call.request}]" if call.request and "call" in call.kinds else ""
            parts.append(Text(f"  {call.caller} ({call.component}): {len(call.sites)}{reach}"))
            for index, site in enumerate(call.sites[:4]):
                line = site.location.line
                names = [n.symbol for n in call.names if n.location.line == line]
                kind = call.kinds[index] if index < len(call.kinds) else ""
                parts.append(_site_line(site, names, kind))
            if len(call.sites) > 4:
                parts.append(Text(f"    … {len(call.sites) - 4} more", style="dim"))
        if len(calls) > _MAX_ROWS:
            parts.append(Text(f"  … {len(calls) - _MAX_ROWS} more callers", style="dim"))
        blocks.append(Group(*parts))

    api = Table(
        title=f"Interface to publish ({len(sheet.interface)} symbols)",
        title_justify="left",
        box=box.SIMPLE_HEAD,
        title_style="bold",
    )
    api.add_column("symbol")
    api.add_column("sites", justify="right")
    api.add_column("used by", overflow="fold")
    for symbol in sheet.interface[:_MAX_ROWS]:
        users = ", ".join(symbol.users[:4]) + (" …" if len(symbol.users) > 4 else "")
        api.add_row(symbol.symbol, str(symbol.sites), users)
    blocks.append(api if sheet.interface else Text("Interface to publish: none", style="green"))

    tables = Table(
        title=f"Tables that move ({len(sheet.tables)}), and who else uses them",
        caption="W write, R read (L of them through lookups), F foreign key or relationship, "
        "S raw SQL (sites)",
        title_justify="left",
        caption_justify="left",
        box=box.SIMPLE_HEAD,
        title_style="bold",
    )
    tables.add_column("table", style="bold")
    tables.add_column("defined in")
    tables.add_column("other users", overflow="fold")
    for moving in sheet.tables[:_MAX_ROWS]:
        users = "; ".join(f"{u.component} {_counts(u)}" for u in moving.users) or "-"
        tables.add_row(moving.table, moving.module, users)
    blocks.append(tables)

    if sheet.foreign_tables:
        foreign = "; ".join(
            f"{u.table} ({u.owner}) {_counts(u)}" for u in sheet.foreign_tables[:_MAX_ROWS]
        )
        blocks.append(Text(f"Tables it still needs from others: {foreign}"))
    blocks.append(
        _listing(
            f"Foreign keys and relationships to break ({len(sheet.relations)})",
            [
                f"{a.location}  {a.scope or a.module}.{a.detail} -> {a.table}"
                for a in sheet.relations
            ],
        )
    )
    blocks.append(
        _listing(
            f"Transactions that become sagas ({len(sheet.sagas)})",
            [
                f"{t.location.path}:{t.location.line}  {t.module}:{t.scope} ({t.kind}) writes "
                + ", ".join(sorted({w.table for w in t.writes}))
                for t in sheet.sagas
            ],
        )
    )
    blocks.append(
        _listing(
            f"Rows locked in those transactions (select_for_update) ({len(sheet.row_locks)})",
            [f"{a.location}  {a.scope or a.module} locks {a.table}" for a in sheet.row_locks],
        )
    )
    blocks.append(
        _listing(
            f"Lookups across the boundary ({len(sheet.lookups)})",
            [f"{a.location}  {a.detail} -> {a.table}" for a in sheet.lookups],
        )
    )
    blocks.append(
        _listing(
            f"Wiring without imports across the boundary ({len(sheet.hooks)})",
            [
                f"{h.location.path}:{h.location.line}  {h.kind} {h.name}"
                + (f" on {h.signal.rsplit('.', 1)[-1]}" if h.signal else "")
                + (f" -> {h.target}" if h.target else "")
                for h in sheet.hooks
            ],
        )
    )
    blocks.append(
        _listing(
            f"Distributed cycles ({len(sheet.cycles)}), by the service's own edges",
            [
                " ⇄ ".join(c.components)
                + "; its edges: "
                + ", ".join(f"{d.source} -> {d.target} ({d.imports})" for d in c.edges)
                + f"; cheapest cut: {c.cut_cost} import(s): "
                + ", ".join(f"{d.source} -> {d.target}" for d in c.cut)
                for c in sheet.cycles
            ],
        )
    )
    if sheet.unchanged:
        blocks.append(Text("Decomposition metrics: unchanged by this extraction", style="green"))
    else:
        blocks.append(
            metrics_table(
                "Decomposition metrics",
                (("before", sheet.before), ("after", sheet.after)),
                "before: the components as they are; after: with the service carved out as asked",
            )
        )
    blocks.extend(_effort_blocks(sheet))
    return blocks


def _effort_blocks(sheet: ExtractionSheet) -> list[RenderableType]:
    blocks: list[RenderableType] = []
    effort = sheet.effort
    if effort is not None:
        blocks.append(
            Group(
                Text("Effort", style="bold"),
                Text(
                    f"  service: {effort.service_modules} modules, {effort.service_lines} lines; "
                    f"monolith: {len(effort.monolith_modules)} modules to change, "
                    f"{effort.monolith_lines} lines"
                ),
                Text(
                    f"  tests importing the moved code: {len(effort.tests)} "
                    f"({len({t.path for t in effort.tests})} files)"
                ),
                *(
                    Text(f"    {t.path}:{t.line}  {t.module}", style="dim")
                    for t in effort.tests[:10]
                ),
            )
        )
        steps: list[str] = []
        for migration in effort.migrations:
            steps.append(migration.table)
            steps.extend(f"  {i}. {step}" for i, step in enumerate(migration.steps, start=1))
        blocks.append(_listing(f"Data migration ({len(effort.migrations)} tables)", steps))
        blocks.append(
            _listing(
                f"Cascades that must become events ({len(effort.cascades)})",
                [
                    f"{a.location}  {a.scope or a.module}.{a.detail} -> {a.table}: "
                    f"on_delete=CASCADE, a deletion in {a.table} must reach the other side "
                    "as an event"
                    for a in effort.cascades
                ],
            )
        )
    suggestion = sheet.suggestion
    if suggestion is not None:
        flags = " ".join(f"--with {m}" for m in suggestion.modules)
        blocks.append(
            Group(
                Text("Take along (its adapters elsewhere)", style="bold"),
                Text(f"  {flags}"),
                Text(
                    f"  synchronous calls in: {suggestion.calls_before} -> {suggestion.calls_after}"
                    f"; out: {suggestion.outbound_before} -> {suggestion.outbound_after}",
                    style="dim",
                ),
            )
        )
    return blocks


def _counts(use: TableUse) -> str:
    letters = (
        ("writes", "W"),
        ("reads", "R"),
        ("lookups", "L"),
        ("relations", "F"),
        ("raw_sql", "S"),
    )
    return " ".join(f"{letter}{getattr(use, f)}" for f, letter in letters if getattr(use, f))


def _listing(title: str, lines: Sequence[str]) -> RenderableType:
    if not lines:
        return Text(f"{title}: none", style="green")
    parts: list[RenderableType] = [Text(title, style="bold")]
    parts.extend(Text(f"  {line}") for line in lines[:_MAX_ROWS])
    if len(lines) > _MAX_ROWS:
        parts.append(Text(f"  … {len(lines) - _MAX_ROWS} more (all in --format json)", style="dim"))
    return Group(*parts)


# --- whole outputs of `seamfinder candidates` and `seamfinder extract` -------------------


def print_blocks(console: Console, blocks: Sequence[RenderableType]) -> None:
    """Each block followed by a blank line."""

    for block in blocks:
        console.print(block)
        console.print()
