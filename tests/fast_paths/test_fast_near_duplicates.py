"""Near-duplicate actions: the bounded search finds exactly the pairs scoring every pair finds."""

from __future__ import annotations

from pathlib import Path
from unittest import mock

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz import fuzz, process

from plangen.inputs import checks
from plangen.inputs.checks import alike_pairs
from plangen.inputs.validate import validate

from workbooks import InputsBuilder


def every_pair(texts: list[str], cutoff: float) -> list[tuple[int, int]]:
    """The definition: every pair scored, in order."""
    return [(i, j) for i in range(len(texts)) for j in range(i + 1, len(texts))
            if fuzz.ratio(texts[i], texts[j]) >= cutoff]


# A small alphabet makes many pairs score near any cutoff, where a wrong bound would show.
_texts = st.lists(st.text(alphabet="ab c", max_size=24), max_size=30)


@settings(max_examples=300, deadline=None)
@given(texts=_texts, cutoff=st.sampled_from([0, 50, 80, 84.5, 85, 85.5, 90, 100]),
       block=st.sampled_from([1, 3, 256]))
def test_alike_pairs_are_exactly_the_pairs_at_or_over_the_cutoff(
        texts: list[str], cutoff: float, block: int) -> None:
    with mock.patch.object(checks, "_BLOCK", block):  # several blocks, and one
        assert alike_pairs(texts, cutoff) == every_pair(texts, cutoff)


@settings(max_examples=50, deadline=None)
@given(texts=_texts, cutoff=st.sampled_from([50, 85, 100]))
def test_texts_too_varied_to_bound_are_scored_pair_by_pair_with_the_same_answer(
        texts: list[str], cutoff: float) -> None:
    with mock.patch.object(checks, "MOST_LEVELS", 0):
        assert alike_pairs(texts, cutoff) == every_pair(texts, cutoff)


def test_pairs_exactly_on_the_cutoff_are_kept() -> None:
    # 17 letters in common over 40: exactly 85.
    texts = ["abcdefghijklmnopqrst", "abcdefghijklmnopqxyz", "abcdefghijklmnop1234"]
    assert fuzz.ratio(texts[0], texts[1]) == 85
    assert alike_pairs(texts, 85) == [(0, 1)] == every_pair(texts, 85)


def test_unicode_empty_and_repeated_texts_are_compared_like_any_other() -> None:
    texts = ["", "", "straße über", "strasse uber", "straße über", "\ud800x", "\ud800y", "日本語"]
    for cutoff in (0, 50, 85, 100):
        assert alike_pairs(texts, cutoff) == every_pair(texts, cutoff)


def near_duplicate_warnings(inputs: InputsBuilder, folder: Path,
                            every_pair_scored: bool) -> list[str]:
    """The near-duplicate warnings, checking which way the pairs were searched."""
    folder = inputs.write(folder)
    with mock.patch.object(process, "cdist", wraps=process.cdist) as cdist:
        checked = validate(folder)
    assert cdist.called == every_pair_scored
    return [str(problem) for problem in checked.problems if problem.code == "near-duplicate"]


def with_reworded_action(inputs: InputsBuilder, extra: str = "") -> InputsBuilder:
    """The council sends the police's first action with one word changed, among others."""
    inputs.returns["council.xlsx"]["Actions"].extend([
        ["City Safe", "Develop City Safe to sustain community safety in town.", "March 2019",
         "PCC", ""],
        ["City Safe", "Run a campaign on safety at night" + extra, "Ongoing", "PCC", ""],
        ["City Safe", "Develop City Safe to sustain communty safety.", "March 2019", "PCC", ""],
    ])
    return inputs


@pytest.mark.parametrize("most_levels", [checks.MOST_LEVELS, 0], ids=["bounded", "every pair"])
def test_near_duplicates_are_reported_whichever_way_pairs_are_searched(
        inputs: InputsBuilder, tmp_path: Path, most_levels: int) -> None:
    with mock.patch.object(checks, "MOST_LEVELS", most_levels):
        found = near_duplicate_warnings(with_reworded_action(inputs), tmp_path,
                                        every_pair_scored=not most_levels)
    assert found == [
        "returns/council.xlsx · Actions · B3 — this action is very like returns/police.xlsx · "
        'Actions · B2 from Police ("Develop City Safe to sustain community safety.") — If they '
        "are the same action, agree one wording with Police so they become one row; if not, "
        "make the difference clear.",
        "returns/council.xlsx · Actions · B5 — this action is very like returns/police.xlsx · "
        'Actions · B2 from Police ("Develop City Safe to sustain community safety.") — If they '
        "are the same action, agree one wording with Police so they become one row; if not, "
        "make the difference clear.",
    ]


def test_a_theme_with_a_text_of_very_many_characters_finds_the_same_near_duplicates(
        inputs: InputsBuilder, tmp_path: Path) -> None:
    # More different characters than the bits have room for: they share counts, which keeps
    # the bound an upper bound, so the pairs are still bounded first, with the same answer.
    varied = " " + "".join(chr(0x4E00 + index) for index in range(checks.MOST_LEVELS + 1))
    bounded = near_duplicate_warnings(with_reworded_action(inputs.copy()), tmp_path / "a",
                                      every_pair_scored=False)
    everything = near_duplicate_warnings(with_reworded_action(inputs, varied), tmp_path / "b",
                                         every_pair_scored=False)
    assert len(bounded) == 2
    assert everything == bounded


