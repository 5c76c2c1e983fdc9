"""The command line: parse flags, run the pipeline, hand the report to reporters, exit.

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
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from seamfinder.config.settings import FAIL_ON_CHOICES, Config, load_config
from seamfinder.core.errors import SeamfinderError
from seamfinder.core.model import BaselineEntry, Finding, Report, Severity
from seamfinder.core.version import __version__

if TYPE_CHECKING:
    from seamfinder.pipeline.remember import CachedRun, Output
    from seamfinder.report import RenderOptions

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2

F = TypeVar("F", bound=Callable[..., Any])


class Failure(click.ClickException):
    """A failed run: printed as one line, exit code 2 (click's usage errors are 2 too)."""

    exit_code = EXIT_ERROR

    def show(self, file: Any = None) -> None:
        click.echo(f"seamfinder: error: {self.format_message()}", err=True)


def _handle_errors(func: F) -> F:
    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
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

    return wrapper  # type: ignore[return-value]


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


@dataclass(frozen=True, slots=True)
class ProjectArgs:
    """What every command that analyses a project takes: where, how, and which rules."""

    path: Path
    config_file: Path | None
    depth: int | None
    extend_exclude: tuple[str, ...]
    select: tuple[str, ...]
    ignore: tuple[str, ...]
    cache_dir: Path | None
    no_cache: bool
    history: bool

    @property
    def root(self) -> Path:
        return self.path if self.path.is_dir() else self.path.parent


@dataclass(frozen=True, slots=True)
class GateArgs:
    """What decides the exit code of a command that can fail on findings."""

    fail_on: str | None
    exit_zero: bool


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
            metavar="GLOB",
            help="Also exclude paths matching GLOB (repeatable).",
        ),
        click.option(
            "--select",
            multiple=True,
            metavar="CODE",
            help="Only these rule codes or prefixes (repeatable, e.g. SF2).",
        ),
        click.option(
            "--ignore",
            multiple=True,
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


def _load(path: Path, config_file: Path | None, **overrides: Any) -> Config:
    from seamfinder.config.adopt import adopt

    root = path if path.is_dir() else path.parent
    # Contracts already declared for import-linter or tach are checked too, unless
    # [tool.seamfinder] declares its own.
    config = adopt(root, load_config(root, config_file))
    extend = overrides.pop("extend_exclude", ())
    if extend:
        config = config.with_overrides(extend_exclude=config.extend_exclude + tuple(extend))
    return config.with_overrides(**overrides)


def _prepare(
    project: ProjectArgs, fail_on: str | None = None, *, seams: bool = True
) -> tuple[Config, CachedRun]:
    """Load the configuration with the flags applied, and read the project once.

    ``seams=False`` leaves out the proposed seams and candidates (and networkx with them):
    ``check`` and ``baseline`` show only findings.
    """

    from seamfinder.config.options import RunOptions
    from seamfinder.pipeline.remember import CachedRun

    config = _load(
        project.path,
        project.config_file,
        depth=project.depth,
        fail_on=fail_on,
        extend_exclude=project.extend_exclude,
    )
    if project.history:
        config = replace(config, history=replace(config.history, enabled=True))
    run = CachedRun(
        RunOptions(
            path=project.path,
            config=config,
            display=str(project.path),
            cache_dir=_cache_dir(project.path, project.cache_dir, project.no_cache),
            select=project.select,
            ignore=project.ignore,
            seams=seams,
        )
    )
    return config, run


def _run(
    project: ProjectArgs, fail_on: str | None = None, *, seams: bool = True
) -> tuple[Config, Report]:
    """Load the configuration with the flags applied, and run the pipeline (or the cache)."""

    config, run = _prepare(project, fail_on, seams=seams)
    return config, run.report()


def _cache_dir(path: Path, cache_dir: Path | None, no_cache: bool) -> Path | None:
    from seamfinder.config.options import default_cache_dir

    if no_cache:
        return None
    return cache_dir if cache_dir is not None else default_cache_dir(path)


def exit_code(findings: Sequence[Finding], fail_on: str, exit_zero: bool) -> int:
    rank = max((f.severity.rank for f in findings), default=-1)
    return _exit_from_rank(rank, fail_on, exit_zero)


def _exit_from_rank(rank: int, fail_on: str, exit_zero: bool) -> int:
    """0 or 1 from the most severe finding's rank (-1: no finding)."""

    if exit_zero or fail_on == "never":
        return EXIT_CLEAN
    return EXIT_FINDINGS if rank >= Severity(fail_on).rank else EXIT_CLEAN


def _write_outputs(
    report: Report,
    formats: Sequence[str],
    outputs: Sequence[Path],
    *,
    timings: bool = False,
    show_modules: bool = False,
    findings_only: bool = False,
) -> str | None:
    """Render every format; return the one that went to stdout, if one did."""

    from seamfinder.report import RenderOptions, render

    if len(outputs) > len(formats):
        raise Failure("more --output than --format: give one --format for each --output")
    to_stdout = list(formats[len(outputs) :])
    if len(to_stdout) > 1:
        raise Failure("only one format can go to stdout: give an --output for each of the others")
    for format_name, output in zip(formats, outputs, strict=False):
        text = render(
            format_name,
            report,
            RenderOptions(timings=timings, show_modules=show_modules, findings_only=findings_only),
        )
        try:
            output.parent.mkdir(parents=True, exist_ok=True)
            output.write_text(text, encoding="utf-8")
        except OSError as exc:
            raise Failure(f"cannot write {output}: {exc.strerror or exc}") from None
    if to_stdout:
        format_name = to_stdout[0]
        options = _stdout_options(format_name, timings, show_modules, findings_only)
        click.echo(render(format_name, report, options), nl=False)
        return format_name
    return None


def _stdout_options(
    format_name: str, timings: bool, show_modules: bool, findings_only: bool
) -> RenderOptions:
    from seamfinder.report import RenderOptions

    tty = sys.stdout.isatty() and format_name == "terminal"
    return RenderOptions(
        color=tty and "NO_COLOR" not in os.environ,
        width=shutil.get_terminal_size((120, 24)).columns if tty else 120,
        timings=timings,
        show_modules=show_modules,
        findings_only=findings_only,
    )


def _format_options(func: F) -> F:
    from seamfinder.report import FORMATS

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
        type=click.Choice(sorted(FORMATS)),
        help="Output format (repeatable; default terminal).",
    )(func)


