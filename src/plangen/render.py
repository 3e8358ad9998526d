"""Rendering the plan model into a Word template with docxtpl.

Values are escaped (autoescape), so a partner's "&" or "<" is text, never markup; a tag that
names a missing field is an error (StrictUndefined), never silently empty text.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import fields
from pathlib import Path
from typing import Any

import jinja2
from docx.shared import Cm
from docxtpl import DocxTemplate, InlineImage

from plangen.chart import ThemeChart
from plangen.files import write_atomically
from plangen.model import Plan
from plangen.problems import PlangenError


class TemplateError(PlangenError):
    """The Word template cannot be rendered; the message says which tag and why."""


def context(plan: Plan, *, draft: bool = False, left_out: Sequence[str] = ()) -> dict[str, Any]:
    """The names a template can use: every field of the plan, the figures at a glance (and
    their chart), and whether this is a draft with what it left out."""
    names: dict[str, Any] = {field.name: getattr(plan, field.name) for field in fields(plan)}
    names["glance"] = plan.glance
    names["glance_chart"] = ThemeChart(plan.glance)
    names["draft"] = draft
    names["left_out"] = tuple(left_out)
    return names


def environment() -> jinja2.Environment:
    return jinja2.Environment(undefined=jinja2.StrictUndefined, autoescape=True)


def _describe(error: Exception) -> str:
    if isinstance(error, jinja2.TemplateSyntaxError):
        return f"a tag is written wrongly: {error.message}"
    if isinstance(error, jinja2.UndefinedError):
        return f"a tag names something the plan does not have: {error.message}"
    return str(error)


def render_docx(plan: Plan, template: Path, output: Path, *, draft: bool = False,
                left_out: Sequence[str] = ()) -> None:
    """Render template with the plan and write output atomically."""
    if not template.is_file():
        raise TemplateError(f"{template}: the template does not exist")
    try:
        document = DocxTemplate(template)
        names = context(plan, draft=draft, left_out=left_out)
        names["glance_chart"] = ChartImage(document, names["glance_chart"])
        document.render(names, environment(), autoescape=True)
    except (jinja2.TemplateError, ValueError, KeyError) as error:
        raise TemplateError(f"{template}: {_describe(error)}") from error
    except Exception as error:  # a damaged .docx fails inside zipfile or lxml
        raise TemplateError(f"{template}: the template cannot be opened as a Word document "
                            f"({error})") from error
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

    def _insert_image(self) -> str:
        from io import BytesIO

        inline = self.tpl.current_rendering_part.new_pic_inline(
            BytesIO(self.chart.png()), self.width, self.height)
        for properties in (inline.docPr, *inline.xpath(".//pic:cNvPr")):
            properties.set("name", "Chart: actions per theme")
            properties.set("descr", self.chart.alt)
        return (f"</w:t></w:r><w:r><w:drawing>{inline.xml}</w:drawing></w:r><w:r>"
                '<w:t xml:space="preserve">')
