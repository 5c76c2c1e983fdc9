"""What extracting one component as a service would cost: the what-if sheet.

The service is the component's modules, plus those taken with ``--with`` (from other
components or the root bucket), minus those left behind with ``--without`` (which stay in
the monolith as a part of their own, ``<component> (left behind)``). ``--with`` naming
modules *inside* the component carves a feature out of it: the service is then those
modules only (plus any named outside), the rest of the component stays behind. A model
class (``orders.models.Refund``) given to ``--with`` or ``--without`` moves or keeps its
table whatever its module does. A table moves with the module that defines it otherwise.
Then, across the new boundary:

- every import statement, grouped by caller, inbound (the rest calls the service) and
  outbound (the service calls the rest), each site classified
  (:mod:`~seamfinder.analysis.inbound`: type-only, contract, route, message, call) and
  flagged when reached on every request;
- the symbols imported from the service by modules staying behind: the API to publish;
- the tables it takes, and every other part's sites on them (reads become queries to the
  service, writes commands, joins a replicated view), lookups counted apart;
- the tables of others it still touches, and the lookup strings that cross;
- the foreign keys and relationships that cross the boundary;
- the transactions that write or lock (``select_for_update``) tables on both sides,
  following the functions they call (one level): each becomes a saga; the row locks;
- receivers, registrations and settings that cross (:mod:`~seamfinder.analysis.hooks`);
- the import cycles through the service after the move, by its own edges only;
- the decomposition metrics before and after (``unchanged`` when equal);
- the effort (:mod:`~seamfinder.analysis.effort`) and the ``--with`` suggestion.
"""

from __future__ import annotations

import difflib
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

from seamfinder.analysis.cycles import find_cycles
from seamfinder.analysis.effort import effort, suggest
from seamfinder.analysis.hooks import resolver
from seamfinder.analysis.inbound import SiteKinds, calls_across, site_kinds
from seamfinder.analysis.seams import TIE_KINDS, SeamInputs, seam_inputs
from seamfinder.analysis.state import Analysis
from seamfinder.core.errors import SeamfinderError
from seamfinder.core.model import (
    ROOT_COMPONENT,
    Cycle,
    DataAccess,
    Dependency,
    ExtractionSheet,
    Hook,
    ImportedName,
    MovingTable,
    PublishedSymbol,
    SuiteImport,
    TableUse,
    Transaction,
)
from seamfinder.resolve.components import module_pattern
from seamfinder.resolve.graph import component_dependencies

_SHOWN_CHOICES = 12
_LOCK = "select_for_update"


class ExtractionError(SeamfinderError):
    """The component or a module named on the command line does not exist."""


def _choices(names: Sequence[str], wanted: str) -> str:
    close = difflib.get_close_matches(wanted, names, n=5, cutoff=0.5)
    shown = close or list(names[:_SHOWN_CHOICES])
    more = len(names) - len(shown)
    return ", ".join(shown) + (f" … and {more} more" if more > 0 else "")


def _matching(pattern: str, modules: Iterable[str]) -> list[str]:
    regex = module_pattern(pattern)
    return sorted(m for m in modules if regex.fullmatch(m))


@dataclass(frozen=True, slots=True)
class Carve:
    """What ``--with`` and ``--without`` make of a component."""

    modules: tuple[str, ...]  # of the service
    added: tuple[str, ...]  # from elsewhere
    left: tuple[str, ...]  # of the component, staying behind
    taken: tuple[str, ...] = ()  # tables of model classes named with --with
    kept: tuple[str, ...] = ()  # tables of model classes named with --without


def _model_tables(analysis: Analysis, pattern: str) -> list[str]:
    regex = module_pattern(pattern)
    return sorted(
        {m.table for m in analysis.models if not m.abstract and regex.fullmatch(m.qualname)}
    )


def service_modules(
    analysis: Analysis, component: str, with_: Sequence[str], without: Sequence[str]
) -> Carve:
    """The service's modules and tables, or an :class:`ExtractionError` naming choices."""

    components = {c.name: c for c in analysis.components.components if c.name != ROOT_COMPONENT}
    if component not in components:
        raise ExtractionError(
            f"no component {component!r} (components: {', '.join(sorted(components))})"
        )
    own = set(components[component].modules)
    everything = sorted(analysis.components.of_module)
    added: set[str] = set()
    inside: set[str] = set()
    taken: set[str] = set()
    for pattern in with_:
        found = _matching(pattern, everything)
        tables = [] if found else _model_tables(analysis, pattern)
        if not found and not tables:
            raise ExtractionError(
                f"--with {pattern!r} matches no module or model class "
                f"(modules: {_choices(everything, pattern)})"
            )
        added.update(m for m in found if m not in own)
        inside.update(m for m in found if m in own)
        taken.update(tables)
    left: set[str] = set()
    kept: set[str] = set()
    for pattern in without:
        found = _matching(pattern, own)
        tables = [] if found else _model_tables(analysis, pattern)
        if not found and not tables:
            raise ExtractionError(
                f"--without {pattern!r} matches no module or model class of {component} "
                f"(its modules: {_choices(sorted(own), pattern)})"
            )
        left.update(found)
        kept.update(tables)
    if inside:  # a feature carved out of the component: the rest stays behind
        left |= own - inside
    service = (own - left) | added
    if not service:
        raise ExtractionError(f"--without leaves nothing of {component} to extract")
    return Carve(
        tuple(sorted(service)),
        tuple(sorted(added)),
        tuple(sorted(left)),
        tuple(sorted(taken - kept)),
        tuple(sorted(kept)),
    )


