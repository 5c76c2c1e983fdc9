"""``check --diff`` in a real git repository, and the hook in a real ``pre-commit run``."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from seamfinder.app.cli import main

sys.path.insert(0, str(Path(__file__).resolve().parent))
from test_check import SHOP, SIBLING

REPO = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs the git CLI")

GIT_ENV = {
    "GIT_AUTHOR_NAME": "Test",
    "GIT_AUTHOR_EMAIL": "test@example.com",
    "GIT_COMMITTER_NAME": "Test",
    "GIT_COMMITTER_EMAIL": "test@example.com",
    "GIT_AUTHOR_DATE": "2024-01-01T00:00:00+00:00",
    "GIT_COMMITTER_DATE": "2024-01-01T00:00:00+00:00",
    "GIT_CONFIG_NOSYSTEM": "1",
}


def git(root: Path, *args: str) -> str:
    env = {**os.environ, **GIT_ENV, "HOME": str(root.parent)}
    done = subprocess.run(
        ["git", *args], cwd=root, env=env, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def repository(write_project, files: dict[str, str]) -> Path:  # type: ignore[no-untyped-def]
    root: Path = write_project(files)
    git(root, "init", "-q", "-b", "main")
    git(root, "config", "user.name", "Test")
    git(root, "config", "user.email", "test@example.com")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "initial")
    return root


def check(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["check", *args])
    return result.exit_code, result.stdout, result.stderr


def test_diff_reports_only_findings_touching_changed_or_untracked_files(write_project) -> None:  # type: ignore[no-untyped-def]
    # An old violation in a file nobody touches must not fail a change elsewhere.
    root = repository(write_project, {**SHOP, "shop/payments/gateway.py": SIBLING})
    code, out, err = check(str(root), "--no-cache", "--diff", "HEAD")
    assert (code, err) == (0, "")
    assert out == "seamfinder: no findings in files changed since HEAD\n"

    (root / "shop/payments/refunds.py").write_text("from shop.orders import services\n")  # modified
    (root / "shop/payments/fees.py").write_text("from shop.orders import models\n")  # untracked
    code, out, err = check(str(root), "--no-cache", "--diff", "HEAD", "--format", "json")
    assert code == 1, err
    document = json.loads(out)
    assert document["changed_since"] == "HEAD"
    assert sorted(f["path"] for f in document["findings"]) == [
        "shop/payments/fees.py",
        "shop/payments/refunds.py",
    ]
    assert "in files changed since HEAD" in err

    # Committed on a branch: still "changed since main"; nothing changed since the branch tip.
    git(root, "checkout", "-q", "-b", "feature")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "refunds")
    assert check(str(root), "--no-cache", "--diff", "main")[0] == 1
    assert check(str(root), "--no-cache", "--diff", "feature")[0] == 0


def test_a_finding_touches_a_file_through_its_related_locations(write_project) -> None:  # type: ignore[no-untyped-def]
    # A cycle: the finding sits on the first site of the cheapest cut (back.py), the
    # other site of that cut (back2.py) is a related location.
    files = {
        "app/__init__.py": "",
        "app/a/__init__.py": "",
        "app/a/one.py": "from app.b import two\nfrom app.b import three\nfrom app.b import four\n",
        "app/b/__init__.py": "",
        "app/b/two.py": "",
        "app/b/three.py": "",
        "app/b/four.py": "",
        "app/b/back.py": "from app.a import one\n",
        "app/b/back2.py": "from app.a import one\n",
    }
    root = repository(write_project, files)
    code, out, _ = check(str(root), "--no-cache", "--diff", "HEAD", "--format", "json")
    assert (code, json.loads(out)["findings"]) == (0, [])  # nothing changed
    (root / "app/b/back2.py").write_text("from app.a import one\n# touched\n")
    code, out, _ = check(str(root), "--no-cache", "--diff", "HEAD", "--format", "json")
    (finding,) = json.loads(out)["findings"]
    assert finding["code"] == "SF101" and finding["path"] == "app/b/back.py"
    assert [r["path"] for r in finding["related"]] == ["app/b/back2.py"]
    assert code == 1


def test_diff_outside_a_repository_or_with_a_bad_revision_exits_2(
    write_project, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    root = repository(write_project, SHOP)
    code, _, err = check(str(root), "--no-cache", "--diff", "no-such-branch")
    assert code == 2
    assert err.startswith("seamfinder: error: --diff no-such-branch: no such git revision in ")
    assert err.count("\n") == 1
    plain = tmp_path / "plain"
    shutil.copytree(root, plain, ignore=shutil.ignore_patterns(".git"))
    code, _, err = check(str(plain), "--no-cache", "--diff", "HEAD")
    assert code == 2 and "is not in a git repository" in err and err.count("\n") == 1


def test_hook_manifest_runs_seamfinder_check_on_the_whole_project() -> None:
    yaml = pytest.importorskip("yaml")
    (hook,) = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert hook["id"] == "seamfinder"
    assert hook["entry"] == "seamfinder check"
    assert hook["language"] == "python"
    assert hook["pass_filenames"] is False
    assert hook["types"] == ["python"]


LOCAL_HOOK = """\
repos:
  - repo: local
    hooks:
      - id: seamfinder
        name: seamfinder
        entry: seamfinder check
        language: system
        pass_filenames: false
        types: [python]
"""


def test_pre_commit_runs_the_hook_and_fails_on_a_violation(write_project, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    pytest.importorskip("pre_commit")
    root = repository(write_project, {**SHOP, ".pre-commit-config.yaml": LOCAL_HOOK})
    scripts = str(Path(sys.executable).parent)
    env = {
        **os.environ,
        **GIT_ENV,
        "HOME": str(tmp_path),
        "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"),
        "PATH": scripts + os.pathsep + os.environ.get("PATH", ""),
        "NO_COLOR": "1",
    }

    def pre_commit() -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "pre_commit", "run", "--all-files", "--color", "never"],
            cwd=root,
            env=env,
            capture_output=True,
            text=True,
            check=False,
            timeout=120,
        )

    done = pre_commit()
    assert done.returncode == 0, done.stdout + done.stderr
    assert "seamfinder" in done.stdout and "Passed" in done.stdout

    (root / "shop/payments/gateway.py").write_text(SIBLING)
    git(root, "add", "-A")
    done = pre_commit()
    assert done.returncode == 1, done.stdout + done.stderr
    assert "Failed" in done.stdout
    assert "SF102 [layer-violation] shop.payments.gateway imports shop.orders.models" in done.stdout
