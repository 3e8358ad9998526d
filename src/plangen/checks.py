"""Checks beyond parsing: what reads correctly but still looks wrong to a careful reader.

The validator parses each cell by its kind; these checks find what a parser cannot. Per cell:
text too long, a sentence pasted twice, leads separated unevenly, leads that are not known
partners. Across rows: a deadline before the plan starts, near-duplicate actions from different
partners, acronyms the glossary lacks and glossary entries never used. All are warnings: the
plan can be built, but someone should look.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
from rapidfuzz import fuzz, process, utils

from plangen.model import CellRef, Period
from plangen.problems import Problem, Severity
from plangen.schema import Column, Kind
from plangen.suggest import did_you_mean
from plangen.values import (
    acronyms,
    clean_text,
    has_capitals,
    lead_key,
    repeated_sentence,
    uneven_separators,
    uses_term,
)

#: How alike (0-100, rapidfuzz's ratio after folding case and punctuation) two actions in one
#: theme must be to be reported as near duplicates. Rewordings of one sentence score 85-99;
#: different actions in the sample score 70 at most.
NEAR_DUPLICATE = 85
#: How many other cells a warning about an acronym names.
OTHER_PLACES = 3

_WORD = re.compile(r"[\w-]+")

RefFor = Callable[[str, str, str, int], CellRef]  # (file, sheet, key, row) -> cell


def short(text: str, limit: int = 60) -> str:
    """Text cut to a length fit for a message."""
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


# --- One cell -----------------------------------------------------------------------------------

def cell_problems(column: Column, raw: Any, parsed: Any, where: CellRef,
                  partners: Mapping[str, str]) -> list[Problem]:
    """Warnings about one cell that parsed; `partners` maps lead keys to partner names."""
    found: list[Problem] = []
    if column.kind is Kind.TEXT:
        if len(parsed) > column.max_length:
            found.append(Problem(where, f"the text is {len(parsed)} characters long, more than "
                                 f"the {column.max_length} that fit",
                                 "Shorten it.", Severity.WARNING, "too-long"))
        sentence = repeated_sentence(parsed)
        if sentence is not None:
            found.append(Problem(where, f'the sentence "{short(sentence)}" is written twice '
                                 "in this cell", "Delete the second copy.", Severity.WARNING,
                                 "repeated-sentence"))
    elif column.kind is Kind.LEADS:
        leads = ", ".join(parsed)
        if len(leads) > column.max_length:
            found.append(Problem(where, f"the leads are {len(leads)} characters long, more "
                                 f"than the {column.max_length} that fit", "Shorten them.",
                                 Severity.WARNING, "too-long"))
        forms = uneven_separators(raw)
        if forms:
            shown = " and ".join(f'"{form}"' for form in forms)
            found.append(Problem(where, f"the leads are separated unevenly ({shown}), and "
                                 f"are read as: {leads}",
                                 f'Write them with a comma and a space between: "{leads}".',
                                 Severity.WARNING, "uneven-separators"))
        found.extend(unknown_leads(parsed, where, partners))
    return found


def unknown_leads(leads: Sequence[str], where: CellRef,
                  partners: Mapping[str, str]) -> list[Problem]:
    """A warning for each lead that names no partner on the coordinator's list."""
    if not partners:
        return []  # the Partners sheet itself is broken; that is reported there
    found = []
    for lead in leads:
        if lead_key(lead) in partners:
            continue
        hint = did_you_mean(lead, partners.values())  # names listed only when one is unknown
        found.append(Problem(where, f'the lead "{lead}" is not in the coordinator\'s list of '
                             "partners" + (f" — did you mean {hint}?" if hint else ""),
                             "Write the lead as the Partners sheet of plan.xlsx names it, or "
                             "ask the coordinator to add it there (other spellings go in "
                             '"Other names").', Severity.WARNING, "unknown-lead"))
    return found


# --- Across rows ----------------------------------------------------------------------------------

def before_period(actions: pd.DataFrame, period: Period | None, ref: RefFor) -> list[Problem]:
    """Deadlines before the plan starts: probably a wrong year, or work already done."""
    if period is None or actions.empty:
        return []
    found = []
    for timescale, file, sheet, row in zip(actions["timescale"], actions["file"],
                                           actions["sheet"], actions["row"], strict=True):
        if timescale is not None and timescale.month is not None and \
                timescale.month < period.start:
            found.append(Problem(ref(file, sheet, "timescale", row),
                                 f"the timescale {timescale.text} is before the plan starts "
                                 f"({period.start:%B %Y})",
                                 'Check the year. If the work continues, write "Ongoing"; if it '
                                 "is finished, leave the action out.", Severity.WARNING,
                                 "before-plan"))
    return found


