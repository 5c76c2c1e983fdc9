"""Graphviz DOT: the component graph (and the service graph), ready for ``dot -Tsvg``.

Every name is a quoted DOT string (backslashes and quotes escaped, so that no name can
close the string or start a label escape). Seams are clusters, cycle edges are red and
the cheapest cut dashed; node size follows lines, edge width import statements.
"""

from __future__ import annotations

import math

from seamfinder.core.model import Report
from seamfinder.report.graphview import (
    ComponentGraph,
    ServiceGraph,
    component_graph,
    service_graph,
)

_LEVEL_COLOR = {
    "distributed-monolith": "#c62828",
    "coupled": "#ef6c00",
    "loosely-coupled": "#1565c0",
    "independent": "#2e7d32",
}


def render(report: Report) -> str:
    out = [
        "digraph seamfinder {",
        f"  graph [label={_quote(f'seamfinder: {report.root}')}, labelloc=t, rankdir=LR, "
        'fontname="Helvetica", compound=true];',
        '  node [shape=box, style="rounded,filled", fillcolor="#e3edf7", color="#4a6785", '
        'fontname="Helvetica", fontsize=11];',
        '  edge [color="#7a8794", fontname="Helvetica", fontsize=9];',
    ]
    out += _components(component_graph(report))
    services = service_graph(report)
    if services is not None:
        out += _services(services)
    out.append("}")
    return "\n".join(out) + "\n"


def _components(graph: ComponentGraph) -> list[str]:
    most = max((n.lines for n in graph.nodes), default=0) or 1
    lines: list[str] = []
    for seam, label in graph.seams:
        lines.append(f"  subgraph {_quote('cluster_' + seam)} {{")
        lines.append(f'    label={_quote(f"{seam}: {label}")}; style="rounded,dashed";')
        lines += [f"    {_quote(n.name)};" for n in graph.nodes if n.seam == seam]
        lines.append("  }")
    for node in graph.nodes:
        # Width from 0.8 to 2.4 inches by the square root of lines: area follows size.
        width = 0.8 + 1.6 * math.sqrt(node.lines / most)
        extra = ', color="#c62828", penwidth=2' if node.in_cycle else ""
        label = _quote(f"{node.name}\n{node.lines} lines")
        lines.append(f"  {_quote(node.name)} [label={label}, width={width:.2f}{extra}];")
    heaviest = max((e.imports for e in graph.edges), default=0) or 1
    for edge in graph.edges:
        pen = 1 + 4 * math.log1p(edge.imports) / math.log1p(heaviest)
        attrs = [f"label={_quote(str(edge.imports))}", f"penwidth={pen:.2f}"]
        if edge.cut:
            attrs += ['color="#c62828"', "style=dashed", f"xlabel={_quote('cut')}"]
        elif edge.in_cycle:
            attrs.append('color="#c62828"')
        lines.append(f"  {_quote(edge.source)} -> {_quote(edge.target)} [{', '.join(attrs)}];")
    return lines


def _services(graph: ServiceGraph) -> list[str]:
    lines = [
        f"  subgraph {_quote('cluster_services')} {{",
        f"    label={_quote('services')}; style=rounded;",
    ]
    for node in graph.nodes:
        shape = "component" if node.kind == "library" else "box3d"
        label = f"{node.name}\n{node.kind}, {node.lines} lines"
        lines.append(
            f"    {_quote(_service_id(node.name))} [label={_quote(label)}, shape={shape}];"
        )
    lines.append("  }")
    for link in graph.links:
        color = _LEVEL_COLOR.get(link.level, "#7a8794")
        label = f"{link.score} {link.level}\n{', '.join(link.kinds)}"
        lines.append(
            f"  {_quote(_service_id(link.a))} -> {_quote(_service_id(link.b))} "
            f'[dir=none, label={_quote(label)}, color="{color}", '
            f"penwidth={1 + link.score / 25:.2f}];"
        )
    for call in graph.calls:
        label = f"{call.calls} call{'s' if call.calls != 1 else ''}: {' '.join(call.methods)}"
        lines.append(
            f"  {_quote(_service_id(call.source))} -> {_quote(_service_id(call.target))} "
            f'[label={_quote(label)}, color="#6a1b9a", style=bold];'
        )
    return lines


def _service_id(name: str) -> str:
    # Services and components share the graph; the prefix keeps their ids apart.
    return f"service:{name}"


def _quote(text: str) -> str:
    """A DOT double-quoted string; a line break becomes DOT's centred ``\\n``."""

    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return '"' + "\\n".join(escaped.splitlines() or [""]) + '"'
