"""Reading a Word template the way docxtpl fills it in: its parts, paragraphs and tags.

Every paragraph keeps where it is (the part, the heading above it, the paragraph or the table,
row and cell), and where each of its characters came from, so a problem with a tag can be shown
where an officer finds it in Word, and a tag Word split across runs can be joined (mending.py).
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath
from typing import Any

from lxml import etree

from plangen.errors import TemplateError
from plangen.office.namespaces import MC, PACKAGE_RELS, R, W
from plangen.office.packages import PartTooLarge, read_part, screen
from plangen.office.wordstyles import STYLES_PART, Style, is_heading, parse_styles
from plangen.problems import Problem, Severity, TemplateLocation, template_problem


def w(name: str) -> str:
    """The Clark name of a WordprocessingML element or attribute."""
    return f"{{{W}}}{name}"


P, TBL, TR, TC, T = w("p"), w("tbl"), w("tr"), w("tc"), w("t")
_TEXTBOX = w("txbxContent")
_FALLBACK = f"{{{MC}}}Fallback"
_CHARACTERS = {w("tab"): "\t", w("ptab"): "\t", w("br"): "\n", w("cr"): "\n",
               w("noBreakHyphen"): "-"}
#: Things inside a paragraph that are not text: a tag must not have one between its pieces.
OBJECTS = {w(name): name for name in (
    "drawing", "pict", "object", "fldChar", "sym", "footnoteReference", "endnoteReference",
    "commentReference", "separator", "continuationSeparator", "ruby")}
OBJECT_CHAR = "\ufffc"
_NOT_TEXT = {P, _FALLBACK, _TEXTBOX, w("delText"), w("instrText"), w("rPr"), w("pPr"),
             w("softHyphen")}
#: Block containers that only wrap content (content controls, custom XML).
_WRAPPERS = {w("sdt"), w("sdtContent"), w("customXml")}

#: The parts docxtpl renders, besides the body: headers and footers of the main document.
_HEADER = f"{R}/header"
_FOOTER = f"{R}/footer"
_FOOTNOTES = "word/footnotes.xml"
#: Core properties docxtpl renders with the same Jinja environment (docxtpl 0.20).
PROPERTIES = (("title", "Title"), ("subject", "Subject"), ("creator", "Author"),
              ("description", "Comments"), ("identifier", "Identifier"),
              ("language", "Language"))

_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)


# --------------------------------------------------------------------------------------------------
# Tags in a paragraph's text

OPENERS = {"{{": "}}", "{%": "%}", "{#": "#}"}
_OPENER = re.compile(r"\{[{%#]")
_PREFIX = re.compile(r"(tr|tc|p|r) ")
_KEYWORD = re.compile(r"[-+]?\s*([A-Za-z_]\w*)")
_SMART = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'", "\u00a0": " ", "\n": None,
                        "\t": None, "\ufffc": None})


def straightened(text: str) -> str:
    """A tag's text as Jinja reads it: docxtpl straightens curly quotes in tags and drops what
    sits between a tag's runs."""
    return text.translate(_SMART)


@dataclass(frozen=True)
class Tag:
    """One `{{ … }}`, `{% … %}` or `{# … #}` as typed in a paragraph."""

    text: str  # as typed, delimiters included
    start: int  # offsets in the paragraph's text
    end: int
    opener: str  # "{{", "{%" or "{#"
    closed: bool
    prefix: str = ""  # docxtpl's "p", "tr", "tc" or "r", or ""
    body: str = ""  # what Jinja reads between the delimiters: prefix dropped, quotes straightened
    keyword: str = ""  # the first word of a {% %} tag: for, if, endfor, …
    wrong_closer: str = ""  # for an unclosed tag: a closer of another kind that follows it

    @property
    def is_statement(self) -> bool:
        return self.opener == "{%"

    @property
    def jinja(self) -> str:
        """The tag as Jinja sees it after docxtpl's preprocessing, on one line."""
        return f"{self.opener}{self.body}{OPENERS[self.opener]}"


