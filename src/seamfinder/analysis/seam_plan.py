"""Plan a seam: the facade that becomes a component's public interface, and the way there.

The names other components import from a component's internals (its modules, less the
ones its configuration already declares public) become its interface: one facade module
re-exports each of them from the module that defines it, so importers get the very same
objects, and every import from outside is pointed at it. What no import statement says
cannot be rewritten, and is listed as the work that remains, each item with a name to
add to the facade: imports by string (``import_string``, ``get_class``, ``get_model``),
star imports, ``import pkg.mod`` used as ``pkg.mod.x``, and cross-boundary data access.

The facade imports every module it re-exports from, so an importer that used to import
one of them now imports all of them. If one of those reaches back to the importer, a new
import cycle is born: the plan finds such cycles (in the graph of imports executed at
import time) instead of writing them. A cycle that was already there, between modules
that already imported each other, is not new.

Pure functions over the :class:`Analysis` and what was read from the files; the caller
reads and writes.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import networkx as nx

from seamfinder.analysis.data import foreign_accesses, owners_by_table
from seamfinder.analysis.state import Analysis
from seamfinder.collect.rewrite_imports import FoundImport
from seamfinder.config.settings import ComponentSpec
from seamfinder.core.errors import SeamfinderError
from seamfinder.core.model import (
    ROOT_COMPONENT,
    Component,
    FacadeExport,
    ImportEdge,
    ImportScope,
    Location,
    SeamWork,
    SourceFile,
)
from seamfinder.resolve.components import module_pattern

DEFAULT_FACADE = "api"
MARKER = "Written by `seamfinder seam"  # in the docstring of every facade it writes
_RUNTIME = (ImportScope.MODULE, ImportScope.CONDITIONAL)  # run when the module is imported
_DATA_KINDS = frozenset({"read", "write", "relation", "raw-sql"})
_NAMING_VIAS = frozenset({"import", "get_model"})  # rewritten or listed as imports already
_LINE_LIMIT = 88


class SeamError(SeamfinderError):
    """The seam cannot be planned as asked (no such component, a facade outside it...)."""


@dataclass(frozen=True, slots=True)
class SeamTarget:
    """The component, its facade, and the modules it hides behind it."""

    component: Component
    facade: str  # dotted module name
    facade_path: str  # relative to the analysed root
    internals: tuple[str, ...]  # modules others must stop importing
    importers: tuple[SourceFile, ...]  # files outside that import internals by statement


@dataclass(frozen=True, slots=True, order=True)
class FileRewrite:
    """The import sites of one file that the rewrite points at the facade."""

    path: str
    importer: str
    sites: tuple[FoundImport, ...]


@dataclass(frozen=True, slots=True)
class SeamPlan:
    target: SeamTarget
    exports: tuple[FacadeExport, ...]  # everything the facade binds after the seam
    added: tuple[FacadeExport, ...]  # the exports this run adds (empty: facade unchanged)
    rewrites: tuple[FileRewrite, ...]
    remaining: tuple[SeamWork, ...]
    cycles: tuple[tuple[str, ...], ...]  # new import cycles, each from the facade back to it


def seam_target(analysis: Analysis, component: str, facade: str | None = None) -> SeamTarget:
    """What a seam of ``component`` hides, behind which facade; a :class:`SeamError` if none."""

    found = {c.name: c for c in analysis.components.components if c.name != ROOT_COMPONENT}
    if component not in found:
        raise SeamError(f"no component {component!r} (components: {', '.join(sorted(found))})")
    comp = found[component]
    if facade is None:
        if comp.package is None:
            raise SeamError(
                f"{component} is not rooted at one package: choose its facade with --facade MODULE"
            )
        facade = f"{comp.package}.{DEFAULT_FACADE}"
    path = _facade_path(analysis, comp, facade)
    public = [module_pattern(p) for p in _declared_public(analysis, component)]
    internals = tuple(
        m
        for m in comp.modules
        if not _is_facade(m, facade) and not any(p.fullmatch(m) for p in public)
    )
    inside = set(comp.modules)
    hidden = set(internals)
    importing = {
        e.importer
        for e in analysis.imports
        if e.scope is not ImportScope.DYNAMIC and e.imported in hidden and e.importer not in inside
    }
    files = tuple(f for f in analysis.project.files if f.module in importing)
    return SeamTarget(comp, facade, path, internals, files)


def _is_facade(module: str, facade: str) -> bool:
    return module == facade or module.startswith(facade + ".")


def _facade_path(analysis: Analysis, component: Component, facade: str) -> str:
    parent, _, tail = facade.rpartition(".")
    if not parent or not tail.isidentifier():
        raise SeamError(f"--facade {facade!r}: expected a module inside a package, like pkg.api")
    if parent not in component.modules:
        raise SeamError(
            f"--facade {facade!r}: its package {parent!r} is not a package of {component.name}"
        )
    parent_path = analysis.module_path(parent) or ""
    if not parent_path.endswith("/__init__.py") and parent_path != "__init__.py":
        raise SeamError(f"--facade {facade!r}: {parent!r} is a module, not a package")
    return f"{parent_path[: -len('__init__.py')]}{tail}.py"


def _declared_public(analysis: Analysis, component: str) -> tuple[str, ...]:
    spec = next((s for s in analysis.config.components if s.name == component), None)
    return spec.public if spec else ()


def plan_seam(
    analysis: Analysis,
    target: SeamTarget,
    found: Mapping[str, Sequence[FoundImport]],
    existing: Sequence[FoundImport] = (),
    call_strings: Mapping[tuple[str, int], tuple[str, ...]] | None = None,
) -> SeamPlan:
    """The seam from what each importer imports (``found``, by path) and what an existing
    facade binds (``existing``); ``call_strings`` are the string arguments of the calls
    at dynamic-import sites, by (path, line), to name what they load."""

    by_path = {f.path: f for f in target.importers}
    rewrites: list[FileRewrite] = []
    remaining: list[SeamWork] = []
    for path in sorted(found):
        source = by_path[path]
        sites = tuple(s for s in found[path] if s.rewritable)
        if sites:
            rewrites.append(FileRewrite(path, source.module, sites))
        remaining.extend(
            _unrewritable(source, s, target.facade) for s in found[path] if not s.rewritable
        )
    have = [FacadeExport(f.module, f.name, f.alias or f.name or _tail(f.module)) for f in existing]
    exports, added = _exports(have, (s.key for r in rewrites for s in r.sites))
    remaining.extend(_dynamic(analysis, target, call_strings or {}))
    remaining.extend(_data(analysis, target))
    cycles = introduced_cycles(analysis.imports, target.facade, rewrites, exports)
    return SeamPlan(target, exports, added, tuple(rewrites), tuple(sorted(set(remaining))), cycles)


def _tail(module: str) -> str:
    return module.rsplit(".", 1)[-1]


def _exports(
    existing: Sequence[FacadeExport], wanted: Iterable[tuple[str, str]]
) -> tuple[tuple[FacadeExport, ...], tuple[FacadeExport, ...]]:
    """Every export (those already there keep their names) and the new ones.

    When two modules' names would clash, the one imported at more sites keeps the plain
    name and the others are qualified by their module (``pay_services_Error``), so that
    the facade never binds two objects to one name.
    """

    have = {e.key: e for e in existing}
    taken = {e.bound for e in existing}
    sites = Counter(key for key in wanted if key not in have)
    added: list[FacadeExport] = []
    for module, name in sorted(sites, key=lambda k: (-sites[k], k)):
        bound = name or _tail(module)
        if bound in taken:
            bound = module.replace(".", "_") + (f"_{name}" if name else "")
        taken.add(bound)
        added.append(FacadeExport(module, name, bound))
    return tuple(sorted([*existing, *added])), tuple(sorted(added))


def _unrewritable(source: SourceFile, site: FoundImport, facade: str) -> SeamWork:
    location = Location(source.path, site.line)
    if site.name == "*":
        return SeamWork(
            location,
            source.module,
            "star import",
            site.module,
            f"{facade}: the names used from {site.module}",
            f"from {site.module} import *",
        )
    bound = site.name or _tail(site.module)
    return SeamWork(
        location,
        source.module,
        "plain import",
        f"{site.module}.{site.name}" if site.name else site.module,
        f"{facade}.{bound}",
        f"import {site.module}: used as {site.module}.<name>",
    )


def _dynamic(
    analysis: Analysis, target: SeamTarget, strings: Mapping[tuple[str, int], tuple[str, ...]]
) -> list[SeamWork]:
    hidden = set(target.internals)
    inside = set(target.component.modules)
    found = []
    for edge in analysis.imports:
        if edge.scope is not ImportScope.DYNAMIC:
            continue
        if edge.imported not in hidden or edge.importer in inside:
            continue
        loc = edge.location
        args = strings.get((loc.path, loc.line), ())
        name = _loaded_name(args) or _tail(edge.imported)
        written = ", ".join(repr(a) for a in args)
        found.append(
            SeamWork(
                Location(loc.path, loc.line),
                edge.importer,
                "dynamic import",
                edge.imported,
                f"{target.facade}.{name}",
                f"by string ({written})" if written else "by string",
            )
        )
    return found


def _loaded_name(args: Sequence[str]) -> str:
    """The object a string import loads: ``get_class("a.views", "V")`` -> ``V``."""

    if not args:
        return ""
    last = args[-1].replace(":", ".").rsplit(".", 1)[-1]
    return last if last.isidentifier() else ""


_VERBS = {
    "create": "create",
    "bulk_create": "create",
    "get_or_create": "get_or_create",
    "update_or_create": "update_or_create",
    "get": "get",
    "first": "get",
    "last": "get",
    "latest": "get",
    "earliest": "get",
    "update": "update",
    "save": "update",
    "bulk_update": "update",
    "delete": "delete",
    "count": "count",
    "exists": "has",
}


def _data(analysis: Analysis, target: SeamTarget) -> list[SeamWork]:
    """Cross-boundary data access into the component's tables, one item per site."""

    owners = owners_by_table(analysis.tables)
    entity = _entities(analysis)
    seen: dict[tuple[str, int, str], SeamWork] = {}
    for item in foreign_accesses(analysis.data_access, owners, _DATA_KINDS):
        access = item.access
        if item.owner != target.component.name or access.via in _NAMING_VIAS:
            continue
        name = entity.get(access.table, access.table)
        loc = access.location
        where = f" in {access.scope}" if access.scope else ""
        remaining = SeamWork(
            Location(loc.path, loc.line),
            access.module,
            access.kind,
            access.table,
            f"{target.facade}.{_function_name(access.kind, access.detail, name)}",
            f"{access.via}{where}",
        )
        seen.setdefault((loc.path, loc.line, access.table), remaining)
    return [seen[key] for key in sorted(seen)]


