"""The record of the published plan: plan.json (the whole plan model) and actions.csv (one row
per action), the open data published beside the plan (docs/open-data.md).

plan.json is described by plan.schema.json, shipped beside this module; its "version" is
RECORD_VERSION, raised whenever a field changes meaning or goes, so that a later build (the
next year's plan) can read this one back with `plan_from_record`. actions.csv is for
spreadsheets: UTF-8 with a byte order mark, so Excel reads its accents, and every cell by
plangen.office.cells' rules, so no partner's text opens as a formula.
"""

from __future__ import annotations

import csv
import json
from dataclasses import fields, is_dataclass
from datetime import date
from importlib.resources import files
from pathlib import Path
from types import UnionType
from typing import Any, Union, get_args, get_origin, get_type_hints

from plangen.model import Plan, Timescale
from plangen.office.cells import csv_text

#: The names the record is written under, beside the plan.
PLAN_JSON = "plan.json"
ACTIONS_CSV = "actions.csv"
#: The version of plan.json's shape (the "version" field); see docs/open-data.md.
RECORD_VERSION = 1
#: The columns of actions.csv, in order.
CSV_COLUMNS = ("reference", "theme", "priorities", "text", "timescale", "leads", "new")


def schema() -> dict[str, Any]:
    """The JSON Schema plan.json follows, as shipped with plangen."""
    text = files("plangen.outputs").joinpath("plan.schema.json").read_text(encoding="utf-8")
    loaded: dict[str, Any] = json.loads(text)
    return loaded


def plan_record(plan: Plan) -> dict[str, Any]:
    """The plan as plan.json holds it: every field of the model, by name, dates as ISO
    dates, a timescale with its text too, each action's source cells."""
    record: dict[str, Any] = {"version": RECORD_VERSION}
    record.update(_plain(plan))
    return record


def plan_from_record(record: dict[str, Any]) -> Plan:
    """The plan a plan.json holds (of this RECORD_VERSION), back as the model."""
    if record.get("version") != RECORD_VERSION:
        raise ValueError(f"plan.json version {record.get('version')!r} is not "
                         f"{RECORD_VERSION}, the version this plangen reads")
    plan: Plan = _typed(Plan, {key: value for key, value in record.items()
                               if key != "version"})
    return plan


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


def _plain(value: Any) -> Any:
    """A model value as JSON: dataclasses as objects of their fields, tuples as lists."""
    if isinstance(value, Timescale):
        return {"month": _plain(value.month), "text": value.text}
    if is_dataclass(value) and not isinstance(value, type):
        return {field.name: _plain(getattr(value, field.name)) for field in fields(value)}
    if isinstance(value, tuple):
        return [_plain(item) for item in value]
    if isinstance(value, date):
        return value.isoformat()
    return value


def _typed(kind: Any, value: Any) -> Any:
    """A JSON value back as the model type `kind` (the reverse of _plain)."""
    origin = get_origin(kind)
    if origin in (Union, UnionType):
        if value is None:
            return None
        kind = next(arg for arg in get_args(kind) if arg is not type(None))
        origin = get_origin(kind)
    if origin is tuple:
        item = get_args(kind)[0]
        return tuple(_typed(item, element) for element in value)
    if kind is date:
        return date.fromisoformat(value)
    if isinstance(kind, type) and is_dataclass(kind):
        hints = get_type_hints(kind)
        return kind(**{field.name: _typed(hints[field.name], value[field.name])
                       for field in fields(kind) if field.name in value})
    return value
