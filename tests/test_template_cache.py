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

from plangen.errors import TemplateProblems
from plangen.template import cache as templatecache
from plangen.template.cache import TemplateCache
from plangen.template.context import context
from plangen.template.render import _CachingEnvironment, render_template

from conftest import TEMPLATE, Sample
from template_editing import edit_parts, replace_text


@pytest.fixture(scope="module")
def names(sample: Sample) -> dict[str, Any]:
    return context(sample.result.plan)


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
    templatecache.forget()


def kept(directory: Path) -> list[Path]:
    """plangen's files in the cache under directory."""
    return sorted(path for path in (directory / "templates").iterdir()
                  if templatecache._ENTRY.fullmatch(path.name))


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
    assert kept(tmp_path / "cache")
    assert stat.S_IMODE((tmp_path / "cache" / "templates").stat().st_mode) == 0o700
    assert (tmp_path / "cache" / "templates" / "CACHEDIR.TAG").read_bytes().startswith(
        b"Signature: 8a477f597d28d172789f06886806bc55")

    templatecache.forget()  # a new build: only the disk remembers
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
    for index, path in enumerate(kept(tmp_path / "cache")):
        data = path.read_bytes()
        path.write_bytes([b"", data[:len(data) // 2], b"\xff\xfe not marshal"][index % 3])
    templatecache.forget()
    work.update(patch=0, compile=0)
    assert parts(TEMPLATE, names) == first
    assert work["patch"] + work["compile"] > 0
    templatecache.forget()  # and written over, whole
    work.update(patch=0, compile=0)
    assert parts(TEMPLATE, names) == first
    assert work == {"patch": 0, "compile": 0}


@pytest.mark.parametrize("problem", ["someone else's", "writable by others"])
def test_a_folder_that_cannot_be_used_safely_keeps_nothing_on_disk(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, names: dict[str, Any],
        work: dict[str, int], problem: str) -> None:
    folder = tmp_path / "cache" / "templates"
    folder.mkdir(parents=True)
    if problem == "writable by others":
        folder.chmod(0o777)
    else:
        monkeypatch.setattr(os, "getuid", lambda: os.stat(folder).st_uid + 1)
    use_cache(monkeypatch, tmp_path / "cache")
    expected = parts(TEMPLATE, names)
    templatecache.forget()
    work.update(patch=0, compile=0)
    assert parts(TEMPLATE, names) == expected
    assert work["patch"] > 0 and work["compile"] > 0  # nothing was read back
    assert not os.listdir(folder)


def test_nothing_is_kept_on_disk_on_windows(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, names: dict[str, Any]) -> None:
    """Who may write to a folder is in its ACL there, which plangen does not check."""
    monkeypatch.delattr(os, "getuid")
    monkeypatch.delenv("PLANGEN_CACHE_DIR")
    assert templatecache.cache_directory() is None
    use_cache(monkeypatch, tmp_path / "cache")
    parts(TEMPLATE, names)
    assert not (tmp_path / "cache" / "templates").exists() or not kept(tmp_path / "cache")


def test_the_cache_goes_in_the_users_cache_folder(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PLANGEN_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert templatecache.cache_directory() == tmp_path / "xdg" / "plangen"
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    for ignored in ("", "relative/cache"):  # the XDG rules: unset, or not absolute
        monkeypatch.setenv("XDG_CACHE_HOME", ignored)
        assert templatecache.cache_directory() == tmp_path / "home" / ".cache" / "plangen"


def test_a_build_without_a_home_folder_keeps_its_cache_in_memory(
        monkeypatch: pytest.MonkeyPatch, names: dict[str, Any]) -> None:
    """A container run as a user with no home: Path.home() fails, and the build must not
    take that for a problem in the template."""
    def no_home() -> Path:
        raise RuntimeError("Could not determine home directory.")

    monkeypatch.delenv("PLANGEN_CACHE_DIR")
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    monkeypatch.setattr(Path, "home", staticmethod(no_home))
    templatecache.forget()
    assert templatecache.cache_directory() is None
    assert parts(TEMPLATE, names)["word/document.xml"]


def test_a_read_only_cache_is_still_read(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, names: dict[str, Any],
        work: dict[str, int]) -> None:
    use_cache(monkeypatch, tmp_path / "cache")
    expected = parts(TEMPLATE, names)

    def read_only(*args: Any, **kwargs: Any) -> None:
        raise PermissionError("read-only file system")

    monkeypatch.setattr(os, "utime", read_only)
    templatecache.forget()
    work.update(patch=0, compile=0)
    assert parts(TEMPLATE, names) == expected
    assert work == {"patch": 0, "compile": 0}


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


def test_escaping_and_plain_text_are_compiled_apart(tmp_path: Path) -> None:
    """Document properties are filled in as plain text with the same cache as the body."""
    escaping = _CachingEnvironment(TemplateCache(tmp_path / "cache"))
    plain = escaping.overlay(autoescape=False)
    assert escaping.settings() != plain.settings()
    for _ in range(2):
        assert escaping.from_string("{{ x }}").render(x="A & B") == "A &amp; B"
        assert plain.from_string("{{ x }}").render(x="A & B") == "A & B"


def test_only_plangens_least_recently_used_files_are_removed(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(templatecache, "KEEP", 8)
    cache = TemplateCache(tmp_path / "cache")
    folder = tmp_path / "cache" / "templates"
    for number in range(8):
        cache.patched(f"<p>{number}</p>", str.upper, "1")
    files = sorted(kept(tmp_path / "cache"), key=lambda path: path.stat().st_mtime_ns)
    for age, path in enumerate(files):  # the first written is the oldest
        os.utime(path, (1_000_000 + age, 1_000_000 + age))
    mine = {"notes.txt": b"a user's own file", "0" * 64 + ".xlsx": b"not one of plangen's"}
    for name, content in mine.items():
        (folder / name).write_bytes(content)
    stopped, writing = folder / f".{'a' * 64}.x1", folder / f".{'b' * 64}.x2"
    stopped.write_bytes(b"left by a build that was stopped")
    writing.write_bytes(b"being written now")
    os.utime(stopped, (1_000_000, 1_000_000))
    TemplateCache(tmp_path / "cache").patched("<p>0</p>", str.upper, "1")  # used again
    cache.patched("<p>new</p>", str.upper, "1")  # the ninth: down to four
    assert len(kept(tmp_path / "cache")) == 4
    again = TemplateCache(tmp_path / "cache")
    assert again.patched("<p>0</p>", lambda xml: "made again", "1") == "<P>0</P>"
    assert again.patched("<p>new</p>", lambda xml: "made again", "1") == "<P>NEW</P>"
    assert again.patched("<p>1</p>", lambda xml: "made again", "1") == "made again"
    for name, content in mine.items():
        assert (folder / name).read_bytes() == content
    assert (folder / "CACHEDIR.TAG").exists()
    assert writing.exists() and not stopped.exists()
