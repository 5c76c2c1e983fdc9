"""Seams: communities of a module affinity graph, against the declared components.

The graph has a node per module outside the root bucket (the project's shell: settings,
URL routing, entry points, which touch every component by design) and an undirected
edge wherever two modules are tied, weighted (``[tool.seamfinder.seams]``)::

    weight = imports * statements + data * tables + cochange * degree

- *statements*: import statements between the two modules, either direction (type-
  checking imports too, unless ``ignore-type-checking-imports``);
- *tables*: the tables that one module reads, writes, relates to (foreign key,
  relationship) or queries with raw SQL and that the other module defines, each counted
  once however many sites touch it (ten queries are one dependency on a table, as one
  import statement is one on a module). Tables
  shared by configuration or defined outside the code (django.contrib's) tie no one:
  every module would be tied to every other through them. An import of a model is not
  counted again here: its statement already is;
- *degree*: with ``--history``, how often the two modules change in the same commits,
  code-maat's coupling degree (0 to 1) computed per module with loose thresholds (two
  shared commits suffice), as :func:`~seamfinder.analysis.cochange.cochange_edges`
  advises for seam discovery.

Louvain community detection (Blondel et al., "Fast unfolding of communities in large
networks", J. Stat. Mech. P10008, 2008; networkx's ``louvain_communities``) with the
configured resolution and seed proposes the partition. Its input is built from sorted
nodes and sorted edges, and its seed is fixed, so the result does not depend on
``PYTHONHASHSEED`` or on the order files were read in. Modules with no edge at all
(an empty ``__init__``, an ``apps.py``) would each become a part of one; they join the
part holding most modules of their package instead (the nearest package that has any).

*Omnipresent* modules, imported from at least half of the other components (and at
least three), are left out of community detection and proposed as one shared part, as
Bunch does with omnipresent modules (Mancoridis et al., "Bunch: A Clustering Tool for the
Recovery and Maintenance of Software System Structures", ICSM 1999): tied to every
component alike, a shared kernel (a base model, utilities) would otherwise be dealt to
whichever community happens to win it, and would drag a few of its users along. Neither
are they "misplaced": they belong to everyone.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from seamfinder.analysis.cochange import CochangeOptions, analyse_cochange
from seamfinder.analysis.decomposition import adjusted_rand_index, partition_metrics
from seamfinder.analysis.state import Analysis
from seamfinder.collect.history import Commit
from seamfinder.config.settings import SeamsConfig
from seamfinder.core.model import (
    ROOT_COMPONENT,
    Affinity,
    DataAccess,
    ImportEdge,
    ImportScope,
    MisplacedModule,
    PartitionMetrics,
    Seam,
    SeamReport,
)

# Kinds of access that tie a module to a table's definer (a definition is the definer).
TIE_KINDS = frozenset({"read", "write", "relation", "raw-sql"})
# Idioms that only name a model class: the import statement already ties the two modules.
_NAMING_VIAS = frozenset({"import"})


@dataclass(frozen=True, slots=True)
class AffinityEdge:
    """Why two modules (``a < b``) belong together."""

    a: str
    b: str
    imports: int
    data: int
    cochange: float
    tables: tuple[str, ...] = ()  # the tables behind ``data``

    def weight(self, config: SeamsConfig) -> float:
        return (
            config.imports * self.imports
            + config.data * self.data
            + config.cochange * self.cochange
        )


@dataclass(frozen=True, slots=True)
class AffinityGraph:
    modules: tuple[str, ...]  # every node, isolated ones included, sorted
    edges: tuple[AffinityEdge, ...]  # sorted by (a, b)
    config: SeamsConfig

    def weighted(self) -> list[tuple[str, str, float]]:
        return [(e.a, e.b, e.weight(self.config)) for e in self.edges if e.weight(self.config) > 0]


@dataclass(frozen=True, slots=True)
class SeamInputs:
    """Everything the metrics of any partition need, gathered once from an analysis."""

    graph: AffinityGraph
    sites: tuple[tuple[str, str], ...]  # (importer, imported) per statement, between nodes
    accesses: tuple[tuple[str, str], ...]  # (module, table) per access site
    definer: Mapping[str, str]  # table -> the module defining it (owned, unshared tables)
    declared: Mapping[str, str]  # module -> component, nodes only
    declared_owner: Mapping[str, str]  # table -> owning component
    cochange: bool
    omnipresent: frozenset[str] = frozenset()  # modules imported by most components

    def metrics(
        self, part_of: Mapping[str, str], owner_part: Mapping[str, str] | None = None
    ) -> PartitionMetrics:
        """The metrics of ``part_of``; tables belong to the part of their defining module
        unless ``owner_part`` says otherwise."""

        if owner_part is None:
            owner_part = {t: part_of[m] for t, m in self.definer.items() if m in part_of}
        return partition_metrics(
            part_of,
            self.sites,
            self.graph.weighted(),
            self.accesses,
            owner_part,
            self.graph.config.part_size,
        )


def affinity_graph(
    modules: Iterable[str],
    imports: Iterable[ImportEdge],
    accesses: Iterable[DataAccess],
    definer: Mapping[str, str],
    cochange: Iterable[tuple[str, str, float]],
    config: SeamsConfig,
) -> AffinityGraph:
    """The weighted module graph; edges between modules outside ``modules`` are dropped."""

    nodes = set(modules)
    imports_of: Counter[tuple[str, str]] = Counter()
    tables_of: dict[tuple[str, str], set[str]] = defaultdict(set)
    cochange_of: dict[tuple[str, str], float] = {}
    for edge in imports:
        if edge.importer in nodes and edge.imported in nodes and edge.importer != edge.imported:
            imports_of[_pair(edge.importer, edge.imported)] += 1
    for access in accesses:
        owner = definer.get(access.table)
        if (
            owner is None
            or access.kind not in TIE_KINDS
            or access.via in _NAMING_VIAS
            or access.module == owner
            or access.module not in nodes
            or owner not in nodes
        ):
            continue
        tables_of[_pair(access.module, owner)].add(access.table)
    for a, b, degree in cochange:
        if a in nodes and b in nodes and a != b:
            cochange_of[_pair(a, b)] = degree
    # A table counts once per pair of modules, however many sites touch it: ten queries
    # in one module are one dependency on the table, as one import statement is on a module.
    data_of = Counter({pair: len(tables) for pair, tables in tables_of.items()})
    pairs = sorted(set(imports_of) | set(data_of) | set(cochange_of))
    edges = tuple(
        AffinityEdge(
            a,
            b,
            imports_of[(a, b)],
            data_of[(a, b)],
            cochange_of.get((a, b), 0.0),
            tuple(sorted(tables_of.get((a, b), ()))),
        )
        for a, b in pairs
    )
    return AffinityGraph(tuple(sorted(nodes)), edges, config)


def _pair(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a < b else (b, a)


def communities(
    graph: AffinityGraph,
    omnipresent: frozenset[str] = frozenset(),
    anchors: Mapping[str, str] | None = None,
) -> tuple[tuple[str, ...], ...]:
    """Louvain's partition of the connected modules, isolated ones joined by package, and
    the ``omnipresent`` modules as one part of their own.

    ``anchors`` (module -> app) fold an app's models and layer modules into one node
    before clustering, so that they land in one part together.

    Sorted: largest part first, then by first module; modules sorted within a part.
    """

    import networkx as nx

    anchors = anchors or {}

    def node(module: str) -> str:
        app = anchors.get(module)
        return f"<app {app}>" if app is not None else module

    folded: dict[tuple[str, str], float] = defaultdict(float)
    for a, b, w in graph.weighted():
        if a in omnipresent or b in omnipresent or node(a) == node(b):
            continue
        folded[_pair(node(a), node(b))] += w
    weighted = [(a, b, folded[(a, b)]) for a, b in sorted(folded)]
    connected = sorted({a for a, _, _ in weighted} | {b for _, b, _ in weighted})
    members: dict[str, list[str]] = defaultdict(list)
    for module in graph.modules:
        if module not in omnipresent:
            members[node(module)].append(module)
    found: list[set[str]] = []
    if connected:
        nx_graph = nx.Graph()
        nx_graph.add_nodes_from(connected)
        nx_graph.add_weighted_edges_from(weighted)
        found = [
            {module for name in part for module in members[name]}
            for part in nx.community.louvain_communities(
                nx_graph,
                weight="weight",
                resolution=graph.config.resolution,
                seed=graph.config.seed,
            )
        ]
    for name in sorted(members):
        if name.startswith("<app ") and name not in connected:
            found.append(set(members[name]))  # an app with no tie: one part of its own
    if omnipresent:
        found.append(set(omnipresent))
    part_of = {m: index for index, part in enumerate(found) for m in part}
    by_package = _parts_by_package(part_of)
    for module in graph.modules:
        if module in part_of:
            continue
        index = _by_package(module, by_package, found)
        if index is None:
            found.append(set())
            index = len(found) - 1
        found[index].add(module)
    parts = [tuple(sorted(part)) for part in found if part]
    return tuple(sorted(parts, key=lambda p: (-len(p), p[0])))


def _parts_by_package(part_of: Mapping[str, int]) -> dict[str, Counter[int]]:
    """For every package (and module), how many of the modules at or under it each part holds.

    Counted once, so that placing the modules outside every community costs the depth of
    their names, not a pass over every module each (quadratic on large trees).
    """

    counts: dict[str, Counter[int]] = {}
    for module, index in part_of.items():
        parts = module.split(".")
        for end in range(1, len(parts) + 1):
            counts.setdefault(".".join(parts[:end]), Counter())[index] += 1
    return counts


def _by_package(
    module: str, by_package: Mapping[str, Counter[int]], found: Sequence[set[str]]
) -> int | None:
    """The part holding most modules of ``module``'s nearest package that has any."""

    parts = module.split(".")
    for end in range(len(parts), 0, -1):
        counts = by_package.get(".".join(parts[:end]))
        if counts:
            return min(counts, key=lambda i: (-counts[i], min(found[i])))
    return None


