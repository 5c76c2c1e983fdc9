"""The per-file data-access pass: one ``ast`` traversal, every detector at once.

:func:`scan_file` parses a file (through :func:`seamfinder.collect.source.parse_source`)
and walks the tree once, in source order, with a small abstract interpreter: each
expression evaluates to what the pass knows about it (a dotted name resolved through the
file's imports, a Django queryset of some class, a model instance, a SQLAlchemy session,
an HTTP client, a string template) or to nothing. Detectors are the places where those
values meet: a method called on a queryset, a session receiving an instance, a string
reaching ``execute``. The result is :class:`~seamfinder.collect.facts.FileFacts`: symbolic
references that the whole-project resolver turns into tables.

What the interpreter follows, and what it deliberately does not:

* Names resolve through imports (at any level, relative ones included), module-level
  definitions (``<module>.<Name>``, bound before the walk so functions may use names
  defined below them) and ``get_model`` loaders. A function's own local names are tracked
  only when bound to something the pass understands (instance, queryset, session, HTTP
  client, string); any other local assignment hides the outer name. Flow is linear:
  the last binding in source order wins, branches are not merged.
* ``self`` in a method is an instance of the enclosing class and ``cls`` the class itself,
  so ``self.save()`` and ``cls.objects.filter()`` are recorded against that class (the
  resolver drops them when the class is not a model).
* A class is recognised by spelling: the last capitalised part of a dotted name
  (``shop.models.Order.objects`` splits into ``shop.models.Order`` and ``objects``);
  ALL-CAPS names are constants, not classes.
* Transaction scopes collect the writes lexically inside them and the dotted names of the
  functions they call directly; the resolver follows those calls one level.
* Not followed: values passed through function parameters (except ones annotated with a
  model class or a ``Session``), attributes of instances (``order.customer.save()``),
  containers, and anything computed at runtime (``getattr``, ``type(...)``).
"""

from __future__ import annotations

import ast
import builtins
import enum
import re
from dataclasses import replace
from typing import Any

from seamfinder.collect.facts import (
    AccessFact,
    AccessKind,
    BaseFact,
    BaseKind,
    ClassFact,
    ClassKeyword,
    DatabaseSetting,
    DjangoMeta,
    DynamicImportFact,
    FileFacts,
    HttpCallFact,
    ImportFact,
    LoaderFact,
    LookupFact,
    ManagerFact,
    RawSqlFact,
    RelationFact,
    RelationKind,
    SettingsFact,
    SqlTable,
    TableFact,
    Target,
    TargetKind,
    TransactionFact,
    TransactionKind,
    ValueSource,
)
from seamfinder.collect.service_calls import TOKENS as SERVICE_TOKENS
from seamfinder.collect.service_calls import service_facts
from seamfinder.collect.source import parse_source
from seamfinder.collect.sql import HOLE, looks_like_sql, tables_in_sql
from seamfinder.core.model import ImportScope, ParseFailure

# --- pre-filter --------------------------------------------------------------------------

# Any of these means the file may define, touch or configure data. A file without any is
# certain to produce no facts but its line count (read without parsing),
# so it is not parsed. ``models`` also catches imports of model classes
# (``from shop.models import``), which count as reads. Plain ``in`` tests beat one regex
# alternation by 5x here (each is a fast substring search; the frequent tokens come first).
_PREFILTER_TOKENS = (
    b"models",
    b"objects",
    b"session",
    b"Session",
    b"execute",
    b"atomic",
    b"requests",
    b"__table",
    b"Table(",
    b"relationship",
    b"Relationship",
    b"ForeignKey",
    b"ManyToMany",
    b"OneToOne",
    b"ParentalKey",
    b".query",
    b"select(",
    b"insert(",
    b"update(",
    b"delete(",
    b"text(",
    b".raw(",
    b"RawSQL",
    b".extra(",
    b"begin(",
    b"commit(",
    b"get_model",
    b"import *",
    b"get_class",
    b"import_module",
    b"import_string",
    b".save(",
    b"get_object_or_404",
    b"sqlalchemy",
    b"sqlmodel",
    b"declarative",
    b".Model",
    b"httpx",
    b"aiohttp",
    b"urllib",
    b"INSTALLED_APPS",
    b"DATABASES",
    b"AUTH_USER_MODEL",
    *SERVICE_TOKENS,
)


def needs_parse(data: bytes) -> bool:
    """Whether ``data`` may hold anything the pass records (False: it certainly does not)."""

    return any(token in data for token in _PREFILTER_TOKENS)


def count_lines(data: bytes) -> int:
    """Lines as an editor counts them: a last line without a newline still counts."""

    if not data:
        return 0
    newlines = data.count(b"\n")
    return newlines if data.endswith(b"\n") else newlines + 1


def scan_file(
    path: str, module: str, is_package: bool, data: bytes, *, prefilter: bool = False
) -> FileFacts | ParseFailure:
    """The facts of one file, or why it could not be read. Never raises.

    With ``prefilter``, a file that :func:`needs_parse` rejects is not parsed: its facts
    hold only its line count (``parsed`` is False).
    """

    try:
        # A package __init__ is parsed whenever it imports: it is where models are
        # re-exported (``from .tokens import *``), and the resolver follows re-exports.
        if prefilter and not needs_parse(data) and not (is_package and b"import" in data):
            return FileFacts(
                path,
                module,
                is_package,
                count_lines(data),
                parsed=False,
                lowered=False,
            )
        parsed = parse_source(path, data)
        if isinstance(parsed, ParseFailure):
            return parsed
        scanner = _Scanner(module, is_package, data)
        scanner.run(parsed.tree)
        facts = scanner.facts(path, count_lines(data), parsed.lowered)
        if any(token in data for token in SERVICE_TOKENS):
            found = service_facts(parsed.tree, module)
            facts = replace(
                facts,
                service_calls=tuple(found.calls),
                service_names=tuple(found.names),
                db_connects=tuple(found.connects),
                env_reads=tuple(found.env_reads.values()),
            )
        return facts
    except RecursionError:
        return ParseFailure(path, "too deeply nested to analyse", 1, 1)
    except Exception as exc:  # a bug in the pass must not stop the run: it becomes SF001
        return ParseFailure(
            path, f"internal error in data-access pass: {type(exc).__name__}: {exc}"
        )


def _column_key(field: str, callee: str, target: Target, node: ast.expr) -> RelationFact:
    """A SQLAlchemy foreign key column (``ForeignKey``, ``ForeignKeyConstraint``, SQLModel's
    ``Field(foreign_key=)``), located at the call that declares it."""

    return RelationFact(
        field, "column-foreign-key", callee, target, None, node.lineno, node.col_offset + 1
    )


# --- what an expression evaluates to -----------------------------------------------------


class _Sym:
    """A name the file resolves: a dotted Python name, or a model named by label.

    ``label`` is set for ``get_model("app", "Model")`` (``"app.Model"``, a ``model-label``)
    and ``get_user_model()`` (``"AUTH_USER_MODEL"``, a ``setting``); ``dotted`` then holds
    the attributes taken from the model since (``"objects"``).
    """

    __slots__ = ("dotted", "label", "label_kind")

    def __init__(
        self, dotted: str, label: str = "", label_kind: TargetKind = "model-label"
    ) -> None:
        self.dotted = dotted
        self.label = label
        self.label_kind: TargetKind = label_kind

    def attr(self, name: str) -> _Sym:
        if self.label and not self.dotted:
            return _Sym(name, self.label, self.label_kind)
        return _Sym(f"{self.dotted}.{name}", self.label, self.label_kind)

    @property
    def model(self) -> Target:
        """The model a label names (only for a label)."""

        return Target(self.label_kind, self.label)


class _Query:
    """A query over ``targets`` (the first is the primary, later ones are joined reads).

    ``pending`` until the expression that built it is used; then it becomes one access
    per target at (``line``, ``column``).
    """

    __slots__ = (
        "column",
        "django",
        "idiom",
        "kind",
        "line",
        "manager",
        "method",
        "pending",
        "rows",
        "targets",
    )

    def __init__(
        self,
        targets: list[Target],
        idiom: str,
        manager: str,
        method: str,
        kind: AccessKind,
        line: int,
        column: int,
        *,
        django: bool = False,
        rows: bool = False,
    ) -> None:
        self.targets = targets
        self.idiom = idiom
        self.manager = manager
        self.method = method
        self.kind: AccessKind = kind
        self.line = line
        self.column = column
        self.pending = True
        self.django = django
        # A result set (``session.execute(select(X))``): the read was recorded at the select.
        self.rows = rows


class _Inst:
    """An instance of ``target``; ``query`` is the pending query that produced it, if any."""

    __slots__ = ("is_self", "loaded", "query", "target", "tuple_")

    def __init__(
        self,
        target: Target,
        query: _Query | None = None,
        *,
        is_self: bool = False,
        tuple_: bool = False,
        loaded: bool = True,
    ) -> None:
        self.target = target
        self.query = query
        self.is_self = is_self
        self.tuple_ = tuple_  # ``get_or_create`` returns (instance, created)
        self.loaded = loaded  # read from the database (not just constructed)


class _Session:
    """A SQLAlchemy session (or something used like one)."""

    __slots__ = ()


class _Http:
    __slots__ = ("base", "library")

    def __init__(self, library: str, base: ast.expr | None) -> None:
        self.library = library
        self.base = base


class _Request:
    """``urllib.request.Request(url, method=...)``, waiting for ``urlopen``."""

    __slots__ = ("method", "url")

    def __init__(self, url: ast.expr | None, method: str) -> None:
        self.url = url
        self.method = method


class _StrNode:
    """A name bound to a string expression, evaluated only if it reaches SQL or a URL."""

    __slots__ = ("node",)

    def __init__(self, node: ast.expr) -> None:
        self.node = node


class _Seq:
    __slots__ = ("items",)

    def __init__(self, items: list[Any]) -> None:
        self.items = items


class _Marker:
    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name


_Located = ast.expr | ast.stmt | ast.keyword

_SESSION = _Session()
_HIDDEN = _Marker("hidden")  # a local that shadows an outer name with something unknown
_ATOMIC = _Marker("atomic")
_BEGIN = _Marker("begin")


class _Str:
    """A string template: literal parts and holes (None), and where the holes come from."""

    __slots__ = ("parts", "sources")

    def __init__(self, parts: list[str | None], sources: list[ValueSource]) -> None:
        self.parts = parts
        self.sources = sources

    def render(self, hole: str) -> str:
        return "".join(hole if p is None else p for p in self.parts)

    @property
    def dynamic(self) -> bool:
        return any(p is None for p in self.parts)


# --- vocabularies ------------------------------------------------------------------------


def _with_async(names: str) -> frozenset[str]:
    words = names.split()
    return frozenset(words + ["a" + w for w in words])


_WRITE_METHODS = _with_async(
    "create update delete bulk_create bulk_update get_or_create update_or_create"
)
_INSTANCE_METHODS = _with_async(
    "get first last earliest latest create get_or_create update_or_create one one_or_none"
    " scalar_one scalar_one_or_none get_or_404 first_or_404 one_or_404"
)
_TUPLE_METHODS = _with_async("get_or_create update_or_create")
_TERMINAL_METHODS = _with_async(
    "count exists aggregate contains explain in_bulk update delete bulk_create bulk_update"
    " paginate scalar"
)
_BUILTINS = frozenset(dir(builtins))

