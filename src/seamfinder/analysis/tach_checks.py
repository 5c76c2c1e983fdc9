"""What ``tach check`` would fail on, from the imports already collected (pure functions).

tach checks direct imports, module by module: a file belongs to the nearest declared
module above it (or to ``<root>``), and an import of another module must be allowed by the
layers (a higher layer may use a lower one freely, never the reverse), must not be in
``cannot_depend_on``, must be in ``depends_on`` unless that is omitted or the target is a
utility, and must go through the target's interfaces (``expose`` regexes over the member
path, visible to the importer). Beside the imports, ``exact`` fails on declared
dependencies no import uses, ``forbid_circular_dependencies`` on a cycle of declared
dependencies, module ``visibility`` on a dependency declared by a module it hides from,
and ``root_module`` on ``<root>`` where the mode forbids it.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache

from seamfinder.config.contracts import TachContract, TachModule
from seamfinder.core.model import ImportEdge, ImportedName, ImportScope
from seamfinder.resolve.components import module_pattern

ROOT = "<root>"


@dataclass(frozen=True, slots=True, order=True)
class TachViolation:
    """One thing ``tach check`` fails (or warns) on."""

    kind: str  # layer | forbidden | undeclared | interface | unused | cycle | visibility | root
    importer: str  # the tach module that uses (or declares)
    imported: str  # the tach module used (or declared)
    edge: ImportEdge | None = None  # the import statement; None for tach.toml itself
    detail: str = ""  # the member path (interface), the layers, the cycle
    warning: bool = False  # tach warns and does not fail (rules.local_imports = "warn")


def tach_violations(
    contract: TachContract,
    edges: Iterable[ImportEdge],
    names: Iterable[ImportedName],
    paths: Mapping[str, str],
) -> tuple[TachViolation, ...]:
    """Everything ``tach check`` reports for ``contract``; ``paths``: module -> file path."""

    nearest = _Nearest(contract.modules)
    checked = [e for e in edges if _checked(contract, e, paths)]
    found = list(_dependency_violations(contract, nearest, checked))
    found.extend(_interface_violations(contract, nearest, checked, names))
    found.extend(_declared_violations(contract, nearest, checked))
    return tuple(sorted(set(found)))


class _Nearest:
    """The tach module a dotted name belongs to: the longest declared path above it."""

    def __init__(self, modules: Iterable[TachModule]) -> None:
        self.config: dict[str, TachModule] = {}
        for module in modules:
            self.config[module.path] = module  # a later definition overrides an earlier
        # Undeclared, <root> may use nothing (when root_module is not "ignore").
        self.config.setdefault(ROOT, TachModule(ROOT, depends_on=()))

    def __call__(self, name: str) -> TachModule:
        parts = name.split(".")
        for end in range(len(parts), 0, -1):
            found = self.config.get(".".join(parts[:end]))
            if found is not None:
                return found
        return self.config[ROOT]


def _checked(contract: TachContract, edge: ImportEdge, paths: Mapping[str, str]) -> bool:
    if contract.allow_type_checking and edge.scope is ImportScope.TYPE_CHECKING:
        return False
    if edge.scope is ImportScope.DYNAMIC:
        return False  # tach reads import statements (string imports are off by default)
    if edge.scope is ImportScope.FUNCTION and contract.local_imports == "off":
        return False
    path = paths.get(edge.importer, "")
    return not any(_excluded(pattern, path) for pattern in contract.exclude)


def _excluded(pattern: str, path: str) -> bool:
    """tach's exclude: a glob matched from the start of the path, by any of its folders."""

    parts = path.split("/")
    return any(
        fnmatch.fnmatchcase("/".join(parts[:end]), pattern.rstrip("/"))
        for end in range(1, len(parts) + 1)
    )


def _pair(
    contract: TachContract, nearest: _Nearest, edge: ImportEdge
) -> tuple[TachModule, TachModule] | None:
    """The (user, used) modules of an import tach checks, or None when it does not."""

    user, used = nearest(edge.importer), nearest(edge.imported)
    if user.path == used.path or user.unchecked:
        return None
    if contract.root_module == "ignore" and ROOT in (user.path, used.path):
        return None
    return user, used


