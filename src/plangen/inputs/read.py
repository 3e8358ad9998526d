"""Reading workbooks: cells as they are, each kept with its file, sheet and cell.

Read with python-calamine (fast, read-only: a partner's file is never modified). Headers are
found by matching names from the schema, not by position, so a title row above the table or
columns in another order do not matter. Nothing is interpreted here beyond finding the table;
the validator decides what the values mean.
"""

from __future__ import annotations

import contextlib
import datetime
import functools
import io
import os
import zipfile
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
from python_calamine import CalamineWorkbook

from plangen.inputs.schema import COORDINATOR, RETURN, Sheet, Workbook, normalise_header
from plangen.inputs.sheetxml import UnsafeXml, formulas_without_values
from plangen.inputs.values import cell_text, is_blank
from plangen.model import CellRef
from plangen.problems import Problem, Severity, cell_of, column_letter
from plangen.text import did_you_mean
from plangen.untrusted import MAX_PART_BYTES, PartTooLarge, screen

#: How far down a sheet the header row is looked for.
HEADER_SEARCH_ROWS = 30
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

    @functools.cached_property
    def frame(self) -> pd.DataFrame:
        """The cells as the DataFrame the reader used to make for every sheet: made only when
        asked for (the build never asks; a frame per sheet cost more than the sample's reading
        itself)."""
        return _frame([list(row) for row in zip(*self.cells.values(), strict=True)],
                      tuple(self.cells))


@dataclass(frozen=True)
class Settings:
    """A Setting | Value sheet: each value with the cell it came from."""

    file: str
    sheet: str
    values: Mapping[str, Any]
    refs: Mapping[str, CellRef]
    flagged: frozenset[str] = frozenset()  # keys whose cell the reader reported as unreadable


@dataclass(frozen=True)
class Book:
    """One workbook as read: its settings and tables by schema sheet name."""

    path: Path
    file: str  # the name shown in messages, relative to the inputs folder
    settings: Settings | None = None
    tables: Mapping[str, Table] = field(default_factory=dict)
    problems: tuple[Problem, ...] = ()

    @property
    def readable(self) -> bool:
        return not any(p.is_error and not cell_of(p).sheet for p in self.problems)


@dataclass(frozen=True)
class Inputs:
    coordinator: Book
    returns: tuple[Book, ...]
    problems: tuple[Problem, ...] = ()  # about the folder as a whole

    @property
    def all_problems(self) -> list[Problem]:
        found = list(self.problems) + list(self.coordinator.problems)
        for book in self.returns:
            found.extend(book.problems)
        return found


