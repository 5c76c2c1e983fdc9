"""Extraction candidates: which component could become a service with the least work.

First, what is not a service is set apart (:mod:`~seamfinder.analysis.viability`): shared
kernels, packages of abstract models only, packages under the size floor, and packages
with neither a table of their own nor an entry point. They are listed after every viable
candidate, with the reason, whatever their score.

Then each component (the root bucket aside) gets a score from 0 to 100, where 100 means
that nothing found stands in the way. Every factor is a figure from the report, turned
into a penalty between 0 and 1 and weighted; the breakdown keeps the figure, its weight
and half-value, the points it costs and a sentence, so that a reader can check every
point against the code::

    penalty = value / (value + half)      (half: the value that costs half the weight)
    points  = 100 * weight * penalty / (sum of the weights in play)
    score   = 100 - sum of points

| factor | value | half | weight |
| --- | --- | --- | --- |
| fan-in | components calling into it or using its tables (type-only imports aside) | 2 | 3 |
| inbound-calls | synchronous call sites from elsewhere; those on every request count 3 | 10 | 3 |
| inbound-other | routes, enqueued tasks and constants imported from elsewhere | 10 | 0.5 |
| interface | distinct symbols used from elsewhere (type-only aside) | 10 | 2 |
| inbound-writes | other components' write sites on its tables | 3 | 3 |
| inbound-reads | other components' reads, joins, lookups and raw SQL on its tables | 8 | 2 |
| shared-tables | its tables that other components touch (cannot simply move) | 2 | 2 |
| foreign-writes | its write sites on other components' tables | 3 | 3 |
| foreign-reads | its reads, joins, lookups and raw SQL on other components' tables | 8 | 1.5 |
| outbound-calls | its synchronous call sites into the rest | 10 | 2 |
| events | signals across components it would publish or subscribe to | 3 | 2 |
| cycle | 1 when it is in a cycle of synchronous calls (a distributed cycle once split) | 1 | 2 |
| transactions | transactions writing its tables and another component's (sagas) | 1 | 3 |
| size | lines of code | 3000 | 1 |
| cochange | with --history: its highest coupling degree with a component (0 to 1) | 1 | 2 |

Writes weigh more than reads on both sides: a write into another component's table is
a command that must become an API call (or a saga), a read can become a replicated view.
What an import becomes is decided per site (:mod:`~seamfinder.analysis.inbound`): type-
only imports cost nothing, a route is the gateway's, an enqueued task is already a
message, a constant is a contract; only calls are counted as calls.

Churn (commits touching the component, with --history) is shown, not scored: a hotspot
gains most from independent deploys but is not harder to extract for it.

Saturation keeps one huge figure from hiding all others and makes the points of one
factor independent of the other components, so a score means the same in every project.
Reading data: an import of a model class is counted as an import statement, not again as
a table site. Tables declared shared, and tables defined outside the code, belong to
nobody and cost nothing.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from seamfinder.analysis.cycles import find_cycles
from seamfinder.analysis.data import owners_by_table, transaction_owners
from seamfinder.analysis.hooks import HookView, hook_view
from seamfinder.analysis.inbound import request_reach, site_kinds
from seamfinder.analysis.state import Analysis
from seamfinder.analysis.viability import Viability, viability
from seamfinder.core.model import ROOT_COMPONENT, Candidate, Cycle, ScoreFactor, SeamReport
from seamfinder.resolve.graph import component_dependencies


@dataclass(frozen=True, slots=True)
class _Factor:
    name: str
    half: float
    weight: float


FACTORS = (
    _Factor("fan-in", 2, 3),
    _Factor("inbound-calls", 10, 3),
    _Factor("inbound-other", 10, 0.5),
    _Factor("interface", 10, 2),
    _Factor("inbound-writes", 3, 3),
    _Factor("inbound-reads", 8, 2),
    _Factor("shared-tables", 2, 2),
    _Factor("foreign-writes", 3, 3),
    _Factor("foreign-reads", 8, 1.5),
    _Factor("outbound-calls", 10, 2),
    _Factor("events", 3, 2),
    _Factor("cycle", 1, 2),
    _Factor("transactions", 1, 3),
    _Factor("size", 3000, 1),
    _Factor("cochange", 1, 2),
)
_HISTORY_ONLY = frozenset({"cochange"})
_REASONS = 3  # costs named in words; then what helps
_EVERY_REQUEST = 3  # a call on every request counts this many times


@dataclass(slots=True)
class _Figures:
    """What one component's score is made of (mutable while gathered, never exported)."""

    fan_in: set[str] = field(default_factory=set)
    importers: set[str] = field(default_factory=set)  # any import, type-only aside
    inbound_sites: int = 0  # every import statement into it
    inbound_kinds: Counter[str] = field(default_factory=Counter)
    every_request: int = 0
    per_request: int = 0
    interface: set[str] = field(default_factory=set)
    inbound_writes: int = 0
    inbound_reads: int = 0
    inbound_data_by: Counter[str] = field(default_factory=Counter)
    owned: set[str] = field(default_factory=set)
    shared: set[str] = field(default_factory=set)
    foreign: set[str] = field(default_factory=set)
    foreign_reads: int = 0
    foreign_writes: int = 0
    foreign_lookups: int = 0
    outbound_sites: int = 0
    outbound_calls: int = 0
    outbound_to: set[str] = field(default_factory=set)


