"""Write the sample inputs that reproduce the Preston Partnership Plan 2018/19 word for word.

The .xlsx files under inputs/ are the source of truth: edit them, not this script. This script
is kept for reference and to regenerate them from scratch:

    python scripts/make_sample_inputs.py          # writes inputs/plan.xlsx and inputs/returns/

It needs only openpyxl. Sheet names and headers come from plangen's schema (src/plangen/schema.py,
standard library only), so the files always match the input contract.

The text is transcribed from the seed document (the reference plan), wrapped lines joined. The
reference's real data flaws are kept on purpose, so the tool has something to catch: a sentence
repeated inside one Domestic Abuse action, leads with uneven separators ("Police/ CSC/ Forum
members", "CSP Analyst/CLCRC/ /task and finish group"), "September  2018" with two spaces, and
acronyms the glossary lacks (OPCC, CSC, CSEG, MACSE, HMP).

How the returns are arranged: the plan orders a theme's actions, and a page's "What we do now",
by the sending partner's position in the Partners sheet, then by row in that return; a duplicate
sent by two partners is merged and keeps its first position. The partners are listed, and each
action is given to one of its own leads, so that this ordering is the reference's order. Three
actions are sent twice, written a little differently by the second partner, to exercise merging.
"""

from __future__ import annotations

import math
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from plangen.inputs.schema import COORDINATOR, RETURN, Sheet  # noqa: E402

INPUTS = ROOT / "inputs"

# --- The coordinator's workbook: inputs/plan.xlsx ------------------------------------------------

SETTINGS = {
    "partnership": "Preston Community Safety Partnership",
    "area": "Preston",
    "title": "Preston Community Safety Partnership Plan 2018 to 2019",
    "period_start": "April 2018",
    "period_end": "March 2019",
    "send_returns_to": "",  # not known for the sample: blank returns say "whoever sent it"
    "returns_due": "",
    # The plan's own opening words: without them the plan would open with a neutral sentence.
    "introduction": "This Partnership Plan is written in consultation with partners and based "
                    "on data provided by the Lancashire Strategic Assessment 2016 and its "
                    "corresponding Preston District Local Profile.",
}

SOURCES = (
    ("Lancashire Strategic Assessment 2016",),
    ("Preston District Local Profile",),
)

# Priority | Page title
PRIORITIES = (
    ("Violent Crime", "Violent crime"),
    ("Domestic Abuse", "Domestic Abuse"),
    ("Sexual Offences", "Sexual Offences (including child sexual exploitation)"),
    ("Anti-social Behaviour", "Anti-social Behaviour"),
    ("Re-offending", "Re-offending"),
)

# Priority | Statistic (the box's heading) | Fact: one row per fact
STATISTICS = (
    ("Violent Crime", "Serious Assault", "Accounts for 35% of Harm"),
    ("Violent Crime", "Serious Assault", "Main victim and offender groups aged 20-24 years"),
    ("Violent Crime", "Assault with injury", "Accounts for 14% of crime in Preston and 5% Harm"),
    ("Domestic Abuse", "Domestic Abuse", "Calls to police higher than the Lancashire average"),
    ("Domestic Abuse", "Children affected", "Half of domestic incidents involved children"),
    ("Sexual Offences", "Sexual Assaults", "Victims 10-14 years"),
    ("Sexual Offences", "Rape", "Accounts for 30% of harm"),
    ("Sexual Offences", "Child Sexual Exploitation", "Most offenders act alone"),
    ("Anti-social Behaviour", "Noise and neighbours", "Accounts for 23% housing ASB issues"),
    ("Anti-social Behaviour", "Dog Fouling, Fly-tipping",
     "74% of neighbourhoods identified ASB as a priority"),
    ("Re-offending", "Recidivism", "Preston has the highest number of caseloads in Lancashire"),
    ("Re-offending", "Recidivism", "32% of those on probation re-offend"),
    ("Re-offending", "Offenders with psychiatric problems",
     "11% of offenders in Lancashire reside in Preston"),
)

