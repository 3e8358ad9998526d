"""Rendering skips docxtpl work that would change nothing, and makes exactly docxtpl's XML.

plangen parses the rendered body inside the document instead of parsing it alone and moving it
in, and runs docxtpl's table fix-up only when a table needs it. Each test renders a real
template both ways, plangen's and docxtpl's own render of the same mended template, compares
every part of the two documents, and checks which of docxtpl's steps plangen fell back on: a
shortcut that changed anything, or that was never taken, fails. Shortcuts inside a step are
checked by comparing what the step gives with what docxtpl's own step gives.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from docx.shared import Pt
from docxtpl import DocxTemplate
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from plangen.build import build
from plangen.errors import TemplateError, TemplateProblems
from plangen.inputs.merge import place
from plangen.inputs.read import load_inputs
from plangen.inputs.validate import check
from plangen.template.chart import ThemeChart
from plangen.template.context import context, environment
from plangen.template.mending import mended
from plangen.template.render import ChartImage, render_template

from conftest import SAMPLE_INPUTS, TEMPLATE
from template_editing import edit_body, edit_parts, w

Row = list[str]


def docxtpl_render(template: Path, names: Mapping[str, Any]) -> dict[str, str | bytes]:
    """Every part of the document docxtpl makes on its own from the mended template."""
    document = DocxTemplate(io.BytesIO(mended(template)))
    names = dict(names)
    if isinstance(names.get("glance_chart"), ThemeChart):
        names["glance_chart"] = ChartImage(document, names["glance_chart"])
    document.render(names, environment(), autoescape=True)
    return saved_parts(document)


def saved_parts(document: DocxTemplate) -> dict[str, str | bytes]:
    buffer = io.BytesIO()
    document.save(buffer)
    with zipfile.ZipFile(buffer) as archive:
        return {name: (archive.read(name).decode() if name.endswith((".xml", ".rels"))
                       else archive.read(name)) for name in archive.namelist()}


@pytest.fixture
def docxtpl_ways(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The docxtpl steps plangen falls back on, as it calls them."""
    calls: list[str] = []
    for name in ("fix_tables", "map_tree"):
        original = getattr(DocxTemplate, name)

        def spy(self: DocxTemplate, tree: Any, original: Callable[..., Any] = original,
                name: str = name) -> Any:
            calls.append(name)
            return original(self, tree)

        monkeypatch.setattr(DocxTemplate, name, spy)
    yield calls


def both_ways(template: Path, names: Mapping[str, Any], calls: list[str]) -> list[str]:
    """Render with plangen and with docxtpl alone; the documents must be the same. Returns the
    docxtpl steps plangen fell back on."""
    calls.clear()
    ours = saved_parts(render_template(template, names))
    taken = list(calls)
    theirs = docxtpl_render(template, names)
    # The styles are the template's bytes (plangen leaves them unread), which python-docx
    # writes its own way: the same XML.
    assert canonical(ours, STYLES) == canonical(theirs, STYLES)
    assert {**ours, STYLES: ""} == {**theirs, STYLES: ""}
    return taken


STYLES = "word/styles.xml"


def canonical(parts: Mapping[str, str | bytes], name: str) -> bytes:
    """Part name as canonical XML: how it is written (quotes, declaration) set aside."""
    return bytes(etree.tostring(etree.fromstring(str(parts[name]).encode()), method="c14n"))


def table_template(path: Path, *tables: list[Row], before: str = "Before",
                   after: str = "After", merge_heading: bool = False) -> Path:
    """A template of tables; with merge_heading, each table's first row is one merged cell."""
    document = Document()
    document.add_paragraph(before)
    for rows in tables:
        table = document.add_table(rows=len(rows), cols=len(rows[0]))
        for row_number, row in enumerate(rows):
            for cell_number, text in enumerate(row):
                table.cell(row_number, cell_number).paragraphs[0].text = text
        if merge_heading:
            table.cell(0, 0).merge(table.cell(0, len(rows[0]) - 1))
    document.add_paragraph(after)
    document.save(str(path))
    return path


