"""Coupling metrics per component and the dependency structure matrix."""

from __future__ import annotations

from collections.abc import Sequence

from seamfinder.core.model import ComponentMetrics, Cycle, Dependency, DependencyMatrix


def component_metrics(
    names: Sequence[str], dependencies: Sequence[Dependency]
) -> tuple[ComponentMetrics, ...]:
    """Ca, Ce and instability (Martin, *Agile Software Development*, 2002), per component."""

    afferent: dict[str, set[str]] = {name: set() for name in names}
    efferent: dict[str, set[str]] = {name: set() for name in names}
    inbound = dict.fromkeys(names, 0)
    outbound = dict.fromkeys(names, 0)
    for dep in dependencies:
        efferent[dep.source].add(dep.target)
        afferent[dep.target].add(dep.source)
        outbound[dep.source] += dep.imports
        inbound[dep.target] += dep.imports
    return tuple(
        ComponentMetrics(
            name=name,
            afferent=len(afferent[name]),
            efferent=len(efferent[name]),
            inbound_imports=inbound[name],
            outbound_imports=outbound[name],
        )
        for name in sorted(names)
    )


def dependency_matrix(
    names: Sequence[str], dependencies: Sequence[Dependency], cycles: Sequence[Cycle]
) -> DependencyMatrix:
    group_of: dict[str, tuple[str, ...]] = {name: (name,) for name in names}
    for cycle in cycles:
        for member in cycle.components:
            group_of[member] = cycle.components
    groups = sorted(set(group_of.values()))
    depends: dict[tuple[str, ...], set[tuple[str, ...]]] = {g: set() for g in groups}
    for dep in dependencies:
        source, target = group_of[dep.source], group_of[dep.target]
        if source != target:
            depends[source].add(target)
    # Kahn's algorithm on the condensation; ties broken by name for a stable order.
    placed: list[tuple[str, ...]] = []
    done: set[tuple[str, ...]] = set()
    while len(placed) < len(groups):
        ready = [g for g in groups if g not in done and depends[g] <= done]
        chosen = ready[0] if ready else next(g for g in groups if g not in done)
        placed.append(chosen)
        done.add(chosen)
    order = tuple(name for group in placed for name in group)
    weight = {(d.source, d.target): d.imports for d in dependencies}
    cells = tuple(tuple(weight.get((row, col), 0) for col in order) for row in order)
    return DependencyMatrix(order, cells)


def coupled_pairs(
    dependencies: Sequence[Dependency], limit: int = 10
) -> tuple[tuple[str, str, int], ...]:
    """Unordered component pairs by import statements in both directions, most first."""

    totals: dict[tuple[str, str], int] = {}
    for dep in dependencies:
        a, b = sorted((dep.source, dep.target))
        totals[(a, b)] = totals.get((a, b), 0) + dep.imports
    ranked = sorted(totals.items(), key=lambda item: (-item[1], item[0]))
    return tuple((a, b, n) for (a, b), n in ranked[:limit])
