"""Markdown for a pull-request comment or a job summary (``$GITHUB_STEP_SUMMARY``).

The count first, then the baseline delta, then a table of findings, then what the
baseline holds that is gone, then the component graph as a folded Mermaid block. Long
runs are cut to a readable table (a PR comment has a size limit); every finding stays in
the machine formats. Text from the analysed code is escaped so that it cannot break the
table or inject markup.
"""

from __future__ import annotations

from seamfinder.core.model import ROOT_COMPONENT, Finding, Report
from seamfinder.report import mermaid
from seamfinder.report.paths import joined, prefix_of
from seamfinder.report.summary import baseline_delta, counts

MAX_ROWS = 100
# GitHub cuts a comment at 65,536 characters; the graph may take about a third of that.
MAX_GRAPH = 20_000


def render(report: Report) -> str:
    real = [c for c in report.components if c.name != ROOT_COMPONENT]
    out = [f"## seamfinder: {counts(report.findings)}", ""]
    scope = (
        f" Only findings that touch files changed since `{_code(report.changed_since)}`."
        if report.changed_since
        else ""
    )
    out.append(
        f"Analysed `{_code(report.root)}`: {report.stats.files_seen} files, "
        f"{len(real)} component{'s' if len(real) != 1 else ''}, {len(report.cycles)} "
        f"cycle{'s' if len(report.cycles) != 1 else ''}.{scope}"
    )
    out.append("")
    if report.baseline is not None:
        out += [f"**Baseline:** {_cell(baseline_delta(report.baseline))}.", ""]
    if report.findings:
        out += [
            "| severity | code | rule | location | message |",
            "| --- | --- | --- | --- | --- |",
        ]
        prefix = prefix_of(report.root)
        out += [_row(finding, prefix) for finding in report.findings[:MAX_ROWS]]
        hidden = len(report.findings) - MAX_ROWS
        if hidden > 0:
            out += ["", f"… and {hidden} more (all of them in the JSON or SARIF output)."]
        out.append("")
    if report.baseline is not None and report.baseline.fixed:
        out += [
            f"<details><summary>Fixed since the baseline ({report.baseline.fixed_count})</summary>",
            "",
            "| code | rule | subjects | fixed | message |",
            "| --- | --- | --- | --- | --- |",
        ]
        out += [
            f"| {e.code} | {e.rule} | {_cell(', '.join(e.subjects))} | {e.count} | "
            f"{_cell(e.message)} |"
            for e in report.baseline.fixed
        ]
        out += ["", "</details>", ""]
    out += _graph(report)
    return "\n".join(out).rstrip("\n") + "\n"


def _graph(report: Report) -> list[str]:
    """The component graph (and the service graph) as a Mermaid block, folded."""

    if not report.dependencies and report.services is None:
        return []
    chart = mermaid.render(report)
    if len(chart) > MAX_GRAPH:
        return [
            f"The component graph is too large for a comment: `seamfinder analyze "
            f"{_code(report.root)} --format mermaid` writes it.",
            "",
        ]
    return [
        "<details><summary>Component graph</summary>",
        "",
        "```mermaid",
        chart.rstrip("\n"),
        "```",
        "",
        "</details>",
        "",
    ]


def _row(finding: Finding, prefix: str) -> str:
    loc = finding.location
    # Paths as in the repository (PATH joined in front), where a reviewer looks for them.
    where = f"`{_code(f'{joined(prefix, loc.path)}:{loc.line}')}`" if loc is not None else "–"
    return (
        f"| {finding.severity.value} | {finding.code} | {finding.rule} | {where} | "
        f"{_cell(finding.message)} |"
    )


def _cell(text: str) -> str:
    """Text for a table cell: no line breaks, no column breaks, no HTML."""

    escaped = (
        text.replace("\\", "\\\\")
        .replace("&", "&amp;")
        .replace("|", "\\|")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("`", "\\`")
        .replace("*", "\\*")
        .replace("_", "\\_")
        # Links and images (``[x](url)``, ``![](url)``) from analysed strings stay text.
        .replace("[", "\\[")
        .replace("]", "\\]")
        .replace("!", "\\!")
        .replace("~", "\\~")
    )
    return "<br>".join(escaped.splitlines()) if "\n" in escaped else escaped


def _code(text: str | None) -> str:
    """Text for inside a code span: backticks cannot be escaped there, so they go."""

    return (text or "").replace("`", "'").replace("\n", " ").replace("|", "\\|")
