"""Turn a file's bytes into text and an ``ast`` tree, or into a reason why not.

Results are values, never exceptions: one bad file must not stop the analysis of the
others. The host's ``ast`` reads most files; a file written in newer grammar than the
host understands is handed to :mod:`seamfinder.collect.lower`, which parses it with
libcst and lowers the new syntax in place (line numbers are preserved), so that it is
analysed all the same. Only a file that neither can read is a failure.

Nothing here trusts the file. It is opened without blocking and read only if it is a
regular file no larger than the size cap (a FIFO named ``mod.py`` would block forever, a
symlink to ``/dev/zero`` never ends); and every parser is guarded by :func:`nesting`, a
cheap estimate of how deep the syntax tree would be, because grimp's and libcst's native
parsers recurse on the C stack and a 2,000-paren expression or a 100,000-term sum kills
the process instead of raising.
"""

from __future__ import annotations

import ast
import io
import os
import re
import stat
import tokenize
from dataclasses import dataclass
from pathlib import Path

from seamfinder.core.model import ParseFailure

# A file above this many bytes is not read (``max-file-size`` in the configuration). The
# host's ast costs up to ~500 bytes of memory per byte of dense source (``x = 1`` lines),
# and grimp ~50: this bounds a file's cost to about half a gigabyte and a few seconds. The
# largest hand-written files of the real repositories tried are ~0.5 MB.
MAX_FILE_SIZE = 1_000_000
# A tree deeper than this is not handed to any parser. The host's ast gives up (cleanly)
# at about 3,000 levels; grimp's Rust parser survives ~30,000 and then overflows its stack.
MAX_NESTING = 5_000
# libcst is superlinear in depth (a 3,000-term sum takes minutes) and overflows at ~3,000
# parentheses, and costs ~400 bytes per byte: it only reads what is small and shallow.
LOWER_MAX_NESTING = 500
LOWER_MAX_SIZE = 500_000
TOO_DEEP = "too deeply nested to analyse"


@dataclass(frozen=True, slots=True)
class Parsed:
    tree: ast.Module
    text: str
    lowered: bool = False  # read through libcst because the host's ast rejected it


def read_source(path: Path, shown: str, limit: int = MAX_FILE_SIZE) -> bytes | ParseFailure:
    """A file's bytes, read without blocking, if it is a regular file of at most ``limit``."""

    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    try:
        handle = os.open(path, flags)
    except OSError as exc:
        return ParseFailure(shown, f"cannot read: {exc.strerror or exc}")
    try:
        info = os.fstat(handle)
        if not stat.S_ISREG(info.st_mode):
            return ParseFailure(shown, "not a regular file (a device, FIFO or socket)")
        if info.st_size > limit:
            return _too_large(shown, info.st_size, limit)
        chunks: list[bytes] = []
        size = 0
        # The size may change under us: never read more than the cap allows.
        while chunk := os.read(handle, min(1 << 20, limit + 1 - size)):
            chunks.append(chunk)
            size += len(chunk)
            if size > limit:
                return _too_large(shown, size, limit)
        return b"".join(chunks)
    except OSError as exc:
        return ParseFailure(shown, f"cannot read: {exc.strerror or exc}")
    finally:
        os.close(handle)


def _too_large(shown: str, size: int, limit: int) -> ParseFailure:
    return ParseFailure(
        shown,
        f"too large ({size:,} bytes; max-file-size is {limit:,}): set max-file-size in "
        "[tool.seamfinder] to analyse it",
    )


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
    too_deep = screen_nesting(path, text)
    if too_deep is not None:
        return too_deep
    try:
        return Parsed(ast.parse(text, filename=path), text)
    except SyntaxError as exc:
        first_error = exc
    except RecursionError:  # the host's parser stack overflowed, cleanly
        return ParseFailure(path, TOO_DEEP, 1, 1)
    except MemoryError:  # its parser's own stack, or the memory itself, ran out
        if len(text) > LOWER_MAX_SIZE:
            return ParseFailure(path, f"out of memory parsing {len(text):,} characters", 1, 1)
        return ParseFailure(path, TOO_DEEP, 1, 1)
    except ValueError as exc:
        return ParseFailure(path, f"cannot parse: {type(exc).__name__}: {exc}", 1, 1)
    if first_error.msg.startswith("too many"):  # nested parentheses, levels of indentation
        return ParseFailure(path, f"{TOO_DEEP} ({first_error.msg})", first_error.lineno or 1, 1)
    lowered = _lower(text) if _lowerable(text) else None
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


