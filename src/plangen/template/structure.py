"""Checking how a template's tags are written and fit together, part by part, as docxtpl
will read them: each tag closed and spelt, blocks opened and closed in order and in the same
table, row or cell, structural tags ({%p %}, {%tr %}, {%tc %}) alone where docxtpl replaces
the whole paragraph, row or cell by them.

docxtpl renders each part (the body, a header, …) as its own Jinja template, so each is checked
on its own. What a tag names is checked against the model by expressions.py, told here which
blocks are open around each tag.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

import jinja2
from jinja2 import nodes

from plangen.problems import Problem, Severity, TemplateLocation
from plangen.template.context import environment
from plangen.template.expressions import ExpressionChecker, Frame, loop_names
from plangen.template.tags import (
    GUIDE,
    OBJECT_CHAR,
    Paragraph,
    Part,
    Tag,
    TagProblems,
    find_tags,
    outside_tags,
)
from plangen.text import closest, shorten

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
_OPENER_OF = {"}}": "{{", "%}": "{%", "#}": "{#"}


def check_part(part: Part, names: Mapping[str, Any]) -> list[Problem]:
    """Every problem with the tags of part, given the names the context gives (and their
    types)."""
    problems = TagProblems()
    checker = _PartChecker(part, problems, ExpressionChecker(names, loop_names(part), problems))
    checker.check()
    return problems.problems


def check_property(label: str, value: str, names: Mapping[str, Any], part_index: int,
                   index: int) -> list[Problem]:
    """Every problem with the tags of a document property: docxtpl fills in tags in the
    document's Title, Subject, Author, … too."""
    if "{" not in value:
        return []
    where = TemplateLocation(part="document properties", setting=label,
                             order=(part_index, index))
    paragraph = Paragraph(element=None, where=where, text=value, sources=[], container=None,
                          tags=find_tags(value))
    part = Part(name="docProps/core.xml", label="document properties", index=part_index,
                root=None, paragraphs=[paragraph])
    problems = TagProblems()
    _PartChecker(part, problems, ExpressionChecker(names, {}, problems)).check_value(paragraph)
    return problems.problems


