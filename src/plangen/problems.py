"""Problems found in the inputs or the template, and the errors that carry them.

A problem names where it is (file · sheet · cell), says what is wrong in plain words and how to
fix it. The library collects every problem before giving up, so a partner sees all of them at once.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum

from plangen.model import CellRef


class Severity(Enum):
    ERROR = "error"
    WARNING = "warning"


_CELL = re.compile(r"^([A-Z]*)(\d*)$")


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
class Problem:
    where: CellRef
    message: str
    fix: str = ""
    severity: Severity = Severity.ERROR
    code: str = ""  # a stable id, e.g. "missing-column"

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    @property
    def sort_key(self) -> tuple[str, str, int, int, int, str]:
        """By file, sheet, row and column, so a partner reads their problems top to bottom."""
        match = _CELL.match(self.where.cell)
        letters, digits = match.groups() if match else ("", "")
        return (self.where.file.casefold(), self.where.sheet.casefold(), int(digits or 0),
                column_number(letters), 0 if self.is_error else 1, self.message)

    def __str__(self) -> str:
        parts = [str(self.where), self.message]
        if self.fix:
            parts.append(self.fix)
        return " — ".join(parts)


def sort_problems(problems: Iterable[Problem]) -> list[Problem]:
    """By file, then sheet, row and column; duplicates removed."""
    return sorted(set(problems), key=lambda problem: problem.sort_key)


class PlangenError(Exception):
    """Any failure the user can act on; the CLI prints it without a traceback."""


class InputProblems(PlangenError):
    """The inputs have errors, so no plan was written."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = sort_problems(problems)
        errors = sum(problem.is_error for problem in self.problems)
        super().__init__(f"{errors} error{'s' if errors != 1 else ''} in the inputs; "
                         "no plan was written.")


class SettingsUnusable(InputProblems):
    """The plan's own settings have errors, so not even a draft can be built."""

    def __str__(self) -> str:
        return ("the Settings sheet of plan.xlsx has errors (listed above), so no plan, not "
                "even a draft, can be built")


class MissingInputs(PlangenError):
    """A required input file or folder does not exist."""


@dataclass(frozen=True)
class TemplateLocation:
    """Where a tag sits in the Word template, in words an officer can follow in Word: the part
    (body, header, footer), the heading above it, and the paragraph or table, row and cell.

    Numbers count from 1 in document order: paragraph counts the paragraphs of the part outside
    tables, or the paragraphs of the cell when the tag is in a table.
    """

    part: str = "body"
    heading: str = ""
    paragraph: int | None = None
    table: int | None = None
    row: int | None = None
    cell: int | None = None
    setting: str = ""  # a document property (Title, Subject, …) rather than a paragraph
    order: tuple[int, ...] = (0, 0)  # part, paragraph, offset in it: for sorting only

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
        return " · ".join(parts)


@dataclass(frozen=True)
class TemplateProblem:
    """Something wrong in the Word template: where, the tag as typed, what is wrong, how to fix
    it. code is a stable id (e.g. "unknown-field") that tools and the guide refer to."""

    code: str
    where: TemplateLocation
    tag: str
    message: str
    fix: str = ""
    severity: Severity = Severity.ERROR

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    @property
    def sort_key(self) -> tuple[tuple[int, ...], int, str, str]:
        return (self.where.order, 0 if self.is_error else 1, self.code, self.tag)

    def __str__(self) -> str:
        return " — ".join(part for part in (str(self.where), self.tag, self.message, self.fix)
                          if part)

    def as_dict(self) -> dict[str, object]:
        """For --format json: flat and stable."""
        where = self.where
        return {"id": self.code, "severity": self.severity.value, "part": where.part,
                "setting": where.setting or None, "heading": where.heading or None,
                "paragraph": where.paragraph, "table": where.table, "row": where.row,
                "cell": where.cell, "tag": self.tag, "message": self.message, "fix": self.fix}


def sort_template_problems(problems: Iterable[TemplateProblem]) -> list[TemplateProblem]:
    """In document order, errors before warnings at the same place; duplicates removed."""
    return sorted(set(problems), key=lambda problem: problem.sort_key)


class TemplateError(PlangenError):
    """The Word template cannot be used; the message says why."""


class TemplateProblems(TemplateError):
    """The template has errors, so nothing was written."""

    def __init__(self, problems: Iterable[TemplateProblem], template: object = "") -> None:
        self.problems = sort_template_problems(problems)
        errors = sum(problem.is_error for problem in self.problems)
        name = f" {template}" if str(template) else ""
        super().__init__(f"{errors} error{'s' if errors != 1 else ''} in the template{name}; "
                         "nothing was written.")
