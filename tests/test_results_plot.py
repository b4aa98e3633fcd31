"""``neurom2 results plot``: heatmaps of a real sweep, checked against independent computations.

A small grid of ``dim`` jobs runs through ``neurom2 batch`` into a store.  The plot's panels, cells and
filling frontier are compared with floating-point Jacobian ranks (an independent computation of the
dimension); the SVG (text kept as text) must name every panel and show every cell's number, and the
printed frontier must be the panels' minimal filling widths.
"""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
from contextlib import redirect_stdout

import pytest
from conftest import float_rank

from neurom2 import AmbientSpace, Architecture
from neurom2.batch import ResultStore
from neurom2.cli import main
from neurom2.present.sweep_plot import panels

GRID = """
[[grid]]
task = "dim"
input = 2
hidden = {min = 1, max = 3, depth = [1, 2]}
output = 1
activation = ["x^2", "x^3"]
"""


def run(*args: str) -> str:
    out = io.StringIO()
    with redirect_stdout(out):
        assert main(list(args)) == 0
    return out.getvalue()


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    folder = tmp_path_factory.mktemp("sweep")
    (folder / "grid.toml").write_text(GRID)
    db = folder / "grid.sqlite"
    run("batch", str(folder / "grid.toml"), "--db", str(db), "--workers", "1", "--quiet")
    return db


def fills_numerically(widths: tuple[int, ...], activation: str) -> bool:
    arch = Architecture.create(widths, activation)
    return float_rank(arch) == AmbientSpace.of(arch).dim


def test_panels_and_frontier_agree_with_float_ranks(store):
    with ResultStore(store, write=False) as opened:
        found = panels(opened.rows())
    assert [(p.family.activation, p.family.hidden_layers) for p in found] == [("x^2", 1), ("x^2", 2), ("x^3", 1), ("x^3", 2)]
    assert sum(len(p.cells) for p in found) == 2 * (3 + 9)
    for panel in found:
        for cell in panel.cells.values():
            assert cell.status == "done"
            assert cell.fills == fills_numerically(cell.widths, panel.family.activation), cell.widths
        assert panel.frontier(), panel.family  # every family here has a filling width ≤ 3
        for x, y in panel.frontier():
            assert panel.cells[(x, y)].fills
            for smaller in ((x - 1, y),) if y is None else ((x - 1, y), (x, y - 1)):
                if smaller in panel.cells:  # its narrower neighbours do not fill
                    assert not fills_numerically(panel.cells[smaller].widths, panel.family.activation)


def test_the_command_writes_svg_with_every_panel_and_number_and_prints_the_frontier(store, tmp_path):
    out = tmp_path / "sweep.svg"
    printed = run("results", "plot", "--db", str(store), "--out", str(out), "--value", "dim")
    with ResultStore(store, write=False) as opened:
        found = panels(opened.rows())
    texts = ["".join(t.itertext()) for t in ET.parse(out).getroot().iter("{http://www.w3.org/2000/svg}text")]
    for panel in found:
        for line in panel.family.title(separator="\n").splitlines():
            assert line in texts
        frontier = ", ".join("(" + ",".join(map(str, panel.cells[k].widths)) + ")" for k in panel.frontier())
        assert f"  {panel.family.title()}: {frontier}" in printed.splitlines()
    numbers = [t for t in texts if t.isdigit()]
    for cell in (c for p in found for c in p.cells.values()):
        assert str(cell.dim) in numbers


def test_png_output_and_filters(store, tmp_path):
    out = tmp_path / "sweep.png"
    printed = run("results", "plot", "--db", str(store), "--out", str(out), "--activation", "x^3", "--hidden-layers", "2")
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert printed.splitlines()[0] == f"wrote {out}: 1 panel (defect); minimal filling widths:"
    assert printed.splitlines()[1].startswith("  d0=2, dL=1, σ=x^3, no bias, 2 hidden layers: ")


def test_stored_rows_and_tables_display_the_dimensions_of_float_ranks(store):
    """A stored row's table and the store as one table (HTML and a LaTeX tabular) show dims that the float
    Jacobian ranks confirm."""
    from neurom2.present.stored import ResultTable

    table = ResultTable.read(store)
    assert len(table.rows) == 24
    header = table.header()
    html = ET.fromstring(table._repr_html_())
    shown = [["".join(td.itertext()) for td in tr.iter("td")] for tr in html.iter("tr") if tr.find("td") is not None]
    latex = table.to_latex().splitlines()
    assert latex[1].startswith("\\begin{tabular}{") and latex[-1] == "\\end{tabular}}"
    typeset = [[cell.strip() for cell in line.removesuffix("\\\\").split("&")] for line in latex[3:-1]]
    for row, cells, tex in zip(table.rows, shown, typeset):
        widths, activation = tuple(row.description["widths"]), row.description["activation"]
        arch = Architecture.create(widths, activation)
        values = dict(zip(header, cells))
        assert values["widths"] == ",".join(map(str, widths))
        assert int(values["dim"]) == float_rank(arch)
        assert values["fills"] == ("yes" if fills_numerically(widths, activation) else "no")
        assert tex == [c.replace("^", "\\^{}") for c in cells]
        row_cells = {tr.find("th").text: "".join(tr.find("td").itertext()) for tr in ET.fromstring(row._repr_html_()).iter("tr")}
        assert row_cells["dim"] == str(float_rank(arch))
