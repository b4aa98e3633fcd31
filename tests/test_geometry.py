"""The ``geometry`` task as a whole: its parts wired with --only, undecided parts on timeouts and size guards, the
dictionary, and the report's facts for (2,2,1) x^3 and (3,2,1) x^2 checked by independent computations (numpy
Jacobian ranks, sympy's discriminant).  The parts' own mathematics is tested in test_fibers, test_singular,
test_sparsity and test_closedness."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import numpy as np
import pytest
import sympy

from neurom2.deadline import Deadline
from neurom2.errors import TimeLimitExceeded, TooExpensive
from neurom2.model.architecture import Architecture
from neurom2.model.space import AmbientSpace
from neurom2.present.geometry import format_geometry
from neurom2.properties.geometry import DEFAULT_PARTS, PARTS, Geometry, Undecided, _attempt, geometry, parse_parts
from neurom2.typeset import summary
from neurom2.variety.implicitization import coordinate_symbols


def _numpy_rank(arch: Architecture, rng: np.random.Generator) -> int:
    """Rank of the Jacobian of θ ↦ (f_θ at 40 random inputs) for a one-hidden-layer network without biases, by
    central differences and an SVD, independent of neurom2's parametrization."""
    (hidden, inputs), _ = arch.weight_shapes
    r = arch.activation.degree
    x = rng.normal(size=(40, inputs))

    def f(theta: np.ndarray) -> np.ndarray:
        W, v = theta[:hidden * inputs].reshape(hidden, inputs), theta[hidden * inputs:]
        return v @ (W @ x.T) ** r

    theta = rng.normal(size=arch.n_params)
    h = 1e-6
    jacobian = np.array([(f(theta + h * e) - f(theta - h * e)) / (2 * h) for e in np.eye(arch.n_params)]).T
    s = np.linalg.svd(jacobian, compute_uv=False)
    return int((s > 1e-6 * s[0]).sum())


def test_default_parts_are_all_but_sparsity_in_canonical_order():
    assert parse_parts(None) == DEFAULT_PARTS == tuple(p for p in PARTS if p != "sparsity")
    assert parse_parts("dictionary, sparsity,symmetries") == ("symmetries", "sparsity", "dictionary")


@pytest.mark.parametrize("error", [TimeLimitExceeded(1.0), TooExpensive("refused: too big; use --force")])
def test_a_part_that_times_out_or_is_refused_is_undecided(error):
    def compute(deadline: Deadline) -> None:
        assert deadline.seconds is not None  # every part is capped without force
        raise error

    found = _attempt("closedness", compute, Deadline(None), uncapped=False)
    assert isinstance(found, Undecided) and found.to_json()["status"] == "undecided"
    assert ("(timeout)" in found.reason) == isinstance(error, TimeLimitExceeded)


def test_a_part_after_the_budget_is_not_started():
    spent = Deadline(1e-9)
    found = _attempt("singular", lambda d: pytest.fail("started"), spent, uncapped=True)
    assert isinstance(found, Undecided) and "not started" in found.reason


def test_symmetries_alone_need_no_macaulay2_and_leave_the_other_parts_out():
    result = geometry(Architecture.create("2,2,1", "x^3"), only="symmetries")
    data = result.to_json()
    assert data["parts"] == ["symmetries"] and data["symmetries"]["continuous_dim"] == 2
    assert all(data[p] is None for p in PARTS if p != "symmetries")
    assert str(result) == format_geometry(result) and "Fibers" not in str(result)


@pytest.mark.macaulay2
def test_cubic_221_report_identifiable_not_closed_discriminant_missing(session):
    arch = Architecture.create("2,2,1", "x^3")
    result = geometry(arch, session=session)
    assert result.parts == DEFAULT_PARTS and result.sparsity is None
    text = str(result)
    assert "identifiable: yes, up to G" in text and "1 orbit(s)" in text
    assert "M(C) = X(C): no" in text and "M(R) Euclidean-closed: no" in text
    # the missing set: the binary cubics with a double root, V(discriminant) minus the cubes (sympy, independently)
    space = AmbientSpace.of(arch)
    symbols = coordinate_symbols(space)
    coefficient = {tuple(e): s for e, s in zip(space.monomials, symbols)}
    x, y = sympy.symbols("x y")
    cubic = sum(c * x ** e[0] * y ** e[1] for e, c in coefficient.items())
    discriminant = sympy.discriminant(cubic.subs(y, 1), x)
    missing = result.closedness.missing
    assert len(missing) == 1
    first = sympy.sympify(missing[0].split("V(", 1)[1].split(")", 1)[0], locals={str(s): s for s in symbols})
    assert sympy.simplify(first / discriminant).is_number
    # the dictionary: dim M = numpy rank (4 = dim V: X = V, degree 1, one critical point)
    entries = {e.name: e for e in result.dictionary.entries}
    rank = _numpy_rank(arch, np.random.default_rng(1))
    assert rank == space.dim == 4
    assert entries["dimension"].value == f"dim M = {rank}" and entries["dimension"].status == "proved"
    assert entries["degree"].value.startswith("deg X = 1") and entries["learning degree"].value == "1"
    assert entries["closedness"].value == "M(C) not closed in X, M(R) not closed"
    assert "Dictionary" in summary(result).latex()


@pytest.mark.macaulay2
def test_quadratic_321_report_singular_locus_is_311_and_not_identifiable(session):
    arch = Architecture.create("3,2,1", "x^2")
    result = geometry(arch, only="fibers,singular,dictionary", session=session)
    assert result.closedness is None and result.symmetries is None
    rank = _numpy_rank(arch, np.random.default_rng(2))
    assert rank == 5  # dim M; the torus explains 2 of the 8 - 5 = 3 fiber dimensions
    assert result.fibers.unexplained_dim == arch.n_params - rank - 2 == 1
    text = str(result)
    assert "identifiable: no" in text and "unexplained 1" in text
    assert "the image closure of (3,1,1)" in text
    entries = {e.name: e for e in result.dictionary.entries}
    assert entries["identifiability"].value == "not identifiable: 1 fiber dimension(s) beyond G"
    assert entries["singular strata"].value == "singular locus: dim 3, components (3,1,1)"
    assert entries["closedness"].status == "not computed" and "--only" in entries["closedness"].method
    assert entries["degree"].value == "deg X = 3"  # det of the symmetric 3 x 3 matrix of the quadric


def test_an_undecided_part_matches_the_schema():
    schema = json.loads((Path(__file__).parents[1] / "docs" / "schemas" / "geometry.schema.json").read_text("utf-8"))
    result = Geometry(architecture=Architecture.create("2,2,1", "x^3"), parts=("fibers", "closedness"), seed=0,
                      fibers=Undecided(part="fibers", reason="not finished within 120 s for this part (timeout)"),
                      closedness=Undecided(part="closedness", reason="not started (timeout)"))
    jsonschema.validate(result.to_json(), schema, cls=jsonschema.Draft202012Validator)
    assert "undecided: not finished within 120 s" in str(result)
