"""Lower grammar newer than the host's so that the host's ``ast`` can read the file.

libcst reads Python 3.0-3.14 grammar whatever interpreter runs it; this module parses with
it and rewrites, in place, the constructs an older ``ast`` rejects, keeping every statement
on its original line (columns may move). The result only has to be *analysable*: it is
never run, and a construct is rewritten into something with the same names and the same
strings where that is cheap, not into something equivalent at runtime.

:func:`lower_to_host_grammar` rewrites the top-level statements the host rejects;
:func:`lower_all` rewrites a whole module whatever the host. What they rewrite:

* PEP 695 type parameters (``def f[T](...)``, ``class C[T]:``) are dropped, with their
  PEP 696 defaults; ``type X[T] = Y`` becomes ``X = Y``.
* PEP 701 f-strings that reuse their quote, hold backslashes or comments in replacement
  fields, or span lines inside single quotes are rebuilt as 3.8-style f-strings (inner
  strings re-quoted, backslashes turned into ``chr()`` calls, comments dropped); if that
  fails, the f-string becomes a plain string with ``{}`` for each replacement field.
* PEP 750 template strings (``t"..."``) become f-strings.
* PEP 654 ``except*`` becomes ``except``; PEP 758 ``except A, B:`` becomes
  ``except (A, B):``.
* PEP 646 star-unpacking in subscripts and ``*args`` annotations (``tuple[*Ts]``,
  ``*args: *Ts``) loses the star.

libcst is imported here only, lazily: it costs ~170 ms to import.
"""

from __future__ import annotations

import ast
import functools
import io
import tokenize
from typing import Any


def lower_to_host_grammar(text: str) -> str | None:
    """Return ``text`` rewritten for the host's ``ast``, or None when libcst cannot parse it.

    Only the top-level statements the host rejects go through libcst when that works (it
    costs ~5 us per byte it reads, so a large file with one new f-string would otherwise
    pay for all of it); the whole module is lowered when it does not.
    """

    try:
        lowered = _lower_regions(text)
    except Exception:  # a bug in the shortcut must not cost the file: lower all of it
        lowered = None
    if lowered is not None:
        return lowered
    return lower_all(text)


def lower_all(text: str) -> str | None:
    """Every construct newer than Python 3.10 rewritten, or None if libcst cannot parse."""

    try:
        import libcst as cst
    except ImportError:  # pragma: no cover - a declared dependency
        return None
    try:
        module = cst.parse_module(text)
    except Exception:  # libcst's parser errors do not share a useful base class
        return None
    try:
        lowered = module.visit(_transformer_class()(module))
    except Exception:
        return None
    return str(lowered.code)


_MAX_REGIONS = 20
_GROWTH = ((0, 0), (1, 0), (0, 1), (1, 1), (3, 3))


def _lower_regions(text: str) -> str | None:
    """Lower the failing top-level statements one by one; None if that does not work out.

    A statement starts on a line without indentation that does not continue the previous
    one (``else:``, a decorated ``def``). A line inside a multi-line string can look like a
    start too; then libcst cannot read the region (or the host still fails at the same
    place) and the region grows, and at worst the caller lowers the whole module.
    """

    lines = _lines(text)
    starts = _statement_starts(lines)
    if not starts:
        return None
    previous_error: tuple[int, str] | None = None
    for _ in range(_MAX_REGIONS):
        try:
            ast.parse("".join(lines))
        except SyntaxError as exc:
            error = (exc.lineno or 1, exc.msg)
        except (ValueError, RecursionError, MemoryError):
            return None
        else:
            return "".join(lines)
        if error == previous_error:
            return None
        previous_error = error
        replaced = False
        index = max(0, _bisect(starts, error[0] - 1))
        for back, ahead in _GROWTH:
            first = starts[max(0, index - back)]
            after = index + 1 + ahead
            last = starts[after] if after < len(starts) else len(lines)
            fragment = "".join(lines[first:last])
            lowered = lower_all(fragment)
            if lowered is None or lowered.count("\n") != fragment.count("\n"):
                continue
            if lowered != fragment:
                lines[first:last] = _lines(lowered)
                replaced = True
                break
        if not replaced:
            return None
    return None


