from __future__ import annotations

import pytest

from seamfinder.config.settings import Config
from seamfinder.core.errors import ProjectError
from seamfinder.discover.files import PathMatcher, discover


def modules(project) -> list[str]:  # type: ignore[no-untyped-def]
    return [f.module for f in project.files]


def test_flat_layout_with_apps_side_by_side(write_project) -> None:  # type: ignore[no-untyped-def]
    root = write_project(
        {
            "manage.py": "",
            "shop/__init__.py": "",
            "shop/settings.py": "",
            "orders/__init__.py": "",
            "orders/models.py": "",
            "orders/tests/test_models.py": "",
            "orders/migrations/0001_initial.py": "",
            "orders/test_views.py": "",
        }
    )
    project = discover(root, Config())
    assert modules(project) == ["manage", "orders", "orders.models", "shop", "shop.settings"]
    assert [p.name for p in project.packages] == ["orders", "shop"]
    assert project.source_roots == (root.resolve(),)


def test_src_layout(write_project) -> None:  # type: ignore[no-untyped-def]
    root = write_project(
        {
            "src/ledger/__init__.py": "",
            "src/ledger/db/__init__.py": "",
            "src/ledger/db/base.py": "",
            "setup.py": "",
        }
    )
    project = discover(root, Config())
    assert modules(project) == ["ledger", "ledger.db", "ledger.db.base"]
    assert project.packages[0].source_root == (root / "src").resolve()


def test_analysing_a_package_folder_itself(write_project) -> None:  # type: ignore[no-untyped-def]
    root = write_project({"pkg/__init__.py": "", "pkg/a.py": ""})
    project = discover(root / "pkg", Config())
    assert modules(project) == ["pkg", "pkg.a"]
    assert [f.path for f in project.files] == ["__init__.py", "a.py"]


def test_configured_excludes_add_to_defaults(write_project) -> None:  # type: ignore[no-untyped-def]
    root = write_project(
        {"app/__init__.py": "", "app/legacy/__init__.py": "", "app/legacy/x.py": "", "app/y.py": ""}
    )
    project = discover(root, Config(extend_exclude=("app/legacy/**", "app/legacy")))
    assert modules(project) == ["app", "app.y"]


def test_hidden_and_virtualenv_folders_are_skipped(write_project) -> None:  # type: ignore[no-untyped-def]
    root = write_project(
        {
            "app/__init__.py": "",
            ".venv/lib/x/__init__.py": "",
            "venv/y/__init__.py": "",
            "node_modules/z.py": "",
        }
    )
    assert modules(discover(root, Config())) == ["app"]


def test_missing_path_is_a_project_error(tmp_path) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ProjectError, match="no such file or directory"):
        discover(tmp_path / "missing", Config())


def test_folder_without_python_is_a_project_error(write_project) -> None:  # type: ignore[no-untyped-def]
    root = write_project({"README.md": "hello", "tests/test_x.py": ""})
    with pytest.raises(ProjectError, match="no Python package or module found"):
        discover(root, Config())


def test_same_package_in_two_roots_makes_two_units_side_by_side(write_project) -> None:  # type: ignore[no-untyped-def]
    root = write_project(
        {"a/app/__init__.py": "", "b/app/__init__.py": "", "b/app/m.py": "", "run.py": ""}
    )
    project = discover(root, Config())
    assert [(u.name, u.spec.folders, u.spec.detected_by) for u in project.units] == [
        ("a", ("a",), "package-clash"),
        ("b", ("b",), "package-clash"),
    ]
    assert [f.module for f in project.files] == ["a:app", "b:app", "b:app.m"]
    # The file beside the two folders belongs to neither: said, not silently dropped.
    assert [(n.path, n.subject) for n in project.notes] == [("run.py", ".")]


def test_same_package_twice_in_declared_source_roots_lists_every_clash(write_project) -> None:  # type: ignore[no-untyped-def]
    root = write_project(
        {
            "src/a/app/__init__.py": "",
            "src/b/app/__init__.py": "",
            "src/a/lib/__init__.py": "",
            "src/b/lib/__init__.py": "",
        }
    )
    config = Config(source_roots=("src/a", "src/b"))
    with pytest.raises(ProjectError) as raised:
        discover(root, config)
    message = str(raised.value)
    assert "package 'app' is found 2 times (src/a/app, src/b/app)" in message
    assert "package 'lib' is found 2 times (src/a/lib, src/b/lib)" in message
    assert 'extend-exclude = ["src/b/app", "src/b/lib"]' in message


def test_source_roots_limit_the_walk(write_project) -> None:  # type: ignore[no-untyped-def]
    root = write_project({"a/app/__init__.py": "", "b/app/__init__.py": "", "b/app/m.py": ""})
    project = discover(root, Config(source_roots=("b",)))
    assert [f.path for f in project.files] == ["b/app/__init__.py", "b/app/m.py"]


@pytest.mark.parametrize(
    ("pattern", "path", "expected"),
    [
        ("tests", "pkg/tests", True),
        ("test_*.py", "pkg/test_models.py", True),
        ("test_*.py", "pkg/latest_models.py", False),
        ("pkg/legacy/**", "pkg/legacy/a/b.py", True),
        ("**/gen/*.py", "x/y/gen/a.py", True),
        ("**/gen/*.py", "gen/a.py", True),
        ("pkg/*.py", "pkg/sub/a.py", False),
    ],
)
def test_path_globs(pattern: str, path: str, expected: bool) -> None:
    assert PathMatcher([pattern]).matches(path, path.rsplit("/", 1)[-1]) is expected


def test_alembic_environment_is_skipped_whatever_its_name(write_project) -> None:  # type: ignore[no-untyped-def]
    root = write_project(
        {
            "app/__init__.py": "",
            "app/db/__init__.py": "",
            "app/db/revisions/env.py": "",
            "app/db/revisions/script.py.mako": "",
            "app/db/revisions/versions/ab12_add_users.py": "",
        }
    )
    assert modules(discover(root, Config())) == ["app", "app.db"]
