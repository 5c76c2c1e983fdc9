"""The data-access pass on SQLAlchemy (core and ORM), Flask-SQLAlchemy and SQLModel."""

from __future__ import annotations

from collections.abc import Callable

from seamfinder.collect.facts import FileFacts, Target

Scan = Callable[..., FileFacts]
MODULE = "ledger.billing.service"


def accesses(facts: FileFacts) -> list[tuple[str, str, str, str]]:
    return [(a.target.value, a.kind, a.idiom, a.method) for a in facts.accesses]


def relations(facts: FileFacts) -> list[tuple[str, str, Target | None, Target | None]]:
    return [(r.field, r.kind, r.target, r.through) for cls in facts.classes for r in cls.relations]


# --- declarations ------------------------------------------------------------------------


def test_declarative_base_is_recorded_and_models_name_it(scan: Scan) -> None:
    facts = scan(
        """
        from sqlalchemy.orm import declarative_base
        Base = declarative_base()

        class Invoice(Base):
            __tablename__ = "invoices"
        """,
        "ledger.db",
    )
    assert [(b.name, b.kind, b.callee) for b in facts.bases] == [
        ("Base", "declarative-base", "sqlalchemy.orm.declarative_base")
    ]
    (cls,) = facts.classes
    assert (cls.bases, cls.tablename) == (("ledger.db.Base",), "invoices")


def test_declarative_base_class_and_abstract_flag(scan: Scan) -> None:
    facts = scan(
        """
        from sqlalchemy.orm import DeclarativeBase, declared_attr

        class Base(DeclarativeBase):
            __abstract__ = True

            @declared_attr.directive
            def __tablename__(cls):
                return cls.__name__.lower()
        """
    )
    (cls,) = facts.classes
    assert cls.bases == ("sqlalchemy.orm.DeclarativeBase",)
    assert (cls.sa_abstract, cls.tablename, cls.tablename_computed) == (True, None, True)


def test_mapped_column_foreign_key_is_a_column_relation(scan: Scan) -> None:
    facts = scan(
        """
        from sqlalchemy import ForeignKey
        from sqlalchemy.orm import Mapped, mapped_column
        from ledger.db import Base

        class Posting(Base):
            __tablename__ = "postings"
            account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"), index=True)
        """
    )
    assert relations(facts) == [
        ("account_id", "column-foreign-key", Target("column", "accounts.id"), None)
    ]


def test_relationship_target_comes_from_the_argument_or_the_annotation(scan: Scan) -> None:
    facts = scan(
        """
        from typing import List, Optional
        from sqlalchemy.orm import Mapped, relationship
        from ledger.db import Base
        from ledger.ledger.models import Account

        class Invoice(Base):
            __tablename__ = "invoices"
            entries = relationship("JournalEntry", secondary=invoice_entries)
            customer: Mapped[Optional["Customer"]] = relationship(back_populates="invoices")
            lines: Mapped[List["InvoiceLine"]] = relationship()
            account = relationship(lambda: Account)
            tags = relationship("Tag", secondary="invoice_tags")

        invoice_entries = None
        """,
        MODULE,
    )
    assert relations(facts) == [
        (
            "entries",
            "relationship",
            Target("class-name", "JournalEntry"),
            Target("ref", f"{MODULE}.invoice_entries"),
        ),
        ("customer", "relationship", Target("class-name", "Customer"), None),
        ("lines", "relationship", Target("class-name", "InvoiceLine"), None),
        ("account", "relationship", Target("ref", "ledger.ledger.models.Account"), None),
        ("tags", "relationship", Target("class-name", "Tag"), Target("table", "invoice_tags")),
    ]


def test_core_table_records_name_variable_metadata_and_foreign_keys(scan: Scan) -> None:
    facts = scan(
        """
        import sqlalchemy as sa
        from ledger.db import metadata

        invoice_entries = sa.Table(
            "invoice_entries",
            metadata,
            sa.Column("invoice_id", sa.ForeignKey("invoices.id"), primary_key=True),
            sa.Column("entry_id", sa.Integer, sa.ForeignKey("journal_entries.id")),
            schema="billing",
        )
        """
    )
    (table,) = facts.tables
    assert (table.name, table.variable, table.metadata, table.schema) == (
        "invoice_entries",
        "invoice_entries",
        "ledger.db.metadata",
        "billing",
    )
    assert [(r.field, r.target) for r in table.relations] == [
        ("invoice_id", Target("column", "invoices.id")),
        ("entry_id", Target("column", "journal_entries.id")),
    ]


