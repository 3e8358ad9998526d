"""Publishing the built plan as PDF, through LibreOffice.

LibreOffice's plain `--convert-to pdf` lays the document out but never updates a table of
contents, so the PDF would show the template's placeholder instead of the list of sections. So
LibreOffice runs a small Basic macro instead: open the .docx hidden, update every index (the
contents list gets its page numbers), and export a tagged PDF (PDF/UA) that shows the document
title. Each run uses its own throw-away LibreOffice profile, so parallel builds never clash, and
is stopped — with every process it started — if it takes longer than the timeout.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Mapping
from html import escape
from pathlib import Path

from plangen.errors import LibreOfficeFailed, LibreOfficeMissing, LibreOfficeTimedOut, PublishError
from plangen.files import write_atomically

#: Seconds LibreOffice may take for one PDF before it is stopped.
TIMEOUT = 120.0

INSTALL = "install LibreOffice: apt-get install libreoffice-writer-nogui"

#: writer_pdf_Export options: tagged for screen readers (PDF/UA), the viewer shows the title
#: rather than the file name, headings become bookmarks.
PDF_OPTIONS: Mapping[str, bool] = {
    "UseTaggedPDF": True,
    "PDFUACompliance": True,
    "DisplayPDFDocumentTitle": True,
    "ExportBookmarks": True,
    "ExportNotes": False,
    "ExportFormFields": False,
}


def find_libreoffice() -> str:
    """The LibreOffice command, or a LibreOfficeMissing that says how to install it."""
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    raise LibreOfficeMissing(
        f"LibreOffice is needed to make the PDF and was not found (no soffice or libreoffice "
        f"on the PATH) — {INSTALL}")


def write_pdf(docx: Path, output: Path, *, timeout: float = TIMEOUT,
              soffice: str | None = None) -> None:
    """Convert docx to a tagged PDF at output, written atomically (a failure leaves the
    previous PDF as it was)."""
    if not docx.is_file():
        raise PublishError(f"{docx}: the document to make into a PDF does not exist")
    command = soffice or find_libreoffice()
    deadline = time.monotonic() + timeout
    with tempfile.TemporaryDirectory(prefix="plangen-pdf-") as work_name:
        work = Path(work_name)
        profile = work / "profile"
        # Fixed, plain names: the paths go into a macro call and need no quoting.
        source, target, report = work / "plan.docx", work / "plan.pdf", work / "report.txt"
        shutil.copyfile(docx, source)
        base = [command, f"-env:UserInstallation={profile.as_uri()}", "--headless",
                "--norestore", "--nologo", "--nodefault", "--nolockcheck"]
        # A new profile is filled in on first start, so start once, then add the macro.
        _run([*base, "--terminate_after_init"], deadline, timeout, output)
        _install_macro(profile)
        call = (f'macro:///Standard.Plangen.ExportPdf("{source.as_uri()}",'
                f'"{target.as_uri()}","{report}")')
        log = _run([*base, call], deadline, timeout, output)
        if not target.is_file() or target.stat().st_size == 0:
            said = report.read_text(encoding="utf-8", errors="replace").strip() \
                if report.is_file() else log.strip()
            raise LibreOfficeFailed(
                f"LibreOffice made no PDF from {docx}" + (f": {said}" if said else "")
                + f" — open {docx} in LibreOffice Writer to see whether it opens there")
        write_atomically(output, lambda path: _copy(target, path))


def _copy(source: Path, target: Path) -> None:
    shutil.copyfile(source, target)


def _run(command: list[str], deadline: float, timeout: float, output: Path) -> str:
    """Run LibreOffice in its own process group; past the deadline, stop the whole group."""
    try:
        process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                   stderr=subprocess.STDOUT, start_new_session=True)
    except OSError as error:
        raise LibreOfficeMissing(f"LibreOffice could not be started ({command[0]}: "
                                 f"{error.strerror or error}) — {INSTALL}") from error
    try:
        log, _ = process.communicate(timeout=max(0.0, deadline - time.monotonic()))
    except subprocess.TimeoutExpired:
        _stop(process)
        raise LibreOfficeTimedOut(
            f"LibreOffice did not finish making {output} within {timeout:g} seconds and was "
            "stopped — try again; if it happens again, open the .docx in LibreOffice Writer "
            "to see whether it hangs there") from None
    return log.decode("utf-8", errors="replace")


def _stop(process: subprocess.Popen[bytes]) -> None:
    """Kill LibreOffice and everything it started (soffice starts soffice.bin)."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.communicate()


