"""Build templates/plan-on-a-page.docx: the same plan as a compact landscape summary.

It proves the plan model serves more than one layout: the priorities with their aims, the
figures at a glance and every theme's actions as a short list, in three columns on one or two
A4 landscape pages, from the same fields as templates/plan.docx. Styles come from
make_template.py (same names, same accessible colours), tightened for a summary.

Like make_template.py, this shows how the template was first made; once officers have edited
templates/plan-on-a-page.docx, do NOT re-run it over their copy.

Usage:  python scripts/make_summary_template.py [OUTPUT]   (default: templates/plan-on-a-page.docx)
"""

from __future__ import annotations

import sys
from pathlib import Path

import make_template
from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.text import WD_TAB_ALIGNMENT
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Emu, Pt

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUTPUT = ROOT / "templates" / "plan-on-a-page.docx"

PAGE_WIDTH, PAGE_HEIGHT = Cm(29.7), Cm(21.0)  # A4 landscape
MARGIN = Cm(1.2)
COLUMNS, GAP = 3, Cm(0.6)
COLUMN_WIDTH = Emu((PAGE_WIDTH - 2 * MARGIN - (COLUMNS - 1) * GAP) // COLUMNS)


def tighten_styles(doc: DocumentObject) -> None:
    """A summary reads at a glance: smaller type, no page breaks before headings."""
    styles = doc.styles
    styles["Normal"].font.size = Pt(11)
    styles["Normal"].paragraph_format.space_after = Pt(3)
    styles["Normal"].paragraph_format.line_spacing = 1.0
    title = styles["Title"]
    title.font.size = Pt(24)
    title.paragraph_format.space_before = Pt(0)
    title.paragraph_format.space_after = Pt(6)
    styles["Subtitle"].font.size = Pt(14)
    styles["Subtitle"].paragraph_format.space_after = Pt(4)
    styles["Intro Text"].font.size = Pt(11)
    styles["Intro Text"].paragraph_format.space_after = Pt(6)
    heading1 = styles["Heading 1"]
    heading1.paragraph_format.page_break_before = False
    heading1.font.size = Pt(14)
    heading1.paragraph_format.space_before = Pt(8)
    heading1.paragraph_format.space_after = Pt(4)
    heading2 = styles["Heading 2"]
    heading2.font.size = Pt(11)
    heading2.paragraph_format.space_before = Pt(6)
    heading2.paragraph_format.space_after = Pt(2)
    bullet = styles["List Bullet"]
    bullet.font.size = Pt(11)
    bullet.paragraph_format.space_after = Pt(1)
    styles["Table Text"].font.size = Pt(11)
    styles["Table Heading"].font.size = Pt(11)
    styles["Theme Priorities"].font.size = Pt(11)
    styles["Theme Priorities"].paragraph_format.space_after = Pt(2)


def set_pages(doc: DocumentObject) -> None:
    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
    section.left_margin = section.right_margin = MARGIN
    section.top_margin = section.bottom_margin = Cm(1.2)
    section.header_distance = section.footer_distance = Cm(0.7)


def start_columns(doc: DocumentObject) -> None:
    """Everything after the cover lines flows in columns, on the same page (a continuous
    section break); the reading order stays the document order."""
    section = doc.add_section(WD_SECTION.CONTINUOUS)
    columns = parse_xml(f'<w:cols {nsdecls("w")} w:num="{COLUMNS}" w:space="{int(GAP.twips)}"/>')
    properties = section._sectPr
    old, grid = properties.find(qn("w:cols")), properties.find(qn("w:docGrid"))
    if old is not None:  # in its place: the schema puts w:cols before w:docGrid
        properties.replace(old, columns)
    elif grid is not None:
        grid.addprevious(columns)
    else:
        properties.append(columns)


def build_body(doc: DocumentObject) -> None:
    tag = make_template.tag
    doc.add_paragraph("{{ title }}", style="Title")
    doc.add_paragraph("{% if partnership not in title %}{{ partnership }} · {% endif %}"
                      "The plan on a page", style="Subtitle")
    doc.add_paragraph(
        "{{ period.label }}. {{ glance.actions }} actions across {{ themes|length }} themes, "
        "{{ glance.new }} of them new this year, led by {{ partners|length }} partners.",
        style="Intro Text")
    start_columns(doc)

    doc.add_paragraph("At a glance", style="Heading 1")
    make_template.TEXT_WIDTH = COLUMN_WIDTH  # add_table sizes tables to the text width
    table = make_template.add_table(doc, "Summary Table", ("Theme", "Actions", "New"),
                                    (0.56, 0.26, 0.18), "count in glance.themes")
    for cell, text in zip(table.rows[2].cells,
                          ("{{ count.theme }}", "{{ count.actions }}", "{{ count.new }}"),
                          strict=True):
        cell.paragraphs[0].style = "Table Text"
        cell.paragraphs[0].add_run(text)
    doc.add_paragraph("Leads most involved", style="Heading 2")
    doc.add_paragraph(
        "{% for count in glance.leads %}{{ count.lead }} ({{ count.actions }})"
        "{% if not loop.last %}, {% endif %}{% endfor %}.", style="Normal")

    doc.add_paragraph("Our priorities", style="Heading 1")
    tag(doc, "{%p for priority in priorities %}")
    doc.add_paragraph("{{ priority.name }}", style="Heading 2")
    tag(doc, "{%p for aim in priority.aims %}")
    doc.add_paragraph("{{ aim }}", style="List Bullet")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p endfor %}")

    doc.add_paragraph("What we will do", style="Heading 1")
    tag(doc, "{%p for theme in themes %}")
    doc.add_paragraph("{{ theme.name }}", style="Heading 2")
    tag(doc, "{%p if theme.priorities %}")
    doc.add_paragraph("Priorities: {{ theme.priorities }}", style="Theme Priorities")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p for action in theme.actions %}")
    action = doc.add_paragraph("{{ action.text }} ({{ action.timescale }}; "
                               '{{ action.leads|join(", ") }})', style="List Bullet")
    action.add_run("{%r if action.new %}")
    action.add_run(" NEW", style="New Marker")
    action.add_run("{%r endif %}")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p endfor %}")


