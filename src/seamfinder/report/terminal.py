"""The report a person reads in a terminal (rich). It renders; it computes nothing."""

from __future__ import annotations

from collections.abc import Sequence

from rich import box
from rich.console import Console, Group, RenderableType
from rich.table import Table
from rich.text import Text

from seamfinder.core.model import ROOT_COMPONENT, Finding, Report, Severity, TableUse
from seamfinder.report import seams
from seamfinder.report.coupling import coupling_parts
from seamfinder.report.services import services_blocks
from seamfinder.report.summary import summary_lines

_SEVERITY_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}
_MAX_SITES = 3
_MAX_CUT_EDGES = 12
_MAX_MATRIX = 24


def render(
    report: Report,
    console: Console,
    *,
    show_modules: bool = False,
    timings: bool = False,
    show_skipped: bool = False,
) -> None:
    blocks = sections(report, show_modules=show_modules, width=console.width)
    if show_skipped:
        blocks.insert(1, _skipped(report))
    for block in blocks:
        console.print(block)
        console.print()
    if timings:
        s = report.stats
        console.print(
            Text(
                f"{s.seconds:.2f}s; {s.files_parsed} files parsed, {s.cache_hits} from the cache",
                style="dim",
            )
        )


def sections(
    report: Report, *, show_modules: bool = False, width: int = 120
) -> list[RenderableType]:
    blocks: list[RenderableType] = [_header(report)]
    if report.services is not None:
        blocks.extend(services_blocks(report.services))
    blocks.append(_components(report, show_modules))
    if len(report.matrix.order) > 1:
        blocks.append(_matrix(report, width))
    blocks.append(_cycles(report))
    if report.coupled_pairs:
        blocks.append(_pairs(report))
    if report.data_matrix:
        blocks.append(_data_ownership(report))
        crossing = _crossing_tables(report)
        if crossing is not None:
            blocks.append(crossing)
    if report.history is not None:
        blocks.append(_history(report))
    if report.seams is not None:
        blocks.extend(seams.seams_blocks(report.seams))
    if report.candidates:
        blocks.append(seams.candidates_table(report.candidates))
    grouped = {code for group in report.data_groups for code, _ in group.counts}
    if report.data_groups:
        blocks.append(_data_groups(report))
    blocks.append(_findings([f for f in report.findings if f.code not in grouped], report))
    return blocks


def _skipped(report: Report) -> RenderableType:
    if not report.skipped:
        return Text("No Python file was left out for its name.", style="dim")
    title = Text(f"Left out for their name ({len(report.skipped)})", style="bold")
    lines = [Text(f"  {s.path}  ({s.reason})") for s in report.skipped]
    return Group(title, *lines)


def _history(report: Report) -> RenderableType:
    history = report.history
    assert history is not None
    if history.note:
        return Text(f"Change coupling: no history ({history.note})", style="yellow")
    title = Text("Change coupling (git history)", style="bold")
    note = Text(
        f"{history.commits} commits, {history.grouped} touching a component, "
        f"{history.too_large} left out as too large or too sweeping, {history.releases} "
        "release commits not counted; degree = shared commits "
        "/ average revisions of the pair",
        style="dim",
    )
    return Group(
        title, note, *coupling_parts(report.change_coupling, report.hotspots, "components")
    )


_KIND_LETTERS = (("writes", "W"), ("reads", "R"), ("relations", "F"), ("raw_sql", "S"))


def _uses(use: TableUse) -> str:
    """``W2 R1 F1``: write, read, foreign-key/relationship and raw-SQL sites."""

    return " ".join(
        f"{letter}{getattr(use, name)}" for name, letter in _KIND_LETTERS if getattr(use, name)
    )


def _data_ownership(report: Report) -> Table:
    table = Table(
        title="Data ownership", title_justify="left", box=box.SIMPLE_HEAD, title_style="bold"
    )
    table.add_column("component", style="bold")
    table.add_column("owns", justify="right")
    table.add_column("foreign tables it touches", overflow="fold")
    for row in report.ownership:
        theirs = row.foreign
        shown = ", ".join(theirs[:8]) + (f", … {len(theirs) - 8} more" if len(theirs) > 8 else "")
        table.add_row(
            row.component, str(row.owns), Text(shown or "-", style="dim" if not theirs else "")
        )
    return table


