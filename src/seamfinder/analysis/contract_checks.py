"""Which chains of imports break the declared contracts (pure functions, no rule knowledge).

A contract is checked over chains, as import-linter checks it: grimp answers the chain
questions (:mod:`seamfinder.collect.chains`) over a graph built from the import statements
already collected. A violation is one chain, from the first module to the last, with every
import statement on it: one statement when the import is direct.

Contracts adopted from import-linter have its semantics exactly: module expressions,
containers, ``as_packages``, missing modules as configuration errors, the same grimp
queries. seamfinder's own contracts name components or module patterns: each element's
modules are gathered into one package of a renamed graph, so that the same grimp queries
answer for sets of modules that are not packages. An element that matches nothing, or a
module that two elements of one contract claim, is a configuration error: a contract that
silently checks nothing is worse than none.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from seamfinder.collect.chains import ChainGraph, LayerSpec
from seamfinder.config.contracts import (
    IMPORT_LINTER,
    AcyclicSiblingsContract,
    Contract,
    Element,
    ForbiddenContract,
    IgnoredImport,
    IndependenceContract,
    LayersContract,
    ProtectedContract,
    TachContract,
    UncheckedContract,
)
from seamfinder.config.settings import ComponentSpec
from seamfinder.core.model import ROOT_COMPONENT, ImportEdge, ImportScope
from seamfinder.resolve.components import module_pattern


@dataclass(frozen=True, slots=True, order=True)
class ContractViolation:
    """One chain of imports that a contract forbids, found at its first import statement."""

    edge: ImportEdge  # the first import of the chain: where the finding is
    contract: str  # the contract's name (or the component, for a public interface)
    importer_element: str  # the element (layer, sibling, source, member) of the importer
    imported_element: str
    sibling: bool = False  # layers: both sit in one layer as independent siblings
    upward: bool = False  # layers: the importer sits in a lower layer than the imported
    chain: tuple[ImportEdge, ...] = ()  # every import, first to last; empty: ``edge`` alone

    @property
    def imports(self) -> tuple[ImportEdge, ...]:
        return self.chain or (self.edge,)

    @property
    def importer(self) -> str:
        return self.edge.importer

    @property
    def imported(self) -> str:
        return self.imports[-1].imported

    @property
    def modules(self) -> tuple[str, ...]:
        return (self.edge.importer, *(e.imported for e in self.imports))


@dataclass(frozen=True, slots=True)
class ContractOutcome:
    """What checking one contract found."""

    violations: Sequence[ContractViolation] = ()
    undeclared: tuple[str, ...] = ()  # exhaustive layers: children that are no layer
    unmatched_ignores: tuple[IgnoredImport, ...] = ()  # ignore_imports that match nothing
    unchecked: tuple[str, ...] = ()  # options found unverifiable on this project


@dataclass(frozen=True, slots=True)
class ModuleUniverse:
    """What elements resolve against: every module, and the modules of each component."""

    modules: tuple[str, ...]
    members: Mapping[str, tuple[str, ...]]  # component name -> its modules
    # Imports of packages outside the project, ``imported`` being the top-level name.
    external: tuple[ImportEdge, ...] = field(default=())


def contract_violations(
    contract: Contract,
    universe: ModuleUniverse,
    edges: Iterable[ImportEdge],
    ignore_type_checking: bool,
) -> tuple[ContractViolation, ...]:
    """The chains ``contract`` forbids, sorted by the location of their first import."""

    return tuple(check_contract(contract, universe, tuple(edges), ignore_type_checking).violations)


def check_contract(
    contract: Contract,
    universe: ModuleUniverse,
    edges: tuple[ImportEdge, ...],
    ignore_type_checking: bool,
) -> ContractOutcome:
    """Everything checking ``contract`` finds (violations, undeclared layers, stale ignores)."""

    if isinstance(contract, UncheckedContract | TachContract):
        return ContractOutcome()  # tach: seamfinder.analysis.tach_checks
    allow_tc = (
        contract.allow_type_checking
        if contract.allow_type_checking is not None
        else ignore_type_checking
    )
    external = isinstance(contract, ForbiddenContract) and contract.include_external
    sites = _Sites.of(universe, edges, allow_tc, external)
    graph = sites.graph.copy()
    unmatched = []
    for ignored in contract.ignore_imports:
        try:
            if not graph.remove_matching(str(ignored)):
                unmatched.append(ignored)
        except ValueError as exc:
            raise contract.error("ignore_imports", f"{ignored}: {exc}") from None
    if contract.dialect == IMPORT_LINTER:
        outcome = _import_linter(contract, universe, graph, sites)
    else:
        outcome = _seamfinder(contract, universe, graph, sites)
    return ContractOutcome(
        tuple(sorted(set(outcome.violations), key=_order)),
        outcome.undeclared,
        tuple(unmatched),
        outcome.unchecked,
    )


def _order(v: ContractViolation) -> tuple[object, ...]:
    return (v.edge.location, v.modules)


class _Sites:
    """The import statements behind each module pair, and their grimp graph."""

    # The contracts of one run ask about the same edges and modules: one graph serves them.
    _last: tuple[tuple[bool, bool], tuple[ImportEdge, ...], ModuleUniverse, _Sites] | None = None

    def __init__(self, modules: Iterable[str], edges: Iterable[ImportEdge]) -> None:
        known = set(modules)
        self.statements: dict[tuple[str, str], list[ImportEdge]] = {}
        for edge in sorted(edges):
            self.statements.setdefault((edge.importer, edge.imported), []).append(edge)
        self.first = {pair: found[0] for pair, found in self.statements.items()}
        # Outside packages (only with include_external_packages) are squashed, as grimp has them.
        squashed = {b for _, b in self.first if b not in known}
        self.graph = ChainGraph(known, self.first, squashed=squashed)
        self.direct = frozenset(self.first)

    @classmethod
    def of(
        cls, universe: ModuleUniverse, edges: tuple[ImportEdge, ...], allow_tc: bool, external: bool
    ) -> _Sites:
        key = (allow_tc, external)
        last = cls._last
        # Identity, not equality, for the edges (large); the universe is compared whole,
        # since two projects without imports share the one empty tuple.
        if last is not None and last[0] == key and last[1] is edges and last[2] == universe:
            return last[3]
        kept = [
            e
            for e in (*edges, *(universe.external if external else ()))
            if not (allow_tc and e.scope is ImportScope.TYPE_CHECKING)
        ]
        sites = cls(universe.modules, kept)
        cls._last = (key, edges, universe, sites)
        return sites

    def chain(self, modules: Sequence[str]) -> tuple[ImportEdge, ...]:
        return tuple(self.first[(a, b)] for a, b in itertools.pairwise(modules))


def _violation(
    sites: _Sites,
    contract: Contract,
    modules: Sequence[str],
    importer_element: str,
    imported_element: str,
    *,
    sibling: bool = False,
    upward: bool = False,
) -> list[ContractViolation]:
    """One violation per chain; a direct import, one per statement (each is a line to fix)."""

    if len(modules) == 2:
        return [
            ContractViolation(
                edge, contract.name, importer_element, imported_element, sibling, upward
            )
            for edge in sites.statements[(modules[0], modules[1])]
        ]
    chain = sites.chain(modules)
    return [
        ContractViolation(
            chain[0], contract.name, importer_element, imported_element, sibling, upward, chain
        )
    ]


# --- import-linter's contracts, as import-linter checks them ------------------------------


def _import_linter(
    contract: Contract, universe: ModuleUniverse, graph: ChainGraph, sites: _Sites
) -> ContractOutcome:
    if isinstance(contract, LayersContract):
        return _il_layers(contract, graph, sites)
    if isinstance(contract, ForbiddenContract):
        return _il_forbidden(contract, universe, graph, sites)
    if isinstance(contract, IndependenceContract):
        members = _expressions(contract, "modules", [e.name for e in contract.members], graph)
        return ContractOutcome(_layer_chains(contract, graph, sites, [LayerSpec(members)]))
    if isinstance(contract, ProtectedContract):
        return ContractOutcome(_il_protected(contract, graph, sites))
    assert isinstance(contract, AcyclicSiblingsContract)
    return ContractOutcome(_il_acyclic(contract, graph, sites))


def _expressions(
    contract: Contract, key: str, expressions: Iterable[str], graph: ChainGraph
) -> tuple[str, ...]:
    """Modules that module expressions name; a plain name must exist, as import-linter wants."""

    found: set[str] = set()
    for expression in expressions:
        if "*" not in expression and expression not in graph.modules:
            raise contract.error(key, f"module {expression!r} does not exist")
        found.update(graph.matching_modules(expression))
    return tuple(sorted(found))


def _il_layers(contract: LayersContract, graph: ChainGraph, sites: _Sites) -> ContractOutcome:
    containers = _expressions(contract, "containers", contract.containers, graph)
    for container in containers or ("",):
        for element in (e for layer in contract.layers for e in layer.elements):
            module = f"{container}.{element.name}" if container else element.name
            if not element.optional and module not in graph.modules:
                where = f" in container {container!r}" if container else ""
                raise contract.error("layers", f"missing layer{where}: {module} does not exist")
    specs = [
        LayerSpec(tuple(e.name for e in layer.elements), layer.independent)
        for layer in contract.layers
    ]
    undeclared: set[str] = set()
    if contract.exhaustive:
        declared = {e.name for layer in contract.layers for e in layer.elements}
        declared.update(contract.exhaustive_ignores)
        undeclared = {
            child
            for container in containers
            for child in graph.children(container)
            if child.rpartition(".")[2] not in declared
        }
    return ContractOutcome(
        _layer_chains(contract, graph, sites, specs, containers), tuple(sorted(undeclared))
    )


def _layer_chains(
    contract: Contract,
    graph: ChainGraph,
    sites: _Sites,
    specs: Sequence[LayerSpec],
    containers: Sequence[str] = (),
    names: Mapping[str, str] | None = None,
) -> list[ContractViolation]:
    """Every chain of grimp's illegal layer dependencies, in the original module names."""

    index = {tail: n for n, spec in enumerate(specs) for tail in spec.modules}

    def position(package: str) -> int:
        for container in containers:
            if package.startswith(container + "."):
                return index[package[len(container) + 1 :]]
        return index[package]

    rename = names or {}
    direct = graph.imports() if rename else sites.direct
    found: list[ContractViolation] = []
    for dependency in graph.illegal_layer_dependencies(specs, containers):
        sibling = position(dependency.importer) == position(dependency.imported)
        for route in dependency.routes:
            for chain in route.chains(direct):
                modules = [rename.get(m, m) for m in chain]
                found.extend(
                    _violation(
                        sites,
                        contract,
                        modules,
                        rename.get(dependency.importer, dependency.importer),
                        rename.get(dependency.imported, dependency.imported),
                        sibling=sibling,
                        upward=not sibling,
                    )
                )
    return found


