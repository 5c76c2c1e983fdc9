"""SF1xx: the import graph between components."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, TypeVar

from seamfinder.analysis.contract_checks import (
    ContractViolation,
    ModuleUniverse,
    contract_violations,
    non_public_violations,
)
from seamfinder.analysis.state import Analysis
from seamfinder.config.contracts import (
    ForbiddenContract,
    IndependenceContract,
    LayersContract,
)
from seamfinder.core.model import Finding, Severity
from seamfinder.rules.registry import Option, RuleContext, rule


def _imports(count: int) -> str:
    return f"{count} import{'s' if count != 1 else ''}"


_SHOWN_EDGES = 4
_SHOWN_MEMBERS = 8


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
        # The heaviest edges first; a large cycle's full cut is in the report, not here.
        heaviest = sorted(cycle.cut, key=lambda d: (-d.imports, d.source, d.target))
        cut_text = ", ".join(
            f"{dep.source} -> {dep.target} ({_imports(dep.imports)})"
            for dep in heaviest[:_SHOWN_EDGES]
        )
        if len(heaviest) > _SHOWN_EDGES:
            cut_text += f" and {len(heaviest) - _SHOWN_EDGES} more edges"
        members = ", ".join(cycle.components[:_SHOWN_MEMBERS])
        if len(cycle.components) > _SHOWN_MEMBERS:
            members += f" and {len(cycle.components) - _SHOWN_MEMBERS} more"
        how = "cheapest cut" if cycle.exact else "cut found heuristically"
        yield ctx.finding(
            f"import cycle between {members}; {how} ({_imports(cycle.cut_cost)}): "
            f"remove {cut_text}",
            cut_sites[0] if cut_sites else None,
            cycle.components,
            source_component=first.source,
            target_component=first.target,
            related=tuple(cut_sites[1:]),
        )


# --- import contracts ---------------------------------------------------------------------
#
# One finding per offending import statement, located at the statement. The subjects are
# the contract and the two modules, never a line, so that a baseline survives edits; two
# statements between the same modules share a fingerprint and the baseline counts them.


def _universe(analysis: Analysis) -> ModuleUniverse:
    components = analysis.components
    return ModuleUniverse(
        modules=tuple(sorted(components.of_module)),
        members={c.name: c.modules for c in components.components},
    )


def _contract_finding(
    analysis: Analysis, ctx: RuleContext, violation: ContractViolation, message: str
) -> Finding:
    edge = violation.edge
    return ctx.finding(
        message,
        edge.location,
        (violation.contract, edge.importer, edge.imported),
        source_component=analysis.components.component_of(edge.importer),
        target_component=analysis.components.component_of(edge.imported),
    )


C = TypeVar("C", LayersContract, ForbiddenContract, IndependenceContract)


def _contracts(analysis: Analysis, kind: type[C]) -> Iterator[C]:
    return (c for c in analysis.config.contracts if isinstance(c, kind))


@rule(
    "SF102",
    "layer-violation",
    Severity.ERROR,
    "A module imports a higher layer, or an independent sibling of its own layer.",
)
def layer_violation(analysis: Analysis, ctx: RuleContext) -> Iterator[Finding]:
    universe = _universe(analysis)
    ignore_tc = analysis.config.ignore_type_checking_imports
    for contract in _contracts(analysis, LayersContract):
        for v in contract_violations(contract, universe, analysis.imports, ignore_tc):
            edge = v.edge
            if v.sibling:
                why = (
                    f"{v.importer_element!r} and {v.imported_element!r} are independent "
                    "siblings of one layer"
                )
            else:
                why = (
                    f"layer {v.importer_element!r} sits below {v.imported_element!r} "
                    "and must not import it"
                )
            message = f"{edge.importer} imports {edge.imported}: {why} (contract {v.contract!r})"
            yield _contract_finding(analysis, ctx, v, message)


@rule(
    "SF103",
    "forbidden-dependency",
    Severity.ERROR,
    "A module imports a module that a forbidden contract keeps out of its reach.",
)
def forbidden_dependency(analysis: Analysis, ctx: RuleContext) -> Iterator[Finding]:
    universe = _universe(analysis)
    ignore_tc = analysis.config.ignore_type_checking_imports
    for contract in _contracts(analysis, ForbiddenContract):
        for v in contract_violations(contract, universe, analysis.imports, ignore_tc):
            edge = v.edge
            message = (
                f"{edge.importer} imports {edge.imported}: {v.importer_element!r} must not "
                f"depend on {v.imported_element!r} (contract {v.contract!r})"
            )
            yield _contract_finding(analysis, ctx, v, message)


@rule(
    "SF104",
    "independence-violation",
    Severity.ERROR,
    "Components declared independent of each other import each other.",
)
def independence_violation(analysis: Analysis, ctx: RuleContext) -> Iterator[Finding]:
    universe = _universe(analysis)
    ignore_tc = analysis.config.ignore_type_checking_imports
    for contract in _contracts(analysis, IndependenceContract):
        for v in contract_violations(contract, universe, analysis.imports, ignore_tc):
            edge = v.edge
            message = (
                f"{edge.importer} imports {edge.imported}: {v.importer_element!r} and "
                f"{v.imported_element!r} must be independent (contract {v.contract!r})"
            )
            yield _contract_finding(analysis, ctx, v, message)


def _optional_bool(value: Any) -> bool:
    if not isinstance(value, bool):
        raise ValueError(f"expected true or false, got {value!r}")
    return value


@rule(
    "SF105",
    "non-public-import",
    Severity.ERROR,
    "Another component imports a module that is not in a component's declared public API.",
    options=(
        Option(
            "allow-type-checking",
            None,
            "Let imports under TYPE_CHECKING reach private modules "
            "(default: ignore-type-checking-imports).",
            parse=_optional_bool,
        ),
    ),
)
def non_public_import(analysis: Analysis, ctx: RuleContext) -> Iterator[Finding]:
    specs = [spec for spec in analysis.config.components if spec.public]
    if not specs:
        return
    universe = _universe(analysis)
    allow = ctx.option("allow-type-checking")
    if allow is None:
        allow = analysis.config.ignore_type_checking_imports
    for spec in specs:
        public = ", ".join(spec.public)
        for v in non_public_violations(
            spec, universe, analysis.components.of_module, analysis.imports, allow
        ):
            edge = v.edge
            message = (
                f"{edge.importer} imports {edge.imported}, which is not in the public "
                f"interface of {spec.name!r} ({public})"
            )
            yield _contract_finding(analysis, ctx, v, message)
