"""The YAML side of Kubernetes manifests and Helm charts: PyYAML's node graph, walked.

Kept apart from :mod:`seamfinder.collect.kubernetes` so that PyYAML is imported only when
a repository has manifests. Like compose files, documents are composed into nodes (with
their lines) with the ``SafeLoader`` and never constructed into Python objects; a document
that does not parse is skipped. Walks are bounded (:data:`MAX_NODES`), so that aliases
that point back at big subtrees cannot make a small file cost much.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from seamfinder.collect.compose_yaml import _get, _scalar
from seamfinder.collect.kubernetes import WORKLOAD_KINDS, KubeService, Workload
from seamfinder.core.project import EnvEntry

MAX_NODES = 20_000  # per values file
MAX_DOCUMENTS = 200  # per manifest file


def read_documents(path: str, text: str, source: str) -> tuple[list[Workload], list[KubeService]]:
    """The workloads and Services of one (multi-document) manifest."""

    workloads: list[Workload] = []
    services: list[KubeService] = []
    try:
        documents = list(yaml.compose_all(text, Loader=yaml.SafeLoader))
    except yaml.YAMLError:
        return [], []
    for document in documents[:MAX_DOCUMENTS]:
        if not isinstance(document, yaml.MappingNode):
            continue
        kind = _scalar(_get(document, "kind")) or ""
        metadata = _get(document, "metadata")
        name_node = _get(metadata, "name")
        name = _scalar(name_node)
        if not name or name_node is None or "helm" in name:
            continue
        line = name_node.start_mark.line + 1
        spec = _get(document, "spec")
        if kind == "Service":
            services.append(KubeService(name, path, line, _pairs(_get(spec, "selector"))))
        elif kind in WORKLOAD_KINDS:
            workloads.append(_workload(name, kind, path, line, source, spec))
    return workloads, services


def _workload(
    name: str, kind: str, path: str, line: int, source: str, spec: yaml.Node | None
) -> Workload:
    if kind == "CronJob":
        spec = _get(_get(spec, "jobTemplate"), "spec")
    labels: tuple[tuple[str, str], ...] = ()
    if kind != "Pod":
        template = _get(spec, "template")
        labels = _pairs(_get(_get(template, "metadata"), "labels"))
        spec = _get(template, "spec")
    images: list[str] = []
    environment: list[EnvEntry] = []
    for key in ("initContainers", "containers"):
        containers = _get(spec, key)
        if not isinstance(containers, yaml.SequenceNode):
            continue
        for container in containers.value:
            image = _scalar(_get(container, "image"))
            if image:
                images.append(image)
            env = _get(container, "env")
            if not isinstance(env, yaml.SequenceNode):
                continue
            for item in env.value:
                variable = _get(item, "name")
                value = _get(item, "value")
                if _scalar(variable) and isinstance(value, yaml.ScalarNode):
                    assert variable is not None
                    environment.append(
                        EnvEntry(
                            _scalar(variable) or "",
                            _scalar(value) or "",
                            path,
                            variable.start_mark.line + 1,
                        )
                    )
    return Workload(name, kind, path, line, source, tuple(images), labels, tuple(environment))


def _pairs(node: yaml.Node | None) -> tuple[tuple[str, str], ...]:
    if not isinstance(node, yaml.MappingNode):
        return ()
    found = []
    for key, value in node.value:
        k, v = _scalar(key), _scalar(value)
        if k and v is not None:
            found.append((k, v))
    return tuple(sorted(found))


def chart_values(chart: Path) -> tuple[str, dict[str, str]]:
    """The chart's name (``Chart.yaml``, else its folder's) and the scalars of its
    ``values.yaml`` by dotted path."""

    name = chart.name
    values: dict[str, str] = {}
    for filename in ("Chart.yaml", "values.yaml"):
        try:
            text = (chart / filename).read_text(encoding="utf-8")
            document = yaml.compose(text, Loader=yaml.SafeLoader)
        except (OSError, UnicodeError, yaml.YAMLError):
            continue
        if filename == "Chart.yaml":
            name = _scalar(_get(document, "name")) or name
        else:
            _flatten(document, "", values, [MAX_NODES])
    return name, values


def _flatten(node: yaml.Node | None, prefix: str, into: dict[str, str], budget: list[int]) -> None:
    if not isinstance(node, yaml.MappingNode):
        return
    for key, value in node.value:
        budget[0] -= 1
        if budget[0] < 0:
            return
        name = _scalar(key)
        if not name:
            continue
        if isinstance(value, yaml.ScalarNode):
            into[prefix + name] = str(value.value)
        elif isinstance(value, yaml.MappingNode):
            _flatten(value, f"{prefix}{name}.", into, budget)
