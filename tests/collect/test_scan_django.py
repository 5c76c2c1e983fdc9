"""The data-access pass on Django idioms: models, relations, managers, lookups, atomic."""

from __future__ import annotations

from collections.abc import Callable

from seamfinder.collect.facts import AccessFact, FileFacts, RelationFact, Target
from seamfinder.core.model import ImportScope

Scan = Callable[..., FileFacts]
ORDER = Target("ref", "shop.orders.models.Order")


def accesses(facts: FileFacts) -> list[tuple[str, str, str, str]]:
    return [(a.target.value, a.kind, a.idiom, a.method) for a in facts.accesses]


def only_relation(facts: FileFacts) -> RelationFact:
    (cls,) = facts.classes
    (relation,) = cls.relations
    return relation


# --- names and imports -------------------------------------------------------------------


def test_import_alias_resolves_the_model_base(scan: Scan) -> None:
    facts = scan(
        """
        from django.db import models as m

        class Order(m.Model):
            pass
        """
    )
    assert facts.classes[0].bases == ("django.db.models.Model",)


def test_relative_import_resolves_against_the_importing_module(scan: Scan) -> None:
    facts = scan("from .models import Order\n", module="shop.orders.views")
    assert [(i.name, i.target) for i in facts.imports] == [("Order", "shop.orders.models.Order")]


def test_relative_import_in_a_package_init_resolves_against_the_package(scan: Scan) -> None:
    facts = scan("from .models import Order\nfrom .. import core\n", "shop.orders", is_package=True)
    assert [i.target for i in facts.imports] == ["shop.orders.models.Order", "shop.core"]


def test_import_of_a_submodule_binds_its_top_package(scan: Scan) -> None:
    facts = scan(
        """
        import shop.orders.models

        def f():
            shop.orders.models.Order.objects.all()
        """
    )
    assert facts.imports[0].name == "shop"
    assert facts.imports[0].target == "shop.orders.models"
    assert accesses(facts) == [("shop.orders.models.Order", "read", "manager", "all")]


def test_class_defined_below_its_use_resolves_to_the_module(scan: Scan) -> None:
    facts = scan(
        """
        def latest():
            return Order.objects.latest("created")

        class Order:
            pass
        """,
        module="shop.orders.models",
    )
    assert accesses(facts) == [("shop.orders.models.Order", "read", "manager", "latest")]


def test_import_placement_distinguishes_type_checking_function_and_conditional(
    scan: Scan,
) -> None:
    facts = scan(
        """
        from typing import TYPE_CHECKING
        if TYPE_CHECKING:
            from shop.orders.models import Order
        try:
            import ujson as json
        except ImportError:
            import json

        def view():
            from shop.billing.models import Invoice
        """
    )
    placements = {i.name: (i.placement, i.scope) for i in facts.imports}
    assert placements["Order"] == (ImportScope.TYPE_CHECKING, "")
    assert placements["json"] == (ImportScope.CONDITIONAL, "")
    assert placements["Invoice"] == (ImportScope.FUNCTION, "view")
    assert placements["TYPE_CHECKING"] == (ImportScope.MODULE, "")


def test_locations_are_one_indexed(scan: Scan) -> None:
    facts = scan("import os\nclass A:\n    pass\n")
    assert (facts.imports[0].line, facts.imports[0].column) == (1, 8)
    assert (facts.classes[0].line, facts.classes[0].column) == (2, 1)


# --- model declarations ------------------------------------------------------------------


def test_string_foreign_key_with_app_label_is_a_relation(scan: Scan) -> None:
    relation = only_relation(
        scan(
            """
            from django.db import models

            class Line(models.Model):
                product = models.ForeignKey("catalogue.Product", on_delete=models.CASCADE)
            """
        )
    )
    assert relation.field == "product"
    assert relation.kind == "foreign-key"
    assert relation.callee == "django.db.models.ForeignKey"
    assert relation.target == Target("model-label", "catalogue.Product")
    assert (relation.line, relation.column) == (5, 15)


