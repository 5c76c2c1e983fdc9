"""The detector interface: detectors own their tokens and rules, and a new one plugs in alone."""

from __future__ import annotations

import ast
import textwrap

from seamfinder.collect.detectors import DETECTORS, REGISTRY, http_calls, raw_sql, sqlalchemy_orm
from seamfinder.collect.facts import Target
from seamfinder.collect.scan import PREFILTER_TOKENS, needs_parse
from seamfinder.collect.scanner.evaluator import Scanner
from seamfinder.collect.scanner.hooks import CallRule, Detector, Registry
from seamfinder.collect.scanner.values import SESSION, Value
from seamfinder.collect.service_calls import TOKENS as SERVICE_TOKENS


def _scan(source: str, registry: Registry) -> Scanner:
    data = textwrap.dedent(source).encode()
    scanner = Scanner("shop.orders.services", False, data, registry)
    scanner.run(ast.parse(data))
    return scanner


def test_the_prefilter_is_the_union_of_the_detectors_tokens() -> None:
    declared = {token for detector in DETECTORS for token in detector.tokens}
    declared |= set(SERVICE_TOKENS)  # the service-call pass, not yet a detector
    assert set(PREFILTER_TOKENS) == declared
    assert len(PREFILTER_TOKENS) == len(declared)  # each token tested once
    assert needs_parse(b"resp = httpx.get(url)\n")  # a token of http_calls only
    assert not needs_parse(b"def add(a, b):\n    return a + b\n")


def test_call_rules_are_tried_in_order_and_the_first_match_wins() -> None:
    # ``sqlalchemy.text`` is SQL text (raw_sql, order 20) even though sqlalchemy's own rules
    # also look at sqlalchemy names; ``requests.get`` is an HTTP call.
    assert REGISTRY.handler("sqlalchemy.text") is raw_sql.text_call
    assert REGISTRY.handler("sqlalchemy.select") is sqlalchemy_orm.statement
    assert REGISTRY.handler("requests.get") is http_calls.http_function
    assert REGISTRY.handler("shop.utils.slugify") is None


def test_a_new_detector_plugs_in_without_touching_the_core() -> None:
    # A made-up unit-of-work factory: calls of ``uow.start`` return a session, so that
    # what is added to it is recorded as a write by the SQLAlchemy detector.
    def start(scanner: Scanner, node: ast.Call, dotted: str) -> Value:
        scanner.visit_arguments(node)
        return SESSION

    unit_of_work = Detector(
        "unit-of-work",
        tokens=(b"uow",),
        calls=(CallRule(5, lambda dotted: dotted == "uow.start", start),),
    )
    source = """
        import uow
        from shop.orders.models import Order

        def place():
            work = uow.start()
            work.add(Order())
    """
    without = _scan(source, REGISTRY)
    with_it = _scan(source, Registry((*DETECTORS, unit_of_work)))
    assert [a.target for a in without.sink.accesses] == []
    written = [(a.target, a.kind, a.method) for a in with_it.sink.accesses]
    assert written == [(Target("ref", "shop.orders.models.Order"), "write", "add")]


def test_statement_hooks_run_only_in_files_that_need_them() -> None:
    settings = "INSTALLED_APPS = ['shop.orders']\n"
    assert REGISTRY.active(settings.encode()).assignments
    assert not REGISTRY.active(b"APPS = ['shop.orders']\n").assignments
    assert _scan(settings, REGISTRY).sink.installed_apps == ["shop.orders"]
