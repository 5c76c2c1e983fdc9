"""Run ``seamfinder analyze`` over many real repositories and tabulate what it found.

Usage::

    python benchmarks/sweep.py REPO_DIR... [--seamfinder CMD] [--out FILE.md]
                               [--json FILE.json] [--timeout SECONDS]

For each repository the script runs ``CMD analyze REPO --format json --cache-dir DIR``
three times, each with a cache folder in a fresh temporary directory outside the repo:

* cold: an empty cache, ``PYTHONHASHSEED=1``;
* warm: the same cache again, ``PYTHONHASHSEED=1``;
* reseed: another empty cache, ``PYTHONHASHSEED=12345``.

It prints one Markdown row per repository: exit codes, file counts and SF001 findings,
components (the five largest by lines with their share), models, tables and services,
findings by code, cold and warm wall seconds, the peak RSS of the children, whether the
three JSON outputs were byte-identical, and whether stderr held a traceback. Fields the
JSON does not have yet show as ``-``. A run over ``--timeout`` seconds (default 600) is
killed and recorded as ``timeout``; the remaining runs of that repository are then skipped.
``--json`` writes the raw per-repository data, stderr heads included.
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SEEDS = {"cold": "1", "warm": "1", "reseed": "12345"}
COLUMNS = [
    "repo",
    "exit",
    "files seen/analysed/skipped",
    "SF001",
    "components (top 5 by lines)",
    "models",
    "tables",
    "services",
    "findings",
    "cold s",
    "warm s",
    "peak RSS MB",
    "identical",
    "traceback",
]
STDERR_HEAD = 20


@dataclass
class Run:
    """One child process: how it ended, how long it took, what it printed."""

    name: str
    exit_code: int | None
    timed_out: bool
    seconds: float
    max_rss_mb: float
    stdout: bytes
    stderr: str


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("repos", nargs="+", type=Path, metavar="REPO_DIR")
    parser.add_argument("--seamfinder", default="seamfinder", help="command to run")
    parser.add_argument("--out", type=Path, help="also write the Markdown table here")
    parser.add_argument("--json", type=Path, help="write the raw per-repository data here")
    parser.add_argument("--timeout", type=float, default=600.0, help="seconds per run")
    return parser.parse_args(argv)


def rss_mb(rusage: Any) -> float:
    """ru_maxrss in MB: kilobytes on Linux, bytes on macOS."""
    scale = 1024 * 1024 if sys.platform == "darwin" else 1024
    return round(rusage.ru_maxrss / scale, 1)


def wait_child(proc: subprocess.Popen[bytes], timeout: float) -> tuple[int | None, bool, Any]:
    """Reap the child with wait4 (for its own rusage), killing its group past timeout."""
    deadline = time.monotonic() + timeout
    timed_out = False
    while True:
        pid, status, rusage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        if time.monotonic() > deadline:
            timed_out = True
            os.killpg(proc.pid, signal.SIGKILL)
            _, status, rusage = os.wait4(proc.pid, 0)
            break
        time.sleep(0.02)
    code = os.waitstatus_to_exitcode(status)
    proc.returncode = code  # reaped here; keep Popen from reaping again
    return (None if timed_out else code), timed_out, rusage


def run_once(name: str, command: list[str], cache: Path, timeout: float) -> Run:
    """Run the command once, from a neutral folder, with this run's hash seed."""
    env = {**os.environ, "PYTHONHASHSEED": SEEDS[name]}
    full = [*command, "--cache-dir", str(cache)]
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(
            full, stdout=out, stderr=err, env=env, cwd=cache.parent, start_new_session=True
        )
        code, timed_out, rusage = wait_child(proc, timeout)
        seconds = round(time.perf_counter() - start, 2)
        out.seek(0)
        err.seek(0)
        stdout = out.read()
        stderr = err.read().decode("utf-8", "replace")
    return Run(name, code, timed_out, seconds, rss_mb(rusage), stdout, stderr)


def sweep_repo(repo: Path, seamfinder: list[str], timeout: float) -> list[Run]:
    """Cold, warm and reseeded runs of one repository, each cache outside the repo."""
    command = [*seamfinder, "analyze", str(repo), "--format", "json"]
    runs: list[Run] = []
    with tempfile.TemporaryDirectory(prefix="sweep-") as tmp:
        first, second = Path(tmp, "cache-a"), Path(tmp, "cache-b")
        for name, cache in (("cold", first), ("warm", first), ("reseed", second)):
            runs.append(run_once(name, command, cache, timeout))
            if runs[-1].timed_out:
                break
    return runs


def load_report(runs: list[Run]) -> dict[str, Any]:
    """The cold run's JSON report, or an empty dict when it printed none."""
    try:
        report = json.loads(runs[0].stdout)
    except (json.JSONDecodeError, UnicodeDecodeError):
        return {}
    return report if isinstance(report, dict) else {}


