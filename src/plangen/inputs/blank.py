"""Blank return workbooks for partners, generated from the schema the reader uses.

A blank return's sheets and headings come from schema.RETURN and its dropdowns from the
coordinator's own lists (themes, priorities, partners, the plan's months and those of the year
after), so a return filled in as intended reads back without a problem. Its examples are the
partnership's own names, or words of no partnership in particular: never the shipped sample's.
Sheet protection keeps the header row from being changed by accident; it has no password, and
every cell below the header stays editable.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.protection import SheetProtection
from openpyxl.worksheet.table import Table, TableStyleInfo
from openpyxl.worksheet.worksheet import Worksheet

from plangen.errors import (
    EmptyPartnerName,
    MissingInputs,
    NoPartnersSendReturns,
    UnusableCoordinator,
)
from plangen.files import write_atomically
from plangen.inputs.guidance import example_problem, for_partners
from plangen.inputs.months import months_after, months_from
from plangen.inputs.read import COORDINATOR_FILE, Inputs, read_book
from plangen.inputs.schema import (
    ABOUT,
    ACTIONS,
    COORDINATOR,
    CURRENT_WORK,
    INSTRUCTIONS,
    LISTS,
    MONTHS_AFTER_PLAN,
    Column,
    Kind,
    Sheet,
)
from plangen.inputs.validate import check
from plangen.inputs.values import clean_text, lead_key
from plangen.model import Period
from plangen.office.cells import put_text
from plangen.problems import Problem
from plangen.text import did_you_mean, shorten

#: Rows below the header that get dropdowns, input messages and unlocked cells.
BLANK_ROWS = 500
#: Excel's limits on a data validation's input message.
PROMPT_TITLE_LIMIT = 32
PROMPT_LIMIT = 255
ONGOING = "Ongoing"
YES_NO = ("Yes", "No")

#: Arial, because LibreOffice has a look-alike everywhere (Liberation Sans); Calibri it may lack.
FONT = "Arial"
_HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
_HEADER_FONT = Font(name=FONT, size=11, bold=True, color="FFFFFF")
_FONT = Font(name=FONT, size=11)
_TO_FILL = PatternFill("solid", fgColor="FFF2CC")  # a pale yellow: "type here"
_DATA = Alignment(vertical="top", wrap_text=True)
_UNLOCKED = Protection(locked=False)
_TEXT_FORMAT = "@"  # keeps "April 2018" or "1/2" as typed instead of turning it into a date
_LINE_POINTS = 15  # the height of one line of 11-point text


@dataclass(frozen=True)
class ReturnLists:
    """What a blank return offers in its dropdowns and says in its instructions (plan.xlsx)."""

    partnership: str
    title: str
    period: Period
    themes: tuple[str, ...]
    priorities: tuple[str, ...]
    partners: tuple[str, ...]  # in the order of the Partners sheet
    senders: tuple[str, ...]  # partners marked "Sends a return"
    #: lead key -> partner, for its name, other names and full name
    names: Mapping[str, str] = field(default_factory=dict)
    send_to: str = ""
    due: str = ""

    @property
    def months(self) -> tuple[str, ...]:
        """Every month of the plan period, "April 2018" to "March 2019"."""
        return tuple(f"{month:%B %Y}" for month in months_from(self.period.start,
                                                                self.period.end))

    @property
    def months_after(self) -> tuple[str, ...]:
        """The months after the plan a deadline may still be picked from (with a warning)."""
        return tuple(f"{month:%B %Y}" for month in months_after(self.period.end,
                                                                 MONTHS_AFTER_PLAN))

    @property
    def timescales(self) -> tuple[str, ...]:
        return (ONGOING, *self.months, *self.months_after)

    def examples(self, partner: str) -> dict[str, str]:
        """Each return column's example, by key: the plan's own first theme and priority, its
        last month, and the partner with another partner as leads; for the other columns, the
        schema's example, which is no partnership's in particular."""
        others = [name for name in self.partners if lead_key(name) != lead_key(partner)]
        leads = [partner, *others[:1]] if self.partner(partner) is not None else others[:2]
        found = {"partner": partner, "theme": self.themes[0], "priority": self.priorities[0],
                 "timescale": self.months[-1], "leads": ", ".join(leads)}
        return {column.key: found.get(column.key) or column.example
                for spec in (ABOUT, ACTIONS, CURRENT_WORK) for column in spec.written().columns}

    def partner(self, typed: str) -> str | None:
        """The partner a typed name means (its name, an other name, its full name), or None."""
        return self.names.get(lead_key(typed))


@dataclass(frozen=True)
class WrittenReturn:
    partner: str
    path: Path
    listed: bool  # the partner is on the Partners sheet
    suggestion: str | None = None  # a listed partner close to an unlisted name, quoted


@dataclass(frozen=True)
class BlankReturns:
    written: tuple[WrittenReturn, ...]
    #: Errors in plan.xlsx that did not stop the returns (a row they reject may be missing
    #: from a dropdown).
    problems: tuple[Problem, ...] = ()


# --- Reading the coordinator's lists -------------------------------------------------------------

def read_lists(inputs_dir: Path) -> tuple[ReturnLists, tuple[Problem, ...]]:
    """The lists from inputs_dir/plan.xlsx, and its errors.

    Raises UnusableCoordinator when the file cannot be read or has no themes, priorities or
    plan period: a return without them could not be filled in.
    """
    if not inputs_dir.is_dir():
        raise MissingInputs(f"{inputs_dir}: the inputs folder does not exist")
    book = read_book(inputs_dir / COORDINATOR_FILE, COORDINATOR_FILE, COORDINATOR)
    if not book.readable:
        raise UnusableCoordinator(f"{COORDINATOR_FILE} cannot be read", book.problems)
    checked = check(Inputs(book, ()))
    errors = tuple(checked.errors)

    def names(frame: Any, key: str) -> tuple[str, ...]:
        return tuple(frame[key]) if key in frame and not frame.empty else ()

    themes, priorities = names(checked.themes, "theme"), names(checked.priorities, "priority")
    missing = [what for what, empty in (("themes", not themes), ("priorities", not priorities),
                                        ("plan period", checked.period is None)) if empty]
    if missing or checked.period is None:
        nothing = ", no ".join(missing[:-1]) + (" and no " if len(missing) > 1 else "")
        raise UnusableCoordinator(f"{COORDINATOR_FILE} has no {nothing}{missing[-1]}", errors)
    partners = checked.partners
    senders = (tuple(name for name, sends in zip(partners["partner"], partners["sends_return"],
                                                 strict=True) if sends)
               if "sends_return" in partners and not partners.empty else ())
    known = dict(checked.vocabulary.partners)
    if "full_name" in partners and not partners.empty:  # "Youth Offending Team" means YOT
        for name, full_name in zip(partners["partner"], partners["full_name"], strict=True):
            if full_name:
                known.setdefault(lead_key(full_name), name)
    settings = checked.settings
    lists = ReturnLists(
        partnership=str(settings.get("partnership", "")),
        title=str(settings.get("title", "")) or "Partnership Plan",
        period=checked.period,
        themes=themes,
        priorities=priorities,
        partners=names(partners, "partner"),
        senders=senders,
        names=known,
        send_to=str(settings.get("send_returns_to", "")),
        due=str(settings.get("returns_due", "")),
    )
    return lists, errors


# --- Writing the returns ----------------------------------------------------------------------

_RESERVED = {"con", "prn", "aux", "nul", *(f"com{n}" for n in range(10)),
             *(f"lpt{n}" for n in range(10))}


def file_name(partner: str) -> str:
    """A safe file name for a partner's return: "Forum members" -> "forum-members.xlsx"."""
    ascii_name = unicodedata.normalize("NFKD", partner).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.casefold()).strip("-")[:60].strip("-")
    if not slug:
        slug = "partner"
    if slug in _RESERVED:  # names Windows will not create
        slug += "-return"
    return f"{slug}.xlsx"


