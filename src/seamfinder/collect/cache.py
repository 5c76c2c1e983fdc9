"""A content-addressed cache of per-file results, safe to share between runs.

Entries are JSON, never pickle: the cache lives inside the analysed repository, and
reading it must not be able to run anything. A key covers the file's bytes, its path
and module name (relative imports resolve through them) and the version of the code
that produced the entry, so a stale entry is never found rather than detected.
Writes go to a temporary file renamed into place (atomic on POSIX and Windows), so
concurrent runs can only ever see whole entries; an unreadable or corrupt entry is a
miss and gets rewritten.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any


class FileCache:
    def __init__(self, directory: Path | None, namespace: str, version: str) -> None:
        self._dir = directory / namespace if directory is not None else None
        self._salt = f"{namespace}\0{version}\0".encode()
        self._version = version
        self._made: set[str] = set()

    @property
    def enabled(self) -> bool:
        return self._dir is not None

    def key(self, *parts: str | bytes) -> str:
        digest = hashlib.blake2b(self._salt, digest_size=20)
        for part in parts:
            chunk = part.encode() if isinstance(part, str) else part
            # Length-prefixed, so that ("ab", "c") and ("a", "bc") differ.
            digest.update(len(chunk).to_bytes(8, "little"))
            digest.update(chunk)
        return digest.hexdigest()

    def _path(self, key: str) -> Path:
        assert self._dir is not None
        return self._dir / key[:2] / f"{key}.json"

    def get(self, key: str) -> Any | None:
        if self._dir is None:
            return None
        try:
            with self._path(key).open("rb") as handle:
                entry = json.load(handle)
        except (OSError, ValueError):
            return None
        if not isinstance(entry, dict) or entry.get("version") != self._version:
            return None
        return entry.get("value")

    def put(self, key: str, value: Any) -> None:
        if self._dir is None:
            return
        target = self._path(key)
        folder = str(target.parent)
        try:
            if folder not in self._made:
                os.makedirs(folder, exist_ok=True)
                self._made.add(folder)
            handle, temp = tempfile.mkstemp(dir=folder, prefix=".tmp-", suffix=".json")
            try:
                with os.fdopen(handle, "w", encoding="utf-8") as out:
                    json.dump(
                        {"version": self._version, "value": value}, out, separators=(",", ":")
                    )
                os.replace(temp, target)
            except BaseException:
                with contextlib.suppress(OSError):
                    os.unlink(temp)
                raise
        except OSError:
            # A cache that cannot be written is no cache; the run itself goes on.
            return

    def prune(self, keep: set[str]) -> int:
        """Remove the entries not in ``keep`` once they outnumber it; return how many.

        Every edit of a file leaves its old entry behind. When stale entries outnumber the
        live ones (plus some slack, so that switching between two branches stays warm),
        only the entries this run used are kept. Another run reading an entry removed
        under it just parses that file again.
        """

        if self._dir is None or not self._dir.is_dir():
            return 0
        entries = list(self._dir.glob("*/*.json"))
        if len(entries) <= 2 * len(keep) + 64:
            return 0
        removed = 0
        for path in entries:
            if path.stem not in keep:
                with contextlib.suppress(OSError):
                    path.unlink()
                    removed += 1
        return removed
