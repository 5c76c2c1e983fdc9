"""Time ``seamfinder analyze`` on synthetic monoliths of growing size, with peak memory.

Usage::

    python benchmarks/bench_scaling.py [--sizes 1000 5000 20000] [--runs 3] [--json]

For each size the script writes a monolith with ``generate_monolith.py`` into a temporary
folder and times, as medians of ``--runs`` runs (whole processes, start-up included):

* cold: every cache removed first;
* warm: the same tree again (the remembered output answers);
* edit: one module edited, so that one file is parsed again and everything after the
  parse runs on cached facts.

It reports the time per file of each and how it grows against the smallest size (the
goal: at most 1.2x at 20,000 files against 1,000), and the peak resident memory of the
largest process of a cold run (the main process or one worker, whichever is larger).
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate_monolith import generate  # noqa: E402

# Runs a command and prints the peak RSS (KiB) of the largest process it waited for.
_PEAK = (
    "import resource, subprocess, sys\n"
    "done = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)\n"
    "if done.returncode not in (0, 1):\n"
    "    sys.exit(done.stderr.decode()[-2000:])\n"
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
)


def timed(command: list[str]) -> tuple[float, int]:
    """Wall seconds and peak RSS (MiB) of one run of ``command``."""

    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", _PEAK, *command], capture_output=True, text=True, check=False
    )
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{done.stderr}")
    return elapsed, int(done.stdout.strip()) // 1024


def measure(size: int, runs: int, scratch: Path, seamfinder: str) -> dict[str, float | int]:
    tree = scratch / f"mono{size}"
    cache = scratch / f"cache{size}"
    files = generate(size, tree)
    analyze = [seamfinder, "analyze", str(tree), "--cache-dir", str(cache), "--exit-zero"]
    cold, warm, edit, peaks = [], [], [], []
    victim = tree / "mono" / "app_0000" / "services.py"
    original = victim.read_bytes()
    for run in range(runs):
        shutil.rmtree(cache, ignore_errors=True)
        seconds, peak = timed(analyze)
        cold.append(seconds)
        peaks.append(peak)
        warm.append(timed(analyze)[0])
        victim.write_bytes(original + f"\n# edit {run}\n".encode())
        edit.append(timed(analyze)[0])
    victim.write_bytes(original)
    return {
        "files": files,
        "cold": statistics.median(cold),
        "warm": statistics.median(warm),
        "edit": statistics.median(edit),
        "peak_rss_mib": max(peaks),
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000, 20000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    seamfinder = shutil.which("seamfinder")
    if seamfinder is None:
        raise SystemExit("needs seamfinder on PATH (pip install -e '.[dev]')")
    rows = []
    with tempfile.TemporaryDirectory(prefix="seamfinder-scaling-") as scratch:
        for size in args.sizes:
            rows.append(measure(size, args.runs, Path(scratch), seamfinder))
    base = rows[0]
    for row in rows:
        for kind in ("cold", "warm", "edit"):
            per_file = float(row[kind]) / int(row["files"])
            row[f"{kind}_ms_per_file"] = round(per_file * 1000, 3)
            row[f"{kind}_growth"] = round(per_file / (float(base[kind]) / int(base["files"])), 2)
    if args.json:
        print(json.dumps(rows, indent=2))
        return
    print(
        f"{'files':>6} {'cold s':>7} {'warm s':>7} {'edit s':>7} "
        f"{'cold ms/f':>9} {'warm ms/f':>9} {'edit ms/f':>9} {'growth c/w/e':>16} {'RSS MiB':>8}"
    )
    for row in rows:
        growth = f"{row['cold_growth']}/{row['warm_growth']}/{row['edit_growth']}"
        print(
            f"{row['files']:>6} {row['cold']:>7.2f} {row['warm']:>7.2f} {row['edit']:>7.2f} "
            f"{row['cold_ms_per_file']:>9} {row['warm_ms_per_file']:>9} "
            f"{row['edit_ms_per_file']:>9} {growth:>16} {row['peak_rss_mib']:>8}"
        )


if __name__ == "__main__":
    main()
