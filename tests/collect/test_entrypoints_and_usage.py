"""Entry points, wiring and name uses read from text; test files found beside the code."""

from __future__ import annotations

from pathlib import Path

from seamfinder.collect.entrypoints import read_hooks
from seamfinder.collect.usage import abstract_models, enumerations, name_uses
from seamfinder.core.model import ImportedName, ImportScope, Location
from seamfinder.discover.testsuite import suite_imports

RECEIVERS = """
from django.apps import apps
from django.db.models.signals import post_save
from django.dispatch import receiver

from shop.orders.models import Order
from shop.orders import signals as order_signals


@receiver(post_save, sender=Order)
def on_order(sender, **kwargs):
    pass


@receiver(
    [post_save, order_signals.order_placed],
    sender=apps.get_model("shipping", "Shipment"),
)
def on_shipment(sender, **kwargs):
    pass


post_save.connect(on_payment, sender="billing.Payment")
connection = psycopg2.connect("dbname=x")
Order.add_to_class("export_url", export_url)
"""


def test_receivers_name_their_signal_and_sender_through_the_imports() -> None:
    hooks = read_hooks("shop/audit/receivers.py", "shop.audit.receivers", False, RECEIVERS, set())
    found = [(h.kind, h.name, h.signal, h.target) for h in hooks]
    assert found == [
        ("receiver", "on_order", "django.db.models.signals.post_save", "shop.orders.models.Order"),
        ("receiver", "on_shipment", "django.db.models.signals.post_save", "shipping.Shipment"),
        ("receiver", "on_shipment", "shop.orders.signals.order_placed", "shipping.Shipment"),
        ("receiver", "on_payment", "django.db.models.signals.post_save", "billing.Payment"),
        ("add-to-class", "export_url", "", "shop.orders.models.Order"),
    ]


URLS = """
from django.urls import include, path
from rest_framework.routers import DefaultRouter

from shop.orders import views

router = DefaultRouter()
router.register(r"orders", views.OrderViewSet)

urlpatterns = [
    path("", views.order_list),
    path(
        "exports/",
        include("shop.exports.urls"),
    ),
]
"""


def test_routes_point_at_their_view_or_urlconf() -> None:
    hooks = read_hooks("shop/urls.py", "shop.urls", False, URLS, set())
    assert [(h.kind, h.name, h.target) for h in hooks] == [
        ("route", "orders", "shop.orders.views.OrderViewSet"),
        ("route", "", "shop.orders.views.order_list"),
        ("route", "exports/", "shop.exports.urls"),
    ]


def test_tasks_commands_views_registries_and_settings() -> None:
    tasks = read_hooks(
        "shop/exports/tasks.py",
        "shop.exports.tasks",
        False,
        "from celery import shared_task\n\n@shared_task(bind=True)\ndef build(self):\n    pass\n",
        set(),
    )
    assert [(h.kind, h.name) for h in tasks] == [("task", "build")]
    command = read_hooks(
        "shop/exports/management/commands/purge.py",
        "shop.exports.management.commands.purge",
        False,
        "class Command(BaseCommand):\n    pass\n",
        set(),
    )
    assert [(h.kind, h.name) for h in command] == [("command", "purge")]
    admin = read_hooks(
        "shop/exports/admin.py",
        "shop.exports.admin",
        False,
        "from django.contrib import admin\nfrom shop.orders.models import Order\n\n"
        "admin.site.register(Order)\n",
        set(),
    )
    assert [(h.kind, h.target) for h in admin] == [("registry", "shop.orders.models.Order")]
    settings = read_hooks(
        "shop/settings.py",
        "shop.settings",
        False,
        'INSTALLED_APPS = ["shop.orders.apps.OrdersConfig"]\n'
        'AUTH_USER_MODEL = "accounts.User"\n'
        'MIDDLEWARE = ["shop.orders.middleware.CartMiddleware"]\n',
        {"shop.orders.apps", "shop.orders.middleware", "accounts"},
    )
    assert [(h.kind, h.target) for h in settings] == [
        ("setting", "shop.orders.middleware.CartMiddleware")
    ]


IMPORTER = """
from __future__ import annotations

from shop.exports.models import ExportJob
from shop.exports.tasks import generate_export
from shop.orders.models import Order, STATUS_OPEN


def last_export(order: Order) -> "ExportJob | None":
    generate_export.delay(order.pk)
    print(f"exporting {Order.objects.count()}")
    return None
"""


def test_names_used_in_annotations_only_enqueued_or_called() -> None:
    def name(module: str, symbol: str, line: int) -> ImportedName:
        return ImportedName("shop.views", module, symbol, Location("shop/views.py", line))

    names = [
        name("shop.exports.models", "ExportJob", 4),
        name("shop.exports.tasks", "generate_export", 5),
        name("shop.orders.models", "Order", 6),
        name("shop.orders.models", "STATUS_OPEN", 6),
    ]
    uses = name_uses(names, {"shop.views": IMPORTER}, {"shop.views": False})
    assert {(u.name, u.use) for u in uses} == {
        ("ExportJob", "type-only"),
        ("generate_export", "enqueue"),
        ("Order", "call"),  # used in an f-string's expression, not only in the annotation
        ("STATUS_OPEN", "unused"),
    }
    scoped = name_uses(
        names[2:3],
        {"shop.views": IMPORTER},
        {"shop.views": False},
        {("shop.views", 6): ImportScope.TYPE_CHECKING},
    )
    assert [u.use for u in scoped] == ["type-only"]


def test_enumerations_and_abstract_models_are_read_from_text() -> None:
    texts = {
        "shop.orders.models": "class Status(models.TextChoices):\n    OPEN = 'open'\n\n"
        "class Base(models.Model):\n    class Meta:\n        abstract = True\n",
        "shop.kernel": "class Colour(enum.Enum):\n    RED = 1\n",
    }
    assert enumerations(texts) == {"shop.orders.models.Status", "shop.kernel.Colour"}
    assert abstract_models(texts) == (("shop.orders.models", 1),)


def test_test_files_are_found_by_their_import_lines(tmp_path: Path) -> None:
    (tmp_path / "shop").mkdir()
    (tmp_path / "tests").mkdir()
    (tmp_path / "node_modules").mkdir()
    (tmp_path / "tests" / "test_orders.py").write_text(
        "import os\nfrom shop.orders.services import (\n    place,\n)\n", encoding="utf-8"
    )
    (tmp_path / "shop" / "tests.py").write_text("import shop.orders.models\n", encoding="utf-8")
    (tmp_path / "node_modules" / "test_x.py").write_text("import shop\n", encoding="utf-8")
    found = suite_imports(
        tmp_path,
        ("node_modules", "tests", "tests.py", "test_*.py"),
        {"shop", "shop.orders.services", "shop.orders.models"},
    )
    assert [(t.path, t.module, t.line) for t in found] == [
        ("shop/tests.py", "shop.orders.models", 1),
        ("tests/test_orders.py", "shop.orders.services", 2),
    ]
