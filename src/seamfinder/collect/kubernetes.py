"""Kubernetes manifests and Helm charts read statically: workloads, their env, their Services.

A Deployment (StatefulSet, DaemonSet, Job, CronJob, Pod) says which image runs and with
which environment (``PRODUCT_CATALOG_SERVICE_ADDR=productcatalogservice:3550``); a Service
says under which host name other pods reach it (the Service's name, when its selector
matches the pod's labels). Helm templates are not YAML until rendered: each template is
rendered here crudely, line for line so that lines stay right: whole-line actions
(``{{- if ... }}``, ``{{- end }}``) become blank lines, ``{{ .Chart.Name }}`` the chart's
name, ``{{ .Values.a.b }}`` the scalar at ``a.b`` in the chart's ``values.yaml``, any
other action the word ``helm``. Both branches of an ``if`` are kept: a manifest says what
may be deployed. Nothing is run; the YAML side is :mod:`seamfinder.collect.kubernetes_yaml`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from seamfinder.core.project import EnvEntry

WORKLOAD_KINDS = frozenset(
    {"Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "CronJob", "Pod"}
)


@dataclass(frozen=True, slots=True)
class Workload:
    """Pods that run one image (or a few), as a manifest declares them."""

    name: str
    kind: str  # Deployment, StatefulSet...
    path: str  # the manifest (or Helm template), relative to the analysed root
    line: int
    source: str  # "kubernetes" or "helm"
    images: tuple[str, ...]
    labels: tuple[tuple[str, str], ...]  # the pod template's labels, sorted
    environment: tuple[EnvEntry, ...]  # literal ``value:`` entries of its containers


@dataclass(frozen=True, slots=True)
class KubeService:
    """A Kubernetes Service: a host name for the pods its selector matches."""

    name: str
    path: str
    line: int
    selector: tuple[tuple[str, str], ...]  # sorted


@dataclass(frozen=True, slots=True)
class Manifests:
    workloads: tuple[Workload, ...]
    services: tuple[KubeService, ...]

    def hostnames(self, workload: Workload) -> tuple[str, ...]:
        """The Services that reach ``workload``: those whose selector its labels match."""

        labels = set(workload.labels)
        names = {s.name for s in self.services if s.selector and set(s.selector) <= labels}
        return tuple(sorted(names))


def read_manifests(root: Path, manifests: Sequence[str], charts: Sequence[str]) -> Manifests:
    """Every workload and Service of the plain ``manifests`` and of the ``charts``' templates;
    a name seen twice (the same app as manifests and as a chart) keeps its first."""

    from seamfinder.collect.kubernetes_yaml import chart_values, read_documents

    workloads: dict[str, Workload] = {}
    services: dict[str, KubeService] = {}
    sources: list[tuple[str, str, str]] = []  # (path, text, source)
    for relative in manifests:
        text = _read(root / relative)
        if text is not None:
            sources.append((relative, text, "kubernetes"))
    for chart in charts:
        chart_name, values = chart_values(root / chart)
        for template in sorted((root / chart / "templates").glob("*.y*ml")):
            text = _read(template)
            if text is not None:
                rendered = render_template(text, chart_name, values.get)
                sources.append((template.relative_to(root).as_posix(), rendered, "helm"))
    for relative, text, source in sources:
        found_workloads, found_services = read_documents(relative, text, source)
        for workload in found_workloads:
            workloads.setdefault(workload.name, workload)
        for service in found_services:
            services.setdefault(service.name, service)
    return Manifests(
        tuple(workloads[n] for n in sorted(workloads)),
        tuple(services[n] for n in sorted(services)),
    )


def _read(path: Path) -> str | None:
    try:
        if path.stat().st_size > 512 * 1024:
            return None
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeError):
        return None


_WHOLE_LINE = re.compile(r"^\s*\{\{-?.*?-?\}\}\s*$")
_ACTION = re.compile(r"\{\{-?\s*(.*?)\s*-?\}\}")
_VALUE = re.compile(r"^\.Values((?:\.\w+)+)$")


def render_template(text: str, chart: str, value_of: Callable[[str], str | None]) -> str:
    """A Helm template as YAML, one line for one line (see the module docstring)."""

    def action(match: re.Match[str]) -> str:
        expression = match.group(1).split("|", 1)[0].strip().strip("()").strip()
        if expression == ".Chart.Name":
            return chart
        value = _VALUE.match(expression)
        if value:
            found = value_of(value.group(1).lstrip("."))
            if found is not None:
                return found
        return "helm"

    lines = []
    for line in text.splitlines():
        lines.append("" if _WHOLE_LINE.match(line) else _ACTION.sub(action, line))
    return "\n".join(lines)
