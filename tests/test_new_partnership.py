"""Starting a new partnership: `plangen new`, then validate, returns and build in its folder.

Everything goes through the command line, run in the new folder with plangen's defaults, as a
coordinator from another partnership would run it.
"""

from __future__ import annotations

import shutil
from collections.abc import Mapping
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from plangen.cli import cli
from plangen.inputs.schema import COORDINATOR, INSTRUCTIONS, SETTINGS

from conftest import ROOT
from docx_reading import all_text

PERIOD = "April 2019 to March 2020"
NEW = ["--partnership", "Wyre Community Safety Partnership", "--period", PERIOD]

#: Sheet -> its rows from row 2, or for Settings, setting -> value.
Content = Mapping[str, Mapping[str, str] | list[list[str]]]

#: Another partnership's content, sharing no name with the sample.
PLAN: Content = {
    "Settings": {"Plan title": "Community Safety Plan"},
    "Sources": [["Wyre Strategic Assessment 2019"], ["Fylde Coast Community Survey"]],
    "Priorities": [["Safer Streets", "Safer streets"], ["Domestic Abuse", ""]],
    "Statistics": [["Safer Streets", "Night-time economy", "Most incidents after 10pm"]],
    "Aims": [["Safer Streets", "Town centres people enjoy at night"],
             ["Domestic Abuse", "Victims supported early"]],
    "Commitments": [["Safer Streets", "Keep town centres well lit"],
                    ["Domestic Abuse", "Train frontline staff to spot abuse"]],
    "Themes": [["Night Safe", "Safer Streets."], ["Home Safe", "Domestic Abuse."]],
    "Glossary": [["IDVA", "Independent Domestic Violence Adviser"]],
    "Partners": [["Fire and Rescue", "Fylde Fire and Rescue Service", "Yes", "Fire Service"],
                 ["Housing Trust", "Coastal Housing Trust", "Yes", ""],
                 ["Youth Service", "", "No", ""]],
}
ACTIONS = {
    "fire-and-rescue.xlsx": [["Night Safe", "Run fire safety visits to late-night venues.",
                              "October 2019", "Fire and Rescue", "Yes"]],
    "housing-trust.xlsx": [["Home Safe", "Offer a sanctuary scheme to tenants at risk.",
                            "Ongoing", "Housing Trust, Youth Service", ""],
                           ["Home Safe", "Refer tenants at risk to an IDVA.", "March 2020",
                            "Housing Trust", ""]],
}


