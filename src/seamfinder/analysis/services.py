"""Coupling between services: pure functions over what each service's analysis found.

Every signal of a distributed monolith that the code and the repository show is turned
into evidence on a pair of services, with a fixed weight (:data:`WEIGHTS`); a pair's score
is the sum, capped at 100, so that a reader can always check a score against its evidence.
The overall score is the mean, over services, of the strongest score each one has with
another: 0 when every service can be changed, deployed and fail on its own, 100 when every
one is locked to another.
"""

from __future__ import annotations

import re
import sys
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from urllib.parse import urlsplit

from seamfinder.analysis.cochange import Cochange
from seamfinder.analysis.wiring import LOCAL_HOSTS, expand
from seamfinder.collect.db_urls import DB_URL
from seamfinder.core.model import (
    ChangeCoupling,
    Evidence,
    ImportEdge,
    Location,
    ScorePart,
    ServiceCall,
    ServiceMessage,
    ServicePair,
    ServicesReport,
)

# Points each kind of evidence adds to a pair's score (the sum is capped at 100).
WEIGHTS: Mapping[str, int] = {
    "import": 30,  # one imports the other's code: they ship together
    "shared-table": 30,  # one table, two writers: neither can change its schema alone
    "shared-database": 25,  # one database: shared load, shared outages, shared migrations
    "shared-library": 20,  # one model library: a schema change redeploys both
    "call": 10,  # per direction: a synchronous call fails when the callee is down
    "call-cycle": 15,  # neither can start, fail or be released independently
    "message": 5,  # per direction: the receiver depends on the sender's message format
    "co-change": 30,  # times the coupling degree: they change in the same commits
}
LEVELS = ((60, "distributed-monolith"), (30, "coupled"), (1, "loosely-coupled"), (0, "independent"))
_MAX_SITES = 5


def level_of(score: int) -> str:
    return next(name for floor, name in LEVELS if score >= floor)


@dataclass(frozen=True, slots=True)
class CrossImport:
    """An import, in one service or library, of another unit's code."""

    source: str
    target: str
    edge: ImportEdge  # importer qualified (``billing:app.api``), imported as written


@dataclass(frozen=True, slots=True)
class SchemaUse:
    """A service using the models, declarative base or metadata of a shared library."""

    service: str
    library: str
    location: Location
    what: str  # the model, base or table


@dataclass(frozen=True, slots=True, order=True)
class TableTouch:
    """A service defining or writing a table (by its own code)."""

    service: str
    table: str
    kind: str  # define | write
    location: Location
    own_definition: bool  # the service's own code defines the table


@dataclass(frozen=True, slots=True)
class SharedTable:
    table: str
    services: tuple[str, ...]  # sorted
    touches: tuple[TableTouch, ...]  # of those services
    pairs: tuple[tuple[str, str], ...]  # the pairs that do share it


@dataclass(frozen=True, slots=True, order=True)
class DatabaseRef:
    """Where a service says which database it uses."""

    service: str
    identity: str  # normalised: ``postgresql://db:5432/shop`` (no credentials)
    location: Location
    how: str  # "DATABASE_URL in docker-compose.yml", "URL in code", "DATABASES['default']"


@dataclass(frozen=True, slots=True)
class SharedDatabase:
    identity: str
    services: tuple[str, ...]
    refs: tuple[DatabaseRef, ...]


# --- imports ---------------------------------------------------------------------------


def owner_of_name(
    name: str, own: frozenset[str], top_names: Mapping[str, frozenset[str]]
) -> str | None:
    """The unit whose top-level package or module ``name`` is, unless it is the importer's
    own (``own``), a module of the standard library, or several units have it (then it
    cannot be told which is meant)."""

    if name in own or name in sys.stdlib_module_names:
        return None  # ``import logging`` in one service is the standard library's, whoever
        # else ships a loose ``logging.py`` of its own
    owners = [unit for unit, names in sorted(top_names.items()) if name in names]
    return owners[0] if len(owners) == 1 else None


# --- tables ----------------------------------------------------------------------------