def _entities(analysis: Analysis) -> dict[str, str]:
    """Table -> its model's name in snake case (``billing_payment`` -> ``payment``)."""

    names: dict[str, str] = {}
    for model in sorted(analysis.models, key=lambda m: (m.abstract, m.qualname)):
        raw = re.split(r"[.:]", model.qualname)[-1]
        names.setdefault(model.table, re.sub(r"(?<!^)(?=[A-Z])", "_", raw).lower())
    return names


def _function_name(kind: str, detail: str, entity: str) -> str:
    many = _plural(entity)
    if kind == "relation":
        return f"get_{entity}"  # the foreign key becomes an id, looked up through the facade
    if kind == "raw-sql":
        return f"find_{many}" if detail == "read" else f"update_{many}"
    verb = _VERBS.get(detail)
    if verb is None:
        return f"find_{many}" if kind == "read" else f"update_{many}"
    return f"{verb}_{many}" if verb == "count" else f"{verb}_{entity}"


def _plural(noun: str) -> str:
    if re.search(r"(s|x|z|ch|sh)$", noun):
        return noun + "es"
    if re.search(r"[^aeiou]y$", noun):
        return noun[:-1] + "ies"
    return noun + "s"


def introduced_cycles(
    edges: Iterable[ImportEdge],
    facade: str,
    rewrites: Sequence[FileRewrite],
    exports: Sequence[FacadeExport],
) -> tuple[tuple[str, ...], ...]:
    """Import cycles through the facade between modules that were not in a cycle before.

    Only imports executed at import time count (module level, or under ``try``/``if``);
    each cycle is given as its shortest path from the facade back to it.
    """

    before: nx.DiGraph = nx.DiGraph()
    after: nx.DiGraph = nx.DiGraph()
    after.add_node(facade)
    moved = {(r.importer, s.line, s.module) for r in rewrites for s in r.sites}
    for edge in edges:
        if edge.scope not in _RUNTIME:
            continue
        before.add_edge(edge.importer, edge.imported)
        if (edge.importer, edge.location.line, edge.imported) in moved:
            after.add_edge(edge.importer, facade)
        else:
            after.add_edge(edge.importer, edge.imported)
    for export in exports:
        after.add_edge(facade, export.module)
    group = {m: i for i, scc in enumerate(nx.strongly_connected_components(before)) for m in scc}
    around = next(scc for scc in nx.strongly_connected_components(after) if facade in scc)
    if len({group.get(m, m) for m in around - {facade}}) <= 1:
        return ()
    cycles = []
    sub = after.subgraph(around)
    closers = sorted(p for p in sub.predecessors(facade))
    for closer in closers:
        path = nx.shortest_path(sub, facade, closer)
        if len({group.get(m, m) for m in path[1:]}) > 1:
            cycles.append((*path, facade))
    if not cycles:  # every path alone stays in one old cycle; together they join two
        path = min((nx.shortest_path(sub, facade, c) for c in closers), key=len)
        cycles.append((*path, facade))
    return tuple(sorted(cycles, key=lambda c: (len(c), c)))


