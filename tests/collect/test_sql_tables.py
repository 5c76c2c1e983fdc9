"""Tables named by SQL text as it appears in source code."""

from __future__ import annotations

import pytest

from seamfinder.collect.facts import SqlTable
from seamfinder.collect.sql import looks_like_sql, tables_in_sql


def pairs(sql: str) -> list[tuple[str, str]]:
    return [(t.name, t.access) for t in tables_in_sql(sql)]


def test_from_and_join_sources_are_reads() -> None:
    assert pairs("SELECT * FROM orders o JOIN order_lines l ON l.order_id = o.id") == [
        ("order_lines", "read"),
        ("orders", "read"),
    ]


def test_insert_update_delete_and_merge_targets_are_writes() -> None:
    assert pairs("INSERT INTO audit (a) SELECT a FROM events") == [
        ("audit", "write"),
        ("events", "read"),
    ]
    assert pairs("UPDATE stock SET qty = qty - 1 WHERE sku = 'x'") == [("stock", "write")]
    assert pairs("DELETE FROM carts WHERE id IN (SELECT cart_id FROM orders)") == [
        ("carts", "write"),
        ("orders", "read"),
    ]
    assert pairs(
        "MERGE INTO stock s USING incoming i ON s.sku = i.sku WHEN MATCHED THEN DELETE"
    ) == [
        ("incoming", "read"),
        ("stock", "write"),
    ]


def test_a_cte_name_is_not_a_table() -> None:
    sql = "WITH recent AS (SELECT * FROM orders WHERE d > now()) SELECT * FROM recent JOIN users u ON 1=1"
    assert pairs(sql) == [("orders", "read"), ("users", "read")]


def test_a_cte_that_shadows_a_table_still_reads_it_in_its_own_body() -> None:
    assert pairs("WITH orders AS (SELECT * FROM orders) SELECT * FROM orders") == [
        ("orders", "read")
    ]


def test_schema_is_kept_and_quotes_are_dropped_and_names_lowercased() -> None:
    # Same-named tables in different schemas are different tables (indico's events.*).
    assert pairs('SELECT * FROM public."Orders" JOIN [dbo].[Lines] ON 1=1') == [
        ("dbo.lines", "read"),
        ("public.orders", "read"),
    ]


@pytest.mark.parametrize(
    "placeholder", ["%s", "%(order_id)s", ":order_id", "?", "$1", "{}", "{order_id}"]
)
def test_driver_placeholders_and_holes_do_not_hide_tables(placeholder: str) -> None:
    assert pairs(f"UPDATE orders SET status = 'x' WHERE id = {placeholder}") == [
        ("orders", "write")
    ]


def test_a_hole_in_table_position_is_no_table() -> None:
    assert pairs("SELECT * FROM {} JOIN users ON 1=1") == [("users", "read")]


def test_several_statements_are_all_read() -> None:
    assert pairs("SELECT count(*) FROM auth_user; UPDATE shop_order SET x = 1") == [
        ("auth_user", "read"),
        ("shop_order", "write"),
    ]


def test_a_table_read_and_written_is_listed_once_per_access() -> None:
    assert tables_in_sql("INSERT INTO t SELECT * FROM t") == (
        SqlTable("t", "read"),
        SqlTable("t", "write"),
    )


def test_function_syntax_using_from_is_not_a_table() -> None:
    assert pairs("SELECT EXTRACT(YEAR FROM created) FROM orders WHERE a IS DISTINCT FROM b") == [
        ("orders", "read")
    ]


def test_ddl_writes_tables_and_views_but_index_names_are_not_tables() -> None:
    assert pairs("DROP INDEX IF EXISTS orders_idx") == []
    assert pairs("CREATE INDEX orders_idx ON orders (created)") == [("orders", "write")]
    assert pairs("CREATE MATERIALIZED VIEW totals AS SELECT * FROM orders") == [
        ("orders", "read"),
        ("totals", "write"),
    ]
    assert pairs("TRUNCATE TABLE sessions") == [("sessions", "write")]


def test_partial_sql_falls_back_to_the_pattern_reader() -> None:
    assert pairs("SELECT a, FROM orders o, lines l WHERE ((") == [
        ("lines", "read"),
        ("orders", "read"),
    ]
    assert pairs("LOCK TABLE stock IN EXCLUSIVE MODE") == [("stock", "write")]


@pytest.mark.parametrize(
    "text",
    ["", "   ", "((((", "FROM", "SELECT * FROM", "'unterminated", "/* x", "-- only", "%(", "{"],
)
def test_garbage_never_raises(text: str) -> None:
    assert isinstance(tables_in_sql(text), tuple)


def test_looks_like_sql_tells_sql_from_prose() -> None:
    assert looks_like_sql("  select id from orders")
    assert looks_like_sql("-- comment\nUPDATE orders SET a = 1")
    assert looks_like_sql("SELECT version()")
    assert not looks_like_sql("Select the orders you want to ship")
    assert not looks_like_sql("ls -la")
    assert not looks_like_sql("https://example.com/select")
