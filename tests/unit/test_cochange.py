"""Change coupling and churn on hand-built commits, with every figure worked out by hand."""

from __future__ import annotations

import os
import random
import subprocess
import sys
from pathlib import Path

import pytest

from seamfinder.analysis.cochange import (
    ChangeCoupling,
    CochangeOptions,
    GroupChurn,
    analyse_cochange,
    change_coupling,
    cochange_edges,
    hotspots,
    lockstep_pairs,
)
from seamfinder.collect.history import Commit, FileChange

SRC = Path(__file__).resolve().parents[2] / "src"

# Every pair counted, however weak: the figures below are about counting.
LOOSE = CochangeOptions(min_revs=1, min_shared_revs=1, min_coupling=0, max_changeset_size=3)


def group_of(path: str) -> str | None:
    """The first folder is the group; tests and docs belong to none."""

    top = path.split("/", 1)[0]
    return None if top in ("tests", "docs") else top


def commit(n: int, author: str, *files: tuple[str, int, int]) -> Commit:
    changes = tuple(sorted(FileChange(path, added, deleted) for path, added, deleted in files))
    return Commit(f"{n:040x}", 1000 * n, author, changes)


# Groups a, b, c; max_changeset_size 3 (files mapped to a group).
HISTORY = (
    commit(1, "alice", ("a/x.py", 10, 0), ("b/y.py", 5, 1)),  # a b
    commit(2, "alice", ("a/x.py", 1, 1)),  # a
    commit(3, "bob", ("a/z.py", 2, 0), ("b/y.py", 1, 1), ("tests/t.py", 9, 9)),  # a b
    commit(4, "bob", ("b/y.py", 3, 0), ("c/w.py", 4, 0)),  # b c
    # 4 grouped files > 3: out of coupling, still churn.
    commit(5, "alice", ("a/x.py", 1, 0), ("a/z.py", 1, 0), ("b/y.py", 1, 0), ("c/w.py", 1, 0)),
    commit(6, "carol", ("c/w.py", 0, 2)),  # c
    commit(7, "carol", ("tests/t.py", 1, 0), ("docs/index.md", 1, 0)),  # no group
    # 2 grouped files: the three test files do not make it "too large".
    commit(
        8,
        "carol",
        ("a/x.py", 2, 2),
        ("c/w.py", 1, 1),
        ("tests/a.py", 1, 0),
        ("tests/b.py", 1, 0),
        ("tests/c.py", 1, 0),
    ),  # a c
)


def test_shared_revisions_and_degree_follow_code_maat() -> None:
    # Without commit 5: revisions a = {1, 2, 3, 8} = 4, b = {1, 3, 4} = 3, c = {4, 6, 8} = 3.
    # shared(a, b) = {1, 3} = 2: degree = 2 / ((4 + 3) / 2) * 100 = 57.1 -> 57
    # shared(b, c) = {4} = 1:    degree = 1 / 3 * 100 = 33.3 -> 33
    # shared(a, c) = {8} = 1:    degree = 1 / 3.5 * 100 = 28.6 -> 28
    # Jaccard = shared / (revs a + revs b - shared): 2/5, 1/5, 1/6.
    assert change_coupling(HISTORY, group_of, LOOSE) == (
        ChangeCoupling("a", "b", shared=2, revisions_a=4, revisions_b=3, degree=57, jaccard=0.4),
        ChangeCoupling("b", "c", shared=1, revisions_a=3, revisions_b=3, degree=33, jaccard=0.2),
        ChangeCoupling("a", "c", shared=1, revisions_a=4, revisions_b=3, degree=28, jaccard=0.1667),
    )


