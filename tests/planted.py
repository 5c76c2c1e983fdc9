"""Synthetic monoliths with planted components, to check that seam discovery finds them.

A monolith here is what the affinity graph is built from: modules, import statements and
table accesses. Each planted component has ``size`` modules, one of which defines two
tables; modules import others of their own component with probability ``p_in`` and of
another with probability ``noise``, and touch their own component's tables with
probability ``p_data`` and another's with probability ``noise``. A chain of imports keeps
every component connected. Module names are shuffled numbers, so that nothing but the
ties can give the components away.
"""

from __future__ import annotations

import itertools
import random
from dataclasses import dataclass

from seamfinder.core.model import DataAccess, ImportEdge, Location


@dataclass(frozen=True)
class Planted:
    modules: tuple[str, ...]
    imports: tuple[ImportEdge, ...]
    accesses: tuple[DataAccess, ...]
    definer: dict[str, str]  # table -> defining module
    truth: dict[str, str]  # module -> planted component


def planted_monolith(
    components: int = 6,
    size: int = 12,
    p_in: float = 0.3,
    noise: float = 0.01,
    p_data: float = 0.4,
    seed: int = 0,
) -> Planted:
    rng = random.Random(seed)
    names = [f"m{i:03d}" for i in range(components * size)]
    rng.shuffle(names)
    members = [names[c * size : (c + 1) * size] for c in range(components)]
    truth = {m: f"c{c}" for c, group in enumerate(members) for m in group}
    imports: list[ImportEdge] = []
    line = 0

    def add(a: str, b: str) -> None:
        nonlocal line
        line += 1
        imports.append(ImportEdge(a, b, Location(f"{a}.py", line, 1)))

    for group in members:
        for a, b in itertools.pairwise(group):
            add(a, b)
    for a in names:
        for b in names:
            if a == b:
                continue
            p = p_in if truth[a] == truth[b] else noise
            if rng.random() < p:
                add(a, b)
    definer: dict[str, str] = {}
    for c, group in enumerate(members):
        for t in range(2):
            definer[f"t{c}_{t}"] = group[0]
    accesses: list[DataAccess] = []
    for module in names:
        for table, owner in sorted(definer.items()):
            p = p_data if truth[owner] == truth[module] else noise
            if module != owner and rng.random() < p:
                line += 1
                accesses.append(
                    DataAccess(
                        module, table, "read", Location(f"{module}.py", line, 1), truth[module]
                    )
                )
    return Planted(tuple(sorted(names)), tuple(imports), tuple(accesses), definer, truth)
