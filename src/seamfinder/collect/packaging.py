"""A folder's packaging metadata read statically: does it declare something that runs?

``pyproject.toml`` ([project.scripts], [tool.poetry.scripts], dependencies) and
``setup.cfg`` ([options.entry_points], install_requires) are read as data; ``setup.py`` is
only searched as text (``entry_points=``, a framework named among its requirements),
never run. A folder whose metadata declares a console script or a dependency on a server
framework is something that is deployed, not a library: that is all discovery asks.
"""

from __future__ import annotations

import configparser
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib  # type: ignore[import-not-found, unused-ignore]

# Dependencies that make a process serve requests or consume work. Client libraries that
# a shared library may well depend on (requests, aiohttp, grpcio) do not count.
SERVER_FRAMEWORKS = frozenset(
    {
        "django",
        "flask",
        "fastapi",
        "starlette",
        "sanic",
        "tornado",
        "quart",
        "litestar",
        "falcon",
        "bottle",
        "pyramid",
        "nameko",
        "celery",
        "uvicorn",
        "gunicorn",
        "hypercorn",
        "daphne",
        "waitress",
        "faust",
        "faust-streaming",
        "dramatiq",
        "grpcio-health-checking",
    }
)
_NAME = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)")
_MAX_BYTES = 1 << 20  # metadata files are small; a huge one is not read


@dataclass(frozen=True, slots=True)
class Packaging:
    """What a folder's packaging metadata says runs: console scripts and server frameworks."""

    file: str  # the file that says it: pyproject.toml, setup.cfg or setup.py
    scripts: tuple[str, ...]  # console script names (sorted)
    frameworks: tuple[str, ...]  # server frameworks among the dependencies (sorted)

    @property
    def runs(self) -> bool:
        return bool(self.scripts or self.frameworks)

    def describe(self) -> str:
        parts = []
        if self.scripts:
            parts.append(f"entry point {', '.join(self.scripts[:2])}")
        if self.frameworks:
            parts.append(f"depends on {', '.join(self.frameworks[:2])}")
        return f"{self.file}: {' and '.join(parts)}"


def read_packaging(folder: Path) -> Packaging | None:
    """The first of pyproject.toml, setup.cfg, setup.py in ``folder`` that says something
    runs, or None."""

    for name, reader in (
        ("pyproject.toml", _pyproject),
        ("setup.cfg", _setup_cfg),
        ("setup.py", _setup_py),
    ):
        text = _text(folder / name)
        if text is None:
            continue
        scripts, dependencies = reader(text)
        names = {_requirement_name(d) for d in dependencies}
        frameworks = tuple(sorted(names & SERVER_FRAMEWORKS))
        found = Packaging(name, tuple(sorted(set(scripts))), frameworks)
        if found.runs:
            return found
    return None


def _text(path: Path) -> str | None:
    try:
        if not path.is_file() or path.stat().st_size > _MAX_BYTES:
            return None
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeError):
        return None


def _requirement_name(requirement: str) -> str:
    match = _NAME.match(requirement)
    return match.group(1).lower().replace("_", "-") if match else ""


def _pyproject(text: str) -> tuple[list[str], list[str]]:
    try:
        data = tomllib.loads(text)
    except (tomllib.TOMLDecodeError, ValueError):
        return [], []
    project = _table(data.get("project"))
    poetry = _table(_table(data.get("tool")).get("poetry"))
    scripts = [*_table(project.get("scripts")), *_table(poetry.get("scripts"))]
    dependencies = [d for d in _list(project.get("dependencies")) if isinstance(d, str)]
    dependencies.extend(str(name) for name in _table(poetry.get("dependencies")))
    for group in _table(poetry.get("group")).values():
        dependencies.extend(str(n) for n in _table(_table(group).get("dependencies")))
    return [str(s) for s in scripts], dependencies


def _setup_cfg(text: str) -> tuple[list[str], list[str]]:
    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read_string(text)
    except configparser.Error:
        return [], []
    scripts: list[str] = []
    if parser.has_option("options.entry_points", "console_scripts"):
        value = parser.get("options.entry_points", "console_scripts")
        scripts = [line.split("=", 1)[0].strip() for line in value.splitlines() if "=" in line]
    requires = ""
    if parser.has_option("options", "install_requires"):
        requires = parser.get("options", "install_requires")
    return scripts, [line for line in requires.splitlines() if line.strip()]


_SETUP_SCRIPTS = re.compile(r"['\"]([\w.-]+)\s*=\s*[\w.]+:\w+")
_QUOTED = re.compile(r"['\"]([A-Za-z0-9][A-Za-z0-9._-]*)[^'\"]*['\"]")


def _setup_py(text: str) -> tuple[list[str], list[str]]:
    scripts = _SETUP_SCRIPTS.findall(text) if "entry_points" in text else []
    requires = text.split("install_requires", 1)[1][:2000] if "install_requires" in text else ""
    return scripts, _QUOTED.findall(requires.split("]", 1)[0])


def _table(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []
