"""Adopted contracts give the verdicts of the tools they replace: `lint-imports` and `tach check`.

Each case is a small generated project with an import-linter or tach configuration. The
test runs the original tool (a real subprocess, as CI would) and `seamfinder check` on the
same tree and asserts the same verdict per contract and the same set of violating
(importer, imported) module pairs: the ends of each chain import-linter reports, the
(user, used) tach modules of each tach error. `broken` pins the verdict too, so that a case
that stops exercising its contract fails instead of passing on two empty answers.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from click.testing import CliRunner

from seamfinder.app.cli import main

Pair = tuple[str, str]


@dataclass(frozen=True)
class Case:
    id: str
    files: dict[str, str]  # python files, besides the __init__.py the folders need
    config: str  # .importlinter, or tach.toml for tach cases
    broken: dict[str, bool]  # contract name -> broken (tach: {"tach": ...})
    tool: str = "import-linter"
    exact: bool = False  # tach: also compare the unused dependencies (text output only)
    extra: dict[str, str] = field(default_factory=dict)  # non-python files


def write(root: Path, case: Case) -> None:
    for name, text in {**case.files, **case.extra}.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        if name.endswith(".py"):
            for folder in path.relative_to(root).parents:
                if str(folder) != ".":
                    (root / folder / "__init__.py").touch()
    (root / (".importlinter" if case.tool == "import-linter" else "tach.toml")).write_text(
        case.config, encoding="utf-8"
    )


# --- the two sides ---------------------------------------------------------------------------


def seamfinder_findings(root: Path) -> list[dict]:  # type: ignore[type-arg]
    result = CliRunner().invoke(main, ["check", str(root), "--no-cache", "--format", "json"])
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.stdout)["findings"]  # type: ignore[no-any-return]


def seamfinder_side(root: Path) -> tuple[dict[str, bool], dict[str, set[Pair]], list[dict]]:  # type: ignore[type-arg]
    findings = seamfinder_findings(root)
    verdicts: dict[str, bool] = {}
    pairs: dict[str, set[Pair]] = {}
    for f in findings:
        if f["code"] in ("SF001", "SF003", "SF101"):
            continue  # not a contract's verdict (SF101 is seamfinder's own cycle rule)
        subjects = f["subjects"]
        name = subjects[0]
        verdicts[name] = verdicts.get(name, False) or f["severity"] == "error"
        if f["code"] == "SF109":
            continue
        if name == "tach" and subjects[1] == "cycle":  # tach names the modules of a cycle
            pairs.setdefault(name, set()).update(("cycle", m) for m in subjects[2:4])
        elif name == "tach":
            kind, user, used = subjects[1:4]
            pairs.setdefault(name, set()).add((f"{kind}:{user}", used))
        elif f["code"] == "SF102" and len(subjects) == 2:
            pairs.setdefault(name, set()).add(("<undeclared>", subjects[1]))
        elif f["code"] == "SF106":
            match = re.search(r"in a cycle \((\S+) <-> (\S+)\)", f["message"])
            assert match, f["message"]
            pairs.setdefault(name, set()).add((match[1], match[2]))
        else:
            pairs.setdefault(name, set()).add((subjects[1], subjects[2]))
    return verdicts, pairs, findings


ENV = {**os.environ, "COLUMNS": "250", "NO_COLOR": "1"}


def lint_imports(root: Path) -> tuple[int, str, dict[str, bool], dict[str, set[Pair]]]:
    proc = subprocess.run(
        ["lint-imports", "--no-cache", "--no-logo"],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=120,
        env=ENV,
        check=False,
    )
    out = proc.stdout + proc.stderr
    verdicts = {
        m[1]: m[2] == "BROKEN"
        for m in re.finditer(r"^(.+?) (KEPT|BROKEN)(?: \([^)]*\))?$", out, re.M)
    }
    return proc.returncode, out, verdicts, _broken_sections(out)


def _broken_sections(out: str) -> dict[str, set[Pair]]:
    lines = out.split("\n")
    if "Broken contracts" not in lines:
        return {}
    lines = lines[lines.index("Broken contracts") + 2 :]
    pairs: dict[str, set[Pair]] = {}
    name, block, ancestor, mode = "", [], "", "chains"

    def flush() -> None:
        if block and name:
            found = pairs.setdefault(name, set())
            if mode == "cycles":
                for line in block:
                    a, b = re.findall(r"\.(\w+)", line.split("(")[0])[:2]
                    found.add((f"{ancestor}.{a}", f"{ancestor}.{b}"))
            elif mode == "undeclared":
                found.update(("<undeclared>", line.lstrip("- ").strip()) for line in block)
            else:
                found.update(_chain_ends(block))
        block.clear()

    for index, line in enumerate(lines):
        heading = index + 1 < len(lines) and lines[index + 1] == "-" * len(line) and line
        if heading:
            flush()
            name, mode = line, "chains"
        elif line.startswith("No cycles are allowed in "):
            flush()
            ancestor, mode = line.removeprefix("No cycles are allowed in ").rstrip("."), "cycles"
        elif line.startswith("The following modules are not listed as layers"):
            flush()
            mode = "undeclared"
        elif line.startswith("- ") and mode in ("cycles", "undeclared"):
            block.append(line)
        elif line.startswith("- "):
            flush()
            block.append(line[2:])
        elif line.startswith("  ") and block:
            block.append(line)
        elif not line.strip() and mode == "chains":
            flush()
    flush()
    return pairs


def _chain_ends(block: list[str]) -> set[Pair]:
    """import-linter's rendering of a chain: heads (``&``), links (``->``), extra tails."""

    heads: list[str] = []
    tails: list[str] = []
    last, linked = "", False
    for raw in block:
        text = re.sub(r"\s*\((?:l\.[^)]*)\)\s*$", "", raw.strip()).removeprefix("& ").strip()
        if "->" in text:
            a, b = (part.strip() for part in text.split("->"))
            if not linked:
                heads.append(a)
                linked = True
            last = b
        elif not linked:
            heads.append(text)
        else:
            tails.append(text)
    return {(h, t) for h in heads for t in [last, *tails]}


