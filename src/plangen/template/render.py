"""Filling in a Word template with docxtpl.

The names and the rules are the template context's (context.py): values escaped, a misspelt
name an error. Tags Word split across runs are joined first (mending.mended), and a render that
would produce damaged XML is refused rather than quietly repaired.
"""

from __future__ import annotations

import io
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any, cast

import jinja2
from docx.opc.constants import CONTENT_TYPE
from docx.opc.oxml import serialize_part_xml
from docx.opc.package import Unmarshaller
from docx.opc.part import PartFactory
from docx.opc.pkgreader import PackageReader
from docx.oxml.parser import element_class_lookup as oxml_element_classes
from docx.oxml.parser import parse_xml
from docx.package import Package
from docx.parts.styles import StylesPart
from docx.shared import Cm
from docxtpl import DocxTemplate, InlineImage
from docxtpl import __version__ as _DOCXTPL
from lxml import etree

from plangen.errors import TemplateProblems
from plangen.office.namespaces import WORD_DRAWING, XML, W, clark
from plangen.template.cache import TemplateCache, template_cache
from plangen.template.chart import ThemeChart
from plangen.template.context import SETTINGS
from plangen.template.mending import mended
from plangen.template.render_errors import render_problem
from plangen.text import shorten


class _CachingEnvironment(jinja2.Environment):
    """The template environment (context.environment), with the code Jinja compiles a
    template into kept in a TemplateCache."""

    def __init__(self, cache: TemplateCache) -> None:
        super().__init__(**SETTINGS)
        self.kept = cache  # not "cache": Jinja keeps its loaded templates there

    def from_string(self, source: Any, globals: Any = None,
                    template_class: Any = None) -> jinja2.Template:
        """Jinja's from_string, with the compiling (self.compile) done once per source."""
        if not isinstance(source, str) or callable(self.autoescape) or self.finalize:
            return super().from_string(source, globals, template_class)
        code = self.kept.compiled(source, self.settings(), self.compile)
        made = template_class or self.template_class
        template: jinja2.Template = made.from_code(self, code, self.make_globals(globals), None)
        return template

    def settings(self) -> str:
        """Everything of the environment that changes the code a template compiles into."""
        return repr((
            self.block_start_string, self.block_end_string, self.variable_start_string,
            self.variable_end_string, self.comment_start_string, self.comment_end_string,
            self.line_statement_prefix, self.line_comment_prefix, self.trim_blocks,
            self.lstrip_blocks, self.newline_sequence, self.keep_trailing_newline,
            self.optimized, self.autoescape, self.is_async, sorted(self.extensions),
            sorted((name, _named(function)) for name, function in self.filters.items()),
            sorted((name, _named(function)) for name, function in self.tests.items()),
        ))


def _named(function: Any) -> str:
    return f"{getattr(function, '__module__', '')}.{getattr(function, '__qualname__', '')}"


#: A text element holding a character docxtpl's resolve_listing turns into Word markup (its
#: text cannot hold "<", which XML escapes).
_LISTING = re.compile(r"<w:t(?: [^>]*)?>[^<]*[\t\a\n\f]")

_BODY = clark(W, "body")

_DOC_PR = clark(WORD_DRAWING, "docPr")


