"""Ranks of numpy matrices of residues modulo a word-size prime, computed by FLINT.

python-flint builds an ``nmod_mat`` from Python integers, one object per entry: for a 514 × 522 Jacobian that
conversion costs two to three times the elimination itself.  :func:`rank_modulo_prime` hands the numpy buffer to
FLINT's C library directly instead (through :mod:`ctypes`, the library python-flint ships with): ``nmod_mat_init``
allocates the entries, which in every FLINT 2.x and 3.x release are one contiguous row-major block whose address
is the first field of ``nmod_mat_struct``; the residues are copied there and ``nmod_mat_rank`` runs on them.

Modulo a prime below :data:`PANEL_PRIME_LIMIT`, a matrix whose both sides have at least :data:`PANEL_MIN` entries
is ranked by panels instead (:func:`rank_by_panels`): FLINT puts :data:`PANEL` rows in reduced row echelon form, and
the rows below are reduced by one product of float64 matrices, exact at such primes, which BLAS computes several
times faster than FLINT's own elimination (a 514 × 522 matrix: about 14 ms against 20 ms).

The direct path is used only after a self-test on first use: the ranks of a few fixed matrices (full rank,
rank-deficient, wide and tall) must equal python-flint's.  Where the library cannot be found or the test fails,
every rank goes through python-flint, with the same results, only slower.  The panels have a self-test of their own,
on their first use; without it, those ranks go to FLINT directly.
"""

from __future__ import annotations

import contextlib
import ctypes
import functools
from collections.abc import Callable, Iterator
from pathlib import Path

import flint
import numpy as np

_STRUCT_BYTES = 256
"""Room for an ``nmod_mat_struct`` (48 bytes in FLINT 3) with a wide margin."""
PANEL = 64
"""Rows of a panel of :func:`rank_by_panels`."""
PANEL_PRIME_LIMIT = 2**23
"""Below this prime the panel products are exact in float64: a sum of at most PANEL products of residues, plus a
residue, is below PANEL · 2^46 + 2^23 < 2^53."""
PANEL_MIN = 240
"""Smaller matrices (on either side) are ranked by FLINT directly, as fast or faster (square matrices of 200: 1.3 ms
both ways; of 300: 3.4 ms by panels against 4.4 ms; of 514: 14 against 20 ms)."""


def rank_modulo_prime(matrix: np.ndarray, p: int) -> int:
    """The rank over Z/p of a 2-d array of residues in [0, p), p a prime below 2^63."""
    if 0 in matrix.shape:
        return 0
    library = _checked_library()
    if library is None:
        return _converted_rank(matrix, p)
    if p < PANEL_PRIME_LIMIT and min(matrix.shape) >= PANEL_MIN and _panels_pass(library):
        return rank_by_panels(library, matrix, p)
    return _direct_rank(library, matrix, p)


def rank_by_panels(library: ctypes.CDLL, matrix: np.ndarray, p: int) -> int:
    """The rank over Z/p (p < :data:`PANEL_PRIME_LIMIT`) of a 2-d array of residues, by block elimination.

    With A = [T; B] (T the first :data:`PANEL` rows, of the wide form of the matrix), FLINT's ``nmod_mat_rref``
    gives T's rank t and its nonzero rows [I X] on the pivot columns P and the others Q (after a permutation of the
    columns).  Then A has the same rank as [[I, X], [B_P, B_Q]], and subtracting B_P times the first rows leaves
    [[I, X], [0, B_Q − B_P X]]: rank A = t + rank(B_Q − B_P X), the Schur complement computed in float64 (exact:
    :data:`PANEL_PRIME_LIMIT`) and ranked in turn, the last panel by FLINT directly."""
    wide = matrix if matrix.shape[0] <= matrix.shape[1] else matrix.T
    rest, rank = wide.astype(np.float64), 0
    while rest.shape[0] > PANEL and rest.shape[1]:
        echelon = _echelon(library, rest[:PANEL], p)
        pivots = np.argmax(echelon != 0, axis=1)
        others = np.ones(rest.shape[1], dtype=bool)
        others[pivots] = False
        below = rest[PANEL:]
        with one_blas_thread():
            rest = _reduced(below[:, pivots] @ (p - echelon[:, others]) + below[:, others], p)
        rank += len(pivots)
    return rank + (_direct_rank(library, rest.astype(np.int64), p) if rest.size else 0)


def _reduced(values: np.ndarray, p: int) -> np.ndarray:
    """Integers 0 ≤ v < 2^53 held in float64, modulo p, in place: v − ⌊v/p⌋·p with ⌊v/p⌋ off by at most one."""
    values -= np.floor(values * (1.0 / p)) * p
    values[values < 0] += p
    values[values >= p] -= p
    return values


def _echelon(library: ctypes.CDLL, rows: np.ndarray, p: int) -> np.ndarray:
    """The nonzero rows of the reduced row echelon form over Z/p of ``rows`` (residues), as float64, by FLINT's
    ``nmod_mat_rref``."""
    with _flint_matrix(library, rows, p) as (struct, entries):
        rank = int(library.nmod_mat_rref(struct))
        echelon = np.empty((rank, rows.shape[1]), dtype=np.uint64)
        ctypes.memmove(echelon.ctypes.data, entries, echelon.nbytes)
    return echelon.astype(np.float64)


@contextlib.contextmanager
def one_blas_thread() -> Iterator[None]:
    """numpy's OpenBLAS on one thread in this thread (``openblas_set_num_threads_local``), then as before: the panel
    products are too small to gain from threads, which only cost the other workers' cores; nothing where numpy's
    BLAS is not that OpenBLAS."""
    setter = _blas_thread_setter()
    previous = setter(1) if setter is not None else None
    try:
        yield
    finally:
        if setter is not None and previous is not None:
            setter(previous)


