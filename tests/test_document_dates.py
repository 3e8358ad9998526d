"""The built .docx says it was created and modified when its inputs last changed, or at
SOURCE_DATE_EPOCH: never the template's own dates, and the same for the same inputs."""

from __future__ import annotations

import os
import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from docx import Document

from plangen.build import build
from plangen.cli import cli

from conftest import SAMPLE_INPUTS, TEMPLATE, Sample


def dates(docx: Path) -> tuple[datetime, datetime]:
    properties = Document(str(docx)).core_properties
    return properties.created, properties.modified


def test_the_template_dates_are_not_the_documents(sample: Sample) -> None:
    template_created, _ = dates(TEMPLATE)
    created, modified = dates(sample.docx)
    assert created == modified
    assert created != template_created
    assert created.year > 2013  # the shipped template says 2013-12-23


def test_source_date_epoch_sets_both_dates(tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1555000000")
    output = build(SAMPLE_INPUTS, TEMPLATE, tmp_path / "plan.docx").outputs[0]
    when = datetime(2019, 4, 11, 16, 26, 40, tzinfo=UTC)
    assert dates(output) == (when, when)


def test_without_it_the_dates_are_the_newest_inputs_and_the_same_on_every_build(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    inputs = Path(shutil.copytree(SAMPLE_INPUTS, tmp_path / "inputs"))
    template = Path(shutil.copy(TEMPLATE, tmp_path / "plan.docx"))
    old = datetime(2018, 1, 1, tzinfo=UTC).timestamp()
    for path in [template, *inputs.rglob("*")]:
        os.utime(path, (old, old))
    newest = datetime(2019, 2, 3, 4, 5, 6, tzinfo=UTC).timestamp()
    os.utime(inputs / "returns" / "police.xlsx", (newest, newest))
    first = build(inputs, template, tmp_path / "out" / "plan.docx").outputs[0]
    assert dates(first) == (datetime(2019, 2, 3, 4, 5, 6, tzinfo=UTC),) * 2
    second = build(inputs, template, tmp_path / "again" / "plan.docx").outputs[0]
    assert dates(second) == dates(first)


def test_a_source_date_epoch_that_is_no_number_is_an_error_not_a_traceback(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    result = CliRunner().invoke(cli, ["build", "--inputs", str(SAMPLE_INPUTS), "--output",
                                      str(tmp_path / "plan.docx")])
    assert result.exit_code == 1
    assert 'SOURCE_DATE_EPOCH is "yesterday", not a whole number' in result.output
    assert not (tmp_path / "plan.docx").exists()
