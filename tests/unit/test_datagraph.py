"""Whole-project resolution of data facts, one idiom per test, from short sources."""

from __future__ import annotations

import textwrap

from seamfinder.collect.facts import FileFacts
from seamfinder.collect.scan import scan_file
from seamfinder.config.settings import TablesConfig
from seamfinder.resolve.datagraph import DataGraph, resolve_data


def graph(
    files: dict[str, str], labels: dict[str, str] | None = None, tables: TablesConfig | None = None
) -> DataGraph:
    """``files``: path -> source. A module's component is its first package."""

    facts: list[FileFacts] = []
    for path, source in sorted(files.items()):
        is_package = path.endswith("__init__.py")
        module = path[: -len("/__init__.py")] if is_package else path[:-3]
        result = scan_file(
            path, module.replace("/", "."), is_package, textwrap.dedent(source).encode()
        )
        assert isinstance(result, FileFacts), result
        facts.append(result)
    label_map = labels or {}

    def app_label(module: str) -> str | None:
        return label_map.get(module.split(".", maxsplit=1)[0])

    return resolve_data(facts, lambda m: m.split(".")[0], app_label, tables or TablesConfig())


def tables_of(found: DataGraph) -> dict[str, str]:
    return {m.qualname: m.table for m in found.models}


def accesses(found: DataGraph, kind: str) -> list[tuple[str, int, str]]:
    return [(a.location.path, a.location.line, a.table) for a in found.accesses if a.kind == kind]


DJANGO_BASE = """
    from django.db import models

    class TimeStamped(models.Model):
        created = models.DateTimeField(auto_now_add=True)
        class Meta:
            abstract = True
"""


def test_model_with_abstract_base_from_another_file_gets_the_default_table() -> None:
    found = graph(
        {
            "core/models.py": DJANGO_BASE,
            "orders/models.py": """
                from core.models import TimeStamped
                class Order(TimeStamped):
                    pass
            """,
        }
    )
    assert tables_of(found) == {"orders.models.Order": "orders_order"}
    owners = {t.table: t.owner for t in found.tables}
    assert owners == {"orders_order": "orders"}


def test_app_label_db_table_proxy_and_multi_table_inheritance() -> None:
    found = graph(
        {
            "payments/models.py": """
                from django.db import models as m
                class Payment(m.Model):
                    pass
                class Refund(m.Model):
                    class Meta:
                        db_table = "legacy_refunds"
                class PendingPayment(Payment):
                    class Meta:
                        proxy = True
                class CardPayment(Payment):
                    pass
            """,
        },
        labels={"payments": "billing"},
    )
    assert tables_of(found) == {
        "payments.models.Payment": "billing_payment",
        "payments.models.Refund": "legacy_refunds",
        "payments.models.PendingPayment": "billing_payment",
        "payments.models.CardPayment": "billing_cardpayment",
    }
    proxy = next(m for m in found.models if m.qualname.endswith("PendingPayment"))
    assert proxy.abstract  # a proxy owns no table of its own
    assert ("payments/models.py", 11, "billing_payment") in accesses(found, "relation")


def test_string_foreign_keys_by_label_self_and_auth_user_model() -> None:
    found = graph(
        {
            "accounts/models.py": "from django.contrib.auth.models import AbstractUser\nclass User(AbstractUser):\n    pass\n",
            "shop/settings.py": "AUTH_USER_MODEL = 'accounts.User'\n",
            "payments/models.py": """
                from django.conf import settings
                from django.db import models
                class Payment(models.Model):
                    order = models.ForeignKey("orders.Order", on_delete=models.PROTECT)
                    parent = models.ForeignKey("self", null=True, on_delete=models.CASCADE)
                    sibling = models.ForeignKey("Refund", null=True, on_delete=models.CASCADE)
                    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
                class Refund(models.Model):
                    pass
            """,
            "orders/models.py": "from django.db import models\nclass Order(models.Model):\n    pass\n",
        },
        labels={"payments": "billing"},
    )
    relations = accesses(found, "relation")
    assert ("payments/models.py", 5, "orders_order") in relations
    assert ("payments/models.py", 7, "billing_refund") in relations
    assert ("payments/models.py", 8, "accounts_user") in relations
    assert not [r for r in relations if r[1] == 6]  # "self" stays in its own table


def test_re_exported_model_and_custom_manager_reads() -> None:
    found = graph(
        {
            "catalog/__init__.py": "from .models import Product\n",
            "catalog/models.py": """
                from django.db import models
                class PublishedManager(models.Manager):
                    pass
                class Product(models.Model):
                    published = PublishedManager()
            """,
            "orders/services.py": """
                from catalog import Product
                def live():
                    return Product.published.filter(active=True)
                def bogus(x):
                    return Product.nonsense.filter(active=True)
            """,
        }
    )
    reads = [(p, line) for p, line, t in accesses(found, "read") if p == "orders/services.py"]
    assert reads == [("orders/services.py", 4)]  # the manager; not the undeclared one
    uses = [(p, line) for p, line, t in accesses(found, "use") if p == "orders/services.py"]
    # The import names the model; ``Product.published`` is an attribute of the class.
    assert uses == [("orders/services.py", 2), ("orders/services.py", 4)]