# Known queryset methods: a chain on a manager other than ``objects`` must start with one
# (``Status.choices.get`` or ``Order.status.in_`` are attributes, not managers).
_QUERYSET_METHODS = (
    _WRITE_METHODS
    | _INSTANCE_METHODS
    | _TERMINAL_METHODS
    | _with_async(
        "all filter exclude order_by values values_list select_related prefetch_related annotate"
        " alias distinct only defer using none reverse dates datetimes select_for_update union"
        " intersection difference complex_filter get_queryset iterator raw extra"
    )
)
_JOIN_METHODS = frozenset({"join", "outerjoin", "select_from", "join_from", "add_entity"})
_ROWS_TO_INSTANCE = frozenset(
    ["first", "one", "one_or_none", "scalar", "scalar_one", "scalar_one_or_none", "fetchone"]
)
_ROWS_TO_ROWS = frozenset(
    ["scalars", "all", "unique", "fetchall", "fetchmany", "mappings", "partitions"]
)
_LOOKUP_KWARG_METHODS = _with_async(
    "filter exclude get get_or_create update_or_create annotate alias aggregate"
)
_LOOKUP_STRING_METHODS = frozenset(
    [
        "order_by",
        "values",
        "values_list",
        "select_related",
        "prefetch_related",
        "only",
        "defer",
        "distinct",
    ]
)
_RELATION_PATH_METHODS = frozenset({"select_related", "prefetch_related"})
_LOOKUP_CALLS = frozenset(
    [
        "F",
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
        "Prefetch",
        "FilteredRelation",
        "Coalesce",
        "Greatest",
        "Least",
    ]
)
_ALWAYS_RELATION_CALLS = frozenset({"Prefetch", "FilteredRelation"})
_NOT_MANAGERS = frozenset(
    {
        "DoesNotExist",
        "MultipleObjectsReturned",
        "_meta",
        "__table__",
        "__name__",
        "c",
        "query",
        "__class__",
        "__mapper__",
        "metadata",
        "registry",
    }
)
_DEFAULT_MANAGERS = frozenset({"objects", "_default_manager", "_base_manager"})
_SQL_METHODS = frozenset({"execute", "executemany", "exec_driver_sql", "executescript"})
_SESSION_RESULT_METHODS = frozenset({"execute", "scalars", "scalar", "exec"})
_TABLE_METHODS: dict[str, AccessKind] = {
    "insert": "write",
    "update": "write",
    "delete": "write",
    "select": "read",
}
_STATEMENTS: dict[str, AccessKind] = {
    "select": "read",
    "insert": "write",
    "update": "write",
    "delete": "write",
}
_ORM_ROOTS = frozenset({"sqlalchemy", "sqlmodel"})
_HTTP_ROOTS = frozenset({"requests", "httpx", "aiohttp", "urllib", "urllib3"})
_NOT_ENTITY_ROOTS = frozenset(
    {
        "sqlalchemy",
        "sqlmodel",
        "django",
        "flask_sqlalchemy",
        "builtins",
        "typing",
        "os",
        "json",
        "datetime",
        "logging",
        "re",
        "uuid",
        "decimal",
        "collections",
        "functools",
        "itertools",
    }
)
_HTTP_METHODS = frozenset(["get", "post", "put", "patch", "delete", "head", "options"])
_HTTP_CLIENTS = {
    "requests.Session": "requests",
    "requests.session": "requests",
    "requests.sessions.Session": "requests",
    "httpx.Client": "httpx",
    "httpx.AsyncClient": "httpx",
    "aiohttp.ClientSession": "aiohttp",
    "urllib3.PoolManager": "urllib3",
    "urllib3.PoolManager.request": "urllib3",
}
_DJANGO_RELATIONS: dict[str, RelationKind] = {
    "ForeignKey": "foreign-key",
    "TreeForeignKey": "foreign-key",
    "ParentalKey": "foreign-key",
    "OneToOneField": "one-to-one",
    "TreeOneToOneField": "one-to-one",
    "AutoOneToOneField": "one-to-one",
    "ManyToManyField": "many-to-many",
    "TreeManyToManyField": "many-to-many",
    "ParentalManyToManyField": "many-to-many",
    "SortedManyToManyField": "many-to-many",
    "GenericForeignKey": "generic-foreign-key",
    "GenericRelation": "generic-relation",
}
_COLUMN_CALLS = frozenset({"Column", "mapped_column", "Field"})
_RELATIONSHIP_CALLS = frozenset({"relationship", "Relationship", "relation", "dynamic_loader"})
_ANNOTATION_WRAPPERS = frozenset(
    [
        "Mapped",
        "Optional",
        "List",
        "list",
        "Set",
        "set",
        "FrozenSet",
        "frozenset",
        "Sequence",
        "Iterable",
        "DynamicMapped",
        "WriteOnlyMapped",
        "AppenderQuery",
        "Union",
        "Annotated",
        "Dict",
        "dict",
    ]
)
_SETTINGS_NAMES = frozenset({"INSTALLED_APPS", "AUTH_USER_MODEL", "DATABASES"})
_ENV_GETTERS = frozenset(
    {"os.getenv", "os.environ.get", "os.environ.setdefault", "decouple.config"}
)


class _Call(enum.Enum):
    """What calling a resolved dotted name means to the pass."""

    OTHER = 0
    CONSTRUCT = 1  # a class: the call builds an instance
    SESSION = 2  # a session or session factory
    STATEMENT = 3  # select/insert/update/delete
    TEXT = 4
    TABLE = 5
    BASE = 6  # declarative_base(), registry(), SQLAlchemy()
    LOADER = 7  # get_model
    ATOMIC = 8
    BEGIN = 9
    SHORTCUT = 10  # get_object_or_404
    RAW_SQL = 11
    LOOKUP = 12  # Q, F, Count...
    HTTP = 13
    DYNAMIC = 14  # get_class, import_module, import_string: an import by name


_CALL_KINDS: dict[str, _Call] = {}
# Calls that import a module named by a string: django-oscar's class loader, importlib's
# and Django's. They are imports all the same, invisible to any import graph.
_DYNAMIC_IMPORTS = frozenset({"get_class", "get_classes", "import_module", "import_string"})
_BASE_KINDS: dict[str, BaseKind] = {
    "declarative_base": "declarative-base",
    "registry": "registry",
    "generate_base": "generated-base",
}
_SHORTCUTS = frozenset(
    ["get_object_or_404", "get_list_or_404", "aget_object_or_404", "aget_list_or_404"]
)


def _classify_call(dotted: str) -> _Call:
    """The meaning of a call of ``dotted`` (cached: names repeat across a whole project)."""

    last = _last(dotted)
    root = _root(dotted)
    if last in _STATEMENTS and _is_orm_function(dotted):
        kind = _Call.STATEMENT
    elif last == "text":
        kind = _Call.TEXT
    elif last == "Table" and _is_orm_function(dotted):
        kind = _Call.TABLE
    elif (
        last in ("declarative_base", "registry", "SQLAlchemy")
        and (root in _ORM_ROOTS or root == "flask_sqlalchemy")
    ) or last == "generate_base":
        kind = _Call.BASE
    elif last in ("get_model", "get_user_model"):
        kind = _Call.LOADER
    elif last in _DYNAMIC_IMPORTS:
        kind = _Call.DYNAMIC
    elif last == "atomic":
        kind = _Call.ATOMIC
    elif last in ("begin", "begin_nested"):
        kind = _Call.BEGIN
    elif last in _SHORTCUTS:
        kind = _Call.SHORTCUT
    elif last == "RawSQL":
        kind = _Call.RAW_SQL
    elif last in _LOOKUP_CALLS or last == "Q":
        kind = _Call.LOOKUP
    elif root in _HTTP_ROOTS:
        kind = _Call.HTTP
    elif _is_session_factory(last):
        kind = _Call.SESSION
    elif (
        _is_classlike(last)
        and root not in _NOT_ENTITY_ROOTS
        and (root != "django" or ".models." in dotted)
        and _split_dotted(dotted) == (dotted, ())
    ):
        kind = _Call.CONSTRUCT
    else:
        kind = _Call.OTHER
    if len(_CALL_KINDS) < 100_000:
        _CALL_KINDS[dotted] = kind
    return kind


def _is_classlike(name: str) -> bool:
    return name[:1].isupper() and not (len(name) > 1 and name.isupper())


_SPLITS: dict[str, tuple[str, tuple[str, ...]] | None] = {}


def _split_dotted(dotted: str) -> tuple[str, tuple[str, ...]] | None:
    """``a.b.Order.objects`` -> (``a.b.Order``, (``objects``,)); None without a class part."""

    cached = _SPLITS.get(dotted, False)
    if cached is not False:
        return cached  # type: ignore[return-value]
    parts = dotted.split(".")
    result: tuple[str, tuple[str, ...]] | None = None
    for i in range(len(parts) - 1, 0, -1):  # a top-level package is never the class
        if _is_classlike(parts[i]):
            result = (".".join(parts[: i + 1]), tuple(parts[i + 1 :]))
            break
    if len(_SPLITS) < 100_000:
        _SPLITS[dotted] = result
    return result


def _model_of(sym: _Sym) -> tuple[Target, tuple[str, ...]] | None:
    if sym.label:
        return sym.model, tuple(sym.dotted.split(".")) if sym.dotted else ()
    split = _split_dotted(sym.dotted)
    if split is None:
        return None
    return Target("ref", split[0]), split[1]


def _last(dotted: str) -> str:
    return dotted[dotted.rfind(".") + 1 :]


def _root(dotted: str) -> str:
    dot = dotted.find(".")
    return dotted if dot < 0 else dotted[:dot]


def _is_orm_function(dotted: str) -> bool:
    """``sqlalchemy.select``, ``sqlmodel.select`` or Flask-SQLAlchemy's ``db.select``."""

    return (
        _root(dotted) in _ORM_ROOTS
        or dotted.endswith(".db." + _last(dotted))
        or (dotted.startswith("db."))
    )


def _const_str(node: ast.AST | None) -> str | None:
    if type(node) is ast.Constant and type(node.value) is str:
        return node.value
    return None


# --- frames ------------------------------------------------------------------------------


class _Frame:
    """A module, class or function body: its bindings and transaction bookkeeping."""

    __slots__ = (
        "bindings",
        "class_frame",
        "class_target",
        "commit_access",
        "commit_calls",
        "commit_raw",
        "is_function",
        "lookup_parent",
        "open_tx",
        "qualname",
        "self_attrs",
    )

    def __init__(
        self,
        qualname: str,
        is_function: bool,
        lookup_parent: _Frame | None,
        class_target: Target | None = None,
        class_frame: _Frame | None = None,
    ) -> None:
        self.qualname = qualname
        self.is_function = is_function
        self.lookup_parent = lookup_parent
        self.bindings: dict[str, Any] = {}
        self.class_target = class_target
        # The class whose ``self`` this body sees: itself for a class body, the class of the
        # method for a method and for functions nested in it.
        self.class_frame = class_frame
        self.self_attrs: dict[str, Any] = {}  # class frames: ``self.client = httpx.Client()``
        self.open_tx: list[_OpenTx] = []
        self.commit_access = 0  # index of the first access since the last commit
        self.commit_raw = 0
        self.commit_calls: list[str] = []


class _OpenTx:
    __slots__ = ("access_start", "callee", "calls", "column", "kind", "line", "raw_start", "slot")

    def __init__(
        self,
        kind: TransactionKind,
        callee: str,
        line: int,
        column: int,
        access_start: int,
        raw_start: int,
        slot: int,
    ) -> None:
        self.kind: TransactionKind = kind
        self.callee = callee
        self.line = line
        self.column = column
        self.access_start = access_start
        self.raw_start = raw_start
        self.calls: set[str] = set()
        self.slot = slot


# --- the pass ----------------------------------------------------------------------------

_CHILD_FIELDS: dict[type, tuple[str, ...]] = {}
_NOT_CHILD_FIELDS = frozenset(
    {
        "ctx",
        "op",
        "ops",
        "id",
        "arg",
        "attr",
        "module",
        "level",
        "type_comment",
        "kind",
        "is_async",
        "conversion",
        "names",
        "name",
        "lineno",
        "col_offset",
        "end_lineno",
        "end_col_offset",
        "n",
        "s",
        "tag",
        "simple",
    }
)
_LEAVES = frozenset({ast.Name, ast.Constant, ast.Pass, ast.Break, ast.Continue, ast.alias})


def _child_fields(node_type: type) -> tuple[str, ...]:
    fields = tuple(f for f in node_type._fields if f not in _NOT_CHILD_FIELDS)  # type: ignore[attr-defined]
    if node_type is ast.MatchSingleton or node_type is ast.Constant:
        fields = ()
    _CHILD_FIELDS[node_type] = fields
    return fields


