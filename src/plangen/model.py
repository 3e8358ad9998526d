"""The plan model: everything the document needs, complete before anything is written.

Frozen dataclasses of plain values, no pandas and no I/O; leads are matched to partners by the
inputs' own key (plangen.inputs.values.lead_key, a pure function that needs nothing from here),
so "the plan at a glance" counts a lead as the merge does. Templates read these fields by name,
so renaming one is a change to the template contract (see docs/template-guide.md).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from plangen.inputs.values import lead_key

#: How many leads "the plan at a glance" names.
TOP_LEADS = 8


@dataclass(frozen=True, order=True)
class CellRef:
    """Where a value came from: file, sheet and cell (e.g. police.xlsx · Actions · C7)."""

    file: str
    sheet: str = ""
    cell: str = ""

    def __str__(self) -> str:
        return " · ".join(part for part in (self.file, self.sheet, self.cell) if part)


@dataclass(frozen=True)
class Timescale:
    """When an action will be done: "Ongoing", or by the end of a month."""

    month: date | None = None  # first day of the month; None means ongoing

    @property
    def ongoing(self) -> bool:
        return self.month is None

    @property
    def text(self) -> str:
        return "Ongoing" if self.month is None else self.month.strftime("%B %Y")

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True)
class Period:
    """The months the plan covers, first and last."""

    start: date
    end: date

    @property
    def label(self) -> str:
        """For example "April 2018 to March 2019"."""
        return f"{self.start:%B %Y} to {self.end:%B %Y}"

    @property
    def years(self) -> str:
        """For example "2018 to 2019", or "2018" for a plan within one year."""
        if self.start.year == self.end.year:
            return str(self.start.year)
        return f"{self.start.year} to {self.end.year}"

    def __str__(self) -> str:
        return self.label


@dataclass(frozen=True)
class Statistic:
    """A headline statistic box: a heading and one or more facts."""

    heading: str
    facts: tuple[str, ...]


@dataclass(frozen=True)
class Priority:
    """One priority page."""

    name: str
    title: str
    statistics: tuple[Statistic, ...] = ()
    aims: tuple[str, ...] = ()  # "What we want to achieve"
    current_work: tuple[str, ...] = ()  # "What we do now"
    commitments: tuple[str, ...] = ()  # "What we will do"
    #: Whose returns sent each item of current_work, in the same order (so that next year's
    #: returns can be written with it already in them).
    current_work_partners: tuple[tuple[str, ...], ...] = field(default=(), compare=False)


@dataclass(frozen=True)
class Action:
    """One row of an action-plan table."""

    text: str
    timescale: Timescale
    leads: tuple[str, ...]
    new: bool
    partners: tuple[str, ...]  # the partners whose returns sent it, in partner order
    sources: tuple[CellRef, ...] = field(default=(), compare=False)  # the Key action cells
    #: Its theme's code and its place in the theme (SR-03): see plangen.inputs.references.
    reference: str = ""


@dataclass(frozen=True)
class Theme:
    """One action-plan table."""

    name: str
    priorities: str  # the "Priorities:" line, as the coordinator wrote it
    actions: tuple[Action, ...] = ()
    code: str = ""  # the start of its actions' references (SR for SR-01)

    @property
    def new_actions(self) -> tuple[Action, ...]:
        return tuple(action for action in self.actions if action.new)


@dataclass(frozen=True)
class FieldChange:
    """One thing about a carried action that is not as last year's plan had it."""

    field: str  # what changed, as a reader calls it: "Key action", "Timescale", "Leads", "Theme"
    old: str
    new: str


@dataclass(frozen=True)
class ActionChange:
    """One action in "Changes since last year": what it is, who sent it, what became of it."""

    reference: str
    text: str  # as this plan has it; for one no longer in the plan, as last year's had it
    theme: str
    partners: tuple[str, ...]  # whose returns sent it (last year's, for one not sent again)
    changes: tuple[FieldChange, ...] = ()  # changed: each field that is not as it was
    reason: str = ""  # completed or dropped: what the return said


@dataclass(frozen=True)
class Changes:
    """This plan against the previous year's (inputs/previous-plan.json): every action of
    either in exactly one of new, carried, changed, completed, dropped and not_returned, and
    the priorities and themes added and removed."""

    previous_title: str
    previous_period: Period
    new: tuple[ActionChange, ...] = ()  # in this plan, not in last year's
    carried: tuple[ActionChange, ...] = ()  # in both, as it was
    changed: tuple[ActionChange, ...] = ()  # in both, with fields changed
    completed: tuple[ActionChange, ...] = ()  # last year's, marked completed
    dropped: tuple[ActionChange, ...] = ()  # last year's, marked dropped (with the reason)
    not_returned: tuple[ActionChange, ...] = ()  # last year's that no return mentions
    priorities_added: tuple[str, ...] = ()
    priorities_removed: tuple[str, ...] = ()
    themes_added: tuple[str, ...] = ()
    themes_removed: tuple[str, ...] = ()


@dataclass(frozen=True)
class GlossaryEntry:
    term: str
    meaning: str


@dataclass(frozen=True)
class Partner:
    name: str
    full_name: str = ""
    sends_return: bool = False
    other_names: tuple[str, ...] = ()


@dataclass(frozen=True)
class ThemeCount:
    theme: str
    actions: int
    new: int


@dataclass(frozen=True)
class LeadCount:
    lead: str
    actions: int


@dataclass(frozen=True)
class Glance:
    """The plan at a glance: actions per theme, how many are new, the leads most involved."""

    actions: int
    new: int
    themes: tuple[ThemeCount, ...]
    leads: tuple[LeadCount, ...]  # most actions first, at most TOP_LEADS


@dataclass(frozen=True)
class Plan:
    """The whole plan, in document order."""

    partnership: str
    area: str
    title: str
    period: Period
    sources: tuple[str, ...]
    priorities: tuple[Priority, ...]
    themes: tuple[Theme, ...]
    glossary: tuple[GlossaryEntry, ...]
    partners: tuple[Partner, ...]
    #: The Introduction setting as typed; empty when not given (templates then get a sentence
    #: naming the sources, see plangen.template.context).
    introduction: str = ""
    #: This plan against last year's, when the inputs hold last year's plan.json; else None.
    changes: Changes | None = None
    #: Every reference given in an earlier year's plan to an action this plan no longer has
    #: (completed, dropped, not returned), so that none is ever given to another action.
    retired: tuple[str, ...] = ()

    @property
    def actions(self) -> tuple[Action, ...]:
        return tuple(action for theme in self.themes for action in theme.actions)

    @property
    def glance(self) -> Glance:
        """Figures for the summary at the front. A lead written under one of a partner's
        other names counts for that partner."""
        names: dict[str, str] = {}
        for partner in self.partners:
            for name in (partner.name, *partner.other_names):
                names.setdefault(lead_key(name), partner.name)
        actions = self.actions
        counts: Counter[str] = Counter()
        for action in actions:
            counts.update({names.get(lead_key(lead), lead) for lead in action.leads})
        ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0].casefold()))
        return Glance(
            actions=len(actions),
            new=sum(action.new for action in actions),
            themes=tuple(ThemeCount(theme.name, len(theme.actions), len(theme.new_actions))
                         for theme in self.themes),
            leads=tuple(LeadCount(lead, count) for lead, count in ranked[:TOP_LEADS]),
        )