def rank_candidates(analysis: Analysis, seams: SeamReport | None = None) -> tuple[Candidate, ...]:
    """Every component: the viable ones easiest first, then those set apart (then by name)."""

    names = [c.name for c in analysis.components.components if c.name != ROOT_COMPONENT]
    figures = {name: _Figures() for name in names}
    type_only = _gather_imports(analysis, figures)
    _gather_data(analysis, figures, type_only)
    cycle_of = {m: c.components for c in _call_cycles(analysis) for m in c.components}
    owners = owners_by_table(analysis.tables)
    transactions: Counter[str] = Counter()
    for transaction in analysis.transactions:
        involved = transaction_owners(transaction, owners)
        if len(involved) > 1:
            for owner in involved:
                transactions[owner] += 1
    revisions, cochange = _history(analysis)
    hooks = hook_view(analysis.hooks, analysis.components)
    apart = viability(analysis, {n: len(f.importers) for n, f in figures.items()}, hooks)
    lines = {c.name: c.lines for c in analysis.components.components}
    viable = {name for name, verdict in apart.items() if verdict.viable}
    fragments = _fragments(seams, viable) if seams is not None else {}
    unranked = [
        _candidate(
            name,
            figures[name],
            _Context(
                cycle=cycle_of.get(name, ()),
                transactions=transactions[name],
                lines=lines[name],
                revisions=revisions,
                cochange=cochange,
                hooks=hooks,
                viable=apart[name],
                fragment=fragments.get(name, ""),
            ),
        )
        for name in names
    ]
    ordered = sorted(unranked, key=lambda c: (not c.viable, -c.score, c.component))
    return tuple(replace(c, rank=i) for i, c in enumerate(ordered, start=1))


def _call_cycles(analysis: Analysis) -> tuple[Cycle, ...]:
    """Cycles of synchronous calls between components: an import cycle closed only by a
    type-only import, an enqueued task or a constant is no distributed cycle."""

    of = analysis.components.component_of
    kinds = site_kinds(analysis.imported_names, analysis.name_uses, analysis.enumerations)
    calls = [e for e in analysis.imports if of(e.importer) != of(e.imported)]
    calls = [e for e in calls if kinds.kind(e) == "call"]
    names = [c.name for c in analysis.components.components if c.name != ROOT_COMPONENT]
    dependencies = component_dependencies(calls, of, ignore_type_checking=True)
    return find_cycles(
        names, [d for d in dependencies if ROOT_COMPONENT not in (d.source, d.target)]
    )