def near_duplicates(actions: pd.DataFrame, ref: RefFor,
                    threshold: int = NEAR_DUPLICATE) -> list[Problem]:
    """Actions from different partners in one theme that are almost, but not exactly, the same.

    Exact duplicates (same words once spacing, case and quotes are ignored) merge into one row
    and are not reported. The warning is on the later row, in plan order, naming the earlier.
    """
    if actions.empty:
        return []
    ordered = actions.sort_values(["partner_order", "file", "row"], kind="stable")
    records = ordered[["theme", "action", "key", "partner", "file", "sheet", "row"]].to_dict(
        "records")
    themes: dict[str, list[dict[str, Any]]] = {}
    for record in records:
        themes.setdefault(record["theme"], []).append(record)
    found: list[Problem] = []
    for group in themes.values():
        if len({record["partner"] for record in group}) < 2:
            continue
        texts = [utils.default_process(record["action"]) for record in group]
        scores = process.cdist(texts, texts, scorer=fuzz.ratio, score_cutoff=threshold,
                               dtype=np.uint8, workers=-1)
        firsts, laters = np.nonzero(np.triu(scores, k=1))
        for first_index, later_index in zip(firsts.tolist(), laters.tolist(), strict=True):
            first, later = group[first_index], group[later_index]
            if first["partner"] == later["partner"] or first["key"] == later["key"]:
                continue
            first_ref = ref(first["file"], first["sheet"], "action", first["row"])
            found.append(Problem(
                ref(later["file"], later["sheet"], "action", later["row"]),
                f'this action is very like {first_ref} from {first["partner"]} '
                f'("{short(first["action"])}")',
                f"If they are the same action, agree one wording with {first['partner']} so "
                "they become one row; if not, make the difference clear.", Severity.WARNING,
                "near-duplicate"))
    return found


def glossary_problems(texts: Sequence[tuple[CellRef | None, str]],
                      glossary: Sequence[tuple[CellRef, str]]) -> list[Problem]:
    """Acronyms the plan uses that the glossary lacks, and glossary terms the plan never uses.

    `texts` is every piece of plan text with its cell, in plan order (None for a text with no
    two capitals together, which cannot hold an acronym: see plan_texts); `glossary` every term
    with its cell. An acronym is reported once, at its first use, naming a few other uses.
    """
    known = {term.casefold() for _where, term in glossary}
    places: dict[str, list[CellRef]] = {}
    for where, text in texts:
        if where is None:
            continue
        for word in acronyms(text):
            if word.casefold() not in known:
                places.setdefault(word, [])
                if where not in places[word]:
                    places[word].append(where)
    found: list[Problem] = []
    for word, cells in places.items():
        also = ""
        if len(cells) > 1:
            named = "; ".join(str(cell) for cell in cells[1:1 + OTHER_PLACES])
            more = len(cells) - 1 - OTHER_PLACES
            also = f" (also used in {named}" + (f" and {more} more" if more > 0 else "") + ")"
        found.append(Problem(cells[0], f'"{word}" looks like an acronym, but the glossary does '
                             f"not explain it{also}",
                             f'Add "{word}" and its meaning to the Glossary sheet of plan.xlsx, '
                             "or write it out in full.", Severity.WARNING,
                             "acronym-not-in-glossary"))
    every_text = "\n".join(text for _where, text in texts)
    words = set(_WORD.findall(every_text))
    for where, term in glossary:
        used = (term in words or f"{term}s" in words) if _WORD.fullmatch(term) \
            else uses_term(every_text, term)
        if not used:
            found.append(Problem(where, f'the glossary explains "{term}", but the plan never '
                                 "uses it", "Remove the entry, or spell it as the text does.",
                                 Severity.WARNING, "glossary-unused"))
    return found


def plan_texts(frame: pd.DataFrame, columns: Collection[str], ref: Callable[[str, int], CellRef]
               ) -> list[tuple[CellRef | None, str]]:
    """The text cells of a clean table, each with its cell: what the acronym check reads.

    The cell is worked out only for a text that could hold an acronym (thousands of action
    cells, few with capitals together); others get None.
    """
    return return_texts(frame, columns, lambda _file, _sheet, key, row: ref(key, row))


def return_texts(frame: pd.DataFrame, columns: Collection[str], ref: RefFor
                 ) -> list[tuple[CellRef | None, str]]:
    """plan_texts for a frame of many tables, each row's cell found by its file and sheet (or
    by `ref` alone when the frame has no file column)."""
    texts: list[tuple[CellRef | None, str]] = []
    keys = [key for key in columns if key in frame]
    values = [frame[key].tolist() for key in keys]
    rows = frame["row"].tolist()
    files = frame["file"].tolist() if "file" in frame else [""] * len(rows)
    sheets = frame["sheet"].tolist() if "sheet" in frame else [""] * len(rows)
    for position, (file, sheet, row) in enumerate(zip(files, sheets, rows, strict=True)):
        for key, column in zip(keys, values, strict=True):
            value = column[position]
            text = ", ".join(value) if isinstance(value, tuple) else clean_text(value)
            if text:
                texts.append((ref(file, sheet, key, int(row)) if has_capitals(text) else None,
                              text))
    return texts