def grid_and_cells(path_or_parts: dict[str, str | bytes]) -> list[tuple[int, list[int]]]:
    """Each table's number of grid columns, and the cells in each of its own rows."""
    body = etree.fromstring(str(path_or_parts["word/document.xml"]).encode())
    return [(len(table.findall(f"{w('tblGrid')}/{w('gridCol')}")),
             [len(row.findall(w("tc"))) for row in table.findall(w("tr"))])
            for table in body.iter(w("tbl"))]


# --------------------------------------------------------------------------------------------
# The plan itself takes every shortcut


@pytest.fixture(scope="module")
def sample_names() -> dict[str, Any]:
    plan = place(check(load_inputs(SAMPLE_INPUTS))).plan
    return context(plan, draft=True, left_out=["returns/police.xlsx · Actions · C7 — left out"])


def test_the_plan_is_docxtpls_document_without_moving_or_fixing_tables(
        sample_names: dict[str, Any], docxtpl_ways: list[str]) -> None:
    assert both_ways(TEMPLATE, sample_names, docxtpl_ways) == []


def test_a_picture_added_to_the_template_beside_the_chart_is_placed_the_docxtpl_way(
        tmp_path: Path, sample_names: dict[str, Any], docxtpl_ways: list[str]) -> None:
    """Word declares a picture's namespaces on the picture; with the chart's, the same prefix is
    declared twice below the body, and the body is then moved in as docxtpl does."""
    logo = tmp_path / "logo.png"
    logo.write_bytes(ThemeChart(sample_names["glance"]).png())
    document = Document(str(TEMPLATE))
    document.paragraphs[0].insert_paragraph_before().add_run().add_picture(str(logo))
    template = tmp_path / "with-logo.docx"
    document.save(str(template))
    assert both_ways(template, sample_names, docxtpl_ways) == ["map_tree"]


# --------------------------------------------------------------------------------------------
# Tables: docxtpl's fix-up runs exactly when it would change a grid


def test_a_column_loop_widening_a_row_still_gets_its_grid_widened(
        tmp_path: Path, docxtpl_ways: list[str]) -> None:
    template = table_template(tmp_path / "columns.docx", [
        ["Area", "{%tc for year in years %}", "{{ year }}", "{%tc endfor %}"]])
    names = {"years": ["2019", "2020", "2021", "2022", "2023"]}
    assert both_ways(template, names, docxtpl_ways) == ["fix_tables", "map_tree"]
    assert grid_and_cells(saved_parts(render_template(template, names))) == [(6, [6])]


def test_a_column_loop_narrowing_a_row_still_gets_its_grid_narrowed(
        tmp_path: Path, docxtpl_ways: list[str]) -> None:
    template = table_template(tmp_path / "columns.docx", [
        ["Area", "{%tc for year in years %}", "{{ year }}", "{%tc endfor %}"]])
    names = {"years": ["2019"]}
    assert both_ways(template, names, docxtpl_ways) == ["fix_tables", "map_tree"]
    assert grid_and_cells(saved_parts(render_template(template, names))) == [(2, [2])]


def test_a_row_loop_that_leaves_no_row_is_fixed_up_as_docxtpl_does(
        tmp_path: Path, docxtpl_ways: list[str]) -> None:
    template = table_template(tmp_path / "rows.docx", [
        ["{%tr for item in items %}", ""], ["{{ item }}", "x"], ["{%tr endfor %}", ""]])
    assert both_ways(template, {"items": []}, docxtpl_ways) == ["fix_tables", "map_tree"]
    assert both_ways(template, {"items": ["a", "b"]}, docxtpl_ways) == []


def test_a_merged_heading_cell_spanning_the_grid_needs_no_fixing(
        tmp_path: Path, docxtpl_ways: list[str]) -> None:
    template = table_template(tmp_path / "merged.docx", [
        ["Heading", "", ""], ["{%tr for item in items %}", "", ""],
        ["{{ item }}", "b", "c"], ["{%tr endfor %}", "", ""]], merge_heading=True)
    assert both_ways(template, {"items": ["a", "b"]}, docxtpl_ways) == []