def _crossing_tables(report: Report) -> Table | None:
    """Tables used by more than their owner: where the data boundaries leak."""

    rows = report.crossing_tables
    if not rows:
        return None
    table = Table(
        title="Tables used across components",
        caption="W write, R read, F foreign key or relationship, S raw SQL (sites)",
        title_justify="left",
        caption_justify="left",
        box=box.SIMPLE_HEAD,
        title_style="bold",
    )
    table.add_column("table", style="bold")
    table.add_column("owner")
    table.add_column("used by", overflow="fold")
    for row in rows[:40]:
        used_by = "; ".join(f"{u.component} {_uses(u)}" for u in row.users)
        table.add_row(row.table, row.owner, used_by)
    if len(rows) > 40:
        table.add_row(Text(f"… {len(rows) - 40} more (all in --format json)", style="dim"), "", "")
    return table


def render_check(report: Report, console: Console) -> None:
    """What ``check`` shows: only the findings, what the baseline no longer needs, the count.

    One finding per line, never wrapped (``soft_wrap``): CI logs are searched with grep.
    """

    def line(text: Text) -> None:
        console.print(text, soft_wrap=True)

    for finding in report.findings:
        line(_finding_line(finding))
        for related in finding.related[:_MAX_SITES]:
            line(Text(f"    also {related}", style="dim"))
        if len(finding.related) > _MAX_SITES:
            line(Text(f"    … and {len(finding.related) - _MAX_SITES} more", style="dim"))
    if report.baseline is not None and report.baseline.fixed:
        line(Text("Fixed since the baseline:", style="bold green"))
        for entry in report.baseline.fixed:
            times = f" ({entry.count}x)" if entry.count > 1 else ""
            line(Text(f"  {entry.code} [{entry.rule}] {entry.message}{times}"))
    for summary in summary_lines(report):
        line(Text(summary, style="bold"))


def _finding_line(finding: Finding) -> Text:
    line = Text()
    loc = finding.location
    line.append(f"{loc.path}:{loc.line}:{loc.column} " if loc else "")
    line.append(f"{finding.code} ", style=_SEVERITY_STYLE[finding.severity])
    line.append(f"[{finding.rule}] ", style="dim")
    line.append(finding.message)
    return line


def _header(report: Report) -> Text:
    s = report.stats
    real = [c for c in report.components if c.name != ROOT_COMPONENT]
    text = Text()
    text.append("seamfinder ", style="bold")
    text.append(f"{report.root}\n", style="bold cyan")
    skipped = f", {s.files_skipped} skipped for their name" if s.files_skipped else ""
    if real:
        found = (
            f"{_plural(len(real), 'component')}, "
            f"{_plural(len(report.dependencies), 'dependency', 'dependencies')}, "
            f"{_plural(len(report.cycles), 'cycle')}"
        )
    else:
        modules = sum(len(c.modules) for c in report.components)
        found = (
            f"no components detected: all {_plural(modules, 'module')} are in {ROOT_COMPONENT}; "
            "declare components or use --depth"
        )
    text.append(
        f"{s.files_seen} files ({s.files_failed} unreadable{skipped}), {found}", style="dim"
    )
    return text


def _plural(count: int, one: str, many: str | None = None) -> str:
    return f"{count} {one if count == 1 else (many or one + 's')}"


def _components(report: Report, show_modules: bool) -> Table:
    metrics = {m.name: m for m in report.metrics}
    table = Table(title="Components", title_justify="left", box=box.SIMPLE_HEAD, title_style="bold")
    # A name is never cut: two long names cut alike would read as one component.
    table.add_column("component", style="bold", overflow="fold")
    table.add_column("found by", overflow="fold", max_width=56)
    table.add_column("modules", justify="right")
    table.add_column("lines", justify="right")
    table.add_column("Ca", justify="right")
    table.add_column("Ce", justify="right")
    table.add_column("instability", justify="right")
    for component in report.components:
        metric = metrics.get(component.name)
        found = component.detected_by
        if component.reason:
            found = f"{found}: {component.reason}"
        name = component.name
        if show_modules:
            name = f"{name}\n" + "\n".join(f"  {m}" for m in component.modules)
        table.add_row(
            name,
            Text(found, style="dim"),
            str(len(component.modules)),
            str(component.lines),
            str(metric.afferent if metric else 0),
            str(metric.efferent if metric else 0),
            f"{metric.instability:.2f}" if metric else "-",
        )
    return table


