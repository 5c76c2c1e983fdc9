"""Reporters render a whole :class:`~seamfinder.core.model.Report`; they compute nothing.

Every format is a function from the report to text, so that any of them can go to
stdout or to a file, and several can be written from one run.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass

from seamfinder.core.model import Report


@dataclass(frozen=True, slots=True)
class RenderOptions:
    color: bool = False
    width: int = 120
    timings: bool = False
    show_modules: bool = False
    findings_only: bool = False  # ``check``: the findings and the count, not the whole report


def _terminal(report: Report, options: RenderOptions) -> str:
    from rich.console import Console

    from seamfinder.report import terminal

    buffer = io.StringIO()
    console = Console(
        file=buffer,
        force_terminal=options.color,
        no_color=not options.color,
        width=options.width,
        highlight=False,
        emoji=False,
    )
    if options.findings_only:
        terminal.render_check(report, console)
    else:
        terminal.render(report, console, show_modules=options.show_modules, timings=options.timings)
    return buffer.getvalue()


def _json(report: Report, options: RenderOptions) -> str:
    from seamfinder.report import json

    return json.render(report, timings=options.timings)


def _sarif(report: Report, options: RenderOptions) -> str:
    from seamfinder.report import sarif

    return sarif.render(report)


def _junit(report: Report, options: RenderOptions) -> str:
    from seamfinder.report import junit

    return junit.render(report)


def _github(report: Report, options: RenderOptions) -> str:
    from seamfinder.report import github

    return github.render(report)


def _markdown(report: Report, options: RenderOptions) -> str:
    from seamfinder.report import markdown

    return markdown.render(report)


FORMATS: dict[str, Callable[[Report, RenderOptions], str]] = {
    "terminal": _terminal,
    "json": _json,
    "sarif": _sarif,
    "junit": _junit,
    "github": _github,
    "markdown": _markdown,
}

MACHINE_FORMATS = frozenset(FORMATS) - {"terminal"}


def render(format_name: str, report: Report, options: RenderOptions) -> str:
    return FORMATS[format_name](report, options)
