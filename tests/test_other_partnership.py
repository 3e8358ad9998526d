"""Another partnership's plan, built from its own workbooks, has nothing of the Preston sample
in it: not in the plan, its web page, the plan on a page, the returns report, nor in any
blank return its partners get. And it says the title, partnership and introduction as its
coordinator typed them."""

from __future__ import annotations

import re
import subprocess
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from docx import Document
from lxml import etree
from lxml import html as lxml_html
from openpyxl import load_workbook

from plangen.build import build
from plangen.inputs.blank import write_blank_returns
from plangen.inputs.schema import SETTINGS

from conftest import ROOT, SAMPLE_INPUTS, TEMPLATE, need_program
from workbooks import Rows, partner_return, write_workbook

SUMMARY = ROOT / "templates" / "plan-on-a-page.docx"

#: Kelmoor shares no name with Preston: not a theme, priority, partner, source or place.
KELMOOR: dict[str, Rows] = {
    "Settings": [["Setting", "Value"], ["Partnership", "Kelmoor Safer Streets Board"],
                 ["Area", "Kelmoor"], ["Plan title", "2019-20"],
                 ["Plan starts", "April 2019"], ["Plan ends", "March 2020"]],
    "Sources": [["Source"], ["Kelmoor Residents Survey 2018"], ["Kelmoor Harm Review"],
                ["Fire Incident Data"]],
    "Priorities": [["Priority", "Page title"], ["Road Harm", "Fewer road injuries"],
                   ["Fraud", "Fraud and scams"]],
    "Statistics": [["Priority", "Statistic", "Fact"],
                   ["Road Harm", "Collisions", "Up 8% on last year"],
                   ["Fraud", "Reports", "410 reports of doorstep scams"]],
    "Aims": [["Priority", "Aim"], ["Road Harm", "Fewer people hurt on our roads"],
             ["Fraud", "Residents who spot a scam"]],
    "Commitments": [["Priority", "Commitment"], ["Road Harm", "Speed checks near schools"],
                    ["Fraud", "Talks in libraries"]],
    "Themes": [["Theme", "Priorities"], ["Night Economy", "Road Harm."],
               ["Scams Awareness", "Fraud."]],
    "Glossary": [["Acronym", "Meaning"], ["KFR", "Kelmoor Fire and Rescue"]],
    "Partners": [["Partner", "Full name", "Sends a return", "Other names"],
                 ["Fire and Rescue", "Kelmoor Fire and Rescue", "Yes", "KFR"],
                 ["Housing Trust", "Kelmoor Housing Trust", "Yes", ""],
                 ["Licensing", "Kelmoor Licensing Unit", "No", ""]],
}
KELMOOR_RETURNS = {
    "fire.xlsx": partner_return("Fire and Rescue", [
        ["Night Economy", "Fit smoke alarms in the flats above late bars with KFR crews.",
         "June 2019", "Fire and Rescue", "Yes"],
        ["Scams Awareness", "Warn tenants about doorstep callers.", "April 2020",
         "Fire and Rescue, Housing Trust", ""]],
        [["Road Harm", "Driving talks for new drivers"]]),
    "housing.xlsx": partner_return("Housing Trust", [
        ["Scams Awareness", "Send every tenant a letter on phone scams.", "Ongoing",
         "Housing Trust", ""]],
        [["Fraud", "Tenant newsletter"]]),
}

#: Words any plan's fixed wording needs, whoever makes it (the blank returns' "Setting | Value",
#: "scheme, service or activity", the file's keywords "community safety; partnership plan"),
#: and "Office", of the "Office Theme" in every Office file.
COMMON = {"and", "for", "of", "the", "action", "community", "safety", "partnership", "service",
          "services", "setting", "office"}
#: Named by the issue, whatever the sample's sheets hold.
NAMED = ("Preston", "City Safe", "Street Pastors", "CCTV", "PCC", "Lancashire", "Police")


def sample_words() -> set[str]:
    """Every word of the sample's own names, from its plan.xlsx: its partnership and area, its
    sources, priorities, themes and partners (names, full names, other names)."""
    book = load_workbook(SAMPLE_INPUTS / "plan.xlsx", read_only=True)
    names: list[object] = [value for key, value in book["Settings"].iter_rows(
        min_row=2, max_col=2, values_only=True) if key in ("Partnership", "Area")]
    for sheet, columns in (("Sources", 1), ("Priorities", 2), ("Themes", 1), ("Partners", 4)):
        for row in book[sheet].iter_rows(min_row=2, values_only=True):
            names += [row[index] for index in range(columns) if index != 2]  # not "Yes"
    words = {word for name in names if name
             for word in re.findall(r"[A-Za-z][A-Za-z’']*[A-Za-z]", str(name))}
    return {word for word in words if word.casefold() not in COMMON} | set(NAMED)


