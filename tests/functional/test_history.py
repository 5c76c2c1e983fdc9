"""Reading history from real git repositories built by each test, with fixed dates."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
from datetime import datetime, timezone
from pathlib import Path

import pytest

from seamfinder.analysis.cochange import CochangeOptions, analyse_cochange
from seamfinder.collect.history import (
    Commit,
    FileChange,
    History,
    HistoryUnavailable,
    read_history,
)

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs the git CLI")

ALICE = "alice@example.com"
BOB = "bob@example.com"
PAYMENTS = "a\nb\nc\nd\ne\nf\ng\nh\n"  # 8 lines: a one-line edit keeps a rename a rename
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x01"


@pytest.fixture(autouse=True)
def quiet_git(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No user or system git config, and no repository above the test's folder."""

    monkeypatch.setenv("GIT_CONFIG_GLOBAL", os.devnull)
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))


def epoch(day: int) -> int:
    return int(datetime(2024, 1, day, 12, tzinfo=timezone.utc).timestamp())


def git(root: Path, *args: str, day: int = 1, email: str = ALICE) -> str:
    date = f"2024-01-{day:02d}T12:00:00Z"
    name = email.partition("@")[0]
    env = {
        **os.environ,
        "GIT_CONFIG_GLOBAL": os.devnull,  # the module's repository is built outside the
        "GIT_CONFIG_NOSYSTEM": "1",  # autouse fixture: isolate every git call here too
        "GIT_AUTHOR_NAME": name,
        "GIT_AUTHOR_EMAIL": email,
        "GIT_COMMITTER_NAME": name,
        "GIT_COMMITTER_EMAIL": email,
        "GIT_AUTHOR_DATE": date,
        "GIT_COMMITTER_DATE": date,
    }
    done = subprocess.run(["git", *args], cwd=root, env=env, capture_output=True, check=False)
    assert done.returncode == 0, done.stderr.decode()
    return done.stdout.decode()


def write(root: Path, files: dict[str, str | bytes]) -> None:
    for relative, content in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            with path.open("a", encoding="utf-8") as handle:
                handle.write(content)


def commit(root: Path, day: int, email: str, files: dict[str, str | bytes]) -> None:
    write(root, files)
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", f"day {day}", day=day, email=email)