TACH_KINDS = {
    "LayerViolation": "layer",
    "UndeclaredDependency": "undeclared",
    "ForbiddenDependency": "forbidden",
    "PrivateDependency": "interface",
}


def tach_check(root: Path, exact: bool) -> tuple[bool, set[Pair]]:
    proc = subprocess.run(
        ["tach", "check", "--output", "json"],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=120,
        env=ENV,
        check=False,
    )
    data = json.loads(proc.stdout)
    pairs: set[Pair] = set()
    if isinstance(data, dict):  # a configuration error stops tach before any import
        for dependent, dependency, _ in data.get("visibility_errors", []):
            pairs.add((f"visibility:{dependent}", dependency))
        pairs.update(("cycle", m) for m in data.get("dependencies", []))
        return True, pairs
    failed = False
    for item in data:
        located = item.get("Located")
        if not located:
            continue
        ((kind, detail),) = located["details"]["Code"].items()
        if kind in TACH_KINDS and located["severity"] == "Error":
            failed = True
            pairs.add((f"{TACH_KINDS[kind]}:{detail['usage_module']}", detail["definition_module"]))
    if exact:
        text = subprocess.run(
            ["tach", "check"], cwd=root, capture_output=True, text=True, env=ENV, check=False
        )
        for m in re.finditer(
            r"'([\w.<>]+)' does not depend on: \[([^\]]*)\]", text.stdout + text.stderr
        ):
            failed = True
            pairs.update((f"unused:{m[1]}", dep.strip(" '")) for dep in m[2].split(","))
    return failed or proc.returncode != 0, pairs


# --- the cases ------------------------------------------------------------------------------


def ini(*contracts: str, header: str = "") -> str:
    return "[importlinter]\nroot_package = shop\n" + header + "\n" + "\n".join(contracts)


def contract(cid: str, name: str, kind: str, **options: str | list[str]) -> str:
    lines = [f"[importlinter:contract:{cid}]", f"name = {name}", f"type = {kind}"]
    for key, value in options.items():
        if isinstance(value, list):
            lines.append(f"{key} =\n" + "\n".join(f"    {v}" for v in value))
        else:
            lines.append(f"{key} = {value}")
    return "\n".join(lines) + "\n"


