"""Machine output of every fixture, byte for byte as recorded (tests/golden/cases.py)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from cases import CASES, HERE, copy_fixtures, run_case


@pytest.fixture(scope="module")
def fixtures_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_fixtures(tmp_path_factory.mktemp("golden"))


@pytest.mark.parametrize(("file_name", "args"), CASES, ids=[c[0] for c in CASES])
def test_output_is_byte_identical_to_the_recorded_one(
    file_name: str, args: list[str], fixtures_copy: Path
) -> None:
    expected = (HERE / "expected" / file_name).read_bytes()
    actual = run_case(args, fixtures_copy)
    assert actual == expected, (
        f"{file_name} changed; if the change is intended, record it again with "
        "`python tests/golden/cases.py --update` and say why in the commit"
    )
