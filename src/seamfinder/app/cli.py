"""The command line: parse flags, call one application function per command, print.

Exit codes: 0 clean, 1 findings at or above ``--fail-on``, 2 the run itself failed
(bad path, bad config, internal error). Errors are one line on stderr, never a
traceback (``SEAMFINDER_DEBUG=1`` shows it).
"""

from __future__ import annotations

import functools
import os
import shutil
import sys
from collections.abc import Callable, Sequence
from dataclasses import fields
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from seamfinder.app import commands, flags
from seamfinder.app.commands import GateArgs, OutputArgs, Printed, ProjectArgs
from seamfinder.app.gate import EXIT_ERROR
from seamfinder.config.settings import FAIL_ON_CHOICES
from seamfinder.core.errors import SeamfinderError
from seamfinder.core.progress import showing
from seamfinder.core.version import __version__
from seamfinder.report.progress import on_terminal

if TYPE_CHECKING:
    from seamfinder.report import RenderOptions

F = TypeVar("F", bound=Callable[..., Any])


class Failure(click.ClickException):
    """A failed run: printed as one line, exit code 2 (click's usage errors are 2 too)."""

    exit_code = EXIT_ERROR

    def show(self, file: Any = None) -> None:
        click.echo(f"seamfinder: error: {self.format_message()}", err=True)