def _matrix(report: Report, width: int) -> Group:
    order = report.matrix.order
    prefix = _common_prefix(order)
    labels = _distinct_labels([name.removeprefix(prefix) for name in order], max(24, width // 3))
    label_width = max(len(label) for label in labels) + 4
    limit = max(4, min(_MAX_MATRIX, (width - label_width - 2) // 4))
    shown = list(range(len(order)))
    if len(order) > limit:
        # Too wide to read: keep the most connected components, in matrix order.
        weight = [
            sum(row) + sum(r[i] for r in report.matrix.cells)
            for i, row in enumerate(report.matrix.cells)
        ]
        keep = sorted(sorted(shown, key=lambda i: (-weight[i], order[i]))[:limit])
        shown = keep
    table = Table(box=box.SIMPLE, show_header=True, pad_edge=False, padding=(0, 0))
    table.add_column("", style="bold", overflow="fold", max_width=label_width)
    for position in range(len(shown)):
        table.add_column(str(position + 1), justify="right", min_width=4, no_wrap=True)
    for row_pos, row_index in enumerate(shown):
        cells: list[Text] = []
        for col_pos, col_index in enumerate(shown):
            value = report.matrix.cells[row_index][col_index]
            if row_index == col_index:
                cells.append(Text("■", style="dim"))
            elif value == 0:
                cells.append(Text("·", style="dim"))
            else:
                # Above the diagonal a dependency points "up": a component ordered first
                # depends on one ordered after it, which only happens inside a cycle.
                style = "bold red" if col_pos > row_pos else ""
                cells.append(Text(str(value), style=style))
        table.add_row(f"{row_pos + 1:>2} {labels[row_index]}", *cells)
    title = Text("Dependency structure matrix", style="bold")
    note = (
        "import statements, row imports column; providers first; "
        "marks above the diagonal are cycle edges"
    )
    if prefix:
        note += f"; names without {prefix!r}"
    if len(shown) < len(order):
        note += (
            f"; the {len(shown)} most connected of {len(order)} components (all in --format json)"
        )
    return Group(title, Text(note, style="dim"), table)


def _distinct_labels(labels: list[str], limit: int) -> list[str]:
    """Labels of at most ``limit`` characters, shortened in the middle (the package and
    the last part both tell components apart), unless that would make two read alike."""

    if all(len(label) <= limit for label in labels):
        return labels
    head = (limit - 1) // 2
    tail = limit - 1 - head
    short = [
        label if len(label) <= limit else f"{label[:head]}…{label[-tail:]}" for label in labels
    ]
    return short if len(set(short)) == len(set(labels)) else labels


def _common_prefix(names: Sequence[str]) -> str:
    """The dotted package prefix all names share (``dispatch.``), to keep labels short."""

    real = [n for n in names if n != ROOT_COMPONENT]
    if len(real) < 2:
        return ""
    first = real[0].split(".")
    common: list[str] = []
    for index, part in enumerate(first[:-1]):
        if all(len(p := n.split(".")) > index + 1 and p[index] == part for n in real):
            common.append(part)
        else:
            break
    return ".".join(common) + "." if common else ""


def _cycles(report: Report) -> RenderableType:
    if not report.cycles:
        return Text("No component cycles.", style="green")
    parts: list[RenderableType] = [Text(f"Cycles ({len(report.cycles)})", style="bold")]
    for cycle in report.cycles:
        parts.append(Text(f"• {' ⇄ '.join(cycle.components)}", style="bold red"))
        how = "cheapest cut" if cycle.exact else "cut (heuristic)"
        parts.append(Text(f"  {how}: {cycle.cut_cost} import(s) in {len(cycle.cut)} edge(s)"))
        # The heaviest edges first: in a large cycle they are where the work is.
        cut = sorted(cycle.cut, key=lambda d: (-d.imports, d.source, d.target))
        for dep in cut[:_MAX_CUT_EDGES]:
            parts.append(Text(f"    remove {dep.source} -> {dep.target} ({dep.imports}):"))
            for site in dep.sites[:_MAX_SITES]:
                loc = site.location
                parts.append(
                    Text(
                        f"      {loc.path}:{loc.line}  {site.importer} -> {site.imported}",
                        style="dim",
                    )
                )
            if dep.imports > _MAX_SITES:
                parts.append(Text(f"      … and {dep.imports - _MAX_SITES} more", style="dim"))
        if len(cut) > _MAX_CUT_EDGES:
            parts.append(
                Text(
                    f"    … and {len(cut) - _MAX_CUT_EDGES} more edges (all in --format json)",
                    style="dim",
                )
            )
    return Group(*parts)


def _pairs(report: Report) -> Table:
    table = Table(
        title="Most coupled pairs", title_justify="left", box=box.SIMPLE_HEAD, title_style="bold"
    )
    table.add_column("components")
    table.add_column("imports", justify="right")
    for a, b, count in report.coupled_pairs:
        table.add_row(f"{a} ⇄ {b}", str(count))
    return table


_EXAMPLES_PER_RULE = 8


_MAX_GROUPS = 40


def _data_groups(report: Report) -> RenderableType:
    """Data findings per (component, foreign table), with a count per rule: a first run on
    a large monolith gives thousands of sites, which ``check`` lists one by one."""

    groups = report.data_groups
    codes = sorted({code for group in groups for code, _ in group.counts})
    names = {f.code: f.rule for f in report.findings}
    total = sum(g.total for g in groups)
    table = Table(
        title=f"Data findings by component and table ({total} in {len(groups)} pairs)",
        caption=", ".join(f"{code} {names.get(code, '')}" for code in codes)
        + "; seamfinder check lists every site",
        title_justify="left",
        caption_justify="left",
        box=box.SIMPLE_HEAD,
        title_style="bold",
    )
    table.add_column("component", style="bold", overflow="fold")
    table.add_column("table", overflow="fold")
    table.add_column("owner", overflow="fold")
    for code in codes:
        table.add_column(code, justify="right")
    for group in groups[:_MAX_GROUPS]:
        counts = dict(group.counts)
        table.add_row(
            group.component,
            group.table,
            group.owner or "-",
            *(str(counts[code]) if code in counts else "" for code in codes),
        )
    if len(groups) > _MAX_GROUPS:
        more = len(groups) - _MAX_GROUPS
        table.add_row(Text(f"… {more} more pairs (all in --format json)", style="dim"), "", "")
    return table


def _findings(findings: Sequence[Finding], report: Report) -> RenderableType:
    """Every finding when there are few; else the first of each rule and the counts.

    A report a person reads stops being read after a screenful; ``check`` and the machine
    formats list every finding. Data findings counted per table above are left out here.
    """

    if not report.findings:
        return Text("No findings.", style="bold green")
    parts: list[RenderableType] = [Text(f"Findings ({len(report.findings)})", style="bold")]
    if len(findings) < len(report.findings):
        counted = len(report.findings) - len(findings)
        parts.append(Text(f"{counted} data findings counted by table above", style="dim"))
    by_code: dict[str, list[Finding]] = {}
    for finding in findings:
        by_code.setdefault(finding.code, []).append(finding)
    if len(findings) <= 4 * _EXAMPLES_PER_RULE:
        parts.extend(_finding_line(finding) for finding in findings)
    else:
        for code in sorted(by_code):
            group = by_code[code]
            parts.append(Text(f"{code} {group[0].rule}: {len(group)}", style="bold"))
            parts.extend(_finding_line(finding) for finding in group[:_EXAMPLES_PER_RULE])
            if len(group) > _EXAMPLES_PER_RULE:
                more = len(group) - _EXAMPLES_PER_RULE
                note = f"  … and {more} more (seamfinder check lists them all)"
                parts.append(Text(note, style="dim"))
    counts = {s: sum(1 for f in report.findings if f.severity is s) for s in Severity}
    summary = ", ".join(
        f"{n} {s.value}{'s' if n != 1 else ''}" for s, n in reversed(counts.items()) if n
    )
    parts.append(Text(summary, style="bold"))
    return Group(*parts)
