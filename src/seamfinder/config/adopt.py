"""Adopt what a repository already declares for import-linter or tach, read statically.

A team that has contracts in ``[tool.importlinter]`` (or ``.importlinter``, or
``setup.cfg [importlinter]``) or modules in ``tach.toml`` gets them checked by
``seamfinder check`` without writing them again, with the same verdicts. What seamfinder
declares itself always wins: import-linter contracts are adopted only when
``[tool.seamfinder]`` declares no contracts, tach modules only when it declares no
components.

import-linter: every built-in contract type but ``private_modules`` (``layers`` with
containers, ``exhaustive``; ``forbidden`` with ``allow_indirect_imports``, ``as_packages``
and external packages; ``independence``; ``protected``; ``acyclic_siblings``), with
``ignore_imports`` and ``unmatched_ignore_imports_alerting``, and the session options
``include_external_packages`` and ``exclude_type_checking_imports``. tach: one contract for
the whole ``tach.toml`` (see :class:`~seamfinder.config.contracts.TachContract`). Whatever is
read but not checked (a custom contract type, an unknown option, tach's external checks) is
recorded on the contract and reported by SF003, never dropped in silence.
"""

from __future__ import annotations

import configparser
from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from seamfinder.config.contracts import (
    ALERT_LEVELS,
    IMPORT_LINTER,
    AcyclicSiblingsContract,
    Contract,
    Element,
    ForbiddenContract,
    IgnoredImport,
    IndependenceContract,
    Layer,
    LayersContract,
    ProtectedContract,
    TachContract,
    TachDependency,
    TachInterface,
    TachModule,
    UncheckedContract,
)
from seamfinder.config.settings import ComponentSpec, Config, _read_toml
from seamfinder.core.errors import ConfigError


def adopt(root: Path, config: Config) -> Config:
    """``config`` with components and contracts from import-linter or tach, where it has none."""

    contracts: list[Contract] = []
    components: tuple[ComponentSpec, ...] = ()
    source = config.source
    if not config.contracts:
        contracts.extend(import_linter_contracts(root))
    tach = root / "tach.toml"
    if tach.is_file() and not config.components:
        data = _read_toml(tach, "tach.toml")
        components = tach_components(data)
        if components and source == "<defaults>":
            source = "tach.toml"  # what component reasons and errors should name
        if not config.contracts:
            contracts.extend(tach_contracts(data, components))
    if not contracts and not components:
        return config
    return replace(
        config,
        source=source,
        components=components or config.components,
        contracts=tuple(contracts) or config.contracts,
    )


# --- import-linter ----------------------------------------------------------------------


def import_linter_contracts(root: Path) -> list[Contract]:
    """Contracts from the first import-linter configuration found under ``root``."""

    for name in (".importlinter", "setup.cfg"):
        path = root / name
        if path.is_file():
            found = _ini_contracts(path, name)
            if found is not None:
                return found
    pyproject = root / "pyproject.toml"
    if pyproject.is_file():
        tool = _read_toml(pyproject, "pyproject.toml").get("tool", {})
        table = tool.get("importlinter") if isinstance(tool, dict) else None
        if isinstance(table, dict):
            items = table.get("contracts", [])
            if not isinstance(items, list):
                raise ConfigError(
                    "pyproject.toml", "tool.importlinter.contracts", "expected a list"
                )
            session = {k: v for k, v in table.items() if k != "contracts"}
            return [
                contract
                for index, item in enumerate(items)
                if isinstance(item, dict)
                for contract in _import_linter_contract(
                    item, session, "pyproject.toml", f"tool.importlinter.contracts[{index}]"
                )
            ]
    return []


def _ini_contracts(path: Path, shown: str) -> list[Contract] | None:
    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read(path, encoding="utf-8")
    except (configparser.Error, UnicodeDecodeError) as exc:
        raise ConfigError(shown, "<file>", f"cannot read: {exc}") from None
    if not parser.has_section("importlinter"):
        return None
    session = {
        key: _ini_list(value) if key in _LIST_KEYS else value.strip()
        for key, value in parser.items("importlinter")
    }
    contracts: list[Contract] = []
    for section in parser.sections():
        if not section.startswith("importlinter:contract:"):
            continue
        raw = dict(parser.items(section))
        item: dict[str, Any] = {
            key: _ini_list(value) if key in _LIST_KEYS else value.strip()
            for key, value in raw.items()
        }
        item.setdefault("id", section.removeprefix("importlinter:contract:"))
        contracts.extend(_import_linter_contract(item, session, shown, section))
    return contracts


