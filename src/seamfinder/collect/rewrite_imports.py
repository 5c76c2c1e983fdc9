"""Find and rewrite the import statements that reach into a component, keeping formatting.

A seam routes every import of a component's internals from outside through one facade
module. :func:`find_imports` lists what a file imports from a set of target modules, as
written (relative or not, aliased or not, under ``TYPE_CHECKING`` or in a function);
:func:`rewrite_imports` points those statements at the facade with libcst, which keeps
comments, parentheses and blank lines where they were.

What is rewritten, for a name ``n`` the facade exports as ``e``:

* ``from pkg.mod import n`` -> ``from pkg.api import n`` (``e as n`` when ``e`` differs);
  ``from .mod import n`` stays relative when the facade is under the same package;
* ``from pkg import mod`` (a submodule) -> ``from pkg.api import mod``;
* ``import pkg.mod as m`` -> ``from pkg.api import mod as m``.

A statement that also imports names the facade does not export is split in two. Star
imports and ``import pkg.mod`` without ``as`` (which binds ``pkg`` and is used as
``pkg.mod.x`` further down) are found but never rewritten: the caller lists them.

libcst is imported lazily: it costs ~170 ms to import.
"""

from __future__ import annotations

from collections.abc import Container, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from seamfinder.collect.statements import absolute_module, known_prefix

if TYPE_CHECKING:
    import libcst as cst

ImportForm = Literal["from", "import"]


@dataclass(frozen=True, slots=True, order=True)
class FoundImport:
    """One name one statement imports from a target module."""

    line: int
    module: str  # the absolute target module
    name: str  # the name taken from it; "" for the module itself, "*" for a star
    alias: str  # the ``as`` name, "" if none
    form: ImportForm  # ``from ... import`` or ``import``

    @property
    def key(self) -> tuple[str, str]:
        return (self.module, self.name)

    @property
    def rewritable(self) -> bool:
        return self.name != "*" and (self.form == "from" or bool(self.alias))


@dataclass(frozen=True, slots=True)
class Unparsable:
    """A file libcst cannot parse: left alone."""

    reason: str


@dataclass(frozen=True, slots=True)
class _Place:
    """Where a file sits: its module, and the modules it may import."""

    importer: str
    is_package: bool
    modules: Container[str]
    targets: Container[str]


def find_imports(
    text: str, importer: str, is_package: bool, modules: Container[str], targets: Container[str]
) -> tuple[FoundImport, ...] | Unparsable:
    """Every name ``text`` imports from one of ``targets`` (absolute module names)."""

    import libcst as cst
    from libcst.metadata import MetadataWrapper, PositionProvider

    try:
        wrapper = MetadataWrapper(cst.parse_module(text))
    except cst.ParserSyntaxError as exc:
        return Unparsable(f"libcst cannot parse it: {str(exc).splitlines()[0]}")
    place = _Place(importer, is_package, modules, targets)
    found: list[FoundImport] = []

    class Finder(cst.CSTVisitor):
        METADATA_DEPENDENCIES = (PositionProvider,)

        def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
            line = self.get_metadata(PositionProvider, node).start.line
            found.extend(_from_names(node, place, line))

        def visit_Import(self, node: cst.Import) -> None:
            line = self.get_metadata(PositionProvider, node).start.line
            found.extend(_import_names(node, place, line))

    wrapper.visit(Finder())
    return tuple(sorted(found))


def rewrite_imports(
    text: str,
    importer: str,
    is_package: bool,
    modules: Container[str],
    facade: str,
    exports: Mapping[tuple[str, str], str],
) -> str | Unparsable:
    """``text`` with every rewritable import of an exported ``(module, name)`` pointed at
    ``facade``, which binds it as ``exports[(module, name)]``."""

    import libcst as cst

    try:
        tree = cst.parse_module(text)
    except cst.ParserSyntaxError as exc:
        return Unparsable(f"libcst cannot parse it: {str(exc).splitlines()[0]}")
    place = _Place(importer, is_package, modules, {m for m, _ in exports})

    class Rewriter(cst.CSTTransformer):
        def leave_SimpleStatementLine(
            self, original: cst.SimpleStatementLine, updated: cst.SimpleStatementLine
        ) -> cst.SimpleStatementLine | cst.FlattenSentinel[cst.SimpleStatementLine]:
            body: list[cst.BaseSmallStatement] = []
            for statement in updated.body:
                body.extend(_rewrite_statement(statement, place, facade, exports))
            if len(body) == len(updated.body):
                return updated.with_changes(body=body)
            if len(updated.body) == 1:  # one statement split in two: two lines
                second = cst.SimpleStatementLine(body=body[1:])
                return cst.FlattenSentinel([updated.with_changes(body=body[:1]), second])
            return updated.with_changes(body=[_no_semicolon(s) for s in body])

    return tree.visit(Rewriter()).code


def _no_semicolon(statement: cst.BaseSmallStatement) -> cst.BaseSmallStatement:
    import libcst as cst

    return statement.with_changes(semicolon=cst.MaybeSentinel.DEFAULT)


def _dotted(node: cst.BaseExpression | None) -> str:
    import libcst as cst

    if node is None:
        return ""
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        return f"{_dotted(node.value)}.{node.attr.value}"
    return ""


def _alias_name(alias: cst.ImportAlias) -> str:
    import libcst as cst

    if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
        return alias.asname.name.value
    return ""


def _source(node: cst.ImportFrom, place: _Place) -> str:
    dots = "." * len(node.relative)
    return absolute_module(dots + _dotted(node.module), place.importer, place.is_package)


