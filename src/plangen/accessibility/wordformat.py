"""A Word document opened for the accessibility check, and its formatting resolved the way Word
resolves it: document defaults, then the table style, the paragraph style and its "based on"
chain, the character style, then direct formatting.

The package is read through plangen.office.packages and its styles through
plangen.office.wordstyles.
Formatting is kept as property dicts (bold, size, font, color, shading, ...), worked out once
per style, per table and per kind of paragraph, as a built plan has thousands of paragraphs
in a few dozen styles.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from lxml import etree

from plangen.accessibility.colours import hex_of, parse_hex
from plangen.errors import NotCheckable
from plangen.office.namespaces import NS, W
from plangen.office.packages import PartTooLarge, read_part, screen
from plangen.office.wordstyles import Style, parse_styles

_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                          huge_tree=False, remove_comments=True)

HIGHLIGHTS = {
    "black": "000000", "blue": "0000FF", "cyan": "00FFFF", "green": "00FF00",
    "magenta": "FF00FF", "red": "FF0000", "yellow": "FFFF00", "white": "FFFFFF",
    "darkBlue": "000080", "darkCyan": "008080", "darkGreen": "008000",
    "darkMagenta": "800080", "darkRed": "800000", "darkYellow": "808000",
    "darkGray": "808080", "lightGray": "C0C0C0",
}
THEME_COLOURS = {
    "dark1": "dk1", "text1": "dk1", "light1": "lt1", "background1": "lt1", "dark2": "dk2",
    "text2": "dk2", "light2": "lt2", "background2": "lt2", "hyperlink": "hlink",
    "followedHyperlink": "folHlink",
    **{f"accent{n}": f"accent{n}" for n in range(1, 7)},
}


def w(name: str) -> str:
    """The Clark name of a WordprocessingML element or attribute."""
    return f"{{{W}}}{name}"


P, R, T, TC, TR, TBL = (w(name) for name in ("p", "r", "t", "tc", "tr", "tbl"))
PPR, RPR, TCPR = w("pPr"), w("rPr"), w("tcPr")
PSTYLE, RSTYLE, OUTLINE, SHADING = w("pStyle"), w("rStyle"), w("outlineLvl"), w("shd")


def child(element: etree._Element, tag: str, *tags: str) -> etree._Element | None:
    """element.find("w:a/w:b", NS) for child(element, A, B): the first element at the end of
    the path, in document order. Looked for on every paragraph and run, where lxml's find()
    takes several times as long; such elements are almost always the first child."""
    for found in element:
        if found.tag == tag:
            if not tags:
                return found
            deeper = child(found, *tags)
            if deeper is not None:
                return deeper
    return None


def val(element: etree._Element | None, attribute: str = "val") -> str | None:
    """A w: attribute of an element that may be missing."""
    if element is None:
        return None
    value = element.get(w(attribute))
    return None if value is None else str(value)


def on(element: etree._Element) -> bool:
    """A toggle property: <w:b/> is on, <w:b w:val="0"/> off."""
    return (val(element) or "true").lower() not in ("0", "false", "off", "none")


def fill(shd: etree._Element | None) -> str | None:
    """A w:shd's fill colour, or None for none or "auto"."""
    colour = val(shd, "fill")
    if colour is None or colour.lower() == "auto":
        return None
    return colour


def text_of(element: etree._Element) -> str:
    return "".join([t.text or "" for t in element.iter(T)])


@dataclass
class TableFormatting:
    """What a table style gives its cells' text, in every row and in the first."""

    style_id: str
    rpr: dict[str, Any] = field(default_factory=dict)
    fill: str | None = None
    first_row_rpr: dict[str, Any] = field(default_factory=dict)
    first_row_fill: str | None = None


@dataclass
class StyleFormatting:
    """A style's own formatting as property dicts (a table style's also for its cells)."""

    style: Style
    rpr: dict[str, Any]
    ppr: dict[str, Any]
    table: TableFormatting | None = None


@dataclass
class Paragraph:
    """A paragraph with what its formatting depends on: its style and its place in a table."""

    element: etree._Element
    number: int
    part: str
    style_id: str
    table: etree._Element | None
    first_row: bool
    cell_fill: str | None
    properties: etree._Element | None = None  # its (first) w:pPr

    @property
    def text(self) -> str:
        return text_of(self.element)


