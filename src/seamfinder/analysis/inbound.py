"""What an import statement across a boundary becomes once the boundary is a network.

Not every import is a future remote call. Each site is one of
:data:`~seamfinder.core.model.SITE_KINDS`, decided in this order:

- ``type-only``: a ``TYPE_CHECKING`` import, or names used in annotations only. Dropped:
  nothing crosses at runtime.
- ``route``: imported by a URL configuration (``urls``, ``routes``, ``routers``). The
  gateway routes to the service instead; no code calls it.
- ``message``: every name it takes is a task enqueued (``.delay()``, ``.apply_async()``).
  Already asynchronous: a queue between two services works as it did.
- ``contract``: every name is a constant (``UPPER_CASE``) or an enumeration, or comes
  from a module of values (``enums``, ``constants``, ``error_codes``, ``choices``). A
  shared contract: a copied type or a published schema, not a call.
- ``call``: everything else, a synchronous call (or a model used in-process).

and, by the importer's name, whether the site is reached on *every request* (middleware,
context processors: a call there puts the service on every page's latency path) or *per
request* (views, viewsets, resolvers, schema, mutations, consumers).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from seamfinder.core.model import ImportEdge, ImportedName, ImportScope, NameUse, NetworkCall

# Modules that hold values only, by their name: imported, they are a shared contract.
CONTRACT_MODULES = frozenset({"enums", "constants", "error_codes", "choices", "consts"})
ROUTE_PARTS = frozenset({"urls", "routes", "routers", "urlconf"})
EVERY_REQUEST_PARTS = frozenset({"middleware", "middlewares", "context_processors"})
PER_REQUEST_PARTS = frozenset(
    {
        "views",
        "viewsets",
        "api",
        "resolvers",
        "mutations",
        "schema",
        "consumers",
        "endpoints",
        "graphql",
    }
)


def request_reach(module: str) -> str:
    """``every request``, ``per request`` or ``""``, from the module's dotted name."""

    parts = set(module.split(".")[1:]) | {module.rsplit(".", 1)[-1]}
    if parts & EVERY_REQUEST_PARTS:
        return "every request"
    if parts & PER_REQUEST_PARTS:
        return "per request"
    return ""


@dataclass(frozen=True, slots=True)
class SiteKinds:
    """How the import sites of one project classify (built once, asked per site)."""

    names: Mapping[tuple[str, str, int], tuple[ImportedName, ...]]  # (importer, module, line)
    uses: Mapping[tuple[str, str, str, int], str]  # (importer, module, name, line) -> use
    contracts: frozenset[str]  # dotted names of enumerations

    def kind(self, edge: ImportEdge) -> str:
        if edge.scope is ImportScope.TYPE_CHECKING:
            return "type-only"
        taken = self.names.get((edge.importer, edge.imported, edge.location.line), ())
        uses = [
            self.uses.get((n.importer, n.module, n.name, n.location.line), "call") for n in taken
        ]
        if uses and all(use == "type-only" for use in uses):
            return "type-only"
        if edge.importer.rsplit(".", 1)[-1] in ROUTE_PARTS:
            return "route"
        if uses and all(use in ("enqueue", "type-only") for use in uses):
            return "message"
        if taken and all(self._contract(n) for n in taken):
            return "contract"
        return "call"

    def _contract(self, name: ImportedName) -> bool:
        if name.module.rsplit(".", 1)[-1] in CONTRACT_MODULES:
            return name.name != "*"  # error_codes, enums, constants: values only
        symbol = name.name
        if not symbol or symbol == "*":
            return False
        return (symbol.isupper() and len(symbol) > 1) or name.symbol in self.contracts


def site_kinds(
    names: Iterable[ImportedName], uses: Iterable[NameUse], contracts: frozenset[str]
) -> SiteKinds:
    by_site: dict[tuple[str, str, int], list[ImportedName]] = defaultdict(list)
    for name in names:
        by_site[(name.importer, name.module, name.location.line)].append(name)
    return SiteKinds(
        {key: tuple(found) for key, found in by_site.items()},
        {(u.importer, u.module, u.name, u.line): u.use for u in uses},
        contracts,
    )


def calls_across(
    edges: Iterable[ImportEdge],
    names: Iterable[ImportedName],
    service: set[str],
    component_of: Callable[[str], str],
    kinds: SiteKinds,
) -> tuple[NetworkCall, ...]:
    by_site: dict[tuple[str, str, int], list[ImportedName]] = defaultdict(list)
    for name in names:
        by_site[(name.importer, name.module, name.location.line)].append(name)
    grouped: dict[tuple[bool, str], list[ImportEdge]] = defaultdict(list)
    for edge in edges:
        inside, target_inside = edge.importer in service, edge.imported in service
        if inside != target_inside:
            grouped[(target_inside, edge.importer)].append(edge)
    calls = []
    for (inbound, caller), sites in grouped.items():
        ordered = tuple(sorted(sites))
        taken = sorted(
            n for s in ordered for n in by_site.get((s.importer, s.imported, s.location.line), ())
        )
        calls.append(
            NetworkCall(
                caller,
                component_of(caller),
                inbound,
                ordered,
                tuple(taken),
                tuple(kinds.kind(s) for s in ordered),
                request_reach(caller),
            )
        )
    return tuple(sorted(calls, key=lambda c: (not c.inbound, c.caller)))
