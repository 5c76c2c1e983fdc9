"""DOT (read back by Graphviz), Mermaid (read back by a parser of the flowchart grammar we
emit) and the HTML page's static guarantees: escaping, policy, payload, determinism."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from seamfinder.config.options import RunOptions
from seamfinder.config.settings import load_config
from seamfinder.core.model import Report
from seamfinder.pipeline.run import run
from seamfinder.report import dot, html, mermaid
from seamfinder.report.graphview import component_graph
from seamfinder.report.json import to_document

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "fixtures"
HOSTILE = ("<img src=x onerror=window.pwned=1>", "</script><script>window.pwned=2</script>")


@cache
def report_of(fixture: str) -> Report:
    root = FIXTURES / fixture
    options = RunOptions(path=root, config=load_config(root), display=fixture, cache_dir=None)
    return run(options)


# --- DOT ------------------------------------------------------------------------------


@pytest.mark.parametrize("fixture", ["django_shop", "distributed_shop", "hostile_names"])
def test_dot_output_is_read_by_graphviz(fixture: str) -> None:
    if shutil.which("dot") is None:
        pytest.skip("Graphviz is not installed (apt-get install graphviz)")
    text = dot.render(report_of(fixture))
    done = subprocess.run(
        ["dot", "-Tsvg"], input=text.encode(), capture_output=True, check=False, timeout=30
    )
    assert done.returncode == 0 and not done.stderr, done.stderr.decode()
    svg = done.stdout.decode()
    for node in component_graph(report_of(fixture)).nodes:
        label = node.name.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        assert label in svg, node.name
    if fixture == "hostile_names":
        assert "<img" not in svg and "<script" not in svg  # names stayed text


def test_dot_marks_cycles_cuts_and_seams() -> None:
    text = dot.render(report_of("django_shop"))
    assert '"billing" -> "orders" [label="1", penwidth=3.00, color="#c62828", style=dashed' in text
    assert '"orders" -> "billing" [label="2", penwidth=' in text and text.count("style=dashed") == 1
    assert 'subgraph "cluster_S1" {' in text and 'label="S1: orders"' in text


def test_dot_quotes_every_name() -> None:
    text = dot.render(report_of("hostile_names"))
    assert (
        '"</script><script>window.pwned=2</script>" -> "<img src=x onerror=window.pwned=1>"' in text
    )
    assert dot._quote('a"b\\c\nd') == '"a\\"b\\\\c\\nd"'


# --- Mermaid --------------------------------------------------------------------------

_LABEL = r'"(?P<label>[^"]*)"'
_ID = r"[A-Za-z][A-Za-z0-9_]*"
_SHAPES = [(r"\[", r"\]"), (r"\(", r"\)"), (r"\[\[", r"\]\]")]
_NODE = re.compile(
    rf"^\s*(?P<id>{_ID})(?:"
    + "|".join(f"{o}{_LABEL.replace('label', f'l{i}')}{c}" for i, (o, c) in enumerate(_SHAPES))
    + r")$"
)
_EDGE = re.compile(rf"^\s*(?P<a>{_ID}) (?P<arrow>-->|-\.->|---|==>)\|{_LABEL}\| (?P<b>{_ID})$")
_SUBGRAPH = re.compile(rf"^\s*subgraph (?P<id>{_ID})\[{_LABEL}\]$")
_LINKSTYLE = re.compile(r"^\s*linkStyle (?P<indexes>\d+(?:,\d+)*) (?P<style>[a-z-]+:[^ ;]+)$")
_CLASSDEF = re.compile(rf"^\s*classDef {_ID} [a-z-]+:[^ ;]+$")
_CLASS = re.compile(rf"^\s*class (?P<ids>{_ID}(?:,{_ID})*) {_ID}$")


def parse_mermaid(text: str) -> dict[str, Any]:
    """Check ``text`` against the flowchart grammar seamfinder writes; what it declares."""

    lines = text.rstrip("\n").split("\n")
    assert lines[0] == "flowchart LR"
    nodes: dict[str, str] = {}
    edges: list[tuple[str, str, str]] = []
    labels: list[str] = []
    depth = 0
    for number, line in enumerate(lines[1:], 2):
        if m := _NODE.match(line):
            label = next(v for k, v in m.groupdict().items() if k.startswith("l") and v is not None)
            assert m["id"] not in nodes, f"line {number}: {m['id']} defined twice"
            nodes[m["id"]] = label
            labels.append(label)
        elif m := _EDGE.match(line):
            edges.append((m["a"], m["arrow"], m["b"]))
            labels.append(m["label"])
        elif m := _SUBGRAPH.match(line):
            depth += 1
            labels.append(m["label"])
        elif line.strip() == "end":
            depth -= 1
            assert depth >= 0, f"line {number}: end without subgraph"
        elif m := _LINKSTYLE.match(line):
            assert all(int(i) < len(edges) for i in m["indexes"].split(",")), line
        elif m := _CLASS.match(line):
            assert all(i in nodes for i in m["ids"].split(",")), line
        else:
            assert _CLASSDEF.match(line), f"line {number} is not in the grammar: {line!r}"
    assert depth == 0
    for a, _, b in edges:
        assert a in nodes and b in nodes, (a, b)
    for label in labels:  # entity codes only: nothing Mermaid, HTML or Markdown would read
        assert not re.search(r"[<>`|\[\]{}()]", label.replace("<br/>", "")), label
    return {"nodes": nodes, "edges": edges}


@pytest.mark.parametrize("fixture", ["django_shop", "distributed_shop", "hostile_names"])
def test_mermaid_output_follows_the_flowchart_grammar(fixture: str) -> None:
    parsed = parse_mermaid(mermaid.render(report_of(fixture)))
    assert parsed["nodes"]


def test_mermaid_shows_every_dependency_and_service_link() -> None:
    shop = parse_mermaid(mermaid.render(report_of("django_shop")))
    assert len(shop["edges"]) == len(report_of("django_shop").dependencies) == 17
    assert [arrow for _, arrow, _ in shop["edges"]].count("-.->") == 1  # the cut
    services = parse_mermaid(mermaid.render(report_of("distributed_shop")))
    arrows = [arrow for _, arrow, _ in services["edges"]]
    assert arrows.count("---") == 3 and arrows.count("==>") == 3  # pairs and calls


def test_mermaid_labels_write_markup_as_entity_codes() -> None:
    parsed = parse_mermaid(mermaid.render(report_of("hostile_names")))
    labels = set(parsed["nodes"].values())
    assert "#60;img src=x onerror=window.pwned=1#62;<br/>22 lines" in labels
    assert mermaid.label_text('a"b#c`d') == "a#34;b#35;c#96;d"


def test_markdown_embeds_the_mermaid_block_folded() -> None:
    from seamfinder.report import markdown

    text = markdown.render(report_of("django_shop"))
    block = text.split("```mermaid\n", 1)[1].split("\n```", 1)[0]
    assert "<details><summary>Component graph</summary>" in text
    assert block + "\n" == mermaid.render(report_of("django_shop"))


# --- HTML -----------------------------------------------------------------------------


def test_html_page_names_from_the_code_never_reach_the_markup() -> None:
    page = html.render(report_of("hostile_names"))
    assert "<img" not in page and "<svg" not in page
    assert page.count("<script") == 2 and page.count("</script>") == 2
    data = page.split('<script type="application/json" id="sf-data">', 1)[1].split("</script>")[0]
    assert "<" not in data and ">" not in data and "&" not in data
    assert "\\u003cimg src=x onerror=window.pwned=1\\u003e" in data
    assert "<title>seamfinder: hostile_names</title>" in page


def test_html_page_admits_only_its_own_inline_code() -> None:
    page = html.render(report_of("django_shop"))
    policy = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page)
    assert policy is not None
    directives = dict(d.strip().split(" ", 1) for d in policy[1].split(";"))
    assert directives["default-src"] == "'none'"  # no request of any kind
    script = page.rsplit("<script>", 1)[1].split("</script>")[0]
    style = page.split("<style>", 1)[1].split("</style>")[0]
    for source, directive in ((script, "script-src"), (style, "style-src")):
        digest = base64.b64encode(hashlib.sha256(source.encode()).digest()).decode()
        assert directives[directive] == f"'sha256-{digest}'"
    code = (script + style).replace("'http://www.w3.org/2000/svg'", "")  # a name, not a URL
    assert "http://" not in code and "https://" not in code and "url(" not in style


def unpack(value: Any, strings: list[str]) -> Any:
    """report.js's ``unpack``, in Python."""

    if isinstance(value, list):
        return [unpack(v, strings) for v in value]
    if not isinstance(value, dict):
        return value
    if "$rows" in value:
        text = set(value["$text"])
        return [
            {
                key: strings[cell] if i in text else unpack(cell, strings)
                for i, (key, cell) in enumerate(zip(value["$keys"], row, strict=True))
            }
            for row in value["$rows"]
        ]
    return {k: unpack(v, strings) for k, v in value.items()}


