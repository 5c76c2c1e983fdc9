"""Rules: a code, a kebab-case name, a default severity, options, and a check function.

A check reads an :class:`~seamfinder.analysis.state.Analysis` and yields findings made
through its :class:`RuleContext`, which fills in the code, the name and the severity
(after configuration overrides). Rules never print. Codes are grouped by hundreds:
SF0xx analysis health, SF1xx imports, SF2xx data, SF3xx coupling and fitness, SF4xx
services.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from seamfinder.analysis.state import Analysis
from seamfinder.config.settings import Config
from seamfinder.core.errors import ConfigError
from seamfinder.core.model import Finding, Location, Severity

CODE = re.compile(r"SF\d{3}")
NAME = re.compile(r"[a-z][a-z0-9]*(-[a-z0-9]+)*")


@dataclass(frozen=True, slots=True)
class Option:
    """A rule option, settable as ``[tool.seamfinder.rules.SFxxx] name = value``."""

    name: str
    default: Any
    help: str
    # Validates and converts a configured value, raising ValueError with the problem; for
    # options whose type alone says too little (a threshold, a table of thresholds).
    parse: Callable[[Any], Any] | None = None


@dataclass(frozen=True, slots=True)
class Rule:
    code: str
    name: str
    severity: Severity
    summary: str  # one line, shown by ``seamfinder rules``
    check: Callable[[Analysis, RuleContext], Iterable[Finding]]
    options: tuple[Option, ...] = ()


@dataclass(frozen=True, slots=True)
class RuleContext:
    """What a check needs besides the analysis: its identity, severity and options."""

    rule: Rule
    severity: Severity
    options: dict[str, Any]

    def option(self, name: str) -> Any:
        return self.options[name]

    def finding(
        self,
        message: str,
        location: Location | None,
        subjects: tuple[str, ...],
        *,
        source_component: str | None = None,
        target_component: str | None = None,
        related: tuple[Location, ...] = (),
    ) -> Finding:
        return Finding(
            code=self.rule.code,
            rule=self.rule.name,
            message=message,
            severity=self.severity,
            location=location,
            subjects=subjects,
            source_component=source_component,
            target_component=target_component,
            related=related,
        )


_RULES: dict[str, Rule] = {}


def rule(
    code: str,
    name: str,
    severity: Severity,
    summary: str,
    options: tuple[Option, ...] = (),
) -> Callable[[Callable[[Analysis, RuleContext], Iterable[Finding]]], Rule]:
    """Register a check function as a rule."""

    if not CODE.fullmatch(code) or not NAME.fullmatch(name):
        raise ValueError(f"bad rule identity {code} {name}")

    def register(check: Callable[[Analysis, RuleContext], Iterable[Finding]]) -> Rule:
        if code in _RULES:
            raise ValueError(f"rule {code} registered twice")
        registered = Rule(code, name, severity, summary, check, options)
        _RULES[code] = registered
        return registered

    return register


def all_rules() -> tuple[Rule, ...]:
    # Importing the rule modules registers them; kept here so callers need one import.
    from seamfinder.rules import coupling, data, fitness, health, imports, services  # noqa: F401

    return tuple(_RULES[code] for code in sorted(_RULES))


def get_rule(code_or_name: str) -> Rule | None:
    wanted = code_or_name.strip()
    return next(
        (r for r in all_rules() if r.code == wanted.upper() or r.name == wanted.lower()), None
    )


def is_selected(code: str, select: Iterable[str], ignore: Iterable[str]) -> bool:
    """ruff's semantics: the longest matching prefix decides; no select means all."""

    select, ignore = tuple(select), tuple(ignore)

    def best(prefixes: tuple[str, ...]) -> int:
        lengths = [
            0 if p == "ALL" else len(p) for p in prefixes if p == "ALL" or code.startswith(p)
        ]
        return max(lengths) if lengths else -1

    selected = best(select) if select else 0
    if selected < 0:
        return False
    ignored = best(ignore)
    return ignored < 0 or selected > ignored


def contexts(
    config: Config, select: Iterable[str] = (), ignore: Iterable[str] = ()
) -> Iterator[RuleContext]:
    """The selected rules with their configured severity and options, validated."""

    select = tuple(select) or config.select
    ignore = (*config.ignore, *ignore)
    known = {r.code for r in all_rules()}
    for unknown in sorted({r.code for r in config.rules} - known):
        raise ConfigError(config.source, f"tool.seamfinder.rules.{unknown}", "no such rule")
    for registered in all_rules():
        settings = config.rule_settings(registered.code)
        options = {option.name: option.default for option in registered.options}
        severity = registered.severity
        if settings is not None:
            severity = settings.severity or severity
            for key, value in settings.options:
                if key not in options:
                    names = ", ".join(sorted(options)) or "none"
                    raise ConfigError(
                        config.source,
                        f"tool.seamfinder.rules.{registered.code}.{key}",
                        f"unknown option (options: {names}, severity)",
                    )
                default = options[key]
                parse = next(o.parse for o in registered.options if o.name == key)
                if parse is not None:
                    try:
                        options[key] = parse(value)
                    except ValueError as exc:
                        raise ConfigError(
                            config.source,
                            f"tool.seamfinder.rules.{registered.code}.{key}",
                            str(exc),
                        ) from None
                    continue
                if default is not None and type(value) is not type(default):
                    raise ConfigError(
                        config.source,
                        f"tool.seamfinder.rules.{registered.code}.{key}",
                        f"expected {type(default).__name__}, got {value!r}",
                    )
                options[key] = value
        if is_selected(registered.code, select, ignore):
            yield RuleContext(registered, severity, options)


def evaluate(analysis: Analysis, rule_contexts: Iterable[RuleContext]) -> tuple[Finding, ...]:
    findings: list[Finding] = []
    for context in rule_contexts:
        findings.extend(context.rule.check(analysis, context))
    return tuple(sorted(findings, key=Finding.sort_key))
