"""Component cycles and the cheapest way to break each one.

A cycle is a strongly connected set of components. Breaking it means removing a set
of edges whose removal leaves the set acyclic: a minimum-weight feedback arc set, with
weight = import statements, because each statement is a line someone has to change.
That problem is NP-hard in general but component graphs are small: sets of up to
:data:`EXACT_LIMIT` components are solved exactly (dynamic programming over orderings),
larger ones with a greedy ordering improved by local search (near-linear in the edges),
and the result says which.
"""

from __future__ import annotations

import heapq
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


def _heuristic_order(nodes: Sequence[str], edges: Sequence[Dependency]) -> tuple[str, ...]:
    """Eades-Lin-Smyth greedy ordering, then moves of single nodes while they help.

    Both in time near-linear in the edges (as grimp's ``nominate_cycle_breakers``): the
    greedy phase keeps each node's out-minus-in weight in a heap, updated as neighbours
    are placed; a move evaluates a node's best place from its own edges alone, and the
    moves stop after :data:`_MOVE_BUDGET` edge visits, so that a set of thousands of
    components is ordered in seconds.
    """

    index = {name: i for i, name in enumerate(nodes)}
    out_edges: list[dict[int, int]] = [{} for _ in nodes]
    in_edges: list[dict[int, int]] = [{} for _ in nodes]
    for edge in edges:
        u, v = index[edge.source], index[edge.target]
        if u != v:
            out_edges[u][v] = out_edges[u].get(v, 0) + edge.imports
            in_edges[v][u] = in_edges[v].get(u, 0) + edge.imports
    order = _greedy_order(out_edges, in_edges)
    _improve(order, out_edges, in_edges)
    return tuple(nodes[v] for v in order)


_MOVE_BUDGET = 2_000_000


def _greedy_order(out_edges: list[dict[int, int]], in_edges: list[dict[int, int]]) -> list[int]:
    """Sinks to the end, sources to the front, else the node of largest out - in weight."""

    n = len(out_edges)
    out_w = [sum(edges.values()) for edges in out_edges]
    in_w = [sum(edges.values()) for edges in in_edges]
    placed = [False] * n
    heap = [(in_w[v] - out_w[v], v) for v in range(n)]
    heapq.heapify(heap)
    sinks = [v for v in range(n) if out_w[v] == 0]
    sources = [v for v in range(n) if in_w[v] == 0 and out_w[v] != 0]
    left: list[int] = []
    right: list[int] = []

    def place(v: int, side: list[int]) -> None:
        placed[v] = True
        side.append(v)
        for u, w in in_edges[v].items():
            if not placed[u]:
                out_w[u] -= w
                if out_w[u] == 0:
                    sinks.append(u)
                heapq.heappush(heap, (in_w[u] - out_w[u], u))
        for u, w in out_edges[v].items():
            if not placed[u]:
                in_w[u] -= w
                if in_w[u] == 0:
                    sources.append(u)
                heapq.heappush(heap, (in_w[u] - out_w[u], u))

    while len(left) + len(right) < n:
        if sinks:
            v = sinks.pop()
            if not placed[v]:
                place(v, right)
        elif sources:
            v = sources.pop()
            if not placed[v]:
                place(v, left)
        else:
            key, v = heapq.heappop(heap)
            if not placed[v] and key == in_w[v] - out_w[v]:  # else a stale entry
                place(v, left)
    return left + right[::-1]


def _improve(
    order: list[int], out_edges: list[dict[int, int]], in_edges: list[dict[int, int]]
) -> None:
    """Move single nodes to their cheapest place while that helps (in place, bounded)."""

    position = [0] * len(order)
    for place, node in enumerate(order):
        position[node] = place
    budget = _MOVE_BUDGET
    improved = True
    while improved and budget > 0:
        improved = False
        for v in range(len(order)):
            budget -= len(out_edges[v]) + len(in_edges[v]) + 1
            if budget < 0:
                return
            here = position[v]
            target = _best_place(v, here, position, out_edges, in_edges)
            if target is None:
                continue
            order.pop(here)
            order.insert(target, v)
            low, high = min(here, target), max(here, target)
            budget -= high - low
            for place in range(low, high + 1):
                position[order[place]] = place
            improved = True


def _best_place(
    v: int,
    here: int,
    position: list[int],
    out_edges: list[dict[int, int]],
    in_edges: list[dict[int, int]],
) -> int | None:
    """Where ``v`` cuts least weight (in the order without it), if better than ``here``."""

    # Each neighbour by its place once v is taken out: slots 0..n-1, v goes before slot s.
    events: list[tuple[int, int]] = []
    cost = 0  # with v first, every edge into v is backward
    for u, w in out_edges[v].items():
        events.append((position[u] - (position[u] > here), w))
    for u, w in in_edges[v].items():
        events.append((position[u] - (position[u] > here), -w))
        cost += w
    events.sort()
    current = cost + sum(w for at, w in events if at < here)
    best, best_slot = cost, 0
    for index, (at, w) in enumerate(events):  # v placed after the neighbour at ``at``
        cost += w
        if index + 1 < len(events) and events[index + 1][0] == at:
            continue  # a neighbour both ways: the slot after it counts both edges
        if cost < best:
            best, best_slot = cost, at + 1
    return best_slot if best < current else None
