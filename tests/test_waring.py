"""The Waring count of the learning degree (neurom2.training.waring) against the Lagrange count."""

from __future__ import annotations

import pytest

from neurom2 import Architecture, implicitize
from neurom2.exact.terms import terms_from_polynomial
from neurom2.model.space import AmbientSpace
from neurom2.training import waring
from neurom2.training.critical import PRIMES, Metric, modular_counts
from neurom2.training.dataset import Dataset


def test_waring_count_applies_to_sums_of_two_powers_only():
    assert waring.applies(Architecture.create("3,2,1", "x^5"))
    assert waring.applies(Architecture.create("2,2,1", "x^3"))
    assert not waring.applies(Architecture.create("3,2,1", "x^2"))  # rank-2 quadrics: positive-dimensional fibers
    assert not waring.applies(Architecture.create("3,3,1", "x^3"))
    assert not waring.applies(Architecture.create("3,2,2", "x^3"))
    assert not waring.applies(Architecture.create("3,2,1", "x^3+x"))


def test_waring_count_replaces_only_large_lagrange_systems():
    # (3,2,1) x^5: dim V = 21, dim X = 6: 36 Lagrange variables; (3,2,1) x^3: 10 + 4 = 14
    assert waring.preferred(Architecture.create("3,2,1", "x^5"), 6)
    assert not waring.preferred(Architecture.create("3,2,1", "x^3"), 6)


@pytest.mark.macaulay2
@pytest.mark.parametrize("widths, activation", [("2,2,1", "x^4"), ("2,2,1", "x^5")])
def test_waring_count_equals_lagrange_count(session, widths, activation):
    arch = Architecture.create(widths, activation)
    space = AmbientSpace.of(arch)
    dataset = Dataset.random(arch, 2 * len(space.monomials) + 2, seed=0)
    metric = Metric.of(space, dataset)
    variety = implicitize(arch, session=session)
    generators = [terms_from_polynomial(e) for e in variety.equations]
    lagrange = {m.degree for m in modular_counts(session, generators, metric.gram, metric.center, PRIMES) if m.dim == 0}
    counts = waring.waring_counts(session, arch, metric.gram, metric.center, PRIMES)
    assert all(c.dim == 0 for c in counts)
    assert len(lagrange) == 1
    assert {c.count for c in counts} == lagrange
