"""Resolution for a repository of services, and the services view on top of it.

Every service and shared library is collected as the project it is (its own source roots,
its own grimp graph with the packages it imports from outside, its own components and its
own data-access graph: see :func:`seamfinder.pipeline.stages.collect_unit`), since
services reuse module names (``app/``, ``main.py``, ``demo_pb2.py``) that one namespace
could not hold. Here their results are put side by side with module, component and table
names qualified by the unit (``orders:app.models``, ``orders:orders_order``), so that the
monolith rules judge each service's insides, and :func:`services_view` gathers what
crosses between services for the SF4xx rules.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace

from seamfinder.analysis.cochange import Cochange
from seamfinder.analysis.services import (
    LEVELS,
    WEIGHTS,
    CrossImport,
    DatabaseRef,
    SchemaUse,
    ServicesAnalysis,
    Signals,
    TableTouch,
    code_databases,
    connection_database,
    environment_databases,
    level_of,
    localise,
    overall_score,
    owner_of_name,
    score_breakdown,
    score_pairs,
    service_scores,
    shared_databases,
    shared_tables,
)
from seamfinder.analysis.wiring import (
    CallSite,
    Directory,
    MessageSite,
    call_chains,
    call_cycles,
    expand,
    resolve_calls,
    resolve_messages,
)
from seamfinder.collect.db_urls import database_urls
from seamfinder.collect.facts import FileFacts, ValueSource
from seamfinder.config.settings import Config, TablesConfig
from seamfinder.core.model import (
    ROOT_COMPONENT,
    Component,
    DataAccess,
    HistorySummary,
    ImportEdge,
    Location,
    ModelDef,
    ServiceCall,
    ServiceInfo,
    ServicesReport,
    TableOwner,
    Transaction,
)
from seamfinder.core.project import Project, Unit, qualify
from seamfinder.pipeline.stages import Collected, Resolved
from seamfinder.resolve.components import ComponentMap
from seamfinder.resolve.datagraph import DataGraph, access_key, resolve_data


@dataclass(frozen=True, slots=True)
class UnitsResolved:
    """The units side by side, and what the services view needs of them."""

    resolved: Resolved
    cross: tuple[CrossImport, ...]
    parts: tuple[_UnitData, ...]


def resolve_units(
    collected: Mapping[str, Collected], facts: Mapping[str, FileFacts], config: Config
) -> UnitsResolved:
    """Every unit's components, imports and data, qualified by the unit."""

    top_names = {name: item.top_names for name, item in collected.items()}
    cross = _cross_imports(collected, facts, top_names)
    edges = tuple(
        ImportEdge(qualify(name, e.importer), qualify(name, e.imported), e.location, e.scope)
        for name, item in sorted(collected.items())
        for e in item.scan.edges
    )
    parts = tuple(
        _unit_data(name, collected, cross, facts, config.tables) for name in sorted(collected)
    )
    resolved = Resolved(
        components=_merged_components(collected),
        imports=edges,
        models=tuple(sorted(m for part in parts for m in part.models)),
        accesses=tuple(sorted((a for part in parts for a in part.accesses), key=access_key)),
        transactions=tuple(
            sorted((t for part in parts for t in part.transactions), key=lambda t: t.location)
        ),
        tables=tuple(sorted(t for part in parts for t in part.tables)),
    )
    return UnitsResolved(resolved, cross, parts)


