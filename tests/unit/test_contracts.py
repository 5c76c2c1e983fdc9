"""Import contracts: parsing with errors keyed by field, and violations on in-memory graphs."""

from __future__ import annotations

from pathlib import Path

import pytest

from seamfinder.analysis.contract_checks import (
    ModuleUniverse,
    check_contract,
    contract_violations,
    non_public_violations,
)
from seamfinder.config.contracts import (
    Element,
    ForbiddenContract,
    IgnoredImport,
    IndependenceContract,
    Layer,
    LayersContract,
)
from seamfinder.config.settings import ComponentSpec, load_config
from seamfinder.core.errors import ConfigError
from seamfinder.core.model import ImportEdge, ImportScope, Location

MODULES = (
    "shop",
    "shop.core",
    "shop.core.money",
    "shop.orders",
    "shop.orders.api",
    "shop.orders.models",
    "shop.payments",
    "shop.payments.gateway",
    "shop.shipping",
    "shop.shipping.labels",
    "shop.web",
    "shop.web.views",
)
UNIVERSE = ModuleUniverse(
    modules=MODULES,
    members={
        "core": ("shop.core", "shop.core.money"),
        "orders": ("shop.orders", "shop.orders.api", "shop.orders.models"),
        "payments": ("shop.payments", "shop.payments.gateway"),
        "shipping": ("shop.shipping", "shop.shipping.labels"),
        "web": ("shop.web", "shop.web.views"),
    },
)


def edge(
    importer: str, imported: str, line: int = 1, scope: ImportScope = ImportScope.MODULE
) -> ImportEdge:
    path = importer.replace(".", "/") + ".py"
    return ImportEdge(importer, imported, Location(path, line, 1), scope)


def layers(*spec: str | list[str], **kwargs: object) -> LayersContract:
    built = []
    for item in spec:
        if isinstance(item, list):
            built.append(Layer(tuple(Element(e) for e in item)))
        elif ":" in item:
            built.append(Layer(tuple(Element(e.strip()) for e in item.split(":")), False))
        else:
            built.append(Layer(tuple(Element(e.strip()) for e in item.split("|"))))
    return LayersContract(
        name="shop layers",
        source="pyproject.toml",
        field="tool.seamfinder.layers",
        layers=tuple(built),
        **kwargs,
    )  # type: ignore[arg-type]


def pairs(violations) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    return [(v.edge.importer, v.edge.imported) for v in violations]


def test_lower_layer_importing_a_higher_one_is_a_violation_per_statement() -> None:
    contract = layers("web", "orders | payments", "core")
    edges = [
        edge("shop.web.views", "shop.orders.api"),  # down: fine
        edge("shop.orders.models", "shop.core.money"),  # down two: fine
        edge("shop.core.money", "shop.web.views", 3),  # up
        edge("shop.core.money", "shop.web.views", 7),  # up again: a second statement
        edge("shop.orders.api", "shop.web.views", 2),  # up one
        edge("shop.shipping.labels", "shop.web.views"),  # not in any layer: not checked
    ]
    found = contract_violations(contract, UNIVERSE, edges, ignore_type_checking=False)
    assert [(v.edge.importer, v.edge.location.line, v.upward, v.sibling) for v in found] == [
        ("shop.core.money", 3, True, False),
        ("shop.core.money", 7, True, False),
        ("shop.orders.api", 2, True, False),
    ]
    assert (found[0].importer_element, found[0].imported_element) == ("core", "web")


def test_a_chain_through_a_module_in_no_layer_is_one_violation_at_its_first_import() -> None:
    edges = [
        edge("shop.core.money", "shop.shipping.labels", 4),  # shipping is in no layer
        edge("shop.shipping.labels", "shop.web.views", 2),
    ]
    (found,) = contract_violations(layers("web", "core"), UNIVERSE, edges, False)
    assert found.edge == edges[0]
    assert found.chain == tuple(edges)
    assert found.modules == ("shop.core.money", "shop.shipping.labels", "shop.web.views")
    assert (found.importer, found.imported) == ("shop.core.money", "shop.web.views")
    assert (found.importer_element, found.imported_element, found.upward) == ("core", "web", True)


