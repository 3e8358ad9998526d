"""The accessibility check of a built Word document (.docx): title and language, headings,
tables, images, and every run's size, font, contrast and use of colour.

What a run's checks find depends only on its paragraph's kind (style, place in a table,
shading, body or not, heading or not) and its own w:rPr: each such kind of run is judged once,
and every other run like it only counted, so a finding repeated on hundreds of runs is listed
once, at its first place, with how many more.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from lxml import etree

from plangen.accessibility.colours import contrast, font_kind, parse_hex
from plangen.accessibility.rules import (
    MIN_CONTRAST,
    MIN_SIZE_PT,
    excerpt,
    finding,
    heading_findings,
)
from plangen.accessibility.wordformat import (
    RPR,
    RSTYLE,
    Word,
    child,
    on,
    runs,
    text_of,
    val,
    w,
)
from plangen.office.namespaces import NS
from plangen.problems import Problem, Severity

#: The style of a Word template's paragraphs that hold only {%p %} tags: docxtpl removes them,
#: so they never reach a reader and are not checked (the template itself can be checked).
TEMPLATE_TAG = "Template Tag"
#: Run properties that set text apart other than by colour.
EMPHASIS = ("bold", "italic", "underline", "caps", "smallCaps", "strike", "dstrike",
            "highlight", "shading", "size", "font", "vertAlign", "border")
#: The checks of each run, in the order their findings are listed.
RUN_CHECKS = ("text-too-small", "font-not-sans-serif", "font-unknown", "contrast-too-low",
              "colour-only")

#: What the checks find in one kind of run: (check, what the finding is about, details).
Verdict = list[tuple[str, tuple[Any, ...], dict[str, Any]]]
#: A part to check: its name, its XML, and whether it is the body (not a header or footer).
DocumentPart = tuple[str, etree._Element, bool]


def check_docx(path: Path) -> list[Problem]:
    """Every problem found in a Word document, in the order they are listed."""
    word = Word(path)
    parts = _parts(word)
    headings, groups = _read_paragraphs(word, parts)
    return [*_title_and_language(word),
            *heading_findings(word.name, headings, "Heading {}"),
            *_tables(word),
            *_images(word, parts),
            *_run_findings(word.name, groups)]


def _parts(word: Word) -> list[DocumentPart]:
    parts = [("word/document.xml", word.document, True)]
    for kind in ("header", "footer"):
        for part_name in word.targets.get(kind, []):
            if part_name in word.files:
                parts.append((part_name, word.xml(part_name), False))
    return parts


class _Group:
    """Findings of one kind that repeat (every run of a style): report the first place and
    how many more, not hundreds of lines."""

    def __init__(self) -> None:
        self.first: dict[tuple[Any, ...], tuple[str, dict[str, Any]]] = {}
        self.count: dict[tuple[Any, ...], int] = {}

    def add(self, key: tuple[Any, ...], place: Callable[[], str], **details: Any) -> None:
        """`place` is called only for the first place (the others are counted), as working
        out where a run is costs more than checking it."""
        if key not in self.first:
            self.first[key] = (place(), details)
            self.count[key] = 0
        else:
            self.count[key] += 1

    def items(self) -> Iterator[tuple[tuple[Any, ...], str, dict[str, Any]]]:
        for key, (place, details) in self.first.items():
            more = self.count[key]
            if more:
                place += f" (and {more} more place{'s' if more != 1 else ''})"
            yield key, place, details


@dataclass(frozen=True)
class _Kind:
    """What a run's checks depend on besides its own formatting: its paragraph's kind."""

    style: str  # the paragraph style's name
    base: Mapping[str, Any]  # the run properties every run of the paragraph starts from
    background: str  # the colour behind the text, unless the run shades it itself
    body_text: bool  # in the body, not a heading or the title: size and font are checked


def _read_paragraphs(word: Word, parts: Iterable[DocumentPart]
                     ) -> tuple[list[tuple[int, str, str]], dict[str, _Group]]:
    """The headings of the body, (level, text, place), and the run checks' findings."""
    headings: list[tuple[int, str, str]] = []
    groups = {check: _Group() for check in RUN_CHECKS}
    kinds: dict[tuple[Any, ...], _Kind] = {}
    verdicts: dict[tuple[Any, ...], Verdict] = {}
    for part_name, root, is_body in parts:
        area = "body" if is_body else PurePosixPath(part_name).stem
        for paragraph in word.paragraphs(root, part_name):
            context, base, ppr = word.props(paragraph)
            style = word.style_name(paragraph.style_id)
            if style == TEMPLATE_TAG:
                continue
            place = f"{area} · paragraph {paragraph.number}"
            level = word.heading_level(paragraph, ppr) if is_body else None
            if level is not None:
                headings.append((level, paragraph.text, place))
            alike = (context, ppr.get("shading"), paragraph.cell_fill, is_body, level is None)
            for run in runs(paragraph):
                rpr = child(run, RPR)
                key = (alike, None if rpr is None else etree.tostring(rpr, with_tail=False))
                verdict = verdicts.get(key)
                if verdict is None:
                    kind = kinds.get(alike)
                    if kind is None:
                        kind = kinds[alike] = _Kind(
                            style, base, word.background(paragraph, ppr),
                            is_body and level is None and style.casefold() != "title")
                    verdict = verdicts[key] = _run_verdict(word, kind, run)
                if not verdict:
                    continue

                def run_place(place: str = place, run: etree._Element = run) -> str:
                    return f"{place} {excerpt(text_of(run))}"

                for check, about, details in verdict:
                    groups[check].add(about, run_place, **details)
    return headings, groups


