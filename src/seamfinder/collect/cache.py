"""A content-addressed cache of per-file results, safe to share between runs.

Entries live in one SQLite file per namespace. Writing a thousand small files costs
seconds of file-system metadata (create, rename, a folder per prefix) on common disks,
far more than the parse they save; one transaction per run costs milliseconds, and a warm
run reads every entry it needs with a handful of queries.

A value is bytes (the caller's JSON, never pickle: the cache lives inside the analysed
repository, and reading it must not be able to run anything). A key covers the file's
bytes, its path and module name and the version of the code that produced the entry, so
a stale entry is never found rather than detected. Every entry carries a checksum of its
key and value: an entry whose bytes were damaged is a miss and is rewritten by the same
run. A file SQLite cannot read (a garbage byte in its header, a truncated page) is set
aside and started again. A cache that cannot be written (a read-only folder, a full
disk, a lock held too long by another run) is still read; the run itself always goes on.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import sqlite3
from collections.abc import Iterable, Mapping
from pathlib import Path

# Bumped when the table changes shape; a file of another format is started again.
_FORMAT = 1
_BATCH = 500  # keys per query: under every SQLite's limit on bound parameters
_LOCK_TIMEOUT = 10.0  # seconds to wait for another run's write


def checksum(key: str, value: bytes) -> bytes:
    """What an entry must carry to be believed: a digest of its key and its value."""

    digest = hashlib.blake2b(key.encode(), digest_size=16)
    digest.update(value)
    return digest.digest()


class FileCache:
    """One namespace of entries (``facts``): get many, put many, prune what is stale."""

    def __init__(self, directory: Path | None, namespace: str, version: str) -> None:
        self._path = directory / f"{namespace}.sqlite" if directory is not None else None
        self._salt = f"{namespace}\0{version}\0".encode()
        self._db: sqlite3.Connection | None = None
        self._damaged = False

    @property
    def enabled(self) -> bool:
        return self._path is not None

    def key(self, *parts: str | bytes) -> str:
        digest = hashlib.blake2b(self._salt, digest_size=20)
        for part in parts:
            chunk = part.encode() if isinstance(part, str) else part
            # Length-prefixed, so that ("ab", "c") and ("a", "bc") differ.
            digest.update(len(chunk).to_bytes(8, "little"))
            digest.update(chunk)
        return digest.hexdigest()

    def get_many(self, keys: Iterable[str]) -> dict[str, bytes]:
        """The intact entries among ``keys``; a missing or damaged entry is simply absent."""

        wanted = list(keys)
        found: dict[str, bytes] = {}
        db = self._connect()
        if db is None or not wanted:
            return found
        try:
            for start in range(0, len(wanted), _BATCH):
                chunk = wanted[start : start + _BATCH]
                rows = db.execute(
                    "SELECT key, sum, value FROM entries WHERE key IN "
                    f"({','.join('?' * len(chunk))})",
                    chunk,
                ).fetchall()
                for key, stored, value in rows:
                    intact = isinstance(value, bytes) and stored == checksum(str(key), value)
                    if intact:
                        found[str(key)] = value
        except sqlite3.OperationalError:
            return found  # locked by another run for too long: what was read so far
        except sqlite3.DatabaseError:
            self._damaged = True  # not a database any more: start it again on write
        return found

    def get(self, key: str) -> bytes | None:
        return self.get_many([key]).get(key)

    def put_many(self, entries: Mapping[str, bytes]) -> None:
        """Store ``entries`` in one transaction; a cache that cannot be written is skipped."""

        if not entries or self._path is None:
            return
        rows = [(key, checksum(key, value), value) for key, value in entries.items()]
        for _attempt in range(2):
            db = self._connect(create=True)
            if db is None:
                return
            try:
                with db:
                    db.executemany(
                        "INSERT OR REPLACE INTO entries (key, sum, value) VALUES (?, ?, ?)",
                        rows,
                    )
                return
            except sqlite3.OperationalError:
                return  # read-only, full or locked: this run's results are not kept
            except sqlite3.DatabaseError:
                self._damaged = True  # and start it again, once

    def put(self, key: str, value: bytes) -> None:
        self.put_many({key: value})

    def prune(self, keep: set[str]) -> int:
        """Remove the entries not in ``keep`` once they outnumber it; return how many.

        Every edit of a file leaves its old entry behind. When stale entries outnumber the
        live ones (plus some slack, so that switching between two branches stays warm),
        only the entries this run used are kept.
        """

        db = self._connect()
        if db is None:
            return 0
        try:
            (count,) = db.execute("SELECT count(*) FROM entries").fetchone()
            if count <= 2 * len(keep) + 64:
                return 0
            with db:
                db.execute("CREATE TEMP TABLE IF NOT EXISTS keep (key TEXT PRIMARY KEY)")
                db.execute("DELETE FROM temp.keep")
                db.executemany("INSERT OR IGNORE INTO temp.keep VALUES (?)", [(k,) for k in keep])
                removed = db.execute(
                    "DELETE FROM entries WHERE key NOT IN (SELECT key FROM temp.keep)"
                ).rowcount
            return max(removed, 0)
        except sqlite3.DatabaseError:
            return 0

    def close(self) -> None:
        if self._db is not None:
            with contextlib.suppress(sqlite3.Error):
                self._db.close()
            self._db = None

    # --- the connection ---------------------------------------------------------------

    def _connect(self, *, create: bool = False) -> sqlite3.Connection | None:
        """The open database, or None when there is none to read (or, with ``create``,
        none that can be made)."""

        if self._path is None:
            return None
        if self._damaged:
            self.close()
            if not create:
                return None
            self._set_aside()
        if self._db is not None:
            return self._db
        if not create and not self._path.is_file():
            return None
        try:
            if create:
                self._path.parent.mkdir(parents=True, exist_ok=True)
            db = sqlite3.connect(self._path, timeout=_LOCK_TIMEOUT, isolation_level=None)
        except (OSError, sqlite3.Error):
            return None
        db.isolation_level = "DEFERRED"  # ``with db:`` is one transaction
        if not self._ready(db, create):
            with contextlib.suppress(sqlite3.Error):
                db.close()
            return None
        self._db = db
        return db

    def _ready(self, db: sqlite3.Connection, create: bool) -> bool:
        """Whether ``db`` holds this cache's table (made when ``create``)."""

        try:
            (version,) = db.execute("PRAGMA user_version").fetchone()
            if version == _FORMAT:
                return True
            if not create:
                return False
            with db:
                db.execute("DROP TABLE IF EXISTS entries")
                db.execute(
                    "CREATE TABLE entries (key TEXT PRIMARY KEY, sum BLOB NOT NULL,"
                    " value BLOB NOT NULL) WITHOUT ROWID"
                )
                db.execute(f"PRAGMA user_version = {_FORMAT}")
            return True
        except sqlite3.OperationalError:
            return False  # read-only or locked: no cache this run
        except sqlite3.DatabaseError:
            self._damaged = True
            return False

    def _set_aside(self) -> None:
        """Remove a file that is no longer a database, so that a new one can be made."""

        assert self._path is not None
        self._damaged = False
        for suffix in ("", "-journal"):
            with contextlib.suppress(OSError):
                os.unlink(f"{self._path}{suffix}")
