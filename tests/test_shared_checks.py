"""Work the validator shares between cells and rows still reports every cell, in order."""

from __future__ import annotations

import gc
import re
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from plangen.errors import SettingsUnusable
from plangen.inputs.checks import _has_word
from plangen.inputs.merge import place
from plangen.inputs.validate import validate

from workbooks import InputsBuilder, partner_return


def test_leads_written_alike_in_many_cells_are_warned_about_at_each_cell(
        inputs: InputsBuilder, tmp_path: Path) -> None:
    # The second and later cells with the same value reuse the first one's parse and warnings.
    inputs.returns["council.xlsx"]["Actions"].extend([
        ["City Safe", "Run a campaign on safety at night.", "Ongoing", "Police/ Policee", ""],
        ["Reoffending", "Offer mentoring to young people.", "Ongoing", "Police/ Policee", ""],
        ["City Safe", "Fund a night bus.", "Sometime", "PCC", ""],
    ])
    inputs.returns["probation.xlsx"] = partner_return("Probation", [
        ["Reoffending", "Visit every prison leaver.", "Ongoing", "Police/ Policee", ""],
        ["Reoffending", "Hold a leavers' fair.", "Sometime", "Probation", ""],
    ])
    checked = validate(inputs.write(tmp_path))
    found = [(str(problem.where), problem.code, problem.message) for problem in checked.problems
             if problem.code in ("uneven-separators", "unknown-lead", "bad-timescale")]
    uneven = ('the leads are separated unevenly ("/ "), and are read as: Police, Policee')
    unknown = ('the lead "Policee" is not in the coordinator\'s list of partners — did you mean '
               '"Police"?')
    bad = '"Sometime" is not "Ongoing" or a month and year such as "September 2018", ' \
          '"Sept 2018" or "09/2018"'
    assert found == [
        ("returns/council.xlsx · Actions · C5", "bad-timescale", bad),
        ("returns/council.xlsx · Actions · D3", "uneven-separators", uneven),
        ("returns/council.xlsx · Actions · D3", "unknown-lead", unknown),
        ("returns/council.xlsx · Actions · D4", "uneven-separators", uneven),
        ("returns/council.xlsx · Actions · D4", "unknown-lead", unknown),
        ("returns/police.xlsx · Actions · D2", "uneven-separators",
         'the leads are separated unevenly ("/ "), and are read as: Police, PCC'),
        ("returns/probation.xlsx · Actions · C3", "bad-timescale", bad),
        ("returns/probation.xlsx · Actions · D2", "uneven-separators", uneven),
        ("returns/probation.xlsx · Actions · D2", "unknown-lead", unknown),
    ]
    assert {(row.file, row.row) for row in checked.rejected} == {
        ("returns/council.xlsx", 5), ("returns/probation.xlsx", 3)}


def test_each_later_copy_with_another_timescale_is_an_error_in_partner_order(
        inputs: InputsBuilder, tmp_path: Path) -> None:
    # Police is first on the Partners sheet, then PCC (council.xlsx), then Probation; the
    # files sort the other way, so plan order and file order differ.
    text = "Develop City Safe to sustain community safety."
    inputs.returns["council.xlsx"]["Actions"].append(["City Safe", text, "Ongoing", "PCC", ""])
    inputs.returns["a-probation.xlsx"] = partner_return("Probation", [
        ["City Safe", text.upper(), "March 2019", "Probation", ""],  # as police: merged
        ["City Safe", text, "June 2018", "Probation", ""],
    ])
    checked = validate(inputs.write(tmp_path))
    found = [(str(problem.where), problem.message) for problem in checked.problems
             if problem.code == "conflicting-timescale"]
    assert found == [
        ("returns/council.xlsx · Actions · C3", "the same action is in returns/police.xlsx · "
         "Actions · C2 with the timescale March 2019, but here it is Ongoing"),
        ("returns/a-probation.xlsx · Actions · C3", "the same action is in returns/police.xlsx "
         "· Actions · C2 with the timescale March 2019, but here it is June 2018"),
    ]
    fates = {(fate.file, fate.row): (fate.fate, str(fate.into))
             for fate in place(checked).fates if fate.sheet == "Actions"}
    assert fates[("returns/a-probation.xlsx", 2)] == (
        "merged", "returns/police.xlsx · Actions · B2")
    assert fates[("returns/a-probation.xlsx", 3)] == ("rejected", "None")
    assert fates[("returns/council.xlsx", 3)] == ("rejected", "None")


