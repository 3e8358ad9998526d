"""The returns report's cells, written as XML by plangen rather than cell by cell by openpyxl,
read back as openpyxl itself would have stored them: any text, numbers, blanks, styles."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from plangen.inputs.merge import Ledger, RowFate
from plangen.model import CellRef
from plangen.office.cells import FORMULA_TRIGGERS, MAX_CELL_CHARS
from plangen.outputs.report import WRAP_WIDTH, report_workbook
from plangen.problems import Problem, Severity

TEXTS = [
    "Patrol the parks.", "  spaces at both ends  ", "line\r\nbreaks\rand\nfeeds", "a\ttab",
    '<b>&amp; "quoted" \'single\'</b> ]]>', "emoji 😀 and é", "next\x85line \u2028 separator",
    "bell\x07 and null\x00 inside", "=1+1", "+44 7700", "-2", "@SUM(A1:A9)", "\tindented",
    "\rreturn first", "#N/A", "", "x" * (MAX_CELL_CHARS + 10), "\u00a0no-break\u00a0",
    "The quick brown fox jumps over the lazy dog " * 6,
]
WIDTHS = {"File": 32, "Partner": 20, "Sheet": 13, "Row": 6, "Text": 70, "Fate": 9,
          "Reference": 10, "Merged into, or why (rejected or dropped)": 60}


def expected_text(value: str) -> str | None:
    """What a cell holding value reads back as: XML-forbidden characters replaced, cut to
    Excel's limit, nothing for empty text."""
    text = "".join("\ufffd" if ord(ch) < 32 and ch not in "\t\n\r" else ch for ch in value)
    if len(text) > MAX_CELL_CHARS:
        text = text[:MAX_CELL_CHARS - 1] + "…"
    return text or None


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[RowFate]]:
    fates = [RowFate(f"returns/{number}.xlsx", "Police", "Actions", number + 2, text,
                     "rejected" if number % 2 else "placed",
                     reasons=(text, "and another") if number % 2 else (),
                     reference="" if number % 2 else f"CS-{number:02d}")
             for number, text in enumerate(TEXTS)]
    ledger = [Ledger("returns/0.xlsx", "Police", 3, 2, 0, 1)]
    problems = [Problem(CellRef("plan.xlsx", "Themes", "A2"), "=HYPERLINK(\"x\")", "  fix  ",
                        Severity.WARNING, "bad-theme"),
                Problem(CellRef("returns/gone.xlsx"), "the file is missing", "", Severity.ERROR,
                        "missing-file")]
    path = tmp_path_factory.mktemp("report") / "returns-report.xlsx"
    report_workbook(ledger, problems, fates).save(path)
    return path, fates


def test_every_rows_cell_reads_back_as_written_with_its_style(
        report: tuple[Path, list[RowFate]]) -> None:
    path, fates = report
    sheet = load_workbook(path)["Rows"]
    headers = [cell.value for cell in sheet[1]]
    assert headers == list(WIDTHS)
    assert sheet.max_row == len(fates) + 1
    for fate, row in zip(fates, sheet.iter_rows(min_row=2), strict=True):
        values: list[Any] = [fate.file, fate.partner, fate.sheet, fate.row, fate.text,
                             fate.fate, fate.reference, "; ".join(fate.reasons)]
        lines = 1
        for header, value, cell in zip(headers, values, row, strict=True):
            where = f"Rows!{cell.coordinate}"
            if isinstance(value, str):
                assert cell.value == expected_text(value), where
                assert cell.data_type == "s" or cell.value is None, where
                assert cell.quotePrefix == value.startswith(FORMULA_TRIGGERS), where
            else:
                assert (cell.value, cell.data_type) == (value, "n"), where
                assert not cell.quotePrefix
            width = WIDTHS[header]
            assert cell.alignment.vertical == "top", where
            assert bool(cell.alignment.wrap_text) == (width >= WRAP_WIDTH), where
            assert not cell.font.bold and cell.fill.fill_type is None, where
            if width >= WRAP_WIDTH:
                lines = max(lines, math.ceil(len(value) / int(width * 1.1)))
        height = sheet.row_dimensions[row[0].row].height
        assert height == (15 * min(lines, 20) if lines > 1 else None), row[0].row


def test_headers_layout_and_blank_cells_read_back(report: tuple[Path, list[RowFate]]) -> None:
    path, _ = report
    book = load_workbook(path)
    assert book.sheetnames == ["Summary", "Problems", "Rows"]
    for sheet in book.worksheets:
        assert sheet.freeze_panes == "A2"
        assert sheet.auto_filter.ref == f"A1:{sheet.cell(1, sheet.max_column).column_letter}" \
            f"{sheet.max_row}"
        assert sheet.print_title_rows == "$1:$1"
        assert sheet.page_setup.orientation == "landscape"
        for cell in sheet[1]:
            assert cell.font.bold and cell.fill.fgColor.rgb == "00DDE4EE", cell.coordinate
    summary = [[cell.value for cell in row] for row in book["Summary"].iter_rows(min_row=2)]
    assert summary == [["Police", "returns/0.xlsx", 3, 2, 0, 1, 0, 0],
                       ["(coordinator)", "plan.xlsx", None, None, None, None, 0, 1],
                       ["(not read)", "returns/gone.xlsx", None, None, None, None, 1, 0],
                       ["All files", None, 3, 2, 0, 1, 1, 1]]
    last = book["Summary"][book["Summary"].max_row]
    assert all(cell.font.bold and cell.alignment.vertical == "top" for cell in last)
    blank = book["Summary"]["C3"]  # no value, but styled like its column
    assert blank.value is None and blank.has_style and blank.alignment.vertical == "top"
    problems = book["Problems"]
    assert problems["E2"].value == "=HYPERLINK(\"x\")" and problems["E2"].quotePrefix
    assert problems["F2"].value == "  fix  "


def test_every_row_is_there_for_a_reader_that_goes_by_the_sheets_dimension(
        report: tuple[Path, list[RowFate]]) -> None:
    path, fates = report
    book = load_workbook(path, read_only=True)
    rows = list(book["Rows"].values)
    assert len(rows) == len(fates) + 1
    assert rows[-1][:4] == (fates[-1].file, "Police", "Actions", fates[-1].row)
    book.close()


def test_text_xml_cannot_hold_is_refused_when_the_report_is_saved(tmp_path: Path) -> None:
    """As openpyxl's own writer refuses it: lxml will not write U+FFFE into XML."""
    fate = RowFate("returns/a.xlsx", "Police", "Actions", 2, "not\ufffea character", "placed")
    report = report_workbook([], [], [fate])
    with pytest.raises(ValueError, match="XML compatible"):
        report.save(tmp_path / "report.xlsx")