def _gather_imports(analysis: Analysis, figures: dict[str, _Figures]) -> set[tuple[str, int]]:
    """Import figures; returns the type-only sites, as (importer, line)."""

    of = analysis.components.component_of
    kinds = site_kinds(analysis.imported_names, analysis.name_uses, analysis.enumerations)
    type_only_sites: set[tuple[str, str, int]] = set()
    for edge in analysis.imports:
        source, target = of(edge.importer), of(edge.imported)
        if source == target:
            continue
        kind = kinds.kind(edge)
        if kind == "type-only":
            type_only_sites.add((edge.importer, edge.imported, edge.location.line))
        if target in figures:
            f = figures[target]
            f.inbound_sites += 1
            f.inbound_kinds[kind] += 1
            if kind != "type-only" and source != ROOT_COMPONENT:
                f.importers.add(source)
            if kind == "call":
                reach = request_reach(edge.importer)
                f.every_request += reach == "every request"
                f.per_request += reach == "per request"
                if source != ROOT_COMPONENT:
                    f.fan_in.add(source)
        if source in figures:
            figures[source].outbound_sites += 1
            figures[source].outbound_calls += kind == "call"
            figures[source].outbound_to.add(target)
    for name in analysis.imported_names:
        source, target = of(name.importer), of(name.module)
        site = (name.importer, name.module, name.location.line)
        if source != target and target in figures and site not in type_only_sites:
            figures[target].interface.add(name.symbol)
    return {(importer, line) for importer, _, line in type_only_sites}


def _gather_data(
    analysis: Analysis, figures: dict[str, _Figures], type_only: set[tuple[str, int]]
) -> None:
    owners = owners_by_table(analysis.tables)
    for table in analysis.tables:
        if table.owner in figures and not table.shared:
            figures[table.owner].owned.add(table.table)
    for access in analysis.data_access:
        info = owners.get(access.table)
        if access.kind == "define" or info is None or info.owner is None or info.shared:
            continue
        if access.via == "attribute":
            continue  # ``Model.attr`` only marks the class as used in query code

        component, owner = access.component, info.owner
        if component in (owner, ROOT_COMPONENT):
            continue
        naming = access.kind == "use"  # an import or get_model: the statement counts already
        if access.via == "import" and (access.module, access.location.line) in type_only:
            continue  # named in annotations only: no table is touched
        if owner in figures:
            figures[owner].shared.add(access.table)
        write = access.kind == "write"
        if owner in figures and not naming:
            figures[owner].inbound_writes += write
            figures[owner].inbound_reads += not write
            figures[owner].inbound_data_by[component] += 1
        if component in figures:
            figures[component].foreign.add(access.table)
            if not naming:
                figures[component].foreign_writes += write
                figures[component].foreign_reads += not write
                figures[component].foreign_lookups += access.via.startswith("lookup")


def _fragments(seams: SeamReport, viable: set[str]) -> dict[str, str]:
    """Viable components whose modules sit mostly in a proposed seam that gathers other
    viable components too."""

    found: dict[str, str] = {}
    for name in sorted(viable):
        best = max(
            seams.seams,
            key=lambda s: (dict(s.components).get(name, 0), -int(s.name[1:])),
            default=None,
        )
        if best is None or not dict(best.components).get(name):
            continue
        gathered = best.label.split("+")
        others = [g for g in gathered if g != name and g in viable]
        if name in gathered and others:
            found[name] = f"{best.name}, with {', '.join(others)}"
    return found


def _history(analysis: Analysis) -> tuple[Mapping[str, int] | None, Mapping[str, tuple[int, str]]]:
    history = analysis.history
    if history is None or isinstance(history, str):
        return None, {}
    revisions = {churn.group: churn.revisions for churn in history.churn}
    strongest: dict[str, tuple[int, str]] = {}
    for pair in history.coupling:
        for side, other in ((pair.a, pair.b), (pair.b, pair.a)):
            if pair.degree > strongest.get(side, (-1, ""))[0]:
                strongest[side] = (pair.degree, other)
    return revisions, strongest


def plural(count: int, one: str, many: str | None = None) -> str:
    return f"{count} {one if count == 1 else (many or one + 's')}"


