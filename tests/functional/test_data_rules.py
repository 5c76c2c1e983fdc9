"""SF2xx rules end to end on small projects written for each test."""

from __future__ import annotations

import json

from click.testing import CliRunner

from seamfinder.app.cli import main

APPS = {
    "settings.py": "INSTALLED_APPS = ['extras', 'dcim']\n",
    "extras/__init__.py": "",
    "extras/models.py": """
        from django.contrib.contenttypes.fields import GenericForeignKey
        from django.db import models

        class Bookmark(models.Model):
            object = GenericForeignKey("object_type", "object_id")

        class Tag(models.Model):
            name = models.CharField(max_length=50)
    """,
    "dcim/__init__.py": "",
    "dcim/models.py": """
        from django.contrib.contenttypes.fields import GenericRelation
        from django.db import models

        class Device(models.Model):
            bookmarks = GenericRelation("extras.Bookmark")
            tag = models.ForeignKey("extras.Tag", on_delete=models.PROTECT)
    """,
}


def findings(root) -> list[tuple[str, int, str]]:  # type: ignore[no-untyped-def]
    result = CliRunner().invoke(
        main, ["analyze", str(root), "--no-cache", "--format", "json", "--exit-zero"]
    )
    assert result.exit_code == 0, result.stderr
    return [(f["path"], f["line"], f["code"]) for f in json.loads(result.stdout)["findings"]]


def test_generic_relation_is_not_a_cross_boundary_relation_but_a_foreign_key_is(
    write_project,
) -> None:  # type: ignore[no-untyped-def]
    assert findings(write_project(APPS)) == [("dcim/models.py", 7, "SF203")]


def test_declared_shared_table_and_declared_owner_silence_findings(write_project) -> None:  # type: ignore[no-untyped-def]
    shared = {**APPS, "pyproject.toml": "[tool.seamfinder.tables]\nshared = ['extras_tag']\n"}
    assert findings(write_project(shared)) == []


def test_unknown_owner_component_is_a_config_error(write_project) -> None:  # type: ignore[no-untyped-def]
    bad = {**APPS, "pyproject.toml": "[tool.seamfinder.tables]\nowners = { extras_tag = 'nope' }\n"}
    result = CliRunner().invoke(main, ["analyze", str(write_project(bad)), "--no-cache"])
    assert result.exit_code == 2
    assert "tool.seamfinder.tables.owners.extras_tag: no component named 'nope'" in result.stderr


LAYERED = {
    "app/__init__.py": "",
    "app/models/__init__.py": """
        from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
        class Base(DeclarativeBase):
            pass
        class Challenge(Base):
            __tablename__ = "challenges"
            id: Mapped[int] = mapped_column(primary_key=True)
        class Solve(Base):
            __tablename__ = "solves"
            id: Mapped[int] = mapped_column(primary_key=True)
    """,
    "app/api/__init__.py": "",
    "app/api/challenges.py": """
        from app.models import Challenge
        def listing(session):
            return session.query(Challenge).all()
    """,
    "app/scoring/__init__.py": "",
    "app/scoring/solves.py": """
        from app.models import Solve
        def record(session, solve: Solve):
            session.add(solve)
    """,
}


def test_a_models_only_component_used_everywhere_is_one_layer_finding(write_project) -> None:  # type: ignore[no-untyped-def]
    assert findings(write_project(LAYERED)) == [("app/models/__init__.py", 1, "SF207")]


def test_declared_owners_turn_the_layer_back_into_boundaries(write_project) -> None:  # type: ignore[no-untyped-def]
    owned = {
        **LAYERED,
        "pyproject.toml": "[tool.seamfinder.tables.owners]\nchallenges = 'app.api'\nsolves = 'app.scoring'\n",
    }
    assert findings(write_project(owned)) == []
    swapped = {
        **LAYERED,
        "pyproject.toml": "[tool.seamfinder.tables.owners]\nchallenges = 'app.scoring'\nsolves = 'app.api'\n",
    }
    assert sorted(findings(write_project(swapped))) == [
        ("app/api/challenges.py", 4, "SF202"),  # the query; the import adds nothing
        ("app/scoring/solves.py", 4, "SF201"),  # session.add of a Solve
    ]
