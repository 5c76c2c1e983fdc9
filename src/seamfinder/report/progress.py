"""Progress on a terminal's stderr: the stage, and files parsed of total, after a second.

Nothing is shown for a run that ends within :data:`DELAY` (a warm run stays silent),
nothing ever goes to stdout, and nothing at all is shown unless stderr is a terminal:
CI logs, pipes and machine-readable output never see it. The display is transient: it
is erased before the command prints its result.
"""

from __future__ import annotations

import os
import threading
from typing import IO, TYPE_CHECKING

from seamfinder.core.progress import SILENT, Progress

if TYPE_CHECKING:
    import rich.progress

DELAY = 1.0  # seconds before anything is shown (SEAMFINDER_PROGRESS_DELAY overrides it)


def on_terminal(stream: IO[str]) -> Progress:
    """Progress shown on ``stream`` when it is a terminal; otherwise progress nobody sees."""

    try:
        interactive = stream.isatty()
    except (AttributeError, ValueError):  # closed or replaced by something without a tty
        interactive = False
    if not interactive or os.environ.get("TERM") == "dumb" or "CI" in os.environ:
        return SILENT
    try:
        delay = float(os.environ.get("SEAMFINDER_PROGRESS_DELAY", DELAY))
    except ValueError:
        delay = DELAY
    return TerminalProgress(stream, delay)


class TerminalProgress:
    """Rows of rich's progress display, started by a timer once the run has lasted."""

    def __init__(self, stream: IO[str], delay: float = DELAY) -> None:
        self._stream = stream
        self._lock = threading.Lock()
        # name -> (completed, total); insertion order is display order
        self._stages: dict[str, tuple[int, int | None]] = {}
        self._display: rich.progress.Progress | None = None
        self._tasks: dict[str, rich.progress.TaskID] = {}
        self._closed = False
        self._timer = threading.Timer(delay, self._start)
        self._timer.daemon = True
        self._timer.start()

    def stage(self, name: str, total: int | None = None) -> None:
        with self._lock:
            # A stage without a total ends when the next one starts; counted ones stay
            # until they are complete.
            for done in [n for n, (_, t) in self._stages.items() if t is None]:
                self._drop(done)
            if total == 0:
                return
            self._stages[name] = (0, total)
            self._show(name)

    def advance(self, name: str, steps: int = 1) -> None:
        with self._lock:
            if name not in self._stages:
                return
            completed, total = self._stages[name]
            self._stages[name] = (completed + steps, total)
            if total is not None and completed + steps >= total:
                self._drop(name)
            else:
                self._show(name)

    def close(self) -> None:
        self._timer.cancel()
        with self._lock:
            self._closed = True
            if self._display is not None:
                self._display.stop()
                self._display = None

    # --- the display (called with the lock held) ----------------------------------------

    def _start(self) -> None:
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            Progress,
            SpinnerColumn,
            TextColumn,
            TimeElapsedColumn,
        )

        with self._lock:
            if self._closed:
                return
            self._display = Progress(
                SpinnerColumn(),
                TextColumn("seamfinder: {task.description}"),
                BarColumn(),
                TextColumn("{task.fields[count]}"),
                TimeElapsedColumn(),
                console=Console(file=self._stream, stderr=True),
                transient=True,
            )
            self._display.start()
            for name in self._stages:
                self._show(name)

    def _show(self, name: str) -> None:
        if self._display is None:
            return
        completed, total = self._stages[name]
        count = f"{completed}/{total}" if total is not None else ""
        task = self._tasks.get(name)
        if task is None:
            self._tasks[name] = self._display.add_task(
                name, total=total, completed=completed, count=count
            )
        else:
            self._display.update(task, completed=completed, total=total, count=count)

    def _drop(self, name: str) -> None:
        self._stages.pop(name, None)
        task = self._tasks.pop(name, None)
        if task is not None and self._display is not None:
            self._display.remove_task(task)