def top_components(components: list[dict[str, Any]]) -> str:
    """Component count and the five largest by lines with their share of all lines."""
    total = sum(c.get("lines") or 0 for c in components) or 1
    largest = sorted(components, key=lambda c: -(c.get("lines") or 0))[:5]
    shares = ", ".join(
        f"{c.get('name')} {100 * (c.get('lines') or 0) / total:.0f}%" for c in largest
    )
    return f"{len(components)}: {shares}" if components else "0"


def summarize(repo: Path, runs: list[Run]) -> dict[str, Any]:
    """Everything the table and the raw JSON need about one repository."""
    report = load_report(runs)
    stats = report.get("stats") or {}
    findings = report.get("findings")
    codes = Counter(f.get("code") for f in findings) if isinstance(findings, list) else None
    differs = [r.name for r in runs[1:] if r.stdout != runs[0].stdout]
    return {
        "repo": repo.name,
        "path": str(repo),
        "exit_codes": {r.name: r.exit_code for r in runs},
        "timed_out": any(r.timed_out for r in runs),
        "files_seen": stats.get("files_seen"),
        "files_analysed": stats.get("files_analysed"),
        "files_skipped": stats.get("files_skipped"),
        "files_failed": stats.get("files_failed"),
        "sf001": None if codes is None else codes.get("SF001", 0),
        "components": top_components(report["components"]) if "components" in report else None,
        "models": len(report["models"]) if "models" in report else None,
        "tables": len(report["tables"]) if "tables" in report else None,
        "services": len(report["services"]) if "services" in report else None,
        "findings": None if codes is None else dict(sorted(codes.items())),
        "seconds": {r.name: r.seconds for r in runs},
        "peak_rss_mb": max(r.max_rss_mb for r in runs),
        "identical": None if not report else (len(runs) == 3 and not differs),
        "differs_from_cold": differs,
        "traceback": any("Traceback" in r.stderr for r in runs),
        "stderr_head": {r.name: r.stderr.splitlines()[:STDERR_HEAD] for r in runs if r.stderr},
        "runs": [
            {
                "name": r.name,
                "exit_code": r.exit_code,
                "timed_out": r.timed_out,
                "seconds": r.seconds,
                "max_rss_mb": r.max_rss_mb,
            }
            for r in runs
        ],
    }


def cell(value: Any) -> str:
    """A table cell: '-' for a missing value."""
    return "-" if value is None else str(value)


def exit_cell(row: dict[str, Any]) -> str:
    """Exit codes of the runs, bold unless every one is 0 or 1; 'timeout' when killed."""
    codes = list(row["exit_codes"].values())
    text = "/".join("timeout" if c is None else str(c) for c in codes)
    if len(set(codes)) == 1 and not row["timed_out"]:
        text = str(codes[0])
    return text if all(c in (0, 1) for c in codes) else f"**{text}**"


def format_row(row: dict[str, Any]) -> str:
    """One Markdown table row."""
    files = "/".join(cell(row[k]) for k in ("files_seen", "files_analysed", "files_skipped"))
    found = " ".join(f"{code}:{n}" for code, n in (row["findings"] or {}).items())
    differs = ", ".join(row["differs_from_cold"])
    identical = {True: "yes", False: f"**no** ({differs})", None: "-"}[row["identical"]]
    values = [
        row["repo"],
        exit_cell(row),
        files,
        cell(row["sf001"]),
        cell(row["components"]),
        cell(row["models"]),
        cell(row["tables"]),
        cell(row["services"]),
        found or ("-" if row["findings"] is None else "none"),
        cell(row["seconds"].get("cold")),
        cell(row["seconds"].get("warm")),
        cell(row["peak_rss_mb"]),
        identical,
        "**TRACEBACK**" if row["traceback"] else "no",
    ]
    return "| " + " | ".join(v.replace("|", "\\|") for v in values) + " |"


def format_table(rows: list[dict[str, Any]]) -> str:
    """The Markdown table, header included."""
    header = "| " + " | ".join(COLUMNS) + " |"
    rule = "|" + "|".join(" --- " for _ in COLUMNS) + "|"
    return "\n".join([header, rule, *(format_row(r) for r in rows)]) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Sweep every repository, print the table, write the requested files."""
    args = parse_args(argv)
    seamfinder = shlex.split(args.seamfinder)
    if shutil.which(seamfinder[0]) is None:
        sys.exit(f"sweep: {seamfinder[0]!r} not found")
    rows = []
    for repo in (r.resolve() for r in args.repos):
        print(f"sweep: {repo.name} ...", file=sys.stderr, flush=True)
        rows.append(summarize(repo, sweep_repo(repo, seamfinder, args.timeout)))
        print(format_row(rows[-1]), file=sys.stderr, flush=True)
    table = format_table(rows)
    print(table, end="")
    if args.out:
        args.out.write_text(table, encoding="utf-8")
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
