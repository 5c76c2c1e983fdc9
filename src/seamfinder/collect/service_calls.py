"""Calls and messages between services, and database connections, read from one module's tree.

A small pass over ``ast`` of its own, beside the data-access pass: it resolves names
through the module's imports, follows what names are bound to in source order (module
level, each function, and ``self.<attr>`` within a class), and records

* synchronous calls: gRPC stubs built on a channel (``demo_pb2_grpc.XStub(channel)``, the
  channel's address as the sources it is built from), nameko RPC proxies
  (``RpcProxy("orders")``, ``ServiceRpcProxy``, ``ClusterRpcProxy`` used as
  ``cluster.orders.method()``);
* asynchronous messages, sent and received: Celery tasks (``send_task("x.y")``,
  ``signature("x.y")``; ``@app.task``/``@shared_task`` definitions), nameko events
  (``EventDispatcher``, ``event_dispatcher``, ``@event_handler("svc", "evt")``), Kafka
  (kafka-python, aiokafka, confluent-kafka), Redis pub/sub, pika, kombu and aio-pika;
* names services give themselves (nameko's ``name = "orders"``, ``Celery("orders")``);
* database connections (``psycopg2.connect(...)``, ``create_engine(url)``...).

Values are followed only as far as they are plain: literals, ``os.environ``/``os.getenv``
(with their defaults), Django settings and other modules' constants (as names), string
concatenation and f-strings. Nothing is imported or run.
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from dataclasses import dataclass, field

from seamfinder.collect.facts import (
    DatabaseConnectFact,
    EnvReadFact,
    ServiceCallFact,
    ServiceNameFact,
    ValueSource,
)

# A file holds none of the above unless it contains one of these.
TOKENS: tuple[bytes, ...] = (
    b"grpc",
    b"nameko",
    b"celery",
    b"send_task",
    b"kafka",
    b"redis",
    b"pika",
    b"kombu",
    b"psycopg",
    b"asyncpg",
    b"aiopg",
    b"pg8000",
    b"pymysql",
    b"MySQLdb",
    b"mysql",
    b"pymongo",
    b"motor",
    b"create_engine",
    b"create_async_engine",
    b"environ",
    b"getenv",
)

_DB_FAMILIES = {
    "psycopg2": "postgresql",
    "psycopg": "postgresql",
    "asyncpg": "postgresql",
    "aiopg": "postgresql",
    "pg8000": "postgresql",
    "pymysql": "mysql",
    "MySQLdb": "mysql",
    "mysql": "mysql",
    "aiomysql": "mysql",
    "pymongo": "mongodb",
    "motor": "mongodb",
}
_DB_CALLS = frozenset(
    {
        "connect",
        "create_pool",
        "SimpleConnectionPool",
        "ThreadedConnectionPool",
        "MongoClient",
        "AsyncIOMotorClient",
    }
)
_KAFKA_PRODUCERS = frozenset(
    {
        "kafka.KafkaProducer",
        "kafka.producer.KafkaProducer",
        "aiokafka.AIOKafkaProducer",
        "confluent_kafka.Producer",
    }
)
_KAFKA_CONSUMERS = frozenset(
    {
        "kafka.KafkaConsumer",
        "kafka.consumer.KafkaConsumer",
        "aiokafka.AIOKafkaConsumer",
        "confluent_kafka.Consumer",
    }
)
_REDIS_CLIENTS = frozenset(
    {
        "redis.Redis",
        "redis.StrictRedis",
        "redis.from_url",
        "redis.Redis.from_url",
        "redis.client.Redis",
        "redis.asyncio.Redis",
        "redis.asyncio.from_url",
        "aioredis.Redis",
        "aioredis.from_url",
    }
)


@dataclass(frozen=True, slots=True)
class Text:
    """A string as far as it is known: a template (``{}`` for holes) and its sources."""

    template: str
    sources: tuple[ValueSource, ...]

    @property
    def static(self) -> str | None:
        return None if "{}" in self.template else self.template


@dataclass(frozen=True, slots=True)
class Thing:
    """An object the pass follows: a gRPC channel, a producer, a Celery app..."""

    kind: str  # channel, cluster, dispatcher, dispatch-fn, celery, kafka-producer, ...
    library: str = ""
    address: Text | None = None


Bound = Text | Thing


@dataclass(slots=True)
class ServiceFacts:
    calls: list[ServiceCallFact] = field(default_factory=list)
    names: list[ServiceNameFact] = field(default_factory=list)
    connects: list[DatabaseConnectFact] = field(default_factory=list)
    env_reads: dict[str, EnvReadFact] = field(default_factory=dict)  # first read per name


def service_facts(tree: ast.Module, module: str) -> ServiceFacts:
    """Everything this module says about other services (see the module docstring)."""

    reader = _Reader(module)
    reader.module(tree)
    return reader.found


class _Reader:
    """One walk in source order; ``scopes`` is the stack of name bindings."""

    def __init__(self, module: str) -> None:
        self.module_name = module
        self.imports: dict[str, str] = {}  # local name -> dotted
        self.scopes: list[dict[str, Bound]] = [{}]
        self.attributes: list[dict[str, Bound]] = []  # self.<attr> per class being read
        self.scope = "module"
        self.found = ServiceFacts()
        self.nameko = False

    # --- statements -----------------------------------------------------------------

    def module(self, tree: ast.Module) -> None:
        for node in ast.walk(tree):
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                self._import(node)
        self.nameko = any(d.split(".", 1)[0] == "nameko" for d in self.imports.values())
        for statement in tree.body:
            self.statement(statement)

    def _import(self, node: ast.Import | ast.ImportFrom) -> None:
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname:
                    self.imports[alias.asname] = alias.name
                else:
                    top = alias.name.split(".", 1)[0]
                    self.imports.setdefault(top, top)
            return
        base = node.module or ""
        if node.level:
            package = self.module_name.split(".")[: -node.level]
            base = ".".join([*package, base] if base else package)
        for alias in node.names:
            if alias.name != "*":
                self.imports[alias.asname or alias.name] = (
                    f"{base}.{alias.name}" if base else alias.name
                )

    def statement(self, node: ast.stmt) -> None:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            self._function(node)
        elif isinstance(node, ast.ClassDef):
            self._class(node)
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            self._assign(node)
        elif isinstance(node, (ast.With, ast.AsyncWith)):
            for item in node.items:
                value = self.evaluate(item.context_expr)
                if item.optional_vars is not None:
                    self._bind(item.optional_vars, value)
            self._body(node.body)
        else:
            for child in ast.iter_child_nodes(node):
                if isinstance(child, ast.stmt):
                    self.statement(child)
                elif isinstance(child, ast.expr):
                    self.evaluate(child)
                elif isinstance(child, (ast.ExceptHandler, ast.match_case)):
                    self._body(child.body)

    def _body(self, body: list[ast.stmt]) -> None:
        for statement in body:
            self.statement(statement)

    def _assign(self, node: ast.Assign | ast.AnnAssign) -> None:
        if node.value is None:
            return
        value = self.evaluate(node.value)
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        for target in targets:
            self._bind(target, value)

    def _bind(self, target: ast.expr, value: Bound | None) -> None:
        if isinstance(target, ast.Name):
            if value is None:
                self.scopes[-1].pop(target.id, None)
            else:
                self.scopes[-1][target.id] = value
        elif (
            isinstance(target, ast.Attribute)
            and isinstance(target.value, ast.Name)
            and target.value.id == "self"
            and self.attributes
            and value is not None
        ):
            self.attributes[-1][target.attr] = value

    def _function(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        for decorator in node.decorator_list:
            self._decorator(decorator, node)
        outer = self.scope
        self.scope = "function"
        self.scopes.append({})
        self._body(node.body)
        self.scopes.pop()
        self.scope = outer

    def _class(self, node: ast.ClassDef) -> None:
        for decorator in node.decorator_list:
            self.evaluate(decorator)
        self.attributes.append({})
        self.scopes.append({})
        for statement in node.body:
            if (
                self.nameko
                and isinstance(statement, ast.Assign)
                and any(isinstance(t, ast.Name) and t.id == "name" for t in statement.targets)
                and isinstance(statement.value, ast.Constant)
                and isinstance(statement.value.value, str)
            ):
                self.found.names.append(
                    ServiceNameFact(
                        "nameko",
                        statement.value.value,
                        statement.lineno,
                        statement.col_offset + 1,
                    )
                )
            self.statement(statement)
            if isinstance(statement, (ast.Assign, ast.AnnAssign)):
                for name, value in self.scopes[-1].items():
                    self.attributes[-1].setdefault(name, value)
        self.scopes.pop()
        self.attributes.pop()

    # --- expressions ----------------------------------------------------------------

    def lookup(self, name: str) -> Bound | None:
        for scope in reversed(self.scopes):
            if name in scope:
                return scope[name]
        return None

    def dotted(self, node: ast.expr) -> str | None:
        """The dotted name an expression spells, through the imports (None: not a name)."""

        parts: list[str] = []
        while isinstance(node, ast.Attribute):
            parts.append(node.attr)
            node = node.value
        if not isinstance(node, ast.Name) or node.id not in self.imports:
            return None
        return ".".join([self.imports[node.id], *reversed(parts)])

    def evaluate(self, node: ast.expr | None) -> Bound | None:
        if node is None:
            return None
        if isinstance(node, ast.Call):
            return self._call(node)
        if isinstance(node, ast.Await):
            return self.evaluate(node.value)
        if isinstance(node, ast.Name):
            return self.lookup(node.id)
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id == "self"
            and self.attributes
        ):
            return self.attributes[-1].get(node.attr)
        text = self.text(node)
        if text is not None:
            return text
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.expr):
                self.evaluate(child)
            elif isinstance(child, ast.comprehension):
                self.evaluate(child.iter)
        return None

    def text(self, node: ast.expr | None) -> Text | None:
        """A string expression as a template with its sources (None: not a string)."""

        if node is None:
            return None
        if isinstance(node, ast.Constant):
            if isinstance(node.value, str):
                return Text(node.value, (ValueSource("literal", node.value),))
            if isinstance(node.value, int) and not isinstance(node.value, bool):
                return Text(str(node.value), (ValueSource("literal", str(node.value)),))
            return None
        if isinstance(node, ast.JoinedStr):
            return self._joined(
                [v.value if isinstance(v, ast.FormattedValue) else v for v in node.values]
            )
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            left, right = self.text(node.left), self.text(node.right)
            if left is None and right is None:
                return None
            return self._joined([node.left, node.right])
        if isinstance(node, ast.Name):
            bound = self.lookup(node.id)
            return bound if isinstance(bound, Text) else None
        env = self._environment(node)
        if env is not None:
            return env
        dotted = self.dotted(node) if isinstance(node, ast.Attribute) else None
        if dotted is not None:
            if dotted.startswith("django.conf.settings."):
                return Text("{}", (ValueSource("setting", dotted.rsplit(".", 1)[-1]),))
            return Text("{}", (ValueSource("ref", dotted),))
        return None

    def _joined(self, parts: list[ast.expr]) -> Text:
        template: list[str] = []
        sources: list[ValueSource] = []
        for part in parts:
            found = self.text(part)
            if found is None:
                template.append("{}")
                continue
            if isinstance(part, ast.Constant):
                template.append(found.template)
                continue
            template.append(found.template)
            sources.extend(s for s in found.sources)
        whole = "".join(template)
        if "{}" not in whole:
            return Text(whole, (ValueSource("literal", whole),))
        return Text(whole, tuple(dict.fromkeys(sources)))

    def _environment(self, node: ast.expr) -> Text | None:
        """``os.environ["X"]``, ``os.environ.get("X", d)``, ``os.getenv("X", d)``."""

        if isinstance(node, ast.Subscript):
            if self.dotted(node.value) == "os.environ":
                key = _literal(node.slice)
                if key:
                    self._read_env(key, node)
                    return Text("{}", (ValueSource("env", key),))
            return None
        if not isinstance(node, ast.Call):
            return None
        callee = self.dotted(node.func)
        if callee not in ("os.getenv", "os.environ.get", "os.environ.setdefault"):
            return None
        key = _literal(node.args[0]) if node.args else None
        if not key:
            return None
        self._read_env(key, node)
        sources = [ValueSource("env", key)]
        default = self.text(node.args[1]) if len(node.args) > 1 else None
        if default is not None:
            sources.extend(s for s in default.sources if s.kind == "literal" and s.value)
        return Text("{}", tuple(sources))

    # --- calls ----------------------------------------------------------------------

    def _call(self, node: ast.Call) -> Bound | None:
        env = self._environment(node)
        if env is not None:
            return env
        callee = self.dotted(node.func)
        result = None
        called = self.evaluate(node.func) if _is_self_attribute(node.func) else None
        if isinstance(called, Thing) and called.kind == "dispatcher":  # self.dispatch("evt")
            self._dispatch(node, standalone=False)
        elif callee is not None:
            result = self._known_call(node, callee)
        elif isinstance(node.func, ast.Attribute):
            result = self._method(node, node.func)
        elif isinstance(node.func, ast.Name):
            bound = self.lookup(node.func.id)
            if isinstance(bound, Thing) and bound.kind == "dispatch-fn":
                self._dispatch(node, standalone=True)
        for argument in [*node.args, *(k.value for k in node.keywords)]:
            self.evaluate(argument)  # the receiver of a method was evaluated by _method
        return result

    def _known_call(self, node: ast.Call, callee: str) -> Bound | None:
        top, _, rest = callee.partition(".")
        last = callee.rsplit(".", 1)[-1]
        if top == "grpc" and last in ("insecure_channel", "secure_channel"):
            return Thing("channel", "grpc", self.text(_argument(node, 0, "target")))
        if top == "grpc" and last == "intercept_channel":
            inner = self.evaluate(_argument(node, 0, "channel"))
            return inner if isinstance(inner, Thing) else None
        if last.endswith("Stub") and len(last) > 4 and "_pb2_grpc" in callee:
            self._stub(node, last[: -len("Stub")])
            return None
        if top == "nameko":
            return _nameko(self, node, callee, last)
        if top == "celery":
            return _celery(self, node, last)
        if callee in _KAFKA_PRODUCERS:
            return Thing("kafka-producer", top)
        if callee in _KAFKA_CONSUMERS:
            for argument in node.args:
                self._message(node, "receive", "message", top, self.text(argument))
            _topics(self, node, top)
            return Thing("kafka-consumer", top)
        if callee in _REDIS_CLIENTS:
            return Thing("redis", "redis")
        if top == "pika" and last in ("BlockingConnection", "SelectConnection"):
            return Thing("pika-connection", "pika")
        if top == "kombu":
            return _kombu(self, node, last)
        if top == "aio_pika" and last in ("connect", "connect_robust"):
            return Thing("aio-pika-connection", "aio-pika")
        if top in _DB_FAMILIES and last in _DB_CALLS:
            self._connect(node, top, _DB_FAMILIES[top])
        elif top == "sqlalchemy" and last in ("create_engine", "create_async_engine"):
            self._connect(node, "sqlalchemy", "")
        elif rest and top == "sqlalchemy" and last == "engine_from_config":
            return None
        return None

    def _method(self, node: ast.Call, func: ast.Attribute) -> Bound | None:
        receiver = self.evaluate(func.value)
        method = func.attr
        if method == "send_task":
            self._message(node, "send", "task", "celery", self.text(_argument(node, 0, "name")))
            return None
        if isinstance(func.value, ast.Attribute):
            base = self.evaluate(func.value.value)
            if isinstance(base, Thing) and base.kind == "cluster":  # cluster.orders.get(...)
                self._rpc(node, func.value.attr, "nameko")
                return None
        if not isinstance(receiver, Thing):
            return _aio_pika(self, node, method)
        handler = _METHODS.get((receiver.kind, method)) or _METHODS.get((receiver.kind, "*"))
        return handler(self, node, receiver, method) if handler is not None else None

    def _stub(self, node: ast.Call, service: str) -> None:
        channel = self.evaluate(_argument(node, 0, "channel"))
        address: tuple[ValueSource, ...] = ()
        if isinstance(channel, Thing) and channel.address is not None:
            address = _sources(channel.address)
        self._add(node, "grpc", "call", "grpc", service, address)

    def _dispatch(self, node: ast.Call, *, standalone: bool) -> None:
        if standalone:  # dispatch("orders", "order_created", payload)
            service, event = _literal(_argument(node, 0, "")), _literal(_argument(node, 1, ""))
            topic = f"{service}.{event}" if service and event else ""
        else:  # self.dispatch("order_created", payload): the service's own name
            event = _literal(_argument(node, 0, "event_type"))
            topic = f".{event}" if event else ""
        self._add(node, "event", "send", "nameko", topic, ())

    def _decorator(
        self, decorator: ast.expr, function: ast.FunctionDef | ast.AsyncFunctionDef
    ) -> None:
        call = decorator if isinstance(decorator, ast.Call) else None
        func = call.func if call is not None else decorator
        callee = self.dotted(func)
        bound = self.evaluate(func.value) if isinstance(func, ast.Attribute) else None
        if callee is not None and callee.startswith("nameko") and callee.endswith("event_handler"):
            if call is not None:
                service = _literal(_argument(call, 0, "source_service"))
                event = _literal(_argument(call, 1, "event_type"))
                if service and event:
                    self._add(call, "event", "receive", "nameko", f"{service}.{event}", ())
            return
        is_task = (
            callee is not None and callee.startswith("celery") and callee.endswith("shared_task")
        ) or (
            isinstance(func, ast.Attribute)
            and func.attr == "task"
            and isinstance(bound, Thing)
            and bound.kind == "celery"
        )
        if is_task:
            explicit = _literal(_argument(call, None, "name")) if call is not None else None
            name = explicit or f"{self.module_name}.{function.name}"
            site = call if call is not None else decorator
            self._add(site, "task", "receive", "celery", name, ())
        elif call is not None:
            self.evaluate(call)

    # --- facts ----------------------------------------------------------------------

    def _read_env(self, name: str, node: ast.expr) -> None:
        if name not in self.found.env_reads:
            self.found.env_reads[name] = EnvReadFact(name, node.lineno, node.col_offset + 1)

    def _rpc(self, node: ast.Call, service: str, library: str) -> None:
        self._add(node, "rpc", "call", library, service, ())

    def _message(
        self, node: ast.Call, style: str, protocol: str, library: str, topic: Text | None
    ) -> None:
        name = topic.static if topic is not None else None
        self._add(node, protocol, style, library, name or "", ())

    def _add(
        self,
        node: ast.expr,
        protocol: str,
        style: str,
        library: str,
        target: str,
        address: tuple[ValueSource, ...],
    ) -> None:
        self.found.calls.append(
            ServiceCallFact(
                protocol,
                style,
                library,
                target,
                tuple(dict.fromkeys(address)),
                self.scope,
                node.lineno,
                node.col_offset + 1,
            )
        )

    def _connect(self, node: ast.Call, library: str, family: str) -> None:
        def part(*keywords: str) -> tuple[ValueSource, ...]:
            for keyword in keywords:
                found = self.text(_argument(node, None, keyword))
                if found is not None:
                    return _sources(found)
            return ()

        # A first positional string is a DSN or URL: psycopg2.connect("dbname=shop ..."),
        # create_engine(url), MongoClient(url).
        first = self.text(node.args[0]) if node.args else None
        url = _sources(first) if first is not None else part("dsn", "url", "conninfo")
        self.found.connects.append(
            DatabaseConnectFact(
                library,
                family,
                url,
                part("host"),
                part("port"),
                part("database", "dbname", "db", "name"),
                node.lineno,
                node.col_offset + 1,
            )
        )


# --- libraries: calls of their functions, and methods of the objects they return --------


def _nameko(reader: _Reader, node: ast.Call, callee: str, last: str) -> Bound | None:
    if last in ("RpcProxy", "ServiceRpc", "ServiceRpcProxy"):
        reader._rpc(node, _literal(_argument(node, 0, "target_service")) or "", "nameko")
    elif last in ("ClusterRpcProxy", "ClusterRpc", "ClusterProxy"):
        return Thing("cluster", "nameko")
    elif last == "EventDispatcher":
        return Thing("dispatcher", "nameko")
    elif last == "event_dispatcher" and "standalone" in callee:
        return Thing("dispatch-fn", "nameko")
    return None


def _celery(reader: _Reader, node: ast.Call, last: str) -> Bound | None:
    if last == "Celery":
        name = _literal(_argument(node, 0, "main"))
        if name:
            reader.found.names.append(
                ServiceNameFact("celery", name, node.lineno, node.col_offset + 1)
            )
        return Thing("celery", "celery")
    if last in ("signature", "Signature", "subtask"):
        reader._message(node, "send", "task", "celery", reader.text(_argument(node, 0, "task")))
    elif last == "send_task":
        reader._message(node, "send", "task", "celery", reader.text(_argument(node, 0, "name")))
    elif last == "current_app":
        return Thing("celery", "celery")
    return None


def _kombu(reader: _Reader, node: ast.Call, last: str) -> Bound | None:
    if last == "Connection":
        return Thing("kombu-connection", "kombu")
    if last == "Producer":
        return Thing("kombu-producer", "kombu")
    if last == "Queue":
        key = reader.text(_argument(node, None, "routing_key"))
        name = reader.text(_argument(node, 0, "name"))
        reader._message(node, "receive", "message", "kombu", key or name)
    return None


def _aio_pika(reader: _Reader, node: ast.Call, method: str) -> Bound | None:
    """aio-pika's objects come out of awaited calls the pass does not follow: its
    ``publish``/``declare_queue`` are read by name in a file that imports it."""

    if not any(d.split(".", 1)[0] == "aio_pika" for d in reader.imports.values()):
        return None
    if method == "publish":
        topic = reader.text(_argument(node, None, "routing_key"))
        reader._message(node, "send", "message", "aio-pika", topic)
    elif method == "declare_queue":
        topic = reader.text(_argument(node, 0, "name"))
        reader._message(node, "receive", "message", "aio-pika", topic)
    return None


def _topics(reader: _Reader, node: ast.Call, library: str) -> None:
    """``subscribe(["a", "b"])``, ``subscribe(topics=[...])``: each literal topic."""

    argument = _argument(node, 0, "topics")
    items = argument.elts if isinstance(argument, (ast.List, ast.Tuple, ast.Set)) else []
    for item in items:
        reader._message(node, "receive", "message", library, reader.text(item))


Method = Callable[["_Reader", ast.Call, Thing, str], "Bound | None"]


def _send(keyword: str, position: int | None = 0) -> Method:
    def handle(reader: _Reader, node: ast.Call, receiver: Thing, method: str) -> Bound | None:
        topic = reader.text(_argument(node, position, keyword))
        protocol = "task" if receiver.kind == "celery" else "message"
        reader._message(node, "send", protocol, receiver.library, topic)
        return None

    return handle


def _returns(kind: str) -> Method:
    def handle(reader: _Reader, node: ast.Call, receiver: Thing, method: str) -> Bound | None:
        return Thing(kind, receiver.library)

    return handle


def _dispatched(reader: _Reader, node: ast.Call, receiver: Thing, method: str) -> Bound | None:
    reader._dispatch(node, standalone=False)
    return None


def _subscribed(reader: _Reader, node: ast.Call, receiver: Thing, method: str) -> Bound | None:
    if receiver.kind == "kafka-consumer":
        _topics(reader, node, receiver.library)
    else:
        for argument in node.args:
            reader._message(node, "receive", "message", receiver.library, reader.text(argument))
    return None


def _pika(reader: _Reader, node: ast.Call, receiver: Thing, method: str) -> Bound | None:
    if method == "basic_publish":
        exchange = reader.text(_argument(node, 0, "exchange"))
        key = reader.text(_argument(node, 1, "routing_key"))
        topic = exchange if exchange is not None and exchange.template else key
        reader._message(node, "send", "message", "pika", topic)
    elif method == "basic_consume":
        topic = reader.text(_argument(node, 0, "queue"))
        reader._message(node, "receive", "message", "pika", topic)
    elif method == "queue_bind":
        topic = reader.text(_argument(node, None, "exchange"))
        reader._message(node, "receive", "message", "pika", topic)
    return None


# (kind of object, method) -> handler; "*": any method.
_METHODS: dict[tuple[str, str], Method] = {
    ("dispatcher", "*"): _dispatched,
    ("celery", "signature"): _send("name"),
    ("kafka-producer", "send"): _send("topic"),
    ("kafka-producer", "send_and_wait"): _send("topic"),
    ("kafka-producer", "produce"): _send("topic"),
    ("kafka-consumer", "subscribe"): _subscribed,
    ("redis", "publish"): _send("channel"),
    ("redis", "pubsub"): _returns("pubsub"),
    ("pubsub", "subscribe"): _subscribed,
    ("pubsub", "psubscribe"): _subscribed,
    ("pika-connection", "channel"): _returns("pika-channel"),
    ("pika-channel", "*"): _pika,
    ("kombu-connection", "Producer"): _returns("kombu-producer"),
    ("kombu-producer", "publish"): _send("routing_key", None),
}


def _sources(text: Text) -> tuple[ValueSource, ...]:
    """A static string as its literal; a template as its sources, then the template itself
    when it has more than a hole (``localhost:{}``, ``{}:50051``)."""

    static = text.static
    if static is not None:
        return (ValueSource("literal", static),)
    if text.template != "{}":
        return (*text.sources, ValueSource("literal", text.template))
    return text.sources


def _is_self_attribute(node: ast.expr) -> bool:
    return (
        isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Name)
        and node.value.id == "self"
    )


def _literal(node: ast.expr | None) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def _argument(node: ast.Call, position: int | None, keyword: str) -> ast.expr | None:
    if keyword:
        for item in node.keywords:
            if item.arg == keyword:
                return item.value
    if position is not None and position < len(node.args):
        argument = node.args[position]
        return None if isinstance(argument, ast.Starred) else argument
    return None
