"""The input contract: every workbook, sheet and column plangen reads.

One definition drives the reader (sheet and header matching), the validator (required cells,
allowed values, lengths), the blank-return writer (headers, dropdowns, input messages) and the
documentation in docs/returns.md. Change a name here and all of them follow.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from enum import Enum


class Kind(Enum):
    """What a cell holds, and so how it is parsed and which dropdown it gets."""

    TEXT = "text"
    THEME = "theme"  # one of the coordinator's themes
    PRIORITY = "priority"  # one of the coordinator's priorities
    TIMESCALE = "timescale"  # "Ongoing" or a month and year
    LEADS = "leads"  # one or more partner names
    YES_NO = "yes/no"
    MONTH = "month"  # a month and year (plan period)
    REFERENCE = "reference"  # an action's reference from last year's plan (CS-03)
    CARRY = "carry"  # what became of last year's action: one of CARRY_VALUES


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    help: str
    example: str
    required: bool = True
    kind: Kind = Kind.TEXT
    aliases: tuple[str, ...] = ()
    max_length: int = 500
    width: int = 30  # column width in blank workbooks, in characters
    #: Written only into a return pre-filled from last year's plan (the reference of each
    #: action carried over and what became of it); read from any return that has it.
    carried: bool = False

    @property
    def accepted(self) -> tuple[str, ...]:
        return (self.header, *self.aliases)


@dataclass(frozen=True)
class Sheet:
    """A sheet laid out as a table: a header row, then one row per item."""

    name: str
    purpose: str
    columns: tuple[Column, ...]
    aliases: tuple[str, ...] = ()
    required: bool = True
    #: Settings-style sheets hold one value per named row (Setting | Value) instead of a table.
    settings: bool = False
    #: A sheet that must have at least one data row for the plan to make sense.
    needs_rows: bool = False

    @property
    def accepted(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)

    def written(self, carried: bool = False) -> Sheet:
        """The sheet as a return plangen writes has it: without the columns only a return
        pre-filled from last year's plan has, unless `carried`."""
        if carried or not any(column.carried for column in self.columns):
            return self
        return replace(self, columns=tuple(column for column in self.columns
                                           if not column.carried))

    def column(self, key: str) -> Column:
        for column in self.columns:
            if column.key == key:
                return column
        raise KeyError(key)


@dataclass(frozen=True)
class Workbook:
    role: str
    description: str
    sheets: tuple[Sheet, ...] = field(default_factory=tuple)
    #: Sheets plangen itself writes into a blank workbook that are not read (guidance, lists).
    own_sheets: tuple[str, ...] = ()

    def sheet(self, name: str) -> Sheet:
        for sheet in self.sheets:
            if sheet.name == name:
                return sheet
        raise KeyError(name)


# --- Limits: how much of any workbook is read (docs/returns.md, "Limits") -------------------------
# Checked before the work is done, so that what a partner sends costs seconds and bounded memory.

#: A workbook with more sheets than this is not read (a return has three).
MAX_SHEETS = 100
#: Cells below this row are not read, whatever is in them …
MAX_ROWS = 200_000
#: … nor cells right of this column (Z): a table is read only inside the box they make.
MAX_COLUMNS = 26
#: The most characters a cell holds in Excel; a longer cell was not made by Excel, and its row
#: is not read.
MAX_CELL_TEXT = 32_767
#: The most problems listed for one file; the rest are counted in one problem of their own.
MAX_PROBLEMS_PER_FILE = 200


def normalise_header(text: str) -> str:
    """Fold a header or sheet name so that case, spacing, punctuation and "(s)" do not matter."""
    return re.sub(r"[^0-9a-z]+", "", str(text).casefold().replace("(s)", "s"))


#: The sheet of how to fill a workbook in, which plangen writes into every workbook it starts
#: (a blank return, a new coordinator's workbook) and never reads.
INSTRUCTIONS = "Instructions"
#: How many months after the plan ends a blank return's Timescale list goes on (a deadline
#: after the plan is allowed, with a warning).
MONTHS_AFTER_PLAN = 12


# --- The coordinator's workbook: inputs/plan.xlsx -------------------------------------------------

