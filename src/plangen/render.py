"""Rendering the plan model into a Word template with docxtpl.

Values are escaped (autoescape), so a partner's "&" or "<" is text, never markup; a tag that
names a missing field is an error (StrictUndefined), never silently empty text. Tags Word split
across runs are joined first (templatexml.mended), and a render that would produce damaged XML
is refused rather than quietly repaired.
"""

from __future__ import annotations

import io
import re
from collections.abc import Mapping, Sequence
from dataclasses import fields
from pathlib import Path
from typing import Any, get_type_hints

import jinja2
from docx.shared import Cm
from docxtpl import DocxTemplate, InlineImage
from lxml import etree

from plangen.chart import ThemeChart
from plangen.files import write_atomically
from plangen.model import Glance, Plan
from plangen.problems import TemplateError, TemplateProblems
from plangen.templatexml import mended, render_problem

__all__ = ["TemplateError", "context", "context_types", "environment", "render_docx",
           "render_template"]


def context(plan: Plan, *, draft: bool = False, left_out: Sequence[str] = ()) -> dict[str, Any]:
    """The names a template can use: every field of the plan, the figures at a glance (and
    their chart), and whether this is a draft with what it left out."""
    names: dict[str, Any] = {field.name: getattr(plan, field.name) for field in fields(plan)}
    names["glance"] = plan.glance
    names["glance_chart"] = ThemeChart(plan.glance)
    names["draft"] = draft
    names["left_out"] = tuple(left_out)
    return names


def context_types() -> dict[str, Any]:
    """The type of each name context() gives, so a template can be checked without a plan
    (check-template, the template guide). A test keeps the two in step."""
    hints = get_type_hints(Plan)
    names: dict[str, Any] = {field.name: hints[field.name] for field in fields(Plan)}
    names["glance"] = Glance
    names["glance_chart"] = ThemeChart
    names["draft"] = bool
    names["left_out"] = tuple[str, ...]
    return names


def environment() -> jinja2.Environment:
    return jinja2.Environment(undefined=jinja2.StrictUndefined, autoescape=True)


#: A text element holding a character docxtpl's resolve_listing turns into Word markup (its
#: text cannot hold "<", which XML escapes).
_LISTING = re.compile(r"<w:t(?: [^>]*)?>[^<]*[\t\a\n\f]")


class _StrictTemplate(DocxTemplate):  # type: ignore[misc]
    """docxtpl re-reads the rendered body with a recovering parser, which silently drops what it
    cannot read; this refuses damaged XML instead, so a broken plan is never written."""

    def fix_tables(self, xml: str) -> Any:
        etree.fromstring(xml)  # raises XMLSyntaxError on damaged XML
        return super().fix_tables(xml)

    def resolve_listing(self, xml: str) -> str:
        """docxtpl turns tabs, line and page breaks in the text into Word's; with none in any
        <w:t> that pass (half the render of a county plan) would give back the same XML."""
        if _LISTING.search(xml) is None:
            return xml
        resolved: str = super().resolve_listing(xml)
        return resolved


def render_template(template: Path, names: Mapping[str, Any]) -> DocxTemplate:
    """The template filled in with names, not yet saved. Raises TemplateProblems, each located
    in the template as well as the error allows."""
    source = mended(template)
    document = _StrictTemplate(io.BytesIO(source))
    names = dict(names)
    if isinstance(names.get("glance_chart"), ThemeChart):
        names["glance_chart"] = ChartImage(document, names["glance_chart"])
    try:
        document.render(names, environment(), autoescape=True)
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


def render_docx(plan: Plan, template: Path, output: Path, *, draft: bool = False,
                left_out: Sequence[str] = ()) -> None:
    """Render template with the plan and write output atomically."""
    document = render_template(template, context(plan, draft=draft, left_out=left_out))
    write_atomically(output, lambda path: document.save(path))


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
