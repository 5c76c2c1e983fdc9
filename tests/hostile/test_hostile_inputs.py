"""Every hostile input of cases.py, run as CI would: the exit code and message it must give."""

from __future__ import annotations

import os
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace

import pytest
from tests.hostile.cases import TEXT_CASES, Case
from tests.hostile.harness import Outcome, run

CASES = {case.name: case for case in TEXT_CASES}


@pytest.fixture(scope="module")
def outcomes(
    tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest
) -> Mapping[str, Outcome]:
    """Every selected case run once, side by side (each is a subprocess of its own)."""

    selected = {
        item.callspec.params["name"]
        for item in request.session.items
        if hasattr(item, "callspec") and "name" in item.callspec.params
    } & set(CASES)

    def one(case: Case) -> tuple[str, Outcome]:
        root = tmp_path_factory.mktemp("hostile") / "project"
        root.mkdir()
        case.build(root)
        outcome = run(root, *case.args, command=case.command, env=case.env, timeout=case.timeout)
        problem = case.after(root)
        return case.name, replace(outcome, problems=(*outcome.problems, *filter(None, [problem])))

    with ThreadPoolExecutor(max_workers=min(4, os.cpu_count() or 1)) as pool:
        return dict(pool.map(one, [CASES[name] for name in sorted(selected)]))


@pytest.mark.parametrize("name", sorted(CASES))
def test_hostile_input_is_a_finding_or_a_one_line_error(
    name: str, outcomes: Mapping[str, Outcome]
) -> None:
    case, outcome = CASES[name], outcomes[name]
    text = outcome.stdout + outcome.stderr
    assert not outcome.problems, outcome.problems
    codes = case.code if isinstance(case.code, tuple) else (case.code,)
    assert outcome.code in codes, f"exit {outcome.code}:\n{text[-3000:]}"
    assert case.expect in text, text[-3000:]
    for forbidden in case.absent:
        assert forbidden not in text, text[-3000:]
