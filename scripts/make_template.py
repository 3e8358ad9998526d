"""Build templates/plan.docx, the docxtpl template of the partnership plan.

The .docx is the source of truth: policy officers edit it in Word or LibreOffice. This script is
kept to show how it was first made and to rebuild it from scratch if ever needed; once officers
have edited the template, do NOT re-run it over their copy.

Every look is carried by a named style (paragraph, character or table style), never by direct
formatting in the body, so the whole document can be restyled from the Styles pane:

    Paragraph  Normal, Title, Cover Partnership, Subtitle, Intro Text, TOC Heading, TOC 1,
               Heading 1, Heading 2, List Bullet, Chart, Statistic Heading, Statistic Fact,
               Theme Priorities, Table Heading, Table Text, Header, Footer, Draft Marker,
               Template Tag
    Character  New Marker
    Table      Summary Table, Statistic Table, Action Table, Glossary Table

The template reads the plan model (src/plangen/model.py) under these names: partnership, area,
title, introduction, period, sources, priorities, themes, glossary, partners; and full_title,
glance, glance_chart (the chart image, with its alt text), draft, left_out. The title, the
partnership and the introduction are printed as the coordinator typed them: nothing is added to
the title, and the partnership is left out wherever the title already names it.

docxtpl rules kept here:
- `{%p ... %}` and `{%tr ... %}` tags sit alone in their own paragraph / table row (the row's first
  cell); docxtpl replaces that whole paragraph or row by the bare Jinja tag. Those paragraphs use
  the "Template Tag" style so officers can tell logic from content; it never reaches the output.
- `{%r ... %}` tags sit alone in their own run; docxtpl removes the run. The NEW marker is done this
  way so the rendered cell holds only the action text and, when new, a " NEW" run in the
  "New Marker" character style, with no empty runs left behind.
- Every tag is written as a single run (code-made, so Word's run splitting cannot break it).
- No manual page breaks: "Heading 1" has page-break-before in the style.
- The contents list is a real TOC field of the Heading 1 paragraphs, marked dirty so Word
  refreshes it on opening; plangen's PDF export updates it with page numbers.

Usage:  python scripts/make_template.py [OUTPUT]   (default: templates/plan.docx)
"""

from __future__ import annotations

import sys
from pathlib import Path

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Cm, Emu, Pt, RGBColor
from docx.styles.style import BaseStyle, ParagraphStyle
from docx.table import Table, _Cell, _Row
from docx.text.paragraph import Paragraph

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUTPUT = ROOT / "templates" / "plan.docx"

FONT = "Arial"
LANGUAGE = "en-GB"
TEXT = RGBColor(0x1B, 0x1B, 0x1B)  # near-black body text, 17:1 on white
ACCENT = RGBColor(0x00, 0x57, 0x6B)  # dark teal, 7.6:1 on white
DRAFT_RED = RGBColor(0xA1, 0x12, 0x1E)  # dark red, 7.9:1 on white
GREY = RGBColor(0x59, 0x59, 0x59)  # 7:1 on white
HEADER_FILL = "D7E9EE"  # light teal behind dark header text, 14:1
BORDER = "6B7F86"

PAGE_WIDTH, PAGE_HEIGHT = Cm(21.0), Cm(29.7)  # A4 portrait
MARGIN = Cm(2.5)
TEXT_WIDTH = Emu(PAGE_WIDTH - 2 * MARGIN)  # 16 cm


# --------------------------------------------------------------------------------------------------
# Low-level helpers

# Child order of w:pPr and w:rPr (ECMA-376 Part 1, 17.3.1.26 and 17.3.2.28), the subset used here.
_PPR_ORDER_NAMES = (
    "pStyle keepNext keepLines pageBreakBefore framePr widowControl numPr suppressLineNumbers "
    "pBdr shd tabs suppressAutoHyphens kinsoku wordWrap overflowPunct topLinePunct autoSpaceDE "
    "autoSpaceDN bidi adjustRightInd snapToGrid spacing ind contextualSpacing mirrorIndents "
    "suppressOverlap jc textDirection textAlignment textboxTightWrap outlineLvl divId cnfStyle "
    "rPr sectPr pPrChange "
)
PPR_ORDER = tuple(f"w:{name}" for name in _PPR_ORDER_NAMES.split())
_RPR_ORDER_NAMES = (
    "rStyle rFonts b bCs i iCs caps smallCaps strike dstrike outline shadow emboss imprint "
    "noProof snapToGrid vanish webHidden color spacing w kern position sz szCs highlight u "
    "effect bdr shd fitText vertAlign rtl cs em lang eastAsianLayout specVanish oMath "
)
RPR_ORDER = tuple(f"w:{name}" for name in _RPR_ORDER_NAMES.split())


