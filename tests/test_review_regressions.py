"""Inputs that once ended in a traceback or a misleading message (found in review)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from plangen.build import build
from plangen.cli import cli
from plangen.errors import SettingsUnusable

from conftest import TEMPLATE
from docx_reading import outline
from workbooks import InputsBuilder


def test_a_plan_whose_returns_have_no_current_work_builds(inputs: InputsBuilder,
                                                          tmp_path: Path) -> None:
    for sheets in inputs.returns.values():
        sheets["Current work"] = [["Priority", "Initiative"]]  # the sheet is optional to fill
    result = build(inputs.write(tmp_path / "in"), TEMPLATE, tmp_path / "plan.docx")
    assert len(result.plan.actions) == 3
    assert all(priority.current_work == () for priority in result.plan.priorities)
    for entry in result.ledger:
        assert entry.read == entry.placed + entry.merged + entry.rejected


def test_a_draft_without_a_themes_sheet_is_built_and_says_what_it_left_out(
        inputs: InputsBuilder, tmp_path: Path) -> None:
    del inputs.plan["Themes"]
    result = build(inputs.write(tmp_path / "in"), TEMPLATE, tmp_path / "plan.docx", draft=True)
    assert result.plan.actions == ()
    assert any('the sheet "Themes" is missing' in line for line in result.left_out)
    assert "Left out of this draft" in [s.heading for s in outline(tmp_path / "plan.docx").children]


def test_a_draft_with_unusable_settings_lists_the_settings_errors(
        inputs: InputsBuilder, tmp_path: Path) -> None:
    inputs.plan["Settings"][4][1] = "whenever"  # Plan starts
    folder = inputs.write(tmp_path / "in")
    with pytest.raises(SettingsUnusable) as raised:
        build(folder, TEMPLATE, tmp_path / "plan.docx", draft=True)
    errors = [str(p) for p in raised.value.problems if p.is_error]
    assert errors and errors[0].startswith("plan.xlsx · Settings · B5 — ")
    result = CliRunner().invoke(cli, ["build", "--draft", "--inputs", str(folder), "--template",
                                      str(TEMPLATE), "--output", str(tmp_path / "d.docx")])
    assert result.exit_code == 1
    assert "plan.xlsx · Settings · B5" in result.output
    assert "not even a draft" in result.output
    assert "build a draft" not in result.output  # no advice that cannot help
    assert "Traceback" not in result.output


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
