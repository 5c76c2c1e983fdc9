"""Write a synthetic Django monolith of N Python files, for scaling benchmarks.

Usage::

    python benchmarks/generate_monolith.py 20000 /tmp/mono [--seed 1]

The project is one package of Django-style apps (``mono/app_0001/``...), about twenty
files each (:data:`FILES_PER_APP`), shaped like the real monoliths seamfinder is run on:

* ``models.py`` with a few models, foreign keys to models of other apps (strings and
  imported classes), managers and ``Meta`` options;
* ``services.py`` and ``selectors.py`` that query and write their own and other apps'
  models (``objects.filter(...)``, lookups across relations, ``save()``, ``update()``,
  ``transaction.atomic``), now and then raw SQL and an HTTP call;
* ``views.py``, ``api/serializers.py``, ``api/views.py``, ``forms.py``, ``admin.py``,
  ``signals.py``, ``tasks.py`` that import services of neighbouring apps, so that the
  import graph has cycles between apps;
* plain helpers without any data access (``utils/*.py``, ``constants.py``), which the
  text pre-filter may skip, as it does in real projects;
* a ``settings.py`` with ``INSTALLED_APPS`` and ``DATABASES``.

The output is deterministic for a given N and seed. Nothing here is ever imported.
"""

from __future__ import annotations

import argparse
import random
import shutil
from pathlib import Path

HELPERS = 7  # utils/helper_N.py per app


def app_name(index: int) -> str:
    return f"app_{index:04d}"


def model_names(index: int) -> list[str]:
    return [f"Item{index}x{k}" for k in range(3)]


def models_py(index: int, apps: int, rng: random.Random) -> str:
    names = model_names(index)
    other = (index + 1 + rng.randrange(max(apps - 1, 1))) % apps
    other_model = model_names(other)[0]
    lines = [
        '"""Models of one app."""',
        "from django.conf import settings",
        "from django.db import models",
        "",
        f"from mono.{app_name(other)}.models import {other_model}",
        "",
        "",
        "class ActiveManager(models.Manager):",
        "    def get_queryset(self):",
        "        return super().get_queryset().filter(active=True)",
        "",
    ]
    for k, name in enumerate(names):
        lines += [
            "",
            f"class {name}(models.Model):",
            '    """A record this app owns."""',
            "",
            "    name = models.CharField(max_length=200)",
            "    active = models.BooleanField(default=True)",
            "    created = models.DateTimeField(auto_now_add=True)",
            "    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)",
        ]
        if k == 0:
            lines.append(f"    peer = models.ForeignKey({other_model}, on_delete=models.PROTECT)")
        else:
            lines.append(f'    parent = models.ForeignKey("{names[0]}", on_delete=models.CASCADE)')
        if k == 2:
            target = f"{app_name((index + 7) % apps)}.{model_names((index + 7) % apps)[1]}"
            lines.append(f'    tags = models.ManyToManyField("{target}", blank=True)')
        lines += [
            "",
            "    objects = models.Manager()",
            "    live = ActiveManager()",
            "",
            "    class Meta:",
            f'        db_table = "{app_name(index)}_{name.lower()}"',
            '        ordering = ["-created"]',
            "",
            "    def __str__(self):",
            "        return self.name",
            "",
        ]
    return "\n".join(lines) + "\n"


def services_py(index: int, apps: int) -> str:
    own = model_names(index)
    nxt = (index + 1) % apps
    far = (index * 7 + 3) % apps
    return f'''"""Use cases of {app_name(index)}: reads and writes, some across apps."""
import requests
from django.db import connection, transaction

from mono.{app_name(index)}.models import {own[0]}, {own[1]}
from mono.{app_name(nxt)}.models import {model_names(nxt)[0]}
from mono.{app_name(far)} import selectors as far_selectors


def list_active(owner_id):
    return {own[0]}.objects.filter(owner_id=owner_id, peer__active=True).order_by("name")


def rename(pk, name):
    item = {own[0]}.objects.get(pk=pk)
    item.name = name
    item.save()
    return item


@transaction.atomic
def archive(pk):
    item = {own[1]}.objects.select_related("parent").get(pk=pk)
    item.active = False
    item.save()
    {model_names(nxt)[0]}.objects.filter(peer_id=pk).update(active=False)
    return far_selectors.count_for(pk)


def totals():
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM {app_name(index)}_{own[0].lower()} WHERE active")
        return cursor.fetchone()[0]


def notify(pk):
    return requests.post("https://hooks.example.com/{app_name(index)}", json={{"id": pk}})
'''


def selectors_py(index: int, apps: int) -> str:
    own = model_names(index)
    prev = (index - 1) % apps
    return f'''"""Read-only queries of {app_name(index)}."""
from mono.{app_name(index)}.models import {own[0]}, {own[2]}
from mono.{app_name(prev)}.models import {model_names(prev)[2]}


def count_for(pk):
    return {own[2]}.objects.filter(parent__peer_id=pk).count()


def neighbours(pk):
    return list({model_names(prev)[2]}.objects.filter(parent__id=pk).values_list("id", flat=True))


def newest():
    return {own[0]}.live.order_by("-created").first()
'''


def views_py(index: int, apps: int) -> str:
    nxt = (index + 1) % apps
    prev = (index - 1) % apps
    return f'''"""HTTP views of {app_name(index)}."""
from django.http import JsonResponse
from django.shortcuts import get_object_or_404

from mono.{app_name(index)} import services
from mono.{app_name(index)}.models import {model_names(index)[0]}
from mono.{app_name(nxt)} import services as next_services
from mono.{app_name(prev)}.views import detail as previous_detail


def detail(request, pk):
    item = get_object_or_404({model_names(index)[0]}, pk=pk)
    return JsonResponse({{"id": item.pk, "name": item.name}})


def archive(request, pk):
    services.archive(pk)
    next_services.list_active(request.user.id)
    return previous_detail(request, pk)
'''


