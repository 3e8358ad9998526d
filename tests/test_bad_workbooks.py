"""A corpus of broken workbooks, each made here, each reported at its exact file, sheet and cell.

Every case starts from the small valid plan in workbooks.py, breaks one thing (rows through
openpyxl, or raw bytes through zipfile) and asserts the problem plangen reports: where, how
severe, its code and the words a partner reads. Whole-file problems also prove that every
other return is still read.
"""

from __future__ import annotations

import random
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook

from plangen.inputs.merge import place
from plangen.inputs.validate import validate
from plangen.model import CellRef
from plangen.problems import Severity

from conftest import ROOT
from workbooks import InputsBuilder, partner_return, write_workbook

ERROR, WARNING = Severity.ERROR, Severity.WARNING
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
#: Rows read from the two good returns of the small plan (actions plus current work).
GOOD_READS = {"returns/police.xlsx": 4, "returns/council.xlsx": 3}

Change = Callable[[InputsBuilder], None]
After = Callable[[Path], None]


def nothing(_: object) -> None:
    pass


@dataclass(frozen=True)
class Case:
    name: str
    expect: tuple[str, str, str, Severity, str, str]  # file, sheet, cell, severity, code, words
    change: Change = nothing
    after: After = nothing
    others_read: bool = False  # a whole-file problem: the good returns must still be read


# --- Raw files ---------------------------------------------------------------------------------

def return_bytes(folder: Path) -> bytes:
    """A valid return, as bytes, to damage."""
    path = write_workbook(folder / "scratch" / "valid.xlsx", partner_return("Police", [
        ["City Safe", "Patrol the city centre.", "Ongoing", "Police", ""]]))
    return path.read_bytes()


def rewrite(data: bytes, target: Path, change: Callable[[str, bytes], bytes | None],
            extra: dict[str, bytes] | None = None) -> None:
    """Copy a zip member by member through change() (None drops the member), adding extra."""
    source = target.parent / f".{target.name}.source"
    source.write_bytes(data)
    with zipfile.ZipFile(source) as old, \
            zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            content = change(info.filename, old.read(info.filename))
            if content is not None:
                new.writestr(info.filename, content)
        for name, content in (extra or {}).items():
            new.writestr(name, content)
    source.unlink()


def raw(name: str, make: Callable[[Path], bytes]) -> After:
    def after(folder: Path) -> None:
        (folder / "returns" / name).write_bytes(make(folder))
    return after


def zipped(name: str, change: Callable[[str, bytes], bytes | None],
           extra: dict[str, bytes] | None = None) -> After:
    def after(folder: Path) -> None:
        rewrite(return_bytes(folder), folder / "returns" / name, change, extra)
    return after


def keep(_name: str, content: bytes) -> bytes:
    return content


def without_sheets(name: str, content: bytes) -> bytes:
    return re.sub(rb"<sheets>.*</sheets>", b"<sheets/>", content) if name == "xl/workbook.xml" \
        else content


def with_dtd(name: str, content: bytes) -> bytes:
    if not name.startswith("xl/worksheets/"):
        return content
    content = content.replace(b"Patrol the city centre.", b"")
    content = content.replace(b'<c r="B2" t="inlineStr"><is><t></t></is></c>',
                              b'<c r="B2"><f>1+1</f></c>')
    return (b'<?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY a "aaaaaaaa">]>'
            + content.split(b"?>", 1)[-1])


def ole(*streams: str) -> Callable[[Path], bytes]:
    """An OLE compound file's first sector and a directory naming the given streams."""
    def make(_folder: Path) -> bytes:
        directory = b"".join(name.encode("utf-16-le").ljust(128, b"\0") for name in streams)
        return OLE_MAGIC + bytes(504) + directory
    return make


def edited(path: Path, edit: Callable[[object], None]) -> None:
    """Open a written workbook with openpyxl, change it and save it back (tests only)."""
    book = load_workbook(path)
    edit(book)
    book.save(path)


# --- Row changes --------------------------------------------------------------------------------

def police_action(*row: object) -> Change:
    def change(inputs: InputsBuilder) -> None:
        inputs.returns["police.xlsx"]["Actions"].append(list(row))
    return change


def council_action(*row: object) -> Change:
    def change(inputs: InputsBuilder) -> None:
        inputs.returns["council.xlsx"]["Actions"].append(list(row))
    return change