def _lines(text: str) -> list[str]:
    """Lines as ``ast`` counts them: only ``\\n`` ends one (``splitlines`` also splits on
    form feeds and other separators that Python source treats as whitespace)."""

    parts = text.split("\n")
    lines = [part + "\n" for part in parts[:-1]]
    if parts[-1]:
        lines.append(parts[-1])
    return lines


_CONTINUATIONS = ("else", "elif", "except", "finally", "case")


def _statement_starts(lines: list[str]) -> list[int]:
    starts = []
    decorated = False
    for i, line in enumerate(lines):
        if not line or line[0].isspace() or line[0] in "#)]}":
            continue
        word = line.split(None, 1)[0].rstrip(":")
        if word in _CONTINUATIONS:
            continue
        if not decorated:
            starts.append(i)
        decorated = line.startswith("@")
    return starts


def _bisect(starts: list[int], line_index: int) -> int:
    """Index in ``starts`` of the last start at or before ``line_index``."""

    low, high = 0, len(starts)
    while low < high:
        middle = (low + high) // 2
        if starts[middle] <= line_index:
            low = middle + 1
        else:
            high = middle
    return low - 1


@functools.cache
def _transformer_class() -> Any:
    """Built on first use: the class derives from libcst's, which is imported lazily."""

    import libcst as cst

    class Lowering(cst.CSTTransformer):
        def __init__(self, module: Any) -> None:
            super().__init__()
            self.module = module

        def code(self, node: Any) -> str:
            return str(self.module.code_for_node(node))

        # -- PEP 695 / 696 ------------------------------------------------------------

        def leave_FunctionDef(self, original: Any, updated: Any) -> Any:
            if updated.type_parameters is None:
                return updated
            lost = self.code(updated.type_parameters).count("\n")
            updated = updated.with_changes(
                type_parameters=None, whitespace_after_type_parameters=cst.SimpleWhitespace("")
            )
            if lost:
                updated = updated.with_changes(
                    whitespace_before_params=_newlines(cst, lost, updated.whitespace_before_params)
                )
            return updated

        def leave_ClassDef(self, original: Any, updated: Any) -> Any:
            if updated.type_parameters is None:
                return updated
            lost = self.code(updated.type_parameters).count("\n")
            updated = updated.with_changes(
                type_parameters=None, whitespace_after_type_parameters=cst.SimpleWhitespace("")
            )
            if lost:
                lpar = updated.lpar
                if isinstance(lpar, cst.LeftParen):
                    lpar = lpar.with_changes(
                        whitespace_after=_newlines(cst, lost, lpar.whitespace_after)
                    )
                    updated = updated.with_changes(lpar=lpar)
                else:
                    updated = updated.with_changes(
                        lpar=cst.LeftParen(whitespace_after=_newlines(cst, lost, None)),
                        rpar=cst.RightParen(),
                    )
            return updated

        def leave_TypeAlias(self, original: Any, updated: Any) -> Any:
            value = updated.value
            if updated.type_parameters is not None:
                lost = self.code(updated.type_parameters).count("\n")
                if lost:
                    value = value.with_changes(
                        lpar=[
                            cst.LeftParen(whitespace_after=_newlines(cst, lost, None)),
                            *value.lpar,
                        ],
                        rpar=[*value.rpar, cst.RightParen()],
                    )
            return cst.Assign(
                targets=[cst.AssignTarget(target=updated.name)],
                value=value,
                semicolon=updated.semicolon,
            )

        # -- PEP 654 / 758 ------------------------------------------------------------

        def leave_ExceptHandler(self, original: Any, updated: Any) -> Any:
            return updated.with_changes(type=_parenthesize_tuple(cst, updated.type))

        def leave_TryStar(self, original: Any, updated: Any) -> Any:
            handlers = []
            for handler in updated.handlers:
                space = handler.whitespace_after_except
                if not self.code(space) and not self.code(handler.whitespace_after_star):
                    space = cst.SimpleWhitespace(" ")
                elif not self.code(space):
                    space = handler.whitespace_after_star
                handlers.append(
                    cst.ExceptHandler(
                        body=handler.body,
                        type=_parenthesize_tuple(cst, handler.type),
                        name=handler.name,
                        leading_lines=handler.leading_lines,
                        whitespace_after_except=space,
                        whitespace_before_colon=handler.whitespace_before_colon,
                    )
                )
            return cst.Try(
                body=updated.body,
                handlers=handlers,
                orelse=updated.orelse,
                finalbody=updated.finalbody,
                leading_lines=updated.leading_lines,
                whitespace_before_colon=updated.whitespace_before_colon,
            )

        # -- PEP 646 ------------------------------------------------------------------

        def leave_Index(self, original: Any, updated: Any) -> Any:
            if getattr(updated, "star", None) is None:
                return updated
            return updated.with_changes(star=None, whitespace_after_star=None)

        def leave_Annotation(self, original: Any, updated: Any) -> Any:
            if isinstance(updated.annotation, cst.StarredElement):
                return updated.with_changes(annotation=updated.annotation.value)
            return updated

        # -- PEP 701 / 750 ------------------------------------------------------------

        def leave_FormattedString(self, original: Any, updated: Any) -> Any:
            return self.lower_string(updated)

        def leave_TemplatedString(self, original: Any, updated: Any) -> Any:
            return self.lower_string(updated)

        def lower_string(self, node: Any) -> Any:
            code = self.code(node)
            is_template = "t" in node.start.lower().rstrip("'\"")
            if not is_template and _host_accepts(code):
                return node
            new_code = _rebuild_fstring(self, node, code)
            try:
                replacement = cst.parse_expression(new_code)
            except Exception:
                return node
            return replacement.with_changes(lpar=node.lpar, rpar=node.rpar)

    return Lowering