def write_blank_returns(inputs_dir: Path, out_dir: Path,
                        partner: str | None = None) -> BlankReturns:
    """One blank return per partner that sends one, or for the partner named (listed or not)."""
    lists, problems = read_lists(inputs_dir)
    wanted: list[WrittenReturn] = []
    if partner is not None:
        typed = clean_text(partner)
        if not typed:
            raise EmptyPartnerName("the partner's name is empty: give one, e.g. "
                                   '--partner "Police"')
        name = lists.partner(typed)
        if name is not None:
            wanted.append(WrittenReturn(name, out_dir / file_name(name), listed=True))
        else:
            wanted.append(WrittenReturn(typed, out_dir / file_name(typed), listed=False,
                                        suggestion=did_you_mean(typed, lists.partners)))
    else:
        if not lists.senders:
            raise NoPartnersSendReturns(
                f'no partner is marked "Yes" under "Sends a return" on the Partners sheet of '
                f"{COORDINATOR_FILE}: mark the partners who send a return, or name one with "
                "--partner.")
        used: set[str] = set()
        for name in lists.senders:
            stem = file_name(name).removesuffix(".xlsx")
            candidate, number = stem, 1
            while candidate in used:  # two names with the same slug, e.g. "CSP-Analyst"
                number += 1
                candidate = f"{stem}-{number}"
            used.add(candidate)
            wanted.append(WrittenReturn(name, out_dir / f"{candidate}.xlsx", listed=True))
    for item in wanted:
        write_blank_return(item.path, item.partner, lists)
    return BlankReturns(tuple(wanted), problems)