def police_actions_header(header: list[str], keep_columns: list[int] | None = None) -> Change:
    def change(inputs: InputsBuilder) -> None:
        rows = inputs.returns["police.xlsx"]["Actions"]
        if keep_columns is not None:
            rows[:] = [[row[i] for i in keep_columns] for row in rows]
        rows[0] = header
    return change


def rename_sheet(file: str, old: str, new: str | None) -> Change:
    def change(inputs: InputsBuilder) -> None:
        sheets = inputs.plan if file == "plan.xlsx" else inputs.returns[file]
        rows = sheets.pop(old)
        if new is not None:
            sheets[new] = rows
    return change


def set_cell(file: str, sheet: str, row: int, column: int, value: object) -> Change:
    def change(inputs: InputsBuilder) -> None:
        sheets = inputs.plan if file == "plan.xlsx" else inputs.returns[file]
        sheets[sheet][row - 1][column - 1] = value
    return change


def append(file: str, sheet: str, *rows: list[object]) -> Change:
    def change(inputs: InputsBuilder) -> None:
        sheets = inputs.plan if file == "plan.xlsx" else inputs.returns[file]
        sheets[sheet].extend(list(row) for row in rows)
    return change


def merge_cells(file: str, cells: str) -> After:
    def after(folder: Path) -> None:
        edited(folder / "returns" / file,
               lambda book: book["Actions"].merge_cells(cells))  # type: ignore[index]
    return after


def both(*changes: Change) -> Change:
    def change(inputs: InputsBuilder) -> None:
        for one in changes:
            one(inputs)
    return change


P, C, PLAN = "returns/police.xlsx", "returns/council.xlsx", "plan.xlsx"