def _newlines(cst: Any, count: int, existing: Any) -> Any:
    """Parenthesized whitespace holding ``count`` line breaks, to keep lines where they were."""

    empty = [cst.EmptyLine(indent=False) for _ in range(count - 1)]
    if isinstance(existing, cst.ParenthesizedWhitespace):
        return existing.with_changes(
            empty_lines=[*empty, cst.EmptyLine(indent=False), *existing.empty_lines]
        )
    return cst.ParenthesizedWhitespace(
        first_line=cst.TrailingWhitespace(),
        empty_lines=empty,
        indent=False,
        last_line=cst.SimpleWhitespace(""),
    )


def _parenthesize_tuple(cst: Any, node: Any) -> Any:
    if isinstance(node, cst.Tuple) and not node.lpar:
        return node.with_changes(lpar=[cst.LeftParen()], rpar=[cst.RightParen()])
    return node


def _host_accepts(code: str) -> bool:
    try:
        ast.parse(f"(\n{code}\n)", mode="eval")
    except (SyntaxError, ValueError):
        return False
    return True


# --- f-strings ---------------------------------------------------------------------------


def _rebuild_fstring(lowering: Any, node: Any, original: str) -> str:
    """An f-string the host reads, with the same text and (as far as cheap) expressions."""

    prefix = node.start.rstrip("'\"").replace("t", "f").replace("T", "f")
    if "f" not in prefix.lower():
        prefix += "f"
    quote = node.start[len(node.start.rstrip("'\"")) :]
    raw = "r" in prefix.lower()
    needed = original.count("\n")
    candidates = [quote, *(q for q in ('"', "'", '"""', "'''") if q != quote)]
    for candidate in candidates:
        body = _render_parts(lowering, node.parts, candidate, raw)
        if body is None:
            continue
        missing = needed - body.count("\n")
        if missing > 0:
            if len(candidate) == 1:
                continue  # only a triple-quoted string can hold the line breaks
            body += "\n" * missing
        new_code = f"{prefix}{candidate}{body}{candidate}"
        if _host_accepts(new_code):
            return new_code
    return _plain_string(node, original, prefix, quote)