def _cross_imports(
    collected: Mapping[str, Collected],
    facts: Mapping[str, FileFacts],
    top_names: Mapping[str, frozenset[str]],
) -> tuple[CrossImport, ...]:
    """Imports of another unit's packages: grimp's external imports for the packages,
    the per-file pass's imports for loose modules (``main.py``), which grimp never reads."""

    found: list[CrossImport] = []
    for name, item in sorted(collected.items()):
        others = {u: names for u, names in top_names.items() if u != name}
        edges = [_as_written(edge, facts.get(edge.location.path)) for edge in item.scan.external]
        packages = {p.name for p in item.project.packages}
        for source in item.project.files:
            if source.module.split(".", 1)[0] in packages:
                continue
            file_facts = facts.get(source.path)
            for fact in file_facts.imports if file_facts else ():
                edges.append(
                    ImportEdge(
                        source.module,
                        fact.target.removesuffix(".*"),
                        Location(source.path, fact.line, fact.column),
                        fact.placement,
                    )
                )
        seen: set[tuple[str, int, str]] = set()
        for edge in sorted(edges):
            target = owner_of_name(edge.imported.split(".", 1)[0], item.top_names, others)
            key = (edge.location.path, edge.location.line, edge.imported.split(".", 1)[0])
            if target is None or key in seen:
                continue
            seen.add(key)
            found.append(
                CrossImport(
                    name,
                    target,
                    replace(edge, importer=qualify(name, edge.importer)),
                )
            )
    return tuple(found)


def _as_written(edge: ImportEdge, file_facts: FileFacts | None) -> ImportEdge:
    """grimp names an outside package by its top level only; the file says what was taken."""

    for fact in file_facts.imports if file_facts else ():
        target = fact.target.removesuffix(".*")
        if fact.line == edge.location.line and target.split(".", 1)[0] == edge.imported:
            # ``from orders.pricing import total``: the module, not the function.
            module = target.rsplit(".", 1)[0] if fact.name != "*" and "." in target else target
            return replace(edge, imported=module if fact.name != target.split(".")[0] else target)
    return edge


def _qualified_component(unit: str, component: str) -> str:
    return component if component == ROOT_COMPONENT else qualify(unit, component)


def _merged_components(collected: Mapping[str, Collected]) -> ComponentMap:
    """Every unit's components, qualified; every unit's root bucket in the one root bucket."""

    components: list[Component] = []
    root_modules: list[str] = []
    root_lines = 0
    labels: dict[str, str] = {}
    for name, item in sorted(collected.items()):
        for component in item.components.components:
            modules = tuple(qualify(name, m) for m in component.modules)
            if component.name == ROOT_COMPONENT:
                root_modules.extend(modules)
                root_lines += component.lines
                continue
            components.append(
                replace(
                    component,
                    name=qualify(name, component.name),
                    modules=modules,
                    package=qualify(name, component.package) if component.package else None,
                    reason=f"{component.reason} (in {name})" if component.reason else name,
                )
            )
        for package, label in item.components.app_labels.items():
            labels[qualify(name, package)] = qualify(name, label)
    components.sort(key=lambda c: c.name)
    if root_modules:
        components.append(
            Component(
                ROOT_COMPONENT,
                "root",
                tuple(sorted(root_modules)),
                root_lines,
                "modules that belong to no component",
            )
        )
    of_module = {m: c.name for c in components for m in c.modules}
    notes = tuple(sorted({n for item in collected.values() for n in item.components.notes}))
    return ComponentMap(tuple(components), of_module, labels, notes)


@dataclass(frozen=True, slots=True)
class _UnitData:
    """One unit's data-access graph: qualified for the report, and its cross-service uses."""

    unit: str
    models: tuple[ModelDef, ...]
    accesses: tuple[DataAccess, ...]
    transactions: tuple[Transaction, ...]
    tables: tuple[TableOwner, ...]
    touches: tuple[TableTouch, ...]
    schema: tuple[SchemaUse, ...]


