"""seamfinder keeps its third-party libraries at the edges, checked with its own scanner."""

from __future__ import annotations

from pathlib import Path

from seamfinder.collect.facts import FileFacts
from seamfinder.collect.scan import scan_file

PACKAGE = Path(__file__).resolve().parents[2] / "src" / "seamfinder"

# library -> the module prefixes allowed to import it (design guide, section 2)
EDGES = {
    "grimp": ("seamfinder.collect.",),
    "libcst": ("seamfinder.collect.lower", "seamfinder.collect.rewrite_imports"),
    "ast": ("seamfinder.collect.",),
    "sqlglot": ("seamfinder.collect.sql",),
    "yaml": ("seamfinder.collect.",),
    "networkx": ("seamfinder.resolve.graph", "seamfinder.analysis."),
    "click": ("seamfinder.app.cli", "seamfinder.app.flags"),
    "rich": ("seamfinder.report",),
}


def own_imports() -> list[tuple[str, str, int]]:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE.parent)
        parts = list(relative.with_suffix("").parts)
        is_package = parts[-1] == "__init__"
        module = ".".join(parts[:-1] if is_package else parts)
        facts = scan_file(relative.as_posix(), module, is_package, path.read_bytes())
        assert isinstance(facts, FileFacts), facts
        found.extend((module, imported.target, imported.line) for imported in facts.imports)
    return found


def test_third_party_libraries_stay_at_the_edges() -> None:
    imports = own_imports()
    assert len(imports) > 200  # the scan really read the package
    wrong = [
        f"{module}:{line} imports {target}"
        for module, target, line in imports
        for library, allowed in EDGES.items()
        if (target == library or target.startswith(library + "."))
        and not module.startswith(allowed)
    ]
    assert not wrong, "\n".join(wrong)


def test_rules_and_reporters_do_not_import_each_other() -> None:
    wrong = [
        f"{module}:{line} imports {target}"
        for module, target, line in own_imports()
        if (module.startswith("seamfinder.rules") and target.startswith("seamfinder.report"))
        or (
            module.startswith("seamfinder.report")
            and target.startswith("seamfinder.rules.")
            and not target.startswith("seamfinder.rules.docs")
        )
        or (
            module.startswith("seamfinder.analysis")
            and target.startswith(("seamfinder.rules", "seamfinder.report", "seamfinder.app.cli"))
        )
    ]
    assert not wrong, "\n".join(wrong)
