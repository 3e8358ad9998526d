"""The chart's stripes are drawn only where a bar needs them, and look exactly as if the whole
sheet of stripes had been drawn: the same pixels for any set of figures."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from plangen.model import Glance, ThemeCount
from plangen.template import chart
from plangen.template.chart import ThemeChart


class WholeSheet(chart._Hatch):
    """Every stripe drawn at once, as the chart did before."""

    def __init__(self, size: tuple[int, int]) -> None:
        super().__init__(size)
        width, height = size
        for start in range(-height, width, self.GAP):
            self.draw.line((start, height, start + height, 0), fill=chart._ACCENT_SHADE,
                           width=self.WIDTH)
            self.drawn.add(start)


GLANCES = [
    Glance(27, 8, (ThemeCount("City Safe", 5, 1), ThemeCount("Early Intervention", 1, 1),
                   ThemeCount("Anti-Social Behaviour", 3, 0)), ()),
    Glance(40, 40, tuple(ThemeCount(f"Theme {n}", n + 1, n + 1) for n in range(9)), ()),
    Glance(3, 0, (ThemeCount("Only continuing", 3, 0),), ()),
    Glance(2000, 700, tuple(ThemeCount("A much longer theme name " * (n % 3 + 1), 97 * n + 5,
                                       37 * n % (97 * n + 5)) for n in range(14)), ()),
    Glance(0, 0, (), ()),
]


def pixels(png: bytes) -> tuple[tuple[int, int], bytes]:
    image = Image.open(io.BytesIO(png)).convert("RGB")
    return image.size, image.tobytes()


@pytest.mark.parametrize("glance", GLANCES)
def test_the_stripes_of_every_bar_are_cut_from_the_same_sheet(
        glance: Glance, monkeypatch: pytest.MonkeyPatch) -> None:
    drawn = pixels(ThemeChart(glance).png())
    monkeypatch.setattr(chart, "_Hatch", WholeSheet)
    assert drawn == pixels(ThemeChart(glance).png())
