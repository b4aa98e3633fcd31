"""The learning degree counted in a slice of weight space by monodromy (neurom2.training.slice_count), against the
modular Lagrange count and, for the slice, an independent numpy Jacobian rank."""

from __future__ import annotations

import numpy as np
import pytest

from neurom2 import Architecture, implicitize
from neurom2.exact.terms import terms_from_polynomial
from neurom2.m2 import package
from neurom2.model.space import AmbientSpace
from neurom2.training import slice_count
from neurom2.training.critical import PRIMES, Metric, modular_counts
from neurom2.training.dataset import Dataset


def test_slice_count_replaces_only_large_lagrange_systems():
    # (3,2,1) x^5: dim V = 21, dim X = 6: 36 Lagrange variables; (3,2,2,1) x^2: 15 + 8 = 23;
    # (3,2,1) x^3: 10 + 4 = 14; a network that fills V has no Lagrange system
    assert slice_count.preferred(Architecture.create("3,2,1", "x^5"), 6)
    assert slice_count.preferred(Architecture.create("3,2,2,1", "x^2"), 7)
    assert not slice_count.preferred(Architecture.create("3,2,1", "x^3"), 6)
    assert not slice_count.preferred(Architecture.create("2,2,1", "x^3"), 4)


def _slice_jacobian_rank(session, arch: Architecture, fixed: dict[int, int]) -> int:
    """The rank of the Jacobian of the parametrization in the slice's free weights at a random real point (numpy,
    from the polynomials Macaulay2 prints, differentiated here)."""
    _, polynomials = package.parametrization(session, arch)
    rng = np.random.default_rng(7)
    theta = rng.normal(size=arch.n_params)
    for i, v in fixed.items():
        theta[i] = v
    free = [i for i in range(arch.n_params) if i not in fixed]
    jacobian = np.zeros((len(polynomials), len(free)))
    for row, poly in enumerate(polynomials):
        for col, i in enumerate(free):
            for exps, coeff in poly.items():
                if exps[i]:
                    lowered = list(exps)
                    lowered[i] -= 1
                    jacobian[row, col] += float(coeff) * exps[i] * np.prod(theta ** np.array(lowered))
    return int(np.linalg.matrix_rank(jacobian))


@pytest.mark.parametrize("widths, activation", [("2,2,1", "x^4"), ("3,2,1", "x^2")])
def test_slice_count_equals_modular_lagrange_count(session, widths, activation):
    # (3,2,1) x^2: rank-2 ternary quadrics, dim X = 5; the symmetry chart leaves 6 weights, so the slice fixes
    # one more: its dominance is checked by numpy's rank, independently of Macaulay2's rank modulo 32003
    arch = Architecture.create(widths, activation)
    space = AmbientSpace.of(arch)
    metric = Metric.of(space, Dataset.random(arch, 2 * len(space.monomials) + 2, seed=0))
    variety = implicitize(arch, session=session)
    generators = [terms_from_polynomial(e) for e in variety.equations]
    lagrange = {m.degree for m in modular_counts(session, generators, metric.gram, metric.center, PRIMES) if m.dim == 0}
    counted = slice_count.slice_count(session, arch, variety.dim, metric.gram, metric.center, seed=1)
    assert len(lagrange) == 1
    assert counted.dominant and counted.complete
    assert counted.count in lagrange
    fixed = {i: int(v) for i, v in counted.raw.fixed}
    assert len(fixed) == arch.n_params - variety.dim
    assert _slice_jacobian_rank(session, arch, fixed) == variety.dim
    assert counted.fiber == counted.raw.solutions // counted.count
