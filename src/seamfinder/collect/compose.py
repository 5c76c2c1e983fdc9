"""Docker Compose files read statically: services, their build folders, names and environment.

Compose files are YAML; PyYAML's node graph (``yaml.compose`` with the ``SafeLoader``)
gives every value with its line, which a finding needs, and constructs no Python object
from the document, so a hostile file can do no more than fail to parse. A file that does
not parse or is not shaped like a compose file is skipped: it must never stop the run.
Variable interpolation (``${DB_HOST:-db}``) is kept as written.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from seamfinder.core.model import ParseFailure
from seamfinder.core.project import EnvEntry

COMPOSE_NAMES = (
    "compose.yaml",
    "compose.yml",
    "docker-compose.yaml",
    "docker-compose.yml",
)


@dataclass(frozen=True, slots=True)
class ComposeService:
    name: str
    path: str  # the compose file, relative to the analysed root
    line: int
    build: str | None  # the folder its image is built from, relative to the root; None: image
    image: str | None
    hostnames: tuple[str, ...]  # container_name, hostname, network aliases
    environment: tuple[EnvEntry, ...]
    ports: tuple[str, ...]  # as written: "8001:8000"
    depends_on: tuple[str, ...]


def compose_files(root: Path, found: Sequence[str] | None = None) -> list[Path]:
    """The compose files: those at the root first (the standard names, then
    ``docker-compose.*.yml``), then those ``found`` deeper (``deploy/docker-compose/``)."""

    paths = [root / name for name in COMPOSE_NAMES if (root / name).is_file()]
    for pattern in ("docker-compose.*.yml", "docker-compose.*.yaml", "compose.*.yaml"):
        paths.extend(sorted(p for p in root.glob(pattern) if p not in paths))
    deeper = sorted(
        (p for p in found or () if "/" in p), key=lambda p: (p.count("/"), _standard(p), p)
    )
    paths.extend(root / p for p in deeper)
    return paths


def _standard(path: str) -> int:
    return 0 if path.rsplit("/", 1)[-1] in COMPOSE_NAMES else 1


def compose_problems(root: Path) -> tuple[ParseFailure, ...]:
    """The compose files at ``root`` that were refused (too large, an alias bomb...)."""

    from seamfinder.collect.compose_yaml import read_file

    found = (read_file(root, path) for path in compose_files(root))
    return tuple(sorted((f for f in found if isinstance(f, ParseFailure)), key=str))


def read_compose(root: Path, found: Sequence[str] | None = None) -> tuple[ComposeService, ...]:
    """Every service of every compose file at ``root`` (and of those ``found`` deeper, see
    :mod:`seamfinder.collect.deployment`); the first definition of a name wins its line and
    build, later files add environment entries (as overrides do)."""

    # PyYAML costs 12 ms to import: only a repository with compose files pays for it.
    from seamfinder.collect.compose_yaml import read_file

    services: dict[str, ComposeService] = {}
    for path in compose_files(root, found):
        services_found = read_file(root, path)
        if isinstance(services_found, ParseFailure):
            continue  # reported by compose_problems
        for service in services_found:
            current = services.get(service.name)
            if current is None:
                services[service.name] = service
                continue
            known = {e.name for e in current.environment}
            extra = tuple(e for e in service.environment if e.name not in known)
            services[service.name] = ComposeService(
                current.name,
                current.path,
                current.line,
                current.build or service.build,
                current.image or service.image,
                tuple(sorted(set(current.hostnames) | set(service.hostnames))),
                current.environment + extra,
                current.ports or service.ports,
                tuple(sorted(set(current.depends_on) | set(service.depends_on))),
            )
    return tuple(services[name] for name in sorted(services))
