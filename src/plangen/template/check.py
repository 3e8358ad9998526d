"""Checking a Word template before it is filled in, so an officer's typo gets a sentence, not a
traceback.

`check_template` reports every problem at once. Each has a stable id (the guide lists them),
where it is (part, heading above, paragraph or table/row/cell), the tag as typed, what is wrong
in plain words and how to fix it. Names are checked against the plan model itself: the names
`render.context` gives a template and, through the dataclasses in model.py, every field below
them, so a field added to the model is known here at once.
"""

from __future__ import annotations

import functools
import re
import types
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields, is_dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any, Union, get_args, get_origin, get_type_hints

import jinja2
from jinja2 import nodes

from plangen.errors import TemplateProblems
from plangen.model import Plan
from plangen.problems import Problem, Severity, TemplateLocation, sort_problems, template_problem
from plangen.template.render import context, context_types, environment, render_template
from plangen.template.tags import (
    OBJECT_CHAR,
    Paragraph,
    Part,
    Tag,
    Template,
    find_tags,
    outside_tags,
    read_template,
    w,
)
from plangen.text import closest, shorten

GUIDE = "docs/template-guide.md"

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
ERROR, WARNING = Severity.ERROR, Severity.WARNING

#: Blocks and the tag that ends each. `set` is a block only when it has no "=".
BLOCKS = {"for": "endfor", "if": "endif", "with": "endwith", "filter": "endfilter",
          "macro": "endmacro", "call": "endcall", "autoescape": "endautoescape", "set": "endset"}
ENDS = {end: start for start, end in BLOCKS.items()}
MIDDLES = {"else": ("if", "for"), "elif": ("if",)}
#: docxtpl's own tags, handled before Jinja sees the template.
DOCXTPL = {"colspan", "cellbg", "vm", "hm"}
KEYWORDS = {*BLOCKS, *ENDS, *MIDDLES, *DOCXTPL}
_END_DUMMY = {"endfor": "{% for _ in () %}", "endif": "{% if true %}", "endwith": "{% with %}",
              "endfilter": "{% filter upper %}", "endmacro": "{% macro m() %}",
              "endcall": "{% call m() %}", "endautoescape": "{% autoescape true %}",
              "endset": "{% set _ %}"}
_SMART_QUOTES = "“”‘’"
_LOOP_ATTRIBUTES = {"index", "index0", "revindex", "revindex0", "first", "last", "length",
                    "depth", "depth0", "previtem", "nextitem", "cycle", "changed"}
_OPENER_OF = {"}}": "{{", "%}": "{%", "#}": "{#"}
_FOR_TARGETS = re.compile(r"\s*for\s+([\w\s,]+?)\s+in\b")


class _LoopInfo:
    """Jinja's `loop` inside a for loop (loop.first, loop.index, …)."""


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
        problems += _PartChecker(part, names).check()
    for index, (label, value) in enumerate(template.properties):
        problems += _check_property(label, value, names, len(template.parts), index)
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
# Tags: delimiters, spacing, quotes, structural tags, blocks and names


@dataclass
class _Open:
    """A block opened and not yet closed, with the names it binds (a loop's item, `loop`)."""

    tag: Tag
    paragraph: Paragraph
    keyword: str
    bindings: dict[str, Any] = field(default_factory=dict)


def _end_tag(opener: Tag, keyword: str) -> str:
    prefix = f"{opener.prefix} " if opener.prefix else " "
    return f"{{%{prefix}{BLOCKS.get(keyword, 'end' + keyword)} %}}"


def _describe_kind(tag: Tag) -> str:
    if tag.keyword == "for":
        return {"p": "paragraph loop", "tr": "row loop", "tc": "column loop"}.get(
            tag.prefix, "loop")
    if tag.keyword == "if":
        return "condition"
    return f"“{tag.keyword}” block"


