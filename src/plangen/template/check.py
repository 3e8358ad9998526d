"""Checking a Word template before it is filled in, so an officer's typo gets a sentence, not a
traceback.

`check_template` reports every problem at once. Each has a stable id (the guide lists them),
where it is (part, heading above, paragraph or table/row/cell), the tag as typed, what is wrong
in plain words and how to fix it. The tags of each part are checked by structure.py (how they
are written and fit together) and expressions.py (what they name, against the plan model);
this module adds what concerns the document as a whole (styles, tracked changes, comments) and
a trial render with a made-up plan.
"""

from __future__ import annotations

import re
from dataclasses import fields, is_dataclass
from datetime import date
from pathlib import Path
from typing import Any, get_type_hints

from plangen.errors import TemplateProblems
from plangen.model import Plan
from plangen.problems import Problem, Severity, TemplateLocation, sort_problems, template_problem
from plangen.template.context import context, context_types
from plangen.template.model_types import element_type, strip_optional
from plangen.template.render import render_template
from plangen.template.structure import check_part, check_property
from plangen.template.tags import Template, read_template, w
from plangen.text import closest

#: Every problem id check-template and the build report, with what it means. The guide's table
#: is generated from this, and a test keeps it complete.
PROBLEM_IDS = {
    "unknown-field": "A tag names something the plan does not have: a typo, or a field of "
                     "another kind of item.",
    "unknown-loop-variable": "A loop's item name used outside that loop, or misspelt inside it.",
    "unknown-filter": "A |filter or an “is …” test that does not exist.",
    "unknown-tag": "A {% … %} tag that is not for, if, elif, else, endfor, endif or set.",
    "syntax": "A tag that cannot be read: a missing word, bracket or quote, or an empty tag.",
    "unclosed-tag": "{{ or {% without its closing }} or %} in the same paragraph.",
    "unopened-tag": "A }} or %} without its opening half: it would appear in the plan.",
    "spaced-delimiter": "“{ {” or “} }” with a space between: not read as a tag.",
    "unclosed-block": "A for or if that is never closed.",
    "unopened-block": "An endfor, endif or else with nothing open to close.",
    "mismatched-block": "A block closed by the wrong end, or with another kind of tag "
                        "({%p … %} opened, {% … %} closed).",
    "loop-crosses-table": "A loop or condition that starts in one table, row or cell and ends "
                          "outside it.",
    "block-spans-paragraphs": "A {% … %} block (without p) that starts and ends in different "
                              "paragraphs.",
    "two-structural-tags": "Another tag in the paragraph of a {%p … %} tag or the row of a "
                           "{%tr … %} tag: it would be lost.",
    "text-beside-structural-tag": "Words in the paragraph of a {%p … %} tag or the row of a "
                                  "{%tr … %} tag: they would be lost.",
    "structural-tag-outside-table": "A {%tr … %} or {%tc … %} tag that is not in a table.",
    "structural-print": "{{p …}}, {{tr …}} or {{r …}}: rich text, which plangen does not "
                        "produce.",
    "missing-space-in-tag": "“{%pfor” (not understood: an error) or “{{name}}” (hard to read: a "
                            "warning).",
    "space-before-prefix": "“{% p for” with a space before the p: not understood.",
    "smart-quotes-in-tag": "Curly quotes in a tag, from Word's AutoFormat; plangen straightens "
                           "them.",
    "split-tag": "Something that is not text inside a tag: a picture or field (an error), a "
                 "line break or tab (a warning).",
    "prints-a-list": "{{ … }} of a whole list: it would print in computer notation.",
    "prints-a-record": "{{ … }} of a whole item (a theme, an action): it would print in "
                       "computer notation.",
    "not-a-list": "A loop over something that is not a list.",
    "missing-style": "A paragraph, text or table uses a style that is no longer in the "
                     "template.",
    "tracked-changes": "Tracked changes left in the template (a warning), or a tag deleted "
                       "with them (an error).",
    "comments": "Comments left in the template: every plan would carry them.",
    "render-failed": "Filling in a tag failed, e.g. adding a number to a piece of text.",
    "damaged-output": "Filling in would produce a damaged document, so nothing is written.",
}
WARNING = Severity.WARNING


# --------------------------------------------------------------------------------------------------
# The public entry point


def check_template(path: Path, *, trial_render: bool = True) -> list[Problem]:
    """Every problem in the template at path, in document order.

    With trial_render, a template with no errors is also filled in with a made-up plan (once
    full, once empty) to catch anything only rendering shows; `plangen build` skips that
    because it renders for real straight after.
    """
    template = read_template(path)
    problems: list[Problem] = []
    problems += _check_styles(template)
    problems += _check_revisions(template)
    names = context_types()
    for part in template.parts:
        problems += check_part(part, names)
    for index, (label, value) in enumerate(template.properties):
        problems += check_property(label, value, names, len(template.parts), index)
    if trial_render and not any(problem.is_error for problem in problems):
        problems += _trial_render(path)
    return sort_problems(problem.at(file=str(path)) for problem in problems)


