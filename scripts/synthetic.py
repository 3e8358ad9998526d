"""Synthetic inputs of any size, for `make bench`: a county's worth of partner returns.

The coordinator's workbook is the sample inputs/plan.xlsx with more partners added to its Partners
sheet. Each partner's return is the workbook plangen's own blank-return writer makes for them
(plangen.inputs.blank.blank_return: instructions, dropdowns, 500 formatted rows), filled in with
openpyxl as a partner would, and saved. So the benchmark reads files shaped like the ones partners
send back, not bare tables.

The content is made to look like real returns: action sentences built from a shared vocabulary
(so words repeat across partners, as they do), the sample's themes and priorities, one to three
leads written with uneven separators and sometimes under another name, about a quarter marked
NEW, some actions sent by several partners in slightly different spellings (the merge combines
them), a few near-duplicates (a word changed: the merge keeps both), and some current work per
return. Everything is drawn from a seeded random generator, so the same size gives the same
files.

    python scripts/synthetic.py OUT_DIR RETURNS ACTIONS     # writes OUT_DIR/plan.xlsx, returns/
"""

from __future__ import annotations

import random
import shutil
import sys
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from plangen.inputs.blank import ReturnLists, blank_return, file_name, read_lists
from plangen.inputs.read import COORDINATOR_FILE, RETURNS_DIR
from plangen.inputs.schema import ABOUT, ACTIONS, CURRENT_WORK, PARTNERS, Sheet, normalise_header
from plangen.inputs.values import match_key

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_INPUTS = ROOT / "inputs"

#: Shares of a return's actions that are sent by other partners too, near-duplicates, and new.
SHARED = 0.06
NEAR = 0.02
NEW = 0.25

DISTRICTS = ("Preston", "Chorley", "South Ribble", "West Lancashire", "Lancaster", "Wyre",
             "Fylde", "Ribble Valley", "Burnley", "Pendle", "Rossendale", "Hyndburn",
             "Blackburn", "Blackpool", "Morecambe", "Fleetwood", "Skelmersdale", "Leyland",
             "Clitheroe", "Colne", "Nelson", "Accrington", "Darwen", "Garstang", "Longridge")
SERVICES = ("Community Safety Team", "Housing Trust", "Youth Service",
            "Neighbourhood Policing Team", "Fire and Rescue", "Victim Support",
            "Drug and Alcohol Service", "Schools Partnership", "Health Trust", "Women's Aid",
            "Mental Health Team", "Licensing Team", "Street Pastors", "Neighbourhood Watch")

VERBS = ("Deliver", "Develop", "Expand", "Review", "Coordinate", "Promote", "Commission",
         "Pilot", "Strengthen", "Support", "Run", "Maintain", "Extend", "Evaluate", "Improve",
         "Introduce", "Establish", "Continue")
OBJECTS = (
    "targeted patrols", "a multi-agency problem-solving group", "the CCTV network",
    "awareness sessions on coercive control", "diversionary activities for young people",
    "a referral pathway to IDVA and ISVA support", "joint licensing visits",
    "a business crime reporting scheme", "training for frontline staff",
    "outreach to rough sleepers", "restorative justice conferences",
    "a mentoring scheme for care leavers", "safeguarding checks for taxi drivers",
    "MARAC case reviews", "neighbourhood clean-up days", "the Street Pastors scheme",
    "drug and alcohol screening in custody", "knife crime education",
    "a hate crime third-party reporting centre", "the night-time economy safe zone",
    "home security visits for repeat victims", "a youth outreach bus",
    "a consent campaign with the university", "information sharing through the MASH",
    "support for families affected by domestic abuse", "test purchase operations",
    "the Community Alcohol Partnership", "early help assessments",
    "disruption plans for organised crime groups", "mediation for neighbour disputes",
    "a programme for perpetrators of domestic abuse", "awareness of child criminal exploitation",
    "accommodation support for people leaving prison", "the ASBRAC process",
    "a trauma-informed approach", "visible patrols in parks", "exploitation screening",
    "the missing-from-home protocol", "a fly-tipping enforcement campaign",
    "targeted work with the top ten repeat offenders",
)
PLACES = ("in the city centre", "across {district}", "in priority neighbourhoods",
          "in secondary schools", "on the university campus", "around licensed premises",
          "in supported housing", "at the bus station", "with {partner}", "on housing estates",
          "in rural wards", "during the summer holidays", "")
PURPOSES = (
    "to reduce repeat victimisation", "so that victims are supported earlier",
    "to cut alcohol-related violence", "to disrupt organised crime groups",
    "to improve the reporting of sexual offences", "to lower re-offending among young adults",
    "to keep children safe from exploitation", "to reduce anti-social behaviour complaints",
    "to make residents feel safer", "to identify vulnerable people sooner",
    "to build trust & confidence in local services", "to share intelligence between partners",
    "to prevent first-time entrants to the justice system", "to tackle hidden harm",
)
SECOND = (
    "Progress will be reported to the CSP board each quarter.",
    "Outcomes will be measured against last year's baseline.",
    "Funding is confirmed for the first six months.",
    "This builds on the pilot run in 2017.",
    'Partners will share a single "lessons learned" report.',
    "Volunteers will be trained before the scheme starts.",
    "The group meets monthly and reviews every referral.",
)
SWAPS = {"Deliver": "Provide", "Develop": "Build", "Expand": "Grow", "Review": "Assess",
         "Promote": "Publicise", "Support": "Help", "Run": "Operate", "Improve": "Enhance",
         "reduce": "lower", "victims": "survivors", "young people": "teenagers"}
