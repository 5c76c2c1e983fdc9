"""Scopes of the data-access pass: a module, class or function body and its bindings."""

from __future__ import annotations

from seamfinder.collect.facts import Target, TransactionKind
from seamfinder.collect.scanner.values import Value


class OpenTx:
    """A transaction scope being walked (``with atomic():``, an ``@atomic`` function)."""

    __slots__ = ("access_start", "callee", "calls", "column", "kind", "line", "raw_start", "slot")

    def __init__(
        self,
        kind: TransactionKind,
        callee: str,
        line: int,
        column: int,
        access_start: int,
        raw_start: int,
        slot: int,
    ) -> None:
        self.kind: TransactionKind = kind
        self.callee = callee
        self.line = line
        self.column = column
        self.access_start = access_start  # index of the first access inside the scope
        self.raw_start = raw_start
        self.calls: set[str] = set()
        self.slot = slot  # where its fact goes: scopes are listed in order of opening


class Frame:
    """A module, class or function body: its bindings and transaction bookkeeping."""

    __slots__ = (
        "bindings",
        "class_frame",
        "class_target",
        "commit_access",
        "commit_calls",
        "commit_raw",
        "is_function",
        "lookup_parent",
        "open_tx",
        "qualname",
        "self_attrs",
    )

    def __init__(
        self,
        qualname: str,
        is_function: bool,
        lookup_parent: Frame | None,
        class_target: Target | None = None,
        class_frame: Frame | None = None,
    ) -> None:
        self.qualname = qualname
        self.is_function = is_function
        self.lookup_parent = lookup_parent
        self.bindings: dict[str, Value] = {}
        self.class_target = class_target
        # The class whose ``self`` this body sees: itself for a class body, the class of the
        # method for a method and for functions nested in it.
        self.class_frame = class_frame
        self.self_attrs: dict[str, Value] = {}  # class frames: ``self.client = httpx.Client()``
        self.open_tx: list[OpenTx] = []
        self.commit_access = 0  # index of the first access since the last commit
        self.commit_raw = 0
        self.commit_calls: list[str] = []
