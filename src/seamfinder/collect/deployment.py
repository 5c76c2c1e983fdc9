"""Where a repository says how it is deployed: compose files, Kubernetes manifests, Helm charts.

One walk of the tree finds them all, wherever they are (``deploy/docker-compose/``,
``k8s/``, ``kubernetes-manifests/``, ``helm-chart/templates/``): repositories put them
anywhere. The walk stops at excluded folders (virtualenvs, ``node_modules``, hidden
folders), at Python packages and asset folders, at :data:`MAX_DEPTH` and at
:data:`MAX_FILES` YAML files, so that a huge tree costs a bounded time. Only names are
looked at here, and the first bytes of a YAML file to tell a manifest (``apiVersion:`` and
``kind:``) from anything else.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

MAX_DEPTH = 4  # deploy/docker-compose/x.yml, k8s/charts/orders/Chart.yaml, kustomize/base/x.yaml
# Folders that never hold deployment files: Python packages (a folder with an
# ``__init__.py``) and these, which hold many files of their own.
_NEVER = frozenset({"templates", "static", "locale", "locales", "migrations", "fixtures", "docs"})
MAX_FILES = 2000  # YAML files looked at; past that the rest of the tree is not read
MAX_BYTES = 512 * 1024  # a manifest or compose file larger than this is not read
_COMPOSE = re.compile(r"^(docker-)?compose([.-][\w.-]+)?\.ya?ml$")
_MANIFEST = re.compile(rb"^\s*apiVersion\s*:", re.M)
_KIND = re.compile(rb"^\s*kind\s*:", re.M)


@dataclass(frozen=True, slots=True)
class DeploymentFiles:
    """Paths relative to the root, sorted."""

    compose: tuple[str, ...]
    manifests: tuple[str, ...]  # plain Kubernetes YAML
    charts: tuple[str, ...]  # folders holding a Chart.yaml


def deployment_files(root: Path, excluded: Callable[[str], bool]) -> DeploymentFiles:
    compose: list[str] = []
    manifests: list[str] = []
    charts: list[str] = []
    seen = 0
    stack = [("", 0)]
    while stack and seen < MAX_FILES:
        relative, depth = stack.pop()
        try:
            entries = sorted(os.scandir(root / relative), key=lambda e: e.name)
        except OSError:
            continue
        names = {e.name for e in entries}
        if "Chart.yaml" in names and relative:
            charts.append(relative)
        if "__init__.py" in names:
            continue
        for entry in entries:
            path = f"{relative}/{entry.name}" if relative else entry.name
            if entry.is_dir(follow_symlinks=False):
                if (
                    depth < MAX_DEPTH
                    and entry.name not in _NEVER
                    and not entry.name.startswith(".")
                    and not excluded(path)
                ):
                    stack.append((path, depth + 1))
                continue
            if not entry.name.endswith((".yml", ".yaml")) or not entry.is_file():
                continue
            seen += 1
            if _COMPOSE.match(entry.name):
                compose.append(path)
            elif "/templates/" not in f"/{path}" and _is_manifest(Path(entry.path)):
                manifests.append(path)
    return DeploymentFiles(tuple(sorted(compose)), tuple(sorted(manifests)), tuple(sorted(charts)))


def _is_manifest(path: Path) -> bool:
    try:
        if path.stat().st_size > MAX_BYTES:
            return False
        with path.open("rb") as handle:
            head = handle.read(8192)
    except OSError:
        return False
    return bool(_MANIFEST.search(head) and _KIND.search(head))
