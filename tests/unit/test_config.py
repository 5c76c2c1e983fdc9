from __future__ import annotations

from pathlib import Path

import pytest

from seamfinder.config.settings import DEFAULT_EXCLUDE, load_config
from seamfinder.core.errors import ConfigError
from seamfinder.core.model import Severity


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_no_config_gives_defaults(tmp_path: Path) -> None:
    config = load_config(tmp_path)
    assert config.depth is None  # not chosen: 1, descending into container packages
    assert config.exclude == DEFAULT_EXCLUDE
    assert config.source == "<defaults>"


def test_pyproject_without_our_table_is_not_a_config(tmp_path: Path) -> None:
    write(tmp_path, "pyproject.toml", "[project]\nname = 'x'\n")
    assert load_config(tmp_path).source == "<defaults>"


def test_pyproject_table_is_read_and_validated(tmp_path: Path) -> None:
    write(
        tmp_path,
        "pyproject.toml",
        """
[tool.seamfinder]
depth = 2
extend-exclude = ["legacy"]
fail-on = "warning"
select = ["SF1", "SF201"]

[tool.seamfinder.components]
orders = ["shop.orders", "shop.checkout"]
billing = { modules = ["shop.billing"], public = ["shop.billing.api"] }

[tool.seamfinder.tables]
owners = { legacy_users = "accounts" }
shared = ["django_content_type"]

[tool.seamfinder.rules.SF202]
severity = "error"
""",
    )
    config = load_config(tmp_path)
    assert config.depth == 2
    assert config.all_excludes[-1] == "legacy"
    assert config.fail_on == "warning"
    assert config.select == ("SF1", "SF201")
    assert [(c.name, c.modules, c.public) for c in config.components] == [
        ("billing", ("shop.billing",), ("shop.billing.api",)),
        ("orders", ("shop.orders", "shop.checkout"), ()),
    ]
    assert config.tables.owners == (("legacy_users", "accounts"),)
    assert config.tables.shared == ("django_content_type",)
    rule = config.rule_settings("SF202")
    assert rule is not None and rule.severity is Severity.ERROR


def test_seamfinder_toml_wins_and_has_no_tool_prefix(tmp_path: Path) -> None:
    write(tmp_path, "pyproject.toml", "[tool.seamfinder]\ndepth = 3\n")
    write(tmp_path, "seamfinder.toml", "depth = 0\n")
    config = load_config(tmp_path)
    assert config.depth == 0
    assert config.source == "seamfinder.toml"


@pytest.mark.parametrize(
    ("text", "field", "problem"),
    [
        ("depth = 'two'", "tool.seamfinder.depth", "expected an integer >= 0"),
        ("depth = -1", "tool.seamfinder.depth", "expected an integer >= 0"),
        ("exclud = ['x']", "tool.seamfinder.exclud", "did you mean 'exclude'"),
        ("fail-on = 'fatal'", "tool.seamfinder.fail-on", "expected one of"),
        ("select = ['E501']", "tool.seamfinder.select", "not a rule code"),
        (
            "[tool.seamfinder.components]\norders = 3",
            "tool.seamfinder.components.orders",
            "list of non-empty strings",
        ),
        (
            "[tool.seamfinder.components]\norders = ['shop/orders']",
            "tool.seamfinder.components.orders",
            "dotted module name",
        ),
        (
            "[tool.seamfinder.components.orders]\nmodule = ['a']",
            "tool.seamfinder.components.orders.module",
            "unknown key",
        ),
        (
            "[tool.seamfinder.rules.SF202]\nseverity = 'fatal'",
            "tool.seamfinder.rules.SF202.severity",
            "unknown severity",
        ),
        ("[tool.seamfinder.rules.X1]\nseverity = 'error'", "tool.seamfinder.rules.X1", "rule code"),
        (
            "[tool.seamfinder.history]\nenable = true",
            "tool.seamfinder.history.enable",
            "did you mean 'enabled'",
        ),
        (
            "[tool.seamfinder.history]\nmin-coupling = 150",
            "tool.seamfinder.history.min-coupling",
            "percentage",
        ),
        (
            "[tool.seamfinder.history]\nmax-components-per-commit = 1",
            "tool.seamfinder.history.max-components-per-commit",
            "at least 2",
        ),
    ],
)
def test_bad_values_name_the_field(tmp_path: Path, text: str, field: str, problem: str) -> None:
    body = f"[tool.seamfinder]\n{text}"
    write(tmp_path, "pyproject.toml", body + "\n")
    with pytest.raises(ConfigError) as info:
        load_config(tmp_path)
    assert info.value.field == field
    assert problem in info.value.problem
    assert str(info.value).startswith("pyproject.toml: " + field)


def test_invalid_toml_is_a_config_error(tmp_path: Path) -> None:
    write(tmp_path, "seamfinder.toml", "depth = = 1\n")
    with pytest.raises(ConfigError, match="invalid TOML"):
        load_config(tmp_path)


def test_explicit_missing_config_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="no such file"):
        load_config(tmp_path, tmp_path / "nope.toml")


def test_history_section(tmp_path: Path) -> None:
    write(
        tmp_path,
        "seamfinder.toml",
        "[history]\nenabled = true\nsince = '12 months ago'\nmax-components-per-commit = 0\n",
    )
    history = load_config(tmp_path).history
    assert history.enabled and history.since == "12 months ago"
    assert history.max_components_per_commit is None and history.min_revs == 5
