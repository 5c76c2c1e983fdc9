"""The baseline file: keyed by fingerprint with counts, sorted, strict about what it reads."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from seamfinder.app.baseline import BaselineError, compare, entries_of, load, render, write
from seamfinder.core.model import Finding, Location, Severity


def finding(code: str, subjects: tuple[str, ...], line: int, path: str = "shop/a.py") -> Finding:
    return Finding(
        code, "some-rule", f"{code} {subjects}", Severity.ERROR, Location(path, line, 1), subjects
    )


SITES = [
    finding("SF102", ("layers", "shop.core.a", "shop.web.b"), 3),
    finding("SF102", ("layers", "shop.core.a", "shop.web.b"), 9),  # same fingerprint
    finding("SF101", ("orders", "payments"), 5, "shop/p.py"),
]


def test_entries_count_sites_per_fingerprint_and_never_hold_lines(tmp_path: Path) -> None:
    entries = entries_of(SITES)
    assert [(e.code, e.count) for e in entries] == [("SF101", 1), ("SF102", 2)]
    target = tmp_path / "baseline.json"
    write(target, entries)
    document = json.loads(target.read_text(encoding="utf-8"))
    assert document["version"] == 1 and document["tool"] == "seamfinder"
    sf102 = document["findings"][1]
    assert set(sf102) == {"code", "rule", "subjects", "fingerprint", "count", "message"}
    assert sf102["fingerprint"] == SITES[0].fingerprint and sf102["count"] == 2
    assert "line" not in target.read_text(encoding="utf-8")
    # Sorted and byte-identical whatever order the findings came in.
    assert render(entries_of(reversed(SITES))) == target.read_text(encoding="utf-8")
    assert load(target, "baseline.json") == entries


def test_compare_splits_new_known_and_fixed_by_count() -> None:
    entries = entries_of(SITES)
    same = compare(SITES, entries)
    assert (len(same.new), len(same.known), same.fixed) == (0, 3, ())

    third_site = finding("SF102", ("layers", "shop.core.a", "shop.web.b"), 20)
    more = compare([*SITES, third_site], entries)
    assert more.new == (third_site,)  # the last one in report order is the newcomer

    one_fixed = compare(SITES[1:], entries)
    assert one_fixed.new == ()
    ((code, count),) = [(e.code, e.count) for e in one_fixed.fixed]
    assert (code, count) == ("SF102", 1)

    moved = [finding(f.code, f.subjects, f.location.line + 40 if f.location else 1) for f in SITES]
    assert compare(moved, entries).new == ()  # line numbers play no part


def test_rules_that_did_not_run_are_neither_matched_nor_fixed() -> None:
    entries = entries_of(SITES)
    only_cycles = compare([SITES[2]], entries, judged=lambda code: code == "SF101")
    assert only_cycles.fixed == () and only_cycles.new == ()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "invalid JSON"),
        (
            '{"tool": "other", "version": 1, "findings": []}',
            'expected an object with "tool": "seamfinder"',
        ),
        (
            '{"tool": "seamfinder", "version": 99, "findings": []}',
            "version 99, written by a newer seamfinder (this one reads 1)",
        ),
        (
            '{"tool": "seamfinder", "version": 1, "findings": [{"code": "SF101", "subjects": "x"}]}',
            "findings[0].subjects",
        ),
        (
            '{"tool": "seamfinder", "version": 1, "findings": [{"code": "SF101", "subjects": [], "count": 0}]}',
            "findings[0].count",
        ),
    ],
)
def test_a_corrupt_baseline_is_an_error_naming_the_file(
    tmp_path: Path, content: str, message: str
) -> None:
    target = tmp_path / "b.json"
    target.write_text(content, encoding="utf-8")
    with pytest.raises(BaselineError) as caught:
        load(target, "b.json")
    assert str(caught.value).startswith("b.json: not a seamfinder baseline") and message in str(
        caught.value
    )


def test_a_missing_baseline_says_how_to_create_one(tmp_path: Path) -> None:
    with pytest.raises(
        BaselineError,
        match=r"nope.json: no such baseline file \(create it with `seamfinder baseline`\)",
    ):
        load(tmp_path / "nope.json", "nope.json")
