"""SF2xx: data ownership across component boundaries."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator

from seamfinder.analysis.data import (
    ForeignAccess,
    foreign_accesses,
    model_uses,
    owners_by_table,
    transaction_owners,
    writers_by_table,
)
from seamfinder.analysis.state import Analysis
from seamfinder.core.model import ROOT_COMPONENT, DataAccess, Finding, Location, Severity
from seamfinder.rules.registry import RuleContext, rule


def _once_per_site(found: Iterable[ForeignAccess]) -> list[ForeignAccess]:
    """One finding per (file, line, table): a chain reaching a table twice is one site."""

    seen: dict[tuple[str, int, str], ForeignAccess] = {}
    for item in found:
        loc = item.access.location
        seen.setdefault((loc.path, loc.line, item.access.table), item)
    return [seen[key] for key in sorted(seen)]


def _where(access: DataAccess) -> str:
    return f"{access.module}:{access.scope}" if access.scope else access.module


def _subjects(access: DataAccess) -> tuple[str, ...]:
    return (access.component, access.module, access.scope, access.table)


def _crossing(
    ctx: RuleContext, item: ForeignAccess, message: str, subjects: tuple[str, ...] = ()
) -> Finding:
    """A finding at the access, from its component to the table's owner."""

    access = item.access
    return ctx.finding(
        message,
        access.location,
        subjects or _subjects(access),
        source_component=access.component,
        target_component=item.owner,
    )


@rule(
    "SF201",
    "cross-boundary-write",
    Severity.ERROR,
    "A component writes a table that another component owns.",
)
def cross_boundary_write(analysis: Analysis, ctx: RuleContext) -> Iterator[Finding]:
    owners = owners_by_table(analysis.tables)
    for item in _once_per_site(
        foreign_accesses(analysis.data_access, owners, frozenset({"write"}))
    ):
        access = item.access
        yield _crossing(
            ctx,
            item,
            f"{access.component} writes {access.table}, owned by {item.owner} "
            f"({access.via}, in {_where(access)})",
        )


@rule(
    "SF202",
    "cross-boundary-read",
    Severity.WARNING,
    "A component reads a table that another component owns.",
)
def cross_boundary_read(analysis: Analysis, ctx: RuleContext) -> Iterator[Finding]:
    owners = owners_by_table(analysis.tables)
    written = {
        (a.location.path, a.location.line, a.table)
        for a in analysis.data_access
        if a.kind == "write"
    }
    reads = [
        item
        for item in foreign_accesses(analysis.data_access, owners, frozenset({"read"}))
        if (item.access.location.path, item.access.location.line, item.access.table) not in written
    ]
    for item in _once_per_site(reads):
        access = item.access
        yield _crossing(
            ctx,
            item,
            f"{access.component} reads {access.table}, owned by {item.owner} "
            f"({access.via}, in {_where(access)})",
        )


@rule(
    "SF203",
    "cross-boundary-relation",
    Severity.WARNING,
    "A foreign key or relationship points into a table that another component owns.",
)
def cross_boundary_relation(analysis: Analysis, ctx: RuleContext) -> Iterator[Finding]:
    owners = owners_by_table(analysis.tables)
    found = (
        item
        for item in foreign_accesses(analysis.data_access, owners, frozenset({"relation"}))
        # A GenericRelation adds no column and no constraint to either table: the generic
        # key lives on the other side and points at every model alike.
        if item.access.via != "generic-relation"
    )
    for item in _once_per_site(found):
        access = item.access
        yield _crossing(
            ctx,
            item,
            f"{access.scope or access.module}.{access.detail} ({access.via}) in "
            f"{access.component} points at {access.table}, owned by {item.owner}",
            (access.component, access.module, access.scope, access.detail, access.table),
        )


@rule(
    "SF204",
    "cross-boundary-raw-sql",
    Severity.ERROR,
    "Raw SQL in one component queries a table that another component owns.",
)
def cross_boundary_raw_sql(analysis: Analysis, ctx: RuleContext) -> Iterator[Finding]:
    owners = owners_by_table(analysis.tables)
    found = foreign_accesses(analysis.data_access, owners, frozenset({"raw-sql"}))
    for item in _once_per_site(found):
        access = item.access
        yield _crossing(
            ctx,
            item,
            f"raw SQL in {_where(access)} ({access.via}) {access.detail}s {access.table}, "
            f"owned by {item.owner}",
        )


