"""The record of the published plan: plan.json (the whole plan model) and actions.csv (one row
per action), the open data published beside the plan (docs/open-data.md).

plan.json is described by plan.schema.json, shipped beside this module; its form and
"version" are plangen.serial's, which the next year's build reads back. actions.csv is for
spreadsheets: UTF-8 with a byte order mark, so Excel reads its accents, and every cell by
plangen.office.cells' rules, so no partner's text opens as a formula.
"""

from __future__ import annotations

import csv
import json
from importlib.resources import files
from pathlib import Path
from typing import Any

from plangen.model import Plan
from plangen.office.cells import csv_text
from plangen.serial import RECORD_VERSION, plan_from_record, plan_record

__all__ = ["ACTIONS_CSV", "CSV_COLUMNS", "PLAN_JSON", "RECORD_VERSION", "action_rows",
           "plan_from_record", "plan_record", "schema", "write_csv", "write_json"]

#: The names the record is written under, beside the plan.
PLAN_JSON = "plan.json"
ACTIONS_CSV = "actions.csv"
#: The columns of actions.csv, in order.
CSV_COLUMNS = ("reference", "theme", "priorities", "text", "timescale", "leads", "new")


def schema() -> dict[str, Any]:
    """The JSON Schema plan.json follows, as shipped with plangen."""
    text = files("plangen.outputs").joinpath("plan.schema.json").read_text(encoding="utf-8")
    loaded: dict[str, Any] = json.loads(text)
    return loaded


def write_json(plan: Plan, path: Path) -> None:
    path.write_text(json.dumps(plan_record(plan), ensure_ascii=False, indent=2) + "\n",
                    encoding="utf-8")


def action_rows(plan: Plan) -> list[tuple[str, ...]]:
    """actions.csv's rows after its header, in plan order, as the plan says them."""
    return [(action.reference, theme.name, theme.priorities, action.text,
             action.timescale.text, "; ".join(action.leads), "yes" if action.new else "no")
            for theme in plan.themes for action in theme.actions]


def write_csv(plan: Plan, path: Path) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(CSV_COLUMNS)
        writer.writerows([csv_text(value) for value in row] for row in action_rows(plan))