_WORD = re.compile(r"[\w-]+")


@settings(max_examples=500, deadline=None)
@given(text=st.text(alphabet="ab-_ é1.\n’'", max_size=40),
       word=st.text(alphabet="ab-_é1", min_size=1, max_size=4))
def test_a_glossary_term_is_found_exactly_when_it_is_one_of_the_words(text: str,
                                                                       word: str) -> None:
    assert _has_word(text, word) == (word in set(_WORD.findall(text)))


def test_coordinator_rows_with_errors_are_left_out_and_the_others_kept_in_order(
        inputs: InputsBuilder, tmp_path: Path) -> None:
    statistics = inputs.plan["Statistics"]
    statistics.insert(2, ["Violent Crimes", "Knife Crime", "Up 5%"])  # no such priority
    statistics.append(["Violent Crime", "Knife Crime", "Mostly under 25s"])
    inputs.plan["Aims"].append(["Re-offending", None])  # an aim left empty
    checked = validate(inputs.write(tmp_path / "with-errors"))
    assert checked.statistics[["priority", "statistic", "fact", "row"]].values.tolist() == [
        ["Violent Crime", "Serious Assault", "Accounts for 35% of Harm", 2],
        ["Violent Crime", "Serious Assault", "Main groups aged 20-24 years", 4],
        ["Re-offending", "Recidivism", "32% of those on probation re-offend", 5],
        ["Violent Crime", "Knife Crime", "Mostly under 25s", 6],
    ]
    assert list(checked.statistics.index) == [0, 1, 2, 3]
    assert checked.aims["aim"].tolist() == ["A safe place to live", "Fewer people offending"]
    plan = place(checked).plan
    assert [(box.heading, box.facts) for box in plan.priorities[0].statistics] == [
        ("Serious Assault", ("Accounts for 35% of Harm", "Main groups aged 20-24 years")),
        ("Knife Crime", ("Mostly under 25s",)),
    ]
    assert plan.priorities[1].aims == ("Fewer people offending",)


def test_coordinator_sheets_without_errors_or_repeats_are_kept_whole(
        inputs: InputsBuilder, tmp_path: Path) -> None:
    checked = validate(inputs.write(tmp_path))
    assert checked.statistics["row"].tolist() == [2, 3, 4]
    assert checked.themes["theme"].tolist() == ["City Safe", "Reoffending"]
    assert checked.partners["partner"].tolist() == ["Police", "PCC", "Probation"]
    inputs.plan["Partners"].append(["police", "Police again", "No", ""])  # listed twice
    checked = validate(inputs.write(tmp_path / "twice"))
    assert checked.partners["partner"].tolist() == ["Police", "PCC", "Probation"]
    assert [str(problem.where) for problem in checked.problems
            if problem.code == "duplicate-name"] == ["plan.xlsx · Partners · A5"]


def test_checking_and_merging_leave_the_cycle_collector_as_they_found_it(
        inputs: InputsBuilder, tmp_path: Path) -> None:
    folder = inputs.write(tmp_path)
    assert gc.isenabled()
    checked = validate(folder)
    place(checked)
    assert gc.isenabled()
    gc.disable()
    try:
        place(validate(folder))
        assert not gc.isenabled()  # a caller who paused it keeps it paused
    finally:
        gc.enable()
    unusable = replace(checked, settings={})
    with pytest.raises(SettingsUnusable):
        place(unusable)
    assert gc.isenabled()  # resumed after an error too


def test_leads_sharing_pieces_are_each_split_as_if_alone(inputs: InputsBuilder,
                                                          tmp_path: Path) -> None:
    # Pieces between separators are read once and reused by later cells.
    cells = ["Police and PCC", "Council/ Police and PCC", "Police and PCC; task and finish group",
             "task and finish group", "Probation & Police, Police and PCC", "PCC, Police"]
    inputs.returns["council.xlsx"]["Actions"].extend(
        [["Reoffending", f"Action number {index} for the leads test.", "Ongoing", leads, ""]
         for index, leads in enumerate(cells)])
    checked = validate(inputs.write(tmp_path))
    assert [leads for action, leads in zip(checked.actions["action"], checked.actions["leads"],
                                           strict=True) if "leads test" in action] == [
        ("Police", "PCC"),
        ("Council", "Police", "PCC"),
        ("Police", "PCC", "task and finish group"),
        ("task and finish group",),
        ("Probation", "Police", "PCC"),
        ("PCC", "Police"),
    ]