_LIST_KEYS = frozenset(
    {
        "layers",
        "containers",
        "source_modules",
        "forbidden_modules",
        "modules",
        "ignore_imports",
        "exhaustive_ignores",
        "ancestors",
        "skip_descendants",
        "protected_modules",
        "allowed_importers",
        "root_packages",
        "contract_types",
        "packages_with_private_modules",
    }
)
_COMMON_KEYS = frozenset(
    {"name", "type", "id", "ignore_imports", "unmatched_ignore_imports_alerting"}
)
# What each contract type reads besides the common keys; broken_contract_guidance is only
# text for a person, so it is known and needs no check.
_KEYS = {
    "layers": {"layers", "containers", "exhaustive", "exhaustive_ignores"},
    "forbidden": {"source_modules", "forbidden_modules", "allow_indirect_imports", "as_packages"},
    "independence": {"modules"},
    "protected": {"protected_modules", "allowed_importers", "as_packages"},
    "acyclic_siblings": {"ancestors", "depth", "skip_descendants"},
}


def _ini_list(value: str) -> list[str]:
    return [line.strip() for line in value.splitlines() if line.strip()]


def _flag(value: Any) -> bool:
    return str(value).strip().lower() == "true"


def _import_linter_contract(
    item: Mapping[str, Any], session: Mapping[str, Any], source: str, field: str
) -> list[Contract]:
    kind = str(item.get("type", ""))
    name = str(item.get("name", field))
    alerting = str(item.get("unmatched_ignore_imports_alerting", "error")).lower()
    if alerting not in ALERT_LEVELS:
        raise ConfigError(
            source,
            f"{field}.unmatched_ignore_imports_alerting",
            f"{alerting!r}: expected one of {', '.join(ALERT_LEVELS)}",
        )
    if kind not in _KEYS:
        why = "a custom contract type (contract_types)" if kind else "a contract without a type"
        if kind == "private_modules":
            why = "not checked by seamfinder"
        return [
            UncheckedContract(
                name=name,
                source=source,
                field=field,
                dialect=IMPORT_LINTER,
                kind=kind,
                unchecked=(f"type = {kind}: {why}",),
            )
        ]
    known = _COMMON_KEYS | _KEYS[kind] | {"broken_contract_guidance"}
    common: dict[str, Any] = {
        "name": name,
        "source": source,
        "field": field,
        "dialect": IMPORT_LINTER,
        "ignore_imports": tuple(
            _ignored(_strings(item, "ignore_imports", source, field), source, field)
        ),
        # import-linter sees imports under TYPE_CHECKING unless the session excludes them.
        "allow_type_checking": _flag(session.get("exclude_type_checking_imports", False)),
        "unmatched_ignores": alerting,
        "unchecked": tuple(
            f"{key}: not an option of {kind} contracts" for key in sorted(set(item) - known)
        ),
    }
    if kind == "layers":
        return [_layers_contract(item, common, source, field)]
    if kind == "forbidden":
        return [
            ForbiddenContract(
                sources=tuple(Element(m) for m in _strings(item, "source_modules", source, field)),
                forbidden=tuple(
                    Element(m) for m in _strings(item, "forbidden_modules", source, field)
                ),
                allow_indirect_imports=_flag(item.get("allow_indirect_imports", False)),
                as_packages=_flag(item.get("as_packages", True)),
                include_external=_flag(session.get("include_external_packages", False)),
                **common,
            )
        ]
    if kind == "independence":
        return [
            IndependenceContract(
                members=tuple(Element(m) for m in _strings(item, "modules", source, field)),
                **common,
            )
        ]
    if kind == "protected":
        return [
            ProtectedContract(
                protected=tuple(_strings(item, "protected_modules", source, field)),
                allowed_importers=tuple(_strings(item, "allowed_importers", source, field)),
                as_packages=_flag(item.get("as_packages", True)),
                **common,
            )
        ]
    return [
        AcyclicSiblingsContract(
            ancestors=tuple(_strings(item, "ancestors", source, field)),
            depth=_integer(item.get("depth", 10), source, f"{field}.depth"),
            skip_descendants=tuple(_strings(item, "skip_descendants", source, field)),
            **common,
        )
    ]