def test_foreign_key_to_an_imported_class_is_a_dotted_ref(scan: Scan) -> None:
    relation = only_relation(
        scan(
            """
            from django.db import models
            from .models import Order

            class Payment(models.Model):
                order = models.OneToOneField(Order, on_delete=models.CASCADE)
            """
        )
    )
    assert (relation.kind, relation.target) == ("one-to-one", ORDER)


def test_foreign_key_to_settings_auth_user_model_is_marked_as_a_setting(scan: Scan) -> None:
    relation = only_relation(
        scan(
            """
            from django.conf import settings
            from django.db import models

            class Order(models.Model):
                user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
            """
        )
    )
    assert relation.target == Target("setting", "AUTH_USER_MODEL")


def test_many_to_many_with_to_keyword_and_through(scan: Scan) -> None:
    relation = only_relation(
        scan(
            """
            from django.db import models

            class Product(models.Model):
                tags = models.ManyToManyField(to="tags.Tag", through="ProductTag")
            """
        )
    )
    assert relation.kind == "many-to-many"
    assert relation.target == Target("model-label", "tags.Tag")
    assert relation.through == Target("model-label", "ProductTag")


def test_generic_foreign_key_has_no_target(scan: Scan) -> None:
    relation = only_relation(
        scan(
            """
            from django.contrib.contenttypes.fields import GenericForeignKey
            from django.db import models

            class Tagged(models.Model):
                content_object = GenericForeignKey("content_type", "object_id")
            """
        )
    )
    assert (relation.kind, relation.target) == ("generic-foreign-key", None)


def test_meta_values_are_recorded_on_the_model_not_as_a_class(scan: Scan) -> None:
    facts = scan(
        """
        from django.db import models

        class Base(models.Model):
            class Meta:
                abstract = True
                db_table = "shop_base"
                app_label = "shop"
        """
    )
    (cls,) = facts.classes
    assert cls.meta is not None
    assert (cls.meta.abstract, cls.meta.db_table, cls.meta.app_label) == (True, "shop_base", "shop")
    assert (cls.meta.proxy, cls.meta.managed) == (None, None)


def test_managers_assigned_in_the_class_body_are_recorded(scan: Scan) -> None:
    facts = scan(
        """
        from django.db import models
        from .managers import PublishedManager, ProductQuerySet

        class Product(models.Model):
            objects = models.Manager()
            published = PublishedManager()
            visible = ProductQuerySet.as_manager()
            name = models.CharField(max_length=10)
        """
    )
    managers = [(m.name, m.callee) for m in facts.classes[0].managers]
    assert managers == [
        ("objects", "django.db.models.Manager"),
        ("published", "shop.orders.managers.PublishedManager"),
        ("visible", "shop.orders.managers.ProductQuerySet.as_manager"),
    ]


# --- reads and writes --------------------------------------------------------------------


def test_objects_filter_is_a_read_in_the_enclosing_function(scan: Scan) -> None:
    facts = scan(
        """
        from .models import Order

        class OrderView:
            def get(self):
                return Order.objects.filter(status="paid")
        """
    )
    assert facts.accesses == (
        AccessFact(ORDER, "read", "manager", "filter", "objects", "OrderView.get", 6, 16),
    )


def test_a_write_anywhere_in_the_chain_makes_it_one_write(scan: Scan) -> None:
    facts = scan(
        """
        from .models import Order
        Order.objects.filter(status="new").exclude(pk=1).update(status="void")
        """
    )
    assert accesses(facts) == [("shop.orders.models.Order", "write", "manager", "update")]


def test_custom_manager_chain_keeps_the_manager_name(scan: Scan) -> None:
    facts = scan(
        """
        from .models import Order
        Order.published.filter(pk=1)
        """
    )
    assert [(a.manager, a.method) for a in facts.accesses] == [("published", "filter")]


