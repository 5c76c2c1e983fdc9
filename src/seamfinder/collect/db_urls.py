"""Database URLs written in source text (``create_engine("postgresql://...")``, a
``DATABASE_URL`` default), with where they are; what they name is for analysis to say."""

from __future__ import annotations

import re

DB_URL = re.compile(
    r"(?<![\w+])(?:postgres(?:ql)?|pgsql|mysql|mariadb|sqlite|oracle|mssql|mongodb(?:\+srv)?|"
    r"cockroachdb)(?:\+\w+)?://[^\s'\"`<>]*"
)


def database_urls(text: str) -> list[tuple[int, int, str]]:
    """``(line, column, url)`` of every database URL outside comment lines (1-indexed)."""

    if "://" not in text:
        return []
    found: list[tuple[int, int, str]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if "://" not in line or line.lstrip().startswith("#"):
            continue
        found.extend((number, m.start() + 1, m.group(0)) for m in DB_URL.finditer(line))
    return found
