"""Inline suppressions: read from comments only, applied per line, unused ones reported."""

from __future__ import annotations

from seamfinder.collect.suppressions import SuppressionComment, parse_comment, read_suppressions
from seamfinder.config.settings import Config
from seamfinder.core.model import Finding, Location, Severity
from seamfinder.rules.registry import contexts
from seamfinder.rules.suppression import apply_suppressions


def test_comment_forms() -> None:
    assert parse_comment("# seamfinder: ignore[SF201] legacy import") == (
        ("SF201",),
        "legacy import",
    )
    assert parse_comment("#seamfinder:ignore[sf201, SF202,SF201]") == (("SF201", "SF202"), "")
    assert parse_comment("# seamfinder: ignore") == ((), "")
    assert parse_comment("# noqa: E501  # seamfinder: ignore[SF101]") == (("SF101",), "")
    assert parse_comment("# seamfinder: ignored") is None
    assert parse_comment("# nothing to see") is None


def test_only_real_comments_count_not_string_literals() -> None:
    text = (
        '"""Write # seamfinder: ignore[SF101] to suppress."""\n'
        "import a  # seamfinder: ignore[SF102] reason here\n"
        "x = '# seamfinder: ignore[SF103]'\n"
        "y = 1\n"
    )
    found = read_suppressions({"m.py": text, "other.py": "import b\n"})
    assert found == (SuppressionComment("m.py", 2, 11, ("SF102",), "reason here"),)


def test_a_file_that_does_not_tokenize_is_read_line_by_line() -> None:
    text = "def f(:\n    import a  # seamfinder: ignore[SF101]\n"
    (found,) = read_suppressions({"broken.py": text})
    assert (found.line, found.codes) == (2, ("SF101",))


def finding(code: str, path: str, line: int) -> Finding:
    return Finding(
        code,
        "rule",
        f"{code} at {line}",
        Severity.ERROR,
        Location(path, line, 1),
        (path, str(line)),
    )


def sup(line: int, *codes: str, path: str = "a.py") -> SuppressionComment:
    return SuppressionComment(path, line, 20, codes)


def codes_and_lines(findings: tuple[Finding, ...]) -> list[tuple[str, int]]:
    return [(f.code, f.location.line if f.location else 0) for f in findings]


def test_a_suppression_hides_findings_of_its_codes_on_its_line_only() -> None:
    all_rules = tuple(contexts(Config()))
    findings = [
        finding("SF101", "a.py", 3),
        finding("SF102", "a.py", 3),
        finding("SF101", "a.py", 4),
        finding("SF101", "b.py", 3),
    ]
    kept = apply_suppressions(findings, [sup(3, "SF101")], all_rules)
    assert codes_and_lines(kept) == [("SF102", 3), ("SF101", 4), ("SF101", 3)]
    bare = apply_suppressions(findings, [sup(3)], all_rules)
    assert codes_and_lines(bare) == [("SF101", 4), ("SF101", 3)]


def test_unused_and_unknown_codes_are_sf002_findings() -> None:
    all_rules = tuple(contexts(Config()))
    findings = [finding("SF101", "a.py", 3)]
    comments = [sup(3, "SF101", "SF102"), sup(5, "SF999"), sup(6), sup(7, "SF103", "SF002")]
    kept = apply_suppressions(findings, comments, all_rules)
    assert [(f.code, f.location.line if f.location else 0, f.message) for f in kept] == [
        ("SF002", 3, "unused suppression: no SF102 finding on this line"),
        ("SF002", 5, "unused suppression: unknown rule code SF999"),
        ("SF002", 6, "unused suppression: nothing to suppress on this line"),
    ]
    assert all(f.severity is Severity.WARNING and f.rule == "unused-suppression" for f in kept)
    assert kept[0].subjects == ("a.py", "SF102")  # never the line: baselines survive edits
    assert kept[0].location == Location("a.py", 3, 20)


def test_codes_of_rules_that_did_not_run_are_not_judged() -> None:
    only_sf1 = tuple(contexts(Config(), select=["SF1", "SF002"]))
    kept = apply_suppressions([], [sup(3, "SF301"), sup(4, "SF102"), sup(5)], only_sf1)
    # SF301 did not run: only the SF102 one is judged; the bare one is not judged either,
    # since not every rule ran.
    assert codes_and_lines(kept) == [("SF002", 4)]


def test_ignoring_sf002_keeps_suppressing_but_reports_nothing() -> None:
    without = tuple(contexts(Config(), ignore=["SF002"]))
    kept = apply_suppressions(
        [finding("SF101", "a.py", 3)], [sup(3, "SF101"), sup(9, "SF101")], without
    )
    assert kept == ()
