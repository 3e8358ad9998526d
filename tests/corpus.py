"""Writing .xlsx packages by hand, the way other programs write them, for the adversarial corpus.

openpyxl writes one dialect of SpreadsheetML. Returns arrive in others: inline strings instead
of a shared-string table, cells and rows without their `r` reference, no `<dimension>`, a
namespace prefix on every tag, absolute part names in the relationships, the 1904 date system,
the Strict Open XML namespaces. `package()` writes a workbook in any mix of these, from cells
given as Python values or as the typed cells below, so a test can say exactly which XML it
sends.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from xml.sax.saxutils import escape, quoteattr

from plangen.problems import column_letter

TRANSITIONAL = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
STRICT = "http://purl.oclc.org/ooxml/spreadsheetml/main"
_RELS = {False: "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
         True: "http://purl.oclc.org/ooxml/officeDocument/relationships"}
_PACKAGE_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"

#: Style indexes in the styles part package() writes: a date, a date and time, a duration.
DATE_STYLE, DATETIME_STYLE, DURATION_STYLE = 1, 2, 3


@dataclass(frozen=True)
class Typed:
    """A cell written exactly so: its t attribute, style, inner XML (already escaped)."""

    t: str | None
    inner: str
    style: int | None = None


def error(code: str) -> Typed:
    """An error value, as Excel stores #N/A or #DIV/0!."""
    return Typed("e", f"<v>{escape(code)}</v>")


def formula(text: str, cached: str | None = None, kind: str = "str",
            shared: str | None = None) -> Typed:
    """A formula with its last value (`cached`), or none; `shared` makes it a shared formula
    whose master is this cell (si) or, for "child", one that only points to si 0."""
    if shared == "child":
        f = '<f t="shared" si="0"/>'
    elif shared is not None:
        f = f'<f t="shared" ref="{shared}" si="0">{escape(text)}</f>'
    else:
        f = f"<f>{escape(text)}</f>"
    value = "" if cached is None else f"<v>{escape(cached)}</v>"
    return Typed(kind if cached is not None else None, f + value)


def rich(*runs: tuple[str, bool]) -> Typed:
    """Inline rich text: runs of (text, bold)."""
    inner = "".join(
        f'<r>{"<rPr><b/></rPr>" if bold else ""}<t xml:space="preserve">{escape(text)}</t></r>'
        for text, bold in runs)
    return Typed("inlineStr", f"<is>{inner}</is>")


def serial(value: date | datetime, date1904: bool = False) -> float:
    """A date as Excel stores it: days since the epoch of the workbook's date system."""
    epoch = datetime(1904, 1, 1) if date1904 else datetime(1899, 12, 30)
    moment = value if isinstance(value, datetime) else datetime.combine(value, datetime.min.time())
    return (moment - epoch) / timedelta(days=1)


def excel_date(value: date | datetime, date1904: bool = False) -> Typed:
    style = DATETIME_STYLE if isinstance(value, datetime) else DATE_STYLE
    return Typed(None, f"<v>{serial(value, date1904)!r}</v>", style)


def duration(value: timedelta) -> Typed:
    return Typed(None, f"<v>{value / timedelta(days=1)!r}</v>", DURATION_STYLE)


@dataclass(frozen=True)
class Dialect:
    """How a writer spells a package."""

    prefix: str = ""  # a namespace prefix on every SpreadsheetML tag, as "x"
    strict: bool = False  # the Strict Open XML namespaces (purl.oclc.org)
    shared_strings: bool = True  # text in xl/sharedStrings.xml, else inline strings
    references: bool = True  # r="B2" on each cell and r="2" on each row
    dimension: bool = True
    absolute: bool = False  # relationship targets as "/xl/worksheets/sheet1.xml"
    date1904: bool = False
    application: str | None = None  # docProps/app.xml names this program


#: As Excel writes a workbook.
EXCEL = Dialect()


