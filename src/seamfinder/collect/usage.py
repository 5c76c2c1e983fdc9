"""How an imported name is used by the module importing it, and how a relation deletes.

The extraction sheet asks of every import statement across a new boundary what it will
become: nothing (used in annotations only), a message (a task enqueued with ``.delay``
or ``.apply_async``), or a remote call. That is read here from the importer's text:
every occurrence of the local name outside import statements, classified by what
surrounds it. A name the module never uses again (a re-export) is ``unused``.

``on_delete`` of a foreign key is read from the statement at the relation's line: a
``CASCADE`` across a service boundary is a deletion the other side must hear of.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping

from seamfinder.collect.entrypoints import import_bindings
from seamfinder.collect.statements import statement_at
from seamfinder.core.model import DataAccess, ImportedName, ImportScope, Location, NameUse, UseKind

_ENQUEUE = re.compile(
    r"(?:\.\w+)?\s*\.\s*(?:delay|apply_async|s|si|signature|send_with_options)\s*\("
)
# ``name: T``, ``name: T = x`` (a parameter on its own line or a variable), ``-> T``.
_ANNOTATED = re.compile(r"^\s*\*{0,2}[A-Za-z_]\w*\s*:(?!=)")
_KEYWORDS = frozenset(
    {"else", "try", "finally", "lambda", "except", "elif", "if", "while", "for", "with", "case"}
)
_IMPORT_LINE = re.compile(r"\s*(?:from|import)\s")
_CASCADE = re.compile(r"on_delete\s*=\s*(?:[\w.]*\.)?CASCADE\b|\bCASCADE\b")


def name_uses(
    names: Iterable[ImportedName],
    texts: Mapping[str, str],
    packages: Mapping[str, bool],
    scopes: Mapping[tuple[str, int], ImportScope] | None = None,
) -> tuple[NameUse, ...]:
    """The use of every named import (``texts`` by module, ``packages`` module -> is_package).

    ``scopes`` (importer, line) -> scope: a ``TYPE_CHECKING`` import is type-only whatever
    its text says.
    """

    by_importer: dict[str, list[ImportedName]] = defaultdict(list)
    for name in names:
        by_importer[name.importer].append(name)
    found: list[NameUse] = []
    for importer in sorted(by_importer):
        text = texts.get(importer)
        if text is None:
            continue
        lines = text.splitlines()
        uses = _local_uses(lines, importer, packages.get(importer, False))
        for name in by_importer[importer]:
            line = name.location.line
            if (scopes or {}).get((importer, line)) is ImportScope.TYPE_CHECKING:
                use: UseKind = "type-only"
            else:
                use = uses.get((line, name.name or name.module.rsplit(".", 1)[-1]), "call")
            found.append(NameUse(importer, name.module, name.name, line, use))
    return tuple(sorted(found))


def _local_uses(lines: list[str], module: str, is_package: bool) -> dict[tuple[int, str], UseKind]:
    """(import line, source name) -> how the name it binds is used in the file."""

    locals_of: dict[str, tuple[int, str]] = {}
    for number, line in enumerate(lines, start=1):
        if _IMPORT_LINE.match(line):
            statement = statement_at(lines, number)
            for local, target in import_bindings(statement, module, is_package):
                locals_of[local] = (number, target.rsplit(".", 1)[-1])
    if not locals_of:
        return {}
    pattern = re.compile(r"\b(" + "|".join(re.escape(n) for n in sorted(locals_of)) + r")\b")
    seen: dict[str, set[str]] = defaultdict(set)
    for raw in lines:
        if _IMPORT_LINE.match(raw):
            continue
        line = raw.split("#", 1)[0]
        for match in pattern.finditer(line):
            if line[max(0, match.start() - 1)] == "." and match.start() > 0:
                continue  # an attribute of something else: ``self.Order``
            seen[match.group(1)].add(_occurrence(line, match.start(), match.end()))
    result: dict[tuple[int, str], UseKind] = {}
    for local, key in locals_of.items():
        kinds = seen.get(local, set())
        if not kinds:
            result[key] = "unused"
        elif kinds == {"annotation"}:
            result[key] = "type-only"
        elif kinds <= {"annotation", "enqueue"}:
            result[key] = "enqueue"
        else:
            result[key] = "call"
    return result


def _occurrence(line: str, start: int, end: int) -> str:
    if _ENQUEUE.match(line, end):
        return "enqueue"
    before = line[:start]
    if "->" in before or _in_type_string(line, start, end):
        return "annotation"
    annotated = _ANNOTATED.match(line)
    if annotated and annotated.end() <= start:
        head = line.split(":", 1)[0].strip().lstrip("*")
        if head not in _KEYWORDS and "=" not in line[annotated.end() : start]:
            return "annotation"
    return "use"


_TYPE = r"[\w.]+(?:\[[\w.\[\], |]*\])?"
_TYPE_TEXT = re.compile(rf"\s*{_TYPE}(?:\s*\|\s*{_TYPE})*\s*")


def _in_type_string(line: str, start: int, end: int) -> bool:
    """Inside a string that is only a type (``"Order"``, ``"list[Order] | None"``), not an
    f-string or a message that mentions the name."""

    for quote in ('"', "'"):
        opening = line.rfind(quote, 0, start)
        closing = line.find(quote, end)
        if opening < 0 or closing < 0 or line[:opening].count(quote) % 2:
            continue
        if line[opening - 1 : opening].lower() in ("f", "r", "b"):
            return False
        return bool(_TYPE_TEXT.fullmatch(line[opening + 1 : closing]))
    return False


def cascade_sites(relations: Iterable[DataAccess], texts: Mapping[str, str]) -> frozenset[Location]:
    """The relation sites (by location) whose field deletes on cascade (``texts`` by path)."""

    lines_of: dict[str, list[str]] = {}
    found: set[Location] = set()
    for access in relations:
        path = access.location.path
        if path not in lines_of:
            lines_of[path] = texts.get(path, "").splitlines()
        statement = statement_at(lines_of[path], access.location.line)
        if _CASCADE.search(statement):
            found.add(access.location)
    return frozenset(found)


_ENUM_CLASS = re.compile(r"^class\s+(\w+)\s*\(([^)]*)\)", re.M)
_ENUM_BASE = re.compile(r"\b\w*(?:Enum|Choices|Flag)\b")


def enumerations(texts: Mapping[str, str]) -> frozenset[str]:
    """Dotted names of the enumerations (``Enum``, Django ``TextChoices``...) defined at
    module level (``texts`` by module)."""

    return frozenset(
        f"{module}.{match.group(1)}"
        for module, text in texts.items()
        if "Enum" in text or "Choices" in text or "Flag" in text
        for match in _ENUM_CLASS.finditer(text)
        if _ENUM_BASE.search(match.group(2))
    )


_ABSTRACT = re.compile(r"^\s+(?:abstract|__abstract__)\s*=\s*True\b", re.M)


def abstract_models(texts: Mapping[str, str]) -> tuple[tuple[str, int], ...]:
    """``(module, count)`` of the abstract model classes (``abstract = True`` in a Meta,
    ``__abstract__ = True``) each module declares, where it declares any."""

    found = []
    for module in sorted(texts):
        text = texts[module]
        if "abstract" in text:
            count = len(_ABSTRACT.findall(text))
            if count:
                found.append((module, count))
    return tuple(found)