def component_specs(analysis: Analysis, component: str, public: str) -> tuple[ComponentSpec, ...]:
    """The components the configuration should declare for the seam to be guarded.

    A component declared in configuration gets ``public`` added. When components are
    detected (Django apps, packages at a depth), declaring one would send every other to
    the root bucket, so all of them are declared as they are detected: by their package,
    or module by module.
    """

    declared = analysis.config.components
    if declared:
        spec = next((s for s in declared if s.name == component), None)
        if spec is None:
            raise SeamError(f"{component} is not declared in {analysis.config.source}")
        public_ = spec.public if public in spec.public else (*spec.public, public)
        return (ComponentSpec(spec.name, spec.modules, public_),)
    specs = []
    for comp in analysis.components.components:
        if comp.name == ROOT_COMPONENT:
            continue
        modules = (comp.package,) if comp.package else _outermost(comp.modules)
        specs.append(ComponentSpec(comp.name, modules, (public,) if comp.name == component else ()))
    _check_same_assignment(analysis, specs)
    return tuple(specs)


def _outermost(modules: Sequence[str]) -> tuple[str, ...]:
    kept = set(modules)
    return tuple(m for m in sorted(modules) if not any(p in kept for p in _parents(m)))


def _parents(module: str) -> list[str]:
    parts = module.split(".")
    return [".".join(parts[:end]) for end in range(1, len(parts))]


