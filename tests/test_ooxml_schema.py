"""Every .docx and .xlsx plangen ships or writes passes an OOXML schema check that is not ours:
openxml-audit, a port of the Open XML SDK's validator (what Word and Excel's own tools check).

One finding is a false positive of the SDK's schema model, and only that one is let through:
the order of a font's children in an .xlsx styles part (FONT_ORDER below).
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from typing import Any

import pytest
from openxml_audit import OpenXmlValidator

from plangen.build import build
from plangen.inputs.blank import write_blank_returns

from conftest import ROOT, SAMPLE_INPUTS, Sample

#: A font's children in an .xlsx styles part "out of order" (openpyxl writes name, b, color,
#: sz …). ECMA-376 Part 1 (sml.xsd, CT_Font) makes them an xsd:choice maxOccurs="unbounded",
#: any order; the Open XML SDK's model, which openxml-audit ports, has them as a sequence in
#: the order Excel writes them. Excel opens such files without repairing them.
FONT_ORDER = re.compile(r"/styleSheet\[1\]/(?:fonts\[1\]|dxfs\[1\]/dxf\[\d+\])/font\[\d+\]")
FONT_CHILDREN = {"b", "i", "strike", "condense", "extend", "outline", "shadow", "u",
                 "vertAlign", "sz", "color", "name", "family", "charset", "scheme"}


@pytest.fixture(scope="module")
def validator() -> OpenXmlValidator:
    return OpenXmlValidator()


def false_positive(error: Any) -> bool:
    return (error.part_uri == "/xl/styles.xml" and FONT_ORDER.fullmatch(error.path) is not None
            and error.description in {f"Unexpected element '{name}' found"
                                      for name in FONT_CHILDREN})


def schema_errors(validator: OpenXmlValidator, path: Path) -> list[str]:
    """The errors found in a file, less the false positive; warnings (such as Excel moving
    inline strings to a shared table when it saves) are not schema violations."""
    result = validator.validate(str(path))
    return [f"{error.part_uri} {error.path}: {error.description}" for error in result.errors
            if error.severity.value == "error" and not false_positive(error)]


def shipped() -> list[Path]:
    return [*sorted((ROOT / "templates").glob("*.docx")), SAMPLE_INPUTS / "plan.xlsx",
            *sorted((SAMPLE_INPUTS / "returns").glob("*.xlsx"))]


@pytest.mark.parametrize("path", shipped(), ids=lambda path: path.name)
def test_every_shipped_template_and_workbook_passes(validator: OpenXmlValidator,
                                                    path: Path) -> None:
    assert schema_errors(validator, path) == []


def test_what_a_build_writes_passes(validator: OpenXmlValidator, sample: Sample,
                                    tmp_path: Path) -> None:
    summary = build(SAMPLE_INPUTS, ROOT / "templates" / "plan-on-a-page.docx",
                    tmp_path / "plan-on-a-page.docx").outputs[0]
    written = [sample.docx, sample.report, sample.draft.outputs[0], summary]
    assert {path.name for path in written} == {
        "plan.docx", "returns-report.xlsx", "plan-on-a-page.docx"}
    assert {str(path): schema_errors(validator, path) for path in written} == {
        str(path): [] for path in written}


def test_a_blank_return_passes(validator: OpenXmlValidator, tmp_path: Path) -> None:
    written = write_blank_returns(SAMPLE_INPUTS, tmp_path).written
    assert written
    for blank in written[:2]:  # all are written alike
        assert schema_errors(validator, blank.path) == []


def test_the_check_finds_what_it_should(validator: OpenXmlValidator, tmp_path: Path) -> None:
    """The check is live: a section whose w:cols comes after w:docGrid, as the plan on a page
    once had, is found."""
    source = ROOT / "templates" / "plan-on-a-page.docx"
    broken = tmp_path / "broken.docx"
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(broken, "w") as copy:
        for item in original.infolist():
            data = original.read(item)
            if item.filename == "word/document.xml":
                data = re.sub(rb'(<w:cols w:num="3"[^>]*/>)(<w:docGrid[^>]*/>)', rb"\2\1", data)
            copy.writestr(item, data)
    assert schema_errors(validator, broken) == [
        "/word/document.xml /document[1]/body[1]/sectPr[1]: Unexpected element 'cols' found"]