def build_header_footer(doc: DocumentObject) -> None:
    section = doc.sections[0]
    header = section.header.paragraphs[0]
    header.style = "Draft Marker"
    header.add_run("{% if draft %}DRAFT — not for publication{% endif %}")
    footer = section.footer.paragraphs[0]
    footer.style = "Footer"
    footer.add_run("{{ full_title|truncate(60) }} · the plan on a page")
    footer.add_run().add_tab()
    footer.add_run("Page ")
    make_template._add_field(footer, "PAGE", "1")
    footer.add_run(" of ")
    make_template._add_field(footer, "NUMPAGES", "1")
    # the footer's right tab stop sits at the landscape text width
    for stop in list(doc.styles["Footer"].paragraph_format.tab_stops):
        doc.styles["Footer"].paragraph_format.tab_stops._pPr.tabs.remove(stop._tab)
    doc.styles["Footer"].paragraph_format.tab_stops.add_tab_stop(
        Emu(PAGE_WIDTH - 2 * MARGIN), WD_TAB_ALIGNMENT.RIGHT)


def build(output: Path) -> None:
    doc = Document()
    body = doc.element.body
    for paragraph in list(body.iterchildren(qn("w:p"))):
        body.remove(paragraph)
    make_template.drop_default_template_leftovers(doc)
    make_template.define_styles(doc)
    tighten_styles(doc)
    set_pages(doc)
    build_body(doc)
    build_header_footer(doc)
    make_template.set_properties(doc)
    props = doc.core_properties
    props.title = "{{ full_title|safe }}: the plan on a page"
    output.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(output))


def main(argv: list[str]) -> int:
    output = Path(argv[1]) if len(argv) > 1 else DEFAULT_OUTPUT
    build(output)
    print(f"wrote {output}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
