"""Where detectors write facts while the pass walks a file; :meth:`FactSink.facts` seals them."""

from __future__ import annotations

import ast

from seamfinder.collect.facts import (
    AccessFact,
    AccessKind,
    BaseFact,
    ClassFact,
    ClassUseFact,
    DatabaseSetting,
    DynamicImportFact,
    FileFacts,
    HttpCallFact,
    ImportFact,
    LoaderFact,
    LookupFact,
    RawSqlFact,
    SettingsFact,
    TableFact,
    Target,
    TransactionFact,
)
from seamfinder.collect.scanner.values import Query


class FactSink:
    """The facts of one file so far, in the order the walk met them.

    Classes and transaction scopes take a slot (None) when their walk starts and are
    filled when it ends, so that an outer class is listed before the classes inside it.
    Accesses and raw SQL are indexed by transactions, so they are only ever appended.
    """

    __slots__ = (
        "accesses",
        "atomic_scopes",
        "auth_user_model",
        "bases",
        "class_uses",
        "classes",
        "databases",
        "dynamic_imports",
        "http_calls",
        "imports",
        "installed_apps",
        "installed_apps_line",
        "installed_apps_partial",
        "loaders",
        "lookups",
        "raw_sql",
        "tables",
        "transactions",
    )

    def __init__(self) -> None:
        self.imports: list[ImportFact] = []
        self.classes: list[ClassFact | None] = []
        self.tables: list[TableFact] = []
        self.bases: list[BaseFact] = []
        self.loaders: list[LoaderFact] = []
        self.dynamic_imports: list[DynamicImportFact] = []
        self.accesses: list[AccessFact] = []
        self.lookups: list[LookupFact] = []
        self.raw_sql: list[RawSqlFact] = []
        self.transactions: list[TransactionFact | None] = []
        self.http_calls: list[HttpCallFact] = []
        self.installed_apps: list[str] = []
        self.installed_apps_partial = False
        self.installed_apps_line = 0
        self.auth_user_model: str | None = None
        self.databases: list[DatabaseSetting] = []
        self.atomic_scopes: set[str] = set()
        self.class_uses: list[ClassUseFact] = []

    def add_query(self, query: Query, scope: str) -> None:
        """A used query: one access per target (joined ones are reads)."""

        for i, target in enumerate(query.targets):
            kind: AccessKind = query.kind if i == 0 else "read"
            self.accesses.append(
                AccessFact(
                    target,
                    kind,
                    query.idiom,
                    query.method,
                    query.manager,
                    scope,
                    query.line,
                    query.column,
                )
            )

    def add_access(
        self,
        target: Target,
        kind: AccessKind,
        idiom: str,
        method: str,
        manager: str,
        scope: str,
        at: ast.expr | ast.stmt | ast.keyword,
    ) -> None:
        self.accesses.append(
            AccessFact(target, kind, idiom, method, manager, scope, at.lineno, at.col_offset + 1)
        )

    def settings(self) -> SettingsFact | None:
        if self.installed_apps_line or self.auth_user_model is not None or self.databases:
            return SettingsFact(
                tuple(self.installed_apps),
                self.installed_apps_partial,
                self.installed_apps_line,
                self.auth_user_model,
                tuple(self.databases),
            )
        return None

    def facts(
        self, path: str, module: str, is_package: bool, lines: int, lowered: bool
    ) -> FileFacts:
        return FileFacts(
            path=path,
            module=module,
            is_package=is_package,
            lines=lines,
            parsed=True,
            lowered=lowered,
            imports=tuple(self.imports),
            classes=tuple(c for c in self.classes if c is not None),
            tables=tuple(self.tables),
            bases=tuple(self.bases),
            loaders=tuple(self.loaders),
            dynamic_imports=tuple(self.dynamic_imports),
            accesses=tuple(self.accesses),
            lookups=tuple(self.lookups),
            raw_sql=tuple(self.raw_sql),
            transactions=tuple(t for t in self.transactions if t is not None),
            http_calls=tuple(self.http_calls),
            settings=self.settings(),
            atomic_scopes=tuple(sorted(self.atomic_scopes)),
            class_uses=tuple(self.class_uses),
        )
