"""Membership of targets in neuromanifolds, over R and over C, against the real Macaulay2.

Every "yes" is re-checked here by running the network on the returned weights through
``neurom2.model.parametrization.forward`` on sympy inputs (exact rationals, or 30-digit floats), a path that
shares nothing with the fiber computation.  Every "no" is checked against classical mathematics computed
here with sympy: Sylvester's apolarity for sums of two cubes (the kernel of the 2×3 catalecticant), the
number of real roots of the binary form, ranks and minors of matrices.
"""

from __future__ import annotations

import json
import random
import subprocess
import sys
from fractions import Fraction

import pytest
import sympy
from conftest import float_rank

from neurom2 import Architecture
from neurom2.cli import main
from neurom2.errors import TooExpensive
from neurom2.model.parametrization import Parametrization, forward
from neurom2.model.space import AmbientSpace
from neurom2.model.target import InvalidTarget, Target
from neurom2.real.membership import FiberSearch, covering_chart_count, covering_charts, decide_membership

X, Y = sympy.symbols("x y")
CUBIC = Architecture.create("2,2,1", "x^3")
QUADRATIC = Architecture.create("2,2,1", "x^2")


def member(arch: Architecture, target: str, field: str = "real", **options):
    return decide_membership(arch, target=target, field=field, timeout=60, **options)


def network_polynomials(arch: Architecture, weights) -> tuple[list[sympy.Expr], tuple[sympy.Symbol, ...]]:
    """The network's outputs on symbolic inputs, for weights given as neurom2 prints them (sympy syntax)."""
    values = [sympy.sympify(w, rational=False) if "." in w else sympy.Rational(w) for w in weights]
    inputs = sympy.symbols(f"x1:{arch.input_dim + 1}")
    return [sympy.expand(output) for output in forward(arch, values, list(inputs))], inputs


def assert_network_computes(arch: Architecture, weights, target: str, tolerance: float = 1e-15) -> None:
    """forward(θ) equals the target: exactly for rational weights, else coefficientwise within ``tolerance``."""
    outputs, inputs = network_polynomials(arch, weights)
    aliases = dict(zip(("x", "y", "z"), inputs)) if arch.input_dim <= 3 else {}
    wanted = [sympy.expand(sympy.sympify(part.replace("^", "**"), locals={**aliases, **{str(s): s for s in inputs}}))
              for part in target.split(";")]
    assert len(outputs) == len(wanted)
    for got, expected in zip(outputs, wanted):
        difference = sympy.Poly(got - expected, *inputs)
        if all("." not in w for w in weights):
            assert difference.is_zero, f"network computes {got}, not {expected}"
        else:
            assert max((abs(complex(c)) for c in difference.coeffs()), default=0.0) < tolerance, (got, expected)


def apolar_quadrics(cubic: sympy.Expr) -> list[sympy.Expr]:
    """Sylvester: f = Σ binom(3,i) a_i x^(3-i) y^i is a sum of two cubes of linear forms l_k = (x + b_k y) (up
    to scale) iff the kernel of the catalecticant [[a0,a1,a2],[a1,a2,a3]] contains a quadric c0 + c1 s + c2 s^2
    with the distinct roots b_k (since a_i = Σ λ_k b_k^i).  Returns a basis of that kernel, as quadrics in x."""
    poly = sympy.Poly(cubic, X, Y)
    a = [poly.coeff_monomial(X ** (3 - i) * Y ** i) / sympy.binomial(3, i) for i in range(4)]
    kernel = sympy.Matrix([[a[0], a[1], a[2]], [a[1], a[2], a[3]]]).nullspace()
    return [sum(v[i] * X ** i for i in range(3)) for v in kernel]


# --- the slides: sigma = x^3, widths (2,2,1) -------------------------------------------------------------------


