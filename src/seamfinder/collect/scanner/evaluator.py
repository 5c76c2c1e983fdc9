"""The interpreter of the data-access pass: one walk in source order, scopes and values.

:class:`Scanner` walks a module's tree once. Statements manage scopes and bindings;
expressions are evaluated (:meth:`Scanner.evaluate`) to a
:data:`~seamfinder.collect.scanner.values.Value` so that a chain such as
``X.objects.filter().update()`` becomes one value and one access. Calls and a few
statements are handed to the detectors (:mod:`seamfinder.collect.scanner.hooks`), which
write facts to :attr:`Scanner.sink`.

What the interpreter follows, and what it deliberately does not:

* Names resolve through imports (at any level, relative ones included), module-level
  definitions (``<module>.<Name>``, bound before the walk so functions may use names
  defined below them) and ``get_model`` loaders. A function's own local names are tracked
  only when bound to something the pass understands (instance, queryset, session, HTTP
  client, string); any other local assignment hides the outer name. Flow is linear:
  the last binding in source order wins, branches are not merged.
* ``self`` in a method is an instance of the enclosing class and ``cls`` the class itself,
  so ``self.save()`` and ``cls.objects.filter()`` are recorded against that class (the
  resolver drops them when the class is not a model).
* A class is recognised by spelling: the last capitalised part of a dotted name
  (``shop.models.Order.objects`` splits into ``shop.models.Order`` and ``objects``);
  ALL-CAPS names are constants, not classes.
* Not followed: values passed through function parameters (except ones annotated with a
  model class or a ``Session``), attributes of instances (``order.customer.save()``),
  containers, and anything computed at runtime (``getattr``, ``type(...)``).
"""

from __future__ import annotations

import ast
import builtins
from collections.abc import Callable

from seamfinder.collect.facts import AccessKind, ClassUseFact, Target
from seamfinder.collect.scanner import bindings, flow
from seamfinder.collect.scanner.frames import Frame
from seamfinder.collect.scanner.hooks import UNKNOWN, Closer, Registry
from seamfinder.collect.scanner.sink import FactSink
from seamfinder.collect.scanner.spelling import (
    NOT_ENTITY_ROOTS,
    guessed_model,
    is_config_expr,
    is_string_expr,
    named_session,
    root,
    split_dotted,
)
from seamfinder.collect.scanner.values import (
    ATOMIC,
    BEGIN,
    HIDDEN,
    SESSION,
    Http,
    Inst,
    Query,
    Related,
    Seq,
    Session,
    StrNode,
    Sym,
    Value,
    bound_query,
    element_of,
)

_BUILTINS = frozenset(dir(builtins))
_Located = ast.expr | ast.stmt | ast.keyword

_CHILD_FIELDS: dict[type, tuple[str, ...]] = {}
_NOT_CHILD_FIELDS = frozenset(
    {
        "ctx",
        "op",
        "ops",
        "id",
        "arg",
        "attr",
        "module",
        "level",
        "type_comment",
        "kind",
        "is_async",
        "conversion",
        "names",
        "name",
        "lineno",
        "col_offset",
        "end_lineno",
        "end_col_offset",
        "n",
        "s",
        "tag",
        "simple",
    }
)
_LEAVES = frozenset({ast.Name, ast.Constant, ast.Pass, ast.Break, ast.Continue, ast.alias})


def _child_fields(node_type: type[ast.AST]) -> tuple[str, ...]:
    fields = tuple(f for f in node_type._fields if f not in _NOT_CHILD_FIELDS)
    if node_type is ast.MatchSingleton or node_type is ast.Constant:
        fields = ()
    _CHILD_FIELDS[node_type] = fields
    return fields


