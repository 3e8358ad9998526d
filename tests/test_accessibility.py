"""The accessibility check: the shipped plan passes clean, and every rule fires on a plan broken
that way. Broken documents are the real built plan with one thing changed, as an officer might."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner
from docx import Document
from docx.document import Document as DocumentObject
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor
from lxml import etree

from plangen.accessibility.check import check_file
from plangen.accessibility.colours import contrast, font_kind
from plangen.accessibility.css import css_points, parse_css
from plangen.cli import cli
from plangen.errors import NotCheckable
from plangen.office.namespaces import W
from plangen.office.wordstyles import parse_styles
from plangen.problems import Problem, Severity

from conftest import SAMPLE_INPUTS, TEMPLATE, Sample
from docx_reading import style_name


@pytest.fixture(scope="module")
def built(sample: Sample) -> Path:
    return sample.docx


def codes(findings: list[Problem]) -> set[str]:
    return {finding.code for finding in findings}


def broken_docx(built: Path, tmp_path: Path, change: Callable[[DocumentObject], None]) -> Path:
    document = Document(str(built))
    change(document)
    path = tmp_path / "broken.docx"
    document.save(str(path))
    return path


def broken_html(built: Path, tmp_path: Path, old: str, new: str) -> Path:
    source = built.with_suffix(".html").read_text(encoding="utf-8")
    assert old in source, old
    path = tmp_path / "broken.html"
    path.write_text(source.replace(old, new, 1), encoding="utf-8")
    return path


# ------------------------------------------------------------------------------------------------
# The shipped template and page pass


def test_the_shipped_plan_passes_with_no_findings(built: Path) -> None:
    assert check_file(built) == []
    assert check_file(built.with_suffix(".html")) == []


def test_a_draft_passes_too(sample: Sample) -> None:
    output = sample.draft.outputs[0]
    assert check_file(output) == []
    assert check_file(output.with_suffix(".html")) == []


def test_the_word_template_itself_passes(tmp_path: Path) -> None:
    """Its {%p %} tag paragraphs never reach a reader, so they are not held to the rules."""
    assert check_file(TEMPLATE) == []


def test_the_build_reports_what_the_check_finds(sample: Sample) -> None:
    assert sample.result.accessibility == ()


# ------------------------------------------------------------------------------------------------
# Word: each rule fires on a document broken that way


def _no_title(document: DocumentObject) -> None:
    document.core_properties.title = ""


def _no_language(document: DocumentObject) -> None:
    for lang in list(document.styles.element.iter(qn("w:lang"))):
        lang.getparent().remove(lang)


def _skipped_heading(document: DocumentObject) -> None:
    heading = next(p for p in document.paragraphs if style_name(p) == "Heading 2")
    heading.style = document.styles["Heading 3"]


def _empty_heading(document: DocumentObject) -> None:
    glossary = next(p for p in document.paragraphs if p.text == "Glossary")
    glossary.insert_paragraph_before("", style="Heading 1")


def _header_row_not_marked(document: DocumentObject) -> None:
    tr_pr = document.tables[3].rows[0]._tr.trPr
    assert tr_pr is not None
    tr_pr.remove(tr_pr.find(qn("w:tblHeader")))


def _merged_cells(document: DocumentObject) -> None:
    table = document.tables[-1]
    table.cell(2, 0).merge(table.cell(2, 1))


def _image_without_alt(document: DocumentObject) -> None:
    for properties in document.element.body.iter(qn("wp:docPr")):
        del properties.attrib["descr"]


def _small_text(document: DocumentObject) -> None:
    document.styles["Normal"].font.size = Pt(9)


def _serif_text(document: DocumentObject) -> None:
    document.styles["Table Text"].font.name = "Times New Roman"


def _unknown_font(document: DocumentObject) -> None:
    document.styles["Normal"].font.name = "Plangen Mystery"


def _low_contrast(document: DocumentObject) -> None:
    document.styles["Normal"].font.color.rgb = RGBColor(0xAA, 0xAA, 0xAA)


def _dark_header_fill(document: DocumentObject) -> None:
    """Dark text on a dark header row: the fill comes from the table style's first-row look."""
    style = document.styles["Action Table"].element
    shading = style.find(qn("w:tblStylePr")).find(qn("w:tcPr")).find(qn("w:shd"))
    shading.set(qn("w:fill"), "00576B")


