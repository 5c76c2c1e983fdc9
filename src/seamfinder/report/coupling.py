"""Change coupling as the terminal shows it, for components and for services alike."""

from __future__ import annotations

from collections.abc import Sequence

from rich import box
from rich.console import RenderableType
from rich.table import Table
from rich.text import Text

from seamfinder.core.model import ChangeCoupling, GroupChurn


def coupling_parts(
    pairs: Sequence[ChangeCoupling], churn: Sequence[GroupChurn], noun: str
) -> list[RenderableType]:
    """The pairs of ``noun`` (components, services) that change together, strongest
    first, and those that change most."""

    parts: list[RenderableType] = []
    if pairs:
        table = Table(box=box.SIMPLE_HEAD)
        table.add_column(noun)
        table.add_column("shared", justify="right")
        table.add_column("revisions", justify="right")
        table.add_column("degree", justify="right")
        for pair in pairs[:15]:
            table.add_row(
                f"{pair.a} ⇄ {pair.b}",
                str(pair.shared),
                f"{pair.revisions_a} / {pair.revisions_b}",
                f"{pair.degree}%",
            )
        parts.append(table)
    else:
        parts.append(
            Text(f"No pair of {noun} changes together above the thresholds.", style="green")
        )
    if churn:
        hot = ", ".join(f"{c.group} ({c.revisions})" for c in churn[:8])
        parts.append(Text(f"Hotspots, by commits: {hot}"))
    return parts
