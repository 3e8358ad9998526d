"""Documentation generated from the schema, so the docs cannot drift from the reader.

`make docs` rewrites the parts of docs/returns.md and docs/partners.md between the markers
below; a test fails when a file is out of date.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import fields

from plangen.problems import column_number
from plangen.schema import (
    ACTIONS,
    COORDINATOR,
    ONGOING,
    RETURN,
    YES,
    Column,
    Kind,
    Sheet,
    Workbook,
)

BEGIN = "<!-- BEGIN GENERATED: plangen.docs.input_reference -->"  # docs/returns.md
END = "<!-- END GENERATED -->"

_ALLOWED = {
    Kind.TEXT: "text",
    Kind.THEME: "a theme from the Themes sheet",
    Kind.PRIORITY: "a priority from the Priorities sheet",
    Kind.TIMESCALE: '"Ongoing" or a month and year ("September 2018", "Sept 2018", '
                    '"09/2018", or a date)',
    Kind.LEADS: "partner names separated by commas (also / ; or a new line)",
    Kind.YES_NO: '"Yes" or empty (also Y, No, N, x)',
    Kind.MONTH: 'a month and year ("April 2018")',
}


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


def _sheet(sheet: Sheet) -> list[str]:
    lines = [f"### Sheet “{sheet.name}”" + ("" if sheet.required else " (optional)"), "",
             sheet.purpose, ""]
    if sheet.aliases:
        lines += ["Also found under the name " + ", ".join(f"“{a}”" for a in sheet.aliases)
                  + ".", ""]
    first = "Setting (column A)" if sheet.settings else "Column"
    lines += [f"| {first} | Required | Holds | Example | Also accepted as |",
              "| --- | --- | --- | --- | --- |"]
    for column in sheet.columns:
        holds = column.help if column.kind is Kind.TEXT else (
            f"{column.help} ({_ALLOWED[column.kind]})")
        if column.kind is Kind.TEXT:
            holds += f" At most {column.max_length} characters."
        aliases = ", ".join(column.aliases) or "—"
        lines.append(f"| {column.header} | {'yes' if column.required else 'no'} | {holds} | "
                     f"{column.example} | {aliases} |")
    return [*lines, ""]


def _workbook(workbook: Workbook, heading: str) -> list[str]:
    lines = [f"## {heading}", "", workbook.description, ""]
    for sheet in workbook.sheets:
        lines += _sheet(sheet)
    return lines


def input_reference() -> str:
    """The generated part of docs/returns.md."""
    lines = [
        BEGIN,
        "",
        *_workbook(COORDINATOR, "The coordinator's workbook: inputs/plan.xlsx"),
        *_workbook(RETURN, "A partner's return: inputs/returns/*.xlsx"),
        "## Words plangen understands",
        "",
        "- Timescale “Ongoing”: " + ", ".join(f"“{w}”" for w in ONGOING) + ".",
        "- Yes: " + ", ".join(f"“{w}”" for w in YES) + " (any case); anything else "
        "but No/N/empty is an error.",
        "- Header and sheet names are matched ignoring case, spaces, punctuation and “(s)”: "
        "“Lead(s)”, “LEADS” and “leads” are all the Leads column.",
        "",
        END,
    ]
    return "\n".join(lines)


# --- For partners: docs/partners.md -----------------------------------------------------------

def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def partner_columns() -> str:
    """The generated column tables in docs/partners.md: what to write in each sheet."""
    lines = [_begin(partner_columns), ""]
    for sheet in RETURN.sheets:
        lines += [f"### The {sheet.name} sheet" + ("" if sheet.required else " (optional)"), "",
                  sheet.purpose, ""]
        first = "Row (column A)" if sheet.settings else "Column"
        lines += [f"| {first} | Must it be filled in? | What to write | Example |",
                  "| --- | --- | --- | --- |"]
        for column in sheet.columns:
            need = "yes" if column.required else "no"
            if sheet.settings and column.key == "partner":
                need = "yes (already filled in for you)"
            lines.append(f"| {column.header} | {need} | {_cell(for_partners(column))} | "
                         f"{_cell(column.example)} |")
        lines.append("")
    return "\n".join([*lines, END])


def partner_example() -> str:
    """The generated example message in docs/partners.md, made by the validator itself."""
    from plangen.blank import example_problem  # blank imports this module

    problem = example_problem("police.xlsx")
    column = ACTIONS.columns[column_number(problem.where.cell.rstrip("0123456789")) - 1]
    row = problem.where.cell.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
    lines = [
        _begin(partner_example), "",
        "```text", str(problem), "```", "",
        "| Part | In this message | What it means |",
        "| --- | --- | --- |",
        f"| File | {problem.where.file} | your workbook |",
        f"| Sheet | {problem.where.sheet} | the tab of that name at the bottom of the window |",
        f"| Cell | {problem.where.cell} | column {problem.where.cell.rstrip('0123456789')} "
        f"({column.header}), row {row} |",
        f"| What is wrong | {_cell(problem.message)} | |",
        f"| How to fix it | {_cell(problem.fix)} | |",
        "",
        END,
    ]
    return "\n".join(lines)


# --- Keeping the files up to date ------------------------------------------------------------

Generator = Callable[[], str]

#: Each documentation file and the parts of it generated from the schema.
GENERATED: dict[str, tuple[Generator, ...]] = {
    "returns.md": (input_reference,),
    "partners.md": (partner_columns, partner_example),
}


def _begin(generate: Generator) -> str:
    return f"<!-- BEGIN GENERATED: plangen.docs.{generate.__name__} -->"


def updated(text: str, generate: Generator = input_reference) -> str:
    """text with the part that generate() writes replaced by its current output."""
    start = text.index(_begin(generate))
    end = text.index(END, start) + len(END)
    return text[:start] + generate() + text[end:]


def updated_file(name: str, text: str) -> str:
    """A docs/ file's text with every generated part brought up to date."""
    for generate in GENERATED[name]:
        text = updated(text, generate)
    return text
