"""The per-file cache: warm runs parse nothing, an edit re-parses one file, corruption heals."""

from __future__ import annotations

import contextlib
import json
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from seamfinder.app.cli import main
from seamfinder.collect.cache import FileCache, checksum
from seamfinder.collect.datapass import start_facts
from seamfinder.core.model import SourceFile

REPO = Path(__file__).resolve().parents[2]
# The README's first command leaves a cache in the fixture; a copy starts without it.
CACHES = shutil.ignore_patterns(".seamfinder_cache")


@pytest.fixture
def shop(tmp_path: Path) -> Path:
    target = tmp_path / "shop"
    shutil.copytree(REPO / "fixtures" / "django_shop", target, ignore=CACHES)
    return target


def stats(root: Path, cache: Path) -> dict:  # type: ignore[type-arg]
    result = CliRunner().invoke(
        main,
        [
            "analyze",
            str(root),
            "--cache-dir",
            str(cache),
            "--format",
            "json",
            "--timings",
            "--exit-zero",
        ],
    )
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def test_warm_run_parses_nothing_and_an_edit_reparses_one_file(shop: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    cold = stats(shop, cache)
    assert cold["stats"]["files_parsed"] > 20 and cold["stats"]["cache_hits"] == 0
    warm = stats(shop, cache)
    assert warm["stats"]["files_parsed"] == 0
    assert warm["stats"]["cache_hits"] == cold["stats"]["files_parsed"]
    services = shop / "orders" / "services.py"
    services.write_text(services.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    edited = stats(shop, cache)
    assert edited["stats"]["files_parsed"] == 1
    del cold["stats"], warm["stats"], edited["stats"]
    assert cold == warm  # the cache changes nothing but the time


def test_default_cache_lives_in_the_project_and_ignores_itself(shop: Path) -> None:
    result = CliRunner().invoke(main, ["analyze", str(shop), "--exit-zero"])
    assert result.exit_code == 0
    cache = shop / ".seamfinder_cache"
    assert (cache / ".gitignore").read_text(encoding="utf-8").strip().endswith("*")
    assert any(cache.rglob("*.json"))


def test_no_cache_writes_nothing(shop: Path) -> None:
    CliRunner().invoke(main, ["analyze", str(shop), "--no-cache", "--exit-zero"])
    assert not (shop / ".seamfinder_cache").exists()


def entry_rows(cache: Path) -> list[tuple[str, bytes]]:
    with contextlib.closing(sqlite3.connect(cache / "facts.sqlite")) as db:
        return sorted(db.execute("SELECT key, value FROM entries"))


def rewrite_entry(cache: Path, key: str, value: bytes, *, valid_sum: bool) -> None:
    stored = checksum(key, value) if valid_sum else b"\0" * 16
    with contextlib.closing(sqlite3.connect(cache / "facts.sqlite")) as db, db:
        db.execute("UPDATE entries SET sum = ?, value = ? WHERE key = ?", (stored, value, key))


def test_corrupt_and_foreign_entries_are_misses_and_get_rewritten(
    shop: Path, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    first = stats(shop, cache)
    rows = entry_rows(cache)
    (k0, v0), (k1, _), (k2, _) = rows[:3]
    rewrite_entry(cache, k0, v0[:-1] + b"!", valid_sum=False)  # damaged bytes
    rewrite_entry(cache, k1, b"{not json", valid_sum=True)  # believed, but not ours
    rewrite_entry(cache, k2, b'{"facts": {"x": 1}}', valid_sum=True)
    shutil.rmtree(cache / "results")  # else the whole report comes back without any parse
    again = stats(shop, cache)
    assert again["stats"]["files_parsed"] == 3
    assert entry_rows(cache) == rows  # rewritten as they were
    shutil.rmtree(cache / "results")
    assert stats(shop, cache)["stats"]["files_parsed"] == 0
    del first["stats"], again["stats"]
    assert first == again


def test_concurrent_runs_share_one_cache_safely(shop: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    command = [
        sys.executable,
        "-m",
        "seamfinder",
        "analyze",
        str(shop),
        "--cache-dir",
        str(cache),
        "--format",
        "json",
    ]
    processes = [
        subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(4)
    ]
    outputs = [p.communicate(timeout=120) for p in processes]
    assert all(p.returncode == 1 for p in processes), [err for _, err in outputs]
    assert len({out for out, _ in outputs}) == 1
    assert not list(cache.rglob(".tmp-*"))
    assert stats(shop, cache)["stats"]["files_parsed"] == 0


def test_unwritable_cache_is_no_cache_and_the_run_goes_on(shop: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "file-not-folder"
    blocker.write_text("", encoding="utf-8")
    result = CliRunner().invoke(
        main, ["analyze", str(shop), "--cache-dir", str(blocker / "cache"), "--exit-zero"]
    )
    assert result.exit_code == 0, result.stderr


def test_worker_pool_gives_the_same_facts_as_one_process(tmp_path: Path) -> None:
    sources = {
        f"pkg/m{i}.py": f"from django.db import models\nclass M{i}(models.Model):\n    n = models.IntegerField()\n".encode()
        for i in range(80)
    }
    files = [SourceFile(path, path[:-3].replace("/", "."), False) for path in sorted(sources)]
    none = FileCache(None, "facts", "test")
    inline = start_facts(files, sources, frozenset(sources), none, jobs=1).result()
    pooled = start_facts(files, sources, frozenset(sources), none, jobs=2).result()
    assert inline.parsed == pooled.parsed == 80
    assert inline.facts == pooled.facts


def test_unchanged_inputs_return_the_stored_report_and_any_change_is_a_miss(
    shop: Path, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    first = stats(shop, cache)
    assert len(list((cache / "results").glob("*.json"))) == 1
    (cache / "facts.sqlite").rename(tmp_path / "facts-aside")  # a hit must not need facts
    hit = stats(shop, cache)
    assert hit["stats"]["cache_hits"] == hit["stats"]["files_seen"]
    for document in (first, hit):
        del document["stats"]
    assert first == hit
    # A changed file, a changed configuration and a different rule selection are misses.
    (shop / "orders" / "views.py").write_text("from payments import services\n", encoding="utf-8")
    assert stats(shop, cache)["stats"]["files_parsed"] >= 1
    (shop / "seamfinder.toml").write_text("[rules.SF202]\nseverity = 'error'\n", encoding="utf-8")
    changed = stats(shop, cache)
    assert {f["severity"] for f in changed["findings"] if f["code"] == "SF202"} == {"error"}
    result = CliRunner().invoke(
        main,
        ["analyze", str(shop), "--cache-dir", str(cache), "--format", "json", "--select", "SF1"],
    )
    assert {f["code"] for f in json.loads(result.stdout)["findings"]} == {"SF101"}


def test_a_corrupt_stored_report_is_a_miss(shop: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    first = stats(shop, cache)
    (entry,) = (cache / "results").glob("*.json")
    entry.write_text('{"root": 1}', encoding="utf-8")
    again = stats(shop, cache)
    del first["stats"], again["stats"]
    assert first == again


def test_remembered_outputs_replay_exactly_and_never_across_different_gates(
    shop: Path, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"

    def check(*extra: str) -> tuple[int, str, str]:
        result = CliRunner().invoke(main, ["check", str(shop), "--cache-dir", str(cache), *extra])
        return result.exit_code, result.stdout, result.stderr

    first = check()
    assert first[0] == 1 and "SF101" in first[1]
    assert check() == first  # replayed: same text, same exit code
    assert len(list((cache / "results").glob("*.out"))) == 1
    assert check("--exit-zero")[0] == 0  # the gate is part of what is remembered
    baseline = CliRunner().invoke(main, ["baseline", str(shop), "--cache-dir", str(cache)])
    assert baseline.exit_code == 0
    code, out, _ = check()
    assert code == 0 and "0 new, 36 known" in out  # a new baseline is a new output
    code, out, err = check("--format", "json")
    assert code == 0 and json.loads(out)["baseline"]["known"] == 36
    assert check("--format", "json") == (code, out, err)
    analyze = CliRunner().invoke(main, ["analyze", str(shop), "--cache-dir", str(cache)])
    assert analyze.exit_code == 1
    again = CliRunner().invoke(main, ["analyze", str(shop), "--cache-dir", str(cache)])
    assert (again.exit_code, again.stdout) == (1, analyze.stdout)


def test_stale_entries_are_pruned_once_they_outnumber_the_live_ones(tmp_path: Path) -> None:
    sources = {
        f"pkg/m{i}.py": f"from django.db import models\nclass M{i}(models.Model):\n    pass\n".encode()
        for i in range(10)
    }
    files = [SourceFile(path, path[:-3].replace("/", "."), False) for path in sorted(sources)]
    cache = FileCache(tmp_path / "cache", "facts", "test")
    for edit in range(12):  # every file edited twelve times: 120 entries for 10 files
        edited = {path: data + f"# edit {edit}\n".encode() for path, data in sources.items()}
        start_facts(files, edited, frozenset(), cache, jobs=1).result()
        kept = len(entry_rows(tmp_path / "cache"))
        assert kept <= 2 * 10 + 64 + 10
    warm = start_facts(files, edited, frozenset(), cache, jobs=1).result()
    assert (warm.parsed, warm.cache_hits) == (0, 10)  # the live entries survived
