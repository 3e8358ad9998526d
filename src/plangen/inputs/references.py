"""Action references: each theme's code, and the reference of each action (for example SR-03).

The rule, documented in docs/open-data.md:
- a theme's code is the Code the coordinator gave it on the Themes sheet (letters and digits,
  starting with a letter, at most MAX_CODE characters, upper-cased); else it is made from the
  theme's name: the initials of its words, leaving out "and", "of", "the" and the like (at most
  four), or the first two letters of a one-word name, in unaccented capitals;
- a code made from a name that is already taken (given to another theme, or made earlier on
  the sheet) gets the first number from 2 that makes it unique: SR, SR2, SR3;
- an action's reference is its theme's code, a hyphen and its place in the theme's table, in
  plan order, from 01 (two digits at least): SR-01, SR-02, …

So the same inputs always give the same references, an action added to one theme changes no
other theme's references (nor those before it in its own), and within one plan no reference is
given twice. With last year's plan in the inputs (plangen.inputs.previous), an action carried
over keeps last year's reference, and a new action gets the next number after every number
its code has had (plangen.inputs.carry): a reference is never given to another action.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence

import pandas as pd

from plangen.model import CellRef
from plangen.problems import Collector

#: The longest code a coordinator may give a theme.
MAX_CODE = 6
#: What a given code may be: letters and digits, a letter first (no hyphen: it ends the code).
CODE_PATTERN = re.compile(rf"[A-Z][A-Z0-9]{{0,{MAX_CODE - 1}}}")
#: Words left out of the initials: "Safer Roads and Transport" is SRT.
_SMALL_WORDS = frozenset({"a", "an", "and", "at", "by", "for", "in", "of", "on", "or", "the",
                          "to", "with"})
_WORD = re.compile(r"[A-Za-z0-9]+")


def derived_code(name: str) -> str:
    """The code made from a theme's name, before it is made unique: "Safer Roads" is SR,
    "Violence" VI, "Anti-social behaviour" ASB; a name with no letters or digits gives T."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    words: list[str] = _WORD.findall(plain)
    significant = [word for word in words if word.casefold() not in _SMALL_WORDS] or words
    if not significant:
        return "T"
    if len(significant) == 1:
        return significant[0][:2].upper()
    return "".join(word[0] for word in significant[:4]).upper()


def theme_codes(names: Sequence[str], given: Sequence[str]) -> list[str]:
    """Each theme's code, in sheet order: the code given (already checked), else one made from
    its name and made unique against every code given and every code made before it."""
    taken = {code for code in given if code}
    codes: list[str] = []
    for name, code in zip(names, given, strict=True):
        if not code:
            base = code = derived_code(name)
            number = 2
            while code in taken:
                code, number = f"{base}{number}", number + 1
            taken.add(code)
        codes.append(code)
    return codes


def check_codes(themes: pd.DataFrame, ref: Callable[[str, int], CellRef],
                found: Collector) -> pd.DataFrame:
    """The Themes rows with a "code" column of every theme's code: a Code given that is not
    a letter then letters and digits, or is given twice, is an error at its cell (and is not
    used); the others are as given, upper-cased, or made from the theme's name. `ref` is the
    Themes table's cell of a column and row."""
    names = themes["theme"].tolist() if "theme" in themes else []
    typed = (themes["code"].fillna("").tolist() if "code" in themes else [""] * len(names))
    rows = themes["row"].tolist() if "row" in themes else [0] * len(names)
    given: list[str] = []
    first: dict[str, int] = {}
    for name, value, row in zip(names, typed, rows, strict=True):
        code = str(value).strip().upper()
        if code and not CODE_PATTERN.fullmatch(code):
            found.error(ref("code", int(row)),
                        f'the code "{value}" of "{name}" is not a theme code',
                        f"Give a letter followed by up to {MAX_CODE - 1} letters or digits "
                        "(e.g. SR or ASB), or leave it empty for one made from the name.",
                        "bad-theme-code")
            code = ""
        elif code in first:
            found.error(ref("code", int(row)),
                        f'the code "{code}" is also given to the theme on row {first[code]}',
                        "Give each theme its own code, or leave it empty for one made from "
                        "the name.", "duplicate-theme-code")
            code = ""
        elif code:
            first[code] = int(row)
        given.append(code)
    return themes.assign(code=theme_codes(names, given)) if names else themes.assign(code=[])


#: A reference as a partner may type it: a code, a hyphen (or a space, dot, underscore, dash
#: or nothing) and a number; "cs-3", "CS 03" and "CS03" are all CS-03.
_TYPED_REFERENCE = re.compile(
    rf"([A-Z][A-Z0-9]{{0,{MAX_CODE - 1}}}?)\s*[-\u2010-\u2015._ ]?\s*0*([0-9]{{1,5}})")
_SEPARATED = re.compile(
    rf"([A-Z][A-Z0-9]{{0,{MAX_CODE - 1}}})\s*[-\u2010-\u2015._ ]\s*0*([0-9]{{1,5}})")


def parse_reference(value: object) -> str:
    """A Reference cell as the reference it means (CS-03), or ValueError saying why not."""
    text = " ".join(str(value).split()).upper()
    match = _SEPARATED.fullmatch(text) or _TYPED_REFERENCE.fullmatch(text)
    if match is None or not int(match.group(2)):
        raise ValueError(f'"{str(value).strip()}" is not an action reference')
    return reference(match.group(1), int(match.group(2)))


def reference_parts(text: str) -> tuple[str, int] | None:
    """A reference's code and number (("CS", 3) for CS-03); None for anything else."""
    code, _, number = text.rpartition("-")
    if not code or not number.isdigit():
        return None
    return code, int(number)


def reference(code: str, number: int) -> str:
    """The reference of the theme's `number`th action (from 1): SR-01."""
    return f"{code}-{number:02d}"

