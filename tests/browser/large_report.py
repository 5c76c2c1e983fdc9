"""A large monolith's report, built in memory: 90 components, 5,000 modules, thousands of
import sites, table accesses and findings, seams and candidates (seeded, so always the same)."""

from __future__ import annotations

import random
from collections import Counter, defaultdict

from seamfinder.core.model import (
    Candidate,
    Component,
    ComponentMetrics,
    Cycle,
    DataAccess,
    Dependency,
    DependencyMatrix,
    Finding,
    ImportEdge,
    Location,
    ModelDef,
    PartitionMetrics,
    Report,
    ScoreFactor,
    Seam,
    SeamReport,
    Severity,
    Stats,
    TableOwner,
    TableUse,
)
from seamfinder.rules.catalog import catalog

COMPONENTS = 90
MODULES = 5000
TABLES = 450


def large_report(seed: int = 7) -> Report:
    rng = random.Random(seed)
    names = [f"bigshop.area{i:02d}" for i in range(COMPONENTS)]
    modules = {name: [f"{name}.mod{j:03d}" for j in range(MODULES // COMPONENTS)] for name in names}
    components = tuple(
        Component(
            name, "depth", tuple(modules[name]), rng.randint(800, 40_000), "package at depth 2"
        )
        for name in names
    )
    dependencies = _dependencies(rng, names, modules)
    cycles = _cycles(dependencies)
    tables = [
        (f"area{i % COMPONENTS:02d}_table{i:03d}", names[i % COMPONENTS]) for i in range(TABLES)
    ]
    accesses = _accesses(rng, names, modules, tables)
    return Report(
        root="bigshop",
        components=components,
        dependencies=dependencies,
        cycles=cycles,
        metrics=tuple(ComponentMetrics(n, 3, 4, 20, 30) for n in names),
        findings=_findings(accesses, dict(tables)),
        stats=Stats(files_seen=MODULES, files_analysed=MODULES, files_failed=0, seconds=1.0),
        matrix=_matrix(names, dependencies),
        models=tuple(
            ModelDef(f"{owner}.models.T{i}", table, owner, Location(f"{owner}/models.py", i + 1))
            for i, (table, owner) in enumerate(tables)
        ),
        data_access=tuple(sorted(accesses)),
        tables=tuple(TableOwner(table, owner) for table, owner in sorted(tables)),
        data_matrix=_data_matrix(accesses, dict(tables)),
        rules=catalog(),
        seams=_seams(names),
        candidates=_candidates(rng, names),
    )


def _dependencies(
    rng: random.Random, names: list[str], modules: dict[str, list[str]]
) -> tuple[Dependency, ...]:
    deps = []
    for i, source in enumerate(names):
        # Mostly "downwards" (to lower numbers), a few back edges make cycles.
        targets = set(rng.sample(names[:i], min(i, 7))) if i else set()
        if i % 15 == 14:
            targets.add(names[i - 3 if i >= 3 else 0])
        if i % 30 == 5:
            targets.add(names[i + 2])
        for target in sorted(targets):
            sites = tuple(
                sorted(
                    ImportEdge(
                        importer,
                        rng.choice(modules[target]),
                        Location(importer.replace(".", "/") + ".py", rng.randint(1, 40)),
                    )
                    for importer in (rng.choice(modules[source]) for _ in range(rng.randint(1, 60)))
                )
            )
            deps.append(Dependency(source, target, sites))
    return tuple(deps)


def _cycles(deps: tuple[Dependency, ...]) -> tuple[Cycle, ...]:
    index = {(d.source, d.target): d for d in deps}
    cycles = []
    for (source, target), dep in sorted(index.items()):
        back = index.get((target, source))
        if back is not None and source < target:
            cheaper = min(dep, back, key=lambda d: d.imports)
            cycles.append(Cycle((source, target), (cheaper,), (dep, back)))
    return tuple(cycles)


def _matrix(names: list[str], deps: tuple[Dependency, ...]) -> DependencyMatrix:
    position = {name: i for i, name in enumerate(names)}
    cells = [[0] * len(names) for _ in names]
    for d in deps:
        cells[position[d.source]][position[d.target]] = d.imports
    return DependencyMatrix(tuple(names), tuple(tuple(row) for row in cells))


def _accesses(
    rng: random.Random,
    names: list[str],
    modules: dict[str, list[str]],
    tables: list[tuple[str, str]],
) -> list[DataAccess]:
    accesses = []
    kinds = ("read", "read", "read", "write", "relation")
    for table, owner in tables:
        users = [owner, *rng.sample(names, rng.randint(0, 4))]
        for user in users:
            for _ in range(rng.randint(1, 8)):
                module = rng.choice(modules[user])
                accesses.append(
                    DataAccess(
                        module,
                        table,
                        rng.choice(kinds),
                        Location(module.replace(".", "/") + ".py", rng.randint(1, 300)),
                        user,
                        "handler",
                        "objects.filter",
                    )
                )
    return accesses


def _data_matrix(accesses: list[DataAccess], owners: dict[str, str]) -> tuple[TableUse, ...]:
    counts: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    for a in accesses:
        counts[(a.component, a.table)][a.kind] += 1
    return tuple(
        TableUse(
            component,
            table,
            owners[table],
            defines=1 if owners[table] == component else 0,
            reads=c["read"],
            writes=c["write"],
            relations=c["relation"],
        )
        for (component, table), c in sorted(counts.items())
    )


def _findings(accesses: list[DataAccess], owners: dict[str, str]) -> tuple[Finding, ...]:
    found = []
    for a in sorted(accesses):
        owner = owners[a.table]
        if owner == a.component:
            continue
        code, rule = {
            "read": ("SF202", "cross-boundary-read"),
            "write": ("SF201", "cross-boundary-write"),
            "relation": ("SF203", "cross-boundary-relation"),
        }[a.kind]
        found.append(
            Finding(
                code,
                rule,
                f"{a.component} {a.kind}s {a.table}, owned by {owner}",
                Severity.ERROR if code == "SF201" else Severity.WARNING,
                a.location,
                (a.component, a.module, a.table, str(a.location.line)),
                a.component,
                owner,
            )
        )
    return tuple(found)


def _seams(names: list[str]) -> SeamReport:
    metrics = PartitionMetrics(12, MODULES, 0.4, 0.1, 0.3, 2.0, 0.1, 0.7, 1000, 300, 900, 600)
    seams = tuple(
        Seam(
            f"S{k + 1}",
            "+".join(n.rsplit(".", 1)[1] for n in names[k::12][:2]),
            tuple(m for n in names[k::12] for m in (f"{n}.mod000", f"{n}.mod001")),
            tuple((n, 55) for n in names[k::12]),
        )
        for k in range(12)
    )
    return SeamReport(
        (1.0, 1.0, 1.0), 1.0, 42, MODULES, 9000, False, seams, metrics, metrics, 0.5, ()
    )


def _candidates(rng: random.Random, names: list[str]) -> tuple[Candidate, ...]:
    scored = sorted(((round(rng.uniform(20, 95), 1), name) for name in names), reverse=True)
    return tuple(
        Candidate(
            name,
            rank,
            score,
            (
                ScoreFactor("inbound-imports", 12, round((100 - score) / 2, 1), "12 import sites"),
                ScoreFactor("shared-tables", 2, round((100 - score) / 2, 1), "2 tables shared"),
            ),
            ("imported by 3 components",),
            (),
            (),
            (),
            12,
            (),
            30,
            (),
            0,
            1000,
        )
        for rank, (score, name) in enumerate(scored, 1)
    )
