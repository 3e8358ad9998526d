"""The web page: the same plan as the Word document, built to be read by anyone."""

from __future__ import annotations

import re
import shutil
from itertools import pairwise
from pathlib import Path

import pytest
from lxml import html as lxml_html

from plangen.accessibility.check import check_file
from plangen.build import build
from plangen.errors import TemplateError
from plangen.outputs.web import render_page
from test_escaping import AWKWARD

from conftest import ROOT, SAMPLE_INPUTS, TEMPLATE, Sample
from docx_reading import outline, rows
from workbooks import InputsBuilder

HTML_TEMPLATE = ROOT / "templates" / "plan.html"


@pytest.fixture(scope="module")
def built(sample: Sample) -> Path:
    return sample.docx


@pytest.fixture(scope="module")
def page(built: Path) -> lxml_html.HtmlElement:
    return lxml_html.document_fromstring(built.with_suffix(".html").read_bytes())


def text(element: lxml_html.HtmlElement) -> str:
    return " ".join(element.text_content().split())


def test_the_page_has_a_language_a_title_and_a_skip_link_to_the_main_content(
        page: lxml_html.HtmlElement) -> None:
    assert page.get("lang") == "en-GB"
    assert text(page.find("head/title")) == "Preston Community Safety Partnership Plan 2018 to 2019"
    first_link = page.find(".//body").xpath(".//a|.//button|.//*[@tabindex]")[0]
    assert first_link.get("class") == "skip-link"
    assert first_link.get("href") == "#main"
    assert page.xpath("//main[@id='main']")


def test_headings_run_from_one_h1_in_the_same_order_as_the_word_document(
        page: lxml_html.HtmlElement, built: Path) -> None:
    headings = [(int(h.tag[1]), text(h)) for h in page.xpath("//h1|//h2|//h3|//h4|//h5|//h6")]
    assert [level for level, _ in headings].count(1) == 1
    assert headings[0] == (1, "Preston Community Safety Partnership Plan 2018 to 2019")
    for (before, _), (after, _) in pairwise(headings):
        assert after <= before + 1
    word = [(1 + section.level, section.heading) for top in outline(built).children
            for section in (top, *top.children)]
    assert [h for h in headings if h[1] != "Contents"][1:] == word


def test_every_action_is_a_row_with_its_theme_caption_and_headers(
        page: lxml_html.HtmlElement, built: Path) -> None:
    action_plan = outline(built).child("Action plan")
    section = page.xpath("//section[@aria-labelledby='action-plan']")[0]
    tables = section.findall(".//table")
    assert len(tables) == len(action_plan.children) == 7
    for table, theme in zip(tables, action_plan.children, strict=True):
        assert text(table.find("caption")) == f"Key actions: {theme.heading}"
        assert [(th.get("scope"), text(th)) for th in table.findall("thead/tr/th")] == [
            ("col", "Key action"), ("col", "Timescale"), ("col", "Leads")]
        body = [[text(cell) for cell in tr] for tr in table.findall("tbody/tr")]
        assert body == rows(theme.tables[0])[1:]  # NEW included, as text
        for tr in table.findall("tbody/tr"):
            assert tr[0].tag == "th" and tr[0].get("scope") == "row"
        region = table.getparent()
        assert region.get("role") == "region" and region.get("tabindex") == "0"
        assert region.get("aria-labelledby") == table.find("caption").get("id")


def test_new_actions_are_marked_in_words_not_colour(page: lxml_html.HtmlElement) -> None:
    markers = page.xpath("//tbody//strong[@class='new']")
    assert len(markers) == 8
    assert {text(marker) for marker in markers} == {"NEW"}


def test_the_glance_chart_is_inline_svg_with_alt_text_beside_the_same_figures(
        page: lxml_html.HtmlElement) -> None:
    section = page.xpath("//section[@aria-labelledby='at-a-glance']")[0]
    svg = section.find(".//figure/svg")
    assert svg is not None and svg.get("role") == "img"
    alt = text(svg.find("title"))
    table = section.find(".//table")
    assert text(table.find("caption")) == "Actions by theme"
    figures = [[text(cell) for cell in tr] for tr in table.findall("tbody/tr")]
    assert figures[0] == ["City Safe", "5", "1"]
    for theme, actions, new in figures:
        assert f"{theme} {actions} ({new if new != '0' else 'none'} new)" in alt
    assert "27 actions across 7 themes, 8 of them new this year." in text(section)