def module_cochange(
    commits: Sequence[Commit], module_of_path: Mapping[str, str], max_changeset_size: int
) -> tuple[tuple[str, str, float], ...]:
    """``(a, b, degree / 100)`` for module pairs that changed together in two commits or more."""

    if not commits:
        return ()
    options = CochangeOptions(
        min_revs=1, min_shared_revs=2, min_coupling=0, max_changeset_size=max_changeset_size
    )
    found = analyse_cochange(commits, module_of_path.get, options)
    return tuple(sorted((p.a, p.b, p.degree / 100) for p in found.coupling))


def seam_inputs(analysis: Analysis) -> SeamInputs:
    """The affinity graph and the declared partition of an analysed project."""

    config = analysis.config
    declared = {m: c for m, c in analysis.components.of_module.items() if c != ROOT_COMPONENT}
    owners = {t.table: t for t in analysis.tables}
    definer: dict[str, str] = {}
    for access in sorted(analysis.data_access):
        info = owners.get(access.table)
        if access.kind == "define" and info is not None and info.owner and not info.shared:
            definer.setdefault(access.table, access.module)
    imports = tuple(
        e
        for e in analysis.imports
        if not (config.ignore_type_checking_imports and e.scope is ImportScope.TYPE_CHECKING)
    )
    paths = {f.path: f.module for f in analysis.project.files if f.module in declared}
    cochange = module_cochange(analysis.commits, paths, config.history.max_changeset_size)
    graph = affinity_graph(declared, imports, analysis.data_access, definer, cochange, config.seams)
    accesses = tuple(
        (a.module, a.table)
        for a in analysis.data_access
        if a.kind in TIE_KINDS and a.via not in _NAMING_VIAS
    )
    declared_owner = {
        t.table: t.owner for t in analysis.tables if t.owner is not None and not t.shared
    }
    return SeamInputs(
        graph=graph,
        sites=tuple((e.importer, e.imported) for e in imports),
        accesses=accesses,
        definer=definer,
        declared=declared,
        declared_owner=declared_owner,
        cochange=bool(cochange),
        omnipresent=omnipresent_modules(imports, declared),
    )