SETTINGS = Sheet(
    name="Settings",
    purpose="The plan's name, title, period and introduction. One setting per row: its name in "
    "column A, its value in column B.",
    settings=True,
    columns=(
        Column("partnership", "Partnership", "The partnership's full name. It is printed as "
               "typed on the cover above the plan title, and before the title in the footer, the "
               "file's title and the web page's title (left out wherever the plan title already "
               "contains it); it is also the file's author, and named in every blank return.",
               "Anytown Community Safety Partnership", aliases=("Partnership name",)),
        Column("area", "Area", "The district or city the plan covers. The shipped templates do "
               "not print it; a template can, with {{ area }}.", "Anytown",
               aliases=("District", "Place")),
        Column("title", "Plan title", "The plan's title. It is printed exactly as typed, with "
               "nothing added (include the years if you want them): the cover's heading, the "
               "footer (shortened there past 65 characters, to fit on one line), the file's "
               "title and the web page's title.", "Anytown Community Safety Plan 2018 to 2019",
               aliases=("Title", "Document title")),
        Column("period_start", "Plan starts", "The first month the plan covers. It is printed "
               "under the title, and is the first month partners can pick as a timescale.",
               "April 2018", kind=Kind.MONTH, aliases=("Start", "Period start", "Plan start")),
        Column("period_end", "Plan ends", "The last month the plan covers. It is printed under "
               f"the title; partners can pick timescales up to {MONTHS_AFTER_PLAN} months after "
               "it, and each one after it gets a warning.", "March 2019", kind=Kind.MONTH,
               aliases=("End", "Period end", "Plan end")),
        Column("send_returns_to", "Send returns to", "Where partners send their returns, "
               "printed on every blank return; leave empty to say “whoever sent it to you”.",
               "community.safety@example.org", required=False,
               aliases=("Returns to", "Return to")),
        Column("returns_due", "Returns due", "When partners' returns are due, printed on every "
               "blank return.", "31 January 2018", required=False,
               aliases=("Return by", "Returns by", "Return deadline")),
        Column("introduction", "Introduction", "The plan's opening paragraph, under the title, "
               "printed exactly as typed. Leave it empty for “This plan is written in "
               "consultation with partners and based on data provided by …”, naming the Sources "
               "joined with commas and “and”.",
               "This plan sets out what the partners will do together this year.",
               required=False, aliases=("Intro", "Opening paragraph"), max_length=1500),
    ),
)

SOURCES = Sheet(
    needs_rows=True,
    name="Sources",
    purpose="The evidence the plan is based on, in order: the introduction names them when "
    "the Introduction setting is empty.",
    aliases=("Evidence", "Evidence sources"),
    columns=(
        Column("source", "Source", "An assessment or profile the plan's data comes from.",
               "Anytown Strategic Assessment 2017", aliases=("Evidence", "Evidence source")),
    ),
)

PRIORITIES = Sheet(
    needs_rows=True,
    name="Priorities",
    purpose="The priorities, one per row, in the order their pages appear in the plan.",
    columns=(
        Column("priority", "Priority", "The priority's short name, as partners pick it.",
               "Road Safety", max_length=80),
        Column("title", "Page title", "The heading of its page; leave empty to use the name.",
               "Safer roads", required=False, aliases=("Title", "Heading"), max_length=120),
    ),
)

STATISTICS = Sheet(
    name="Statistics",
    purpose="The headline statistic boxes on each priority page. A box has a heading and one "
    "or more facts: give each fact its own row, repeating the heading.",
    aliases=("Headline statistics", "Stats"),
    columns=(
        Column("priority", "Priority", "Which priority page the box is on.", "Road Safety",
               kind=Kind.PRIORITY),
        Column("statistic", "Statistic", "The box's heading.", "Road collisions",
               aliases=("Heading", "Headline"), max_length=80),
        Column("fact", "Fact", "One fact in the box.", "120 people seriously hurt last year",
               aliases=("Facts", "Detail", "Value"), max_length=200),
    ),
)

