"""Import statements read from their text, without parsing the file.

grimp reports an import's line; what the statement says (which names, from where) is
read here from the text: the statement is reassembled from its lines (parentheses,
backslashes), its comments dropped, and split by hand, which costs a tenth of ``ast``.
"""

from __future__ import annotations

import re
from collections.abc import Container

_MAX_LINES = 200  # a statement longer than this is not an import anyone wrote by hand


def statement_at(lines: list[str], line: int) -> str:
    """The logical line starting at ``line``, comments dropped, continuations joined."""

    if not 0 < line <= len(lines):
        return ""
    parts: list[str] = []
    depth = 0
    for index in range(line - 1, min(len(lines), line - 1 + _MAX_LINES)):
        text = lines[index].split("#", 1)[0]
        depth += text.count("(") - text.count(")")
        stripped = text.rstrip()
        continued = stripped.endswith("\\")
        parts.append(stripped.rstrip("\\"))
        if depth <= 0 and not continued:
            break
    statement = " ".join(parts).strip()
    # ``import a; import b`` and ``if x: import y``: the import is the part that names it.
    for part in statement.split(";"):
        piece = part.strip()
        at = max(piece.find("from "), 0) if "from " in piece else piece.find("import ")
        if at >= 0 and "import " in piece:
            return piece[at:]
    return statement


def absolute_module(source: str, importer: str, is_package: bool) -> str:
    """``..models`` written in ``importer`` as the absolute module it names."""

    level = len(source) - len(source.lstrip("."))
    rest = source[level:]
    if level == 0:
        return rest
    parts = importer.split(".")
    if not is_package:
        parts = parts[:-1]
    if level > 1:
        parts = parts[: len(parts) - (level - 1)]
    return ".".join([*parts, rest] if rest else parts)


def split_names(names: str) -> list[str]:
    """``(a, b as c,)`` -> ``["a", "b"]``: the names as the source module has them."""

    cleaned = names.replace("(", " ").replace(")", " ")
    return [item.split()[0] for item in cleaned.split(",") if item.split()]


FROM_STATEMENT = re.compile(r"from\s+(?P<source>\.*[\w.]*)\s+import\s+(?P<names>.+)", re.S)
_IMPORT = re.compile(r"import\s+(?P<names>.+)", re.S)


def imported_modules(
    statement: str, importer: str, is_package: bool, modules: Container[str]
) -> list[str]:
    """The project modules an import statement imports (longest known prefix of each)."""

    found: list[str] = []
    match = FROM_STATEMENT.match(statement)
    if match is not None:
        base = absolute_module(match["source"], importer, is_package)
        for name in split_names(match["names"]):
            submodule = f"{base}.{name}" if base else name
            target = (
                submodule if name != "*" and submodule in modules else known_prefix(base, modules)
            )
            if target:
                found.append(target)
        return found
    match = _IMPORT.match(statement)
    if match is not None:
        for name in split_names(match["names"]):
            target = known_prefix(name, modules)
            if target:
                found.append(target)
    return found


def known_prefix(dotted: str, modules: Container[str]) -> str:
    """The longest prefix of ``dotted`` that is one of ``modules`` ("" if none)."""

    parts = dotted.split(".")
    for end in range(len(parts), 0, -1):
        candidate = ".".join(parts[:end])
        if candidate in modules:
            return candidate
    return ""