def test_churn_counts_every_commit_including_those_too_large_for_coupling() -> None:
    # a: commits 1 2 3 5 8; +10+1+2+1+1+2 = 17, -0-1-0-0-0-2 = 3; alice, bob, carol
    # b: commits 1 3 4 5;   +5+1+3+1 = 10, -1-1 = 2; alice, bob
    # c: commits 4 5 6 8;   +4+1+0+1 = 6, -2-1 = 3; bob, alice, carol
    assert hotspots(HISTORY, group_of) == (
        GroupChurn(
            "a", revisions=5, added=17, deleted=3, authors=3, first_change=1000, last_change=8000
        ),
        GroupChurn(
            "b", revisions=4, added=10, deleted=2, authors=2, first_change=1000, last_change=5000
        ),
        GroupChurn(
            "c", revisions=4, added=6, deleted=3, authors=3, first_change=4000, last_change=8000
        ),
    )


def test_analysis_counts_the_commits_behind_its_figures() -> None:
    result = analyse_cochange(HISTORY, group_of, LOOSE)
    assert (result.commits, result.commits_grouped, result.commits_too_large) == (8, 7, 1)
    assert result.churn == hotspots(HISTORY, group_of)
    assert result.coupling == change_coupling(HISTORY, group_of, LOOSE)
    assert result.options is LOOSE


def test_a_commit_over_the_changeset_size_is_left_out_of_coupling() -> None:
    # With room for commit 5 (4 files): a 5, b 4, c 4 revisions; ab 3, bc 2, ac 2 shared.
    roomy = CochangeOptions(min_revs=1, min_shared_revs=1, min_coupling=0, max_changeset_size=4)
    pairs = {
        (p.a, p.b): (p.shared, p.revisions_a, p.revisions_b, p.degree)
        for p in change_coupling(HISTORY, group_of, roomy)
    }
    # ab: 3 / 4.5 = 66.7 -> 66; bc: 2 / 4 = 50; ac: 2 / 4.5 = 44.4 -> 44
    assert pairs == {
        ("a", "b"): (3, 5, 4, 66),
        ("b", "c"): (2, 4, 4, 50),
        ("a", "c"): (2, 5, 4, 44),
    }
    unlimited = CochangeOptions(
        min_revs=1, min_shared_revs=1, min_coupling=0, max_changeset_size=None
    )
    assert change_coupling(HISTORY, group_of, unlimited) == change_coupling(
        HISTORY, group_of, roomy
    )


def test_min_shared_revs_and_min_coupling_filter_pairs() -> None:
    shared_two = CochangeOptions(
        min_revs=1, min_shared_revs=2, min_coupling=0, max_changeset_size=3
    )
    assert [(p.a, p.b) for p in change_coupling(HISTORY, group_of, shared_two)] == [("a", "b")]
    thirty = CochangeOptions(min_revs=1, min_shared_revs=1, min_coupling=30, max_changeset_size=3)
    assert [(p.a, p.b) for p in change_coupling(HISTORY, group_of, thirty)] == [
        ("a", "b"),
        ("b", "c"),
    ]


def test_min_revs_compares_the_average_of_the_pair_as_code_maat_does() -> None:
    # Average revisions: ab 3.5, bc 3, ac 3.5.
    four = CochangeOptions(min_revs=4, min_shared_revs=1, min_coupling=0, max_changeset_size=3)
    assert change_coupling(HISTORY, group_of, four) == ()
    three = CochangeOptions(min_revs=3, min_shared_revs=1, min_coupling=0, max_changeset_size=3)
    assert len(change_coupling(HISTORY, group_of, three)) == 3
    # A side with 2 revisions passes min_revs 3 when the other side lifts the average.
    lopsided = [commit(n, "x", ("p/a.py", 1, 0), ("q/b.py", 1, 0)) for n in (1, 2)]
    lopsided += [commit(n, "x", ("q/b.py", 1, 0)) for n in (3, 4)]  # p 2, q 4: average 3
    [pair] = change_coupling(lopsided, group_of, three)
    assert (pair.revisions_a, pair.revisions_b, pair.average_revisions, pair.degree) == (
        2,
        4,
        3,
        66,
    )