def merged_heading_spanning(tmp_path: Path, span: str) -> Path:
    """A three-column table whose merged heading's gridSpan is written as span."""
    template = table_template(tmp_path / "merged.docx", [["Heading", "", ""], ["a", "b", "c"]],
                              merge_heading=True)

    def set_span(root: Any) -> None:
        for element in root.iter(w("gridSpan")):
            element.set(w("val"), span)

    return edit_body(template, tmp_path / "span.docx", set_span)


def test_a_span_that_is_not_a_plain_number_is_left_to_docxtpl(
        tmp_path: Path, docxtpl_ways: list[str]) -> None:
    """int() reads " 3" as 3: docxtpl copes, and plangen lets it rather than read it itself."""
    padded = merged_heading_spanning(tmp_path, " 3")
    assert both_ways(padded, {}, docxtpl_ways) == ["fix_tables", "map_tree"]


def test_a_span_docxtpl_cannot_read_fails_the_render_as_it_fails_docxtpl(
        tmp_path: Path) -> None:
    """Another row spans the grid, so nothing needs fixing, but docxtpl reads every span and
    fails on this one: so does plangen."""
    spelt = merged_heading_spanning(tmp_path, "three")
    with pytest.raises(ValueError):
        docxtpl_render(spelt, {})
    with pytest.raises(TemplateProblems) as raised:
        render_template(spelt, {})
    assert [problem.code for problem in raised.value.problems] == ["render-failed"]


def test_rows_of_a_table_inside_a_cell_count_for_the_outer_grid_as_docxtpl_counts_them(
        tmp_path: Path, docxtpl_ways: list[str]) -> None:
    """docxtpl counts every row below a table, its inner tables' too, and widens the outer grid
    to the widest: a quirk, kept."""
    path = tmp_path / "nested.docx"
    document = Document()
    outer = document.add_table(rows=1, cols=2)
    outer.cell(0, 0).paragraphs[0].text = "{{ name }}"
    inner = outer.cell(0, 1).add_table(rows=1, cols=3)
    inner.cell(0, 0).paragraphs[0].text = "inner"
    document.save(str(path))
    assert both_ways(path, {"name": "outer"}, docxtpl_ways) == ["fix_tables", "map_tree"]
    assert grid_and_cells(saved_parts(render_template(path, {"name": "outer"})))[0] == (3, [2])


# --------------------------------------------------------------------------------------------
# Namespaces: declared again below the body, dropped as lxml drops them when it moves the body


def declare(source: Path, target: Path, text: str, declarations: str) -> Path:
    """Add namespace declarations to the paragraph holding text, as another editor might."""
    with zipfile.ZipFile(source) as archive:
        members = {item.filename: archive.read(item) for item in archive.infolist()}
    data = members["word/document.xml"].decode()
    at = data.index(text)
    start = max(data.rfind("<w:p>", 0, at), data.rfind("<w:p ", 0, at)) + len("<w:p")
    members["word/document.xml"] = (data[:start] + " " + declarations + data[start:]).encode()
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return target


W_URI = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def test_a_namespace_the_document_declares_declared_again_in_the_body_is_dropped(
        tmp_path: Path, docxtpl_ways: list[str]) -> None:
    template = declare(table_template(tmp_path / "plain.docx", [["{{ name }}", "x"]]),
                       tmp_path / "again.docx", "{{ name }}",
                       f'xmlns:w="{W_URI}" xmlns:ex="urn:example:one"')
    parts = saved_parts(render_template(template, {"name": "A & B"}))
    assert 'xmlns:ex="urn:example:one"' in str(parts["word/document.xml"])
    assert both_ways(template, {"name": "A & B"}, docxtpl_ways) == []


def test_a_prefix_bound_to_another_uri_below_the_body_is_moved_in_the_docxtpl_way(
        tmp_path: Path, docxtpl_ways: list[str]) -> None:
    """The move would match the URI to the document's own prefix for it, renaming elements."""
    template = declare(table_template(tmp_path / "plain.docx", [["{{ name }}", "x"]]),
                       tmp_path / "other.docx", "{{ name }}", f'xmlns:ww="{W_URI}"')
    assert both_ways(template, {"name": "A"}, docxtpl_ways) == ["map_tree"]