def _unit_data(
    name: str,
    collected: Mapping[str, Collected],
    cross: tuple[CrossImport, ...],
    facts: Mapping[str, FileFacts],
    tables_config: TablesConfig,
) -> _UnitData:
    """Resolve the unit's data with the code it imports from other units (a shared
    library's models are its models too), and keep what its own files do."""

    item = collected[name]
    own_paths = {f.path for f in item.project.files}
    imported: dict[str, set[str]] = defaultdict(set)
    for imp in cross:
        if imp.source == name:
            imported[imp.target].add(imp.edge.imported.split(".", 1)[0])
    component_of: dict[str, str] = {}
    app_labels: dict[str, Callable[[str], str | None]] = {}
    included: list[FileFacts] = []
    library_paths: dict[str, str] = {}  # path -> unit, for the files of other units
    for unit_name in [name, *sorted(imported)]:
        other = collected[unit_name]
        for source in other.project.files:
            if unit_name != name and source.module.split(".", 1)[0] not in imported[unit_name]:
                continue
            component_of[source.module] = _qualified_component(
                unit_name, other.components.component_of(source.module)
            )
            app_labels[source.module] = other.components.app_label_of
            if unit_name != name:
                library_paths[source.path] = unit_name
            if source.path in facts:
                included.append(facts[source.path])
    # Table owners declared as ``unit:component`` apply in that unit only.
    owners = tuple(
        (table, owner) for table, owner in tables_config.owners if owner.startswith(f"{name}:")
    )
    graph = resolve_data(
        sorted(included, key=lambda f: f.path),
        lambda module: component_of.get(module, ROOT_COMPONENT),
        lambda module: app_labels[module](module) if module in app_labels else None,
        TablesConfig(owners, tables_config.shared),
    )
    return _qualify_data(name, graph, own_paths, library_paths, facts, collected)


def _qualify_data(
    name: str,
    graph: DataGraph,
    own_paths: set[str],
    library_paths: Mapping[str, str],
    facts: Mapping[str, FileFacts],
    collected: Mapping[str, Collected],
) -> _UnitData:
    def table(t: str) -> str:
        return qualify(name, t)

    def access(a: DataAccess) -> DataAccess:
        return replace(a, module=qualify(name, a.module), table=table(a.table))

    own_models = [m for m in graph.models if m.location.path in own_paths]
    models = tuple(
        replace(m, qualname=qualify(name, m.qualname), table=table(m.table)) for m in own_models
    )
    accesses = tuple(access(a) for a in graph.accesses if a.location.path in own_paths)
    transactions = tuple(
        replace(t, module=qualify(name, t.module), writes=tuple(access(w) for w in t.writes))
        for t in graph.transactions
        if t.location.path in own_paths
    )
    used = {m.table for m in own_models} | {
        a.table for a in graph.accesses if a.location.path in own_paths
    }
    prefix = f"{name}:"
    tables = tuple(
        replace(
            t,
            table=table(t.table),
            owner=t.owner if t.owner is not None and t.owner.startswith(prefix) else None,
        )
        for t in graph.tables
        if t.table in used
    )
    defined = {m.table for m in own_models if not m.abstract}
    touches = [
        TableTouch(name, m.table, "define", m.location, True) for m in own_models if not m.abstract
    ]
    for a in graph.accesses:
        if a.location.path not in own_paths:
            continue
        if a.kind == "write" or (a.kind == "raw-sql" and a.detail == "write"):
            touches.append(TableTouch(name, a.table, "write", a.location, a.table in defined))
    return _UnitData(
        name,
        models,
        accesses,
        transactions,
        tables,
        tuple(sorted(set(touches))),
        _schema_uses(name, graph, own_paths, library_paths, facts, collected),
    )


