"""Reading a built .docx back the way a person sees it: sections, paragraphs and tables."""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from docx import Document
from docx.table import Table
from docx.text.paragraph import Paragraph


@dataclass
class Section:
    """Everything under one heading, up to the next heading of the same or a higher level."""

    heading: str
    level: int
    paragraphs: list[Paragraph] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    children: list[Section] = field(default_factory=list)

    @property
    def texts(self) -> list[str]:
        return [p.text for p in self.paragraphs if p.text.strip()]

    def child(self, heading: str) -> Section:
        matches = [c for c in self.children if c.heading == heading]
        assert matches, f"no section {heading!r} under {self.heading!r}: " + repr(
            [c.heading for c in self.children])
        return matches[0]


def heading_level(paragraph: Paragraph) -> int:
    name = paragraph.style.name if paragraph.style is not None else ""
    if name == "Title":
        return 0
    match = re.fullmatch(r"Heading (\d)", name)
    return int(match.group(1)) if match else -1


def outline(path: Path) -> Section:
    """The document as a tree of sections under a root."""
    root = Section("", -1)
    stack = [root]
    for item in Document(str(path)).iter_inner_content():
        if isinstance(item, Paragraph):
            level = heading_level(item)
            if level >= 1:
                while stack[-1].level >= level:
                    stack.pop()
                section = Section(item.text, level)
                stack[-1].children.append(section)
                stack.append(section)
                continue
            stack[-1].paragraphs.append(item)
        else:
            stack[-1].tables.append(item)
    return root


def rows(table: Table) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in table.rows]


def all_text(path: Path) -> str:
    """Every paragraph and table cell in reading order, one per line."""
    lines: list[str] = []

    def walk(items) -> None:  # type: ignore[no-untyped-def]
        for item in items:
            if isinstance(item, Paragraph):
                lines.append(item.text)
            else:
                for row in item.rows:
                    for cell in row.cells:
                        walk(cell.iter_inner_content())

    walk(Document(str(path)).iter_inner_content())
    return "\n".join(lines)


def part(path: Path, name: str = "word/document.xml") -> bytes:
    with zipfile.ZipFile(path) as archive:
        return archive.read(name)


def header_footer_text(path: Path) -> str:
    document = Document(str(path))
    texts = []
    for section in document.sections:
        for part_ in (section.header, section.footer):
            texts += [p.text for p in part_.paragraphs]
    return "\n".join(texts)


def style_name(item: Paragraph | Table) -> str | None:
    """The name of a paragraph's or table's style (None if it has none)."""
    style = item.style
    return style.name if style is not None else None
