"""Rule code, rule pages and the README's rule table stay in sync."""

from __future__ import annotations

from pathlib import Path

from seamfinder.rules.docs import SECTIONS, load_docs
from seamfinder.rules.registry import all_rules

REPO = Path(__file__).resolve().parents[2]


def test_every_rule_has_a_page_with_the_fixed_sections_in_order() -> None:
    docs = load_docs()
    for rule in all_rules():
        doc = docs.get(rule.code)
        assert doc is not None, f"rules/{rule.code}.md is missing"
        assert doc.name == rule.name, f"{rule.code}: page says {doc.name}, code says {rule.name}"
        assert [title for title, _ in doc.sections] == list(SECTIONS), rule.code
        assert all(body for _, body in doc.sections), f"{rule.code} has an empty section"
        assert f"Default severity: {rule.severity.value}" in doc.text


def test_every_page_belongs_to_a_rule() -> None:
    codes = {rule.code for rule in all_rules()}
    assert set(load_docs()) == codes


def test_readme_rule_table_lists_every_rule() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    for rule in all_rules():
        assert f"| {rule.code} | {rule.name} | {rule.severity.value} |" in readme, rule.code