def test_attribute_chains_that_are_not_queryset_calls_are_not_accesses(scan: Scan) -> None:
    facts = scan(
        """
        from .models import Order
        Order.Status.choices
        Order.status_labels.items()
        Order.status.in_(["a"])
        request.GET.get("page")
        """
    )
    assert facts.accesses == ()


def test_instance_from_get_then_save_is_a_write_on_the_model(scan: Scan) -> None:
    facts = scan(
        """
        from .models import Order

        def pay(pk):
            order = Order.objects.get(pk=pk)
            order.save()
        """
    )
    assert accesses(facts) == [
        ("shop.orders.models.Order", "read", "manager", "get"),
        ("shop.orders.models.Order", "write", "instance", "save"),
    ]


def test_instance_from_a_loop_then_delete_is_a_write(scan: Scan) -> None:
    facts = scan(
        """
        from .models import Order

        def purge():
            for order in Order.objects.filter(status="void"):
                order.delete()
        """
    )
    assert accesses(facts)[-1] == ("shop.orders.models.Order", "write", "instance", "delete")


def test_get_or_create_binds_the_first_of_the_pair(scan: Scan) -> None:
    facts = scan(
        """
        from .models import Order

        def ensure():
            order, created = Order.objects.get_or_create(pk=1)
            order.delete()
        """
    )
    assert [a.kind for a in facts.accesses] == ["write", "write"]


def test_constructed_instance_saved_in_one_expression_is_a_write(scan: Scan) -> None:
    facts = scan(
        """
        from .models import Order
        Order(status="new").save()
        """
    )
    assert accesses(facts) == [("shop.orders.models.Order", "write", "construct", "save")]


def test_queryset_bound_to_a_name_then_updated_is_a_write(scan: Scan) -> None:
    facts = scan(
        """
        from .models import Order

        def close():
            stale = Order.objects.filter(status="new")
            stale.update(status="void")
        """
    )
    assert [(a.kind, a.idiom, a.line) for a in facts.accesses] == [
        ("read", "manager", 5),
        ("write", "queryset", 6),
    ]


def test_save_on_self_is_a_write_on_the_enclosing_class(scan: Scan) -> None:
    facts = scan(
        """
        from django.db import models

        class Order(models.Model):
            def pay(self):
                self.save()

            @classmethod
            def stale(cls):
                return cls.objects.filter(status="new")
        """,
        module="shop.orders.models",
    )
    assert accesses(facts) == [
        ("shop.orders.models.Order", "write", "instance", "save"),
        ("shop.orders.models.Order", "read", "manager", "filter"),
    ]


def test_view_model_attribute_is_followed_through_self(scan: Scan) -> None:
    facts = scan(
        """
        from .models import Order

        class OrderList:
            model = Order

            def get_queryset(self):
                return self.model.objects.all()
        """
    )
    assert accesses(facts) == [("shop.orders.models.Order", "read", "manager", "all")]


def test_get_object_or_404_is_a_read(scan: Scan) -> None:
    facts = scan(
        """
        from django.shortcuts import get_object_or_404
        from .models import Order

        def detail(pk):
            return get_object_or_404(Order, pk=pk)
        """
    )
    assert accesses(facts) == [
        ("shop.orders.models.Order", "read", "shortcut", "get_object_or_404")
    ]


def test_dict_get_and_cache_delete_are_not_accesses(scan: Scan) -> None:
    facts = scan(
        """
        from django.core.cache import cache

        def f(data, router):
            data.get("x")
            cache.delete("key")
            router.delete("/orders")
        """
    )
    assert facts.accesses == ()


def test_delete_with_positional_arguments_is_not_a_model_delete(scan: Scan) -> None:
    facts = scan(
        """
        from fastapi import APIRouter
        router = APIRouter()

        @router.delete("/orders/{pk}")
        def remove(pk):
            pass
        """
    )
    assert facts.accesses == ()


# --- lookups -----------------------------------------------------------------------------