def _schema_uses(
    name: str,
    graph: DataGraph,
    own_paths: set[str],
    library_paths: Mapping[str, str],
    facts: Mapping[str, FileFacts],
    collected: Mapping[str, Collected],
) -> tuple[SchemaUse, ...]:
    """Models, bases and metadata of other units that the unit's own code builds on."""

    defined_in: dict[str, set[str]] = defaultdict(set)  # table -> units defining it elsewhere
    for m in graph.models:
        unit = library_paths.get(m.location.path)
        if unit is not None:
            defined_in[m.table].add(unit)
    uses: list[SchemaUse] = []
    for a in graph.accesses:
        # Raw SQL names a table, not the library's model: shared tables say the rest.
        # ``Model.attr`` adds nothing to the import of the model it needs.
        if a.location.path in own_paths and a.kind != "raw-sql" and a.via != "attribute":
            what = a.detail if a.via == "import" and a.detail else f"table {a.table}"
            for unit in sorted(defined_in.get(a.table, ())):
                uses.append(SchemaUse(name, unit, a.location, what))
    owners_by_top = {
        top: unit for unit in {*library_paths.values()} for top in collected[unit].top_names
    }
    own_models = {m.qualname for m in graph.models if m.location.path in own_paths}
    for path in sorted(own_paths):
        file_facts = facts.get(path)
        if file_facts is None:
            continue
        for cls in file_facts.classes:
            if f"{file_facts.module}.{cls.qualname}" not in own_models:
                continue
            for base in cls.bases:
                unit = owners_by_top.get(base.split(".", 1)[0])
                if unit is not None:
                    uses.append(SchemaUse(name, unit, Location(path, cls.line, cls.column), base))
        for table_fact in file_facts.tables:
            unit = owners_by_top.get(table_fact.metadata.split(".", 1)[0])
            if unit is not None:
                location = Location(path, table_fact.line, table_fact.column)
                uses.append(SchemaUse(name, unit, location, table_fact.metadata))
    return tuple(sorted(set(uses), key=lambda u: (u.library, u.location, u.what)))


