"""The plan model as plain JSON values, and back: the form plan.json holds it in.

Pure and shared: the outputs write a plan this way (plangen.outputs.record), and the next
year's build reads last year's back (plangen.inputs.previous). RECORD_VERSION is the version
of this shape, raised whenever a field changes meaning or goes (a field added leaves it as it
is: an older plan.json reads back with that field's default).
"""

from __future__ import annotations

from dataclasses import fields, is_dataclass
from datetime import date
from types import UnionType
from typing import Any, Union, get_args, get_origin, get_type_hints

from plangen.model import Plan, Timescale

#: The version of plan.json's shape (the "version" field); see docs/open-data.md.
RECORD_VERSION = 1


def plan_record(plan: Plan) -> dict[str, Any]:
    """The plan as plan.json holds it: every field of the model, by name, dates as ISO
    dates, a timescale with its text too, each action's source cells."""
    record: dict[str, Any] = {"version": RECORD_VERSION}
    record.update(_plain(plan))
    return record


def plan_from_record(record: dict[str, Any]) -> Plan:
    """The plan a plan.json holds (of this RECORD_VERSION), back as the model. Anything not
    of the model's shape raises ValueError (or TypeError, KeyError) with what was wrong."""
    if record.get("version") != RECORD_VERSION:
        raise ValueError(f"plan.json version {record.get('version')!r} is not "
                         f"{RECORD_VERSION}, the version this plangen reads")
    plan: Plan = _typed(Plan, {key: value for key, value in record.items()
                               if key != "version"})
    return plan


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
    """A JSON value back as the model type `kind` (the reverse of _plain), checking that
    each value is of the type the model says: a string where text is wanted, and so on."""
    origin = get_origin(kind)
    if origin in (Union, UnionType):
        if value is None:
            return None
        kind = next(arg for arg in get_args(kind) if arg is not type(None))
        origin = get_origin(kind)
    if origin is tuple:
        if not isinstance(value, list):
            raise TypeError(f"a list was expected, not {type(value).__name__}")
        item = get_args(kind)[0]
        return tuple(_typed(item, element) for element in value)
    if kind is date:
        if not isinstance(value, str):
            raise TypeError(f"a date was expected, not {type(value).__name__}")
        return date.fromisoformat(value)
    if isinstance(kind, type) and is_dataclass(kind):
        if not isinstance(value, dict):
            raise TypeError(f"an object was expected for {kind.__name__}, not "
                            f"{type(value).__name__}")
        hints = get_type_hints(kind)
        return kind(**{field.name: _typed(hints[field.name], value[field.name])
                       for field in fields(kind) if field.name in value and field.init})
    if kind in (str, bool, int) and type(value) is not kind:
        raise TypeError(f"{kind.__name__} was expected, not {type(value).__name__}")
    return value
