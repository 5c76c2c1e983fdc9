"""Apply inline suppressions to the findings of a run, and report the ones left unused.

A suppression hides the findings located on its own line whose code it names (all codes
when it names none). It is unused when it hid nothing it could have: a code is judged
only if its rule ran (``--select SF1`` must not make every ``ignore[SF201]`` look stale),
and a bare ``ignore`` only when every rule ran. Unknown codes are always reported, since
they are typos that suppress nothing. Naming SF002 itself keeps a comment from being
reported (for a suppression kept on purpose).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence

from seamfinder.collect.suppressions import SuppressionComment
from seamfinder.core.model import Finding, Location
from seamfinder.rules.health import UNUSED_SUPPRESSION
from seamfinder.rules.registry import RuleContext, all_rules


def apply_suppressions(
    findings: Sequence[Finding],
    comments: Iterable[SuppressionComment],
    rule_contexts: Sequence[RuleContext],
) -> tuple[Finding, ...]:
    """``findings`` without the suppressed ones, plus SF002 findings; sorted."""

    comments = tuple(comments)
    if not comments:
        return tuple(findings)
    on_line: dict[tuple[str, int], list[SuppressionComment]] = defaultdict(list)
    for comment in comments:
        on_line[(comment.path, comment.line)].append(comment)
    used: dict[SuppressionComment, set[str]] = {comment: set() for comment in comments}
    kept: list[Finding] = []
    for finding in findings:
        loc = finding.location
        here = on_line.get((loc.path, loc.line), []) if loc is not None else []
        matching = [c for c in here if not c.codes or finding.code in c.codes]
        for comment in matching:
            used[comment].add(finding.code)
        if not matching:
            kept.append(finding)
    context = next((c for c in rule_contexts if c.rule.code == UNUSED_SUPPRESSION), None)
    if context is not None:
        kept.extend(_unused(comments, used, rule_contexts, context))
    return tuple(sorted(kept, key=Finding.sort_key))


def _unused(
    comments: Sequence[SuppressionComment],
    used: dict[SuppressionComment, set[str]],
    rule_contexts: Sequence[RuleContext],
    context: RuleContext,
) -> list[Finding]:
    known = {r.code for r in all_rules()}
    ran = {c.rule.code for c in rule_contexts}
    found: list[Finding] = []
    for comment in comments:
        if UNUSED_SUPPRESSION in comment.codes:
            continue
        problems: list[str] = []
        stale: list[str] = []
        if not comment.codes:
            if not used[comment] and ran == known:
                problems.append("nothing to suppress on this line")
                stale.append("*")
        else:
            unknown = [code for code in comment.codes if code not in known]
            unused = [c for c in comment.codes if c in ran and c not in used[comment]]
            if unknown:
                problems.append(
                    f"unknown rule code{'s' if len(unknown) > 1 else ''} {', '.join(unknown)}"
                )
            if unused:
                problems.append(f"no {', '.join(unused)} finding on this line")
            stale.extend(unknown + unused)
        if problems:
            found.append(
                context.finding(
                    f"unused suppression: {'; '.join(problems)}",
                    Location(comment.path, comment.line, comment.column),
                    (comment.path, ",".join(sorted(stale))),
                )
            )
    return found
