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
    DYNAMIC = "dynamic"  # an import by name: get_class("app.views", ...), import_module(...)


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
    releases: int = 0  # read from git but left out as release commits (not in ``commits``)


@dataclass(frozen=True, slots=True)
class Stats:
    files_seen: int
    files_analysed: int
    files_failed: int
    seconds: float
    files_parsed: int = 0  # parsed in this run (the rest came from the cache)
    cache_hits: int = 0
    files_skipped: int = 0  # Python files left out for their name (see Report.skipped)


@dataclass(frozen=True, slots=True, order=True)
class SkippedFile:
    """A Python file left out for its name: not a module name, or an excluded file name."""

    path: str
    reason: str


# ``use``: the model class is named (imported, loaded by label) but not queried there.
AccessKind = Literal["define", "read", "write", "relation", "raw-sql", "use"]
ACCESS_KINDS: tuple[AccessKind, ...] = ("define", "read", "write", "relation", "raw-sql", "use")


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
    # Defined in a shared model layer (a component of models only, used by many): no
    # domain component owns it, so reaching into it crosses no boundary we can know.
    layer: bool = False


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
    lookups: int = 0  # of the reads, through a lookup string (``product__collections__slug``)
    uses: int = 0  # sites naming its model class without querying it (imports...)


@dataclass(frozen=True, slots=True, order=True)
class DataFindingGroup:
    """The data findings of one component on one foreign table, counted by rule code."""

    component: str
    table: str
    owner: str | None
    counts: tuple[tuple[str, int], ...]  # (code, findings), by code

    @property
    def total(self) -> int:
        return sum(count for _, count in self.counts)


@dataclass(frozen=True, slots=True)
class Transaction:
    """A transaction scope and the tables written inside it."""

    module: str
    component: str
    location: Location
    scope: str
    kind: str  # atomic, session.begin, ...
    writes: tuple[DataAccess, ...]


# --- Seams, decomposition metrics, extraction candidates and their cost ----------------


@dataclass(frozen=True, slots=True, order=True)
class ImportedName:
    """A name one module imports from another module of the project: interface in use."""

    importer: str
    module: str  # the project module imported from
    name: str  # the symbol imported from it; "" for the module itself, "*" for a star
    location: Location

    @property
    def symbol(self) -> str:
        return f"{self.module}.{self.name}" if self.name else self.module


@dataclass(frozen=True, slots=True)
class PartitionMetrics:
    """How good one partition of the modules is (formulas: analysis.decomposition)."""

    partitions: int
    modules: int
    modularity: float  # Newman's Q on the affinity graph
    structural_modularity: float  # SM, Jin et al. 2019
    icp: float | None  # share of import statements across parts; None without imports
    ifn: float  # mean number of interface modules per part
    ned: float  # share of modules in parts of extreme size
    data_purity: float | None  # share of table access sites inside the owning part
    import_sites: int
    cross_import_sites: int
    data_sites: int
    data_sites_inside: int


@dataclass(frozen=True, slots=True)
class Seam:
    """One part of the proposed partition: a community of the module affinity graph."""

    name: str  # S1, S2...: largest first
    label: str  # the declared components it gathers ("billing+orders"), or "part of X"
    modules: tuple[str, ...]
    components: tuple[tuple[str, int], ...]  # (declared component, its modules here), most first


@dataclass(frozen=True, slots=True)
class Affinity:
    """What ties one module to one component, summed over the component's modules."""

    component: str
    imports: int  # import statements between them, both ways
    data: int  # table access sites between them (one touching a table the other defines)
    cochange: float  # summed co-change degree of the module pairs (0 to 1 each)
    weight: float  # the three, with the configured weights


@dataclass(frozen=True, slots=True)
class MisplacedModule:
    """A module tied more strongly to another component than to its own."""

    module: str
    component: str  # its own
    own: Affinity
    closest: Affinity  # the strongest tie to another component
    seam: str  # the proposed part it landed in
    tables: tuple[str, ...]  # tables of the closest component it touches


@dataclass(frozen=True, slots=True)
class SeamReport:
    """The proposed partition, its metrics next to the declared components', and misfits."""

    weights: tuple[float, float, float]  # imports, data, co-change
    resolution: float
    seed: int
    modules: int  # graph nodes: every module outside the root bucket
    edges: int
    cochange: bool  # module co-change from git history was part of the graph
    seams: tuple[Seam, ...]
    declared: PartitionMetrics
    proposed: PartitionMetrics
    agreement: float  # adjusted Rand index of the declared and the proposed partition
    misplaced: tuple[MisplacedModule, ...]


@dataclass(frozen=True, slots=True)
class ScoreFactor:
    """One line of a candidate's score: the figure, the points it costs, in words."""

    name: str  # kebab-case: inbound-calls, shared-tables...
    value: float
    points: float  # taken off 100
    detail: str
    weight: float = 0.0  # the factor's weight (points = 100 * weight * value/(value+half) / sum)
    half: float = 0.0  # the value that costs half the weight