def test_allow_indirect_imports_checks_direct_imports_only() -> None:
    edges = [
        edge("shop.orders.api", "shop.shipping.labels"),
        edge("shop.shipping.labels", "shop.web.views"),  # orders reaches web only indirectly
        edge("shop.payments.gateway", "shop.web.views", 5),  # payments imports web itself
    ]
    common = {"sources": (Element("orders"), Element("payments")), "forbidden": (Element("web"),)}
    chains = ForbiddenContract("no web", "pyproject.toml", "c", **common)  # type: ignore[arg-type]
    direct = ForbiddenContract(
        "no web",
        "pyproject.toml",
        "c",
        allow_indirect_imports=True,
        **common,  # type: ignore[arg-type]
    )
    assert sorted(v.modules for v in contract_violations(chains, UNIVERSE, edges, False)) == [
        ("shop.orders.api", "shop.shipping.labels", "shop.web.views"),
        ("shop.payments.gateway", "shop.web.views"),
    ]
    assert pairs(contract_violations(direct, UNIVERSE, edges, False)) == [
        ("shop.payments.gateway", "shop.web.views")
    ]


def test_an_ignore_that_matches_no_import_is_reported_and_one_that_matches_hides_the_chain() -> (
    None
):
    edges = [
        edge("shop.core.money", "shop.shipping.labels"),
        edge("shop.shipping.labels", "shop.web.views"),
    ]
    contract = layers(
        "web",
        "core",
        ignore_imports=(
            IgnoredImport("shop.shipping.*", "shop.web.**"),  # cuts the only chain
            IgnoredImport("shop.core.money", "shop.orders"),  # matches nothing
        ),
    )
    outcome = check_contract(contract, UNIVERSE, tuple(edges), False)
    assert outcome.violations == ()
    assert outcome.unmatched_ignores == (IgnoredImport("shop.core.money", "shop.orders"),)


def test_independent_siblings_must_not_import_each_other_but_colon_siblings_may() -> None:
    edges = [edge("shop.payments.gateway", "shop.orders.models")]
    independent = contract_violations(
        layers("web", "orders | payments", "core"), UNIVERSE, edges, False
    )
    assert [(v.sibling, v.upward) for v in independent] == [(True, False)]
    listed = contract_violations(
        layers("web", ["orders", "payments"], "core"), UNIVERSE, edges, False
    )
    assert len(listed) == 1
    allowed = contract_violations(
        layers("web", "orders : payments", "core"), UNIVERSE, edges, False
    )
    assert allowed == ()


def test_elements_may_be_module_patterns_as_well_as_components() -> None:
    contract = layers("shop.web", "shop.orders.*", "shop.core")
    found = contract_violations(
        contract, UNIVERSE, [edge("shop.core.money", "shop.orders.api")], False
    )
    assert pairs(found) == [("shop.core.money", "shop.orders.api")]
    # shop.orders itself is not matched by shop.orders.*: not in any layer.
    assert (
        contract_violations(contract, UNIVERSE, [edge("shop.core.money", "shop.orders")], False)
        == ()
    )


def test_type_checking_imports_follow_the_contract_then_the_global_setting() -> None:
    tc = [edge("shop.core.money", "shop.web.views", scope=ImportScope.TYPE_CHECKING)]
    assert len(contract_violations(layers("web", "core"), UNIVERSE, tc, False)) == 1
    assert contract_violations(layers("web", "core"), UNIVERSE, tc, True) == ()
    strict = layers("web", "core", allow_type_checking=False)
    assert len(contract_violations(strict, UNIVERSE, tc, True)) == 1


