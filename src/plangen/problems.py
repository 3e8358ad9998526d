"""One shape for every problem plangen finds: in the inputs, in a Word template, in a built
document.

A Problem has a stable code (e.g. "bad-theme", "unknown-field", "no-title"), a severity, a
location, what is wrong in plain words and how to fix it. The location is one of three kinds,
each saying where in words its reader can follow:

- CellRef: a cell of a workbook (police.xlsx · Actions · C7), for the partners' returns and the
  coordinator's workbook;
- TemplateLocation: a place in a Word template (body · table 2, row 1, cell 3 · under "Action
  plan"), with the tag as typed there;
- DocumentLocation: a place in a built .docx or .html (plan.docx · body · paragraph 12).

Problems sort one way (by file, then place, errors before warnings), print one way (`line`:
"error [bad-theme]: " then where, what and how to fix) and have one JSON form (`as_dict`). The
library collects every problem before giving up (a Collector), so a partner or officer sees
all of them at once.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from enum import Enum
from typing import Any

from plangen.model import CellRef


class Severity(Enum):
    ERROR = "error"
    WARNING = "warning"


_CELL = re.compile(r"^([A-Z]*)(\d*)$")

# Characters that would act on a terminal or split a line rather than show: C0 and C1
# controls (a newline, ESC, …), Unicode's line and paragraph separators, and the direction
# overrides that reorder what follows. In a problem's text each is shown as its escape.
_UNSHOWN = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def visible(text: str) -> str:
    """text with every character that would act instead of show (see _UNSHOWN) written as
    its escape: "police\\nerror: …" stays on one line, ESC shows as \\x1b."""
    if text.isprintable():
        return text
    return _UNSHOWN.sub(lambda match: match.group().encode("unicode_escape").decode("ascii"),
                        text)


def column_number(letters: str) -> int:
    """'A' -> 1, 'AB' -> 28."""
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - 64
    return number


def column_letter(number: int) -> str:
    """1 -> 'A', 28 -> 'AB'."""
    letters = ""
    while number > 0:
        number, remainder = divmod(number - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


@dataclass(frozen=True)
class TemplateLocation:
    """Where a tag sits in the Word template, in words an officer can follow in Word: the part
    (body, header, footer), the heading above it, the paragraph or table, row and cell, and the
    tag as typed there.

    Numbers count from 1 in document order: paragraph counts the paragraphs of the part outside
    tables, or the paragraphs of the cell when the tag is in a table. file is the template's
    path, for the JSON form; the text form leaves it out, as the command already names it.
    """

    part: str = "body"
    heading: str = ""
    paragraph: int | None = None
    table: int | None = None
    row: int | None = None
    cell: int | None = None
    setting: str = ""  # a document property (Title, Subject, …) rather than a paragraph
    order: tuple[int, ...] = (0, 0)  # part, paragraph, offset in it: for sorting only
    tag: str = ""  # the tag as typed, e.g. "{{ theme.nam }}"
    file: str = ""

    def __str__(self) -> str:
        parts = [self.part]
        if self.setting:
            parts.append(self.setting)
        if self.table is not None:
            parts.append(f"table {self.table}, row {self.row}, cell {self.cell}, "
                         f"paragraph {self.paragraph}")
        elif self.paragraph is not None:
            parts.append(f"paragraph {self.paragraph}")
        if self.heading:
            parts.append(f"under “{self.heading}”")
        place = " · ".join(parts)
        return f"{place} — {self.tag}" if self.tag else place


@dataclass(frozen=True)
class DocumentLocation:
    """A place in a built document (.docx or .html), as the accessibility check names it:
    the file, then the place in it ("body · paragraph 12", "<head>", "styles"). order keeps
    document order for sorting."""

    file: str
    place: str = ""
    order: int = 0

    def __str__(self) -> str:
        return f"{self.file} · {self.place}" if self.place else self.file


Location = CellRef | TemplateLocation | DocumentLocation


def _location_key(where: Location) -> tuple[Any, ...]:
    if isinstance(where, CellRef):
        match = _CELL.match(where.cell)
        letters, digits = match.groups() if match else ("", "")
        return (0, where.file.casefold(), where.sheet.casefold(), int(digits or 0),
                column_number(letters))
    if isinstance(where, TemplateLocation):
        return (1, where.file.casefold(), where.order, where.tag)
    return (2, where.file.casefold(), where.order)


def location_fields(where: Location) -> dict[str, Any]:
    """The location's own fields, for the JSON form; "kind" says which kind it is."""
    if isinstance(where, CellRef):
        return {"kind": "cell", "file": where.file, "sheet": where.sheet or None,
                "cell": where.cell or None}
    if isinstance(where, TemplateLocation):
        return {"kind": "template", "file": where.file or None, "part": where.part,
                "setting": where.setting or None, "heading": where.heading or None,
                "paragraph": where.paragraph, "table": where.table, "row": where.row,
                "cell": where.cell, "tag": where.tag or None}
    return {"kind": "document", "file": where.file, "place": where.place or None}


