"""Reading the stylesheet of a web page as far as the accessibility check needs: rules with
their selectors, declarations and @media, and colours and font sizes whose values are sure."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from plangen.accessibility.colours import RGB, parse_hex


@dataclass(frozen=True)
class Rule:
    """One CSS rule: its selectors and declarations, and the @media it sits in."""

    selectors: tuple[str, ...]
    declarations: Mapping[str, str]
    media: str
    line: int


def split(text: str, separator: str) -> list[str]:
    """Split on separator outside brackets and quotes (so data: URLs survive)."""
    parts, depth, quote, start = [], 0, "", 0
    for index, char in enumerate(text):
        if quote:
            if char == quote:
                quote = ""
        elif char in "\"'":
            quote = char
        elif char in "([":
            depth += 1
        elif char in ")]":
            depth = max(0, depth - 1)
        elif char == separator and depth == 0:
            parts.append(text[start:index])
            start = index + 1
    parts.append(text[start:])
    return parts


def declarations_of(text: str) -> dict[str, str]:
    """The declarations of a style="…" attribute, by lower-case property name."""
    declarations: dict[str, str] = {}
    for declaration in split(text, ";"):
        key, colon, value = declaration.partition(":")
        if colon:
            declarations[key.strip().lower()] = value.strip()
    return declarations


def parse_css(text: str, first_line: int = 1) -> list[Rule]:
    """The rules of a stylesheet, with @media blocks flattened (media noted)."""
    text = re.sub(r"/\*.*?\*/", lambda m: re.sub(r"[^\n]", " ", m.group()), text, flags=re.S)
    rules: list[Rule] = []

    def block_end(start: int) -> int:
        depth = 0
        for index in range(start, len(text)):
            if text[index] == "{":
                depth += 1
            elif text[index] == "}":
                depth -= 1
                if depth == 0:
                    return index
        return len(text)

    def walk(start: int, stop: int, media: str) -> None:
        position = start
        while position < stop:
            brace = text.find("{", position, stop)
            semicolon = text.find(";", position, stop)
            if brace == -1:
                return
            if semicolon != -1 and semicolon < brace and \
                    text[position:semicolon].strip().startswith("@"):
                position = semicolon + 1  # @import, @charset
                continue
            prelude = text[position:brace].strip()
            end = block_end(brace)
            line = first_line + text.count("\n", 0, brace)
            if prelude.startswith("@media") or prelude.startswith("@supports"):
                walk(brace + 1, end, prelude)
            elif not prelude.startswith("@"):
                declarations: dict[str, str] = {}
                for declaration in split(text[brace + 1:end], ";"):
                    name, colon, value = declaration.partition(":")
                    if colon and name.strip():
                        value = re.sub(r"\s*!important\s*$", "", value.strip(), flags=re.I)
                        declarations[name.strip().lower()] = value.strip()
                selectors = tuple(" ".join(s.split()) for s in split(prelude, ",") if s.strip())
                rules.append(Rule(selectors, declarations, media, line))
            position = end + 1

    walk(0, len(text), "")
    return rules


NAMED_COLOURS = {
    "black": "000000", "white": "FFFFFF", "red": "FF0000", "green": "008000",
    "blue": "0000FF", "yellow": "FFFF00", "grey": "808080", "gray": "808080",
    "silver": "C0C0C0", "maroon": "800000", "navy": "000080", "teal": "008080",
    "purple": "800080", "orange": "FFA500", "olive": "808000", "lime": "00FF00",
    "aqua": "00FFFF", "cyan": "00FFFF", "fuchsia": "FF00FF", "magenta": "FF00FF",
    "lightgrey": "D3D3D3", "lightgray": "D3D3D3", "darkgrey": "A9A9A9", "darkgray": "A9A9A9",
    "dimgray": "696969", "dimgrey": "696969", "pink": "FFC0CB", "gold": "FFD700",
    "whitesmoke": "F5F5F5", "gainsboro": "DCDCDC", "darkred": "8B0000",
    "darkblue": "00008B", "darkgreen": "006400", "lightyellow": "FFFFE0",
}


def css_colour(value: str) -> RGB | None:
    """A CSS colour we can be sure of (#hex, rgb(), a common name); otherwise None."""
    value = value.strip().lower()
    if value.startswith("#"):
        return parse_hex(value)
    match = re.fullmatch(r"rgba?\(\s*(\d+)[\s,]+(\d+)[\s,]+(\d+)\s*(?:[,/]\s*([\d.]+%?))?\s*\)",
                         value)
    if match:
        alpha = match.group(4)
        if alpha and ((alpha.endswith("%") and float(alpha[:-1]) < 100)
                      or (not alpha.endswith("%") and float(alpha) < 1)):
            return None
        r, g, b = (min(255, int(match.group(n))) for n in (1, 2, 3))
        return r, g, b
    if value in NAMED_COLOURS:
        return parse_hex(NAMED_COLOURS[value])
    return None


def background_value(declarations: Mapping[str, str]) -> str | None:
    """The background colour a rule sets, from background-color or the background
    shorthand."""
    if "background-color" in declarations:
        return declarations["background-color"]
    background = declarations.get("background")
    if background:
        for word in background.split():
            if css_colour(word):
                return word
    return None


def css_points(value: str) -> float | None:
    """A font-size in points, taking 1rem = 1em = 100% = 16 px = 12 pt; None if unknown."""
    value = value.strip().lower()
    keywords = {"xx-small": 7.0, "x-small": 7.5, "small": 9.75, "medium": 12.0,
                "large": 13.5, "x-large": 18.0, "xx-large": 24.0}
    if value in keywords:
        return keywords[value]
    match = re.fullmatch(r"([\d.]+)(px|pt|rem|em|%)", value)
    if not match:
        return None
    number, unit = float(match.group(1)), match.group(2)
    return {"px": number * 0.75, "pt": number, "rem": number * 12, "em": number * 12,
            "%": number * 0.12}[unit]