def write_blank_return(path: Path, partner: str, lists: ReturnLists) -> None:
    """Write one partner's blank return to path, atomically."""
    book = blank_return(partner, lists, path.name)
    write_atomically(path, lambda temporary: book.save(temporary))


def blank_return(partner: str, lists: ReturnLists, file: str = "") -> Workbook:
    """The blank return workbook for partner: Instructions, About, Actions, Current work, and
    the hidden Lists sheet its dropdowns read."""
    book = Workbook()
    instructions = book.active
    instructions.title = INSTRUCTIONS
    examples = lists.examples(partner)
    _instructions(instructions, partner, lists, file or file_name(partner))
    _about(book.create_sheet(ABOUT.name), partner, examples)
    ranges = _lists(book, lists)
    for spec in (ACTIONS.written(), CURRENT_WORK.written()):
        _data_sheet(book.create_sheet(spec.name), spec, ranges, examples)
    book.move_sheet(LISTS, offset=len(book.sheetnames) - 1 - book.sheetnames.index(LISTS))
    book.active = 0
    book.properties.title = f"{lists.title}: return from {partner}"
    book.properties.creator = "plangen"
    return book


def _protect(sheet: Worksheet) -> None:
    """Lock what is locked (the header); leave rows insertable, sortable and filterable."""
    sheet.protection = SheetProtection(
        sheet=True, formatCells=False, formatColumns=False, formatRows=False, insertRows=False,
        deleteRows=False, sort=False, autoFilter=False, selectLockedCells=False,
        selectUnlockedCells=False)


def _prompt(column: Column, example: str) -> tuple[str, str]:
    """An input message's title and text, within Excel's limits."""
    text = f"{for_partners(column)} For example: {example}"
    text = shorten(text, PROMPT_LIMIT)
    return column.header[:PROMPT_TITLE_LIMIT], text


# --- The sheets ------------------------------------------------------------------------------

def header_cell(cell: Any, text: str) -> None:
    """A heading cell as every workbook plangen writes has them: bold white on dark blue."""
    put_text(cell, text)
    cell.font = _HEADER_FONT
    cell.fill = _HEADER_FILL
    cell.alignment = Alignment(vertical="center")


def _about(sheet: Worksheet, partner: str, examples: Mapping[str, str]) -> None:
    """Setting | Value, with the partner's name filled in and Contact and Email to fill."""
    header_cell(sheet["A1"], "Setting")
    header_cell(sheet["B1"], "Value")
    for row, column in enumerate(ABOUT.columns, start=2):
        put_text(sheet.cell(row, 1), column.header)
        sheet.cell(row, 1).font = Font(name=FONT, size=11, bold=True)
        value = sheet.cell(row, 2)
        if column.key == "partner":
            put_text(value, partner)
        value.protection = _UNLOCKED
        value.font = _FONT
        value.fill = _TO_FILL
        value.number_format = _TEXT_FORMAT
        value.alignment = _DATA
        title, prompt = _prompt(column, examples[column.key])
        validation = DataValidation(showInputMessage=True, promptTitle=title, prompt=prompt,
                                    allow_blank=True)
        validation.add(value.coordinate)
        sheet.add_data_validation(validation)
    sheet.column_dimensions["A"].width = 16
    sheet.column_dimensions["B"].width = 50
    sheet.freeze_panes = "A2"
    _protect(sheet)
    sheet.page_setup.orientation = "portrait"


