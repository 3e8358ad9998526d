"""Blank returns: what a partner gets, and what comes back when they fill it in."""

from __future__ import annotations

import shutil
import subprocess
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from plangen.build import build
from plangen.cli import cli
from plangen.errors import UnusableCoordinator
from plangen.inputs.blank import (
    BLANK_ROWS,
    PROMPT_LIMIT,
    PROMPT_TITLE_LIMIT,
    BlankReturns,
    file_name,
    read_lists,
    write_blank_returns,
)
from plangen.inputs.read import read_book
from plangen.inputs.schema import ABOUT, ACTIONS, CURRENT_WORK, RETURN, Kind
from plangen.inputs.validate import validate

from conftest import SAMPLE_INPUTS, TEMPLATE, need_program
from docx_reading import Section, outline, rows
from workbooks import InputsBuilder

SHEETS = ["Instructions", "About", "Actions", "Current work", "Lists"]
MONTHS = ["April 2018", "May 2018", "June 2018", "July 2018", "August 2018", "September 2018",
          "October 2018", "November 2018", "December 2018", "January 2019", "February 2019",
          "March 2019"]
#: The twelve months after the plan, offered for work that will be finished only after it.
AFTER = ["April 2019", "May 2019", "June 2019", "July 2019", "August 2019", "September 2019",
         "October 2019", "November 2019", "December 2019", "January 2020", "February 2020",
         "March 2020"]


@pytest.fixture(scope="module")
def blanks(tmp_path_factory: pytest.TempPathFactory) -> BlankReturns:
    return write_blank_returns(SAMPLE_INPUTS, tmp_path_factory.mktemp("returns"))


@pytest.fixture(scope="module")
def police(blanks: BlankReturns) -> Path:
    [path] = [w.path for w in blanks.written if w.partner == "Police"]
    return path


@pytest.fixture(scope="module")
def book(police: Path) -> Workbook:
    return load_workbook(police)


def sheet_rows(path: Path, sheet: str) -> list[dict[str, Any]]:
    """A sheet's rows as header -> value, read with openpyxl, not plangen."""
    values = list(load_workbook(path, read_only=True)[sheet].values)
    return [dict(zip(values[0], row, strict=False)) for row in values[1:]
            if any(v not in (None, "") for v in row)]


def plan_column(sheet: str, header: str) -> list[str]:
    """A column of the sample plan.xlsx, read with openpyxl, not plangen."""
    return [str(row[header]) for row in sheet_rows(SAMPLE_INPUTS / "plan.xlsx", sheet)]


def validations(sheet: Worksheet) -> dict[str, DataValidation]:
    """Each data validation by the first cell it covers ("A2")."""
    found: dict[str, DataValidation] = {}
    for validation in sheet.data_validations.dataValidation:
        for cell_range in validation.sqref.ranges:
            found[cell_range.coord.split(":")[0]] = validation
    return found


def list_values(book: Workbook, formula: str) -> list[str]:
    """The values a dropdown offers: the cells of its range on the Lists sheet."""
    sheet_name, cells = formula.split("!")
    sheet_name = sheet_name.strip("'")
    return [str(cell.value) for (cell,) in book[sheet_name][cells.replace("$", "")]]


# --- What is written -----------------------------------------------------------------------

def test_one_blank_return_per_partner_that_sends_one(blanks: BlankReturns) -> None:
    senders = [row["Partner"] for row in sheet_rows(SAMPLE_INPUTS / "plan.xlsx", "Partners")
               if row["Sends a return"] == "Yes"]
    assert [w.partner for w in blanks.written] == senders
    assert all(w.listed and w.path.is_file() for w in blanks.written)
    names = sorted(p.name for p in blanks.written[0].path.parent.iterdir())
    assert names == sorted(file_name(name) for name in senders)
    assert {"police.xlsx", "forum-members.xlsx", "probation-services.xlsx"} <= set(names)
    assert blanks.problems == ()


