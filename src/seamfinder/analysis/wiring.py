"""How services reach each other: the names they go by, and calls and messages resolved to them.

A :class:`Directory` knows every name a service can be reached by: its host names
(compose service names, aliases, Kubernetes Services), the ports it publishes on the
host (``localhost:8001``, ``host.docker.internal:8001``), the names it gives itself in
code (nameko's ``name = "orders"``, ``Celery("orders")``) and the stems of all of these
(``ProductCatalogServiceStub`` and ``productcatalogservice``). Calls wait for an answer
(HTTP, gRPC, nameko RPC) and are resolved one by one; messages do not (Celery tasks,
nameko events, topics and queues of a bus) and pair a sender with its receivers. Both
say how their target was told (``via``), so that a reader can check every one.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from seamfinder.core.model import Location, ServiceCall, ServiceMessage

# Host names that mean "this machine": a port published by a compose service says who
# answers there (``host.docker.internal`` is the host seen from inside a container).
LOCAL_HOSTS = frozenset(
    {
        "localhost",
        "127.0.0.1",
        "0.0.0.0",
        "::1",
        "[::1]",
        "host.docker.internal",
        "gateway.docker.internal",
        "docker.for.mac.localhost",
        "docker.for.mac.host.internal",
        "docker.for.win.localhost",
        "172.17.0.1",
    }
)
_GENERIC = frozenset(
    {
        "url",
        "uri",
        "urls",
        "addr",
        "address",
        "host",
        "hostname",
        "endpoint",
        "api",
        "base",
        "service",
        "svc",
        "port",
        "server",
        "http",
        "https",
        "root",
    }
)
_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*://", re.I)
_HOST_PORT = re.compile(r"^(\[[0-9a-f:]+\]|[^/:?#{}@\s]+)(?::(\d+))?", re.I)
_KUBE_SUFFIX = re.compile(r"\.(svc(\.cluster\.local)?|cluster\.local)$")


def squash(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower())


def host_and_port(address: str) -> tuple[str, str] | None:
    """``http://orders:8000/x``, ``orders:8000``, ``dns:///orders:8000`` -> ("orders", "8000")."""

    text = address.strip()
    for prefix in ("dns:///", "dns:", "ipv4:", "ipv6:"):
        if text.lower().startswith(prefix):
            text = text[len(prefix) :]
    scheme = _SCHEME.match(text)
    if scheme:
        text = text[scheme.end() :]
        text = text.rsplit("@", 1)[-1] if "@" in text.split("/", 1)[0] else text
    match = _HOST_PORT.match(text)
    if match is None or not match.group(1):
        return None
    return match.group(1).lower(), match.group(2) or ""


@dataclass(frozen=True, slots=True)
class Directory:
    """How services can be named: host names, published ports, self-given names, stems."""

    hosts: Mapping[str, str]  # host name (lower) -> service
    ports: Mapping[str, str]  # port published on the host -> service
    stems: Mapping[str, str]  # squashed name, without a trailing "service" -> service
    names: Mapping[str, str]  # a name given in code (nameko, Celery), squashed -> service

    @classmethod
    def build(
        cls,
        services: Iterable[tuple[str, Sequence[str], Sequence[str]]],
        names: Iterable[tuple[str, str]] = (),
    ) -> Directory:
        """From ``(service, hostnames, published ports)`` and ``(name in code, service)``;
        a name two services share is dropped: it cannot be told which is meant."""

        hosts: dict[str, set[str]] = defaultdict(set)
        ports: dict[str, set[str]] = defaultdict(set)
        stems: dict[str, set[str]] = defaultdict(set)
        given: dict[str, set[str]] = defaultdict(set)
        for service, hostnames, published in services:
            for host in hostnames:
                hosts[host.lower()].add(service)
                for stem in _stems(host):
                    stems[stem].add(service)
            for mapping in published:
                outside = mapping.split(":")[-2] if mapping.count(":") >= 1 else ""
                if outside.isdigit():
                    ports[outside].add(service)
        for name, service in names:
            given[squash(name)].add(service)
        return cls(
            _unique(hosts),
            _unique(ports),
            {n: s for n, s in _unique(stems).items() if n},
            {n: s for n, s in _unique(given).items() if n},
        )

    def by_url(self, url: str) -> str | None:
        """The service a URL or ``host:port`` address names, if any."""

        if not _SCHEME.match(url.strip()) and ":" not in url:
            return None  # a bare word is not an address
        found = host_and_port(url)
        if found is None:
            return None
        host, port = found
        if host in LOCAL_HOSTS:
            return self.ports.get(port) if port else None
        if host in self.hosts:
            return self.hosts[host]
        if _KUBE_SUFFIX.search(host):  # orders.default.svc.cluster.local
            return self.hosts.get(host.split(".", 1)[0])
        return None

    def by_name(self, name: str) -> str | None:
        """A setting or variable named after a service: ``ORDERS_URL``, ``PAYMENTS_API``."""

        tokens = [t for t in re.split(r"[^a-z0-9]+", name.rsplit(".", 1)[-1].lower()) if t]
        if not tokens or tokens[-1] not in _GENERIC:
            return None  # ORDERS alone could be anything; ORDERS_URL says what it is
        while tokens and tokens[-1] in _GENERIC:
            tokens.pop()
        if not tokens:
            return None
        return self.stems.get("".join(tokens))

    def by_service_name(self, name: str) -> str | None:
        """A service as code names it: a nameko or Celery name, else a host or folder stem
        (``ProductCatalogService`` for ``productcatalogservice``)."""

        squashed = squash(name)
        if squashed in self.names:
            return self.names[squashed]
        for stem in _stems(name):
            if stem in self.stems:
                return self.stems[stem]
        return None