HookKind = Literal[
    "route",  # a URL pattern or router registration (the module that declares it)
    "view",  # a module that serves requests: views, viewsets, resolvers, mutations, consumers
    "task",  # a Celery/dramatiq/huey task
    "command",  # a Django management command
    "receiver",  # a signal receiver (``@receiver``, ``signal.connect``)
    "add-to-class",  # ``Model.add_to_class(...)``: a method or field attached from outside
    "registry",  # ``site.register(Model)``, ``@admin.register``, search-index registrations
    "setting",  # a dotted path in settings naming project code (backends, middleware...)
]
HOOK_KINDS: tuple[HookKind, ...] = (
    "route",
    "view",
    "task",
    "command",
    "receiver",
    "add-to-class",
    "registry",
    "setting",
)
# Entry points: how the outside world reaches a component without importing it.
ENTRY_KINDS = frozenset({"route", "view", "task", "command", "receiver", "setting"})


@dataclass(frozen=True, slots=True, order=True)
class Hook:
    """A way code is reached or wired without an import statement saying so."""

    module: str  # where it is written
    kind: HookKind
    location: Location
    name: str = ""  # the handler, task, command or URL pattern
    signal: str = ""  # receivers: the signal, dotted through the file's imports
    target: str = ""  # what it hooks onto, dotted or ``label.Model``: sender, class, setting's path


UseKind = Literal["type-only", "enqueue", "call", "unused"]


@dataclass(frozen=True, slots=True, order=True)
class NameUse:
    """How the module importing a name uses it, read from the text of the importer."""

    importer: str
    module: str
    name: str  # as in :class:`ImportedName`
    line: int  # of the import statement
    use: UseKind


@dataclass(frozen=True, slots=True, order=True)
class SuiteImport:
    """A test file (excluded from analysis) importing a module of the project."""

    path: str
    module: str
    line: int


@dataclass(frozen=True, slots=True)
class Candidate:
    """A component as an extraction candidate; ``score`` 100: nothing stands in the way."""

    component: str
    rank: int
    score: float
    factors: tuple[ScoreFactor, ...]
    reasons: tuple[str, ...]  # in words, the most telling first
    owned_tables: tuple[str, ...]
    shared_tables: tuple[str, ...]  # owned tables that other components touch
    foreign_tables: tuple[str, ...]  # other components' tables it touches
    inbound_sites: int  # import statements from elsewhere into it
    interface: tuple[str, ...]  # its symbols imported from elsewhere
    outbound_sites: int  # import statements from it into other components
    cycle: tuple[str, ...]  # the components of the cycle it is in, or ()
    transactions: int  # transactions writing its tables and another component's
    lines: int
    revisions: int | None = None  # commits touching it (with --history)
    viable: bool = True  # False: set apart before scoring (not a service), see ``set_apart``
    set_apart: str = ""  # why it is not a service: "shared kernel: ...", "below the size floor"
    entry_points: tuple[str, ...] = ()  # kinds and counts: "3 routes", "2 tasks"
    events: int = 0  # cross-component signals it would publish or subscribe to
    fragment_of: str = ""  # the proposed seam it is a fragment of, with the others in it


@dataclass(frozen=True, slots=True)
class NetworkCall:
    """One module's import statements that would cross the new service boundary."""

    caller: str
    component: str  # the caller's component before the extraction
    inbound: bool  # True: the monolith calls the service; False: the service calls out
    sites: tuple[ImportEdge, ...]
    names: tuple[ImportedName, ...]  # what those statements import
    # Per site, in the order of ``sites``: what crossing it means (see ``SITE_KINDS``).
    kinds: tuple[str, ...] = ()
    request: str = ""  # "every request" (middleware...), "per request" (views...), or ""


# What an import statement across the boundary becomes once the service is split off.
SITE_KINDS = (
    "type-only",  # TYPE_CHECKING or used in annotations only: dropped
    "contract",  # constants and enums: a shared contract (a copied type or a schema)
    "route",  # a URL registration: the gateway routes to the service
    "message",  # a task enqueued (.delay/.apply_async): already asynchronous
    "call",  # a synchronous call (or a model used in-process): a remote call
)


@dataclass(frozen=True, slots=True)
class PublishedSymbol:
    """A symbol of the service that code staying behind uses: part of its API."""

    symbol: str
    users: tuple[str, ...]  # importing modules
    sites: int


@dataclass(frozen=True, slots=True)
class MovingTable:
    """A table the service takes with it, and who else still uses it."""

    table: str
    module: str  # where it is defined
    users: tuple[TableUse, ...]  # other components' sites on it


