"""The reader's fast paths give what the general ones give: formulas found by a quicker
search, frames built from lists, columns kept as lists without a frame, small folders read
without threads.

The reader no longer makes a frame of each sheet; _frame_of makes the one it did, with the
reader's own frame maker (read._frame, which still converts the columns pandas changes)."""

from __future__ import annotations

import datetime
import random
import re
import zipfile
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

import plangen.inputs.read
from plangen.inputs.read import Inputs, SheetCells, Table, load_inputs, read_table
from plangen.inputs.schema import RETURN
from plangen.inputs.sheetxml import _FORMULA_TAG, _has_formula
from plangen.inputs.validate import Checked, check

from conftest import cell_where
from workbooks import InputsBuilder, partner_return, write_workbook

# --- Formulas without values ------------------------------------------------------------------

TRICKY = [
    b"", b"<f>", b"<f/>", b'<f t="shared"/>', b"<f\n>", b"<ff>", b"<fx/>", b"<x:f>", b"<x:f/>",
    b"<x:fx>", b"<:f>", b"<a:b:f>", b"<a b:f>", b"x:f>", b":f ", b"<x :f>", b"of the <x>",
    b"<t>of </t>", b"<t>ratio:f </t>", b"<t>a</t><f>1</f>", b"<c><x1_y:f>A1</x1_y:f></c>",
    b"f>" * 3, b"<" * 5 + b"f", b"<f", b"<x:f", b"< f>", b"<\nf>", b"<xm:f>Lists!A1</xm:f>",
    b"<ab:f t='array'>", b"<f\t/>", b"<\xc3\xa9:f>",
]


def test_the_formula_search_finds_exactly_what_the_formula_pattern_matches() -> None:
    rng = random.Random(6)
    alphabet = [b"<", b":", b"f", b" ", b">", b"/", b"x", b"a", b"\n", b"t", b"_"]
    samples = TRICKY + [b"".join(rng.choice(alphabet) for _ in range(rng.randint(1, 24)))
                        for _ in range(20_000)]
    for data in samples:
        assert _has_formula(data) == (_FORMULA_TAG.search(data) is not None), data


def _prefixed(path: Path) -> Path:
    """The workbook with its sheets' XML written with an "x:" prefix on every element."""
    target = path.with_name("prefixed-" + path.name)
    with zipfile.ZipFile(path) as old, zipfile.ZipFile(target, "w") as new:
        for info in old.infolist():
            data = old.read(info.filename)
            if info.filename.startswith("xl/worksheets/"):
                text = re.sub(r"<(/?)(\w+)(?=[\s>/])", r"<\1x:\2", data.decode())
                data = text.replace("xmlns=", "xmlns:x=").encode()
            new.writestr(info, data)
    path.unlink()
    return target


@pytest.mark.parametrize("prefixed", [False, True])
def test_a_formula_without_a_value_is_found_after_text_that_looks_like_a_tag_end(
        inputs: InputsBuilder, tmp_path: Path, prefixed: bool) -> None:
    """The search stops at every "f" before a space, ">" or "/": "of " in the text is passed
    over, and the formula below it, written <f> or <x:f>, is still found."""
    inputs.returns["police.xlsx"]["Actions"] += [
        ["City Safe", "Think of the children: f > g / h", "Ongoing", "Police", ""],
        ["City Safe", '=UPPER("patrol")', "Ongoing", "Police", ""],
    ]
    folder = inputs.write(tmp_path)
    police = folder / "returns" / "police.xlsx"
    if prefixed:
        _prefixed(police)
    read = load_inputs(folder)
    book = next(book for book in read.returns if "police" in book.file)
    found = [(cell_where(p).cell, p.code) for p in book.problems]
    assert found == [("B5", "formula-without-value")]
    assert book.tables["Actions"].flagged == {5: frozenset({"action"})}


# --- Frames -----------------------------------------------------------------------------------

MIXED: list[list[Any]] = [
    ["Theme", "Key action", "Timescale", "Leads", "New"],
    ["City Safe", "Patrol.", datetime.datetime(2019, 3, 1), "Police", True],
    ["City Safe", "", "Ongoing", "", ""],
    ["", "", "", "", ""],  # blank: left out
    ["Reoffending", 12.0, datetime.datetime(2019, 4, 1), 3.5, False],
    ["  ", "\t", "", "", ""],  # blank too
    ["Reoffending", "Visit.", datetime.date(2019, 5, 1), "PCC", "Yes"],
]


def _frame_of(table: Table) -> pd.DataFrame:
    """The frame of a table's cells, as the reader made it for every sheet."""
    return plangen.inputs.read._frame([list(row) for row in zip(*table.cells.values(),
                                                                strict=True)],
                                      tuple(table.cells))


def _from_dicts(rows: list[list[Any]]) -> pd.DataFrame:
    """The frame as the reader made it before: one dict per kept row, then from_records."""
    keys = ["theme", "action", "timescale", "leads", "new"]
    records = [{**dict(zip(keys, row, strict=True)), "row": number}
               for number, row in enumerate(rows[1:], start=2)
               if any(str(value).strip() for value in row)]
    return pd.DataFrame.from_records(records, columns=[*keys, "row"])