def _handle_errors(func: Callable[..., Printed]) -> Callable[..., None]:
    """Print a command's result and exit with its code; errors become one line, exit 2."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> None:
        try:
            # Progress on a terminal's stderr, erased before anything is printed.
            with showing(on_terminal(sys.stderr)):
                printed = func(*args, **kwargs)
        except SeamfinderError as exc:
            raise Failure(str(exc)) from None
        except (click.ClickException, click.exceptions.Exit, KeyboardInterrupt):
            raise
        except Exception as exc:
            if os.environ.get("SEAMFINDER_DEBUG"):
                raise
            raise Failure(
                f"internal error: {type(exc).__name__}: {exc} "
                "(set SEAMFINDER_DEBUG=1 for the traceback, and please report it)"
            ) from None
        if printed.stdout:
            click.echo(printed.stdout, nl=False)
        for line in printed.stderr:
            click.echo(line, err=True)
        sys.exit(printed.code)

    return wrapper


@click.group(
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
    epilog="Examples:\n\n  seamfinder analyze path/to/project\n\n"
    "  seamfinder check path/to/project",
)
@click.version_option(__version__, "-V", "--version", prog_name="seamfinder")
def main() -> None:
    """Find the seams in a Python monolith, statically: components, their imports and data.

    Nothing in the analysed project is imported or run.
    """


def _collect(func: F, cls: type[Any], name: str, options: Sequence[Callable[[F], F]]) -> F:
    """Add ``options`` to a command and hand them to it as one ``cls`` value named ``name``."""

    keys = [f.name for f in fields(cls)]

    @functools.wraps(func)
    def wrapper(**kwargs: Any) -> Any:
        value = cls(**{key: kwargs.pop(key) for key in keys})
        return func(**{name: value}, **kwargs)

    command: Any = wrapper
    for option in reversed(options):
        command = option(command)
    return command  # type: ignore[no-any-return]


def _project_options(func: F) -> F:
    options = [
        click.argument("path", type=click.Path(path_type=Path), default=Path(), required=False),
        click.option(
            "--config",
            "config_file",
            type=click.Path(path_type=Path),
            help="Read settings from this TOML file instead of PATH's own.",
        ),
        click.option(
            "--depth",
            type=click.IntRange(min=0),
            help="Package depth of detected components (default 1).",
        ),
        click.option(
            "--exclude",
            "extend_exclude",
            multiple=True,
            callback=flags.globs,
            metavar="GLOB",
            help="Also exclude paths matching GLOB (repeatable).",
        ),
        click.option(
            "--select",
            multiple=True,
            callback=flags.rule_codes,
            metavar="CODE",
            help="Only these rule codes or prefixes (repeatable, e.g. SF2).",
        ),
        click.option(
            "--ignore",
            multiple=True,
            callback=flags.rule_codes,
            metavar="CODE",
            help="Skip these rule codes or prefixes (repeatable).",
        ),
        click.option(
            "--cache-dir",
            type=click.Path(path_type=Path),
            help="Where to keep the per-file cache (default: PATH/.seamfinder_cache).",
        ),
        click.option("--no-cache", is_flag=True, help="Neither read nor write the cache."),
        click.option(
            "--history",
            is_flag=True,
            help="Read git history for change coupling and hotspots.",
        ),
    ]
    return _collect(func, ProjectArgs, "project", options)


def _gate_options(func: F) -> F:
    options = [
        click.option(
            "--fail-on",
            type=click.Choice(FAIL_ON_CHOICES),
            help="Exit 1 when a finding is at least this severe (default: error).",
        ),
        click.option(
            "--exit-zero",
            is_flag=True,
            help="Exit 0 even when there are findings (errors of the run still exit 2).",
        ),
    ]
    return _collect(func, GateArgs, "gate", options)


def _screen(formats: Sequence[str]) -> RenderOptions | None:
    """Colour and width for a terminal on stdout, when stdout is one."""

    from seamfinder.report import RenderOptions

    if "terminal" not in formats:
        return None
    if sys.stdout.isatty():
        return RenderOptions(
            color="NO_COLOR" not in os.environ, width=shutil.get_terminal_size((120, 24)).columns
        )
    # Piped: COLUMNS still says how wide the reader's screen is.
    columns = os.environ.get("COLUMNS", "")
    return RenderOptions(width=int(columns)) if columns.isdigit() and int(columns) > 0 else None


def _format_options(document: str) -> Callable[[F], F]:
    """``--format`` (repeatable, any format of ``document``), ``--output``, ``--timings``."""

    def decorate(func: F) -> F:
        from seamfinder.report import formats_of

        func = click.option(
            "--timings",
            is_flag=True,
            help="Put the run time in machine-readable output (off: output stays byte-identical).",
        )(func)
        func = click.option(
            "-o",
            "--output",
            "outputs",
            multiple=True,
            type=click.Path(path_type=Path),
            help="Write the matching --format to FILE instead of stdout (repeatable).",
        )(func)
        return click.option(
            "-f",
            "--format",
            "formats",
            multiple=True,
            type=click.Choice(formats_of(_DOCUMENTS[document])),
            help="Output format (repeatable; default terminal).",
        )(func)

    return decorate


def _one_format(document: str) -> Callable[[F], F]:
    """``--format`` (one, default terminal) and ``--output FILE``."""

    def decorate(func: F) -> F:
        from seamfinder.report import formats_of

        func = click.option(
            "-o",
            "--output",
            type=click.Path(path_type=Path, dir_okay=False),
            help="Write to FILE instead of stdout.",
        )(func)
        return click.option(
            "-f",
            "--format",
            "format_name",
            type=click.Choice(formats_of(_DOCUMENTS[document])),
            default="terminal",
            help="Output format (default terminal).",
        )(func)

    return decorate


def _documents() -> dict[str, type]:
    from seamfinder.core.model import (
        CandidateList,
        ExtractionSheet,
        Report,
        RuleCatalog,
        SeamOutcome,
    )

    return {
        "report": Report,
        "candidates": CandidateList,
        "extraction": ExtractionSheet,
        "catalog": RuleCatalog,
        "seam": SeamOutcome,
    }


_DOCUMENTS = _documents()


def _outputs(
    formats: Sequence[str], outputs: Sequence[Path], timings: bool = False, **extra: bool
) -> OutputArgs:
    chosen = tuple(formats) or ("terminal",)
    return OutputArgs(chosen, tuple(outputs), _screen(chosen), timings, **extra)


def _single(format_name: str, output: Path | None) -> OutputArgs:
    return _outputs((format_name,), (output,) if output is not None else ())


def _no_findings_exit(func: F) -> F:
    """``--exit-zero`` on a command that reports no findings: accepted so that one set of
    flags works for every command, and changes nothing (it never exits 1)."""

    return click.option(
        "--exit-zero",
        is_flag=True,
        help="Accepted for uniformity: this command reports no findings and never exits 1.",
    )(func)


def _baseline_option(func: F) -> F:
    return click.option(
        "--baseline",
        "baseline_file",
        type=click.Path(path_type=Path, dir_okay=False),
        help="The baseline file (default: PATH/seamfinder-baseline.json).",
    )(func)


@main.command(
    epilog="Examples:\n\n  seamfinder analyze fixtures/django_shop\n\n"
    "  seamfinder analyze . --format json --output report.json"
)
@_project_options
@_gate_options
@_format_options("report")
@click.option("--show-modules", is_flag=True, help="List each component's modules.")
@click.option("--show-skipped", is_flag=True, help="List the Python files left out for their name.")
@_handle_errors
def analyze(
    project: ProjectArgs,
    gate: GateArgs,
    formats: tuple[str, ...],
    outputs: tuple[Path, ...],
    timings: bool,
    show_modules: bool,
    show_skipped: bool,
) -> Printed:
    """Report PATH's components, how they depend on each other, cycles and findings."""

    output = _outputs(
        formats, outputs, timings, show_modules=show_modules, show_skipped=show_skipped
    )
    return commands.analyze(project, gate, output)


