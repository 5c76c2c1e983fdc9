"""Per-file facts survive the JSON cache exactly, and anything else is rejected."""

from __future__ import annotations

import json
import textwrap
from typing import Any

import pytest

from seamfinder.collect.facts import FACTS_VERSION, FileFacts, facts_from_json, facts_to_json
from seamfinder.collect.scan import scan_file

SOURCE = textwrap.dedent(
    '''
    """Every kind of record at least once."""
    import os
    import requests
    from typing import TYPE_CHECKING
    from django.conf import settings
    from django.db import connection, models, transaction
    from oscar.core.loading import get_model
    from sqlalchemy import Column, ForeignKey, Table, select
    from sqlalchemy.orm import declarative_base, relationship
    if TYPE_CHECKING:
        from shop.billing.models import Invoice

    Base = declarative_base()
    Product = get_model("catalogue", "Product")
    links = Table("links", Base.metadata, Column("a", ForeignKey("products.id")))
    INSTALLED_APPS = ["shop.orders"]
    DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": os.getenv("DB")}}

    class Order(models.Model):
        customer = models.ForeignKey("accounts.Customer", on_delete=models.CASCADE)
        objects = OrderManager()

        class Meta:
            db_table = "orders"

    class Line(Base):
        __tablename__ = "lines"
        order = relationship("Order")

    @transaction.atomic
    def place(pk):
        order = Order.objects.select_related("customer__address").get(pk=pk)
        order.save()
        Product.objects.filter(stock__gt=0).update(n=1)
        select(Line)
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {settings.T} WHERE id = %s", [pk])
        requests.post(f"{settings.PAY_URL}/charge")  # seamfinder: ignore[SF401] known
    '''
).encode()


@pytest.fixture
def facts() -> FileFacts:
    result = scan_file("shop/orders/services.py", "shop.orders.services", False, SOURCE)
    assert isinstance(result, FileFacts)
    return result


def test_every_record_kind_is_exercised(facts: FileFacts) -> None:
    for name in (
        "imports",
        "classes",
        "tables",
        "bases",
        "loaders",
        "accesses",
        "lookups",
        "raw_sql",
        "transactions",
        "http_calls",
    ):
        assert getattr(facts, name), name
    assert facts.settings is not None
    assert facts.classes[0].meta is not None


def test_round_trip_through_json_text_is_exact(facts: FileFacts) -> None:
    text = json.dumps(facts_to_json(facts), sort_keys=True)
    assert facts_from_json(json.loads(text)) == facts


def test_encoding_is_deterministic(facts: FileFacts) -> None:
    again = scan_file("shop/orders/services.py", "shop.orders.services", False, SOURCE)
    assert isinstance(again, FileFacts)
    first = json.dumps(facts_to_json(facts), sort_keys=True)
    assert json.dumps(facts_to_json(again), sort_keys=True) == first


def test_the_encoding_carries_the_facts_version(facts: FileFacts) -> None:
    assert facts_to_json(facts)["version"] == FACTS_VERSION


def mutated(facts: FileFacts, change: Any) -> dict[str, Any]:
    data = json.loads(json.dumps(facts_to_json(facts)))
    change(data)
    return data  # type: ignore[no-any-return]


@pytest.mark.parametrize(
    ("change", "error"),
    [
        (lambda d: d.update(version=FACTS_VERSION + 1), ValueError),
        (lambda d: d.pop("accesses"), ValueError),
        (lambda d: d.update(surprise=1), ValueError),
        (lambda d: d.update(lines="12"), TypeError),
        (lambda d: d.update(parsed=1), TypeError),
        (lambda d: d.update(lines=True), TypeError),
        (lambda d: d["accesses"][0].update(kind="delete"), ValueError),
        (lambda d: d["accesses"][0]["target"].update(kind="nonsense"), ValueError),
        (lambda d: d["imports"][0].update(placement="sometimes"), ValueError),
        (lambda d: d.update(classes={}), TypeError),
        (lambda d: d["classes"][0].update(meta=[]), TypeError),
    ],
)
def test_malformed_input_raises(facts: FileFacts, change: Any, error: type[Exception]) -> None:
    with pytest.raises(error):
        facts_from_json(mutated(facts, change))


def test_input_that_is_not_an_object_raises() -> None:
    with pytest.raises(TypeError):
        facts_from_json([1, 2])