INITIATIVES = ("Street Pastors", "CCTV monitoring", "MARAC", "Youth diversion panel",
               "Drug and alcohol outreach", "Safe Space in the city centre", "IDVA service",
               "Pubwatch", "Neighbourhood Watch", "Restorative Justice service",
               "Early Action Team", "Mentoring for care leavers", "Knife crime workshops",
               "Business Crime Partnership", "Taxi marshals", "Sexual Assault Referral Centre",
               "Integrated Offender Management", "Healthy relationships lessons",
               "Community Alcohol Partnership", "Family support workers")
CONTACTS = ("A. Patel", "B. Okafor", "C. Nowak", "D. Hughes", "E. Khan", "F. O'Neill",
            "G. Walsh", "H. Ahmed", "I. Evans", "J. Murphy")
SEPARATORS = (", ", ", ", "/", "/ ", " / ", "; ")
#: Other names the sample's Partners sheet gives, used now and then in Leads.
ALSO = {"Probation Services": "Probation", "LCSC": "CSC", "BID": "BID BCP",
        "Treatment Services": "drug treatment services", "Genga": "Preston Genga Group"}


@dataclass(frozen=True)
class Return:
    """One partner's filled-in return, as rows of text."""

    partner: str
    file: str
    contact: str
    actions: tuple[tuple[str, str, str, str, str], ...]  # theme, action, timescale, leads, new
    current_work: tuple[tuple[str, str], ...]  # priority, initiative


def _timescale(rng: random.Random, lists: ReturnLists) -> str:
    """A deadline as partners pick them: Ongoing or a month of the plan, and now and then
    (one in 50) a month after it ends, which the Timescale list also offers."""
    if lists.months_after and rng.random() < 0.02:
        return rng.choice(lists.months_after)
    return rng.choice(lists.timescales[:1 + len(lists.months)])  # Ongoing, then the plan's

def partner_names(count: int) -> list[str]:
    """count made-up partner names, "Chorley Youth Service", varied across districts."""
    names = [f"{district} {service}" for service in SERVICES for district in DISTRICTS]
    if count > len(names):
        raise ValueError(f"at most {len(names)} synthetic partners")
    return names[:count]


def write_inputs(folder: Path, returns: int, actions: int, *, seed: int = 6,
                 workers: int = 1) -> Path:
    """Write folder/plan.xlsx and folder/returns/*.xlsx: `returns` returns of `actions` actions."""
    folder.mkdir(parents=True, exist_ok=True)
    senders = _coordinator(folder / COORDINATOR_FILE, returns)
    lists, problems = read_lists(folder)
    if problems:
        raise RuntimeError(f"the synthetic plan.xlsx has errors: {problems}")
    content = plan_returns(lists, senders, actions, random.Random(seed))
    out = folder / RETURNS_DIR
    out.mkdir(exist_ok=True)
    jobs = [(lists, item, out / item.file) for item in content]
    if workers > 1:
        with ProcessPoolExecutor(workers) as pool:
            list(pool.map(_write_return, *zip(*jobs, strict=True), chunksize=4))
    else:
        for job in jobs:
            _write_return(*job)
    return folder


def _coordinator(path: Path, returns: int) -> list[str]:
    """The sample plan.xlsx with partners added so that `returns` of them send a return."""
    book = load_workbook(SAMPLE_INPUTS / COORDINATOR_FILE)
    sheet = book[PARTNERS.name]
    header = _columns(sheet, PARTNERS)
    name_col, sends_col = header["partner"], header["sends_return"]
    senders: list[str] = []
    last = 1
    for row in range(2, sheet.max_row + 1):
        name = sheet.cell(row, name_col).value
        if not name:
            continue
        last = row
        sends = str(sheet.cell(row, sends_col).value or "").casefold() == "yes"
        if sends and len(senders) < returns:
            senders.append(str(name))
        else:
            sheet.cell(row, sends_col).value = "No"
    for offset, name in enumerate(partner_names(max(0, returns - len(senders))), start=1):
        sheet.cell(last + offset, name_col).value = name
        sheet.cell(last + offset, sends_col).value = "Yes"
        senders.append(name)
    book.save(path)
    return senders


def _columns(sheet: Worksheet, spec: Sheet) -> dict[str, int]:
    """Schema key -> column number, from the header in row 1."""
    headers = {normalise_header(str(cell.value)): cell.column for cell in sheet[1] if cell.value}
    return {column.key: headers[normalise_header(column.header)] for column in spec.columns
            if normalise_header(column.header) in headers}