def _insert_in_order(parent: BaseOxmlElement, child: BaseOxmlElement,
                     tag_seq: tuple[str, ...]) -> None:
    """Insert child into parent where the schema wants it (Word is strict about order)."""
    tag = child.tag
    names = [qn(name) for name in tag_seq]
    for old in parent.findall(tag):
        parent.remove(old)
    successors = names[names.index(tag) + 1 :]
    for index, existing in enumerate(parent):
        if existing.tag in successors:
            parent.insert(index, child)
            return
    parent.append(child)


def _ppr_add(style: BaseStyle, xml: str) -> None:
    _insert_in_order(style.element.get_or_add_pPr(), parse_xml(xml), PPR_ORDER)


def _rpr_add(rpr: BaseOxmlElement, xml: str) -> None:
    _insert_in_order(rpr, parse_xml(xml), RPR_ORDER)


def _reset(style: BaseStyle) -> None:
    """Drop the default template's formatting of a built-in style so we define it completely."""
    for tag in ("w:pPr", "w:rPr", "w:link"):
        for old in style.element.findall(qn(tag)):
            style.element.remove(old)


def _paragraph_style(
    doc: DocumentObject,
    name: str,
    *,
    base: str | None = "Normal",
    next_style: str | None = None,
    size: float | None = None,
    bold: bool | None = None,
    color: RGBColor | None = None,
    before: float | None = None,
    after: float | None = None,
    keep_with_next: bool | None = None,
    align: WD_ALIGN_PARAGRAPH | None = None,
    font: str | None = None,
) -> ParagraphStyle:
    styles = doc.styles
    style: ParagraphStyle
    try:
        style = styles[name]
        _reset(style)
    except KeyError:
        style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    if base is not None:
        style.base_style = styles[base]
    if next_style is not None:
        style.next_paragraph_style = styles[next_style]
    style.quick_style = True
    style.hidden = False
    style.unhide_when_used = False
    font_format = style.font
    if font is not None:
        _set_font(style.element.get_or_add_rPr(), font)
    if size is not None:
        font_format.size = Pt(size)
    if bold is not None:
        font_format.bold = bold
    if color is not None:
        font_format.color.rgb = color
    paragraph_format = style.paragraph_format
    if before is not None:
        paragraph_format.space_before = Pt(before)
    if after is not None:
        paragraph_format.space_after = Pt(after)
    if keep_with_next is not None:
        paragraph_format.keep_with_next = keep_with_next
    if align is not None:
        paragraph_format.alignment = align
    return style


def _set_font(rpr: BaseOxmlElement, name: str) -> None:
    _rpr_add(
        rpr,
        f'<w:rFonts {nsdecls("w")} w:ascii="{name}" w:hAnsi="{name}" w:eastAsia="{name}"'
        f' w:cs="{name}"/>',
    )


def _borders(tag: str, sides: tuple[str, ...], size: int, color: str, space: int = 0) -> str:
    inner = "".join(
        f'<w:{side} w:val="single" w:sz="{size}" w:space="{space}" w:color="{color}"/>'
        for side in sides
    )
    return f"<w:{tag} {nsdecls('w')}>{inner}</w:{tag}>"


# --------------------------------------------------------------------------------------------------
# Styles


