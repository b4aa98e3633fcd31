"""Identifiability: orbit counts in generic fibers, by Gröbner bases modulo primes and by monodromy."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest

from neurom2.errors import InvalidOption, Macaulay2Timeout
from neurom2.m2 import package
from neurom2.model.architecture import Architecture
from neurom2.properties.fibers import fibers, slice_chart
from neurom2.tasks import task


def forward(arch: Architecture, theta: np.ndarray, x: np.ndarray) -> np.ndarray:
    """A one-hidden-layer network without biases, evaluated independently of neurom2."""
    (d1, d0), _ = arch.weight_shapes
    W, v = theta[:d1 * d0].reshape(d1, d0), theta[d1 * d0:]
    r = arch.activation.degree
    return v @ (W @ x.T) ** r


@pytest.mark.macaulay2
@pytest.mark.parametrize("hidden", [2, 3, 4])
def test_sylvester_binary_forms_of_odd_degree_have_one_decomposition(session, hidden):
    """x^(2k-1) on (2, k, 1): Sylvester's theorem says one Waring decomposition, so the chart holds exactly the
    k! reorderings of the network's neurons; they are checked here to be k! distinct points of the fiber."""
    arch = Architecture.create(f"2,{hidden},1", f"x^{2 * hidden - 1}")
    result = fibers(arch, session=session)
    assert result.unexplained_dim == 0 and result.dimension.proved
    assert result.solutions == result.residual_order == len(list(itertools.permutations(range(hidden))))
    assert result.orbits == 1 and result.identifiable is True
    assert all(c["distinct"] == c["degree"] == result.solutions for c in result.counts)
    rng = np.random.default_rng(0)
    theta = rng.normal(size=arch.n_params)
    theta[0:2 * hidden:2] = 1  # the chart w_(1,i,1) = 1
    x = rng.normal(size=(10, 2))
    points = set()
    for order in itertools.permutations(range(hidden)):
        moved = np.concatenate([theta[:2 * hidden].reshape(hidden, 2)[list(order)].ravel(), theta[2 * hidden:][list(order)]])
        assert np.allclose(forward(arch, moved, x), forward(arch, theta, x))
        points.add(tuple(np.round(moved, 9)))
    assert len(points) == result.solutions


@pytest.mark.macaulay2
@pytest.mark.parametrize("widths,activation,count", [("2,3,1", "x^5", 6), ("2,2,1", "x^3 + x", 8)])
def test_groebner_and_monodromy_counts_agree(session, widths, activation, count):
    arch = Architecture.create(widths, activation)
    chart = slice_chart(arch)
    exact = fibers(arch, session=session, seed=3)
    numeric = package.fiber_count_monodromy(session, arch, chart, 5, seed=3)
    assert exact.solutions == numeric.fiber == numeric.generic == count
    assert exact.method.startswith("Groebner")
    classes = package.fiber_count_monodromy(session, arch, chart, 5, seed=3, modulo_first_layer=True)
    assert classes.fiber * math.factorial(arch.hidden_widths[0]) == count


@pytest.mark.macaulay2
def test_fibers_count_by_monodromy_modulo_permutations_when_groebner_bases_are_slow(session, monkeypatch):
    """A Gröbner basis past its time (injected) hands over to monodromy on classes modulo the 3! permutations."""
    def slow(*args, **options):
        raise Macaulay2Timeout(30.0, "injected: the Groebner basis took too long")

    monkeypatch.setattr(package, "fiber_count_modular", slow)
    result = fibers(Architecture.create("2,3,1", "x^5"), session=session, seed=1)
    assert result.method.startswith("monodromy") and result.counts[-1]["fiber"] == 1
    assert result.solutions == 6 and result.orbits == 1 and result.identifiable is True


@pytest.mark.parametrize("only", ["fiber", "symmetries,,fibers", "", "singular_locus"])
def test_geometry_rejects_unknown_parts(only):
    geometry = task("geometry")
    with pytest.raises(InvalidOption, match="only: unknown part"):
        geometry.resolve(Architecture.create("2,2,1", "x^2"), {"only": only})


def test_geometry_parts_are_put_in_canonical_order():
    values = task("geometry").resolve(Architecture.create("2,2,1", "x^2"), {"only": "fibers, symmetries"})
    assert values["only"] == "symmetries,fibers"