def _stems(name: str) -> list[str]:
    squashed = squash(name)
    stems = [squashed]
    for suffix in ("stub", "service", "svc"):
        if squashed.endswith(suffix) and len(squashed) > len(suffix):
            squashed = squashed[: -len(suffix)]
            stems.append(squashed)
    return stems


def _unique(found: Mapping[str, set[str]]) -> dict[str, str]:
    return {key: next(iter(owners)) for key, owners in found.items() if len(owners) == 1}


@dataclass(frozen=True, slots=True)
class CallSite:
    """A call that waits for an answer, as the per-file pass saw it, in a service."""

    service: str
    location: Location
    protocol: str  # http, grpc, rpc
    library: str
    method: str
    url: str  # the URL or address as far as it is static
    sources: tuple[tuple[str, str], ...]  # (kind, value): env, setting, ref, literal, call
    name: str = ""  # the callee as the code names it: gRPC service, nameko service


def resolve_calls(
    sites: Iterable[CallSite],
    directory: Directory,
    environment: Mapping[str, Mapping[str, str]],
    services: frozenset[str],
) -> tuple[ServiceCall, ...]:
    """The calls that reach another service, and how that was told.

    A nameko RPC names its service (``RpcProxy("orders")``). Otherwise, in order: a host in
    the URL or address itself (``http://orders:8000/...``, or a local host with a port a
    compose file publishes); a literal it is built from (a default of ``os.getenv``); an
    environment variable set for the calling service (compose, Kubernetes) to such an
    address; the name of an environment variable, setting or constant (``ORDERS_URL``);
    and last, for gRPC, the stub's service (``ProductCatalogServiceStub``).
    """

    found = []
    for site in sites:
        target, via = _target(site, directory, environment.get(site.service, {}))
        if target is None or target == site.service or target not in services:
            continue
        found.append(
            ServiceCall(
                site.service,
                target,
                site.location,
                site.protocol,
                site.library,
                site.method,
                site.url,
                via,
            )
        )
    return tuple(sorted(found))


def _target(
    site: CallSite, directory: Directory, environment: Mapping[str, str]
) -> tuple[str | None, str]:
    if site.protocol == "rpc" and site.name:
        found = directory.by_service_name(site.name)
        if found is not None:
            return found, f"service name {site.name!r}"
    target = directory.by_url(site.url) if site.url else None
    if target is not None:
        return target, f"URL {site.url.split('/')[2] if '//' in site.url else site.url}"
    for kind, value in site.sources:
        if kind == "literal":
            target, via = directory.by_url(value), f"URL {value}"
        elif kind == "env" and value in environment:
            configured = environment[value]
            target, via = directory.by_url(expand(configured)), f"{value}={configured}"
        if target is not None:
            return target, via
    for kind, value in site.sources:
        if kind in ("env", "setting", "ref"):
            target = directory.by_name(value)
            if target is not None:
                return target, f"{kind} {value.rsplit('.', 1)[-1]}"
    if site.protocol == "grpc" and site.name:
        target = directory.by_service_name(site.name)
        if target is not None:
            return target, f"stub {site.name}Stub"
    return None, ""


_INTERPOLATION = re.compile(r"\$\{(\w+)(?::?-([^}]*))?\}")


def expand(value: str) -> str:
    """Compose interpolation with a default (``${DB_HOST:-db}``) becomes the default."""

    return _INTERPOLATION.sub(lambda m: m.group(2) if m.group(2) is not None else m.group(0), value)