class _PartChecker:
    """Checks one part (body, a header, …): docxtpl renders each as its own Jinja template."""

    def __init__(self, part: Part, names: Mapping[str, Any]) -> None:
        self.part = part
        self.names = names
        self.env = environment()
        self.problems: list[Problem] = []
        self.lost: set[int] = set()  # id() of tags docxtpl drops (beside a structural tag)
        self.stack: list[_Open] = []
        self.globals: dict[str, Any] = dict(names)
        self.loop_names: dict[str, str] = {}  # loop item name -> the for tag that binds it

    def add(self, code: str, paragraph: Paragraph, tag: str, message: str, fix: str,
            severity: Severity = ERROR) -> None:
        offset = max(paragraph.text.find(tag), 0) if tag else 0
        where = replace(paragraph.where, order=(*paragraph.where.order, offset))
        self.problems.append(template_problem(code, where, tag, message, fix, severity))

    def check(self) -> list[Problem]:
        for paragraph in self.part.paragraphs:
            for tag in paragraph.tags:
                if tag.keyword == "for" and (match := _FOR_TARGETS.match(tag.body)):
                    for name in re.split(r"[\s,]+", match.group(1).strip()):
                        self.loop_names.setdefault(name, tag.text)
        self._structural()
        for paragraph in self.part.paragraphs:
            self._delimiters(paragraph)
            for tag in paragraph.tags:
                if tag.closed and id(tag) not in self.lost:
                    self._tag(paragraph, tag)
        for still_open in self.stack:
            self._unclosed(still_open)
        return self.problems

    # -- delimiters --------------------------------------------------------------------------

    def _delimiters(self, paragraph: Paragraph) -> None:
        for tag in paragraph.tags:
            if not tag.closed:
                closer = {"{{": "}}", "{%": "%}", "{#": "#}"}[tag.opener]
                wrong = (f" It ends with {tag.wrong_closer} instead." if tag.wrong_closer
                         else "")
                self.add("unclosed-tag", paragraph, tag.text,
                         f"This tag opens with {tag.opener} but never closes with {closer} "
                         f"in the same paragraph.{wrong}",
                         f"Type {closer} at the end of the tag. A tag must sit within one "
                         "paragraph: no Enter inside it.")
                continue
            pieces = paragraph.sources[tag.start:tag.end]
            inside = paragraph.text[tag.start:tag.end]
            if OBJECT_CHAR in inside:
                self.add("split-tag", paragraph, tag.text.replace(OBJECT_CHAR, "▯"),
                         "Something that is not text — a picture, field, symbol or footnote "
                         "mark (shown as ▯) — sits inside this tag, so it cannot be filled in "
                         "without losing it.",
                         "Delete the tag and type it again in one go, then put the picture or "
                         "field before or after it.")
            elif any(source is None for source in pieces):
                self.add("split-tag", paragraph, _visible(tag.text),
                         "A line break or tab sits inside this tag. plangen removes it, so "
                         "it will not appear in the plan.",
                         "Delete the line break or tab inside the braces.", WARNING)
        gaps = outside_tags(paragraph.text, paragraph.tags)
        for match in re.finditer(r"\}\}|%\}|#\}", gaps):
            self.add("unopened-tag", paragraph, match.group(),
                     f"There is a closing {match.group()} here without an opening "
                     f"{_OPENER_OF[match.group()]} before it in the same paragraph, so it "
                     "will appear in the plan as typed.",
                     "Delete it, or add the opening half of the tag before it.", WARNING)
        for match in re.finditer(r"\{ +[{%#]|[}%#] +\}", gaps):
            self.add("spaced-delimiter", paragraph, match.group(),
                     f"“{match.group()}” looks like half of a tag, but there is a space "
                     "between the two characters, so it is not read as a tag and will appear "
                     "in the plan as typed.",
                     "Remove the space: tags start with {{ or {% and end with }} or %}.",
                     WARNING)

    # -- structural tags ({%p %}, {%tr %}, {%tc %}) ------------------------------------------

    def _structural(self) -> None:
        by_row: dict[int, list[tuple[Paragraph, Tag]]] = {}
        by_cell: dict[int, list[tuple[Paragraph, Tag]]] = {}
        for paragraph in self.part.paragraphs:
            if paragraph.row is not None:
                by_row.setdefault(id(paragraph.row), []).extend(
                    (paragraph, tag) for tag in paragraph.tags)
                by_cell.setdefault(id(paragraph.cell), []).extend(
                    (paragraph, tag) for tag in paragraph.tags)
            for tag in paragraph.tags:
                if (tag.prefix in ("tr", "tc") and paragraph.table is None
                        and tag.keyword not in ENDS and tag.keyword not in MIDDLES):
                    # an end outside the table is reported with its start (loop-crosses-table)
                    kind = "row" if tag.prefix == "tr" else "column"
                    self.add("structural-tag-outside-table", paragraph, tag.text,
                             f"A {{%{tag.prefix} … %}} tag repeats or hides a table {kind}, but "
                             "this one is not in a table.",
                             f"Use {{%p … %}} for paragraphs, or move this tag into the first "
                             f"cell of the table {kind} it belongs to.")
                if tag.opener == "{{" and tag.prefix:
                    self.add("structural-print", paragraph, tag.text,
                             f"{{{{{tag.prefix} … }}}} inserts rich text, which plangen does not "
                             "produce, so the document would be damaged.",
                             f"Write it without the {tag.prefix}: "
                             f"{{{{ {tag.body.strip()} }}}}.")
                    self.lost.add(id(tag))
            self._alone(paragraph, [(paragraph, tag) for tag in paragraph.tags], "p",
                        "paragraph")
        for group in by_row.values():
            if group:
                self._alone(group[0][0], group, "tr", "table row")
        for group in by_cell.values():
            if group:
                self._alone(group[0][0], group, "tc", "table cell")

    def _alone(self, paragraph: Paragraph, tags: list[tuple[Paragraph, Tag]], prefix: str,
               thing: str) -> None:
        """docxtpl replaces the whole paragraph / row / cell holding a {%p %} / {%tr %} / {%tc %}
        tag by that tag alone: every other tag and word in it is lost."""
        structural = [(p, t) for p, t in tags if t.prefix == prefix and t.closed
                      and id(t) not in self.lost]
        if not structural:
            return
        # docxtpl's pattern is greedy: the last structural tag is the one that survives
        first_paragraph, first = structural[-1]
        for other_paragraph, other in tags:
            if other is first or id(other) in self.lost:
                continue
            self.lost.add(id(other))
            self.add("two-structural-tags", other_paragraph, other.text,
                     f"This {thing} also holds {first.text}, and plangen replaces the whole "
                     f"{thing} by that one tag, so this tag would be lost.",
                     f"Give each tag its own {thing}"
                     + (" (press Enter between them)." if prefix == "p" else "."))
        holders = {id(p): p for p, _ in tags}
        words = " ".join(" ".join(outside_tags(p.text, p.tags).replace(OBJECT_CHAR, " ").split())
                         for p in holders.values()).strip()
        if words:
            self.add("text-beside-structural-tag", first_paragraph, first.text,
                     f"The words “{shorten(words, 50)}” share a {thing} with {first.text}. plangen "
                     f"replaces the whole {thing} by the tag, so they will not appear in the "
                     "plan.",
                     f"Move the words to a {thing} of their own.", WARNING)

    # -- one tag -----------------------------------------------------------------------------

    def _tag(self, paragraph: Paragraph, tag: Tag) -> None:
        """Check one tag. A tag with a mistake that has an obvious reading (a missing space,
        a misspelt endif) is then checked as that reading, so one slip does not hide or
        cascade into other problems."""
        if tag.opener == "{#":
            return
        tag = self._spacing(paragraph, tag)
        if any(quote in tag.text for quote in _SMART_QUOTES):
            self.add("smart-quotes-in-tag", paragraph, tag.text,
                     "Word turned the straight quotes in this tag into curly ones (“ ” ‘ ’). "
                     "plangen straightens them, but the tag no longer reads as typed.",
                     "Type straight quotes (\" and ') — or turn off File → Options → Proofing "
                     "→ AutoCorrect Options → AutoFormat As You Type → “Straight quotes with "
                     "smart quotes”.", WARNING)
        guessed = False
        if tag.opener == "{%":
            if tag.keyword in ("include", "extends", "import", "from", "block", "endblock",
                               "raw", "endraw", "do", "break", "continue"):
                self.add("unknown-tag", paragraph, tag.text,
                         f"“{tag.keyword}” cannot be used in a Word template.",
                         f"Use the tags shown in {GUIDE}.")
                return
            if tag.keyword not in KEYWORDS:
                suggestion = closest(tag.keyword, ("for", "if", "elif", "else", "endfor",
                                                    "endif", "set"), short_names=True)
                shown = tag.keyword or tag.body.strip()
                self.add("unknown-tag", paragraph, tag.text,
                         f"“{shown}” is not a tag plangen knows.",
                         (f"Did you mean “{suggestion}”? " if suggestion else "")
                         + "A {% … %} tag starts with for, if, elif, else, endfor or endif.")
                if suggestion is None or not tag.keyword:
                    return
                tag = replace(tag, keyword=suggestion,
                              body=tag.body.replace(tag.keyword, suggestion, 1))
                guessed = True
        source = _alone_source(tag)
        tree = _parse(source) if source is not None else None
        if isinstance(tree, str):
            if not guessed:
                self._syntax(paragraph, tag, tree)
            tree = None
        if tag.opener == "{%":
            self._block(paragraph, tag, tree)
        elif tree is not None:
            for output in tree.find_all(nodes.Output):
                for node in output.nodes:
                    self._printed(paragraph, tag, node)

    def _spacing(self, paragraph: Paragraph, tag: Tag) -> Tag:
        """Spaces docxtpl needs. Returns the tag as it should have been typed."""
        inner = tag.text[2:-2]
        glued = re.match(r"(tr|tc|p|r)(for|if|elif|else|endfor|endif)\b", inner)
        spaced = re.match(r"\s+(tr|tc|p|r)\s+(for|if|elif|else|endfor|endif)\b", inner)
        if glued:
            fixed = f"{tag.opener}{glued.group(1)} {inner[len(glued.group(1)):]}{tag.text[-2:]}"
            self.add("missing-space-in-tag", paragraph, tag.text,
                     f"“{glued.group(1)}” must be followed by a space, or the tag is not "
                     "understood.", f"Type {fixed}")
        elif spaced:
            fixed = (f"{tag.opener}{spaced.group(1)} {inner[spaced.end(1):].lstrip()}"
                     f"{tag.text[-2:]}")
            self.add("space-before-prefix", paragraph, tag.text,
                     f"There is a space between {tag.opener} and “{spaced.group(1)}”, so the "
                     "tag is not understood.", f"Remove that space: type {fixed}")
        else:
            body = tag.body.strip("-+") if tag.body.strip("-+ ") else tag.body
            if body.strip() and (body[:1] != " " or body[-1:] != " "):
                self.add("missing-space-in-tag", paragraph, tag.text,
                         "This tag works, but without a space inside the braces it is easy to "
                         "misread.",
                         f"Type it as {tag.opener}{tag.prefix} {tag.body.strip()} "
                         f"{tag.text[-2:]}", WARNING)
            return tag
        return replace(find_tags(fixed)[0], text=tag.text, start=tag.start, end=tag.end)

    def _syntax(self, paragraph: Paragraph, tag: Tag, message: str) -> None:
        if not tag.body.strip():
            self.add("syntax", paragraph, tag.text, "This tag is empty.",
                     "Type a name between the braces, e.g. {{ theme.name }}, or delete it.")
            return
        examples = {"for": "A loop is written {%p for theme in themes %}: for, a name for "
                           "each item, in, then a list from the guide.",
                    "if": "A condition is written {%p if priority.statistics %}.",
                    "elif": "It is written {%p elif theme.priorities %}."}
        fix = examples.get(tag.keyword, "A field is written {{ theme.name }}; compare the tag "
                           f"with the examples in {GUIDE}.")
        self.add("syntax", paragraph, tag.text,
                 f"This tag is not written the way plangen reads it (Jinja says: {message}).",
                 fix)

    # -- blocks ------------------------------------------------------------------------------

    def _block(self, paragraph: Paragraph, tag: Tag, tree: nodes.Template | None) -> None:
        """Keep blocks balanced (tree is None when the tag did not parse: it still opens or
        closes its block) and bind the names a block gives."""
        keyword = tag.keyword
        if keyword in DOCXTPL:
            for output in tree.find_all(nodes.Output) if tree is not None else ():
                for node in output.nodes:
                    self._type(paragraph, tag, node)
            return
        if keyword == "set" and "=" in tag.body:
            assign = next(tree.find_all(nodes.Assign), None) if tree is not None else None
            if assign is not None:
                value = self._type(paragraph, tag, assign.node)
                self._bind(self._assign_frame(), assign.target, value)
            elif match := re.match(r"\s*set\s+(\w+)", tag.body):
                self._assign_frame()[match.group(1)] = Any
            return
        if keyword in BLOCKS:
            frame = _Open(tag, paragraph, keyword)
            statement = tree.body[0] if tree is not None and tree.body else None
            if statement is None and (targets := _FOR_TARGETS.match(tag.body)):
                for name in re.split(r"[\s,]+", targets.group(1).strip()):
                    frame.bindings[name] = Any
                frame.bindings["loop"] = _LoopInfo
            if isinstance(statement, nodes.For):
                items = self._type(paragraph, tag, statement.iter)
                element = self._element(paragraph, tag, statement.iter, items)
                self._bind(frame.bindings, statement.target, element)
                frame.bindings["loop"] = _LoopInfo
                if statement.test is not None:
                    self.stack.append(frame)
                    self._type(paragraph, tag, statement.test)
                    self.stack.pop()
            elif isinstance(statement, nodes.If):
                self._type(paragraph, tag, statement.test)
            elif isinstance(statement, nodes.With):
                for target, value in zip(statement.targets, statement.values, strict=False):
                    self._bind(frame.bindings, target, self._type(paragraph, tag, value))
            elif isinstance(statement, nodes.Macro):
                self._assign_frame()[statement.name] = Any
                for argument in statement.args:
                    frame.bindings[argument.name] = Any
            elif isinstance(statement, nodes.CallBlock):
                self._type(paragraph, tag, statement.call)
                frame.bindings["caller"] = Any
            elif isinstance(statement, nodes.FilterBlock) and statement.filter is not None:
                self._type(paragraph, tag, statement.filter)
            self.stack.append(frame)
            return
        if keyword in MIDDLES:
            allowed = MIDDLES[keyword]
            if not self.stack:
                self.add("unopened-block", paragraph, tag.text,
                         f"This {tag.text} has no {{% if … %}} before it.",
                         "Delete it, or add the {% if … %} it belongs to before it.")
                return
            top = self.stack[-1]
            if top.keyword not in allowed:
                self._mismatched(paragraph, tag, top)
                return
            self._pair(top, paragraph, tag)
            if keyword == "elif" and tree is not None:
                elif_test = next(tree.find_all(nodes.If), None)
                if elif_test is not None and elif_test.elif_:
                    self._type(paragraph, tag, elif_test.elif_[0].test)
            return
        if keyword in ENDS:
            wanted = ENDS[keyword]
            if not self.stack:
                self.add("unopened-block", paragraph, tag.text,
                         f"This {tag.text} closes a {_word(wanted)} that was never opened.",
                         f"Delete it, or add the {{% {wanted} … %}} it belongs to before it.")
                return
            if self.stack[-1].keyword == wanted:
                self._pair(self.stack.pop(), paragraph, tag)
                return
            if any(entry.keyword == wanted for entry in self.stack):
                while self.stack[-1].keyword != wanted:
                    self._unclosed(self.stack.pop(), closer=tag)
                self._pair(self.stack.pop(), paragraph, tag)
                return
            self._mismatched(paragraph, tag, self.stack[-1])

    def _unclosed(self, entry: _Open, closer: Tag | None = None) -> None:
        end = _end_tag(entry.tag, entry.keyword)
        before = f" before {closer.text}" if closer is not None else ""
        after = {"tr": "after the rows to repeat, in its own row",
                 "p": "after the paragraphs it covers, in a paragraph of its own"}.get(
            entry.tag.prefix, "where it should end")
        self.add("unclosed-block", entry.paragraph, entry.tag.text,
                 f"This {_describe_kind(entry.tag)} is never closed{before}.",
                 f"Add {end} {after}.")

    def _mismatched(self, paragraph: Paragraph, tag: Tag, top: _Open) -> None:
        self.add("mismatched-block", paragraph, tag.text,
                 f"This {tag.text} comes while the {_describe_kind(top.tag)} {top.tag.text} "
                 f"(at {top.paragraph.where}) is still open, and it does not close that.",
                 f"Close the {_describe_kind(top.tag)} first with {_end_tag(top.tag, top.keyword)}"
                 ", or move this tag: blocks close in the reverse order they open.")

    def _pair(self, opener: _Open, paragraph: Paragraph, closer: Tag) -> None:
        """Both ends (and any else/elif) of a block: same kind of tag, same table or cell."""
        start = opener.paragraph
        kind = _describe_kind(opener.tag)
        if closer.prefix != opener.tag.prefix:
            expected = (_end_tag(opener.tag, opener.keyword) if closer.keyword in ENDS
                        else f"{{%{opener.tag.prefix} {closer.body.strip()} %}}"
                        if opener.tag.prefix else f"{{% {closer.body.strip()} %}}")
            self.add("mismatched-block", paragraph, closer.text,
                     f"The {kind} {opener.tag.text} (at {start.where}) is closed with "
                     f"{closer.text}: both ends need the same kind of tag, or the document is "
                     "damaged.", f"Type {expected}")
            return
        prefix = opener.tag.prefix
        if prefix == "p" and paragraph.container is not start.container:
            self._crosses(opener, paragraph, closer,
                          "both in the body, or both in the same table cell")
        elif prefix == "tr" and start.table is not None and paragraph.table is not start.table:
            self._crosses(opener, paragraph, closer, "in rows of the same table")
        elif prefix == "tc" and paragraph.row is not start.row:
            self._crosses(opener, paragraph, closer, "in the same table row")
        elif prefix in ("", "r") and paragraph.element is not start.element:
            if paragraph.container is not start.container:
                self._crosses(opener, paragraph, closer, "in the same paragraph")
            else:
                self.add("block-spans-paragraphs", paragraph, closer.text,
                         f"The {kind} {opener.tag.text} starts in another paragraph "
                         f"({start.where}); {{% … %}} tags that span paragraphs join or "
                         "split paragraphs unpredictably.",
                         f"Use {{%p {opener.tag.body.strip()} %}} and {{%p {closer.body.strip()} "
                         "%}}, each in a paragraph of its own.", WARNING)

    def _crosses(self, opener: _Open, paragraph: Paragraph, closer: Tag, rule: str) -> None:
        start = opener.paragraph
        self.add("loop-crosses-table", paragraph, closer.text,
                 f"The {_describe_kind(opener.tag)} {opener.tag.text} starts at "
                 f"{_place(start)} but {closer.text} is at {_place(paragraph)}. Both ends must "
                 f"be {rule}, or the document is damaged.",
                 f"Move {closer.text} next to the content it closes, {rule.split(',')[0]}.")

    # -- names -------------------------------------------------------------------------------

    def _assign_frame(self) -> dict[str, Any]:
        """Where {% set %} stores a name: the innermost loop, macro or with, else the part."""
        for entry in reversed(self.stack):
            if entry.keyword in ("for", "macro", "with", "call"):
                return entry.bindings
        return self.globals

    def _bind(self, frame: dict[str, Any], target: nodes.Node, value: Any) -> None:
        if isinstance(target, nodes.Name):
            frame[target.name] = value
        elif isinstance(target, nodes.Tuple):
            for item in target.items:
                self._bind(frame, item, Any)

    def _lookup(self, name: str) -> tuple[bool, Any]:
        for entry in reversed(self.stack):
            if name in entry.bindings:
                return True, entry.bindings[name]
        if name in self.globals:
            return True, self.globals[name]
        if name in self.env.globals:
            return True, Any
        return False, None

    def _in_scope(self) -> list[str]:
        loop_items = [name for entry in reversed(self.stack) for name in entry.bindings
                      if name != "loop"]
        return [*loop_items, *self.globals]

    def _printed(self, paragraph: Paragraph, tag: Tag, node: nodes.Node) -> None:
        if isinstance(node, nodes.TemplateData):
            return
        kind = _strip(self._type(paragraph, tag, node))
        if kind is None or kind is Any:
            return
        shown = _source(node)
        if kind is not str and _element_type(kind) is not None:
            item = _describe(_element_type(kind))
            self.add("prints-a-list", paragraph, tag.text,
                     f"“{shown}” is a list of {_plural(item)}, so this tag would print the "
                     "whole list in computer notation, brackets and all.",
                     f"Loop over it with {{% for … in {shown} %}}, or join it: "
                     f"{{{{ {shown}|join(\", \") }}}}.")
        elif _is_record(kind):
            parts = _attributes(kind) or {}
            fields_ = ", ".join(sorted(parts))
            example = next((name for name, hint in parts.items() if hint is str), "name")
            self.add("prints-a-record", paragraph, tag.text,
                     f"“{shown}” is {_describe(kind)} with several parts ({fields_}), so this "
                     "tag would print them all in computer notation.",
                     f"Print one part, e.g. {{{{ {shown}.{example} }}}}.")

    def _element(self, paragraph: Paragraph, tag: Tag, node: nodes.Node, kind: Any) -> Any:
        """The type of each item a for loop over node gives."""
        if kind is None or kind is Any:
            return Any
        element = _element_type(kind)
        if element is None or _strip(kind) is str:
            self.add("not-a-list", paragraph, tag.text,
                     f"“{_source(node)}” is {_describe(kind)}, not a list, so there is nothing "
                     "to loop over.",
                     f"Loop over one of the lists in {GUIDE}, e.g. {{%p for theme in themes %}}.")
            return Any
        return element

    def _type(self, paragraph: Paragraph, tag: Tag, node: nodes.Node) -> Any:
        """The model type node evaluates to, reporting names the model does not have.
        Any means "not known here"; None means a problem was already reported."""
        if isinstance(node, nodes.Name):
            return self._name(paragraph, tag, node.name)
        if isinstance(node, nodes.Getattr):
            base = self._type(paragraph, tag, node.node)
            return self._attribute(paragraph, tag, node.node, base, node.attr)
        if isinstance(node, nodes.Getitem):
            base = self._type(paragraph, tag, node.node)
            if isinstance(node.arg, nodes.Const) and isinstance(node.arg.value, str):
                return self._attribute(paragraph, tag, node.node, base, node.arg.value)
            self._type(paragraph, tag, node.arg)
            if isinstance(node.arg, nodes.Slice):
                return base
            element = _element_type(base) if base not in (None, Any) else None
            return element if element is not None else Any
        if isinstance(node, nodes.Filter):
            return self._filter(paragraph, tag, node)
        if isinstance(node, nodes.Test):
            self._type(paragraph, tag, node.node)
            if node.name not in self.env.tests:
                suggestion = closest(node.name, self.env.tests, short_names=True)
                self.add("unknown-filter", paragraph, tag.text,
                         f"“is {node.name}” is not a test plangen knows.",
                         f"Did you mean “is {suggestion}”?" if suggestion else
                         "Use “is defined”, “is none” or “is even”, or compare with ==.")
            self._arguments(paragraph, tag, node)
            return bool
        if isinstance(node, nodes.Const):
            return type(node.value) if node.value is not None else Any
        for child in node.iter_child_nodes():
            self._type(paragraph, tag, child)
        if isinstance(node, (nodes.Compare, nodes.Not, nodes.And, nodes.Or)):
            return bool
        if isinstance(node, nodes.Concat):
            return str
        return Any

    def _arguments(self, paragraph: Paragraph, tag: Tag, node: nodes.Filter | nodes.Test) -> None:
        for argument in (*node.args, *(keyword.value for keyword in node.kwargs)):
            self._type(paragraph, tag, argument)
        for extra in (node.dyn_args, node.dyn_kwargs):
            if extra is not None:
                self._type(paragraph, tag, extra)

    def _name(self, paragraph: Paragraph, tag: Tag, name: str) -> Any:
        found, kind = self._lookup(name)
        if found:
            return kind
        if name in self.loop_names:
            self.add("unknown-loop-variable", paragraph, tag.text,
                     f"“{name}” only exists inside the loop {self.loop_names[name]}, and this "
                     "tag is outside it.",
                     "Move the tag between the loop's start and its endfor, or use a name from "
                     f"{GUIDE}.")
            return None
        scope = self._in_scope()
        loop_items = {n for entry in self.stack for n in entry.bindings if n != "loop"}
        suggestion = (closest(name, loop_items, short_names=True)
                      or closest(name, scope, short_names=True))
        if suggestion and suggestion in loop_items:
            self.add("unknown-loop-variable", paragraph, tag.text,
                     f"“{name}” is not a name here: the loop around this tag calls each item "
                     f"“{suggestion}”.",
                     f"Did you mean “{suggestion}”?")
        else:
            self.add("unknown-field", paragraph, tag.text,
                     f"“{name}” is not a name the plan gives the template.",
                     (f"Did you mean “{suggestion}”? " if suggestion else "")
                     + f"The names you can use are listed in {GUIDE}.")
        return None

    def _attribute(self, paragraph: Paragraph, tag: Tag, base_node: nodes.Node, base: Any,
                   attribute: str) -> Any:
        if base is None or base is Any:
            return Any
        path = f"{_source(base_node)}.{attribute}"
        if base is _LoopInfo:
            if attribute in _LOOP_ATTRIBUTES:
                return Any
            suggestion = closest(attribute, _LOOP_ATTRIBUTES, short_names=True)
            self.add("unknown-field", paragraph, tag.text,
                     f"“{path}” does not exist: a loop offers loop.index, loop.first, "
                     "loop.last and loop.length.",
                     f"Did you mean “loop.{suggestion}”?" if suggestion else
                     "Use loop.index, loop.first, loop.last or loop.length.")
            return None
        known = _attributes(base)
        if known is not None:
            if attribute in known:
                return known[attribute]
            suggestion = closest(attribute, known, short_names=True)
            self.add("unknown-field", paragraph, tag.text,
                     f"“{path}” is not part of {_describe(base)}: {_describe(base)} has "
                     f"{_join(sorted(known))}.",
                     (f"Did you mean “{_source(base_node)}.{suggestion}”? "
                      if suggestion else "") + f"The fields are listed in {GUIDE}.")
            return None
        element = _element_type(base)
        stripped = _strip(base)
        if element is not None and stripped is not str and not hasattr(tuple, attribute):
            item = _describe(element)
            loop_name = item.split()[-1]
            self.add("unknown-field", paragraph, tag.text,
                     f"“{_source(base_node)}” is a list of {_plural(item)}, so it has no "
                     f"“{attribute}” of its own.",
                     f"Loop over it: {{% for {loop_name} in {_source(base_node)} %}} … "
                     f"{{{{ {loop_name}.{attribute} }}}} … {{% endfor %}}.")
            return None
        if isinstance(stripped, type) and not hasattr(stripped, attribute):
            self.add("unknown-field", paragraph, tag.text,
                     f"“{path}” does not exist: {_source(base_node)} is {_describe(base)}.",
                     f"Use {{{{ {_source(base_node)} }}}} as it is, or see {GUIDE}.")
            return None
        return Any

    def _filter(self, paragraph: Paragraph, tag: Tag, node: nodes.Filter) -> Any:
        base = self._type(paragraph, tag, node.node) if node.node is not None else Any
        self._arguments(paragraph, tag, node)
        name = node.name
        if name not in self.env.filters:
            suggestion = closest(name, self.env.filters, short_names=True)
            self.add("unknown-filter", paragraph, tag.text,
                     f"“|{name}” is not a filter plangen knows.",
                     (f"Did you mean “|{suggestion}”? " if suggestion else "")
                     + "Common filters: |join(\", \"), |length, |upper, |first, |last.")
            return None
        if base is None:
            return None
        element = _element_type(base) if base is not Any else Any
        attribute = next((keyword.value.value for keyword in node.kwargs
                          if keyword.key == "attribute" and isinstance(keyword.value,
                                                                       nodes.Const)), None)
        if name in ("selectattr", "rejectattr", "groupby") and node.args and isinstance(
                node.args[0], nodes.Const):
            attribute = node.args[0].value
        result_of_attribute: Any = Any
        if isinstance(attribute, str) and element not in (None, Any):
            result_of_attribute = element
            for part in attribute.split("."):
                result_of_attribute = self._attribute(
                    paragraph, tag, nodes.Name(f"{_source(node.node)}[…]", "load"),
                    result_of_attribute, part)
                if result_of_attribute is None:
                    return None
        if name in ("length", "count", "wordcount", "int"):
            return int
        if name in ("join", "string", "upper", "lower", "title", "capitalize", "trim",
                    "replace", "truncate", "wordwrap", "center", "format", "e", "escape",
                    "safe", "striptags", "indent", "urlencode", "forceescape"):
            return str
        if name in ("first", "last", "random", "min", "max"):
            return element if element is not None else Any
        if name in ("sort", "reverse", "unique", "list", "select", "reject", "selectattr",
                    "rejectattr"):
            return base if element is not None else Any
        if name in ("default", "d"):
            return base
        if name == "map" and isinstance(attribute, str):
            return tuple[result_of_attribute, ...] if result_of_attribute is not Any else Any
        return Any