def define_styles(doc: DocumentObject) -> None:
    styles = doc.styles

    # Document defaults: font, size and language for everything, including table styles.
    defaults = styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _set_font(rpr, FONT)
    _rpr_add(rpr, f'<w:sz {nsdecls("w")} w:val="22"/>')
    _rpr_add(rpr, f'<w:szCs {nsdecls("w")} w:val="22"/>')
    _rpr_add(
        rpr,
        f'<w:lang {nsdecls("w")} w:val="{LANGUAGE}" w:eastAsia="{LANGUAGE}" w:bidi="ar-SA"/>',
    )
    ppr = defaults.find(qn("w:pPrDefault")).find(qn("w:pPr"))
    for old in ppr.findall(qn("w:spacing")):
        ppr.remove(old)
    ppr.append(parse_xml(f'<w:spacing {nsdecls("w")} w:after="0" w:line="240" w:lineRule="auto"/>'))

    normal = styles["Normal"]
    _reset(normal)
    _set_font(normal.element.get_or_add_rPr(), FONT)
    normal.font.size = Pt(11)
    normal.font.color.rgb = TEXT
    normal.paragraph_format.space_after = Pt(8)
    normal.paragraph_format.line_spacing = 1.15
    normal.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.LEFT
    normal.paragraph_format.widow_control = True

    # Cover page.
    title = _paragraph_style(
        doc, "Title", next_style="Subtitle", size=32, bold=True, color=ACCENT, before=150, after=12
    )
    title.paragraph_format.line_spacing = 1.0
    title.paragraph_format.keep_with_next = True
    _ppr_add(title, _borders("pBdr", ("bottom",), 24, str(ACCENT), space=8))
    _paragraph_style(doc, "Intro Text", size=13, color=TEXT, after=12)
    # The partnership, under a title that does not name it; the Subtitle holds the period.
    _paragraph_style(
        doc, "Cover Partnership", next_style="Subtitle", size=20, color=TEXT, before=6, after=0
    )
    _paragraph_style(
        doc, "Subtitle", next_style="Intro Text", size=20, color=TEXT, before=6, after=48
    )

    # Contents list: "TOC Heading" is not an outline level, so it is not listed in itself.
    toc_heading = _paragraph_style(
        doc, "TOC Heading", next_style="Normal", size=15, bold=True, color=ACCENT, before=24,
        after=8, keep_with_next=True,
    )
    _ppr_add(toc_heading, f'<w:outlineLvl {nsdecls("w")} w:val="9"/>')
    # Word and LibreOffice know the built-in style by its internal name, "toc 1".
    toc1 = _paragraph_style(doc, "toc 1", size=12, color=TEXT, before=0, after=6)
    toc1.element.set(qn("w:styleId"), "TOC1")
    toc1.paragraph_format.tab_stops.add_tab_stop(TEXT_WIDTH, WD_TAB_ALIGNMENT.RIGHT,
                                                 WD_TAB_LEADER.DOTS)

    # Headings: real heading styles, no skipped levels; Heading 1 starts each page.
    h1 = _paragraph_style(
        doc,
        "Heading 1",
        next_style="Normal",
        size=22,
        bold=True,
        color=ACCENT,
        before=0,
        after=14,
        keep_with_next=True,
    )
    h1.paragraph_format.page_break_before = True
    h1.paragraph_format.keep_together = True
    h1.paragraph_format.line_spacing = 1.0
    _ppr_add(h1, _borders("pBdr", ("bottom",), 12, str(ACCENT), space=4))
    _ppr_add(h1, f'<w:outlineLvl {nsdecls("w")} w:val="0"/>')
    h2 = _paragraph_style(
        doc,
        "Heading 2",
        next_style="Normal",
        size=15,
        bold=True,
        color=ACCENT,
        before=18,
        after=6,
        keep_with_next=True,
    )
    h2.paragraph_format.keep_together = True
    h2.paragraph_format.line_spacing = 1.0
    _ppr_add(h2, f'<w:outlineLvl {nsdecls("w")} w:val="1"/>')

    # Bullets: the default template's List Bullet keeps its numbering (numId 1).
    bullet = styles["List Bullet"]
    ppr = bullet.element.get_or_add_pPr()
    for old in ppr.findall(qn("w:contextualSpacing")):
        ppr.remove(old)
    bullet.paragraph_format.space_after = Pt(4)
    bullet.quick_style = True

    # A chart or other image: its own paragraph, kept on the page with the table after it.
    _paragraph_style(doc, "Chart", before=6, after=10, keep_with_next=True)

    # Tables.
    _paragraph_style(doc, "Table Text", after=0, before=0)
    styles["Table Text"].paragraph_format.line_spacing = 1.1
    _paragraph_style(doc, "Table Heading", base="Table Text", bold=True, keep_with_next=True)
    _paragraph_style(doc, "Statistic Heading", base="Table Text", size=12, bold=True, color=ACCENT)
    _paragraph_style(doc, "Statistic Fact", base="Table Text", after=3)
    _paragraph_style(
        doc, "Theme Priorities", size=11, color=TEXT, before=0, after=8, keep_with_next=True
    )

    marker = styles.add_style("New Marker", WD_STYLE_TYPE.CHARACTER)
    marker.base_style = styles["Default Paragraph Font"]
    marker.font.bold = True
    marker.font.color.rgb = ACCENT
    marker.quick_style = True
    marker.hidden = False

    # Header and footer.
    header = _paragraph_style(doc, "Header", after=0)
    header.paragraph_format.tab_stops.add_tab_stop(Emu(TEXT_WIDTH // 2), WD_TAB_ALIGNMENT.CENTER)
    header.paragraph_format.tab_stops.add_tab_stop(TEXT_WIDTH, WD_TAB_ALIGNMENT.RIGHT)
    _paragraph_style(
        doc,
        "Draft Marker",
        base="Header",
        size=14,
        bold=True,
        color=DRAFT_RED,
        align=WD_ALIGN_PARAGRAPH.CENTER,
    )
    footer = _paragraph_style(doc, "Footer", size=9, color=GREY, after=0)
    footer.paragraph_format.tab_stops.add_tab_stop(TEXT_WIDTH, WD_TAB_ALIGNMENT.RIGHT)
    _ppr_add(footer, _borders("pBdr", ("top",), 4, BORDER, space=4))

    # Paragraphs holding only {%p %} tags: never rendered, styled so officers see them as logic.
    _paragraph_style(doc, "Template Tag", size=8, color=GREY, after=0, font="Courier New")
    styles["Template Tag"].paragraph_format.line_spacing = 1.0

    for name in ("Summary Table", "Statistic Table", "Action Table", "Glossary Table"):
        _table_style(doc, name)


def _table_style(doc: DocumentObject, name: str) -> None:
    """A real table style: borders, cell padding, and a shaded, bold, repeating header row."""
    style = doc.styles.add_style(name, WD_STYLE_TYPE.TABLE)
    style.base_style = doc.styles["Normal Table"]
    style.quick_style = True
    style.hidden = False
    element = style.element
    sides = ("top", "left", "bottom", "right", "insideH", "insideV")
    element.append(
        parse_xml(
            f'<w:pPr {nsdecls("w")}><w:spacing w:before="0" w:after="0" w:line="252"'
            ' w:lineRule="auto"/></w:pPr>'
        )
    )
    element.append(
        parse_xml(
            f"<w:tblPr {nsdecls('w')}>"
            '<w:tblStyleRowBandSize w:val="1"/><w:tblStyleColBandSize w:val="1"/>'
            '<w:tblInd w:w="0" w:type="dxa"/>'
            + _borders("tblBorders", sides, 6, BORDER).replace(f" {nsdecls('w')}", "")
            + '<w:tblCellMar><w:top w:w="85" w:type="dxa"/><w:left w:w="113" w:type="dxa"/>'
            '<w:bottom w:w="85" w:type="dxa"/><w:right w:w="113" w:type="dxa"/></w:tblCellMar>'
            "</w:tblPr>"
        )
    )
    element.append(parse_xml(f"<w:trPr {nsdecls('w')}><w:cantSplit/></w:trPr>"))
    element.append(
        parse_xml(
            f'<w:tblStylePr {nsdecls("w")} w:type="firstRow">'
            "<w:pPr><w:keepNext/></w:pPr>"
            "<w:rPr><w:b/><w:bCs/></w:rPr>"
            "<w:tblPr/>"
            "<w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>"
            f'<w:tcPr><w:shd w:val="clear" w:color="auto" w:fill="{HEADER_FILL}"/></w:tcPr>'
            "</w:tblStylePr>"
        )
    )


# --------------------------------------------------------------------------------------------------
# Body


def tag(doc_or_cell: DocumentObject | _Cell, text: str) -> Paragraph:
    """A paragraph holding one {%p %} tag and nothing else."""
    return doc_or_cell.add_paragraph(text, style="Template Tag")


def _row_flags(row: _Row, *, header: bool) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    tr_pr.append(OxmlElement("w:cantSplit"))
    if header:
        tr_pr.append(OxmlElement("w:tblHeader"))


def _set_cell(cell: _Cell, text: str, style: str) -> Paragraph:
    paragraph: Paragraph = cell.paragraphs[0]
    paragraph.style = style
    if text:
        paragraph.add_run(text)
    return paragraph


def add_table(
    doc: DocumentObject,
    style: str,
    headers: tuple[str, ...],
    fractions: tuple[float, ...],
    loop: str,
) -> Table:
    """A table: a repeating header row, then the {%tr for %} row, one body row, {%tr endfor %}.

    Returns the table; the caller fills the body row (index 2).
    """
    table: Table = doc.add_table(rows=4, cols=len(headers))
    table.style = doc.styles[style]
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    table.autofit = False
    tbl_pr = table._tbl.tblPr
    for old in tbl_pr.findall(qn("w:tblW")):
        tbl_pr.remove(old)
    _insert_in_order(
        tbl_pr,
        parse_xml(f'<w:tblW {nsdecls("w")} w:w="{int(TEXT_WIDTH.twips)}" w:type="dxa"/>'),
        (
            "w:tblStyle",
            "w:tblpPr",
            "w:tblOverlap",
            "w:bidiVisual",
            "w:tblStyleRowBandSize",
            "w:tblStyleColBandSize",
            "w:tblW",
            "w:jc",
            "w:tblCellSpacing",
            "w:tblInd",
            "w:tblBorders",
            "w:shd",
            "w:tblLayout",
            "w:tblCellMar",
            "w:tblLook",
        ),
    )
    look = tbl_pr.find(qn("w:tblLook"))
    if look is not None:
        for key, value in (
            ("firstRow", "1"),
            ("lastRow", "0"),
            ("firstColumn", "0"),
            ("lastColumn", "0"),
            ("noHBand", "1"),
            ("noVBand", "1"),
            ("val", "0620"),
        ):
            look.set(qn(f"w:{key}"), value)
    widths = [int(TEXT_WIDTH * fraction) for fraction in fractions]
    widths[-1] = int(TEXT_WIDTH) - sum(widths[:-1])
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = width

    header, loop_start, body, loop_end = table.rows
    _row_flags(header, header=True)
    for cell, text in zip(header.cells, headers, strict=True):
        _set_cell(cell, text, "Table Heading")
    _set_cell(loop_start.cells[0], f"{{%tr for {loop} %}}", "Template Tag")
    _set_cell(loop_end.cells[0], "{%tr endfor %}", "Template Tag")
    for row in (loop_start, loop_end):
        for cell in row.cells[1:]:
            cell.paragraphs[0].style = "Template Tag"
    _row_flags(body, header=False)
    return table


def build_body(doc: DocumentObject) -> None:
    # 1. Cover.
    doc.add_paragraph("{{ title }}", style="Title")
    tag(doc, "{%p if partnership not in title %}")
    doc.add_paragraph("{{ partnership }}", style="Cover Partnership")
    tag(doc, "{%p endif %}")
    doc.add_paragraph("{{ period.label }}", style="Subtitle")
    doc.add_paragraph("{{ introduction }}", style="Intro Text")
    doc.add_paragraph("Contents", style="TOC Heading")
    contents = doc.add_paragraph(style="toc 1")
    _add_field(contents, 'TOC \\o "1-1" \\h \\z \\u',
               "The list of contents is filled in when the plan is made into a PDF, or in Word"
               " by choosing Update Field.", dirty=True)

    # 2. The plan at a glance.
    doc.add_paragraph("The plan at a glance", style="Heading 1")
    doc.add_paragraph(
        "{{ glance.actions }} actions across {{ themes|length }} themes, {{ glance.new }} of them"
        " new this year.",
        style="Normal",
    )
    doc.add_paragraph("Actions by theme", style="Heading 2")
    doc.add_paragraph("{{ glance_chart }}", style="Chart")
    table = add_table(
        doc, "Summary Table", ("Theme", "Actions", "New"), (0.6, 0.2, 0.2),
        "count in glance.themes",
    )
    for cell, text in zip(table.rows[2].cells,
                          ("{{ count.theme }}", "{{ count.actions }}", "{{ count.new }}"),
                          strict=True):
        _set_cell(cell, text, "Table Text")
    doc.add_paragraph("Leads most involved", style="Heading 2")
    table = add_table(
        doc, "Summary Table", ("Lead", "Actions"), (0.6, 0.4), "count in glance.leads"
    )
    for cell, text in zip(table.rows[2].cells, ("{{ count.lead }}", "{{ count.actions }}"),
                          strict=True):
        _set_cell(cell, text, "Table Text")

    # 3. One page per priority.
    tag(doc, "{%p for priority in priorities %}")
    doc.add_paragraph("{{ priority.title }}", style="Heading 1")
    tag(doc, "{%p if priority.statistics %}")
    table = add_table(
        doc,
        "Statistic Table",
        ("Headline statistic", "What the data shows"),
        (0.34, 0.66),
        "statistic in priority.statistics",
    )
    heading_cell, facts_cell = table.rows[2].cells
    _set_cell(heading_cell, "{{ statistic.heading }}", "Statistic Heading")
    _set_cell(facts_cell, "{%p for fact in statistic.facts %}", "Template Tag")
    facts_cell.add_paragraph("{{ fact }}", style="Statistic Fact")
    facts_cell.add_paragraph("{%p endfor %}", style="Template Tag")
    tag(doc, "{%p endif %}")
    for heading, items, item in (
        ("What we want to achieve", "priority.aims", "aim"),
        ("What we do now", "priority.current_work", "work"),
        ("What we will do", "priority.commitments", "commitment"),
    ):
        tag(doc, f"{{%p if {items} %}}")
        doc.add_paragraph(heading, style="Heading 2")
        tag(doc, f"{{%p for {item} in {items} %}}")
        doc.add_paragraph(f"{{{{ {item} }}}}", style="List Bullet")
        tag(doc, "{%p endfor %}")
        tag(doc, "{%p endif %}")
    tag(doc, "{%p endfor %}")

    # 4. Action plan: one table per theme.
    doc.add_paragraph("Action plan", style="Heading 1")
    tag(doc, "{%p for theme in themes %}")
    doc.add_paragraph("{{ theme.name }}", style="Heading 2")
    tag(doc, "{%p if theme.priorities %}")
    doc.add_paragraph("Priorities: {{ theme.priorities }}", style="Theme Priorities")
    tag(doc, "{%p endif %}")
    table = add_table(
        doc,
        "Action Table",
        ("Key actions", "Timescale", "Leads"),
        (0.58, 0.19, 0.23),
        "action in theme.actions",
    )
    text_cell, timescale_cell, leads_cell = table.rows[2].cells
    paragraph = _set_cell(text_cell, "{{ action.text }}", "Table Text")
    paragraph.add_run("{%r if action.new %}")
    paragraph.add_run(" NEW", style="New Marker")
    paragraph.add_run("{%r endif %}")
    _set_cell(timescale_cell, "{{ action.timescale }}", "Table Text")
    _set_cell(leads_cell, '{{ action.leads|join(", ") }}', "Table Text")
    tag(doc, "{%p endfor %}")

    # 5. Glossary.
    doc.add_paragraph("Glossary", style="Heading 1")
    table = add_table(
        doc, "Glossary Table", ("Acronym", "Meaning"), (0.22, 0.78), "entry in glossary"
    )
    term_cell, meaning_cell = table.rows[2].cells
    _set_cell(term_cell, "{{ entry.term }}", "Table Text")
    _set_cell(meaning_cell, "{{ entry.meaning }}", "Table Text")

    # 6. In a draft: what was left out, so nobody mistakes the draft for the whole plan.
    tag(doc, "{%p if draft %}")
    doc.add_paragraph("Left out of this draft", style="Heading 1")
    tag(doc, "{%p if left_out %}")
    doc.add_paragraph(
        "This draft was built although the returns have errors. The rows below are not in it;"
        " correct them and build again.",
        style="Normal",
    )
    tag(doc, "{%p for problem in left_out %}")
    doc.add_paragraph("{{ problem }}", style="List Bullet")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p else %}")
    doc.add_paragraph("Nothing was left out: every row of every return is in this draft.",
                      style="Normal")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p endif %}")


