"""Closedness of the neuromanifold (``neurom2.properties.closedness``), against classical theory.

σ = x³ on (2,2,1): M(C) = {cubics of Waring rank ≤ 2} misses exactly the cubics with a double but not a triple
root.  The check is Sylvester's theorem, computed here with sympy: a binary cubic with a catalecticant of rank 2
is a sum of two cubes of independent linear forms iff the quadric spanning its kernel has distinct roots.
"""

from __future__ import annotations

import random
from fractions import Fraction
from itertools import combinations

import numpy as np
import pytest
import sympy

from neurom2.exact.terms import terms_from_polynomial
from neurom2.m2 import package
from neurom2.model.architecture import Architecture
from neurom2.model.jacobian import coefficient_jacobian
from neurom2.model.space import AmbientSpace
from neurom2.model.target import Target
from neurom2.properties.closedness import closedness
from neurom2.real.membership import decide_membership
from neurom2.variety.implicitization import coordinate_symbols

x, y = sympy.symbols("x y")


def _catalecticant(form: sympy.Expr, d: int) -> sympy.Matrix:
    """The (d − 1) × 3 catalecticant of a binary form Σ C(d,i) a_i x^(d−i) y^i: entries a_(i+j)."""
    coefficients = sympy.Poly(form, x, y)
    a = [coefficients.coeff_monomial(x ** (d - i) * y ** i) / sympy.binomial(d, i) for i in range(d + 1)]
    return sympy.Matrix(d - 1, 3, lambda i, j: a[i + j])


def _waring_rank_at_most_two(form: sympy.Expr, d: int = 3) -> bool:
    """Sylvester: catalecticant of rank ≤ 1 (a power), or rank 2 with a kernel quadric of distinct roots."""
    matrix = _catalecticant(form, d)
    rank = matrix.rank()
    if rank <= 1:
        return True
    if rank == 3:
        return False
    q0, q1, q2 = matrix.nullspace()[0]
    return q1 ** 2 - 4 * q0 * q2 != 0


def _value(equation: str, space: AmbientSpace, cubic: sympy.Expr) -> sympy.Expr:
    poly = sympy.Poly(cubic, x, y)
    values = {s: poly.coeff_monomial(x ** c.exponents[0] * y ** c.exponents[1])
              for s, c in zip(coordinate_symbols(space), space.coordinates)}
    return sympy.sympify(equation, locals={str(s): s for s in values}).xreplace(values)


@pytest.mark.macaulay2
def test_cubics_with_a_double_root_are_missing(session):
    arch = Architecture.create("2,2,1", "x^3")
    space = AmbientSpace.of(arch)
    result = closedness(arch, session=session, seed=0)
    assert result.closed_over_c is False and result.closed_over_r is False and len(result.missing) == 1
    unreached = [s for s in result.strata if s.reached is False]
    assert len(unreached) == 1 and all(s.reached for s in result.strata if s is not unreached[0])
    stratum = unreached[0]
    # the stratum is the discriminant (up to a constant), the reached substratum the twisted cubic
    a = sympy.symbols("a0:4")
    t = sympy.Symbol("t")
    discriminant = sympy.discriminant(sum(a[i] * t ** (3 - i) for i in range(4)), t)
    symbols = coordinate_symbols(space)
    coordinate = dict(zip(a, symbols))
    ratio = sympy.cancel(sympy.sympify(stratum.equations[0], locals={str(s): s for s in symbols})
                         / discriminant.xreplace(coordinate))
    assert ratio.is_number and ratio != 0
    assert result.real_boundary is not None and len(result.real_boundary) == 1
    assert sympy.cancel(sympy.sympify(result.real_boundary[0], locals={str(s): s for s in symbols})
                        / discriminant.xreplace(coordinate)).is_number
    (twisted,) = [s for s in stratum.substrata if s.reached]
    hankel = sympy.Matrix(2, 3, lambda i, j: [symbols[k] / sympy.binomial(3, k) for k in range(4)][i + j])
    minors = [terms_from_polynomial(sympy.Poly(hankel.extract([0, 1], list(c)).det(), *symbols, domain=sympy.QQ))
              for c in combinations(range(3), 2)]
    found = [terms_from_polynomial(sympy.Poly(sympy.sympify(e, locals={str(s): s for s in symbols}), *symbols,
                                              domain=sympy.QQ)) for e in twisted.equations]
    assert package.same_ideal(session, arch, found, minors)

    rng = random.Random(7)
    for _ in range(5):
        alpha, beta = (Fraction(rng.randint(-9, 9), rng.randint(1, 9)) for _ in range(2))
        if alpha == beta:
            continue
        double = sympy.expand((x - alpha * y) ** 2 * (x - beta * y))
        # in the reported missing set (on the stratum, off the reached substratum) and not of Waring rank ≤ 2
        assert all(_value(e, space, double) == 0 for e in stratum.equations)
        assert any(_value(e, space, double) != 0 for e in twisted.equations)
        assert not _waring_rank_at_most_two(double)
        generic = sympy.expand(sum(rng.randint(-9, 9) * x ** (3 - i) * y ** i for i in range(4)))
        if _value(stratum.equations[0], space, generic) != 0:  # off the discriminant: reached (Sylvester)
            assert _waring_rank_at_most_two(generic)
    assert _waring_rank_at_most_two(sympy.expand((2 * x - 3 * y) ** 3))  # the twisted cubic is reached


