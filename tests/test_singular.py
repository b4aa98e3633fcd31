"""Singular loci and their subnetworks (``neurom2.properties.singular``, ``.subnetworks``), against theory.

Every expected ideal is built here independently (sympy minors of the matrix, symmetric matrix or Hankel
matrix that classical theory names) and compared with the computed one by ideal equality in Macaulay2; the
components are also checked at random points with numpy/fractions.
"""

from __future__ import annotations

import random
from fractions import Fraction
from itertools import combinations
from math import comb

import numpy as np
import pytest
import sympy

from neurom2.exact.terms import terms_from_polynomial
from neurom2.m2 import package
from neurom2.model.architecture import Architecture
from neurom2.model.parametrization import Parametrization, forward
from neurom2.model.space import AmbientSpace
from neurom2.properties.singular import singular_locus
from neurom2.properties.subnetworks import candidates
from neurom2.variety.implicitization import coordinate_symbols


def _minors(matrix: sympy.Matrix, size: int, symbols) -> list:
    rows, cols = matrix.shape
    found = []
    for r in combinations(range(rows), size):
        for c in combinations(range(cols), size):
            value = sympy.expand(matrix.extract(list(r), list(c)).det())
            if value != 0:
                found.append(terms_from_polynomial(sympy.Poly(value, *symbols, domain=sympy.QQ)))
    return found


def _coordinate(space: AmbientSpace, output: int, exponents: tuple[int, ...]) -> sympy.Symbol:
    symbols = coordinate_symbols(space)
    return next(s for s, c in zip(symbols, space.coordinates) if c.output == output and c.exponents == exponents)


def _hankel(space: AmbientSpace, degree: int, rows: int) -> sympy.Matrix:
    """The rows × (degree + 2 − rows) Hankel (catalecticant) matrix of a binary form Σ C(d,i) a_i x^(d−i) y^i."""
    a = [_coordinate(space, 1, (degree - i, i)) / comb(degree, i) for i in range(degree + 1)]
    return sympy.Matrix(rows, degree + 2 - rows, lambda i, j: a[i + j])


def _single(locus):
    assert len(locus.components) == 1
    return locus.components[0]


def test_candidates_embed_into_the_parent():
    """Narrower networks and sparsity patterns compute, through their embedding, the same function as the parent."""
    arch = Architecture.create("3,2,2", "x^2+x", bias=True)
    found = candidates(arch)
    assert [s.label for s in found][:1] == ["(3,1,2)"]
    rng = random.Random(3)
    inputs = [Fraction(rng.randint(-5, 5), rng.randint(1, 4)) for _ in range(3)]
    for sub in found:
        theta = [Fraction(rng.randint(-5, 5), rng.randint(1, 5)) for _ in range(sub.architecture.n_params)]
        for k in sub.zeros:
            theta[k] = Fraction(0)
        assert forward(arch, sub.embed(theta), inputs) == forward(sub.architecture, theta, inputs)
        assert len(sub.switched_off) == arch.n_params - sub.architecture.n_params + len(sub.zeros)
    # one zero per weight up to permuting hidden neurons: W1 row 1 (3), b1_1, W2 column 1 (2), b2 (2)
    assert sum(1 for s in found if s.zeros) == 3 + 1 + 2 + 2


