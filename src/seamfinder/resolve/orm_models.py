"""Which classes are ORM models and which table each maps to, over the whole project.

The per-file pass records names (``shop.orders.models.Order``, ``"billing.Payment"``,
``ForeignKey("users.id")``) without knowing which of them are models: a model's base may
be defined in another file, a class may be re-exported by a package ``__init__``.
:class:`ModelResolver` sees all files at once and decides which classes are models,
through their bases, whatever file defines those bases (Django models, a library's
abstract Django model recognised by its body, SQLAlchemy declarative classes,
Flask-SQLAlchemy ``db.Model`` of ``SQLAlchemy`` or of a project subclass made by a factory,
SQLModel ``table=True``), and which table each maps to (``Meta.db_table`` or Django's
``<app_label>_<model>``; ``__tablename__``, ``__table__``, the schema of
``__table_args__``, Flask-SQLAlchemy's and SQLModel's defaults; proxies, multi-table and
single-table inheritance). It also answers what a name, label or relation reaches, and
whether a project function wraps ``atomic``. :mod:`seamfinder.resolve.datagraph` turns
the facts into accesses with it.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from seamfinder.collect.facts import (
    ClassFact,
    DjangoMeta,
    FileFacts,
    RelationFact,
    TableFact,
    Target,
)

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
# Options only a Django model's ``class Meta`` takes (a form's, serializer's or GraphQL
# type's Meta names ``model``, ``fields``, ``interfaces``...; graphene's takes ``abstract``
# and saleor's ``permissions`` too, so those say nothing).
_MODEL_META_OPTIONS = frozenset(
    {
        "db_table",
        "ordering",
        "verbose_name",
        "verbose_name_plural",
        "unique_together",
        "index_together",
        "indexes",
        "constraints",
        "get_latest_by",
        "default_related_name",
        "app_label",
        "proxy",
        "managed",
        "order_with_respect_to",
        "base_manager_name",
        "default_manager_name",
        "db_table_comment",
        "select_on_save",
        "swappable",
    }
)
_DJANGO_RELATIONS = frozenset(
    {"foreign-key", "one-to-one", "many-to-many", "generic-foreign-key", "generic-relation"}
)
# Library callables that make a declarative base or a Flask-SQLAlchemy extension.
_LIBRARY_BASES = {
    "declarative_base": "declarative-base",
    "registry": "registry",
    "generate_base": "generated-base",
    "SQLAlchemy": "flask-sqlalchemy",
}
_BASE_ROOTS = frozenset({"sqlalchemy", "sqlmodel", "flask_sqlalchemy"})
_FLASK_SQLALCHEMY = frozenset(
    {"flask_sqlalchemy.SQLAlchemy", "flask_sqlalchemy.extension.SQLAlchemy"}
)
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


@dataclass(slots=True)
class ResolvedModel:
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
    parents: list[ResolvedModel] = field(default_factory=list)  # resolved model bases
    relations: list[tuple[RelationFact, ResolvedModel]] = field(
        default_factory=list
    )  # with declarer
    managers: set[str] = field(default_factory=set)
    schema: str | None = None  # ``__table_args__`` schema, its own or a parent's


class ModelResolver:
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
        self.base_callees: dict[str, str] = {}  # ``call``/``factory`` candidates -> callee
        self.atomic_scopes: dict[str, frozenset[str]] = {}  # module -> functions entering atomic
        self.wrappers: dict[str, list[str]] = defaultdict(list)  # module.scope -> with callees
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
                    self.base_callees[f"{facts.module}.{base.name}"] = base.callee
            self.atomic_scopes[facts.module] = frozenset(facts.atomic_scopes)
            for transaction in facts.transactions:
                if transaction.kind == "wrapper" and transaction.scope:
                    self.wrappers[f"{facts.module}.{transaction.scope}"].append(transaction.callee)
        self.models: dict[str, ResolvedModel] = {}
        self._resolving: set[str] = set()
        self._names: dict[str, str | None] = {}
        self._label_index: dict[tuple[str, str], ResolvedModel] | None = None
        self._reverse: dict[str, list[tuple[str, RelationFact, ResolvedModel]]] | None = None
        self._wrapper_memo: dict[str, bool] = {}
        self._class_names: dict[str, list[ResolvedModel]] | None = None
        self.auth_user_model = self._auth_user_model()

    # --- names -----------------------------------------------------------------------

    def canonical(self, dotted: str) -> str | None:
        """The definition a dotted name refers to, following re-exports; longest prefix."""

        if dotted in self._names:
            return self._names[dotted]
        self._names[dotted] = None  # guards against import loops
        result = self._canonical(dotted, 0, set())
        self._names[dotted] = result
        return result

    def _canonical(self, dotted: str, depth: int, tried: set[str]) -> str | None:
        # ``tried``: each name is followed once per lookup; without it, modules that
        # star-import each other make the search exponential in ``depth``.
        if depth > 20 or dotted in tried:
            return None
        tried.add(dotted)
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
                return self._canonical(".".join([target, *rest]), depth + 1, tried)
            for star in self.stars[module]:
                found = self._canonical(".".join([star, name, *rest]), depth + 1, tried)
                if found is not None:
                    return found
            return None
        return None

    # --- models ----------------------------------------------------------------------

    def model(self, name: str) -> ResolvedModel | None:
        """The resolved model for a canonical class name (None if it is not a class)."""

        if name in self.models:
            return self.models[name]
        if name not in self.classes or name in self._resolving:
            return None
        self._resolving.add(name)
        facts, cls = self.classes[name]
        found = ResolvedModel(name, facts, cls)
        self._classify(found)
        self._resolving.discard(name)
        self.models[name] = found
        return found

    def _classify(self, m: ResolvedModel) -> None:
        cls = m.cls
        external: list[str] = []
        unknown_library_base = False
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
                kind = self._external_kind(base)
                external.append(kind)
                unknown_library_base |= (
                    not kind
                    and "." in base
                    and not base.startswith("django.")
                    and not base.endswith(_NOT_MODELS)
                )
        if cls.meta is not None and cls.meta.model is not None:
            return  # a form, serializer, filter or GraphQL type naming its model: not a model
        frameworks = [p.framework for p in m.parents if p.framework] + [e for e in external if e]
        m.schema = cls.schema or next((p.schema for p in m.parents if p.schema), None)
        decorators = set(cls.decorators)
        if any(d.endswith(".mapped") or d.endswith("mapped_as_dataclass") for d in decorators):
            frameworks.append("sqlalchemy")
        if not frameworks and unknown_library_base and _django_model_body(cls):
            # A library's abstract model (TimeStampedModel, AbstractAPIKey, ClusterableModel):
            # the base is not in the project, but the body is a Django model's.
            frameworks.append("django")
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
        kind = self._effective_base(canonical, 0)
        if kind == "flask-sqlalchemy":
            # ``db = SQLAlchemy()``: ``db.Model`` is the base, ``db`` itself is not.
            return "flask-sqlalchemy" if written.endswith(".Model") else ""
        return "sqlalchemy"

    def _effective_base(self, canonical: str, depth: int) -> str:
        """The kind of base a name is bound to, following ``db = AcmeSQLAlchemy()`` and
        ``db = make_db()`` to the library call they end in; ``""``: not a base."""

        kind = self.base_names.get(canonical, "")
        if kind not in ("call", "factory"):
            return kind
        callee = self.base_callees[canonical]
        if depth > 8:
            return ""
        library = _LIBRARY_BASES.get(callee.rsplit(".", 1)[-1])
        if library is not None and callee.split(".", 1)[0] in _BASE_ROOTS:
            return library
        target = self.canonical(callee)
        if target is None:
            return ""
        if target in self.base_names and target != canonical:
            return self._effective_base(target, depth + 1)
        if target in self.classes and self._extends_flask_sqlalchemy(target, 0):
            return "flask-sqlalchemy"
        return ""

    def _extends_flask_sqlalchemy(self, name: str, depth: int) -> bool:
        """``class AcmeSQLAlchemy(SQLAlchemy)``, directly or through project classes."""

        if depth > 8 or name not in self.classes:
            return False
        for base in self.classes[name][1].bases:
            if base in _FLASK_SQLALCHEMY:
                return True
            canonical = self.canonical(base) if base else None
            if canonical is not None and self._extends_flask_sqlalchemy(canonical, depth + 1):
                return True
        return False

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

    def _classify_django(self, m: ResolvedModel) -> None:
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

    def _classify_sqlalchemy(self, m: ResolvedModel) -> None:
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
            m.table = core_table_name(self.table_vars[var]) or None
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
        if m.table and m.schema and "." not in m.table:
            m.table = f"{m.schema}.{m.table}"  # same-named tables of two schemas are two
        m.table = m.table.lower() if m.table else None
        m.primary = m.table is not None

    def _inherits_computed(self, m: ResolvedModel) -> bool:
        return any(p.cls.tablename_computed or self._inherits_computed(p) for p in m.parents)

    # --- targets ---------------------------------------------------------------------

    def target_model(
        self, target: Target, context: ResolvedModel | None, module: str, *, via_meta: bool = False
    ) -> ResolvedModel | None:
        """The model a target names, or None (tables are handled by :meth:`target_table`).

        A class naming a model in ``Meta.model`` (a ModelForm, a serializer) is never that
        model, except with ``via_meta``: ``form.save()`` writes the model it names.
        """

        kind, value = target.kind, target.value
        if kind == "ref":
            canonical = self.canonical(value)
            if canonical is None or canonical not in self.classes:
                return None
            found = self.model(canonical)
            if via_meta and found is not None and not found.framework:
                meta = found.cls.meta
                if meta is not None and meta.model is not None:
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

    def target_table(
        self, target: Target, context: ResolvedModel | None, module: str
    ) -> str | None:
        if target.kind == "table":
            return target.value.lower()
        if target.kind == "column":  # "table.column" or "schema.table.column"
            parts = target.value.lower().split(".")
            return ".".join(parts[-3:-1]) if len(parts) >= 2 else None
        if target.kind == "ref":
            canonical = self.canonical(target.value)
            if canonical in self.table_vars:
                return core_table_name(self.table_vars[canonical]) or None
        if (
            target.kind == "setting"
            and target.value == "AUTH_USER_MODEL"
            and self.by_label(self.auth_user_model, None, module) is None
        ):
            return EXTERNAL_USER_TABLE if self.auth_user_model == "auth.User" else None
        found = self.target_model(target, context, module)
        return found.table if found is not None else None

    def related(
        self, m: ResolvedModel, attr: str
    ) -> tuple[RelationFact, ResolvedModel, ResolvedModel | None, bool] | None:
        """What ``instance.<attr>`` of model ``m`` reaches: (relation, declaring model, model
        at the other end, forward), through a forward field or a reverse accessor
        (``related_name``, else Django's ``<model>_set``, ``<model>`` for a one-to-one),
        parents included."""

        for relation, declarer in m.relations:
            if relation.field == attr and relation.target is not None:
                other = self.target_model(relation.target, m, m.facts.module)
                return relation, declarer, other, True
        reverse = self._reverse_index()
        seen: set[str] = set()
        todo = [m]
        while todo:
            current = todo.pop()
            if current.name in seen:
                continue
            seen.add(current.name)
            for accessor, relation, declarer in reverse.get(current.name, ()):
                if accessor == attr:
                    return relation, declarer, declarer, False
            todo.extend(current.parents)
        return None

    def _reverse_index(self) -> dict[str, list[tuple[str, RelationFact, ResolvedModel]]]:
        if self._reverse is None:
            index: dict[str, list[tuple[str, RelationFact, ResolvedModel]]] = defaultdict(list)
            for m in self.all_models():
                if m.framework != "django" or not m.table or m.abstract:
                    continue
                for relation, _declarer in m.relations:
                    accessor = _reverse_accessor(relation, m)
                    if accessor is None or relation.target is None:
                        continue
                    target = self.target_model(relation.target, m, m.facts.module)
                    if target is not None:
                        index[target.name].append((accessor, relation, m))
            self._reverse = index
        return self._reverse

    def is_atomic_wrapper(self, dotted: str, depth: int = 0) -> bool:
        """Whether a project function (or context-manager class) enters ``atomic``: its body
        calls it, or is itself inside such a wrapper; followed through imports."""

        if dotted in self._wrapper_memo:
            return self._wrapper_memo[dotted]
        self._wrapper_memo[dotted] = False  # guards against loops
        found = self._is_wrapper(dotted, depth)
        self._wrapper_memo[dotted] = found
        return found

    def _is_wrapper(self, dotted: str, depth: int) -> bool:
        if depth > 12:
            return False
        parts = dotted.split(".")
        for end in range(len(parts) - 1, 0, -1):
            module = ".".join(parts[:end])
            if module not in self.files:
                continue
            qualname = ".".join(parts[end:])
            scopes = self.atomic_scopes.get(module, frozenset())
            if qualname in scopes or any(s.startswith(qualname + ".") for s in scopes):
                return True
            callees = [
                callee
                for scope, found in self.wrappers.items()
                if scope == f"{module}.{qualname}" or scope.startswith(f"{module}.{qualname}.")
                for callee in found
            ]
            if any(self.is_atomic_wrapper(c, depth + 1) for c in callees):
                return True
            target = self.imports[module].get(parts[end])
            if target is not None:
                return self.is_atomic_wrapper(".".join([target, *parts[end + 1 :]]), depth + 1)
            return any(
                self.is_atomic_wrapper(".".join([star, *parts[end:]]), depth + 1)
                for star in self.stars[module]
            )
        return False

    def by_label(
        self, label: str, context: ResolvedModel | None, module: str
    ) -> ResolvedModel | None:
        if label == "self":
            return context
        if "." in label:
            app_label, name = label.rsplit(".", 1)
        else:
            app_label = (context.app_label if context else None) or self._app_label(module)
            name = label
        return self._labels().get((app_label.lower(), name.lower()))

    def _labels(self) -> dict[tuple[str, str], ResolvedModel]:
        if self._label_index is None:
            index: dict[tuple[str, str], ResolvedModel] = {}
            for m in self.all_models():
                if m.framework == "django" and m.app_label and m.table and not m.abstract:
                    index.setdefault((m.app_label.lower(), m.cls.name.lower()), m)
            self._label_index = index
        return self._label_index

    def by_class_name(self, value: str, module: str) -> ResolvedModel | None:
        if "." in value:
            canonical = self.canonical(value)
            return self.model(canonical) if canonical else None
        if self._class_names is None:
            index: dict[str, list[ResolvedModel]] = defaultdict(list)
            for m in self.all_models():
                if m.framework and m.table:
                    index[m.cls.name].append(m)
            self._class_names = dict(index)
        candidates = list(self._class_names.get(value, ()))
        if not candidates:
            return None
        # SQLAlchemy's registry needs the name to be unique; prefer the same package.
        package = module.rsplit(".", 1)[0]
        candidates.sort(key=lambda m: (not m.facts.module.startswith(package), m.name))
        return candidates[0]

    def all_models(self) -> list[ResolvedModel]:
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


def _reverse_accessor(relation: RelationFact, m: ResolvedModel) -> str | None:
    """The attribute a relation gives the model it points at (None: it gives none)."""

    if relation.kind not in ("foreign-key", "one-to-one", "many-to-many"):
        return None
    name = relation.related_name
    if name is not None:
        if name.endswith("+"):
            return None  # "+" (or "name+"): no reverse accessor
        return name.replace("%(class)s", m.cls.name.lower()).replace(
            "%(app_label)s", (m.app_label or "").lower()
        )
    default = m.meta.options if m.meta is not None else ()
    if "default_related_name" in default:
        return None  # a name the pass did not read: do not guess
    suffix = "" if relation.kind == "one-to-one" else "_set"
    return f"{m.cls.name.lower()}{suffix}"


def _django_model_body(cls: ClassFact) -> bool:
    """Django fields, relation fields or a model's ``Meta`` options in a class body; never
    a class whose ``Meta`` names a ``model`` (a form, serializer, filter or GraphQL type)."""

    meta = cls.meta
    if meta is not None and meta.model is not None:
        return False
    if cls.django_fields or any(r.kind in _DJANGO_RELATIONS for r in cls.relations):
        return True
    return meta is not None and not _MODEL_META_OPTIONS.isdisjoint(meta.options)


def core_table_name(table: TableFact) -> str:
    """A core ``Table``'s name, with its schema (``events.attachments``), lower case."""

    name = table.name.lower()
    return f"{table.schema.lower()}.{name}" if table.schema and name else name


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


def django_model_modules(files: Iterable[FileFacts]) -> frozenset[str]:
    """Modules defining a class that derives from Django's ``Model`` (through the project's
    own bases or a library's), abstract ones included: what makes a package an app when no
    settings say which apps are installed. Components are not known yet, nor needed."""

    resolver = ModelResolver(files, lambda _module: "", lambda _module: None)
    return frozenset(m.facts.module for m in resolver.all_models() if m.framework == "django")
