"""Where a statement sits: ``if``/``try`` blocks and ``TYPE_CHECKING``, and the imports whose
placement (module, conditional, function, type-checking only) depends on it."""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from seamfinder.collect.facts import ImportFact
from seamfinder.collect.scanner import bindings
from seamfinder.collect.scanner.spelling import import_binding
from seamfinder.core.model import ImportScope

if TYPE_CHECKING:
    from seamfinder.collect.scanner.evaluator import Scanner


def placement(scanner: Scanner) -> ImportScope:
    if scanner.type_checking:
        return ImportScope.TYPE_CHECKING
    if scanner.frame.is_function:
        return ImportScope.FUNCTION
    if scanner.conditional:
        return ImportScope.CONDITIONAL
    return ImportScope.MODULE


def visit_import(scanner: Scanner, node: ast.Import | ast.ImportFrom) -> None:
    where = placement(scanner)
    scope = scanner.scope
    for name, target, alias in bindings.import_names(scanner.package, node):
        line = getattr(alias, "lineno", node.lineno)
        column = getattr(alias, "col_offset", node.col_offset) + 1
        scanner.sink.imports.append(ImportFact(name, target, where, scope, line, column))
        if name != "*":
            scanner.bind(name, import_binding(node, name, target, alias))


def visit_if(scanner: Scanner, node: ast.If) -> None:
    test = node.test
    is_type_checking = (type(test) is ast.Name and test.id == "TYPE_CHECKING") or (
        type(test) is ast.Attribute and test.attr == "TYPE_CHECKING"
    )
    scanner.visit(test)
    at_module = not scanner.frame.is_function
    if at_module:
        scanner.conditional += 1
    if is_type_checking:
        scanner.type_checking += 1
        scanner.visit_body(node.body)
        scanner.type_checking -= 1
    else:
        scanner.visit_body(node.body)
    scanner.visit_body(node.orelse)
    if at_module:
        scanner.conditional -= 1


def visit_try(scanner: Scanner, node: ast.Try) -> None:
    at_module = not scanner.frame.is_function
    if at_module:
        scanner.conditional += 1
    scanner.visit_body(node.body)
    for handler in node.handlers:
        if handler.type is not None:
            scanner.visit(handler.type)
        if handler.name:
            scanner.bind(handler.name, None)
        scanner.visit_body(handler.body)
    scanner.visit_body(node.orelse)
    scanner.visit_body(node.finalbody)
    if at_module:
        scanner.conditional -= 1