@functools.lru_cache(maxsize=4096)
def _parse(source: str) -> nodes.Template | str:
    """The parsed tag, or Jinja's message when it does not parse. Cached: a template repeats
    the same tags, and a build checks the same template every time."""
    try:
        return environment().parse(source)
    except jinja2.TemplateSyntaxError as error:
        return error.message or str(error)


def _alone_source(tag: Tag) -> str | None:
    """A Jinja template holding just this tag (completed with a dummy end if it opens a block),
    so each tag's syntax is checked on its own and every mistake is found at once."""
    if tag.opener == "{{":
        return tag.jinja
    if tag.opener == "{#":
        return None
    keyword = tag.keyword
    jinja = f"{{%{tag.body}%}}"
    if keyword in ("vm", "hm"):
        return None
    if keyword in ("colspan", "cellbg"):
        return "{{" + tag.body.strip()[len(keyword):] + "}}"
    if keyword == "set" and "=" in tag.body:
        return jinja
    if keyword in BLOCKS:
        return jinja + f"{{% {BLOCKS[keyword]} %}}"
    if keyword in MIDDLES:
        return "{% if true %}" + jinja + "{% endif %}"
    if keyword in ENDS:
        return _END_DUMMY[keyword] + jinja
    return jinja


# --------------------------------------------------------------------------------------------------
# Types from the model


