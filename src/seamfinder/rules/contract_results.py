"""Each contract checked once per run, for the several rules that report on it.

The contract rules (SF102-SF109, SF003) each report one kind of finding, but a contract is
checked as a whole (a grimp graph, its ignored imports removed, its chains found): the
results of the last analysis are kept here so that no contract is checked twice.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TypeVar

from seamfinder.analysis.contract_checks import ContractOutcome, ModuleUniverse, check_contract
from seamfinder.analysis.state import Analysis
from seamfinder.analysis.tach_checks import TachViolation, tach_violations
from seamfinder.config.contracts import Contract, TachContract

C = TypeVar("C", bound=Contract)


class _Memo:
    """The last analysis and what its contracts gave (one run at a time)."""

    contracts: tuple[Analysis, tuple[tuple[Contract, ContractOutcome], ...]] | None = None
    tach: tuple[Analysis, tuple[TachViolation, ...]] | None = None


def universe(analysis: Analysis) -> ModuleUniverse:
    components = analysis.components
    return ModuleUniverse(
        modules=tuple(sorted(components.of_module)),
        members={c.name: c.modules for c in components.components},
        external=analysis.external_imports,
    )


def contract_results(analysis: Analysis, kind: type[C]) -> Iterator[tuple[C, ContractOutcome]]:
    """(contract, outcome) for every contract of ``kind``."""

    for contract, outcome in all_results(analysis):
        if isinstance(contract, kind):
            yield contract, outcome


def all_results(analysis: Analysis) -> tuple[tuple[Contract, ContractOutcome], ...]:
    """(contract, outcome) for every contract, each checked once per analysis."""

    if _Memo.contracts is None or _Memo.contracts[0] is not analysis:
        modules = universe(analysis)
        ignore_tc = analysis.config.ignore_type_checking_imports
        _Memo.contracts = (
            analysis,
            tuple(
                (contract, check_contract(contract, modules, analysis.imports, ignore_tc))
                for contract in analysis.config.contracts
            ),
        )
    return _Memo.contracts[1]


def tach_results(analysis: Analysis, *kinds: str) -> Iterator[TachViolation]:
    """What ``tach check`` would report, of the given kinds."""

    if _Memo.tach is None or _Memo.tach[0] is not analysis:
        paths = {f.module: f.path for f in analysis.project.files}
        found: list[TachViolation] = []
        for contract in analysis.config.contracts:
            if isinstance(contract, TachContract):
                found.extend(
                    tach_violations(contract, analysis.imports, analysis.imported_names, paths)
                )
        _Memo.tach = (analysis, tuple(found))
    return (v for v in _Memo.tach[1] if v.kind in kinds)
