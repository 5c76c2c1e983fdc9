from __future__ import annotations

import pytest

from seamfinder.config.settings import Config, RuleSettings
from seamfinder.core.errors import ConfigError
from seamfinder.core.model import Severity
from seamfinder.rules.registry import all_rules, contexts, is_selected


@pytest.mark.parametrize(
    ("code", "select", "ignore", "expected"),
    [
        ("SF201", (), (), True),
        ("SF201", ("SF2",), (), True),
        ("SF101", ("SF2",), (), False),
        ("SF201", (), ("SF2",), False),
        ("SF201", ("SF201",), ("SF2",), True),  # the more specific prefix wins
        ("SF202", ("SF2",), ("SF202",), False),
        ("SF202", ("SF2",), ("SF2",), False),  # a tie goes to ignore
        ("SF202", ("ALL",), ("SF1",), True),
    ],
)
def test_selection_by_code_prefix(
    code: str, select: tuple[str, ...], ignore: tuple[str, ...], expected: bool
) -> None:
    assert is_selected(code, select, ignore) is expected


def test_every_rule_has_a_unique_code_and_kebab_name() -> None:
    rules = all_rules()
    assert len({r.code for r in rules}) == len(rules)
    assert len({r.name for r in rules}) == len(rules)
    assert {"SF001", "SF101"} <= {r.code for r in rules}


def test_severity_override_applies() -> None:
    config = Config(rules=(RuleSettings("SF101", Severity.WARNING),))
    by_code = {c.rule.code: c for c in contexts(config)}
    assert by_code["SF101"].severity is Severity.WARNING


def test_settings_for_an_unknown_rule_are_an_error() -> None:
    config = Config(source="pyproject.toml", rules=(RuleSettings("SF999"),))
    with pytest.raises(ConfigError, match=r"tool\.seamfinder\.rules\.SF999: no such rule"):
        list(contexts(config))


def test_unknown_rule_option_is_an_error() -> None:
    config = Config(source="pyproject.toml", rules=(RuleSettings("SF101", None, (("bogus", 1),)),))
    with pytest.raises(ConfigError, match=r"SF101\.bogus: unknown option"):
        list(contexts(config))
