"""The record of the published plan: plan.json valid against the schema plangen ships and
holding the whole plan, actions.csv one row per action, both written with the other outputs,
neither by a draft nor by a build that fails."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import jsonschema
import pytest

from plangen.build import build
from plangen.errors import InputProblems
from plangen.model import Plan
from plangen.office.cells import FORMULA_TRIGGERS, csv_text
from plangen.outputs.record import (
    CSV_COLUMNS,
    RECORD_VERSION,
    plan_from_record,
    plan_record,
    schema,
)

from conftest import TEMPLATE, Sample
from workbooks import InputsBuilder


def csv_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as stream:
        return list(csv.DictReader(stream))


def test_plan_json_is_valid_against_the_schema_and_holds_the_whole_plan(sample: Sample) -> None:
    path = sample.docx.parent / "plan.json"
    assert sample.result.record == (path, sample.docx.parent / "actions.csv")
    record = json.loads(path.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema())
    jsonschema.validate(record, schema(), cls=jsonschema.Draft202012Validator)
    assert record["version"] == RECORD_VERSION
    assert plan_from_record(record) == sample.result.plan
    plan = sample.result.plan
    back = plan_from_record(record)
    # The fields the model leaves out of equality: each action's source cells.
    assert [a.sources for a in back.actions] == [a.sources for a in plan.actions]
    assert [a.reference for a in back.actions] == [a.reference for a in plan.actions]
    first = record["themes"][0]["actions"][0]
    assert first["reference"] == "CS-01"
    assert first["sources"][0]["sheet"] == "Actions"


def test_actions_csv_read_back_is_the_plan(sample: Sample) -> None:
    path = sample.docx.parent / "actions.csv"
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")  # for Excel
    rows = csv_rows(path)
    plan = sample.result.plan
    assert list(rows[0]) == list(CSV_COLUMNS)
    assert len(rows) == len(plan.actions)
    expected = [(theme, action) for theme in plan.themes for action in theme.actions]
    for row, (theme, action) in zip(rows, expected, strict=True):
        assert row == {"reference": action.reference, "theme": theme.name,
                       "priorities": theme.priorities, "text": action.text,
                       "timescale": action.timescale.text, "leads": "; ".join(action.leads),
                       "new": "yes" if action.new else "no"}


def test_csv_cells_never_run_as_formulas(inputs: InputsBuilder, tmp_path: Path) -> None:
    hostile = ["+44 7700 900000 helpline", "-5% reoffending", "@SUM(A1)"]
    inputs.returns["police.xlsx"]["Actions"].extend(
        ["Reoffending", text, "Ongoing", "Police", ""] for text in hostile)
    built = build(inputs.write(tmp_path / "in"), TEMPLATE, tmp_path / "out" / "plan.docx")
    rows = csv_rows(built.record[1])
    texts = [row["text"] for row in rows]
    assert not any(text.startswith(FORMULA_TRIGGERS) for row in rows for text in row.values())
    assert [f"'{text}" for text in hostile] == [t for t in texts if t.lstrip("'") in hostile]
    # Read back without the guard, the CSV is the plan.
    assert [row["text"].removeprefix("'") for row in rows] == [
        action.text for action in built.plan.actions]


@pytest.mark.parametrize("trigger", FORMULA_TRIGGERS)
def test_every_formula_trigger_is_guarded(trigger: str) -> None:
    assert csv_text(f"{trigger}1+1").startswith("'")
    assert csv_text("Patrol the parks.") == "Patrol the parks."


def test_a_draft_writes_no_record(sample: Sample) -> None:
    folder = sample.draft.outputs[0].parent
    assert sample.draft.record == ()
    assert not (folder / "plan.json").exists() and not (folder / "actions.csv").exists()


def test_a_failed_build_replaces_neither(inputs: InputsBuilder, tmp_path: Path) -> None:
    out = tmp_path / "out" / "plan.docx"
    good = build(inputs.write(tmp_path / "in"), TEMPLATE, out)
    before = {path: path.read_bytes() for path in good.record}
    inputs.returns["police.xlsx"]["Actions"].append(["No such theme", "Do it.", "Ongoing",
                                                     "Police", ""])
    inputs.write(tmp_path / "in")
    with pytest.raises(InputProblems):
        build(tmp_path / "in", TEMPLATE, out)
    assert {path: path.read_bytes() for path in good.record} == before


def test_a_plan_round_trips_through_its_record(sample: Sample) -> None:
    plan: Plan = sample.result.plan
    assert plan_from_record(json.loads(json.dumps(plan_record(plan)))) == plan
    with pytest.raises(ValueError, match="version"):
        plan_from_record({**plan_record(plan), "version": RECORD_VERSION + 1})
