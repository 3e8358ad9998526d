"""Mending split tags is skipped when no tag is split: exactly when walking the paragraphs
would have changed nothing (templatexml._nothing_to_mend)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from plangen.template import tags as templatexml
from plangen.template.tags import _nothing_to_mend, _walk_part, mend_paragraph, mended

from conftest import TEMPLATE
from template_editing import edit_body, replace_text, wordlike

W_URI = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def walk_changes(root: Any) -> bool:
    """Whether mending the walked paragraphs of root changes anything (the slow way)."""
    part = _walk_part(None, "word/document.xml", "body", 0, {}, root)  # type: ignore[arg-type]
    return any([mend_paragraph(paragraph) for paragraph in part.paragraphs])


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
def test_the_shortcut_is_taken_only_when_the_walk_would_change_nothing(
        paragraphs: list[list[str]]) -> None:
    root = body(*paragraphs)
    if _nothing_to_mend(root):
        assert not walk_changes(root)


@pytest.mark.parametrize(("texts", "nothing", "changes"), [
    (["{{ name }} and {% if a %}", "text"], True, False),
    (["{{ na", "me }}"], False, True),  # split
    (["{", "{ name }}"], False, True),  # split between the braces
    (["{{ name }", "}"], False, True),
    (["{{\u00a0name }}"], False, True),  # a non-breaking space in a tag is mended alone
    (["50% off {curly}"], False, False),  # a brace outside a tag: left to the walk
    (["50% off #1"], True, False),
])
def test_examples(texts: list[str], nothing: bool, changes: bool) -> None:
    root = body(texts)
    assert _nothing_to_mend(root) is nothing
    assert walk_changes(root) is changes


def test_the_shipped_template_takes_the_shortcut_and_is_not_rewritten(
        monkeypatch: pytest.MonkeyPatch) -> None:
    walked: list[str] = []
    original = templatexml._walk_part

    def spy(archive: Any, member: str, *args: Any) -> Any:
        walked.append(member)
        return original(archive, member, *args)

    monkeypatch.setattr(templatexml, "_walk_part", spy)
    assert mended(TEMPLATE) == TEMPLATE.read_bytes()
    assert walked == []


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_a_template_word_has_split_is_mended_as_before(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, seed: int) -> None:
    template = wordlike(TEMPLATE, tmp_path / "word.docx", seed)
    fast = mended(template)
    assert fast != template.read_bytes()
    monkeypatch.setattr(templatexml, "_nothing_to_mend", lambda root: False)
    assert mended(template) == fast


def test_a_tag_with_a_non_breaking_space_is_mended_as_before(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    template = edit_body(TEMPLATE, tmp_path / "nbsp.docx",
                         replace_text("{{ action.timescale }}", "{{\u00a0action.timescale }}"))
    fast = mended(template)
    assert fast != template.read_bytes()
    monkeypatch.setattr(templatexml, "_nothing_to_mend", lambda root: False)
    assert mended(template) == fast
