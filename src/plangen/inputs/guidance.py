"""What partners are told about filling in a return, from the schema and the validator.

The blank returns' instructions and docs/partners.md say the same things, so both take them
from here: what to write in each column, in a partner's words, and a real message the validator
gives, as the example of how to read one.
"""

from __future__ import annotations

from dataclasses import fields

from plangen.inputs.columns import Vocabulary, check_table
from plangen.inputs.read import Table
from plangen.inputs.schema import ABOUT, ACTIONS, Column, Kind
from plangen.inputs.values import lead_key, match_key
from plangen.problems import Collector, Problem, column_letter

#: What a partner is told about a column beyond its help text, by what it holds.
_FOR_PARTNERS = {
    Kind.LEADS: "Pick one from the list, or type the names.",
    Kind.YES_NO: "Leave it empty if not.",
}

#: A column's length limit is worth telling a partner only when it is not the default.
_USUAL_LENGTH = next(f.default for f in fields(Column) if f.name == "max_length")


def for_partners(column: Column) -> str:
    """What to write in a return's column, in a partner's words (blank returns and the guide)."""
    if column.kind is Kind.TEXT:
        extra = (f"At most {column.max_length} characters."
                 if column.max_length != _USUAL_LENGTH else "")
    else:
        extra = _FOR_PARTNERS.get(column.kind, "")
    return f"{column.help} {extra}".strip()


def example_problem(file: str) -> Problem:
    """The message a partner gets for "Sept" in Actions C7, from the validator itself, so the
    example in the instructions and docs/partners.md is always what plangen really says."""
    theme, lead = ACTIONS.column("theme").example, ABOUT.column("partner").example
    row = {"theme": theme, "action": ACTIONS.column("action").example, "timescale": "Sept",
           "leads": lead, "new": "", "row": 7}
    letters = {column.key: column_letter(index)
               for index, column in enumerate(ACTIONS.written().columns, start=1)}
    table = Table(file, ACTIONS.name, {key: [value] for key, value in row.items()}, letters)
    vocabulary = Vocabulary(themes={match_key(theme): theme}, partners={lead_key(lead): lead})
    found = Collector()
    check_table(table, ACTIONS, vocabulary, found)
    return next(problem for problem in found if problem.is_error)