def _colour_only_marker(document: DocumentObject) -> None:
    document.styles["New Marker"].font.bold = False


def _colour_only_direct(document: DocumentObject) -> None:
    paragraph = next(p for p in document.paragraphs if p.text.startswith("27 actions"))
    run = paragraph.add_run(" (8 new)")
    run.font.color.rgb = RGBColor(0xA1, 0x12, 0x1E)


@pytest.mark.parametrize(("change", "code"), [
    (_no_title, "no-title"),
    (_no_language, "no-language"),
    (_skipped_heading, "heading-skipped"),
    (_empty_heading, "heading-empty"),
    (_header_row_not_marked, "table-header-not-repeated"),
    (_merged_cells, "table-merged-cells"),
    (_image_without_alt, "image-no-alt"),
    (_small_text, "text-too-small"),
    (_serif_text, "font-not-sans-serif"),
    (_low_contrast, "contrast-too-low"),
    (_dark_header_fill, "contrast-too-low"),
    (_colour_only_marker, "colour-only"),
    (_colour_only_direct, "colour-only"),
])
def test_each_word_rule_fires_on_a_document_broken_that_way(
        built: Path, tmp_path: Path, change: Callable[[DocumentObject], None],
        code: str) -> None:
    findings = check_file(broken_docx(built, tmp_path, change))
    assert code in codes(findings)
    for finding in findings:
        assert str(finding.where).startswith("broken.docx · ")
        assert finding.message and finding.fix
        assert finding.severity is Severity.ERROR


def test_word_findings_say_where_and_what(built: Path, tmp_path: Path) -> None:
    skipped = check_file(broken_docx(built, tmp_path, _skipped_heading))
    assert [str(f) for f in skipped if f.code == "heading-skipped"] == [
        "broken.docx · body · paragraph 8 “Actions by theme” — Heading 3 follows Heading 1 "
        "“The plan at a glance”: heading levels are skipped — Use Heading 2 here, so headings "
        "go down one level at a time."]
    low = [f for f in check_file(broken_docx(built, tmp_path, _dark_header_fill))
           if f.code == "contrast-too-low"]
    assert len(low) == 1
    assert "“Table Heading” is #1B1B1B on #00576B, a contrast of 2.1:1" in low[0].message
    assert "(and 20 more places)" in str(low[0].where)  # 7 tables x 3 headings, reported once
    small = check_file(broken_docx(built, tmp_path, _small_text))
    assert {f.message for f in small if f.code == "text-too-small"} >= {
        "body text in “Normal” is 9 pt; the minimum is 11 pt"}


def test_an_unknown_font_is_a_warning_not_an_error(built: Path, tmp_path: Path) -> None:
    findings = check_file(broken_docx(built, tmp_path, _unknown_font))
    assert codes(findings) == {"font-unknown"}
    assert all(finding.severity is Severity.WARNING for finding in findings)


def test_decorative_images_and_direct_bold_colour_pass(built: Path, tmp_path: Path) -> None:
    def change(document: DocumentObject) -> None:
        for properties in document.element.body.iter(qn("wp:docPr")):
            del properties.attrib["descr"]
            properties.append(parse_xml(
                '<a:extLst xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main">'
                '<a:ext uri="{C183D7F6-B498-43B3-948B-1728B52AA6E4}"><adec:decorative '
                'xmlns:adec="http://schemas.microsoft.com/office/drawing/2017/decorative" '
                'val="1"/></a:ext></a:extLst>'))
        paragraph = next(p for p in document.paragraphs if p.text.startswith("27 actions"))
        run = paragraph.add_run(" important")
        run.font.color.rgb = RGBColor(0xA1, 0x12, 0x1E)
        run.bold = True

    assert check_file(broken_docx(built, tmp_path, change)) == []


