"""Ranks modulo a prime from numpy buffers (neurom2.exact.residues) against python-flint's own conversion and
against ranks known by construction."""

import flint
import numpy as np
import pytest

from neurom2.exact import residues
from neurom2.exact.residues import rank_modulo_prime

P = 2_147_483_647


def product_of_rank(rng: np.random.Generator, rows: int, cols: int, rank: int, p: int) -> np.ndarray:
    """A random rows × cols matrix of rank ≤ ``rank`` modulo p, as the exact product of two random factors."""
    left = rng.integers(0, p, size=(rows, rank), dtype=np.int64).astype(object)
    right = rng.integers(0, p, size=(rank, cols), dtype=np.int64).astype(object)
    return (left.dot(right) % p).astype(np.int64)


def test_the_flint_library_is_found_and_passes_its_self_test():
    assert residues._checked_library() is not None


@pytest.mark.parametrize(("rows", "cols", "rank", "p"), [(12, 9, 4, P), (200, 230, 170, P), (230, 200, 200, 65_521),
                                                         (50, 50, 50, 2_147_483_629), (1, 7, 1, 3)])
def test_rank_of_a_product_matches_python_flint_and_its_construction(rows, cols, rank, p):
    matrix = product_of_rank(np.random.default_rng(rows + cols), rows, cols, rank, p)
    found = rank_modulo_prime(matrix, p)
    assert found == flint.nmod_mat(flint.fmpz_mat(matrix.tolist()), p).rank()
    assert found <= rank
    if p > 1000:  # a random product of full inner rank has that rank, unless p is tiny
        assert found == rank


def test_rank_of_an_explicitly_singular_matrix():
    rng = np.random.default_rng(1)
    matrix = rng.integers(0, P, size=(30, 40), dtype=np.int64)
    matrix[7] = (3 * matrix[2] + 5 * matrix[11]) % P  # a dependent row
    matrix[:, 0] = 0
    assert rank_modulo_prime(matrix, P) == 29 == flint.nmod_mat(flint.fmpz_mat(matrix.tolist()), P).rank()


def test_empty_and_non_contiguous_matrices():
    assert rank_modulo_prime(np.zeros((0, 5), dtype=np.int64), P) == 0
    matrix = np.random.default_rng(2).integers(0, P, size=(40, 60), dtype=np.int64)
    view = matrix[::2, 1::3]  # a strided view: copied into FLINT row by row correctly
    assert rank_modulo_prime(view, P) == flint.nmod_mat(flint.fmpz_mat(view.tolist()), P).rank() == 20


def test_without_the_library_the_ranks_go_through_python_flint(monkeypatch):
    monkeypatch.setattr(residues, "_checked_library", lambda: None)
    matrix = product_of_rank(np.random.default_rng(3), 20, 25, 11, P)
    assert rank_modulo_prime(matrix, P) == 11
