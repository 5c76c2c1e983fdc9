"""What is analysed: the project, its packages, and the units of a repository of services.

Plain values made by discovery and read by every later stage.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from seamfinder.core.model import ParseFailure, SkippedFile, SourceFile

__all__ = ["SkippedFile"]  # defined with the report, which lists them


@dataclass(frozen=True, slots=True, order=True)
class EnvEntry:
    """``NAME=value`` of a compose service's ``environment``, with where it is written."""

    name: str
    value: str
    path: str  # the compose file, relative to the analysed root
    line: int


@dataclass(frozen=True, slots=True)
class ServiceSpec:
    """A service or shared library: where its code is and how it is reached."""

    name: str
    kind: str  # "service" | "library"
    folders: tuple[str, ...]  # relative POSIX paths ("" never: the root is not a service)
    detected_by: str  # config, compose, markers, shared-code
    reason: str
    hostnames: tuple[str, ...] = ()  # names other services may use to call it (sorted)
    environment: tuple[EnvEntry, ...] = ()  # from its compose service
    ports: tuple[str, ...] = ()  # published ports of its compose service ("8001:8000")
    compose_path: str | None = None  # where its compose service is declared
    compose_line: int = 0
    # The repository's, the same for every unit: (port published on the host, compose
    # service, port inside), for every compose service (databases and brokers too).
    published: tuple[tuple[str, str, str], ...] = ()


@dataclass(frozen=True, slots=True, order=True)
class LayoutNote:
    """A layout that Python accepts and discovery resolved as Python would (an SF004 finding)."""

    path: str  # the file or folder the decision is about, relative to the root
    subject: str  # what the decision names (a module, a package, a label)
    message: str


@dataclass(frozen=True, slots=True)
class Package:
    """A top-level package of the analysed project."""

    name: str
    directory: Path  # absolute
    source_root: Path  # absolute: the folder to put on sys.path


@dataclass(frozen=True, slots=True)
class Project:
    root: Path  # absolute, resolved
    display_root: str  # the path as the user gave it
    source_roots: tuple[Path, ...]
    packages: tuple[Package, ...]
    files: tuple[SourceFile, ...]  # sorted by path
    # A repository of services: each service and shared library is a project of its own
    # (its own source roots and module names), and ``files`` holds every unit's files with
    # module names qualified as ``unit:module``. Empty for one project.
    units: tuple[Unit, ...] = ()
    notes: tuple[LayoutNote, ...] = ()  # sorted
    skipped: tuple[SkippedFile, ...] = ()  # sorted by path
    # What discovery could not read (a folder, a compose file): SF001 findings.
    problems: tuple[ParseFailure, ...] = ()

    def absolute(self, relative: str) -> Path:
        return self.root / relative


@dataclass(frozen=True, slots=True)
class Unit:
    """A service or shared library of a repository of services, and its own project."""

    spec: ServiceSpec
    project: Project  # files with the unit's own (unqualified) module names

    @property
    def name(self) -> str:
        return self.spec.name


def qualify(unit: str, module: str) -> str:
    """A module's name across services: ``orders:app.models``."""

    return f"{unit}:{module}"
