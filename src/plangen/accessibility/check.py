"""Checking a built plan (.docx or .html) against the accessibility rules for publishing.

UK public-sector documents must meet WCAG 2.1/2.2 AA. This checks what a machine can check in
the file itself: a title and a language; headings in order and never empty; tables with a
repeating header row and no merged data cells; alt text on images; body text of at least 11 pt
in a sans-serif font; text contrast of at least 4.5:1 (stricter than WCAG's 3:1 for large
text, so headings are held to it too); and no meaning carried by colour alone.

Word documents are read as XML, resolving formatting the way Word does: document defaults, then
the table style, the paragraph style and its "based on" chain, the character style, then direct
formatting. Web pages are read with their own stylesheet. Each finding has a stable id, where it
is, what is wrong and how to fix it.
"""

from __future__ import annotations

import functools
import re
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from lxml import etree
from lxml import html as lxml_html

from plangen.errors import NotCheckable
from plangen.namespaces import NS, XML, W, clark
from plangen.problems import DocumentLocation, Problem, Severity
from plangen.untrusted import PartTooLarge, read_part, screen

MIN_CONTRAST = 4.5
MIN_SIZE_PT = 11.0
#: The style of a Word template's paragraphs that hold only {%p %} tags: docxtpl removes them,
#: so they never reach a reader and are not checked (the template itself can be checked).
TEMPLATE_TAG = "Template Tag"


def _finding(code: str, where: str, message: str, fix: str,
             severity: Severity = Severity.ERROR) -> Problem:
    """A problem in a built document. where is "file · place", as every check here spells it
    (plan.docx · body · paragraph 12): the file's name comes first."""
    file, _, place = where.partition(" · ")
    return Problem(DocumentLocation(file, place), message, fix, severity, code)


def check_file(path: Path) -> list[Problem]:
    """Every problem found in a .docx or .html file, in document order."""
    if not path.is_file():
        raise NotCheckable(f"{path}: the file does not exist")
    suffix = path.suffix.lower()
    if suffix == ".docx":
        found = check_docx(path)
    elif suffix in (".html", ".htm"):
        found = check_html(path)
    else:
        raise NotCheckable(f"{path}: the accessibility check reads .docx and .html files only")
    return [problem.at(order=order) for order, problem in enumerate(found)]


# ------------------------------------------------------------------------------------------------
# Colours and fonts, shared by both checks


@functools.lru_cache(maxsize=1024)  # a document has a few colours, on thousands of runs
def parse_hex(value: str) -> tuple[int, int, int] | None:
    """'1B1B1B', '#1b1b1b' or '#fff' -> (r, g, b); anything else -> None."""
    text = value.strip().lstrip("#")
    if re.fullmatch(r"[0-9a-fA-F]{3}", text):
        text = "".join(letter * 2 for letter in text)
    if not re.fullmatch(r"[0-9a-fA-F]{6}", text):
        return None
    return int(text[0:2], 16), int(text[2:4], 16), int(text[4:6], 16)


def luminance(rgb: tuple[int, int, int]) -> float:
    """WCAG 2 relative luminance."""

    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(value) for value in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


