"""The plan-at-a-glance chart: actions per theme, with the new ones marked.

One set of figures, drawn twice: as SVG text for the web page (crisp at any size, no image file)
and as a PNG for Word and the PDF (Pillow, imported only when a PNG is drawn). New actions are
told apart by a striped pattern *and* by the figures written beside each bar, never by colour
alone; the alt text states every figure, so the chart hides nothing from a screen-reader user.
"""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass
from html import escape
from typing import TYPE_CHECKING

from plangen.model import Glance, ThemeCount

if TYPE_CHECKING:
    from PIL import Image, ImageDraw, ImageFont

ACCENT = "#00576B"  # dark teal: 7.6:1 on white, as in the Word template
TEXT = "#1B1B1B"
WHITE = "#FFFFFF"

LEGEND_OLD = "Continuing"
LEGEND_NEW = "New this year"


def figures(count: ThemeCount) -> str:
    """'5 (1 new)', '3 (none new)'."""
    return f"{count.actions} ({count.new if count.new else 'none'} new)"


@dataclass(frozen=True)
class ThemeChart:
    """A horizontal bar chart of actions per theme; the striped end of each bar is new."""

    glance: Glance

    @property
    def alt(self) -> str:
        """The alt text: what the chart is, then every figure in it."""
        bars = ", ".join(f"{count.theme} {figures(count)}" for count in self.glance.themes)
        total = (f"{self.glance.actions} action{'s' if self.glance.actions != 1 else ''} in all,"
                 f" {self.glance.new} new")
        if not bars:
            return f"Bar chart of actions per theme: no themes. {total}."
        return f"Bar chart of actions per theme: {bars}. {total}."

    def __str__(self) -> str:
        """As plain text the chart is its alt text; the Word and web templates draw it."""
        return self.alt

    def __html__(self) -> str:
        """Jinja renders the chart in an HTML template as inline SVG."""
        return self.svg()

    def svg(self, *, id_prefix: str = "glance-chart") -> str:
        """Inline SVG in a stacked layout (theme name and figures above each bar), so the text
        stays readable when a phone shrinks the chart."""
        width, font, bar, gap = 400, 16, 20, 14
        row = font + 6 + bar + gap
        top = 36
        height = top + row * len(self.glance.themes)
        most = max((count.actions for count in self.glance.themes), default=0) or 1
        scale = (width - 2) / most
        title_id = f"{id_prefix}-title"
        parts = [
            f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img"'
            f' aria-labelledby="{title_id}" viewBox="0 0 {width} {height}"'
            f' width="{width}" height="{height}" font-size="{font}"'
            ' font-family="Arial, \'Liberation Sans\', Helvetica, sans-serif">',
            f'<title id="{title_id}">{escape(self.alt)}</title>',
            "<defs>",
            f'<pattern id="{id_prefix}-new" patternUnits="userSpaceOnUse" width="8" height="8"'
            ' patternTransform="rotate(45)">',
            f'<rect width="8" height="8" fill="{WHITE}"/>',
            f'<rect width="4" height="8" fill="{ACCENT}"/>',
            "</pattern>",
            "</defs>",
            # The legend.
            f'<rect x="1" y="4" width="28" height="18" fill="{ACCENT}" stroke="{ACCENT}"/>',
            f'<text x="36" y="19" fill="{TEXT}">{LEGEND_OLD}</text>',
            f'<rect x="151" y="4" width="28" height="18" fill="url(#{id_prefix}-new)"'
            f' stroke="{ACCENT}" stroke-width="2"/>',
            f'<text x="186" y="19" fill="{TEXT}">{LEGEND_NEW}</text>',
        ]
        for index, count in enumerate(self.glance.themes):
            y = top + index * row
            parts.append(f'<text x="0" y="{y + font}" fill="{TEXT}">{escape(count.theme)}'
                         f' <tspan font-weight="bold">{figures(count)}</tspan></text>')
            bar_y = y + font + 6
            old = (count.actions - count.new) * scale
            new = count.new * scale
            if old:
                parts.append(f'<rect x="1" y="{bar_y}" width="{old:.1f}" height="{bar}"'
                             f' fill="{ACCENT}" stroke="{ACCENT}" stroke-width="2"/>')
            if new:
                parts.append(f'<rect x="{1 + old:.1f}" y="{bar_y}" width="{new:.1f}"'
                             f' height="{bar}" fill="url(#{id_prefix}-new)" stroke="{ACCENT}"'
                             ' stroke-width="2"/>')
        parts.append("</svg>")
        return "".join(parts)

    def png(self) -> bytes:
        """A PNG in a side-by-side layout (theme, bar, figures on one line), 1600 pixels wide:
        sharp when printed 16 cm wide. Text is 40 px, about 11 pt at that size.

        It is drawn in shades of grey, one byte a pixel rather than three, and the PNG maps
        shade 0 to the accent colour (_PALETTE): a third of the pixels to fill, copy and
        compress. That is exact because the text is grey, so smoothing it gives the same grey
        in each of red, green and blue; and nothing is smoothed against the accent, whose
        bars and stripes are drawn unsmoothed and never under text.
        """
        from PIL import Image, ImageDraw

        width, pad, font_size, bar, row = 1600, 12, 40, 44, 66
        font = _font(font_size)
        themes = self.glance.themes
        measure = ImageDraw.Draw(Image.new("L", (1, 1)))
        label_width = max((measure.textlength(c.theme, font=font) for c in themes), default=0)
        label_width = min(label_width, width * 0.45)
        value_width = max((measure.textlength(figures(c), font=font) for c in themes),
                          default=0)
        bars_left = pad + label_width + 24
        bars_right = width - pad - value_width - 20
        most = max((count.actions for count in themes), default=0) or 1
        scale = (bars_right - bars_left) / most
        legend = 64
        height = pad + legend + row * len(themes) + pad

        image = Image.new("L", (width, int(height)), _WHITE_SHADE)
        draw = ImageDraw.Draw(image)
        hatch = _Hatch(image.size)

        def bar_segment(left: float, top: float, right: float, striped: bool) -> None:
            box = (round(left), round(top), round(right), round(top + bar))
            if striped:
                image.paste(hatch.crop(box), box[:2])
                draw.rectangle(box, outline=_ACCENT_SHADE, width=4)
            else:
                draw.rectangle(box, fill=_ACCENT_SHADE)

        # The legend.
        x = bars_left
        bar_segment(x, pad + 4, x + 60, False)
        x += 76
        draw.text((x, pad + 4 + bar / 2), LEGEND_OLD, fill=_TEXT_SHADE, font=font, anchor="lm")
        x += measure.textlength(LEGEND_OLD, font=font) + 48
        bar_segment(x, pad + 4, x + 60, True)
        x += 76
        draw.text((x, pad + 4 + bar / 2), LEGEND_NEW, fill=_TEXT_SHADE, font=font, anchor="lm")

        for index, count in enumerate(themes):
            top = pad + legend + index * row + (row - bar) / 2
            middle = top + bar / 2
            draw.text((bars_left - 24, middle), _fit(draw, count.theme, font, label_width),
                      fill=_TEXT_SHADE, font=font, anchor="rm")
            old_end = bars_left + (count.actions - count.new) * scale
            end = bars_left + count.actions * scale
            if count.actions - count.new:
                bar_segment(bars_left, top, old_end, False)
            if count.new:
                bar_segment(old_end, top, end, True)
            draw.text((end + 20, middle), figures(count), fill=_TEXT_SHADE, font=font,
                      anchor="lm")

        return _png(image.tobytes(), image.size, _PALETTE, dots_per_metre=10_000)  # 254 dpi


