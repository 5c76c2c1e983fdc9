"""SQL written as text: ``cursor.execute("...")``, ``text("...")``, ``.raw()``, ``.extra()``,
``RawSQL(...)``, with the tables the text names (:mod:`seamfinder.collect.sql`)."""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from seamfinder.collect.facts import RawSqlFact, SqlModel, SqlTable, Target
from seamfinder.collect.scanner.hooks import CallRule, Detector, MethodHandler
from seamfinder.collect.scanner.spelling import argument, could_be_string, is_orm_function, last
from seamfinder.collect.scanner.strings import string_of
from seamfinder.collect.scanner.values import Str, Value
from seamfinder.collect.sql import HOLE, hole_access, looks_like_sql, tables_in_sql

if TYPE_CHECKING:
    from seamfinder.collect.scanner.evaluator import Scanner

SQL_METHODS = frozenset({"execute", "executemany", "exec_driver_sql", "executescript"})
_EXTRA_PARTS = frozenset({"where", "select", "tables", "order_by"})
# What a hole of SQL text names when it is a model's table.
_TABLE_NAME_SUFFIXES = (
    "._meta.db_table",
    ".__tablename__",
    ".__table__.name",
    ".__table__.fullname",
    ".__table__",
)


def is_sql_text(scanner: Scanner, node: ast.expr) -> bool:
    if not could_be_string(node):
        return False
    text = string_of(scanner, node)
    return text is not None and looks_like_sql(text.render(HOLE))


def execute_call(scanner: Scanner, node: ast.Call, receiver: Value, method: str) -> Value:
    """``cursor.execute(sql)``: recorded when the first argument reads as SQL."""

    first = node.args[0] if node.args else argument(node, None, "sql")
    if first is not None and could_be_string(first):
        raw_sql_call(scanner, node, first, method, None, require_sql=True)
    scanner.visit_arguments(node)
    return None


def text_call(scanner: Scanner, node: ast.Call, dotted: str) -> Value:
    # sqlalchemy's text() holds SQL by definition; another text() only if it reads as SQL
    if node.args:
        require_sql = not is_orm_function(dotted)
        raw_sql_call(scanner, node, node.args[0], "text", None, require_sql=require_sql)
    scanner.visit_arguments(node)
    return None


def raw_sql_expression(scanner: Scanner, node: ast.Call, dotted: str) -> Value:
    """Django's ``RawSQL("...", params)``."""

    raw_sql_call(scanner, node, node.args[0] if node.args else None, "RawSQL", None)
    scanner.visit_arguments(node)
    return None


def extra_call(scanner: Scanner, node: ast.Call, model: Target) -> None:
    """``Order.objects.extra(where=[...], tables=[...])``."""

    for keyword in node.keywords:
        value = keyword.value
        if keyword.arg not in _EXTRA_PARTS or type(value) not in (ast.List, ast.Tuple, ast.Dict):
            continue
        items = value.values if isinstance(value, ast.Dict) else getattr(value, "elts", [])
        for item in items:
            if keyword.arg == "tables":
                table = const_table(item)
                if table:
                    raw_sql_call(scanner, node, None, "extra", model, table=table)
            elif item is not None:
                raw_sql_call(scanner, node, item, "extra", model)


def const_table(node: ast.expr) -> str | None:
    if type(node) is ast.Constant and type(node.value) is str:
        return node.value
    return None


def raw_sql_call(
    scanner: Scanner,
    node: ast.Call,
    sql_node: ast.expr | None,
    via: str,
    model: Target | None,
    *,
    require_sql: bool = False,
    table: str = "",
) -> bool:
    """Record SQL text (or one table of ``extra(tables=)``); False if it is not SQL."""

    models: tuple[SqlModel, ...] = ()
    if table:
        tables: tuple[SqlTable, ...] = (
            SqlTable(table.rsplit(".", maxsplit=1)[-1].strip('"').lower(), "read"),
        )
        text, dynamic = table, False
    else:
        if sql_node is None:
            return False
        template = string_of(scanner, sql_node)
        if template is None:
            return False
        text = template.render("{}")
        is_sql = looks_like_sql(template.render(HOLE))
        if require_sql and not is_sql:
            return False
        tables = tables_in_sql(template.render(HOLE))
        models = _hole_models(template)
        if not tables and not is_sql and not models:
            return False  # a fragment such as ``server_default=text("false")``
        dynamic = template.dynamic
    scanner.sink.raw_sql.append(
        RawSqlFact(
            via,
            tables,
            text[:500],
            dynamic,
            model,
            scanner.scope,
            node.lineno,
            node.col_offset + 1,
            models,
        )
    )
    return True


def _hole_models(template: Str) -> tuple[SqlModel, ...]:
    """Models whose table name fills a hole: ``{Order._meta.db_table}``,
    ``.format(t=User.__tablename__)``; read or written as the text uses its holes."""

    targets = []
    for source in template.sources:
        if source.kind != "ref":
            continue
        for suffix in _TABLE_NAME_SUFFIXES:
            if source.value.endswith(suffix):
                targets.append(Target("ref", source.value[: -len(suffix)]))
                break
    if not targets:
        return ()
    access = hole_access(template.render(HOLE)) or "read"
    return tuple(sorted({SqlModel(t, access) for t in targets}))


_EXECUTE: dict[str, MethodHandler] = dict.fromkeys(SQL_METHODS, execute_call)

DETECTOR = Detector(
    "raw-sql",
    tokens=(b"execute", b"text(", b".raw(", b"RawSQL", b".extra("),
    calls=(
        CallRule(20, lambda dotted: last(dotted) == "text", text_call),
        CallRule(100, lambda dotted: last(dotted) == "RawSQL", raw_sql_expression),
    ),
    methods=_EXECUTE,
)
