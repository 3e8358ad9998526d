"""How cell values people type are understood."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from plangen.inputs.months import parse_timescale
from plangen.inputs.values import clean_text, match_key, parse_yes_no, split_leads


@pytest.mark.parametrize("typed", [
    "September 2018", "Sept 2018", "Sep 2018", "september  2018", "Sep-18", "09/2018",
    "9/2018", "2018-09", "30/09/2018", "Sept. 2018", "SEPTEMBER 2018", "2018 Sep",
    datetime(2018, 9, 30), date(2018, 9, 1), "end of September 2018", "Sep '18",
])
def test_a_month_in_any_common_spelling_is_understood(typed: object) -> None:
    assert parse_timescale(typed).month == date(2018, 9, 1)
    assert parse_timescale(typed).text == "September 2018"


@pytest.mark.parametrize("typed", ["Ongoing", "ongoing ", "On-going", "ON GOING"])
def test_ongoing_is_understood(typed: str) -> None:
    assert parse_timescale(typed).ongoing
    assert str(parse_timescale(typed)) == "Ongoing"


@pytest.mark.parametrize("typed", ["soon", "Q3", "13/2018", "Smarch 2018", "2018", "asap"])
def test_anything_else_is_not_a_timescale(typed: str) -> None:
    with pytest.raises(ValueError, match="is not \"Ongoing\" or a month and year"):
        parse_timescale(typed)


@pytest.mark.parametrize(("typed", "leads"), [
    ("Police/ CSC/ Forum members", ("Police", "CSC", "Forum members")),
    ("PCC, Police", ("PCC", "Police")),
    ("Police and PCC", ("Police", "PCC")),
    ("Probation /Public Health /Treatment Services",
     ("Probation", "Public Health", "Treatment Services")),
    ("CSP Analyst/CLCRC/ /task and finish group",
     ("CSP Analyst", "CLCRC", "task and finish group")),
    ("CLCRC/ task and finish group.", ("CLCRC", "task and finish group")),
    ("Police; police ;POLICE", ("Police",)),
    ("Police\nPCC", ("Police", "PCC")),
    ("Police & PCC", ("Police", "PCC")),
])
def test_leads_become_one_clean_list(typed: str, leads: tuple[str, ...]) -> None:
    known = {"police", "pcc", "csc", "forum members", "clcrc", "csp analyst", "probation"}
    assert split_leads(typed, known) == leads


def test_and_inside_a_lead_name_does_not_split_it() -> None:
    assert split_leads("Early Action and Intervention Team", {"police"}) == (
        "Early Action and Intervention Team",)


def test_text_loses_characters_word_cannot_store_and_extra_spaces() -> None:
    assert clean_text("Fewer  cases\x0bof\tDomestic\n Abuse ") == "Fewer cases of Domestic Abuse"
    assert clean_text(2016.0) == "2016"


def test_match_key_ignores_case_spacing_quotes_and_a_final_full_stop() -> None:
    assert match_key("Support the local providers’ forum.") == match_key(
        "support the  local providers' forum")


@pytest.mark.parametrize(("typed", "value"), [("Yes", True), ("y", True), ("NEW", True),
                                               ("", False), ("No", False), (True, True)])
def test_yes_no(typed: object, value: bool) -> None:
    assert parse_yes_no(typed) is value


def test_yes_no_rejects_other_words() -> None:
    with pytest.raises(ValueError, match='"maybe" is not "Yes" or "No"'):
        parse_yes_no("maybe")