CASES = [
    # Files that cannot be read: each is named, and every other return is still read.
    Case("truncated zip", ("returns/broken.xlsx", "", "", ERROR, "corrupt", "damaged"),
         after=raw("broken.xlsx", lambda f: return_bytes(f)[:1500]), others_read=True),
    Case("random bytes named .xlsx",
         ("returns/noise.xlsx", "", "", ERROR, "not-xlsx", "not an Excel workbook"),
         after=raw("noise.xlsx", lambda f: b"\x07" + random.Random(3).randbytes(3000)),
         others_read=True),
    Case("empty file", ("returns/zero.xlsx", "", "", ERROR, "corrupt", "empty (0 bytes)"),
         after=raw("zero.xlsx", lambda f: b""), others_read=True),
    Case("password-protected (encrypted OLE)",
         ("returns/locked.xlsx", "", "", ERROR, "password-protected", "password-protected"),
         after=raw("locked.xlsx", ole("Root Entry", "EncryptionInfo", "EncryptedPackage")),
         others_read=True),
    Case("legacy .xls renamed .xlsx",
         ("returns/old.xlsx", "", "", ERROR, "legacy-xls", "old-style Excel workbook (.xls)"),
         after=raw("old.xlsx", ole("Root Entry", "Workbook", "SummaryInformation")),
         others_read=True),
    Case(".xls by name", ("returns/old.xls", "", "", ERROR, "legacy-xls", "old-style Excel file"),
         after=raw("old.xls", ole("Root Entry", "Workbook")), others_read=True),
    Case(".csv by name", ("returns/police.csv", "", "", ERROR, "csv", "CSV file"),
         after=raw("police.csv", lambda f: b"Theme,Key action\nCity Safe,Patrol\n"),
         others_read=True),
    Case("CSV named .xlsx", ("returns/list.xlsx", "", "", ERROR, "csv", "text (CSV) file"),
         after=raw("list.xlsx", lambda f: b"Theme,Key action\nCity Safe,Patrol\n"),
         others_read=True),
    Case(".xlsm by name", ("returns/macro.xlsm", "", "", ERROR, "macros", "macro-enabled"),
         after=raw("macro.xlsm", return_bytes), others_read=True),
    Case("macros found by content in an .xlsx",
         ("returns/sneaky.xlsx", "", "", ERROR, "macros", "contains macros"),
         after=zipped("sneaky.xlsx", keep, {"xl/vbaProject.bin": b"\x01" * 64}),
         others_read=True),
    Case("Excel lock file", ("returns/~$police.xlsx", "", "", WARNING, "lock-file", "lock file"),
         after=raw("~$police.xlsx", lambda f: b"\x05Alice" + bytes(150)), others_read=True),
    Case("workbook with no sheets",
         ("returns/hollow.xlsx", "", "", ERROR, "empty-workbook", "has no sheets"),
         after=zipped("hollow.xlsx", without_sheets), others_read=True),
    Case("workbook with nothing filled in",
         ("returns/blank.xlsx", "", "", ERROR, "empty-workbook", "nothing is filled in"),
         after=lambda folder: nothing(write_workbook(
             folder / "returns" / "blank.xlsx", {"About": [], "Actions": [], "Sheet3": []})),
         others_read=True),
    Case("zip bomb-ish member",
         ("returns/bomb.xlsx", "", "", ERROR, "too-large", "too large to read safely"),
         after=zipped("bomb.xlsx", keep, {"xl/media/padding.bin": bytes(4 * 1024 * 1024)}),
         others_read=True),
    Case("sheet XML with a DTD",
         ("returns/dtd.xlsx", "", "", ERROR, "unsafe-xml", "cannot be read safely"),
         after=zipped("dtd.xlsx", with_dtd), others_read=True),
    Case("OpenDocument spreadsheet named .xlsx",
         ("returns/calc.xlsx", "", "", ERROR, "not-xlsx", "OpenDocument"),
         after=lambda folder: _ods(folder / "returns" / "calc.xlsx"), others_read=True),
    # Sheets and columns.
    Case("missing sheet", (C, "", "", ERROR, "missing-sheet", 'the sheet "Actions" is missing'),
         change=rename_sheet("council.xlsx", "Actions", None)),
    Case("renamed sheet, near miss",
         (P, "", "", ERROR, "missing-sheet", 'Rename "Actons" to "Actions"'),
         change=rename_sheet("police.xlsx", "Actions", "Actons")),
    Case("missing column", (P, "Actions", "E1", ERROR, "missing-column",
                            'the column "Timescale" is missing'),
         change=police_actions_header(["Theme", "Key action", "Leads", "New"], [0, 1, 3, 4])),
    Case("misspelt heading", (P, "Actions", "C1", ERROR, "missing-column",
                              'Rename the column "Timescle" to "Timescale"'),
         change=police_actions_header(["Theme", "Key action", "Timescle", "Leads", "New"])),
    Case("extra column", (P, "Actions", "F1", WARNING, "extra-column", "not one plangen reads"),
         change=police_actions_header(["Theme", "Key action", "Timescale", "Leads", "New",
                                       "Notes"])),
    Case("blank rows are skipped and rows keep their numbers",
         (P, "Actions", "A6", ERROR, "bad-theme", '"Cty Safe" is not one of the plan\'s themes'),
         change=append("police.xlsx", "Actions", [], [None, "  ", None],
                       ["Cty Safe", "Patrol", "Ongoing", "Police", ""])),
    Case("coordinator sheet missing", (PLAN, "", "", ERROR, "missing-sheet",
                                       'the sheet "Themes" is missing'),
         change=rename_sheet("plan.xlsx", "Themes", None)),
    # Cells.
    Case("required cell empty", (P, "Actions", "B4", ERROR, "empty-cell", '"Key action" is empty'),
         change=police_action("City Safe", None, "Ongoing", "Police", "")),
    Case("unknown theme, near miss", (P, "Actions", "A4", ERROR, "bad-theme",
                                      'did you mean "City Safe"?'),
         change=police_action("Cty Safe", "Patrol", "Ongoing", "Police", "")),
    Case("unknown priority, near miss", (P, "Current work", "A4", ERROR, "bad-priority",
                                         'did you mean "Violent Crime"?'),
         change=append("police.xlsx", "Current work", ["Violent Crim", "Street Triage"])),
    Case("unknown priority in the coordinator's statistics",
         (PLAN, "Statistics", "A5", ERROR, "bad-priority", '"Reofending" is not one of'),
         change=append("plan.xlsx", "Statistics", ["Reofending", "Recidivism", "More facts"])),
    Case("unknown lead, near miss", (P, "Actions", "D4", WARNING, "unknown-lead",
                                     'the lead "Polise" is not in the coordinator\'s list of '
                                     'partners — did you mean "Police"?'),
         change=police_action("City Safe", "Patrol", "Ongoing", "Polise", "")),
    Case("uneven lead separators", (P, "Actions", "D4", WARNING, "uneven-separators",
                                    'separated unevenly ("/" and "/ "), and are read as: '
                                    "Police, PCC, Probation"),
         change=police_action("City Safe", "Patrol", "Ongoing", "Police/PCC/ Probation", "")),
    Case("bad timescale", (P, "Actions", "C4", ERROR, "bad-timescale",
                           '"soon" is not "Ongoing" or a month and year'),
         change=police_action("City Safe", "Patrol", "soon", "Police", "")),
    Case("timescale before the plan period", (P, "Actions", "C4", WARNING, "before-plan",
                                              "March 2017 is before the plan starts "
                                              "(April 2018)"),
         change=police_action("City Safe", "Patrol", "March 2017", "Police", "")),
    Case("bad yes/no", (P, "Actions", "E4", ERROR, "bad-yes/no", '"maybe" is not "Yes" or "No"'),
         change=police_action("City Safe", "Patrol", "Ongoing", "Police", "maybe")),
    Case("formula without a stored value", (P, "Actions", "B4", ERROR, "formula-without-value",
                                            "formula but no stored value"),
         change=police_action("City Safe", '=UPPER("patrol")', "Ongoing", "Police", "")),
    Case("formula without a value on the About sheet",
         (C, "About", "B2", ERROR, "formula-without-value", "formula but no stored value"),
         change=set_cell("council.xlsx", "About", 2, 2, '="PCC"')),
    Case("merged cells in the data area", (P, "Actions", "A5", ERROR, "merged-cells",
                                           "part of the merged cells A4:A5"),
         change=both(police_action("City Safe", "Patrol", "Ongoing", "Police", ""),
                     police_action(None, "Patrol more", "Ongoing", "Police", "")),
         after=merge_cells("police.xlsx", "A4:A5")),
    Case("text longer than the column holds", (P, "Actions", "B4", WARNING, "too-long",
                                               "the text is 752 characters long, more than "
                                               "the 600"),
         change=police_action("City Safe", "patrol " * 107 + "now", "Ongoing", "Police", "")),
    Case("a sentence repeated in one cell", (P, "Actions", "B4", WARNING, "repeated-sentence",
                                             'the sentence "Run night time economy patrols '
                                             'in the city." is written twice'),
         change=police_action("City Safe", "Run night time economy patrols in the city. "
                              "Run night time economy patrols in the city.", "Ongoing",
                              "Police", "")),
    Case("near-duplicate actions from different partners",
         (C, "Actions", "B3", WARNING, "near-duplicate",
          "this action is very like returns/police.xlsx · Actions · B2 from Police"),
         change=council_action("City Safe", "Develop City Safe to sustain our community safety.",
                               "March 2019", "PCC", "")),
    Case("the same action with conflicting timescales",
         (C, "Actions", "C3", ERROR, "conflicting-timescale",
          "the same action is in returns/police.xlsx · Actions · C2 with the timescale "
          "March 2019, but here it is June 2019"),
         change=council_action("City Safe", "Develop City Safe to sustain community safety.",
                               "June 2019", "PCC", "")),
    Case("acronym the glossary lacks", (P, "Actions", "B4", WARNING, "acronym-not-in-glossary",
                                        '"QXR" looks like an acronym, but the glossary does not '
                                        "explain it"),
         change=police_action("City Safe", "Work with the QXR team.", "Ongoing", "Police", "")),
    Case("glossary entry never used", (PLAN, "Glossary", "A4", WARNING, "glossary-unused",
                                       'the glossary explains "ZZT", but the plan never uses it'),
         change=append("plan.xlsx", "Glossary", ["ZZT", "Zone Zero Team"])),
    Case("unknown partner on the About sheet", (C, "About", "B2", ERROR, "unknown-partner",
                                                '"Polise" is not in the coordinator\'s list of '
                                                'partners — did you mean "Police"?'),
         change=set_cell("council.xlsx", "About", 2, 2, "Polise")),
    Case("a return with nothing in it", (C, "", "", WARNING, "empty-return",
                                         "no actions and no current work"),
         change=lambda inputs: inputs.returns["council.xlsx"].update(
             {"Actions": [["Theme", "Key action", "Timescale", "Leads", "New"]],
              "Current work": [["Priority", "Initiative"]]})),
    Case("plan ends before it starts", (PLAN, "Settings", "B6", ERROR, "bad-period",
                                        "the plan ends (March 2017) before it starts"),
         change=set_cell("plan.xlsx", "Settings", 6, 2, "March 2017")),
    Case("a theme listed twice", (PLAN, "Themes", "A4", ERROR, "duplicate-name",
                                  '"City Safe" is listed twice'),
         change=append("plan.xlsx", "Themes", ["City Safe", ""])),
    Case("an expected return that has not arrived",
         (PLAN, "Partners", "C4", WARNING, "missing-return", "no return has arrived from "
          "Probation"),
         change=set_cell("plan.xlsx", "Partners", 4, 3, "Yes")),
]


