"""Remember whole reports: the same inputs never need the analysis again.

A pre-commit hook runs on a tree that mostly did not change since the last run. The
report is a pure function of the analysed files, the configuration, the selected rules,
seamfinder's own code and (with ``--history``) the git HEAD, so a report stored under a
key made of all of them can be returned as it is. Computing the key costs a walk of the
tree and a hash of every file (tens of milliseconds on a thousand files); a hit skips
parsing, grimp, resolution and rules, and this module imports none of them. A miss runs
the pipeline with the files already read.

Entries are JSON decoded against the dataclass annotations (never pickle: the cache is
inside the analysed repository). Each file opens with a line that holds the checksum and
length of the rest, checked before anything is decoded or printed: a truncated or damaged
entry is a miss (and is written again by the run that misses it), never output. Only
the most recent :data:`KEEP` reports are kept.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
import subprocess
import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from seamfinder.core.model import Report
from seamfinder.core.serial import decode, encode
from seamfinder.core.version import __version__
from seamfinder.pipeline.inputs import Inputs, read_inputs

if TYPE_CHECKING:
    from seamfinder.config.options import RunOptions

KEEP = 8
_FORMAT = "2"
_SEAL = "seamfinder-result"


class CachedRun:
    """One run's inputs, read once, and what the cache holds for them.

    :meth:`report` returns the stored report or runs the pipeline (with the files already
    read) and stores it; :meth:`output` and :meth:`store_output` keep rendered text, so
    that a repeated ``analyze`` prints without even decoding the report.
    """

    def __init__(self, options: RunOptions) -> None:
        self.started = time.perf_counter()
        self.options = options
        self.inputs = read_inputs(options)
        self.folder = _folder(options.cache_dir)
        self.key = _key(options, self.inputs) if self.folder is not None else None

    def _path(self, suffix: str) -> Path | None:
        if self.folder is None or self.key is None:
            return None
        return self.folder / f"{self.key}{suffix}"

    def report(self) -> Report:
        path = self._path(".json")
        if path is not None:
            report = _load(path)
            if report is not None:
                stats = replace(
                    report.stats,
                    seconds=round(time.perf_counter() - self.started, 3),
                    files_parsed=0,
                    cache_hits=report.stats.files_seen,
                )
                return replace(report, stats=stats)
        from seamfinder.pipeline.run import run  # the whole analysis: only on a miss

        report = run(self.options, self.inputs)
        if path is not None and self.folder is not None:
            _store(self.folder, path, _report_text(report))
        return report

    def output(self, name: str) -> Output | None:
        """What a command printed for these inputs, stored under ``name``."""

        path = self._path(f".{_digest(name)}.out")
        if path is None:
            return None
        body = _opened(path)
        if body is None:
            return None
        try:
            head, _, text = body.partition("\n")
            meta = json.loads(head)
            return Output(text, int(meta["code"]), tuple(str(line) for line in meta["stderr"]))
        except (ValueError, KeyError, TypeError):
            return None

    def store_output(self, name: str, output: Output) -> None:
        path = self._path(f".{_digest(name)}.out")
        if path is not None and self.folder is not None:
            head = json.dumps({"code": output.code, "stderr": list(output.stderr)})
            _store(self.folder, path, f"{head}\n{output.text}")


@dataclass(frozen=True, slots=True)
class Output:
    """A command's whole output for one report: stdout, exit code, and lines for stderr."""

    text: str
    code: int
    stderr: tuple[str, ...] = ()


def cached_run(options: RunOptions) -> Report:
    """The report for ``options``, from the cache when nothing it depends on changed."""

    return CachedRun(options).report()


def _digest(text: str) -> str:
    return hashlib.blake2b(text.encode(), digest_size=8).hexdigest()


def _report_text(report: Report) -> str | None:
    try:
        return json.dumps(encode(report), separators=(",", ":"))
    except TypeError:
        return None  # a report with a value the codec does not know is simply not cached


def _folder(cache_dir: Path | None) -> Path | None:
    if cache_dir is None:
        return None
    folder = cache_dir / "results"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return folder


def _key(options: RunOptions, inputs: Inputs) -> str | None:
    digest = hashlib.blake2b(digest_size=20)
    for part in (
        _FORMAT,
        __version__,
        _code_fingerprint(),
        repr(options.config),
        repr((options.select, options.ignore, options.display, options.seams)),
        str(inputs.project.root),
        # Services come from folder markers and compose files, not only from Python files.
        repr(tuple(unit.spec for unit in inputs.project.units)),
    ):
        digest.update(part.encode())
        digest.update(b"\0")
    for source in inputs.project.files:
        content = inputs.data.get(source.path)
        digest.update(f"{source.path}\0{source.module}\0{source.is_package}\0".encode())
        # An unreadable file is not an empty one: it must not find the report of the
        # empty file it once was.
        digest.update(
            b"-" if content is None else hashlib.blake2b(content, digest_size=16).digest()
        )
    if options.config.history.enabled:
        head = _git_head(inputs.project.root)
        if head is None:
            return None  # history without a readable HEAD: never reuse
        digest.update(head.encode())
    return digest.hexdigest()


@functools.cache
def _code_fingerprint() -> str:
    """seamfinder's own source: a development checkout never reuses an older report."""

    package = Path(__file__).resolve().parent.parent  # seamfinder/, not pipeline/ alone
    digest = hashlib.blake2b(digest_size=16)
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode())
        with contextlib.suppress(OSError):
            digest.update(path.read_bytes())
    return digest.hexdigest()


def _git_head(root: Path) -> str | None:
    try:
        done = subprocess.run(
            ["git", "-C", str(root), "-c", "core.fsmonitor=false", "rev-parse", "HEAD"],
            capture_output=True,
            check=False,
            timeout=10,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.decode().strip() if done.returncode == 0 else None


def _load(path: Path) -> Report | None:
    body = _opened(path)
    if body is None:
        return None
    try:
        return decode(Report, json.loads(body))
    except (ValueError, TypeError, KeyError, AssertionError, RecursionError):
        return None


def _sealed(body: str) -> str:
    """``body`` behind a first line that vouches for it: its checksum and its length."""

    data = body.encode("utf-8")
    return f"{_SEAL} {hashlib.blake2b(data, digest_size=16).hexdigest()} {len(data)}\n{body}"


def _opened(path: Path) -> str | None:
    """The body of a sealed file, or None when it is missing, damaged or cut short."""

    try:
        raw = path.read_bytes()
    except OSError:
        return None
    head, newline, data = raw.partition(b"\n")
    parts = head.split(b" ")
    if not newline or len(parts) != 3 or parts[0] != _SEAL.encode():
        return None
    if parts[2] != str(len(data)).encode():
        return None
    if parts[1] != hashlib.blake2b(data, digest_size=16).hexdigest().encode():
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


def _store(folder: Path, path: Path, text: str | None) -> None:
    """Write atomically, then keep only the entries of the most recent runs."""

    if text is None:
        return
    temp = folder / f".tmp-{os.getpid()}-{path.name}"
    try:
        temp.write_text(_sealed(text), encoding="utf-8")
        os.replace(temp, path)
        entries = sorted(folder.glob("*.json"), key=lambda p: p.stat().st_mtime, reverse=True)
        for old in entries[KEEP:]:
            key = old.name.split(".", 1)[0]
            for stale in folder.glob(f"{key}.*"):
                stale.unlink(missing_ok=True)
    except OSError:
        with contextlib.suppress(OSError):
            temp.unlink()
