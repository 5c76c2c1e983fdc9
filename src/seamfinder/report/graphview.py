"""The component and service graphs as the picture formats draw them (DOT, Mermaid, HTML).

Nothing is computed here that the report does not hold: edges, cycles and cuts come
from the report as they are; a component is drawn in the colour of the proposed seam
that holds most of its modules (the seams list those counts); a service pair's edge is
labelled with the kinds of its evidence, and calls between two services are drawn as
one arrow per direction that lists their methods.
"""

from __future__ import annotations

from dataclasses import dataclass

from seamfinder.core.model import ROOT_COMPONENT, Report, SeamReport


@dataclass(frozen=True, slots=True)
class Node:
    name: str
    lines: int
    seam: str | None  # the proposed seam holding most of its modules
    in_cycle: bool


@dataclass(frozen=True, slots=True)
class Edge:
    source: str
    target: str
    imports: int
    in_cycle: bool  # both ends in one cycle
    cut: bool  # part of the cheapest cut of its cycle


@dataclass(frozen=True, slots=True)
class ComponentGraph:
    nodes: tuple[Node, ...]  # in the report's component order; <root> only when linked
    edges: tuple[Edge, ...]  # in the report's dependency order
    seams: tuple[tuple[str, str], ...]  # (name, label) of every seam a node is drawn in


@dataclass(frozen=True, slots=True)
class ServiceNode:
    name: str
    kind: str  # service | library
    lines: int
    score: int


@dataclass(frozen=True, slots=True)
class ServiceLink:
    """Two coupled services (undirected) and what couples them."""

    a: str
    b: str
    score: int
    level: str
    kinds: tuple[str, ...]  # evidence kinds, in the report's order


@dataclass(frozen=True, slots=True)
class CallArrow:
    """The synchronous calls from one service to another."""

    source: str
    target: str
    calls: int
    methods: tuple[str, ...]  # distinct, in order of appearance


@dataclass(frozen=True, slots=True)
class ServiceGraph:
    nodes: tuple[ServiceNode, ...]
    links: tuple[ServiceLink, ...]
    calls: tuple[CallArrow, ...]


def component_graph(report: Report) -> ComponentGraph:
    cycle_edges = {(d.source, d.target) for c in report.cycles for d in c.edges}
    cut_edges = {(d.source, d.target) for c in report.cycles for d in c.cut}
    in_cycle = {name for c in report.cycles for name in c.components}
    seam_of = seam_of_component(report.seams)
    used = sorted({seam_of[c.name] for c in report.components if c.name in seam_of})
    labels = {s.name: s.label for s in report.seams.seams} if report.seams else {}
    linked = {d.source for d in report.dependencies} | {d.target for d in report.dependencies}
    return ComponentGraph(
        # The root bucket is drawn only when it imports something or is imported.
        nodes=tuple(
            Node(c.name, c.lines, seam_of.get(c.name), c.name in in_cycle)
            for c in report.components
            if c.name != ROOT_COMPONENT or c.name in linked
        ),
        edges=tuple(
            Edge(
                d.source,
                d.target,
                d.imports,
                (d.source, d.target) in cycle_edges,
                (d.source, d.target) in cut_edges,
            )
            for d in report.dependencies
        ),
        seams=tuple((name, labels[name]) for name in sorted(used, key=_seam_order)),
    )


def seam_of_component(seams: SeamReport | None) -> dict[str, str]:
    """Each component's seam: the one holding most of its modules (the first on a tie)."""

    if seams is None:
        return {}
    best: dict[str, tuple[int, str]] = {}
    for seam in seams.seams:  # largest first, so the first of equals wins
        for component, count in seam.components:
            if component not in best or count > best[component][0]:
                best[component] = (count, seam.name)
    return {component: name for component, (_, name) in best.items()}


def _seam_order(name: str) -> tuple[int, str]:
    """S2 before S10."""

    digits = name.lstrip("S")
    return (int(digits), name) if digits.isdigit() else (1 << 30, name)


def service_graph(report: Report) -> ServiceGraph | None:
    section = report.services
    if section is None:
        return None
    arrows: dict[tuple[str, str], list[str]] = {}
    for call in section.calls:
        arrows.setdefault((call.source, call.target), []).append(call.method)
    return ServiceGraph(
        nodes=tuple(ServiceNode(s.name, s.kind, s.lines, s.score) for s in section.services),
        links=tuple(
            ServiceLink(p.a, p.b, p.score, p.level, tuple(e.kind for e in p.evidence))
            for p in section.pairs
        ),
        calls=tuple(
            CallArrow(source, target, len(methods), tuple(dict.fromkeys(methods)))
            for (source, target), methods in sorted(arrows.items())
        ),
    )
