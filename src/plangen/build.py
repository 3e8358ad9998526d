"""The build: read and validate everything, merge into the plan, then write the outputs.

All data is gathered and checked before anything is written, and each output is written
atomically, so a failed build leaves the previous outputs as they were.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from plangen.merge import Ledger, merge
from plangen.model import Plan
from plangen.problems import (
    InputProblems,
    MissingInputs,
    Problem,
    TemplateProblem,
    TemplateProblems,
)
from plangen.read import load_inputs
from plangen.render import render_docx
from plangen.templatecheck import check_template
from plangen.validate import Checked, check


@dataclass(frozen=True)
class BuildResult:
    plan: Plan
    problems: tuple[Problem, ...]  # warnings, and with draft=True the errors left out
    ledger: tuple[Ledger, ...]
    outputs: tuple[Path, ...]
    template_problems: tuple[TemplateProblem, ...] = ()  # warnings about the template


def validate(inputs_dir: Path) -> Checked:
    """Read and check every input; the result carries every problem found."""
    if not inputs_dir.is_dir():
        raise MissingInputs(f"{inputs_dir}: the inputs folder does not exist")
    return check(load_inputs(inputs_dir))


def build(inputs_dir: Path, template: Path, output: Path, *, draft: bool = False) -> BuildResult:
    """Build the plan document. With errors in the template, write nothing; with errors in
    the inputs, write nothing unless draft."""
    template_problems = check_template(template, trial_render=False)
    if any(problem.is_error for problem in template_problems):
        raise TemplateProblems(template_problems, template)
    checked = validate(inputs_dir)
    if checked.errors and not draft:
        raise InputProblems(checked.problems)
    plan, ledger = merge(checked)
    render_docx(plan, template, output, draft=draft)
    return BuildResult(plan, checked.problems, ledger, (output,), tuple(template_problems))
