"""``python -m seamfinder`` and the ``seamfinder`` console script.

The current folder is usually the analysed project, and Python puts it first on
``sys.path`` for ``-m`` (or ``PYTHONPATH=.`` does): a project's own ``click.py`` or
``rich/`` would then be imported in place of the library, and run. It is taken off
``sys.path`` before anything else is imported.
"""

from __future__ import annotations

import os
import sys


def _is_current_folder(entry: str) -> bool:
    if entry in ("", "."):
        return True
    try:
        return os.path.samefile(entry, os.curdir)
    except OSError:
        return False


def run() -> None:
    sys.path[:] = [entry for entry in sys.path if not _is_current_folder(entry)]
    from seamfinder.app.cli import main

    main()


if __name__ == "__main__":
    run()
