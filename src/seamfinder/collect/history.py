"""The commit history of the analysed folder, read from the git CLI, as frozen values.

One ``git log`` process streams every non-merge commit that touches the folder, with the
files it changed and their line counts; nothing else is read, nothing goes on the
network, and no git library is needed. What git is asked for, and why:

- ``--relative`` with the pathspec ``.`` run from the analysed folder: git itself keeps
  only the files under that folder and prints them relative to it, so a subfolder of a
  work tree is analysed as if it were the whole repository (a file moved in from outside
  counts as added, one moved out as deleted).
- ``--find-renames``: a renamed file is reported once, under its new path; without it a
  move between two folders would look like a change to both. Renames are then followed
  back in time (``--topo-order`` lists children first): every path is given the name its
  file has in the newest commit read, so that years of history before a move (``oscar/``
  to ``src/oscar/``) still map onto today's components.
- ``--no-merges``: a merge repeats changes its parents already made.
- ``--full-history``: git's default history simplification can skip commits on a side
  branch whose changes a merge discarded; they were still made together.
- ``-z`` with a ``%x1e``/``%x1f`` record format: paths come out unquoted and the stream
  splits on NUL without ambiguity, whatever a path contains.

Line counts need every changed file's content. A clone that lacks some (a partial clone,
or a mirror that dropped its largest files) makes ``--numstat`` fail: the history is then
read again with ``--raw``, which needs no content (renames are then only those whose
content did not change), and :attr:`History.note` says that lines are not counted.

Failures are values (:class:`HistoryUnavailable`), never exceptions: no git, not a
repository, a shallow clone (its history is truncated, so co-change would be wrong), no
commits. Authors are pseudonymous: a short hash of the (mailmapped) e-mail address, enough
to count distinct authors without carrying personal data into reports.
"""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

RECORD = b"\x1e"  # starts each commit's header
FIELD = b"\x1f"  # separates the header's fields
HEADER_FORMAT = "--format=%x1e%H%x1f%at%x1f%aE%x1f%aN%x1f%s"
# Dependency bots touch every service's lock file in one commit, week after week: their
# commits are real co-change but say nothing about design, so they are not read.
BOT = re.compile(
    rb"\[bot\]|dependabot|renovate|pre-commit-ci|github-actions|greenkeeper|snyk-bot", re.I
)
READ_SIZE = 1 << 16

# Settings a user's git config could set that would change what ``git log`` prints, pinned.
GIT_CONFIG = (
    "log.showRoot=true",  # the first commit's files are changes too
    "log.showSignature=false",  # signature output would land in the stream
    "log.follow=false",  # ``--follow`` on the single pathspec "." would break the walk
    "diff.relative=false",  # ``--relative`` is passed explicitly
    "protocol.allow=never",  # a partial clone must not fetch missing objects: no network
    # The analysed repository's own config names programs git would run: never run them.
    "core.fsmonitor=false",
    "core.hooksPath=/dev/null",
)


@dataclass(frozen=True, slots=True, order=True)
class FileChange:
    """One file changed by a commit; ``added``/``deleted`` are 0 for binary files."""

    path: str  # relative to the analysed root, POSIX; the newest name when renames are followed
    added: int
    deleted: int


@dataclass(frozen=True, slots=True)
class Commit:
    """A non-merge commit that touches the analysed root, with its changes there only."""

    sha: str
    author_time: int  # seconds since the epoch (the author date, not the commit date)
    author: str  # pseudonym: a hash of the author's e-mail, stable across runs
    files: tuple[FileChange, ...]  # sorted by path, each path once
    subject: str = ""  # the first line of the message (release commits are told by it)


@dataclass(frozen=True, slots=True)
class History:
    """The commits of the analysed root, oldest first (sorted by author time, then sha)."""

    commits: tuple[Commit, ...]
    head: str  # the commit HEAD pointed to: a cache key for whatever is computed from this
    line_counts: bool = True  # False: every added/deleted is 0 (see ``note``)
    note: str = ""  # why the history is less than complete, one line; "" when it is not


