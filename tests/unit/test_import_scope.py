from __future__ import annotations

import textwrap

import pytest

from seamfinder.collect.imports import import_scope
from seamfinder.core.model import ImportScope

SOURCE = textwrap.dedent(
    '''\
    from __future__ import annotations
    import os
    from typing import TYPE_CHECKING
    if TYPE_CHECKING:
        from shop.orders.models import Order
    try:
        import ujson as json
    except ImportError:
        import json
    class Service:
        from shop.core import utils
        def run(self):
            from shop.payments import gateway
            if True:
                import shop.inventory
            return gateway
    def helper(
        x,
    ):
        """Doc
    string at column zero."""
        import shop.shipping
    if typing.TYPE_CHECKING:
        import shop.catalog
    else:
        import shop.catalog_runtime
    '''
)


@pytest.mark.parametrize(
    ("line", "scope"),
    [
        (2, ImportScope.MODULE),
        (5, ImportScope.TYPE_CHECKING),
        (7, ImportScope.CONDITIONAL),
        (9, ImportScope.CONDITIONAL),
        (11, ImportScope.MODULE),
        (13, ImportScope.FUNCTION),
        (15, ImportScope.FUNCTION),
        (22, ImportScope.FUNCTION),
        (24, ImportScope.TYPE_CHECKING),
        (26, ImportScope.CONDITIONAL),
    ],
)
def test_scope_of_import_is_read_from_indentation(line: int, scope: ImportScope) -> None:
    assert import_scope(SOURCE.splitlines(), line) is scope
