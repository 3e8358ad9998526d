"""A new partnership's working folder: its coordinator's workbook, the templates, a README.

`plangen new` writes what a coordinator from any partnership needs to start: inputs/plan.xlsx
with every sheet and heading of schema.COORDINATOR, the settings filled in from the options,
dropdowns where a column has allowed values and no sample rows; an empty inputs/returns/; the
shipped templates in templates/; and a README and Makefile that run the same commands there.
Nothing is overwritten: if any of those files exists, nothing is written.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import quote_sheetname
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from plangen.errors import StartRefused
from plangen.files import write_atomically
from plangen.inputs.blank import (
    BLANK_ROWS,
    FONT,
    PROMPT_LIMIT,
    PROMPT_TITLE_LIMIT,
    header_cell,
    instructions_sheet,
    table_sheet,
)
from plangen.inputs.months import parse_month
from plangen.inputs.read import COORDINATOR_FILE, RETURNS_DIR
from plangen.inputs.schema import (
    AIMS,
    COMMITMENTS,
    COORDINATOR,
    GLOSSARY,
    INSTRUCTIONS,
    PARTNERS,
    PRIORITIES,
    SETTINGS,
    SOURCES,
    STATISTICS,
    THEMES,
    Column,
    Kind,
    Sheet,
)
from plangen.inputs.values import clean_text
from plangen.model import Period
from plangen.office.cells import put_text
from plangen.text import shorten

INPUTS_DIR = "inputs"
TEMPLATES_DIR = "templates"
#: The shipped templates a new folder gets, as the build's defaults name them.
TEMPLATES = ("plan.docx", "plan.html", "plan-on-a-page.docx")

_FONT = Font(name=FONT, size=11)
_BOLD = Font(name=FONT, size=11, bold=True)
_TO_FILL = PatternFill("solid", fgColor="FFF2CC")  # a pale yellow: "type here", as in returns
_DATA = Alignment(vertical="top", wrap_text=True)
_TEXT_FORMAT = "@"  # keeps "April 2019" or "35%" as typed
_WIDE = 60  # characters: the width of a column of sentences
_PERIOD = re.compile(r"^(.+?)\s+(?:to|until|-|–|—)\s+(.+)$", re.IGNORECASE)


@dataclass(frozen=True)
class StartSettings:
    """What `plangen new` is told about the partnership: the Settings sheet's values."""

    partnership: str
    period: Period
    area: str = ""
    title: str = ""
    send_returns_to: str = ""
    returns_due: str = ""
    introduction: str = ""

    def values(self) -> dict[str, str]:
        """Setting key (schema.SETTINGS) -> the value to write; empty for one not given."""
        return {"partnership": self.partnership, "area": self.area, "title": self.title,
                "period_start": f"{self.period.start:%B %Y}",
                "period_end": f"{self.period.end:%B %Y}",
                "send_returns_to": self.send_returns_to, "returns_due": self.returns_due,
                "introduction": self.introduction}


@dataclass(frozen=True)
class Started:
    folder: Path
    written: tuple[Path, ...]  # every file written, relative to folder
    #: The required settings left empty because no option gave them, by their headings.
    to_fill: tuple[str, ...] = ()


def parse_period(text: str) -> Period:
    """ "April 2019 to March 2020" (or "Apr 2019 - Mar 2020") as a Period; ValueError if not."""
    typed = clean_text(text)
    example = 'give its first and last months, e.g. --period "April 2019 to March 2020"'
    match = _PERIOD.match(typed)
    if match is None:
        raise ValueError(f'"{typed}" is not a plan period: {example}')
    try:
        start, end = parse_month(match.group(1)), parse_month(match.group(2))
    except ValueError as error:
        raise ValueError(f'"{typed}" is not a plan period ({error}): {example}') from None
    if end < start:
        raise ValueError(f'"{typed}" ends before it starts: {example}')
    return Period(start, end)


def settings_from(partnership: str, period: str, area: str = "", title: str = "",
                  send_returns_to: str = "", returns_due: str = "",
                  introduction: str = "") -> StartSettings:
    """The settings as typed on the command line, checked; StartRefused says what is wrong."""
    name = clean_text(partnership)
    if not name:
        raise StartRefused('the partnership\'s name is empty: give it, e.g. --partnership '
                           '"Wyre Community Safety Partnership"')
    try:
        parsed = parse_period(period)
    except ValueError as error:
        raise StartRefused(f"--period: {error}") from None
    return StartSettings(name, parsed, clean_text(area), clean_text(title),
                         clean_text(send_returns_to), clean_text(returns_due),
                         clean_text(introduction))


