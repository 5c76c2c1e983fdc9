"""Component change coupling from a real git history (fixed dates), end to end."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from seamfinder.app.cli import main

REPO = Path(__file__).resolve().parents[2]
# The README's first command leaves a cache in the fixture; a copy starts without it.
CACHES = shutil.ignore_patterns(".seamfinder_cache")


def git(root: Path, *args: str, day: int = 1) -> None:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "Dev",
        "GIT_AUTHOR_EMAIL": "dev@example.invalid",
        "GIT_COMMITTER_NAME": "Dev",
        "GIT_COMMITTER_EMAIL": "dev@example.invalid",
        "GIT_AUTHOR_DATE": f"2024-01-{day:02d}T12:00:00Z",
        "GIT_COMMITTER_DATE": f"2024-01-{day:02d}T12:00:00Z",
    }
    subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True, env=env)


def touch(root: Path, relative: str, day: int) -> None:
    path = root / relative
    path.write_text(path.read_text(encoding="utf-8") + f"\n# change {day}\n", encoding="utf-8")


@pytest.fixture
def shop_with_history(tmp_path: Path) -> Path:
    root = tmp_path / "shop"
    shutil.copytree(REPO / "fixtures" / "django_shop", root, ignore=CACHES)
    git(root, "init", "-q", "-b", "main")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "initial")
    day = 2
    # orders and billing change together 6 times; orders alone 2 times; shipping alone 5.
    for _ in range(6):
        touch(root, "orders/services.py", day)
        touch(root, "payments/services.py", day)
        git(root, "commit", "-qam", f"orders+billing {day}", day=day)
        day += 1
    for name in ("orders/views.py", "orders/models.py"):
        touch(root, name, day)
        git(root, "commit", "-qam", f"orders {day}", day=day)
        day += 1
    for _ in range(5):
        touch(root, "shipping/services.py", day)
        git(root, "commit", "-qam", f"shipping {day}", day=day)
        day += 1
    # A sweeping commit across five components counts for churn, not for coupling.
    for name in (
        "orders/admin.py",
        "payments/models.py",
        "shipping/models.py",
        "catalog/models.py",
        "core/models.py",
    ):
        touch(root, name, day)
    git(root, "commit", "-qam", "sweep", day=day)
    # Tests are not part of a component's history.
    (root / "orders" / "tests").mkdir()
    (root / "orders" / "tests" / "test_x.py").write_text("x = 1\n", encoding="utf-8")
    git(root, "add", ".")
    git(root, "commit", "-qm", "tests", day=day + 1)
    return root


def analyze(root: Path, *extra: str) -> tuple[int, dict]:  # type: ignore[type-arg]
    result = CliRunner().invoke(
        main, ["analyze", str(root), "--no-cache", "--format", "json", *extra]
    )
    assert result.exit_code in (0, 1), result.stderr
    return result.exit_code, json.loads(result.stdout)


def test_pairs_hotspots_and_lockstep_finding(shop_with_history: Path) -> None:
    _, document = analyze(shop_with_history, "--history")
    coupling = document["change_coupling"]
    # The initial commit and the sweep touch more than 4 components: left out of coupling.
    assert (coupling["commits"], coupling["commits_left_out"]) == (16, 2)
    (pair,) = coupling["pairs"]
    # billing: 6 commits; orders: 6 shared + 2 alone = 8; shared 6.
    assert (pair["a"], pair["b"], pair["shared"], pair["revisions_a"], pair["revisions_b"]) == (
        "billing",
        "orders",
        6,
        6,
        8,
    )
    assert pair["degree"] == 85  # 200 * 6 // 14
    hot = {h["component"]: h["revisions"] for h in coupling["hotspots"]}
    assert hot["orders"] == 10 and hot["shipping"] == 7 and hot["billing"] == 8
    lockstep = [f for f in document["findings"] if f["code"] == "SF304"]
    assert [(f["source_component"], f["target_component"]) for f in lockstep] == [
        ("billing", "orders")
    ]
    assert lockstep[0]["path"] == "payments/__init__.py"


def test_history_is_off_by_default_and_the_degree_threshold_is_an_option(
    shop_with_history: Path,
) -> None:
    _, document = analyze(shop_with_history)
    assert document["change_coupling"] is None
    config = shop_with_history / "seamfinder.toml"
    config.write_text(
        "[history]\nenabled = true\n[rules.SF304]\nmin-degree = 90\n", encoding="utf-8"
    )
    _, document = analyze(shop_with_history)
    assert document["change_coupling"]["pairs"] and not [
        f for f in document["findings"] if f["code"] == "SF304"
    ]


def test_no_git_repository_is_a_note_not_a_failure(tmp_path: Path) -> None:
    root = tmp_path / "shop"
    shutil.copytree(REPO / "fixtures" / "django_shop", root, ignore=CACHES)
    _, document = analyze(root, "--history")
    assert document["change_coupling"]["pairs"] == []
    assert "git" in document["change_coupling"]["note"]
    terminal = CliRunner().invoke(
        main, ["analyze", str(root), "--no-cache", "--history", "--exit-zero"]
    )
    assert "Change coupling: no history" in terminal.stdout
