"""Extraction candidates: which component could become a service with the least work.

Each component (the root bucket aside) gets a score from 0 to 100, where 100 means that
nothing found stands in the way. Every factor is a figure from the report, turned into a
penalty between 0 and 1 and weighted; the breakdown keeps the figure, the points it
costs and a sentence, so that a reader can check every point against the code::

    penalty = value / (value + half)      (half: the value that costs half the weight)
    points  = 100 * weight * penalty / (sum of the weights in play)
    score   = 100 - sum of points

| factor | value | half | weight |
| --- | --- | --- | --- |
| fan-in | components importing it (the root bucket aside) | 2 | 4 |
| inbound-imports | import statements from outside into it (calls that become remote) | 10 | 3 |
| interface | distinct symbols imported from it (the API to publish) | 10 | 2 |
| inbound-data | other components' sites on its tables (reads, writes, FKs, raw SQL) | 5 | 3 |
| shared-tables | its tables that other components touch (cannot simply move) | 2 | 2 |
| foreign-data | its sites on other components' tables, writes counted twice | 5 | 2 |
| outbound-imports | import statements from it into the rest (its synchronous calls) | 10 | 2 |
| cycle | 1 when it is in an import cycle (a distributed cycle once split) | 1 | 2 |
| transactions | transactions writing its tables and another component's (sagas) | 1 | 2 |
| size | lines of code | 3000 | 1 |
| cochange | with --history: its highest coupling degree with a component (0 to 1) | 1 | 2 |

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

from seamfinder.analysis.data import owners_by_table, transaction_owners
from seamfinder.analysis.state import Analysis
from seamfinder.core.model import ROOT_COMPONENT, Candidate, ScoreFactor


@dataclass(frozen=True, slots=True)
class _Factor:
    name: str
    half: float
    weight: float


FACTORS = (
    _Factor("fan-in", 2, 4),
    _Factor("inbound-imports", 10, 3),
    _Factor("interface", 10, 2),
    _Factor("inbound-data", 5, 3),
    _Factor("shared-tables", 2, 2),
    _Factor("foreign-data", 5, 2),
    _Factor("outbound-imports", 10, 2),
    _Factor("cycle", 1, 2),
    _Factor("transactions", 1, 2),
    _Factor("size", 3000, 1),
    _Factor("cochange", 1, 2),
)
_HISTORY_ONLY = frozenset({"cochange"})
_REASONS = 3  # costs named in words; then what helps


@dataclass(slots=True)
class _Figures:
    """What one component's score is made of (mutable while gathered, never exported)."""

    fan_in: set[str] = field(default_factory=set)
    inbound_sites: int = 0
    interface: set[str] = field(default_factory=set)
    inbound_data: int = 0
    inbound_data_by: Counter[str] = field(default_factory=Counter)
    owned: set[str] = field(default_factory=set)
    shared: set[str] = field(default_factory=set)
    foreign: set[str] = field(default_factory=set)
    foreign_sites: int = 0
    foreign_writes: int = 0
    outbound_sites: int = 0
    outbound_to: set[str] = field(default_factory=set)


def rank_candidates(analysis: Analysis) -> tuple[Candidate, ...]:
    """Every component, easiest to extract first (then by name)."""

    names = [c.name for c in analysis.components.components if c.name != ROOT_COMPONENT]
    of = analysis.components.component_of
    figures = {name: _Figures() for name in names}
    for edge in analysis.imports:
        source, target = of(edge.importer), of(edge.imported)
        if source == target:
            continue
        if target in figures:
            figures[target].inbound_sites += 1
            if source != ROOT_COMPONENT:
                figures[target].fan_in.add(source)
        if source in figures:
            figures[source].outbound_sites += 1
            figures[source].outbound_to.add(target)
    for name in analysis.imported_names:
        source, target = of(name.importer), of(name.module)
        if source != target and target in figures:
            figures[target].interface.add(name.symbol)
    owners = owners_by_table(analysis.tables)
    for table in analysis.tables:
        if table.owner in figures and not table.shared:
            figures[table.owner].owned.add(table.table)
    for access in analysis.data_access:
        info = owners.get(access.table)
        if access.kind == "define" or info is None or info.owner is None or info.shared:
            continue
        component, owner = access.component, info.owner
        if component in (owner, ROOT_COMPONENT):
            continue
        if owner in figures:
            figures[owner].shared.add(access.table)
        naming = access.via == "import"  # the import statement counts already
        if owner in figures and not naming:
            figures[owner].inbound_data += 1
            figures[owner].inbound_data_by[component] += 1
        if component in figures:
            figures[component].foreign.add(access.table)
            if not naming:
                figures[component].foreign_sites += 1
                figures[component].foreign_writes += access.kind == "write"
    cycle_of = {m: cycle.components for cycle in analysis.cycles for m in cycle.components}
    transactions: Counter[str] = Counter()
    for transaction in analysis.transactions:
        involved = transaction_owners(transaction, owners)
        if len(involved) > 1:
            for owner in involved:
                transactions[owner] += 1
    revisions, cochange = _history(analysis)
    lines = {c.name: c.lines for c in analysis.components.components}
    unranked = [
        _candidate(
            name,
            figures[name],
            cycle_of.get(name, ()),
            transactions[name],
            lines[name],
            revisions,
            cochange,
            len(names),
        )
        for name in names
    ]
    ordered = sorted(unranked, key=lambda c: (-c.score, c.component))
    return tuple(replace(c, rank=i) for i, c in enumerate(ordered, start=1))


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


