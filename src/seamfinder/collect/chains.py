"""Chain questions about an import graph, answered by grimp and returned as plain values.

import-linter checks contracts over chains of imports with grimp's queries
(``find_illegal_dependencies_for_layers``, ``find_shortest_chains``, ``chain_exists``,
``nominate_cycle_breakers``). Asking grimp the same questions, over a graph built from the
import statements seamfinder already collected, gives the same answers as import-linter
without re-implementing them and without reading a file twice. grimp stays behind this
module: callers pass module names and get tuples of module names back.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import grimp


@dataclass(frozen=True, slots=True, order=True)
class Route:
    """Chains from any head, through ``middle``, to any tail (``middle`` empty: direct)."""

    heads: tuple[str, ...]
    middle: tuple[str, ...]
    tails: tuple[str, ...]

    def chains(self, direct: frozenset[tuple[str, str]]) -> tuple[tuple[str, ...], ...]:
        """Every head-to-tail chain; without a middle only the pairs that are imports."""

        if not self.middle:
            return tuple((h, t) for h in self.heads for t in self.tails if (h, t) in direct)
        return tuple((h, *self.middle, t) for h in self.heads for t in self.tails)


@dataclass(frozen=True, slots=True, order=True)
class LayerDependency:
    """A lower layer (``importer``) that reaches a higher one (``imported``) by ``routes``."""

    importer: str
    imported: str
    routes: tuple[Route, ...]


@dataclass(frozen=True, slots=True)
class LayerSpec:
    """One layer: module names (relative to a container when there are containers)."""

    modules: tuple[str, ...]
    independent: bool = True


class ChainGraph:
    """A grimp import graph of module pairs; every query returns sorted plain values."""

    def __init__(
        self,
        modules: Iterable[str],
        imports: Iterable[tuple[str, str]],
        squashed: Iterable[str] = (),
    ) -> None:
        # Imported here: the rule catalog imports this module, and `seamfinder rules` must
        # start without grimp.
        import grimp

        self._graph: grimp.ImportGraph = grimp.ImportGraph()
        names = set(modules)
        pairs = sorted(set(imports))
        names.update(m for pair in pairs for m in pair)
        external = set(squashed)
        # grimp needs a module's ancestors to answer package questions (children, as_packages).
        for name in sorted(names - external):
            parts = name.split(".")
            for end in range(1, len(parts) + 1):
                self._graph.add_module(".".join(parts[:end]))
        for name in sorted(external):
            self._graph.add_module(name, is_squashed=True)
        for importer, imported in pairs:
            self._graph.add_import(importer=importer, imported=imported)

    def copy(self) -> ChainGraph:
        clone = ChainGraph.__new__(ChainGraph)
        clone._graph = copy.deepcopy(self._graph)  # grimp copies its core graph
        return clone

    @property
    def modules(self) -> frozenset[str]:
        return frozenset(self._graph.modules)

    def imports(self) -> frozenset[tuple[str, str]]:
        return frozenset(
            (importer, imported)
            for importer in self._graph.modules
            for imported in self._graph.find_modules_directly_imported_by(importer)
        )

    def is_squashed(self, module: str) -> bool:
        return module in self._graph.modules and bool(self._graph.is_module_squashed(module))

    def matching_modules(self, expression: str) -> tuple[str, ...]:
        """Modules an import-linter module expression names (``*`` one part, ``**`` any)."""

        if "*" not in expression:
            return (expression,) if expression in self._graph.modules else ()
        import grimp

        try:
            return tuple(sorted(self._graph.find_matching_modules(expression)))
        except grimp.exceptions.InvalidModuleExpression as exc:
            raise ValueError(str(exc)) from None

    def children(self, module: str) -> tuple[str, ...]:
        if module not in self._graph.modules or self.is_squashed(module):
            return ()
        return tuple(sorted(self._graph.find_children(module)))

    def descendants(self, module: str) -> tuple[str, ...]:
        if module not in self._graph.modules or self.is_squashed(module):
            return ()
        return tuple(sorted(self._graph.find_descendants(module)))

    def remove_matching(self, expression: str) -> tuple[tuple[str, str], ...]:
        """Remove the imports an ``importer -> imported`` expression matches; return them."""

        import grimp

        try:
            found = self._graph.find_matching_direct_imports(import_expression=expression)
        except grimp.exceptions.InvalidImportExpression as exc:
            raise ValueError(str(exc)) from None
        matched = sorted({(f["importer"], f["imported"]) for f in found})
        for importer, imported in matched:
            self._graph.remove_import(importer=importer, imported=imported)
        return tuple(matched)

    def remove_import(self, importer: str, imported: str) -> None:
        self._graph.remove_import(importer=importer, imported=imported)

    def illegal_layer_dependencies(
        self, layers: Iterable[LayerSpec], containers: Iterable[str] = ()
    ) -> tuple[LayerDependency, ...]:
        import grimp

        found = self._graph.find_illegal_dependencies_for_layers(
            layers=tuple(
                grimp.Layer(*layer.modules, independent=layer.independent) for layer in layers
            ),
            containers=set(containers),
        )
        return tuple(
            sorted(
                LayerDependency(
                    dependency.importer,
                    dependency.imported,
                    tuple(
                        sorted(
                            Route(
                                tuple(sorted(route.heads)),
                                tuple(route.middle),
                                tuple(sorted(route.tails)),
                            )
                            for route in dependency.routes
                        )
                    ),
                )
                for dependency in found
            )
        )

    def shortest_chains(
        self, importer: str, imported: str, as_packages: bool = True
    ) -> tuple[tuple[str, ...], ...]:
        return tuple(
            sorted(
                self._graph.find_shortest_chains(
                    importer=importer, imported=imported, as_packages=as_packages
                )
            )
        )

    def chain_exists(self, importer: str, imported: str, as_packages: bool = True) -> bool:
        return bool(self._graph.chain_exists(importer, imported, as_packages=as_packages))

    def directly_imported_by(self, module: str, as_package: bool = False) -> frozenset[str]:
        return frozenset(self._graph.find_modules_directly_imported_by(module, as_package))

    def direct_importers(self, module: str, as_package: bool = False) -> frozenset[str]:
        return frozenset(self._graph.find_modules_that_directly_import(module, as_package))

    def cycle_breakers(self, package: str) -> tuple[tuple[str, str], ...]:
        """Imports whose removal would leave the children of ``package`` acyclic."""

        return tuple(sorted(self._graph.nominate_cycle_breakers(package)))