# Priority | Aim ("What we want to achieve")
AIMS = (
    ("Violent Crime", "A safe place to live and enjoy leisure time"),
    ("Violent Crime", "Reduction in youths associating with gangs"),
    ("Domestic Abuse", "Better support and aftercare for victims of domestic abuse and their "
     "children"),
    ("Domestic Abuse", "Fewer cases of Domestic Abuse"),
    ("Sexual Offences", "Better support and aftercare for victims"),
    ("Sexual Offences", "Fewer children exploited sexually"),
    ("Anti-social Behaviour", "Safe and cohesive neighbourhoods"),
    ("Anti-social Behaviour", "Improve quality of life for residents and visitors of Preston"),
    ("Re-offending", "Fewer people offending"),
    ("Re-offending", "Good support systems for offenders"),
)

# Priority | Commitment ("What we will do")
COMMITMENTS = (
    ("Violent Crime", "Continue evidence-led good practice"),
    ("Violent Crime", "Educate businesses to be responsible alcohol providers"),
    ("Violent Crime", "Educate young people in associated consequences of alcohol and drug use"),
    ("Violent Crime", "Increase victim support and aftercare"),
    ("Violent Crime", "Reduce the number of crime gangs and the number of people in gangs"),
    ("Violent Crime", "Enhance the effectiveness of city centre CCTV"),
    ("Domestic Abuse", "Promote early disclosure of domestic abuse"),
    ("Domestic Abuse", "Develop a forum to identify gaps and strains in service to enhance "
     "provision"),
    ("Domestic Abuse", "Increase support for victims"),
    ("Domestic Abuse", "Identify and support children affected by domestic abuse"),
    ("Domestic Abuse", "Promote offender management"),
    ("Sexual Offences", "Educate young people in the safe use of information technology and "
     "social media"),
    ("Sexual Offences", "Deliver ‘consent’ message campaign"),
    ("Sexual Offences", "Make businesses aware of safeguarding measures for children and "
     "vulnerable adults"),
    ("Sexual Offences", "Work with specialist providers to promote campaigns locally"),
    ("Sexual Offences", "Encourage reporting of familial abuse"),
    ("Sexual Offences", "Raise awareness of risks of going missing to encourage early reporting"),
    ("Anti-social Behaviour", "Promote mediation solutions"),
    ("Anti-social Behaviour", "Continue support for victims of ASB, particularly through ASBRAC "
     "process"),
    ("Anti-social Behaviour", "Promote Early Action Initiatives"),
    ("Anti-social Behaviour", "Encourage victim participation in the solution"),
    ("Anti-social Behaviour", "Learn through case studies"),
    ("Anti-social Behaviour", "Encourage engagement with positive programmes"),
    ("Re-offending", "Increase access to support services"),
    ("Re-offending", "Increase Restorative Justice opportunities"),
    ("Re-offending", "Promote Early Action initiatives"),
    ("Re-offending", "Encourage use of health and treatment services"),
    ("Re-offending", "Provide diversionary activities"),
)

# Theme | Priorities (the "Priorities:" line, as the reference writes it; empty for ASB)
THEMES = (
    ("City Safe", "Early Intervention, Violent Crime, Sexual Offending (including CSE), "
     "Anti-Social Behaviour, Business Crime."),
    ("Serious and Organised Crime", "Early Intervention, Violent Crime, Criminal Exploitation, "
     "CSE."),
    ("Early Intervention", "Early Intervention for all priorities."),
    ("Sexual Offences", "Early Intervention, Sexual Assault, Stalking and Harassment, Child "
     "Sexual Exploitation and Abuse"),
    ("Domestic Abuse", "Early Intervention, Domestic Abuse (including forced marriage and "
     "so-called ‘honour’ based abuse), Sexual Offences."),
    ("Anti-Social Behaviour", None),
    ("Reoffending", "Early Intervention, Rehabilitation and resettlement, illicit drug use; "
     "domestic abuse."),
)