def services_view(
    project: Project,
    collected: Mapping[str, Collected],
    resolved: UnitsResolved,
    facts: Mapping[str, FileFacts],
    texts: Mapping[str, str],
    cochange: Cochange | str | None,
) -> ServicesAnalysis:
    """What crosses between services: imports, shared schema, tables and databases, calls
    and co-change, scored."""

    cross, data_parts = resolved.cross, resolved.parts
    units = project.units
    kinds = {u.name: u.spec.kind for u in units}
    services = frozenset(n for n, k in kinds.items() if k == "service")
    environment = {u.name: {e.name: e.value for e in u.spec.environment} for u in units}
    refs: list[DatabaseRef] = []
    wiring = _Wiring()
    for unit in units:
        if unit.spec.kind != "service":
            continue
        entries = [(e.name, e.value, Location(e.path, e.line, 1)) for e in unit.spec.environment]
        refs.extend(environment_databases(unit.name, entries))
        for source in unit.project.files:
            urls = database_urls(texts.get(source.path, ""))
            refs.extend(code_databases(unit.name, source.path, urls))
            file_facts = facts.get(source.path)
            if file_facts is None:
                continue
            refs.extend(_django_databases(unit.name, file_facts, environment[unit.name]))
            # A URL literal in the call is already a ref (``URL in code``): counted once.
            seen = {(r.location.path, r.location.line, r.identity) for r in refs}
            refs.extend(
                r
                for r in _connections(unit.name, file_facts, environment[unit.name])
                if (r.location.path, r.location.line, r.identity) not in seen
            )
            wiring.read(unit.name, file_facts)
    published = {port: (name, inside) for u in units for port, name, inside in u.spec.published}
    databases = shared_databases(replace(r, identity=localise(r.identity, published)) for r in refs)
    directory = Directory.build(
        ((u.name, u.spec.hostnames, u.spec.ports) for u in units if u.spec.kind == "service"),
        ((name, service) for service, names in wiring.names.items() for name in names),
    )
    calls = resolve_calls(wiring.calls, directory, environment, services)
    calls = tuple(
        sorted(
            (
                *calls,
                *_configured_calls(units, directory, services),
                *_addressed_calls(units, facts, directory, services, calls),
            )
        )
    )
    messages = resolve_messages(wiring.messages, directory, wiring.own_names(), services)
    service_cochange = cochange.coupling if isinstance(cochange, Cochange) else ()
    signals = Signals(
        imports=tuple(i for i in cross if i.source in services and i.target in services),
        schema=tuple(
            u
            for part in data_parts
            for u in part.schema
            if part.unit in services and kinds.get(u.library) == "library"
        ),
        tables=shared_tables(
            (t for part in data_parts if part.unit in services for t in part.touches), databases
        ),
        databases=databases,
        calls=calls,
        cycles=call_cycles(calls) if calls else (),
        cochange=tuple(p for p in service_cochange if p.a in services and p.b in services),
        messages=messages,
        chains=call_chains(calls) if calls else (),
    )
    pairs = score_pairs(signals, services)
    scores = service_scores(pairs, sorted(services))
    overall = overall_score(scores)
    infos = tuple(
        ServiceInfo(
            name=u.name,
            kind=u.spec.kind,
            paths=u.spec.folders,
            detected_by=u.spec.detected_by,
            reason=u.spec.reason,
            modules=tuple(sorted(qualify(u.name, f.module) for f in u.project.files)),
            lines=sum(collected[u.name].sources.lines.values()),
            hostnames=u.spec.hostnames,
            score=scores.get(u.name, 0),
        )
        for u in units
    )
    history = None
    if isinstance(cochange, str):
        history = HistorySummary(0, 0, 0, cochange)
    elif cochange is not None:
        history = HistorySummary(
            cochange.commits,
            cochange.commits_grouped,
            cochange.commits_too_large,
            releases=cochange.commits_release,
        )
    report = ServicesReport(
        services=infos,
        pairs=pairs,
        calls=calls,
        score=overall,
        level=level_of(overall),
        history=history,
        change_coupling=cochange.coupling if isinstance(cochange, Cochange) else (),
        hotspots=cochange.churn if isinstance(cochange, Cochange) else (),
        weights=tuple(sorted(WEIGHTS.items())),
        levels=LEVELS,
        messages=messages,
        breakdown=score_breakdown(pairs, sorted(services)),
    )
    anchors = []
    for unit in units:
        first = min((f.path for f in unit.project.files), default=None)
        if first is None and unit.spec.compose_path:
            anchors.append((unit.name, Location(unit.spec.compose_path, unit.spec.compose_line, 1)))
        elif first is not None:
            anchors.append((unit.name, Location(first, 1, 1)))
    return ServicesAnalysis(
        signals=signals,
        report=report,
        kinds=tuple(sorted(kinds.items())),
        anchors=tuple(sorted(anchors)),
        cochange=cochange,
    )


@dataclass(slots=True)
class _Wiring:
    """The calls, messages and self-given names the services' files hold, gathered."""

    calls: list[CallSite] = field(default_factory=list)
    messages: list[MessageSite] = field(default_factory=list)
    names: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))

    def read(self, service: str, facts: FileFacts) -> None:
        for call in facts.http_calls:
            self.calls.append(
                CallSite(
                    service,
                    Location(facts.path, call.line, call.column),
                    "http",
                    call.library,
                    call.method,
                    call.url,
                    tuple((s.kind, s.value) for s in call.sources),
                )
            )
        for fact in facts.service_calls:
            location = Location(facts.path, fact.line, fact.column)
            if fact.style == "call":
                literal = next((s.value for s in fact.address if s.kind == "literal"), "")
                self.calls.append(
                    CallSite(
                        service,
                        location,
                        fact.protocol,
                        fact.library,
                        "",
                        literal,
                        tuple((s.kind, s.value) for s in fact.address),
                        fact.target,
                    )
                )
            else:
                self.messages.append(
                    MessageSite(
                        service, location, fact.protocol, fact.library, fact.style, fact.target
                    )
                )
        for named in facts.service_names:
            self.names[service].add(named.name)

    def own_names(self) -> dict[str, tuple[str, ...]]:
        return {service: tuple(sorted(names)) for service, names in self.names.items()}


