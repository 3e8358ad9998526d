"""Documentation generated from the code, so the docs cannot drift from it.

`make docs` rewrites the generated parts of docs/returns.md and docs/partners.md (from the input
schema) and of docs/template-guide.md (from the plan model and check-template itself); a test
fails when a file is out of date.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from plangen.inputs.guidance import example_problem, for_partners
from plangen.inputs.schema import (
    ACTIONS,
    COORDINATOR,
    ONGOING,
    RETURN,
    YES,
    Kind,
    Sheet,
    Workbook,
)
from plangen.problems import cell_of, column_number

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
    Kind.REFERENCE: 'an action reference from last year\'s plan ("CS-03"; also "cs 3", "CS03")',
    Kind.CARRY: '"Continues", "Continues, changed", "Completed" or "Dropped"',
}


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
    """Text safe inside a Markdown table cell."""
    return text.replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;")


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
    problem = example_problem("police.xlsx")
    where = cell_of(problem)
    column = ACTIONS.written().columns[column_number(where.cell.rstrip("0123456789")) - 1]
    row = where.cell.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
    lines = [
        _begin(partner_example), "",
        "```text", problem.line(), "```", "",
        "| Part | In this message | What it means |",
        "| --- | --- | --- |",
        f"| Kind and code | {problem.label} | an error keeps the row out of the plan until it "
        "is fixed (a warning is only worth a look); the code names the kind of problem |",
        f"| File | {where.file} | your workbook |",
        f"| Sheet | {where.sheet} | the tab of that name at the bottom of the window |",
        f"| Cell | {where.cell} | column {where.cell.rstrip('0123456789')} "
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


# --------------------------------------------------------------------------------------------------
# docs/template-guide.md: what a template can use, generated from the plan model


def generated(name: str) -> tuple[str, str]:
    """The markers around the generated part `name` of a document."""
    return f"<!-- BEGIN GENERATED: plangen.docs.{name} -->", END


def replace_generated(text: str, name: str, content: str) -> str:
    begin, end = generated(name)
    start = text.index(begin)
    stop = text.index(end, start) + len(end)
    return text[:start] + f"{begin}\n\n{content.strip()}\n\n{end}" + text[stop:]


#: What each name and field holds, in an officer's words. Every field reachable from the
#: template context needs one: the guide generator refuses to leave a field unexplained.
FIELD_HELP = {
    "partnership": "The partnership's name.",
    "area": "The area the plan covers.",
    "title": "The plan title, exactly as the coordinator typed it.",
    "full_title": "The plan title as typed, after the partnership's name and a colon unless the "
                  "title already contains that name: for the footer and the file's title.",
    "introduction": "The opening paragraph: the Introduction setting as typed, or else “This "
                    "plan is written in consultation with partners and based on data provided "
                    "by …” naming the sources.",
    "period": "The months the plan covers; prints as its label.",
    "sources": "The evidence the plan is based on, in order.",
    "priorities": "The priority pages, in the coordinator's order.",
    "themes": "The action-plan themes, in order.",
    "glossary": "The glossary, A to Z.",
    "partners": "The partners, as listed on the Partners sheet.",
    "glance": "The plan at a glance: figures for a summary.",
    "glance_chart": "A bar chart of actions per theme (NEW ones striped), with alt text stating "
                    "every figure. Put {{ glance_chart }} alone in a paragraph.",
    "ThemeChart.glance": "The figures the chart shows.",
    "ThemeChart.alt": "The chart's alt text.",
    "draft": "Yes in a draft built although the returns have errors.",
    "left_out": "In a draft: one line for each row left out, saying where it is and why.",
    "changes": "This plan against last year's, when the inputs hold last year's plan "
               "(previous-plan.json); empty otherwise, so {%p if changes %} shows a section "
               "only then.",
    "retired": "The references of earlier years' actions no longer in the plan (never given "
               "again).",
    "Changes.previous_title": "Last year's plan title.",
    "Changes.previous_period": "The months last year's plan covered.",
    "Changes.new": "Actions in this plan that last year's did not have.",
    "Changes.carried": "Last year's actions carried over as they were.",
    "Changes.changed": "Last year's actions carried over with changes.",
    "Changes.completed": "Last year's actions marked completed.",
    "Changes.dropped": "Last year's actions marked dropped, with the reason.",
    "Changes.not_returned": "Last year's actions that no return this year mentions.",
    "Changes.priorities_added": "Priorities this plan has that last year's did not.",
    "Changes.priorities_removed": "Last year's priorities this plan does not have.",
    "Changes.themes_added": "Themes this plan has that last year's did not.",
    "Changes.themes_removed": "Last year's themes this plan does not have.",
    "ActionChange.reference": "The action's reference (CS-03).",
    "ActionChange.text": "The key action (as last year's plan had it, for one no longer in "
                         "the plan).",
    "ActionChange.theme": "Its theme.",
    "ActionChange.partners": "The partners whose returns sent it.",
    "ActionChange.changes": "For a changed action: each field that changed.",
    "ActionChange.reason": "For a completed or dropped action: what the return said.",
    "FieldChange.field": "What changed: Key action, Timescale, Leads or Theme.",
    "FieldChange.old": "As last year's plan had it.",
    "FieldChange.new": "As this plan has it.",
    "Period.start": "The first month, as a date.",
    "Period.end": "The last month, as a date.",
    "Period.label": "The period in words.",
    "Period.years": "The years, or one year when the plan is within one.",
    "Priority.name": "The priority's name.",
    "Priority.title": "The page title (the name, unless the coordinator gave another).",
    "Priority.statistics": "The headline statistic boxes.",
    "Priority.aims": "What we want to achieve.",
    "Priority.current_work": "What we do now, from the partners' returns.",
    "Priority.commitments": "What we will do.",
    "Priority.current_work_partners": "Whose returns sent each item of current_work, in the "
                                      "same order.",
    "Statistic.heading": "The box's heading.",
    "Statistic.facts": "The facts in the box.",
    "Theme.name": "The theme's name.",
    "Theme.priorities": "The “Priorities:” line as the coordinator wrote it; may be empty.",
    "Theme.actions": "Its actions, one table row each.",
    "Theme.new_actions": "Only its actions marked NEW.",
    "Theme.code": "The start of its actions' references (CS for CS-01): the Themes sheet's "
                  "Code, or made from the theme's initials.",
    "Action.text": "The key action.",
    "Action.timescale": "When it will be done; prints as “Ongoing” or a month.",
    "Action.leads": "The lead partners.",
    "Action.new": "Yes when it is marked NEW.",
    "Action.partners": "The partners whose returns sent it.",
    "Action.sources": "Where it came from in the returns (file · sheet · cell).",
    "Action.reference": "Its reference, unique in the plan: the theme's code and its place in "
                        "the theme (CS-03).",
    "Timescale.month": "The month as a date; empty when ongoing.",
    "Timescale.ongoing": "Yes when the action is ongoing.",
    "Timescale.text": "“Ongoing” or the month in words.",
    "CellRef.file": "The workbook.",
    "CellRef.sheet": "The sheet.",
    "CellRef.cell": "The cell.",
    "GlossaryEntry.term": "The acronym or term.",
    "GlossaryEntry.meaning": "What it stands for.",
    "Partner.name": "The partner's short name.",
    "Partner.full_name": "The partner's full name.",
    "Partner.sends_return": "Yes when the partner is asked for a return.",
    "Partner.other_names": "Other names the partner is written under.",
    "Glance.actions": "How many actions the plan has.",
    "Glance.new": "How many of them are NEW.",
    "Glance.themes": "Actions per theme.",
    "Glance.leads": "The leads with most actions, most first (at most 8).",
    "ThemeCount.theme": "The theme.",
    "ThemeCount.actions": "Its number of actions.",
    "ThemeCount.new": "How many of them are NEW.",
    "LeadCount.lead": "The lead partner.",
    "LeadCount.actions": "How many actions it leads.",
}

#: The item name a loop over each list uses in the shipped template and the guide.
LOOP_NAMES = {"glossary": "entry", "current_work": "work", "left_out": "problem",
              "Glance.themes": "count", "Glance.leads": "count", "new_actions": "action",
              "other_names": "name", "priorities": "priority", "statistics": "statistic",
              "facts": "fact", "aims": "aim", "commitments": "commitment", "sources": "source",
              "current_work_partners": "senders", "retired": "reference",
              **{f"Changes.{name}": "action" for name in ("new", "carried", "changed",
                                                           "completed", "dropped",
                                                           "not_returned")},
              "ActionChange.changes": "change",
              "priorities_added": "priority", "priorities_removed": "priority",
              "themes_added": "theme", "themes_removed": "theme"}


def loop_name(owner: str, name: str) -> str:
    """The loop item name for the list `name` of `owner` ("" for the top level)."""
    return LOOP_NAMES.get(f"{owner}.{name}") or LOOP_NAMES.get(name) or name.removesuffix("s")


def _example(value: Any) -> str:
    from datetime import date

    if value is None or value == "":
        return "(empty)"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (int, date)):
        return str(value)
    if isinstance(value, str):
        return f"“{value if len(value) <= 60 else value[:59] + '…'}”"
    if isinstance(value, tuple):
        if not value:
            return "none here"
        first = value[0]
        shown = ", ".join(map(str, first)) if isinstance(first, tuple) else str(first)
        return f"{len(value)}, the first {_example(shown)}"
    return _example(str(value))


def _count(value: Any, described: str) -> str:
    """“5 actions”, “1 action” for a list of described items."""
    from plangen.template.model_types import plural

    if not value:
        return "none here"
    one = described.split(" ", 1)[-1] if described.startswith(("a ", "an ")) else described
    return f"{len(value)} {one if len(value) == 1 else plural(described)}"


@dataclass
class _Section:
    title: str
    rows: list[tuple[str, str, str]]


def template_reference(values: dict[str, Any]) -> str:
    """The field reference of docs/template-guide.md: for each place in a template (anywhere,
    inside each loop) every tag that can be typed there, what it gives, and its value in the
    plan values were made from (template.context.context of the sample plan)."""
    from plangen.template.model_types import describe, element_type, fields_of, strip_optional

    sections: list[_Section] = []
    documented: dict[Any, str] = {}

    def help_for(owner: str, name: str) -> str:
        key = f"{owner}.{name}" if owner else name
        if key not in FIELD_HELP:
            raise ValueError(f"describe {key} in plangen.docs.FIELD_HELP for the template guide")
        return FIELD_HELP[key]

    def rows_for(owner: str, names: dict[str, Any], prefix: str, example: Any,
                 rows: list[tuple[str, str, str]]) -> None:
        for name, kind in names.items():
            path = f"{prefix}{name}"
            value = (example.get(name) if isinstance(example, dict)
                     else getattr(example, name, None))
            described = help_for(owner, name)
            element = element_type(kind)
            if strip_optional(kind) is bool:
                rows.append((f"`{{% if {path} %}}` … `{{% endif %}}`",
                             f"{described} Shows what is between the tags only then.",
                             _example(value)))
                continue
            if element is not None and strip_optional(kind) is not str:
                item = loop_name(owner, name)
                loop = f"`{{%p for {item} in {path} %}}` … `{{%p endfor %}}`"
                first = value[0] if value else None
                if fields_of(element) is None:
                    rows.append((f"{loop}, and inside it `{{{{ {item} }}}}`",
                                 f"{described} One each time round.", _example(value)))
                    continue
                count = _count(value, describe(element))
                if element in documented:
                    rows.append((loop, f"{described} Each {item} has the fields listed under "
                                 f"“{documented[element]}”.", count))
                    continue
                title = f"Each {item}: inside `{{%p for {item} in {path} %}}`"
                documented[element] = title
                rows.append((loop, f"{described} See “{title}”.", count))
                section = _Section(title, [])
                sections.append(section)
                rows_for(element.__name__, fields_of(element) or {}, f"{item}.", first,
                         section.rows)
                continue
            attributes = fields_of(kind)
            if attributes is not None:
                record = strip_optional(kind)
                if "__str__" in vars(record):
                    rows.append((f"`{{{{ {path} }}}}`", described, _example(value)))
                rows_for(record.__name__, attributes, f"{path}.", value, rows)
                continue
            rows.append((f"`{{{{ {path} }}}}`", described, _example(value)))

    from plangen.template.context import context_types

    top = _Section("Anywhere in the document", [])
    sections.append(top)
    rows_for("", context_types(), "", values, top.rows)
    lines: list[str] = []
    for section in sections:
        lines += [f"### {section.title}", "", "| Type this | What you get | In the sample plan |",
                  "| --- | --- | --- |"]
        lines += [f"| {_cell(tag)} | {_cell(text)} | {_cell(example)} |"
                  for tag, text, example in section.rows]
        lines.append("")
    return "\n".join(lines)


def template_problem_ids() -> str:
    """The table of check-template's problem ids."""
    from plangen.template.check import PROBLEM_IDS

    lines = ["| Id | What it means |", "| --- | --- |"]
    lines += [f"| `{code}` | {_cell(meaning)} |" for code, meaning in PROBLEM_IDS.items()]
    return "\n".join(lines)


