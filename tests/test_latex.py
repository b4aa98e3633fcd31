"""LaTeX for a page (:mod:`neurom2.latex`): every result kind's ``to_latex()`` compiles with pdflatex.

Each fragment goes into a document of :data:`neurom2.latex.PREAMBLE` (article, amsmath, amssymb), which
pdflatex compiles (``-interaction=nonstopmode -halt-on-error``): any LaTeX error fails, and so does any
overfull box more than :data:`OVERFULL_PT` wider than the page's text.  The fragments are ASCII, and the
equations broken across lines still read back to the polynomials computed (the 3x3 determinant, checked
against sympy's determinant of the coordinate matrix).
"""

from __future__ import annotations

import dataclasses
import json
import re
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
import sympy
from conftest import PDFLATEX
from test_display import formulas, read_polynomial

from neurom2 import Architecture, decide_membership, dimension, implicitize
from neurom2.batch.store import ResultRow
from neurom2.latex import ACCENTS, MATH_SYMBOLS, PREAMBLE, TEXT_SYMBOLS, lines, pieces, text, width
from neurom2.model.space import AmbientSpace
from neurom2.variety.neurovariety import Neurovariety

OVERFULL_PT = 10.0
"""The widest overfull box allowed, in points."""
DATA = Path(__file__).parent / "data"
STORED = {("3,2,1", "x^5"): DATA / "implicit-321-x5.json"}
"""Ideals too slow to compute in a typesetting test (the secant variety of the Veronese surface v_5: 609 cubics,
about 5 s alone and 25 s on a busy machine), stored as ``Neurovariety.to_json()``; regenerate them with
``PYTHONPATH=src python tests/test_latex.py``."""


def variety_of(widths: str, activation: str) -> Neurovariety:
    """The neurovariety: computed, or read from its stored JSON (:data:`STORED`; without the verification)."""
    path = STORED.get((widths, activation))
    if path is None:
        return implicitize(Architecture.create(widths, activation))
    data = json.loads(path.read_text())
    architecture = Architecture.create(widths, activation, bias=data["bias"])
    space = AmbientSpace.of(architecture)
    symbols = {c.name: sympy.Symbol(c.name) for c in space.coordinates}
    equations = tuple(sympy.Poly(sympy.sympify(e, locals=symbols), *symbols.values()) for e in data["equations"])
    return Neurovariety(architecture=architecture, space=space, dim=data["dim"], degree=data["degree"],
                        degree_method=data["degree_method"], equations=equations, m2_version=data["m2_version"],
                        strategy=data["strategy"], complete=data["complete"], up_to_degree=data["up_to_degree"],
                        proof=data["proof"], dimension_proved=data["dimension_proved"], timings=data["timings"],
                        seed=data.get("seed", 0))


def compile_fragment(fragment: str, directory: Path) -> str:
    """pdflatex on PREAMBLE + ``fragment``: the log, after asserting success and no overfull box above the bound."""
    assert PDFLATEX is not None, "pdflatex is not installed (apt-get install --no-install-recommends texlive-latex-base)"
    assert fragment.isascii(), sorted({ch for ch in fragment if not ch.isascii()})
    source = directory / "fragment.tex"
    source.write_text(f"{PREAMBLE}\n\\begin{{document}}\n{fragment}\n\\end{{document}}\n")
    done = subprocess.run([str(PDFLATEX), "-interaction=nonstopmode", "-halt-on-error", source.name], cwd=directory,
                          capture_output=True, text=True, timeout=300)
    log = (directory / "fragment.log").read_text(errors="replace")
    assert done.returncode == 0 and "! " not in log, log[-3000:]
    overfull = [float(pt) for pt in re.findall(r"Overfull \\[hv]box \(([\d.]+)pt too (?:wide|high)", log)]
    assert max(overfull, default=0.0) <= OVERFULL_PT, overfull
    return log


@pytest.mark.latex
@pytest.mark.macaulay2
@pytest.mark.parametrize("widths, activation", [("2,3,1", "x^8"), ("3,2,1", "x^5"), ("3,2,3", "x")])
def test_implicit_ideals_compile_on_pages_without_overfull_lines(widths, activation, tmp_path):
    """The two cases of the issue (2,614 pt and an unbreakable block before) and the 3x3 determinant: every
    equation is displayed, broken at + and - where needed, and runs over as many pages as it takes."""
    variety = variety_of(widths, activation)
    fragment = variety.to_latex()
    typeset = formulas(fragment)
    assert len(typeset) == len(variety.equations) > 0
    log = compile_fragment(fragment, tmp_path)
    pages = int(re.search(r"Output written on fragment\.pdf \((\d+) pages?", log)[1])
    assert pages >= 1 + (len(fragment) > 100_000)  # the large ideal breaks across pages


@pytest.mark.macaulay2
def test_the_broken_determinant_reads_back_to_the_determinant_of_the_coordinate_matrix(tmp_path):
    """Linear (3,2,3): M is the 3x3 matrices of rank <= 2; the one equation, typeset over several lines,
    read back equals +-det of the matrix of coordinates c_{k,e_j} (sympy's determinant, computed here)."""
    variety = implicitize(Architecture.create("3,2,3", "x"))
    fragment = variety.to_latex()
    assert fragment.count("\\quad ") >= 1  # the determinant's six terms do not fit on one line
    (typeset,) = formulas(fragment)
    matrix = sympy.Matrix(3, 3, lambda k, j: sympy.Symbol(f"c{k + 1}_" + "_".join("1" if i == j else "0" for i in range(3))))
    read = sympy.expand(read_polynomial(typeset, variety.space))
    assert read in (sympy.expand(matrix.det()), sympy.expand(-matrix.det()))


