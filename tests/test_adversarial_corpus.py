"""An adversarial corpus of returns: as other programs save them, in every format Excel can write,
holding every kind of value a cell can hold, at the limits of size, under hostile names. Each
case asserts the problem's code and cell (or the exact value placed) and that nothing was lost:
every filled row read is placed, merged or rejected, or counted as not read with its problem.

Only the LibreOffice files are saved by the program itself (`soffice --convert-to`, skipped
without it locally, failed under CI=true). The other writers are reproductions: tests/corpus.py
writes the XML quirks each is known or reported to produce; none is a file saved by it.

- Power BI and other exporters built on Microsoft's Open XML SDK: every tag `x:`-prefixed,
  inline strings (`t="inlineStr"`, no shared-string table), rows and cells without their `r`,
  no `<dimension>`, relationships to absolute part names (`/xl/worksheets/sheet1.xml`).
- Google Sheets: shared formulas (`<f t="shared" si="0"/>`) with their values, no
  `<dimension>`.
- Apple Numbers: inline strings, and a `docProps/app.xml` naming another program.
- Excel for Mac of old: the 1904 date system (`<workbookPr date1904="1"/>`).
- Excel's "Strict Open XML Spreadsheet": the purl.oclc.org namespaces, which calamine reads.

Not repeated here: the broken and refused files of tests/test_bad_workbooks.py (an empty file,
a truncated zip, a password-protected OLE file, an .xls, a CSV, an .xlsm, an .ods named .xlsx),
the far cells and endless text of tests/test_bounds.py and tests/test_hostile_sizes.py, and the
control characters of tests/test_untrusted_text.py.
"""

from __future__ import annotations

import io
import json
import resource
import shutil
import subprocess
import sys
import unicodedata
import uuid
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from openpyxl import Workbook, load_workbook
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont

from plangen.cli import cli
from plangen.inputs.merge import Placement, place
from plangen.inputs.schema import MAX_CELL_TEXT, MAX_SHEETS
from plangen.inputs.validate import Checked, validate
from plangen.problems import cell_of

from conftest import ROOT, TEMPLATE, need_program
from corpus import EXCEL, Dialect, error, formula, package, rich
from workbooks import InputsBuilder, Rows, partner_return, write_workbook

HEADER = ["Theme", "Key action", "Timescale", "Leads", "New"]
PLANGEN = Path(sys.executable).parent / "plangen"
#: Rows the small plan's council return has (one action, two current work): read in every case.
COUNCIL_ROWS = 3


def about(partner: str = "Police") -> Rows:
    return [["Setting", "Value"], ["Partner", partner], ["Contact", "A. Person"]]


def police(actions: Rows, dialect: Dialect = EXCEL, partner: str = "Police") -> bytes:
    return package({"About": about(partner), "Actions": [HEADER, *actions]}, dialect)


ROWS: Rows = [
    ["City Safe", "Patrol the city centre at night.", "Ongoing", "Police, PCC", "Yes"],
    ["Reoffending", "Provide co-ordinated prison release arrangements.",
     date(2018, 9, 30), "Probation", ""],
    ["City Safe", "Run a weekly drop-in at the library.", "March 2019", "PCC", "No"],
]
PLACED = [("Patrol the city centre at night.", "Ongoing", ("Police", "PCC"), True),
          ("Provide co-ordinated prison release arrangements.", "September 2018",
           ("Probation",), False),
          ("Run a weekly drop-in at the library.", "March 2019", ("PCC",), False)]


@dataclass(frozen=True)
class Run:
    checked: Checked
    placement: Placement

    def at(self, cell: str, file: str = "returns/police.xlsx") -> list[tuple[str, str]]:
        """(code, message) of each problem at a cell (or "" for the whole file)."""
        return [(p.code, p.message) for p in self.checked.problems if str(p.where) == (
            f"{file} · Actions · {cell}" if cell else file)]

    def actions(self, file: str = "returns/police.xlsx") -> list[tuple[str, str, tuple[str, ...],
                                                                        bool]]:
        """The placed actions that came from file, as (text, timescale, leads, new), in the
        order of the return's rows."""
        rows = {fate.text: fate.row for fate in self.placement.fates
                if fate.file == file and fate.sheet == "Actions" and fate.fate == "placed"}
        ours = [a for a in self.placement.plan.actions if a.text in rows]
        return [(a.text, a.timescale.text, a.leads, a.new)
                for a in sorted(ours, key=lambda action: rows[action.text])]

    def ledger(self, file: str = "returns/police.xlsx") -> tuple[int, int, int, int, int]:
        entry = next(e for e in self.placement.ledger if e.file == file)
        return entry.read, entry.placed, entry.merged, entry.rejected, entry.not_read