def _basic_value(value: bool | int | str) -> str:
    if isinstance(value, bool):
        return "True" if value else "False"
    if isinstance(value, int):
        return str(value)
    return '"' + value.replace('"', '""') + '"'


def macro_source(options: Mapping[str, bool | int | str] = PDF_OPTIONS) -> str:
    """The Basic macro: open hidden, update every index, export the PDF; on any error, write
    the error to the report file instead (a headless LibreOffice must never wait on a dialog).
    Every path ends by closing LibreOffice: with no document left open it would wait forever.
    """
    filters = "\n".join(
        f'    filters({index}).Name = "{name}"\n    filters({index}).Value = {_basic_value(value)}'
        for index, (name, value) in enumerate(options.items()))
    # Basic names are case-insensitive: the report file's parameter must not be called
    # "report" beside a Sub of that name, or calling the Sub indexes the string instead.
    return f"""Sub ExportPdf(source As String, target As String, reportFile As String)
    On Error GoTo Failed
    Dim doc As Object
    Dim load(0) As New com.sun.star.beans.PropertyValue
    load(0).Name = "Hidden"
    load(0).Value = True
    doc = StarDesktop.loadComponentFromURL(source, "_blank", 0, load())
    If IsNull(doc) Then
        WriteReport(reportFile, "the document could not be opened")
        StarDesktop.terminate()
        Exit Sub
    End If
    indexes = doc.getDocumentIndexes()
    For i = 0 To indexes.getCount() - 1
        indexes.getByIndex(i).update()
    Next i
    Dim filters({len(options) - 1}) As New com.sun.star.beans.PropertyValue
{filters}
    Dim store(1) As New com.sun.star.beans.PropertyValue
    store(0).Name = "FilterName"
    store(0).Value = "writer_pdf_Export"
    store(1).Name = "FilterData"
    store(1).Value = filters()
    doc.storeToURL(target, store())
    doc.close(True)
    StarDesktop.terminate()
    Exit Sub
Failed:
    WriteReport(reportFile, "error " & Err & " at line " & Erl & ": " & Error$)
    On Error Resume Next
    If Not IsNull(doc) Then doc.close(True)
    StarDesktop.terminate()
End Sub

Sub WriteReport(path As String, message As String)
    n = FreeFile
    Open path For Output As #n
    Print #n, message
    Close #n
End Sub
"""


def _install_macro(profile: Path) -> None:
    """Add the macro as module "Plangen" of the profile's Standard Basic library."""
    library = profile / "user" / "basic" / "Standard"
    index = library / "script.xlb"
    if not index.is_file():
        raise LibreOfficeFailed(f"LibreOffice did not set up its profile in {profile} — "
                                f"check that it starts at all: soffice --headless --version")
    (library / "Plangen.xba").write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<!DOCTYPE script:module PUBLIC "-//OpenOffice.org//DTD OfficeDocument 1.0//EN"'
        ' "module.dtd">\n'
        '<script:module xmlns:script="http://openoffice.org/2000/script" script:name="Plangen"'
        ' script:language="StarBasic">' + escape(macro_source(), quote=True)
        + "</script:module>\n", encoding="utf-8")
    text = index.read_text(encoding="utf-8")
    if 'library:name="Plangen"' not in text:
        text = text.replace("</library:library>",
                            ' <library:element library:name="Plangen"/>\n</library:library>')
        index.write_text(text, encoding="utf-8")
