"""One self-contained HTML page: the JSON report and a small viewer, for a browser offline.

The page embeds the JSON format's document (the versioned contract, so the page shows
exactly what ``--format json`` says) in a ``<script type="application/json">`` element,
with every ``<``, ``>`` and ``&`` written as a JSON escape: no name from the analysed code
can close that element. The viewer (``assets/report.js``, ``assets/report.css``, written
for seamfinder and shipped in the wheel under its MIT licence) builds the page with DOM
methods only, never from HTML strings. A Content-Security-Policy admits exactly these
two inline assets (by hash) and no network request of any kind.
"""

from __future__ import annotations

import base64
import hashlib
import json
from functools import cache
from importlib import resources
from typing import Any

from seamfinder.core.model import CandidateList, ExtractionSheet, Report
from seamfinder.core.version import __version__
from seamfinder.report.graphview import component_graph, service_graph
from seamfinder.report.json import to_document
from seamfinder.report.seams import candidate_document, extraction_document

# JSON escapes for what HTML would read inside a script element, and the two line
# separators that older JavaScript engines refuse inside a string.
_SCRIPT_ESCAPES = {
    ord("<"): "\\u003c",
    ord(">"): "\\u003e",
    ord("&"): "\\u0026",
    0x2028: "\\u2028",
    0x2029: "\\u2029",
}
_TEXT_ESCAPES = {ord("&"): "&amp;", ord("<"): "&lt;", ord(">"): "&gt;", ord('"'): "&quot;"}

_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="seamfinder {version}">
<title>{title}</title>
<style>{css}</style>
</head>
<body>
<header class="top"><h1>{title}</h1>
<nav id="sf-nav" aria-label="sections"></nav></header>
<main id="sf-main"><noscript><p>This report is drawn by JavaScript; the data is in the
script element of type application/json at the end of this file (the JSON format of
seamfinder).</p></noscript></main>
<aside id="sf-detail" class="detail" hidden></aside>
<script type="application/json" id="sf-data">{data}</script>
<script>{js}</script>
</body>
</html>
"""


def render(report: Report) -> str:
    """The page of a whole report."""

    return page(report.root, payload(report))


def render_candidates(document: CandidateList) -> str:
    """The page of ``seamfinder candidates``: the ranked candidates and their breakdown."""

    candidates = [candidate_document(c) for c in document.candidates]
    return page(document.root, {**_EMPTY, "candidates": candidates})


def render_extraction(sheet: ExtractionSheet) -> str:
    """The page of ``seamfinder extract``: one candidate's cost sheet."""

    return page(sheet.root, {**_EMPTY, "extraction": extraction_document(sheet)})


# What a page without a whole report carries besides its one section.
_EMPTY: dict[str, Any] = {
    "report": None,
    "rules": {},
    "graph": None,
    "services": None,
    "candidates": None,
    "extraction": None,
}


def page(root: str, data: dict[str, Any]) -> str:
    """The page: viewer assets inline, the packed payload in a JSON script element."""

    css, js = _asset("report.css"), _asset("report.js")
    csp = "; ".join(
        (
            "default-src 'none'",
            f"script-src '{_hash(js)}'",
            f"style-src '{_hash(css)}'",
            "img-src data:",
            "base-uri 'none'",
            "form-action 'none'",
        )
    )
    return _PAGE.format(
        csp=csp,
        version=__version__,
        title=_text(f"seamfinder: {root}"),
        css=css,
        data=script_json(pack({**data, "root": root})),
        js=js,
    )


def payload(report: Report) -> dict[str, Any]:
    """What the viewer reads of a report: the JSON document, the rule pages, the graphs."""

    graph = component_graph(report)
    services = service_graph(report)
    # The rules the run evaluated carry their pages (``rules explain``'s text).
    pages = {
        rule.code: {
            "name": rule.name,
            "severity": rule.severity.value,
            "summary": rule.summary,
            "page": rule.help,
        }
        for rule in report.rules
    }
    return {
        "report": to_document(report),
        "rules": pages,
        "graph": {
            "nodes": [[n.name, n.lines, n.seam, n.in_cycle] for n in graph.nodes],
            "edges": [[e.source, e.target, e.imports, e.in_cycle, e.cut] for e in graph.edges],
            "seams": [list(seam) for seam in graph.seams],
        },
        "services": None
        if services is None
        else {
            "nodes": [[n.name, n.kind, n.lines, n.score] for n in services.nodes],
            "links": [[k.a, k.b, k.score, k.level, list(k.kinds)] for k in services.links],
            "calls": [[c.source, c.target, c.calls, list(c.methods)] for c in services.calls],
        },
        "candidates": None,  # in the report
        "extraction": None,
    }


def pack(value: Any) -> dict[str, Any]:
    """The payload with its long lists of records as rows, and their text interned.

    A list of at least ``_PACK_MIN`` objects with the same keys becomes ``{"$keys": [...],
    "$text": [columns holding only text], "$rows": [[...], ...]}``, and each text cell the
    index of the string in ``strings``: a monolith's hundred thousand paths and module
    names repeat, and a third of the bytes would be keys. The viewer rebuilds the exact
    document (``unpack`` in report.js).
    """

    strings: dict[str, int] = {}
    return {"data": _pack(value, strings), "strings": list(strings)}


_PACK_MIN = 8


def _pack(value: Any, strings: dict[str, int]) -> Any:
    if isinstance(value, dict):
        return {key: _pack(item, strings) for key, item in value.items()}
    if not isinstance(value, list):
        return value
    keys = sorted(value[0]) if value and isinstance(value[0], dict) else None
    if (
        keys is None
        or len(value) < _PACK_MIN
        or any(not isinstance(item, dict) or sorted(item) != keys for item in value)
    ):
        return [_pack(item, strings) for item in value]
    text = [k for k in keys if all(isinstance(item[k], str) for item in value)]
    return {
        "$keys": keys,
        "$text": [keys.index(k) for k in text],
        "$rows": [
            [
                strings.setdefault(item[k], len(strings)) if k in text else _pack(item[k], strings)
                for k in keys
            ]
            for item in value
        ],
    }


def script_json(value: object) -> str:
    """JSON that is safe inside a script element: ``</script>`` cannot occur in it."""

    text = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return text.translate(_SCRIPT_ESCAPES)


def _text(text: str) -> str:
    return text.translate(_TEXT_ESCAPES)


def _hash(source: str) -> str:
    digest = hashlib.sha256(source.encode("utf-8")).digest()
    return "sha256-" + base64.b64encode(digest).decode("ascii")


@cache
def _asset(name: str) -> str:
    return (resources.files("seamfinder.report") / "assets" / name).read_text(encoding="utf-8")