def _check_same_assignment(analysis: Analysis, specs: Sequence[ComponentSpec]) -> None:
    """Declared as proposed, every module must stay in the component it is in now."""

    compiled = [(s.name, p, module_pattern(p)) for s in specs for p in s.modules]
    wrong: list[str] = []
    for module, now in sorted(analysis.components.of_module.items()):
        best: dict[int, set[str]] = defaultdict(set)
        for name, pattern, regex in compiled:
            if regex.fullmatch(module):
                best[len(pattern.split("."))].add(name)
        names = best[max(best)] if best else {ROOT_COMPONENT}
        if names != {now}:
            wrong.append(f"{module} ({now}, would be {', '.join(sorted(names))})")
    if wrong:
        raise SeamError(
            "the detected components cannot be declared by package without moving modules: "
            f"{'; '.join(wrong[:5])}; declare the components in the configuration first"
        )


def facade_source(component: str, exports: Sequence[FacadeExport]) -> str:
    """The text of the facade module: a docstring, one import per module, ``__all__``."""

    by_source: dict[str, list[str]] = defaultdict(list)
    plain: list[str] = []
    for export in sorted(exports):
        if export.name:
            source, name = export.module, export.name
        elif "." in export.module:
            source, name = export.module.rpartition(".")[0], _tail(export.module)
        else:
            alias = "" if export.bound == export.module else f" as {export.bound}"
            plain.append(f"import {export.module}{alias}")
            continue
        by_source[source].append(name if name == export.bound else f"{name} as {export.bound}")
    lines = [
        f'"""The public interface of {component}: the names other components may import.',
        "",
        f"{MARKER} {component}`, which found these names imported from the",
        "component's internals and pointed every such import here. Each is re-exported from",
        "the module that defines it, so importers get the same objects. seamfinder's",
        "non-public-import rule (SF105) reports imports from outside that go around this",
        "module. To narrow the interface, replace a re-export with a function that says what",
        "callers need.",
        '"""',
        "",
        *plain,
    ]
    for source in sorted(by_source):
        lines.extend(_from_line(source, sorted(by_source[source], key=str.lower)))
    names = sorted(e.bound for e in exports)
    if plain or by_source:
        lines.append("")
    lines.append("__all__ = [" if names else "__all__: list[str] = []")
    if names:
        lines.extend([*(f'    "{name}",' for name in names), "]"])
    return "\n".join(lines) + "\n"


def _from_line(source: str, names: Sequence[str]) -> list[str]:
    line = f"from {source} import {', '.join(names)}"
    if len(line) <= _LINE_LIMIT:
        return [line]
    return [f"from {source} import (", *(f"    {n}," for n in names), ")"]
