"""The CI gate's verdict: the baseline, ``--diff`` and ``--strict`` applied to a report, and
the exit code that follows."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from seamfinder.app import baseline, gitdiff
from seamfinder.core.model import BaselineEntry, Finding, Report, Severity

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


@dataclass(frozen=True, slots=True)
class Gate:
    """What decides the exit code: the failure threshold, ``--exit-zero``, the baseline."""

    fail_on: str
    exit_zero: bool = False
    baseline_path: Path | None = None
    entries: tuple[BaselineEntry, ...] | None = None  # None: no baseline
    strict: bool = False
    changed: frozenset[str] | None = None  # --diff: the files changed since ...
    diff_base: str | None = None  # ... this revision


def exit_code(findings: Sequence[Finding], fail_on: str, exit_zero: bool) -> int:
    """0 or 1: whether a finding is at least as severe as ``fail_on``."""

    if exit_zero or fail_on == "never":
        return EXIT_CLEAN
    rank = max((f.severity.rank for f in findings), default=-1)
    return EXIT_FINDINGS if rank >= Severity(fail_on).rank else EXIT_CLEAN


def judge(report: Report, gate: Gate) -> tuple[Report, int]:
    """The report as ``check`` shows it (new findings only, touching the diff) and its code."""

    findings, status = report.findings, None
    if gate.entries is not None and gate.baseline_path is not None:
        ran = {rule.code for rule in report.rules}
        comparison = baseline.compare(findings, gate.entries, ran.__contains__)
        recorded = sum(e.count for e in gate.entries if e.code in ran)
        findings = comparison.new
        status = comparison.status(str(gate.baseline_path), recorded, gate.strict)
    if gate.changed is not None:
        findings = gitdiff.only_touching(findings, gate.changed)
    report = replace(report, findings=findings, baseline=status, changed_since=gate.diff_base)
    code = exit_code(report.findings, gate.fail_on, gate.exit_zero)
    if status is not None and status.strict and status.fixed and not gate.exit_zero:
        code = EXIT_FINDINGS
    return report, code


def rebaselined(report: Report, path: Path) -> tuple[BaselineEntry, ...]:
    """The entries to write: this run's findings, and the entries of rules it did not run
    kept as they were (a broken file is rewritten whole: that is how it gets fixed)."""

    ran = {rule.code for rule in report.rules}
    # A baseline of a newer format is refused, never rewritten: its entries would be lost.
    kept = baseline.kept_entries(path, ran.__contains__)
    return tuple(
        sorted((*kept, *baseline.entries_of(report.findings)), key=lambda e: (e.code, e.subjects))
    )
