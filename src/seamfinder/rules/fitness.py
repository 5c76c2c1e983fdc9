"""SF305: decomposition metrics of the components as fitness functions (opt-in).

The metrics are the report's own (``metrics.declared`` in JSON; formulas and sources in
:mod:`seamfinder.analysis.decomposition`), computed on the declared or detected
components, the root bucket aside. Nothing is computed, and nothing found, until a
threshold is configured.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from typing import Any

from seamfinder.analysis.seams import declared_metrics, seam_inputs
from seamfinder.analysis.state import Analysis
from seamfinder.core.model import Finding, Severity
from seamfinder.rules.registry import Option, RuleContext, rule


def _between(low: float, high: float | None) -> Callable[[Any], float]:
    def parse(value: Any) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ValueError(f"expected a number, got {value!r}")
        # nan passes every comparison: it would switch the threshold off silently.
        if math.isnan(value) or value < low or (high is not None and value > high):
            upper = f" to {high:g}" if high is not None else " or more"
            raise ValueError(f"expected a number from {low:g}{upper}, got {value!r}")
        return float(value)

    return parse


# option, metric field, its name in messages, minimum (True) or maximum, parser
_THRESHOLDS = (
    ("min-modularity", "modularity", "modularity Q", True, _between(-1, 1)),
    (
        "min-structural-modularity",
        "structural_modularity",
        "structural modularity SM",
        True,
        _between(-1, 1),
    ),
    ("max-icp", "icp", "inter-call percentage ICP", False, _between(0, 1)),
    ("max-ifn", "ifn", "interface number IFN", False, _between(0, None)),
    ("max-ned", "ned", "non-extreme distribution NED", False, _between(0, 1)),
    ("min-data-purity", "data_purity", "data purity", True, _between(0, 1)),
)


@rule(
    "SF305",
    "decomposition-fitness",
    Severity.ERROR,
    "A decomposition metric of the components is past its configured threshold.",
    options=tuple(
        Option(
            name,
            None,
            f"{'Smallest' if minimum else 'Largest'} {label} allowed (unset: not checked).",
            parse=parse,
        )
        for name, _field, label, minimum, parse in _THRESHOLDS
    ),
)
def decomposition_fitness(analysis: Analysis, ctx: RuleContext) -> Iterator[Finding]:
    wanted = [t for t in _THRESHOLDS if ctx.option(t[0]) is not None]
    if not wanted:
        return
    metrics = declared_metrics(seam_inputs(analysis))
    for option, field, label, minimum, _parse in wanted:
        limit = ctx.option(option)
        value = getattr(metrics, field)
        if value is None or (value >= limit if minimum else value <= limit):
            continue
        side = "below the minimum" if minimum else "above the maximum"
        yield ctx.finding(
            f"{label} of the components is {value:.3f}, {side} {limit:g} "
            f"({metrics.partitions} components, {metrics.modules} modules)",
            None,
            ("decomposition", field),
        )
