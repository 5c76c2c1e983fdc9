"""What an expression evaluates to in the data-access pass: a closed union of value kinds.

Every kind is a slotted dataclass compared by identity (``eq=False``): the evaluator tests
kinds with ``type(value) is Kind`` and the singletons (:data:`SESSION`, :data:`HIDDEN`,
:data:`ATOMIC`, :data:`BEGIN`) with ``is``. All are frozen but :class:`Query`, whose
``pending`` flag is shared on purpose by every value built from one expression.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

from seamfinder.collect.facts import AccessKind, Target, TargetKind, ValueSource


@dataclass(frozen=True, slots=True, eq=False)
class Sym:
    """A name the file resolves: a dotted Python name, or a model named by label.

    ``label`` is set for ``get_model("app", "Model")`` (``"app.Model"``, a ``model-label``)
    and ``get_user_model()`` (``"AUTH_USER_MODEL"``, a ``setting``); ``dotted`` then holds
    the attributes taken from the model since (``"objects"``).
    """

    dotted: str
    label: str = ""
    label_kind: TargetKind = "model-label"

    def attr(self, name: str) -> Sym:
        if self.label and not self.dotted:
            return Sym(name, self.label, self.label_kind)
        return Sym(f"{self.dotted}.{name}", self.label, self.label_kind)

    @property
    def model(self) -> Target:
        """The model a label names (only for a label)."""

        return Target(self.label_kind, self.label)


@dataclass(slots=True, eq=False)
class Query:
    """A query over ``targets`` (the first is the primary, later ones are joined reads).

    ``pending`` until the expression that built it is used; then it becomes one access
    per target at (``line``, ``column``). Mutable, unlike the other kinds: a chain
    (``X.objects.filter().update()``) refines one query in place, and an instance taken
    from a query shares it, so that recording it once marks it recorded for both.
    """

    targets: list[Target]
    idiom: str
    manager: str
    method: str
    kind: AccessKind
    line: int
    column: int
    django: bool = False
    # A result set (``session.execute(select(X))``): the read was recorded at the select.
    rows: bool = False
    pending: bool = True


@dataclass(frozen=True, slots=True, eq=False)
class Inst:
    """An instance of ``target``; ``query`` is the pending query that produced it, if any."""

    target: Target
    query: Query | None = None
    is_self: bool = False
    tuple_: bool = False  # ``get_or_create`` returns (instance, created)
    loaded: bool = True  # read from the database (not just constructed)


@dataclass(frozen=True, slots=True, eq=False)
class Related:
    """``order.lines``: an attribute of an instance of ``owner``, which may be a related
    manager (a reverse accessor, a many-to-many field) or a related object; only its
    methods say (``.filter()``, ``.add()``), and only the resolver knows the relation."""

    owner: Target
    attr: str


@dataclass(frozen=True, slots=True, eq=False)
class Session:
    """A SQLAlchemy session (or something used like one)."""


@dataclass(frozen=True, slots=True, eq=False)
class Http:
    """An HTTP client object (``requests.Session()``, ``httpx.Client(base_url=...)``)."""

    library: str
    base: ast.expr | None


@dataclass(frozen=True, slots=True, eq=False)
class Request:
    """``urllib.request.Request(url, method=...)``, waiting for ``urlopen``."""

    url: ast.expr | None
    method: str


@dataclass(frozen=True, slots=True, eq=False)
class StrNode:
    """A name bound to a string expression, evaluated only if it reaches SQL or a URL."""

    node: ast.expr


@dataclass(frozen=True, slots=True, eq=False)
class Seq:
    """A list or tuple display: the values of its elements."""

    items: list[Value]


@dataclass(frozen=True, slots=True, eq=False)
class Marker:
    """A singleton meaning (see the constants below)."""

    name: str


Value = Sym | Query | Inst | Related | Session | Http | Request | StrNode | Seq | Marker | None

SESSION = Session()
HIDDEN = Marker("hidden")  # a local that shadows an outer name with something unknown
ATOMIC = Marker("atomic")  # ``transaction.atomic`` called: a context manager or decorator
BEGIN = Marker("begin")  # ``session.begin()``/``engine.begin()``


@dataclass(frozen=True, slots=True, eq=False)
class Str:
    """A string template: literal parts and holes (None), and where the holes come from."""

    parts: list[str | None]
    sources: list[ValueSource]

    def render(self, hole: str) -> str:
        return "".join(hole if p is None else p for p in self.parts)

    @property
    def dynamic(self) -> bool:
        return any(p is None for p in self.parts)


def bound_query(query: Query) -> Query:
    """What a name bound to a query holds: the query shape, no longer pending."""

    return Query(
        list(query.targets),
        query.idiom,
        query.manager,
        "",
        "read",
        query.line,
        query.column,
        django=query.django,
        rows=query.rows,
        pending=False,
    )


def element_of(iterated: Value) -> Value:
    """What a ``for`` loop over ``iterated`` binds: an instance of a query's model."""

    if type(iterated) is Query and iterated.idiom != "related":  # related: another model
        return Inst(iterated.targets[0])
    return None
