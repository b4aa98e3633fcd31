"""Plots of sweeps: ``neurom2 results plot``, what a sweep over widths shows at a glance.

The ``dim`` and ``implicit`` results of a store are grouped into *families*: architectures with the same
input width d0, output width dL, activation, biases and number of hidden layers (and, beyond two hidden
layers, the same widths of the layers that are not axes).  Each family is one heatmap over two hidden
widths (the *axes*, hidden layers 1 and 2 by default; one row for one hidden layer).  A cell shows

* ``defect`` (default): expected minus computed dimension (0: as expected), or
* ``dim``: dim M, coloured by dim M / dim V, or
* ``fills``: whether M fills V over C (dim M = dim V),

and in every panel the cells that fill are hatched, the border between filling and non-filling cells
is drawn, and the *filling frontier*, the minimal filling widths among the cells (no other filling cell
is narrower in both axes), is starred.  Failed or timed-out jobs are grey, marked F or T; widths not
in the store are left blank.  What the numbers prove is what the stored results say (``proved`` and
``error_bound`` of each ``dim`` result); the plot shows the numbers only.

Needs matplotlib (``pip install 'neurom2[plot]'``).  Output: PNG, SVG (text kept as text) or PDF, by the
file's suffix.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from neurom2.errors import InvalidOption, Neurom2Error

if TYPE_CHECKING:  # the command line's startup reads VALUES without loading the store
    from neurom2.batch.store import ResultRow

VALUES = ("defect", "dim", "fills")
"""What a cell shows."""
SUFFIXES = (".png", ".svg", ".pdf")
MAX_PANELS = 40
"""More families than this are refused: narrow the selection with the filters."""
COLUMNS = 2
"""Panels per row: two keep the figure narrow enough to be shown at its size in a README (about 750 px)."""
FONT_SIZE = 9
"""Points; at :data:`DPI` and two columns the text stays at least 8 pt where the figure is shown at its size."""
DPI = 110
MAX_TICKS = 8
"""Width ticks per axis, at most."""
STATUS_MARKS = {"failed": "F", "timeout": "T"}
"""What a grey cell shows (a letter fits a cell; the legend says what it means)."""
TASKS = ("dim", "implicit")
"""Tasks whose results have a dimension."""


@dataclass(frozen=True)
class Family:
    """The architectures of one panel: all but the two axis widths fixed."""

    input: int
    output: int
    activation: str
    bias: bool
    hidden_layers: int
    fixed: tuple[tuple[int, int], ...] = ()
    """(hidden layer, width) of the hidden layers that are not axes (1-based)."""

    def title(self, separator: str = ", ") -> str:
        """The family in words (d0, dL, σ, biases, hidden layers), parts joined by ``separator``."""
        text = f"d0={self.input}, dL={self.output}, σ={self.activation}, {'bias' if self.bias else 'no bias'}"
        text += f"{separator}{self.hidden_layers} hidden layer{'s' if self.hidden_layers != 1 else ''}"
        return text + "".join(f", d{layer}={width}" for layer, width in self.fixed)


@dataclass(frozen=True)
class Cell:
    """One architecture's stored result."""

    widths: tuple[int, ...]
    status: str
    dim: int | None = None
    expected_dim: int | None = None
    ambient_dim: int | None = None

    @property
    def defect(self) -> int | None:
        """Expected minus computed dimension; None when either is unknown."""
        return None if self.dim is None or self.expected_dim is None else self.expected_dim - self.dim

    @property
    def fills(self) -> bool | None:
        """Whether dim M = dim V; None when either is unknown."""
        return None if self.dim is None or self.ambient_dim is None else self.dim == self.ambient_dim

    def value(self, what: str) -> float | None:
        """The number a heatmap colours: the defect, dim M / dim V, or 1/0 for fills."""
        if what == "defect":
            return self.defect
        if what == "dim":
            return None if self.dim is None or not self.ambient_dim else self.dim / self.ambient_dim
        return None if self.fills is None else float(self.fills)

    def label(self, what: str) -> str:
        """The text written in the cell for the plotted quantity ``what`` (the status when the job is not done)."""
        if self.status != "done":
            return STATUS_MARKS.get(self.status, "?")
        return {"defect": str(self.defect), "dim": str(self.dim), "fills": "yes" if self.fills else "no"}[what]


