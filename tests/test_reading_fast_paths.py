"""The reader's fast paths give what the general ones give: formulas found by a quicker
search, frames built from lists, small folders read without threads."""

from __future__ import annotations

import datetime
import random
import re
import zipfile
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

import plangen.read
from plangen.read import Inputs, load_inputs, read_table
from plangen.schema import RETURN
from plangen.sheetxml import _FORMULA_TAG, _has_formula

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
    found = [(p.where.cell, p.code) for p in book.problems]
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
    table, problems = read_table(rows, "returns/x.xlsx", "Actions", actions)
    assert table is not None and not problems
    expected = _from_dicts(rows)
    pd.testing.assert_frame_equal(table.frame, expected)
    assert list(table.frame.dtypes) == list(expected.dtypes)
    assert table.frame.astype(object).values.tolist() == expected.astype(object).values.tolist()


def test_tables_with_the_same_columns_do_not_share_changes() -> None:
    actions = RETURN.sheet("Actions")
    first, _ = read_table(MIXED, "returns/a.xlsx", "Actions", actions)
    second, _ = read_table(MIXED, "returns/b.xlsx", "Actions", actions)
    assert first is not None and second is not None
    first.frame["key"] = "changed"
    first.frame.loc[0, "theme"] = "Elsewhere"
    assert "key" not in second.frame
    assert second.frame.loc[0, "theme"] == "City Safe"
    assert list(second.frame.columns) == ["theme", "action", "timescale", "leads", "new", "row"]


# --- Threads ----------------------------------------------------------------------------------

def _fingerprint(read: Inputs) -> list[Any]:
    books = [read.coordinator, *read.returns]
    return [[str(p) for p in read.all_problems],
            [(book.file, sorted(book.tables), book.settings and dict(book.settings.values))
             for book in books],
            [(name, table.frame.to_dict("list"), dict(table.letters), dict(table.flagged))
             for book in books for name, table in sorted(book.tables.items())]]


def test_a_folder_reads_the_same_one_workbook_at_a_time_and_in_threads(
        inputs: InputsBuilder, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for number in range(6):
        inputs.returns[f"extra-{number}.xlsx"] = partner_return("Police", [
            ["City Safe", f"Patrol the parks, part {number}.", "Ongoing", "Police", ""],
            ["Cty Safe", '=UPPER("x")', "soon", "Polise", "maybe"]])
    folder = inputs.write(tmp_path)
    write_workbook(folder / "returns" / "damaged.xlsx", {"Sheet": [["x"]]}).write_bytes(b"PK!")
    monkeypatch.setattr(plangen.read, "READ_THREADS", 4)
    monkeypatch.setattr(plangen.read, "PARALLEL_BYTES", 0)
    threaded = load_inputs(folder)
    monkeypatch.setattr(plangen.read, "PARALLEL_BYTES", 1 << 40)
    serial = load_inputs(folder)
    assert _fingerprint(threaded) == _fingerprint(serial)
    assert [book.file for book in serial.returns][:2] == ["returns/council.xlsx",
                                                          "returns/damaged.xlsx"]
