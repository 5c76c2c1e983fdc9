"""Data ownership across component boundaries: pure functions over the data-access graph."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace

from seamfinder.core.model import (
    ROOT_COMPONENT,
    Component,
    CrossingTable,
    DataAccess,
    DataFindingGroup,
    Finding,
    OwnershipRow,
    TableOwner,
    TableUse,
    Transaction,
)


@dataclass(frozen=True, slots=True)
class ForeignAccess:
    """An access to a table owned by another component."""

    access: DataAccess
    owner: str


def owners_by_table(tables: Iterable[TableOwner]) -> dict[str, TableOwner]:
    return {t.table: t for t in tables}


def owner_elsewhere(access: DataAccess, owners: Mapping[str, TableOwner]) -> str | None:
    """The owning component when ``access`` crosses a boundary, else None.

    Not a crossing: a table nobody in the project owns (django.contrib's, another
    service's), a table declared shared, and anything in the root bucket, which is not a
    component and so has no boundary to cross.
    """

    info = owners.get(access.table)
    if info is None or info.owner is None or info.shared or info.layer:
        return None
    if access.component in (ROOT_COMPONENT, info.owner):
        return None
    return info.owner


def foreign_accesses(
    accesses: Iterable[DataAccess], owners: Mapping[str, TableOwner], kinds: frozenset[str]
) -> Iterator[ForeignAccess]:
    for access in accesses:
        if access.kind in kinds:
            owner = owner_elsewhere(access, owners)
            if owner is not None:
                yield ForeignAccess(access, owner)


@dataclass(frozen=True, slots=True)
class ModelUse:
    """Where one component names another's model class and never queries its table."""

    component: str
    table: str
    owner: str
    names: tuple[str, ...]  # the names it goes by (``Order``, ``orders.Order``), sorted
    vias: tuple[str, ...]  # import, get_model; sorted
    sites: tuple[DataAccess, ...]  # in location order


def model_uses(
    accesses: Sequence[DataAccess], owners: Mapping[str, TableOwner]
) -> tuple[ModelUse, ...]:
    """Schema coupling without data access: one group per (component, table) of the uses
    (imports, ``get_model``) of a foreign model in a component that never reads, writes,
    relates to or raw-queries its table; a component that does is reported for that."""

    # An attribute of the class (``Identity.identifier == x``, ``Role.get(id)``) is query
    # code more often than not: such a component is not said to leave the table alone.
    touched = {
        (a.component, a.table)
        for a in accesses
        if a.kind in ("read", "write", "relation", "raw-sql") or a.via == "attribute"
    }
    groups: dict[tuple[str, str], list[DataAccess]] = defaultdict(list)
    found_owner: dict[str, str] = {}
    for item in foreign_accesses(accesses, owners, frozenset({"use"})):
        access = item.access
        if (access.component, access.table) not in touched:
            groups[(access.component, access.table)].append(access)
            found_owner[access.table] = item.owner
    return tuple(
        ModelUse(
            component,
            table,
            found_owner[table],
            tuple(sorted({s.detail for s in sites})),
            tuple(sorted({s.via for s in sites})),
            tuple(sorted(set(sites), key=lambda s: (s.location, s.module, s.scope))),
        )
        for (component, table), sites in sorted(groups.items())
    )


@dataclass(frozen=True, slots=True)
class ModelLayer:
    """A component that only defines models, whose tables many components use."""

    component: str
    tables: tuple[str, ...]
    users: tuple[str, ...]  # the other components that touch its tables


def model_layers(
    components: Iterable[Component], tables: Iterable[TableOwner], accesses: Iterable[DataAccess]
) -> tuple[ModelLayer, ...]:
    """Components made of models modules only, whose tables two or more others touch.

    Layered applications keep every model in one ``models`` package (CTFd, most Flask
    apps): by definition it "owns" every table, and every other component "reaches
    into" it. That is a layer, not a domain boundary; reporting each access would bury
    everything else. Tables whose owner is declared in configuration are not counted.
    """

    owned: dict[str, list[str]] = defaultdict(list)
    for table in tables:
        if table.owner is not None and not table.declared and not table.shared:
            owned[table.owner].append(table.table)
    users: dict[str, set[str]] = defaultdict(set)
    owner_of = {t: c for c, names in owned.items() for t in names}
    for access in accesses:
        owner = owner_of.get(access.table)
        if (
            owner is not None
            and access.kind != "define"
            and access.via != "attribute"
            and access.component
            not in (
                owner,
                ROOT_COMPONENT,
            )
        ):
            users[owner].add(access.component)
    found = []
    for component in components:
        name = component.name
        if name == ROOT_COMPONENT or len(owned.get(name, ())) < 2 or len(users[name]) < 2:
            continue
        if all(_is_models_module(module) for module in component.modules):
            found.append(ModelLayer(name, tuple(sorted(owned[name])), tuple(sorted(users[name]))))
    return tuple(found)


def _is_models_module(module: str) -> bool:
    parts = module.split(".")
    return parts[-1] == "models" or "models" in parts[:-1]


def without_layer_ownership(
    tables: Iterable[TableOwner], layers: Iterable[ModelLayer]
) -> tuple[TableOwner, ...]:
    in_layer = {table for layer in layers for table in layer.tables}
    return tuple(replace(t, layer=True) if t.table in in_layer else t for t in tables)


def writers_by_table(accesses: Iterable[DataAccess]) -> dict[str, set[str]]:
    """Components (the root bucket aside) that write each table through the ORM."""

    writers: dict[str, set[str]] = defaultdict(set)
    for access in accesses:
        if access.kind == "write" and access.component != ROOT_COMPONENT:
            writers[access.table].add(access.component)
    return writers


def transaction_owners(
    transaction: Transaction, owners: Mapping[str, TableOwner]
) -> tuple[str, ...]:
    """The components owning the tables a transaction writes (sorted)."""

    found = set()
    for write in transaction.writes:
        info = owners.get(write.table)
        if info is not None and info.owner is not None and not info.shared and not info.layer:
            found.add(info.owner)
    return tuple(sorted(found))


#: Data rules whose findings are about one component and one foreign table (their last
#: subject); the terminal report counts them per pair instead of listing every site.
PER_TABLE_CODES = frozenset({"SF201", "SF202", "SF203", "SF204", "SF208"})


def group_data_findings(findings: Iterable[Finding]) -> tuple[DataFindingGroup, ...]:
    """Per (source component, table): how many findings of each per-table data rule."""

    counts: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    owners: dict[tuple[str, str], str | None] = {}
    for finding in findings:
        if finding.code not in PER_TABLE_CODES or not finding.subjects:
            continue
        key = (finding.source_component or "", finding.subjects[-1])
        counts[key][finding.code] += 1
        owners[key] = finding.target_component
    groups = [
        DataFindingGroup(component, table, owners[(component, table)], tuple(sorted(c.items())))
        for (component, table), c in counts.items()
    ]
    return tuple(sorted(groups, key=lambda g: (-g.total, g.component, g.table)))


def data_matrix(
    accesses: Sequence[DataAccess], owners: Mapping[str, TableOwner]
) -> tuple[TableUse, ...]:
    """Component x table: how many sites define, read, write, relate to or raw-query it."""

    counts: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    for access in accesses:
        counts[(access.component, access.table)][access.kind] += 1
    rows = []
    for (component, table), kinds in sorted(counts.items()):
        info = owners.get(table)
        rows.append(
            TableUse(
                component=component,
                table=table,
                owner=info.owner if info else None,
                defines=kinds["define"],
                reads=kinds["read"],
                writes=kinds["write"],
                relations=kinds["relation"],
                raw_sql=kinds["raw-sql"],
                uses=kinds["use"],
            )
        )
    return tuple(rows)


def _used(use: TableUse) -> bool:
    return bool(use.writes or use.reads or use.relations or use.raw_sql)


def ownership_rows(
    components: Sequence[Component], matrix: Sequence[TableUse]
) -> tuple[OwnershipRow, ...]:
    """Per component (in report order): the tables it owns and the foreign ones it uses."""

    owned: dict[str, set[str]] = defaultdict(set)
    foreign: dict[str, set[str]] = defaultdict(set)
    for use in matrix:
        if use.owner == use.component:
            owned[use.component].add(use.table)
        elif use.owner is not None and _used(use):
            foreign[use.component].add(use.table)
    return tuple(
        OwnershipRow(c.name, len(owned[c.name]), tuple(sorted(foreign[c.name])))
        for c in components
        if owned[c.name] or foreign[c.name]
    )


def crossing_tables(
    matrix: Sequence[TableUse], tables: Sequence[TableOwner]
) -> tuple[CrossingTable, ...]:
    """Tables with an owner that other components use, shared tables left out."""

    shared = {t.table for t in tables if t.shared}
    by_table: dict[str, list[TableUse]] = defaultdict(list)
    for use in matrix:
        by_table[use.table].append(use)
    rows = []
    for name, uses in sorted(by_table.items()):
        owner = uses[0].owner
        others = tuple(u for u in uses if u.component != owner and _used(u))
        if owner is not None and others and name not in shared:
            rows.append(CrossingTable(name, owner, others))
    return tuple(rows)
