"""Run seamfinder on a hostile tree as a CI would: a subprocess with a timeout and a memory cap.

Every run is checked for what must hold whatever the input: no traceback, an exit code of
0, 1 or 2, a one-line message on exit 2, and nothing written outside the cache folder.
"""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

SEAMFINDER = str(Path(sys.executable).with_name("seamfinder"))
CACHE = ".seamfinder_cache"
# Address space, not RSS: grimp's threads and a process pool must fit, a runaway must not.
MEMORY_LIMIT = 4 * 1024**3
TIMEOUT = 60.0


@dataclass(frozen=True, slots=True)
class Outcome:
    code: int  # negative: killed by that signal
    stdout: str
    stderr: str
    seconds: float
    peak_rss_mb: float  # of the process and the workers it waited for
    problems: tuple[str, ...] = ()  # broken invariants (see :func:`run`)

    @property
    def message(self) -> str:
        return self.stderr.strip()


def snapshot(root: Path) -> dict[str, tuple[int, int, int]]:
    """Every entry under ``root`` (symlinks not followed): type, size and mtime."""

    seen: dict[str, tuple[int, int, int]] = {}
    stack = [str(root)]
    while stack:
        folder = stack.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            try:
                info = entry.stat(follow_symlinks=False)
            except OSError:
                continue
            relative = os.path.relpath(entry.path, root)
            seen[relative] = (stat.S_IFMT(info.st_mode), info.st_size, info.st_mtime_ns)
            if entry.is_dir(follow_symlinks=False):
                stack.append(entry.path)
    return seen


# The child runs under a small wrapper that sets the limits (``preexec_fn`` is unsafe while
# the test runs cases from several threads), forks the command and reports its exit status
# and peak RSS: measured there, not from this process, whose size a fork child would count
# as its own (the maximum RSS survives exec on Linux).
_WRAPPER = f"""
import os, resource, sys
resource.setrlimit(resource.RLIMIT_AS, ({MEMORY_LIMIT}, {MEMORY_LIMIT}))
resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
pid = os.fork()
if pid == 0:
    if os.environ.get("HOSTILE_UNPRIVILEGED") and os.geteuid() == 0:
        # root reads a folder of mode 000 all the same: without CAP_DAC_OVERRIDE and
        # CAP_DAC_READ_SEARCH in the bounding set (PR_CAPBSET_DROP), the command cannot.
        import ctypes
        for capability in (1, 2):
            ctypes.CDLL(None).prctl(24, capability, 0, 0, 0)
    os.execv(sys.argv[2], sys.argv[2:])
_, status, usage = os.wait4(pid, 0)
with open(sys.argv[1], "w") as out:
    out.write(f"{{os.waitstatus_to_exitcode(status)}} {{usage.ru_maxrss}}")
"""


def run(
    root: Path,
    *args: str,
    command: Sequence[str] | None = None,
    cwd: Path | None = None,
    env: Mapping[str, str] | None = None,
    timeout: float = TIMEOUT,
    check_writes: bool = True,
) -> Outcome:
    """``seamfinder ARGS`` with ``root`` as the working folder, and what it broke."""

    before = snapshot(root) if check_writes else {}
    environment = {**os.environ, "NO_COLOR": "1", "COLUMNS": "120", **(env or {})}
    environment.pop("SEAMFINDER_DEBUG", None)
    with (
        tempfile.TemporaryFile() as out,
        tempfile.TemporaryFile() as err,
        tempfile.TemporaryDirectory() as scratch,
    ):
        report = os.path.join(scratch, "status")
        started = time.perf_counter()
        process = subprocess.Popen(
            [sys.executable, "-c", _WRAPPER, report, *(command or [SEAMFINDER]), *args],
            cwd=cwd or root,
            env=environment,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=err,
            start_new_session=True,
        )
        timer = threading.Timer(timeout, os.killpg, (process.pid, signal.SIGKILL))
        timer.start()
        try:
            process.wait()
        finally:
            timer.cancel()
        seconds = time.perf_counter() - started
        try:
            code_text, rss_text = Path(report).read_text().split()
            code, peak_kb = int(code_text), int(rss_text)
        except (OSError, ValueError):  # the wrapper itself was killed (a timeout)
            code, peak_kb = process.returncode, 0
        out.seek(0)
        err.seek(0)
        outcome = Outcome(
            code,
            out.read().decode("utf-8", "replace"),
            err.read().decode("utf-8", "replace"),
            seconds,
            peak_kb / 1024,
        )
    problems = _problems(outcome, timeout)
    if check_writes:
        after = snapshot(root)
        changed = sorted(
            path
            for path in before.keys() | after.keys()
            if before.get(path) != after.get(path) and path.split(os.sep, 1)[0] != CACHE
        )
        if changed:
            problems.append(f"written outside {CACHE}: {changed[:5]}")
    return replace(outcome, problems=tuple(problems))


def _problems(outcome: Outcome, timeout: float) -> list[str]:
    problems = []
    if outcome.seconds >= timeout:
        problems.append(f"timed out after {timeout:.0f} s")
    if outcome.code not in (0, 1, 2):
        problems.append(f"exit {outcome.code}: {outcome.stderr[-2000:]}")
    if "Traceback" in outcome.stderr or "internal error" in outcome.stderr:
        problems.append(f"crashed: {outcome.stderr[-3000:]}")
    if outcome.code == 2:
        lines = outcome.stderr.strip().splitlines()
        if len(lines) != 1 or not lines[0].startswith("seamfinder: error: "):
            problems.append(f"exit 2 without a one-line message: {outcome.stderr[-2000:]}")
    return problems


def write_tree(root: Path, files: Mapping[str, str | bytes]) -> Path:
    for relative, content in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return root