def run(folder: Path, filled: dict[str, int]) -> Run:
    """Validate and place a folder, asserting that nothing was lost: each return's rows read
    are placed, merged or rejected, and with those not read they are the filled rows written
    (`filled`: file -> filled rows below the headers, the About sheet aside)."""
    checked = validate(folder)
    placement = place(checked)
    ledger = {entry.file: entry for entry in placement.ledger}
    for entry in ledger.values():
        assert entry.read == entry.placed + entry.merged + entry.rejected, entry
    assert {file: ledger[file].read + ledger[file].not_read for file in filled} == filled
    return Run(checked, placement)


def folder_with(tmp_path: Path, files: dict[str, bytes]) -> Path:
    """The small plan with the council's return, its police return replaced by files."""
    inputs = InputsBuilder()
    del inputs.returns["police.xlsx"]
    folder = inputs.write(tmp_path / "inputs")
    for name, data in files.items():
        (folder / "returns" / name).write_bytes(data)
    return folder


def limit_memory() -> None:
    memory = 2 * 1024 ** 3
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))


def validate_json(folder: Path, timeout: float = 60) -> list[dict[str, Any]]:
    """`plangen validate --format json` in its own process (a native abort fails the test, not
    pytest), with bounded memory; it must finish, exit 0 or 1 and print no traceback."""
    result = subprocess.run([str(PLANGEN), "validate", "--format", "json", "--inputs",
                             str(folder)], capture_output=True, text=True, timeout=timeout,
                            preexec_fn=limit_memory, check=False)
    assert result.returncode in (0, 1), result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    found: list[dict[str, Any]] = json.loads(result.stdout)
    return found


# --- Savers ---------------------------------------------------------------------------------------

def libreoffice(source: Path, target: str, folder: Path) -> Path:
    """source converted by LibreOffice Calc (headless, a private profile) to `target` (xlsx,
    xls or ods)."""
    soffice = need_program("soffice", "libreoffice")
    profile = folder / f"lo-profile-{uuid.uuid4().hex}"
    subprocess.run([soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless",
                    "--convert-to", target, "--outdir", str(folder / target), str(source)],
                   check=True, capture_output=True, timeout=180)
    shutil.rmtree(profile, ignore_errors=True)
    converted = folder / target / f"{source.stem}.{target}"
    assert converted.is_file(), f"LibreOffice wrote no {converted}"
    return converted


