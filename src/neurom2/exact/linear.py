"""Exact linear algebra over QQ that python-flint lacks: the Moore–Penrose pseudoinverse of an ``fmpq_mat``,
through a full-rank factorization, and the four Penrose conditions that characterize it."""

from __future__ import annotations

from flint import fmpq_mat


def full_rank_factorization(matrix: fmpq_mat) -> tuple[fmpq_mat, fmpq_mat]:
    """(C, R) with ``matrix = C R``, C (m × r) its pivot columns and R (r × n) the nonzero rows of its
    reduced row echelon form, r = rank; both have full rank r."""
    echelon, rank = matrix.rref()
    rows = echelon.tolist()[:rank]
    pivots = [next(j for j, v in enumerate(row) if v != 0) for row in rows]
    columns = [[row[j] for j in pivots] for row in matrix.tolist()]
    return fmpq_mat(matrix.nrows(), rank, [v for row in columns for v in row]), fmpq_mat(
        rank, matrix.ncols(), [v for row in rows for v in row]
    )


def pseudoinverse(matrix: fmpq_mat) -> fmpq_mat:
    """The Moore–Penrose pseudoinverse over QQ: A⁺ = Rᵀ(RRᵀ)⁻¹(CᵀC)⁻¹Cᵀ for A = CR of full rank r."""
    m, n = matrix.nrows(), matrix.ncols()
    c, r = full_rank_factorization(matrix)
    if r.nrows() == 0:
        return fmpq_mat(n, m)
    ct, rt = c.transpose(), r.transpose()
    return rt * (r * rt).inv() * (ct * c).inv() * ct


def penrose_conditions(matrix: fmpq_mat, candidate: fmpq_mat) -> tuple[bool, bool, bool, bool]:
    """The four Penrose conditions AXA = A, XAX = X, (AX)ᵀ = AX, (XA)ᵀ = XA, exactly; X = A⁺ iff all hold."""
    a, x = matrix, candidate
    ax, xa = a * x, x * a
    return (ax * a == a, xa * x == x, ax.transpose() == ax, xa.transpose() == xa)
