"""Run the per-file data-access pass over a project: cache first, then a process pool.

Each file's facts are cached by content (plus path, module name and the version of the
pass), so a warm run parses nothing and an edit re-parses only the edited file. Files
still to parse go to worker processes when there are enough of them to pay for the
workers; the caller can meanwhile build the import graph in the main process.

A result is serialised once: a worker encodes it as the JSON bytes of its cache entry,
the main process decodes those bytes (so a result read from the cache and a result just
computed are the same value by construction) and stores every new entry in one write.
"""

from __future__ import annotations

import functools
import gc
import hashlib
import json
import multiprocessing
import os
import re
import sys
import threading
from collections.abc import Mapping, Sequence
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from seamfinder.collect import detectors as detectors_package
from seamfinder.collect import facts as facts_module
from seamfinder.collect import lower as lower_module
from seamfinder.collect import scan as scan_module
from seamfinder.collect import scanner as scanner_package
from seamfinder.collect import service_calls as service_calls_module
from seamfinder.collect import source as source_module
from seamfinder.collect import sql as sql_module
from seamfinder.collect.cache import FileCache
from seamfinder.collect.facts import FACTS_VERSION, FileFacts, facts_from_json, facts_to_json
from seamfinder.collect.scan import scan_file
from seamfinder.core.model import ParseFailure, SourceFile
from seamfinder.core.progress import Progress, current
from seamfinder.core.version import __version__

# Below this many files to parse, starting workers costs more than it saves.
POOL_THRESHOLD = 48
_CHUNK = 16
PARSING = "parsing files"

Result = FileFacts | ParseFailure


@dataclass(frozen=True, slots=True)
class FactsResult:
    facts: Mapping[str, FileFacts]  # by path
    failures: Mapping[str, ParseFailure]  # by path
    parsed: int  # files parsed in this run (the rest came from the cache)
    cache_hits: int


@dataclass(frozen=True, slots=True)
class _Job:
    path: str
    module: str
    is_package: bool
    data: bytes
    prefilter: bool
    key: str


# What a worker sends back for one file: the bytes of its cache entry, or the result
# itself when it cannot be encoded (then it is not cached).
_Sent = bytes | FileFacts | ParseFailure


class PendingFacts:
    """Facts being computed; :meth:`result` waits for the workers, if any."""

    def __init__(
        self,
        jobs: list[_Job],
        done: dict[str, Result],
        futures: list[tuple[list[_Job], Future[list[_Sent]]]],
        executor: Executor | None,
        cache: FileCache,
        progress: Progress,
    ) -> None:
        self._jobs = jobs  # every file with content, in the caller's order
        self._done = done
        self._hits = len(done)
        self._futures = futures
        self._executor = executor
        self._cache = cache
        self._progress = progress

    def result(self) -> FactsResult:
        entries: dict[str, bytes] = {}
        parsed = 0
        try:
            if self._executor is None:  # in this process
                for job in self._jobs:
                    if job.path not in self._done:
                        self._done[job.path] = _received(job, _scan_one(job), entries)
                        self._progress.advance(PARSING)
                        parsed += 1
            for chunk, future in self._futures:
                for job, sent in zip(chunk, future.result(), strict=True):
                    self._done[job.path] = _received(job, sent, entries)
                    parsed += 1
        finally:
            if self._executor is not None:
                self._executor.shutdown(wait=True)
        self._cache.put_many(entries)
        self._cache.prune({job.key for job in self._jobs})
        self._cache.close()
        facts: dict[str, FileFacts] = {}
        failures: dict[str, ParseFailure] = {}
        for job in self._jobs:
            result = self._done[job.path]
            if isinstance(result, FileFacts):
                facts[job.path] = result
            else:
                failures[job.path] = result
        return FactsResult(facts, failures, parsed, self._hits)


