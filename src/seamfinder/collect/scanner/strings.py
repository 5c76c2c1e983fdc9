"""String templates: what SQL text or URL an expression builds, and where its holes come from.

A template is literal parts and holes (:class:`~seamfinder.collect.scanner.values.Str`).
Names bound to string expressions are followed (they are kept unevaluated as ``StrNode``
until they reach SQL or a URL); a hole records the settings, environment variables, calls
and names it is built from.
"""

from __future__ import annotations

import ast
import re
from typing import TYPE_CHECKING

from seamfinder.collect.facts import ValueSource
from seamfinder.collect.scanner.spelling import const_str, is_config_expr, last
from seamfinder.collect.scanner.values import Str, StrNode, Sym

if TYPE_CHECKING:
    from seamfinder.collect.scanner.evaluator import Scanner

_ENV_GETTERS = frozenset(
    {"os.getenv", "os.environ.get", "os.environ.setdefault", "decouple.config"}
)
_CASE_METHODS = frozenset({"strip", "lstrip", "rstrip", "lower", "upper"})
_FORMAT_FIELD = re.compile(r"\{[^{}]*\}")
_MAX_DEPTH = 20


def string_of(scanner: Scanner, node: ast.expr) -> Str | None:
    """The template a string expression builds, or None when it is not a string."""

    scanner.string_depth += 1
    try:
        if scanner.string_depth > _MAX_DEPTH:
            return None
        return _string_of(scanner, node)
    finally:
        scanner.string_depth -= 1


def hole(scanner: Scanner, node: ast.expr) -> Str:
    return Str([None], sources_of(scanner, node))


def _string_of(scanner: Scanner, node: ast.expr) -> Str | None:
    if type(node) is ast.Constant:
        value = node.value
        return Str([value], []) if type(value) is str else None
    if type(node) is ast.JoinedStr:
        return _fstring(scanner, node)
    if type(node) is ast.BinOp:
        op = type(node.op)
        if op is ast.Add:
            return _concatenation(scanner, node)
        left = string_of(scanner, node.left)
        if op is ast.Mod and left is not None:
            return Str(_percent_holes(left.parts), left.sources + sources_of(scanner, node.right))
        return None
    if type(node) is ast.Name:
        bound = scanner.lookup(node.id)
        if type(bound) is StrNode:
            return string_of(scanner, bound.node)
        return None
    if is_config_expr(node):
        sources = sources_of(scanner, node)
        return Str([None], sources) if sources else None
    if type(node) is ast.Call:
        return _string_call(scanner, node)
    return None


_PERCENT_FIELD = re.compile(r"%(?:\(\w+\))?[sdrf]")


def _percent_holes(parts: list[str | None]) -> list[str | None]:
    """``"... %s ..." % x``: each conversion is a hole, ``%%`` a percent sign."""

    result: list[str | None] = []
    for part in parts:
        if part is None:
            result.append(None)
            continue
        pieces = _PERCENT_FIELD.split(part.replace("%%", "\0"))
        for i, piece in enumerate(pieces):
            if i:
                result.append(None)
            result.append(piece.replace("\0", "%"))
    return result


def _fstring(scanner: Scanner, node: ast.JoinedStr) -> Str:
    parts: list[str | None] = []
    sources: list[ValueSource] = []
    for value in node.values:
        if type(value) is ast.Constant:
            parts.append(str(value.value))
            continue
        assert isinstance(value, ast.FormattedValue)
        # A hole holding a known string (``f"{ORDERS_URL}/x"`` with a module
        # constant) is that string: the URL's host is what names a service.
        inner = string_of(scanner, value.value) if value.format_spec is None else None
        if inner is not None:
            parts.extend(inner.parts)
            sources.extend(inner.sources)
        else:
            parts.append(None)
            sources.extend(sources_of(scanner, value.value))
    return Str(parts, sources)


def _string_call(scanner: Scanner, node: ast.Call) -> Str | None:
    func = node.func
    if type(func) is ast.Attribute and func.attr == "format":
        return _format(scanner, node, func.value)
    if type(func) is ast.Attribute and func.attr in _CASE_METHODS:
        return string_of(scanner, func.value)
    callee = scanner.dotted(func)
    if last(callee) in ("urljoin", "join") and len(node.args) == 2:
        left = string_of(scanner, node.args[0]) or hole(scanner, node.args[0])
        right = string_of(scanner, node.args[1]) or hole(scanner, node.args[1])
        return Str([*left.parts, "/", *right.parts], left.sources + right.sources)
    if callee in ("textwrap.dedent", "inspect.cleandoc") and node.args:
        return string_of(scanner, node.args[0])
    return None


