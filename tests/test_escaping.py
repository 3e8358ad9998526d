"""Partner text of any kind reaches the document exactly, and never corrupts it."""

from __future__ import annotations

from pathlib import Path

from plangen.build import build

from conftest import TEMPLATE
from docx_reading import all_text, outline, rows
from workbooks import InputsBuilder

AWKWARD = [
    'Police & PCC <b>bold</b> "quoted" and \'single\' {{ not a tag }} {% if %}',
    "Safer streets 🚓🌙 for everyone",
    "ਪੰਜਾਬੀ ਸਹਾਇਤਾ — مدد برائے متاثرین — 受害者支援 — Ελληνικά",
    "]]> </w:t> &amp; &lt; \\ ${x}",
]


def test_awkward_partner_text_survives_into_the_document(inputs: InputsBuilder,
                                                         tmp_path: Path) -> None:
    actions = inputs.returns["police.xlsx"]["Actions"]
    for text in AWKWARD:
        actions.append(["City Safe", text, "Ongoing", "Police & PCC", ""])
    inputs.returns["police.xlsx"]["Current work"].append(["Violent Crime", AWKWARD[0]])
    inputs.plan["Glossary"].append(["<&>", AWKWARD[2]])
    output = tmp_path / "plan.docx"
    build(inputs.write(tmp_path / "in"), TEMPLATE, output)

    document = outline(output)  # python-docx can open it: the XML is well formed
    table = rows(document.child("Action plan").child("City Safe").tables[0])
    key_actions = [row[0] for row in table]
    for text in AWKWARD:
        assert text in key_actions
    assert any(row[2] == "Police, PCC" for row in table)
    assert AWKWARD[0] in document.child("Violent crime").child("What we do now").texts
    assert ["<&>", AWKWARD[2]] in rows(document.child("Glossary").tables[0])
    assert "{{" not in all_text(output).replace("{{ not a tag }}", "")