@dataclass(frozen=True, slots=True)
class HistoryUnavailable:
    """Why no history could be read, as one line a report can show."""

    reason: str


def read_history(
    root: Path,
    *,
    since: str | None = None,
    max_commits: int | None = None,
    paths: tuple[str, ...] = (),
    line_counts: bool = True,
    follow_renames: bool = True,
) -> History | HistoryUnavailable:
    """Read the history of ``root`` (a git work tree or any folder inside one).

    ``since`` is any date git understands ("2023-01-01", "2 years ago"); git applies it to
    the commit date. ``max_commits`` keeps the most recent N commits that touch the root.
    ``paths`` are git pathspecs relative to ``root`` (``("*.py",)``: Python files only);
    by default every file under it. ``line_counts=False`` reads no file content at all:
    much faster on a long history, with every ``added``/``deleted`` 0.
    ``follow_renames`` names each file as the newest commit read names it, so that the
    history of a file before a move maps onto today's layout.
    """

    if max_commits is not None and max_commits < 1:
        raise ValueError(f"max_commits must be at least 1, got {max_commits}")
    if not root.is_dir():
        return HistoryUnavailable(f"no git history: {root} is not a folder")
    state = _git_state(root)
    if isinstance(state, HistoryUnavailable):
        return state
    limits = [f"--since={since}"] if since else []
    if max_commits is not None:
        limits.append(f"--max-count={max_commits}")
    pathspecs = list(paths) if paths else ["."]
    note = ""
    if line_counts:
        # The algorithm is pinned: a user's diff.algorithm would change the line counts.
        numstat = ["--find-renames", "--numstat", "--no-textconv", "--diff-algorithm=myers"]
        read = _log(root, numstat, limits, pathspecs, follow_renames)
        if isinstance(read, tuple):
            return History(read, state)
        note = f"line counts unavailable: {read.reason}"
    # -M100%: exact renames only, which git finds by object id without reading content.
    read = _log(root, ["-M100%", "--raw"], limits, pathspecs, follow_renames)
    if isinstance(read, HistoryUnavailable):
        return read
    return History(read, state, line_counts=False, note=note)


def _git_state(root: Path) -> str | HistoryUnavailable:
    """The sha of HEAD, or why the folder's history cannot be read."""

    done = _run(root, "rev-parse", "--is-inside-work-tree", "--is-shallow-repository")
    if isinstance(done, HistoryUnavailable):
        return done
    if done.returncode != 0:
        return HistoryUnavailable(f"no git history: {root} is not in a git repository")
    inside, _, shallow = done.stdout.decode("utf-8", "replace").partition("\n")
    if inside.strip() != "true":
        return HistoryUnavailable(f"no git history: {root} is not in a git work tree")
    if shallow.strip() == "true":
        return HistoryUnavailable(
            "no git history: this is a shallow clone, whose history is truncated "
            "(run `git fetch --unshallow`, or check out with fetch-depth: 0)"
        )
    done = _run(root, "rev-parse", "--verify", "--quiet", "HEAD^{commit}")
    if isinstance(done, HistoryUnavailable):
        return done
    if done.returncode != 0:
        return HistoryUnavailable("no git history: the repository has no commits yet")
    return done.stdout.decode("ascii", "replace").strip()


def _run(root: Path, *args: str) -> subprocess.CompletedProcess[bytes] | HistoryUnavailable:
    try:
        return subprocess.run(
            _command(root, args),
            capture_output=True,
            stdin=subprocess.DEVNULL,
            env=_environment(),
            check=False,
        )
    except FileNotFoundError:
        return HistoryUnavailable("no git history: git is not installed (not found on PATH)")
    except OSError as exc:
        return HistoryUnavailable(f"no git history: cannot run git ({exc})")


