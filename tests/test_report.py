"""Nothing lost: the returns report accounts for every row, and partner text stays text."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from plangen.build import BuildResult, build
from plangen.cli import cli
from plangen.office.cells import FORMULA_TRIGGERS

from conftest import SAMPLE_INPUTS, TEMPLATE
from workbooks import InputsBuilder

HOSTILE = ["=1+1 patrols", "+44 helpline for victims", "-2 fewer incidents", "@SUM(A1:A9)",
           "=HYPERLINK(\"http://example.org\",\"click\")"]


def table(path: Path, sheet: str) -> list[dict[str, Any]]:
    values = list(load_workbook(path)[sheet].values)
    return [dict(zip(values[0], row, strict=True)) for row in values[1:]]


def data_rows(path: Path, sheet: str) -> int:
    """Rows below the header with anything in them, counted with openpyxl, not plangen."""
    rows = list(load_workbook(path, read_only=True)[sheet].values)
    return sum(any(v not in (None, "") and str(v).strip() for v in row) for row in rows[1:])


@pytest.fixture(scope="module")
def messy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Returns with errors, a duplicate, blank rows and text a spreadsheet would run."""
    inputs = InputsBuilder()
    police = inputs.returns["police.xlsx"]
    police["Actions"] += [
        [],
        ["Cty Safe", "Patrol the moon.", "Ongoing", "Police", ""],  # rejected: theme
        [None, None, None, None, None],
        ["City Safe", "Light the alleys.", "soon", "Police", ""],  # rejected: timescale
        *(["City Safe", text, "Ongoing", "Police", ""] for text in HOSTILE),
    ]
    police["Current work"].append(["Violent Crim", "=cmd|' /C calc'!A0"])  # rejected
    council = inputs.returns["council.xlsx"]
    council["Actions"].append(  # merged into police's row 2
        ["City Safe", "Develop  City Safe to sustain community safety", "March 2019", "PCC", ""])
    council["Actions"].append(["Reoffending", "Provide co-ordinated prison release "
                               "arrangements.", "March 2019", "PCC", ""])  # conflicting
    folder = inputs.write(tmp_path_factory.mktemp("messy"))
    book = load_workbook(folder / "returns" / "police.xlsx")
    for row in book["Actions"].iter_rows():  # typed as text, as Excel stores '=1+1
        for cell in row:
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"
    for row in book["Current work"].iter_rows():
        for cell in row:
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"
    book.save(folder / "returns" / "police.xlsx")
    return folder