def package(sheets: Mapping[str, Sequence[Sequence[object]]], dialect: Dialect = EXCEL
            ) -> bytes:
    """An .xlsx package of these sheets (name -> rows, row 1 first), written in `dialect`."""
    namespace = STRICT if dialect.strict else TRANSITIONAL
    rels_ns = _RELS[dialect.strict]
    p = f"{dialect.prefix}:" if dialect.prefix else ""
    xmlns = f'xmlns{":" + dialect.prefix if dialect.prefix else ""}="{namespace}"'
    strings: dict[str, int] = {}
    parts: dict[str, str] = {}
    for number, rows in enumerate(sheets.values(), start=1):
        parts[f"xl/worksheets/sheet{number}.xml"] = _sheet(rows, dialect, p, xmlns, strings)
    target = "/xl/" if dialect.absolute else ""
    sheet_list = "".join(
        f'<{p}sheet name={quoteattr(name)} sheetId="{number}" r:id="rId{number}"/>'
        for number, name in enumerate(sheets, start=1))
    pr = f'<{p}workbookPr date1904="1"/>' if dialect.date1904 else ""
    parts["xl/workbook.xml"] = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                                f'<{p}workbook {xmlns} xmlns:r="{rels_ns}">{pr}'
                                f"<{p}sheets>{sheet_list}</{p}sheets></{p}workbook>")
    kind = (f"{rels_ns}/worksheet", f"{rels_ns}/styles", f"{rels_ns}/sharedStrings")
    relations = [f'<Relationship Id="rId{number}" Type="{kind[0]}" '
                 f'Target="{target}worksheets/sheet{number}.xml"/>'
                 for number in range(1, len(sheets) + 1)]
    relations.append(f'<Relationship Id="rIdS" Type="{kind[1]}" Target="{target}styles.xml"/>')
    parts["xl/styles.xml"] = _styles(p, xmlns)
    if strings:
        relations.append(f'<Relationship Id="rIdT" Type="{kind[2]}" '
                         f'Target="{target}sharedStrings.xml"/>')
        items = "".join(f'<{p}si><{p}t xml:space="preserve">{escape(text)}</{p}t></{p}si>'
                        for text in strings)
        parts["xl/sharedStrings.xml"] = (f'<{p}sst {xmlns} count="{len(strings)}" '
                                         f'uniqueCount="{len(strings)}">{items}</{p}sst>')
    parts["xl/_rels/workbook.xml.rels"] = (f'<Relationships xmlns="{_PACKAGE_RELS}">'
                                           f'{"".join(relations)}</Relationships>')
    root = [f'<Relationship Id="rId1" Type="{rels_ns}/officeDocument" '
            f'Target="{"/" if dialect.absolute else ""}xl/workbook.xml"/>']
    if dialect.application is not None:
        root.append(f'<Relationship Id="rId2" Type="{_RELS[False]}/extended-properties" '
                    'Target="docProps/app.xml"/>')
        parts["docProps/app.xml"] = (
            '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
            f'extended-properties"><Application>{escape(dialect.application)}</Application>'
            "</Properties>")
    parts["_rels/.rels"] = f'<Relationships xmlns="{_PACKAGE_RELS}">{"".join(root)}</Relationships>'
    parts["[Content_Types].xml"] = _content_types(len(sheets), bool(strings), dialect)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", parts.pop("[Content_Types].xml"))
        for name, text in parts.items():
            archive.writestr(name, text)
    return buffer.getvalue()


def _sheet(rows: Sequence[Sequence[object]], dialect: Dialect, p: str, xmlns: str,
           strings: dict[str, int]) -> str:
    written = []
    for row_number, row in enumerate(rows, start=1):
        cells = []
        for column, value in enumerate(row, start=1):
            ref = f' r="{column_letter(column)}{row_number}"' if dialect.references else ""
            if value is None:  # without r, a cell goes after the one before: keep the gap
                if not dialect.references:
                    cells.append(f"<{p}c/>")
                continue
            cells.append(_cell(value, ref, dialect, p, strings))
        row_ref = f' r="{row_number}"' if dialect.references else ""
        written.append(f"<{p}row{row_ref}>{''.join(cells)}</{p}row>")
    width = max((len(row) for row in rows), default=1)
    dimension = (f'<{p}dimension ref="A1:{column_letter(width)}{max(len(rows), 1)}"/>'
                 if dialect.dimension else "")
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><{p}worksheet {xmlns}>'
            f"{dimension}<{p}sheetData>{''.join(written)}</{p}sheetData></{p}worksheet>")