def _format(scanner: Scanner, node: ast.Call, receiver: ast.expr) -> Str | None:
    """``"...{}...".format(a, b=c)``: each replacement field is a hole."""

    template = string_of(scanner, receiver)
    if template is None:
        return None
    parts: list[str | None] = []
    for part in template.parts:
        if part is None:
            parts.append(None)
            continue
        pieces = _FORMAT_FIELD.split(part)
        for i, piece in enumerate(pieces):
            if i:
                parts.append(None)
            parts.append(piece)
    sources = list(template.sources)
    for arg in node.args:
        sources.extend(sources_of(scanner, arg))
    for keyword in node.keywords:
        sources.extend(sources_of(scanner, keyword.value))
    return Str(parts, sources)


def _concatenation(scanner: Scanner, node: ast.BinOp) -> Str | None:
    """``a + b + c``: walked as a list, not by recursion (SQL is often built this way)."""

    operands: list[ast.expr] = [node.right]
    left: ast.expr = node.left
    while type(left) is ast.BinOp and type(left.op) is ast.Add:
        operands.append(left.right)
        left = left.left
    operands.append(left)
    operands.reverse()
    templates = [string_of(scanner, operand) for operand in operands]
    if all(t is None for t in templates):
        return None
    parts: list[str | None] = []
    sources: list[ValueSource] = []
    for operand, template in zip(operands, templates, strict=True):
        piece = template or hole(scanner, operand)
        parts.extend(piece.parts)
        sources.extend(piece.sources)
    return Str(parts, sources)


def sources_of(scanner: Scanner, node: ast.expr) -> list[ValueSource]:
    """Settings, environment variables and names that a string hole is built from."""

    if type(node) is ast.Constant:
        value = node.value
        return [ValueSource("literal", value)] if type(value) is str else []
    if type(node) is ast.Subscript:
        base = scanner.dotted(node.value)
        key = const_str(node.slice)
        if key is not None and base in ("os.environ", "environ"):
            return [ValueSource("env", key)]
        return []
    if type(node) is ast.Call:
        return _call_sources(scanner, node)
    if type(node) is ast.Name or type(node) is ast.Attribute:
        return _name_sources(scanner, node)
    if type(node) is ast.BinOp or type(node) is ast.JoinedStr:
        template = string_of(scanner, node)
        return list(template.sources) if template is not None else []
    if type(node) is ast.Tuple or type(node) is ast.List:  # "..." % (a, b)
        return [source for elt in node.elts for source in sources_of(scanner, elt)]
    if type(node) is ast.Dict:  # "... %(t)s" % {"t": ...}
        return [source for value in node.values for source in sources_of(scanner, value)]
    return []


def _call_sources(scanner: Scanner, node: ast.Call) -> list[ValueSource]:
    callee = scanner.dotted(node.func)
    args = node.args
    key = const_str(args[0]) if args else None
    if key is not None and (callee in _ENV_GETTERS or last(callee) == "getenv"):
        found = [ValueSource("env", key)]
        if len(args) > 1:
            found.extend(sources_of(scanner, args[1]))
        return found
    if callee == "getattr" and len(args) >= 2:
        owner = scanner.dotted(args[0])
        if key is None:
            key = const_str(args[1])
            if key is not None and owner.endswith("settings"):
                return [ValueSource("setting", key)]
    return [ValueSource("call", callee)] if callee else []


def _name_sources(scanner: Scanner, node: ast.Name | ast.Attribute) -> list[ValueSource]:
    value = scanner.static(node)
    if type(value) is StrNode:
        template = string_of(scanner, value.node)
        return list(template.sources) if template is not None else []
    if type(value) is Sym and not value.label:
        dotted = value.dotted
        head, _, attr = dotted.rpartition(".")
        if head == "django.conf.settings" or head.endswith(".settings") or head == "settings":
            return [ValueSource("setting", attr)]
        module = scanner.module
        if dotted.startswith(f"{module}.") and "." not in dotted[len(module) + 1 :]:
            return []  # a module-level name that is not a string: nothing to report
        return [ValueSource("ref", dotted)]
    return []
