"""Names the pass binds without evaluating: imports, module-level definitions, parameters."""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from seamfinder.collect.facts import Target
from seamfinder.collect.scanner.frames import Frame
from seamfinder.collect.scanner.spelling import (
    NOT_ENTITY_ROOTS,
    import_binding,
    is_classlike,
    is_none,
    is_string_expr,
    label_of_args,
    last,
    root,
)
from seamfinder.collect.scanner.values import HIDDEN, SESSION, Inst, Seq, StrNode, Sym, Value

if TYPE_CHECKING:
    from seamfinder.collect.scanner.evaluator import Scanner

_SESSION_CLASSES = frozenset({"Session", "AsyncSession", "scoped_session", "async_scoped_session"})


def import_names(
    package: str, node: ast.Import | ast.ImportFrom
) -> list[tuple[str, str, ast.alias]]:
    """(local name, absolute target, alias node) for each name the statement binds."""

    result = []
    if type(node) is ast.Import:
        for alias in node.names:
            if alias.asname:
                result.append((alias.asname, alias.name, alias))
            else:
                result.append((alias.name.split(".")[0], alias.name, alias))
        return result
    assert isinstance(node, ast.ImportFrom)
    base = node.module or ""
    if node.level:
        for _ in range(node.level - 1):
            package = package.rpartition(".")[0]
        base = f"{package}.{base}" if base and package else (base or package)
    for alias in node.names:
        if alias.name == "*":
            result.append(("*", f"{base}.*", alias))
        else:
            result.append((alias.asname or alias.name, f"{base}.{alias.name}", alias))
    return result


def prebind(scanner: Scanner, body: list[ast.stmt]) -> None:
    """Bind module-level names before the walk: functions may use names defined below."""

    bindings = scanner.module_frame.bindings
    module = scanner.module
    for stmt in body:
        if type(stmt) in (ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef):
            assert isinstance(stmt, ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
            bindings[stmt.name] = Sym(f"{module}.{stmt.name}")
        elif type(stmt) is ast.Assign or type(stmt) is ast.AnnAssign:
            _prebind_assignment(bindings, module, stmt)
        elif type(stmt) is ast.Import or type(stmt) is ast.ImportFrom:
            for name, target_name, alias in import_names(scanner.package, stmt):
                if name != "*":
                    bindings[name] = import_binding(stmt, name, target_name, alias)
        elif type(stmt) is ast.If or type(stmt) is ast.Try:
            for block in _blocks(stmt):
                prebind(scanner, block)


def _prebind_assignment(
    bindings: dict[str, Value], module: str, stmt: ast.Assign | ast.AnnAssign
) -> None:
    targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
    for target in targets:
        if type(target) is ast.Name:
            bindings[target.id] = _prebound_value(module, target.id, stmt.value)


def _blocks(stmt: ast.If | ast.Try) -> list[list[ast.stmt]]:
    """The bodies of an ``if`` or ``try``, in source order."""

    if isinstance(stmt, ast.If):
        return [stmt.body, stmt.orelse]
    return [stmt.body, stmt.orelse, *(h.body for h in stmt.handlers), stmt.finalbody]


def _prebound_value(module: str, name: str, value: ast.expr | None) -> Value:
    if value is None:
        return Sym(f"{module}.{name}")
    if is_string_expr(value):
        return StrNode(value)
    if type(value) is ast.Call:
        func = value.func
        func_name = func.id if type(func) is ast.Name else getattr(func, "attr", "")
        if func_name in ("get_model", "load_model"):
            label = label_of_args(value)
            if label:
                return Sym("", label)
        if func_name == "get_user_model":
            return Sym("", "AUTH_USER_MODEL", "setting")
    return Sym(f"{module}.{name}")


def bind_parameters(
    scanner: Scanner, node: ast.FunctionDef | ast.AsyncFunctionDef, frame: Frame, parent: Frame
) -> None:
    """Parameters hide outer names unless annotated; ``self``/``cls`` are the class's."""

    args = node.args
    positional = [*args.posonlyargs, *args.args]
    everything = [*positional, *args.kwonlyargs]
    if args.vararg is not None:
        everything.append(args.vararg)
    if args.kwarg is not None:
        everything.append(args.kwarg)
    bindings = frame.bindings
    for arg in everything:
        value = None
        if arg.annotation is not None:
            value = annotated_value(scanner, arg.annotation)
        bindings[arg.arg] = value if value is not None else HIDDEN
    class_target = parent.class_target
    if class_target is not None and positional:
        first = positional[0].arg
        is_static = any(type(d) is ast.Name and d.id == "staticmethod" for d in node.decorator_list)
        is_classmethod = any(
            type(d) is ast.Name and d.id == "classmethod" for d in node.decorator_list
        )
        if is_classmethod:
            bindings[first] = Sym(class_target.value)
        elif not is_static:
            bindings[first] = Inst(class_target, is_self=True)


def annotated_value(scanner: Scanner, annotation: ast.expr) -> Value:
    """A parameter or variable annotated ``Session`` or with a model class."""

    node = annotation
    while type(node) is ast.Subscript and type(node.value) in (ast.Name, ast.Attribute):
        wrapper = node.value
        name = wrapper.id if type(wrapper) is ast.Name else getattr(wrapper, "attr", "")
        if name != "Optional":
            return None
        node = node.slice
    if type(node) is ast.BinOp and type(node.op) is ast.BitOr:
        if is_none(node.right):
            node = node.left
        elif is_none(node.left):
            node = node.right
    value = scanner.static(node)
    if type(value) is not Sym:
        return None
    if value.label:
        return Inst(value.model) if not value.dotted else None
    name = last(value.dotted)
    if name in _SESSION_CLASSES:
        return SESSION
    if is_classlike(name) and root(value.dotted) not in NOT_ENTITY_ROOTS:
        return Inst(Target("ref", value.dotted))
    return None


def bind_unpacked(scanner: Scanner, elts: list[ast.expr], value: Value) -> None:
    """``a, b = value``: a tuple of instances binds its first, a sequence item by item."""

    first_value: Value = None
    if type(value) is Inst and value.tuple_:
        first_value = Inst(value.target)
    elif type(value) is Seq and len(value.items) == len(elts):
        for elt, item in zip(elts, value.items, strict=True):
            scanner.bind_target(elt, item)
        return
    for i, elt in enumerate(elts):
        scanner.bind_target(elt, first_value if i == 0 else None)