@pytest.mark.parametrize(("partner", "name"), [
    ("Police", "police.xlsx"), ("Forum members", "forum-members.xlsx"),
    ("CSP Analyst", "csp-analyst.xlsx"), ("Children’s Social Care", "childrens-social-care.xlsx"),
    ("Café  Partnership", "cafe-partnership.xlsx"), ("Con", "con-return.xlsx"),
    ("///", "partner.xlsx"),
])
def test_file_names_are_slugs_of_the_partner_name(partner: str, name: str) -> None:
    assert file_name(partner) == name


def test_the_sheets_come_in_order_with_instructions_first_and_lists_hidden(
        book: Workbook) -> None:
    assert book.sheetnames == SHEETS
    assert book.active.title == "Instructions"
    assert [book[name].sheet_state for name in SHEETS] == ["visible"] * 4 + ["hidden"]
    assert all(book[name].protection.sheet for name in SHEETS)


def test_data_sheets_are_excel_tables_headed_exactly_as_the_schema(book: Workbook) -> None:
    for spec in (ACTIONS.written(), CURRENT_WORK.written()):
        sheet = book[spec.name]
        [table] = sheet.tables.values()
        headers = [column.header for column in spec.columns]
        assert [cell.value for cell in sheet[1]] == headers
        assert [column.name for column in table.tableColumns] == headers
        assert table.ref.startswith("A1:") and table.ref.endswith(str(BLANK_ROWS + 1))
        assert table.headerRowCount in (None, 1)
        widths = [sheet.column_dimensions[chr(64 + i)].width for i in range(1, len(headers) + 1)]
        assert widths == [column.width for column in spec.columns]


def test_the_header_row_is_frozen_and_locked_and_the_rows_below_are_editable(
        book: Workbook) -> None:
    for spec in (ACTIONS.written(), CURRENT_WORK.written()):
        sheet = book[spec.name]
        assert sheet.freeze_panes == "A2"
        protection = sheet.protection
        assert protection.sheet and not protection.password
        # In OOXML a flag that is set means "not allowed": partners may add, delete, sort, filter
        assert not (protection.insertRows or protection.deleteRows or protection.sort
                    or protection.autoFilter or protection.formatCells)
        assert protection.insertColumns and protection.deleteColumns
        for index in range(1, len(spec.columns) + 1):
            assert sheet.cell(1, index).protection.locked
            for row in (2, 50, BLANK_ROWS + 1):
                cell = sheet.cell(row, index)
                assert not cell.protection.locked
                assert cell.alignment.wrap_text and cell.number_format == "@"


def test_each_dropdown_offers_exactly_the_plans_names_from_the_hidden_lists_sheet(
        book: Workbook) -> None:
    expected = {
        Kind.THEME: plan_column("Themes", "Theme"),
        Kind.PRIORITY: plan_column("Priorities", "Priority"),
        Kind.TIMESCALE: ["Ongoing", *MONTHS, *AFTER],
        Kind.LEADS: plan_column("Partners", "Partner"),
        Kind.YES_NO: ["Yes", "No"],
    }
    seen: set[Kind] = set()
    for spec in (ACTIONS.written(), CURRENT_WORK.written()):
        found = validations(book[spec.name])
        for index, column in enumerate(spec.columns, start=1):
            validation = found[f"{chr(64 + index)}2"]
            assert str(validation.sqref) == f"{chr(64 + index)}2:{chr(64 + index)}{BLANK_ROWS + 1}"
            if column.kind not in expected:
                assert validation.type == "textLength"
                assert validation.formula1 == str(column.max_length)
                continue
            assert validation.type == "list"
            assert validation.formula1.startswith("'Lists'!$"), "ranges, not inline lists"
            assert list_values(book, validation.formula1) == expected[column.kind]
            seen.add(column.kind)
    assert seen == set(expected)