def _dependency_violations(
    contract: TachContract, nearest: _Nearest, edges: Iterable[ImportEdge]
) -> Iterator[TachViolation]:
    layers = {name: index for index, name in enumerate(contract.layers)}
    for edge in edges:
        pair = _pair(contract, nearest, edge)
        if pair is None:
            continue
        user, used = pair
        warning = edge.scope is ImportScope.FUNCTION and contract.local_imports == "warn"
        a, b = layers.get(user.layer or ""), layers.get(used.layer or "")
        if a is not None and b is not None and a != b:
            if a > b:  # index 0 is the top layer
                yield TachViolation(
                    "layer", user.path, used.path, edge, f"{user.layer} -> {used.layer}", warning
                )
            continue  # a higher layer uses a lower one without declaring it
        if any(_matches(p, used.path) for p in user.cannot_depend_on):
            yield TachViolation("forbidden", user.path, used.path, edge, warning=warning)
            continue
        if user.depends_on is None or used.utility:
            continue
        declared = next((d for d in user.depends_on if _matches(d.path, used.path)), None)
        if declared is None:
            yield TachViolation("undeclared", user.path, used.path, edge, warning=warning)


def _interface_violations(
    contract: TachContract,
    nearest: _Nearest,
    edges: Iterable[ImportEdge],
    names: Iterable[ImportedName],
) -> Iterator[TachViolation]:
    if not contract.interfaces:
        return
    statements = {(e.importer, e.imported, e.location): e for e in edges}
    for name in names:
        edge = statements.get((name.importer, name.module, name.location))
        if edge is None:
            continue
        pair = _pair(contract, nearest, edge)
        if pair is None:
            continue
        user, used = pair
        member = name.symbol[len(used.path) + 1 :] if name.symbol != used.path else ""
        if not member or name.name == "*":
            continue  # the module itself is always importable
        visible = []
        for interface in contract.interfaces:
            if interface.modules and not any(
                _regex(m).fullmatch(used.path) for m in interface.modules
            ):
                continue
            if interface.visibility is not None and user.path not in interface.visibility:
                continue
            if interface.exclusive:
                visible = [interface]
                break
            visible.append(interface)
        if visible and not any(_regex(e).fullmatch(member) for i in visible for e in i.expose):
            warning = edge.scope is ImportScope.FUNCTION and contract.local_imports == "warn"
            yield TachViolation("interface", user.path, used.path, edge, name.symbol, warning)


def _declared_violations(
    contract: TachContract, nearest: _Nearest, edges: Iterable[ImportEdge]
) -> Iterator[TachViolation]:
    """What tach fails on in the configuration itself: unused, cycles, visibility, root."""

    modules = [m for m in nearest.config.values() if m.path != ROOT or m in contract.modules]
    declared = {
        (m.path, d.path) for m in modules for d in (m.depends_on or ()) if "*" not in d.path
    }
    if contract.exact:
        used = set()
        for edge in edges:
            pair = _pair(contract, nearest, edge)
            if pair is not None:
                used.add((pair[0].path, pair[1].path))
        for user, unused in sorted(declared - used):
            yield TachViolation("unused", user, unused)
    if contract.forbid_circular_dependencies:
        yield from _declared_cycles(sorted(declared))
    for module in modules:
        for dependency in module.depends_on or ():
            target = nearest.config.get(dependency.path)
            hidden = (
                target is not None
                and target.visibility is not None
                and not any(fnmatch.fnmatchcase(module.path, v) for v in target.visibility)
            )
            if hidden:
                yield TachViolation("visibility", module.path, dependency.path)
            if dependency.path == ROOT and contract.root_module in ("forbid", "dependenciesonly"):
                yield TachViolation("root", module.path, ROOT, detail=contract.root_module)
    if contract.root_module == "forbid" and any(m.path == ROOT for m in contract.modules):
        yield TachViolation("root", ROOT, ROOT, detail="forbid")


def _declared_cycles(pairs: list[tuple[str, str]]) -> Iterator[TachViolation]:
    """Each declared dependency inside a strongly connected set of modules."""

    graph: dict[str, set[str]] = {}
    for a, b in pairs:
        graph.setdefault(a, set()).add(b)
    for a, b in pairs:
        if a != b and _reaches(graph, b, a):
            yield TachViolation("cycle", a, b)


def _reaches(graph: Mapping[str, set[str]], start: str, goal: str) -> bool:
    seen, todo = {start}, [start]
    while todo:
        for nxt in graph.get(todo.pop(), ()):
            if nxt == goal:
                return True
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return False


def _matches(pattern: str, path: str) -> bool:
    """A depends_on entry: the module path, or a glob of module paths (``libs.**``)."""

    return pattern == path or ("*" in pattern and bool(module_pattern(pattern).fullmatch(path)))


@lru_cache(maxsize=256)
def _regex(pattern: str) -> re.Pattern[str]:
    try:
        return re.compile(pattern)
    except re.error:
        return re.compile(re.escape(pattern))
