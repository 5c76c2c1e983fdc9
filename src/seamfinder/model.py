"""The values every stage passes on: frozen, slotted, typed, and nothing else.

Reporters see a :class:`Report` and nothing more; rules see an analysed project and
return :class:`Finding` values. Paths are relative to the analysed root with POSIX
separators so that machine output is identical on every machine.
"""

from __future__ import annotations

import enum
import hashlib
from dataclasses import dataclass
from typing import Literal

JSON_VERSION = 1


class Severity(enum.Enum):
    """How bad a finding is; ordered so that thresholds compare."""

    INFO = "info"
    WARNING = "warning"
    ERROR = "error"

    @property
    def rank(self) -> int:
        return _SEVERITY_RANK[self]

    @classmethod
    def parse(cls, text: str) -> Severity:
        try:
            return cls(text.lower())
        except ValueError:
            choices = ", ".join(s.value for s in cls)
            raise ValueError(f"unknown severity {text!r} (choose from {choices})") from None


_SEVERITY_RANK = {Severity.INFO: 0, Severity.WARNING: 1, Severity.ERROR: 2}


@dataclass(frozen=True, slots=True, order=True)
class Location:
    """A place in the analysed tree: POSIX path relative to the root, 1-indexed line and column."""

    path: str
    line: int = 1
    column: int = 1

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}"


class ImportScope(enum.Enum):
    """Where an import statement sits, which decides how much it binds at runtime."""

    MODULE = "module"  # executed on import of the module
    CONDITIONAL = "conditional"  # module level but inside try/if (optional dependency)
    FUNCTION = "function"  # deferred: runs when the function runs
    TYPE_CHECKING = "type-checking"  # never runs: annotations only


@dataclass(frozen=True, slots=True, order=True)
class ImportEdge:
    """One import statement from one module of the project to another."""

    importer: str
    imported: str
    location: Location
    scope: ImportScope = ImportScope.MODULE


@dataclass(frozen=True, slots=True, order=True)
class SourceFile:
    """A Python file of the analysed project and the module name it has there."""

    path: str  # relative POSIX path
    module: str
    is_package: bool = False  # an ``__init__.py``


@dataclass(frozen=True, slots=True)
class Component:
    """A group of modules that is meant to be (or could become) one unit."""

    name: str
    detected_by: str  # "config", "django-app", "depth", "root", ...
    modules: tuple[str, ...]
    lines: int
    reason: str = ""  # a human sentence: how it was found
    label: str | None = None  # Django app label when it differs from the name
    package: str | None = None  # the dotted package the component is rooted at, if one


ROOT_COMPONENT = "<root>"


@dataclass(frozen=True, slots=True)
class Dependency:
    """Component ``source`` imports component ``target`` through ``sites``."""

    source: str
    target: str
    sites: tuple[ImportEdge, ...]

    @property
    def imports(self) -> int:
        return len(self.sites)


@dataclass(frozen=True, slots=True)
class Cycle:
    """A strongly connected set of components and the cheapest edges that break it."""

    components: tuple[str, ...]  # sorted
    cut: tuple[Dependency, ...]  # edges whose removal makes the set acyclic
    edges: tuple[Dependency, ...]  # every edge inside the set
    exact: bool = True  # False when the cut comes from the heuristic (large cycles)

    @property
    def cut_cost(self) -> int:
        return sum(d.imports for d in self.cut)


@dataclass(frozen=True, slots=True)
class ComponentMetrics:
    """Robert C. Martin's package metrics, at component level."""

    name: str
    afferent: int  # Ca: components that depend on this one
    efferent: int  # Ce: components this one depends on
    inbound_imports: int  # import statements from other components into this one
    outbound_imports: int  # import statements from this one into other components

    @property
    def instability(self) -> float:
        total = self.afferent + self.efferent
        return round(self.efferent / total, 4) if total else 0.0


@dataclass(frozen=True, slots=True)
class DependencyMatrix:
    """``cells[i][j]`` = import statements from ``order[i]`` to ``order[j]``.

    Rows are ordered so that a component comes after what it depends on (providers
    first) wherever the graph allows, with each cycle's members kept together: marks
    above the diagonal are then exactly the dependencies that go "upwards" (cycles).
    """

    order: tuple[str, ...]
    cells: tuple[tuple[int, ...], ...]


@dataclass(frozen=True, slots=True)
class ParseFailure:
    """Why a file could not be analysed (it becomes an SF001 finding)."""

    path: str
    reason: str
    line: int = 1
    column: int = 1


def fingerprint(code: str, subjects: tuple[str, ...]) -> str:
    """A stable key for a finding: the code and what it is about, never a line number."""

    text = "\x1f".join((code, *subjects))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:20]


@dataclass(frozen=True, slots=True)
class Finding:
    """One violation, as every reporter and the baseline see it."""

    code: str
    rule: str  # kebab-case name
    message: str
    severity: Severity
    location: Location | None
    subjects: tuple[str, ...]  # what it is about; the fingerprint is built from these
    source_component: str | None = None
    target_component: str | None = None
    related: tuple[Location, ...] = ()

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.code, self.subjects)

    def sort_key(self) -> tuple[str, int, int, str, tuple[str, ...]]:
        loc = self.location or Location("", 0, 0)
        return (loc.path, loc.line, loc.column, self.code, self.subjects)


@dataclass(frozen=True, slots=True)
class RuleInfo:
    """A rule as one run applied it: identity, configured severity and its documentation."""

    code: str
    name: str
    severity: Severity  # after configuration overrides
    summary: str  # one line
    description: str = ""  # the page's "What it does" section, Markdown
    help: str = ""  # the whole rule page, Markdown