def build_header_footer(doc: DocumentObject) -> None:
    section = doc.sections[0]
    header = section.header
    header.is_linked_to_previous = False
    paragraph = header.paragraphs[0]
    paragraph.style = "Draft Marker"
    paragraph.add_run("{% if draft %}DRAFT — not for publication{% endif %}")

    footer = section.footer
    footer.is_linked_to_previous = False
    paragraph = footer.paragraphs[0]
    paragraph.style = "Footer"
    # Short enough never to wrap beside "Page 10 of 12" (truncate keeps up to 65 characters).
    paragraph.add_run("{{ full_title|truncate(60) }}")
    run = paragraph.add_run()
    run.add_tab()
    paragraph.add_run("Page ")
    _add_field(paragraph, "PAGE", "1")
    paragraph.add_run(" of ")
    _add_field(paragraph, "NUMPAGES", "1")


def _add_field(paragraph: Paragraph, instruction: str, placeholder: str, *,
               dirty: bool = False) -> None:
    """A real Word field (begin, instrText, separate, result, end); updated on open and print.

    A dirty field is one Word recalculates when the document is opened (a TOC is not otherwise).
    """
    flag = ' w:dirty="true"' if dirty else ""
    for xml in (
        f'<w:r {{ns}}><w:fldChar w:fldCharType="begin"{flag}/></w:r>',
        f'<w:r {{ns}}><w:instrText xml:space="preserve"> {instruction} </w:instrText></w:r>',
        '<w:r {ns}><w:fldChar w:fldCharType="separate"/></w:r>',
        f"<w:r {{ns}}><w:t>{placeholder}</w:t></w:r>",
        '<w:r {ns}><w:fldChar w:fldCharType="end"/></w:r>',
    ):
        paragraph._p.append(parse_xml(xml.format(ns=nsdecls("w"))))


