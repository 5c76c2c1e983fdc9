"""Seam discovery recovers planted components from synthetic monoliths, deterministically."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from seamfinder.analysis.decomposition import adjusted_rand_index
from seamfinder.analysis.seams import affinity_graph, communities
from seamfinder.config.settings import SeamsConfig

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from planted import planted_monolith


def proposed(noise: float, seed: int, config: SeamsConfig | None = None) -> dict[str, float]:
    planted = planted_monolith(noise=noise, seed=seed)
    graph = affinity_graph(
        planted.modules,
        planted.imports,
        planted.accesses,
        planted.definer,
        (),
        config or SeamsConfig(),
    )
    parts = communities(graph)
    found = {m: str(i) for i, part in enumerate(parts) for m in part}
    return {"ari": adjusted_rand_index(planted.truth, found), "parts": len(parts)}


@pytest.mark.parametrize("seed", [0, 1, 2, 3, 4])
def test_planted_components_are_recovered_at_low_noise(seed: int) -> None:
    result = proposed(noise=0.01, seed=seed)
    assert result["ari"] >= 0.9, result
    assert result["parts"] == 6


def test_recovery_degrades_gracefully_with_noise() -> None:
    low = sum(proposed(0.01, s)["ari"] for s in range(3)) / 3
    middle = sum(proposed(0.08, s)["ari"] for s in range(3)) / 3
    high = sum(proposed(0.15, s)["ari"] for s in range(3)) / 3
    assert low >= 0.9
    assert middle >= 0.9  # 8% of the possible cross-component ties: ~5 per module
    # At 15%, a module has ~9 ties outside its component for ~3 inside: there is little
    # planted structure left to find.
    assert high < 0.6


def test_imports_alone_recover_the_components_too() -> None:
    only_imports = SeamsConfig(data=0.0)
    assert proposed(0.01, 7, only_imports)["ari"] >= 0.9


def test_same_input_gives_the_same_partition() -> None:
    planted = planted_monolith(noise=0.03, seed=11)
    graph = affinity_graph(
        planted.modules, planted.imports, planted.accesses, planted.definer, (), SeamsConfig()
    )
    assert communities(graph) == communities(graph)
    # Input order does not matter: the graph is built sorted.
    shuffled = affinity_graph(
        reversed(planted.modules),
        tuple(reversed(planted.imports)),
        tuple(reversed(planted.accesses)),
        planted.definer,
        (),
        SeamsConfig(),
    )
    assert communities(shuffled) == communities(graph)


_SCRIPT = """
import json, sys
sys.path.insert(0, {tests!r})
from planted import planted_monolith
from seamfinder.analysis.seams import affinity_graph, communities
from seamfinder.config.settings import SeamsConfig
p = planted_monolith(noise=0.04, seed=5)
g = affinity_graph(p.modules, p.imports, p.accesses, p.definer, (), SeamsConfig())
print(json.dumps(communities(g)))
"""


def test_partition_does_not_depend_on_the_hash_seed() -> None:
    tests = str(Path(__file__).resolve().parents[1])
    outputs = []
    for seed in ("0", "4242"):
        done = subprocess.run(
            [sys.executable, "-c", _SCRIPT.format(tests=tests)],
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=True,
        )
        outputs.append(json.loads(done.stdout))
    assert outputs[0] == outputs[1]
