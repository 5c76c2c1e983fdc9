"""SQLAlchemy (core and ORM), SQLModel and Flask-SQLAlchemy: statements, sessions, tables.

``select(User)``/``insert(users)`` build a statement over the entities in their
arguments; a session's ``query``/``get`` read, ``add``/``delete``/``merge`` write the
instances they receive, ``execute``/``scalars`` turn a statement into rows (or run SQL
text, see :mod:`~seamfinder.collect.detectors.raw_sql`), ``commit`` closes a unit of
work (:mod:`~seamfinder.collect.detectors.transactions`). ``Table("users", metadata,
...)`` and ``Base = declarative_base()`` are declarations; columns, relationships and
``__table_args__`` are read here for :mod:`~seamfinder.collect.detectors.model_classes`.
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from seamfinder.collect.detectors import loaders, raw_sql, transactions
from seamfinder.collect.facts import (
    AccessKind,
    BaseFact,
    BaseKind,
    RelationFact,
    TableFact,
    Target,
)
from seamfinder.collect.scanner.hooks import CallRule, Detector
from seamfinder.collect.scanner.spelling import (
    NOT_ENTITY_ROOTS,
    ORM_ROOTS,
    argument,
    const_str,
    entity_dotted,
    is_none,
    is_orm_function,
    is_project_name,
    is_session_factory,
    last,
    root,
)
from seamfinder.collect.scanner.values import BEGIN, SESSION, Inst, Query, Seq, Session, Sym, Value

if TYPE_CHECKING:
    from seamfinder.collect.scanner.evaluator import Scanner

_STATEMENTS: dict[str, AccessKind] = {
    "select": "read",
    "insert": "write",
    "update": "write",
    "delete": "write",
}
_SESSION_RESULT_METHODS = frozenset({"execute", "scalars", "scalar", "exec"})
_SESSION_WRITES = frozenset({"add", "add_all", "delete", "merge", "bulk_save_objects"})
_BULK_MAPPINGS = frozenset({"bulk_insert_mappings", "bulk_update_mappings"})
_BASE_KINDS: dict[str, BaseKind] = {
    "declarative_base": "declarative-base",
    "registry": "registry",
    "generate_base": "generated-base",
}
COLUMN_CALLS = frozenset({"Column", "mapped_column", "Field"})
RELATIONSHIP_CALLS = frozenset({"relationship", "Relationship", "relation", "dynamic_loader"})
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

# -- entities and statements ---------------------------------------------------------


def entities(scanner: Scanner, node: ast.expr) -> list[Target]:
    """Mapped classes and tables named in ``select(...)``/``query(...)`` arguments."""

    found: list[Target] = []
    _collect_entities(scanner, node, found, 0)
    return found


def _collect_entities(scanner: Scanner, node: ast.expr, found: list[Target], depth: int) -> None:
    if type(node) is ast.Name or type(node) is ast.Attribute:
        _named_entity(scanner, node, found, depth)
    elif type(node) is ast.Call and depth < 4:
        if type(node.func) is ast.Attribute:  # X.id.label("x"), X.name.desc()
            _collect_entities(scanner, node.func.value, found, depth + 1)
        for arg in node.args:
            _collect_entities(scanner, arg, found, depth + 1)
    elif type(node) is ast.Starred:
        _collect_entities(scanner, node.value, found, depth + 1)


def _named_entity(
    scanner: Scanner, node: ast.Name | ast.Attribute, found: list[Target], depth: int
) -> None:
    value = scanner.static(node)
    if type(value) is Sym:
        if value.label:
            found.append(value.model)
        elif root(value.dotted) not in NOT_ENTITY_ROOTS:
            found.append(Target("ref", entity_dotted(value.dotted)))
    elif type(value) is Inst and not value.is_self and type(node) is ast.Attribute:
        pass  # ``order.customer``: an instance's attribute names no entity
    elif type(node) is ast.Attribute and depth < 4:
        _collect_entities(scanner, node.value, found, depth + 1)


def _entities_of_arguments(scanner: Scanner, node: ast.Call) -> list[Target]:
    targets: list[Target] = []
    for arg in node.args:
        for target in entities(scanner, arg):
            if target not in targets:
                targets.append(target)
    return targets


def statement(scanner: Scanner, node: ast.Call, dotted: str) -> Value:
    """``select(User, Address)``, ``insert(users)``: a statement over those entities."""

    targets = _entities_of_arguments(scanner, node)
    scanner.visit_arguments(node)
    if not targets:
        return None
    name = last(dotted)
    return Query(
        targets, "statement", "", name, _STATEMENTS[name], node.lineno, node.col_offset + 1
    )


# -- sessions ------------------------------------------------------------------------


def session_method(scanner: Scanner, node: ast.Call, receiver: Value, method: str) -> Value:
    """``session.query(X)``, ``.get(X, 1)``, ``.add(x)``, ``.execute(stmt)``, ``.commit()``."""

    if method == "query":
        targets = _entities_of_arguments(scanner, node)
        scanner.visit_arguments(node)
        if not targets:
            return None
        return Query(targets, "session", "", "query", "read", node.lineno, node.col_offset + 1)
    if method in ("get", "get_one") and node.args:
        targets = entities(scanner, node.args[0])
        scanner.visit_arguments(node)
        if not targets:
            return None
        line, column = node.lineno, node.col_offset + 1
        return Inst(targets[0], Query(targets[:1], "session", "", method, "read", line, column))
    if method in _SESSION_WRITES:
        _session_write(scanner, node, method)
        return None
    if method in _BULK_MAPPINGS and node.args:
        for target in entities(scanner, node.args[0])[:1]:
            scanner.record(target, "write", "session", method, "", node)
        scanner.visit_arguments(node)
        return None
    if method in _SESSION_RESULT_METHODS:
        return _session_result(scanner, node, receiver, method)
    return _session_other(scanner, node, receiver, method)


def _session_write(scanner: Scanner, node: ast.Call, method: str) -> None:
    values = scanner.argument_values(node)
    for value in values[:1]:
        items = value.items if type(value) is Seq else [value]
        for item in items:
            if type(item) is Inst:
                scanner.record(item.target, "write", "session", method, "", node)


def _session_result(scanner: Scanner, node: ast.Call, receiver: Value, method: str) -> Value:
    if node.args and raw_sql.is_sql_text(scanner, node.args[0]):
        return raw_sql.execute_call(scanner, node, receiver, method)
    values = scanner.argument_values(node)
    first = values[0] if values else None
    if type(first) is Query and first.idiom in ("statement", "table-method"):
        line, column = node.lineno, node.col_offset + 1
        rows = Query(first.targets, "rows", "", "", "read", line, column, rows=True, pending=False)
        return Inst(first.targets[0]) if method == "scalar" else rows
    return None


def _session_other(scanner: Scanner, node: ast.Call, receiver: Value, method: str) -> Value:
    if method == "commit":
        scanner.visit_arguments(node)
        if scanner.frame.is_function:
            transactions.commit(scanner, node)
        return None
    if method in ("begin", "begin_nested"):
        scanner.visit_arguments(node)
        return BEGIN
    if method == "get_model":
        return loaders.loader_method(scanner, node, receiver, method)
    scanner.visit_arguments(node)
    return SESSION if method in ("__call__", "begin") else None


def session_factory(scanner: Scanner, node: ast.Call, dotted: str) -> Value:
    scanner.visit_arguments(node)
    return SESSION


# -- declarations --------------------------------------------------------------------


def base_call(scanner: Scanner, node: ast.Call, dotted: str) -> Value:
    """``Base = declarative_base()``, ``db = SQLAlchemy()``: a declarative base, by name."""

    if node is scanner.assign_value and scanner.assign_name:
        kind: BaseKind = _BASE_KINDS.get(last(dotted), "flask-sqlalchemy")
        scanner.sink.bases.append(
            BaseFact(
                scanner.assign_name, kind, dotted, scanner.scope, node.lineno, node.col_offset + 1
            )
        )
    scanner.visit_arguments(node)
    return None


def note_base_candidate(scanner: Scanner, dotted: str) -> None:
    """``db = AcmeSQLAlchemy(...)``, ``db = make_db()``: a module-level name bound to a call
    of a project name, which the resolver may find is a ``SQLAlchemy`` subclass or a
    factory of a base (redash's and indico's ``db`` are such subclasses)."""

    value = scanner.assign_value
    if (
        type(value) is not ast.Call
        or scanner.frame is not scanner.module_frame
        or not is_project_name(dotted)
        or _is_base(dotted)
        or scanner.dotted(value.func) != dotted
    ):
        return
    scanner.sink.bases.append(
        BaseFact(scanner.assign_name, "call", dotted, "", value.lineno, value.col_offset + 1)
    )


def note_factory(scanner: Scanner, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
    """``def make_db(): return AcmeSQLAlchemy(...)`` (or ``db = ...; return db``) at
    module level: a factory the resolver follows from ``db = make_db()``."""

    if scanner.frame is not scanner.module_frame:
        return
    calls: dict[str, ast.Call] = {}
    for stmt in node.body:
        if type(stmt) is ast.Assign and type(stmt.value) is ast.Call:
            for target in stmt.targets:
                if type(target) is ast.Name:
                    calls[target.id] = stmt.value
        elif type(stmt) is ast.Return and stmt.value is not None:
            returned = stmt.value
            call = calls.get(returned.id) if type(returned) is ast.Name else returned
            if type(call) is not ast.Call:
                return
            callee = scanner.dotted(call.func)
            if callee and (is_project_name(callee) or _is_base(callee)):
                scanner.sink.bases.append(
                    BaseFact(node.name, "factory", callee, "", node.lineno, node.col_offset + 1)
                )
            return


def _is_base(dotted: str) -> bool:
    name = last(dotted)
    top = root(dotted)
    return (
        name in ("declarative_base", "registry", "SQLAlchemy")
        and (top in ORM_ROOTS or top == "flask_sqlalchemy")
    ) or name == "generate_base"


def table_call(scanner: Scanner, node: ast.Call, dotted: str) -> Value:
    """``Table("users", metadata, Column(...), schema="x")``."""

    scanner.visit_arguments(node)
    name = const_str(node.args[0]) if node.args else None
    metadata = ""
    if len(node.args) > 1 and type(node.args[1]) is not ast.Call:
        metadata = scanner.dotted(node.args[1])
    schema_node = argument(node, None, "schema")
    schema = const_str(schema_node) if schema_node is not None else None
    relations: list[RelationFact] = []
    for arg in node.args[1:]:
        if type(arg) is not ast.Call:
            continue
        callee = last(scanner.dotted(arg.func) or getattr(arg.func, "id", ""))
        if callee == "Column" and arg.args:
            column = const_str(arg.args[0]) or ""
            relations.extend(column_relations(scanner, column, arg))
        elif callee == "ForeignKeyConstraint":
            relations.extend(constraint_relations(scanner, arg))
    variable = scanner.assign_name if node is scanner.assign_value else ""
    scanner.sink.tables.append(
        TableFact(
            name or "",
            variable,
            metadata,
            schema,
            tuple(relations),
            scanner.scope,
            node.lineno,
            node.col_offset + 1,
        )
    )
    return None


def _column_key(field: str, callee: str, target: Target, node: ast.expr) -> RelationFact:
    """A foreign key column (``ForeignKey``, ``ForeignKeyConstraint``, SQLModel's
    ``Field(foreign_key=)``), located at the call that declares it."""

    return RelationFact(
        field, "column-foreign-key", callee, target, None, node.lineno, node.col_offset + 1
    )


def column_relations(scanner: Scanner, field: str, call: ast.Call) -> list[RelationFact]:
    """The foreign keys of ``Column(..., ForeignKey("users.id"))``/``Field(foreign_key=)``."""

    found = []
    for arg in call.args:
        if type(arg) is ast.Call:
            callee = scanner.dotted(arg.func) or getattr(arg.func, "id", "")
            if last(callee) == "ForeignKey" and arg.args:
                target = _column_target(scanner, arg.args[0])
                if target is not None:
                    found.append(_column_key(field, callee, target, arg))
    foreign_key = argument(call, None, "foreign_key")  # SQLModel Field(foreign_key=...)
    if foreign_key is not None:
        target = _column_target(scanner, foreign_key)
        if target is not None:
            callee = scanner.dotted(call.func) or "Field"
            found.append(_column_key(field, callee, target, call))
    return found


def _column_target(scanner: Scanner, node: ast.expr) -> Target | None:
    text = const_str(node)
    if text is not None:
        return Target("column", text)
    dotted = scanner.dotted(node)
    return Target("ref", dotted) if dotted else None


def constraint_relations(scanner: Scanner, node: ast.expr) -> list[RelationFact]:
    """``ForeignKeyConstraint(["user_id"], ["users.id"])`` in ``__table_args__``/Table."""

    found = []
    items = node.elts if type(node) is ast.Tuple or type(node) is ast.List else [node]
    for item in items:
        if type(item) is not ast.Call:
            continue
        callee = scanner.dotted(item.func) or getattr(item.func, "id", "")
        if last(callee) != "ForeignKeyConstraint" or len(item.args) < 2:
            continue
        columns, referred = item.args[0], item.args[1]
        if not isinstance(columns, ast.List | ast.Tuple) or not isinstance(
            referred, ast.List | ast.Tuple
        ):
            continue
        for column_node, referred_node in zip(columns.elts, referred.elts, strict=False):
            field = const_str(column_node) or scanner.dotted(column_node)
            target = _column_target(scanner, referred_node)
            if target is not None:
                found.append(_column_key(field, callee, target, item))
    return found


def relationship(
    scanner: Scanner, name: str, value: ast.Call, callee: str, annotation: ast.expr | None
) -> RelationFact:
    """``relationship("Address", secondary=...)``, or the class in its ``Mapped[...]``."""

    target_node = argument(value, 0, "argument")
    if target_node is not None:
        target = _target(scanner, target_node, "class-name")
    elif annotation is not None:
        target = annotation_target(scanner, annotation)
    else:
        target = None
    secondary = argument(value, None, "secondary")
    through = _target(scanner, secondary, "table") if secondary is not None else None
    return RelationFact(
        name, "relationship", callee, target, through, value.lineno, value.col_offset + 1
    )


def _target(scanner: Scanner, node: ast.expr, string_kind: str) -> Target | None:
    if type(node) is ast.Lambda:
        node = node.body
    text = const_str(node)
    if text is not None:
        if string_kind == "class-name":
            return Target("class-name", text)
        return Target("table", text)
    value = scanner.static(node)
    if type(value) is Sym:
        if value.label:
            return value.model
        return Target("ref", value.dotted)
    return None


def annotation_target(scanner: Scanner, annotation: ast.expr) -> Target | None:
    """The class in ``Mapped[list["Address"]]`` or ``Optional["Team"]``."""

    node: ast.expr = annotation
    for _ in range(8):
        if type(node) is ast.Subscript or (type(node) is ast.BinOp and type(node.op) is ast.BitOr):
            inner = _unwrap_annotation(scanner, node)
            if inner is None:
                return None
            node = inner
        elif type(node) is ast.Constant and type(node.value) is str:
            try:
                node = ast.parse(node.value, mode="eval").body
            except SyntaxError:
                return None
            if type(node) is ast.Name or type(node) is ast.Attribute:
                return Target("class-name", ast.unparse(node))
        elif type(node) is ast.Name or type(node) is ast.Attribute:
            value = scanner.static(node)
            if type(value) is Sym and not value.label:
                return Target("ref", value.dotted)
            return Target("class-name", ast.unparse(node))
        else:
            return None
    return None


def _unwrap_annotation(scanner: Scanner, node: ast.expr) -> ast.expr | None:
    """One layer of ``Mapped[...]``/``X | None``; None: not a class annotation."""

    if type(node) is ast.Subscript:
        inner = node.slice
        wrapper = last(scanner.dotted(node.value) or getattr(node.value, "id", ""))
        if wrapper not in _ANNOTATION_WRAPPERS:
            return None
        if type(inner) is ast.Tuple and inner.elts:
            inner = inner.elts[-1] if wrapper in ("Dict", "dict") else inner.elts[0]
        return inner
    if type(node) is ast.BinOp and type(node.op) is ast.BitOr:
        return node.right if is_none(node.left) else node.left
    return None


DETECTOR = Detector(
    "sqlalchemy",
    tokens=(
        b"session",
        b"Session",
        b"Table(",
        b"relationship",
        b"Relationship",
        b"select(",
        b"insert(",
        b"update(",
        b"delete(",
        b"sqlalchemy",
        b"sqlmodel",
        b"declarative",
    ),
    calls=(
        CallRule(10, lambda d: last(d) in _STATEMENTS and is_orm_function(d), statement),
        CallRule(30, lambda d: last(d) == "Table" and is_orm_function(d), table_call),
        CallRule(40, _is_base, base_call),
        CallRule(130, lambda d: is_session_factory(last(d)), session_factory),
    ),
    receivers={Session: session_method},
    observe_call=note_base_candidate,
    functions=note_factory,
)