def test_leads_accept_several_typed_names_but_themes_only_the_list(book: Workbook) -> None:
    actions = validations(book["Actions"])
    letter = {column.key: chr(65 + i) for i, column in enumerate(ACTIONS.written().columns)}
    assert not actions[f"{letter['leads']}2"].showErrorMessage
    theme = actions[f"{letter['theme']}2"]
    assert theme.showErrorMessage and theme.errorStyle == "stop"
    timescale = actions[f"{letter['timescale']}2"]
    assert timescale.showErrorMessage and timescale.errorStyle == "warning"


def test_every_column_has_an_input_message_within_excel_limits(book: Workbook) -> None:
    # The sample's own first theme and priority, last month and partners; neutral words else.
    own = {"theme": "City Safe", "timescale": "March 2019", "leads": "Police, BID",
           "priority": "Violent Crime"}
    for spec in (ACTIONS.written(), CURRENT_WORK.written()):
        found = validations(book[spec.name])
        for index, column in enumerate(spec.columns, start=1):
            validation = found[f"{chr(64 + index)}2"]
            assert validation.showInputMessage
            assert validation.promptTitle == column.header
            example = own.get(column.key, column.example)
            assert column.help in validation.prompt
            assert validation.prompt.endswith(f"For example: {example}")
            assert len(validation.promptTitle) <= PROMPT_TITLE_LIMIT
            assert len(validation.prompt) <= PROMPT_LIMIT
    about = validations(book["About"])
    for row, column in enumerate(ABOUT.columns, start=2):
        assert column.help in about[f"B{row}"].prompt


def test_the_about_sheet_names_the_partner_and_leaves_contact_and_email_to_fill(
        book: Workbook) -> None:
    about = book["About"]
    assert [[cell.value for cell in row] for row in about.iter_rows(max_col=2)] == [
        ["Setting", "Value"], ["Partner", "Police"], ["Contact", None], ["Email", None]]
    assert about.protection.sheet
    assert all(not about[f"B{row}"].protection.locked for row in (2, 3, 4))
    assert about["A2"].protection.locked


def test_the_instructions_speak_to_the_partner_about_their_plan(book: Workbook) -> None:
    text = "\n".join(str(cell.value) for (cell,) in book["Instructions"].iter_rows(
        min_col=2, max_col=2) if cell.value)
    assert text.startswith(
        "Police: your return for “Preston Community Safety Partnership Plan 2018 to 2019”")
    assert "Preston Community Safety Partnership · April 2018 to March 2019" in text
    assert "April 2018 to March 2019" in text
    assert "send it back to whoever sent it to you" in text
    assert 'police.xlsx · Actions · C7 — "Sept" is not "Ongoing"' in text
    for spec in (ACTIONS.written(), CURRENT_WORK.written()):
        for column in spec.columns:
            assert f"• {column.header} (" in text
    for words in ("merge cells", "formulas", "pictures", ".xlsx", "NEW", "ignored"):
        assert words in text


def test_the_instructions_say_where_and_when_to_send_the_return(
        inputs: InputsBuilder, tmp_path: Path) -> None:
    inputs.plan["Settings"] += [["Send returns to", "csp@example.org"],
                                ["Returns due", "31 January 2018"]]
    result = write_blank_returns(inputs.write(tmp_path / "in"), tmp_path / "out", "Police")
    sheet = load_workbook(result.written[0].path)["Instructions"]
    text = "\n".join(str(cell.value) for (cell,) in sheet.iter_rows(min_col=2, max_col=2))
    assert "send it to csp@example.org by 31 January 2018." in text


