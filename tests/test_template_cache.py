"""What filling in a template makes from the template alone (docxtpl's Jinja source and the
code Jinja compiles it into) is kept between builds, and can never make a plan differ from one
made afresh: a changed template is new text, a damaged or unusable cache is worked around."""

from __future__ import annotations

import io
import os
import stat
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jinja2
import pytest
from docxtpl import DocxTemplate

from plangen import templatecache
from plangen.merge import place
from plangen.problems import TemplateProblems
from plangen.read import load_inputs
from plangen.render import context, render_template
from plangen.templatecache import TemplateCache
from plangen.validate import check

from conftest import SAMPLE_INPUTS, TEMPLATE
from template_editing import edit_parts, replace_text


@pytest.fixture(scope="module")
def names() -> dict[str, Any]:
    return context(place(check(load_inputs(SAMPLE_INPUTS))).plan)


@pytest.fixture
def work(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, int]]:
    """How many times docxtpl's patch_xml and Jinja's compile really ran."""
    counts = {"patch": 0, "compile": 0}
    patch, compile_ = DocxTemplate.patch_xml, jinja2.Environment.compile

    def counted_patch(self: DocxTemplate, xml: str) -> str:
        counts["patch"] += 1
        return str(patch(self, xml))

    def counted_compile(self: jinja2.Environment, source: Any, *args: Any, **kwargs: Any) -> Any:
        counts["compile"] += 1
        return compile_(self, source, *args, **kwargs)

    monkeypatch.setattr(DocxTemplate, "patch_xml", counted_patch)
    monkeypatch.setattr(jinja2.Environment, "compile", counted_compile)
    yield counts


def use_cache(monkeypatch: pytest.MonkeyPatch, directory: Path | str) -> None:
    """A cache directory of this test's own, and a process that has kept nothing yet."""
    monkeypatch.setenv("PLANGEN_CACHE_DIR", str(directory))
    monkeypatch.setattr(templatecache, "_shared", {})


def parts(template: Path, names: dict[str, Any]) -> dict[str, bytes]:
    buffer = io.BytesIO()
    render_template(template, names).save(buffer)
    with zipfile.ZipFile(buffer) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def test_a_second_build_compiles_nothing_and_makes_the_same_document(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, names: dict[str, Any],
        work: dict[str, int]) -> None:
    use_cache(monkeypatch, tmp_path / "cache")
    first = parts(TEMPLATE, names)
    assert work["patch"] > 0 and work["compile"] > 0
    assert os.listdir(tmp_path / "cache")
    assert stat.S_IMODE((tmp_path / "cache").stat().st_mode) == 0o700

    monkeypatch.setattr(templatecache, "_shared", {})  # a new build: only the disk remembers
    work.update(patch=0, compile=0)
    assert parts(TEMPLATE, names) == first
    assert work == {"patch": 0, "compile": 0}

    use_cache(monkeypatch, "")  # the cache turned off: made afresh, the same
    assert parts(TEMPLATE, names) == first
    assert work["patch"] > 0 and work["compile"] > 0


def test_an_edited_template_is_filled_in_as_edited(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, names: dict[str, Any]) -> None:
    use_cache(monkeypatch, tmp_path / "cache")
    before = parts(TEMPLATE, names)["word/document.xml"].decode()
    edited = edit_parts(TEMPLATE, tmp_path / "edited.docx", {"word/document.xml": replace_text(
        "{{ action.timescale }}", "{{ action.timescale }} (edited)")})
    after = parts(edited, names)["word/document.xml"].decode()
    assert "(edited)" not in before
    timescales = [action.timescale for theme in names["themes"] for action in theme.actions]
    assert f"{timescales[0]} (edited)" in after


def test_damaged_files_in_the_cache_are_made_again(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, names: dict[str, Any],
        work: dict[str, int]) -> None:
    use_cache(monkeypatch, tmp_path / "cache")
    first = parts(TEMPLATE, names)
    for index, path in enumerate(sorted((tmp_path / "cache").iterdir())):
        data = path.read_bytes()
        path.write_bytes([b"", data[:len(data) // 2], b"\xff\xfe not marshal"][index % 3])
    monkeypatch.setattr(templatecache, "_shared", {})
    work.update(patch=0, compile=0)
    assert parts(TEMPLATE, names) == first
    assert work["patch"] + work["compile"] > 0
    monkeypatch.setattr(templatecache, "_shared", {})  # and written over, whole
    work.update(patch=0, compile=0)
    assert parts(TEMPLATE, names) == first
    assert work == {"patch": 0, "compile": 0}


@pytest.mark.parametrize("problem", ["a file", "writable by others"])
def test_a_directory_that_cannot_be_used_safely_is_not_used(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, names: dict[str, Any],
        problem: str) -> None:
    directory = tmp_path / "cache"
    if problem == "a file":
        directory.write_text("not a directory")
    else:
        directory.mkdir()
        directory.chmod(0o777)
    use_cache(monkeypatch, directory)
    expected = parts(TEMPLATE, names)
    assert parts(TEMPLATE, names) == expected
    if problem != "a file":
        assert not os.listdir(directory)


def test_a_template_jinja_cannot_read_is_reported_every_time(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, names: dict[str, Any]) -> None:
    use_cache(monkeypatch, tmp_path / "cache")
    broken = edit_parts(TEMPLATE, tmp_path / "broken.docx", {"word/document.xml": replace_text(
        "{{ action.timescale }}", "{{ action.timescale ]}")})
    for _ in range(2):
        with pytest.raises(TemplateProblems) as raised:
            render_template(broken, names)
        assert [problem.code for problem in raised.value.problems] == ["syntax"]


def test_code_compiled_with_other_settings_is_not_reused(tmp_path: Path) -> None:
    cache = TemplateCache(tmp_path / "cache")
    compiled: list[str] = []

    def compile_source(source: str) -> Any:
        compiled.append(source)
        return compile("None", "<template>", "exec")

    cache.compiled("{{ x }}", "autoescape=True", compile_source)
    cache.compiled("{{ x }}", "autoescape=True", compile_source)
    cache.compiled("{{ x }}", "autoescape=False", compile_source)
    cache.compiled("{{ y }}", "autoescape=True", compile_source)
    assert compiled == ["{{ x }}", "{{ x }}", "{{ y }}"]


def test_the_least_recently_used_files_are_removed_when_there_are_too_many(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(templatecache, "KEEP", 8)
    cache = TemplateCache(tmp_path / "cache")
    for number in range(8):
        cache.patched(f"<p>{number}</p>", str.upper, "1")
    os.utime(tmp_path / "cache", None)
    files = sorted((tmp_path / "cache").iterdir(), key=lambda path: path.stat().st_mtime_ns)
    for age, path in enumerate(files):  # the first written is the oldest
        os.utime(path, (1_000_000 + age, 1_000_000 + age))
    TemplateCache(tmp_path / "cache").patched("<p>0</p>", str.upper, "1")  # used again
    cache.patched("<p>new</p>", str.upper, "1")  # the ninth: down to four
    kept = sorted(path.name for path in (tmp_path / "cache").iterdir())
    assert len(kept) == 4
    again = TemplateCache(tmp_path / "cache")
    assert again.patched("<p>0</p>", lambda xml: "made again", "1") == "<P>0</P>"
    assert again.patched("<p>new</p>", lambda xml: "made again", "1") == "<P>NEW</P>"
    assert again.patched("<p>1</p>", lambda xml: "made again", "1") == "made again"
