"""Import contracts users declare: layers, forbidden dependencies, independence.

The semantics are import-linter's, so that a team can carry its contracts over: a lower
layer must not import a higher one, siblings of a layer marked independent must not import
each other, the sources of a forbidden contract must not import its targets, and the
members of an independence contract must not import each other. Unlike import-linter, a
contract is checked one import statement at a time (direct imports only), so that every
violation has a line to point at and a stable identity for the baseline.

An element of a contract names a component (as the report names it) or, if no component
has that name, a module pattern (``shop.orders`` is the module and everything below it;
``*`` matches one part, ``**`` any number). ``(name)`` marks an element that may match
nothing. This module only parses and validates; :mod:`seamfinder.analysis.contracts`
resolves elements against the analysed project and finds the violations.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeAlias

from seamfinder.core.errors import ConfigError

if TYPE_CHECKING:  # config imports this module to build a Config
    from seamfinder.config.settings import Section

CONTRACT_TYPES = ("layers", "forbidden", "independence")


@dataclass(frozen=True, slots=True, order=True)
class Element:
    """A component name or module pattern; ``optional`` when it may match nothing."""

    name: str
    optional: bool = False

    def __str__(self) -> str:
        return f"({self.name})" if self.optional else self.name


@dataclass(frozen=True, slots=True)
class Layer:
    """One layer: one element, or siblings side by side."""

    elements: tuple[Element, ...]
    independent: bool = True  # siblings must not import each other (``a | b``; ``a : b`` not)

    def __str__(self) -> str:
        return (" | " if self.independent else " : ").join(str(e) for e in self.elements)


@dataclass(frozen=True, slots=True)
class IgnoredImport:
    """``importer -> imported``: exact module names where ``*``/``**`` are wildcards."""

    importer: str
    imported: str

    def __str__(self) -> str:
        return f"{self.importer} -> {self.imported}"


@dataclass(frozen=True, slots=True)
class ContractBase:
    name: str
    source: str  # the file it was read from, for errors
    field: str  # its dotted field there, for errors (``tool.seamfinder.contracts[0]``)
    ignore_imports: tuple[IgnoredImport, ...] = ()
    allow_type_checking: bool | None = None  # None: follow ignore-type-checking-imports

    def error(self, key: str, problem: str) -> ConfigError:
        return ConfigError(self.source, f"{self.field}.{key}" if key else self.field, problem)


@dataclass(frozen=True, slots=True)
class LayersContract(ContractBase):
    layers: tuple[Layer, ...] = ()  # top to bottom


@dataclass(frozen=True, slots=True)
class ForbiddenContract(ContractBase):
    sources: tuple[Element, ...] = ()
    forbidden: tuple[Element, ...] = ()


@dataclass(frozen=True, slots=True)
class IndependenceContract(ContractBase):
    members: tuple[Element, ...] = ()


Contract: TypeAlias = LayersContract | ForbiddenContract | IndependenceContract


def parse_contracts(section: Section) -> tuple[Contract, ...]:
    """``layers = [...]`` (one contract named "layers") and ``[[contracts]]`` tables."""

    contracts: list[Contract] = []
    if section.has("layers"):
        contracts.append(
            LayersContract(
                name="layers",
                source=section.source,
                field=section.field("layers"),
                layers=_layers(section, "layers", section.raw("layers")),
            )
        )
    raw = section.raw("contracts")
    if raw is not None:
        if not isinstance(raw, list) or not all(isinstance(item, dict) for item in raw):
            raise section.error("contracts", "expected an array of tables ([[...contracts]])")
        for index, item in enumerate(raw):
            contracts.append(_contract(section.sub(f"contracts[{index}]", item)))
    seen: dict[str, Contract] = {}
    for contract in contracts:
        other = seen.setdefault(contract.name, contract)
        if other is not contract:
            raise contract.error("name", f"{contract.name!r} is also the name of {other.field}")
    return tuple(contracts)


def _contract(section: Section) -> Contract:
    kind = section.string("type", "", CONTRACT_TYPES)
    if not kind:
        raise section.error("type", f"required: one of {', '.join(CONTRACT_TYPES)}")
    common: dict[str, Any] = {
        "source": section.source,
        "field": section.path,
        "ignore_imports": _ignored(section),
        "allow_type_checking": (
            section.boolean("allow-type-checking", False)
            if section.has("allow-type-checking")
            else None
        ),
    }
    contract: Contract
    if kind == "layers":
        if not section.has("layers"):
            raise section.error("layers", "required for a layers contract")
        layers = _layers(section, "layers", section.raw("layers"))
        name = section.string("name", "") or " > ".join(str(layer) for layer in layers)
        contract = LayersContract(name=name, layers=layers, **common)
    elif kind == "forbidden":
        sources = _elements(section, "source", required=True)
        forbidden = _elements(section, "forbidden", required=True)
        default = f"{', '.join(map(str, sources))} -/-> {', '.join(map(str, forbidden))}"
        name = section.string("name", "") or default
        contract = ForbiddenContract(name=name, sources=sources, forbidden=forbidden, **common)
    else:
        members = _elements(section, "components", required=True)
        if len(members) < 2:
            raise section.error("components", "an independence contract needs two or more")
        name = section.string("name", "") or f"independence of {', '.join(map(str, members))}"
        contract = IndependenceContract(name=name, members=members, **common)
    section.finish()
    return contract


def _layers(section: Section, key: str, value: Any) -> tuple[Layer, ...]:
    if not isinstance(value, list) or len(value) < 2:
        raise section.error(key, f"expected a list of two or more layers, got {value!r}")
    layers: list[Layer] = []
    for item in value:
        if isinstance(item, list):
            layers.append(Layer(tuple(_element(section, key, v) for v in item)))
        elif isinstance(item, str):
            if "|" in item and ":" in item:
                raise section.error(key, f"{item!r}: use either | (independent) or : siblings")
            separator = ":" if ":" in item else "|"
            parts = tuple(_element(section, key, part) for part in item.split(separator))
            layers.append(Layer(parts, independent=separator == "|"))
        else:
            raise section.error(key, f"a layer is a string or a list of strings, got {item!r}")
    return tuple(layers)


def _elements(section: Section, key: str, required: bool) -> tuple[Element, ...]:
    values = section.strings(key)
    if required and not values:
        raise section.error(key, "required: a list of component names or module patterns")
    return tuple(_element(section, key, value) for value in values)


def _element(section: Section, key: str, value: Any) -> Element:
    if not isinstance(value, str):
        raise section.error(key, f"expected a component name or module pattern, got {value!r}")
    text = value.strip()
    optional = text.startswith("(") and text.endswith(")")
    name = text[1:-1].strip() if optional else text
    if not name or any(c in name for c in "|:()>, ") or name.startswith("."):
        raise section.error(key, f"{value!r} is not a component name or module pattern")
    return Element(name, optional)


def _ignored(section: Section) -> tuple[IgnoredImport, ...]:
    ignored: list[IgnoredImport] = []
    for text in section.strings("ignore-imports"):
        importer, arrow, imported = text.partition("->")
        importer, imported = importer.strip(), imported.strip()
        if not arrow or not _is_module_glob(importer) or not _is_module_glob(imported):
            raise section.error(
                "ignore-imports", f"{text!r}: expected 'importer.module -> imported.module'"
            )
        ignored.append(IgnoredImport(importer, imported))
    return tuple(ignored)


def _is_module_glob(text: str) -> bool:
    return bool(text) and all(p in ("*", "**") or p.isidentifier() for p in text.split("."))
