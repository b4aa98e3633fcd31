"""The subspace count of the learning degree (neurom2.training.subspace) against the Lagrange count."""

import pytest

from neurom2 import Architecture, implicitize
from neurom2.cost import guard
from neurom2.errors import TooExpensive
from neurom2.exact.terms import terms_from_polynomial
from neurom2.m2 import package
from neurom2.model.space import AmbientSpace
from neurom2.training import subspace
from neurom2.training.critical import PRIMES, Metric, modular_counts
from neurom2.training.dataset import Dataset
from neurom2.training.landscape import critical_estimate, generic_count, generic_learning_degree


def test_subspace_count_applies_when_x_is_every_form_in_two_linear_forms():
    assert subspace.applies(Architecture.create("3,2,1", "x^3"), 6)
    assert subspace.applies(Architecture.create("3,2,2,1", "x^2"), 7)
    assert not subspace.applies(Architecture.create("3,2,1", "x^4"), 6)  # sums of two 4th powers: dim 6 < 7
    assert not subspace.applies(Architecture.create("3,2,1", "x^2"), 5)  # D = 2: spurious critical points
    assert not subspace.applies(Architecture.create("3,2,1", "x^3", bias=True), 6)
    assert not subspace.applies(Architecture.create("4,2,1", "x^3"), 8)
    assert not subspace.applies(Architecture.create("3,2,2", "x^3"), 12)
    assert generic_count(Architecture.create("3,2,2,1", "x^2"), 7) == "subspace"


def _data(arch: Architecture) -> Metric:
    space = AmbientSpace.of(arch)
    return Metric.of(space, Dataset.random(arch, 2 * len(space.monomials) + 2, seed=0))


def _lagrange(session, arch: Architecture, metric: Metric) -> set[int]:
    variety = implicitize(arch, session=session)
    generators = [terms_from_polynomial(e) for e in variety.equations]
    return {m.degree for m in modular_counts(session, generators, metric.gram, metric.center, PRIMES) if m.dim == 0}


@pytest.mark.macaulay2
def test_subspace_count_equals_lagrange_count_for_sums_of_two_cubes(session):
    arch = Architecture.create("3,2,1", "x^3")
    metric = _data(arch)
    counts = subspace.subspace_counts(session, arch, 6, metric.gram, metric.center, PRIMES)
    lagrange = _lagrange(session, arch, metric)
    assert all(c.dim == 0 for c in counts) and len(lagrange) == 1
    assert {c.count for c in counts} == lagrange


@pytest.mark.macaulay2
def test_for_quadrics_the_distance_has_spurious_critical_points(session):
    """Why D ≥ 3: for rank-2 ternary quadrics the critical points of r(v) outnumber the Lagrange count."""
    arch = Architecture.create("3,2,1", "x^2")
    metric = _data(arch)
    (prime, dim, degree), = package.parametric_counts(session, "subspaceCounts", AmbientSpace.of(arch).monomials,
                                                      metric.gram, metric.center, PRIMES[:1])
    lagrange = _lagrange(session, arch, metric)
    assert dim == 0 and len(lagrange) == 1 and degree > lagrange.pop()


def test_subspace_count_refuses_other_networks():
    with pytest.raises(ValueError, match="subspace count needs"):
        subspace.subspace_counts(None, Architecture.create("3,2,1", "x^4"), 6, [], [], PRIMES)  # type: ignore[arg-type]


@pytest.mark.macaulay2
def test_the_generic_learning_degree_is_not_refused_for_a_lagrange_ideal_it_does_not_build(session):
    """(3,2,2,1) x²: the size guard refuses its Lagrange ideal (23 variables, about 18 h), which the subspace count
    does not build; the counts for the moment metric and for a random symmetric metric agree (both generic)."""
    arch = Architecture.create("3,2,2,1", "x^2")
    variety = implicitize(arch, session=session)
    with pytest.raises(TooExpensive):
        guard(critical_estimate(variety.equation_degrees, variety.dim, AmbientSpace.of(arch).dim), False)
    counts = generic_learning_degree(arch, variety=variety, session=session, timeout=300)
    assert counts["learning_degree"] == counts["ed_degree_generic_metric"] > 1
    assert counts["moment_equals_generic"] and subspace.METHOD in counts["method"]