def test_a_blank_return_reads_back_with_no_errors_and_no_rows(police: Path,
                                                             tmp_path: Path) -> None:
    book = read_book(police, "returns/police.xlsx", RETURN)
    assert book.problems == ()
    assert book.settings is not None and book.settings.values["partner"] == "Police"
    assert {name: len(table.cells["row"]) for name, table in book.tables.items()} == {
        "Actions": 0, "Current work": 0}
    inputs = Path(shutil.copytree(SAMPLE_INPUTS, tmp_path / "inputs"))
    shutil.copy(police, inputs / "returns" / "police.xlsx")
    checked = validate(inputs)
    about_it = [p for p in checked.problems if p.where.file == "returns/police.xlsx"]
    assert [p for p in about_it if p.is_error] == []
    assert not {p.code for p in about_it} & {"extra-column", "missing-column", "no-header",
                                            "missing-sheet", "missing-setting"}
    [count] = [c for c in checked.counts if c.file == "returns/police.xlsx"]
    assert (count.partner, count.read, count.rejected) == ("Police", 0, 0)


def test_a_coordinator_workbook_without_themes_cannot_give_returns(
        inputs: InputsBuilder, tmp_path: Path) -> None:
    inputs.plan["Themes"] = [["Theme", "Priorities"]]
    with pytest.raises(UnusableCoordinator, match=r"plan\.xlsx has no themes") as raised:
        read_lists(inputs.write(tmp_path / "in"))
    assert "plan.xlsx · Themes · A2" in str(raised.value)


# --- Round trip: fill in a blank return, build the plan, find every row -----------------------

YOT_ACTIONS = [  # theme, key action, timescale, leads, new
    ("Early Intervention", "Run a youth diversion scheme in every secondary school.",
     "September 2018", "YOT, Police", "Yes"),
    ("Reoffending", "Offer every young person leaving custody a mentor.", "Ongoing", "YOT", None),
    ("City Safe", 'Review taxi marshals & "safe zones" <quarterly> with the BID.', "March 2019",
     "YOT, BID", "No"),
]
YOT_WORK = [("Re-offending", "Youth diversion panel"),
            ("Violent Crime", "Knife crime awareness sessions")]


def pick(book: Workbook, sheet: Worksheet, cell: str, value: str | None) -> None:
    """Choose value in a dropdown cell, as a partner would: it must be one the list offers."""
    if value is None:
        return
    [validation] = [v for v in sheet.data_validations.dataValidation if cell in v.sqref]
    if validation.type == "list" and validation.showErrorMessage:
        assert value in list_values(book, validation.formula1), (cell, value)
    sheet[cell] = value


