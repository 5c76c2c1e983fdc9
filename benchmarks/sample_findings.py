"""Draw a seeded random sample of findings per rule code from a JSON report, for judging by hand.

Usage::

    seamfinder analyze /path/to/repo --format json > report.json
    python benchmarks/sample_findings.py report.json --per-code 8 --seed 1 [--root PATH]
        [--codes SF201,SF202] [--context 0]

Each sampled finding is printed with its message and its source line (``path:line`` and
the line's text, read from the analysed root: the report's ``root`` unless ``--root``
says otherwise), then its related locations (SF206's writes, SF208's other sites) the
same way. The same report, seed and count always give the same sample: the findings of a
code are sorted by location before they are drawn, so a person can judge a sample, note
true/false per finding and let someone else check the same ones.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

Finding = dict[str, Any]


def sample(findings: list[Finding], per_code: int, seed: int) -> dict[str, list[Finding]]:
    """``per_code`` findings of each code (all when there are fewer), by code, seeded."""

    by_code: dict[str, list[Finding]] = defaultdict(list)
    for finding in findings:
        by_code[finding["code"]].append(finding)
    drawn: dict[str, list[Finding]] = {}
    for code in sorted(by_code):
        group = sorted(
            by_code[code],
            key=lambda f: (f.get("path") or "", f.get("line") or 0, f.get("fingerprint", "")),
        )
        rng = random.Random(f"{seed}:{code}")  # one stream per code: adding a code moves none
        drawn[code] = sorted(
            rng.sample(group, min(per_code, len(group))),
            key=lambda f: (f.get("path") or "", f.get("line") or 0),
        )
    return drawn


def source_lines(root: Path, path: str | None, line: int | None, context: int) -> list[str]:
    """``path:line  text`` for the line (and ``context`` lines around it), or a note."""

    if not path or not line:
        return ["    (no location)"]
    try:
        text = (root / path).read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError as exc:
        return [f"    {path}:{line}  (cannot read: {exc.strerror})"]
    found = []
    for number in range(max(1, line - context), min(len(text), line + context) + 1):
        mark = ">" if number == line else " "
        found.append(f"  {mark} {path}:{number}  {text[number - 1].strip()}")
    return found or [f"    {path}:{line}  (past the end of the file)"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "report", type=Path, help="a report from `seamfinder analyze --format json`"
    )
    parser.add_argument("--per-code", type=int, default=8, help="findings per code (default 8)")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    parser.add_argument("--root", type=Path, help="the analysed root (default: the report's)")
    parser.add_argument("--codes", default="", help="comma-separated codes or prefixes (SF2)")
    parser.add_argument("--context", type=int, default=0, help="lines shown around each line")
    parser.add_argument("--related", type=int, default=3, help="related locations shown")
    args = parser.parse_args(argv)
    try:
        document = json.loads(args.report.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        print(f"sample_findings: cannot read {args.report}: {exc}", file=sys.stderr)
        return 2
    root = args.root or Path(document.get("root", "."))
    prefixes = tuple(c.strip() for c in args.codes.split(",") if c.strip())
    findings = [
        f for f in document.get("findings", []) if not prefixes or f["code"].startswith(prefixes)
    ]
    for code, drawn in sample(findings, args.per_code, args.seed).items():
        total = sum(1 for f in findings if f["code"] == code)
        print(f"== {code} ({len(drawn)} of {total}, seed {args.seed})")
        for number, finding in enumerate(drawn, start=1):
            print(f"[{code}-{number}] {finding['message']}")
            for text in source_lines(root, finding.get("path"), finding.get("line"), args.context):
                print(text)
            related = finding.get("related") or []
            for site in related[: args.related]:
                for text in source_lines(root, site.get("path"), site.get("line"), 0):
                    print(f"    related{text}")
            if len(related) > args.related:
                print(f"    related: ... and {len(related) - args.related} more")
        print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
