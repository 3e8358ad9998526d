"""The build: read and validate everything, merge into the plan, then write the outputs.

All data is gathered and checked before anything is written, and each output is written
atomically, so a failed build leaves the previous outputs as they were. A draft build goes on
despite errors: it leaves out the rows that have them and says so, on every page and at the end.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from plangen.checks import short
from plangen.files import write_atomically
from plangen.merge import Ledger, RowFate, place
from plangen.model import Plan
from plangen.problems import InputProblems, MissingInputs, Problem, sort_problems
from plangen.read import Progress, load_inputs
from plangen.render import render_docx
from plangen.report import REPORT_NAME, report_workbook
from plangen.validate import Checked, check


@dataclass(frozen=True)
class BuildResult:
    plan: Plan
    problems: tuple[Problem, ...]  # warnings, and with draft=True the errors left out
    ledger: tuple[Ledger, ...]
    outputs: tuple[Path, ...]  # the plan, then the returns report
    fates: tuple[RowFate, ...] = ()
    left_out: tuple[str, ...] = ()  # a draft's list of what it does not contain

    @property
    def report(self) -> Path:
        return self.outputs[-1]


def validate(inputs_dir: Path, progress: Progress | None = None) -> Checked:
    """Read and check every input; the result carries every problem found."""
    if not inputs_dir.is_dir():
        raise MissingInputs(f"{inputs_dir}: the inputs folder does not exist")
    return check(load_inputs(inputs_dir, progress))


def build(inputs_dir: Path, template: Path, output: Path, *, draft: bool = False,
          report: Path | None = None, progress: Progress | None = None) -> BuildResult:
    """Build the plan and the returns report. With errors in the inputs, write nothing,
    unless draft: then build from the rows without errors and list the rest in the plan."""
    checked = validate(inputs_dir, progress)
    if checked.errors and not draft:
        raise InputProblems(checked.problems)
    placement = place(checked)
    left = left_out(checked, placement.fates) if draft else ()
    report = report if report is not None else output.parent / REPORT_NAME
    workbook = report_workbook(placement.ledger, checked.problems, placement.fates)  # no I/O yet
    render_docx(placement.plan, template, output, draft=draft, left_out=left)
    write_atomically(report, lambda temporary: workbook.save(temporary))
    return BuildResult(placement.plan, checked.problems, placement.ledger, (output, report),
                       placement.fates, left)


def left_out(checked: Checked, fates: tuple[RowFate, ...]) -> tuple[str, ...]:
    """One line per return row left out, with why; then every other error, with its cell."""
    lines: list[str] = []
    explained: set[tuple[str, str, str]] = set()
    for fate in fates:
        if fate.fate != "rejected":
            continue
        text = f" (“{short(fate.text)}”)" if fate.text else ""
        lines.append(f"{fate.where}{text}: {'; '.join(fate.reasons)}")
        explained.update((fate.file, fate.sheet, reason) for reason in fate.reasons)
    for problem in sort_problems(checked.errors):
        where = problem.where
        if (where.file, where.sheet, problem.message) not in explained:
            lines.append(f"{where}: {problem.message}")
    return tuple(lines)
