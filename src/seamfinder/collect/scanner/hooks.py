"""The detector interface: what a detector declares, and the registry that dispatches to it.

A detector is a module of ``collect/detectors/`` that exports one :class:`Detector`. The
evaluator (:class:`~seamfinder.collect.scanner.evaluator.Scanner`) walks the tree and
evaluates expressions; wherever a value meets a call or a statement that a detector has
declared, it hands over, and the detector writes facts to ``scanner.sink``
(:class:`~seamfinder.collect.scanner.sink.FactSink`) and returns what the call evaluates
to. The hooks, in the order a detector most often needs them:

``tokens``
    Byte strings of which a file must contain one for the detector to find anything. The
    union over all detectors is the pre-filter: a file with none of them is not parsed.
``calls``
    :class:`CallRule`: a call of a resolved dotted name (``sqlalchemy.select``,
    ``requests.get``). Rules are tried by ``order`` (lowest first) and the first match
    wins; the choice is cached per dotted name, so ``matches`` may be slowish.
``receivers``
    A method called on a value kind (``Query``, ``Session``, ``Http``...): the handler gets
    the receiver and the method name.
``methods`` / ``names``
    A method of a receiver the pass knows nothing about (``cursor.execute``), by method
    name; a call of an unresolved bare name (``Q(...)`` without an import), by name.
``assignments`` / ``module_calls``
    Module-level ``NAME = value`` (``+=`` too) for the names in ``assigned_names``, and
    module-level expression statements that are calls (Django settings).
``observe_call``
    Sees every call of a resolved name (transactions note what a scope calls).
``with_item`` / ``decorators``
    Open a scope around a ``with`` body or a decorated function's body; they return the
    function that closes it.
``class_reader``
    Reads a class body statement by statement (model declarations).
``functions``
    Sees each function statement before its body is walked, in the enclosing scope
    (factories of ORM bases).

``assignments``, ``module_calls`` and ``observe_call`` only run in a file that contains
one of ``needs`` (all files when empty): they are called often and are rarely useful.

Adding a detector (a new ORM idiom, an RPC client, a message bus): write
``collect/detectors/<family>.py`` exporting ``DETECTOR = Detector(...)`` with the hooks it
needs (most need ``tokens`` and one of ``calls``/``receivers``), add it to ``DETECTORS`` in
``collect/detectors/__init__.py``, write its unit tests next to the others in
``tests/collect/`` and mark a line in a fixture. If it needs a new kind of value (an RPC
proxy object, say), add the kind to ``collect/scanner/values.py`` and return it from a
call rule; its methods then reach your ``receivers`` handler.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from seamfinder.collect.scanner.values import Value

if TYPE_CHECKING:
    from seamfinder.collect.scanner.evaluator import Scanner

# A call of a resolved name: (scanner, call, dotted callee) -> the call's value.
CallHandler = Callable[["Scanner", ast.Call, str], Value]
# A method call: (scanner, call, receiver, method name) -> the call's value.
MethodHandler = Callable[["Scanner", ast.Call, Value, str], Value]
AssignHook = Callable[["Scanner", str, ast.expr, bool], None]
ModuleCallHook = Callable[["Scanner", ast.Call], None]
ObserveHook = Callable[["Scanner", str], None]
Closer = Callable[[], None]
WithHook = Callable[["Scanner", ast.expr, Value], Closer | None]
# Called in the enclosing scope; the returned opener is called inside the function's scope.
DecoratorHook = Callable[["Scanner", list[ast.expr], list[Value]], Callable[[], Closer] | None]


class ClassReader(Protocol):
    """Reads one class body; created in the enclosing scope, before the body is walked."""

    def statement(self, stmt: ast.stmt) -> bool:
        """Read one body statement before it is walked; False: do not walk it."""

    def finish(self) -> None:
        """The body has been walked: write the facts."""


ClassHook = Callable[["Scanner", ast.ClassDef, str], ClassReader]
FunctionHook = Callable[["Scanner", ast.FunctionDef | ast.AsyncFunctionDef], None]


@dataclass(frozen=True, slots=True)
class CallRule:
    """Calls of resolved names that ``matches`` accepts go to ``handle``."""

    order: int
    matches: Callable[[str], bool]
    handle: CallHandler


@dataclass(frozen=True, slots=True)
class Detector:
    """One family of facts (see the module docstring for each hook)."""

    name: str
    tokens: tuple[bytes, ...]
    calls: tuple[CallRule, ...] = ()
    receivers: Mapping[type, MethodHandler] = field(default_factory=dict)
    methods: Mapping[str, MethodHandler] = field(default_factory=dict)
    names: Mapping[str, CallHandler] = field(default_factory=dict)
    needs: tuple[bytes, ...] = ()
    assigned_names: frozenset[str] = frozenset()
    assignments: AssignHook | None = None
    module_calls: ModuleCallHook | None = None
    observe_call: ObserveHook | None = None
    with_item: WithHook | None = None
    decorators: DecoratorHook | None = None
    class_reader: ClassHook | None = None
    functions: FunctionHook | None = None


def _unknown(scanner: Scanner, node: ast.Call, dotted: str) -> Value:
    raise AssertionError("a cache sentinel, never called")


UNKNOWN: CallHandler = _unknown


class Registry:
    """The detectors of a run, indexed for the evaluator."""

    def __init__(self, detectors: tuple[Detector, ...]) -> None:
        self.detectors = detectors
        self.tokens = tuple(dict.fromkeys(t for d in detectors for t in d.tokens))
        self.rules = sorted((r for d in detectors for r in d.calls), key=lambda r: r.order)
        self.receivers: dict[type, MethodHandler] = {}
        self.methods: dict[str, MethodHandler] = {}
        self.names: dict[str, CallHandler] = {}
        for detector in detectors:
            self.receivers.update(detector.receivers)
            self.methods.update(detector.methods)
            self.names.update(detector.names)
        self.with_items = tuple(d.with_item for d in detectors if d.with_item)
        self.decorators = tuple(d.decorators for d in detectors if d.decorators)
        self.class_readers = tuple(d.class_reader for d in detectors if d.class_reader)
        self.handlers: dict[str, CallHandler | None] = {}
        self.gated = tuple(d for d in detectors if d.needs)
        self._file_hooks: dict[tuple[bool, ...], FileHooks] = {}
        self.functions = tuple(d.functions for d in detectors if d.functions)

    def handler(self, dotted: str) -> CallHandler | None:
        """The handler of calls of ``dotted`` (None: nothing to record)."""

        found = self.handlers.get(dotted, UNKNOWN)
        if found is not UNKNOWN:
            return found
        return self.classify(dotted)

    def classify(self, dotted: str) -> CallHandler | None:
        """Try the rules in order (and remember the answer: names repeat in a project)."""

        found: CallHandler | None = None
        for rule in self.rules:
            if rule.matches(dotted):
                found = rule.handle
                break
        if len(self.handlers) < 100_000:  # bounded: one process may scan many projects
            self.handlers[dotted] = found
        return found

    def active(self, data: bytes) -> FileHooks:
        """The hooks that run on a file with these contents."""

        key = tuple([_contains_any(data, d.needs) for d in self.gated])
        hooks = self._file_hooks.get(key)
        if hooks is None:
            off = {d.name for d, on in zip(self.gated, key, strict=True) if not on}
            hooks = _file_hooks([d for d in self.detectors if d.name not in off])
            self._file_hooks[key] = hooks
        return hooks


def _contains_any(data: bytes, tokens: tuple[bytes, ...]) -> bool:
    # A loop, not any(<generator>): it runs for every file, and a generator costs more.
    for token in tokens:  # noqa: SIM110
        if token in data:
            return True
    return False


def _file_hooks(live: list[Detector]) -> FileHooks:
    assignments: dict[str, list[AssignHook]] = {}
    for detector in live:
        if detector.assignments is not None:
            for name in detector.assigned_names:
                assignments.setdefault(name, []).append(detector.assignments)
    return FileHooks(
        {name: tuple(hooks) for name, hooks in assignments.items()},
        tuple(d.module_calls for d in live if d.module_calls),
        tuple(d.observe_call for d in live if d.observe_call),
    )


@dataclass(frozen=True, slots=True)
class FileHooks:
    """The often-called hooks live in one file (see ``Detector.needs``)."""

    assignments: Mapping[str, tuple[AssignHook, ...]]
    module_calls: tuple[ModuleCallHook, ...]
    observers: tuple[ObserveHook, ...]
