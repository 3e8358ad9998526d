"""The web page in a real browser (Debian's headless Chromium): it loads without a console
error, reads on a phone without sideways scrolling, the skip link comes first, and it prints."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image

from browser import Chromium

from conftest import Sample, need_program

DESKTOP = (1280, 900)
PHONE = (390, 844)


@pytest.fixture(scope="module")
def chromium() -> Iterator[Chromium]:
    browser = Chromium(need_program("chromium", "chromium-browser"))
    try:
        yield browser
    finally:
        browser.close()


@pytest.fixture(scope="module")
def page_url(sample: Sample) -> str:
    return sample.draft.outputs[1].as_uri()


def test_the_check_for_console_errors_can_fail(chromium: Chromium, tmp_path: Path) -> None:
    """A page with a console error, an uncaught exception and a missing image is caught."""
    broken = tmp_path / "broken.html"
    broken.write_text('<!DOCTYPE html><html lang="en"><title>x</title><img src="gone.png" '
                      'alt="x"><script>console.error("boom"); notDefined();</script></html>',
                      encoding="utf-8")
    errors = [m for m in chromium.page(broken.as_uri(), *DESKTOP).messages() if m.is_error]
    assert {m.source for m in errors} == {"console", "exception", "log"}
    assert any("gone.png" in m.text for m in errors)


@pytest.mark.parametrize(("size", "mobile"), [(DESKTOP, False), (PHONE, True)])
def test_the_page_loads_without_console_messages_and_screenshots(
        chromium: Chromium, page_url: str, tmp_path: Path, size: tuple[int, int],
        mobile: bool) -> None:
    page = chromium.page(page_url, *size, mobile=mobile)
    assert page.messages() == []
    shot = page.screenshot(tmp_path / "page.png")
    image = Image.open(shot)
    assert image.width == size[0] and image.height > 5 * size[1]  # the whole long page
    assert shot.stat().st_size > 50_000
    assert len(image.convert("RGB").getcolors(maxcolors=1 << 20) or []) > 50  # not blank


def test_on_a_phone_nothing_scrolls_sideways_and_text_stays_readable(
        chromium: Chromium, page_url: str) -> None:
    page = chromium.page(page_url, *PHONE, mobile=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE[0]
    overflowing = page.evaluate("""[...document.querySelectorAll('.table-scroll')]
        .filter(region => region.scrollWidth > region.clientWidth).length""")
    assert overflowing == 0
    smallest = page.evaluate("""Math.min(...[...document.querySelectorAll('p, li, td, th')]
        .map(e => parseFloat(getComputedStyle(e).fontSize)))""")
    assert smallest >= 14.6  # 11 pt
    chart = page.evaluate("document.querySelector('svg.chart').getBoundingClientRect().width")
    assert 300 < chart <= PHONE[0]


def test_the_skip_link_is_the_first_thing_a_keyboard_reaches_and_goes_to_the_main_content(
        chromium: Chromium, page_url: str) -> None:
    page = chromium.page(page_url, *DESKTOP)
    page.key("Tab", 9)
    assert page.evaluate("document.activeElement.textContent") == "Skip to main content"
    assert page.evaluate("getComputedStyle(document.activeElement).position") == "static"
    page.key("Enter", 13)
    assert page.evaluate("location.hash") == "#main"
    assert page.evaluate("document.activeElement.id") == "main"


def test_the_page_prints_without_the_skip_link(chromium: Chromium, page_url: str,
                                              tmp_path: Path) -> None:
    need_program("pdftotext")
    page = chromium.page(page_url, *DESKTOP)
    page.key("Tab", 9)  # even with the skip link focused
    printed = page.print_pdf(tmp_path / "printed.pdf")
    text = subprocess.run(["pdftotext", str(printed), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "Skip to main content" not in text
    assert "DRAFT — not for publication" in text
    assert "Glossary" in text and "Key actions: Reoffending" in text
    assert text.count("\f") > 5  # sections start on new pages
