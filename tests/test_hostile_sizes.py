"""Hostile sizes: cells and returns far larger than any partner writes still give every problem,
once, with the same answers as the checks meant. Speed is measured by `make bench`, not here."""

from __future__ import annotations

import re
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from plangen.inputs import checks
from plangen.inputs.validate import validate
from plangen.inputs.values import acronyms, split_leads, uneven_separators

from workbooks import InputsBuilder


def test_a_cell_of_many_different_capitalised_words_is_summarised_with_their_number(
        inputs: InputsBuilder, tmp_path: Path) -> None:
    words = [f"Q{chr(65 + first)}{chr(65 + second)}" for first in range(26)
             for second in range(26)][:checks.MOST_ACRONYMS + 40]
    inputs.returns["police.xlsx"]["Actions"].append(
        ["City Safe", " ".join(words), "Ongoing", "Police", ""])
    checked = validate(inputs.write(tmp_path))
    found = [problem for problem in checked.problems
             if problem.code == "acronym-not-in-glossary"]
    assert len(found) == checks.MOST_ACRONYMS + 1
    assert {str(problem.where) for problem in found} == {"returns/police.xlsx · Actions · B4"}
    assert [problem.message for problem in found[:2]] == [
        '"QAA" looks like an acronym, but the glossary does not explain it',
        '"QAB" looks like an acronym, but the glossary does not explain it']
    assert found[-1].message == (
        "40 more words in this file look like acronyms the glossary does not explain, beyond "
        f'the {checks.MOST_ACRONYMS} listed: "QAZ", "QBA", "QBB" and 37 others')
    assert found[-1].fix.startswith("Check the text: so many may have been pasted by mistake.")


def test_an_acronym_used_in_thousands_of_rows_is_reported_once_naming_a_few(
        inputs: InputsBuilder, tmp_path: Path) -> None:
    inputs.returns["police.xlsx"]["Actions"].extend(
        ["City Safe", f"Work with HMP on release plan {number}", "Ongoing", "Police", ""]
        for number in range(2000))
    checked = validate(inputs.write(tmp_path))
    found = [str(problem) for problem in checked.problems if '"HMP"' in problem.message]
    assert found == [
        'returns/police.xlsx · Actions · B4 — "HMP" looks like an acronym, but the glossary '
        "does not explain it (also used in returns/police.xlsx · Actions · B5; "
        "returns/police.xlsx · Actions · B6; returns/police.xlsx · Actions · B7 and 1996 "
        'more) — Add "HMP" and its meaning to the Glossary sheet of plan.xlsx, or write it out '
        "in full."]


def test_long_runs_of_capitals_and_spaces_give_the_same_answers() -> None:
    run = 30_000  # each took seconds, growing with the square of the run, before
    assert acronyms("A" * run + "x OPCC") == ["OPCC"]
    assert acronyms("A" * run) == ["A" * run]
    assert split_leads("Police" + " " * run + "PCC") == ("Police" + " " + "PCC",)
    assert split_leads("Police" + " " * run + "/ PCC") == ("Police", "PCC")
    assert uneven_separators("Police" + " " * run + "PCC") == ()
    assert uneven_separators("Police/" + "\t" * run + "PCC, BID") == ("/" + "\t" * run, ", ")


# The patterns as they were, which backtracked over long runs: the definition of the answers.
_HARD = re.compile(r"\s*(?:/|\\|,|;|\||\n|\r)\s*")
_SOFT = re.compile(r"\s+(?:and|&|\+)\s+", re.IGNORECASE)
_SEPARATOR = re.compile(r"[ \t]*[/,;|\\][ \t]*")
_ACRONYM = re.compile(r"(?<![\w'’-])([A-Z][A-Z0-9]*[A-Z][A-Z0-9]*)(?:s|'s|’s)?(?![\w'’])")
_PIECES = [" ", "  ", "\t", "\n", "\r", "/", ",", ";", "|", "\\", "a", " and ", "AND", "&", "+",
           "A", "B", "AB", "1", "s", "'s", "’", "x", "-", "IV", "NEW"]


@settings(max_examples=2000, deadline=None)
@given(text=st.lists(st.sampled_from(_PIECES), max_size=14).map("".join))
def test_the_linear_patterns_find_what_the_backtracking_ones_found(text: str) -> None:
    from plangen.inputs import values

    assert values._HARD_SEPARATORS.split(text) == _HARD.split(text)
    assert values._SOFT_SEPARATORS.split(text) == _SOFT.split(text)
    assert values._SEPARATOR.findall(text) == _SEPARATOR.findall(text)
    words = [match.group(1) for match in _ACRONYM.finditer(text)]
    assert acronyms(text) == list(dict.fromkeys(
        word for word in words if word not in values.NOT_ACRONYMS
        and not re.fullmatch("[IVXLCDM]+", word)))
