"""What carrying out an extraction takes, and which modules to take along to make it cheaper.

*Effort*, from a finished sheet:

- code: the service's modules and lines; the modules staying behind that must change
  (they call the service other than in annotations, or read, write or point at a table
  that moves) and their lines;
- tests: the test files (excluded from the analysis) that import a module of the service;
- data, per moving table: create and copy, every foreign key across the boundary into a
  plain id (no constraint spans two databases), a dual-write or CDC window while other
  parts still write it, a replica or API calls for those that read it, then backfill,
  verify and switch;
- cascades: ``on_delete=CASCADE`` relations across the boundary: a deletion one side
  makes, the other must hear as an event.

*Suggestion*: the modules outside the component that serve it as an adapter (a layer
named after it, ``graphql.<app>.*``, tried whole; or an API, serializers, admin, tasks,
GraphQL types... calling the service more than any other component) are tried best
first; each that lowers the number of synchronous call sites *into* the service (the
other teams' changes) joins the ``--with`` set. The calls out are shown beside it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterable, Mapping, Sequence

from seamfinder.analysis.inbound import SiteKinds, calls_across
from seamfinder.analysis.seams import app_anchors
from seamfinder.analysis.state import Analysis
from seamfinder.core.model import (
    ROOT_COMPONENT,
    DataAccess,
    Effort,
    ExtractionSheet,
    Location,
    MigrationStep,
    NetworkCall,
    Suggestion,
    SuiteImport,
)

ADAPTER_PARTS = frozenset(
    {
        "api",
        "serializers",
        "admin",
        "tasks",
        "graphql",
        "views",
        "viewsets",
        "forms",
        "filters",
        "schema",
        "types",
        "mutations",
        "resolvers",
        "dataloaders",
        "dashboard",
        "webhooks",
    }
)
_MAX_SUGGESTED = 12  # units tried


def effort(
    sheet: ExtractionSheet,
    lines: Mapping[str, int],
    tests: Sequence[SuiteImport],
    cascades: Collection[Location],
    accesses: Iterable[DataAccess],
) -> Effort:
    service = set(sheet.modules)
    moving = {t.table for t in sheet.tables}
    touched = {
        call.caller
        for call in sheet.calls
        if call.inbound and any(kind != "type-only" for kind in call.kinds)
    }
    touched |= {
        a.module
        for a in accesses
        if a.table in moving
        and a.module not in service
        and a.kind != "define"
        and a.component != ROOT_COMPONENT
    }
    return Effort(
        service_modules=len(sheet.modules),
        service_lines=sum(lines.get(m, 0) for m in sheet.modules),
        monolith_modules=tuple(sorted(touched)),
        monolith_lines=sum(lines.get(m, 0) for m in touched),
        tests=tuple(sorted({(t.path, t.module): t for t in tests if t.module in service}.values())),
        migrations=_migrations(sheet),
        cascades=tuple(a for a in sheet.relations if a.location in cascades),
    )


def _migrations(sheet: ExtractionSheet) -> tuple[MigrationStep, ...]:
    service = set(sheet.modules)
    steps: list[MigrationStep] = []
    for table in sheet.tables:
        todo = [f"create {table.table} in the service's database and copy its rows"]
        for relation in sheet.relations:
            if relation.table == table.table and relation.module not in service:
                todo.append(
                    f"{relation.scope or relation.module}.{relation.detail} -> {table.table}: "
                    "a plain id column, the foreign key constraint dropped"
                )
        writers = sorted({u.component for u in table.users if u.writes})
        readers = sorted({u.component for u in table.users if u.reads or u.raw_sql} - set(writers))
        if writers:
            todo.append(
                "dual-write or CDC window while " + ", ".join(writers) + " still write it, "
                "until they call the service"
            )
        if readers:
            todo.append(
                "a read replica (CDC) or API calls for " + ", ".join(readers) + ", which read it"
            )
        todo.append("backfill, verify the copy, switch reads, drop the monolith's table")
        steps.append(MigrationStep(table.table, tuple(todo)))
    staying: dict[str, list[str]] = {}
    moving = {t.table for t in sheet.tables}
    for relation in sheet.relations:
        if relation.module in service and relation.table not in moving:
            staying.setdefault(relation.table, []).append(
                f"{relation.scope or relation.module}.{relation.detail} -> {relation.table} "
                "(stays in the monolith): a plain id column, the constraint dropped; the "
                "service asks the monolith for the row"
            )
    steps.extend(MigrationStep(table, tuple(todo)) for table, todo in staying.items())
    return tuple(steps)


def _sync_calls(calls: Iterable[NetworkCall]) -> tuple[int, int]:
    inbound = outbound = 0
    for call in calls:
        count = sum(kind == "call" for kind in call.kinds)
        if call.inbound:
            inbound += count
        else:
            outbound += count
    return inbound, outbound


def suggest(
    analysis: Analysis, component: str, service: set[str], kinds: SiteKinds
) -> Suggestion | None:
    """The ``--with`` set that lowers the synchronous calls across the boundary most."""

    of = analysis.components.component_of

    def count(modules: set[str]) -> tuple[int, int]:
        calls = calls_across(analysis.imports, analysis.imported_names, modules, of, kinds)
        return _sync_calls(calls)

    into: Counter[str] = Counter()
    elsewhere: Counter[str] = Counter()
    for edge in analysis.imports:
        if edge.importer in service or of(edge.importer) == component:
            continue
        if edge.imported in service:
            into[edge.importer] += 1
        elif of(edge.imported) not in (of(edge.importer), ROOT_COMPONENT):
            elsewhere[edge.importer] += 1
    # A layer named after the component (graphql.<app>.*) is tried whole: its modules
    # import one another, so one alone rarely lowers anything.
    anchors = app_anchors(analysis, analysis.components.of_module)
    layer = frozenset(m for m, app in anchors.items() if app == component and m not in service)
    units: list[frozenset[str]] = [layer] if layer else []
    units += [
        frozenset({m})
        for m in sorted(into)
        if m not in layer
        and ADAPTER_PARTS.intersection(m.split(".")[1:])
        and into[m] > elsewhere[m]
    ]
    if not units:
        return None
    # The cost lowered is the synchronous calls *into* the service (the other teams'
    # changes); what the adapters call in turn is shown beside it.
    before = count(service)
    gains = sorted(
        ((before[0] - count(service | unit)[0], sorted(unit), unit) for unit in units),
        key=lambda g: (-g[0], g[1]),
    )
    chosen: set[str] = set()
    current = before
    for gain, _, unit in gains[:_MAX_SUGGESTED]:
        if gain <= 0:
            break
        trial = count(service | chosen | unit)
        if trial[0] < current[0]:
            chosen |= unit
            current = trial
    if not chosen:
        return None
    # ``--with a.b`` takes a.b and below: name only the topmost of each chosen package.
    whole = {
        o
        for o in chosen
        if all(m in chosen for m in analysis.components.of_module if m.startswith(o + "."))
    }
    flags = sorted(m for m in chosen if not any(m.startswith(o + ".") for o in whole))
    return Suggestion(tuple(flags), before[0], current[0], before[1], current[1])