def test_lookup_paths_are_walked_through_relations() -> None:
    found = graph(
        {
            "accounts/models.py": "from django.db import models\nclass Customer(models.Model):\n    pass\n",
            "orders/models.py": """
                from django.db import models
                class Order(models.Model):
                    customer = models.ForeignKey("accounts.Customer", on_delete=models.PROTECT)
            """,
            "shipping/models.py": """
                from django.db import models
                class Shipment(models.Model):
                    order = models.OneToOneField("orders.Order", on_delete=models.PROTECT)
            """,
            "shipping/selectors.py": """
                from shipping.models import Shipment
                def for_email(email):
                    return Shipment.objects.select_related("order__customer").filter(order__customer__email=email)
            """,
        }
    )
    reads = sorted(
        t for p, line, t in accesses(found, "read") if p == "shipping/selectors.py" and line == 4
    )
    assert reads == [
        "accounts_customer",
        "accounts_customer",
        "orders_order",
        "orders_order",
        "shipping_shipment",
    ]


def test_get_model_and_form_save() -> None:
    found = graph(
        {
            "orders/models.py": "from django.db import models\nclass Order(models.Model):\n    pass\n",
            "shipping/signals.py": """
                from django.apps import apps
                def delivered(pk):
                    Order = apps.get_model("orders", "Order")
                    Order.objects.filter(pk=pk).update(status="delivered")
            """,
            "notes/forms.py": """
                from django import forms
                from orders.models import Order
                class OrderForm(forms.ModelForm):
                    class Meta:
                        model = Order
                def edit(data):
                    OrderForm(data).save()
            """,
        }
    )
    writes = accesses(found, "write")
    assert ("shipping/signals.py", 5, "orders_order") in writes
    assert ("notes/forms.py", 8, "orders_order") in writes


def test_sqlalchemy_declarative_styles_and_core_tables() -> None:
    found = graph(
        {
            "db/base.py": """
                from sqlalchemy.orm import DeclarativeBase, declarative_base, registry
                from flask_sqlalchemy import SQLAlchemy
                class Base(DeclarativeBase):
                    pass
                OldBase = declarative_base()
                reg = registry()
                db = SQLAlchemy()
            """,
            "ledger/models.py": """
                from sqlalchemy import Column, ForeignKey, Integer, Table
                from sqlalchemy.orm import Mapped, mapped_column, relationship
                from db.base import Base, OldBase, reg, db
                tags = Table("entry_tags", Base.metadata, Column("entry_id", ForeignKey("journal_entries.id")))
                class Entry(Base):
                    __tablename__ = "journal_entries"
                    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"))
                    account = relationship("Account", secondary=tags)
                class Posting(Entry):
                    kind: Mapped[str]
                class Legacy(OldBase):
                    __tablename__ = "legacy"
                @reg.mapped
                class Mapped2:
                    __tablename__ = "mapped_two"
                class AccountHolder(db.Model):
                    pass
                class Mixin:
                    __abstract__ = True
            """,
            "accounts/models.py": """
                from sqlmodel import SQLModel, Field
                class Account(SQLModel, table=True):
                    id: int = Field(primary_key=True)
                class AccountRead(SQLModel):
                    id: int
            """,
        }
    )
    assert tables_of(found) == {
        "accounts.models.Account": "account",
        "ledger.models.AccountHolder": "account_holder",
        "ledger.models.Entry": "journal_entries",
        "ledger.models.Legacy": "legacy",
        "ledger.models.Mapped2": "mapped_two",
        "ledger.models.Posting": "journal_entries",
        "ledger.models:entry_tags": "entry_tags",
    }
    relations = sorted(accesses(found, "relation"))
    assert ("ledger/models.py", 5, "journal_entries") in relations  # a core table's FK
    assert ("ledger/models.py", 8, "accounts") in relations  # ForeignKey("accounts.id")
    assert ("ledger/models.py", 9, "account") in relations  # relationship("Account")
    assert ("ledger/models.py", 9, "entry_tags") in relations  # secondary=


def test_session_writes_reads_and_a_commit_transaction_across_components() -> None:
    found = graph(
        {
            "db/base.py": "from sqlalchemy.orm import DeclarativeBase\nclass Base(DeclarativeBase):\n    pass\n",
            "billing/models.py": "from db.base import Base\nclass Invoice(Base):\n    __tablename__ = 'invoices'\n",
            "ledger/models.py": "from db.base import Base\nclass Entry(Base):\n    __tablename__ = 'entries'\n",
            "billing/service.py": """
                from sqlalchemy import select, update
                from sqlalchemy.orm import Session
                from billing.models import Invoice
                from ledger.models import Entry
                def void(session: Session, invoice_id: int) -> None:
                    invoice = session.get(Invoice, invoice_id)
                    invoice.status = "void"
                    session.execute(update(Entry).values(description="VOID"))
                    session.commit()
                def issue(session: Session) -> None:
                    with session.begin():
                        session.add(Invoice(number="1"))
                        _post(session)
                def _post(session: Session) -> None:
                    session.add(Entry(reference="1"))
            """,
        }
    )
    by_line = {t.location.line: sorted({w.table for w in t.writes}) for t in found.transactions}
    assert by_line == {10: ["entries", "invoices"], 12: ["entries", "invoices"]}
    assert ("billing/service.py", 7, "invoices") in accesses(found, "read")