@pytest.fixture(scope="module")
def shop(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Three components under src/shop, docs outside src, and this history:

    1 alice  orders +3, payments/api +8, catalog +1, docs +1  (all new)
    2 bob    orders +1, payments/api +1
    3 alice  catalog +2, catalog/logo.png (binary)
    4 bob    payments/api.py -> payments/gateway.py (one line changed), orders +1
    5 alice  catalog +1                      (on a branch)
    6 bob    orders +1, docs +1              (on main)
    7        merge of the branch             (a merge: ignored)
    8 alice  payments/gateway +1, orders +1
    9 bob    docs +1                         (outside src)
    """

    root = tmp_path_factory.mktemp("shop")
    git(root, "init", "-q", "-b", "main")
    git(root, "config", "commit.gpgsign", "false")
    commit(
        root,
        1,
        ALICE,
        {
            "src/shop/orders/models.py": "a\nb\nc\n",
            "src/shop/payments/api.py": PAYMENTS,
            "src/shop/catalog/views.py": "a\n",
            "docs/index.md": "# shop\n",
        },
    )
    commit(root, 2, BOB, {"src/shop/orders/models.py": "d\n", "src/shop/payments/api.py": "i\n"})
    commit(
        root, 3, ALICE, {"src/shop/catalog/views.py": "b\nc\n", "src/shop/catalog/logo.png": PNG}
    )
    git(root, "mv", "src/shop/payments/api.py", "src/shop/payments/gateway.py")
    gateway = root / "src/shop/payments/gateway.py"
    gateway.write_text(gateway.read_text().replace("e\n", "E\n"), encoding="utf-8")
    commit(root, 4, BOB, {"src/shop/orders/models.py": "e\n"})
    git(root, "checkout", "-q", "-b", "feature")
    commit(root, 5, ALICE, {"src/shop/catalog/views.py": "d\n"})
    git(root, "checkout", "-q", "main")
    commit(root, 6, BOB, {"src/shop/orders/models.py": "f\n", "docs/index.md": "more\n"})
    git(root, "merge", "-q", "--no-ff", "-m", "merge", "feature", day=7)
    commit(
        root, 8, ALICE, {"src/shop/payments/gateway.py": "j\n", "src/shop/orders/models.py": "g\n"}
    )
    commit(root, 9, BOB, {"docs/index.md": "end\n"})
    return root


def history(root: Path, **options: object) -> History:
    read = read_history(root, **options)  # type: ignore[arg-type]
    assert isinstance(read, History), read
    return read


def changes(read: History) -> list[tuple[int, list[tuple[str, int, int]]]]:
    """(day, [(path, added, deleted)]) per commit, to compare with the table above."""

    day_of = {epoch(day): day for day in range(1, 10)}
    return [
        (day_of[c.author_time], [(f.path, f.added, f.deleted) for f in c.files])
        for c in read.commits
    ]


ORDERS = "shop/orders/models.py"
GATEWAY = "shop/payments/gateway.py"
CATALOG = "shop/catalog/views.py"
LOGO = "shop/catalog/logo.png"


def test_a_subfolder_is_read_as_the_root_with_renames_followed(shop: Path) -> None:
    read = history(shop / "src")
    assert read.line_counts and read.note == ""
    assert read.head == git(shop, "rev-parse", "HEAD").strip()
    # The file was api.py on days 1 and 2: it carries its newest name throughout.
    assert changes(read) == [
        (1, [(CATALOG, 1, 0), (ORDERS, 3, 0), (GATEWAY, 8, 0)]),
        (2, [(ORDERS, 1, 0), (GATEWAY, 1, 0)]),
        (3, [(LOGO, 0, 0), (CATALOG, 2, 0)]),  # a binary file: changed, with no lines
        (4, [(ORDERS, 1, 0), (GATEWAY, 1, 1)]),  # the rename, with its one edited line
        (5, [(CATALOG, 1, 0)]),
        (6, [(ORDERS, 1, 0)]),  # the docs change is outside the root
        (8, [(ORDERS, 1, 0), (GATEWAY, 1, 0)]),
    ]  # no merge (day 7), nothing from day 9 (docs only)


def test_without_following_renames_old_commits_keep_the_old_name(shop: Path) -> None:
    read = history(shop / "src", follow_renames=False)
    assert [c[1] for c in changes(read)[:2]] == [
        [(CATALOG, 1, 0), (ORDERS, 3, 0), ("shop/payments/api.py", 8, 0)],
        [(ORDERS, 1, 0), ("shop/payments/api.py", 1, 0)],
    ]


def test_the_work_tree_root_sees_every_folder(shop: Path) -> None:
    read = history(shop)
    assert [day for day, _ in changes(read)] == [1, 2, 3, 4, 5, 6, 8, 9]
    assert changes(read)[5] == (6, [("docs/index.md", 1, 0), ("src/" + ORDERS, 1, 0)])
    assert changes(read)[-1] == (9, [("docs/index.md", 1, 0)])


def test_commits_are_sorted_by_time_and_carry_pseudonymous_authors(shop: Path) -> None:
    read = history(shop / "src")
    assert [c.author_time for c in read.commits] == sorted(c.author_time for c in read.commits)
    authors = [c.author for c in read.commits]
    assert authors[0] == authors[2] != authors[1]  # alice, alice, bob
    assert authors[0] == hashlib.sha256(ALICE.encode()).hexdigest()[:12]
    assert all("@" not in author and "alice" not in author for author in authors)
    assert all(isinstance(c, Commit) and len(c.sha) == 40 for c in read.commits)


def test_since_and_max_commits_limit_the_walk(shop: Path) -> None:
    assert [
        day for day, _ in changes(history(shop / "src", since="2024-01-06 00:00:00 +0000"))
    ] == [6, 8]
    assert [day for day, _ in changes(history(shop / "src", max_commits=1))] == [8]
    with pytest.raises(ValueError, match="max_commits"):
        read_history(shop, max_commits=0)


def test_pathspecs_narrow_the_files_read(shop: Path) -> None:
    read = history(shop / "src", paths=("*.py", ":(exclude)shop/catalog"))
    assert [day for day, _ in changes(read)] == [1, 2, 4, 6, 8]
    assert changes(read)[0] == (1, [(ORDERS, 3, 0), (GATEWAY, 8, 0)])


def test_without_line_counts_no_content_is_read(shop: Path) -> None:
    read = history(shop / "src", line_counts=False)
    assert not read.line_counts and read.note == ""
    assert all(f.added == f.deleted == 0 for c in read.commits for f in c.files)
    # Only renames without an edit are found without content: day 4 is a delete and an add.
    assert changes(read)[3] == (
        4,
        [(ORDERS, 0, 0), ("shop/payments/api.py", 0, 0), (GATEWAY, 0, 0)],
    )


def test_known_co_change_comes_out_of_the_analysis(shop: Path) -> None:
    def component(path: str) -> str | None:
        return path.split("/")[1] if path.startswith("shop/") else None

    loose = CochangeOptions(min_revs=1, min_shared_revs=1, min_coupling=0)
    result = analyse_cochange(history(shop / "src").commits, component, loose)
    # orders {1 2 4 6 8} = 5, payments {1 2 4 8} = 4, catalog {1 3 5} = 3
    assert [
        (p.a, p.b, p.shared, p.revisions_a, p.revisions_b, p.degree) for p in result.coupling
    ] == [
        ("orders", "payments", 4, 5, 4, 88),  # 4 / 4.5 * 100
        ("catalog", "payments", 1, 3, 4, 28),  # 1 / 3.5 * 100
        ("catalog", "orders", 1, 3, 5, 25),  # 1 / 4 * 100
    ]
    assert [(c.group, c.revisions, c.added, c.deleted, c.authors) for c in result.churn] == [
        ("orders", 5, 7, 0, 2),
        ("payments", 4, 11, 1, 2),
        ("catalog", 3, 4, 0, 1),
    ]


def test_a_folder_outside_git_has_no_history(tmp_path: Path) -> None:
    plain = tmp_path / "plain"
    plain.mkdir()
    read = read_history(plain)
    assert read == HistoryUnavailable(f"no git history: {plain} is not in a git repository")
    assert read_history(tmp_path / "missing") == HistoryUnavailable(
        f"no git history: {tmp_path / 'missing'} is not a folder"
    )


def test_a_repository_without_commits_has_no_history(tmp_path: Path) -> None:
    git(tmp_path, "init", "-q", "-b", "main")
    assert read_history(tmp_path) == HistoryUnavailable(
        "no git history: the repository has no commits yet"
    )


def test_a_shallow_clone_says_its_history_is_truncated(shop: Path, tmp_path: Path) -> None:
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--depth", "1", shop.as_uri(), str(clone))
    read = read_history(clone)
    assert isinstance(read, HistoryUnavailable)
    assert "shallow clone" in read.reason and "truncated" in read.reason


def test_missing_file_contents_cost_the_line_counts_not_the_history(tmp_path: Path) -> None:
    git(tmp_path, "init", "-q", "-b", "main")
    commit(tmp_path, 1, ALICE, {"a/x.py": "one\n", "b/y.py": "one\n"})
    commit(tmp_path, 2, BOB, {"a/x.py": "two\n"})
    # Drop the first version of a/x.py, as a partial clone or a trimmed mirror would.
    blob = git(tmp_path, "rev-parse", "HEAD~1:a/x.py").strip()
    (tmp_path / ".git" / "objects" / blob[:2] / blob[2:]).unlink()
    read = history(tmp_path)
    assert not read.line_counts
    assert read.note == f"line counts unavailable: git log failed: unable to read {blob}"
    assert changes(read) == [(1, [("a/x.py", 0, 0), ("b/y.py", 0, 0)]), (2, [("a/x.py", 0, 0)])]


def test_no_git_on_path_is_a_value_not_an_exception(
    shop: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    assert read_history(shop) == HistoryUnavailable(
        "no git history: git is not installed (not found on PATH)"
    )


def test_file_changes_are_plain_values() -> None:
    assert sorted([FileChange("b", 1, 0), FileChange("a", 2, 0)])[0].path == "a"


def test_dependency_bot_commits_are_not_read(tmp_path: Path) -> None:
    root = tmp_path / "bots"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    commit(root, 1, ALICE, {"a/x.py": "x = 1\n", "b/y.py": "y = 1\n"})
    commit(
        root,
        2,
        "49699333+dependabot[bot]@users.noreply.github.com",
        {"a/x.py": "# bump\n", "b/y.py": "# bump\n"},
    )
    commit(root, 3, "bot@renovateapp.com", {"a/x.py": "# bump\n"})
    read = history(root)
    assert [c.author_time for c in read.commits] == [epoch(1)]