def test_min_coupling_uses_the_exact_degree_and_max_coupling_the_truncated_one() -> None:
    # p and q: 3 shared of 3 + 7 revisions: 3 / 5 * 100 = 60 exactly.
    history = [commit(n, "x", ("p/a.py", 1, 0), ("q/b.py", 1, 0)) for n in (1, 2, 3)]
    history += [commit(n, "x", ("q/b.py", 1, 0)) for n in (4, 5, 6, 7)]
    at_sixty = CochangeOptions(min_revs=1, min_shared_revs=1, min_coupling=60, max_coupling=60)
    [pair] = change_coupling(history, group_of, at_sixty)
    assert (pair.degree, pair.average_revisions) == (60, 5)
    above = CochangeOptions(min_revs=1, min_shared_revs=1, min_coupling=61)
    below = CochangeOptions(min_revs=1, min_shared_revs=1, min_coupling=0, max_coupling=59)
    assert change_coupling(history, group_of, above) == ()
    assert change_coupling(history, group_of, below) == ()
    # 2 shared of 3 + 4: 2 / 3.5 * 100 = 57.14: truncated to 57, passes max 57, fails min 58.
    short = [
        *history[:2],
        commit(3, "x", ("p/a.py", 1, 0)),
        commit(4, "x", ("q/b.py", 1, 0)),
        commit(5, "x", ("q/b.py", 1, 0)),
    ]
    assert [
        p.degree
        for p in change_coupling(
            short, group_of, CochangeOptions(min_revs=1, min_shared_revs=1, max_coupling=57)
        )
    ] == [57]
    assert (
        change_coupling(
            short, group_of, CochangeOptions(min_revs=1, min_shared_revs=1, min_coupling=58)
        )
        == ()
    )


def test_code_maat_defaults_need_five_shared_commits() -> None:
    assert CochangeOptions() == CochangeOptions(5, 5, 30, 100, 30, None)
    four = [commit(n, "x", ("p/a.py", 1, 0), ("q/b.py", 1, 0)) for n in range(1, 5)]
    assert change_coupling(four, group_of) == ()
    five = [*four, commit(5, "x", ("p/a.py", 1, 0), ("q/b.py", 1, 0))]
    assert change_coupling(five, group_of) == (ChangeCoupling("p", "q", 5, 5, 5, 100, 1.0),)


def test_since_drops_older_commits_from_churn_and_coupling() -> None:
    recent = CochangeOptions(
        min_revs=1, min_shared_revs=1, min_coupling=0, max_changeset_size=3, since=4000
    )
    result = analyse_cochange(HISTORY, group_of, recent)
    assert (result.commits, result.commits_grouped, result.commits_too_large) == (5, 4, 1)
    # Commits 4, 6, 8 count for coupling: a {8}, b {4}, c {4, 6, 8}.
    # Both 1 / 2 * 100 = 50 with equal revisions: ties go by name.
    assert [(p.a, p.b, p.shared, p.degree) for p in result.coupling] == [
        ("a", "c", 1, 50),
        ("b", "c", 1, 50),
    ]
    assert [(c.group, c.revisions, c.first_change) for c in result.churn] == [
        ("c", 4, 4000),
        ("a", 2, 5000),
        ("b", 2, 4000),
    ]
    assert hotspots(HISTORY, group_of, since=4000) == result.churn


def test_files_that_map_to_no_group_are_ignored_entirely() -> None:
    only_tests = [commit(n, "x", ("tests/a.py", 1, 0), ("docs/b.md", 1, 0)) for n in (1, 2)]
    result = analyse_cochange(only_tests, group_of, LOOSE)
    assert (result.churn, result.coupling, result.commits, result.commits_grouped) == ((), (), 2, 0)


def test_two_files_of_one_group_in_a_commit_count_one_revision() -> None:
    history = [commit(1, "x", ("p/a.py", 1, 0), ("p/b.py", 2, 0), ("q/c.py", 1, 0))]
    [churn_p, churn_q] = hotspots(history, group_of)
    assert (churn_p.group, churn_p.revisions, churn_p.added, churn_q.revisions) == ("p", 1, 3, 1)
    assert change_coupling(history, group_of, LOOSE)[0].shared == 1


