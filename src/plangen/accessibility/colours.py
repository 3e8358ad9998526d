"""Colours and fonts as both accessibility checks judge them: hex colours, WCAG contrast, and
whether a font is sans-serif."""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping

RGB = tuple[int, int, int]


@functools.lru_cache(maxsize=1024)  # a document has a few colours, on thousands of runs
def parse_hex(value: str) -> RGB | None:
    """'1B1B1B', '#1b1b1b' or '#fff' -> (r, g, b); anything else -> None."""
    text = value.strip().lstrip("#")
    if re.fullmatch(r"[0-9a-fA-F]{3}", text):
        text = "".join(letter * 2 for letter in text)
    if not re.fullmatch(r"[0-9a-fA-F]{6}", text):
        return None
    return int(text[0:2], 16), int(text[2:4], 16), int(text[4:6], 16)


def luminance(rgb: RGB) -> float:
    """WCAG 2 relative luminance."""

    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(value) for value in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


@functools.lru_cache(maxsize=1024)
def contrast(first: RGB, second: RGB) -> float:
    """WCAG 2 contrast ratio, 1 to 21."""
    lighter, darker = sorted((luminance(first), luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def hex_of(rgb: RGB) -> str:
    return "#{:02X}{:02X}{:02X}".format(*rgb)


SANS = {
    "arial", "helvetica", "helvetica neue", "liberation sans", "arimo", "calibri", "carlito",
    "verdana", "tahoma", "segoe ui", "trebuchet ms", "gill sans", "gill sans mt",
    "century gothic", "franklin gothic", "franklin gothic book", "lucida sans",
    "lucida sans unicode", "lucida grande", "open sans", "roboto", "lato", "source sans pro",
    "source sans 3", "noto sans", "dejavu sans", "bitstream vera sans", "ubuntu", "aptos",
    "frutiger", "myriad pro", "gds transport", "inter", "fira sans", "pt sans", "montserrat",
    "aileron", "sans-serif", "system-ui", "-apple-system", "blinkmacsystemfont", "candara",
    "corbel", "microsoft sans serif", "ms sans serif", "nunito", "poppins", "raleway",
}
NOT_SANS = {
    "times new roman", "times", "liberation serif", "tinos", "georgia", "cambria", "caladea",
    "garamond", "book antiqua", "palatino", "palatino linotype", "baskerville",
    "century schoolbook", "bookman old style", "constantia", "dejavu serif", "noto serif",
    "merriweather", "courier new", "courier", "liberation mono", "consolas", "dejavu sans mono",
    "lucida console", "comic sans ms", "serif", "monospace", "cursive", "fantasy",
    "ms mincho", "mincho",
}


def font_kind(name: str, families: Mapping[str, str] | None = None) -> str:
    """'sans', 'other' (serif, monospace, script) or 'unknown'. families: a Word document's
    font table (name -> w:family), for fonts not in the lists above."""
    key = name.strip().strip("'\"").casefold()
    if key in SANS:
        return "sans"
    if key in NOT_SANS or (key.endswith(" serif") and not key.endswith("sans serif")):
        return "other"
    family = (families or {}).get(key, "")
    if family == "swiss":
        return "sans"
    if family in ("roman", "modern", "script", "decorative"):
        return "other"
    if "sans" in key.split():
        return "sans"
    return "unknown"