# Acronym | Meaning, in the reference's order (the plan sorts them)
GLOSSARY = (
    ("ASB", "Anti-Social Behaviour"),
    ("ASBRAC", "Anti-Social Behaviour Risk Assessment Conference"),
    ("BCP", "Business Crime Partnership"),
    ("BID", "Business Improvement District"),
    ("CAP", "Community Alcohol Partnership"),
    ("CCE", "Child Criminal Exploitation"),
    ("CCTV", "Closed Circuit Television"),
    ("CGA", "Community Gateway Association"),
    ("CFWS", "Children and Family Wellbeing Service"),
    ("CLCRC", "Cumbria and Lancashire Community Rehabilitation Company"),
    ("CPB", "Children’s Partnership Board"),
    ("CSE", "Child Sexual Exploitation"),
    ("CSP", "Community Safety Partnership"),
    ("Genga", "a local multi-agency partnership against SOC"),
    ("GPCCG", "Greater Preston Clinical Commissioning Group"),
    ("HT", "Human Trafficking"),
    ("IDVA", "Independent Domestic Violence Advocate"),
    ("ISVA", "Independent Sexual Violence Advocate"),
    ("LCC", "Lancashire County Council"),
    ("LCSC", "Lancashire Children’s Social Care"),
    ("MARAC", "Multi-Agency Risk Assessment Conference"),
    ("MASH", "Multi-Agency Safeguarding Hub"),
    ("MATAC", "Multi-Agency Tasking and Co-ordination"),
    ("MDS", "Modern Day Slavery"),
    ("PCC", "Preston City Council"),
    ("SARC", "Sexual Assault Referral Centre"),
    ("SOC", "Serious and Organised Crime"),
    ("TIIG", "Trauma and Injury Intelligence Group"),
    ("UCLan", "University of Central Lancashire"),
    ("YOT", "Youth Offending Team"),
)

# Partner | Full name | Sends a return | Other names.
# The order matters: it orders each theme's actions and each page's "What we do now".
PARTNERS = (
    ("Police", "Lancashire Constabulary", "Yes", None),
    ("BID", "Preston Business Improvement District", "Yes",
     "BID BCP, BID Business Crime Partnership"),
    ("Genga", "Preston Genga Group", "Yes", "Preston Genga Group"),
    ("OPCC", "Office of the Police and Crime Commissioner for Lancashire", "Yes", None),
    ("Probation Services", "National Probation Service", "Yes", "Probation"),
    ("CLCRC", "Cumbria and Lancashire Community Rehabilitation Company", "Yes", None),
    ("PCC", "Preston City Council", "Yes", None),
    ("CSP Analyst", "Community Safety Partnership Analyst", "Yes", None),
    ("Forum members", "Preston Domestic Abuse Providers’ Forum", "Yes", None),
    ("CSEG members", None, "Yes", None),
    ("UCLan", "University of Central Lancashire", "No", None),
    ("LCSC", "Lancashire Children’s Social Care", "No", "CSC"),
    ("YOT", "Youth Offending Team", "No", None),
    ("Early Action Team", None, "No", None),
    ("Public Health", "Lancashire County Council Public Health", "No", None),
    ("Treatment Services", "Drug and alcohol treatment services", "No",
     "drug treatment services"),
    ("Steering Group members", "Health Setting Support pilot steering group", "No", None),
    ("City Safe", None, "No", None),
    ("CGA", "Community Gateway Association", "No", None),
    ("CFWS", "Children and Family Wellbeing Service", "No", None),
    ("Early Intervention Panel", None, "No", None),
    ("task and finish group", None, "No", None),
)

COORDINATOR_DATA: dict[str, Sequence[tuple[str | None, ...]]] = {
    "Sources": SOURCES,
    "Priorities": PRIORITIES,
    "Statistics": STATISTICS,
    "Aims": AIMS,
    "Commitments": COMMITMENTS,
    "Themes": THEMES,
    "Glossary": GLOSSARY,
    "Partners": PARTNERS,
}

