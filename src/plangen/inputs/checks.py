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

from plangen.inputs.schema import MONTHS_AFTER_PLAN, Column, Kind
from plangen.inputs.values import (
    acronyms,
    clean_text,
    has_capitals,
    lead_key,
    repeated_sentence,
    uneven_separators,
    uses_term,
)
from plangen.model import CellRef, Period
from plangen.problems import Problem, Severity
from plangen.text import did_you_mean, shorten

#: How alike (0-100, rapidfuzz's ratio after folding case and punctuation) two actions in one
#: theme must be to be reported as near duplicates. Rewordings of one sentence score 85-99;
#: different actions in the sample score 70 at most.
NEAR_DUPLICATE = 85
#: How many other cells a warning about an acronym names.
OTHER_PLACES = 3
#: How many acronyms the glossary lacks one file's text may have reported one by one (each
#: at its first use); the rest are counted in one warning, so a cell of pasted capitals makes
#: one warning, not a hundred thousand.
MOST_ACRONYMS = 25
_SHORT = 200  # characters: a text this short has its acronyms kept for the next cell like it

_WORD = re.compile(r"[\w-]+")

RefFor = Callable[[str, str, str, int], CellRef]  # (file, sheet, key, row) -> cell


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
            found.append(Problem(where, f'the sentence "{shorten(sentence)}" is written twice '
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

def outside_period(actions: pd.DataFrame, period: Period | None, ref: RefFor) -> list[Problem]:
    """Deadlines outside the plan's period, each a warning at its cell: before it starts
    (probably a wrong year, or work already done), or after it ends (allowed, as blank returns
    offer the year after, but worth a look: the plan is read as what will be done within it)."""
    if period is None or actions.empty:
        return []
    found = []
    # A carried action due before the plan starts has its own warning (plangen.inputs.carry).
    carried = (actions["reference"].tolist() if "reference" in actions
               else [""] * len(actions))
    for timescale, file, sheet, row, reference in zip(
            *(actions[column].tolist() for column in ("timescale", "file", "sheet", "row")),
            carried, strict=True):
        month = timescale.month if timescale is not None else None
        if month is None or period.start <= month <= period.end:
            continue
        if reference and month < period.start:
            continue
        where = ref(file, sheet, "timescale", row)
        if month < period.start:
            found.append(Problem(where, f"the timescale {timescale.text} is before the plan "
                                 f"starts ({period.start:%B %Y})",
                                 'Check the year. If the work continues, write "Ongoing"; if it '
                                 "is finished, leave the action out.", Severity.WARNING,
                                 "before-plan"))
        else:
            found.append(Problem(where, f"the timescale {timescale.text} is after the plan "
                                 f"ends ({period.end:%B %Y})",
                                 "Keep it if the work will only be finished then (the plan "
                                 "shows it as written); otherwise check the year. Blank "
                                 f"returns offer months up to {MONTHS_AFTER_PLAN} after the "
                                 "plan.", Severity.WARNING, "after-plan"))
    return found


def near_duplicates(actions: pd.DataFrame, ref: RefFor,
                    threshold: int = NEAR_DUPLICATE) -> list[Problem]:
    """Actions from different partners in one theme that are almost, but not exactly, the same.

    Exact duplicates (same words once spacing, case and quotes are ignored) merge into one row
    and are not reported. The warning is on the later row, in plan order, naming the first
    earlier row it is like. Each action is compared by its first COMPARED_CHARS characters
    (after folding case and punctuation), and a theme's actions only as far as MOST_PAIRS
    allows: a theme cut short gets a warning saying how many actions were not compared.
    """
    if actions.empty:
        return []
    theme, action, key, partner, file, sheet, row, order = (
        actions[column].tolist() for column in
        ("theme", "action", "key", "partner", "file", "sheet", "row", "partner_order"))
    # Last year's reference of a carried row (plangen.inputs.carry), named in the message.
    carried = (actions["reference"].tolist() if "reference" in actions
               else [""] * len(theme))
    themes: dict[str, list[int]] = {}  # each theme's rows, in plan order
    for position in sorted(range(len(theme)),
                           key=lambda position: (order[position], file[position], row[position])):
        themes.setdefault(theme[position], []).append(position)
    found: list[Problem] = []
    budget = MOST_PAIRS
    for name, group in themes.items():
        partners = _numbers([partner[position] for position in group])
        if partners.max() == 0:
            continue  # one partner: nothing to compare
        compared, budget = _within(_run_starts(partners), budget)
        texts = [utils.default_process(action[position][:COMPARED_CHARS])
                 for position in group[:compared]]
        keys = _numbers([key[position] for position in group[:compared]])
        for first_index, later_index in alike_pairs(texts, threshold, partners[:compared],
                                                    keys, first=True):
            first, later = group[first_index], group[later_index]
            first_ref = ref(file[first], sheet[first], "action", row[first])
            known = f"{carried[first]}, " if carried[first] else ""
            found.append(Problem(
                ref(file[later], sheet[later], "action", row[later]),
                f"this action is very like {first_ref} from {partner[first]} "
                f'({known}"{shorten(action[first])}")',
                f"If they are the same action, agree one wording with {partner[first]} so "
                "they become one row; if not, make the difference clear.", Severity.WARNING,
                "near-duplicate"))
        if compared < len(group):
            stop = group[compared]
            found.append(Problem(
                ref(file[stop], sheet[stop], "action", row[stop]),
                f'the theme "{name}" has too many actions from different partners to compare '
                f"each with every other: this action and the {len(group) - compared - 1:,} "
                "after it were not checked for near duplicates",
                "Check the returns for actions sent many times over; with fewer, the check "
                "runs in full.", Severity.WARNING, "near-duplicate"))
    return found


#: How many characters of each action (after folding case and punctuation) near_duplicates
#: compares: actions that begin alike are alike enough to warn about, and the cost of scoring
#: a pair grows with the product of the two lengths.
COMPARED_CHARS = 500
#: How many pairs of actions from different partners near_duplicates bounds, in all themes
#: together (about a second here): a hostile return cannot make the check take minutes.
MOST_PAIRS = 30_000_000
#: The most letter-count bits alike_pairs gives a text (see _letter_bits); with fewer than 4,
#: every pair is scored.
MOST_LEVELS = 1024
#: How many texts alike_pairs bounds at once, and against how many others (memory: their
#: product times 13 bytes).
_BLOCK = 256
_COLUMNS = 4096


def _numbers(values: Sequence[Any]) -> Any:
    """Each value as a number, the same for equal values: 0 for the first value, and so on."""
    numbers: dict[Any, int] = {}
    return np.fromiter((numbers.setdefault(value, len(numbers)) for value in values), np.int64,
                       len(values))


def _run_starts(groups: Any) -> Any:
    """Where the run of equal groups that each position is in starts: the texts before it are
    the only ones alike_pairs compares it with."""
    starts = np.zeros(len(groups), np.int64)
    changes = np.flatnonzero(groups[1:] != groups[:-1]) + 1
    starts[changes] = changes
    return np.maximum.accumulate(starts)


def _within(starts: Any, budget: int) -> tuple[int, int]:
    """How many leading texts can be compared with those before their run within the budget of
    pairs, and the budget left."""
    costs = np.cumsum(starts)
    compared = int(np.searchsorted(costs, budget, side="right"))
    return compared, budget - (int(costs[compared - 1]) if compared else 0)


def alike_pairs(texts: Sequence[str], cutoff: float, groups: Sequence[int] | None = None,
                keys: Sequence[int] | None = None, *, first: bool = False
                ) -> list[tuple[int, int]]:
    """Every pair (i, j), i < j, in order, with fuzz.ratio(texts[i], texts[j]) >= cutoff.

    Pairs whose texts have the same number in `groups` (the same partner), or in `keys` (the
    same action), are left out before they are bounded or scored. Only texts before a text's
    run of equal groups are compared with it, so one partner's thousands of rows cost nothing
    among themselves. With `first`, each j gets only its smallest i.

    fuzz.ratio is 200 * LCS / (len(a) + len(b)), LCS being the length of the longest common
    subsequence. Scoring every pair (rapidfuzz's cdist) grows with the square of the texts and
    dominated validation at 15,000 actions, though almost no pairs qualify. So each pair is
    bounded first: a common subsequence cannot use a character more often than the text that
    has it fewer times, so LCS <= the sum over characters of min(count in a, count in b), which
    is at most the shorter text's length (see _letter_bits for how it is counted, and kept
    an upper bound for texts of many characters). A pair whose bound falls short of the cutoff
    cannot reach it and is skipped; the rest (under a tenth of the pairs, on the bench's
    actions) are scored by rapidfuzz. The bound is tested against the cutoff less a millionth
    of a point, far more than rounding can move either score, so no pair that reaches the
    cutoff is skipped: the answer is exactly what scoring every pair gives.

    The bound is counted with bitwise ANDs on one thread, a block of texts against a block of
    earlier ones at a time: a float matrix product counted it as fast but woke BLAS threads
    that, on a busy two-core machine, slowed everything after them.
    """
    count = len(texts)
    if count < 2:
        return []
    labels = np.arange(count) if groups is None else np.asarray(groups, np.int64)
    same = None if keys is None else np.asarray(keys, np.int64)
    starts = _run_starts(labels)
    letters = _letter_bits(texts)
    lengths = np.fromiter(map(len, texts), np.int64, count)
    needs = lengths * ((cutoff - 1e-6) / 200)  # the bound must reach this, with the other's
    choices = np.empty(count, dtype=object)
    choices[:] = texts
    pairs: list[tuple[int, int]] = []
    for start in range(0, count, _BLOCK):
        stop = min(start + _BLOCK, count)
        done = np.zeros(stop - start, bool)  # with `first`: the texts that have their pair
        for column in range(0, int(starts[stop - 1]), _COLUMNS):
            if first and done.all():
                break
            end = min(column + _COLUMNS, int(starts[stop - 1]))
            possible = np.arange(column, end)[None, :] < starts[start:stop, None]
            possible &= labels[None, column:end] != labels[start:stop, None]
            if same is not None:
                possible &= same[None, column:end] != same[start:stop, None]
            if first:
                possible &= ~done[:, None]
            if letters is None:  # no bound: score every pair left
                scores = process.cdist(choices[start:stop].tolist(),
                                       choices[column:end].tolist(), scorer=fuzz.ratio,
                                       score_cutoff=cutoff, dtype=np.uint8, workers=-1)
                if cutoff > 0:  # under the cutoff scores 0
                    possible &= scores > 0
            else:
                words, beyond = letters
                common = np.zeros((stop - start, end - column), np.int32)
                both = np.empty((stop - start, end - column), np.uint64)
                for word in words:
                    np.bitwise_and(word[start:stop, None], word[None, column:end], out=both)
                    common += np.bitwise_count(both)
                common += np.minimum(beyond[start:stop, None], beyond[None, column:end])
                possible &= common >= needs[start:stop, None] + needs[None, column:end]
            for index in np.flatnonzero(possible.any(axis=1)).tolist():
                earlier = np.flatnonzero(possible[index]) + column
                if letters is not None:  # bounded only: score them
                    earlier = _scored(choices[start + index], choices, earlier, cutoff, first)
                if not len(earlier):
                    continue
                if first:
                    earlier = earlier[:1]
                    done[index] = True
                pairs.extend((int(i), start + index) for i in earlier.tolist())
    pairs.sort()
    return pairs


def _scored(text: str, choices: Any, earlier: Any, cutoff: float, first: bool) -> Any:
    """The positions in `earlier` whose choices are at least cutoff like text, in order; with
    `first`, the first of them only, scoring a few, then more, until one is found."""
    begin, step = 0, 256 if first else len(earlier)
    while begin < len(earlier):
        some = earlier[begin:begin + step]
        matches = process.extract(text, choices[some].tolist(), scorer=fuzz.ratio,
                                  processor=None, score_cutoff=cutoff, limit=None)
        found = np.sort(some[[match[2] for match in matches]])
        if len(found):
            return found[:1] if first else found
        begin, step = begin + step, step * 4
    return earlier[:0]


def _letter_bits(texts: Sequence[str]) -> tuple[Any, Any] | None:
    """Each text's letter counts as bits, whose AND counts the characters two texts share.

    Text i has a bit for each (character c, level k), set where it holds c at least k times, so
    popcount(bits of a & bits of b) = sum over c of min(count in a, count in b). Returned as
    64-bit words, one row of texts per word, with each text's count beyond the bits.

    To stay within MOST_LEVELS bits, characters share a count when there are more than a
    quarter of MOST_LEVELS of them (min(x1 + x2, y1 + y2) >= min(x1, y1) + min(x2, y2)), and
    each count keeps at most as many levels as fit; what a text has beyond them is added back
    as min(beyond in a, beyond in b), which is at least the sum of min over the characters of
    what lies beyond. Both keep the bound an upper bound. None when there are no bits.
    """
    count = len(texts)
    parts = range(0, count, _COLUMNS)  # a few MB at a time, whatever the number of texts
    characters = np.unique(np.concatenate(
        [np.unique(_codes(texts[part:part + _COLUMNS])) for part in parts]))
    if not len(characters):  # every text empty
        return np.zeros((1, count), np.uint64), np.zeros(count, np.int32)
    shared = min(len(characters), MOST_LEVELS // 4)
    if not shared:
        return None
    number = np.zeros(int(characters[-1]) + 1, np.int64)  # a character's code -> its count
    number[characters] = np.arange(len(characters)) % shared
    counts = np.empty((count, shared), np.int32)
    for part in parts:
        chunk = texts[part:part + _COLUMNS]
        owner = np.repeat(np.arange(len(chunk)), np.fromiter(map(len, chunk), np.int64))
        counts[part:part + len(chunk)] = np.bincount(
            owner * shared + number[_codes(chunk)],
            minlength=len(chunk) * shared).reshape(len(chunk), shared)
    most = counts.max(axis=0)
    low, high = 1, int(most.max())  # the most levels a count keeps
    while low < high:
        middle = (low + high + 1) // 2
        if np.minimum(most, middle).sum() <= MOST_LEVELS:
            low = middle
        else:
            high = middle - 1
    levels = np.minimum(most, low)
    beyond = np.clip(counts - levels, 0, None).sum(axis=1, dtype=np.int32)
    bit_character = np.repeat(np.arange(shared), levels)
    bit_level = np.arange(len(bit_character)) - np.repeat(np.cumsum(levels) - levels, levels)
    bits = np.zeros((count, -(-len(bit_character) // 64) * 8), np.uint8)
    for part in parts:
        packed = np.packbits(counts[part:part + _COLUMNS, bit_character] > bit_level, axis=1)
        bits[part:part + _COLUMNS, :packed.shape[1]] = packed
    return np.ascontiguousarray(bits.view(np.uint64).T), beyond


def _codes(texts: Sequence[str]) -> Any:
    """The characters of texts, one after another, as numbers."""
    return np.frombuffer("".join(texts).encode("utf-32-le", "surrogatepass"), np.uint32)


def glossary_problems(texts: Sequence[tuple[CellRef | None, str]],
                      glossary: Sequence[tuple[CellRef, str]]) -> list[Problem]:
    """Acronyms the plan uses that the glossary lacks, and glossary terms the plan never uses.

    `texts` is every piece of plan text with its cell, in plan order (None for a text with no
    two capitals together, which cannot hold an acronym: see plan_texts); `glossary` every term
    with its cell. An acronym is reported once, at its first use, naming a few other uses; a
    file whose text uses more than MOST_ACRONYMS of them gets one warning for the rest, with
    their number.
    """
    known = {term.casefold() for _where, term in glossary}
    first: dict[str, CellRef] = {}  # every acronym the glossary lacks -> its first cell
    others: dict[str, dict[CellRef, None]] = {}  # those reported one by one -> other cells
    listed: dict[str, int] = {}  # file -> how many acronyms first used there are reported
    summed: dict[str, list[str]] = {}  # file -> the acronyms first used there beyond those
    words_in: dict[str, list[str]] = {}  # short texts' acronyms (a few Leads fill thousands)
    for where, text in texts:
        if where is None:
            continue
        words = words_in.get(text)
        if words is None:
            words = acronyms(text)
            if len(text) <= _SHORT:
                words_in[text] = words
        for word in words:
            if word in others:
                if where != first[word]:
                    others[word][where] = None
            elif word not in first and word.casefold() not in known:
                first[word] = where
                if listed.get(where.file, 0) < MOST_ACRONYMS:
                    listed[where.file] = listed.get(where.file, 0) + 1
                    others[word] = {}
                else:
                    summed.setdefault(where.file, []).append(word)
    found: list[Problem] = []
    for word, where in first.items():
        if word in others:
            found.append(_unexplained(word, where, list(others[word])))
        elif summed[where.file][0] == word:
            found.append(_unexplained_many(summed[where.file], where))
    every_text = "\n".join(text for _where, text in texts)
    # A term with two capitals together can only be in a text that has them (see plan_texts):
    # searching those alone reads much less, as most text has none.
    capital_text = "\n".join(text for where, text in texts if where is not None)
    for where, term in glossary:
        text = capital_text if has_capitals(term) else every_text
        used = (_has_word(text, term) or _has_word(text, f"{term}s")) \
            if _WORD.fullmatch(term) else uses_term(text, term)
        if not used:
            found.append(Problem(where, f'the glossary explains "{term}", but the plan never '
                                 "uses it", "Remove the entry, or spell it as the text does.",
                                 Severity.WARNING, "glossary-unused"))
    return found


def _unexplained(word: str, where: CellRef, others: Sequence[CellRef]) -> Problem:
    also = ""
    if others:
        named = "; ".join(str(cell) for cell in others[:OTHER_PLACES])
        more = len(others) - OTHER_PLACES
        also = f" (also used in {named}" + (f" and {more} more" if more > 0 else "") + ")"
    return Problem(where, f'"{word}" looks like an acronym, but the glossary does not explain '
                   f"it{also}", f'Add "{word}" and its meaning to the Glossary sheet of '
                   "plan.xlsx, or write it out in full.", Severity.WARNING,
                   "acronym-not-in-glossary")


def _unexplained_many(words: Sequence[str], where: CellRef) -> Problem:
    """One warning for the acronyms a file uses beyond the MOST_ACRONYMS reported one by one."""
    named = ", ".join(f'"{word}"' for word in words[:OTHER_PLACES])
    more = len(words) - OTHER_PLACES
    return Problem(where, f"{len(words):,} more words in this file look like acronyms the "
                   f"glossary does not explain, beyond the {MOST_ACRONYMS} listed: {named}"
                   + (f" and {more:,} others" if more > 0 else ""),
                   "Check the text: so many may have been pasted by mistake. Add the real "
                   "acronyms to the Glossary sheet of plan.xlsx, or write them out in full.",
                   Severity.WARNING, "acronym-not-in-glossary")


def _has_word(text: str, word: str) -> bool:
    """Whether a run of word characters and hyphens in text (as _WORD finds them) is word.

    The same as `word in set(_WORD.findall(text))`, three times sooner than listing every word
    of every action: each place word occurs is checked for a word character or hyphen on
    either side (re's \\w is str.isalnum() and "_").
    """
    start = text.find(word)
    while start >= 0:
        end = start + len(word)
        if (start == 0 or not _is_word_character(text[start - 1])) and \
                (end == len(text) or not _is_word_character(text[end])):
            return True
        start = text.find(word, start + 1)
    return False


def _is_word_character(character: str) -> bool:
    return character.isalnum() or character in "_-"


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