def _il_forbidden(
    contract: ForbiddenContract, universe: ModuleUniverse, graph: ChainGraph, sites: _Sites
) -> ContractOutcome:
    sources = _expressions(contract, "source_modules", [e.name for e in contract.sources], graph)
    roots = {m.split(".", 1)[0] for m in universe.modules}
    internal = [e.name for e in contract.forbidden if e.name.split(".", 1)[0] in roots]
    external = [e.name for e in contract.forbidden if e.name.split(".", 1)[0] not in roots]
    targets = list(_expressions(contract, "forbidden_modules", internal, graph))
    unchecked: tuple[str, ...] = ()
    if external and not contract.include_external:
        unchecked = (
            f"forbidden_modules {', '.join(external)}: outside the project, and "
            "include_external_packages is not set",
        )
    elif external:
        for name in external:
            if "." in name:
                raise contract.error(
                    "forbidden_modules",
                    f"{name}: subpackages of external packages are not valid",
                )
        targets.extend(name for name in external if name in graph.modules)
    found: list[ContractViolation] = []
    for source in sources:
        for target in sorted(set(targets)):
            if _overlap(source, target, contract.as_packages):
                continue
            for chain in _forbidden_chains(contract, graph, source, target):
                found.extend(_violation(sites, contract, chain, source, target))
    return ContractOutcome(tuple(found), unchecked=unchecked)