LAYERS3 = ["shop.high", "shop.mid", "shop.low"]
# The project: low reaches high only through util, which is in no layer.
CHAIN = {
    "shop/low/core.py": "from shop.util import helpers\n",
    "shop/util/helpers.py": "from shop.high import views\n",
    "shop/high/views.py": "",
    "shop/mid/service.py": "from shop.low import core\n",
}
DIRECT = {
    "shop/high/views.py": "from shop.mid import service\n",
    "shop/mid/service.py": "from shop.low import core\nfrom shop.high import views\n",
    "shop/low/core.py": "",
}
APPS = {  # two apps and a shared kernel
    "shop/orders/api.py": "from shop.kernel import money\n",
    "shop/orders/models.py": "",
    "shop/billing/api.py": "from shop.kernel import money\n",
    "shop/billing/invoice.py": "from shop.orders import models\n",
    "shop/kernel/money.py": "",
    "shop/kernel/fmt.py": "from shop.billing import api\n",
}
IL_CASES = [
    Case("layers-direct", DIRECT, ini(contract("l", "L", "layers", layers=LAYERS3)), {"L": True}),
    Case("layers-indirect", CHAIN, ini(contract("l", "L", "layers", layers=LAYERS3)), {"L": True}),
    Case(
        "layers-kept",
        {
            "shop/high/views.py": "from shop.mid import service\n",
            "shop/mid/service.py": "from shop.low import core\n",
            "shop/low/core.py": "",
        },
        ini(contract("l", "L", "layers", layers=LAYERS3)),
        {"L": False},
    ),
    Case(
        "layers-independent-siblings",
        {
            "shop/web/views.py": "",
            "shop/orders/api.py": "from shop.billing import api\n",
            "shop/billing/api.py": "",
            "shop/core/money.py": "",
        },
        ini(
            contract(
                "l", "L", "layers", layers=["shop.web", "shop.orders | shop.billing", "shop.core"]
            )
        ),
        {"L": True},
    ),
    Case(
        "layers-colon-siblings-may-import",
        {
            "shop/web/views.py": "",
            "shop/orders/api.py": "from shop.billing import api\n",
            "shop/billing/api.py": "",
            "shop/core/money.py": "",
        },
        ini(
            contract(
                "l", "L", "layers", layers=["shop.web", "shop.orders : shop.billing", "shop.core"]
            )
        ),
        {"L": False},
    ),
    Case(
        "layers-indirect-between-siblings",
        {
            "shop/orders/api.py": "from shop.util import glue\n",
            "shop/util/glue.py": "from shop.billing import api\n",
            "shop/billing/api.py": "",
        },
        ini(contract("l", "L", "layers", layers=["shop.orders | shop.billing"])),
        {"L": True},
    ),
    Case(
        "layers-containers",
        {
            "shop/a/web.py": "from shop.a import domain\n",
            "shop/a/domain.py": "",
            "shop/b/web.py": "",
            "shop/b/domain.py": "from shop.b import web\n",
        },
        ini(
            contract("l", "L", "layers", containers=["shop.a", "shop.b"], layers=["web", "domain"])
        ),
        {"L": True},
    ),
    Case(
        "layers-container-wildcard-optional-layer",
        {
            "shop/a/web.py": "",
            "shop/a/domain.py": "from shop.a import glue\n",
            "shop/a/glue.py": "from shop.a import web\n",
            "shop/b/domain.py": "",
        },
        ini(contract("l", "L", "layers", containers=["shop.*"], layers=["(web)", "domain"])),
        {"L": True},
    ),
    Case(
        "layers-exhaustive",
        {
            "shop/app/web.py": "",
            "shop/app/domain.py": "",
            "shop/app/extra.py": "",
            "shop/app/skip.py": "",
        },
        ini(
            contract(
                "l",
                "L",
                "layers",
                containers=["shop.app"],
                layers=["web", "domain"],
                exhaustive="true",
                exhaustive_ignores=["skip"],
            )
        ),
        {"L": True},
    ),
    Case(
        "layers-exhaustive-kept",
        {"shop/app/web.py": "", "shop/app/domain.py": "", "shop/app/skip.py": ""},
        ini(
            contract(
                "l",
                "L",
                "layers",
                containers=["shop.app"],
                layers=["web", "domain"],
                exhaustive="true",
                exhaustive_ignores=["skip"],
            )
        ),
        {"L": False},
    ),
    Case(
        "layers-ignore-matches",
        CHAIN,
        ini(
            contract(
                "l",
                "L",
                "layers",
                layers=LAYERS3,
                ignore_imports=["shop.util.helpers -> shop.high.views"],
            )
        ),
        {"L": False},
    ),
    Case(
        "layers-ignore-wildcard",
        {**CHAIN, "shop/low/more.py": "from shop.high import views\n"},
        ini(
            contract(
                "l", "L", "layers", layers=LAYERS3, ignore_imports=["shop.*.* -> shop.high.views"]
            )
        ),
        {"L": False},
    ),
    Case(
        "layers-ignore-partial",  # one of two chains ignored: the other still breaks it
        {**CHAIN, "shop/low/more.py": "from shop.high import views\n"},
        ini(
            contract(
                "l", "L", "layers", layers=LAYERS3, ignore_imports=["shop.low.more -> shop.high.**"]
            )
        ),
        {"L": True},
    ),
    Case(
        "layers-ignore-unmatched-warn",
        DIRECT,
        ini(
            contract(
                "l",
                "L",
                "layers",
                layers=LAYERS3,
                ignore_imports=["shop.nope -> shop.high"],
                unmatched_ignore_imports_alerting="warn",
            )
        ),
        {"L": True},
    ),
    Case(
        "layers-ignore-unmatched-none",
        {"shop/high/views.py": "", "shop/mid/service.py": "", "shop/low/core.py": ""},
        ini(
            contract(
                "l",
                "L",
                "layers",
                layers=LAYERS3,
                ignore_imports=["shop.nope -> shop.high"],
                unmatched_ignore_imports_alerting="none",
            )
        ),
        {"L": False},
    ),
    Case(
        "forbidden-direct-and-indirect",
        {**APPS, "shop/orders/models.py": "from shop.kernel import fmt\n"},
        ini(
            contract(
                "f",
                "F",
                "forbidden",
                source_modules=["shop.orders"],
                forbidden_modules=["shop.billing"],
            )
        ),
        {"F": True},
    ),
    Case(
        "forbidden-kept",
        APPS,
        ini(
            contract(
                "f",
                "F",
                "forbidden",
                source_modules=["shop.orders"],
                forbidden_modules=["shop.billing"],
            )
        ),
        {"F": False},
    ),
    Case(
        "forbidden-allow-indirect-ignores-chains",
        {**APPS, "shop/orders/models.py": "from shop.kernel import fmt\n"},
        ini(
            contract(
                "f",
                "F",
                "forbidden",
                source_modules=["shop.orders"],
                forbidden_modules=["shop.billing"],
                allow_indirect_imports="true",
            )
        ),
        {"F": False},
    ),
    Case(
        "forbidden-allow-indirect-direct",
        {**APPS, "shop/orders/models.py": "from shop.billing import invoice\n"},
        ini(
            contract(
                "f",
                "F",
                "forbidden",
                source_modules=["shop.orders"],
                forbidden_modules=["shop.billing"],
                allow_indirect_imports="True",
            )
        ),
        {"F": True},
    ),
    Case(
        "forbidden-not-as-packages",
        {
            "shop/a/__init__.py": "",
            "shop/a/x.py": "from shop.b import y\n",
            "shop/b/y.py": "",
            "shop/b/z.py": "",
        },
        ini(
            contract(
                "f",
                "F",
                "forbidden",
                source_modules=["shop.a", "shop.a.x"],
                forbidden_modules=["shop.b.y"],
                as_packages="false",
            )
        ),
        {"F": True},
    ),
    Case(
        "forbidden-wildcards",
        APPS,
        ini(
            contract(
                "f",
                "F",
                "forbidden",
                source_modules=["shop.kernel.*"],
                forbidden_modules=["shop.*.api"],
            )
        ),
        {"F": True},
    ),
    Case(
        "forbidden-external-packages",
        {
            **APPS,
            "shop/kernel/money.py": "import decimal\n",
            "shop/orders/models.py": "import json\n",
        },
        ini(
            contract(
                "f",
                "F",
                "forbidden",
                source_modules=["shop.orders", "shop.billing"],
                forbidden_modules=["decimal", "json"],
            ),
            header="include_external_packages = True\n",
        ),
        {"F": True},
    ),
    Case(
        "forbidden-ignore-breaks-chain",
        {**APPS, "shop/orders/models.py": "from shop.kernel import fmt\n"},
        ini(
            contract(
                "f",
                "F",
                "forbidden",
                source_modules=["shop.orders"],
                forbidden_modules=["shop.billing"],
                ignore_imports=["shop.kernel.** -> shop.billing.*"],
            )
        ),
        {"F": False},
    ),
    Case(
        "independence-direct-and-indirect",
        APPS,
        ini(contract("i", "I", "independence", modules=["shop.orders", "shop.billing"])),
        {"I": True},
    ),
    Case(
        "independence-three-members",
        {**APPS, "shop/shipping/labels.py": "from shop.kernel import money\n"},
        ini(
            contract(
                "i", "I", "independence", modules=["shop.orders", "shop.shipping", "shop.kernel"]
            )
        ),
        {"I": True},
    ),
    Case(
        "independence-kept",
        {**APPS, "shop/billing/invoice.py": "", "shop/kernel/fmt.py": ""},
        ini(contract("i", "I", "independence", modules=["shop.orders", "shop.billing"])),
        {"I": False},
    ),
    Case(
        "protected",
        {
            "shop/db/session.py": "",
            "shop/repo/orders.py": "from shop.db import session\n",
            "shop/web/views.py": "from shop.db.session import x\nfrom shop.repo import orders\n",
        },
        ini(
            contract(
                "p",
                "P",
                "protected",
                protected_modules=["shop.db"],
                allowed_importers=["shop.repo"],
            )
        ),
        {"P": True},
    ),
    Case(
        "protected-kept-and-not-as-packages",
        {
            "shop/db/session.py": "",
            "shop/db/__init__.py": "",
            "shop/repo/orders.py": "from shop.db import session\n",
            "shop/web/views.py": "from shop.db.session import x\n",
        },
        ini(
            contract(
                "p",
                "P",
                "protected",
                protected_modules=["shop.db"],
                allowed_importers=["shop.repo"],
                as_packages="false",
            )
        ),
        {"P": False},
    ),
    Case(
        "acyclic-siblings",
        {
            "shop/a/x.py": "from shop.b import y\n",
            "shop/b/y.py": "from shop.c import z\n",
            "shop/c/z.py": "from shop.a import x\n",
            "shop/c/deep/one.py": "from shop.c.deep import two\n",
            "shop/c/deep/two.py": "from shop.c.deep import one\n",
        },
        ini(contract("a", "A", "acyclic_siblings", ancestors=["shop"])),
        {"A": True},
    ),
    Case(
        "acyclic-siblings-depth-and-skip",
        {
            "shop/a/x.py": "",
            "shop/c/z.py": "",
            "shop/c/deep/one.py": "from shop.c.deep import two\n",
            "shop/c/deep/two.py": "from shop.c.deep import one\n",
            "shop/d/p/one.py": "from shop.d.p import two\n",
            "shop/d/p/two.py": "from shop.d.p import one\n",
        },
        ini(
            contract(
                "a",
                "A",
                "acyclic_siblings",
                ancestors=["shop"],
                depth="1",
                skip_descendants=["shop.d"],
            )
        ),
        {"A": False},
    ),
    Case(
        "type-checking-imports-seen",
        {
            "shop/high/views.py": "",
            "shop/low/core.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from shop.high import views\n",
        },
        ini(contract("l", "L", "layers", layers=["shop.high", "shop.low"])),
        {"L": True},
    ),
    Case(
        "type-checking-imports-excluded",
        {
            "shop/high/views.py": "",
            "shop/low/core.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from shop.high import views\n",
        },
        ini(
            contract("l", "L", "layers", layers=["shop.high", "shop.low"]),
            header="exclude_type_checking_imports = True\n",
        ),
        {"L": False},
    ),
    Case(
        "several-contracts-one-project",
        {**APPS, **CHAIN},
        ini(
            contract("l", "L", "layers", layers=LAYERS3),
            contract("i", "I", "independence", modules=["shop.orders", "shop.billing"]),
            contract(
                "f",
                "F",
                "forbidden",
                source_modules=["shop.kernel"],
                forbidden_modules=["shop.orders"],
            ),
        ),
        {"L": True, "I": True, "F": False},
    ),
]


