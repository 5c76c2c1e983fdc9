"""Files changed since a git revision, from the git CLI (``check --diff BASE``).

"Changed" means changed on this branch, committed or not: the diff of the working tree
against the merge base of BASE and HEAD (BASE itself when there is none, as in a shallow
clone), plus untracked files that are not ignored. Paths come back relative to the
analysed folder, as findings have them; files outside it are left out.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterable
from pathlib import Path

from seamfinder.core.errors import SeamfinderError
from seamfinder.core.model import Finding


class GitError(SeamfinderError):
    """git is missing, the folder is not in a repository, or the revision is unknown."""


def changed_files(root: Path, base: str) -> frozenset[str]:
    """Paths relative to ``root`` (POSIX) of files changed since ``base``."""

    if not root.is_dir():
        raise GitError(f"{root}: no such directory")
    _git(root, "rev-parse", "--is-inside-work-tree", what=f"{root} is not in a git repository")
    revision = _git(
        root,
        "rev-parse",
        "--verify",
        "--quiet",
        "--end-of-options",
        f"{base}^{{commit}}",
        what=f"--diff {base}: no such git revision in {root}",
    ).strip()
    try:
        since = _git(root, "merge-base", revision, "HEAD", what="").strip() or revision
    except GitError:
        since = revision  # no common history, or no HEAD yet: compare with BASE itself
    # --relative: paths relative to (and limited to) the analysed folder, like findings.
    diff = _git(root, "diff", "--name-only", "--relative", "-z", since, "--", what="git diff")
    untracked = _git(root, "ls-files", "--others", "--exclude-standard", "-z", what="git ls-files")
    names = {name for name in (diff + untracked).split("\0") if name}
    return frozenset(names)


def touches(finding: Finding, paths: frozenset[str]) -> bool:
    """A finding touches a file if it is located there or has a related location there."""

    locations = ([finding.location] if finding.location else []) + list(finding.related)
    return any(loc.path in paths for loc in locations)


def only_touching(findings: Iterable[Finding], paths: frozenset[str]) -> tuple[Finding, ...]:
    return tuple(f for f in findings if touches(f, paths))


# The analysed repository's config can name programs that git runs for a diff (an
# fsmonitor hook; hooks): none of them runs. ``git status``-like commands read both.
_SAFE = ("-c", "core.fsmonitor=false", "-c", "core.hooksPath=/dev/null")


def _git(root: Path, *args: str, what: str) -> str:
    try:
        done = subprocess.run(
            ["git", *_SAFE, "-c", "core.quotepath=off", *args],
            cwd=root,
            capture_output=True,
            text=True,
            encoding="utf-8",
            errors="surrogateescape",
            check=False,
        )
    except FileNotFoundError:
        raise GitError("--diff needs git, and no git executable was found on PATH") from None
    except OSError as exc:
        raise GitError(f"cannot run git: {exc}") from None
    if done.returncode != 0:
        detail = done.stderr.strip().splitlines()[-1] if done.stderr.strip() else ""
        raise GitError(f"{what}{f' ({detail})' if detail and what else detail}")
    return done.stdout