@main.command(
    epilog="Examples:\n\n  seamfinder analyze fixtures/django_shop\n\n"
    "  seamfinder analyze . --format json --output report.json"
)
@_project_options
@_gate_options
@_format_options
@click.option("--show-modules", is_flag=True, help="List each component's modules.")
@_handle_errors
def analyze(
    project: ProjectArgs,
    gate: GateArgs,
    formats: tuple[str, ...],
    outputs: tuple[Path, ...],
    timings: bool,
    show_modules: bool,
) -> None:
    """Report PATH's components, how they depend on each other, cycles and findings."""

    from seamfinder.pipeline.remember import Output
    from seamfinder.report import render

    config, run = _prepare(project, gate.fail_on)
    formats = formats or ("terminal",)
    # The common case, one format on stdout, is remembered whole: an unchanged project
    # prints again without decoding its report (runs with timings differ, so never).
    cached_name = None
    if len(formats) == 1 and not outputs and not timings:
        options = _stdout_options(formats[0], timings, show_modules, False)
        cached_name = f"analyze|{formats[0]}|{options!r}|{config.fail_on}|{gate.exit_zero}"
        _replay(run.output(cached_name))
    report = run.report()
    code = exit_code(report.findings, config.fail_on, gate.exit_zero)
    if cached_name is not None:
        text = render(formats[0], report, options)
        click.echo(text, nl=False)
        run.store_output(cached_name, Output(text, code))
    else:
        _write_outputs(report, formats, outputs, timings=timings, show_modules=show_modules)
    sys.exit(code)


def _replay(output: Output | None) -> None:
    """Print a remembered output and exit with its code; nothing if there is none."""

    if output is None:
        return
    click.echo(output.text, nl=False)
    for line in output.stderr:
        click.echo(line, err=True)
    sys.exit(output.code)


def _baseline_option(func: F) -> F:
    from seamfinder.app.baseline import DEFAULT_BASELINE

    return click.option(
        "--baseline",
        "baseline_file",
        type=click.Path(path_type=Path, dir_okay=False),
        help=f"The baseline file (default: PATH/{DEFAULT_BASELINE}).",
    )(func)