@dataclass(frozen=True)
class Panel:
    """One family's cells over the axis widths: ``x`` (first axis) and ``y`` (second; ``(None,)`` with one
    hidden layer)."""

    family: Family
    axes: tuple[int, ...]
    """The hidden layers (1-based) on the x and y axes."""
    cells: dict[tuple[int, int | None], Cell] = field(hash=False)

    @property
    def x(self) -> tuple[int, ...]:
        """The widths on the x axis: every width from the least to the largest of the panel's cells."""
        return tuple(range(min(k[0] for k in self.cells), max(k[0] for k in self.cells) + 1))

    @property
    def y(self) -> tuple[int | None, ...]:
        """The widths on the y axis, or (None,) for a family with one hidden layer."""
        ys = [k[1] for k in self.cells if k[1] is not None]
        return tuple(range(min(ys), max(ys) + 1)) if ys else (None,)

    def filling(self) -> set[tuple[int, int | None]]:
        """The cells whose network fills V."""
        return {key for key, cell in self.cells.items() if cell.fills}

    def frontier(self) -> list[tuple[int, int | None]]:
        """The minimal filling cells: filling, and no other filling cell is ≤ in both axis widths."""
        filling = self.filling()

        def below(a: tuple[int, int | None], b: tuple[int, int | None]) -> bool:
            return a != b and a[0] <= b[0] and (a[1] is None or b[1] is None or a[1] <= b[1])

        return sorted(key for key in filling if not any(below(other, key) for other in filling))


def _key(axes: tuple[int, ...], hidden: tuple[int, ...]) -> tuple[int, int | None]:
    return hidden[axes[0] - 1], hidden[axes[1] - 1] if len(hidden) > 1 else None


def panels(rows: Iterable[ResultRow], axes: tuple[int, int] = (1, 2)) -> list[Panel]:
    """Group the ``dim``/``implicit`` rows into families, one :class:`Panel` each (in a fixed order)."""
    if len(axes) != 2 or axes[0] == axes[1] or min(axes) < 1:
        raise InvalidOption(f"axes must be two different hidden layers (1-based), got {axes}", "axes")
    grouped: dict[Family, dict[tuple[int, int | None], Cell]] = {}
    for row in rows:
        if row.task not in TASKS:
            continue
        d, result = row.description, row.result or {}
        widths = tuple(d.get("widths", ()))
        hidden = widths[1:-1]
        if not hidden or (len(hidden) > 1 and max(axes) > len(hidden)):
            continue  # one affine map, or too few hidden layers for these axes
        axis_layers = axes[:1] if len(hidden) == 1 else axes
        fixed = tuple((layer, w) for layer, w in enumerate(hidden, start=1) if layer not in axis_layers)
        family = Family(widths[0], widths[-1], str(d.get("activation")), bool(d.get("bias")), len(hidden), fixed)
        cell = Cell(widths, row.status, result.get("dim"), result.get("expected_dim"), result.get("ambient_dim"))
        grouped.setdefault(family, {}).setdefault(_key(axes, hidden), cell)
    order = sorted(grouped, key=lambda f: (f.input, f.output, f.activation, f.bias, f.hidden_layers, f.fixed))
    return [Panel(f, axes, grouped[f]) for f in order]


def select(found: list[Panel], *, input: int | None = None, output: int | None = None, activation: str | None = None,
           bias: bool | None = None, hidden_layers: int | None = None) -> list[Panel]:
    """The panels whose family matches every given filter (``activation`` in canonical form)."""
    wanted = {"input": input, "output": output, "activation": activation, "bias": bias, "hidden_layers": hidden_layers}
    return [p for p in found if all(v is None or getattr(p.family, k) == v for k, v in wanted.items())]


def check_output(path: Path) -> None:
    """InvalidOption unless ``path`` has a supported suffix and can be written."""
    if path.suffix.lower() not in SUFFIXES:
        raise InvalidOption(f"--out: {path}: the suffix must be one of {', '.join(SUFFIXES)}", "out")
    if not path.parent.is_dir():
        raise InvalidOption(f"--out: {path}: the directory {path.parent} does not exist", "out")
    if path.is_dir():
        raise InvalidOption(f"--out: {path} is a directory", "out")


