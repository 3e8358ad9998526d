"""Checking the inputs: every problem at once, each at its cell, and clean tables for the merge.

Every cell is parsed by what the schema says it holds (theme, priority, timescale, leads, yes/no,
text). A return row with an error is rejected, and counted as such; nothing is dropped silently.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pandas as pd

from plangen.errors import MissingInputs
from plangen.inputs.checks import (
    before_period,
    cell_problems,
    glossary_problems,
    near_duplicates,
    plan_texts,
    return_texts,
)
from plangen.inputs.memory import collector_paused
from plangen.inputs.months import parse_month, parse_timescale
from plangen.inputs.read import Book, Inputs, Progress, Settings, Table, load_inputs
from plangen.inputs.schema import (
    ACTIONS,
    AIMS,
    COMMITMENTS,
    CURRENT_WORK,
    GLOSSARY,
    PARTNERS,
    PRIORITIES,
    SETTINGS,
    SOURCES,
    STATISTICS,
    THEMES,
    Column,
    Kind,
    Sheet,
)
from plangen.inputs.values import (
    clean_text,
    is_blank,
    lead_key,
    match_key,
    parse_yes_no,
    split_leads,
)
from plangen.model import CellRef, Period
from plangen.problems import Problem, Severity
from plangen.text import did_you_mean

#: The columns every clean return table carries besides its schema columns.
PROVENANCE = ("file", "partner", "partner_order", "sheet", "row")


@dataclass(frozen=True)
class Vocabulary:
    """The names the returns must use, from the coordinator's workbook."""

    themes: Mapping[str, str] = field(default_factory=dict)  # match key -> name
    priorities: Mapping[str, str] = field(default_factory=dict)
    partners: Mapping[str, str] = field(default_factory=dict)  # lead key -> partner name
    partner_order: Mapping[str, int] = field(default_factory=dict)  # partner name -> position


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
class Checked:
    """The inputs after validation: clean values only, each row with its provenance."""

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
    actions: pd.DataFrame
    current_work: pd.DataFrame
    counts: tuple[ReturnCount, ...]
    vocabulary: Vocabulary
    problems: tuple[Problem, ...]
    letters: Mapping[tuple[str, str], Mapping[str, str]]  # (file, sheet) -> key -> column
    rejected: tuple[RejectedRow, ...] = ()

    def ref(self, file: str, sheet: str, key: str, row: int) -> CellRef:
        """The cell a return value came from."""
        return CellRef(file, sheet, f"{self.letters.get((file, sheet), {}).get(key, '')}{row}")

    @property
    def errors(self) -> list[Problem]:
        return [problem for problem in self.problems if problem.is_error]


def validate(inputs_dir: Path, progress: Progress | None = None) -> Checked:
    """Read and check every input in a folder; the result carries every problem found."""
    if not inputs_dir.is_dir():
        raise MissingInputs(f"{inputs_dir}: the inputs folder does not exist")
    return check(load_inputs(inputs_dir, progress))


def check(inputs: Inputs) -> Checked:
    """Validate everything that was read and return the clean tables."""
    with collector_paused():
        return _check(inputs)