def test_ignore_imports_match_exact_modules_with_wildcards() -> None:
    edges = [edge("shop.core.money", "shop.web.views"), edge("shop.core", "shop.web.views")]
    exact = layers(
        "web", "core", ignore_imports=(IgnoredImport("shop.core.money", "shop.web.views"),)
    )
    assert pairs(contract_violations(exact, UNIVERSE, edges, False)) == [
        ("shop.core", "shop.web.views")
    ]
    wild = layers("web", "core", ignore_imports=(IgnoredImport("shop.core.*", "shop.web.**"),))
    assert pairs(contract_violations(wild, UNIVERSE, edges, False)) == [
        ("shop.core", "shop.web.views")
    ]


def test_an_element_that_matches_nothing_is_a_config_error_unless_optional() -> None:
    with pytest.raises(
        ConfigError, match=r"tool\.seamfinder\.layers\.layers: 'api' matches no component or module"
    ):
        contract_violations(layers("api", "core"), UNIVERSE, [], False)
    optional = LayersContract(
        "l",
        "pyproject.toml",
        "f",
        layers=(Layer((Element("api", optional=True),)), Layer((Element("core"),))),
    )
    assert contract_violations(optional, UNIVERSE, [], False) == ()


def test_overlapping_elements_are_a_config_error() -> None:
    with pytest.raises(
        ConfigError, match=r"module 'shop\.orders\.api' is in both 'orders' and 'shop\.orders\.api'"
    ):
        contract_violations(layers("web", "orders", "shop.orders.api"), UNIVERSE, [], False)


def test_forbidden_sources_must_not_import_targets() -> None:
    contract = ForbiddenContract(
        "no web",
        "pyproject.toml",
        "c",
        sources=(Element("orders"), Element("payments")),
        forbidden=(Element("shop.web"),),
    )
    edges = [
        edge("shop.orders.api", "shop.web.views"),
        edge("shop.payments.gateway", "shop.web"),
        edge("shop.shipping.labels", "shop.web.views"),  # not a source
        edge("shop.orders.api", "shop.core.money"),  # not forbidden
    ]
    found = contract_violations(contract, UNIVERSE, edges, False)
    assert pairs(found) == [
        ("shop.orders.api", "shop.web.views"),
        ("shop.payments.gateway", "shop.web"),
    ]
    assert (found[1].importer_element, found[1].imported_element) == ("payments", "shop.web")


def test_independent_components_must_not_import_each_other_in_either_direction() -> None:
    contract = IndependenceContract(
        "contexts",
        "pyproject.toml",
        "c",
        members=(Element("orders"), Element("payments"), Element("shipping")),
    )
    edges = [
        edge("shop.orders.api", "shop.payments.gateway"),
        edge("shop.shipping.labels", "shop.orders.models"),
        edge("shop.orders.api", "shop.orders.models"),  # inside one member
        edge("shop.web.views", "shop.orders.api"),  # from outside
    ]
    assert pairs(contract_violations(contract, UNIVERSE, edges, False)) == [
        ("shop.orders.api", "shop.payments.gateway"),
        ("shop.shipping.labels", "shop.orders.models"),
    ]


def test_only_public_modules_may_be_imported_from_outside_the_component() -> None:
    spec = ComponentSpec("orders", ("shop.orders",), ("shop.orders.api",))
    component_of = {m: name for name, members in UNIVERSE.members.items() for m in members}
    edges = [
        edge("shop.web.views", "shop.orders.api"),  # public
        edge("shop.web.views", "shop.orders.models"),  # private
        edge("shop.payments.gateway", "shop.orders"),  # the package itself is not listed
        edge("shop.orders.api", "shop.orders.models"),  # inside
        edge("shop.web.views", "shop.orders.models", scope=ImportScope.TYPE_CHECKING),
    ]
    found = non_public_violations(spec, UNIVERSE, component_of, edges, allow_type_checking=True)
    assert pairs(found) == [
        ("shop.payments.gateway", "shop.orders"),
        ("shop.web.views", "shop.orders.models"),
    ]
    assert found[1].importer_element == "web"
    strict = non_public_violations(spec, UNIVERSE, component_of, edges, allow_type_checking=False)
    assert len(strict) == 3


