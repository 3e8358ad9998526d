"""Deadlines after the plan ends: a blank return offers the year after the plan, a return that
uses one is read (with a warning, `after-plan`), and the dropdowns' error alerts read well."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner
from openpyxl import load_workbook

from plangen.build import build
from plangen.cli import cli
from plangen.inputs.blank import write_blank_returns
from plangen.inputs.schema import ACTIONS, MONTHS_AFTER_PLAN

from conftest import TEMPLATE
from docx_reading import outline, rows
from workbooks import InputsBuilder


def test_a_deadline_after_the_plan_is_a_warning_at_its_cell_and_stays_in_the_plan(
        inputs: InputsBuilder, tmp_path: Path) -> None:
    actions = inputs.returns["police.xlsx"]["Actions"]
    actions += [["City Safe", "Review the scheme after its first year.", "April 2019",
                 "Police", ""],  # the first month after the plan (which ends March 2019)
                ["City Safe", "Open the new hub.", "June 2021", "Police", ""],  # beyond the list
                ["City Safe", "Finish the survey.", "March 2019", "Police", ""]]  # its last month
    folder = inputs.write(tmp_path / "in")
    result = CliRunner().invoke(cli, ["validate", "--inputs", str(folder), "--format", "json"])
    assert result.exit_code == 0, result.output
    after = [problem for problem in json.loads(result.output)
             if problem["code"] == "after-plan"]
    assert [(p["where"], p["severity"]) for p in after] == [
        ("returns/police.xlsx · Actions · C4", "warning"),
        ("returns/police.xlsx · Actions · C5", "warning")]
    assert after[0]["message"] == "the timescale April 2019 is after the plan ends (March 2019)"
    assert after[1]["message"] == "the timescale June 2021 is after the plan ends (March 2019)"
    plan = build(folder, TEMPLATE, tmp_path / "out" / "plan.docx").outputs[0]
    table = rows(outline(plan).child("Action plan").child("City Safe").tables[0])
    timescales = {row[0].removesuffix(" NEW"): row[1] for row in table[1:]}
    assert timescales["Review the scheme after its first year."] == "April 2019"
    assert timescales["Open the new hub."] == "June 2021"


def test_the_timescale_list_goes_on_a_year_after_the_plan_and_says_so(
        inputs: InputsBuilder, tmp_path: Path) -> None:
    folder = inputs.write(tmp_path / "in")
    [written] = write_blank_returns(folder, tmp_path / "out", "Police").written
    book = load_workbook(written.path)
    offered = [cell.value for (cell,) in book["Lists"].iter_rows(min_row=2, min_col=3, max_col=3)
               if cell.value]
    assert book["Lists"]["C1"].value == "Timescales"
    assert MONTHS_AFTER_PLAN == 12
    assert offered[:2] == ["Ongoing", "April 2018"]
    assert offered[12:15] == ["March 2019", "April 2019", "May 2019"]
    assert offered[-1] == "March 2020" and len(offered) == 1 + 12 + 12
    text = " ".join(str(cell.value) for (cell,) in book["Instructions"].iter_rows(
        min_col=2, max_col=2) if cell.value)
    assert ("the list has every month of the plan, April 2018 to March 2019, then the months "
            "after it up to March 2020, for work that will be finished only after the plan "
            "ends.") in text


def test_a_blank_return_filled_with_the_last_month_offered_is_read_with_only_that_warning(
        inputs: InputsBuilder, tmp_path: Path) -> None:
    folder = inputs.write(tmp_path / "in")
    [written] = write_blank_returns(folder, tmp_path / "blank", "Police").written
    book = load_workbook(written.path)
    for column, value in zip("ABCDE", ("City Safe", "Evaluate the pilot.", "March 2020",
                                       "Police", "Yes"), strict=True):
        book["Actions"][f"{column}2"] = value
    for name in list(inputs.returns):
        (folder / "returns" / name).unlink()
    book.save(folder / "returns" / "police.xlsx")
    result = CliRunner().invoke(cli, ["validate", "--inputs", str(folder), "--format", "json"])
    assert result.exit_code == 0, result.output
    codes = {(p["code"], p["where"]) for p in json.loads(result.output)
             if p["where"].startswith("returns/")}
    assert codes == {("after-plan", "returns/police.xlsx · Actions · C2")}


def test_the_dropdowns_error_alerts_read_as_sentences(inputs: InputsBuilder,
                                                      tmp_path: Path) -> None:
    [written] = write_blank_returns(inputs.write(tmp_path / "in"), tmp_path / "out",
                                    "Police").written
    sheet = load_workbook(written.path)["Actions"]
    errors = {next(iter(validation.sqref.ranges)).coord[0]: validation.error
              for validation in sheet.data_validations.dataValidation}
    letter = {column.key: chr(65 + index) for index, column in enumerate(ACTIONS.written().columns)}
    assert errors[letter["new"]] == 'Pick "Yes" from the list, or leave the cell empty.'
    assert errors[letter["theme"]] == ("Pick one of the plan's themes from the list. If yours "
                                       "is missing, ask the coordinator.")
    assert errors[letter["timescale"]] == ('Pick "Ongoing" or a month from the list. Keep what '
                                           "you typed only if you are sure.")
