"""Reading workbooks into tables: cells as they are, each kept with its file, sheet and cell.

Read with python-calamine (fast, read-only: a partner's file is never modified), several at a
time when there is enough to read. What a file is (and whether it is safe to open) is decided
first, by plangen.inputs.filetypes. Sheets and headers are found by matching names from the
schema, not by position, so a title row above the table or columns in another order do not
matter. What can be said without interpreting a value is reported here (a missing sheet or
column, a formula without a value, an error value, merged cells); the validator decides what
the values mean, and whether a setting is filled in.

The limits in plangen.inputs.schema are enforced here, before a sheet becomes a grid: cells
beyond the last row or column read are cut out (plangen.inputs.sheetxml), a cell longer than
Excel allows is not read, nor a workbook of too many sheets. Every filled row is read or said
not to be: a sheet with a name plangen does not read, a copy of one, a second sheet with an
accepted name, a file in a folder inside returns/ — each is a warning, and its rows counted.
"""

from __future__ import annotations

import contextlib
import datetime
import functools
import io
import os
import re
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
from python_calamine import CalamineWorkbook

from plangen.inputs.filetypes import not_a_return, open_package, printable
from plangen.inputs.previous import Previous, read_previous
from plangen.inputs.schema import (
    COORDINATOR,
    MAX_CELL_TEXT,
    MAX_COLUMNS,
    MAX_PROBLEMS_PER_FILE,
    MAX_ROWS,
    MAX_SHEETS,
    RETURN,
    Sheet,
    Workbook,
    normalise_header,
)
from plangen.inputs.sheetxml import (
    SheetPackage,
    Strays,
    UnsafeXml,
    cut_strays,
    error_values,
    formulas_without_values,
)
from plangen.inputs.values import cell_text, is_blank
from plangen.model import CellRef
from plangen.problems import Collector, Problem, Severity, cell_of, column_letter
from plangen.text import did_you_mean, shorten

#: How far down a sheet the header row is looked for.
HEADER_SEARCH_ROWS = 30
#: A cell longer than this is no heading (and is not compared with the headings).
HEADING_LENGTH = 200
#: What is kept of a cell too long to read, so that its row can still be recognised.
LONG_CELL_SHOWN = 80
#: Workbooks are read this many at a time: python-calamine opens a workbook and parses a sheet
#: without holding the GIL, so threads share the cores (docs/performance.md).
READ_THREADS = min(4, os.cpu_count() or 1)
#: Below this many bytes of workbooks in all, they are read one after another: small sheets
#: are parsed in no time, the rest of the work (headers, frames) holds the GIL, and threads
#: would only add their start-up and hand-overs.
PARALLEL_BYTES = 256 * 1024

COORDINATOR_FILE = "plan.xlsx"
RETURNS_DIR = "returns"

Row = list[Any]
Cell = tuple[int, int]  # zero-based (row, column)
#: Told after each workbook is read: (workbooks done, workbooks in all, the one just read).
Progress = Callable[[int, int, str], None]