def omnipresent_modules(
    imports: Iterable[ImportEdge], declared: Mapping[str, str]
) -> frozenset[str]:
    """Modules imported from at least half of the other components, and at least three."""

    others = len(set(declared.values())) - 1
    users: dict[str, set[str]] = defaultdict(set)
    for edge in imports:
        source, target = declared.get(edge.importer), declared.get(edge.imported)
        if source is not None and target is not None and source != target:
            users[edge.imported].add(source)
    return frozenset(
        m for m, found in users.items() if len(found) >= 3 and 2 * len(found) >= others
    )


def declared_metrics(inputs: SeamInputs) -> PartitionMetrics:
    return inputs.metrics(inputs.declared, inputs.declared_owner)


# Technical layers: a module so named (or under a package so named) belongs with the app
# it serves, not with the same layer of other apps.
LAYER_PARTS = frozenset(
    {
        "serializers",
        "utils",
        "api",
        "graphql",
        "admin",
        "forms",
        "tables",
        "filters",
        "filtersets",
        "dashboard",
    }
)


def app_anchors(analysis: Analysis, modules: Iterable[str]) -> dict[str, str]:
    """Module -> the app (component) its models or technical layer belong to.

    ``orders.models``, ``orders.serializers``, ``orders.api.views``: orders'. A layer
    module elsewhere that names an app after the layer (``saleor.graphql.order.types``)
    is that app's too.
    """

    of = analysis.components.component_of
    by_short: dict[str, str] = {}
    # An app's own name or label wins over a layer named after it (graphql.invoice).
    for package, label in sorted(analysis.components.app_labels.items()):
        by_short.setdefault(label, of(package))
    named = [c.name for c in analysis.components.components if c.name != ROOT_COMPONENT]
    for name in sorted(named, key=lambda n: (n.count("."), n)):
        by_short.setdefault(name.rsplit(".", 1)[-1], name)
    packages = {c.name: c.package for c in analysis.components.components}
    anchors: dict[str, str] = {}
    for module in modules:
        own = of(module)
        package = packages.get(own) or ""
        rest = module[len(package) + 1 :].split(".") if package else module.split(".")[1:]
        path = module.split(".")[1:]
        layer = next((i for i, part in enumerate(path) if part in LAYER_PARTS), None)
        if rest and rest[0] == "models":
            anchors[module] = own
        elif layer is not None:
            # graphql.order.types, dashboard.orders.views: the app named after the layer
            nxt = path[layer + 1] if layer + 1 < len(path) else ""
            served = by_short.get(nxt) or by_short.get(nxt.removesuffix("s"))
            anchors[module] = served if served and served != ROOT_COMPONENT else own
    return anchors


