"""File-level behaviour of the pass (pre-filter, failures, lines), outbound
HTTP calls and Django settings."""

from __future__ import annotations

from collections.abc import Callable

from seamfinder.collect.facts import FileFacts, ValueSource
from seamfinder.collect.scan import count_lines, needs_parse, scan_file
from seamfinder.core.model import ParseFailure

Scan = Callable[..., FileFacts]


# --- pre-filter, failures, lines ---------------------------------------------------------


def test_prefilter_rejects_a_file_with_nothing_data_related() -> None:
    assert not needs_parse(b"def add(a, b):\n    return a + b\n")
    assert needs_parse(b"from shop.models import Order\n")
    assert needs_parse(b"with transaction.atomic():\n    pass\n")


def test_a_file_the_prefilter_rejects_keeps_its_line_count() -> None:
    facts = scan_file("util.py", "util", False, b"import os\nx = 1", prefilter=True)
    assert isinstance(facts, FileFacts)
    assert (facts.parsed, facts.lines, facts.imports) == (False, 2, ())


def test_line_count_counts_a_last_line_without_newline() -> None:
    assert (count_lines(b""), count_lines(b"a\n"), count_lines(b"a\nb")) == (0, 1, 2)


def test_a_syntax_error_is_a_parse_failure_not_an_exception() -> None:
    result = scan_file("bad.py", "bad", False, b"from .models import Order\ndef f(:\n")
    assert isinstance(result, ParseFailure)
    assert (result.path, result.line) == ("bad.py", 2)


def test_an_undecodable_file_is_a_parse_failure() -> None:
    result = scan_file("bad.py", "bad", False, b"x = '\xff\xfe models'\n")
    assert isinstance(result, ParseFailure)
    assert "decode" in result.reason


# --- HTTP --------------------------------------------------------------------------------


def test_requests_call_with_a_settings_url_template(scan: Scan) -> None:
    facts = scan(
        """
        import requests
        from django.conf import settings

        def stock(sku):
            return requests.get(f"{settings.STOCK_URL}/items/{sku}", timeout=3)
        """
    )
    (call,) = facts.http_calls
    assert (call.library, call.method, call.url, call.scope) == (
        "requests",
        "GET",
        "{}/items/{}",
        "stock",
    )
    assert call.sources == (ValueSource("setting", "STOCK_URL"),)


def test_url_built_from_an_environment_variable_constant(scan: Scan) -> None:
    facts = scan(
        """
        import os
        import requests
        PAYMENTS = os.environ["PAYMENTS_URL"]

        def charge():
            requests.post(PAYMENTS + "/charges", json={})
        """
    )
    (call,) = facts.http_calls
    assert (call.method, call.url, call.sources) == (
        "POST",
        "{}/charges",
        (ValueSource("env", "PAYMENTS_URL"),),
    )


def test_httpx_client_joins_its_base_url(scan: Scan) -> None:
    facts = scan(
        """
        import os
        import httpx

        async def reserve():
            async with httpx.AsyncClient(base_url=os.getenv("INVENTORY_URL")) as client:
                await client.post("/reservations")
        """
    )
    (call,) = facts.http_calls
    assert (call.library, call.method, call.url, call.sources) == (
        "httpx",
        "POST",
        "{}/reservations",
        (ValueSource("env", "INVENTORY_URL"),),
    )


def test_requests_session_kept_on_self_is_followed(scan: Scan) -> None:
    facts = scan(
        """
        import requests

        class Client:
            def __init__(self):
                self.http = requests.Session()

            def fetch(self):
                return self.http.request("PATCH", "https://api.example.com/x")
        """
    )
    assert [(c.method, c.url, c.scope) for c in facts.http_calls] == [
        ("PATCH", "https://api.example.com/x", "Client.fetch")
    ]


def test_aiohttp_session_and_urllib(scan: Scan) -> None:
    facts = scan(
        """
        import aiohttp
        from urllib.request import Request, urlopen

        async def ping():
            async with aiohttp.ClientSession() as session:
                await session.get("http://svc/health")
            urlopen(Request("http://svc/x", method="PUT"))
        """
    )
    assert [(c.library, c.method, c.url) for c in facts.http_calls] == [
        ("aiohttp", "GET", "http://svc/health"),
        ("urllib", "PUT", "http://svc/x"),
    ]


def test_get_on_something_that_is_not_an_http_client_is_not_a_call(scan: Scan) -> None:
    facts = scan(
        """
        import requests
        headers = {}
        headers.get("Accept")
        requests.codes.get("ok")
        """
    )
    assert facts.http_calls == ()


# --- Django settings ---------------------------------------------------------------------


def test_installed_apps_auth_user_model_and_databases(scan: Scan) -> None:
    facts = scan(
        """
        import os
        INSTALLED_APPS = ["django.contrib.auth", "shop.orders"]
        INSTALLED_APPS += ("shop.billing",)
        AUTH_USER_MODEL = "accounts.User"
        DATABASES = {
            "default": {
                "ENGINE": "django.db.backends.postgresql",
                "NAME": os.environ.get("DB_NAME", "shop"),
                "HOST": os.getenv("DB_HOST"),
            }
        }
        """,
        "shop.settings",
    )
    settings = facts.settings
    assert settings is not None
    assert settings.installed_apps == ("django.contrib.auth", "shop.orders", "shop.billing")
    assert (settings.installed_apps_partial, settings.installed_apps_line) == (False, 3)
    assert settings.auth_user_model == "accounts.User"
    (db,) = settings.databases
    assert db.alias == "default"
    assert db.engine == (ValueSource("literal", "django.db.backends.postgresql"),)
    assert db.name == (ValueSource("env", "DB_NAME"), ValueSource("literal", "shop"))
    assert db.host == (ValueSource("env", "DB_HOST"),)


def test_installed_apps_built_from_other_lists_is_partial(scan: Scan) -> None:
    facts = scan(
        """
        INSTALLED_APPS = BASE_APPS + ["shop.orders"]
        INSTALLED_APPS.append("shop.billing")
        """
    )
    assert facts.settings is not None
    assert facts.settings.installed_apps == ("shop.orders", "shop.billing")
    assert facts.settings.installed_apps_partial


def test_a_module_without_settings_has_none(scan: Scan) -> None:
    assert scan("from .models import Order\n").settings is None


def test_an_f_string_hole_holding_a_module_constant_is_inlined(scan: Scan) -> None:
    facts = scan(
        """
        import requests
        ORDERS_URL = "http://orders:8000"

        def order(pk):
            return requests.get(f"{ORDERS_URL}/orders/{pk}")
        """
    )
    (call,) = facts.http_calls
    assert call.url == "http://orders:8000/orders/{}"


def test_a_package_init_that_re_exports_is_parsed_even_with_the_prefilter() -> None:
    facts = scan_file(
        "users/models/__init__.py", "users.models", True, b"from .tokens import *\n", prefilter=True
    )
    assert isinstance(facts, FileFacts) and facts.parsed
    assert [(i.name, i.target) for i in facts.imports] == [("*", "users.models.tokens.*")]
    plain = scan_file(
        "users/util.py", "users.util", False, b"from .tokens import helper\n", prefilter=True
    )
    assert isinstance(plain, FileFacts) and not plain.parsed
