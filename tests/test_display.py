"""Rich display and LaTeX of results (:mod:`neurom2.present.display`), checked by computation.

The typeset equations are read back, not compared with strings: coordinate names are mapped back to
coordinates, the rest is parsed by SymPy's LaTeX parser (ANTLR), and the result must be the exact
polynomial neurom2 computed; the slides' letters are also evaluated at the coefficients of random
networks, where they must vanish.  Every row of every LaTeX summary is rendered by matplotlib's mathtext.
The HTML is parsed as XML and its cells compared with the numbers computed.  ``--format m2`` is run
by Macaulay2.
"""

from __future__ import annotations

import dataclasses
import io
import json
import math
import random
import re
import subprocess
import xml.etree.ElementTree as ET
from contextlib import redirect_stdout
from fractions import Fraction

import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st
from sympy.parsing.latex import parse_latex

from neurom2 import Architecture, decide_membership, dimension, implicitize
from neurom2.cli import main
from neurom2.errors import InvalidOption
from neurom2.model.parametrization import Parametrization, random_rational_weights
from neurom2.model.space import AmbientSpace
from neurom2.present.display import LETTERS, polynomial_latex
from neurom2.typeset import DISPLAY_EQUATIONS, Style, summary

pytestmark = pytest.mark.macaulay2

COORDINATE = re.compile(r"c_\{(\d+),\(([\d,]+)\)\}")


# --- reading LaTeX back -------------------------------------------------------------------------------------


def read_polynomial(latex: str, space: AmbientSpace, names: str = "coefficients") -> sympy.Expr:
    """The polynomial a typeset formula denotes, over the coordinate symbols ``c{k}_{e}`` of ``space``:
    coordinate names become placeholders ``v_{i}``, SymPy parses the rest, the placeholders become coordinates."""
    coordinates = [sympy.Symbol(c.name) for c in space.coordinates]
    if names == "letters":
        text = re.sub(r"\b([A-Z])\b", lambda m: f"v_{{{LETTERS.index(m[1])}}}", latex)
    else:
        index = {c.name: i for i, c in enumerate(space.coordinates)}
        text = COORDINATE.sub(lambda m: f"v_{{{index[f'c{m[1]}_' + m[2].replace(',', '_')]}}}", latex)
    parsed = parse_latex(text)
    return parsed.subs({s: coordinates[int(str(s)[3:-1])] for s in parsed.free_symbols if str(s).startswith("v_{")})


def displayed(page: str) -> list[str]:
    """The displayed formulas of a page fragment (``to_latex()``), each one string again: the rows of its
    ``align*`` blocks, continuation lines (``& \\quad ...``) joined to the formula they continue."""
    out: list[str] = []
    for block in re.findall(r"\\begin\{align\*\}\n(.*?)\n\\end\{align\*\}", page, re.DOTALL):
        for row in block.split(" \\\\\n"):
            body = row.removeprefix("& ")
            if body.startswith("\\quad "):
                out[-1] += " " + body.removeprefix("\\quad ")
            else:
                out.append(body)
    return out


def formulas(latex: str) -> list[str]:
    """The ``F = 0`` formulas of a page fragment, without ``= 0``."""
    return [f.removesuffix("= 0").strip() for f in displayed(latex) if f.endswith("= 0")]


def render_with_mathtext(latex: str) -> None:
    """Every row of an aligned block (alignment marks removed), or every formula of a page fragment (inline
    and displayed, break hints removed), through matplotlib's mathtext."""
    from matplotlib.mathtext import MathTextParser

    parser = MathTextParser("path")
    if latex.startswith("%"):  # a page fragment
        for formula in re.findall(r"(?<!\\)\$(.*?)(?<!\\)\$", latex) + displayed(latex):
            parser.parse("$" + formula.replace("\\allowbreak ", "") + "$")
        return
    body = latex.removeprefix("\\begin{aligned}\n").removesuffix("\n\\end{aligned}")
    assert "\\begin" not in body and "\\end" not in body
    for row in body.split(" \\\\\n"):
        parser.parse("$" + re.sub(r"(?<!\\)&", " ", row) + "$")


def html_rows(markup: str) -> tuple[str, dict[str, ET.Element]]:
    """The caption's text and the cells by row label, from HTML that must be well-formed XML."""
    table = ET.fromstring(markup)
    assert table.tag == "table"
    caption = "".join(table.find("caption").itertext())
    return caption, {"".join(tr.find("th").itertext()): tr.find("td") for tr in table.iter("tr")}


