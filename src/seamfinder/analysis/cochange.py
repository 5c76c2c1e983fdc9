"""Change coupling and churn between groups of files (components, services), from history.

Pure functions over :class:`~seamfinder.collect.history.Commit` values: no I/O. A caller
supplies ``group_of(path) -> name | None``, which maps a path (relative to the analysed
root) to its component or service, or to ``None`` for a file that belongs to none (tests,
docs); ignored files play no part in any figure. A commit *touches* a group when it
changes at least one of the group's files.

Change coupling follows code-maat's ``coupling`` analysis (Adam Tornhill,
https://github.com/adamtornhill/code-maat at e745abe, 2024:
``src/code_maat/analysis/logical_coupling.clj`` and ``coupling_algos.clj``; defaults in
``src/code_maat/cmd_line.clj``), applied to groups as its ``--group`` option does:

- ``revisions(g)``: commits that touch ``g``; ``shared(a, b)``: commits that touch both.
  Both count only the commits within ``max_changeset_size``.
- ``degree = shared / average(revisions(a), revisions(b)) * 100``, truncated to an
  integer percent (``(int coupling)``). code-maat reads it as "each time a changes, the
  chance that b changes too"; exactly, it is the harmonic mean of shared / revisions(a)
  and shared / revisions(b). Computed here in integers, ``200 * shared // (revisions(a) +
  revisions(b))``, so that no rounding depends on floating point.
- A pair is reported when (``within-threshold?``): the *average* revisions of the pair is
  at least ``min_revs`` (code-maat compares the average, not each side); ``shared`` is at
  least ``min_shared_revs``; the exact degree is at least ``min_coupling``; the truncated
  degree is at most ``max_coupling``. Defaults as code-maat's: 5, 5, 30, 100.
- ``max_changeset_size`` (default 30): a commit that changes more files than this (bulk
  reformatting, mass renames, vendoring, translation updates) is left out of coupling.
  As with code-maat's ``--group``, the files counted are those mapped to a group, so
  ignored files (tests, docs) never make a commit "too large".

Also given, for reference: Jaccard similarity, ``shared / (revisions(a) + revisions(b) -
shared)``, the share of the commits touching either group that touch both.

Churn per group (code-maat's ``revisions``, ``entity-churn`` and ``authors`` analyses,
aggregated) counts every commit in the time window, large or not: a hotspot is where
work happens, and the size filter exists only to keep bulk commits from faking coupling.

Everything returned is sorted and built from sorted input, so results do not depend on
the order of the commits or on ``PYTHONHASHSEED``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from itertools import combinations
from typing import Literal

from seamfinder.collect.history import Commit
from seamfinder.core.model import ChangeCoupling, GroupChurn

GroupOf = Callable[[str], str | None]
EdgeWeight = Literal["degree", "shared", "jaccard"]

# code-maat's defaults (cmd_line.clj): --min-revs 5, --min-shared-revs 5,
# --min-coupling 30, --max-coupling 100, --max-changeset-size 30.
DEFAULT_MIN_REVS = 5
DEFAULT_MIN_SHARED_REVS = 5
DEFAULT_MIN_COUPLING = 30
DEFAULT_MAX_COUPLING = 100
DEFAULT_MAX_CHANGESET_SIZE = 30
# Half the time one side changes, the other must too: deployed separately, such a pair
# needs coordinated releases. A starting point for a rule's option, not a law.
DEFAULT_LOCKSTEP_DEGREE = 50


@dataclass(frozen=True, slots=True)
class CochangeOptions:
    """Thresholds of the coupling analysis; ``since`` also limits churn."""

    min_revs: int = DEFAULT_MIN_REVS  # of the pair's average revisions
    min_shared_revs: int = DEFAULT_MIN_SHARED_REVS
    min_coupling: int = DEFAULT_MIN_COUPLING  # percent
    max_coupling: int = DEFAULT_MAX_COUPLING  # percent
    max_changeset_size: int | None = DEFAULT_MAX_CHANGESET_SIZE  # files; None: no limit
    since: int | None = None  # epoch seconds: older commits (by author time) are ignored
    # Groups one commit may touch and still count for coupling (None: no limit). Sweeping
    # changes (a rename across every app) touch few files per group but many groups, and
    # slip under max_changeset_size; they say nothing about two groups in particular.
    max_groups: int | None = None

    def __post_init__(self) -> None:
        for name in ("min_revs", "min_shared_revs", "min_coupling", "max_coupling"):
            if getattr(self, name) < 0:
                raise ValueError(f"{name} must be >= 0, got {getattr(self, name)}")
        if self.min_coupling > self.max_coupling:
            raise ValueError(
                f"min_coupling ({self.min_coupling}) is above max_coupling ({self.max_coupling})"
            )
        if self.max_changeset_size is not None and self.max_changeset_size < 1:
            raise ValueError(f"max_changeset_size must be >= 1, got {self.max_changeset_size}")
        if self.max_groups is not None and self.max_groups < 2:
            raise ValueError(f"max_groups must be >= 2, got {self.max_groups}")


@dataclass(frozen=True, slots=True)
class Cochange:
    """Churn and coupling of one history, and how many commits each is based on."""

    churn: tuple[GroupChurn, ...]  # hotspots first: see :func:`hotspots`
    coupling: tuple[ChangeCoupling, ...]  # strongest first: see :func:`change_coupling`
    commits: int  # in the time window
    commits_grouped: int  # of those, touching at least one group
    commits_too_large: int  # of those, left out of coupling by max_changeset_size
    options: CochangeOptions
    commits_release: int = 0  # left out before the analysis: releases (analysis.releases)


@dataclass(frozen=True, slots=True)
class _Touch:
    """One commit as the groups see it."""

    time: int
    author: str
    files: int  # files mapped to a group
    lines: tuple[tuple[str, int, int], ...]  # (group, added, deleted), sorted by group

    @property
    def groups(self) -> tuple[str, ...]:
        return tuple(group for group, _, _ in self.lines)


def analyse_cochange(
    commits: Iterable[Commit], group_of: GroupOf, options: CochangeOptions | None = None
) -> Cochange:
    """Churn per group and coupling per pair of groups, from one pass over the commits."""

    options = options or CochangeOptions()
    window = _window(commits, options.since)
    touches = _touches(window, group_of)
    too_large = sum(1 for t in touches if _too_large(t, options))
    return Cochange(
        churn=_churn(touches),
        coupling=_coupling(touches, options),
        commits=len(window),
        commits_grouped=len(touches),
        commits_too_large=too_large,
        options=options,
    )


def hotspots(
    commits: Iterable[Commit], group_of: GroupOf, since: int | None = None
) -> tuple[GroupChurn, ...]:
    """Churn per group, most revisions first (then most lines changed, then by name)."""

    return _churn(_touches(_window(commits, since), group_of))


def change_coupling(
    commits: Iterable[Commit], group_of: GroupOf, options: CochangeOptions | None = None
) -> tuple[ChangeCoupling, ...]:
    """Pairs within the thresholds, strongest first.

    Sorted as code-maat sorts (degree, then average revisions, descending), then by more
    shared commits, then by name.
    """

    options = options or CochangeOptions()
    return _coupling(_touches(_window(commits, options.since), group_of), options)


def lockstep_pairs(
    coupling: Iterable[ChangeCoupling], min_degree: int = DEFAULT_LOCKSTEP_DEGREE
) -> tuple[ChangeCoupling, ...]:
    """Pairs whose degree is at least ``min_degree``: they change in lockstep.

    Between services, such a pair is a distributed monolith's signature (one cannot be
    released without the other); between components, a seam drawn in the wrong place.
    The other thresholds are those the pairs were computed with.
    """

    chosen = [pair for pair in coupling if pair.degree >= min_degree]
    return tuple(sorted(chosen, key=_strength))


def cochange_edges(
    coupling: Iterable[ChangeCoupling], weight: EdgeWeight = "degree"
) -> tuple[tuple[str, str, float], ...]:
    """``(a, b, weight)`` per pair, sorted by name: ``networkx``'s weighted edge list.

    ``degree`` gives degree / 100 and ``jaccard`` the Jaccard similarity, both in [0, 1];
    ``shared`` the count of shared commits. For seam discovery compute the pairs with loose
    thresholds (say ``min_revs=1, min_shared_revs=2, min_coupling=0``): weak co-change
    is still evidence that two groups belong together.
    """

    edges: list[tuple[str, str, float]] = []
    for pair in coupling:
        if weight == "degree":
            value = pair.degree / 100
        elif weight == "jaccard":
            value = pair.jaccard
        else:
            value = float(pair.shared)
        edges.append((pair.a, pair.b, value))
    return tuple(sorted(edges))


def _window(commits: Iterable[Commit], since: int | None) -> list[Commit]:
    return [c for c in commits if since is None or c.author_time >= since]


def _touches(commits: Sequence[Commit], group_of: GroupOf) -> list[_Touch]:
    """The commits that touch a group, each reduced to its groups and their line counts."""

    cache: dict[str, str | None] = {}  # group_of may be costly; paths repeat a lot
    touches: list[_Touch] = []
    for commit in commits:  # every figure is a count: the order does not matter
        lines: dict[str, tuple[int, int]] = {}
        files = 0
        for change in commit.files:
            if change.path not in cache:
                cache[change.path] = group_of(change.path)
            group = cache[change.path]
            if group is None:
                continue
            files += 1
            added, deleted = lines.get(group, (0, 0))
            lines[group] = (added + change.added, deleted + change.deleted)
        if lines:
            per_group = tuple((g, a, d) for g, (a, d) in sorted(lines.items()))
            touches.append(_Touch(commit.author_time, commit.author, files, per_group))
    return touches


def _churn(touches: Sequence[_Touch]) -> tuple[GroupChurn, ...]:
    revisions: dict[str, int] = {}
    added: dict[str, int] = {}
    deleted: dict[str, int] = {}
    authors: dict[str, set[str]] = {}
    first: dict[str, int] = {}
    last: dict[str, int] = {}
    for touch in touches:
        for group, plus, minus in touch.lines:
            revisions[group] = revisions.get(group, 0) + 1
            added[group] = added.get(group, 0) + plus
            deleted[group] = deleted.get(group, 0) + minus
            authors.setdefault(group, set()).add(touch.author)
            first[group] = min(first.get(group, touch.time), touch.time)
            last[group] = max(last.get(group, touch.time), touch.time)
    churn = [
        GroupChurn(
            group=group,
            revisions=revisions[group],
            added=added[group],
            deleted=deleted[group],
            authors=len(authors[group]),
            first_change=first[group],
            last_change=last[group],
        )
        for group in revisions
    ]
    return tuple(sorted(churn, key=lambda c: (-c.revisions, -c.churn, c.group)))


def _too_large(touch: _Touch, options: CochangeOptions) -> bool:
    files, groups = options.max_changeset_size, options.max_groups
    return (files is not None and touch.files > files) or (
        groups is not None and len(touch.lines) > groups
    )


def _coupling(touches: Sequence[_Touch], options: CochangeOptions) -> tuple[ChangeCoupling, ...]:
    revisions: dict[str, int] = {}
    shared: dict[tuple[str, str], int] = {}
    for touch in touches:
        if _too_large(touch, options):
            continue
        groups = touch.groups  # sorted, so every pair comes out as (a, b) with a < b
        for group in groups:
            revisions[group] = revisions.get(group, 0) + 1
        for pair in combinations(groups, 2):
            shared[pair] = shared.get(pair, 0) + 1
    found: list[ChangeCoupling] = []
    for (a, b), both in shared.items():
        total = revisions[a] + revisions[b]  # twice the average: keeps the sums in integers
        degree = 200 * both // total
        if (
            total >= 2 * options.min_revs
            and both >= options.min_shared_revs
            and 200 * both >= options.min_coupling * total
            and degree <= options.max_coupling
        ):
            jaccard = round(both / (total - both), 4)
            found.append(ChangeCoupling(a, b, both, revisions[a], revisions[b], degree, jaccard))
    return tuple(sorted(found, key=_strength))


def _strength(pair: ChangeCoupling) -> tuple[int, int, int, str, str]:
    return (-pair.degree, -(pair.revisions_a + pair.revisions_b), -pair.shared, pair.a, pair.b)
