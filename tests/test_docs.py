"""The documentation matches what plangen does."""

from __future__ import annotations

import re

from plangen.docs import GENERATED, updated, updated_file
from plangen.inputs.guidance import example_problem
from plangen.inputs.schema import COORDINATOR, RETURN

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


def test_every_generated_part_of_the_docs_is_up_to_date() -> None:
    for name in GENERATED:
        text = (ROOT / "docs" / name).read_text(encoding="utf-8")
        assert text == updated_file(name, text), f"docs/{name} is out of date: run `make docs`"


def test_the_partners_guide_covers_every_column_of_a_return() -> None:
    text = (ROOT / "docs" / "partners.md").read_text(encoding="utf-8")
    for sheet in RETURN.sheets:
        assert f"### The {sheet.name} sheet" in text
        for column in sheet.columns:
            assert f"| {column.header} |" in text


def test_the_partners_guide_shows_a_message_exactly_as_the_validator_words_it() -> None:
    text = (ROOT / "docs" / "partners.md").read_text(encoding="utf-8")
    example = example_problem("police.xlsx").line()  # as plangen validate prints it
    assert example.startswith('error [bad-timescale]: police.xlsx · Actions · C7 — "Sept" is not')
    assert f"```text\n{example}\n```" in text


def test_the_readme_points_partners_to_their_guide_and_the_analyst_to_make_returns() -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "docs/partners.md" in text
    assert "make returns" in text


def test_every_problem_code_the_code_gives_is_explained_in_the_docs() -> None:
    source = "".join(path.read_text(encoding="utf-8")
                     for path in sorted((ROOT / "src" / "plangen").rglob("*.py")))
    codes = set(re.findall(r'code="([a-z][a-z/-]+)"', source)) | set(re.findall(
        r'\.(?:error|warning)\([^()]*?,\s*"([a-z][a-z/-]+)"\)', source)) | set(re.findall(
        r'Severity\.(?:ERROR|WARNING),\s*"([a-z][a-z/-]+)"', source))
    assert len(codes) > 30  # the search finds them as they are written
    docs = "".join((ROOT / name).read_text(encoding="utf-8") for name in (
        "README.md", "docs/template-guide.md", "docs/publishing.md"))
    assert sorted(code for code in codes if f"`{code}`" not in docs) == []
