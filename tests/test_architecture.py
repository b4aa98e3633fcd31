"""Architectures and ambient spaces: validation, degrees, coordinates, the Veronese embedding."""

import numpy as np
import pytest

from neurom2 import AmbientSpace, Architecture, InvalidArchitecture
from neurom2.model.space import monomials_of_degree


@pytest.mark.parametrize(
    "widths, message",
    [
        ("2", "at least two widths"),
        ((3,), "at least two widths"),
        ("2,0,1", "positive integers"),
        ("2,-1,1", "positive integers"),
        ("2,a,1", "positive integers"),
        ("2,1.5,1", "positive integers"),
        ((2, 1.0), "positive integers"),
        ((2, True), "positive integers"),
        ("", "at least two widths"),
    ],
)
def test_bad_widths_are_rejected_with_a_specific_message(widths, message):
    with pytest.raises(InvalidArchitecture, match=message):
        Architecture.create(widths, "x^2")


def test_output_degrees_follow_the_activation_support_and_biases():
    assert Architecture.create("2,2,1", "x^3").output_degrees == (3,)
    assert Architecture.create("2,2,2,1", "x^2").output_degrees == (4,)
    assert Architecture.create("2,2,1", "x^2 + x").output_degrees == (1, 2)
    assert Architecture.create("2,2,1", "x^2 + 1").output_degrees == (0, 2)
    assert Architecture.create("2,2,2,1", "x^3", bias=True).output_degrees == tuple(range(10))
    assert Architecture.create("2,1", "x^5").output_degrees == (1,)


def test_weight_names_follow_the_documented_order():
    arch = Architecture.create("2,1,1", "x^2", bias=True)
    assert arch.weight_names == ("w1_1_1", "w1_1_2", "b1_1", "w2_1_1", "b2_1")
    assert arch.n_params == 5


def test_monomial_order_is_degree_then_lex_descending_as_the_slides_veronese():
    space = AmbientSpace(2, (0, 1, 2), 1)
    assert space.monomials == ((0, 0), (1, 0), (0, 1), (2, 0), (1, 1), (0, 2))
    assert monomials_of_degree(3, 2) == ((2, 0, 0), (1, 1, 0), (1, 0, 1), (0, 2, 0), (0, 1, 1), (0, 0, 2))


def test_coordinates_are_named_by_output_and_exponents():
    space = AmbientSpace.of(Architecture.create("2,1,2", "x"))
    assert [c.name for c in space.coordinates] == ["c1_1_0", "c1_0_1", "c2_1_0", "c2_0_1"]
    assert space.coordinates[2].to_json() == {"name": "c2_1_0", "output": 2, "exponents": [1, 0]}
    assert space.describe() == "(R[x1,x2]_1)^2"


@pytest.mark.parametrize("n, degrees", [(1, (0, 1, 2, 3)), (2, (2,)), (3, (0, 1, 2)), (2, (1, 3))])
def test_dimension_of_the_ambient_space_counts_monomials(n, degrees):
    from math import comb

    space = AmbientSpace(n, degrees, 2)
    assert space.dim == 2 * sum(comb(n + k - 1, k) for k in degrees)
    assert len(set(space.coordinates)) == space.dim


def test_veronese_matrix_evaluates_the_basis_monomials():
    space = AmbientSpace(2, (0, 1, 2), 1)
    rows = space.veronese(np.array([[2.0, 3.0], [-1.0, 0.5]]))
    assert np.allclose(rows, [[1, 2, 3, 4, 6, 9], [1, -1, 0.5, 1, -0.5, 0.25]])


def test_symmetry_dimension():
    assert Architecture.create("3,2,1", "x^2").symmetry_dim == 2
    assert Architecture.create("3,2,4,1", "x").symmetry_dim == 4 + 16
    assert Architecture.create("3,2,1", "x^2 + x").symmetry_dim == 0
    # with biases, (x + 1/2)^2 - 1/4 = x^2 + x is a shifted monomial: the biases absorb the shift
    assert Architecture.create("3,2,1", "x^2 + x", bias=True).symmetry_dim == 2
    assert Architecture.create("3,2,1", "x^3 + x", bias=True).symmetry_dim == 0
    assert Architecture.create("3,2,1", "2*x + 1", bias=True).monomial_degree == 1


def test_shifted_monomial_activation_with_biases_has_the_dimension_of_the_monomial_one():
    from neurom2.variety.dimension import dimension

    shifted = Architecture.create("2,1,1", "x^2 + x", bias=True)
    assert shifted.monomial_degree == 2
    assert dimension(shifted).dim == dimension(Architecture.create("2,1,1", "x^2", bias=True)).dim == 4


@pytest.mark.parametrize(("widths", "activation"), [("3,2,1", "x^2"), ("2,2,2", "x^3"), ("4,1", "x")])
def test_the_listing_estimate_counts_the_entries_actually_listed(widths, activation):
    """8 bytes per entry: the listed exponent vectors of the coordinates, plus the degree-long choice of variables
    that builds each monomial (V homogeneous here, so that is the sum of each monomial's exponents)."""
    space = AmbientSpace.of(Architecture.create(widths, activation))
    listed = sum(len(c.exponents) for c in space.coordinates) + sum(sum(e) for e in space.monomials)
    assert space.listing_estimate().memory == 8 * listed


def test_files_are_read_only_when_regular_and_within_the_limit(tmp_path):
    from neurom2.files import Unreadable, read_bounded

    path = tmp_path / "data.csv"
    path.write_bytes(b"x" * 100)
    assert read_bounded(path, 100) == b"x" * 100
    with pytest.raises(Unreadable, match="larger than the limit of 99 B"):
        read_bounded(path, 99)
    with pytest.raises(Unreadable, match="a character device"):
        read_bounded("/dev/zero", 100)
