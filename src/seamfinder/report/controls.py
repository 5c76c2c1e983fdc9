"""Control characters out of everything a human format shows.

Paths, table names and messages come from the analysed tree, and a file name or a
``db_table`` can hold ESC sequences (CSI, OSC) that a terminal would obey: recolour, retitle
the window, print a link that is not what it says, or a line break that forges a finding.
Before a human format renders a report, every string in it has its control characters
(C0 but tab, DEL, C1) replaced by a visible escape, ``\\x1b``; line breaks too on a
terminal, where one finding is one line (GitHub and Markdown escape their own). JSON and
SARIF keep the exact strings: their encoders escape them.
"""

from __future__ import annotations

import dataclasses
import re
from typing import Any, TypeVar

T = TypeVar("T")

_CONTROLS = re.compile(r"[\x00-\x08\x0a-\x1f\x7f-\x9f]")
_BUT_NEWLINES = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def visible(text: str, pattern: re.Pattern[str] = _CONTROLS) -> str:
    """``text`` with each control character written as its escape."""

    if not pattern.search(text):
        return text
    return pattern.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def without_controls(value: T, *, newlines: bool = False) -> T:
    """``value`` (a report, or any part of one) with :func:`visible` strings throughout
    (``newlines``: line breaks kept); the same object wherever nothing changes, so a
    clean report costs one walk."""

    cleaned: T = _clean(value, _BUT_NEWLINES if newlines else _CONTROLS)
    return cleaned


def _clean(value: Any, pattern: re.Pattern[str]) -> Any:
    # The walk follows the report's own types, whose depth is fixed by their definitions.
    if isinstance(value, str):
        return visible(value, pattern)
    if isinstance(value, tuple | list | frozenset):
        items = [_clean(item, pattern) for item in value]
        if all(new is old for new, old in zip(items, value, strict=True)):
            return value
        return type(value)(items)
    if isinstance(value, dict):
        pairs = {_clean(key, pattern): _clean(item, pattern) for key, item in value.items()}
        unchanged = all(k in value and value[k] is v for k, v in pairs.items())
        return value if unchanged else pairs
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {}
        for field in dataclasses.fields(value):
            if not field.init:
                continue
            old = getattr(value, field.name)
            new = _clean(old, pattern)
            if new is not old:
                changes[field.name] = new
        return dataclasses.replace(value, **changes) if changes else value
    return value
