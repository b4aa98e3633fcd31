"""Strategies for the ideal agree with each other, and claim completeness only when it is proved."""

import pytest

from neurom2 import Architecture, InvalidOption, implicitize
from neurom2.m2 import package
from neurom2.m2.parse import terms_from_polynomial

CASES = [
    ("2,2,1", "x^4", False),
    ("3,2,1", "x^2", False),
    ("3,2,1", "x^3", False),
    ("3,2,3", "x", False),
    ("4,2,4", "x", False),
    ("2,2,2", "x^3", False),
    ("2,1,1", "x^2", True),
    ("2,1,1,1", "x^2", False),
]


def same_ideal(session, arch, first, second) -> bool:
    """Ideal equality decided by Macaulay2 (Gröbner bases), sent as exponent/coefficient data only."""
    return package.same_ideal(session, arch, [terms_from_polynomial(p) for p in first],
                              [terms_from_polynomial(p) for p in second])


@pytest.mark.parametrize("widths, activation, bias", CASES)
def test_eliminate_interpolate_truncated_and_auto_give_the_same_ideal(session, widths, activation, bias):
    arch = Architecture.create(widths, activation, bias)
    full = implicitize(arch, strategy="eliminate", timeout=120)
    assert full.complete and full.up_to_degree is None
    top = max(full.equation_degrees)
    results = [implicitize(arch, strategy="interpolate", max_degree=top), implicitize(arch, strategy="auto")]
    if arch.activation.is_monomial and not bias:
        results.append(implicitize(arch, strategy="truncated", max_degree=top))
    for other in results:
        assert same_ideal(session, arch, full.equations, other.equations), other.strategy
        assert other.complete or other.up_to_degree == top


def test_completeness_is_only_claimed_when_proved():
    arch = Architecture.create("3,2,1", "x^3")          # codimension 4: interpolation cannot prove completeness
    partial = implicitize(arch, strategy="interpolate", max_degree=3)
    assert not partial.complete and partial.up_to_degree == 3
    # without the complete ideal, the degree comes from a slice count, and agrees with the Gröbner basis
    assert "probabilistic" in partial.degree_method
    assert partial.degree == implicitize(arch, strategy="eliminate").degree == 15
    below = implicitize(arch, strategy="interpolate", max_degree=2)
    assert below.equations == () and not below.complete and below.up_to_degree == 2
    assert not implicitize(arch, strategy="truncated", max_degree=3).complete


def test_a_hypersurface_is_complete_by_interpolation_alone():
    variety = implicitize(Architecture.create("3,3,1", "x^3"), strategy="interpolate")
    assert variety.complete and "hypersurface" in variety.proof
    assert (variety.dim, variety.degree, variety.equation_degrees) == (9, 4, (4,))


def test_auto_answers_a_filling_network_from_the_rank_alone():
    variety = implicitize(Architecture.create("2,2,2,1", "x^2"))
    assert variety.fills and variety.complete and variety.strategy == "rank" and variety.equations == ()
    assert variety.dimension_proved


def test_truncated_needs_a_homogeneous_parametrization():
    with pytest.raises(InvalidOption, match="homogeneous"):
        implicitize(Architecture.create("2,1,1", "x^2", bias=True), strategy="truncated")


def test_unknown_strategy_is_rejected():
    with pytest.raises(InvalidOption, match="unknown strategy"):
        implicitize(Architecture.create("2,2,1", "x^2"), strategy="magic")
