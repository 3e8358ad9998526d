"""Last year's actions in this year's returns: which carry over, keeping their references,
which were completed or dropped, which are new, and which no return mentions.

With last year's plan in the inputs (plangen.inputs.previous), each action row of a return is
- **carried**, when its Reference is one of last year's (typed any way plangen.inputs.references
  reads: "cs 3" is CS-03) and This year is empty, "Continues" or "Continues, changed": it keeps
  that reference, is not NEW, and rows of several returns with the same reference are one
  action, whatever their words;
- **closed**, when This year is "Completed" or "Dropped": it is not in the plan, but in its
  "Changes since last year" (with the Reason);
- **new** otherwise: it gets a reference after every number its theme's code has had
  (plangen.inputs.merge), and is NEW.

A row without a Reference whose words are exactly those of one of last year's actions is that
action (its reference was cleared), with a warning; one that only reads like one gets a warning
naming it. A Reference last year's plan does not have, one given twice in a return, or given to
rows that disagree (another theme, completed in one return and continuing in another) is an
error at its cell, with "did you mean". Without last year's plan, NEW is as the returns say,
a Reference or This year is a warning (once per return), and Completed or Dropped rows are
still left out of the plan.

Everything here is worked out before the checks across returns (plangen.inputs.across), so that
they see each action as the plan will have it.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

import pandas as pd
from rapidfuzz import fuzz, process

from plangen.inputs.coordinator import Coordinator
from plangen.inputs.previous import Previous
from plangen.inputs.read import Book
from plangen.inputs.references import parse_reference, reference_parts
from plangen.inputs.returns import RejectedRow, ReturnCount, Returns
from plangen.inputs.schema import (
    ACTIONS,
    COMPLETED,
    DROPPED,
    STATISTICS,
)
from plangen.inputs.values import clean_text, match_key
from plangen.model import (
    Action,
    ActionChange,
    CellRef,
    Changes,
    FieldChange,
    Period,
    Plan,
    Theme,
)
from plangen.problems import Collector
from plangen.text import shorten

#: How alike (rapidfuzz's ratio, 0 to 100) a new action's words must be to one of last year's
#: for a warning that it may be that action with its reference left out.
READS_LIKE = 90
#: The group key a carried row is merged under: its reference, never anyone's words.
_REFERENCE_KEY = "\x00reference:"


@dataclass(frozen=True)
class ClosedRow:
    """A row that says last year's action was completed or dropped."""

    file: str
    partner: str
    sheet: str
    row: int
    reference: str
    carry: str  # COMPLETED or DROPPED
    reason: str
    text: str  # as the row has it


@dataclass(frozen=True)
class Carried:
    """The returns with each action row's reference and NEW worked out, closed rows taken out,
    and the rows this check rejected counted as rejected."""

    returns: Returns
    closed: tuple[ClosedRow, ...] = ()
    #: Every reference of last year's that some row of this year's returns gives (read or
    #: rejected): the rest were not returned.
    mentioned: frozenset[str] = frozenset()


def reference_key(reference: str) -> str:
    """The merge's group key of the rows carrying `reference`."""
    return f"{_REFERENCE_KEY}{reference}"


def check_carried(previous: Previous | None, books: Sequence[Book], returns: Returns,
                  period: Period | None, found: Collector) -> Carried:
    """Work out each action row's reference, NEW and fate against last year's plan."""
    actions = returns.actions
    if actions.empty:
        return Carried(returns, (), _mentioned(previous, books))
    if previous is None:
        return _without_previous(returns, found)
    return _against(previous, books, returns, period, found)


def _without_previous(returns: Returns, found: Collector) -> Carried:
    """No previous plan: references mean nothing (a warning per return); Completed and
    Dropped rows are left out all the same."""
    frame = returns.actions
    warned: set[str] = set()
    for file, sheet, row, ref, carry in _columns(frame, "file", "sheet", "row", "reference",
                                                  "carry"):
        if (ref or carry) and file not in warned:
            warned.add(file)
            key = "reference" if ref else "carry"
            found.warning(returns.ref(file, sheet, key, row),
                          f"this return gives last year's references (or says what became of "
                          f"last year's actions), but the inputs hold no previous plan "
                          f"({_PREVIOUS}), so they are not used",
                          f"Put last year's plan.json in the inputs folder as {_PREVIOUS} "
                          "(plangen new --from does it), or ignore this to build without "
                          "comparing with last year.", "no-previous-plan")
    frame = frame.assign(reference="")
    return _closing(returns, frame, {}, found)