def _configured_calls(
    units: tuple[Unit, ...], directory: Directory, services: frozenset[str]
) -> list[ServiceCall]:
    """Calls of the services whose code is not read (another language): an environment
    variable their deployment sets to another service's address
    (``PRODUCT_CATALOG_SERVICE_ADDR=productcatalogservice:3550``) says they call it."""

    found = []
    for unit in units:
        if unit.spec.kind != "service" or unit.project.files:
            continue
        for entry in unit.spec.environment:
            target = directory.by_url(expand(entry.value))
            if target is None or target == unit.name or target not in services:
                continue
            found.append(
                ServiceCall(
                    unit.name,
                    target,
                    Location(entry.path, entry.line, 1),
                    "configured",
                    "deployment",
                    "",
                    entry.value,
                    f"{entry.name}={entry.value}",
                )
            )
    return found


def _addressed_calls(
    units: tuple[Unit, ...],
    facts: Mapping[str, FileFacts],
    directory: Directory,
    services: frozenset[str],
    seen: tuple[ServiceCall, ...],
) -> list[ServiceCall]:
    """Calls the code makes where the request itself is not followed
    (``requests.get(self.config.server + path)``): the code reads an environment variable
    that the service's deployment sets to another service's address
    (``NATLAS_SERVER_ADDRESS=http://natlas-server:5000``). One per pair of services not
    already seen calling each other, at the first read."""

    called = {(c.source, c.target) for c in seen}
    found: dict[tuple[str, str], ServiceCall] = {}
    for unit in units:
        if unit.spec.kind != "service":
            continue
        addresses = {e.name: e.value for e in unit.spec.environment}
        for source in unit.project.files:
            file_facts = facts.get(source.path)
            for read in file_facts.env_reads if file_facts else ():
                value = addresses.get(read.name)
                target = directory.by_url(expand(value)) if value else None
                key = (unit.name, target or "")
                if target is None or target == unit.name or target not in services:
                    continue
                if key in called or key in found:
                    continue
                found[key] = ServiceCall(
                    unit.name,
                    target,
                    Location(source.path, read.line, read.column),
                    "configured",
                    "environment",
                    "",
                    value or "",
                    f"{read.name}={value}",
                )
    return [found[key] for key in sorted(found)]


def _connections(
    service: str, facts: FileFacts, environment: Mapping[str, str]
) -> list[DatabaseRef]:
    refs = []
    for fact in facts.db_connects:
        parts = {
            "url": [(s.kind, s.value) for s in fact.url],
            "host": [(s.kind, s.value) for s in fact.host],
            "port": [(s.kind, s.value) for s in fact.port],
            "name": [(s.kind, s.value) for s in fact.name],
        }
        location = Location(facts.path, fact.line, fact.column)
        ref = connection_database(service, location, fact.library, fact.family, parts, environment)
        if ref is not None:
            refs.append(ref)
    return refs


def _django_databases(
    service: str, facts: FileFacts, environment: Mapping[str, str]
) -> list[DatabaseRef]:
    """Django ``DATABASES`` entries whose host and name are known (literal or set in a
    compose file for the service)."""

    settings = facts.settings
    if settings is None:
        return []
    refs = []
    for db in settings.databases:
        host = _value(db.host, environment)
        name = _value(db.name, environment)
        if host and name:
            refs.append(
                DatabaseRef(
                    service,
                    f"db://{host.lower()}/{name}",
                    Location(facts.path, db.line, 1),
                    f"DATABASES[{db.alias!r}]",
                )
            )
    return refs


def _value(sources: tuple[ValueSource, ...], environment: Mapping[str, str]) -> str | None:
    for source in sources:
        kind, value = source.kind, source.value
        if kind == "literal" and value:
            return value
        if kind == "env" and value in environment:
            resolved = expand(environment[value])
            return resolved if resolved and "$" not in resolved else None
    return None
