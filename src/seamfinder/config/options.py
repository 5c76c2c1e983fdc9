"""What one run is asked to do; light to import, so that a cached run stays fast."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from seamfinder.config.settings import Config

CACHE_DIR_NAME = ".seamfinder_cache"


@dataclass(frozen=True, slots=True)
class RunOptions:
    path: Path
    config: Config
    display: str | None = None
    cache_dir: Path | None = None  # None: no cache
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    # Proposed seams (community detection: networkx), decomposition metrics and extraction
    # candidates, for the report a person reads; check and baseline show none of them.
    seams: bool = True


def default_cache_dir(root: Path) -> Path:
    return root / CACHE_DIR_NAME