@pytest.fixture(scope="module")
def saved_by_libreoffice(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """The police return with ROWS, as openpyxl writes it and as LibreOffice saves it."""
    folder = tmp_path_factory.mktemp("libreoffice")
    source = write_workbook(folder / "police.xlsx", partner_return("Police", ROWS))
    return {"openpyxl": source.read_bytes(),
            **{kind: libreoffice(source, kind, folder).read_bytes() for kind in ("xlsx", "xls")}}


def test_a_return_resaved_by_libreoffice_gives_the_same_plan(
        saved_by_libreoffice: dict[str, bytes], tmp_path: Path) -> None:
    original = run(folder_with(tmp_path / "a", {"police.xlsx": saved_by_libreoffice["openpyxl"]}),
                   {"returns/police.xlsx": 3})
    resaved = run(folder_with(tmp_path / "b", {"police.xlsx": saved_by_libreoffice["xlsx"]}),
                  {"returns/police.xlsx": 3, "returns/council.xlsx": COUNCIL_ROWS})
    assert original.actions() == resaved.actions() == PLACED
    assert [str(p) for p in resaved.checked.problems] == [
        str(p) for p in original.checked.problems]


def test_an_xls_saved_by_libreoffice_is_named_for_what_it_is(
        saved_by_libreoffice: dict[str, bytes], tmp_path: Path) -> None:
    folder = folder_with(tmp_path, {"police.xls": saved_by_libreoffice["xls"],
                                    "renamed.xlsx": saved_by_libreoffice["xls"]})
    found = run(folder, {"returns/council.xlsx": COUNCIL_ROWS})
    assert [code for code, _ in found.at("", "returns/police.xls")] == ["legacy-xls"]
    assert found.at("", "returns/renamed.xlsx") == [(
        "legacy-xls", "the file is an old-style Excel workbook (.xls), though its name ends "
        "in .xlsx")]


#: Each writer's dialect, as the module docstring says.
DIALECTS = {
    "Open XML SDK (Power BI)": Dialect(prefix="x", shared_strings=False, references=False,
                                       dimension=False, absolute=True),
    "Google Sheets": Dialect(dimension=False),
    "Apple Numbers": Dialect(shared_strings=False, application="Numbers"),
    "Excel 1904 date system": Dialect(date1904=True),
    "Strict Open XML": Dialect(strict=True),
}


@pytest.mark.parametrize("dialect", DIALECTS.values(), ids=DIALECTS.keys())
def test_a_return_in_another_writers_xml_gives_the_same_plan(dialect: Dialect,
                                                            tmp_path: Path) -> None:
    found = run(folder_with(tmp_path, {"police.xlsx": police(ROWS, dialect)}),
                {"returns/police.xlsx": 3, "returns/council.xlsx": COUNCIL_ROWS})
    assert found.actions() == PLACED
    assert [p for p in found.checked.problems if p.where.file == "returns/police.xlsx"] == []


@pytest.mark.parametrize("dialect", DIALECTS.values(), ids=DIALECTS.keys())
def test_what_calamine_reads_as_empty_is_found_in_any_writers_xml(dialect: Dialect,
                                                                 tmp_path: Path) -> None:
    """A formula with no stored value and an error value both read as empty; each is found at
    its cell, however the sheet is written, and a shared formula's value is read."""
    rows = [["City Safe", formula('"Patrol"&" more"', "Patrol more", shared="B2:B3"),
             "Ongoing", "Police", ""],
            ["City Safe", formula("", "Patrol again", shared="child"), "Ongoing", "Police", ""],
            ["City Safe", "Patrol the parks.", "Ongoing", "Police", formula('"Yes"')],
            ["City Safe", "Patrol the bridges.", "Ongoing", "Police", error("#DIV/0!")]]
    found = run(folder_with(tmp_path, {"police.xlsx": police(rows, dialect)}),
                {"returns/police.xlsx": 4})
    assert [code for code, _ in found.at("E4")] == ["formula-without-value"]
    assert found.at("E5") == [("error-value", "this cell shows the error #DIV/0!, so it has no "
                                              "value to read")]
    assert [text for text, *_ in found.actions()] == ["Patrol more", "Patrol again"]
    assert found.ledger() == (4, 2, 0, 2, 0)


def test_a_strict_open_xml_return_with_a_far_stray_cell_is_read_not_aborted(
        tmp_path: Path) -> None:
    """calamine reads Strict Open XML; its far cells must be cut out as any others are, or one
    space in XFD1048576 aborts the process asking for 512 GB."""
    data = police(ROWS, DIALECTS["Strict Open XML"])
    far = b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t> </t></is></c></row>'
    folder = folder_with(tmp_path, {"police.xlsx": replaced(
        data, "xl/worksheets/sheet2.xml", b"</sheetData>", far + b"</sheetData>")})
    problems = validate_json(folder)
    assert [(p["where"], p["code"]) for p in problems if p["severity"] == "error"] == []
    assert [p["code"] for p in problems
            if p["where"] == "returns/police.xlsx · Actions · XFD1048576"] == ["stray-cell"]


def replaced(data: bytes, member: str, old: bytes, new: bytes) -> bytes:
    """A package with `old` in one part replaced by `new` (which must be there to replace)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    target = io.BytesIO()
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in source.namelist():
            content = source.read(name)
            if name == member:
                assert old in content, (member, content[:300])
                content = content.replace(old, new)
            archive.writestr(name, content)
    return target.getvalue()


# --- Every format Excel can write -----------------------------------------------------------------

def openpyxl_return(template: bool = False) -> bytes:
    book = Workbook()
    book.remove(book.active)
    for name, rows in partner_return("Police", ROWS).items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    book.template = template
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def zip_of(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


TAB_SEPARATED = "Theme\tKey action\tTimescale\nCity Safe\tPatrol\tOngoing\n".encode("utf-16")
FORMATS = [
    # (file name, its bytes, the code, the words), or code None: read as a return.
    pytest.param("police.xltx", lambda: openpyxl_return(template=True), "not-xlsx",
                 "this is an Excel template (.xltx) and was not read", id="xltx by name"),
    pytest.param("police.xlsx", lambda: openpyxl_return(template=True), None, "",
                 id="a template saved as .xlsx is read"),
    pytest.param("police.xlsx", lambda: police(ROWS, Dialect(strict=True)), None, "",
                 id="Strict Open XML is read"),
    pytest.param("police.xlsb", lambda: zip_of({"xl/workbook.bin": b"\x83\x01\x00"}),
                 "not-xlsx", "this is a binary Excel workbook (.xlsb) and was not read",
                 id="xlsb by name"),
    pytest.param("binary.xlsx", lambda: zip_of({"[Content_Types].xml": b"<Types/>",
                                                "xl/workbook.bin": b"\x83\x01\x00"}),
                 "not-xlsx", "the file is a binary Excel workbook (.xlsb), not an Excel "
                 "workbook (.xlsx)", id="xlsb named .xlsx"),
    pytest.param("police.ods", lambda: zip_of({"mimetype": b"application/vnd.oasis."
                                               b"opendocument.spreadsheet"}),
                 "ods", "this is a LibreOffice spreadsheet (.ods) and was not read",
                 id="ods by name"),
    pytest.param("police.txt", lambda: TAB_SEPARATED, "csv",
                 "this is a text file, which has no sheets and was not read",
                 id="tab-separated .txt"),
    pytest.param("tabs.xlsx", lambda: b"Theme\tKey action\nCity Safe\tPatrol\n",
                 "csv", "the file is a text (CSV) file, not an Excel workbook",
                 id="tab-separated text named .xlsx"),
    pytest.param("photos.zip", lambda: zip_of({"IMG_0001.jpg": b"\xff\xd8\xff"}), "not-xlsx",
                 "this is not an Excel workbook and was not read", id="a zip by name"),
    pytest.param("photos.xlsx", lambda: zip_of({"IMG_0001.jpg": b"\xff\xd8\xff"}), "not-xlsx",
                 "the file is a zip archive, not an Excel workbook (.xlsx)",
                 id="a zip of photos named .xlsx"),
    pytest.param("letter.xlsx", lambda: zip_of({"word/document.xml": b"<w:document/>"}),
                 "not-xlsx", "the file is a Word document, not an Excel workbook (.xlsx)",
                 id="a Word document named .xlsx"),
]


@pytest.mark.parametrize(("name", "make", "code", "words"), FORMATS)
def test_every_format_is_named_for_what_it_is(name: str, make: Callable[[], bytes],
                                              code: str | None, words: str,
                                              tmp_path: Path) -> None:
    folder = folder_with(tmp_path, {name: make()})
    read = {"returns/council.xlsx": COUNCIL_ROWS}
    if code is None:
        read[f"returns/{name}"] = 3
    found = run(folder, read)
    problems = found.at("", f"returns/{name}")
    if code is None:
        assert problems == [] and found.actions(f"returns/{name}") == PLACED
    else:
        assert [c for c, _ in problems] == [code]
        assert words in problems[0][1]
        assert f"returns/{name}" not in {entry.file for entry in found.placement.ledger
                                         if entry.read}


# --- Every kind of value a cell can hold ----------------------------------------------------------

def placed(text: str, timescale: str = "Ongoing", leads: tuple[str, ...] = ("Police",),
           new: bool = False) -> tuple[str, str, tuple[str, ...], bool]:
    return text, timescale, leads, new


def problem(column: str, code: str, words: str) -> tuple[str, str, str]:
    return column, code, words


def action(theme: object = "City Safe", text: object = "Patrol.", timescale: object = "Ongoing",
           leads: object = "Police", new: object = "") -> list[object]:
    return [theme, text, timescale, leads, new]


#: (a row of the Actions sheet, what becomes of it: placed as so, or a problem at its column).
VALUES: list[tuple[str, list[object], Any]] = [
    ("text", action(text="Patrol the city centre."), placed("Patrol the city centre.")),
    ("an integer", action(text=42), placed("42")),
    ("a float", action(text=3.25), placed("3.25")),
    ("1e308", action(text=1e308), placed("1E+308")),
    ("negative zero", action(text=-0.0), placed("0")),
    ("a boolean key action", action(text=True), placed("Yes")),
    ("a date key action", action(text=date(2018, 9, 30)), placed("2018-09-30")),
    ("rich text runs", action(text=rich(("Patrol ", False), ("the parks", True), (".", False))),
     placed("Patrol the parks.")),
    ("only spaces", action(text="   "), problem("B", "empty-cell", '"Key action" is empty')),
    ("only invisible and wide spaces", action(text="\u00a0\u3000\t\u200b\u2060"),
     problem("B", "empty-cell", '"Key action" is empty')),
    ("an error value as the action", action(text=error("#N/A")),
     problem("B", "error-value", "this cell shows the error #N/A")),
    ("a number as the theme", action(theme=42, text="Theme 42."),
     problem("A", "bad-theme", '"42" is not one of the plan\'s themes')),
    ("a boolean as the theme", action(theme=False, text="Theme no."),
     problem("A", "bad-theme", '"No" is not one of the plan\'s themes')),
    ("#REF! as the theme", action(theme=error("#REF!"), text="Theme ref."),
     problem("A", "error-value", "this cell shows the error #REF!")),
    ("a date timescale", action(text="Dated.", timescale=date(2018, 9, 30)),
     placed("Dated.", "September 2018")),
    ("a date-time timescale", action(text="Timed.", timescale=datetime(2018, 9, 30, 17, 45)),
     placed("Timed.", "September 2018")),
    ("a date serial without its format", action(text="Serial.", timescale=43373),
     problem("C", "bad-timescale", '"43373" is not "Ongoing" or a month and year')),
    ("a duration timescale", action(text="Lasting.", timescale=timedelta(days=3)),
     problem("C", "bad-timescale", '"3 days, 0:00:00" is not "Ongoing" or a month and year')),
    ("a boolean timescale", action(text="Truly.", timescale=True),
     problem("C", "bad-timescale", '"Yes" is not "Ongoing" or a month and year')),
    ("#DIV/0! as the timescale", action(text="Divided.", timescale=error("#DIV/0!")),
     problem("C", "error-value", "this cell shows the error #DIV/0!")),
    ("a cached formula timescale", action(text="Computed.",
                                          timescale=formula('"March "&2019', "March 2019")),
     placed("Computed.", "March 2019")),
    ("a number as the lead", action(text="Led by a number.", leads=101),
     problem("D", "unknown-lead", 'the lead "101" is not in the coordinator\'s list')),
    ("#NAME? as the leads", action(text="Led by an error.", leads=error("#NAME?")),
     problem("D", "error-value", "this cell shows the error #NAME?")),
    ("leads of only spaces", action(text="Led by no one.", leads="\u00a0 "),
     problem("D", "empty-cell", '"Leads" is empty')),
    ("New as a boolean", action(text="New as true.", new=True), placed("New as true.", new=True)),
    ("New as 1", action(text="New as one.", new=1), placed("New as one.", new=True)),
    ("New as 0", action(text="New as zero.", new=0), placed("New as zero.")),
    ("New as 2", action(text="New as two.", new=2),
     problem("E", "bad-yes/no", '"2" is not "Yes" or "No"')),
    ("New as an error", action(text="New as an error.", new=error("#N/A")),
     problem("E", "error-value", "this cell shows the error #N/A")),
    ("New as a formula without a value", action(text="New by formula.", new=formula('"Yes"')),
     problem("E", "formula-without-value", "holds a formula but no stored value")),
]


@pytest.fixture(scope="module", params=[EXCEL, Dialect(date1904=True)],
                ids=["1900 date system", "1904 date system"])
def every_value(request: pytest.FixtureRequest,
                tmp_path_factory: pytest.TempPathFactory) -> Run:
    """One return holding every row of VALUES (row 2 onwards), in each date system."""
    dialect: Dialect = request.param
    folder = folder_with(tmp_path_factory.mktemp("values"),
                         {"police.xlsx": police([row for _, row, _ in VALUES], dialect)})
    return run(folder, {"returns/police.xlsx": len(VALUES),
                        "returns/council.xlsx": COUNCIL_ROWS})


@pytest.mark.parametrize(("row", "expected"),
                         [pytest.param(number, expected, id=name) for number, (name, _, expected)
                          in enumerate(VALUES, start=2)])
def test_every_kind_of_value_is_placed_exactly_or_reported_at_its_cell(
        every_value: Run, row: int, expected: Any) -> None:
    fate = next(fate for fate in every_value.placement.fates
                if fate.file == "returns/police.xlsx" and fate.row == row)
    problems = [(code, message) for code, message in every_value.at(f"{expected[0]}{row}")
                ] if len(expected) == 3 else []
    if len(expected) == 4:  # placed
        assert fate.fate == "placed", fate
        assert expected in every_value.actions()
        assert [p for p in every_value.checked.problems if p.is_error
                and cell_of(p).cell.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ") == str(row)] == []
    else:
        column, code, words = expected
        assert [c for c, _ in problems][:1] == [code], every_value.at(f"{column}{row}")
        assert words in problems[0][1]
        if code in ("unknown-lead",):  # a warning: the row is placed all the same
            assert fate.fate == "placed"
        else:
            assert fate.fate == "rejected", fate


def test_every_value_row_is_accounted_for(every_value: Run) -> None:
    placed_rows = sum(len(expected) == 4 or expected[1] == "unknown-lead"
                      for _, _, expected in VALUES)
    assert every_value.ledger() == (len(VALUES), placed_rows, 0, len(VALUES) - placed_rows, 0)


def test_a_hyperlink_merged_cells_and_rich_text_as_excel_writes_them(tmp_path: Path) -> None:
    """Written by openpyxl: a hyperlink cell reads as its text, rich text as its runs joined,
    and cells merged across a row are reported at the first cell each row loses."""
    inputs = InputsBuilder()
    folder = inputs.write(tmp_path / "inputs")
    book = load_workbook(folder / "returns" / "police.xlsx", rich_text=True)
    sheet = book["Actions"]
    sheet.append(action(text="See the plan online."))
    sheet["B4"].hyperlink = "https://example.org/plan"
    sheet.append(action(text=CellRichText("Work with ", TextBlock(InlineFont(b=True), "schools"),
                                          ".")))
    sheet.append(action(text="Merged across.", timescale="Ongoing"))
    sheet.merge_cells("B6:C6")
    book.save(folder / "returns" / "police.xlsx")
    found = run(folder, {"returns/police.xlsx": 7, "returns/council.xlsx": COUNCIL_ROWS})
    assert [text for text, *_ in found.actions()][-2:] == ["See the plan online.",
                                                           "Work with schools."]
    assert [code for code, _ in found.at("B6")] == ["merged-cells"]
    assert "part of the merged cells B6:C6" in found.at("B6")[0][1]
    assert found.ledger() == (7, 6, 0, 1, 0)


def test_an_error_value_in_a_setting_or_the_coordinators_lists_is_reported_at_its_cell(
        tmp_path: Path) -> None:
    data = package({"About": [["Setting", "Value"], ["Partner", error("#N/A")]],
                    "Actions": [HEADER, action(text="Patrol the ring road.")]})
    folder = folder_with(tmp_path, {"police.xlsx": data})
    book = load_workbook(folder / "plan.xlsx")
    book["Themes"]["A3"] = "#REF!"  # openpyxl writes an error's text as the error value
    book.save(folder / "plan.xlsx")
    with zipfile.ZipFile(folder / "plan.xlsx") as saved:
        assert b'<c r="A3" t="e"><v>#REF!</v></c>' in saved.read("xl/worksheets/sheet7.xml")
    found = run(folder, {"returns/police.xlsx": 1})
    problems = {(str(p.where), p.code) for p in found.checked.problems}
    assert ("returns/police.xlsx · About · B2", "error-value") in problems
    assert ("plan.xlsx · Themes · A3", "error-value") in problems
    assert not [where for where, code in problems if code == "empty-cell"]


# --- Sizes at the limits --------------------------------------------------------------------------

def test_a_cell_at_excels_limit_is_read_and_one_past_it_is_not(tmp_path: Path) -> None:
    """Beside tests/test_bounds.py's far-past cases: the two lengths either side of the limit,
    in inline strings without references, as the Open XML SDK writes them."""
    at_limit, past = "a" * (MAX_CELL_TEXT - 1) + ".", "b" * MAX_CELL_TEXT + "."
    data = police([action(text=at_limit), action(text=past)],
                  DIALECTS["Open XML SDK (Power BI)"])
    found = run(folder_with(tmp_path, {"police.xlsx": data}), {"returns/police.xlsx": 2})
    assert [code for code, _ in found.at("B2")] == ["too-long"]
    assert [code for code, _ in found.at("B3")] == ["cell-too-long"]
    assert f"holds {MAX_CELL_TEXT + 1:,} characters" in found.at("B3")[0][1]
    assert found.actions() == [placed(at_limit)]
    assert found.ledger() == (2, 1, 0, 1, 0)


def test_a_workbook_of_exactly_the_most_sheets_is_read(tmp_path: Path) -> None:
    sheets: dict[str, Rows] = {"About": about(), "Actions": [HEADER, action()]}
    sheets |= {f"Sheet{number}": [] for number in range(3, MAX_SHEETS + 1)}
    too_many = {**sheets, f"Sheet{MAX_SHEETS + 1}": []}
    found = run(folder_with(tmp_path, {"police.xlsx": package(sheets),
                                       "more.xlsx": package(too_many)}),
                {"returns/police.xlsx": 1})
    assert found.actions() == [placed("Patrol.")]
    assert [code for code, _ in found.at("", "returns/more.xlsx")] == ["too-many-sheets"]


# --- Hostile names --------------------------------------------------------------------------------

ODD_NAMES = {
    "a tab": "tab\there.xlsx",
    "a line separator": "line\u2028separator.xlsx",
    "a next-line control": "next\x85line.xlsx",
    "delete": "delete\x7f.xlsx",
    "a right-to-left override": "police\u202excod.xlsx",
    "a very long name": "returns from the partnership " * 7 + "police.xlsx",
}


def test_hostile_file_names_are_read_and_each_problem_stays_on_one_line(
        inputs: InputsBuilder, tmp_path: Path) -> None:
    for name in ODD_NAMES.values():
        inputs.returns[name] = partner_return("Police", [action(theme="Cty Safe")])
    folder = inputs.write(tmp_path / "inputs")
    result = CliRunner().invoke(cli, ["validate", "--inputs", str(folder)])
    assert result.exit_code == 1, result.output  # the themes misspelt: errors, no traceback
    lines = result.stdout.splitlines()
    assert all(line.startswith(("error [", "warning [", "Checked ")) for line in lines), lines
    shown = {"tab\\there.xlsx", "line\\u2028separator.xlsx", "next\\x85line.xlsx",
             "delete\\x7f.xlsx", "police\\u202excod.xlsx", ODD_NAMES["a very long name"]}
    for name in shown:
        assert (f'error [bad-theme]: returns/{name} · Actions · A2 — "Cty Safe" is not one of '
                "the plan's themes") in result.stdout, name
    assert len(ODD_NAMES["a very long name"]) > 200
    found = run(folder, {f"returns/{name}": 1 for name in shown}
                | {"returns/police.xlsx": 4, "returns/council.xlsx": COUNCIL_ROWS})
    assert all(found.ledger(f"returns/{name}") == (1, 0, 0, 1, 0) for name in shown)


def test_names_that_look_like_another_return_are_each_read_and_said_to_be_from_the_same_partner(
        inputs: InputsBuilder, tmp_path: Path) -> None:
    for name in ("police (1).xlsx", "Police.xlsx", "police.xlsx.xlsx", "police.XLSX"):
        inputs.returns[name] = inputs.returns["police.xlsx"]
    folder = inputs.write(tmp_path / "inputs")
    names = ["police (1).xlsx", "police.xlsx", "Police.xlsx", "police.XLSX", "police.xlsx.xlsx"]
    found = run(folder, {f"returns/{name}": 4 for name in names}
                | {"returns/council.xlsx": COUNCIL_ROWS})
    first, *later = names
    for name in later:
        assert ("second-return", f"returns/{first} is from Police too, so both returns are read"
                ) in [(p.code, p.message) for p in found.checked.problems
                      if str(p.where) == f"returns/{name} · About · B2"]
    assert sum(found.ledger(f"returns/{name}")[1] for name in names) == 4  # the rest merged


def test_a_partner_spelt_in_either_unicode_normal_form_is_the_same_partner(
        inputs: InputsBuilder, tmp_path: Path) -> None:
    composed, decomposed = (unicodedata.normalize(form, "Café Trust") for form in ("NFC", "NFD"))
    assert composed != decomposed
    inputs.plan["Partners"].append([composed, "Café Trust CIC", "Yes", ""])
    inputs.returns["cafe.xlsx"] = partner_return(decomposed, [
        action(text="Serve soup at the café.", leads=decomposed)])
    inputs.returns["cafe-again.xlsx"] = partner_return(composed, [
        action(text="Serve tea at the café.", leads=composed)])
    found = run(inputs.write(tmp_path / "inputs"),
                {"returns/cafe.xlsx": 1, "returns/cafe-again.xlsx": 1})
    codes = [(str(p.where), p.code) for p in found.checked.problems]
    assert not [code for _, code in codes if code in ("unknown-partner", "unknown-lead",
                                                      "missing-return")], codes
    assert ("returns/cafe.xlsx · About · B2", "second-return") in codes
    assert {action.leads for action in found.placement.plan.actions
            if "café" in action.text} == {(composed,)}


def test_a_draft_with_hostile_names_and_values_builds_a_readable_plan(
        inputs: InputsBuilder, tmp_path: Path) -> None:
    """The whole way through the CLI: a draft from returns under every odd name and with
    error values builds, and its report counts every row."""
    for name in ODD_NAMES.values():
        inputs.returns[name] = partner_return("Police", [action(text=f"Patrol for {name!r}.")])
    folder = inputs.write(tmp_path / "inputs")
    (folder / "returns" / "errors.xlsx").write_bytes(police(
        [action(text=error("#N/A")), action(text="Patrol the docks.")]))
    output = tmp_path / "out" / "plan.docx"
    result = CliRunner().invoke(cli, ["build", "--draft", "--inputs", str(folder), "--template",
                                      str(TEMPLATE), "--output", str(output)])
    assert result.exit_code == 0, result.output
    assert "returns/errors.xlsx · Actions · row 2" in result.output
    report = load_workbook(output.with_name("returns-report.xlsx"))["Summary"]
    heading, *rows = report.iter_rows(values_only=True)
    summary = {row[1] or row[0]: dict(zip(heading, row, strict=True)) for row in rows}
    counts = ("Rows read", "Placed", "Merged as duplicates", "Rejected")
    assert "Not read" not in heading  # only shown when a return has such rows
    assert [summary["returns/errors.xlsx"][count] for count in counts] == [2, 1, 0, 1]
    for name in ODD_NAMES.values():
        shown = name.encode("unicode_escape").decode() if not name.isprintable() else name
        assert [summary[f"returns/{shown}"][count] for count in counts] == [1, 1, 0, 0]


def test_every_problem_code_in_the_corpus_is_explained_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme[readme.index("## What is checked"):]
    codes = {expected[1] for _, _, expected in VALUES if len(expected) == 3}
    codes |= {param.values[2] for param in FORMATS if param.values[2] is not None}
    codes |= {"formula-without-value", "second-return", "stray-cell", "legacy-xls"}
    assert sorted(code for code in codes if f"`{code}`" not in table) == []
