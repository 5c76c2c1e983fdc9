"""Scanning short source strings with the per-file data-access pass."""

from __future__ import annotations

import textwrap
from collections.abc import Callable

import pytest

from seamfinder.collect.facts import FileFacts
from seamfinder.collect.scan import scan_file

Scan = Callable[..., FileFacts]


@pytest.fixture
def scan() -> Scan:
    """``scan(source, module="shop.orders.views", is_package=False)`` -> facts (must parse)."""

    def run(
        source: str, module: str = "shop.orders.views", *, is_package: bool = False
    ) -> FileFacts:
        result = scan_file("f.py", module, is_package, textwrap.dedent(source).encode())
        assert isinstance(result, FileFacts), result
        return result

    return run