@pytest.mark.macaulay2
def test_linear_network_singular_locus_is_the_narrower_network(session):
    """(3,2,3), σ = x: X = {rank ≤ 2}, Sing X = {rank ≤ 1} = the 2 × 2 minors = image of (3,1,3)."""
    arch = Architecture.create("3,2,3", "x")
    space = AmbientSpace.of(arch)
    locus = singular_locus(arch, session=session, sparsity=False)
    component = _single(locus)
    assert locus.kind == "singular locus" and locus.codim == 1
    assert component.subnetwork == "(3,1,3)" and component.dim == 5
    matrix = sympy.Matrix(3, 3, lambda k, j: _coordinate(space, k + 1, tuple(int(i == j) for i in range(3))))
    expected = _minors(matrix, 2, coordinate_symbols(space))
    assert package.same_ideal(session, arch, component.generators, expected)
    # the theorem against the Jacobian criterion computed in Macaulay2 on the 3 × 3 minor (X's equation)
    computed = package.singular_locus(session, [terms_from_polynomial(sympy.Poly(matrix.det(), *coordinate_symbols(space),
                                                                                 domain=sympy.QQ))], space.dim)
    assert len(computed.components) == 1 and package.same_ideal(session, arch, computed.components[0].generators, expected)
    # numpy: a random rank-1 matrix satisfies the component's equations, a random rank-2 one does not
    rng = np.random.default_rng(0)
    polys = [sympy.lambdify(coordinate_symbols(space), e) for e in component.equations]
    rank1 = np.outer(rng.normal(size=3), rng.normal(size=3))
    rank2 = rank1 + np.outer(rng.normal(size=3), rng.normal(size=3))
    assert max(abs(f(*rank1.reshape(-1))) for f in polys) < 1e-9
    assert max(abs(f(*rank2.reshape(-1))) for f in polys) > 1e-3


@pytest.mark.macaulay2
def test_quadrics_singular_locus_is_rank_one(session):
    """(3,2,1), σ = x²: X = {det S = 0}, Sing X = {rank S ≤ 1} = 2 × 2 minors of S = image of (3,1,1)."""
    arch = Architecture.create("3,2,1", "x^2")
    space = AmbientSpace.of(arch)
    locus = singular_locus(arch, session=session)
    component = _single(locus)
    assert locus.variety_dim == 5 and component.subnetwork == "(3,1,1)" and component.dim == 3

    def entry(i: int, j: int) -> sympy.Expr:
        e = tuple((k == i) + (k == j) for k in range(3))
        return _coordinate(space, 1, e) * (1 if i == j else sympy.Rational(1, 2))

    symmetric = sympy.Matrix(3, 3, entry)
    assert package.same_ideal(session, arch, component.generators, _minors(symmetric, 2, coordinate_symbols(space)))


@pytest.mark.macaulay2
def test_quartic_secant_singular_locus_is_the_rational_normal_curve(session):
    """(2,2,1), σ = x⁴: X = σ₂(rational normal quartic), Sing X = the curve = 2 × 2 minors of the 2 × 4 Hankel matrix
    = image of (2,1,1); and a random ℓ⁴ (exact) lies on it."""
    arch = Architecture.create("2,2,1", "x^4")
    space = AmbientSpace.of(arch)
    locus = singular_locus(arch, session=session, sparsity=False)
    component = _single(locus)
    assert component.subnetwork == "(2,1,1)" and component.dim == 2 and component.degree == 4 == locus.degree
    hankel = _hankel(space, 4, 2)
    assert package.same_ideal(session, arch, component.generators, _minors(hankel, 2, coordinate_symbols(space)))
    power = Parametrization(Architecture.create("2,1,1", "x^4")).coefficients_at([2, -3, Fraction(5, 7)])
    values = dict(zip(coordinate_symbols(space), power))
    assert all(sympy.sympify(e).subs(values) == 0 for e in component.equations)


@pytest.mark.macaulay2
def test_filling_cubics_critical_values_are_the_twisted_cubic(session):
    """(2,2,1), σ = x³ fills the binary cubics; its critical values are the cubes ℓ³: the 2 × 2 minors of the
    2 × 3 Hankel matrix, the image of (2,1,1)."""
    arch = Architecture.create("2,2,1", "x^3")
    space = AmbientSpace.of(arch)
    locus = singular_locus(arch, session=session, sparsity=False)
    component = _single(locus)
    assert locus.kind == "critical values" and component.subnetwork == "(2,1,1)" and component.degree == 3
    assert package.same_ideal(session, arch, component.generators, _minors(_hankel(space, 3, 2), 2, coordinate_symbols(space)))