_PREVIOUS = "previous-plan.json"


def _against(previous: Previous, books: Sequence[Book], returns: Returns,
             period: Period | None, found: Collector) -> Carried:
    frame = returns.actions
    last_year = previous.actions
    lookup = _lookup(last_year)
    words = _by_words(last_year)
    texts_by_theme: dict[str, list[tuple[str, str]]] = {}
    for ref, (theme, action) in last_year.items():
        texts_by_theme.setdefault(theme.name, []).append((ref, action.text))
    references: list[str] = []
    rejected: list[int] = []
    first_in_file: dict[tuple[str, str], int] = {}  # (file, reference) -> row
    first_theme: dict[str, tuple[str, str]] = {}  # reference -> (theme, where)
    by_words_only: dict[tuple[str, str], list[int]] = {}  # (file, sheet) -> [carried, new]
    for index, (file, sheet, row, typed, carry, text, theme, key, new) in enumerate(_columns(
            frame, "file", "sheet", "row", "reference", "carry", "action", "theme", "key",
            "new")):
        has_column = "reference" in returns.letters.get((file, sheet), {})
        cell = returns.ref(file, sheet, "reference" if has_column else "action", row)
        same_words = words.get((theme, key)) or words.get(("", key), "")
        ref = ""
        if typed:
            ref = lookup.get(_compact(typed), "")
            if not ref:
                hint = same_words or _closest_reference(typed, lookup)
                found.error(cell, f"{typed} is not a reference in last year's plan"
                            + (f" — did you mean {hint}"
                               f" (“{shorten(last_year[hint][1].text)}”)?" if hint else ""),
                            "Give the reference exactly as your pre-filled return had it, or "
                            "leave it empty if this is a new action.", "unknown-reference")
                rejected.append(index)
                references.append("")
                continue
        elif same_words and not has_column:
            ref = same_words  # a return without the column: said once, below
            by_words_only.setdefault((file, sheet), [0, 0])[0] += 1
        elif same_words:
            ref = same_words
            found.warning(cell, f"this is last year's {ref} word for word, but its Reference "
                          f"is empty: it is kept as {ref}",
                          f"Put {ref} back in the Reference cell; if this really is a new "
                          "action, word it differently from last year's.", "cleared-reference")
        elif carry:
            hint = _reads_like(text, texts_by_theme.get(theme, ()))
            found.error(returns.ref(file, sheet, "carry", row),
                        f'This year says "{carry}", but the row has no Reference to say which '
                        "of last year's actions it is"
                        + (f" — did you mean {hint}?" if hint else ""),
                        "Give the action's reference from your pre-filled return, or leave "
                        "This year empty for a new action.", "carry-without-reference")
            rejected.append(index)
            references.append("")
            continue
        else:
            if not has_column:
                by_words_only.setdefault((file, sheet), [0, 0])[1] += 1
            hint = _reads_like(text, texts_by_theme.get(theme, ()))
            if hint:
                found.warning(cell, f"this new action reads like last year's {hint} "
                              f"(“{shorten(last_year[hint][1].text)}”)",
                              f"If it is {hint} carried over, give that reference here; if it "
                              "is new, ignore this.", "reads-like-last-year")
        if ref:
            earlier = first_in_file.get((file, ref))
            if earlier is not None:
                found.error(cell, f"{ref} is also on row {earlier} of this sheet",
                            "Give each of last year's actions one row: delete this one, or "
                            "clear its Reference if it is a new action.", "duplicate-reference")
                rejected.append(index)
                references.append("")
                continue
            first_in_file[(file, ref)] = row
            if carry not in (COMPLETED, DROPPED):
                seen = first_theme.setdefault(ref, (theme, str(cell)))
                if seen[0] != theme:
                    found.error(returns.ref(file, sheet, "theme", row),
                                f'{ref} is under the theme "{seen[0]}" in {seen[1]}, but '
                                f'here under "{theme}"',
                                "Agree one theme for the action with the other partner and "
                                "use it in both returns.", "conflicting-theme")
                    rejected.append(index)
                    references.append("")
                    continue
            if new:
                found.warning(returns.ref(file, sheet, "new", row),
                              f'New says Yes, but this is last year\'s {ref} carried over, so '
                              "the plan does not mark it NEW",
                              "Clear New (a pre-filled return has no New column: the plan "
                              "works out what is new).", "new-but-carried")
            _deadline(ref, carry, frame, index, period, returns, found)
        references.append(ref)
    for (file, sheet), (kept, new_count) in by_words_only.items():
        found.warning(CellRef(file, sheet), "this return has no Reference column (it is not "
                      "the pre-filled one), so its actions were matched with last year's by "
                      f"their words: {kept} carried over as last year's, {new_count} new",
                      "Nothing to do if that is right. An action whose words changed is new "
                      "here: to keep its reference, give it in a Reference column (the "
                      "pre-filled returns plangen writes have one).", "matched-by-words")
    frame = frame.assign(reference=references)
    frame["new"] = [not ref for ref in references]
    frame["key"] = [reference_key(ref) if ref else key
                    for ref, key in zip(references, frame["key"].tolist(), strict=True)]
    frame, more = _drop(frame, rejected, returns)
    carried = _closing(replace(returns, actions=frame, counts=more[0], rejected=more[1]),
                       frame, last_year, found)
    return replace(carried, mentioned=_mentioned(previous, books))


