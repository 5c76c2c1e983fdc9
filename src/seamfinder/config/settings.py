"""Configuration: ``[tool.seamfinder]`` in pyproject.toml, or a seamfinder.toml.

Every value is validated here, once, and errors name the file and the field
(``pyproject.toml: tool.seamfinder.depth: expected an integer >= 0, got 'two'``), so that
the rest of the program can trust a :class:`Config`. Unknown keys are errors with a
suggestion: a typo silently ignored is a rule silently not enforced.
"""

from __future__ import annotations

import difflib
import re
import sys
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from seamfinder.config.contracts import Contract, parse_contracts
from seamfinder.core.errors import ConfigError
from seamfinder.core.model import Severity

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib  # type: ignore[import-not-found, unused-ignore]

# Folders and files that are not part of the architecture being analysed. Tests import
# everything and would blur every seam; migrations are frozen snapshots of old models.
DEFAULT_EXCLUDE: tuple[str, ...] = (
    ".*",
    "__pycache__",
    "node_modules",
    "venv",
    "env",
    "virtualenv",
    "site-packages",
    "build",
    "dist",
    "*.egg-info",
    "tests",
    "test",
    "testing",
    "migrations",
    "alembic",
    "test_*.py",
    "*_test.py",
    "tests.py",
    "conftest.py",
    "docs",
    "examples",
    "project_template",
    "{{*}}",
    "setup.py",
    "noxfile.py",
)

FAIL_ON_CHOICES = ("info", "warning", "error", "never")
# Mirrors seamfinder.collect.source.MAX_FILE_SIZE (config sits beside collect, not above it).
MAX_FILE_SIZE = 1_000_000


@dataclass(frozen=True, slots=True)
class ComponentSpec:
    """A component declared in config: module patterns, and the modules others may use."""

    name: str
    modules: tuple[str, ...]
    public: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class TablesConfig:
    owners: tuple[tuple[str, str], ...] = ()  # (table, component), sorted
    shared: tuple[str, ...] = ()


# Release commits (see seamfinder.analysis.releases): searched case-insensitively in a
# commit's subject ...
RELEASE_MESSAGES: tuple[str, ...] = (
    r"^\W*(prepare |preparing |cut |cutting )?releas(e|ed|es|ing)\b\W*(v(ersion)?\W*)?\d+(\.\d+)+",
    r"\brelease v?\d+\.\d+",
    r"^\W*releas(e|ing)\W*$",
    r"\bbump(s|ed|ing)?\b.{0,40}\bversions?\b",
    r"\bversion bump",
    r"\bbump(s|ed|ing)?\b.{0,40}\bto v?\d+\.\d+",
    r"^\W*(chore|build)(\([^)]*\))?!?:\s*(release|bump)\b",
    r"^\W*\w+\((release|deps|version)\)!?:",
    r"^\W*v?\d+\.\d+(\.\d+)*([-.+][a-z0-9]+)*\W*$",
)
# ... and matched on a changed file's name (not its folder).
RELEASE_FILES: tuple[str, ...] = (
    "VERSION",
    "VERSION.txt",
    "version.txt",
    "version.py",
    "_version.py",
    "__version__.py",
    "CHANGELOG*",
    "CHANGES*",
    "HISTORY*",
    "NEWS*",
    "RELEASE*",
    "*.lock",
    "package-lock.json",
    "npm-shrinkwrap.json",
    "pnpm-lock.yaml",
    "go.sum",
)


@dataclass(frozen=True, slots=True)
class HistoryConfig:
    """``[tool.seamfinder.history]``: change coupling from git (off unless enabled).

    Thresholds are code-maat's defaults; ``max-components-per-commit`` leaves out sweeping
    commits that touch many components a few files each (mass renames, new conventions).
    """

    enabled: bool = False
    since: str | None = None  # a git date: "2024-01-01", "12 months ago"
    max_commits: int | None = None
    min_revs: int = 5
    min_shared_revs: int = 5
    min_coupling: int = 30
    max_changeset_size: int = 30
    max_components_per_commit: int | None = 4
    # Release commits are not co-change: regular expressions searched in the subject, and
    # names of version and lock files (a commit changing only those is a release).
    release_messages: tuple[str, ...] = RELEASE_MESSAGES
    release_files: tuple[str, ...] = RELEASE_FILES


