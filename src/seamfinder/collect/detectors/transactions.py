"""Transaction scopes: ``with transaction.atomic():``, ``@atomic``, ``session.begin()``,
``with Session() as s:`` and ``session.commit()``, with the writes and calls inside them.

A scope collects the writes lexically inside it and the dotted names of the functions it
calls directly; the resolver follows those calls one level. A ``commit()`` outside any
``with`` scope closes the writes of its function since the previous commit.
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from seamfinder.collect.facts import TransactionFact, TransactionKind
from seamfinder.collect.scanner.frames import Frame, OpenTx
from seamfinder.collect.scanner.hooks import CallRule, Closer, Detector, MethodHandler
from seamfinder.collect.scanner.spelling import (
    NOT_ENTITY_ROOTS,
    describe,
    is_classlike,
    is_project_name,
    last,
    root,
)
from seamfinder.collect.scanner.values import ATOMIC, BEGIN, SESSION, Sym, Value

if TYPE_CHECKING:
    from collections.abc import Callable

    from seamfinder.collect.scanner.evaluator import Scanner

_Located = ast.expr | ast.stmt | ast.keyword


def _open(scanner: Scanner, kind: TransactionKind, callee: str, at: _Located) -> Closer:
    sink = scanner.sink
    slot = len(sink.transactions)
    sink.transactions.append(None)
    tx = OpenTx(
        kind,
        callee,
        at.lineno,
        at.col_offset + 1,
        len(sink.accesses),
        len(sink.raw_sql),
        slot,
    )
    frame = scanner.frame
    frame.open_tx.append(tx)
    return lambda: _close(scanner, frame, tx)


def _close(scanner: Scanner, frame: Frame, tx: OpenTx) -> None:
    frame.open_tx.remove(tx)
    accesses = scanner.sink.accesses
    writes = tuple(i for i in range(tx.access_start, len(accesses)) if accesses[i].kind == "write")
    raw_writes = _raw_writes(scanner, tx.raw_start)
    if tx.kind == "wrapper" and not (writes or raw_writes or tx.calls):
        return  # a candidate that holds nothing: its slot stays empty
    scanner.sink.transactions[tx.slot] = TransactionFact(
        tx.kind,
        tx.callee,
        scanner.scope,
        writes,
        raw_writes,
        tuple(sorted(tx.calls)),
        tx.line,
        tx.column,
    )


def _raw_writes(scanner: Scanner, start: int, scope: str | None = None) -> tuple[int, ...]:
    raw_sql = scanner.sink.raw_sql
    return tuple(
        i
        for i in range(start, len(raw_sql))
        if (scope is None or raw_sql[i].scope == scope)
        and any(t.access == "write" for t in raw_sql[i].tables)
    )


def _is_atomic(value: Value) -> bool:
    return value is ATOMIC or (type(value) is Sym and last(value.dotted) == "atomic")


def with_item(scanner: Scanner, context: ast.expr, value: Value) -> Closer | None:
    """``with transaction.atomic():``, ``with session.begin():``, ``with Session() as s:``."""

    if _is_atomic(value):
        callee_node = context.func if type(context) is ast.Call else context
        return _open(scanner, "atomic", scanner.dotted(callee_node) or "atomic", context)
    if value is BEGIN and type(context) is ast.Call:
        return _open(scanner, "begin", describe(context.func), context)
    if value is SESSION and type(context) is ast.Call:
        return _open(scanner, "session", describe(context.func), context)
    if type(context) is ast.Call:
        wrapper = _project_callee(scanner, context.func)
        if wrapper:
            return _open(scanner, "wrapper", wrapper, context)
    return None


def _project_callee(scanner: Scanner, node: ast.expr) -> str:
    """The dotted name of a function of the project (its top-level package), else ``""``:
    ``with traced_atomic():`` may be a wrapper of ``atomic``, which the resolver decides."""

    dotted = scanner.dotted(node)
    return dotted if dotted and is_project_name(dotted) else ""


def decorators(
    scanner: Scanner, nodes: list[ast.expr], values: list[Value]
) -> Callable[[], Closer] | None:
    """``@transaction.atomic``, ``@atomic()``, ``@method_decorator(atomic, name="post")``."""

    atomic_at: ast.expr | None = None
    callee = ""
    for decorator, value in zip(nodes, values, strict=True):
        callee_node: ast.expr | None = None
        if _is_atomic(value):
            callee_node = decorator.func if type(decorator) is ast.Call else decorator
        elif type(decorator) is ast.Call and decorator.args:
            wrapped = decorator.args[0]
            wrapped = wrapped.func if type(wrapped) is ast.Call else wrapped
            if last(scanner.dotted(wrapped)) == "atomic":
                callee_node = wrapped
        if callee_node is not None:
            atomic_at = decorator
            callee = scanner.dotted(callee_node) or "atomic"
    if atomic_at is None:
        return _wrapper_decorator(scanner, nodes)
    at = atomic_at
    return lambda: _open(scanner, "atomic", callee, at)


def _wrapper_decorator(scanner: Scanner, nodes: list[ast.expr]) -> Callable[[], Closer] | None:
    """``@traced_atomic`` or ``@traced_atomic()`` of a project name: a candidate."""

    for decorator in nodes:
        callee = _project_callee(
            scanner, decorator.func if type(decorator) is ast.Call else decorator
        )
        if callee:
            at = decorator
            return lambda: _open(scanner, "wrapper", callee, at)
    return None


def commit(scanner: Scanner, call: ast.Call) -> None:
    """``session.commit()`` in a function: the writes since the previous commit."""

    frame = scanner.frame
    if frame.open_tx:  # the enclosing ``with`` scope already records these writes
        _reset_commit_marks(scanner, frame)
        return
    accesses = scanner.sink.accesses
    writes = tuple(
        i
        for i in range(frame.commit_access, len(accesses))
        if accesses[i].kind == "write" and accesses[i].scope == frame.qualname
    )
    raw_writes = _raw_writes(scanner, frame.commit_raw, frame.qualname)
    calls = tuple(sorted(set(frame.commit_calls)))
    if writes or raw_writes or calls:
        scanner.sink.transactions.append(
            TransactionFact(
                "commit",
                describe(call.func),
                frame.qualname,
                writes,
                raw_writes,
                calls,
                call.lineno,
                call.col_offset + 1,
            )
        )
    _reset_commit_marks(scanner, frame)


def _reset_commit_marks(scanner: Scanner, frame: Frame) -> None:
    frame.commit_access = len(scanner.sink.accesses)
    frame.commit_raw = len(scanner.sink.raw_sql)
    frame.commit_calls = []


def note_call(scanner: Scanner, name: str) -> None:
    """A call inside open scopes (and since the last commit) that the resolver follows."""

    if is_classlike(last(name)) or root(name) in NOT_ENTITY_ROOTS:
        return  # classes are constructed, not called into; libraries write nothing of ours
    frame = scanner.frame
    for tx in frame.open_tx:
        tx.calls.add(name)
    if frame.is_function:
        frame.commit_calls.append(name)


def _atomic(scanner: Scanner, node: ast.Call, dotted: str) -> Value:
    _note_atomic_scope(scanner)
    scanner.visit_arguments(node)
    return ATOMIC


def _begin(scanner: Scanner, node: ast.Call, dotted: str) -> Value:
    _note_atomic_scope(scanner)
    scanner.visit_arguments(node)
    return BEGIN


def _note_atomic_scope(scanner: Scanner) -> None:
    """A function that calls ``atomic()`` (enters, returns or ``__enter__``-s it)."""

    if scanner.frame.is_function:
        scanner.sink.atomic_scopes.add(scanner.scope)


def _atomic_method(scanner: Scanner, node: ast.Call, receiver: Value, method: str) -> Value:
    return _atomic(scanner, node, method)


def _begin_method(scanner: Scanner, node: ast.Call, receiver: Value, method: str) -> Value:
    return _begin(scanner, node, method)


_METHODS: dict[str, MethodHandler] = {
    "begin": _begin_method,
    "begin_nested": _begin_method,
    "atomic": _atomic_method,
}

DETECTOR = Detector(
    "transactions",
    tokens=(b"atomic", b"begin(", b"commit("),
    calls=(
        CallRule(70, lambda dotted: last(dotted) == "atomic", _atomic),
        CallRule(80, lambda dotted: last(dotted) in ("begin", "begin_nested"), _begin),
    ),
    methods=_METHODS,
    needs=(b"atomic", b"begin", b"commit"),
    observe_call=note_call,
    with_item=with_item,
    decorators=decorators,
)
