from __future__ import annotations

from pathlib import Path

import pytest

from seamfinder.collect.django_apps import read_django_setup
from seamfinder.config.settings import ComponentSpec, Config
from seamfinder.core.errors import ConfigError
from seamfinder.core.model import ROOT_COMPONENT
from seamfinder.discover.files import discover
from seamfinder.resolve.components import ComponentMap, detect_components


def detect(root: Path, config: Config = Config()) -> ComponentMap:
    project = discover(root, config)
    texts = {f.path: (root / f.path).read_text(encoding="utf-8") for f in project.files}
    lines = {f.module: texts[f.path].count("\n") for f in project.files}
    return detect_components(project, config, lines, read_django_setup(project.files, texts))


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
    assert names(found) == ["billing", "catalog", "extra", "legacy", "orders", ROOT_COMPONENT]
    by_name = {c.name: c for c in found.components}
    assert by_name["billing"].package == "payments"
    assert "label 'billing'" in by_name["billing"].reason
    assert "INSTALLED_APPS of shop/settings.py" in by_name["orders"].reason
    assert "has Django models" in by_name["catalog"].reason
    assert set(by_name[ROOT_COMPONENT].modules) == {"manage", "shop", "shop.settings", "helpers"}
    assert found.app_label_of("payments.models") == "billing"
    # A models package inside a package makes that package an app, not "models".
    assert found.component_of("catalog.extra.models.models") == "extra"


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