def test_theme_colours_and_based_on_chains_are_resolved(built: Path, tmp_path: Path) -> None:
    def change(document: DocumentObject) -> None:
        # Table Text is based on Normal: Normal's light theme colour reaches every table cell.
        color = OxmlElement("w:color")
        color.set(qn("w:val"), "000000")
        color.set(qn("w:themeColor"), "background2")  # EEECE1 in the default theme
        rpr = document.styles["Normal"].element.get_or_add_rPr()
        rpr.remove(rpr.find(qn("w:color")))
        rpr.append(color)

    findings = [f for f in check_file(broken_docx(built, tmp_path, change))
                if f.code == "contrast-too-low"]
    assert any("“Table Text” is #EEECE1 on #FFFFFF" in f.message for f in findings)


# ------------------------------------------------------------------------------------------------
# Web page: each rule fires on a page broken that way


SVG_TITLE_START = '<title id="glance-chart-title">'


@pytest.mark.parametrize(("old", "new", "code"), [
    ("<title>Preston", "<title></title><meta name=x content=\"Preston", "no-title"),
    ('<html lang="en-GB">', "<html>", "no-language"),
    ('<h2 id="glossary">Glossary</h2>', '<h1 id="glossary">Glossary</h1>', "one-h1"),
    ('<h3 id="actions-by-theme">Actions by theme</h3>',
     '<h4 id="actions-by-theme">Actions by theme</h4>', "heading-skipped"),
    ('<h2 id="glossary">Glossary</h2>', '<h2 id="glossary">Glossary</h2><h3> </h3>',
     "heading-empty"),
    ("<thead>\n<tr><th scope=\"col\">Key action", "<tbody>\n<tr><th scope=\"col\">Key action",
     "table-header-not-repeated"),
    ('<td class="number">', '<td class="number" colspan="2">', "table-merged-cells"),
    ("<figcaption>", '<img src="data:image/png;base64,iVBORw0KGgo="><figcaption>',
     "image-no-alt"),
    ('role="img"', "", "image-no-alt"),
    (SVG_TITLE_START, SVG_TITLE_START.replace("title", "desc"), "image-no-alt"),
    ("  font-size: 1.125rem;", "  font-size: 0.8rem;", "text-too-small"),
    ("<p>27 actions", '<p style="font-size: 10px">27 actions', "text-too-small"),
    ('font-family: Arial, "Liberation Sans", Helvetica, sans-serif;',
     "font-family: Georgia, serif;", "font-not-sans-serif"),
    ('font-family: Arial, "Liberation Sans", Helvetica, sans-serif;', "", "font-not-sans-serif"),
    ("  color: #1b1b1b;\n  background-color: #ffffff;",
     "  color: #949494;\n  background-color: #ffffff;", "contrast-too-low"),
    ("thead th {\n  background-color: #d7e9ee;", "thead th {\n  background-color: #00576b;",
     "contrast-too-low"),
    (".new {", ".unused {", "colour-only"),
    ("a {\n  color: #00576b;\n  text-decoration: underline;",
     "a {\n  color: #00576b;\n  text-decoration: none;", "colour-only"),
    ('<strong class="new">NEW</strong>', '<span style="color: #a1121e">NEW</span>',
     "colour-only"),
])
def test_each_page_rule_fires_on_a_page_broken_that_way(
        built: Path, tmp_path: Path, old: str, new: str, code: str) -> None:
    if code == "colour-only" and new == ".unused {":  # the NEW marker styled by colour only
        source = built.with_suffix(".html").read_text(encoding="utf-8")
        start = source.index(".new {")
        end = source.index("}", start)
        old, new = source[start:end], ".new {\n  color: #a1121e;\n"
    findings = check_file(broken_html(built, tmp_path, old, new))
    assert code in codes(findings), findings
    for finding in findings:
        assert str(finding.where).startswith("broken.html")
        assert str(finding.where).count("broken.html") == 1  # named once, then the place
        assert finding.message and finding.fix


