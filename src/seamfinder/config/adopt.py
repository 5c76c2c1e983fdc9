"""Adopt what a repository already declares for import-linter or tach, read statically.

A team that has contracts in ``[tool.importlinter]`` (or ``.importlinter``, or
``setup.cfg [importlinter]``) or modules in ``tach.toml`` gets them checked by
``seamfinder check`` without writing them again. What seamfinder declares itself always
wins: import-linter contracts are adopted only when ``[tool.seamfinder]`` declares no
contracts, tach modules only when it declares no components.

Supported: import-linter's ``layers`` (with ``containers``, ``|`` and ``:`` siblings and
optional ``(layers)``), ``forbidden`` and ``independence`` contracts with
``ignore_imports``; tach's ``modules`` (each becomes a component), ``layers`` with each
module's ``layer``, and ``depends_on`` (every other module becomes forbidden to it).
Not supported, and skipped: other import-linter contract types (``acyclic_siblings``,
``protected``, custom ones), indirect imports (seamfinder checks direct imports only; a
chain through a module outside the contract is not reported), external forbidden modules
(only the project's own modules are in the graph), and tach interfaces, ``utility``
modules' exemptions beyond depends_on, and ``exclude`` settings.
"""

from __future__ import annotations

import configparser
from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from seamfinder.config.contracts import (
    Contract,
    Element,
    ForbiddenContract,
    IgnoredImport,
    IndependenceContract,
    Layer,
    LayersContract,
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
        table = _read_toml(pyproject, "pyproject.toml").get("tool", {}).get("importlinter")
        if isinstance(table, dict):
            items = table.get("contracts", [])
            if not isinstance(items, list):
                raise ConfigError(
                    "pyproject.toml", "tool.importlinter.contracts", "expected a list"
                )
            return [
                contract
                for index, item in enumerate(items)
                if isinstance(item, dict)
                for contract in _import_linter_contract(
                    item, "pyproject.toml", f"tool.importlinter.contracts[{index}]"
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
    contracts: list[Contract] = []
    for section in parser.sections():
        if not section.startswith("importlinter:contract:"):
            continue
        raw = dict(parser.items(section))
        item: dict[str, Any] = {
            key: _ini_list(value) if key in _LIST_KEYS else value.strip()
            for key, value in raw.items()
        }
        contracts.extend(_import_linter_contract(item, shown, section))
    return contracts


_LIST_KEYS = frozenset(
    {"layers", "containers", "source_modules", "forbidden_modules", "modules", "ignore_imports"}
)


def _ini_list(value: str) -> list[str]:
    return [line.strip() for line in value.splitlines() if line.strip()]


def _import_linter_contract(item: Mapping[str, Any], source: str, field: str) -> list[Contract]:
    kind = str(item.get("type", ""))
    name = str(item.get("name", field))
    ignored = tuple(_ignored(_strings(item, "ignore_imports", source, field), source, field))
    if kind == "layers":
        layers = _strings(item, "layers", source, field)
        containers = _strings(item, "containers", source, field) or [""]
        return [
            LayersContract(
                name=name if len(containers) == 1 else f"{name} ({container})",
                source=source,
                field=field,
                ignore_imports=ignored,
                layers=tuple(_layer(text, container) for text in layers),
            )
            for container in containers
        ]
    if kind == "forbidden":
        return [
            ForbiddenContract(
                name=name,
                source=source,
                field=field,
                ignore_imports=ignored,
                sources=tuple(Element(m) for m in _strings(item, "source_modules", source, field)),
                # A forbidden module outside the project (``django``) is not in the graph.
                forbidden=tuple(
                    Element(m, optional=True)
                    for m in _strings(item, "forbidden_modules", source, field)
                ),
            )
        ]
    if kind == "independence":
        return [
            IndependenceContract(
                name=name,
                source=source,
                field=field,
                ignore_imports=ignored,
                members=tuple(Element(m) for m in _strings(item, "modules", source, field)),
            )
        ]
    return []  # other contract types are not supported (see the module docstring)


def _layer(text: str, container: str) -> Layer:
    separator = ":" if ":" in text else "|"
    elements = []
    for part in text.split(separator):
        name = part.strip()
        optional = name.startswith("(") and name.endswith(")")
        name = name[1:-1].strip() if optional else name
        elements.append(Element(f"{container}.{name}" if container else name, optional))
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
        path = module.get("path") if isinstance(module, dict) else None
        if not isinstance(path, str) or not path or path == "<root>":
            if path == "<root>":
                continue
            raise ConfigError("tach.toml", f"modules[{index}].path", "expected a module path")
        specs.append(ComponentSpec(path, (path,)))
    return tuple(sorted(specs, key=lambda s: s.name))


def tach_contracts(data: Mapping[str, Any], specs: Sequence[ComponentSpec]) -> list[Contract]:
    contracts: list[Contract] = []
    modules = [m for m in data.get("modules", []) if isinstance(m, dict)]
    names = [spec.name for spec in specs]
    layer_names = data.get("layers", [])
    if isinstance(layer_names, list) and layer_names:
        in_layer: dict[str, list[str]] = {str(layer): [] for layer in layer_names}
        for module in modules:
            layer = module.get("layer")
            if isinstance(layer, str) and layer in in_layer:
                in_layer[layer].append(str(module["path"]))
        layers = tuple(
            # Modules of one tach layer may use each other as depends_on allows.
            Layer(tuple(Element(m) for m in sorted(members)), independent=False)
            for members in in_layer.values()
            if members
        )
        if len(layers) > 1:
            contracts.append(
                LayersContract(
                    name="tach layers", source="tach.toml", field="layers", layers=layers
                )
            )
    for index, module in enumerate(modules):
        depends_on = module.get("depends_on")
        path = module.get("path")
        if not isinstance(depends_on, list) or path not in names or module.get("utility"):
            continue
        allowed = {d if isinstance(d, str) else d.get("path") for d in depends_on}
        utilities = {m.get("path") for m in modules if m.get("utility")}
        forbidden = [n for n in names if n != path and n not in allowed and n not in utilities]
        if forbidden:
            allowed_text = ", ".join(sorted(str(a) for a in allowed)) or "nothing"
            contracts.append(
                ForbiddenContract(
                    name=f"tach: {path} depends only on {allowed_text}",
                    source="tach.toml",
                    field=f"modules[{index}].depends_on",
                    sources=(Element(str(path)),),
                    forbidden=tuple(Element(n, optional=True) for n in forbidden),
                )
            )
    return contracts