def _run_verdict(word: Word, kind: _Kind, run: etree._Element) -> Verdict:
    """What the checks find in a run of a paragraph of this kind."""
    found: Verdict = []
    run_style = val(child(run, RPR, RSTYLE))
    props = dict(kind.base)
    for char_style in word.chain(run_style):
        props.update(char_style.rpr)
    props.update(word.rpr(child(run, RPR)))
    if props.get("vanish"):
        return found
    label = kind.style + (f" + {word.style_name(run_style)}" if run_style else "")
    if kind.body_text:
        size = props.get("size", 10.0)
        if size < MIN_SIZE_PT:
            found.append(("text-too-small", (label, size), {}))
        font = props.get("font") or "Times New Roman"
        font_is = font_kind(font, word.families)
        if font_is == "other":
            found.append(("font-not-sans-serif", (label, font), {}))
        elif font_is == "unknown":
            found.append(("font-unknown", (label, font), {}))
    colour = props.get("color") or "auto"
    background = str(props.get("highlight") or props.get("shading") or kind.background)
    fg, bg = parse_hex(colour), parse_hex(background)
    if fg and bg and contrast(fg, bg) < MIN_CONTRAST:
        found.append(("contrast-too-low", (label, colour, background),
                      {"ratio": contrast(fg, bg)}))
    base = kind.base
    if colour != (base.get("color") or "auto") and not any(
            bool(props.get(key)) != bool(base.get(key))
            or (key in ("size", "font") and props.get(key) != base.get(key))
            for key in EMPHASIS):
        how = f"character style “{word.style_name(run_style)}”" if run_style \
            else "direct formatting"
        found.append(("colour-only", (how, colour), {}))
    return found


def _run_findings(file: str, groups: Mapping[str, _Group]) -> list[Problem]:
    """The run checks' findings, each listed once at its first place."""
    findings = []
    for (label, size), place, _ in groups["text-too-small"].items():
        findings.append(finding(
            "text-too-small", file, place, f"body text in “{label}” is {size:g} pt; the "
            f"minimum is {MIN_SIZE_PT:g} pt", f"Modify the style “{label.split(' + ')[-1]}” "
            f"to {MIN_SIZE_PT:g} pt or more (and remove any direct font size on the text)."))
    for (label, font), place, _ in groups["font-not-sans-serif"].items():
        findings.append(finding(
            "font-not-sans-serif", file, place, f"body text in “{label}” is set in {font}, "
            "which is not a sans-serif font", f"Modify the style “{label.split(' + ')[-1]}” "
            "to a sans-serif font such as Arial."))
    for (label, font), place, _ in groups["font-unknown"].items():
        findings.append(finding(
            "font-unknown", file, place, f"body text in “{label}” is set in {font}; plangen "
            "cannot tell whether it is sans-serif", "Use a well-known sans-serif font such as "
            "Arial, or check this one by eye.", Severity.WARNING))
    for (label, colour, background), place, details in groups["contrast-too-low"].items():
        findings.append(finding(
            "contrast-too-low", file, place, f"text in “{label}” is #{colour} on "
            f"#{background}, a contrast of {details['ratio']:.1f}:1; the minimum is "
            f"{MIN_CONTRAST:g}:1", f"Make the text colour of “{label.split(' + ')[-1]}” "
            "darker or its background lighter (check with a contrast checker)."))
    for (how, colour), place, _ in groups["colour-only"].items():
        findings.append(finding(
            "colour-only", file, place, f"text is set apart only by its colour (#{colour}, by "
            f"{how})", "Also make it bold or add a word (such as NEW): colour alone is lost on "
            "screen readers, in black-and-white print and for people who cannot tell the "
            "colours apart."))
    return findings