@main.command(
    epilog="Examples:\n\n  seamfinder check\n\n"
    "  seamfinder check . --diff origin/main --format github\n\n"
    "  seamfinder check . --format sarif -o seamfinder.sarif --format terminal"
)
@_project_options
@_gate_options
@_format_options("report")
@_baseline_option
@click.option(
    "--strict",
    is_flag=True,
    help="Also fail while the baseline records findings that no longer occur.",
)
@click.option(
    "--diff",
    "diff_base",
    metavar="BASE",
    callback=flags.revision,
    help="Only report findings that touch files changed since the git revision BASE.",
)
@_handle_errors
def check(
    project: ProjectArgs,
    gate: GateArgs,
    formats: tuple[str, ...],
    outputs: tuple[Path, ...],
    timings: bool,
    baseline_file: Path | None,
    strict: bool,
    diff_base: str | None,
) -> Printed:
    """Evaluate the rules on PATH: exit 0 clean, 1 findings at or above --fail-on, 2 failed.

    With a baseline (PATH/seamfinder-baseline.json, or --baseline FILE) only findings it
    does not record count; the ones it records but that are gone are listed as fixed.
    """

    output = _outputs(formats, outputs, timings)
    return commands.check(project, gate, output, baseline_file, strict, diff_base)


@main.command(
    "baseline",
    epilog="Example:\n\n  seamfinder baseline . && git add seamfinder-baseline.json",
)
@_project_options
@_baseline_option
@_handle_errors
def baseline_command(project: ProjectArgs, baseline_file: Path | None) -> Printed:
    """Record PATH's current findings, so that check fails only on new ones.

    The file is sorted JSON, keyed by fingerprint (rule code and subjects, never line
    numbers), with a count per fingerprint: commit it and review its diffs. Entries of
    rules this run did not evaluate (--select, --ignore) are kept as they were.
    """

    return commands.record_baseline(project, baseline_file)


@main.group(
    "rules",
    invoke_without_command=True,
    epilog="Examples:\n\n  seamfinder rules\n\n  seamfinder rules --format json\n\n"
    "  seamfinder rules explain SF201",
)
@click.option(
    "-f",
    "--format",
    "format_name",
    type=click.Choice(["terminal", "json"]),
    default="terminal",
    help="Output format of the list.",
)
@click.pass_context
def rules_command(ctx: click.Context, format_name: str) -> None:
    """List every rule: code, name, default severity and summary.

    `seamfinder rules explain CODE-OR-NAME` prints a rule's documentation.
    """

    if ctx.invoked_subcommand is None:
        _handle_errors(commands.rule_list)(_single(format_name, None))