def write(tmp_path: Path, text: str) -> Path:
    (tmp_path / "pyproject.toml").write_text(text, encoding="utf-8")
    return tmp_path


def test_contracts_are_parsed_from_the_shorthand_and_the_table_array(tmp_path: Path) -> None:
    config = load_config(
        write(
            tmp_path,
            """
[tool.seamfinder]
layers = ["web", "orders | payments", ["a", "b"], "x : y", "(core)"]

[[tool.seamfinder.contracts]]
type = "forbidden"
source = ["orders"]
forbidden = ["web"]
allow-type-checking = true
ignore-imports = ["shop.orders.admin -> shop.web.*"]

[[tool.seamfinder.contracts]]
name = "contexts"
type = "independence"
components = ["orders", "payments"]
""",
        )
    )
    shorthand, forbidden, independence = config.contracts
    assert isinstance(shorthand, LayersContract) and shorthand.name == "layers"
    assert [str(layer) for layer in shorthand.layers] == [
        "web",
        "orders | payments",
        "a | b",
        "x : y",
        "(core)",
    ]
    assert isinstance(forbidden, ForbiddenContract)
    assert forbidden.name == "orders -/-> web" and forbidden.allow_type_checking is True
    assert forbidden.ignore_imports == (IgnoredImport("shop.orders.admin", "shop.web.*"),)
    assert forbidden.field == "tool.seamfinder.contracts[0]"
    assert isinstance(independence, IndependenceContract) and independence.name == "contexts"
    assert independence.allow_type_checking is None


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ('layers = ["web"]', "tool.seamfinder.layers: expected a list of two or more layers"),
        ('layers = ["web", "a | b : c"]', "tool.seamfinder.layers: 'a | b : c': use either"),
        ('layers = ["web", 3]', "tool.seamfinder.layers: a layer is a string or a list"),
        ('layers = ["web", "a b"]', "tool.seamfinder.layers: 'a b' is not a component name"),
        (
            "[[tool.seamfinder.contracts]]\nsource = ['a']",
            "tool.seamfinder.contracts[0].type: required",
        ),
        (
            "[[tool.seamfinder.contracts]]\ntype = 'layer'",
            "tool.seamfinder.contracts[0].type: expected one of layers, forbidden, independence",
        ),
        (
            "[[tool.seamfinder.contracts]]\ntype = 'forbidden'\nsorce = ['a']\nforbidden = ['b']",
            "tool.seamfinder.contracts[0].source: required",
        ),
        (
            "[[tool.seamfinder.contracts]]\ntype = 'forbidden'\nsource = ['a']\nforbidden = ['b']\nsorce = 1",
            "tool.seamfinder.contracts[0].sorce: unknown key (did you mean 'source'?)",
        ),
        (
            "[[tool.seamfinder.contracts]]\ntype = 'independence'\ncomponents = ['a']",
            "tool.seamfinder.contracts[0].components: an independence contract needs two or more",
        ),
        (
            "[[tool.seamfinder.contracts]]\ntype = 'independence'\ncomponents = ['a', 'b']\nignore-imports = ['a.b']",
            "tool.seamfinder.contracts[0].ignore-imports: 'a.b': expected 'importer.module -> imported.module'",
        ),
        (
            'layers = ["a", "b"]\n[[tool.seamfinder.contracts]]\nname = "layers"\ntype = "independence"\ncomponents = ["a", "b"]',
            "tool.seamfinder.contracts[0].name: 'layers' is also the name of tool.seamfinder.layers",
        ),
        ("contracts = 3", "tool.seamfinder.contracts: expected an array of tables"),
    ],
)
def test_bad_contracts_name_the_field(tmp_path: Path, toml: str, message: str) -> None:
    with pytest.raises(ConfigError) as caught:
        load_config(write(tmp_path, f"[tool.seamfinder]\n{toml}\n"))
    assert message in str(caught.value)
    assert str(caught.value).startswith("pyproject.toml: ")
