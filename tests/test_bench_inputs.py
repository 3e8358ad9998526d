"""The benchmark's synthetic inputs are ones plangen accepts, so `make bench` cannot rot unseen.

scripts/synthetic.py writes them through plangen's own blank-return writer; these tests build a
small set (3 returns of 5 actions) and read it back the way a person would. No timing here.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook

from plangen.build import BuildResult, build
from plangen.inputs.values import match_key

from conftest import TEMPLATE
from docx_reading import outline, rows
from synthetic import write_inputs

RETURNS, ACTIONS = 3, 5


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_inputs(tmp_path_factory.mktemp("synthetic"), RETURNS, ACTIONS)


@pytest.fixture(scope="module")
def built(synthetic: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[BuildResult, Path]:
    output = tmp_path_factory.mktemp("plan") / "plan.docx"
    return build(synthetic, TEMPLATE, output), output


def written_actions(folder: Path) -> list[tuple[str, str, str]]:
    """(file, theme, key action) of every action row, read with openpyxl, not plangen."""
    found = []
    for path in sorted((folder / "returns").glob("*.xlsx")):
        sheet = load_workbook(path, read_only=True)["Actions"]
        for theme, action, *_ in sheet.iter_rows(min_row=2, values_only=True):
            if action:
                found.append((path.name, str(theme), str(action)))
    return found


def test_synthetic_returns_are_plangens_blank_returns_filled_in(synthetic: Path) -> None:
    paths = sorted((synthetic / "returns").glob("*.xlsx"))
    assert len(paths) == RETURNS
    for path in paths:
        book = load_workbook(path)
        assert book.sheetnames == ["Instructions", "About", "Actions", "Current work", "Lists"]
        assert book["Actions"].data_validations.dataValidation, "the dropdowns are kept"
    assert len(written_actions(synthetic)) == RETURNS * ACTIONS


def test_synthetic_inputs_build_with_every_row_placed_or_merged(
        built: tuple[BuildResult, Path]) -> None:
    result, _ = built
    assert [problem for problem in result.problems if problem.is_error] == []
    assert len(result.ledger) == RETURNS
    for entry in result.ledger:
        assert entry.rejected == 0
        assert entry.read == entry.placed + entry.merged
        assert entry.read > ACTIONS, "current work is read too"


def test_synthetic_inputs_have_what_real_returns_have(built: tuple[BuildResult, Path]) -> None:
    actions = built[0].plan.actions
    assert any(action.new for action in actions)
    assert not all(action.new for action in actions)
    assert any(len(action.leads) > 1 for action in actions)
    assert any(len(action.partners) > 1 for action in actions), "an action sent twice, merged"
    assert any(priority.current_work for priority in built[0].plan.priorities)


def test_every_synthetic_action_is_in_the_plan_document(synthetic: Path,
                                                        built: tuple[BuildResult, Path]) -> None:
    document = outline(built[1])
    in_document = {
        (theme.heading, match_key(row[0].removesuffix(" NEW")))
        for theme in document.child("Action plan").children if theme.tables
        for row in rows(theme.tables[0])[1:]
    }
    written = {(theme, match_key(action)) for _, theme, action in written_actions(synthetic)}
    assert written == in_document
