"""Names and text from partners are made safe for every output: invisible characters are
taken out wherever a value is compared, a file name cannot break or forge a line of the
problem list nor damage the plan, a long name is shortened to fit a Word property, and a
console that cannot show a character gets an escape, never a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner
from docx import Document

from plangen.build import build
from plangen.cli import cli
from plangen.inputs.validate import validate

from workbooks import InputsBuilder

TEMPLATE = Path(__file__).resolve().parent.parent / "templates" / "plan.docx"
ZERO_WIDTH = "\u200b"
WORD_JOINER = "\u2060"


def codes(folder: Path) -> list[tuple[str, str]]:
    return [(str(problem.where), problem.code) for problem in validate(folder).problems]


def test_a_key_action_of_only_zero_width_spaces_is_an_empty_cell(
        inputs: InputsBuilder, tmp_path: Path) -> None:
    inputs.returns["police.xlsx"]["Actions"][1][1] = ZERO_WIDTH * 3
    assert ("returns/police.xlsx · Actions · B2", "empty-cell") in codes(inputs.write(tmp_path))


def test_a_theme_or_partner_with_an_invisible_character_is_the_name_without_it(
        inputs: InputsBuilder, tmp_path: Path) -> None:
    inputs.returns["police.xlsx"]["Actions"][1][0] = "City Safe" + ZERO_WIDTH
    inputs.returns["police.xlsx"]["About"][1][1] = "Police" + WORD_JOINER
    inputs.returns["council.xlsx"]["Actions"][1][3] = "\u202ePCC"  # a direction override
    found = codes(inputs.write(tmp_path))
    assert not [code for _, code in found if code in ("bad-theme", "unknown-partner",
                                                      "unknown-lead")], found
    plan = build(tmp_path, TEMPLATE, tmp_path / "plan.docx").plan
    assert "City Safe" in [theme.name for theme in plan.themes]
    assert all(ZERO_WIDTH not in action.text and "\u202e" not in "".join(action.leads)
               for action in plan.actions)


def test_a_file_name_with_a_newline_or_control_character_stays_on_one_line(
        inputs: InputsBuilder, tmp_path: Path) -> None:
    forged = "bad\nerror [bad-theme]: police.xlsx · Actions · A2 — forged.xlsx"
    inputs.returns[forged] = inputs.returns.pop("council.xlsx")
    inputs.returns[forged]["Actions"][1][0] = "Cty Safe"
    inputs.returns["esc\x1b[31m\x01.xlsx"] = inputs.returns.pop("police.xlsx")
    inputs.returns["esc\x1b[31m\x01.xlsx"]["Actions"][1][0] = "Cty Safe"
    folder = inputs.write(tmp_path / "inputs")
    result = CliRunner().invoke(cli, ["validate", "--inputs", str(folder)])
    lines = result.stdout.splitlines()
    problems = [line for line in lines if not line.startswith("Checked ")]
    assert all(line.startswith(("error [", "warning [")) for line in problems), lines
    assert not any(line.startswith("error [bad-theme]: police.xlsx") for line in lines)
    assert "returns/bad\\nerror [bad-theme]: police.xlsx" in result.stdout
    assert "\x1b" not in result.stdout and "returns/esc\\x1b[31m\\x01.xlsx · Actions · A2" in (
        result.stdout)


def test_a_draft_with_a_control_character_in_a_file_name_is_a_readable_document(
        inputs: InputsBuilder, tmp_path: Path) -> None:
    inputs.returns["police\x01.xlsx"] = inputs.returns.pop("police.xlsx")
    inputs.returns["police\x01.xlsx"]["Actions"][1][0] = "Cty Safe"  # left out of the draft
    folder = inputs.write(tmp_path / "inputs")
    output = tmp_path / "draft.docx"
    result = CliRunner().invoke(cli, ["build", "--draft", "--inputs", str(folder), "--template",
                                      str(TEMPLATE), "--output", str(output)])
    assert result.exit_code == 0, result.output
    text = "\n".join(paragraph.text for paragraph in Document(str(output)).paragraphs)
    assert "returns/police\\x01.xlsx · Actions · row 2" in text


def test_a_partnership_name_longer_than_a_word_property_is_shortened_not_refused(
        inputs: InputsBuilder, tmp_path: Path) -> None:
    name = "The " + "Very Long " * 30 + "Community Safety Partnership"
    inputs.plan["Settings"][1][1] = name
    folder = inputs.write(tmp_path / "inputs")
    output = tmp_path / "plan.docx"
    build(folder, TEMPLATE, output)
    document = Document(str(output))
    title = document.core_properties.title
    assert len(title) <= 255 and title.endswith("…")
    assert title.startswith("The Very Long Very Long")
    assert any(name in paragraph.text for paragraph in document.paragraphs)  # in full inside


def test_a_console_that_cannot_show_a_character_gets_an_escape_not_a_traceback(
        inputs: InputsBuilder, tmp_path: Path) -> None:
    inputs.returns["police.xlsx"]["Actions"][1][0] = "Cty Safe 😀"
    folder = inputs.write(tmp_path / "inputs")
    plangen = Path(sys.executable).parent / "plangen"
    result = subprocess.run([str(plangen), "validate", "--inputs", str(folder)],
                            capture_output=True, timeout=120,
                            env={**os.environ, "PYTHONIOENCODING": "cp1252"})
    out, err = result.stdout.decode("cp1252"), result.stderr.decode("cp1252")
    assert "Traceback" not in err, err
    assert result.returncode == 1
    assert '"Cty Safe \\U0001f600" is not one of the plan\'s themes' in out
    assert out.rstrip().splitlines()[-1].startswith("Checked plan.xlsx and 2 returns")
