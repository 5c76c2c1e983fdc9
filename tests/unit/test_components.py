from __future__ import annotations

from pathlib import Path

import pytest

from seamfinder.collect.cache import FileCache
from seamfinder.collect.datapass import start_facts
from seamfinder.collect.django_apps import read_django_setup
from seamfinder.config.settings import ComponentSpec, Config
from seamfinder.core.errors import ConfigError
from seamfinder.core.model import ROOT_COMPONENT
from seamfinder.discover.files import discover
from seamfinder.resolve.components import ComponentMap, detect_components
from seamfinder.resolve.datagraph import django_model_modules


def detect(root: Path, config: Config = Config()) -> ComponentMap:
    project = discover(root, config)
    data = {f.path: (root / f.path).read_bytes() for f in project.files}
    texts = {path: content.decode() for path, content in data.items()}
    lines = {f.module: texts[f.path].count("\n") for f in project.files}
    facts = start_facts(project.files, data, frozenset(), FileCache(None, "facts", "t")).result()
    models = django_model_modules(facts.facts[path] for path in sorted(facts.facts))
    django = read_django_setup(project.files, texts)
    return detect_components(project, config, lines, django, models)


MODEL = "from django.db import models\nclass {name}(models.Model):\n    pass\n"


def names(found: ComponentMap) -> list[str]:
    return [c.name for c in found.components]


def test_depth_one_makes_each_subpackage_a_component(write_project) -> None:  # type: ignore[no-untyped-def]
    root = write_project(
        {
            "src/clinic/__init__.py": "",
            "src/clinic/config.py": "",
            "src/clinic/patients/__init__.py": "",
            "src/clinic/patients/models.py": "x = 1\ny = 2\n",
            "src/clinic/billing/__init__.py": "",
            "src/clinic/billing/invoices/__init__.py": "",
            "src/clinic/billing/invoices/pdf.py": "",
        }
    )
    found = detect(root)
    assert names(found) == ["clinic.billing", "clinic.patients", ROOT_COMPONENT]
    assert found.component_of("clinic.billing.invoices.pdf") == "clinic.billing"
    assert found.component_of("clinic.config") == ROOT_COMPONENT
    patients = found.components[1]
    assert patients.detected_by == "depth" and patients.lines == 2


def test_depth_zero_makes_top_level_packages_components(write_project) -> None:  # type: ignore[no-untyped-def]
    root = write_project({"a/__init__.py": "", "a/x.py": "", "b/__init__.py": ""})
    assert names(detect(root, Config(depth=0))) == ["a", "b"]


def test_django_apps_with_label_and_installed_apps(write_project) -> None:  # type: ignore[no-untyped-def]
    root = write_project(
        {
            "manage.py": "",
            "shop/__init__.py": "",
            "shop/settings.py": "BASE = ['django.contrib.admin']\nINSTALLED_APPS = BASE + ['orders', 'payments.apps.PaymentsConfig']\nINSTALLED_APPS += ['legacy']\n",
            "orders/__init__.py": "",
            "orders/views.py": "",
            "payments/__init__.py": "",
            "payments/apps.py": "from django.apps import AppConfig\nclass PaymentsConfig(AppConfig):\n    name = 'payments'\n    label = 'billing'\n",
            "legacy/__init__.py": "",
            "catalog/__init__.py": "",
            "catalog/models.py": "from django.db import models\n",
            "catalog/extra/__init__.py": "",
            "catalog/extra/models/__init__.py": "",
            "catalog/extra/models/models.py": "from django.db import models\n",
            "helpers/__init__.py": "",
        }
    )
    found = detect(root)
    # Settings are read: the installed apps are the apps, and nothing else is one.
    assert names(found) == ["billing", "legacy", "orders", ROOT_COMPONENT]
    by_name = {c.name: c for c in found.components}
    assert by_name["billing"].package == "payments"
    assert "label 'billing'" in by_name["billing"].reason
    assert "INSTALLED_APPS of shop/settings.py" in by_name["orders"].reason
    assert "catalog.models" in by_name[ROOT_COMPONENT].modules
    assert found.app_label_of("payments.models") == "billing"


def test_without_settings_an_app_is_a_package_that_defines_models(write_project) -> None:  # type: ignore[no-untyped-def]
    root = write_project(
        {
            "shop/__init__.py": "",
            "shop/orders/__init__.py": "",
            "shop/orders/apps.py": "from django.apps import AppConfig\nclass OrdersConfig(AppConfig):\n    name = 'shop.orders'\n",
            "shop/orders/forms/__init__.py": "",
            # a module named models that holds forms: no model class, so no app
            "shop/orders/forms/models.py": "from django import forms\nclass OrderForm(forms.ModelForm):\n    pass\n",
            "shop/catalog/__init__.py": "",
            "shop/catalog/models/__init__.py": "",
            "shop/catalog/models/items.py": "from shop.core.models import Base\nclass Item(Base):\n    pass\n",
            "shop/catalog/alerts/__init__.py": "",
            "shop/catalog/alerts/models.py": MODEL.format(name="Alert"),
            "shop/core/__init__.py": "",
            "shop/core/models.py": "from django.db import models\nclass Base(models.Model):\n    class Meta:\n        abstract = True\n",
            "api/__init__.py": "",
            "api/schemas/__init__.py": "",
            "api/schemas/models.py": "import pydantic\nclass Order(pydantic.BaseModel):\n    pass\n",
        }
    )
    found = detect(root)
    # catalog's model derives from the project's own abstract base; alerts sits inside it.
    assert names(found) == ["catalog", "core", "orders", ROOT_COMPONENT]
    assert found.component_of("shop.catalog.alerts.models") == "catalog"
    assert found.app_label_of("shop.catalog.alerts.models") == "catalog"
    assert found.component_of("shop.orders.forms.models") == "orders"
    assert found.component_of("api.schemas.models") == ROOT_COMPONENT