@dataclass(frozen=True, slots=True)
class SeamsConfig:
    """``[tool.seamfinder.seams]``: the module affinity graph and its community detection.

    An edge's weight is ``imports * statements + data * table sites + cochange * degree``
    (degree from 0 to 1, with --history); see :mod:`seamfinder.analysis.seams`.
    """

    imports: float = 1.0  # per import statement between two modules, either way
    data: float = 1.0  # per site where one module touches a table the other defines
    cochange: float = 1.0  # per module pair that always changes together (degree 100%)
    resolution: float = 1.0  # Louvain's: above 1 smaller seams, below 1 larger ones
    seed: int = 42  # Louvain is randomised: a fixed seed keeps the output identical
    part_size: tuple[int, int] = (5, 20)  # NED: parts of this many modules are not extreme


@dataclass(frozen=True, slots=True)
class ServiceDecl:
    """A service (or shared library) declared in ``[tool.seamfinder.services]``."""

    name: str
    paths: tuple[str, ...]  # folders relative to the analysed root
    kind: str = "service"  # service | library


SERVICE_KINDS = ("service", "library")


@dataclass(frozen=True, slots=True)
class RuleSettings:
    """Per-rule overrides: ``[tool.seamfinder.rules.SF202] severity = "error"``."""

    code: str
    severity: Severity | None = None
    options: tuple[tuple[str, Any], ...] = ()


@dataclass(frozen=True, slots=True)
class Config:
    """Validated settings for one run; CLI flags are applied with :func:`dataclasses.replace`."""

    source: str = "<defaults>"  # where it was read from, for messages
    source_roots: tuple[str, ...] = ()  # relative to the analysed root; empty = detect
    exclude: tuple[str, ...] = DEFAULT_EXCLUDE
    extend_exclude: tuple[str, ...] = ()
    depth: int | None = None  # None: 1, and container packages are descended into
    fail_on: str = "error"
    ignore_type_checking_imports: bool = False
    components: tuple[ComponentSpec, ...] = ()
    tables: TablesConfig = field(default_factory=TablesConfig)
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    rules: tuple[RuleSettings, ...] = ()
    contracts: tuple[
        Contract, ...
    ] = ()  # layers, forbidden, independence (seamfinder.config.contracts)
    history: HistoryConfig = field(default_factory=HistoryConfig)
    seams: SeamsConfig = field(default_factory=SeamsConfig)
    services: tuple[ServiceDecl, ...] = ()  # declared: replaces detection
    detect_services: bool = True  # ``services = false``: always analysed as one project
    max_file_size: int = MAX_FILE_SIZE  # bytes; a larger file is SF001 "too large"

    @property
    def all_excludes(self) -> tuple[str, ...]:
        return self.exclude + self.extend_exclude

    def rule_settings(self, code: str) -> RuleSettings | None:
        return next((r for r in self.rules if r.code == code), None)

    def with_overrides(self, **changes: Any) -> Config:
        """Apply CLI flags (``None`` means "not given")."""

        return replace(self, **{k: v for k, v in changes.items() if v is not None})