@dataclass(frozen=True, slots=True)
class BaselineEntry:
    """Findings recorded in a baseline under one fingerprint (several sites may share one)."""

    code: str
    rule: str
    subjects: tuple[str, ...]
    message: str  # of the first finding, to make the file reviewable
    count: int

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.code, self.subjects)


@dataclass(frozen=True, slots=True)
class BaselineStatus:
    """How this run compares with a baseline; the report's findings are the new ones only."""

    path: str  # the baseline file, as given
    recorded: int  # findings the file records (sum of counts)
    known: int  # findings of this run the baseline accounts for (not reported)
    new: int  # findings of this run above the baseline
    fixed: tuple[BaselineEntry, ...]  # recorded but gone; ``count`` = how many are gone
    strict: bool = False  # --strict: fixed entries fail the run until the file is rewritten

    @property
    def fixed_count(self) -> int:
        return sum(entry.count for entry in self.fixed)


@dataclass(frozen=True, slots=True)
class GroupChurn:
    """How much, how often and by how many people a group changed (a hotspot measure)."""

    group: str
    revisions: int  # commits touching the group
    added: int  # lines, over the group's files
    deleted: int
    authors: int  # distinct authors of those commits
    first_change: int  # author time (epoch seconds) of the oldest of those commits
    last_change: int

    @property
    def churn(self) -> int:
        return self.added + self.deleted


@dataclass(frozen=True, slots=True)
class ChangeCoupling:
    """Two groups that change in the same commits; ``a < b``."""

    a: str
    b: str
    shared: int  # commits touching both
    revisions_a: int  # commits touching a (within the changeset size limit)
    revisions_b: int
    degree: int  # code-maat's coupling degree, integer percent
    jaccard: float  # shared / commits touching either, 4 decimals

    @property
    def average_revisions(self) -> int:
        """code-maat's ``average-revs`` column: the average, rounded up."""

        return -(-(self.revisions_a + self.revisions_b) // 2)


@dataclass(frozen=True, slots=True)
class HistorySummary:
    """What the change-coupling figures are based on, or why there are none."""

    commits: int  # read from git (in the window)
    grouped: int  # of those, touching at least one component
    too_large: int  # of those, left out of coupling (too many files or components)
    note: str = ""  # e.g. why history is unavailable; empty when all went well


@dataclass(frozen=True, slots=True)
class Stats:
    files_seen: int
    files_analysed: int
    files_failed: int
    seconds: float
    files_parsed: int = 0  # parsed in this run (the rest came from the cache)
    cache_hits: int = 0


AccessKind = Literal["define", "read", "write", "relation", "raw-sql"]
ACCESS_KINDS: tuple[AccessKind, ...] = ("define", "read", "write", "relation", "raw-sql")


@dataclass(frozen=True, slots=True, order=True)
class ModelDef:
    """An ORM model or a core table definition, and the component that defines it."""

    qualname: str  # module.ClassName, or module:table for a core Table()
    table: str
    component: str
    location: Location
    framework: str = ""  # django, sqlalchemy, sqlmodel, flask-sqlalchemy, sqlalchemy-core
    abstract: bool = False


@dataclass(frozen=True, slots=True, order=True)
class DataAccess:
    """One place where a module touches a table."""

    module: str
    table: str
    kind: AccessKind
    location: Location
    component: str = ""
    scope: str = ""  # enclosing function qualname, "" at module level
    via: str = ""  # the idiom: "objects.filter", "import", "fk", "sql", ...
    detail: str = ""  # e.g. the field name or the SQL verb


@dataclass(frozen=True, slots=True, order=True)
class TableOwner:
    """Who owns a table: the component defining its model, unless configuration says."""

    table: str
    owner: str | None  # None: defined outside the analysed code (django.contrib, ...)
    shared: bool = False  # declared shared in [tool.seamfinder.tables]
    declared: bool = False  # owner set in [tool.seamfinder.tables]


@dataclass(frozen=True, slots=True, order=True)
class TableUse:
    """One cell row of the data-access matrix: how a component uses a table."""

    component: str
    table: str
    owner: str | None
    defines: int = 0
    reads: int = 0
    writes: int = 0
    relations: int = 0
    raw_sql: int = 0


@dataclass(frozen=True, slots=True)
class Transaction:
    """A transaction scope and the tables written inside it."""

    module: str
    component: str
    location: Location
    scope: str
    kind: str  # atomic, session.begin, ...
    writes: tuple[DataAccess, ...]


@dataclass(frozen=True, slots=True)
class Report:
    """Everything a reporter renders; it computes nothing further."""

    root: str  # the analysed path as the user gave it, for display only
    components: tuple[Component, ...]
    dependencies: tuple[Dependency, ...]
    cycles: tuple[Cycle, ...]
    metrics: tuple[ComponentMetrics, ...]
    findings: tuple[Finding, ...]
    stats: Stats
    matrix: DependencyMatrix = DependencyMatrix((), ())
    coupled_pairs: tuple[tuple[str, str, int], ...] = ()
    models: tuple[ModelDef, ...] = ()
    data_access: tuple[DataAccess, ...] = ()
    transactions: tuple[Transaction, ...] = ()
    tables: tuple[TableOwner, ...] = ()
    data_matrix: tuple[TableUse, ...] = ()
    history: HistorySummary | None = None  # None: history not asked for
    change_coupling: tuple[ChangeCoupling, ...] = ()  # component pairs, strongest first
    hotspots: tuple[GroupChurn, ...] = ()  # components by revisions
    rules: tuple[RuleInfo, ...] = ()  # the rules this run evaluated, sorted by code
    baseline: BaselineStatus | None = None  # set by ``check`` when a baseline is used
    changed_since: str | None = None  # ``check --diff BASE``: findings touch files changed since
