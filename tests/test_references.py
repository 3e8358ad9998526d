"""Action references: a theme code and the action's place in its theme (CS-03), unique in the
plan, the same on every rebuild, unmoved by changes in other themes; the coordinator may set
the codes on the Themes sheet."""

from __future__ import annotations

from pathlib import Path

import pytest

from plangen.inputs.merge import place
from plangen.inputs.references import derived_code, theme_codes
from plangen.inputs.validate import validate
from plangen.model import Plan

from conftest import SAMPLE_INPUTS, cell_where
from workbooks import InputsBuilder, partner_return


def references(plan: Plan) -> dict[str, list[str]]:
    return {theme.name: [action.reference for action in theme.actions] for theme in plan.themes}


def plan_of(inputs: InputsBuilder, folder: Path) -> Plan:
    checked = validate(inputs.write(folder))
    assert checked.errors == [], checked.errors
    return place(checked).plan


def test_the_sample_numbers_each_theme_from_its_initials() -> None:
    plan = place(validate(SAMPLE_INPUTS)).plan
    assert [theme.code for theme in plan.themes] == ["CS", "SOC", "EI", "SO", "DA", "ASB", "RE"]
    assert references(plan)["City Safe"] == ["CS-01", "CS-02", "CS-03", "CS-04", "CS-05"]
    every = [action.reference for action in plan.actions]
    assert len(set(every)) == len(every)
    assert every == [action.reference for action in place(validate(SAMPLE_INPUTS)).plan.actions]


@pytest.mark.parametrize(("name", "code"), [
    ("Safer Roads", "SR"), ("Serious and Organised Crime", "SOC"), ("Violence", "VI"),
    ("Anti-Social Behaviour", "ASB"), ("Théâtre de la Rue", "TDLR"), ("!!!", "T"),
    ("The Night-time Economy of the City", "NTEC"), ("and", "AN"),
])
def test_a_code_is_made_from_the_initials(name: str, code: str) -> None:
    assert derived_code(name) == code


def test_codes_made_alike_are_numbered_and_given_codes_come_first() -> None:
    assert theme_codes(["Safer Roads", "Safer Routes", "Street Racing", "Other"],
                       ["", "", "", "SR"]) == ["SR2", "SR3", "SR4", "SR"]


def test_the_coordinator_sets_codes_on_the_themes_sheet(inputs: InputsBuilder,
                                                        tmp_path: Path) -> None:
    inputs.plan["Themes"] = [["Theme", "Priorities", "Code"], ["City Safe", "", "town"],
                             ["Reoffending", "", ""]]
    plan = plan_of(inputs, tmp_path)
    assert references(plan) == {"City Safe": ["TOWN-01", "TOWN-02"], "Reoffending": ["RE-01"]}


@pytest.mark.parametrize(("code", "problem"), [("S-R", "bad-theme-code"),
                                               ("1ST", "bad-theme-code"),
                                               ("ABCDEFG", "bad-theme-code"),
                                               ("cs", "duplicate-theme-code")])
def test_a_code_that_cannot_be_used_is_an_error_at_its_cell(
        inputs: InputsBuilder, tmp_path: Path, code: str, problem: str) -> None:
    inputs.plan["Themes"] = [["Theme", "Priorities", "Code"], ["City Safe", "", "CS"],
                             ["Reoffending", "", code]]
    errors = validate(inputs.write(tmp_path)).errors
    assert [(error.code, str(cell_where(error))) for error in errors] == [
        (problem, "plan.xlsx · Themes · C3")]


def test_an_action_added_to_one_theme_moves_no_other_reference(
        inputs: InputsBuilder, tmp_path: Path) -> None:
    before = references(plan_of(inputs, tmp_path / "before"))
    inputs.returns["police.xlsx"]["Actions"].append(
        ["Reoffending", "Run a new mentoring scheme.", "Ongoing", "Police", "Yes"])
    after = references(plan_of(inputs, tmp_path / "after"))
    assert after["City Safe"] == before["City Safe"] == ["CS-01", "CS-02"]
    assert after["Reoffending"] == [*before["Reoffending"], "RE-02"]


def test_rows_merged_into_one_action_share_its_reference(inputs: InputsBuilder,
                                                         tmp_path: Path) -> None:
    inputs.returns["probation.xlsx"] = partner_return("Probation", [
        ["City Safe", "Deliver multi agency activity on street drinking.", "Ongoing",
         "Probation", ""]])
    placement = place(validate(inputs.write(tmp_path)))
    street = [fate for fate in placement.fates if "street drinking" in fate.text]
    assert {fate.fate for fate in street} == {"placed", "merged"}
    assert {fate.reference for fate in street} == {"CS-02"}
