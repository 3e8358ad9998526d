"""Every error plangen raises to its caller, under one base, PlangenError.

The CLI catches PlangenError and prints its message (and, for the families that carry them,
the problems) without a traceback. Families by what failed:

- the inputs: InputProblems (with SettingsUnusable), MissingInputs, UnusableCoordinator,
  NoPartnersSendReturns, EmptyPartnerName;
- starting a new partnership's folder: StartRefused;
- the Word template: TemplateError (with TemplateProblems);
- a built document handed to the accessibility check: NotCheckable;
- writing and publishing: OutputNotWritable, PublishError (LibreOfficeMissing,
  LibreOfficeTimedOut, LibreOfficeFailed).
"""

from __future__ import annotations

from collections.abc import Iterable

from plangen.problems import Problem, sort_problems


class PlangenError(Exception):
    """Any failure the user can act on; the CLI prints it without a traceback."""


class ProblemsFound(PlangenError):
    """Checking found errors, so nothing was written; problems lists every one (warnings
    too), in reading order."""

    subject = "the inputs"
    outcome = "no plan was written"

    def __init__(self, problems: Iterable[Problem], subject: str = "") -> None:
        self.problems = sort_problems(problems)
        errors = sum(problem.is_error for problem in self.problems)
        super().__init__(f"{errors} error{'s' if errors != 1 else ''} in "
                         f"{subject or self.subject}; {self.outcome}.")


# ------------------------------------------------------------------------------------------------
# The inputs


class InputProblems(ProblemsFound):
    """The inputs have errors, so no plan was written."""


class SettingsUnusable(InputProblems):
    """The plan's own settings have errors, so not even a draft can be built."""

    def __str__(self) -> str:
        return ("the Settings sheet of plan.xlsx has errors (listed above), so no plan, not "
                "even a draft, can be built")


class MissingInputs(PlangenError):
    """A required input file or folder does not exist."""


class UnusableCoordinator(PlangenError):
    """plan.xlsx cannot be read, or lacks what a blank return's lists need: themes, priorities
    or the plan period."""

    def __init__(self, reason: str, problems: Iterable[Problem]) -> None:
        self.problems = tuple(problems)
        lines = [f"{reason}, so blank returns cannot be written."]
        if self.problems:
            lines.append("Fix these first:")
            lines += [f"  {problem}" for problem in self.problems]
        super().__init__("\n".join(lines))


class NoPartnersSendReturns(PlangenError):
    """No partner is marked "Sends a return" and none was named."""


class EmptyPartnerName(PlangenError):
    """--partner was given an empty name."""


class StartRefused(PlangenError):
    """`plangen new` would overwrite a file, or was given a setting it cannot use (a period
    that is not two months, an empty name)."""


# ------------------------------------------------------------------------------------------------
# The Word template


class TemplateError(PlangenError):
    """The Word template cannot be used; the message says why."""


class TemplateProblems(ProblemsFound, TemplateError):
    """The template has errors, so nothing was written."""

    subject = "the template"
    outcome = "nothing was written"

    def __init__(self, problems: Iterable[Problem], template: object = "") -> None:
        name = f"the template {template}" if str(template) else ""
        super().__init__(problems, name)


# ------------------------------------------------------------------------------------------------
# Built documents


class NotCheckable(PlangenError):
    """The file is not a kind the accessibility check reads, or cannot be opened."""


# ------------------------------------------------------------------------------------------------
# Writing and publishing


class OutputNotWritable(PlangenError):
    """An output cannot be written where it was asked for: a folder, a read-only place, or a
    file another program holds open."""


class PublishError(PlangenError):
    """An output for publishing (the PDF) could not be made."""


class LibreOfficeMissing(PublishError):
    """Neither soffice nor libreoffice is on the PATH."""


class LibreOfficeTimedOut(PublishError):
    """LibreOffice took longer than the timeout and was stopped."""


class LibreOfficeFailed(PublishError):
    """LibreOffice ran but made no PDF."""
