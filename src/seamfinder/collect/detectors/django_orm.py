"""Django's ORM: lookups in queryset arguments, shortcuts, model fields and ``Meta``.

Queryset chains themselves are :mod:`~seamfinder.collect.detectors.queries`; this module
adds what only Django spells: lookup paths (``filter(customer__name=...)``, ``Q``, ``F``,
``Count("lines")``, ``select_related("x")``), ``get_object_or_404``, relation fields
(``ForeignKey("app.Model")``, ``ManyToManyField(through=...)``) and ``class Meta``.
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from seamfinder.collect.facts import DjangoMeta, LookupFact, RelationFact, RelationKind, Target
from seamfinder.collect.scanner.hooks import CallHandler, CallRule, Detector
from seamfinder.collect.scanner.spelling import (
    ORM_ROOTS,
    argument,
    const_str,
    describe,
    label_of_args,
    last,
    model_of,
    root,
    with_async,
)
from seamfinder.collect.scanner.values import Inst, Query, Sym, Value

if TYPE_CHECKING:
    from seamfinder.collect.scanner.evaluator import Scanner

_Located = ast.expr | ast.stmt | ast.keyword

_LOOKUP_KWARG_METHODS = with_async(
    "filter exclude get get_or_create update_or_create annotate alias aggregate"
)
_LOOKUP_STRING_METHODS = frozenset(
    [
        "order_by",
        "values",
        "values_list",
        "select_related",
        "prefetch_related",
        "only",
        "defer",
        "distinct",
    ]
)
_RELATION_PATH_METHODS = frozenset({"select_related", "prefetch_related"})
_LOOKUP_CALLS = frozenset(
    [
        "F",
        "Count",
        "Sum",
        "Avg",
        "Min",
        "Max",
        "StdDev",
        "Variance",
        "ArrayAgg",
        "StringAgg",
        "JSONBAgg",
        "Prefetch",
        "FilteredRelation",
        "Coalesce",
        "Greatest",
        "Least",
        "Q",
    ]
)
_ALWAYS_RELATION_CALLS = frozenset({"Prefetch", "FilteredRelation"})
_SHORTCUTS = frozenset(
    ["get_object_or_404", "get_list_or_404", "aget_object_or_404", "aget_list_or_404"]
)
_RELATIONS: dict[str, RelationKind] = {
    "ForeignKey": "foreign-key",
    "TreeForeignKey": "foreign-key",
    "ParentalKey": "foreign-key",
    "OneToOneField": "one-to-one",
    "TreeOneToOneField": "one-to-one",
    "AutoOneToOneField": "one-to-one",
    "ManyToManyField": "many-to-many",
    "TreeManyToManyField": "many-to-many",
    "ParentalManyToManyField": "many-to-many",
    "SortedManyToManyField": "many-to-many",
    "GenericForeignKey": "generic-foreign-key",
    "GenericRelation": "generic-relation",
}


def django_arguments(scanner: Scanner, node: ast.Call, target: Target, method: str) -> None:
    """Lookup paths in a queryset method's arguments, with Q/F/aggregates nested in them."""

    if method in _LOOKUP_KWARG_METHODS:
        for keyword in node.keywords:
            if keyword.arg and "__" in keyword.arg and keyword.arg != "defaults":
                add_lookup(scanner, target, keyword.arg, method, keyword)
    if method in _LOOKUP_STRING_METHODS:
        always = method in _RELATION_PATH_METHODS
        for arg in node.args:
            text = const_str(arg)
            if text is not None:
                path = text.lstrip("-?")
                if "__" in path or (always and path):
                    add_lookup(scanner, target, path, method, arg)
    outer = scanner.lookup_target
    scanner.lookup_target = target
    scanner.visit_arguments(node)
    scanner.lookup_target = outer


def add_lookup(scanner: Scanner, target: Target, path: str, method: str, at: _Located) -> None:
    scanner.sink.lookups.append(
        LookupFact(target, path, method, scanner.scope, at.lineno, at.col_offset + 1)
    )


def lookup_call(scanner: Scanner, node: ast.Call, dotted: str) -> Value:
    """``Q(x__y=1)``, ``F("x__y")``, ``Count("lines")`` inside a queryset's arguments."""

    name = last(dotted)
    target = scanner.lookup_target
    if target is not None:
        if name == "Q":
            for keyword in node.keywords:
                if keyword.arg and "__" in keyword.arg:
                    add_lookup(scanner, target, keyword.arg, "Q", keyword)
        elif node.args:
            text = const_str(node.args[0])
            if text is not None and ("__" in text or name in _ALWAYS_RELATION_CALLS):
                add_lookup(scanner, target, text, name, node.args[0])
    scanner.visit_arguments(node)
    return None