def test_cubic_network_misses_x3_minus_xy2_over_the_reals():
    result = member(CUBIC, "x^3 - x*y^2")
    assert result.member is False and result.weights is None and result.field == "real"
    # the certificate: every chart is empty over C, or finite with no real point by two counts
    for chart in result.certificate["charts"]:
        if chart["dim"] < 0:
            assert chart["nullstellensatz"]["verified"]
        else:
            assert chart["dim"] == 0 and chart["real_points"] == chart["real_points_trace_form"] == 0
            eliminant = sympy.Poly(sympy.sympify(chart["eliminant"]))
            assert eliminant.count_roots() == 0 and eliminant.degree() == chart["points_over_C"]
    # independently: x^3 - x y^2 = x (x - y) (x + y) has three real roots, so its real Waring rank is 3 > 2 ...
    f = X ** 3 - X * Y ** 2
    assert sympy.discriminant(f.subs(Y, 1), X) > 0 and sympy.Poly(f.subs(Y, 1), X).count_roots() == 3
    # ... and by apolarity its only decomposition into two cubes needs the roots of x^2 + 3, not real
    (quadric,) = apolar_quadrics(f)
    assert sympy.Poly(quadric, X).count_roots() == 0 and sympy.discriminant(quadric, X) < 0


def test_cubic_network_reaches_x3_minus_xy2_over_the_complex_numbers():
    result = member(CUBIC, "x^3 - x*y^2", "complex")
    assert result.member is True and result.exact and result.max_error < 1e-12
    assert any("*I" in w for w in result.weights)  # the weights are not real
    assert_network_computes(CUBIC, result.weights, "x^3 - x*y^2")
    # Sylvester: the roots of the apolar quadric x^2 + 3 give the linear forms x + b y with b = ±i/sqrt(3)
    outputs, _ = network_polynomials(CUBIC, result.weights)
    b = [sympy.sympify(result.weights[1]), sympy.sympify(result.weights[3])]
    (quadric,) = apolar_quadrics(X ** 3 - X * Y ** 2)
    assert all(abs(complex(quadric.subs(X, value))) < 1e-15 for value in b)


def test_x2y_is_in_the_zariski_closure_but_not_reached_even_over_the_complex_numbers():
    assert float_rank(CUBIC) == AmbientSpace.of(CUBIC).dim == 4  # the closure is all of V
    for field in ("complex", "real"):
        result = member(CUBIC, "x^2*y", field)
        assert result.member is False
        assert all(chart["dim"] == -1 and chart["nullstellensatz"]["verified"] for chart in result.certificate["charts"])
    # apolarity: the only apolar quadric of x^2 y is s^2, with a double root: no two distinct linear forms
    (quadric,) = apolar_quadrics(X ** 2 * Y)
    assert sympy.degree(quadric, X) == 2 and sympy.discriminant(quadric, X) == 0


def test_sums_of_two_real_cubes_are_reached_with_exact_weights():
    rng = random.Random(7)
    for _ in range(3):
        a, b, c, d = (sympy.Rational(rng.randint(-5, 5) or 1, rng.randint(1, 4)) for _ in range(4))
        e, f = (sympy.Rational(rng.choice([-3, -1, 2, 5]), rng.randint(1, 3)) for _ in range(2))
        target = str(sympy.expand(e * (a * X + b * Y) ** 3 + f * (c * X + d * Y) ** 3)).replace("**", "^")
        result = member(CUBIC, target)
        assert result.member is True and result.exact
        assert_network_computes(CUBIC, result.weights, target)
    result = member(CUBIC, "x^3 + y^3")
    assert result.member and result.max_error is None  # rational weights, checked exactly
    weights = [Fraction(w) for w in result.weights]
    assert Parametrization(CUBIC).coefficients_at(weights) == Target.parse("x^3 + y^3", AmbientSpace.of(CUBIC)).coefficients


def test_real_cubic_with_irrational_weights_comes_with_minimal_polynomials_and_intervals():
    target = "x^3 + x*y^2 - 2*y^3"
    result = member(CUBIC, target)
    assert result.member is True and result.exact and result.max_error < 1e-15
    assert_network_computes(CUBIC, result.weights, target, tolerance=1e-15)
    t = sympy.Symbol("t")
    irrational = [(w, a) for w, a in zip(result.weights, result.algebraic_weights) if a is not None]
    assert irrational
    for weight, algebraic in irrational:
        value = sympy.Float(weight, 30)
        minimal = sympy.Poly(sympy.sympify(algebraic["minimal_polynomial"]), t)
        low, high = (sympy.Rational(v) for v in algebraic["interval"])
        assert minimal.is_irreducible and minimal.degree() >= 2
        assert low <= value <= high and minimal.count_roots(low, high) == 1
        assert abs(minimal.eval(value)) < 1e-15 * max(abs(c) for c in minimal.coeffs())
    # independently: three distinct real roots would need three cubes; this cubic has one real root
    assert sympy.Poly((X ** 3 + X * Y ** 2 - 2 * Y ** 3).subs(Y, 1), X).count_roots() == 1