class _StrictTemplate(DocxTemplate):  # type: ignore[misc]
    """docxtpl's render, refusing damaged XML and skipping work that would change nothing.

    docxtpl re-reads the rendered body with a recovering parser, which silently drops what it
    cannot read; this refuses damaged XML instead, so a broken plan is never written. It also
    parses the body straight into the document rather than on its own and then moving it in
    (see _body_in_document), and leaves docxtpl's table fix-up out when it has nothing to fix.
    What depends on the template alone is kept in cache (cache.py), the styles are left
    unread (_UnreadStyles), and two of docxtpl's faults are mended: document properties were
    escaped twice, and footnotes were filled in once for each section.
    """

    docx: Any  # python-docx's Document, which docxtpl opens
    is_rendered: bool

    def __init__(self, template_file: Any, cache: TemplateCache) -> None:
        super().__init__(template_file)
        self.kept = cache

    def init_docx(self, reload: bool = True) -> None:
        """docxtpl's opening of the template, with its styles left unread (_open_document)."""
        if not self.docx or (self.is_rendered and reload):
            self.docx = _open_document(self.template_file)
            self.is_rendered = False

    def render_properties(self, context: Any, jinja_env: Any = None) -> None:
        """docxtpl's filling in of the document's title, subject and other properties, each as
        a template, but as plain text: docxtpl escaped the values as XML and python-docx then
        escaped them again, so "Safety & Justice" became "Safety &amp; Justice" in the title.

        A property with no "{" and no line break (the usual case) has no tag, and Jinja would
        give back the text it was, so it is not compiled: each took as long to compile as a
        paragraph of the body. (Jinja only changes text outside tags by turning line breaks
        into "\\n" and dropping a last one.)"""
        plain = (jinja_env or jinja2.Environment()).overlay(autoescape=False)
        properties = self.docx.core_properties
        for name in _PROPERTIES:
            value = getattr(properties, name)
            if "{" in value or "\n" in value or "\r" in value:
                value = plain.from_string(value).render(context)
            setattr(properties, name, shorten(value, PROPERTY_LIMIT))

    def patch_xml(self, src_xml: str) -> str:
        """docxtpl's rewriting of a part's XML into Jinja source, done once per XML
        (cache.py)."""
        patched: str = self.kept.patched(src_xml, super().patch_xml, _DOCXTPL)
        return patched

    def render_footnotes(self, context: Any, jinja_env: Any = None) -> None:
        """docxtpl's filling in of the footnotes, once. docxtpl did it once for each section
        of the document, so from the second section on it read the footnotes already filled
        in as a template: a value such as "{{ 7 * 7 }}" in a partner's cell came out as 49."""
        jinja_env = jinja_env or jinja2.Environment()
        for part in self.docx.part.package.parts:
            if part.content_type == _FOOTNOTES:
                blob = part.blob
                xml = self.patch_xml(blob.decode("utf-8") if isinstance(blob, bytes) else blob)
                part._blob = self.render_xml_part(xml, part, context, jinja_env).encode("utf-8")

    def fix_tables(self, xml: str) -> Any:
        """The rendered body, parsed strictly, with docxtpl's fix-up of tables' column grids
        when a table needs it (_grids_need_fixing)."""
        body = _body_in_document(self.docx.element, xml)
        if body is None:
            body = etree.fromstring(xml)  # raises XMLSyntaxError on damaged XML
        if _grids_need_fixing(body, xml):
            return super().fix_tables(xml)  # on its own, as before: map_tree moves it in
        return body

    def fix_docpr_ids(self, tree: Any) -> None:
        """docxtpl's renumbering of pictures' ids, over the body only: its "//wp:docPr" would
        search the whole document when the body is already in it."""
        for element in tree.iter(_DOC_PR):
            self.docx_ids_index += 1
            element.attrib["id"] = str(self.docx_ids_index)

    def map_tree(self, tree: Any) -> None:
        """Put the rendered body in the document: docxtpl moves it in; a body parsed inside its
        document (_body_in_document) brings the document element with it, which replaces the
        part's."""
        root = tree.getparent()
        if root is None:
            super().map_tree(tree)
            return
        part = self.docx.part
        part._element = root  # python-docx's XmlPart keeps its XML here and saves it from here
        self.docx = part.document

    def resolve_listing(self, xml: str) -> str:
        """docxtpl turns tabs, line and page breaks in the text into Word's; with none in any
        <w:t> that pass (half the render of a county plan) would give back the same XML."""
        if not _holds_listing(xml):
            return xml
        resolved: str = super().resolve_listing(xml)
        return resolved


_FOOTNOTES = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"
#: The most characters Word keeps in a document property (title, subject, …): a longer value,
#: such as a 300-character partnership name, is shortened to fit, never refused.
PROPERTY_LIMIT = 255
#: The core properties docxtpl fills in (DocxTemplate.render_properties).
_PROPERTIES = ("author", "comments", "identifier", "language", "subject", "title")