def shipped_templates() -> Traversable:
    """The folder of the templates plangen ships: inside the installed package (a wheel gets a
    copy of the repository's templates/ when it is built, see setup.py), else the repository's
    own templates/ (an editable install or a source checkout), the one master copy."""
    packaged = resources.files("plangen") / TEMPLATES_DIR
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[3] / TEMPLATES_DIR


def start_folder(folder: Path, settings: StartSettings) -> Started:
    """Write a new partnership's working folder; refuse, writing nothing, if any file it would
    write is already there."""
    source = shipped_templates()
    missing = [name for name in TEMPLATES if not (source / name).is_file()]
    if missing:
        raise StartRefused(f"the shipped templates are missing ({', '.join(missing)} in "
                           f"{source}): reinstall plangen")
    workbook = Path(INPUTS_DIR) / COORDINATOR_FILE
    files = [workbook, *(Path(TEMPLATES_DIR) / name for name in TEMPLATES),
             Path("README.md"), Path("Makefile")]
    if (folder / workbook).exists():
        raise StartRefused(f"{folder / workbook} already exists: plangen new never overwrites "
                           "a partnership's workbook. Give a new folder, or move it away first.")
    there = [str(folder / path) for path in files if (folder / path).exists()]
    if there:
        raise StartRefused(f"{', '.join(there)} {'is' if len(there) == 1 else 'are'} already "
                           "there: plangen new never overwrites a file. Give a new folder, or "
                           "move them away first.")
    book = coordinator_workbook(settings)
    (folder / INPUTS_DIR / RETURNS_DIR).mkdir(parents=True, exist_ok=True)
    write_atomically(folder / workbook, lambda temporary: book.save(temporary))
    (folder / TEMPLATES_DIR).mkdir(exist_ok=True)
    for name in TEMPLATES:
        with (source / name).open("rb") as shipped, \
                (folder / TEMPLATES_DIR / name).open("wb") as copy:
            shutil.copyfileobj(shipped, copy)
    (folder / "README.md").write_text(readme(settings), encoding="utf-8")
    (folder / "Makefile").write_text(MAKEFILE, encoding="utf-8")
    values = settings.values()
    to_fill = tuple(column.header for column in SETTINGS.columns
                    if column.required and not values[column.key])
    return Started(folder, tuple(files), to_fill)


# --- The workbook ----------------------------------------------------------------------------

def coordinator_workbook(settings: StartSettings) -> Workbook:
    """Instructions first, then every sheet of schema.COORDINATOR with its headings; the
    Settings filled in, the other sheets empty below their headings."""
    book = Workbook()
    sheet = book.active
    sheet.title = INSTRUCTIONS
    _instructions(sheet, settings)
    _settings(book.create_sheet(SETTINGS.name), settings.values())
    _priority_names(book)
    for spec in COORDINATOR.sheets:
        if not spec.settings:
            _table(book.create_sheet(spec.name), spec)
    book.active = 0
    book.properties.title = f"{settings.partnership}: the coordinator's workbook"
    book.properties.creator = "plangen"
    return book


#: The defined name the Priority columns' dropdowns read: the filled cells of the Priorities
#: sheet's first column, however many there are.
PRIORITY_NAMES = "PriorityNames"


def _priority_names(book: Workbook) -> None:
    sheet = quote_sheetname(PRIORITIES.name)
    first, last = 2, BLANK_ROWS + 1
    book.defined_names[PRIORITY_NAMES] = DefinedName(
        PRIORITY_NAMES, attr_text=f"OFFSET({sheet}!$A${first},0,0,MAX(1,COUNTA({sheet}!"
        f"$A${first}:$A${last})),1)")


def _prompt(validation: DataValidation, column: Column) -> None:
    validation.showInputMessage = True
    validation.promptTitle = column.header[:PROMPT_TITLE_LIMIT]
    need = "" if column.required else "Optional. "
    validation.prompt = shorten(f"{need}{column.help}", PROMPT_LIMIT)