class Section:
    """A TOML table being read: remembers its dotted path and the keys it consumed."""

    def __init__(self, source: str, path: str, data: Mapping[str, Any]) -> None:
        self.source = source
        self.path = path
        self.data = data
        self._seen: set[str] = set()

    def field(self, key: str) -> str:
        return f"{self.path}.{key}" if self.path else key

    def error(self, key: str, problem: str) -> ConfigError:
        return ConfigError(self.source, self.field(key), problem)

    def has(self, key: str) -> bool:
        return key in self.data

    def raw(self, key: str) -> Any:
        self._seen.add(key)
        return self.data.get(key)

    def string(self, key: str, default: str, choices: tuple[str, ...] = ()) -> str:
        value = self.raw(key)
        if value is None:
            return default
        if not isinstance(value, str):
            raise self.error(key, f"expected a string, got {_show(value)}")
        if choices and value not in choices:
            raise self.error(key, f"expected one of {', '.join(choices)}; got {value!r}")
        return value

    def strings(self, key: str, default: tuple[str, ...] = ()) -> tuple[str, ...]:
        value = self.raw(key)
        if value is None:
            return default
        return self.string_list(key, value)

    def string_list(self, key: str, value: Any) -> tuple[str, ...]:
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            raise self.error(key, f"expected a list of non-empty strings, got {_show(value)}")
        return tuple(value)

    def optional_integer(self, key: str, minimum: int = 0) -> int | None:
        return None if self.raw(key) is None else self.integer(key, 0, minimum)

    def integer(self, key: str, default: int, minimum: int = 0) -> int:
        value = self.raw(key)
        if value is None:
            return default
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            raise self.error(key, f"expected an integer >= {minimum}, got {_show(value)}")
        return value

    def number(self, key: str, default: float, low: float, high: float) -> float:
        value = self.raw(key)
        if value is None:
            return default
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.error(key, f"expected a number, got {_show(value)}")
        if not low <= value <= high:  # nan compares false both ways: refused here too
            raise self.error(key, f"expected a number from {low} to {high}, got {value}")
        return float(value)

    def boolean(self, key: str, default: bool) -> bool:
        value = self.raw(key)
        if value is None:
            return default
        if not isinstance(value, bool):
            raise self.error(key, f"expected true or false, got {_show(value)}")
        return value

    def table(self, key: str) -> Section:
        value = self.raw(key)
        if value is None:
            value = {}
        if not isinstance(value, dict):
            raise self.error(key, f"expected a table, got {_show(value)}")
        return Section(self.source, self.field(key), value)

    def sub(self, key: str, data: Mapping[str, Any]) -> Section:
        """A table found inside this one under ``key`` (an array item: ``contracts[0]``)."""

        return Section(self.source, self.field(key), data)

    def items(self) -> Iterator[tuple[str, Any]]:
        """Iterate a table whose keys are user names (components, tables...)."""

        for key in sorted(self.data):
            self._seen.add(key)
            yield key, self.data[key]

    def finish(self) -> None:
        """Reject keys nobody read: a misspelt key must not be silently ignored."""

        for key in sorted(set(self.data) - self._seen):
            close = difflib.get_close_matches(key, sorted(self._seen | _known_keys(self)), n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise self.error(key, f"unknown key{hint}")


def _known_keys(section: Section) -> set[str]:
    return set(_TOP_LEVEL_KEYS) if section.path in ("tool.seamfinder", "") else set()


_TOP_LEVEL_KEYS = (
    "source-roots",
    "exclude",
    "extend-exclude",
    "depth",
    "fail-on",
    "ignore-type-checking-imports",
    "components",
    "tables",
    "select",
    "ignore",
    "rules",
    "max-file-size",
    "layers",
    "contracts",
    "history",
    "seams",
    "services",
)


def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


_MAX_CONFIG_SIZE = 10_000_000


def find_config_file(root: Path) -> Path | None:
    """seamfinder.toml wins over pyproject.toml; a pyproject without our table is no config."""

    candidate = root / "seamfinder.toml"
    if candidate.is_file():
        return candidate
    candidate = root / "pyproject.toml"
    if candidate.is_file():
        data = _read_toml(candidate, candidate.name)
        tool = data.get("tool", {})
        # ``tool = 5`` is not our business (nor a table seamfinder could be in).
        if isinstance(tool, dict) and "seamfinder" in tool:
            return candidate
    return None


def _read_toml(path: Path, shown: str) -> dict[str, Any]:
    try:
        if path.stat().st_size > _MAX_CONFIG_SIZE:
            raise ConfigError(shown, "<file>", f"larger than {_MAX_CONFIG_SIZE:,} bytes")
        with path.open("rb") as handle:
            data: dict[str, Any] = tomllib.load(handle)
            return data
    except OSError as exc:
        raise ConfigError(shown, "<file>", f"cannot read: {exc.strerror or exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(shown, "<file>", f"invalid TOML: {exc}") from None
    except UnicodeDecodeError as exc:
        raise ConfigError(shown, "<file>", f"invalid TOML: not UTF-8 ({exc.reason})") from None
    except RecursionError:  # tomllib reads nested arrays and tables recursively
        raise ConfigError(shown, "<file>", "invalid TOML: nested too deeply") from None


def load_config(root: Path, explicit: Path | None = None) -> Config:
    """Read the configuration for ``root``: ``explicit`` if given, else the project's own."""

    path = explicit if explicit is not None else find_config_file(root)
    if path is None:
        return Config()
    shown = str(explicit) if explicit is not None else path.name
    if explicit is not None and not path.is_file():
        raise ConfigError(shown, "<file>", "no such file")
    data = _read_toml(path, shown)
    if path.name == "pyproject.toml":
        tool = data.get("tool", {})
        table = tool.get("seamfinder", {}) if isinstance(tool, dict) else {}
        if not isinstance(table, dict):
            raise ConfigError(shown, "tool.seamfinder", "expected a table")
        section = Section(shown, "tool.seamfinder", table)
    else:
        section = Section(shown, "", data)
    return parse_config(section)


def parse_config(section: Section) -> Config:
    config = Config(
        source=section.source,
        source_roots=_source_roots(section),
        exclude=section.strings("exclude", DEFAULT_EXCLUDE),
        extend_exclude=section.strings("extend-exclude"),
        depth=section.optional_integer("depth"),
        fail_on=section.string("fail-on", "error", FAIL_ON_CHOICES),
        ignore_type_checking_imports=section.boolean("ignore-type-checking-imports", False),
        components=_components(section.table("components")),
        tables=_tables(section.table("tables")),
        select=_codes(section, "select"),
        ignore=_codes(section, "ignore"),
        rules=_rules(section.table("rules")),
        contracts=parse_contracts(section),
        history=_history(section.table("history")),
        seams=_seams(section.table("seams")),
        max_file_size=section.integer("max-file-size", MAX_FILE_SIZE, minimum=1),
    )
    if section.has("services"):
        config = replace(config, **_services(section))
    section.finish()
    return config


def _source_roots(section: Section) -> tuple[str, ...]:
    """Folders relative to the project, never outside it (``..``, ``/``)."""

    roots = section.strings("source-roots")
    for root in roots:
        if inside_problem(root):
            raise section.error("source-roots", f"{root!r}: {inside_problem(root)}")
    return roots


def inside_problem(relative: str) -> str | None:
    """Why a path from a config file or flag may lead outside the project, or None."""

    if relative.startswith(("/", "\\")) or (len(relative) > 1 and relative[1] == ":"):
        return "expected a folder relative to the project, not an absolute path"
    if ".." in relative.replace("\\", "/").split("/"):
        return "expected a folder inside the project (no '..')"
    return None


def _history(section: Section) -> HistoryConfig:
    default = HistoryConfig()
    since = section.string("since", "")
    max_commits = section.integer("max-commits", 0, minimum=0)
    max_groups = section.integer(
        "max-components-per-commit", default.max_components_per_commit or 0
    )
    history = HistoryConfig(
        enabled=section.boolean("enabled", default.enabled),
        since=since or None,
        max_commits=max_commits or None,
        min_revs=section.integer("min-revs", default.min_revs),
        min_shared_revs=section.integer("min-shared-revs", default.min_shared_revs),
        min_coupling=section.integer("min-coupling", default.min_coupling),
        max_changeset_size=section.integer("max-changeset-size", default.max_changeset_size, 1),
        max_components_per_commit=max_groups or None,
        release_messages=section.strings("release-messages", default.release_messages),
        release_files=section.strings("release-files", default.release_files),
    )
    for pattern in history.release_messages:
        try:
            re.compile(pattern)
        except re.error as exc:
            raise section.error(
                "release-messages", f"{pattern!r} is not a regular expression: {exc}"
            ) from exc
    if history.max_components_per_commit == 1:
        raise section.error("max-components-per-commit", "expected 0 (no limit) or at least 2")
    if history.min_coupling > 100:
        raise section.error("min-coupling", "a coupling degree is a percentage, 0 to 100")
    section.finish()
    return history


def _seams(section: Section) -> SeamsConfig:
    default = SeamsConfig()
    seams = SeamsConfig(
        imports=section.number("imports", default.imports, 0, 1000),
        data=section.number("data", default.data, 0, 1000),
        cochange=section.number("cochange", default.cochange, 0, 1000),
        resolution=section.number("resolution", default.resolution, 0.01, 100),
        seed=section.integer("seed", default.seed),
        part_size=_part_size(section, default.part_size),
    )
    if seams.imports + seams.data + seams.cochange == 0:
        raise section.error("imports", "imports, data and cochange weights are all 0: no graph")
    section.finish()
    return seams


def _part_size(section: Section, default: tuple[int, int]) -> tuple[int, int]:
    value = section.raw("part-size")
    if value is None:
        return default
    if (
        not isinstance(value, list)
        or len(value) != 2
        or not all(isinstance(v, int) and not isinstance(v, bool) and v >= 1 for v in value)
        or value[0] > value[1]
    ):
        raise section.error(
            "part-size", f"expected [smallest, largest] modules, like [5, 20]; got {_show(value)}"
        )
    return (value[0], value[1])


def _services(section: Section) -> dict[str, Any]:
    """``services = false``, or a table of name = folder(s) or { paths, kind }."""

    if section.raw("services") is False:
        return {"detect_services": False}
    table = section.table("services")
    declared: list[ServiceDecl] = []
    for name, value in table.items():
        if isinstance(value, dict):
            sub = table.sub(name, value)
            decl = ServiceDecl(
                name, sub.strings("paths"), sub.string("kind", "service", SERVICE_KINDS)
            )
            sub.finish()
        else:
            decl = ServiceDecl(name, table.string_list(name, value))
        if not decl.paths:
            raise table.error(name, "a service needs at least one folder (paths)")
        for path in decl.paths:
            if path.startswith("/") or ".." in path.split("/"):
                raise table.error(name, f"{path!r}: expected a folder relative to the project")
        declared.append(decl)
    table.finish()
    if not declared:
        raise section.error("services", "declare at least one service, or set services = false")
    return {"services": tuple(declared)}


def _codes(section: Section, key: str) -> tuple[str, ...]:
    codes = section.strings(key)
    for code in codes:
        problem = code_problem(code)
        if problem:
            raise section.error(key, problem)
    return codes


def code_problem(text: str) -> str | None:
    """Why ``text`` is not a rule code or prefix for ``select``/``ignore``, or None."""

    if _is_code_prefix(text):
        return None
    return f"{text!r} is not a rule code or prefix (like SF2 or SF201)"


def _is_code_prefix(text: str) -> bool:
    return (text.startswith("SF") and text[2:].isdigit() and len(text) <= 5) or text == "ALL"


def _components(section: Section) -> tuple[ComponentSpec, ...]:
    specs: list[ComponentSpec] = []
    for name, value in section.items():
        if isinstance(value, dict):
            sub = Section(section.source, section.field(name), value)
            spec = ComponentSpec(name, sub.strings("modules"), sub.strings("public"))
            sub.finish()
            if not spec.modules:
                raise sub.error("modules", "a component needs at least one module pattern")
        else:
            spec = ComponentSpec(name, section.string_list(name, value))
        for pattern in (*spec.modules, *spec.public):
            problem = _pattern_problem(pattern)
            if problem:
                raise section.error(name, f"{pattern!r}: {problem}")
        specs.append(spec)
    section.finish()
    return tuple(specs)


def _pattern_problem(pattern: str) -> str | None:
    parts = pattern.split(".")
    for part in parts:
        if part in ("*", "**"):
            continue
        if not part.isidentifier():
            return "expected a dotted module name, where a part may be * or **"
    return None


def _tables(section: Section) -> TablesConfig:
    owners_section = section.table("owners")
    owners: list[tuple[str, str]] = []
    for table, owner in owners_section.items():
        if not isinstance(owner, str) or not owner:
            raise owners_section.error(table, f"expected a component name, got {_show(owner)}")
        owners.append((table.lower(), owner))
    owners_section.finish()
    shared = tuple(sorted(t.lower() for t in section.strings("shared")))
    section.finish()
    return TablesConfig(tuple(sorted(owners)), shared)


def _rules(section: Section) -> tuple[RuleSettings, ...]:
    settings: list[RuleSettings] = []
    for code, value in section.items():
        if not (code.startswith("SF") and code[2:].isdigit() and len(code) == 5):
            raise section.error(code, "expected a rule code like SF201")
        if not isinstance(value, dict):
            raise section.error(code, f"expected a table, got {_show(value)}")
        sub = Section(section.source, section.field(code), value)
        severity_text = sub.string("severity", "")
        try:
            severity = Severity.parse(severity_text) if severity_text else None
        except ValueError as exc:
            raise sub.error("severity", str(exc)) from None
        options = tuple(sorted((k, v) for k, v in value.items() if k != "severity"))
        settings.append(RuleSettings(code, severity, options))
    section.finish()
    return tuple(settings)