# --- The partners' returns: inputs/returns/<slug>.xlsx -------------------------------------------
# Actions: Theme | Key action | Timescale | Leads | New.   Current work: Priority | Initiative.
# Leads are written as the reference writes them. A row marked "duplicate" repeats an action an
# earlier partner sent, in that partner's own words; it merges into the earlier one.

Action = tuple[str, str, str, str, str | None]  # Theme, Key action, Timescale, Leads, New
Initiative = tuple[str, str]  # Priority, Initiative


@dataclass(frozen=True)
class Return:
    slug: str  # the file name, inputs/returns/<slug>.xlsx
    partner: str  # as named in the Partners sheet
    contact: str
    email: str
    actions: tuple[Action, ...]
    current_work: tuple[Initiative, ...]


CS, SOC, EI, SO, DA, ASB, RO = (theme for theme, _ in THEMES)
VC, DAP, SOP, ASBP, ROP = (priority for priority, _ in PRIORITIES)
YES = "Yes"

RETURNS = (
    Return(
        slug="police",
        partner="Police",
        contact="Insp. Dana Whitlock",
        email="dana.whitlock@example.org",
        actions=(
            (CS, "Develop City Safe and the BID Business Crime Partnership to increase and "
             "sustain community safety in the city centre.", "March 2019",
             "Police/UCLan/PCC/BID", YES),
            (CS, "Engage with BID Business Crime Partnership to promote safer enjoyment of the "
             "city’s night time economy.", "Ongoing", "BID/ Police/ PCC", None),
            (SOC, "Deliver intelligence led, multi-agency disruption and enforcement actions to "
             "reduce harm from gang related violence. E.g. challenge retailers who provide easy "
             "access to knives and weapons.", "Ongoing", "Police/Preston Genga Group", None),
            (SOC, "Identify, engage and support individuals who are vulnerable to becoming "
             "involved in a gang or wish to leave and build resilience to CCE.", "Ongoing",
             "LCSC/Police/ Probation Services/YOT", None),
            (SOC, "Raise awareness of modern day slavery and human trafficking, protect victims "
             "and build resilience to criminal exploitation.", "Ongoing", "Genga / Police/ LCSC",
             YES),
            (SO, "Raise awareness about consent, personal safety and support for victims and "
             "encourage early reporting of sexual offences.", "Ongoing",
             "Police/CSC/Forum members", None),
            (ASB, "Develop targeted partnership problem solving approach (MATAC) to deal with "
             "geographic based or complex ASB cases.", "Ongoing", "PCC / Police / CGA", None),
            (ASB, "Develop knowledge and improve the use of anti-social behaviour legislation.",
             "Ongoing", "PCC / Police / CGA", None),
            (ASB, "Encourage young people involved or at risk of involvement in anti-social "
             "behaviour to engage with positive activities.", "Ongoing", "CFWS/ Police/ YOT",
             None),
        ),
        current_work=(
            (VC, "Fresher’s Week Interventions"),
            (VC, "Street Pastors"),
            (VC, "City Safe"),
            (VC, "CCTV"),
            (VC, "Intelligence sharing"),
            (DAP, "MASH referrals"),
            (SOP, "City Safe"),
            (SOP, "Purple Flag"),
            (SOP, "MACSE"),
            (ASBP, "ASBRAC"),
            (ASBP, "MATAC"),
            (ASBP, "Divert"),
        ),
    ),
    Return(
        slug="bid",
        partner="BID",
        contact="Priya Castellan",
        email="priya.castellan@example.org",
        actions=(
            # duplicate of the police's row: straight apostrophe, leads in another order
            (CS, "Engage with BID Business Crime Partnership to promote safer enjoyment of the "
             "city's night time economy.", "Ongoing", "BID, Police, PCC", None),
            (CS, "Develop the CCTV operation in the city centre to enhance its effectiveness as "
             "a tool in reducing incidents of violence.", "Ongoing", "PCC/BID BCP", None),
        ),
        current_work=(
            (VC, "Safe Zones"),
            (VC, "Taxi Stewards"),
            (VC, "City Safe"),
            (SOP, "Taxi Stewarding"),
            (SOP, "City Safe"),
            (SOP, "Purple Flag"),
        ),
    ),
    Return(
        slug="genga",
        partner="Genga",
        contact="Marcus Oyelaran",
        email="marcus.oyelaran@example.org",
        actions=(
            # duplicate of the police's row: other capitals, leads comma-separated
            (SOC, "Raise awareness of Modern Day Slavery and Human Trafficking, protect victims "
             "and build resilience to criminal exploitation.", "Ongoing", "Genga, Police, LCSC",
             YES),
            (SOC, "Engage young people in making lifestyle choices which give them resilience to "
             "becoming involved in gangs.", "Ongoing", "Genga/ Early Action Team", None),
        ),
        current_work=(
            (VC, "Genga"),
            (VC, "Twilight"),
            (VC, "Divert"),
            (ASBP, "Brightsparx"),
            (ASBP, "Diversionary activities"),
        ),
    ),
    Return(
        slug="opcc",
        partner="OPCC",
        contact="Helen Marsden-Kaye",
        email="helen.marsden-kaye@example.org",
        actions=(
            (SO, "Engage in the Health Setting Support pilot programme for Victims of Sexual "
             "Violence to support its development in Royal Preston Hospital.", "Ongoing",
             "OPCC/ Steering Group members", YES),
        ),
        current_work=(
            (SOP, "Lancashire Victim Services"),
            (SOP, "SARC"),
            (ASBP, "Nest"),
        ),
    ),
    Return(
        slug="probation",
        partner="Probation Services",
        contact="Tom Ashworth",
        email="tom.ashworth@example.org",
        actions=(
            (CS, "Deliver targeted, multi-agency actions, to reduce the harm caused by violence "
             "associated with alcohol and drugs.", "Ongoing",
             "Probation /Public Health /Treatment Services", None),
            (RO, "Provide co-ordinated prison release arrangements with services involved in the "
             "rehabilitation and resettlement of the offender on release.", "Ongoing",
             "Probation Services", None),
        ),
        current_work=(
            (ROP, "Domestic Abuse Programme"),
            (ROP, "Support financial stability"),
            (ROP, "House in suitable accommodation"),
        ),
    ),
    Return(
        slug="clcrc",
        partner="CLCRC",
        contact="Aisha Pemberton",
        email="aisha.pemberton@example.org",
        actions=(
            (RO, "Incorporate arrangements to refer reoffenders into Early Intervention panels, "
             "enabling access to support to reduce risk of re-offending.", "Ongoing",
             "Early Intervention Panel/drug treatment services/ CLCRC", None),
            (RO, "Research the use of illicit drugs in the community, including prevalent and "
             "emerging drugs of choice and their effect on the risk of offending and reoffending "
             "rates.", "September  2018", "CSP Analyst/CLCRC/ /task and finish group", YES),
            (RO, "Implement a task and finish group to assist the research on drug related harm "
             "and develop targeted interventions to reduce the risk and threat to communities.",
             "April 2019", "CLCRC/ task and finish group.", YES),
            (RO, "Implement voluntary domestic abuse perpetrator programmes in HMP Preston, using "
             "the findings to remodel a local programme for implementation.", "September 2018",
             "CLCRC", None),
        ),
        current_work=(
            (ROP, "House in suitable accommodation"),
            (ROP, "Provide access to training and employment"),
            (ROP, "Provide health care"),
            (ROP, "Access substance misuse treatment services"),
        ),
    ),
    Return(
        slug="preston-city-council",
        partner="PCC",
        contact="Gareth Lindqvist",
        email="gareth.lindqvist@example.org",
        actions=(
            (CS, "Deliver multi agency activity to reduce the anti-social behaviour associated "
             "with street drinking and begging.", "Ongoing", "PCC / Police", None),
            # duplicate of the police's row: a line break inside the cell, leads comma-separated
            (ASB, "Develop targeted partnership problem solving approach (MATAC)\nto deal with "
             "geographic based or complex ASB cases.", "Ongoing", "PCC, Police, CGA", None),
        ),
        current_work=(
            (VC, "Purple Flag Award"),
            (VC, "City Safe"),
            (VC, "CCTV"),
            (DAP, "Sanctuary Scheme"),
            (DAP, "White Ribbon Campaign"),
            (DAP, "MARAC"),
            (DAP, "Intelligence sharing"),
            (SOP, "Intelligence sharing"),
            (SOP, "Genga"),
            (ASBP, "Promote responsible dog ownership"),
            (ASBP, "Multi-agency approach to legislative powers"),
            (ASBP, "Community Trigger"),
            (ASBP, "ASBRAC"),
        ),
    ),
    Return(
        slug="csp-analyst",
        partner="CSP Analyst",
        contact="Nadia Fairclough",
        email="nadia.fairclough@example.org",
        actions=(
            (SO, "Research how sexual offending (including CSE) affects communities to identify "
             "where resources are required to raise awareness and deliver information using the "
             "most effective media.", "Ongoing", "CSP Analyst/ City Safe/ Forum members", None),
        ),
        current_work=(
            (VC, "Intelligence sharing"),
            (DAP, "Intelligence sharing"),
            (SOP, "Intelligence sharing"),
        ),
    ),
    Return(
        slug="providers-forum",
        partner="Forum members",
        contact="Ruth Okonkwo-Hale",
        email="ruth.okonkwo-hale@example.org",
        actions=(
            (SOC, "Deliver information about the risks associated with a child or vulnerable "
             "person going missing, the importance of early reporting and what happens following "
             "a report.", "Ongoing", "Police/ CSC/ Forum members", None),
            (SO, "Raise awareness on CSE indicators and safeguarding responsibility to providers "
             "of entertainment, activities and services for children and young people.",
             "Ongoing", "Forum members/Police", None),
            (DA, "Support the local providers’ forum in Preston to assist in the development and "
             "co-ordination of services and to increase the offer of help and support to all "
             "communities.", "September 2018", "Forum members", YES),
            # the sentence repeated inside the cell is the reference's own flaw, kept on purpose
            (DA, "Raise awareness in local communities of all forms of domestic abuse, including "
             "so-called honour based abuse and forced marriage. Raise awareness in local "
             "communities of all forms of domestic abuse, including so-called honour based abuse "
             "and forced marriage.", "September 2018", "Forum members", None),
            (DA, "Develop the White Ribbon Campaign and the role of Ambassadors and Champions.",
             "July 2018", "PCC/ Forum members", YES),
            (DA, "Monitor the diversity and capacity of services to help and support families "
             "affected by domestic abuse and identify what more should be done to reduce the risk "
             "and harm to children and other family members.", "Ongoing", "Forum members", None),
        ),
        current_work=(
            (DAP, "Lancashire Victim Services"),
            (DAP, "Refuge"),
            (DAP, "You and Me, Mum"),
            (DAP, "NEST"),
            (DAP, "Providers’ Forum"),
            (DAP, "MARAC"),
            (DAP, "White Ribbon Campaign"),
            (SOP, "Online safety advice"),
        ),
    ),
    Return(
        slug="cseg",
        partner="CSEG members",
        contact="Owen Bradshaw",
        email="owen.bradshaw@example.org",
        actions=(
            (EI, "Initiate a locality based pilot study to examine barriers to early "
             "intervention, raise organisational awareness and influence organisational culture "
             "and resourcing.", "Ongoing", "CSEG members", YES),
        ),
        current_work=(),
    ),
)