def _validation(column: Column) -> DataValidation:
    """A dropdown for a column with allowed values; a length check for text."""
    if column.kind is Kind.YES_NO:
        validation = DataValidation(type="list", formula1='"Yes,No"', errorStyle="stop",
                                    errorTitle="Yes or No",
                                    error='Pick "Yes" or "No" from the list.')
    elif column.kind is Kind.PRIORITY:
        validation = DataValidation(type="list", formula1=PRIORITY_NAMES, errorStyle="stop",
                                    errorTitle="Not a priority",
                                    error=f"Pick one of the priorities from the list. A new "
                                    f"one goes on the {PRIORITIES.name} sheet first.")
    else:
        validation = DataValidation(type="textLength", operator="lessThanOrEqual",
                                    formula1=str(column.max_length), errorStyle="warning",
                                    errorTitle="Too long",
                                    error=f"This is longer than the {column.max_length} "
                                    "characters that fit in the plan. Shorten it if you can.")
    validation.showErrorMessage = True
    validation.allow_blank = True
    _prompt(validation, column)
    return validation


def _settings(sheet: Worksheet, values: Mapping[str, str]) -> None:
    """Setting | Value, one setting a row, each value to check or fill in."""
    header_cell(sheet["A1"], "Setting")
    header_cell(sheet["B1"], "Value")
    for row, column in enumerate(SETTINGS.columns, start=2):
        name = sheet.cell(row, 1)
        put_text(name, column.header)
        name.font = _BOLD
        value = sheet.cell(row, 2)
        if values[column.key]:
            put_text(value, values[column.key])
        value.font = _FONT
        value.fill = _TO_FILL
        value.number_format = _TEXT_FORMAT
        value.alignment = _DATA
        validation = DataValidation(allow_blank=True)
        _prompt(validation, column)
        validation.add(value.coordinate)
        sheet.add_data_validation(validation)
    sheet.column_dimensions["A"].width = 18
    sheet.column_dimensions["B"].width = 60
    sheet.freeze_panes = "A2"
    sheet.page_setup.orientation = "portrait"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True


def _table(sheet: Worksheet, spec: Sheet) -> None:
    """The sheet as one Excel table (blank.table_sheet); sentences (sources, aims, facts) get
    room to be read without widening the column."""
    table_sheet(sheet, spec, _validation,
                lambda column: max(column.width, _WIDE if column.max_length >= 200 else 0))


# --- The instructions ------------------------------------------------------------------------

#: The order to fill the sheets in, and what to do on each, for someone starting from nothing.
_STEPS: tuple[tuple[str, str], ...] = (
    (SETTINGS.name, "check the partnership's name, the area, the plan's title and its first "
     "and last months; add where partners send their returns and by when (both are printed on "
     "every blank return)."),
    (PRIORITIES.name, "one row per priority, in the order their pages appear in the plan."),
    (f"{STATISTICS.name}, {AIMS.name}, {COMMITMENTS.name}", "what each priority page says: "
     "its headline statistics, what the partnership wants to achieve and what it will do. Pick the "
     "priority from the list in the first column."),
    (THEMES.name, "the action plan's themes, one per row, in the order their tables appear. "
     "Partners pick a theme for each action they send."),
    (SOURCES.name, "the assessments and profiles the plan's evidence comes from."),
    (PARTNERS.name, 'every organisation that leads actions, with "Yes" under "Sends a return" '
     "for those who send one: each of them gets a blank return."),
    (GLOSSARY.name, "the acronyms the plan uses and what they stand for."),
)