def _baseline_path(project: ProjectArgs, baseline_file: Path | None) -> Path:
    from seamfinder.app.baseline import DEFAULT_BASELINE

    return baseline_file if baseline_file is not None else project.root / DEFAULT_BASELINE


@main.command(
    epilog="Examples:\n\n  seamfinder check\n\n"
    "  seamfinder check . --diff origin/main --format github\n\n"
    "  seamfinder check . --format sarif -o seamfinder.sarif --format terminal"
)
@_project_options
@_gate_options
@_format_options
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
) -> None:
    """Evaluate the rules on PATH: exit 0 clean, 1 findings at or above --fail-on, 2 failed.

    With a baseline (PATH/seamfinder-baseline.json, or --baseline FILE) only findings it
    does not record count; the ones it records but that are gone are listed as fixed.
    """

    from seamfinder.app import baseline, gitdiff
    from seamfinder.pipeline.remember import Output
    from seamfinder.report import MACHINE_FORMATS, render
    from seamfinder.report.summary import summary_lines

    # Everything that can fail cheaply fails before the analysis: a bad revision, a
    # baseline that cannot be read.
    changed = gitdiff.changed_files(project.root.resolve(), diff_base) if diff_base else None
    baseline_path = _baseline_path(project, baseline_file)
    entries = None
    baseline_text = ""
    if baseline_file is not None or baseline_path.is_file():
        entries = baseline.load(baseline_path, str(baseline_path))
        baseline_text = repr(entries)
    config, run = _prepare(project, gate.fail_on, seams=False)
    # A pre-commit hook on an unchanged tree prints what it printed last time; --diff
    # depends on git's state and timings on the clock, so they always run.
    formats = formats or ("terminal",)
    cached_name = None
    if len(formats) == 1 and not outputs and not timings and changed is None:
        options = _stdout_options(formats[0], timings, False, True)
        cached_name = (
            f"check|{formats[0]}|{options!r}|{config.fail_on}|{gate.exit_zero}|{strict}|"
            f"{baseline_path}|{baseline_text}"
        )
        _replay(run.output(cached_name))
    report = run.report()
    findings, status = report.findings, None
    if entries is not None:
        ran = {rule.code for rule in report.rules}
        comparison = baseline.compare(findings, entries, ran.__contains__)
        recorded = sum(e.count for e in entries if e.code in ran)
        findings, status = comparison.new, comparison.status(str(baseline_path), recorded, strict)
    if changed is not None:
        findings = gitdiff.only_touching(findings, changed)
    report = replace(report, findings=findings, baseline=status, changed_since=diff_base)
    code = exit_code(report.findings, config.fail_on, gate.exit_zero)
    if status is not None and status.strict and status.fixed and not gate.exit_zero:
        code = EXIT_FINDINGS
    stderr: tuple[str, ...] = ()
    if cached_name is not None:
        text = render(formats[0], report, options)
        click.echo(text, nl=False)
        if formats[0] in MACHINE_FORMATS:
            stderr = tuple(summary_lines(report))
        run.store_output(cached_name, Output(text, code, stderr))
    else:
        on_stdout = _write_outputs(report, formats, outputs, timings=timings, findings_only=True)
        if on_stdout is None or on_stdout in MACHINE_FORMATS:
            stderr = tuple(summary_lines(report))
    for line in stderr:
        click.echo(line, err=True)
    sys.exit(code)