# --- Writing -------------------------------------------------------------------------------------

HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", start_color="DDE4EE")
TOP = Alignment(vertical="top")
WRAP = Alignment(vertical="top", wrap_text=True)
TEXT_FORMAT = "@"  # stop Excel turning "April 2018" into a date when someone edits the cell
LINE_HEIGHT = 15  # points per line of 11-point text


def _fit_rows(sheet: Worksheet) -> None:
    """Set each row's height to fit its wrapped text: neither Excel nor LibreOffice does it for
    a file written by openpyxl."""
    widths = {column: dimension.width for column, dimension in sheet.column_dimensions.items()}
    for row_cells in sheet.iter_rows(min_row=2):
        lines = 1
        for cell in row_cells:
            width = widths.get(cell.column_letter) or 10
            paragraphs = str(cell.value or "").split("\n")
            lines = max(lines, sum(math.ceil(len(text) * 1.1 / width) or 1 for text in paragraphs))
        sheet.row_dimensions[row_cells[0].row].height = lines * LINE_HEIGHT


def _style_header(sheet: Worksheet, widths: Sequence[int]) -> None:
    for index, width in enumerate(widths, start=1):
        cell = sheet.cell(row=1, column=index)
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.alignment = TOP
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    _fit_rows(sheet)


def write_settings(book: Workbook, spec: Sheet, values: dict[str, str]) -> None:
    """A Setting | Value sheet: one row per column of the schema's sheet."""
    if set(values) != {column.key for column in spec.columns}:
        raise ValueError(f"{spec.name}: values for {sorted(values)} do not match the schema")
    sheet = book.create_sheet(spec.name)
    sheet.append(["Setting", "Value"])
    for column in spec.columns:
        sheet.append([column.header, values[column.key]])
    for (cell,) in sheet.iter_rows(min_row=2, min_col=2, max_col=2):
        cell.number_format = TEXT_FORMAT
        cell.alignment = WRAP
    _style_header(sheet, (20, 50))