def instructions(settings: StartSettings) -> list[tuple[str, str]]:
    """What the coordinator reads first: (text, style) lines."""
    period = settings.period.label
    lines = [
        (f"{settings.partnership}: the coordinator's workbook", "title"),
        (" · ".join(part for part in (settings.title, period) if part), "subtitle"),
        ("This workbook holds everything in the plan that does not come from the partners' "
         "returns: its settings, the priority pages, the action plan's themes, the glossary "
         "and the partners. plangen reads it as inputs/plan.xlsx; each partner's return goes "
         "in inputs/returns/. Every sheet has its headings and nothing else: no sample rows "
         "to clear.", "text"),
        ("What to fill in, in order", "heading"),
        *((f"{number}. {sheet}: {what}", "item")
          for number, (sheet, what) in enumerate(_STEPS, start=1)),
        ("Then", "heading"),
        ("Check the workbook. It lists what is still missing or wrong, with its sheet and "
         "cell and what to fill in next:", "text"),
        ("plangen validate", "example"),
        ("Write a blank return for each partner marked \"Yes\" under \"Sends a return\" (to "
         "outputs/returns/), and send them out. Save each return that comes back in "
         "inputs/returns/, then check again:", "text"),
        ("plangen returns", "example"),
        ("Build the plan (outputs/plan.docx, with the returns report beside it); add --pdf "
         "and --html for the PDF and the web page:", "text"),
        ("plangen build", "example"),
        ("Run them in the folder that holds this inputs folder: its README says more.",
         "text"),
    ]
    for spec in COORDINATOR.sheets:
        lines.append((f"The {spec.name} sheet", "heading"))
        lines.append((spec.purpose, "text"))
        for column in spec.columns:
            need = "must be filled in" if column.required else "optional"
            lines.append((f"• {column.header} ({need}): {column.help}", "item"))
    lines += [
        ("Good to know", "heading"),
        ("• Click a cell to see what goes in it. A Priority column has a dropdown of the "
         f"priorities on the {PRIORITIES.name} sheet; \"{PARTNERS.column('sends_return').header}"
         "\" has Yes and No.", "item"),
        ("• Partners pick themes and priorities from lists made from this workbook, so a name "
         "changed here must be changed in the returns too.", "item"),
        ("• Keep the sheets' names and the headings in row 1 as they are; other spellings "
         "that are accepted are listed in docs/returns.md.", "item"),
        ("• This Instructions sheet is not read: keep it or delete it.", "item"),
    ]
    return lines


def _instructions(sheet: Worksheet, settings: StartSettings) -> None:
    instructions_sheet(sheet, instructions(settings))


# --- The folder's README and Makefile -------------------------------------------------------

def readme(settings: StartSettings) -> str:
    """How to work in the folder, for the coordinator who made it."""
    return f"""# {settings.partnership}: {settings.title or "the partnership plan"}, \
{settings.period.label}

Made by `plangen new`. Run every command below in this folder: plangen's defaults are the
folders beside this file.

```
inputs/plan.xlsx     the coordinator's workbook: fill it in first (its Instructions sheet says how)
inputs/returns/      one workbook per partner, as they come back
templates/           the Word template plan.docx, the web page's plan.html, plan-on-a-page.docx
outputs/             what plangen writes: the plan, the returns report, the blank returns
```

1. Fill in `inputs/plan.xlsx`, then check it: `plangen validate`. Every problem names its
   sheet and cell and says what to fill in next; repeat until it lists no errors (a warning
   that there are no returns yet is expected).
2. Write the blank returns: `plangen returns` (one per partner marked "Yes" under "Sends a
   return", in `outputs/returns/`). Send them out; save each one that comes back in
   `inputs/returns/`.
3. Check the returns: `plangen validate`.
4. Build the plan: `plangen build` (`outputs/plan.docx` and `outputs/returns-report.xlsx`);
   `plangen build --pdf --html` for the PDF and the web page too; `plangen build --draft`
   while a return still has errors. A plan needs at least one action from a return.

With `make`, the same: `make validate`, `make returns`, `make plan`, `make publish`,
`make summary` (`templates/plan-on-a-page.docx`). `plangen --help` lists every command.
"""


MAKEFILE = """\
# The same commands as plangen's own repository, for this folder (see README.md).
# PLANGEN=path/to/plangen make plan uses a plangen that is not on the PATH.
PLANGEN ?= plangen

.PHONY: validate returns plan publish summary
validate:
\t$(PLANGEN) validate --inputs inputs
returns:
\t$(PLANGEN) returns --inputs inputs --out outputs/returns
plan:
\t$(PLANGEN) build --inputs inputs --template templates/plan.docx --output outputs/plan.docx
publish:
\t$(PLANGEN) build --inputs inputs --template templates/plan.docx --pdf --html
\t$(PLANGEN) check-accessibility outputs/plan.docx outputs/plan.html
summary:
\t$(PLANGEN) build --inputs inputs --template templates/plan-on-a-page.docx \\
\t  --output outputs/plan-on-a-page.docx
"""
