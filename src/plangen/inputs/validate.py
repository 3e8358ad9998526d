"""Checking the inputs: every problem at once, each at its cell, and clean tables for the merge.

The coordinator's workbook first (plangen.inputs.coordinator: its settings and the lists the
returns are checked against), then each return (plangen.inputs.returns), then what only shows
across them (plangen.inputs.across). A return row with an error is rejected, and counted as
such; nothing is dropped silently.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from plangen.errors import MissingInputs
from plangen.inputs.across import check_across
from plangen.inputs.columns import Vocabulary
from plangen.inputs.coordinator import check_coordinator
from plangen.inputs.memory import collector_paused
from plangen.inputs.read import Inputs, Progress, load_inputs
from plangen.inputs.returns import RejectedRow, ReturnCount, check_returns
from plangen.model import CellRef, Period
from plangen.problems import Collector, Problem


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
        returns = check_returns(inputs.returns, plan.vocabulary, found)
        returns = check_across(inputs.coordinator, plan, returns, found)
        return Checked(plan.settings, plan.period, plan.sources, plan.priorities,
                       plan.statistics, plan.aims, plan.commitments, plan.themes, plan.glossary,
                       plan.partners, returns.actions, returns.current_work, returns.counts,
                       plan.vocabulary, tuple(found), returns.letters, returns.rejected)