def _closing(returns: Returns, frame: pd.DataFrame, last_year: Mapping[str, Any],
             found: Collector) -> Carried:
    """Take the Completed and Dropped rows out of the actions; a dropped one without a Reason,
    or a reference both closed and continued, is said."""
    closed: list[ClosedRow] = []
    rejected: list[int] = []
    continuing: dict[str, str] = {}
    closing: dict[str, tuple[str, str]] = {}
    for ref, carry, file, sheet, row in _columns(frame, "reference", "carry", "file", "sheet",
                                                 "row"):
        if ref and carry not in (COMPLETED, DROPPED):
            continuing.setdefault(ref, str(returns.ref(file, sheet, "carry", row)))
    for index, (file, partner, sheet, row, ref, carry, reason, text) in enumerate(_columns(
            frame, "file", "partner", "sheet", "row", "reference", "carry", "reason",
            "action")):
        if carry not in (COMPLETED, DROPPED):
            continue
        cell = returns.ref(file, sheet, "carry", row)
        if ref in continuing:
            found.error(cell, f'{ref} is "{carry}" here, but continues in {continuing[ref]}',
                        "Agree with the other partner whether the action continues, and say "
                        "the same in both returns.", "conflicting-carry")
            rejected.append(index)
            continue
        if ref and ref in closing and closing[ref][0] != carry:
            found.error(cell, f'{ref} is "{carry}" here, but "{closing[ref][0]}" in '
                        f"{closing[ref][1]}", "Agree with the other partner what became of "
                        "the action, and say the same in both returns.", "conflicting-carry")
            rejected.append(index)
            continue
        if ref:
            closing.setdefault(ref, (carry, str(cell)))
        reason = clean_text(reason)
        if carry == DROPPED and not reason:
            found.warning(returns.ref(file, sheet, "reason", row),
                          f"{ref or 'this action'} is dropped without a reason",
                          "Say in a few words why it is dropped: the plan lists it under "
                          "Changes since last year.", "dropped-without-reason")
        closed.append(ClosedRow(file, partner, sheet, row, ref, carry, reason,
                                clean_text(text)))
    frame, (counts, rejected_rows) = _drop(frame, rejected, returns)
    closed_rows = {(row.file, row.row) for row in closed}
    kept = [(file, row) not in closed_rows
            for file, row in zip(frame["file"].tolist(), frame["row"].tolist(), strict=True)]
    frame = frame[kept].reset_index(drop=True)
    return Carried(replace(returns, actions=frame, counts=counts, rejected=rejected_rows),
                   tuple(closed))


