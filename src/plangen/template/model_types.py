"""The plan model's types as a template sees them: which are lists, which are records with
fields, and how each is called in an officer's words.

Read from the dataclasses' annotations in model.py, so check-template and the template guide
know a field as soon as it is added to the model.
"""

from __future__ import annotations

import re
import types
from collections.abc import Sequence
from dataclasses import fields, is_dataclass
from datetime import date
from typing import Any, Union, get_args, get_origin, get_type_hints


def strip_optional(kind: Any) -> Any:
    """X | None -> X."""
    if get_origin(kind) in (Union, types.UnionType):
        options = [option for option in get_args(kind) if option is not type(None)]
        return options[0] if len(options) == 1 else Any
    return kind


def element_type(kind: Any) -> Any:
    """The item type of a list-like type, or None when kind is not a list."""
    kind = strip_optional(kind)
    if kind is Any:
        return Any
    if get_origin(kind) in (tuple, list, Sequence):
        args = [arg for arg in get_args(kind) if arg is not Ellipsis]
        return args[0] if args else Any
    if kind is str:
        return str
    return None


def fields_of(kind: Any) -> dict[str, Any] | None:
    """Field and property types of a model dataclass, read from its annotations; None when
    kind is not one."""
    kind = strip_optional(kind)
    if not (isinstance(kind, type) and is_dataclass(kind)):
        return None
    hints = get_type_hints(kind)
    names: dict[str, Any] = {item.name: hints[item.name] for item in fields(kind)}
    for klass in kind.__mro__:
        for name, member in vars(klass).items():
            if isinstance(member, property) and not name.startswith("_"):
                names.setdefault(name, get_type_hints(member.fget).get("return", Any))
    return names


def is_record(kind: Any) -> bool:
    """A dataclass without its own text form (Period and Timescale print nicely)."""
    kind = strip_optional(kind)
    return (isinstance(kind, type) and is_dataclass(kind)
            and not any("__str__" in vars(klass) for klass in kind.__mro__[:-1]))


def describe(kind: Any) -> str:
    """The type in words: "a piece of text", "a list of actions", "a theme"."""
    kind = strip_optional(kind)
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
    element = element_type(kind)
    if element is not None:
        return f"a list of {plural(describe(element))}"
    if isinstance(kind, type):
        words = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", kind.__name__).lower()
        return f"{'an' if words[0] in 'aeiou' else 'a'} {words}"
    return "a value"


def plural(described: str) -> str:
    """The plural of what describe() says: "a theme" -> "themes"."""
    words = described.split(" ", 1)[-1] if described.startswith(("a ", "an ")) else described
    if words.startswith("list of"):
        return "lists"
    if words == "piece of text":
        return "pieces of text"
    if words.endswith("y") and not words.endswith(("ay", "ey", "oy")):
        return words[:-1] + "ies"
    return words if words.endswith("s") else words + "s"
