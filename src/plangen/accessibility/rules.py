"""What both accessibility checks hold a document to, and how they report it: the minimum text
size and contrast, a finding at a place in a file, and headings that go down one level at a
time."""

from __future__ import annotations

from collections.abc import Iterable

from plangen.problems import DocumentLocation, Problem, Severity

#: Stricter than WCAG's 3:1 for large text, so headings are held to it too.
MIN_CONTRAST = 4.5
MIN_SIZE_PT = 11.0


def finding(code: str, file: str, place: str, message: str, fix: str,
            severity: Severity = Severity.ERROR) -> Problem:
    """A problem in a built document: its file's name, then the place in it ("body ·
    paragraph 12", "line 40 · table 1")."""
    return Problem(DocumentLocation(file, place), message, fix, severity, code)


def excerpt(text: str, length: int = 40) -> str:
    """The start of a text, quoted, to say which paragraph or heading is meant."""
    text = " ".join(text.split())
    return f"“{text[:length]}…”" if len(text) > length else f"“{text}”"


def heading_findings(file: str, headings: Iterable[tuple[int, str, str]],
                     label: str) -> list[Problem]:
    """Empty headings and skipped levels among (level, text, place) in document order; label
    names a level ("Heading {}", "<h{}>"). The first heading is to be of level 1."""
    findings = []
    previous = 0
    previous_text = ""
    for level, text, place in headings:
        name = label.format(level)
        if not text.strip():
            findings.append(finding(
                "heading-empty", file, place, f"an empty {name}",
                "Delete the empty heading, or give it text (an empty paragraph in a heading "
                "style still shows in the navigation pane and to screen readers)."))
        if level > previous + 1:
            after = (f"follows {label.format(previous)} {excerpt(previous_text)}"
                     if previous else "is the first heading")
            findings.append(finding(
                "heading-skipped", file, f"{place} {excerpt(text)}",
                f"{name} {after}: heading levels are skipped",
                f"Use {label.format(previous + 1)} here, so headings go down one level at a "
                "time."))
        previous, previous_text = level, text
    return findings