def run(folder: Path, *args: str) -> Result:
    """A plangen command run in folder, as a coordinator runs it there."""
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(folder)
        result = CliRunner().invoke(cli, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result


@pytest.fixture
def started(tmp_path: Path) -> Path:
    result = run(tmp_path, "new", "wyre", *NEW, "--area", "Wyre")
    assert result.exit_code == 0, result.output
    return tmp_path / "wyre"


def fill_plan(folder: Path, content: Content) -> None:
    """Type another partnership's rows into the workbook `plangen new` wrote."""
    path = folder / "inputs" / "plan.xlsx"
    book = load_workbook(path)
    for name, rows in content.items():
        sheet = book[name]
        if isinstance(rows, Mapping):
            for row in sheet.iter_rows(min_row=2, max_col=2):
                if row[0].value in rows:
                    row[1].value = rows[row[0].value]
            continue
        for offset, values in enumerate(rows, start=2):
            for column, value in enumerate(values, start=1):
                sheet.cell(offset, column, value)
    book.save(path)


def fill_return(path: Path, actions: list[list[str]]) -> None:
    book = load_workbook(path)
    sheet = book["Actions"]
    for offset, values in enumerate(actions, start=2):
        for column, value in enumerate(values, start=1):
            sheet.cell(offset, column, value)
    book.save(path)


def lines(result: Result, code: str) -> list[str]:
    return [line for line in result.output.splitlines() if f"[{code}]" in line]


# --- What `plangen new` writes ------------------------------------------------------------------

def test_new_writes_a_working_folder(started: Path) -> None:
    assert sorted(str(path.relative_to(started)) for path in started.rglob("*")) == [
        "Makefile", "README.md", "inputs", "inputs/plan.xlsx", "inputs/returns", "templates",
        "templates/plan-on-a-page.docx", "templates/plan.docx", "templates/plan.html"]
    for name in ("plan.docx", "plan.html", "plan-on-a-page.docx"):
        assert (started / "templates" / name).read_bytes() == \
            (ROOT / "templates" / name).read_bytes()
    readme = (started / "README.md").read_text(encoding="utf-8")
    assert "Wyre Community Safety Partnership" in readme
    assert "plangen validate" in readme and "plangen build" in readme
    assert "Preston" not in readme


def test_the_workbook_has_every_sheet_and_heading_and_no_rows(started: Path) -> None:
    book = load_workbook(started / "inputs" / "plan.xlsx")
    assert book.sheetnames == [INSTRUCTIONS, *(sheet.name for sheet in COORDINATOR.sheets)]
    settings = {row[0]: row[1] for row in book["Settings"].iter_rows(min_row=2,
                                                                      values_only=True)}
    assert settings == {"Partnership": "Wyre Community Safety Partnership", "Area": "Wyre",
                        "Plan title": None, "Plan starts": "April 2019",
                        "Plan ends": "March 2020", "Send returns to": None,
                        "Returns due": None, "Introduction": None}
    assert list(settings) == [column.header for column in SETTINGS.columns]
    for spec in COORDINATOR.sheets:
        if spec.settings:
            continue
        sheet = book[spec.name]
        assert [cell.value for cell in sheet[1]] == [column.header for column in spec.columns]
        assert all(cell.font.bold for cell in sheet[1])
        assert sheet.freeze_panes == "A2"
        assert not any(value is not None for row in sheet.iter_rows(min_row=2, values_only=True)
                       for value in row), f"{spec.name} has rows"
    text = " ".join(str(cell.value) for row in book[INSTRUCTIONS].iter_rows() for cell in row
                    if cell.value)
    assert "plangen validate" in text and "Wyre Community Safety Partnership" in text
    assert "Preston" not in text


def lists(sheet: Worksheet) -> dict[str, str]:
    """Column letter -> the list a dropdown offers there."""
    return {str(validation.sqref).split(":")[0][:-1]: validation.formula1
            for validation in sheet.data_validations.dataValidation
            if validation.type == "list"}


def test_dropdowns_where_a_column_has_allowed_values(started: Path) -> None:
    book = load_workbook(started / "inputs" / "plan.xlsx")
    assert lists(book["Partners"]) == {"C": '"Yes,No"'}
    for name in ("Statistics", "Aims", "Commitments"):
        assert lists(book[name]) == {"A": "PriorityNames"}, name
    assert "OFFSET('Priorities'!$A$2," in book.defined_names["PriorityNames"].attr_text
    assert lists(book["Themes"]) == {} and lists(book["Sources"]) == {}


def test_new_never_overwrites(started: Path) -> None:
    workbook = started / "inputs" / "plan.xlsx"
    before = workbook.read_bytes()
    result = run(started.parent, "new", "wyre", *NEW)
    assert result.exit_code == 1
    assert "wyre/inputs/plan.xlsx already exists" in result.output
    assert "never overwrites" in result.output and "Traceback" not in result.output
    assert workbook.read_bytes() == before

    (started.parent / "other").mkdir()
    (started.parent / "other" / "README.md").write_text("mine", encoding="utf-8")
    result = run(started.parent, "new", "other", *NEW)
    assert result.exit_code == 1 and "README.md is already there" in result.output
    assert sorted(path.name for path in (started.parent / "other").iterdir()) == ["README.md"]


@pytest.mark.parametrize(("period", "said"), [
    ("2019", '"2019" is not a plan period'),
    ("April 2020 to March 2019", "ends before it starts"),
    ("Aprl 2019 to March 2020", '"Aprl 2019" is not a month and year'),
])
def test_a_bad_period_is_a_plain_message(tmp_path: Path, period: str, said: str) -> None:
    result = run(tmp_path, "new", "wyre", "--partnership", "Wyre", "--period", period)
    assert result.exit_code == 1
    assert said in result.output and 'e.g. --period "April 2019 to March 2020"' in result.output
    assert not (tmp_path / "wyre").exists()


def test_period_spellings(tmp_path: Path) -> None:
    result = run(tmp_path, "new", "wyre", "--partnership", "Wyre", "--period",
                 "Apr 2019 - Mar 2020")
    assert result.exit_code == 0, result.output
    settings = load_workbook(tmp_path / "wyre" / "inputs" / "plan.xlsx")["Settings"]
    assert [settings["B5"].value, settings["B6"].value] == ["April 2019", "March 2020"]


# --- What validate and returns say about it ------------------------------------------------------

def test_validate_says_what_to_fill_in_next(started: Path) -> None:
    result = run(started, "validate")
    assert result.exit_code == 1
    assert lines(result, "empty-sheet") == [
        "error [empty-sheet]: plan.xlsx · Partners · A2 — there are no partners yet — Add the "
        'partners who lead actions on the Partners sheet, from A2 down, with "Yes" under "Sends '
        'a return" for each that sends one: plangen returns writes a blank return for each of '
        "them.",
        "error [empty-sheet]: plan.xlsx · Priorities · A2 — there are no priorities yet — Add "
        "at least one priority on the Priorities sheet, from A2 down: each gets a page in the "
        "plan, and partners pick one for the work they already do.",
        "error [empty-sheet]: plan.xlsx · Sources · A2 — there are no sources yet — Add at least "
        "one source on the Sources sheet, from A2 down: the assessments and profiles the plan's "
        "evidence comes from, which its introduction names.",
        "error [empty-sheet]: plan.xlsx · Themes · A2 — there are no themes yet — Add at least "
        "one theme on the Themes sheet, from A2 down: each gets a table in the action plan, and "
        "partners pick one for each action."]
    assert [line.split(" — ")[0] for line in lines(result, "missing-setting")] == [
        "error [missing-setting]: plan.xlsx · Settings · B4"]  # the title, not given
    assert "Traceback" not in result.output and "sheet-not-read" not in result.output

    result = run(started, "returns")
    assert result.exit_code == 1
    assert "plan.xlsx has no themes and no priorities, so blank returns cannot be written" \
        in result.output


def test_partners_but_none_sending_a_return(started: Path) -> None:
    fill_plan(started, {**PLAN, "Partners": [["Fire and Rescue", "", "No", ""],
                                             ["Housing Trust", "", "", ""]]})
    result = run(started, "validate")
    assert [line.split(" — ")[:2] for line in lines(result, "no-senders")] == [
        ["warning [no-senders]: plan.xlsx · Partners · C2",
         'no partner is marked "Yes" under "Sends a return", so no return is expected from '
         "anyone"]]
    assert result.exit_code == 0, result.output
    result = run(started, "returns")
    assert result.exit_code == 1 and 'no partner is marked "Yes"' in result.output


@pytest.mark.parametrize("emptied", [sheet.name for sheet in COORDINATOR.sheets
                                     if not sheet.settings])
def test_half_filled_never_a_traceback(started: Path, emptied: str) -> None:
    """Every sheet but one filled: each command says what is missing, or works."""
    fill_plan(started, {name: rows for name, rows in PLAN.items() if name != emptied})
    for command in (["validate"], ["returns"], ["build"], ["build", "--draft"]):
        result = run(started, *command)
        assert result.exit_code in (0, 1), result.output
        assert "Traceback" not in result.output
    result = run(started, "validate")
    needed = next(sheet for sheet in COORDINATOR.sheets if sheet.name == emptied).needs_rows
    assert (result.exit_code == 1) == needed, result.output
    if needed:
        assert f"plan.xlsx · {emptied} · A2 — there are no" in result.output


# --- Building in the folder ------------------------------------------------------------------

def test_a_build_without_actions_is_an_error(started: Path) -> None:
    fill_plan(started, PLAN)
    result = run(started, "build")
    assert result.exit_code == 1
    assert ("error [no-actions]: returns/ — there are no actions: returns/ has no returns yet"
            in result.output)
    assert not (started / "outputs" / "plan.docx").exists()

    result = run(started, "build", "--draft")
    assert result.exit_code == 0, result.output
    assert "returns/: there are no actions" in result.output  # listed as left out
    assert (started / "outputs" / "plan-draft.docx").exists()

    result = run(started, "validate")  # before the returns are in, validate only warns
    assert result.exit_code == 0 and "[no-actions]" not in result.output
    assert "warning [no-returns]" in result.output


def test_start_fill_send_collect_build(started: Path) -> None:
    fill_plan(started, PLAN)
    result = run(started, "validate")
    assert result.exit_code == 0, result.output
    result = run(started, "returns")
    assert result.exit_code == 0, result.output
    blanks = started / "outputs" / "returns"
    assert sorted(path.name for path in blanks.iterdir()) == sorted(ACTIONS)
    for name, actions in ACTIONS.items():
        fill_return(blanks / name, actions)
        shutil.copy(blanks / name, started / "inputs" / "returns" / name)

    result = run(started, "build", "--html")
    assert result.exit_code == 0, result.output
    assert "3 actions" in result.output
    text = all_text(started / "outputs" / "plan.docx")
    for expected in ("Wyre Community Safety Partnership", "Night Safe", "Home Safe",
                     "Run fire safety visits to late-night venues.", "Safer streets",
                     "Town centres people enjoy at night", "Independent Domestic Violence"):
        assert expected in text, expected
    assert (started / "outputs" / "plan.html").exists()
    assert (started / "outputs" / "returns-report.xlsx").exists()
