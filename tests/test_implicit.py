"""Implicit equations of neuromanifolds through the real Macaulay2, each fact checked independently.

Every result is also verified by neurom2 itself (equations vanish at random networks modulo a prime of its
own, and exactly at a rational one).  The tests add more views: float Jacobian ranks, equations evaluated at
float network outputs, and classical descriptions (determinants, catalecticants, Gram matrices, the ideals
of secant and subspace varieties) built here from the coordinates and compared in Macaulay2.
"""

import itertools
from math import comb, factorial, prod

import sympy
from conftest import assert_vanish_numerically, float_points_on_manifold, float_rank, proportional

from neurom2 import Architecture, implicitize
from neurom2.exact.terms import terms_from_polynomial
from neurom2.m2 import package
from neurom2.variety.implicitization import coordinate_symbols


def compute(widths: str, activation: str, bias: bool = False):
    arch = Architecture.create(widths, activation, bias)
    variety = implicitize(arch, timeout=120)
    assert variety.verification is not None and variety.verification.samples == (3 if variety.equations else 0)
    assert variety.dim == float_rank(arch)
    assert_vanish_numerically(variety.equations, float_points_on_manifold(arch, 3))
    return variety


def symbols_by_coordinate(variety) -> dict:
    return {(c.output, c.exponents): s for c, s in zip(variety.space.coordinates, coordinate_symbols(variety.space))}


def test_x_squared_on_2_2_1_fills_the_binary_quadrics():
    variety = compute("2,2,1", "x^2")
    assert variety.space.describe() == "R[x1,x2]_2"
    assert variety.fills and variety.equations == () and variety.degree is None
    assert (variety.dim, variety.space.dim) == (3, 3)


def test_x_cubed_on_2_2_1_has_zero_ideal_and_dimension_4():
    variety = compute("2,2,1", "x^3")
    assert variety.equations == () and variety.dim == 4 and variety.fills


def test_linear_2_1_2_is_the_2x2_determinant():
    variety = compute("2,1,2", "x")
    c = symbols_by_coordinate(variety)
    det = sympy.Matrix(2, 2, lambda k, i: c[(k + 1, (1, 0) if i == 0 else (0, 1))]).det()
    assert len(variety.equations) == 1 and proportional(variety.equations[0], det)
    assert (variety.dim, variety.degree) == (3, 2)


def test_linear_3_2_3_is_the_3x3_determinant():
    variety = compute("3,2,3", "x")
    c = symbols_by_coordinate(variety)
    unit = [(1, 0, 0), (0, 1, 0), (0, 0, 1)]
    det = sympy.Matrix(3, 3, lambda k, i: c[(k + 1, unit[i])]).det()
    assert len(variety.equations) == 1 and proportional(variety.equations[0], det)
    assert (variety.dim, variety.degree, variety.expected_dim, variety.defect) == (8, 3, 8, 0)


def test_x_squared_on_3_2_1_is_the_cubic_of_ternary_quadrics_of_rank_at_most_2():
    variety = compute("3,2,1", "x^2")
    c = symbols_by_coordinate(variety)

    def gram(i, j):  # the symmetric matrix of the quadratic form: off-diagonal entries are halved
        e = [0, 0, 0]
        e[i] += 1
        e[j] += 1
        return c[(1, tuple(e))] * (1 if i == j else sympy.Rational(1, 2))

    assert len(variety.equations) == 1 and proportional(variety.equations[0], sympy.Matrix(3, 3, gram).det())
    assert (variety.dim, variety.degree, variety.defect) == (5, 3, 1)


def test_x_fourth_on_2_2_1_is_the_catalecticant_cubic():
    variety = compute("2,2,1", "x^4")
    c = symbols_by_coordinate(variety)
    a = [c[(1, (4 - i, i))] / comb(4, i) for i in range(5)]  # f = sum binom(4,i) a_i x^(4-i) y^i
    catalecticant = sympy.Matrix(3, 3, lambda i, j: a[i + j]).det()
    assert len(variety.equations) == 1 and proportional(variety.equations[0], catalecticant)
    assert (variety.dim, variety.degree) == (4, 3)


def test_biases_x_squared_on_2_1_1_has_a_rank_one_quadratic_part():
    variety = compute("2,1,1", "x^2", bias=True)
    assert variety.space.describe() == "R[x1,x2]_{<=2}" and variety.space.dim == 6
    assert variety.dim == 4 and variety.expected_dim == 4
    c = symbols_by_coordinate(variety)
    discriminant = c[(1, (1, 1))] ** 2 - 4 * c[(1, (2, 0))] * c[(1, (0, 2))]
    basis = sympy.groebner([eq.as_expr() for eq in variety.equations], *coordinate_symbols(variety.space),
                           order="grevlex", domain="QQ")
    assert basis.reduce(discriminant)[1] == 0          # v (w.x + b)^2 + b2: the quadratic part has rank 1
    assert basis.reduce(c[(1, (0, 0))])[1] != 0        # the constant term is free


def test_biases_x_squared_on_2_2_1_fills_quadrics_of_degree_at_most_2():
    variety = compute("2,2,1", "x^2", bias=True)
    assert variety.fills and variety.space.dim == 6


def test_non_monomial_activation_x_squared_plus_x_fills_degrees_1_and_2():
    variety = compute("2,2,1", "x^2 + x")
    assert variety.space.degrees == (1, 2) and variety.fills and variety.dim == 5


def test_non_monomial_activation_with_biases_has_equations():
    variety = compute("2,1,1", "x^3 + x", bias=True)
    assert variety.space.dim == 10 and variety.dim == 5 and variety.degree == 6
    assert set(variety.equation_degrees) == {2}


