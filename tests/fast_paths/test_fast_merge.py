"""The merge's fast paths give what pandas gave: rows put in plan order by Python's sort, and
the first of each group found with a set, instead of sort_values and duplicated."""

from __future__ import annotations

import math
import random
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

import plangen.inputs.merge
from plangen.inputs.merge import _firsts, _in_order, place
from plangen.inputs.validate import validate

from workbooks import InputsBuilder, partner_return

# Names whose order by code point differs from their order in a dictionary, or by case.
NAMES = ["returns/Zeta.xlsx", "returns/alpha.xlsx", "returns/Ärzte.xlsx", "returns/beta.xlsx",
         "returns/éclair.xlsx", "returns/a.xlsx", "returns/A.xlsx", "returns/ß.xlsx",
         "returns/z.xlsx", "returns/10.xlsx", "returns/9.xlsx", "returns/ a.xlsx"]


def _frame(rng: random.Random, groups: list[str]) -> pd.DataFrame:
    """Rows as the validator makes them, in no order, with many ties in every column."""
    count = rng.randint(1, 40)
    return pd.DataFrame({
        "theme": [rng.choice(groups) for _ in range(count)],
        "key": [rng.choice(["patrol", "visit", "Patrol", "visit "]) for _ in range(count)],
        "partner_order": [rng.randint(0, 3) for _ in range(count)],
        "file": [rng.choice(NAMES[:rng.randint(1, len(NAMES))]) for _ in range(count)],
        "row": [rng.randint(2, 9) for _ in range(count)],
    })


@pytest.mark.parametrize("python_rows", [plangen.inputs.merge.PYTHON_SORT_ROWS, 10])
def test_plan_order_and_first_rows_are_what_pandas_gives(
        python_rows: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """Python's sort or pandas', by the frame's size and values, put rows in the same order
    and find the same first rows."""
    monkeypatch.setattr(plangen.inputs.merge, "PYTHON_SORT_ROWS", python_rows)
    rng = random.Random(6)
    order = ["City Safe", "Reoffending", "Young People"]
    sorted_by_python = 0
    for number in range(400):
        # Now and then a theme missing from the order, which pandas sorts (NaN, last).
        frame = _frame(rng, order + (["Elsewhere"] if number % 10 == 0 else []))
        groups = frame["theme"].map({name: index for index, name in enumerate(order)})
        expected = frame.assign(_group=groups.tolist()).sort_values(
            ["_group", "partner_order", "file", "row"], kind="stable")
        ordered = _in_order(frame, "theme", order)
        pd.testing.assert_frame_equal(ordered, expected)
        assert list(_firsts(ordered, ("theme", "key"))) == (
            ~expected.duplicated(["theme", "key"])).tolist()
        sorted_by_python += (len(frame) <= python_rows
                             and not any(math.isnan(group) for group in groups))
    assert 50 < sorted_by_python < 400  # both ways were taken


def test_first_rows_with_blanks_are_found_by_pandas() -> None:
    """A missing value (NaN, equal to NaN for pandas) is not text: pandas finds the firsts."""
    frame = pd.DataFrame({"theme": ["A", "A", "A", None], "key": [math.nan, math.nan, "x", None]})
    assert list(_firsts(frame, ("theme", "key"))) == [True, False, True, True]


@pytest.fixture
def returns_in_every_order(inputs: InputsBuilder) -> InputsBuilder:
    """Returns whose file names, partners and rows all sort differently, with actions and
    current work sent by several partners, and a partner with two returns."""
    inputs.plan["Themes"].append(["Young People", "Violent Crime"])
    inputs.plan["Partners"] += [["Youth", "Youth Service", "No", ""],
                                ["Ärzte", "Doctors", "No", ""]]
    actions = [["Young People", "Run a youth club.", "Ongoing", "Youth", "Yes"],
               ["City Safe", "Develop City Safe to sustain community safety.", "March 2019",
                "Police", ""],
               ["Reoffending", "Visit prisons.", "Ongoing", "Probation", ""],
               ["City Safe", "Light the alleys.", "Ongoing", "PCC", ""]]
    work = [["Re-offending", "Provide health care"], ["Violent Crime", "CCTV"],
            ["Violent Crime", "Street Pastors"]]
    for file, partner, rows in (("Zeta.xlsx", "Youth", [3, 0, 1]), ("youth.xlsx", "Youth", [0]),
                                ("alpha.xlsx", "Ärzte", [1, 2, 0]),
                                ("ärzte-2.xlsx", "Ärzte", [0, 3, 2]),
                                ("Beta.xlsx", "Probation", [2, 1, 0, 3])):
        inputs.returns[file] = partner_return(partner, [actions[row] for row in rows],
                                              [work[row % 3] for row in rows])
    return inputs


def test_returns_in_every_order_merge_as_they_did_through_pandas(
        returns_in_every_order: InputsBuilder, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    checked = validate(returns_in_every_order.write(tmp_path))
    assert not checked.errors, [str(problem) for problem in checked.errors]

    def unused(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("pandas was asked to sort or find duplicates")

    with monkeypatch.context() as patched:
        patched.setattr(pd.DataFrame, "sort_values", unused)
        patched.setattr(pd.DataFrame, "duplicated", unused)
        shipped = place(checked)
    monkeypatch.setattr(plangen.inputs.merge, "_only", lambda values, kind: False)
    through_pandas = place(checked)
    assert repr(shipped) == repr(through_pandas)
    merged = [fate for fate in shipped.fates if fate.fate == "merged"]
    assert {"returns/Zeta.xlsx", "returns/alpha.xlsx", "returns/ärzte-2.xlsx",
            "returns/Beta.xlsx"} <= {fate.file for fate in merged}
    # By the Partners sheet's order (Probation, Youth, Ärzte), then by file name as written
    # ("Zeta" before "youth", "alpha" before "ärzte"), then by row.
    young = next(theme for theme in shipped.plan.themes if theme.name == "Young People")
    assert [str(ref) for ref in young.actions[0].sources] == [
        "returns/Beta.xlsx · Actions · B4", "returns/Zeta.xlsx · Actions · B3",
        "returns/youth.xlsx · Actions · B2", "returns/alpha.xlsx · Actions · B4",
        "returns/ärzte-2.xlsx · Actions · B2"]