@pytest.mark.latex
@pytest.mark.macaulay2
def test_the_slides_letters_and_truncated_ideals_compile(tmp_path):
    variety = implicitize(Architecture.create("2,3,1", "x^8"))
    compile_fragment(variety.to_latex(names="letters"), tmp_path)
    compile_fragment(variety.to_latex(max_equations=3, max_terms=5), tmp_path)


@pytest.mark.latex
@pytest.mark.macaulay2
def test_dimension_and_membership_compile(tmp_path):
    result = dimension(Architecture.create("3,2,2,1", "x^2"))
    compile_fragment(result.to_latex(), tmp_path)
    compile_fragment(dataclasses.replace(result, proved=False, error_bound=5.6e-10).to_latex(), tmp_path)
    for field in ("real", "complex"):
        member = decide_membership("2,2,1", "x^3", target="x^3 - x*y^2", field=field)
        compile_fragment(member.to_latex(), tmp_path)


@pytest.mark.latex
@pytest.mark.macaulay2
def test_landscapes_compile(cubic_landscape, linear_landscape, tmp_path):
    """A filling cubic network (least squares, the unattained infimum, training runs) and a linear one
    (Eckart-Young critical points with their weights, generic counts)."""
    compile_fragment(cubic_landscape.to_latex(), tmp_path)
    compile_fragment(linear_landscape.to_latex(), tmp_path)


@pytest.mark.latex
@pytest.mark.macaulay2
def test_filling_result_compiles(tmp_path):
    from neurom2.batch.filling import minimal_filling

    result = minimal_filling(input=2, output=1, depth=3, activation="x^3", db=str(tmp_path / "ranks.sqlite"), workers=1)
    compile_fragment(result.to_latex(), tmp_path)


@pytest.mark.latex
@pytest.mark.macaulay2
def test_a_stored_implicit_row_compiles(tmp_path):
    """A results-store row of an implicit job (its equations as sympy text) on a page."""
    variety = implicitize(Architecture.create("2,3,1", "x^8"))
    row = ResultRow(key="0" * 64, task="implicit", description={"widths": [2, 3, 1], "activation": "x^8", "bias": False},
                    status="done", result=variety.to_json(), error=None, seconds=1.0, neurom2_version="test",
                    m2_version=variety.m2_version, started=None, finished=None, host="host", runs=1)
    fragment = row.to_latex()
    assert len(formulas(fragment)) == len(variety.equations)
    compile_fragment(fragment, tmp_path)


@pytest.mark.latex
@pytest.mark.macaulay2
def test_a_store_as_one_table_fits_the_page(tmp_path):
    """Every column a store can have (an implicit, a dim and a member job with all result fields), many rows."""
    from neurom2.batch.results import RESULT_FIELDS
    from neurom2.present.stored import ResultTable

    variety = implicitize(Architecture.create("3,2,2,1", "x^2"))
    result = {**variety.to_json(), "member": False}
    assert all(result.get(name) is not None for name in RESULT_FIELDS)
    row = ResultRow(key="0" * 64, task="implicit", description={"widths": [3, 2, 2, 1], "activation": "x^2", "bias": True},
                    status="done", result=result, error=None, seconds=1.0, neurom2_version="test",
                    m2_version=variety.m2_version, started=None, finished=None, host="host", runs=1)
    table = ResultTable((row,) * 40)
    assert table.header()[5:] == list(RESULT_FIELDS)
    compile_fragment(table.to_latex(), tmp_path)


@pytest.mark.latex
def test_unicode_text_becomes_latex_that_compiles(tmp_path):
    """Every character neurom2 maps, Greek letters, super- and subscripts, accents and an unknown symbol,
    as text: ASCII that pdflatex sets."""
    greek = [chr(c) for c in range(0x391, 0x3CA) if unicodedata.name(chr(c), "").startswith("GREEK")]
    scripts = "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻₀₁₂₃ᵀⁿ"
    sample = " ".join([*MATH_SYMBOLS, *TEXT_SYMBOLS, *greek, *scripts, *("e" + accent for accent in ACCENTS),
                       "Möbius Hochster–Eagon ☃ over QQ {x_1^2} & 50% #"])
    typeset = text(sample)
    assert "\\mathbb{Q}" in typeset and "[U+2603]" in typeset and "[U+" not in text(sample.replace("☃", ""))
    assert all(text(ch) == f"\\ensuremath{{{latex}}}" for ch, latex in MATH_SYMBOLS.items())  # e.g. ≠ is \neq, not = and a slash
    assert text("Möbius x̄ θ") == r'M\"{o}bius \={x} \ensuremath{\theta}'
    compile_fragment(typeset, tmp_path)


def test_lines_keep_every_piece_and_break_only_between_terms():
    """The lines of a long formula concatenate back to it, each starts at a term (+/-) and no line but a
    single term is over the width."""
    formula = " + ".join(f"\\frac{{{k}}}{{{k + 1}}} c_{{1,({k},{9 - k})}} x_1^{{{k}}}" for k in range(40)) + " = 0"
    broken = lines(formula)
    assert len(broken) > 3
    assert " ".join(broken).replace("  ", " ") == formula
    assert all(line.startswith(("+ ", "- ")) for line in broken[1:])
    assert all(width(line) <= 290 or len(pieces(line)) == 1 for line in broken)


if __name__ == "__main__":  # regenerate the stored ideals of STORED (runs Macaulay2)
    for (widths, activation), path in STORED.items():
        path.write_text(json.dumps(implicitize(Architecture.create(widths, activation)).to_json(), indent=1) + "\n")
        print(f"wrote {path}", file=sys.stderr)
