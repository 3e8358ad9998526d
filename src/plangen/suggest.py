"""'Did you mean …?' for names people type: themes, priorities, partners, headers, tags."""

from __future__ import annotations

from collections.abc import Iterable

from rapidfuzz import fuzz, process, utils

#: How alike (0-100) a name must be to a known one to be suggested.
CUTOFF = 75


def did_you_mean(typed: str, known: Iterable[str], cutoff: float = CUTOFF) -> str | None:
    """The known name closest to typed, quoted, or None when nothing is close."""
    choices = [name for name in dict.fromkeys(known) if name]
    if not typed or not choices:
        return None
    match = process.extractOne(typed, choices, scorer=fuzz.WRatio,
                               processor=utils.default_process, score_cutoff=cutoff)
    return f'"{match[0]}"' if match else None