def test_two_outputs_x_squared_on_3_2_2():
    variety = compute("3,2,2", "x^2")
    assert variety.space.describe() == "(R[x1,x2,x3]_2)^2"
    assert (variety.dim, variety.degree, len(variety.equations)) == (8, 15, 20)
    assert set(variety.equation_degrees) == {3}


def test_depth_three_x_squared_on_2_1_1_1_is_the_rational_normal_quartic_cone():
    variety = compute("2,1,1,1", "x^2")
    c = symbols_by_coordinate(variety)
    a = [c[(1, (4 - i, i))] / comb(4, i) for i in range(5)]
    minors = sympy.Matrix(2, 4, lambda i, j: a[i + j])
    expected = [minors.extract([0, 1], [i, j]).det() for i in range(4) for j in range(i + 1, 4)]
    gens = coordinate_symbols(variety.space)
    ours = sympy.groebner([eq.as_expr() for eq in variety.equations], *gens, order="grevlex", domain="QQ")
    theirs = sympy.groebner(expected, *gens, order="grevlex", domain="QQ")
    assert all(ours.reduce(f)[1] == 0 for f in expected)                         # same ideal:
    assert all(theirs.reduce(eq.as_expr())[1] == 0 for eq in variety.equations)  # both inclusions
    assert (variety.dim, variety.degree) == (2, 4)


def test_depth_three_x_squared_on_2_2_1_1_has_a_defect():
    variety = compute("2,2,1,1", "x^2")
    assert (variety.dim, variety.expected_dim, variety.defect) == (3, 4, 1)
    assert set(variety.equation_degrees) == {3}


def same_ideal_in_macaulay2(session, variety, generators) -> bool:
    return package.same_ideal(session, variety.architecture, [terms_from_polynomial(eq) for eq in variety.equations],
                              [terms_from_polynomial(sympy.Poly(g, *coordinate_symbols(variety.space))) for g in generators])


def test_x_eighth_on_2_3_1_is_the_third_secant_of_the_rational_normal_octic(session):
    # binary octics that are sums of 3 eighth powers: the 4x4 minors of the 4x6 Hankel matrix of
    # f = sum binom(8,i) a_i x^(8-i) y^i, a variety of degree binom(6,3) = 20 (Eagon-Northcott)
    variety = compute("2,3,1", "x^8")
    assert variety.complete and variety.strategy == "interpolate" and "linear section certificate" in variety.proof
    c = symbols_by_coordinate(variety)
    a = [c[(1, (8 - i, i))] / comb(8, i) for i in range(9)]
    hankel = sympy.Matrix(4, 6, lambda i, j: a[i + j])
    minors = [hankel.extract(list(range(4)), list(cols)).det() for cols in itertools.combinations(range(6), 4)]
    assert same_ideal_in_macaulay2(session, variety, minors)
    assert (variety.dim, variety.degree, set(variety.equation_degrees)) == (6, comb(6, 3), {4})


def test_x_fourth_on_3_2_1_is_the_secant_of_the_quartic_veronese_surface(session):
    # ternary quartics l1^4 + l2^4: sigma_2 of the quartic Veronese surface, whose ideal is generated by the 3x3
    # minors of the 6x6 middle catalecticant of f = sum multinomial(4; g) a_g x^g (Kanev), of degree
    # (d^4 - 10d^2 + 15d - 6)/2 = 75 at d = 4; the regression of issue 17 took more than 15 minutes here
    variety = compute("3,2,1", "x^4")
    assert variety.complete and "linear section certificate" in variety.proof
    c = symbols_by_coordinate(variety)
    a = {e: s / multinomial(e) for (_, e), s in c.items()}
    quadrics = [e for e in itertools.product(range(3), repeat=3) if sum(e) == 2]
    catalecticant = sympy.Matrix(6, 6, lambda i, j: a[tuple(u + v for u, v in zip(quadrics[i], quadrics[j]))])
    minors = [catalecticant.extract(list(rows), list(cols)).det()
              for rows in itertools.combinations(range(6), 3) for cols in itertools.combinations(range(6), 3)]
    assert same_ideal_in_macaulay2(session, variety, minors)
    assert (variety.dim, variety.degree, set(variety.equation_degrees)) == (6, 75, {3})


def multinomial(exponents: tuple[int, ...]) -> int:
    return factorial(sum(exponents)) // prod(factorial(k) for k in exponents)


def test_x_squared_on_3_2_2_1_is_the_subspace_variety_of_ternary_quartics(session):
    # quartics in 3 variables that depend on 2 linear forms: the 3x3 minors of the 3x10 matrix of the
    # coefficients of the first partial derivatives (the first catalecticant)
    variety = compute("3,2,2,1", "x^2")
    assert variety.complete and "linear section certificate" in variety.proof
    x = sympy.symbols("x1:4")
    c = symbols_by_coordinate(variety)
    f = sum(s * sympy.prod(v ** k for v, k in zip(x, e)) for (_, e), s in c.items())
    cubics = [sympy.Poly(sympy.diff(f, v), *x) for v in x]
    monomials = sorted({m for q in cubics for m in q.monoms()})
    flattening = sympy.Matrix(3, len(monomials), lambda i, j: cubics[i].coeff_monomial(monomials[j]))
    minors = [flattening.extract([0, 1, 2], list(cols)).det()
              for cols in itertools.combinations(range(len(monomials)), 3)]
    assert same_ideal_in_macaulay2(session, variety, [m for m in minors if m != 0])
    assert (variety.dim, len(variety.equations), set(variety.equation_degrees)) == (7, 120, {3})
    assert variety.degree == 45
