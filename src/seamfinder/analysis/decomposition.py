"""Decomposition metrics: how good a partition of the modules is, as numbers with sources.

Every function takes a partition as ``part_of: module -> part name`` and ignores modules
it does not map (the root bucket, modules outside the graph). They are pure and use no
networkx, so that a rule can compute them without paying for that import. Figures are
rounded to 4 decimals so that output does not depend on the order of float sums.

- **Modularity Q** (Newman, "Analysis of weighted networks", Phys. Rev. E 70, 056131,
  2004; Newman & Girvan, Phys. Rev. E 69, 026113, 2004), on the undirected weighted
  affinity graph::

      Q = sum over parts c of ( W_c / W  -  resolution * (S_c / 2W)^2 )

  ``W`` the total edge weight, ``W_c`` the weight of the edges inside ``c``, ``S_c`` the
  summed weighted degree of the modules of ``c``. 0 for a random split, up to 1; what
  Louvain maximises, so the proposed partition's Q is an upper reference for the
  declared one's. Equal to ``networkx.community.modularity``.
- **Structural modularity SM** (Jin et al., "Service Candidate Identification from
  Monolithic Systems Based on Execution Traces", IEEE TSE 47(5), 2019; as computed by
  Mono2Micro's evaluation, Kalia et al., ESEC/FSE 2021, artifact
  github.com/kaliaanup/Mono2Micro-FSE-2021 ``metrics/metrics_util.py``), on the
  undirected, unweighted import graph, with ``K`` parts of ``N_k`` modules::

      SM = (1/K) sum_k mu_k / N_k^2  -  (1 / (K(K-1)/2)) sum_{i<j} sigma_ij / (N_i N_j)

  ``mu_k`` the module pairs inside ``k`` linked by an import (either way), ``sigma_ij``
  the linked pairs with one module in ``i`` and one in ``j``. Cohesion minus coupling,
  higher is better; the second term is 0 when ``K = 1``.
- **Inter-call percentage ICP** (Kalia et al. 2021): the share of calls that cross
  parts. Mono2Micro counts runtime calls (log-scaled volumes); statically, here it is
  the share of import statements between modules of different parts. Lower is better.
- **Interface number IFN** (Kalia et al. 2021): ``ifn_k`` = the modules of ``k``
  imported from another part (its interface); IFN = the mean of ``ifn_k`` over the
  ``K`` parts. Lower is better. (The artifact counts linked pairs across parts / K; the
  paper's definition, used here, counts interface classes, here modules.)
- **Non-extreme distribution NED** (Kalia et al. 2021, bounds 5 to 20 classes, here
  modules)::

      NED = 1 - (sum of N_k over parts with low <= N_k <= high) / (modules)

  the share of modules that sit in parts of extreme size, too small or too large to be
  a service. Lower is better (the paper's direction; 1 minus the share within bounds).
- **Data purity**: the share of table access sites (reads, writes, foreign keys and
  relationships, raw SQL; definitions aside) made from inside the part that owns the
  table. 1 means every part touches only its own tables. ``None`` without any site.
- **Adjusted Rand index** (Hubert & Arabie, "Comparing partitions", Journal of
  Classification 2, 1985): agreement of two partitions of the same modules corrected
  for chance; 1 identical, about 0 for independent ones.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping

from seamfinder.core.model import PartitionMetrics

# Mono2Micro's bounds of a non-extreme part (Kalia et al. 2021: 5 to 20 classes).
DEFAULT_SIZE_BOUNDS = (5, 20)


def _round(value: float) -> float:
    return round(value + 0.0, 4)


def modularity(
    edges: Iterable[tuple[str, str, float]], part_of: Mapping[str, str], resolution: float = 1.0
) -> float:
    """Newman's weighted modularity of ``part_of`` on undirected ``(a, b, weight)`` edges."""

    total = 0.0
    inside: defaultdict[str, float] = defaultdict(float)
    degree: defaultdict[str, float] = defaultdict(float)
    for a, b, weight in edges:
        if a == b or weight <= 0 or a not in part_of or b not in part_of:
            continue
        pa, pb = part_of[a], part_of[b]
        total += weight
        degree[pa] += weight
        degree[pb] += weight
        if pa == pb:
            inside[pa] += weight
    if total == 0:
        return 0.0
    return _round(
        sum(inside[p] / total - resolution * (degree[p] / (2 * total)) ** 2 for p in sorted(degree))
    )


def _linked_pairs(
    sites: Iterable[tuple[str, str]], part_of: Mapping[str, str]
) -> set[tuple[str, str]]:
    pairs: set[tuple[str, str]] = set()
    for a, b in sites:
        if a != b and a in part_of and b in part_of:
            pairs.add((a, b) if a < b else (b, a))
    return pairs