# --- sigma = x^2: every real binary quadric -------------------------------------------------------------------


@pytest.mark.parametrize("target", ["x^2 - y^2", "-x^2 - y^2", "x*y", "x^2 + y^2", "0", "-3*x^2 + 5*x*y - 1/2*y^2"])
def test_quadratic_network_reaches_every_real_binary_quadric(target):
    result = member(QUADRATIC, target)
    assert result.member is True and result.exact
    assert_network_computes(QUADRATIC, result.weights, target)


def test_random_real_quadrics_are_all_reached():
    rng = random.Random(3)
    for _ in range(4):
        a, b, c = (Fraction(rng.randint(-9, 9), rng.randint(1, 5)) for _ in range(3))
        target = f"{a}*x^2 + {b}*x*y + {c}*y^2"
        result = member(QUADRATIC, target)
        assert result.member is True
        assert_network_computes(QUADRATIC, result.weights, target)


def test_ternary_quadric_of_rank_3_is_not_reached_by_two_neurons_even_over_the_complex_numbers():
    arch = Architecture.create("3,2,1", "x^2")
    result = member(arch, "x^2 + y^2 + z^2", "complex")
    assert result.member is False
    gram = sympy.eye(3)  # the Gram matrix of x^2 + y^2 + z^2: rank 3 > 2 = number of squares
    assert gram.rank() == 3
    assert sympy.Matrix([[1, 0, 1], [0, -2, 0], [1, 0, 0]]).rank() == 3  # x^2 - 2y^2 + 2xz: rank 3 as well
    assert member(arch, "x^2 - 2*y^2 + 2*x*z").member is False
    assert sympy.Matrix([[1, 0, 1], [0, 0, 0], [1, 0, -2]]).rank() == 2  # x^2 + 2xz - 2z^2: rank 2
    reached = member(arch, "x^2 + 2*x*z - 2*z^2")
    assert reached.member is True
    assert_network_computes(arch, reached.weights, "x^2 + 2*x*z - 2*z^2", tolerance=1e-14)


# --- positive-dimensional fibers: slices and critical points ---------------------------------------------------


def test_quartic_with_four_real_roots_is_missed_by_three_real_neurons_but_reached_over_c():
    arch = Architecture.create("2,3,1", "x^4")
    target = "x^4 - 5*x^2*y^2 + 4*y^4"  # (x - y)(x + y)(x - 2y)(x + 2y)
    real = member(arch, target)
    assert real.member is False
    critical = [c for c in real.certificate["charts"] if "critical_points" in c]
    assert critical and all(comp["real_points"] == 0 for c in critical for comp in c["critical_points"]["components"])
    # a binary form of degree d with d distinct real roots has real rank d (Blekherman); here d = 4 > 3
    assert sympy.Poly(X ** 4 - 5 * X ** 2 + 4, X).count_roots() == 4
    complex_ = member(arch, target, "complex")
    assert complex_.member is True
    assert_network_computes(arch, complex_.weights, target, tolerance=1e-14)


def skip_slices(monkeypatch):
    monkeypatch.setattr(FiberSearch, "quick_point", lambda self, charts: None)
    monkeypatch.setattr(FiberSearch, "slices", lambda self, result: iter(()))


def test_critical_points_find_real_weights_when_slices_are_skipped(monkeypatch):
    skip_slices(monkeypatch)
    result = member(QUADRATIC, "x*y")
    assert result.member is True
    assert any(chart.get("status") == "real point found among critical points" for chart in result.certificate["charts"])
    assert_network_computes(QUADRATIC, result.weights, "x*y", tolerance=1e-15)


def test_undecided_charts_give_no_answer_rather_than_a_guess(monkeypatch):
    def give_up(self, result):
        result.real = None
        return None

    skip_slices(monkeypatch)
    monkeypatch.setattr(FiberSearch, "critical", give_up)
    result = member(QUADRATIC, "x*y")  # reached (see above), but only through the positive-dimensional chart
    assert result.member is None and result.weights is None and "undecided" in result.reason
    assert result.to_json()["member"] is None


