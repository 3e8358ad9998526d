"""The command line: parse options, make one library call, turn its errors into messages.

Heavy libraries (pandas, docxtpl) are imported inside the commands, so `plangen --help` is quick.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import click

from plangen import __version__

if TYPE_CHECKING:
    from plangen.problems import Problem, TemplateProblem

EXAMPLES = """
\b
Examples:
  plangen build                      # inputs/ + templates/plan.docx -> outputs/plan.docx
  plangen build --inputs 2019/inputs --output 2019/plan.docx
  plangen check-template             # check templates/plan.docx after editing it in Word
"""


@click.group(help=f"""Build a Community Safety Partnership Plan from partners' Excel returns
and a Word template.
{EXAMPLES}""", context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, "--version", "-V", prog_name="plangen")
def cli() -> None:
    pass


def main() -> None:
    cli(prog_name="plangen")


@contextmanager
def _plain_errors() -> Iterator[None]:
    """Library errors become a plain message and exit code 1, never a traceback."""
    from plangen.problems import InputProblems, PlangenError, TemplateProblems

    try:
        yield
    except (InputProblems, TemplateProblems) as error:
        _print_problems(error.problems)
        click.secho(str(error), fg="red", err=True)
        sys.exit(1)
    except PlangenError as error:
        click.secho(f"Error: {error}", fg="red", err=True)
        sys.exit(1)
    except OSError as error:
        click.secho(f"Error: {error.filename or ''}: {error.strerror or error}", fg="red",
                    err=True)
        sys.exit(1)


def _print_problems(problems: Iterable[Problem | TemplateProblem]) -> None:
    for problem in problems:
        label = "error" if problem.is_error else "warning"
        colour = "red" if problem.is_error else "yellow"
        click.echo(f"{click.style(label, fg=colour)}: {problem}", err=True)


INPUTS = click.option("--inputs", "inputs_dir", type=click.Path(path_type=Path),
                      default=Path("inputs"), show_default=True,
                      help="Folder holding plan.xlsx and returns/.")


@cli.command()
@INPUTS
@click.option("--template", type=click.Path(path_type=Path),
              default=Path("templates/plan.docx"), show_default=True,
              help="The Word template to fill in.")
@click.option("--output", type=click.Path(path_type=Path), default=Path("outputs/plan.docx"),
              show_default=True, help="Where to write the plan.")
def build(inputs_dir: Path, template: Path, output: Path) -> None:
    """Read and check the inputs, then write the plan.

    Nothing is written when the inputs have errors: every problem is listed with its file,
    sheet and cell, and the previous plan stays as it was.

    \b
    Example:
      plangen build --inputs inputs --output outputs/plan.docx
    """
    from plangen.build import build as run_build

    with _plain_errors():
        result = run_build(inputs_dir, template, output)
        _print_problems(result.template_problems)
        _print_problems(result.problems)
        actions = len(result.plan.actions)
        click.echo(f"Wrote {output}: {len(result.plan.priorities)} priority pages, "
                   f"{len(result.plan.themes)} themes, {actions} actions, "
                   f"{len(result.plan.glossary)} glossary entries.")


@cli.command("check-template")
@click.argument("template", type=click.Path(path_type=Path), default=Path("templates/plan.docx"))
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="text for people; json for other tools.")
def check_template(template: Path, output_format: str) -> None:
    """Check a Word template after editing it, before building with it.

    Lists every problem at once, in document order: where it is (body, header or footer; the
    heading above; the paragraph, or the table, row and cell), the tag as typed, what is wrong
    and how to fix it. Exits with 1 when there is an error, 0 when there are only warnings or
    nothing at all. docs/template-guide.md explains every message.

    \b
    Example:
      plangen check-template templates/plan.docx
      plangen check-template my-plan.docx --format json
    """
    import json

    from plangen.templatecheck import check_template as run_check

    with _plain_errors():
        problems = run_check(template)
    errors = sum(problem.is_error for problem in problems)
    warnings = len(problems) - errors
    if output_format == "json":
        click.echo(json.dumps([problem.as_dict() for problem in problems], indent=2,
                              ensure_ascii=False))
    else:
        _print_problems(problems)
        if problems:
            click.echo(f"{template}: {errors} error{'s' if errors != 1 else ''}, "
                       f"{warnings} warning{'s' if warnings != 1 else ''}.", err=True)
        else:
            click.echo(f"{template}: no problems found.")
    sys.exit(1 if errors else 0)
