"""Equations of the neuromanifold of one degree by exact interpolation, modulo primes, lifted to QQ.

The ideal I(M) is homogeneous (M is a cone: scaling the last layer scales the output), so it is the
sum of its graded pieces I(M)_k.  For one degree k:

1. sample points c(θ_s) of M modulo a prime p, without symbolic expansion: the network is evaluated at
   random inputs a_j and the coefficients are recovered by inverting the Veronese matrix modulo p (one
   :class:`Sampler` per architecture keeps the points of each prime, so all degrees share them);
2. evaluate all monomials of degree k in the coordinates at the samples (more samples than monomials)
   and compute the kernel of that matrix in reduced row echelon form (canonical, so comparable across
   primes), one multidegree class at a time (:func:`multidegree_classes`);
3. lift the kernel to QQ by Chinese remaindering over several primes and rational reconstruction,
   until the lift is stable.

What this proves.  If G is a nonzero equation of M of degree k with coprime integer coefficients, its
reduction modulo p is nonzero and vanishes at every sample, so it lies in the kernel: the kernel's
dimension bounds dim I(M)_k from *above*, deterministically (a trivial kernel proves there is no
equation of degree k).  Each lifted polynomial is then proved to vanish on M (exactly, by
:mod:`neurom2.variety.vanishing`), which bounds dim I(M)_k from *below*; when the two agree, the lifted
polynomials span I(M)_k exactly.

Cost (:func:`interpolation_estimate`): per prime, one dense matrix of (s + 10) × s residues and its kernel
for every multidegree class of s monomials, and the sample points themselves.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from functools import reduce
from math import comb, gcd, isqrt, lcm

import flint
import numpy as np

from neurom2 import progress
from neurom2.cost import Estimate
from neurom2.errors import InterpolationFailed
from neurom2.exact.residues import nmod_matrix
from neurom2.model.architecture import Architecture
from neurom2.model.jacobian import ModularArithmetic
from neurom2.model.space import AmbientSpace, Exponents, monomials_of_degree

EXTRA_SAMPLES = 10
"""Samples beyond the size of a class: a random point set this large is almost surely generic."""
MAX_PRIMES = 12
"""Primes tried before the lift of a degree is declared unstable (:class:`InterpolationFailed`)."""
ENUMERATED_MONOMIALS = 2_000_000
"""Above this many monomials of one degree the classes are not listed; the estimate uses the total count."""


def primes_below(bound: int, count: int) -> list[int]:
    """The ``count`` largest primes below ``bound``."""
    primes: list[int] = []
    candidate = bound - 1
    while len(primes) < count and candidate > 1:
        if flint.fmpz(candidate).is_prime():
            primes.append(candidate)
        candidate -= 1
    return primes


INTERPOLATION_PRIMES: tuple[int, ...] = tuple(primes_below(2**31, MAX_PRIMES))
"""Primes just below 2^31, so that residues multiply in int64."""


class Sampler:
    """Points of M modulo primes, for one architecture: fixed random inputs per prime (an invertible
    Veronese matrix), and as many random networks as asked for, kept for later degrees."""

    def __init__(self, arch: Architecture, seed: int = 0) -> None:
        self.architecture = arch
        self.space = AmbientSpace.of(arch)
        self.seed = seed
        self._state: dict[int, tuple[np.random.Generator, np.ndarray, np.ndarray, list[np.ndarray]]] = {}

    def _start(self, p: int) -> tuple[np.random.Generator, np.ndarray, np.ndarray, list[np.ndarray]]:
        arch, space = self.architecture, self.space
        rng = np.random.default_rng([self.seed, p])
        m = len(space.monomials)
        arith = ModularArithmetic(p)
        while True:
            inputs = rng.integers(0, p, size=(m, arch.input_dim), dtype=np.int64)
            veronese = np.ones((m, m), dtype=np.int64)
            for col, exponents in enumerate(space.monomials):
                for i, power in enumerate(exponents):
                    for _ in range(power):
                        veronese[:, col] = arith.mul(veronese[:, col], inputs[:, i])
            matrix = nmod_matrix(veronese, p)
            if matrix.det() != 0:
                break
        inverse = np.array(matrix.inv().tolist(), dtype=object).astype(np.int64)
        return rng, inputs, inverse, []

    def points(self, p: int, count: int) -> np.ndarray:
        """``count`` points c(θ_s) of M modulo p (rows, in neurom2's coordinate order), at random θ_s."""
        if p not in self._state:
            self._state[p] = self._start(p)
        rng, inputs, inverse, rows = self._state[p]
        missing = count - len(rows)
        if missing > 0:
            arith = ModularArithmetic(p)
            thetas = rng.integers(0, p, size=(missing, self.architecture.n_params), dtype=np.int64)
            values = _network_values(self.architecture, thetas, inputs, arith)     # (S, m, dL): values = V · C
            coefficients = arith.matmul(inverse, values)                           # C, per sample
            rows.extend(coefficients.transpose(0, 2, 1).reshape(missing, -1))     # output-major
        return np.array(rows[:count], dtype=np.int64)


def _network_values(arch: Architecture, thetas: np.ndarray, inputs: np.ndarray, arith: ModularArithmetic) -> np.ndarray:
    """f_θ(a_j) modulo p for every row θ of ``thetas`` (residues) and input a_j (rows of ``inputs``), shape
    (samples, points, d_L): one forward pass for all samples."""
    samples = thetas.shape[0]
    sigma = [int(c.numerator * pow(c.denominator, -1, arith.p) % arith.p) for c in arch.activation.coefficients]
    values = np.broadcast_to(inputs.T, (samples, *inputs.T.shape))
    position = 0
    for layer, (rows, cols) in enumerate(arch.weight_shapes, start=1):
        matrix = thetas[:, position:position + rows * cols].reshape(samples, rows, cols)
        position += rows * cols
        values = arith.matmul(matrix, values)
        if arch.bias:
            values = arith.add(values, thetas[:, position:position + rows, None])
            position += rows
        if layer < arch.depth:
            acc = np.full_like(values, sigma[-1])
            for c in sigma[-2::-1]:
                acc = (acc * values + c) % arith.p
            values = acc
    return values.transpose(0, 2, 1)


def monomial_matrix(points: np.ndarray, exponents: Sequence[Exponents], p: int) -> np.ndarray:
    """Row s, column μ: the monomial x^μ evaluated at the s-th point, modulo p."""
    arith = ModularArithmetic(p)
    degree = max((sum(e) for e in exponents), default=0)
    powers = [np.ones_like(points)]
    for _ in range(degree):
        powers.append(arith.mul(powers[-1], points))
    columns = []
    for e in exponents:
        column = np.ones(points.shape[0], dtype=np.int64)
        for j, power in enumerate(e):
            if power:
                column = arith.mul(column, powers[power][:, j])
        columns.append(column)
    return np.stack(columns, axis=1)


def kernel_modulo(matrix: np.ndarray, p: int) -> tuple[np.ndarray, tuple[int, ...]]:
    """The kernel of ``matrix`` modulo p as the rows of its reduced row echelon basis, and their pivots."""
    basis, nullity = nmod_matrix(matrix, p).nullspace()
    if nullity == 0:
        return np.zeros((0, matrix.shape[1]), dtype=np.int64), ()
    rows = basis.transpose().tolist()[:nullity]
    echelon, _ = flint.nmod_mat(rows, p).rref()
    kernel = np.array(echelon.tolist(), dtype=object).astype(np.int64)
    pivots = tuple(int(np.flatnonzero(row)[0]) for row in kernel)
    return kernel, pivots


def rational_reconstruction(residue: int, modulus: int) -> Fraction | None:
    """The fraction r/s with |r|, s ≤ sqrt(modulus/2) congruent to ``residue``, if there is one."""
    bound = isqrt(modulus // 2)
    r0, r1, s0, s1 = modulus, residue % modulus, 0, 1
    while r1 > bound:
        q = r0 // r1
        r0, r1, s0, s1 = r1, r0 - q * r1, s1, s0 - q * s1
    if s1 == 0 or abs(s1) > bound:
        return None
    return Fraction(r1, s1)


@dataclass(frozen=True, kw_only=True)
class DegreePiece:
    """I(M)_k as found by interpolation: the kernel dimension and, if lifted, a basis over QQ."""

    degree: int
    monomials: int
    """The number of monomials of degree k in the coordinates."""
    kernel_dim: int
    """Dimension of the kernel modulo the primes: a proved upper bound for dim I(M)_k."""
    basis: tuple[dict[Exponents, Fraction], ...]
    """Polynomials over QQ (exponents → coefficient), in reduced row echelon form per multidegree."""
    primes: tuple[int, ...]


def multidegree_classes(space: AmbientSpace, degree: int) -> list[tuple[Exponents, ...]]:
    """The monomials of ``degree`` in the coordinates, grouped by multidegree.

    M is invariant under rescaling the inputs (W_1 ↦ W_1·diag(t)) and the outputs (W_L, b_L ↦
    diag(s)·(W_L, b_L)), so I(M) is homogeneous for the grading that gives the coordinate c_{k,e}
    the degree (e, unit vector k) ∈ Z^{d0} × Z^{dL}: each class can be interpolated on its own.
    """
    monomials = monomials_of_degree(space.dim, degree)
    labels = np.array(monomials, dtype=np.int64).reshape(len(monomials), space.dim) @ _grading(space)
    classes: dict[bytes, list[Exponents]] = {}
    for mu, label in zip(monomials, labels):
        classes.setdefault(label.tobytes(), []).append(mu)
    return [tuple(group) for group in classes.values()]


def _grading(space: AmbientSpace) -> np.ndarray:
    """Row j: the multidegree (input exponents, unit output vector) of the j-th coordinate."""
    return np.array([list(c.exponents) + [int(k == c.output) for k in range(1, space.n_outputs + 1)]
                     for c in space.coordinates], dtype=np.int64)


def class_sizes(space: AmbientSpace, degree: int) -> list[int]:
    """The sizes of :func:`multidegree_classes` (one class of all monomials when there are too many to list)."""
    total = comb(space.dim + degree - 1, degree)
    if total > ENUMERATED_MONOMIALS:
        return [total]
    return [len(c) for c in multidegree_classes(space, degree)]


def interpolation_estimate(arch: Architecture, degrees: Sequence[int]) -> Estimate:
    """The cost of interpolating the given degrees with two primes (the usual number for a stable lift):
    per class of s monomials an (s + 10) × s matrix of int64 residues and its kernel (s³ operations)."""
    space = AmbientSpace.of(arch)
    sizes = [s for k in degrees for s in class_sizes(space, k)]
    largest = max(sizes, default=0)
    samples = largest + EXTRA_SAMPLES
    memory = 8 * (samples * (largest + space.dim) + 2 * largest * largest)
    per_point = space.monomial_count * (sum(a * b for a, b in arch.weight_shapes) + space.monomial_count)
    operations = 2 * (sum(s ** 3 + samples * s for s in sizes) + samples * per_point)
    top = max(degrees, default=0)
    return Estimate(f"interpolation up to degree {top}: {sum(sizes)} monomials in {space.dim} coordinates, "
                    f"largest multidegree class {largest}", memory, operations)


@dataclass(kw_only=True)
class _ClassLift:
    """One multidegree class's kernel lifted to QQ, one prime at a time.

    The residues are combined by Chinese remaindering as the primes come (``combined`` modulo ``modulus``)
    and reconstructed as fractions; the lift is stable when it reduces to the next prime's kernel.  Then the
    combination with that prime would reconstruct to the same fractions (they are within the reconstruction
    bound of the smaller modulus, and the reconstruction within a bound is unique), as when comparing the
    lifts of successive primes, at the cost of one congruence test instead of a reconstruction."""

    exponents: tuple[Exponents, ...]
    pivots: tuple[int, ...] | None = None
    combined: np.ndarray | None = None
    modulus: int = 1
    lifted: list[list[Fraction]] | None = None
    stable: bool = False

    def add(self, kernel: np.ndarray, pivots: tuple[int, ...], p: int) -> None:
        if self.pivots is None or len(pivots) < len(self.pivots):
            # a smaller kernel is closer to the generic one (unlucky primes and points only add to it)
            self.pivots, self.combined, self.modulus, self.lifted = pivots, None, 1, None
        elif pivots != self.pivots:
            return  # an unlucky prime
        if not pivots:
            self.stable = True
            return
        if self.lifted is not None and _reduces_to(self.lifted, kernel, p):
            self.stable = True
            return
        self.combined = _chinese_remainder(self.combined, self.modulus, kernel, p)
        self.modulus *= p
        self.lifted = _reconstruct(self.combined, self.modulus)


def equations_of_degree(arch: Architecture, degree: int, seed: int = 0, sampler: Sampler | None = None) -> DegreePiece:
    """Interpolate I(M)_degree (see the module docstring), one multidegree class at a time."""
    sampler = sampler or Sampler(arch, seed)
    classes = [_ClassLift(exponents=group) for group in multidegree_classes(sampler.space, degree)]
    largest = max(len(c.exponents) for c in classes)
    primes_used: list[int] = []
    for p in INTERPOLATION_PRIMES:
        points = sampler.points(p, largest + EXTRA_SAMPLES)
        primes_used.append(p)
        powers = _powers(points, degree, p)
        pending = [c for c in classes if not c.stable]
        done = 0
        for chunk in _chunks(pending):
            progress.step(done, len(pending), f"multidegree classes modulo {p}")
            done += len(chunk)
            exponents = [e for c in chunk for e in c.exponents]
            rows = max(len(c.exponents) for c in chunk) + EXTRA_SAMPLES
            values = _monomial_values(powers, exponents, rows, p)
            start = 0
            for cls in chunk:
                size = len(cls.exponents)
                matrix = values[:size + EXTRA_SAMPLES, start:start + size]
                start += size
                if size == 1:  # one monomial: an equation exactly when it vanishes at every sample
                    vanishes = not matrix.any()
                    cls.add(np.ones((1, 1), dtype=np.int64) if vanishes else np.zeros((0, 1), dtype=np.int64),
                            (0,) if vanishes else (), p)
                else:
                    cls.add(*kernel_modulo(matrix, p), p)
        if all(c.stable for c in classes):
            basis = tuple(
                {c.exponents[j]: q for j, q in enumerate(row) if q} for c in classes for row in (c.lifted or [])
            )
            monomials = sum(len(c.exponents) for c in classes)
            return DegreePiece(degree=degree, monomials=monomials, kernel_dim=len(basis), basis=basis, primes=tuple(primes_used))
    raise InterpolationFailed(f"the equations of degree {degree} did not lift to QQ with {MAX_PRIMES} primes")


CHUNK_ENTRIES = 4_000_000
"""Monomial values computed at once (samples × monomials), at most: about 32 MB of int64."""


def _chunks(classes: list[_ClassLift]) -> list[list[_ClassLift]]:
    """The classes, smallest first, in groups whose monomial values (samples × monomials, samples = largest
    class + 10) fit in :data:`CHUNK_ENTRIES`."""
    chunks: list[list[_ClassLift]] = []
    columns = 0
    for cls in sorted(classes, key=lambda c: len(c.exponents)):
        size = len(cls.exponents)
        if not chunks or (size + EXTRA_SAMPLES) * (columns + size) > CHUNK_ENTRIES:
            chunks.append([])
            columns = 0
        chunks[-1].append(cls)
        columns += size
    return chunks


def _powers(points: np.ndarray, degree: int, p: int) -> np.ndarray:
    """powers[e] = points^e entrywise modulo p, e = 0..degree: shape (degree + 1, samples, coordinates)."""
    table = [np.ones_like(points)]
    for _ in range(degree):
        table.append(table[-1] * points % p)
    return np.stack(table)


def _monomial_values(powers: np.ndarray, exponents: Sequence[Exponents], samples: int, p: int) -> np.ndarray:
    """The monomials at the first ``samples`` points modulo p: shape (samples, monomials)."""
    matrix = np.array(exponents, dtype=np.int64)
    values = np.ones((samples, len(exponents)), dtype=np.int64)
    for j in np.flatnonzero(matrix.any(axis=0)):
        values = values * powers[matrix[:, j], :samples, j].T % p
    return values


def _chinese_remainder(combined: np.ndarray | None, modulus: int, residues: np.ndarray, p: int) -> np.ndarray:
    """Entrywise x ≡ combined (mod modulus), x ≡ residues (mod p), in [0, modulus·p) (Python integers)."""
    if combined is None:
        return residues.astype(object)
    step = ((residues.astype(object) - combined) % p) * pow(modulus, -1, p) % p
    return combined + modulus * step


_ZERO = Fraction(0)


def _reconstruct(combined: np.ndarray, modulus: int) -> list[list[Fraction]] | None:
    """The entries as fractions (:func:`rational_reconstruction`), or None when one has none."""
    rows = []
    for row in combined:
        values = [rational_reconstruction(int(v), modulus) if v else _ZERO for v in row]
        if any(v is None for v in values):
            return None
        rows.append([v for v in values if v is not None])
    return rows


def _reduces_to(lifted: list[list[Fraction]], residues: np.ndarray, p: int) -> bool:
    """Whether the fractions (no denominator divisible by p) reduce to the residues modulo p: a ≡ r·b."""
    numerators = np.array([[q.numerator for q in row] for row in lifted], dtype=object)
    denominators = np.array([[q.denominator for q in row] for row in lifted], dtype=object)
    if (denominators % p == 0).any():
        return False
    return bool(((numerators - residues.astype(object) * denominators) % p == 0).all())


def normalized(polynomial: dict[Exponents, Fraction]) -> dict[Exponents, Fraction]:
    """The polynomial with coprime integer coefficients and a positive leading coefficient in the graded
    reverse lexicographic order of the coordinates (Macaulay2's normalization of generators over QQ)."""
    denominator = lcm(*(c.denominator for c in polynomial.values()))
    scaled = {e: int(c * denominator) for e, c in polynomial.items()}
    content = reduce(gcd, scaled.values())
    leading = max(scaled, key=lambda e: (sum(e), tuple(-a for a in reversed(e))))
    sign = 1 if scaled[leading] > 0 else -1
    return {e: Fraction(sign * v // content) for e, v in scaled.items()}


def minimal_generators(space: AmbientSpace, pieces: Sequence[DegreePiece]) -> list[dict[Exponents, Fraction]]:
    """A minimal generating set, over QQ, of the ideal spanned by the pieces (consecutive degrees from 1, each
    basis all of I(M)_k), chosen among their basis elements.

    In degree k the products x_i·g of the previous degree's basis span S_1·I(M)_{k-1}; a basis element is kept
    when it is independent of them and of the elements kept before, decided by ranks modulo a prime p.  A
    rank modulo p is at most the rank over QQ, and all these vectors lie in I(M)_k: when the ranks modulo p
    reach dim I(M)_k, the kept elements and the products span I(M)_k over QQ, and the kept elements are
    independent modulo S_1·I(M)_{k-1} over QQ (a rational relation would reduce to one modulo p).  They are
    returned :func:`normalized`.
    """
    p = INTERPOLATION_PRIMES[0]
    kept: list[dict[Exponents, Fraction]] = []
    previous: tuple[dict[Exponents, Fraction], ...] = ()
    for piece in pieces:
        if piece.basis and previous:
            kept += _independent(space, previous, piece.basis, p)
        else:
            kept += list(piece.basis)
        previous = piece.basis
    return [normalized(f) for f in kept]


def _independent(space: AmbientSpace, previous: Sequence[dict[Exponents, Fraction]],
                 candidates: Sequence[dict[Exponents, Fraction]], p: int) -> list[dict[Exponents, Fraction]]:
    """The candidates not in the span of the products x_i·g (g in ``previous``) and of the candidates kept
    before them, modulo p, one multidegree class at a time (all these polynomials are homogeneous for it).

    The terms of all polynomials are arrays (exponents, residues, owner): the products are ``previous``'s
    terms shifted by each unit vector, owners n·g + i, then the candidates, owners from n·len(previous) on.
    Per class, one elimination: the polynomials in owner order are the columns of a matrix whose row echelon
    form has its pivots exactly at the columns independent of all columns before them; a candidate
    is kept when its column is a pivot column.  The kept candidates are returned in their given order."""
    n = space.dim
    base, base_residues, base_owners = _terms(previous, n, p)
    own, own_residues, own_owners = _terms(candidates, n, p)
    first_candidate = n * len(previous)
    exponents = np.concatenate([(base[:, None, :] + np.eye(n, dtype=np.int64)).reshape(-1, n), own])
    residues = np.concatenate([np.repeat(base_residues, n), own_residues])
    owners = np.concatenate([(base_owners[:, None] * n + np.arange(n)).ravel(), own_owners + first_candidate])
    class_of = _row_labels(exponents @ _grading(space))
    order = np.argsort(class_of, kind="stable")
    kept: list[int] = []
    for block in np.split(order, np.flatnonzero(np.diff(class_of[order])) + 1):
        columns, column_of = np.unique(owners[block], return_inverse=True)  # products first, candidates in order
        if columns[-1] < first_candidate:
            continue
        row_of = _row_labels(exponents[block])
        matrix = np.zeros((row_of.max() + 1, len(columns)), dtype=np.int64)
        matrix[row_of, column_of] = residues[block]
        kept += [columns[j] - first_candidate for j in pivot_columns(matrix, p) if columns[j] >= first_candidate]
    return [candidates[k] for k in sorted(kept)]


def _terms(polynomials: Sequence[dict[Exponents, Fraction]], n: int, p: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The terms of the polynomials as arrays: exponents (one row per term), coefficients modulo p, and the
    index of the polynomial each term belongs to."""
    exponents = np.array([e for f in polynomials for e in f], dtype=np.int64).reshape(-1, n)
    residues = np.array([_residue(c, p) for f in polynomials for c in f.values()], dtype=np.int64)
    owners = np.repeat(np.arange(len(polynomials)), [len(f) for f in polynomials])
    return exponents, residues, owners


def _row_labels(rows: np.ndarray) -> np.ndarray:
    """For each row of a 2-d integer array, the index of its value among the distinct rows (sorted)."""
    order = np.lexsort(rows.T[::-1])
    starts = np.ones(len(rows), dtype=bool)
    starts[1:] = (rows[order[1:]] != rows[order[:-1]]).any(axis=1)
    labels = np.empty(len(rows), dtype=np.int64)
    labels[order] = np.cumsum(starts) - 1
    return labels


def _residue(c: Fraction, p: int) -> int:
    if c.denominator % p == 0:
        raise InterpolationFailed(f"a coefficient {c} has a denominator divisible by {p}")
    return c.numerator * pow(c.denominator, -1, p) % p


def pivot_columns(matrix: np.ndarray, p: int) -> list[int]:
    """The pivot columns of ``matrix`` modulo p: the columns that are not combinations of the columns before
    them (in increasing order).  Gaussian elimination column by column, in numpy: the matrices of one
    multidegree class are small, and converting them to and from FLINT would cost more than the elimination;
    it stops when every row holds a pivot."""
    reduced = matrix % p
    pivots: list[int] = []
    unused = np.ones(reduced.shape[0], dtype=bool)
    for j in range(reduced.shape[1]):
        if not unused.any():
            break
        rows = np.flatnonzero(unused & (reduced[:, j] != 0))
        if not len(rows):
            continue
        i = rows[0]
        pivots.append(j)
        unused[i] = False
        pivot_row = reduced[i, j:] * pow(int(reduced[i, j]), -1, p) % p
        factors = reduced[unused, j]
        reduced[unused, j:] = (reduced[unused, j:] - factors[:, None] * pivot_row) % p
    return pivots
