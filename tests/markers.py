"""Read ``# expect: CODE[, CODE]`` markers from a fixture tree."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

MARKER = re.compile(r"#\s*expect:\s*(SF\d{3}(?:\s*,\s*SF\d{3})*)")


def expected_findings(root: Path) -> Counter[tuple[str, int, str]]:
    """(path, line, code) -> count, from every .py file (and compose YAML) under ``root``.

    Files are decoded as latin-1 so that deliberately undecodable files still yield
    their markers.
    """

    found: Counter[tuple[str, int, str]] = Counter()
    # Compose files carry markers too: services share a database through their environment.
    paths = [*root.rglob("*.py"), *root.rglob("*.yml"), *root.rglob("*.yaml")]
    for path in sorted(paths):
        relative = path.relative_to(root).as_posix()
        text = path.read_bytes().decode("latin-1")
        for number, line in enumerate(text.splitlines(), start=1):
            match = MARKER.search(line)
            if match:
                for code in re.split(r"\s*,\s*", match.group(1)):
                    found[(relative, number, code)] += 1
    return found
