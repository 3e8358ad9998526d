"""plangen validate: every problem at once, by cell, sorted, with an exit code to script on."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from plangen.cli import cli
from plangen.inputs.validate import validate
from plangen.problems import sort_problems

from conftest import Sample, cell_where
from workbooks import InputsBuilder


@pytest.fixture(scope="module")
def sample_output(sample: Sample) -> str:
    return sample.validate_output


def test_the_sample_has_no_errors_and_its_real_slips_are_warnings(sample_output: str) -> None:
    assert "error [" not in sample_output
    expected = [
        # the reference plan's repeated sentence
        'warning [repeated-sentence]: returns/providers-forum.xlsx · Actions · B5 — the sentence '
        '"Raise awareness in local communities of all forms of domest…" is written twice in '
        'this cell',
        # leads written "Police/ CSC/ Forum members"
        'warning [uneven-separators]: returns/providers-forum.xlsx · Actions · D2 — the leads are '
        'separated unevenly ("/ "), and are read as: Police, CSC, Forum members — Write them '
        'with a comma and a space between: "Police, CSC, Forum members".',
        'warning [uneven-separators]: returns/police.xlsx · Actions · D6 — the leads are '
        'separated unevenly (" / " and "/ ")',
    ]
    for line in expected:
        assert line in sample_output
    # acronyms the reference uses but its glossary lacks
    for acronym, cell in [("OPCC", "returns/opcc.xlsx · Actions · D2"),
                          ("CSC", "returns/police.xlsx · Actions · D7"),
                          ("CSEG", "returns/cseg.xlsx · Actions · D2"),
                          ("MACSE", "returns/police.xlsx · Current work · B10"),
                          ("HMP", "returns/clcrc.xlsx · Actions · B5")]:
        assert (f'warning [acronym-not-in-glossary]: {cell} — "{acronym}" looks like an acronym, '
                "but the glossary does not explain it") in sample_output
    assert "(also used in returns/providers-forum.xlsx · Actions · D2)" in sample_output
    assert ('warning [glossary-unused]: plan.xlsx · Glossary · A6 — the glossary explains "CAP", '
            "but the plan never uses it") in sample_output
    assert re.search(r"Checked plan\.xlsx and 10 returns: 0 errors, \d+ warnings\.\n$",
                     sample_output)


def test_glossary_terms_and_partners_in_the_glossary_are_not_reported(sample_output: str) -> None:
    for known in ("ASB", "CCTV", "MARAC", "LCSC", "PCC", "BID", "CLCRC", "YOT", "UCLan"):
        assert f'"{known}" looks like an acronym' not in sample_output
        assert f'the glossary explains "{known}"' not in sample_output
    assert '"NEW"' not in sample_output


def test_errors_exit_1_and_every_problem_is_listed_sorted_by_file_sheet_and_row(
        inputs: InputsBuilder, tmp_path: Path) -> None:
    inputs.returns["police.xlsx"]["Actions"].append(["Cty Safe", "Patrol", "soon", "Police", ""])
    inputs.returns["police.xlsx"]["Current work"].append(["Violent Crim", "Street Triage"])
    inputs.returns["council.xlsx"]["About"][1][1] = "Polise"
    inputs.plan["Themes"].append(["City Safe", ""])
    folder = inputs.write(tmp_path / "in")
    result = CliRunner().invoke(cli, ["validate", "--inputs", str(folder)])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    lines = result.output.splitlines()
    located = [line.split(" — ")[0].split(": ", 1)[1] for line in lines[:-1]]
    assert located == [
        "plan.xlsx · Partners · C3",  # the council's return names no known partner
        "plan.xlsx · Themes · A4",
        "returns/council.xlsx · About · B2",
        "returns/police.xlsx · Actions · D2",  # the warning about "Police/ PCC"
        "returns/police.xlsx · Actions · A4",
        "returns/police.xlsx · Actions · C4",
        "returns/police.xlsx · Current work · A4",
    ]
    assert lines[-1] == "Checked plan.xlsx and 2 returns: 5 errors, 2 warnings."
    assert lines[0].startswith("warning [")
    assert lines[1].startswith("error [")
    assert 'did you mean "Police"?' in lines[2]
    assert 'did you mean "City Safe"?' in lines[4]


def test_warnings_alone_exit_0(inputs: InputsBuilder, tmp_path: Path) -> None:
    inputs.returns["police.xlsx"]["Actions"].append(
        ["City Safe", "Work with the QXR team.", "Ongoing", "Polise", ""])
    result = CliRunner().invoke(cli, ["validate", "--inputs", str(inputs.write(tmp_path))])
    assert result.exit_code == 0, result.output
    assert "0 errors, 3 warnings." in result.output


def test_a_missing_inputs_folder_is_a_plain_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["validate", "--inputs", str(tmp_path / "nowhere")])
    assert result.exit_code == 1
    assert "the inputs folder does not exist" in result.output
    assert "Traceback" not in result.output


def test_problems_sort_by_file_then_sheet_then_row_then_column(
        inputs: InputsBuilder, tmp_path: Path) -> None:
    actions = inputs.returns["police.xlsx"]["Actions"]
    for row in range(12):
        actions.append(["Cty Safe", f"Patrol {row}", "soon", "Police", ""])
    problems = sort_problems(validate(inputs.write(tmp_path)).problems)
    cells = [cell_where(p).cell for p in problems if cell_where(p).file == "returns/police.xlsx"
             and cell_where(p).sheet == "Actions" and p.is_error]
    assert cells[:4] == ["A4", "C4", "A5", "C5"]
    assert cells[-2:] == ["A15", "C15"]  # row 15 after row 5, not between 1 and 2


def test_two_returns_from_the_same_partner_are_both_read_with_a_warning(
        inputs: InputsBuilder, tmp_path: Path) -> None:
    import copy

    inputs.returns["police-resent.xlsx"] = copy.deepcopy(inputs.returns["police.xlsx"])
    checked = validate(inputs.write(tmp_path))
    found = [str(p) for p in checked.problems if p.code == "second-return"]
    # Returns are read in file-name order, so the warning is on the second one read.
    assert found == ["returns/police.xlsx · About · B2 — returns/police-resent.xlsx is from "
                     "Police too, so both returns are read — If this return replaces the other, "
                     "take the old one out of the returns folder; if both are meant, ignore "
                     "this."]
