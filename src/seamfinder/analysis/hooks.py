"""Hooks resolved to components: entry points, events across components, and the
coupling that no import statement shows (receivers, ``add_to_class``, registries,
settings naming a component's code).

A hook's target is dotted through the writing file's imports, or a Django label
(``"orders.Order"``); it belongs to the component of the longest module prefix, else to
the component whose app label it starts with.

*Events*: a receiver in component A of a signal defined in component B, or of a model
signal (``post_save``...) sent by a model of component B, is an event B would have to
publish and A subscribe to once they are two services. Counted per distinct
(signal, sender) on each side.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from seamfinder.core.model import ENTRY_KINDS, ROOT_COMPONENT, Hook
from seamfinder.resolve.components import ComponentMap


def _prefix(dotted: str, of_module: Mapping[str, str]) -> str | None:
    parts = dotted.split(".")
    for end in range(len(parts), 0, -1):
        found = of_module.get(".".join(parts[:end]))
        if found is not None:
            return found
    return None


@dataclass(frozen=True, slots=True)
class Resolver:
    """Dotted names and labels to components."""

    components: ComponentMap
    label_component: Mapping[str, str]

    def of(self, target: str) -> str | None:
        if not target:
            return None
        found = _prefix(target, self.components.of_module)
        if found is not None:
            return found
        label = target.split(".", 1)[0]
        return self.label_component.get(label) if "." in target else None


def resolver(components: ComponentMap) -> Resolver:
    labels = {
        label: components.component_of(package) for package, label in components.app_labels.items()
    }
    # A component named like its label (an app without an explicit one) resolves too.
    for component in components.components:
        labels.setdefault(component.name.rsplit(".", 1)[-1], component.name)
    return Resolver(components, labels)


@dataclass(frozen=True, slots=True)
class HookView:
    """What the hooks say per component."""

    entry_points: Mapping[str, Counter[str]]  # component -> kind -> count
    publishes: Mapping[str, frozenset[str]]  # component -> events other components hear
    subscribes: Mapping[str, frozenset[str]]  # component -> events of others it hears
    crossing: tuple[tuple[Hook, str, str], ...]  # (hook, its component, the other one)


def hook_view(hooks: Iterable[Hook], components: ComponentMap) -> HookView:
    resolve = resolver(components)
    entry: dict[str, Counter[str]] = defaultdict(Counter)
    publishes: dict[str, set[str]] = defaultdict(set)
    subscribes: dict[str, set[str]] = defaultdict(set)
    crossing: list[tuple[Hook, str, str]] = []
    for hook in sorted(hooks):
        here = components.component_of(hook.module)
        target = resolve.of(hook.target)
        if hook.kind in ENTRY_KINDS:
            reached = target if hook.kind in ("route", "setting") and target else here
            if reached != ROOT_COMPONENT:
                entry[reached][hook.kind] += 1
        if hook.kind == "receiver":
            for source in {resolve.of(hook.signal), target} - {None, here, ROOT_COMPONENT}:
                assert source is not None
                event = f"{hook.signal.rsplit('.', 1)[-1]}({hook.target or 'any'})"
                publishes[source].add(event)
                subscribes[here].add(event)
                crossing.append((hook, here, source))
        elif target is not None and target != here and hook.kind != "route":
            crossing.append((hook, here, target))
    return HookView(
        entry_points=dict(entry),
        publishes={k: frozenset(v) for k, v in publishes.items()},
        subscribes={k: frozenset(v) for k, v in subscribes.items()},
        crossing=tuple(crossing),
    )
