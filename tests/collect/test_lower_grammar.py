"""Lowering newer grammar for the host's ``ast``: valid for the host, lines unchanged."""

from __future__ import annotations

import ast
import sys
import textwrap

from seamfinder.collect.facts import FileFacts
from seamfinder.collect.lower import lower_all, lower_to_host_grammar
from seamfinder.collect.scan import scan_file


def lowered(source: str) -> str:
    """``lower_all`` of ``source``, checked to read on this host with the same lines."""

    source = textwrap.dedent(source)
    result = lower_all(source)
    assert result is not None
    ast.parse(result)
    assert result.count("\n") == source.count("\n")
    return result


def line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


def test_type_parameters_of_functions_and_classes_are_dropped() -> None:
    result = lowered(
        """
        def first[T: int = str](items: list[T]) -> T:
            return items[0]

        class Box[T](Base):
            pass
        """
    )
    assert "def first(items: list[T]) -> T:" in result
    assert "class Box(Base):" in result


def test_type_parameters_spanning_lines_keep_the_body_on_its_line() -> None:
    source = """
    class Pair[
        K,
        V,
    ]:
        marker = 1
    """
    result = lowered(source)
    assert line_of(result, "marker = 1") == line_of(textwrap.dedent(source), "marker = 1")


def test_type_statement_becomes_an_assignment() -> None:
    assert lowered("type Pair[K, V] = tuple[K, V]\n") == "Pair = tuple[K, V]\n"


def test_f_string_reusing_its_quotes_is_requoted() -> None:
    result = lowered('sql = f"SELECT * FROM {tables["orders"]} WHERE id = %s"\n')
    tree = ast.parse(result)
    value = tree.body[0].value  # type: ignore[attr-defined]
    assert isinstance(value, ast.JoinedStr)
    assert ast.unparse(value) == "f\"SELECT * FROM {tables['orders']} WHERE id = %s\""


def test_f_string_with_backslash_in_a_field_uses_chr() -> None:
    result = lowered("text = f'{\"\\n\".join(lines)}'\n")
    assert "chr(10)" in result


def test_f_string_field_with_comment_and_line_breaks_keeps_lines() -> None:
    source = """
    message = f"{
        order.number  # the public number
    } shipped"
    after = 1
    """
    result = lowered(source)
    assert "# the public number" not in result
    assert line_of(result, "after = 1") == 5


def test_template_string_becomes_an_f_string() -> None:
    result = lowered('query = t"SELECT * FROM {table}"\n')
    assert isinstance(ast.parse(result).body[0].value, ast.JoinedStr)  # type: ignore[attr-defined]


def test_except_star_and_unparenthesized_except_tuples() -> None:
    result = lowered(
        """
        try:
            pass
        except* ValueError as group:
            pass
        try:
            pass
        except KeyError, IndexError:
            pass
        """
    )
    assert "except ValueError as group:" in result
    assert "except (KeyError, IndexError):" in result


def test_star_unpacking_in_annotations_loses_the_star() -> None:
    result = lowered("def f(*args: *Ts) -> tuple[*Ts]: ...\n")
    assert result == "def f(*args: Ts) -> tuple[Ts]: ...\n"


def test_text_libcst_cannot_parse_gives_none() -> None:
    assert lower_to_host_grammar("print 'python 2'\n") is None


def test_only_statements_the_host_rejects_are_rewritten() -> None:
    source = textwrap.dedent(
        """
        import os


        def keep(a,    b):  # spacing kept: this statement is not touched
            return os.path.join(a, b)


        def modern():
            return f"{os.environ["HOME"]}"
        """
    )
    result = lower_to_host_grammar(source)
    assert result is not None
    ast.parse(result)
    assert "def keep(a,    b):  # spacing kept" in result
    assert result.count("\n") == source.count("\n")


def test_a_file_in_newer_grammar_is_scanned_with_its_own_line_numbers() -> None:
    source = textwrap.dedent(
        """
        from django.db import connection
        from shop.orders.models import Order

        type Rows = list[dict[str, str]]

        def recent[T](tables: dict[str, str]) -> Rows:
            Order.objects.filter(status="paid")
            with connection.cursor() as cursor:
                cursor.execute(f"SELECT * FROM {tables["orders"]} JOIN shop_line ON 1=1")
            return []
        """
    ).encode()
    facts = scan_file("m.py", "shop.reports", False, source)
    assert isinstance(facts, FileFacts)
    assert facts.lowered is (sys.version_info < (3, 12))
    assert [(a.line, a.scope) for a in facts.accesses] == [(8, "recent")]
    (raw,) = facts.raw_sql
    assert (raw.line, raw.dynamic, [t.name for t in raw.tables]) == (10, True, ["shop_line"])


def test_form_feeds_do_not_shift_the_lines_of_a_rewritten_region() -> None:
    source = 'import os\n\x0c\ndef f():\n    return f"{os.environ["HOME"]}"\nx = 1\n'
    result = lower_to_host_grammar(source)
    assert result is not None
    tree = ast.parse(result)
    assert [node.lineno for node in tree.body] == [1, 3, 5]