AIMS = Sheet(
    name="Aims",
    purpose='"What we want to achieve" on each priority page, one aim per row, in order.',
    aliases=("What we want to achieve",),
    columns=(
        Column("priority", "Priority", "Which priority page the aim is on.", "Road Safety",
               kind=Kind.PRIORITY),
        Column("aim", "Aim", "One thing the partnership wants to achieve.",
               "Fewer people hurt on the roads",
               aliases=("What we want to achieve",), max_length=300),
    ),
)

COMMITMENTS = Sheet(
    name="Commitments",
    purpose='"What we will do" on each priority page, one commitment per row, in order.',
    aliases=("What we will do",),
    columns=(
        Column("priority", "Priority", "Which priority page the commitment is on.",
               "Road Safety", kind=Kind.PRIORITY),
        Column("commitment", "Commitment", "One thing the partnership will do.",
               "Work with schools on road safety", aliases=("What we will do",),
               max_length=300),
    ),
)

THEMES = Sheet(
    needs_rows=True,
    name="Themes",
    purpose="The action-plan themes, one per row, in the order their tables appear.",
    columns=(
        Column("theme", "Theme", "The theme's name, as partners pick it.", "Safer Roads",
               max_length=80),
        Column("priorities", "Priorities", 'The "Priorities:" line shown above the theme\'s '
               "table, written as it should read.", "Road Safety, Young People.",
               required=False, aliases=("Priorities served",), max_length=300, width=60),
        Column("partner_order", "Partner order", "Whose actions come first in this theme's "
               "table: partners, in order, separated by commas. The actions of partners not "
               "named follow, in Partners-sheet order. Leave empty for Partners-sheet order.",
               "Fire and Rescue, Health", kind=Kind.LEADS, required=False,
               aliases=("Order", "Action order", "Actions order"), max_length=300, width=40),
        Column("code", "Code", "The start of the theme's action references (SR makes SR-01, "
               "SR-02, …): a letter, then up to five letters or digits. Leave empty for one "
               "made from the theme's initials.", "SR", required=False,
               aliases=("Theme code", "Reference code"), max_length=40, width=10),
    ),
)

GLOSSARY = Sheet(
    name="Glossary",
    purpose="Acronyms and their meanings. The plan lists them in alphabetical order.",
    columns=(
        Column("term", "Acronym", "The acronym or short name.", "NHW",
               aliases=("Term", "Abbreviation"), max_length=40, width=15),
        Column("meaning", "Meaning", "What it stands for.", "Neighbourhood Watch",
               aliases=("Definition", "Stands for"), max_length=200, width=60),
    ),
)

PARTNERS = Sheet(
    needs_rows=True,
    name="Partners",
    purpose="Every organisation or group that leads actions. Mark those expected to send a "
    "return; other names lists the ways leads may be written for the same partner.",
    columns=(
        Column("partner", "Partner", "The name used in the Leads column.", "Fire Service",
               aliases=("Name", "Organisation"), max_length=80),
        Column("full_name", "Full name", "The organisation's full name.",
               "Anytown Fire and Rescue Service", required=False, max_length=120),
        Column("sends_return", "Sends a return", "Yes if the partner sends a return workbook.",
               "Yes", kind=Kind.YES_NO, required=False, aliases=("Return", "Return expected"),
               width=15),
        Column("other_names", "Other names", "Other ways leads may name this partner, separated "
               "by commas.", "Fire and Rescue, AFRS", required=False,
               aliases=("Aliases", "Also known as"), max_length=300),
    ),
)

COORDINATOR = Workbook(
    role="coordinator",
    description="The coordinator's workbook, inputs/plan.xlsx: the plan's settings, its priority "
    "pages, the action-plan themes, the glossary and the partners.",
    sheets=(SETTINGS, SOURCES, PRIORITIES, STATISTICS, AIMS, COMMITMENTS, THEMES, GLOSSARY,
            PARTNERS),
    own_sheets=(INSTRUCTIONS,),
)

# --- A partner's return: inputs/returns/<partner>.xlsx --------------------------------------------

#: The sheets of a blank return besides those read: the dropdowns' lists (and INSTRUCTIONS).
LISTS = "Lists"