def seam_report(analysis: Analysis, inputs: SeamInputs | None = None) -> SeamReport:
    """The proposed partition, both partitions' metrics, and the misplaced modules."""

    inputs = inputs or seam_inputs(analysis)
    graph = inputs.graph
    anchors = app_anchors(analysis, graph.modules)
    # A domain's models module imported everywhere stays with its app; a kernel of bases
    # and helpers (no table of its own) stays the shared kernel.
    defining = set(inputs.definer.values())
    kernel = frozenset(m for m in inputs.omnipresent if not (m in anchors and m in defining))
    anchors = {m: app for m, app in anchors.items() if m not in kernel}
    parts = communities(graph, kernel, anchors)
    seams = _name_seams(parts, inputs.declared, kernel)
    proposed = {m: seam.name for seam in seams for m in seam.modules}
    config = graph.config
    return SeamReport(
        weights=(config.imports, config.data, config.cochange),
        resolution=config.resolution,
        seed=config.seed,
        modules=len(graph.modules),
        edges=len(graph.edges),
        cochange=inputs.cochange,
        seams=seams,
        declared=declared_metrics(inputs),
        proposed=inputs.metrics(proposed),
        agreement=adjusted_rand_index(inputs.declared, proposed),
        misplaced=misplaced_modules(inputs, proposed),
    )


def _name_seams(
    parts: Sequence[tuple[str, ...]], declared: Mapping[str, str], omnipresent: frozenset[str]
) -> tuple[Seam, ...]:
    totals = Counter(declared.values())
    seams: list[Seam] = []
    for index, modules in enumerate(parts, start=1):
        counts = Counter(declared[m] for m in modules)
        ranked = tuple(sorted(counts.items(), key=lambda item: (-item[1], item[0])))
        # A component is "in" a seam when most of its modules are.
        gathered = [name for name, n in ranked if 2 * n > totals[name]]
        label = "+".join(gathered) if gathered else f"part of {ranked[0][0]}"
        if omnipresent and omnipresent <= set(modules):
            label = f"shared kernel ({'+'.join(name for name, _ in ranked)})"
        seams.append(Seam(f"S{index}", label, modules, ranked))
    return tuple(seams)