def find_tags(text: str) -> list[Tag]:
    """Every tag in text, in order, including unclosed ones (which end where the next tag or
    the paragraph starts)."""
    tags: list[Tag] = []
    position = 0
    while match := _OPENER.search(text, position):
        start, opener = match.start(), match.group()
        closer = OPENERS[opener]
        close_at = text.find(closer, start + 2)
        following = _OPENER.search(text, start + 2)
        limit = following.start() if following else len(text)
        if close_at != -1 and (close_at < limit or opener == "{#"):
            end = close_at + 2
            tags.append(_tag(text, start, end, opener, closed=True))
        else:
            end = limit
            inside = text[start + 2:end]
            wrong = next((other for other in OPENERS.values()
                          if other != closer and other in inside), "")
            tags.append(_tag(text, start, end, opener, closed=False, wrong_closer=wrong))
        position = end
    return tags


def _tag(text: str, start: int, end: int, opener: str, *, closed: bool,
         wrong_closer: str = "") -> Tag:
    typed = text[start:end] if closed else text[start:end].rstrip()
    inner = typed[2:-2] if closed else typed[2:]
    prefix_match = _PREFIX.match(inner)
    prefix = prefix_match.group(1) if prefix_match else ""
    body = straightened(inner[len(prefix):] if prefix else inner)
    keyword = ""
    if opener == "{%" and (keyword_match := _KEYWORD.match(body.strip())):
        keyword = keyword_match.group(1)
    return Tag(typed, start, start + len(typed), opener, closed, prefix, body, keyword,
               wrong_closer)


def outside_tags(text: str, tags: list[Tag]) -> str:
    """text with every tag blanked out (offsets kept), to look for stray delimiters."""
    chars = list(text)
    for tag in tags:
        chars[tag.start:tag.end] = " " * (tag.end - tag.start)
    return "".join(chars)


# --------------------------------------------------------------------------------------------------
# Paragraphs with their place in the document


@dataclass
class Paragraph:
    """A paragraph's visible text, where each character came from, and its tags."""

    element: Any  # w:p
    where: TemplateLocation
    text: str
    #: per character: (its w:t element, offset in that element's text), or None for a tab,
    #: line break or object, which cannot be moved
    sources: list[tuple[Any, int] | None]
    container: Any  # the body, cell or text box this paragraph belongs to
    table: Any = None  # innermost w:tbl, w:tr and w:tc around it, if any
    row: Any = None
    cell: Any = None
    deleted: str = ""  # text deleted with Track Changes on (docxtpl still reads tags in it)
    tags: list[Tag] = field(default_factory=list)


@dataclass
class Part:
    """One XML part docxtpl renders as a separate Jinja template."""

    name: str  # zip member, e.g. word/header1.xml
    label: str  # what an officer calls it: body, header, first-page footer, …
    index: int
    root: Any
    paragraphs: list[Paragraph] = field(default_factory=list)


def _children(element: Any, tag: str) -> Iterator[Any]:
    """Children with tag, looking through content controls and custom XML."""
    for child in element:
        if child.tag == tag:
            yield child
        elif child.tag in _WRAPPERS:
            yield from _children(child, tag)


def _blocks(element: Any) -> Iterator[Any]:
    for child in element:
        if child.tag in (P, TBL):
            yield child
        elif child.tag in _WRAPPERS:
            yield from _blocks(child)


def _read_text(element: Any, text: list[str], sources: list[tuple[Any, int] | None],
               deleted: list[str]) -> None:
    for child in element:
        tag = child.tag
        if not isinstance(tag, str):
            continue
        if tag == T:
            for offset, character in enumerate(child.text or ""):
                text.append(character)
                sources.append((child, offset))
        elif tag in _CHARACTERS:
            text.append(_CHARACTERS[tag])
            sources.append(None)
        elif tag in OBJECTS:
            text.append(OBJECT_CHAR)
            sources.append(None)
        elif tag == w("delText"):
            deleted.append(child.text or "")
        elif tag not in _NOT_TEXT:
            _read_text(child, text, sources, deleted)


def _textboxes(paragraph: Any) -> Iterator[Any]:
    """Text boxes anchored in paragraph (not the fallback copies Word keeps for old readers)."""
    for box in paragraph.iter(_TEXTBOX):
        ancestor = box.getparent()
        while ancestor is not None and ancestor is not paragraph:
            if ancestor.tag in (_FALLBACK, _TEXTBOX):
                break
            ancestor = ancestor.getparent()
        else:
            yield box


