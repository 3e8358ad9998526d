"""Parsing a sheet's cells by what the schema says each column holds.

Every cell is parsed by its column's kind (theme, priority, timescale, leads, yes/no, text)
against the names the coordinator's workbook gives (a Vocabulary). A row with an error is
rejected and each error reported at its cell; nothing is dropped silently. Used for the
coordinator's sheets and the returns alike.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import pandas as pd

from plangen.inputs.checks import cell_problems
from plangen.inputs.months import parse_month, parse_timescale
from plangen.inputs.read import Settings, Table
from plangen.inputs.references import parse_reference
from plangen.inputs.schema import Column, Kind, Sheet
from plangen.inputs.values import (
    clean_text,
    is_blank,
    match_key,
    parse_carry,
    parse_yes_no,
    split_leads,
)
from plangen.model import CellRef
from plangen.problems import Collector, Problem
from plangen.text import did_you_mean


@dataclass(frozen=True)
class Vocabulary:
    """The names the returns must use, from the coordinator's workbook."""

    themes: Mapping[str, str] = field(default_factory=dict)  # match key -> name
    priorities: Mapping[str, str] = field(default_factory=dict)
    partners: Mapping[str, str] = field(default_factory=dict)  # lead key -> partner name
    partner_order: Mapping[str, int] = field(default_factory=dict)  # partner name -> position


Parser = Callable[[Any], Any]


def parser(column: Column, vocabulary: Vocabulary) -> tuple[Parser, str]:
    """How to parse a column's cells, and the fix to offer when a cell does not parse."""
    def named(names: Mapping[str, str], what: str, where: str) -> Parser:
        def parse(value: Any) -> str:
            text = clean_text(value)
            name = names.get(match_key(text))
            if name is None and not names:
                raise ValueError(f'"{text}" cannot be checked, because plan.xlsx lists none of '
                                 f"the {what} (see {where})")
            if name is None:
                hint = did_you_mean(text, names.values())
                raise ValueError(f'"{text}" is not one of the {what}'
                                 + (f" — did you mean {hint}?" if hint else ""))
            return name
        return parse

    known = set(vocabulary.partners)
    names_in: dict[str, tuple[tuple[str, str], ...]] = {}  # see split_leads
    parsers: dict[Kind, Parser] = {
        Kind.TEXT: clean_text,
        Kind.THEME: named(vocabulary.themes, "plan's themes", "the Themes sheet"),
        Kind.PRIORITY: named(vocabulary.priorities, "plan's priorities", "the Priorities sheet"),
        Kind.TIMESCALE: parse_timescale,
        Kind.MONTH: parse_month,
        Kind.YES_NO: parse_yes_no,
        Kind.LEADS: lambda value: split_leads(value, known, names_in),
        Kind.REFERENCE: parse_reference,
        Kind.CARRY: parse_carry,
    }
    fixes = {
        Kind.THEME: "Pick one from the list, or ask the coordinator to add it to the Themes "
                    "sheet.",
        Kind.PRIORITY: "Pick one from the list, or ask the coordinator to add it to the "
                       "Priorities sheet.",
        Kind.TIMESCALE: 'Write "Ongoing" or the month it will be done by, e.g. "March 2019".',
        Kind.MONTH: 'Write a month and year, e.g. "March 2019".',
        Kind.YES_NO: 'Write "Yes", or leave it empty for no.',
        Kind.REFERENCE: "Give the reference as your pre-filled return had it (e.g. CS-03), or "
                        "leave it empty for a new action.",
        Kind.CARRY: "Pick one from the list, or leave it empty for a new action.",
    }
    return parsers[column.kind], fixes.get(column.kind, "")


def check_table(table: Table, spec: Sheet, vocabulary: Vocabulary,
                found: Collector) -> tuple[pd.DataFrame, set[int]]:
    """Parse every cell; return the clean frame and the Excel rows that have errors.

    Rows the reader flagged (formulas without values, merged cells) are rejected without a
    second message; so is every row of a table missing a required column, which the reader
    reported at the header.
    """
    clean, rejected = check_columns(table, spec, vocabulary, found)
    return pd.DataFrame(clean), rejected


#: A value's parse and the warnings cell_problems has about it, placed at NOWHERE: they depend
#: on the value alone, so they are worked out once and moved to each cell that holds it.
_Parsed = tuple[Any, tuple[Problem, ...]]
NOWHERE = CellRef("")


