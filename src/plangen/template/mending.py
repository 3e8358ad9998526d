"""Joining the tags Word split across runs, before docxtpl fills the template in.

Word splits what an officer types into several runs (spell-check marks, formatting, revision
ids, bookmarks, tracked changes). docxtpl joins a split tag by deleting the XML between its
pieces, which corrupts the document when a piece sits inside a tracked change, a hyperlink or a
content control. `mended()` joins such tags first by moving their text into the first run and
leaving every element in place, so the XML keeps its structure whatever surrounds the pieces.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

from lxml import etree

from plangen.office.namespaces import XML, clark
from plangen.office.packages import read_part
from plangen.template.tags import (
    Paragraph,
    T,
    find_tags,
    open_archive,
    rendered_parts,
    walk_part,
)

XML_SPACE = clark(XML, "space")


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


def mend_part(member: str, root: Any) -> bool:
    """Join every split tag of the part member, parsed as root, in place (see mend_paragraph).
    Returns whether anything changed. A part with nothing to mend is not walked at all."""
    if _nothing_to_mend(root):
        return False
    # No styles: they only tell headings apart, for a problem's place, and reading them was
    # two thirds of the mending (a template's styles.xml is large).
    part = walk_part(member, root, "", 0, {})
    return any([mend_paragraph(paragraph) for paragraph in part.paragraphs])


def mended(path: Path) -> bytes:
    """The template as .docx bytes with every split tag joined (see mend_paragraph)."""
    with open_archive(path) as archive:
        replaced: dict[str, bytes] = {}
        for member, _, _, root in rendered_parts(archive):
            if mend_part(member, root):
                replaced[member] = etree.tostring(root, xml_declaration=True,
                                                  encoding="UTF-8", standalone=True)
        if not replaced:
            return path.read_bytes()
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as output:
            for info in archive.infolist():
                output.writestr(info, replaced.get(info.filename) or read_part(archive, info))
    return buffer.getvalue()
