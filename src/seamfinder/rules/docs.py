"""Rule documentation: one Markdown page per rule in ``rules/``, shipped in the wheel.

The pages are the single source of the text that ``seamfinder rules explain`` prints
and that SARIF carries. Each page has fixed sections, in this order, so that every rule
answers the same questions (the model is ruff's rule pages).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

SECTIONS = ("What it does", "Why is this bad", "Example", "How to fix", "Options")


@dataclass(frozen=True, slots=True)
class RuleDoc:
    code: str
    name: str
    text: str  # the whole page, Markdown
    sections: tuple[tuple[str, str], ...]  # (heading, body) in page order

    def section(self, heading: str) -> str:
        return next((body for title, body in self.sections if title == heading), "")


def docs_dir() -> Path | None:
    """The installed pages (wheel) or, in a source checkout, the repository's ``rules/``."""

    try:
        packaged = Path(str(resources.files("seamfinder") / "rule_docs"))
    except (ModuleNotFoundError, TypeError):
        packaged = None
    if packaged is not None and packaged.is_dir():
        return packaged
    checkout = Path(__file__).resolve().parents[3] / "rules"
    return checkout if checkout.is_dir() else None


_HEADING = re.compile(r"^# (SF\d{3}) ([a-z0-9-]+)\s*$", re.M)
_SECTION = re.compile(r"^## (.+?)\s*$", re.M)


def parse_page(text: str) -> RuleDoc:
    heading = _HEADING.search(text)
    if heading is None:
        raise ValueError("a rule page starts with '# SFxxx rule-name'")
    parts = _SECTION.split(text[heading.end() :])
    sections = tuple((parts[i].strip(), parts[i + 1].strip()) for i in range(1, len(parts) - 1, 2))
    return RuleDoc(heading.group(1), heading.group(2), text, sections)


@cache
def load_docs() -> dict[str, RuleDoc]:
    folder = docs_dir()
    if folder is None:
        return {}
    pages = {}
    for path in sorted(folder.glob("SF*.md")):
        doc = parse_page(path.read_text(encoding="utf-8"))
        pages[doc.code] = doc
    return pages


def doc_for(code: str) -> RuleDoc | None:
    return load_docs().get(code)