class Scanner:
    """One walk over one module's tree, in source order, handing values to detectors."""

    def __init__(self, module: str, is_package: bool, data: bytes, registry: Registry) -> None:
        self.module = module
        self.is_package = is_package
        self.package = module if is_package else module.rpartition(".")[0]
        self.registry = registry
        self.hooks = registry.active(data)
        # ``from x import *`` binds names the file cannot list; an unknown name then
        # resolves to ``<module>.<name>`` and the resolver follows the star import.
        self.star_import = b"import *" in data
        self.sink = FactSink()
        self.module_frame = Frame("", False, None)
        self.frame = self.module_frame
        self.type_checking = 0
        self.conditional = 0
        # The model whose lookups a nested ``Q``/``F`` names (set by the Django detector).
        self.lookup_target: Target | None = None
        # The call being assigned to a name (``Base = declarative_base()``), and the name.
        self.assign_value: ast.AST | None = None
        self.assign_name = ""
        # Classes whose attributes this file uses (``Identity.identifier == x``,
        # ``EventRole.get(id)``): a model used in query code; recorded once per class.
        self.class_attributes: set[str] = set()
        self.string_depth = 0

    # -- driving ---------------------------------------------------------------------

    def run(self, tree: ast.Module) -> None:
        bindings.prebind(self, tree.body)
        self.visit_body(tree.body)

    def visit(self, node: ast.AST) -> None:
        node_type = type(node)
        handler = _HANDLERS.get(node_type)
        if handler is not None:
            handler(self, node)
            return
        fields = _CHILD_FIELDS.get(node_type)
        if fields is None:
            fields = _child_fields(node_type)
        for name in fields:
            child = getattr(node, name, None)
            if child is None:
                continue
            if type(child) is list:
                for item in child:
                    if type(item) not in _LEAVES and isinstance(item, ast.AST):
                        self.visit(item)
            elif type(child) not in _LEAVES and isinstance(child, ast.AST):
                self.visit(child)

    def visit_body(self, body: list[ast.stmt]) -> None:
        for stmt in body:
            if type(stmt) not in _LEAVES:
                self.visit(stmt)

    @property
    def scope(self) -> str:
        return self.frame.qualname

    # -- names -----------------------------------------------------------------------

    def lookup(self, name: str) -> Value:
        frame: Frame | None = self.frame
        while frame is not None:
            value = frame.bindings.get(name)
            if value is not None:
                return None if value is HIDDEN else value
            frame = frame.lookup_parent
        if self.star_import and name not in _BUILTINS:
            return Sym(f"{self.module}.{name}")
        return None

    def bind(self, name: str, value: Value) -> None:
        frame = self.frame
        if value is not None:
            frame.bindings[name] = value
        elif frame.is_function:
            frame.bindings[name] = HIDDEN
        elif frame is self.module_frame:
            # Whatever it holds, a module-level name resolves to ``<module>.<name>``.
            frame.bindings[name] = Sym(f"{self.module}.{name}")
        else:
            frame.bindings.pop(name, None)

    def static(self, node: ast.AST) -> Value:
        """The value of a name or attribute chain, without recording anything."""

        if type(node) is ast.Name:
            return self.lookup(node.id)
        if type(node) is ast.Attribute:
            base = self.static(node.value)
            if type(base) is Sym:
                return base.attr(node.attr)
        return None

    def dotted(self, node: ast.AST) -> str:
        value = self.static(node)
        if type(value) is Sym and not value.label:
            return value.dotted
        return ""

    # -- loops and assignments -------------------------------------------------------

    def visit_for(self, node: ast.For | ast.AsyncFor) -> None:
        iterated = self.use(node.iter)
        self.bind_target(node.target, element_of(iterated))
        self.visit_body(node.body)
        self.visit_body(node.orelse)

    def visit_comprehension(
        self, node: ast.ListComp | ast.SetComp | ast.GeneratorExp | ast.DictComp
    ) -> None:
        for generator in node.generators:
            iterated = self.use(generator.iter)
            self.bind_target(generator.target, element_of(iterated))
            for condition in generator.ifs:
                self.visit(condition)
        if type(node) is ast.DictComp:
            self.visit(node.key)
            self.visit(node.value)
        else:
            assert not isinstance(node, ast.DictComp)
            self.visit(node.elt)

    # -- assignments -----------------------------------------------------------------

    def visit_expr(self, node: ast.Expr) -> None:
        value = node.value
        if self.hooks.module_calls and not self.frame.is_function and type(value) is ast.Call:
            for hook in self.hooks.module_calls:
                hook(self, value)
        if type(value) is not ast.Constant:  # docstrings
            self.use(value)

    def module_assignment(self, name: str, value: ast.expr, *, augmented: bool) -> None:
        hooks = self.hooks.assignments.get(name)
        if hooks and not self.frame.is_function:
            for hook in hooks:
                hook(self, name, value, augmented)

    def visit_assign(self, node: ast.Assign) -> None:
        value_node = node.value
        targets = node.targets
        first = targets[0]
        if len(targets) == 1 and type(first) is ast.Name:
            name = first.id
            self.module_assignment(name, value_node, augmented=False)
            if is_string_expr(value_node) or is_config_expr(value_node):
                self.visit(value_node)
                self.bind(name, StrNode(value_node))
                return
            self.assign_value, self.assign_name = value_node, name
            value = self.use(value_node)
            self.assign_value, self.assign_name = None, ""
            self.bind_target(first, value)
            return
        value = self.use(value_node)
        for target in targets:
            self.bind_target(target, value)

    def visit_ann_assign(self, node: ast.AnnAssign) -> None:
        target = node.target
        if node.value is None:
            return
        value_node = node.value
        if type(target) is ast.Name:
            self.module_assignment(target.id, value_node, augmented=False)
            if is_string_expr(value_node):
                self.visit(value_node)
                self.bind(target.id, StrNode(value_node))
                return
            self.assign_value, self.assign_name = value_node, target.id
        value = self.use(value_node)
        self.assign_value, self.assign_name = None, ""
        if value is None:
            value = bindings.annotated_value(self, node.annotation)
        self.bind_target(target, value)

    def visit_aug_assign(self, node: ast.AugAssign) -> None:
        target = node.target
        if type(target) is ast.Name:
            self.module_assignment(target.id, node.value, augmented=True)
        self.use(node.value)
        if type(target) is not ast.Name:
            self.use(target)

    def bind_target(self, target: ast.expr, value: Value) -> None:
        if type(target) is ast.Name:
            if type(value) is Query:
                value = bound_query(value)
            elif type(value) is Inst:
                if value.tuple_:
                    value = None
                elif value.query is not None:
                    value = Inst(value.target)
            self.bind(target.id, value)
        elif type(target) is ast.Tuple or type(target) is ast.List:
            bindings.bind_unpacked(self, target.elts, value)
        elif type(target) is ast.Attribute:
            self.bind_attribute(target, value)
        elif type(target) is ast.Subscript:
            self.use(target)
        elif type(target) is ast.Starred:
            self.bind_target(target.value, None)

    def bind_attribute(self, target: ast.Attribute, value: Value) -> None:
        owner = self.lookup(target.value.id) if type(target.value) is ast.Name else None
        if type(owner) is Inst:
            if not owner.is_self and owner.loaded:
                self.record(owner.target, "write", "instance-setattr", target.attr, "", target)
            elif owner.is_self and value is not None:
                class_frame = self.frame.class_frame
                if class_frame is not None and type(value) in (Http, Session):
                    class_frame.self_attrs[target.attr] = value
        self.use(target.value)

    # -- functions, classes and ``with`` ---------------------------------------------

    def visit_function(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        values = [self.use(decorator) for decorator in node.decorator_list]
        for hook in self.registry.functions:
            hook(self, node)
        openers = [hook(self, node.decorator_list, values) for hook in self.registry.decorators]
        args = node.args
        for default in args.defaults:
            self.visit(default)
        for kw_default in args.kw_defaults:
            if kw_default is not None:
                self.visit(kw_default)
        parent = self.frame
        qualname = f"{parent.qualname}.{node.name}" if parent.qualname else node.name
        lookup_parent: Frame | None = parent
        while (
            lookup_parent is not None
            and not lookup_parent.is_function
            and (lookup_parent.class_target is not None)
        ):
            lookup_parent = lookup_parent.lookup_parent  # class scopes are not visible
        frame = Frame(
            qualname,
            True,
            lookup_parent,
            class_frame=parent if parent.class_target is not None else parent.class_frame,
        )
        bindings.bind_parameters(self, node, frame, parent)
        self.frame = frame
        closers = [opener() for opener in openers if opener is not None]
        self.visit_body(node.body)
        for close in reversed(closers):
            close()
        self.frame = parent

    def visit_class(self, node: ast.ClassDef) -> None:
        for decorator in node.decorator_list:
            self.use(decorator)
        for base in node.bases:
            self.use(base)
        for keyword in node.keywords:
            self.use(keyword.value)
        parent = self.frame
        qualname = f"{parent.qualname}.{node.name}" if parent.qualname else node.name
        readers = [start(self, node, qualname) for start in self.registry.class_readers]
        target = Target("ref", f"{self.module}.{qualname}")
        frame = Frame(qualname, False, parent, class_target=target)
        frame.class_frame = frame
        self.frame = frame
        for stmt in node.body:
            walk = True
            for reader in readers:
                walk = reader.statement(stmt) and walk
            if walk:
                self.visit(stmt)
        self.frame = parent
        for reader in readers:
            reader.finish()

    def visit_with(self, node: ast.With | ast.AsyncWith) -> None:
        closers: list[Closer] = []
        for item in node.items:
            context = item.context_expr
            value = self.use(context)
            for hook in self.registry.with_items:
                close = hook(self, context, value)
                if close is not None:
                    closers.append(close)
            if item.optional_vars is not None:
                bound = value
                if value is BEGIN:
                    bound = SESSION  # ``with engine.begin() as conn``: conn executes
                elif value is ATOMIC:
                    bound = None
                self.bind_target(item.optional_vars, bound)
        self.visit_body(node.body)
        for close in reversed(closers):
            close()

    # -- expressions -----------------------------------------------------------------

    def use(self, node: ast.AST) -> Value:
        """Evaluate ``node`` as a value that is used: pending queries become accesses."""

        value = self.evaluate(node)
        if type(value) is Query:
            if value.pending:
                self.record_query(value)
        elif type(value) is Inst and value.query is not None and value.query.pending:
            self.record_query(value.query)
        return value

    def evaluate(self, node: ast.AST) -> Value:
        if type(node) is ast.Call:
            return self.evaluate_call(node)
        if type(node) is ast.Name:
            value = self.lookup(node.id)
            if value is None and named_session(node.id):
                return SESSION  # ``db_session``, ``session``: by name, as people write them
            return value
        if type(node) is ast.Attribute:
            return self.evaluate_attribute(node)
        if type(node) is ast.Subscript:
            return self.evaluate_subscript(node)
        if type(node) is ast.Await:
            return self.evaluate(node.value)
        if type(node) is ast.BoolOp:  # ``X.query.filter(...).first() or X(...)``
            values = [self.use(operand) for operand in node.values]
            return next((v for v in values if type(v) is Inst), None)
        if type(node) is ast.NamedExpr:  # ``if device := Device.objects.first():``
            value = self.use(node.value)
            self.bind_target(node.target, value)
            return value
        if type(node) is ast.List or type(node) is ast.Tuple:
            return Seq([self.use(e) for e in node.elts])
        if type(node) is ast.Constant:
            return None
        self.visit(node)
        return None

    def evaluate_attribute(self, node: ast.Attribute) -> Value:
        base = self.evaluate(node.value)
        attr = node.attr
        if type(base) is Sym:
            if not base.label and attr[:1].islower() and base.dotted not in self.class_attributes:
                self.note_class_attribute(base.dotted, attr, node)
            return base.attr(attr)
        if type(base) is Inst:
            if base.is_self:
                if attr == "__class__":
                    return Sym(base.target.value)
                class_frame = self.frame.class_frame
                if class_frame is not None:
                    # ``self.client`` set in a method, or ``self.model`` set in the class body
                    bound = class_frame.self_attrs.get(attr) or class_frame.bindings.get(attr)
                    if bound is not None and bound is not HIDDEN:
                        return bound
            elif base.query is not None and base.query.pending:
                self.record_query(base.query)
            if "session" in attr.lower():
                return SESSION
            if attr[:1].islower():
                return Related(base.target, attr)  # order.lines: maybe a related manager
            return None
        if type(base) is Query and base.pending:
            self.record_query(base)
            return None
        if "ession" in attr and "session" in attr.lower():
            return SESSION
        if (base is None or type(base) is Related) and attr[:1].islower():
            # ``checkout.payments``, ``checkout_info.checkout.payments``: an object the pass
            # cannot follow, named as people name instances of a model (``Checkout``).
            owner = guessed_model(node.value)
            if owner:
                return Related(Target("class-name", owner), attr)
        return None

    def evaluate_subscript(self, node: ast.Subscript) -> Value:
        base = self.evaluate(node.value)
        self.visit(node.slice)
        if type(base) is Query:
            if type(node.slice) is ast.Slice:
                return base
            if base.rows:
                return None
            return Inst(base.targets[0], base if base.pending else None)
        if type(base) is Inst and base.query is not None and base.query.pending:
            self.record_query(base.query)
        return None

    def evaluate_call(self, node: ast.Call) -> Value:
        func = node.func
        callee: Value
        if type(func) is ast.Attribute:
            return self.method_call(node, self.evaluate(func.value), func.attr)
        if type(func) is ast.Name:
            if func.id == "type" and len(node.args) == 1 and not node.keywords:
                instance = self.use(node.args[0])
                if type(instance) is Inst and instance.target.kind == "ref":
                    return Sym(instance.target.value)  # type(self).objects...
                return None
            callee = self.lookup(func.id)
            if callee is None:
                if named_session(func.id):
                    callee = SESSION
                else:
                    by_name = self.registry.names.get(func.id)
                    if by_name is not None:
                        return by_name(self, node, func.id)
        else:
            callee = self.use(func)
        if type(callee) is Sym:
            return self.call_sym(node, callee)
        self.visit_arguments(node)
        if callee is SESSION:  # Session(), SessionLocal(), sessionmaker(...)()
            return SESSION
        return None

    def visit_arguments(self, node: ast.Call) -> None:
        for arg in node.args:
            if type(arg) is not ast.Constant:
                self.use(arg)
        for keyword in node.keywords:
            if type(keyword.value) is not ast.Constant:
                self.use(keyword.value)

    def argument_values(self, node: ast.Call) -> list[Value]:
        values = []
        for arg in node.args:
            values.append(None if type(arg) is ast.Constant else self.use(arg))
        for keyword in node.keywords:
            if type(keyword.value) is not ast.Constant:
                self.use(keyword.value)
        return values

    # -- calls: handed to the detectors ----------------------------------------------

    def call_sym(self, node: ast.Call, sym: Sym) -> Value:
        """A call of a resolved name."""

        dotted = sym.dotted
        if sym.label:
            self.visit_arguments(node)
            return None if dotted else Inst(sym.model, loaded=False)
        for observe in self.hooks.observers:
            observe(self, dotted)
        registry = self.registry
        handler = registry.handlers.get(dotted, UNKNOWN)
        if handler is UNKNOWN:
            handler = registry.classify(dotted)
        if handler is None:
            self.visit_arguments(node)
            return None
        return handler(self, node, dotted)

    def method_call(self, node: ast.Call, receiver: Value, method: str) -> Value:
        registry = self.registry
        handler = registry.receivers.get(type(receiver))
        if handler is None and not (type(receiver) is StrNode and method == "format"):
            handler = registry.methods.get(method)
        if handler is not None:
            return handler(self, node, receiver, method)
        self.visit_arguments(node)
        return None

    def observe_call(self, name: str) -> None:
        """Tell the observers (transactions) about a call the pass resolved by hand."""

        for observe in self.hooks.observers:
            observe(self, name)

    def note_class_attribute(self, dotted: str, attr: str, node: ast.Attribute) -> None:
        self.class_attributes.add(dotted)
        split = split_dotted(dotted)
        if split is None or split[1] or root(dotted) in NOT_ENTITY_ROOTS:
            return
        self.sink.class_uses.append(
            ClassUseFact(Target("ref", dotted), attr, self.scope, node.lineno, node.col_offset + 1)
        )

    # -- writing accesses ------------------------------------------------------------

    def record_query(self, query: Query) -> None:
        """A pending query is used: one access per target, and it is no longer pending."""

        query.pending = False
        self.sink.add_query(query, self.scope)

    def record(
        self, target: Target, kind: AccessKind, idiom: str, method: str, manager: str, at: _Located
    ) -> None:
        self.sink.add_access(target, kind, idiom, method, manager, self.scope, at)


# Statement and expression types with their own visitor; every other node is walked through
# its children. Built once: looked up for every node.
_HANDLERS: dict[type[ast.AST], Callable[..., object]] = {
    ast.Import: flow.visit_import,
    ast.ImportFrom: flow.visit_import,
    ast.ClassDef: Scanner.visit_class,
    ast.FunctionDef: Scanner.visit_function,
    ast.AsyncFunctionDef: Scanner.visit_function,
    ast.If: flow.visit_if,
    ast.Try: flow.visit_try,
    ast.With: Scanner.visit_with,
    ast.AsyncWith: Scanner.visit_with,
    ast.For: Scanner.visit_for,
    ast.AsyncFor: Scanner.visit_for,
    ast.Assign: Scanner.visit_assign,
    ast.AnnAssign: Scanner.visit_ann_assign,
    ast.AugAssign: Scanner.visit_aug_assign,
    ast.Expr: Scanner.visit_expr,
    ast.Call: Scanner.use,
    ast.Attribute: Scanner.use,
    ast.Subscript: Scanner.use,
    ast.Await: Scanner.use,
    ast.NamedExpr: Scanner.use,
    ast.List: Scanner.use,
    ast.Tuple: Scanner.use,
    ast.ListComp: Scanner.visit_comprehension,
    ast.SetComp: Scanner.visit_comprehension,
    ast.GeneratorExp: Scanner.visit_comprehension,
    ast.DictComp: Scanner.visit_comprehension,
}
if hasattr(ast, "TryStar"):  # Python 3.11+
    _HANDLERS[ast.TryStar] = flow.visit_try
