"""The tables that a piece of SQL text reads and writes.

The text comes from source code, so it is often not valid SQL as it stands: driver
placeholders (``%s``, ``%(name)s``, ``:name``, ``?``), f-string holes (``{}``, or
:data:`HOLE`), several statements, fragments (a ``.extra(where=[...])`` condition). sqlglot
reads what it can (imported lazily: it costs ~110 ms); a regular-expression reader takes
over for the rest and never raises.

A table written by ``INSERT``/``UPDATE``/``DELETE``/``MERGE`` (and DDL: ``CREATE``,
``ALTER``, ``DROP``, ``TRUNCATE``) is a write; one named by ``FROM``/``JOIN``/``USING`` is a
read. A CTE name is not a table. Names are unquoted and lower case, with their schema when
the text gives one (``events.contributions``): the resolver matches them to tables.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from seamfinder.collect.facts import SqlTable, TableAccess

#: What the scanner puts where a part of the SQL is not known statically; an identifier so
#: that the SQL still parses when the hole is a table name.
HOLE = "__sf_hole__"

_NAMED_PYFORMAT = re.compile(r"%\((\w+)\)s")
_PYFORMAT = re.compile(r"%[sdfr]")
_BRACES = re.compile(r"\{[^{}]*\}")
_DOLLAR = re.compile(r"\$(\d+)")


def tables_in_sql(sql: str) -> tuple[SqlTable, ...]:
    """Sorted, distinct (table, read|write) pairs named by ``sql``; ``()`` if none."""

    found = set()
    for table in _all_tables(sql):
        name = table.name
        if HOLE in name.partition(".")[0] and "." in name:
            name = name.partition(".")[2]  # f"{schema}.orders": the table is known
        if name and HOLE not in name:
            found.add(SqlTable(name, table.access))
    return tuple(sorted(found))


def hole_access(sql: str) -> TableAccess | None:
    """How ``sql`` uses a :data:`HOLE` in a table's place (``"write"`` if it writes one),
    or None when no hole stands for a table."""

    accesses = {t.access for t in _all_tables(sql) if HOLE in t.name}
    if not accesses:
        return None
    return "write" if "write" in accesses else "read"


def _all_tables(sql: str) -> list[SqlTable]:
    text = _normalise(sql)
    if not text.strip():
        return []
    found = _with_sqlglot(text)
    if found is None:
        found = _with_regex(text)
    return found


def looks_like_sql(text: str) -> bool:
    """Whether a string is probably SQL rather than prose, a URL or a shell command."""

    return _LOOKS_LIKE_SQL.search(text) is not None


_LOOKS_LIKE_SQL = re.compile(
    r"^\s*(?:--[^\n]*\n\s*|/\*.*?\*/\s*)*\(?\s*(?:"
    r"select\s[\s\S]*\bfrom\b|select\s+(?:\d|now|current_|nextval|count|exists|pg_|version)"
    r"|insert\s+(?:or\s+\w+\s+)?into\s|update\s+[\w.\"`\[\]]+\s+set\s|delete\s+from\s"
    r"|with\s+(?:recursive\s+)?\w+\s*(?:\([^)]*\)\s*)?as\s*\(|merge\s+into\s"
    r"|(?:create|alter|drop)\s+(?:(?:temporary|temp|unique|or\s+replace)\s+)*"
    r"(?:table|index|view|sequence|schema|materialized|trigger|function|extension)\s"
    r"|truncate\s|replace\s+into\s|lock\s+table\s|vacuum\b|analyze\s|copy\s+[\w.\"]+"
    r"|set\s+(?:session|local|search_path|statement_timeout)|show\s+\w|explain\s"
    r"|begin\b|commit\b|rollback\b|savepoint\s|release\s+savepoint|call\s+\w+\s*\("
    r"|pragma\s)",
    re.IGNORECASE | re.DOTALL,
)


def _normalise(sql: str) -> str:
    """Driver placeholders and holes rewritten into forms every SQL reader accepts."""

    text = _NAMED_PYFORMAT.sub(r":\1", sql)
    text = _PYFORMAT.sub("?", text.replace("%%", "%"))
    text = _DOLLAR.sub(r":p\1", text)
    if "{" in text:
        text = _BRACES.sub(HOLE, text)
    return text


# --- sqlglot -----------------------------------------------------------------------------


def _quiet(logger: logging.Logger) -> None:
    """sqlglot warns on stderr for every statement it cannot model; ours are expected."""

    if logger.level == logging.NOTSET:
        logger.setLevel(logging.ERROR)


def _with_sqlglot(text: str) -> list[SqlTable] | None:
    """Tables found by sqlglot, or None when it cannot read every statement."""

    try:
        import sqlglot
        from sqlglot import exp
    except ImportError:  # pragma: no cover - a declared dependency
        return None
    _quiet(logging.getLogger("sqlglot"))
    try:
        statements = sqlglot.parse(text)
    except Exception:  # sqlglot raises several kinds of error on bad input
        return None
    found: list[SqlTable] = []
    for statement in statements:
        if statement is None:
            continue
        if isinstance(statement, exp.Command):  # a statement sqlglot does not model
            found.extend(_with_regex(statement.sql()))
            continue
        try:
            found.extend(_tables_of_statement(statement, exp))
        except Exception:
            return None
    return found


def _tables_of_statement(statement: Any, exp: Any) -> list[SqlTable]:
    written: set[int] = set()
    not_tables: set[int] = set()  # index names in CREATE/DROP INDEX
    for node in statement.walk():
        target, skipped = _write_target(node, exp)
        if target is not None:
            written.update(id(t) for t in _tables_under(target, exp))
        if skipped is not None:
            not_tables.update(id(t) for t in _tables_under(skipped, exp))
    found: list[SqlTable] = []
    for table in statement.find_all(exp.Table):
        name = table.name
        if not name or id(table) in not_tables or _is_cte_reference(table, name, exp):
            continue
        access: TableAccess = "write" if id(table) in written else "read"
        schema = table.db
        qualified = f"{schema}.{name}" if schema else name
        found.append(SqlTable(qualified.lower(), access))
    return found


def _write_target(node: Any, exp: Any) -> tuple[Any, Any]:
    """(what ``node`` writes, what it names that is not a table)."""

    if isinstance(node, (exp.Insert, exp.Update, exp.Delete, exp.Merge)):
        return node.this, None
    if isinstance(node, (exp.Create, exp.Drop, exp.Alter)):
        kind = str(node.args.get("kind") or "").upper()
        # Newer sqlglot keeps DROP's objects in ``tables``, older ones in ``this``.
        named = node.args.get("tables") or node.this
        if kind == "INDEX":
            index = named
            if isinstance(index, exp.Index):  # CREATE INDEX name ON table
                return index.args.get("table"), index.this
            return None, index  # DROP INDEX name
        return named, None  # tables, views, materialized views: schema writes
    if isinstance(node, exp.TruncateTable):
        return node.expressions, None
    return None, None


def _tables_under(target: Any, exp: Any) -> list[Any]:
    if isinstance(target, list):
        return [t for item in target for t in _tables_under(item, exp)]
    if isinstance(target, exp.Table):
        return [target]
    if isinstance(target, exp.Schema) and isinstance(target.this, exp.Table):
        return [target.this]  # INSERT INTO t (a, b)
    return []


def _is_cte_reference(table: Any, name: str, exp: Any) -> bool:
    if table.args.get("db"):
        return False
    lowered = name.lower()
    ancestors: list[Any] = []
    node = table.parent
    while node is not None:
        ancestors.append(node)
        node = node.parent
    for node in ancestors:
        with_ = node.args.get("with_") or node.args.get("with")
        if not isinstance(with_, exp.With):
            continue
        for cte in with_.expressions:
            if cte.alias_or_name.lower() != lowered:
                continue
            # A CTE's own body names the real table, unless the CTE is recursive.
            if not with_.args.get("recursive") and any(a is cte for a in ancestors):
                continue
            return True
    return False


# --- regex fallback ----------------------------------------------------------------------

_IDENT = r"(?:\"[^\"]+\"|`[^`]+`|\[[^\]]+\]|[A-Za-z_][\w$]*)"
_NAME = rf"({_IDENT}(?:\s*\.\s*{_IDENT}){{0,2}})"
_COMMENTS = re.compile(r"--[^\n]*|/\*.*?\*/", re.DOTALL)
_STRINGS = re.compile(r"'(?:[^']|'')*'")
_CTE = re.compile(rf"(?:\bwith(?:\s+recursive)?|,)\s*({_IDENT})\s*(?:\([^)]*\)\s*)?as\s*\(", re.I)
_WRITES = re.compile(
    r"\b(?:insert\s+(?:or\s+\w+\s+)?into|replace\s+into|merge\s+into|update(?:\s+only)?"
    r"|delete\s+from|truncate(?:\s+table)?|(?:create|alter|drop)\s+(?:temporary\s+|temp\s+)?"
    r"table(?:\s+if\s+(?:not\s+)?exists)?|lock(?:\s+table)?)\s+" + _NAME,
    re.I,
)
_ALIAS = (
    r"(?:\s+(?:as\s+)?(?!(?:where|join|inner|left|right|full|cross|natural|on|using|group|order"
    r"|limit|offset|having|union|intersect|except|set|returning|window|for|lateral|outer|when"
    r"|values|select)\b)\w+)?"
)
_READS = re.compile(
    r"\b(?:from|join|using)\s+" + _NAME + _ALIAS + r"((?:\s*,\s*" + _NAME + _ALIAS + r")*)", re.I
)
_READ_AFTER_COMMA = re.compile(r",\s*" + _NAME, re.I)
_NOT_TABLES = frozenset(
    [
        "select",
        "set",
        "where",
        "values",
        "default",
        "only",
        "of",
        "on",
        "lateral",
        "unnest",
        "nowait",
        "skip",
        "as",
        "table",
        "if",
        "not",
        "exists",
        "into",
        "from",
        "join",
        "using",
        "with",
        "recursive",
        "order",
        "group",
        "limit",
    ]
)
_NOT_FROM = re.compile(r"(?:\bdistinct|\b(?:extract|substring|trim|overlay)\s*\([^()]*)\s*$", re.I)


def _with_regex(text: str) -> list[SqlTable]:
    text = _STRINGS.sub("''", _COMMENTS.sub(" ", text))
    ctes = {_bare(m.group(1)) for m in _CTE.finditer(text)}
    found: list[SqlTable] = []
    write_spans: list[tuple[int, int]] = []
    for m in _WRITES.finditer(text):
        name = _bare(m.group(1))
        if _keep(name, ctes):
            found.append(SqlTable(name, "write"))
        write_spans.append(m.span())
    for m in _READS.finditer(text):
        if any(start <= m.start() < end for start, end in write_spans):
            continue  # the FROM of DELETE FROM
        if _NOT_FROM.search(text, max(0, m.start() - 80), m.start()):
            continue  # EXTRACT(YEAR FROM col), IS DISTINCT FROM
        names = [m.group(1)] + [c.group(1) for c in _READ_AFTER_COMMA.finditer(m.group(2))]
        for raw in names:
            name = _bare(raw)
            if _keep(name, ctes):
                found.append(SqlTable(name, "read"))
    return found


def _bare(name: str) -> str:
    """``public."Orders"`` -> ``public.orders`` (a database name before it is dropped)."""

    parts = [p.strip('"`[]').lower() for p in re.split(r"\s*\.\s*", name)[-2:]]
    return ".".join(parts)


def _keep(name: str, ctes: set[str]) -> bool:
    bare = name.rpartition(".")[2]
    return bool(bare) and name not in ctes and bare not in _NOT_TABLES and not bare[0].isdigit()
