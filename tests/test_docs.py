"""The documentation matches what plangen does."""

from __future__ import annotations

from plangen.docs import updated
from plangen.schema import COORDINATOR, RETURN

from conftest import ROOT


def test_the_input_reference_in_docs_is_generated_from_the_current_schema() -> None:
    text = (ROOT / "docs" / "returns.md").read_text(encoding="utf-8")
    assert text == updated(text), "docs/returns.md is out of date: run `make docs`"


def test_every_sheet_and_column_is_documented() -> None:
    text = (ROOT / "docs" / "returns.md").read_text(encoding="utf-8")
    for workbook in (COORDINATOR, RETURN):
        for sheet in workbook.sheets:
            assert f"Sheet “{sheet.name}”" in text
            for column in sheet.columns:
                assert f"| {column.header} |" in text


def test_the_readme_gives_the_two_commands_for_a_fresh_machine() -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "make plan" in text
    assert "make test" in text
