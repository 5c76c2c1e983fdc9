"""Run the per-file data-access pass over a project: cache first, then a process pool.

Each file's facts are cached by content (plus path, module name and the version of the
pass), so a warm run parses nothing and an edit re-parses only the edited file. Files
still to parse go to worker processes when there are enough of them to pay for the
workers; the caller can meanwhile build the import graph in the main process.
"""

from __future__ import annotations

import functools
import gc
import hashlib
import multiprocessing
import os
import re
import sys
from collections.abc import Iterator, Mapping, Sequence
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
from seamfinder.core.version import __version__

# Below this many files to parse, starting workers costs more than it saves.
POOL_THRESHOLD = 48
_CHUNK = 16

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


class PendingFacts:
    """Facts being computed; :meth:`result` waits for the workers, if any."""

    def __init__(
        self,
        done: dict[str, Result],
        futures: list[tuple[list[_Job], Future[list[Result]]]],
        inline: list[_Job],
        executor: Executor | None,
        cache: FileCache,
        hits: int,
        keys: set[str],
    ) -> None:
        self._keys = keys
        self._done = done
        self._futures = futures
        self._inline = inline
        self._executor = executor
        self._cache = cache
        self._hits = hits

    def result(self) -> FactsResult:
        parsed = 0
        try:
            batches: Iterator[tuple[list[_Job], list[Result]]] = (
                (jobs, future.result()) for jobs, future in self._futures
            )
            inline = (
                [(self._inline, _scan_batch(self._inline, self._cache))] if self._inline else []
            )
            for jobs, results in [*inline, *batches]:
                for job, result in zip(jobs, results, strict=True):
                    parsed += 1
                    self._done[job.path] = result
        finally:
            if self._executor is not None:
                self._executor.shutdown(wait=True)
        self._cache.prune(self._keys)
        facts = {p: r for p, r in self._done.items() if isinstance(r, FileFacts)}
        failures = {p: r for p, r in self._done.items() if isinstance(r, ParseFailure)}
        return FactsResult(facts, failures, parsed, self._hits)


def start_facts(
    files: Sequence[SourceFile],
    data: Mapping[str, bytes],
    packaged: frozenset[str],
    cache: FileCache,
    jobs: int | None = None,
) -> PendingFacts:
    """Look every file up in the cache and start parsing the others.

    ``packaged`` holds the paths grimp also reads: there the pre-filter may skip a file,
    since grimp would report it if it did not parse. Loose modules are always parsed.
    """

    done: dict[str, Result] = {}
    todo: list[_Job] = []
    keys: set[str] = set()
    hits = 0
    for source in files:
        content = data.get(source.path)
        if content is None:
            continue
        prefilter = source.path in packaged and not host_may_refuse(content)
        key = cache.key(
            pass_fingerprint(),
            source.path,
            source.module,
            "package" if source.is_package else "module",
            "prefilter" if prefilter else "full",
            content,
        )
        keys.add(key)
        cached = _decode(cache.get(key))
        if cached is not None:
            done[source.path] = cached
            hits += 1
        else:
            todo.append(
                _Job(source.path, source.module, source.is_package, content, prefilter, key)
            )
    workers = jobs if jobs is not None else (os.cpu_count() or 1)
    if workers < 2 or len(todo) < POOL_THRESHOLD:
        return PendingFacts(done, [], todo, None, cache, hits, keys)
    executor = ProcessPoolExecutor(
        max_workers=workers, mp_context=_context(), initializer=_quiet_gc
    )
    futures = [
        (chunk, executor.submit(_scan_batch, chunk, cache))
        for chunk in (todo[i : i + _CHUNK] for i in range(0, len(todo), _CHUNK))
    ]
    return PendingFacts(done, futures, [], executor, cache, hits, keys)


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


def _scan_batch(jobs: Sequence[_Job], cache: FileCache) -> list[Result]:
    """Scan and cache a batch; in a worker, so that encoding and writing run in parallel too."""

    enabled = gc.isenabled()
    gc.disable()
    try:
        results: list[Result] = []
        for job in jobs:
            result = scan_file(
                job.path, job.module, job.is_package, job.data, prefilter=job.prefilter
            )
            cache.put(job.key, _encode(result))
            results.append(result)
        return results
    finally:
        if enabled:
            gc.enable()


def _encode(result: Result) -> object:
    if isinstance(result, ParseFailure):
        return {
            "failure": {
                "path": result.path,
                "reason": result.reason,
                "line": result.line,
                "column": result.column,
            }
        }
    return {"facts": facts_to_json(result)}


def _decode(entry: object) -> Result | None:
    """A cache entry back into a value; anything unexpected is a miss."""

    if not isinstance(entry, dict):
        return None
    try:
        if "facts" in entry:
            return facts_from_json(entry["facts"])
        failure = entry["failure"]
        return ParseFailure(
            str(failure["path"]),
            str(failure["reason"]),
            int(failure["line"]),
            int(failure["column"]),
        )
    except (KeyError, TypeError, ValueError):
        return None