@dataclass(frozen=True)
class Table:
    """A sheet's data rows, column by column: a list per schema key, then "row" (the Excel row
    number of each)."""

    file: str
    sheet: str  # the sheet's name as the workbook spells it
    #: Schema key -> the column's cells exactly as python-calamine read them, "row" last.
    cells: Mapping[str, list[Any]]
    letters: Mapping[str, str]  # schema key -> Excel column letter
    #: Excel row -> keys of its cells the reader already reported as unreadable (a formula
    #: without a value, merged cells). Such rows are rejected without a second message.
    flagged: Mapping[int, frozenset[str]] = field(default_factory=dict)
    #: Filled rows below the header with nothing in the columns read (reported): not read.
    not_read: int = 0
    #: Each column as `frame[key].tolist()` gives it, which is what the validator reads; made
    #: without the frame (see _as_pandas_gives). Do not change the lists: they may be `cells`.
    columns: Mapping[str, list[Any]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # Worked out as the sheet is read, not when first asked for, so that anything pandas
        # raised would still be reported as the workbook being unreadable.
        object.__setattr__(self, "columns", {key: _as_pandas_gives(key, values)
                                             for key, values in self.cells.items()})

    def ref(self, key: str, row: int) -> CellRef:
        return CellRef(self.file, self.sheet, f"{self.letters.get(key, '')}{row}")


@dataclass(frozen=True)
class Settings:
    """A Setting | Value sheet: each value with the cell it came from."""

    file: str
    sheet: str
    values: Mapping[str, Any]
    refs: Mapping[str, CellRef]
    flagged: frozenset[str] = frozenset()  # keys whose cell the reader reported as unreadable
    rows: int = 0  # how many rows the sheet has: a missing setting belongs below them

    def ref(self, key: str) -> CellRef:
        """The cell a setting's value is in, or the row below the sheet for one not there."""
        return self.refs.get(key, CellRef(self.file, self.sheet, f"A{self.rows + 1}"))


@dataclass(frozen=True)
class SheetCells:
    """A sheet's cells as python-calamine read them, and those it read wrongly."""

    file: str
    sheet: str  # the sheet's name as the workbook spells it
    rows: Sequence[Row]
    #: The cells holding a formula with no stored value, which read as empty (zero-based).
    formulas: frozenset[Cell] = frozenset()
    #: Merged ranges, (top, left) to (bottom, right), zero-based: they hold one value only.
    merged: Sequence[tuple[Cell, Cell]] = ()
    #: The cells longer than MAX_CELL_TEXT (reported), which read as their first characters.
    too_long: frozenset[Cell] = frozenset()
    #: The cells holding an error value (#N/A, #DIV/0!, …), which read as empty, with the error.
    errors: Mapping[Cell, str] = field(default_factory=dict)

    def ref(self, row: int, column: int) -> CellRef:
        """The cell at a zero-based row and column."""
        return CellRef(self.file, self.sheet, f"{column_letter(column + 1)}{row + 1}")


@dataclass(frozen=True)
class Book:
    """One workbook as read: its settings and tables by schema sheet name."""

    path: Path
    file: str  # the name shown in messages, relative to the inputs folder
    settings: Settings | None = None
    tables: Mapping[str, Table] = field(default_factory=dict)
    problems: tuple[Problem, ...] = ()
    #: Filled rows that are not read (each reported): in sheets not read, in the data sheets
    #: beside the columns read, or beyond the last row or column read.
    not_read: int = 0

    @property
    def readable(self) -> bool:
        return not any(p.is_error and not cell_of(p).sheet for p in self.problems)


@dataclass(frozen=True)
class Inputs:
    coordinator: Book
    returns: tuple[Book, ...]
    problems: tuple[Problem, ...] = ()  # about the folder as a whole
    previous: Previous | None = None  # last year's plan, when the inputs hold it

    @property
    def all_problems(self) -> list[Problem]:
        found = list(self.problems) + list(self.coordinator.problems)
        for book in self.returns:
            found.extend(book.problems)
        return found


def load_inputs(inputs_dir: Path, progress: Progress | None = None) -> Inputs:
    """Read the coordinator's workbook, every return in inputs_dir/returns, and last year's
    plan if the inputs hold it (plangen.inputs.previous).

    `progress`, when given, is called after each workbook, so a caller can show how far along
    a folder of many returns the reading is.
    """
    returns_dir = inputs_dir / RETURNS_DIR
    problems: list[Problem] = []
    candidates: list[tuple[Path, str]] = []
    if not returns_dir.is_dir():
        problems.append(Problem(CellRef(f"{RETURNS_DIR}/"), "the returns folder is missing",
                                f"Create {returns_dir} and put one workbook per partner in it.",
                                code="missing-folder"))
    else:
        for path in sorted(returns_dir.iterdir(), key=lambda p: p.name.casefold()):
            name = f"{RETURNS_DIR}/{printable(path.name)}"
            if path.is_dir() and not path.name.startswith("."):
                problems.extend(_in_subfolder(returns_dir, path))
                continue
            skip = not_a_return(path, name)
            if skip is None:
                candidates.append((path, name))
            elif skip.message:
                problems.append(skip)
    jobs = [(inputs_dir / COORDINATOR_FILE, COORDINATOR_FILE, COORDINATOR),
            *((path, name, RETURN) for path, name in candidates)]
    coordinator, *books = _read_books(jobs, progress)
    if returns_dir.is_dir() and not books and not problems:
        problems.append(Problem(CellRef(f"{RETURNS_DIR}/"), "there are no returns",
                                "Put each partner's return (.xlsx) in the returns folder.",
                                Severity.WARNING, "no-returns"))
    previous, unusable = read_previous(inputs_dir)
    return Inputs(coordinator, tuple(books), (*problems, *unusable), previous)


def _in_subfolder(returns_dir: Path, folder: Path) -> list[Problem]:
    """A warning for each file in a folder inside returns/ (at any depth), which is not read;
    past MAX_PROBLEMS_PER_FILE of them, one more that counts the rest."""
    files = sorted((path for path in folder.rglob("*")
                    if path.is_file() and not any(part.startswith(".") for part in
                                                  path.relative_to(folder).parts)),
                   key=lambda path: str(path).casefold())
    shown = f"{RETURNS_DIR}/{printable(folder.name)}"
    found = []
    for path in files[:MAX_PROBLEMS_PER_FILE]:
        inside = printable(path.relative_to(returns_dir).as_posix())
        found.append(Problem(CellRef(f"{RETURNS_DIR}/{inside}"), f"this file is in the folder "
                             f"{shown}, inside the returns folder, so it is not read: only the "
                             "files directly in the returns folder are", "If it is a return to "
                             f"read, move it out of {shown} into the returns folder (taking out "
                             "any older copy); if not, ignore this.", Severity.WARNING,
                             "subfolder"))
    if len(files) > MAX_PROBLEMS_PER_FILE:
        found.append(Problem(CellRef(f"{shown}/"), f"{len(files) - MAX_PROBLEMS_PER_FILE:,} "
                             "more files in this folder are not read either", "Move the returns "
                             "to read into the returns folder itself.", Severity.WARNING,
                             "subfolder"))
    return found


Job = tuple[Path, str, Workbook]  # a workbook to read: its path, its name, its schema


def _read_books(jobs: Sequence[Job], progress: Progress | None) -> list[Book]:
    """Every workbook, in the order given, read READ_THREADS at a time when they are large
    enough in all for threads to pay (PARALLEL_BYTES).

    `progress` is called here, in the caller's thread, as each workbook is finished, in the
    order of the files; a return that vanishes or cannot be opened is a problem of its own and
    never stops the others being read.
    """
    total = len(jobs)
    if READ_THREADS < 2 or total < 3 or _size(jobs) < PARALLEL_BYTES:
        books = []
        for done, job in enumerate(jobs, start=1):
            books.append(_read_job(job))
            if progress is not None:
                progress(done, total, job[1])
        return books
    with ThreadPoolExecutor(READ_THREADS) as pool:
        futures = [pool.submit(_read_job, job) for job in jobs]
        try:
            books = []
            for done, (job, future) in enumerate(zip(jobs, futures, strict=True), start=1):
                books.append(future.result())
                if progress is not None:
                    progress(done, total, job[1])
        except BaseException:
            pool.shutdown(cancel_futures=True)  # do not read on for an error already raised
            raise
    return books


def _size(jobs: Sequence[Job]) -> int:
    """The workbooks' bytes in all (a file that cannot be seen counts none: reading it tells
    what is wrong with it)."""
    size = 0
    for path, _name, _schema in jobs:
        with contextlib.suppress(OSError):
            size += path.stat().st_size
    return size


def _read_job(job: Job) -> Book:
    path, name, schema = job
    if schema is not RETURN:
        return read_book(path, name, schema)
    try:
        return read_book(path, name, schema)
    except OSError as error:  # gone or locked between listing the folder and reading it
        return Book(path, name, problems=(_unreadable(name, error),))


def _open_workbook(path: Path, package: bytes | None = None) -> CalamineWorkbook:
    """The workbook at path, or `package` in its place (its sheets cut to the limits).

    calamine takes a path only as UTF-8 text; a name that is not is read from its bytes."""
    if package is not None:
        return CalamineWorkbook.from_filelike(io.BytesIO(package))
    text = str(path)
    if printable(text) == text:
        return CalamineWorkbook.from_path(text)
    with path.open("rb") as handle:
        return CalamineWorkbook.from_filelike(io.BytesIO(handle.read()))


def read_book(path: Path, name: str, schema: Workbook) -> Book:
    """Read one workbook against its schema; every problem found is kept in the Book."""
    where = CellRef(name)
    if not path.is_file():
        return Book(path, name, problems=(Problem(where, "the file is missing",
                    f"Put the {schema.role} workbook at {path}.", code="missing-file"),))
    package = open_package(path, name)
    if isinstance(package, Problem):
        return Book(path, name, problems=(package,))
    with package, contextlib.ExitStack() as stack:
        try:  # opening reads the list of sheets, not the sheets
            workbook = stack.enter_context(_open_workbook(path))
        except Exception as error:  # calamine raises several types for damaged files
            return Book(path, name, problems=(_unreadable(name, error),))
        count = len(workbook.sheet_names)
        if count > MAX_SHEETS:
            return Book(path, name, problems=(Problem(
                where, f"the workbook has {count:,} sheets, more than the {MAX_SHEETS} plangen "
                "reads, so it is not read", _fill_in(schema), code="too-many-sheets"),))
        try:
            parts = SheetPackage(package)
            strays, cut = cut_strays(parts)
            if cut is not None:
                workbook = stack.enter_context(_open_workbook(path, cut))
            return _read_sheets(workbook, parts, path, name, schema, strays)
        except UnsafeXml as error:
            return Book(path, name, problems=(Problem(
                where, f"the file cannot be read safely: {error}", "Open it in Excel, "
                "check it shows your data, and save it again as Excel Workbook (.xlsx).",
                code="unsafe-xml"),))
        except Exception as error:  # a damaged sheet fails only when it is read
            return Book(path, name, problems=(_unreadable(name, error),))


def _unreadable(name: str, error: Exception) -> Problem:
    return Problem(CellRef(name), f"the file cannot be read ({error})",
                   "Open it in Excel, check it shows your data, and save it again as .xlsx.",
                   code="unreadable")


def _read_sheets(workbook: CalamineWorkbook, package: SheetPackage, path: Path, name: str,
                 schema: Workbook, strays: Mapping[str, Strays]) -> Book:
    sheet_names = list(workbook.sheet_names)
    if not sheet_names:
        return Book(path, name, problems=(Problem(
            CellRef(name), "the workbook has no sheets", _fill_in(schema),
            code="empty-workbook"),))
    found: dict[str, str] = {}  # schema sheet name -> the sheet read for it
    seconds: dict[str, Sheet] = {}  # other sheets with an accepted name -> whose
    for spec in schema.sheets:
        chosen, others = _find_sheet(sheet_names, spec)
        if chosen is not None:
            found[spec.name] = chosen
        seconds.update((other, spec) for other in others if other not in seconds)
    sheets = {actual: workbook.get_sheet_by_name(actual) for actual in found.values()}
    grids = {actual: sheet.to_python(skip_empty_area=False) for actual, sheet in sheets.items()}
    problems: list[Problem] = []
    unread = _unread_sheets(workbook, sheet_names, schema, found, seconds, strays, name,
                            problems)
    if not any(_filled(grid) for grid in grids.values()) and not unread and not any(
            cut.listed for cut in strays.values()) and not any(
            _filled(workbook.get_sheet_by_name(other).to_python())
            for other in schema.own_sheets if other in sheet_names):
        return Book(path, name, problems=(Problem(
            CellRef(name), "the workbook is empty: nothing is filled in", _fill_in(schema),
            code="empty-workbook"),))
    not_read = sum(unread.values())
    for sheet_name, cut in strays.items():
        _stray_problems(name, sheet_name, cut, problems)
    formulas = formulas_without_values(package, grids)
    errors = error_values(package, grids)
    settings: Settings | None = None
    tables: dict[str, Table] = {}
    for spec in schema.sheets:
        actual = found.get(spec.name)
        if actual is None:
            if spec.required:
                problems.append(_missing_sheet(name, spec, sheet_names))
            continue
        grid = grids[actual]
        cells = SheetCells(name, actual, grid, formulas.get(actual, frozenset()),
                           () if spec.settings else _merged(sheets[actual]),
                           _too_long(name, actual, grid, problems), errors.get(actual, {}))
        if spec.settings:
            settings, problems_ = read_settings(cells, spec)
        else:
            not_read += _stray_rows(strays.get(actual), grid)
            table, problems_ = read_table(cells, spec)
            if table is not None:
                tables[spec.name] = table
                not_read += table.not_read
            else:
                not_read += _filled_rows(grid)
        problems.extend(problems_)
    return Book(path, name, settings, tables, tuple(problems), not_read)


def _unread_sheets(workbook: CalamineWorkbook, sheet_names: Sequence[str], schema: Workbook,
                   found: Mapping[str, str], seconds: Mapping[str, Sheet],
                   strays: Mapping[str, Strays], name: str,
                   problems: list[Problem]) -> dict[str, int]:
    """The filled rows of each sheet that is not read (plangen's own guidance sheets aside),
    each such sheet reported as a warning saying what it looks like and what to do."""
    read = set(found.values())
    counted: dict[str, int] = {}
    for sheet_name in sheet_names:
        if sheet_name in read or sheet_name in schema.own_sheets:
            continue
        grid = workbook.get_sheet_by_name(sheet_name).to_python(skip_empty_area=False)
        like = seconds.get(sheet_name) or _copy_of(sheet_name, schema) or _looks_like(
            grid, sheet_name, schema, found)
        rows = _filled_rows(grid) + _stray_rows(strays.get(sheet_name), grid)
        if like is not None and not like.settings and rows:
            _row, columns = _header(grid, like)
            rows -= bool(columns)  # its header row is no row of data
        if not rows:
            continue
        counted[sheet_name] = rows
        problems.append(_unread_sheet(name, sheet_name, rows, like, found, seconds))
    return counted


_COPY = re.compile(r"^(.*?)[\s_-]*\(\d+\)$|^(.*?)[\s_-]+\d+$")


def _copy_of(sheet_name: str, schema: Workbook) -> Sheet | None:
    """The schema sheet this one is a copy of, as Excel ("Actions (2)") or LibreOffice
    ("Actions_2") names a copy."""
    match = _COPY.match(sheet_name.strip())
    if match is None:
        return None
    original = _normalised(match.group(1) or match.group(2) or "")
    return next((spec for spec in schema.sheets if original in _sheet_names(spec)), None)


def _looks_like(grid: Sequence[Row], sheet_name: str, schema: Workbook,
                found: Mapping[str, str]) -> Sheet | None:
    """The data sheet whose required headings this sheet has, else a missing sheet its name
    is close to."""
    for spec in schema.sheets:
        if spec.settings:
            continue
        _row, columns = _header(grid, spec)
        if all(column.key in columns for column in spec.columns if column.required):
            return spec
    missing = {spec.name: spec for spec in schema.sheets if spec.name not in found}
    hint = did_you_mean(sheet_name, missing)
    if hint:
        return missing[hint[1:-1]]
    folded = _normalised(sheet_name)
    return next((spec for spec in missing.values()
                 if any(folded.startswith(accepted) for accepted in _sheet_names(spec))), None)


def _unread_sheet(name: str, sheet_name: str, rows: int, like: Sheet | None,
                  found: Mapping[str, str], seconds: Mapping[str, Sheet]) -> Problem:
    where = CellRef(name, sheet_name)
    filled = f"{rows:,} filled row{'s' if rows != 1 else ''}"
    if like is None:
        return Problem(where, f'the sheet "{sheet_name}" is not one plangen reads, so its '
                       f"{filled} are not in the plan", "If it holds rows for the plan, move "
                       "them into the sheets that are read; if it is your own notes, ignore "
                       "this.", Severity.WARNING, "sheet-not-read")
    read = found.get(like.name)
    if sheet_name in seconds and read is not None:
        return Problem(where, f'the sheet "{sheet_name}" is another name for "{like.name}", but '
                       f'the sheet "{read}" is the one read, so its {filled} are not in the plan',
                       f'Move its rows into "{read}", then rename this sheet or delete it.',
                       Severity.WARNING, "second-sheet")
    if read is None:
        return Problem(where, f'the sheet "{sheet_name}" looks like "{like.name}" but is not '
                       f"named so, and is not read: its {filled} are not in the plan",
                       f'Rename the sheet to "{like.name}".', Severity.WARNING,
                       "sheet-not-read")
    return Problem(where, f'the sheet "{sheet_name}" looks like a copy of "{read}", and only '
                   f'"{read}" is read, so its {filled} are not in the plan',
                   f'Move its rows into "{read}", then delete this sheet.', Severity.WARNING,
                   "copied-sheet")


def _stray_problems(name: str, sheet_name: str, cut: Strays, problems: list[Problem]) -> None:
    """A warning at each stray cell listed, and one that counts the rest."""
    beyond = f"below row {MAX_ROWS:,} or right of column {column_letter(MAX_COLUMNS)}"
    for row, column in cut.listed:
        where = (f"below row {MAX_ROWS:,}, the last" if row >= MAX_ROWS
                 else f"right of column {column_letter(MAX_COLUMNS)}, the last column")
        problems.append(Problem(
            CellRef(name, sheet_name, f"{column_letter(column + 1)}{row + 1}"),
            f"this cell is {where} plangen reads, so what it holds is ignored",
            "If it holds nothing you need, clear it (Ctrl+End goes to the last cell in use); "
            "if it does, move it into the table.", Severity.WARNING, "stray-cell"))
    if cut.more:
        problems.append(Problem(
            CellRef(name, sheet_name), f"{cut.more:,} more cells {beyond} are ignored",
            "Clear the cells outside the table (Ctrl+End goes to the last cell in use), or "
            "copy the table into a blank return.", Severity.WARNING, "stray-cell"))


def _stray_rows(cut: Strays | None, grid: Sequence[Row]) -> int:
    """Rows whose only filled cells were beyond the limits: below the last row read, or
    right of the last column in a row left blank."""
    if cut is None:
        return 0
    return cut.rows_below + sum(row >= len(grid) or not _row_filled(grid[row])
                                for row in cut.rows_within)


def _too_long(name: str, sheet_name: str, grid: Sequence[Row],
              problems: list[Problem]) -> frozenset[Cell]:
    """Each cell longer than MAX_CELL_TEXT, reported and cut short in the grid, so that no
    later check spends its time on it."""
    found: set[Cell] = set()
    for row_index, row in enumerate(grid):
        for column, value in enumerate(row):
            if type(value) is str and len(value) > MAX_CELL_TEXT:
                found.add((row_index, column))
                row[column] = shorten(value, LONG_CELL_SHOWN)
                problems.append(Problem(
                    CellRef(name, sheet_name, f"{column_letter(column + 1)}{row_index + 1}"),
                    f"this cell holds {len(value):,} characters, more than the "
                    f"{MAX_CELL_TEXT:,} a cell can hold in Excel, so it is not read",
                    "Shorten it to what the plan needs (a sentence or two), in Excel, and "
                    "save the file again.", code="cell-too-long"))
    return frozenset(found)


def _fill_in(schema: Workbook) -> str:
    names = [f'"{sheet.name}"' for sheet in schema.sheets if sheet.required]
    sheets = ", ".join(names[:-1]) + f" and {names[-1]}" if len(names) > 1 else names[0]
    return (f"Fill in the sheets {sheets} and save it again; a blank return has them ready."
            if schema is RETURN else f"Fill in the sheets {sheets} and save it again.")


def _filled(rows: Sequence[Row]) -> bool:
    return any(not is_blank(value) for row in rows for value in row)


def _row_filled(row: Row) -> bool:
    # Most cells of a blank row are "" exactly; is_blank decides the rest.
    return any(value != "" and not is_blank(value) for value in row)


def _filled_rows(rows: Sequence[Row]) -> int:
    return sum(map(_row_filled, rows))


def _merged(sheet: Any) -> list[tuple[Cell, Cell]]:
    """The merged ranges, cut to the rows and columns read."""
    ranges = getattr(sheet, "merged_cell_ranges", None) or []
    return [((int(start[0]), int(start[1])),
             (min(int(end[0]), MAX_ROWS - 1), min(int(end[1]), MAX_COLUMNS - 1)))
            for start, end in ranges
            if int(start[0]) < MAX_ROWS and int(start[1]) < MAX_COLUMNS]


@functools.lru_cache(maxsize=4096)
def _normalised(text: str) -> str:
    """normalise_header, remembered: every return repeats the same headings and sheet names."""
    return normalise_header(text)


@functools.cache
def _sheet_names(spec: Sheet) -> frozenset[str]:
    return frozenset(normalise_header(name) for name in spec.accepted)


def _find_sheet(sheet_names: Sequence[str], spec: Sheet) -> tuple[str | None, list[str]]:
    """The sheet read for spec — the first named as the schema names it, else the first with
    an accepted name — and the other sheets with an accepted name, which are not read."""
    wanted = _sheet_names(spec)
    matching = [actual for actual in sheet_names if _normalised(actual) in wanted]
    exact = [actual for actual in matching if _normalised(actual) == _normalised(spec.name)]
    chosen = exact[0] if exact else matching[0] if matching else None
    return chosen, [actual for actual in matching if actual != chosen]


def _missing_sheet(name: str, spec: Sheet, sheet_names: Sequence[str]) -> Problem:
    hint = did_you_mean(spec.name, sheet_names)
    found = ", ".join(f'"{s}"' for s in sheet_names) or "none"
    return Problem(CellRef(name), f'the sheet "{spec.name}" is missing (sheets found: {found})',
                   (f"Rename {hint} to \"{spec.name}\"." if hint
                    else f'Add a sheet named "{spec.name}": {spec.purpose}'),
                   code="missing-sheet")


@functools.cache  # once per kind of sheet, not once per workbook
def _header_names(spec: Sheet) -> Mapping[str, str]:
    """Every accepted heading of a sheet, normalised -> its schema key."""
    return {normalise_header(alias): column.key
            for column in spec.columns for alias in column.accepted}


def _header_map(row: Row, wanted: Mapping[str, str]) -> dict[str, int]:
    """Schema key -> column index for the header cells in row that name a column."""
    found: dict[str, int] = {}
    for index, value in enumerate(row):
        if is_blank(value) or (type(value) is str and len(value) > HEADING_LENGTH):
            continue
        key = wanted.get(_normalised(cell_text(value)))
        if key is not None and key not in found:
            found[key] = index
    return found


def read_table(sheet: SheetCells, spec: Sheet) -> tuple[Table | None, list[Problem]]:
    """Find the header row, map its columns, and keep every non-blank row below it.

    In the data area, a formula without a value, an error value and each row of merged cells
    is reported at its cell and its row flagged.
    """
    found = Collector()
    header_row, columns = _header(sheet.rows, spec)
    if not columns:
        expected = ", ".join(f'"{c.header}"' for c in spec.columns)
        found.error(CellRef(sheet.file, sheet.sheet, "A1"), "no header row found",
                    f"Put the column headings {expected} in one row above the data.",
                    "no-header")
        return None, found.problems
    _header_problems(sheet, spec, header_row, columns, found)
    letters = {key: column_letter(index + 1) for key, index in columns.items()}
    keys = {index: key for key, index in columns.items()}
    flagged = _unreadable_cells(sheet, header_row, keys, found)
    indexes = list(columns.values())
    records: list[list[Any]] = []
    beside: list[int] = []  # rows filled only in columns not read
    for offset, row in enumerate(sheet.rows[header_row + 1:], start=header_row + 2):
        width = len(row)
        record = [row[index] if index < width else "" for index in indexes]
        # Most cells of a blank row are "" exactly; is_blank decides the rest.
        if offset not in flagged and all(value == "" or is_blank(value) for value in record):
            if _row_filled(row):
                beside.append(offset)
            continue
        record.append(offset)
        records.append(record)
    if beside:
        _rows_beside(sheet, beside, found)
    names = (*columns, "row")
    lists = [list(column) for column in zip(*records, strict=True)] or [[] for _ in names]
    return (Table(sheet.file, sheet.sheet, dict(zip(names, lists, strict=True)), letters,
                  flagged, len(beside)), found.problems)


def _rows_beside(sheet: SheetCells, rows: Sequence[int], found: Collector) -> None:
    """One warning for the rows filled only outside the columns read, at the first of them."""
    first = sheet.rows[rows[0] - 1]
    column = next(index for index, value in enumerate(first)
                  if value != "" and not is_blank(value))
    more = f" (and {len(rows) - 1:,} more rows below)" if len(rows) > 1 else ""
    found.warning(sheet.ref(rows[0] - 1, column),
                  f"this row has nothing in the columns plangen reads{more}, so it is not read",
                  "Move what it holds into the columns that are read, under their headings, "
                  "or delete it.", "row-not-read")


def _header(rows: Sequence[Row], spec: Sheet) -> tuple[int, dict[str, int]]:
    """The header row (zero-based) among the first HEADER_SEARCH_ROWS, the one naming the most
    columns, and its schema key -> column index; no columns if no row names one."""
    best_row, best = -1, dict[str, int]()
    wanted = _header_names(spec)
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        found = _header_map(row, wanted)
        if len(found) > len(best):
            best_row, best = index, found
            if len(best) == len(spec.columns):  # no later row can match more
                break
    return best_row, best


def _header_problems(sheet: SheetCells, spec: Sheet, header_row: int,
                     columns: Mapping[str, int], found: Collector) -> None:
    """Required columns the header lacks (at a misspelt heading, if there is one) and headings
    that name no column."""
    header_cells = {i: cell_text(v).strip() for i, v in enumerate(sheet.rows[header_row])
                    if not is_blank(v)}
    unmatched = {text: i for i, text in header_cells.items() if i not in columns.values()}
    renamed: set[int] = set()  # misspelt headings, reported as the column they should name
    for column in spec.columns:
        if column.key in columns or not column.required:
            continue
        hint = did_you_mean(column.header, unmatched)
        # At the misspelt heading if there is one, else in the first free column.
        free = max(header_cells) + 1
        index = unmatched.get(hint[1:-1], free) if hint else free
        renamed.add(index)
        found.error(sheet.ref(header_row, index), f'the column "{column.header}" is missing',
                    (f'Rename the column {hint} to "{column.header}".' if hint else
                     f'Add a column headed "{column.header}": {column.help}'), "missing-column")
    for index, text in header_cells.items():
        if index in columns.values() or index in renamed:
            continue
        hint = did_you_mean(text, [c.header for c in spec.columns if c.key not in columns])
        found.warning(sheet.ref(header_row, index),
                      f'the column "{text}" is not one plangen reads, so it is ignored',
                      f"Did you mean {hint}?" if hint else "Move anything it holds into the "
                      "columns that are read, or delete it.", "extra-column")


#: The exact types a column can hold, in any mix, and get back unchanged from a frame.
_AS_THEY_ARE = frozenset({str, float, bool, datetime.date, datetime.time})


def _as_pandas_gives(key: str, values: list[Any]) -> list[Any]:
    """A column's cells as `frame[key].tolist()` gives them, for the frame _frame makes.

    pandas converts each column of from_records on its own (convert_object_array), and for
    most columns that gives back every value as it was: text (with NaN) becomes its str
    dtype, numbers float64 and yes/no bool, each listed again as the same Python value; dates,
    times and any mix of these stay objects; ints alone (the "row" column) become int64, or
    stay objects when too large, and are listed as the same ints. Those columns are used as
    they are. The rest go through pandas, as before: a datetime (a cell with a time of day)
    or a timedelta, which pandas would turn into its Timestamp or Timedelta unless text is
    beside it, ints beside floats (made floats), None beside text or numbers (made NaN), and
    any type not named here. A test compares the two over many mixed columns.
    """
    kinds = set(map(type, values))
    if kinds <= _AS_THEY_ARE or kinds == {int}:
        return values
    converted: list[Any] = _frame([[value] for value in values], (key,))[key].tolist()
    return converted


@functools.lru_cache(maxsize=256)
def _columns(keys: tuple[str, ...]) -> pd.Index:
    """A frame's column labels, made once per arrangement of a sheet's columns: an Index
    takes pandas longer to build than a small frame's data, and it is immutable, so frames
    can share it."""
    return pd.Index(keys)


def _frame(records: list[list[Any]], keys: tuple[str, ...]) -> pd.DataFrame:
    """The same frame DataFrame.from_records makes from one dict per row: rows given as lists
    in the columns' order go through the same conversion of each column, without the work
    of looking every value up by its key."""
    return pd.DataFrame.from_records(records, columns=_columns(keys))


def _unreadable_cells(sheet: SheetCells, header_row: int, keys: Mapping[int, str],
                      found: Collector) -> dict[int, frozenset[str]]:
    """Report formulas without values, error values and merged cells below the header, in
    read columns.

    Returns Excel row -> the keys of its cells that cannot be read.
    """
    flagged: dict[int, set[str]] = {}
    for row, column in sheet.too_long:  # reported as the sheet was read
        if row > header_row and column in keys:
            flagged.setdefault(row + 1, set()).add(keys[column])
    for row, column in sorted(sheet.formulas):
        if row <= header_row or column not in keys:
            continue
        _formula_without_value(sheet.ref(row, column), found)
        flagged.setdefault(row + 1, set()).add(keys[column])
    for (row, column), shown in sorted(sheet.errors.items()):
        if row <= header_row or column not in keys:
            continue
        _error_value(sheet.ref(row, column), shown, found)
        flagged.setdefault(row + 1, set()).add(keys[column])
    for (top, left), (bottom, right) in sorted(sheet.merged):
        covered = [keys[column] for column in range(left, right + 1) if column in keys]
        if bottom <= header_row or not covered:
            continue
        span = f"{column_letter(left + 1)}{top + 1}:{column_letter(right + 1)}{bottom + 1}"
        for row in range(max(top, header_row + 1), bottom + 1):
            found.error(
                sheet.ref(row, left),
                f"this cell is part of the merged cells {span}, which keep their value in "
                "the first cell only, so this row cannot be read",
                "Unmerge the cells (Excel: Home › Merge & Center › Unmerge Cells; LibreOffice: "
                "Format › Merge and Unmerge Cells) and fill in every row.", "merged-cells")
            flagged.setdefault(row + 1, set()).update(covered)
    return {row: frozenset(cells) for row, cells in flagged.items()}


def _formula_without_value(where: CellRef, found: Collector) -> None:
    found.error(where, "this cell holds a formula but no stored value, so it reads as empty",
                "Open the file in Excel or LibreOffice and save it again (that stores the "
                "value), or type the value in place of the formula.", "formula-without-value")


def _error_value(where: CellRef, shown: str, found: Collector) -> None:
    found.error(where, f"this cell shows the error {shown}, so it has no value to read",
                "Correct the formula (or the cells it uses) so that it shows a value, or type "
                "the value in its place.", "error-value")


def read_settings(sheet: SheetCells, spec: Sheet) -> tuple[Settings, list[Problem]]:
    """A Setting | Value sheet: a setting's name in any cell, its value in the next filled cell.

    Whether each setting is there and filled in is for the validator to say.
    """
    wanted = _header_names(spec)
    values: dict[str, Any] = {}
    refs: dict[str, CellRef] = {}
    found = Collector()
    flagged: set[str] = set()
    for row_index, row in enumerate(sheet.rows):
        for col_index, value in enumerate(row):
            key = wanted.get(_normalised(cell_text(value)))
            if key is None or key in values:
                continue
            rest = [(i, v) for i, v in enumerate(row[col_index + 1:], start=col_index + 1)
                    if not is_blank(v)]
            value_index = rest[0][0] if rest else col_index + 1
            values[key] = rest[0][1] if rest else ""
            refs[key] = sheet.ref(row_index, value_index)
            if not rest and (row_index, value_index) in sheet.formulas:
                _formula_without_value(refs[key], found)
                flagged.add(key)
            elif not rest and (row_index, value_index) in sheet.errors:
                _error_value(refs[key], sheet.errors[(row_index, value_index)], found)
                flagged.add(key)
            elif (row_index, value_index) in sheet.too_long:
                flagged.add(key)
            break
    return (Settings(sheet.file, sheet.sheet, values, refs, frozenset(flagged),
                     len(sheet.rows)), found.problems)