def _log(
    root: Path, mode: list[str], limits: list[str], pathspecs: list[str], follow_renames: bool
) -> tuple[Commit, ...] | HistoryUnavailable:
    args = [
        "log",
        "--no-merges",
        "--full-history",
        "--topo-order",  # children before parents: renames are followed back in time
        "--relative",
        "--no-color",
        "--no-ext-diff",
        "-z",
        HEADER_FORMAT,
        *mode,
        *limits,
        "--",
        *pathspecs,
    ]
    # stderr goes to a file: git may warn once per commit (rename limits), and a pipe
    # nobody reads while stdout streams would fill up and stall it.
    with tempfile.TemporaryFile() as errors:
        try:
            process = subprocess.Popen(
                _command(root, args),
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=errors,
                env=_environment(),
            )
        except FileNotFoundError:
            return HistoryUnavailable("no git history: git is not installed (not found on PATH)")
        except OSError as exc:
            return HistoryUnavailable(f"no git history: cannot run git ({exc})")
        assert process.stdout is not None
        with process:
            commits = parse_log(
                _tokens(process.stdout), raw="--raw" in mode, follow_renames=follow_renames
            )
            returncode = process.wait()
        errors.seek(0)
        error = errors.read()
    if returncode != 0:
        return HistoryUnavailable(f"git log failed: {_error_line(error, returncode)}")
    return commits


def _error_line(stderr: bytes, returncode: int) -> str:
    """git's own reason: its last fatal/error line (warnings may follow or precede it)."""

    lines = [line.strip() for line in stderr.decode("utf-8", "replace").splitlines()]
    for line in reversed(lines):
        for prefix in ("fatal: ", "error: "):
            if line.startswith(prefix):
                return line.removeprefix(prefix)
    return next((line for line in reversed(lines) if line), f"exit status {returncode}")


def _command(root: Path, args: Iterable[str]) -> list[str]:
    pinned = [part for setting in GIT_CONFIG for part in ("-c", setting)]
    return ["git", "-C", str(root), *pinned, *args]


def _environment() -> dict[str, str]:
    env = dict(os.environ)
    env["LC_ALL"] = "C"  # error messages in English, whatever the locale
    env["GIT_TERMINAL_PROMPT"] = "0"  # never wait for a password
    env["GIT_NO_LAZY_FETCH"] = "1"  # git >= 2.44: a partial clone does not fetch objects
    env.pop("GIT_DIR", None)  # the folder decides the repository, not the caller's shell
    env.pop("GIT_WORK_TREE", None)
    return env


def _tokens(stream: IO[bytes]) -> Iterator[bytes]:
    """The NUL-separated fields of ``git log -z``, read as they arrive."""

    tail = b""
    while chunk := stream.read(READ_SIZE):
        parts = (tail + chunk).split(b"\0")
        tail = parts.pop()
        yield from parts
    if tail:
        yield tail


def parse_log(
    tokens: Iterable[bytes], *, raw: bool = False, follow_renames: bool = True
) -> tuple[Commit, ...]:
    """Commits from the NUL-separated output of ``git log -z`` in this module's format.

    Each commit is a header field (RS sha US author-time US e-mail US name US subject), then
    one field per file: ``added TAB deleted TAB path`` for ``--numstat`` (``-`` counts for a
    binary file; an empty path means a rename whose old and new paths are the next two
    fields), or ``:modes ids STATUS`` followed by the path (two paths for a rename or copy)
    for ``--raw``. Git puts a newline between a header and its first file; a path is never
    stripped, since it may itself begin with one. Commits without files, and commits by
    dependency bots (:data:`BOT`), are dropped.

    ``tokens`` must come newest first (``--topo-order``) for ``follow_renames``: each path
    is then replaced by the name its file has in the newest commit read, so that old
    commits map onto today's layout.
    """

    entries = list(_entries(tokens, raw))
    if follow_renames:
        _follow_renames(entries)
    commits = [
        Commit(
            entry.sha,
            entry.time,
            entry.author,
            tuple(FileChange(path, a, d) for path, (a, d) in sorted(entry.changes.items())),
            entry.subject,
        )
        for entry in entries
        if entry.changes and not entry.bot  # renames by bots still count, above
    ]
    commits.sort(key=lambda c: (c.author_time, c.sha))
    return tuple(commits)