@pytest.mark.parametrize("rows", [MIXED, MIXED[:1], MIXED[:2] + MIXED[4:5],
                                  [MIXED[0], *([MIXED[1]] * 3)]],
                         ids=["mixed", "header only", "numbers", "all datetimes"])
def test_a_tables_frame_is_the_one_from_records_makes(rows: list[list[Any]]) -> None:
    actions = RETURN.sheet("Actions")
    table, problems = read_table(SheetCells("returns/x.xlsx", "Actions", rows), actions)
    assert table is not None and not problems
    expected = _from_dicts(rows)
    frame = _frame_of(table)
    pd.testing.assert_frame_equal(frame, expected)
    assert list(frame.dtypes) == list(expected.dtypes)
    assert frame.astype(object).values.tolist() == expected.astype(object).values.tolist()


def test_tables_with_the_same_columns_do_not_share_changes() -> None:
    actions = RETURN.sheet("Actions")
    first, _ = read_table(SheetCells("returns/a.xlsx", "Actions", MIXED), actions)
    second, _ = read_table(SheetCells("returns/b.xlsx", "Actions", MIXED), actions)
    assert first is not None and second is not None
    first_frame, second_frame = _frame_of(first), _frame_of(second)
    first_frame["key"] = "changed"
    first_frame.loc[0, "theme"] = "Elsewhere"
    assert "key" not in second_frame
    assert second_frame.loc[0, "theme"] == "City Safe"
    assert list(second_frame.columns) == ["theme", "action", "timescale", "leads", "new", "row"]


# --- Columns without a frame -----------------------------------------------------------------

#: Cells of every type python-calamine gives (text, floats, yes/no, dates, times of day, dates
#: with a time, durations), with the edges of each, and ints and None, which it does not give
#: but which pandas treats differently again.
CELLS: dict[str, list[Any]] = {
    "text": ["Police", "", "  ", "\t", "0", "nan", "None", "NaT", "\x00"],
    "float": [1.5, 3.0, -0.0, 0.1, 1e308, float("nan"), float("inf"), float("-inf")],
    "int": [3, 0, -1, 2**63 - 1, 2**63, 2**64, 2**70, -(2**63), -(2**63) - 1],
    "bool": [True, False],
    "date": [datetime.date(2019, 3, 1), datetime.date(1900, 1, 1), datetime.date(9999, 12, 31)],
    "datetime": [datetime.datetime(2019, 3, 1, 12, 30), datetime.datetime(1, 1, 1, 1),
                 datetime.datetime(9999, 12, 31, 23, 59, 59, 999999)],
    "time": [datetime.time(12, 30), datetime.time(0, 0)],
    "timedelta": [datetime.timedelta(days=2), datetime.timedelta(0),
                  datetime.timedelta(days=-1, seconds=5), datetime.timedelta(days=999_999_999)],
    "none": [None],
}


def _typed(values: list[Any]) -> list[tuple[type, str]]:
    """Values with their exact types, compared by repr (so NaN equals NaN and -0.0 is not 0)."""
    return [(type(value), repr(value)) for value in values]


def _mixed_rows(rng: random.Random) -> list[list[Any]]:
    """An Actions sheet whose columns each hold one to three kinds of cell, in any order."""
    kinds = [rng.sample(sorted(CELLS), rng.choice([1, 1, 2, 3])) for _ in range(5)]
    rows: list[list[Any]] = [["Theme", "Key action", "Timescale", "Leads", "New"]]
    for _ in range(rng.randint(0, 6)):
        rows.append([rng.choice(CELLS[rng.choice(column)]) for column in kinds])
    return rows


def test_a_tables_columns_are_the_lists_its_frame_gives() -> None:
    """Table.columns is what frame[key].tolist() gave the validator, value for value and type
    for type, whether a column is kept as it was read or goes through pandas."""
    rng = random.Random(6)
    actions = RETURN.sheet("Actions")
    tables = [MIXED, MIXED[:1]] + [_mixed_rows(rng) for _ in range(1000)]
    tables += [[MIXED[0], *([[value] * 5 for value in values])] for values in CELLS.values()]
    through_pandas = 0
    for rows in tables:
        table, _ = read_table(SheetCells("returns/x.xlsx", "Actions", rows), actions)
        assert table is not None
        frame = _frame_of(table)
        assert list(table.columns) == list(frame.columns)
        for key, values in table.columns.items():
            assert _typed(values) == _typed(frame[key].tolist()), (key, rows)
            through_pandas += values is not table.cells[key]
    assert 500 < through_pandas < 5000  # both ways were taken, many times


