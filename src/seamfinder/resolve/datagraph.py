"""Resolve every file's symbolic data facts into models, tables and accesses.

The per-file pass records names (``shop.orders.models.Order``, ``"billing.Payment"``,
``ForeignKey("users.id")``) without knowing which of them are models: a model's base may
be defined in another file, a class may be re-exported by a package ``__init__``. This
module sees all files at once and decides:

* which classes are models, through their bases, whatever file defines those bases
  (Django models, SQLAlchemy declarative classes, Flask-SQLAlchemy ``db.Model``,
  SQLModel ``table=True``), and which table each maps to (``Meta.db_table`` or Django's
  ``<app_label>_<model>``; ``__tablename__``, ``__table__``, Flask-SQLAlchemy's and
  SQLModel's defaults; proxies, multi-table and single-table inheritance);
* who owns each table (the component that defines it, unless configuration says);
* what every access, relation, lookup path, raw SQL statement and transaction touches.

What is not followed is listed in the rule pages (rules/SF2xx.md).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from seamfinder.collect.facts import (
    AccessFact,
    ClassFact,
    DjangoMeta,
    FileFacts,
    RelationFact,
    TableFact,
    Target,
)
from seamfinder.config.settings import TablesConfig
from seamfinder.core.model import DataAccess, Location, ModelDef, TableOwner, Transaction

DJANGO_MODEL_BASES = frozenset(
    {
        "django.db.models.Model",
        "django.db.models.base.Model",
        "django.contrib.auth.models.AbstractUser",
        "django.contrib.auth.models.AbstractBaseUser",
        "django.contrib.auth.base_user.AbstractBaseUser",
        "django.contrib.auth.models.PermissionsMixin",
        "django.contrib.gis.db.models.Model",
    }
)
# Third-party abstract model bases: their subclasses are ordinary concrete models.
DJANGO_LIBRARY_PREFIXES = (
    "mptt.",
    "treebeard.",
    "polymorphic.",
    "model_utils.",
    "django_extensions.",
    "modelcluster.",
    "wagtail.",
    "taggit.",
    "ordered_model.",
    "safedelete.",
    "simple_history.",
    "netbox.",
)
SQLALCHEMY_BASES = frozenset(
    {
        "sqlalchemy.orm.DeclarativeBase",
        "sqlalchemy.orm.DeclarativeBaseNoMeta",
        "sqlalchemy.orm.decl_api.DeclarativeBase",
    }
)
SQLMODEL_BASE = "sqlmodel.SQLModel"
DEFAULT_MANAGERS = frozenset({"objects", "_default_manager", "_base_manager"})
EXTERNAL_USER_TABLE = "auth_user"
# What lives in a library's ``models`` module without being a model.
_NOT_MODELS = ("Manager", "QuerySet", "Field", "Descriptor", "Lookup", "Transform", "Expression")
# Tables of Django's own models, for proxies of them (``class ObjectType(ContentType)``).
EXTERNAL_TABLES = {
    "django.contrib.contenttypes.models.ContentType": "django_content_type",
    "django.contrib.auth.models.User": "auth_user",
    "django.contrib.auth.models.Group": "auth_group",
    "django.contrib.auth.models.Permission": "auth_permission",
    "django.contrib.sites.models.Site": "django_site",
}


@dataclass(frozen=True, slots=True)
class DataGraph:
    models: tuple[ModelDef, ...]
    accesses: tuple[DataAccess, ...]
    transactions: tuple[Transaction, ...]
    tables: tuple[TableOwner, ...]


@dataclass(slots=True)
class _Model:
    """What resolution learnt about one class (mutable while resolving, never exported)."""

    name: str  # canonical dotted name: module.Qualname
    facts: FileFacts
    cls: ClassFact
    framework: str = ""  # django, sqlalchemy, flask-sqlalchemy, sqlmodel; "" not a model
    table: str | None = None  # None for abstract models, bases and mixins
    primary: bool = False  # defines its table (not a proxy nor a single-table child)
    abstract: bool = False
    app_label: str | None = None
    meta: DjangoMeta | None = None  # effective Meta (inherited from abstract parents)
    parents: list[_Model] = field(default_factory=list)  # resolved model bases
    relations: list[tuple[RelationFact, _Model]] = field(default_factory=list)  # with declarer
    managers: set[str] = field(default_factory=set)


class _Resolver:
    def __init__(
        self,
        files: Iterable[FileFacts],
        component_of: Callable[[str], str],
        app_label_of: Callable[[str], str | None],
    ) -> None:
        self.files = {f.module: f for f in files}
        self.component_of = component_of
        self.app_label_of = app_label_of
        self.classes: dict[str, tuple[FileFacts, ClassFact]] = {}
        self.table_vars: dict[str, TableFact] = {}
        self.base_names: dict[str, str] = {}  # canonical name -> BaseFact kind
        self.imports: dict[str, dict[str, str]] = {}  # module -> module-level name -> target
        self.stars: dict[str, list[str]] = {}  # module -> star-imported modules
        for facts in self.files.values():
            names: dict[str, str] = {}
            stars: list[str] = []
            for imported in facts.imports:
                if imported.scope:
                    continue
                if imported.name == "*":
                    stars.append(imported.target[:-2])
                else:
                    names.setdefault(imported.name, imported.target)
            self.imports[facts.module] = names
            self.stars[facts.module] = stars
            for cls in facts.classes:
                self.classes[f"{facts.module}.{cls.qualname}"] = (facts, cls)
            for table in facts.tables:
                if table.variable and not table.scope:
                    self.table_vars[f"{facts.module}.{table.variable}"] = table
            for base in facts.bases:
                if not base.scope:
                    self.base_names[f"{facts.module}.{base.name}"] = base.kind
        self.models: dict[str, _Model] = {}
        self._resolving: set[str] = set()
        self._names: dict[str, str | None] = {}
        self._label_index: dict[tuple[str, str], _Model] | None = None
        self.auth_user_model = self._auth_user_model()

    # --- names -----------------------------------------------------------------------

    def canonical(self, dotted: str) -> str | None:
        """The definition a dotted name refers to, following re-exports; longest prefix."""

        if dotted in self._names:
            return self._names[dotted]
        self._names[dotted] = None  # guards against import loops
        result = self._canonical(dotted, 0)
        self._names[dotted] = result
        return result

    def _canonical(self, dotted: str, depth: int) -> str | None:
        if depth > 20:
            return None
        if dotted in self.classes or dotted in self.table_vars or dotted in self.base_names:
            return dotted
        parts = dotted.split(".")
        for end in range(len(parts) - 1, 0, -1):
            module = ".".join(parts[:end])
            if module not in self.files:
                continue
            name, rest = parts[end], parts[end + 1 :]
            # Nested classes first (Outer.Inner), then the longest class prefix.
            for stop in range(len(rest), -1, -1):
                candidate = ".".join([module, name, *rest[:stop]])
                if candidate in self.classes or candidate in self.table_vars:
                    return candidate
                if candidate in self.base_names:
                    return candidate
            target = self.imports[module].get(name)
            if target is not None:
                return self._canonical(".".join([target, *rest]), depth + 1)
            for star in self.stars[module]:
                found = self._canonical(".".join([star, name, *rest]), depth + 1)
                if found is not None:
                    return found
            return None
        return None

    # --- models ----------------------------------------------------------------------

    def model(self, name: str) -> _Model | None:
        """The resolved model for a canonical class name (None if it is not a class)."""

        if name in self.models:
            return self.models[name]
        if name not in self.classes or name in self._resolving:
            return None
        self._resolving.add(name)
        facts, cls = self.classes[name]
        found = _Model(name, facts, cls)
        self._classify(found)
        self._resolving.discard(name)
        self.models[name] = found
        return found

    def _classify(self, m: _Model) -> None:
        cls = m.cls
        external: list[str] = []
        for base in cls.bases:
            if not base:
                continue
            canonical = self.canonical(base)
            parent = self.model(canonical) if canonical and canonical in self.classes else None
            if parent is not None:
                m.parents.append(parent)
            elif canonical in self.base_names:
                external.append(self._base_kind(canonical, base))
            elif canonical is None:
                external.append(self._external_kind(base))
        frameworks = [p.framework for p in m.parents if p.framework] + [e for e in external if e]
        decorators = set(cls.decorators)
        if any(d.endswith(".mapped") or d.endswith("mapped_as_dataclass") for d in decorators):
            frameworks.append("sqlalchemy")
        if not frameworks:
            return
        if "sqlalchemy-declarative" in frameworks:
            # ``class Base(DeclarativeBase)`` defines the base models derive from.
            m.framework, m.abstract = "sqlalchemy", True
        else:
            m.framework = frameworks[0]
            if m.framework == "django":
                self._classify_django(m)
            else:
                self._classify_sqlalchemy(m)
        for parent in m.parents:
            m.managers |= parent.managers
            if parent.abstract or not parent.table:
                m.relations.extend(parent.relations)  # abstract fields are copied in
        m.managers |= {manager.name for manager in cls.managers}
        m.relations.extend((relation, m) for relation in cls.relations)

    def _base_kind(self, canonical: str, written: str) -> str:
        kind = self.base_names[canonical]
        if kind == "flask-sqlalchemy":
            # ``db = SQLAlchemy()``: ``db.Model`` is the base, ``db`` itself is not.
            return "flask-sqlalchemy" if written.endswith(".Model") else ""
        return "sqlalchemy"

    def _external_kind(self, base: str) -> str:
        if base in DJANGO_MODEL_BASES:
            return "django"
        if base in SQLALCHEMY_BASES:
            return "sqlalchemy-declarative"
        if base == SQLMODEL_BASE:
            return "sqlmodel"
        last = base.rsplit(".", 1)[-1]
        model_like = last.endswith(("Model", "Node", "Page")) or last.startswith("Abstract")
        if last.endswith(_NOT_MODELS):
            return ""  # BaseUserManager, TaggableManager: in a models module, not models
        if base.startswith("django.contrib.") and ".models." in base:
            return "django"  # ContentType, User, Group...: concrete models of Django's own
        if base.startswith("django.") and ".models" in base and model_like:
            return "django"
        if base.startswith(DJANGO_LIBRARY_PREFIXES) and (".models." in base or model_like):
            return "django"  # taggit.models.GenericTaggedItemBase, treebeard.mp_tree.MP_Node
        return ""

    def _classify_django(self, m: _Model) -> None:
        own = m.cls.meta
        inherited = next((p.meta for p in m.parents if p.abstract and p.meta is not None), None)
        meta = _merge_meta(own, inherited, self._meta_bases(own))
        m.meta = meta
        m.abstract = bool(own is not None and own.abstract)
        m.app_label = (meta.app_label if meta else None) or self._app_label(m.facts.module)
        if m.abstract:
            return
        concrete = [p for p in m.parents if p.table]
        if own is not None and own.proxy:
            # A proxy of one of Django's own models maps to that model's table.
            external = next((EXTERNAL_TABLES[b] for b in m.cls.bases if b in EXTERNAL_TABLES), None)
            m.table = concrete[0].table if concrete else external
            m.abstract = m.table is None
            return
        explicit = own.db_table if own is not None else None
        m.table = (explicit or f"{m.app_label}_{m.cls.name.lower()}").lower()
        m.primary = True

    def _meta_bases(self, own: DjangoMeta | None) -> DjangoMeta | None:
        if own is None:
            return None
        for base in own.bases:  # ``class Meta(AbstractThing.Meta)``
            owner = self.canonical(base.rsplit(".", 1)[0]) if "." in base else None
            parent = self.model(owner) if owner else None
            if parent is not None and parent.meta is not None:
                return parent.meta
        return None

    def _app_label(self, module: str) -> str:
        label = self.app_label_of(module)
        if label:
            return label
        parts = module.split(".")
        if "models" in parts:
            parts = parts[: parts.index("models")]
        elif len(parts) > 1:
            parts = parts[:-1]
        return parts[-1] if parts else module

    def _classify_sqlalchemy(self, m: _Model) -> None:
        cls = m.cls
        mapped_parent = next((p for p in m.parents if p.table), None)
        table_keyword = any(k.name == "table" and k.value == "True" for k in cls.keywords)
        if cls.sa_abstract or (
            m.framework == "sqlmodel" and not table_keyword and not mapped_parent
        ):
            m.abstract = True  # ``__abstract__``, or a SQLModel data class without a table
            return
        if cls.tablename:
            m.table = cls.tablename
        elif cls.table:
            m.table = cls.table
        elif cls.table_ref and (var := self.canonical(cls.table_ref)) in self.table_vars:
            m.table = self.table_vars[var].name or None
        elif mapped_parent is not None:
            m.table = mapped_parent.table  # single-table inheritance
            return
        elif m.framework == "sqlmodel":
            m.table = cls.name.lower()
        elif (
            m.framework == "flask-sqlalchemy"
            or cls.tablename_computed
            or self._inherits_computed(m)
        ):
            # Flask-SQLAlchemy's default, and the usual ``@declared_attr`` convention.
            m.table = _snake(cls.name)
        else:
            m.abstract = True  # a mixin-like class with no table of its own
            return
        m.table = m.table.lower() if m.table else None
        m.primary = m.table is not None

    def _inherits_computed(self, m: _Model) -> bool:
        return any(p.cls.tablename_computed or self._inherits_computed(p) for p in m.parents)

    # --- targets ---------------------------------------------------------------------

    def target_model(self, target: Target, context: _Model | None, module: str) -> _Model | None:
        """The model a target names, or None (tables are handled by :meth:`target_table`)."""

        kind, value = target.kind, target.value
        if kind == "ref":
            canonical = self.canonical(value)
            if canonical is None or canonical not in self.classes:
                return None
            found = self.model(canonical)
            if found is not None and not found.framework:
                meta = found.cls.meta
                if meta is not None and meta.model is not None:  # a ModelForm / serializer
                    return self.target_model(meta.model, None, found.facts.module)
            return found
        if kind == "model-label":
            return self.by_label(value, context, module)
        if kind == "setting":
            if value == "AUTH_USER_MODEL":
                return self.by_label(self.auth_user_model, None, module)
            return None
        if kind == "class-name":
            return self.by_class_name(value, module)
        return None

    def target_table(self, target: Target, context: _Model | None, module: str) -> str | None:
        if target.kind == "table":
            return target.value.lower()
        if target.kind == "column":
            parts = target.value.lower().split(".")
            return parts[-2] if len(parts) >= 2 else None
        if target.kind == "ref":
            canonical = self.canonical(target.value)
            if canonical in self.table_vars:
                return self.table_vars[canonical].name.lower() or None
        if (
            target.kind == "setting"
            and target.value == "AUTH_USER_MODEL"
            and self.by_label(self.auth_user_model, None, module) is None
        ):
            return EXTERNAL_USER_TABLE if self.auth_user_model == "auth.User" else None
        found = self.target_model(target, context, module)
        return found.table if found is not None else None

    def by_label(self, label: str, context: _Model | None, module: str) -> _Model | None:
        if label == "self":
            return context
        if "." in label:
            app_label, name = label.rsplit(".", 1)
        else:
            app_label = (context.app_label if context else None) or self._app_label(module)
            name = label
        return self._labels().get((app_label.lower(), name.lower()))

    def _labels(self) -> dict[tuple[str, str], _Model]:
        if self._label_index is None:
            index: dict[tuple[str, str], _Model] = {}
            for m in self.all_models():
                if m.framework == "django" and m.app_label and m.table and not m.abstract:
                    index.setdefault((m.app_label.lower(), m.cls.name.lower()), m)
            self._label_index = index
        return self._label_index

    def by_class_name(self, value: str, module: str) -> _Model | None:
        if "." in value:
            canonical = self.canonical(value)
            return self.model(canonical) if canonical else None
        candidates = [
            m for m in self.all_models() if m.cls.name == value and m.framework and m.table
        ]
        if not candidates:
            return None
        # SQLAlchemy's registry needs the name to be unique; prefer the same package.
        package = module.rsplit(".", 1)[0]
        candidates.sort(key=lambda m: (not m.facts.module.startswith(package), m.name))
        return candidates[0]

    def all_models(self) -> list[_Model]:
        for name in sorted(self.classes):
            self.model(name)
        return [self.models[name] for name in sorted(self.models)]

    def _auth_user_model(self) -> str:
        values = sorted(
            (f.path, f.settings.auth_user_model)
            for f in self.files.values()
            if f.settings is not None and f.settings.auth_user_model
        )
        return values[0][1] if values else "auth.User"


def _merge_meta(
    own: DjangoMeta | None, inherited: DjangoMeta | None, meta_base: DjangoMeta | None
) -> DjangoMeta | None:
    """Django's Meta inheritance: a child without Meta takes its abstract parent's."""

    if own is None:
        return inherited
    parent = meta_base
    if parent is None:
        return own
    return DjangoMeta(
        db_table=own.db_table,
        abstract=own.abstract,
        proxy=own.proxy,
        app_label=own.app_label if own.app_label is not None else parent.app_label,
        managed=own.managed if own.managed is not None else parent.managed,
        bases=own.bases,
        model=own.model,
        line=own.line,
    )


_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")


def _snake(name: str) -> str:
    return _CAMEL.sub("_", name).lower()


# --- building the graph ------------------------------------------------------------------


def django_model_modules(files: Iterable[FileFacts]) -> frozenset[str]:
    """Modules defining a class that derives from Django's ``Model`` (through the project's
    own bases or a library's), abstract ones included: what makes a package an app when no
    settings say which apps are installed. Components are not known yet, nor needed."""

    resolver = _Resolver(files, lambda _module: "", lambda _module: None)
    return frozenset(m.facts.module for m in resolver.all_models() if m.framework == "django")


def resolve_data(
    files: Iterable[FileFacts],
    component_of: Callable[[str], str],
    app_label_of: Callable[[str], str | None],
    tables_config: TablesConfig,
) -> DataGraph:
    resolver = _Resolver(files, component_of, app_label_of)
    models = resolver.all_models()
    definitions = _definitions(resolver, models)
    tables = _ownership(definitions, tables_config)
    builder = _AccessBuilder(resolver, component_of)
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


def _definitions(resolver: _Resolver, models: list[_Model]) -> list[ModelDef]:
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
                        table=table.name.lower(),
                        component=resolver.component_of(facts.module),
                        location=Location(facts.path, table.line, table.column),
                        framework="sqlalchemy-core",
                    )
                )
    return found


def _ownership(definitions: list[ModelDef], config: TablesConfig) -> tuple[TableOwner, ...]:
    declared = dict(config.owners)
    shared = set(config.shared)
    owners: dict[str, str] = {}
    # Only the model that defines a table owns it: a proxy of another component's model (or
    # of Django's ContentType) and a single-table child map to a table they do not own.
    for definition in sorted(definitions, key=lambda d: d.location):
        if not definition.abstract:
            owners.setdefault(definition.table, definition.component)
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

    def __init__(self, resolver: _Resolver, component_of: Callable[[str], str]) -> None:
        self.resolver = resolver
        self.component_of = component_of
        self.accesses: list[DataAccess] = []
        self.transactions: list[Transaction] = []

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
            table=table,
            kind=kind,  # type: ignore[arg-type]
            location=Location(facts.path, line, column),
            component=self.component_of(facts.module),
            scope=scope,
            via=via,
            detail=detail,
        )
        self.accesses.append(access)
        return access

    def model(self, m: _Model) -> None:
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
        resolver = self.resolver
        module = facts.module
        for imported in facts.imports:
            found = resolver.target_model(Target("ref", imported.target), None, module)
            if found is not None and found.table and found.framework:
                self._add(
                    facts,
                    found.table,
                    "read",
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
                    "read",
                    loader.line,
                    loader.column,
                    loader.scope,
                    "get_model",
                    loader.label,
                )
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
        raw_accesses: dict[int, list[DataAccess]] = defaultdict(list)
        for index, raw in enumerate(facts.raw_sql):
            for sql_table in raw.tables:
                raw_accesses[index].append(
                    self._add(
                        facts,
                        sql_table.name,
                        "raw-sql",
                        raw.line,
                        raw.column,
                        raw.scope,
                        raw.via,
                        sql_table.access,
                    )
                )
        for table in facts.tables:
            for relation in table.relations:
                if relation.target is None:
                    continue
                target = resolver.target_table(relation.target, None, module)
                if target is not None and target != table.name.lower():
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
        for transaction in facts.transactions:
            writes = [resolved[i] for i in transaction.writes if i in resolved]
            writes += [
                a
                for i in transaction.raw_writes
                for a in raw_accesses.get(i, [])
                if a.detail == "write"
            ]
            for call in transaction.calls:
                writes += self._writes_of(call)
            self.transactions.append(
                Transaction(
                    module=module,
                    component=self.component_of(module),
                    location=Location(facts.path, transaction.line, transaction.column),
                    scope=transaction.scope,
                    kind=transaction.kind,
                    writes=tuple(sorted(set(writes), key=access_key)),
                )
            )

    def _access(self, facts: FileFacts, access: AccessFact) -> DataAccess | None:
        resolver = self.resolver
        found = resolver.target_model(access.target, None, facts.module)
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
        """Walk ``a__b__c`` through relations; every table reached is read."""

        current = self.resolver.target_model(target, None, facts.module)
        for segment in path.split("__"):
            if current is None:
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
