"""The PDF's structure tree, read back as a PDF/UA checker reads it: every Figure has
alternate text, none sits inside another, and no standard structure type is remapped.

The chart's paragraph once had the style "Figure", which LibreOffice tags with a Figure of its
own (remapped to P, which PDF/UA forbids): a Figure without alternate text around the chart's.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pikepdf
import pytest

from conftest import Sample, need_program

#: PDF's standard structure types (ISO 32000-1, 14.8.4), which a role map must not remap.
STANDARD_TAGS = {
    "Document", "Part", "Art", "Sect", "Div", "BlockQuote", "Caption", "TOC", "TOCI", "Index",
    "NonStruct", "Private", "P", "H", "H1", "H2", "H3", "H4", "H5", "H6", "L", "LI", "Lbl",
    "LBody", "Table", "TR", "TH", "TD", "THead", "TBody", "TFoot", "Span", "Quote", "Note",
    "Reference", "BibEntry", "Code", "Link", "Annot", "Ruby", "RB", "RT", "RP", "Warichu",
    "WT", "WP", "Figure", "Formula", "Form",
}


@pytest.fixture(scope="module")
def pdf(sample: Sample) -> Path:
    need_program("soffice", "libreoffice")  # fails rather than skips in CI
    return sample.published.outputs[0].with_suffix(".pdf")


def elements(node: Any, inside: tuple[str, ...] = ()) -> Iterator[tuple[Any, tuple[str, ...]]]:
    """Every structure element under node, with the types of the elements around it."""
    kids = node.get("/K")
    for kid in (kids if isinstance(kids, pikepdf.Array) else [kids]):
        if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:  # not a marked-content ref
            yield kid, inside
            yield from elements(kid, (*inside, str(kid["/S"])))


def role(tag: str, role_map: Any) -> str:
    """A type as the role map resolves it (a few steps at most)."""
    for _ in range(10):
        if tag not in role_map:
            break
        tag = str(role_map[tag])
    return tag


def test_every_figure_has_alternate_text_and_none_is_inside_another(pdf: Path) -> None:
    with pikepdf.open(pdf) as document:
        tree = document.Root.StructTreeRoot
        role_map = tree.get("/RoleMap", pikepdf.Dictionary())
        figures = [(element, [role(tag, role_map) for tag in around])
                   for element, around in elements(tree)
                   if role(str(element["/S"]), role_map) == "/Figure"]
        assert len(figures) == 1  # the chart
        for element, around in figures:
            assert str(element.get("/Alt", "")).startswith("Bar chart of actions per theme:")
            assert "/Figure" not in around


def test_no_standard_structure_type_is_remapped(pdf: Path) -> None:
    with pikepdf.open(pdf) as document:
        role_map = document.Root.StructTreeRoot.get("/RoleMap", pikepdf.Dictionary())
        assert [str(tag) for tag in role_map
                if str(tag).lstrip("/") in STANDARD_TAGS] == []