@pytest.fixture
def awkward_cells(inputs: InputsBuilder) -> InputsBuilder:
    """Returns whose cells are not all text: real dates, times of day, numbers, yes/no."""
    inputs.returns["police.xlsx"]["Actions"] += [
        ["City Safe", 12.5, datetime.datetime(2019, 3, 1, 9, 30), "Police", True],
        ["Reoffending", "Visit.", datetime.datetime(2019, 4, 2, 17, 0), 3.0, False],
        ["City Safe", "Escort.", datetime.datetime(2030, 1, 1, 8, 0), "PCC", ""],
    ]
    inputs.returns["police.xlsx"]["Actions"][1][2] = datetime.datetime(2019, 1, 5, 10, 0)
    inputs.returns["police.xlsx"]["Actions"][2][2] = datetime.datetime(2019, 2, 5, 10, 0)
    inputs.returns["council.xlsx"]["Actions"] += [
        ["City Safe", "Light the alleys.", datetime.date(2019, 2, 1), "PCC",
         datetime.time(12, 0)],
        ["Reoffending", datetime.timedelta(hours=30), "Ongoing", "PCC, Police",
         datetime.datetime(2019, 1, 1, 12, 0)],
    ]
    return inputs


def _outcome(checked: Checked) -> list[Any]:
    frames = [(name, list(frame.columns), [str(dtype) for dtype in frame.dtypes],
               _typed(frame.astype(object).values.ravel().tolist()))
              for name, frame in vars(checked).items() if isinstance(frame, pd.DataFrame)]
    return [[(str(p), p.severity, p.code, p.fix, str(p.where)) for p in checked.problems],
            frames, checked.counts, checked.rejected]


def test_returns_with_dates_numbers_and_yes_no_check_as_they_did_through_frames(
        awkward_cells: InputsBuilder, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The validator gets the same cells, so says the same, whether each sheet's columns come
    from the lists or, as before, from a frame of the sheet: a column of dates with a time of
    day goes through pandas (it makes them Timestamps), a column of text, numbers and yes/no
    is used as it was read."""
    folder = awkward_cells.write(tmp_path)
    converted: list[tuple[str, ...]] = []
    frame = plangen.inputs.read._frame

    def spy(records: list[list[Any]], keys: tuple[str, ...]) -> pd.DataFrame:
        converted.append(keys)
        return frame(records, keys)

    monkeypatch.setattr(plangen.inputs.read, "_frame", spy)
    read = load_inputs(folder)
    police = next(book for book in read.returns if "police" in book.file).tables["Actions"]
    assert [type(value).__name__ for value in police.columns["timescale"]] == ["Timestamp"] * 5
    assert police.columns["new"] == ["Yes", "", True, False, ""]
    # Through pandas: the police's dates with a time and the council's columns holding a
    # duration or a date with a time; every other column is used as it was read.
    assert sorted(converted) == [("action",), ("new",), ("timescale",)]
    checked = check(read)
    found = {(p.where.file, cell_where(p).cell, p.code) for p in checked.problems}
    assert {("returns/police.xlsx", "D5", "unknown-lead"),  # 3.0, read as "3"
            ("returns/council.xlsx", "E4", "bad-yes/no")} <= found  # a date as yes/no
    shipped = _outcome(checked)

    monkeypatch.setattr(Table, "__post_init__", lambda self: object.__setattr__(
        self, "columns", {key: values.tolist() for key, values in _frame_of(self).items()}))
    through_frames = load_inputs(folder)
    assert [book.file for book in through_frames.returns] == [book.file for book in read.returns]
    assert _outcome(check(through_frames)) == shipped


# --- Threads ----------------------------------------------------------------------------------

def _fingerprint(read: Inputs) -> list[Any]:
    books = [read.coordinator, *read.returns]
    return [[str(p) for p in read.all_problems],
            [(book.file, sorted(book.tables), book.settings and dict(book.settings.values))
             for book in books],
            [(name, _frame_of(table).to_dict("list"), dict(table.letters), dict(table.flagged))
             for book in books for name, table in sorted(book.tables.items())]]


def test_a_folder_reads_the_same_one_workbook_at_a_time_and_in_threads(
        inputs: InputsBuilder, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for number in range(6):
        inputs.returns[f"extra-{number}.xlsx"] = partner_return("Police", [
            ["City Safe", f"Patrol the parks, part {number}.", "Ongoing", "Police", ""],
            ["Cty Safe", '=UPPER("x")', "soon", "Polise", "maybe"]])
    folder = inputs.write(tmp_path)
    write_workbook(folder / "returns" / "damaged.xlsx", {"Sheet": [["x"]]}).write_bytes(b"PK!")
    monkeypatch.setattr(plangen.inputs.read, "READ_THREADS", 4)
    monkeypatch.setattr(plangen.inputs.read, "PARALLEL_BYTES", 0)
    threaded = load_inputs(folder)
    monkeypatch.setattr(plangen.inputs.read, "PARALLEL_BYTES", 1 << 40)
    serial = load_inputs(folder)
    assert _fingerprint(threaded) == _fingerprint(serial)
    assert [book.file for book in serial.returns][:2] == ["returns/council.xlsx",
                                                          "returns/damaged.xlsx"]
