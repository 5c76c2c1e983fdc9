"""The rule pages are found without building anything, and every output carries them."""

from __future__ import annotations

from pathlib import Path

from seamfinder.config.settings import Config
from seamfinder.rules.catalog import catalog, evaluated_rules
from seamfinder.rules.docs import doc_for, docs_dir
from seamfinder.rules.registry import all_rules, contexts

REPO = Path(__file__).resolve().parents[2]


def test_docs_dir_finds_a_page_for_every_rule() -> None:
    folder = docs_dir()
    assert folder is not None and folder.is_dir()
    pages = {path.stem for path in folder.glob("SF*.md")}
    assert {rule.code for rule in all_rules()} <= pages


def test_the_catalog_joins_code_and_page() -> None:
    infos = {info.code: info for info in catalog()}
    assert set(infos) == {rule.code for rule in all_rules()}
    sf102 = infos["SF102"]
    assert sf102.name == "layer-violation"
    assert sf102.help == (REPO / "rules" / "SF102.md").read_text(encoding="utf-8")
    doc = doc_for("SF102")
    assert doc is not None and sf102.description == doc.section("What it does")


def test_a_run_lists_the_rules_it_evaluated_with_their_configured_severity() -> None:
    from seamfinder.config.settings import RuleSettings
    from seamfinder.core.model import Severity

    config = Config(rules=(RuleSettings("SF102", Severity.WARNING),))
    infos = evaluated_rules(contexts(config, select=["SF1"]))
    assert [i.code for i in infos] == sorted(
        r.code for r in all_rules() if r.code.startswith("SF1")
    )
    assert next(i for i in infos if i.code == "SF102").severity is Severity.WARNING