class _Walker:
    """Walks a part's paragraphs and tables in document order, numbering them as it goes."""

    def __init__(self, part: Part, styles: dict[str, Style]) -> None:
        self.part = part
        self.styles = styles
        self.heading = ""
        self.body_paragraphs = 0
        self.tables = 0
        self.position = 0

    def walk(self, container: Any) -> None:
        self._blocks(container, None)

    def _blocks(self, container: Any, cell: tuple[int, int, int, Any, Any, Any] | None,
                anchor: TemplateLocation | None = None) -> None:
        count = 0
        for block in _blocks(container):
            if block.tag == TBL:
                self._table(block)
                continue
            count += 1
            if anchor is not None:
                where = anchor
            elif cell is None:
                self.body_paragraphs += 1
                where = self._where(self.body_paragraphs)
            else:
                where = self._where(count, cell[0], cell[1], cell[2])
            self._paragraph(block, where, container, cell)
            for box in _textboxes(block):
                self._blocks(box, cell, where)

    def _where(self, paragraph: int, table: int | None = None, row: int | None = None,
               cell: int | None = None) -> TemplateLocation:
        self.position += 1
        return TemplateLocation(part=self.part.label, heading=self.heading, paragraph=paragraph,
                                table=table, row=row, cell=cell,
                                order=(self.part.index, self.position))

    def _table(self, table: Any) -> None:
        self.tables += 1
        number = self.tables
        for row_number, row in enumerate(_children(table, TR), 1):
            for cell_number, cell in enumerate(_children(row, TC), 1):
                self._blocks(cell, (number, row_number, cell_number, table, row, cell))

    def _paragraph(self, element: Any, where: TemplateLocation, container: Any,
                   cell: tuple[int, int, int, Any, Any, Any] | None) -> None:
        text: list[str] = []
        sources: list[tuple[Any, int] | None] = []
        deleted: list[str] = []
        _read_text(element, text, sources, deleted)
        joined = "".join(text)
        table, row, cell_element = cell[3:] if cell else (None, None, None)
        paragraph = Paragraph(element, where, joined, sources, container, table, row,
                              cell_element, "".join(deleted), find_tags(joined))
        self.part.paragraphs.append(paragraph)
        if cell is None and is_heading(element, self.styles) and joined.strip():
            heading = " ".join(joined.split())
            self.heading = heading if len(heading) <= 60 else heading[:57] + "…"


# --------------------------------------------------------------------------------------------------
# The template as a whole


@dataclass
class Template:
    """A .docx template read for checking: its parts, styles and rendered properties."""

    path: Path
    parts: list[Part]
    styles: dict[str, Style]
    properties: list[tuple[str, str]]  # (label, value) of the core properties docxtpl renders


def open_archive(path: Path) -> zipfile.ZipFile:
    """The template as a zip, or a plain TemplateError saying why it is not a usable .docx."""
    if not path.is_file():
        raise TemplateError(f"{path}: the template does not exist")
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as error:
        raise TemplateError(f"{path}: this is not a Word document (.docx) — open it in Word "
                            "and save it as “Word Document (.docx)”") from error
    names = archive.namelist()
    try:
        screen(archive)
        content_types = read_part(archive, "[Content_Types].xml").decode("utf-8", "replace") if (
            "[Content_Types].xml" in names) else ""
    except PartTooLarge as error:
        archive.close()
        raise TemplateError(f"{path}: {error.part} is too large for a template") from error
    if "word/document.xml" not in names:
        archive.close()
        raise TemplateError(f"{path}: this is not a Word document (.docx) — open it in Word "
                            "and save it as “Word Document (.docx)”")
    if "macroEnabled" in content_types or "template.main" in content_types:
        archive.close()
        raise TemplateError(f"{path}: this is a macro-enabled document or a Word template "
                            "(.docm/.dotx); save it as “Word Document (.docx)”")
    return archive


def _parse(archive: zipfile.ZipFile, name: str) -> Any:
    try:
        return etree.fromstring(read_part(archive, name), _PARSER)
    except PartTooLarge as error:
        raise TemplateError(f"{archive.filename}: {name} is too large for a template") from error
    except etree.XMLSyntaxError as error:
        raise TemplateError(f"{archive.filename}: {name} is damaged ({error}); open the "
                            "template in Word and save it again") from error


