"""Merging the checked inputs into the plan model, with pandas.

Order, documented in docs/returns.md:
- priority pages and action-plan themes follow the coordinator's sheets, row by row;
- within a theme, actions follow the theme's Partner order on the Themes sheet (the partners
  named there first, in that order; plangen.inputs.order), then the Partners sheet (a
  partner's position there), then each return's row order; "What we do now" within a priority
  page follows the Partners sheet, then row order;
- the same action sent by several partners (same theme, same words once whitespace, case, quotes
  and a final full stop are ignored) becomes one row in the first sender's place, its leads the
  union of all the leads given, its partners every sender;
- the glossary is alphabetical;
- the ledger, and each return's rows in the fates, follow the Partners sheet, then file name.

Every return row ends up placed, merged into an earlier row, closed (last year's action,
completed or dropped: in "Changes since last year", plangen.inputs.carry) or rejected by the
validator; the ledger counts each per return and each row's fate says which, so nothing goes
missing unexplained. With last year's plan, an action carried over keeps its reference and a
new one gets a number its theme's code never had (_Numbers).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import pandas as pd

from plangen.errors import SettingsUnusable
from plangen.inputs.carry import changes_since, retired_references
from plangen.inputs.memory import collector_paused
from plangen.inputs.order import theme_ranks
from plangen.inputs.references import reference, reference_parts
from plangen.inputs.returns import ReturnCount
from plangen.inputs.validate import Checked
from plangen.inputs.values import lead_key, split_leads, union
from plangen.model import (
    Action,
    CellRef,
    GlossaryEntry,
    Partner,
    Plan,
    Priority,
    Statistic,
    Theme,
    Timescale,
)
from plangen.problems import Problem, cell_of


@dataclass(frozen=True)
class Ledger:
    """What happened to one return's rows. read == placed + merged + closed + rejected, and
    every filled row of the return is read or not_read (each row not read has its problem)."""

    file: str
    partner: str
    read: int
    placed: int
    merged: int
    rejected: int
    not_read: int = 0
    #: Rows saying last year's action was completed or dropped: in "Changes since last year",
    #: not in the action plan (plangen.inputs.carry).
    closed: int = 0


@dataclass(frozen=True)
class RowFate:
    """What became of one return row."""

    file: str
    partner: str
    sheet: str
    row: int
    text: str  # the action or initiative
    #: "placed", "merged", "rejected", or for last year's action "completed" or "dropped"
    fate: str
    into: CellRef | None = None  # merged: the cell of the row it became part of
    reasons: tuple[str, ...] = ()  # rejected: what is wrong with it; dropped: the Reason
    reference: str = ""  # placed or merged action: the reference of the action it is in

    @property
    def where(self) -> str:
        return f"{self.file} · {self.sheet} · row {self.row}"


@dataclass(frozen=True)
class Placement:
    """The plan, what happened to each return's rows in total, and to every row."""

    plan: Plan
    ledger: tuple[Ledger, ...]
    fates: tuple[RowFate, ...]


def place(checked: Checked) -> Placement:
    """The plan, with the count and the fate of every return row."""
    with collector_paused():
        return _place(checked)


def _place(checked: Checked) -> Placement:
    settings = checked.settings
    missing = [key for key in ("partnership", "area", "title") if not settings.get(key)]
    if missing or checked.period is None:
        raise SettingsUnusable(checked.problems)
    same_lead = _lead_identity(checked)
    actions, action_firsts, references = _actions(checked, same_lead)
    work, work_partners, work_firsts = _current_work(checked)
    plan = Plan(
        partnership=settings["partnership"],
        area=settings["area"],
        title=settings["title"],
        introduction=settings.get("introduction", ""),
        period=checked.period,
        sources=(tuple(checked.sources["source"].tolist()) if "source" in checked.sources
                 else ()),
        priorities=_priorities(checked, work, work_partners),
        themes=tuple(
            Theme(name, priorities or "", actions.get(name, ()), code)
            for name, priorities, code in zip(checked.themes["theme"].tolist(),
                                              checked.themes["priorities"].tolist(),
                                              checked.themes["code"].tolist(), strict=True)
        ),
        glossary=tuple(
            GlossaryEntry(term, meaning or "")
            for term, meaning in sorted(
                zip(checked.glossary["term"].tolist(), checked.glossary["meaning"].tolist(),
                    strict=True),
                key=lambda entry: (entry[0].casefold(), entry[0]))
        ),
        partners=_partners(checked),
    )
    if checked.previous is not None:
        plan = replace(plan, changes=changes_since(checked.previous, plan, checked.closed,
                                                   checked.mentioned),
                       retired=retired_references(checked.previous, plan))
    fates = [*_placed(action_firsts, ("theme", "key"), "action", checked, references),
             *_placed(work_firsts, ("priority", "key"), "initiative", checked),
             *(RowFate(row.file, row.partner, row.sheet, row.row, row.text, row.carry.lower(),
                       reasons=(row.reason,) if row.reason else (), reference=row.reference)
               for row in checked.closed)]
    return Placement(plan, _ledger(checked, fates), _fates(checked, fates))


