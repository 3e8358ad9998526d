"""Next year's plan from this year's: with last year's plan.json in the inputs, carried actions
keep their references, new ones get numbers never given before, NEW is worked out, completed
and dropped actions leave the plan, and the plan says what changed since last year."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from plangen.build import BuildResult, build
from plangen.errors import InputProblems
from plangen.inputs.previous import PREVIOUS_PLAN
from plangen.inputs.validate import validate
from plangen.outputs.record import schema

from conftest import TEMPLATE
from workbooks import InputsBuilder, Rows, partner_return, write_workbook

HEADERS = ["Reference", "Theme", "Key action", "Timescale", "Leads", "This year", "Reason"]


def first_year(folder: Path) -> BuildResult:
    """The small test plan of April 2018 to March 2019: CS-01, CS-02 (City Safe), RE-01."""
    inputs = InputsBuilder().write(folder / "inputs")
    return build(inputs, TEMPLATE, folder / "outputs" / "plan.docx")


def next_year(folder: Path, last_year: Path, returns: dict[str, Rows], *,
              start: str = "April 2019", end: str = "March 2020") -> Path:
    """The inputs of the year after: the same coordinator's workbook a year on, last year's
    plan.json as previous-plan.json, and returns in the pre-filled layout."""
    builder = InputsBuilder()
    settings = builder.plan["Settings"]
    for row in settings:
        if row[0] == "Plan starts":
            row[1] = start
        if row[0] == "Plan ends":
            row[1] = end
    builder.returns = {}
    for name, rows in returns.items():
        partner = {"police.xlsx": "Police", "council.xlsx": "PCC"}[name]
        sheets = partner_return(partner)
        sheets["Actions"] = [HEADERS, *rows]
        builder.returns[name] = sheets
    inputs = builder.write(folder / "inputs")
    shutil.copy(last_year / "outputs" / "plan.json", inputs / PREVIOUS_PLAN)
    return inputs


def codes(problems: Any) -> list[tuple[str, str]]:
    return [(problem.code, str(problem.where)) for problem in problems]


@pytest.fixture(scope="module")
def years(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, BuildResult]:
    one = tmp_path_factory.mktemp("year-one")
    first_year(one)
    two = tmp_path_factory.mktemp("year-two")
    inputs = next_year(two, one, {
        "police.xlsx": [
            ["CS-01", "City Safe", "Develop City Safe to sustain community safety in the city "
             "centre.", "March 2020", "Police/ PCC", "Continues, changed", ""],
            ["re 1", "Reoffending", "Provide co-ordinated prison release arrangements.",
             "Ongoing", "Probation", "Completed", "Done with the prison in 2019"],
            ["", "City Safe", "Run a night-time economy forum.", "Ongoing", "Police", "", ""],
        ],
        "council.xlsx": [
            ["CS-02", "City Safe", "Deliver multi agency activity on street drinking.",
             "Ongoing", "PCC", "Dropped", "Replaced by the county scheme"],
        ],
    })
    return one, two, build(inputs, TEMPLATE, two / "outputs" / "plan.docx")


def test_carried_actions_keep_their_references_and_only_new_ones_are_new(
        years: tuple[Path, Path, BuildResult]) -> None:
    plan = years[2].plan
    assert [(a.reference, a.text, a.new) for a in plan.actions] == [
        ("CS-01", "Develop City Safe to sustain community safety in the city centre.", False),
        ("CS-03", "Run a night-time economy forum.", True),
    ]
    assert plan.retired == ("CS-02", "RE-01")


def test_the_changes_since_last_year_say_what_became_of_every_action(
        years: tuple[Path, Path, BuildResult]) -> None:
    changes = years[2].plan.changes
    assert changes is not None
    assert changes.previous_period.label == "April 2018 to March 2019"
    assert [c.reference for c in changes.new] == ["CS-03"]
    assert changes.carried == ()
    [changed] = changes.changed
    assert changed.reference == "CS-01"
    assert [(f.field, f.old, f.new) for f in changed.changes] == [
        ("Key action", "Develop City Safe to sustain community safety.",
         "Develop City Safe to sustain community safety in the city centre."),
        ("Timescale", "March 2019", "March 2020")]
    [completed] = changes.completed
    assert (completed.reference, completed.partners, completed.reason) == (
        "RE-01", ("Police",), "Done with the prison in 2019")
    [dropped] = changes.dropped
    assert (dropped.reference, dropped.text, dropped.reason) == (
        "CS-02", "Deliver multi agency activity on street drinking.",
        "Replaced by the county scheme")
    assert changes.not_returned == ()


def test_every_row_read_is_placed_merged_closed_or_rejected(
        years: tuple[Path, Path, BuildResult]) -> None:
    result = years[2]
    for entry in result.ledger:
        assert entry.read == entry.placed + entry.merged + entry.closed + entry.rejected
    by_file = {entry.file: entry for entry in result.ledger}
    assert (by_file["returns/police.xlsx"].closed, by_file["returns/council.xlsx"].closed) == (
        1, 1)
    fates = {(f.file, f.row): (f.fate, f.reference) for f in result.fates
             if f.sheet == "Actions"}
    assert fates == {("returns/police.xlsx", 2): ("placed", "CS-01"),
                     ("returns/police.xlsx", 3): ("completed", "RE-01"),
                     ("returns/police.xlsx", 4): ("placed", "CS-03"),
                     ("returns/council.xlsx", 2): ("dropped", "CS-02")}


def test_plan_json_and_actions_csv_say_the_same_as_the_plan(
        years: tuple[Path, Path, BuildResult]) -> None:
    outputs = years[1] / "outputs"
    record = json.loads((outputs / "plan.json").read_text(encoding="utf-8"))
    jsonschema.validate(record, schema(), cls=jsonschema.Draft202012Validator)
    assert [c["reference"] for c in record["changes"]["dropped"]] == ["CS-02"]
    assert record["changes"]["dropped"][0]["reason"] == "Replaced by the county scheme"
    assert record["retired"] == ["CS-02", "RE-01"]
    with (outputs / "actions.csv").open(encoding="utf-8-sig", newline="") as stream:
        rows = list(csv.DictReader(stream))
    assert [(row["reference"], row["new"]) for row in rows] == [("CS-01", "no"),
                                                               ("CS-03", "yes")]


def test_a_reference_retired_is_never_given_again(years: tuple[Path, Path, BuildResult],
                                                  tmp_path: Path) -> None:
    inputs = next_year(tmp_path, years[1], {
        "police.xlsx": [
            ["CS-01", "City Safe", "Develop City Safe to sustain community safety in the city "
             "centre.", "March 2021", "Police/ PCC", "Continues, changed", ""],
            ["CS-03", "City Safe", "Run a night-time economy forum.", "Ongoing", "Police",
             "Continues", ""],
            ["", "City Safe", "Open a safe space on Friday nights.", "Ongoing", "Police", "", ""],
            ["", "Reoffending", "Mentor people leaving prison.", "Ongoing", "Probation", "", ""],
        ],
    }, start="April 2020", end="March 2021")
    plan = build(inputs, TEMPLATE, tmp_path / "outputs" / "plan.docx").plan
    # CS-02 and RE-01 were retired last year: their numbers are never given to new actions.
    assert [a.reference for a in plan.actions] == ["CS-01", "CS-03", "CS-04", "RE-02"]
    assert plan.retired == ("CS-02", "RE-01")
    assert plan.changes is not None
    assert [c.reference for c in plan.changes.carried] == ["CS-03"]


def test_references_are_checked_at_their_cells_with_did_you_mean(
        years: tuple[Path, Path, BuildResult], tmp_path: Path) -> None:
    inputs = next_year(tmp_path, years[0], {
        "police.xlsx": [
            ["CS-11", "City Safe", "Develop City Safe to sustain community safety.",
             "March 2020", "Police", "Continues", ""],
            ["CS 2", "City Safe", "Deliver multi agency activity on street drinking.",
             "Ongoing", "PCC", "", ""],
            ["cs-02", "City Safe", "Street drinking, again.", "Ongoing", "PCC", "", ""],
            ["", "Reoffending", "Provide co-ordinated prison release arrangements.",
             "Ongoing", "Probation", "", ""],
            ["", "City Safe", "A brand new action.", "Ongoing", "Police", "Completed", ""],
            ["X", "City Safe", "Another new one.", "Ongoing", "Police", "Perhaps", ""],
        ],
    })
    checked = validate(inputs)
    found = {(p.code, str(p.where)): p for p in checked.problems}
    unknown = found[("unknown-reference", "returns/police.xlsx · Actions · A2")]
    assert unknown.message == ("CS-11 is not a reference in last year's plan — did you mean "
                               "CS-01 (“Develop City Safe to sustain community safety.”)?")
    assert ("duplicate-reference", "returns/police.xlsx · Actions · A4") in found
    assert "CS-02 is also on row 3" in found[("duplicate-reference",
                                              "returns/police.xlsx · Actions · A4")].message
    cleared = found[("cleared-reference", "returns/police.xlsx · Actions · A5")]
    assert "last year's RE-01 word for word" in cleared.message
    assert ("carry-without-reference", "returns/police.xlsx · Actions · F6") in found
    assert ("bad-reference", "returns/police.xlsx · Actions · A7") in found
    assert ("bad-carry", "returns/police.xlsx · Actions · F7") in found
    # The cleared reference is kept; the typed "CS 2" is CS-02; the errors' rows are rejected.
    assert sorted(zip(checked.actions["row"], checked.actions["reference"],
                      strict=True)) == [(3, "CS-02"), (5, "RE-01")]
    [count] = checked.counts
    assert (count.read, count.rejected) == (6, 4)
    with pytest.raises(InputProblems):
        build(inputs, TEMPLATE, tmp_path / "outputs" / "plan.docx")


def test_last_years_actions_no_return_mentions_are_named_with_their_partner(
        years: tuple[Path, Path, BuildResult], tmp_path: Path) -> None:
    inputs = next_year(tmp_path, years[0], {
        "police.xlsx": [
            ["CS-01", "City Safe", "Develop City Safe to sustain community safety.",
             "March 2019", "Police/ PCC", "Continues", ""],
        ],
    })
    result = build(inputs, TEMPLATE, tmp_path / "outputs" / "plan.docx")
    problems = {(p.code, str(p.where)): p.message for p in result.problems}
    assert problems[("not-returned", "returns/council.xlsx · Actions")] == (
        "last year's CS-02 (“Deliver multi agency activity on street drinking.”) is in no "
        "return this year: PCC sent it last year")
    assert ("not-returned", "returns/police.xlsx · Actions") in problems  # RE-01
    assert problems[("carried-deadline-passed", "returns/police.xlsx · Actions · D2")] == (
        "CS-01 was due by March 2019, before this plan starts (April 2019)")
    assert ("before-plan", "returns/police.xlsx · Actions · D2") not in problems
    assert ("last-years-statistics", "plan.xlsx · Statistics · B2") in problems
    changes = result.plan.changes
    assert changes is not None
    assert [c.reference for c in changes.carried] == ["CS-01"]
    assert [(c.reference, c.partners) for c in changes.not_returned] == [
        ("CS-02", ("PCC",)), ("RE-01", ("Police",))]
    assert result.plan.retired == ("CS-02", "RE-01")


def test_a_previous_plan_that_cannot_be_used_stops_the_build(
        years: tuple[Path, Path, BuildResult], tmp_path: Path) -> None:
    inputs = next_year(tmp_path, years[0], {"police.xlsx": []})
    (inputs / PREVIOUS_PLAN).write_text('{"version": 1, "title": 7}', encoding="utf-8")
    [problem] = [p for p in validate(inputs).problems if p.code == "bad-previous-plan"]
    assert str(problem.where) == PREVIOUS_PLAN
    assert problem.message.startswith("previous-plan.json is not a plan plangen wrote")
    # This year's own plan.json put there by mistake.
    same = next_year(tmp_path / "same", years[0], {"police.xlsx": []}, start="April 2018",
                     end="March 2019")
    assert "previous-not-earlier" in {p.code for p in validate(same).problems}


def test_a_return_without_a_reference_column_is_matched_by_its_words(
        years: tuple[Path, Path, BuildResult], tmp_path: Path) -> None:
    inputs = next_year(tmp_path, years[0], {})
    for name, sheets in InputsBuilder().returns.items():  # as last year: no Reference column
        write_workbook(inputs / "returns" / name, sheets)
    result = build(inputs, TEMPLATE, tmp_path / "outputs" / "plan.docx")
    assert [(a.reference, a.new) for a in result.plan.actions] == [
        ("CS-01", False), ("CS-02", False), ("RE-01", False)]
    problems = {(p.code, str(p.where)): p.message for p in result.problems}
    assert problems[("matched-by-words", "returns/police.xlsx · Actions")].endswith(
        "matched with last year's by their words: 2 carried over as last year's, 0 new")
    assert ("new-but-carried", "returns/police.xlsx · Actions · E2") in problems
    assert not any(code == "cleared-reference" for code, _ in problems)


def test_messages_about_a_carried_action_name_its_reference(
        years: tuple[Path, Path, BuildResult], tmp_path: Path) -> None:
    inputs = next_year(tmp_path, years[0], {
        "police.xlsx": [["CS-01", "City Safe", "Develop City Safe to sustain community safety.",
                         "March 2020", "Police/ PCC", "Continues", ""]],
        "council.xlsx": [["CS-01", "City Safe", "Develop City Safe, sustaining community "
                          "safety.", "Ongoing", "PCC", "Continues", ""],
                         ["", "City Safe", "Develop City Safe to sustain community safety!!",
                          "Ongoing", "PCC", "", ""]],
    })
    problems = {(p.code, str(p.where)): p.message for p in validate(inputs).problems}
    assert problems[("conflicting-timescale", "returns/council.xlsx · Actions · D2")] == (
        "the same action (CS-01) is in returns/police.xlsx · Actions · D2 with the timescale "
        "March 2020, but here it is Ongoing")
    assert problems[("near-duplicate", "returns/council.xlsx · Actions · C3")].startswith(
        "this action is very like returns/police.xlsx · Actions · C2 from Police (CS-01, ")


def test_the_same_words_in_two_themes_are_two_actions_from_year_to_year(
        tmp_path: Path) -> None:
    builder = InputsBuilder()
    builder.returns = {"police.xlsx": partner_return("Police", [
        ["City Safe", "Share information.", "Ongoing", "Police", ""],
        ["Reoffending", "Share information.", "Ongoing", "Police", ""]])}
    builder.write(tmp_path / "one" / "inputs")
    build(tmp_path / "one" / "inputs", TEMPLATE, tmp_path / "one" / "outputs" / "plan.docx")
    inputs = next_year(tmp_path / "two", tmp_path / "one", {})
    for name, sheets in builder.returns.items():  # as last year: no Reference column
        write_workbook(inputs / "returns" / name, sheets)
    result = build(inputs, TEMPLATE, tmp_path / "two" / "outputs" / "plan.docx")
    assert [(a.reference, a.new) for a in result.plan.actions] == [("CS-01", False),
                                                                   ("RE-01", False)]