# --------------------------------------------------------------------------------------------------
# Document


def set_page(doc: DocumentObject) -> None:
    section = doc.sections[0]
    section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
    section.left_margin = section.right_margin = MARGIN
    section.top_margin = section.bottom_margin = Cm(2.3)
    section.header_distance = section.footer_distance = Cm(1.1)


def set_properties(doc: DocumentObject) -> None:
    """Title and language are required for accessibility (WCAG 2.4.2, 3.1.1).

    docxtpl renders core properties with the same Jinja environment as the body; autoescape would
    turn "&" into "&amp;" there (python-docx escapes again), so the values are marked safe.
    """
    props = doc.core_properties
    props.title = "{{ full_title|safe }}"
    props.subject = "{{ period.label }}"
    props.author = "{{ partnership|safe }}"
    props.language = LANGUAGE
    props.comments = ""
    props.keywords = "community safety; partnership plan"
    props.last_modified_by = ""
    props.revision = 1

    settings = doc.settings.element
    for element in settings.findall(qn("w:themeFontLang")):
        element.set(qn("w:val"), LANGUAGE)
    # Word 2013+ layout, so Word does not open the template in "Compatibility Mode".
    for element in settings.iter(qn("w:compatSetting")):
        if element.get(qn("w:name")) == "compatibilityMode":
            element.set(qn("w:val"), "15")


def drop_default_template_leftovers(doc: DocumentObject) -> None:
    """python-docx's blank document carries a thumbnail and a Word 2010 stylesWithEffects part;
    both would show the old, unrelated look, so they go."""
    package = doc.part.package
    for rel_id, rel in list(package.rels.items()):
        if rel.reltype.endswith("/thumbnail"):
            del package.rels[rel_id]
    for rel_id, rel in list(doc.part.rels.items()):
        if rel.reltype.endswith("/stylesWithEffects"):
            del doc.part.rels[rel_id]


def build(output: Path) -> None:
    doc = Document()
    body = doc.element.body
    for paragraph in list(body.iterchildren(qn("w:p"))):
        body.remove(paragraph)
    drop_default_template_leftovers(doc)
    define_styles(doc)
    set_page(doc)
    build_body(doc)
    build_header_footer(doc)
    set_properties(doc)
    output.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(output))


def main(argv: list[str]) -> int:
    output = Path(argv[1]) if len(argv) > 1 else DEFAULT_OUTPUT
    build(output)
    print(f"wrote {output}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
