"""The analysed project: what rules read and what the report is made from."""

from __future__ import annotations

from dataclasses import dataclass

from seamfinder.analysis.cochange import Cochange
from seamfinder.analysis.services import ServicesAnalysis
from seamfinder.collect.history import Commit
from seamfinder.collect.suppressions import SuppressionComment
from seamfinder.config.settings import Config
from seamfinder.core.model import (
    ComponentMetrics,
    Cycle,
    DataAccess,
    Dependency,
    DependencyMatrix,
    Hook,
    ImportEdge,
    ImportedName,
    Location,
    ModelDef,
    NameUse,
    ParseFailure,
    TableOwner,
    Transaction,
)
from seamfinder.core.project import Project
from seamfinder.resolve.components import ComponentMap


@dataclass(frozen=True, slots=True)
class Analysis:
    project: Project
    config: Config
    components: ComponentMap
    imports: tuple[ImportEdge, ...]
    dependencies: tuple[Dependency, ...]
    cycles: tuple[Cycle, ...]
    metrics: tuple[ComponentMetrics, ...]
    matrix: DependencyMatrix
    failures: tuple[ParseFailure, ...]
    models: tuple[ModelDef, ...] = ()
    data_access: tuple[DataAccess, ...] = ()
    transactions: tuple[Transaction, ...] = ()
    tables: tuple[TableOwner, ...] = ()
    suppressions: tuple[SuppressionComment, ...] = ()  # the ignore comments of the files
    history: Cochange | str | None = None  # component co-change; str: why it is unavailable
    imported_names: tuple[ImportedName, ...] = ()  # what each import statement takes
    commits: tuple[Commit, ...] = ()  # the history read (with --history), for module co-change
    services: ServicesAnalysis | None = None  # a repository of services; None: one project
    # Imports of packages outside the project (their top-level names), read only when a
    # contract forbids one (import-linter's include_external_packages).
    external_imports: tuple[ImportEdge, ...] = ()
    # Read for candidates and the extraction sheet only (empty for check): entry points and
    # wiring without imports, how imported names are used, enumerations (dotted), and the
    # relation sites that delete on cascade.
    hooks: tuple[Hook, ...] = ()
    name_uses: tuple[NameUse, ...] = ()
    enumerations: frozenset[str] = frozenset()
    cascades: frozenset[Location] = frozenset()
    module_lines: tuple[tuple[str, int], ...] = ()  # (module, lines), sorted
    abstract_models: tuple[tuple[str, int], ...] = ()  # (module, abstract classes it declares)

    def module_path(self, module: str) -> str | None:
        return next((f.path for f in self.project.files if f.module == module), None)
