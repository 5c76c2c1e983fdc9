"""Reporters render a whole document (a report, candidates, an extraction sheet, the rule
catalog); they compute nothing.

Every format is a function from a document to text, registered here by the document's type
and the format's name, so that every command's output goes through :func:`render`, any of
them can go to stdout or to a file, and several can be written from one run.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from seamfinder.core.model import CandidateList, ExtractionSheet, Report, RuleCatalog, SeamOutcome


@dataclass(frozen=True, slots=True)
class RenderOptions:
    color: bool = False
    width: int = 120
    timings: bool = False
    show_modules: bool = False
    show_skipped: bool = False  # list the files left out for their name
    findings_only: bool = False  # ``check``: the findings and the count, not the whole report


Document = Report | CandidateList | ExtractionSheet | RuleCatalog | SeamOutcome
D = TypeVar("D", Report, CandidateList, ExtractionSheet, RuleCatalog, SeamOutcome)
Renderer = Callable[[Any, RenderOptions], str]
_REGISTRY: dict[type, dict[str, Renderer]] = {}


def register(kind: type[D], name: str) -> Callable[[Callable[[D, RenderOptions], str]], Renderer]:
    """Register a format ``name`` for documents of type ``kind``."""

    def decorate(func: Callable[[D, RenderOptions], str]) -> Renderer:
        _REGISTRY.setdefault(kind, {})[name] = func
        return func

    return decorate


def formats_of(kind: type) -> list[str]:
    """The format names a document type can be rendered in, sorted."""

    return sorted(_REGISTRY.get(kind, {}))


# Formats whose own encoders escape every string (and keep the exact text). Every other
# format shows the analysed tree's strings without their control characters.
_ESCAPING_FORMATS = frozenset({"json", "sarif", "html"})


def render(format_name: str, document: Document, options: RenderOptions) -> str:
    if format_name not in _ESCAPING_FORMATS:
        from seamfinder.report.controls import without_controls

        # A report on a terminal shows one finding per line: line breaks in its strings are
        # escaped too (a seam's diff, say, is made of lines).
        one_per_line = format_name == "terminal" and isinstance(document, Report)
        document = without_controls(document, newlines=not one_per_line)
    return _REGISTRY[type(document)][format_name](document, options)


def console_text(draw: Callable[[Any], None], options: RenderOptions) -> str:
    """What ``draw(console)`` prints on a rich console of the options' width and colour."""

    from rich.console import Console

    buffer = io.StringIO()
    console = Console(
        file=buffer,
        force_terminal=options.color,
        no_color=not options.color,
        width=options.width,
        highlight=False,
        emoji=False,
    )
    draw(console)
    return buffer.getvalue()


@register(Report, "terminal")
def _terminal(report: Report, options: RenderOptions) -> str:
    from seamfinder.report import terminal

    if options.findings_only:
        return console_text(lambda console: terminal.render_check(report, console), options)
    return console_text(
        lambda console: terminal.render(
            report,
            console,
            show_modules=options.show_modules,
            timings=options.timings,
            show_skipped=options.show_skipped,
        ),
        options,
    )


@register(Report, "json")
def _json(report: Report, options: RenderOptions) -> str:
    from seamfinder.report import json

    return json.render(report, timings=options.timings)


@register(Report, "sarif")
def _sarif(report: Report, options: RenderOptions) -> str:
    from seamfinder.report import sarif

    return sarif.render(report)


@register(Report, "junit")
def _junit(report: Report, options: RenderOptions) -> str:
    from seamfinder.report import junit

    return junit.render(report)


@register(Report, "github")
def _github(report: Report, options: RenderOptions) -> str:
    from seamfinder.report import github

    return github.render(report)


@register(Report, "markdown")
def _markdown(report: Report, options: RenderOptions) -> str:
    from seamfinder.report import markdown

    return markdown.render(report)


@register(Report, "html")
def _html(report: Report, options: RenderOptions) -> str:
    from seamfinder.report import html

    return html.render(report)


@register(Report, "dot")
def _dot(report: Report, options: RenderOptions) -> str:
    from seamfinder.report import dot

    return dot.render(report)


@register(Report, "mermaid")
def _mermaid(report: Report, options: RenderOptions) -> str:
    from seamfinder.report import mermaid

    return mermaid.render(report)


@register(CandidateList, "terminal")
def _candidates_terminal(document: CandidateList, options: RenderOptions) -> str:
    from seamfinder.report.seams import candidates_blocks, print_blocks

    blocks = candidates_blocks(document.root, document.candidates)
    return console_text(lambda console: print_blocks(console, blocks), options)


@register(CandidateList, "json")
def _candidates_json(document: CandidateList, options: RenderOptions) -> str:
    from seamfinder.report.seams import render_candidates_json

    return render_candidates_json(document.root, document.candidates)


@register(ExtractionSheet, "terminal")
def _extraction_terminal(sheet: ExtractionSheet, options: RenderOptions) -> str:
    from seamfinder.report.seams import extraction_blocks, print_blocks

    blocks = extraction_blocks(sheet)
    return console_text(lambda console: print_blocks(console, blocks), options)


@register(CandidateList, "html")
def _candidates_html(document: CandidateList, options: RenderOptions) -> str:
    from seamfinder.report import html

    return html.render_candidates(document)


@register(ExtractionSheet, "html")
def _extraction_html(sheet: ExtractionSheet, options: RenderOptions) -> str:
    from seamfinder.report import html

    return html.render_extraction(sheet)


@register(ExtractionSheet, "json")
def _extraction_json(sheet: ExtractionSheet, options: RenderOptions) -> str:
    from seamfinder.report.seams import render_extraction_json

    return render_extraction_json(sheet)


@register(RuleCatalog, "terminal")
def _catalog_terminal(catalog: RuleCatalog, options: RenderOptions) -> str:
    from seamfinder.report.catalog import render_catalog

    return render_catalog(catalog.rules, "terminal")


@register(RuleCatalog, "json")
def _catalog_json(catalog: RuleCatalog, options: RenderOptions) -> str:
    from seamfinder.report.catalog import render_catalog

    return render_catalog(catalog.rules, "json")


@register(SeamOutcome, "terminal")
def _seam_terminal(outcome: SeamOutcome, options: RenderOptions) -> str:
    from seamfinder.report.seam import render_seam_terminal

    return render_seam_terminal(outcome, color=options.color)


@register(SeamOutcome, "json")
def _seam_json(outcome: SeamOutcome, options: RenderOptions) -> str:
    from seamfinder.report.seam import render_seam_json

    return render_seam_json(outcome)


FORMATS = formats_of(Report)
MACHINE_FORMATS = frozenset(FORMATS) - {"terminal"}