def _lowerable(text: str) -> bool:
    """Whether libcst may read ``text``: small, and shallow enough for its recursion."""

    return len(text) <= LOWER_MAX_SIZE and nesting(text, LOWER_MAX_NESTING) <= LOWER_MAX_NESTING


def screen_nesting(path: str, text: str) -> ParseFailure | None:
    """SF001 for a file too deep for the parsers, or None (cheap for ordinary files)."""

    depth = nesting(text, MAX_NESTING)
    if depth <= MAX_NESTING:
        return None
    return ParseFailure(path, f"{TOO_DEEP} (more than {MAX_NESTING:,} levels)", 1, 1)


# What can make a syntax tree deep: brackets, and chains of operators, attributes, calls,
# unary operators, ``not``, ``await``, ``lambda`` and conditional expressions. Strings,
# comments and line continuations are skipped over.
_SIGNIFICANT = re.compile(r"[\"'#\\()\[\]{}:,;\n*/+\-%@&|^~.<>]")
_STRING_END = {
    q: re.compile(rf"{q}(?:\\.|[^\\])*?{q}" if len(q) == 3 else rf"{q}(?:\\.|[^{q}\\\n])*{q}")
    for q in ('"""', "'''", '"', "'")
}
_KEYWORDS = re.compile(r"\b(?:not|await|if|lambda)\b")
_OPEN, _CLOSE, _RESET = "([{", ")]}", ",;:"


def nesting(text: str, enough: int) -> int:
    """An estimate, from above, of the depth of the syntax tree of ``text``.

    Exact enough to tell a real module (tens of levels) from a pathological one (thousands);
    it stops counting once past ``enough``. A comma, a semicolon or a colon ends a chain at
    its bracket level (list items, arguments, dict entries and blocks are siblings, not
    levels, but a lambda's colon does not); a newline outside brackets ends every chain.
    """

    # Most files cannot reach ``enough`` however their characters are arranged (a bracket
    # counts twice, for its level and as a link).
    if len(text) * 2 <= enough:
        return 0
    data = text.encode("utf-8", "surrogatepass")
    possible = 2 * len(data) - len(data.translate(None, b"([{-+*/%@&|^~.<>"))
    possible -= len(data.translate(None, b"([{"))
    if possible + sum(data.count(w) for w in (b"not", b"if", b"await", b"lambda")) <= enough:
        return 0
    words = [m.start() for m in _KEYWORDS.finditer(text)]
    chains = [0]  # per open bracket: the length of the chain at that level so far
    lambdas = [0]  # per open bracket: lambdas whose colon is still to come
    total = best = 0  # open brackets plus the chains along them
    position = word = 0
    while match := _SIGNIFICANT.search(text, position):
        # Keywords between the last token and this one are code (those in strings and
        # comments lie before ``position``).
        while word < len(words) and words[word] < match.start():
            if words[word] >= position:
                chains[-1] += 1
                total += 1
                lambdas[-1] += text.startswith("lambda", words[word])
                best = max(best, total)
            word += 1
        char = match.group()
        position = match.end()
        if char in "\"'":
            quote = text[match.start() : match.start() + 3]
            ending = _STRING_END[quote if quote in ('"""', "'''") else char]
            end = ending.match(text, match.start())
            position = end.end() if end else len(text)  # unterminated: the rest is a string
        elif char == "#":
            newline = text.find("\n", position)
            position = newline if newline >= 0 else len(text)
        elif char == "\\":
            position += 1  # a line continuation
        elif char in _OPEN:  # a level, and a link in a chain (``f()()``, ``a[0][0]``)
            chains[-1] += 1
            chains.append(0)
            lambdas.append(0)
            total += 2
        elif char in _CLOSE:
            if len(chains) > 1:
                total -= chains.pop() + 1
                lambdas.pop()
        elif char == ":" and lambdas[-1]:
            lambdas[-1] -= 1
        elif char in _RESET or (char == "\n" and len(chains) == 1):
            total -= chains[-1]
            chains[-1] = 0
        elif char != "\n" and not (char in "<>" and text[position : position + 1] != char):
            chains[-1] += 1  # an operator; ``<`` and ``>`` only as shifts
            total += 1
        if total > best:
            best = total
            if best > enough:
                return best
    return best + sum(1 for w in words[word:] if w >= position)


def _lower(text: str) -> str | None:
    """Newer syntax rewritten for the host's ast, or None if libcst cannot parse it either."""

    from seamfinder.collect import lower  # libcst is slow to import: only when needed

    return lower.lower_to_host_grammar(text)
