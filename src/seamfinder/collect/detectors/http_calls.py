"""Calls to other services over HTTP: ``requests.get(url)``, ``httpx.Client(base_url=...)``
and its methods, ``aiohttp``, ``urllib3``, ``urllib.request.urlopen``; the URL as a template
with the settings and environment variables its holes come from."""

from __future__ import annotations

import ast
import re
from typing import TYPE_CHECKING

from seamfinder.collect.facts import HttpCallFact, ValueSource
from seamfinder.collect.scanner.hooks import CallRule, Detector
from seamfinder.collect.scanner.spelling import HTTP_ROOTS, argument, const_str, last, root
from seamfinder.collect.scanner.strings import hole, string_of
from seamfinder.collect.scanner.values import Http, Request, Str, Value

if TYPE_CHECKING:
    from seamfinder.collect.scanner.evaluator import Scanner

_HTTP_METHODS = frozenset(["get", "post", "put", "patch", "delete", "head", "options"])
_CLIENTS = {
    "requests.Session": "requests",
    "requests.session": "requests",
    "requests.sessions.Session": "requests",
    "httpx.Client": "httpx",
    "httpx.AsyncClient": "httpx",
    "aiohttp.ClientSession": "aiohttp",
    "urllib3.PoolManager": "urllib3",
    "urllib3.PoolManager.request": "urllib3",
}
_PERCENT_HOLES = re.compile(r"%(?:\(\w+\))?[sdr]")


def http_function(scanner: Scanner, node: ast.Call, dotted: str) -> Value:
    """A call of a function of an HTTP library: a client, a request, or nothing of ours."""

    library = _CLIENTS.get(dotted)
    if library is not None:
        base = argument(node, None, "base_url")
        scanner.visit_arguments(node)
        return Http(library, base)
    top = root(dotted)
    name = last(dotted)
    module = dotted.rpartition(".")[0]
    if (
        top in ("requests", "httpx")
        and module in (top, f"{top}.api")
        and (name in _HTTP_METHODS or name in ("request", "stream"))
    ) or (top == "aiohttp" and name == "request"):
        _request(scanner, node, top, name, None)
        # The arguments are walked a second time here, as they always were: a query in
        # them is recorded twice. Kept so that this refactor changes no output.
        scanner.visit_arguments(node)
    elif dotted in ("urllib.request.urlopen", "urllib.request.Request"):
        return _urllib(scanner, node, name)
    else:
        scanner.visit_arguments(node)
    return None


def _urllib(scanner: Scanner, node: ast.Call, name: str) -> Value:
    url_node = argument(node, 0, "url")
    method_node = argument(node, None, "method")
    method = (const_str(method_node) or "") if method_node is not None else ""
    if name == "Request":
        scanner.visit_arguments(node)
        return Request(url_node, method)
    values = scanner.argument_values(node)
    first = values[0] if values else None
    if type(first) is Request:
        _add(scanner, node, "urllib", first.method or "GET", first.url, None)
    elif url_node is not None:
        _add(scanner, node, "urllib", method or "GET", url_node, None)
    return None


def http_method(scanner: Scanner, node: ast.Call, client: Value, method: str) -> Value:
    """``client.get(url)`` on a client object."""

    assert type(client) is Http
    if method in _HTTP_METHODS or method in ("request", "stream"):
        _request(scanner, node, client.library, method, client.base)
    else:
        scanner.visit_arguments(node)
    return None


def _request(
    scanner: Scanner, node: ast.Call, library: str, method: str, base: ast.expr | None
) -> None:
    if method in ("request", "stream"):
        verb_node = argument(node, 0, "method")
        verb = (const_str(verb_node) or "") if verb_node is not None else ""
        url_node = argument(node, 1, "url")
    else:
        verb = method
        url_node = argument(node, 0, "url")
    _add(scanner, node, library, verb.upper(), url_node, base)
    scanner.visit_arguments(node)


def _add(
    scanner: Scanner,
    node: ast.Call,
    library: str,
    method: str,
    url_node: ast.expr | None,
    base: ast.expr | None,
) -> None:
    template = Str([], [])
    if base is not None:
        base_template = string_of(scanner, base) or hole(scanner, base)
        template = Str(list(base_template.parts), list(base_template.sources))
    if url_node is not None:
        url = string_of(scanner, url_node) or hole(scanner, url_node)
        template = Str(template.parts + url.parts, template.sources + url.sources)
    url_text = _PERCENT_HOLES.sub("{}", template.render("{}")) if template.parts else ""
    if url_text == "{}":
        url_text = ""
    scanner.sink.http_calls.append(
        HttpCallFact(
            library,
            method,
            url_text,
            tuple(_unique(template.sources)),
            scanner.scope,
            node.lineno,
            node.col_offset + 1,
        )
    )


def _unique(sources: list[ValueSource]) -> list[ValueSource]:
    return list(dict.fromkeys(sources))


DETECTOR = Detector(
    "http-calls",
    tokens=(b"requests", b"httpx", b"aiohttp", b"urllib"),
    calls=(CallRule(120, lambda dotted: root(dotted) in HTTP_ROOTS, http_function),),
    receivers={Http: http_method},
)
