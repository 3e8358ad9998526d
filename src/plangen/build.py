"""The build: read and validate everything, merge into the plan, then write the outputs.

All data is gathered and checked, and every output rendered in memory where it can be, before
anything is written; each output is written atomically, so a failed build leaves the previous
outputs as they were. A draft build goes on despite errors: it leaves out the rows that have
them and says so, on every page and at the end. Beside the .docx the build writes the returns
report, the record of the plan (plan.json and actions.csv; not for a draft, which is not the
published plan), and on request the web page (.html) and a PDF; it checks the accessibility of
what it wrote.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path

from plangen.accessibility.check import check_file
from plangen.errors import InputProblems, OutputNotWritable, PublishError, TemplateProblems
from plangen.files import Writer, write_together
from plangen.inputs.merge import Ledger, RowFate, place
from plangen.inputs.read import RETURNS_DIR, Progress
from plangen.inputs.validate import Checked, validate
from plangen.model import CellRef, Plan
from plangen.outputs.pdf import write_pdf
from plangen.outputs.record import ACTIONS_CSV, PLAN_JSON, write_csv, write_json
from plangen.outputs.report import REPORT_NAME, report_workbook
from plangen.outputs.web import render_page
from plangen.problems import Problem, Severity, cell_of, sort_problems
from plangen.template.check import check_template
from plangen.template.context import context
from plangen.template.render import document_time, render_template
from plangen.text import shorten


@dataclass(frozen=True)
class BuildResult:
    plan: Plan
    problems: tuple[Problem, ...]  # warnings, and with draft=True the errors left out
    ledger: tuple[Ledger, ...]
    outputs: tuple[Path, ...]  # the plan first, then the web page and the PDF if asked for
    report: Path  # the returns report
    fates: tuple[RowFate, ...] = ()
    left_out: tuple[str, ...] = ()  # a draft's list of what it does not contain
    accessibility: tuple[Problem, ...] = ()  # what the accessibility check found in outputs
    template_problems: tuple[Problem, ...] = ()  # warnings about the template
    record: tuple[Path, ...] = ()  # plan.json and actions.csv; none for a draft


def build(inputs_dir: Path, template: Path, output: Path, *, draft: bool = False,
          pdf: bool = False, html: bool = False, html_template: Path | None = None,
          report: Path | None = None, progress: Progress | None = None) -> BuildResult:
    """Build the plan, the returns report, the record (plan.json, actions.csv) unless draft,
    and with pdf/html the PDF and web page beside the plan (same name, .pdf/.html). With
    errors in the template, write nothing; with errors in the inputs, write nothing unless
    draft: then build from the rows without errors and list the rest in the plan.

    The web page template defaults to the .html beside the Word template.
    """
    report = report if report is not None else output.parent / REPORT_NAME
    page_path = output.with_suffix(".html")
    record: tuple[Path, ...] = (() if draft else
                                (output.parent / PLAN_JSON, output.parent / ACTIONS_CSV))
    check_outputs(template, output, report, page_path if html else None, record)
    template_problems = check_template(template, trial_render=False)
    if any(problem.is_error for problem in template_problems):
        raise TemplateProblems(template_problems, template)
    checked = with_actions_required(validate(inputs_dir, progress))
    if checked.errors and not draft:
        raise InputProblems(checked.problems)
    placement = place(checked)
    left = left_out(checked, placement.fates) if draft else ()
    # Everything is rendered in memory first; then all files are written together.
    document = render_template(template, context(placement.plan, draft=draft, left_out=left),
                               when=document_time(inputs_dir, template))
    writes: list[tuple[Path, Writer]] = [(output, document.save)]
    outputs = [output]
    if html:
        page = render_page(placement.plan, html_template or template.with_suffix(".html"),
                           draft=draft, left_out=left)
        def write_page(path: Path, page: str = page) -> None:
            path.write_text(page, encoding="utf-8")

        writes.append((page_path, write_page))
        outputs.append(page_path)
    workbook = report_workbook(placement.ledger, checked.problems, placement.fates)
    writes.append((report, workbook.save))
    plan = placement.plan
    if record:
        writes += [(record[0], partial(write_json, plan)), (record[1], partial(write_csv, plan))]
    write_together(writes)
    findings = tuple(finding for path in outputs for finding in check_file(path))
    if pdf:
        pdf_output = output.with_suffix(".pdf")
        try:
            write_pdf(output, pdf_output)
        except PublishError as error:
            written = " and ".join(str(path) for path in (*outputs, report))
            raise type(error)(f"{pdf_output} was not made: {error} ({written} written)"
                              ) from error
        outputs.append(pdf_output)
    return BuildResult(plan, checked.problems, placement.ledger, tuple(outputs), report,
                       placement.fates, left, findings, tuple(template_problems), record)


def with_actions_required(checked: Checked) -> Checked:
    """The checked inputs, with an error when not one action can be placed: a plan without an
    action plan is not a plan (a draft may still be built, and lists it as left out)."""
    if not checked.actions.empty:
        return checked
    returns = len(checked.counts)
    if returns:
        message = (f"there are no actions: none of the {returns} return"
                   f"{'s' if returns != 1 else ''} has an action that can be placed")
        fix = ("Fill in the Actions sheet of the returns, or correct the errors listed; then "
               "build again.")
    else:
        message = f"there are no actions: {RETURNS_DIR}/ has no returns yet"
        fix = (f"Save the partners' returns in the inputs' {RETURNS_DIR} folder (plangen "
               "returns writes blank ones to send out), then build again.")
    no_actions = Problem(CellRef(f"{RETURNS_DIR}/"), message, fix, Severity.ERROR, "no-actions")
    return replace(checked, problems=(*checked.problems, no_actions))


def check_outputs(template: Path, output: Path, report: Path, page: Path | None,
                  record: tuple[Path, ...] = ()) -> None:
    """Refuse outputs that cannot be right before any work is done: a plan that is not a
    .docx, a folder where a file is wanted, or a path that would overwrite the template."""
    if output.suffix.casefold() != ".docx":
        raise OutputNotWritable(f"{output}: the plan is a Word document, so its name must end "
                                "in .docx (e.g. outputs/plan.docx)")
    wanted = [path for path in (output, report, page, *record) if path is not None]
    for path in wanted:
        if path.is_dir():
            raise OutputNotWritable(f"{path} is a folder: give the name of a file to write")
        if _same_file(path, template):
            raise OutputNotWritable(f"{path} is the template itself: writing the plan there "
                                    "would replace the template. Choose another output.")
    if len({path.resolve() for path in wanted}) < len(wanted):
        raise OutputNotWritable(f"{report}: the returns report and the plan must be different "
                                "files")


def _same_file(path: Path, other: Path) -> bool:
    try:
        return path.resolve() == other.resolve() or (path.exists() and path.samefile(other))
    except OSError:
        return False


def left_out(checked: Checked, fates: tuple[RowFate, ...]) -> tuple[str, ...]:
    """One line per return row left out, with why; then every other error, with its cell."""
    lines: list[str] = []
    explained: set[tuple[str, str, str]] = set()
    for fate in fates:
        if fate.fate != "rejected":
            continue
        text = f" (“{shorten(fate.text)}”)" if fate.text else ""
        lines.append(f"{fate.where}{text}: {'; '.join(fate.reasons)}")
        explained.update((fate.file, fate.sheet, reason) for reason in fate.reasons)
    for problem in sort_problems(checked.errors):
        where = cell_of(problem)
        if (where.file, where.sheet, problem.message) not in explained:
            lines.append(f"{where}: {problem.message}")
    return tuple(lines)
