"""Untrusted returns within bounds: a far stray cell, an endless cell, too many sheets or problems
cost seconds and bounded memory, and every filled row is read or named in a problem.

The far-cell cases run plangen in a process of its own, with a memory limit and a timeout, so
that a native abort (calamine asking for 512 GB) fails the test instead of killing pytest.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook
from openpyxl.comments import Comment

from plangen.cli import cli
from plangen.inputs.merge import place
from plangen.inputs.schema import (
    MAX_CELL_TEXT,
    MAX_COLUMNS,
    MAX_PROBLEMS_PER_FILE,
    MAX_ROWS,
    MAX_SHEETS,
)
from plangen.inputs.sheetxml import UnsafeXml, strays
from plangen.inputs.validate import validate
from plangen.problems import Problem, cell_of, column_letter

from conftest import ROOT
from workbooks import InputsBuilder, Rows

PLANGEN = Path(sys.executable).parent / "plangen"
MEMORY = 2 * 1024 ** 3
ACTION = ["City Safe", "Patrol the city centre at night.", "Ongoing", "Police", ""]


def write(path: Path, sheets: dict[str, Rows], far: dict[str, dict[str, Any]] | None = None,
          hidden: tuple[str, ...] = ()) -> Path:
    """Sheets as rows, with single cells put anywhere (`far`: sheet -> address -> value, or a
    Comment for a note in an empty cell)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
        for address, value in (far or {}).get(name, {}).items():
            if isinstance(value, Comment):
                sheet[address].comment = value
            else:
                sheet[address] = value
        if name in hidden:
            sheet.sheet_state = "hidden"
    book.save(path)
    return path


def replace_text(path: Path, old: str, new: str) -> None:
    """Replace text in every XML part of a package, as a script that writes XML might."""
    with zipfile.ZipFile(path) as package:
        parts = {name: package.read(name) for name in package.namelist()}
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as package:
        for name, data in parts.items():
            package.writestr(name, data.replace(old.encode(), new.encode())
                             if name.endswith(".xml") else data)


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))


