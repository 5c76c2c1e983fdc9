"""Resolve every file's symbolic data facts into models, tables and accesses.

Which classes are models is :mod:`seamfinder.resolve.orm_models`'s answer; this module
builds on it who owns each table (the component that defines it, unless configuration
says; Django's own join tables of many-to-many fields go with the model declaring them)
and what every access, related manager, relation, lookup path, raw SQL statement and
transaction touches. Imports of a model and ``get_model`` loads are *uses* of its class,
not reads.

What is not followed is listed in the rule pages (rules/SF2xx.md).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from seamfinder.collect.facts import (
    AccessFact,
    FileFacts,
    RelationFact,
    Target,
    TransactionFact,
)
from seamfinder.config.settings import TablesConfig
from seamfinder.core.model import DataAccess, Location, ModelDef, TableOwner, Transaction
from seamfinder.resolve.orm_models import (
    DEFAULT_MANAGERS,
    ModelResolver,
    ResolvedModel,
    core_table_name,
    django_model_modules,
)

__all__ = ["DataGraph", "access_key", "django_model_modules", "resolve_data"]

# A many-to-many manager's own writes (rows of the through table).
_M2M_WRITES = frozenset({"add", "remove", "set", "clear", "aadd", "aremove", "aset", "aclear"})
# Lookups of a relation that compare its key column and join nothing.
_KEY_LOOKUPS = frozenset(
    {"in", "exact", "iexact", "isnull", "pk", "id", "gt", "gte", "lt", "lte", "range", "ne"}
)
# Methods and expressions that join a relation named alone (``select_related("customer")``,
# ``Count("lines")``).
_JOINING_METHODS = frozenset(
    {
        "select_related",
        "prefetch_related",
        "Prefetch",
        "FilteredRelation",
        "Count",
        "Sum",
        "Avg",
        "Min",
        "Max",
        "StdDev",
        "Variance",
        "ArrayAgg",
        "StringAgg",
        "JSONBAgg",
    }
)
# Methods of one related object (``order.customer.save()``), not of a manager.
_OBJECT_METHODS = frozenset({"save", "delete", "asave", "adelete"})


@dataclass(frozen=True, slots=True)
class DataGraph:
    models: tuple[ModelDef, ...]
    accesses: tuple[DataAccess, ...]
    transactions: tuple[Transaction, ...]
    tables: tuple[TableOwner, ...]


def resolve_data(
    files: Iterable[FileFacts],
    component_of: Callable[[str], str],
    app_label_of: Callable[[str], str | None],
    tables_config: TablesConfig,
) -> DataGraph:
    resolver = ModelResolver(files, component_of, app_label_of)
    models = resolver.all_models()
    definitions = _definitions(resolver, models)
    through = _auto_through_tables(resolver)
    tables = _ownership(definitions, tables_config, through)
    builder = _AccessBuilder(resolver, component_of, [*(d.table for d in definitions), *through])
    for facts in sorted(resolver.files.values(), key=lambda f: f.path):
        builder.file(facts)
    for m in models:
        if m.table and m.framework:
            builder.model(m)
    return DataGraph(
        models=tuple(sorted(definitions)),
        accesses=tuple(sorted(set(builder.accesses), key=access_key)),
        transactions=tuple(sorted(builder.transactions, key=lambda t: t.location)),
        tables=tables,
    )


def access_key(
    access: DataAccess,
) -> tuple[str, int, int, str, str, str, str, str, str, str]:
    """A total order: inherited fields share their model's path, line and column, so the
    field (``detail``), module and scope must break ties, or a set's order would leak."""

    loc = access.location
    return (
        loc.path,
        loc.line,
        loc.column,
        access.table,
        access.kind,
        access.via,
        access.detail,
        access.module,
        access.scope,
        access.component,
    )


def _definitions(resolver: ModelResolver, models: list[ResolvedModel]) -> list[ModelDef]:
    found: list[ModelDef] = []
    for m in models:
        if not m.framework or not m.table:
            continue
        found.append(
            ModelDef(
                qualname=m.name,
                table=m.table,
                component=resolver.component_of(m.facts.module),
                location=Location(m.facts.path, m.cls.line, m.cls.column),
                framework=m.framework,
                abstract=not m.primary,  # proxies and single-table children own no table
            )
        )
    for facts in resolver.files.values():
        for table in facts.tables:
            if table.name and table.variable != "__table__":
                found.append(
                    ModelDef(
                        qualname=f"{facts.module}:{table.name}",
                        table=core_table_name(table),
                        component=resolver.component_of(facts.module),
                        location=Location(facts.path, table.line, table.column),
                        framework="sqlalchemy-core",
                    )
                )
    return found


