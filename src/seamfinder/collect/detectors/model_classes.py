"""Class declarations: bases, decorators, ``Meta``, ``__tablename__``/``__table__``, and the
relation fields, columns and managers in the body (Django and SQLAlchemy alike).

Every class becomes a :class:`~seamfinder.collect.facts.ClassFact`; the resolver decides
from its bases which are models.
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from seamfinder.collect.detectors import django_orm, sqlalchemy_orm
from seamfinder.collect.facts import ClassFact, ClassKeyword, DjangoMeta, ManagerFact, RelationFact
from seamfinder.collect.scanner.hooks import Detector
from seamfinder.collect.scanner.spelling import const_str, describe, last

if TYPE_CHECKING:
    from seamfinder.collect.scanner.evaluator import Scanner


class ModelClassReader:
    """Reads one class body; :meth:`finish` writes its :class:`ClassFact` in its slot."""

    def __init__(self, scanner: Scanner, node: ast.ClassDef, qualname: str) -> None:
        self.scanner = scanner
        self.node = node
        self.qualname = qualname
        self.parent = scanner.scope
        dotted = scanner.dotted
        self.decorators = tuple(
            dotted(d.func if type(d) is ast.Call else d) for d in node.decorator_list
        )
        self.bases = tuple(dotted(b.value if type(b) is ast.Subscript else b) for b in node.bases)
        self.keywords = tuple(
            ClassKeyword(k.arg, _keyword_text(scanner, k.value))
            for k in node.keywords
            if k.arg is not None
        )
        self.slot = len(scanner.sink.classes)
        scanner.sink.classes.append(None)
        self.meta: DjangoMeta | None = None
        self.tablename: str | None = None
        self.tablename_computed = False
        self.sa_abstract: bool | None = None
        self.table: str | None = None
        self.table_ref: str | None = None
        self.relations: list[RelationFact] = []
        self.managers: list[ManagerFact] = []
        self.schema: str | None = None
        self.django_fields = False

    def statement(self, stmt: ast.stmt) -> bool:
        if type(stmt) is ast.ClassDef and stmt.name == "Meta":
            self.meta = django_orm.django_meta(self.scanner, stmt)
            return False  # its options are not code the pass walks
        if type(stmt) is ast.FunctionDef or type(stmt) is ast.AsyncFunctionDef:
            if stmt.name == "__tablename__":
                self.tablename_computed = True
            elif stmt.name.strip("_").endswith("table_args"):
                # ``@declared_attr def __table_args__``, or the ``__auto_table_args`` that a
                # helper merges into it (indico's ``auto_table_args(cls)``)
                for node in ast.walk(stmt):
                    if type(node) is ast.Return and node.value is not None:
                        self.schema = table_schema(node.value) or self.schema
        elif type(stmt) is ast.Assign:
            for target in stmt.targets:
                if type(target) is ast.Name:
                    self.assignment(target.id, stmt.value, None)
        elif type(stmt) is ast.AnnAssign and type(stmt.target) is ast.Name:
            self.assignment(stmt.target.id, stmt.value, stmt.annotation)
        return True

    def assignment(self, name: str, value: ast.expr | None, annotation: ast.expr | None) -> None:
        if name == "__tablename__":
            self.tablename = const_str(value)
        elif name == "__abstract__":
            if type(value) is ast.Constant and type(value.value) is bool:
                self.sa_abstract = value.value
        elif name == "__table__":
            if type(value) is ast.Call:
                self.table = const_str(value.args[0]) if value.args else None
            elif value is not None:
                self.table_ref = self.scanner.dotted(value) or None
        elif name == "__table_args__" and value is not None:
            self.relations.extend(sqlalchemy_orm.constraint_relations(self.scanner, value))
            self.schema = table_schema(value) or self.schema
        elif name.strip("_").endswith("table_args") and value is not None:
            self.schema = table_schema(value) or self.schema  # indico's __auto_table_args
        elif type(value) is ast.Call:
            self.field(name, value, annotation)

    def field(self, name: str, value: ast.Call, annotation: ast.expr | None) -> None:
        """A field, relationship or manager declared in the class body."""

        scanner = self.scanner
        func = value.func
        if type(func) is ast.Call:  # Manager.from_queryset(QuerySet)()
            self.managers.append(ManagerFact(name, scanner.dotted(func.func), value.lineno))
            return
        callee = scanner.dotted(func) or describe(func)
        if callee.startswith(_DJANGO_FIELDS):
            self.django_fields = True
        relation = django_orm.relation_field(scanner, name, value, callee)
        if relation is not None:
            self.relations.append(relation)
            return
        name_called = last(callee)
        if name_called in sqlalchemy_orm.COLUMN_CALLS:
            self.relations.extend(sqlalchemy_orm.column_relations(scanner, name, value))
        elif name_called in sqlalchemy_orm.RELATIONSHIP_CALLS:
            self.relations.append(
                sqlalchemy_orm.relationship(scanner, name, value, callee, annotation)
            )
        elif name_called.endswith(("Manager", "manager")) or name_called == "as_manager":
            self.managers.append(ManagerFact(name, callee, value.lineno))

    def finish(self) -> None:
        node = self.node
        self.scanner.sink.classes[self.slot] = ClassFact(
            node.name,
            self.qualname,
            self.bases,
            self.keywords,
            self.decorators,
            self.meta,
            self.tablename,
            self.tablename_computed,
            self.sa_abstract,
            self.table,
            self.table_ref,
            tuple(self.relations),
            tuple(self.managers),
            self.parent,
            node.lineno,
            node.col_offset + 1,
            self.schema,
            self.django_fields,
        )


_DJANGO_FIELDS = ("django.db.models.", "django.contrib.gis.db.models.", "django.contrib.postgres.")


def table_schema(node: ast.expr) -> str | None:
    """The schema of a ``__table_args__`` value: ``{"schema": "events"}``, a tuple ending
    in such a dict, or a call given ``schema=`` (indico's ``auto_table_args(cls, schema=)``)."""

    if type(node) is ast.Tuple and node.elts:
        node = node.elts[-1]
    if type(node) is ast.Dict:
        for key, value in zip(node.keys, node.values, strict=True):
            if key is not None and const_str(key) == "schema":
                return const_str(value)
    elif type(node) is ast.Call:
        for keyword in node.keywords:
            if keyword.arg == "schema":
                return const_str(keyword.value)
    return None


def _keyword_text(scanner: Scanner, node: ast.expr) -> str:
    if type(node) is ast.Constant:
        return repr(node.value)
    return scanner.dotted(node)


DETECTOR = Detector(
    "model-classes",
    tokens=(),
    class_reader=ModelClassReader,
)
