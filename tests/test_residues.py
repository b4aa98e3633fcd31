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
    library = residues._checked_library()
    assert library is not None and residues._panels_pass(library)


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


SMALL_P = 8_388_593  # the largest prime below PANEL_PRIME_LIMIT = 2^23


@pytest.mark.parametrize(("rows", "cols", "rank"), [(514, 522, 514), (522, 514, 500), (300, 700, 290), (260, 260, 0),
                                                    (400, 300, 64), (300, 420, 65), (700, 250, 250)])
def test_ranks_by_panels_match_python_flint_and_their_construction(rows, cols, rank):
    """Matrices large enough for rank_by_panels (both sides ≥ PANEL_MIN) modulo a prime below 2^23: the rank equals
    python-flint's own (an independent elimination) and the rank of the product by construction; ranks of exactly
    one and a bit more than one panel included."""
    rng = np.random.default_rng(rows * cols + rank)
    left = flint.nmod_mat(flint.fmpz_mat(rng.integers(0, SMALL_P, size=(rows, rank)).tolist()), SMALL_P)
    right = flint.nmod_mat(flint.fmpz_mat(rng.integers(0, SMALL_P, size=(rank, cols)).tolist()), SMALL_P)
    product = left * right if rank else flint.nmod_mat(rows, cols, SMALL_P)
    matrix = np.array([int(x) for x in product.entries()], dtype=np.int64).reshape(rows, cols)
    assert min(matrix.shape) >= residues.PANEL_MIN and SMALL_P < residues.PANEL_PRIME_LIMIT
    found = rank_modulo_prime(matrix, SMALL_P)
    assert found == flint.nmod_mat(flint.fmpz_mat(matrix.tolist()), SMALL_P).rank() == rank


def test_panels_with_dependent_rows_zero_columns_and_entries_near_the_prime():
    """Dependent rows inside the first panel and across panels, zero columns, and entries p − 1 (the largest
    products the float64 arithmetic must hold exactly): the rank equals python-flint's."""
    rng = np.random.default_rng(9)
    matrix = rng.integers(SMALL_P - 3, SMALL_P, size=(330, 350), dtype=np.int64)
    matrix[::7] = rng.integers(0, SMALL_P, size=matrix[::7].shape)
    matrix[5] = (2 * matrix[1] + matrix[3]) % SMALL_P        # inside the first panel
    matrix[200] = (matrix[10] + 7 * matrix[150]) % SMALL_P    # across panels
    matrix[:, [0, 64, 65, 300]] = 0
    found = rank_modulo_prime(matrix, SMALL_P)
    assert found == flint.nmod_mat(flint.fmpz_mat(matrix.tolist()), SMALL_P).rank()
    assert found == residues._direct_rank(residues._checked_library(), matrix, SMALL_P)


def test_panel_products_run_on_one_blas_thread_and_restore_the_setting():
    """The OpenBLAS that numpy ships is found, set to one thread inside the panel products and restored after."""
    setter = residues._blas_thread_setter()
    assert setter is not None
    before = setter(3)
    try:
        with residues.one_blas_thread():
            assert setter(1) == 1
        assert setter(3) == 3
    finally:
        setter(before)


def test_without_the_panels_self_test_large_ranks_modulo_a_small_prime_go_to_flint_directly(monkeypatch):
    """A 300 × 320 matrix of rank 250 modulo a prime below 2^23: with the panels' self-test failing, the rank comes
    from FLINT's own elimination (rank_by_panels not called), and equals the construction's."""
    calls = []
    monkeypatch.setattr(residues, "_panels_pass", lambda library: False)
    monkeypatch.setattr(residues, "rank_by_panels", lambda *args: calls.append(args) or -1)
    matrix = product_of_rank(np.random.default_rng(4), 300, 320, 250, SMALL_P)
    assert rank_modulo_prime(matrix, SMALL_P) == 250 and not calls
