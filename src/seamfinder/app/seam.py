"""``seamfinder seam COMPONENT``: make a component's boundary explicit inside the monolith.

Analyse the project, plan the facade (:mod:`seamfinder.analysis.seam_plan`), rewrite the
importers (:mod:`seamfinder.collect.rewrite_imports`), declare the facade public in the
configuration (:mod:`seamfinder.config.declare`), and either show the diff (the default)
or write it all (``apply``). Nothing is written when the facade would close a new import
cycle, nor anything that would not compile; a file that cannot be parsed is left alone.
"""

from __future__ import annotations

import difflib
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from seamfinder.analysis.seam_plan import (
    MARKER,
    SeamError,
    SeamPlan,
    SeamTarget,
    component_specs,
    facade_source,
    plan_seam,
    seam_target,
)
from seamfinder.analysis.state import Analysis
from seamfinder.collect.call_strings import call_strings
from seamfinder.collect.rewrite_imports import (
    FoundImport,
    Unparsable,
    find_imports,
    rewrite_imports,
)
from seamfinder.config.declare import PYPROJECT_PREFIX, ConfigEditError, declare_components
from seamfinder.config.options import RunOptions
from seamfinder.config.settings import find_config_file
from seamfinder.core.model import ImportScope, SeamOutcome
from seamfinder.pipeline.inputs import Inputs
from seamfinder.pipeline.run import analyse

_BOM = b"\xef\xbb\xbf"


@dataclass(frozen=True, slots=True)
class SeamRequest:
    """What the command line asks for."""

    component: str
    facade: str | None = None  # dotted module; None: ``<package>.api``
    apply: bool = False
    config_file: Path | None = None  # the configuration to edit; None: the project's own


def make_seam(
    options: RunOptions, request: SeamRequest, inputs: Inputs | None = None
) -> SeamOutcome:
    """Plan the seam, and write it when ``request.apply`` (and no new cycle stands in the way)."""

    analysis, _facts = analyse(options, inputs)
    if analysis.services is not None:
        raise SeamError("seam works on one project: run it on one service's folder")
    target = seam_target(analysis, request.component, request.facade)
    project = analysis.project
    modules = {f.module for f in project.files}
    texts, found, unparsable = _survey(analysis, target, modules)
    old_facade, existing = _existing_facade(project.absolute(target.facade_path), target, modules)
    plan = plan_seam(analysis, target, found, existing, _call_strings(analysis, target))
    config_path = _config_path(project.root, request.config_file)
    shown_config = _shown(config_path, project.root)
    if plan.cycles:
        return replace(_outcome(project.display_root, plan), unparsable=_sorted(unparsable))
    new_texts, rewritten = _rewrite(plan, texts, modules, unparsable)
    if plan.added or not old_facade:  # a boundary with nothing through it yet is one too
        new_texts[target.facade_path] = facade_source(request.component, plan.exports)
    old_texts: dict[str, str] = {**texts, target.facade_path: old_facade}
    config_error = ""
    try:
        old_config, new_config = _config_edit(analysis, target, config_path)
        old_texts[shown_config], new_texts[shown_config] = old_config, new_config
    except (ConfigEditError, SeamError) as exc:
        config_error = str(exc)
    changed = tuple(sorted(p for p in new_texts if new_texts[p] != old_texts.get(p, "")))
    if request.apply:
        for path in changed:
            _write(config_path if path == shown_config else project.absolute(path), new_texts[path])
    return replace(
        _outcome(project.display_root, plan),
        changed=changed,
        diff="".join(_diff(p, old_texts.get(p, ""), new_texts[p]) for p in changed),
        imports_rewritten=rewritten,
        unparsable=_sorted(unparsable),
        config_path=shown_config,
        config_error=config_error,
        applied=request.apply,
    )


def _outcome(root: str, plan: SeamPlan) -> SeamOutcome:
    """The plan as the outcome a reporter reads (what was done is added by the caller)."""

    target = plan.target
    return SeamOutcome(
        root=root,
        component=target.component.name,
        facade=target.facade,
        facade_path=target.facade_path,
        exports=plan.exports,
        added=plan.added,
        remaining=plan.remaining,
        cycles=plan.cycles,
    )


def _survey(
    analysis: Analysis, target: SeamTarget, modules: set[str]
) -> tuple[dict[str, str], dict[str, tuple[FoundImport, ...]], dict[str, str]]:
    """Each importer's text and what it imports from the internals, by path; and the files
    left alone, with why (those the analysis could not parse included)."""

    unparsable = {
        f.path: f"cannot be parsed ({f.reason}): its imports were not read"
        for f in analysis.failures
        if analysis.components.component_of(_module_of(analysis, f.path)) != target.component.name
    }
    texts: dict[str, str] = {}
    found: dict[str, tuple[FoundImport, ...]] = {}
    for source in target.importers:
        text = _read(analysis.project.absolute(source.path), unparsable, source.path)
        if text is None:
            continue
        result = find_imports(
            text, source.module, source.is_package, modules, set(target.internals)
        )
        if isinstance(result, Unparsable):
            unparsable[source.path] = result.reason
        elif result:
            texts[source.path], found[source.path] = text, result
    return texts, found, unparsable


