"""SF4xx: coupling between services, the signs of a distributed monolith.

They find nothing in one project; in a repository of services (see
:mod:`seamfinder.services`) they read the signals that
:mod:`seamfinder.analysis.services` gathered across the services.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from itertools import pairwise
from typing import Any

from seamfinder.analysis.cochange import DEFAULT_LOCKSTEP_DEGREE, Cochange, lockstep_pairs
from seamfinder.analysis.services import SchemaUse, ServicesAnalysis
from seamfinder.analysis.state import Analysis
from seamfinder.core.model import Finding, Severity
from seamfinder.rules.registry import Option, RuleContext, rule


def _services(analysis: Analysis) -> ServicesAnalysis | None:
    return analysis.services


@rule(
    "SF401",
    "cross-service-import",
    Severity.ERROR,
    "A service imports another service's code.",
)
def cross_service_import(analysis: Analysis, ctx: RuleContext) -> Iterator[Finding]:
    services = _services(analysis)
    if services is None:
        return
    for item in services.signals.imports:
        edge = item.edge
        yield ctx.finding(
            f"{item.source} imports {edge.imported} from {item.target} "
            f"(in {edge.importer}, {edge.scope.value} level): the two cannot be built, "
            "tested or deployed apart",
            edge.location,
            (item.source, item.target, edge.importer, edge.imported),
            source_component=item.source,
            target_component=item.target,
        )


@rule(
    "SF402",
    "shared-model-library",
    Severity.WARNING,
    "Several services build on the models, declarative base or metadata of one library.",
)
def shared_model_library(analysis: Analysis, ctx: RuleContext) -> Iterator[Finding]:
    services = _services(analysis)
    if services is None:
        return
    users: dict[str, dict[str, list[SchemaUse]]] = defaultdict(lambda: defaultdict(list))
    for use in services.signals.schema:
        users[use.library][use.service].append(use)
    for library in sorted(users):
        by_service = users[library]
        if len(by_service) < 2:
            continue
        for service in sorted(by_service):
            uses = sorted(by_service[service], key=lambda u: u.location)
            what = sorted({u.what.rsplit(".", 1)[-1] for u in uses})
            others = ", ".join(s for s in sorted(by_service) if s != service)
            yield ctx.finding(
                f"{service} builds on the models of {library} ({', '.join(what[:5])}), "
                f"as {others} also do{'es' if len(by_service) == 2 else ''}: "
                "one schema for several services",
                uses[0].location,
                (service, library),
                source_component=service,
                target_component=library,
                related=tuple(u.location for u in uses[1:6]),
            )


@rule(
    "SF403",
    "shared-table",
    Severity.ERROR,
    "A table is defined or written by more than one service: shared persistence.",
)
def shared_table(analysis: Analysis, ctx: RuleContext) -> Iterator[Finding]:
    services = _services(analysis)
    if services is None:
        return
    for shared in services.signals.tables:
        for service in shared.services:
            touches = [t for t in shared.touches if t.service == service]
            partners = sorted(
                {b if a == service else a for a, b in shared.pairs if service in (a, b)}
            )
            verb = "s" if len(partners) == 1 else ""
            what = " and ".join(
                sorted({"defines" if t.kind == "define" else "writes" for t in touches})
            )
            yield ctx.finding(
                f"{service} {what} table {shared.table}, which {', '.join(partners)} also "
                f"define{verb} or write{verb}: "
                "shared persistence",
                touches[0].location,
                (service, shared.table),
                source_component=service,
                target_component=partners[0],
                related=tuple(t.location for t in touches[1:6]),
            )


@rule(
    "SF404",
    "shared-database",
    Severity.ERROR,
    "Several services use the same database (settings, URL or compose environment).",
)
def shared_database(analysis: Analysis, ctx: RuleContext) -> Iterator[Finding]:
    services = _services(analysis)
    if services is None:
        return
    for db in services.signals.databases:
        for service in db.services:
            refs = sorted((r for r in db.refs if r.service == service), key=lambda r: r.location)
            others = ", ".join(s for s in db.services if s != service)
            yield ctx.finding(
                f"{service} uses the database {db.identity} ({refs[0].how}), as {others} "
                f"do{'es' if len(db.services) == 2 else ''}",
                refs[0].location,
                (service, db.identity),
                source_component=service,
                target_component=next(s for s in db.services if s != service),
                related=tuple(r.location for r in refs[1:6]),
            )


@rule(
    "SF405",
    "synchronous-service-call",
    Severity.WARNING,
    "A service calls another one synchronously (HTTP, gRPC, nameko RPC).",
)
def synchronous_service_call(analysis: Analysis, ctx: RuleContext) -> Iterator[Finding]:
    services = _services(analysis)
    if services is None:
        return
    for call in services.signals.calls:
        if call.protocol == "http":
            what = f"{call.library} {call.method or 'request'} {call.url or '<dynamic URL>'}, "
            what += call.via
        elif call.protocol == "configured" and call.library == "environment":
            what = f"the code reads {call.via.split('=', 1)[0]}, which its deployment sets to "
            what += f"{call.url}; the request itself is not followed"
        elif call.protocol == "configured":
            what = f"its deployment sets {call.via}; its code, in another language, is not read"
        else:
            what = f"{call.protocol} via {call.library}{f' to {call.url}' if call.url else ''}, "
            what += call.via
        yield ctx.finding(
            f"{call.source} calls {call.target} synchronously ({what}): "
            f"{call.source} fails when {call.target} is down or slow",
            call.location,
            (call.source, call.target, call.location.path, call.method, call.url),
            source_component=call.source,
            target_component=call.target,
        )


@rule(
    "SF406",
    "synchronous-call-cycle",
    Severity.ERROR,
    "Services call each other synchronously in a cycle.",
)
def synchronous_call_cycle(analysis: Analysis, ctx: RuleContext) -> Iterator[Finding]:
    services = _services(analysis)
    if services is None:
        return
    for cycle in services.signals.cycles:
        members = set(cycle)
        calls = sorted(
            (c for c in services.signals.calls if c.source in members and c.target in members),
            key=lambda c: c.location,
        )
        edges = sorted({f"{c.source} -> {c.target}" for c in calls})
        yield ctx.finding(
            f"synchronous call cycle between {', '.join(cycle)} ({'; '.join(edges)}): none of "
            "them can fail, scale or be released independently",
            calls[0].location if calls else None,
            cycle,
            source_component=calls[0].source if calls else cycle[0],
            target_component=calls[0].target if calls else None,
            related=tuple(c.location for c in calls[1:]),
        )


def _degree(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 100:
        raise ValueError(f"expected a percentage from 0 to 100, got {value!r}")
    return value


@rule(
    "SF407",
    "lockstep-services",
    Severity.WARNING,
    "Two services change in the same commits most of the time (needs --history).",
    options=(
        Option(
            "min-degree",
            DEFAULT_LOCKSTEP_DEGREE,
            "Coupling degree (percent) from which a pair is reported.",
            parse=_degree,
        ),
    ),
)
def lockstep_services(analysis: Analysis, ctx: RuleContext) -> Iterator[Finding]:
    services = _services(analysis)
    if services is None or not isinstance(services.cochange, Cochange):
        return
    for pair in lockstep_pairs(services.cochange.coupling, ctx.option("min-degree")):
        if services.kind(pair.a) != "service" or services.kind(pair.b) != "service":
            continue
        yield ctx.finding(
            f"services {pair.a} and {pair.b} changed together in {pair.shared} commits "
            f"({pair.degree}% of their average {pair.average_revisions} revisions): they are "
            "released in lockstep",
            services.anchor(pair.a),
            (pair.a, pair.b),
            source_component=pair.a,
            target_component=pair.b,
        )


def _min_services(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 3:
        raise ValueError(f"expected a number of services of at least 3, got {value!r}")
    return value


@rule(
    "SF408",
    "synchronous-call-chain",
    Severity.WARNING,
    "Three services or more call each other synchronously in a chain.",
    options=(
        Option(
            "min-services",
            3,
            "Services in a chain from which it is reported.",
            parse=_min_services,
        ),
    ),
)
def synchronous_call_chain(analysis: Analysis, ctx: RuleContext) -> Iterator[Finding]:
    services = _services(analysis)
    if services is None:
        return
    minimum = ctx.option("min-services")
    for chain in services.signals.chains:
        if len(chain) < minimum:
            continue
        hops = list(pairwise(chain))
        sites = []
        for source, target in hops:
            sites.extend(
                sorted(
                    c.location
                    for c in services.signals.calls
                    if (c.source, c.target) == (source, target)
                )[:1]
            )
        yield ctx.finding(
            f"synchronous call chain {' -> '.join(chain)}: a request to {chain[0]} waits for "
            f"{len(chain) - 1} more services, and fails when any of them is down",
            sites[0] if sites else services.anchor(chain[0]),
            chain,
            source_component=chain[0],
            target_component=chain[-1],
            related=tuple(sites[1:]),
        )


@rule(
    "SF409",
    "asynchronous-service-message",
    Severity.INFO,
    "A service sends another one tasks, events or messages (asynchronous coupling).",
)
def asynchronous_service_message(analysis: Analysis, ctx: RuleContext) -> Iterator[Finding]:
    services = _services(analysis)
    if services is None:
        return
    for message in services.signals.messages:
        yield ctx.finding(
            f"{message.source} sends {message.target} {message.protocol} {message.topic!r} "
            f"({message.library}, {message.via}): asynchronous, but {message.target} depends on "
            "its format and meaning",
            message.location,
            (message.source, message.target, message.protocol, message.topic),
            source_component=message.source,
            target_component=message.target,
        )
