"""Rendering the plan model into the web page, through an editable Jinja template.

The same names as the Word template (template.context), the same rules: every value escaped
(autoescape), a tag that names something the plan lacks is an error (StrictUndefined). The page
is rendered in memory; the build writes it with the other outputs.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import jinja2

from plangen.errors import TemplateError
from plangen.model import Plan
from plangen.template.context import context, environment


def _line(template: Path, error: jinja2.TemplateError) -> int | None:
    """The template line at fault: syntax errors carry it; for others, Jinja puts the
    template's own line into the traceback."""
    line: int | None = getattr(error, "lineno", None)
    if line is not None:
        return line
    traceback = error.__traceback__
    while traceback is not None:  # the innermost template frame is the one at fault
        if Path(traceback.tb_frame.f_code.co_filename) == template.resolve():
            line = traceback.tb_lineno
        traceback = traceback.tb_next
    return line


def _describe(template: Path, error: jinja2.TemplateError) -> str:
    line = _line(template, error)
    where = f"{template}, line {line}" if line else str(template)
    if isinstance(error, jinja2.TemplateSyntaxError):
        return f"{where}: a tag is written wrongly: {error.message}"
    if isinstance(error, jinja2.UndefinedError):
        return f"{where}: a tag names something the plan does not have: {error.message}"
    return f"{where}: {error}"


def render_page(plan: Plan, template: Path, *, draft: bool = False,
                left_out: Sequence[str] = ()) -> str:
    """The page as text."""
    if not template.is_file():
        raise TemplateError(f"{template}: the web page template does not exist")
    env = environment()
    env.loader = jinja2.FileSystemLoader(str(template.parent))
    env.trim_blocks = env.lstrip_blocks = True
    env.keep_trailing_newline = True
    try:
        return env.get_template(template.name).render(
            context(plan, draft=draft, left_out=left_out))
    except jinja2.TemplateError as error:
        raise TemplateError(_describe(template, error)) from error
    except UnicodeDecodeError as error:
        raise TemplateError(f"{template}: the web page template is not UTF-8 text — save it "
                            "as UTF-8") from error