def _lists(book: Workbook, lists: ReturnLists) -> dict[Kind, str]:
    """The hidden sheet the dropdowns read; the range each kind of column picks from."""
    sheet = book.create_sheet(LISTS)
    columns: list[tuple[Kind, str, Sequence[str]]] = [
        (Kind.THEME, "Themes", lists.themes),
        (Kind.PRIORITY, "Priorities", lists.priorities),
        (Kind.TIMESCALE, "Timescales", lists.timescales),
        (Kind.LEADS, "Partners", lists.partners),
        (Kind.YES_NO, "Yes/No", YES_NO),
    ]
    ranges: dict[Kind, str] = {}
    for index, (kind, heading, values) in enumerate(columns, start=1):
        letter = get_column_letter(index)
        header_cell(sheet.cell(1, index), heading)
        for row, value in enumerate(values, start=2):
            put_text(sheet.cell(row, index), value)
        sheet.column_dimensions[letter].width = 30
        if values:
            ranges[kind] = f"{quote_sheetname(LISTS)}!${letter}$2:${letter}${len(values) + 1}"
    sheet.sheet_state = "hidden"
    _protect(sheet)
    return ranges


def _validation(column: Column, ranges: Mapping[Kind, str], example: str) -> DataValidation:
    """The dropdown (or length check) and input message for one column."""
    title, prompt = _prompt(column, example)
    source = ranges.get(column.kind)
    if column.kind is Kind.TEXT or source is None:
        validation = DataValidation(type="textLength", operator="lessThanOrEqual",
                                    formula1=str(column.max_length), errorStyle="warning",
                                    errorTitle="Too long",
                                    error=f"This is longer than the {column.max_length} "
                                    "characters that fit in the plan. Shorten it if you can.")
    elif column.kind is Kind.LEADS:
        # Several leads are typed with commas between them, so any text is allowed.
        validation = DataValidation(type="list", formula1=source, showErrorMessage=False)
    elif column.kind is Kind.TIMESCALE:
        validation = DataValidation(type="list", formula1=source, errorStyle="warning",
                                    errorTitle="Not in the list",
                                    error='Pick "Ongoing" or a month from the list. Keep '
                                    "what you typed only if you are sure.")
    else:
        error = {Kind.THEME: "Pick one of the plan's themes from the list. If yours is "
                 "missing, ask the coordinator.",
                 Kind.PRIORITY: "Pick one of the plan's priorities from the list. If yours is "
                 "missing, ask the coordinator.",
                 Kind.YES_NO: 'Pick "Yes" from the list, or leave the cell empty.'}[column.kind]
        validation = DataValidation(type="list", formula1=source, errorStyle="stop",
                                    errorTitle="Pick from the list", error=error)
    validation.showInputMessage = True
    validation.promptTitle, validation.prompt = title, prompt
    validation.allow_blank = True
    if column.kind is not Kind.LEADS:
        validation.showErrorMessage = True
    return validation


def _data_sheet(sheet: Worksheet, spec: Sheet, ranges: Mapping[Kind, str],
                examples: Mapping[str, str]) -> None:
    """An Excel table: locked, frozen header; BLANK_ROWS unlocked rows with dropdowns."""
    table_sheet(sheet, spec, lambda column: _validation(column, ranges, examples[column.key]),
                unlocked=True)
    _protect(sheet)