# --- biases, other activations, linear networks ----------------------------------------------------------------


def test_biased_quadratic_network_fills_v_yet_misses_x2_plus_x_plus_y():
    arch = Architecture.create("2,2,1", "x^2", bias=True)
    assert float_rank(arch) == AmbientSpace.of(arch).dim == 6
    result = member(arch, "x^2 + x + y + 1", "complex")
    assert result.member is False
    # why: f = Σ e_i (w_i.x + c_i)^2 + d has linear part Σ 2 e_i c_i w_i in the span of the w_i, which is the
    # range of the quadratic part Q = Σ e_i w_i w_i^T whenever Q has rank 2 or Q != 0 with w_i dependent.
    # Sample random complex networks: the linear part always lies in the range of a nonzero Q.
    rng = random.Random(1)
    for _ in range(20):
        w = [sympy.Matrix([complex(rng.gauss(0, 1), rng.gauss(0, 1)) for _ in range(2)]) for _ in range(2)]
        e, c = [complex(rng.gauss(0, 1)) for _ in range(2)], [complex(rng.gauss(0, 1)) for _ in range(2)]
        w[1] = w[0] * 2 if rng.random() < 0.5 else w[1]  # also dependent w_i
        quadratic = sum((e[i] * w[i] * w[i].T for i in range(2)), sympy.zeros(2))
        linear = sum((2 * e[i] * c[i] * w[i] for i in range(2)), sympy.zeros(2, 1))
        assert sympy.Matrix.hstack(quadratic, linear).evalf().rank(iszerofunc=lambda v: abs(v) < 1e-9) == \
            quadratic.evalf().rank(iszerofunc=lambda v: abs(v) < 1e-9)
    # the target: Q = diag(1, 0) and linear part (1, 1), not in its range
    assert sympy.Matrix([[1, 0, 1], [0, 0, 1]]).rank() > sympy.Matrix([[1, 0], [0, 0]]).rank()
    reachable = "x^2 + 2*x*y - 3*y^2 + x + 1"
    result = member(arch, reachable)
    assert result.member is True
    assert_network_computes(arch, result.weights, reachable)


def test_non_monomial_activation_uses_one_chart_and_reaches_a_quadric():
    arch = Architecture.create("2,2,1", "x^2 + x")
    assert len(covering_charts(arch)) == 1 and all(v is None for v in covering_charts(arch)[0].values)
    result = member(arch, "x^2 + y^2 + x")
    assert result.member is True
    assert_network_computes(arch, result.weights, "x^2 + y^2 + x")


def test_linear_network_reaches_rank_2_and_misses_full_rank_3x3_matrices():
    arch = Architecture.create("3,2,3", "x")
    rows = [[1, 2, 0], [0, 1, 1], [1, 3, 1]]  # row 3 = row 1 + row 2
    target = "; ".join(" + ".join(f"{a}*x{j + 1}" for j, a in enumerate(row)) for row in rows)
    assert sympy.Matrix(rows).rank() == 2
    result = member(arch, target)
    assert result.member is True and result.method == "rank of the linear map"
    weights = [sympy.Rational(w) for w in result.weights]
    w1, w2 = sympy.Matrix(2, 3, weights[:6]), sympy.Matrix(3, 2, weights[6:])
    assert w2 * w1 == sympy.Matrix(rows)
    assert_network_computes(arch, result.weights, target)

    full = [[2, 1, 0], [0, 1, 0], [1, 0, 3]]
    result = member(arch, "; ".join(" + ".join(f"{a}*x{j + 1}" for j, a in enumerate(row)) for row in full), "complex")
    assert result.member is False and result.certificate["rank"] == sympy.Matrix(full).rank() == 3
    minor = result.certificate["minor"]
    sub = sympy.Matrix(full).extract([i - 1 for i in minor["rows"]], [j - 1 for j in minor["columns"]])
    assert sub.det() == sympy.Rational(minor["determinant"]) != 0


