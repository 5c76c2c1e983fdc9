"""Time ``seamfinder analyze`` and ``seamfinder check`` against ``lint-imports`` on one tree.

Usage::

    python benchmarks/bench_analyze.py PATH [--runs 5] [--check] [--json]

PATH is a project root (e.g. a copy of netbox: the benchmark edits one file, so do not
point it at a tree other runs read at the same time). The script, in one run:

* writes a one-contract import-linter config for the same top-level packages into a
  temporary folder (the analysed tree is never modified, except the one-file edit below,
  which is undone);
* times cold runs (every cache removed first) and warm runs (caches filled) of
  ``seamfinder analyze`` and ``lint-imports`` side by side, alternated (one of each in
  turn, ``--runs`` times) and reports the medians and their ratios; ``--check`` times
  ``seamfinder check`` too;
* times ``seamfinder --version`` and ``seamfinder rules`` (start-up);
* appends a comment to one module and times ``seamfinder analyze`` again (``--runs``
  different edits: one file parsed, everything after the parse on cached facts), checks
  that it re-parsed exactly that file, then restores the file byte for byte.

Wall time is measured around whole processes (start-up included), as a user feels it.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))

from seamfinder.config.settings import load_config  # noqa: E402
from seamfinder.discover.files import discover  # noqa: E402


def timed(
    command: list[str], cwd: Path, env: dict[str, str]
) -> tuple[float, subprocess.CompletedProcess[str]]:
    start = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    if done.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(command)} failed ({done.returncode}):\n{done.stderr[-2000:]}")
    return elapsed, done


Step = tuple[list[str], Path, Callable[[], None] | None]


def alternated(steps: dict[str, Step], env: dict[str, str], runs: int) -> dict[str, float]:
    """Median seconds of each named command, run in turn ``runs`` times (A B A B ...), so
    that a machine that gets busier or quieter weighs on all of them alike."""

    times: dict[str, list[float]] = {name: [] for name in steps}
    for _ in range(runs):
        for name, (command, cwd, before) in steps.items():
            if before is not None:
                before()
            times[name].append(timed(command, cwd, env)[0])
    return {name: statistics.median(values) for name, values in times.items()}


def importlinter_config(path: Path, folder: Path) -> tuple[Path, Path]:
    project = discover(path, load_config(path))
    packages = sorted(p.name for p in project.packages)
    if not packages:
        raise SystemExit("no top-level package to give lint-imports")
    roots = sorted({p.source_root for p in project.packages})
    first = packages[0]
    subpackages = sorted(
        {
            f.module.split(".")[1]
            for f in project.files
            if f.module.startswith(first + ".") and f.module.count(".") >= 1
        }
    )
    source = f"{first}.{subpackages[0]}" if subpackages else first
    forbidden = (
        packages[1]
        if len(packages) > 1
        else (f"{first}.{subpackages[-1]}" if len(subpackages) > 1 else first)
    )
    config = folder / "importlinter.ini"
    config.write_text(
        "[importlinter]\nroot_packages =\n"
        + "".join(f"    {p}\n" for p in packages)
        + "\n[importlinter:contract:bench]\nname = bench\ntype = forbidden\n"
        f"source_modules = {source}\nforbidden_modules = {forbidden}\n",
        encoding="utf-8",
    )
    return config, roots[0]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("path", type=Path)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--check", action="store_true", help="also time seamfinder check")
    args = parser.parse_args()
    path = args.path.resolve()
    seamfinder = shutil.which("seamfinder")
    lint_imports = shutil.which("lint-imports")
    if seamfinder is None or lint_imports is None:
        raise SystemExit(
            "needs seamfinder and lint-imports on PATH (pip install -e '.[dev]' import-linter)"
        )
    # As a user runs it: bytecode written and read (PYTHONDONTWRITEBYTECODE=0 still disables it).
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["NO_COLOR"] = "1"
    with tempfile.TemporaryDirectory(prefix="seamfinder-bench-") as scratch:
        folder = Path(scratch)
        cache = folder / "sf-cache"
        il_config, il_cwd = importlinter_config(path, folder)
        il_cache = il_cwd / ".import_linter_cache"
        analyze = [seamfinder, "analyze", str(path), "--cache-dir", str(cache), "--exit-zero"]
        check = [seamfinder, "check", str(path), "--cache-dir", str(cache), "--exit-zero"]
        lint = [lint_imports, str(il_config)]

        def clear_ours() -> None:
            shutil.rmtree(cache, ignore_errors=True)

        def clear_theirs() -> None:
            shutil.rmtree(il_cache, ignore_errors=True)

        figures: dict[str, float | int | str] = {"path": str(path), "runs": args.runs}
        figures["files"] = len(discover(path, load_config(path)).files)
        cold = alternated(
            {
                "analyze_cold": (analyze, path, clear_ours),
                "lint_imports_cold": (lint, il_cwd, clear_theirs),
            },
            env,
            args.runs,
        )
        timed(analyze, path, env)
        timed(lint, il_cwd, env)
        warm = alternated(
            {"analyze_warm": (analyze, path, None), "lint_imports_warm": (lint, il_cwd, None)},
            env,
            args.runs,
        )
        figures.update(cold)
        figures.update(warm)
        has_check = timed([seamfinder, "check", "--help"], path, env)[1].returncode == 0
        if has_check and args.check:
            figures["check_cold"] = alternated(
                {"check": (check, path, clear_ours)}, env, args.runs
            )["check"]
            timed(check, path, env)
            figures["check_warm"] = alternated({"check": (check, path, None)}, env, args.runs)[
                "check"
            ]
        clear_theirs()
        starts = alternated(
            {
                "version": ([seamfinder, "--version"], path, None),
                "rules": ([seamfinder, "rules"], path, None),
            },
            env,
            args.runs,
        )
        figures.update(starts)

        # One edited file: it must be the only file parsed again, and what follows the parse
        # (everything runs again on cached facts) is timed too.
        project = discover(path, load_config(path))
        victim = path / next(f.path for f in project.files if not f.is_package)
        original = victim.read_bytes()
        edits = []
        try:
            for run in range(args.runs):
                victim.write_bytes(original + f"\n# seamfinder benchmark edit {run}\n".encode())
                edits.append(timed(analyze, path, env)[0])
            victim.write_bytes(original + b"\n# seamfinder benchmark edit\n")
            _, done = timed([*analyze, "--format", "json", "--timings"], path, env)
            stats = json.loads(done.stdout)["stats"]
            figures["edited_file"] = str(victim.relative_to(path))
            figures["edit_reparsed"] = stats.get("files_parsed", -1)
        finally:
            victim.write_bytes(original)
        figures["analyze_edit"] = statistics.median(edits)
        _, done = timed([*analyze, "--format", "json", "--timings"], path, env)
        figures["warm_reparsed"] = json.loads(done.stdout)["stats"].get("files_parsed", -1)

    figures["cold_ratio"] = round(
        float(figures["analyze_cold"]) / float(figures["lint_imports_cold"]), 2
    )
    figures["warm_ratio"] = round(
        float(figures["analyze_warm"]) / float(figures["lint_imports_warm"]), 2
    )
    figures["edit_ratio_to_warm"] = round(
        float(figures["analyze_edit"]) / float(figures["analyze_warm"]), 2
    )
    figures["edit_ratio_to_lint_imports_warm"] = round(
        float(figures["analyze_edit"]) / float(figures["lint_imports_warm"]), 2
    )
    if args.json:
        print(json.dumps(figures, indent=2, sort_keys=True))
        return
    for key, value in figures.items():
        shown = f"{value:.3f} s" if isinstance(value, float) and "ratio" not in key else value
        print(f"{key:>20}: {shown}")


if __name__ == "__main__":
    main()
