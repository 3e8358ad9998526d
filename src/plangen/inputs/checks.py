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

from plangen.inputs.schema import Column, Kind
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

def before_period(actions: pd.DataFrame, period: Period | None, ref: RefFor) -> list[Problem]:
    """Deadlines before the plan starts: probably a wrong year, or work already done."""
    if period is None or actions.empty:
        return []
    found = []
    for timescale, file, sheet, row in zip(
            *(actions[column].tolist() for column in ("timescale", "file", "sheet", "row")),
            strict=True):
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
    theme, action, key, partner, file, sheet, row, order = (
        actions[column].tolist() for column in
        ("theme", "action", "key", "partner", "file", "sheet", "row", "partner_order"))
    themes: dict[str, list[int]] = {}  # each theme's rows, in plan order
    for position in sorted(range(len(theme)),
                           key=lambda position: (order[position], file[position], row[position])):
        themes.setdefault(theme[position], []).append(position)
    found: list[Problem] = []
    for group in themes.values():
        if len({partner[position] for position in group}) < 2:
            continue
        texts = [utils.default_process(action[position]) for position in group]
        for first_index, later_index in alike_pairs(texts, threshold):
            first, later = group[first_index], group[later_index]
            if partner[first] == partner[later] or key[first] == key[later]:
                continue
            first_ref = ref(file[first], sheet[first], "action", row[first])
            found.append(Problem(
                ref(file[later], sheet[later], "action", row[later]),
                f"this action is very like {first_ref} from {partner[first]} "
                f'("{shorten(action[first])}")',
                f"If they are the same action, agree one wording with {partner[first]} so "
                "they become one row; if not, make the difference clear.", Severity.WARNING,
                "near-duplicate"))
    return found


#: The most letter-count bits alike_pairs gives a text (see _letter_bits); texts that need
#: more (long texts, or many different characters) are all scored pair by pair.
MOST_LEVELS = 1024
#: How many texts alike_pairs bounds at once against the longer ones (memory: rows x texts).
_BLOCK = 256


def alike_pairs(texts: Sequence[str], cutoff: float) -> list[tuple[int, int]]:
    """Every pair (i, j), i < j, in order, with fuzz.ratio(texts[i], texts[j]) >= cutoff.

    fuzz.ratio is 200 * LCS / (len(a) + len(b)), LCS being the length of the longest common
    subsequence. Scoring every pair (rapidfuzz's cdist) grows with the square of the texts and
    dominated validation at 15,000 actions, though almost no pairs qualify. So each pair is
    bounded first: a common subsequence cannot use a character more often than the text that
    has it fewer times, so LCS <= the sum over characters of min(count in a, count in b), which
    is at most the shorter text's length. A pair whose bound falls short of the cutoff cannot
    reach it and is skipped; the rest (under a tenth of the pairs, on the bench's actions) are
    scored by rapidfuzz as before. The bound is tested against the cutoff less a millionth of a
    point, far more than rounding can move either score, so no pair that reaches the cutoff is
    skipped: the answer is exactly what scoring every pair gives.

    The texts are taken shortest first, so a block of them is bounded only against the texts
    short enough to reach the cutoff with its longest. The bound is counted with bitwise ANDs
    on one thread: a float matrix product counted it as fast but woke BLAS threads that, on a
    busy two-core machine, slowed everything after them.
    """
    if len(texts) < 2:
        return []
    # np.bitwise_count is NumPy 2's; with NumPy 1, every pair is scored.
    bits = _letter_bits(texts) if hasattr(np, "bitwise_count") else None
    if bits is None:  # too many to bound cheaply: score every pair
        scores = process.cdist(texts, texts, scorer=fuzz.ratio, score_cutoff=cutoff,
                               dtype=np.uint8, workers=-1)
        firsts, laters = np.nonzero(np.triu(scores, k=1))
        return list(zip(firsts.tolist(), laters.tolist(), strict=True))
    lengths = np.fromiter(map(len, texts), np.int64, len(texts))
    order = np.argsort(lengths, kind="stable")  # shortest first; positions below are in order
    words, lengths = np.ascontiguousarray(bits[order].T), lengths[order]
    choices = np.empty(len(texts), dtype=object)
    choices[:] = texts
    choices = choices[order]
    slack = cutoff - 1e-6
    needs = lengths * (slack / 200)  # the bound must reach this, with the other text's share
    pairs: list[tuple[int, int]] = []
    for start in range(0, len(texts), _BLOCK):
        stop = min(start + _BLOCK, len(texts))
        # Only texts up to (200 - slack) / slack times as long as the block's longest can reach.
        end = len(texts) if slack <= 0 else int(np.searchsorted(
            lengths, lengths[stop - 1] * (200 - slack) / slack, side="right"))
        common = np.zeros((stop - start, end - start), np.uint16)
        both = np.empty((stop - start, end - start), np.uint64)
        for word in words:
            np.bitwise_and(word[start:stop, None], word[None, start:end], out=both)
            common += np.bitwise_count(both)
        possible = common >= needs[start:stop, None] + needs[None, start:end]
        possible[:, :stop - start] &= np.tri(stop - start, k=-1, dtype=bool).T  # later only
        rows, columns = np.nonzero(possible)
        columns += start
        ends = np.searchsorted(rows, np.arange(stop - start + 1)).tolist()
        for row in range(stop - start):
            if ends[row] == ends[row + 1]:
                continue
            laters = columns[ends[row]:ends[row + 1]]
            matches = process.extract(choices[start + row], choices[laters].tolist(),
                                      scorer=fuzz.ratio, processor=None, score_cutoff=cutoff,
                                      limit=None)
            first = int(order[start + row])
            for later in order[laters[[match[2] for match in matches]]].tolist():
                pairs.append((first, later) if first < later else (later, first))
    pairs.sort()
    return pairs


