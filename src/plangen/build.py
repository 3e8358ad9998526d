"""The build: read and validate everything, merge into the plan, then write the outputs.

All data is gathered and checked before anything is written, and each output is written
atomically, so a failed build leaves the previous outputs as they were. Beside the .docx the
build can write the web page (.html) and a PDF, and it checks the accessibility of what it wrote.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from plangen.accessibility import Finding, check_file
from plangen.html import render_page, write_page
from plangen.merge import Ledger, merge
from plangen.model import Plan
from plangen.problems import InputProblems, MissingInputs, Problem
from plangen.publish import PublishError, write_pdf
from plangen.read import load_inputs
from plangen.render import render_docx
from plangen.validate import Checked, check


@dataclass(frozen=True)
class BuildResult:
    plan: Plan
    problems: tuple[Problem, ...]  # warnings, and with draft=True the errors left out
    ledger: tuple[Ledger, ...]
    outputs: tuple[Path, ...]
    accessibility: tuple[Finding, ...] = ()  # what the accessibility check found in outputs


def validate(inputs_dir: Path) -> Checked:
    """Read and check every input; the result carries every problem found."""
    if not inputs_dir.is_dir():
        raise MissingInputs(f"{inputs_dir}: the inputs folder does not exist")
    return check(load_inputs(inputs_dir))


def build(inputs_dir: Path, template: Path, output: Path, *, draft: bool = False,
          pdf: bool = False, html: bool = False,
          html_template: Path | None = None) -> BuildResult:
    """Build the plan document, and with pdf/html the PDF and web page beside it (same name,
    .pdf/.html). With errors in the inputs, write nothing unless draft.

    The web page template defaults to the .html beside the Word template.
    """
    checked = validate(inputs_dir)
    if checked.errors and not draft:
        raise InputProblems(checked.problems)
    plan, ledger = merge(checked)
    page = None
    if html:  # rendered before anything is written: a broken page template writes nothing
        page = render_page(plan, html_template or template.with_suffix(".html"), draft=draft)
    render_docx(plan, template, output, draft=draft)
    outputs = [output]
    if page is not None:
        write_page(page, output.with_suffix(".html"))
        outputs.append(output.with_suffix(".html"))
    findings = tuple(finding for path in outputs for finding in check_file(path))
    if pdf:
        pdf_output = output.with_suffix(".pdf")
        try:
            write_pdf(output, pdf_output)
        except PublishError as error:
            written = " and ".join(str(path) for path in outputs)
            raise type(error)(f"{pdf_output} was not made: {error} ({written} written)"
                              ) from error
        outputs.append(pdf_output)
    return BuildResult(plan, checked.problems, ledger, tuple(outputs), findings)