def write_table(book: Workbook, spec: Sheet, rows: Sequence[Sequence[object]]) -> None:
    """A table sheet: the schema's headers in row 1, the rows from row 2 (a return's as a
    blank return has them, without the columns of one pre-filled from last year's plan)."""
    spec = spec.written()
    sheet = book.create_sheet(spec.name)
    sheet.append([column.header for column in spec.columns])
    for row in rows:
        if len(row) != len(spec.columns):
            raise ValueError(f"{spec.name}: {row!r} has {len(row)} values, the schema "
                             f"{len(spec.columns)} columns")
        sheet.append(list(row))
    for row_cells in sheet.iter_rows(min_row=2):
        for cell in row_cells:
            cell.alignment = WRAP
            cell.number_format = TEXT_FORMAT
    # long free text gets a wide column even where the schema's default width is narrow
    _style_header(sheet, [max(column.width, 45 if column.max_length > 120 else 0)
                          for column in spec.columns])


def write_workbook(path: Path, sheets: Sequence[tuple[Sheet, object]]) -> None:
    book = Workbook()
    book.remove(book.active)
    for spec, data in sheets:
        if spec.settings and isinstance(data, dict):
            write_settings(book, spec, data)
        elif not spec.settings and isinstance(data, Sequence):
            write_table(book, spec, data)
        else:
            raise TypeError(f"{spec.name}: no data of the right shape")
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)


def main() -> None:
    written: list[Path] = []

    coordinator = [(spec, SETTINGS if spec.settings else COORDINATOR_DATA[spec.name])
                   for spec in COORDINATOR.sheets]
    write_workbook(INPUTS / "plan.xlsx", coordinator)
    written.append(INPUTS / "plan.xlsx")

    for partner in RETURNS:
        data: dict[str, object] = {
            "About": {"partner": partner.partner, "contact": partner.contact,
                      "email": partner.email},
            "Actions": partner.actions,
            "Current work": partner.current_work,
        }
        path = INPUTS / "returns" / f"{partner.slug}.xlsx"
        write_workbook(path, [(spec, data[spec.name]) for spec in RETURN.sheets])
        written.append(path)

    for path in written:
        print(path.relative_to(ROOT))


if __name__ == "__main__":
    main()