@dataclass(frozen=True, slots=True)
class MessageSite:
    """One end of an asynchronous exchange, in a service."""

    service: str
    location: Location
    protocol: str  # task, event, message
    library: str
    style: str  # send | receive
    topic: str  # task name, "service.event" (".event": the sender's own name), topic/queue


def resolve_messages(
    sites: Iterable[MessageSite],
    directory: Directory,
    own_names: Mapping[str, tuple[str, ...]],
    services: frozenset[str],
) -> tuple[ServiceMessage, ...]:
    """Messages from one service to another: a send and a receive of the same task, event
    or topic in two services; a nameko ``@event_handler("orders", ...)`` names its sender;
    a Celery task sent by name (``orders.tasks.charge``) that no service is seen to define
    goes to the service its first part names."""

    sends = [s for s in sites if s.style == "send"]
    receivers: dict[tuple[str, str], list[MessageSite]] = defaultdict(list)
    for site in sites:
        if site.style == "receive" and site.topic:
            receivers[(site.protocol, site.topic)].append(site)
    found: dict[tuple[str, str, str, str], ServiceMessage] = {}

    def add(message: ServiceMessage) -> None:
        if message.source == message.target or not {message.source, message.target} <= services:
            return
        key = (message.source, message.target, message.protocol, message.topic)
        if key not in found or message.location < found[key].location:
            found[key] = message

    for send in sends:
        topics = [send.topic]
        if send.topic.startswith("."):  # a nameko event: the sender's own service name
            topics = [f"{name}{send.topic}" for name in own_names.get(send.service, ())]
        matched = False
        for topic in topics:
            for receiver in receivers.get((send.protocol, topic), ()):
                matched = matched or receiver.service != send.service
                add(_message(send, receiver.service, topic, f"received in {_at(receiver)}"))
        if not matched and send.protocol == "task" and "." in send.topic:
            target = directory.by_service_name(send.topic.split(".", 1)[0])
            if target is not None:
                add(_message(send, target, send.topic, "task name"))
    for (protocol, topic), handlers in sorted(receivers.items()):
        if protocol != "event" or "." not in topic or topic.startswith("."):
            continue
        source = directory.by_service_name(topic.split(".", 1)[0])
        for handler in handlers:
            if source is not None:
                message = _message(handler, handler.service, topic, f"handler at {_at(handler)}")
                add(
                    ServiceMessage(
                        source,
                        handler.service,
                        handler.location,
                        protocol,
                        handler.library,
                        topic,
                        message.via,
                    )
                )
    return tuple(sorted(found.values()))


def _message(site: MessageSite, target: str, topic: str, via: str) -> ServiceMessage:
    return ServiceMessage(
        site.service, target, site.location, site.protocol, site.library, topic, via
    )


def _at(site: MessageSite) -> str:
    return f"{site.location.path}:{site.location.line}"


def call_cycles(calls: Iterable[ServiceCall]) -> tuple[tuple[str, ...], ...]:
    """Sets of services that call each other synchronously, in a cycle (sorted)."""

    import networkx as nx

    graph = nx.DiGraph()
    graph.add_edges_from((c.source, c.target) for c in calls)
    cycles = [tuple(sorted(c)) for c in nx.strongly_connected_components(graph) if len(c) > 1]
    return tuple(sorted(cycles))


_MAX_CHAINS = 50


def call_chains(calls: Iterable[ServiceCall], min_services: int = 3) -> tuple[tuple[str, ...], ...]:
    """The longest synchronous chains (``a -> b -> c``) of at least ``min_services``
    services, none a part of another; cycles are SF406's, so a chain never repeats a
    service. Bounded: at most 50 chains, of at most 8 services."""

    edges: dict[str, set[str]] = defaultdict(set)
    for call in calls:
        edges[call.source].add(call.target)
    paths: list[tuple[str, ...]] = []

    def walk(path: tuple[str, ...]) -> None:
        if len(paths) >= 10 * _MAX_CHAINS:
            return
        nexts = [n for n in sorted(edges.get(path[-1], ())) if n not in path]
        if not nexts or len(path) >= 8:
            paths.append(path)
            return
        for following in nexts:
            walk((*path, following))

    for start in sorted(edges):
        walk((start,))
    long = sorted({p for p in paths if len(p) >= min_services}, key=lambda p: (-len(p), p))
    kept: list[tuple[str, ...]] = []
    for path in long:
        text = "\0" + "\0".join(path) + "\0"
        if not any(text in "\0" + "\0".join(k) + "\0" for k in kept):
            kept.append(path)
    return tuple(sorted(kept[:_MAX_CHAINS]))