def _strip(kind: Any) -> Any:
    """X | None -> X."""
    if get_origin(kind) in (Union, types.UnionType):
        options = [option for option in get_args(kind) if option is not type(None)]
        return options[0] if len(options) == 1 else Any
    return kind


def _element_type(kind: Any) -> Any:
    """The item type of a list-like type, or None when kind is not a list."""
    kind = _strip(kind)
    if kind is Any:
        return Any
    if get_origin(kind) in (tuple, list, Sequence):
        args = [arg for arg in get_args(kind) if arg is not Ellipsis]
        return args[0] if args else Any
    if kind is str:
        return str
    return None


def _attributes(kind: Any) -> dict[str, Any] | None:
    """Field and property types of a model dataclass, read from its annotations."""
    kind = _strip(kind)
    if not (isinstance(kind, type) and is_dataclass(kind)):
        return None
    hints = get_type_hints(kind)
    names: dict[str, Any] = {item.name: hints[item.name] for item in fields(kind)}
    for klass in kind.__mro__:
        for name, member in vars(klass).items():
            if isinstance(member, property) and not name.startswith("_"):
                names.setdefault(name, get_type_hints(member.fget).get("return", Any))
    return names


def _is_record(kind: Any) -> bool:
    """A dataclass without its own text form (Period and Timescale print nicely)."""
    kind = _strip(kind)
    return (isinstance(kind, type) and is_dataclass(kind)
            and not any("__str__" in vars(klass) for klass in kind.__mro__[:-1]))


