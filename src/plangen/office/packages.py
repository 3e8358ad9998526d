"""One policy for reading a zip package plangen did not make: a partner's workbook, an officer's
Word template, a built document handed to the accessibility check.

The limits are defined here, once. A zip entry's declared size is the sender's claim, not a
fact: `screen` refuses a package whose claims are already too much, and `read_part` never
expands a part past its limit whatever its header says, so a lying header costs at most that.
"""

from __future__ import annotations

import zipfile

#: The most one part may expand to.
MAX_PART_BYTES = 200 * 1024 * 1024
#: The most all parts together may claim to expand to.
MAX_TOTAL_BYTES = 500 * 1024 * 1024
#: The most parts a package may hold.
MAX_PARTS = 10_000
#: A part that claims to expand more than this many times over is refused ("a zip bomb") …
MAX_COMPRESSION_RATIO = 200
#: … unless it is smaller than this: tiny XML compresses well and cannot exhaust memory.
RATIO_FLOOR_BYTES = 1024 * 1024


class PartTooLarge(Exception):
    """A part of the package expands, or claims to expand, past the limits above."""

    def __init__(self, part: str, why: str) -> None:
        self.part = part
        super().__init__(f"{part} {why}")


def screen(archive: zipfile.ZipFile) -> None:
    """Refuse a package whose declared sizes are already past the limits, before anything is
    expanded: raises PartTooLarge naming the first part found (or "the package")."""
    members = archive.infolist()
    if len(members) > MAX_PARTS:
        raise PartTooLarge("the package", f"holds {len(members):,} parts, more than "
                           f"{MAX_PARTS:,}")
    total = 0
    for member in members:
        total += member.file_size
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > MAX_PART_BYTES:
            raise PartTooLarge(member.filename, f"would expand to {member.file_size:,} bytes")
        if total > MAX_TOTAL_BYTES:
            raise PartTooLarge(member.filename, "takes the package past "
                               f"{MAX_TOTAL_BYTES:,} bytes expanded")
        if ratio > MAX_COMPRESSION_RATIO and member.file_size > RATIO_FLOOR_BYTES:
            raise PartTooLarge(member.filename, f"is compressed {ratio:,.0f} times over")


def read_part(archive: zipfile.ZipFile, name: str | zipfile.ZipInfo,
              limit: int = MAX_PART_BYTES) -> bytes:
    """A part's bytes, expanded no further than `limit` whatever its header claims.

    Raises PartTooLarge past the limit, KeyError for a part that is not there, and
    zipfile.BadZipFile (or zlib.error, EOFError) for damaged data.
    """
    with archive.open(name) as handle:
        data = handle.read(limit + 1)
    if len(data) > limit:
        part = name.filename if isinstance(name, zipfile.ZipInfo) else name
        raise PartTooLarge(part, f"expands past {limit:,} bytes")
    return data
