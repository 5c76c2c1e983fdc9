"""SF1xx: the import graph between components."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from typing import Any

from seamfinder.analysis.contract_checks import ContractViolation, non_public_violations
from seamfinder.analysis.state import Analysis
from seamfinder.analysis.tach_checks import TachViolation
from seamfinder.config.contracts import (
    AcyclicSiblingsContract,
    ForbiddenContract,
    IndependenceContract,
    LayersContract,
    ProtectedContract,
)
from seamfinder.core.model import Finding, Location, Severity
from seamfinder.rules.contract_results import (
    all_results,
    contract_results,
    tach_results,
    universe,
)
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
# One finding per chain of imports, located at its first import statement, with the rest of
# the chain as related locations; a direct import is one finding per statement. The
# subjects are the contract and the chain's two ends, never a line, so that a baseline
# survives edits; two statements between the same modules share a fingerprint and the
# baseline counts them.


def _chain_text(v: ContractViolation) -> str:
    if not v.chain:
        return f"{v.importer} imports {v.imported}"
    return f"{v.importer} imports {v.imported} indirectly ({' -> '.join(v.modules)})"


def _contract_finding(
    analysis: Analysis, ctx: RuleContext, violation: ContractViolation, message: str
) -> Finding:
    return ctx.finding(
        message,
        violation.edge.location,
        (violation.contract, violation.importer, violation.imported),
        source_component=analysis.components.component_of(violation.importer),
        target_component=analysis.components.component_of(violation.imported),
        related=tuple(edge.location for edge in violation.chain[1:]),
    )


def _tach_finding(analysis: Analysis, ctx: RuleContext, v: TachViolation, message: str) -> Finding:
    finding = ctx.finding(
        message,
        v.edge.location if v.edge else Location("tach.toml"),
        ("tach", v.kind, v.importer, v.imported, *((v.detail,) if v.kind == "interface" else ())),
        source_component=analysis.components.component_of(v.edge.importer) if v.edge else None,
        target_component=analysis.components.component_of(v.edge.imported) if v.edge else None,
    )
    # tach only warns on function-level imports with rules.local_imports = "warn".
    return replace(finding, severity=Severity.WARNING) if v.warning else finding


def _tach_site(v: TachViolation) -> str:
    assert v.edge is not None
    return f"{v.edge.importer} imports {v.edge.imported}"


@rule(
    "SF102",
    "layer-violation",
    Severity.ERROR,
    "A module reaches a higher layer, or an independent sibling of its own layer.",
)
def layer_violation(analysis: Analysis, ctx: RuleContext) -> Iterator[Finding]:
    for contract, outcome in contract_results(analysis, LayersContract):
        for v in outcome.violations:
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
            message = f"{_chain_text(v)}: {why} (contract {v.contract!r})"
            yield _contract_finding(analysis, ctx, v, message)
        for module in outcome.undeclared:
            path = analysis.module_path(module)
            yield ctx.finding(
                f"{module} is not declared as a layer of the exhaustive contract "
                f"{contract.name!r}: every child of a container must be a layer",
                Location(path) if path else Location(contract.source),
                (contract.name, module),
                source_component=analysis.components.component_of(module),
            )
    for t in tach_results(analysis, "layer"):
        user, used = t.detail.split(" -> ")
        message = (
            f"{_tach_site(t)}: tach module {t.importer!r} (layer {user!r}) must not use "
            f"{t.imported!r} of the higher layer {used!r} (tach.toml)"
        )
        yield _tach_finding(analysis, ctx, t, message)


@rule(
    "SF103",
    "forbidden-dependency",
    Severity.ERROR,
    "A module reaches a module that a forbidden contract (or tach's depends_on) keeps out.",
)
def forbidden_dependency(analysis: Analysis, ctx: RuleContext) -> Iterator[Finding]:
    for _contract, outcome in contract_results(analysis, ForbiddenContract):
        for v in outcome.violations:
            message = (
                f"{_chain_text(v)}: {v.importer_element!r} must not depend on "
                f"{v.imported_element!r} (contract {v.contract!r})"
            )
            yield _contract_finding(analysis, ctx, v, message)
    for t in tach_results(analysis, "undeclared", "forbidden"):
        why = (
            f"does not declare a dependency on {t.imported!r} (depends_on)"
            if t.kind == "undeclared"
            else f"cannot depend on {t.imported!r} (cannot_depend_on)"
        )
        message = f"{_tach_site(t)}: tach module {t.importer!r} {why} (tach.toml)"
        yield _tach_finding(analysis, ctx, t, message)


@rule(
    "SF104",
    "independence-violation",
    Severity.ERROR,
    "Components declared independent of each other reach each other.",
)
def independence_violation(analysis: Analysis, ctx: RuleContext) -> Iterator[Finding]:
    for _contract, outcome in contract_results(analysis, IndependenceContract):
        for v in outcome.violations:
            message = (
                f"{_chain_text(v)}: {v.importer_element!r} and {v.imported_element!r} "
                f"must be independent (contract {v.contract!r})"
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
    yield from _tach_interfaces(analysis, ctx)
    specs = [spec for spec in analysis.config.components if spec.public]
    if not specs:
        return
    modules = universe(analysis)
    allow = ctx.option("allow-type-checking")
    if allow is None:
        allow = analysis.config.ignore_type_checking_imports
    for spec in specs:
        public = ", ".join(spec.public)
        for v in non_public_violations(
            spec, modules, analysis.components.of_module, analysis.imports, allow
        ):
            edge = v.edge
            message = (
                f"{edge.importer} imports {edge.imported}, which is not in the public "
                f"interface of {spec.name!r} ({public})"
            )
            yield _contract_finding(analysis, ctx, v, message)


def _tach_interfaces(analysis: Analysis, ctx: RuleContext) -> Iterator[Finding]:
    for t in tach_results(analysis, "interface", "visibility"):
        if t.kind == "interface":
            assert t.edge is not None
            message = (
                f"{t.edge.importer} imports {t.detail}, which is not in the interface of "
                f"tach module {t.imported!r} (interfaces in tach.toml)"
            )
        else:
            message = (
                f"tach module {t.importer!r} declares a dependency on {t.imported!r}, whose "
                "visibility does not include it (tach.toml)"
            )
        yield _tach_finding(analysis, ctx, t, message)


@rule(
    "SF106",
    "forbidden-cycle",
    Severity.ERROR,
    "Siblings an acyclic contract (or tach's forbid_circular_dependencies) keeps acyclic "
    "depend on each other in a cycle.",
)
def forbidden_cycle(analysis: Analysis, ctx: RuleContext) -> Iterator[Finding]:
    for contract, outcome in contract_results(analysis, AcyclicSiblingsContract):
        for v in outcome.violations:
            parent = v.importer_element.rpartition(".")[0]
            message = (
                f"{v.importer} imports {v.imported}: the children of {parent} import each "
                f"other in a cycle ({v.importer_element} <-> {v.imported_element}); removing "
                f"this import helps break it (contract {contract.name!r})"
            )
            yield _contract_finding(analysis, ctx, v, message)
    for t in tach_results(analysis, "cycle"):
        message = (
            f"tach module {t.importer!r} declares a dependency on {t.imported!r}, and "
            f"{t.imported!r} depends on {t.importer!r} in turn "
            "(forbid_circular_dependencies in tach.toml)"
        )
        yield _tach_finding(analysis, ctx, t, message)


@rule(
    "SF107",
    "protected-import",
    Severity.ERROR,
    "A module that is not an allowed importer imports a protected module.",
)
def protected_import(analysis: Analysis, ctx: RuleContext) -> Iterator[Finding]:
    for contract, outcome in contract_results(analysis, ProtectedContract):
        allowed = ", ".join(contract.allowed_importers) or "nothing"
        for v in outcome.violations:
            message = (
                f"{v.importer} imports {v.imported}: only {allowed} may import the protected "
                f"{v.imported_element} (contract {v.contract!r})"
            )
            yield _contract_finding(analysis, ctx, v, message)


@rule(
    "SF108",
    "unused-dependency",
    Severity.ERROR,
    "A declared dependency that no import uses (tach's exact), or <root> where it is forbidden.",
)
def unused_dependency(analysis: Analysis, ctx: RuleContext) -> Iterator[Finding]:
    for t in tach_results(analysis, "unused", "root"):
        if t.kind == "unused":
            message = (
                f"tach module {t.importer!r} declares a dependency on {t.imported!r} that no "
                "import uses (exact = true in tach.toml)"
            )
        else:
            message = (
                f"tach module {t.importer!r} names the <root> module, which root_module = "
                f"{t.detail!r} forbids (tach.toml)"
            )
        yield _tach_finding(analysis, ctx, t, message)


@rule(
    "SF109",
    "unmatched-ignored-import",
    Severity.ERROR,
    "An ignore_imports entry of a contract matches no import.",
)
def unmatched_ignored_import(analysis: Analysis, ctx: RuleContext) -> Iterator[Finding]:
    for contract, outcome in all_results(analysis):
        if contract.unmatched_ignores == "none":
            continue
        for ignored in outcome.unmatched_ignores:
            finding = ctx.finding(
                f"ignored import {ignored} of contract {contract.name!r} matches no import: "
                "remove it, or fix the module names",
                Location(contract.source),
                (contract.name, str(ignored)),
            )
            # import-linter's unmatched_ignore_imports_alerting = "warn" warns, never fails.
            yield (
                replace(finding, severity=Severity.WARNING)
                if contract.unmatched_ignores == "warn"
                else finding
            )