def test_duplicate_label_of_an_app_never_installed_is_no_clash(write_project) -> None:  # type: ignore[no-untyped-def]
    config = "from django.apps import AppConfig\nclass {cls}(AppConfig):\n    name = '{name}'\n    label = 'orders'\n"
    root = write_project(
        {
            "settings.py": "INSTALLED_APPS = ['shop.orders']\n",
            "shop/__init__.py": "",
            "shop/orders/__init__.py": "",
            "shop/orders/apps.py": config.format(cls="OrdersConfig", name="shop.orders"),
            "shop/legacy_orders/__init__.py": "",
            "shop/legacy_orders/apps.py": config.format(cls="OldConfig", name="shop.legacy_orders"),
        }
    )
    found = detect(root)
    assert names(found) == ["orders", ROOT_COMPONENT]
    assert found.component_of("shop.legacy_orders.apps") == ROOT_COMPONENT
    assert found.notes == ()


def test_labels_taken_twice_without_settings_are_kept_apart_with_a_note(write_project) -> None:  # type: ignore[no-untyped-def]
    config = "from django.apps import AppConfig\nclass {cls}(AppConfig):\n    name = '{name}'\n    label = 'orders'\n"
    root = write_project(
        {
            "shop/__init__.py": "",
            "shop/orders/__init__.py": "",
            "shop/orders/apps.py": config.format(cls="OrdersConfig", name="shop.orders"),
            "shop/legacy/__init__.py": "",
            "shop/legacy/apps.py": config.format(cls="OldConfig", name="shop.legacy"),
            "shop/reports/__init__.py": "",
            "shop/reports/models.py": MODEL.format(name="Report"),
            "admin/__init__.py": "",
            "admin/reports/__init__.py": "",
            "admin/reports/models.py": MODEL.format(name="Saved"),
        }
    )
    found = detect(root)
    # The first by package path keeps the label as its name; the later one is named by its
    # path, and its tables keep Django's label.
    assert names(found) == ["orders", "reports", "shop.orders", "shop.reports", ROOT_COMPONENT]
    assert found.component_of("shop.legacy.apps") == "orders"
    assert found.app_label_of("shop.orders.apps") == "orders"
    assert [(n.path, n.subject) for n in found.notes] == [
        ("shop/orders/apps.py", "shop.orders"),
        ("shop/reports/models.py", "shop.reports"),
    ]


def test_nested_django_app_takes_its_own_modules(write_project) -> None:  # type: ignore[no-untyped-def]
    root = write_project(
        {
            "settings.py": "INSTALLED_APPS = ['shop.dashboard', 'shop.dashboard.orders']\n",
            "shop/__init__.py": "",
            "shop/dashboard/__init__.py": "",
            "shop/dashboard/views.py": "",
            "shop/dashboard/orders/__init__.py": "",
            "shop/dashboard/orders/views.py": "",
        }
    )
    found = detect(root)
    assert found.component_of("shop.dashboard.orders.views") == "orders"
    assert found.component_of("shop.dashboard.views") == "dashboard"


def test_declared_components_win_and_most_specific_pattern_wins(write_project) -> None:  # type: ignore[no-untyped-def]
    root = write_project(
        {
            "app/__init__.py": "",
            "app/orders/__init__.py": "",
            "app/orders/api.py": "",
            "app/orders/payments/__init__.py": "",
            "app/orders/payments/stripe.py": "",
            "app/util.py": "",
        }
    )
    config = Config(
        components=(
            ComponentSpec("orders", ("app.orders",)),
            ComponentSpec("payments", ("app.*.payments",)),
        )
    )
    found = detect(root, config)
    assert found.component_of("app.orders.api") == "orders"
    assert found.component_of("app.orders.payments.stripe") == "payments"
    assert found.component_of("app.util") == ROOT_COMPONENT
    assert found.components[0].detected_by == "config"


def test_two_components_claiming_a_module_equally_is_a_config_error(write_project) -> None:  # type: ignore[no-untyped-def]
    root = write_project({"app/__init__.py": "", "app/a.py": ""})
    config = Config(components=(ComponentSpec("x", ("app.a",)), ComponentSpec("y", ("app.a",))))
    with pytest.raises(ConfigError, match="equally"):
        detect(root, config)