def _slices_are_dense(arch: Architecture, slices: list[dict[str, Fraction]], dim: int) -> None:
    """Each sub-slice leaves dim X weights free and its float Jacobian (numpy, at a random point) has rank dim X."""
    rng = np.random.default_rng(1)
    names = list(arch.weight_names)
    for fixed in slices:
        theta = rng.uniform(-1, 1, arch.n_params)
        for name, value in fixed.items():
            theta[names.index(name)] = float(value)
        free = [k for k, name in enumerate(names) if name not in fixed]
        singular = np.linalg.svd(coefficient_jacobian(arch, theta, rng)[:, free], compute_uv=False)
        assert len(free) == dim and int(np.sum(singular > 1e-8 * singular[0])) == dim


def _reached_over_c(arch: Architecture, form: sympy.Expr, variables: tuple, session) -> bool:
    space = AmbientSpace.of(arch)
    poly = sympy.Poly(form, *variables)
    values = [Fraction(int(c.p), int(c.q)) for c in (poly.coeff_monomial(sympy.Mul(*(v ** e for v, e in
                                                                              zip(variables, m))))
                                                     for m in space.monomials)]
    target = Target.from_coefficients(values, space)
    return decide_membership(arch, target=target, field="complex", session=session, timeout=60).member


@pytest.mark.macaulay2
def test_sums_of_two_squares_of_ternary_forms_fill_the_rank_two_quadrics(session):
    """(3,2,1), σ = x²: the chart's fibers are circles (O(2) on the two neurons); sub-slices give M(C) = X(C),
    X the quadrics of rank ≤ 2.  Independently: random rank-2 and rank-1 quadrics are sums of two squares over C
    (exact membership), and every stratum's point is a quadric of rank ≤ 2 (sympy)."""
    arch = Architecture.create("3,2,1", "x^2")
    result = closedness(arch, session=session, seed=0)
    assert result.closed_over_c is True and result.missing == ()
    assert result.closed_over_c_proved is all(s.settled for s in result.strata)
    assert result.slices and result.to_json()["slices"]
    _slices_are_dense(arch, list(result.slices), 5)
    z = sympy.Symbol("z")
    symbols = coordinate_symbols(AmbientSpace.of(arch))
    for stratum in result.strata:
        assert stratum.reached and stratum.point is not None
        values = dict(zip(symbols, map(sympy.Rational, stratum.point)))
        form = sum(v * x ** m[0] * y ** m[1] * z ** m[2] for v, m in
                   zip(values.values(), AmbientSpace.of(arch).monomials))
        assert sympy.hessian(form, (x, y, z)).rank() <= 2
    rng = random.Random(5)
    linear = [sum(rng.randint(-5, 5) * v for v in (x, y, z)) for _ in range(3)]
    assert _reached_over_c(arch, sympy.expand(linear[0] * linear[1]), (x, y, z), session)  # rank 2
    assert _reached_over_c(arch, sympy.expand(3 * linear[2] ** 2), (x, y, z), session)  # rank 1


