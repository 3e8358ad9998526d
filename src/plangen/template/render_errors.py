"""Errors while filling in a template, as problems placed at the tag that most likely caused
them: Jinja, docxtpl and lxml say what failed, and at best on which line of the Jinja source
docxtpl made, never where that is in Word.
"""

from __future__ import annotations

import re
from pathlib import Path

from lxml import etree

from plangen.errors import TemplateError
from plangen.problems import Problem, TemplateLocation, template_problem
from plangen.template.tags import Paragraph, Part, read_template, straightened

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
    return re.sub(r"\s+", "", straightened(_STRUCTURAL_PREFIX.sub(r"\1", text)))


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