def _cell(value: object, ref: str, dialect: Dialect, p: str, strings: dict[str, int]) -> str:
    if isinstance(value, Typed):
        t = f' t="{value.t}"' if value.t else ""
        s = f' s="{value.style}"' if value.style is not None else ""
        inner = value.inner
        if p:  # prefix the typed cell's own tags too
            for tag in ("is", "t", "r", "rPr", "b", "v", "f"):
                inner = inner.replace(f"<{tag}>", f"<{p}{tag}>").replace(
                    f"<{tag} ", f"<{p}{tag} ").replace(f"</{tag}>", f"</{p}{tag}>").replace(
                    f"<{tag}/>", f"<{p}{tag}/>")
        return f"<{p}c{ref}{t}{s}>{inner}</{p}c>"
    if isinstance(value, bool):
        return f'<{p}c{ref} t="b"><{p}v>{int(value)}</{p}v></{p}c>'
    if isinstance(value, int | float):
        return f"<{p}c{ref}><{p}v>{float(value)!r}</{p}v></{p}c>"
    if isinstance(value, datetime | date):
        return _cell(excel_date(value, dialect.date1904), ref, dialect, p, strings)
    if isinstance(value, timedelta):
        return _cell(duration(value), ref, dialect, p, strings)
    text = str(value)
    if dialect.shared_strings:
        index = strings.setdefault(text, len(strings))
        return f'<{p}c{ref} t="s"><{p}v>{index}</{p}v></{p}c>'
    return (f'<{p}c{ref} t="inlineStr"><{p}is><{p}t xml:space="preserve">{escape(text)}'
            f"</{p}t></{p}is></{p}c>")


def _styles(p: str, xmlns: str) -> str:
    """A default style, then a date (numFmt 14), a date and time (22), a duration ([h]:mm:ss)."""
    formats = [0, 14, 22, 46]
    xfs = "".join(f'<{p}xf numFmtId="{number}" fontId="0" fillId="0" borderId="0" '
                  f'applyNumberFormat="{int(bool(number))}"/>' for number in formats)
    return (f"<{p}styleSheet {xmlns}><{p}fonts count=\"1\"><{p}font/></{p}fonts>"
            f'<{p}fills count="1"><{p}fill/></{p}fills><{p}borders count="1"><{p}border/>'
            f'</{p}borders><{p}cellStyleXfs count="1"><{p}xf/></{p}cellStyleXfs>'
            f'<{p}cellXfs count="{len(formats)}">{xfs}</{p}cellXfs></{p}styleSheet>')


def _content_types(sheets: int, strings: bool, dialect: Dialect) -> str:
    ml = "application/vnd.openxmlformats-officedocument.spreadsheetml"
    overrides = [f'<Override PartName="/xl/workbook.xml" ContentType="{ml}.sheet.main+xml"/>',
                 f'<Override PartName="/xl/styles.xml" ContentType="{ml}.styles+xml"/>']
    overrides += [f'<Override PartName="/xl/worksheets/sheet{n}.xml" '
                  f'ContentType="{ml}.worksheet+xml"/>' for n in range(1, sheets + 1)]
    if strings:
        overrides.append(f'<Override PartName="/xl/sharedStrings.xml" '
                         f'ContentType="{ml}.sharedStrings+xml"/>')
    if dialect.application is not None:
        overrides.append('<Override PartName="/docProps/app.xml" ContentType="application/'
                         'vnd.openxmlformats-officedocument.extended-properties+xml"/>')
    return ('<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
            f'{"".join(overrides)}</Types>')
