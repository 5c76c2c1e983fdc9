"""The rule list of ``seamfinder rules``: plain aligned text, or JSON."""

from __future__ import annotations

import json
from collections.abc import Sequence

from seamfinder.core.model import RuleInfo


def render_catalog(rules: Sequence[RuleInfo], format_name: str) -> str:
    if format_name == "json":
        document = [
            {
                "code": r.code,
                "name": r.name,
                "severity": r.severity.value,
                "summary": r.summary,
                "description": r.description,
            }
            for r in rules
        ]
        return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    width = max((len(r.name) for r in rules), default=0)
    lines = [f"{r.code}  {r.name:<{width}}  {r.severity.value:<7}  {r.summary}" for r in rules]
    return "\n".join(lines) + "\n"
