"""Component cycles and the cheapest way to break each one.

A cycle is a strongly connected set of components. Breaking it means removing a set
of edges whose removal leaves the set acyclic: a minimum-weight feedback arc set, with
weight = import statements, because each statement is a line someone has to change.
That problem is NP-hard in general but component graphs are small: sets of up to
:data:`EXACT_LIMIT` components are solved exactly (dynamic programming over orderings),
larger ones with a greedy ordering improved by local search, and the result says which.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from seamfinder.core.model import Cycle, Dependency

EXACT_LIMIT = 12


@dataclass(frozen=True, slots=True)
class _Ordering:
    order: tuple[str, ...]
    exact: bool


def find_cycles(components: Iterable[str], dependencies: Sequence[Dependency]) -> tuple[Cycle, ...]:
    """Every strongly connected set of two or more components, with its cheapest cut."""

    cycles: list[Cycle] = []
    for members in strongly_connected(components, dependencies):
        if len(members) < 2:
            continue
        names = tuple(sorted(members))
        inside = tuple(
            sorted(
                (d for d in dependencies if d.source in members and d.target in members),
                key=lambda d: (d.source, d.target),
            )
        )
        ordering = minimum_feedback_ordering(names, inside)
        position = {name: index for index, name in enumerate(ordering.order)}
        cut = tuple(d for d in inside if position[d.source] > position[d.target])
        cycles.append(Cycle(names, cut, inside, exact=ordering.exact))
    return tuple(sorted(cycles, key=lambda c: (-len(c.components), c.components)))


def strongly_connected(
    nodes: Iterable[str], dependencies: Iterable[Dependency]
) -> list[frozenset[str]]:
    """Tarjan's strongly connected components, iteratively.

    Written out rather than taken from networkx, whose import alone (150 ms) would double
    a warm pre-commit run that needs nothing else from it.
    """

    successors: dict[str, list[str]] = {node: [] for node in sorted(nodes)}
    for dep in dependencies:
        successors.setdefault(dep.source, []).append(dep.target)
        successors.setdefault(dep.target, [])
    for targets in successors.values():
        targets.sort()
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[frozenset[str]] = []
    for root in successors:
        if root in index:
            continue
        work = [(root, 0)]
        while work:
            node, position = work.pop()
            if position == 0:
                index[node] = low[node] = len(index)
                stack.append(node)
                on_stack.add(node)
            targets = successors[node]
            if position < len(targets):
                work.append((node, position + 1))
                target = targets[position]
                if target not in index:
                    work.append((target, 0))
                elif target in on_stack:
                    low[node] = min(low[node], index[target])
                continue
            if low[node] == index[node]:
                members = set()
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    members.add(member)
                    if member == node:
                        break
                found.append(frozenset(members))
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
    return found


def minimum_feedback_ordering(nodes: Sequence[str], edges: Sequence[Dependency]) -> _Ordering:
    """An order of ``nodes`` whose backward edges weigh least (exact when small)."""

    if len(nodes) <= EXACT_LIMIT:
        return _Ordering(_exact_order(nodes, edges), exact=True)
    return _Ordering(_heuristic_order(nodes, edges), exact=False)


def _weights(nodes: Sequence[str], edges: Sequence[Dependency]) -> list[list[int]]:
    index = {name: i for i, name in enumerate(nodes)}
    weight = [[0] * len(nodes) for _ in nodes]
    for edge in edges:
        weight[index[edge.source]][index[edge.target]] += edge.imports
    return weight


def _exact_order(nodes: Sequence[str], edges: Sequence[Dependency]) -> tuple[str, ...]:
    n = len(nodes)
    weight = _weights(nodes, edges)
    full = (1 << n) - 1
    # back[v][S]: weight of edges from v into the set S (placed before v, hence backward).
    back = [[0] * (full + 1) for _ in range(n)]
    for v in range(n):
        row = back[v]
        for subset in range(1, full + 1):
            low = subset & -subset
            row[subset] = row[subset ^ low] + weight[v][low.bit_length() - 1]
    infinity = float("inf")
    best: list[float] = [infinity] * (full + 1)
    choice = [-1] * (full + 1)
    best[0] = 0
    for subset in range(full + 1):
        cost = best[subset]
        if cost == infinity:
            continue
        for v in range(n):
            bit = 1 << v
            if subset & bit:
                continue
            candidate = cost + back[v][subset]
            if candidate < best[subset | bit]:
                best[subset | bit] = candidate
                choice[subset | bit] = v
    order: list[str] = []
    subset = full
    while subset:
        v = choice[subset]
        order.append(nodes[v])
        subset ^= 1 << v
    return tuple(reversed(order))


def _cost(order: Sequence[int], edges: Sequence[tuple[int, int, int]]) -> int:
    position = [0] * len(order)
    for place, node in enumerate(order):
        position[node] = place
    return sum(w for u, v, w in edges if position[u] > position[v])


def _heuristic_order(nodes: Sequence[str], edges: Sequence[Dependency]) -> tuple[str, ...]:
    """Eades-Lin-Smyth greedy ordering, then moves of single nodes while they help."""

    n = len(nodes)
    weight = _weights(nodes, edges)
    remaining = set(range(n))
    left: list[int] = []
    right: list[int] = []

    def out_w(v: int) -> int:
        return sum(weight[v][u] for u in remaining if u != v)

    def in_w(v: int) -> int:
        return sum(weight[u][v] for u in remaining if u != v)

    while remaining:
        changed = True
        while changed:
            changed = False
            for v in sorted(remaining):
                if in_w(v) == 0:  # a source goes first
                    left.append(v)
                    remaining.discard(v)
                    changed = True
                elif out_w(v) == 0:  # a sink goes last
                    right.append(v)
                    remaining.discard(v)
                    changed = True
        if remaining:
            v = max(sorted(remaining), key=lambda u: out_w(u) - in_w(u))
            left.append(v)
            remaining.discard(v)
    order = left + right[::-1]
    edge_list = [(u, v, weight[u][v]) for u in range(n) for v in range(n) if weight[u][v]]
    best = _cost(order, edge_list)
    improved = True
    while improved:
        improved = False
        for v in range(n):
            current = order.index(v)
            base = order[:current] + order[current + 1 :]
            for target in range(n):
                if target == current:
                    continue
                candidate = [*base[:target], v, *base[target:]]
                cost = _cost(candidate, edge_list)
                if cost < best:
                    order, best, improved = candidate, cost, True
                    break
    return tuple(nodes[v] for v in order)
