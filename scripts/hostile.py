"""Hostile inputs for `make bench` (BENCH_SIZES=hostile): returns far larger than any partner
writes, each beside the sample's own returns, to show that validation stays bounded.

Each case is the sample inputs/ folder plus one or two returns from partners on its list (so
near duplicates are looked for against real actions). The returns are written as bare
SpreadsheetML with inline strings, not with openpyxl, which would shorten a cell to Excel's
32,767 characters: the reader's own limit is part of what is measured. The content comes from
a seeded random generator, so a case gives the same files each time.

    python scripts/hostile.py OUT_DIR CASE    # writes OUT_DIR (a copy of inputs/ and the case)
"""

from __future__ import annotations

import random
import shutil
import string
import sys
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

from synthetic import DISTRICTS, OBJECTS, PLACES, PURPOSES, SECOND, VERBS

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_INPUTS = ROOT / "inputs"
THEMES = ("City Safe", "Serious and Organised Crime", "Early Intervention", "Sexual Offences",
          "Domestic Abuse")

Row = tuple[str, str, str, str, str]  # theme, action, timescale, leads, new
Returns = dict[str, tuple[str, list[Row]]]  # file name -> (partner, actions)


@dataclass(frozen=True)
class Case:
    key: str
    name: str
    returns: Callable[[random.Random], Returns]


def _lexicon(rng: random.Random) -> list[str]:
    return ["".join(rng.choices(string.ascii_lowercase, k=rng.randint(3, 9)))
            for _ in range(5000)]


def _varied(rng: random.Random, characters: int) -> str:
    """Text of made-up words, all different sentences, `characters` long."""
    lexicon, words, size = _lexicon(rng), [], 0
    while size < characters:
        words.append(rng.choice(lexicon))
        size += len(words[-1]) + 1
    return " ".join(words)[:characters]


def _sentence(rng: random.Random) -> str:
    """An action as the bench's synthetic returns word them: a shared vocabulary."""
    place = rng.choice(PLACES).format(district=rng.choice(DISTRICTS), partner="the council")
    text = " ".join(word for word in (rng.choice(VERBS), rng.choice(OBJECTS), place,
                                      rng.choice(PURPOSES)) if word) + "."
    return text + (" " + rng.choice(SECOND) if rng.random() < 0.3 else "")


def _one_cell(text: str) -> Returns:
    return {"hostile-opcc.xlsx": ("OPCC", [("City Safe", text, "Ongoing", "OPCC", "")])}


def _twins(rng: random.Random) -> Returns:
    text = _varied(rng, 1_500_000)
    other = text[:700_000] + " changed " + text[700_000:]
    return {"hostile-opcc.xlsx": ("OPCC", [("City Safe", text, "Ongoing", "OPCC", "")]),
            "hostile-genga.xlsx": ("Genga", [("City Safe", other, "Ongoing", "Genga", "")])}


