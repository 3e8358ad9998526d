"""What a template sees: the names it can use (`context`, and their types, `context_types`) and
the Jinja environment that fills them in.

The Word template and the web page get the same names under the same rules: every value
escaped (autoescape), so a partner's "&" or "<" is text, never markup, and a tag that names
something the plan lacks is an error (StrictUndefined), never silently empty text.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import fields
from typing import Any, get_type_hints

import jinja2

from plangen.model import Glance, Plan
from plangen.template.chart import ThemeChart


def context(plan: Plan, *, draft: bool = False, left_out: Sequence[str] = ()) -> dict[str, Any]:
    """The names a template can use: every field of the plan (its introduction written out),
    its full title, the figures at a glance (and their chart), and whether this is a draft
    with what it left out."""
    names: dict[str, Any] = {field.name: getattr(plan, field.name) for field in fields(plan)}
    names["introduction"] = introduction(plan)
    names["full_title"] = full_title(plan)
    names["glance"] = glance = plan.glance  # counted once: a county's plan takes 60 ms
    names["glance_chart"] = ThemeChart(glance)
    names["draft"] = draft
    names["left_out"] = tuple(left_out)
    return names


def context_types() -> dict[str, Any]:
    """The type of each name context() gives, so a template can be checked without a plan
    (check-template, the template guide). A test keeps the two in step."""
    hints = get_type_hints(Plan)
    names: dict[str, Any] = {field.name: hints[field.name] for field in fields(Plan)}
    names["full_title"] = str
    names["glance"] = Glance
    names["glance_chart"] = ThemeChart
    names["draft"] = bool
    names["left_out"] = tuple[str, ...]
    return names


def introduction(plan: Plan) -> str:
    """The plan's opening paragraph: the Introduction setting as the coordinator typed it, or
    else a sentence in no partnership's words that names the plan's sources."""
    if plan.introduction:
        return plan.introduction
    sentence = "This plan is written in consultation with partners"
    if plan.sources:
        *rest, last = plan.sources
        sentence += " and based on data provided by " + (
            f"{', '.join(rest)} and {last}" if rest else last)
    return sentence if sentence.endswith(".") else f"{sentence}."


def full_title(plan: Plan) -> str:
    """The plan's title as typed, after the partnership's name unless it already contains it:
    "Wyre Community Safety Partnership Plan 2018-19" stays as it is, "2018-19" of the Wyre
    Community Safety Partnership becomes "Wyre Community Safety Partnership: 2018-19"."""
    if plan.partnership in plan.title:
        return plan.title
    return f"{plan.partnership}: {plan.title}"


#: Strict (a misspelt name is an error) and escaping. Jinja's optimizer is off: it only works
#: out constant expressions while compiling rather than while rendering (the same values, and
#: templates have almost none), and it was a third of compiling the plan.
SETTINGS: dict[str, Any] = {"undefined": jinja2.StrictUndefined, "autoescape": True,
                            "optimized": False}


def environment() -> jinja2.Environment:
    """The Jinja environment templates are filled in with (SETTINGS)."""
    return jinja2.Environment(**SETTINGS)