def _overlap(source: str, target: str, as_packages: bool) -> bool:
    if source == target:
        return True
    return as_packages and (source.startswith(target + ".") or target.startswith(source + "."))


def _forbidden_chains(
    contract: ForbiddenContract, graph: ChainGraph, source: str, target: str
) -> tuple[tuple[str, ...], ...]:
    if not contract.allow_indirect_imports:
        return graph.shortest_chains(source, target, as_packages=contract.as_packages)
    packages = contract.as_packages
    sources = {source, *graph.descendants(source)} if packages else {source}
    targets = {target, *graph.descendants(target)} if packages else {target}
    return tuple(
        sorted(
            (module, imported)
            for module in sources
            for imported in graph.directly_imported_by(module)
            if imported in targets
        )
    )


def _il_protected(
    contract: ProtectedContract, graph: ChainGraph, sites: _Sites
) -> list[ContractViolation]:
    allowed: set[str] = set()
    for expression in contract.allowed_importers:
        for module in graph.matching_modules(expression) or (expression,):
            allowed.add(module)
            if contract.as_packages:
                allowed.update(graph.descendants(module))
    found: list[ContractViolation] = []
    for expression in contract.protected:
        for top in graph.matching_modules(expression):
            protected = {top}
            if contract.as_packages:
                protected.update(graph.descendants(top))
            importers = graph.direct_importers(top, as_package=contract.as_packages)
            for importer in sorted(importers - allowed - protected):
                for imported in sorted(graph.directly_imported_by(importer) & protected):
                    found.extend(_violation(sites, contract, (importer, imported), importer, top))
    return found


