"""JUnit XML, for CI systems that show test reports (GitLab's ``artifacts:reports:junit``).

One test suite; one passing test case for each rule that ran and found nothing, and one
failing test case per finding (the class name carries the rule), so that the report
counts what was checked as well as what failed. Byte-identical for identical input: no
timestamps, no durations, no host name.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import defaultdict

from seamfinder.core.model import Finding, Report
from seamfinder.report.paths import joined, prefix_of

# Characters XML 1.0 cannot carry at all, even escaped.
_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def render(report: Report) -> str:
    by_code: dict[str, list[Finding]] = defaultdict(list)
    for finding in report.findings:
        by_code[finding.code].append(finding)
    names = {rule.code: rule.name for rule in report.rules}
    names.update({f.code: f.rule for f in report.findings if f.code not in names})

    prefix = prefix_of(report.root)
    cases: list[ET.Element] = []
    for code in sorted(names):
        classname = f"seamfinder.{code}.{names[code]}"
        findings = by_code.get(code, [])
        if not findings:
            cases.append(ET.Element("testcase", {"classname": classname, "name": names[code]}))
            continue
        for finding in findings:
            cases.append(_failing_case(classname, finding, prefix))

    failures = len(report.findings)
    suites = ET.Element(
        "testsuites", {"name": "seamfinder", "tests": str(len(cases)), "failures": str(failures)}
    )
    suite = ET.SubElement(
        suites,
        "testsuite",
        {
            "name": f"seamfinder {_clean(report.root)}",
            "tests": str(len(cases)),
            "failures": str(failures),
            "errors": "0",
            "skipped": "0",
        },
    )
    suite.extend(cases)
    ET.indent(suites, space="  ")
    body = ET.tostring(suites, encoding="unicode")
    return f'<?xml version="1.0" encoding="UTF-8"?>\n{body}\n'


def _failing_case(classname: str, finding: Finding, prefix: str) -> ET.Element:
    loc = finding.location
    attributes = {"classname": classname, "name": _clean(finding.message)}
    if loc is not None:
        # GitLab links ``file`` relative to the repository root, like the annotations.
        attributes.update({"file": _clean(joined(prefix, loc.path)), "line": str(loc.line)})
    case = ET.Element("testcase", attributes)
    failure = ET.SubElement(
        case,
        "failure",
        {"type": f"{finding.code} {finding.severity.value}", "message": _clean(finding.message)},
    )
    lines = [
        f"{loc}: {finding.code} [{finding.rule}] ({finding.severity.value})"
        if loc
        else f"{finding.code} [{finding.rule}] ({finding.severity.value})",
        finding.message,
    ]
    lines += [f"related: {related}" for related in finding.related]
    lines.append(f"fingerprint: {finding.fingerprint}")
    failure.text = _clean("\n".join(lines))
    return case


def _clean(text: str) -> str:
    return _INVALID_XML.sub("\N{REPLACEMENT CHARACTER}", text)