def extraction_sheet(
    analysis: Analysis,
    component: str,
    with_: Sequence[str] = (),
    without: Sequence[str] = (),
    inputs: SeamInputs | None = None,
    tests: Sequence[SuiteImport] = (),
) -> ExtractionSheet:
    carve = service_modules(analysis, component, with_, without)
    inputs = inputs or seam_inputs(analysis)
    service = set(carve.modules)
    behind = f"{component} (left behind)"
    declared_of = analysis.components.component_of
    left = set(carve.left)

    def after_of(module: str) -> str:
        if module in service:
            return component
        if module in left:
            return behind
        return declared_of(module)

    definer = inputs.definer
    taken, kept = set(carve.taken), set(carve.kept)

    def moves(table: str) -> bool:
        return (
            table in definer
            and (definer[table] in service or table in taken)
            and (table not in kept)
        )

    after = {m: after_of(m) for m in (*inputs.declared, *carve.added)}
    kinds = site_kinds(analysis.imported_names, analysis.name_uses, analysis.enumerations)
    calls = calls_across(analysis.imports, analysis.imported_names, service, declared_of, kinds)
    interface = _interface(analysis.imported_names, service)
    # A model named in annotations only touches no table at runtime.
    type_only = {
        (e.importer, e.location.line)
        for e in analysis.imports
        if declared_of(e.importer) != declared_of(e.imported) and kinds.kind(e) == "type-only"
    }
    accesses = tuple(
        a
        for a in analysis.data_access
        if not (a.via == "import" and (a.module, a.location.line) in type_only)
    )
    moving, foreign = _tables(accesses, definer, service, after_of, component, moves)
    relations = tuple(
        a
        for a in analysis.data_access
        if a.kind == "relation" and a.table in definer and (a.module in service) != moves(a.table)
    )
    sagas, locks = _sagas(analysis.transactions, analysis.data_access, moves)
    lookups = tuple(
        sorted(
            a
            for a in analysis.data_access
            if a.via.startswith("lookup")
            and a.table in definer
            and (a.module in service) != moves(a.table)
            and after_of(a.module) != ROOT_COMPONENT
        )
    )
    sheet = ExtractionSheet(
        root=analysis.project.display_root,
        component=component,
        modules=carve.modules,
        added=carve.added,
        left_behind=carve.left,
        calls=calls,
        interface=interface,
        tables=moving,
        foreign_tables=foreign,
        relations=tuple(sorted(relations, key=lambda a: (a.location, a.table))),
        sagas=sagas,
        cycles=_own_cycles(analysis, after_of, component, kinds),
        before=inputs.metrics(inputs.declared),
        after=inputs.metrics(after),
        tables_taken=carve.taken,
        tables_kept=carve.kept,
        row_locks=locks,
        lookups=lookups,
        hooks=_crossing_hooks(analysis, service, component),
    )
    lines = dict(analysis.module_lines)
    return replace(
        sheet,
        effort=effort(sheet, lines, tests, analysis.cascades, accesses),
        suggestion=suggest(analysis, component, service, kinds),
    )


def _own_cycles(
    analysis: Analysis, after_of: Callable[[str], str], component: str, kinds: SiteKinds
) -> tuple[Cycle, ...]:
    """The cycles of synchronous calls through the service after the move, by its own edges: the
    edges into it and out of it inside each cycle, and the cheaper side as the cut
    (cutting every edge in, or every edge out, breaks every cycle through it)."""

    everyone = {m: after_of(m) for m in analysis.components.of_module}
    names = sorted(set(everyone.values()) - {ROOT_COMPONENT})
    # Only synchronous calls close a distributed cycle: not a type-only import, an
    # enqueued task, a constant or a route.
    calls = [
        e
        for e in analysis.imports
        if everyone.get(e.importer) != everyone.get(e.imported) and kinds.kind(e) == "call"
    ]
    dependencies = component_dependencies(
        calls,
        lambda m: everyone.get(m, ROOT_COMPONENT),
        analysis.config.ignore_type_checking_imports,
    )
    found: list[Cycle] = []
    for cycle in find_cycles(
        names, [d for d in dependencies if ROOT_COMPONENT not in (d.source, d.target)]
    ):
        if component not in cycle.components:
            continue
        own = tuple(d for d in cycle.edges if component in (d.source, d.target))
        inbound = tuple(d for d in own if d.target == component)
        outbound = tuple(d for d in own if d.source == component)
        cut = min((inbound, outbound), key=lambda side: (_cost(side), side is outbound))
        found.append(replace(cycle, edges=own, cut=cut))
    return tuple(found)


