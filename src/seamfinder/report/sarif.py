"""SARIF 2.1.0, as GitHub code scanning and other SARIF viewers read it.

The driver lists the rules the run evaluated, with their documentation page as help
(the same text as ``seamfinder rules explain``), and every result points at its rule by
id and index. ``partialFingerprints`` carries the finding's fingerprint (code and
subjects, never a line), so that viewers track a finding across edits as the baseline
does. Paths are relative: to the working directory when PATH was given relative (GitHub
resolves relative paths against the repository root, where CI runs), else to PATH, whose
absolute URI ``originalUriBaseIds`` then gives. Byte-identical for identical input.
"""

from __future__ import annotations

import json
from pathlib import PurePath
from typing import Any
from urllib.parse import quote

from seamfinder.core.model import Finding, Location, Report, RuleInfo, Severity
from seamfinder.core.version import __version__
from seamfinder.report.paths import joined, prefix_of

SCHEMA = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
BASE_ID = "%SRCROOT%"
FINGERPRINT_KEY = "seamfinder/v1"
# GitHub shows at most this much of a rule's full description.
_MAX_DESCRIPTION = 1024

_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def render(report: Report) -> str:
    return json.dumps(to_document(report), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def to_document(report: Report) -> dict[str, Any]:
    rules = _rules(report)
    index = {rule.code: position for position, rule in enumerate(rules)}
    prefix, base = _base(report.root)
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "seamfinder",
                "version": __version__,
                "semanticVersion": __version__,
                "rules": [_descriptor(rule) for rule in rules],
            }
        },
        "originalUriBaseIds": {BASE_ID: base},
        "columnKind": "unicodeCodePoints",
        "results": [
            _result(finding, index[finding.code], prefix, report.baseline is not None)
            for finding in report.findings
        ],
    }
    return {"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}


def _rules(report: Report) -> list[RuleInfo]:
    """The evaluated rules, plus any code a finding has that the report did not list."""

    rules = {rule.code: rule for rule in report.rules}
    for finding in report.findings:
        if finding.code not in rules:
            rules[finding.code] = RuleInfo(
                finding.code, finding.rule, finding.severity, finding.rule.replace("-", " ")
            )
    return [rules[code] for code in sorted(rules)]


def _descriptor(rule: RuleInfo) -> dict[str, Any]:
    full = _plain(rule.description) or rule.summary
    if len(full) > _MAX_DESCRIPTION:
        full = full[: _MAX_DESCRIPTION - 1].rsplit(" ", 1)[0] + "…"
    help_text = rule.help or f"{rule.code} {rule.name}: {rule.summary}"
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": full},
        "help": {"text": help_text, "markdown": help_text},
        "defaultConfiguration": {"level": _LEVEL[rule.severity]},
        "properties": {"tags": ["architecture", _group(rule.code)]},
    }


def _group(code: str) -> str:
    return {
        "0": "analysis-health",
        "1": "imports",
        "2": "data-ownership",
        "3": "coupling",
        "4": "services",
    }.get(code[2:3], "other")


def _plain(markdown: str) -> str:
    """One paragraph of text: SARIF's ``text`` fields are not rendered as Markdown."""

    return " ".join(markdown.replace("`", "").split())


def _result(finding: Finding, rule_index: int, prefix: str, baselined: bool) -> dict[str, Any]:
    result: dict[str, Any] = {
        "ruleId": finding.code,
        "ruleIndex": rule_index,
        "level": _LEVEL[finding.severity],
        "message": {"text": finding.message},
        "partialFingerprints": {FINGERPRINT_KEY: finding.fingerprint},
        "properties": {
            "rule": finding.rule,
            "subjects": list(finding.subjects),
            "sourceComponent": finding.source_component,
            "targetComponent": finding.target_component,
        },
    }
    if finding.location is not None:
        result["locations"] = [_location(finding.location, prefix)]
    if finding.related:
        result["relatedLocations"] = [
            {**_location(loc, prefix), "id": number, "message": {"text": "related site"}}
            for number, loc in enumerate(finding.related, start=1)
        ]
    if baselined:
        # With a baseline, the report holds only the findings it does not account for.
        result["baselineState"] = "new"
    return result


def _location(loc: Location, prefix: str) -> dict[str, Any]:
    return {
        "physicalLocation": {
            "artifactLocation": {
                "uri": quote(joined(prefix, loc.path), safe="/"),
                "uriBaseId": BASE_ID,
            },
            "region": {"startLine": max(loc.line, 1), "startColumn": max(loc.column, 1)},
        }
    }


def _base(root: str) -> tuple[str, dict[str, Any]]:
    """(prefix for relative paths, the %SRCROOT% entry of originalUriBaseIds)."""

    path = PurePath(root)
    if path.is_absolute():
        uri = path.as_uri()
        return "", {"uri": uri if uri.endswith("/") else uri + "/"}
    return prefix_of(root), {"description": {"text": "The working directory seamfinder ran in."}}