@main.command(
    "baseline",
    epilog="Example:\n\n  seamfinder baseline . && git add seamfinder-baseline.json",
)
@_project_options
@_baseline_option
@_handle_errors
def baseline_command(project: ProjectArgs, baseline_file: Path | None) -> None:
    """Record PATH's current findings, so that check fails only on new ones.

    The file is sorted JSON, keyed by fingerprint (rule code and subjects, never line
    numbers), with a count per fingerprint: commit it and review its diffs. Entries of
    rules this run did not evaluate (--select, --ignore) are kept as they were.
    """

    from seamfinder.app import baseline

    _config, report = _run(project, seams=False)
    path = _baseline_path(project, baseline_file)
    ran = {rule.code for rule in report.rules}
    kept: tuple[BaselineEntry, ...] = ()
    if path.is_file():
        try:
            kept = tuple(e for e in baseline.load(path, str(path)) if e.code not in ran)
        except baseline.BaselineError:
            kept = ()  # rewriting a broken file is how it gets fixed
    entries = tuple(
        sorted((*kept, *baseline.entries_of(report.findings)), key=lambda e: (e.code, e.subjects))
    )
    baseline.write(path, entries)
    total = sum(e.count for e in entries)
    click.echo(
        f"seamfinder: wrote {path}: {total} finding{'s' if total != 1 else ''} "
        f"under {len(entries)} fingerprint{'s' if len(entries) != 1 else ''}",
        err=True,
    )


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

    if ctx.invoked_subcommand is not None:
        return
    from seamfinder.report.catalog import render_catalog
    from seamfinder.rules.catalog import catalog

    click.echo(render_catalog(catalog(), format_name), nl=False)


@rules_command.command(
    "explain",
    epilog="Examples:\n\n  seamfinder rules explain SF201\n\n"
    "  seamfinder rules explain cross-boundary-write",
)
@click.argument("rule")
@_handle_errors
def explain(rule: str) -> None:
    """Print the documentation of RULE, given by code (SF101) or name (component-cycle)."""

    from seamfinder.rules.catalog import rule_info
    from seamfinder.rules.registry import get_rule

    found = get_rule(rule)
    if found is None:
        raise Failure(f"no rule {rule!r}: `seamfinder rules` lists them")
    info = rule_info(found)
    click.echo(info.help or f"# {info.code} {info.name}\n\n{info.summary}\n", nl=False)


def _one_format(func: F) -> F:
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
        type=click.Choice(["terminal", "json"]),
        default="terminal",
        help="Output format (default terminal).",
    )(func)


def _emit(render: Callable[[bool, int], str], format_name: str, output: Path | None) -> None:
    """Write ``render(color, width)`` to ``output``, or to stdout (in colour on a terminal)."""

    if output is not None:
        try:
            output.parent.mkdir(parents=True, exist_ok=True)
            output.write_text(render(False, 120), encoding="utf-8")
        except OSError as exc:
            raise Failure(f"cannot write {output}: {exc.strerror or exc}") from None
        return
    options = _stdout_options(format_name, False, False, False)
    click.echo(render(options.color, options.width), nl=False)


@main.command(
    epilog="Examples:\n\n  seamfinder candidates fixtures/django_shop\n\n"
    "  seamfinder candidates . --history --format json"
)
@_project_options
@_one_format
@_handle_errors
def candidates(project: ProjectArgs, format_name: str, output: Path | None) -> None:
    """Rank PATH's components as extraction candidates, easiest first, with the breakdown.

    Each score is 100 minus the points its obstacles cost: what imports it, the symbols
    it would publish, who touches its tables, the tables it touches, its own
    dependencies, cycles, cross-component transactions, size and (with --history)
    co-change. `seamfinder extract COMPONENT PATH` details one candidate's cost.
    """

    from seamfinder.report.seams import render_candidates

    _config, report = _run(project)
    _emit(
        lambda color, width: render_candidates(
            report.root, report.candidates, format_name, color=color, width=width
        ),
        format_name,
        output,
    )


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
    help="Also move this module (or pattern: a.b and below, * one part) into the service.",
)
@click.option(
    "--without",
    multiple=True,
    metavar="MODULE",
    help="Leave this module (or pattern) of the component in the monolith.",
)
@_one_format
@_handle_errors
def extract(
    component: str,
    project: ProjectArgs,
    with_: tuple[str, ...],
    without: tuple[str, ...],
    format_name: str,
    output: Path | None,
) -> None:
    """What extracting COMPONENT of PATH as a service would cost.

    The import statements that become remote calls (by caller), the interface to
    publish, the tables that move and who else uses them, foreign keys to break,
    transactions that become sagas, cycles that become distributed, and the
    decomposition metrics before and after.
    """

    from seamfinder.pipeline.run import extraction
    from seamfinder.report.seams import render_extraction

    _config, run = _prepare(project)
    sheet = extraction(run.options, component, with_, without, run.inputs)
    _emit(
        lambda color, width: render_extraction(sheet, format_name, color=color, width=width),
        format_name,
        output,
    )
