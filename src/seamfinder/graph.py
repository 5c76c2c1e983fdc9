"""Aggregate module-level facts into component-level views.

The component graph is what every later stage reasons about: an edge per ordered pair
of components, weighted by import statements, each site kept so that a reader can
always go from a number back to the lines behind it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from seamfinder.model import Dependency, ImportEdge, ImportScope

if TYPE_CHECKING:
    import networkx as nx


def component_dependencies(
    edges: Iterable[ImportEdge],
    component_of: Callable[[str], str],
    ignore_type_checking: bool = False,
) -> tuple[Dependency, ...]:
    """Import statements between different components, grouped by (source, target)."""

    sites: dict[tuple[str, str], list[ImportEdge]] = defaultdict(list)
    for edge in edges:
        if ignore_type_checking and edge.scope is ImportScope.TYPE_CHECKING:
            continue
        source, target = component_of(edge.importer), component_of(edge.imported)
        if source != target:
            sites[(source, target)].append(edge)
    return tuple(
        Dependency(source, target, tuple(sorted(found)))
        for (source, target), found in sorted(sites.items())
    )


def to_digraph(nodes: Iterable[str], dependencies: Iterable[Dependency]) -> nx.DiGraph:
    """A networkx view of the component graph; edge attribute ``weight`` = import count."""

    import networkx as nx

    graph = nx.DiGraph()
    graph.add_nodes_from(sorted(nodes))
    for dep in dependencies:
        graph.add_edge(dep.source, dep.target, weight=dep.imports, dependency=dep)
    return graph
