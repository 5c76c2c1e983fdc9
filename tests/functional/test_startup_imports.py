"""Commands that analyse nothing start without importing the analysis libraries."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

HEAVY = ("grimp", "networkx", "sqlglot", "libcst", "yaml")

PROBE = """
import json, sys
sys.argv = ["seamfinder", *json.loads(sys.argv[1])]
from seamfinder.app.cli import main
try:
    main()
except SystemExit:
    pass
print(json.dumps(sorted(sys.modules)), file=sys.stderr)
"""


@pytest.mark.parametrize("args", [["--version"], ["rules"], ["rules", "--format", "json"]])
def test_commands_that_analyse_nothing_import_no_analysis_library(args: list[str]) -> None:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps(args)],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    modules = json.loads(done.stderr.strip().splitlines()[-1])
    loaded = sorted({m.split(".")[0] for m in modules} & set(HEAVY))
    assert loaded == []
    assert done.stdout  # the command did print its answer
