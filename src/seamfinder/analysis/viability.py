"""What is not a service: components set apart before any score is given.

An extraction candidate is a capability someone could run on its own: it holds data of
its own or is reached from outside (a route, a view, a task, a command, a receiver, a
plug-in named in settings). Set apart, in this order, with the reason:

- *below the size floor* (fewer than :data:`SIZE_FLOOR` lines outside migrations and
  tests, and no model of its own): an app whose models were deleted, a package of a few
  constants or helpers (a small app with a table is small, not empty);
- a *shared kernel*: no table of its own and imported by at least half of the other
  components (and two): a library to package, not a service to extract;
- *abstract models only*: mixins and bases other apps' models inherit, whose tables
  are theirs;
- *a layer of another component*: most of its modules are an API, GraphQL, admin or
  dashboard layer named after another app (``graphql.order``, ``dashboard.orders``):
  it goes with that app (``--with``), it is not a service of its own;
- *no table and no entry point*: constants, utilities, a data loader, a template
  generator: code that runs only when something else calls it.

They are still scored (the breakdown says what they cost), but never ranked above a
viable candidate.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass

from seamfinder.analysis.hooks import HookView
from seamfinder.analysis.seams import app_anchors
from seamfinder.analysis.state import Analysis
from seamfinder.core.model import ROOT_COMPONENT

SIZE_FLOOR = 30  # lines of code


@dataclass(frozen=True, slots=True)
class Viability:
    component: str
    viable: bool
    reason: str = ""


def viability(
    analysis: Analysis, importers: Mapping[str, int], hooks: HookView
) -> dict[str, Viability]:
    """Per component: viable, or set apart with the reason (``importers``: components
    importing it at runtime)."""

    concrete: dict[str, int] = {}
    abstract: dict[str, int] = {}
    for model in analysis.models:
        counts = abstract if model.abstract else concrete
        counts[model.component] = counts.get(model.component, 0) + 1
    for module, count in analysis.abstract_models:
        owner = analysis.components.component_of(module)
        abstract[owner] = abstract.get(owner, 0) + count
    owning = {t.owner for t in analysis.tables if t.owner is not None and not t.shared}
    others = len(analysis.components.components) - 2  # the root bucket and itself aside
    served = _served(analysis)
    verdicts: dict[str, Viability] = {}
    for component in analysis.components.components:
        name = component.name
        if name == ROOT_COMPONENT:
            continue
        entry = hooks.entry_points.get(name)
        users = importers.get(name, 0)
        reason = ""
        if component.lines < SIZE_FLOOR and not concrete.get(name):
            reason = f"below the size floor: {component.lines} lines (< {SIZE_FLOOR})"
        elif name not in owning and users >= 2 and 2 * users >= others:
            reason = (
                f"a shared kernel: no table of its own, imported by {users} of the "
                f"{others} other components: a library to package, not a service"
            )
        elif name in served and name not in owning:
            reason = (
                f"a layer of {served[name]}: its modules are {served[name]}'s API or admin "
                f"(extract it with {served[name]}, --with), not a service of its own"
            )
        elif abstract.get(name) and not concrete.get(name):
            reason = (
                f"abstract models only ({abstract[name]}): bases that other components' "
                "models inherit, their tables are theirs"
            )
        elif not concrete.get(name) and name not in owning and not entry:
            reason = (
                "no table of its own and no entry point (route, view, task, command, "
                "receiver, plug-in setting): a library that runs only when called"
            )
        verdicts[name] = Viability(name, not reason, reason)
    return verdicts


def _served(analysis: Analysis) -> dict[str, str]:
    """Components most of whose modules are a layer of one other component."""

    anchors = app_anchors(analysis, analysis.components.of_module)
    found: dict[str, str] = {}
    for component in analysis.components.components:
        counts = Counter(
            anchors[m]
            for m in component.modules
            if anchors.get(m, component.name) != component.name
        )
        if counts:
            other, count = min(counts.items(), key=lambda item: (-item[1], item[0]))
            if 2 * count > len(component.modules):
                found[component.name] = other
    return found
