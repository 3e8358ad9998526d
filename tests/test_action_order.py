"""The order of actions within a theme, set per theme by the Themes sheet's Partner order, and
the returns listed in Partners-sheet order in the build summary and the returns report."""

from __future__ import annotations

from pathlib import Path

import openpyxl
from click.testing import CliRunner

from plangen.cli import cli
from plangen.inputs.merge import place
from plangen.inputs.validate import validate
from plangen.model import Plan

from conftest import SAMPLE_INPUTS, cell_where
from workbooks import InputsBuilder, partner_return


def three_partners(inputs: InputsBuilder) -> InputsBuilder:
    """Police, PCC and Probation each with an action in both themes."""
    for file, partner in (("police.xlsx", "Police"), ("council.xlsx", "PCC"),
                          ("probation.xlsx", "Probation")):
        inputs.returns[file] = partner_return(partner, [
            ["City Safe", f"{partner} makes the city safe.", "Ongoing", partner, ""],
            ["Reoffending", f"{partner} reduces reoffending.", "Ongoing", partner, ""],
        ])
    return inputs


def leads_by_theme(inputs: InputsBuilder, folder: Path) -> dict[str, list[str]]:
    checked = validate(inputs.write(folder))
    assert checked.errors == [], checked.errors
    plan: Plan = place(checked).plan
    return {theme.name: [action.leads[0] for action in theme.actions] for theme in plan.themes}


def test_without_a_partner_order_every_theme_follows_the_partners_sheet(
        inputs: InputsBuilder, tmp_path: Path) -> None:
    assert leads_by_theme(three_partners(inputs), tmp_path) == {
        "City Safe": ["Police", "PCC", "Probation"],
        "Reoffending": ["Police", "PCC", "Probation"]}


def test_a_themes_partner_order_puts_those_partners_first_and_leaves_other_themes_alone(
        inputs: InputsBuilder, tmp_path: Path) -> None:
    three_partners(inputs)
    inputs.plan["Themes"] = [["Theme", "Priorities", "Partner order"],
                             ["City Safe", "", ""],
                             # other names and any case count; the rest follow the sheet
                             ["Reoffending", "", "probation services"]]
    assert leads_by_theme(inputs, tmp_path) == {
        "City Safe": ["Police", "PCC", "Probation"],
        "Reoffending": ["Probation", "Police", "PCC"]}


def test_two_themes_can_want_opposite_orders(inputs: InputsBuilder, tmp_path: Path) -> None:
    three_partners(inputs)
    inputs.plan["Themes"] = [["Theme", "Priorities", "Partner order"],
                             ["City Safe", "", "PCC, Police"],
                             ["Reoffending", "", "Probation, Police, PCC"]]
    assert leads_by_theme(inputs, tmp_path) == {
        "City Safe": ["PCC", "Police", "Probation"],
        "Reoffending": ["Probation", "Police", "PCC"]}


def test_a_merged_action_takes_the_place_of_its_first_sender_in_the_partner_order(
        inputs: InputsBuilder, tmp_path: Path) -> None:
    three_partners(inputs)
    inputs.returns["police.xlsx"]["Actions"].append(
        ["Reoffending", "Probation reduces reoffending.", "Ongoing", "Police", ""])
    inputs.plan["Themes"] = [["Theme", "Priorities", "Order"],  # the short header is read too
                             ["City Safe", "", ""], ["Reoffending", "", "Probation"]]
    checked = validate(inputs.write(tmp_path))
    reoffending = place(checked).plan.themes[1]
    assert [(action.text, action.partners) for action in reoffending.actions] == [
        ("Probation reduces reoffending.", ("Probation", "Police")),
        ("Police reduces reoffending.", ("Police",)),
        ("PCC reduces reoffending.", ("PCC",))]


def test_a_name_in_the_partner_order_that_is_no_partner_is_a_warning_at_its_cell(
        inputs: InputsBuilder, tmp_path: Path) -> None:
    three_partners(inputs)
    inputs.plan["Themes"] = [["Theme", "Priorities", "Partner order"],
                             ["City Safe", "", ""], ["Reoffending", "", "Probatoin, PCC"]]
    checked = validate(inputs.write(tmp_path))
    [problem] = [p for p in checked.problems if p.code == "unknown-order-partner"]
    assert not problem.is_error
    assert (cell_where(problem).sheet, cell_where(problem).cell) == ("Themes", "C3")
    assert problem.message == ('"Probatoin" is not on the Partners sheet, so it does not '
                               'change this theme\'s order — did you mean "Probation"?')
    assert leads_by_theme(inputs, tmp_path / "again")["Reoffending"] == [
        "PCC", "Police", "Probation"]


def partners_in_summary(output: str) -> list[str]:
    lines = output.splitlines()
    start = next(index for index, line in enumerate(lines) if line.startswith("Partner "))
    end = next(index for index, line in enumerate(lines) if line.startswith("All returns"))
    return [line.split("  ")[0].strip() for line in lines[start + 1:end]]


def sending_partners() -> list[str]:
    book = openpyxl.load_workbook(SAMPLE_INPUTS / "plan.xlsx", read_only=True)
    rows = list(book["Partners"].iter_rows(min_row=2, values_only=True))
    return [str(row[0]) for row in rows if row[0] and str(row[2] or "").lower() == "yes"]


def test_the_build_summary_and_the_report_list_the_returns_in_partners_sheet_order(
        tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["build", "--inputs", str(SAMPLE_INPUTS), "--output",
                                      str(tmp_path / "plan.docx")])
    assert result.exit_code == 0, result.output
    listed = partners_in_summary(result.output)
    assert listed[0] == "Police"  # first on the Partners sheet, though bid.xlsx sorts first
    assert listed == [name for name in sending_partners() if name in listed]
    report = openpyxl.load_workbook(tmp_path / "returns-report.xlsx", read_only=True)
    summary = [row[0] for row in report["Summary"].iter_rows(min_row=2, values_only=True)]
    assert summary[:len(listed)] == listed
