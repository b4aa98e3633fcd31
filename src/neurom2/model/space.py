"""The ambient space V of a neuromanifold, its monomial basis and the Veronese embedding.

V = (⊕_{k ∈ K} R[x1..xn]_k)^{dL}, where ``K`` is the set of degrees the network's outputs can have
(:attr:`Architecture.output_degrees`): for σ = x^r without biases ``K = {r^(L-1)}`` and V is the
homogeneous part R[x]_{D}; with biases ``K = {0..D}`` and V = R[x]_{≤D}, D = deg(σ)^(L-1).

Monomial order (used for coordinates, the Veronese embedding and Macaulay2 alike): total degree
ascending; within one degree, exponent vectors in descending lexicographic order (x1 > x2 > ...).
For two inputs of degree ≤ 2 this is (1, x1, x2, x1^2, x1*x2, x2^2), the v_D of the slides.

Coordinates: the coefficient of the monomial x^e in output k is the coordinate named
``c{k}_{e1}_{e2}..._{en}`` (k 1-based); coordinates are ordered by output, then by the monomial order.
Field: all exact computations are over QQ; "real points" are discussed separately.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from itertools import combinations_with_replacement
from math import comb

import numpy as np

from neurom2.cost import SATURATED, Estimate
from neurom2.model.architecture import Architecture

Exponents = tuple[int, ...]

LISTING_OPERATIONS = 200
"""Operations charged per entry of a listed exponent vector: Python takes about 200 ns per entry (measured:
the 5000 coordinates of R[x1..x5000]_1, 2.5e7 entries, in 6 s), which :mod:`neurom2.cost` counts at 1e9/s."""


def monomials_of_degree(n: int, degree: int) -> tuple[Exponents, ...]:
    """Exponent vectors of the monomials of ``degree`` in ``n`` variables, lexicographically descending."""
    exps = []
    for choice in combinations_with_replacement(range(n), degree):
        e = [0] * n
        for i in choice:
            e[i] += 1
        exps.append(tuple(e))
    return tuple(sorted(exps, reverse=True))


@dataclass(frozen=True)
class Coordinate:
    """The coefficient of ``x^exponents`` in output ``output`` (1-based)."""

    name: str
    output: int
    exponents: Exponents

    def to_json(self) -> dict:
        """The coordinate as JSON: name, output and exponents."""
        return {"name": self.name, "output": self.output, "exponents": list(self.exponents)}


@dataclass(frozen=True)
class AmbientSpace:
    """V = (⊕_{k ∈ degrees} R[x1..x_{n_inputs}]_k)^{n_outputs} with its monomial coordinates."""

    n_inputs: int
    degrees: tuple[int, ...]
    n_outputs: int

    @classmethod
    def of(cls, architecture: Architecture) -> AmbientSpace:
        """The ambient space V of a network: its inputs, output degrees and outputs."""
        return cls(architecture.input_dim, architecture.output_degrees, architecture.output_dim)

    @cached_property
    def monomials(self) -> tuple[Exponents, ...]:
        """The monomial basis of one output's polynomial space, in the module's order."""
        return tuple(e for k in self.degrees for e in monomials_of_degree(self.n_inputs, k))

    @cached_property
    def coordinates(self) -> tuple[Coordinate, ...]:
        """The coordinates of V, in order: by output, then by monomial."""
        return tuple(
            Coordinate(f"c{k}_" + "_".join(map(str, e)), k, e)
            for k in range(1, self.n_outputs + 1)
            for e in self.monomials
        )

    @property
    def monomial_count(self) -> int:
        """The number of monomials per output, Σ_k C(n + k − 1, k), without listing them."""
        return sum(comb(self.n_inputs + k - 1, k) for k in self.degrees)

    @property
    def dim(self) -> int:
        """dim V = d_L · :attr:`monomial_count` (computed without listing the coordinates)."""
        return self.n_outputs * self.monomial_count

    def listing_estimate(self) -> Estimate:
        """The cost of listing :attr:`coordinates` (as ``implicit``, ``member`` and ``landscape`` do): an exponent
        vector of ``n_inputs`` entries and a name per coordinate, each monomial built from a choice of
        ``degree`` variables; about 8 bytes and :data:`LISTING_OPERATIONS` operations per entry."""
        entries = min(self.dim * self.n_inputs + self.monomial_count * self.top_degree, SATURATED)
        return Estimate(f"listing the {self.dim} coordinates of V = {self.describe()}", 8.0 * entries,
                        float(LISTING_OPERATIONS * entries))

    @property
    def is_homogeneous(self) -> bool:
        """Whether V is one homogeneous degree."""
        return len(self.degrees) == 1

    @property
    def top_degree(self) -> int:
        """The largest degree of V."""
        return self.degrees[-1]

    def describe(self) -> str:
        """A human-readable name such as ``R[x1,x2]_3``, ``(R[x1,x2]_{<=2})^2`` or ``R[x1,...,x9]_2``."""
        names = ",".join(f"x{i}" for i in range(1, self.n_inputs + 1)) if self.n_inputs <= 4 else f"x1,...,x{self.n_inputs}"
        ring = f"R[{names}]"
        if self.is_homogeneous:
            part = f"_{self.degrees[0]}"
        elif self.degrees == tuple(range(self.top_degree + 1)):
            part = f"_{{<={self.top_degree}}}"
        else:
            part = "_{" + ",".join(map(str, self.degrees)) + "}"
        space = ring + part
        return space if self.n_outputs == 1 else f"({space})^{self.n_outputs}"

    def veronese(self, points: np.ndarray) -> np.ndarray:
        """The Veronese matrix: row j is v(points[j]), the basis monomials evaluated at the j-th point.

        ``points`` has shape ``(m, n_inputs)``.
        """
        points = np.asarray(points)
        columns = [np.prod(points ** np.array(e, dtype=np.int64), axis=1) for e in self.monomials]
        return np.stack(columns, axis=1)