def test_raw_sql_tables_and_declared_owners() -> None:
    found = graph(
        {
            "orders/models.py": "from django.db import models\nclass Order(models.Model):\n    pass\n",
            "reports/queries.py": """
                from django.db import connection
                def totals():
                    with connection.cursor() as cursor:
                        cursor.execute("SELECT SUM(o.total) FROM orders_order o JOIN legacy_users u ON u.id = o.user_id")
            """,
        },
        tables=TablesConfig(owners=(("legacy_users", "accounts"),), shared=("orders_order",)),
    )
    assert sorted(accesses(found, "raw-sql")) == [
        ("reports/queries.py", 5, "legacy_users"),
        ("reports/queries.py", 5, "orders_order"),
    ]
    owners = {t.table: (t.owner, t.shared, t.declared) for t in found.tables}
    assert owners["legacy_users"] == ("accounts", False, True)
    assert owners["orders_order"] == ("orders", True, False)


def test_class_that_is_not_a_model_is_ignored() -> None:
    found = graph(
        {
            "orders/services.py": """
                class Order:
                    objects = None
                def f():
                    Order.objects.filter(x=1)
            """,
        }
    )
    assert found.models == () and found.accesses == ()


def test_generic_relation_is_recorded_but_not_a_cross_boundary_relation() -> None:
    from seamfinder.analysis.data import foreign_accesses, owners_by_table

    found = graph(
        {
            "extras/models.py": """
                from django.contrib.contenttypes.fields import GenericForeignKey
                from django.db import models
                class Bookmark(models.Model):
                    object = GenericForeignKey("object_type", "object_id")
            """,
            "dcim/models.py": """
                from django.contrib.contenttypes.fields import GenericRelation
                from django.db import models
                class Device(models.Model):
                    bookmarks = GenericRelation("extras.Bookmark")
            """,
        }
    )
    relations = [a for a in found.accesses if a.kind == "relation"]
    assert [(a.table, a.via) for a in relations] == [("extras_bookmark", "generic-relation")]
    owners = owners_by_table(found.tables)
    assert [f.owner for f in foreign_accesses(found.accesses, owners, frozenset({"relation"}))] == [
        "extras"
    ]


def test_star_re_exports_library_bases_and_proxies_of_django_models() -> None:
    found = graph(
        {
            "users/__init__.py": "",
            "users/models/__init__.py": "from .tokens import *\n",
            "users/models/tokens.py": "from django.db import models\nclass Token(models.Model):\n    pass\n",
            "account/models.py": """
                from users.models import Token
                class UserToken(Token):
                    class Meta:
                        proxy = True
            """,
            "extras/models.py": """
                from django.contrib.auth.models import BaseUserManager
                from django.contrib.contenttypes.models import ContentType
                from taggit.models import GenericTaggedItemBase, TaggableManager
                class UserManager(BaseUserManager):
                    pass
                class Tags(TaggableManager):
                    pass
                class TaggedItem(GenericTaggedItemBase):
                    pass
                class ObjectType(ContentType):
                    class Meta:
                        proxy = True
            """,
        }
    )
    assert tables_of(found) == {
        "users.models.tokens.Token": "users_token",
        "account.models.UserToken": "users_token",
        "extras.models.TaggedItem": "extras_taggeditem",
        "extras.models.ObjectType": "django_content_type",
    }
    # A proxy owns nothing: ContentType's table stays Django's, Token's stays users'.
    owners = {t.table: t.owner for t in found.tables}
    assert "django_content_type" not in owners and owners["users_token"] == "users"


def test_ownership_rows_and_crossing_tables_come_from_the_data_matrix() -> None:
    from seamfinder.analysis.data import crossing_tables, ownership_rows
    from seamfinder.core.model import Component, TableOwner, TableUse

    matrix = (
        TableUse("orders", "orders_order", "orders", defines=1, reads=2),
        TableUse("orders", "payments_payment", "payments", writes=1),
        TableUse("orders", "audit_log", "audit", defines=0),  # counted nowhere: no use
        TableUse("payments", "payments_payment", "payments", defines=1),
        TableUse("shipping", "content_type", "core", reads=3),
    )
    components = tuple(
        Component(name, "config", (), 1, "") for name in ("orders", "payments", "shipping", "idle")
    )
    rows = ownership_rows(components, matrix)
    assert [(r.component, r.owns, r.foreign) for r in rows] == [
        ("orders", 1, ("payments_payment",)),
        ("payments", 1, ()),
        ("shipping", 0, ("content_type",)),
    ]
    tables = (TableOwner("content_type", "core", shared=True),)
    crossing = crossing_tables(matrix, tables)
    assert [(c.table, c.owner, [u.component for u in c.users]) for c in crossing] == [
        ("payments_payment", "payments", ["orders"])
    ]
