"""Reading a Word styles part (word/styles.xml), for every reader of a .docx in plangen.

Each style's id, name, kind, "based on" and outline level, the defaults for its kind, and the
formatting elements (w:rPr, w:pPr, a table style's cell shading and header-row formatting)
left as XML for a reader that resolves formatting itself. The template reader needs only to
tell headings apart; the accessibility check resolves every run's formatting: both read the
styles here, so a style means the same to both.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from lxml import etree

from plangen.office.namespaces import W, clark

STYLES_PART = "word/styles.xml"

_STYLE, _NAME, _BASED_ON = clark(W, "style"), clark(W, "name"), clark(W, "basedOn")
_RPR, _PPR, _TCPR = clark(W, "rPr"), clark(W, "pPr"), clark(W, "tcPr")
_CONDITIONAL = clark(W, "tblStylePr")
_VAL, _ID, _TYPE, _DEFAULT = (clark(W, name) for name in ("val", "styleId", "type", "default"))
_OUTLINE_PATH = f"{_PPR}/{clark(W, 'outlineLvl')}"
_PSTYLE_PATH = f"{_PPR}/{clark(W, 'pStyle')}"
_SHADING_PATH = f"{_TCPR}/{clark(W, 'shd')}"
_DEFAULTS_PATH = "/".join(clark(W, name) for name in ("docDefaults", "rPrDefault", "rPr"))


@dataclass(frozen=True)
class Style:
    """One w:style. The formatting elements are the style's own, not what it inherits."""

    style_id: str
    name: str
    kind: str  # paragraph, character, table, numbering
    based_on: str = ""
    outline_level: int | None = None
    default: bool = False  # the style of its kind where none is named
    rpr: etree._Element | None = field(default=None, compare=False, repr=False)
    ppr: etree._Element | None = field(default=None, compare=False, repr=False)
    #: A table style's: its cells' w:tcPr/w:shd, and its w:tblStylePr for the first row.
    cell_shading: etree._Element | None = field(default=None, compare=False, repr=False)
    first_row: etree._Element | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class StyleSheet:
    """A styles part: the styles by id (the id is what paragraphs, runs and tables name) and
    the document defaults' run properties (w:docDefaults/w:rPrDefault/w:rPr)."""

    by_id: Mapping[str, Style]
    defaults_rpr: etree._Element | None = None

    def default(self, kind: str) -> str:
        """The id of the style of this kind used where none is named ("" if none is)."""
        found = ""
        for style in self.by_id.values():
            if style.default and style.kind == kind:
                found = style.style_id  # the last one marked, as Word takes it
        return found

    def chain(self, style_id: str | None) -> list[Style]:
        """The style and everything it is based on, base first (a loop is cut)."""
        chain: list[Style] = []
        seen: set[str] = set()
        while style_id and style_id in self.by_id and style_id not in seen:
            seen.add(style_id)
            style = self.by_id[style_id]
            chain.append(style)
            style_id = style.based_on
        return chain[::-1]

    def name_of(self, style_id: str | None) -> str:
        """The style's name as Word shows it; the id itself for a style not defined."""
        if style_id and style_id in self.by_id:
            return self.by_id[style_id].name
        return style_id or ""


def parse_styles(root: etree._Element | None) -> StyleSheet:
    """The styles of a parsed styles part (None, for a package without one: no styles)."""
    if root is None:
        return StyleSheet({})
    styles: dict[str, Style] = {}
    for element in root.iterchildren(_STYLE):
        style = _style(element)
        styles[style.style_id] = style
    return StyleSheet(styles, root.find(_DEFAULTS_PATH))


def _style(element: etree._Element) -> Style:
    """One w:style, its children looked at in one pass (a template has hundreds of styles)."""
    name = based_on = rpr = ppr = first_row = None
    has_cell = False
    for child in element:
        tag = child.tag
        if tag == _NAME and name is None:
            name = child
        elif tag == _BASED_ON and based_on is None:
            based_on = child
        elif tag == _RPR and rpr is None:
            rpr = child
        elif tag == _PPR and ppr is None:
            ppr = child
        elif tag == _TCPR:
            has_cell = True
        elif tag == _CONDITIONAL and child.get(_TYPE) == "firstRow":
            first_row = child  # the last, as a later one overrides
    style_id = element.get(_ID) or ""
    level = element.find(_OUTLINE_PATH) if ppr is not None else None
    return Style(
        style_id, (name.get(_VAL) if name is not None else None) or style_id,
        element.get(_TYPE) or "paragraph",
        (based_on.get(_VAL) if based_on is not None else None) or "",
        _int(level.get(_VAL)) if level is not None else None,
        element.get(_DEFAULT) in ("1", "true", "on"),
        rpr, ppr, element.find(_SHADING_PATH) if has_cell else None, first_row)


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


_HEADING_NAME = re.compile(r"(heading [1-9]|title)", re.IGNORECASE)


def is_heading(paragraph: Any, styles: Mapping[str, Style]) -> bool:
    """A heading is a paragraph in a heading style (or Title), or with an outline level."""
    level = paragraph.find(_OUTLINE_PATH)
    if level is not None and (_int(level.get(_VAL)) or 0) < 9:
        return True
    style_id = style_of(paragraph)
    for _ in range(10):  # follow "based on", never forever
        style = styles.get(style_id)
        if style is None:
            return bool(_HEADING_NAME.fullmatch(style_id.replace("Heading", "heading ")))
        if _HEADING_NAME.fullmatch(style.name) or (
                style.outline_level is not None and style.outline_level < 9):
            return True
        if not style.based_on:
            return False
        style_id = style.based_on
    return False


def style_of(paragraph: Any) -> str:
    """The id of the paragraph's own style ("" where it names none)."""
    element = paragraph.find(_PSTYLE_PATH)
    return element.get(_VAL, "") if element is not None else ""