class Word:
    """A .docx opened for checking: its parts, styles, theme and fonts, and the formatting of
    its paragraphs and runs."""

    def __init__(self, path: Path) -> None:
        self.name = path.name
        try:
            with zipfile.ZipFile(path) as archive:
                screen(archive)
                self.files = {name: read_part(archive, name) for name in archive.namelist()
                              if name.endswith((".xml", ".rels"))}
        except PartTooLarge as error:
            raise NotCheckable(f"{path}: too large to check safely ({error})") from error
        except (zipfile.BadZipFile, OSError, EOFError, zlib.error) as error:
            raise NotCheckable(f"{path}: not a Word document that can be opened "
                               f"({error})") from error
        if "word/document.xml" not in self.files:
            raise NotCheckable(f"{path}: not a Word document (no word/document.xml)")
        self.document = self.xml("word/document.xml")
        self.targets = self._targets()
        self.theme = self._theme()
        self.families = self._font_families()
        self.styles = parse_styles(self.part("styles"))
        self.formatting = {style_id: self._formatting(style)
                           for style_id, style in self.styles.by_id.items()}
        self.defaults_rpr = self.rpr(self.styles.defaults_rpr)
        self.default_paragraph = self.styles.default("paragraph")
        self.default_table = self.styles.default("table")
        page = val(self.document.find("w:background", NS), "color")
        self.page_colour = page if page and parse_hex(page) else "FFFFFF"
        # Worked out once per table, and once per style of table, not once per paragraph.
        self._table_formatting: dict[etree._Element, TableFormatting | None] = {}
        self._first_rows: dict[etree._Element, etree._Element | None] = {}
        self._merged_tables: dict[str, TableFormatting | None] = {}
        # Worked out once per kind of paragraph, not once each.
        self._paragraph_props: dict[tuple[Any, ...],
                                    tuple[dict[str, Any], dict[str, Any]]] = {}
        self._heading_levels: dict[str, int | None] = {}

    def xml(self, name: str) -> etree._Element:
        try:
            return etree.fromstring(self.files[name], _PARSER)
        except etree.XMLSyntaxError as error:
            raise NotCheckable(f"{self.name}: {name} is not well-formed XML ({error})") from error

    def _targets(self) -> dict[str, list[str]]:
        """Relationship type (last word, e.g. "styles") -> part names."""
        targets: dict[str, list[str]] = {}
        rels = "word/_rels/document.xml.rels"
        if rels not in self.files:
            return targets
        for rel in self.xml(rels).findall("rel:Relationship", NS):
            if rel.get("TargetMode") == "External":
                continue
            kind = (rel.get("Type") or "").rsplit("/", 1)[-1]
            target = str(PurePosixPath("word") / (rel.get("Target") or ""))
            parts = target.split("/")
            while ".." in parts:  # "word/../customXml/item1.xml"
                index = parts.index("..")
                del parts[index - 1: index + 1]
            targets.setdefault(kind, []).append("/".join(parts))
        return targets

    def part(self, kind: str) -> etree._Element | None:
        for name in self.targets.get(kind, []):
            if name in self.files:
                return self.xml(name)
        return None

    def _theme(self) -> dict[str, str]:
        theme = self.part("theme")
        colours: dict[str, str] = {}
        if theme is None:
            return colours
        scheme = theme.find(".//a:clrScheme", NS)
        if scheme is None:
            return colours
        for slot in scheme:
            name = etree.QName(slot).localname
            srgb = slot.find("a:srgbClr", NS)
            system = slot.find("a:sysClr", NS)
            if srgb is not None and srgb.get("val"):
                colours[name] = str(srgb.get("val"))
            elif system is not None and system.get("lastClr"):
                colours[name] = str(system.get("lastClr"))
        fonts = theme.find(".//a:fontScheme", NS)
        if fonts is not None:
            for role in ("major", "minor"):
                latin = fonts.find(f"a:{role}Font/a:latin", NS)
                if latin is not None and latin.get("typeface"):
                    colours[f"font:{role}"] = str(latin.get("typeface"))
        return colours

    def _font_families(self) -> dict[str, str]:
        table = self.part("fontTable")
        if table is None:
            return {}
        return {str(font.get(w("name"))).casefold(): val(font.find("w:family", NS)) or ""
                for font in table.findall("w:font", NS)}

    # -- formatting elements as property dicts ----------------------------------------------

    def colour(self, element: etree._Element) -> str | None:
        """A w:color as 'RRGGBB', or 'auto'."""
        theme = val(element, "themeColor")
        value = val(element) or "auto"
        if theme and THEME_COLOURS.get(theme, "") in self.theme:
            value = self.theme[THEME_COLOURS[theme]]
            rgb = parse_hex(value)
            shade, tint = val(element, "themeShade"), val(element, "themeTint")
            if rgb and shade and parse_hex(shade * 3):
                factor = int(shade, 16) / 255
                rgb = (round(rgb[0] * factor), round(rgb[1] * factor), round(rgb[2] * factor))
            if rgb and tint and parse_hex(tint * 3):
                factor = int(tint, 16) / 255
                rgb = tuple(round(c + (255 - c) * (1 - factor)) for c in rgb)  # type: ignore[assignment]
            if rgb:
                value = hex_of(rgb).lstrip("#")
        return "auto" if value.lower() == "auto" else value.upper()

    def font(self, fonts: etree._Element) -> str | None:
        name = val(fonts, "ascii") or val(fonts, "hAnsi")
        if name:
            return name
        theme = val(fonts, "asciiTheme") or val(fonts, "hAnsiTheme")
        if theme:
            return self.theme.get("font:major" if theme.startswith("major") else "font:minor")
        return None

    def rpr(self, rpr: etree._Element | None) -> dict[str, Any]:
        """The properties set in one w:rPr."""
        props: dict[str, Any] = {}
        if rpr is None:
            return props
        for element in rpr:
            if not isinstance(element.tag, str):
                continue
            name = etree.QName(element).localname
            if name in ("b", "i", "caps", "smallCaps", "strike", "dstrike", "vanish"):
                props[{"b": "bold", "i": "italic"}.get(name, name)] = on(element)
            elif name == "u":
                props["underline"] = (val(element) or "single") != "none"
            elif name == "sz":
                size = val(element)
                if size and size.isdigit():
                    props["size"] = int(size) / 2
            elif name == "rFonts":
                font = self.font(element)
                if font:
                    props["font"] = font
            elif name == "color":
                props["color"] = self.colour(element)
            elif name == "highlight":
                value = val(element) or "none"
                props["highlight"] = HIGHLIGHTS.get(value) if value != "none" else None
            elif name == "shd":
                props["shading"] = fill(element)
            elif name == "vertAlign":
                props["vertAlign"] = (val(element) or "baseline") != "baseline"
            elif name == "bdr":
                props["border"] = (val(element) or "nil") not in ("nil", "none")
            elif name == "lang":
                props["lang"] = val(element)
        return props

    def ppr(self, ppr: etree._Element | None) -> dict[str, Any]:
        """The properties set in one w:pPr that the checks look at: outline level, shading."""
        props: dict[str, Any] = {}
        if ppr is None:
            return props
        level = shd = None
        for element in ppr:  # the first of each, as find() gives, in one pass
            if element.tag == OUTLINE and level is None:
                level = element
            elif element.tag == SHADING and shd is None:
                shd = element
        if level is not None and (val(level) or "").isdigit():
            props["outline"] = int(val(level) or 9)
        if shd is not None:
            props["shading"] = fill(shd)
        return props

    # -- styles -----------------------------------------------------------------------------

    def _formatting(self, style: Style) -> StyleFormatting:
        formatting = StyleFormatting(style, self.rpr(style.rpr), self.ppr(style.ppr))
        if style.kind == "table":
            first_row = style.first_row
            formatting.table = TableFormatting(
                style.style_id, formatting.rpr, fill(style.cell_shading),
                self.rpr(child(first_row, RPR) if first_row is not None else None),
                fill(first_row.find("w:tcPr/w:shd", NS)) if first_row is not None else None)
        return formatting

    def chain(self, style_id: str | None) -> list[StyleFormatting]:
        """The style and everything it is based on, base first."""
        return [self.formatting[style.style_id] for style in self.styles.chain(style_id)]

    def style_name(self, style_id: str | None) -> str:
        return self.styles.name_of(style_id)

    # -- paragraphs -------------------------------------------------------------------------

    def paragraphs(self, root: etree._Element, part: str) -> Iterator[Paragraph]:
        """Every paragraph in a part, in order, with its table context."""
        for number, p in enumerate(root.iter(P), start=1):
            properties = child(p, PPR)
            style = child(properties, PSTYLE) if properties is not None else None
            if style is None and properties is not None:
                style = child(p, PPR, PSTYLE)  # in a second w:pPr, as find() would look
            table = cell = row = None
            for ancestor in p.iterancestors(TC, TR, TBL):  # the nearest cell, row and table
                tag = ancestor.tag
                if tag == TC and cell is None:
                    cell = ancestor
                elif tag == TR and row is None:
                    row = ancestor
                elif tag == TBL:
                    table = ancestor
                    break
            if table is not None and table not in self._first_rows:
                self._first_rows[table] = next(iter(table.iterchildren(TR)), None)
            first_row = row is not None and table is not None and self._first_rows[table] is row
            cell_fill = fill(child(cell, TCPR, SHADING)) if cell is not None else None
            yield Paragraph(p, number, part, val(style) or self.default_paragraph, table,
                            first_row, cell_fill, properties)

    def table_formatting(self, table: etree._Element | None) -> TableFormatting | None:
        """What the table's style, with those it is based on, gives its cells' text."""
        if table is None:
            return None
        if table in self._table_formatting:  # thousands of paragraphs, a few tables
            return self._table_formatting[table]
        style_id = val(table.find("w:tblPr/w:tblStyle", NS)) or self.default_table
        if style_id not in self._merged_tables:  # one object per style, shared by its tables
            self._merged_tables[style_id] = self._merged_table(style_id)
        self._table_formatting[table] = self._merged_tables[style_id]
        return self._table_formatting[table]

    def _merged_table(self, style_id: str) -> TableFormatting | None:
        chain = self.chain(style_id)
        if not chain:
            return None
        merged = TableFormatting(style_id)
        for style in chain:
            if style.table is None:
                continue
            merged.rpr.update(style.table.rpr)
            merged.first_row_rpr.update(style.table.first_row_rpr)
            merged.fill = style.table.fill or merged.fill
            merged.first_row_fill = style.table.first_row_fill or merged.first_row_fill
        return merged

    def props(self, paragraph: Paragraph
              ) -> tuple[tuple[Any, ...], dict[str, Any], dict[str, Any]]:
        """(what the first two depend on, run properties every run of the paragraph starts
        from, paragraph properties). The first two are shared by every paragraph of the same
        style in the same kind of place, so they are worked out once and must not be
        changed."""
        table = self.table_formatting(paragraph.table)
        first_row = (table is not None and paragraph.first_row
                     and paragraph.table is not None and uses_first_row(paragraph.table))
        key = (paragraph.style_id, table.style_id if table else None, first_row)
        if key not in self._paragraph_props:
            rpr = dict(self.defaults_rpr)
            if table is not None:
                rpr.update(table.rpr)
                if first_row:
                    rpr.update(table.first_row_rpr)
            styled: dict[str, Any] = {}
            for style in self.chain(paragraph.style_id):
                rpr.update(style.rpr)
                styled.update(style.ppr)
            self._paragraph_props[key] = rpr, styled
        rpr, styled = self._paragraph_props[key]
        own = self.ppr(paragraph.properties)
        return key, rpr, {**styled, **own} if own else styled

    def background(self, paragraph: Paragraph, ppr: Mapping[str, Any]) -> str:
        """The colour behind the paragraph's text where a run does not shade itself: the
        paragraph's shading, the cell's, the table style's, the page's."""
        for colour in (ppr.get("shading"), paragraph.cell_fill):
            if colour:
                return str(colour)
        table = self.table_formatting(paragraph.table)
        if table is not None:
            if paragraph.first_row and table.first_row_fill and \
                    paragraph.table is not None and uses_first_row(paragraph.table):
                return table.first_row_fill
            if table.fill:
                return table.fill
        return self.page_colour

    def heading_level(self, paragraph: Paragraph, ppr: Mapping[str, Any]) -> int | None:
        """1 for Heading 1 ...; None for body text (outline level 9, or none)."""
        outline = ppr.get("outline")
        if outline is not None:
            return int(outline) + 1 if outline < 9 else None
        if paragraph.style_id not in self._heading_levels:
            match = re.fullmatch(r"heading ([1-9])",
                                 self.style_name(paragraph.style_id).casefold())
            self._heading_levels[paragraph.style_id] = int(match.group(1)) if match else None
        return self._heading_levels[paragraph.style_id]


def uses_first_row(table: etree._Element) -> bool:
    """Whether the table style's first-row formatting applies (w:tblLook)."""
    look = table.find("w:tblPr/w:tblLook", NS)
    if look is None:
        return True
    first = look.get(w("firstRow"))
    if first is not None:
        return first in ("1", "true", "on")
    value = look.get(w("val"))
    return bool(value) and bool(int(value or "0", 16) & 0x0020)


def runs(paragraph: Paragraph) -> Iterator[etree._Element]:
    """The paragraph's own runs with text (not those of a nested table's paragraphs)."""
    element = paragraph.element
    nested = False  # whether a paragraph inside this one (a text box's) has begun
    for run in element.iter(R, P):
        if run.tag == P:
            nested = nested or run is not element
            continue
        if nested and next(run.iterancestors(P), None) is not element:
            continue
        if text_of(run).strip():
            yield run