def _shade(colour: str) -> int:
    """The shade of grey colour is ("#1B1B1B" is 27). The text and the page must be greys,
    the text lighter than _ACCENT_SHADE (tests/test_chart.py checks both)."""
    return int(colour[1:3], 16)


_TEXT_SHADE, _WHITE_SHADE = _shade(TEXT), _shade(WHITE)
#: The shade that stands for the accent colour: darker than the text, so smoothing the text
#: against white never makes it.
_ACCENT_SHADE = 0
#: Shade n is grey n, except the accent's.
_PALETTE = b"".join(bytes.fromhex(ACCENT[1:]) if shade == _ACCENT_SHADE else bytes((shade,) * 3)
                    for shade in range(256))


def _png(pixels: bytes, size: tuple[int, int], palette: bytes, dots_per_metre: int) -> bytes:
    """An 8-bit palette PNG of pixels (rows of width bytes, each an index into palette, three
    bytes a colour), its rows unfiltered.

    Pillow's PNG writer tries every row filter on every row, which took most of its time for
    this chart and gains nothing on flat colours: deflate alone makes the file as small. So
    the PNG is written here (the format's five chunks).
    """
    width, height = size
    rows = b"".join(b"\0" + pixels[start:start + width]  # 0: the row as it is
                    for start in range(0, width * height, width))

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    return b"".join((
        b"\x89PNG\r\n\x1a\n",
        chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 3, 0, 0, 0)),  # 3: palette
        chunk(b"PLTE", palette),
        chunk(b"pHYs", struct.pack(">IIB", dots_per_metre, dots_per_metre, 1)),  # 1: metres
        chunk(b"IDAT", zlib.compress(rows, 1)),
        chunk(b"IEND", b""),
    ))


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    """Pillow's own sans-serif font, so the chart looks the same on every machine."""
    from PIL import ImageFont

    return ImageFont.load_default(size=size)


class _Hatch:
    """Dark diagonal stripes on white, for the new part of each bar: cut from one sheet the
    size of the chart, so the stripes of every bar line up.

    A stripe is drawn only when a bar it crosses is cut out (drawing all of them was a fifth
    of the chart's time). Stripes are one colour and not smoothed, so a pixel is dark when any
    stripe covers it, whichever stripes were drawn and in whatever order: every cut-out is
    the same as from the whole sheet.
    """

    GAP, WIDTH = 20, 8

    def __init__(self, size: tuple[int, int]) -> None:
        from PIL import Image as PILImage
        from PIL import ImageDraw as PILDraw

        self.sheet = PILImage.new("L", size, _WHITE_SHADE)
        self.draw = PILDraw.Draw(self.sheet)
        self.drawn: set[int] = set()

    def crop(self, box: tuple[int, int, int, int]) -> Image.Image:
        left, top, right, bottom = box
        width, height = self.sheet.size
        for start in range(-height, width, self.GAP):
            # the stripe from (start, height) to (start + height, 0) covers the pixels whose
            # x + y is within 6 of start + height; a margin of GAP is more than enough
            if (start not in self.drawn
                    and left + top - self.GAP <= start + height <= right + bottom + self.GAP):
                self.draw.line((start, height, start + height, 0), fill=_ACCENT_SHADE,
                               width=self.WIDTH)
                self.drawn.add(start)
        return self.sheet.crop(box)


def _fit(draw: ImageDraw.ImageDraw, text: str,
         font: ImageFont.FreeTypeFont | ImageFont.ImageFont, width: float) -> str:
    """Shorten a very long theme name with an ellipsis; the alt text keeps it whole."""
    if draw.textlength(text, font=font) <= width:
        return text
    while text and draw.textlength(text + "…", font=font) > width:
        text = text[:-1]
    return text.rstrip() + "…"