@pytest.fixture(scope="module")
def built(messy: Path, tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    return build(messy, TEMPLATE, tmp_path_factory.mktemp("out") / "plan.docx", draft=True)


def test_every_row_read_is_placed_merged_or_rejected_per_partner(messy: Path,
                                                                 built: BuildResult) -> None:
    summary = {row["File"]: row for row in table(built.report, "Summary")}
    for file in ("returns/police.xlsx", "returns/council.xlsx"):
        row = summary[file]
        assert row["Rows read"] == row["Placed"] + row["Merged as duplicates"] + row["Rejected"]
        path = messy / file
        assert row["Rows read"] == data_rows(path, "Actions") + data_rows(path, "Current work")
    police, council = summary["returns/police.xlsx"], summary["returns/council.xlsx"]
    assert (police["Rows read"], police["Placed"], police["Merged as duplicates"],
            police["Rejected"]) == (12, 9, 0, 3)
    assert (council["Rows read"], council["Placed"], council["Merged as duplicates"],
            council["Rejected"]) == (5, 2, 2, 1)
    totals = table(built.report, "Summary")[-1]
    assert totals["Partner"] == "All files"
    assert (totals["Rows read"], totals["Placed"], totals["Merged as duplicates"],
            totals["Rejected"]) == (17, 11, 2, 4)


def test_the_rows_sheet_gives_every_row_its_fate(built: BuildResult) -> None:
    rows = table(built.report, "Rows")
    assert len(rows) == 17
    fates = {(r["File"], r["Sheet"], r["Row"]): r for r in rows}
    merged = fates[("returns/council.xlsx", "Actions", 3)]
    assert merged["Fate"] == "merged"
    assert merged["Merged into, or why (rejected or dropped)"] == (
        "returns/police.xlsx · Actions · B2")
    rejected = fates[("returns/police.xlsx", "Actions", 5)]
    assert rejected["Fate"] == "rejected"
    assert "\"Cty Safe\" is not one of the plan's themes" in rejected[
        "Merged into, or why (rejected or dropped)"]
    conflicting = fates[("returns/council.xlsx", "Actions", 4)]
    assert conflicting["Fate"] == "rejected"
    assert "timescale" in conflicting["Merged into, or why (rejected or dropped)"]
    assert ("returns/police.xlsx", "Actions", 4) not in fates  # a blank row is not a row


def test_the_problems_sheet_lists_every_problem_with_its_cell(built: BuildResult) -> None:
    problems = table(built.report, "Problems")
    assert len(problems) == len(built.problems)
    assert {"File": "returns/police.xlsx", "Sheet": "Actions", "Cell": "C7",
            "Severity": "error", "What is wrong": '"soon" is not "Ongoing" or a month and year '
            'such as "September 2018", "Sept 2018" or "09/2018"',
            "How to fix it": 'Write "Ongoing" or the month it will be done by, e.g. "March '
            '2019".', "Code": "bad-timescale"} in problems


def test_partner_text_that_looks_like_a_formula_stays_text(built: BuildResult) -> None:
    book = load_workbook(built.report)
    seen = set()
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{sheet.title}!{cell.coordinate} is a formula"
                if isinstance(cell.value, str) and cell.value.startswith(FORMULA_TRIGGERS):
                    assert cell.data_type == "s"
                    assert cell.quotePrefix, f"{sheet.title}!{cell.coordinate}"
                    seen.add(cell.value)
    for text in [*HOSTILE, "=cmd|' /C calc'!A0"]:
        assert text in seen


def test_the_report_is_written_beside_the_plan_or_where_asked(inputs: InputsBuilder,
                                                               tmp_path: Path) -> None:
    folder = inputs.write(tmp_path / "in")
    result = build(folder, TEMPLATE, tmp_path / "out" / "plan.docx")
    assert result.outputs == (tmp_path / "out" / "plan.docx",)
    assert result.report == tmp_path / "out" / "returns-report.xlsx"
    assert result.report.is_file()
    elsewhere = tmp_path / "reports" / "2018.xlsx"
    result = build(folder, TEMPLATE, tmp_path / "out" / "plan.docx", report=elsewhere)
    assert result.report == elsewhere and elsewhere.is_file()
    assert sorted(p.name for p in elsewhere.parent.iterdir()) == ["2018.xlsx"]


def test_the_build_prints_a_one_screen_summary(tmp_path: Path) -> None:
    output = tmp_path / "plan.docx"
    result = CliRunner().invoke(cli, ["build", "--inputs", str(SAMPLE_INPUTS), "--template",
                                      str(TEMPLATE), "--output", str(output)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert len(lines) <= 24
    assert f"Wrote {output}: 5 priority pages, 7 themes, 27 actions, 30 glossary entries." \
        in lines
    assert f"Wrote {tmp_path / 'returns-report.xlsx'}: every return row's fate and every " \
        "problem." in lines
    header = next(line for line in lines if line.startswith("Partner"))
    assert header.split() == ["Partner", "Read", "Placed", "Merged", "Rejected", "Return"]
    police = next(line for line in lines if line.startswith("Police "))
    assert police.split() == ["Police", "21", "21", "0", "0", "returns/police.xlsx"]
    assert next(line for line in lines if line.startswith("All returns")).split() == [
        "All", "returns", "87", "72", "15", "0"]
    assert any(line.startswith("0 errors, ") and "run plangen validate" in line
               for line in lines)
