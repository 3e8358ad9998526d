"""Looking inside an .xlsx package for what python-calamine does not tell: formulas with no value.

A formula cell stores its last result next to it. Files written by scripts (and some converters)
store none, and calamine then reads the cell as empty: the partner sees text in Excel, plangen
sees nothing. Finding them needs the sheet XML itself. The common case costs one search of the
sheet's bytes for a formula tag; only sheets that have formulas are parsed, streaming, with
defusedxml, so a hostile file cannot expand entities or fetch anything.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from collections.abc import Iterable, Mapping
from io import BytesIO
from typing import Any

from defusedxml import ElementTree as SafeTree
from defusedxml.common import DefusedXmlException

from plangen.office.namespaces import PACKAGE_RELS, SPREADSHEET, R, clark
from plangen.office.packages import PartTooLarge, read_part
from plangen.problems import column_number

_MAIN = clark(SPREADSHEET, "")
_REL = clark(R, "")
_PKG_REL = clark(PACKAGE_RELS, "")
# A formula element with or without a namespace prefix: <f>, <f t="shared" …/>, <x:f>.
_FORMULA_TAG = re.compile(rb"<(?:\w+:)?f[\s>/]")
# Where such a tag may end: an "f" after "<" or ":" and before a space, ">" or "/". Starting
# with a plain "f", the search skips along the bytes several times faster than _FORMULA_TAG's
# (whose "<" begins every tag), and matches almost nowhere in a sheet without formulas.
_FORMULA_TAG_END = re.compile(rb"f[\s>/](?<=[<:]f[\s>/])")
_CELL_REF = re.compile(r"^([A-Z]+)(\d+)$")

Cell = tuple[int, int]  # zero-based (row, column), as calamine counts


_DECLARATIONS = ("uses XML declarations (a DTD or entities) that workbooks saved by Excel never "
                 "contain, and that can hide an attack")


class UnsafeXml(Exception):
    """The package holds XML that is malformed, too large, or uses entities or DTDs."""


def sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> the zip member holding its XML, from the workbook's relationships."""
    workbook = _parse(archive, "xl/workbook.xml")
    rels = _parse(archive, "xl/_rels/workbook.xml.rels")
    targets = {rel.get("Id"): rel.get("Target", "") for rel in rels.iter(f"{_PKG_REL}Relationship")}
    parts: dict[str, str] = {}
    for sheet in workbook.iter(f"{_MAIN}sheet"):
        target = targets.get(sheet.get(f"{_REL}id"), "")
        if not target:
            continue
        member = (target.lstrip("/") if target.startswith("/")
                  else posixpath.normpath(posixpath.join("xl", target)))
        parts[sheet.get("name", "")] = member
    return parts


def formulas_without_values(archive: zipfile.ZipFile,
                            sheets: Iterable[str]) -> Mapping[str, frozenset[Cell]]:
    """For each named sheet of an open package, the cells holding a formula but no value.

    Raises UnsafeXml when a part cannot be read or parsed safely.
    """
    found: dict[str, frozenset[Cell]] = {}
    try:
        with_formulas: dict[str, bytes] = {}
        for member in archive.namelist():
            if member.startswith("xl/worksheets/") and member.endswith(".xml"):
                data = _read(archive, member)
                if _has_formula(data):
                    with_formulas[member] = data
        if not with_formulas:  # the common case: no formulas at all, nothing to parse
            return found
        parts = sheet_parts(archive)
        for name in sheets:
            data = with_formulas.get(parts.get(name, ""), b"")
            cells = _empty_formula_cells(data) if data else frozenset()
            if cells:
                found[name] = cells
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


def _empty_formula_cells(data: bytes) -> frozenset[Cell]:
    """Stream a sheet's XML: the cells with an <f> child and no (or an empty) <v> child."""
    cells: set[Cell] = set()
    try:
        for _event, element in SafeTree.iterparse(BytesIO(data), events=("end",),
                                                  forbid_dtd=True):
            if element.tag != f"{_MAIN}c":
                if element.tag == f"{_MAIN}row":
                    element.clear()
                continue
            formula = element.find(f"{_MAIN}f")
            if formula is not None:
                value = element.find(f"{_MAIN}v")
                # An empty <v> is a stored empty text only when the cell says it holds text.
                stored = value is not None and (bool(value.text) or element.get("t") == "str")
                if not stored and element.find(f"{_MAIN}is") is None:
                    match = _CELL_REF.match(element.get("r", ""))
                    if match:
                        letters, digits = match.groups()
                        cells.add((int(digits) - 1, column_number(letters) - 1))
            element.clear()
    except DefusedXmlException as error:
        raise UnsafeXml(f"a sheet {_DECLARATIONS}") from error
    except SafeTree.ParseError as error:
        raise UnsafeXml(f"a sheet is damaged ({error})") from error
    return frozenset(cells)
