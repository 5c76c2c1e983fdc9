"""What a long run is doing, told to whoever watches (a terminal), or to no one.

The command line chooses who watches (:func:`showing`); the stages find it with
:func:`current`, so that no signature between them has to carry it.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextvars import ContextVar
from typing import Protocol


class Progress(Protocol):
    """Stages announce themselves; a stage with a total then counts its steps.

    A stage without a total lasts until the next one starts; a counted stage lasts until
    its count is reached, so that files still being parsed in workers stay visible while
    the main process does something else. Implementations accept calls from any thread
    (worker results arrive on the process pool's own thread) and never write to stdout.
    """

    def stage(self, name: str, total: int | None = None) -> None: ...

    def advance(self, name: str, steps: int = 1) -> None: ...

    def close(self) -> None: ...


class _Silent:
    """Progress that nobody sees: pipes, machine output, tests."""

    __slots__ = ()

    def stage(self, name: str, total: int | None = None) -> None:
        return None

    def advance(self, name: str, steps: int = 1) -> None:
        return None

    def close(self) -> None:
        return None


SILENT: Progress = _Silent()
_CURRENT: ContextVar[Progress] = ContextVar("seamfinder_progress", default=SILENT)


def current() -> Progress:
    """Who watches this run (by default, no one)."""

    return _CURRENT.get()


@contextlib.contextmanager
def showing(progress: Progress) -> Iterator[Progress]:
    """Report the stages run inside this block to ``progress``, closed when it ends."""

    token = _CURRENT.set(progress)
    try:
        yield progress
    finally:
        progress.close()
        _CURRENT.reset(token)
