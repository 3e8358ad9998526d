"""A build that fails says why and leaves the previous plan exactly as it was."""

from __future__ import annotations

from pathlib import Path

import pytest
from docx import Document

from plangen.build import build
from plangen.errors import InputProblems, TemplateProblems

from conftest import TEMPLATE, cell_where, template_where
from workbooks import InputsBuilder


@pytest.fixture
def previous(inputs: InputsBuilder, tmp_path: Path) -> Path:
    output = tmp_path / "out" / "plan.docx"
    build(inputs.write(tmp_path / "good"), TEMPLATE, output)
    return output


def test_bad_inputs_leave_the_previous_plan_untouched(inputs: InputsBuilder, previous: Path,
                                                      tmp_path: Path) -> None:
    before = previous.read_bytes()
    report = previous.parent / "returns-report.xlsx"
    report_before = report.read_bytes()
    record = [previous.parent / "plan.json", previous.parent / "actions.csv"]
    record_before = [path.read_bytes() for path in record]
    inputs.returns["police.xlsx"]["Actions"].append(["Cty Safe", "Something", "soon", "", ""])
    with pytest.raises(InputProblems) as raised:
        build(inputs.write(tmp_path / "bad"), TEMPLATE, previous)
    assert previous.read_bytes() == before
    assert report.read_bytes() == report_before
    assert [path.read_bytes() for path in record] == record_before
    errors = [p for p in raised.value.problems if p.is_error]
    assert sorted(cell_where(p).cell for p in errors) == ["A4", "C4", "D4"]
    # no temporary files left behind
    assert sorted(p.name for p in previous.parent.iterdir()) == sorted(
        [previous.name, report.name, "plan.json", "actions.csv"])


def test_a_template_naming_a_missing_field_fails_and_names_the_tag(
        inputs: InputsBuilder, previous: Path, tmp_path: Path) -> None:
    before = previous.read_bytes()
    template = tmp_path / "broken.docx"
    document = Document()
    document.add_paragraph("{{ partnership }} {{ plan_owner }}")
    document.save(str(template))
    with pytest.raises(TemplateProblems) as raised:
        build(inputs.write(tmp_path / "in"), template, previous)
    assert previous.read_bytes() == before
    [problem] = raised.value.problems
    assert (problem.code, template_where(problem).tag, template_where(problem).paragraph) == (
        "unknown-field", "{{ plan_owner }}", 1)


def test_a_template_with_a_broken_tag_fails_without_writing(
        inputs: InputsBuilder, previous: Path, tmp_path: Path) -> None:
    before = previous.read_bytes()
    template = tmp_path / "broken.docx"
    document = Document()
    document.add_paragraph("{% for theme in themes %}{{ theme.name }}")
    document.save(str(template))
    with pytest.raises(TemplateProblems) as raised:
        build(inputs.write(tmp_path / "in"), template, previous)
    assert previous.read_bytes() == before
    assert [(p.code, template_where(p).tag) for p in raised.value.problems] == [
        ("unclosed-block", "{% for theme in themes %}")]


def test_a_missing_inputs_folder_is_a_plain_error(tmp_path: Path) -> None:
    from plangen.errors import MissingInputs

    with pytest.raises(MissingInputs, match="does not exist"):
        build(tmp_path / "nowhere", TEMPLATE, tmp_path / "plan.docx")


def test_outputs_get_the_usual_file_permissions_not_private_ones(
        inputs: InputsBuilder, tmp_path: Path) -> None:
    import os
    import stat

    mask = os.umask(0o022)
    try:
        output = tmp_path / "plan.docx"
        build(inputs.write(tmp_path / "in"), TEMPLATE, output)
    finally:
        os.umask(mask)
    assert stat.S_IMODE(output.stat().st_mode) == 0o644


def test_an_output_that_is_not_a_docx_is_refused_before_anything_is_written(
        inputs: InputsBuilder, tmp_path: Path) -> None:
    from plangen.errors import OutputNotWritable

    with pytest.raises(OutputNotWritable, match=r"must end in \.docx"):
        build(inputs.write(tmp_path / "in"), TEMPLATE, tmp_path / "out" / "plan.txt")
    assert not (tmp_path / "out").exists()