def _plural(count: int, one: str, many: str | None = None) -> str:
    return f"{count} {one if count == 1 else (many or one + 's')}"


def _listed(items: Mapping[str, int] | set[str], limit: int = 3) -> str:
    names = (
        sorted(items, key=lambda n: (-items[n], n)) if isinstance(items, Mapping) else sorted(items)
    )
    shown = ", ".join(names[:limit])
    return shown + (f" and {len(names) - limit} more" if len(names) > limit else "")


def _candidate(
    name: str,
    f: _Figures,
    cycle: tuple[str, ...],
    transactions: int,
    lines: int,
    revisions: Mapping[str, int] | None,
    cochange: Mapping[str, tuple[int, str]],
    components: int,
) -> Candidate:
    history = revisions is not None
    degree, partner = cochange.get(name, (0, ""))
    others = [c for c in cycle if c != name]
    outbound_to = sorted(f.outbound_to - {ROOT_COMPONENT})
    values: dict[str, tuple[float, str]] = {
        "fan-in": (
            len(f.fan_in),
            f"imported by {_plural(len(f.fan_in), 'component')}"
            + (f" ({_listed(f.fan_in)})" if f.fan_in else ""),
        ),
        "inbound-imports": (
            f.inbound_sites,
            f"{_plural(f.inbound_sites, 'import statement')} from elsewhere reach into it",
        ),
        "interface": (
            len(f.interface),
            f"{_plural(len(f.interface), 'symbol')} of it used from elsewhere"
            + (f" ({_listed(f.interface)})" if f.interface else ""),
        ),
        "inbound-data": (
            f.inbound_data,
            f"other components touch its tables at {_plural(f.inbound_data, 'site')}"
            + (f" ({_listed(f.inbound_data_by)})" if f.inbound_data_by else ""),
        ),
        "shared-tables": (
            len(f.shared),
            f"{len(f.shared)} of its {_plural(len(f.owned), 'table')} used by others"
            + (f" ({_listed(f.shared)})" if f.shared else ""),
        ),
        "foreign-data": (
            f.foreign_sites + f.foreign_writes,
            f"touches {_plural(len(f.foreign), 'table')} of other components at "
            f"{_plural(f.foreign_sites, 'site')}, {f.foreign_writes} writing"
            + (f" ({_listed(f.foreign)})" if f.foreign else ""),
        ),
        "outbound-imports": (
            f.outbound_sites,
            f"{_plural(f.outbound_sites, 'import statement')} into "
            + (
                f"{_plural(len(outbound_to), 'component')} ({_listed(set(outbound_to))})"
                if outbound_to
                else ""
            )
            + (" and " if outbound_to and ROOT_COMPONENT in f.outbound_to else "")
            + ("the root bucket" if ROOT_COMPONENT in f.outbound_to else "")
            + ("no other component" if not f.outbound_to else ""),
        ),
        "cycle": (
            1 if others else 0,
            f"in an import cycle with {_listed(set(others))}" if others else "in no import cycle",
        ),
        "transactions": (
            transactions,
            f"{_plural(transactions, 'transaction')} write its tables and another component's",
        ),
        "size": (lines, f"{lines} lines"),
        "cochange": (
            degree / 100,
            f"changes with {partner} in {degree}% of their commits"
            if partner
            else "changes with no other component above the thresholds",
        ),
    }
    in_play = [factor for factor in FACTORS if history or factor.name not in _HISTORY_ONLY]
    total_weight = sum(factor.weight for factor in in_play)
    factors: list[ScoreFactor] = []
    for factor in in_play:
        value, detail = values[factor.name]
        penalty = value / (value + factor.half) if value > 0 else 0.0
        points = round(100 * factor.weight * penalty / total_weight, 1)
        factors.append(ScoreFactor(factor.name, round(float(value), 4), points, detail))
    if history:
        count = (revisions or {}).get(name, 0)
        factors.append(
            ScoreFactor("churn", float(count), 0.0, f"{_plural(count, 'commit')} (not scored)")
        )
    score = round(max(0.0, 100 - sum(x.points for x in factors)), 1)
    return Candidate(
        component=name,
        rank=0,
        score=score,
        factors=tuple(factors),
        reasons=_reasons(factors, f, components),
        owned_tables=tuple(sorted(f.owned)),
        shared_tables=tuple(sorted(f.shared)),
        foreign_tables=tuple(sorted(f.foreign)),
        inbound_sites=f.inbound_sites,
        interface=tuple(sorted(f.interface)),
        outbound_sites=f.outbound_sites,
        cycle=tuple(cycle),
        transactions=transactions,
        lines=lines,
        revisions=(revisions or {}).get(name, 0) if history else None,
    )


def _reasons(factors: list[ScoreFactor], f: _Figures, components: int) -> tuple[str, ...]:
    costs = sorted((x for x in factors if x.points >= 1.0), key=lambda x: (-x.points, x.name))
    reasons = [x.detail for x in costs[:_REASONS]]
    if not f.owned and 2 * len(f.fan_in) >= max(components - 1, 1) and f.fan_in:
        reasons.insert(
            0,
            "a shared kernel (no tables, imported by most components): "
            "a library to package, not a service to extract",
        )
    helps = []
    if f.inbound_sites == 0:
        helps.append("nothing else imports it")
    if f.owned and not f.shared:
        helps.append(f"owns its {_plural(len(f.owned), 'table')} alone")
    if not f.foreign:
        helps.append("touches no other component's table")
    return tuple(reasons + helps[: max(0, _REASONS + 2 - len(reasons))])