def test_table_args_foreign_key_constraint_is_a_relation(scan: Scan) -> None:
    facts = scan(
        """
        from sqlalchemy import ForeignKeyConstraint
        from ledger.db import Base

        class Line(Base):
            __tablename__ = "lines"
            __table_args__ = (ForeignKeyConstraint(["invoice_id"], ["billing.invoices.id"]),)
        """
    )
    assert relations(facts) == [
        ("invoice_id", "column-foreign-key", Target("column", "billing.invoices.id"), None)
    ]


def test_a_table_named_table_from_another_library_is_not_a_core_table(scan: Scan) -> None:
    facts = scan(
        """
        import django_tables2 as tables

        class OrderTable(tables.Table):
            pass

        summary = tables.Table([])
        """
    )
    assert facts.tables == ()


def test_flask_sqlalchemy_db_object_models_and_relations(scan: Scan) -> None:
    facts = scan(
        """
        from flask_sqlalchemy import SQLAlchemy
        db = SQLAlchemy()

        class Users(db.Model):
            team_id = db.Column(db.Integer, db.ForeignKey("teams.id", ondelete="CASCADE"))
            team = db.relationship("Teams", foreign_keys="Users.team_id")
        """,
        "ctfd.models",
    )
    assert [(b.name, b.kind) for b in facts.bases] == [("db", "flask-sqlalchemy")]
    assert facts.classes[0].bases == ("ctfd.models.db.Model",)
    assert relations(facts) == [
        ("team_id", "column-foreign-key", Target("column", "teams.id"), None),
        ("team", "relationship", Target("class-name", "Teams"), None),
    ]


def test_sqlmodel_table_keyword_field_foreign_key_and_relationship(scan: Scan) -> None:
    facts = scan(
        """
        from typing import Optional
        from sqlmodel import Field, Relationship, SQLModel

        class Hero(SQLModel, table=True):
            team_id: Optional[int] = Field(default=None, foreign_key="team.id")
            team: Optional["Team"] = Relationship(back_populates="heroes")
        """
    )
    (cls,) = facts.classes
    assert [(k.name, k.value) for k in cls.keywords] == [("table", "True")]
    assert relations(facts) == [
        ("team_id", "column-foreign-key", Target("column", "team.id"), None),
        ("team", "relationship", Target("class-name", "Team"), None),
    ]


# --- ORM reads and writes ----------------------------------------------------------------


def test_session_query_is_a_read_and_its_delete_a_write(scan: Scan) -> None:
    facts = scan(
        """
        from ledger.billing.models import Invoice

        def clean(db_session):
            db_session.query(Invoice).filter(Invoice.status == "draft").all()
            db_session.query(Invoice).filter(Invoice.status == "void").delete()
        """
    )
    assert accesses(facts) == [
        ("ledger.billing.models.Invoice", "read", "session", "query"),
        ("ledger.billing.models.Invoice", "write", "session", "delete"),
    ]


def test_select_reads_every_entity_once_including_joins(scan: Scan) -> None:
    facts = scan(
        """
        from sqlalchemy import func, select
        from ledger.billing.models import Invoice, Customer
        from ledger.ledger.models import Posting

        stmt = (
            select(Invoice.number, func.sum(Posting.amount), Customer)
            .join(Posting, Posting.invoice_id == Invoice.id)
            .join(Customer)
        )
        """
    )
    assert [(t, k) for t, k, _, _ in accesses(facts)] == [
        ("ledger.billing.models.Invoice", "read"),
        ("ledger.ledger.models.Posting", "read"),
        ("ledger.billing.models.Customer", "read"),
    ]


def test_update_insert_and_delete_statements_are_writes(scan: Scan) -> None:
    facts = scan(
        """
        import sqlalchemy as sa
        from ledger.billing.models import Invoice

        def void(session, number):
            session.execute(sa.update(Invoice).where(Invoice.number == number).values(s="v"))
            session.execute(sa.insert(Invoice).values(number=number))
            session.execute(sa.delete(Invoice))
        """
    )
    assert [(k, m) for _, k, _, m in accesses(facts)] == [
        ("write", "update"),
        ("write", "insert"),
        ("write", "delete"),
    ]


