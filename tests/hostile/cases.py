"""The hostile inputs: one tree (and command line) per kind, with what seamfinder must do.

Each case builds its tree under a fresh folder and names the exit code and a piece of
text that must appear in the output (a finding's message, or the one-line error). The
runner (test_hostile_inputs.py) checks the invariants every run must keep besides.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from tests.hostile.harness import write_tree

INIT = {"pkg/__init__.py": "", "pkg/good.py": "import pkg.other\n", "pkg/other.py": "X = 1\n"}


@dataclass(frozen=True)
class Case:
    name: str
    build: Callable[[Path], None]
    expect: str  # must appear in stdout or stderr ("" for nothing in particular)
    code: int | tuple[int, ...] = 1
    args: Sequence[str] = ("check", ".")
    absent: Sequence[str] = ()  # must not appear in stdout or stderr
    timeout: float = 60.0
    command: Sequence[str] | None = None  # default: the console script
    env: dict[str, str] = field(default_factory=dict)
    after: Callable[[Path], str | None] = field(default=lambda root: None)  # a problem, or None


def files(
    extra: dict[str, str | bytes], base: dict[str, str] | None = None
) -> Callable[[Path], None]:
    def build(root: Path) -> None:
        write_tree(root, {**(INIT if base is None else base), **extra})

    return build


def with_(first: Callable[[Path], None], then: Callable[[Path], None]) -> Callable[[Path], None]:
    def build(root: Path) -> None:
        first(root)
        then(root)

    return build


def symlink(name: str, target: str) -> Callable[[Path], None]:
    def build(root: Path) -> None:
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        os.symlink(target, root / name)

    return build


def fifo(name: str) -> Callable[[Path], None]:
    def build(root: Path) -> None:
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        os.mkfifo(root / name)

    return build


def deep_folders(root: Path) -> None:
    """A package below more than PATH_MAX bytes of folders."""

    write_tree(root, INIT)
    current = os.open(root / "pkg", os.O_RDONLY)
    try:
        for _ in range(40):
            name = "d" * 200
            os.mkdir(name, dir_fd=current)
            os.close(os.open(f"{name}/__init__.py", os.O_CREAT | os.O_WRONLY, dir_fd=current))
            nxt = os.open(name, os.O_RDONLY, dir_fd=current)
            os.close(current)
            current = nxt
        fd = os.open("deep.py", os.O_CREAT | os.O_WRONLY, dir_fd=current)
        os.write(fd, b"X = 1\n")
        os.close(fd)
    finally:
        os.close(current)


def unreadable(*names: str) -> Callable[[Path], None]:
    """Folders and files nobody may read (the run drops root's right to read them anyway)."""

    def build(root: Path) -> None:
        for name in names:
            (root / name).chmod(0)

    return build


UNPRIVILEGED = {"HOSTILE_UNPRIVILEGED": "1"}


def git_repo(hook: str) -> Callable[[Path], None]:
    """A git repository whose own config names a fsmonitor hook and a hooks folder."""

    def build(root: Path) -> None:
        write_tree(root, INIT)
        marker = root.parent / "hook-ran"
        script = root.parent / "hook.sh"
        script.write_text(f"#!/bin/sh\ntouch {marker}\nexit 1\n")
        script.chmod(0o755)
        env = {**os.environ, "GIT_CONFIG_NOSYSTEM": "1", "HOME": str(root.parent)}
        for args in (
            ["init", "-q"],
            ["-c", "user.name=t", "-c", "user.email=t@t", "add", "-A"],
            ["-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "init"],
            ["config", hook, str(script)],
        ):
            subprocess.run(["git", *args], cwd=root, env=env, check=True, capture_output=True)
        (root / "pkg" / "other.py").write_text("X = 2\n")

    return build


def hook_never_ran(root: Path) -> str | None:
    return "a hook of the analysed repository ran" if (root.parent / "hook-ran").exists() else None


PYTHON_M = (sys.executable, "-m", "seamfinder")
OWN_CLICK = {
    "click.py": "raise SystemExit('pwned: imported the project')\n",
    "rich/__init__.py": "raise SystemExit('pwned: rich')\n",
}


def nested(open_: str, close: str, depth: int) -> str:
    return "X = " + open_ * depth + "1" + close * depth + "\n"


def chain(term: str, joiner: str, count: int) -> str:
    return "X = " + joiner.join([term] * count) + "\n"


NEWER_BASELINE = (
    '{"tool": "seamfinder", "version": 99, "findings": [{"code": "SF201", "subjects": ["a"]}]}\n'
)
TWO_COMPONENTS = '[components]\nshop = ["shop"]\nother = ["other"]\n'
ORM = "from django.db import models\n\n\nclass Thing(models.Model):\n    pass\n"
COMPOSE_SERVICE = "services:\n  web:\n    build: ./web\n"

BILLION_LAUGHS = (
    'a: &a ["x","x","x","x","x","x","x","x","x"]\n'
    + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [" + ",".join([f"*{chr(97 + i)}"] * 9) + "]\n"
        for i in range(8)
    )
    + "services:\n  web:\n    build: ./web\n    environment: *i\n"
)
MERGE_BOMB = (
    "x0: &x0 {k: v}\n"
    + "".join(f"x{i}: &x{i}\n  <<: [" + ", ".join([f"*x{i - 1}"] * 8) + "]\n" for i in range(1, 12))
    + "services:\n  web:\n    <<: *x11\n    build: ./web\n"
)
RECURSIVE_MERGE = "base: &base\n  image: x\nservices: &s\n  web:\n    <<: *s\n    build: ./web\n"
DEEP_YAML = (
    "services:\n  web:\n    build: ./web\n    environment: " + "[" * 5000 + "]" * 5000 + "\n"
)

TEXT_CASES: list[Case] = [
    # --- nesting deep enough to overflow a C stack ----------------------------------------
    Case("parens-2000", files({"pkg/deep.py": nested("(", ")", 2000)}), "too deeply nested"),
    Case("brackets-2000", files({"pkg/deep.py": nested("[", "]", 2000)}), "too deeply nested"),
    Case("braces-2000", files({"pkg/deep.py": nested("{1:", "}", 2000)}), "too deeply nested"),
    Case("parens-300", files({"pkg/deep.py": nested("(", ")", 300)}), "pkg/deep.py"),
    Case(
        "parens-2000-orm", files({"pkg/deep.py": ORM + nested("(", ")", 2000)}), "too deeply nested"
    ),
    Case("sum-100k", files({"pkg/deep.py": chain("1", "+", 100_000)}), "too deeply nested"),
    Case(
        "sum-100k-orm", files({"pkg/deep.py": ORM + chain("1", "+", 100_000)}), "too deeply nested"
    ),
    Case(
        "sum-100k-lines",
        files({"pkg/deep.py": "X = (" + " +\n".join(["1"] * 100_000) + ")\n"}),
        "too deeply nested",
    ),
    Case("unary-100k", files({"pkg/deep.py": "X = " + "-" * 100_000 + "1\n"}), "too deeply nested"),
    Case("not-100k", files({"pkg/deep.py": "X = " + "not " * 50_000 + "1\n"}), "too deeply nested"),
    Case(
        "attribute-100k",
        files({"pkg/deep.py": "X = a" + ".b" * 100_000 + "\n"}),
        "too deeply nested",
    ),
    Case("call-50k", files({"pkg/deep.py": "X = f" + "()" * 50_000 + "\n"}), "too deeply nested"),
    Case(
        "subscript-50k",
        files({"pkg/deep.py": "X = a" + "[0]" * 50_000 + "\n"}),
        "too deeply nested",
    ),
    Case(
        "lambda-20k",
        files({"pkg/deep.py": "X = " + "lambda: " * 20_000 + "1\n"}),
        "too deeply nested",
    ),
    Case(
        "ternary-50k",
        files({"pkg/deep.py": "X = " + "1 if a else " * 50_000 + "1\n"}),
        "too deeply nested",
    ),
    Case("power-50k", files({"pkg/deep.py": chain("2", "**", 50_000)}), "too deeply nested"),
    Case(
        "await-chain",
        files({"pkg/deep.py": "async def f():\n    return " + "await " * 20_000 + "x\n"}),
        "pkg/deep.py",
    ),
    Case(
        "indent-150",
        files(
            {"pkg/deep.py": "".join(" " * i + "if x:\n" for i in range(150)) + " " * 150 + "pass\n"}
        ),
        "pkg/deep.py",
    ),
    Case(
        "indent-1000",
        files(
            {
                "pkg/deep.py": "".join("\t" * i + "if x:\n" for i in range(1000))
                + "\t" * 1000
                + "pass\n"
            }
        ),
        "pkg/deep.py",
    ),
    Case(
        "strings-100k",
        files({"pkg/flat.py": "X = " + " ".join(['"a"'] * 100_000) + "\n"}),
        "",
        code=0,
    ),
    Case("compare-100k", files({"pkg/flat.py": chain("1", "<", 100_000)}), "", code=(0, 1)),
    Case(
        "list-100k", files({"pkg/flat.py": "X = [" + ",".join(["1"] * 100_000) + "]\n"}), "", code=0
    ),
    Case("bool-100k", files({"pkg/flat.py": chain("a", " and ", 100_000)}), "", code=(0, 1)),
    Case("statements-150k", files({"pkg/flat.py": "x = 1\n" * 150_000}), "", code=0),
    # --- imports grimp cannot take --------------------------------------------------------
    Case(
        "relative-above-root",
        files({"pkg/up.py": "from ... import x\n"}),
        "beyond the top-level package",
    ),
    Case(
        "relative-above-root-10",
        files({"pkg/up.py": "from .......... import x\n"}),
        "beyond the top-level package",
    ),
    Case(
        "relative-above-root-in-init",
        files({"pkg/sub/__init__.py": "from .... import x\n"}),
        "beyond the top-level package",
    ),
    Case(
        "relative-above-root-in-function",
        files({"pkg/up.py": "def f():\n    from ...x import y\n"}),
        "beyond the top-level package",
    ),
    Case("relative-one-above-root", files({"pkg/up.py": "from .. import x\n"}), "", code=0),
    Case(
        "relative-above-root-in-docstring",
        files({"pkg/doc.py": '"""Usage:\n\nfrom ... import x\n"""\n'}),
        "",
        code=0,
    ),
    Case("relative-above-root-loose", files({"script.py": "from .. import x\n"}), "", code=(0, 1)),
    Case(
        "import-line-130k",
        files(
            {
                "pkg/wide.py": "from pkg.other import ("
                + ", ".join(f"n{i}" for i in range(15_000))
                + ")\nimport pkg.good\n"
            }
        ),
        "",
        code=0,
    ),
    Case(
        "import-line-130k-plain",
        files({"pkg/wide.py": "import " + ", ".join(["pkg.other"] * 12_000) + "\n"}),
        "",
        code=0,
    ),
    Case("imports-50k-lines", files({"pkg/many.py": "import pkg.other\n" * 50_000}), "", code=0),
    Case("import-self", files({"pkg/me.py": "import pkg.me\nfrom . import me\n"}), "", code=0),
    Case(
        "import-star-everywhere",
        files(
            {
                f"pkg/s{i}.py": "".join(f"from pkg.s{j} import *\n" for j in range(30))
                for i in range(30)
            }
        ),
        "",
        code=(0, 1),
    ),
    # --- files that are not files ---------------------------------------------------------
    Case("fifo-module", with_(files({}), fifo("pkg/mod.py")), "not a regular file"),
    Case(
        "fifo-init",
        with_(files({}, {"pkg/a.py": "X = 1\n"}), fifo("pkg/__init__.py")),
        "not a regular file",
    ),
    Case("fifo-loose", with_(files({}), fifo("script.py")), "not a regular file"),
    Case(
        "symlink-dev-null",
        with_(files({}), symlink("pkg/mod.py", "/dev/null")),
        "not a regular file",
    ),
    Case(
        "symlink-dev-zero",
        with_(files({}), symlink("pkg/mod.py", "/dev/zero")),
        "not a regular file",
    ),
    Case(
        "symlink-dev-urandom",
        with_(files({}), symlink("pkg/mod.py", "/dev/urandom")),
        "not a regular file",
    ),
    Case(
        "symlink-proc-self",
        with_(files({}), symlink("pkg/mod.py", "/proc/self/status")),
        "",
        code=(0, 1),
    ),
    Case("symlink-loop", with_(files({}), symlink("pkg/mod.py", "mod.py")), "cannot read"),
    Case("symlink-dangling", with_(files({}), symlink("pkg/mod.py", "missing.py")), "cannot read"),
    Case("symlink-folder-loop", with_(files({}), symlink("pkg/loop", "..")), "", code=0),
    Case("folder-named-py", files({"pkg/odd.py/x.txt": "x"}), "", code=0),
    Case("path-over-path-max", deep_folders, "too long"),
    Case(
        "unreadable-folder",
        with_(
            files({"pkg/secret/__init__.py": "", "pkg/secret/m.py": "X = 1\n"}),
            unreadable("pkg/secret"),
        ),
        "pkg/secret was not analysed: folder not read: Permission denied",
        env=UNPRIVILEGED,
    ),
    Case(
        "unreadable-file",
        with_(files({"pkg/secret.py": "X = 1\n"}), unreadable("pkg/secret.py")),
        "pkg/secret.py was not analysed: cannot read: Permission denied",
        env=UNPRIVILEGED,
    ),
    Case(
        "unreadable-root-package",
        with_(files({"other/__init__.py": ""}), unreadable("pkg")),
        "pkg was not analysed: folder not read",
        env=UNPRIVILEGED,
    ),
    Case(
        "unreadable-service-folder",
        with_(
            files(
                {
                    "docker-compose.yml": "services:\n  a:\n    build: ./a\n  b:\n    build: ./b\n",
                    "a/app/__init__.py": "",
                    "a/main.py": "import app\n",
                    "b/app/__init__.py": "",
                    "b/main.py": "import app\n",
                },
                {},
            ),
            unreadable("b/app"),
        ),
        "folder not read",
        env=UNPRIVILEGED,
    ),
    Case(
        "unreadable-compose-file",
        with_(files({"docker-compose.yml": COMPOSE_SERVICE}), unreadable("docker-compose.yml")),
        "docker-compose.yml was not analysed: cannot read",
        env=UNPRIVILEGED,
    ),
    Case(
        "unreadable-pyproject",
        with_(files({"pyproject.toml": "[tool.seamfinder]\n"}), unreadable("pyproject.toml")),
        "pyproject.toml",
        code=2,
        env=UNPRIVILEGED,
    ),
    # --- sizes ----------------------------------------------------------------------------
    Case(
        "too-large",
        files({"pkg/big.py": "X = 1\n" * 2_000, "seamfinder.toml": "max-file-size = 1000\n"}),
        "too large",
    ),
    Case(
        "too-large-default",
        files({"pkg/big.py": "X = 1  # " + "x" * 100 + "\n" * 1 + ("#" * 99 + "\n") * 220_000}),
        "too large",
    ),
    Case(
        "one-syntax-error-in-50mb",
        files({"pkg/big.py": "x = 1\n" * 8_000_000 + "def (:\n" + "y = 2\n" * 700_000}),
        "too large (52,200,007 bytes",
    ),
    Case(
        "one-syntax-error-in-1mb",
        files({"pkg/big.py": "x = 1\n" * 150_000 + "def (:\n" + "y = 2\n" * 15_000}),
        "pkg/big.py:150001",
    ),
    Case(
        "one-syntax-error-in-1mb-orm",
        files({"pkg/big.py": ORM + "x = 1\n" * 150_000 + "def (:\n" + "y = 2\n" * 15_000}),
        "pkg/big.py:150006",
    ),
    Case(
        "long-string-5mb-raised-cap",
        files(
            {
                "pkg/big.py": 'X = "' + "a" * 5_000_000 + '"\n',
                "seamfinder.toml": "max-file-size = 10_000_000\n",
            }
        ),
        "",
        code=0,
        timeout=90,
    ),
    # --- bytes that are not text ----------------------------------------------------------
    Case("nul-byte", files({"pkg/nul.py": b"X = 1\x00\n"}), "NUL byte"),
    Case(
        "bad-cookie", files({"pkg/enc.py": b"# -*- coding: no-such -*-\nX = 1\n"}), "cannot decode"
    ),
    Case("invalid-utf8", files({"pkg/enc.py": b"X = '\xff\xfe'\n"}), "cannot decode"),
    Case("utf16", files({"pkg/enc.py": "X = 1\n".encode("utf-16")}), "pkg/enc.py"),
    Case(
        "bom-and-latin1-cookie",
        files({"pkg/enc.py": b"\xef\xbb\xbf# coding: latin-1\nX = 1\n"}),
        "cannot decode",
    ),
    Case("latin1-cookie", files({"pkg/enc.py": b"# coding: latin-1\nX = '\xe9'\n"}), "", code=0),
    Case("binary-garbage", files({"pkg/bin.py": bytes(range(1, 256)) * 64}), "pkg/bin.py"),
    Case(
        "coding-alias-grimp-cannot-read",
        files({"pkg/enc.py": "# -*- coding: utf -*-\nimport pkg.other\n"}),
        "",
        code=0,
    ),
    Case("cr-only-newlines", files({"pkg/cr.py": b"import pkg.other\rX = 1\r"}), "", code=0),
    Case("form-feed", files({"pkg/ff.py": b"\x0cimport pkg.other\n\x0cX = 1\n"}), "", code=0),
    Case(
        "tab-error-no-orm",
        files({"pkg/tabs.py": "def f():\n        x = 1\n\ty = 2\n"}),
        "pkg/tabs.py",
    ),
    Case(
        "tab-error-tab-is-8",
        files({"pkg/tabs.py": "if True:\n\tx = 1\n        y = 2\n"}),
        "pkg/tabs.py",
    ),
    Case(
        "tab-error-orm",
        files({"pkg/tabs.py": ORM + "def f():\n        x = 1\n\ty = 2\n"}),
        "pkg/tabs.py",
    ),
    Case("indentation-error-no-orm", files({"pkg/ind.py": "def f():\nx = 1\n"}), "pkg/ind.py"),
    Case("syntax-error-no-orm", files({"pkg/bad.py": "def f(:\n"}), "pkg/bad.py"),
    Case("empty-file", files({"pkg/empty.py": ""}), "", code=0),
    Case(
        "unterminated-string-4mb-raised-cap",
        files(
            {
                "pkg/big.py": 'X = """' + "a\n" * 2_000_000,
                "seamfinder.toml": "max-file-size = 10_000_000\n",
            }
        ),
        "pkg/big.py",
        timeout=90,
    ),
    # --- compose files --------------------------------------------------------------------
    Case(
        "yaml-billion-laughs",
        files({"docker-compose.yml": BILLION_LAUGHS, "web/app.py": "X = 1\n"}, {}),
        "docker-compose.yml",
        code=(0, 1),
    ),
    Case(
        "yaml-merge-bomb",
        files({"docker-compose.yml": MERGE_BOMB, "web/app.py": "X = 1\n"}, {}),
        "docker-compose.yml",
        code=(0, 1),
    ),
    Case(
        "yaml-recursive-merge",
        files({"docker-compose.yml": RECURSIVE_MERGE, "web/app.py": "X = 1\n"}, {}),
        "docker-compose.yml",
        code=(0, 1),
    ),
    Case(
        "yaml-deep",
        files({"docker-compose.yml": DEEP_YAML, "web/app.py": "X = 1\n"}, {}),
        "docker-compose.yml",
        code=(0, 1),
    ),
    Case(
        "yaml-python-tag",
        files(
            {
                "docker-compose.yml": "services:\n  web: !!python/object/apply:os.system ['touch pwned']\n",
                "web/app.py": "X = 1\n",
            },
            {},
        ),
        "",
        code=(0, 1),
        absent=("pwned",),
    ),
    Case(
        "yaml-invalid",
        files({"docker-compose.yml": "services: [\n", "pkg/__init__.py": ""}, {}),
        "",
        code=(0, 1),
    ),
    Case(
        "yaml-fifo",
        with_(files({"web/app.py": "X = 1\n"}, {}), fifo("docker-compose.yml")),
        "",
        code=(0, 1),
    ),
    Case(
        "yaml-not-utf8",
        files(
            {
                "docker-compose.yml": b"services:\n  web:\n    build: ./\xff\n",
                "pkg/__init__.py": "",
            },
            {},
        ),
        "",
        code=(0, 1),
    ),
    Case(
        "yaml-services-list",
        files({"docker-compose.yml": "services:\n  - web\n", "pkg/__init__.py": ""}, {}),
        "",
        code=0,
    ),
    Case(
        "yaml-build-outside",
        files(
            {
                "docker-compose.yml": "services:\n  web:\n    build: ../../..\n",
                "pkg/__init__.py": "",
            },
            {},
        ),
        "",
        code=0,
    ),
    # --- configuration and flags ----------------------------------------------------------
    Case(
        "select-unknown",
        files({}),
        "'XX' is not a rule code",
        code=2,
        args=("check", ".", "--select", "XX"),
    ),
    Case(
        "select-lowercase",
        files({}),
        "'sf001' is not a rule code",
        code=2,
        args=("check", ".", "--select", "sf001"),
    ),
    Case(
        "ignore-unknown",
        files({}),
        "'SF1x' is not a rule code",
        code=2,
        args=("check", ".", "--ignore", "SF1x"),
    ),
    Case("diff-empty", files({}), "--diff", code=2, args=("check", ".", "--diff", "")),
    Case(
        "diff-option-like",
        files({}),
        "--diff",
        code=2,
        args=("check", ".", "--diff=--output=/tmp/x"),
    ),
    Case(
        "min-modularity-nan",
        files({"seamfinder.toml": "[rules.SF305]\nmin-modularity = nan\n"}),
        "min-modularity",
        code=2,
    ),
    Case(
        "seams-weight-nan",
        files({"seamfinder.toml": "[seams]\nimports = nan\n"}),
        "imports",
        code=2,
    ),
    Case("seams-weight-inf", files({"seamfinder.toml": "[seams]\ndata = inf\n"}), "data", code=2),
    Case(
        "source-roots-parent",
        files({"seamfinder.toml": 'source-roots = ["../.."]\n'}),
        "source-roots",
        code=2,
    ),
    Case(
        "source-roots-absolute",
        files({"seamfinder.toml": 'source-roots = ["/"]\n'}),
        "source-roots",
        code=2,
    ),
    Case(
        "source-roots-symlink-out",
        with_(files({"seamfinder.toml": 'source-roots = ["out"]\n'}), symlink("out", "/usr/lib")),
        "source-roots",
        code=2,
    ),
    Case("tool-is-number", files({"pyproject.toml": "tool = 5\n"}), "", code=0),
    Case(
        "tool-seamfinder-is-number",
        files({"pyproject.toml": "[tool]\nseamfinder = 5\n"}),
        "tool.seamfinder",
        code=2,
    ),
    Case(
        "config-not-utf8",
        files({"seamfinder.toml": b"depth = 1 # \xff\n"}),
        "seamfinder.toml",
        code=2,
    ),
    Case(
        "config-invalid-toml", files({"seamfinder.toml": "depth = = 1\n"}), "invalid TOML", code=2
    ),
    Case("config-is-folder", files({"seamfinder.toml/x": "x"}), "", code=0),
    Case(
        "config-fifo", with_(files({}), fifo("seamfinder.toml")), "", code=0
    ),  # not a file: no config
    Case(
        "config-flag-fifo",
        with_(files({}), fifo("other.toml")),
        "other.toml",
        code=2,
        args=("check", ".", "--config", "other.toml"),
    ),
    Case(
        "tach-depends-on-number",
        files(
            {
                "tach.toml": '[[modules]]\npath = "pkg.good"\ndepends_on = [5]\n[[modules]]\npath = "pkg.other"\ndepends_on = []\n'
            }
        ),
        "tach.toml",
        code=2,
    ),
    Case("tach-modules-number", files({"tach.toml": "modules = [5]\n"}), "tach.toml", code=2),
    Case(
        "tach-layers-table",
        files({"tach.toml": '[layers]\nx = 1\n[[modules]]\npath = "pkg.good"\n'}),
        "",
        code=(0, 2),
    ),
    Case(
        "importlinter-not-utf8",
        files({".importlinter": b"[importlinter]\nroot_package = \xff\n"}),
        ".importlinter",
        code=2,
    ),
    Case(
        "importlinter-contracts-number",
        files({"pyproject.toml": "[tool.importlinter]\ncontracts = [5]\n"}),
        "",
        code=0,
    ),
    Case("depth-huge", files({}), "", code=0, args=("check", ".", "--depth", "1000000")),
    Case(
        "config-deep-arrays",
        files({"seamfinder.toml": "depth = " + "[" * 50_000 + "]" * 50_000 + "\n"}),
        "nested too deeply",
        code=2,
    ),
    Case(
        "pyproject-deep-inline-tables",
        files(
            {
                "pyproject.toml": "[tool.seamfinder]\nx = "
                + "{a = " * 20_000
                + "1"
                + "}" * 20_000
                + "\n"
            }
        ),
        "pyproject.toml",
        code=2,
    ),
    Case(
        "tach-deep",
        files({"tach.toml": "modules = " + "[" * 50_000 + "]" * 50_000 + "\n"}),
        "tach.toml",
        code=2,
    ),
    # --- baselines -------------------------------------------------------------------------
    Case(
        "baseline-newer-format-select",
        files({"seamfinder-baseline.json": NEWER_BASELINE}),
        "newer seamfinder",
        code=2,
        args=("baseline", ".", "--select", "SF1"),
    ),
    Case(
        "baseline-newer-format",
        files({"seamfinder-baseline.json": NEWER_BASELINE}),
        "newer seamfinder",
        code=2,
        args=("baseline", "."),
    ),
    Case(
        "check-baseline-newer-format",
        files({"seamfinder-baseline.json": NEWER_BASELINE}),
        "newer seamfinder",
        code=2,
    ),
    Case(
        "check-baseline-garbage",
        files({"seamfinder-baseline.json": "{not json"}),
        "not a seamfinder baseline",
        code=2,
    ),
    Case(
        "check-baseline-not-utf8",
        files({"seamfinder-baseline.json": b"\xff\xfe{}"}),
        "cannot read the baseline",
        code=2,
    ),
    Case(
        "check-baseline-deep-json",
        files({"seamfinder-baseline.json": "[" * 100_000 + "]" * 100_000}),
        "baseline",
        code=2,
    ),
    Case(
        "check-baseline-flag-fifo",
        with_(files({}), fifo("b.json")),
        "not a regular file",
        code=2,
        args=("check", ".", "--baseline", "b.json"),
    ),
    # --- terminal and Markdown injection --------------------------------------------------
    Case(
        "esc-in-path",
        files({"scripts\x1b[31mred\x1b]0;pwned\x07/tool.py": "def f(:\n"}),
        "red",
        absent=("\x1b",),
    ),
    Case(
        "esc-in-db-table",
        files(
            {
                "shop/__init__.py": "",
                "shop/models.py": "from django.db import models\n\n\nclass Order(models.Model):\n    class Meta:\n        db_table = 'orders\\x1b[2J\\x1b]8;;http://evil\\x07'\n",
                "other/__init__.py": "",
                "other/views.py": "from shop.models import Order\n\n\ndef f():\n    Order.objects.create()\n",
                "seamfinder.toml": TWO_COMPONENTS,
            },
            {},
        ),
        "orders\\x1b[2",
        code=1,
        absent=("\x1b", "\x07"),
    ),
    Case(
        "esc-in-syntax-snippet",
        files({"pkg/bad.py": "x = '\x1b[2J' +\n"}),
        "pkg/bad.py",
        absent=("\x1b",),
    ),
    Case(
        "markdown-link-in-path",
        files({"scripts[x](javascript:alert(1))/tool.py": "def f(:\n"}),
        "scripts\\[x\\](javascript",
        args=("check", ".", "--format", "markdown"),
        absent=("| scripts[x](",),
    ),
    Case(
        "markdown-image-in-table",
        files(
            {
                "shop/__init__.py": "",
                "shop/models.py": "from django.db import models\n\n\nclass Order(models.Model):\n    class Meta:\n        db_table = '![](http://evil/x.png)'\n",
                "other/__init__.py": "",
                "other/views.py": "from shop.models import Order\n\n\ndef f():\n    Order.objects.create()\n",
                "seamfinder.toml": TWO_COMPONENTS,
            },
            {},
        ),
        "\\!\\[\\](http",
        code=0,
        args=("check", ".", "--format", "markdown", "--fail-on", "never"),
        absent=("![](http://evil/x.png)",),
    ),
    Case(
        "github-command-injection",
        files({"scripts%0A::warning::x/tool.py": "def f(:\n"}),
        "scripts%250A",
        args=("check", ".", "--format", "github"),
    ),
    # --- the environment: never the analysed project's code -------------------------------
    Case("own-click-python-m", files(OWN_CLICK), "", code=0, absent=("pwned",), command=PYTHON_M),
    Case(
        "own-click-python-m-analyze",
        files(OWN_CLICK),
        "",
        code=0,
        args=("analyze", ".", "--format", "markdown"),
        absent=("pwned",),
        command=PYTHON_M,
    ),
    Case("own-click-console-script", files(OWN_CLICK), "", code=0, absent=("pwned",)),
    Case(
        "own-click-pythonpath-dot",
        files(OWN_CLICK),
        "",
        code=0,
        absent=("pwned",),
        env={"PYTHONPATH": "."},
    ),
    Case(
        "git-fsmonitor-diff",
        git_repo("core.fsmonitor"),
        "",
        code=(0, 1),
        args=("check", ".", "--diff", "HEAD"),
        after=hook_never_ran,
    ),
    Case(
        "git-hooks-path-diff",
        git_repo("core.hooksPath"),
        "",
        code=(0, 1),
        args=("check", ".", "--diff", "HEAD"),
        after=hook_never_ran,
    ),
    Case(
        "git-fsmonitor-history",
        git_repo("core.fsmonitor"),
        "",
        code=(0, 1),
        args=("analyze", ".", "--history"),
        after=hook_never_ran,
    ),
    Case(
        "git-fsmonitor-history-check",
        git_repo("core.fsmonitor"),
        "",
        code=(0, 1),
        args=("check", ".", "--history"),
        after=hook_never_ran,
    ),
]
