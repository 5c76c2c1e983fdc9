"""Service detection, compose files, database identities and call targets, in isolation."""

from __future__ import annotations

from pathlib import Path

import pytest

from seamfinder.analysis.services import (
    TableTouch,
    database_identity,
    environment_databases,
    shared_databases,
    shared_tables,
)
from seamfinder.analysis.wiring import Directory
from seamfinder.collect.compose import read_compose
from seamfinder.config.settings import Config, ServiceDecl, load_config
from seamfinder.core.errors import ConfigError
from seamfinder.core.model import Location
from seamfinder.discover.files import PathMatcher, discover
from seamfinder.discover.units import detect_services

EXCLUDED = PathMatcher(Config().all_excludes).excludes


def test_two_deployable_folders_with_python_are_services(write_project) -> None:  # type: ignore[no-untyped-def]
    root = write_project(
        {
            "services/a/Dockerfile": "FROM python\n",
            "services/a/main.py": "import shared\n",
            "services/b/requirements.txt": "flask\n",
            "services/b/app.py": "x = 1\n",
            "services/web/Dockerfile": "FROM node\n",  # no Python: listed, does not count
            "shared/__init__.py": "",
            "docs/conf.py": "",
        }
    )
    specs = detect_services(root, Config(), EXCLUDED)
    assert [(s.name, s.kind, s.folders) for s in specs] == [
        ("a", "service", ("services/a",)),
        ("b", "service", ("services/b",)),
        ("shared", "library", ("shared",)),
        ("web", "service", ("services/web",)),
    ]
    project = discover(root, Config())
    assert [f.module for f in project.files] == ["a:main", "b:app", "shared:shared"]


def test_one_deployable_folder_next_to_a_package_is_one_project(write_project) -> None:  # type: ignore[no-untyped-def]
    root = write_project(
        {
            "sandbox/manage.py": "",
            "sandbox/__init__.py": "",
            "src/shop/__init__.py": "",
            "tools/main.py": "",  # an entry point, but only one more
            "Dockerfile": "FROM python\n",
        }
    )
    assert detect_services(root, Config(), EXCLUDED) == ()
    assert discover(root, Config()).units == ()


def test_compose_build_folders_environment_and_merge_keys(tmp_path: Path) -> None:
    (tmp_path / "docker-compose.yml").write_text(
        "x-env: &env\n  LOG_LEVEL: info\n"
        "services:\n"
        "  api:\n"
        "    build: {context: ., dockerfile: svc/api/Dockerfile}\n"
        "    container_name: shop-api\n"
        "    environment:\n      <<: *env\n      DATABASE_URL: postgres://u:p@db/shop\n"
        "    ports: ['8080:80']\n"
        "  worker:\n"
        "    build: ./svc/worker\n"
        "    environment:\n      - QUEUE=jobs\n"
        "  db:\n    image: postgres\n",
        encoding="utf-8",
    )
    (tmp_path / "svc" / "api").mkdir(parents=True)
    services = {s.name: s for s in read_compose(tmp_path)}
    assert services["api"].build == "svc/api" and services["api"].hostnames == ("shop-api",)
    assert [(e.name, e.value, e.line) for e in services["api"].environment] == [
        ("DATABASE_URL", "postgres://u:p@db/shop", 9),
        ("LOG_LEVEL", "info", 2),
    ]
    assert services["worker"].build == "svc/worker"
    assert services["worker"].environment[0].name == "QUEUE"
    assert services["db"].build is None and services["api"].ports == ("8080:80",)


def test_a_broken_compose_file_is_no_compose_file(tmp_path: Path) -> None:
    (tmp_path / "compose.yaml").write_text("services: [unclosed\n", encoding="utf-8")
    assert read_compose(tmp_path) == ()