def _by_words(last_year: Mapping[str, tuple[Theme, Action]]) -> dict[tuple[str, str], str]:
    """Last year's references by (theme, words), and by ("", words) for words that only one
    of last year's actions had: a row is matched by its words in its own theme, or in any
    theme where that cannot be another action."""
    found: dict[tuple[str, str], str] = {}
    anywhere: dict[str, list[str]] = {}
    for ref, (theme, action) in last_year.items():
        key = match_key(action.text)
        found.setdefault((theme.name, key), ref)
        anywhere.setdefault(key, []).append(ref)
    for key, refs in anywhere.items():
        if len(refs) == 1:
            found[("", key)] = refs[0]
    return found


def _deadline(ref: str, carry: str, frame: pd.DataFrame, index: int, period: Period | None,
              returns: Returns, found: Collector) -> None:
    """A carried action whose deadline passed before this plan starts."""
    if period is None or carry in (COMPLETED, DROPPED):
        return
    timescale = frame["timescale"].iat[index]
    month = timescale.month if timescale is not None else None
    if month is None or month >= period.start:
        return
    found.warning(returns.ref(frame["file"].iat[index], frame["sheet"].iat[index], "timescale",
                              int(frame["row"].iat[index])),
                  f"{ref} was due by {timescale.text}, before this plan starts "
                  f"({period.start:%B %Y})",
                  'Give it a new timescale if it continues (or "Ongoing"); if it is done, '
                  f'write "{COMPLETED}" under This year.', "carried-deadline-passed")


def _drop(frame: pd.DataFrame, rejected: Sequence[int], returns: Returns
          ) -> tuple[pd.DataFrame, tuple[tuple[ReturnCount, ...], tuple[RejectedRow, ...]]]:
    """The frame without the rows at `rejected`, which are counted as rejected."""
    if not rejected:
        return frame, (returns.counts, returns.rejected)
    out = set(rejected)
    rows = [RejectedRow(frame["file"].iat[index], frame["partner"].iat[index],
                        frame["sheet"].iat[index], int(frame["row"].iat[index]),
                        frame["action"].iat[index]) for index in sorted(out)]
    per_file: dict[str, int] = {}
    for rejected_row in rows:
        per_file[rejected_row.file] = per_file.get(rejected_row.file, 0) + 1
    counts = tuple(ReturnCount(count.file, count.partner, count.read,
                               count.rejected + per_file.get(count.file, 0))
                   for count in returns.counts)
    keep = [index not in out for index in range(len(frame))]
    return frame[keep].reset_index(drop=True), (counts, (*returns.rejected, *rows))


def _columns(frame: pd.DataFrame, *names: str) -> list[tuple[Any, ...]]:
    """The frame's rows as tuples of these columns; a column the frame lacks is all empty."""
    length = len(frame)
    values = [frame[name].tolist() if name in frame else [None] * length for name in names]
    return [tuple(_empty_none(value) for value in row) for row in zip(*values, strict=True)]


def _empty_none(value: Any) -> Any:
    if value is None or (isinstance(value, float) and value != value):
        return ""
    return value


_NOT_ALNUM = re.compile(r"[^0-9A-Z]+")


def _compact(reference: str) -> str:
    """A reference without its hyphen and padding: CS-03 and CS3 are both CS3."""
    parts = reference_parts(reference)
    if parts is None:
        return _NOT_ALNUM.sub("", reference.upper())
    return f"{parts[0]}{parts[1]}"


def _lookup(last_year: Mapping[str, Any]) -> dict[str, str]:
    """Last year's references by each way a partner may type them: as parse_reference reads
    them (CS-03), and run together with or without padding (CS03, CS3; SR201 for SR2-01)."""
    found: dict[str, str] = {}
    for ref in last_year:
        found.setdefault(_compact(ref), ref)
        code, _, number = ref.rpartition("-")
        found.setdefault(f"{code}{number}", ref)
    for ref in last_year:  # a run-together form read as another split (SR201 as SR-201)
        parts = reference_parts(ref)
        if parts is not None:
            code, _, number = ref.rpartition("-")
            with contextlib.suppress(ValueError):
                found.setdefault(_compact(parse_reference(f"{code}{number}")), ref)
    return found