def _check(inputs: Inputs) -> Checked:
    problems: list[Problem] = list(inputs.all_problems)
    book = inputs.coordinator
    settings, period = _check_settings(book.settings, problems)
    texts: list[tuple[CellRef | None, str]] = []  # the plan's wording, for the glossary
    if book.settings is not None:
        texts.extend((book.settings.refs[key], clean_text(value))
                     for key, value in settings.items() if isinstance(value, str))

    def coordinator_table(spec: Sheet, vocabulary: Vocabulary) -> pd.DataFrame:
        table = book.tables.get(spec.name)
        if table is None:
            return _empty(spec)
        frame, rejected = check_table(table, spec, vocabulary, problems)
        if spec.needs_rows and frame.empty:
            problems.append(Problem(CellRef(table.file, table.sheet, "A2"),
                                    f'the sheet "{table.sheet}" has no rows',
                                    f"Fill it in: {spec.purpose}", code="empty-sheet"))
        if not rejected:  # the frame as it is (filtering it cost a millisecond a sheet)
            return frame
        return frame[~frame["row"].isin(rejected)].reset_index(drop=True)

    def words_of(frame: pd.DataFrame, spec: Sheet, *keys: str) -> None:
        table = book.tables.get(spec.name)
        if table is not None:
            texts.extend(plan_texts(frame, keys, table.ref))

    empty = Vocabulary()
    priorities = _unique(coordinator_table(PRIORITIES, empty), book, PRIORITIES, "priority",
                         problems)
    themes = _unique(coordinator_table(THEMES, empty), book, THEMES, "theme", problems)
    partners = _unique(coordinator_table(PARTNERS, empty), book, PARTNERS, "partner", problems)
    vocabulary = _vocabulary(priorities, themes, partners, book, problems)
    sources = coordinator_table(SOURCES, vocabulary)
    statistics = coordinator_table(STATISTICS, vocabulary)
    aims = coordinator_table(AIMS, vocabulary)
    commitments = coordinator_table(COMMITMENTS, vocabulary)
    glossary = _unique(coordinator_table(GLOSSARY, vocabulary), book, GLOSSARY, "term", problems,
                       Severity.WARNING)
    if "priorities" in themes and not themes.empty:
        themes["priorities"] = themes["priorities"].fillna("")
    if "title" in priorities and not priorities.empty:
        priorities["title"] = [title or name for title, name in
                               zip(priorities["title"].fillna(""), priorities["priority"],
                                   strict=True)]
    words_of(sources, SOURCES, "source")
    words_of(priorities, PRIORITIES, "priority", "title")
    words_of(statistics, STATISTICS, "statistic", "fact")
    words_of(aims, AIMS, "aim")
    words_of(commitments, COMMITMENTS, "commitment")
    words_of(themes, THEMES, "theme", "priorities")
    words_of(glossary, GLOSSARY, "meaning")

    # Each return's clean rows, with their provenance, are gathered column by column and made
    # into one frame per sheet at the end (a frame per return, filtered and extended, cost a
    # few milliseconds each).
    gathered: dict[str, dict[str, list[Any]]] = {ACTIONS.name: {}, CURRENT_WORK.name: {}}
    caches: ParseCache = {}
    counts: list[ReturnCount] = []
    rejected_rows: list[RejectedRow] = []
    letters: dict[tuple[str, str], Mapping[str, str]] = {}
    sent_by: dict[str, str] = {}  # partner -> the first return from them
    for book_ in inputs.returns:
        partner = _return_partner(book_, vocabulary, problems)
        if partner in sent_by and book_.settings is not None and "partner" in book_.settings.refs:
            problems.append(Problem(
                book_.settings.refs["partner"],
                f"{sent_by[partner]} is from {partner} too, so both returns are read",
                "If this return replaces the other, take the old one out of the returns "
                "folder; if both are meant, ignore this.", Severity.WARNING, "second-return"))
        sent_by.setdefault(partner, book_.file)
        order = vocabulary.partner_order.get(partner, len(vocabulary.partner_order))
        read = rejected_count = 0
        for spec, text_key in ((ACTIONS, "action"), (CURRENT_WORK, "initiative")):
            table = book_.tables.get(spec.name)
            if table is None:
                continue
            clean, rejected = check_columns(table, spec, vocabulary, problems, caches)
            letters[(book_.file, table.sheet)] = table.letters
            read += len(clean["row"])
            rejected_count += len(rejected)
            rejected_rows.extend(_rejected_rows(table, text_key, rejected, partner))
            _gather(gathered[spec.name], clean, rejected, {
                "file": book_.file, "partner": partner, "partner_order": order,
                "sheet": table.sheet})
        counts.append(ReturnCount(book_.file, partner, read, rejected_count))
        if book_.tables and not read and not any(p.is_error for p in book_.problems):
            problems.append(Problem(CellRef(book_.file), "this return has no actions and no "
                                    "current work, so nothing from it is in the plan",
                                    "Fill in the Actions sheet (and Current work) and send it "
                                    "again, or remove it if it was sent by mistake.",
                                    Severity.WARNING, "empty-return"))

    def ref(file: str, sheet: str, key: str, row: int) -> CellRef:
        return CellRef(file, sheet, f"{letters.get((file, sheet), {}).get(key, '')}{row}")

    for sheet_name, text_key in ((ACTIONS.name, "action"), (CURRENT_WORK.name, "initiative")):
        if gathered[sheet_name]:  # the key the merge groups by, as the last column
            gathered[sheet_name]["key"] = [match_key(text)
                                           for text in gathered[sheet_name][text_key]]
    action_frame = _frame(gathered[ACTIONS.name], ACTIONS)
    work_frame = _frame(gathered[CURRENT_WORK.name], CURRENT_WORK)
    if not action_frame.empty:
        action_frame, conflicting = _conflicting_timescales(action_frame, letters, problems)
        counts = [_reject_more(count, conflicting) for count in counts]
        rejected_rows.extend(conflicting)
        problems.extend(before_period(action_frame, period, ref))
        problems.extend(near_duplicates(action_frame, ref))
    for frame, keys in ((action_frame, ("action", "leads")), (work_frame, ("initiative",))):
        if not frame.empty:
            texts.extend(return_texts(frame, keys, ref))
    glossary_table = book.tables.get(GLOSSARY.name)
    if glossary_table is not None and "term" in glossary:
        terms = [(glossary_table.ref("term", row), term)
                 for term, row in zip(glossary["term"], glossary["row"], strict=True)]
        problems.extend(glossary_problems(texts, terms))
    _expected_returns(partners, counts, book, problems)
    _themes_without_actions(themes, action_frame, book, problems)

    return Checked(settings, period, sources, priorities, statistics, aims, commitments, themes,
                   glossary, partners, action_frame, work_frame, tuple(counts), vocabulary,
                   tuple(problems), letters, tuple(rejected_rows))


