"""How the data-access pass reads names and literals: dotted-name parts and AST shapes."""

from __future__ import annotations

import ast
import sys

from seamfinder.collect.facts import Target
from seamfinder.collect.scanner.values import Sym

ORM_ROOTS = frozenset({"sqlalchemy", "sqlmodel"})
HTTP_ROOTS = frozenset({"requests", "httpx", "aiohttp", "urllib", "urllib3"})
# Roots whose names are never our entities (classes, tables) nor our functions.
NOT_ENTITY_ROOTS = frozenset(
    {
        "sqlalchemy",
        "sqlmodel",
        "django",
        "flask_sqlalchemy",
        "builtins",
        "typing",
        "os",
        "json",
        "datetime",
        "logging",
        "re",
        "uuid",
        "decimal",
        "collections",
        "functools",
        "itertools",
    }
)


_STDLIB = frozenset(sys.stdlib_module_names)


def is_project_name(dotted: str) -> bool:
    """A name that may be the project's own: not the standard library's, not an ORM's.

    The pass cannot tell the project from third-party packages (Django apps are top-level
    packages side by side); the resolver, which sees every file, decides.
    """

    top = root(dotted)
    return bool(top) and top not in _STDLIB and top not in NOT_ENTITY_ROOTS


# Names that hold many things but never one model instance by convention.
_NOT_INSTANCE_NAMES = frozenset(
    {"self", "cls", "request", "kwargs", "args", "data", "obj", "instance", "info", "context"}
)


def guessed_model(node: ast.expr) -> str:
    """``checkout`` (or ``x.checkout``) -> ``Checkout``: the class a snake-case name of an
    instance spells, the convention of Django code; ``""`` for other names. Only a guess:
    the resolver keeps it when a model of that name has the relation used on it."""

    if type(node) is ast.Name:
        name = node.id
    elif type(node) is ast.Attribute:
        name = node.attr
    else:
        return ""
    if name in _NOT_INSTANCE_NAMES or not name.islower() or not name[:1].isalpha():
        return ""
    return "".join(part.capitalize() for part in name.split("_") if part)


def with_async(names: str) -> frozenset[str]:
    """The words of ``names`` and their Django async twins (``get`` and ``aget``)."""

    words = names.split()
    return frozenset(words + ["a" + w for w in words])


def last(dotted: str) -> str:
    return dotted[dotted.rfind(".") + 1 :]


def root(dotted: str) -> str:
    dot = dotted.find(".")
    return dotted if dot < 0 else dotted[:dot]


def is_classlike(name: str) -> bool:
    """Capitalised and not ALL-CAPS (a constant), unless it holds a digit or is short:
    models are named ``VLAN``, ``ASN``, ``L2VPN``, ``VRF`` (netbox), constants rarely so."""

    if not name[:1].isupper():
        return False
    if len(name) > 1 and name.isupper():
        return len(name) <= 5 or any(c.isdigit() for c in name)
    return True


_SPLITS: dict[str, tuple[str, tuple[str, ...]] | None] = {}
_NOT_CACHED = ("", ())


def split_dotted(dotted: str) -> tuple[str, tuple[str, ...]] | None:
    """``a.b.Order.objects`` -> (``a.b.Order``, (``objects``,)); None without a class part."""

    cached = _SPLITS.get(dotted, _NOT_CACHED)
    if cached is not _NOT_CACHED:
        return cached
    parts = dotted.split(".")
    result: tuple[str, tuple[str, ...]] | None = None
    for i in range(len(parts) - 1, 0, -1):  # a top-level package is never the class
        if is_classlike(parts[i]):
            result = (".".join(parts[: i + 1]), tuple(parts[i + 1 :]))
            break
    if len(_SPLITS) < 100_000:  # names repeat across a whole project: cache, boundedly
        _SPLITS[dotted] = result
    return result


def model_of(sym: Sym) -> tuple[Target, tuple[str, ...]] | None:
    """The class a symbol names and the attributes taken from it since."""

    if sym.label:
        return sym.model, tuple(sym.dotted.split(".")) if sym.dotted else ()
    split = split_dotted(sym.dotted)
    if split is None:
        return None
    return Target("ref", split[0]), split[1]


def entity_dotted(dotted: str) -> str:
    """``app.models.User.id`` -> ``app.models.User``; ``app.tables.users.c.id`` -> ``...users``."""

    split = split_dotted(dotted)
    if split is not None:
        return split[0]
    marker = dotted.find(".c.")
    if marker > 0:
        return dotted[:marker]
    if dotted.endswith(".c"):
        return dotted[:-2]
    return dotted


