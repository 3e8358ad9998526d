"""Reading a Word template the way docxtpl fills it in: its parts, paragraphs and tags.

Every paragraph keeps where it is (the part, the heading above it, the paragraph or the table,
row and cell), so a problem with a tag can be shown where an officer finds it in Word.

Word splits what an officer types into several runs (spell-check marks, formatting, revision
ids, bookmarks, tracked changes). docxtpl joins a split tag by deleting the XML between its
pieces, which corrupts the document when a piece sits inside a tracked change, a hyperlink or a
content control. `mended()` joins such tags first by moving their text into the first run and
leaving every element in place, so the XML keeps its structure whatever surrounds the pieces.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from lxml import etree

from plangen.errors import TemplateError
from plangen.namespaces import DC, MC, PACKAGE_RELS, XML, R, W, clark
from plangen.problems import Problem, TemplateLocation, template_problem
from plangen.untrusted import PartTooLarge, read_part, screen
from plangen.wordstyles import Style, is_heading, read_styles

XML_SPACE = clark(XML, "space")


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
_DC = DC

_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)


# --------------------------------------------------------------------------------------------------
# Tags in a paragraph's text

OPENERS = {"{{": "}}", "{%": "%}", "{#": "#}"}
_OPENER = re.compile(r"\{[{%#]")
_PREFIX = re.compile(r"(tr|tc|p|r) ")
_KEYWORD = re.compile(r"[-+]?\s*([A-Za-z_]\w*)")
# docxtpl straightens curly quotes in tags and drops what sits between a tag's runs
_SMART = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'", "\u00a0": " ", "\n": None,
                        "\t": None, "\ufffc": None})


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
    body = (inner[len(prefix):] if prefix else inner).translate(_SMART)
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


def part_names(archive: zipfile.ZipFile, document: Any) -> list[tuple[str, str]]:
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


def _walk_part(archive: zipfile.ZipFile, member: str, label: str, index: int,
               styles: dict[str, Style], root: Any | None = None) -> Part:
    root = _parse(archive, member) if root is None else root
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
        styles = read_styles(archive)
        document = _parse(archive, "word/document.xml")
        parts = [_walk_part(archive, member, label, index, styles,
                            document if member == "word/document.xml" else None)
                 for index, (member, label) in enumerate(part_names(archive, document))]
        properties: list[tuple[str, str]] = []
        if "docProps/core.xml" in archive.namelist():
            core = _parse(archive, "docProps/core.xml")
            for local, label in PROPERTIES:
                for element in core:
                    if isinstance(element.tag, str) and etree.QName(element).localname == local:
                        properties.append((label, element.text or ""))
    return Template(path, parts, styles, properties)


# --------------------------------------------------------------------------------------------------
# Mending split tags


def mend_paragraph(paragraph: Paragraph) -> bool:
    """Join each tag whose text is spread over several runs into one of them.

    Only text moves between w:t elements: proofing marks, bookmarks, tracked changes and
    hyperlinks around the pieces stay where they are, so the XML keeps its structure. The tag
    goes to the first piece that is a plain run of the paragraph (so the value does not come out
    as a tracked insertion or inside a hyperlink), else to its first piece. A tag with a tab,
    line break or object between its pieces is left alone (check-template reports it).
    Returns whether anything changed.
    """
    changed = False
    for tag in reversed(paragraph.tags):  # right to left: earlier offsets stay valid
        if not tag.closed:
            continue
        sources = paragraph.sources[tag.start:tag.end]
        spans: dict[Any, tuple[int, int]] = {}
        for source in sources:
            if source is None:
                break
            element, offset = source
            low, high = spans.get(element, (offset, offset + 1))
            spans[element] = (min(low, offset), max(high, offset + 1))
        else:
            has_nbsp = "\u00a0" in tag.text
            if len(spans) == 1 and not has_nbsp:
                continue
            target = next((element for element in spans
                           if element.getparent().getparent() is paragraph.element),
                          next(iter(spans)))
            whole = tag.text.replace("\u00a0", " ")
            for element, (low, high) in spans.items():
                text = element.text or ""
                element.text = text[:low] + (whole if element is target else "") + text[high:]
                element.set(XML_SPACE, "preserve")
            changed = True
    return changed


def _nothing_to_mend(root: Any) -> bool:
    """Whether mend_paragraph would leave every paragraph of the part root as it is, known
    without walking them (the walk was most of a render's mending, and most templates have
    nothing to mend).

    True when each text element (w:t) holds only whole tags, with no non-breaking space in
    them, and no "{" outside them. That is exact: a paragraph's text is its w:t texts in
    order, with other characters (tabs, breaks) between them that are never "{", so
    find_tags, scanning a paragraph's text, finds each element's own tags and no others (a
    tag's opener is the first "{" after the last tag, which starts an element's tag, and its
    closer the first after the opener, which is in the same element). No tag then has pieces
    in two elements, and none has a non-breaking space to replace.
    """
    for element in root.iter(T):
        text = element.text
        if not text or "{" not in text:
            continue
        outside, covered = [], 0
        for tag in find_tags(text):
            if not tag.closed or "\u00a0" in tag.text:
                return False
            outside.append(text[covered:tag.start])
            covered = tag.end
        outside.append(text[covered:])
        if any("{" in piece for piece in outside):
            return False
    return True


def mended(path: Path) -> bytes:
    """The template as .docx bytes with every split tag joined (see mend_paragraph)."""
    with open_archive(path) as archive:
        document = _parse(archive, "word/document.xml")
        replaced: dict[str, bytes] = {}
        for index, (member, label) in enumerate(part_names(archive, document)):
            root = document if member == "word/document.xml" else _parse(archive, member)
            if _nothing_to_mend(root):
                continue
            # No styles: they only tell headings apart, for a problem's place, and reading them
            # was two thirds of the mending (a template's styles.xml is large).
            part = _walk_part(archive, member, label, index, {}, root)
            if any([mend_paragraph(paragraph) for paragraph in part.paragraphs]):
                replaced[member] = etree.tostring(part.root, xml_declaration=True,
                                                  encoding="UTF-8", standalone=True)
        if not replaced:
            return path.read_bytes()
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as output:
            for info in archive.infolist():
                output.writestr(info, replaced.get(info.filename) or read_part(archive, info))
    return buffer.getvalue()


# --------------------------------------------------------------------------------------------------
# Errors while rendering, placed at the tag that most likely caused them

_NEEDLES = (re.compile(r"has no attribute '(\w+)'"), re.compile(r"'(\w+)' is undefined"),
            re.compile(r"has no element (\w+)"))


def render_problem(path: Path, error: BaseException, part_name: str = "",
                   lines: list[str] | None = None) -> Problem:
    """A render-time error (Jinja, docxtpl, lxml) as a Problem, placed at the tag that
    names what failed, or the paragraph of the failing line, or at least the part.

    lines: the Jinja source docxtpl rendered, one paragraph a line, up to the failing line.
    """
    import jinja2

    text = getattr(error, "message", None) or str(error)
    if isinstance(error, jinja2.TemplateSyntaxError):
        code, message = "syntax", (f"A tag is not written the way plangen reads it "
                                   f"(Jinja says: {text}).")
        fix = "Run plangen check-template for details, and compare the tag with the guide."
    elif isinstance(error, jinja2.UndefinedError):
        code, message = "unknown-field", f"A tag names something the plan does not have ({text})."
        fix = "Check the spelling against docs/template-guide.md."
    elif isinstance(error, etree.XMLSyntaxError):
        code = "damaged-output"
        message = ("Filling in the template would produce a damaged Word document, usually "
                   "because a tag's pieces are spread over a tracked change, hyperlink or "
                   "content control, or a block starts and ends in different places.")
        fix = ("Accept all tracked changes, retype the tags of this part in one go, and run "
               "plangen check-template.")
    else:
        code, message = "render-failed", f"A tag could not be filled in: {text}."
        fix = "Compare the tag with docs/template-guide.md: it may mix text and numbers."
    try:
        template = read_template(path)
    except TemplateError:
        return template_problem(code, TemplateLocation(), "", message, fix)
    member = part_name.lstrip("/")
    parts = sorted(template.parts, key=lambda part: part.name != member)
    needles = [match.group(1) for pattern in _NEEDLES if (match := pattern.search(text))]
    paragraph = _failing_paragraph(parts[0], lines) if parts and lines else None
    candidates = paragraph.tags if paragraph else [
        tag for part in parts for each in part.paragraphs for tag in each.tags]
    for tag in candidates:
        if any(re.search(rf"\b{re.escape(needle)}\b", tag.body) for needle in needles):
            where = paragraph.where if paragraph else next(
                each.where for part in parts for each in part.paragraphs if tag in each.tags)
            return template_problem(code, where, tag.text, message, fix)
    if paragraph is not None:
        shown = " ".join(tag.text for tag in paragraph.tags)  # one of these failed
        return template_problem(code, paragraph.where, shown, message, fix)
    part = parts[0] if parts else None
    where = TemplateLocation(part=part.label, order=(part.index, 0)) if part else (
        TemplateLocation())
    return template_problem(code, where, "", message, fix)


_STRUCTURAL_PREFIX = re.compile(r"(\{[%{#])(?:tr|tc|p|r)(?= )")


def _normal(text: str) -> str:
    """Text as docxtpl leaves it, without spaces, for matching a source line to a paragraph."""
    return re.sub(r"\s+", "", _STRUCTURAL_PREFIX.sub(r"\1", text).translate(_SMART))


def _signature(text: str) -> str:
    """The tags of a paragraph or source line, normalised: a failure is always in a tag, and
    fields or other markup around the tags differ between the two."""
    return "".join(_normal(match) for match in re.findall(r"\{\{.*?\}\}|\{%.*?%\}", text))


def _failing_paragraph(part: Part, lines: list[str]) -> Paragraph | None:
    """The paragraph whose tags are on the last of lines. Paragraphs holding only a {%p %} tag
    have no line of their own, so the paragraph with the most tags on the line wins, and
    paragraphs with the same tags are told apart by how many earlier lines hold them."""
    line = _signature(lines[-1])
    signatures = [(paragraph, _signature(paragraph.text)) for paragraph in part.paragraphs]
    matching = [signature for _, signature in signatures if signature and signature in line]
    if not matching:
        return None
    best = max(matching, key=len)
    earlier = sum(best in _signature(previous) for previous in lines[:-1])
    same = [paragraph for paragraph, signature in signatures if signature == best]
    return same[min(earlier, len(same) - 1)]
