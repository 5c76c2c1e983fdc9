"""GitHub Actions workflow commands: one annotation per finding on the pull request's diff.

``::error file=PATH,line=N,col=N,title=SF101 component-cycle::message``, with warnings as
``::warning`` and info as ``::notice``. Values are escaped as the Actions toolkit does
(``%``, CR and LF everywhere; ``:`` and ``,`` also in properties), so a message can never
end the command early or inject another one. Paths are joined to PATH as given, so that
they are relative to the working directory, which is the repository root in a workflow.
"""

from __future__ import annotations

from seamfinder.core.model import Finding, Report, Severity
from seamfinder.report.paths import joined, prefix_of

_COMMAND = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}
_MAX_RELATED = 5


def render(report: Report) -> str:
    prefix = prefix_of(report.root)
    return "".join(_annotation(finding, prefix) + "\n" for finding in report.findings)


def _annotation(finding: Finding, prefix: str) -> str:
    properties: list[tuple[str, str]] = []
    loc = finding.location
    if loc is not None:
        properties += [
            ("file", joined(prefix, loc.path)),
            ("line", str(loc.line)),
            ("col", str(loc.column)),
        ]
    properties.append(("title", f"{finding.code} {finding.rule}"))
    message = finding.message
    if finding.related:
        shown = ", ".join(
            f"{joined(prefix, r.path)}:{r.line}" for r in finding.related[:_MAX_RELATED]
        )
        more = len(finding.related) - _MAX_RELATED
        message += f"\nRelated: {shown}" + (f" and {more} more" if more > 0 else "")
    fields = ",".join(f"{key}={_escape_property(value)}" for key, value in properties)
    return f"::{_COMMAND[finding.severity]} {fields}::{_escape_data(message)}"


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")