def _ods(path: Path) -> None:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", "<office:document-content/>")


def test_the_corpus_is_large() -> None:
    assert len(CASES) >= 30
    assert len({case.name for case in CASES}) == len(CASES)


def test_every_problem_code_in_the_corpus_is_explained_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme[readme.index("## What is checked"):]
    assert [case.expect[4] for case in CASES if f"`{case.expect[4]}`" not in table] == []


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_each_broken_workbook_is_reported_at_its_cell(case: Case, tmp_path: Path) -> None:
    inputs = InputsBuilder()
    case.change(inputs)
    folder = inputs.write(tmp_path / "inputs")
    case.after(folder)
    checked = validate(folder)
    file, sheet, cell, severity, code, words = case.expect
    here = [p for p in checked.problems if p.where == CellRef(file, sheet, cell)]
    listing = "\n".join(f"{p.severity.value} {p.code} {p}" for p in checked.problems)
    matching = [p for p in here if p.code == code and p.severity is severity]
    assert matching, f"no {severity.value} {code} at {CellRef(file, sheet, cell)}:\n{listing}"
    assert any(words in str(p) for p in matching), listing
    assert all(p.fix for p in matching), "every problem says how to fix it"
    if case.others_read:
        reads = {count.file: count.read for count in checked.counts}
        assert {name: reads.get(name) for name in GOOD_READS} == GOOD_READS