def test_group_of_is_asked_once_per_path() -> None:
    asked: list[str] = []

    def counting(path: str) -> str | None:
        asked.append(path)
        return group_of(path)

    analyse_cochange(HISTORY, counting, LOOSE)
    assert sorted(asked) == sorted({f.path for c in HISTORY for f in c.files})


def test_results_do_not_depend_on_commit_order() -> None:
    shuffled = list(HISTORY)
    random.Random(7).shuffle(shuffled)
    assert analyse_cochange(shuffled, group_of, LOOSE) == analyse_cochange(HISTORY, group_of, LOOSE)


def test_results_do_not_depend_on_the_hash_seed() -> None:
    script = (
        "from seamfinder.analysis.cochange import *\n"
        "from seamfinder.collect.history import Commit, FileChange\n"
        "names = ['g%d' % i for i in range(12)]\n"
        "commits = [Commit(str(n), n, 'x', tuple(FileChange(f'{g}/m.py', 1, 0) for g in sorted({names[n % 12], names[n * 7 % 12], names[n * 5 % 12]}))) for n in range(60)]\n"
        "opts = CochangeOptions(min_revs=1, min_shared_revs=1, min_coupling=0)\n"
        "print(analyse_cochange(commits, lambda p: p.split('/')[0], opts))\n"
    )
    outputs = set()
    for seed in ("0", "1"):
        env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(SRC)}
        done = subprocess.run(
            [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True
        )
        outputs.add(done.stdout)
    assert len(outputs) == 1


def test_lockstep_pairs_are_those_at_or_above_the_degree() -> None:
    pairs = change_coupling(HISTORY, group_of, LOOSE)
    assert [(p.a, p.b) for p in lockstep_pairs(pairs)] == [("a", "b")]  # 57 >= 50
    assert [(p.a, p.b) for p in lockstep_pairs(pairs, min_degree=33)] == [("a", "b"), ("b", "c")]
    assert lockstep_pairs(reversed(pairs), min_degree=0) == pairs  # sorted, strongest first


def test_cochange_edges_are_a_sorted_weighted_edge_list() -> None:
    pairs = change_coupling(HISTORY, group_of, LOOSE)
    assert cochange_edges(pairs) == (("a", "b", 0.57), ("a", "c", 0.28), ("b", "c", 0.33))
    assert cochange_edges(pairs, "shared") == (("a", "b", 2.0), ("a", "c", 1.0), ("b", "c", 1.0))
    assert cochange_edges(pairs, "jaccard") == (
        ("a", "b", 0.4),
        ("a", "c", 0.1667),
        ("b", "c", 0.2),
    )


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"min_revs": -1}, "min_revs must be >= 0"),
        ({"min_coupling": 80, "max_coupling": 50}, "min_coupling (80) is above max_coupling (50)"),
        ({"max_changeset_size": 0}, "max_changeset_size must be >= 1"),
    ],
)
def test_nonsense_options_are_refused(options: dict[str, int], message: str) -> None:
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        CochangeOptions(**options)


def test_max_groups_leaves_sweeping_commits_out_of_coupling_but_not_churn() -> None:
    def commit(n: int, *paths: str) -> Commit:
        return Commit(f"{n:040x}", n, "a", tuple(FileChange(p, 1, 0) for p in paths))

    commits = [
        commit(1, "a/x", "b/x"),
        commit(2, "a/x", "b/x", "c/x"),
        commit(3, "a/y", "b/y", "c/y"),
    ]
    narrow = CochangeOptions(min_revs=1, min_shared_revs=1, min_coupling=0, max_groups=2)
    result = analyse_cochange(commits, lambda p: p.split("/")[0], narrow)
    assert [(p.a, p.b, p.shared) for p in result.coupling] == [("a", "b", 1)]
    assert result.commits_too_large == 2
    assert {c.group: c.revisions for c in result.churn} == {"a": 3, "b": 3, "c": 2}
    with pytest.raises(ValueError, match="max_groups"):
        CochangeOptions(max_groups=1)
