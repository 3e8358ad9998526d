"""Checking each partner's return: who it is from, its rows parsed against the coordinator's
lists, and how many were read and rejected.

Each return's clean rows, with their provenance, are gathered column by column and made into one
frame per sheet at the end (a frame per return, filtered and extended, cost a few milliseconds
each).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from plangen.inputs.columns import ParseCache, Vocabulary, check_columns, settings_filled
from plangen.inputs.read import Book, Table
from plangen.inputs.schema import ABOUT, ACTIONS, CURRENT_WORK, Sheet
from plangen.inputs.values import clean_text, is_blank, lead_key, match_key
from plangen.model import CellRef
from plangen.problems import Collector
from plangen.text import did_you_mean

#: The columns every clean return table carries besides its schema columns.
PROVENANCE = ("file", "partner", "partner_order", "sheet", "row")
#: The sheets of a return that hold rows, and the column that says which row each is.
_ROWS = ((ACTIONS, "action"), (CURRENT_WORK, "initiative"))

Letters = dict[tuple[str, str], Mapping[str, str]]  # (file, sheet) -> key -> column letter


@dataclass(frozen=True)
class ReturnCount:
    """How many rows one return had, before the merge decides where they go."""

    file: str
    partner: str
    read: int
    rejected: int


@dataclass(frozen=True)
class RejectedRow:
    """A return row left out of the plan because it has errors (reported at its cells)."""

    file: str
    partner: str
    sheet: str
    row: int
    text: str  # the action or initiative, so a reader knows which row it was


@dataclass(frozen=True)
class Returns:
    """Every return's clean rows, one frame per sheet, and what was read and rejected."""

    actions: pd.DataFrame
    current_work: pd.DataFrame
    counts: tuple[ReturnCount, ...]
    rejected: tuple[RejectedRow, ...]
    letters: Letters  # where each return's columns are

    def ref(self, file: str, sheet: str, key: str, row: int) -> CellRef:
        """The cell a return value came from."""
        return CellRef(file, sheet, f"{self.letters.get((file, sheet), {}).get(key, '')}{row}")


def check_returns(books: Sequence[Book], vocabulary: Vocabulary, found: Collector) -> Returns:
    """Check every return, in order, against the coordinator's lists."""
    gathered: dict[str, dict[str, list[Any]]] = {ACTIONS.name: {}, CURRENT_WORK.name: {}}
    caches: ParseCache = {}
    counts: list[ReturnCount] = []
    rejected_rows: list[RejectedRow] = []
    letters: Letters = {}
    sent_by: dict[str, str] = {}  # partner -> the first return from them
    for book in books:
        filled = book.settings is None or settings_filled(book.settings, ABOUT, found)
        partner = _return_partner(book, vocabulary, found)
        if partner in sent_by and book.settings is not None and "partner" in book.settings.refs:
            found.warning(book.settings.refs["partner"],
                          f"{sent_by[partner]} is from {partner} too, so both returns are read",
                          "If this return replaces the other, take the old one out of the "
                          "returns folder; if both are meant, ignore this.", "second-return")
        sent_by.setdefault(partner, book.file)
        order = vocabulary.partner_order.get(partner, len(vocabulary.partner_order))
        read = rejected_count = 0
        for spec, text_key in _ROWS:
            table = book.tables.get(spec.name)
            if table is None:
                continue
            clean, rejected = check_columns(table, spec, vocabulary, found, caches)
            letters[(book.file, table.sheet)] = table.letters
            read += len(clean["row"])
            rejected_count += len(rejected)
            rejected_rows.extend(_rejected_rows(table, text_key, rejected, partner))
            _gather(gathered[spec.name], clean, rejected, {
                "file": book.file, "partner": partner, "partner_order": order,
                "sheet": table.sheet})
        counts.append(ReturnCount(book.file, partner, read, rejected_count))
        if book.tables and not read and filled and not any(p.is_error for p in book.problems):
            found.warning(CellRef(book.file), "this return has no actions and no current work, "
                          "so nothing from it is in the plan", "Fill in the Actions sheet (and "
                          "Current work) and send it again, or remove it if it was sent by "
                          "mistake.", "empty-return")
    for spec, text_key in _ROWS:
        if gathered[spec.name]:  # the key the merge groups by, as the last column
            gathered[spec.name]["key"] = [match_key(text)
                                          for text in gathered[spec.name][text_key]]
    return Returns(_frame(gathered[ACTIONS.name], ACTIONS),
                   _frame(gathered[CURRENT_WORK.name], CURRENT_WORK), tuple(counts),
                   tuple(rejected_rows), letters)


def _return_partner(book: Book, vocabulary: Vocabulary, found: Collector) -> str:
    """The partner a return is from, as named on its About sheet."""
    fallback = book.path.stem
    settings = book.settings
    if settings is None or is_blank(settings.values.get("partner")):
        return fallback
    typed = clean_text(settings.values["partner"])
    name = vocabulary.partners.get(lead_key(typed))
    if name is None and vocabulary.partners:
        hint = did_you_mean(typed, vocabulary.partner_order)
        found.error(settings.refs["partner"],
                    f'"{typed}" is not in the coordinator\'s list of partners'
                    + (f" — did you mean {hint}?" if hint else ""),
                    "Write your organisation's name as the Partners sheet of plan.xlsx has it, "
                    "or ask the coordinator to add it.", "unknown-partner")
        return typed
    return name or typed


def _rejected_rows(table: Table, text_key: str, rejected: set[int],
                   partner: str) -> list[RejectedRow]:
    if not rejected:
        return []
    columns = table.columns
    texts = (dict(zip(columns["row"], columns[text_key], strict=True))
             if text_key in columns else {})
    return [RejectedRow(table.file, partner, table.sheet, row, clean_text(texts.get(row)))
            for row in sorted(rejected)]


def _gather(sink: dict[str, list[Any]], clean: Mapping[str, list[Any]], rejected: set[int],
            provenance: Mapping[str, Any]) -> None:
    """Add a table's rows without errors to sink, column by column, with their provenance."""
    keep = ([index for index, row in enumerate(clean["row"]) if row not in rejected]
            if rejected else None)
    kept = len(clean["row"]) if keep is None else len(keep)
    if not kept:
        return
    for column, values in clean.items():
        sink.setdefault(column, []).extend(
            values if keep is None else [values[index] for index in keep])
    for column, value in provenance.items():
        sink.setdefault(column, []).extend([value] * kept)


def _frame(columns: Mapping[str, list[Any]], spec: Sheet) -> pd.DataFrame:
    if not columns:
        return pd.DataFrame(columns=[*(c.key for c in spec.columns), *PROVENANCE])
    return pd.DataFrame(columns)