def _classify(source: str, name: str, place: _Place) -> tuple[str, str] | None:
    """The ``(module, name)`` a ``from source import name`` takes from a target, if any."""

    submodule = f"{source}.{name}" if source else name
    if submodule in place.modules:
        return (submodule, "") if submodule in place.targets else None
    return (source, name) if source in place.targets else None


def _from_names(node: cst.ImportFrom, place: _Place, line: int) -> list[FoundImport]:
    import libcst as cst

    source = _source(node, place)
    if isinstance(node.names, cst.ImportStar):
        if source in place.targets:
            return [FoundImport(line, source, "*", "", "from")]
        return []
    found = []
    for alias in node.names:
        key = _classify(source, _dotted(alias.name), place)
        if key is not None:
            found.append(FoundImport(line, key[0], key[1], _alias_name(alias), "from"))
    return found


def _import_names(node: cst.Import, place: _Place, line: int) -> list[FoundImport]:
    found = []
    for alias in node.names:
        dotted = _dotted(alias.name)
        target = known_prefix(dotted, place.modules)
        if target and target in place.targets:
            # ``import a.b.c`` where only ``a.b`` is a module is no whole-module import.
            name = "" if target == dotted else dotted[len(target) + 1 :]
            found.append(FoundImport(line, target, name, _alias_name(alias), "import"))
    return found


def _facade_module(node: cst.ImportFrom, place: _Place, facade: str) -> dict[str, object]:
    """``module`` and ``relative`` of an ImportFrom naming the facade, relative if it was."""

    level = len(node.relative)
    if level:
        base = absolute_module("." * level, place.importer, place.is_package)
        if base and facade.startswith(base + "."):
            rest = facade[len(base) + 1 :]
            return {"module": _module_node(rest), "relative": node.relative}
    return {"module": _module_node(facade), "relative": ()}


def _module_node(dotted: str) -> cst.Attribute | cst.Name:
    import libcst as cst

    node = cst.parse_expression(dotted)
    assert isinstance(node, (cst.Attribute, cst.Name))
    return node


def _exported_alias(alias: cst.ImportAlias, taken: str, exported: str) -> cst.ImportAlias:
    """``taken [as x]`` imported from the facade, which binds it as ``exported``: the
    name bound in the importer stays the same."""

    import libcst as cst

    if alias.asname is not None or exported == taken.rsplit(".", maxsplit=1)[-1]:
        return alias.with_changes(name=cst.Name(exported))
    bound = taken.rsplit(".", maxsplit=1)[-1]
    return alias.with_changes(name=cst.Name(exported), asname=cst.AsName(name=cst.Name(bound)))


def _split_aliases(
    aliases: Sequence[cst.ImportAlias],
) -> list[cst.ImportAlias]:
    """Aliases with the last one's trailing comma dropped (a kept list may end early)."""

    import libcst as cst

    if not aliases:
        return []
    last = aliases[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)
    return [*aliases[:-1], last]


def _rewrite_statement(
    statement: cst.BaseSmallStatement,
    place: _Place,
    facade: str,
    exports: Mapping[tuple[str, str], str],
) -> list[cst.BaseSmallStatement]:
    import libcst as cst

    if isinstance(statement, cst.ImportFrom) and not isinstance(statement.names, cst.ImportStar):
        return _rewrite_from(statement, place, facade, exports)
    if isinstance(statement, cst.Import):
        return _rewrite_import(statement, place, facade, exports)
    return [statement]


def _rewrite_from(
    statement: cst.ImportFrom,
    place: _Place,
    facade: str,
    exports: Mapping[tuple[str, str], str],
) -> list[cst.BaseSmallStatement]:
    import libcst as cst

    assert not isinstance(statement.names, cst.ImportStar)
    source = _source(statement, place)
    kept: list[cst.ImportAlias] = []
    moved: list[cst.ImportAlias] = []
    for alias in statement.names:
        taken = _dotted(alias.name)
        key = _classify(source, taken, place)
        exported = exports.get(key) if key is not None else None
        if exported is None:
            kept.append(alias)
        else:
            moved.append(_exported_alias(alias, taken, exported))
    if not moved:
        return [statement]
    target = _facade_module(statement, place, facade)
    if not kept:  # the names keep their commas, so the layout stays as it was
        return [statement.with_changes(names=moved, **target)]
    # Parentheses are only needed while the list spans lines; keep them on both halves.
    first = statement.with_changes(names=_split_aliases(kept))
    second = statement.with_changes(names=_split_aliases(moved), **target)
    return [first, second.with_changes(semicolon=cst.MaybeSentinel.DEFAULT)]


def _rewrite_import(
    statement: cst.Import,
    place: _Place,
    facade: str,
    exports: Mapping[tuple[str, str], str],
) -> list[cst.BaseSmallStatement]:
    import libcst as cst

    kept: list[cst.ImportAlias] = []
    moved: list[cst.ImportAlias] = []
    for alias in statement.names:
        dotted = _dotted(alias.name)
        exported = exports.get((dotted, "")) if _alias_name(alias) else None
        if exported is None:
            kept.append(alias)
        else:
            moved.append(_exported_alias(alias, dotted, exported))
    if not moved:
        return [statement]
    replacement = cst.ImportFrom(
        module=_module_node(facade),
        names=_split_aliases(moved),
    )
    if not kept:
        return [replacement.with_changes(semicolon=statement.semicolon)]
    return [statement.with_changes(names=_split_aliases(kept)), replacement]
