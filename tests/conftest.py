"""Shared helpers: small projects written to a temporary folder."""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Mapping
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "fixtures"

WriteProject = Callable[[Mapping[str, str | bytes]], Path]


@pytest.fixture
def write_project(tmp_path: Path) -> WriteProject:
    """Write ``{relative path: source}`` under a fresh folder and return it."""

    def write(files: Mapping[str, str | bytes]) -> Path:
        root = tmp_path / "project"
        for relative, content in files.items():
            path = root / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(textwrap.dedent(content), encoding="utf-8")
        return root

    return write
