"""Calls, messages, databases and the score between services, resolved from plain values."""

from __future__ import annotations

from seamfinder.analysis.releases import release_commits
from seamfinder.analysis.services import (
    DatabaseRef,
    environment_databases,
    localise,
    score_breakdown,
    shared_databases,
)
from seamfinder.analysis.wiring import (
    CallSite,
    Directory,
    MessageSite,
    call_chains,
    resolve_calls,
    resolve_messages,
)
from seamfinder.collect.history import Commit, FileChange
from seamfinder.config.settings import RELEASE_FILES, RELEASE_MESSAGES
from seamfinder.core.model import Evidence, Location, ServiceCall, ServicePair

SERVICES = frozenset({"gateway", "orders", "products", "productcatalogservice"})
DIRECTORY = Directory.build(
    [
        ("gateway", ["gateway"], ["8000:8000"]),
        ("orders", ["orders", "orders-svc"], ["4020:8000"]),
        ("products", ["products"], []),
        ("productcatalogservice", ["productcatalogservice"], []),
    ],
    [("orders-service", "orders")],
)


def at(path: str, line: int = 1) -> Location:
    return Location(path, line, 1)


def test_addresses_name_services_by_host_published_port_and_cluster_dns() -> None:
    assert DIRECTORY.by_url("http://host.docker.internal:4020/orders") == "orders"
    assert DIRECTORY.by_url("localhost:4020") == "orders"
    assert DIRECTORY.by_url("productcatalogservice:3550") == "productcatalogservice"
    assert DIRECTORY.by_url("dns:///orders-svc:50051") == "orders"
    assert DIRECTORY.by_url("orders.default.svc.cluster.local:80") == "orders"
    assert DIRECTORY.by_url("orders.example.com:80") is None  # not a cluster name
    assert DIRECTORY.by_url("localhost:9999") is None
    assert DIRECTORY.by_url("orders") is None  # a bare word is not an address
    assert DIRECTORY.by_service_name("ProductCatalogService") == "productcatalogservice"
    assert DIRECTORY.by_service_name("orders-service") == "orders"


def test_rpc_and_grpc_calls_resolve_by_name_env_and_stub() -> None:
    sites = [
        CallSite("gateway", at("g.py"), "rpc", "nameko", "", "", (), "orders-service"),
        CallSite(
            "orders",
            at("o.py"),
            "grpc",
            "grpc",
            "",
            "",
            (("env", "CATALOG_ADDR"),),
            "ProductCatalogService",
        ),
        # Only the stub says where it goes: the address is unknown.
        CallSite("products", at("p.py"), "grpc", "grpc", "", "", (), "ProductCatalogService"),
        # A client of the service's own stub is no call between services.
        CallSite("orders", at("c.py"), "grpc", "grpc", "", "localhost:50051", (), "Orders"),
    ]
    environment = {"orders": {"CATALOG_ADDR": "productcatalogservice:3550"}}
    calls = resolve_calls(sites, DIRECTORY, environment, SERVICES)
    assert [(c.source, c.target, c.protocol, c.via) for c in calls] == [
        ("gateway", "orders", "rpc", "service name 'orders-service'"),
        ("orders", "productcatalogservice", "grpc", "CATALOG_ADDR=productcatalogservice:3550"),
        ("products", "productcatalogservice", "grpc", "stub ProductCatalogServiceStub"),
    ]


def test_messages_pair_senders_with_receivers() -> None:
    sites = [
        MessageSite("orders", at("o.py", 5), "event", "nameko", "send", ".order_created"),
        MessageSite(
            "products", at("p.py", 9), "event", "nameko", "receive", "orders.order_created"
        ),
        MessageSite("gateway", at("g.py"), "task", "celery", "send", "orders.tasks.charge"),
        MessageSite("orders", at("o.py", 20), "message", "kafka", "send", "invoices"),
        MessageSite("products", at("p.py", 30), "message", "kafka", "receive", "invoices"),
        MessageSite("gateway", at("g.py", 3), "message", "kafka", "receive", "invoices"),
        MessageSite("gateway", at("g.py", 8), "message", "redis", "send", "nobody-listens"),
    ]
    own = {"orders": ("orders",)}
    messages = resolve_messages(sites, DIRECTORY, own, SERVICES)
    assert [(m.source, m.target, m.protocol, m.topic, m.location.line) for m in messages] == [
        ("gateway", "orders", "task", "orders.tasks.charge", 1),
        ("orders", "gateway", "message", "invoices", 20),
        ("orders", "products", "event", "orders.order_created", 5),
        ("orders", "products", "message", "invoices", 20),
    ]


