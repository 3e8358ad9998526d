"""Words for messages: "did you mean …?" for names people type, and text cut to fit a message."""

from __future__ import annotations

from collections.abc import Iterable

from rapidfuzz import fuzz, process, utils

#: How alike (0-100) a name must be to a known one to be suggested.
CUTOFF = 75
#: The same for short names (template fields, attributes), compared by plain edit distance.
SHORT_NAME_CUTOFF = 70


def closest(typed: str, known: Iterable[str], *, cutoff: float = CUTOFF,
            short_names: bool = False) -> str | None:
    """The known name closest to typed, or None when nothing is close enough.

    Names people type (themes, partners, headers) are compared allowing for a word left out
    or added (rapidfuzz's WRatio). Short names, as the fields of a template, are compared by
    plain edit distance, which suits them better (uper -> upper, nam -> name): partial matching
    would offer "e".
    """
    choices = [name for name in dict.fromkeys(known) if name]
    if not typed or not choices:
        return None
    scorer = fuzz.ratio if short_names else fuzz.WRatio
    match = process.extractOne(typed, choices, scorer=scorer, processor=utils.default_process,
                               score_cutoff=cutoff)
    return str(match[0]) if match else None


def did_you_mean(typed: str, known: Iterable[str], cutoff: float = CUTOFF) -> str | None:
    """The known name closest to typed, in double quotes for a message, or None."""
    match = closest(typed, known, cutoff=cutoff)
    return f'"{match}"' if match else None


def shorten(text: str, limit: int = 60) -> str:
    """Text cut to at most limit characters, ending in "…" when it was cut."""
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"