def _cost(edges: Sequence[Dependency]) -> int:
    return sum(d.imports for d in edges)


def _sagas(
    transactions: Iterable[Transaction],
    accesses: Iterable[DataAccess],
    moves: Callable[[str], bool],
) -> tuple[tuple[Transaction, ...], tuple[DataAccess, ...]]:
    """Transactions that write or lock rows on both sides, and the locks inside them.

    A lock counts inside a transaction when it is in the transaction's function (or one
    nested in it), or in a function whose writes the transaction was found to reach (one
    level of calls).
    """

    locks_in: dict[tuple[str, str], list[DataAccess]] = defaultdict(list)
    for access in accesses:
        if access.via.endswith(_LOCK):
            locks_in[(access.module, access.scope)].append(access)
    sagas: list[Transaction] = []
    found: set[DataAccess] = set()
    for transaction in transactions:
        scopes = {(w.module, w.scope) for w in transaction.writes}
        locks = [
            lock
            for (module, scope), held in locks_in.items()
            if (module, scope) in scopes
            or (
                module == transaction.module
                and (scope == transaction.scope or scope.startswith(transaction.scope + "."))
            )
            for lock in held
        ]
        sides = {moves(w.table) for w in transaction.writes} | {moves(x.table) for x in locks}
        if len(sides) == 2:
            sagas.append(transaction)
            found.update(locks)
    return tuple(sagas), tuple(sorted(found))


def _crossing_hooks(analysis: Analysis, service: set[str], component: str) -> tuple[Hook, ...]:
    """Receivers, registrations, ``add_to_class`` and settings on one side naming the other."""

    resolve = resolver(analysis.components)
    of_module = analysis.components.of_module
    crossing: list[Hook] = []
    for hook in analysis.hooks:
        if hook.kind in ("view", "task", "command", "route"):
            continue
        inside = hook.module in service
        for target in (hook.target, hook.signal):
            module = _module_of(target, of_module) if target else None
            if module is not None:
                there = module in service
            elif target and resolve.of(target) is not None:
                there = resolve.of(target) == component  # a label: the component's tables
            else:
                continue
            if there != inside:
                crossing.append(hook)
                break
    return tuple(sorted(crossing))


def _module_of(dotted: str, modules: Mapping[str, str]) -> str | None:
    parts = dotted.split(".")
    for end in range(len(parts), 0, -1):
        candidate = ".".join(parts[:end])
        if candidate in modules:
            return candidate
    return None


def _interface(names: Iterable[ImportedName], service: set[str]) -> tuple[PublishedSymbol, ...]:
    users: dict[str, set[str]] = defaultdict(set)
    sites: Counter[str] = Counter()
    for name in names:
        if name.module in service and name.importer not in service:
            users[name.symbol].add(name.importer)
            sites[name.symbol] += 1
    return tuple(
        PublishedSymbol(symbol, tuple(sorted(users[symbol])), sites[symbol])
        for symbol in sorted(users, key=lambda s: (-sites[s], s))
    )


def _uses(accesses: Iterable[DataAccess], owner: str | None) -> dict[str, TableUse]:
    """Access sites per part (the key), one table, as data-matrix rows."""

    counts: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    for a in accesses:
        counts[(a.component, a.table)][a.kind] += 1
        counts[(a.component, a.table)]["lookup"] += a.via.startswith("lookup")
    return {
        part: TableUse(
            part,
            table,
            owner,
            reads=kinds["read"],
            writes=kinds["write"],
            relations=kinds["relation"],
            raw_sql=kinds["raw-sql"],
            lookups=kinds["lookup"],
        )
        for (part, table), kinds in counts.items()
    }


def _tables(
    accesses: Sequence[DataAccess],
    definer: Mapping[str, str],
    service: set[str],
    after_of: Callable[[str], str],
    component: str,
    moves: Callable[[str], bool],
) -> tuple[tuple[MovingTable, ...], tuple[TableUse, ...]]:
    outside: dict[str, list[DataAccess]] = defaultdict(list)
    reached: dict[str, list[DataAccess]] = defaultdict(list)
    for a in accesses:
        if a.kind not in TIE_KINDS or a.table not in definer:
            continue
        part = after_of(a.module)
        moved = moves(a.table)
        if moved and a.module not in service and part != ROOT_COMPONENT:
            outside[a.table].append(replace(a, component=part))
        elif not moved and a.module in service:
            reached[a.table].append(replace(a, component=component))
    moving = tuple(
        MovingTable(
            table,
            definer[table],
            tuple(
                sorted(
                    _uses(outside.get(table, ()), component).values(),
                    key=lambda u: u.component,
                )
            ),
        )
        for table in sorted(t for t in definer if moves(t))
    )
    foreign = tuple(
        use
        for table in sorted(reached)
        for use in _uses(reached[table], after_of(definer[table])).values()
    )
    return moving, foreign