def _layers_contract(
    item: Mapping[str, Any], common: dict[str, Any], source: str, field: str
) -> LayersContract:
    return LayersContract(
        layers=tuple(_layer(text) for text in _strings(item, "layers", source, field)),
        containers=tuple(_strings(item, "containers", source, field)),
        exhaustive=_flag(item.get("exhaustive", False)),
        exhaustive_ignores=tuple(_strings(item, "exhaustive_ignores", source, field)),
        **common,
    )


def _integer(value: Any, source: str, field: str) -> int:
    try:
        number = int(str(value).strip())
    except ValueError:
        raise ConfigError(source, field, f"expected a whole number, got {value!r}") from None
    if number < 0:
        raise ConfigError(source, field, f"expected 0 or more, got {number}")
    return number


def _layer(text: str) -> Layer:
    separator = ":" if ":" in text else "|"
    elements = []
    for part in text.split(separator):
        name = part.strip()
        optional = name.startswith("(") and name.endswith(")")
        elements.append(Element(name[1:-1].strip() if optional else name, optional))
    return Layer(tuple(elements), independent=separator == "|")


def _strings(item: Mapping[str, Any], key: str, source: str, field: str) -> list[str]:
    value = item.get(key, [])
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(source, f"{field}.{key}", f"expected a list of strings, got {value!r}")
    return value


def _ignored(lines: Sequence[str], source: str, field: str) -> list[IgnoredImport]:
    ignored = []
    for line in lines:
        importer, arrow, imported = line.partition("->")
        if not arrow:
            raise ConfigError(source, f"{field}.ignore_imports", f"{line!r}: expected 'a -> b'")
        ignored.append(IgnoredImport(importer.strip(), imported.strip()))
    return ignored


# --- tach -------------------------------------------------------------------------------


def tach_components(data: Mapping[str, Any]) -> tuple[ComponentSpec, ...]:
    modules = data.get("modules", [])
    if not isinstance(modules, list):
        raise ConfigError("tach.toml", "modules", "expected an array of tables")
    specs = []
    for index, module in enumerate(modules):
        for path in _module_paths(module, index):
            if path != "<root>" and "*" not in path:
                specs.append(ComponentSpec(path, (path,)))
    return tuple(sorted(set(specs), key=lambda s: s.name))


def _module_paths(module: Any, index: int) -> list[str]:
    """A module's ``path``, or each of its ``paths`` (one definition for several)."""

    paths = module.get("paths", [module.get("path")]) if isinstance(module, dict) else [None]
    if not isinstance(paths, list) or not paths or not all(isinstance(p, str) and p for p in paths):
        raise ConfigError("tach.toml", f"modules[{index}].path", "expected a module path")
    return list(paths)


_TACH_KEYS = frozenset(
    {
        "modules",
        "interfaces",
        "layers",
        "exclude",
        "source_roots",
        "exact",
        "forbid_circular_dependencies",
        "root_module",
        "ignore_type_checking_imports",
        "rules",
        # How tach runs, not what it checks:
        "respect_gitignore",
        "cache",
        "disable_logging",
    }
)
_TACH_MODULE_KEYS = frozenset(
    {
        "path",
        "paths",
        "depends_on",
        "cannot_depend_on",
        "layer",
        "utility",
        "unchecked",
        "visibility",
    }
)
ROOT_MODES = ("ignore", "allow", "dependenciesonly", "forbid")