@dataclass(slots=True)
class _Ties:
    """What ties one module to one part (mutable while summed, never exported)."""

    imports: int = 0
    tables: set[str] = field(default_factory=set)
    cochange: float = 0.0

    def affinity(self, part: str, config: SeamsConfig) -> Affinity:
        weight = (
            config.imports * self.imports
            + config.data * len(self.tables)
            + config.cochange * self.cochange
        )
        return Affinity(
            part, self.imports, len(self.tables), round(self.cochange, 4), round(weight, 4)
        )


def affinities(
    inputs: SeamInputs, part_of: Mapping[str, str]
) -> dict[str, dict[str, tuple[Affinity, tuple[str, ...]]]]:
    """Per module and part: how it is tied to the part, and the tables behind the tie.

    A module is tied to its *own* part both ways (it uses the part, the part uses it: a
    models module is its app's foundation), to *other* parts only by what it uses there:
    the modules it imports, the tables it touches (distinct), plus co-change, which has
    no direction. Being used by another part (a model everybody imports) makes a module
    an interface of its own part, not a member of theirs. Ties to omnipresent modules
    are left out: using the shared kernel says nothing about where a module belongs.
    """

    kernel = inputs.omnipresent
    ties: dict[str, dict[str, _Ties]] = defaultdict(lambda: defaultdict(_Ties))

    def mapped(user: str, used: str) -> bool:
        return user in part_of and used in part_of and user != used and used not in kernel

    for importer, imported in inputs.sites:
        if mapped(importer, imported):
            ties[importer][part_of[imported]].imports += 1
            if part_of[importer] == part_of[imported]:
                ties[imported][part_of[imported]].imports += 1
    for module, table in inputs.accesses:
        definer = inputs.definer.get(table)
        if definer is not None and mapped(module, definer):
            ties[module][part_of[definer]].tables.add(table)
            if part_of[module] == part_of[definer]:
                ties[definer][part_of[definer]].tables.add(table)
    for edge in inputs.graph.edges:
        if edge.cochange and edge.a in part_of and edge.b in part_of:
            ties[edge.a][part_of[edge.b]].cochange += edge.cochange
            ties[edge.b][part_of[edge.a]].cochange += edge.cochange
    config = inputs.graph.config
    return {
        module: {
            part: (tie.affinity(part, config), tuple(sorted(tie.tables)))
            for part, tie in sorted(ties[module].items())
        }
        for module in sorted(ties)
    }


def misplaced_modules(
    inputs: SeamInputs, proposed: Mapping[str, str]
) -> tuple[MisplacedModule, ...]:
    """Modules that use one other component more than they are bound to their own.

    A tie shared by several components at the top says "uses all of them", not "belongs
    elsewhere", and omnipresent modules belong to everyone: neither is reported. Most
    surprising first: by how much the other tie outweighs the own one.
    """

    declared = inputs.declared
    found: list[MisplacedModule] = []
    for module, ties in affinities(inputs, declared).items():
        if module in inputs.omnipresent:
            continue
        component = declared[module]
        own = ties.get(component, (Affinity(component, 0, 0, 0.0, 0.0), ()))[0]
        others = sorted(
            (tie for name, tie in ties.items() if name != component),
            key=lambda t: (-t[0].weight, -t[0].imports, t[0].component),
        )
        if not others:
            continue
        closest, tables = others[0]
        if closest.weight <= own.weight or (
            len(others) > 1 and others[1][0].weight == closest.weight
        ):
            continue
        found.append(
            MisplacedModule(
                module=module,
                component=component,
                own=own,
                closest=closest,
                seam=proposed.get(module, ""),
                tables=tables,
            )
        )
    return tuple(sorted(found, key=lambda m: (-(m.closest.weight - m.own.weight), m.module)))