def test_the_page_is_one_self_contained_file(built: Path,
                                             page: lxml_html.HtmlElement) -> None:
    assert not page.xpath("//script|//link[@rel='stylesheet']|//iframe|//object")
    for attribute in ("src", "href"):
        for value in page.xpath(f"//@{attribute}"):
            assert value.startswith(("#", "data:")), value
    source = built.with_suffix(".html").read_text(encoding="utf-8")
    assert "@import" not in source
    assert re.findall(r"url\((?!#)", source) == []  # only the chart's own pattern
    targets = set(page.xpath("//@id"))
    for link in page.xpath("//a/@href"):
        assert link[1:] in targets, link


def test_the_page_has_phone_and_print_styles(built: Path) -> None:
    source = built.with_suffix(".html").read_text(encoding="utf-8")
    assert 'name="viewport" content="width=device-width, initial-scale=1"' in source
    assert "@media (max-width:" in source and "@media print" in source


def test_the_shipped_page_passes_the_accessibility_check(built: Path) -> None:
    assert check_file(built.with_suffix(".html")) == []


def test_a_draft_says_so_at_the_top_and_lists_what_was_left_out(
        built: Path, tmp_path: Path) -> None:
    from plangen.inputs.merge import place
    from plangen.inputs.validate import validate

    plan = place(validate(SAMPLE_INPUTS)).plan
    output = tmp_path / "draft.html"
    output.write_text(render_page(
        plan, HTML_TEMPLATE, draft=True,
        left_out=["returns/police.xlsx · Actions · A4 — “Cty Safe” & <b>x</b>"]), encoding="utf-8")
    page = lxml_html.document_fromstring(output.read_bytes())
    assert text(page.find(".//body/p")) == "DRAFT — not for publication"
    assert text(page.find("head/title")).endswith("(DRAFT)")
    left_out = page.xpath("//section[@aria-labelledby='left-out']")[0]
    assert "returns/police.xlsx · Actions · A4 — “Cty Safe” & <b>x</b>" in text(left_out)
    assert check_file(output) == []
    assert "DRAFT" not in built.with_suffix(".html").read_text(encoding="utf-8")


def test_awkward_partner_text_is_escaped_in_the_page(inputs: InputsBuilder,
                                                     tmp_path: Path) -> None:
    for value in AWKWARD:
        inputs.returns["police.xlsx"]["Actions"].append(["City Safe", value, "Ongoing",
                                                         "Police", ""])
    output = tmp_path / "plan.docx"
    build(inputs.write(tmp_path / "in"), TEMPLATE, output, html=True)
    page = lxml_html.document_fromstring(output.with_suffix(".html").read_bytes())
    cells = [text(th) for th in page.xpath("//tbody/tr/th[@scope='row']")]
    for value in AWKWARD:
        assert " ".join(value.split()) in cells
    assert not page.xpath("//tbody//b")  # "<b>bold</b>" stayed text


@pytest.mark.parametrize(("old", "new", "message"), [
    ("<title>{{ full_title }}", "<title>{{ full_titel }}",
     "a tag names something the plan does not have: 'full_titel' is undefined"),
    ("{% for priority in priorities %}", "{% for priority in %}", "a tag is written wrongly"),
])
def test_a_broken_page_template_is_a_plain_error_with_its_line_and_nothing_is_written(
        tmp_path: Path, old: str, new: str, message: str) -> None:
    source = HTML_TEMPLATE.read_text(encoding="utf-8")
    line = source[:source.index(old)].count("\n") + 1
    template = tmp_path / "plan.html"
    template.write_text(source.replace(old, new, 1), encoding="utf-8")
    shutil.copy(TEMPLATE, tmp_path / "plan.docx")
    output = tmp_path / "out" / "plan.docx"
    with pytest.raises(TemplateError) as raised:
        build(SAMPLE_INPUTS, tmp_path / "plan.docx", output, html=True)
    assert str(raised.value).startswith(f"{template}, line {line}: {message}")
    assert not output.exists() and not output.with_suffix(".html").exists()


def test_a_missing_page_template_is_a_plain_error(tmp_path: Path) -> None:
    with pytest.raises(TemplateError, match="the web page template does not exist"):
        build(SAMPLE_INPUTS, TEMPLATE, tmp_path / "plan.docx", html=True,
              html_template=tmp_path / "none.html")
