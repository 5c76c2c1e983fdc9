"""Lower grammar newer than the host's so that ``ast`` can read it (placeholder)."""

from __future__ import annotations


def lower_to_host_grammar(text: str) -> str | None:
    """Return ``text`` rewritten for the host's ``ast``, or None when libcst cannot parse it."""

    return None
