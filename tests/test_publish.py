"""The PDF: made by LibreOffice from the built .docx, tagged, titled, with its contents filled in.

One real conversion is shared by the module (LibreOffice takes a few seconds); the failures
(missing, hanging, making nothing) are shown with stand-in programs, so they need no LibreOffice.
"""

from __future__ import annotations

import os
import re
import stat
import subprocess
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from plangen.build import BuildResult
from plangen.cli import cli
from plangen.errors import LibreOfficeFailed, LibreOfficeMissing, LibreOfficeTimedOut
from plangen.outputs.pdf import (
    macro_source,
    write_pdf,
)
from plangen.template.chart import ThemeChart

from conftest import SAMPLE_INPUTS, TEMPLATE, Sample, need_program


@pytest.fixture(scope="module")
def published(sample: Sample) -> BuildResult:
    need_program("soffice", "libreoffice")
    need_program("pdfinfo")
    return sample.published


def pdf_of(result: BuildResult) -> Path:
    return result.outputs[0].with_suffix(".pdf")


def pdfinfo(path: Path) -> dict[str, str]:
    lines = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True,
                           check=True).stdout.splitlines()
    return {key.strip(): value.strip() for key, _, value in
            (line.partition(":") for line in lines)}


def pages(path: Path) -> list[str]:
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout
    return text.split("\f")


def test_build_with_pdf_and_html_writes_all_three_beside_each_other(
        published: BuildResult) -> None:
    docx = published.outputs[0]
    assert published.outputs == (docx, docx.with_suffix(".html"), docx.with_suffix(".pdf"))
    assert all(path.is_file() for path in published.outputs)
    assert published.accessibility == ()


def test_the_pdf_is_tagged_and_carries_the_title_and_language(published: BuildResult) -> None:
    info = pdfinfo(pdf_of(published))
    assert info["Tagged"] == "yes"
    assert info["Title"] == "Preston Community Safety Partnership Plan 2018 to 2019"
    assert info["Pages"] == "13"
    raw = pdf_of(published).read_bytes()
    assert b"/Lang(en-GB)" in raw
    assert re.search(rb"/DisplayDocTitle\s*true", raw)


def test_the_contents_list_is_filled_in_with_the_right_page_numbers(
        published: BuildResult) -> None:
    text = pages(pdf_of(published))
    cover = text[0]
    assert "Update Field" not in cover  # the template's placeholder is gone
    entries = re.findall(r"^(\S.*?)\.{3,}\s*(\d+)$", cover, re.M)
    assert [title for title, _ in entries] == [
        "The plan at a glance", "Violent crime", "Domestic Abuse",
        "Sexual Offences (including child sexual exploitation)", "Anti-social Behaviour",
        "Re-offending", "Action plan", "Glossary"]
    for title, page in entries:  # each section starts its page
        assert " ".join(text[int(page) - 1].split()).startswith(title), (title, page)


def test_the_chart_keeps_its_alt_text_in_the_pdf(published: BuildResult) -> None:
    raw = pdf_of(published).read_bytes()
    alts = [bytes.fromhex(match.decode()).decode("utf-16")
            for match in re.findall(rb"/Alt<([0-9A-Fa-f]+)>", raw)]
    assert ThemeChart(published.plan.glance).alt in alts


def test_every_page_renders(published: BuildResult, tmp_path: Path) -> None:
    need_program("pdftoppm")
    subprocess.run(["pdftoppm", "-png", "-r", "30", str(pdf_of(published)),
                    str(tmp_path / "page")], check=True)
    images = sorted(tmp_path.glob("page-*.png"))
    assert len(images) == 13
    assert all(image.stat().st_size > 2_000 for image in images)


def test_a_document_libreoffice_cannot_open_is_a_plain_error_not_a_hang(tmp_path: Path) -> None:
    need_program("soffice", "libreoffice")
    damaged = tmp_path / "plan.docx"
    damaged.write_bytes(b"PK\x03\x04" + bytes(100))
    with pytest.raises(LibreOfficeFailed,
                       match=r"LibreOffice made no PDF from .*: the document could not be opened"):
        write_pdf(damaged, tmp_path / "plan.pdf", timeout=60)
    assert not (tmp_path / "plan.pdf").exists()