class _UnreadStyles(StylesPart):
    """The template's styles part, its XML read only if something asks for it, and written
    back as it came when nothing did.

    A template's styles.xml is its largest part (356 KB for the shipped one) and rendering
    never looks at it, yet python-docx parsed it on opening and wrote it out again on saving
    (9 ms, a tenth of the sample's render). Anything that does read the styles gets them
    parsed, as before. Damaged styles are therefore not noticed here: the template check that
    `plangen build` and check-template run first reads them, and refuses the template.
    """

    _parsed: Any = None
    _source: bytes = b""

    @classmethod
    def load(cls, partname: Any, content_type: str, blob: bytes, package: Any) -> _UnreadStyles:
        part = cls(partname, content_type, cast(Any, None), package)  # read on demand
        part._source = blob
        return part

    @property
    def _element(self) -> Any:
        if self._parsed is None:
            self._parsed = parse_xml(self._source)
        return self._parsed

    @_element.setter
    def _element(self, element: Any) -> None:
        self._parsed = element

    @property
    def blob(self) -> bytes:
        return self._source if self._parsed is None else serialize_part_xml(self._parsed)


def _part(partname: Any, content_type: str, reltype: str, blob: bytes, package: Any) -> Any:
    """python-docx's PartFactory, but with the styles left unread (_UnreadStyles)."""
    if content_type == CONTENT_TYPE.WML_STYLES:
        return _UnreadStyles.load(partname, content_type, blob, package)
    return PartFactory(partname, content_type, reltype, blob, package)


def _open_document(source: Any) -> Any:
    """python-docx's docx.Document(source), its parts made by _part."""
    package = Package()
    reader = PackageReader.from_file(source)  # type: ignore[no-untyped-call]
    Unmarshaller.unmarshal(reader, package, _part)  # type: ignore[no-untyped-call]
    part = package.main_document_part
    if part.content_type != CONTENT_TYPE.WML_DOCUMENT_MAIN:
        raise ValueError(f"file '{source}' is not a Word file, content type is "
                         f"'{part.content_type}'")
    return part.document


def _holds_listing(xml: str) -> bool:
    """Whether _LISTING matches xml, looked for around each tab, line or page break (rare)
    rather than at every <w:t> (a county plan has 50,000): a match ends at one of them, and
    starts after the last ">" before the last "<" before it (a tag has no ">" inside)."""
    for character in "\t\a\n\f":
        position = xml.find(character)
        while position != -1:
            opening = xml.rfind("<", 0, position)
            start = xml.rfind(">", 0, opening) + 1 if opening != -1 else position
            if _LISTING.search(xml, start, position + 1):
                return True
            position = xml.find(character, position + 1)
    return False


def _grids_need_fixing(body: Any, xml: str) -> bool:
    """Whether docxtpl's fix_tables would change any table in body (xml as text), or fail.

    It widens a table's grid (w:tblGrid) when a row has more cells than the grid has columns,
    and narrows it when no row spans them all (a `{%tc %}` loop, or a `{%tr %}` loop that left
    no row). Most plans need neither, and docxtpl working that out in Python took 0.14 s at
    60 × 50, so the same questions are asked here with XPath (rows and cells counted exactly
    as docxtpl counts them), and docxtpl runs only when an answer is yes, or when a grid or a
    gridSpan is not plain enough to be sure.
    """
    uri = body.nsmap.get("w")
    if uri is None:
        return True  # docxtpl looks tables up by the "w" prefix: let it fail as it does
    namespaces = {"w": uri}
    if "gridSpan" in xml and etree.XPath(  # docxtpl would fail on a span that is no number
            "boolean(descendant::w:gridSpan[not(@w:val) or @w:val = ''"
            " or translate(@w:val, '0123456789', '') != ''])", namespaces=namespaces)(body):
        return True
    span = "w:tc/w:tcPr[1]/w:gridSpan[1]"  # docxtpl: a cell's first tcPr's first gridSpan
    width = etree.XPath(f"count(w:tc) - count({span}) + sum({span}/@w:val)",
                        namespaces=namespaces)
    too_many_cells = etree.XPath("boolean(descendant::w:tr[w:tc[$columns + 1]])",
                                 namespaces=namespaces)
    for table in body.iter(f"{{{uri}}}tbl"):
        grid = table.find(f"{{{uri}}}tblGrid")
        if grid is None:
            return True  # docxtpl fails on it
        columns = len(grid.findall(f"{{{uri}}}gridCol"))
        if too_many_cells(table, columns=columns):
            return True  # docxtpl adds columns
        if columns and not any(width(row) >= columns for row in table.iter(f"{{{uri}}}tr")):
            return True  # no row reaches the last column: docxtpl removes the spare ones
    return False