def first_of_every_pair(texts: list[str], cutoff: float, groups: list[int],
                        keys: list[int]) -> list[tuple[int, int]]:
    """The definition: for each text, the first earlier one of another group and key alike, in
    order."""
    pairs = []
    for j in range(len(texts)):
        for i in range(j):
            if groups[i] != groups[j] and keys[i] != keys[j] and \
                    fuzz.ratio(texts[i], texts[j]) >= cutoff:
                pairs.append((i, j))
                break
    return sorted(pairs)


@settings(max_examples=300, deadline=None)
@given(rows=st.lists(st.tuples(st.text(alphabet="ab c", max_size=24), st.integers(0, 2),
                               st.integers(0, 3)), max_size=30),
       cutoff=st.sampled_from([0, 50, 85, 100]), block=st.sampled_from([1, 3, 256]),
       columns=st.sampled_from([1, 2, 4096]), most_levels=st.sampled_from([4, 8, 1024]))
def test_the_first_alike_text_of_another_group_is_found_however_the_work_is_cut(
        rows: list[tuple[str, int, int]], cutoff: float, block: int, columns: int,
        most_levels: int) -> None:
    # Groups in runs, as partners are in plan order; a few bits make counts shared and capped.
    rows = sorted(rows, key=lambda item: item[1])
    texts = [text for text, _group, _key in rows]
    groups = [group for _text, group, _key in rows]
    keys = [key for _text, _group, key in rows]
    with mock.patch.object(checks, "_BLOCK", block), \
            mock.patch.object(checks, "_COLUMNS", columns), \
            mock.patch.object(checks, "MOST_LEVELS", most_levels):
        assert alike_pairs(texts, cutoff, groups, keys, first=True) == \
            first_of_every_pair(texts, cutoff, groups, keys)
        assert alike_pairs(texts, cutoff) == every_pair(texts, cutoff)


def test_long_actions_are_compared_by_their_beginning(inputs: InputsBuilder,
                                                      tmp_path: Path) -> None:
    # Two partners send the same action of 30,000 characters, the council's with more at the end.
    words = " ".join(f"step{number} of the city safe plan" for number in range(900))
    inputs.returns["police.xlsx"]["Actions"].append(
        ["City Safe", f"Deliver {words}.", "Ongoing", "Police", ""])
    inputs.returns["council.xlsx"]["Actions"].append(
        ["City Safe", f"Deliver {words} and more.", "Ongoing", "PCC", ""])
    found = near_duplicate_warnings(inputs, tmp_path, every_pair_scored=False)
    assert found == [
        "returns/council.xlsx · Actions · B3 — this action is very like returns/police.xlsx · "
        'Actions · B4 from Police ("Deliver step0 of the city safe plan step1 of the city safe…")'
        " — If they are the same action, agree one wording with Police so they become one row; "
        "if not, make the difference clear."]


def test_one_partners_many_alike_actions_are_not_compared_among_themselves(
        inputs: InputsBuilder, tmp_path: Path) -> None:
    # 300 templated actions from the police, one like them from the council: one warning, on
    # the council's row, naming the first of the police's.
    inputs.returns["police.xlsx"]["Actions"].extend(
        ["City Safe", f"Deliver the safety talks at partner school number {number}", "Ongoing",
         "Police", ""] for number in range(300))
    inputs.returns["council.xlsx"]["Actions"].append(
        ["City Safe", "Deliver the safety talks at partner school number 7000", "Ongoing",
         "PCC", ""])
    found = near_duplicate_warnings(inputs, tmp_path, every_pair_scored=False)
    assert found == [
        "returns/council.xlsx · Actions · B3 — this action is very like returns/police.xlsx · "
        'Actions · B4 from Police ("Deliver the safety talks at partner school number 0") — If '
        "they are the same action, agree one wording with Police so they become one row; if "
        "not, make the difference clear."]


def test_a_theme_with_too_many_pairs_to_compare_says_how_many_actions_were_not_checked(
        inputs: InputsBuilder, tmp_path: Path) -> None:
    inputs = with_reworded_action(inputs)
    inputs.returns["council.xlsx"]["Actions"].extend(
        ["City Safe", f"Action number {number} of many", "Ongoing", "PCC", ""]
        for number in range(20))
    with mock.patch.object(checks, "MOST_PAIRS", 2):  # council B2 and B3 against police B2
        checked = validate(inputs.write(tmp_path))
    found = [str(problem) for problem in checked.problems if problem.code == "near-duplicate"]
    assert found == [
        "returns/council.xlsx · Actions · B3 — this action is very like returns/police.xlsx · "
        'Actions · B2 from Police ("Develop City Safe to sustain community safety.") — If they '
        "are the same action, agree one wording with Police so they become one row; if not, "
        "make the difference clear.",
        'returns/council.xlsx · Actions · B4 — the theme "City Safe" has too many actions from '
        "different partners to compare each with every other: this action and the 21 after "
        "it were not checked for near duplicates — Check the returns for actions sent many "
        "times over; with fewer, the check runs in full."]