def test_page_findings_give_the_line(built: Path, tmp_path: Path) -> None:
    page = broken_html(built, tmp_path, '<h3 id="actions-by-theme">Actions by theme</h3>',
                       '<h4 id="actions-by-theme">Actions by theme</h4>')
    line = page.read_text(encoding="utf-8").splitlines().index(
        '<h4 id="actions-by-theme">Actions by theme</h4>') + 1
    assert [str(f) for f in check_file(page)] == [
        f"broken.html · line {line} “Actions by theme” — <h4> follows <h2> “The plan at a "
        "glance”: heading levels are skipped — Use <h3> here, so headings go down one level "
        "at a time."]


# ------------------------------------------------------------------------------------------------
# The pieces


def test_contrast_is_the_wcag_ratio() -> None:
    assert contrast((0, 0, 0), (255, 255, 255)) == pytest.approx(21)
    assert contrast((0x76, 0x76, 0x76), (255, 255, 255)) == pytest.approx(4.54, abs=0.01)
    assert contrast((0x00, 0x57, 0x6B), (255, 255, 255)) > 7


def test_fonts_are_told_apart() -> None:
    assert font_kind("Arial") == font_kind("Calibri") == font_kind('"Liberation Sans"') == "sans"
    assert font_kind("Times New Roman") == font_kind("Courier New") == "other"
    assert font_kind("Noto Serif") == "other"
    assert font_kind("Corporate One", {"corporate one": "swiss"}) == "sans"
    assert font_kind("Corporate Two") == "unknown"


def test_css_is_read_with_media_blocks_and_data_urls() -> None:
    rules = parse_css("/* a } comment */\nbody { color: #111; background: url(data:x;y) #fff }"
                      "\n@media print {\n  p { font-size: 10pt; }\n}\n")
    assert [(r.selectors, dict(r.declarations), r.media, r.line) for r in rules] == [
        (("body",), {"color": "#111", "background": "url(data:x;y) #fff"}, "", 2),
        (("p",), {"font-size": "10pt"}, "@media print", 4)]
    assert css_points("1rem") == 12 and css_points("14px") == 10.5 and css_points("9pt") == 9


def test_one_styles_reader_serves_the_template_reader_and_this_check() -> None:
    root = etree.fromstring(
        f'<w:styles xmlns:w="{W}"><w:docDefaults><w:rPrDefault><w:rPr><w:lang w:val="en-GB"/>'
        '</w:rPr></w:rPrDefault></w:docDefaults>'
        '<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/>'
        '<w:rPr><w:sz w:val="24"/></w:rPr></w:style>'
        '<w:style w:type="paragraph" w:styleId="Heading2"><w:name w:val="heading 2"/>'
        '<w:basedOn w:val="Normal"/><w:pPr><w:outlineLvl w:val="1"/></w:pPr></w:style>'
        '<w:style w:type="table" w:styleId="Grid"><w:name w:val="Grid"/><w:basedOn w:val="Grid"/>'
        '<w:tcPr><w:shd w:fill="EEEEEE"/></w:tcPr><w:tblStylePr w:type="firstRow"><w:rPr><w:b/>'
        '</w:rPr></w:tblStylePr></w:style></w:styles>')
    sheet = parse_styles(root)
    heading = sheet.by_id["Heading2"]
    assert (heading.name, heading.kind, heading.based_on, heading.outline_level) == \
        ("heading 2", "paragraph", "Normal", 1)
    assert [style.style_id for style in sheet.chain("Heading2")] == ["Normal", "Heading2"]
    assert [style.style_id for style in sheet.chain("Grid")] == ["Grid"]  # a loop is cut
    assert sheet.default("paragraph") == "Normal" and sheet.default("table") == ""
    assert sheet.defaults_rpr is not None and sheet.by_id["Normal"].rpr is not None
    grid = sheet.by_id["Grid"]
    assert grid.cell_shading is not None and grid.cell_shading.get(f"{{{W}}}fill") == "EEEEEE"
    assert grid.first_row is not None
    assert sheet.name_of("Missing") == "Missing"