def _letter_bits(texts: Sequence[str]) -> Any:
    """Each text's letter counts as bits, whose AND counts the characters two texts share.

    Text i has a bit for each (character c, level k), set where it holds c at least k times, so
    popcount(bits of a & bits of b) = sum over c of min(count in a, count in b). Returned as
    rows of 64-bit words; None when a text would need more than MOST_LEVELS bits.
    """
    lengths = np.fromiter(map(len, texts), np.int64, len(texts))
    if not lengths.sum():
        return np.zeros((len(texts), 1), np.uint64)
    codes = np.frombuffer("".join(texts).encode("utf-32-le", "surrogatepass"), np.uint32)
    characters = np.flatnonzero(np.bincount(codes))
    if len(characters) > MOST_LEVELS:
        return None
    number = np.zeros(int(characters[-1]) + 1, np.int64)  # a character's code -> its number
    number[characters] = np.arange(len(characters))
    owner = np.repeat(np.arange(len(texts)), lengths)
    counts = np.bincount(owner * len(characters) + number[codes],
                         minlength=len(texts) * len(characters)).reshape(len(texts), -1)
    most = counts.max(axis=0)
    if most.sum() > MOST_LEVELS:
        return None
    bit_character = np.repeat(np.arange(len(characters)), most)
    bit_level = np.arange(len(bit_character)) - np.repeat(np.cumsum(most) - most, most)
    packed = np.packbits(counts[:, bit_character] > bit_level, axis=1)
    padded = np.zeros((len(texts), -(-packed.shape[1] // 8) * 8), np.uint8)
    padded[:, :packed.shape[1]] = packed
    return padded.view(np.uint64)


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
    for where, term in glossary:
        used = (_has_word(every_text, term) or _has_word(every_text, f"{term}s")) \
            if _WORD.fullmatch(term) else uses_term(every_text, term)
        if not used:
            found.append(Problem(where, f'the glossary explains "{term}", but the plan never '
                                 "uses it", "Remove the entry, or spell it as the text does.",
                                 Severity.WARNING, "glossary-unused"))
    return found


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