def tach(body: str, **top: str) -> str:
    return "".join(f"{k} = {v}\n" for k, v in top.items()) + body


def module(path: str, **options: str) -> str:
    return (
        f'[[modules]]\npath = "{path}"\n'
        + "".join(f"{k} = {v}\n" for k, v in options.items())
        + "\n"
    )


WEB = {
    "shop/web/views.py": "from shop.orders.services import place\nfrom shop.core import money\n",
    "shop/orders/services.py": "from shop.core.money import cents\n",
    "shop/orders/api.py": "",
    "shop/core/money.py": "cents = 1\n",
}
TACH_CASES = [
    Case(
        "tach-undeclared",
        WEB,
        tach(
            module("shop.web", depends_on='["shop.orders"]')
            + module("shop.orders", depends_on='["shop.core"]')
            + module("shop.core", depends_on="[]")
        ),
        {"tach": True},
        tool="tach",
    ),
    Case(
        "tach-declared-kept-and-omitted-depends-on",
        WEB,
        tach(
            module("shop.web")
            + module("shop.orders", depends_on='["shop.core"]')
            + module("shop.core", depends_on="[]")
        ),
        {"tach": False},
        tool="tach",
    ),
    Case(
        "tach-utility",
        WEB,
        tach(
            module("shop.web", depends_on='["shop.orders"]')
            + module("shop.orders", depends_on="[]")
            + module("shop.core", utility="true", depends_on="[]")
        ),
        {"tach": False},
        tool="tach",
    ),
    Case(
        "tach-layers",
        {**WEB, "shop/core/money.py": "from shop.web import views\n"},
        tach(
            module("shop.web", layer='"ui"', depends_on="[]")
            + module("shop.orders", layer='"domain"', depends_on="[]")
            + module("shop.core", layer='"base"', depends_on="[]"),
            layers='["ui", "domain", "base"]',
        ),
        {"tach": True},
        tool="tach",
    ),
    Case(
        "tach-cannot-depend-on",
        WEB,
        tach(
            module("shop.web", cannot_depend_on='["shop.core"]')
            + module("shop.orders")
            + module("shop.core")
        ),
        {"tach": True},
        tool="tach",
    ),
    Case(
        "tach-interfaces",
        {
            **WEB,
            "shop/web/views.py": "from shop.orders.api import place\nfrom shop.core.money import cents\nimport shop.core\n",
        },
        tach(
            module("shop.web")
            + module("shop.orders")
            + module("shop.core")
            + '[[interfaces]]\nexpose = ["api.*"]\nfrom = ["shop.orders"]\n\n'
            + '[[interfaces]]\nexpose = ["services"]\nfrom = ["shop\\\\.core"]\n'
        ),
        {"tach": True},
        tool="tach",
    ),
    Case(
        "tach-interface-visibility",
        {
            **WEB,
            "shop/web/views.py": "from shop.core.money import cents\n",
            "shop/orders/services.py": "from shop.core.money import cents\n",
        },
        tach(
            module("shop.web")
            + module("shop.orders")
            + module("shop.core")
            + '[[interfaces]]\nexpose = ["money.*"]\nfrom = ["shop.core"]\nvisibility = ["shop.web"]\n\n'
            + '[[interfaces]]\nexpose = ["nothing"]\nfrom = ["shop.core"]\n'
        ),
        {"tach": True},
        tool="tach",
    ),
    Case(
        "tach-exact",
        WEB,
        tach(
            module("shop.web", depends_on='["shop.orders", "shop.core"]')
            + module("shop.orders", depends_on='["shop.core", "shop.web"]')
            + module("shop.core", depends_on='["shop.orders"]'),
            exact="true",
        ),
        {"tach": True},
        tool="tach",
        exact=True,
    ),
    Case(
        "tach-exclude",
        {**WEB, "shop/legacy/old.py": "from shop.core import money\n"},
        tach(
            module("shop.web", depends_on='["shop.orders", "shop.core"]')
            + module("shop.orders", depends_on='["shop.core"]')
            + module("shop.core", depends_on="[]")
            + module("shop.legacy", depends_on="[]"),
            exclude='["shop/legacy"]',
        ),
        {"tach": False},
        tool="tach",
    ),
    Case(
        "tach-forbid-circular",
        WEB,
        tach(
            module("shop.web", depends_on='["shop.orders", "shop.core"]')
            + module("shop.orders", depends_on='["shop.core", "shop.web"]')
            + module("shop.core", depends_on="[]"),
            forbid_circular_dependencies="true",
        ),
        {"tach": True},
        tool="tach",
    ),
    Case(
        "tach-module-visibility",
        WEB,
        tach(
            module("shop.web", depends_on='["shop.orders", "shop.core"]')
            + module("shop.orders", depends_on='["shop.core"]')
            + module("shop.core", depends_on="[]", visibility='["shop.web"]'),
        ),
        {"tach": True},
        tool="tach",
    ),
    Case(
        "tach-type-checking-and-unchecked",
        {
            **WEB,
            "shop/core/money.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from shop.web import views\ncents = 1\n",
            "shop/orders/services.py": "from shop.web import views\n",
        },
        tach(
            module("shop.web", depends_on='["shop.orders", "shop.core"]')
            + module("shop.orders", depends_on="[]", unchecked="true")
            + module("shop.core", depends_on="[]"),
        ),
        {"tach": False},
        tool="tach",
    ),
    Case(
        "tach-local-imports",
        {**WEB, "shop/core/money.py": "def late():\n    from shop.web import views\ncents = 1\n"},
        tach(module("shop.web") + module("shop.orders") + module("shop.core", depends_on="[]")),
        {"tach": True},
        tool="tach",
    ),
    *(
        Case(
            f"tach-root-module-{mode}",
            {
                **WEB,
                "shop/scripts/run.py": "from shop.web import views\n",
                "shop/orders/services.py": "from shop.scripts import run\n",
            },
            tach(
                module("shop.web", depends_on='["shop.orders", "shop.core"]')
                + module("shop.orders", depends_on='["shop.core"]')
                + module("shop.core", depends_on="[]"),
                root_module=f'"{mode}"',
            ),
            {"tach": mode != "ignore"},
            tool="tach",
        )
        for mode in ("ignore", "allow", "dependenciesonly", "forbid")
    ),
]