def test_the_plan_is_never_written_over_its_own_template(inputs: InputsBuilder,
                                                         tmp_path: Path) -> None:
    import shutil

    from plangen.errors import OutputNotWritable

    template = Path(shutil.copy(TEMPLATE, tmp_path / "plan.docx"))
    before = template.read_bytes()
    with pytest.raises(OutputNotWritable, match="is the template itself"):
        build(inputs.write(tmp_path / "in"), template, template)
    assert template.read_bytes() == before


def test_a_report_path_that_is_a_folder_replaces_nothing(inputs: InputsBuilder, previous: Path,
                                                         tmp_path: Path) -> None:
    from plangen.errors import OutputNotWritable

    before = previous.read_bytes()
    (tmp_path / "a-folder").mkdir()
    with pytest.raises(OutputNotWritable, match="is a folder"):
        build(inputs.write(tmp_path / "in"), TEMPLATE, previous, report=tmp_path / "a-folder")
    assert previous.read_bytes() == before


def test_an_output_that_cannot_be_written_names_the_output_not_a_temporary_file(
        inputs: InputsBuilder, previous: Path, tmp_path: Path) -> None:
    import os

    from click.testing import CliRunner

    from plangen.cli import cli

    if os.geteuid() == 0:  # root writes anywhere: make the target a file where a folder is wanted
        blocked = tmp_path / "blocked"
        blocked.write_text("a file, not a folder")
        output = blocked / "plan.docx"
    else:
        blocked = tmp_path / "read-only"
        blocked.mkdir(mode=0o500)
        output = blocked / "plan.docx"
    result = CliRunner().invoke(cli, ["build", "--inputs", str(inputs.write(tmp_path / "in")),
                                      "--template", str(TEMPLATE), "--output", str(output)])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert f"Error: {output} cannot be written" in result.output
    assert "/." not in result.output.split("cannot be written")[0]  # no .plan-xxxx temp name


def test_a_draft_goes_to_its_own_file_and_never_replaces_the_plan(
        inputs: InputsBuilder, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from click.testing import CliRunner

    from plangen.cli import cli

    folder = inputs.write(tmp_path / "in")
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    args = ["build", "--inputs", str(folder), "--template", str(TEMPLATE)]
    assert runner.invoke(cli, args).exit_code == 0
    plan = tmp_path / "outputs" / "plan.docx"
    before = plan.read_bytes()
    result = runner.invoke(cli, [*args, "--draft"])
    assert result.exit_code == 0, result.output
    assert "Wrote outputs/plan-draft.docx" in result.output
    assert plan.read_bytes() == before
    header = Document(str(tmp_path / "outputs" / "plan-draft.docx")).sections[0].header
    assert "DRAFT" in " ".join(p.text for p in header.paragraphs)


def test_an_output_that_cannot_be_replaced_after_another_was_says_which_was(
        inputs: InputsBuilder, previous: Path, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """As when the report is open in Excel on Windows: the plan is already in place."""
    import os

    from plangen.errors import OutputNotWritable

    report = previous.parent / "returns-report.xlsx"
    report_before = report.read_bytes()
    replace = os.replace

    def locked(source: str | Path, target: str | Path) -> None:
        if Path(target) == report:
            raise PermissionError(13, "Permission denied")
        replace(source, target)

    monkeypatch.setattr(os, "replace", locked)
    with pytest.raises(OutputNotWritable) as raised:
        build(inputs.write(tmp_path / "in"), TEMPLATE, previous)
    message = str(raised.value)
    assert message.startswith(f"{report} cannot be replaced (Permission denied)")
    assert f"({previous} already written; the rest were left as they were)" in message
    assert report.read_bytes() == report_before
    assert sorted(p.name for p in previous.parent.iterdir()) == sorted(
        [previous.name, report.name, "plan.json", "actions.csv"])
