"""Which import statements break the declared contracts (pure functions, no rule knowledge).

Every contract is checked one import statement at a time: a violation is one
:class:`~seamfinder.core.model.ImportEdge` and the two contract elements it connects. Elements
resolve to sets of modules: a component's modules when a component has that name,
otherwise the modules a pattern matches. An element that matches nothing, or a module that
two elements of one contract claim, is a configuration error: a contract that silently
checks nothing is worse than none.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

from seamfinder.config.contracts import (
    Contract,
    Element,
    ForbiddenContract,
    IgnoredImport,
    IndependenceContract,
    LayersContract,
)
from seamfinder.config.settings import ComponentSpec
from seamfinder.core.model import ROOT_COMPONENT, ImportEdge, ImportScope
from seamfinder.resolve.components import module_pattern


@dataclass(frozen=True, slots=True, order=True)
class ContractViolation:
    """One import statement that a contract forbids."""

    edge: ImportEdge
    contract: str  # the contract's name (or the component, for a public interface)
    importer_element: str  # the element (layer, sibling, source, member) of the importer
    imported_element: str
    sibling: bool = False  # layers: both sit in one layer as independent siblings
    upward: bool = False  # layers: the importer sits in a lower layer than the imported


@dataclass(frozen=True, slots=True)
class ModuleUniverse:
    """What elements resolve against: every module, and the modules of each component."""

    modules: tuple[str, ...]
    members: Mapping[str, tuple[str, ...]]  # component name -> its modules


def contract_violations(
    contract: Contract,
    universe: ModuleUniverse,
    edges: Iterable[ImportEdge],
    ignore_type_checking: bool,
) -> tuple[ContractViolation, ...]:
    """The import statements ``contract`` forbids, sorted by location."""

    allow_tc = (
        contract.allow_type_checking
        if contract.allow_type_checking is not None
        else ignore_type_checking
    )
    relevant = [
        edge
        for edge in edges
        if not (allow_tc and edge.scope is ImportScope.TYPE_CHECKING)
        and not _ignored(contract.ignore_imports, edge)
    ]
    if isinstance(contract, LayersContract):
        found = _layers(contract, universe, relevant)
    elif isinstance(contract, ForbiddenContract):
        found = _forbidden(contract, universe, relevant)
    else:
        found = _independence(contract, universe, relevant)
    return tuple(sorted(found, key=lambda v: (v.edge.location, v.edge.importer, v.edge.imported)))


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


def _layers(
    contract: LayersContract, universe: ModuleUniverse, edges: Sequence[ImportEdge]
) -> list[ContractViolation]:
    elements = [e for layer in contract.layers for e in layer.elements]
    position: list[tuple[int, int]] = [
        (index, sibling)
        for index, layer in enumerate(contract.layers)
        for sibling in range(len(layer.elements))
    ]
    owner = _assign(contract, "layers", elements, universe)
    found: list[ContractViolation] = []
    for edge in edges:
        a, b = owner.get(edge.importer), owner.get(edge.imported)
        if a is None or b is None or a == b:
            continue
        (layer_a, _), (layer_b, _) = position[a], position[b]
        upward = layer_a > layer_b  # index 0 is the top layer
        sibling = layer_a == layer_b and contract.layers[layer_a].independent
        if upward or sibling:
            found.append(
                ContractViolation(
                    edge,
                    contract.name,
                    elements[a].name,
                    elements[b].name,
                    sibling=sibling,
                    upward=upward,
                )
            )
    return found


def _forbidden(
    contract: ForbiddenContract, universe: ModuleUniverse, edges: Sequence[ImportEdge]
) -> list[ContractViolation]:
    sources = _assign(contract, "source", contract.sources, universe)
    targets = _assign(contract, "forbidden", contract.forbidden, universe)
    found: list[ContractViolation] = []
    for edge in edges:
        a, b = sources.get(edge.importer), targets.get(edge.imported)
        # A module that is itself forbidden may use its own kind: an element never
        # forbids itself.
        if a is None or b is None or edge.importer in targets:
            continue
        found.append(
            ContractViolation(
                edge, contract.name, contract.sources[a].name, contract.forbidden[b].name
            )
        )
    return found


def _independence(
    contract: IndependenceContract, universe: ModuleUniverse, edges: Sequence[ImportEdge]
) -> list[ContractViolation]:
    owner = _assign(contract, "components", contract.members, universe)
    found: list[ContractViolation] = []
    for edge in edges:
        a, b = owner.get(edge.importer), owner.get(edge.imported)
        if a is None or b is None or a == b:
            continue
        found.append(
            ContractViolation(
                edge, contract.name, contract.members[a].name, contract.members[b].name
            )
        )
    return found


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


def _ignored(ignored: Sequence[IgnoredImport], edge: ImportEdge) -> bool:
    return any(
        _exact(i.importer).fullmatch(edge.importer) and _exact(i.imported).fullmatch(edge.imported)
        for i in ignored
    )


@lru_cache(maxsize=512)
def _exact(glob: str) -> re.Pattern[str]:
    """import-linter's ignore_imports: the module itself; ``*`` one part, ``**`` any."""

    parts = []
    for part in glob.split("."):
        if part == "**":
            parts.append(r"[^.]+(?:\.[^.]+)*")
        elif part == "*":
            parts.append(r"[^.]+")
        else:
            parts.append(re.escape(part))
    return re.compile(r"\.".join(parts))