def _needs(tool: str) -> None:
    if shutil.which("lint-imports" if tool == "import-linter" else "tach") is None:
        pytest.skip(f"{tool} is not installed (pip install -e '.[test]')")


@pytest.fixture(scope="module")
def original_tools(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, object]]:
    """Every case written once and checked by its original tool, the tools run side by side.

    The tools are separate processes that mostly wait on their own start-up, so running
    them concurrently keeps the whole suite within seconds.
    """

    def run(case: Case) -> tuple[str, tuple[Path, object]]:
        root = tmp_path_factory.mktemp(case.id)
        write(root, case)
        if case.tool == "import-linter":
            return case.id, (root, lint_imports(root) if shutil.which("lint-imports") else None)
        return case.id, (root, tach_check(root, case.exact) if shutil.which("tach") else None)

    with ThreadPoolExecutor(max_workers=8) as pool:
        return dict(pool.map(run, [*IL_CASES, *TACH_CASES]))


@pytest.mark.parametrize("case", IL_CASES, ids=lambda c: c.id)
def test_seamfinder_agrees_with_lint_imports(
    case: Case, original_tools: dict[str, tuple[Path, object]]
) -> None:
    _needs("import-linter")
    root, result = original_tools[case.id]
    code, out, verdicts, il_pairs = result  # type: ignore[misc]
    ours, our_pairs, _ = seamfinder_side(root)
    assert code == (1 if any(case.broken.values()) else 0), out
    assert verdicts == case.broken, out
    assert {name: ours.get(name, False) for name in case.broken} == case.broken
    assert our_pairs == il_pairs, out