def test_session_get_then_attribute_assignment_is_a_write(scan: Scan) -> None:
    facts = scan(
        """
        from sqlalchemy.orm import Session
        from ledger.billing.models import Invoice

        def mark_paid(db: Session, pk: int):
            invoice = db.get(Invoice, pk)
            invoice.status = "paid"
            db.commit()
        """
    )
    assert accesses(facts) == [
        ("ledger.billing.models.Invoice", "read", "session", "get"),
        ("ledger.billing.models.Invoice", "write", "instance-setattr", "status"),
    ]


def test_session_add_of_constructed_and_tracked_instances(scan: Scan) -> None:
    facts = scan(
        """
        from ledger.billing.models import Invoice, Line

        def create(session):
            invoice = Invoice(number="1")
            invoice.total = 3  # constructed, not loaded: not a write by itself
            session.add(invoice)
            session.add_all([Line(n=1), Line(n=2)])
        """
    )
    assert accesses(facts) == [
        ("ledger.billing.models.Invoice", "write", "session", "add"),
        ("ledger.billing.models.Line", "write", "session", "add_all"),
        ("ledger.billing.models.Line", "write", "session", "add_all"),
    ]


def test_rows_of_an_executed_select_are_instances(scan: Scan) -> None:
    facts = scan(
        """
        from sqlalchemy import select
        from ledger.billing.models import Invoice

        async def purge(session):
            for invoice in (await session.scalars(select(Invoice))).all():
                await session.delete(invoice)
        """
    )
    assert [(k, i, m) for _, k, i, m in accesses(facts)] == [
        ("read", "statement", "select"),
        ("write", "session", "delete"),
    ]


def test_flask_query_property_reads_and_writes(scan: Scan) -> None:
    facts = scan(
        """
        from ctfd.models import Users, db

        def ban(uid):
            user = Users.query.filter_by(id=uid).first_or_404()
            Users.query.filter(Users.id == 0).delete()
            db.session.delete(user)
            db.session.commit()
        """
    )
    assert accesses(facts) == [
        ("ctfd.models.Users", "read", "query-property", "filter_by"),
        ("ctfd.models.Users", "write", "query-property", "delete"),
        ("ctfd.models.Users", "write", "session", "delete"),
    ]


def test_sqlmodel_session_exec(scan: Scan) -> None:
    facts = scan(
        """
        from sqlmodel import Session, select
        from heroes.models import Hero

        def heroes(engine):
            with Session(engine) as session:
                return session.exec(select(Hero).where(Hero.age > 30)).all()
        """
    )
    assert accesses(facts) == [("heroes.models.Hero", "read", "statement", "select")]


def test_core_table_methods_are_reads_and_writes(scan: Scan) -> None:
    facts = scan(
        """
        from ledger.tables import invoices

        def archive(conn):
            conn.execute(invoices.insert().values(n=1))
            conn.execute(invoices.select().where(invoices.c.n == 1))
        """
    )
    assert accesses(facts) == [
        ("ledger.tables.invoices", "write", "table-method", "insert"),
        ("ledger.tables.invoices", "read", "table-method", "select"),
    ]


def test_module_function_called_update_is_not_a_table_write(scan: Scan) -> None:
    facts = scan(
        """
        from ledger.billing import service as invoice_service

        def edit(db_session, invoice):
            invoice_service.update(db_session=db_session, invoice=invoice)
        """
    )
    assert facts.accesses == ()


# --- raw SQL -----------------------------------------------------------------------------


def test_sqlalchemy_text_is_raw_sql(scan: Scan) -> None:
    facts = scan(
        """
        from sqlalchemy import text

        def balances(session):
            return session.execute(text("SELECT a.code FROM postings p JOIN accounts a ON a.id = p.account_id"))
        """
    )
    (raw,) = facts.raw_sql
    assert raw.via == "text"
    assert [t.name for t in raw.tables] == ["accounts", "postings"]


def test_text_from_another_library_is_sql_only_when_it_looks_like_sql(scan: Scan) -> None:
    facts = scan(
        """
        from myapp.i18n import text

        text("Welcome back")
        text("UPDATE counters SET n = n + 1")
        """
    )
    assert [[t.name for t in r.tables] for r in facts.raw_sql] == [["counters"]]