def _closest_reference(typed: str, lookup: Mapping[str, str]) -> str:
    """The reference of last year's closest to one typed, if any is close."""
    if not lookup:
        return ""
    match = process.extractOne(_compact(typed), list(lookup), scorer=fuzz.ratio,
                               score_cutoff=70)
    return lookup[match[0]] if match else ""


def _reads_like(text: str, candidates: Sequence[tuple[str, str]]) -> str:
    """The reference of last year's action in the same theme whose words are nearly these."""
    if not candidates or not text:
        return ""
    match = process.extractOne(match_key(text), [match_key(words) for _, words in candidates],
                               scorer=fuzz.ratio, score_cutoff=READS_LIKE)
    return candidates[match[2]][0] if match else ""


def _mentioned(previous: Previous | None, books: Sequence[Book]) -> frozenset[str]:
    """Every reference of last year's that any Actions row gives, read or not."""
    if previous is None:
        return frozenset()
    lookup = _lookup(previous.actions)
    mentioned: set[str] = set()
    for book in books:
        table = book.tables.get(ACTIONS.name)
        if table is None or "reference" not in table.columns:
            continue
        for value in table.columns["reference"]:
            if value is None or (isinstance(value, float) and value != value):
                continue
            try:
                ref = lookup.get(_compact(parse_reference(value)))
            except ValueError:
                continue
            if ref:
                mentioned.add(ref)
    return frozenset(mentioned)




def check_against_last_year(previous: Previous | None, book: Book, plan: Coordinator,
                            carried: Carried, found: Collector) -> None:
    """What only last year's plan shows: that it is last year's, each of its actions no row
    mentions (a warning naming the partner who sent it), and statistic boxes as it had them."""
    if previous is None:
        return
    last = previous.plan
    where = CellRef(previous.file)
    if plan.period is not None and last.period.start >= plan.period.start:
        found.error(where, f"{previous.file} is the plan for {last.period.label}, which does "
                    f"not start before this plan ({plan.period.label})",
                    "Put last year's plan.json there (plangen new --from does it), not this "
                    "year's; or correct the Plan starts setting.", "previous-not-earlier")
    for ref, (_theme, action) in previous.actions.items():
        if ref in carried.mentioned:
            continue
        file = action.sources[0].file if action.sources else ""
        sender = " and ".join(action.partners) or "a partner"
        found.warning(CellRef(file, ACTIONS.name) if file else where,
                      f"last year's {ref} (“{shorten(action.text)}”) is in no return this "
                      f"year: {sender} sent it last year",
                      f"Ask {sender} whether it continues (then it goes in their return with "
                      f'its reference), or was completed or dropped (then say so under This '
                      "year); otherwise it is left out of the plan.", "not-returned")
    _stale_statistics(last, book, plan, found)


def _stale_statistics(last: Plan, book: Book, plan: Coordinator, found: Collector) -> None:
    """A statistic box whose facts are exactly last year's, at its first row."""
    frame = plan.statistics
    table = book.tables.get(STATISTICS.name)
    if table is None or frame.empty:
        return
    before = {(match_key(priority.name), match_key(box.heading)): box.facts
              for priority in last.priorities for box in priority.statistics}
    boxes: dict[tuple[str, str], tuple[int, list[str]]] = {}
    for priority, heading, fact, row in _columns(frame, "priority", "statistic", "fact", "row"):
        key = (match_key(priority), match_key(heading))
        boxes.setdefault(key, (int(row), []))[1].append(fact)
    for key, (row, facts) in boxes.items():
        if key in before and tuple(facts) == before[key]:
            found.warning(table.ref("statistic", row), f"the statistics under "
                          f"“{frame['statistic'][frame['row'] == row].iat[0]}” are exactly as "
                          "last year's plan had them",
                          "Update them to this year's figures, or ignore this if they still "
                          "hold.", "last-years-statistics")