@pytest.mark.parametrize(
    ("url", "identity"),
    [
        ("postgresql+psycopg://shop:secret@db:5432/shop", "postgresql://db:5432/shop"),
        ("postgres://db/shop?sslmode=disable", "postgresql://db:5432/shop"),
        ("mysql+pymysql://u@DB:3307/app", "mysql://db:3307/app"),
        ("sqlite:///./app.db", "sqlite://orders/./app.db"),
        ("sqlite:////var/data/app.db", "sqlite:///var/data/app.db"),
        ("postgresql://${DB_HOST:-db}/shop", "postgresql://db:5432/shop"),
        ("postgresql://${DB_HOST}/shop", None),
        ("sqlite://", None),
        ("redis://cache:6379/0", None),
    ],
)
def test_database_identity_drops_credentials_and_options(url: str, identity: str | None) -> None:
    assert database_identity(url, "orders") == identity


def test_environment_databases_from_urls_and_host_name_pairs() -> None:
    here = Location("docker-compose.yml", 3, 1)
    refs = environment_databases(
        "orders",
        [("DB_HOST", "postgres", here), ("DB_NAME", "orders", here), ("REDIS_HOST", "redis", here)],
    )
    assert [r.identity for r in refs] == ["db://postgres/orders"]


def test_the_same_database_shared_by_two_services() -> None:
    refs = environment_databases("a", [("DATABASE_URL", "postgres://db/x", Location("c.yml", 1))])
    refs += environment_databases("b", [("DATABASE_URL", "postgres://db/x", Location("c.yml", 2))])
    refs += environment_databases("c", [("DATABASE_URL", "postgres://db/y", Location("c.yml", 3))])
    (shared,) = shared_databases(refs)
    assert shared.services == ("a", "b")


def test_same_table_name_defined_by_two_services_is_shared_only_with_one_database() -> None:
    touches = [
        TableTouch("a", "outbox", "define", Location("a.py", 1), True),
        TableTouch("b", "outbox", "define", Location("b.py", 1), True),
        TableTouch("a", "orders", "write", Location("a.py", 2), False),
        TableTouch("c", "orders", "write", Location("c.py", 2), False),
    ]
    assert [(s.table, s.pairs) for s in shared_tables(touches, ())] == [("orders", (("a", "c"),))]
    refs = environment_databases("a", [("DATABASE_URL", "postgres://db/x", Location("c.yml", 1))])
    refs += environment_databases("b", [("DATABASE_URL", "postgres://db/x", Location("c.yml", 2))])
    tables = shared_tables(touches, shared_databases(refs))
    assert [s.table for s in tables] == ["orders", "outbox"]


def test_call_targets_by_host_port_and_name() -> None:
    directory = Directory.build(
        [
            ("orders", ["orders", "orders-api"], ["8001:8000"]),
            ("productcatalogservice", ["productcatalogservice"], []),
        ]
    )
    assert directory.by_url("http://orders-api:8000/x") == "orders"
    assert directory.by_url("http://localhost:8001/x") == "orders"
    assert directory.by_url("https://api.stripe.com/v1") is None
    assert directory.by_name("ORDERS_SERVICE_URL") == "orders"
    assert directory.by_name("settings.ORDERS_API") == "orders"
    assert directory.by_name("PRODUCT_CATALOG_SERVICE_ADDR") == "productcatalogservice"
    assert directory.by_name("ORDERS") is None  # no URL-like suffix: could be anything


def test_services_config_is_validated(tmp_path: Path) -> None:
    (tmp_path / "seamfinder.toml").write_text(
        '[services]\norders = "svc/orders"\ncommon = { paths = ["libs/common"], kind = "library" }\n',
        encoding="utf-8",
    )
    config = load_config(tmp_path)
    assert config.services == (
        ServiceDecl("common", ("libs/common",), "library"),
        ServiceDecl("orders", ("svc/orders",)),
    )
    (tmp_path / "seamfinder.toml").write_text("services = false\n", encoding="utf-8")
    assert load_config(tmp_path).detect_services is False
    (tmp_path / "seamfinder.toml").write_text(
        '[services]\norders = { paths = ["x"], kind = "daemon" }\n', encoding="utf-8"
    )
    with pytest.raises(ConfigError, match=r"services\.orders\.kind"):
        load_config(tmp_path)


def test_a_declared_folder_must_exist(tmp_path: Path) -> None:
    config = Config(services=(ServiceDecl("orders", ("nowhere",)),))
    with pytest.raises(ConfigError, match="'nowhere' is not a folder"):
        detect_services(tmp_path, config, EXCLUDED)