# --- neurovarieties ----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def quartics():
    """σ = x⁴ on (2,2,1): binary quartics, a hypersurface (the catalecticant cubic)."""
    return implicitize(Architecture.create("2,2,1", "x^4"))


@pytest.fixture(scope="module")
def rank_one():
    """Linear (3,1,3): 3×3 matrices of rank ≤ 1, nine 2×2 minors."""
    return implicitize(Architecture.create("3,1,3", "x"))


@pytest.mark.parametrize("widths, activation", [("2,2,1", "x^4"), ("3,2,1", "x^2"), ("3,2,3", "x"), ("3,1,3", "x")])
def test_typeset_equations_read_back_to_the_computed_polynomials(widths, activation):
    variety = implicitize(Architecture.create(widths, activation))
    latex = variety.to_latex()
    typeset = formulas(latex)
    assert len(typeset) == len(variety.equations) > 0
    for text, eq in zip(typeset, variety.equations):
        assert sympy.expand(read_polynomial(text, variety.space) - eq.as_expr()) == 0
    render_with_mathtext(latex)


def test_the_slides_letters_give_an_equation_that_vanishes_on_random_networks(quartics):
    """A, B, C, D, E for x⁴, x³y, ..., y⁴: the typeset equation, read back, vanishes at c(θ) exactly."""
    latex = quartics.to_latex(names="letters")
    assert "f = A x^{4} + B x^{3} y + C x^{2} y^{2} + D x y^{3} + E y^{4}" in latex
    (text,) = formulas(latex)
    equation = read_polynomial(text, quartics.space, names="letters")
    assert sympy.expand(equation - quartics.equations[0].as_expr()) == 0
    parametrization, rng = Parametrization(quartics.architecture), random.Random(3)
    symbols = [sympy.Symbol(c.name) for c in quartics.space.coordinates]
    for _ in range(3):
        point = parametrization.coefficients_at(random_rational_weights(quartics.architecture, rng))
        assert equation.subs(dict(zip(symbols, point))) == 0
    render_with_mathtext(latex)


def test_large_ideals_are_truncated_and_what_is_shown_is_part_of_the_ideal(rank_one):
    assert len(rank_one.equations) == 9
    latex = rank_one.to_latex(max_equations=4, max_terms=1)
    assert "the first 4 shown, 5 more in .equations" in latex
    shown = formulas(latex)
    assert len(shown) == 4
    for text, eq in zip(shown, rank_one.equations):
        head, _, rest = text.partition("+ \\cdots")
        assert "(1 more terms)" in rest
        term = sympy.Poly(read_polynomial(head, rank_one.space), *eq.gens)
        assert len(term.terms()) == 1 and term.terms()[0] in eq.terms()
    assert len(formulas(rank_one.to_latex())) == 9  # to_latex() truncates nothing unless asked


def test_html_is_well_formed_and_shows_the_numbers_computed(rank_one, quartics):
    for variety in (rank_one, quartics):
        caption, cells = html_rows(variety._repr_html_())
        assert caption.startswith("Neuromanifold of widths (" + ",".join(map(str, variety.architecture.widths)))
        assert "".join(cells["parameters"].itertext()) == str(variety.architecture.n_params)
        dim_text = "".join(cells["dimension"].itertext())
        assert dim_text.startswith(f"{variety.dim}  (expected {variety.expected_dim}, defect {variety.defect})")
        assert "".join(cells["degree"].itertext()).startswith(str(variety.degree))
        shown = [div.text for div in cells["equations"].iter("div")]
        assert len(shown) == min(len(variety.equations), DISPLAY_EQUATIONS)
        for text, eq in zip(shown, variety.equations):
            assert text.startswith("\\[") and text.endswith("= 0\\]")
            assert sympy.expand(read_polynomial(text[2:-2].removesuffix("= 0"), variety.space) - eq.as_expr()) == 0
        assert "$$" + variety.typeset().latex() + "$$" == variety._repr_latex_()  # the display's limits


def test_a_filling_neuromanifold_says_its_ideal_is_zero():
    variety = implicitize(Architecture.create("2,2,1", "x^2"))
    _, cells = html_rows(variety._repr_html_())
    assert "".join(cells["fills V over C"].itertext()).startswith("yes")
    assert "".join(cells["equations"].itertext()) == "none: the ideal is zero"
    render_with_mathtext(variety.to_latex(names="letters"))


