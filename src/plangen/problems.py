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


class MissingInputs(PlangenError):
    """A required input file or folder does not exist."""