# --- What is accepted ----------------------------------------------------------------------------

ACCEPTED = [
    pytest.param(["Theme", "Key action", "Timescale", "Lead(s)", "New"], "Sept 2018",
                 "September 2018", id="Lead(s) heading"),
    pytest.param(["THEME", "  Key   Action ", "time scale", "leads", "NEW"], "09/2018",
                 "September 2018", id="headings in other case and spacing"),
    pytest.param(["Theme", "Key actions", "Deadline", "Lead partners", "New action"],
                 "September  2018", "September 2018", id="heading aliases"),
    pytest.param(["Theme", "Key action", "Timescale", "Leads", "New"], datetime(2018, 9, 30),
                 "September 2018", id="a real Excel date"),
    pytest.param(["Theme", "Key action", "Timescale", "Leads", "New"], "on-going", "Ongoing",
                 id="Ongoing spelt with a hyphen"),
]


@pytest.mark.parametrize(("header", "typed", "shown"), ACCEPTED)
def test_reasonable_variants_are_accepted(header: list[str], typed: object, shown: str,
                                          inputs: InputsBuilder, tmp_path: Path) -> None:
    police_actions_header(header)(inputs)
    inputs.returns["police.xlsx"]["Actions"].append(
        ["City Safe", "Patrol the parks.", typed, "Police, PCC", ""])
    checked = validate(inputs.write(tmp_path / "inputs"))
    assert not checked.errors, [str(p) for p in checked.errors]
    plan = place(checked).plan
    (action,) = [a for a in plan.actions if a.text == "Patrol the parks."]
    assert action.timescale.text == shown
    assert action.leads == ("Police", "PCC")


def test_a_missing_column_rejects_its_rows_and_counts_them(inputs: InputsBuilder,
                                                          tmp_path: Path) -> None:
    police_actions_header(["Theme", "Key action", "Leads", "New"], [0, 1, 3, 4])(inputs)
    checked = validate(inputs.write(tmp_path / "inputs"))
    police = next(count for count in checked.counts if count.file == P)
    assert (police.read, police.rejected) == (4, 2)
    assert {row.row for row in checked.rejected if row.sheet == "Actions"} == {2, 3}