# --- dimensions, memberships -------------------------------------------------------------------------------


def test_dimension_display_states_the_proof_or_the_error_bound():
    result = dimension(Architecture.create("3,2,2,1", "x^2"))
    _, cells = html_rows(result._repr_html_())
    assert "".join(cells["dimension"].itertext()).startswith(f"{result.dim}  (expected {result.expected_dim}")
    assert "".join(cells["what is proved"].itertext()).startswith("proved" if result.proved else "the exact rank")
    assert "".join(cells["upper bound"].itertext()).startswith(str(result.bound.value))
    render_with_mathtext(result.to_latex())
    unproved = dataclasses.replace(result, proved=False, error_bound=5.6e-10)
    latex = unproved.to_latex()
    mantissa, exponent = re.search(r"probability \\textless\{\} \$([\d.]+) \\cdot 10\^\{(-?\d+)\}", latex).groups()
    assert float(mantissa) * 10 ** int(exponent) == pytest.approx(5.6e-10)
    render_with_mathtext(latex)


@pytest.mark.parametrize("field", ["real", "complex"])
def test_membership_display_typesets_the_target_and_the_answer(field):
    result = decide_membership("2,2,1", "x^3", target="x^3 - x*y^2", field=field)
    latex = result.to_latex()
    target = re.search(r"\$t = (.*?)\$", latex)[1]
    x1, x2 = sympy.symbols("x_{1} x_{2}")
    assert sympy.expand(parse_latex(target) - (x1**3 - x1 * x2**2)) == 0
    expected = "\\in" if result.member else "\\notin"
    assert f"t {expected} \\mathcal{{M}}" in latex
    _, cells = html_rows(result._repr_html_())
    assert "".join(cells["answer"].itertext()).endswith(f"({result.answer})")
    if result.weights is not None:  # the typeset weights are the network's weights
        assert "W_{1}" in "".join(cells["weights"].itertext())
    render_with_mathtext(latex)


def test_filling_display_lists_the_minimal_architectures_which_fill_numerically(tmp_path):
    """The typeset minimal architectures fill (float Jacobian rank = dim V), their narrower neighbours do not."""
    from conftest import float_rank

    from neurom2.batch.filling import minimal_filling

    result = minimal_filling(input=2, output=1, depth=3, activation="x^3", db=str(tmp_path / "ranks.sqlite"), workers=1)
    table = ET.fromstring(result._repr_html_())
    shown = [re.search(r"\\\((\([\d,]+\))\\\)", "".join(tr.find("td").itertext()))[1]
             for tr in table.iter("tr") if tr.find("th").text == "minimal"]
    assert shown == ["(" + ",".join(map(str, m.widths)) + ")" for m in result.minimal] and shown
    for m in result.minimal:
        arch = Architecture.create(m.widths, "x^3")
        assert float_rank(arch) == AmbientSpace.of(arch).dim == result.ambient
        for j in range(1, len(m.widths) - 1):
            narrower = list(m.widths)
            narrower[j] -= 1
            assert float_rank(Architecture.create(narrower, "x^3")) < result.ambient
    cells = dict(html_rows(result._repr_html_())[1])
    assert "".join(cells["complete"].itertext()).startswith("yes, proved" if result.complete else "no")
    render_with_mathtext(result.to_latex())


# --- the polynomial printer on its own ---------------------------------------------------------------------

SPACE = AmbientSpace(3, (0, 1, 2), 2)
SYMBOLS = [sympy.Symbol(c.name) for c in SPACE.coordinates]


@settings(max_examples=15, deadline=None)
@given(st.dictionaries(st.tuples(*[st.integers(0, 2)] * 4), st.fractions(max_denominator=12).filter(bool),
                       min_size=1, max_size=6),
       st.lists(st.sampled_from(range(len(SYMBOLS))), min_size=4, max_size=4, unique=True))
def test_any_rational_polynomial_reads_back_exactly(terms, chosen):
    gens = [SYMBOLS[i] for i in chosen]
    expr = sum(sympy.Rational(c.numerator, c.denominator) * sympy.prod(g**e for g, e in zip(gens, m))
               for m, c in terms.items())
    poly = sympy.Poly(expr, *gens)
    assert sympy.expand(read_polynomial(polynomial_latex(poly, SPACE), SPACE) - expr) == 0