def table_sheet(sheet: Worksheet, spec: Sheet,
                validation_for: Callable[[Column], DataValidation],
                width_of: Callable[[Column], float] = lambda column: column.width, *,
                unlocked: bool = False) -> None:
    """A sheet of one Excel table, as the blank returns and a new coordinator's workbook have
    them: bold headings in row 1, frozen; BLANK_ROWS rows below formatted as text, each column
    with its dropdown or check (validation_for), as an Excel table so that a row typed below it
    joins it; printed landscape, fit to the page's width. With unlocked, the rows (and rows
    added below) stay editable when the sheet is protected."""
    last_row = BLANK_ROWS + 1
    for index, column in enumerate(spec.columns, start=1):
        letter = get_column_letter(index)
        header_cell(sheet.cell(1, index), column.header)
        for row in range(2, last_row + 1):
            cell = sheet.cell(row, index)
            if unlocked:
                cell.protection = _UNLOCKED
            cell.font = _FONT
            cell.alignment = _DATA
            cell.number_format = _TEXT_FORMAT
        dimension = sheet.column_dimensions[letter]
        dimension.width = width_of(column)
        if unlocked:
            dimension.protection = _UNLOCKED  # rows added below the table are editable too
        dimension.font = _FONT
        dimension.alignment = _DATA
        dimension.number_format = _TEXT_FORMAT
        validation = validation_for(column)
        validation.add(f"{letter}2:{letter}{last_row}")
        sheet.add_data_validation(validation)
    sheet.row_dimensions[1].height = 20
    last = get_column_letter(len(spec.columns))
    table = Table(displayName=re.sub(r"\W", "", spec.name.title()), ref=f"A1:{last}{last_row}")
    table.tableStyleInfo = TableStyleInfo(name="TableStyleMedium2", showRowStripes=True)
    sheet.add_table(table)
    sheet.freeze_panes = "A2"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = "1:1"


# --- The instructions ------------------------------------------------------------------------

@dataclass(frozen=True)
class _Line:
    text: str
    style: str = "text"  # title, subtitle, heading, text, item, example


_STYLES = {
    "title": (Font(name=FONT, bold=True, size=16, color="1F4E79"), 22, 0.65),
    "subtitle": (Font(name=FONT, size=12, color="404040"), 17, 0.95),
    "heading": (Font(name=FONT, bold=True, size=12, color="1F4E79"), 17, 0.95),
    "text": (_FONT, _LINE_POINTS, 1.1),
    "item": (_FONT, _LINE_POINTS, 1.1),
    "example": (Font(name="Courier New", size=10), _LINE_POINTS, 0.95),
}
_TEXT_WIDTH = 100  # characters, column B of the instructions