def shared_tables(
    touches: Iterable[TableTouch], databases: Iterable[SharedDatabase]
) -> tuple[SharedTable, ...]:
    """Tables that two services define or write.

    Two services that each define a table of the same name in their own code may well have
    a database each (an ``events`` table in every service); those count only when they
    are known to share a database. A table one of them uses without defining it (through a
    shared library's model, another service's model or raw SQL) is the same table.
    """

    same_database = {(a, b) for db in databases for a in db.services for b in db.services if a < b}
    by_table: dict[str, dict[str, list[TableTouch]]] = defaultdict(lambda: defaultdict(list))
    for touch in sorted(touches):
        by_table[touch.table][touch.service].append(touch)
    found = []
    for table in sorted(by_table):
        services = by_table[table]
        if len(services) < 2:
            continue
        defines = {s for s, ts in services.items() if any(t.own_definition for t in ts)}
        pairs = []
        names = sorted(services)
        for i, a in enumerate(names):
            for b in names[i + 1 :]:
                if a in defines and b in defines and (a, b) not in same_database:
                    continue
                pairs.append((a, b))
        if pairs:
            involved = sorted({s for pair in pairs for s in pair})
            found.append(
                SharedTable(
                    table,
                    tuple(involved),
                    tuple(t for s in involved for t in services[s]),
                    tuple(pairs),
                )
            )
    return tuple(found)


# --- databases ---------------------------------------------------------------------------

_DB_SCHEMES = {
    "postgresql": "postgresql",
    "postgres": "postgresql",
    "pgsql": "postgresql",
    "mysql": "mysql",
    "mariadb": "mysql",
    "sqlite": "sqlite",
    "oracle": "oracle",
    "mssql": "mssql",
    "mongodb": "mongodb",
    "mongodb+srv": "mongodb",
    "cockroachdb": "postgresql",
}
_DEFAULT_PORTS = {"postgresql": 5432, "mysql": 3306, "mongodb": 27017, "mssql": 1433}


def database_identity(url: str, service: str) -> str | None:
    """``scheme://host:port/name`` without credentials or options, or None if unknown.

    A relative SQLite path is a file of the service's own container: it is qualified by
    the service, so that two services' ``sqlite:///app.db`` are not one database.
    """

    text = expand(url.strip())
    scheme, sep, rest = text.partition("://")
    family = _DB_SCHEMES.get(scheme.split("+", 1)[0].lower())
    if not sep or family is None or "$" in text or "{" in text:
        return None
    if family == "sqlite":
        path = rest.split("?", 1)[0]
        if not path or path in {":memory:", "/"}:
            return None
        if path.startswith("//"):  # sqlite:////abs/path
            return f"sqlite://{path[1:]}"
        return f"sqlite://{service}/{path.lstrip('/')}"
    try:
        parts = urlsplit(f"{family}://{rest}")
        host = (parts.hostname or "").lower()
        port = parts.port or _DEFAULT_PORTS.get(family)
    except ValueError:
        return None
    name = parts.path.lstrip("/").split("/", 1)[0]
    if not host or not name:
        return None
    return f"{family}://{host}:{port}/{name}" if port else f"{family}://{host}/{name}"


_DB_WORDS = ("DB", "DATABASE", "POSTGRES", "PG", "MYSQL", "MARIADB", "MONGO", "SQL")


def environment_databases(
    service: str, entries: Iterable[tuple[str, str, Location]]
) -> list[DatabaseRef]:
    """Databases named by environment entries: URLs, or a ``*_HOST`` with its ``*_NAME``."""

    refs: list[DatabaseRef] = []
    values = {name.upper(): (value, location) for name, value, location in entries}
    for name, (value, location) in sorted(values.items()):
        match = DB_URL.search(expand(value))
        if match:
            identity = database_identity(match.group(0), service)
            if identity:
                refs.append(DatabaseRef(service, identity, location, f"{name} in {location.path}"))
            continue
        if not name.endswith("HOST") or not any(w in name.split("_") for w in _DB_WORDS):
            continue
        prefix = name[: -len("HOST")]
        port = values.get(prefix + "PORT")
        port_text = expand(port[0]).strip() if port else ""
        for suffix in ("NAME", "DB", "DATABASE"):
            database = values.get(prefix + suffix) or values.get(prefix.rstrip("_") + "_" + suffix)
            host = expand(value).strip().lower()
            if database and host and "$" not in host:
                db_name = expand(database[0]).strip()
                if db_name and "$" not in db_name:
                    where = f"{host}:{port_text}" if port_text.isdigit() else host
                    refs.append(
                        DatabaseRef(
                            service,
                            f"db://{where}/{db_name}",
                            location,
                            f"{name} and {prefix}{suffix} in {location.path}",
                        )
                    )
                break
    return refs


_IDENTITY = re.compile(r"^(?P<family>[a-z]+)://(?P<host>[^/:]+)(?::(?P<port>\d+))?/(?P<name>.+)$")


