"""Editing a Word template the way officers' editors do: XML surgery on a copy, run splits as
Word makes them, and a real re-save through LibreOffice."""

from __future__ import annotations

import copy
import random
import shutil
import subprocess
import uuid
import zipfile
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


def w(name: str) -> str:
    return f"{{{W}}}{name}"


def edit_parts(source: Path, target: Path, edits: Mapping[str, Callable[[Any], None]]) -> Path:
    """Copy source to target, letting each edit change the parsed XML of its zip member."""
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename in edits:
                root = etree.fromstring(data)
                edits[item.filename](root)
                data = etree.tostring(root, xml_declaration=True, encoding="UTF-8",
                                      standalone=True)
            zout.writestr(item, data)
    return target


def edit_body(source: Path, target: Path, edit: Callable[[Any], None]) -> Path:
    return edit_parts(source, target, {"word/document.xml": edit})


def text_element(root: Any, text: str) -> Any:
    """The first w:t holding text."""
    for element in root.iter(w("t")):
        if element.text and text in element.text:
            return element
    raise AssertionError(f"no w:t holds {text!r}")


def replace_text(old: str, new: str) -> Callable[[Any], None]:
    """An edit (for edit_parts) changing old to new in the first w:t holding old."""
    def edit(root: Any) -> None:
        element = text_element(root, old)
        element.text = element.text.replace(old, new)
    return edit


def paragraph_of(root: Any, text: str) -> Any:
    element = text_element(root, text)
    while element.tag != w("p"):
        element = element.getparent()
    return element


def split_run(run: Any, at: int, between: list[Any] | None = None, rsid: str = "00AB12CD") -> Any:
    """Split run's text at offset `at` into two runs, as Word does when an edit lands there,
    with a new revision id on the second half and `between` inserted between them. Returns the
    second run."""
    text = run.find(w("t"))
    second = copy.deepcopy(run)
    second.set(w("rsidR"), rsid)
    second_text = second.find(w("t"))
    second_text.text, text.text = (text.text or "")[at:], (text.text or "")[:at]
    for element in (text, second_text):
        element.set(XML_SPACE, "preserve")
    parent = run.getparent()
    index = parent.index(run)
    for offset, element in enumerate([*(between or []), second], 1):
        parent.insert(index + offset, element)
    return second


def proof_error() -> list[Any]:
    return [etree.Element(w("proofErr"), {w("type"): "spellStart"})]


def bookmark(number: int) -> list[Any]:
    return [etree.Element(w("bookmarkStart"), {w("id"): str(number), w("name"): "_GoBack"}),
            etree.Element(w("bookmarkEnd"), {w("id"): str(number)})]


def wordlike(source: Path, target: Path, seed: int) -> Path:
    """The template as Word might save it after an officer retyped or reformatted its tags:
    every run holding a tag is cut at random places inside its tags, each piece with its own
    revision id, with spell-check marks and bookmarks between some pieces."""
    rng = random.Random(seed)

    def split_everything(root: Any) -> None:
        for number, text in enumerate(list(root.iter(w("t")))):
            value = text.text or ""
            inside = [i for i in range(1, len(value)) if _inside_tag(value, i)]
            if not inside:
                continue
            cuts = sorted(rng.sample(inside, min(len(inside), rng.randint(1, 4))), reverse=True)
            run = text.getparent()
            for cut in cuts:
                between = rng.choice([[], proof_error(), bookmark(900 + number), [
                    *proof_error(), *bookmark(950 + number)]])
                split_run(run, cut, between, rsid=f"00{rng.randrange(16**6):06X}")

    edits = {name: split_everything for name in _parts(source)}
    return edit_parts(source, target, edits)


def _inside_tag(text: str, index: int) -> bool:
    """Whether a cut at index falls inside (or between the two characters of a delimiter of)
    a tag."""
    opened = max(text.rfind("{{", 0, index + 1), text.rfind("{%", 0, index + 1))
    if opened == -1:
        return False
    closed = max(text.rfind("}}", 0, index), text.rfind("%}", 0, index))
    return closed < opened or text[index - 1:index + 1] in ("}}", "%}")


def _parts(path: Path) -> list[str]:
    with zipfile.ZipFile(path) as archive:
        return [name for name in archive.namelist()
                if name == "word/document.xml"
                or ((name.startswith("word/header") or name.startswith("word/footer"))
                and name.endswith(".xml"))]


def libreoffice_resave(source: Path, folder: Path) -> Path:
    """source opened and saved again as .docx by LibreOffice Writer (headless, with a private
    profile so parallel runs never share one)."""
    folder.mkdir(parents=True, exist_ok=True)
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice, "LibreOffice (soffice) is needed for this test"
    work = folder / "in"
    work.mkdir(exist_ok=True)
    copy_of = work / source.name
    shutil.copy(source, copy_of)
    profile = folder / f"lo-profile-{uuid.uuid4().hex}"
    subprocess.run([soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless",
                    "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(folder / "out"),
                    str(copy_of)], check=True, capture_output=True, timeout=180)
    shutil.rmtree(profile, ignore_errors=True)
    result = folder / "out" / source.name
    assert result.is_file(), f"LibreOffice wrote no {result}"
    return result