def _lead_identity(checked: Checked) -> Callable[[str], str]:
    """Two leads are the same partner when they fold to the same key or name the same partner."""
    partners = checked.vocabulary.partners

    known: dict[str, str] = {}  # the same few names come up thousands of times

    def identity(lead: str) -> str:
        if lead not in known:
            key = lead_key(lead)
            known[lead] = lead_key(partners.get(key, key))
        return known[lead]

    return identity


def _partner_spellings(checked: Checked) -> dict[str, str]:
    """A lead that is a partner's name or other name, typed in another case or spacing
    ("genga"), is shown as the Partners sheet spells it ("Genga")."""
    spellings: dict[str, str] = {}
    partners = checked.partners
    if partners.empty:
        return spellings
    for name, others in zip(partners["partner"].tolist(),
                            partners["other_names"].fillna("").tolist(), strict=True):
        for spelling in (name, *split_leads(others)):
            spellings.setdefault(lead_key(spelling), spelling)
    return spellings


#: Up to this many rows, the merge puts rows in plan order with Python's sort and finds the
#: first of each group with a set (see _in_order and _firsts); pandas does more rows faster.
PYTHON_SORT_ROWS = 1000


def _in_order(frame: pd.DataFrame, group: str, order: Sequence[str]) -> pd.DataFrame:
    """The rows in plan order: by their group's place in `order` (the Themes or Priorities
    sheet), then the partner's place, the file and the row.

    The validator makes those ints and text. Then Python's stable sort of each row's four
    values gives the order sort_values(kind="stable") gives (pandas sorts column by column,
    ints by value and text by code point, and keeps ties in row order), and the frame is
    reordered with take, as sort_values does. That is for few rows (PYTHON_SORT_ROWS): pandas
    took a millisecond to sort the sample's few dozen, but sorts thousands faster than Python.
    Anything else, such as a name missing from the order (NaN, which pandas puts last), is
    sorted by pandas.
    """
    position = {name: index for index, name in enumerate(order)}
    # A list, as Series.map(position) gives it (NaN for a name not in the order; none are).
    groups = [position.get(name, math.nan) for name in frame[group].tolist()]
    ordered = frame.assign(_group=groups)
    if len(groups) <= PYTHON_SORT_ROWS:
        partners, files, rows = (frame[key].tolist() for key in ("partner_order", "file", "row"))
        if _only(groups, int) and _only(partners, int) and _only(files, str) and _only(rows, int):
            keys = list(zip(groups, partners, files, rows, strict=True))
            return ordered.take(sorted(range(len(keys)), key=keys.__getitem__))
    return ordered.sort_values(["_group", "partner_order", "file", "row"], kind="stable")


def _only(values: Iterable[Any], kind: type) -> bool:
    """Whether every value is of exactly this type (a bool is not an int here)."""
    return set(map(type, values)) <= {kind}