@pytest.mark.parametrize("case", TACH_CASES, ids=lambda c: c.id)
def test_seamfinder_agrees_with_tach_check(
    case: Case, original_tools: dict[str, tuple[Path, object]]
) -> None:
    _needs("tach")
    root, result = original_tools[case.id]
    failed, tach_pairs = result  # type: ignore[misc]
    ours, our_pairs, _ = seamfinder_side(root)
    assert failed == case.broken["tach"], tach_pairs
    assert ours.get("tach", False) == case.broken["tach"], our_pairs
    if not any(p[0] == "cycle" or p[0].startswith("visibility:") for p in tach_pairs):
        assert our_pairs.get("tach", set()) == tach_pairs
    else:  # a configuration error stops tach before it reads an import: seamfinder goes on
        assert tach_pairs <= our_pairs["tach"]


def test_an_unmatched_ignore_fails_both_tools_by_default(tmp_path: Path) -> None:
    _needs("import-linter")
    case = Case(
        "unmatched-error",
        DIRECT,
        ini(
            contract(
                "l", "L", "layers", layers=LAYERS3, ignore_imports=["shop.nope -> shop.high.*"]
            )
        ),
        {"L": True},
    )
    write(tmp_path, case)
    code, out, _, _ = lint_imports(tmp_path)
    assert code == 1 and "No matches for ignored import shop.nope -> shop.high.*" in out
    _, _, findings = seamfinder_side(tmp_path)
    (unmatched,) = [f for f in findings if f["code"] == "SF109"]
    assert unmatched["severity"] == "error"
    assert unmatched["subjects"] == ["L", "shop.nope -> shop.high.*"]