def plan_returns(lists: ReturnLists, senders: Sequence[str], actions: int,
                 rng: random.Random) -> list[Return]:
    """What every partner writes: unique actions, plus shared ones and near-duplicates."""
    partners = list(lists.partners)
    used: set[tuple[str, str]] = set()  # (theme, match key) of every action written

    def sentence() -> str:
        place = rng.choice(PLACES).format(district=rng.choice(DISTRICTS),
                                          partner=rng.choice(partners))
        words = [rng.choice(VERBS), rng.choice(OBJECTS), place, rng.choice(PURPOSES)]
        text = " ".join(word for word in words if word) + "."
        if rng.random() < 0.3:
            text += " " + rng.choice(SECOND)
        return text

    def fresh(theme: str) -> str:
        while True:
            text = sentence()
            if (theme, match_key(text)) not in used:
                used.add((theme, match_key(text)))
                return text

    def leads(partner: str) -> str:
        names = [partner, *rng.sample(partners, rng.choice((0, 0, 1, 1, 2)))]
        if rng.random() < 0.15:
            rng.shuffle(names)
        written = [ALSO[name] if name in ALSO and rng.random() < 0.3 else name
                   for name in dict.fromkeys(names)]
        return rng.choice(SEPARATORS).join(written)

    shared_each = max(1, round(SHARED * actions)) if len(senders) > 1 else 0
    near_each = round(NEAR * actions) if len(senders) > 1 else 0
    pool_size = max(1, len(senders) * shared_each // 3)  # each shared action: ~3 partners
    pool = []
    for _ in range(pool_size):
        theme = rng.choice(lists.themes)
        pool.append((theme, fresh(theme), _timescale(rng, lists)))

    result: list[Return] = []
    taken: set[str] = set()
    for index, partner in enumerate(senders):
        rows: list[tuple[str, str, str, str, str]] = []
        for slot in range(min(shared_each, actions)):  # sent by other partners too
            theme, text, timescale = pool[(index * shared_each + slot) % pool_size]
            if any(match_key(text) == match_key(row[1]) for row in rows):
                continue
            rows.append((theme, _respelt(text, rng), timescale, leads(partner), _new(rng)))
        for _ in range(min(near_each, actions - len(rows))):  # a word changed
            theme, text, timescale = rng.choice(pool)
            variant = _near(text, rng)
            if (theme, match_key(variant)) in used:
                continue
            used.add((theme, match_key(variant)))
            rows.append((theme, variant, _timescale(rng, lists), leads(partner),
                         _new(rng)))
        while len(rows) < actions:
            theme = rng.choice(lists.themes)
            rows.append((theme, fresh(theme), _timescale(rng, lists),
                         leads(partner), _new(rng)))
        rng.shuffle(rows)
        work = tuple((rng.choice(lists.priorities),
                      rng.choice(INITIATIVES) + rng.choice(("", "", f" in {partner}")))
                     for _ in range(rng.randint(2, 8)))
        stem = file_name(partner).removesuffix(".xlsx")
        name, number = stem, 1
        while name in taken:
            number += 1
            name = f"{stem}-{number}"
        taken.add(name)
        result.append(Return(partner, f"{name}.xlsx", rng.choice(CONTACTS), tuple(rows), work))
    return result


def _new(rng: random.Random) -> str:
    return "Yes" if rng.random() < NEW else rng.choice(("", "", "No"))


def _respelt(text: str, rng: random.Random) -> str:
    """The same action as another partner wrote it: spacing, case or full stop differ."""
    choice = rng.randrange(4)
    if choice == 0:
        return text.rstrip(".")
    if choice == 1:
        return text.replace(" ", "  ", 1)
    if choice == 2:
        return text[0].lower() + text[1:]
    return text


def _near(text: str, rng: random.Random) -> str:
    """Nearly the same action: one word swapped for a synonym, or a word dropped."""
    for old, new in rng.sample(list(SWAPS.items()), len(SWAPS)):
        if old in text:
            return text.replace(old, new, 1)
    words = text.split()
    del words[rng.randrange(1, len(words))]
    return " ".join(words)


def _write_return(lists: ReturnLists, item: Return, path: Path) -> None:
    """The partner's blank return from plangen's writer, filled in and saved."""
    book = blank_return(item.partner, lists, item.file)
    about = book[ABOUT.name]
    where = {column.key: row for row, column in enumerate(ABOUT.columns, start=2)}
    about.cell(where["contact"], 2).value = item.contact
    about.cell(where["email"], 2).value = f"{item.contact.split()[-1].casefold()}@example.org"
    for spec, rows in ((ACTIONS, item.actions), (CURRENT_WORK, item.current_work)):
        sheet = book[spec.name]
        for row, values in enumerate(rows, start=2):
            for column, value in enumerate(values, start=1):
                if value:
                    sheet.cell(row, column).value = value
    book.save(path)


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    target = Path(sys.argv[1])
    if target.exists():
        shutil.rmtree(target)
    write_inputs(target, int(sys.argv[2]), int(sys.argv[3]), workers=2)
    print(f"Wrote {target}")