def _module_of(analysis: Analysis, path: str) -> str:
    return next((f.module for f in analysis.project.files if f.path == path), "")


def _sorted(reasons: Mapping[str, str]) -> tuple[tuple[str, str], ...]:
    return tuple(sorted(reasons.items()))


def _read(path: Path, unparsable: dict[str, str], shown: str) -> str | None:
    """The file's text, or None (and why in ``unparsable``): only plain UTF-8 is rewritten,
    so that what is written back has the encoding it had."""

    try:
        data = path.read_bytes()
    except OSError as exc:
        unparsable[shown] = f"cannot read: {exc.strerror or exc}"
        return None
    if data.startswith(_BOM):
        unparsable[shown] = "starts with a byte-order mark: left as it is"
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        unparsable[shown] = "not UTF-8: left as it is"
        return None


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    # newline="": the text keeps the line endings it was read with.
    with path.open("w", encoding="utf-8", newline="") as handle:
        handle.write(text)


def _existing_facade(
    path: Path, target: SeamTarget, modules: set[str]
) -> tuple[str, tuple[FoundImport, ...]]:
    """The facade's text and what it re-exports, if seamfinder wrote it before."""

    if not path.is_file():
        return "", ()
    text = path.read_text(encoding="utf-8")
    if MARKER not in text:
        raise SeamError(
            f"{target.facade_path} exists and seamfinder did not write it: "
            "choose another facade with --facade MODULE"
        )
    inside = set(target.component.modules) - {target.facade}
    found = find_imports(text, target.facade, False, modules, inside)
    if isinstance(found, Unparsable):
        raise SeamError(f"{target.facade_path}: {found.reason}")
    return text, found


def _call_strings(analysis: Analysis, target: SeamTarget) -> dict[tuple[str, int], tuple[str, ...]]:
    """The string arguments at the dynamic-import sites into the component's internals."""

    hidden = set(target.internals)
    lines: dict[str, set[int]] = defaultdict(set)
    for edge in analysis.imports:
        if edge.scope is ImportScope.DYNAMIC and edge.imported in hidden:
            lines[edge.location.path].add(edge.location.line)
    found: dict[tuple[str, int], tuple[str, ...]] = {}
    for path, wanted in sorted(lines.items()):
        try:
            text = analysis.project.absolute(path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        for line, strings in call_strings(text, wanted).items():
            found[(path, line)] = strings
    return found


def _rewrite(
    plan: SeamPlan, texts: Mapping[str, str], modules: set[str], unparsable: dict[str, str]
) -> tuple[dict[str, str], int]:
    """The rewritten text of each importer that changes, and the statements rewritten."""

    exports = {e.key: e.bound for e in plan.exports}
    new_texts: dict[str, str] = {}
    statements = 0
    for rewrite in plan.rewrites:
        path = rewrite.path
        source = next(f for f in plan.target.importers if f.path == path)
        new = rewrite_imports(
            texts[path], source.module, source.is_package, modules, plan.target.facade, exports
        )
        if isinstance(new, Unparsable):
            unparsable[path] = new.reason
            continue
        if not _compiles(texts[path], new, path, unparsable):
            continue
        if new != texts[path]:
            new_texts[path] = new
            statements += len({site.line for site in rewrite.sites})
    return new_texts, statements


def _compiles(old: str, new: str, path: str, unparsable: dict[str, str]) -> bool:
    """The rewrite compiles (when the original did with this interpreter); if not, the
    file is left alone: that is a bug of the rewrite, reported, never written."""

    try:
        compile(old, path, "exec", dont_inherit=True)
    except (SyntaxError, ValueError):
        return True  # newer grammar than this interpreter's: nothing to compare with
    try:
        compile(new, path, "exec", dont_inherit=True)
    except (SyntaxError, ValueError) as exc:
        unparsable[path] = f"the rewrite would not compile ({exc}): left as it is"
        return False
    return True


def _config_path(root: Path, explicit: Path | None) -> Path:
    if explicit is not None:
        return explicit
    found = find_config_file(root)
    if found is not None:
        return found
    pyproject = root / "pyproject.toml"
    return pyproject if pyproject.is_file() else root / "seamfinder.toml"


def _shown(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root).as_posix()
    except ValueError:
        return str(path)


def _config_edit(analysis: Analysis, target: SeamTarget, path: Path) -> tuple[str, str]:
    old = path.read_text(encoding="utf-8") if path.is_file() else ""
    prefix = PYPROJECT_PREFIX if path.name == "pyproject.toml" else ""
    specs = component_specs(analysis, target.component.name, target.facade)
    return old, declare_components(old, prefix, specs)


def _diff(path: str, old: str, new: str) -> str:
    lines = difflib.unified_diff(
        old.splitlines(keepends=True),
        new.splitlines(keepends=True),
        "/dev/null" if not old else f"a/{path}",
        f"b/{path}",
    )
    return "".join(
        line if line.endswith("\n") else f"{line}\n\\ No newline at end of file\n" for line in lines
    )
