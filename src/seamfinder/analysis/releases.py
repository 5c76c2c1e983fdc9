"""Release commits: version bumps that touch every service at once and say nothing of design.

A release ("release 1.4", "bump versions", "v2.0.1") changes the version of every service
in one commit, week after week: counted as co-change it makes independent services look
released in lockstep, which is the very thing it is not evidence of. A commit is a release
when its subject matches one of the message patterns, or when every file it changes is a
version file or a lock file (matched on the file's name, with shell wildcards). Both lists
are configurable (``release-messages`` and ``release-files`` in
``[tool.seamfinder.history]``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from fnmatch import fnmatchcase

from seamfinder.collect.history import Commit


def release_commits(
    commits: Iterable[Commit], messages: Iterable[str], files: Iterable[str]
) -> frozenset[str]:
    """The shas of the commits that are releases (see the module docstring)."""

    patterns = [re.compile(text, re.I) for text in messages]
    names = tuple(files)
    found = set()
    for commit in commits:
        by_message = any(p.search(commit.subject) for p in patterns)
        if by_message or (
            commit.files
            and all(
                any(fnmatchcase(change.path.rsplit("/", 1)[-1], name) for name in names)
                for change in commit.files
            )
        ):
            found.add(commit.sha)
    return frozenset(found)