def localise(identity: str, published: Mapping[str, tuple[str, str]]) -> str:
    """A database on this machine (``localhost``, ``host.docker.internal``) at a port a
    compose service publishes is that service's: ``postgresql://localhost:6543/shop``
    is ``postgresql://db:5432/shop`` when ``db`` publishes ``6543:5432``."""

    match = _IDENTITY.match(identity)
    if match is None or match["host"] not in LOCAL_HOSTS or match["port"] not in published:
        return identity
    service, inside = published[match["port"]]
    return f"{match['family']}://{service}:{inside}/{match['name']}"


def shared_databases(refs: Iterable[DatabaseRef]) -> tuple[SharedDatabase, ...]:
    """Databases used by several services: the same host and database name, on the same
    port where both say it (a URL, ``DB_HOST`` with ``DB_NAME``, connection parameters
    and Django settings name one database several ways)."""

    groups: dict[tuple[str, str], list[DatabaseRef]] = defaultdict(list)
    for ref in sorted(set(refs)):
        match = _IDENTITY.match(ref.identity)
        key = (match["host"], match["name"]) if match else (ref.identity, "")
        groups[key].append(ref)
    found = []
    for key in sorted(groups):
        members = groups[key]
        ports = {m["port"] for r in members if (m := _IDENTITY.match(r.identity)) and m["port"]}
        parts = [members]
        if len(ports) > 1:  # one host, several servers: only an explicit port tells them apart
            by_port: dict[str, list[DatabaseRef]] = defaultdict(list)
            for ref in members:
                by_port[ref.identity].append(ref)
            parts = list(by_port.values())
        for part in parts:
            services = tuple(sorted({r.service for r in part}))
            if len(services) > 1:
                identity = max((r.identity for r in part), key=_specificity)
                found.append(SharedDatabase(identity, services, tuple(part)))
    return tuple(sorted(found, key=lambda d: d.identity))


def _specificity(identity: str) -> tuple[bool, bool, str]:
    match = _IDENTITY.match(identity)
    if match is None:
        return (False, False, identity)
    return (match["family"] != "db", bool(match["port"]), identity)


# --- scores ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Signals:
    """Everything known about the services, from which the pairs are scored."""

    imports: tuple[CrossImport, ...]
    schema: tuple[SchemaUse, ...]
    tables: tuple[SharedTable, ...]
    databases: tuple[SharedDatabase, ...]
    calls: tuple[ServiceCall, ...]
    cycles: tuple[tuple[str, ...], ...]
    cochange: tuple[ChangeCoupling, ...]  # pairs within the history thresholds
    messages: tuple[ServiceMessage, ...] = ()
    chains: tuple[tuple[str, ...], ...] = ()  # synchronous, of three services or more