def texts(path: Path) -> Iterator[tuple[str, str]]:
    """Every text a person or a program may show of a file, part by part: its text and its
    attributes (alt text, input messages, properties), never markup or CSS."""
    if path.suffix == ".html":
        page = lxml_html.document_fromstring(path.read_bytes())
        for style in page.xpath("//style"):
            style.getparent().remove(style)
        attributes = [value for element in page.iter() if isinstance(element.tag, str)
                      for name, value in element.attrib.items() if name not in ("class", "id")]
        yield "", " ".join([page.text_content(), *attributes])
        return
    with zipfile.ZipFile(path) as package:
        for name in package.namelist():
            if name.endswith((".xml", ".rels")):
                root = etree.fromstring(package.read(name))
                values = [value for element in root.iter() for value in element.attrib.values()]
                yield name, " ".join([*root.itertext(), *values])


@dataclass(frozen=True)
class Built:
    plan: Path
    page: Path
    summary: Path
    report: Path
    returns: tuple[Path, ...]

    @property
    def files(self) -> tuple[Path, ...]:
        return (self.plan, self.page, self.summary, self.report, *self.returns)


@pytest.fixture(scope="module")
def kelmoor(tmp_path_factory: pytest.TempPathFactory) -> Built:
    folder = tmp_path_factory.mktemp("kelmoor")
    inputs = folder / "inputs"
    write_workbook(inputs / "plan.xlsx", KELMOOR)
    for name, sheets in KELMOOR_RETURNS.items():
        write_workbook(inputs / "returns" / name, sheets)
    result = build(inputs, TEMPLATE, folder / "out" / "plan.docx", html=True)
    summary = build(inputs, SUMMARY, folder / "summary" / "plan-on-a-page.docx").outputs[0]
    blanks = write_blank_returns(inputs, folder / "returns")
    unlisted = write_blank_returns(inputs, folder / "returns", "Kelmoor Libraries")
    return Built(result.outputs[0], result.outputs[1], summary, result.report,
                 tuple(w.path for w in (*blanks.written, *unlisted.written)))


def test_no_word_of_the_sample_is_in_anything_another_partnership_sends_or_publishes(
        kelmoor: Built) -> None:
    words = sample_words()
    assert {"Preston", "Genga", "Reoffending", "Violent", "Lancashire", "BID"} <= words
    assert len(kelmoor.returns) == 3
    found = []
    for path in kelmoor.files:
        for part, text in texts(path):
            for word in words:
                pattern = rf"(?<![A-Za-z]){re.escape(word)}(?![A-Za-z])"
                if re.search(pattern, text, 0 if word.isupper() else re.IGNORECASE):
                    found.append(f"{path.name} {part}: {word}")
    assert found == []


def test_the_blank_returns_give_the_partnerships_own_names_as_examples(kelmoor: Built) -> None:
    book = load_workbook(kelmoor.returns[0])
    prompts = {validation.promptTitle: validation.prompt
               for sheet in ("Actions", "Current work")
               for validation in book[sheet].data_validations.dataValidation}
    assert prompts["Theme"].endswith("For example: Night Economy")
    assert prompts["Priority"].endswith("For example: Road Harm")
    assert prompts["Timescale"].endswith("For example: March 2020")
    assert prompts["Leads"].endswith("For example: Fire and Rescue, Housing Trust")
    instructions = "\n".join(str(cell.value) for (cell,) in book["Instructions"].iter_rows(
        min_col=2, max_col=2) if cell.value)
    assert instructions.startswith("Fire and Rescue: your return for “2019-20”")
    assert "for the plan “2019-20” of the Kelmoor Safer Streets Board." in instructions
    assert 'for example "Fire and Rescue, Housing Trust"' in instructions
    assert "• Theme (must be filled in): Pick the action-plan theme from the list. For " \
           "example: Night Economy" in instructions


def test_a_plan_titled_2019_20_is_printed_as_typed_with_its_partnership_once(
        kelmoor: Built) -> None:
    document = Document(str(kelmoor.plan))
    cover = [(p.style.name if p.style is not None else "", p.text)
             for p in document.paragraphs[:4]]
    assert cover == [
        ("Title", "2019-20"), ("Cover Partnership", "Kelmoor Safer Streets Board"),
        ("Subtitle", "April 2019 to March 2020"),
        ("Intro Text", "This plan is written in consultation with partners and based on data "
                       "provided by Kelmoor Residents Survey 2018, Kelmoor Harm Review and Fire "
                       "Incident Data.")]
    assert document.core_properties.title == "Kelmoor Safer Streets Board: 2019-20"
    assert document.core_properties.author == "Kelmoor Safer Streets Board"
    footer = document.sections[0].footer.paragraphs[0].text
    assert footer.startswith("Kelmoor Safer Streets Board: 2019-20\t")
    page = lxml_html.document_fromstring(kelmoor.page.read_bytes())
    assert page.findtext(".//title") == "Kelmoor Safer Streets Board: 2019-20"
    assert " ".join(page.find(".//h1").text_content().split()) == (
        "Kelmoor Safer Streets Board 2019-20")
    assert page.find(".//footer").text_content().strip() == "Kelmoor Safer Streets Board: 2019-20"
    summary = Document(str(kelmoor.summary))
    assert [p.text for p in summary.paragraphs[:2]] == [
        "2019-20", "Kelmoor Safer Streets Board · The plan on a page"]
    assert summary.core_properties.title == (
        "Kelmoor Safer Streets Board: 2019-20: the plan on a page")


