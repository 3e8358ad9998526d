"""Partner files are untrusted: parsed safely, never modified, and read with visible progress."""

from __future__ import annotations

import hashlib
import io
import shutil
import zipfile
from pathlib import Path

import openpyxl.xml
import pytest
from click.testing import CliRunner

from plangen.build import build, validate
from plangen.cli import cli
from plangen.read import load_inputs
from plangen.sheetxml import UnsafeXml, formulas_without_values

from conftest import SAMPLE_INPUTS, TEMPLATE
from workbooks import InputsBuilder, write_workbook


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
    monkeypatch.setattr(cli_module.sys, "stderr", terminal)
    with cli_module._progress("Reading workbooks") as progress:
        assert progress is not None
        for done, name in enumerate(["plan.xlsx", "returns/a.xlsx", "returns/b.xlsx"], 1):
            progress(done, 3, name)
    shown = terminal.getvalue()
    assert "Reading workbooks" in shown
    assert "3/3" in shown