def is_orm_function(dotted: str) -> bool:
    """``sqlalchemy.select``, ``sqlmodel.select`` or Flask-SQLAlchemy's ``db.select``."""

    return (
        root(dotted) in ORM_ROOTS
        or dotted.endswith(".db." + last(dotted))
        or (dotted.startswith("db."))
    )


def named_session(name: str) -> bool:
    """``db_session``, ``session``: a session by name, as people write them."""

    return "ession" in name and "session" in name.lower()


def is_session_factory(name: str) -> bool:
    """``Session``, ``SessionLocal``, ``get_db_session``; not a model such as ``UserSession``."""

    if name in ("Session", "AsyncSession", "SessionLocal", "AsyncSessionLocal", "DBSession"):
        return True
    lowered = name.lower()
    return not name[:1].isupper() and (
        lowered.endswith(("session", "sessionmaker", "session_local"))
    )


def const_str(node: ast.AST | None) -> str | None:
    if type(node) is ast.Constant and type(node.value) is str:
        return node.value
    return None


def is_none(node: ast.AST) -> bool:
    return type(node) is ast.Constant and node.value is None


def argument(node: ast.Call, position: int | None, keyword: str) -> ast.expr | None:
    """A call's argument by keyword, else by position (never a ``*args``)."""

    for kw in node.keywords:
        if kw.arg == keyword:
            return kw.value
    if position is not None and len(node.args) > position:
        arg = node.args[position]
        return None if type(arg) is ast.Starred else arg
    return None


def describe(node: ast.AST) -> str:
    """A short dotted spelling of a callee for messages (``db.session.commit``)."""

    parts = []
    while type(node) is ast.Attribute:
        parts.append(node.attr)
        node = node.value
    if type(node) is ast.Name:
        parts.append(node.id)
    elif type(node) is ast.Call:
        parts.append(describe(node.func) + "()")
    else:
        parts.append("...")
    return ".".join(reversed(parts))


def is_string_expr(node: ast.AST) -> bool:
    """A literal string, an f-string, ``+``/``%`` built on one, or ``"...".format(...)``
    (of any receiver: ``format`` makes a string, and a SQL template is often a name)."""

    while type(node) is ast.BinOp and type(node.op) in (ast.Add, ast.Mod):
        node = node.left
    if type(node) is ast.Call and type(node.func) is ast.Attribute and node.func.attr == "format":
        return True
    if type(node) is ast.Constant:
        return type(node.value) is str
    return type(node) is ast.JoinedStr


def _is_environ(node: ast.expr) -> bool:
    return (type(node) is ast.Attribute and node.attr == "environ") or (
        type(node) is ast.Name and node.id == "environ"
    )


def is_config_expr(node: ast.AST) -> bool:
    """``os.environ["X"]``, ``os.getenv("X")``, ``os.environ.get("X")``, ``settings.X``."""

    if type(node) is ast.Subscript:
        return _is_environ(node.value)
    if type(node) is ast.Call:
        func = node.func
        if type(func) is ast.Attribute:
            if func.attr == "getenv":
                return True
            return func.attr == "get" and _is_environ(func.value)
        return type(func) is ast.Name and func.id == "getenv"
    if type(node) is ast.Attribute:
        owner = node.value
        return type(owner) is ast.Name and owner.id == "settings" and node.attr.isupper()
    return False


def could_be_string(node: ast.AST) -> bool:
    return type(node) in (ast.Constant, ast.JoinedStr, ast.BinOp, ast.Name, ast.Call)


def label_of_args(node: ast.Call) -> str:
    """``"app.Model"`` from ``get_model("app", "Model")`` and its other spellings."""

    args = [const_str(a) for a in node.args]
    if len(args) >= 2 and args[0] and args[1]:
        return f"{args[0]}.{args[1]}"
    if len(args) == 1 and args[0] and "." in args[0]:
        return args[0]
    app = argument(node, None, "app_label")
    model = argument(node, None, "model_name")
    app_text = const_str(app) if app is not None else (args[0] if args else None)
    model_text = const_str(model) if model is not None else None
    if app_text and model_text:
        return f"{app_text}.{model_text}"
    return ""


def import_binding(node: ast.AST, name: str, target: str, alias: ast.alias) -> Sym:
    if type(node) is ast.Import and not alias.asname:
        return Sym(name)  # ``import a.b`` binds ``a``
    return Sym(target)
