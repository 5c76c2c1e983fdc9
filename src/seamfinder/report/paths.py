"""Paths as CI systems want them: relative to the working directory, not to PATH.

Findings carry paths relative to the analysed folder. GitHub and GitLab resolve relative
paths against the repository root, where CI runs seamfinder; so the machine formats that
annotate files join PATH (as given) in front. ``seamfinder check src`` then points at
``src/shop/orders.py``; an absolute PATH gives absolute paths.
"""

from __future__ import annotations

import posixpath
from pathlib import PurePath


def prefix_of(root: str) -> str:
    """The folder to put in front of finding paths ("" for the working directory)."""

    path = posixpath.normpath(PurePath(root).as_posix())
    return "" if path == "." else path


def joined(prefix: str, path: str) -> str:
    return posixpath.join(prefix, path) if prefix else path
