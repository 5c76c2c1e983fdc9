"""SF3xx: coupling thresholds per component, and change coupling between components.

The threshold rules (SF301-SF303) are opt-in: they find nothing until a threshold is
configured, globally (``[tool.seamfinder.rules.SF301] max-instability = 0.5``) or per component
(``per-component = { "shop.core" = 0.2 }``, which wins). The numbers are the report's own
(Ca, Ce, instability = Ce / (Ca + Ce)), so a finding can always be checked against the
components table. The root bucket is never judged: it is not a component.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from seamfinder.analysis.cochange import DEFAULT_LOCKSTEP_DEGREE, lockstep_pairs
from seamfinder.analysis.state import Analysis
from seamfinder.core.errors import ConfigError
from seamfinder.core.model import ROOT_COMPONENT, ComponentMetrics, Finding, Location, Severity
from seamfinder.rules.registry import Option, RuleContext, rule


def _instability(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
        raise ValueError(f"expected a number from 0 to 1, got {value!r}")
    return float(value)


def _count(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"expected an integer >= 0, got {value!r}")
    return value


def _per_component(parse: Callable[[Any], Any]) -> Callable[[Any], dict[str, Any]]:
    def parse_table(value: Any) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise ValueError(f"expected a table of component = threshold, got {value!r}")
        parsed: dict[str, Any] = {}
        for name in sorted(value):
            try:
                parsed[name] = parse(value[name])
            except ValueError as exc:
                raise ValueError(f"{name}: {exc}") from None
        return parsed

    return parse_table


def _threshold(ctx: RuleContext, key: str, name: str) -> Any:
    per_component: dict[str, Any] = ctx.option("per-component") or {}
    return per_component.get(name, ctx.option(key))


def _location(analysis: Analysis, name: str) -> Location | None:
    """The component's package ``__init__`` (or first file): where a reader starts."""

    component = next((c for c in analysis.components.components if c.name == name), None)
    if component is None:
        return None
    candidates = ([component.package] if component.package else []) + list(component.modules)
    for module in candidates:
        path = analysis.module_path(module)
        if path is not None:
            return Location(path, 1, 1)
    return None


def _judged(analysis: Analysis) -> Iterator[ComponentMetrics]:
    return (m for m in analysis.metrics if m.name != ROOT_COMPONENT)


def _unknown_components(analysis: Analysis, ctx: RuleContext) -> None:
    known = {c.name for c in analysis.components.components}
    for name in ctx.option("per-component") or {}:
        if name not in known:
            raise ConfigError(
                analysis.config.source,
                f"tool.seamfinder.rules.{ctx.rule.code}.per-component.{name}",
                f"no component named {name!r} (components: {', '.join(sorted(known))})",
            )


def _per_component_option(parse: Callable[[Any], Any]) -> Option:
    return Option(
        "per-component",
        None,
        "Thresholds by component name; they win over the global one.",
        parse=_per_component(parse),
    )


@rule(
    "SF301",
    "unstable-component",
    Severity.ERROR,
    "A component's instability Ce / (Ca + Ce) is above its configured maximum.",
    options=(
        Option(
            "max-instability",
            None,
            "Largest instability allowed for every component (0 to 1; unset: no limit).",
            parse=_instability,
        ),
        _per_component_option(_instability),
    ),
)
def unstable_component(analysis: Analysis, ctx: RuleContext) -> Iterator[Finding]:
    return _above(
        analysis,
        ctx,
        "max-instability",
        lambda m: m.instability,
        lambda m, limit: (
            f"{m.name} has instability {m.instability:.2f} "
            f"(Ce {m.efferent}, Ca {m.afferent}), above the maximum {limit:.2f}"
        ),
    )


@rule(
    "SF302",
    "high-fan-in",
    Severity.ERROR,
    "More components depend on a component (Ca) than its configured maximum.",
    options=(
        Option(
            "max-fan-in",
            None,
            "Most components allowed to depend on any one component (unset: no limit).",
            parse=_count,
        ),
        _per_component_option(_count),
    ),
)
def high_fan_in(analysis: Analysis, ctx: RuleContext) -> Iterator[Finding]:
    return _above(
        analysis,
        ctx,
        "max-fan-in",
        lambda m: m.afferent,
        lambda m, limit: (
            f"{m.afferent} components depend on {m.name} (fan-in, "
            f"{m.inbound_imports} imports), above the maximum {limit}"
        ),
    )


@rule(
    "SF303",
    "high-fan-out",
    Severity.ERROR,
    "A component depends on more components (Ce) than its configured maximum.",
    options=(
        Option(
            "max-fan-out",
            None,
            "Most components any one component may depend on (unset: no limit).",
            parse=_count,
        ),
        _per_component_option(_count),
    ),
)
def high_fan_out(analysis: Analysis, ctx: RuleContext) -> Iterator[Finding]:
    return _above(
        analysis,
        ctx,
        "max-fan-out",
        lambda m: m.efferent,
        lambda m, limit: (
            f"{m.name} depends on {m.efferent} components (fan-out, "
            f"{m.outbound_imports} imports), above the maximum {limit}"
        ),
    )


def _above(
    analysis: Analysis,
    ctx: RuleContext,
    key: str,
    value: Callable[[ComponentMetrics], float],
    message: Callable[[ComponentMetrics, Any], str],
) -> Iterator[Finding]:
    """A finding per component whose metric is above its (global or own) maximum."""

    _unknown_components(analysis, ctx)
    for metric in _judged(analysis):
        limit = _threshold(ctx, key, metric.name)
        if limit is not None and value(metric) > limit:
            yield ctx.finding(
                message(metric, limit),
                _location(analysis, metric.name),
                (metric.name,),
                source_component=metric.name,
            )


def _degree(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 100:
        raise ValueError(f"expected a percentage from 0 to 100, got {value!r}")
    return value


@rule(
    "SF304",
    "lockstep-components",
    Severity.WARNING,
    "Two components change in the same commits most of the time (needs --history).",
    options=(
        Option(
            "min-degree",
            DEFAULT_LOCKSTEP_DEGREE,
            "Coupling degree (percent) from which a pair is reported.",
            parse=_degree,
        ),
    ),
)
def lockstep_components(analysis: Analysis, ctx: RuleContext) -> Iterator[Finding]:
    history = analysis.history
    if history is None or isinstance(history, str):
        return
    for pair in lockstep_pairs(history.coupling, ctx.option("min-degree")):
        yield ctx.finding(
            f"{pair.a} and {pair.b} changed together in {pair.shared} commits "
            f"({pair.degree}% of their average {pair.average_revisions} revisions): "
            "a seam in the wrong place, or one component split in two",
            _location(analysis, pair.a),
            (pair.a, pair.b),
            source_component=pair.a,
            target_component=pair.b,
        )
