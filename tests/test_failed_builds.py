"""A build that fails says why and leaves the previous plan exactly as it was."""

from __future__ import annotations

from pathlib import Path

import pytest
from docx import Document

from plangen.build import build
from plangen.problems import InputProblems, TemplateProblems

from conftest import TEMPLATE
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
    inputs.returns["police.xlsx"]["Actions"].append(["Cty Safe", "Something", "soon", "", ""])
    with pytest.raises(InputProblems) as raised:
        build(inputs.write(tmp_path / "bad"), TEMPLATE, previous)
    assert previous.read_bytes() == before
    assert report.read_bytes() == report_before
    assert sorted(p.where.cell for p in raised.value.problems if p.is_error) == ["A4", "C4", "D4"]
    # no temporary files left behind
    assert sorted(p.name for p in previous.parent.iterdir()) == [previous.name, report.name]


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
    assert (problem.code, problem.tag, problem.where.paragraph) == (
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
    assert [(p.code, p.tag) for p in raised.value.problems] == [
        ("unclosed-block", "{% for theme in themes %}")]


def test_a_missing_inputs_folder_is_a_plain_error(tmp_path: Path) -> None:
    from plangen.problems import MissingInputs

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
