"""What one file says about data, before anyone knows which of its names are models.

The per-file pass (:mod:`seamfinder.collect.scan`) cannot tell whether ``Order`` is a
model: its base may be defined in another file. So it records *symbolic* facts, names
resolved through the file's own imports, and the whole-project resolution step turns them
into tables. Every record is a frozen, slotted value; every value is JSON-safe so that the
per-file cache (which lives in the analysed repository) is plain JSON that can never execute
anything.

Conventions shared by every record:

* ``line`` and ``column`` are 1-indexed (``column`` is ``ast`` ``col_offset + 1``, so it
  counts UTF-8 bytes).
* ``scope`` is the qualified name of the innermost enclosing function or class
  (``"OrderView.get"``, ``"outer.inner"``), ``""`` at module level.
* Records are in source order (the order of the traversal); tuples that are sets
  (call names, rule codes) are sorted.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from seamfinder.core.model import ImportScope
from seamfinder.core.serial import decode, encode

#: Bumped whenever a record changes shape or meaning; cached facts of another version are
#: rejected by :func:`facts_from_json` (the cache then rescans the file).
FACTS_VERSION = 4

TargetKind = Literal["ref", "model-label", "class-name", "table", "column", "setting"]


@dataclass(frozen=True, slots=True, order=True)
class Target:
    """Something that may name a model or a table, as the source spells it.

    ``kind`` says how the resolver must read ``value``:

    * ``ref``: a dotted Python name resolved through the file's imports and definitions
      (``shop.models.Order``). It may carry trailing attributes (``shop.models.Order.id``,
      ``app.db.users.c.id``): match the longest prefix that names a model or table.
    * ``model-label``: a Django label, ``"app_label.Model"``, ``"Model"`` (same app as the
      declaring model) or ``"self"``; from string foreign keys and ``get_model``.
    * ``class-name``: a SQLAlchemy string reference to a mapped class, ``"Address"`` or
      ``"pkg.models.Address"`` (``relationship("Address")``, ``Mapped["Address"]``).
    * ``table``: a table name (``secondary="order_items"``).
    * ``column``: ``"table.column"`` or ``"schema.table.column"`` (``ForeignKey("users.id")``).
    * ``setting``: a Django setting that holds a label (``settings.AUTH_USER_MODEL`` gives
      ``"AUTH_USER_MODEL"``).
    """

    kind: TargetKind
    value: str


SourceKind = Literal["literal", "env", "setting", "ref", "call"]


@dataclass(frozen=True, slots=True, order=True)
class ValueSource:
    """Where a configuration value or part of a URL comes from.

    ``literal``: the string itself; ``env``: an environment variable name
    (``os.environ["X"]``, ``os.getenv("X")``); ``setting``: a Django setting
    (``settings.X``); ``ref``: another dotted name (``config.PAYMENT_URL``); ``call``: the
    dotted callee that computes it (``dj_database_url.config``).
    """

    kind: SourceKind
    value: str


@dataclass(frozen=True, slots=True)
class ImportFact:
    """One name bound by an import statement.

    ``name`` is the local name bound (``"m"`` for ``from django.db import models as m``,
    ``"os"`` for ``import os.path``); ``target`` is the absolute dotted name imported
    (``"django.db.models"``, ``"os.path"``); relative imports are already resolved. A star
    import has ``name == "*"`` and ``target == "pkg.mod.*"``.
    """

    name: str
    target: str
    placement: ImportScope
    scope: str
    line: int
    column: int


@dataclass(frozen=True, slots=True)
class ClassKeyword:
    """A keyword of a class statement: ``table=True`` (SQLModel), ``metaclass=...``.

    ``value`` is a dotted name for a name or attribute, ``repr()`` for a constant, and
    ``""`` for anything else.
    """

    name: str
    value: str


@dataclass(frozen=True, slots=True)
class DjangoMeta:
    """Literal values of a Django ``class Meta:``; ``None`` means not set literally.

    ``model`` is the ``model = Order`` of a ``ModelForm``, DRF ``ModelSerializer`` or
    ``FilterSet`` Meta: ``form.save()`` on such a class writes that model.
    """

    db_table: str | None = None
    abstract: bool | None = None
    proxy: bool | None = None
    app_label: str | None = None
    managed: bool | None = None
    bases: tuple[str, ...] = ()  # ``class Meta(Base.Meta):`` as dotted names
    model: Target | None = None
    line: int = 0
    # Every option the Meta assigns, sorted: ``ordering``/``verbose_name`` mark a model's
    # Meta, ``fields``/``model`` a form's, ``interfaces`` a GraphQL type's.
    options: tuple[str, ...] = ()


RelationKind = Literal[
    "foreign-key",  # Django ForeignKey and look-alikes (TreeForeignKey, ParentalKey...)
    "one-to-one",
    "many-to-many",
    "generic-foreign-key",  # no target: the content type decides at runtime
    "generic-relation",
    "column-foreign-key",  # SQLAlchemy ForeignKey(Constraint), SQLModel Field(foreign_key=)
    "relationship",  # SQLAlchemy relationship(), SQLModel Relationship()
]


@dataclass(frozen=True, slots=True)
class RelationFact:
    """A relation declared in a class body or in a core ``Table(...)``.

    ``callee`` is the dotted name of the field or function called (``django.db.models.
    ForeignKey``); ``through`` is Django's ``through=`` or SQLAlchemy's ``secondary=``.
    ``target`` is ``None`` only for ``generic-foreign-key`` and for targets that are not
    written statically.
    """

    field: str
    kind: RelationKind
    callee: str
    target: Target | None
    through: Target | None
    line: int
    column: int
    # Django's ``related_name`` as written (``"+"``, ``"%(class)s_set"``); None: the default
    # reverse accessor (``<model>_set``, ``<model>`` for a one-to-one).
    related_name: str | None = None


@dataclass(frozen=True, slots=True)
class ManagerFact:
    """A manager assigned in a class body: ``published = PublishedManager()``."""

    name: str
    callee: str  # dotted; ``RestrictedQuerySet.as_manager`` for ``.as_manager()``
    line: int


@dataclass(frozen=True, slots=True)
class ClassFact:
    """A class statement, top-level or nested (Django's inner ``Meta`` goes to ``meta``)."""

    name: str
    qualname: str  # within the module: ``Outer.Inner``
    bases: tuple[str, ...]  # dotted; ``""`` for a base that is not a name (a call...)
    keywords: tuple[ClassKeyword, ...]
    decorators: tuple[str, ...]  # dotted callee of each decorator (``as_declarative``)
    meta: DjangoMeta | None
    tablename: str | None  # SQLAlchemy ``__tablename__ = "..."``
    tablename_computed: bool  # ``__tablename__`` is a function (``@declared_attr``)
    sa_abstract: bool | None  # ``__abstract__``
    table: str | None  # table name of ``__table__ = Table("name", ...)``
    table_ref: str | None  # ``__table__ = some_table`` as a dotted name
    relations: tuple[RelationFact, ...]
    managers: tuple[ManagerFact, ...]
    scope: str
    line: int
    column: int
    # ``__table_args__ = {"schema": "events"}`` (or a tuple ending in such a dict, or a
    # ``__table_args__`` function returning one, or ``auto_table_args(cls, schema=...)``)
    schema: str | None = None
    # Fields assigned from ``django.db.models`` (``name = models.CharField(...)``): with a
    # base from outside the project, they say the class is a Django model.
    django_fields: bool = False


@dataclass(frozen=True, slots=True)
class TableFact:
    """A SQLAlchemy core ``Table("name", metadata, ...)`` (also ``db.Table``)."""

    name: str  # the table name literal, "" when it is not a literal
    variable: str  # the name it is assigned to (``"users"``, ``"__table__"``), "" if none
    metadata: str  # dotted name of the metadata argument, "" for ``db.Table`` or unknown
    schema: str | None
    relations: tuple[RelationFact, ...]  # column foreign keys; ``field`` is the column
    scope: str
    line: int
    column: int


BaseKind = Literal[
    "declarative-base", "registry", "generated-base", "flask-sqlalchemy", "call", "factory"
]


@dataclass(frozen=True, slots=True)
class BaseFact:
    """A name bound to something model classes derive from or are mapped through.

    ``Base = declarative_base()`` (``declarative-base``), ``reg = registry()``
    (``registry``), ``Base = reg.generate_base()`` (``generated-base``) and
    ``db = SQLAlchemy()`` (``flask-sqlalchemy``: ``db.Model`` is then a base). Class-style
    bases (``class Base(DeclarativeBase)``) are ordinary :class:`ClassFact` values.

    Two kinds are only candidates, decided by the resolver, which sees every file:
    ``call`` is a module-level ``db = AcmeSQLAlchemy(...)``/``db = make_db()`` of a
    project name (a base when ``callee`` is a subclass of ``SQLAlchemy`` or a factory
    returning one), and ``factory`` a module-level function ``name`` that returns a call
    of ``callee`` (``def make_db(): return AcmeSQLAlchemy()``).
    """

    name: str
    kind: BaseKind
    callee: str
    scope: str
    line: int
    column: int


@dataclass(frozen=True, slots=True)
class LoaderFact:
    """A model fetched by label: ``apps.get_model("order", "Order")`` or oscar's ``get_model``.

    It counts like an import of the model. ``bound`` is the name it was assigned to, ``""``
    when the result was used directly.
    """

    label: str  # "order.Order" (model name as written; Django matches it case-insensitively)
    callee: str
    bound: str
    scope: str
    line: int
    column: int


@dataclass(frozen=True, slots=True)
class DynamicImportFact:
    """An import by name: ``get_class("catalogue.views", "ProductDetailView")`` (django-oscar,
    whose first part is an app label), ``importlib.import_module("shop.plugins.x")``,
    ``import_string("shop.payments.backends.Stripe")`` (Django)."""

    target: str  # the string as written
    callee: str  # get_class, get_classes, import_module, import_string
    scope: str
    line: int
    column: int


AccessKind = Literal["read", "write"]


@dataclass(frozen=True, slots=True)
class AccessFact:
    """A read or write of what ``target`` names, if the resolver finds it is a model/table.

    ``idiom`` says which pattern produced it: ``manager`` (Django ``X.<manager>.<...>``,
    ``manager`` holds the attribute, which the resolver must check is ``objects``,
    ``_default_manager``, ``_base_manager`` or a manager of the model), ``queryset``
    (a method on a name bound to a manager chain), ``instance`` (``o.save()``,
    ``o.delete()`` on a name bound to an instance), ``instance-setattr`` (``o.x = ...`` on
    such a name: a write for SQLAlchemy-family models only, not for Django), ``construct``
    (``X(...).save()``), ``shortcut`` (``get_object_or_404(X, ...)``), ``query-property``
    (Flask-SQLAlchemy ``X.query...``), ``session`` (``session.query/get/add/delete/merge``),
    ``statement`` (``select/insert/update/delete(X)`` and their ``.join(Y)``), ``table-method``
    (``users.insert()``, ``X.__table__.delete()``), ``related`` (a related manager of an
    instance of ``target``: ``order.lines.filter()``, ``cart.payments.update()``,
    ``product.tags.add(t)``; ``manager`` holds the attribute, a forward field or a reverse
    accessor, which only the resolver can tell apart).

    ``method`` is the method that decided ``kind`` (the last write of the chain, else its
    first read).
    """

    target: Target
    kind: AccessKind
    idiom: str
    method: str
    manager: str
    scope: str
    line: int
    column: int


@dataclass(frozen=True, slots=True)
class LookupFact:
    """A Django lookup path that may cross relations, to be walked from ``target``.

    ``path`` is as written (``"customer__email__iexact"``, ``"lines__product"``): it may end
    with a plain field and lookups/transforms that the resolver must stop at.
    """

    target: Target
    path: str
    method: str  # filter, select_related, Q, F, Count, ...
    scope: str
    line: int
    column: int


@dataclass(frozen=True, slots=True)
class ClassUseFact:
    """The first ``X.attr`` of a class in a file (``Identity.identifier == x``,
    ``Role.get(id)``): if ``X`` is a model, the file uses it in query code more often than
    not; never a read by itself."""

    target: Target
    attr: str
    scope: str
    line: int
    column: int


TableAccess = Literal["read", "write"]


@dataclass(frozen=True, slots=True, order=True)
class SqlTable:
    """A table named in SQL text: bare name, lower case, quotes and schema removed."""

    name: str
    access: TableAccess


@dataclass(frozen=True, slots=True, order=True)
class SqlModel:
    """A model whose table a hole of SQL text names: ``f"... FROM {Order._meta.db_table}"``,
    ``"...".format(t=User.__tablename__)``; ``access`` as the statement uses its holes."""

    target: Target
    access: TableAccess


@dataclass(frozen=True, slots=True)
class RawSqlFact:
    """SQL written as text and the tables it names.

    ``via`` is the call that runs it (``execute``, ``executemany``, ``text``, ``raw``,
    ``RawSQL``, ``extra``); ``dynamic`` is set when parts of the text are not known
    statically (f-string holes, concatenated variables), ``sql`` is the text with holes shown
    as ``{}`` (cut to 500 characters). ``model`` is the manager's model for ``X.objects.raw``.
    """

    via: str
    tables: tuple[SqlTable, ...]
    sql: str
    dynamic: bool
    model: Target | None
    scope: str
    line: int
    column: int
    models: tuple[SqlModel, ...] = ()


TransactionKind = Literal["atomic", "begin", "session", "commit", "wrapper"]


@dataclass(frozen=True, slots=True)
class TransactionFact:
    """A transaction scope and what it writes.

    ``atomic``: ``with transaction.atomic()`` or an ``@atomic`` decorator (then the whole
    function); ``begin``: ``with x.begin():``/``begin_nested()`` (session, engine,
    connection); ``session``: ``with Session() as s:``; ``commit``: the writes of a function
    up to a ``session.commit()`` (since the previous commit) - the usual SQLAlchemy shape;
    ``wrapper``: ``with traced_atomic():`` or ``@traced_atomic`` of a project name, a
    transaction only if the resolver finds that ``callee`` enters ``atomic`` (see
    :attr:`FileFacts.atomic_scopes`).

    ``writes`` are indexes into :attr:`FileFacts.accesses` (write accesses lexically inside
    the scope), ``raw_writes`` indexes into :attr:`FileFacts.raw_sql` (raw SQL inside the
    scope that writes a table). ``calls`` are the dotted names of the functions called
    directly inside it that resolve through the file (``shop.orders.services.place``,
    ``shop.views.View.helper`` for ``self.helper()``), sorted: the resolver includes their
    writes (one level).
    """

    kind: TransactionKind
    callee: str  # what opened it: ``django.db.transaction.atomic``, ``session.begin``...
    scope: str  # the function it is in (for a decorator: the decorated function)
    writes: tuple[int, ...]
    raw_writes: tuple[int, ...]
    calls: tuple[str, ...]
    line: int
    column: int


@dataclass(frozen=True, slots=True)
class HttpCallFact:
    """An outbound HTTP request: ``requests.get(url)``, ``client.post(...)``, ``urlopen``.

    ``url`` is a template with ``{}`` for every part not known statically (``""`` when
    nothing is); ``sources`` are the settings, environment variables and names it is built
    from, in source order.
    """

    library: str  # requests, httpx, aiohttp, urllib
    method: str  # upper case; "" when not static
    url: str
    sources: tuple[ValueSource, ...]
    scope: str
    line: int
    column: int


@dataclass(frozen=True, slots=True)
class ServiceCallFact:
    """A call to or from another service that is not a plain HTTP request.

    ``style`` says which way it goes: ``call`` waits for an answer (a gRPC stub, a nameko
    ``RpcProxy``), ``send`` does not (a Celery ``send_task``, an event dispatched, a message
    published), ``receive`` is the other end of a ``send`` (an ``@event_handler``, a
    consumer, a task definition). ``target`` is what names the other side as the code
    spells it: the nameko service (``orders``), the gRPC service (``ProductCatalogService``
    from ``ProductCatalogServiceStub``), the Celery task (``orders.tasks.charge``), the
    topic, queue or channel; nameko events are ``service.event_type``. ``address`` is where
    the other side's address comes from (a gRPC channel's target), in source order.
    """

    protocol: str  # grpc, rpc, task, event, message
    style: str  # call, send, receive
    library: str  # grpc, nameko, celery, kombu, pika, aio-pika, kafka, redis...
    target: str  # "" when not static
    address: tuple[ValueSource, ...]
    scope: str
    line: int
    column: int


@dataclass(frozen=True, slots=True)
class ServiceNameFact:
    """A name a service gives itself in code: nameko's ``name = "orders"`` in a service
    class, ``Celery("orders")``. Other services call it by that name."""

    framework: str  # nameko, celery
    name: str
    line: int
    column: int


@dataclass(frozen=True, slots=True)
class EnvReadFact:
    """An environment variable the code reads (``os.environ["X"]``, ``os.getenv("X")``),
    where it is first read in the file: a variable the deployment sets to another service's
    address says the code talks to that service, even where the call itself is not seen."""

    name: str
    line: int
    column: int


@dataclass(frozen=True, slots=True)
class DatabaseConnectFact:
    """A database connection opened in code: ``psycopg2.connect(database=..., port=...)``,
    ``create_engine(url)``, ``pymysql.connect(...)``; each part lists where its value comes
    from (a literal, an environment variable, a setting...)."""

    library: str  # psycopg2, psycopg, asyncpg, pymysql, mysqlclient, sqlalchemy, pymongo...
    family: str  # postgresql, mysql, mongodb, sqlite; "" when only a URL says
    url: tuple[ValueSource, ...]  # a DSN or URL argument
    host: tuple[ValueSource, ...]
    port: tuple[ValueSource, ...]
    name: tuple[ValueSource, ...]
    line: int
    column: int


@dataclass(frozen=True, slots=True)
class DatabaseSetting:
    """One entry of Django's ``DATABASES``; each field lists where its value comes from."""

    alias: str
    engine: tuple[ValueSource, ...]
    name: tuple[ValueSource, ...]
    host: tuple[ValueSource, ...]
    line: int


@dataclass(frozen=True, slots=True)
class SettingsFact:
    """Django settings written at module level, as far as they are literal.

    ``installed_apps_partial`` is set when ``INSTALLED_APPS`` also takes values that are
    not literals (``BASE_APPS + [...]``, ``+= PLUGINS``).
    """

    installed_apps: tuple[str, ...]
    installed_apps_partial: bool
    installed_apps_line: int
    auth_user_model: str | None
    databases: tuple[DatabaseSetting, ...]


@dataclass(frozen=True, slots=True)
class FileFacts:
    """Everything the data-access pass learnt from one file.

    ``parsed`` is False when the text pre-filter found nothing worth parsing: then only
    ``lines`` is filled in.
    """

    path: str
    module: str
    is_package: bool
    lines: int
    parsed: bool
    lowered: bool  # read through libcst (grammar newer than the host's)
    imports: tuple[ImportFact, ...] = ()
    classes: tuple[ClassFact, ...] = ()
    tables: tuple[TableFact, ...] = ()
    bases: tuple[BaseFact, ...] = ()
    loaders: tuple[LoaderFact, ...] = ()
    dynamic_imports: tuple[DynamicImportFact, ...] = ()
    accesses: tuple[AccessFact, ...] = ()
    lookups: tuple[LookupFact, ...] = ()
    raw_sql: tuple[RawSqlFact, ...] = ()
    transactions: tuple[TransactionFact, ...] = ()
    http_calls: tuple[HttpCallFact, ...] = ()
    settings: SettingsFact | None = None
    service_calls: tuple[ServiceCallFact, ...] = ()
    service_names: tuple[ServiceNameFact, ...] = ()
    db_connects: tuple[DatabaseConnectFact, ...] = ()
    env_reads: tuple[EnvReadFact, ...] = ()
    # Functions (qualnames) whose body calls ``atomic``/``begin``: entering it, returning
    # it, or ``__enter__``-ing it (a context-manager class's method). What makes a project
    # function a wrapper of ``atomic``; sorted.
    atomic_scopes: tuple[str, ...] = ()
    class_uses: tuple[ClassUseFact, ...] = ()


# --- JSON -------------------------------------------------------------------------------


def facts_to_json(facts: FileFacts) -> dict[str, Any]:
    """``facts`` as JSON-ready data (``json.dumps`` it with ``sort_keys`` for stable bytes)."""

    encoded = encode(facts)
    assert isinstance(encoded, dict)
    encoded["version"] = FACTS_VERSION
    return encoded


def facts_from_json(data: Any) -> FileFacts:
    """The inverse of :func:`facts_to_json`; raises on anything it did not produce."""

    if not isinstance(data, dict):
        raise TypeError(f"expected an object, got {type(data).__name__}")
    if data.get("version") != FACTS_VERSION:
        raise ValueError(f"facts version {data.get('version')!r}, expected {FACTS_VERSION}")
    body = {k: v for k, v in data.items() if k != "version"}
    return decode(FileFacts, body)