def test_a_chain_is_one_finding_at_its_first_import_with_the_chain_related(tmp_path: Path) -> None:
    case = IL_CASES[1]  # layers-indirect: the three-file project
    write(tmp_path, case)
    _, _, findings = seamfinder_side(tmp_path)
    (finding,) = [f for f in findings if f["code"] == "SF102"]
    assert finding["path"] == "shop/low/core.py" and finding["line"] == 1
    assert "shop.low.core -> shop.util.helpers -> shop.high.views" in finding["message"]
    assert [(r["path"], r["line"]) for r in finding["related"]] == [("shop/util/helpers.py", 1)]
    assert finding["subjects"] == ["L", "shop.low.core", "shop.high.views"]
    # An unrelated edit (a line above the chain's first import) keeps the fingerprint.
    (tmp_path / "shop/low/core.py").write_text("import os\n\nfrom shop.util import helpers\n")
    (moved,) = [f for f in seamfinder_findings(tmp_path) if f["code"] == "SF102"]
    assert moved["line"] == 3 and moved["fingerprint"] == finding["fingerprint"]


def test_what_is_not_checked_is_said_once_per_contract_and_option(tmp_path: Path) -> None:
    case = Case(
        "unchecked",
        DIRECT,
        ini(
            contract("p", "Private", "private_modules"),
            contract(
                "f",
                "F",
                "forbidden",
                source_modules=["shop.low"],
                forbidden_modules=["requests"],
                colour="blue",
            ),
        ),
        {},
    )
    write(tmp_path, case)
    findings = seamfinder_findings(tmp_path)
    unchecked = sorted(
        (f["subjects"][0], f["subjects"][1]) for f in findings if f["code"] == "SF003"
    )
    assert unchecked == [
        ("F", "colour"),
        ("F", "forbidden_modules requests"),
        ("Private", "type = private_modules"),
    ]
    assert all(f["severity"] == "warning" for f in findings if f["code"] == "SF003")
