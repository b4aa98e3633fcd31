"""Ranks of numpy matrices of residues modulo a word-size prime, computed by FLINT.

python-flint builds an ``nmod_mat`` from Python integers, one object per entry: for a 514 × 522 Jacobian that
conversion costs two to three times the elimination itself.  :func:`rank_modulo_prime` hands the numpy buffer to
FLINT's C library directly instead (through :mod:`ctypes`, the library python-flint ships with): ``nmod_mat_init``
allocates the entries, which in every FLINT 2.x and 3.x release are one contiguous row-major block whose address
is the first field of ``nmod_mat_struct``; the residues are copied there and ``nmod_mat_rank`` runs on them.

The direct path is used only after a self-test on first use: the ranks of a few fixed matrices (full rank,
rank-deficient, wide and tall) must equal python-flint's.  Where the library cannot be found or the test fails,
every rank goes through python-flint, with the same results, only slower.
"""

from __future__ import annotations

import ctypes
import functools
from pathlib import Path

import flint
import numpy as np

_STRUCT_BYTES = 256
"""Room for an ``nmod_mat_struct`` (48 bytes in FLINT 3) with a wide margin."""


def rank_modulo_prime(matrix: np.ndarray, p: int) -> int:
    """The rank over Z/p of a 2-d array of residues in [0, p), p a prime below 2^63."""
    if 0 in matrix.shape:
        return 0
    library = _checked_library()
    return _direct_rank(library, matrix, p) if library is not None else _converted_rank(matrix, p)


def _converted_rank(matrix: np.ndarray, p: int) -> int:
    """The rank through python-flint's own conversion (an ``fmpz_mat`` from nested lists, then ``nmod_mat``)."""
    return int(flint.nmod_mat(flint.fmpz_mat(matrix.tolist()), p).rank())


def _direct_rank(library: ctypes.CDLL, matrix: np.ndarray, p: int) -> int:
    """The rank by FLINT's ``nmod_mat_rank`` on a matrix whose entries are copied from the numpy buffer."""
    rows, cols = matrix.shape
    residues = np.ascontiguousarray(matrix, dtype=np.uint64)
    struct = ctypes.create_string_buffer(_STRUCT_BYTES)
    library.nmod_mat_init(struct, rows, cols, p)
    try:
        entries = ctypes.cast(struct, ctypes.POINTER(ctypes.c_void_p))[0]
        ctypes.memmove(entries, residues.ctypes.data, residues.nbytes)
        return int(library.nmod_mat_rank(struct))
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
        left = rng.integers(0, p, size=(rows, rank), dtype=np.int64).astype(object)
        right = rng.integers(0, p, size=(rank, cols), dtype=np.int64).astype(object)
        matrix = (left.dot(right) % p if rank else np.zeros((rows, cols), dtype=object)).astype(np.int64)
        if _direct_rank(library, matrix, p) != _converted_rank(matrix, p):
            return None
    return library


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
    except (OSError, AttributeError):
        return None
    return library
