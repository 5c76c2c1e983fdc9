"""Flag values checked as strictly as the configuration file checks the same settings.

A typo in ``--select`` must not select nothing and pass, and an empty ``--diff`` (an unset
``$BASE`` in CI) must not silently check everything: each is a one-line error, exit 2,
before any work.
"""

from __future__ import annotations

from collections.abc import Sequence

import click

from seamfinder.config.settings import code_problem


class FlagError(click.ClickException):
    """A bad flag value: one line on stderr, exit 2 (as a bad config file is)."""

    exit_code = 2

    def show(self, file: object = None) -> None:
        click.echo(f"seamfinder: error: {self.format_message()}", err=True)


def rule_codes(
    ctx: click.Context, param: click.Parameter, values: Sequence[str]
) -> tuple[str, ...]:
    """``--select``/``--ignore``: rule codes or prefixes, as ``select`` in the config."""

    for value in values:
        problem = code_problem(value)
        if problem:
            raise FlagError(f"--{param.name}: {problem}")
    return tuple(values)


def revision(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """``--diff BASE``: a git revision, never empty nor an option."""

    if value is None:
        return None
    if not value.strip():
        raise FlagError(
            "--diff: expected a git revision, got an empty value (is $BASE set?); "
            "leave --diff out to check every file"
        )
    if value.startswith("-"):
        raise FlagError(f"--diff: expected a git revision, got {value!r}")
    return value


def globs(ctx: click.Context, param: click.Parameter, values: Sequence[str]) -> tuple[str, ...]:
    """``--exclude``: non-empty globs, as ``extend-exclude`` in the config."""

    if any(not value.strip("/ ") for value in values):
        raise FlagError("--exclude: expected a non-empty glob, like 'legacy' or 'src/**/gen'")
    return tuple(values)
