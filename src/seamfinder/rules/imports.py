"""SF1xx: the import graph between components."""

from __future__ import annotations

from collections.abc import Iterator

from seamfinder.analysis.state import Analysis
from seamfinder.model import Finding, Severity
from seamfinder.rules.registry import RuleContext, rule


@rule(
    "SF101",
    "component-cycle",
    Severity.ERROR,
    "Components import each other in a cycle; the cheapest edges to cut are named.",
)
def component_cycle(analysis: Analysis, ctx: RuleContext) -> Iterator[Finding]:
    for cycle in analysis.cycles:
        cut_sites = sorted(site.location for dep in cycle.cut for site in dep.sites)
        first = cycle.cut[0] if cycle.cut else cycle.edges[0]
        cut_text = ", ".join(
            f"{dep.source} -> {dep.target} ({dep.imports} import{'s' if dep.imports != 1 else ''})"
            for dep in cycle.cut
        )
        how = "cheapest cut" if cycle.exact else "cut found heuristically"
        yield ctx.finding(
            f"import cycle between {', '.join(cycle.components)}; {how}: remove {cut_text}",
            cut_sites[0] if cut_sites else None,
            cycle.components,
            source_component=first.source,
            target_component=first.target,
            related=tuple(cut_sites[1:]),
        )
