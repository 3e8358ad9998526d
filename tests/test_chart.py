"""The plan-at-a-glance chart: the same figures as the table, in words as well as bars."""

from __future__ import annotations

import io
import zipfile

import pytest
from lxml import etree
from PIL import Image

from plangen.model import Glance, ThemeCount
from plangen.template.chart import ACCENT, TEXT, ThemeChart

from conftest import Sample
from docx_reading import outline, rows

SVG = "{http://www.w3.org/2000/svg}"
SAMPLE = Glance(27, 8, (ThemeCount("City Safe", 5, 1), ThemeCount("Early Intervention", 1, 1),
                        ThemeCount("Anti-Social Behaviour", 3, 0)), ())


def test_the_alt_text_states_every_figure() -> None:
    assert ThemeChart(SAMPLE).alt == (
        "Bar chart of actions per theme: City Safe 5 (1 new), Early Intervention 1 (1 new), "
        "Anti-Social Behaviour 3 (none new). 27 actions in all, 8 new.")


def test_the_svg_is_an_image_named_by_its_alt_text_with_one_labelled_bar_per_theme() -> None:
    chart = ThemeChart(SAMPLE)
    svg = etree.fromstring(chart.svg())
    assert svg.get("role") == "img"
    title = svg.find(f"{SVG}title")
    assert title is not None and title.text == chart.alt
    assert svg.get("aria-labelledby") == title.get("id")
    labels = ["".join(text.itertext()) for text in svg.iter(f"{SVG}text")]
    assert labels[2:] == ["City Safe 5 (1 new)", "Early Intervention 1 (1 new)",
                          "Anti-Social Behaviour 3 (none new)"]
    bars = [rect for rect in svg.iter(f"{SVG}rect") if rect.get("height") == "20"]
    solid = {float(r.get("width") or 0) for r in bars if r.get("fill") == ACCENT}
    striped = [float(r.get("width") or 0) for r in bars if "url(#" in (r.get("fill") or "")]
    # Bars are to scale: 4 continuing + 1 new (City Safe) is the whole width.
    assert max(solid) == pytest.approx(4 * striped[0])
    assert len(striped) == 2  # City Safe and Early Intervention have new actions; ASB none


def test_theme_names_are_escaped_in_the_svg() -> None:
    chart = ThemeChart(Glance(1, 0, (ThemeCount("Drugs & <Alcohol>", 1, 0),), ()))
    svg = etree.fromstring(chart.svg())  # well formed
    assert "Drugs & <Alcohol> 1 (none new)" in ["".join(t.itertext())
                                                for t in svg.iter(f"{SVG}text")]


def test_the_png_is_print_sized_and_shows_bars_and_stripes() -> None:
    image = Image.open(io.BytesIO(ThemeChart(SAMPLE).png())).convert("RGB")
    assert image.width == 1600 and 200 < image.height < 600
    colours = image.getcolors(maxcolors=1 << 16)
    assert colours is not None
    teal = tuple(int(ACCENT[i:i + 2], 16) for i in (1, 3, 5))
    counts = {colour: count for count, colour in colours}
    assert counts.get(teal, 0) > 10_000  # the bars
    assert counts.get((255, 255, 255), 0) > image.width * image.height // 3  # the page
    taller = Image.open(io.BytesIO(ThemeChart(Glance(
        0, 0, SAMPLE.themes * 3, ())).png()))
    assert taller.height > image.height  # grows with the number of themes


def test_a_plan_without_themes_still_draws_a_chart() -> None:
    chart = ThemeChart(Glance(0, 0, (), ()))
    assert chart.alt == "Bar chart of actions per theme: no themes. 0 actions in all, 0 new."
    etree.fromstring(chart.svg())
    assert Image.open(io.BytesIO(chart.png())).width == 1600


def test_the_word_plan_shows_the_chart_with_alt_text_above_the_same_figures(
        sample: Sample) -> None:
    output, result = sample.docx, sample.result
    with zipfile.ZipFile(output) as archive:
        document = etree.fromstring(archive.read("word/document.xml"))
        media = [name for name in archive.namelist() if name.startswith("word/media/")]
    ns = {"wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"}
    pictures = document.findall(".//wp:docPr", ns)
    assert len(pictures) == 1 and len(media) == 1
    alt = ThemeChart(result.plan.glance).alt
    assert pictures[0].get("descr") == alt
    assert "City Safe 5 (1 new)" in alt and "Reoffending 5 (2 new)" in alt
    section = outline(output).child("The plan at a glance").child("Actions by theme")
    table = rows(section.tables[0])
    for theme, actions, new in table[1:]:
        assert f"{theme} {actions} ({new if new != '0' else 'none'} new)" in alt


@pytest.mark.parametrize("size", [(1, 1), (3, 2), (1600, 550), (7, 300)])
def test_the_png_writer_keeps_every_pixel_colour_and_the_print_size(
        size: tuple[int, int]) -> None:
    from plangen.template.chart import _png

    palette = bytes((index * 37) % 256 for index in range(256 * 3))
    noise = bytes((index * 7919) % 251 for index in range(size[0] * size[1]))
    image = Image.frombytes("P", size, noise)
    image.putpalette(palette)
    read = Image.open(io.BytesIO(_png(noise, size, palette, dots_per_metre=10_000)))
    read.load()  # checks every chunk's CRC and the compressed data
    assert (read.mode, read.size) == ("P", size)
    assert read.convert("RGB").tobytes() == image.convert("RGB").tobytes()
    assert read.info["dpi"] == pytest.approx((254, 254))


def test_the_text_and_page_are_greys_lighter_than_the_shade_that_stands_for_the_accent(
        ) -> None:
    from plangen.template import chart
    for colour in (TEXT, chart.WHITE):
        assert colour[1:3] == colour[3:5] == colour[5:7], colour
    assert chart._ACCENT_SHADE < chart._TEXT_SHADE < chart._WHITE_SHADE == 255


@pytest.mark.parametrize("glance", [
    SAMPLE,
    Glance(40, 40, tuple(ThemeCount(f"Theme {n}", n + 1, n + 1) for n in range(9)), ()),
    Glance(9, 3, (ThemeCount("A theme name long enough to be cut short " * 4, 6, 3),
                  ThemeCount("W", 3, 0)), ()),
])
def test_the_chart_is_the_accent_and_greys_no_darker_than_the_text(glance: Glance) -> None:
    """The PNG is drawn in greys with shade 0 standing for the accent (chart.png). Were text
    ever smoothed against a bar, shades between 0 and the text's would appear: greys darker
    than the text, which this would catch."""
    image = Image.open(io.BytesIO(ThemeChart(glance).png())).convert("RGB")
    teal = tuple(int(ACCENT[i:i + 2], 16) for i in (1, 3, 5))
    text = int(TEXT[1:3], 16)
    colours: set[tuple[int, ...]] = set()
    for _, colour in image.getcolors(maxcolors=1 << 16) or []:
        assert isinstance(colour, tuple)  # an RGB image's colours are triples
        colours.add(colour)
    assert teal in colours and (text, text, text) in colours
    assert all(colour == teal or colour[0] == colour[1] == colour[2] >= text
               for colour in colours), sorted(colours)


def test_the_chart_in_the_plan_is_a_valid_254_dpi_png() -> None:
    image = Image.open(io.BytesIO(ThemeChart(SAMPLE).png()))
    image.verify()
    assert image.info["dpi"] == pytest.approx((254, 254))