@dataclass(frozen=True, slots=True)
class ExtractionSheet:
    """What extracting one component (with modules added or left behind) would cost."""

    root: str
    component: str
    modules: tuple[str, ...]  # of the new service
    added: tuple[str, ...]  # taken from other components (--with)
    left_behind: tuple[str, ...]  # of the component, staying in the monolith (--without)
    calls: tuple[NetworkCall, ...]  # inbound first, then by caller
    interface: tuple[PublishedSymbol, ...]
    tables: tuple[MovingTable, ...]
    foreign_tables: tuple[TableUse, ...]  # the service's sites on tables that stay behind
    relations: tuple[DataAccess, ...]  # foreign keys and relationships across the boundary
    sagas: tuple[Transaction, ...]  # transactions writing tables on both sides
    cycles: tuple[Cycle, ...]  # cycles through the service after extraction: its own edges
    before: PartitionMetrics  # the declared components
    after: PartitionMetrics  # with the service carved out as asked
    tables_taken: tuple[str, ...] = ()  # model classes named with --with (their tables move)
    tables_kept: tuple[str, ...] = ()  # model classes named with --without (they stay)
    row_locks: tuple[DataAccess, ...] = ()  # select_for_update inside the sagas
    lookups: tuple[DataAccess, ...] = ()  # lookup strings crossing the boundary, both ways
    hooks: tuple[Hook, ...] = ()  # receivers, registrations, settings across the boundary
    effort: Effort | None = None
    suggestion: Suggestion | None = None

    @property
    def unchanged(self) -> bool:
        """The decomposition metrics are the same before and after (nothing moved apart)."""

        return self.before == self.after


@dataclass(frozen=True, slots=True)
class MigrationStep:
    """The data migration of one moving table, step by step."""

    table: str
    steps: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Effort:
    """What carrying out an extraction touches: code on both sides, tests, data."""

    service_modules: int
    service_lines: int
    monolith_modules: tuple[str, ...]  # modules staying behind that must change
    monolith_lines: int  # their lines
    tests: tuple[SuiteImport, ...]  # test files importing moved code
    migrations: tuple[MigrationStep, ...]
    cascades: tuple[DataAccess, ...]  # on_delete=CASCADE across the boundary: become events


@dataclass(frozen=True, slots=True)
class Suggestion:
    """Modules elsewhere to take along (``--with``) that lower the cost most, and by how much."""

    modules: tuple[str, ...]
    calls_before: int  # synchronous inbound call sites without them
    calls_after: int  # with them
    outbound_before: int
    outbound_after: int


@dataclass(frozen=True, slots=True)
class ServiceInfo:
    """A service or shared library of a repository of services."""

    name: str
    kind: str  # service | library
    paths: tuple[str, ...]  # its folders
    detected_by: str  # config, compose, markers, shared-code
    reason: str
    modules: tuple[str, ...]  # qualified: ``orders:app.models``
    lines: int
    hostnames: tuple[str, ...]  # names other services can call it by
    score: int = 0  # its strongest distributed-monolith score with another service


@dataclass(frozen=True, slots=True)
class Evidence:
    """One reason two services are coupled, and the points it adds to their score."""

    kind: str  # import, shared-library, shared-table, shared-database, call, call-cycle,
    # message, co-change
    weight: int
    count: int  # sites, tables, commits...
    detail: str
    sites: tuple[Location, ...] = ()


@dataclass(frozen=True, slots=True)
class ServicePair:
    """The distributed-monolith score of two services (``a < b``) and its evidence."""

    a: str
    b: str
    score: int  # 0-100, the sum of the evidence weights, capped
    level: str  # independent, loosely-coupled, coupled, distributed-monolith
    evidence: tuple[Evidence, ...]


@dataclass(frozen=True, slots=True, order=True)
class ServiceCall:
    """A synchronous call from one service to another."""

    source: str
    target: str
    location: Location
    protocol: str  # http, grpc, rpc (nameko)
    library: str  # requests, httpx, aiohttp, urllib, grpc, nameko
    method: str  # the HTTP method; "" for RPC
    url: str  # template, "{}" for what is not static; the address or service name for RPC
    via: str  # how the target was told: "url host orders", "env ORDERS_URL"...


@dataclass(frozen=True, slots=True, order=True)
class ServiceMessage:
    """An asynchronous message from one service to another (a task, an event, a topic)."""

    source: str  # the sender
    target: str  # the receiver
    location: Location  # where it is sent (or, when no sender is seen, received)
    protocol: str  # task, event, message
    library: str  # celery, nameko, kombu, pika, kafka, redis...
    topic: str  # task name, service.event, topic, queue or channel
    via: str  # how the two ends were paired


@dataclass(frozen=True, slots=True)
class ScorePart:
    """The points one kind of coupling adds to the overall distributed-monolith score."""

    kind: str  # as Evidence.kind
    points: int  # the parts add up to the overall score
    pairs: int  # the pairs whose score counts (each service's strongest) with this kind


