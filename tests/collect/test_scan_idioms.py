"""The data-access pass on the idioms real monoliths use: related managers, ORM base
factories, schemas, atomic wrappers, model tables in SQL holes, swappable models."""

from __future__ import annotations

from collections.abc import Callable

from seamfinder.collect.facts import FileFacts, SqlModel, Target

Scan = Callable[..., FileFacts]
ORDER = Target("ref", "shop.orders.models.Order")


def related(facts: FileFacts) -> list[tuple[str, str, str, str]]:
    return [
        (a.target.value, a.kind, a.manager, a.method)
        for a in facts.accesses
        if a.idiom == "related"
    ]


def test_related_managers_of_an_instance_are_queries_through_the_attribute(scan: Scan) -> None:
    facts = scan(
        """
        from shop.orders.models import Order

        def close(order_id):
            order = Order.objects.get(pk=order_id)
            order.lines.filter(x=1).update(y=2)
            order.tags.add(3)
            order.customer.save()
            return order.payments.count()
        """
    )
    assert related(facts) == [
        (ORDER.value, "write", "lines", "update"),
        (ORDER.value, "write", "tags", "add"),
        (ORDER.value, "write", "customer", "save"),
        (ORDER.value, "read", "payments", "count"),
    ]


def test_an_element_of_a_related_query_is_not_an_instance_of_the_owner(scan: Scan) -> None:
    facts = scan(
        """
        from shop.orders.models import Order

        def touch(order: Order):
            for line in order.lines.all():
                line.save()
        """
    )
    assert [(a.idiom, a.kind) for a in facts.accesses] == [("related", "read")]


def test_an_instance_named_after_its_model_is_guessed_for_related_managers(scan: Scan) -> None:
    facts = scan(
        """
        def complete(checkout_info, order):
            checkout_info.checkout.payments.update(order=order)
        """
    )
    assert related(facts) == [("Checkout", "write", "payments", "update")]
    assert facts.accesses[0].target.kind == "class-name"


def test_form_save_without_commit_is_no_write_but_its_later_save_is(scan: Scan) -> None:
    facts = scan(
        """
        from shop.orders.forms import OrderForm

        def edit(request):
            form = OrderForm(request.POST)
            draft = form.save(commit=False)
            draft.total = 0
            draft.save()
        """
    )
    writes = [(a.target.value, a.line) for a in facts.accesses if a.kind == "write"]
    assert writes == [("shop.orders.forms.OrderForm", 8)]


def test_a_walrus_binds_the_instance_it_fetches(scan: Scan) -> None:
    facts = scan(
        """
        from shop.orders.models import Order

        def clear(pk):
            if order := Order.objects.filter(pk=pk).first():
                order.save()
        """
    )
    assert [(a.kind, a.idiom) for a in facts.accesses] == [
        ("read", "manager"),
        ("write", "instance"),
    ]


def test_subclass_and_factory_of_flask_sqlalchemy_are_base_candidates(scan: Scan) -> None:
    facts = scan(
        """
        from flask_sqlalchemy import SQLAlchemy

        class AcmeSQLAlchemy(SQLAlchemy):
            pass

        def make_db():
            return AcmeSQLAlchemy()

        db = make_db()
        other = AcmeSQLAlchemy()
        """,
        module="acme.core.db",
    )
    assert [(b.name, b.kind, b.callee) for b in facts.bases] == [
        ("make_db", "factory", "acme.core.db.AcmeSQLAlchemy"),
        ("db", "call", "acme.core.db.make_db"),
        ("other", "call", "acme.core.db.AcmeSQLAlchemy"),
    ]


def test_schema_comes_from_table_args_in_every_spelling(scan: Scan) -> None:
    facts = scan(
        """
        from sqlalchemy.orm import declared_attr
        from acme.core.db import db, auto_table_args

        class A(db.Model):
            __table_args__ = {"schema": "events"}

        class B(db.Model):
            __table_args__ = (db.Index("ix", "x"), {"schema": "users"})

        class C(db.Model):
            @declared_attr
            def __table_args__(cls):
                return auto_table_args(cls, schema="rooms")

        class D(db.Model):
            __auto_table_args = (db.Index("iy", "y"), {"schema": "attachments"})
        """
    )
    assert [(c.name, c.schema) for c in facts.classes] == [
        ("A", "events"),
        ("B", "users"),
        ("C", "rooms"),
        ("D", "attachments"),
    ]


def test_django_fields_and_meta_options_are_recorded_for_library_bases(scan: Scan) -> None:
    facts = scan(
        """
        from django.db import models
        from softdelete.models import SoftDeleteModel

        class Customer(SoftDeleteModel):
            email = models.EmailField()

            class Meta:
                ordering = ["email"]
        """
    )
    (cls,) = facts.classes
    assert cls.django_fields and cls.meta is not None and cls.meta.options == ("ordering",)


def test_a_with_of_a_project_function_is_a_wrapper_candidate_and_atomic_callers_are_known(
    scan: Scan,
) -> None:
    facts = scan(
        """
        from contextlib import contextmanager
        from django.db import transaction
        from shop.orders.models import Order

        @contextmanager
        def traced_atomic():
            with transaction.atomic():
                yield

        def place():
            with traced_atomic():
                Order.objects.create()
            with open("x") as f:
                Order.objects.create()
        """,
        module="shop.orders.services",
    )
    assert facts.atomic_scopes == ("traced_atomic",)
    wrappers = [(t.callee, t.scope) for t in facts.transactions if t.kind == "wrapper"]
    assert wrappers == [("shop.orders.services.traced_atomic", "place")]


def test_model_tables_in_sql_holes_are_read_or_written_as_the_statement_says(scan: Scan) -> None:
    facts = scan(
        """
        from django.db import connection
        from shop.orders.models import Order

        SETTLE = "UPDATE {table} SET total = 0 WHERE id = %s"

        def run():
            with connection.cursor() as cursor:
                cursor.execute(f"SELECT * FROM {Order._meta.db_table}")
                cursor.execute(SETTLE.format(table=Order._meta.db_table), [1])
                cursor.execute("DELETE FROM %s WHERE id = %%s" % (Order._meta.db_table,), [2])
        """
    )
    assert [raw.models for raw in facts.raw_sql] == [
        (SqlModel(ORDER, "read"),),
        (SqlModel(ORDER, "write"),),
        (SqlModel(ORDER, "write"),),
    ]


def test_swappable_relation_targets_are_labels_and_settings(scan: Scan) -> None:
    facts = scan(
        """
        import swapper
        from django.contrib.auth import get_user_model
        from django.db import models

        class Key(models.Model):
            owner = models.ForeignKey(swapper.get_model_name("accounts", "Customer"), on_delete=1)
            user = models.ForeignKey(get_user_model(), on_delete=1, related_name="keys")
        """
    )
    (cls,) = facts.classes
    assert [(r.target, r.related_name) for r in cls.relations] == [
        (Target("model-label", "accounts.Customer"), None),
        (Target("setting", "AUTH_USER_MODEL"), "keys"),
    ]