def _firsts(frame: pd.DataFrame, columns: Sequence[str]) -> Any:
    """Whether each row is the first with its values in `columns`: ~frame.duplicated(columns).

    For few rows of text, as the validator makes these columns, the values seen so far tell
    the same (pandas took half a millisecond on a few dozen rows, but is quicker over
    thousands); anything else (pandas counts NaN equal to NaN) goes through pandas.
    """
    if len(frame) <= PYTHON_SORT_ROWS:
        values = [frame[column].tolist() for column in columns]
        if all(_only(column, str) for column in values):
            seen: set[tuple[str, ...]] = set()
            firsts = []
            for row in zip(*values, strict=True):
                firsts.append(row not in seen)
                seen.add(row)
            return firsts
    return ~frame.duplicated(list(columns))


@dataclass
class _Same:
    """The rows that make one action: the first row's words, every row's leads and senders."""

    theme: str
    text: str
    timescale: Timescale
    leads: list[tuple[str, ...]] = field(default_factory=list)
    new: bool = False
    partners: list[str] = field(default_factory=list)
    sources: list[CellRef] = field(default_factory=list)
    reference: str = ""  # last year's, for an action carried over


def _actions(checked: Checked, same_lead: Callable[[str], str]
             ) -> tuple[dict[str, tuple[Action, ...]], pd.DataFrame, dict[tuple[Any, ...], str]]:
    """Each theme's actions, in plan order and with their references; the rows, each marked
    first of its action or not; and each action's reference by (theme, key)."""
    frame = checked.actions
    if frame.empty:
        return {}, frame.assign(first=pd.Series(dtype=bool)), {}
    frame = _in_order(_theme_partner_order(frame, checked), "theme",
                      checked.themes["theme"].tolist())
    frame["first"] = _firsts(frame, ("theme", "key"))
    # One pass in plan order (a pandas groupby with Python aggregations took ten times longer).
    same: dict[tuple[str, str], _Same] = {}
    columns = ("theme", "key", "action", "timescale", "leads", "new", "partner", "file",
               "sheet", "row")
    carried = (frame["reference"].tolist() if "reference" in frame else [""] * len(frame))
    for (theme, key, text, timescale, leads, new, partner, file, sheet, row), ref in zip(
            zip(*(frame[column].tolist() for column in columns), strict=True), carried,
            strict=True):
        rows = same.get((theme, key))
        if rows is None:
            rows = same[(theme, key)] = _Same(theme, text, timescale, reference=ref or "")
        rows.leads.append(leads)
        rows.new = rows.new or bool(new)
        rows.partners.append(partner)
        rows.sources.append(checked.ref(file, sheet, "action", row))
    spelled = _partner_spellings(checked)
    codes = dict(zip(checked.themes["theme"].tolist(), checked.themes["code"].tolist(),
                     strict=True))
    by_theme: dict[str, list[Action]] = {}
    references: dict[tuple[Any, ...], str] = {}
    numbers = _Numbers(checked, (rows.reference for rows in same.values()))
    for same_as, rows in same.items():
        in_theme = by_theme.setdefault(rows.theme, [])
        references[same_as] = number = rows.reference or numbers.next(codes[rows.theme])
        in_theme.append(Action(
            text=rows.text,
            timescale=rows.timescale,
            leads=tuple(spelled.get(lead_key(lead), lead)
                        for lead in union(rows.leads, same_lead)),
            new=rows.new,
            partners=tuple(dict.fromkeys(rows.partners)),
            sources=tuple(rows.sources),
            reference=number,
        ))
    return {theme: tuple(actions) for theme, actions in by_theme.items()}, frame, references


class _Numbers:
    """The number each new action gets in its theme's code: without last year's plan, its
    place in the theme's table (1, 2, …); with it, the numbers after every one the code has
    had, in last year's plan, among its retired references and among those carried over, so
    that no reference is ever given to another action."""

    def __init__(self, checked: Checked, carried: Iterable[str]) -> None:
        self.last: dict[str, int] = {}
        taken = [*carried, *(checked.previous.references if checked.previous else ())]
        for ref in taken:
            parts = reference_parts(ref) if ref else None
            if parts is not None:
                self.last[parts[0]] = max(self.last.get(parts[0], 0), parts[1])

    def next(self, code: str) -> str:
        self.last[code] = number = self.last.get(code, 0) + 1
        return reference(code, number)


