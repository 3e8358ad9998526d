"""Checks across the returns and the coordinator's workbook: what no one workbook shows.

The same action sent twice with different timescales (the later copies are rejected), deadlines
before the plan starts, near-duplicate actions, the glossary against all the plan's wording,
partners whose return has not arrived and themes no return has an action for.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import replace

import pandas as pd

from plangen.inputs.checks import glossary_problems, near_duplicates, outside_period, return_texts
from plangen.inputs.coordinator import Coordinator
from plangen.inputs.read import Book
from plangen.inputs.returns import Letters, RejectedRow, ReturnCount, Returns
from plangen.inputs.schema import GLOSSARY, PARTNERS, THEMES
from plangen.model import CellRef
from plangen.problems import Collector


def check_across(book: Book, plan: Coordinator, returns: Returns, found: Collector) -> Returns:
    """The returns with the rows these checks reject left out, and counted as rejected.

    `book` is the coordinator's workbook as read, for the cells of its rows.
    """
    actions, counts, rejected = returns.actions, returns.counts, returns.rejected
    if not actions.empty:
        actions, conflicting = _conflicting_timescales(actions, returns.letters, found)
        more = Counter(row.file for row in conflicting)
        counts = tuple(_reject_more(count, more[count.file]) for count in counts)
        rejected = (*rejected, *conflicting)
        found.extend(outside_period(actions, plan.period, returns.ref))
        found.extend(near_duplicates(actions, returns.ref))
    returns = replace(returns, actions=actions, counts=counts, rejected=rejected)
    _glossary(book, plan, returns, found)
    _expected_returns(plan.partners, counts, book, found)
    _themes_without_actions(plan.themes, actions, book, found)
    return returns


def _conflicting_timescales(actions: pd.DataFrame, letters: Letters,
                            found: Collector) -> tuple[pd.DataFrame, list[RejectedRow]]:
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
    # Last year's reference of a carried row (plangen.inputs.carry), named in the message.
    references = (actions["reference"].tolist() if "reference" in actions
                  else [""] * len(theme))

    def cell(index: int) -> CellRef:
        return CellRef(file[index], sheet[index],
                       f"{letters[(file[index], sheet[index])].get('timescale', '')}{row[index]}")

    first: dict[tuple[str, str], int] = {}
    for index in sorted(range(len(theme)), key=lambda index: (order[index], file[index],
                                                               row[index])):
        earliest = first.setdefault((theme[index], key[index]), index)
        if timescale[index] == timescale[earliest]:
            continue
        known = f" ({references[index]})" if references[index] else ""
        found.error(cell(index), f"the same action{known} is in {cell(earliest)} with the "
                    f"timescale {timescale[earliest]}, but here it is {timescale[index]}",
                    f"Agree one timescale with {partner[earliest]} and use it in both returns.",
                    "conflicting-timescale")
        conflicting.append(RejectedRow(file[index], partner[index], sheet[index], row[index],
                                       action[index]))
    if not conflicting:
        return actions, conflicting
    dropped = {(rejected.file, rejected.row) for rejected in conflicting}
    keep = [(file_, row_) not in dropped for file_, row_ in zip(file, row, strict=True)]
    return actions[keep].reset_index(drop=True), conflicting


def _reject_more(count: ReturnCount, extra: int) -> ReturnCount:
    if not extra:
        return count
    return ReturnCount(count.file, count.partner, count.read, count.rejected + extra)


def _glossary(book: Book, plan: Coordinator, returns: Returns, found: Collector) -> None:
    """Acronyms the glossary lacks and entries never used, in all the plan's wording."""
    texts = list(plan.texts)
    for frame, keys in ((returns.actions, ("action", "leads")),
                        (returns.current_work, ("initiative",))):
        if not frame.empty:
            texts.extend(return_texts(frame, keys, returns.ref))
    table = book.tables.get(GLOSSARY.name)
    glossary = plan.glossary
    if table is not None and "term" in glossary:
        terms = [(table.ref("term", row), term)
                 for term, row in zip(glossary["term"], glossary["row"], strict=True)]
        found.extend(glossary_problems(texts, terms))


def _expected_returns(partners: pd.DataFrame, counts: Sequence[ReturnCount], book: Book,
                      found: Collector) -> None:
    if partners.empty or "sends_return" not in partners:
        return
    sent = {count.partner for count in counts}
    table = book.tables[PARTNERS.name]
    for name, expected, row in zip(partners["partner"], partners["sends_return"],
                                   partners["row"], strict=True):
        if expected and name not in sent:
            found.warning(table.ref("sends_return", row), f"no return has arrived from {name}",
                          f"Ask {name} for their return, or change this to No.",
                          "missing-return")


def _themes_without_actions(themes: pd.DataFrame, actions: pd.DataFrame, book: Book,
                            found: Collector) -> None:
    if themes.empty:
        return
    used = set(actions["theme"].tolist()) if not actions.empty else set()
    table = book.tables[THEMES.name]
    for name, row in zip(themes["theme"], themes["row"], strict=True):
        if name not in used:
            found.warning(table.ref("theme", row), f'no return has an action for the theme '
                          f'"{name}", so its table will be empty',
                          "Check the returns, or remove the theme.", "empty-theme")