#: A start tag (its attributes in group 1), and each attribute in it: name, then the value in
#: double or single quotes.
_START_TAG = re.compile(rb"""<[^\s/>!?]+((?:\s+[^\s=/>]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*/?>""")
_ATTRIBUTE = re.compile(rb"""\s+([^\s=/>]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_MARKER = " plangen: the rendered body goes here "
_DOCUMENT_PARSER = etree.XMLParser()  # as docxtpl parses the body, with python-docx's classes
_DOCUMENT_PARSER.set_element_class_lookup(oxml_element_classes)


def _body_in_document(root: Any, xml: str) -> Any | None:
    """The rendered body xml parsed inside a copy of the document element root, or None when
    that cannot be done with the same result as docxtpl's way.

    docxtpl parses the body on its own and moves it into the document. For a large plan lxml's
    move costs more than the parse, and grows faster than the document (1.8 s of a 4.5 s render
    at 300 × 50), so the body is parsed in place instead, between the document element's own
    tags. The move changes one thing: it drops every namespace declaration whose URI is already
    declared above it (the rendered body declares all of the document element's again on its
    start tag, and a picture a few more), so those are left out of the text first. It is None
    (docxtpl's way is taken) when a declaration would have been matched to another prefix, a
    prefix or URI is declared twice below the body (one might be inside the other), the text
    holds a comment, CDATA or processing instruction, or the XML is damaged (so the error is
    the one it has always been). The text is parsed as UTF-8: the same tree, and faster than
    lxml reads a str that holds non-Latin characters.
    """
    body = root.find(_BODY)
    try:
        text = xml.encode()
    except UnicodeEncodeError:  # a lone surrogate: let lxml report it as it does
        return None
    if body is None or b"<!" in text or b"<?" in text:
        return None  # with these, a "<" may not start a tag
    drop = _redeclared(root, text)
    around = _around(root, body) if drop is not None else None
    if drop is None or around is None:
        return None
    head, tail = around
    pieces, cut = [head.encode()], 0
    for begin, end in drop:
        pieces.append(text[cut:begin])
        cut = end
    pieces += [text[cut:], tail.encode()]
    try:
        document = etree.fromstring(b"".join(pieces), _DOCUMENT_PARSER)
    except etree.XMLSyntaxError:
        return None
    return document[root.index(body)]


class _Declarations:
    """The namespace declarations in the rendered body, read start tag by start tag: which
    lxml's move would drop (their URI is the document element's), and which it keeps."""

    def __init__(self, root: Any, text: bytes) -> None:
        self.text = text
        # The document element's prefixes, by URI ("xml" is declared everywhere without a
        # declaration).
        self.prefixes: dict[str, set[str | None]] = {XML: {"xml"}}
        for prefix, uri in root.nsmap.items():
            self.prefixes.setdefault(uri, set()).add(prefix)
        self.kept: list[tuple[str | None, str]] = []  # declared below the document element
        self.drop: list[tuple[int, int]] = []  # spans of text to leave out

    def read(self, tag: re.Match[bytes], *, nested: bool) -> bool:
        """Read the declarations on the start tag; False when the body cannot be parsed in
        place with the move's result (see _body_in_document)."""
        for attribute in _ATTRIBUTE.finditer(self.text, tag.start(1), tag.end(1)):
            name, value = attribute.group(1), attribute.group(2) or attribute.group(3) or b""
            if name != b"xmlns" and not name.startswith(b"xmlns:"):
                continue
            if b"&" in value or not value:
                return False  # escaped (would need reading as XML), or undeclaring
            prefix, uri = name[6:].decode() or None, value.decode()
            if uri in self.prefixes:  # the move drops it and uses the document element's
                if self.prefixes[uri] != {prefix} or any(prefix == other
                                                         for other, _ in self.kept):
                    return False
                self.drop.append(attribute.span())
            elif nested and any(prefix == other or uri == known for other, known in self.kept):
                return False
            else:
                self.kept.append((prefix, uri))
        return True


def _redeclared(root: Any, text: bytes) -> list[tuple[int, int]] | None:
    """The spans of the rendered body text holding declarations lxml's move into the document
    element root would drop, in order; None when parsing in place would not give the move's
    result."""
    start = _START_TAG.match(text)
    if start is None:
        return None
    declarations = _Declarations(root, text)
    if not declarations.read(start, nested=False):
        return None
    position = start.end()
    while (found := text.find(b"xmlns", position)) != -1:
        opening = text.rfind(b"<", 0, found)  # the tag it is in, or the one before its text
        tag = _START_TAG.match(text, opening)
        if tag is None and not text.startswith(b"</", opening):
            return None
        if tag is None or tag.end() <= found:
            position = found + 5  # in text
            continue
        if not declarations.read(tag, nested=True):
            return None
        position = tag.end()
    return declarations.drop


def _around(root: Any, body: Any) -> tuple[str, str] | None:
    """The document element root written out before and after its body, or None when the
    marker put in the body's place turns up more than once."""
    marker = etree.Comment(_MARKER)
    root.replace(body, marker)
    try:
        head, *tail = etree.tostring(root, encoding="unicode").split(f"<!--{_MARKER}-->")
    finally:
        root.replace(marker, body)
    return (head, tail[0]) if len(tail) == 1 else None


def render_template(template: Path, names: Mapping[str, Any]) -> DocxTemplate:
    """The template filled in with names, not yet saved. Raises TemplateProblems, each located
    in the template as well as the error allows."""
    source = mended(template)
    cache = template_cache()  # never raises: a folder it cannot use leaves it in memory
    document = _StrictTemplate(io.BytesIO(source), cache)
    jinja_env = _CachingEnvironment(cache)
    names = dict(names)
    if isinstance(names.get("glance_chart"), ThemeChart):
        names["glance_chart"] = ChartImage(document, names["glance_chart"])
    try:
        document.render(names, jinja_env, autoescape=True)
    except Exception as error:  # Jinja, lxml or docxtpl: all become a located problem
        part = getattr(document, "current_rendering_part", None)
        lines = _source_lines(document, part)
        failing = _template_line(error)
        raise TemplateProblems([render_problem(
            template, error, str(getattr(part, "partname", "")),
            lines[:failing] if 0 < failing <= len(lines) else [])], template) from error
    return document


def _template_line(error: BaseException) -> int:
    """The line of the Jinja source where rendering failed: Jinja puts template lines in the
    traceback as frames of "<template>"."""
    line = getattr(error, "lineno", None) or 0
    trace = error.__traceback__
    while trace is not None:
        if trace.tb_frame.f_code.co_filename == "<template>":
            line = trace.tb_lineno
        trace = trace.tb_next
    return int(line)


def _source_lines(document: DocxTemplate, part: Any) -> list[str]:
    """The Jinja source docxtpl rendered for part, one paragraph a line, as docxtpl splits it
    (render_xml_part), with the XML markup dropped."""
    try:
        xml = (document.get_xml() if part is document.docx._part
               else document.get_part_xml(part))
        source = re.sub(r"<w:p([ >])", r"\n<w:p\1", document.patch_xml(xml))
    except Exception:  # the source cannot be rebuilt: the problem is placed by name only
        return []
    return [re.sub(r"<[^>]+>", "", line) for line in source.splitlines()]


class ChartImage(InlineImage):  # type: ignore[misc]  # docxtpl has no type hints
    """A chart placed by `{{ glance_chart }}`, with its alt text on the picture.

    docxtpl's InlineImage leaves the alt text (wp:docPr/@descr) empty; screen readers and the
    tagged PDF need it. The PNG is drawn only if the template places the chart.
    """

    WIDTH = Cm(15)

    def __init__(self, document: DocxTemplate, chart: ThemeChart) -> None:
        super().__init__(document, None, width=self.WIDTH)
        self.chart = chart
        self.glance = chart.glance  # {{ glance_chart.glance.… }} and .alt work as in HTML
        self.alt = chart.alt

    def _insert_image(self) -> str:
        from io import BytesIO

        inline = self.tpl.current_rendering_part.new_pic_inline(
            BytesIO(self.chart.png()), self.width, self.height)
        for properties in (inline.docPr, *inline.xpath(".//pic:cNvPr")):
            properties.set("name", "Chart: actions per theme")
            properties.set("descr", self.chart.alt)
        return (f"</w:t></w:r><w:r><w:drawing>{inline.xml}</w:drawing></w:r><w:r>"
                '<w:t xml:space="preserve">')