def test_bad_styles_are_refused_with_the_reason(rank_one):
    with pytest.raises(InvalidOption, match="unknown names"):
        Style(names="greek")
    with pytest.raises(InvalidOption, match="max_terms must be a positive integer"):
        Style(max_terms=0)
    with pytest.raises(InvalidOption, match="one output"):
        rank_one.to_latex(names="letters")
    with pytest.raises(TypeError, match="cannot typeset"):
        summary(Fraction(1, 2))


# --- the command line: implicit --format -------------------------------------------------------------------


def run(*args: str) -> str:
    out = io.StringIO()
    with redirect_stdout(out):
        assert main(list(args)) == 0
    return out.getvalue()


def test_implicit_format_latex_and_m2_agree_with_the_json(tmp_path):
    arch = ["--widths", "3,2,1", "--activation", "x^2"]
    data = json.loads(run("implicit", *arch, "--format", "json"))
    assert data == {**json.loads(run("implicit", *arch, "--json")), "seconds": data["seconds"], "timings": data["timings"]}
    space = AmbientSpace.of(Architecture.create("3,2,1", "x^2"))
    latex = run("implicit", *arch, "--format", "latex")
    assert latex.startswith("% typeset by neurom2") and "\\begin{align*}" in latex
    (text,) = formulas(latex)
    assert sympy.expand(read_polynomial(text, space) - sympy.sympify(data["equations"][0])) == 0

    script = tmp_path / "ideal.m2"
    script.write_text(run("implicit", *arch, "--format", "m2"))
    from neurom2.m2.session import find_m2

    answer = subprocess.run([find_m2(), "--script", str(script)], capture_output=True, text=True, timeout=120)
    assert answer.returncode == 0, answer.stderr
    assert answer.stdout.split() == ["dim", str(data["dim"]), "degree", str(data["degree"])]


def test_json_and_format_together_are_a_usage_error(capsys):
    assert main(["implicit", "--json", "--format", "latex"]) == 2
    assert capsys.readouterr().err.startswith("neurom2: error: argument --format: not allowed with argument --json")


def test_dim_and_member_format_latex_state_the_computed_answers():
    dim = json.loads(run("dim", "--widths", "3,3,3,1", "--json"))
    latex = run("dim", "--widths", "3,3,3,1", "--format", "latex")
    assert f"\\item[{{dimension:}}] {dim['dim']}  (expected {dim['expected_dim']}, defect {dim['defect']})" in latex
    member = json.loads(run("member", "--widths", "2,2,1", "--activation", "x^3", "--target", "x^3 - x*y^2", "--json"))
    latex = run("member", "--widths", "2,2,1", "--activation", "x^3", "--target", "x^3 - x*y^2", "--format", "latex")
    assert member["member"] is False and "t \\notin \\mathcal{M}(\\mathbb{R})" in latex
    render_with_mathtext(latex)


def test_job_files_have_no_output_format():
    from neurom2.batch import JobFileError, parse_jobs

    with pytest.raises(JobFileError, match="format"):
        parse_jobs('[[job]]\ntask = "implicit"\nwidths = [2, 2, 1]\nformat = "latex"\n')


# --- the loss landscape (fixtures cubic_landscape, linear_landscape: conftest.py) ---------------------------


def text_of(cell: ET.Element) -> str:
    return "".join(cell.itertext())


def read_point(formulas_shown: list[str], space: AmbientSpace) -> list[float]:
    """The coordinates (V's order) of a point typeset as ``\\[f = ...\\]`` or ``\\[f_{k} \\approx ...\\]`` per output."""
    variables = sympy.symbols(" ".join(f"x_{{{i}}}" for i in range(1, space.n_inputs + 1)), seq=True)
    values = []
    for text in formulas_shown:
        body = re.split(r" (?:=|\\approx) ", text.removeprefix("\\[").removesuffix("\\]"), maxsplit=1)[1]
        poly = sympy.Poly(parse_latex(body), *variables)
        values += [float(poly.coeff_monomial(tuple(e))) for e in space.monomials]
    return values


def shown_loss(text: str) -> tuple[float, float]:
    """The loss a cell states, as an interval: ``L \\in [lo, hi]``, ``L = p/q`` or ``L \\approx v`` (12 digits)."""
    interval = re.search(r"\\in \[([^,\]]+), ([^\]]+)\]", text)
    if interval:
        return tuple(float(parse_latex(side)) for side in interval.groups())  # type: ignore[return-value]
    exact = re.search(r"L = (.+?)\\\)", text)
    if exact:
        value = float(parse_latex(exact[1]))
        return value, value
    value = float(parse_latex(re.search(r"\\approx (.+?)\\\)", text)[1]))
    return value * (1 - 1e-11), value * (1 + 1e-11)


