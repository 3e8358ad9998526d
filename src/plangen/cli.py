"""The command line: parse options, make one library call, turn its errors into messages.

Heavy libraries (pandas, docxtpl) are imported inside the commands, so `plangen --help` is quick.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from plangen import __version__

if TYPE_CHECKING:
    from plangen.build import BuildResult
    from plangen.inputs.read import Progress
    from plangen.model import Changes
    from plangen.problems import Problem

EXAMPLES = """
\b
Examples:
  plangen new wyre --partnership "Wyre CSP" --period "April 2019 to March 2020"
  plangen validate                   # check inputs/ and list every problem, by cell
  plangen build                      # inputs/ + templates/plan.docx -> outputs/plan.docx
  plangen build --draft              # outputs/plan-draft.docx despite errors, marked DRAFT
  plangen build --inputs 2019/inputs --output 2019/plan.docx
  plangen build --pdf --html         # also outputs/plan.pdf and outputs/plan.html
  plangen returns                    # a blank return for each partner, in outputs/returns/
  plangen check-template             # check templates/plan.docx after editing it in Word
  plangen check-accessibility outputs/plan.docx outputs/plan.html
"""


@click.group(help=f"""Build a Community Safety Partnership Plan from partners' Excel returns
and a Word template.
{EXAMPLES}""", context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, "--version", "-V", prog_name="plangen")
def cli() -> None:
    pass


def main() -> None:
    _degrade_unshowable_characters()
    cli(prog_name="plangen")


def _degrade_unshowable_characters() -> None:
    """A character the console's encoding cannot show (an emoji on a cp1252 console, output
    redirected on Windows) is written as an escape such as \\U0001f600, never a traceback
    that stops the list part-way."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="backslashreplace")


@contextmanager
def _plain_errors() -> Iterator[None]:
    """Library errors become a plain message and exit code 1, never a traceback."""
    from plangen.errors import InputProblems, PlangenError, SettingsUnusable, TemplateProblems

    try:
        yield
    except SettingsUnusable as error:  # before InputProblems: a draft cannot help here
        _print_problems(error.problems)
        click.secho(f"Error: {error}", fg="red", err=True)
        sys.exit(1)
    except InputProblems as error:
        _print_problems(error.problems)
        click.secho(str(error), fg="red", err=True)
        click.echo("Correct the errors above, or build a draft without them: plangen build "
                   "--draft", err=True)
        sys.exit(1)
    except TemplateProblems as error:
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


FORMAT = click.option(
    "--format", "output_format", type=click.Choice(["text", "json"]), default="text",
    show_default=True, help="text for people: a line a problem; json for other tools: a list "
    "of {code, severity, file, where, location, message, fix}.")


def _print_problems(problems: Iterable[Problem], *, prefix: str = "", err: bool = True) -> None:
    """Every problem, whatever it is about, as its one line (Problem.line), the label coloured."""
    for problem in problems:
        colour = "red" if problem.is_error else "yellow"
        click.echo(f"{click.style(prefix + problem.label, fg=colour)}: {problem}", err=err)


def _print_json(problems: Iterable[Problem]) -> None:
    import json

    click.echo(json.dumps([problem.as_dict() for problem in problems], indent=2,
                          ensure_ascii=False))


@contextmanager
def _progress(label: str) -> Iterator[Progress | None]:
    """A progress bar on stderr while workbooks are read, only when stderr is a terminal."""
    if not sys.stderr.isatty():
        yield None
        return
    bars: list[Any] = []

    def update(done: int, total: int, name: str) -> None:
        if not bars:
            bars.append(click.progressbar(length=total, label=label, file=sys.stderr,
                                          show_pos=True, item_show_func=lambda item: item))
            bars[0].__enter__()
        bars[0].update(done - bars[0].pos, name)

    try:
        yield update
    finally:
        if bars:
            bars[0].__exit__(None, None, None)