def instructions(partner: str, lists: ReturnLists, file: str) -> list[_Line]:
    """What a partner reads first, written for someone who has never seen the plan's workings."""
    named = f"“{lists.title}”"  # as typed, whatever its words: "2018-19" is a plan's title too
    plan = (f"the plan {named}" if not lists.partnership or lists.partnership in lists.title
            else f"the plan {named} of the {lists.partnership}")
    send = (f"send it to {lists.send_to}" if lists.send_to
            else "send it back to whoever sent it to you")
    due = f" by {lists.due}" if lists.due else ""
    months, after = lists.months, lists.months_after
    examples = lists.examples(partner)
    lines = [
        _Line(f"{partner}: your return for {named}", "title"),
        _Line(" · ".join(part for part in (lists.partnership, lists.period.label) if part),
              "subtitle"),
        _Line(f"This workbook collects the actions {partner} leads or shares, and the work you "
              f"already do, for {plan}. What you write is copied into the plan word for word, "
              "so write it as you would like it to be read."),
        _Line("What to fill in", "heading"),
        _Line(f"1. {ABOUT.name}: check your organisation's name, and add who to contact about "
              "this return and their email address.", "item"),
        _Line(f"2. {ACTIONS.name}: one action per row — the theme it belongs to, what will be "
              "done, by when, who leads it, and whether it is new this year.", "item"),
        _Line(f"3. {CURRENT_WORK.name}: one row for each scheme, service or activity you already "
              'run, with the priority it serves. It appears under "What we do now" on that '
              "priority's page. Leave it empty if you have nothing to add.", "item"),
        _Line(f"4. Save it as an Excel workbook (.xlsx) and {send}{due}.", "item"),
    ]
    for spec in (ACTIONS.written(), CURRENT_WORK.written()):
        lines.append(_Line(f"The {spec.name} sheet", "heading"))
        for column in spec.columns:
            need = "must be filled in" if column.required else "optional"
            lines.append(_Line(f"• {column.header} ({need}): {for_partners(column)} "
                               f"For example: {examples[column.key]}", "item"))
    lines += [
        _Line("Picking from a list", "heading"),
        _Line("Click a cell under Theme, Priority, Timescale, Leads or New: a small arrow "
              "appears at its right. Click the arrow and pick a value. Whenever you click a "
              "cell, a note pops up to say what goes in it."),
        _Line("The lists come from the coordinator's plan. If a theme or priority you need is "
              "missing, ask the coordinator rather than typing your own."),
        _Line("Timescale", "heading"),
        _Line(f'"{ONGOING}" for work that carries on all year, or the month the action will be '
              f"done by: the list has every month of the plan, {months[0]} to {months[-1]}, "
              f"then the months after it up to {after[-1]}, for work that will be finished "
              "only after the plan ends."),
        _Line("Leads", "heading"),
        _Line("Pick the lead from the list. If an action has several leads, type them "
              f'separated by commas, for example "{examples["leads"]}". Write each one as the '
              "list names it, so that the plan names every partner the same way."),
        _Line("New", "heading"),
        _Line('Pick "Yes" if the action is new this year, that is, it was not in last year\'s '
              "plan: the plan marks it NEW. Otherwise leave the cell empty."),
        _Line("More rows", "heading"),
        _Line(f"Each sheet has room for {BLANK_ROWS} rows: type in the next empty row. To add a "
              "row in between, right-click a row number and choose Insert. Empty rows are "
              "skipped."),
        _Line("Please don't", "heading"),
        _Line("• rename the sheets or change the headings in the first row (they are locked "
              "to prevent accidents);", "item"),
        _Line("• merge cells, or put two actions in one row;", "item"),
        _Line("• use formulas: type the words themselves;", "item"),
        _Line("• paste pictures or charts: they are not read;", "item"),
        _Line("• add a password or macros, or save in another format such as .xls, .csv or "
              ".ods.", "item"),
        _Line("You may add your own sheets or columns for notes: they are ignored and do not "
              "appear in the plan."),
        _Line("What happens next", "heading"),
        _Line("The coordinator checks every return. If something needs fixing, you get a "
              "message that names the file, the sheet and the cell, says what is wrong and how "
              "to fix it, for example:"),
        _Line(example_problem(file).line(), "example"),
        _Line(f"That is: in the file {file}, on the {ACTIONS.name} sheet, cell C7 (column C, "
              "row 7) holds something that is not a timescale; write Ongoing or a month "
              "instead."),
    ]
    return lines


def _instructions(sheet: Worksheet, partner: str, lists: ReturnLists, file: str) -> None:
    instructions_sheet(sheet, ((line.text, line.style)
                               for line in instructions(partner, lists, file)))
    _protect(sheet)


def instructions_sheet(sheet: Worksheet, lines: Iterable[tuple[str, str]]) -> None:
    """An Instructions sheet, as the blank returns and a new coordinator's workbook have it:
    each (text, style) a row of column B in the style's font (_STYLES), a blank row before each
    heading, examples shaded, rows as tall as their wrapped text, printed portrait."""
    sheet.column_dimensions["A"].width = 2
    sheet.column_dimensions["B"].width = _TEXT_WIDTH
    sheet.sheet_view.showGridLines = False
    row = 1
    for text, style in lines:
        if style == "heading":
            row += 1  # a blank line before each heading
        cell = sheet.cell(row, 2)
        put_text(cell, text)
        font, height, per_width = _STYLES[style]
        cell.font = font
        cell.alignment = Alignment(vertical="top", wrap_text=True,
                                   indent=1 if style in ("example", "item") else 0)
        if style == "example":
            cell.fill = PatternFill("solid", fgColor="EDEDED")
        # Neither Excel nor LibreOffice sizes rows to wrapped text in a file openpyxl wrote.
        count = max(1, -(-len(text) // int(_TEXT_WIDTH * per_width)))
        sheet.row_dimensions[row].height = count * height + 3
        row += 1
    sheet.page_setup.orientation = "portrait"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
