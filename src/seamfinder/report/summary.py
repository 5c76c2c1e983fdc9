"""The one or two lines ``check`` always prints: the count, and the delta to the baseline.

Shared by the terminal and Markdown reporters and by the CLI (which sends them to stderr
when stdout carries a machine format), so that every place says the same thing.
"""

from __future__ import annotations

from seamfinder.core.model import BaselineStatus, Finding, Report, Severity


def counts(findings: tuple[Finding, ...]) -> str:
    """``3 findings (1 error, 2 warnings)``, or ``no findings``."""

    if not findings:
        return "no findings"
    by_severity = [
        (severity, sum(1 for f in findings if f.severity is severity))
        for severity in (Severity.ERROR, Severity.WARNING, Severity.INFO)
    ]
    parts = ", ".join(
        f"{n} {s.value}{'s' if n != 1 and s is not Severity.INFO else ''}"
        for s, n in by_severity
        if n
    )
    return f"{len(findings)} finding{'s' if len(findings) != 1 else ''} ({parts})"


def baseline_delta(status: BaselineStatus) -> str:
    """``baseline seamfinder-baseline.json: 1 new, 9 known, 2 fixed (of 11 recorded)``."""

    text = (
        f"baseline {status.path}: {status.new} new, {status.known} known, "
        f"{status.fixed_count} fixed (of {status.recorded} recorded)"
    )
    if status.fixed_count:
        if status.strict:
            text += "; --strict: fails until `seamfinder baseline` rewrites it"
        else:
            text += "; run `seamfinder baseline` to shrink it"
    return text


def summary_lines(report: Report) -> list[str]:
    scope = f" in files changed since {report.changed_since}" if report.changed_since else ""
    lines = [f"seamfinder: {counts(report.findings)}{scope}"]
    if report.baseline is not None:
        lines.append(f"seamfinder: {baseline_delta(report.baseline)}")
    return lines
