"""Partner files are untrusted: parsed safely, never modified, and read with visible progress."""

from __future__ import annotations

import hashlib
import io
import os
import shutil
import sys
import threading
import zipfile
from pathlib import Path

import openpyxl.xml
import pytest
from click.testing import CliRunner

import plangen.inputs.read
from plangen.build import build
from plangen.cli import cli
from plangen.inputs.read import Book, load_inputs
from plangen.inputs.schema import Workbook
from plangen.inputs.sheetxml import UnsafeXml, formulas_without_values
from plangen.inputs.validate import validate

from conftest import SAMPLE_INPUTS, TEMPLATE
from docx_reading import outline
from workbooks import InputsBuilder, partner_return, write_workbook


def test_openpyxl_parses_with_defusedxml() -> None:
    # openpyxl guards against XML bombs only when defusedxml is installed; it is a dependency.
    assert openpyxl.xml.DEFUSEDXML is True


def test_our_own_xml_parsing_refuses_entities(tmp_path: Path) -> None:
    path = write_workbook(tmp_path / "f.xlsx", {"Actions": [["Theme"], ['=UPPER("x")']]})
    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path) as old, zipfile.ZipFile(bomb, "w") as new:
        for info in old.infolist():
            data = old.read(info.filename)
            if info.filename.startswith("xl/worksheets/"):
                data = (b'<!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;">]>'
                        + data.split(b"?>", 1)[-1])
            new.writestr(info, data)
    with zipfile.ZipFile(path) as archive:
        assert formulas_without_values(archive, ["Actions"]) == {"Actions": frozenset({(1, 0)})}
    with zipfile.ZipFile(bomb) as archive, pytest.raises(UnsafeXml):
        formulas_without_values(archive, ["Actions"])


def fingerprint(folder: Path) -> dict[str, tuple[str, int]]:
    return {str(path.relative_to(folder)): (hashlib.sha256(path.read_bytes()).hexdigest(),
                                            path.stat().st_mtime_ns)
            for path in sorted(folder.rglob("*")) if path.is_file()}


def test_partner_files_are_never_modified(tmp_path: Path) -> None:
    inputs = Path(shutil.copytree(SAMPLE_INPUTS, tmp_path / "inputs"))
    # a bad row too, so that a draft build has something to leave out
    write_workbook(inputs / "returns" / "extra.xlsx", {
        "About": [["Partner", "Police"]],
        "Actions": [["Theme", "Key action", "Timescale", "Leads"],
                    ["Cty Safe", "Patrol", "soon", "Police"]]})
    before = fingerprint(inputs)
    validate(inputs)
    build(inputs, TEMPLATE, tmp_path / "out" / "plan.docx", draft=True)
    CliRunner().invoke(cli, ["validate", "--inputs", str(inputs)])
    assert fingerprint(inputs) == before
    assert not (inputs / "returns-report.xlsx").exists()


def test_reading_reports_progress_after_each_workbook(inputs: InputsBuilder,
                                                      tmp_path: Path) -> None:
    calls: list[tuple[int, int, str]] = []
    load_inputs(inputs.write(tmp_path), lambda done, total, name: calls.append(
        (done, total, name)))
    assert calls == [(1, 3, "plan.xlsx"), (2, 3, "returns/council.xlsx"),
                     (3, 3, "returns/police.xlsx")]


def test_returns_read_in_threads_keep_their_order_and_progress_is_told_in_the_callers_thread(
        inputs: InputsBuilder, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(plangen.inputs.read, "READ_THREADS", 4)
    monkeypatch.setattr(plangen.inputs.read, "PARALLEL_BYTES", 0)  # threads even for small files
    for number in range(8):
        inputs.returns[f"extra-{number}.xlsx"] = partner_return("Police", [
            ["City Safe", f"Patrol the parks, part {number}.", "Ongoing", "Police", ""]])
    folder = inputs.write(tmp_path)
    calls: list[tuple[int, str, int]] = []
    read = load_inputs(folder, lambda done, total, name: calls.append(
        (done, name, threading.get_ident())))
    names = ["returns/council.xlsx", *(f"returns/extra-{n}.xlsx" for n in range(8)),
             "returns/police.xlsx"]
    assert [book.file for book in read.returns] == names
    assert [(done, name) for done, name, _ in calls] == list(enumerate(["plan.xlsx", *names],
                                                                       start=1))
    assert {thread for _, _, thread in calls} == {threading.get_ident()}


def test_a_return_that_cannot_be_opened_does_not_stop_the_others(
        inputs: InputsBuilder, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real = plangen.inputs.read.read_book

    def read_book(path: Path, name: str, schema: Workbook) -> Book:
        if name == "returns/council.xlsx":
            raise PermissionError(13, "Permission denied", str(path))
        return real(path, name, schema)

    monkeypatch.setattr(plangen.inputs.read, "read_book", read_book)
    read = load_inputs(inputs.write(tmp_path))
    council, police = read.returns
    assert not council.tables and council.problems[0].code == "unreadable"
    assert "Permission denied" in council.problems[0].message
    assert len(police.tables["Actions"].cells["row"]) > 0


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_the_cli_shows_a_progress_bar_on_a_terminal_only(
        inputs: InputsBuilder, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = str(inputs.write(tmp_path))
    result = CliRunner().invoke(cli, ["validate", "--inputs", folder])
    assert "Reading workbooks" not in result.output  # not a terminal: no bar

    from plangen import cli as cli_module

    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    with cli_module._progress("Reading workbooks") as progress:
        assert progress is not None
        for done, name in enumerate(["plan.xlsx", "returns/a.xlsx", "returns/b.xlsx"], 1):
            progress(done, 3, name)
    shown = terminal.getvalue()
    assert "Reading workbooks" in shown
    assert "3/3" in shown


@pytest.mark.skipif(os.name != "posix", reason="file names are bytes only on POSIX")
def test_a_return_whose_file_name_is_not_utf8_is_read_and_named_readably(
        inputs: InputsBuilder, tmp_path: Path) -> None:
    folder = inputs.write(tmp_path / "in")
    returns = os.fsencode(folder / "returns")
    os.rename(os.path.join(returns, b"council.xlsx"), os.path.join(returns, b"caf\xe9.xlsx"))
    result = build(folder, TEMPLATE, tmp_path / "plan.docx", draft=True)
    assert [str(p) for p in result.problems if p.is_error] == []
    assert any(entry.file.startswith("returns/caf") and entry.read == 3
               for entry in result.ledger)
    outline(tmp_path / "plan.docx")  # the document is well formed
