"""Equations of the neuromanifold of one degree by exact interpolation, modulo primes, lifted to QQ.

The ideal I(M) is homogeneous (M is a cone: scaling the last layer scales the output), so it is the
sum of its graded pieces I(M)_k.  For one degree k:

1. sample points c(θ_s) of M modulo a prime p, without symbolic expansion: the network is evaluated at
   random inputs a_j and the coefficients are recovered by inverting the Veronese matrix modulo p;
2. evaluate all monomials of degree k in the coordinates at the samples (more samples than monomials)
   and compute the kernel of that matrix in reduced row echelon form (canonical, so comparable across
   primes);
3. lift the kernel to QQ by Chinese remaindering over several primes and rational reconstruction,
   until the lift is stable.

What this proves.  If G is a nonzero equation of M of degree k with coprime integer coefficients, its
reduction modulo p is nonzero and vanishes at every sample, so it lies in the kernel: the kernel's
dimension bounds dim I(M)_k from *above*, deterministically (a trivial kernel proves there is no
equation of degree k).  Each lifted polynomial is then checked to vanish on M (see
:mod:`neurom2.geometry.implicitization`), which bounds dim I(M)_k from *below*; when the two agree, the lifted
polynomials span I(M)_k exactly.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from math import isqrt
from typing import Sequence

import flint
import numpy as np
import sympy

from neurom2.errors import InterpolationFailed
from neurom2.model.architecture import Architecture
from neurom2.model.jacobian import ModularArithmetic, modular_matrix, network_values
from neurom2.model.space import AmbientSpace, Exponents, monomials_of_degree

MAX_MONOMIALS = 6000
"""Largest multidegree class of monomials that neurom2 interpolates (a dense square system)."""


def interpolation_primes(count: int, below: int = 2**31) -> list[int]:
    """``count`` primes just below ``below`` (2^31, so that residues multiply in int64)."""
    primes = [int(sympy.prevprime(below))]
    while len(primes) < count:
        primes.append(int(sympy.prevprime(primes[-1])))
    return primes


def sample_points(arch: Architecture, p: int, count: int, rng: np.random.Generator) -> np.ndarray:
    """``count`` points c(θ) of M modulo p at random θ, as rows in neurom2's coordinate order."""
    space = AmbientSpace.of(arch)
    m = len(space.monomials)
    arith = ModularArithmetic(p)
    while True:
        inputs = rng.integers(0, p, size=(m, arch.input_dim), dtype=np.int64)
        veronese = np.ones((m, m), dtype=np.int64)
        for col, exponents in enumerate(space.monomials):
            for i, power in enumerate(exponents):
                for _ in range(power):
                    veronese[:, col] = arith.mul(veronese[:, col], inputs[:, i])
        matrix = modular_matrix(veronese, p)
        if matrix.det() != 0:
            break
    inverse = np.array(matrix.inv().tolist(), dtype=object).astype(np.int64)
    rows = []
    for _ in range(count):
        theta = rng.integers(0, p, size=arch.n_params).tolist()
        values = network_values(arch, theta, inputs, arith)        # (m, dL): values = V · C
        rows.append(arith.matmul(inverse, values).T.ravel())       # C, output-major
    return np.array(rows, dtype=np.int64)


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
    basis, nullity = modular_matrix(matrix, p).nullspace()
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


@dataclass(frozen=True)
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
    keys = [(c.exponents, c.output) for c in space.coordinates]
    classes: dict[tuple, list[Exponents]] = {}
    for mu in monomials_of_degree(space.dim, degree):
        inputs = [0] * space.n_inputs
        outputs = [0] * space.n_outputs
        for j, power in enumerate(mu):
            if power:
                exponents, output = keys[j]
                inputs = [a + power * b for a, b in zip(inputs, exponents)]
                outputs[output - 1] += power
        classes.setdefault((tuple(inputs), tuple(outputs)), []).append(mu)
    return [tuple(group) for group in classes.values()]


@dataclass
class _ClassLift:
    """Residues of one multidegree class's kernel, collected over primes."""

    exponents: tuple[Exponents, ...]
    pivots: tuple[int, ...] | None = None
    residues: list[np.ndarray] | None = None
    primes: list[int] | None = None
    lifted: list[list[Fraction]] | None = None
    stable: bool = False

    def add(self, kernel: np.ndarray, pivots: tuple[int, ...], p: int) -> None:
        if self.pivots is None or len(pivots) < len(self.pivots):
            # a smaller kernel is closer to the generic one (unlucky primes and points only add to it)
            self.pivots, self.residues, self.primes, self.lifted = pivots, [], [], None
        elif pivots != self.pivots:
            return  # an unlucky prime
        if not pivots:
            self.stable = True
            return
        self.residues.append(kernel)
        self.primes.append(p)
        lifted = _lift(self.residues, self.primes)
        self.stable = lifted is not None and lifted == self.lifted
        self.lifted = lifted


def equations_of_degree(arch: Architecture, degree: int, seed: int = 0, max_primes: int = 12) -> DegreePiece:
    """Interpolate I(M)_degree (see the module docstring), one multidegree class at a time."""
    space = AmbientSpace.of(arch)
    classes = [_ClassLift(group) for group in multidegree_classes(space, degree)]
    largest = max(len(c.exponents) for c in classes)
    if largest > MAX_MONOMIALS:
        raise InterpolationFailed(
            f"a multidegree class of {largest} monomials of degree {degree} in {space.dim} coordinates: too large"
        )
    rng = np.random.default_rng(seed)
    primes_used: list[int] = []
    for p in interpolation_primes(max_primes):
        points = sample_points(arch, p, largest + 10, rng)
        primes_used.append(p)
        for cls in classes:
            if not cls.stable:
                cls.add(*kernel_modulo(monomial_matrix(points, cls.exponents, p), p), p)
        if all(c.stable for c in classes):
            basis = tuple(
                {c.exponents[j]: q for j, q in enumerate(row) if q != 0} for c in classes for row in (c.lifted or [])
            )
            monomials = sum(len(c.exponents) for c in classes)
            return DegreePiece(degree, monomials, len(basis), basis, tuple(primes_used))
    raise InterpolationFailed(f"the equations of degree {degree} did not lift to QQ with {max_primes} primes")


def _lift(residues: list[np.ndarray], primes: list[int]) -> list[list[Fraction]] | None:
    modulus = 1
    combined = np.zeros(residues[0].shape, dtype=object)
    for kernel, p in zip(residues, primes):
        # Chinese remaindering, entrywise: x ≡ combined (mod modulus), x ≡ kernel (mod p)
        inverse = pow(modulus, -1, p)
        step = ((kernel.astype(object) - combined) % p) * inverse % p
        combined = combined + modulus * step
        modulus *= p
    rows = []
    for row in combined:
        values = [rational_reconstruction(int(v), modulus) for v in row]
        if any(v is None for v in values):
            return None
        rows.append(values)
    return rows

