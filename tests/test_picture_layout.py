"""Every picture a reader is shown is legible: each picture kind is rendered with matplotlib (Agg) and its text
artists' window extents are read back from the renderer.

Labels drawn in an axes (point labels, contour labels, cell numbers) lie inside it; no two texts of a figure
overlap; every text lies inside the figure; every marker kind has a legend entry; the sweep figure's text is
at least 8 pt where the README and tutorial show it at its size.
"""

from __future__ import annotations

import itertools
import random

import matplotlib
import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.text import Text

from neurom2.model.architecture import Architecture
from neurom2.model.space import AmbientSpace
from neurom2.present.picture import POINT_STYLES, MarkedPoint, Region, _Loss, cubic_slice_picture, landscape_picture
from neurom2.present.sweep_plot import Cell, Family, Panel, draw
from neurom2.training.descent import train
from neurom2.training.loss import random_dataset
from neurom2.variety.implicitization import coordinate_symbols

matplotlib.use("Agg")

SHOWN_WIDTH = 880
"""Pixels: the widest a README image is shown on GitHub (its content column); narrower figures at their size."""


@pytest.fixture
def figures(monkeypatch) -> list[Figure]:
    """The figures saved during the test (still measurable after pyplot closed them)."""
    saved: list[Figure] = []
    original = Figure.savefig

    def savefig(self, *args, **kwargs):
        saved.append(self)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(Figure, "savefig", savefig)
    return saved


def texts(figure: Figure) -> list[Text]:
    """The texts drawn: tick labels only of the ticks in view (those out of view keep stale positions)."""
    axes_ticks = [axis for a in figure.axes for axis in (a.xaxis, a.yaxis)]
    all_ticks = {id(label) for axis in axes_ticks for tick in axis.majorTicks + axis.minorTicks
                 for label in (tick.label1, tick.label2)}
    shown = [label for axis in axes_ticks for loc, label in zip(axis.get_majorticklocs(), axis.get_majorticklabels())
             if min(axis.get_view_interval()) - 1e-9 <= loc <= max(axis.get_view_interval()) + 1e-9]
    drawn = [t for t in figure.findobj(Text) if id(t) not in all_ticks] + shown
    return [t for t in drawn if t.get_visible() and t.get_text().strip()]


def assert_legible(figure: Figure) -> None:
    FigureCanvasAgg(figure).draw()  # pyplot's close detached the figure from its canvas; the layout is redone
    # (a text may reach 2 px past the page: the constrained layout's rounding of descenders)
    renderer = figure.canvas.get_renderer()
    page = figure.bbox
    boxes = [(t, t.get_window_extent(renderer)) for t in texts(figure)]
    for text, box in boxes:
        assert page.x0 - 2 <= box.x0 and box.x1 <= page.x1 + 2 and page.y0 - 2 <= box.y0 and box.y1 <= page.y1 + 2, \
            f"{text.get_text()!r} leaves the figure"
    for axes in figure.axes:
        frame = axes.get_window_extent(renderer)
        for text in axes.texts:
            if text.get_visible() and text.get_text().strip():
                box = text.get_window_extent(renderer)
                assert frame.x0 <= box.x0 and box.x1 <= frame.x1 and frame.y0 <= box.y0 and box.y1 <= frame.y1, \
                    f"{text.get_text()!r} leaves its axes"
    for (a, box_a), (b, box_b) in itertools.combinations(boxes, 2):
        assert not box_a.overlaps(box_b), f"{a.get_text()!r} overlaps {b.get_text()!r}"


def legend_names(figure: Figure) -> list[str]:
    legends = [a.get_legend() for a in figure.axes if a.get_legend() is not None] + list(figure.legends)
    return [t.get_text() for legend in legends for t in legend.get_texts()]


def test_landscape_labels_stay_inside_apart_and_every_marker_is_explained(tmp_path, figures):
    arch = Architecture.create("2,2,1", "x^3")
    data = random_dataset(arch, 12, random.Random(5))
    runs = train(arch, data, 4, seed=1, max_steps=200)
    loss = _Loss.of(arch, data)
    far = loss.target + np.array([3.0, -1.0, 0.5, 2.0])
    marked = [
        MarkedPoint(tuple(loss.target), "infimum", "the minimum, at A⁺B, a long label to stack"),  # at the target
        MarkedPoint(tuple(far), "critical", "a saddle at the edge of the view, L = 123.456"),
        MarkedPoint(tuple(far + 1e-9), "critical", "its twin, one label below it"),
        MarkedPoint(tuple(loss.target + np.array([0.0, 1.0, -2.0, 0.3])), "critical", "spans the plane with the saddle"),
        MarkedPoint(tuple(loss.target + np.array([0.5, 0.5, 0.5, -0.5])), "critical", "off the plane"),
    ]
    a, _, _, d = coordinate_symbols(AmbientSpace.of(arch))
    made_up = Region("boundary", (a - d,), (1,))  # a made-up side to shade: only the layout is checked here
    picture = landscape_picture(tmp_path / "landscape.png", arch, data, runs, marked, region=made_up,
                                outcomes=["diverging", "spurious", "infimum", "diverging"])
    (figure,) = figures
    assert_legible(figure)
    names = legend_names(figure)
    for kind in {p.kind for p in picture.points}:
        assert POINT_STYLES[kind][3] in names
    assert any("hollow" in n for n in names)  # "off the plane" is drawn at its projection
    assert sum("training run" in n for n in names) == 3  # one per outcome
    caption = figure.axes[0].get_legend().get_title().get_text()
    assert "projected" in caption and "off the plane" in caption and "not reached" in caption
    assert "not reached" in names
    labels = [t.get_text() for t in figure.axes[0].texts]
    assert "A⁺B\nthe minimum, at A⁺B, a long label to stack" in labels  # one label per place, not overprinted


def test_sweep_figure_is_legible_at_its_shown_size(tmp_path, figures):
    families = [Family(2, 1, sigma, bias, layers) for sigma in ("x^2", "x^3") for bias in (False, True) for layers in (1, 2)]
    chosen = []
    for family in families:
        cells = {}
        for x in range(1, 11):
            for y in (range(1, 11) if family.hidden_layers == 2 else (None,)):
                widths = (2, x, *(() if y is None else (y,)), 1)
                expected = min(6, 3 * x + (3 * y if y else 0))  # numbers for the layout only
                status = "timeout" if (x, y) == (3, 3) else "done"
                cells[(x, y)] = Cell(widths, status, expected - (x == 1), expected, 6)
        chosen.append(Panel(family, (1, 2), cells))
    draw(chosen, tmp_path / "sweep.png")
    (figure,) = figures
    assert_legible(figure)
    scale = min(1.0, SHOWN_WIDTH / (figure.get_figwidth() * figure.dpi))
    sizes = {t.get_fontsize() * scale for t in texts(figure)}
    assert min(sizes) >= 8, sorted(sizes)
    for axes in figure.axes[:len(chosen)]:
        assert len(axes.get_xticks()) <= 8
    names = legend_names(figure)
    assert any("frontier" in n for n in names) and any("fills V" in n for n in names) and any("failed" in n for n in names)


@pytest.mark.macaulay2
def test_cubic_slice_labels_stay_inside_and_apart(tmp_path, figures):
    cubic_slice_picture(tmp_path / "slice.png", resolution=120)
    (figure,) = figures
    assert_legible(figure)
    names = legend_names(figure)
    assert "M(R): reached" in names and "not reached" in names
