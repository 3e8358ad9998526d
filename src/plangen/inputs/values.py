"""Turning what people type into Excel cells into clean values.

Pure functions, no pandas and nothing from the plan model (which uses lead_key): the validator
uses them to report, the merge to normalise; months and timescales are in plangen.inputs.months.
Each parser raises ValueError with a message fit to show a partner.
"""

from __future__ import annotations

import functools
import math
import re
import unicodedata
from collections.abc import Callable, Collection, Iterable
from datetime import datetime

from plangen.inputs.schema import CARRY_VALUES, CHANGED, COMPLETED, CONTINUES, DROPPED, NO, YES

# Characters XML 1.0 forbids (they make Word refuse the file), and Unicode non-characters.
_ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_SPACES = re.compile(r"\s+")
#: Characters that show nothing but make two spellings differ: zero-width spaces and joiners,
#: the word joiner, a byte-order mark, soft hyphens, and the direction marks and overrides
#: that reorder text on screen. They are taken out of every value read, so "City Safe" with a
#: zero-width space after it is "City Safe", and a cell holding only them is empty.
INVISIBLE = re.compile("[\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064"
                       "\u2066-\u2069\ufeff]")
_QUOTES = str.maketrans({"‘": "'", "’": "'", "‚": "'", "‛": "'", "“": '"', "”": '"',
                         "„": '"', "‟": '"', "′": "'", "″": '"'})


def is_blank(value: object) -> bool:
    """Nothing in the cell, or only spaces and characters that show nothing (INVISIBLE)."""
    if isinstance(value, str):  # first, as most cells hold text
        return not value.strip() or (not value.isascii() and not INVISIBLE.sub("", value).strip())
    return value is None or (isinstance(value, float) and math.isnan(value))


def cell_text(value: object) -> str:
    """A cell's value as text, as a person would read it in Excel."""
    if is_blank(value):
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, float) and value.is_integer():
        # As Excel shows it: beyond 15 digits in powers of ten, not the float's exact digits.
        return str(int(value)) if abs(value) < 1e15 else f"{value:.15G}"
    if isinstance(value, datetime):
        if value.time() == datetime.min.time():
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    return str(value)


def clean_text(value: object) -> str:
    """Text fit for the document: no characters XML forbids, spaces collapsed, trimmed."""
    # A string is its own cell_text, but for blank ones (""), which the rest makes "" too.
    text = value if type(value) is str else cell_text(value)
    if text.isascii() and text.isprintable() and "  " not in text and text.strip() == text:
        return text  # already clean, as most cells are: the same result, five times sooner
    text = _ILLEGAL_XML.sub(" ", text)
    text = INVISIBLE.sub("", text)
    text = unicodedata.normalize("NFC", text)
    return _SPACES.sub(" ", text).strip()


@functools.lru_cache(maxsize=1 << 16, typed=True)  # typed: 1, 1.0 and True read differently
def match_key(text: str) -> str:
    """A key under which two spellings of the same text compare equal.

    Whitespace, case and the style of quotes do not matter; nor does a final full stop.
    """
    return clean_text(text).translate(_QUOTES).casefold().rstrip(". ")


def parse_yes_no(value: object) -> bool:
    if isinstance(value, bool):
        return value
    text = clean_text(value).casefold()
    if text in YES:
        return True
    if text in NO:
        return False
    raise ValueError(f'"{clean_text(value)}" is not "Yes" or "No"')


#: What a partner may write under "This year" for each of schema.CARRY_VALUES.
_CARRY_WORDS = {
    CONTINUES: ("continues", "continue", "continuing", "carried over", "carry over", "carried",
                "yes", "same", "as is", "unchanged"),
    CHANGED: ("continues changed", "continue changed", "continues but changed", "changed",
              "amended", "updated", "continues amended", "continues with changes"),
    COMPLETED: ("completed", "complete", "done", "finished", "achieved"),
    DROPPED: ("dropped", "drop", "stopped", "removed", "withdrawn", "no", "not continuing"),
}
_CARRY = {" ".join(re.sub(r"[^a-z ]+", " ", word).split()): value
          for value, words in _CARRY_WORDS.items() for word in (value.casefold(), *words)}


def parse_carry(value: object) -> str:
    """A "This year" cell as one of schema.CARRY_VALUES, or ValueError."""
    text = clean_text(value)
    found = _CARRY.get(" ".join(re.sub(r"[^a-z ]+", " ", text.casefold()).split()))
    if found is None:
        allowed = ", ".join(f'"{word}"' for word in CARRY_VALUES)
        raise ValueError(f'"{text}" is not one of {allowed}')
    return found


# --- Leads ------------------------------------------------------------------------------------

# Each pattern may start a match only where its leading spaces start (or at the separator
# itself), so a long run of spaces is looked at once, not once for each of its characters.
_HARD_SEPARATORS = re.compile(r"(?<!\s)\s*(?:/|\\|,|;|\||\n|\r)\s*|(?:/|\\|,|;|\||\n|\r)\s*")
_SOFT_SEPARATORS = re.compile(r"(?<!\s)\s+(?:and|&|\+)\s+", re.IGNORECASE)


def split_leads(value: object, known: Collection[str] = (),
                names_in: dict[str, tuple[tuple[str, str], ...]] | None = None
                ) -> tuple[str, ...]:
    """Leads as one clean list, whatever the separators.

    "Police/ CSC/ Forum members", "PCC, Police" and "Police and PCC" all split. "and" and "&"
    split only when every piece is a known lead, so "task and finish group" stays whole.
    `known` holds match keys (see lead_key). Duplicates and empty pieces are dropped.
    `names_in`, when given, keeps what each piece between hard separators holds, for the next
    call with the same `known` (the same few names fill thousands of Leads cells).
    """
    raw = _ILLEGAL_XML.sub(" ", cell_text(value))
    leads: list[str] = []
    seen: set[str] = set()
    for part in _HARD_SEPARATORS.split(raw):
        names = names_in.get(part) if names_in is not None else None
        if names is None:
            names = _names_in(part, known)
            if names_in is not None:
                names_in[part] = names
        for name, key in names:
            if key not in seen:
                seen.add(key)
                leads.append(name)
    return tuple(leads)