def test_the_same_namespace_declared_on_two_paragraphs_is_moved_in_the_docxtpl_way(
        tmp_path: Path, docxtpl_ways: list[str]) -> None:
    template = table_template(tmp_path / "plain.docx", [["{{ name }}", "x"]], before="One",
                              after="Two")
    declare(template, tmp_path / "one.docx", "One", 'xmlns:ex="urn:example:one"')
    template = declare(tmp_path / "one.docx", tmp_path / "twice.docx", "Two",
                       'xmlns:ex="urn:example:one"')
    assert both_ways(template, {"name": "A"}, docxtpl_ways) == ["map_tree"]


def test_a_comment_in_the_body_is_moved_in_the_docxtpl_way(
        tmp_path: Path, docxtpl_ways: list[str]) -> None:
    template = edit_body(
        table_template(tmp_path / "plain.docx", [["{{ name }}", "x"]]), tmp_path / "comment.docx",
        lambda root: root.find(w("body")).insert(0, etree.Comment(f' <w:p xmlns:w="{W_URI}"> ')))
    assert both_ways(template, {"name": "A"}, docxtpl_ways) == ["map_tree"]


# --------------------------------------------------------------------------------------------
# Tabs and line breaks in text: docxtpl's pass over every paragraph runs only when one is there


@pytest.mark.parametrize("name", ["Police\tand PCC", "two\nlines", "page\fbreak", "plain"])
def test_a_tab_or_break_in_a_value_is_turned_into_words_markup_as_docxtpl_does(
        tmp_path: Path, docxtpl_ways: list[str], name: str) -> None:
    template = table_template(tmp_path / "listing.docx", [["{{ name }}", "x"]])
    assert both_ways(template, {"name": name}, docxtpl_ways) == []
    tab = "<w:tab/>" in str(saved_parts(render_template(template, {"name": name}))[
        "word/document.xml"])
    assert tab == ("\t" in name)


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> DocxTemplate:
    template = table_template(tmp_path_factory.mktemp("listing") / "plain.docx",
                              [["{{ name }}", "x"]])
    return render_template(template, {"name": "A"})


#: Text as it is in rendered XML (escaped: never a "<"), with every character docxtpl turns
#: into Word's markup.
TEXT = st.lists(st.sampled_from(["x", " ", "&amp;", "&lt;", ">", "\t", "\n", "\a", "\f"]),
                max_size=6).map("".join)
RUN = st.tuples(st.sampled_from(["", "<w:rPr><w:b/></w:rPr>"]),
                st.sampled_from(["<w:t>", '<w:t xml:space="preserve">', '<w:t a="1">']),
                TEXT, st.booleans()).map(
    lambda run: f"<w:r>{run[0]}<w:tab/></w:r>" if run[3] else
    f"<w:r>{run[0]}{run[1]}{run[2]}</w:t></w:r>")
PARAGRAPH = st.tuples(st.sampled_from(["", "<w:pPr><w:jc w:val=\"center\"/></w:pPr>"]),
                      st.lists(RUN, max_size=3)).map(
    lambda paragraph: f"<w:p>{paragraph[0]}{''.join(paragraph[1])}</w:p>")
BLOCK = st.one_of(PARAGRAPH, st.lists(PARAGRAPH, min_size=1, max_size=2).map(
    lambda cell: f"<w:tbl><w:tr><w:tc>{''.join(cell)}</w:tc></w:tr></w:tbl>"))


@settings(max_examples=500, deadline=None)
@given(st.lists(BLOCK, max_size=4))
def test_the_tabs_and_breaks_in_any_body_become_docxtpls_markup(
        rendered: DocxTemplate, blocks: list[str]) -> None:
    """plangen leaves out docxtpl's pass when no text holds a tab or break; what it gives is
    docxtpl's, with or without one."""
    xml = f'<w:body xmlns:w="{W_URI}">{"".join(blocks)}</w:body>'
    assert rendered.resolve_listing(xml) == DocxTemplate.resolve_listing(rendered, xml)


# --------------------------------------------------------------------------------------------
# Opening: the styles are left unread, and written back as they came