def helper_py(index: int, k: int) -> str:
    return f'''"""Pure helpers ({k}) of {app_name(index)}: no data access at all."""
import re

PATTERN = re.compile(r"^[a-z0-9_-]{{3,40}}$")


def slug(text):
    cleaned = "".join(c if c.isalnum() else "-" for c in text.lower())
    return cleaned.strip("-")[:40]


def valid(text):
    return bool(PATTERN.match(text))


def chunks(items, size={k + 2}):
    for start in range(0, len(items), size):
        yield items[start : start + size]


class Counter:
    def __init__(self):
        self.seen = {{}}

    def add(self, key):
        self.seen[key] = self.seen.get(key, 0) + 1
        return self.seen[key]
'''


def small_module(index: int, apps: int, kind: str) -> str:
    nxt = (index + 1) % apps
    model = model_names(index)[0]
    bodies = {
        "forms": f"from django import forms\n\nfrom mono.{app_name(index)}.models import {model}"
        f"\n\n\nclass {model}Form(forms.ModelForm):\n    class Meta:\n        model = {model}\n"
        '        fields = ["name", "active"]\n',
        "admin": f"from django.contrib import admin\n\nfrom mono.{app_name(index)}.models import "
        f"{model}\n\nadmin.site.register({model})\n",
        "signals": f"from django.db.models.signals import post_save\nfrom django.dispatch import "
        f"receiver\n\nfrom mono.{app_name(index)}.models import {model}\nfrom mono."
        f"{app_name(nxt)} import services\n\n\n@receiver(post_save, sender={model})\ndef "
        "touched(sender, instance, **kwargs):\n    services.list_active(instance.owner_id)\n",
        "tasks": f"from mono.{app_name(index)} import services\n\n\ndef nightly():\n    for pk in "
        "range(10):\n        services.notify(pk)\n",
        "constants": "STATES = ('new', 'active', 'archived')\nPAGE_SIZE = 50\n",
        "apps": f"from django.apps import AppConfig\n\n\nclass Config(AppConfig):\n    name = "
        f"'mono.{app_name(index)}'\n",
        "urls": f"from django.urls import path\n\nfrom mono.{app_name(index)} import views\n\n"
        "urlpatterns = [path('<int:pk>/', views.detail)]\n",
        "api/serializers": f"from rest_framework import serializers\n\nfrom mono.{app_name(index)}"
        f".models import {model}\n\n\nclass {model}Serializer(serializers.ModelSerializer):\n"
        f"    class Meta:\n        model = {model}\n        fields = '__all__'\n",
        "api/views": f"from rest_framework import viewsets\n\nfrom mono.{app_name(index)}.api."
        f"serializers import {model}Serializer\nfrom mono.{app_name(index)}.models import "
        f"{model}\n\n\nclass {model}ViewSet(viewsets.ModelViewSet):\n    queryset = "
        f"{model}.objects.all()\n    serializer_class = {model}Serializer\n",
    }
    return f'"""{kind} of {app_name(index)}."""\n' + bodies[kind]


SMALL = ("forms", "admin", "signals", "tasks", "constants", "apps", "urls")
API = ("api/serializers", "api/views")
# Three __init__.py, models, services, selectors and views, the small modules, the helpers.
FILES_PER_APP = 7 + len(SMALL) + len(API) + HELPERS


def write_app(root: Path, index: int, apps: int, rng: random.Random) -> int:
    folder = root / "mono" / app_name(index)
    (folder / "api").mkdir(parents=True)
    (folder / "utils").mkdir()
    files = {
        "__init__.py": "",
        "api/__init__.py": "",
        "utils/__init__.py": "",
        "models.py": models_py(index, apps, rng),
        "services.py": services_py(index, apps),
        "selectors.py": selectors_py(index, apps),
        "views.py": views_py(index, apps),
    }
    for kind in (*SMALL, *API):
        files[f"{kind}.py"] = small_module(index, apps, kind)
    for k in range(HELPERS):
        files[f"utils/helper_{k}.py"] = helper_py(index, k)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return len(files)


def generate(files: int, out: Path, seed: int = 1) -> int:
    """Write about ``files`` files into ``out`` (replaced); return how many were written."""

    if out.exists():
        shutil.rmtree(out)
    (out / "mono").mkdir(parents=True)
    apps = max(files // FILES_PER_APP, 2)
    rng = random.Random(seed)
    written = 0
    for index in range(apps):
        written += write_app(out, index, apps, rng)
    installed = "".join(f'    "mono.{app_name(i)}",\n' for i in range(apps))
    (out / "mono" / "__init__.py").write_text("", encoding="utf-8")
    (out / "mono" / "settings.py").write_text(
        'INSTALLED_APPS = [\n    "django.contrib.auth",\n'
        + installed
        + ']\nDATABASES = {"default": {"ENGINE": "django.db.backends.postgresql", '
        '"NAME": "mono"}}\nAUTH_USER_MODEL = "auth.User"\n',
        encoding="utf-8",
    )
    (out / "manage.py").write_text(
        'import os\nimport sys\n\nif __name__ == "__main__":\n'
        '    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mono.settings")\n'
        "    from django.core.management import execute_from_command_line\n\n"
        "    execute_from_command_line(sys.argv)\n",
        encoding="utf-8",
    )
    return written + 3


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("files", type=int)
    parser.add_argument("out", type=Path)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    written = generate(args.files, args.out, args.seed)
    print(f"wrote {written} files under {args.out}")


if __name__ == "__main__":
    main()