# --------------------------------------------------------------------------------------------------
# Styles, tracked changes, comments


def _style_label(style_id: str) -> str:
    """A missing style is only known by its id; Word makes ids by dropping spaces."""
    return re.sub(r"(?<=[a-z])(?=[A-Z0-9])", " ", style_id)


def _check_styles(template: Template) -> list[Problem]:
    uses: dict[tuple[str, str], list[TemplateLocation]] = {}
    for part in template.parts:
        first_in_table: dict[int, TemplateLocation] = {}
        for paragraph in part.paragraphs:
            if paragraph.table is not None:
                first_in_table.setdefault(id(paragraph.table), paragraph.where)
            element = paragraph.element
            for tag, kind in ((w("pStyle"), "paragraph"), (w("rStyle"), "character")):
                for reference in element.iter(tag):
                    if kind == "paragraph" and reference.getparent().getparent() is not element:
                        continue  # a paragraph mark inside a text box belongs to that paragraph
                    uses.setdefault((reference.get(w("val"), ""), kind), []).append(
                        paragraph.where)
        for table in part.root.iter(w("tbl")):
            reference = table.find(f"{w('tblPr')}/{w('tblStyle')}")
            if reference is not None and id(table) in first_in_table:
                uses.setdefault((reference.get(w("val"), ""), "table"), []).append(
                    first_in_table[id(table)])
    problems = []
    known = [*template.styles, *(style.name for style in template.styles.values())]
    for (style_id, kind), places in uses.items():
        if not style_id or style_id in template.styles:
            continue
        name = _style_label(style_id)
        thing = {"paragraph": "paragraph", "character": "text", "table": "table"}[kind]
        more = f" It is used in {len(places)} places." if len(places) > 1 else ""
        suggestion = closest(name, known, cutoff=85, short_names=True)
        also = f" If it was renamed to “{suggestion}”, rename it back." if suggestion else ""
        problems.append(template_problem(
            "missing-style", places[0], f"style “{name}”",
            f"This {thing} uses the {kind} style “{name}”, which is no longer in the template, "
            f"so Word shows it in the default look.{more}",
            f"Create a {kind} style named “{name}” again (Styles pane → New Style), or give "
            f"this {thing} another style.{also}"))
    return problems


_REVISIONS = {w(name) for name in ("ins", "del", "moveFrom", "moveTo", "rPrChange",
                                   "pPrChange", "tblPrChange", "trPrChange", "tcPrChange")}


def _check_revisions(template: Template) -> list[Problem]:
    """Tracked changes and comments are copied into every plan, and docxtpl still reads tags
    in text deleted with Track Changes on."""
    problems = []
    for part in template.parts:
        revised = next((p for p in part.paragraphs
                        if any(e.tag in _REVISIONS for e in p.element.iter())), None)
        deleted_tag = next((p for p in part.paragraphs
                            if re.search(r"\{[{%]", p.deleted)), None)
        if deleted_tag is not None:
            problems.append(template_problem(
                "tracked-changes", deleted_tag.where, deleted_tag.deleted.strip()[:60],
                "A tag was deleted with Track Changes on. It is still in the file, and plangen "
                "would still fill it in.",
                "Accept the changes (Review → Accept → Accept All Changes), then save."))
        elif revised is not None:
            problems.append(template_problem(
                "tracked-changes", revised.where, "",
                "The template has tracked changes. Every plan would show them as changes too.",
                "Accept or reject them (Review → Accept → Accept All Changes), then save.",
                WARNING))
        commented = next((p for p in part.paragraphs
                          if next(p.element.iter(w("commentReference")), None) is not None), None)
        if commented is not None:
            problems.append(template_problem(
                "comments", commented.where, "",
                "The template has comments. Every plan would carry them.",
                "Delete them once dealt with (Review → Delete → Delete All Comments in "
                "Document).", WARNING))
    return problems


# --------------------------------------------------------------------------------------------------
# Trial render with a made-up plan


def _example(kind: Any, items: int) -> Any:
    kind = strip_optional(kind)
    if kind is str:
        return "Example & <text>"
    if kind is bool:
        return True
    if kind is int:
        return items
    if kind is date:
        return date(2018, 4, 1)
    element = element_type(kind)
    if element is not None and element is not Any:
        return tuple(_example(element, items) for _ in range(items))
    if isinstance(kind, type) and is_dataclass(kind):
        hints = get_type_hints(kind)
        return kind(**{item.name: _example(hints[item.name], items) for item in fields(kind)
                       if item.init})
    return None


def example_plan(items: int = 3) -> Plan:
    """A plan made up from the model's types alone: every text "Example & <text>" (so escaping
    is exercised), every list with items entries."""
    plan = _example(Plan, items)
    assert isinstance(plan, Plan)
    return plan


def _trial_render(path: Path) -> list[Problem]:
    for plan, draft, left_out in ((example_plan(3), True, ("An example of a row left out",)),
                                  (example_plan(0), False, ())):
        try:
            render_template(path, context(plan, draft=draft, left_out=left_out))
        except TemplateProblems as error:
            return list(error.problems)
    return []
