"""The accessibility check of a built web page (.html): title and language, headings, tables,
images and graphics, and, from the page's own stylesheet, its body font, text sizes, contrast
and use of colour."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from lxml import etree
from lxml import html as lxml_html

from plangen.accessibility.colours import RGB, contrast, font_kind, hex_of
from plangen.accessibility.css import (
    Rule,
    background_value,
    css_colour,
    css_points,
    declarations_of,
    parse_css,
)
from plangen.accessibility.rules import MIN_CONTRAST, MIN_SIZE_PT, finding, heading_findings
from plangen.errors import NotCheckable
from plangen.office.namespaces import XML, clark
from plangen.problems import Problem, Severity

INLINE_ELEMENTS = {"a", "span", "em", "strong", "b", "i", "mark", "small", "abbr", "code",
                   "cite", "q", "s", "u", "font", "sup", "sub"}
#: Declarations that set text apart other than by colour.
CSS_EMPHASIS = ("font-weight", "font-style", "text-decoration", "text-decoration-line",
                "border", "border-bottom", "border-top", "outline", "background",
                "background-color", "font-size", "text-transform", "font-variant",
                "box-shadow", "font-family", "content")
_SUBJECT = re.compile(r"([a-z][a-z0-9]*)?((?:[.#:\[][^\s>+~]*)*)$", re.I)
_COLOUR_ONLY_FIX = ("Also make it bold, underline it or add a word: colour alone is lost on "
                    "screen readers, in black-and-white print and for people who cannot tell "
                    "the colours apart.")


def check_html(path: Path) -> list[Problem]:
    """Every problem found in a web page, in the order they are listed."""
    try:
        root = lxml_html.document_fromstring(path.read_bytes())
    except (etree.ParserError, ValueError) as error:
        raise NotCheckable(f"{path}: not a web page that can be read ({error})") from error
    file = path.name
    return [*_title_and_language(file, root), *_headings(file, root), *_tables(file, root),
            *_images(file, root), *_styles(file, root)]


def _line(element: etree._Element) -> str:
    return f"line {element.sourceline}"


def _title_and_language(file: str, root: etree._Element) -> list[Problem]:
    findings = []
    title = root.find("head/title")
    if title is None or not (title.text_content() or "").strip():
        findings.append(finding(
            "no-title", file, "<head>", "the page has no <title>",
            "Add a <title> in the template's <head> naming the plan; browsers and screen "
            "readers announce it first."))
    if not (root.get("lang") or root.get(clark(XML, "lang")) or "").strip():
        findings.append(finding(
            "no-language", file, "<html>", "the page's language is not set",
            'Add lang="en-GB" to the <html> tag of the template.'))
    return findings


def _headings(file: str, root: etree._Element) -> list[Problem]:
    findings = []
    headings = root.xpath("//h1|//h2|//h3|//h4|//h5|//h6")
    top = [h for h in headings if h.tag == "h1"]
    if len(top) != 1:
        findings.append(finding(
            "one-h1", file, _line(top[1]) if len(top) > 1 else "<body>",
            f"the page has {len(top)} <h1> headings; it should have exactly one",
            "Make the plan's title the only <h1>; use <h2> for its sections."))
    findings += heading_findings(
        file, ((int(h.tag[1]), _accessible_text(h), _line(h)) for h in headings), "<h{}>")
    return findings


def _tables(file: str, root: etree._Element) -> list[Problem]:
    findings = []
    for number, table in enumerate(root.iter("table"), start=1):
        place = f"{_line(table)} · table {number}"
        head = table.find("thead")
        if head is None or not head.xpath(".//th"):
            findings.append(finding(
                "table-header-not-repeated", file, place,
                "the table has no header row (<thead> with <th> cells)",
                'Put the column headings in <thead><tr><th scope="col">…</th></tr></thead>.'))
        for cell in table.xpath(".//td|.//th"):
            if next(cell.iterancestors("table")) is not table or \
                    any(a.tag == "thead" for a in cell.iterancestors()):
                continue
            if any((cell.get(span) or "1").strip() not in ("1", "") for span in
                   ("colspan", "rowspan")):
                findings.append(finding(
                    "table-merged-cells", file, f"{place} · {_line(cell)}",
                    "the table has merged data cells (colspan or rowspan)",
                    "Give every cell its own value; screen readers cannot follow merged "
                    "cells."))
                break
    return findings


def _images(file: str, root: etree._Element) -> list[Problem]:
    findings = []
    for image in root.iter("img"):
        if image.get("alt") is None:
            findings.append(finding(
                "image-no-alt", file, f"{_line(image)} · <img src=“{image.get('src', '')[:40]}”>",
                "the image has no alt attribute",
                'Add alt="…" saying what the image shows (alt="" only if it is decoration).'))
    for graphic in root.xpath("//svg|//*[@role='img']"):
        if graphic.get("aria-hidden") == "true":
            continue
        if (graphic.tag == "svg" and graphic.get("role") != "img") or \
                not _image_name(root, graphic):
            findings.append(finding(
                "image-no-alt", file, f"{_line(graphic)} · <{graphic.tag}>",
                "the graphic has no text alternative",
                'Give it role="img" and a <title> or aria-label saying what it shows, or '
                'aria-hidden="true" if it is decoration.'))
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


# ------------------------------------------------------------------------------------------------
# The page's stylesheet


@dataclass
class _Stylesheet:
    """The page's <style> rules and style="…" attributes, and the body text's colours."""

    rules: list[Rule]
    inline: Sequence[tuple[etree._Element, Mapping[str, str]]]
    text: RGB  # the body text's colour
    paper: RGB  # the body's background
    family: tuple[Rule, str] | None  # the last body rule setting font-family, and its value

    def declared(self) -> list[tuple[str, Mapping[str, str]]]:
        """(place, declarations) of every rule, then of every style attribute."""
        return ([(f"line {rule.line} · {', '.join(rule.selectors)}", rule.declarations)
                 for rule in self.rules]
                + [(f"line {element.sourceline} · <{element.tag} style>", declarations)
                   for element, declarations in self.inline])


def _stylesheet(root: etree._Element) -> _Stylesheet:
    rules: list[Rule] = []
    for style in root.iter("style"):
        rules += parse_css(style.text or "", style.sourceline or 1)
    inline = [(element, declarations_of(element.get("style") or ""))
              for element in root.xpath("//*[@style]")]
    colour = background = None
    family = None
    for rule in rules:
        if rule.media or not any(s in ("body", "html", ":root") for s in rule.selectors):
            continue
        colour = rule.declarations.get("color", colour)
        background = background_value(rule.declarations) or background
        if "font-family" in rule.declarations:
            family = (rule, rule.declarations["font-family"])
    return _Stylesheet(rules, inline, css_colour(colour or "") or (0x00, 0x00, 0x00),
                       css_colour(background or "") or (0xFF, 0xFF, 0xFF), family)


def _styles(file: str, root: etree._Element) -> list[Problem]:
    sheet = _stylesheet(root)
    declared = sheet.declared()
    return [*_font(file, sheet.family), *_sizes(file, declared),
            *_contrast(file, declared, sheet.text, sheet.paper), *_colour_only(file, root, sheet)]


def _font(file: str, family: tuple[Rule, str] | None) -> list[Problem]:
    if family is None:
        return [finding(
            "font-not-sans-serif", file, "<style>", "the page sets no font for its body text, "
            "so browsers use their default, a serif font",
            "Add font-family: Arial, sans-serif; to the body rule of the stylesheet.")]
    rule, value = family
    fonts = [font.strip().strip("'\"") for font in value.split(",") if font.strip()]
    kind = font_kind(fonts[0]) if fonts else "other"
    place = f"line {rule.line} · body"
    if kind == "other":
        return [finding(
            "font-not-sans-serif", file, place, f"the body text is set in "
            f"{fonts[0] if fonts else 'no font'}, which is not sans-serif",
            "Use a sans-serif font stack, such as font-family: Arial, sans-serif;.")]
    if kind == "unknown" and (not fonts or fonts[-1].casefold() != "sans-serif"):
        return [finding(
            "font-unknown", file, place, f"plangen cannot tell whether {fonts[0]} is "
            "sans-serif", "End the font list with sans-serif.", Severity.WARNING)]
    return []


def _sizes(file: str, declared: Iterable[tuple[str, Mapping[str, str]]]) -> list[Problem]:
    findings = []
    for place, declarations in declared:
        size = declarations.get("font-size")
        points = css_points(size) if size else None
        if (size and size.strip().lower() == "smaller") or \
                (points is not None and points < MIN_SIZE_PT):
            findings.append(finding(
                "text-too-small", file, place, f"font-size {size} is less than "
                f"{MIN_SIZE_PT:g} pt (taking 1rem as 16 px)",
                "Use 1rem (16 px, 12 pt) or more for text."))
    return findings


def _contrast(file: str, declared: Iterable[tuple[str, Mapping[str, str]]], text: RGB,
              paper: RGB) -> list[Problem]:
    findings = []
    for place, declarations in declared:
        fg_value, bg_value = declarations.get("color"), background_value(declarations)
        if fg_value is None and bg_value is None:
            continue
        fg = css_colour(fg_value) if fg_value else text
        bg = css_colour(bg_value) if bg_value else paper
        if fg and bg and contrast(fg, bg) < MIN_CONTRAST:
            findings.append(finding(
                "contrast-too-low", file, place, f"text colour {hex_of(fg)} on {hex_of(bg)} "
                f"has a contrast of {contrast(fg, bg):.1f}:1; the minimum is "
                f"{MIN_CONTRAST:g}:1", "Make the text darker or the background lighter."))
    return findings


def _colour_only(file: str, root: etree._Element, sheet: _Stylesheet) -> list[Problem]:
    """Inline text (links, spans, classes used on them) whose rule changes only its colour
    from the body text's (in the same @media)."""
    text_in = {rule.media: css_colour(rule.declarations.get("color", "")) or sheet.text
               for rule in sheet.rules if rule.media and "body" in rule.selectors}
    findings = []
    for rule in sheet.rules:
        selector = _colour_only_selector(root, rule, text_in.get(rule.media, sheet.text))
        if selector is not None:
            findings.append(finding(
                "colour-only", file, f"line {rule.line} · {selector}",
                f"text matching {selector} is set apart only by its colour", _COLOUR_ONLY_FIX))
    for element, declarations in sheet.inline:
        if element.tag in INLINE_ELEMENTS and "color" in declarations and not any(
                key in declarations for key in CSS_EMPHASIS):
            findings.append(finding(
                "colour-only", file, f"line {element.sourceline} · <{element.tag} style>",
                "text is set apart only by its colour", _COLOUR_ONLY_FIX))
    for element in root.iter("font"):
        if element.get("color"):
            findings.append(finding(
                "colour-only", file, f"line {element.sourceline} · <font color>",
                "text is set apart only by its colour", _COLOUR_ONLY_FIX))
    return findings


def _colour_only_selector(root: etree._Element, rule: Rule, text: RGB) -> str | None:
    """The first of the rule's selectors that picks out inline text by colour alone, if the
    rule changes the text's colour and nothing else that shows."""
    colour = css_colour(rule.declarations.get("color", ""))
    if colour is None or colour == text or any(
            key in rule.declarations and rule.declarations[key].strip().lower()
            not in ("none", "normal", "inherit", "initial", "unset", "transparent", "0")
            for key in CSS_EMPHASIS):
        return None
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
            return selector
    return None