def _describe(kind: Any) -> str:
    kind = _strip(kind)
    if kind is Any or kind is None:
        return "a value"
    if kind is str:
        return "a piece of text"
    if kind in (int, float):
        return "a number"
    if kind is bool:
        return "yes or no"
    if kind is date:
        return "a date"
    element = _element_type(kind)
    if element is not None:
        return f"a list of {_plural(_describe(element))}"
    if isinstance(kind, type):
        words = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", kind.__name__).lower()
        return f"{'an' if words[0] in 'aeiou' else 'a'} {words}"
    return "a value"


def _plural(described: str) -> str:
    words = described.split(" ", 1)[-1] if described.startswith(("a ", "an ")) else described
    if words.startswith("list of"):
        return "lists"
    if words == "piece of text":
        return "pieces of text"
    if words.endswith("y") and not words.endswith(("ay", "ey", "oy")):
        return words[:-1] + "ies"
    return words if words.endswith("s") else words + "s"


def _join(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _source(node: nodes.Node | None) -> str:
    """A Jinja expression written back as an officer typed it (names and dots)."""
    if isinstance(node, nodes.Name):
        return node.name
    if isinstance(node, nodes.Getattr):
        return f"{_source(node.node)}.{node.attr}"
    if isinstance(node, nodes.Getitem):
        inner = (repr(node.arg.value) if isinstance(node.arg, nodes.Const) else "…")
        return f"{_source(node.node)}[{inner}]"
    if isinstance(node, nodes.Filter):  # in brackets, so a field can follow: (x|first).name
        return f"({_source(node.node)}|{node.name})"
    return "this"


def _visible(text: str) -> str:
    return text.replace("\n", "↵").replace("\t", "→")


def _word(keyword: str) -> str:
    return {"for": "loop", "if": "condition"}.get(keyword, f"“{keyword}” block")


def _place(paragraph: Paragraph) -> str:
    where = paragraph.where
    if where.table is not None:
        return f"table {where.table}, row {where.row}, cell {where.cell}"
    return f"paragraph {where.paragraph} (outside any table)"


# --------------------------------------------------------------------------------------------------
# Document properties


def _check_property(label: str, value: str, names: Mapping[str, Any], part_index: int,
                    index: int) -> list[Problem]:
    """docxtpl fills in tags in the document's Title, Subject, Author, … too."""
    if "{" not in value:
        return []
    where = TemplateLocation(part="document properties", setting=label,
                             order=(part_index, index))
    paragraph = Paragraph(element=None, where=where, text=value, sources=[], container=None,
                          tags=find_tags(value))
    part = Part(name="docProps/core.xml", label="document properties", index=part_index,
                root=None, paragraphs=[paragraph])
    checker = _PartChecker(part, names)
    for tag in paragraph.tags:
        if tag.closed:
            checker._tag(paragraph, tag)
        else:
            checker._delimiters(paragraph)
    for still_open in checker.stack:
        checker._unclosed(still_open)
    return checker.problems


# --------------------------------------------------------------------------------------------------
# Trial render with a made-up plan


def _example(kind: Any, items: int) -> Any:
    kind = _strip(kind)
    if kind is str:
        return "Example & <text>"
    if kind is bool:
        return True
    if kind is int:
        return items
    if kind is date:
        return date(2018, 4, 1)
    element = _element_type(kind)
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
