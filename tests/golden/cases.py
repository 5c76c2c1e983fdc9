"""The commands whose machine output is pinned byte for byte (see README.md here).

Run ``python tests/golden/cases.py --update`` to record them again after a deliberate
change of behaviour; the test in ``test_golden.py`` compares against what is recorded.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
FIXTURES = REPO / "fixtures"
FIXTURE_NAMES = sorted(
    p.name for p in FIXTURES.iterdir() if p.is_dir() and not p.name.startswith(".")
)

# (recorded file name, arguments after `seamfinder`; {root} is the fixture copy)
CASES: list[tuple[str, list[str]]] = []
for _name in FIXTURE_NAMES:
    CASES.append((f"{_name}.analyze.json", ["analyze", f"{{root}}/{_name}", "-f", "json"]))
    CASES.append((f"{_name}.check.sarif", ["check", f"{{root}}/{_name}", "-f", "sarif"]))
CASES += [
    ("django_shop.candidates.json", ["candidates", "{root}/django_shop", "-f", "json"]),
    (
        "django_shop.extract-billing.json",
        ["extract", "billing", "{root}/django_shop", "-f", "json"],
    ),
    (
        "django_shop.extract-billing-with.json",
        ["extract", "billing", "{root}/django_shop", "--with", "orders.services", "-f", "json"],
    ),
    ("distributed_shop.candidates.json", ["candidates", "{root}/distributed_shop", "-f", "json"]),
    ("feature_shop.candidates.json", ["candidates", "{root}/feature_shop", "-f", "json"]),
    (
        "feature_shop.extract-exports.json",
        ["extract", "exports", "{root}/feature_shop", "-f", "json"],
    ),
]


def copy_fixtures(target: Path) -> Path:
    """Copy every fixture without caches, so a run never sees an earlier one's state."""
    ignore = shutil.ignore_patterns(".seamfinder_cache", "__pycache__")
    for name in FIXTURE_NAMES:
        shutil.copytree(FIXTURES / name, target / name, ignore=ignore)
    return target


def run_case(args: list[str], root: Path) -> bytes:
    argv = [a.replace("{root}", str(root)) for a in args]
    # analyze and check exit 1 on findings; the recorded bytes are what matters here
    gate = ["--exit-zero"] if argv[0] in ("analyze", "check") else []
    done = subprocess.run(
        [sys.executable, "-m", "seamfinder", *argv, "--no-cache", *gate],
        capture_output=True,
        check=False,
        cwd=root,
    )
    if done.returncode != 0:
        raise RuntimeError(f"seamfinder {' '.join(argv)} exited {done.returncode}: {done.stderr!r}")
    # Paths in the output are relative to the analysed root; the copy's folder never appears.
    return done.stdout.replace(str(root).encode(), b"{root}")


def main() -> None:
    if sys.argv[1:] != ["--update"]:
        sys.exit("usage: python tests/golden/cases.py --update")
    with tempfile.TemporaryDirectory() as tmp:
        root = copy_fixtures(Path(tmp))
        for file_name, args in CASES:
            (HERE / "expected" / file_name).parent.mkdir(exist_ok=True)
            (HERE / "expected" / file_name).write_bytes(run_case(args, root))
            print("recorded", file_name)


if __name__ == "__main__":
    main()