def with_member(source: Path, target: Path, name: str, edit: Callable[[bytes], bytes]) -> Path:
    """A copy of source with the bytes of one member changed by edit."""
    with zipfile.ZipFile(source) as archive:
        members = {item.filename: archive.read(item) for item in archive.infolist()}
    members[name] = edit(members[name])
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for member, content in members.items():
            archive.writestr(member, content)
    return target


def test_styles_written_as_word_writes_them_come_out_byte_for_byte(
        tmp_path: Path, sample_names: dict[str, Any]) -> None:
    """Word writes its declaration in double quotes and ends it with a line break; python-docx
    would have read the styles and written them its own way. The XML is docxtpl's either way."""
    def as_word_writes(styles: bytes) -> bytes:
        body = styles[styles.index(b"?>") + 2:].lstrip()
        return b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n' + body

    template = with_member(TEMPLATE, tmp_path / "word.docx", "word/styles.xml", as_word_writes)
    with zipfile.ZipFile(template) as archive:
        written = archive.read("word/styles.xml")
    buffer = io.BytesIO()
    render_template(template, sample_names).save(buffer)
    with zipfile.ZipFile(buffer) as archive:
        assert archive.read("word/styles.xml") == written
    theirs = docxtpl_render(template, sample_names)
    assert theirs[STYLES] != written.decode()  # python-docx would have written them its way
    assert both_ways(template, sample_names, []) == []  # the same XML as docxtpl's


def test_styles_are_read_when_something_asks_for_them_and_saved_as_changed(
        tmp_path: Path) -> None:
    template = table_template(tmp_path / "plain.docx", [["{{ name }}", "x"]])
    document = render_template(template, {"name": "A"})
    heading = document.docx.styles["Heading 1"]
    assert heading.name == "Heading 1"
    heading.font.size = Pt(31)
    buffer = io.BytesIO()
    document.save(buffer)
    assert Document(buffer).styles["Heading 1"].font.size == Pt(31)