def _summary(result: BuildResult) -> None:
    """One screen: what was written, each return's rows, totals and the problem count."""
    from plangen.outputs.report import Totals
    from plangen.problems import count_problems

    plan = result.plan
    click.echo(f"Wrote {result.outputs[0]}: {len(plan.priorities)} priority pages, "
               f"{len(plan.themes)} themes, {len(plan.actions)} actions, "
               f"{len(plan.glossary)} glossary entries.")
    for path in result.outputs[1:]:
        click.echo(f"Wrote {path}.")
    click.echo(f"Wrote {result.report}: every return row's fate and every problem.")
    if result.record:
        click.echo(f"Wrote {' and '.join(map(str, result.record))}: the plan as open data.")
    if result.ledger:
        width = max(len(entry.partner) for entry in result.ledger) + 2
        totals = Totals.of(result.ledger)
        # Rows not read (a renamed or copied sheet, …) get a column only when there are some.
        def not_read(count: int) -> str:
            if not totals.not_read:
                return ""
            return click.style(f"{count:>10}", fg="red") if count else f"{count:>10}"

        # Last year's actions completed or dropped get a column only with some.
        def closed(count: int) -> str:
            return f"{count:>8}" if totals.closed else ""

        click.echo("")
        click.echo(f"{'Partner':<{width}}{'Read':>6}{'Placed':>8}{'Merged':>8}"
                   f"{'  Closed' if totals.closed else ''}{'Rejected':>10}"
                   f"{'  Not read' if totals.not_read else ''}  Return")
        for entry in result.ledger:
            rejected = click.style(f"{entry.rejected:>10}", fg="red") if entry.rejected \
                else f"{entry.rejected:>10}"
            click.echo(f"{entry.partner:<{width}}{entry.read:>6}{entry.placed:>8}"
                       f"{entry.merged:>8}{closed(entry.closed)}{rejected}"
                       f"{not_read(entry.not_read)}  {entry.file}")
        click.echo(f"{'All returns':<{width}}{totals.read:>6}{totals.placed:>8}"
                   f"{totals.merged:>8}{closed(totals.closed)}{totals.rejected:>10}"
                   f"{f'{totals.not_read:>10}' if totals.not_read else ''}")
        if result.plan.changes is not None:
            _changes_summary(result.plan.changes)
    click.echo("")
    if result.problems:
        click.echo(f"{count_problems(result.problems)}: run plangen validate to list them, or "
                   f"see the Problems sheet of {result.report}.")
    else:
        click.echo("No problems found in the inputs.")


def _changes_summary(changes: Changes) -> None:
    """One line of what changed since last year's plan."""
    counts = [(len(changes.new), "new"), (len(changes.carried), "carried over as they were"),
              (len(changes.changed), "changed"), (len(changes.completed), "completed"),
              (len(changes.dropped), "dropped"), (len(changes.not_returned), "in no return")]
    click.echo("")
    click.echo(f"Since {changes.previous_period.label}: "
               + ", ".join(f"{count} {what}" for count, what in counts)
               + " (Changes since last year, in the plan and the report).")


INPUTS = click.option("--inputs", "inputs_dir", type=click.Path(path_type=Path, file_okay=False),
                      default=Path("inputs"), show_default=True,
                      help="Folder holding plan.xlsx and returns/.")


@cli.command()
@click.argument("folder", type=click.Path(path_type=Path, file_okay=False))
@click.option("--partnership", required=True, metavar="NAME",
              help="The partnership's full name, as the plan names it.")
@click.option("--period", required=True, metavar="PERIOD",
              help='The plan\'s first and last months, e.g. "April 2019 to March 2020".')
@click.option("--area", default="", metavar="NAME", help="The district or city the plan covers.")
@click.option("--title", default="", metavar="TITLE",
              help="The plan's title, as it appears on the cover.")
@click.option("--send-returns-to", default="", metavar="EMAIL",
              help="Where partners send their returns (printed on every blank return).")
@click.option("--returns-due", default="", metavar="DATE",
              help="When partners' returns are due (printed on every blank return).")
@click.option("--introduction", default="", metavar="TEXT",
              help="The plan's opening sentence, as typed (by default one naming its sources).")
