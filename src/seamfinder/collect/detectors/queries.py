"""Queries on model classes and their instances, Django's and SQLAlchemy's alike.

``Order.objects.filter(...)``, ``User.query.filter_by(...)`` (Flask-SQLAlchemy's query
property), ``users.__table__.insert()``: a query value starts at a model attribute, is
refined by each chained method and becomes one access per model when it is used. An
instance taken from a query (``.get()``, ``.first()``, ``[0]``) carries the query until
it is used; ``instance.save()`` and ``instance.delete()`` are writes, ``Order(...)``
constructs an instance that is written only if saved.
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from seamfinder.collect.detectors import django_orm, raw_sql, sqlalchemy_orm
from seamfinder.collect.facts import AccessFact, AccessKind, Target
from seamfinder.collect.scanner.hooks import CallRule, Detector
from seamfinder.collect.scanner.spelling import (
    HTTP_ROOTS,
    NOT_ENTITY_ROOTS,
    ORM_ROOTS,
    is_classlike,
    last,
    model_of,
    root,
    split_dotted,
    with_async,
)
from seamfinder.collect.scanner.values import Inst, Query, Related, Sym, Value

if TYPE_CHECKING:
    from seamfinder.collect.scanner.evaluator import Scanner

_WRITE_METHODS = with_async(
    "create update delete bulk_create bulk_update get_or_create update_or_create"
)
_INSTANCE_METHODS = with_async(
    "get first last earliest latest create get_or_create update_or_create one one_or_none"
    " scalar_one scalar_one_or_none get_or_404 first_or_404 one_or_404"
)
_TUPLE_METHODS = with_async("get_or_create update_or_create")
_TERMINAL_METHODS = with_async(
    "count exists aggregate contains explain in_bulk update delete bulk_create bulk_update"
    " paginate scalar"
)
# Known queryset methods: a chain on a manager other than ``objects`` must start with one
# (``Status.choices.get`` or ``Order.status.in_`` are attributes, not managers).
_QUERYSET_METHODS = (
    _WRITE_METHODS
    | _INSTANCE_METHODS
    | _TERMINAL_METHODS
    | with_async(
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
TABLE_METHODS: dict[str, AccessKind] = {
    "insert": "write",
    "update": "write",
    "delete": "write",
    "select": "read",
}
_INSTANCE_WRITES = frozenset({"save", "delete", "asave", "adelete"})
# A many-to-many manager's own writes: rows of the through table.
M2M_WRITES = with_async("add remove set clear")
_RELATED_METHODS = _QUERYSET_METHODS | M2M_WRITES | _INSTANCE_WRITES


def method_on_sym(scanner: Scanner, node: ast.Call, receiver: Value, method: str) -> Value:
    """``X.objects.filter()``, ``X.query.get()``, ``db.session.add()``, ``engine.execute()``."""

    assert type(receiver) is Sym
    dotted = receiver.dotted
    func = node.func
    if (
        not receiver.label
        and method[:1].islower()
        and dotted not in scanner.class_attributes
        and type(func) is ast.Attribute
    ):
        scanner.note_class_attribute(dotted, method, func)  # ``Role.get_roles(category)``
    if not receiver.label and "session" in last(dotted).lower() and root(dotted) not in HTTP_ROOTS:
        return sqlalchemy_orm.session_method(scanner, node, receiver, method)
    model = model_of(receiver)
    if model is not None and root(dotted) not in ORM_ROOTS:
        target, rest = model
        if len(rest) == 1:
            attr = rest[0]
            if attr == "__table__" and method in TABLE_METHODS and not node.args:
                scanner.visit_arguments(node)
                return _table_method(node, target, method)
            source = _query_source(node, target, attr, method)
            if source is not None:
                return query_method(scanner, node, source, method)
    elif (
        method in TABLE_METHODS
        and not node.args
        and not node.keywords
        and not receiver.label
        and (root(dotted) not in NOT_ENTITY_ROOTS)
    ):
        # users.insert(): a core Table held in a (lower-case) variable
        scanner.visit_arguments(node)
        return _table_method(node, Target("ref", dotted), method)
    if method in raw_sql.SQL_METHODS:
        return raw_sql.execute_call(scanner, node, receiver, method)  # engine.execute("...")
    return scanner.call_sym(node, receiver.attr(method))


def _table_method(node: ast.Call, target: Target, method: str) -> Query:
    return Query(
        [target],
        "table-method",
        "",
        method,
        TABLE_METHODS[method],
        node.lineno,
        node.col_offset + 1,
    )


def _query_source(node: ast.Call, target: Target, attr: str, method: str) -> Query | None:
    """The query ``Model.<attr>`` starts (a manager, a query property), if any."""

    line, column = node.lineno, node.col_offset + 1
    if attr == "query":
        return Query([target], "query-property", "", "", "read", line, column)
    if attr in _DEFAULT_MANAGERS or (
        attr[:1].islower() and attr not in _NOT_MANAGERS and method in _QUERYSET_METHODS
    ):
        return Query([target], "manager", attr, "", "read", line, column, django=True)
    return None


def _rows_method(scanner: Scanner, node: ast.Call, query: Query, method: str) -> Value:
    """A method of a result set: the read was recorded when the statement was built."""

    scanner.visit_arguments(node)
    if method in _ROWS_TO_INSTANCE:
        return Inst(query.targets[0])
    if method in _ROWS_TO_ROWS:
        return query
    return None


def query_method(scanner: Scanner, node: ast.Call, query: Value, method: str) -> Value:
    """One link of a query chain (``.filter()``, ``.update()``, ``.join()``, ``.first()``)."""

    assert type(query) is Query
    if not query.pending:
        if query.rows:
            return _rows_method(scanner, node, query, method)
        # Reads were recorded where the query was built; only a write is news here.
        query = Query(
            list(query.targets),
            "queryset" if query.django else query.idiom,
            query.manager,
            "",
            "read",
            node.lineno,
            node.col_offset + 1,
            django=query.django,
            pending=False,
        )
    if method == "none":  # an empty queryset: Django runs no query for it
        query.pending = False
        scanner.visit_arguments(node)
        return query
    if method in _WRITE_METHODS:
        query.kind = "write"
        query.method = method
        query.pending = True
    elif not query.method:
        query.method = method
    _arguments(scanner, node, query, method)
    if query.idiom == "related" and (method in _TUPLE_METHODS or method in _INSTANCE_METHODS):
        # An instance of the related model, which only the resolver knows: use the query.
        if query.pending:
            scanner.record_query(query)
        return None
    if method in _TUPLE_METHODS:
        return Inst(query.targets[0], query, tuple_=True)
    if method in _INSTANCE_METHODS:
        return Inst(query.targets[0], query)
    if method in _TERMINAL_METHODS:
        if query.pending:
            scanner.record_query(query)
        return None
    return query


def _arguments(scanner: Scanner, node: ast.Call, query: Query, method: str) -> None:
    if query.django:
        django_orm.django_arguments(scanner, node, query.targets[0], method)
    elif method in _JOIN_METHODS and node.args:
        for target in sqlalchemy_orm.entities(scanner, node.args[0]):
            if target not in query.targets:
                query.targets.append(target)
        scanner.visit_arguments(node)
    else:
        scanner.visit_arguments(node)
    if method == "raw" and query.django:
        raw_sql.raw_sql_call(
            scanner, node, node.args[0] if node.args else None, "raw", query.targets[0]
        )
    elif method == "extra" and query.django:
        raw_sql.extra_call(scanner, node, query.targets[0])


def related_method(scanner: Scanner, node: ast.Call, related: Value, method: str) -> Value:
    """``order.lines.filter()``, ``cart.payments.update()``, ``product.tags.add(tag)``,
    ``order.customer.save()``: a query through the relation named ``related.attr``."""

    assert type(related) is Related
    if method not in _RELATED_METHODS or (method in _INSTANCE_WRITES and node.args):
        by_name = scanner.registry.methods.get(method)  # ``self.cursor.execute(...)``
        if by_name is not None:
            return by_name(scanner, node, None, method)
        scanner.visit_arguments(node)
        return None
    line, column = node.lineno, node.col_offset + 1
    if method in M2M_WRITES or method in _INSTANCE_WRITES:
        scanner.visit_arguments(node)
        scanner.sink.accesses.append(
            AccessFact(
                related.owner, "write", "related", method, related.attr, scanner.scope, line, column
            )
        )
        return None
    query = Query([related.owner], "related", related.attr, "", "read", line, column)
    return query_method(scanner, node, query, method)


def _commit_false(node: ast.Call) -> bool:
    """``form.save(commit=False)``: an unsaved instance, not a write."""

    return any(
        k.arg == "commit" and type(k.value) is ast.Constant and k.value.value is False
        for k in node.keywords
    )


def instance_method(scanner: Scanner, node: ast.Call, instance: Value, method: str) -> Value:
    """``order.save()``/``.delete()``: a write; any other method uses the pending query."""

    assert type(instance) is Inst
    query = instance.query
    if method in ("save", "asave") and _commit_false(node):
        scanner.visit_arguments(node)
        return Inst(instance.target, loaded=False)  # written by its own later save()
    if method in _INSTANCE_WRITES and not node.args:
        scanner.visit_arguments(node)
        if query is not None and query.pending:
            query.kind, query.method = "write", method
            scanner.record_query(query)
        else:
            idiom = "instance"
            if type(node.func) is ast.Attribute and type(node.func.value) is ast.Call:
                idiom = "construct"
            scanner.record(instance.target, "write", idiom, method, "", node)
        return None
    if query is not None and query.pending:
        scanner.record_query(query)
    if scanner.hooks.observers and instance.target.kind == "ref":
        scanner.observe_call(f"{instance.target.value}.{method}")
    if instance.is_self and method in raw_sql.SQL_METHODS:
        return raw_sql.execute_call(scanner, node, instance, method)
    scanner.visit_arguments(node)
    return None


def _is_constructor(dotted: str) -> bool:
    """A class of the project (``shop.models.Order``), not a library's or an attribute."""

    top = root(dotted)
    return (
        is_classlike(last(dotted))
        and top not in NOT_ENTITY_ROOTS
        and (top != "django" or ".models." in dotted)
        and split_dotted(dotted) == (dotted, ())
    )


def construct(scanner: Scanner, node: ast.Call, dotted: str) -> Value:
    scanner.visit_arguments(node)
    return Inst(Target("ref", dotted), loaded=False)  # X(...): written if saved


DETECTOR = Detector(
    "queries",
    tokens=(b"models", b"objects", b".query", b".save(", b".Model", b"__table"),
    calls=(CallRule(140, _is_constructor, construct),),
    receivers={
        Sym: method_on_sym,
        Query: query_method,
        Inst: instance_method,
        Related: related_method,
    },
)
