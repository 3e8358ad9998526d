"""The accessibility check works out each kind of run once: runs alike are counted together,
and a run that differs in anything that matters (its paragraph's shading, its cell's, its own
formatting, its place in a text box) is judged on its own."""

from __future__ import annotations

from pathlib import Path

import pytest
from docx import Document
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Pt
from lxml import etree

from plangen.accessibility.check import check_file
from plangen.accessibility.wordformat import child, w
from plangen.office.namespaces import NS
from plangen.problems import Problem

from conftest import Sample
from docx_reading import style_name


@pytest.fixture(scope="module")
def built(sample: Sample) -> Path:
    return sample.docx


def _number(body: etree._Element, paragraph: etree._Element) -> int:
    """A paragraph's number as findings give it: its place among all paragraphs."""
    return next(number for number, p in enumerate(body.iter(qn("w:p")), start=1)
                if p is paragraph)


def _shade(parent: etree._Element, properties: str, fill: str) -> None:
    tag = qn(f"w:{properties}")
    found = parent.find(tag)
    if found is None:
        found = parent.makeelement(tag, {})
        parent.insert(0, found)
    found.append(parse_xml(f'<w:shd {nsdecls("w")} w:val="clear" w:color="auto" '
                           f'w:fill="{fill}"/>'))


def test_runs_alike_are_counted_and_runs_that_differ_are_judged_apart(
        built: Path, tmp_path: Path) -> None:
    document = Document(str(built))
    bullets = [p for p in document.paragraphs if style_name(p) == "List Bullet"]
    for paragraph in (bullets[0], bullets[1], bullets[4]):  # the same kind of run, thrice
        for run in paragraph.runs:
            run.font.size = Pt(9)
    _shade(bullets[2]._p, "pPr", "333333")  # a List Bullet like the others, but dark
    cell = document.tables[8].rows[2].cells[1]
    _shade(cell._tc, "tcPr", "333333")  # one dark cell among its column's
    host = bullets[6]._p
    host.append(parse_xml(  # a text box, its paragraph's run in 8 pt
        f'<w:r {nsdecls("w")} xmlns:v="{NS["v"]}"><w:pict><v:shape><v:textbox><w:txbxContent>'
        '<w:p><w:r><w:rPr><w:sz w:val="16"/></w:rPr><w:t>Boxed aside</w:t></w:r></w:p>'
        "</w:txbxContent></v:textbox></v:shape></w:pict></w:r>"))
    path = tmp_path / "broken.docx"
    document.save(str(path))

    body = document.element.body
    def at(element: etree._Element) -> str:
        return f"broken.docx · body · paragraph {_number(body, element)} “"

    findings = check_file(path)
    by_message: dict[str, Problem] = {f.message: f for f in findings}
    assert len(by_message) == len(findings) == 4, [str(f) for f in findings]
    small = by_message["body text in “List Bullet” is 9 pt; the minimum is 11 pt"]
    assert str(small.where).startswith(at(bullets[0]._p))
    assert str(small.where).endswith("” (and 2 more places)")
    boxed = by_message["body text in “Normal” is 8 pt; the minimum is 11 pt"]
    inner = next(host.iter(qn("w:txbxContent"))).find(qn("w:p"))
    assert str(boxed.where) == f"{at(inner)}Boxed aside”"
    dark = by_message["text in “List Bullet” is #1B1B1B on #333333, a contrast of 1.4:1; the "
                      "minimum is 4.5:1"]
    assert str(dark.where) == f"{at(bullets[2]._p)}{bullets[2].text}”"
    in_cell = by_message["text in “Table Text” is #1B1B1B on #333333, a contrast of 1.4:1; the "
                         "minimum is 4.5:1"]
    assert str(in_cell.where).startswith(at(cell.paragraphs[0]._p))
    assert "more place" not in str(in_cell.where)


@pytest.mark.parametrize("xml", [
    "<w:p><w:pPr><w:pStyle w:val='A'/></w:pPr><w:r/></w:p>",
    "<w:p><w:r/><w:pPr><w:jc w:val='left'/></w:pPr><w:pPr><w:pStyle w:val='B'/></w:pPr></w:p>",
    "<w:p><?pi x?><w:pPr><w:pStyle w:val='C'/><w:pStyle w:val='D'/></w:pPr></w:p>",
    "<w:p><w:r><w:pPr><w:pStyle w:val='nested'/></w:pPr></w:r></w:p>",
    "<w:p/>",
])
def test_looking_for_a_child_finds_what_find_finds(xml: str) -> None:
    paragraph = etree.fromstring(xml.replace("<w:p", f"<w:p xmlns:w='{NS['w']}'", 1))
    assert child(paragraph, w("pPr")) is paragraph.find("w:pPr", NS)
    assert child(paragraph, w("pPr"), w("pStyle")) is paragraph.find("w:pPr/w:pStyle", NS)
    assert child(paragraph, w("r"), w("pPr"), w("pStyle")) is \
        paragraph.find("w:r/w:pPr/w:pStyle", NS)


def test_merged_cells_are_found_in_the_first_row_that_has_them(built: Path,
                                                                tmp_path: Path) -> None:
    """Past a header row (never reported), and a cell spanning one column (not merged)."""
    document = Document(str(built))
    table = document.tables[8]

    def mark(row: int, column: int, xml: str) -> None:
        table.rows[row].cells[column]._tc.get_or_add_tcPr().append(parse_xml(xml))

    span = f'<w:gridSpan {nsdecls("w")} w:val="{{}}"/>'
    mark(0, 0, span.format(2))
    mark(1, 0, span.format(1))
    mark(3, 1, f'<w:vMerge {nsdecls("w")}/>')
    path = tmp_path / "broken.docx"
    document.save(str(path))
    merged = [f for f in check_file(path) if f.code == "table-merged-cells"]
    assert len(merged) == 1
    assert str(merged[0].where).startswith("broken.docx · body · table 9 “")
    assert str(merged[0].where).endswith(" · row 4")