@dataclass(frozen=True, slots=True)
class ServicesReport:
    """The services of a repository of services and how entangled they are."""

    services: tuple[ServiceInfo, ...]
    pairs: tuple[ServicePair, ...]  # with any evidence, highest score first
    calls: tuple[ServiceCall, ...]
    score: int  # overall: the mean over services of each one's strongest pair score
    level: str
    history: HistorySummary | None = None  # None: history not asked for
    change_coupling: tuple[ChangeCoupling, ...] = ()  # service pairs, strongest first
    hotspots: tuple[GroupChurn, ...] = ()  # services and libraries by revisions
    weights: tuple[tuple[str, int], ...] = ()  # points per kind of evidence
    levels: tuple[tuple[int, str], ...] = ()  # (lowest score, level), highest first
    messages: tuple[ServiceMessage, ...] = ()  # asynchronous, apart from the calls
    breakdown: tuple[ScorePart, ...] = ()  # the overall score by kind of coupling


@dataclass(frozen=True, slots=True)
class OwnershipRow:
    """One component's data: how many tables it owns, the other components' tables it uses."""

    component: str
    owns: int
    foreign: tuple[str, ...]  # sorted


@dataclass(frozen=True, slots=True)
class CrossingTable:
    """A table used by components other than its owner: where a data boundary leaks."""

    table: str
    owner: str
    users: tuple[TableUse, ...]  # the other components' uses, by component


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
    ownership: tuple[OwnershipRow, ...] = ()  # by component, those with tables only
    crossing_tables: tuple[CrossingTable, ...] = ()  # by table, shared tables left out
    # SF201-SF204 and SF208 findings per (source component, table), most findings first
    data_groups: tuple[DataFindingGroup, ...] = ()
    history: HistorySummary | None = None  # None: history not asked for
    change_coupling: tuple[ChangeCoupling, ...] = ()  # component pairs, strongest first
    hotspots: tuple[GroupChurn, ...] = ()  # components by revisions
    rules: tuple[RuleInfo, ...] = ()  # the rules this run evaluated, sorted by code
    baseline: BaselineStatus | None = None  # set by ``check`` when a baseline is used
    changed_since: str | None = None  # ``check --diff BASE``: findings touch files changed since
    seams: SeamReport | None = None  # proposed partition, decomposition metrics, misfits
    candidates: tuple[Candidate, ...] = ()  # extraction candidates, easiest first
    services: ServicesReport | None = None  # a repository of services; None: one project
    skipped: tuple[SkippedFile, ...] = ()  # sorted by path


@dataclass(frozen=True, slots=True)
class CandidateList:
    """What ``seamfinder candidates`` shows: the ranked candidates of one root (the viable
    ones first, then those set apart)."""

    root: str
    candidates: tuple[Candidate, ...]


@dataclass(frozen=True, slots=True)
class RuleCatalog:
    """What ``seamfinder rules`` shows: every rule, in code order."""

    rules: tuple[RuleInfo, ...]


@dataclass(frozen=True, slots=True, order=True)
class FacadeExport:
    """One name a seam's facade binds: ``module``'s ``name`` (the module itself if "")."""

    module: str
    name: str
    bound: str  # the name in the facade

    @property
    def key(self) -> tuple[str, str]:
        return (self.module, self.name)

    @property
    def symbol(self) -> str:
        return f"{self.module}.{self.name}" if self.name else self.module


@dataclass(frozen=True, slots=True, order=True)
class SeamWork:
    """A use of a component's internals that a seam cannot route through its facade."""

    location: Location
    importer: str
    kind: str  # dynamic import, star import, plain import, read, write, relation, raw-sql
    target: str  # what it reaches: a module, a symbol, or a table
    suggestion: str  # the name to add to the facade for it
    detail: str = ""


@dataclass(frozen=True, slots=True)
class SeamOutcome:
    """What ``seamfinder seam`` did, or would do: the facade, the files and their diff."""

    root: str
    component: str
    facade: str  # dotted module
    facade_path: str  # relative to the root
    exports: tuple[FacadeExport, ...]  # everything the facade binds after the seam
    added: tuple[FacadeExport, ...]  # the exports this run adds
    remaining: tuple[SeamWork, ...]
    cycles: tuple[tuple[str, ...], ...]  # new import cycles (then nothing is written)
    changed: tuple[str, ...] = ()  # paths relative to the root, the configuration's included
    diff: str = ""  # unified, every changed file
    imports_rewritten: int = 0  # import statements pointed at the facade
    unparsable: tuple[tuple[str, str], ...] = ()  # (path, reason): files left alone
    config_path: str = ""
    config_error: str = ""  # why the configuration could not be edited, if it could not
    applied: bool = False