def _names_in(part: str, known: Collection[str]) -> tuple[tuple[str, str], ...]:
    """The leads in one piece of a Leads cell between hard separators, with their keys."""
    pieces = [part]
    if lead_key(part) not in known:
        soft = _SOFT_SEPARATORS.split(part)
        if len(soft) > 1 and all(lead_key(piece) in known for piece in soft):
            pieces = soft
    names = (clean_text(piece).strip(" .") for piece in pieces)
    return tuple((name, lead_key(name)) for name in names if name)


@functools.lru_cache(maxsize=1 << 14, typed=True)  # a few names, thousands of times
def lead_key(name: str) -> str:
    return match_key(name).strip(" .")


def union(groups: Iterable[Iterable[str]], key: Callable[[str], str] = lead_key) -> tuple[str, ...]:
    """Items of several lists in order, the first spelling kept; `key` says which are the same."""
    result: list[str] = []
    seen: set[str] = set()
    for group in groups:
        for item in group:
            if key(item) not in seen:
                seen.add(key(item))
                result.append(item)
    return tuple(result)


_SEPARATOR = re.compile(r"(?<![ \t])[ \t]*[/,;|\\][ \t]*|[/,;|\\][ \t]*")  # as above


def uneven_separators(value: object) -> tuple[str, ...]:
    """The separators of a Leads cell, as typed, when they are written unevenly; else ().

    Uneven means mixed ("Genga / Police/ LCSC"), spaced on one side of a slash only
    ("Police/ CSC"), a comma with a space before it, or an empty lead between two separators
    ("CLCRC/ /task and finish group"). The leads still split; the warning is about tidiness and
    about names that may have been run together by mistake.
    """
    text = _ILLEGAL_XML.sub(" ", cell_text(value))
    forms = _SEPARATOR.findall(text)
    if not forms:
        return ()
    shapes = set()
    uneven = False
    for form in forms:
        mark = form.strip(" \t")
        before, after = form[0] in " \t", form[-1] in " \t"
        shapes.add((mark, before, after))
        uneven |= before if mark in ",;" else before != after
    if not uneven:
        pieces = _HARD_SEPARATORS.split(text)
        uneven = any(not piece.strip() for piece in pieces[1:-1])
    if not uneven and len(shapes) == 1:
        return ()
    return tuple(dict.fromkeys(forms))


# --- Sentences and acronyms --------------------------------------------------------------------

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
#: A sentence must have this many words before its repetition is worth a warning.
MIN_SENTENCE_WORDS = 4


def repeated_sentence(value: object) -> str | None:
    """The first sentence a cell holds twice, as written, or None.

    Pasting a sentence twice is a common slip (the reference plan has one); capital letters,
    spacing and a final full stop do not hide a repeat.
    """
    sentences = _SENTENCE_END.split(clean_text(value))
    if len(sentences) < 2:
        return None  # most cells hold one sentence
    seen: set[str] = set()
    for sentence in sentences:
        if len(sentence.split()) < MIN_SENTENCE_WORDS:
            continue
        key = match_key(sentence)
        if key in seen:
            return sentence
        seen.add(key)
    return None


# A word of capitals and digits, starting with a capital, with an optional plural: "CSC",
# "IDVAs", "HMP"; acronyms() keeps those with a second capital. The run is taken whole
# (possessive), as a shorter one could never match: so a long run of capitals followed by a
# letter fails at once, where trying each split of it took time growing with its square.
_ACRONYM = re.compile(r"(?<![\w'’-])([A-Z][A-Z0-9]*+)(?:s|'s|’s)?(?![\w'’])")
#: Capitalised words that are not acronyms (emphasis, markers), and Roman numerals.
NOT_ACRONYMS = frozenset({
    "NEW", "AND", "OR", "THE", "OF", "TO", "IN", "ON", "AT", "BY", "FOR", "ALL", "NOT", "NO",
    "YES", "OK", "NB", "PS", "AM", "PM", "TBC", "TBA", "TBD", "ETC", "IE", "EG", "NA",
})
_ROMAN = re.compile(r"^[IVXLCDM]+$")
_SECOND_CAPITAL = re.compile("[A-Z]")


_CAPITALS = re.compile(r"[A-Z][A-Z0-9]*[A-Z]")


def has_capitals(text: str) -> bool:
    """Whether text has two capitals with only capitals or digits between: without that it
    holds no acronym (a quick test, as most cells have none)."""
    return _CAPITALS.search(text) is not None


def acronyms(value: object) -> list[str]:
    """The acronyms a text uses, in order, each once: words of two or more capitals."""
    found: dict[str, None] = {}
    for match in _ACRONYM.finditer(cell_text(value)):
        word = match.group(1)
        if _SECOND_CAPITAL.search(word, 1) and word not in NOT_ACRONYMS and \
                not _ROMAN.match(word):
            found.setdefault(word)
    return list(found)


def uses_term(text: str, term: str) -> bool:
    """Whether text uses a glossary term as a word (its plural too), with its capitals."""
    if not term:
        return False
    return re.search(rf"(?<![\w-]){re.escape(term)}(?:s|'s|’s)?(?![\w-])", text) is not None
