"""Reference documentation generated from the schema, so the docs cannot drift from the reader.

`make docs` rewrites the part of docs/returns.md between the markers below; a test fails when
the file is out of date.
"""

from __future__ import annotations

from plangen.schema import COORDINATOR, ONGOING, RETURN, YES, Column, Kind, Sheet, Workbook

BEGIN = "<!-- BEGIN GENERATED: plangen.docs.input_reference -->"
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
    Kind.LEADS: "Pick one from the list, or type several names.",
    Kind.YES_NO: "Leave it empty if not.",
}


def for_partners(column: Column) -> str:
    """What to write in a return's column, in a partner's words (blank returns and the guide)."""
    extra = (f"At most {column.max_length} characters." if column.kind is Kind.TEXT
             else _FOR_PARTNERS.get(column.kind, ""))
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


def updated(text: str) -> str:
    """text with its generated part replaced by the current one."""
    start, end = text.index(BEGIN), text.index(END) + len(END)
    return text[:start] + input_reference() + text[end:]
