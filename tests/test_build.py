"""Building the shipped sample, through the front door, and reading the .docx back."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from openpyxl import load_workbook

from plangen.build import build
from plangen.inputs.months import parse_timescale
from plangen.inputs.values import clean_text, parse_yes_no, split_leads

from conftest import REFERENCE, SAMPLE_INPUTS, TEMPLATE, Sample
from docx_reading import Section, all_text, outline, part, rows, style_name


@pytest.fixture(scope="module")
def sample_plan(sample: Sample) -> Path:
    return sample.docx


@pytest.fixture(scope="module")
def document(sample_plan: Path) -> Section:
    return outline(sample_plan)


def sheet_rows(path: Path, sheet: str) -> list[dict[str, object]]:
    """A sheet's rows as header -> value, read independently of plangen (openpyxl)."""
    values = list(load_workbook(path, read_only=True)[sheet].values)
    header = [str(h) for h in values[0]]
    return [dict(zip(header, row, strict=False)) for row in values[1:]
            if any(v not in (None, "") for v in row)]


def norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def theme_table(document: Section, theme: str) -> list[list[str]]:
    section = document.child("Action plan").child(theme)
    assert len(section.tables) == 1
    return rows(section.tables[0])


def test_every_return_action_is_in_its_themes_table_with_timescale_leads_and_new(
        document: Section) -> None:
    for path in sorted((SAMPLE_INPUTS / "returns").glob("*.xlsx")):
        for action in sheet_rows(path, "Actions"):
            table = theme_table(document, str(action["Theme"]))
            assert table[0] == ["Key actions", "Timescale", "Leads"]
            text = clean_text(action["Key action"])
            found = [row for row in table[1:] if norm(row[0]).removesuffix(" NEW").casefold()
                     .replace("’", "'") == text.casefold().replace("’", "'")]
            assert len(found) == 1, f"{path.name}: {text!r} not found once"
            cells = found[0]
            if parse_yes_no(action["New"] or ""):  # merged copies are NEW if any sender says so
                assert cells[0].endswith(" NEW")
            assert cells[1] == parse_timescale(action["Timescale"]).text
            for lead in split_leads(action["Leads"], {"police", "pcc", "bid", "csc"}):
                assert lead.rstrip(".").casefold() in cells[2].casefold()


def test_every_priority_page_has_its_statistics_aims_work_and_commitments(
        document: Section) -> None:
    plan_xlsx = SAMPLE_INPUTS / "plan.xlsx"
    titles = {row["Priority"]: str(row["Page title"] or row["Priority"])
              for row in sheet_rows(plan_xlsx, "Priorities")}
    pages = [c.heading for c in document.children if c.heading in titles.values()]
    assert pages == list(titles.values())
    for row in sheet_rows(plan_xlsx, "Statistics"):
        page = document.child(titles[row["Priority"]])
        table = rows(page.tables[0])
        assert table[0] == ["Headline statistic", "What the data shows"]
        box = [cells for cells in table[1:] if cells[0] == row["Statistic"]]
        assert box and clean_text(row["Fact"]) in box[0][1].splitlines()
    for sheet, heading, column in (("Aims", "What we want to achieve", "Aim"),
                                   ("Commitments", "What we will do", "Commitment")):
        for row in sheet_rows(plan_xlsx, sheet):
            section = document.child(titles[row["Priority"]]).child(heading)
            assert clean_text(row[column]) in section.texts
    for path in (SAMPLE_INPUTS / "returns").glob("*.xlsx"):
        for row in sheet_rows(path, "Current work"):
            section = document.child(titles[row["Priority"]]).child("What we do now")
            assert clean_text(row["Initiative"]) in section.texts


def test_the_glossary_is_a_two_column_alphabetical_table_of_every_entry(
        document: Section) -> None:
    entries = [(clean_text(r["Acronym"]), clean_text(r["Meaning"]))
               for r in sheet_rows(SAMPLE_INPUTS / "plan.xlsx", "Glossary")]
    table = rows(document.child("Glossary").tables[0])
    assert table[0] == ["Acronym", "Meaning"]
    assert [tuple(r) for r in table[1:]] == sorted(entries, key=lambda e: e[0].casefold())
    assert len(entries) == 30