#: Mistakes shown in the guide with what check-template really says about them: paragraphs
#: as text or (text, style), tables as lists of rows; "!style Name" deletes that style.
MISTAKES: tuple[tuple[str, tuple[Any, ...]], ...] = (
    ("A field name mistyped",
     (("Action plan", "Heading 1"), "{%p for theme in themes %}",
      ("{{ theme.nam }}", "Heading 2"), "{%p endfor %}")),
    ("A field used outside its loop",
     (("Action plan", "Heading 1"), "{%p for theme in themes %}",
      ("{{ theme.name }}", "Heading 2"), "{%p endfor %}", "{{ theme.priorities }}")),
    ("A loop never closed",
     (("Action plan", "Heading 1"), "{%p for theme in themes %}",
      ("{{ theme.name }}", "Heading 2"))),
    ("The end of a row loop moved out of its table",
     (("Action plan", "Heading 1"),
      [["{%tr for action in themes[0].actions %}"], ["{{ action.text }}"]],
      "{%tr endfor %}")),
    ("A field typed into the paragraph of a loop tag",
     (("Themes", "Heading 1"), "{%p for theme in themes %} {{ theme.name }}",
      "{%p endfor %}")),
    ("A missing space, a missing brace and curly quotes",
     ("{%pfor source in sources %}", "{{ source }", "{%p endfor %}",
      "{{ sources|join(“, ”) }}")),
    ("A whole list printed",
     ("{{ sources }}",)),
    ("A style deleted from the Styles pane",
     (("{{ partnership }}", "Title"), "!style Title")),
)