def start_facts(
    files: Sequence[SourceFile],
    data: Mapping[str, bytes],
    packaged: frozenset[str],
    cache: FileCache,
    jobs: int | None = None,
    progress: Progress | None = None,
) -> PendingFacts:
    """Look every file up in the cache and start parsing the others.

    ``packaged`` holds the paths grimp also reads: there the pre-filter may skip a file,
    since grimp would report it if it did not parse. Loose modules are always parsed.
    """

    candidates: list[_Job] = []
    fingerprint = pass_fingerprint()
    for source in files:
        content = data.get(source.path)
        if content is None:
            continue
        prefilter = source.path in packaged and not host_may_refuse(content)
        key = cache.key(
            fingerprint,
            source.path,
            source.module,
            "package" if source.is_package else "module",
            "prefilter" if prefilter else "full",
            content,
        )
        candidates.append(
            _Job(source.path, source.module, source.is_package, content, prefilter, key)
        )
    stored = cache.get_many(job.key for job in candidates)
    done: dict[str, Result] = {}
    todo: list[_Job] = []
    for job in candidates:
        entry = stored.get(job.key)
        cached = _decode(entry) if entry is not None else None
        if cached is not None:
            done[job.path] = cached
        else:
            todo.append(job)
    progress = progress if progress is not None else current()
    progress.stage(PARSING, len(todo))
    workers = min(jobs if jobs is not None else available_cpus(), -(-len(todo) // _CHUNK))
    if workers < 2 or len(todo) < POOL_THRESHOLD:
        return PendingFacts(candidates, done, [], None, cache, progress)
    executor = ProcessPoolExecutor(
        max_workers=workers, mp_context=_context(), initializer=_quiet_gc
    )
    futures: list[tuple[list[_Job], Future[list[_Sent]]]] = []
    for chunk in (todo[i : i + _CHUNK] for i in range(0, len(todo), _CHUNK)):
        future = executor.submit(_scan_batch, chunk)
        # Counted as the workers finish, while the main process builds the import graph.
        future.add_done_callback(functools.partial(_advance, progress, len(chunk)))
        futures.append((chunk, future))
    return PendingFacts(candidates, done, futures, executor, cache, progress)


def available_cpus() -> int:
    """The CPUs this process may run on (its affinity mask and cgroup limits, where known)."""

    try:
        return len(os.sched_getaffinity(0)) or 1
    except (AttributeError, OSError):  # not on Linux
        return os.cpu_count() or 1


_progress_lock = threading.Lock()


def _advance(progress: Progress, steps: int, _future: Future[list[_Sent]]) -> None:
    with _progress_lock:
        progress.advance(PARSING, steps)


# What grimp's parser accepts and Python refuses: more than 100 levels of indentation, and
# tabs mixed with spaces. Such a file is parsed whatever its tokens, so that it is SF001.
_DEEP_INDENT = re.compile(rb"\n[ \t]{100}")


def host_may_refuse(content: bytes) -> bool:
    """Whether Python may reject a file grimp reads (a cheap test, true more often)."""

    mixed = b"\n\t" in content and b"\n " in content
    return mixed or _DEEP_INDENT.search(content) is not None


@functools.cache
def pass_fingerprint() -> str:
    """The version of the pass itself: its release, its facts format and its source code.

    The source is included so that a development checkout never reads facts that an
    older scanner wrote (a release alone would not change).
    """

    digest = hashlib.blake2b(f"{__version__}\0{FACTS_VERSION}".encode(), digest_size=16)
    modules = (
        scan_module,
        service_calls_module,
        facts_module,
        source_module,
        sql_module,
        lower_module,
    )
    files = [Path(module.__file__ or module.__name__) for module in modules]
    for package in (scanner_package, detectors_package):
        files.extend(sorted(Path(package.__file__ or "").parent.glob("*.py")))
    for path in files:
        try:
            digest.update(path.read_bytes())
        except OSError:
            digest.update(str(path).encode())
    return digest.hexdigest()


def _context() -> multiprocessing.context.BaseContext:
    # fork starts a worker in milliseconds and shares the imported modules; it is only
    # safe where it is the platform's own default practice (Linux). Elsewhere, spawn.
    method = "fork" if sys.platform.startswith("linux") else "spawn"
    return multiprocessing.get_context(method)


def _quiet_gc() -> None:
    # ast trees are large and acyclic: the cyclic collector only costs time here
    # (about a fifth of the pass on netbox).
    gc.disable()


def _scan_batch(jobs: Sequence[_Job]) -> list[_Sent]:
    """Scan and encode a batch in a worker, so that encoding runs in parallel too."""

    enabled = gc.isenabled()
    gc.disable()
    try:
        return [_scan_one(job) for job in jobs]
    finally:
        if enabled:
            gc.enable()


def _scan_one(job: _Job) -> _Sent:
    result = scan_file(job.path, job.module, job.is_package, job.data, prefilter=job.prefilter)
    return _encode(result) or result


def _received(job: _Job, sent: _Sent, entries: dict[str, bytes]) -> Result:
    """What was sent for ``job`` as a value; its entry is kept for the cache."""

    if not isinstance(sent, bytes):
        return sent
    result = _decode(sent)
    if result is None:  # the codec failed its own round trip: never cache that
        return scan_file(job.path, job.module, job.is_package, job.data, prefilter=job.prefilter)
    entries[job.key] = sent
    return result


def _encode(result: Result) -> bytes | None:
    """The cache entry of ``result``: compact JSON, by the C encoder (``dumps``, not ``dump``)."""

    if isinstance(result, ParseFailure):
        body: dict[str, object] = {
            "failure": {
                "path": result.path,
                "reason": result.reason,
                "line": result.line,
                "column": result.column,
            }
        }
    else:
        body = {"facts": facts_to_json(result)}
    try:
        return json.dumps(body, separators=(",", ":")).encode()
    except (TypeError, ValueError):
        return None


def _decode(entry: bytes) -> Result | None:
    """A cache entry back into a value; anything unexpected is a miss."""

    try:
        body = json.loads(entry)
        if not isinstance(body, dict):
            return None
        if "facts" in body:
            return facts_from_json(body["facts"])
        failure = body["failure"]
        return ParseFailure(
            str(failure["path"]),
            str(failure["reason"]),
            int(failure["line"]),
            int(failure["column"]),
        )
    except (KeyError, TypeError, ValueError, RecursionError, AssertionError):
        return None