def wyre(tmp_path: Path, title: str, partnership: str = "Wyre Community Safety Partnership",
         **settings: str) -> Path:
    """Kelmoor's workbooks with the Wyre partnership's name and the given title and settings."""
    plan = {name: [list(row) for row in rows] for name, rows in KELMOOR.items()}
    plan["Settings"] = [["Setting", "Value"], ["Partnership", partnership], ["Area", "Wyre"],
                        ["Plan title", title], ["Plan starts", "April 2018"],
                        ["Plan ends", "March 2019"],
                        *([SETTINGS.column(key).header, value] for key, value in settings.items())]
    inputs = tmp_path / "inputs"
    write_workbook(inputs / "plan.xlsx", plan)
    for name, sheets in KELMOOR_RETURNS.items():
        write_workbook(inputs / "returns" / name, sheets)
    return inputs


def test_a_title_that_names_the_partnership_is_not_doubled_and_the_introduction_is_as_typed(
        tmp_path: Path) -> None:
    title = "Wyre Community Safety Partnership Plan 2018-19"
    intro = "Our third plan: what Wyre's partners will do, & how we will know it worked."
    result = build(wyre(tmp_path, title, introduction=intro), TEMPLATE,
                   tmp_path / "out" / "plan.docx", html=True)
    document = Document(str(result.outputs[0]))
    assert [p.text for p in document.paragraphs[:3]] == [title, "April 2018 to March 2019", intro]
    assert document.core_properties.title == title
    assert document.sections[0].footer.paragraphs[0].text.startswith(f"{title}\t")
    page = lxml_html.document_fromstring(result.outputs[1].read_bytes())
    assert page.findtext(".//title") == title
    assert " ".join(page.find(".//h1").text_content().split()) == title
    assert page.find(".//p[@class='intro']").text_content() == intro
    everything = " ".join(text for path in result.outputs for _, text in texts(path))
    assert "2018 to 2019" not in everything
    assert "Partnership Wyre" not in everything and "Partnership Partnership" not in everything


def test_one_source_and_a_source_ending_in_a_full_stop_read_as_one_sentence(
        tmp_path: Path) -> None:
    inputs = wyre(tmp_path, "Plan")
    plan = load_workbook(inputs / "plan.xlsx")
    sources = plan["Sources"]
    sources.delete_rows(3, 2)
    sources["A2"] = "Wyre Strategic Assessment."
    plan.save(inputs / "plan.xlsx")
    result = build(inputs, TEMPLATE, tmp_path / "out" / "plan.docx")
    [intro] = [paragraph for paragraph in Document(str(result.outputs[0])).paragraphs
               if paragraph.style is not None and paragraph.style.name == "Intro Text"]
    assert intro.text == (
        "This plan is written in consultation with partners and based on data provided by "
        "Wyre Strategic Assessment.")


LONG = ("Wyre Community Safety Partnership Plan for Fleetwood, Thornton-Cleveleys, Poulton and "
        "Garstang 2018-19")
#: The widest title the footer keeps whole: 65 characters, in capitals.
CAPITALS = "WYRE CSP: COMMUNITY SAFETY PARTNERSHIP PLAN 2018-19 FOR ALL OF US"


@pytest.mark.parametrize(("title", "partnership", "whole"), [
    (LONG, "Wyre Community Safety Partnership", False),
    (CAPITALS, "WYRE CSP", True),
    ("2018-19", "Wyre Community Safety Partnership", True)])
def test_the_footer_never_wraps_however_long_the_title(tmp_path: Path, title: str,
                                                       partnership: str, whole: bool) -> None:
    need_program("soffice", "libreoffice")
    need_program("pdftotext")
    result = build(wyre(tmp_path, title, partnership), TEMPLATE, tmp_path / "out" / "plan.docx",
                   pdf=True)
    shown = Document(str(result.outputs[0])).sections[0].footer.paragraphs[0].text.split("\t")[0]
    assert (shown == title or shown == f"{partnership}: {title}") is whole
    assert len(shown) <= 65 and (whole or shown.endswith("..."))
    pdf = result.outputs[-1]
    for page in ("1", "2"):
        lines = subprocess.run(["pdftotext", "-layout", "-f", page, "-l", page, str(pdf), "-"],
                               capture_output=True, text=True, check=True).stdout.splitlines()
        [footer] = [line for line in lines if f"Page {page} of" in line]
        assert footer.strip().startswith(shown), "the footer is on one line"