def new(folder: Path, partnership: str, period: str, area: str, title: str,
        send_returns_to: str, returns_due: str, introduction: str) -> None:
    """Start a new partnership: write a working folder to fill in.

    FOLDER gets inputs/plan.xlsx, the coordinator's workbook with every sheet and heading, the
    settings filled in from the options, an Instructions sheet and no sample rows; an empty
    inputs/returns/; the shipped templates in templates/; and a README.md and Makefile. In
    FOLDER, plangen validate, returns and build then work with their defaults. Nothing is
    overwritten: if FOLDER already has a workbook (or any of those files), nothing is written
    and the exit code is 1.

    \b
    Example:
      plangen new wyre --partnership "Wyre Community Safety Partnership" \\
          --period "April 2019 to March 2020" --area Wyre
      cd wyre && plangen validate
    """
    from plangen.inputs.starter import settings_from, start_folder

    with _plain_errors():
        started = start_folder(folder, settings_from(partnership, period, area, title,
                                                     send_returns_to, returns_due,
                                                     introduction))
    written = ", ".join(str(path) for path in started.written)
    click.echo(f"Wrote {folder}: {written}, and an empty inputs/returns/.")
    if started.to_fill:
        click.echo(f"Still empty on the Settings sheet: {', '.join(started.to_fill)}.")
    click.echo(f"Next: fill in {folder / 'inputs' / 'plan.xlsx'} (its Instructions sheet says "
               f"how), then, in {folder}:")
    click.echo("  plangen validate   # what to fill in next, by sheet and cell")
    click.echo("  plangen returns    # a blank return for each partner, in outputs/returns/")
    click.echo("  plangen build      # the plan, once returns are in inputs/returns/")


@cli.command()
@INPUTS
@FORMAT
def validate(inputs_dir: Path, output_format: str) -> None:
    """Check the coordinator's workbook and every return, and list every problem.

    Each problem names its file, sheet and cell, says what is wrong and how to fix it, and is
    an error (the plan cannot be built) or a warning (worth a look). Exits with 1 when there
    is any error, 0 otherwise. Nothing is written.

    \b
    Example:
      plangen validate --inputs inputs
      plangen validate --format json > problems.json
    """
    from plangen.inputs.validate import validate as run_validate  # not build: no docxtpl needed
    from plangen.problems import count_problems, sort_problems

    with _plain_errors():
        with _progress("Reading workbooks") as progress:
            checked = run_validate(inputs_dir, progress)
        problems = sort_problems(checked.problems)
        if output_format == "json":
            _print_json(problems)
            sys.exit(1 if checked.errors else 0)
        _print_problems(problems, err=False)
        returns = len(checked.counts)
        click.echo(f"Checked plan.xlsx and {returns} return{'s' if returns != 1 else ''}: "
                   f"{count_problems(problems)}.")
        if checked.errors:
            sys.exit(1)


@cli.command()
@INPUTS
@click.option("--template", type=click.Path(path_type=Path, dir_okay=False),
              default=Path("templates/plan.docx"), show_default=True,
              help="The Word template to fill in.")
@click.option("--output", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="Where to write the plan.  [default: outputs/plan.docx, or "
              "outputs/plan-draft.docx with --draft]")
@click.option("--pdf", is_flag=True,
              help="Also write the plan as a tagged PDF beside it (needs LibreOffice).")
@click.option("--html", is_flag=True, help="Also write the plan as a web page beside it.")
@click.option("--html-template", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="The web page template.  [default: the .html beside --template]")
@click.option("--report", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="Where to write the returns report.  [default: returns-report.xlsx beside "
              "the plan]")
@click.option("--draft", is_flag=True,
              help="Build despite errors: leave out the rows that have them, mark every page "
              "DRAFT and list what was left out at the end.")
def build(inputs_dir: Path, template: Path, output: Path | None, pdf: bool, html: bool,
          html_template: Path | None, report: Path | None, draft: bool) -> None:
    """Read and check the inputs, then write the plan and the returns report.

    Nothing is written when the inputs have errors: every problem is listed with its file,
    sheet and cell, and the previous plan stays as it was. With --draft the plan is built
    from the rows without errors, marked DRAFT on every page, with what was left out listed
    at its end and here; it is written to outputs/plan-draft.docx unless --output says
    otherwise, so a draft never takes the real plan's place. The returns report
    (returns-report.xlsx) says, for every partner, how many rows were read, placed, merged as
    duplicates and rejected. The plan written is then checked for accessibility (see
    check-accessibility); what that finds is listed, and the plan is still written.

    \b
    Example:
      plangen build --inputs inputs --output outputs/plan.docx
      plangen build --pdf --html    # outputs/plan.docx, outputs/plan.pdf, outputs/plan.html
      plangen build --draft
    """
    from plangen.build import build as run_build

    with _plain_errors():
        with _progress("Reading workbooks") as progress:
            if output is None:  # a draft never takes the place of the real plan
                output = Path("outputs/plan-draft.docx" if draft else "outputs/plan.docx")
            result = run_build(inputs_dir, template, output, draft=draft, pdf=pdf, html=html,
                               html_template=html_template, report=report, progress=progress)
        _print_problems(result.template_problems)
        if result.left_out:
            click.secho(f"Left out of this draft ({len(result.left_out)}):", fg="red", err=True)
            for line in result.left_out:
                click.echo(f"  {line}", err=True)
        _summary(result)
        _print_problems(result.accessibility, prefix="accessibility ")
        checked = ", ".join(str(path) for path in result.outputs if path.suffix != ".pdf")
        if result.accessibility:
            count = len(result.accessibility)
            click.echo(f"Accessibility: {count} problem{'s' if count != 1 else ''} in "
                       f"{checked}; fix the template before publishing.", err=True)
        else:
            click.echo(f"Accessibility: no problems found in {checked}.")
        if draft:
            click.secho("This is a DRAFT: not for publication.", fg="red")