def _il_acyclic(
    contract: AcyclicSiblingsContract, graph: ChainGraph, sites: _Sites
) -> list[ContractViolation]:
    ancestors = _expressions(contract, "ancestors", contract.ancestors, graph)
    skipped = set(_expressions(contract, "skip_descendants", contract.skip_descendants, graph))
    found: list[ContractViolation] = []

    def visit(ancestor: str, depth: int) -> None:
        children = graph.children(ancestor)
        if not children:
            return
        if len(children) >= 2:
            for importer, imported in graph.cycle_breakers(ancestor):
                found.extend(
                    _violation(
                        sites,
                        contract,
                        (importer, imported),
                        _child(ancestor, importer),
                        _child(ancestor, imported),
                        sibling=True,
                    )
                )
        if depth:
            for child in children:
                if child not in skipped:
                    visit(child, depth - 1)

    for ancestor in ancestors:
        visit(ancestor, contract.depth)
    return found


def _child(ancestor: str, module: str) -> str:
    return ".".join(module.split(".")[: ancestor.count(".") + 2])


# --- seamfinder's contracts: components and module patterns --------------------------------

_GROUP = "__seamfinder_element"


def _seamfinder(
    contract: Contract, universe: ModuleUniverse, graph: ChainGraph, sites: _Sites
) -> ContractOutcome:
    if isinstance(contract, LayersContract):
        elements = [e for layer in contract.layers for e in layer.elements]
        owner = _assign(contract, "layers", elements, universe)
        grouped, names = _grouped(graph, owner)
        specs, n = [], 0
        for layer in contract.layers:
            specs.append(
                LayerSpec(
                    tuple(f"{_GROUP}{n + i}" for i in range(len(layer.elements))),
                    layer.independent,
                )
            )
            n += len(layer.elements)
        names.update({f"{_GROUP}{i}": e.name for i, e in enumerate(elements)})
        return ContractOutcome(_layer_chains(contract, grouped, sites, specs, names=names))
    if isinstance(contract, ForbiddenContract):
        return ContractOutcome(_forbidden(contract, universe, graph, sites))
    assert isinstance(contract, IndependenceContract)
    owner = _assign(contract, "components", contract.members, universe)
    if contract.allow_indirect_imports:
        return ContractOutcome(_direct_between(contract, owner, contract.members, owner, sites))
    grouped, names = _grouped(graph, owner)
    names.update({f"{_GROUP}{i}": e.name for i, e in enumerate(contract.members)})
    spec = LayerSpec(tuple(f"{_GROUP}{i}" for i in range(len(contract.members))))
    return ContractOutcome(_layer_chains(contract, grouped, sites, [spec], names=names))