@pytest.mark.macaulay2
def test_binary_quadrics_are_all_sums_of_two_squares(session):
    """(2,2,1), σ = x²: every binary quadric is a sum of two squares of linear forms over C (diagonalize); the
    sub-slices' answer agrees, and exact membership reaches a random quadric, a product of two forms, a square."""
    arch = Architecture.create("2,2,1", "x^2")
    result = closedness(arch, session=session, seed=0)
    assert result.closed_over_c is True and result.missing == () and all(s.reached for s in result.strata)
    _slices_are_dense(arch, list(result.slices), 3)
    # proved: what is left of the sub-slices' candidates are lines through 0, each reached at a point p ≠ 0
    assert result.closed_over_c_proved and all(s.settled and s.dim == 1 for s in result.strata)
    symbols = coordinate_symbols(AmbientSpace.of(arch))
    for stratum in result.strata:
        point = dict(zip(symbols, map(sympy.Rational, stratum.point or ())))
        equations = [sympy.Poly(sympy.sympify(e, locals={str(v): v for v in symbols}), *symbols)
                     for e in stratum.equations]
        assert any(point.values()) and all(e.is_linear and e.is_homogeneous and e.eval(point) == 0 for e in equations)
        assert sympy.Matrix([[e.coeff_monomial(v) for v in symbols] for e in equations]).rank() == 2  # a line
    for form in (x ** 2 - 3 * x * y + 5 * y ** 2, (2 * x - y) * (x + 3 * y), (x - 4 * y) ** 2, 7 * x * y):
        assert _reached_over_c(arch, sympy.expand(form), (x, y), session)


@pytest.mark.macaulay2
def test_linear_networks_are_closed_over_both_fields(session):
    """σ = x: M = {rank ≤ 1} for (2,1,2), closed (classical); exact real membership reaches rank-one matrices."""
    arch = Architecture.create("2,1,2", "x")
    result = closedness(arch, session=session, seed=0)
    assert result.closed_over_c is True and result.closed_over_r is True and result.closed_over_c_proved
    space = AmbientSpace.of(arch)
    for u, v in (((1, -2), (3, 5)), ((0, 1), (2, 0)), ((4, 0), (0, 0))):
        matrix = [Fraction(a * b) for a in u for b in v]  # the outer product, row i = output i's coefficients
        target = Target.from_coefficients(matrix, space)
        assert decide_membership(arch, target=target, field="real", session=session, timeout=60).member


@pytest.mark.macaulay2
def test_quartics_missing_the_tangential_variety(session):
    """(2,2,1), σ = x⁴: M(C) misses ℓ³m (the tangential variety of the rational normal quartic) off the curve ℓ⁴."""
    arch = Architecture.create("2,2,1", "x^4")
    space = AmbientSpace.of(arch)
    result = closedness(arch, session=session, seed=0)
    assert result.closed_over_c is False and result.closed_over_r is False and len(result.missing) == 1
    (stratum,) = [s for s in result.strata if s.reached is False]
    assert all(s.reason and s.to_json()["status"] == "undecided" for s in result.strata if s.reached is None)
    (curve,) = [s for s in stratum.substrata if s.reached]
    rng = random.Random(3)
    for _ in range(4):
        alpha, beta = (Fraction(rng.randint(-9, 9), rng.randint(1, 9)) for _ in range(2))
        if alpha == beta:
            continue
        tangent = sympy.expand((x - alpha * y) ** 3 * (x - beta * y))
        assert all(_value(e, space, tangent) == 0 for e in stratum.equations)
        assert any(_value(e, space, tangent) != 0 for e in curve.equations)
        assert not _waring_rank_at_most_two(tangent, 4)
        power = sympy.expand((x - alpha * y) ** 4)
        assert all(_value(e, space, power) == 0 for e in curve.equations) and _waring_rank_at_most_two(power, 4)