def _title_and_language(word: Word) -> list[Problem]:
    findings = []
    title = ""
    if "docProps/core.xml" in word.files:
        element = word.xml("docProps/core.xml").find("dc:title", NS)
        title = (element.text or "").strip() if element is not None else ""
    if not title:
        findings.append(finding(
            "no-title", word.name, "document properties", "the document has no title",
            "Set the title: in Word, File › Info › Properties › Title; in LibreOffice, File › "
            "Properties › Description › Title. Screen readers and the PDF show it."))
    language = word.defaults_rpr.get("lang")
    for style in word.chain(word.default_paragraph):
        language = style.rpr.get("lang") or language
    if not language:
        findings.append(finding(
            "no-language", word.name, "styles", "the document's language is not set",
            "Set the language of the Normal style to English (United Kingdom): modify "
            "Normal › Format › Language. Screen readers use it to pronounce the text."))
    return findings


#: A table's cells with a gridSpan or a vMerge, the only ones that can be merged: the rows
#: that have none (most) are passed over without looking at their cells in Python.
_MAY_BE_MERGED = etree.XPath("w:tr/w:tc[w:tcPr/w:gridSpan or w:tcPr/w:vMerge]",
                             namespaces=NS)


def _tables(word: Word) -> list[Problem]:
    findings = []
    for number, table in enumerate(word.document.iter(w("tbl")), start=1):
        rows = table.findall("w:tr", NS)
        if not rows:
            continue
        place = f"body · table {number} {excerpt(text_of(rows[0]))}"
        header = rows[0].find("w:trPr/w:tblHeader", NS)
        if header is None or not on(header):
            findings.append(finding(
                "table-header-not-repeated", word.name, place,
                "the table's first row is not marked as a header row",
                "Select the first row, then Table Properties › Row › “Repeat as header row at "
                "the top of each page” (LibreOffice: Table Properties › Text Flow › Repeat "
                "heading)."))
        merged_row = _first_merged_row(table, rows)
        if merged_row is not None:
            findings.append(finding(
                "table-merged-cells", word.name, f"{place} · row {merged_row}",
                "the table has merged cells, which screen readers cannot follow",
                "Split the merged cells (Table › Split Cells) and repeat the value in each "
                "cell, or use a separate table."))
    return findings


def _first_merged_row(table: etree._Element, rows: list[etree._Element]) -> int | None:
    """The number of the first row, not a header row, with merged cells; None if none."""
    candidates = {cell.getparent() for cell in _MAY_BE_MERGED(table)}
    for number, row in enumerate(rows, start=1):
        if row not in candidates:  # no cell of it can be merged
            continue
        flag = row.find("w:trPr/w:tblHeader", NS)
        if flag is not None and on(flag):
            continue
        if any(int(val(cell.find("w:tcPr/w:gridSpan", NS)) or "1") > 1
               or cell.find("w:tcPr/w:vMerge", NS) is not None
               for cell in row.findall("w:tc", NS)):
            return number
    return None


def _images(word: Word, parts: Iterable[DocumentPart]) -> list[Problem]:
    findings = []
    for part_name, root, _ in parts:
        area = PurePosixPath(part_name).stem
        for number, properties in enumerate(root.iter(f"{{{NS['wp']}}}docPr"), start=1):
            decorative = properties.find(".//adec:decorative", NS)
            if (properties.get("descr") or "").strip() or (
                    decorative is not None and decorative.get("val") in ("1", "true")):
                continue
            findings.append(finding(
                "image-no-alt", word.name, f"{area} · image {number} "
                f"“{properties.get('name') or ''}”", "the image has no alt text",
                "Right-click the image › Edit Alt Text (LibreOffice: Properties › Options › "
                "Alternative text) and say what it shows; mark it decorative only if it "
                "shows nothing the text does not."))
        for number, shape in enumerate(root.iter(f"{{{NS['v']}}}shape"), start=1):
            if shape.find("v:imagedata", NS) is not None and not (shape.get("alt") or "").strip():
                findings.append(finding(
                    "image-no-alt", word.name, f"{area} · old-style image {number}",
                    "the image has no alt text", "Add alt text to the image (Edit Alt Text)."))
    return findings
