"""The coordinator's order of actions within a theme: the Themes sheet's "Partner order".

Without it a theme's actions follow the Partners sheet, one order for every theme. A theme's
Partner order names the partners whose actions come first in its table, in that order; the
other partners' actions follow in Partners-sheet order. The validator checks each name here
(a name that is no partner is a warning at its cell) and the merge ranks partners with
`theme_ranks`, so both read the column the same way.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from plangen.inputs.columns import Vocabulary
from plangen.inputs.read import Book
from plangen.inputs.schema import THEMES
from plangen.inputs.values import lead_key
from plangen.problems import Collector
from plangen.text import did_you_mean

#: The column of the Themes sheet (see plangen.inputs.schema.THEMES).
COLUMN = "partner_order"


def check_partner_order(book: Book, themes: pd.DataFrame, vocabulary: Vocabulary,
                        found: Collector) -> None:
    """A warning at each Partner order cell for every name that is not on the Partners sheet:
    it would be left out of the order without a word otherwise."""
    table = book.tables.get(THEMES.name)
    if table is None or themes.empty or COLUMN not in themes or not vocabulary.partners:
        return
    for names, row in zip(themes[COLUMN].tolist(), themes["row"].tolist(), strict=True):
        for name in names or ():
            if lead_key(name) in vocabulary.partners:
                continue
            hint = did_you_mean(name, vocabulary.partner_order)
            found.warning(table.ref(COLUMN, row),
                          f'"{name}" is not on the Partners sheet, so it does not change '
                          "this theme's order" + (f" — did you mean {hint}?" if hint else ""),
                          "Write the partner as the Partners sheet names it (or one of its "
                          "other names), or take it out.", "unknown-order-partner")


def theme_ranks(themes: pd.DataFrame, vocabulary: Vocabulary) -> dict[str, dict[str, int]]:
    """For each theme with a Partner order, the rank of every partner in its table: those
    named first, in the order named, then the rest in Partners-sheet order. Names are matched
    as leads are (case, spacing, other names); a name that is no partner is skipped."""
    if themes.empty or COLUMN not in themes:
        return {}
    ranks: dict[str, dict[str, int]] = {}
    for theme, names in zip(themes["theme"].tolist(), themes[COLUMN].tolist(), strict=True):
        named = list(dict.fromkeys(
            partner for partner in (vocabulary.partners.get(lead_key(name)) for name in names or ())
            if partner is not None))
        if named:
            ranks[theme] = _ranked(named, vocabulary.partner_order)
    return ranks


def _ranked(named: list[str], partner_order: Mapping[str, int]) -> dict[str, int]:
    first = {partner: index for index, partner in enumerate(named)}
    rest = {partner: len(named) + position for partner, position in partner_order.items()
            if partner not in first}
    return {**first, **rest}
