"""Aggregate module-level facts into component-level views.

The component graph is what every later stage reasons about: an edge per ordered pair
of components, weighted by import statements, each site kept so that a reader can
always go from a number back to the lines behind it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Container, Iterable, Mapping
from typing import TYPE_CHECKING

from seamfinder.collect.facts import FileFacts
from seamfinder.collect.statements import known_prefix
from seamfinder.core.model import DataAccess, Dependency, ImportEdge, ImportScope, Location

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


def dynamic_edges(
    files: Iterable[FileFacts],
    modules: Container[str],
    package_of_label: Mapping[str, str],
    model_modules: Mapping[str, str],
    loads: Iterable[DataAccess],
) -> list[ImportEdge]:
    """Imports made by name, as edges: they bind modules as surely as import statements.

    ``get_class("catalogue.views", ...)`` names an app by its label (django-oscar's class
    loader), ``import_module`` and ``import_string`` a module or an object by its dotted
    path, ``get_model("order", "Order")`` a model (``loads`` are those reads, resolved by
    the data-access graph; ``model_modules`` maps a table to the module defining it).
    """

    edges: list[ImportEdge] = []
    for facts in files:
        for dynamic in facts.dynamic_imports:
            target = dynamic.target
            if dynamic.callee in ("get_class", "get_classes"):
                label, _, rest = target.partition(".")
                package = package_of_label.get(label)
                if package is not None:
                    target = f"{package}.{rest}" if rest else package
            imported = known_prefix(target, modules)
            if imported and imported != facts.module:
                location = Location(facts.path, dynamic.line, dynamic.column)
                edges.append(ImportEdge(facts.module, imported, location, ImportScope.DYNAMIC))
    for load in loads:
        imported = model_modules.get(load.table, "")
        if imported and imported != load.module:
            edges.append(ImportEdge(load.module, imported, load.location, ImportScope.DYNAMIC))
    return edges


def to_digraph(nodes: Iterable[str], dependencies: Iterable[Dependency]) -> nx.DiGraph:
    """A networkx view of the component graph; edge attribute ``weight`` = import count."""

    import networkx as nx

    graph = nx.DiGraph()
    graph.add_nodes_from(sorted(nodes))
    for dep in dependencies:
        graph.add_edge(dep.source, dep.target, weight=dep.imports, dependency=dep)
    return graph
