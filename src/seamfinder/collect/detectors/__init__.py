"""The detectors of the data-access pass, one module per family of facts.

Each module exports ``DETECTOR`` (a :class:`~seamfinder.collect.scanner.hooks.Detector`);
:data:`DETECTORS` lists them all and :data:`REGISTRY` indexes them for the evaluator. How
to add one is told in :mod:`seamfinder.collect.scanner.hooks`.
"""

from __future__ import annotations

from seamfinder.collect.detectors import (
    django_orm,
    django_settings,
    http_calls,
    loaders,
    model_classes,
    queries,
    raw_sql,
    sqlalchemy_orm,
    transactions,
)
from seamfinder.collect.scanner.hooks import Detector, Registry

# Order matters twice: the pre-filter tests the tokens in this order (the frequent ones
# first), and a later detector's ``receivers``/``methods``/``names`` override an earlier's.
DETECTORS: tuple[Detector, ...] = (
    queries.DETECTOR,
    sqlalchemy_orm.DETECTOR,
    raw_sql.DETECTOR,
    transactions.DETECTOR,
    http_calls.DETECTOR,
    django_orm.DETECTOR,
    loaders.DETECTOR,
    django_settings.DETECTOR,
    model_classes.DETECTOR,
)

REGISTRY = Registry(DETECTORS)