@dataclass(slots=True)
class _Entry:
    """A commit being read: its changes by path and the renames it made (old, new)."""

    sha: str
    time: int
    author: str
    bot: bool = False
    subject: str = ""
    changes: dict[str, tuple[int, int]] = field(default_factory=dict)
    renames: list[tuple[str, str]] = field(default_factory=list)

    def add(self, path: str, added: int, deleted: int) -> None:
        old_added, old_deleted = self.changes.get(path, (0, 0))
        self.changes[path] = (old_added + added, old_deleted + deleted)


def _entries(tokens: Iterable[bytes], raw: bool) -> Iterator[_Entry]:
    entry: _Entry | None = None
    paths: list[str] = []  # the paths of the file entry being read
    expected = 0  # how many paths that entry has
    is_rename = False
    added = deleted = 0
    for token in tokens:
        if expected:
            paths.append(token.decode("utf-8", "surrogateescape"))
            if len(paths) == expected:
                expected = 0
                if entry is not None:
                    entry.add(paths[-1], added, deleted)
                    if is_rename:
                        entry.renames.append((paths[0], paths[-1]))
            continue
        text = token[1:] if token.startswith(b"\n") else token
        if text.startswith(RECORD):
            if entry is not None:
                yield entry
            parts = text[1:].split(FIELD, 4)  # the subject is last: whatever it holds
            sha = parts[0].decode("ascii", "replace")
            when = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else 0
            email = parts[2] if len(parts) > 2 else b""
            name = parts[3] if len(parts) > 3 else b""
            subject = parts[4].decode("utf-8", "replace").strip() if len(parts) > 4 else ""
            bot = bool(BOT.search(email + b" " + name))
            entry = _Entry(sha, when, _pseudonym(email), bot, subject)
        elif raw and text.startswith(b":"):
            status = text.rsplit(b" ", 1)[-1][:1]
            added = deleted = 0
            is_rename = status == b"R"
            expected = 2 if status in (b"R", b"C") else 1
            paths = []
        elif not raw and text:
            counts = text.split(b"\t", 2)
            if len(counts) != 3:
                continue  # nothing git prints in this format; skip rather than guess
            added = int(counts[0]) if counts[0].isdigit() else 0  # "-": binary
            deleted = int(counts[1]) if counts[1].isdigit() else 0
            if counts[2]:
                if entry is not None:
                    entry.add(counts[2].decode("utf-8", "surrogateescape"), added, deleted)
            else:
                is_rename, expected, paths = True, 2, []
    if entry is not None:
        yield entry


def _follow_renames(entries: list[_Entry]) -> None:
    """Rename every path to its newest name, walking from the newest commit back.

    A rename old -> new in a commit means that, in older commits, ``old`` is the file
    now called whatever ``new`` became. Walking back in time keeps a path reused after a
    rename right (a new file at ``old``, created after the move, is not the moved file).
    The one case it gets wrong: a file deleted, its path reused by a file that is later
    renamed; the deleted file then takes the later name too.
    """

    newest: dict[str, str] = {}  # a path as older commits name it -> its newest name
    for entry in entries:
        if newest:
            renamed: dict[str, tuple[int, int]] = {}
            for path, (added, deleted) in entry.changes.items():
                target = newest.get(path, path)
                old_added, old_deleted = renamed.get(target, (0, 0))
                renamed[target] = (old_added + added, old_deleted + deleted)
            entry.changes = renamed
        for old, new in entry.renames:
            newest[old] = newest.get(new, new)


def _pseudonym(email: bytes) -> str:
    return hashlib.sha256(email.strip().lower()).hexdigest()[:12]