def tach_contracts(data: Mapping[str, Any], specs: Sequence[ComponentSpec]) -> list[Contract]:
    """The whole ``tach.toml`` as one contract, checked as ``tach check`` checks it."""

    if not specs and not data.get("modules"):
        return []
    unchecked = [f"{key}: not checked by seamfinder" for key in sorted(set(data) - _TACH_KEYS)]
    modules: list[TachModule] = []
    for index, raw in enumerate(data.get("modules", [])):
        if not isinstance(raw, dict):
            raise ConfigError("tach.toml", f"modules[{index}]", "expected a table")
        unchecked.extend(
            f"modules[{index}].{key}: not checked by seamfinder"
            for key in sorted(set(raw) - _TACH_MODULE_KEYS)
        )
        modules.extend(_tach_module(raw, path, index) for path in _module_paths(raw, index))
    root_module = str(data.get("root_module", "ignore"))
    if root_module not in ROOT_MODES:
        raise ConfigError(
            "tach.toml", "root_module", f"{root_module!r}: expected one of {', '.join(ROOT_MODES)}"
        )
    rules = data.get("rules", {})
    rules = rules if isinstance(rules, dict) else {}
    unchecked.extend(
        f"rules.{key}: not checked by seamfinder" for key in sorted(set(rules) - {"local_imports"})
    )
    layers = [
        layer.get("name") if isinstance(layer, dict) else layer for layer in data.get("layers", [])
    ]
    unchecked.extend(
        f"layers.{layer.get('name')}: closed layers are not checked by seamfinder"
        for layer in data.get("layers", [])
        if isinstance(layer, dict) and layer.get("closed")
    )
    return [
        TachContract(
            name="tach",
            source="tach.toml",
            field="<file>",
            allow_type_checking=bool(data.get("ignore_type_checking_imports", True)),
            unchecked=tuple(unchecked),
            modules=tuple(modules),
            interfaces=tuple(
                _tach_interface(raw, index) for index, raw in enumerate(data.get("interfaces", []))
            ),
            layers=tuple(str(layer) for layer in layers),
            exclude=tuple(str(p) for p in data.get("exclude", _TACH_DEFAULT_EXCLUDE)),
            exact=bool(data.get("exact", False)),
            forbid_circular_dependencies=bool(data.get("forbid_circular_dependencies", False)),
            root_module=root_module,
            local_imports=str(rules.get("local_imports", "error")),
        )
    ]


_TACH_DEFAULT_EXCLUDE = ("**/tests", "**/docs", "**/*__pycache__", "**/*egg-info", "**/venv")


def _tach_module(raw: Mapping[str, Any], path: str, index: int) -> TachModule:
    depends_on = raw.get("depends_on")
    dependencies: tuple[TachDependency, ...] | None = None
    if depends_on is not None:
        if not isinstance(depends_on, list):
            raise ConfigError("tach.toml", f"modules[{index}].depends_on", "expected a list")
        dependencies = tuple(_tach_dependency(d, index) for d in depends_on)
    visibility = raw.get("visibility")
    return TachModule(
        path=path,
        depends_on=dependencies,
        cannot_depend_on=tuple(str(d) for d in raw.get("cannot_depend_on", [])),
        layer=str(raw["layer"]) if raw.get("layer") else None,
        utility=bool(raw.get("utility", False)),
        unchecked=bool(raw.get("unchecked", False)),
        visibility=tuple(str(v) for v in visibility) if isinstance(visibility, list) else None,
    )


def _tach_dependency(item: Any, index: int) -> TachDependency:
    """One ``depends_on`` item: a module path, or a table with one (``{ path = "a" }``)."""

    path = item.get("path") if isinstance(item, dict) else item
    if not isinstance(path, str) or not path:
        raise ConfigError(
            "tach.toml",
            f"modules[{index}].depends_on",
            f"expected module paths (strings or {{ path = ... }} tables), got {item!r:.60}",
        )
    deprecated = bool(item.get("deprecated", False)) if isinstance(item, dict) else False
    return TachDependency(path, deprecated)


def _tach_interface(raw: Any, index: int) -> TachInterface:
    if not isinstance(raw, dict) or not isinstance(raw.get("expose"), list):
        raise ConfigError("tach.toml", f"interfaces[{index}].expose", "expected a list")
    visibility = raw.get("visibility")
    return TachInterface(
        expose=tuple(str(e) for e in raw["expose"]),
        modules=tuple(str(m) for m in raw.get("from", [])),
        visibility=tuple(str(v) for v in visibility) if isinstance(visibility, list) else None,
        exclusive=bool(raw.get("exclusive", False)),
    )
