"""Decomposition metrics against values worked out by hand on small graphs."""

from __future__ import annotations

import pytest

from seamfinder.analysis.decomposition import (
    adjusted_rand_index,
    data_purity,
    inter_call_percentage,
    interface_number,
    interface_sizes,
    modularity,
    non_extreme_distribution,
    partition_metrics,
    structural_modularity,
)

# Two parts of two modules: a1 imports a2 twice, b1 imports b2 once, a2 imports b1 once.
PARTS = {"a1": "A", "a2": "A", "b1": "B", "b2": "B"}
SITES = [("a1", "a2"), ("a1", "a2"), ("b1", "b2"), ("a2", "b1")]
EDGES = [("a1", "a2", 2.0), ("b1", "b2", 1.0), ("a2", "b1", 1.0)]


def test_modularity_by_hand() -> None:
    # W = 4; inside A 2, inside B 1; degrees A = 2 + 3 = 5, B = 2 + 1 = 3.
    # Q = 2/4 - (5/8)^2 + 1/4 - (3/8)^2 = 0.21875
    assert modularity(EDGES, PARTS) == pytest.approx(0.21875, abs=1e-4)
    # Everything in one part: W_c = W and S_c = 2W, so Q = 1 - 1 = 0.
    assert modularity(EDGES, dict.fromkeys(PARTS, "all")) == 0.0
    assert modularity([], PARTS) == 0.0


def test_modularity_matches_networkx() -> None:
    import networkx as nx

    graph = nx.Graph()
    graph.add_weighted_edges_from(EDGES)
    expected = nx.community.modularity(graph, [{"a1", "a2"}, {"b1", "b2"}], weight="weight")
    assert modularity(EDGES, PARTS) == pytest.approx(expected, abs=1e-4)


def test_structural_modularity_by_hand() -> None:
    # Linked pairs: (a1, a2), (b1, b2), (a2, b1). Cohesion: (1/2^2 + 1/2^2) / 2 = 0.25.
    # Coupling: sigma_AB / (N_A N_B) = 1/4, over K(K-1)/2 = 1 pair of parts: 0.25.
    assert structural_modularity(SITES, PARTS) == 0.0
    # Without the crossing import: 0.25 - 0.
    assert structural_modularity(SITES[:3], PARTS) == 0.25
    # One part of four modules, two linked pairs: 2 / 16, no coupling term.
    assert structural_modularity(SITES[:3], dict.fromkeys(PARTS, "all")) == 0.125


def test_inter_call_percentage_counts_statements() -> None:
    assert inter_call_percentage(SITES, PARTS) == (1, 4)
    # Modules outside the partition (the root bucket) are left out.
    assert inter_call_percentage([*SITES, ("shell", "a1")], PARTS) == (1, 4)


def test_interface_number_is_the_mean_of_modules_used_from_outside() -> None:
    assert interface_sizes(SITES, PARTS) == {"A": 0, "B": 1}
    assert interface_number(SITES, PARTS) == 0.5
    both_ways = [*SITES, ("b2", "a1"), ("b1", "a1")]
    assert interface_sizes(both_ways, PARTS) == {"A": 1, "B": 1}  # a1 counted once


def test_non_extreme_distribution_is_the_share_in_extreme_parts() -> None:
    assert non_extreme_distribution(PARTS, (2, 3)) == 0.0
    assert non_extreme_distribution(PARTS) == 1.0  # both parts below Mono2Micro's 5
    uneven = {**{f"x{i}": "X" for i in range(6)}, "y": "Y", "z": "Z"}
    assert non_extreme_distribution(uneven) == 0.25  # 2 of 8 modules in parts of one


def test_data_purity_counts_sites_inside_the_owner() -> None:
    accesses = [("a1", "t_a"), ("b1", "t_a"), ("b2", "t_b"), ("b2", "shared"), ("shell", "t_a")]
    owners = {"t_a": "A", "t_b": "B"}
    assert data_purity(accesses, PARTS, owners) == (2, 3)


def test_adjusted_rand_index_by_hand() -> None:
    def part(labels: list[int]) -> dict[str, str]:
        return {str(i): str(label) for i, label in enumerate(labels)}

    same = part([0, 0, 1, 1])
    assert adjusted_rand_index(same, part([5, 5, 7, 7])) == 1.0  # labels do not matter
    # Pairs together in both: 1; rows give 2, columns 3, of 6 pairs: expected 1, max 2.5.
    assert adjusted_rand_index(same, part([0, 0, 0, 1])) == 0.0
    # Hubert & Arabie's statistic on the textbook example: (2 - 1.2) / (4.5 - 1.2).
    assert adjusted_rand_index(part([0, 0, 0, 1, 1, 1]), part([0, 0, 1, 1, 2, 2])) == 0.2424


def test_partition_metrics_puts_them_together() -> None:
    metrics = partition_metrics(PARTS, SITES, EDGES, [("a1", "t_a"), ("b1", "t_a")], {"t_a": "A"})
    assert (metrics.partitions, metrics.modules) == (2, 4)
    assert (metrics.icp, metrics.ifn, metrics.ned) == (0.25, 0.5, 1.0)
    assert (metrics.data_purity, metrics.data_sites, metrics.data_sites_inside) == (0.5, 2, 1)
    empty = partition_metrics({}, [], [], [], {})
    assert (empty.icp, empty.data_purity, empty.modularity) == (None, None, 0.0)
