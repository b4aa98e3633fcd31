"""Certified real solutions (interval Newton, Krawczyk's test): boxes proved to hold exactly one real root, checked
against roots known in closed form (mpmath), and refusals where there is no real root or more than one; the fiber
tower (training/tower.py) proving that no real point lies over a point, on fibers known in closed form."""

from __future__ import annotations

import random
from fractions import Fraction

import flint
import mpmath
import numpy as np

from neurom2.exact.roots import arb_fraction, precision
from neurom2.training.certify import BITS, Polynomials, Square, certify, krawczyk_test, real_roots, same_point


def ball(value) -> flint.arb:
    with precision(BITS):
        return flint.arb(flint.fmpq(Fraction(value).numerator, Fraction(value).denominator))


def contains(box: flint.arb, value: mpmath.mpf) -> bool:
    with precision(BITS):
        return box.contains(flint.arb(mpmath.nstr(value, 70)))


def test_a_real_root_is_certified_in_a_box_holding_the_closed_form_root():
    # x² − 2 = 0, x·y − 3 = 0 in three weights (the third free): the solved weights hold ±√2 and 3/±√2
    equations = Polynomials(({(2, 0, 0): Fraction(1)}, {(1, 1, 0): Fraction(1), (0, 0, 1): Fraction(1)}),
                            (ball(2), ball(3)), 3)
    candidate = next(real_roots(equations, random.Random(0)), None)
    assert candidate is not None
    found = certify(equations, candidate)
    assert found is not None and len(found.rows) == len(found.solved) == 2
    x, y, z = found.weights
    with mpmath.workdps(80):
        root = mpmath.sqrt(2) if x.mid() > 0 else -mpmath.sqrt(2)
        assert contains(x, root) and float(x.rad()) < 1e-40
        if 1 in found.solved:  # z fixed to a rational (its ball at BITS bits), y solved: y = (3 − z)/x
            assert contains(y, (3 - exact(z)) / root)
        else:  # y fixed, z solved: z = 3 − x y
            assert contains(z, 3 - root * exact(y))


def exact(value: flint.arb) -> mpmath.mpf:
    """A ball's midpoint as an mpmath number (exactly)."""
    q = arb_fraction(value.mid())
    return mpmath.mpf(q.numerator) / q.denominator


def test_no_real_root_no_certificate_and_two_roots_in_a_box_fail_the_test():
    equations = Polynomials(({(2,): Fraction(1)},), (ball(-1),), 1)  # x² + 1 = 0: no real root
    assert list(real_roots(equations, random.Random(0))) == []
    two = Polynomials(({(2,): Fraction(1)},), (ball(1),), 1)  # x² − 1 = 0
    square = Square(two, (0,), (0,), (ball(0),))
    with precision(BITS):
        assert krawczyk_test(square, [flint.arb(0)], 2.0) is None  # [−2, 2] holds both ±1
        assert krawczyk_test(square, [flint.arb(3)], 0.5) is None  # [2.5, 3.5] holds none
        one = krawczyk_test(square, [flint.arb("1.01")], 0.1)
    assert one is not None and one[0].contains(1)


def test_same_point_tells_the_points_of_a_variety_sharing_the_known_coordinates_apart():
    parabola = [{(1, 0): Fraction(-1), (0, 2): Fraction(1)}]  # y² = x: over x = 1 the points (1, 1) and (1, −1)
    with precision(BITS):
        target = [ball(1), ball(1)]
        close = [ball(1), flint.arb(1, 1e-30)]
        assert same_point(parabola, target, close, known=[0])
        assert not same_point(parabola, target, [ball(1), ball(-1)], known=[0])


def test_the_fiber_tower_proves_no_real_point_only_when_every_branch_is_complex():
    from neurom2.training.tower import real_fiber_possible

    square = [{(2, 0): Fraction(1), (0, 1): Fraction(-1)}]  # θ² − c: over c = 4 the real ±2, over c = −4 only ±2i
    assert real_fiber_possible(square, 1, [ball(4)]) is True
    assert real_fiber_possible(square, 1, [ball(-4)]) is False
    # c·θ − 1 over c = 0: the leading coefficient vanishes, the rule does not apply (no verdict, not "no point")
    assert real_fiber_possible([{(1, 1): Fraction(1), (0, 0): Fraction(-1)}], 1, [ball(0)]) is None
    # an element in c alone that is nonzero at the point: the point is outside the chart's image
    assert real_fiber_possible([{(0, 1): Fraction(1), (0, 0): Fraction(-1)}, *square], 1, [ball(4)]) is False
    # two levels: θ1² − θ2, θ2² − c (lex θ1 > θ2 > c): over c = 4, θ2 = ±2 and θ1 = ±√2 real for θ2 = 2
    tower = [{(2, 0, 0): Fraction(1), (0, 1, 0): Fraction(-1)}, {(0, 2, 0): Fraction(1), (0, 0, 1): Fraction(-1)}]
    assert real_fiber_possible(tower, 2, [ball(4)]) is True
    assert real_fiber_possible(tower, 2, [ball(-4)]) is False


def test_the_float_values_and_jacobian_match_exact_rational_arithmetic_also_at_zero_coordinates():
    # random polynomials (exponents up to 3) at a rational point with a zero coordinate: values and ∂E_k/∂x_j in
    # float64 against exact Fractions from the terms (the derivative by its definition on exponent tuples)
    rng = random.Random(7)
    n = 4
    terms = tuple({tuple(rng.randint(0, 3) for _ in range(n)): Fraction(rng.randint(-9, 9), rng.randint(1, 4))
                   for _ in range(6)} for _ in range(3))
    equations = Polynomials(terms, (ball(1), ball(-2), ball(0)), n)
    point = [Fraction(3, 2), Fraction(0), Fraction(-2, 3), Fraction(5, 4)]

    def at(poly, x):
        total = Fraction(0)
        for e, c in poly.items():
            term = c
            for v, k in zip(x, e):
                term *= v**k
            total += term
        return total

    def partial(poly, j):
        return {e[:j] + (e[j] - 1,) + e[j + 1:]: c * e[j] for e, c in poly.items() if e[j]}

    x = np.array([float(v) for v in point])
    exact_values = [at(t, point) - c for t, c in zip(terms, (1, -2, 0))]
    assert np.allclose(equations.float_values(x), [float(v) for v in exact_values], rtol=1e-12, atol=1e-12)
    exact_jacobian = [[float(at(partial(t, j), point)) for j in range(n)] for t in terms]
    assert np.allclose(equations.float_jacobian(x), exact_jacobian, rtol=1e-12, atol=1e-12)