def _render_parts(lowering: Any, parts: Any, quote: str, raw: bool) -> str | None:
    out = []
    for part in parts:
        if hasattr(part, "expression"):
            expression = _sanitize_expression(lowering.code(part.expression), quote[0])
            if expression is None:
                return None
            field = "{ " + expression
            if part.equal is not None:
                field += "="
            if part.conversion:
                field += "!" + part.conversion
            if part.format_spec:
                spec = _render_parts(lowering, part.format_spec, quote, raw)
                if spec is None:
                    return None
                field += ":" + spec
            elif not part.equal and not part.conversion:
                field += " "
            out.append(field + "}")
        else:
            text = _requote_text(part.value, quote[0], raw)
            if text is None:
                return None
            out.append(text)
    return "".join(out)


def _requote_text(text: str, quote_char: str, raw: bool) -> str | None:
    """Literal f-string text made safe inside ``quote_char`` (escaping it if needed)."""

    if quote_char not in text:
        return text
    if raw:
        return None
    out = []
    escaped = False
    for char in text:
        if char == quote_char and not escaped:
            out.append("\\")
        out.append(char)
        escaped = char == "\\" and not escaped
    return "".join(out)


def _sanitize_expression(code: str, quote_char: str) -> str | None:
    """Expression code that 3.8-3.11 accept inside an f-string quoted with ``quote_char``.

    Comments and line breaks go, string literals are re-quoted with the other quote, and a
    literal that needs a backslash becomes ``chr()`` calls.
    """

    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(code).readline))
    except (tokenize.TokenError, SyntaxError):
        return None
    out = []
    for token in tokens:
        kind = token.type
        if kind in (
            tokenize.COMMENT,
            tokenize.NL,
            tokenize.NEWLINE,
            tokenize.INDENT,
            tokenize.DEDENT,
            tokenize.ENDMARKER,
        ):
            continue
        if kind == tokenize.STRING:
            requoted = _requote_literal(token.string, quote_char)
            if requoted is None:
                return None
            out.append(requoted)
        else:
            out.append(token.string)
    text = " ".join(out)
    if "\\" in text or "#" in text:
        return None
    return text


def _requote_literal(token: str, quote_char: str) -> str | None:
    if quote_char not in token and "\\" not in token and "#" not in token:
        return token
    try:
        value = ast.literal_eval(token)
    except (ValueError, SyntaxError):
        return None  # an f-string nested inside: leave it to another quote choice
    other = "'" if quote_char == '"' else '"'
    if isinstance(value, bytes):
        return f"bytes({tuple(value)!r})"
    if not isinstance(value, str):
        return None
    if (
        other not in value
        and quote_char not in value
        and "\\" not in value
        and ("#" not in value and value.isprintable())
    ):
        return f"{other}{value}{other}"
    if len(value) == 1:
        return f"chr({ord(value)})"
    return f"str().join(map(chr, {tuple(ord(c) for c in value)!r}))"


def _plain_string(node: Any, original: str, prefix: str, quote: str) -> str:
    """The last resort: the literal text with ``{}`` for each replacement field."""

    plain_prefix = prefix.replace("f", "").replace("F", "")
    text_parts = []
    for part in node.parts:
        if hasattr(part, "expression"):
            text_parts.append("{}")
        else:
            text_parts.append(part.value)
    body = "".join(text_parts)
    needed = original.count("\n") - body.count("\n")
    triple = quote if len(quote) == 3 else quote * 3
    if needed > 0 or len(quote) == 3:
        body += "\n" * max(needed, 0)
        candidate = f"{plain_prefix}{triple}{body}{triple}"
    else:
        candidate = f"{plain_prefix}{quote}{body}{quote}"
    if _host_accepts(candidate):
        return candidate
    return f"{triple}{{}}" + "\n" * original.count("\n") + triple