def _rels(archive: zipfile.ZipFile) -> dict[str, tuple[str, str]]:
    """Relationship id -> (type, zip member) of the main document's parts."""
    name = "word/_rels/document.xml.rels"
    if name not in archive.namelist():
        return {}
    rels: dict[str, tuple[str, str]] = {}
    for rel in _parse(archive, name).iter(f"{{{PACKAGE_RELS}}}Relationship"):
        if rel.get("TargetMode") == "External":
            continue
        target = rel.get("Target", "")
        member = (target.lstrip("/") if target.startswith("/")
                  else str(PurePosixPath("word") / target))
        rels[rel.get("Id", "")] = (rel.get("Type", ""), member)
    return rels


def _part_names(archive: zipfile.ZipFile, document: Any) -> list[tuple[str, str]]:
    """(zip member, label) of every part docxtpl renders as a Jinja template, in the order it
    renders them: body, headers, footers, footnotes."""
    rels = _rels(archive)
    labels: dict[str, str] = {}
    sections = list(document.iter(w("sectPr")))
    for number, section in enumerate(sections, 1):
        for kind in ("header", "footer"):
            for reference in section.iter(w(f"{kind}Reference")):
                member = rels.get(reference.get(f"{{{R}}}id", ""), ("", ""))[1]
                which = {"first": "first-page ", "even": "even-page "}.get(
                    reference.get(w("type"), "default"), "")
                suffix = f" of section {number}" if len(sections) > 1 else ""
                labels.setdefault(member, f"{which}{kind}{suffix}")
    parts = [("word/document.xml", "body")]
    for uri in (_HEADER, _FOOTER):
        members = sorted(member for kind, member in rels.values() if kind == uri)
        parts += [(member, labels.get(member, PurePosixPath(member).stem)) for member in members
                  if member in archive.namelist()]
    if _FOOTNOTES in archive.namelist():
        parts.append((_FOOTNOTES, "footnotes"))
    return parts


def rendered_parts(archive: zipfile.ZipFile) -> Iterator[tuple[str, str, int, Any]]:
    """(zip member, label, index, parsed XML) of every part docxtpl renders as a Jinja
    template, in the order it renders them: body, headers, footers, footnotes."""
    document = _parse(archive, "word/document.xml")
    for index, (member, label) in enumerate(_part_names(archive, document)):
        yield (member, label, index,
               document if member == "word/document.xml" else _parse(archive, member))


def walk_part(member: str, root: Any, label: str, index: int,
              styles: dict[str, Style]) -> Part:
    """The part member (parsed as root) with its paragraphs in document order. The styles only
    tell headings apart, for a paragraph's place."""
    part = Part(member, label, index, root)
    walker = _Walker(part, styles)
    if member == "word/document.xml":
        body = root.find(w("body"))
        if body is not None:
            walker.walk(body)
    elif member == _FOOTNOTES:
        for note in root.iter(w("footnote")):
            if note.get(w("type")) in (None, "normal"):
                walker.walk(note)
    else:
        walker.walk(root)
    return part


def read_template(path: Path) -> Template:
    """Read every part docxtpl fills in, with its paragraphs, tags and their locations."""
    with open_archive(path) as archive:
        styles = dict(parse_styles(_parse(archive, STYLES_PART)).by_id) if (
            STYLES_PART in archive.namelist()) else {}
        parts = [walk_part(member, root, label, index, styles)
                 for member, label, index, root in rendered_parts(archive)]
        properties: list[tuple[str, str]] = []
        if "docProps/core.xml" in archive.namelist():
            core = _parse(archive, "docProps/core.xml")
            for local, label in PROPERTIES:
                for element in core:
                    if isinstance(element.tag, str) and etree.QName(element).localname == local:
                        properties.append((label, element.text or ""))
    return Template(path, parts, styles, properties)


# --------------------------------------------------------------------------------------------------
# Problems with tags

#: Where an officer reads which tags a template can use.
GUIDE = "docs/template-guide.md"


class TagProblems:
    """The problems found in a part's tags, each placed at its tag: the paragraph's place, and
    the tag's offset in it, so that problems in one paragraph read left to right."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, code: str, paragraph: Paragraph, tag: str, message: str, fix: str,
            severity: Severity = Severity.ERROR) -> None:
        offset = max(paragraph.text.find(tag), 0) if tag else 0
        where = replace(paragraph.where, order=(*paragraph.where.order, offset))
        self.problems.append(template_problem(code, where, tag, message, fix, severity))
