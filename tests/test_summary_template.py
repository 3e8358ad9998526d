"""The plan on a page: a second layout of the same plan model, built by `make summary`."""

from __future__ import annotations

import re
import subprocess
import uuid
from pathlib import Path

import pytest
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn

from plangen.build import build
from plangen.inputs.months import parse_timescale
from plangen.inputs.values import clean_text, parse_yes_no
from plangen.template.check import check_template
from test_build import sheet_rows

from conftest import ROOT, SAMPLE_INPUTS, need_program
from docx_reading import Section, header_footer_text, outline, rows

SUMMARY = ROOT / "templates" / "plan-on-a-page.docx"


@pytest.fixture(scope="module")
def summary(tmp_path_factory: pytest.TempPathFactory) -> Path:
    output = tmp_path_factory.mktemp("summary") / "plan-on-a-page.docx"
    build(SAMPLE_INPUTS, SUMMARY, output)
    return output


@pytest.fixture(scope="module")
def document(summary: Path) -> Section:
    return outline(summary)


def test_the_summary_template_passes_check_template() -> None:
    assert check_template(SUMMARY) == []


def test_make_summary_builds_it_from_the_inputs() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "summary: outputs/plan-on-a-page.docx" in makefile
    assert "--template templates/plan-on-a-page.docx --output $@" in makefile


def test_it_opens_with_the_partnership_and_the_figures(document: Section, summary: Path) -> None:
    first = Document(str(summary)).paragraphs[:3]
    assert [p.text for p in first] == [
        "Preston Community Safety Partnership Plan 2018 to 2019",
        "The plan on a page",
        "April 2018 to March 2019. 27 actions across 7 themes, 8 of them new this year, led by "
        "22 partners."]
    assert [c.heading for c in document.children] == [
        "At a glance", "Our priorities", "What we will do"]
    glance = document.child("At a glance")
    assert rows(glance.tables[0])[1:] == [
        ["City Safe", "5", "1"], ["Serious and Organised Crime", "5", "1"],
        ["Early Intervention", "1", "1"], ["Sexual Offences", "4", "1"],
        ["Domestic Abuse", "4", "2"], ["Anti-Social Behaviour", "3", "0"],
        ["Reoffending", "5", "2"]]
    leads = glance.child("Leads most involved").texts[0]
    assert leads.startswith("Police (12), ") and leads.endswith(".") and leads.count("(") == 8


def test_every_priority_comes_with_its_aims(document: Section) -> None:
    plan_xlsx = SAMPLE_INPUTS / "plan.xlsx"
    names = [row["Priority"] for row in sheet_rows(plan_xlsx, "Priorities")]
    priorities = document.child("Our priorities")
    assert [c.heading for c in priorities.children] == names
    for row in sheet_rows(plan_xlsx, "Aims"):
        assert clean_text(row["Aim"]) in priorities.child(str(row["Priority"])).texts


def test_every_action_is_listed_under_its_theme_with_timescale_leads_and_new(
        document: Section) -> None:
    themes = document.child("What we will do")
    listed = 0
    for path in sorted((SAMPLE_INPUTS / "returns").glob("*.xlsx")):
        for action in sheet_rows(path, "Actions"):
            bullets = themes.child(str(action["Theme"])).texts
            text = clean_text(action["Key action"]).replace("'", "’").casefold()
            found = [b for b in bullets  # merged copies keep one sender's capitals
                     if b.replace("'", "’").casefold().startswith(text + " (")]
            assert len(found) == 1, text
            assert f"({parse_timescale(action['Timescale']).text}; " in found[0]
            if parse_yes_no(action["New"] or ""):
                assert found[0].endswith(") NEW")
            listed += 1
    assert listed >= 27
    assert sum(len(c.texts) for c in themes.children) == 27 + 6  # actions + Priorities: lines


def test_it_is_landscape_in_three_columns_with_the_plan_footer(summary: Path) -> None:
    document = Document(str(summary))
    assert {s.orientation for s in document.sections} == {WD_ORIENT.LANDSCAPE}
    columns = document.sections[-1]._sectPr.find(qn("w:cols"))
    assert columns is not None and columns.get(qn("w:num")) == "3"
    assert ("Preston Community Safety Partnership Plan 2018 to 2019 · the plan on a page"
            in header_footer_text(summary))
    assert "DRAFT" not in header_footer_text(summary)


def test_it_fits_on_two_pages(summary: Path, tmp_path: Path) -> None:
    soffice = need_program("soffice", "libreoffice")  # fails rather than skips in CI
    profile = tmp_path / f"lo-{uuid.uuid4().hex}"
    subprocess.run([soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), str(summary)],
                   check=True, capture_output=True, timeout=180)
    pdf = (tmp_path / "plan-on-a-page.pdf").read_bytes()
    assert len(re.findall(rb"/Type\s*/Page(?!s)", pdf)) in (1, 2)


def test_the_plan_on_a_page_passes_the_accessibility_check(summary: Path) -> None:
    from plangen.accessibility.check import check_file

    assert [str(finding) for finding in check_file(summary)] == []