@dataclass(frozen=True)
class Problem:
    """Something wrong, where it is, and how to fix it."""

    where: Location
    message: str
    fix: str = ""
    severity: Severity = Severity.ERROR
    code: str = ""  # a stable id, e.g. "missing-column"

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    @property
    def sort_key(self) -> tuple[Any, ...]:
        """By file and place (a partner reads their problems top to bottom, an officer in
        document order), errors before warnings at the same place."""
        return (_location_key(self.where), 0 if self.is_error else 1, self.message, self.code)

    def __str__(self) -> str:
        """Where, what and how to fix, on one line whatever a file name or a value holds."""
        return visible(" — ".join(part for part in (str(self.where), self.message, self.fix)
                                  if part))

    @property
    def label(self) -> str:
        """ "error [bad-theme]": the severity and the code, which every printed line starts
        with."""
        return f"{self.severity.value} [{self.code}]"

    def line(self, prefix: str = "") -> str:
        """The problem as one line of text, as every command prints it: "error [bad-theme]:
        police.xlsx · Actions · A7 — what is wrong — how to fix it"."""
        return f"{prefix}{self.label}: {self}"

    def as_dict(self) -> dict[str, Any]:
        """The JSON form, the same for every kind of problem."""
        return {"code": self.code, "severity": self.severity.value, "file": self.where.file,
                "where": str(self.where), "location": location_fields(self.where),
                "message": self.message, "fix": self.fix}

    def at(self, **changes: Any) -> Problem:
        """The same problem with its location changed (e.g. at(file="t.docx"))."""
        return replace(self, where=replace(self.where, **changes))


def cell_of(problem: Problem) -> CellRef:
    """The workbook cell of a problem found in the inputs, as every input problem is placed;
    a problem of another kind is placed at its file."""
    where = problem.where
    return where if isinstance(where, CellRef) else CellRef(where.file)


def template_problem(code: str, where: TemplateLocation, tag: str, message: str, fix: str = "",
                     severity: Severity = Severity.ERROR) -> Problem:
    """A problem with a template's tag: where it is, the tag as typed, what and how to fix."""
    return Problem(replace(where, tag=tag), message, fix, severity, code)


def sort_problems(problems: Iterable[Problem]) -> list[Problem]:
    """In reading order (see Problem.sort_key); duplicates removed."""
    return sorted(set(problems), key=lambda problem: problem.sort_key)


def count_problems(problems: Iterable[Problem]) -> str:
    """ "2 errors, 1 warning"."""
    errors = warnings = 0
    for problem in problems:
        if problem.is_error:
            errors += 1
        else:
            warnings += 1
    return (f"{errors} error{'s' if errors != 1 else ''}, "
            f"{warnings} warning{'s' if warnings != 1 else ''}")


class Collector:
    """The problems found while checking something, gathered so that all are reported at once.

    Checks add to it instead of returning early; the caller reads them all at the end.
    """

    def __init__(self, problems: Iterable[Problem] = ()) -> None:
        self._problems: list[Problem] = list(problems)

    def add(self, problem: Problem) -> None:
        self._problems.append(problem)

    def extend(self, problems: Iterable[Problem]) -> None:
        self._problems.extend(problems)

    def error(self, where: Location, message: str, fix: str = "", code: str = "") -> None:
        self.add(Problem(where, message, fix, Severity.ERROR, code))

    def warning(self, where: Location, message: str, fix: str = "", code: str = "") -> None:
        self.add(Problem(where, message, fix, Severity.WARNING, code))

    @property
    def problems(self) -> list[Problem]:
        return list(self._problems)

    @property
    def has_errors(self) -> bool:
        return any(problem.is_error for problem in self._problems)

    def __iter__(self) -> Iterator[Problem]:
        return iter(self._problems)

    def __len__(self) -> int:
        return len(self._problems)