def _rows(rng: random.Random, count: int, partners: Sequence[str],
          action: Callable[[int], str]) -> Returns:
    """count rows shared out between partners, one return each."""
    share = -(-count // len(partners))
    return {f"hostile-{partner.casefold()}.xlsx": (partner, [
        (rng.choice(THEMES), action(index), "Ongoing", partner, "")
        for index in range(number * share, min(count, (number + 1) * share))])
        for number, partner in enumerate(partners)}


def _capitals(rng: random.Random, characters: int) -> str:
    """Different words of capitals, each one an acronym the glossary lacks."""
    seen: dict[str, None] = {}
    size = 0
    while size < characters:
        word = "".join(rng.choices(string.ascii_uppercase, k=rng.randint(3, 6)))
        if word not in seen:
            seen[word] = None
            size += len(word) + 1
    return " ".join(seen)


def _random_words(rng: random.Random) -> Callable[[int], str]:
    lexicon = _lexicon(rng)
    return lambda _index: " ".join(rng.choices(lexicon, k=rng.randint(8, 25))).capitalize() + "."


CASES = (
    Case("cell-1mb", "1 MB of varied text in one cell",
         lambda rng: _one_cell(_varied(rng, 1_000_000))),
    Case("twins", "two partners' near-identical 1.5 MB actions", _twins),
    Case("rows-100k", "100,000 rows of varied words, one partner",
         lambda rng: _rows(rng, 100_000, ["OPCC"], _random_words(rng))),
    Case("wording-100k", "100,000 rows of the synthetic wording, two partners",
         lambda rng: _rows(rng, 100_000, ["OPCC", "Genga"], lambda _index: _sentence(rng))),
    Case("hmp-20k", '20,000 rows that all mention "HMP"',
         lambda rng: _rows(rng, 20_000, ["OPCC"], lambda index: (
             f"Work with HMP on {_sentence(rng).lower()}"))),
    Case("capitals-1mb", "one 1 MB cell of different capitalised words",
         lambda rng: _one_cell(_capitals(rng, 1_000_000))),
    Case("templated-10k", "10,000 rows of templated wording, one partner",
         lambda rng: _rows(rng, 10_000, ["OPCC"], lambda index: (
             f"Deliver the safety talks at partner school number {index}"))),
    Case("templated-8k-2", "8,000 rows of templated wording, two partners",
         lambda rng: _rows(rng, 8_000, ["OPCC", "Genga"], lambda index: (
             f"Deliver the safety talks at partner school number {index}"))),
    Case("cells-32kb", "2,000 cells of 32 KB (the most a cell holds), two partners",
         lambda rng: _rows(rng, 2_000, ["OPCC", "Genga"], lambda _index: _varied(rng, 32_000))),
)


def write_case(folder: Path, case: Case, seed: int = 12) -> Path:
    """folder: a copy of the sample inputs with the case's returns added."""
    shutil.copytree(SAMPLE_INPUTS, folder)
    for file, (partner, actions) in case.returns(random.Random(seed)).items():
        write_return(folder / "returns" / file, partner, actions)
    return folder


def write_return(path: Path, partner: str, actions: Sequence[Row]) -> None:
    write_xlsx(path, {
        "About": [("Setting", "Value"), ("Partner", partner), ("Contact", "A. Person"),
                  ("Email", "a.person@example.org")],
        "Actions": [("Theme", "Key action", "Timescale", "Leads", "New"), *actions],
        "Current work": [("Priority", "Initiative")]})


_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_PACKAGE = "http://schemas.openxmlformats.org/package/2006"
_OFFICE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'


def write_xlsx(path: Path, sheets: dict[str, Sequence[Sequence[str]]]) -> None:
    """The smallest workbook Excel opens: each sheet's cells as inline strings."""
    numbers = range(1, len(sheets) + 1)
    kind = "application/vnd.openxmlformats-officedocument.spreadsheetml"
    types = (f'{_HEAD}<Types xmlns="{_PACKAGE}/content-types">'
             f'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
             'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
             f'<Override PartName="/xl/workbook.xml" ContentType="{kind}.sheet.main+xml"/>'
             + "".join(f'<Override PartName="/xl/worksheets/sheet{n}.xml" '
                       f'ContentType="{kind}.worksheet+xml"/>' for n in numbers) + "</Types>")
    rels = (f'{_HEAD}<Relationships xmlns="{_PACKAGE}/relationships"><Relationship Id="rId1" '
            f'Type="{_OFFICE}/officeDocument" Target="xl/workbook.xml"/></Relationships>')
    book = (f'{_HEAD}<workbook xmlns="{_MAIN}" xmlns:r="{_OFFICE}"><sheets>'
            + "".join(f'<sheet name="{escape(name)}" sheetId="{n}" r:id="rId{n}"/>'
                      for n, name in zip(numbers, sheets, strict=True)) + "</sheets></workbook>")
    book_rels = (f'{_HEAD}<Relationships xmlns="{_PACKAGE}/relationships">'
                 + "".join(f'<Relationship Id="rId{n}" Type="{_OFFICE}/worksheet" '
                           f'Target="worksheets/sheet{n}.xml"/>' for n in numbers)
                 + "</Relationships>")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", types)
        archive.writestr("_rels/.rels", rels)
        archive.writestr("xl/workbook.xml", book)
        archive.writestr("xl/_rels/workbook.xml.rels", book_rels)
        for n, rows in zip(numbers, sheets.values(), strict=True):
            archive.writestr(f"xl/worksheets/sheet{n}.xml", _sheet(rows))


def _sheet(rows: Sequence[Sequence[str]]) -> str:
    parts = [f'{_HEAD}<worksheet xmlns="{_MAIN}"><sheetData>']
    for number, row in enumerate(rows, start=1):
        parts.append(f'<row r="{number}">')
        parts.extend(f'<c r="{_column(index)}{number}" t="inlineStr"><is>'
                     f'<t xml:space="preserve">{escape(value)}</t></is></c>'
                     for index, value in enumerate(row) if value)
        parts.append("</row>")
    parts.append("</sheetData></worksheet>")
    return "".join(parts)


def _column(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


if __name__ == "__main__":
    chosen = {case.key: case for case in CASES}
    if len(sys.argv) != 3 or sys.argv[2] not in chosen:
        sys.exit(__doc__ + "\ncases: " + ", ".join(chosen))
    target = Path(sys.argv[1])
    if target.exists():
        shutil.rmtree(target)
    write_case(target, chosen[sys.argv[2]])
    print(f"Wrote {target}")