def test_lookups_that_cross_relations_are_recorded_as_paths(scan: Scan) -> None:
    facts = scan(
        """
        from django.db.models import Count, F, Q
        from .models import Order

        Order.objects.select_related("customer").filter(
            Q(customer__email__iexact="a") | Q(lines__product__sku="x"),
            status="paid",
        ).annotate(n=Count("lines__product")).order_by("-customer__name")
        """
    )
    assert [(x.path, x.method) for x in facts.lookups] == [
        ("customer", "select_related"),
        ("customer__email__iexact", "Q"),
        ("lines__product__sku", "Q"),
        ("lines__product", "Count"),
        ("customer__name", "order_by"),  # the "-" of a descending order is not part of it
    ]
    assert {x.target for x in facts.lookups} == {ORDER}


def test_a_plain_field_filter_is_not_a_lookup_path(scan: Scan) -> None:
    facts = scan(
        """
        from .models import Order
        Order.objects.filter(status="paid", customer=c)
        """
    )
    assert facts.lookups == ()


# --- loaders -----------------------------------------------------------------------------


def test_get_model_result_is_used_like_the_class(scan: Scan) -> None:
    facts = scan(
        """
        from oscar.core.loading import get_model
        Product = get_model("catalogue", "Product")

        def browsable():
            return Product.objects.filter(is_public=True)
        """
    )
    (loader,) = facts.loaders
    assert (loader.label, loader.bound, loader.callee) == (
        "catalogue.Product",
        "Product",
        "oscar.core.loading.get_model",
    )
    assert facts.accesses[0].target == Target("model-label", "catalogue.Product")


def test_apps_get_model_with_a_dotted_label_inside_a_function(scan: Scan) -> None:
    facts = scan(
        """
        def forwards(apps, schema_editor):
            Order = apps.get_model("orders.Order")
            Order.objects.all().delete()
        """
    )
    assert (facts.loaders[0].label, facts.loaders[0].scope) == ("orders.Order", "forwards")
    assert accesses(facts) == [("orders.Order", "write", "manager", "delete")]


# --- raw SQL -----------------------------------------------------------------------------


def test_cursor_execute_with_a_module_constant_records_tables(scan: Scan) -> None:
    facts = scan(
        """
        from django.db import connection
        TOP = "SELECT p.id FROM catalog_product p JOIN order_lines l ON l.product_id = p.id"

        def top():
            with connection.cursor() as cursor:
                cursor.execute(TOP + " WHERE l.qty > %s", [1])
        """
    )
    (raw,) = facts.raw_sql
    assert raw.via == "execute"
    assert [(t.name, t.access) for t in raw.tables] == [
        ("catalog_product", "read"),
        ("order_lines", "read"),
    ]
    assert (raw.line, raw.scope, raw.dynamic) == (7, "top", False)


def test_execute_of_a_string_that_is_not_sql_is_ignored(scan: Scan) -> None:
    facts = scan('shell.execute("ls -la")\n')
    assert facts.raw_sql == ()


def test_f_string_holes_make_the_sql_dynamic(scan: Scan) -> None:
    facts = scan('cursor.execute(f"DELETE FROM {table} WHERE id IN (SELECT id FROM audit_log)")\n')
    (raw,) = facts.raw_sql
    assert raw.dynamic
    assert raw.sql == "DELETE FROM {} WHERE id IN (SELECT id FROM audit_log)"
    assert [(t.name, t.access) for t in raw.tables] == [("audit_log", "read")]


def test_manager_raw_records_sql_and_model(scan: Scan) -> None:
    facts = scan(
        """
        from .models import Order
        Order.objects.raw("SELECT * FROM orders_order WHERE total > %s", [10])
        """
    )
    (raw,) = facts.raw_sql
    assert (raw.via, raw.model) == ("raw", ORDER)
    assert [t.name for t in raw.tables] == ["orders_order"]


