"""Checking the coordinator's workbook: the plan's settings, its sheets, and the names the
returns must use (themes, priorities, partners: the Vocabulary)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from plangen.inputs.checks import plan_texts
from plangen.inputs.columns import Vocabulary, check_table, parser, settings_filled
from plangen.inputs.read import Book, Settings
from plangen.inputs.references import check_codes
from plangen.inputs.schema import (
    AIMS,
    COMMITMENTS,
    GLOSSARY,
    PARTNERS,
    PRIORITIES,
    SETTINGS,
    SOURCES,
    STATISTICS,
    THEMES,
    Sheet,
)
from plangen.inputs.values import clean_text, is_blank, lead_key, match_key, split_leads
from plangen.model import CellRef, Period
from plangen.problems import Collector, Severity

Texts = list[tuple[CellRef | None, str]]  # wording with its cell, for the glossary's checks


@dataclass(frozen=True)
class Coordinator:
    """The coordinator's workbook, checked: clean sheets, rows with errors left out."""

    settings: Mapping[str, Any]
    period: Period | None
    sources: pd.DataFrame
    priorities: pd.DataFrame
    statistics: pd.DataFrame
    aims: pd.DataFrame
    commitments: pd.DataFrame
    themes: pd.DataFrame
    glossary: pd.DataFrame
    partners: pd.DataFrame
    vocabulary: Vocabulary
    texts: Texts = field(default_factory=list)  # the plan's own wording


def check_coordinator(book: Book, found: Collector) -> Coordinator:
    """Check the settings, then the lists the other sheets and the returns are checked
    against, then the other sheets."""
    settings, period = _check_settings(book.settings, found)
    texts: Texts = []
    if book.settings is not None:
        texts.extend((book.settings.refs[key], clean_text(value))
                     for key, value in settings.items() if isinstance(value, str))
    empty = Vocabulary()
    priorities = _unique(_sheet(book, PRIORITIES, empty, found), book, PRIORITIES, "priority",
                         found)
    themes = _unique(_sheet(book, THEMES, empty, found), book, THEMES, "theme", found)
    partners = _unique(_sheet(book, PARTNERS, empty, found), book, PARTNERS, "partner", found)
    vocabulary = _vocabulary(priorities, themes, partners, book, found)
    _senders(partners, book, found)
    sources = _sheet(book, SOURCES, vocabulary, found)
    statistics = _sheet(book, STATISTICS, vocabulary, found)
    aims = _sheet(book, AIMS, vocabulary, found)
    commitments = _sheet(book, COMMITMENTS, vocabulary, found)
    glossary = _unique(_sheet(book, GLOSSARY, vocabulary, found), book, GLOSSARY, "term", found,
                       Severity.WARNING)
    if "priorities" in themes and not themes.empty:
        themes["priorities"] = themes["priorities"].fillna("")
    themes = check_codes(themes, lambda key, row: book.tables[THEMES.name].ref(key, row), found)
    if "title" in priorities and not priorities.empty:
        priorities["title"] = [title or name for title, name in
                               zip(priorities["title"].fillna(""), priorities["priority"],
                                   strict=True)]
    for frame, spec, keys in ((sources, SOURCES, ("source",)),
                              (priorities, PRIORITIES, ("priority", "title")),
                              (statistics, STATISTICS, ("statistic", "fact")),
                              (aims, AIMS, ("aim",)),
                              (commitments, COMMITMENTS, ("commitment",)),
                              (themes, THEMES, ("theme", "priorities")),
                              (glossary, GLOSSARY, ("meaning",))):
        table = book.tables.get(spec.name)
        if table is not None:
            texts.extend(plan_texts(frame, keys, table.ref))
    return Coordinator(settings, period, sources, priorities, statistics, aims, commitments,
                       themes, glossary, partners, vocabulary, texts)


#: What a sheet that needs rows is missing, and what to fill in next, for a workbook as
#: `plangen new` writes it (headings only).
_FILL_IN: Mapping[str, tuple[str, str]] = {
    SOURCES.name: ("sources", f"Add at least one source on the {SOURCES.name} sheet, from A2 "
                   "down: the assessments and profiles the plan's evidence comes from, which "
                   "its introduction names."),
    PRIORITIES.name: ("priorities", f"Add at least one priority on the {PRIORITIES.name} "
                      "sheet, from A2 down: each gets a page in the plan, and partners pick "
                      "one for the work they already do."),
    THEMES.name: ("themes", f"Add at least one theme on the {THEMES.name} sheet, from A2 down: "
                  "each gets a table in the action plan, and partners pick one for each "
                  "action."),
    PARTNERS.name: ("partners", f"Add the partners who lead actions on the {PARTNERS.name} "
                    'sheet, from A2 down, with "Yes" under "Sends a return" for each that '
                    "sends one: plangen returns writes a blank return for each of them."),
}


