"""Every checking command — validate, check-template, check-accessibility — lists its problems
in one shape: a line each with its code in text, and the same keys in JSON."""

from __future__ import annotations

import json
import re
from pathlib import Path

from click.testing import CliRunner
from docx import Document

from plangen.cli import cli

from workbooks import InputsBuilder

KEYS = ["code", "severity", "file", "where", "location", "message", "fix"]
LINE = re.compile(r"^(error|warning) \[[a-z/-]+\]: \S")


def _broken_inputs(tmp_path: Path) -> Path:
    inputs = InputsBuilder()
    inputs.returns["police.xlsx"]["Actions"][1][0] = "Cty Safe"
    return inputs.write(tmp_path / "inputs")


def _template(tmp_path: Path) -> Path:
    document = Document()
    document.add_paragraph("{{ aera }}")
    path = tmp_path / "t.docx"
    document.save(str(path))
    return path


def _untitled_docx(tmp_path: Path) -> Path:
    document = Document()
    document.add_paragraph("Text")
    path = tmp_path / "untitled.docx"
    document.save(str(path))
    return path


def _runs(tmp_path: Path) -> dict[str, list[str]]:
    return {
        "validate": ["validate", "--inputs", str(_broken_inputs(tmp_path))],
        "check-template": ["check-template", str(_template(tmp_path))],
        "check-accessibility": ["check-accessibility", str(_untitled_docx(tmp_path))],
    }


def test_the_three_checking_commands_give_the_same_json_shape(tmp_path: Path) -> None:
    kinds = {}
    for command, args in _runs(tmp_path).items():
        result = CliRunner().invoke(cli, [*args, "--format", "json"])
        assert result.exit_code == 1, (command, result.output)
        problems = json.loads(result.stdout)
        assert problems, command
        for problem in problems:
            assert list(problem) == KEYS, command
            assert problem["severity"] in ("error", "warning")
            assert problem["code"] and problem["message"]
            assert problem["file"] == problem["location"]["file"]
        kinds[command] = {problem["location"]["kind"] for problem in problems}
    assert kinds == {"validate": {"cell"}, "check-template": {"template"},
                     "check-accessibility": {"document"}}


def test_every_text_line_names_its_severity_and_code(tmp_path: Path) -> None:
    for command, args in _runs(tmp_path).items():
        result = CliRunner().invoke(cli, args)
        lines = [line for line in result.stdout.splitlines() if line.startswith(("error", "warn"))]
        assert lines, command
        assert all(LINE.match(line) for line in lines), (command, lines)


def test_validate_json_is_the_list_validate_prints(tmp_path: Path) -> None:
    args = _runs(tmp_path)["validate"]
    text = CliRunner().invoke(cli, args).stdout.splitlines()[:-1]  # the last line is the count
    listed = json.loads(CliRunner().invoke(cli, [*args, "--format", "json"]).stdout)
    assert [f"{p['severity']} [{p['code']}]: " + " — ".join(
        part for part in (p["where"], p["message"], p["fix"]) if part) for p in listed] == text
    bad = next(p for p in listed if p["code"] == "bad-theme")
    assert bad["location"] == {"kind": "cell", "file": "returns/police.xlsx", "sheet": "Actions",
                               "cell": "A2"}