def test_rawsql_expression_and_extra_tables_are_raw_sql(scan: Scan) -> None:
    facts = scan(
        """
        from django.db.models.expressions import RawSQL
        from .models import Order
        Order.objects.annotate(n=RawSQL("SELECT COUNT(*) FROM order_lines", ()))
        Order.objects.extra(tables=["legacy_flags"], where=["legacy_flags.order_id = orders_order.id"])
        """
    )
    assert [(r.via, [t.name for t in r.tables]) for r in facts.raw_sql] == [
        ("RawSQL", ["order_lines"]),
        ("extra", ["legacy_flags"]),
    ]


# --- transactions ------------------------------------------------------------------------


def test_atomic_block_lists_its_writes_and_direct_calls(scan: Scan) -> None:
    facts = scan(
        """
        from django.db import transaction
        from shop.billing import services as billing
        from .models import Order

        def place(order_id):
            Order.objects.count()
            with transaction.atomic(using="default"):
                Order.objects.filter(pk=order_id).update(status="placed")
                billing.charge(order_id)
                notify(order_id)

        def notify(order_id):
            pass
        """
    )
    (tx,) = facts.transactions
    assert (tx.kind, tx.callee, tx.scope, tx.line) == (
        "atomic",
        "django.db.transaction.atomic",
        "place",
        8,
    )
    assert [facts.accesses[i].method for i in tx.writes] == ["update"]
    assert tx.calls == ("shop.billing.services.charge", "shop.orders.views.notify")


def test_atomic_decorator_covers_the_whole_function(scan: Scan) -> None:
    facts = scan(
        """
        from django.db.transaction import atomic
        from .models import Order

        @atomic
        def cancel(order):
            Order.objects.filter(pk=order).delete()
        """
    )
    (tx,) = facts.transactions
    assert (tx.kind, tx.scope, tx.line, tx.column) == ("atomic", "cancel", 5, 2)
    assert len(tx.writes) == 1


def test_reads_are_not_transaction_writes(scan: Scan) -> None:
    facts = scan(
        """
        from django.db import transaction
        from .models import Order

        @transaction.atomic()
        def total():
            return Order.objects.count()
        """
    )
    assert facts.transactions[0].writes == ()


def test_method_decorator_around_atomic_is_a_transaction(scan: Scan) -> None:
    facts = scan(
        """
        from django.db import transaction
        from django.utils.decorators import method_decorator
        from .models import Order

        class Checkout:
            @method_decorator(transaction.atomic)
            def post(self, request):
                Order.objects.create(status="new")
        """
    )
    (tx,) = facts.transactions
    assert (tx.kind, tx.callee, tx.scope, len(tx.writes)) == (
        "atomic",
        "django.db.transaction.atomic",
        "Checkout.post",
        1,
    )


def test_get_user_model_is_the_auth_user_model_setting(scan: Scan) -> None:
    facts = scan(
        """
        from django.contrib.auth import get_user_model
        User = get_user_model()

        def staff():
            return User.objects.filter(is_staff=True)
        """
    )
    assert [(a.target, a.method) for a in facts.accesses] == [
        (Target("setting", "AUTH_USER_MODEL"), "filter")
    ]


def test_model_form_meta_model_and_its_save(scan: Scan) -> None:
    facts = scan(
        """
        from django import forms
        from .models import Order

        class OrderForm(forms.ModelForm):
            class Meta:
                model = Order
                fields = ["status"]

        def edit(request):
            form = OrderForm(request.POST)
            form.save()
        """
    )
    meta = facts.classes[0].meta
    assert meta is not None and meta.model == ORDER
    assert accesses(facts) == [("shop.orders.views.OrderForm", "write", "instance", "save")]


def test_a_base_from_a_star_import_resolves_through_the_module(scan: Scan) -> None:
    facts = scan(
        """
        from oscar.apps.catalogue.abstract_models import *

        if not is_model_registered("catalogue", "Product"):
            class Product(AbstractProduct):
                pass
        """
    )
    (cls,) = facts.classes
    # The resolver follows the star import from shop.orders.services.AbstractProduct.
    assert cls.bases == (f"{facts.module}.AbstractProduct",)