# --- Cells ------------------------------------------------------------------------------------

Parser = Callable[[Any], Any]


def _parser(column: Column, vocabulary: Vocabulary) -> tuple[Parser, str]:
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
    }
    fixes = {
        Kind.THEME: "Pick one from the list, or ask the coordinator to add it to the Themes "
                    "sheet.",
        Kind.PRIORITY: "Pick one from the list, or ask the coordinator to add it to the "
                       "Priorities sheet.",
        Kind.TIMESCALE: 'Write "Ongoing" or the month it will be done by, e.g. "March 2019".',
        Kind.MONTH: 'Write a month and year, e.g. "March 2019".',
        Kind.YES_NO: 'Write "Yes", or leave it empty for no.',
    }
    return parsers[column.kind], fixes.get(column.kind, "")


def check_table(table: Table, spec: Sheet, vocabulary: Vocabulary,
                problems: list[Problem]) -> tuple[pd.DataFrame, set[int]]:
    """Parse every cell; return the clean frame and the Excel rows that have errors.

    Rows the reader flagged (formulas without values, merged cells) are rejected without a
    second message; so is every row of a table missing a required column, which the reader
    reported at the header.
    """
    clean, rejected = check_columns(table, spec, vocabulary, problems)
    return pd.DataFrame(clean), rejected


#: Parsed values shared by the tables of one check, by (sheet, column): sixty returns write the
#: same themes, months and leads over and over. Each entry: the parser, its fix, and for each
#: value that parsed, its parse and the warnings about it (see _Parsed).
ParseCache = dict[tuple[str, str], tuple["Parser", str, dict[Any, "_Parsed"]]]
#: A value's parse and the warnings cell_problems has about it, placed at NOWHERE: they depend
#: on the value alone, so they are worked out once and moved to each cell that holds it.
_Parsed = tuple[Any, tuple[Problem, ...]]
NOWHERE = CellRef("")