def monomial_matrix(inputs, space: AmbientSpace):
    import numpy as np

    return np.array([[np.prod([x**e for x, e in zip(point, exponents)]) for exponents in space.monomials] for point in inputs])


def network_loss(architecture: Architecture, weights, inputs, outputs) -> float:
    """Σ_j ‖f_θ(a_j) − b_j‖² by a forward pass in numpy (θ: W_1, b_1, W_2, ... row by row)."""
    import numpy as np

    theta, position, h = [float(sympy.sympify(w)) for w in weights], 0, inputs.T
    for layer, (rows, cols) in enumerate(architecture.weight_shapes):
        h = np.array(theta[position:position + rows * cols]).reshape(rows, cols) @ h
        position += rows * cols
        if architecture.bias:
            h = h + np.array(theta[position:position + rows])[:, None]
            position += rows
        if layer < len(architecture.weight_shapes) - 1:
            h = sum(float(c) * h**k for k, c in enumerate(architecture.activation.coefficients))
    return float(np.sum((h.T - outputs) ** 2))


def test_landscape_display_of_a_filling_network_shows_least_squares_and_the_unattained_infimum(cubic_landscape):
    """Checked against numpy: the critical point shown is the least-squares cubic with its loss; the infimum
    shown lies above it and below the loss of every shown approach network (their weights run in numpy),
    and no training run ends below it."""
    import numpy as np

    result, space = cubic_landscape, cubic_landscape.space
    caption, cells = html_rows(result._repr_html_())
    assert caption.startswith("Loss landscape of widths (2,2,1)")
    assert text_of(cells["learning degree"]) == f"{result.learning_degree} (proved)" == "1 (proved)"
    assert text_of(cells["neuromanifold"]).endswith("fills V") and result.fills

    inputs, outputs = result.dataset.as_float()
    a = monomial_matrix(inputs, space)
    u, residual, rank, _ = np.linalg.lstsq(a, outputs[:, 0], rcond=None)
    assert rank == space.dim and text_of(cells["data"]).endswith(f"of rank {rank} of {space.dim} (positive definite)")
    points = [label for label in cells if label.startswith("critical point ")]
    assert len(points) == len(result.critical_points) == result.counts.real == 1
    shown = [div.text for div in cells["critical point 1"].iter("div")]
    assert read_point(shown, space) == pytest.approx(list(u), rel=1e-5)
    lo, hi = shown_loss(text_of(cells["critical point 1"]))
    assert lo <= float(residual[0]) * (1 + 1e-9) and float(residual[0]) * (1 - 1e-9) <= hi
    assert "not reached by real weights" in text_of(cells["critical point 1"])

    infimum = text_of(cells["infimum over M(R)"])
    assert result.infimum.attained is False and infimum.endswith("NOT attained: only approached, as the weights go to infinity")
    low, high = shown_loss(infimum)
    assert low > float(residual[0])  # u is not reached, so the infimum is above the minimum over V
    approach = [s for s in result.infimum.approach if s.get("reached")]
    assert approach and text_of(cells["approached"]).count("‖θ‖ = ") == len(approach)
    for step in approach:  # each shown approach network, run in numpy, has the loss shown, above the infimum
        loss = network_loss(result.architecture, step["weights"], inputs, outputs)
        assert f"L = {step['loss']:.12g}" in text_of(cells["approached"]) and loss == pytest.approx(step["loss"], rel=1e-9)
        assert loss >= low
    argmin = read_point([div.text for div in cells["argmin"].iter("div")], space)
    assert argmin == pytest.approx(list(result.infimum.argmin), rel=1e-5)
    assert float(np.sum((a @ np.array(argmin) - outputs[:, 0]) ** 2)) == pytest.approx((low + high) / 2, rel=1e-5)
    assert text_of(cells["proved (infimum)"]) == result.infimum.proved and "granting" in result.infimum.proved

    outcomes = [c.outcome for c in result.runs]
    assert text_of(cells["training"]).startswith(f"{len(outcomes)} runs: {outcomes.count('infimum')} reached the infimum, "
                                                 f"{outcomes.count('spurious')} stopped at a spurious point, "
                                                 f"{outcomes.count('diverging')} diverging")
    assert min(c.run.final_loss for c in result.runs) >= low * (1 - 1e-9)  # no network does better than the infimum
    assert "$$" + result.typeset().latex() + "$$" == result._repr_latex_()  # the display's limits
    render_with_mathtext(result.to_latex())
    render_with_mathtext(result.typeset(names="letters").latex())


