"""What extracting one component as a service would cost: the what-if sheet.

The service is the component's modules, plus those taken with ``--with`` (from other
components or the root bucket), minus those left behind with ``--without`` (which stay in
the monolith as a part of their own, ``<component> (left behind)``). A table moves with
the module that defines it. Then, across the new boundary:

- every import statement becomes a remote call (or a copied type), grouped by caller:
  inbound (the rest calls the service) and outbound (the service calls the rest);
- the symbols imported from the service by modules staying behind are the API it must
  publish;
- the tables it takes, and every other part's sites on them (reads become queries to the
  service, writes commands, joins a replicated view);
- the tables of others it still touches;
- the foreign keys and relationships that cross the boundary: they cannot be kept
  between two databases;
- the transactions that write tables on both sides: each becomes a saga (or an outbox);
- the import cycles through the service after the move: distributed cycles;
- the decomposition metrics of the declared components before, and after the move.

Call sites of imported functions are not tracked separately: an import statement stands
for the calls made through it.
"""

from __future__ import annotations

import difflib
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import replace

from seamfinder.analysis.cycles import find_cycles
from seamfinder.analysis.seams import TIE_KINDS, SeamInputs, seam_inputs
from seamfinder.analysis.state import Analysis
from seamfinder.core.errors import SeamfinderError
from seamfinder.core.model import (
    ROOT_COMPONENT,
    DataAccess,
    ExtractionSheet,
    ImportEdge,
    ImportedName,
    MovingTable,
    NetworkCall,
    PublishedSymbol,
    TableUse,
)
from seamfinder.resolve.components import module_pattern
from seamfinder.resolve.graph import component_dependencies

_SHOWN_CHOICES = 12


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


def service_modules(
    analysis: Analysis, component: str, with_: Sequence[str], without: Sequence[str]
) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    """(service modules, added, left behind), or an :class:`ExtractionError` naming choices."""

    components = {c.name: c for c in analysis.components.components if c.name != ROOT_COMPONENT}
    if component not in components:
        raise ExtractionError(
            f"no component {component!r} (components: {', '.join(sorted(components))})"
        )
    own = set(components[component].modules)
    everything = sorted(analysis.components.of_module)
    added: set[str] = set()
    for pattern in with_:
        found = _matching(pattern, (m for m in everything if m not in own))
        if not found:
            outside = [m for m in everything if m not in own]
            raise ExtractionError(
                f"--with {pattern!r} matches no module outside {component} "
                f"(modules: {_choices(outside, pattern)})"
            )
        added.update(found)
    left: set[str] = set()
    for pattern in without:
        found = _matching(pattern, own)
        if not found:
            raise ExtractionError(
                f"--without {pattern!r} matches no module of {component} "
                f"(its modules: {_choices(sorted(own), pattern)})"
            )
        left.update(found)
    service = (own - left) | added
    if not service:
        raise ExtractionError(f"--without leaves nothing of {component} to extract")
    return tuple(sorted(service)), tuple(sorted(added)), tuple(sorted(left))


def extraction_sheet(
    analysis: Analysis,
    component: str,
    with_: Sequence[str] = (),
    without: Sequence[str] = (),
    inputs: SeamInputs | None = None,
) -> ExtractionSheet:
    modules, added, left = service_modules(analysis, component, with_, without)
    inputs = inputs or seam_inputs(analysis)
    service = set(modules)
    behind = f"{component} (left behind)"
    declared_of = analysis.components.component_of

    def after_of(module: str) -> str:
        if module in service:
            return component
        if module in left:
            return behind
        return declared_of(module)

    after = {m: after_of(m) for m in (*inputs.declared, *added)}
    calls = _calls(analysis.imports, analysis.imported_names, service, declared_of)
    interface = _interface(analysis.imported_names, service)
    definer = inputs.definer
    moving, foreign = _tables(analysis.data_access, definer, service, after_of, component)
    relations = tuple(
        a
        for a in analysis.data_access
        if a.kind == "relation"
        and a.table in definer
        and (a.module in service) != (definer[a.table] in service)
    )
    sagas = tuple(
        t
        for t in analysis.transactions
        if len({definer[w.table] in service for w in t.writes if w.table in definer}) == 2
    )
    everyone = {m: after_of(m) for m in analysis.components.of_module}
    names = sorted(set(everyone.values()) - {ROOT_COMPONENT})
    dependencies = component_dependencies(
        analysis.imports,
        lambda m: everyone.get(m, ROOT_COMPONENT),
        analysis.config.ignore_type_checking_imports,
    )
    cycles = tuple(
        c
        for c in find_cycles(
            names, [d for d in dependencies if ROOT_COMPONENT not in (d.source, d.target)]
        )
        if component in c.components
    )
    return ExtractionSheet(
        root=analysis.project.display_root,
        component=component,
        modules=modules,
        added=added,
        left_behind=left,
        calls=calls,
        interface=interface,
        tables=moving,
        foreign_tables=foreign,
        relations=tuple(sorted(relations, key=lambda a: (a.location, a.table))),
        sagas=sagas,
        cycles=cycles,
        before=inputs.metrics(inputs.declared),
        after=inputs.metrics(after),
    )


def _calls(
    edges: Iterable[ImportEdge],
    names: Iterable[ImportedName],
    service: set[str],
    component_of: Callable[[str], str],
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
        taken = sorted(
            n for s in sites for n in by_site.get((s.importer, s.imported, s.location.line), ())
        )
        calls.append(
            NetworkCall(caller, component_of(caller), inbound, tuple(sorted(sites)), tuple(taken))
        )
    return tuple(sorted(calls, key=lambda c: (not c.inbound, c.caller)))


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
    return {
        part: TableUse(
            part,
            table,
            owner,
            reads=kinds["read"],
            writes=kinds["write"],
            relations=kinds["relation"],
            raw_sql=kinds["raw-sql"],
        )
        for (part, table), kinds in counts.items()
    }


def _tables(
    accesses: Sequence[DataAccess],
    definer: Mapping[str, str],
    service: set[str],
    after_of: Callable[[str], str],
    component: str,
) -> tuple[tuple[MovingTable, ...], tuple[TableUse, ...]]:
    outside: dict[str, list[DataAccess]] = defaultdict(list)
    reached: dict[str, list[DataAccess]] = defaultdict(list)
    for a in accesses:
        if a.kind not in TIE_KINDS or a.table not in definer:
            continue
        part = after_of(a.module)
        moved = definer[a.table] in service
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
        for table in sorted(t for t, m in definer.items() if m in service)
    )
    foreign = tuple(
        use
        for table in sorted(reached)
        for use in _uses(reached[table], after_of(definer[table])).values()
    )
    return moving, foreign