@dataclass
class _Open:
    """A block opened and not yet closed."""

    tag: Tag
    paragraph: Paragraph
    frame: Frame  # the names it binds

    @property
    def keyword(self) -> str:
        return self.tag.keyword


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
    """Checks the tags of one part, in document order."""

    def __init__(self, part: Part, problems: TagProblems,
                 expressions: ExpressionChecker) -> None:
        self.part = part
        self.add = problems.add
        self.expressions = expressions
        self.lost: set[int] = set()  # id() of tags docxtpl drops (beside a structural tag)
        self.stack: list[_Open] = []

    def check(self) -> None:
        self._structural()
        for paragraph in self.part.paragraphs:
            self._delimiters(paragraph)
            for tag in paragraph.tags:
                if tag.closed and id(tag) not in self.lost:
                    self._tag(paragraph, tag)
        for still_open in self.stack:
            self._unclosed(still_open)

    def check_value(self, paragraph: Paragraph) -> None:
        """A value outside the document's paragraphs (a property): its tags and delimiters,
        no structural tags."""
        for tag in paragraph.tags:
            if tag.closed:
                self._tag(paragraph, tag)
            else:
                self._delimiters(paragraph)
        for still_open in self.stack:
            self._unclosed(still_open)

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
        if tag.opener == "{%" and tag.keyword not in KEYWORDS:
            known = self._unknown_keyword(paragraph, tag)
            if known is None:
                return
            tag, guessed = known, True
        source = _alone_source(tag)
        tree = _parse(source) if source is not None else None
        if isinstance(tree, str):
            if not guessed:
                self._syntax(paragraph, tag, tree)
            tree = None
        if tag.opener == "{%":
            self._statement(paragraph, tag, tree)
        elif tree is not None:
            self.expressions.printed(paragraph, tag, tree)

    def _unknown_keyword(self, paragraph: Paragraph, tag: Tag) -> Tag | None:
        """A {% … %} tag that is not for, if, … : reported, and read as the tag it was most
        likely meant to be, if any."""
        if tag.keyword in ("include", "extends", "import", "from", "block", "endblock", "raw",
                           "endraw", "do", "break", "continue"):
            self.add("unknown-tag", paragraph, tag.text,
                     f"“{tag.keyword}” cannot be used in a Word template.",
                     f"Use the tags shown in {GUIDE}.")
            return None
        suggestion = closest(tag.keyword, ("for", "if", "elif", "else", "endfor", "endif",
                                           "set"), short_names=True)
        shown = tag.keyword or tag.body.strip()
        self.add("unknown-tag", paragraph, tag.text,
                 f"“{shown}” is not a tag plangen knows.",
                 (f"Did you mean “{suggestion}”? " if suggestion else "")
                 + "A {% … %} tag starts with for, if, elif, else, endfor or endif.")
        if suggestion is None or not tag.keyword:
            return None
        return replace(tag, keyword=suggestion, body=tag.body.replace(tag.keyword, suggestion, 1))

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

    def _statement(self, paragraph: Paragraph, tag: Tag, tree: nodes.Template | None) -> None:
        """A {% … %} tag: keep blocks balanced, and have the names in it checked. tree is None
        when the tag did not parse: it still opens or closes its block."""
        keyword = tag.keyword
        if keyword in DOCXTPL:
            self.expressions.values(paragraph, tag, tree)
        elif keyword == "set" and "=" in tag.body:
            self.expressions.assign(paragraph, tag, tree)
        elif keyword in BLOCKS:
            self._push(_Open(tag, paragraph, self.expressions.opening(paragraph, tag, tree)))
        elif keyword in MIDDLES:
            self._middle(paragraph, tag, tree)
        elif keyword in ENDS:
            self._end(paragraph, tag)

    def _push(self, entry: _Open) -> None:
        self.stack.append(entry)
        self.expressions.enter(entry.frame)

    def _pop(self) -> _Open:
        self.expressions.leave()
        return self.stack.pop()

    def _middle(self, paragraph: Paragraph, tag: Tag, tree: nodes.Template | None) -> None:
        """else or elif: inside the block it belongs to."""
        if not self.stack:
            self.add("unopened-block", paragraph, tag.text,
                     f"This {tag.text} has no {{% if … %}} before it.",
                     "Delete it, or add the {% if … %} it belongs to before it.")
            return
        top = self.stack[-1]
        if top.keyword not in MIDDLES[tag.keyword]:
            self._mismatched(paragraph, tag, top)
            return
        self._pair(top, paragraph, tag)
        if tag.keyword == "elif":
            self.expressions.condition(paragraph, tag, tree)

    def _end(self, paragraph: Paragraph, tag: Tag) -> None:
        """endfor, endif, …: closes the innermost block of its kind, and reports any block
        still open inside that one."""
        wanted = ENDS[tag.keyword]
        if not self.stack:
            self.add("unopened-block", paragraph, tag.text,
                     f"This {tag.text} closes a {_word(wanted)} that was never opened.",
                     f"Delete it, or add the {{% {wanted} … %}} it belongs to before it.")
            return
        if self.stack[-1].keyword == wanted:
            self._pair(self._pop(), paragraph, tag)
            return
        if any(entry.keyword == wanted for entry in self.stack):
            while self.stack[-1].keyword != wanted:
                self._unclosed(self._pop(), closer=tag)
            self._pair(self._pop(), paragraph, tag)
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


def _visible(text: str) -> str:
    return text.replace("\n", "↵").replace("\t", "→")


def _word(keyword: str) -> str:
    return {"for": "loop", "if": "condition"}.get(keyword, f"“{keyword}” block")


def _place(paragraph: Paragraph) -> str:
    where = paragraph.where
    if where.table is not None:
        return f"table {where.table}, row {where.row}, cell {where.cell}"
    return f"paragraph {where.paragraph} (outside any table)"
