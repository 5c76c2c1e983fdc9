"""Turn a file's bytes into text and an ``ast`` tree, or into a reason why not.

Results are values, never exceptions: one bad file must not stop the analysis of the
others. The host's ``ast`` reads most files; a file written in newer grammar than the
host understands is handed to :mod:`seamfinder.collect.lower`, which parses it with
libcst and lowers the new syntax in place (line numbers are preserved), so that it is
analysed all the same. Only a file that neither can read is a failure.
"""

from __future__ import annotations

import ast
import io
import tokenize
from dataclasses import dataclass

from seamfinder.core.model import ParseFailure


@dataclass(frozen=True, slots=True)
class Parsed:
    tree: ast.Module
    text: str
    lowered: bool = False  # read through libcst because the host's ast rejected it


def decode_source(path: str, data: bytes) -> str | ParseFailure:
    """Decode Python source as the interpreter would (PEP 263 cookie, BOM, else UTF-8)."""

    nul = data.find(b"\x00")
    if nul >= 0:
        line = data.count(b"\n", 0, nul) + 1
        return ParseFailure(path, "file contains a NUL byte", line, nul - data.rfind(b"\n", 0, nul))
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    except SyntaxError as exc:  # a bad coding cookie
        return ParseFailure(path, f"cannot decode: {exc.msg}", 1, 1)
    try:
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError) as exc:
        start = exc.start if isinstance(exc, UnicodeDecodeError) else 0
        line = data.count(b"\n", 0, start) + 1
        column = start - data.rfind(b"\n", 0, start)
        reason = exc.reason if isinstance(exc, UnicodeDecodeError) else str(exc)
        return ParseFailure(path, f"cannot decode as {encoding}: {reason}", line, column)


def parse_source(path: str, data: bytes) -> Parsed | ParseFailure:
    """Decode and parse; fall back to libcst for grammar newer than the host's."""

    text = decode_source(path, data)
    if isinstance(text, ParseFailure):
        return text
    try:
        return Parsed(ast.parse(text, filename=path), text)
    except SyntaxError as exc:
        first_error = exc
    except (ValueError, RecursionError, MemoryError) as exc:
        return ParseFailure(path, f"cannot parse: {type(exc).__name__}: {exc}", 1, 1)
    lowered = _lower(text)
    if lowered is not None:
        try:
            return Parsed(ast.parse(lowered, filename=path), text, lowered=True)
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            pass
    return ParseFailure(
        path,
        f"syntax error: {first_error.msg}",
        first_error.lineno or 1,
        max(first_error.offset or 1, 1),
    )


def _lower(text: str) -> str | None:
    """Newer syntax rewritten for the host's ast, or None if libcst cannot parse it either."""

    from seamfinder.collect import lower  # libcst is slow to import: only when needed

    return lower.lower_to_host_grammar(text)
