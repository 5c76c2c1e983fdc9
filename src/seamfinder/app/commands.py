"""One application function per command: load the configuration, run the pipeline (or
replay what it printed for the same inputs), judge, render through the format registry.

They return what to print and the exit code; :mod:`seamfinder.app.cli` parses the flags
and does the printing, so every command can be tested without a terminal.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from seamfinder.app import baseline, gitdiff
from seamfinder.app.gate import EXIT_CLEAN, EXIT_FINDINGS, Gate, exit_code, judge, rebaselined
from seamfinder.config.settings import Config, load_config
from seamfinder.core.errors import SeamfinderError
from seamfinder.core.model import CandidateList, RuleCatalog

if TYPE_CHECKING:
    from seamfinder.app.seam import SeamRequest
    from seamfinder.pipeline.remember import CachedRun, Output
    from seamfinder.report import Document, RenderOptions


class UsageError(SeamfinderError):
    """Flags that do not fit together: a one-line error, exit 2."""


@dataclass(frozen=True, slots=True)
class ProjectArgs:
    """What every command that analyses a project takes: where, how, and which rules."""

    path: Path
    config_file: Path | None = None
    depth: int | None = None
    extend_exclude: tuple[str, ...] = ()
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    cache_dir: Path | None = None
    no_cache: bool = False
    history: bool = False

    @property
    def root(self) -> Path:
        return self.path if self.path.is_dir() else self.path.parent


@dataclass(frozen=True, slots=True)
class GateArgs:
    """What decides the exit code of a command that can fail on findings."""

    fail_on: str | None = None
    exit_zero: bool = False


@dataclass(frozen=True, slots=True)
class OutputArgs:
    """Where each format goes, and how stdout looks (colour and width are the CLI's)."""

    formats: tuple[str, ...] = ("terminal",)
    outputs: tuple[Path, ...] = ()  # one per format, in order; the rest go to stdout
    screen: RenderOptions | None = None  # options for a terminal on stdout
    timings: bool = False
    show_modules: bool = False
    show_skipped: bool = False


@dataclass(frozen=True, slots=True)
class Printed:
    """A command's result: stdout, lines for stderr, the exit code."""

    stdout: str = ""
    stderr: tuple[str, ...] = ()
    code: int = EXIT_CLEAN


@dataclass(frozen=True, slots=True)
class _OutputKey:
    """What a remembered output depends on besides the report's own inputs."""

    command: str
    format_name: str
    options: RenderOptions
    fail_on: str
    exit_zero: bool
    strict: bool = False
    baseline: str = ""
    entries: tuple[object, ...] = ()


def analyze(project: ProjectArgs, gate: GateArgs, output: OutputArgs) -> Printed:
    config, run = _prepare(project, gate.fail_on)
    key = _output_key(output, "analyze", config, gate, findings_only=False)
    if key is not None and (stored := run.output(repr(key))) is not None:
        return _replayed(stored)
    report = run.report()
    code = exit_code(report.findings, config.fail_on, gate.exit_zero)
    stdout = _write(report, output, findings_only=False)
    if key is not None:
        _remember(run, key, Printed(stdout, (), code))
    return Printed(stdout, (), code)


def check(
    project: ProjectArgs,
    gate: GateArgs,
    output: OutputArgs,
    baseline_file: Path | None = None,
    strict: bool = False,
    diff_base: str | None = None,
) -> Printed:
    from seamfinder.report import MACHINE_FORMATS
    from seamfinder.report.summary import summary_lines

    # Everything that can fail cheaply fails before the analysis: a bad revision, a
    # baseline that cannot be read.
    changed = gitdiff.changed_files(project.root.resolve(), diff_base) if diff_base else None
    path = baseline_path(project, baseline_file)
    entries = None
    if baseline_file is not None or path.is_file():
        entries = baseline.load(path, str(path))
    config, run = _prepare(project, gate.fail_on, seams=False)
    # A pre-commit hook on an unchanged tree prints what it printed last time; --diff
    # depends on git's state and timings on the clock, so they always run.
    key = None
    if changed is None:
        key = _output_key(output, "check", config, gate, findings_only=True)
        if key is not None:
            key = replace(key, strict=strict, baseline=str(path), entries=tuple(entries or ()))
            if (stored := run.output(repr(key))) is not None:
                return _replayed(stored)
    verdict = Gate(config.fail_on, gate.exit_zero, path, entries, strict, changed, diff_base)
    report, code = judge(run.report(), verdict)
    stdout = _write(report, output, findings_only=True)
    on_stdout = _on_stdout(output)
    stderr = tuple(summary_lines(report)) if on_stdout in MACHINE_FORMATS or not on_stdout else ()
    printed = Printed(stdout, stderr, code)
    if key is not None:
        _remember(run, key, printed)
    return printed


def record_baseline(project: ProjectArgs, baseline_file: Path | None) -> Printed:
    _config, run = _prepare(project, seams=False)
    path = baseline_path(project, baseline_file)
    entries = rebaselined(run.report(), path)
    baseline.write(path, entries)
    total = sum(e.count for e in entries)
    return Printed(
        stderr=(
            f"seamfinder: wrote {path}: {total} finding{'s' if total != 1 else ''} "
            f"under {len(entries)} fingerprint{'s' if len(entries) != 1 else ''}",
        )
    )


def candidates(project: ProjectArgs, output: OutputArgs) -> Printed:
    _config, run = _prepare(project)
    report = run.report()
    return Printed(_write(CandidateList(report.root, report.candidates), output))


def extract(
    project: ProjectArgs,
    component: str,
    with_: tuple[str, ...],
    without: tuple[str, ...],
    output: OutputArgs,
) -> Printed:
    from seamfinder.pipeline.run import extraction

    _config, run = _prepare(project)
    sheet = extraction(run.options, component, with_, without, run.inputs)
    return Printed(_write(sheet, output))


def seam(project: ProjectArgs, request: SeamRequest, output: OutputArgs) -> Printed:
    """The diff and summary of a seam (written with ``request.apply``); 1 on a new cycle."""

    from seamfinder.app.seam import make_seam

    _config, run = _prepare(project, seams=False)
    outcome = make_seam(run.options, request, run.inputs)
    return Printed(_write(outcome, output), code=EXIT_FINDINGS if outcome.cycles else EXIT_CLEAN)


def rule_list(output: OutputArgs) -> Printed:
    from seamfinder.rules.catalog import catalog

    return Printed(_write(RuleCatalog(tuple(catalog())), output))


def explain(rule: str) -> Printed:
    from seamfinder.rules.catalog import rule_info
    from seamfinder.rules.registry import get_rule

    found = get_rule(rule)
    if found is None:
        raise UsageError(f"no rule {rule!r}: `seamfinder rules` lists them")
    info = rule_info(found)
    return Printed(info.help or f"# {info.code} {info.name}\n\n{info.summary}\n")


def baseline_path(project: ProjectArgs, baseline_file: Path | None) -> Path:
    return baseline_file if baseline_file is not None else project.root / baseline.DEFAULT_BASELINE


def load_project_config(path: Path, config_file: Path | None, **overrides: object) -> Config:
    """The project's configuration, with adopted contracts and the flags applied."""

    from seamfinder.config.adopt import adopt

    root = path if path.is_dir() else path.parent
    # Contracts already declared for import-linter or tach are checked too, unless
    # [tool.seamfinder] declares its own.
    config = adopt(root, load_config(root, config_file))
    extend = overrides.pop("extend_exclude", ())
    if isinstance(extend, tuple) and extend:
        config = config.with_overrides(extend_exclude=config.extend_exclude + extend)
    return config.with_overrides(**overrides)


def _prepare(
    project: ProjectArgs, fail_on: str | None = None, *, seams: bool = True
) -> tuple[Config, CachedRun]:
    """Load the configuration with the flags applied, and read the project once.

    ``seams=False`` leaves out the proposed seams and candidates (and networkx with them):
    ``check`` and ``baseline`` show only findings.
    """

    from seamfinder.config.options import RunOptions, default_cache_dir
    from seamfinder.pipeline.remember import CachedRun

    config = load_project_config(
        project.path,
        project.config_file,
        depth=project.depth,
        fail_on=fail_on,
        extend_exclude=project.extend_exclude,
    )
    if project.history:
        config = replace(config, history=replace(config.history, enabled=True))
    cache_dir = None
    if not project.no_cache:
        cache_dir = project.cache_dir or default_cache_dir(project.path)
    options = RunOptions(
        path=project.path,
        config=config,
        display=str(project.path),
        cache_dir=cache_dir,
        select=project.select,
        ignore=project.ignore,
        seams=seams,
    )
    return config, CachedRun(options)


def _on_stdout(output: OutputArgs) -> str | None:
    """The one format that goes to stdout, if one does."""

    if len(output.outputs) > len(output.formats):
        raise UsageError("more --output than --format: give one --format for each --output")
    rest = output.formats[len(output.outputs) :]
    if len(rest) > 1:
        raise UsageError(
            "only one format can go to stdout: give an --output for each of the others"
        )
    return rest[0] if rest else None


def _write(document: Document, output: OutputArgs, *, findings_only: bool = False) -> str:
    """Write every format with an --output; return the text of the one for stdout."""

    from seamfinder.report import RenderOptions, render

    on_stdout = _on_stdout(output)
    options = RenderOptions(
        timings=output.timings,
        show_modules=output.show_modules,
        findings_only=findings_only,
        show_skipped=output.show_skipped,
    )
    for format_name, path in zip(output.formats, output.outputs, strict=False):
        text = render(format_name, document, options)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        except OSError as exc:
            raise UsageError(f"cannot write {path}: {exc.strerror or exc}") from None
    if on_stdout is None:
        return ""
    return render(on_stdout, document, _stdout_options(on_stdout, output, options))


def _stdout_options(format_name: str, output: OutputArgs, options: RenderOptions) -> RenderOptions:
    if format_name == "terminal" and output.screen is not None:
        return replace(options, color=output.screen.color, width=output.screen.width)
    return options


def _output_key(
    output: OutputArgs, command: str, config: Config, gate: GateArgs, *, findings_only: bool
) -> _OutputKey | None:
    """The common case, one format on stdout, is remembered whole: an unchanged project
    prints again without decoding its report (runs with timings differ, so never)."""

    from seamfinder.report import RenderOptions

    if len(output.formats) != 1 or output.outputs or output.timings:
        return None
    options = _stdout_options(
        output.formats[0],
        output,
        RenderOptions(
            show_modules=output.show_modules,
            findings_only=findings_only,
            show_skipped=output.show_skipped,
        ),
    )
    return _OutputKey(command, output.formats[0], options, config.fail_on, gate.exit_zero)


def _remember(run: CachedRun, key: _OutputKey, printed: Printed) -> None:
    from seamfinder.pipeline.remember import Output

    run.store_output(repr(key), Output(printed.stdout, printed.code, printed.stderr))


def _replayed(stored: Output) -> Printed:
    return Printed(stored.text, stored.stderr, stored.code)


__all__ = [
    "GateArgs",
    "OutputArgs",
    "Printed",
    "ProjectArgs",
    "analyze",
    "candidates",
    "check",
    "explain",
    "extract",
    "record_baseline",
    "rule_list",
    "seam",
]