def listed(items: Mapping[str, int] | set[str], limit: int = 3) -> str:
    names = (
        sorted(items, key=lambda n: (-items[n], n)) if isinstance(items, Mapping) else sorted(items)
    )
    shown = ", ".join(names[:limit])
    return shown + (f" and {len(names) - limit} more" if len(names) > limit else "")


@dataclass(frozen=True, slots=True)
class _Context:
    cycle: tuple[str, ...]
    transactions: int
    lines: int
    revisions: Mapping[str, int] | None
    cochange: Mapping[str, tuple[int, str]]
    hooks: HookView
    viable: Viability
    fragment: str


def _inbound_calls(f: _Figures) -> tuple[float, str]:
    calls = f.inbound_kinds["call"]
    value = calls + (_EVERY_REQUEST - 1) * f.every_request
    detail = f"{plural(calls, 'synchronous call site')} from elsewhere"
    reach = []
    if f.every_request:
        reach.append(f"{f.every_request} on every request (middleware...), counted 3 times")
    if f.per_request:
        reach.append(f"{f.per_request} in views or resolvers")
    return value, detail + (f" ({'; '.join(reach)})" if reach else "")


def _inbound_other(f: _Figures) -> tuple[float, str]:
    k = f.inbound_kinds
    value = k["route"] + k["message"] + k["contract"]
    bits = [
        f"{plural(k['route'], 'route registration')} (the gateway's)",
        f"{plural(k['message'], 'task')} enqueued (already messages)",
        f"{plural(k['contract'], 'constant or enum import')} (a shared contract)",
    ]
    dropped = f"; {k['type-only']} type-only dropped" if k["type-only"] else ""
    return value, ", ".join(bits) + dropped


def _values(name: str, f: _Figures, c: _Context) -> dict[str, tuple[float, str]]:
    degree, partner = c.cochange.get(name, (0, ""))
    others = [x for x in c.cycle if x != name]
    users = f.fan_in | set(f.inbound_data_by)
    outbound_to = sorted(f.outbound_to - {ROOT_COMPONENT})
    events = c.hooks.publishes.get(name, frozenset()) | c.hooks.subscribes.get(name, frozenset())
    published = len(c.hooks.publishes.get(name, ()))
    subscribed = len(c.hooks.subscribes.get(name, ()))
    return {
        "fan-in": (
            len(users),
            f"used by {plural(len(users), 'component')} (calls or its tables)"
            + (f" ({listed(users)})" if users else ""),
        ),
        "inbound-calls": _inbound_calls(f),
        "inbound-other": _inbound_other(f),
        "interface": (
            len(f.interface),
            f"{plural(len(f.interface), 'symbol')} of it used from elsewhere"
            + (f" ({listed(f.interface)})" if f.interface else ""),
        ),
        "inbound-writes": (
            f.inbound_writes,
            f"other components write its tables at {plural(f.inbound_writes, 'site')}",
        ),
        "inbound-reads": (
            f.inbound_reads,
            f"other components read or join its tables at {plural(f.inbound_reads, 'site')}"
            + (f" ({listed(f.inbound_data_by)})" if f.inbound_data_by else ""),
        ),
        "shared-tables": (
            len(f.shared),
            f"{len(f.shared)} of its {plural(len(f.owned), 'table')} used by others"
            + (f" ({listed(f.shared)})" if f.shared else ""),
        ),
        "foreign-writes": (
            f.foreign_writes,
            f"writes other components' tables at {plural(f.foreign_writes, 'site')}",
        ),
        "foreign-reads": (
            f.foreign_reads,
            f"reads {plural(len(f.foreign), 'table')} of other components at "
            f"{plural(f.foreign_reads, 'site')}, {f.foreign_lookups} through lookups"
            + (f" ({listed(f.foreign)})" if f.foreign else ""),
        ),
        "outbound-calls": (
            f.outbound_calls,
            f"{plural(f.outbound_calls, 'synchronous call site')} of "
            f"{plural(f.outbound_sites, 'import statement')} into "
            + (listed(set(outbound_to)) if outbound_to else "")
            + (" and " if outbound_to and ROOT_COMPONENT in f.outbound_to else "")
            + ("the root bucket" if ROOT_COMPONENT in f.outbound_to else "")
            + ("no other component" if not f.outbound_to else ""),
        ),
        "events": (
            len(events),
            f"{plural(published, 'event')} others hear, {subscribed} of others it hears"
            + (f" ({listed(set(events))})" if events else ""),
        ),
        "cycle": (
            1 if others else 0,
            f"in a cycle of synchronous calls with {listed(set(others))}"
            if others
            else "in no cycle of synchronous calls",
        ),
        "transactions": (
            c.transactions,
            f"{plural(c.transactions, 'transaction')} write its tables and another component's",
        ),
        "size": (c.lines, f"{c.lines} lines"),
        "cochange": (
            degree / 100,
            f"changes with {partner} in {degree}% of their commits"
            if partner
            else "changes with no other component above the thresholds",
        ),
    }