def test_the_sample_reproduces_every_fragment_of_the_reference_plan(sample_plan: Path) -> None:
    def fold(text: str) -> str:
        return norm(re.sub(r"[/,.]", " ", text.replace("’", "'"))).casefold()

    document = fold(all_text(sample_plan))
    # An empty "Priorities:" line (Anti-Social Behaviour) is left out of the plan on purpose.
    layout = {"", "Priorities:"}
    fragments = [fragment.strip().replace("Priorities :", "Priorities:")
                 for line in REFERENCE.read_text(encoding="utf-8").splitlines()
                 for fragment in re.split(r"\s{2,}|\uf0b7", line)]
    fragments = [fragment for fragment in fragments if fragment not in layout]
    assert len(fragments) > 350
    assert [fragment for fragment in fragments if fold(fragment) not in document] == []


def test_all_27_actions_in_7_themes_with_new_markers(document: Section) -> None:
    themes = document.child("Action plan").children
    assert [t.heading for t in themes] == [
        "City Safe", "Serious and Organised Crime", "Early Intervention", "Sexual Offences",
        "Domestic Abuse", "Anti-Social Behaviour", "Reoffending"]
    counts = [len(rows(t.tables[0])) - 1 for t in themes]
    assert counts == [5, 5, 1, 4, 4, 3, 5]
    new = sum(row[0].endswith(" NEW") for t in themes for row in rows(t.tables[0])[1:])
    assert new == 8


def test_theme_priorities_lines_are_shown_as_written(document: Section) -> None:
    city_safe = document.child("Action plan").child("City Safe")
    assert ("Priorities: Early Intervention, Violent Crime, Sexual Offending (including CSE), "
            "Anti-Social Behaviour, Business Crime.") in city_safe.texts
    asb = document.child("Action plan").child("Anti-Social Behaviour")
    assert not any(text.startswith("Priorities") for text in asb.texts)


def test_uneven_lead_separators_come_out_as_one_clean_list(document: Section) -> None:
    table = theme_table(document, "Serious and Organised Crime")
    leads = [row[2] for row in table[1:]]
    assert "Police, CSC, Forum members" in leads
    assert "LCSC, Police, Probation Services, YOT" in leads


def test_the_intro_names_the_evidence_sources(sample_plan: Path) -> None:
    assert ("This Partnership Plan is written in consultation with partners and based on data "
            "provided by the Lancashire Strategic Assessment 2016 and its corresponding Preston "
            "District Local Profile") in norm(all_text(sample_plan))


def test_two_builds_of_the_same_inputs_give_the_same_document(sample_plan: Path,
                                                              tmp_path: Path) -> None:
    again = tmp_path / "again.docx"
    build(SAMPLE_INPUTS, TEMPLATE, again)
    assert part(again) == part(sample_plan)


def test_every_table_header_row_repeats_on_each_page(sample_plan: Path) -> None:
    from docx import Document
    from docx.oxml.ns import qn

    tables = Document(str(sample_plan)).tables
    assert len(tables) == 2 + 5 + 7 + 1  # at a glance, statistics, themes, glossary
    for table in tables:
        first = table.rows[0]._tr
        assert first.trPr is not None and first.trPr.find(qn("w:tblHeader")) is not None


def test_the_plan_uses_named_styles_not_direct_formatting(sample_plan: Path) -> None:
    from docx import Document

    document = Document(str(sample_plan))
    assert [style_name(t) for t in document.tables] == (
        ["Summary Table"] * 2 + ["Statistic Table"] * 5 + ["Action Table"] * 7
        + ["Glossary Table"])
    headings = [p.text for p in document.paragraphs if style_name(p) == "Heading 1"]
    assert headings == ["The plan at a glance", "Violent crime", "Domestic Abuse",
                        "Sexual Offences (including child sexual exploitation)",
                        "Anti-social Behaviour", "Re-offending", "Action plan", "Glossary"]
    for paragraph in document.paragraphs:
        for run in paragraph.runs:
            assert run.bold is None and run.font.size is None and run.font.color.rgb is None


def test_the_plan_at_a_glance_counts_actions_per_theme_and_the_busiest_leads(
        document: Section) -> None:
    glance = document.child("The plan at a glance")
    assert "27 actions across 7 themes, 8 of them new this year." in glance.texts
    by_theme = rows(glance.child("Actions by theme").tables[0])
    assert by_theme[0] == ["Theme", "Actions", "New"]
    assert by_theme[1:] == [["City Safe", "5", "1"], ["Serious and Organised Crime", "5", "1"],
                            ["Early Intervention", "1", "1"], ["Sexual Offences", "4", "1"],
                            ["Domestic Abuse", "4", "2"], ["Anti-Social Behaviour", "3", "0"],
                            ["Reoffending", "5", "2"]]
    leads = rows(glance.child("Leads most involved").tables[0])
    assert leads[0] == ["Lead", "Actions"]
    assert leads[1] == ["Police", "12"]
    assert len(leads) == 1 + 8