def load_inputs(inputs_dir: Path, progress: Progress | None = None) -> Inputs:
    """Read the coordinator's workbook and every return in inputs_dir/returns.

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
            skip = _not_a_return(path, name)
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
    return Inputs(coordinator, tuple(books), tuple(problems))


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


def _not_a_return(path: Path, name: str) -> Problem | None:
    """A Problem for files that are not read as returns (an empty message: skip silently)."""
    where = CellRef(name)
    if path.is_dir() or path.name.startswith(".") or path.name == ".gitkeep":
        return Problem(where, "")
    if path.name.startswith("~$"):
        return Problem(where, "this is Excel's lock file for a workbook that is open, not a return",
                       "Close the workbook in Excel; the lock file then disappears.",
                       Severity.WARNING, "lock-file")
    suffix = path.suffix.casefold()
    if suffix == ".xlsx":
        return None
    fixes = {
        ".xls": ("an old-style Excel file (.xls)",
                 "Open it in Excel and save it as Excel Workbook (.xlsx)."),
        ".xlsm": ("a macro-enabled workbook (.xlsm)",
                  "Save it as Excel Workbook (.xlsx), without macros."),
        ".csv": ("a CSV file, which has no sheets",
                 "Copy its rows into a blank return and save that as .xlsx."),
        ".ods": ("a LibreOffice spreadsheet (.ods)", "Save it as Excel 2007-365 (.xlsx)."),
    }
    codes = {".xls": "legacy-xls", ".xlsm": "macros", ".csv": "csv", ".ods": "ods"}
    what, fix = fixes.get(suffix, ("not an Excel workbook",
                                   "Only .xlsx returns are read; remove it from the folder."))
    return Problem(where, f"this is {what} and was not read", fix,
                   code=codes.get(suffix, "not-xlsx"))


def printable(name: str) -> str:
    """A file name fit to show and to put in the plan: bytes that are not UTF-8 (a name made
    on another system) become "�" instead of characters XML cannot hold."""
    return os.fsencode(name).decode("utf-8", "replace")


def _open_workbook(path: Path) -> CalamineWorkbook:
    """calamine takes a path only as UTF-8 text; a name that is not is read from its bytes."""
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
    with package:
        try:
            workbook = _open_workbook(path)
        except Exception as error:  # calamine raises several types for damaged files
            return Book(path, name, problems=(_unreadable(name, error),))
        with workbook:
            try:
                return _read_sheets(workbook, package, path, name, schema)
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


def _read_sheets(workbook: CalamineWorkbook, package: zipfile.ZipFile, path: Path, name: str,
                 schema: Workbook) -> Book:
    sheet_names = list(workbook.sheet_names)
    if not sheet_names:
        return Book(path, name, problems=(Problem(
            CellRef(name), "the workbook has no sheets", _fill_in(schema),
            code="empty-workbook"),))
    found = {spec.name: actual for spec in schema.sheets
             if (actual := _find_sheet(sheet_names, spec)) is not None}
    sheets = {actual: workbook.get_sheet_by_name(actual) for actual in found.values()}
    grids = {actual: sheet.to_python(skip_empty_area=False) for actual, sheet in sheets.items()}
    if not any(_filled(grid) for grid in grids.values()) and not any(
            _filled(workbook.get_sheet_by_name(other).to_python())
            for other in sheet_names if other not in grids):
        return Book(path, name, problems=(Problem(
            CellRef(name), "the workbook is empty: nothing is filled in", _fill_in(schema),
            code="empty-workbook"),))
    formulas = formulas_without_values(package, grids)
    problems: list[Problem] = []
    settings: Settings | None = None
    tables: dict[str, Table] = {}
    for spec in schema.sheets:
        actual = found.get(spec.name)
        if actual is None:
            if spec.required:
                problems.append(_missing_sheet(name, spec, sheet_names))
            continue
        rows = grids[actual]
        if spec.settings:
            settings, problems_ = read_settings(rows, name, actual, spec,
                                                formulas.get(actual, frozenset()))
        else:
            table, problems_ = read_table(rows, name, actual, spec,
                                          formulas.get(actual, frozenset()),
                                          _merged(sheets[actual]))
            if table is not None:
                tables[spec.name] = table
        problems.extend(problems_)
    return Book(path, name, settings, tables, tuple(problems))


def _fill_in(schema: Workbook) -> str:
    names = [f'"{sheet.name}"' for sheet in schema.sheets if sheet.required]
    sheets = ", ".join(names[:-1]) + f" and {names[-1]}" if len(names) > 1 else names[0]
    return (f"Fill in the sheets {sheets} and save it again; a blank return has them ready."
            if schema is RETURN else f"Fill in the sheets {sheets} and save it again.")


def _filled(rows: Sequence[Row]) -> bool:
    return any(not is_blank(value) for row in rows for value in row)


def _merged(sheet: Any) -> list[tuple[Cell, Cell]]:
    ranges = getattr(sheet, "merged_cell_ranges", None) or []
    return [((int(start[0]), int(start[1])), (int(end[0]), int(end[1])))
            for start, end in ranges]


def open_package(path: Path, name: str) -> zipfile.ZipFile | Problem:
    """The workbook's zip package, open, or the Problem that stops it being read.

    Everything is decided by the file's contents, not its name: a password-protected workbook
    (an OLE file holding an encrypted package), an old .xls, a CSV or a macro-enabled workbook
    renamed to .xlsx are each named for what they are, and a package that would expand to
    excess is refused.
    """
    where = CellRef(name)
    with path.open("rb") as handle:
        head = handle.read(8)
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return _ole_problem(path, where)
    if not head.startswith(b"PK"):
        if not head:
            return Problem(where, "the file is empty (0 bytes)",
                           "Send the return again; the copy received holds nothing.",
                           code="corrupt")
        if _looks_like_text(path):
            return Problem(where, "the file is a text (CSV) file, not an Excel workbook, though "
                           "its name ends in .xlsx", "Open it in Excel and save it as Excel "
                           "Workbook (.xlsx).", code="csv")
        return Problem(where, "the file is not an Excel workbook, though its name ends in .xlsx",
                       "Open it in Excel and save it as Excel Workbook (.xlsx).", code="not-xlsx")
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError):
        return Problem(where, "the file is damaged and cannot be opened",
                       "Open it in Excel (it may offer to repair it) and save it again.",
                       code="corrupt")
    problem = _package_problem(archive, where)
    if problem is not None:
        archive.close()
        return problem
    return archive


def _package_problem(archive: zipfile.ZipFile, where: CellRef) -> Problem | None:
    members = archive.infolist()
    names = {member.filename for member in members}
    if any(member.casefold().endswith("vbaproject.bin") for member in names):
        return Problem(where, "the workbook contains macros", "Save it as Excel Workbook "
                       "(.xlsx), which removes the macros, and send that.", code="macros")
    try:
        screen(archive)
    except PartTooLarge as error:
        what = (f"{len(members)} parts, too many" if error.part == "the package"
                else f"a part ({error.part}) too large")
        return Problem(where, f"the file holds {what} to read safely",
                       "Copy the data into a blank return and send that.", code="too-large")
    if "xl/workbook.xml" not in names:
        others = {"xl/workbook.bin": "a binary Excel workbook (.xlsb)",
                  "content.xml": "a LibreOffice or OpenDocument file (.ods)",
                  "word/document.xml": "a Word document"}
        what = next((what for part, what in others.items() if part in names),
                    "not an Excel workbook")
        return Problem(where, f"the file is {what}, not an Excel workbook (.xlsx)",
                       "Open it and save it as Excel Workbook (.xlsx).", code="not-xlsx")
    return None


def _ole_problem(path: Path, where: CellRef) -> Problem:
    """An OLE compound file is either an encrypted (password-protected) package or an old
    binary Office file; the names of its streams tell which."""
    with path.open("rb") as handle:
        data = handle.read(MAX_PART_BYTES)
    if any(stream.encode("utf-16-le") in data
           for stream in ("EncryptionInfo", "EncryptedPackage")):
        return Problem(where, "the workbook is password-protected, so it cannot be read",
                       "Remove the password (Excel: File › Info › Protect Workbook › Encrypt "
                       "with Password, clear it) and send it again.", code="password-protected")
    if "Workbook".encode("utf-16-le") in data or "Book".encode("utf-16-le") in data:
        return Problem(where, "the file is an old-style Excel workbook (.xls), though its name "
                       "ends in .xlsx", "Open it in Excel and save it as Excel Workbook (.xlsx).",
                       code="legacy-xls")
    return Problem(where, "the file is an old-style Office file, not an Excel workbook",
                   "Open it in Excel and save it as Excel Workbook (.xlsx).", code="not-xlsx")


def _looks_like_text(path: Path) -> bool:
    with path.open("rb") as handle:
        sample = handle.read(4096)
    try:
        text = sample.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = sample.decode("cp1252")
        except UnicodeDecodeError:
            return False
    printable = sum(ch.isprintable() or ch in "\r\n\t" for ch in text)
    return printable >= 0.95 * max(len(text), 1) and any(sep in text for sep in ",;\t")


@functools.lru_cache(maxsize=4096)
def _normalised(text: str) -> str:
    """normalise_header, remembered: every return repeats the same headings and sheet names."""
    return normalise_header(text)


@functools.cache
def _sheet_names(spec: Sheet) -> frozenset[str]:
    return frozenset(normalise_header(name) for name in spec.accepted)


def _find_sheet(sheet_names: Sequence[str], spec: Sheet) -> str | None:
    wanted = _sheet_names(spec)
    for actual in sheet_names:
        if _normalised(actual) in wanted:
            return actual
    return None


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
        if is_blank(value):
            continue
        key = wanted.get(_normalised(cell_text(value)))
        if key is not None and key not in found:
            found[key] = index
    return found


def read_table(rows: Sequence[Row], file: str, sheet: str, spec: Sheet,
               formulas: frozenset[Cell] = frozenset(),
               merged: Sequence[tuple[Cell, Cell]] = ()) -> tuple[Table | None, list[Problem]]:
    """Find the header row, map its columns, and keep every non-blank row below it.

    `formulas` are the cells holding a formula with no stored value and `merged` the merged
    ranges (both zero-based): in the data area each is reported at its cell and its row flagged.
    """
    problems: list[Problem] = []
    best_row, best = -1, dict[str, int]()
    wanted = _header_names(spec)
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        found = _header_map(row, wanted)
        if len(found) > len(best):
            best_row, best = index, found
            if len(best) == len(spec.columns):  # no later row can match more
                break
    if not best:
        expected = ", ".join(f'"{c.header}"' for c in spec.columns)
        problems.append(Problem(CellRef(file, sheet, "A1"), "no header row found",
                                f"Put the column headings {expected} in one row above the data.",
                                code="no-header"))
        return None, problems
    header = rows[best_row]
    header_cells = {i: cell_text(v).strip() for i, v in enumerate(header) if not is_blank(v)}
    unmatched = {text: i for i, text in header_cells.items() if i not in best.values()}
    renamed: set[int] = set()  # misspelt headings, reported as the column they should name
    for column in spec.columns:
        if column.key in best or not column.required:
            continue
        hint = did_you_mean(column.header, unmatched)
        # At the misspelt heading if there is one, else in the first free column.
        free = max(header_cells) + 1
        index = unmatched.get(hint[1:-1], free) if hint else free
        renamed.add(index)
        problems.append(Problem(
            CellRef(file, sheet, f"{column_letter(index + 1)}{best_row + 1}"),
            f'the column "{column.header}" is missing',
            (f'Rename the column {hint} to "{column.header}".' if hint else
             f'Add a column headed "{column.header}": {column.help}'), code="missing-column"))
    for index, text in header_cells.items():
        if index in best.values() or index in renamed:
            continue
        hint = did_you_mean(text, [c.header for c in spec.columns if c.key not in best])
        problems.append(Problem(
            CellRef(file, sheet, f"{column_letter(index + 1)}{best_row + 1}"),
            f'the column "{text}" is not one plangen reads, so it is ignored',
            f"Did you mean {hint}?" if hint else "Move anything it holds into the columns "
            "that are read, or delete it.", Severity.WARNING, "extra-column"))
    letters = {key: column_letter(index + 1) for key, index in best.items()}
    keys = {index: key for key, index in best.items()}
    flagged = _unreadable_cells(file, sheet, best_row, keys, formulas, merged, problems)
    indexes = list(best.values())
    records: list[list[Any]] = []
    for offset, row in enumerate(rows[best_row + 1:], start=best_row + 2):
        width = len(row)
        record = [row[index] if index < width else "" for index in indexes]
        # Most cells of a blank row are "" exactly; is_blank decides the rest.
        if offset not in flagged and all(value == "" or is_blank(value) for value in record):
            continue
        record.append(offset)
        records.append(record)
    names = (*best, "row")
    columns = [list(column) for column in zip(*records, strict=True)] or [[] for _ in names]
    return Table(file, sheet, dict(zip(names, columns, strict=True)), letters, flagged), problems


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


def _unreadable_cells(file: str, sheet: str, header_row: int, keys: Mapping[int, str],
                      formulas: frozenset[Cell], merged: Sequence[tuple[Cell, Cell]],
                      problems: list[Problem]) -> dict[int, frozenset[str]]:
    """Report formulas without values and merged cells below the header, in read columns.

    Returns Excel row -> the keys of its cells that cannot be read.
    """
    flagged: dict[int, set[str]] = {}
    for row, column in sorted(formulas):
        if row <= header_row or column not in keys:
            continue
        problems.append(Problem(
            CellRef(file, sheet, f"{column_letter(column + 1)}{row + 1}"),
            "this cell holds a formula but no stored value, so it reads as empty",
            "Open the file in Excel or LibreOffice and save it again (that stores the value), "
            "or type the value in place of the formula.", code="formula-without-value"))
        flagged.setdefault(row + 1, set()).add(keys[column])
    for (top, left), (bottom, right) in sorted(merged):
        covered = [keys[column] for column in range(left, right + 1) if column in keys]
        if bottom <= header_row or not covered:
            continue
        span = f"{column_letter(left + 1)}{top + 1}:{column_letter(right + 1)}{bottom + 1}"
        for row in range(max(top, header_row + 1), bottom + 1):
            problems.append(Problem(
                CellRef(file, sheet, f"{column_letter(left + 1)}{row + 1}"),
                f"this cell is part of the merged cells {span}, which keep their value in "
                "the first cell only, so this row cannot be read",
                "Unmerge the cells (Excel: Home › Merge & Center › Unmerge Cells; LibreOffice: "
                "Format › Merge and Unmerge Cells) and fill in every row.", code="merged-cells"))
            flagged.setdefault(row + 1, set()).update(covered)
    return {row: frozenset(cells) for row, cells in flagged.items()}


def read_settings(rows: Sequence[Row], file: str, sheet: str, spec: Sheet,
                  formulas: frozenset[Cell] = frozenset()) -> tuple[Settings, list[Problem]]:
    """A Setting | Value sheet: a setting's name in any cell, its value in the next filled cell."""
    wanted = _header_names(spec)
    values: dict[str, Any] = {}
    refs: dict[str, CellRef] = {}
    problems: list[Problem] = []
    flagged: set[str] = set()
    for row_index, row in enumerate(rows, start=1):
        for col_index, value in enumerate(row):
            key = wanted.get(_normalised(cell_text(value)))
            if key is None or key in values:
                continue
            rest = [(i, v) for i, v in enumerate(row[col_index + 1:], start=col_index + 1)
                    if not is_blank(v)]
            value_index = rest[0][0] if rest else col_index + 1
            values[key] = rest[0][1] if rest else ""
            refs[key] = CellRef(file, sheet, f"{column_letter(value_index + 1)}{row_index}")
            if not rest and (row_index - 1, value_index) in formulas:
                problems.append(Problem(
                    refs[key], "this cell holds a formula but no stored value, so it reads as "
                    "empty", "Open the file in Excel or LibreOffice and save it again (that "
                    "stores the value), or type the value in place of the formula.",
                    code="formula-without-value"))
                flagged.add(key)
            break
    for column in spec.columns:
        if column.key in flagged:
            continue
        if column.required and is_blank(values.get(column.key)):
            where = refs.get(column.key, CellRef(file, sheet, f"A{len(rows) + 1}"))
            problems.append(Problem(where, f'the setting "{column.header}" is empty'
                                    if column.key in refs else
                                    f'the setting "{column.header}" is missing',
                                    f'Give {column.help[0].lower()}{column.help[1:]} '
                                    f'For example: {column.example}'
                                    if column.key in refs else
                                    f'Add a row with "{column.header}" in column A and its '
                                    f"value in column B, e.g. {column.example}.",
                                    code="missing-setting"))
    return Settings(file, sheet, values, refs, frozenset(flagged)), problems
