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


def test_a_theme_with_a_text_too_varied_to_bound_still_finds_its_near_duplicates(
        inputs: InputsBuilder, tmp_path: Path) -> None:
    # A thousand different characters make the letter counts too wide to bound cheaply.
    varied = " " + "".join(chr(0x4E00 + index) for index in range(checks.MOST_LEVELS + 1))
    bounded = near_duplicate_warnings(with_reworded_action(inputs.copy()), tmp_path / "a",
                                      every_pair_scored=False)
    everything = near_duplicate_warnings(with_reworded_action(inputs, varied), tmp_path / "b",
                                         every_pair_scored=True)
    assert len(bounded) == 2
    assert everything == bounded
