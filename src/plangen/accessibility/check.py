"""Checking a built plan (.docx or .html) against the accessibility rules for publishing.

UK public-sector documents must meet WCAG 2.1/2.2 AA. This checks what a machine can check in
the file itself: a title and a language; headings in order and never empty; tables with a
repeating header row and no merged data cells; alt text on images; body text of at least 11 pt
in a sans-serif font; text contrast of at least 4.5:1; and no meaning carried by colour alone.

Word documents are checked in accessibility.docx, their formatting resolved the way Word does
(accessibility.wordformat); web pages in accessibility.html, with their own stylesheet
(accessibility.css). Both judge colours and fonts alike (accessibility.colours) and report
alike (accessibility.rules): each finding has a stable code, where it is, what is wrong and
how to fix it.
"""

from __future__ import annotations

from pathlib import Path

from plangen.accessibility.docx import check_docx
from plangen.accessibility.html import check_html
from plangen.errors import NotCheckable
from plangen.problems import Problem


def check_file(path: Path) -> list[Problem]:
    """Every problem found in a .docx or .html file, in document order."""
    if not path.is_file():
        raise NotCheckable(f"{path}: the file does not exist")
    suffix = path.suffix.lower()
    if suffix == ".docx":
        found = check_docx(path)
    elif suffix in (".html", ".htm"):
        found = check_html(path)
    else:
        raise NotCheckable(f"{path}: the accessibility check reads .docx and .html files only")
    return [problem.at(order=order) for order, problem in enumerate(found)]