def shortcut(scanner: Scanner, node: ast.Call, dotted: str) -> Value:
    """``get_object_or_404(Order, pk=1)``: a read of the model (or of a queryset's)."""

    values = scanner.argument_values(node)
    if not node.args:
        return None
    first = values[0]
    if type(first) is Sym:
        model = model_of(first)
        if model is not None and not model[1]:
            scanner.record(model[0], "read", "shortcut", last(dotted), "", node)
            return Inst(model[0])
    elif type(first) is Query:
        return Inst(first.targets[0])
    return None


def django_target(scanner: Scanner, node: ast.expr) -> Target | None:
    """The model a relation field or ``Meta.model`` names: label, setting or class."""

    text = const_str(node)
    if text is not None:
        return Target("model-label", text)
    if type(node) is ast.Call:
        return _swappable(scanner, node)
    value = scanner.static(node)
    if type(value) is not Sym:
        return None
    if value.label:
        return value.model
    dotted = value.dotted
    if last(dotted) == "AUTH_USER_MODEL" or dotted.endswith("settings.AUTH_USER_MODEL"):
        return Target("setting", "AUTH_USER_MODEL")
    if ".settings." in dotted or dotted.startswith("settings."):
        return Target("setting", last(dotted))
    return Target("ref", dotted)


def _swappable(scanner: Scanner, node: ast.Call) -> Target | None:
    """``swapper.get_model_name("app", "Model")`` (the default label; a project that swaps
    the model says so in settings, which a static reader cannot weigh) and
    ``get_user_model()`` as a relation's target."""

    name = last(scanner.dotted(node.func) or describe(node.func))
    if name == "get_user_model":
        return Target("setting", "AUTH_USER_MODEL")
    if name in ("get_model_name", "load_model", "get_model"):
        label = label_of_args(node)
        return Target("model-label", label) if label else None
    return None


def relation_kind(callee: str) -> RelationKind | None:
    """The kind of relation a field class declares, by its (last) name."""

    name = last(callee)
    kind = _RELATIONS.get(name)
    if kind is not None:
        return kind
    if name.endswith("ManyToManyField"):
        return "many-to-many"
    if name.endswith("OneToOneField"):
        return "one-to-one"
    if name.endswith("ForeignKey"):
        return "foreign-key"
    return None


def relation_field(
    scanner: Scanner, name: str, value: ast.Call, callee: str
) -> RelationFact | None:
    """``customer = models.ForeignKey("accounts.Customer", ...)`` (not SQLAlchemy's)."""

    kind = relation_kind(callee)
    if kind is None or root(callee) in ORM_ROOTS:
        return None
    target_node = argument(value, 0, "to")
    target = None
    if kind != "generic-foreign-key" and target_node is not None:
        target = django_target(scanner, target_node)
    through_node = argument(value, None, "through")
    through = django_target(scanner, through_node) if through_node is not None else None
    related_node = argument(value, None, "related_name")
    return RelationFact(
        name,
        kind,
        callee or last(callee),
        target,
        through,
        value.lineno,
        value.col_offset + 1,
        const_str(related_node) if related_node is not None else None,
    )


def django_meta(scanner: Scanner, node: ast.ClassDef) -> DjangoMeta:
    """``class Meta:`` of a model (or of a form: ``model = Order``)."""

    texts: dict[str, str] = {}
    flags: dict[str, bool] = {}
    model: Target | None = None
    options: set[str] = set()
    for stmt in node.body:
        if type(stmt) is ast.Assign and len(stmt.targets) == 1:
            target = stmt.targets[0]
            if type(target) is not ast.Name:
                continue
            options.add(target.id)
            value = stmt.value
            if type(value) is ast.Constant:
                texts.pop(target.id, None)
                flags.pop(target.id, None)
                if type(value.value) is str:
                    texts[target.id] = value.value
                elif type(value.value) is bool:
                    flags[target.id] = value.value
            elif target.id == "model":
                model = django_target(scanner, value)
    return DjangoMeta(
        texts.get("db_table"),
        flags.get("abstract"),
        flags.get("proxy"),
        texts.get("app_label"),
        flags.get("managed"),
        tuple(scanner.dotted(b) for b in node.bases),
        model,
        node.lineno,
        tuple(sorted(options)),
    )


_LOOKUPS: dict[str, CallHandler] = dict.fromkeys(_LOOKUP_CALLS, lookup_call)

DETECTOR = Detector(
    "django-orm",
    tokens=(
        b"ForeignKey",
        b"ManyToMany",
        b"OneToOne",
        b"ParentalKey",
        b"get_object_or_404",
    ),
    calls=(
        CallRule(90, lambda dotted: last(dotted) in _SHORTCUTS, shortcut),
        CallRule(110, lambda dotted: last(dotted) in _LOOKUP_CALLS, lookup_call),
    ),
    # ``Q``/``F`` used without an import the pass resolved (a star import, say)
    names=_LOOKUPS,
)