@rules_command.command(
    "explain",
    epilog="Examples:\n\n  seamfinder rules explain SF201\n\n"
    "  seamfinder rules explain cross-boundary-write",
)
@click.argument("rule")
@_handle_errors
def explain(rule: str) -> Printed:
    """Print the documentation of RULE, given by code (SF101) or name (component-cycle)."""

    return commands.explain(rule)


@main.command(
    epilog="Examples:\n\n  seamfinder candidates fixtures/django_shop\n\n"
    "  seamfinder candidates . --history --format json"
)
@_project_options
@_one_format("candidates")
@_no_findings_exit
@_handle_errors
def candidates(
    project: ProjectArgs, format_name: str, output: Path | None, exit_zero: bool
) -> Printed:
    """Rank PATH's components as extraction candidates, easiest first, with the breakdown.

    Each score is 100 minus the points its obstacles cost: what imports it, the symbols
    it would publish, who touches its tables, the tables it touches, its own
    dependencies, cycles, cross-component transactions, size and (with --history)
    co-change. `seamfinder extract COMPONENT PATH` details one candidate's cost.
    """

    return commands.candidates(project, _single(format_name, output))


@main.command(
    epilog="Examples:\n\n  seamfinder extract notifications fixtures/django_shop\n\n"
    "  seamfinder extract billing fixtures/django_shop --with orders.services "
    "--format json"
)
@click.argument("component")
@_project_options
@click.option(
    "--with",
    "with_",
    multiple=True,
    metavar="MODULE",
    help="Also move this module (or pattern: a.b and below, * one part) into the service; "
    "modules of the component itself carve the service out of it; a model class moves its "
    "table.",
)
@click.option(
    "--without",
    multiple=True,
    metavar="MODULE",
    help="Leave this module (or pattern, or model class) of the component in the monolith.",
)
@_one_format("extraction")
@_no_findings_exit
@_handle_errors
def extract(
    component: str,
    project: ProjectArgs,
    with_: tuple[str, ...],
    without: tuple[str, ...],
    format_name: str,
    output: Path | None,
    exit_zero: bool,
) -> Printed:
    """What extracting COMPONENT of PATH as a service would cost.

    The import statements that become remote calls (by caller), the interface to
    publish, the tables that move and who else uses them, foreign keys to break,
    transactions that become sagas, cycles that become distributed, and the
    decomposition metrics before and after.
    """

    return commands.extract(project, component, with_, without, _single(format_name, output))


@main.command(
    epilog="Examples:\n\n  seamfinder seam billing fixtures/django_shop\n\n"
    "  seamfinder seam billing . --apply\n\n"
    "  seamfinder seam billing . --facade payments.interface --format json"
)
@click.argument("component")
@_project_options
@click.option(
    "--facade",
    metavar="MODULE",
    help="The facade module to write (default: the component's package .api).",
)
@click.option("--apply", "apply_", is_flag=True, help="Write the changes (default: show the diff).")
@_one_format("seam")
@_handle_errors
def seam(
    component: str,
    project: ProjectArgs,
    facade: str | None,
    apply_: bool,
    format_name: str,
    output: Path | None,
) -> Printed:
    """Route every import of COMPONENT's internals through one facade module.

    The names other components import from COMPONENT become its public interface: a
    facade re-exports them, importers are rewritten to use it, and the configuration
    declares it public so that SF105 keeps the boundary. Imports by string and data
    access that cannot be rewritten are listed as the remaining work. Exits 1 when the
    facade would close a new import cycle (nothing is written then).
    """

    from seamfinder.app.seam import SeamRequest

    request = SeamRequest(component, facade, apply_, project.config_file)
    return commands.seam(project, request, _single(format_name, output))