def _theme_partner_order(frame: pd.DataFrame, checked: Checked) -> pd.DataFrame:
    """The actions with each row's partner_order made its partner's rank in its theme, for
    the themes whose Partner order names partners; the others keep Partners-sheet order."""
    ranks = theme_ranks(checked.themes, checked.vocabulary)
    if not ranks:
        return frame
    last = len(checked.vocabulary.partner_order)
    order = [
        (ranks[theme].get(partner, len(ranks[theme]) + last) if theme in ranks else position)
        for theme, partner, position in zip(frame["theme"].tolist(), frame["partner"].tolist(),
                                            frame["partner_order"].tolist(), strict=True)
    ]
    return frame.assign(partner_order=order)


def _current_work(checked: Checked) -> tuple[dict[str, tuple[str, ...]],
                                              dict[str, tuple[tuple[str, ...], ...]],
                                              pd.DataFrame]:
    """Each priority's current work in plan order, whose returns sent each item (every
    partner of the rows merged into it), and the rows marked first of their item or not."""
    frame = checked.current_work
    if frame.empty:
        return {}, {}, frame.assign(first=pd.Series(dtype=bool))
    frame = _in_order(frame, "priority", checked.priorities["priority"].tolist())
    frame["first"] = _firsts(frame, ("priority", "key"))
    senders: dict[tuple[str, str], list[str]] = {}
    for priority, key, partner in zip(*(frame[column].tolist()
                                        for column in ("priority", "key", "partner")),
                                      strict=True):
        senders.setdefault((priority, key), []).append(partner)
    partners: dict[str, list[tuple[str, ...]]] = {}
    for (priority, _key), sent in senders.items():
        partners.setdefault(priority, []).append(tuple(dict.fromkeys(sent)))
    return (_by_priority(frame[frame["first"]], "initiative"),
            {priority: tuple(sent) for priority, sent in partners.items()}, frame)


def _by_priority(frame: pd.DataFrame, column: str) -> dict[str, tuple[str, ...]]:
    """A column's texts grouped by priority, in row order (as groupby(sort=False) would give,
    without its per-group overhead)."""
    if frame.empty:
        return {}
    return {priority: tuple(texts) for priority, texts in
            _grouped(frame["priority"].tolist(), frame[column].tolist()).items()}


def _grouped(keys: Iterable[Any], values: Iterable[Any]) -> dict[Any, list[Any]]:
    """Values by key, keys in order of first appearance, as groupby(sort=False) gives them.

    (groupby would leave out a missing key; the keys here are required cells, so a row
    without one was rejected by the validator.)
    """
    groups: dict[Any, list[Any]] = {}
    for key, value in zip(keys, values, strict=True):
        groups.setdefault(key, []).append(value)
    return groups


def _priorities(checked: Checked, work: dict[str, tuple[str, ...]],
                work_partners: dict[str, tuple[tuple[str, ...], ...]]) -> tuple[Priority, ...]:
    statistics: dict[str, list[Statistic]] = {}
    if not checked.statistics.empty:
        frame = checked.statistics
        boxes = _grouped(zip(frame["priority"].tolist(), frame["statistic"].tolist(),
                             strict=True), frame["fact"].tolist())
        for (priority, heading), facts in boxes.items():
            statistics.setdefault(priority, []).append(Statistic(heading, tuple(facts)))
    aims = _by_priority(checked.aims, "aim")
    commitments = _by_priority(checked.commitments, "commitment")
    return tuple(
        Priority(
            name=name,
            title=title,
            statistics=tuple(statistics.get(name, ())),
            aims=aims.get(name, ()),
            current_work=work.get(name, ()),
            current_work_partners=work_partners.get(name, ()),
            commitments=commitments.get(name, ()),
        )
        for name, title in zip(checked.priorities["priority"].tolist(),
                               checked.priorities["title"].tolist(), strict=True)
    )


def _partners(checked: Checked) -> tuple[Partner, ...]:
    frame = checked.partners
    if frame.empty:
        return ()
    return tuple(
        Partner(name, full_name or "", bool(sends), split_leads(other or ""))
        for name, full_name, sends, other in zip(
            *(frame[column].tolist()
              for column in ("partner", "full_name", "sends_return", "other_names")),
            strict=True)
    )