ABOUT = Sheet(
    name="About",
    purpose="Who sent this return. One setting per row: its name in column A, its value in "
    "column B.",
    settings=True,
    aliases=("Partner", "About you"),
    columns=(
        Column("partner", "Partner", "Your organisation, as named in the coordinator's partner "
               "list.", "Fire Service", aliases=("Organisation", "Partner name")),
        Column("contact", "Contact", "Who to ask about this return.", "A. Person",
               required=False, aliases=("Contact name", "Name")),
        Column("email", "Email", "The contact's email address.", "a.person@example.org",
               required=False, aliases=("Contact email", "E-mail")),
    ),
)

#: What became of last year's action, as a pre-filled return's "This year" column offers.
CONTINUES, CHANGED, COMPLETED, DROPPED = ("Continues", "Continues, changed", "Completed",
                                          "Dropped")
CARRY_VALUES = (CONTINUES, CHANGED, COMPLETED, DROPPED)

ACTIONS = Sheet(
    name="Actions",
    purpose="The actions you lead or share for the action plan, one per row.",
    aliases=("Key actions", "Action plan"),
    columns=(
        Column("reference", "Reference", "Last year's reference of an action carried over, "
               "as your pre-filled return gives it (e.g. CS-03). Leave it empty for a new "
               "action: the plan gives it one.", "CS-03", required=False,
               kind=Kind.REFERENCE, aliases=("Ref", "Action reference", "Action ref"),
               max_length=20, width=12, carried=True),
        Column("theme", "Theme", "Pick the action-plan theme from the list.", "Safer Roads",
               kind=Kind.THEME, width=28),
        Column("action", "Key action", "What will be done, in one or two sentences.",
               "Run a monthly drop-in session where residents can raise their concerns.",
               aliases=("Key actions", "Action", "Actions"), max_length=600, width=70),
        Column("timescale", "Timescale", 'Pick "Ongoing" or the month it will be done by.',
               "March 2019", kind=Kind.TIMESCALE,
               aliases=("Deadline", "By when", "Target date", "Due"), width=18),
        Column("leads", "Leads", "Who leads it. Separate several leads with a comma.",
               "Fire Service, Housing Trust", kind=Kind.LEADS,
               aliases=("Lead", "Lead partner", "Lead partners", "Owner", "Owners"),
               max_length=300, width=36),
        Column("new", "New", 'Pick "Yes" if the action is new this year.', "Yes",
               kind=Kind.YES_NO, required=False, aliases=("New action", "Is new"), width=10),
        Column("carry", "This year", "For an action from last year's plan (it has a "
               f'Reference): "{CONTINUES}" as it is, "{CHANGED}" (edit its cells), '
               f'"{COMPLETED}", or "{DROPPED}" (say why under Reason). Completed and dropped '
               "actions are not in this year's plan. Leave it empty for a new action.",
               CONTINUES, required=False, kind=Kind.CARRY,
               aliases=("Carry over", "Status", "Last year's action"), width=20, carried=True),
        Column("reason", "Reason", "Why a dropped action is dropped, or a word on one "
               "completed; printed in the plan's \"Changes since last year\".",
               "Replaced by the county-wide scheme", required=False,
               aliases=("Why", "Reason dropped", "Why dropped"), max_length=300, width=40,
               carried=True),
    ),
)

CURRENT_WORK = Sheet(
    name="Current work",
    purpose='What you already do, shown under "What we do now" on each priority page.',
    aliases=("What we do now", "Current initiatives", "Initiatives"),
    required=False,
    columns=(
        Column("priority", "Priority", "Pick the priority the work serves.", "Road Safety",
               kind=Kind.PRIORITY, width=28),
        Column("initiative", "Initiative", "The scheme, service or activity, in a few words.",
               "Weekly advice drop-in", aliases=("What we do now", "Current work", "Activity"),
               max_length=120, width=50),
    ),
)

RETURN = Workbook(
    role="return",
    description="A partner's return, one workbook per partner in inputs/returns/: the actions "
    "they lead and the work they already do.",
    sheets=(ABOUT, ACTIONS, CURRENT_WORK),
    own_sheets=(INSTRUCTIONS, LISTS),
)

#: The words accepted for "Ongoing" in a Timescale cell.
ONGOING = ("ongoing", "on going", "on-going", "continuous", "throughout")
YES = ("yes", "y", "true", "x", "new", "1")
NO = ("no", "n", "false", "0", "")
