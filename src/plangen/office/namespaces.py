"""The XML namespaces of Office Open XML packages (.docx and .xlsx), defined once.

URIs are the constants; NS maps the usual prefixes to them for lxml's find and xpath, and
clark(uri, name) spells a tag in lxml's "{uri}name" form.
"""

from __future__ import annotations

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
PACKAGE_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
CORE_PROPERTIES = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"
DC = "http://purl.org/dc/elements/1.1/"
DRAWING = "http://schemas.openxmlformats.org/drawingml/2006/main"
WORD_DRAWING = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
PICTURE = "http://schemas.openxmlformats.org/drawingml/2006/picture"
DECORATIVE = "http://schemas.microsoft.com/office/drawing/2017/decorative"
VML = "urn:schemas-microsoft-com:vml"
SPREADSHEET = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
#: The same, as Excel writes them when saving as "Strict Open XML Spreadsheet".
SPREADSHEET_STRICT = "http://purl.oclc.org/ooxml/spreadsheetml/main"
R_STRICT = "http://purl.oclc.org/ooxml/officeDocument/relationships"
XML = "http://www.w3.org/XML/1998/namespace"
RELATIONSHIP_TYPES = R  # relationship types (header, footer, …) are named under this URI

NS = {
    "w": W,
    "r": R,
    "mc": MC,
    "wp": WORD_DRAWING,
    "a": DRAWING,
    "pic": PICTURE,
    "cp": CORE_PROPERTIES,
    "dc": DC,
    "rel": PACKAGE_RELS,
    "adec": DECORATIVE,
    "v": VML,
}


def clark(uri: str, name: str) -> str:
    """The tag `name` in namespace `uri`, as lxml and ElementTree spell it: "{uri}name"."""
    return f"{{{uri}}}{name}"
