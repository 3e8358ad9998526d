"""Writing untrusted text into spreadsheet cells: as text, never as a formula.

The returns report and actions.csv (outputs) and the blank returns (an input partners fill
in) put partner-typed text into cells, so the rule lives here, beside neither stage: a value
Excel would run as a formula (starting with = + - @, tab or CR) is stored as text with Excel's
quote prefix (in a CSV, a leading apostrophe), characters XML forbids are replaced, and text is
cut to what a cell holds.
"""

from __future__ import annotations

import re

from openpyxl.cell.cell import Cell

#: Leading characters that make a spreadsheet treat text as a formula (OWASP: CSV injection).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n", "\0")
#: The most characters an Excel cell holds.
MAX_CELL_CHARS = 32_767
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


def safe_text(value: str) -> str:
    """Text fit for a cell: XML-forbidden characters replaced, cut to Excel's limit."""
    text = _ILLEGAL.sub("\ufffd", value)
    return text if len(text) <= MAX_CELL_CHARS else text[:MAX_CELL_CHARS - 1] + "…"


def needs_quote(value: str, text: str) -> bool:
    """Whether a cell holding `text` (safe_text of `value`) needs Excel's quote prefix."""
    return value.startswith(FORMULA_TRIGGERS) or text.startswith(FORMULA_TRIGGERS)


def put_text(cell: Cell, value: str) -> None:
    """Store value in cell as text, never as a formula (OWASP ASVS 1.2.10): partner text that
    starts with = + - @ or a control character stays text when the workbook is opened."""
    text = safe_text(value)
    cell.value = text
    cell.data_type = "s"  # openpyxl would otherwise store "=…" as a formula
    if needs_quote(value, text):
        cell.quotePrefix = True  # Excel shows it as text and keeps it text when edited


def csv_text(value: str) -> str:
    """Text fit for a CSV cell a spreadsheet will open: as safe_text, and with a leading
    apostrophe when it would otherwise run as a formula (OWASP: CSV injection); the
    apostrophe is the one sign a reader sees that the text was guarded."""
    text = safe_text(value)
    return f"'{text}" if needs_quote(value, text) else text
