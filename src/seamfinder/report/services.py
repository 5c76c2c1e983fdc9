"""Terminal blocks for a repository of services: the services, the verdict, its evidence."""

from __future__ import annotations

from rich import box
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from seamfinder.core.model import ServicePair, ServicesReport
from seamfinder.report.coupling import coupling_parts

_LEVEL_STYLE = {
    "distributed-monolith": "bold red",
    "coupled": "yellow",
    "loosely-coupled": "cyan",
    "independent": "green",
}
_MAX_PAIRS = 20


def services_blocks(section: ServicesReport) -> list[RenderableType]:
    blocks: list[RenderableType] = [_services(section), _verdict(section)]
    if section.pairs:
        blocks.append(_pairs(section.pairs[:_MAX_PAIRS], len(section.pairs)))
    if section.history is not None:
        blocks.append(_history(section))
    return blocks


def _services(section: ServicesReport) -> Table:
    table = Table(title="Services", title_justify="left", box=box.SIMPLE_HEAD, title_style="bold")
    table.add_column("service", style="bold", overflow="fold")
    table.add_column("kind", no_wrap=True)
    table.add_column("path", overflow="fold")
    # The reason gives way first: names and paths are never cut (two would read alike).
    table.add_column("found by", overflow="fold", max_width=48)
    table.add_column("modules", justify="right")
    table.add_column("lines", justify="right")
    table.add_column("score", justify="right")
    for service in section.services:
        table.add_row(
            service.name,
            service.kind,
            ", ".join(service.paths),
            Text(f"{service.detected_by}: {service.reason}", style="dim"),
            str(len(service.modules)),
            str(service.lines),
            str(service.score) if service.kind == "service" else "-",
        )
    return table


def _verdict(section: ServicesReport) -> RenderableType:
    weights = ", ".join(f"{kind} {points}" for kind, points in section.weights)
    line = Text("Distributed monolith: ", style="bold")
    line.append(f"{section.score}/100 {section.level}", style=_LEVEL_STYLE.get(section.level, ""))
    parts: list[RenderableType] = [line]
    if section.breakdown:
        parts.append(
            Text(
                "  = " + " + ".join(f"{p.kind} {p.points}" for p in section.breakdown),
                style="bold",
            )
        )
    parts.append(
        Text(
            f"the mean over services of each one's strongest pair score; a pair scores the sum "
            f"of its evidence, capped at 100 (points: {weights}; call and message per "
            "direction; co-change times its degree)",
            style="dim",
        )
    )
    if section.calls or section.messages:
        parts.append(_traffic(section))
    return Group(*parts)


def _traffic(section: ServicesReport) -> Text:
    """Calls (synchronous) and messages (asynchronous) per direction and protocol."""

    counts: dict[tuple[str, str, str], int] = {}
    for call in section.calls:
        key = (call.source, call.target, f"{call.protocol} call")
        counts[key] = counts.get(key, 0) + 1
    for message in section.messages:
        key = (message.source, message.target, f"{message.library} {message.protocol}")
        counts[key] = counts.get(key, 0) + 1
    lines = [
        f"  {source} -> {target}: {n} {what}{'s' if n > 1 else ''}"
        for (source, target, what), n in sorted(counts.items())
    ]
    return Text("\n".join(["Calls (synchronous) and messages (asynchronous):", *lines]))


def _pairs(pairs: tuple[ServicePair, ...], total: int) -> Table:
    table = Table(
        title="Coupling between services",
        title_justify="left",
        box=box.SIMPLE_HEAD,
        title_style="bold",
        caption=f"{total - len(pairs)} more pairs in --format json" if total > len(pairs) else None,
        caption_justify="left",
    )
    table.add_column("services")
    table.add_column("score", justify="right")
    table.add_column("evidence (points)", overflow="fold")
    for pair in pairs:
        evidence = "; ".join(f"{e.detail} (+{e.weight})" for e in pair.evidence)
        table.add_row(
            f"{pair.a} ⇄ {pair.b}",
            Text(f"{pair.score} {pair.level}", style=_LEVEL_STYLE.get(pair.level, "")),
            evidence,
        )
    return table


def _history(section: ServicesReport) -> RenderableType:
    history = section.history
    assert history is not None
    if history.note:
        return Text(f"Service change coupling: no history ({history.note})", style="yellow")
    parts: list[RenderableType] = [
        Text("Service change coupling (git history)", style="bold"),
        Text(
            f"{history.commits} commits, {history.grouped} touching a service or library, "
            f"{history.too_large} left out as too large or too sweeping, "
            f"{history.releases} release commits not counted",
            style="dim",
        ),
    ]
    parts.extend(coupling_parts(section.change_coupling, section.hotspots, "services"))
    return Group(*parts)
