"""Checking what a tag names against the plan model: every name, field and filter in a tag's
expression, each typed from the model, so a misspelt field or a field of another kind of item
gets a sentence naming what there is instead.

The names come from context.context_types and, through the dataclasses in model.py, every
field below them (model_types.py). The structure checker (structure.py) reads the tags and keeps
the blocks balanced; it tells this checker which blocks are open, so the names a loop gives are
known inside it only.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from jinja2 import nodes

from plangen.template.context import environment
from plangen.template.model_types import (
    describe,
    element_type,
    fields_of,
    is_record,
    plural,
    strip_optional,
)
from plangen.template.tags import GUIDE, Paragraph, Part, Tag, TagProblems
from plangen.text import closest

_LOOP_ATTRIBUTES = {"index", "index0", "revindex", "revindex0", "first", "last", "length",
                    "depth", "depth0", "previtem", "nextitem", "cycle", "changed"}
_FOR_TARGETS = re.compile(r"\s*for\s+([\w\s,]+?)\s+in\b")


class _LoopInfo:
    """Jinja's `loop` inside a for loop (loop.first, loop.index, …)."""


@dataclass
class Frame:
    """A block open around the tags being checked, and the names it binds (a loop's item,
    `loop`)."""

    keyword: str
    bindings: dict[str, Any] = field(default_factory=dict)


def loop_names(part: Part) -> dict[str, str]:
    """Each loop item name in part, with the first for tag that binds it: a name used outside
    its loop is then reported as that, not as unknown."""
    names: dict[str, str] = {}
    for paragraph in part.paragraphs:
        for tag in paragraph.tags:
            if tag.keyword == "for" and (match := _FOR_TARGETS.match(tag.body)):
                for name in re.split(r"[\s,]+", match.group(1).strip()):
                    names.setdefault(name, tag.text)
    return names