def test_a_nameko_handler_names_its_sender_even_when_no_dispatch_is_seen() -> None:
    sites = [MessageSite("products", at("p.py", 9), "event", "nameko", "receive", "orders.x")]
    (message,) = resolve_messages(sites, DIRECTORY, {}, SERVICES)
    assert (message.source, message.target, message.location) == (
        "orders",
        "products",
        at("p.py", 9),
    )


def call(source: str, target: str) -> ServiceCall:
    return ServiceCall(source, target, at(f"{source}.py"), "http", "requests", "GET", "", "")


def test_chains_are_the_longest_paths_without_repeats() -> None:
    calls = [call("a", "b"), call("b", "c"), call("c", "d"), call("x", "c"), call("d", "b")]
    # b -> c -> d is part of a -> b -> c -> d; d -> b -> c stops where c would call d again.
    assert call_chains(calls) == (("a", "b", "c", "d"), ("d", "b", "c"), ("x", "c", "d", "b"))
    assert call_chains([call("a", "b")]) == ()


def test_the_breakdown_splits_the_overall_score_by_kind_and_adds_up() -> None:
    pairs = (
        ServicePair(
            "a",
            "b",
            100,
            "distributed-monolith",
            (
                Evidence("import", 30, 1, ""),
                Evidence("shared-database", 25, 1, ""),
                Evidence("call", 20, 2, ""),
                Evidence("co-change", 30, 9, ""),
                Evidence("call-cycle", 15, 2, ""),  # past the cap: no points
            ),
        ),
        ServicePair("b", "c", 5, "loosely-coupled", (Evidence("message", 5, 1, ""),)),
    )
    parts = score_breakdown(pairs, ["a", "b", "c"])
    # a and b count their pair (100 each: import 30, database 25, call 20, co-change the 25
    # left), c its message pair (5): 205 / 3 = 68. Shares 20, 16.7, 13.3, 16.7, 1.7; the
    # two points the floors miss go to the largest remainders (ties by name).
    assert [(p.kind, p.points, p.pairs) for p in parts] == [
        ("import", 20, 1),
        ("co-change", 17, 1),
        ("shared-database", 16, 1),
        ("call", 13, 1),
        ("message", 2, 1),
    ]
    assert sum(p.points for p in parts) == 68


def test_one_database_named_by_url_host_variables_and_a_published_port() -> None:
    published = {"6543": ("postgres", "5432")}
    refs = [
        DatabaseRef("a", localise("postgresql://localhost:6543/shop_db", published), at("a"), ""),
        DatabaseRef("b", "postgresql://postgres:5432/shop_db", at("b"), ""),
        *environment_databases(
            "c", [("DB_HOST", "postgres", at("c")), ("DB_NAME", "shop_db", at("c"))]
        ),
        # Same host and name, another explicit port: another server.
        DatabaseRef("d", "postgresql://postgres:5433/shop_db", at("d"), ""),
    ]
    (shared,) = shared_databases(refs)
    assert shared.identity == "postgresql://postgres:5432/shop_db"
    assert shared.services == ("a", "b")
    # Without the conflicting port, the host and name alone are one database.
    (shared,) = shared_databases(refs[:3])
    assert shared.services == ("a", "b", "c")


def commit(sha: str, subject: str, *paths: str) -> Commit:
    return Commit(sha, 0, "x", tuple(FileChange(p, 1, 0) for p in paths), subject)


def test_release_commits_by_subject_or_by_version_and_lock_files_only() -> None:
    commits = [
        commit("1", "release 1.4", "a/x.py", "b/y.py"),
        commit("2", "Bump versions", "a/pyproject.toml", "b/pyproject.toml"),
        commit("3", "v2.0.1", "a/x.py"),
        commit("4", "update deps", "a/poetry.lock", "b/VERSION", "CHANGELOG.md"),
        commit("5", "Release the lock before charging", "a/x.py"),
        commit("6", "fix release notes link", "docs/x.md"),
        commit("7", "update deps", "a/poetry.lock", "a/x.py"),
    ]
    assert release_commits(commits, RELEASE_MESSAGES, RELEASE_FILES) == {"1", "2", "3", "4"}
    assert release_commits(commits, (), ()) == frozenset()
