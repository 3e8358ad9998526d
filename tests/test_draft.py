"""Builds respect validation: errors stop the plan; a draft leaves the bad rows out and says so."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from docx import Document

from plangen.build import BuildResult, build
from plangen.cli import cli
from plangen.errors import InputProblems, SettingsUnusable

from conftest import TEMPLATE
from docx_reading import Section, all_text, outline, rows
from workbooks import InputsBuilder

BAD_ACTION = "Patrol the moon every night."


@pytest.fixture(scope="module")
def bad_inputs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    inputs = InputsBuilder()
    inputs.returns["police.xlsx"]["Actions"].append(
        ["Cty Safe", BAD_ACTION, "Ongoing", "Police", ""])
    return inputs.write(tmp_path_factory.mktemp("bad"))


@pytest.fixture(scope="module")
def draft(bad_inputs: Path, tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    output = tmp_path_factory.mktemp("out") / "plan.docx"
    return build(bad_inputs, TEMPLATE, output, draft=True)


def test_without_draft_errors_stop_the_build_and_nothing_is_written(
        bad_inputs: Path, tmp_path: Path) -> None:
    with pytest.raises(InputProblems):
        build(bad_inputs, TEMPLATE, tmp_path / "plan.docx")
    assert list(tmp_path.iterdir()) == []


def test_a_draft_says_draft_in_the_header_of_every_section(draft: BuildResult) -> None:
    document = Document(str(draft.outputs[0]))
    assert document.sections
    for section in document.sections:
        headers = [section.header]
        if section.different_first_page_header_footer:
            headers.append(section.first_page_header)
        for header in headers:
            assert "DRAFT — not for publication" in "\n".join(p.text for p in header.paragraphs)


def test_a_draft_lists_the_row_it_left_out_and_leaves_out_its_action(
        draft: BuildResult) -> None:
    document: Section = outline(draft.outputs[0])
    left_out = document.child("Left out of this draft").texts
    assert any(text.startswith("returns/police.xlsx · Actions · row 4 (“Patrol the moon every "
                               "night.”): \"Cty Safe\" is not one of the plan's themes")
               for text in left_out), left_out
    action_plan = document.child("Action plan")
    key_actions = [row[0] for theme in action_plan.children for table in theme.tables
                   for row in rows(table)]
    assert BAD_ACTION not in key_actions
    for good in ("Develop City Safe to sustain community safety. NEW",
                 "Provide co-ordinated prison release arrangements.",
                 "Deliver multi agency activity on street drinking."):
        assert good in key_actions
    assert draft.left_out == tuple(left_out[1:])  # after the sentence introducing the list


def test_a_clean_draft_says_nothing_was_left_out(inputs: InputsBuilder, tmp_path: Path) -> None:
    result = build(inputs.write(tmp_path / "in"), TEMPLATE, tmp_path / "plan.docx", draft=True)
    assert result.left_out == ()
    text = all_text(result.outputs[0])
    assert "Nothing was left out: every row of every return is in this draft." in text
    assert "DRAFT — not for publication" in "\n".join(
        p.text for p in Document(str(result.outputs[0])).sections[0].header.paragraphs)


def test_a_final_build_has_no_draft_marks(inputs: InputsBuilder, tmp_path: Path) -> None:
    result = build(inputs.write(tmp_path / "in"), TEMPLATE, tmp_path / "plan.docx")
    document = Document(str(result.outputs[0]))
    assert all("DRAFT" not in p.text for s in document.sections for p in s.header.paragraphs)
    assert "Left out of this draft" not in all_text(result.outputs[0])


def test_the_draft_command_prints_what_it_left_out_and_says_draft(
        bad_inputs: Path, tmp_path: Path) -> None:
    output = tmp_path / "plan.docx"
    result = CliRunner().invoke(cli, ["build", "--draft", "--inputs", str(bad_inputs),
                                      "--template", str(TEMPLATE), "--output", str(output)])
    assert result.exit_code == 0, result.output
    assert "Left out of this draft (1):" in result.output
    assert "  returns/police.xlsx · Actions · row 4 (“Patrol the moon every night.”)" in \
        result.output
    assert "This is a DRAFT: not for publication." in result.output
    assert output.is_file() and (tmp_path / "returns-report.xlsx").is_file()


def test_the_build_command_refuses_errors_and_suggests_a_draft(bad_inputs: Path,
                                                              tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["build", "--inputs", str(bad_inputs), "--template",
                                      str(TEMPLATE), "--output", str(tmp_path / "plan.docx")])
    assert result.exit_code == 1
    assert "error [bad-theme]: returns/police.xlsx · Actions · A4" in result.output
    assert "plangen build --draft" in result.output
    assert list(tmp_path.iterdir()) == []


def test_a_draft_without_a_themes_sheet_has_no_actions_and_says_the_sheet_is_missing(
        inputs: InputsBuilder, tmp_path: Path) -> None:
    del inputs.plan["Themes"]
    result = build(inputs.write(tmp_path / "in"), TEMPLATE, tmp_path / "plan.docx", draft=True)
    assert result.plan.actions == ()
    assert any('the sheet "Themes" is missing' in line for line in result.left_out)
    assert "Left out of this draft" in [s.heading for s in outline(tmp_path / "plan.docx").children]


def test_unusable_settings_stop_even_a_draft_and_are_listed_by_cell_without_a_traceback(
        inputs: InputsBuilder, tmp_path: Path) -> None:
    inputs.plan["Settings"][4][1] = "whenever"  # Plan starts
    folder = inputs.write(tmp_path / "in")
    with pytest.raises(SettingsUnusable) as raised:
        build(folder, TEMPLATE, tmp_path / "plan.docx", draft=True)
    errors = [str(p) for p in raised.value.problems if p.is_error]
    assert errors and errors[0].startswith("plan.xlsx · Settings · B5 — ")
    result = CliRunner().invoke(cli, ["build", "--draft", "--inputs", str(folder), "--template",
                                      str(TEMPLATE), "--output", str(tmp_path / "d.docx")])
    assert result.exit_code == 1
    assert "plan.xlsx · Settings · B5" in result.output
    assert "not even a draft" in result.output
    assert "build a draft" not in result.output  # no advice that cannot help
    assert "Traceback" not in result.output
