"""Generated source files, byte strings and config documents through the whole pipeline.

Whatever the tree holds, ``seamfinder check`` exits 0, 1 or 2, never with a traceback or an
"internal error", an exit 2 is one line, and the same tree gives the same bytes twice. The
runs are in-process (click's runner) to keep each example to a fraction of a second;
tests/hostile/test_hostile_inputs.py runs the named hostile kinds in real subprocesses.
"""

from __future__ import annotations

import shutil
import tempfile
from datetime import timedelta
from pathlib import Path

from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from seamfinder.app.cli import main

TOKENS = (
    "import",
    "from",
    "fuzzpkg",
    "fuzzpkg.a",
    "fuzzpkg.b",
    ".",
    "..",
    "...",
    "*",
    "as",
    "(",
    ")",
    "[",
    "]",
    "{",
    "}",
    ":",
    ",",
    ";",
    "=",
    "+",
    "-",
    "**",
    "@",
    "~",
    "not",
    "lambda",
    "await",
    "yield",
    "if",
    "else",
    "for",
    "in",
    "def f():",
    "async def g():",
    "class M(models.Model):",
    "class T(Base):",
    "__tablename__ = 'x'",
    "db_table = 'y'",
    "M.objects.filter(a__b=1)",
    "session.query(T)",
    "transaction.atomic()",
    "with",
    "from django.db import models",
    "import sqlalchemy as sa",
    "cursor.execute('SELECT 1')",
    "requests.get('http://x')",
    "f'{x!r:>{w}}'",
    "t'{x}'",
    "type X = int",
    "match x:",
    "case _:",
    "except* E:",
    "def h[T](x: T): ...",
    "'",
    '"',
    '"""',
    "#",
    "\\",
    "\n",
    "\n    ",
    "\n\t",
    "\r",
    "\x0c",
    "\x00",
    "\x1b[31m",
    "\ufeff",
    "# -*- coding: latin-1 -*-",
    "# seamfinder: ignore[SF201]",
    "1",
    "0x",
    "1_000",
    "1e",
    "é",
    "𝕏",
)
python_like = st.lists(st.sampled_from(TOKENS), max_size=40).map(" ".join)
source = st.one_of(
    python_like,
    python_like.map(lambda text: text.encode("utf-8", "surrogatepass")),
    st.text(max_size=200),
    st.binary(max_size=200),
)

CONFIG_KEYS = (
    "depth",
    "fail-on",
    "source-roots",
    "exclude",
    "extend-exclude",
    "select",
    "ignore",
    "max-file-size",
    "ignore-type-checking-imports",
    "layers",
    "tool",
    "services",
    "nope",
)
CONFIG_VALUES = (
    "1",
    "-1",
    "0",
    "nan",
    "inf",
    "1e400",
    '"x"',
    '"SF1"',
    '"sf001"',
    '["fuzzpkg"]',
    '[".."]',
    '["/"]',
    "[]",
    "true",
    "{}",
    '["SF201", "XX"]',
    '"error"',
    '"never"',
    "[[1]]",
    '"\\u001b"',
)
config_line = st.tuples(st.sampled_from(CONFIG_KEYS), st.sampled_from(CONFIG_VALUES)).map(
    lambda pair: f"{pair[0]} = {pair[1]}"
)
config = st.one_of(
    st.none(),
    st.lists(config_line, max_size=4).map("\n".join),
    st.text(max_size=100),
    st.binary(max_size=100),
)
compose = st.one_of(
    st.none(),
    st.lists(
        st.sampled_from(
            (
                "services:",
                "  web:",
                "    build: ./fuzzpkg",
                "    <<: *a",
                "x: &a",
                "  k: v",
                "  - *a",
                "[",
                "{",
                "!!python/object:os.system",
                "    environment: *a",
                "  *a",
            )
        ),
        max_size=12,
    ).map("\n".join),
)


def _write(root: Path, files: dict[str, str | bytes | None]) -> None:
    for relative, content in files.items():
        if content is None:
            continue
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_bytes(content.encode("utf-8", "surrogatepass"))


def _check(root: Path, *extra: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["check", str(root), "--no-cache", *extra])
    assert isinstance(result.exception, SystemExit | None), repr(result.exception)
    return result.exit_code, result.stdout, result.stderr


@settings(
    max_examples=30,
    deadline=timedelta(seconds=20),
    database=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(
    sources=st.lists(source, min_size=1, max_size=3),
    config=config,
    compose=compose,
)
def test_any_tree_gives_an_exit_code_and_the_same_output_twice(
    sources: list[str | bytes], config: str | bytes | None, compose: str | None
) -> None:
    root = Path(tempfile.mkdtemp(prefix="seamfinder-fuzz-")) / "project"
    try:
        files: dict[str, str | bytes | None] = {
            "fuzzpkg/__init__.py": sources[0],
            **{f"fuzzpkg/m{i}.py": text for i, text in enumerate(sources[1:])},
            "script.py": "import fuzzpkg.m0\n",
            "seamfinder.toml": config,
            "docker-compose.yml": compose,
        }
        _write(root, files)
        code, out, err = _check(root, "--format", "json")
        assert code in (0, 1, 2), (code, err)
        assert "Traceback" not in err and "internal error" not in err, err
        if code == 2:
            assert err.startswith("seamfinder: error: ") and err.count("\n") == 1, err
        assert _check(root, "--format", "json") == (code, out, err)  # deterministic
        terminal_code, terminal, _ = _check(root)
        assert terminal_code == code
        assert "\x1b" not in terminal
    finally:
        shutil.rmtree(root.parent, ignore_errors=True)
