"""Data sets: CSV files read exactly, bad files refused with FILE:LINE, exact A, B, Q = AᵀA and u = A⁺B."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest
from flint import fmpq_mat

from neurom2 import Architecture
from neurom2.errors import InvalidDataset
from neurom2.exact.linear import penrose_conditions, pseudoinverse
from neurom2.model.space import AmbientSpace
from neurom2.training.dataset import Dataset
from neurom2.training.loss import dataset_with_target, loss_decomposition

CUBICS = Architecture.create("2,2,1", "x^3")


def write(tmp_path, text: str):
    path = tmp_path / "data.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_decimals_are_read_exactly_as_written(tmp_path):
    data = Dataset.read_csv(write(tmp_path, "x1,x2,y1\n0.1,-2.5e-3,1/3\n\n 7 , .5 ,-0\n"))
    assert data.inputs == ((Fraction(1, 10), Fraction(-1, 400)), (Fraction(7), Fraction(1, 2)))
    assert data.outputs == ((Fraction(1, 3),), (Fraction(0),))
    assert len(data) == 2 and data.source == str(tmp_path / "data.csv")


def test_columns_may_come_in_any_order(tmp_path):
    data = Dataset.read_csv(write(tmp_path, "y1,x2,x1\n5,2,1\n"))
    assert data.inputs == ((1, 2),) and data.outputs == ((5,),)


@pytest.mark.parametrize("text, line, reason", [
    ("", None, "empty"),
    ("x1,y1\n", 1, "no data lines"),
    ("x1,x3,y1\n1,2,3\n", 1, "x2 is missing"),
    ("x1,x2,y1,z\n1,2,3,4\n", 1, "column 'z'"),
    ("x1,x1,y1\n1,2,3\n", 1, "appears twice"),
    ("x1,x2\n1,2\n", 1, "no output columns"),
    ("x1,x2,y1\n1,2,3\n1,2\n", 3, "2 fields"),
    ("x1,x2,y1\n1,2,3\n1,,3\n", 3, "empty field in column x2"),
    ("x1,x2,y1\n1,nan,3\n", 2, "not a finite number"),
    ("x1,x2,y1\n1,2,-inf\n", 2, "not a finite number"),
    ("x1,x2,y1\n1,two,3\n", 2, "'two' in column x2 is not a number"),
    ("x1,x2,y1\n1,\"1,000\",3\n", 2, "not a number"),
    ("x1,x2,y1\n1,2,1/0\n", 2, "divides by zero"),
    ("x1,x2,y1\n1,2,1e999999999\n", 2, "exponent"),
])
def test_bad_files_are_refused_with_file_and_line(tmp_path, text, line, reason):
    path = write(tmp_path, text)
    with pytest.raises(InvalidDataset, match=reason) as error:
        Dataset.read_csv(path)
    prefix = f"{path}:{line}: " if line else f"{path}: "
    assert str(error.value).startswith(prefix)


def test_data_that_do_not_fit_the_network_are_refused_at_the_header(tmp_path):
    path = write(tmp_path, "x1,x2,y1,y2\n1,2,3,4\n")
    data = Dataset.read_csv(path)
    with pytest.raises(InvalidDataset, match=rf"^{path}:1: the network has 1 output, the data have 2 \(y1, y2\)"):
        data.Q(CUBICS)
    with pytest.raises(InvalidDataset, match=r"has 2 inputs, the data have 3 \(x1, x2, x3\)"):
        Dataset.read_csv(write(tmp_path, "x1,x2,x3,y1\n1,2,3,4\n")).check(CUBICS)


def test_missing_file_and_binary_file_are_invalid_data(tmp_path):
    with pytest.raises(InvalidDataset, match="cannot read"):
        Dataset.read_csv(tmp_path / "absent.csv")
    binary = tmp_path / "b.csv"
    binary.write_bytes(b"\xff\xfe\x00x1")
    with pytest.raises(InvalidDataset, match="not a text file"):
        Dataset.read_csv(binary)


def test_matrices_are_exact_and_u_is_the_pseudoinverse_fit():
    data = Dataset.random(CUBICS, 9, seed=4)
    space = AmbientSpace.of(CUBICS)
    a, b, q, u = data.A(CUBICS), data.B(CUBICS), data.Q(CUBICS), data.u(CUBICS)
    assert (a.nrows(), a.ncols(), b.ncols()) == (9, 4, 1)
    # row j of A is (x^3, x^2 y, x y^2, y^3) at a_j, computed here independently
    x, y = data.inputs[2]
    assert [Fraction(int(a[2, k].p), int(a[2, k].q)) for k in range(4)] == [x**3, x**2 * y, x * y**2, y**3]
    assert q == a.transpose() * a and all(penrose_conditions(a, pseudoinverse(a)))
    assert u == pseudoinverse(a) * b
    # u minimizes the loss over V: the distance part vanishes at u, and only there (Q is positive definite)
    flat = [u[i, 0] for i in range(4)]
    assert loss_decomposition(space, data, flat).distance == 0
    assert loss_decomposition(space, data, [flat[0] + 1, *flat[1:]]).distance > 0


def test_u_of_data_generated_from_a_function_is_that_function():
    target = [1, 0, -1, 0]  # x^3 - x y^2
    inputs = Dataset.random(CUBICS, 12, seed=1).inputs
    data = dataset_with_target(AmbientSpace.of(CUBICS), inputs, target)
    assert data.u(CUBICS) == fmpq_mat(4, 1, target)


def test_random_data_are_reproducible_and_identified_by_content(tmp_path):
    first, again = Dataset.random(CUBICS, 5, seed=3), Dataset.random(CUBICS, 5, seed=3)
    assert first == again and first.digest() == again.digest()
    assert first.digest() != Dataset.random(CUBICS, 5, seed=4).digest()
    path = write(tmp_path, "x1,x2,y1\n" + "\n".join(",".join(row) for row in first.canonical()) + "\n")
    assert Dataset.read_csv(path) == first and Dataset.read_csv(path).digest() == first.digest()
    with pytest.raises(InvalidDataset, match="positive integer"):
        Dataset.random(CUBICS, 0)


def test_as_float_gives_arrays_of_the_right_shapes():
    data = Dataset.random(Architecture.create("3,2,2", "x^2"), 6, seed=2)
    inputs, outputs = data.as_float()
    assert inputs.shape == (6, 3) and outputs.shape == (6, 2)
    assert np.allclose(inputs[0], [float(v) for v in data.inputs[0]])
