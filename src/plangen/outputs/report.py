"""The returns report: what became of every partner's rows, and every problem with its cell.

Written beside the plan on every build, as an Excel workbook the analyst can filter and send
from: a Summary (per return: rows read, placed, merged as duplicates, rejected, and not read
when some were not), the Problems (file, sheet, cell, severity, message, fix) and the Rows (each
row's fate, and the reference of the action it is in). Partner text is untrusted, so it is
written by plangen.office.cells' rules: never as a formula.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from lxml import etree
from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.compat import safe_string
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from plangen.inputs.merge import Ledger, RowFate
from plangen.office.cells import needs_quote, put_text, safe_text
from plangen.office.namespaces import XML, clark
from plangen.problems import Problem, cell_of, sort_problems

#: The report's name beside the plan, unless another path is given.
REPORT_NAME = "returns-report.xlsx"
#: Columns at least this wide wrap their text.
WRAP_WIDTH = 50
_HEADER_FILL = PatternFill("solid", fgColor="DDE4EE")


@dataclass(frozen=True)
class Totals:
    read: int
    placed: int
    merged: int
    rejected: int
    not_read: int = 0
    closed: int = 0  # last year's actions completed or dropped

    @classmethod
    def of(cls, ledger: Iterable[Ledger]) -> Totals:
        entries = list(ledger)
        return cls(sum(e.read for e in entries), sum(e.placed for e in entries),
                   sum(e.merged for e in entries), sum(e.rejected for e in entries),
                   sum(e.not_read for e in entries), sum(e.closed for e in entries))


def _table(sheet: Worksheet, headers: Sequence[str], rows: Iterable[Sequence[Any]],
           widths: Sequence[int], bold_last: bool = False) -> _Rows:
    """Lay out a sheet and write its header row: bold and shaded, frozen above rows that can
    be filtered, each column as wide as given. Returns the data rows, to be written as the
    report is saved: wide columns wrap their text, and the last row is bold if asked."""
    for column, (header, width) in enumerate(zip(headers, widths, strict=True), start=1):
        cell = sheet.cell(row=1, column=column)
        put_text(cell, header)
        cell.font = Font(bold=True)
        cell.fill = _HEADER_FILL
        # Registered first, as openpyxl's writer did, so the styles keep their numbers.
        cell.style_id  # noqa: B018
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.freeze_panes = "A2"
    sheet.print_title_rows = "1:1"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    data = _Rows(sheet, widths)
    pending: Sequence[Any] | None = None
    for values in rows:
        if pending is not None:
            data.add(pending)
        pending = values
    if pending is not None:
        data.add(pending, bold=bold_last)
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{data.last}"
    return data


class _Rows:
    """A sheet's data rows, written as the XML of their <row> elements here, not by openpyxl.

    openpyxl makes a Cell object per cell, looks its style up in the workbook's list and
    writes it through lxml: some 40 µs a cell, seconds for 15,000 rows. These cells hold only
    text, numbers and nothing, in a few styles, so each style is registered with the
    workbook once (a Cell's style_id) and each cell is written as openpyxl's writer writes it
    (openpyxl.cell._writer.lxml_write_cell): text inline, numbers as openpyxl formats them.
    The XML is the same, element for element, and it is made when the report is saved, as
    openpyxl's was, so anything it refuses is refused at the same point.
    """

    def __init__(self, sheet: Worksheet, widths: Sequence[int]) -> None:
        self.sheet = sheet
        self.alignments = [Alignment(wrap_text=True, vertical="top") if width >= WRAP_WIDTH
                           else Alignment(vertical="top") for width in widths]
        # Characters a line of a wrapping column holds; None for a column that does not wrap.
        self.line = [int(width * 1.1) if width >= WRAP_WIDTH else None for width in widths]
        self.letters = [get_column_letter(column) for column in range(1, len(widths) + 1)]
        self.rows: list[tuple[Sequence[Any], bool]] = []  # each row's values, and if bold
        self.styles: dict[tuple[int, bool, bool], str] = {}

    @property
    def last(self) -> int:
        """The Excel row of the last row: 1 is the header, which openpyxl writes."""
        return len(self.rows) + 1

    def add(self, values: Sequence[Any], bold: bool = False) -> None:
        self.rows.append((values, bold))

    def xml(self) -> str:
        """The rows' XML, each style they use registered with the workbook."""
        xml = []
        for row, (values, bold) in enumerate(self.rows, start=2):
            lines = 1
            cells = []
            for index, value in enumerate(values):
                line = self.line[index]
                if line is not None:
                    lines = max(lines, -(-len(str(value or "")) // line))
                cells.append(self._cell(index, row, value, bold))
            # The height is set, as not every spreadsheet fits wrapped rows on opening.
            height = (f' ht="{safe_string(float(15 * min(lines, 20)))}" customHeight="1"'
                      if lines > 1 else "")
            xml.append(f'<row r="{row}"{height}>{"".join(cells)}</row>')
        return "".join(xml)

    def complete(self, sheet: str, rows: str) -> str:
        """A sheet's XML as openpyxl wrote it with the header row only, with the rows' XML
        added and its dimension (the cells' range, which readers such as openpyxl's
        read-only mode go by) grown to cover them."""
        header = f'<dimension ref="A1:{self.letters[-1]}1"/>'
        if sheet.count(header) != 1 or sheet.count("</sheetData>") != 1:
            raise ValueError("openpyxl wrote the report's sheet in an unexpected form")
        span = f"A1:{self.letters[-1]}{self.last}"
        return (sheet.replace(header, f'<dimension ref="{span}"/>')
                .replace("</sheetData>", rows + "</sheetData>"))

    def _cell(self, index: int, row: int, value: Any, bold: bool) -> str:
        where = f"{self.letters[index]}{row}"
        if isinstance(value, str):  # as put_text stores it
            text = safe_text(value)
            style = self._style(index, needs_quote(value, text), bold)
            if not text:
                return f'<c r="{where}" s="{style}" t="inlineStr"/>'
            return f'<c r="{where}" s="{style}" t="inlineStr"><is>{_text(text)}</is></c>'
        style = self._style(index, False, bold)
        if value is None:
            return f'<c r="{where}" s="{style}" t="n"/>'
        cell = Cell(self.sheet, row=row, column=index + 1, value=value)  # openpyxl's typing
        if cell.data_type not in ("n", "b"):
            raise TypeError(f"the returns report holds text and numbers, not {value!r}")
        return (f'<c r="{where}" s="{style}" t="{cell.data_type}">'
                f"<v>{safe_string(cell.value)}</v></c>")

    def _style(self, index: int, quote: bool, bold: bool) -> str:
        """The number of a column's style, quote-prefixed and bold as asked, in the workbook's
        list of cell styles (added to it the first time it is asked for)."""
        key = (index, quote, bold)
        if key not in self.styles:
            cell = Cell(self.sheet, row=1, column=1)
            cell.alignment = self.alignments[index]
            if quote:
                cell.quotePrefix = True
            if bold:
                cell.font = Font(bold=True)
            self.styles[key] = str(cell.style_id)
        return self.styles[key]


#: Text XML holds as it is, once &, <, > and CR are escaped. Anything else (U+FFFE, U+FFFF,
#: a lone surrogate) is left to lxml, which refuses it as openpyxl's writer did.
_XML_SPACE = clark(XML, "space")
_PLAIN = re.compile("[\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]*")


def _text(text: str) -> str:
    """The <t> element holding text, as lxml writes it (spaces at either end kept)."""
    space = ' xml:space="preserve"' if text != text.strip() else ""
    if _PLAIN.fullmatch(text):
        text = (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
                .replace("\r", "&#13;"))
        return f"<t{space}>{text}</t>"
    element = etree.Element("t", {_XML_SPACE: "preserve"} if space else {})
    element.text = text  # raises ValueError for what XML cannot hold, as openpyxl's did
    return str(etree.tostring(element, encoding="unicode"))


@dataclass(frozen=True)
class Report:
    """The returns report, complete, to be saved: an openpyxl workbook holding each sheet's
    layout and header row, and each sheet's data rows as XML (see _Rows), which `save` puts
    in the sheet's <sheetData> as openpyxl writes the package."""

    book: Workbook
    rows: Sequence[_Rows]  # in the order of the book's sheets

    def save(self, target: Path | str | IO[bytes]) -> None:
        """Write the report as an .xlsx to a path or a binary file."""
        rows = [data.xml() for data in self.rows]  # first: it registers the cells' styles
        skeleton = io.BytesIO()
        self.book.save(skeleton)
        parts = {sheet.path.lstrip("/"): (data, xml) for sheet, data, xml
                 in zip(self.book.worksheets, self.rows, rows, strict=True)}
        with zipfile.ZipFile(skeleton) as source, \
                zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as package:
            for member in source.infolist():
                content = source.read(member)
                if member.filename in parts:
                    data, xml = parts[member.filename]
                    content = data.complete(content.decode("utf-8"), xml).encode("utf-8")
                package.writestr(member, content, zipfile.ZIP_DEFLATED)


def report_workbook(ledger: Sequence[Ledger], problems: Iterable[Problem],
                    fates: Sequence[RowFate]) -> Report:
    """The report, complete before anything is written."""
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
    # "Not read" only when a return has filled rows that were not read, each with its problem.
    not_read = any(entry.not_read for entry in ledger)
    # "Completed or dropped" only when returns close last year's actions (plangen.inputs.carry).
    closed = any(entry.closed for entry in ledger)
    extra: tuple[Any, ...] = (*(("Completed or dropped",) if closed else ()),
                              *(("Not read",) if not_read else ()))

    def more(entry: Ledger | Totals | None) -> tuple[Any, ...]:
        return (*((entry.closed if entry else None,) if closed else ()),
                *((entry.not_read if entry else None,) if not_read else ()))

    rows = [_table(summary, ("Partner", "File", "Rows read", "Placed", "Merged as duplicates",
                             "Rejected", *extra, "Errors", "Warnings"),
                   [*((entry.partner, entry.file, entry.read, entry.placed, entry.merged,
                       entry.rejected, *more(entry), errors[entry.file], warnings[entry.file])
                      for entry in ledger),
                    *(("(coordinator)" if file == "plan.xlsx" else "(not read)", file, None,
                       None, None, None, *more(None), errors[file],
                       warnings[file]) for file in unread),
                    ("All files", "", totals.read, totals.placed, totals.merged,
                     totals.rejected, *more(totals),
                     sum(p.is_error for p in problems), sum(not p.is_error for p in problems))],
                   (24, 36, 11, 9, 21, 10, *((20,) if closed else ()), *((9,) if not_read else ()),
                    8, 10), bold_last=True)]
    rows.append(_table(
        book.create_sheet("Problems"),
        ("File", "Sheet", "Cell", "Severity", "What is wrong", "How to fix it", "Code"),
        ((cell_of(p).file, cell_of(p).sheet, cell_of(p).cell, p.severity.value, p.message,
          p.fix, p.code) for p in problems),
        (32, 14, 7, 9, 70, 60, 22)))
    rows.append(_table(
        book.create_sheet("Rows"),
        ("File", "Partner", "Sheet", "Row", "Text", "Fate", "Reference",
         "Merged into, or why (rejected or dropped)"),
        ((f.file, f.partner, f.sheet, f.row, f.text, f.fate, f.reference,
          str(f.into) if f.into is not None else "; ".join(f.reasons)) for f in fates),
        (32, 20, 13, 6, 70, 9, 10, 60)))
    return Report(book, tuple(rows))
