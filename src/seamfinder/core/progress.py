"""What a long run is doing, told to whoever watches (a terminal), or to no one."""

from __future__ import annotations

from typing import Protocol


class Progress(Protocol):
    """Stages announce themselves; a stage with a total then counts its steps.

    Implementations must accept calls from any thread (worker results arrive on the
    process pool's own thread) and must never write to stdout.
    """

    def stage(self, name: str, total: int | None = None) -> None: ...

    def advance(self, steps: int = 1) -> None: ...

    def close(self) -> None: ...


class _Silent:
    """Progress that nobody sees: pipes, machine output, tests."""

    __slots__ = ()

    def stage(self, name: str, total: int | None = None) -> None:
        return None

    def advance(self, steps: int = 1) -> None:
        return None

    def close(self) -> None:
        return None


SILENT: Progress = _Silent()
