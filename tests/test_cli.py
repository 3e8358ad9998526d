"""The plangen command, as the analyst types it."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from plangen import __version__
from plangen.cli import cli

from conftest import SAMPLE_INPUTS, TEMPLATE
from workbooks import InputsBuilder


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def test_help_shows_examples(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["--help"])
    assert result.exit_code == 0
    assert "Examples:" in result.output
    assert "plangen build" in result.output


def test_every_command_has_help_with_an_example(runner: CliRunner) -> None:
    for name, command in cli.commands.items():
        result = runner.invoke(cli, [name, "--help"])
        assert result.exit_code == 0, name
        assert command.help and "Example" in command.help, name


def test_version(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["--version"])
    assert result.exit_code == 0
    assert __version__ in result.output


def test_build_writes_the_plan_and_says_what_is_in_it(runner: CliRunner, tmp_path: Path) -> None:
    output = tmp_path / "plan.docx"
    result = runner.invoke(cli, ["build", "--inputs", str(SAMPLE_INPUTS), "--template",
                                 str(TEMPLATE), "--output", str(output)])
    assert result.exit_code == 0, result.output
    assert output.is_file()
    assert "5 priority pages, 7 themes, 27 actions, 30 glossary entries" in result.output


def test_build_with_bad_inputs_lists_every_problem_and_exits_1(
        runner: CliRunner, inputs: InputsBuilder, tmp_path: Path) -> None:
    inputs.returns["police.xlsx"]["Actions"].append(["Cty Safe", "Something", "soon", "", ""])
    inputs.returns["council.xlsx"]["About"][1][1] = "Preston Council"
    output = tmp_path / "plan.docx"
    result = runner.invoke(cli, ["build", "--inputs", str(inputs.write(tmp_path / "in")),
                                 "--template", str(TEMPLATE), "--output", str(output)])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert not output.exists()
    assert ('error [bad-theme]: returns/police.xlsx · Actions · A4 — "Cty Safe" is not one of '
            'the plan\'s themes — did you mean "City Safe"?') in result.output
    assert "returns/police.xlsx · Actions · C4" in result.output
    assert 'returns/police.xlsx · Actions · D4 — "Leads" is empty' in result.output
    assert "returns/council.xlsx · About · B2" in result.output
    assert "no plan was written" in result.output


def test_build_with_a_missing_template_is_a_plain_error(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(cli, ["build", "--inputs", str(SAMPLE_INPUTS), "--template",
                                 str(tmp_path / "none.docx"), "--output",
                                 str(tmp_path / "plan.docx")])
    assert result.exit_code == 1
    assert "the template does not exist" in result.output
    assert "Traceback" not in result.output