def structural_modularity(sites: Iterable[tuple[str, str]], part_of: Mapping[str, str]) -> float:
    """SM of Jin et al. (2019) on the import graph: cohesion minus coupling of the parts."""

    sizes = Counter(part_of.values())
    parts = len(sizes)
    if parts == 0:
        return 0.0
    inside: Counter[str] = Counter()
    across: Counter[tuple[str, str]] = Counter()
    for a, b in _linked_pairs(sites, part_of):
        pa, pb = part_of[a], part_of[b]
        if pa == pb:
            inside[pa] += 1
        else:
            across[(pa, pb) if pa < pb else (pb, pa)] += 1
    cohesion = sum(inside[p] / sizes[p] ** 2 for p in sorted(sizes)) / parts
    coupling = 0.0
    if parts > 1:
        coupling = sum(
            count / (sizes[p] * sizes[q]) for (p, q), count in sorted(across.items())
        ) / (parts * (parts - 1) / 2)
    return _round(cohesion - coupling)


def inter_call_percentage(
    sites: Iterable[tuple[str, str]], part_of: Mapping[str, str]
) -> tuple[int, int]:
    """(import statements across parts, import statements in all) between mapped modules."""

    total = crossing = 0
    for a, b in sites:
        if a == b or a not in part_of or b not in part_of:
            continue
        total += 1
        if part_of[a] != part_of[b]:
            crossing += 1
    return crossing, total


def interface_sizes(sites: Iterable[tuple[str, str]], part_of: Mapping[str, str]) -> dict[str, int]:
    """Per part: how many of its modules are imported from another part (``ifn_k``)."""

    interface: dict[str, set[str]] = {p: set() for p in part_of.values()}
    for importer, imported in sites:
        if importer not in part_of or imported not in part_of:
            continue
        if part_of[importer] != part_of[imported]:
            interface[part_of[imported]].add(imported)
    return {p: len(modules) for p, modules in sorted(interface.items())}


def interface_number(sites: Iterable[tuple[str, str]], part_of: Mapping[str, str]) -> float:
    """IFN: the mean number of interface modules per part."""

    sizes = interface_sizes(sites, part_of)
    return _round(sum(sizes.values()) / len(sizes)) if sizes else 0.0


def non_extreme_distribution(
    part_of: Mapping[str, str], bounds: tuple[int, int] = DEFAULT_SIZE_BOUNDS
) -> float:
    """NED: the share of modules in parts smaller than ``low`` or larger than ``high``."""

    sizes = Counter(part_of.values())
    modules = sum(sizes.values())
    if modules == 0:
        return 0.0
    low, high = bounds
    within = sum(n for n in sizes.values() if low <= n <= high)
    return _round(1 - within / modules)


def data_purity(
    accesses: Iterable[tuple[str, str]],
    part_of: Mapping[str, str],
    owner_part: Mapping[str, str],
) -> tuple[int, int]:
    """(sites inside the owning part, sites) over ``(module, table)`` access sites.

    ``owner_part`` maps a table to the part that owns it; tables it does not map (shared,
    defined outside the code) and modules ``part_of`` does not map are left out.
    """

    inside = total = 0
    for module, table in accesses:
        owner = owner_part.get(table)
        if owner is None or module not in part_of:
            continue
        total += 1
        if part_of[module] == owner:
            inside += 1
    return inside, total


def adjusted_rand_index(a: Mapping[str, str], b: Mapping[str, str]) -> float:
    """Hubert and Arabie's ARI of two partitions, over the items both map."""

    items = sorted(set(a) & set(b))
    n = len(items)
    if n < 2:
        return 1.0

    def pairs(count: int) -> float:
        return count * (count - 1) / 2

    joint = sum(pairs(c) for c in Counter((a[i], b[i]) for i in items).values())
    rows = sum(pairs(c) for c in Counter(a[i] for i in items).values())
    cols = sum(pairs(c) for c in Counter(b[i] for i in items).values())
    expected = rows * cols / pairs(n)
    maximum = (rows + cols) / 2
    if maximum == expected:  # both all-in-one or both all-singletons: they agree
        return 1.0
    return _round((joint - expected) / (maximum - expected))


def partition_metrics(
    part_of: Mapping[str, str],
    sites: Iterable[tuple[str, str]],
    edges: Iterable[tuple[str, str, float]],
    accesses: Iterable[tuple[str, str]],
    owner_part: Mapping[str, str],
    bounds: tuple[int, int] = DEFAULT_SIZE_BOUNDS,
) -> PartitionMetrics:
    """Every metric of one partition: ``sites`` are ``(importer, imported)`` statements,
    ``edges`` the weighted affinity graph, ``accesses`` ``(module, table)`` sites."""

    site_list = list(sites)
    crossing, total = inter_call_percentage(site_list, part_of)
    inside, data_total = data_purity(accesses, part_of, owner_part)
    return PartitionMetrics(
        partitions=len(set(part_of.values())),
        modules=len(part_of),
        modularity=modularity(edges, part_of),
        structural_modularity=structural_modularity(site_list, part_of),
        icp=_round(crossing / total) if total else None,
        ifn=interface_number(site_list, part_of),
        ned=non_extreme_distribution(part_of, bounds),
        data_purity=_round(inside / data_total) if data_total else None,
        import_sites=total,
        cross_import_sites=crossing,
        data_sites=data_total,
        data_sites_inside=inside,
    )
