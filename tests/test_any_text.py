"""Property: whatever a partner types into action cells, plangen neither crashes nor garbles it.

The text goes into the sheet XML the way Excel stores it (XML-escaped; characters XML cannot
hold written as _xHHHH_), so control characters, XML specials, emoji, right-to-left scripts and
very long strings all reach the reader. Three actions per example: each valid one comes out in
the .docx as exactly clean_text() of what was typed (the same words twice make one row, as the
merge promises); an empty one is left out of the draft and listed as such.
"""

from __future__ import annotations

import re
import shutil
import tempfile
import zipfile
from collections.abc import Iterator
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from plangen.build import build
from plangen.inputs.values import clean_text, match_key

from conftest import TEMPLATE
from docx_reading import outline, rows
from workbooks import InputsBuilder

PLACEHOLDERS = ("ACTION-TEXT-ONE", "ACTION-TEXT-TWO", "ACTION-TEXT-THREE")
_NOT_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0d\x0e-\x1f\ufffe\uffff]")
_LOOKS_ESCAPED = re.compile("_(x[0-9A-Fa-f]{4}_)")

SPECIAL = ["", "=1+1", "<w:t>&amp;</w:t>", "{{ partnership }}", "{% if x %}", "]]>", "😀🚓",
           "مدد برائے متاثرین", "שלום", "\u202eRTL override", "\x00\x01\x1f", "\ufeff",
           "_x0041_", "\t\r\n", "Police & PCC", "\u2028", "'", '"', "\\"]
TEXT = st.one_of(
    st.text(max_size=60),
    st.builds(lambda a, b, c: a + b + c, st.sampled_from(SPECIAL), st.text(max_size=30),
              st.sampled_from(SPECIAL)),
    st.text(alphabet=st.characters(min_codepoint=0x590, max_codepoint=0x6FF), max_size=40),
    st.text(min_size=700, max_size=2500),
)


def excel_escaped(text: str) -> str:
    """Text as Excel writes it inside <t>: XML-escaped, with _xHHHH_ for what XML cannot hold."""
    text = _LOOKS_ESCAPED.sub(r"_x005F_\1", text)
    text = _NOT_IN_XML.sub(lambda m: f"_x{ord(m.group(0)):04X}_", text)
    return escape(text)


@pytest.fixture(scope="module")
def base() -> Iterator[tuple[Path, bytes]]:
    """A valid inputs folder whose police return has three Reoffending actions to fill in."""
    folder = Path(tempfile.mkdtemp(prefix="plangen-any-text-"))
    inputs = InputsBuilder()
    actions = inputs.returns["police.xlsx"]["Actions"]
    actions[2:] = [["Reoffending", placeholder, "Ongoing", "Probation", ""]
                   for placeholder in PLACEHOLDERS]
    inputs.write(folder / "inputs")
    yield folder, (folder / "inputs" / "returns" / "police.xlsx").read_bytes()
    shutil.rmtree(folder)


def write_police(folder: Path, original: bytes, texts: tuple[str, ...]) -> None:
    source = folder / "police-original.xlsx"
    source.write_bytes(original)
    target = folder / "inputs" / "returns" / "police.xlsx"
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            data = old.read(info.filename)
            if info.filename.startswith("xl/worksheets/"):
                for placeholder, text in zip(PLACEHOLDERS, texts, strict=True):
                    data = data.replace(
                        f"<t>{placeholder}</t>".encode(),
                        f'<t xml:space="preserve">{excel_escaped(text)}</t>'.encode())
            new.writestr(info, data)


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(texts=st.tuples(TEXT, TEXT, TEXT))
@example(texts=("", "\x1b\x07", "Police & PCC <w:t> =1+1 😀"))  # control characters only: empty
def test_any_action_text_is_read_checked_and_written_intact(base: tuple[Path, bytes],
                                                            texts: tuple[str, str, str]) -> None:
    folder, original = base
    write_police(folder, original, texts)
    result = build(folder / "inputs", TEMPLATE, folder / "plan.docx", draft=True)  # no crash
    rows_of_text = {3 + index: clean_text(text) for index, text in enumerate(texts)}
    empty = [row for row, text in rows_of_text.items() if not text]
    assert [line.split(":")[0].split(" (")[0] for line in result.left_out] == [
        f"returns/police.xlsx · Actions · row {row}" for row in empty]
    expected: dict[str, str] = {}
    for text in rows_of_text.values():
        if text:
            expected.setdefault(match_key(text), text)
    if not expected:
        return  # the theme's table is empty and so not in the plan
    table = rows(outline(result.outputs[0]).child("Action plan").child("Reoffending").tables[0])
    assert [row[0] for row in table[1:]] == list(expected.values())