def _sheet(book: Book, spec: Sheet, vocabulary: Vocabulary, found: Collector) -> pd.DataFrame:
    """A sheet's clean rows (none if the sheet is missing, which the reader reported)."""
    table = book.tables.get(spec.name)
    if table is None:
        return pd.DataFrame(columns=[*(c.key for c in spec.columns), "row"])
    frame, rejected = check_table(table, spec, vocabulary, found)
    if spec.needs_rows and frame.empty:
        what, fix = _FILL_IN.get(spec.name, ("rows", f"Fill it in: {spec.purpose}"))
        found.error(CellRef(table.file, table.sheet, "A2"),
                    f"there are no {what} yet", fix, "empty-sheet")
    if not rejected:  # the frame as it is (filtering it cost a millisecond a sheet)
        return frame
    return frame[~frame["row"].isin(rejected)].reset_index(drop=True)


def _senders(partners: pd.DataFrame, book: Book, found: Collector) -> None:
    """A warning when partners are listed but none is marked to send a return: then no blank
    return can be written, and no return is expected."""
    if partners.empty or ("sends_return" in partners and partners["sends_return"].any()):
        return
    table = book.tables[PARTNERS.name]
    column = PARTNERS.column("sends_return")
    cell = (table.ref("sends_return", int(partners["row"].iloc[0]))
            if "sends_return" in table.letters else CellRef(table.file, table.sheet, "A1"))
    found.warning(cell, f'no partner is marked "Yes" under "{column.header}", so no return is '
                  "expected from anyone", f'Write "Yes" under "{column.header}" for each '
                  "partner who sends a return: plangen returns writes a blank return for each "
                  "of them.", "no-senders")


def _check_settings(settings: Settings | None,
                    found: Collector) -> tuple[dict[str, Any], Period | None]:
    if settings is None:
        return {}, None
    settings_filled(settings, SETTINGS, found)
    values: dict[str, Any] = {}
    for column in SETTINGS.columns:
        raw = settings.values.get(column.key)
        if is_blank(raw):
            continue  # reported as missing if it is required
        parse, fix = parser(column, Vocabulary())
        try:
            values[column.key] = parse(raw)
        except ValueError as error:
            found.error(settings.refs[column.key], str(error), fix, f"bad-{column.kind.value}")
    start, end = values.get("period_start"), values.get("period_end")
    if start is None or end is None:
        return values, None
    if end < start:
        found.error(settings.refs["period_end"], f"the plan ends ({end:%B %Y}) before it "
                    f"starts ({start:%B %Y})", "Swap the two months, or correct the year.",
                    "bad-period")
        return values, None
    return values, Period(start, end)


def _unique(frame: pd.DataFrame, book: Book, spec: Sheet, key: str, found: Collector,
            severity: Severity = Severity.ERROR) -> pd.DataFrame:
    """Keep the first of rows naming the same thing twice, reporting the others."""
    if frame.empty:
        return frame
    names = frame[key].tolist()
    if len({match_key(name) for name in names}) == len(names):
        return frame  # nothing is listed twice, as is usual
    keys = frame[key].map(match_key)
    repeated = keys.duplicated()
    table = book.tables[spec.name]
    first_row = dict(zip(keys[~repeated], frame["row"][~repeated], strict=True))
    add = found.error if severity is Severity.ERROR else found.warning
    for name, row, folded in zip(frame[key][repeated], frame["row"][repeated], keys[repeated],
                                 strict=True):
        add(table.ref(key, row), f'"{name}" is listed twice',
            f"Delete this row or merge it with row {first_row[folded]}.", "duplicate-name")
    return frame[~repeated].reset_index(drop=True)


def _vocabulary(priorities: pd.DataFrame, themes: pd.DataFrame, partners: pd.DataFrame,
                book: Book, found: Collector) -> Vocabulary:
    partner_keys: dict[str, str] = {}
    order: dict[str, int] = {}
    if not partners.empty:
        other_names = partners["other_names"].fillna("") if "other_names" in partners else None
        for position, name in enumerate(partners["partner"]):
            order[name] = position
            partner_keys[lead_key(name)] = name
        if other_names is not None:
            table = book.tables[PARTNERS.name]
            for name, aliases, row in zip(partners["partner"], other_names, partners["row"],
                                          strict=True):
                for alias in split_leads(aliases):
                    owner = partner_keys.setdefault(lead_key(alias), name)
                    if owner != name:
                        found.warning(table.ref("other_names", row),
                                      f'"{alias}" is already a name for {owner}',
                                      "Give each other name to one partner only.",
                                      "ambiguous-lead")
    return Vocabulary(
        themes={match_key(name): name for name in themes.get("theme", [])},
        priorities={match_key(name): name for name in priorities.get("priority", [])},
        partners=partner_keys,
        partner_order=order,
    )