def _forbidden(
    contract: ForbiddenContract, universe: ModuleUniverse, graph: ChainGraph, sites: _Sites
) -> list[ContractViolation]:
    sources = _assign(contract, "source", contract.sources, universe)
    targets = _assign(contract, "forbidden", contract.forbidden, universe)
    # A module that is itself forbidden may use its own kind: an element never forbids
    # itself, so a module claimed by both sides counts as forbidden only.
    sources = {m: i for m, i in sources.items() if m not in targets}
    if contract.allow_indirect_imports:
        return _direct_between(
            contract, sources, contract.forbidden, targets, sites, contract.sources
        )
    n = len(contract.sources)
    owner = {**sources, **{m: n + i for m, i in targets.items()}}
    grouped, names = _grouped(graph, owner)
    found: list[ContractViolation] = []
    for a, source in enumerate(contract.sources):
        for b, target in enumerate(contract.forbidden):
            if f"{_GROUP}{a}" not in grouped.modules or f"{_GROUP}{n + b}" not in grouped.modules:
                continue
            for chain in grouped.shortest_chains(f"{_GROUP}{a}", f"{_GROUP}{n + b}"):
                modules = [names.get(m, m) for m in chain]
                found.extend(_violation(sites, contract, modules, source.name, target.name))
    return found


def _direct_between(
    contract: Contract,
    importers: Mapping[str, int],
    imported_elements: Sequence[Element],
    imported: Mapping[str, int],
    sites: _Sites,
    importer_elements: Sequence[Element] | None = None,
) -> list[ContractViolation]:
    """Direct imports only (``allow-indirect-imports``): between elements that differ."""

    same = importer_elements is None  # independence: one list of members
    found = []
    for a, b in sorted(sites.first):
        i, j = importers.get(a), imported.get(b)
        if i is None or j is None or (same and i == j):
            continue
        left = (importer_elements or imported_elements)[i]
        found.extend(_violation(sites, contract, (a, b), left.name, imported_elements[j].name))
    return found


def _grouped(graph: ChainGraph, owner: Mapping[str, int]) -> tuple[ChainGraph, dict[str, str]]:
    """The graph with each element's modules renamed into one package per element."""

    alias = {
        module: f"{_GROUP}{index}.m{n}" for n, (module, index) in enumerate(sorted(owner.items()))
    }
    names = {renamed: module for module, renamed in alias.items()}
    imports = {(alias.get(a, a), alias.get(b, b)) for a, b in graph.imports()}
    modules = {alias.get(m, m) for m in graph.modules}
    modules.update(f"{_GROUP}{index}" for index in set(owner.values()))
    return ChainGraph(modules, imports), names


def non_public_violations(
    spec: ComponentSpec,
    universe: ModuleUniverse,
    component_of: Mapping[str, str],
    edges: Iterable[ImportEdge],
    allow_type_checking: bool,
) -> tuple[ContractViolation, ...]:
    """Imports from outside ``spec``'s component into a module it does not declare public."""

    inside = set(universe.members.get(spec.name, ()))
    public = [module_pattern(p) for p in spec.public]
    found: list[ContractViolation] = []
    for edge in edges:
        if allow_type_checking and edge.scope is ImportScope.TYPE_CHECKING:
            continue
        if edge.imported not in inside or edge.importer in inside:
            continue
        if any(p.fullmatch(edge.imported) for p in public):
            continue
        found.append(
            ContractViolation(
                edge, spec.name, component_of.get(edge.importer, ROOT_COMPONENT), spec.name
            )
        )
    return tuple(sorted(found, key=lambda v: (v.edge.location, v.edge.importer, v.edge.imported)))


def _assign(
    contract: Contract, key: str, elements: Sequence[Element], universe: ModuleUniverse
) -> dict[str, int]:
    """Module -> index of the element that holds it; errors for empty or overlapping ones."""

    owner: dict[str, int] = {}
    for index, element in enumerate(elements):
        modules = resolve(element.name, universe)
        if not modules and not element.optional:
            raise contract.error(
                key,
                f"{element.name!r} matches no component or module (write ({element.name}) "
                "if it may be absent)",
            )
        for module in modules:
            other = owner.setdefault(module, index)
            if other != index and elements[other].name != element.name:
                raise contract.error(
                    key,
                    f"module {module!r} is in both {elements[other].name!r} and "
                    f"{element.name!r}; an element of a contract must not overlap another",
                )
    return owner


def resolve(name: str, universe: ModuleUniverse) -> tuple[str, ...]:
    """A component's modules, or else the modules a pattern matches."""

    members = universe.members.get(name)
    if members is not None:
        return members
    if not all(part in ("*", "**") or part.isidentifier() for part in name.split(".")):
        return ()
    regex = module_pattern(name)
    return tuple(m for m in universe.modules if regex.fullmatch(m))