def test_linear_network_with_biases_fits_the_constant_exactly():
    arch = Architecture.create("2,1,2", "2*x + 1", bias=True)
    target = "x + 2*y + 3; -2*x - 4*y + 1/2"
    result = member(arch, target)
    assert result.member is True
    assert_network_computes(arch, result.weights, target)
    assert member(arch, "x + 3; y").member is False


def test_single_affine_layer_reaches_everything():
    arch = Architecture.create("2,1", "x^3", bias=True)
    result = member(arch, "3*x - y + 1/2")
    assert result.member is True and result.method == "single affine layer"
    assert_network_computes(arch, result.weights, "3*x - y + 1/2")


# --- targets: parsing and validation ---------------------------------------------------------------------------


def test_target_coefficients_follow_the_coordinates_of_v():
    space = AmbientSpace.of(CUBIC)
    target = Target.parse("x^3 - x*y^2", space)
    expected = sympy.Poly(X ** 3 - X * Y ** 2, X, Y)
    assert target.coefficients == tuple(Fraction(int(expected.coeff_monomial(X ** e[0] * Y ** e[1])))
                                        for e in space.monomials)
    assert Target.parse("x1^3 - x1*x2^2", space) == target == Target.parse(str(target), space)
    assert Target.parse("(x - y)*(x + y)*x + 0.5*y^3 - 1/2*y^3", space) == target


def test_targets_for_several_outputs_are_separated_by_semicolons():
    space = AmbientSpace.of(Architecture.create("2,2,2", "x^2"))
    target = Target.parse("x^2; x*y - y^2", space)
    assert str(target) == "x1^2; x1*x2 - x2^2"
    assert Target.parse(["x^2", "x*y - y^2"], space) == target


@pytest.mark.parametrize("text, fragment", [
    ("x^2", "monomial x1^2 of degree 2, which is not in the ambient space V = R[x1,x2]_3"),
    ("x^3 + 1", "monomial 1 of degree 0"),
    ("x^3 + w", "unknown variable 'w'"),
    ("x3^3", "unknown variable 'x3'"),
    ("z^3", "unknown variable 'z'"),
    ("tanh(x)", "not a polynomial"),
    ("x^(1/2)", "fractional exponent"),
    ("x^-1", "negative exponent"),
    ("x^3/y", "division by the non-constant 'y'"),
    ("x^3 + x1^3", "mixes the names"),
    ("x^3; y^3", "1 output"),
    ("x^3 +", "malformed target"),
    ("", "empty polynomial"),
    ("2x^3", "malformed target"),
    ("sqrt(2)*x^3", "not a polynomial"),
])
def test_bad_targets_exit_2_with_a_one_line_message(capsys, text, fragment):
    code = main(["member", "--widths", "2,2,1", "--activation", "x^3", "--target", text])
    out, err = capsys.readouterr()
    assert code == 2 and out == ""
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1 and err.startswith("neurom2: error: ")
    assert fragment in err, err
    with pytest.raises(InvalidTarget):
        Target.parse(text, AmbientSpace.of(CUBIC))


def test_bad_field_is_a_usage_error(capsys):
    assert main(["member", "--target", "x^2", "--field", "rational"]) == 2
    with pytest.raises(ValueError):
        decide_membership(QUADRATIC, target="x^2", field="rational")


# --- the command line ------------------------------------------------------------------------------------------


def test_cli_json_has_the_documented_keys_and_text_states_the_certificate(capsys):
    completed = subprocess.run(
        [sys.executable, "-m", "neurom2.cli", "member", "--widths", "2,2,1", "--activation", "x^3",
         "--target", "x^3 - x*y^2", "--json", "--seed", "5"], capture_output=True, text=True, timeout=120)
    assert completed.returncode == 0, completed.stderr
    answer = json.loads(completed.stdout)
    assert {"member", "field", "method", "certificate", "weights", "seed"} <= set(answer) and answer["seed"] == 5
    assert answer["member"] is False and answer["field"] == "real" and answer["weights"] is None
    assert answer["certificate"]["method"] and answer["target_coefficients"] == ["1", "0", "-1", "0"]

    assert main(["member", "--widths", "2,2,1", "--activation", "x^3", "--target", "x^3 - x*y^2", "--field", "complex"]) == 0
    text, _ = capsys.readouterr()
    assert "answer             yes" in text and "W1 = [[1, " in text and "*I" in text
    assert main(["member", "--widths", "2,2,1", "--activation", "x^3", "--target", "x^2*y"]) == 0
    text, _ = capsys.readouterr()
    assert "answer             no (not even over C)" in text and "empty over C" in text