def changes_since(previous: Previous, plan: Plan, closed: Sequence[ClosedRow],
                  mentioned: frozenset[str]) -> Changes:
    """This plan against last year's: each action of either in exactly one list (a row
    rejected in a draft that mentions one of last year's actions leaves it in none), and the
    priorities and themes added and removed."""
    last_year = previous.actions
    new: list[ActionChange] = []
    carried: list[ActionChange] = []
    changed: list[ActionChange] = []
    for theme in plan.themes:
        for action in theme.actions:
            entry = ActionChange(action.reference, action.text, theme.name, action.partners)
            before = last_year.get(action.reference)
            if before is None:
                new.append(entry)
                continue
            fields = _changed_fields(before[0].name, before[1], theme.name, action)
            (changed if fields else carried).append(replace(entry, changes=fields))
    in_plan = {action.reference for action in plan.actions}
    closing: dict[str, dict[str, ActionChange]] = {COMPLETED: {}, DROPPED: {}}
    for row in closed:
        if row.reference not in last_year or row.reference in in_plan:
            continue
        theme, action = last_year[row.reference]
        known = closing[row.carry].get(row.reference)
        if known is None:
            closing[row.carry][row.reference] = ActionChange(
                row.reference, action.text, theme.name, (row.partner,), reason=row.reason)
        elif row.partner not in known.partners:
            closing[row.carry][row.reference] = replace(
                known, partners=(*known.partners, row.partner),
                reason=known.reason or row.reason)
    closed_refs = {ref for group in closing.values() for ref in group}
    not_returned = [ActionChange(ref, action.text, theme.name, action.partners)
                    for ref, (theme, action) in last_year.items()
                    if ref not in mentioned and ref not in in_plan and ref not in closed_refs]
    last = previous.plan
    return Changes(
        previous_title=last.title, previous_period=last.period,
        new=tuple(new), carried=tuple(carried), changed=tuple(changed),
        completed=_in_order(closing[COMPLETED], last_year),
        dropped=_in_order(closing[DROPPED], last_year),
        not_returned=tuple(not_returned),
        priorities_added=_added([p.name for p in plan.priorities],
                                [p.name for p in last.priorities]),
        priorities_removed=_added([p.name for p in last.priorities],
                                  [p.name for p in plan.priorities]),
        themes_added=_added([t.name for t in plan.themes], [t.name for t in last.themes]),
        themes_removed=_added([t.name for t in last.themes], [t.name for t in plan.themes]),
    )


def retired_references(previous: Previous, plan: Plan) -> tuple[str, ...]:
    """Every reference given before that this plan does not have, so none is given again."""
    in_plan = {action.reference for action in plan.actions}
    return tuple(sorted((previous.references - in_plan), key=_reference_order))


def _reference_order(reference: str) -> tuple[str, int, str]:
    parts = reference_parts(reference)
    return (parts[0], parts[1], reference) if parts else (reference, 0, reference)


def _changed_fields(theme_before: str, before: Action, theme: str,
                    action: Action) -> tuple[FieldChange, ...]:
    """Each field of a carried action that is not as last year's plan had it."""
    pairs = (("Key action", before.text, action.text),
             ("Timescale", before.timescale.text, action.timescale.text),
             ("Leads", ", ".join(before.leads), ", ".join(action.leads)),
             ("Theme", theme_before, theme))
    return tuple(FieldChange(name, old, now) for name, old, now in pairs
                 if clean_text(old) != clean_text(now))


def _in_order(entries: Mapping[str, ActionChange],
              last_year: Mapping[str, Any]) -> tuple[ActionChange, ...]:
    """Entries in last year's plan order."""
    order = {ref: index for index, ref in enumerate(last_year)}
    return tuple(sorted(entries.values(), key=lambda entry: order.get(entry.reference, 0)))


def _added(names: Sequence[str], before: Sequence[str]) -> tuple[str, ...]:
    """The names not in `before`, as case and spacing fold them."""
    known = {match_key(name) for name in before}
    return tuple(name for name in names if match_key(name) not in known)

