"""Checking the inputs: every problem at once, each at its cell, and clean tables for the merge.

The coordinator's workbook first (plangen.inputs.coordinator: its settings and the lists the
returns are checked against), then each return (plangen.inputs.returns), then last year's
actions in them (plangen.inputs.carry), then what only shows across them
(plangen.inputs.across), and last year's actions no return mentions. A return row with an
error is rejected, and counted as such; a filled row the reader did not read is counted as not
read; nothing is dropped silently.
At most MAX_PROBLEMS_PER_FILE problems are listed for a file, errors first; one more counts the
rest.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from plangen.errors import MissingInputs
from plangen.inputs.across import check_across
from plangen.inputs.carry import ClosedRow, check_against_last_year, check_carried
from plangen.inputs.columns import Vocabulary
from plangen.inputs.coordinator import check_coordinator
from plangen.inputs.memory import collector_paused
from plangen.inputs.order import check_partner_order
from plangen.inputs.previous import Previous
from plangen.inputs.read import Inputs, Progress, load_inputs
from plangen.inputs.returns import RejectedRow, ReturnCount, check_returns
from plangen.inputs.schema import MAX_PROBLEMS_PER_FILE
from plangen.model import CellRef, Period
from plangen.problems import Collector, Problem, Severity


@dataclass(frozen=True)
class Checked:
    """The inputs after validation: clean values only, each row with its provenance."""

    settings: Mapping[str, Any]
    period: Period | None
    sources: pd.DataFrame
    priorities: pd.DataFrame
    statistics: pd.DataFrame
    aims: pd.DataFrame
    commitments: pd.DataFrame
    themes: pd.DataFrame
    glossary: pd.DataFrame
    partners: pd.DataFrame
    actions: pd.DataFrame
    current_work: pd.DataFrame
    counts: tuple[ReturnCount, ...]
    vocabulary: Vocabulary
    problems: tuple[Problem, ...]
    letters: Mapping[tuple[str, str], Mapping[str, str]]  # (file, sheet) -> key -> column
    rejected: tuple[RejectedRow, ...] = ()
    #: Return file -> its filled rows that were not read (each reported by the reader).
    not_read: Mapping[str, int] = field(default_factory=dict)
    #: Last year's plan, when the inputs hold it; the rows that close last year's actions
    #: (completed or dropped); and every one of last year's references a row gives.
    previous: Previous | None = None
    closed: tuple[ClosedRow, ...] = ()
    mentioned: frozenset[str] = frozenset()

    def ref(self, file: str, sheet: str, key: str, row: int) -> CellRef:
        """The cell a return value came from."""
        return CellRef(file, sheet, f"{self.letters.get((file, sheet), {}).get(key, '')}{row}")

    @property
    def errors(self) -> list[Problem]:
        return [problem for problem in self.problems if problem.is_error]


def validate(inputs_dir: Path, progress: Progress | None = None) -> Checked:
    """Read and check every input in a folder; the result carries every problem found."""
    if not inputs_dir.is_dir():
        raise MissingInputs(f"{inputs_dir}: the inputs folder does not exist")
    return check(load_inputs(inputs_dir, progress))


def check(inputs: Inputs) -> Checked:
    """Validate everything that was read and return the clean tables."""
    with collector_paused():
        found = Collector(inputs.all_problems)
        plan = check_coordinator(inputs.coordinator, found)
        check_partner_order(inputs.coordinator, plan.themes, plan.vocabulary, found)
        returns = check_returns(inputs.returns, plan.vocabulary, found)
        carried = check_carried(inputs.previous, inputs.returns, returns, plan.period, found)
        returns = check_across(inputs.coordinator, plan, carried.returns, found)
        check_against_last_year(inputs.previous, inputs.coordinator, plan, carried, found)
        return Checked(plan.settings, plan.period, plan.sources, plan.priorities,
                       plan.statistics, plan.aims, plan.commitments, plan.themes, plan.glossary,
                       plan.partners, returns.actions, returns.current_work, returns.counts,
                       plan.vocabulary, listed(found.problems), returns.letters,
                       returns.rejected, {book.file: book.not_read for book in inputs.returns},
                       inputs.previous, carried.closed, carried.mentioned)


def listed(problems: Sequence[Problem]) -> tuple[Problem, ...]:
    """The problems, at most MAX_PROBLEMS_PER_FILE of each file's (its errors first, in the
    order found), and for a file with more, one problem that counts those not listed."""
    per_file = Counter(problem.where.file for problem in problems)
    if not per_file or max(per_file.values()) <= MAX_PROBLEMS_PER_FILE:
        return tuple(problems)
    crowded = {file for file, count in per_file.items() if count > MAX_PROBLEMS_PER_FILE}
    kept: set[int] = set()
    room = dict.fromkeys(crowded, MAX_PROBLEMS_PER_FILE)
    for errors_first in (True, False):
        for index, problem in enumerate(problems):
            file = problem.where.file
            if file in crowded and problem.is_error == errors_first and room[file]:
                kept.add(index)
                room[file] -= 1
    left: dict[str, list[Problem]] = {}
    shown: list[Problem] = []
    for index, problem in enumerate(problems):
        if problem.where.file not in crowded or index in kept:
            shown.append(problem)
        else:
            left.setdefault(problem.where.file, []).append(problem)
    for file, rest in left.items():
        errors = sum(problem.is_error for problem in rest)
        counts = [f"{errors:,} error{'s' if errors != 1 else ''}" if errors else "",
                  f"{len(rest) - errors:,} warning{'s' if len(rest) - errors != 1 else ''}"
                  if len(rest) > errors else ""]
        shown.append(Problem(
            CellRef(file), f"{' and '.join(filter(None, counts))} more in this file are not "
            f"listed: only the first {MAX_PROBLEMS_PER_FILE} problems of a file are",
            "Fix those listed (often one fix mends many rows) and check the file again.",
            Severity.ERROR if errors else Severity.WARNING, "more-problems"))
    return tuple(shown)