# ------------------------------------------------------------------------------------------------
# The command


def test_check_accessibility_exits_0_on_a_clean_plan_and_1_on_errors(
        built: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    clean = runner.invoke(cli, ["check-accessibility", str(built), str(built.with_suffix(".html"))])
    assert clean.exit_code == 0, clean.output
    assert f"{built}: no accessibility problems found." in clean.output
    broken = broken_docx(built, tmp_path, _no_title)
    result = runner.invoke(cli, ["check-accessibility", str(broken)])
    assert result.exit_code == 1
    assert ("error [no-title]: broken.docx · document properties — the document has no title"
            in result.output)


def test_check_accessibility_exits_0_on_warnings_only(built: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["check-accessibility",
                                      str(broken_docx(built, tmp_path, _unknown_font))])
    assert result.exit_code == 0
    assert "warning [font-unknown]" in result.output


def test_check_accessibility_can_answer_in_json(built: Path, tmp_path: Path) -> None:
    broken = broken_html(built, tmp_path, '<html lang="en-GB">', "<html>")
    result = CliRunner().invoke(cli, ["check-accessibility", "--format", "json", str(broken)])
    assert result.exit_code == 1
    assert json.loads(result.output) == [{
        "code": "no-language", "severity": "error", "file": "broken.html",
        "where": "broken.html · <html>",
        "location": {"kind": "document", "file": "broken.html", "place": "<html>"},
        "message": "the page's language is not set",
        "fix": 'Add lang="en-GB" to the <html> tag of the template.'}]


@pytest.mark.parametrize("name", ["plan.pdf", "plan.odt", "missing.docx"])
def test_check_accessibility_refuses_what_it_cannot_read(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    if name != "missing.docx":
        path.write_bytes(b"%PDF-1.6")
    result = CliRunner().invoke(cli, ["check-accessibility", str(path)])
    assert result.exit_code == 1
    assert "Error:" in result.output and "Traceback" not in result.output


def test_a_damaged_word_file_is_a_plain_error(tmp_path: Path) -> None:
    damaged = tmp_path / "plan.docx"
    damaged.write_bytes(b"PK\x03\x04 not really")
    with pytest.raises(NotCheckable, match="not a Word document"):
        check_file(damaged)


def test_build_lists_accessibility_findings_but_still_writes_the_plan(
        tmp_path: Path) -> None:
    template = tmp_path / "plan.docx"
    document = Document(str(TEMPLATE))
    document.styles["Normal"].font.size = Pt(9)
    document.save(str(template))
    shutil.copy(TEMPLATE.with_suffix(".html"), tmp_path / "plan.html")
    output = tmp_path / "out" / "plan.docx"
    result = CliRunner().invoke(cli, ["build", "--inputs", str(SAMPLE_INPUTS), "--template",
                                      str(template), "--output", str(output), "--html"])
    assert result.exit_code == 0, result.output
    assert output.is_file() and output.with_suffix(".html").is_file()
    assert "accessibility error [text-too-small]: plan.docx · body · paragraph" in result.output
    assert "fix the template before publishing" in result.output


def test_one_file_that_cannot_be_read_does_not_stop_the_others_being_checked(
        tmp_path: Path) -> None:
    from click.testing import CliRunner

    from plangen.cli import cli

    good = tmp_path / "plan.html"
    good.write_text('<!doctype html><html lang="en-GB"><head><title>Plan</title></head>'
                    "<body><main><h1>Plan</h1><p>Text</p></main></body></html>",
                    encoding="utf-8")
    result = CliRunner().invoke(cli, ["check-accessibility", str(tmp_path / "missing.docx"),
                                      str(good)])
    assert result.exit_code == 1
    assert "missing.docx: the file does not exist" in result.output
    assert "error [" in result.output  # the page was checked, and has findings of its own
    assert "Traceback" not in result.output