@cli.command("check-accessibility")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@FORMAT
def check_accessibility(files: tuple[Path, ...], output_format: str) -> None:
    """Check built plans (.docx or .html) for accessibility problems.

    Checks the title and language, headings, table header rows and merged cells, alt text,
    text size and font, contrast, and meaning carried by colour alone. Each finding has an id,
    where it is and how to fix it. Exits with 1 when any finding is an error.

    \b
    Example:
      plangen check-accessibility outputs/plan.docx outputs/plan.html
      plangen check-accessibility --format json outputs/plan.html
    """
    from plangen.accessibility.check import check_file
    from plangen.errors import PlangenError

    found: dict[Path, list[Problem]] = {}
    unreadable = False
    for path in files:  # one file that cannot be read does not stop the others being checked
        try:
            found[path] = list(check_file(path))
        except PlangenError as error:
            click.secho(f"Error: {error}", fg="red", err=True)
            unreadable = True
    if output_format == "json":
        _print_json(finding for findings in found.values() for finding in findings)
    else:
        for path, findings in found.items():
            _print_problems(findings, err=False)
            if not findings:
                click.echo(f"{path}: no accessibility problems found.")
    if unreadable or any(finding.is_error for findings in found.values() for finding in findings):
        sys.exit(1)


@cli.command()
@INPUTS
@click.option("--partner", metavar="NAME",
              help="Write only this partner's return, whether or not plan.xlsx lists them.")
@click.option("--out", "out_dir", type=click.Path(path_type=Path, file_okay=False),
              default=Path("outputs/returns"), show_default=True,
              help="Folder to write the returns to.")
def returns(inputs_dir: Path, partner: str | None, out_dir: Path) -> None:
    """Write a blank return workbook for each partner to fill in.

    One .xlsx per partner marked "Sends a return" on the Partners sheet of plan.xlsx, named
    after the partner (police.xlsx, forum-members.xlsx), with instructions, the partner's name
    filled in, and dropdowns of the plan's themes, priorities, months and partners.

    \b
    Example:
      plangen returns                          # every partner -> outputs/returns/
      plangen returns --partner "Forum members" --out outputs/returns
    """
    from plangen.inputs.blank import write_blank_returns

    with _plain_errors():
        result = write_blank_returns(inputs_dir, out_dir, partner=partner)
    _print_problems(result.problems)
    for written in result.written:
        if not written.listed:
            hint = f" — did you mean {written.suggestion}?" if written.suggestion else "."
            click.echo(f"{click.style('note', fg='yellow')}: \"{written.partner}\" is not on the "
                       f"Partners sheet of plan.xlsx{hint} Its return was written anyway; add "
                       f"\"{written.partner}\" to the Partners sheet before building the plan, "
                       "or the build will not know whose return it is.", err=True)
    names = ", ".join(written.path.name for written in result.written)
    count = len(result.written)
    click.echo(f"Wrote {count} blank return{'s' if count != 1 else ''} to {out_dir}: {names}")


@cli.command("check-template")
@click.argument("template", type=click.Path(path_type=Path), default=Path("templates/plan.docx"))
@FORMAT
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
    from plangen.problems import count_problems
    from plangen.template.check import check_template as run_check

    with _plain_errors():
        problems = run_check(template)
    if output_format == "json":
        _print_json(problems)
    else:
        _print_problems(problems, err=False)
        if problems:
            click.echo(f"{template}: {count_problems(problems)}.", err=True)
        else:
            click.echo(f"{template}: no problems found.")
    sys.exit(1 if any(problem.is_error for problem in problems) else 0)
