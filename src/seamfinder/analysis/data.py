"""Data ownership across component boundaries: pure functions over the data-access graph."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass

from seamfinder.model import ROOT_COMPONENT, DataAccess, TableOwner, TableUse, Transaction


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
    if info is None or info.owner is None or info.shared:
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
        if info is not None and info.owner is not None and not info.shared:
            found.add(info.owner)
    return tuple(sorted(found))


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
            )
        )
    return tuple(rows)
