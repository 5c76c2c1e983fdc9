"""Render a seam: the unified diff and a summary (terminal), or the summary alone (json)."""

from __future__ import annotations

import json
from typing import Any

from seamfinder.core.model import FacadeExport, SeamOutcome, SeamWork
from seamfinder.core.version import __version__

_SHOWN_REMAINING = 40


def seam_document(outcome: SeamOutcome) -> dict[str, Any]:
    return {
        "component": outcome.component,
        "facade": outcome.facade,
        "facade_path": outcome.facade_path,
        "applied": outcome.applied,
        "files_changed": list(outcome.changed),
        "imports_rewritten": outcome.imports_rewritten,
        "interface": [
            {"symbol": e.symbol, "name": e.bound, "new": e in outcome.added}
            for e in outcome.exports
        ],
        "remaining": [_remaining(r) for r in outcome.remaining],
        "cycles": [list(c) for c in outcome.cycles],
        "unparsable": [{"path": p, "reason": r} for p, r in outcome.unparsable],
        "config": {"path": outcome.config_path, "error": outcome.config_error or None},
    }


def _remaining(item: SeamWork) -> dict[str, Any]:
    return {
        "path": item.location.path,
        "line": item.location.line,
        "importer": item.importer,
        "kind": item.kind,
        "target": item.target,
        "suggestion": item.suggestion,
        "detail": item.detail,
    }


def render_seam_json(outcome: SeamOutcome) -> str:
    document = {
        "tool": "seamfinder",
        "version": __version__,
        "root": outcome.root,
        "seam": seam_document(outcome),
    }
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def _colored(line: str, color: bool) -> str:
    if not color:
        return line
    if line.startswith(("+++", "---")):
        return f"\x1b[1m{line}\x1b[0m"
    if line.startswith("+"):
        return f"\x1b[32m{line}\x1b[0m"
    if line.startswith("-"):
        return f"\x1b[31m{line}\x1b[0m"
    if line.startswith("@@"):
        return f"\x1b[36m{line}\x1b[0m"
    return line


def render_seam_terminal(outcome: SeamOutcome, *, color: bool = False) -> str:
    lines = [_colored(line, color) for line in outcome.diff.splitlines()]
    if lines:
        lines.append("")
    return "\n".join([*lines, *summary_lines(outcome)]) + "\n"


def summary_lines(outcome: SeamOutcome) -> list[str]:
    name = outcome.component
    lines = [f"Seam of {name} in {outcome.root}: facade {outcome.facade} ({outcome.facade_path})"]
    if outcome.cycles:
        lines.append(
            f"Not written: the facade would close {len(outcome.cycles)} new import cycle(s):"
        )
        lines.extend(f"  {' -> '.join(cycle)}" for cycle in outcome.cycles)
        lines.append(
            "  The facade imports every module it re-exports, so each importer would import "
            "them all. Nothing was changed: break the cycle first (an import moved into the "
            "function that uses it), then run seam again."
        )
        return lines
    verb = "changed" if outcome.applied else "to change"
    lines.append(
        f"{len(outcome.changed)} file(s) {verb}, {outcome.imports_rewritten} import "
        f"statement(s) rewritten, {len(outcome.exports)} name(s) in the interface "
        f"({len(outcome.added)} new)"
    )
    lines.extend(f"  {e.symbol}{_renamed(e)}" for e in outcome.exports)
    if outcome.config_error:
        lines.append(f"Configuration not edited: {outcome.config_error}")
    elif outcome.changed and outcome.config_path in outcome.changed:
        lines.append(
            f"{outcome.config_path}: {name} declares {outcome.facade} public (SF105 guards it)"
        )
    for path, reason in outcome.unparsable:
        lines.append(f"Left alone: {path}: {reason}")
    lines.extend(_remaining_lines(outcome.remaining))
    if not outcome.applied and outcome.changed:
        lines.append("Dry run: nothing written. Run again with --apply to write it.")
    elif not outcome.changed:
        lines.append("Nothing to change: the boundary already goes through the facade.")
    return lines


def _renamed(export: FacadeExport) -> str:
    plain = export.name or export.module.rsplit(".", 1)[-1]
    return f" (as {export.bound})" if export.bound != plain else ""


def _remaining_lines(remaining: tuple[SeamWork, ...]) -> list[str]:
    if not remaining:
        return ["Remaining work: none."]
    lines = [f"Remaining work ({len(remaining)}): uses the rewrite cannot route through the facade"]
    for item in remaining[:_SHOWN_REMAINING]:
        lines.append(
            f"  {item.location.path}:{item.location.line}  {item.kind} {item.target}"
            f" ({item.detail}) -> {item.suggestion}"
        )
    more = len(remaining) - _SHOWN_REMAINING
    if more > 0:
        lines.append(f"  … and {more} more (--format json lists them all)")
    return lines
