"""The rule catalog as reporters and ``seamfinder rules`` see it: code, name, severity,
summary and the rule's page, joined once here so that every output tells the same story."""

from __future__ import annotations

from collections.abc import Iterable

from seamfinder.core.model import RuleInfo, Severity
from seamfinder.rules.docs import doc_for
from seamfinder.rules.registry import Rule, RuleContext, all_rules


def rule_info(rule: Rule, severity: Severity | None = None) -> RuleInfo:
    doc = doc_for(rule.code)
    return RuleInfo(
        code=rule.code,
        name=rule.name,
        severity=severity or rule.severity,
        summary=rule.summary,
        description=doc.section("What it does") if doc else "",
        help=doc.text.strip() + "\n" if doc else "",
    )


def evaluated_rules(rule_contexts: Iterable[RuleContext]) -> tuple[RuleInfo, ...]:
    """The rules a run evaluated, with the severity configured for it."""

    return tuple(
        sorted(
            (rule_info(c.rule, c.severity) for c in rule_contexts),
            key=lambda info: info.code,
        )
    )


def catalog() -> tuple[RuleInfo, ...]:
    """Every rule with its default severity, sorted by code."""

    return tuple(rule_info(rule) for rule in all_rules())