def _ledger(checked: Checked, fates: Sequence[RowFate]) -> tuple[Ledger, ...]:
    """Each return's counts; `fates` are the rows placed or merged (the rejected are counted
    by the validator)."""
    placed = Counter(fate.file for fate in fates if fate.fate == "placed")
    merged = Counter(fate.file for fate in fates if fate.fate == "merged")
    closed = Counter(row.file for row in checked.closed)
    return tuple(
        Ledger(count.file, count.partner, count.read, placed[count.file], merged[count.file],
               count.rejected, checked.not_read.get(count.file, 0), closed[count.file])
        for count in _in_partner_order(checked)
    )


def _in_partner_order(checked: Checked) -> list[ReturnCount]:
    """The returns in Partners-sheet order, as the coordinator lists the partners; returns
    from the same partner, or from none on the sheet (last), by file name."""
    position = checked.vocabulary.partner_order
    return sorted(checked.counts,
                  key=lambda count: (position.get(count.partner, len(position)), count.file))


def _placed(frame: pd.DataFrame, group: tuple[str, ...], key: str, checked: Checked,
            references: Mapping[tuple[Any, ...], str] | None = None) -> list[RowFate]:
    """Each row's fate: placed if it is the first of its group, else merged into the cell of
    the first (its `key` column); with the reference of the group's action, if it has one."""
    references = references or {}
    if frame.empty:
        return []
    columns = ("file", "partner", "sheet", "row", key, "first", *group)
    first_cell: dict[tuple[Any, ...], tuple[str, str, int]] = {}
    into: dict[tuple[Any, ...], CellRef] = {}  # worked out only for groups with a merged row
    fates: list[RowFate] = []
    for file, partner, sheet, row, text, first, *same in zip(
            *(frame[column].tolist() for column in columns), strict=True):
        same_as = tuple(same)
        if first:
            first_cell[same_as] = (file, sheet, int(row))
            fates.append(RowFate(file, partner, sheet, int(row), text, "placed",
                                 reference=references.get(same_as, "")))
            continue
        if same_as not in into:
            first_file, first_sheet, first_row = first_cell[same_as]
            into[same_as] = checked.ref(first_file, first_sheet, key, first_row)
        fates.append(RowFate(file, partner, sheet, int(row), text, "merged", into[same_as],
                             reference=references.get(same_as, "")))
    return fates


def _fates(checked: Checked, placed: Sequence[RowFate]) -> tuple[RowFate, ...]:
    """Every return row read: placed, merged (into which cell) or rejected (and why)."""
    fates = list(placed)
    reasons = _Reasons(problem for problem in checked.problems if problem.is_error)
    fates.extend(RowFate(row.file, row.partner, row.sheet, row.row, row.text, "rejected",
                         reasons=reasons.of(row.file, row.sheet, row.row))
                 for row in checked.rejected)
    order = {count.file: index for index, count in enumerate(_in_partner_order(checked))}
    return tuple(sorted(fates, key=lambda fate: (order.get(fate.file, len(order)),
                                                 fate.sheet, fate.row)))


class _Reasons:
    """The errors that reject a row: those at its cells, else, when a file has more problems
    than are listed, the one that counts them, else those about its whole sheet. Indexed once,
    so that finding them costs the same for every row."""

    def __init__(self, errors: Iterable[Problem]) -> None:
        self.at_row: dict[tuple[str, str, str], list[str]] = {}
        self.in_sheet: dict[tuple[str, str], list[str]] = {}
        self.unlisted: dict[str, str] = {}
        for problem in errors:
            where = cell_of(problem)
            if problem.code == "more-problems":
                self.unlisted[where.file] = problem.message
            row = where.cell.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
            self.at_row.setdefault((where.file, where.sheet, row), []).append(problem.message)
            self.in_sheet.setdefault((where.file, where.sheet), []).append(problem.message)

    def of(self, file: str, sheet: str, row: int) -> tuple[str, ...]:
        at_row = self.at_row.get((file, sheet, str(row)))
        if at_row:
            return tuple(dict.fromkeys(at_row))
        if file in self.unlisted:
            return (self.unlisted[file],)
        return tuple(dict.fromkeys(self.in_sheet.get((file, sheet), [])))