def test_landscape_display_of_a_linear_network_shows_the_eckart_young_points(linear_landscape):
    """(2,1,2): whitened by Q = AᵀA = RᵀR, the critical points of rank one are R⁻¹·σ_i u_i v_iᵀ for the SVD of
    R·U (U the least-squares matrix, by numpy), with loss const + σ_j² (j ≠ i); the display shows exactly these."""
    import numpy as np

    result, space = linear_landscape, linear_landscape.space
    _, cells = html_rows(result._repr_html_())
    assert text_of(cells["learning degree"]) == f"{result.learning_degree} (proved)" == "2 (proved)"
    assert text_of(cells["neuromanifold"]).startswith(f"\\(\\dim \\mathcal{{M}} = {result.dim}\\) in dim V = 4; ideal: 1")

    inputs, outputs = result.dataset.as_float()
    least, residual, _, _ = np.linalg.lstsq(inputs, outputs, rcond=None)  # U, of shape (d0, dL): f(x) = Uᵀx
    r = np.linalg.cholesky(inputs.T @ inputs).T
    left, sigma, right = np.linalg.svd(r @ least)
    constant = float(np.sum(residual))
    expected = [(np.linalg.solve(r, sigma[i] * np.outer(left[:, i], right[i])).T.reshape(-1), constant + sigma[1 - i] ** 2)
                for i in range(2)]
    rows = [label for label in cells if label.startswith("critical point ")]
    assert len(rows) == result.counts.real == len(expected)
    shown = []
    for label in rows:
        point = read_point([div.text for div in cells[label].iter("div")], space)
        lo, hi = shown_loss(text_of(cells[label]))
        shown.append((point, lo, hi))
    for point, loss in expected:
        (match,) = [s for s in shown if s[0] == pytest.approx(list(point), rel=1e-5, abs=1e-9)]
        assert match[1] * (1 - 1e-9) <= loss <= match[2] * (1 + 1e-9)
    kinds = [text_of(cells[label]).split(",")[0] for label in sorted(rows, key=lambda label: shown[rows.index(label)][1])]
    assert kinds == ["minimum", "saddle (index 1)"]  # Eckart–Young: the best rank-one approximation is the minimum
    low, _ = shown_loss(text_of(cells["infimum over M(R)"]))
    assert low == pytest.approx(min(loss for _, loss in expected), rel=1e-9)
    assert text_of(cells["infimum over M(R)"]).endswith(", attained")
    assert text_of(cells["generic learning degree"]) == str(math.comb(2, 1))  # C(min(d0, dL), r), r = 1
    assert text_of(cells["Eckart–Young"]).endswith(f"= {math.comb(2, 1)}\\)")
    render_with_mathtext(result.to_latex())


def test_landscape_display_of_a_pseudometric_shows_the_affine_space_of_minimizers():
    """Two data points for cubics (dim V = 4): G has the rank of A (numpy), the minimizers u + ker G have
    dimension dim V − rank, and the infimum shown is numpy's least-squares residual."""
    import numpy as np

    from neurom2.training.landscape import landscape

    result = landscape(Architecture.create("2,2,1", "x^3"), random_data=2, seed=0)
    _, cells = html_rows(result._repr_html_())
    inputs, outputs = result.dataset.as_float()
    a = monomial_matrix(inputs, result.space)
    rank = int(np.linalg.matrix_rank(a))
    assert text_of(cells["data"]).endswith(f"of rank {rank} of 4 (singular: a pseudometric)")
    assert text_of(cells["learning degree"]) == "not finite"
    assert f"an affine space of dimension {4 - rank}" in text_of(cells["minimizers"])
    assert "critical point 1" not in cells
    _, residual, _, _ = np.linalg.lstsq(a, outputs[:, 0], rcond=None)
    low, high = shown_loss(text_of(cells["infimum over M(R)"]))
    assert low - 1e-9 <= float(np.sum(residual)) <= high + 1e-9
    render_with_mathtext(result.to_latex())