def test_a_template_with_damaged_styles_is_refused_before_anything_is_written(
        tmp_path: Path) -> None:
    """The render leaves the styles unread, so it is the build's template check that reads
    them and refuses a damaged part."""
    template = with_member(TEMPLATE, tmp_path / "damaged.docx", STYLES,
                           lambda styles: styles[:len(styles) // 2])
    output = tmp_path / "out" / "plan.docx"
    output.parent.mkdir()
    with pytest.raises(TemplateError, match=r"styles\.xml is damaged"):
        build(SAMPLE_INPUTS, template, output)
    assert list(output.parent.iterdir()) == []


# --------------------------------------------------------------------------------------------
# Document properties: only those holding a tag go through Jinja


def test_properties_with_a_tag_are_filled_in_and_others_kept_as_jinja_gives_them(
        tmp_path: Path, docxtpl_ways: list[str]) -> None:
    def fill_in(root: Any) -> None:
        for element in root:
            if element.tag.endswith("}title"):
                element.text = "Plan for {{ name }}"
            if element.tag.endswith("}subject"):
                element.text = "Safety & <more>, 100%"

    template = edit_parts(table_template(tmp_path / "plain.docx", [["{{ name }}", "x"]]),
                          tmp_path / "properties.docx", {"docProps/core.xml": fill_in})
    assert both_ways(template, {"name": "Preston"}, docxtpl_ways) == []
    names = {"name": "Preston & <Lancs>"}
    document = render_template(template, names)
    properties = document.docx.core_properties
    assert properties.title == "Plan for Preston & <Lancs>"
    assert properties.subject == "Safety & <more>, 100%"
    plain = environment().overlay(autoescape=False)  # a property filled in as plain text
    assert properties.subject == plain.from_string("Safety & <more>, 100%").render(names)


def test_a_value_in_a_property_is_escaped_once_not_twice(tmp_path: Path) -> None:
    """docxtpl escaped a property's values as XML and python-docx escaped them again, so
    Word's File → Properties showed "&amp;"; the body is still escaped as XML, once."""
    def title(root: Any) -> None:
        for element in root:
            if element.tag.endswith("}title"):
                element.text = "{{ name }} plan"

    template = edit_parts(table_template(tmp_path / "plain.docx", [["{{ name }}", "x"]]),
                          tmp_path / "title.docx", {"docProps/core.xml": title})
    buffer = io.BytesIO()
    render_template(template, {"name": "Safety & <Justice>"}).save(buffer)
    saved = Document(buffer)
    assert saved.core_properties.title == "Safety & <Justice> plan"
    assert saved.tables[0].cell(0, 0).text == "Safety & <Justice>"
    assert docxtpl_render(template, {"name": "Safety & <Justice>"})["docProps/core.xml"] != (
        saved_parts(render_template(template, {"name": "Safety & <Justice>"}))[
            "docProps/core.xml"])  # docxtpl alone still escapes twice


# --------------------------------------------------------------------------------------------
# Damaged output is still refused, never repaired


def test_a_block_that_starts_in_a_table_and_ends_after_it_is_refused_as_damaged(
        tmp_path: Path) -> None:
    template = table_template(tmp_path / "damaged.docx", [["{% if draft %}", "x"]],
                              after="{% endif %} after")
    with pytest.raises(TemplateProblems) as raised:
        render_template(template, {"draft": False})
    assert [problem.code for problem in raised.value.problems] == ["damaged-output"]


# --------------------------------------------------------------------------------------------
# Footnotes: filled in once, however many sections the document has

FOOTNOTES = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"


def with_footnote(path: Path, text: str, sections: int) -> Path:
    """A template of a paragraph with a footnote holding text, in so many sections."""
    document = Document()
    reference = document.add_paragraph("Before the note").add_run()
    for _ in range(sections - 1):
        document.add_section()
        document.add_paragraph("Another section")
    reference._r.append(etree.fromstring(
        f'<w:footnoteReference xmlns:w="{W_URI}" w:id="1"/>'))
    document.save(str(path))
    separator = ('<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r>'
                 '</w:p></w:footnote><w:footnote w:type="continuationSeparator" w:id="0"><w:p>'
                 '<w:r><w:continuationSeparator/></w:r></w:p></w:footnote>')
    footnotes = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:footnotes '
                 f'xmlns:w="{W_URI}">{separator}<w:footnote w:id="1"><w:p><w:r><w:t '
                 f'xml:space="preserve">{text}</w:t></w:r></w:p></w:footnote></w:footnotes>')
    with zipfile.ZipFile(path) as archive:
        members = {item.filename: archive.read(item) for item in archive.infolist()}
    members["word/footnotes.xml"] = footnotes.encode()
    members["[Content_Types].xml"] = members["[Content_Types].xml"].replace(
        b"</Types>", b'<Override PartName="/word/footnotes.xml" ContentType="'
        + FOOTNOTES.encode() + b'"/></Types>')
    members["word/_rels/document.xml.rels"] = members["word/_rels/document.xml.rels"].replace(
        b"</Relationships>", b'<Relationship Id="rIdNotes" Type="http://schemas.openxmlformats'
        b'.org/officeDocument/2006/relationships/footnotes" Target="footnotes.xml"/>'
        b"</Relationships>")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return path


@pytest.mark.parametrize("sections", [1, 3])
def test_footnotes_are_filled_in_once_and_a_value_is_never_read_as_a_tag(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, sections: int) -> None:
    """docxtpl filled the footnotes in once a section, reading what it had filled in as a
    template again: "{{ 7 * 7 }}" in a partner's cell came out as 49."""
    monkeypatch.setenv("PLANGEN_CACHE_DIR", str(tmp_path / "cache"))
    template = with_footnote(tmp_path / "notes.docx", "Led by {{ name }}.", sections)
    value = "{{ 7 * 7 }} & {% if true %}x{% endif %}"
    parts = saved_parts(render_template(template, {"name": value}))
    notes = etree.fromstring(str(parts["word/footnotes.xml"]).encode())
    texts = ["".join(note.itertext()) for note in notes.iter(w("footnote"))]
    assert texts[-1] == f"Led by {value}."
    cached = b"".join(path.read_bytes() for path in (tmp_path / "cache" / "templates").iterdir())
    assert b"7 * 7" not in cached  # only the template is kept, never a value