class _Scanner:
    """One walk over one module's tree, in source order, recording facts as it goes.

    Statements with a visitor in ``_HANDLERS`` manage scopes and bindings; expressions are
    evaluated (:meth:`evaluate`) so that a chain such as ``X.objects.filter().update()``
    becomes one value and one access; every other node is walked through its children.
    """

    def __init__(self, module: str, is_package: bool, data: bytes) -> None:
        self.module = module
        self.is_package = is_package
        self.package = module if is_package else module.rpartition(".")[0]
        self.want_settings = (
            b"INSTALLED_APPS" in data or b"DATABASES" in data or b"AUTH_USER_MODEL" in data
        )
        self.want_calls = b"atomic" in data or b"begin" in data or b"commit" in data
        # ``from x import *`` binds names the file cannot list; an unknown name then
        # resolves to ``<module>.<name>`` and the resolver follows the star import.
        self.star_import = b"import *" in data
        self.imports: list[ImportFact] = []
        self.classes: list[ClassFact | None] = []
        self.tables: list[TableFact] = []
        self.bases: list[BaseFact] = []
        self.loaders: list[LoaderFact] = []
        self.dynamic_imports: list[DynamicImportFact] = []
        self.accesses: list[AccessFact] = []
        self.lookups: list[LookupFact] = []
        self.raw_sql: list[RawSqlFact] = []
        self.transactions: list[TransactionFact | None] = []
        self.http_calls: list[HttpCallFact] = []
        self.installed_apps: list[str] = []
        self.installed_apps_partial = False
        self.installed_apps_line = 0
        self.auth_user_model: str | None = None
        self.databases: list[DatabaseSetting] = []
        self.module_frame = _Frame("", False, None)
        self.frame = self.module_frame
        self.type_checking = 0
        self.conditional = 0
        self.lookup_target: Target | None = None
        self.assign_value: ast.AST | None = None
        self.assign_name = ""
        self.string_depth = 0

    # -- driving ---------------------------------------------------------------------

    def run(self, tree: ast.Module) -> None:
        self.prebind(tree.body)
        self.visit_body(tree.body)

    def facts(self, path: str, lines: int, lowered: bool) -> FileFacts:
        settings = None
        if self.installed_apps_line or self.auth_user_model is not None or self.databases:
            settings = SettingsFact(
                tuple(self.installed_apps),
                self.installed_apps_partial,
                self.installed_apps_line,
                self.auth_user_model,
                tuple(self.databases),
            )
        return FileFacts(
            path=path,
            module=self.module,
            is_package=self.is_package,
            lines=lines,
            parsed=True,
            lowered=lowered,
            imports=tuple(self.imports),
            classes=tuple(c for c in self.classes if c is not None),
            tables=tuple(self.tables),
            bases=tuple(self.bases),
            loaders=tuple(self.loaders),
            dynamic_imports=tuple(self.dynamic_imports),
            accesses=tuple(self.accesses),
            lookups=tuple(self.lookups),
            raw_sql=tuple(self.raw_sql),
            transactions=tuple(t for t in self.transactions if t is not None),
            http_calls=tuple(self.http_calls),
            settings=settings,
        )

    def visit(self, node: ast.AST) -> None:
        node_type = type(node)
        handler = _HANDLERS.get(node_type)
        if handler is not None:
            handler(self, node)
            return
        fields = _CHILD_FIELDS.get(node_type)
        if fields is None:
            fields = _child_fields(node_type)
        for field in fields:
            child = getattr(node, field, None)
            if child is None:
                continue
            if type(child) is list:
                for item in child:
                    if type(item) not in _LEAVES and isinstance(item, ast.AST):
                        self.visit(item)
            elif type(child) not in _LEAVES and isinstance(child, ast.AST):
                self.visit(child)

    def visit_body(self, body: list[ast.stmt]) -> None:
        for stmt in body:
            if type(stmt) not in _LEAVES:
                self.visit(stmt)

    @property
    def scope(self) -> str:
        return self.frame.qualname

    # -- names -----------------------------------------------------------------------

    def lookup(self, name: str) -> Any:
        frame: _Frame | None = self.frame
        while frame is not None:
            value = frame.bindings.get(name)
            if value is not None:
                return None if value is _HIDDEN else value
            frame = frame.lookup_parent
        if self.star_import and name not in _BUILTINS:
            return _Sym(f"{self.module}.{name}")
        return None

    def bind(self, name: str, value: Any) -> None:
        frame = self.frame
        if value is not None:
            frame.bindings[name] = value
        elif frame.is_function:
            frame.bindings[name] = _HIDDEN
        elif frame is self.module_frame:
            # Whatever it holds, a module-level name resolves to ``<module>.<name>``.
            frame.bindings[name] = _Sym(f"{self.module}.{name}")
        else:
            frame.bindings.pop(name, None)

    def static(self, node: ast.AST) -> Any:
        """The value of a name or attribute chain, without recording anything."""

        node_type = type(node)
        if node_type is ast.Name:
            return self.lookup(node.id)  # type: ignore[attr-defined]
        if node_type is ast.Attribute:
            base = self.static(node.value)  # type: ignore[attr-defined]
            if type(base) is _Sym:
                return base.attr(node.attr)  # type: ignore[attr-defined]
        return None

    def dotted(self, node: ast.AST) -> str:
        value = self.static(node)
        if type(value) is _Sym and not value.label:
            return value.dotted
        return ""

    def prebind(self, body: list[ast.stmt]) -> None:
        """Bind module-level names before the walk: functions may use names defined below."""

        bindings = self.module_frame.bindings
        for stmt in body:
            stmt_type = type(stmt)
            if (
                stmt_type is ast.ClassDef
                or stmt_type is ast.FunctionDef
                or (stmt_type is ast.AsyncFunctionDef)
            ):
                bindings[stmt.name] = _Sym(f"{self.module}.{stmt.name}")  # type: ignore[attr-defined]
            elif stmt_type is ast.Assign or stmt_type is ast.AnnAssign:
                targets = stmt.targets if stmt_type is ast.Assign else [stmt.target]  # type: ignore[attr-defined]
                value = stmt.value  # type: ignore[attr-defined]
                for target in targets:
                    if type(target) is ast.Name:
                        bindings[target.id] = self.prebound_value(target.id, value)
            elif stmt_type is ast.Import or stmt_type is ast.ImportFrom:
                for name, target, alias in self.import_names(stmt):  # type: ignore[arg-type]
                    if name != "*":
                        bindings[name] = _import_binding(stmt, name, target, alias)
            elif stmt_type is ast.If or stmt_type is ast.Try:
                self.prebind(stmt.body)  # type: ignore[attr-defined]
                self.prebind(stmt.orelse)  # type: ignore[attr-defined]
                if stmt_type is ast.Try:
                    for handler in stmt.handlers:  # type: ignore[attr-defined]
                        self.prebind(handler.body)
                    self.prebind(stmt.finalbody)  # type: ignore[attr-defined]

    def prebound_value(self, name: str, value: ast.AST | None) -> Any:
        if value is None:
            return _Sym(f"{self.module}.{name}")
        if _is_string_expr(value):
            return _StrNode(value)  # type: ignore[arg-type]
        if type(value) is ast.Call:
            func = value.func
            func_name = func.id if type(func) is ast.Name else getattr(func, "attr", "")
            if func_name == "get_model":
                label = _label_of_args(value)
                if label:
                    return _Sym("", label)
            if func_name == "get_user_model":
                return _Sym("", "AUTH_USER_MODEL", "setting")
        return _Sym(f"{self.module}.{name}")

    # -- imports ---------------------------------------------------------------------

    def import_names(self, node: ast.Import | ast.ImportFrom) -> list[tuple[str, str, ast.alias]]:
        """(local name, absolute target, alias node) for each name the statement binds."""

        result = []
        if type(node) is ast.Import:
            for alias in node.names:
                if alias.asname:
                    result.append((alias.asname, alias.name, alias))
                else:
                    result.append((alias.name.split(".")[0], alias.name, alias))
            return result
        assert isinstance(node, ast.ImportFrom)
        base = node.module or ""
        if node.level:
            package = self.package
            for _ in range(node.level - 1):
                package = package.rpartition(".")[0]
            base = f"{package}.{base}" if base and package else (base or package)
        for alias in node.names:
            if alias.name == "*":
                result.append(("*", f"{base}.*", alias))
            else:
                result.append((alias.asname or alias.name, f"{base}.{alias.name}", alias))
        return result

    def placement(self) -> ImportScope:
        if self.type_checking:
            return ImportScope.TYPE_CHECKING
        if self.frame.is_function:
            return ImportScope.FUNCTION
        if self.conditional:
            return ImportScope.CONDITIONAL
        return ImportScope.MODULE

    def record_imports(self, node: ast.Import | ast.ImportFrom) -> None:
        placement = self.placement()
        scope = self.scope
        for name, target, alias in self.import_names(node):
            line = getattr(alias, "lineno", node.lineno)
            column = getattr(alias, "col_offset", node.col_offset) + 1
            self.imports.append(ImportFact(name, target, placement, scope, line, column))
            if name != "*":
                self.bind(name, _import_binding(node, name, target, alias))

    def visit_import(self, node: ast.Import) -> None:
        self.record_imports(node)

    def visit_import_from(self, node: ast.ImportFrom) -> None:
        self.record_imports(node)

    # -- statements ------------------------------------------------------------------

    def visit_if(self, node: ast.If) -> None:
        test = node.test
        is_type_checking = (type(test) is ast.Name and test.id == "TYPE_CHECKING") or (
            type(test) is ast.Attribute and test.attr == "TYPE_CHECKING"
        )
        self.visit(test)
        at_module = not self.frame.is_function
        if at_module:
            self.conditional += 1
        if is_type_checking:
            self.type_checking += 1
            self.visit_body(node.body)
            self.type_checking -= 1
        else:
            self.visit_body(node.body)
        self.visit_body(node.orelse)
        if at_module:
            self.conditional -= 1

    def visit_try(self, node: ast.Try) -> None:
        at_module = not self.frame.is_function
        if at_module:
            self.conditional += 1
        self.visit_body(node.body)
        for handler in node.handlers:
            if handler.type is not None:
                self.visit(handler.type)
            if handler.name:
                self.bind(handler.name, None)
            self.visit_body(handler.body)
        self.visit_body(node.orelse)
        self.visit_body(node.finalbody)
        if at_module:
            self.conditional -= 1

    def visit_expr(self, node: ast.Expr) -> None:
        value = node.value
        if self.want_settings and not self.frame.is_function and type(value) is ast.Call:
            self.settings_call(value)
        if type(value) is not ast.Constant:  # docstrings
            self.use(value)

    def visit_assign(self, node: ast.Assign) -> None:
        value_node = node.value
        targets = node.targets
        first = targets[0]
        if len(targets) == 1 and type(first) is ast.Name:
            name = first.id
            if self.want_settings and name in _SETTINGS_NAMES and not self.frame.is_function:
                self.settings_assign(name, value_node, augmented=False)
            if _is_string_expr(value_node) or _is_config_expr(value_node):
                self.visit(value_node)
                self.bind(name, _StrNode(value_node))
                return
            self.assign_value, self.assign_name = value_node, name
            value = self.use(value_node)
            self.assign_value, self.assign_name = None, ""
            self.bind_target(first, value)
            return
        value = self.use(value_node)
        for target in targets:
            self.bind_target(target, value)

    def visit_ann_assign(self, node: ast.AnnAssign) -> None:
        target = node.target
        if node.value is None:
            return
        value_node = node.value
        if type(target) is ast.Name:
            if self.want_settings and target.id in _SETTINGS_NAMES and not self.frame.is_function:
                self.settings_assign(target.id, value_node, augmented=False)
            if _is_string_expr(value_node):
                self.visit(value_node)
                self.bind(target.id, _StrNode(value_node))
                return
            self.assign_value, self.assign_name = value_node, target.id
        value = self.use(value_node)
        self.assign_value, self.assign_name = None, ""
        if value is None:
            value = self.annotated_value(node.annotation)
        self.bind_target(target, value)

    def visit_aug_assign(self, node: ast.AugAssign) -> None:
        target = node.target
        if (
            self.want_settings
            and type(target) is ast.Name
            and target.id == "INSTALLED_APPS"
            and not self.frame.is_function
        ):
            self.settings_assign(target.id, node.value, augmented=True)
        self.use(node.value)
        if type(target) is not ast.Name:
            self.use(target)

    def bind_target(self, target: ast.expr, value: Any) -> None:
        target_type = type(target)
        if target_type is ast.Name:
            if type(value) is _Query:
                value = _bound_query(value)
            elif type(value) is _Inst:
                if value.tuple_:
                    value = None
                elif value.query is not None:
                    value = _Inst(value.target)
            self.bind(target.id, value)  # type: ignore[attr-defined]
        elif target_type is ast.Tuple or target_type is ast.List:
            elts = target.elts  # type: ignore[attr-defined]
            first_value = None
            if type(value) is _Inst and value.tuple_:
                first_value = _Inst(value.target)
            elif type(value) is _Seq and len(value.items) == len(elts):
                for elt, item in zip(elts, value.items, strict=True):
                    self.bind_target(elt, item)
                return
            for i, elt in enumerate(elts):
                self.bind_target(elt, first_value if i == 0 else None)
        elif target_type is ast.Attribute:
            owner = self.static_target_owner(target)  # type: ignore[arg-type]
            if owner is not None and not owner.is_self and owner.loaded:
                self.record(owner.target, "write", "instance-setattr", target.attr, "", target)  # type: ignore[attr-defined]
            elif owner is not None and owner.is_self and value is not None:
                class_frame = self.enclosing_class_frame()
                if class_frame is not None and type(value) in (_Http, _Session):
                    class_frame.self_attrs[target.attr] = value  # type: ignore[attr-defined]
            self.use(target.value)  # type: ignore[attr-defined]
        elif target_type is ast.Subscript:
            self.use(target)
        elif target_type is ast.Starred:
            self.bind_target(target.value, None)  # type: ignore[attr-defined]

    def static_target_owner(self, target: ast.Attribute) -> _Inst | None:
        if type(target.value) is ast.Name:
            value = self.lookup(target.value.id)
            if type(value) is _Inst:
                return value
        return None

    def enclosing_class_frame(self) -> _Frame | None:
        return self.frame.class_frame

    def visit_for(self, node: ast.For | ast.AsyncFor) -> None:
        iterated = self.use(node.iter)
        self.bind_target(node.target, _element_of(iterated))
        self.visit_body(node.body)
        self.visit_body(node.orelse)

    def visit_comprehension(self, node: Any) -> None:
        for generator in node.generators:
            iterated = self.use(generator.iter)
            self.bind_target(generator.target, _element_of(iterated))
            for condition in generator.ifs:
                self.visit(condition)
        if type(node) is ast.DictComp:
            self.visit(node.key)
            self.visit(node.value)
        else:
            self.visit(node.elt)

    # -- functions and transactions --------------------------------------------------

    def visit_function(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        atomic_at: ast.expr | None = None
        atomic_callee = ""
        for decorator in node.decorator_list:
            value = self.use(decorator)
            callee_node: ast.expr | None = None
            if value is _ATOMIC or (type(value) is _Sym and _last(value.dotted) == "atomic"):
                callee_node = decorator.func if type(decorator) is ast.Call else decorator
            elif type(decorator) is ast.Call and decorator.args:
                # method_decorator(transaction.atomic, name="post")
                wrapped = decorator.args[0]
                wrapped = wrapped.func if type(wrapped) is ast.Call else wrapped
                if _last(self.dotted(wrapped)) == "atomic":
                    callee_node = wrapped
            if callee_node is not None:
                atomic_at = decorator
                atomic_callee = self.dotted(callee_node) or "atomic"
        args = node.args
        for default in args.defaults:
            self.visit(default)
        for kw_default in args.kw_defaults:
            if kw_default is not None:
                self.visit(kw_default)
        parent = self.frame
        qualname = f"{parent.qualname}.{node.name}" if parent.qualname else node.name
        lookup_parent: _Frame | None = parent
        while (
            lookup_parent is not None
            and not lookup_parent.is_function
            and (lookup_parent.class_target is not None)
        ):
            lookup_parent = lookup_parent.lookup_parent  # class scopes are not visible
        frame = _Frame(
            qualname,
            True,
            lookup_parent,
            class_frame=parent if parent.class_target is not None else parent.class_frame,
        )
        self.bind_parameters(node, frame, parent)
        self.frame = frame
        tx: _OpenTx | None = None
        if atomic_at is not None:
            tx = self.open_tx("atomic", atomic_callee, atomic_at)
        self.visit_body(node.body)
        if tx is not None:
            self.close_tx(tx)
        self.frame = parent

    def bind_parameters(
        self, node: ast.FunctionDef | ast.AsyncFunctionDef, frame: _Frame, parent: _Frame
    ) -> None:
        args = node.args
        positional = [*args.posonlyargs, *args.args]
        everything = [*positional, *args.kwonlyargs]
        if args.vararg is not None:
            everything.append(args.vararg)
        if args.kwarg is not None:
            everything.append(args.kwarg)
        bindings = frame.bindings
        for arg in everything:
            value = None
            if arg.annotation is not None:
                value = self.annotated_value(arg.annotation)
            bindings[arg.arg] = value if value is not None else _HIDDEN
        class_target = parent.class_target
        if class_target is not None and positional:
            first = positional[0].arg
            is_static = any(
                type(d) is ast.Name and d.id == "staticmethod" for d in node.decorator_list
            )
            is_classmethod = any(
                type(d) is ast.Name and d.id == "classmethod" for d in node.decorator_list
            )
            if is_classmethod:
                bindings[first] = _Sym(class_target.value)
            elif not is_static:
                bindings[first] = _Inst(class_target, is_self=True)

    def annotated_value(self, annotation: ast.expr) -> Any:
        """A parameter or variable annotated ``Session`` or with a model class."""

        node = annotation
        while type(node) is ast.Subscript and type(node.value) in (ast.Name, ast.Attribute):
            wrapper = node.value
            name = wrapper.id if type(wrapper) is ast.Name else wrapper.attr  # type: ignore[attr-defined]
            if name != "Optional":
                return None
            node = node.slice
        if type(node) is ast.BinOp and type(node.op) is ast.BitOr:
            if _is_none(node.right):
                node = node.left
            elif _is_none(node.left):
                node = node.right
        value = self.static(node)
        if type(value) is not _Sym:
            return None
        if value.label:
            return _Inst(value.model) if not value.dotted else None
        last = _last(value.dotted)
        if last in ("Session", "AsyncSession", "scoped_session", "async_scoped_session"):
            return _SESSION
        if _is_classlike(last) and _root(value.dotted) not in _NOT_ENTITY_ROOTS:
            return _Inst(Target("ref", value.dotted))
        return None

    def open_tx(self, kind: TransactionKind, callee: str, at: _Located) -> _OpenTx:
        slot = len(self.transactions)
        self.transactions.append(None)
        tx = _OpenTx(
            kind,
            callee,
            at.lineno,
            at.col_offset + 1,
            len(self.accesses),
            len(self.raw_sql),
            slot,
        )
        self.frame.open_tx.append(tx)
        return tx

    def close_tx(self, tx: _OpenTx) -> None:
        self.frame.open_tx.remove(tx)
        writes = tuple(
            i
            for i in range(tx.access_start, len(self.accesses))
            if self.accesses[i].kind == "write"
        )
        self.transactions[tx.slot] = TransactionFact(
            tx.kind,
            tx.callee,
            self.scope,
            writes,
            self.raw_writes(tx.raw_start),
            tuple(sorted(tx.calls)),
            tx.line,
            tx.column,
        )

    def raw_writes(self, start: int, scope: str | None = None) -> tuple[int, ...]:
        return tuple(
            i
            for i in range(start, len(self.raw_sql))
            if (scope is None or self.raw_sql[i].scope == scope)
            and any(t.access == "write" for t in self.raw_sql[i].tables)
        )

    def commit(self, call: ast.Call) -> None:
        frame = self.frame
        if frame.open_tx:  # the enclosing ``with`` scope already records these writes
            self.reset_commit_marks(frame)
            return
        writes = tuple(
            i
            for i in range(frame.commit_access, len(self.accesses))
            if self.accesses[i].kind == "write" and self.accesses[i].scope == frame.qualname
        )
        raw_writes = self.raw_writes(frame.commit_raw, frame.qualname)
        calls = tuple(sorted(set(frame.commit_calls)))
        if writes or raw_writes or calls:
            callee = _describe(call.func)
            self.transactions.append(
                TransactionFact(
                    "commit",
                    callee,
                    frame.qualname,
                    writes,
                    raw_writes,
                    calls,
                    call.lineno,
                    call.col_offset + 1,
                )
            )
        self.reset_commit_marks(frame)

    def reset_commit_marks(self, frame: _Frame) -> None:
        frame.commit_access = len(self.accesses)
        frame.commit_raw = len(self.raw_sql)
        frame.commit_calls = []

    def note_call(self, name: str) -> None:
        if _is_classlike(_last(name)) or _root(name) in _NOT_ENTITY_ROOTS:
            return  # classes are constructed, not called into; libraries write nothing of ours
        frame = self.frame
        for tx in frame.open_tx:
            tx.calls.add(name)
        if frame.is_function:
            frame.commit_calls.append(name)

    def visit_with(self, node: ast.With | ast.AsyncWith) -> None:
        opened: list[_OpenTx] = []
        for item in node.items:
            context = item.context_expr
            value = self.use(context)
            kind: TransactionKind | None = None
            callee = ""
            if value is _ATOMIC or (type(value) is _Sym and _last(value.dotted) == "atomic"):
                kind = "atomic"
                callee_node = context.func if type(context) is ast.Call else context
                callee = self.dotted(callee_node) or "atomic"
            elif value is _BEGIN:
                kind, callee = "begin", _describe(context.func)  # type: ignore[attr-defined]
            elif value is _SESSION and type(context) is ast.Call:
                kind, callee = "session", _describe(context.func)
            if kind is not None:
                opened.append(self.open_tx(kind, callee, context))
            if item.optional_vars is not None:
                bound = value
                if value is _BEGIN:
                    bound = _SESSION  # ``with engine.begin() as conn``: conn executes
                elif value is _ATOMIC:
                    bound = None
                self.bind_target(item.optional_vars, bound)
        self.visit_body(node.body)
        for tx in reversed(opened):
            self.close_tx(tx)

    # -- classes ---------------------------------------------------------------------

    def visit_class(self, node: ast.ClassDef) -> None:
        parent = self.frame
        qualname = f"{parent.qualname}.{node.name}" if parent.qualname else node.name
        for decorator in node.decorator_list:
            self.use(decorator)
        decorators = tuple(
            self.dotted(d.func if type(d) is ast.Call else d) for d in node.decorator_list
        )
        bases = []
        for base in node.bases:
            self.use(base)
            base_node = base.value if type(base) is ast.Subscript else base
            bases.append(self.dotted(base_node))
        keywords = []
        for keyword in node.keywords:
            self.use(keyword.value)
            if keyword.arg is not None:
                keywords.append(ClassKeyword(keyword.arg, self.keyword_text(keyword.value)))
        slot = len(self.classes)
        self.classes.append(None)
        target = Target("ref", f"{self.module}.{qualname}")
        frame = _Frame(qualname, False, parent, class_target=target)
        frame.class_frame = frame
        self.frame = frame
        meta: DjangoMeta | None = None
        tablename: str | None = None
        tablename_computed = False
        sa_abstract: bool | None = None
        table: str | None = None
        table_ref: str | None = None
        relations: list[RelationFact] = []
        managers: list[ManagerFact] = []
        for stmt in node.body:
            stmt_type = type(stmt)
            if stmt_type is ast.ClassDef and stmt.name == "Meta":  # type: ignore[attr-defined]
                meta = self.django_meta(stmt)  # type: ignore[arg-type]
                continue
            if (stmt_type is ast.FunctionDef or stmt_type is ast.AsyncFunctionDef) and (
                stmt.name == "__tablename__"  # type: ignore[attr-defined]
            ):
                tablename_computed = True
            elif stmt_type is ast.Assign or stmt_type is ast.AnnAssign:
                if stmt_type is ast.Assign:
                    names = [t.id for t in stmt.targets if type(t) is ast.Name]  # type: ignore[attr-defined]
                    annotation = None
                else:
                    target_node = stmt.target  # type: ignore[attr-defined]
                    names = [target_node.id] if type(target_node) is ast.Name else []
                    annotation = stmt.annotation  # type: ignore[attr-defined]
                value = stmt.value  # type: ignore[attr-defined]
                for name in names:
                    if name == "__tablename__":
                        tablename = _const_str(value)
                    elif name == "__abstract__":
                        if type(value) is ast.Constant and type(value.value) is bool:
                            sa_abstract = value.value
                    elif name == "__table__":
                        if type(value) is ast.Call:
                            table = _const_str(value.args[0]) if value.args else None
                        elif value is not None:
                            table_ref = self.dotted(value) or None
                    elif name == "__table_args__" and value is not None:
                        relations.extend(self.constraint_relations(value))
                    elif value is not None:
                        self.class_field(name, value, annotation, relations, managers)
            self.visit(stmt)
        self.frame = parent
        self.classes[slot] = ClassFact(
            node.name,
            qualname,
            tuple(bases),
            tuple(keywords),
            decorators,
            meta,
            tablename,
            tablename_computed,
            sa_abstract,
            table,
            table_ref,
            tuple(relations),
            tuple(managers),
            parent.qualname,
            node.lineno,
            node.col_offset + 1,
        )

    def keyword_text(self, node: ast.expr) -> str:
        if type(node) is ast.Constant:
            return repr(node.value)
        return self.dotted(node)

    def django_meta(self, node: ast.ClassDef) -> DjangoMeta:
        values: dict[str, Any] = {}
        model: Target | None = None
        for stmt in node.body:
            if type(stmt) is ast.Assign and len(stmt.targets) == 1:
                target = stmt.targets[0]
                if type(target) is not ast.Name:
                    continue
                if type(stmt.value) is ast.Constant:
                    values[target.id] = stmt.value.value
                elif target.id == "model":
                    model = self.django_target(stmt.value)
        bases = tuple(self.dotted(b) for b in node.bases)

        def text(key: str) -> str | None:
            value = values.get(key)
            return value if type(value) is str else None

        def flag(key: str) -> bool | None:
            value = values.get(key)
            return value if type(value) is bool else None

        return DjangoMeta(
            text("db_table"),
            flag("abstract"),
            flag("proxy"),
            text("app_label"),
            flag("managed"),
            bases,
            model,
            node.lineno,
        )

    def class_field(
        self,
        name: str,
        value: ast.expr,
        annotation: ast.expr | None,
        relations: list[RelationFact],
        managers: list[ManagerFact],
    ) -> None:
        if type(value) is not ast.Call:
            return
        func = value.func
        if type(func) is ast.Call:  # Manager.from_queryset(QuerySet)()
            managers.append(ManagerFact(name, self.dotted(func.func), value.lineno))
            return
        callee = self.dotted(func) or _describe(func)
        last = _last(callee)
        line, column = value.lineno, value.col_offset + 1
        relation_kind = _DJANGO_RELATIONS.get(last)
        if relation_kind is None and (
            last.endswith("ForeignKey")
            or last.endswith("ManyToManyField")
            or last.endswith("OneToOneField")
        ):
            relation_kind = (
                "many-to-many"
                if last.endswith("ManyToManyField")
                else "one-to-one"
                if last.endswith("OneToOneField")
                else "foreign-key"
            )
        if relation_kind is not None and _root(callee) not in _ORM_ROOTS:
            target_node = _argument(value, 0, "to")
            target = None
            if relation_kind != "generic-foreign-key" and target_node is not None:
                target = self.django_target(target_node)
            through_node = _argument(value, None, "through")
            through = self.django_target(through_node) if through_node is not None else None
            relations.append(
                RelationFact(name, relation_kind, callee or last, target, through, line, column)
            )
            return
        if last in _COLUMN_CALLS:
            relations.extend(self.column_relations(name, value))
            return
        if last in _RELATIONSHIP_CALLS:
            target_node = _argument(value, 0, "argument")
            if target_node is not None:
                target = self.sa_target(target_node, "class-name")
            elif annotation is not None:
                target = self.annotation_target(annotation)
            else:
                target = None
            secondary = _argument(value, None, "secondary")
            through = self.sa_target(secondary, "table") if secondary is not None else None
            relations.append(
                RelationFact(name, "relationship", callee or last, target, through, line, column)
            )
            return
        if last.endswith(("Manager", "manager")) or last == "as_manager":
            managers.append(ManagerFact(name, callee or last, line))

    def django_target(self, node: ast.expr) -> Target | None:
        text = _const_str(node)
        if text is not None:
            return Target("model-label", text)
        value = self.static(node)
        if type(value) is not _Sym:
            return None
        if value.label:
            return value.model
        if _last(value.dotted) == "AUTH_USER_MODEL" or value.dotted.endswith(
            "settings.AUTH_USER_MODEL"
        ):
            return Target("setting", "AUTH_USER_MODEL")
        if ".settings." in value.dotted or value.dotted.startswith("settings."):
            return Target("setting", _last(value.dotted))
        return Target("ref", value.dotted)

    def sa_target(self, node: ast.expr, string_kind: str) -> Target | None:
        if type(node) is ast.Lambda:
            node = node.body
        text = _const_str(node)
        if text is not None:
            if string_kind == "class-name":
                return Target("class-name", text)
            return Target("table", text)
        value = self.static(node)
        if type(value) is _Sym:
            if value.label:
                return value.model
            return Target("ref", value.dotted)
        return None

    def annotation_target(self, annotation: ast.expr) -> Target | None:
        """The class in ``Mapped[list["Address"]]`` or ``Optional["Team"]``."""

        node: ast.expr = annotation
        for _ in range(8):
            if type(node) is ast.Subscript:
                inner = node.slice
                wrapper = self.dotted(node.value) or getattr(node.value, "id", "")
                if _last(wrapper) not in _ANNOTATION_WRAPPERS:
                    return None
                if type(inner) is ast.Tuple and inner.elts:
                    inner = inner.elts[-1] if _last(wrapper) in ("Dict", "dict") else inner.elts[0]
                node = inner
            elif type(node) is ast.BinOp and type(node.op) is ast.BitOr:
                node = node.right if _is_none(node.left) else node.left
            elif type(node) is ast.Constant and type(node.value) is str:
                try:
                    node = ast.parse(node.value, mode="eval").body
                except SyntaxError:
                    return None
                if type(node) is ast.Name or type(node) is ast.Attribute:
                    return Target("class-name", ast.unparse(node))
            elif type(node) is ast.Name or type(node) is ast.Attribute:
                value = self.static(node)
                if type(value) is _Sym and not value.label:
                    return Target("ref", value.dotted)
                return Target("class-name", ast.unparse(node))
            else:
                return None
        return None

    def column_relations(self, field: str, call: ast.Call) -> list[RelationFact]:
        found = []
        for arg in call.args:
            if type(arg) is ast.Call:
                callee = self.dotted(arg.func) or getattr(arg.func, "id", "")
                if _last(callee) == "ForeignKey" and arg.args:
                    target = self.column_target(arg.args[0])
                    if target is not None:
                        found.append(_column_key(field, callee, target, arg))
        foreign_key = _argument(call, None, "foreign_key")  # SQLModel Field(foreign_key=...)
        if foreign_key is not None:
            target = self.column_target(foreign_key)
            if target is not None:
                found.append(_column_key(field, self.dotted(call.func) or "Field", target, call))
        return found

    def column_target(self, node: ast.expr) -> Target | None:
        text = _const_str(node)
        if text is not None:
            return Target("column", text)
        dotted = self.dotted(node)
        return Target("ref", dotted) if dotted else None

    def constraint_relations(self, node: ast.expr) -> list[RelationFact]:
        """``ForeignKeyConstraint(["user_id"], ["users.id"])`` in ``__table_args__``/Table."""

        found = []
        items = node.elts if type(node) in (ast.Tuple, ast.List) else [node]  # type: ignore[attr-defined]
        for item in items:
            if type(item) is not ast.Call:
                continue
            callee = self.dotted(item.func) or getattr(item.func, "id", "")
            if _last(callee) != "ForeignKeyConstraint" or len(item.args) < 2:
                continue
            columns, referred = item.args[0], item.args[1]
            if type(columns) not in (ast.List, ast.Tuple) or type(referred) not in (
                ast.List,
                ast.Tuple,
            ):
                continue
            for column_node, referred_node in zip(columns.elts, referred.elts, strict=False):  # type: ignore[attr-defined]
                field = _const_str(column_node) or self.dotted(column_node)
                target = self.column_target(referred_node)
                if target is not None:
                    found.append(_column_key(field, callee, target, item))
        return found

    # -- expressions -----------------------------------------------------------------

    def use(self, node: ast.AST) -> Any:
        """Evaluate ``node`` as a value that is used: pending queries become accesses."""

        value = self.evaluate(node)
        value_type = type(value)
        if value_type is _Query:
            if value.pending:
                self.record_query(value)
        elif value_type is _Inst and value.query is not None and value.query.pending:
            self.record_query(value.query)
        return value

    def evaluate(self, node: ast.AST) -> Any:
        node_type = type(node)
        if node_type is ast.Call:
            return self.evaluate_call(node)  # type: ignore[arg-type]
        if node_type is ast.Name:
            value = self.lookup(node.id)  # type: ignore[attr-defined]
            if value is None and _named_session(node.id):  # type: ignore[attr-defined]
                return _SESSION  # ``db_session``, ``session``: by name, as people write them
            return value
        if node_type is ast.Attribute:
            return self.evaluate_attribute(node)  # type: ignore[arg-type]
        if node_type is ast.Subscript:
            return self.evaluate_subscript(node)  # type: ignore[arg-type]
        if node_type is ast.Await:
            return self.evaluate(node.value)  # type: ignore[attr-defined]
        if node_type is ast.List or node_type is ast.Tuple:
            return _Seq([self.use(e) for e in node.elts])  # type: ignore[attr-defined]
        if node_type is ast.Constant:
            return None
        self.visit(node)
        return None

    def evaluate_attribute(self, node: ast.Attribute) -> Any:
        base = self.evaluate(node.value)
        base_type = type(base)
        attr = node.attr
        if base_type is _Sym:
            return base.attr(attr)
        if base_type is _Inst:
            if base.is_self:
                if attr == "__class__":
                    return _Sym(base.target.value)
                class_frame = self.enclosing_class_frame()
                if class_frame is not None:
                    # ``self.client`` set in a method, or ``self.model`` set in the class body
                    bound = class_frame.self_attrs.get(attr) or class_frame.bindings.get(attr)
                    if bound is not None and bound is not _HIDDEN:
                        return bound
            elif base.query is not None and base.query.pending:
                self.record_query(base.query)
            return _SESSION if "session" in attr.lower() else None
        if base_type is _Query and base.pending:
            self.record_query(base)
            return None
        if "ession" in attr and "session" in attr.lower():
            return _SESSION
        return None

    def evaluate_subscript(self, node: ast.Subscript) -> Any:
        base = self.evaluate(node.value)
        self.visit(node.slice)
        if type(base) is _Query:
            if type(node.slice) is ast.Slice:
                return base
            if base.rows:
                return None
            return _Inst(base.targets[0], base if base.pending else None)
        if type(base) is _Inst and base.query is not None and base.query.pending:
            self.record_query(base.query)
        return None

    def evaluate_call(self, node: ast.Call) -> Any:
        func = node.func
        func_type = type(func)
        if func_type is ast.Attribute:
            receiver = self.evaluate(func.value)  # type: ignore[attr-defined]
            return self.method_call(node, receiver, func.attr)  # type: ignore[attr-defined]
        if func_type is ast.Name:
            if func.id == "type" and len(node.args) == 1 and not node.keywords:  # type: ignore[attr-defined]
                instance = self.use(node.args[0])
                if type(instance) is _Inst and instance.target.kind == "ref":
                    return _Sym(instance.target.value)  # type(self).objects...
                return None
            callee = self.lookup(func.id)  # type: ignore[attr-defined]
            if callee is None and _named_session(func.id):  # type: ignore[attr-defined]
                callee = _SESSION
        else:
            callee = self.use(func)
        if type(callee) is _Sym:
            return self.call_sym(node, callee)
        if (
            callee is None
            and func_type is ast.Name
            and self.lookup_target is not None
            and (
                func.id in _LOOKUP_CALLS or func.id == "Q"  # type: ignore[attr-defined]
            )
        ):
            return self.lookup_call(node, func.id)  # type: ignore[attr-defined]
        if callee is _SESSION:  # Session(), SessionLocal(), sessionmaker(...)()
            self.visit_arguments(node)
            return _SESSION
        self.visit_arguments(node)
        return None

    def visit_arguments(self, node: ast.Call) -> None:
        for arg in node.args:
            if type(arg) is not ast.Constant:
                self.use(arg)
        for keyword in node.keywords:
            if type(keyword.value) is not ast.Constant:
                self.use(keyword.value)

    def argument_values(self, node: ast.Call) -> list[Any]:
        values = []
        for arg in node.args:
            values.append(None if type(arg) is ast.Constant else self.use(arg))
        for keyword in node.keywords:
            if type(keyword.value) is not ast.Constant:
                self.use(keyword.value)
        return values

    # -- calls of resolved names -----------------------------------------------------

    def call_sym(self, node: ast.Call, sym: _Sym) -> Any:
        dotted = sym.dotted
        if sym.label:
            self.visit_arguments(node)
            return None if dotted else _Inst(sym.model, loaded=False)
        if self.want_calls:
            self.note_call(dotted)
        kind = _CALL_KINDS.get(dotted)
        if kind is None:
            kind = _classify_call(dotted)
        if kind is _Call.OTHER:
            self.visit_arguments(node)
            return None
        last = _last(dotted)
        if kind is _Call.CONSTRUCT:
            self.visit_arguments(node)
            return _Inst(Target("ref", dotted), loaded=False)  # X(...): written if saved
        if kind is _Call.SESSION:
            self.visit_arguments(node)
            return _SESSION
        if kind is _Call.STATEMENT:
            return self.statement(node, last)
        if kind is _Call.TEXT:
            return self.text_call(node, dotted)
        if kind is _Call.TABLE:
            self.table_call(node)
            return None
        if kind is _Call.BASE:
            base_kind: BaseKind = _BASE_KINDS.get(last, "flask-sqlalchemy")
            self.base_call(node, base_kind, dotted)
            self.visit_arguments(node)
            return None
        if kind is _Call.LOADER:
            if last == "get_user_model":
                self.visit_arguments(node)
                return _Sym("", "AUTH_USER_MODEL", "setting")
            return self.loader_call(node, dotted)
        if kind is _Call.DYNAMIC:
            target = _const_str(node.args[0]) if node.args else None
            if target:
                self.dynamic_imports.append(
                    DynamicImportFact(target, last, self.scope, node.lineno, node.col_offset + 1)
                )
            self.visit_arguments(node)
            return None
        if kind is _Call.ATOMIC:
            self.visit_arguments(node)
            return _ATOMIC
        if kind is _Call.BEGIN:
            self.visit_arguments(node)
            return _BEGIN
        if kind is _Call.SHORTCUT:
            return self.shortcut(node, last)
        if kind is _Call.RAW_SQL:
            self.raw_sql_call(node, node.args[0] if node.args else None, "RawSQL", None)
            self.visit_arguments(node)
            return None
        if kind is _Call.LOOKUP:
            return self.lookup_call(node, last)
        return self.http_function(node, dotted, _root(dotted))

    def method_call(self, node: ast.Call, receiver: Any, method: str) -> Any:
        receiver_type = type(receiver)
        if receiver_type is _Sym:
            return self.method_on_sym(node, receiver, method)
        if receiver_type is _Query:
            return self.query_method(node, receiver, method)
        if receiver_type is _Inst:
            return self.instance_method(node, receiver, method)
        if receiver is _SESSION:
            return self.session_method(node, method)
        if receiver_type is _Http:
            return self.http_method(node, receiver, method)
        if receiver_type is _StrNode and method == "format":
            self.visit_arguments(node)
            return None
        if method in _SQL_METHODS:
            return self.execute_call(node, method)
        if method == "get_model":
            return self.loader_call(node, method)
        if method in ("begin", "begin_nested"):
            self.visit_arguments(node)
            return _BEGIN
        if method == "atomic":
            self.visit_arguments(node)
            return _ATOMIC
        self.visit_arguments(node)
        return None

    def method_on_sym(self, node: ast.Call, receiver: _Sym, method: str) -> Any:
        if (
            not receiver.label
            and "session" in _last(receiver.dotted).lower()
            and (_root(receiver.dotted) not in _HTTP_ROOTS)
        ):
            return self.session_method(node, method)  # db.session.add(...)
        model = _model_of(receiver)
        if model is not None and _root(receiver.dotted) not in _ORM_ROOTS:
            target, rest = model
            if len(rest) == 1:
                attr = rest[0]
                if attr == "query":
                    query = _Query(
                        [target], "query-property", "", "", "read", node.lineno, node.col_offset + 1
                    )
                    return self.query_method(node, query, method)
                if attr == "__table__" and method in _TABLE_METHODS and not node.args:
                    self.visit_arguments(node)
                    return _Query(
                        [target],
                        "table-method",
                        "",
                        method,
                        _TABLE_METHODS[method],
                        node.lineno,
                        node.col_offset + 1,
                    )
                if attr in _DEFAULT_MANAGERS or (
                    attr[:1].islower() and attr not in _NOT_MANAGERS and method in _QUERYSET_METHODS
                ):
                    query = _Query(
                        [target],
                        "manager",
                        attr,
                        "",
                        "read",
                        node.lineno,
                        node.col_offset + 1,
                        django=True,
                    )
                    return self.query_method(node, query, method)
        elif (
            method in _TABLE_METHODS
            and not node.args
            and not node.keywords
            and not receiver.label
            and (_root(receiver.dotted) not in _NOT_ENTITY_ROOTS)
        ):
            # users.insert(): a core Table held in a (lower-case) variable
            self.visit_arguments(node)
            return _Query(
                [Target("ref", receiver.dotted)],
                "table-method",
                "",
                method,
                _TABLE_METHODS[method],
                node.lineno,
                node.col_offset + 1,
            )
        if method in _SQL_METHODS:
            return self.execute_call(node, method)  # engine.execute("..."), db.engine.execute
        return self.call_sym(node, receiver.attr(method))

    # -- Django and SQLAlchemy queries -----------------------------------------------

    def query_method(self, node: ast.Call, query: _Query, method: str) -> Any:
        if not query.pending:
            if query.rows:
                self.visit_arguments(node)
                if method in _ROWS_TO_INSTANCE:
                    return _Inst(query.targets[0])
                if method in _ROWS_TO_ROWS:
                    return query
                return None
            # Reads were recorded where the query was built; only a write is news here.
            query = _Query(
                list(query.targets),
                "queryset" if query.django else query.idiom,
                query.manager,
                "",
                "read",
                node.lineno,
                node.col_offset + 1,
                django=query.django,
            )
            query.pending = False
        if method in _WRITE_METHODS:
            query.kind = "write"
            query.method = method
            query.pending = True
        elif not query.method:
            query.method = method
        if query.django:
            self.django_arguments(node, query, method)
        elif method in _JOIN_METHODS and node.args:
            for target in self.entities(node.args[0]):
                if target not in query.targets:
                    query.targets.append(target)
            self.visit_arguments(node)
        else:
            self.visit_arguments(node)
        if method == "raw" and query.django:
            self.raw_sql_call(node, node.args[0] if node.args else None, "raw", query.targets[0])
        elif method == "extra" and query.django:
            self.extra_call(node, query.targets[0])
        if method in _TUPLE_METHODS:
            return _Inst(query.targets[0], query, tuple_=True)
        if method in _INSTANCE_METHODS:
            return _Inst(query.targets[0], query)
        if method in _TERMINAL_METHODS:
            if query.pending:
                self.record_query(query)
            return None
        return query

    def django_arguments(self, node: ast.Call, query: _Query, method: str) -> None:
        """Lookup paths in the arguments, with Q/F/aggregates nested in them."""

        target = query.targets[0]
        if method in _LOOKUP_KWARG_METHODS:
            for keyword in node.keywords:
                if keyword.arg and "__" in keyword.arg and keyword.arg != "defaults":
                    self.add_lookup(target, keyword.arg, method, keyword)
        if method in _LOOKUP_STRING_METHODS:
            always = method in _RELATION_PATH_METHODS
            for arg in node.args:
                text = _const_str(arg)
                if text is not None:
                    path = text.lstrip("-?")
                    if "__" in path or (always and path):
                        self.add_lookup(target, path, method, arg)
        outer = self.lookup_target
        self.lookup_target = target
        self.visit_arguments(node)
        self.lookup_target = outer

    def add_lookup(self, target: Target, path: str, method: str, at: _Located) -> None:
        self.lookups.append(
            LookupFact(
                target,
                path,
                method,
                self.scope,
                at.lineno,
                at.col_offset + 1,
            )
        )

    def lookup_call(self, node: ast.Call, last: str) -> Any:
        target = self.lookup_target
        if target is not None:
            if last == "Q":
                for keyword in node.keywords:
                    if keyword.arg and "__" in keyword.arg:
                        self.add_lookup(target, keyword.arg, "Q", keyword)
            elif node.args:
                text = _const_str(node.args[0])
                if text is not None and ("__" in text or last in _ALWAYS_RELATION_CALLS):
                    self.add_lookup(target, text, last, node.args[0])
        self.visit_arguments(node)
        return None

    def record_query(self, query: _Query) -> None:
        query.pending = False
        scope = self.scope
        for i, target in enumerate(query.targets):
            kind: AccessKind = query.kind if i == 0 else "read"
            self.accesses.append(
                AccessFact(
                    target,
                    kind,
                    query.idiom,
                    query.method,
                    query.manager,
                    scope,
                    query.line,
                    query.column,
                )
            )

    def record(
        self,
        target: Target,
        kind: AccessKind,
        idiom: str,
        method: str,
        manager: str,
        at: _Located,
    ) -> None:
        self.accesses.append(
            AccessFact(
                target,
                kind,
                idiom,
                method,
                manager,
                self.scope,
                at.lineno,
                at.col_offset + 1,
            )
        )

    def instance_method(self, node: ast.Call, instance: _Inst, method: str) -> Any:
        query = instance.query
        if method in ("save", "delete", "asave", "adelete") and not node.args:
            self.visit_arguments(node)
            if query is not None and query.pending:
                query.kind, query.method = "write", method
                self.record_query(query)
            else:
                idiom = "instance"
                if type(node.func) is ast.Attribute and type(node.func.value) is ast.Call:
                    idiom = "construct"
                self.record(instance.target, "write", idiom, method, "", node)
            return None
        if query is not None and query.pending:
            self.record_query(query)
        if self.want_calls and instance.target.kind == "ref":
            self.note_call(f"{instance.target.value}.{method}")
        if instance.is_self and method in _SQL_METHODS:
            return self.execute_call(node, method)
        self.visit_arguments(node)
        return None

    def entities(self, node: ast.expr) -> list[Target]:
        """Mapped classes and tables named in ``select(...)``/``query(...)`` arguments."""

        found: list[Target] = []
        self.collect_entities(node, found, 0)
        return found

    def collect_entities(self, node: ast.expr, found: list[Target], depth: int) -> None:
        node_type = type(node)
        if node_type is ast.Name or node_type is ast.Attribute:
            value = self.static(node)
            if type(value) is _Sym:
                if value.label:
                    found.append(value.model)
                elif _root(value.dotted) not in _NOT_ENTITY_ROOTS:
                    found.append(Target("ref", _entity_dotted(value.dotted)))
            elif type(value) is _Inst and not value.is_self and node_type is ast.Attribute:
                pass
            elif node_type is ast.Attribute and depth < 4:
                self.collect_entities(node.value, found, depth + 1)  # type: ignore[attr-defined]
        elif node_type is ast.Call and depth < 4:
            call: ast.Call = node  # type: ignore[assignment]
            if type(call.func) is ast.Attribute:  # X.id.label("x"), X.name.desc()
                self.collect_entities(call.func.value, found, depth + 1)
            for arg in call.args:
                self.collect_entities(arg, found, depth + 1)
        elif node_type is ast.Starred:
            self.collect_entities(node.value, found, depth + 1)  # type: ignore[attr-defined]

    def statement(self, node: ast.Call, name: str) -> Any:
        targets: list[Target] = []
        for arg in node.args:
            for target in self.entities(arg):
                if target not in targets:
                    targets.append(target)
        self.visit_arguments(node)
        if not targets:
            return None
        return _Query(
            targets, "statement", "", name, _STATEMENTS[name], node.lineno, node.col_offset + 1
        )

    def session_method(self, node: ast.Call, method: str) -> Any:
        line, column = node.lineno, node.col_offset + 1
        if method == "query":
            targets: list[Target] = []
            for arg in node.args:
                for target in self.entities(arg):
                    if target not in targets:
                        targets.append(target)
            self.visit_arguments(node)
            if not targets:
                return None
            return _Query(targets, "session", "", "query", "read", line, column)
        if method in ("get", "get_one") and node.args:
            targets = self.entities(node.args[0])
            self.visit_arguments(node)
            if not targets:
                return None
            query = _Query(targets[:1], "session", "", method, "read", line, column)
            return _Inst(targets[0], query)
        if method in ("add", "add_all", "delete", "merge", "bulk_save_objects"):
            values = self.argument_values(node)
            for value in values[:1]:
                items = value.items if type(value) is _Seq else [value]
                for item in items:
                    if type(item) is _Inst:
                        self.record(item.target, "write", "session", method, "", node)
            return None
        if method in ("bulk_insert_mappings", "bulk_update_mappings") and node.args:
            for target in self.entities(node.args[0])[:1]:
                self.record(target, "write", "session", method, "", node)
            self.visit_arguments(node)
            return None
        if method in _SESSION_RESULT_METHODS:
            if node.args and self.is_sql_text(node.args[0]):
                return self.execute_call(node, method)
            values = self.argument_values(node)
            first = values[0] if values else None
            if type(first) is _Query and first.idiom in ("statement", "table-method"):
                rows = _Query(first.targets, "rows", "", "", "read", line, column, rows=True)
                rows.pending = False
                return _Inst(first.targets[0]) if method == "scalar" else rows
            return None
        if method == "commit":
            self.visit_arguments(node)
            if self.frame.is_function:
                self.commit(node)
            return None
        if method in ("begin", "begin_nested"):
            self.visit_arguments(node)
            return _BEGIN
        if method == "get_model":
            return self.loader_call(node, method)
        self.visit_arguments(node)
        return _SESSION if method in ("__call__", "begin") else None

    def shortcut(self, node: ast.Call, name: str) -> Any:
        values = self.argument_values(node)
        if not node.args:
            return None
        first = values[0]
        if type(first) is _Sym:
            model = _model_of(first)
            if model is not None and not model[1]:
                self.record(model[0], "read", "shortcut", name, "", node)
                return _Inst(model[0])
        elif type(first) is _Query:
            return _Inst(first.targets[0])
        return None

    def base_call(self, node: ast.Call, kind: BaseKind, callee: str) -> None:
        if node is self.assign_value and self.assign_name:
            self.bases.append(
                BaseFact(
                    self.assign_name, kind, callee, self.scope, node.lineno, node.col_offset + 1
                )
            )

    def loader_call(self, node: ast.Call, callee: str) -> Any:
        label = _label_of_args(node)
        self.visit_arguments(node)
        if not label:
            return None
        bound = self.assign_name if node is self.assign_value else ""
        callee_name = self.dotted(node.func) or _describe(node.func)
        self.loaders.append(
            LoaderFact(label, callee_name, bound, self.scope, node.lineno, node.col_offset + 1)
        )
        return _Sym("", label)

    def table_call(self, node: ast.Call) -> None:
        self.visit_arguments(node)
        name = _const_str(node.args[0]) if node.args else None
        metadata = ""
        if len(node.args) > 1 and type(node.args[1]) is not ast.Call:
            metadata = self.dotted(node.args[1])
        schema_node = _argument(node, None, "schema")
        schema = _const_str(schema_node) if schema_node is not None else None
        relations: list[RelationFact] = []
        for arg in node.args[1:]:
            if type(arg) is not ast.Call:
                continue
            last = _last(self.dotted(arg.func) or getattr(arg.func, "id", ""))
            if last == "Column" and arg.args:
                column = _const_str(arg.args[0]) or ""
                relations.extend(self.column_relations(column, arg))
            elif last == "ForeignKeyConstraint":
                relations.extend(self.constraint_relations(arg))
        variable = self.assign_name if node is self.assign_value else ""
        self.tables.append(
            TableFact(
                name or "",
                variable,
                metadata,
                schema,
                tuple(relations),
                self.scope,
                node.lineno,
                node.col_offset + 1,
            )
        )

    # -- raw SQL ---------------------------------------------------------------------

    def is_sql_text(self, node: ast.expr) -> bool:
        if not _could_be_string(node):
            return False
        text = self.string_of(node)
        return text is not None and looks_like_sql(text.render(" "))

    def execute_call(self, node: ast.Call, method: str) -> Any:
        first = node.args[0] if node.args else _argument(node, None, "sql")
        if first is not None and _could_be_string(first):
            self.raw_sql_call(node, first, method, None, require_sql=True)
        self.visit_arguments(node)
        return None

    def text_call(self, node: ast.Call, dotted: str) -> Any:
        # sqlalchemy's text() holds SQL by definition; another text() only if it reads as SQL
        if node.args:
            require_sql = not _is_orm_function(dotted)
            self.raw_sql_call(node, node.args[0], "text", None, require_sql=require_sql)
        self.visit_arguments(node)
        return None

    def extra_call(self, node: ast.Call, model: Target) -> None:
        for keyword in node.keywords:
            if keyword.arg in ("where", "select", "tables", "order_by") and type(keyword.value) in (
                ast.List,
                ast.Tuple,
                ast.Dict,
            ):
                value = keyword.value
                items = value.values if type(value) is ast.Dict else value.elts  # type: ignore[attr-defined]
                for item in items:
                    if keyword.arg == "tables":
                        table = _const_str(item)
                        if table:
                            self.raw_sql_call(node, None, "extra", model, table=table)
                    elif item is not None:
                        self.raw_sql_call(node, item, "extra", model)

    def raw_sql_call(
        self,
        node: ast.Call,
        sql_node: ast.expr | None,
        via: str,
        model: Target | None,
        *,
        require_sql: bool = False,
        table: str = "",
    ) -> bool:
        if table:
            tables: tuple[SqlTable, ...] = (
                SqlTable(table.rsplit(".", maxsplit=1)[-1].strip('"').lower(), "read"),
            )
            text, dynamic = table, False
        else:
            if sql_node is None:
                return False
            template = self.string_of(sql_node)
            if template is None:
                return False
            text = template.render("{}")
            is_sql = looks_like_sql(template.render(" "))
            if require_sql and not is_sql:
                return False
            tables = tables_in_sql(template.render(HOLE))
            if not tables and not is_sql:
                return False  # a fragment such as ``server_default=text("false")``
            dynamic = template.dynamic
        self.raw_sql.append(
            RawSqlFact(
                via,
                tables,
                text[:500],
                dynamic,
                model,
                self.scope,
                node.lineno,
                node.col_offset + 1,
            )
        )
        return True

    # -- strings (SQL text, URLs) ----------------------------------------------------

    def string_of(self, node: ast.expr) -> _Str | None:
        """The template a string expression builds, or None when it is not a string."""

        self.string_depth += 1
        try:
            if self.string_depth > 20:
                return None
            return self.string_of_inner(node)
        finally:
            self.string_depth -= 1

    def string_of_inner(self, node: ast.expr) -> _Str | None:
        node_type = type(node)
        if node_type is ast.Constant:
            value = node.value  # type: ignore[attr-defined]
            return _Str([value], []) if type(value) is str else None
        if node_type is ast.JoinedStr:
            parts: list[str | None] = []
            sources: list[ValueSource] = []
            for value in node.values:  # type: ignore[attr-defined]
                if type(value) is ast.Constant:
                    parts.append(str(value.value))
                    continue
                # A hole holding a known string (``f"{ORDERS_URL}/x"`` with a module
                # constant) is that string: the URL's host is what names a service.
                inner = self.string_of(value.value) if value.format_spec is None else None
                if inner is not None:
                    parts.extend(inner.parts)
                    sources.extend(inner.sources)
                else:
                    parts.append(None)
                    sources.extend(self.sources_of(value.value))
            return _Str(parts, sources)
        if node_type is ast.BinOp:
            op = type(node.op)  # type: ignore[attr-defined]
            if op is ast.Add:
                return self.concatenation(node)  # type: ignore[arg-type]
            left = self.string_of(node.left)  # type: ignore[attr-defined]
            if op is ast.Mod and left is not None:
                return _Str(left.parts, left.sources + self.sources_of(node.right))  # type: ignore[attr-defined]
            return None
        if node_type is ast.Name:
            value = self.lookup(node.id)  # type: ignore[attr-defined]
            if type(value) is _StrNode:
                return self.string_of(value.node)
            return None
        if _is_config_expr(node):
            sources = self.sources_of(node)
            return _Str([None], sources) if sources else None
        if node_type is ast.Call:
            func = node.func  # type: ignore[attr-defined]
            if type(func) is ast.Attribute and func.attr == "format":
                template = self.string_of(func.value)
                if template is None:
                    return None
                parts = []
                for part in template.parts:
                    if part is None:
                        parts.append(None)
                        continue
                    pieces = re.split(r"\{[^{}]*\}", part)
                    for i, piece in enumerate(pieces):
                        if i:
                            parts.append(None)
                        parts.append(piece)
                sources = list(template.sources)
                for arg in node.args:  # type: ignore[attr-defined]
                    sources.extend(self.sources_of(arg))
                for keyword in node.keywords:  # type: ignore[attr-defined]
                    sources.extend(self.sources_of(keyword.value))
                return _Str(parts, sources)
            if type(func) is ast.Attribute and func.attr in (
                "strip",
                "lstrip",
                "rstrip",
                "lower",
                "upper",
            ):
                return self.string_of(func.value)
            callee = self.dotted(func)
            if _last(callee) in ("urljoin", "join") and len(node.args) == 2:  # type: ignore[attr-defined]
                left = self.string_of(node.args[0]) or self.hole(node.args[0])  # type: ignore[attr-defined]
                right = self.string_of(node.args[1]) or self.hole(node.args[1])  # type: ignore[attr-defined]
                return _Str([*left.parts, "/", *right.parts], left.sources + right.sources)
            if callee in ("textwrap.dedent", "inspect.cleandoc") and node.args:  # type: ignore[attr-defined]
                return self.string_of(node.args[0])  # type: ignore[attr-defined]
            return None
        return None

    def concatenation(self, node: ast.BinOp) -> _Str | None:
        """``a + b + c``: walked as a list, not by recursion (SQL is often built this way)."""

        operands: list[ast.expr] = [node.right]
        left: ast.expr = node.left
        while type(left) is ast.BinOp and type(left.op) is ast.Add:
            operands.append(left.right)
            left = left.left
        operands.append(left)
        operands.reverse()
        templates = [self.string_of(operand) for operand in operands]
        if all(t is None for t in templates):
            return None
        parts: list[str | None] = []
        sources: list[ValueSource] = []
        for operand, template in zip(operands, templates, strict=True):
            piece = template or self.hole(operand)
            parts.extend(piece.parts)
            sources.extend(piece.sources)
        return _Str(parts, sources)

    def hole(self, node: ast.expr) -> _Str:
        return _Str([None], self.sources_of(node))

    def sources_of(self, node: ast.expr) -> list[ValueSource]:
        """Settings, environment variables and names that a string hole is built from."""

        node_type = type(node)
        if node_type is ast.Constant:
            value = node.value  # type: ignore[attr-defined]
            return [ValueSource("literal", value)] if type(value) is str else []
        if node_type is ast.Subscript:
            base = self.dotted(node.value)  # type: ignore[attr-defined]
            key = _const_str(node.slice)  # type: ignore[attr-defined]
            if key is not None and base in ("os.environ", "environ"):
                return [ValueSource("env", key)]
            return []
        if node_type is ast.Call:
            callee = self.dotted(node.func)  # type: ignore[attr-defined]
            args = node.args  # type: ignore[attr-defined]
            key = _const_str(args[0]) if args else None
            if key is not None and (callee in _ENV_GETTERS or _last(callee) == "getenv"):
                found = [ValueSource("env", key)]
                if len(args) > 1:
                    found.extend(self.sources_of(args[1]))
                return found
            if callee == "getattr" and len(args) >= 2:
                owner = self.dotted(args[0])
                if key is None:
                    key = _const_str(args[1])
                    if key is not None and owner.endswith("settings"):
                        return [ValueSource("setting", key)]
            return [ValueSource("call", callee)] if callee else []
        if node_type is ast.Name or node_type is ast.Attribute:
            value = self.static(node)
            if type(value) is _StrNode:
                template = self.string_of(value.node)
                return list(template.sources) if template is not None else []
            if type(value) is _Sym and not value.label:
                dotted = value.dotted
                head, _, attr = dotted.rpartition(".")
                if (
                    head == "django.conf.settings"
                    or head.endswith(".settings")
                    or head == "settings"
                ):
                    return [ValueSource("setting", attr)]
                if (
                    dotted.startswith(f"{self.module}.")
                    and "." not in dotted[len(self.module) + 1 :]
                ):
                    return []  # a module-level name that is not a string: nothing to report
                return [ValueSource("ref", dotted)]
            return []
        if node_type is ast.BinOp or node_type is ast.JoinedStr:
            template = self.string_of(node)
            return list(template.sources) if template is not None else []
        return []

    # -- HTTP ------------------------------------------------------------------------

    def http_function(self, node: ast.Call, dotted: str, root: str) -> Any:
        library = _HTTP_CLIENTS.get(dotted)
        if library is not None:
            base = _argument(node, None, "base_url")
            self.visit_arguments(node)
            return _Http(library, base)
        last = _last(dotted)
        module = dotted.rpartition(".")[0]
        if (
            root in ("requests", "httpx")
            and module in (root, f"{root}.api")
            and (last in _HTTP_METHODS or last in ("request", "stream"))
        ) or (root == "aiohttp" and last == "request"):
            self.http_request(node, root, last, None)
        elif dotted in ("urllib.request.urlopen", "urllib.request.Request"):
            url_node = _argument(node, 0, "url")
            method_node = _argument(node, None, "method")
            method = (_const_str(method_node) or "") if method_node is not None else ""
            if last == "Request":
                self.visit_arguments(node)
                return _Request(url_node, method)
            values = self.argument_values(node)
            if values and type(values[0]) is _Request:
                request: _Request = values[0]
                self.add_http(node, "urllib", request.method or "GET", request.url, None)
            elif url_node is not None:
                self.add_http(node, "urllib", method or "GET", url_node, None)
            return None
        self.visit_arguments(node)
        return None

    def http_method(self, node: ast.Call, client: _Http, method: str) -> Any:
        if method in _HTTP_METHODS or method in ("request", "stream"):
            self.http_request(node, client.library, method, client.base)
        else:
            self.visit_arguments(node)
        return None

    def http_request(
        self, node: ast.Call, library: str, method: str, base: ast.expr | None
    ) -> None:
        if method in ("request", "stream"):
            verb_node = _argument(node, 0, "method")
            verb = (_const_str(verb_node) or "") if verb_node is not None else ""
            url_node = _argument(node, 1, "url")
        else:
            verb = method
            url_node = _argument(node, 0, "url")
        self.add_http(node, library, verb.upper(), url_node, base)
        self.visit_arguments(node)

    def add_http(
        self,
        node: ast.Call,
        library: str,
        method: str,
        url_node: ast.expr | None,
        base: ast.expr | None,
    ) -> None:
        template = _Str([], [])
        if base is not None:
            base_template = self.string_of(base) or self.hole(base)
            template = _Str(list(base_template.parts), list(base_template.sources))
        if url_node is not None:
            url = self.string_of(url_node) or self.hole(url_node)
            template = _Str(template.parts + url.parts, template.sources + url.sources)
        url_text = _PERCENT_HOLES.sub("{}", template.render("{}")) if template.parts else ""
        if url_text == "{}":
            url_text = ""
        self.http_calls.append(
            HttpCallFact(
                library,
                method,
                url_text,
                tuple(_unique(template.sources)),
                self.scope,
                node.lineno,
                node.col_offset + 1,
            )
        )

    # -- Django settings -------------------------------------------------------------

    def settings_assign(self, name: str, value: ast.expr, *, augmented: bool) -> None:
        if name == "AUTH_USER_MODEL":
            self.auth_user_model = _const_str(value) or self.auth_user_model
        elif name == "INSTALLED_APPS":
            if not self.installed_apps_line:
                self.installed_apps_line = value.lineno
            if not augmented and _literal_strings(value) is not None:
                self.installed_apps = []  # a literal list replaces what came before
            apps, partial = _app_list(value)
            self.installed_apps.extend(apps)
            self.installed_apps_partial = self.installed_apps_partial or partial
        elif name == "DATABASES":
            databases = value
            if type(value) is ast.Call and value.args and type(value.args[-1]) is ast.Dict:
                databases = value.args[-1]  # getattr(configuration, "DATABASES", {...})
            if type(databases) is ast.Dict:
                self.databases = self.database_settings(databases)

    def settings_call(self, call: ast.Call) -> None:
        """``INSTALLED_APPS.append("x")`` / ``.extend([...])`` / ``.insert(0, "x")``."""

        func = call.func
        if not (type(func) is ast.Attribute and type(func.value) is ast.Name):
            return
        if func.value.id != "INSTALLED_APPS":
            return
        if func.attr in ("append", "extend", "insert") and call.args:
            value = call.args[-1]
            if func.attr == "extend":
                apps, partial = _app_list(value)
            else:
                text = _const_str(value)
                apps, partial = ([text], False) if text is not None else ([], True)
            self.installed_apps.extend(apps)
            self.installed_apps_partial = self.installed_apps_partial or partial
        elif func.attr == "remove" and call.args:
            text = _const_str(call.args[0])
            if text in self.installed_apps:
                self.installed_apps.remove(text)

    def database_settings(self, node: ast.Dict) -> list[DatabaseSetting]:
        found = []
        for key, value in zip(node.keys, node.values, strict=True):
            alias = _const_str(key)
            if alias is None:
                continue
            if type(value) is ast.Dict:
                entries = {}
                for entry_key, entry_value in zip(value.keys, value.values, strict=True):
                    name = _const_str(entry_key)
                    if name is not None:
                        entries[name] = entry_value
                engine = self.sources_of(entries["ENGINE"]) if "ENGINE" in entries else []
                db_name = self.sources_of(entries["NAME"]) if "NAME" in entries else []
                host = self.sources_of(entries["HOST"]) if "HOST" in entries else []
            else:
                engine = db_name = host = self.sources_of(value)
            found.append(
                DatabaseSetting(alias, tuple(engine), tuple(db_name), tuple(host), value.lineno)
            )
        return found


# Statement and expression types with their own visitor; every other node is walked through
# its children. Built once: looked up for every node.
_HANDLERS: dict[type, Any] = {
    ast.Import: _Scanner.visit_import,
    ast.ImportFrom: _Scanner.visit_import_from,
    ast.ClassDef: _Scanner.visit_class,
    ast.FunctionDef: _Scanner.visit_function,
    ast.AsyncFunctionDef: _Scanner.visit_function,
    ast.If: _Scanner.visit_if,
    ast.Try: _Scanner.visit_try,
    ast.With: _Scanner.visit_with,
    ast.AsyncWith: _Scanner.visit_with,
    ast.For: _Scanner.visit_for,
    ast.AsyncFor: _Scanner.visit_for,
    ast.Assign: _Scanner.visit_assign,
    ast.AnnAssign: _Scanner.visit_ann_assign,
    ast.AugAssign: _Scanner.visit_aug_assign,
    ast.Expr: _Scanner.visit_expr,
    ast.Call: _Scanner.use,
    ast.Attribute: _Scanner.use,
    ast.Subscript: _Scanner.use,
    ast.Await: _Scanner.use,
    ast.List: _Scanner.use,
    ast.Tuple: _Scanner.use,
    ast.ListComp: _Scanner.visit_comprehension,
    ast.SetComp: _Scanner.visit_comprehension,
    ast.GeneratorExp: _Scanner.visit_comprehension,
    ast.DictComp: _Scanner.visit_comprehension,
}
if hasattr(ast, "TryStar"):  # Python 3.11+
    _HANDLERS[ast.TryStar] = _Scanner.visit_try


# --- helpers -----------------------------------------------------------------------------

_PERCENT_HOLES = re.compile(r"%(?:\(\w+\))?[sdr]")


def _unique(sources: list[ValueSource]) -> list[ValueSource]:
    seen: set[ValueSource] = set()
    result = []
    for source in sources:
        if source not in seen:
            seen.add(source)
            result.append(source)
    return result


def _bound_query(query: _Query) -> _Query:
    """What a name bound to a query holds: the query shape, no longer pending."""

    bound = _Query(
        list(query.targets),
        query.idiom,
        query.manager,
        "",
        "read",
        query.line,
        query.column,
        django=query.django,
        rows=query.rows,
    )
    bound.pending = False
    return bound


def _element_of(iterated: Any) -> Any:
    if type(iterated) is _Query:
        return _Inst(iterated.targets[0])
    return None


def _is_none(node: ast.AST) -> bool:
    return type(node) is ast.Constant and node.value is None


def _is_string_expr(node: ast.AST) -> bool:
    while type(node) is ast.BinOp and type(node.op) in (ast.Add, ast.Mod):
        node = node.left
    node_type = type(node)
    if node_type is ast.Constant:
        return type(node.value) is str  # type: ignore[attr-defined]
    return node_type is ast.JoinedStr


def _is_config_expr(node: ast.AST) -> bool:
    """``os.environ["X"]``, ``os.getenv("X")``, ``os.environ.get("X")``, ``settings.X``."""

    node_type = type(node)
    if node_type is ast.Subscript:
        base = node.value  # type: ignore[attr-defined]
        return (type(base) is ast.Attribute and base.attr == "environ") or (
            type(base) is ast.Name and base.id == "environ"
        )
    if node_type is ast.Call:
        func = node.func  # type: ignore[attr-defined]
        if type(func) is ast.Attribute:
            if func.attr == "getenv":
                return True
            owner = func.value
            return func.attr == "get" and (
                (type(owner) is ast.Attribute and owner.attr == "environ")
                or (type(owner) is ast.Name and owner.id == "environ")
            )
        return type(func) is ast.Name and func.id == "getenv"
    if node_type is ast.Attribute:
        owner = node.value  # type: ignore[attr-defined]
        return type(owner) is ast.Name and owner.id == "settings" and node.attr.isupper()  # type: ignore[attr-defined]
    return False


def _could_be_string(node: ast.AST) -> bool:
    node_type = type(node)
    return node_type in (ast.Constant, ast.JoinedStr, ast.BinOp, ast.Name, ast.Call)


def _label_of_args(node: ast.Call) -> str:
    args = [_const_str(a) for a in node.args]
    if len(args) >= 2 and args[0] and args[1]:
        return f"{args[0]}.{args[1]}"
    if len(args) == 1 and args[0] and "." in args[0]:
        return args[0]
    app = _argument(node, None, "app_label")
    model = _argument(node, None, "model_name")
    app_text = _const_str(app) if app is not None else (args[0] if args else None)
    model_text = _const_str(model) if model is not None else None
    if app_text and model_text:
        return f"{app_text}.{model_text}"
    return ""


def _argument(node: ast.Call, position: int | None, keyword: str) -> ast.expr | None:
    for kw in node.keywords:
        if kw.arg == keyword:
            return kw.value
    if position is not None and len(node.args) > position:
        arg = node.args[position]
        return None if type(arg) is ast.Starred else arg
    return None


def _entity_dotted(dotted: str) -> str:
    """``app.models.User.id`` -> ``app.models.User``; ``app.tables.users.c.id`` -> ``...users``."""

    split = _split_dotted(dotted)
    if split is not None:
        return split[0]
    marker = dotted.find(".c.")
    if marker > 0:
        return dotted[:marker]
    if dotted.endswith(".c"):
        return dotted[:-2]
    return dotted


def _named_session(name: str) -> bool:
    return "ession" in name and "session" in name.lower()


def _is_session_factory(name: str) -> bool:
    """``Session``, ``SessionLocal``, ``get_db_session``; not a model such as ``UserSession``."""

    if name in ("Session", "AsyncSession", "SessionLocal", "AsyncSessionLocal", "DBSession"):
        return True
    lowered = name.lower()
    return not name[:1].isupper() and (
        lowered.endswith(("session", "sessionmaker", "session_local"))
    )


def _import_binding(node: ast.AST, name: str, target: str, alias: ast.alias) -> _Sym:
    if type(node) is ast.Import and not alias.asname:
        return _Sym(name)  # ``import a.b`` binds ``a``
    return _Sym(target)


def _describe(node: ast.AST) -> str:
    """A short dotted spelling of a callee for messages (``db.session.commit``)."""

    parts = []
    while type(node) is ast.Attribute:
        parts.append(node.attr)
        node = node.value
    if type(node) is ast.Name:
        parts.append(node.id)
    elif type(node) is ast.Call:
        parts.append(_describe(node.func) + "()")
    else:
        parts.append("...")
    return ".".join(reversed(parts))


def _literal_strings(node: ast.AST) -> list[str] | None:
    if type(node) in (ast.List, ast.Tuple):
        strings = [_const_str(e) for e in node.elts]  # type: ignore[attr-defined]
        if all(s is not None for s in strings):
            return [s for s in strings if s is not None]
    return None


def _app_list(node: ast.AST) -> tuple[list[str], bool]:
    """Literal app names in ``[...]``, ``(...)`` and ``a + b``; partial if anything else."""

    node_type = type(node)
    if node_type in (ast.List, ast.Tuple):
        apps, partial = [], False
        for elt in node.elts:  # type: ignore[attr-defined]
            text = _const_str(elt)
            if text is not None:
                apps.append(text)
            else:
                partial = True
        return apps, partial
    if node_type is ast.BinOp and type(node.op) is ast.Add:  # type: ignore[attr-defined]
        left, left_partial = _app_list(node.left)  # type: ignore[attr-defined]
        right, right_partial = _app_list(node.right)  # type: ignore[attr-defined]
        return left + right, left_partial or right_partial
    return [], True
