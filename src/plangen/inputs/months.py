"""Months and timescales as people type them: "Sept 2018", "09/2018", "Ongoing", a real date;
and the months a plan's timescales can be picked from.

Apart from the other cell parsers (plangen.inputs.values) because a timescale is a model value:
values stays free of the model, so the model can use its keys (Plan.glance uses lead_key).
"""

from __future__ import annotations

import re
from datetime import date, datetime

from plangen.inputs.schema import ONGOING
from plangen.inputs.values import clean_text
from plangen.model import Timescale

_MONTHS = {
    name: number
    for number, names in enumerate(
        (("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"),
         ("may",), ("june", "jun"), ("july", "jul"), ("august", "aug"),
         ("september", "sep", "sept"), ("october", "oct"), ("november", "nov"),
         ("december", "dec")),
        start=1,
    )
    for name in names
}
_MONTH_NAME_YEAR = re.compile(r"^(?:end(?: of)? |by )?([a-z]+)\.?[\s,\-/']*(\d{4}|\d{2})$")
_YEAR_MONTH_NAME = re.compile(r"^(\d{4})[\s\-/]+([a-z]+)\.?$")
_NUMERIC_MONTH_YEAR = re.compile(r"^(\d{1,2})\s*[/.\-]\s*(\d{4}|\d{2})$")
_ISO_YEAR_MONTH = re.compile(r"^(\d{4})\s*[/.\-]\s*(\d{1,2})$")
_DAY_MONTH_YEAR = re.compile(r"^(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4})$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ t]00:00(?::00)?)?$")

MONTH_HINT = 'a month and year such as "September 2018", "Sept 2018" or "09/2018"'


def _year(text: str) -> int:
    year = int(text)
    return 2000 + year if len(text) == 2 else year


def _month(year: int, month: int) -> date:
    if not 1 <= month <= 12 or not 1900 <= year <= 2200:
        raise ValueError("not a real month")
    return date(year, month, 1)


def parse_month(value: object) -> date:
    """The first day of the month a cell names; real Excel dates are accepted as they are."""
    if isinstance(value, datetime):
        return date(value.year, value.month, 1)
    if isinstance(value, date):
        return date(value.year, value.month, 1)
    text = clean_text(value).casefold()
    try:
        if match := _MONTH_NAME_YEAR.match(text):
            name, year = match.groups()
            if name in _MONTHS:
                return _month(_year(year), _MONTHS[name])
        elif match := _YEAR_MONTH_NAME.match(text):
            year, name = match.groups()
            if name in _MONTHS:
                return _month(int(year), _MONTHS[name])
        elif match := _NUMERIC_MONTH_YEAR.match(text):
            return _month(_year(match.group(2)), int(match.group(1)))
        elif match := _ISO_YEAR_MONTH.match(text):
            return _month(int(match.group(1)), int(match.group(2)))
        elif match := _DAY_MONTH_YEAR.match(text):
            return _month(int(match.group(3)), int(match.group(2)))
        elif match := _ISO_DATE.match(text):
            return _month(int(match.group(1)), int(match.group(2)))
    except ValueError:
        pass
    raise ValueError(f'"{clean_text(value)}" is not {MONTH_HINT}')


def months_from(start: date, end: date) -> tuple[date, ...]:
    """The first day of every month from start's to end's, both included."""
    months: list[date] = []
    year, month = start.year, start.month
    while date(year, month, 1) <= end:
        months.append(date(year, month, 1))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return tuple(months)


def months_after(end: date, count: int) -> tuple[date, ...]:
    """The first day of each of the count months after end's month."""
    last = end.year * 12 + end.month - 1 + count
    return months_from(date(end.year, end.month, 1), date(last // 12, last % 12 + 1, 1))[1:]


def parse_timescale(value: object) -> Timescale:
    """ "Ongoing", or a month: "March 2019", "Mar-19", "03/2019", a real date."""
    if clean_text(value).casefold() in ONGOING:
        return Timescale()
    try:
        return Timescale(parse_month(value))
    except ValueError:
        raise ValueError(f'"{clean_text(value)}" is not "Ongoing" or {MONTH_HINT}') from None
