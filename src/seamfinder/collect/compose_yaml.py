"""The YAML side of compose files: PyYAML's node graph walked into compose values.

Kept apart from :mod:`seamfinder.collect.compose` so that PyYAML is imported only when a
repository has a compose file.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from seamfinder.collect.compose import ComposeService
from seamfinder.collect.source import read_source
from seamfinder.core.model import ParseFailure
from seamfinder.core.project import EnvEntry

# Subfolders that hold a service's Dockerfiles, not its code (see discover/units.py).
DOCKER_FOLDERS = frozenset({"dockerfiles", "docker", ".docker"})
# A compose file is a few kilobytes; these bound what a hostile one can cost. Aliases share
# nodes, so a document of 600 bytes can stand for billions of them once expanded (a
# "billion laughs", or merge keys merging merges): it is refused unless its expansion fits.
MAX_SIZE = 2_000_000
MAX_EXPANDED_NODES = 100_000


def read_file(root: Path, path: Path) -> list[ComposeService] | ParseFailure:
    """The services of one compose file, or why it was not read (a YAML error is not a
    finding: it is not seamfinder's to judge; a document built to explode is one)."""

    relative = path.relative_to(root).as_posix()
    data = read_source(path, relative, MAX_SIZE)
    if isinstance(data, ParseFailure):
        return data
    try:
        document = yaml.compose(data.decode("utf-8"), Loader=yaml.SafeLoader)
    except (UnicodeError, yaml.YAMLError):
        return []
    except (RecursionError, MemoryError):
        return ParseFailure(relative, "YAML nested too deeply to read")
    if not isinstance(document, yaml.MappingNode):
        return []
    if not _expands_within(document, MAX_EXPANDED_NODES):
        return ParseFailure(
            relative,
            f"YAML aliases and merge keys expand past {MAX_EXPANDED_NODES:,} nodes "
            "(a recursive alias or an alias bomb): not read",
        )
    found: list[ComposeService] = []
    services = _get(document, "services")
    if not isinstance(services, yaml.MappingNode):
        return []
    for key, node in _items(services):
        if not isinstance(node, yaml.MappingNode):
            continue
        found.append(_service(root, path.parent, relative, key, node))
    return found


def _expands_within(document: yaml.Node, budget: int) -> bool:
    """Whether the document, with every alias expanded, has at most ``budget`` nodes.

    Iterative, and it stops as soon as the budget is spent, so a recursive alias (a node
    that contains itself) or an exponential one costs ``budget`` steps, not a hang.
    """

    stack = [document]
    while stack:
        budget -= 1
        if budget < 0:
            return False
        node = stack.pop()
        if isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
        elif isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                stack.append(key)
                stack.append(value)
    return True


def _service(
    root: Path, folder: Path, relative: str, key: yaml.Node, node: yaml.MappingNode
) -> ComposeService:

    name = _scalar(key) or ""
    hostnames = [_scalar(_get(node, "container_name")), _scalar(_get(node, "hostname"))]
    networks = _get(node, "networks")
    if isinstance(networks, yaml.MappingNode):
        for _, network in _items(networks):
            aliases = _get(network, "aliases") if isinstance(network, yaml.MappingNode) else None
            hostnames.extend(_strings(aliases))
    named = [h for h in hostnames if h]
    return ComposeService(
        name=name,
        path=relative,
        line=key.start_mark.line + 1,
        build=_build_folder(root, folder, _get(node, "build")),
        image=_scalar(_get(node, "image")),
        hostnames=tuple(sorted(set(named))),
        environment=_environment(relative, _get(node, "environment")),
        ports=tuple(_strings(_get(node, "ports"))),
        depends_on=tuple(sorted(_depends_on(_get(node, "depends_on")))),
    )


def _build_folder(root: Path, folder: Path, build: yaml.Node | None) -> str | None:
    """The folder the service's code is in: the build context, or the Dockerfile's folder
    when the context is an ancestor of it (monorepos build from the root to share libs)."""

    context: str | None
    dockerfile: str | None = None
    if isinstance(build, yaml.ScalarNode):
        context = _scalar(build)
    elif isinstance(build, yaml.MappingNode):
        context = _scalar(_get(build, "context")) or "."
        dockerfile = _scalar(_get(build, "dockerfile"))
    else:
        return None
    if not context or "://" in context or "$" in context:
        return None
    where = (folder / context).resolve()
    if dockerfile and "$" not in dockerfile:
        candidate = (where / dockerfile).resolve().parent
        if candidate.name in DOCKER_FOLDERS:  # apps/api/dockerfiles/Dockerfile-prod: apps/api
            candidate = candidate.parent
        if candidate != where and where in candidate.parents:
            where = candidate
    try:
        relative = where.relative_to(root.resolve()).as_posix()
    except ValueError:
        return None
    return "" if relative == "." else relative


def _environment(path: str, node: yaml.Node | None) -> tuple[EnvEntry, ...]:

    entries: list[EnvEntry] = []
    if isinstance(node, yaml.MappingNode):
        for key, value in _items(node):
            name = _scalar(key)
            if name:
                entries.append(EnvEntry(name, _scalar(value) or "", path, key.start_mark.line + 1))
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            text = _scalar(item)
            if text:
                name, _, value = text.partition("=")
                entries.append(
                    EnvEntry(name.strip(), value.strip(), path, item.start_mark.line + 1)
                )
    return tuple(entries)


def _depends_on(node: yaml.Node | None) -> list[str]:

    if isinstance(node, yaml.MappingNode):
        return [name for key, _ in _items(node) if (name := _scalar(key))]
    return _strings(node)


def _items(node: yaml.MappingNode) -> list[tuple[yaml.Node, yaml.Node]]:
    """A mapping's pairs with YAML merge keys (``<<: *defaults``) expanded, own keys first."""

    own = [(k, v) for k, v in node.value if _scalar(k) != "<<"]
    names = {_scalar(k) for k, _ in own}
    merged: list[tuple[yaml.Node, yaml.Node]] = []
    for key, value in node.value:
        if _scalar(key) != "<<":
            continue
        sources = value.value if isinstance(value, yaml.SequenceNode) else [value]
        for source in sources:
            if isinstance(source, yaml.MappingNode):
                for k, v in _items(source):
                    if _scalar(k) not in names:
                        names.add(_scalar(k))
                        merged.append((k, v))
    return own + merged


def _get(node: yaml.Node | None, name: str) -> yaml.Node | None:

    if not isinstance(node, yaml.MappingNode):
        return None
    return next((value for key, value in _items(node) if _scalar(key) == name), None)


def _scalar(node: yaml.Node | None) -> str | None:

    if isinstance(node, yaml.ScalarNode):
        return str(node.value)
    return None


def _strings(node: yaml.Node | None) -> list[str]:

    if isinstance(node, yaml.SequenceNode):
        return [text for item in node.value if (text := _scalar(item))]
    return []