def check_columns(table: Table, spec: Sheet, vocabulary: Vocabulary, problems: list[Problem],
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
    partners = vocabulary.partners
    for column in spec.columns:
        if column.key not in cells:
            continue
        key, kind, text = column.key, column.kind, column.kind is Kind.TEXT
        shared = caches.get((spec.name, key)) if caches is not None else None
        if shared is None:
            parse, fix = _parser(column, vocabulary)
            shared = (parse, fix, {})
            if caches is not None:
                caches[(spec.name, key)] = shared
        parse, fix, cache = shared
        flagged = {row for row, keys in table.flagged.items() if key in keys}
        values: list[Any] = []
        for value, row in zip(cells[key], rows, strict=True):
            if flagged and row in flagged:
                values.append(None)
                continue
            # Text of nothing but control characters is as empty as a blank cell.
            parsed = clean_text(value) if text else None
            if (not parsed) if text else is_blank(value):
                if column.required:
                    problems.append(Problem(table.ref(key, row), f'"{column.header}" is empty',
                                            f"Fill it in: {column.help}", code="empty-cell"))
                    rejected.add(row)
                values.append("" if text else None)
                continue
            if text:  # texts rarely repeat, so they are not cached
                found: Sequence[Problem] = cell_problems(column, value, parsed, NOWHERE,
                                                         partners)
            else:
                cache_key = (type(value), value)
                known = cache.get(cache_key)
                if known is None:
                    try:
                        parsed = parse(value)
                    except ValueError as error:
                        problems.append(Problem(table.ref(key, row), str(error), fix,
                                                code=f"bad-{kind.value}"))
                        rejected.add(row)
                        values.append(None)
                        continue
                    known = cache[cache_key] = (parsed, tuple(  # only leads have warnings
                        cell_problems(column, value, parsed, NOWHERE, partners)
                        if kind is Kind.LEADS else ()))
                parsed, found = known
            if found:
                where = table.ref(key, row)
                problems.extend(replace(problem, where=where) for problem in found)
            values.append(parsed)
        clean[key] = values
    for column in spec.columns:
        if column.key not in clean:
            clean[column.key] = [None] * len(rows)
    return clean, rejected


def _rejected_rows(table: Table, text_key: str, rejected: set[int],
                   partner: str) -> list[RejectedRow]:
    if not rejected:
        return []
    columns = table.columns
    texts = (dict(zip(columns["row"], columns[text_key], strict=True))
             if text_key in columns else {})
    return [RejectedRow(table.file, partner, table.sheet, row, clean_text(texts.get(row)))
            for row in sorted(rejected)]


def _empty(spec: Sheet) -> pd.DataFrame:
    return pd.DataFrame(columns=[*(c.key for c in spec.columns), "row"])


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


# --- The coordinator's workbook ----------------------------------------------------------------

def _check_settings(settings: Settings | None,
                    problems: list[Problem]) -> tuple[dict[str, Any], Period | None]:
    if settings is None:
        return {}, None
    values: dict[str, Any] = {}
    for column in SETTINGS.columns:
        raw = settings.values.get(column.key)
        if is_blank(raw):
            continue  # reported by the reader
        parse, fix = _parser(column, Vocabulary())
        try:
            values[column.key] = parse(raw)
        except ValueError as error:
            problems.append(Problem(settings.refs[column.key], str(error), fix,
                                    code=f"bad-{column.kind.value}"))
    start, end = values.get("period_start"), values.get("period_end")
    if start is None or end is None:
        return values, None
    if end < start:
        problems.append(Problem(settings.refs["period_end"], f"the plan ends ({end:%B %Y}) "
                                f"before it starts ({start:%B %Y})",
                                "Swap the two months, or correct the year.", code="bad-period"))
        return values, None
    return values, Period(start, end)


def _unique(frame: pd.DataFrame, book: Book, spec: Sheet, key: str, problems: list[Problem],
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
    for name, row, folded in zip(frame[key][repeated], frame["row"][repeated], keys[repeated],
                                 strict=True):
        problems.append(Problem(table.ref(key, row), f'"{name}" is listed twice',
                                f"Delete this row or merge it with row {first_row[folded]}.",
                                severity, "duplicate-name"))
    return frame[~repeated].reset_index(drop=True)


def _vocabulary(priorities: pd.DataFrame, themes: pd.DataFrame, partners: pd.DataFrame,
                book: Book, problems: list[Problem]) -> Vocabulary:
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
                        problems.append(Problem(
                            table.ref("other_names", row),
                            f'"{alias}" is already a name for {owner}',
                            "Give each other name to one partner only.", Severity.WARNING,
                            "ambiguous-lead"))
    return Vocabulary(
        themes={match_key(name): name for name in themes.get("theme", [])},
        priorities={match_key(name): name for name in priorities.get("priority", [])},
        partners=partner_keys,
        partner_order=order,
    )


# --- Returns ----------------------------------------------------------------------------------

def _return_partner(book: Book, vocabulary: Vocabulary, problems: list[Problem]) -> str:
    """The partner a return is from, as named on its About sheet."""
    fallback = book.path.stem
    settings = book.settings
    if settings is None or is_blank(settings.values.get("partner")):
        return fallback
    typed = clean_text(settings.values["partner"])
    name = vocabulary.partners.get(lead_key(typed))
    if name is None and vocabulary.partners:
        hint = did_you_mean(typed, vocabulary.partner_order)
        problems.append(Problem(settings.refs["partner"],
                                f'"{typed}" is not in the coordinator\'s list of partners'
                                + (f" — did you mean {hint}?" if hint else ""),
                                "Write your organisation's name as the Partners sheet of "
                                "plan.xlsx has it, or ask the coordinator to add it.",
                                code="unknown-partner"))
        return typed
    return name or typed


def _conflicting_timescales(
    actions: pd.DataFrame, letters: Mapping[tuple[str, str], Mapping[str, str]],
    problems: list[Problem],
) -> tuple[pd.DataFrame, list[RejectedRow]]:
    """The same action sent twice with different timescales: the later copies are errors.

    "Later" is in plan order (the Partners sheet's order, then file and row), the order the
    problems are reported in.
    """
    theme, key, timescale, file, sheet, row, partner, action, order = (
        actions[column].tolist() for column in
        ("theme", "key", "timescale", "file", "sheet", "row", "partner", "action",
         "partner_order"))
    conflicting: list[RejectedRow] = []
    if len(set(zip(theme, key, strict=True))) == len(theme):
        return actions, conflicting

    def cell(index: int) -> CellRef:
        return CellRef(file[index], sheet[index],
                       f"{letters[(file[index], sheet[index])].get('timescale', '')}{row[index]}")

    first: dict[tuple[str, str], int] = {}
    for index in sorted(range(len(theme)), key=lambda index: (order[index], file[index],
                                                               row[index])):
        earliest = first.setdefault((theme[index], key[index]), index)
        if timescale[index] == timescale[earliest]:
            continue
        problems.append(Problem(
            cell(index),
            f"the same action is in {cell(earliest)} with the timescale "
            f"{timescale[earliest]}, but here it is {timescale[index]}",
            f"Agree one timescale with {partner[earliest]} and use it in both returns.",
            code="conflicting-timescale"))
        conflicting.append(RejectedRow(file[index], partner[index], sheet[index], row[index],
                                       action[index]))
    if not conflicting:
        return actions, conflicting
    dropped = {(rejected.file, rejected.row) for rejected in conflicting}
    keep = [(file_, row_) not in dropped for file_, row_ in zip(file, row, strict=True)]
    return actions[keep].reset_index(drop=True), conflicting


def _reject_more(count: ReturnCount, rejected: Sequence[RejectedRow]) -> ReturnCount:
    extra = sum(1 for row in rejected if row.file == count.file)
    if not extra:
        return count
    return ReturnCount(count.file, count.partner, count.read, count.rejected + extra)


def _expected_returns(partners: pd.DataFrame, counts: Sequence[ReturnCount], book: Book,
                      problems: list[Problem]) -> None:
    if partners.empty or "sends_return" not in partners:
        return
    sent = {count.partner for count in counts}
    table = book.tables[PARTNERS.name]
    for name, expected, row in zip(partners["partner"], partners["sends_return"],
                                   partners["row"], strict=True):
        if expected and name not in sent:
            problems.append(Problem(table.ref("sends_return", row),
                                    f"no return has arrived from {name}",
                                    f"Ask {name} for their return, or change this to No.",
                                    Severity.WARNING, "missing-return"))


def _themes_without_actions(themes: pd.DataFrame, actions: pd.DataFrame, book: Book,
                            problems: list[Problem]) -> None:
    if themes.empty:
        return
    used = set(actions["theme"].tolist()) if not actions.empty else set()
    table = book.tables[THEMES.name]
    for name, row in zip(themes["theme"], themes["row"], strict=True):
        if name not in used:
            problems.append(Problem(table.ref("theme", row), f'no return has an action for '
                                    f'the theme "{name}", so its table will be empty',
                                    "Check the returns, or remove the theme.", Severity.WARNING,
                                    "empty-theme"))