@dataclass(frozen=True)
class _Parsing:
    """How one column's cells are parsed, and each distinct value that parsed (see _Parsed)."""

    parse: Parser
    fix: str
    known: dict[Any, _Parsed] = field(default_factory=dict)


#: Parsings shared by the tables of one check, by (sheet, column): sixty returns write the same
#: themes, months and leads over and over.
ParseCache = dict[tuple[str, str], _Parsing]


def check_columns(table: Table, spec: Sheet, vocabulary: Vocabulary, found: Collector,
                  caches: ParseCache | None = None) -> tuple[dict[str, list[Any]], set[int]]:
    """check_table's work, as lists: "row", then each schema column in order.

    A cell reference is made only for a cell with something to report; `caches`, when given,
    keeps the parse of each distinct value of a column for the next table of the same sheet.
    """
    cells = table.columns
    rows: list[int] = cells["row"]
    clean: dict[str, list[Any]] = {"row": rows}
    rejected: set[int] = {row for row in rows if row in table.flagged}
    if any(column.required and column.key not in cells for column in spec.columns):
        rejected.update(rows)
    for column in spec.columns:
        if column.key not in cells:
            continue
        parsing = caches.get((spec.name, column.key)) if caches is not None else None
        if parsing is None:
            parsing = _Parsing(*parser(column, vocabulary))
            if caches is not None:
                caches[(spec.name, column.key)] = parsing
        clean[column.key] = _column(table, column, parsing, vocabulary.partners, found,
                                    rejected)
    for column in spec.columns:
        if column.key not in clean:
            clean[column.key] = [None] * len(rows)
    return clean, rejected


def _column(table: Table, column: Column, parsing: _Parsing, partners: Mapping[str, str],
            found: Collector, rejected: set[int]) -> list[Any]:
    """One column's clean values, row by row; the rows with an error are added to `rejected`."""
    key, kind, text = column.key, column.kind, column.kind is Kind.TEXT
    flagged = {row for row, keys in table.flagged.items() if key in keys}
    known = parsing.known
    values: list[Any] = []
    for value, row in zip(table.columns[key], table.columns["row"], strict=True):
        if flagged and row in flagged:
            values.append(None)
            continue
        # Text of nothing but control characters is as empty as a blank cell.
        parsed = clean_text(value) if text else None
        if (not parsed) if text else is_blank(value):
            if column.required:
                found.error(table.ref(key, row), f'"{column.header}" is empty',
                            f"Fill it in: {column.help}", "empty-cell")
                rejected.add(row)
            values.append("" if text else None)
            continue
        if text:  # texts rarely repeat, so they are not cached
            warnings: Sequence[Problem] = cell_problems(column, value, parsed, NOWHERE, partners)
        else:
            cache_key = (type(value), value)
            seen = known.get(cache_key)
            if seen is None:
                try:
                    parsed = parsing.parse(value)
                except ValueError as error:
                    found.error(table.ref(key, row), str(error), parsing.fix,
                                f"bad-{kind.value}")
                    rejected.add(row)
                    values.append(None)
                    continue
                seen = known[cache_key] = (parsed, tuple(  # only leads have warnings
                    cell_problems(column, value, parsed, NOWHERE, partners)
                    if kind is Kind.LEADS else ()))
            parsed, warnings = seen
        if warnings:
            where = table.ref(key, row)
            found.extend(replace(problem, where=where) for problem in warnings)
        values.append(parsed)
    return values


def settings_filled(settings: Settings, spec: Sheet, found: Collector) -> bool:
    """Whether every required setting is filled in; each that is missing or empty is reported
    (one whose cell the reader reported as unreadable is not reported again)."""
    filled = True
    for column in spec.columns:
        if column.key in settings.flagged or not column.required:
            continue
        if not is_blank(settings.values.get(column.key)):
            continue
        filled = False
        if column.key in settings.refs:
            found.error(settings.ref(column.key), f'the setting "{column.header}" is empty',
                        f"Give {column.help[0].lower()}{column.help[1:]} "
                        f"For example: {column.example}", "missing-setting")
        else:
            found.error(settings.ref(column.key), f'the setting "{column.header}" is missing',
                        f'Add a row with "{column.header}" in column A and its value in '
                        f"column B, e.g. {column.example}.", "missing-setting")
    return filled