def test_a_sql_fragment_without_tables_is_not_recorded(scan: Scan) -> None:
    facts = scan(
        """
        import sqlalchemy as sa
        flag = sa.Column(sa.Boolean, server_default=sa.text("false"))
        """
    )
    assert facts.raw_sql == ()


# --- transactions ------------------------------------------------------------------------


def test_session_begin_block_lists_writes(scan: Scan) -> None:
    facts = scan(
        """
        from ledger.ledger.models import JournalEntry

        def post(session, entry):
            with session.begin():
                session.add(JournalEntry(ref="x"))
        """
    )
    (tx,) = facts.transactions
    assert (tx.kind, tx.callee, tx.line) == ("begin", "session.begin", 5)
    assert [facts.accesses[i].method for i in tx.writes] == ["add"]


def test_engine_begin_counts_raw_sql_writes(scan: Scan) -> None:
    facts = scan(
        """
        from sqlalchemy import text
        from ledger.db import engine

        def reset():
            with engine.begin() as conn:
                conn.execute(text("DELETE FROM postings"))
        """
    )
    (tx,) = facts.transactions
    assert (tx.kind, tx.callee, tx.writes, tx.raw_writes) == ("begin", "engine.begin", (), (0,))


def test_commit_closes_a_transaction_over_the_writes_before_it(scan: Scan) -> None:
    facts = scan(
        """
        from ledger.billing.models import Invoice, Line
        from ledger.ledger import service as ledger_service

        def create(db_session, data):
            invoice = Invoice(**data)
            db_session.add(invoice)
            ledger_service.post(db_session, invoice)
            db_session.commit()
            db_session.add(Line(invoice=invoice))
            db_session.commit()
        """
    )
    first, second = facts.transactions
    assert (first.kind, first.callee, first.line) == ("commit", "db_session.commit", 9)
    assert first.writes == (0,)
    assert first.calls == ("ledger.ledger.service.post",)
    assert (second.writes, second.calls) == ((1,), ())


def test_commit_inside_a_session_block_is_not_a_second_transaction(scan: Scan) -> None:
    facts = scan(
        """
        from ledger.db import SessionLocal
        from ledger.billing.models import Invoice

        def create():
            with SessionLocal() as session:
                session.add(Invoice())
                session.commit()
        """
    )
    (tx,) = facts.transactions
    assert (tx.kind, tx.callee, len(tx.writes)) == ("session", "SessionLocal", 1)


def test_registry_and_generated_base_are_bases(scan: Scan) -> None:
    facts = scan(
        """
        from sqlalchemy.orm import registry
        mapper_registry = registry()
        Base = mapper_registry.generate_base()
        """,
        "ledger.db",
    )
    assert [(b.name, b.kind) for b in facts.bases] == [
        ("mapper_registry", "registry"),
        ("Base", "generated-base"),
    ]


def test_execute_on_an_imported_engine_is_raw_sql(scan: Scan) -> None:
    facts = scan(
        """
        from ctfd.models import db

        def wipe():
            db.engine.execute("DELETE FROM solves")
        """
    )
    assert [(r.via, [t.name for t in r.tables]) for r in facts.raw_sql] == [("execute", ["solves"])]


def test_class_mapped_to_a_core_table(scan: Scan) -> None:
    facts = scan(
        """
        from sqlalchemy import Column, Integer, Table
        from ledger.db import Base, metadata
        from ledger.tables import accounts

        class Posting(Base):
            __table__ = Table("postings", metadata, Column("id", Integer, primary_key=True))

        class Account(Base):
            __table__ = accounts
        """,
        MODULE,
    )
    posting, account = facts.classes
    assert (posting.table, posting.table_ref) == ("postings", None)
    assert (account.table, account.table_ref) == (None, "ledger.tables.accounts")
    (table,) = facts.tables
    assert (table.name, table.variable, table.scope) == ("postings", "__table__", "Posting")


def test_sql_built_from_many_concatenated_parts_is_read_whole(scan: Scan) -> None:
    parts = " + ".join(f'"col{i}, "' for i in range(40))
    facts = scan(f'cursor.execute("SELECT " + {parts} + "x FROM ledger_rows")\n')
    (raw,) = facts.raw_sql
    assert raw.sql.startswith("SELECT col0, col1, ")
    assert [t.name for t in raw.tables] == ["ledger_rows"]
