"""The guards in front of every parser: bounded reads and the depth estimate."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from seamfinder.collect.source import (
    LOWER_MAX_NESTING,
    MAX_NESTING,
    nesting,
    parse_source,
    read_source,
)
from seamfinder.core.model import ParseFailure

REPO_SOURCE = Path(__file__).resolve().parents[2] / "src" / "seamfinder"


@pytest.mark.parametrize(
    "text",
    [
        "X = " + "(" * 3000 + "1" + ")" * 3000,
        "X = " + "+".join(["1"] * 10_000),
        "X = (" + " +\n".join(["1"] * 10_000) + ")",
        "X = " + "+".join(["','"] * 10_000),  # commas in strings do not end the chain
        "X = " + "-" * 10_000 + "1",
        "X = a" + ".b" * 10_000,
        "X = f" + "()" * 10_000,
        "X = " + "lambda: " * 10_000 + "1",
        "X = " + "not " * 10_000 + "1",
        "X = " + "not " * 10_000 + "1\n",  # a newline after the chain ends it, not its depth
        "X = " + "1 if a else " * 10_000 + "1",
    ],
    ids=[
        "parens",
        "sum",
        "sum-lines",
        "sum-of-commas",
        "unary",
        "attrs",
        "calls",
        "lambdas",
        "nots",
        "nots-line",
        "ternaries",
    ],
)
def test_pathological_nesting_is_estimated_past_the_limit(text: str) -> None:
    assert nesting(text, MAX_NESTING) > MAX_NESTING


@pytest.mark.parametrize(
    "text",
    [
        "X = [" + ", ".join(["-1"] * 50_000) + "]",
        "X = {" + ", ".join(f"{i}: -{i}.5" for i in range(20_000)) + "}",
        "\n".join(f"if a{i}:\n    b = not c" for i in range(20_000)),
        'X = """' + "(" * 20_000 + '"""\n# ' + "[" * 20_000,
        "X = a and " * 20_000 + "b",
    ],
    ids=["list", "dict", "statements", "string-and-comment", "boolean-chain"],
)
def test_flat_code_is_not_mistaken_for_deep(text: str) -> None:
    assert nesting(text, LOWER_MAX_NESTING) <= LOWER_MAX_NESTING


def test_seamfinder_own_source_is_shallow() -> None:
    for path in sorted(REPO_SOURCE.rglob("*.py")):
        assert nesting(path.read_text(encoding="utf-8"), LOWER_MAX_NESTING) < 60, path


def test_too_deep_file_is_a_failure_before_any_parser_runs() -> None:
    failure = parse_source("deep.py", ("X = " + "+".join(["1"] * 100_000)).encode())
    assert isinstance(failure, ParseFailure)
    assert failure.reason.startswith("too deeply nested")


def test_a_fifo_is_not_read(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "mod.py")
    failure = read_source(tmp_path / "mod.py", "mod.py")
    assert isinstance(failure, ParseFailure)
    assert "not a regular file" in failure.reason


def test_a_file_above_the_cap_is_too_large_and_one_at_the_cap_is_read(tmp_path: Path) -> None:
    (tmp_path / "big.py").write_bytes(b"#" * 101)
    (tmp_path / "ok.py").write_bytes(b"#" * 100)
    failure = read_source(tmp_path / "big.py", "big.py", limit=100)
    assert isinstance(failure, ParseFailure) and failure.reason.startswith("too large (101 bytes")
    assert read_source(tmp_path / "ok.py", "ok.py", limit=100) == b"#" * 100