def test_the_macro_updates_indexes_before_it_exports() -> None:
    source = macro_source()
    assert source.index("getDocumentIndexes") < source.index("storeToURL")
    assert 'filters(0).Name = "UseTaggedPDF"' in source


# ------------------------------------------------------------------------------------------------
# When LibreOffice is missing, hangs or fails


def fake_soffice(folder: Path, script: str) -> Path:
    """A stand-in `soffice`: a shell script."""
    program = folder / "soffice"
    program.write_text("#!/bin/sh\n" + script, encoding="utf-8")
    program.chmod(program.stat().st_mode | stat.S_IEXEC)
    return program


@pytest.fixture
def docx(tmp_path: Path) -> Path:
    path = tmp_path / "plan.docx"
    path.write_bytes(TEMPLATE.read_bytes())
    return path


def test_missing_libreoffice_says_how_to_install_it(docx: Path, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    with pytest.raises(LibreOfficeMissing,
                       match="install LibreOffice: apt-get install libreoffice-writer-nogui"):
        write_pdf(docx, tmp_path / "plan.pdf")


def test_a_hanging_libreoffice_is_stopped_with_everything_it_started(
        docx: Path, tmp_path: Path) -> None:
    children = tmp_path / "children"
    program = fake_soffice(tmp_path, f"sleep 300 &\necho $! >> {children}\nsleep 300\n")
    started = time.monotonic()
    with pytest.raises(LibreOfficeTimedOut, match="within 1 seconds and was stopped"):
        write_pdf(docx, tmp_path / "plan.pdf", timeout=1, soffice=str(program))
    assert time.monotonic() - started < 30
    for pid in children.read_text().split():
        for _ in range(50):
            try:
                os.kill(int(pid), 0)
            except ProcessLookupError:
                break
            time.sleep(0.1)
        else:
            pytest.fail(f"LibreOffice's child {pid} is still running")


def test_libreoffice_that_makes_no_pdf_is_an_error_and_the_old_pdf_stays(
        docx: Path, tmp_path: Path) -> None:
    # Sets up a profile as LibreOffice would, then makes nothing.
    program = fake_soffice(tmp_path, """
for argument in "$@"; do
  case "$argument" in
    -env:UserInstallation=file://*)
      profile="${argument#-env:UserInstallation=file://}"
      mkdir -p "$profile/user/basic/Standard"
      echo '<library:library></library:library>' > "$profile/user/basic/Standard/script.xlb";;
  esac
done
""")
    output = tmp_path / "plan.pdf"
    output.write_bytes(b"the last good PDF")
    with pytest.raises(LibreOfficeFailed, match="LibreOffice made no PDF from"):
        write_pdf(docx, output, soffice=str(program))
    assert output.read_bytes() == b"the last good PDF"
    assert list(tmp_path.glob(".plan-*")) == []


def test_libreoffice_that_will_not_start_is_an_error(docx: Path, tmp_path: Path) -> None:
    program = fake_soffice(tmp_path, "exit 1\n")
    with pytest.raises(LibreOfficeFailed, match="did not set up its profile"):
        write_pdf(docx, tmp_path / "plan.pdf", soffice=str(program))


def test_build_pdf_without_libreoffice_is_a_plain_error_that_says_what_was_written(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    output = tmp_path / "plan.docx"
    result = CliRunner().invoke(cli, ["build", "--inputs", str(SAMPLE_INPUTS), "--template",
                                      str(TEMPLATE), "--output", str(output), "--pdf"])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert (f"Error: {output.with_suffix('.pdf')} was not made: LibreOffice is needed to make "
            "the PDF") in result.output
    assert "apt-get install libreoffice-writer-nogui" in result.output
    assert f"({output} and {output.parent / 'returns-report.xlsx'} written)" in result.output
    assert output.is_file() and not output.with_suffix(".pdf").exists()


def test_in_ci_a_missing_tool_fails_the_test_instead_of_skipping_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="soffice or libreoffice is not installed"):
        need_program("soffice", "libreoffice")
    monkeypatch.delenv("CI")
    with pytest.raises(pytest.skip.Exception):
        need_program("soffice", "libreoffice")