def score_pairs(signals: Signals, services: Iterable[str]) -> tuple[ServicePair, ...]:
    """Every pair of services with evidence, highest score first."""

    names = frozenset(services)
    evidence: dict[tuple[str, str], list[Evidence]] = defaultdict(list)

    def add(a: str, b: str, item: Evidence) -> None:
        if a in names and b in names and a != b:
            evidence[(min(a, b), max(a, b))].append(item)

    by_pair: dict[tuple[str, str], list[CrossImport]] = defaultdict(list)
    for imp in signals.imports:
        by_pair[(min(imp.source, imp.target), max(imp.source, imp.target))].append(imp)
    for (a, b), imports in sorted(by_pair.items()):
        directions = sorted({f"{i.source} -> {i.target}" for i in imports})
        add(
            a,
            b,
            _evidence(
                "import",
                1,
                len(imports),
                f"{len(imports)} import(s): {', '.join(directions)}",
                [i.edge.location for i in imports],
            ),
        )
    libraries: dict[str, dict[str, list[SchemaUse]]] = defaultdict(lambda: defaultdict(list))
    for use in signals.schema:
        libraries[use.library][use.service].append(use)
    shared_libs: dict[tuple[str, str], list[str]] = defaultdict(list)
    for library, users in sorted(libraries.items()):
        ordered = sorted(users)
        for i, a in enumerate(ordered):
            for b in ordered[i + 1 :]:
                shared_libs[(a, b)].append(library)
    for (a, b), libs in sorted(shared_libs.items()):
        sites = [u.location for lib in libs for s in (a, b) for u in libraries[lib][s][:1]]
        add(
            a,
            b,
            _evidence(
                "shared-library", 1, len(libs), f"both use the models of {', '.join(libs)}", sites
            ),
        )
    tables_by_pair: dict[tuple[str, str], list[SharedTable]] = defaultdict(list)
    for shared in signals.tables:
        for pair in shared.pairs:
            tables_by_pair[pair].append(shared)
    for (a, b), tables in sorted(tables_by_pair.items()):
        sites = [t.location for s in tables for t in s.touches if t.service in (a, b)]
        names_ = ", ".join(s.table for s in tables)
        add(
            a, b, _evidence("shared-table", 1, len(tables), f"both define or write {names_}", sites)
        )
    dbs_by_pair: dict[tuple[str, str], list[SharedDatabase]] = defaultdict(list)
    for db in signals.databases:
        for i, a in enumerate(db.services):
            for b in db.services[i + 1 :]:
                dbs_by_pair[(a, b)].append(db)
    for (a, b), dbs in sorted(dbs_by_pair.items()):
        sites = [r.location for db in dbs for r in db.refs if r.service in (a, b)]
        add(
            a,
            b,
            _evidence(
                "shared-database",
                1,
                len(dbs),
                f"same database {', '.join(d.identity for d in dbs)}",
                sites,
            ),
        )
    calls_by_pair: dict[tuple[str, str], list[ServiceCall]] = defaultdict(list)
    for call in signals.calls:
        calls_by_pair[(min(call.source, call.target), max(call.source, call.target))].append(call)
    for (a, b), calls in sorted(calls_by_pair.items()):
        directions = sorted({f"{c.source} -> {c.target}" for c in calls})
        add(
            a,
            b,
            _evidence(
                "call",
                len(directions),
                len(calls),
                f"{len(calls)} synchronous call(s){_protocols(calls)}: {', '.join(directions)}",
                [c.location for c in calls],
            ),
        )
    messages_by_pair: dict[tuple[str, str], list[ServiceMessage]] = defaultdict(list)
    for message in signals.messages:
        pair = (min(message.source, message.target), max(message.source, message.target))
        messages_by_pair[pair].append(message)
    for (a, b), messages in sorted(messages_by_pair.items()):
        directions = sorted({f"{m.source} -> {m.target}" for m in messages})
        topics = sorted({m.topic for m in messages})
        add(
            a,
            b,
            _evidence(
                "message",
                len(directions),
                len(messages),
                f"{len(messages)} asynchronous message(s){_protocols(messages)}: "
                f"{', '.join(directions)} ({', '.join(topics[:3])})",
                [m.location for m in messages],
            ),
        )
    for cycle in signals.cycles:
        members = set(cycle)
        for (a, b), calls in sorted(calls_by_pair.items()):
            if a in members and b in members:
                add(
                    a,
                    b,
                    _evidence(
                        "call-cycle",
                        1,
                        len(cycle),
                        f"in a synchronous call cycle of {', '.join(cycle)}",
                        [c.location for c in calls],
                    ),
                )
    for change in signals.cochange:
        weight = WEIGHTS["co-change"] * change.degree // 100
        add(
            change.a,
            change.b,
            Evidence(
                "co-change",
                weight,
                change.shared,
                f"changed together in {change.shared} commits (degree {change.degree}%)",
            ),
        )
    pairs = []
    for (a, b), items in evidence.items():
        score = min(100, sum(item.weight for item in items))
        pairs.append(ServicePair(a, b, score, level_of(score), tuple(items)))
    return tuple(sorted(pairs, key=lambda p: (-p.score, p.a, p.b)))


def _protocols(items: Sequence[ServiceCall] | Sequence[ServiceMessage]) -> str:
    """`` (grpc 1, http 2)``; nothing when every call is HTTP (the usual case)."""

    counts: dict[str, int] = defaultdict(int)
    for item in items:
        counts[item.protocol] += 1
    if set(counts) <= {"http"}:
        return ""
    return " (" + ", ".join(f"{p} {n}" for p, n in sorted(counts.items())) + ")"


def _evidence(
    kind: str, times: int, count: int, detail: str, sites: Sequence[Location]
) -> Evidence:
    return Evidence(
        kind, WEIGHTS[kind] * times, count, detail, tuple(sorted(set(sites)))[:_MAX_SITES]
    )


def service_scores(pairs: Iterable[ServicePair], services: Iterable[str]) -> dict[str, int]:
    """Each service's strongest pair score (0 when it has none)."""

    best = dict.fromkeys(services, 0)
    for pair in pairs:
        for name in (pair.a, pair.b):
            if name in best:
                best[name] = max(best[name], pair.score)
    return best


def overall_score(scores: Mapping[str, int]) -> int:
    return round(sum(scores.values()) / len(scores)) if scores else 0