# --- the pieces: charts cover all weights, real roots are counted two ways -------------------------------------


def normalize_into_a_chart(arch: Architecture, weights: list[Fraction]) -> list[Fraction]:
    """Move θ (σ = x^r, no biases, one hidden layer) into a chart by the symmetries, as the module docstring
    argues: a dead neuron becomes (1, 0, ...) with zero outgoing weights; a live one is divided by its first
    nonzero input weight λ (outgoing weights times λ^r); then the neurons are sorted by that position."""
    (hidden, inputs), (outputs, _) = arch.weight_shapes
    r = arch.monomial_degree
    rows = [weights[i * inputs:(i + 1) * inputs] for i in range(hidden)]
    out = [weights[hidden * inputs + k * hidden:hidden * inputs + (k + 1) * hidden] for k in range(outputs)]
    neurons = []
    for i, row in enumerate(rows):
        column = [out[k][i] for k in range(outputs)]
        if not any(row):
            row, column = [Fraction(1)] + [Fraction(0)] * (inputs - 1), [Fraction(0)] * outputs
        scale = next(v for v in row if v)
        neurons.append(([v / scale for v in row], [c * scale ** r for c in column]))
    neurons.sort(key=lambda neuron: next(j for j, v in enumerate(neuron[0]) if v))
    return [v for row, _ in neurons for v in row] + [neurons[i][1][k] for k in range(outputs) for i in range(hidden)]


@pytest.mark.parametrize("widths, activation", [("2,2,1", "x^3"), ("2,3,1", "x^2"), ("3,2,2", "x^4")])
def test_covering_charts_cover_every_weight_vector(widths, activation):
    arch = Architecture.create(widths, activation)
    charts = covering_charts(arch)
    param = Parametrization(arch)
    rng = random.Random(5)
    for _ in range(30):
        weights = [Fraction(rng.randint(-4, 4), rng.randint(1, 3)) if rng.random() < 0.7 else Fraction(0)
                   for _ in range(arch.n_params)]
        moved = normalize_into_a_chart(arch, weights)
        assert param.coefficients_at(moved) == param.coefficients_at(weights)
        assert any(all(v is None or v == w for v, w in zip(chart.values, moved)) for chart in charts), moved


@pytest.mark.parametrize("widths, activation, bias", [("2,2,1", "x^3", False), ("3,2,2,1", "x^2", True),
                                                      ("2,3,1", "x^2 + x", False), ("4,3,3,2", "x^4", False)])
def test_the_chart_count_of_the_size_guard_is_the_number_of_charts(widths, activation, bias):
    arch = Architecture.create(widths, activation, bias)
    assert covering_chart_count(arch) == len(covering_charts(arch))


def test_too_many_charts_are_refused_with_the_estimate_unless_forced():
    arch = Architecture.create("12,12,12,1", "x^2")
    with pytest.raises(TooExpensive, match="covering charts"):
        decide_membership(arch, target="x1^4")


def test_real_roots_are_counted_alike_by_sturm_arb_and_sympy():
    import flint

    from neurom2.exact.roots import count_real_roots, sturm_count

    rng = random.Random(2)
    t = sympy.Symbol("t")
    for degree in (3, 8, 45, 60):
        real = [sympy.Rational(rng.randint(-50, 50), rng.randint(1, 7)) for _ in range(degree // 3)]
        poly = sympy.prod([t - a for a in set(real)]) * sympy.prod(
            [(t - rng.randint(-5, 5)) ** 2 + rng.randint(1, 4) for _ in range((degree - len(real)) // 2)])
        coefficients = [sympy.Rational(c) for c in reversed(sympy.Poly(poly, t).all_coeffs())]
        as_flint = flint.fmpq_poly([flint.fmpq(int(c.p), int(c.q)) for c in coefficients])
        expected = sympy.Poly(poly, t).count_roots()
        assert count_real_roots(as_flint)[0] == expected == len(set(real))
        if degree < 50:
            assert sturm_count(as_flint) == expected