def draw(chosen: list[Panel], path: Path, what: str = "defect") -> Path:
    """Draw the panels into ``path`` (one heatmap each, see the module docstring); returns ``path``."""
    if what not in VALUES:
        raise InvalidOption(f"unknown value {what!r} (choose {', '.join(VALUES)})", "value")
    if not chosen:
        raise InvalidOption("nothing to plot: no done dim or implicit results with hidden layers match", "db")
    if len(chosen) > MAX_PANELS:
        raise InvalidOption(f"{len(chosen)} families of architectures, more than {MAX_PANELS} panels; choose some with "
                            "--input, --output, --activation, --bias or --hidden-layers", "db")
    check_output(path)
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
        from matplotlib.patches import Rectangle
    except ImportError:
        raise Neurom2Error("plots need matplotlib: pip install 'neurom2[plot]'") from None

    columns = min(COLUMNS, len(chosen))
    rows = math.ceil(len(chosen) / columns)
    values = [v for p in chosen for c in p.cells.values() if (v := c.value(what)) is not None]
    top = max([1.0, *values]) if what == "defect" else 1.0
    colormap = {"defect": "Oranges", "dim": "viridis", "fills": "RdYlGn"}[what]
    with plt.rc_context({"svg.fonttype": "none", "font.size": FONT_SIZE}):
        figure, grid = plt.subplots(rows, columns, figsize=(3.4 * columns, 3.1 * rows + 0.6), squeeze=False,
                                    layout="constrained")
        image = None
        for axes, panel in zip(grid.flat, chosen):
            image = _heatmap(axes, panel, what, top, colormap, Rectangle)
        for axes in list(grid.flat)[len(chosen):]:
            axes.set_visible(False)
        label = {"defect": "defect = expected dim − dim M", "dim": "dim M / dim V", "fills": "fills V (1) or not (0)"}[what]
        if image is not None:
            figure.colorbar(image, ax=list(grid.flat), shrink=0.6, label=label, location="bottom", aspect=40)
        proxies = [Rectangle((0, 0), 1, 1, fill=False, hatch="//", edgecolor="#1b5e20", linewidth=0),
                   plt.Line2D([], [], color="black", linewidth=2),
                   plt.Line2D([], [], marker="*", markersize=10, color="#1b5e20", markeredgecolor="white", linestyle=""),
                   Rectangle((0, 0), 1, 1, color="#bbbbbb")]
        figure.legend(proxies, ["fills V (dim M = dim V)", "border of the filling cells",
                                "filling frontier: minimal filling widths", "failed (F) or timed out (T)"],
                      loc="outside upper center", ncol=2, frameon=False)
        figure.savefig(path, bbox_inches="tight", dpi=DPI)
        plt.close(figure)
    return path


def _heatmap(axes: Any, panel: Panel, what: str, top: float, colormap: str, Rectangle: Any) -> Any:
    import numpy as np

    xs, ys = panel.x, panel.y
    grid = np.full((len(ys), len(xs)), np.nan)
    for (x, y), cell in panel.cells.items():
        value = cell.value(what)
        if value is not None:
            grid[ys.index(y), xs.index(x)] = value
    image = axes.imshow(grid, origin="lower", cmap=colormap, vmin=0, vmax=top, aspect="auto",
                        extent=(xs[0] - 0.5, xs[-1] + 0.5, (ys[0] or 1) - 0.5, (ys[-1] or 1) + 0.5))
    filling = panel.filling()
    small = len(xs) * len(ys) <= 150
    for (x, y), cell in panel.cells.items():
        yy = y or 1
        if cell.status != "done":
            axes.add_patch(Rectangle((x - 0.5, yy - 0.5), 1, 1, color="#bbbbbb"))
        if (x, y) in filling:
            axes.add_patch(Rectangle((x - 0.5, yy - 0.5), 1, 1, fill=False, hatch="//", edgecolor="#1b5e20", linewidth=0))
        if small:
            axes.text(x, yy, cell.label(what), ha="center", va="center")
    for x, y in panel.cells:  # the border between filling and non-filling neighbours
        for dx, dy in ((1, 0), (0, 1)):
            if y is None and dy:
                continue
            neighbour = (x + dx, None if y is None else y + dy)
            if neighbour in panel.cells and ((x, y) in filling) != (neighbour in filling):
                yy = y or 1
                ends = ((x + 0.5, x + 0.5), (yy - 0.5, yy + 0.5)) if dx else ((x - 0.5, x + 0.5), (yy + 0.5, yy + 0.5))
                axes.plot(*ends, color="black", linewidth=2)
    for x, y in panel.frontier():
        axes.plot([x - 0.3], [(y or 1) + 0.3], marker="*", markersize=10, color="#1b5e20", markeredgecolor="white")
    axes.set_title(panel.family.title(separator="\n"))
    axes.set_xticks(_ticks(xs))
    axes.set_xlabel(f"width of hidden layer {panel.axes[0]}")
    if ys == (None,):
        axes.set_yticks([])
    else:
        axes.set_yticks(_ticks(ys))
        axes.set_ylabel(f"width of hidden layer {panel.axes[1]}")
    return image


def _ticks(widths: tuple[Any, ...]) -> list[int]:
    """At most :data:`MAX_TICKS` of the widths, evenly spaced, the first and (if it fits the step) the last."""
    step = math.ceil(len(widths) / MAX_TICKS)
    return list(widths[::step])


__all__ = ["MAX_PANELS", "SUFFIXES", "VALUES", "Cell", "Family", "Panel", "check_output", "draw", "panels", "select"]