def _candidate(name: str, f: _Figures, c: _Context) -> Candidate:
    history = c.revisions is not None
    values = _values(name, f, c)
    in_play = [factor for factor in FACTORS if history or factor.name not in _HISTORY_ONLY]
    total_weight = sum(factor.weight for factor in in_play)
    factors: list[ScoreFactor] = []
    for factor in in_play:
        value, detail = values[factor.name]
        penalty = value / (value + factor.half) if value > 0 else 0.0
        points = round(100 * factor.weight * penalty / total_weight, 1)
        factors.append(
            ScoreFactor(
                factor.name, round(float(value), 4), points, detail, factor.weight, factor.half
            )
        )
    if history:
        count = (c.revisions or {}).get(name, 0)
        factors.append(
            ScoreFactor("churn", float(count), 0.0, f"{plural(count, 'commit')} (not scored)")
        )
    score = round(max(0.0, 100 - sum(x.points for x in factors)), 1)
    entry = c.hooks.entry_points.get(name)
    events = c.hooks.publishes.get(name, frozenset()) | c.hooks.subscribes.get(name, frozenset())
    return Candidate(
        component=name,
        rank=0,
        score=score,
        factors=tuple(factors),
        reasons=_reasons(factors, f, c),
        owned_tables=tuple(sorted(f.owned)),
        shared_tables=tuple(sorted(f.shared)),
        foreign_tables=tuple(sorted(f.foreign)),
        inbound_sites=f.inbound_sites,
        interface=tuple(sorted(f.interface)),
        outbound_sites=f.outbound_sites,
        cycle=tuple(c.cycle),
        transactions=c.transactions,
        lines=c.lines,
        revisions=(c.revisions or {}).get(name, 0) if history else None,
        viable=c.viable.viable,
        set_apart=c.viable.reason,
        entry_points=tuple(plural(n, kind) for kind, n in sorted((entry or Counter()).items())),
        events=len(events),
        fragment_of=c.fragment,
    )


def _reasons(factors: list[ScoreFactor], f: _Figures, c: _Context) -> tuple[str, ...]:
    costs = sorted((x for x in factors if x.points >= 1.0), key=lambda x: (-x.points, x.name))
    reasons = [x.detail for x in costs[:_REASONS]]
    if not c.viable.viable:
        reasons.insert(0, f"set apart: {c.viable.reason}")
    if c.fragment:
        reasons.insert(0, f"a fragment of the proposed seam {c.fragment}")
    helps = []
    if f.inbound_kinds["call"] == 0:
        helps.append("nothing else calls it")
    if f.owned and not f.shared:
        helps.append(f"owns its {plural(len(f.owned), 'table')} alone")
    if not f.foreign:
        helps.append("touches no other component's table")
    entry = c.hooks.entry_points.get(c.viable.component)
    if entry and c.viable.viable:
        helps.append("entry points: " + ", ".join(plural(n, k) for k, n in sorted(entry.items())))
    return tuple(reasons + helps[: max(0, _REASONS + 3 - len(reasons))])