@functools.cache
def _blas_thread_setter() -> Callable[[int], int] | None:
    """``openblas_set_num_threads_local`` of the OpenBLAS that numpy's wheel ships (``numpy.libs``), or None."""
    for candidate in sorted((Path(np.__file__).resolve().parent.parent / "numpy.libs").glob("libscipy_openblas*.so*")):
        try:
            setter = ctypes.CDLL(str(candidate)).openblas_set_num_threads_local
        except (OSError, AttributeError):
            continue
        setter.argtypes, setter.restype = [ctypes.c_int], ctypes.c_int
        return setter
    return None


def nmod_matrix(matrix: np.ndarray, p: int) -> flint.nmod_mat:
    """A numpy array of residues as a python-flint matrix over Z/p (through an integer matrix built from nested
    lists: python-flint converts those to ``fmpz_mat`` faster than a flat list, or any list to ``nmod_mat``)."""
    if 0 in matrix.shape:
        return flint.nmod_mat(matrix.shape[0], matrix.shape[1], p)
    return flint.nmod_mat(flint.fmpz_mat(matrix.tolist()), p)


def _converted_rank(matrix: np.ndarray, p: int) -> int:
    """The rank through python-flint's own conversion (:func:`nmod_matrix`)."""
    return int(nmod_matrix(matrix, p).rank())


def _direct_rank(library: ctypes.CDLL, matrix: np.ndarray, p: int) -> int:
    """The rank by FLINT's ``nmod_mat_rank`` on a matrix whose entries are copied from the numpy buffer."""
    with _flint_matrix(library, matrix, p) as (struct, _entries):
        return int(library.nmod_mat_rank(struct))


@contextlib.contextmanager
def _flint_matrix(library: ctypes.CDLL, matrix: np.ndarray, p: int) -> Iterator[tuple[ctypes.Array, int]]:
    """An ``nmod_mat_struct`` over Z/p holding the residues ``matrix`` (copied from the numpy buffer into its
    contiguous row-major entries), and the address of those entries; cleared afterwards."""
    rows, cols = matrix.shape
    residues = np.ascontiguousarray(matrix, dtype=np.uint64)
    struct = ctypes.create_string_buffer(_STRUCT_BYTES)
    library.nmod_mat_init(struct, rows, cols, p)
    try:
        entries = ctypes.cast(struct, ctypes.POINTER(ctypes.c_void_p))[0]
        ctypes.memmove(entries, residues.ctypes.data, residues.nbytes)
        yield struct, entries
    finally:
        library.nmod_mat_clear(struct)


@functools.cache
def _checked_library() -> ctypes.CDLL | None:
    """FLINT's C library, if found beside python-flint and if it passes the self-test (module docstring)."""
    library = _library()
    if library is None:
        return None
    rng = np.random.default_rng(20261207)
    p = 2_147_483_647
    for rows, cols, rank in ((7, 5, 5), (40, 60, 23), (60, 40, 40), (33, 33, 0), (3, 9, 3)):
        matrix = _product(rng, rows, cols, rank, p)
        if _direct_rank(library, matrix, p) != _converted_rank(matrix, p):
            return None
    return library


@functools.cache
def _panels_pass(library: ctypes.CDLL) -> bool:
    """Whether :func:`rank_by_panels` gives python-flint's ranks on a few fixed matrices (one panel, two, rank-deficient,
    zero), tested on first use: a process that never ranks a large matrix modulo a small prime does not pay for it."""
    rng = np.random.default_rng(20261208)
    p = 8_388_593  # the largest prime below PANEL_PRIME_LIMIT
    for rows, cols, rank in ((100, 90, 90), (140, 160, 131), (80, 120, 0), (90, 70, 66)):
        matrix = _product(rng, rows, cols, rank, p)
        if rank_by_panels(library, matrix, p) != _converted_rank(matrix, p):
            return False
    return True


def _product(rng: np.random.Generator, rows: int, cols: int, rank: int, p: int) -> np.ndarray:
    """A random rows × cols matrix of residues modulo p of rank at most ``rank`` (a product through ``rank``, by
    python-flint)."""
    if not rank:
        return np.zeros((rows, cols), dtype=np.int64)
    left, right = (flint.nmod_mat(flint.fmpz_mat(rng.integers(0, p, size=shape).tolist()), p)
                   for shape in ((rows, rank), (rank, cols)))
    return np.array([int(x) for x in (left * right).entries()], dtype=np.int64).reshape(rows, cols)


def _library() -> ctypes.CDLL | None:
    """The FLINT shared library that python-flint loads (its wheel's ``python_flint.libs``), with typed entry
    points; None if there is none (python-flint built against a system FLINT, another platform)."""
    wheel_libraries = Path(flint.__file__).resolve().parent.parent / "python_flint.libs"
    candidates = sorted(wheel_libraries.glob("libflint*.so*"))
    if not candidates:
        return None
    try:
        library = ctypes.CDLL(str(candidates[0]))
        library.nmod_mat_init.argtypes = [ctypes.c_void_p, ctypes.c_long, ctypes.c_long, ctypes.c_ulong]
        library.nmod_mat_init.restype = None
        library.nmod_mat_rank.argtypes = [ctypes.c_void_p]
        library.nmod_mat_rank.restype = ctypes.c_long
        library.nmod_mat_clear.argtypes = [ctypes.c_void_p]
        library.nmod_mat_clear.restype = None
        library.nmod_mat_rref.argtypes = [ctypes.c_void_p]
        library.nmod_mat_rref.restype = ctypes.c_long
    except (OSError, AttributeError):
        return None
    return library
