from __future__ import annotations

from seamfinder.analysis.coupling import component_metrics, coupled_pairs, dependency_matrix
from seamfinder.analysis.cycles import find_cycles
from seamfinder.core.model import Dependency, ImportEdge, ImportScope, Location
from seamfinder.resolve.graph import component_dependencies


def edge(
    importer: str, imported: str, line: int = 1, scope: ImportScope = ImportScope.MODULE
) -> ImportEdge:
    return ImportEdge(importer, imported, Location(importer.replace(".", "/") + ".py", line), scope)


COMPONENT = {
    "shop.orders": "orders",
    "shop.orders.api": "orders",
    "shop.pay": "pay",
    "shop.pay.x": "pay",
    "shop.core": "core",
}


def component_of(module: str) -> str:
    return COMPONENT[module]


def test_imports_aggregate_to_components_with_every_site_kept() -> None:
    edges = [
        edge("shop.orders", "shop.pay", 3),
        edge("shop.orders.api", "shop.pay.x", 7),
        edge("shop.orders", "shop.orders.api", 2),  # inside one component: not a dependency
        edge("shop.pay", "shop.core", 1),
    ]
    deps = component_dependencies(edges, component_of)
    assert [(d.source, d.target, d.imports) for d in deps] == [
        ("orders", "pay", 2),
        ("pay", "core", 1),
    ]
    assert [s.location.line for s in deps[0].sites] == [3, 7]


def test_type_checking_imports_can_be_left_out() -> None:
    edges = [
        edge("shop.orders", "shop.pay", 3, ImportScope.TYPE_CHECKING),
        edge("shop.pay", "shop.core"),
    ]
    assert len(component_dependencies(edges, component_of)) == 2
    kept = component_dependencies(edges, component_of, ignore_type_checking=True)
    assert [(d.source, d.target) for d in kept] == [("pay", "core")]


def dep(source: str, target: str, imports: int) -> Dependency:
    return Dependency(
        source, target, tuple(edge(f"{source}.a", f"{target}.b", i) for i in range(imports))
    )


def test_instability_is_efferent_over_total_coupling() -> None:
    deps = [dep("orders", "pay", 2), dep("orders", "core", 1), dep("pay", "core", 4)]
    metrics = {m.name: m for m in component_metrics(["core", "orders", "pay"], deps)}
    assert (
        metrics["orders"].afferent,
        metrics["orders"].efferent,
        metrics["orders"].instability,
    ) == (0, 2, 1.0)
    assert (metrics["core"].afferent, metrics["core"].efferent, metrics["core"].instability) == (
        2,
        0,
        0.0,
    )
    assert metrics["pay"].instability == 0.5
    assert metrics["core"].inbound_imports == 5
    assert metrics["orders"].outbound_imports == 3


def test_matrix_puts_providers_first_and_cycle_edges_above_the_diagonal() -> None:
    deps = [
        dep("web", "orders", 3),
        dep("orders", "pay", 2),
        dep("pay", "orders", 1),
        dep("pay", "core", 1),
    ]
    names = ["core", "orders", "pay", "web"]
    matrix = dependency_matrix(names, deps, find_cycles(names, deps))
    assert matrix.order == ("core", "orders", "pay", "web")
    index = {n: i for i, n in enumerate(matrix.order)}
    above = [
        (matrix.order[r], matrix.order[c])
        for r in range(4)
        for c in range(4)
        if c > r and matrix.cells[r][c]
    ]
    assert above == [("orders", "pay")]
    assert matrix.cells[index["web"]][index["orders"]] == 3


def test_coupled_pairs_add_both_directions() -> None:
    deps = [dep("a", "b", 2), dep("b", "a", 3), dep("a", "c", 4)]
    assert coupled_pairs(deps) == (("a", "b", 5), ("a", "c", 4))
