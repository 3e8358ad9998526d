"""The returns report: what became of every partner's rows, and every problem with its cell.

Written beside the plan on every build, as an Excel workbook the analyst can filter and send
from: a Summary (per return: rows read, placed, merged as duplicates, rejected), the Problems
(file, sheet, cell, severity, message, fix) and the Rows (each row's fate). Partner text is
untrusted: a value that Excel would run as a formula (starting with = + - @, tab or CR) is
stored as text with Excel's quote prefix, and characters XML forbids are replaced.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from copy import copy
from dataclasses import dataclass
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from plangen.merge import Ledger, RowFate
from plangen.problems import Problem, sort_problems

#: The report's name beside the plan, unless another path is given.
REPORT_NAME = "returns-report.xlsx"
#: Leading characters that make a spreadsheet treat text as a formula (OWASP: CSV injection).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n", "\0")
#: The most characters an Excel cell holds.
MAX_CELL_CHARS = 32_767
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")
#: Columns at least this wide wrap their text.
WRAP_WIDTH = 50
_HEADER_FILL = PatternFill("solid", fgColor="DDE4EE")


@dataclass(frozen=True)
class Totals:
    read: int
    placed: int
    merged: int
    rejected: int

    @classmethod
    def of(cls, ledger: Iterable[Ledger]) -> Totals:
        entries = list(ledger)
        return cls(sum(e.read for e in entries), sum(e.placed for e in entries),
                   sum(e.merged for e in entries), sum(e.rejected for e in entries))


def safe_text(value: str) -> str:
    """Text fit for a cell: XML-forbidden characters replaced, cut to Excel's limit."""
    text = _ILLEGAL.sub("\ufffd", value)
    return text if len(text) <= MAX_CELL_CHARS else text[:MAX_CELL_CHARS - 1] + "…"


def put(sheet: Worksheet, row: int, column: int, value: Any) -> Cell:
    """Write one value; text is always stored as text, never as a formula."""
    cell: Cell = sheet.cell(row=row, column=column)
    if isinstance(value, str):
        put_text(cell, value)
    else:
        cell.value = value
    return cell


def put_text(cell: Cell, value: str) -> None:
    """Store value in cell as text, never as a formula (OWASP ASVS 1.2.10): partner text that
    starts with = + - @ or a control character stays text when the workbook is opened."""
    text = safe_text(value)
    cell.value = text
    cell.data_type = "s"  # openpyxl would otherwise store "=…" as a formula
    if value.startswith(FORMULA_TRIGGERS) or text.startswith(FORMULA_TRIGGERS):
        cell.quotePrefix = True  # Excel shows it as text and keeps it text when edited


def _table(sheet: Worksheet, headers: Sequence[str], rows: Iterable[Sequence[Any]],
           widths: Sequence[int]) -> None:
    for column, (header, width) in enumerate(zip(headers, widths, strict=True), start=1):
        cell = put(sheet, 1, column, header)
        cell.font = Font(bold=True)
        cell.fill = _HEADER_FILL
        sheet.column_dimensions[get_column_letter(column)].width = width
    alignments = [Alignment(wrap_text=True, vertical="top") if width >= WRAP_WIDTH
                  else Alignment(vertical="top") for width in widths]
    # Each column's style is made once and copied to its other cells: openpyxl looks every
    # newly set style up in the workbook's list, which took most of the time at 3,000 rows.
    styles: list[Any] = [None] * len(widths)
    count = 1
    for count, values in enumerate(rows, start=2):
        lines = 1
        for column, value in enumerate(values, start=1):
            cell = put(sheet, count, column, value)
            width = widths[column - 1]
            if width >= WRAP_WIDTH:
                lines = max(lines, -(-len(str(value or "")) // int(width * 1.1)))
            if cell.quotePrefix or styles[column - 1] is None:
                cell.alignment = alignments[column - 1]
                if not cell.quotePrefix:
                    styles[column - 1] = copy(cell._style)
            else:
                cell._style = copy(styles[column - 1])
        if lines > 1:  # set, as not every spreadsheet fits wrapped rows on opening
            sheet.row_dimensions[count].height = 15 * min(lines, 20)
    sheet.freeze_panes = "A2"
    sheet.print_title_rows = "1:1"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{max(count, 1)}"


def report_workbook(ledger: Sequence[Ledger], problems: Iterable[Problem],
                    fates: Sequence[RowFate]) -> Workbook:
    """The report as an openpyxl workbook, complete before anything is written."""
    problems = sort_problems(problems)
    errors = Counter(p.where.file for p in problems if p.is_error)
    warnings = Counter(p.where.file for p in problems if not p.is_error)
    book = Workbook()
    summary = book.active
    summary.title = "Summary"
    totals = Totals.of(ledger)
    # Files with problems but no rows counted: the coordinator's workbook, unread returns.
    unread = [file for file in dict.fromkeys(p.where.file for p in problems)
              if file not in {entry.file for entry in ledger}]
    _table(summary, ("Partner", "File", "Rows read", "Placed", "Merged as duplicates",
                     "Rejected", "Errors", "Warnings"),
           [*((entry.partner, entry.file, entry.read, entry.placed, entry.merged,
               entry.rejected, errors[entry.file], warnings[entry.file]) for entry in ledger),
            *(("(coordinator)" if file == "plan.xlsx" else "(not read)", file, None, None, None,
               None, errors[file], warnings[file]) for file in unread),
            ("All files", "", totals.read, totals.placed, totals.merged, totals.rejected,
             sum(p.is_error for p in problems), sum(not p.is_error for p in problems))],
           (24, 36, 11, 9, 21, 10, 8, 10))
    for cell in summary[summary.max_row]:
        cell.font = Font(bold=True)

    _table(book.create_sheet("Problems"),
           ("File", "Sheet", "Cell", "Severity", "What is wrong", "How to fix it", "Code"),
           ((p.where.file, p.where.sheet, p.where.cell, p.severity.value, p.message, p.fix,
             p.code) for p in problems),
           (32, 14, 7, 9, 70, 60, 22))

    _table(book.create_sheet("Rows"),
           ("File", "Partner", "Sheet", "Row", "Text", "Fate", "Merged into or why rejected"),
           ((f.file, f.partner, f.sheet, f.row, f.text, f.fate,
             str(f.into) if f.into is not None else "; ".join(f.reasons)) for f in fates),
           (32, 20, 13, 6, 70, 9, 60))
    return book

