"""Mermaid flowcharts: the component graph (and the service graph) for a Markdown page.

Node ids are generated (``c1``, ``s1``...), so that no name can break the syntax; names
appear only inside quoted labels, where every character Mermaid or Markdown could read
as markup is written as a Mermaid entity code (``#60;`` for ``<``). Seams are subgraphs,
cycle edges red, the cheapest cut dotted.
"""

from __future__ import annotations

from seamfinder.core.model import Report
from seamfinder.report.graphview import (
    ComponentGraph,
    Node,
    ServiceGraph,
    component_graph,
    service_graph,
)

_CYCLE_STYLE = "stroke:#c62828,stroke-width:2px"
_LEVEL_STYLE = {
    "distributed-monolith": "stroke:#c62828,stroke-width:3px",
    "coupled": "stroke:#ef6c00,stroke-width:2px",
}
# Characters written as entity codes inside labels: the quote that ends a label, what
# HTML, Markdown or Mermaid would read as markup, and "#" itself (it starts an entity).
_ENTITIES = {c: f"#{ord(c)};" for c in '#"<>&`|[]{}()*_~\\'}


def render(report: Report) -> str:
    out = ["flowchart LR"]
    links = _Links()
    out += _components(component_graph(report), links)
    services = service_graph(report)
    if services is not None:
        out += _services(services, links)
    out += links.styles()
    return "\n".join(out) + "\n"


class _Links:
    """Counts the edges as they are written: ``linkStyle`` addresses edges by index."""

    def __init__(self) -> None:
        self.count = 0
        self.styled: dict[str, list[int]] = {}

    def add(self, style: str | None) -> None:
        if style:
            self.styled.setdefault(style, []).append(self.count)
        self.count += 1

    def styles(self) -> list[str]:
        return [
            f"  linkStyle {','.join(map(str, indexes))} {style}"
            for style, indexes in sorted(self.styled.items())
        ]


def _components(graph: ComponentGraph, links: _Links) -> list[str]:
    ids = {node.name: f"c{i}" for i, node in enumerate(graph.nodes, 1)}
    # A node belongs to the subgraph it is first written in: seams first, then the rest.
    lines: list[str] = []
    for i, (seam, label) in enumerate(graph.seams, 1):
        lines.append(f'  subgraph g{i}["{label_text(f"{seam}: {label}")}"]')
        lines += [f"  {_node(ids[n.name], n)}" for n in graph.nodes if n.seam == seam]
        lines.append("  end")
    lines += [_node(ids[n.name], n) for n in graph.nodes if n.seam is None]
    for edge in graph.edges:
        arrow = "-.->" if edge.cut else "-->"
        label = f"{edge.imports} cut" if edge.cut else str(edge.imports)
        lines.append(f'  {ids[edge.source]} {arrow}|"{label}"| {ids[edge.target]}')
        links.add(_CYCLE_STYLE if edge.in_cycle else None)
    cycle = [ids[n.name] for n in graph.nodes if n.in_cycle]
    if cycle:
        lines.append("  classDef cycle stroke:#c62828,stroke-width:2px")
        lines.append(f"  class {','.join(cycle)} cycle")
    return lines


def _node(node_id: str, node: Node) -> str:
    return f'  {node_id}["{label_text(node.name)}<br/>{node.lines} lines"]'


def _services(graph: ServiceGraph, links: _Links) -> list[str]:
    ids = {node.name: f"s{i}" for i, node in enumerate(graph.nodes, 1)}
    lines = ['  subgraph services["services"]']
    for node in graph.nodes:
        text = f"{label_text(node.name)}<br/>{node.kind}, {node.lines} lines"
        # A library is drawn as a subroutine box, a service as a rounded box.
        shape = ("[[", "]]") if node.kind == "library" else ("(", ")")
        lines.append(f'    {ids[node.name]}{shape[0]}"{text}"{shape[1]}')
    lines.append("  end")
    for link in graph.links:
        text = label_text(f"{link.score} {link.level}: {', '.join(link.kinds)}")
        lines.append(f'  {ids[link.a]} ---|"{text}"| {ids[link.b]}')
        links.add(_LEVEL_STYLE.get(link.level))
    for call in graph.calls:
        plural = "s" if call.calls != 1 else ""
        text = label_text(f"{call.calls} call{plural}: {' '.join(call.methods)}")
        lines.append(f'  {ids[call.source]} ==>|"{text}"| {ids[call.target]}')
        links.add(None)
    return lines


def label_text(text: str) -> str:
    """Text for inside a quoted Mermaid label: entity codes for markup, one line."""

    return "".join(_ENTITIES.get(c, c) for c in " ".join(text.split()))
