"""Templates as Word and LibreOffice save them still build the same plan.

Word cuts what an officer types into runs (spell-check marks, revision ids, bookmarks, tracked
changes); LibreOffice rewrites the whole file. The plan built from such a template must match,
text and structure, the plan built from the shipped one.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from lxml import etree

from plangen.build import build
from plangen.errors import TemplateProblems
from plangen.problems import Severity
from plangen.template.check import check_template

from conftest import SAMPLE_INPUTS, TEMPLATE, Sample, template_where
from docx_reading import all_text, header_footer_text, outline, rows
from template_editing import (
    bookmark,
    edit_body,
    libreoffice_resave,
    proof_error,
    split_run,
    text_element,
    w,
    wordlike,
)


def layout(path: Path) -> dict[str, Any]:
    """What a reader sees: every line of text, headings with their levels, each table's style
    and cells, and the header and footer."""
    def headings(section: Any) -> list[Any]:
        return [(child.heading, child.level, headings(child)) for child in section.children]

    document = Document(str(path))
    # a page-number field keeps the result its editor last laid out: Word updates it on opening
    fields = re.sub(r"Page \d+ of \d+", "Page N of N", header_footer_text(path))
    return {"text": all_text(path), "headings": headings(outline(path)),
            "tables": [(table.style.name if table.style is not None else None, rows(table))
                       for table in document.tables],
            "header and footer": fields}


@pytest.fixture(scope="module")
def original(sample: Sample) -> dict[str, Any]:
    return layout(sample.docx)


def build_from(template: Path) -> dict[str, Any]:
    output = template.with_name(f"{template.stem}-built.docx")  # never over the template
    build(SAMPLE_INPUTS, template, output)
    return layout(output)


def test_a_template_resaved_by_libreoffice_builds_the_same_plan(
        original: dict[str, Any], tmp_path: Path) -> None:
    resaved = libreoffice_resave(TEMPLATE, tmp_path / "lo")
    assert [p for p in check_template(resaved) if p.is_error] == []
    # LibreOffice updates the contents field as it saves, replacing the placeholder sentence
    # with the (empty) list of the template's headings; the PDF and Word fill it in again.
    expected = dict(original)
    expected["text"] = "\n".join(line for line in original["text"].splitlines()
                                 if not line.startswith("The list of contents is filled in"))
    assert build_from(resaved) == expected


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_word_like_run_splits_inside_tags_build_the_same_plan(
        original: dict[str, Any], tmp_path: Path, seed: int) -> None:
    template = wordlike(TEMPLATE, tmp_path / "word.docx", seed)
    split = etree.fromstring(Document(str(template)).element.xml)
    assert len(list(split.iter(w("proofErr")))) > 10  # the splitting really happened
    assert check_template(template) == []
    assert build_from(template) == original


def test_every_place_a_tag_can_be_cut_builds_the_same_plan(
        original: dict[str, Any], tmp_path: Path) -> None:
    """Both delimiters, the p/tr prefixes and the names: cut at each offset of a row-loop tag
    (with a bookmark between the halves) and of a field (with a spell-check mark)."""
    def cut_everywhere(root: Any) -> None:
        for tag, between in (("{%tr for action in theme.actions %}", bookmark),
                             ('{{ action.leads|join(", ") }}', lambda n: proof_error())):
            for number, element in enumerate([t for t in root.iter(w("t")) if t.text == tag]):
                run = element.getparent()
                for offset in range(len(tag) - 1, 0, -1):
                    split_run(run, offset, between(700 + number * 50 + offset))

    template = edit_body(TEMPLATE, tmp_path / "cut.docx", cut_everywhere)
    assert build_from(template) == original


@pytest.mark.parametrize("wrapper", ["ins", "hyperlink", "sdt"])
def test_a_tag_cut_across_a_tracked_change_hyperlink_or_content_control_builds_the_same_plan(
        original: dict[str, Any], tmp_path: Path, wrapper: str) -> None:
    """docxtpl alone joins such a tag by deleting the XML between its pieces, which leaves the
    wrapper unbalanced and the theme headings empty; plangen joins the text instead."""
    def wrap_first_half(root: Any) -> None:
        run = text_element(root, "{{ theme.name }}").getparent()
        split_run(run, 5)
        parent, index = run.getparent(), run.getparent().index(run)
        if wrapper == "sdt":
            outer = etree.Element(w("sdt"))
            etree.SubElement(outer, w("sdtPr"))
            inner = etree.SubElement(outer, w("sdtContent"))
        else:
            outer = inner = etree.Element(w(wrapper), {w("id"): "1", w("author"): "Officer"}
                                          if wrapper == "ins" else {w("anchor"): "top"})
        parent.remove(run)
        inner.append(run)
        parent.insert(index, outer)

    template = edit_body(TEMPLATE, tmp_path / "wrapped.docx", wrap_first_half)
    assert [p for p in check_template(template) if p.is_error] == []
    assert build_from(template) == original


def test_a_line_break_inside_a_tag_is_a_warning_and_the_plan_still_builds(
        original: dict[str, Any], tmp_path: Path) -> None:
    def break_tag(root: Any) -> None:
        run = text_element(root, "{{ theme.name }}").getparent()
        line_break = etree.Element(w("r"))
        etree.SubElement(line_break, w("br"))
        split_run(run, 9, [line_break])

    template = edit_body(TEMPLATE, tmp_path / "break.docx", break_tag)
    [problem] = check_template(template)
    assert (problem.code, problem.severity, template_where(problem).tag) == (
        "split-tag", Severity.WARNING, "{{ theme.↵name }}")
    assert build_from(template) == original


def test_a_picture_inside_a_tag_cannot_be_mended_so_it_is_reported_and_nothing_built(
        tmp_path: Path) -> None:
    def picture_in_tag(root: Any) -> None:
        run = text_element(root, "{{ action.text }}").getparent()
        picture = etree.Element(w("r"))
        etree.SubElement(picture, w("drawing"))
        split_run(run, 5, [picture])

    template = edit_body(TEMPLATE, tmp_path / "picture.docx", picture_in_tag)
    [problem] = check_template(template)
    assert (problem.code, problem.severity, template_where(problem).tag) == (
        "split-tag", Severity.ERROR, "{{ ac▯tion.text }}")
    where = template_where(problem)
    assert (where.heading, where.table, where.row) == (
        "{{ theme.name }}", 4, 3)
    output = tmp_path / "plan.docx"
    with pytest.raises(TemplateProblems):
        build(SAMPLE_INPUTS, template, output)
    assert not output.exists()


def test_pressing_enter_inside_a_tag_is_an_unclosed_tag(tmp_path: Path) -> None:
    def enter_inside(root: Any) -> None:
        element = text_element(root, "{{ glance.new }}")
        paragraph = element.getparent().getparent()
        second = etree.fromstring(etree.tostring(paragraph))
        paragraph.addnext(second)
        text = element.text
        cut = text.index("{{ glance.new }}") + len("{{ glance.")
        element.text = text[:cut]
        next(second.iter(w("t"))).text = text[cut:]

    problems = check_template(edit_body(TEMPLATE, tmp_path / "enter.docx", enter_inside))
    assert [(p.code, template_where(p).tag) for p in problems] == [("unclosed-tag", "{{ glance."),
                                                   ("unopened-tag", "}}")]
    assert template_where(problems[0]).heading == "The plan at a glance"
