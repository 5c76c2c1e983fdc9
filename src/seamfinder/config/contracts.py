"""Import contracts: the ones users declare, and the ones adopted from import-linter or tach.

The semantics are import-linter's, so that a team can carry its contracts over: a lower
layer must not import a higher one, even through a chain of other modules; siblings of a
layer marked independent must not import each other; the sources of a forbidden contract
must not reach its targets; the members of an independence contract must not reach each
other. A chain is reported once, at its first import statement, with the whole chain.

An element of a contract names a component (as the report names it) or, if no component
has that name, a module pattern (``shop.orders`` is the module and everything below it;
``*`` matches one part, ``**`` any number). ``(name)`` marks an element that may match
nothing. This module only parses and validates; :mod:`seamfinder.analysis.contract_checks`
resolves elements against the analysed project and finds the violations.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeAlias

from seamfinder.core.errors import ConfigError

if TYPE_CHECKING:  # config imports this module to build a Config
    from seamfinder.config.settings import Section

CONTRACT_TYPES = ("layers", "forbidden", "independence")
ALERT_LEVELS = ("none", "warn", "error")
# Whose semantics a contract has: seamfinder's elements are components or module patterns;
# import-linter's are module expressions, checked exactly as import-linter checks them.
SEAMFINDER = "seamfinder"
IMPORT_LINTER = "import-linter"


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
    dialect: str = SEAMFINDER
    # An ignore_imports entry that matches no import: "none", "warn" or "error" (SF109).
    unmatched_ignores: str = "warn"
    # Options of an adopted contract that seamfinder reads but does not check (SF003),
    # each "option: why".
    unchecked: tuple[str, ...] = ()

    def error(self, key: str, problem: str) -> ConfigError:
        return ConfigError(self.source, f"{self.field}.{key}" if key else self.field, problem)


@dataclass(frozen=True, slots=True)
class LayersContract(ContractBase):
    layers: tuple[Layer, ...] = ()  # top to bottom
    containers: tuple[str, ...] = ()  # import-linter: layers are relative to each container
    exhaustive: bool = False  # import-linter: every child of a container must be a layer
    exhaustive_ignores: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ForbiddenContract(ContractBase):
    sources: tuple[Element, ...] = ()
    forbidden: tuple[Element, ...] = ()
    allow_indirect_imports: bool = False  # only direct imports are violations
    as_packages: bool = True  # import-linter: an element includes its descendants
    include_external: bool = False  # forbidden packages outside the project are checked


@dataclass(frozen=True, slots=True)
class IndependenceContract(ContractBase):
    members: tuple[Element, ...] = ()
    allow_indirect_imports: bool = False


@dataclass(frozen=True, slots=True)
class AcyclicSiblingsContract(ContractBase):
    """import-linter's acyclic_siblings: the children of each ancestor import no cycle."""

    ancestors: tuple[str, ...] = ()  # module expressions
    depth: int = 10  # how many generations below each ancestor are checked too
    skip_descendants: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ProtectedContract(ContractBase):
    """import-linter's protected: only the allowed importers import the protected modules."""

    protected: tuple[str, ...] = ()  # module expressions
    allowed_importers: tuple[str, ...] = ()
    as_packages: bool = True


@dataclass(frozen=True, slots=True)
class UncheckedContract(ContractBase):
    """An adopted contract seamfinder cannot check at all (said by SF003, never dropped)."""

    kind: str = ""  # its type, as the configuration names it


@dataclass(frozen=True, slots=True)
class TachDependency:
    path: str  # a module path or a glob (``libs.**``)
    deprecated: bool = False  # tach warns on its use and does not fail


@dataclass(frozen=True, slots=True)
class TachModule:
    path: str  # a dotted module path, or ``<root>``
    depends_on: tuple[TachDependency, ...] | None = None  # None: may use any module
    cannot_depend_on: tuple[str, ...] = ()
    layer: str | None = None
    utility: bool = False  # every module may use it without declaring it
    unchecked: bool = False  # its own imports are not checked
    visibility: tuple[str, ...] | None = None  # globs of the modules that may depend on it


@dataclass(frozen=True, slots=True)
class TachInterface:
    expose: tuple[str, ...]  # regexes of the members others may import
    modules: tuple[str, ...] = ()  # ``from``: regexes of the modules adopting it; empty: all
    visibility: tuple[str, ...] | None = None  # the modules that may use it
    exclusive: bool = False


@dataclass(frozen=True, slots=True)
class TachContract(ContractBase):
    """A ``tach.toml``, checked as ``tach check`` checks it (direct imports, by module)."""

    modules: tuple[TachModule, ...] = ()
    interfaces: tuple[TachInterface, ...] = ()
    layers: tuple[str, ...] = ()  # top to bottom
    exclude: tuple[str, ...] = ()  # path globs whose files are not checked
    exact: bool = False  # a declared dependency that no import uses fails
    forbid_circular_dependencies: bool = False  # declared dependencies must not form a cycle
    root_module: str = "ignore"  # ignore | allow | dependenciesonly | forbid
    # Function-level imports: tach's rules.local_imports ("error", "warn", "off").
    local_imports: str = "error"


Contract: TypeAlias = (
    LayersContract
    | ForbiddenContract
    | IndependenceContract
    | AcyclicSiblingsContract
    | ProtectedContract
    | UncheckedContract
    | TachContract
)


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
        "unmatched_ignores": section.string(
            "unmatched-ignore-imports-alerting", "warn", ALERT_LEVELS
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
        contract = ForbiddenContract(
            name=name,
            sources=sources,
            forbidden=forbidden,
            allow_indirect_imports=section.boolean("allow-indirect-imports", False),
            **common,
        )
    else:
        members = _elements(section, "components", required=True)
        if len(members) < 2:
            raise section.error("components", "an independence contract needs two or more")
        name = section.string("name", "") or f"independence of {', '.join(map(str, members))}"
        contract = IndependenceContract(
            name=name,
            members=members,
            allow_indirect_imports=section.boolean("allow-indirect-imports", False),
            **common,
        )
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


def needs_external_imports(contracts: tuple[Contract, ...]) -> bool:
    """Whether a contract forbids packages outside the project (they must be collected)."""

    return any(isinstance(c, ForbiddenContract) and c.include_external for c in contracts)


def needs_imported_names(contracts: tuple[Contract, ...]) -> bool:
    """Whether a contract checks the names imported, not only the modules (tach interfaces)."""

    return any(isinstance(c, TachContract) and c.interfaces for c in contracts)
