"""The test files the analysis leaves out, and the project modules each one imports.

Tests are excluded from the analysis by default (``tests``, ``test_*.py``...), yet the
cost of extracting a component includes the tests that import its code. They are found
here by walking the root with every other exclusion in force and reading only their
import lines (no parse), so a large suite costs a fraction of a second.
"""

from __future__ import annotations

import os
import re
from collections.abc import Container, Iterable
from pathlib import Path

from seamfinder.collect.statements import imported_modules, statement_at
from seamfinder.core.model import SuiteImport
from seamfinder.discover.files import PathMatcher

_TEST_FOLDERS = frozenset({"tests", "test", "testing"})
# The default exclusions that name tests: lifted for this walk, every other one kept.
_TEST_PATTERNS = frozenset(
    {*_TEST_FOLDERS, "test_*.py", "*_test.py", "tests.py", "conftest.py", "*_tests.py"}
)
_TEST_FILE = re.compile(r"test_\w*\.py|\w*_tests?\.py|tests\.py|conftest\.py")
_IMPORT_LINE = re.compile(r"\s*(?:from\s+\S+\s+import\s|import\s)")
_MAX_FILES = 20_000  # a bound on a pathological tree: tests beyond it go uncounted


def _is_test(relative: str) -> bool:
    parts = relative.split("/")
    return bool(_TEST_FOLDERS.intersection(parts[:-1])) or bool(_TEST_FILE.fullmatch(parts[-1]))


def suite_imports(
    root: Path, excludes: Iterable[str], modules: Container[str]
) -> tuple[SuiteImport, ...]:
    """Every import of a project module in a test file under ``root`` (paths relative)."""

    kept = [p for p in excludes if p.strip("/") not in _TEST_PATTERNS]
    matcher = PathMatcher(kept)
    found: list[SuiteImport] = []
    seen = 0
    for folder, dirnames, filenames in os.walk(root):
        relative_folder = os.path.relpath(folder, root).replace(os.sep, "/")
        relative_folder = "" if relative_folder == "." else relative_folder
        dirnames[:] = sorted(
            d for d in dirnames if not matcher.matches(_join(relative_folder, d), d)
        )
        for filename in sorted(filenames):
            relative = _join(relative_folder, filename)
            if not filename.endswith(".py") or not _is_test(relative):
                continue
            seen += 1
            if seen > _MAX_FILES:
                return tuple(sorted(found))
            found.extend(_imports_of(root / relative, relative, modules))
    return tuple(sorted(found))


def _join(folder: str, name: str) -> str:
    return f"{folder}/{name}" if folder else name


def _imports_of(path: Path, relative: str, modules: Container[str]) -> list[SuiteImport]:
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return []
    lines = text.splitlines()
    pseudo = relative[:-3].replace("/", ".")
    is_package = relative.endswith("__init__.py")
    found: dict[str, SuiteImport] = {}
    for number, line in enumerate(lines, start=1):
        if not _IMPORT_LINE.match(line):
            continue
        for module in imported_modules(statement_at(lines, number), pseudo, is_package, modules):
            found.setdefault(module, SuiteImport(relative, module, number))
    return list(found.values())