class ExpressionChecker:
    """Types the expressions of one part's tags, in document order, reporting to problems.

    names: the context's names and their types; loops: see loop_names. Types are model types;
    Any means "not known here", None that a problem was already reported.
    """

    def __init__(self, names: Mapping[str, Any], loops: Mapping[str, str],
                 problems: TagProblems) -> None:
        self.env = environment()
        self.problems = problems
        self.globals: dict[str, Any] = dict(names)
        self.loop_names = loops
        self.frames: list[Frame] = []

    # -- what the structure checker calls ----------------------------------------------------

    def enter(self, frame: Frame) -> None:
        """A block opened (see opening): its names are known until it is left."""
        self.frames.append(frame)

    def leave(self) -> None:
        self.frames.pop()

    def printed(self, paragraph: Paragraph, tag: Tag, tree: nodes.Template) -> None:
        """A {{ … }} tag: what it prints must exist, and be something that prints as text."""
        for output in tree.find_all(nodes.Output):
            for node in output.nodes:
                self._printed(paragraph, tag, node)

    def values(self, paragraph: Paragraph, tag: Tag, tree: nodes.Template | None) -> None:
        """A docxtpl tag with a value ({% colspan … %}, {% cellbg … %}): the value must exist."""
        for output in tree.find_all(nodes.Output) if tree is not None else ():
            for node in output.nodes:
                self._type(paragraph, tag, node)

    def assign(self, paragraph: Paragraph, tag: Tag, tree: nodes.Template | None) -> None:
        """{% set name = … %}: the value must exist, and the name is known from here on."""
        found = next(tree.find_all(nodes.Assign), None) if tree is not None else None
        if found is not None:
            value = self._type(paragraph, tag, found.node)
            self._bind(self._assign_frame(), found.target, value)
        elif match := re.match(r"\s*set\s+(\w+)", tag.body):
            self._assign_frame()[match.group(1)] = Any

    def opening(self, paragraph: Paragraph, tag: Tag, tree: nodes.Template | None) -> Frame:
        """The block tag opens (not yet entered), with the names it binds; what the tag
        names must exist (a loop's list must be a list). tree is None when the tag did not
        parse: a loop then still binds its item names, as values of any type."""
        frame = Frame(tag.keyword)
        statement = tree.body[0] if tree is not None and tree.body else None
        if statement is None and (targets := _FOR_TARGETS.match(tag.body)):
            for name in re.split(r"[\s,]+", targets.group(1).strip()):
                frame.bindings[name] = Any
            frame.bindings["loop"] = _LoopInfo
        if isinstance(statement, nodes.For):
            self._loop(paragraph, tag, statement, frame)
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
        return frame

    def condition(self, paragraph: Paragraph, tag: Tag, tree: nodes.Template | None) -> None:
        """{% elif … %}: what the condition names must exist."""
        found = next(tree.find_all(nodes.If), None) if tree is not None else None
        if found is not None and found.elif_:
            self._type(paragraph, tag, found.elif_[0].test)

    # -- names -------------------------------------------------------------------------------

    def _loop(self, paragraph: Paragraph, tag: Tag, statement: nodes.For, frame: Frame) -> None:
        items = self._type(paragraph, tag, statement.iter)
        element = self._element(paragraph, tag, statement.iter, items)
        self._bind(frame.bindings, statement.target, element)
        frame.bindings["loop"] = _LoopInfo
        if statement.test is not None:  # {% for x in xs if x.new %}: the test sees x
            self.frames.append(frame)
            self._type(paragraph, tag, statement.test)
            self.frames.pop()

    def _assign_frame(self) -> dict[str, Any]:
        """Where {% set %} stores a name: the innermost loop, macro or with, else the part."""
        for frame in reversed(self.frames):
            if frame.keyword in ("for", "macro", "with", "call"):
                return frame.bindings
        return self.globals

    def _bind(self, frame: dict[str, Any], target: nodes.Node, value: Any) -> None:
        if isinstance(target, nodes.Name):
            frame[target.name] = value
        elif isinstance(target, nodes.Tuple):
            for item in target.items:
                self._bind(frame, item, Any)

    def _lookup(self, name: str) -> tuple[bool, Any]:
        for frame in reversed(self.frames):
            if name in frame.bindings:
                return True, frame.bindings[name]
        if name in self.globals:
            return True, self.globals[name]
        if name in self.env.globals:
            return True, Any
        return False, None

    def _in_scope(self) -> list[str]:
        loop_items = [name for frame in reversed(self.frames) for name in frame.bindings
                      if name != "loop"]
        return [*loop_items, *self.globals]

    def _printed(self, paragraph: Paragraph, tag: Tag, node: nodes.Node) -> None:
        if isinstance(node, nodes.TemplateData):
            return
        kind = strip_optional(self._type(paragraph, tag, node))
        if kind is None or kind is Any:
            return
        shown = _source(node)
        if kind is not str and element_type(kind) is not None:
            item = describe(element_type(kind))
            self.problems.add(
                "prints-a-list", paragraph, tag.text,
                f"“{shown}” is a list of {plural(item)}, so this tag would print the whole "
                "list in computer notation, brackets and all.",
                f"Loop over it with {{% for … in {shown} %}}, or join it: "
                f"{{{{ {shown}|join(\", \") }}}}.")
        elif is_record(kind):
            parts = fields_of(kind) or {}
            fields_ = ", ".join(sorted(parts))
            example = next((name for name, hint in parts.items() if hint is str), "name")
            self.problems.add(
                "prints-a-record", paragraph, tag.text,
                f"“{shown}” is {describe(kind)} with several parts ({fields_}), so this tag "
                "would print them all in computer notation.",
                f"Print one part, e.g. {{{{ {shown}.{example} }}}}.")

    def _element(self, paragraph: Paragraph, tag: Tag, node: nodes.Node, kind: Any) -> Any:
        """The type of each item a for loop over node gives."""
        if kind is None or kind is Any:
            return Any
        element = element_type(kind)
        if element is None or strip_optional(kind) is str:
            self.problems.add(
                "not-a-list", paragraph, tag.text,
                f"“{_source(node)}” is {describe(kind)}, not a list, so there is nothing to "
                "loop over.",
                f"Loop over one of the lists in {GUIDE}, e.g. {{%p for theme in themes %}}.")
            return Any
        return element

    # -- types -------------------------------------------------------------------------------

    def _type(self, paragraph: Paragraph, tag: Tag, node: nodes.Node) -> Any:
        """The model type node evaluates to, reporting names the model does not have.
        Any means "not known here"; None means a problem was already reported."""
        if isinstance(node, nodes.Name):
            return self._name(paragraph, tag, node.name)
        if isinstance(node, nodes.Getattr):
            base = self._type(paragraph, tag, node.node)
            return self._attribute(paragraph, tag, node.node, base, node.attr)
        if isinstance(node, nodes.Getitem):
            return self._item(paragraph, tag, node)
        if isinstance(node, nodes.Filter):
            return self._filter(paragraph, tag, node)
        if isinstance(node, nodes.Test):
            self._test(paragraph, tag, node)
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

    def _item(self, paragraph: Paragraph, tag: Tag, node: nodes.Getitem) -> Any:
        """x["name"] is x.name; x[0] an item of the list x; x[1:] the list x."""
        base = self._type(paragraph, tag, node.node)
        if isinstance(node.arg, nodes.Const) and isinstance(node.arg.value, str):
            return self._attribute(paragraph, tag, node.node, base, node.arg.value)
        self._type(paragraph, tag, node.arg)
        if isinstance(node.arg, nodes.Slice):
            return base
        element = element_type(base) if base not in (None, Any) else None
        return element if element is not None else Any

    def _test(self, paragraph: Paragraph, tag: Tag, node: nodes.Test) -> None:
        self._type(paragraph, tag, node.node)
        if node.name not in self.env.tests:
            suggestion = closest(node.name, self.env.tests, short_names=True)
            self.problems.add(
                "unknown-filter", paragraph, tag.text,
                f"“is {node.name}” is not a test plangen knows.",
                f"Did you mean “is {suggestion}”?" if suggestion else
                "Use “is defined”, “is none” or “is even”, or compare with ==.")
        self._arguments(paragraph, tag, node)

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
            self.problems.add(
                "unknown-loop-variable", paragraph, tag.text,
                f"“{name}” only exists inside the loop {self.loop_names[name]}, and this tag is "
                "outside it.",
                f"Move the tag between the loop's start and its endfor, or use a name from "
                f"{GUIDE}.")
            return None
        scope = self._in_scope()
        loop_items = {n for frame in self.frames for n in frame.bindings if n != "loop"}
        suggestion = (closest(name, loop_items, short_names=True)
                      or closest(name, scope, short_names=True))
        if suggestion and suggestion in loop_items:
            self.problems.add(
                "unknown-loop-variable", paragraph, tag.text,
                f"“{name}” is not a name here: the loop around this tag calls each item "
                f"“{suggestion}”.",
                f"Did you mean “{suggestion}”?")
        else:
            self.problems.add(
                "unknown-field", paragraph, tag.text,
                f"“{name}” is not a name the plan gives the template.",
                (f"Did you mean “{suggestion}”? " if suggestion else "")
                + f"The names you can use are listed in {GUIDE}.")
        return None

    def _attribute(self, paragraph: Paragraph, tag: Tag, base_node: nodes.Node, base: Any,
                   attribute: str) -> Any:
        if base is None or base is Any:
            return Any
        if base is _LoopInfo:
            return self._loop_attribute(paragraph, tag, base_node, attribute)
        path = f"{_source(base_node)}.{attribute}"
        known = fields_of(base)
        if known is not None:
            if attribute in known:
                return known[attribute]
            suggestion = closest(attribute, known, short_names=True)
            self.problems.add(
                "unknown-field", paragraph, tag.text,
                f"“{path}” is not part of {describe(base)}: {describe(base)} has "
                f"{_join(sorted(known))}.",
                (f"Did you mean “{_source(base_node)}.{suggestion}”? " if suggestion else "")
                + f"The fields are listed in {GUIDE}.")
            return None
        element = element_type(base)
        stripped = strip_optional(base)
        if element is not None and stripped is not str and not hasattr(tuple, attribute):
            item = describe(element)
            loop_name = item.split()[-1]
            self.problems.add(
                "unknown-field", paragraph, tag.text,
                f"“{_source(base_node)}” is a list of {plural(item)}, so it has no "
                f"“{attribute}” of its own.",
                f"Loop over it: {{% for {loop_name} in {_source(base_node)} %}} … "
                f"{{{{ {loop_name}.{attribute} }}}} … {{% endfor %}}.")
            return None
        if isinstance(stripped, type) and not hasattr(stripped, attribute):
            self.problems.add(
                "unknown-field", paragraph, tag.text,
                f"“{path}” does not exist: {_source(base_node)} is {describe(base)}.",
                f"Use {{{{ {_source(base_node)} }}}} as it is, or see {GUIDE}.")
            return None
        return Any

    def _loop_attribute(self, paragraph: Paragraph, tag: Tag, base_node: nodes.Node,
                        attribute: str) -> Any:
        if attribute in _LOOP_ATTRIBUTES:
            return Any
        suggestion = closest(attribute, _LOOP_ATTRIBUTES, short_names=True)
        self.problems.add(
            "unknown-field", paragraph, tag.text,
            f"“{_source(base_node)}.{attribute}” does not exist: a loop offers loop.index, "
            "loop.first, loop.last and loop.length.",
            f"Did you mean “loop.{suggestion}”?" if suggestion else
            "Use loop.index, loop.first, loop.last or loop.length.")
        return None

    def _filter(self, paragraph: Paragraph, tag: Tag, node: nodes.Filter) -> Any:
        base = self._type(paragraph, tag, node.node) if node.node is not None else Any
        self._arguments(paragraph, tag, node)
        name = node.name
        if name not in self.env.filters:
            suggestion = closest(name, self.env.filters, short_names=True)
            self.problems.add(
                "unknown-filter", paragraph, tag.text,
                f"“|{name}” is not a filter plangen knows.",
                (f"Did you mean “|{suggestion}”? " if suggestion else "")
                + "Common filters: |join(\", \"), |length, |upper, |first, |last.")
            return None
        if base is None:
            return None
        element = element_type(base) if base is not Any else Any
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
        return _filtered(name, base, element, attribute, result_of_attribute)


def _filtered(name: str, base: Any, element: Any, attribute: Any, of_attribute: Any) -> Any:
    """The type the filter name gives, applied to base (a list of element, or element None
    when base is not a list); of_attribute is the type of the attribute it reads, if any."""
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
        return tuple[of_attribute, ...] if of_attribute is not Any else Any
    return Any


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
