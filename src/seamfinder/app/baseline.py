"""The baseline: the findings a team accepts for now, so that CI fails only on new ones.

Findings are keyed by fingerprint (code + subjects, never a line number), so that edits
elsewhere in a file move nothing. Several sites may share a fingerprint (two import
statements between the same two modules), so each entry keeps a count: a third site is
new, and one site fewer is one fixed. The file is sorted JSON with no timestamps, meant to
be committed and reviewed: it may only shrink (``check --strict`` fails while it holds
entries that no longer occur).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from seamfinder.core.errors import SeamfinderError
from seamfinder.core.model import BaselineEntry, BaselineStatus, Finding

BASELINE_VERSION = 1
DEFAULT_BASELINE = "seamfinder-baseline.json"


class BaselineError(SeamfinderError):
    """A baseline file that cannot be read: the run fails (exit 2) rather than guess."""


class NewerBaseline(BaselineError):
    """A baseline of a newer format: never rewritten (its entries would be lost)."""


@dataclass(frozen=True, slots=True)
class Comparison:
    """This run's findings against a baseline."""

    new: tuple[Finding, ...]  # above the recorded count for their fingerprint
    known: tuple[Finding, ...]  # accounted for by the baseline
    fixed: tuple[BaselineEntry, ...]  # recorded but gone, with how many are gone

    def status(self, path: str, recorded: int, strict: bool) -> BaselineStatus:
        return BaselineStatus(
            path=path,
            recorded=recorded,
            known=len(self.known),
            new=len(self.new),
            fixed=self.fixed,
            strict=strict,
        )


def entries_of(findings: Iterable[Finding]) -> tuple[BaselineEntry, ...]:
    """One entry per fingerprint, sorted by code and subjects; the first message is kept."""

    ordered = sorted(findings, key=Finding.sort_key)
    counts = Counter(f.fingerprint for f in ordered)
    first: dict[str, Finding] = {}
    for finding in ordered:
        first.setdefault(finding.fingerprint, finding)
    entries = [
        BaselineEntry(f.code, f.rule, f.subjects, f.message, counts[key])
        for key, f in first.items()
    ]
    return tuple(sorted(entries, key=lambda e: (e.code, e.subjects)))


def render(entries: Sequence[BaselineEntry]) -> str:
    document = {
        "version": BASELINE_VERSION,
        "tool": "seamfinder",
        "findings": [
            {
                "code": e.code,
                "rule": e.rule,
                "subjects": list(e.subjects),
                "fingerprint": e.fingerprint,
                "count": e.count,
                "message": e.message,
            }
            for e in entries
        ],
    }
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def write(path: Path, entries: Sequence[BaselineEntry]) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(render(entries), encoding="utf-8")
    except OSError as exc:
        raise BaselineError(f"cannot write the baseline {path}: {exc.strerror or exc}") from None


def load(path: Path, shown: str) -> tuple[BaselineEntry, ...]:
    """Read a baseline file; any problem is a :class:`BaselineError` naming the file."""

    if path.exists() and not path.is_file():  # a FIFO would block the read forever
        raise BaselineError(f"{shown}: not a regular file")
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise BaselineError(
            f"{shown}: no such baseline file (create it with `seamfinder baseline`)"
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise BaselineError(f"{shown}: cannot read the baseline: {exc}") from None
    try:
        return _parse(json.loads(text))
    except json.JSONDecodeError as exc:
        raise BaselineError(f"{shown}: not a seamfinder baseline: invalid JSON: {exc}") from None
    except RecursionError:
        raise BaselineError(f"{shown}: not a seamfinder baseline: nested too deeply") from None
    except NewerBaseline as exc:
        raise NewerBaseline(
            f"{shown}: not a seamfinder baseline this one can read: {exc}"
        ) from None
    except (KeyError, TypeError, ValueError) as exc:
        raise BaselineError(f"{shown}: not a seamfinder baseline: {exc}") from None


def _parse(document: Any) -> tuple[BaselineEntry, ...]:
    if not isinstance(document, dict) or document.get("tool") != "seamfinder":
        raise ValueError('expected an object with "tool": "seamfinder"')
    version = document.get("version")
    if isinstance(version, int) and not isinstance(version, bool) and version > BASELINE_VERSION:
        raise NewerBaseline(
            f"version {version}, written by a newer seamfinder (this one reads "
            f"{BASELINE_VERSION}): upgrade seamfinder; the file was left as it is"
        )
    if version != BASELINE_VERSION:
        raise ValueError(
            f"version {document.get('version')!r}; this seamfinder reads {BASELINE_VERSION}"
        )
    findings = document.get("findings")
    if not isinstance(findings, list):
        raise ValueError('"findings" must be a list')
    counts: Counter[tuple[str, tuple[str, ...]]] = Counter()
    details: dict[tuple[str, tuple[str, ...]], tuple[str, str]] = {}
    for index, item in enumerate(findings):
        where = f"findings[{index}]"
        if not isinstance(item, dict):
            raise ValueError(f"{where}: expected an object")
        code, subjects, count = item.get("code"), item.get("subjects"), item.get("count", 1)
        if not isinstance(code, str) or not code:
            raise ValueError(f"{where}.code: expected a rule code")
        if not isinstance(subjects, list) or not all(isinstance(s, str) for s in subjects):
            raise ValueError(f"{where}.subjects: expected a list of strings")
        if isinstance(count, bool) or not isinstance(count, int) or count < 1:
            raise ValueError(f"{where}.count: expected an integer >= 1")
        # The fingerprint is recomputed from code and subjects: a hand-edited or older file
        # cannot disagree with the findings it describes.
        key = (code, tuple(subjects))
        counts[key] += count
        details.setdefault(key, (str(item.get("rule", "")), str(item.get("message", ""))))
    return tuple(
        BaselineEntry(code, details[(code, subjects)][0], subjects, details[(code, subjects)][1], n)
        for (code, subjects), n in sorted(counts.items())
    )


def kept_entries(path: Path, ran: Callable[[str], bool]) -> tuple[BaselineEntry, ...]:
    """What a rewrite of ``path`` keeps: the entries of rules this run did not evaluate.

    A file that cannot be read is rewritten whole (that is how a broken one gets fixed),
    except one of a newer format: that is refused, never overwritten.
    """

    if not path.is_file():
        return ()
    try:
        return tuple(e for e in load(path, str(path)) if not ran(e.code))
    except NewerBaseline:
        raise
    except BaselineError:
        return ()


def compare(
    findings: Sequence[Finding],
    entries: Sequence[BaselineEntry],
    judged: Callable[[str], bool] = lambda code: True,
) -> Comparison:
    """Split findings into new and known; list what the baseline holds that is gone.

    ``judged(code)`` says whether the code's rule ran: entries of rules that did not run
    (``--select``) are neither fixed nor matched. When a fingerprint has more findings than
    the baseline records, the last ones in report order count as new: the file cannot say
    which of several equal findings is the newcomer, and a stable choice keeps output
    deterministic.
    """

    allowed = {e.fingerprint: e.count for e in entries if judged(e.code)}
    seen: Counter[str] = Counter()
    new: list[Finding] = []
    known: list[Finding] = []
    for finding in sorted(findings, key=Finding.sort_key):
        key = finding.fingerprint
        seen[key] += 1
        (known if seen[key] <= allowed.get(key, 0) else new).append(finding)
    fixed = tuple(
        BaselineEntry(e.code, e.rule, e.subjects, e.message, e.count - seen[e.fingerprint])
        for e in entries
        if judged(e.code) and seen[e.fingerprint] < e.count
    )
    return Comparison(tuple(new), tuple(known), fixed)
