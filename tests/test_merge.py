"""Merging returns into the plan: order, duplicates, leads, and every row accounted for."""

from __future__ import annotations

from pathlib import Path

from plangen.build import build
from plangen.inputs.merge import place
from plangen.inputs.validate import validate

from conftest import TEMPLATE
from workbooks import InputsBuilder, partner_return


def plan_of(inputs: InputsBuilder, folder: Path):  # type: ignore[no-untyped-def]
    checked = validate(inputs.write(folder))
    assert not checked.errors, [str(p) for p in checked.errors]
    placement = place(checked)
    return placement.plan, placement.ledger


def test_the_same_action_from_two_partners_becomes_one_row_with_both_leads(
        inputs: InputsBuilder, tmp_path: Path) -> None:
    inputs.returns["council.xlsx"]["Actions"].append(
        ["city safe", "develop  city safe to sustain community safety", "Mar-19", "PCC, Council",
         ""])
    plan, ledger = plan_of(inputs, tmp_path)
    city_safe = plan.themes[0]
    matching = [a for a in city_safe.actions if a.text.startswith("Develop City Safe")]
    assert len(matching) == 1
    action = matching[0]
    assert action.leads == ("Police", "PCC")  # "Council" is another name for PCC
    assert action.partners == ("Police", "PCC")
    assert action.new  # one sender marked it new
    assert [str(ref) for ref in action.sources] == [
        "returns/police.xlsx · Actions · B2", "returns/council.xlsx · Actions · B3"]
    council = next(entry for entry in ledger if entry.partner == "PCC")
    assert (council.read, council.placed, council.merged, council.rejected) == (4, 2, 2, 0)


def test_actions_follow_theme_order_then_partner_order_then_rows(
        inputs: InputsBuilder, tmp_path: Path) -> None:
    # The council's return sorts first by file name, but Police is first in the Partners sheet.
    plan, _ = plan_of(inputs, tmp_path)
    assert [theme.name for theme in plan.themes] == ["City Safe", "Reoffending"]
    assert [a.partners[0] for a in plan.themes[0].actions] == ["Police", "PCC"]


def test_current_work_is_merged_per_priority_in_partner_order(
        inputs: InputsBuilder, tmp_path: Path) -> None:
    plan, _ = plan_of(inputs, tmp_path)
    assert plan.priorities[0].current_work == ("Street Pastors", "CCTV")
    assert plan.priorities[1].current_work == ("Provide health care",)


def test_every_row_read_is_placed_merged_or_rejected(inputs: InputsBuilder, tmp_path: Path) -> None:
    inputs.returns["extra.xlsx"] = partner_return("Probation", [
        ["Reoffending", "Provide co-ordinated prison release arrangements", "Ongoing",
         "Probation Services", ""],
        ["Reoffending", "A new thing", "whenever", "Probation", ""],
        ["", "", "", "", ""],
    ], [["Re-offending", "Provide health care"]])
    checked = validate(inputs.write(tmp_path))
    ledger = place(checked).ledger
    for entry in ledger:
        assert entry.read == entry.placed + entry.merged + entry.rejected
    extra = next(entry for entry in ledger if entry.file == "returns/extra.xlsx")
    assert (extra.read, extra.placed, extra.merged, extra.rejected) == (3, 0, 2, 1)


def test_the_glossary_is_alphabetical(inputs: InputsBuilder, tmp_path: Path) -> None:
    inputs.plan["Glossary"] += [["asb", "Anti-Social Behaviour"], ["Genga", "a partnership"]]
    plan, _ = plan_of(inputs, tmp_path)
    assert [entry.term for entry in plan.glossary] == ["asb", "CCTV", "Genga", "PCC"]


def test_statistic_facts_are_grouped_into_boxes_in_order(
        inputs: InputsBuilder, tmp_path: Path) -> None:
    plan, _ = plan_of(inputs, tmp_path)
    (box,) = plan.priorities[0].statistics
    assert box.heading == "Serious Assault"
    assert box.facts == ("Accounts for 35% of Harm", "Main groups aged 20-24 years")
    assert plan.priorities[1].title == "Re-offending"  # empty page title: the name


def test_the_same_action_with_different_timescales_is_an_error(
        inputs: InputsBuilder, tmp_path: Path) -> None:
    inputs.returns["council.xlsx"]["Actions"].append(
        ["City Safe", "Develop City Safe to sustain community safety.", "June 2019", "PCC", ""])
    checked = validate(inputs.write(tmp_path))
    messages = [str(p) for p in checked.errors]
    assert messages == [
        "returns/council.xlsx · Actions · C3 — the same action is in returns/police.xlsx · "
        "Actions · C2 with the timescale March 2019, but here it is June 2019 — Agree one "
        "timescale with Police and use it in both returns."]


def test_a_known_lead_typed_in_another_case_is_shown_as_the_partners_sheet_spells_it(
        inputs: InputsBuilder, tmp_path: Path) -> None:
    inputs.returns["council.xlsx"]["Actions"].append(
        ["Reoffending", "Support people leaving prison.", "Ongoing", "pcc / PROBATION SERVICES",
         ""])
    plan, _ = plan_of(inputs, tmp_path)
    action = next(a for a in plan.themes[1].actions if a.text.startswith("Support people"))
    assert action.leads == ("PCC", "Probation Services")  # a partner, and another name


def test_current_work_is_optional_a_plan_without_any_builds_and_accounts_for_every_row(
        inputs: InputsBuilder, tmp_path: Path) -> None:
    for sheets in inputs.returns.values():
        sheets["Current work"] = [["Priority", "Initiative"]]  # the sheet is optional to fill
    result = build(inputs.write(tmp_path / "in"), TEMPLATE, tmp_path / "plan.docx")
    assert len(result.plan.actions) == 3
    assert all(priority.current_work == () for priority in result.plan.priorities)
    for entry in result.ledger:
        assert entry.read == entry.placed + entry.merged + entry.rejected
