"""SF0xx: the health of the analysis itself."""

from __future__ import annotations

from collections.abc import Iterator

from seamfinder.analysis.state import Analysis
from seamfinder.core.model import Finding, Location, Severity
from seamfinder.rules.contract_results import all_results
from seamfinder.rules.registry import RuleContext, rule


@rule(
    "SF001",
    "parse-error",
    Severity.ERROR,
    "A file could not be decoded or parsed, so nothing in it was analysed.",
)
def parse_error(analysis: Analysis, ctx: RuleContext) -> Iterator[Finding]:
    modules = {f.path: f.module for f in analysis.project.files}
    for failure in analysis.failures:
        module = modules.get(failure.path)
        yield ctx.finding(
            f"{failure.path} was not analysed: {failure.reason}",
            Location(failure.path, failure.line, failure.column),
            (failure.path,),
            source_component=analysis.components.component_of(module) if module else None,
        )


UNUSED_SUPPRESSION = "SF002"


@rule(
    UNUSED_SUPPRESSION,
    "unused-suppression",
    Severity.WARNING,
    "A `# seamfinder: ignore[...]` comment suppresses nothing, or names an unknown code.",
)
def unused_suppression(analysis: Analysis, ctx: RuleContext) -> Iterator[Finding]:
    # Whether a suppression was used is known only once every other rule has run, so
    # these findings are made by seamfinder.rules.suppression after evaluation; the rule
    # is registered for its code, severity, selection and documentation.
    return iter(())


@rule(
    "SF003",
    "unchecked-contract-option",
    Severity.WARNING,
    "An adopted import-linter or tach setting that seamfinder reads but does not check.",
)
def unchecked_contract_option(analysis: Analysis, ctx: RuleContext) -> Iterator[Finding]:
    for contract, outcome in all_results(analysis):
        for option in (*contract.unchecked, *outcome.unchecked):
            yield ctx.finding(
                f"{contract.source}: {option} (contract {contract.name!r}); "
                "this part of the contract is not enforced by seamfinder",
                Location(contract.source),
                (contract.name, option.split(":", 1)[0]),
            )


@rule(
    "SF004",
    "layout-decision",
    Severity.INFO,
    "The layout names one thing twice and seamfinder decided which, as Python or Django does.",
)
def layout_decision(analysis: Analysis, ctx: RuleContext) -> Iterator[Finding]:
    notes = sorted({*analysis.project.notes, *analysis.components.notes})
    for note in notes:
        yield ctx.finding(note.message, Location(note.path), (note.path, note.subject))
