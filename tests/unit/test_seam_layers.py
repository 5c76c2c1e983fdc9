"""Technical layers fold into their app before clustering: serializers do not form a seam."""

from __future__ import annotations

from seamfinder.analysis.seams import AffinityEdge, AffinityGraph, communities
from seamfinder.config.settings import SeamsConfig


def layered_graph() -> AffinityGraph:
    """Three apps whose serializers import one another more than their own models."""

    apps = ("orders", "catalog", "billing")
    modules = sorted(f"{a}.{m}" for a in apps for m in ("models", "serializers", "services"))
    edges: list[AffinityEdge] = []
    for app in apps:
        edges.append(AffinityEdge(f"{app}.models", f"{app}.services", 3, 1, 0.0))
        edges.append(AffinityEdge(f"{app}.models", f"{app}.serializers", 1, 0, 0.0))
    for i, a in enumerate(apps):
        for b in apps[i + 1 :]:
            x, y = sorted((f"{a}.serializers", f"{b}.serializers"))
            edges.append(AffinityEdge(x, y, 6, 0, 0.0))
    edges.sort(key=lambda e: (e.a, e.b))
    return AffinityGraph(tuple(modules), tuple(edges), SeamsConfig())


def test_without_folding_the_serializers_form_one_seam() -> None:
    parts = communities(layered_graph())
    assert ("billing.serializers", "catalog.serializers", "orders.serializers") in parts


def test_folded_layers_and_models_stay_with_their_app() -> None:
    anchors = {
        f"{app}.{m}": app
        for app in ("orders", "catalog", "billing")
        for m in ("models", "serializers")
    }
    parts = communities(layered_graph(), anchors=anchors)
    assert parts == tuple(
        (f"{app}.models", f"{app}.serializers", f"{app}.services")
        for app in ("billing", "catalog", "orders")
    )