@rule(
    "SF205",
    "shared-table-writes",
    Severity.WARNING,
    "A table is written by more than one component: shared persistence.",
)
def shared_table_writes(analysis: Analysis, ctx: RuleContext) -> Iterator[Finding]:
    owners = owners_by_table(analysis.tables)
    definitions = {
        m.table: m for m in sorted(analysis.models, key=lambda m: (m.abstract, m.location))
    }
    for table, writers in sorted(writers_by_table(analysis.data_access).items()):
        info = owners.get(table)
        definition = definitions.get(table)
        if len(writers) < 2 or info is None or info.owner is None or info.shared or info.layer:
            continue
        if definition is None:
            continue
        yield ctx.finding(
            f"{table} (owned by {info.owner}) is written by {len(writers)} components: "
            f"{', '.join(sorted(writers))}",
            definition.location,
            (table,),
            source_component=info.owner,
        )


@rule(
    "SF206",
    "cross-component-transaction",
    Severity.WARNING,
    "A transaction writes tables of several components: splitting them needs a saga.",
)
def cross_component_transaction(analysis: Analysis, ctx: RuleContext) -> Iterator[Finding]:
    owners = owners_by_table(analysis.tables)
    for transaction in analysis.transactions:
        involved = transaction_owners(transaction, owners)
        if len(involved) < 2:
            continue
        tables = sorted({w.table for w in transaction.writes})
        where = (
            f"{transaction.module}:{transaction.scope}" if transaction.scope else transaction.module
        )
        yield ctx.finding(
            f"transaction ({transaction.kind}) in {where} writes tables of "
            f"{len(involved)} components ({', '.join(involved)}): {', '.join(tables)}",
            transaction.location,
            (transaction.module, transaction.scope, transaction.kind),
            source_component=transaction.component,
            target_component=next((o for o in involved if o != transaction.component), None),
            related=tuple(sorted({w.location for w in transaction.writes})),
        )


@rule(
    "SF207",
    "shared-model-layer",
    Severity.WARNING,
    "A component of models only, whose tables many components use: ownership is unknown.",
)
def shared_model_layer(analysis: Analysis, ctx: RuleContext) -> Iterator[Finding]:
    tables: dict[str, set[str]] = defaultdict(set)
    for info in analysis.tables:
        if info.layer and info.owner is not None:
            tables[info.owner].add(info.table)
    users: dict[str, set[str]] = defaultdict(set)
    owner_of = {table: owner for owner, names in tables.items() for table in names}
    for access in analysis.data_access:
        owner = owner_of.get(access.table)
        if owner is not None and access.kind != "define" and access.component != owner:
            users[owner].add(access.component)
    modules = {c.name: c.modules for c in analysis.components.components}
    for owner in sorted(tables):
        path = next(
            (p for m in modules.get(owner, ()) if (p := analysis.module_path(m)) is not None), None
        )
        others = sorted(users[owner] - {ROOT_COMPONENT})
        yield ctx.finding(
            f"{owner} defines {len(tables[owner])} tables and nothing else, and "
            f"{len(others)} components use them ({', '.join(others[:5])}"
            f"{' and more' if len(others) > 5 else ''}): a shared model layer, so reads and "
            "writes across components cannot be judged; declare the owning component of each "
            "table in [tool.seamfinder.tables] owners",
            Location(path, 1, 1) if path else None,
            (owner,),
            source_component=owner,
        )


@rule(
    "SF208",
    "cross-boundary-model-use",
    Severity.INFO,
    "A component names another component's model class without querying its table.",
)
def cross_boundary_model_use(analysis: Analysis, ctx: RuleContext) -> Iterator[Finding]:
    owners = owners_by_table(analysis.tables)
    for group in model_uses(analysis.data_access, owners):
        first, *others = group.sites
        names = ", ".join(group.names)
        yield ctx.finding(
            f"{group.component} uses {names} ({group.table}, owned by {group.owner}) without "
            f"querying it: {len(group.sites)} site{'s' if len(group.sites) != 1 else ''} "
            f"({', '.join(group.vias)}), first in {_where(first)}",
            first.location,
            (group.component, group.table),
            source_component=group.component,
            target_component=group.owner,
            related=tuple(site.location for site in others),
        )