def test_html_payload_is_the_json_document_packed() -> None:
    report = report_of("django_shop")
    page = html.render(report)
    data = page.split('id="sf-data">', 1)[1].split("</script>")[0]
    packed = json.loads(data)
    payload = unpack(packed["data"], packed["strings"])
    assert payload["report"] == json.loads(json.dumps(to_document(report)))
    document = json.dumps(to_document(report), separators=(",", ":"))
    assert len(json.dumps(html.pack(to_document(report)))) < 0.75 * len(document)
    assert set(payload["rules"]) == {rule.code for rule in report.rules}
    assert payload["rules"]["SF201"]["page"].startswith("# SF201 cross-boundary-write")


def test_html_is_byte_identical_across_runs_and_hash_seeds(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from seamfinder.app.cli import main

    args = ["analyze", str(FIXTURES / "django_shop"), "--no-cache", "--exit-zero", "-f", "html"]
    here = CliRunner().invoke(main, [*args, "-o", str(tmp_path / "here.html")])
    assert here.exit_code == 0, here.output
    # Another process, another hash seed (this one's is random unless PYTHONHASHSEED is set).
    subprocess.run(
        [sys.executable, "-m", "seamfinder", *args, "-o", str(tmp_path / "there.html")],
        check=True,
        env={**os.environ, "PYTHONHASHSEED": "12345"},
        timeout=120,
    )
    assert (tmp_path / "here.html").read_bytes() == (tmp_path / "there.html").read_bytes()
