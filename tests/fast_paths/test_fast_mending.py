"""Mending split tags skips the walk over a part's paragraphs when no tag is split: what it
makes is exactly what walking and mending every paragraph makes (mending.mend_part)."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from plangen.template.mending import mend_paragraph, mend_part, mended
from plangen.template.tags import read_template, walk_part

from conftest import TEMPLATE
from template_editing import edit_body, replace_text, wordlike

W_URI = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def walk_changes(root: Any) -> bool:
    """Whether mending the walked paragraphs of root changes anything (the plain way)."""
    part = walk_part("word/document.xml", root, "body", 0, {})
    return any([mend_paragraph(paragraph) for paragraph in part.paragraphs])


def both_ways(paragraphs: tuple[list[str], ...]) -> tuple[tuple[bool, bytes], tuple[bool, bytes]]:
    """(changed, XML) of a body mended by mend_part, and of the same body mended the plain
    way."""
    ours, plain = body(*paragraphs), body(*paragraphs)
    return ((mend_part("word/document.xml", ours), etree.tostring(ours)),
            (walk_changes(plain), etree.tostring(plain)))


def plainly_mended(path: Path) -> dict[str, bytes]:
    """Every member of the template at path, its parts mended the plain way: each paragraph
    walked and mended, with no shortcut."""
    with zipfile.ZipFile(path) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    for part in read_template(path).parts:
        if any([mend_paragraph(paragraph) for paragraph in part.paragraphs]):
            members[part.name] = etree.tostring(part.root, xml_declaration=True,
                                                encoding="UTF-8", standalone=True)
    return members


def members(docx: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(docx)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def body(*paragraphs: list[str]) -> Any:
    """A document whose paragraphs have runs holding these texts, a tab between two runs
    where a text is "TAB"."""
    runs = "".join(
        "<w:p>" + "".join("<w:r><w:tab/></w:r>" if text == "TAB" else
                          f'<w:r><w:t xml:space="preserve">{_escape(text)}</w:t></w:r>'
                          for text in texts) + "</w:p>"
        for texts in paragraphs)
    return etree.fromstring(f'<w:document xmlns:w="{W_URI}"><w:body>{runs}</w:body>'
                            "</w:document>")


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


PIECES = ["{{", "}}", "{%", "%}", "{#", "#}", "{", "}", "%", "#", " x ", "name", "\u00a0",
          "TAB", "{{ a }}", "{% if b %}", "{#c#}"]


@settings(max_examples=1000, deadline=None)
@given(st.lists(st.lists(st.lists(st.sampled_from(PIECES), max_size=4).map("".join),
                         min_size=1, max_size=4), min_size=1, max_size=3))
def test_mending_a_part_makes_what_the_plain_walk_makes(paragraphs: list[list[str]]) -> None:
    ours, plain = both_ways(tuple(paragraphs))
    assert ours == plain


@pytest.mark.parametrize(("texts", "changes"), [
    (["{{ name }} and {% if a %}", "text"], False),
    (["{{ na", "me }}"], True),  # split
    (["{", "{ name }}"], True),  # split between the braces
    (["{{ name }", "}"], True),
    (["{{\u00a0name }}"], True),  # a non-breaking space in a tag is mended alone
    (["50% off {curly}"], False),  # a brace outside a tag: left to the walk
    (["50% off #1"], False),
])
def test_examples(texts: list[str], changes: bool) -> None:
    ours, plain = both_ways((texts,))
    assert ours == plain
    assert plain[0] is changes


def test_the_shipped_template_is_not_rewritten() -> None:
    assert mended(TEMPLATE) == TEMPLATE.read_bytes()
    assert plainly_mended(TEMPLATE) == members(TEMPLATE.read_bytes())


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_a_template_word_has_split_is_mended_as_the_plain_walk_mends_it(
        tmp_path: Path, seed: int) -> None:
    template = wordlike(TEMPLATE, tmp_path / "word.docx", seed)
    fast = mended(template)
    assert fast != template.read_bytes()
    assert members(fast) == plainly_mended(template)


def test_a_tag_with_a_non_breaking_space_is_mended_as_the_plain_walk_mends_it(
        tmp_path: Path) -> None:
    template = edit_body(TEMPLATE, tmp_path / "nbsp.docx",
                         replace_text("{{ action.timescale }}", "{{\u00a0action.timescale }}"))
    fast = mended(template)
    assert fast != template.read_bytes()
    assert members(fast) == plainly_mended(template)