def run_plangen(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """plangen in its own process, with at most MEMORY of address space."""
    return subprocess.run([str(PLANGEN), *args], capture_output=True, text=True,
                          timeout=timeout, preexec_fn=limit_memory, check=False)


def problems_of(output: str) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = json.loads(output)
    return found


def at(problems: list[dict[str, Any]], where: str) -> list[dict[str, Any]]:
    return [problem for problem in problems if problem["where"] == where]


def summary(report: Path) -> dict[str, dict[str, Any]]:
    """The returns report's Summary, file -> its row by heading."""
    sheet = load_workbook(report)["Summary"]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    return {row[1] or row[0]: dict(zip(rows[0], row, strict=True)) for row in rows[1:]}


def draft(runner: CliRunner, folder: Path) -> dict[str, dict[str, Any]]:
    """Build a draft through the CLI; the Summary of its returns report."""
    out = folder.parent / "out"
    result = runner.invoke(cli, ["build", "--draft", "--inputs", str(folder), "--template",
                                 str(Path(__file__).parent.parent / "templates" / "plan.docx"),
                                 "--output", str(out / "plan.docx")])
    assert result.exit_code == 0, result.output
    return summary(out / "returns-report.xlsx")


def front_door(runner: CliRunner, folder: Path) -> list[dict[str, Any]]:
    result = runner.invoke(cli, ["validate", "--format", "json", "--inputs", str(folder)])
    assert result.exit_code in (0, 1), result.output
    return problems_of(result.stdout)


# --- 1. A far stray cell -------------------------------------------------------------------------

def test_a_space_in_the_last_cell_is_reported_and_the_rest_read(inputs: InputsBuilder,
                                                                 tmp_path: Path) -> None:
    folder = inputs.write(tmp_path / "inputs")
    write(folder / "returns" / "police.xlsx", inputs.returns["police.xlsx"],
          {"Actions": {"XFD1048576": " ", "XFD600": "a note typed as text"},
           "Current work": {"C9": Comment("a note", "me"), "XFD700": Comment("far", "me")}})
    write(folder / "plan.xlsx", inputs.plan, {"Glossary": {"XFD1048576": " "}})
    validated = run_plangen("validate", "--format", "json", "--inputs", str(folder))
    assert validated.returncode in (0, 1), validated.stderr
    assert "memory allocation" not in validated.stderr
    problems = problems_of(validated.stdout)
    far = at(problems, "returns/police.xlsx · Actions · XFD1048576")
    assert [p["code"] for p in far] == ["stray-cell"]
    assert far[0]["severity"] == "warning"
    assert f"below row {MAX_ROWS:,}" in far[0]["message"] and "is ignored" in far[0]["message"]
    wide = at(problems, "returns/police.xlsx · Actions · XFD600")
    assert f"right of column {column_letter(MAX_COLUMNS)}" in wide[0]["message"]
    assert [p["code"] for p in at(problems, "plan.xlsx · Glossary · XFD1048576")] == [
        "stray-cell"]
    assert not any("Current work" in p["where"] for p in problems)  # notes hold no value
    assert not [p for p in problems if p["severity"] == "error"]
    built = run_plangen("build", "--draft", "--inputs", str(folder), "--template",
                        str(Path(__file__).parent.parent / "templates" / "plan.docx"),
                        "--output", str(tmp_path / "out" / "plan.docx"))
    assert built.returncode == 0, built.stderr
    rows = summary(tmp_path / "out" / "returns-report.xlsx")
    police = rows["returns/police.xlsx"]
    assert (police["Rows read"], police["Placed"], police["Not read"]) == (4, 4, 2)
    assert rows["All files"]["Not read"] == 2
    header = next(line for line in built.stdout.splitlines() if line.startswith("Partner"))
    assert header.split() == ["Partner", "Read", "Placed", "Merged", "Rejected", "Not", "read",
                              "Return"]
    police_line = next(line for line in built.stdout.splitlines()
                       if line.endswith("returns/police.xlsx"))
    assert police_line.split()[-6:-1] == ["4", "4", "0", "0", "2"]


def test_a_hostile_box_of_far_cells_is_read_in_seconds(inputs: InputsBuilder,
                                                       tmp_path: Path) -> None:
    folder = inputs.write(tmp_path / "inputs")
    far = {f"{column_letter(MAX_COLUMNS + 1 + index)}{MAX_ROWS + 1 + index * 1000}": "x"
           for index in range(60)}
    write(folder / "returns" / "police.xlsx", inputs.returns["police.xlsx"],
          {"Actions": {**far, f"{column_letter(MAX_COLUMNS)}{MAX_ROWS}": "the corner"}})
    validated = run_plangen("validate", "--format", "json", "--inputs", str(folder), timeout=60)
    assert validated.returncode in (0, 1), validated.stderr
    strays = [p for p in problems_of(validated.stdout) if p["code"] == "stray-cell"]
    assert len(strays) == 21  # 20 listed, one counting the other 40
    counted = at(strays, "returns/police.xlsx · Actions")
    assert counted[0]["message"].startswith("40 more cells")
    corner = at(problems_of(validated.stdout),
                f"returns/police.xlsx · Actions · {column_letter(MAX_COLUMNS)}{MAX_ROWS}")
    assert [p["code"] for p in corner] == ["row-not-read"]  # inside the limits: read


# --- 2. Limits -----------------------------------------------------------------------------------

def test_a_cell_longer_than_excel_allows_rejects_its_row(runner: CliRunner,
                                                         inputs: InputsBuilder,
                                                         tmp_path: Path) -> None:
    inputs.returns["police.xlsx"]["Actions"][1][1] = "LONG CELL"
    folder = inputs.write(tmp_path / "inputs")
    # openpyxl, like Excel, cuts a cell at the limit: a script writing the XML does not.
    replace_text(folder / "returns" / "police.xlsx", "LONG CELL", "Patrol " * MAX_CELL_TEXT)
    problems = front_door(runner, folder)
    long = at(problems, "returns/police.xlsx · Actions · B2")
    assert [p["code"] for p in long] == ["cell-too-long"]
    assert f"more than the {MAX_CELL_TEXT:,}" in long[0]["message"]
    police = draft(runner, folder)["returns/police.xlsx"]
    assert (police["Rows read"], police["Placed"], police["Rejected"]) == (4, 3, 1)


def test_a_workbook_of_too_many_sheets_is_not_read(runner: CliRunner, inputs: InputsBuilder,
                                                   tmp_path: Path) -> None:
    inputs.returns["police.xlsx"].update({f"Sheet {n}": [["x"]] for n in range(120)})
    folder = inputs.write(tmp_path / "inputs")
    problems = front_door(runner, folder)
    refused = at(problems, "returns/police.xlsx")
    assert [p["code"] for p in refused] == ["too-many-sheets"]
    assert "123 sheets" in refused[0]["message"]
    assert not any(p["file"] == "returns/council.xlsx" for p in problems)


def test_problems_past_the_limit_are_counted_in_one(runner: CliRunner, inputs: InputsBuilder,
                                                    tmp_path: Path) -> None:
    rows = MAX_PROBLEMS_PER_FILE + 50
    inputs.returns["police.xlsx"]["Actions"][1:] = [
        ["No such theme", f"Deliver scheme number {n}.", "Ongoing", "Police", ""]
        for n in range(rows)]
    folder = inputs.write(tmp_path / "inputs")
    problems = [p for p in front_door(runner, folder) if p["file"] == "returns/police.xlsx"]
    assert len(problems) == MAX_PROBLEMS_PER_FILE + 1
    last = [p for p in problems if p["code"] == "more-problems"]
    assert last[0]["severity"] == "error" and last[0]["where"] == "returns/police.xlsx"
    assert last[0]["message"].startswith("50 errors more in this file are not listed")
    police = draft(runner, folder)["returns/police.xlsx"]
    assert (police["Rows read"], police["Rejected"]) == (rows + 2, rows)
    assert police["Rows read"] == police["Placed"] + police["Merged as duplicates"] + \
        police["Rejected"]


# --- 3. Every filled row accounted for ------------------------------------------------------------

def test_a_renamed_optional_sheet_is_named_and_counted(runner: CliRunner, inputs: InputsBuilder,
                                                       tmp_path: Path) -> None:
    police = inputs.returns["police.xlsx"]
    police["Current work 2018-19"] = police.pop("Current work")
    folder = inputs.write(tmp_path / "inputs")
    problems = at(front_door(runner, folder), "returns/police.xlsx · Current work 2018-19")
    assert [p["code"] for p in problems] == ["sheet-not-read"]
    assert 'looks like "Current work"' in problems[0]["message"]
    assert "2 filled rows" in problems[0]["message"]
    assert problems[0]["fix"] == 'Rename the sheet to "Current work".'
    row = draft(runner, folder)["returns/police.xlsx"]
    assert (row["Rows read"], row["Not read"]) == (2, 2)


def test_a_filled_copy_of_actions_is_named_and_counted(runner: CliRunner,
                                                       inputs: InputsBuilder,
                                                       tmp_path: Path) -> None:
    police = inputs.returns["police.xlsx"]
    police["Actions (2)"] = [police["Actions"][0], ACTION, ACTION]
    folder = inputs.write(tmp_path / "inputs")
    problems = at(front_door(runner, folder), "returns/police.xlsx · Actions (2)")
    assert [p["code"] for p in problems] == ["copied-sheet"]
    assert 'a copy of "Actions"' in problems[0]["message"]
    assert "2 filled rows" in problems[0]["message"]
    row = draft(runner, folder)["returns/police.xlsx"]
    assert (row["Rows read"], row["Not read"]) == (4, 2)


def test_the_exactly_named_sheet_is_read_before_an_alias(runner: CliRunner,
                                                         inputs: InputsBuilder,
                                                         tmp_path: Path) -> None:
    police = inputs.returns["police.xlsx"]
    actions = police.pop("Actions")
    police.update({"Action plan": [["Our own notes"], ["Ring the council"]], "Actions": actions})
    folder = inputs.write(tmp_path / "inputs")
    problems = at(front_door(runner, folder), "returns/police.xlsx · Action plan")
    assert [p["code"] for p in problems] == ["second-sheet"]
    assert 'the sheet "Actions" is the one read' in problems[0]["message"]
    row = draft(runner, folder)["returns/police.xlsx"]
    assert (row["Rows read"], row["Placed"], row["Not read"]) == (4, 4, 2)


def test_returns_in_a_subfolder_or_of_another_type_are_named(runner: CliRunner,
                                                             inputs: InputsBuilder,
                                                             tmp_path: Path) -> None:
    folder = inputs.write(tmp_path / "inputs")
    write(folder / "returns" / "late" / "probation.xlsx", inputs.returns["police.xlsx"])
    write(folder / "returns" / "late" / "older" / "cseg.xlsx", inputs.returns["police.xlsx"])
    (folder / "returns" / "police.xlsx.bak").write_bytes(b"old")
    problems = front_door(runner, folder)
    for name in ("returns/late/probation.xlsx", "returns/late/older/cseg.xlsx"):
        found = at(problems, name)
        assert [p["code"] for p in found] == ["subfolder"], name
        assert "returns/late" in found[0]["message"] and "not read" in found[0]["message"]
    assert [p["code"] for p in at(problems, "returns/police.xlsx.bak")] == ["not-xlsx"]
    rows = draft(runner, folder)
    assert rows["returns/late/probation.xlsx"]["Partner"] == "(not read)"
    assert rows["returns/police.xlsx"]["Rows read"] == 4


def test_rows_beside_the_columns_read_are_named_and_counted(runner: CliRunner,
                                                            inputs: InputsBuilder,
                                                            tmp_path: Path) -> None:
    inputs.returns["police.xlsx"]["Actions"].append(["", "", "", "", "", "", "a note in G"])
    folder = inputs.write(tmp_path / "inputs")
    problems = at(front_door(runner, folder), "returns/police.xlsx · Actions · G4")
    assert [p["code"] for p in problems] == ["row-not-read"]
    assert draft(runner, folder)["returns/police.xlsx"]["Not read"] == 1


# --- 4. Any shape of sheets: every filled row read or named ---------------------------------------

FAR_ROWS = st.integers(MAX_ROWS + 1, 1_048_576)
#: Sheets that are not read: copies, a second sheet with an accepted name, a renamed one, notes;
#: each with its header and the row it repeats.
SHAPES = {
    "Actions (2)": (["Theme", "Key action", "Timescale", "Leads", "New"], ACTION),
    "Action plan": (["Theme", "Key action", "Timescale", "Leads", "New"], ACTION),
    "Current work (3)": (["Priority", "Initiative"], ["Violent Crime", "Street Pastors"]),
    "Initiatives 2019": (["Priority", "Initiative"], ["Violent Crime", "CCTV"]),
    "Notes": (["Our notes"], ["Ring the council"]),
}
FAR_COLUMNS = st.integers(MAX_COLUMNS + 1, 16_384)


@st.composite
def stray_cells(draw: st.DrawFn, first_free_row: int) -> dict[str, str]:
    """Far cells, each on a row of its own: below the last row read, or beyond the last
    column on a row below the table."""
    cells: dict[str, str] = {}
    for _ in range(draw(st.integers(0, 4))):
        if draw(st.booleans()):
            row, column = draw(FAR_ROWS), draw(st.integers(1, 16_384))
        else:
            row, column = draw(st.integers(first_free_row, MAX_ROWS)), draw(FAR_COLUMNS)
        cells[f"{column_letter(column)}{row}"] = draw(st.sampled_from([" ", "x", "1"]))
    return cells


@settings(max_examples=25, deadline=None)
@given(data=st.data())
def test_every_filled_row_is_read_or_named(data: st.DataObject, tmp_path_factory: Any) -> None:
    inputs = InputsBuilder()
    police = inputs.returns["police.xlsx"]
    actions = data.draw(st.integers(0, 6))
    police["Actions"][1:] = [[*ACTION[:1], f"Action number {n}.", *ACTION[2:]]
                             for n in range(actions)]
    extra: dict[str, int] = {}  # sheets not read -> their filled rows
    for name in data.draw(st.lists(st.sampled_from(sorted(SHAPES)), unique=True, max_size=3)):
        header, row = SHAPES[name]
        rows = data.draw(st.integers(0, 3))
        police[name] = [header, *([row] * rows)]
        extra[name] = rows + (name == "Notes")  # a header of its own is a row like any other
    hidden = tuple(data.draw(st.lists(st.sampled_from(sorted(extra)), unique=True))
                   ) if extra else ()
    far = data.draw(stray_cells(actions + 3))
    folder = inputs.write(tmp_path_factory.mktemp("shapes") / "inputs")
    write(folder / "returns" / "police.xlsx", police, {"Actions": far}, hidden)
    checked = validate(folder)
    placement = place(checked)
    ledger = {entry.file: entry for entry in placement.ledger}["returns/police.xlsx"]
    shown: list[Problem] = [p for p in checked.problems if p.where.file == "returns/police.xlsx"]
    stray_rows = {address.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ") for address in far}
    assert ledger.read == actions + 2  # its actions and its two rows of current work
    assert ledger.read == ledger.placed + ledger.merged + ledger.rejected
    assert ledger.not_read == sum(extra.values()) + len(stray_rows)
    for name, rows in extra.items():
        named = [p for p in shown if cell_of(p).sheet == name]
        assert bool(named) == bool(rows), (name, shown)
        if rows:
            assert f"{rows} filled row" in named[0].message
    strays = {cell_of(p).cell for p in shown if p.code == "stray-cell"}
    assert strays == set(far)


# --- The limits as documented ---------------------------------------------------------------------

def test_the_limits_and_their_codes_are_documented() -> None:
    limits = (ROOT / "docs" / "returns.md").read_text(encoding="utf-8")
    section = limits[limits.index("## Limits"):]
    for stated in (f"{MAX_ROWS:,}", f"columns A to {column_letter(MAX_COLUMNS)}",
                   f"{MAX_CELL_TEXT:,} characters", f"{MAX_SHEETS} sheets",
                   f"{MAX_PROBLEMS_PER_FILE} problems"):
        assert stated in section, stated
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for code in ("stray-cell", "cell-too-long", "too-many-sheets", "more-problems",
                 "sheet-not-read", "copied-sheet", "second-sheet", "row-not-read", "subfolder"):
        assert f"`{code}`" in readme, code


# --- The scan of a sheet's cells, however its XML is written ------------------------------------

def sheet_xml(cells: str, prefix: str = "") -> bytes:
    p = f"{prefix}:" if prefix else ""
    xmlns = f"xmlns:{prefix}" if prefix else "xmlns"
    return (f'<{p}worksheet {xmlns}="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            f'<{p}dimension ref="A1:XFD1048576"/><{p}sheetData>{cells}</{p}sheetData>'
            f"</{p}worksheet>").encode()


def test_the_scan_finds_far_cells_however_they_are_written() -> None:
    last = f"{column_letter(MAX_COLUMNS)}{MAX_ROWS}"
    within = f'<row r="{MAX_ROWS}"><c r="{last}"><v>1</v></c></row>'
    assert strays(sheet_xml(within)) is None
    assert strays(sheet_xml('<row r="1"><c r="A1"><v>1</v></c></row>')) is None
    beyond = column_letter(MAX_COLUMNS + 1)
    far = f'<row r="1"><c r="A1"><v>1</v></c><c r="{beyond}1"><v>2</v></c></row>'
    found = strays(sheet_xml(far))
    assert found is not None and found.listed == ((0, MAX_COLUMNS),)
    assert b"<v>2</v>" not in found.xml and b"<v>1</v>" in found.xml
    assert b"dimension" not in found.xml
    # No r at all: placed after the cell (and the row) before, as calamine places them.
    unnumbered = "<row>" + "<c><v>1</v></c>" * (MAX_COLUMNS + 2) + "</row>"
    found = strays(sheet_xml(unnumbered))
    assert found is not None and found.listed == ((0, MAX_COLUMNS), (0, MAX_COLUMNS + 1))
    # A namespace prefix, single quotes, r last, a ">" in another attribute.
    odd = (f"<x:row r='{MAX_ROWS + 5}'><x:c t='n' x=\">\" r='B{MAX_ROWS + 5}'><x:v>3</x:v>"
           "</x:c></x:row>")
    found = strays(sheet_xml(odd, "x"))
    assert found is not None and found.listed == ((MAX_ROWS + 4, 1),)
    assert found.rows_below == 1 and b"<x:v>3</x:v>" not in found.xml
    # Cells with nothing in them are cut without a word.
    empty = strays(sheet_xml('<row r="9"><c r="XFD9" s="1"/><c r="XFC9"></c></row>'))
    assert empty is not None and empty.listed == () and empty.rows_within == frozenset()
    with pytest.raises(UnsafeXml):
        strays(sheet_xml('<row r="1"><c r="1A"><v>1</v></c></row>'))
