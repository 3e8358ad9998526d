"""An officer's restyling of the template survives every build.

The template is changed the way an officer would in Word (here with python-docx): fonts,
colours, the Action Table style, a logo with alt text, header and footer fields, new styles,
sections moved, and a new sentence with a field. The built plan keeps all of it.
"""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

import pytest
from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Pt, RGBColor
from lxml import etree

from plangen.build import build
from plangen.template.check import check_template

from conftest import SAMPLE_INPUTS, TEMPLATE
from docx_reading import outline, part, style_name
from template_editing import w

LOGO_ALT = "Preston Community Safety Partnership logo"


def png(width: int = 60, height: int = 24) -> bytes:
    """A small solid teal PNG, written by hand so the test needs no imaging library."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    rows = b"".join(b"\x00" + bytes([0x00, 0x57, 0x6B]) * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n"
            + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def field(instruction: str) -> list[str]:
    """The runs of a Word field, as Word writes it (begin, code, separate, result, end)."""
    return [f'<w:r {nsdecls("w")}><w:fldChar w:fldCharType="begin"/></w:r>',
            f'<w:r {nsdecls("w")}><w:instrText xml:space="preserve"> {instruction} </w:instrText>'
            "</w:r>",
            f'<w:r {nsdecls("w")}><w:fldChar w:fldCharType="separate"/></w:r>',
            f'<w:r {nsdecls("w")}><w:t>1</w:t></w:r>',
            f'<w:r {nsdecls("w")}><w:fldChar w:fldCharType="end"/></w:r>']


def restyle(source: Path, target: Path, logo: Path) -> None:
    document = Document(str(source))
    styles = document.styles

    # Fonts and colours, through the styles.
    styles["Normal"].font.name = "Verdana"
    styles["Heading 1"].font.color.rgb = RGBColor(0x8B, 0x00, 0x00)
    styles["Heading 1"].font.size = Pt(24)

    # The Action Table style: another header shading and border colour.
    action_table = styles["Action Table"].element
    for shading in action_table.iter(qn("w:shd")):
        shading.set(qn("w:fill"), "FFE699")
    for border in action_table.find(qn("w:tblPr")).find(qn("w:tblBorders")):
        border.set(qn("w:color"), "7F6000")

    # New styles, one of them used by a new paragraph that holds a field.
    note = styles.add_style("Officer Note", WD_STYLE_TYPE.PARAGRAPH)
    note.base_style = styles["Normal"]
    note.font.italic = True
    note.font.color.rgb = RGBColor(0x00, 0x57, 0x6B)
    styles.add_style("Key Term", WD_STYLE_TYPE.CHARACTER).font.bold = True
    intro = next(p for p in document.paragraphs if style_name(p) == "Intro Text")
    sentence = document.add_paragraph("This plan covers ", style="Officer Note")
    sentence.add_run("{{ area }}", style="Key Term")
    sentence.add_run(".")
    intro._p.addnext(sentence._p)

    # A logo with alt text, at the very top.
    document.add_picture(str(logo), width=Cm(4))
    picture = document.paragraphs[-1]
    picture._p.find(".//" + qn("wp:docPr")).set("descr", LOGO_ALT)
    document.element.body.insert(0, picture._p)

    # Header and footer: a date field above, a page field below.
    section = document.sections[0]
    dated = section.header.add_paragraph("Printed ", style="Header")
    for xml in field("DATE \\@ \"d MMMM yyyy\""):
        dated._p.append(parse_xml(xml))
    paged = section.footer.add_paragraph("Page ", style="Footer")
    paged._p.append(parse_xml(f'<w:fldSimple {nsdecls("w")} w:instr=" PAGE ">'
                              "<w:r><w:t>1</w:t></w:r></w:fldSimple>"))

    # Sections reordered: the glossary moves before the action plan.
    paragraphs = {p.text: p for p in document.paragraphs if style_name(p) == "Heading 1"}
    glossary, action_plan = paragraphs["Glossary"], paragraphs["Action plan"]
    glossary_table = glossary._p.getnext()
    action_plan._p.addprevious(glossary._p)
    action_plan._p.addprevious(glossary_table)
    document.save(str(target))


@pytest.fixture(scope="module")
def restyled(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("restyled")
    logo = folder / "logo.png"
    logo.write_bytes(png())
    template = folder / "plan.docx"
    restyle(TEMPLATE, template, logo)
    output = folder / "out" / "plan.docx"
    build(SAMPLE_INPUTS, template, output)
    return template, output


def styles_of(path: Path) -> dict[str, etree._Element]:
    root = etree.fromstring(part(path, "word/styles.xml"))
    return {style.find(w("name")).get(w("val")): style for style in root.iter(w("style"))}


def test_the_restyled_template_passes_check_template(restyled: tuple[Path, Path]) -> None:
    assert check_template(restyled[0]) == []


def test_changed_fonts_colours_and_table_style_reach_the_plan(
        restyled: tuple[Path, Path]) -> None:
    styles = styles_of(restyled[1])
    assert styles["Normal"].find(f"{w('rPr')}/{w('rFonts')}").get(w("ascii")) == "Verdana"
    heading = styles["heading 1"].find(w("rPr"))
    assert heading.find(w("color")).get(w("val")) == "8B0000"
    assert heading.find(w("sz")).get(w("val")) == "48"
    action_table = styles["Action Table"]
    assert {s.get(w("fill")) for s in action_table.iter(w("shd"))} == {"FFE699"}
    assert {b.get(w("color")) for b in action_table.find(f"{w('tblPr')}/{w('tblBorders')}")} == {
        "7F6000"}
    document = Document(str(restyled[1]))
    assert [style_name(t) for t in document.tables].count("Action Table") == 7


def test_new_styles_and_a_new_sentence_with_a_field_reach_the_plan(
        restyled: tuple[Path, Path]) -> None:
    styles = styles_of(restyled[1])
    assert "Officer Note" in styles and "Key Term" in styles
    document = Document(str(restyled[1]))
    [sentence] = [p for p in document.paragraphs if style_name(p) == "Officer Note"]
    assert sentence.text == "This plan covers Preston."
    assert [run.style.name for run in sentence.runs] == [
        "Default Paragraph Font", "Key Term", "Default Paragraph Font"]
    intro = next(p for p in document.paragraphs if style_name(p) == "Intro Text")
    assert intro._p.getnext() is sentence._p


def test_the_logo_keeps_its_place_image_and_alt_text(restyled: tuple[Path, Path]) -> None:
    document = Document(str(restyled[1]))
    logo, _chart = document.inline_shapes  # the chart at a glance comes later in the plan
    shape = logo
    first = document.element.body[0]
    assert first.find(".//" + qn("wp:docPr")).get("descr") == LOGO_ALT
    image = document.part.related_parts[shape._inline.graphic.graphicData.pic.blipFill.blip.embed]
    assert image.blob == png()


def test_header_and_footer_fields_survive(restyled: tuple[Path, Path]) -> None:
    header = part(restyled[1], "word/header1.xml").decode()
    footer = part(restyled[1], "word/footer1.xml").decode()
    assert 'DATE \\@ "d MMMM yyyy"' in header and "Printed " in header
    assert 'w:instr=" PAGE "' in footer
    assert "NUMPAGES" in footer  # the template's own field is still there
    assert "Preston Community Safety Partnership Plan 2018 to 2019" in footer


def test_reordered_sections_come_out_in_the_new_order(restyled: tuple[Path, Path]) -> None:
    headings = [section.heading for section in outline(restyled[1]).children]
    assert headings.index("Glossary") == headings.index("Action plan") - 1
    glossary = outline(restyled[1]).child("Glossary")
    assert len(glossary.tables) == 1 and len(glossary.tables[0].rows) == 31