@pytest.fixture(scope="module")
def filled(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A blank return for YOT (listed, but not marked to send one), filled in with openpyxl."""
    folder = tmp_path_factory.mktemp("filled")
    [written] = write_blank_returns(SAMPLE_INPUTS, folder, "yot").written
    assert written.partner == "YOT" and written.path.name == "yot.xlsx"
    book = load_workbook(written.path)
    book["About"]["B3"] = "A. Person"
    book["About"]["B4"] = "a.person@example.org"
    actions = book["Actions"]
    for row, values in enumerate(YOT_ACTIONS, start=2):
        for letter, value in zip("ABCDE", values, strict=True):
            pick(book, actions, f"{letter}{row}", value)
    work = book["Current work"]
    for row, work_values in enumerate(YOT_WORK, start=2):
        for letter, value in zip("AB", work_values, strict=True):
            pick(book, work, f"{letter}{row}", value)
    book.save(written.path)
    return written.path


def resaved_by_libreoffice(path: Path, folder: Path) -> Path:
    """path opened and saved again as .xlsx by LibreOffice Calc, as a partner using it would."""
    soffice = need_program("soffice", "libreoffice")  # fails rather than skips in CI
    out = folder / "resaved"
    subprocess.run([soffice, f"-env:UserInstallation={(folder / 'lo-profile').as_uri()}",
                    "--headless", "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir",
                    str(out), str(path)], check=True, capture_output=True, timeout=240)
    with zipfile.ZipFile(out / path.name) as archive:
        assert b"LibreOffice" in archive.read("docProps/app.xml"), "not saved by LibreOffice"
    return out / path.name


@pytest.fixture(params=["filled in", "resaved by LibreOffice Calc"])
def returned(request: pytest.FixtureRequest, filled: Path, tmp_path: Path) -> Iterator[Path]:
    if request.param == "filled in":
        yield filled
    else:
        yield resaved_by_libreoffice(filled, tmp_path)


def test_a_filled_in_blank_return_comes_through_into_the_plan_without_loss(
        returned: Path, sample_inputs: Path, tmp_path: Path) -> None:
    shutil.copy(returned, sample_inputs / "returns" / "yot.xlsx")
    book = read_book(sample_inputs / "returns" / "yot.xlsx", "returns/yot.xlsx", RETURN)
    assert book.problems == ()
    assert book.settings is not None and book.settings.values["contact"] == "A. Person"

    output = tmp_path / "plan.docx"
    result = build(sample_inputs, TEMPLATE, output)
    [ledger] = [entry for entry in result.ledger if entry.file == "returns/yot.xlsx"]
    assert (ledger.partner, ledger.read, ledger.rejected) == ("YOT", 5, 0)
    assert [p for p in result.problems if p.where.file == "returns/yot.xlsx"] == []

    document = outline(output)
    for theme, text, timescale, leads, new in YOT_ACTIONS:
        table = rows(document.child("Action plan").child(theme).tables[0])
        found = [row for row in table[1:] if row[0].removesuffix(" NEW") == text]
        assert len(found) == 1, (theme, text, table)
        assert found[0][1:] == [timescale, leads]
        assert found[0][0].endswith(" NEW") == (new == "Yes")
    titles = dict(zip(plan_column("Priorities", "Priority"),
                      [row["Page title"] or row["Priority"] for row in
                       sheet_rows(SAMPLE_INPUTS / "plan.xlsx", "Priorities")], strict=True))
    for priority, initiative in YOT_WORK:
        page: Section = document.child(titles[priority])
        assert initiative in page.child("What we do now").texts


# --- The command ---------------------------------------------------------------------------

@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def about_partner(path: Path) -> Any:
    return load_workbook(path)["About"]["B2"].value


def test_returns_writes_one_blank_return_per_partner_that_sends_one(
        runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(cli, ["returns", "--inputs", str(SAMPLE_INPUTS), "--out",
                                 str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert "Wrote 10 blank returns to" in result.output
    assert "police.xlsx" in result.output and "forum-members.xlsx" in result.output
    assert len(list((tmp_path / "out").glob("*.xlsx"))) == 10
    assert not list((tmp_path / "out").glob(".*")), "no temporary files left behind"


def test_returns_for_a_listed_partner_uses_the_name_as_the_partners_sheet_has_it(
        runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(cli, ["returns", "--inputs", str(SAMPLE_INPUTS), "--out",
                                 str(tmp_path), "--partner", "forum MEMBERS"])
    assert result.exit_code == 0, result.output
    assert [p.name for p in tmp_path.iterdir()] == ["forum-members.xlsx"]
    assert about_partner(tmp_path / "forum-members.xlsx") == "Forum members"
    assert "note" not in result.output


@pytest.mark.parametrize(("typed", "file", "partner"), [
    ("Probation", "probation-services.xlsx", "Probation Services"),  # an other name
    ("Youth Offending Team", "yot.xlsx", "YOT"),  # the full name
])
def test_returns_for_another_name_of_a_partner_is_that_partners_return(
        runner: CliRunner, tmp_path: Path, typed: str, file: str, partner: str) -> None:
    result = runner.invoke(cli, ["returns", "--inputs", str(SAMPLE_INPUTS), "--out",
                                 str(tmp_path), "--partner", typed])
    assert result.exit_code == 0, result.output
    assert about_partner(tmp_path / file) == partner
    assert "note" not in result.output


def test_returns_for_an_unlisted_partner_is_written_with_a_note_and_a_suggestion(
        runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(cli, ["returns", "--inputs", str(SAMPLE_INPUTS), "--out",
                                 str(tmp_path), "--partner", "Polise"])
    assert result.exit_code == 0, result.output
    assert about_partner(tmp_path / "polise.xlsx") == "Polise"
    assert ('note: "Polise" is not on the Partners sheet of plan.xlsx — did you mean "Police"?'
            in result.output)
    result = runner.invoke(cli, ["returns", "--inputs", str(SAMPLE_INPUTS), "--out",
                                 str(tmp_path), "--partner", "Youth Justice Board"])
    assert result.exit_code == 0, result.output
    assert 'note: "Youth Justice Board" is not on the Partners sheet of plan.xlsx. ' in (
        result.output)
    assert (tmp_path / "youth-justice-board.xlsx").is_file()


def test_a_partner_name_that_looks_like_a_formula_is_written_as_text(
        runner: CliRunner, tmp_path: Path) -> None:
    name = '=HYPERLINK("http://example.org","x")'
    result = runner.invoke(cli, ["returns", "--inputs", str(SAMPLE_INPUTS), "--out",
                                 str(tmp_path), "--partner", name])
    assert result.exit_code == 0, result.output
    [path] = tmp_path.glob("*.xlsx")
    cell = load_workbook(path)["About"]["B2"]
    assert cell.data_type == "s" and cell.value == name
    book = read_book(path, path.name, RETURN)
    assert book.settings is not None and book.settings.values["partner"] == name


@pytest.mark.parametrize(("damage", "message"), [
    (lambda i: i.plan.update(Themes=[["Theme", "Priorities"]]), "plan.xlsx has no themes"),
    (lambda i: i.plan.update(Priorities=[["Priority", "Page title"]], Themes=[["Theme"]],
                             Settings=[["Setting", "Value"], ["Partnership", "Testshire CSP"]]),
     "plan.xlsx has no themes, no priorities and no plan period"),
    (lambda i: i.plan["Partners"].__setitem__(slice(1, None), [["Police", "", "No", ""]]),
     'no partner is marked "Yes" under "Sends a return"'),
])
def test_returns_from_an_unusable_coordinator_workbook_is_a_plain_error(
        runner: CliRunner, inputs: InputsBuilder, tmp_path: Path, damage: Any,
        message: str) -> None:
    damage(inputs)
    out = tmp_path / "out"
    result = runner.invoke(cli, ["returns", "--inputs", str(inputs.write(tmp_path / "in")),
                                 "--out", str(out)])
    assert result.exit_code == 1
    assert message in result.output
    assert "Traceback" not in result.output
    assert not out.exists()


def test_returns_for_an_empty_partner_name_is_a_plain_error(runner: CliRunner,
                                                           tmp_path: Path) -> None:
    result = runner.invoke(cli, ["returns", "--inputs", str(SAMPLE_INPUTS), "--out",
                                 str(tmp_path / "out"), "--partner", "  "])
    assert result.exit_code == 1
    assert "Error: the partner's name is empty" in result.output
    assert not (tmp_path / "out").exists()


def test_returns_from_a_missing_or_unreadable_coordinator_workbook_is_a_plain_error(
        runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(cli, ["returns", "--inputs", str(tmp_path / "nowhere")])
    assert result.exit_code == 1
    assert "the inputs folder does not exist" in result.output
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "plan.xlsx").write_text("not a workbook")
    result = runner.invoke(cli, ["returns", "--inputs", str(tmp_path / "in"), "--out",
                                 str(tmp_path / "out")])
    assert result.exit_code == 1
    assert "plan.xlsx cannot be read, so blank returns cannot be written" in result.output
    assert "plan.xlsx — the file is not an Excel workbook" in result.output
    assert "Traceback" not in result.output