def score_breakdown(pairs: Sequence[ServicePair], services: Sequence[str]) -> tuple[ScorePart, ...]:
    """The overall score split by kind of coupling, in whole points that add up to it.

    Each service counts with its strongest pair (the first, highest score first); that
    pair's score is split by its evidence in order, each kind taking its weight until
    the cap of 100 is reached. A kind's share is the mean over services, and the shares
    are rounded by largest remainder so that they add up to the overall score exactly.
    """

    if not services:
        return ()
    points: dict[str, int] = defaultdict(int)  # summed over services, before the mean
    counted: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for service in services:
        best = next((p for p in pairs if service in (p.a, p.b)), None)
        if best is None:
            continue
        room = 100
        for item in best.evidence:
            share = min(item.weight, room)
            room -= share
            if share > 0:
                points[item.kind] += share
                counted[item.kind].add((best.a, best.b))
    total = overall_score(service_scores(pairs, services))
    exact = {kind: Fraction(value, len(services)) for kind, value in points.items()}
    whole = {kind: int(value) for kind, value in exact.items()}
    by_remainder = sorted(exact, key=lambda k: (-(exact[k] - whole[k]), k))
    for kind in by_remainder[: max(0, total - sum(whole.values()))]:
        whole[kind] += 1
    order = {kind: i for i, kind in enumerate(WEIGHTS)}
    return tuple(
        ScorePart(kind, whole[kind], len(counted[kind]))
        for kind in sorted(whole, key=lambda k: (-whole[k], order.get(k, 99), k))
    )


@dataclass(frozen=True, slots=True)
class ServicesAnalysis:
    """What the SF4xx rules read: the signals, the report section, and where units start."""

    signals: Signals
    report: ServicesReport
    kinds: tuple[tuple[str, str], ...]  # (unit, service | library), sorted
    anchors: tuple[tuple[str, Location], ...]  # (unit, its first file), sorted
    cochange: Cochange | str | None = None  # service-level; str: why unavailable

    def kind(self, unit: str) -> str | None:
        return next((k for name, k in self.kinds if name == unit), None)

    def anchor(self, unit: str) -> Location | None:
        return next((loc for name, loc in self.anchors if name == unit), None)


_DSN_PAIR = re.compile(r"(\w+)\s*=\s*('[^']*'|\S+)")


def connection_database(
    service: str,
    location: Location,
    library: str,
    family: str,
    parts: Mapping[str, Sequence[tuple[str, str]]],
    environment: Mapping[str, str],
) -> DatabaseRef | None:
    """The database a connection opened in code names: its URL or DSN, or its host, port
    and name (``psycopg2.connect(database="shop_db", port=6543)``: host ``localhost``).
    ``parts`` holds each of ``url``, ``host``, ``port``, ``name`` as ``(kind, value)``
    sources; environment variables take the value the service's environment gives them."""

    how = f"{library} connection in code"
    url = _resolved(parts.get("url", ()), environment)
    if url and "://" in url:
        identity = database_identity(url, service)
        return DatabaseRef(service, identity, location, how) if identity else None
    fields = dict(_DSN_PAIR.findall(url)) if url else {}
    host = fields.get("host") or _resolved(parts.get("host", ()), environment)
    if not host and (parts.get("host") or not family):
        return None  # a host set from something unknown, or no family to default a port
    port = fields.get("port") or _resolved(parts.get("port", ()), environment)
    name = fields.get("dbname") or _resolved(parts.get("name", ()), environment)
    if not name:
        return None
    port = port or str(_DEFAULT_PORTS.get(family, ""))
    where = f"{(host or 'localhost').strip(chr(39)).lower()}{f':{port}' if port.isdigit() else ''}"
    return DatabaseRef(service, f"{family or 'db'}://{where}/{name.strip(chr(39))}", location, how)


def _resolved(sources: Sequence[tuple[str, str]], environment: Mapping[str, str]) -> str | None:
    """The first value known: an environment variable the service sets, or a literal."""

    for kind, value in sources:
        if kind == "env" and value in environment:
            found = expand(environment[value]).strip()
            if found and "$" not in found:
                return found
        elif kind == "literal" and value and "{}" not in value:
            return value
    return None


def code_databases(service: str, path: str, urls: list[tuple[int, int, str]]) -> list[DatabaseRef]:
    """The databases named by URLs written in a service's code (see collect/db_urls.py)."""

    refs = []
    for line, column, url in urls:
        identity = database_identity(url, service)
        if identity:
            refs.append(DatabaseRef(service, identity, Location(path, line, column), "URL in code"))
    return refs