def _mistake_template(path: Any, blocks: tuple[Any, ...]) -> None:
    from docx import Document

    document = Document()
    for block in blocks:
        if isinstance(block, list):
            table = document.add_table(rows=len(block), cols=len(block[0]))
            for row_number, row in enumerate(block):
                for cell_number, text in enumerate(row):
                    table.cell(row_number, cell_number).text = text
        elif isinstance(block, tuple):
            document.add_paragraph(block[0], style=block[1])
        elif block.startswith("!style "):
            style = document.styles[block.removeprefix("!style ")]
            style.element.getparent().remove(style.element)
        else:
            document.add_paragraph(block)
    document.save(str(path))


def template_mistakes() -> str:
    """Common mistakes, each built as a small template and checked: the messages shown are
    check-template's own, so the guide cannot drift from what officers will see."""
    import tempfile
    from pathlib import Path

    from plangen.template.check import check_template

    lines: list[str] = []
    with tempfile.TemporaryDirectory() as folder:
        for number, (title, blocks) in enumerate(MISTAKES):
            path = Path(folder) / f"mistake-{number}.docx"
            _mistake_template(path, blocks)
            typed = []
            for block in blocks:
                if isinstance(block, list):
                    typed += [f"[table row: {' | '.join(row)}]" for row in block]
                elif isinstance(block, tuple):
                    typed.append(f"{block[0]}    ({block[1]} style)")
                elif block.startswith("!style "):
                    typed.append(f"(the {block.removeprefix('!style ')} style deleted)")
                else:
                    typed.append(block)
            said = [problem.line() for problem in check_template(path)]
            lines += [f"#### {title}", "", "In the template:", "", "```", *typed, "```", "",
                      "`plangen check-template` says:", "", "```", *said, "```", ""]
    return "\n".join(lines)


def updated_guide(text: str, values: dict[str, Any]) -> str:
    """docs/template-guide.md with its generated parts replaced by current ones."""
    text = replace_generated(text, "template_reference", template_reference(values))
    text = replace_generated(text, "template_problem_ids", template_problem_ids())
    return replace_generated(text, "template_mistakes", template_mistakes())
