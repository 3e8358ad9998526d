"""What a file in the inputs is: a workbook to read, or something else, said in a partner's words.

Decided first by name (a lock file, an .xls, a CSV), then by content, never trusting the name:
a password-protected workbook (an OLE file holding an encrypted package), an old .xls, a CSV or
a macro-enabled workbook renamed to .xlsx, and a zip package that would expand to excess
(plangen.office.packages) are each a Problem naming what the file is and how to send it as .xlsx.
"""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

from plangen.model import CellRef
from plangen.office.packages import MAX_PART_BYTES, PartTooLarge, screen
from plangen.problems import Problem, Severity, visible


def not_a_return(path: Path, name: str) -> Problem | None:
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
        ".xltm": ("a macro-enabled template (.xltm)",
                  "Save it as Excel Workbook (.xlsx), without macros."),
        ".xltx": ("an Excel template (.xltx)", "Save it as Excel Workbook (.xlsx)."),
        ".xlsb": ("a binary Excel workbook (.xlsb)", "Save it as Excel Workbook (.xlsx)."),
        ".csv": ("a CSV file, which has no sheets",
                 "Copy its rows into a blank return and save that as .xlsx."),
        ".txt": ("a text file, which has no sheets",
                 "If it holds rows for the plan, copy them into a blank return and save that "
                 "as .xlsx; if not, remove it from the folder."),
        ".tsv": ("a text file, which has no sheets",
                 "Copy its rows into a blank return and save that as .xlsx."),
        ".ods": ("a LibreOffice spreadsheet (.ods)", "Save it as Excel 2007-365 (.xlsx)."),
    }
    codes = {".xls": "legacy-xls", ".xlsm": "macros", ".xltm": "macros", ".csv": "csv",
             ".txt": "csv", ".tsv": "csv", ".ods": "ods"}
    what, fix = fixes.get(suffix, ("not an Excel workbook",
                                   "Only .xlsx returns are read; remove it from the folder."))
    return Problem(where, f"this is {what} and was not read", fix,
                   code=codes.get(suffix, "not-xlsx"))


def printable(name: str) -> str:
    """A file name fit to show and to put in the plan: bytes that are not UTF-8 (a name made
    on another system) become "�" instead of characters XML cannot hold, and a control
    character (a newline, ESC, …) is written as its escape, so a name can neither break a
    line of the problem list nor damage the plan."""
    return visible(os.fsencode(name).decode("utf-8", "replace"))


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
                    "a zip archive")
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
    shown = sum(ch.isprintable() or ch in "\r\n\t" for ch in text)
    return shown >= 0.95 * max(len(text), 1) and any(sep in text for sep in ",;\t")
