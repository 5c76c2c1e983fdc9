"""Deployment files read statically: where they are, Kubernetes and Helm, packaging metadata,
and the services they make."""

from __future__ import annotations

from pathlib import Path

from seamfinder.collect.deployment import deployment_files
from seamfinder.collect.kubernetes import read_manifests, render_template
from seamfinder.collect.packaging import read_packaging
from seamfinder.config.settings import Config
from seamfinder.discover.files import PathMatcher
from seamfinder.discover.units import detect_services

EXCLUDED = PathMatcher(Config().all_excludes).excludes

DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: recommendationservice
spec:
  template:
    metadata:
      labels:
        app: recommendationservice
    spec:
      containers:
      - name: server
        image: gcr.io/shop/recommendationservice:v1
        env:
        - name: PRODUCT_CATALOG_SERVICE_ADDR
          value: "productcatalogservice:3550"
        - name: SECRET
          valueFrom:
            secretKeyRef: {name: s, key: k}
---
apiVersion: v1
kind: Service
metadata:
  name: recommendations
spec:
  selector:
    app: recommendationservice
"""


def write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def test_deployment_files_are_found_anywhere_but_in_excluded_folders(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "deploy/docker-compose/docker-compose.prod.yml": "services: {}\n",
            "k8s/app.yaml": DEPLOYMENT,
            "k8s/not-a-manifest.yaml": "name: x\n",
            "charts/shop/Chart.yaml": "name: shop\n",
            "charts/shop/templates/deployment.yaml": "kind: Deployment\napiVersion: v1\n",
            "node_modules/pkg/docker-compose.yml": "services: {}\n",
            "venv/k8s.yaml": DEPLOYMENT,
        },
    )
    found = deployment_files(tmp_path, EXCLUDED)
    assert found.compose == ("deploy/docker-compose/docker-compose.prod.yml",)
    assert found.manifests == ("k8s/app.yaml",)  # templates are the chart's, read rendered
    assert found.charts == ("charts/shop",)


def test_a_workload_has_its_image_literal_env_and_the_services_that_select_it(
    tmp_path: Path,
) -> None:
    write(tmp_path, {"k8s/app.yaml": DEPLOYMENT})
    manifests = read_manifests(tmp_path, ["k8s/app.yaml"], [])
    (workload,) = manifests.workloads
    assert (workload.name, workload.kind, workload.line, workload.source) == (
        "recommendationservice",
        "Deployment",
        4,
        "kubernetes",
    )
    assert workload.images == ("gcr.io/shop/recommendationservice:v1",)
    # valueFrom (a secret) is not a value the code could be read against.
    assert [(e.name, e.value, e.line) for e in workload.environment] == [
        ("PRODUCT_CATALOG_SERVICE_ADDR", "productcatalogservice:3550", 15)
    ]
    assert manifests.hostnames(workload) == ("recommendations",)


def test_helm_templates_are_rendered_line_for_line_with_chart_name_and_values() -> None:
    template = (
        "metadata:\n"
        "  name: {{ .Chart.Name }}\n"
        "{{- if .Values.enabled }}\n"
        "  replicas: {{ .Values.replicas | default 1 }}\n"
        "  image: {{ .Values.image.repository }}:{{ .Values.image.tag }}\n"
        "{{- end }}\n"
        '  other: {{ include "x" . }}\n'
    )
    values = {"replicas": "3", "image.repository": "shop/orders"}
    assert render_template(template, "orders", values.get).splitlines() == [
        "metadata:",
        "  name: orders",
        "",
        "  replicas: 3",
        "  image: shop/orders:helm",
        "",
        "  other: helm",
    ]


def test_a_broken_manifest_is_no_manifest(tmp_path: Path) -> None:
    write(tmp_path, {"k8s/bad.yaml": "apiVersion: v1\nkind: Deployment\nmetadata: [\n"})
    manifests = read_manifests(tmp_path, ["k8s/bad.yaml"], [])
    assert manifests.workloads == () and manifests.services == ()


def test_packaging_that_runs_and_packaging_that_does_not(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "api/pyproject.toml": '[project]\nname = "api"\ndependencies = ["FastAPI>=0.1"]\n',
            "cli/setup.cfg": "[options.entry_points]\nconsole_scripts =\n    run = cli.main:run\n",
            "poetry/pyproject.toml": '[tool.poetry.dependencies]\npython = "^3.11"\nDjango = "*"\n',
            "lib/pyproject.toml": '[project]\nname = "lib"\ndependencies = ["requests"]\n',
            "broken/pyproject.toml": "[project\n",
            "legacy/setup.py": "setup(name='x', install_requires=['nameko==2.14', 'six'])\n",
        },
    )
    api = read_packaging(tmp_path / "api")
    assert api is not None and api.frameworks == ("fastapi",)
    assert api.describe() == "pyproject.toml: depends on fastapi"
    cli = read_packaging(tmp_path / "cli")
    assert cli is not None and cli.scripts == ("run",)
    poetry = read_packaging(tmp_path / "poetry")
    assert poetry is not None and poetry.frameworks == ("django",)
    legacy = read_packaging(tmp_path / "legacy")
    assert legacy is not None and legacy.frameworks == ("nameko",)
    assert read_packaging(tmp_path / "lib") is None
    assert read_packaging(tmp_path / "broken") is None


def test_a_monorepo_of_apps_with_dockerfiles_and_compose_in_deploy(tmp_path: Path) -> None:
    compose = (
        "services:\n"
        "  api:\n"
        "    build:\n"
        "      context: ../../apps/api\n"
        "      dockerfile: dockerfiles/Dockerfile-prod\n"
        "    environment:\n"
        "      DATABASE_URL: postgresql://db/shop\n"
        "  db:\n"
        "    image: postgres\n"
        "    ports: ['6543:5432']\n"
    )
    write(
        tmp_path,
        {
            "deploy/docker-compose/docker-compose.yml": compose,
            "apps/api/dockerfiles/Dockerfile-prod": "FROM python\n",
            "apps/api/api/__init__.py": "",
            "apps/worker/pyproject.toml": '[project]\ndependencies = ["celery"]\n',
            "apps/worker/worker/__init__.py": "",
            "apps/models/pyproject.toml": '[project]\nname = "models"\n',
            "apps/models/models/__init__.py": "",
        },
    )
    specs = {s.name: s for s in detect_services(tmp_path, Config(), EXCLUDED)}
    assert {n: (s.kind, s.folders, s.detected_by) for n, s in specs.items()} == {
        "api": ("service", ("apps/api",), "compose"),
        "models": ("library", ("apps/models",), "markers"),
        "worker": ("service", ("apps/worker",), "markers"),
    }
    assert specs["api"].reason.startswith("deployable unit (dockerfiles/Dockerfile-prod)")
    assert "pyproject.toml: depends on celery" in specs["worker"].reason
    assert [(e.name, e.value) for e in specs["api"].environment] == [
        ("DATABASE_URL", "postgresql://db/shop")
    ]
    # Every unit knows what the compose file publishes on the host, databases included.
    assert specs["worker"].published == (("6543", "db", "5432"),)


def test_kubernetes_workloads_make_services_of_folders_named_like_them(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "kubernetes-manifests/recommendationservice.yaml": DEPLOYMENT,
            "src/recommendationservice/server.py": "import grpc\n",
            "src/recommendationservice/requirements.txt": "grpcio\n",
            "src/emailservice/Dockerfile": "FROM python\n",
            "src/emailservice/email_server.py": "x = 1\n",
        },
    )
    specs = {s.name: s for s in detect_services(tmp_path, Config(), EXCLUDED)}
    recommendations = specs["recommendationservice"]
    assert recommendations.detected_by == "kubernetes"
    assert "Deployment recommendationservice in kubernetes-manifests/" in recommendations.reason
    assert recommendations.hostnames == ("recommendations", "recommendationservice")
    assert [e.name for e in recommendations.environment] == ["PRODUCT_CATALOG_SERVICE_ADDR"]
    assert specs["emailservice"].detected_by == "markers"