def _ownership(
    definitions: list[ModelDef], config: TablesConfig, through: dict[str, str]
) -> tuple[TableOwner, ...]:
    declared = dict(config.owners)
    shared = set(config.shared)
    owners: dict[str, str] = {}
    # Only the model that defines a table owns it: a proxy of another component's model (or
    # of Django's ContentType) and a single-table child map to a table they do not own.
    for definition in sorted(definitions, key=lambda d: d.location):
        if not definition.abstract:
            owners.setdefault(definition.table, definition.component)
    for table, component in sorted(through.items()):  # a join table Django makes itself
        owners.setdefault(table, component)
    names = sorted(set(owners) | set(declared) | shared)
    return tuple(
        TableOwner(
            table=name,
            owner=declared.get(name, owners.get(name)),
            shared=name in shared,
            declared=name in declared,
        )
        for name in names
    )


class _AccessBuilder:
    """Turns each file's facts into :class:`DataAccess` and :class:`Transaction` values."""

    def __init__(
        self, resolver: ModelResolver, component_of: Callable[[str], str], known: Iterable[str]
    ) -> None:
        self.resolver = resolver
        self.component_of = component_of
        self.accesses: list[DataAccess] = []
        self.transactions: list[Transaction] = []
        self.known = frozenset(known)
        by_bare: dict[str, list[str]] = defaultdict(list)
        for name in sorted(self.known):
            if "." in name:
                by_bare[name.rpartition(".")[2]].append(name)
        self.by_bare = dict(by_bare)

    def _known(self, table: str) -> str:
        """A table as the project defines it: ``public.orders`` is ``orders`` when only that
        exists, ``contributions`` is ``events.contributions`` when no other schema has one."""

        if table in self.known:
            return table
        if "." in table:
            bare = table.rpartition(".")[2]
            return bare if bare in self.known else table
        qualified = self.by_bare.get(table, ())
        return qualified[0] if len(qualified) == 1 else table

    def _add(
        self,
        facts: FileFacts,
        table: str,
        kind: str,
        line: int,
        column: int,
        scope: str,
        via: str,
        detail: str = "",
    ) -> DataAccess:
        access = DataAccess(
            module=facts.module,
            table=self._known(table),
            kind=kind,  # type: ignore[arg-type]
            location=Location(facts.path, line, column),
            component=self.component_of(facts.module),
            scope=scope,
            via=via,
            detail=detail,
        )
        self.accesses.append(access)
        return access

    def model(self, m: ResolvedModel) -> None:
        """The definition of a model's table, and its relations (inherited ones included)."""

        facts = m.facts
        if m.primary and m.table:
            self._add(facts, m.table, "define", m.cls.line, m.cls.column, "", "model", m.name)
        for relation, declarer in m.relations:
            for target, via in ((relation.target, relation.kind), (relation.through, "through")):
                if target is None:
                    continue
                table = self.resolver.target_table(target, m, facts.module)
                if table is None or (table == m.table and via != "through"):
                    continue
                source = declarer.facts
                self._add(
                    source if declarer is m else facts,
                    table,
                    "relation",
                    relation.line if declarer is m else m.cls.line,
                    relation.column if declarer is m else m.cls.column,
                    m.cls.qualname,
                    via,
                    relation.field,
                )
        for parent in m.parents:
            # Multi-table inheritance: the child's table has a key into the parent's.
            if m.framework == "django" and m.primary and parent.primary and parent.table:
                self._add(
                    facts,
                    parent.table,
                    "relation",
                    m.cls.line,
                    m.cls.column,
                    m.cls.qualname,
                    "inheritance",
                    parent.name,
                )

    def file(self, facts: FileFacts) -> None:
        self._uses(facts)
        resolved: dict[int, DataAccess] = {}
        for index, access in enumerate(facts.accesses):
            result = self._access(facts, access)
            if result is not None:
                resolved[index] = result
        for lookup in facts.lookups:
            self._lookup(
                facts,
                lookup.target,
                lookup.path,
                lookup.method,
                lookup.scope,
                lookup.line,
                lookup.column,
            )
        raw_accesses = self._raw_sql(facts)
        self._core_relations(facts)
        for transaction in facts.transactions:
            self._transaction(facts, transaction, resolved, raw_accesses)

    def _uses(self, facts: FileFacts) -> None:
        """Imports of a model and ``get_model`` loaders: uses of its class, not reads."""

        resolver = self.resolver
        module = facts.module
        for imported in facts.imports:
            found = resolver.target_model(Target("ref", imported.target), None, module)
            if found is not None and found.table and found.framework:
                self._add(
                    facts,
                    found.table,
                    "use",
                    imported.line,
                    imported.column,
                    imported.scope,
                    "import",
                    imported.name,
                )
        for loader in facts.loaders:
            found = resolver.by_label(loader.label, None, module)
            if found is not None and found.table:
                self._add(
                    facts,
                    found.table,
                    "use",
                    loader.line,
                    loader.column,
                    loader.scope,
                    "get_model",
                    loader.label,
                )
        for use in facts.class_uses:  # ``Identity.identifier``, ``Role.get(id)``
            found = resolver.target_model(use.target, None, module)
            if found is not None and found.table and found.framework:
                self._add(
                    facts,
                    found.table,
                    "use",
                    use.line,
                    use.column,
                    use.scope,
                    "attribute",
                    use.attr,
                )

    def _raw_sql(self, facts: FileFacts) -> dict[int, list[DataAccess]]:
        raw_accesses: dict[int, list[DataAccess]] = defaultdict(list)
        for index, raw in enumerate(facts.raw_sql):
            named = [(t.name, t.access) for t in raw.tables]
            for hole in raw.models:  # f"... FROM {Order._meta.db_table}"
                found = self.resolver.target_model(hole.target, None, facts.module)
                if found is not None and found.table and found.framework:
                    named.append((found.table, hole.access))
            for table, access in named:
                raw_accesses[index].append(
                    self._add(
                        facts, table, "raw-sql", raw.line, raw.column, raw.scope, raw.via, access
                    )
                )
        return raw_accesses

    def _core_relations(self, facts: FileFacts) -> None:
        for table in facts.tables:
            for relation in table.relations:
                if relation.target is None:
                    continue
                target = self.resolver.target_table(relation.target, None, facts.module)
                if target is not None and self._known(target) != core_table_name(table):
                    self._add(
                        facts,
                        target,
                        "relation",
                        relation.line,
                        relation.column,
                        table.scope,
                        relation.kind,
                        f"{table.name}.{relation.field}",
                    )

    def _transaction(
        self,
        facts: FileFacts,
        transaction: TransactionFact,
        resolved: dict[int, DataAccess],
        raw_accesses: dict[int, list[DataAccess]],
    ) -> None:
        kind = transaction.kind
        if kind == "wrapper":
            # ``with traced_atomic():``: a transaction when the project function enters atomic
            if not self.resolver.is_atomic_wrapper(transaction.callee):
                return
            kind = "atomic"
        writes = [resolved[i] for i in transaction.writes if i in resolved]
        writes += [
            a
            for i in transaction.raw_writes
            for a in raw_accesses.get(i, [])
            if a.detail == "write"
        ]
        for call in transaction.calls:
            writes += self._writes_of(call)
        module = facts.module
        self.transactions.append(
            Transaction(
                module=module,
                component=self.component_of(module),
                location=Location(facts.path, transaction.line, transaction.column),
                scope=transaction.scope,
                kind=kind,
                writes=tuple(sorted(set(writes), key=access_key)),
            )
        )

    def _access(self, facts: FileFacts, access: AccessFact) -> DataAccess | None:
        resolver = self.resolver
        if access.idiom == "related":
            return self._related(facts, access)
        via_meta = access.idiom in ("instance", "construct")  # form.save()
        found = resolver.target_model(access.target, None, facts.module, via_meta=via_meta)
        if found is None:
            table = resolver.target_table(access.target, None, facts.module)
            if table is None or access.idiom not in ("statement", "table-method", "session"):
                return None
            return self._add(
                facts,
                table,
                access.kind,
                access.line,
                access.column,
                access.scope,
                f"{access.idiom}.{access.method}",
            )
        if not found.framework or not found.table:
            return None
        if (
            access.idiom == "manager"
            and found.framework == "django"
            and access.manager not in DEFAULT_MANAGERS
            and access.manager not in found.managers
        ):
            return None
        if access.idiom == "instance-setattr" and found.framework == "django":
            return None  # Django writes on save(), recorded separately
        return self._add(
            facts,
            found.table,
            access.kind,
            access.line,
            access.column,
            access.scope,
            f"{access.idiom}.{access.method}",
            access.method,
        )

    def _related(self, facts: FileFacts, access: AccessFact) -> DataAccess | None:
        """``order.lines.filter()``, ``cart.payments.update()``, ``product.tags.add(t)``."""

        resolver = self.resolver
        owner = resolver.target_model(access.target, None, facts.module)
        if owner is None or owner.framework != "django" or not owner.table:
            return None
        reached = resolver.related(owner, access.manager)
        if reached is None:
            return None
        relation, declarer, other, forward = reached
        if forward:
            declarer = owner  # an inherited field's join table is named after the child
        many = relation.kind == "many-to-many" or (not forward and relation.kind == "foreign-key")
        if (access.method in _OBJECT_METHODS) == many:
            return None  # ``order.lines.save()`` or ``order.customer.filter()``: not Django
        if access.method in _M2M_WRITES and relation.kind == "many-to-many":
            table = self._through_table(relation, declarer)
        else:
            table = other.table if other is not None else None
        if table is None:
            return None
        return self._add(
            facts,
            table,
            access.kind,
            access.line,
            access.column,
            access.scope,
            f"related.{access.method}",
            access.manager,
        )

    def _through_table(self, relation: RelationFact, declarer: ResolvedModel) -> str | None:
        if relation.through is not None:
            return self.resolver.target_table(relation.through, declarer, declarer.facts.module)
        return f"{declarer.table}_{relation.field.lower()}" if declarer.table else None

    def _lookup(
        self,
        facts: FileFacts,
        target: Target,
        path: str,
        method: str,
        scope: str,
        line: int,
        column: int,
    ) -> None:
        """Walk ``a__b__c`` through relations; every table reached is read.

        A relation compared by its key (``customer=c``, ``customer__in=ids``,
        ``customer__pk=1``, ``customer__isnull=True``) reads only the key column of the
        table the lookup starts from, not the related table: that is reached only when the
        path goes on to one of its fields, or when the method joins it (``select_related``,
        aggregates, ``Prefetch``).
        """

        current = self.resolver.target_model(target, None, facts.module)
        segments = path.split("__")
        for index, segment in enumerate(segments):
            if current is None:
                return
            following_segment = segments[index + 1] if index + 1 < len(segments) else None
            if method not in _JOINING_METHODS and (
                following_segment is None or following_segment in _KEY_LOOKUPS
            ):
                return
            relation = next((r for r, _ in current.relations if r.field == segment), None)
            if relation is None or relation.target is None:
                return
            following = self.resolver.target_model(relation.target, current, current.facts.module)
            table = (
                following.table
                if following is not None
                else self.resolver.target_table(relation.target, current, current.facts.module)
            )
            if table is None:
                return
            self._add(facts, table, "read", line, column, scope, f"lookup.{method}", path)
            current = following

    def _writes_of(self, call: str) -> list[DataAccess]:
        """Writes of a function of the project, named ``pkg.module.func`` (one level)."""

        parts = call.split(".")
        for end in range(len(parts) - 1, 0, -1):
            module = ".".join(parts[:end])
            facts = self.resolver.files.get(module)
            if facts is None:
                continue
            scope = ".".join(parts[end:])
            return [
                a
                for a in self.accesses
                if a.module == module
                and a.kind == "write"
                and (a.scope == scope or a.scope.startswith(scope + "."))
            ]
        return []


def _auto_through_tables(resolver: ModelResolver) -> dict[str, str]:
    """Django's own join tables of many-to-many fields without ``through``:
    ``<model table>_<field>``, owned by the declaring model's component."""

    found: dict[str, str] = {}
    for m in resolver.all_models():
        if m.framework != "django" or not m.primary or not m.table:
            continue
        for relation, _declarer in m.relations:
            if relation.kind == "many-to-many" and relation.through is None:
                found[f"{m.table}_{relation.field.lower()}"] = resolver.component_of(m.facts.module)
    return found
