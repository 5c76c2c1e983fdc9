"""The names each import statement takes from another module of the project.

grimp says which module imports which, on which line; what it takes from there (the
interface in use) is read from the statement's text here, for every file: the per-file
data pass skips files its pre-filter rejects, so its import facts are incomplete. A
statement is reassembled from its lines (parentheses, backslashes), its comments dropped,
and split by hand: parsing it with ``ast`` would cost ~10x as much for the same answer.

For ``from X import a, b`` on an edge to module ``M``: ``a`` is a submodule when ``X.a``
is a module of the project (then the name is the module itself, ``""``), otherwise a
symbol of ``X``; the edge keeps the names that resolve to ``M``. ``import X.Y`` takes the
module itself. What cannot be read (a statement the splitter does not recognise) still
yields the module itself, so no site is lost.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from seamfinder.collect.statements import (
    FROM_STATEMENT,
    absolute_module,
    split_names,
    statement_at,
)
from seamfinder.core.model import ImportEdge, ImportedName


def imported_names(
    edges: Iterable[ImportEdge],
    texts: Mapping[str, str],
    modules: Mapping[str, bool],
) -> tuple[ImportedName, ...]:
    """Every name imported at every site; ``modules`` maps each module to ``is_package``."""

    lines_of: dict[str, list[str]] = {}
    found: dict[tuple[str, str, str, int, int], ImportedName] = {}
    for edge in edges:
        path = edge.location.path
        if path not in lines_of:
            lines_of[path] = texts.get(path, "").splitlines()
        statement = statement_at(lines_of[path], edge.location.line)
        for name in _names(edge, statement, modules):
            # Plain tuples as keys: hashing and ordering the records themselves costs
            # a third of the whole pass on a large project.
            loc = name.location
            found[(name.importer, name.module, name.name, loc.line, loc.column)] = name
    return tuple(found[key] for key in sorted(found))


def _names(edge: ImportEdge, statement: str, modules: Mapping[str, bool]) -> list[ImportedName]:
    whole = ImportedName(edge.importer, edge.imported, "", edge.location)
    match = FROM_STATEMENT.match(statement)
    if match is not None:
        source = absolute_module(match["source"], edge.importer, modules.get(edge.importer, False))
        taken: list[ImportedName] = []
        for name in split_names(match["names"]):
            if name == "*":
                if source == edge.imported:
                    taken.append(ImportedName(edge.importer, edge.imported, "*", edge.location))
                continue
            submodule = f"{source}.{name}" if source else name
            if submodule in modules:
                if submodule == edge.imported:
                    taken.append(whole)
            elif source == edge.imported:
                taken.append(ImportedName(edge.importer, edge.imported, name, edge.location))
        return taken or [whole]
    return [whole]
