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
from pathlib import Path
from typing import Any, TypeVar

import click

from seamfinder import __version__
from seamfinder.config import FAIL_ON_CHOICES, Config, load_config
from seamfinder.errors import SeamfinderError
from seamfinder.model import Finding, Report, Severity

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
    epilog="Example:\n\n  seamfinder analyze path/to/project",
)
@click.version_option(__version__, "-V", "--version", prog_name="seamfinder")
def main() -> None:
    """Find the seams in a Python monolith, statically: components, their imports and data.

    Nothing in the analysed project is imported or run.
    """


def _common_options(func: F) -> F:
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
            "--fail-on",
            type=click.Choice(FAIL_ON_CHOICES),
            help="Exit 1 when a finding is at least this severe (default: error).",
        ),
        click.option(
            "--exit-zero",
            is_flag=True,
            help="Exit 0 even when there are findings (errors of the run still exit 2).",
        ),
        click.option(
            "--cache-dir",
            type=click.Path(path_type=Path),
            help="Where to keep the per-file cache (default: PATH/.seamfinder_cache).",
        ),
        click.option("--no-cache", is_flag=True, help="Neither read nor write the cache."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def _load(path: Path, config_file: Path | None, **overrides: Any) -> Config:
    root = path if path.is_dir() else path.parent
    config = load_config(root, config_file)
    extend = overrides.pop("extend_exclude", ())
    if extend:
        config = config.with_overrides(extend_exclude=config.extend_exclude + tuple(extend))
    return config.with_overrides(**overrides)


def _cache_dir(path: Path, cache_dir: Path | None, no_cache: bool) -> Path | None:
    from seamfinder.pipeline import default_cache_dir

    if no_cache:
        return None
    return cache_dir if cache_dir is not None else default_cache_dir(path)


def exit_code(findings: Sequence[Finding], fail_on: str, exit_zero: bool) -> int:
    if exit_zero or fail_on == "never":
        return EXIT_CLEAN
    threshold = Severity(fail_on).rank
    return EXIT_FINDINGS if any(f.severity.rank >= threshold for f in findings) else EXIT_CLEAN


def _write_outputs(
    report: Report,
    formats: Sequence[str],
    outputs: Sequence[Path],
    *,
    timings: bool = False,
    show_modules: bool = False,
) -> None:
    from seamfinder.reporters import RenderOptions, render

    if len(outputs) > len(formats):
        raise Failure("more --output than --format: give one --format for each --output")
    to_stdout = list(formats[len(outputs) :])
    if len(to_stdout) > 1:
        raise Failure("only one format can go to stdout: give an --output for each of the others")
    for format_name, output in zip(formats, outputs, strict=False):
        text = render(
            format_name, report, RenderOptions(timings=timings, show_modules=show_modules)
        )
        try:
            output.parent.mkdir(parents=True, exist_ok=True)
            output.write_text(text, encoding="utf-8")
        except OSError as exc:
            raise Failure(f"cannot write {output}: {exc.strerror or exc}") from None
    if to_stdout:
        format_name = to_stdout[0]
        tty = sys.stdout.isatty() and format_name == "terminal"
        width = shutil.get_terminal_size((120, 24)).columns if tty else 120
        options = RenderOptions(
            color=tty and "NO_COLOR" not in os.environ,
            width=width,
            timings=timings,
            show_modules=show_modules,
        )
        click.echo(render(format_name, report, options), nl=False)


def _format_options(func: F) -> F:
    from seamfinder.reporters import FORMATS

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
@_common_options
@_format_options
@click.option("--show-modules", is_flag=True, help="List each component's modules.")
@_handle_errors
def analyze(
    path: Path,
    config_file: Path | None,
    depth: int | None,
    extend_exclude: tuple[str, ...],
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    fail_on: str | None,
    exit_zero: bool,
    cache_dir: Path | None,
    no_cache: bool,
    formats: tuple[str, ...],
    outputs: tuple[Path, ...],
    timings: bool,
    show_modules: bool,
) -> None:
    """Report PATH's components, how they depend on each other, cycles and findings."""

    from seamfinder.pipeline import RunOptions, run

    config = _load(path, config_file, depth=depth, fail_on=fail_on, extend_exclude=extend_exclude)
    report = run(
        RunOptions(
            path=path,
            config=config,
            display=str(path),
            cache_dir=_cache_dir(path, cache_dir, no_cache),
            select=select,
            ignore=ignore,
        )
    )
    _write_outputs(
        report, formats or ("terminal",), outputs, timings=timings, show_modules=show_modules
    )
    sys.exit(exit_code(report.findings, config.fail_on, exit_zero))
