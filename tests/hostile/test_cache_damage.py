"""A damaged, truncated or read-only cache changes nothing but the time a run takes.

Every run here is a real subprocess, as a CI job or a pre-commit hook runs seamfinder: the
cache is damaged between two runs the way disks, crashes and careless hands damage it,
and the second run must print the same bytes with the same exit code as the first, with
no finding about the cache itself, and must heal what it can write.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]
CACHE = ".seamfinder_cache"


@pytest.fixture
def shop(tmp_path: Path) -> Path:
    target = tmp_path / "shop"
    shutil.copytree(REPO / "fixtures" / "django_shop", target, ignore=shutil.ignore_patterns(CACHE))
    return target


def seamfinder(
    root: Path, *args: str, cache: Path | None = None, **kwargs: Any
) -> subprocess.CompletedProcess[bytes]:
    where = ["--cache-dir", str(cache)] if cache is not None else []
    return subprocess.run(
        [sys.executable, "-m", "seamfinder", *args, str(root), *where],
        capture_output=True,
        timeout=120,
        check=False,
        **kwargs,
    )


def same_run(first: subprocess.CompletedProcess[bytes], again: Any) -> None:
    assert again.returncode == first.returncode, again.stderr
    assert again.stdout == first.stdout
    assert b"Traceback" not in again.stderr and b"internal error" not in again.stderr


def flip_byte(path: Path, offset: int) -> None:
    data = bytearray(path.read_bytes())
    data[offset] ^= 0xFF
    path.write_bytes(bytes(data))


def live_entries(cache: Path) -> int:
    with contextlib.closing(sqlite3.connect(cache / "facts.sqlite")) as db:
        (count,) = db.execute("SELECT count(*) FROM entries").fetchone()
    return int(count)


def grimp_meta(cache: Path) -> Path:
    return sorted((cache / "grimp").glob("*.meta.json"))[0]


def grimp_data(cache: Path) -> Path:
    return sorted((cache / "grimp").glob("*.data.json"))[0]


def facts_db(cache: Path) -> Path:
    return cache / "facts.sqlite"


@pytest.mark.parametrize(
    ("damaged", "offset"),
    [
        (grimp_meta, 5),  # grimp's own cache: not UTF-8 any more
        (grimp_data, 5),
        (facts_db, 3),  # SQLite's header: "file is not a database"
        (facts_db, -40),  # inside the last page: the entry's checksum fails
    ],
    ids=["grimp-meta", "grimp-data", "facts-header", "facts-entry"],
)
def test_a_garbage_byte_in_the_cache_is_no_finding_and_keeps_the_exit_code(
    shop: Path, damaged: Any, offset: int
) -> None:
    # The default cache, inside the analysed project: it is never analysed itself.
    first = seamfinder(shop, "check", "--format", "json")
    assert first.returncode == 1  # the fixture has findings: exit 1 must stay exit 1
    cache = shop / CACHE
    target = damaged(cache)
    flip_byte(target, offset if offset >= 0 else target.stat().st_size + offset)
    shutil.rmtree(cache / "results")  # else the remembered output answers at once
    again = seamfinder(shop, "check", "--format", "json")
    same_run(first, again)
    assert CACHE.encode() not in again.stdout
    # Healed: the next run finds every entry intact and parses nothing.
    shutil.rmtree(cache / "results")
    healed = seamfinder(shop, "analyze", "--format", "json", "--timings", "--exit-zero")
    assert b'"files_parsed": 0' in healed.stdout
    assert live_entries(cache) > 20


@pytest.mark.parametrize("cut", [1, 200])
def test_a_truncated_remembered_output_is_never_replayed(shop: Path, cut: int) -> None:
    first = seamfinder(shop, "check")
    (stored,) = (shop / CACHE / "results").glob("*.out")
    whole = stored.read_bytes()
    stored.write_bytes(whole[:-cut])  # a crash or a full disk in the middle of a write
    again = seamfinder(shop, "check")
    same_run(first, again)
    assert stored.read_bytes() == whole  # and written again whole


def test_a_truncated_or_damaged_stored_report_is_a_miss(shop: Path) -> None:
    first = seamfinder(shop, "analyze", "--format", "json")
    results = shop / CACHE / "results"
    for output in results.glob("*.out"):
        output.unlink()  # so that the stored report is what the next run reads
    (report,) = results.glob("*.json")
    whole = report.read_bytes()
    report.write_bytes(whole[: len(whole) // 2])
    same_run(first, seamfinder(shop, "analyze", "--format", "json"))
    head, _, body = report.read_bytes().partition(b"\n")
    assert head.split()[-1] == str(len(body)).encode()  # written again, whole
    whole = report.read_bytes()
    flip_byte(report, len(whole) - 10)  # still valid JSON? the checksum says no
    for output in results.glob("*.out"):
        output.unlink()
    same_run(first, seamfinder(shop, "analyze", "--format", "json"))


# --- runs that file permissions apply to ------------------------------------------------


def unprivileged() -> list[str]:
    """A command prefix under which file permissions hold, even for root.

    Root ignores permission bits; without the capabilities that let it (dropped from the
    bounding set, so that the analysed process cannot have them) root is held to the
    owner's bits of its own files like anyone else.
    """

    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("running as root without setpriv: permissions cannot be tested")
    return [setpriv, "--bounding-set", "-dac_override,-dac_read_search"]


def held_to_permissions(root: Path, *args: str, cache: Path) -> subprocess.CompletedProcess[bytes]:
    where = [str(root), "--cache-dir", str(cache)]
    return subprocess.run(
        [*unprivileged(), sys.executable, "-m", "seamfinder", *args, *where],
        capture_output=True,
        timeout=120,
        check=False,
    )


def tree_state(root: Path) -> dict[str, tuple[int, int]]:
    return {
        str(p.relative_to(root)): (p.stat().st_size, p.stat().st_mtime_ns)
        for p in sorted(root.rglob("*"))
    }


def test_a_read_only_populated_cache_is_read_and_never_written(shop: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    first = seamfinder(shop, "check", "--format", "json", cache=cache)
    shutil.rmtree(cache / "results")  # the facts and grimp's cache stay, read-only
    for path in [cache, *cache.rglob("*")]:
        path.chmod(path.stat().st_mode & ~(stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH))
    before = tree_state(cache)
    try:
        again = held_to_permissions(shop, "check", "--format", "json", cache=cache)
        same_run(first, again)
        assert tree_state(cache) == before
    finally:
        for path in [cache, *cache.rglob("*")]:
            path.chmod(path.stat().st_mode | stat.S_IWUSR)


def test_a_file_that_becomes_unreadable_is_not_the_empty_file_it_was(
    shop: Path, tmp_path: Path
) -> None:
    empty = shop / "catalog" / "empty.py"
    empty.write_bytes(b"")
    cache = tmp_path / "cache"
    first = held_to_permissions(shop, "check", "--format", "json", cache=cache)
    assert first.returncode == 1 and b"catalog/empty.py" not in first.stdout
    empty.chmod(0)
    try:
        again = held_to_permissions(shop, "check", "--format", "json", cache=cache)
    finally:
        empty.chmod(0o644)
    assert again.returncode == 1
    assert b"catalog/empty.py" in again.stdout and b"SF001" in again.stdout
    assert b"cannot read" in again.stdout