@functools.lru_cache(maxsize=1024)
def contrast(first: tuple[int, int, int], second: tuple[int, int, int]) -> float:
    """WCAG 2 contrast ratio, 1 to 21."""
    lighter, darker = sorted((luminance(first), luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def hex_of(rgb: tuple[int, int, int]) -> str:
    return "#{:02X}{:02X}{:02X}".format(*rgb)


SANS = {
    "arial", "helvetica", "helvetica neue", "liberation sans", "arimo", "calibri", "carlito",
    "verdana", "tahoma", "segoe ui", "trebuchet ms", "gill sans", "gill sans mt",
    "century gothic", "franklin gothic", "franklin gothic book", "lucida sans",
    "lucida sans unicode", "lucida grande", "open sans", "roboto", "lato", "source sans pro",
    "source sans 3", "noto sans", "dejavu sans", "bitstream vera sans", "ubuntu", "aptos",
    "frutiger", "myriad pro", "gds transport", "inter", "fira sans", "pt sans", "montserrat",
    "aileron", "sans-serif", "system-ui", "-apple-system", "blinkmacsystemfont", "candara",
    "corbel", "microsoft sans serif", "ms sans serif", "nunito", "poppins", "raleway",
}
NOT_SANS = {
    "times new roman", "times", "liberation serif", "tinos", "georgia", "cambria", "caladea",
    "garamond", "book antiqua", "palatino", "palatino linotype", "baskerville",
    "century schoolbook", "bookman old style", "constantia", "dejavu serif", "noto serif",
    "merriweather", "courier new", "courier", "liberation mono", "consolas", "dejavu sans mono",
    "lucida console", "comic sans ms", "serif", "monospace", "cursive", "fantasy",
    "ms mincho", "mincho",
}


def font_kind(name: str, families: Mapping[str, str] | None = None) -> str:
    """'sans', 'other' (serif, monospace, script) or 'unknown'."""
    key = name.strip().strip("'\"").casefold()
    if key in SANS:
        return "sans"
    if key in NOT_SANS or (key.endswith(" serif") and not key.endswith("sans serif")):
        return "other"
    family = (families or {}).get(key, "")
    if family == "swiss":
        return "sans"
    if family in ("roman", "modern", "script", "decorative"):
        return "other"
    if "sans" in key.split():
        return "sans"
    return "unknown"


class _Group:
    """Findings of one kind that repeat (every run of a style): report the first place and
    how many more, not hundreds of lines."""

    def __init__(self) -> None:
        self.first: dict[tuple[Any, ...], tuple[str, dict[str, Any]]] = {}
        self.count: dict[tuple[Any, ...], int] = {}

    def add(self, key: tuple[Any, ...], where: str | Callable[[], str], **details: Any) -> None:
        """`where` may be a function, called only for the first place (the others are
        counted), as working out where a run is costs more than checking it."""
        if key not in self.first:
            self.first[key] = (where if isinstance(where, str) else where(), details)
            self.count[key] = 0
        else:
            self.count[key] += 1

    def items(self) -> Iterator[tuple[tuple[Any, ...], str, dict[str, Any]]]:
        for key, (where, details) in self.first.items():
            more = self.count[key]
            if more:
                where += f" (and {more} more place{'s' if more != 1 else ''})"
            yield key, where, details


# ------------------------------------------------------------------------------------------------
# Word (.docx)

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
#: Run properties that set text apart other than by colour.
EMPHASIS = ("bold", "italic", "underline", "caps", "smallCaps", "strike", "dstrike",
            "highlight", "shading", "size", "font", "vertAlign", "border")


def _w(name: str) -> str:
    return f"{{{W}}}{name}"


_P, _R, _T, _TC, _TR, _TBL = (_w(name) for name in ("p", "r", "t", "tc", "tr", "tbl"))
_PPR, _RPR, _TCPR = _w("pPr"), _w("rPr"), _w("tcPr")
_PSTYLE, _RSTYLE, _OUTLINE, _SHADING = _w("pStyle"), _w("rStyle"), _w("outlineLvl"), _w("shd")


def _child(element: etree._Element, tag: str, *tags: str) -> etree._Element | None:
    """element.find("w:a/w:b", NS) for _child(element, A, B): the first element at the end of
    the path, in document order. Looked for on every paragraph and run, where lxml's find()
    takes several times as long; such elements are almost always the first child."""
    for child in element:
        if child.tag == tag:
            if not tags:
                return child
            found = _child(child, *tags)
            if found is not None:
                return found
    return None


def _val(element: etree._Element | None, attribute: str = "val") -> str | None:
    if element is None:
        return None
    value = element.get(_w(attribute))
    return None if value is None else str(value)


def _on(element: etree._Element) -> bool:
    """A toggle property: <w:b/> is on, <w:b w:val="0"/> off."""
    return (_val(element) or "true").lower() not in ("0", "false", "off", "none")


def _fill(shd: etree._Element | None) -> str | None:
    fill = _val(shd, "fill")
    if fill is None or fill.lower() == "auto":
        return None
    return fill


@dataclass
class _Style:
    id: str
    name: str
    kind: str
    based_on: str | None
    rpr: dict[str, Any]
    ppr: dict[str, Any]
    table_rpr: dict[str, Any] = field(default_factory=dict)
    table_fill: str | None = None
    first_row_rpr: dict[str, Any] = field(default_factory=dict)
    first_row_fill: str | None = None


class _Word:
    """A .docx opened for checking: its parts, styles, theme and fonts."""

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
        self.styles: dict[str, _Style] = {}
        # Worked out once per table, not once per paragraph (_table_style, _paragraphs).
        self.table_styles: dict[Any, _Style | None] = {}
        self.first_rows: dict[Any, Any] = {}
        # Worked out once per kind of paragraph or run, not once each (check_docx).
        self.merged_table_styles: dict[str, _Style | None] = {}
        self.paragraph_props: dict[tuple[Any, ...], tuple[dict[str, Any], dict[str, Any]]] = {}
        self.heading_levels: dict[str, int | None] = {}
        self.defaults_rpr: dict[str, Any] = {}
        self.default_paragraph = ""
        self.default_table = ""
        styles = self.part("styles")
        if styles is not None:
            self._read_styles(styles)

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
        return {str(font.get(_w("name"))).casefold(): _val(font.find("w:family", NS)) or ""
                for font in table.findall("w:font", NS)}

    # -- formatting -----------------------------------------------------------------------

    def colour(self, element: etree._Element) -> str | None:
        """A w:color as 'RRGGBB', or 'auto'."""
        theme = _val(element, "themeColor")
        value = _val(element) or "auto"
        if theme and THEME_COLOURS.get(theme, "") in self.theme:
            value = self.theme[THEME_COLOURS[theme]]
            rgb = parse_hex(value)
            shade, tint = _val(element, "themeShade"), _val(element, "themeTint")
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
        name = _val(fonts, "ascii") or _val(fonts, "hAnsi")
        if name:
            return name
        theme = _val(fonts, "asciiTheme") or _val(fonts, "hAnsiTheme")
        if theme:
            return self.theme.get("font:major" if theme.startswith("major") else "font:minor")
        return None

    def rpr(self, rpr: etree._Element | None) -> dict[str, Any]:
        """The properties set in one w:rPr."""
        props: dict[str, Any] = {}
        if rpr is None:
            return props
        for child in rpr:
            if not isinstance(child.tag, str):
                continue
            name = etree.QName(child).localname
            if name in ("b", "i", "caps", "smallCaps", "strike", "dstrike", "vanish"):
                props[{"b": "bold", "i": "italic"}.get(name, name)] = _on(child)
            elif name == "u":
                props["underline"] = (_val(child) or "single") != "none"
            elif name == "sz":
                size = _val(child)
                if size and size.isdigit():
                    props["size"] = int(size) / 2
            elif name == "rFonts":
                font = self.font(child)
                if font:
                    props["font"] = font
            elif name == "color":
                props["color"] = self.colour(child)
            elif name == "highlight":
                value = _val(child) or "none"
                props["highlight"] = HIGHLIGHTS.get(value) if value != "none" else None
            elif name == "shd":
                props["shading"] = _fill(child)
            elif name == "vertAlign":
                props["vertAlign"] = (_val(child) or "baseline") != "baseline"
            elif name == "bdr":
                props["border"] = (_val(child) or "nil") not in ("nil", "none")
            elif name == "lang":
                props["lang"] = _val(child)
        return props

    def ppr(self, ppr: etree._Element | None) -> dict[str, Any]:
        props: dict[str, Any] = {}
        if ppr is None:
            return props
        level = shd = None
        for child in ppr:  # the first of each, as find() gives, in one pass
            if child.tag == _OUTLINE and level is None:
                level = child
            elif child.tag == _SHADING and shd is None:
                shd = child
        if level is not None and (_val(level) or "").isdigit():
            props["outline"] = int(_val(level) or 9)
        if shd is not None:
            props["shading"] = _fill(shd)
        return props

    def _read_styles(self, styles: etree._Element) -> None:
        defaults = styles.find("w:docDefaults/w:rPrDefault/w:rPr", NS)
        self.defaults_rpr = self.rpr(defaults)
        for element in styles.findall("w:style", NS):
            style_id = element.get(_w("styleId")) or ""
            kind = element.get(_w("type")) or "paragraph"
            name = _val(element.find("w:name", NS)) or style_id
            style = _Style(style_id, name, kind, _val(element.find("w:basedOn", NS)),
                           self.rpr(element.find("w:rPr", NS)),
                           self.ppr(element.find("w:pPr", NS)))
            if kind == "table":
                style.table_rpr = style.rpr
                style.table_fill = _fill(element.find("w:tcPr/w:shd", NS))
                for conditional in element.findall("w:tblStylePr", NS):
                    if conditional.get(_w("type")) == "firstRow":
                        style.first_row_rpr = self.rpr(conditional.find("w:rPr", NS))
                        style.first_row_fill = _fill(conditional.find("w:tcPr/w:shd", NS))
            self.styles[style_id] = style
            if element.get(_w("default")) in ("1", "true", "on"):
                if kind == "paragraph":
                    self.default_paragraph = style_id
                elif kind == "table":
                    self.default_table = style_id

    def chain(self, style_id: str | None) -> list[_Style]:
        """The style and everything it is based on, base first."""
        chain: list[_Style] = []
        seen: set[str] = set()
        while style_id and style_id in self.styles and style_id not in seen:
            seen.add(style_id)
            style = self.styles[style_id]
            chain.append(style)
            style_id = style.based_on
        return chain[::-1]

    def style_name(self, style_id: str | None) -> str:
        if style_id and style_id in self.styles:
            return self.styles[style_id].name
        return style_id or ""


def _text(element: etree._Element) -> str:
    return "".join([t.text or "" for t in element.iter(_T)])


def _excerpt(text: str, length: int = 40) -> str:
    text = " ".join(text.split())
    return f"“{text[:length]}…”" if len(text) > length else f"“{text}”"


@dataclass
class _Paragraph:
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
        return _text(self.element)


def _paragraphs(word: _Word, root: etree._Element, part: str) -> Iterator[_Paragraph]:
    """Every paragraph in a part, in order, with its table context."""
    for number, p in enumerate(root.iter(_P), start=1):
        properties = _child(p, _PPR)
        style = _child(properties, _PSTYLE) if properties is not None else None
        if style is None and properties is not None:
            style = _child(p, _PPR, _PSTYLE)  # in a second w:pPr, as find() would look
        table = cell = row = None
        for ancestor in p.iterancestors(_TC, _TR, _TBL):  # the nearest cell, row and table
            tag = ancestor.tag
            if tag == _TC and cell is None:
                cell = ancestor
            elif tag == _TR and row is None:
                row = ancestor
            elif tag == _TBL:
                table = ancestor
                break
        if table is not None and table not in word.first_rows:
            word.first_rows[table] = next(iter(table.iterchildren(_TR)), None)
        first_row = row is not None and table is not None and word.first_rows[table] is row
        fill = _fill(_child(cell, _TCPR, _SHADING)) if cell is not None else None
        yield _Paragraph(p, number, part, _val(style) or word.default_paragraph, table,
                         first_row, fill, properties)


def _table_style(word: _Word, table: etree._Element | None) -> _Style | None:
    if table is None:
        return None
    if table in word.table_styles:  # thousands of paragraphs, a few tables
        return word.table_styles[table]
    style_id = _val(table.find("w:tblPr/w:tblStyle", NS)) or word.default_table
    if style_id not in word.merged_table_styles:  # one object per style, shared by its tables
        word.merged_table_styles[style_id] = _merged_table_style(word, style_id)
    word.table_styles[table] = word.merged_table_styles[style_id]
    return word.table_styles[table]


def _merged_table_style(word: _Word, style_id: str) -> _Style | None:
    chain = word.chain(style_id)
    if not chain:
        return None
    merged = _Style(style_id, chain[-1].name, "table", None, {}, {})
    for style in chain:
        merged.table_rpr.update(style.table_rpr)
        merged.first_row_rpr.update(style.first_row_rpr)
        merged.table_fill = style.table_fill or merged.table_fill
        merged.first_row_fill = style.first_row_fill or merged.first_row_fill
    return merged


def _uses_first_row(table: etree._Element) -> bool:
    look = table.find("w:tblPr/w:tblLook", NS)
    if look is None:
        return True
    first = look.get(_w("firstRow"))
    if first is not None:
        return first in ("1", "true", "on")
    value = look.get(_w("val"))
    return bool(value) and bool(int(value or "0", 16) & 0x0020)


def _paragraph_props(word: _Word, paragraph: _Paragraph
                     ) -> tuple[tuple[Any, ...], dict[str, Any], dict[str, Any]]:
    """(what the first two depend on, run properties every run of the paragraph starts from,
    paragraph properties). The first two are shared by every paragraph of the same style in
    the same kind of place, so they are worked out once and must not be changed."""
    table_style = _table_style(word, paragraph.table)
    first_row = (table_style is not None and paragraph.first_row
                 and paragraph.table is not None and _uses_first_row(paragraph.table))
    key = (paragraph.style_id, table_style.id if table_style else None, first_row)
    if key not in word.paragraph_props:
        rpr = dict(word.defaults_rpr)
        if table_style is not None:
            rpr.update(table_style.table_rpr)
            if first_row:
                rpr.update(table_style.first_row_rpr)
        styled: dict[str, Any] = {}
        for style in word.chain(paragraph.style_id):
            rpr.update(style.rpr)
            styled.update(style.ppr)
        word.paragraph_props[key] = rpr, styled
    rpr, styled = word.paragraph_props[key]
    own = word.ppr(paragraph.properties)
    return key, rpr, {**styled, **own} if own else styled


def _background(word: _Word, paragraph: _Paragraph, ppr: Mapping[str, Any],
                run: Mapping[str, Any]) -> str:
    """The colour behind a run: its own shading or highlight, the paragraph's, the cell's,
    the table style's, the page's."""
    for fill in (run.get("highlight"), run.get("shading"), ppr.get("shading"),
                 paragraph.cell_fill):
        if fill:
            return str(fill)
    table_style = _table_style(word, paragraph.table)
    if table_style is not None:
        if paragraph.first_row and table_style.first_row_fill and \
                paragraph.table is not None and _uses_first_row(paragraph.table):
            return table_style.first_row_fill
        if table_style.table_fill:
            return table_style.table_fill
    page = word.document.find("w:background", NS)
    page_colour = _val(page, "color")
    if page_colour and parse_hex(page_colour):
        return page_colour
    return "FFFFFF"


def _heading_level(word: _Word, paragraph: _Paragraph, ppr: Mapping[str, Any]) -> int | None:
    """1 for Heading 1 ...; None for body text (outline level 9, or none)."""
    outline = ppr.get("outline")
    if outline is not None:
        return outline + 1 if outline < 9 else None
    if paragraph.style_id not in word.heading_levels:
        match = re.fullmatch(r"heading ([1-9])",
                             word.style_name(paragraph.style_id).casefold())
        word.heading_levels[paragraph.style_id] = int(match.group(1)) if match else None
    return word.heading_levels[paragraph.style_id]


def _runs(paragraph: _Paragraph) -> Iterator[etree._Element]:
    """The paragraph's own runs with text (not those of a nested table's paragraphs)."""
    element = paragraph.element
    nested = False  # whether a paragraph inside this one (a text box's) has begun
    for run in element.iter(_R, _P):
        if run.tag == _P:
            nested = nested or run is not element
            continue
        if nested and next(run.iterancestors(_P), None) is not element:
            continue
        if _text(run).strip():
            yield run


def _run_verdict(word: _Word, paragraph: _Paragraph, style: str, base: Mapping[str, Any],
                 ppr: Mapping[str, Any], run: etree._Element, is_body: bool, level: int | None,
                 groups: tuple[_Group, _Group, _Group, _Group, _Group]
                 ) -> list[tuple[_Group, tuple[Any, ...], dict[str, Any]]]:
    """What the checks find in a run: (group, key, details) for each finding."""
    small, serif, unknown_font, low, colour_only = groups
    found: list[tuple[_Group, tuple[Any, ...], dict[str, Any]]] = []
    run_style = _val(_child(run, _RPR, _RSTYLE))
    props = dict(base)
    for char_style in word.chain(run_style):
        props.update(char_style.rpr)
    props.update(word.rpr(_child(run, _RPR)))
    if props.get("vanish"):
        return found
    label = style + (f" + {word.style_name(run_style)}" if run_style else "")
    if is_body and level is None and style.casefold() != "title":
        size = props.get("size", 10.0)
        if size < MIN_SIZE_PT:
            found.append((small, (label, size), {}))
        font = props.get("font") or "Times New Roman"
        kind = font_kind(font, word.families)
        if kind == "other":
            found.append((serif, (label, font), {}))
        elif kind == "unknown":
            found.append((unknown_font, (label, font), {}))
    colour = props.get("color") or "auto"
    background = _background(word, paragraph, ppr, props)
    fg, bg = parse_hex(colour), parse_hex(background)
    if fg and bg and contrast(fg, bg) < MIN_CONTRAST:
        found.append((low, (label, colour, background), {"ratio": contrast(fg, bg)}))
    base_colour = base.get("color") or "auto"
    if colour != base_colour and not any(
            bool(props.get(key)) != bool(base.get(key))
            or (key in ("size", "font") and props.get(key) != base.get(key))
            for key in EMPHASIS):
        how = f"character style “{word.style_name(run_style)}”" if run_style \
            else "direct formatting"
        found.append((colour_only, (how, colour), {}))
    return found


def check_docx(path: Path) -> list[Problem]:
    word = _Word(path)
    name = word.name
    findings: list[Problem] = []
    findings += _docx_title_and_language(word)

    headings: list[tuple[int, str, str]] = []
    small, serif, unknown_font, low, colour_only = _Group(), _Group(), _Group(), _Group(), _Group()
    parts = [("word/document.xml", word.document, True)]
    for kind in ("header", "footer"):
        for part_name in word.targets.get(kind, []):
            if part_name in word.files:
                parts.append((part_name, word.xml(part_name), False))

    # What a run's checks find depends only on its paragraph's kind (style, place in a table,
    # shading, body or not, heading or not) and its own w:rPr: worked out once for each such
    # kind, and then only counted for every other run like it.
    verdicts: dict[tuple[Any, ...], list[tuple[_Group, tuple[Any, ...], dict[str, Any]]]] = {}
    for part_name, root, is_body in parts:
        area = "body" if is_body else PurePosixPath(part_name).stem
        for paragraph in _paragraphs(word, root, part_name):
            context, base, ppr = _paragraph_props(word, paragraph)
            style = word.style_name(paragraph.style_id)
            if style == TEMPLATE_TAG:
                continue
            where = f"{name} · {area} · paragraph {paragraph.number}"
            level = _heading_level(word, paragraph, ppr) if is_body else None
            if level is not None:
                headings.append((level, paragraph.text, where))
            alike = (context, ppr.get("shading"), paragraph.cell_fill, is_body, level is None)
            for run in _runs(paragraph):
                rpr = _child(run, _RPR)
                key = (alike, None if rpr is None else etree.tostring(rpr, with_tail=False))
                verdict = verdicts.get(key)
                if verdict is None:
                    verdict = verdicts[key] = _run_verdict(
                        word, paragraph, style, base, ppr, run, is_body, level,
                        (small, serif, unknown_font, low, colour_only))
                if not verdict:
                    continue

                def text_where(where: str = where, run: etree._Element = run) -> str:
                    return f"{where} {_excerpt(_text(run))}"

                for group, group_key, details in verdict:
                    group.add(group_key, text_where, **details)

    findings += _heading_findings(headings, "Heading {}", first_level=1)
    findings += _docx_tables(word)
    findings += _docx_images(word, parts)
    for (label, size), where, _ in small.items():
        findings.append(_finding(
            "text-too-small", where, f"body text in “{label}” is {size:g} pt; the minimum is "
            f"{MIN_SIZE_PT:g} pt", f"Modify the style “{label.split(' + ')[-1]}” to "
            f"{MIN_SIZE_PT:g} pt or more (and remove any direct font size on the text)."))
    for (label, font), where, _ in serif.items():
        findings.append(_finding(
            "font-not-sans-serif", where, f"body text in “{label}” is set in {font}, which is "
            "not a sans-serif font", f"Modify the style “{label.split(' + ')[-1]}” to a "
            "sans-serif font such as Arial."))
    for (label, font), where, _ in unknown_font.items():
        findings.append(_finding(
            "font-unknown", where, f"body text in “{label}” is set in {font}; plangen cannot "
            "tell whether it is sans-serif", "Use a well-known sans-serif font such as Arial, "
            "or check this one by eye.", Severity.WARNING))
    for (label, colour, background), where, details in low.items():
        findings.append(_finding(
            "contrast-too-low", where, f"text in “{label}” is #{colour} on #{background}, a "
            f"contrast of {details['ratio']:.1f}:1; the minimum is {MIN_CONTRAST:g}:1",
            f"Make the text colour of “{label.split(' + ')[-1]}” darker or its background "
            "lighter (check with a contrast checker)."))
    for (how, colour), where, _ in colour_only.items():
        findings.append(_finding(
            "colour-only", where, f"text is set apart only by its colour (#{colour}, by {how})",
            "Also make it bold or add a word (such as NEW): colour alone is lost on screen "
            "readers, in black-and-white print and for people who cannot tell the colours "
            "apart."))
    return findings


def _docx_title_and_language(word: _Word) -> list[Problem]:
    findings = []
    title = ""
    if "docProps/core.xml" in word.files:
        element = word.xml("docProps/core.xml").find("dc:title", NS)
        title = (element.text or "").strip() if element is not None else ""
    if not title:
        findings.append(_finding(
            "no-title", f"{word.name} · document properties", "the document has no title",
            "Set the title: in Word, File › Info › Properties › Title; in LibreOffice, File › "
            "Properties › Description › Title. Screen readers and the PDF show it."))
    language = word.defaults_rpr.get("lang")
    normal = word.styles.get(word.default_paragraph)
    for style in word.chain(normal.id if normal else None):
        language = style.rpr.get("lang") or language
    if not language:
        findings.append(_finding(
            "no-language", f"{word.name} · styles", "the document's language is not set",
            "Set the language of the Normal style to English (United Kingdom): modify "
            "Normal › Format › Language. Screen readers use it to pronounce the text."))
    return findings


def _heading_findings(headings: Iterable[tuple[int, str, str]], label: str,
                      first_level: int) -> list[Problem]:
    findings = []
    previous = first_level - 1
    previous_text = ""
    for level, text, where in headings:
        name = label.format(level)
        if not text.strip():
            findings.append(_finding(
                "heading-empty", where, f"an empty {name}",
                "Delete the empty heading, or give it text (an empty paragraph in a heading "
                "style still shows in the navigation pane and to screen readers)."))
        if level > previous + 1:
            after = (f"follows {label.format(previous)} {_excerpt(previous_text)}"
                     if previous >= first_level else "is the first heading")
            findings.append(_finding(
                "heading-skipped", f"{where} {_excerpt(text)}",
                f"{name} {after}: heading levels are skipped",
                f"Use {label.format(previous + 1)} here, so headings go down one level at a "
                "time."))
        previous, previous_text = level, text
    return findings


#: A table's cells with a gridSpan or a vMerge, the only ones that can be merged: the rows
#: that have none (most) are passed over without looking at their cells in Python.
_MAY_BE_MERGED = etree.XPath("w:tr/w:tc[w:tcPr/w:gridSpan or w:tcPr/w:vMerge]",
                             namespaces=NS)


def _docx_tables(word: _Word) -> list[Problem]:
    findings = []
    for number, table in enumerate(word.document.iter(_w("tbl")), start=1):
        rows = table.findall("w:tr", NS)
        if not rows:
            continue
        where = f"{word.name} · body · table {number} {_excerpt(_text(rows[0]))}"
        header = rows[0].find("w:trPr/w:tblHeader", NS)
        if header is None or not _on(header):
            findings.append(_finding(
                "table-header-not-repeated", where,
                "the table's first row is not marked as a header row",
                "Select the first row, then Table Properties › Row › “Repeat as header row at "
                "the top of each page” (LibreOffice: Table Properties › Text Flow › Repeat "
                "heading)."))
        candidates = {cell.getparent() for cell in _MAY_BE_MERGED(table)}
        for row_number, row in enumerate(rows, start=1):
            if row not in candidates:  # no cell of it can be merged
                continue
            flag = row.find("w:trPr/w:tblHeader", NS)
            if flag is not None and _on(flag):
                continue
            merged = [cell for cell in row.findall("w:tc", NS)
                      if int(_val(cell.find("w:tcPr/w:gridSpan", NS)) or "1") > 1
                      or cell.find("w:tcPr/w:vMerge", NS) is not None]
            if merged:
                findings.append(_finding(
                    "table-merged-cells", f"{where} · row {row_number}",
                    "the table has merged cells, which screen readers cannot follow",
                    "Split the merged cells (Table › Split Cells) and repeat the value in "
                    "each cell, or use a separate table."))
                break
    return findings


def _docx_images(word: _Word, parts: Iterable[tuple[str, etree._Element, bool]]
                 ) -> list[Problem]:
    findings = []
    for part_name, root, _ in parts:
        area = PurePosixPath(part_name).stem
        for number, properties in enumerate(root.iter(f"{{{NS['wp']}}}docPr"), start=1):
            decorative = properties.find(".//adec:decorative", NS)
            if (properties.get("descr") or "").strip() or (
                    decorative is not None and decorative.get("val") in ("1", "true")):
                continue
            findings.append(_finding(
                "image-no-alt", f"{word.name} · {area} · image {number} "
                f"“{properties.get('name') or ''}”", "the image has no alt text",
                "Right-click the image › Edit Alt Text (LibreOffice: Properties › Options › "
                "Alternative text) and say what it shows; mark it decorative only if it "
                "shows nothing the text does not."))
        for number, shape in enumerate(root.iter(f"{{{NS['v']}}}shape"), start=1):
            if shape.find("v:imagedata", NS) is not None and not (shape.get("alt") or "").strip():
                findings.append(_finding(
                    "image-no-alt", f"{word.name} · {area} · old-style image {number}",
                    "the image has no alt text", "Add alt text to the image (Edit Alt Text)."))
    return findings


# ------------------------------------------------------------------------------------------------
# Web pages (.html)


@dataclass(frozen=True)
class Rule:
    """One CSS rule: its selectors and declarations, and the @media it sits in."""

    selectors: tuple[str, ...]
    declarations: Mapping[str, str]
    media: str
    line: int


def _split(text: str, separator: str) -> list[str]:
    """Split on separator outside brackets and quotes (so data: URLs survive)."""
    parts, depth, quote, start = [], 0, "", 0
    for index, char in enumerate(text):
        if quote:
            if char == quote:
                quote = ""
        elif char in "\"'":
            quote = char
        elif char in "([":
            depth += 1
        elif char in ")]":
            depth = max(0, depth - 1)
        elif char == separator and depth == 0:
            parts.append(text[start:index])
            start = index + 1
    parts.append(text[start:])
    return parts


def parse_css(text: str, first_line: int = 1) -> list[Rule]:
    """The rules of a stylesheet, with @media blocks flattened (media noted)."""
    text = re.sub(r"/\*.*?\*/", lambda m: re.sub(r"[^\n]", " ", m.group()), text, flags=re.S)
    rules: list[Rule] = []

    def block_end(start: int) -> int:
        depth = 0
        for index in range(start, len(text)):
            if text[index] == "{":
                depth += 1
            elif text[index] == "}":
                depth -= 1
                if depth == 0:
                    return index
        return len(text)

    def walk(start: int, stop: int, media: str) -> None:
        position = start
        while position < stop:
            brace = text.find("{", position, stop)
            semicolon = text.find(";", position, stop)
            if brace == -1:
                return
            if semicolon != -1 and semicolon < brace and \
                    text[position:semicolon].strip().startswith("@"):
                position = semicolon + 1  # @import, @charset
                continue
            prelude = text[position:brace].strip()
            end = block_end(brace)
            line = first_line + text.count("\n", 0, brace)
            if prelude.startswith("@media") or prelude.startswith("@supports"):
                walk(brace + 1, end, prelude)
            elif not prelude.startswith("@"):
                declarations: dict[str, str] = {}
                for declaration in _split(text[brace + 1:end], ";"):
                    name, colon, value = declaration.partition(":")
                    if colon and name.strip():
                        value = re.sub(r"\s*!important\s*$", "", value.strip(), flags=re.I)
                        declarations[name.strip().lower()] = value.strip()
                selectors = tuple(" ".join(s.split()) for s in _split(prelude, ",") if s.strip())
                rules.append(Rule(selectors, declarations, media, line))
            position = end + 1

    walk(0, len(text), "")
    return rules


NAMED_COLOURS = {
    "black": "000000", "white": "FFFFFF", "red": "FF0000", "green": "008000",
    "blue": "0000FF", "yellow": "FFFF00", "grey": "808080", "gray": "808080",
    "silver": "C0C0C0", "maroon": "800000", "navy": "000080", "teal": "008080",
    "purple": "800080", "orange": "FFA500", "olive": "808000", "lime": "00FF00",
    "aqua": "00FFFF", "cyan": "00FFFF", "fuchsia": "FF00FF", "magenta": "FF00FF",
    "lightgrey": "D3D3D3", "lightgray": "D3D3D3", "darkgrey": "A9A9A9", "darkgray": "A9A9A9",
    "dimgray": "696969", "dimgrey": "696969", "pink": "FFC0CB", "gold": "FFD700",
    "whitesmoke": "F5F5F5", "gainsboro": "DCDCDC", "darkred": "8B0000",
    "darkblue": "00008B", "darkgreen": "006400", "lightyellow": "FFFFE0",
}


def css_colour(value: str) -> tuple[int, int, int] | None:
    """A CSS colour we can be sure of (#hex, rgb(), a common name); otherwise None."""
    value = value.strip().lower()
    if value.startswith("#"):
        return parse_hex(value)
    match = re.fullmatch(r"rgba?\(\s*(\d+)[\s,]+(\d+)[\s,]+(\d+)\s*(?:[,/]\s*([\d.]+%?))?\s*\)",
                         value)
    if match:
        alpha = match.group(4)
        if alpha and ((alpha.endswith("%") and float(alpha[:-1]) < 100)
                      or (not alpha.endswith("%") and float(alpha) < 1)):
            return None
        r, g, b = (min(255, int(match.group(n))) for n in (1, 2, 3))
        return r, g, b
    if value in NAMED_COLOURS:
        return parse_hex(NAMED_COLOURS[value])
    return None


def _background_value(declarations: Mapping[str, str]) -> str | None:
    if "background-color" in declarations:
        return declarations["background-color"]
    background = declarations.get("background")
    if background:
        for word in background.split():
            if css_colour(word):
                return word
    return None


def css_points(value: str) -> float | None:
    """A font-size in points, taking 1rem = 1em = 100% = 16 px = 12 pt; None if unknown."""
    value = value.strip().lower()
    keywords = {"xx-small": 7.0, "x-small": 7.5, "small": 9.75, "medium": 12.0,
                "large": 13.5, "x-large": 18.0, "xx-large": 24.0}
    if value in keywords:
        return keywords[value]
    match = re.fullmatch(r"([\d.]+)(px|pt|rem|em|%)", value)
    if not match:
        return None
    number, unit = float(match.group(1)), match.group(2)
    return {"px": number * 0.75, "pt": number, "rem": number * 12, "em": number * 12,
            "%": number * 0.12}[unit]


INLINE_ELEMENTS = {"a", "span", "em", "strong", "b", "i", "mark", "small", "abbr", "code",
                   "cite", "q", "s", "u", "font", "sup", "sub"}
#: Declarations that set text apart other than by colour.
CSS_EMPHASIS = ("font-weight", "font-style", "text-decoration", "text-decoration-line",
                "border", "border-bottom", "border-top", "outline", "background",
                "background-color", "font-size", "text-transform", "font-variant",
                "box-shadow", "font-family", "content")
_SUBJECT = re.compile(r"([a-z][a-z0-9]*)?((?:[.#:\[][^\s>+~]*)*)$", re.I)


def check_html(path: Path) -> list[Problem]:
    name = path.name
    try:
        root = lxml_html.document_fromstring(path.read_bytes())
    except (etree.ParserError, ValueError) as error:
        raise NotCheckable(f"{path}: not a web page that can be read ({error})") from error
    findings: list[Problem] = []

    def at(element: etree._Element) -> str:
        return f"{name} · line {element.sourceline}"

    title = root.find("head/title")
    if title is None or not (title.text_content() or "").strip():
        findings.append(_finding(
            "no-title", f"{name} · <head>", "the page has no <title>",
            "Add a <title> in the template's <head> naming the plan; browsers and screen "
            "readers announce it first."))
    if not (root.get("lang") or root.get(clark(XML, "lang"))
            or "").strip():
        findings.append(_finding(
            "no-language", f"{name} · <html>", "the page's language is not set",
            'Add lang="en-GB" to the <html> tag of the template.'))

    headings = root.xpath("//h1|//h2|//h3|//h4|//h5|//h6")
    top = [h for h in headings if h.tag == "h1"]
    if len(top) != 1:
        findings.append(_finding(
            "one-h1", at(top[1]) if len(top) > 1 else f"{name} · <body>",
            f"the page has {len(top)} <h1> headings; it should have exactly one",
            "Make the plan's title the only <h1>; use <h2> for its sections."))
    findings += _heading_findings(
        ((int(h.tag[1]), _accessible_text(h), at(h)) for h in headings), "<h{}>", 1)

    for number, table in enumerate(root.iter("table"), start=1):
        where = f"{at(table)} · table {number}"
        head = table.find("thead")
        if head is None or not head.xpath(".//th"):
            findings.append(_finding(
                "table-header-not-repeated", where,
                "the table has no header row (<thead> with <th> cells)",
                'Put the column headings in <thead><tr><th scope="col">…</th></tr></thead>.'))
        for cell in table.xpath(".//td|.//th"):
            if next(cell.iterancestors("table")) is not table or \
                    any(a.tag == "thead" for a in cell.iterancestors()):
                continue
            if any((cell.get(span) or "1").strip() not in ("1", "") for span in
                   ("colspan", "rowspan")):
                findings.append(_finding(
                    "table-merged-cells", f"{where} · {at(cell)}",
                    "the table has merged data cells (colspan or rowspan)",
                    "Give every cell its own value; screen readers cannot follow merged "
                    "cells."))
                break

    for image in root.iter("img"):
        if image.get("alt") is None:
            findings.append(_finding(
                "image-no-alt", f"{at(image)} · <img src=“{image.get('src', '')[:40]}”>",
                "the image has no alt attribute",
                'Add alt="…" saying what the image shows (alt="" only if it is decoration).'))
    for graphic in root.xpath("//svg|//*[@role='img']"):
        if graphic.get("aria-hidden") == "true":
            continue
        if (graphic.tag == "svg" and graphic.get("role") != "img") or \
                not _image_name(root, graphic):
            findings.append(_finding(
                "image-no-alt", f"{at(graphic)} · <{graphic.tag}>",
                "the graphic has no text alternative",
                'Give it role="img" and a <title> or aria-label saying what it shows, or '
                'aria-hidden="true" if it is decoration.'))

    findings += _html_styles(root, name)
    return findings


def _accessible_text(element: etree._Element) -> str:
    return " ".join([element.text_content() or ""]
                    + [image.get("alt") or "" for image in element.iter("img")])


def _image_name(root: etree._Element, element: etree._Element) -> str:
    label = (element.get("aria-label") or "").strip()
    if label:
        return label
    names = []
    for ident in (element.get("aria-labelledby") or "").split():
        found = root.xpath("//*[@id=$ident]", ident=ident)
        if found:
            names.append(found[0].text_content().strip())
    if any(names):
        return " ".join(names)
    title = element.find("title")
    return (title.text_content() or "").strip() if title is not None else ""


def _html_styles(root: etree._Element, name: str) -> list[Problem]:
    findings: list[Problem] = []
    rules: list[Rule] = []
    for style in root.iter("style"):
        rules += parse_css(style.text or "", style.sourceline or 1)
    inline: list[tuple[etree._Element, Mapping[str, str]]] = []
    for element in root.xpath("//*[@style]"):
        attribute: dict[str, str] = {}
        for declaration in _split(element.get("style") or "", ";"):
            key, colon, value = declaration.partition(":")
            if colon:
                attribute[key.strip().lower()] = value.strip()
        inline.append((element, attribute))

    body_rules = [rule for rule in rules if not rule.media
                  and any(s in ("body", "html", ":root") for s in rule.selectors)]
    body_colour = body_background = None
    family = None
    for rule in body_rules:
        body_colour = rule.declarations.get("color", body_colour)
        body_background = _background_value(rule.declarations) or body_background
        if "font-family" in rule.declarations:
            family = (rule, rule.declarations["font-family"])
    text = css_colour(body_colour or "") or (0x00, 0x00, 0x00)
    paper = css_colour(body_background or "") or (0xFF, 0xFF, 0xFF)

    if family is None:
        findings.append(_finding(
            "font-not-sans-serif", f"{name} · <style>", "the page sets no font for its body "
            "text, so browsers use their default, a serif font",
            "Add font-family: Arial, sans-serif; to the body rule of the stylesheet."))
    else:
        rule, value = family
        fonts = [font.strip().strip("'\"") for font in value.split(",") if font.strip()]
        kind = font_kind(fonts[0]) if fonts else "other"
        if kind == "other":
            findings.append(_finding(
                "font-not-sans-serif", f"{name} · line {rule.line} · body", f"the body text "
                f"is set in {fonts[0] if fonts else 'no font'}, which is not sans-serif",
                "Use a sans-serif font stack, such as font-family: Arial, sans-serif;."))
        elif kind == "unknown" and (not fonts or fonts[-1].casefold() != "sans-serif"):
            findings.append(_finding(
                "font-unknown", f"{name} · line {rule.line} · body", f"plangen cannot tell "
                f"whether {fonts[0]} is sans-serif", "End the font list with sans-serif.",
                Severity.WARNING))

    sized = [(f"line {rule.line} · {', '.join(rule.selectors)}", rule.declarations)
             for rule in rules] + [(f"line {element.sourceline} · <{element.tag} style>", d)
                                   for element, d in inline]
    for where, declarations in sized:
        size = declarations.get("font-size")
        points = css_points(size) if size else None
        if (size and size.strip().lower() == "smaller") or \
                (points is not None and points < MIN_SIZE_PT):
            findings.append(_finding(
                "text-too-small", f"{name} · {where}", f"font-size {size} is less than "
                f"{MIN_SIZE_PT:g} pt (taking 1rem as 16 px)",
                "Use 1rem (16 px, 12 pt) or more for text."))

    for where, declarations in sized:
        fg_value, bg_value = declarations.get("color"), _background_value(declarations)
        if fg_value is None and bg_value is None:
            continue
        fg = css_colour(fg_value) if fg_value else text
        bg = css_colour(bg_value) if bg_value else paper
        if fg and bg and contrast(fg, bg) < MIN_CONTRAST:
            findings.append(_finding(
                "contrast-too-low", f"{name} · {where}", f"text colour {hex_of(fg)} on "
                f"{hex_of(bg)} has a contrast of {contrast(fg, bg):.1f}:1; the minimum is "
                f"{MIN_CONTRAST:g}:1", "Make the text darker or the background lighter."))

    text_in = {rule.media: css_colour(rule.declarations.get("color", "")) or text
               for rule in rules if rule.media and "body" in rule.selectors}
    findings += _colour_only(root, name, rules, inline, text, text_in)
    return findings


def _colour_only(root: etree._Element, name: str, rules: Iterable[Rule],
                 inline: Iterable[tuple[etree._Element, Mapping[str, str]]],
                 text: tuple[int, int, int],
                 text_in: Mapping[str, tuple[int, int, int]]) -> list[Problem]:
    """Inline text (links, spans, classes used on them) whose rule changes only its colour
    from the body text's (in the same @media)."""
    findings = []
    fix = ("Also make it bold, underline it or add a word: colour alone is lost on screen "
           "readers, in black-and-white print and for people who cannot tell the colours "
           "apart.")
    for rule in rules:
        colour = css_colour(rule.declarations.get("color", ""))
        if colour is None or colour == text_in.get(rule.media, text) or any(
                key in rule.declarations and rule.declarations[key].strip().lower()
                not in ("none", "normal", "inherit", "initial", "unset", "transparent", "0")
                for key in CSS_EMPHASIS):
            continue
        for selector in rule.selectors:
            subject = _SUBJECT.search(selector.split(" ")[-1])
            if not subject or any(state in selector for state in
                                  (":hover", ":focus", ":active", ":visited")):
                continue
            element, qualifiers = (subject.group(1) or "").lower(), subject.group(2) or ""
            classes = re.findall(r"\.([\w-]+)", qualifiers)
            inline_use = element in INLINE_ELEMENTS or (not element and any(
                found.tag in INLINE_ELEMENTS for cls in classes
                for found in root.xpath("//*[contains(concat(' ', normalize-space(@class), "
                                        "' '), $c)]", c=f" {cls} ")))
            link_plain = element == "a" and rule.declarations.get(
                "text-decoration", "").strip().lower().startswith("none")
            if inline_use and (element != "a" or link_plain):
                findings.append(_finding(
                    "colour-only", f"{name} · line {rule.line} · {selector}",
                    f"text matching {selector} is set apart only by its colour", fix))
                break
    for element, declarations in inline:
        if element.tag in INLINE_ELEMENTS and "color" in declarations and not any(
                key in declarations for key in CSS_EMPHASIS):
            findings.append(_finding(
                "colour-only", f"{name} · line {element.sourceline} · <{element.tag} style>",
                "text is set apart only by its colour", fix))
    for element in root.iter("font"):
        if element.get("color"):
            findings.append(_finding(
                "colour-only", f"{name} · line {element.sourceline} · <font color>",
                "text is set apart only by its colour", fix))
    return findings
