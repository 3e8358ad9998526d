"""Looking inside an .xlsx package for what python-calamine does not tell or cannot bear: formulas
with no value, error values, and cells far outside the table.

A formula cell stores its last result next to it. Files written by scripts (and some converters)
store none, and calamine then reads the cell as empty: the partner sees text in Excel, plangen
sees nothing. calamine reads an error value (#N/A, #DIV/0!, #REF!) as empty too. Finding them
needs the sheet XML itself. The common case costs one search of the sheet's bytes for a formula
tag or an error type; only sheets that have either are parsed, streaming, with defusedxml, so a
hostile file cannot expand entities or fetch anything. Cells are placed as calamine places
them, by their r or after the cell before, in the Transitional or the Strict namespaces.

calamine makes a sheet into a grid out to its farthest cell: one space typed in XFD1048576 asks
for 512 GB and aborts the process. So every sheet's cell references are scanned first (`strays`)
and the cells beyond MAX_ROWS or MAX_COLUMNS are cut out of the XML calamine is given.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
import zlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from io import BytesIO
from typing import Any

from defusedxml import ElementTree as SafeTree
from defusedxml.common import DefusedXmlException

from plangen.inputs.schema import MAX_COLUMNS, MAX_ROWS
from plangen.office.namespaces import (
    PACKAGE_RELS,
    R_STRICT,
    SPREADSHEET,
    SPREADSHEET_STRICT,
    R,
    clark,
)
from plangen.office.packages import PartTooLarge, read_part
from plangen.problems import column_number

#: SpreadsheetML's namespace as Excel saves a workbook, and as it saves Strict Open XML.
_MAINS = (clark(SPREADSHEET, ""), clark(SPREADSHEET_STRICT, ""))
_REL_IDS = (clark(R, "id"), clark(R_STRICT, "id"))
_PKG_REL = clark(PACKAGE_RELS, "")
# A formula element with or without a namespace prefix: <f>, <f t="shared" …/>, <x:f>.
_FORMULA_TAG = re.compile(rb"<(?:\w+:)?f[\s>/]")
# Where such a tag may end: an "f" after "<" or ":" and before a space, ">" or "/". Starting
# with a plain "f", the search skips along the bytes several times faster than _FORMULA_TAG's
# (whose "<" begins every tag), and matches almost nowhere in a sheet without formulas.
_FORMULA_TAG_END = re.compile(rb"f[\s>/](?<=[<:]f[\s>/])")
_CELL_REF = re.compile(r"^([A-Z]+)(\d+)$")
# A cell whose type is an error value: t="e".
_ERROR_TYPE = re.compile(rb"""\st\s*=\s*["']e["']""")

Cell = tuple[int, int]  # zero-based (row, column), as calamine counts


_DECLARATIONS = ("uses XML declarations (a DTD or entities) that workbooks saved by Excel never "
                 "contain, and that can hide an attack")


class UnsafeXml(Exception):
    """The package holds XML that is malformed, too large, or uses entities or DTDs."""


class SheetPackage:
    """An open .xlsx package for the scans here: each part is expanded once, however many scans
    read it (the formula scan and the stray-cell scan read every sheet)."""

    def __init__(self, archive: zipfile.ZipFile) -> None:
        self.archive = archive
        self._expanded: dict[str, bytes] = {}
        self._sheets: dict[str, str] | None = None
        self._scanned: dict[str, _Scanned] = {}

    def read(self, member: str) -> bytes:
        data = self._expanded.get(member)
        if data is None:
            data = self._expanded[member] = _read(self.archive, member)
        return data

    def scanned(self, member: str) -> _Scanned:
        """The formulas without values and the error values in a sheet, parsed once."""
        found = self._scanned.get(member)
        if found is None:
            found = self._scanned[member] = _scan_cells(self.read(member))
        return found

    @property
    def sheets(self) -> dict[str, str]:
        """Sheet name -> the zip member holding its XML."""
        if self._sheets is None:
            self._sheets = sheet_parts(self.archive)
        return self._sheets


def sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> the zip member holding its XML, from the workbook's relationships."""
    workbook = _parse(archive, "xl/workbook.xml")
    rels = _parse(archive, "xl/_rels/workbook.xml.rels")
    targets = {rel.get("Id"): rel.get("Target", "") for rel in rels.iter(f"{_PKG_REL}Relationship")}
    parts: dict[str, str] = {}
    sheets = (element for main in _MAINS for element in workbook.iter(f"{main}sheet"))
    for sheet in sheets:
        target = targets.get(next((sheet.get(key) for key in _REL_IDS if sheet.get(key)), ""),
                             "")
        if not target:
            continue
        member = (target.lstrip("/") if target.startswith("/")
                  else posixpath.normpath(posixpath.join("xl", target)))
        parts[sheet.get("name", "")] = member
    return parts


@dataclass(frozen=True)
class _Scanned:
    """What a sheet's XML says that calamine does not: zero-based cells."""

    formulas: frozenset[Cell] = frozenset()  # a formula and no stored value
    errors: Mapping[Cell, str] = field(default_factory=dict)  # an error value -> its code


def formulas_without_values(package: SheetPackage,
                            sheets: Iterable[str]) -> Mapping[str, frozenset[Cell]]:
    """For each named sheet of an open package, the cells holding a formula but no value.

    Raises UnsafeXml when a part cannot be read or parsed safely.
    """
    found = _scan(package, sheets, _has_formula)
    return {name: scanned.formulas for name, scanned in found.items() if scanned.formulas}


def error_values(package: SheetPackage, sheets: Iterable[str]) -> Mapping[str, Mapping[Cell, str]]:
    """For each named sheet of an open package, the cells holding an error value (#N/A,
    #DIV/0!, …: calamine reads them as empty), each with the error Excel shows.

    Raises UnsafeXml when a part cannot be read or parsed safely.
    """
    found = _scan(package, sheets, _has_error_type)
    return {name: scanned.errors for name, scanned in found.items() if scanned.errors}


def _has_error_type(data: bytes) -> bool:
    """Whether a cell of the sheet may be of type "e" (an error value). Every match of
    _ERROR_TYPE holds a quoted e, which a plain search finds many times faster than the
    pattern's leading space lets the pattern itself: exact, and most sheets have neither."""
    return ((b'"e"' in data or b"'e'" in data)
            and _ERROR_TYPE.search(data) is not None)


def _scan(package: SheetPackage, sheets: Iterable[str],
          worth_parsing: Callable[[bytes], bool]) -> dict[str, _Scanned]:
    """The named sheets' scans, parsing only the sheets whose bytes are worth_parsing."""
    found: dict[str, _Scanned] = {}
    try:
        candidates = {member for member in package.archive.namelist()
                      if member.startswith("xl/worksheets/") and member.endswith(".xml")
                      and worth_parsing(package.read(member))}
        if not candidates:  # the common case: nothing to parse
            return found
        parts = package.sheets
        for name in sheets:
            member = parts.get(name, "")
            if member in candidates:
                found[name] = package.scanned(member)
    except (zipfile.BadZipFile, OSError, KeyError, EOFError) as error:
        raise UnsafeXml(f"a part of the file cannot be read ({error})") from error
    return found


def _has_formula(data: bytes) -> bool:
    """Whether _FORMULA_TAG occurs in a sheet's XML, found from where such a tag would end.

    Exact: every match of _FORMULA_TAG ends in a match of _FORMULA_TAG_END, and one after
    ":" is part of a _FORMULA_TAG match only if the tag's "<" (the last one before it, as a
    prefix holds no "<") begins one.
    """
    for match in _FORMULA_TAG_END.finditer(data):
        end = match.start()
        if data[end - 1] == ord("<"):
            return True
        start = data.rfind(b"<", 0, end)
        if start >= 0 and _FORMULA_TAG.match(data, start) is not None:
            return True
    return False


def _read(archive: zipfile.ZipFile, member: str) -> bytes:
    """A member's bytes, refusing to expand past the limit whatever its header claims."""
    try:
        return read_part(archive, member)
    except PartTooLarge as error:
        raise UnsafeXml(f"{member} is too large to read safely") from error


def _parse(archive: zipfile.ZipFile, member: str) -> Any:
    try:
        return SafeTree.fromstring(_read(archive, member), forbid_dtd=True)
    except DefusedXmlException as error:
        raise UnsafeXml(f"{member} {_DECLARATIONS}") from error
    except SafeTree.ParseError as error:
        raise UnsafeXml(f"{member} is damaged ({error})") from error


def _scan_cells(data: bytes) -> _Scanned:
    """Stream a sheet's XML: the cells with an <f> child and no (or an empty) <v> child, and
    the cells of type "e" with the error each holds."""
    formulas: set[Cell] = set()
    errors: dict[Cell, str] = {}
    row = column = 0  # one-based, as calamine places cells without an r
    try:
        for event, element in SafeTree.iterparse(BytesIO(data), events=("start", "end"),
                                                  forbid_dtd=True):
            namespace, _, tag = element.tag.rpartition("}")
            if f"{namespace}}}" not in _MAINS:
                continue
            if event == "start":
                if tag == "row":
                    number = _ROW_NUMBER.match(element.get("r", "").encode())
                    row, column = (int(number.group(1)) if number else row + 1), 0
                continue
            if tag == "row":
                element.clear()
            if tag != "c":
                continue
            match = _CELL_REF.match(element.get("r", ""))
            if match:
                letters, digits = match.groups()
                cell = (int(digits) - 1, column_number(letters) - 1)
            else:
                cell = (row - 1, column)
            column = cell[1] + 1
            main = f"{namespace}}}"
            value = element.find(f"{main}v")
            if element.get("t") == "e" and value is not None and value.text:
                errors[cell] = value.text.strip()
            elif element.find(f"{main}f") is not None:
                # An empty <v> is a stored empty text only when the cell says it holds text.
                stored = value is not None and (bool(value.text) or element.get("t") == "str")
                if not stored and element.find(f"{main}is") is None:
                    formulas.add(cell)
            element.clear()
    except DefusedXmlException as error:
        raise UnsafeXml(f"a sheet {_DECLARATIONS}") from error
    except SafeTree.ParseError as error:
        raise UnsafeXml(f"a sheet is damaged ({error})") from error
    return _Scanned(frozenset(formulas), errors)


#: Stray cells holding a value listed one by one for each sheet; the rest are counted.
MAX_STRAYS_LISTED = 20

# Tags are matched with any namespace prefix, and attributes whose quoted values hold ">".
_PREFIX = rb"(?:[A-Za-z_][\w.-]*:)?"
_ATTRIBUTES = rb"((?:[^>\"']|\"[^\"]*\"|'[^']*')*)"
_SHEET_DATA = re.compile(rb"<" + _PREFIX + rb"sheetData(?=[\s/>])" + _ATTRIBUTES + rb">")
_SHEET_DATA_END = re.compile(rb"</" + _PREFIX + rb"sheetData\s*>")
_ROW_OR_CELL = re.compile(rb"<(/?)" + _PREFIX + rb"(row|c)(?=[\s/>])" + _ATTRIBUTES + rb">")
_R = re.compile(rb"""(?:^|\s)r\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_REF = re.compile(rb"^\s*([A-Za-z]{0,3})(\d{1,9})\s*$")
_ROW_NUMBER = re.compile(rb"^\s*(\d{1,9})\s*$")
_DIMENSION = re.compile(rb"<" + _PREFIX + rb"dimension(?=[\s/>])" + _ATTRIBUTES + rb">")
# What XML may hold that would make a search for tags see one that is not there: CDATA or a
# comment, "<![CDATA[" and "<!--".
_HIDING = b"<!"
# Such a tag whose r is not plainly within the limits (column A to Z, row below 200,000);
# asserted against MAX_ROWS and MAX_COLUMNS in the tests.
_NOT_PLAINLY_WITHIN = re.compile(rb'<c r="(?![A-Z](?:[1-9]\d{0,4}|1\d{5})")')


@dataclass(frozen=True)
class Strays:
    """The cells of a sheet beyond MAX_ROWS or MAX_COLUMNS, and the sheet's XML without them."""

    #: Cells holding something (zero-based), the first MAX_STRAYS_LISTED, in the sheet's order.
    listed: tuple[Cell, ...]
    more: int  # further cells holding something, not listed
    #: Rows (zero-based) within MAX_ROWS with something beyond MAX_COLUMNS, and how many rows
    #: below MAX_ROWS hold something: what may be lost is counted by row.
    rows_within: frozenset[int]
    rows_below: int
    xml: bytes  # the sheet without any cell beyond the limits, and without its dimension


def strays(data: bytes) -> Strays | None:
    """A sheet's cells beyond the limits, or None if it has none (the common case, at the cost
    of a search through its row and cell tags).

    Cells are placed as calamine places them: by their r attribute, or after the cell (or row)
    before when they have none. Raises UnsafeXml for a reference Excel would not write.
    """
    opening = _SHEET_DATA.search(data)
    if opening is None or opening.group(1).rstrip().endswith(b"/"):
        return None
    end = data.rfind(b"</sheetData>", opening.end())
    if end < 0:
        closing = _SHEET_DATA_END.search(data, opening.end())
        end = closing.start() if closing is not None else len(data)
    if data.find(_HIDING, opening.end(), end) >= 0:
        raise UnsafeXml("a sheet hides markup in its cells (CDATA or comments), which Excel "
                        "never writes there")
    if _plainly_within(data, opening.end(), end):
        return None
    cut: list[tuple[int, int]] = []  # spans of the XML to leave out
    listed: list[Cell] = []
    more = rows_below = 0
    rows_within: set[int] = set()
    row = column = 0  # one-based; 0 before the first
    counted_below = 0  # the last row below MAX_ROWS counted
    open_cell: tuple[int, int, int, int] | None = None  # start, end of its tag, row, column
    for match in _ROW_OR_CELL.finditer(data, opening.end(), end):
        is_end, tag, attributes = match.groups()
        if tag == b"row":
            if open_cell is not None:
                raise UnsafeXml("a sheet is damaged (a cell holds a row)")
            if not is_end:
                number = _attribute(attributes)
                row = _row_number(number) if number is not None else row + 1
                column = 0
            continue
        if is_end:
            if open_cell is not None:
                start, tag_end, cell_row, cell_column = open_cell
                open_cell = None
                cut.append((start, match.end()))
                if data[tag_end:match.start()].strip():
                    if len(listed) < MAX_STRAYS_LISTED:
                        listed.append((cell_row - 1, cell_column - 1))
                    else:
                        more += 1
                    if cell_row > MAX_ROWS:
                        if cell_row != counted_below:
                            rows_below += 1
                            counted_below = cell_row
                    else:
                        rows_within.add(cell_row - 1)
            continue
        if open_cell is not None:
            raise UnsafeXml("a sheet is damaged (a cell holds another cell)")
        reference = _attribute(attributes)
        if reference is None:
            column += 1
            cell_row = row
        else:
            cell_row, column = _reference(reference)
        if cell_row <= MAX_ROWS and column <= MAX_COLUMNS:
            continue
        if attributes.rstrip().endswith(b"/"):  # <c r="…"/>: nothing in it
            cut.append((match.start(), match.end()))
        else:
            open_cell = (match.start(), match.end(), cell_row, column)
    if not cut:
        return None
    dimension = _DIMENSION.search(data, 0, opening.start())
    if dimension is not None:
        cut.insert(0, (dimension.start(), dimension.end()))
    kept, position = [], 0
    for start, stop in cut:
        kept.append(data[position:start])
        position = stop
    kept.append(data[position:])
    return Strays(tuple(listed), more, frozenset(rows_within), rows_below, b"".join(kept))


def _plainly_within(data: bytes, start: int, end: int) -> bool:
    """Whether every cell tag between start and end is written as Excel, LibreOffice and
    openpyxl write it — no namespace prefix, its r first in double quotes — and within the
    limits: searches that run at the speed of C, where following every tag from Python costs
    a second for 100,000 rows. Anything else (a rich-text "<color", a ":c" in a text) only
    means the tags are followed one by one.

    Row tags need no look: a cell with its own r is placed by it, whatever its row says, and a
    row without cells (even one numbered 1,048,576) adds nothing to the grid."""
    return (data.find(b":c", start, end) < 0
            and data.count(b"<c", start, end) == data.count(b'<c r="', start, end)
            and _NOT_PLAINLY_WITHIN.search(data, start, end) is None)


def _attribute(attributes: bytes) -> bytes | None:
    match = _R.search(attributes)
    if match is None:
        return None
    return match.group(1) if match.group(1) is not None else match.group(2)


def _row_number(text: bytes) -> int:
    match = _ROW_NUMBER.match(text)
    if match is None:
        raise UnsafeXml(f"a sheet has a row numbered {text[:20]!r}, which Excel never writes")
    return int(match.group(1))


def _reference(text: bytes) -> tuple[int, int]:
    """A cell reference as one-based (row, column)."""
    match = _REF.match(text)
    if match is None or not match.group(1):
        raise UnsafeXml(f"a sheet has a cell at {text[:20]!r}, which Excel never writes")
    return int(match.group(2)), column_number(match.group(1).decode("ascii").upper())


def cut_strays(package: SheetPackage) -> tuple[dict[str, Strays], bytes | None]:
    """Every sheet's cells beyond the limits, by sheet name, and the package to read instead:
    a copy, in memory, whose sheets have them cut out (None when no sheet has any).

    Raises UnsafeXml when a part cannot be read or parsed safely.
    """
    found: dict[str, Strays] = {}
    archive = package.archive
    try:
        parts = package.sheets
        members = set(archive.namelist())
        by_member: dict[str, Strays] = {}
        for name, member in parts.items():
            if member not in members:
                continue
            scanned = by_member.get(member)
            if scanned is None:
                scanned = strays(package.read(member))
            if scanned is not None:
                by_member[member] = found[name] = scanned
        if not found:
            return found, None
        copy = BytesIO()
        with zipfile.ZipFile(copy, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as target:
            for member in dict.fromkeys(archive.namelist()):  # a name given twice: once
                replaced = by_member.get(member)
                target.writestr(member, replaced.xml if replaced is not None
                                else package.read(member))
    except (zipfile.BadZipFile, OSError, KeyError, EOFError, zlib.error) as error:
        raise UnsafeXml(f"a part of the file cannot be read ({error})") from error
    return found, copy.getvalue()
