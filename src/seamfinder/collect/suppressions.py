"""Inline suppressions: ``# seamfinder: ignore[SF201,SF202] reason`` on the offending line.

Only comments count: the text of a file is tokenized, so that the same words inside a
string literal (a docstring that documents the syntax, say) suppress nothing. Files that
do not mention ``seamfinder:`` are skipped without tokenizing, which keeps this free for
almost every file. A file that does not tokenize (a syntax error) is read line by line
instead: better a rare false match than a suppression that stops working while the file
is being fixed.
"""

from __future__ import annotations

import io
import re
import tokenize
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

MARKER = "seamfinder:"
_COMMENT = re.compile(
    r"#.*?\bseamfinder:\s*ignore\b(?:\[(?P<codes>[^\]]*)\])?(?P<reason>.*)$", re.IGNORECASE
)


@dataclass(frozen=True, slots=True, order=True)
class SuppressionComment:
    """One suppression comment; no codes means every code."""

    path: str
    line: int
    column: int  # of the ``#``, 1-indexed
    codes: tuple[str, ...]  # as written (upper-cased), in order of appearance
    reason: str = ""


def read_suppressions(texts: Mapping[str, str]) -> tuple[SuppressionComment, ...]:
    """Every suppression comment in the analysed files, sorted by path and line."""

    found: list[SuppressionComment] = []
    for path in sorted(texts):
        text = texts[path]
        if MARKER in text:
            found.extend(_in_file(path, text))
    return tuple(found)


def parse_comment(comment: str) -> tuple[tuple[str, ...], str] | None:
    """``(codes, reason)`` of a suppression comment, or None if it is not one."""

    match = _COMMENT.match(comment)
    if match is None:
        return None
    raw = match["codes"] or ""
    codes = tuple(dict.fromkeys(c.strip().upper() for c in raw.split(",") if c.strip()))
    return codes, match["reason"].strip()


def _in_file(path: str, text: str) -> Iterator[SuppressionComment]:
    for line, column, comment in _comments(text):
        parsed = parse_comment(comment)
        if parsed is not None:
            yield SuppressionComment(path, line, column, parsed[0], parsed[1])


def _comments(text: str) -> Iterator[tuple[int, int, str]]:
    comments: list[tuple[int, int, str]] = []
    try:
        for token in tokenize.generate_tokens(io.StringIO(text).readline):
            if token.type == tokenize.COMMENT and MARKER in token.string:
                comments.append((token.start[0], token.start[1] + 1, token.string))
    except (tokenize.TokenError, SyntaxError):
        comments = [
            (number, line.index("#") + 1, line[line.index("#") :])
            for number, line in enumerate(text.splitlines(), start=1)
            if MARKER in line and "#" in line
        ]
    yield from comments
